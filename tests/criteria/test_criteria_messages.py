"""Errors of the criteria read in 中文 and English (issue 18: messages by key)."""

from __future__ import annotations

import pytest

from planner.criteria import criterion_named
from planner.errors import ConfigError


def test_an_unknown_label_language_in_chinese():
    crit = criterion_named("green_gap")
    assert crit.label("en") and crit.label("zh")
    with pytest.raises(ConfigError) as caught:
        crit.label("fr")
    assert str(caught.value) == "unknown language 'fr'; use one of zh, en"
    assert caught.value.localized("zh") == "未知的语言“fr”；请使用以下之一：zh、en"
    assert isinstance(caught.value, ValueError)
