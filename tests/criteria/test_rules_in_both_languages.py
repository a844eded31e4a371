"""Every criterion's rule in 中文 and English, with the same sources and clauses."""

from __future__ import annotations

import re

import pytest

from planner.criteria import CRITERIA, USES

CJK = re.compile(r"[\u3400-\u9fff]")
#: Standard codes and clause numbers a rule cites (GB 50180-2018, GB/T 51346-2019 4.3.4 ...).
SOURCE = re.compile(r"(?:GB(?:/T)?|JGJ|CJJ) \d+-\d{4}")

ALL = [c for use in USES for c in CRITERIA[use]]


@pytest.mark.parametrize("crit", ALL, ids=lambda c: c.key)
def test_each_rule_exists_in_both_languages_citing_the_same_sources(crit) -> None:
    en, zh = crit.rule_text("en"), crit.rule_text("zh")
    assert en == crit.rule and zh == crit.rule_zh
    assert not CJK.search(en), f"{crit.key}: Chinese in the English rule"
    assert CJK.search(zh), f"{crit.key}: the Chinese rule has no Chinese"
    assert sorted(SOURCE.findall(en)) == sorted(SOURCE.findall(zh)), crit.key
    assert ("project assumption" in en) == ("项目假定" in zh), crit.key
    assert ("check" in en) == ("待核" in zh), crit.key


def test_the_green_gap_rule_cites_its_clause_in_both_languages() -> None:
    crit = next(c for c in CRITERIA["pocket_park"] if c.name == "green_gap")
    assert "GB/T 51346-2019 4.3.4" in crit.rule_text("en")
    assert "GB/T 51346-2019 第 4.3.4 条" in crit.rule_text("zh")
    with pytest.raises(ValueError, match="unknown language"):
        crit.rule_text("fr")
