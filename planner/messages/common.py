"""Messages shared by several wings (file names, generic checks)."""

from __future__ import annotations

TEXT: dict[str, dict[str, str]] = {
    "must_be_positive": {
        "en": "{name} must be > 0, got {value}",
        "zh": "{name} 必须大于 0，当前为 {value}",
    },
}
