import math

import pytest
from shapely.geometry import Point, Polygon, box

from planner.criteria.shape import area_m2, compactness, min_width_m
from tests.conftest import gdf


def test_area_of_rectangle_and_triangle():
    plots = gdf([box(0, 0, 50, 30), Polygon([(0, 0), (40, 0), (0, 30)])])
    assert area_m2(plots).tolist() == [1500.0, 600.0]
    assert area_m2(plots).name == "area_m2"


def test_compactness_known_shapes():
    plots = gdf(
        [
            box(0, 0, 10, 10),
            box(0, 0, 10, 40),
            box(0, 0, 10, 100),
            Point(0, 0).buffer(10, quad_segs=64),
        ]
    )
    c = compactness(plots)
    assert c.iloc[0] == pytest.approx(math.pi / 4)  # square: 4π·100/40²
    assert c.iloc[1] == pytest.approx(4 * math.pi * 400 / 100**2)  # 1×4: 0.503
    assert c.iloc[2] == pytest.approx(4 * math.pi * 1000 / 220**2)  # 1×10: 0.260
    assert c.iloc[3] == pytest.approx(1.0, abs=1e-3)


def test_min_width_rectangle_strip_and_l_shape():
    l_shape = box(0, 0, 60, 15).union(box(0, 0, 15, 60))
    plots = gdf([box(0, 0, 50, 30), box(0, 0, 6, 100), l_shape], plot_id=["r", "s", "l"])
    w = min_width_m(plots)
    assert w.iloc[0] == pytest.approx(30.0, abs=0.1)
    assert w.iloc[1] == pytest.approx(6.0, abs=0.1)
    # the largest circle of the L sits in its corner, touching both outer edges and the
    # inner corner (15, 15): centre (r, r) with √2·(15 − r) = r, so r = 15√2 / (1 + √2)
    r = 15 * math.sqrt(2) / (1 + math.sqrt(2))
    assert w.iloc[2] == pytest.approx(2 * r, abs=0.1)
    assert list(w.index) == [0, 1, 2]
