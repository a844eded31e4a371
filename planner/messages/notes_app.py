"""Notes the app's views add (:mod:`planner.app`); its errors are in :mod:`planner.messages.app`."""

from __future__ import annotations

TEXT: dict[str, dict[str, str]] = {
    "app.note_card_left_out": {
        "en": "the indicator card is left out: {detail}",
        "zh": "指标卡未列入：{detail}",
    },
}
