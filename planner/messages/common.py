"""Messages shared by several wings (file names, generic checks)."""

from __future__ import annotations

TEXT: dict[str, dict[str, str]] = {
    "must_be_positive": {
        "en": "{name} must be > 0, got {value}",
        "zh": "{name} 必须大于 0，当前为 {value}",
    },
    "common.the_layer": {"en": "the layer", "zh": "该图层"},
    "common.layer_role": {"en": "layer '{role}'", "zh": "图层“{role}”"},
    "common.file_not_found": {"en": "file not found", "zh": "找不到该文件"},
    "common.or": {"en": "{a} or {b}", "zh": "{a}或{b}"},
    "common.and": {"en": "{a} and {b}", "zh": "{a}和{b}"},
    "common.list": {"en": "{a}, {b}", "zh": "{a}、{b}"},
    "common.n_feature_one": {"en": "{n} feature", "zh": "{n} 个要素"},
    "common.n_feature_many": {"en": "{n} features", "zh": "{n} 个要素"},
    "common.n_geometry_one": {"en": "{n} geometry", "zh": "{n} 个几何图形"},
    "common.n_geometry_many": {"en": "{n} geometries", "zh": "{n} 个几何图形"},
    "common.n_invalid_geometry_one": {"en": "{n} invalid geometry", "zh": "{n} 个无效几何图形"},
    "common.n_invalid_geometry_many": {"en": "{n} invalid geometries", "zh": "{n} 个无效几何图形"},
    "common.n_collection_one": {"en": "{n} geometry collection", "zh": "{n} 个几何集合"},
    "common.n_collection_many": {"en": "{n} geometry collections", "zh": "{n} 个几何集合"},
    "common.n_row_one": {"en": "{n} row", "zh": "{n} 行"},
    "common.n_row_many": {"en": "{n} rows", "zh": "{n} 行"},
    "common.n_stall_one": {"en": "{n} stall", "zh": "{n} 个车位"},
    "common.n_stall_many": {"en": "{n} stalls", "zh": "{n} 个车位"},
    "common.semicolon": {"en": "{a}; {b}", "zh": "{a}；{b}"},
}
