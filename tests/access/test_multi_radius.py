"""Several radii from one walking search equal separate searches (issue 8, speed).

Scene: the hand-built streets of ``tests/access/test_network.py`` (S at y=0 and N at y=100, joined
only by the footway at x=900; a motorway between them that cannot be walked).
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
from shapely.geometry import LineString, Point

from planner.access.distances import MemoDistance
from planner.access.network import NetworkDistance, build_walk_graph
from planner.criteria.access import sum_within, sum_within_radii
from tests.access.test_network import CRS, PARK_P1, PLOT_A, diamond, gs, roads


class CountingNetwork(NetworkDistance):
    """A network model that records the radius of each streamed search."""

    def __init__(self, *args, **kwargs) -> None:  # noqa: ANN002, ANN003
        super().__init__(*args, **kwargs)
        self.searches: list[float] = []

    def iter_within(self, origins, targets, radius, **kwargs):  # noqa: ANN001, ANN003, ANN201
        self.searches.append(float(radius))
        yield from super().iter_within(origins, targets, radius, **kwargs)


def test_radii_from_one_search_hand_built():
    model = CountingNetwork(build_walk_graph(roads()))
    memo = MemoDistance(model)
    plots = gs(PLOT_A, PARK_P1)
    homes = gs(Point(200, -5), Point(300, 95), Point(950, 20))
    got = memo.sum_values_within_radii(
        plots, homes, np.array([1.0, 10.0, 100.0]), [300.0, 1000.0, 2000.0]
    )
    # A -> (200,-5): 10 + 100 + 5 = 115; -> (950,20): 10 + 850 + 20 = 880;
    #   -> (300,95): 10 + 800 + 100 + 600 + 5 = 1515
    # P1 -> (300,95): 215; -> (950,20): 10 + 800 + 100 + 20 = 930; -> (200,-5): 1815
    assert got.tolist() == [[1.0, 101.0, 111.0], [10.0, 110.0, 111.0]]
    assert model.searches == [2000.0]  # one search, at the largest radius
    # the 300 m pairs were kept: asking for them needs no new search, and they are exact
    p = memo.within(plots, homes, 300.0)
    assert model.searches == [2000.0]
    assert p.origin.tolist() == [0, 1] and p.target.tolist() == [0, 1]
    assert p.distance.tolist() == [115.0, 215.0]
    # the smallest radius, already answered, is summed from its kept pairs
    again = memo.sum_values_within_radii(plots, homes, np.array([1.0, 1.0, 1.0]), [300.0])
    assert again[:, 0].tolist() == [1.0, 1.0] and model.searches == [2000.0]
    # larger radii keep no pairs (at city scale they are hundreds of millions): a new search
    again = memo.sum_values_within_radii(plots, homes, np.array([1.0, 1.0, 1.0]), [1000.0])
    assert again[:, 0].tolist() == [2.0, 2.0] and model.searches == [2000.0, 1000.0]


def test_radii_from_one_search_equal_separate_searches_bit_for_bit():
    rng = np.random.default_rng(8)
    xs = np.arange(0, 2001, 100.0)
    lines = [LineString([(0, y), (2000, y)]) for y in xs] + [
        LineString([(x, 0), (x, 2000)]) for x in xs
    ]
    grid = gpd.GeoDataFrame({"road_class": ["residential"] * len(lines)}, geometry=lines, crs=CRS)
    graph = build_walk_graph(grid)
    pts = rng.uniform(0, 2000, size=(400, 2))
    plots = gpd.GeoDataFrame(geometry=[diamond(x, y, 5) for x, y in pts[:80]], crs=CRS)
    # some homes far off the grid: reached by straight line x detour factor
    homes = gpd.GeoSeries([Point(x, y) for x, y in pts[80:]] + [Point(2100, 500)], crs=CRS)
    values = rng.uniform(0, 50, size=len(homes))
    radii = {"r300": 300.0, "r500": 500.0, "r1000": 1000.0}
    one = sum_within_radii(plots, homes, values, radii, MemoDistance(NetworkDistance(graph)))
    for name, r in radii.items():
        alone = sum_within(plots, homes, values, r, MemoDistance(NetworkDistance(graph)), name=name)
        assert one[name].to_numpy().tobytes() == alone.to_numpy().tobytes()
        assert (alone > 0).any()
    # and the kept pairs of each radius are those of a separate search
    memo = MemoDistance(NetworkDistance(graph))
    memo.sum_values_within_radii(plots.geometry, homes, values, list(radii.values()))
    for r in radii.values():
        kept = memo.within(plots.geometry, homes, r)
        fresh = NetworkDistance(graph).within(plots.geometry, homes, r)
        assert kept.origin.tolist() == fresh.origin.tolist()
        assert kept.target.tolist() == fresh.target.tolist()
        assert kept.distance.tobytes() == fresh.distance.tobytes()


def test_runs_of_origins_put_in_origin_order_without_holding_the_chunks():
    import gc
    import weakref

    from planner.access.distances import Pairs, concat_pairs, in_origin_order

    # two chunks, each origin's pairs one run in target order, origins interleaved
    a = Pairs(np.array([4, 4, 9]), np.array([1, 7, 0]), np.array([4.1, 4.7, 9.0]))
    b = Pairs(np.array([2, 2, 6]), np.array([3, 5, 8]), np.array([2.3, 2.5, 6.8]))
    seen = weakref.ref(a.origin)
    p = in_origin_order(concat_pairs([a, b]))
    assert p.origin.tolist() == [2, 2, 4, 4, 6, 9]
    assert p.target.tolist() == [3, 5, 1, 7, 8, 0]
    del a
    gc.collect()
    assert seen() is None  # the chunk's origins are not kept for the distances
    assert p.distance.tolist() == [2.3, 2.5, 4.1, 4.7, 6.8, 9.0]
    ordered = in_origin_order(b)
    assert ordered is b  # already in order: as it is
    one = Pairs(np.array([3]), np.array([0]), np.array([1.0]))
    assert in_origin_order(one) is one
