"""Labels in both languages, with the same fields; Markdown escaping of data text."""

from __future__ import annotations

import string

import pytest

from planner.app.i18n import (
    CRITERION_LABELS,
    LANGUAGES,
    TEXT,
    criterion_label,
    md_escape,
    role_label,
    tr,
)
from planner.config import USES
from planner.criteria import CRITERIA
from planner.layers import ROLES


def _fields(text: str) -> set[str]:
    return {f for _, f, _, _ in string.Formatter().parse(text) if f}


@pytest.mark.parametrize("key", sorted(TEXT))
def test_every_label_in_both_languages_with_the_same_fields(key):
    assert set(TEXT[key]) == set(LANGUAGES)
    assert all(TEXT[key][lang].strip() for lang in LANGUAGES)
    assert _fields(TEXT[key]["en"]) == _fields(TEXT[key]["zh"])


def test_every_criterion_and_role_has_a_label():
    for use in USES:
        for crit in CRITERIA[use]:
            assert f"{use}.{crit.name}" in CRITERION_LABELS
            assert criterion_label(use, crit.name, "zh") != crit.name
    for role in ROLES:
        assert role_label(role, "en") and role_label(role, "zh")


def test_tr_fills_fields_and_refuses_unknown_language():
    assert tr("n_shown", "en", n=3, total=9) == "3 of 9 plots shown"
    assert tr("n_shown", "zh", n=3, total=9) == "显示 3 / 9 个地块"
    with pytest.raises(ValueError, match="unknown language"):
        tr("n_shown", "fr", n=1, total=1)


def test_md_escape_keeps_text_literal():
    assert md_escape("[x](http://e.vil) **b** a_b.zip") == (
        r"\[x\]\(http://e\.vil\) \*\*b\*\* a\_b\.zip"
    )
    assert md_escape("空地 甲") == "空地 甲"
