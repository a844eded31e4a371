"""Errors of the synthetic demo city read in 中文 and English (issue 18: messages by key)."""

from __future__ import annotations

import pytest

from planner.data.synthetic import synthetic_city
from planner.errors import ConfigError


def test_bad_city_arguments_in_chinese():
    with pytest.raises(ConfigError) as caught:
        synthetic_city(n_plots=0, n_buildings=10)
    assert str(caught.value) == "synthetic city: n_plots must be at least 1"
    assert caught.value.localized("zh") == "合成示范城市：n_plots（地块数）至少为 1"
    with pytest.raises(ConfigError) as caught:
        synthetic_city(n_plots=5, n_buildings=-1)
    assert str(caught.value) == "synthetic city: n_buildings must be an integer >= 0, got -1"
    assert caught.value.localized("zh") == (
        "合成示范城市：n_buildings 必须是大于或等于 0 的整数，当前为 -1"
    )
