"""Messages of the parking layout and demand (:mod:`planner.parking`)."""

from __future__ import annotations

TEXT: dict[str, dict[str, str]] = {
    "parking.unknown_patterns": {
        "en": "parking layout patterns must be among {patterns}, got {value!r}",
        "zh": "停车布置形式必须取自 {patterns}，当前为 {value!r}",
    },
    "parking.layout_negative": {
        "en": "parking layout {name} must be >= 0, got {value!r}",
        "zh": "停车布置参数 {name} 必须大于或等于 0，当前为 {value!r}",
    },
    "parking.layout_not_positive": {
        "en": "parking layout {name} must be > 0, got {value!r}",
        "zh": "停车布置参数 {name} 必须大于 0，当前为 {value!r}",
    },
    "parking.layout_not_metric": {
        "en": "parking layout needs plots in a projected (metric) CRS; run "
        "planner.layers.prepare_layers first",
        "zh": "停车布置需要地块使用投影（以米为单位的）坐标系；请先运行 "
        "planner.layers.prepare_layers",
    },
    "parking.demand_not_positive": {
        "en": "parking demand {name} must be > 0, got {value!r}",
        "zh": "停车需求参数 {name} 必须大于 0，当前为 {value!r}",
    },
    "parking.demand_negative": {
        "en": "parking demand {name} must be >= 0, got {value!r}",
        "zh": "停车需求参数 {name} 必须大于或等于 0，当前为 {value!r}",
    },
    "parking.supply_ratio_order": {
        "en": "parking demand supply_ratio_min must not exceed supply_ratio_max",
        "zh": "停车需求参数 supply_ratio_min（最低供需比）不得大于 supply_ratio_max（最高供需比）",
    },
}
