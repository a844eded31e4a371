"""Messages of scoring (:mod:`planner.scoring`): the notes a run adds."""

from __future__ import annotations

TEXT: dict[str, dict[str, str]] = {
    "scoring.left_out_no_layer": {
        "en": "no {roles} layer",
        "zh": "缺少 {roles} 图层",
    },
    "scoring.note_no_parking_layer": {
        "en": "no parking layer: existing parking supply counted as 0",
        "zh": "没有停车场图层：现有停车供给按 0 计",
    },
}
