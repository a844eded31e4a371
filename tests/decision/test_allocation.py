import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import Point, box

from planner.decision.allocation import (
    AllocationProblem,
    Targets,
    allocate,
    brute_force_allocation,
    near_category,
    problem_from_scores,
    solve_allocation,
)
from planner.errors import ConfigError, InfeasibleTargetsError
from planner.layers import Layers

CRS = "EPSG:4547"


def _problem(n, seed):
    rng = np.random.default_rng(seed)
    area = rng.integers(4, 40, n).astype(float) * 100.0  # 400 .. 3,900 m²
    return AllocationProblem(
        benefit_park=np.round(rng.random(n), 3) * area / 10_000,
        benefit_parking=np.round(rng.random(n), 3) * area / 10_000,
        may_park=rng.random(n) < 0.85,
        may_parking=rng.random(n) < 0.85,
        area_m2=area,
        spaces=np.floor(area / 30.0),
        near_poi=rng.random(n) < 0.6,
    )


@pytest.mark.parametrize("seed", range(8))
def test_exact_allocation_equals_brute_force(seed):
    p = _problem(7, seed)
    total_area = p.area_m2.sum()
    for t in (
        Targets(),
        Targets(min_parking_spaces=40, max_park_area_m2=total_area / 4),
        Targets(min_parking_spaces=20, budget_yuan=total_area * 150),
        Targets(
            max_park_area_m2=total_area / 3,
            budget_yuan=total_area * 200,
            benefit="score",
            use_weights={"pocket_park": 1.0, "parking": 0.5},
        ),
    ):
        best = brute_force_allocation(p, t)
        if best is None:
            with pytest.raises(InfeasibleTargetsError):
                solve_allocation(p, t)
            continue
        got = solve_allocation(p, t)
        assert got.benefit == pytest.approx(best.benefit, abs=1e-9)
        # the solver's choice meets every target
        assert got.parking_spaces_near >= t.min_parking_spaces
        if t.max_park_area_m2 is not None:
            assert got.park_area_m2 <= t.max_park_area_m2 + 1e-9
        if t.budget_yuan is not None:
            assert got.cost_yuan <= t.budget_yuan + 1e-6


def test_hand_built_trade_off():
    # three 1,000 m² plots (0.1 ha). Plot 0 is near the station.
    # park scores 0.9, 0.8, 0.7; parking scores 0.5, 0.6, 0.9.
    p = AllocationProblem(
        benefit_park=np.array([0.09, 0.08, 0.07]),
        benefit_parking=np.array([0.05, 0.06, 0.09]),
        may_park=np.ones(3, bool),
        may_parking=np.ones(3, bool),
        area_m2=np.full(3, 1000.0),
        spaces=np.array([33.0, 33.0, 33.0]),
        near_poi=np.array([True, False, False]),
    )
    # no targets: each plot takes its better use: park, park, parking = 0.09+0.08+0.09
    free = solve_allocation(p, Targets())
    assert free.use.tolist() == ["pocket_park", "pocket_park", "parking"]
    assert free.benefit == pytest.approx(0.26)
    # 30 spaces near the station: plot 0 must become parking: 0.05+0.08+0.09 = 0.22
    t = Targets(min_parking_spaces=30)
    got = solve_allocation(p, t)
    assert got.use.tolist() == ["parking", "pocket_park", "parking"]
    assert got.benefit == pytest.approx(0.22)
    assert got.parking_spaces_near == 33.0
    # and at most 1,000 m² of park: the park goes to plot 1 (0.08) and plot 2 stays parking
    got = solve_allocation(p, Targets(min_parking_spaces=30, max_park_area_m2=1000.0))
    assert got.use.tolist() == ["parking", "pocket_park", "parking"]
    # budget 800,000 yuan (park 500 k, car park 300 k per plot): plot 0 parking is forced
    # (300 k, 0.05); with 500 k left, plot 2 as a car park (300 k, 0.09) beats plot 1 as a
    # park (500 k, 0.08), and three car parks (900 k) are over budget
    got = solve_allocation(p, Targets(min_parking_spaces=30, budget_yuan=800_000))
    assert got.use.tolist() == ["parking", "none", "parking"]
    assert got.benefit == pytest.approx(0.14)
    assert got.cost_yuan == 600_000.0


def test_infeasible_targets_are_explained():
    p = AllocationProblem(
        benefit_park=np.array([0.09, 0.08]),
        benefit_parking=np.array([0.05, 0.06]),
        may_park=np.ones(2, bool),
        may_parking=np.ones(2, bool),
        area_m2=np.full(2, 1000.0),
        spaces=np.array([33.0, 33.0]),
        near_poi=np.array([True, False]),
    )
    with pytest.raises(InfeasibleTargetsError, match="hold at most 33 spaces"):
        solve_allocation(p, Targets(min_parking_spaces=50))
    with pytest.raises(
        InfeasibleTargetsError, match="needs at least 300,000 yuan but the budget is 200,000 yuan"
    ):
        solve_allocation(p, Targets(min_parking_spaces=30, budget_yuan=200_000))


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"min_parking_spaces": -1}, "whole number"),
        ({"min_parking_spaces": 2.5}, "whole number"),
        ({"near_category": "airport"}, "unknown POI category"),
        ({"near_distance_m": 0}, "near_distance_m"),
        ({"budget_yuan": -5}, "budget_yuan"),
        ({"cost_per_m2": {"pocket_park": 1.0}}, "cost_per_m2"),
        ({"min_score": 2.0}, "min_score"),
        ({"benefit": "joy"}, "unknown benefit"),
    ],
)
def test_bad_targets(kwargs, match):
    with pytest.raises(ConfigError, match=match):
        Targets(**kwargs)


def _layers_and_scores():
    plots = gpd.GeoDataFrame(
        {"plot_id": ["A", "B", "C"]},
        geometry=[box(0, 0, 40, 25), box(500, 0, 540, 25), box(1000, 0, 1040, 25)],
        crs=CRS,
    )
    pois = gpd.GeoDataFrame(
        {"category": ["station", "school"]}, geometry=[Point(20, 200), Point(1020, 100)], crs=CRS
    )
    layers = Layers(plots=plots, pois=pois, crs=CRS)
    scored = plots.assign(
        area_m2=1000.0,
        park_score=[0.8, 0.9, 0.3],
        parking_score=[0.6, 0.5, 0.7],
        est_parking_spaces=[30, 30, 30],
        park_feasible=True,
        parking_feasible=[True, True, False],
    )
    return layers, scored


def test_near_category_by_hand():
    layers, _ = _layers_and_scores()
    # station at (20, 200): 175 m from A's top edge, > 300 m from B and C
    assert near_category(layers, "station", 300.0).tolist() == [True, False, False]
    assert near_category(layers, "station", 174.0).tolist() == [False, False, False]
    with pytest.raises(ConfigError, match="no 'hospital'"):
        near_category(layers, "hospital", 300.0)


def test_problem_from_scores_eligibility():
    layers, scored = _layers_and_scores()
    p = problem_from_scores(scored, np.zeros(3, bool), Targets())
    # default minimum score 0.40: C cannot be a park (0.3), nor a car park (infeasible)
    assert p.may_park.tolist() == [True, True, False]
    assert p.may_parking.tolist() == [True, True, False]
    assert p.benefit_park.tolist() == pytest.approx([0.08, 0.09, 0.03])


def test_allocate_adds_columns_and_summary():
    layers, scored = _layers_and_scores()
    out, summary = allocate(scored, layers, Targets(min_parking_spaces=25))
    # A must be the car park (the only plot near the station), B a park, C nothing
    assert out["allocated_use"].tolist() == ["parking", "pocket_park", "none"]
    assert out["allocation_benefit"].tolist() == [0.06, 0.09, 0.0]
    assert out["near_target_poi"].tolist() == [True, False, False]
    assert summary["parking_spaces_near"] == 30.0
    # the [costs] table: A 30 stalls x 8,000 + 130 m of edging x 300 + 1,000 m² x 50
    # clearance; B (1,000 m², room for play equipment) 1,000 x 800 + the same edging/clearance
    assert summary["cost_yuan"] == (240_000 + 39_000 + 50_000) + (800_000 + 39_000 + 50_000)
    assert out["capex_wan"].tolist() == [32.9, 88.9, 0.0]
    assert summary["residents_newly_covered"] is None  # no residential layer
    # with homes 200 m north of B (the park): they are newly within 300 m of green
    homes = gpd.GeoDataFrame({"population": [700.0]}, geometry=[Point(520, 225)], crs=CRS)
    with_homes = Layers(plots=layers.plots, pois=layers.pois, residential=homes, crs=CRS)
    summary = allocate(scored, with_homes, Targets(min_parking_spaces=25))[1]
    assert summary["residents_newly_covered"] == 700.0
    assert summary["residents_per_wan"] == pytest.approx(700 / 121.8)
    # a flat rate per m² as before
    flat = Targets(min_parking_spaces=25, cost_per_m2={"pocket_park": 500, "parking": 300})
    assert allocate(scored, layers, flat)[1]["cost_yuan"] == 1000 * 300 + 1000 * 500
    empty = Layers(plots=layers.plots, crs=CRS)
    with pytest.raises(ConfigError, match="needs a POI layer"):
        allocate(scored, empty, Targets(min_parking_spaces=25))
    assert isinstance(out, pd.DataFrame)
