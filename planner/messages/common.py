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
}
