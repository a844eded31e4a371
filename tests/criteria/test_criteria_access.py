import numpy as np
import pytest
from shapely.geometry import LineString, Point, box

from planner.access.distances import StraightLineDistance
from planner.criteria.access import (
    covered_by,
    nearest_distance_m,
    residents_within,
    street_distance_m,
)
from tests.conftest import gdf

D = StraightLineDistance()


def test_nearest_distance_edge_to_edge():
    plots = gdf([box(0, 0, 10, 10), box(100, 0, 110, 10)], plot_id=["a", "b"])
    green = gdf([box(-50, 0, -40, 10), box(300, 0, 310, 10)])
    d = nearest_distance_m(plots, green, D, name="nearest_green_m")
    assert d.tolist() == [40.0, 140.0]  # b: 140 m to the west park, 190 m to the east one
    assert d.name == "nearest_green_m"


def test_nearest_distance_without_targets_is_infinite():
    plots = gdf([box(0, 0, 10, 10)])
    assert np.isinf(D.nearest(plots.geometry, gdf([]).geometry)).all()


def test_residents_within_counts_home_points_once_per_plot():
    plots = gdf([box(0, 0, 10, 10), box(1000, 0, 1010, 10)])
    # representative points of 10 × 10 boxes are their centres
    res = gdf(
        [box(200, 0, 210, 10), box(305, 0, 315, 10), box(-100, 0, -90, 10)],
        population=[100.0, 50.0, 7.0],
    )
    r = residents_within(plots, res, 300.0, D)
    # centres at 205 (195 m from plot edge), 310 (300 m: inside, dwithin is ≤), -95 (95 m)
    assert r.tolist() == [157.0, 0.0]
    only = residents_within(plots, res, 300.0, D, only=np.array([True, False, True]))
    assert only.tolist() == [107.0, 0.0]


def test_covered_by_uses_radius_inclusively():
    pts = gdf([Point(0, 0), Point(0, 301), Point(0, 301.5)]).geometry
    green = gdf([box(-10, -10, 0, 1)])
    assert covered_by(pts, green, 300.0, D).tolist() == [True, True, False]


def test_street_distance():
    plots = gdf([box(0, 0, 10, 10), box(0, 100, 10, 110)])
    roads = gdf([LineString([(-50, -7), (50, -7)])])
    assert street_distance_m(plots, roads).tolist() == pytest.approx([7.0, 107.0])
