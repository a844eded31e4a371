"""Messages by key: both languages for every key, the same fields, errors given in each language."""

from __future__ import annotations

import pickle
import re
import string

import pytest

from planner.access.network import NetworkDistance, WalkGraph
from planner.errors import ConfigError, InputFileError, PlannerError
from planner.messages import (
    LANGUAGES,
    MESSAGES,
    ErrorText,
    Msg,
    all_of,
    either,
    listing,
    localized,
    message,
)

CJK = re.compile(r"[\u3400-\u9fff\uff00-\uffef\u3000-\u303f]")


def _fields(template: str) -> set[str]:
    return {f for _, f, _, _ in string.Formatter().parse(template) if f}


@pytest.mark.parametrize("key", sorted(MESSAGES))
def test_every_message_has_both_languages_with_the_same_fields(key: str) -> None:
    table = MESSAGES[key]
    assert set(table) == set(LANGUAGES), key
    assert _fields(table["en"]) == _fields(table["zh"]), key
    assert not CJK.search(table["en"]), f"{key}: Chinese in the English text"
    assert CJK.search(table["zh"]), f"{key}: the Chinese text has no Chinese"


def test_a_message_is_its_english_text_and_gives_chinese_on_request() -> None:
    m = Msg("must_be_positive", name="walk_snap_m", value=-1)
    assert m == "walk_snap_m must be > 0, got -1"
    assert m.localized("zh") == "walk_snap_m 必须大于 0，当前为 -1"
    assert message("must_be_positive", "zh", name="x", value=0) == "x 必须大于 0，当前为 0"
    assert pickle.loads(pickle.dumps(m)).localized("zh") == m.localized("zh")


def test_a_field_that_is_a_message_takes_the_same_language() -> None:
    inner = Msg("must_be_positive", name="a", value=0)
    outer = Msg("must_be_positive", name=inner, value=1)
    assert outer.localized("zh") == "a 必须大于 0，当前为 0 必须大于 0，当前为 1"


def test_errors_read_in_english_and_in_chinese() -> None:
    with pytest.raises(ConfigError) as caught:
        NetworkDistance(WalkGraph.from_segments([[0.0, 0.0]], [[1.0, 0.0]]), snap_m=-5)
    assert str(caught.value) == "walk_snap_m must be > 0, got -5"
    assert caught.value.localized("zh") == "walk_snap_m 必须大于 0，当前为 -5"
    assert localized(caught.value, "zh") == caught.value.localized("zh")


def test_a_file_error_keeps_the_file_name_as_it_is() -> None:
    err = InputFileError("地块.shp", Msg("must_be_positive", name="area", value=0))
    assert str(err) == "地块.shp: area must be > 0, got 0"
    assert err.localized("zh") == "地块.shp: area 必须大于 0，当前为 0"


def test_plain_text_errors_and_other_exceptions_read_as_they_are() -> None:
    assert PlannerError("plain").localized("zh") == "plain"
    assert localized(ValueError("boom"), "zh") == "boom"


def test_a_field_that_is_a_planner_error_takes_the_same_language() -> None:
    inner = ConfigError(Msg("must_be_positive", name="a", value=0))
    outer = Msg("config.in_source", source="c.toml", detail=inner)
    assert outer == "c.toml: a must be > 0, got 0"
    assert outer.localized("zh") == "c.toml：a 必须大于 0，当前为 0"
    # other errors (GDAL's, Python's) read as their own words in every language
    plain = Msg("config.in_source", source="c.toml", detail=ValueError("bad"))
    assert plain.localized("zh") == "c.toml：bad"


def test_words_are_joined_in_each_language() -> None:
    kinds = either([Msg("layers.kind_point"), Msg("layers.kind_polygon")])
    assert str(kinds) == "point or polygon" and localized(kinds, "zh") == "点或面"
    names = listing(["甲", "乙", "丙"])
    assert str(names) == "甲, 乙, 丙" and localized(names, "zh") == "甲、乙、丙"
    assert str(all_of(["x", "y"])) == "x and y" and localized(all_of(["x", "y"]), "zh") == "x和y"
    assert either(["only"]) == "only" and listing([]) == ""


def test_error_text_is_a_str_that_keeps_its_languages() -> None:
    err = InputFileError("a.shp", Msg("common.file_not_found"))
    text = ErrorText(err)
    assert text == "a.shp: file not found" and isinstance(text, str)
    assert localized(text, "zh") == "a.shp: 找不到该文件"
    assert localized(pickle.loads(pickle.dumps(text)), "zh") == "a.shp: 找不到该文件"
    assert localized(ErrorText(ValueError("boom")), "zh") == "boom"


def test_a_source_that_is_a_message_is_localized_too() -> None:
    err = InputFileError(Msg("io.the_upload"), Msg("io.no_upload"))
    assert str(err) == "upload: no file was uploaded"
    assert err.localized("zh") == "上传: 没有上传任何文件"
