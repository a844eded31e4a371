"""Errors of reading a selection read in 中文 and English (issue 18: messages by key)."""

from __future__ import annotations

import pytest

from planner.errors import InputFileError, UnreadableFileError
from planner.indicators.selection import read_selection


def test_a_missing_selection_in_chinese(tmp_path):
    path = tmp_path / "选址.csv"
    with pytest.raises(UnreadableFileError) as caught:
        read_selection(path)
    assert str(caught.value).startswith(f"{path}: does not exist; give the output of")
    assert caught.value.localized("zh").startswith(f"{path}: 文件不存在；请提供 planner select")


def test_a_use_that_is_not_one_keeps_the_value_as_it_is(tmp_path):
    path = tmp_path / "选址.csv"
    path.write_text("plot_id,use\nP1,菜地\n", encoding="utf-8")
    with pytest.raises(InputFileError) as caught:
        read_selection(path)
    assert str(caught.value) == (
        f"{path}: column use: '菜地' is not a use; write pocket_park, parking or none"
    )
    assert caught.value.localized("zh").startswith(f"{path}: 字段 use：“菜地”不是可用的用途")


def test_no_id_column_in_chinese(tmp_path):
    path = tmp_path / "s.csv"
    path.write_text("name\nA\n", encoding="utf-8")
    with pytest.raises(InputFileError) as caught:
        read_selection(path)
    assert str(caught.value) == f"{path}: has no plot id column; name it plot_id (or id, 编号)"
    assert caught.value.localized("zh") == (
        f"{path}: 没有地块编号字段；请将字段命名为 plot_id（或 id、编号）"
    )
