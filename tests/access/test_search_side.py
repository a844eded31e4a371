"""``NetworkDistance.sum_within`` searching from the smaller side (the targets when fewer).

The graph: a 3 × 3 lattice of nodes 100 m apart (x = 0, 100, 200 and y = 0, 100, 200),
12 streets of 100 m each.
"""

from __future__ import annotations

from dataclasses import replace

import geopandas as gpd
import numpy as np
import pytest
from shapely.geometry import Point

import planner.access.network as network
from planner.access.network import NetworkDistance, WalkGraph

CRS = "EPSG:4547"


def lattice() -> WalkGraph:
    xy = np.array([(x, y) for y in (0.0, 100.0, 200.0) for x in (0.0, 100.0, 200.0)])
    pairs = [(0, 1), (1, 2), (3, 4), (4, 5), (6, 7), (7, 8)]  # east-west streets
    pairs += [(0, 3), (3, 6), (1, 4), (4, 7), (2, 5), (5, 8)]  # north-south streets
    u, v = np.array(pairs).T
    return WalkGraph.from_segments(xy[u], xy[v], crs=CRS, min_component_m=0)


def points(*xy: tuple[float, float]) -> gpd.GeoSeries:
    return gpd.GeoSeries([Point(p) for p in xy], crs=CRS)


def test_fewer_targets_search_from_them_with_the_hand_sums():
    # plots (0, 0), (100, 200), (200, 0); homes (50, 0) of 10 and (200, 150) of 1 residents.
    # Walks by hand: (0,0)-(50,0) 50, (0,0)-(200,150) 350, (100,200)-(50,0) 250,
    # (100,200)-(200,150) 150, (200,0)-(50,0) 150, (200,0)-(200,150) 150
    model = NetworkDistance(lattice())
    plots = points((0, 0), (100, 200), (200, 0))
    homes = points((50, 0), (200, 150))
    w = np.array([10.0, 1.0])
    assert model._search_from_targets(len(plots), len(homes), w)
    got = model.sum_within(plots, homes, w, [100.0, 200.0, 300.0, 400.0])
    assert got.tolist() == [
        [10.0, 10.0, 10.0, 11.0],
        [0.0, 1.0, 11.0, 11.0],
        [0.0, 11.0, 11.0, 11.0],
    ]


def test_both_sides_give_the_same_sums(monkeypatch):
    # a jittered 12 x 12 lattice, 60 plots and 25 homes on random points of its streets:
    # searching from the homes (fewer) and from the plots gives the same sums, bit for bit
    rng = np.random.default_rng(3)
    n = 12
    xy = np.array([(x * 90.0, y * 90.0) for y in range(n) for x in range(n)])
    xy += rng.uniform(-15, 15, xy.shape)
    ids = np.arange(n * n).reshape(n, n)
    u = np.r_[ids[:, :-1].ravel(), ids[:-1, :].ravel()]
    v = np.r_[ids[:, 1:].ravel(), ids[1:, :].ravel()]
    g = WalkGraph.from_segments(xy[u], xy[v], crs=CRS, min_component_m=0)
    s = rng.integers(0, len(u), 85)
    f = rng.uniform(0, 1, (85, 1))
    pts = xy[u[s]] * f + xy[v[s]] * (1 - f) + rng.uniform(-5, 5, (85, 2))
    plots, homes = points(*pts[:60]), points(*pts[60:])
    w = rng.integers(1, 500, 25).astype(float)
    radii = [150.0, 300.0, 600.0]
    model = NetworkDistance(g)
    assert model._search_from_targets(60, 25, w)
    swapped = model.sum_within(plots, homes, w, radii)
    monkeypatch.setattr(network, "SEARCH_SMALLER_SIDE_RATIO", 1e9)
    assert not model._search_from_targets(60, 25, w)
    direct = model.sum_within(plots, homes, w, radii)
    np.testing.assert_array_equal(swapped, direct)
    # and each equals the sum over within's pairs
    p = model.within(plots, homes, 300.0)
    want = np.bincount(p.origin, weights=w[p.target], minlength=60)
    np.testing.assert_array_equal(swapped[:, 1], want)
    assert (swapped[:, 2] > swapped[:, 0]).sum() > 30  # the radii matter here


@pytest.mark.parametrize(
    ("n_plots", "weights", "swapped"),
    [(3, [10.0, 1.0], True), (2, [10.0, 1.0], False), (3, [10.5, 1.0], False)],
)
def test_the_side_rule(n_plots, weights, swapped):
    # more origins than targets, whole weights: from the targets; equal counts or weights
    # with fractions (whose sums could change in the last bit with the order): from the plots
    model = NetworkDistance(lattice())
    assert model._search_from_targets(n_plots, 2, np.array(weights)) is swapped


def test_a_one_way_graph_is_searched_from_the_origins():
    # the street (100,100)->(200,100) costs 1,000 m one way and 100 m back. The plot at
    # (0, 150) walks to the home at (200, 50) in 50 + 100 + 100 + 100 + 50 = 400 m at best
    # (by (0,100), (0,0), (100,0), (200,0)); the home walks back to it in 50 + 100 + 100 +
    # 50 = 300 m (by (200,100), (100,100), (0,100)): searching from the home would be wrong
    g = lattice()
    ids = {tuple(p): k for k, p in enumerate(g.xy.tolist())}
    m = g.matrix.tolil()
    m[ids[(100.0, 100.0)], ids[(200.0, 100.0)]] = 1000.0
    g = replace(g, matrix=m.tocsr())
    model = NetworkDistance(g)
    plots = points((0, 150), (0, 200), (100, 200))
    homes = points((200, 50))
    w = np.array([7.0])
    assert not model._search_from_targets(3, 1, w)
    got = model.sum_within(plots, homes, w, [300.0, 399.0, 400.0])
    assert got[0].tolist() == [0.0, 0.0, 7.0]
