import itertools

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp
from shapely.geometry import Point, box

from planner.config import PlannerConfig
from planner.decision.selection import (
    coverage_curve,
    coverage_from_layers,
    covered_residents,
    greedy_covering,
    marginal_residents,
    maximal_covering,
    select_sites,
)
from planner.errors import ConfigError
from planner.layers import Layers
from planner.messages import localized

CRS = "EPSG:4547"  # CGCS2000 / 3-degree Gauss-Kruger CM 114E, metres


def brute_force(cover, demand, k=None, cost=None, budget=None, eligible=None):
    n = cover.shape[1]
    best = 0.0
    for r in range(n + 1):
        if k is not None and r > k:
            break
        for combo in itertools.combinations(range(n), r):
            sel = np.zeros(n, bool)
            sel[list(combo)] = True
            if eligible is not None and (sel & ~eligible).any():
                continue
            if budget is not None and cost[sel].sum() > budget + 1e-9:
                continue
            best = max(best, covered_residents(cover, demand, sel))
    return best


# four groups in a row a-b-c-d; S1 serves a,b; S2 serves c,d; S3 (between) serves b,c
TRAP = np.array([[1, 0, 0], [1, 0, 1], [0, 1, 1], [0, 1, 0]], dtype=bool)
TRAP_DEMAND = np.array([2.0, 4.0, 4.0, 2.0])


def test_greedy_coverage_is_beaten_by_the_exact_solution():
    greedy = greedy_covering(TRAP, TRAP_DEMAND, k=2)
    exact = maximal_covering(TRAP, TRAP_DEMAND, k=2)
    # greedy takes S3 (b+c = 8) then S1 or S2 (+2) = 10; the optimum S1+S2 covers all 12
    assert greedy.covered == 10.0
    assert exact.selected.tolist() == [True, True, False]
    assert exact.covered == 12.0


def test_top_k_by_score_differs_from_the_optimal_set():
    # plots A and B are 100 m apart and serve the same 1,000 residents; C serves 600 others.
    # Ranked by score A, B come first, but together they cover only 1,000 residents.
    cover = np.array(
        [
            [1, 1, 0],  # group served by A and B
            [0, 0, 1],
        ],  # group served by C only
        dtype=bool,
    )
    demand = np.array([1000.0, 600.0])
    score = np.array([0.90, 0.85, 0.60])
    top2 = np.zeros(3, bool)
    top2[np.argsort(-score)[:2]] = True
    assert covered_residents(cover, demand, top2) == 1000.0
    best = maximal_covering(cover, demand, k=2)
    assert best.covered == 1600.0
    assert best.selected[2]  # C is in the optimal set although it scores lowest
    # B adds nobody to A: its marginal value is 0, C's unique contribution is 600
    assert marginal_residents(cover, demand, top2).tolist() == [0.0, 0.0, 600.0]


def test_marginal_residents_by_hand():
    sel = np.array([True, False, True])
    # hits per group: a 1 (S1), b 2 (S1,S3), c 1 (S3), d 0
    # S1 alone covers a (2); S3 alone covers c (4); S2 would add d (2) (c is covered)
    assert marginal_residents(TRAP, TRAP_DEMAND, sel).tolist() == [2.0, 2.0, 4.0]


@pytest.mark.parametrize("seed", range(6))
def test_exact_matches_brute_force_on_random_small_instances(seed):
    rng = np.random.default_rng(seed)
    n_groups, n_sites = 14, 7
    cover = rng.random((n_groups, n_sites)) < 0.3
    demand = rng.integers(0, 500, n_groups).astype(float)
    cost = rng.integers(1, 10, n_sites).astype(float)
    eligible = rng.random(n_sites) < 0.85
    for k in (1, 2, 3):
        sol = maximal_covering(sp.csr_array(cover), demand, k=k, eligible=eligible)
        assert sol.covered == pytest.approx(brute_force(cover, demand, k=k, eligible=eligible))
        assert sol.selected.sum() <= k
        assert not (sol.selected & ~eligible).any()
    sol = maximal_covering(cover, demand, cost=cost, budget=12.0)
    assert sol.covered == pytest.approx(brute_force(cover, demand, cost=cost, budget=12.0))
    assert cost[sol.selected].sum() <= 12.0
    sol = maximal_covering(cover, demand, k=2, cost=cost, budget=9.0)
    assert sol.covered == pytest.approx(brute_force(cover, demand, k=2, cost=cost, budget=9.0))


def test_coverage_curve_exact_and_greedy():
    exact = coverage_curve(TRAP, TRAP_DEMAND, 3)
    assert exact["sites"].tolist() == [0, 1, 2, 3]
    assert exact["covered_residents"].tolist() == [0.0, 8.0, 12.0, 12.0]
    assert exact["share_of_uncovered"].tolist() == [0.0, 8 / 12, 1.0, 1.0]
    greedy = coverage_curve(TRAP, TRAP_DEMAND, 3, method="greedy")
    assert greedy["covered_residents"].tolist() == [0.0, 8.0, 10.0, 12.0]
    with pytest.raises(ConfigError, match="unknown coverage-curve method"):
        coverage_curve(TRAP, TRAP_DEMAND, 3, method="fast")


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({}, "number of sites"),
        ({"k": -1}, "whole number"),
        ({"k": 1.5}, "whole number"),
        ({"budget": 5.0}, "needs a cost"),
        ({"budget": -1.0, "cost": np.ones(3)}, "budget must be"),
        ({"budget": 1.0, "cost": np.ones(2)}, "one per site"),
    ],
)
def test_bad_limits_are_config_errors(kwargs, match):
    with pytest.raises(ConfigError, match=match):
        maximal_covering(TRAP, TRAP_DEMAND, **kwargs)


def test_negative_demand_refused():
    from planner.decision.selection import CoverageProblem

    with pytest.raises(ConfigError, match="demand"):
        CoverageProblem(sp.csr_array(TRAP), -TRAP_DEMAND, pd.RangeIndex(3))


# --- geometry adapter: hand-built layers in a metric CRS ------------------------------------


def _layers():
    # plots: 20 m squares with their west edge at x = 0, 1000, 2000 (y 0..20)
    plots = gpd.GeoDataFrame(
        {"plot_id": ["P1", "P2", "P3"]},
        geometry=[box(0, 0, 20, 20), box(1000, 0, 1020, 20), box(2000, 0, 2020, 20)],
        crs=CRS,
    )
    # residents: points 250 m north of each plot's edge (within 300 m), one far away
    residential = gpd.GeoDataFrame(
        {"population": [300.0, 200.0, 100.0, 999.0]},
        geometry=[Point(10, 270), Point(1010, 270), Point(2010, 270), Point(10, 5000)],
        crs=CRS,
    )
    # an existing park 100 m from the third residents' point: they are already served
    green = gpd.GeoDataFrame(geometry=[box(2000, 370, 2050, 400)], crs=CRS)
    return Layers(plots=plots, residential=residential, green=green, crs=CRS)


def test_coverage_from_layers_by_hand():
    prob = coverage_from_layers(_layers(), "pocket_park", PlannerConfig())
    # green radius 300 m: plot j covers point j (250 m), not the others (>= 990 m away)
    assert prob.cover.toarray().tolist() == [
        [True, False, False],
        [False, True, False],
        [False, False, True],
        [False, False, False],
    ]
    # group 3 is within 300 m of the existing park (100 m): no demand
    assert prob.demand.tolist() == [300.0, 200.0, 0.0, 999.0]
    narrow = coverage_from_layers(_layers(), "pocket_park", radius=249.0)
    assert narrow.cover.nnz == 0


def test_more_sites_asked_than_may_be_chosen_is_a_note_in_both_languages():
    layers = _layers()
    scored = layers.plots.assign(area_m2=400.0, excluded=[True, False, False])
    res = select_sites(scored, layers, "pocket_park", k=5)
    (note,) = res.notes
    assert note == (
        "--k 5 is more than the 2 of 3 plot(s) that may become pocket parks (the others "
        "fail its hard rules); k = 2 used"
    )
    assert localized(note, "zh") == (
        "--k 5 多于 3 个地块中可建口袋公园的 2 个（其余不满足硬性条件）；已按 k = 2 计算"
    )


def test_select_sites_adds_columns_and_respects_exclusions():
    layers = _layers()
    scored = layers.plots.assign(area_m2=400.0, excluded=[True, False, False])
    res = select_sites(scored, layers, "pocket_park", k=1)
    # P1 is excluded; P2 covers 200 new residents, P3 none (already served)
    assert res.plots["selected"].tolist() == [False, True, False]
    assert res.plots["marginal_new_residents"].tolist() == [300.0, 200.0, 0.0]
    assert res.covered == 200.0
    assert res.uncovered_before == 1499.0
    assert res.curve["covered_residents"].tolist() == [0.0, 200.0]


def test_select_sites_within_a_cost_budget():
    layers = _layers()
    scored = layers.plots.assign(area_m2=[400.0, 400.0, 400.0], excluded=False)
    # the [costs] table: 20 m squares become planted parks at 400 m² × 500 + 80 m of edging
    # × 300 + 400 m² of clearance × 50 = 244,000 yuan each: a 250,000 budget buys one plot
    res = select_sites(scored, layers, "pocket_park", budget_yuan=250_000)
    assert res.plots["selected"].tolist() == [True, False, False]
    res = select_sites(scored, layers, "pocket_park", max_area_m2=800.0)
    assert res.plots["selected"].tolist() == [True, True, False]
    with pytest.raises(ConfigError, match="number of sites"):
        select_sites(scored, layers, "pocket_park")


def test_selection_needs_residents():
    layers = _layers()
    layers = Layers(plots=layers.plots, crs=CRS)
    with pytest.raises(ConfigError, match="residential layer"):
        coverage_from_layers(layers, "parking")


def test_identical_coverage_rows_are_merged_with_summed_demand():
    from planner.decision.selection import _merge_identical_rows

    cover = sp.csr_array(np.array([[1, 0, 1], [0, 1, 0], [1, 0, 1], [1, 0, 0]], dtype=bool))
    sub, dem = _merge_identical_rows(cover, np.array([10.0, 20.0, 5.0, 1.0]))
    pairs = sorted(zip(map(tuple, sub.toarray().astype(int)), dem, strict=True))
    assert pairs == [((0, 1, 0), 20.0), ((1, 0, 0), 1.0), ((1, 0, 1), 15.0)]


def test_select_sites_skips_plots_infeasible_for_the_use():
    layers = _layers()
    scored = layers.plots.assign(
        area_m2=400.0,
        excluded=False,
        park_feasible=[False, True, True],
        parking_feasible=[True, True, True],
    )
    res = select_sites(scored, layers, "pocket_park", k=1)
    assert res.plots["selected"].tolist() == [False, True, False]


def test_coverage_curve_respects_budgets():
    # costs 5, 5, 1 with a budget of 6: S1 + S2 (10) no longer fits
    budgets = [(np.array([5.0, 5.0, 1.0]), 6.0)]
    exact = coverage_curve(TRAP, TRAP_DEMAND, 2, budgets=budgets)
    # k=1: S3 (b+c = 8); k=2: S3 + S1 or S2 (cost 6) = 10
    assert exact["covered_residents"].tolist() == [0.0, 8.0, 10.0]
    greedy = coverage_curve(
        TRAP, TRAP_DEMAND, 3, method="greedy", budgets=[(np.array([5.0, 5.0, 1.0]), 6.0)]
    )
    # greedy: S3 (cost 1), then S1 (cost 5, total 6); S2 no longer fits
    assert greedy["covered_residents"].tolist() == [0.0, 8.0, 10.0, 10.0]


def test_no_chosen_site_is_idle():
    # four plots in a row, all within 300 m of estate A (1,000 residents); estate B (500)
    # is within 300 m of P3 and P4 only. One plot serves everyone: HiGHS used to return every
    # plot the budget (or k) allowed, each adding no resident the others did not serve.
    plots = gpd.GeoDataFrame(
        {"plot_id": ["P1", "P2", "P3", "P4"]},
        geometry=[box(0, 0, 20, 20), box(40, 0, 60, 20), box(80, 0, 110, 20), box(120, 0, 140, 20)],
        crs=CRS,
    )
    residential = gpd.GeoDataFrame(
        {"population": [1000.0, 500.0]}, geometry=[Point(30, 200), Point(130, 315)], crs=CRS
    )
    layers = Layers(plots=plots, residential=residential, crs=CRS)
    assert coverage_from_layers(layers, "pocket_park").cover.toarray().tolist() == [
        [True, True, True, True],
        [False, False, True, True],
    ]
    scored = plots.assign(area_m2=plots.area, excluded=False)
    # P3 (600 m², 364,000 yuan) and P4 (400 m², 244,000 yuan) each serve both estates
    res = select_sites(scored, layers, "pocket_park", budget_yuan=10_000_000)
    assert res.plots["selected"].tolist() == [False, False, False, True]
    assert res.covered == 1500.0
    assert res.plots["marginal_new_residents"].tolist() == [0.0, 0.0, 0.0, 1500.0]
    res = select_sites(scored, layers, "pocket_park", k=4)
    assert res.plots["selected"].sum() == 1 and res.covered == 1500.0
    assert res.plots.loc[res.plots["selected"], "plot_id"].item() in {"P3", "P4"}
