"""Messages of the synthetic demo city (:mod:`planner.data`)."""

from __future__ import annotations

TEXT: dict[str, dict[str, str]] = {
    "data.not_a_count": {
        "en": "synthetic city: {name} must be an integer >= 0, got {value!r}",
        "zh": "合成示范城市：{name} 必须是大于或等于 0 的整数，当前为 {value!r}",
    },
    "data.no_plots": {
        "en": "synthetic city: n_plots must be at least 1",
        "zh": "合成示范城市：n_plots（地块数）至少为 1",
    },
    "data.block_size": {
        "en": "synthetic city: block_m {block_m} must be ordered and exceed "
        "2 × setback_m + {min_slot} m",
        "zh": "合成示范城市：block_m {block_m} 必须从小到大排列，且大于 "
        "2 × setback_m + {min_slot} 米",
    },
    "data.arterial_every": {
        "en": "synthetic city: arterial_every must be >= 1",
        "zh": "合成示范城市：arterial_every 必须大于或等于 1",
    },
    "data.too_few_blocks": {
        "en": "synthetic city: {blocks} blocks cannot hold {parks} parks and {large} large "
        "plots; raise n_road_edges",
        "zh": "合成示范城市：{blocks} 个街区容纳不下 {parks} 个公园和 {large} 个大地块；"
        "请增大 n_road_edges",
    },
    "data.slots_too_small": {
        "en": "synthetic city: {items} features do not fit in {blocks} blocks (slots would "
        "be {slot:.1f} m); raise n_road_edges",
        "zh": "合成示范城市：{items} 个要素放不进 {blocks} 个街区（每格仅 {slot:.1f} 米）；"
        "请增大 n_road_edges",
    },
}
