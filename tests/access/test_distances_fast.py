"""The straight-line model's fast paths and the memo give the exact, hand-computed answers."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pytest
import shapely

from planner.access.distances import (
    NEAREST_FIRST_PASS_M,
    MemoDistance,
    Pairs,
    StraightLineDistance,
    geometry_fingerprint,
)


def gs(geoms):
    return gpd.GeoSeries(geoms, crs="EPSG:4548")


@pytest.fixture
def square_and_points():
    # a 10 × 10 m square at the origin; points at hand-computed distances from its edge
    square = gs([shapely.box(0, 0, 10, 10)])
    points = gs(
        shapely.points(
            [
                (5, 5),  # inside: 0
                (13, 4),  # 3 m east of the edge
                (13, 14),  # corner (10, 10): hypot(3, 4) = 5 m
                (10, 16),  # 6 m north, right above the corner
                (14, 14),  # corner: hypot(4, 4) = 5.657 m
                (-6, 5),  # 6 m west
                (30, 30),  # far: hypot(20, 20) = 28.3 m
            ]
        )
    )
    return square, points


def test_within_exact_pairs_and_boundary(square_and_points):
    square, points = square_and_points
    pairs = StraightLineDistance().within(square, points, 6.0)
    # at most 6 m: inside, 3 m, 5 m, exactly 6 m (twice) and 5.657 m
    np.testing.assert_array_equal(pairs.target, [0, 1, 2, 3, 4, 5])
    np.testing.assert_array_equal(pairs.origin, np.zeros(6, dtype=int))
    np.testing.assert_allclose(pairs.distance, [0, 3, 5, 6, np.hypot(4, 4), 6])
    pairs = StraightLineDistance().within(square, points, 5.5)
    np.testing.assert_array_equal(pairs.target, [0, 1, 2])


def test_within_orders_by_origin_then_target():
    origins = gs([shapely.Point(100, 0), shapely.Point(0, 0)])
    targets = gs(shapely.points([(1, 0), (99, 0), (0, 1), (101, 0), (0, -2)]))
    pairs = StraightLineDistance().within(origins, targets, 2.5)
    np.testing.assert_array_equal(pairs.origin, [0, 0, 1, 1, 1])
    np.testing.assert_array_equal(pairs.target, [1, 3, 0, 2, 4])
    np.testing.assert_allclose(pairs.distance, [1, 1, 1, 1, 2])


def test_nearest_beyond_the_first_pass():
    origins = gs([shapely.Point(0, 0), shapely.Point(0, 10)])
    far = NEAREST_FIRST_PASS_M + 500.0
    targets = gs([shapely.Point(far, 0), shapely.Point(0, 13)])
    d = StraightLineDistance().nearest(origins, targets)
    np.testing.assert_allclose(d, [13.0, 3.0])
    d = StraightLineDistance().nearest(origins[:1], targets[:1])
    np.testing.assert_allclose(d, [far])
    assert np.isinf(StraightLineDistance().nearest(origins, gs([]))).all()


def test_pairs_distance_computed_once_on_first_use():
    calls = []

    def fn():
        calls.append(1)
        return np.array([1.5, 2.5])

    p = Pairs(np.array([0, 1]), np.array([1, 0]), distance_fn=fn)
    assert calls == [] and len(p) == 2
    np.testing.assert_array_equal(p.distance, [1.5, 2.5])
    np.testing.assert_array_equal(p.distance, [1.5, 2.5])
    assert calls == [1]
    with pytest.raises(ValueError, match="distance"):
        Pairs(np.array([0]), np.array([0]))


class CountingModel(StraightLineDistance):
    def __init__(self):
        self.calls = 0

    def within(self, origins, targets, radius):
        self.calls += 1
        return super().within(origins, targets, radius)

    def nearest(self, origins, targets):
        self.calls += 1
        return super().nearest(origins, targets)


def test_memo_answers_repeats_once(square_and_points):
    square, points = square_and_points
    model = CountingModel()
    memo = MemoDistance(model)
    first = memo.within(square, points, 6.0)
    # equal geometries in new objects are recognised by content
    again = memo.within(gs([shapely.box(0, 0, 10, 10)]), gs(points.values.copy()), 6.0)
    assert again is first and model.calls == 1
    memo.within(square, points, 5.5)  # another radius: another question
    assert model.calls == 2
    d = memo.nearest(points, square)
    d[:] = -1  # callers may change their copy
    np.testing.assert_allclose(memo.nearest(points, square)[:3], [0, 3, 5])
    assert model.calls == 3
    assert memo.basis == "straight_line"


def test_fingerprint_sees_coordinates_and_structure():
    a = geometry_fingerprint(gs([shapely.box(0, 0, 1, 1)]))
    assert a == geometry_fingerprint(gs([shapely.box(0, 0, 1, 1)]))
    assert a != geometry_fingerprint(gs([shapely.box(0, 0, 1, 2)]))
    assert geometry_fingerprint(gs([shapely.LineString([(0, 0), (1, 1)])])) != geometry_fingerprint(
        gs([shapely.MultiPoint([(0, 0), (1, 1)])])
    )


def test_chunked_pairs_equal_one_pass(monkeypatch, square_and_points):
    from planner.access import distances as D

    _, points = square_and_points
    origins = gs(
        [
            shapely.box(0, 0, 10, 10),
            shapely.Point(30, 30),
            shapely.Point(-6, 0),
            shapely.box(12, 0, 14, 2),
            shapely.Point(100, 100),
        ]
    )
    whole = StraightLineDistance().within(origins, points, 6.0)
    monkeypatch.setattr(D, "ORIGINS_PER_CHUNK", 2)
    chunks = list(StraightLineDistance().iter_pairs(origins, points, 6.0))
    assert len(chunks) == 3  # origins 0-1, 2-3, 4
    joined = D.concat_pairs(chunks)
    np.testing.assert_array_equal(joined.origin, whole.origin)
    np.testing.assert_array_equal(joined.target, whole.target)
    np.testing.assert_allclose(joined.distance, whole.distance)
    # by hand: (-6, 0) is 5 m from (-6, 5); the box 12–14 × 0–2 is 2 m from (13, 4);
    # (30, 30) is the point (30, 30); nothing within 6 m of (100, 100)
    np.testing.assert_array_equal(chunks[1].origin, [2, 3])
    np.testing.assert_array_equal(chunks[1].target, [5, 1])
    np.testing.assert_array_equal(chunks[0].origin[-1:], [1])
    np.testing.assert_array_equal(chunks[0].target[-1:], [6])
    assert len(chunks[2]) == 0


def test_streamed_sums_equal_pair_sums_and_keep_pairs_under_budget(monkeypatch, square_and_points):
    from planner.access import distances as D

    square, points = square_and_points
    values = np.array([1.5, 2.0, 4.0, 8.0, 16.0, 32.0, 64.0])
    monkeypatch.setattr(D, "ORIGINS_PER_CHUNK", 1)
    origins = gs([shapely.box(0, 0, 10, 10), shapely.Point(13, 4)])
    model = CountingModel()
    memo = MemoDistance(model)
    # square: 0, 3, 5, 6, 5.657, 6 m -> first six; (13, 4): itself 0, (5,5) 8.06, (13,14) 10
    got = memo.sum_values_within(origins, points, values, 6.0)
    np.testing.assert_allclose(got, [1.5 + 2 + 4 + 8 + 16 + 32, 2.0])
    assert model.calls == 0  # streamed through iter_pairs, not within
    memo.within(origins, points, 6.0)
    assert model.calls == 0  # the streamed pairs were kept and answer within
    monkeypatch.setattr(D, "PAIRS_KEPT_MAX", 1)
    memo.sum_values_within(origins, points, values, 9.0)
    memo.within(origins, points, 9.0)
    assert model.calls == 1  # too many pairs to keep: within had to search again


def test_fingerprint_remembered_per_array_and_forgotten_with_it(monkeypatch):
    import gc

    from planner.access import distances as D

    calls = []
    real = D.geometry_fingerprint
    monkeypatch.setattr(D, "geometry_fingerprint", lambda a: calls.append(1) or real(a))
    a = gpd.GeoSeries([shapely.Point(0, 0), shapely.box(0, 0, 1, 1)])
    b = gpd.GeoSeries([shapely.Point(0, 0), shapely.box(0, 0, 1, 1)])  # equal content
    first = D.remembered_fingerprint(a)
    assert D.remembered_fingerprint(a) == first and len(calls) == 1  # once per array
    assert D.remembered_fingerprint(b) == first and len(calls) == 2  # same content, same key
    c = gpd.GeoSeries([shapely.Point(0, 1), shapely.box(0, 0, 1, 1)])
    assert D.remembered_fingerprint(c) != first
    key = id(np.asarray(c.values))
    assert key in D._FINGERPRINTS
    del c
    gc.collect()
    assert key not in D._FINGERPRINTS  # forgotten with its array
