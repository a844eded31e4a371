"""One distance contract: primitives, derived methods with defaults, and no probing.

A model implementing only the two primitives (``nearest``, ``within``) answers every derived
method correctly (hand-computed, points on a line 100 m apart); the straight-line and walking
network models' faster overrides answer as the contract's defaults do; and no caller probes a
model for optional methods.
"""

from __future__ import annotations

import importlib
import re
from pathlib import Path

import geopandas as gpd
import numpy as np
import pytest
import shapely
from shapely.geometry import Point

from planner.access.distances import (
    DistanceModel,
    MemoDistance,
    Pairs,
    StraightLineDistance,
    concat_pairs,
)
from planner.access.network import NetworkDistance, build_walk_graph
from tests.access.test_network import PARK_P1, PARK_P2, PLOT_A, diamond, roads

CRS = "EPSG:4547"
X0, Y0 = 500_000.0, 3_000_000.0  # a point of the zone; offsets below are metres from it
ROOT = Path(__file__).resolve().parents[2]


def line(*xs: float) -> gpd.GeoSeries:
    """Points on one east-west line, ``xs`` metres east of (X0, Y0)."""
    return gpd.GeoSeries([Point(X0 + x, Y0) for x in xs], crs=CRS)


class PrimitivesOnly(DistanceModel):
    """Straight-line distance by brute force, with only the contract's primitives."""

    basis = "straight_line"

    def _matrix(self, origins: gpd.GeoSeries, targets: gpd.GeoSeries) -> np.ndarray:
        a = np.asarray(origins.values)[:, None]
        b = np.asarray(targets.values)[None, :]
        return shapely.distance(a, b).reshape(len(origins), len(targets))

    def nearest(self, origins: gpd.GeoSeries, targets: gpd.GeoSeries) -> np.ndarray:
        if len(targets) == 0:
            return np.full(len(origins), np.inf)
        return self._matrix(origins, targets).min(axis=1)

    def within(self, origins: gpd.GeoSeries, targets: gpd.GeoSeries, radius: float) -> Pairs:
        m = self._matrix(origins, targets) if len(targets) else np.zeros((len(origins), 0))
        o, t = np.nonzero(m <= radius)
        return Pairs(o.astype(np.intp), t.astype(np.intp), m[o, t])


# origins at 0, 260 and 5000 m; targets at 0, 100, 200, 300 m
ORIGINS = line(0.0, 260.0, 5000.0)
TARGETS = line(0.0, 100.0, 200.0, 300.0)
VALUES = np.array([1.0, 10.0, 100.0, 1000.0])


@pytest.fixture(params=["bare", "memo"])
def bare(request) -> DistanceModel:  # noqa: ANN001
    model = PrimitivesOnly()
    return model if request.param == "bare" else MemoDistance(model)


def test_primitives_are_required():
    class NoWithin(DistanceModel):
        basis = "straight_line"

        def nearest(self, origins, targets):  # noqa: ANN001, ANN202
            return np.zeros(len(origins))

    with pytest.raises(TypeError, match="within"):
        NoWithin()
    assert DistanceModel.nested_radii is False


def test_defaults_from_primitives_hand_computed(bare):
    np.testing.assert_array_equal(bare.nearest(ORIGINS, TARGETS), [0.0, 40.0, 4700.0])
    d, j = bare.nearest_index(ORIGINS, TARGETS)
    np.testing.assert_array_equal(d, [0.0, 40.0, 4700.0])
    np.testing.assert_array_equal(j, [0, 3, 3])
    np.testing.assert_array_equal(bare.within_any(ORIGINS, TARGETS, 30.0), [True, False, False])
    np.testing.assert_array_equal(bare.within_any(ORIGINS, TARGETS, 40.0), [True, True, False])
    chunks = list(bare.iter_pairs(ORIGINS, TARGETS, 100.0))
    p = concat_pairs(chunks)
    np.testing.assert_array_equal(p.origin, [0, 0, 1, 1])
    np.testing.assert_array_equal(p.target, [0, 1, 2, 3])
    np.testing.assert_allclose(p.distance, [0.0, 100.0, 60.0, 40.0])
    # 0 m: targets at 0 and 100 m; 260 m: at 200 (60 m) and 300 (40 m); 5000 m: none
    np.testing.assert_array_equal(
        bare.sum_values_within(ORIGINS, TARGETS, VALUES, 100.0), [11.0, 1100.0, 0.0]
    )
    np.testing.assert_array_equal(
        bare.sum_values_within_radii(ORIGINS, TARGETS, VALUES, [50.0, 100.0, 50.0]),
        [[1.0, 11.0, 1.0], [1000.0, 1100.0, 1000.0], [0.0, 0.0, 0.0]],
    )
    assert bare.origin_basis(ORIGINS).tolist() == ["straight_line"] * 3


def test_defaults_with_reduce_and_nothing_to_find(bare):
    got = list(bare.iter_pairs(ORIGINS, TARGETS, 100.0, reduce=len))
    assert sum(got) == 4
    none = line()
    d, j = bare.nearest_index(ORIGINS, none)
    assert np.isinf(d).all() and (j == -1).all()
    assert not bare.within_any(ORIGINS, none, 1e9).any()
    np.testing.assert_array_equal(
        bare.sum_values_within(ORIGINS, none, np.array([]), 100.0), [0.0, 0.0, 0.0]
    )


def test_unordered_within_is_ordered_by_the_default_iter_pairs():
    class Reversed(PrimitivesOnly):
        def within(self, origins, targets, radius):  # noqa: ANN001, ANN202
            p = super().within(origins, targets, radius)
            return Pairs(p.origin[::-1], p.target[::-1], p.distance[::-1])

    p = concat_pairs(list(Reversed().iter_pairs(ORIGINS, TARGETS, 100.0)))
    np.testing.assert_array_equal(p.origin, [0, 0, 1, 1])
    np.testing.assert_array_equal(p.target, [0, 1, 2, 3])


def _assert_same_answers(
    model: DistanceModel,
    origins: gpd.GeoSeries,
    targets: gpd.GeoSeries,
    values: np.ndarray,
    radii: list[float],
) -> None:
    """The model's overrides answer as the contract's defaults do, bit for bit."""
    own_d, own_j = model.nearest_index(origins, targets)
    base_d, base_j = DistanceModel.nearest_index(model, origins, targets)
    np.testing.assert_array_equal(own_d, base_d)
    np.testing.assert_array_equal(own_j, base_j)
    for r in radii:
        np.testing.assert_array_equal(
            model.within_any(origins, targets, r),
            DistanceModel.within_any(model, origins, targets, r),
        )
        own = concat_pairs(list(model.iter_pairs(origins, targets, r)))
        base = concat_pairs(list(DistanceModel.iter_pairs(model, origins, targets, r)))
        order = np.lexsort((own.target, own.origin))  # chunks may come in another order
        np.testing.assert_array_equal(own.origin[order], base.origin)
        np.testing.assert_array_equal(own.target[order], base.target)
        np.testing.assert_array_equal(own.distance[order], base.distance)
    want = np.column_stack(
        [
            np.bincount(p.origin, weights=values[p.target], minlength=len(origins))
            for p in (model.within(origins, targets, r) for r in radii)
        ]
    )
    np.testing.assert_array_equal(
        model.sum_values_within_radii(origins, targets, values, radii), want
    )
    np.testing.assert_array_equal(
        DistanceModel.sum_values_within_radii(model, origins, targets, values, radii), want
    )
    np.testing.assert_array_equal(
        MemoDistance(model).sum_values_within_radii(origins, targets, values, radii), want
    )


def test_straight_line_overrides_equal_defaults():
    origins = gpd.GeoSeries([PLOT_A, Point(130, 300), Point(950, 20)], crs=CRS)
    targets = gpd.GeoSeries([PARK_P1, PARK_P2, Point(200, -5), Point(900, 40)], crs=CRS)
    _assert_same_answers(
        StraightLineDistance(),
        origins,
        targets,
        np.array([1.0, 10.0, 100.0, 1000.0]),
        [60.0, 300.0, 2500.0],
    )


def test_network_overrides_equal_defaults():
    model = NetworkDistance(build_walk_graph(roads()))
    assert model.nested_radii
    origins = gpd.GeoSeries([PLOT_A, diamond(400, -20), Point(950, 20), Point(200, 2010)], crs=CRS)
    targets = gpd.GeoSeries([PARK_P1, PARK_P2, Point(200, -5), Point(300, 95)], crs=CRS)
    _assert_same_answers(
        model, origins, targets, np.array([1.0, 10.0, 100.0, 1000.0]), [150.0, 300.0, 2000.0]
    )
    # the memo forwards the contract explicitly, answering as the model it wraps
    memo = MemoDistance(model)
    assert memo.basis == "network" and memo.nested_radii
    np.testing.assert_array_equal(memo.origin_basis(origins), model.origin_basis(origins))
    for got, want in zip(
        memo.nearest_index(origins, targets), model.nearest_index(origins, targets), strict=True
    ):
        np.testing.assert_array_equal(got, want)
    np.testing.assert_array_equal(
        memo.within_any(origins, targets, 300.0), model.within_any(origins, targets, 300.0)
    )


def test_no_probing_for_optional_methods():
    """Callers call the contract; nobody asks a model whether it has a method."""
    probe = re.compile(r"\bhasattr\(|__getattr__|getattr\((distances|model|self\.model)\b")
    found = []
    for folder in ("planner/access", "planner/criteria"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            for no, text in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                if probe.search(text):
                    found.append(f"{path.relative_to(ROOT)}:{no}: {text.strip()}")
    assert not found, "\n".join(found)


def test_network_module_still_exports_the_graph_and_attach_names():
    import planner.access.attach as A
    import planner.access.graph as G
    import planner.access.network as N

    assert importlib.import_module("planner.network") is N
    for name in (
        "WalkGraph",
        "build_walk_graph",
        "walkable",
        "grade_separated",
        "NODE_GRID_M",
        "NON_WALKABLE_ROAD_CLASSES",
        "MIN_COMPONENT_M",
    ):
        assert getattr(N, name) is getattr(G, name)
    for name in ("Access", "attach", "FRONTAGE_TOLERANCE_M", "_point_on_segment"):
        assert getattr(N, name) is getattr(A, name)
    assert set(N.__all__) <= set(vars(N))
