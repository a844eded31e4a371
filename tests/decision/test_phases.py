"""Phased programmes: one multi-period model, exact, never over a phase's money (issue 16)."""

import geopandas as gpd
import numpy as np
import pytest
import scipy.sparse as sp
from shapely.geometry import Point, box

from planner.config import PlannerConfig
from planner.decision.phases import (
    Phase,
    brute_force_phases,
    parse_phases,
    phase_weights,
    plan_phases,
    solve_phases,
)
from planner.decision.selection import maximal_covering
from planner.errors import ConfigError
from planner.layers import Layers
from planner.messages import localized

CRS = "EPSG:4547"


def _instance(seed, n_sites):
    rng = np.random.default_rng(seed)
    cover = rng.random((18, n_sites)) < 0.3
    demand = rng.integers(0, 600, 18).astype(float)
    cost = rng.integers(1, 9, n_sites).astype(float)
    return rng, cover, demand, cost


@pytest.mark.parametrize("seed", range(10))
def test_phased_model_equals_brute_force(seed):
    rng, cover, demand, cost = _instance(seed, n_sites=int(7 + seed % 3))  # 7–9 sites
    n_phases = 1 + seed % 3
    limits = rng.integers(3, 12, n_phases).astype(float).tolist()
    discount = float(rng.choice([0.0, 0.2, 0.5]))
    carry = bool(seed % 2)
    sol = solve_phases(
        sp.csr_array(cover), demand, cost, limits, discount=discount, carry_over=carry
    )
    best = brute_force_phases(cover, demand, cost, limits, discount=discount, carry_over=carry)
    assert sol.objective == pytest.approx(best)
    # never over a phase's money (or, with carry-over, over the money given so far)
    spent = np.cumsum(sol.spent) if carry else sol.spent
    allowed = np.cumsum(limits) if carry else np.asarray(limits)
    assert (spent <= allowed + 1e-9).all()
    # coverage never falls from one phase to the next
    assert (np.diff(sol.covered) >= 0).all()


@pytest.mark.parametrize("seed", range(6))
def test_one_phase_with_the_summed_budget_is_the_single_shot_optimum(seed):
    rng, cover, demand, cost = _instance(50 + seed, n_sites=12)
    limits = rng.integers(3, 10, 3).astype(float)
    one = solve_phases(cover, demand, cost, [limits.sum()])
    single = maximal_covering(cover, demand, cost=cost, budget=float(limits.sum()))
    assert one.covered[-1] == pytest.approx(single.covered)
    # three phases reach at most what one phase with all the money reaches
    three = solve_phases(cover, demand, cost, limits.tolist())
    assert three.covered[-1] <= one.covered[-1] + 1e-9


def test_by_hand_early_coverage_first():
    # S1 covers 100 residents and costs 5; S2 covers 300 and costs 10. Phase budgets 5 then 10:
    # S2 does not fit phase 1, so S1 goes first and S2 second
    cover = np.array([[1, 0], [0, 1]], dtype=bool)
    demand = np.array([100.0, 300.0])
    sol = solve_phases(cover, demand, np.array([5.0, 10.0]), [5.0, 10.0])
    assert sol.phase.tolist() == [0, 1]
    assert sol.covered.tolist() == [100.0, 400.0]
    # without carry-over, budgets 10 then 5: S2 first (10), S1 second (5)
    sol = solve_phases(cover, demand, np.array([5.0, 10.0]), [10.0, 5.0])
    assert sol.phase.tolist() == [1, 0]
    # budget 0 then 15 with carry-over: nothing first, both second
    sol = solve_phases(cover, demand, np.array([5.0, 10.0]), [0.0, 15.0], carry_over=True)
    assert sol.phase.tolist() == [1, 1] and sol.covered.tolist() == [0.0, 400.0]


def test_plot_counts_per_phase_and_idle_sites_dropped():
    # three sites cover the same 500 residents: one is built, in the first phase
    cover = np.array([[1, 1, 1]], dtype=bool)
    sol = solve_phases(cover, np.array([500.0]), np.ones(3), [1.0, 2.0])
    assert sorted(sol.phase.tolist()) == [-1, -1, 0]
    assert sol.covered.tolist() == [500.0, 500.0]


def test_phase_weights():
    assert phase_weights(3, 0.2).tolist() == pytest.approx([1.0, 0.8, 0.64])
    with pytest.raises(ConfigError, match="discount"):
        phase_weights(2, 1.0)


def test_parse_phases():
    assert parse_phases("近期=300,中期=500，远期=800") == (
        Phase("近期", 300.0),
        Phase("中期", 500.0),
        Phase("远期", 800.0),
    )
    assert parse_phases("a=2,b=3", "plots") == (Phase("a", 2.0, "plots"), Phase("b", 3.0, "plots"))
    for bad, match in (
        ("近期", "NAME=LIMIT"),
        ("=3", "NAME=LIMIT"),
        ("a=-1", "NAME=LIMIT"),
        ("a=x", "NAME=LIMIT"),
        ("a=1,a=2", "twice"),
        ("", "NAME=LIMIT"),
    ):
        with pytest.raises(ConfigError, match=match):
            parse_phases(bad)
    with pytest.raises(ConfigError, match="whole number"):
        parse_phases("a=1.5", "plots")
    with pytest.raises(ConfigError, match="unit"):
        parse_phases("a=1", "yuan")


def _layers():
    # three 20 m plots 1 km apart, each with an estate 250 m north; one estate far away
    plots = gpd.GeoDataFrame(
        {"plot_id": ["P1", "P2", "P3"]},
        geometry=[box(0, 0, 20, 20), box(1000, 0, 1020, 20), box(2000, 0, 2020, 20)],
        crs=CRS,
    )
    residential = gpd.GeoDataFrame(
        {"population": [300.0, 200.0, 100.0, 999.0]},
        geometry=[Point(10, 270), Point(1010, 270), Point(2010, 270), Point(10, 5000)],
        crs=CRS,
    )
    return Layers(plots=plots, residential=residential, crs=CRS)


def test_plan_phases_on_layers():
    layers = _layers()
    scored = layers.plots.assign(area_m2=400.0, excluded=False)
    # each plot costs 24.4 万元 (see test_costs): 25 then 50 万元 build one, then two
    plan = plan_phases(scored, layers, "pocket_park", parse_phases("近期=25,远期=50"))
    assert plan.plots["phase"].tolist() == ["近期", "远期", "远期"]
    t = plan.table
    assert t["phase"].tolist() == ["近期", "远期"]
    assert t["plots"].tolist() == [1, 2]
    assert t["newly_covered"].tolist() == [300.0, 300.0]
    assert t["covered_cumulative"].tolist() == [300.0, 600.0]
    assert t["capex_wan"].tolist() == [24.4, 48.8]
    assert t["residents_per_wan"].iloc[0] == pytest.approx(300 / 24.4, abs=0.01)
    assert plan.covered == 600.0 and plan.uncovered_before == 1599.0
    counted = plan_phases(scored, layers, "pocket_park", parse_phases("a=1,b=1", "plots"))
    assert counted.plots["phase"].tolist() == ["a", "b", ""]
    # discount 0 and carry-over from the configuration
    cfg = PlannerConfig.from_dict({"phases": {"discount": 0.0, "carry_over": True}})
    carried = plan_phases(scored, layers, "pocket_park", parse_phases("a=0,b=80"), config=cfg)
    assert carried.table["plots"].tolist() == [0, 3]


def test_plan_phases_on_the_demo_stays_within_each_phase():
    import planner

    layers = planner.prepare_layers(planner.load_demo())
    scored = planner.score(layers)
    plan = plan_phases(scored, layers, "pocket_park", parse_phases("近期=300,中期=500,远期=800"))
    t = plan.table
    assert (t["capex_wan"] <= t["limit"] + 1e-6).all()
    assert (t["covered_cumulative"].diff().fillna(0) >= 0).all()
    built = plan.plots[plan.plots["phase"] != ""]
    assert built["park_feasible"].all()
    assert (
        built.groupby("phase")["capex_wan"].sum().reindex(t["phase"]).fillna(0).round(2).tolist()
        == t["capex_wan"].tolist()
    )


def test_a_model_stopped_by_the_time_limit_returns_its_best_within_the_limits(monkeypatch):
    from planner.decision import _mip

    monkeypatch.setattr(_mip, "TIME_LIMIT_S", 1e-9)
    rng, cover, demand, cost = _instance(3, n_sites=40)
    sol = solve_phases(cover, demand, cost, [20.0, 20.0])
    assert sol.gap > 0  # stopped before proving anything
    assert (sol.spent <= 20.0 + 1e-9).all()
    assert (np.diff(sol.covered) >= 0).all()
    from planner.decision.phases import time_limit_note

    note = time_limit_note(sol.gap)
    assert note.startswith(f"the model stopped after {_mip.TIME_LIMIT_S:.0f} s with the best")
    assert localized(note, "zh").startswith("模型在 0 秒后停止，给出已找到的最优方案")
    assert f"{sol.gap:.1%}" in localized(note, "zh")
