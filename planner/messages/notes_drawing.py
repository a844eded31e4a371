"""Notes of the drawing wing (:mod:`planner.drawing`): what a sheet or drawing tells.

The errors of the wing are in :mod:`planner.messages.drawing`; these are its notes.
"""

from __future__ import annotations

TEXT: dict[str, dict[str, str]] = {
    "drawing.note_no_glyph": {
        "en": "characters the font has no glyph for were drawn as ?: {codes}",
        "zh": "字体中没有字形的字符已画作 ?：{codes}",
    },
}
