"""Messages of walking access and catchments (:mod:`planner.access`)."""

from __future__ import annotations

TEXT: dict[str, dict[str, str]] = {
    "access.unknown_decay": {
        "en": "unknown distance decay '{decay}'; use {decays}",
        "zh": "未知的距离衰减方式“{decay}”；请使用{decays}",
    },
    "access.radius_not_positive": {
        "en": "the catchment radius must be > 0 m, got {value!r}",
        "zh": "服务半径必须大于 0 米，当前为 {value!r}",
    },
    "access.sigma_not_positive": {
        "en": "the Gaussian spread must be > 0 m, got {value!r}",
        "zh": "高斯衰减的宽度必须大于 0 米，当前为 {value!r}",
    },
    "access.fca_negative": {
        "en": "population and supply must be finite and >= 0",
        "zh": "人口与供给量必须是有限值且大于或等于 0",
    },
    "access.unknown_rule": {
        "en": "access rule must be boundary or centroid, got {value!r}",
        "zh": "出入规则必须是 boundary（地块边界）或 centroid（地块中心），当前为 {value!r}",
    },
    "access.unknown_noding": {
        "en": "noding must be auto, vertices or crossings, got {value!r}",
        "zh": "noding（路网节点方式）必须是 auto、vertices 或 crossings，当前为 {value!r}",
    },
    "access.roads_not_metric": {
        "en": "the roads layer must be in a metric CRS; run prepare_layers first",
        "zh": "道路图层必须使用以米为单位的坐标系；请先运行 prepare_layers",
    },
    "access.detour_below_one": {
        "en": "walk_detour_factor must be >= 1, got {value}",
        "zh": "walk_detour_factor（步行绕行系数）必须大于或等于 1，当前为 {value}",
    },
    "access.unknown_basis": {
        "en": "distance basis must be auto, network or straight_line, got {value!r}",
        "zh": "距离计算方式必须是 auto、network（路网距离）或 straight_line（直线距离），"
        "当前为 {value!r}",
    },
    "access.network_needs_roads": {
        "en": "network distances need a roads layer with walkable lines; give --roads FILE or "
        "use --distance straight_line",
        "zh": "路网距离需要含可步行线路的道路图层；请用 --roads 文件 提供，"
        "或使用 --distance straight_line",
    },
}
