"""Errors of the layers read in 中文 and English (issue 18: messages by key)."""

from __future__ import annotations

import geopandas as gpd
import pytest
from shapely.geometry import LineString, Point, box

from planner.errors import ConfigError, GeometryTypeError, NoCrsError
from planner.layers import ROLES, Layers, prepare_layers, role_description
from tests.conftest import gdf


def test_points_given_as_plots_in_both_languages():
    layers = Layers(plots=gdf([Point(0, 0)]), sources={"plots": "地块.geojson"})
    with pytest.raises(GeometryTypeError) as caught:
        prepare_layers(layers, crs="EPSG:4548")
    assert str(caught.value) == (
        "地块.geojson: layer 'plots' (idle / candidate plots) needs polygon geometries, found point"
    )
    assert caught.value.localized("zh") == (
        "地块.geojson: 图层“plots”（闲置/候选地块）需要面几何类型，实际为点"
    )


def test_several_kinds_are_joined_in_each_language():
    # car parks take points or polygons; lines and points found
    plots = gdf([box(0, 0, 10, 10)])
    parking = gdf([LineString([(0, 0), (1, 1)])])
    with pytest.raises(GeometryTypeError) as caught:
        prepare_layers(Layers(plots=plots, parking=parking), crs="EPSG:4548")
    assert "needs point or polygon geometries, found line" in str(caught.value)
    assert "需要点或面几何类型，实际为线" in caught.value.localized("zh")


def test_a_layer_without_crs_in_chinese():
    plots = gpd.GeoDataFrame(geometry=[box(0, 0, 1, 1)])
    with pytest.raises(NoCrsError) as caught:
        prepare_layers(Layers(plots=plots, sources={"plots": "plots.shp"}))
    assert str(caught.value).startswith("plots.shp: layer 'plots' has no CRS; declare it")
    assert caught.value.localized("zh") == (
        "plots.shp: 图层“plots”没有坐标系；请声明坐标系（如 --crs EPSG:4490）或补充 .prj 文件"
    )


def test_unknown_roles_are_a_config_error_in_both_languages():
    with pytest.raises(ConfigError) as caught:
        Layers.from_mapping({"plots": gdf([box(0, 0, 1, 1)]), "trees": gdf([Point(0, 0)])})
    assert str(caught.value).startswith("unknown layer role(s): trees; roles are plots, green")
    assert caught.value.localized("zh").startswith("未知的图层类型：trees；可用的类型为 plots")
    assert isinstance(caught.value, ValueError)  # callers catching ValueError still do


def test_each_role_description_is_its_message():
    for role, spec in ROLES.items():
        assert role_description(role) == spec.description
        assert role_description(role).localized("zh") != spec.description
