"""Messages of the criteria and the scoring (:mod:`planner.criteria`, :mod:`planner.scoring`)."""

from __future__ import annotations

TEXT: dict[str, dict[str, str]] = {
    "criteria.unknown_language": {
        "en": "unknown language '{lang}'; use one of {langs}",
        "zh": "未知的语言“{lang}”；请使用以下之一：{langs}",
    },
}
