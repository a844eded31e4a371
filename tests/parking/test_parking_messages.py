"""Errors of the parking layout and demand read in 中文 and English (issue 18)."""

from __future__ import annotations

import pytest
from shapely.geometry import box

from planner.errors import ConfigError
from planner.parking.demand import DemandParams
from planner.parking.layout import LayoutParams, layout_plots
from tests.conftest import gdf


def test_a_negative_stall_width_in_chinese():
    with pytest.raises(ConfigError) as caught:
        LayoutParams(stall_width_m=-2.5)
    assert str(caught.value) == "parking layout stall_width_m must be > 0, got -2.5"
    assert caught.value.localized("zh") == "停车布置参数 stall_width_m 必须大于 0，当前为 -2.5"


def test_an_unknown_pattern_and_a_demand_order_in_chinese():
    with pytest.raises(ConfigError) as caught:
        LayoutParams(patterns=("diagonal_zigzag",))
    assert "parking layout patterns must be among" in str(caught.value)
    assert "停车布置形式必须取自" in caught.value.localized("zh")
    with pytest.raises(ConfigError) as caught:
        DemandParams(supply_ratio_min=2.0, supply_ratio_max=1.0)
    assert "supply_ratio_min（最低供需比）不得大于" in caught.value.localized("zh")


def test_plots_in_degrees_are_refused_in_chinese():
    plots = gdf([box(117.0, 39.0, 117.001, 39.001)], crs="EPSG:4326")
    with pytest.raises(ConfigError) as caught:
        layout_plots(plots)
    assert str(caught.value).startswith("parking layout needs plots in a projected (metric) CRS")
    assert "停车布置需要地块使用投影（以米为单位的）坐标系" in caught.value.localized("zh")
