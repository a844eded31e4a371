"""Errors of the configuration read in 中文 and English (issue 18: messages by key)."""

from __future__ import annotations

import pytest

from planner.config import PlannerConfig
from planner.errors import ConfigError
from planner.parallel import resolve_workers


def _load(tmp_path, text: str) -> PlannerConfig:
    p = tmp_path / "规划.toml"
    p.write_text(text, encoding="utf-8")
    return PlannerConfig.from_toml(p)


def test_a_negative_weight_names_the_file_and_key(tmp_path):
    with pytest.raises(ConfigError) as caught:
        _load(tmp_path, "[weights.pocket_park]\ngreen_gap = -1\n")
    p = tmp_path / "规划.toml"
    assert str(caught.value) == f"{p}: weights.pocket_park.green_gap must be a number >= 0, got -1"
    assert caught.value.localized("zh") == (
        f"{p}：weights.pocket_park.green_gap 必须是大于或等于 0 的数，当前为 -1"
    )


def test_not_toml_keeps_the_parser_words(tmp_path):
    with pytest.raises(ConfigError) as caught:
        _load(tmp_path, "[weights\n")
    p = tmp_path / "规划.toml"
    en = str(caught.value)
    assert en.startswith(f"{p}: not valid TOML (")
    detail = en[len(f"{p}: not valid TOML (") : -1]
    assert caught.value.localized("zh") == f"{p}：不是有效的 TOML 文件（{detail}）"


def test_a_bad_transform_in_chinese(tmp_path):
    with pytest.raises(ConfigError) as caught:
        _load(
            tmp_path,
            '[transforms.green_gap]\nkind = "linear"\nzero_at = 300\nfull_at = 300\n',
        )
    assert "transforms.green_gap: zero_at must be different from full_at, got 300 and 300" in str(
        caught.value
    )
    assert "transforms.green_gap：zero_at 必须不同于 full_at，当前分别为 300 和 300" in (
        caught.value.localized("zh")
    )


def test_threshold_and_plan_settings_in_chinese(tmp_path):
    with pytest.raises(ConfigError) as caught:
        _load(tmp_path, "[thresholds]\nrecommend_min_score = 2\n")
    assert "thresholds.recommend_min_score must be between 0 and 1, got 2" in str(caught.value)
    assert "thresholds.recommend_min_score 必须在 0 到 1 之间，当前为 2" in (
        caught.value.localized("zh")
    )
    with pytest.raises(ConfigError) as caught:
        _load(tmp_path, "[equity]\nelderly_share = 0.7\nchild_share = 0.5\n")
    assert "equity.elderly_share + equity.child_share must not exceed 1" in str(caught.value)
    assert "之和不得超过 1" in caught.value.localized("zh")


def test_workers_in_chinese():
    with pytest.raises(ConfigError) as caught:
        resolve_workers("many")
    assert str(caught.value) == "workers must be a whole number or 'auto', got 'many'"
    assert caught.value.localized("zh") == "workers（并行进程数）必须是整数或 'auto'，当前为 'many'"
