"""Car-road frontage: one function for the parking score and the stall layout."""

import geopandas as gpd
import pytest
from shapely.geometry import LineString, box

from planner.criteria.parking import car_frontage_m
from planner.parking.frontage import car_road_frontage
from planner.parking.layout import layout_plots
from tests.conftest import METRIC, gdf

#: A 20 m × 30 m plot, its 30 m side along the x axis.
PLOT = box(0, 0, 30, 20)


def test_plot_touching_a_road_along_its_long_side():
    plots = gdf([PLOT])
    # the street's centre line is the plot's 30 m edge and runs past both corners: the
    # whole 30 m side, and 10 m (the buffer) up each 20 m side
    roads = gdf([LineString([(-100, 0), (200, 0)])], car_access=[True])
    front = car_road_frontage(plots.geometry, roads, 10.0)
    assert front.length.tolist() == pytest.approx([50.0])
    # 2 m buffer: 30 m plus 2 m up each side
    assert car_road_frontage(plots.geometry, roads, 2.0).length.tolist() == pytest.approx([34.0])


def test_score_and_layout_measure_the_same_frontage():
    plots = gdf([PLOT, box(0, 100, 30, 120), box(100, 0, 130, 20)])
    # a street 5 m south of the first plot; the second plot is far from it; a footway
    # along the third plot does not count
    roads = gdf(
        [LineString([(-100, -5), (60, -5)]), LineString([(90, -5), (140, -5)])],
        car_access=[True, False],
    )
    # first plot: 30 m side plus the lowest 5 m of each 20 m side
    expected = [40.0, 0.0, 0.0]
    score = car_frontage_m(plots, roads, 10.0)
    assert score.name == "car_frontage_m"
    assert score.tolist() == pytest.approx(expected)
    layout = layout_plots(plots, roads, geometry=False).summary["frontage_m"]
    assert layout.tolist() == score.tolist()  # the same function, to the last bit
    assert layout_plots(plots, roads, geometry=False).summary["reason"].tolist()[1:] == [
        "no access",
        "no access",
    ]


def test_corner_plot_counts_the_corner_once():
    plots = gdf([PLOT])
    # streets 5 m south and 5 m west of the plot: both zones cover the corner
    roads = gdf(
        [LineString([(-100, -5), (200, -5)]), LineString([(-5, -100), (-5, 200)])],
        car_access=[True, True],
    )
    # 30 m + 20 m along the two streets, 5 m up the east side and 5 m along the north side
    assert car_frontage_m(plots, roads, 10.0).tolist() == pytest.approx([60.0])


def test_roads_without_car_access_column_and_no_roads_layer():
    plots = gdf([PLOT])
    lines = gpd.GeoSeries([LineString([(-100, -5), (200, -5)])], crs=METRIC)
    assert car_road_frontage(plots.geometry, lines, 10.0).length.tolist() == pytest.approx([40.0])
    # no roads layer: access assumed all round, the whole perimeter
    assert car_road_frontage(plots.geometry, None, 10.0).length.tolist() == [100.0]
    empty = gdf([], car_access=[])
    f = car_road_frontage(plots.geometry, empty, 10.0)
    assert f.is_empty.tolist() == [True]
    assert f.index.equals(plots.index)


def test_boundary_exactly_at_the_frontage_distance_counts_whole():
    # the demo's plot D018: a triangle whose two legs lie 10 m (to floating-point rounding)
    # from two streets' centre lines, at non-round projected coordinates; its frontage is
    # both legs, 35.839 m + 45.468 m (it was measured as 4.4 m: the legs lay on the zones'
    # edges and rounding dropped most of them)
    from shapely.geometry import Polygon

    tri = Polygon(
        [
            (501610.00000000023, 4330439.999999999),
            (501645.8390116669, 4330440),
            (501610.0000000009, 4330394.532269072),
        ]
    )
    north = LineString([(500000, 4330449.999999999), (502400.00000000035, 4330450)])
    west = LineString([(501600.0000000007, 4330000), (501599.9999999991, 4331799.999999999)])
    roads = gdf([north, west], car_access=[True, True])
    legs = 35.8390116669 + (4330439.999999999 - 4330394.532269072)
    front = car_road_frontage(gdf([tri]).geometry, roads, 10.0)
    assert front.length.iloc[0] == pytest.approx(legs, abs=0.01)
