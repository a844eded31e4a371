"""Messages of the criteria and the scoring (:mod:`planner.criteria`, :mod:`planner.scoring`)."""

from __future__ import annotations

TEXT: dict[str, dict[str, str]] = {
    "criteria.unmeasured_vulnerable_share": {
        "en": "residential layer has no elderly_share / child_share attributes",
        "zh": "居住图层没有 elderly_share / child_share 属性",
    },
    "criteria.unknown_language": {
        "en": "unknown language '{lang}'; use one of {langs}",
        "zh": "未知的语言“{lang}”；请使用以下之一：{langs}",
    },
}
