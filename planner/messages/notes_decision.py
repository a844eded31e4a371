"""Notes of the decision wing (:mod:`planner.decision`): what a selection or report tells.

The errors of the wing are in :mod:`planner.messages.decision`; these are its notes.
"""

from __future__ import annotations

TEXT: dict[str, dict[str, str]] = {
    "decision.note_no_residential": {
        "en": "no residential layer: residents and coverage are 0",
        "zh": "没有居住用地图层：居民数和覆盖率按 0 计",
    },
    "decision.note_outside_circles": {
        "en": "{residents:,.0f} residents live outside every life circle",
        "zh": "{residents:,.0f} 名居民住在所有生活圈之外",
    },
    "decision.note_k_over_eligible_pocket_park": {
        "en": "--k {k} is more than the {eligible} of {sites} plot(s) that may become pocket "
        "parks (the others fail its hard rules); k = {eligible} used",
        "zh": "--k {k} 多于 {sites} 个地块中可建口袋公园的 {eligible} 个（其余不满足硬性条件）；"
        "已按 k = {eligible} 计算",
    },
    "decision.note_k_over_eligible_parking": {
        "en": "--k {k} is more than the {eligible} of {sites} plot(s) that may become car "
        "parks (the others fail its hard rules); k = {eligible} used",
        "zh": "--k {k} 多于 {sites} 个地块中可建停车场的 {eligible} 个（其余不满足硬性条件）；"
        "已按 k = {eligible} 计算",
    },
    "decision.note_time_limit": {
        "en": "the model stopped after {seconds:.0f} s with the best programme found, within "
        "{gap:.1%} of the optimum (fewer plots or phases solve to the optimum)",
        "zh": "模型在 {seconds:.0f} 秒后停止，给出已找到的最优方案，与最优解相差不超过 {gap:.1%}"
        "（减少地块或分期数可求得最优解）",
    },
}
