"""Errors of walking access read in 中文 and English (issue 18: messages by key)."""

from __future__ import annotations

import numpy as np
import pytest
from shapely.geometry import box

from planner.access.fca import decay_weights
from planner.access.network import distance_model_for
from planner.errors import ConfigError
from planner.layers import Layers
from tests.conftest import gdf


def test_an_unknown_decay_lists_the_choices_in_each_language():
    with pytest.raises(ConfigError) as caught:
        decay_weights(np.array([10.0]), 300.0, decay="linear")
    assert str(caught.value) == "unknown distance decay 'linear'; use step or gaussian"
    assert caught.value.localized("zh") == "未知的距离衰减方式“linear”；请使用step或gaussian"


def test_a_zero_radius_in_chinese():
    with pytest.raises(ConfigError) as caught:
        decay_weights(np.array([10.0]), 0.0)
    assert str(caught.value) == "the catchment radius must be > 0 m, got 0.0"
    assert caught.value.localized("zh") == "服务半径必须大于 0 米，当前为 0.0"


def test_network_distances_without_roads_in_chinese():
    layers = Layers(plots=gdf([box(0, 0, 10, 10)]))
    with pytest.raises(ConfigError) as caught:
        distance_model_for(layers, basis="network")
    assert str(caught.value).startswith("network distances need a roads layer with walkable")
    assert "路网距离需要含可步行线路的道路图层" in caught.value.localized("zh")
    with pytest.raises(ConfigError) as caught:
        distance_model_for(layers, basis="crow")
    assert caught.value.localized("zh").endswith("当前为 'crow'")
