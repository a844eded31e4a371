"""Fairness: coverage per age group, Gini and Lorenz, max-min and supply selection (issue 16)."""

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp
from shapely.geometry import Point, box

from planner.access.distances import StraightLineDistance
from planner.config import PlannerConfig
from planner.decision.equity import (
    EquityBasis,
    covered_estates,
    equity_report,
    gini,
    group_radius,
    group_shares,
    lorenz,
    supply_gains,
)
from planner.decision.objectives import (
    circle_shares,
    maxmin_covering,
    supply_covering,
    supply_value,
)
from planner.decision.programme import choose
from planner.errors import ConfigError
from planner.layers import Layers

CRS = "EPSG:4547"


def _config(elderly=50.0, child=50.0, **equity):
    return PlannerConfig.from_dict(
        {"equity": {"elderly_speed_m_per_min": elderly, "child_speed_m_per_min": child, **equity}}
    )


def test_group_radius_scales_with_speed():
    cfg = _config()
    assert group_radius("all", cfg) == 300.0
    assert group_radius("elderly", cfg) == pytest.approx(300 * 50 / (1000 / 15))  # 225 m
    same = _config(1000 / 15, 1000 / 15)
    assert group_radius("children", same) == pytest.approx(300.0)
    with pytest.raises(ConfigError, match="group"):
        group_radius("teens", cfg)


def test_group_shares_from_layer_or_census():
    res = pd.DataFrame({"elderly_share": [0.3, np.nan]})
    s = group_shares(res, PlannerConfig())
    assert s["all"].tolist() == [1.0, 1.0]
    assert s["elderly"].tolist() == [0.3, 0.187]  # missing -> 7th census 60+ share
    assert s["children"].tolist() == [0.1795, 0.1795]


def _random_layers(seed, n_homes=40, n_plots=10):
    rng = np.random.default_rng(seed)
    homes = [Point(x, y) for x, y in rng.uniform(0, 1500, (n_homes, 2))]
    res = gpd.GeoDataFrame(
        {
            "population": rng.integers(50, 900, n_homes).astype(float),
            "elderly_share": rng.uniform(0.05, 0.4, n_homes),
            "child_share": rng.uniform(0.05, 0.3, n_homes),
        },
        geometry=homes,
        crs=CRS,
    )
    plots = gpd.GeoDataFrame(
        {"plot_id": [f"P{i}" for i in range(n_plots)]},
        geometry=[box(x, y, x + 30, y + 25) for x, y in rng.uniform(0, 1500, (n_plots, 2))],
        crs=CRS,
    )
    green = gpd.GeoDataFrame(geometry=[box(700, 700, 760, 800)], crs=CRS)
    return Layers(plots=plots, residential=res, green=green, crs=CRS)


@pytest.mark.parametrize("seed", range(3))
def test_equal_speeds_give_exactly_the_all_residents_result(seed):
    layers = _random_layers(seed)
    same = _config(1000 / 15, 1000 / 15)
    basis = EquityBasis.from_layers(layers, same)
    cov = covered_estates(basis, layers.plots.geometry)
    assert (cov["elderly"] == cov["all"]).all() and (cov["children"] == cov["all"]).all()
    # selecting for the elderly at the adults' pace with one share everywhere: the same plots
    uniform = PlannerConfig.from_dict(
        {"equity": {"elderly_speed_m_per_min": 1000 / 15, "elderly_share": 0.25}}
    )
    flat = Layers(
        plots=layers.plots,
        green=layers.green,
        crs=CRS,
        residential=layers.residential.drop(columns="elderly_share"),
    )
    scored = flat.plots.assign(area_m2=750.0, excluded=False)
    every = choose(scored, flat, "pocket_park", k=3, config=uniform)
    old = choose(scored, flat, "pocket_park", k=3, group="elderly", config=uniform)
    assert old.covered == pytest.approx(0.25 * every.covered)
    assert old.uncovered_before == pytest.approx(0.25 * every.uncovered_before)


@pytest.mark.parametrize("seed", range(3))
def test_a_slower_speed_never_raises_coverage(seed):
    layers = _random_layers(10 + seed)
    counts = []
    for speed in (80.0, 66.7, 55.0, 40.0, 25.0, 10.0):
        basis = EquityBasis.from_layers(layers, _config(speed, speed))
        after = pd.concat([basis.green, layers.plots.geometry], ignore_index=True)
        counts.append(
            (
                covered_estates(basis, basis.green)["elderly"].sum(),
                covered_estates(basis, after)["elderly"].sum(),
            )
        )
    before, after = np.array(counts).T
    assert (np.diff(before) <= 0).all() and (np.diff(after) <= 0).all()
    assert after[0] > after[-1]  # the check is not empty


def test_gini_and_lorenz_by_hand():
    assert gini(np.full(7, 3.2)) == pytest.approx(0.0)
    assert gini(np.array([2.0, 2.0]), np.array([10.0, 500.0])) == pytest.approx(0.0)
    assert gini(np.array([0.0, 0.0, 0.0, 1.0])) == pytest.approx(0.75)
    x = np.array([1.0, 5.0, 2.0, 9.0])
    mean_difference = np.abs(x[:, None] - x[None, :]).sum() / (2 * len(x) ** 2 * x.mean())
    assert gini(x) == pytest.approx(mean_difference)
    # weights are people: 2 people at 1 and 1 at 2 equal three rows
    assert gini(np.array([1.0, 2.0]), np.array([2.0, 1.0])) == pytest.approx(
        gini(np.array([1.0, 1.0, 2.0]))
    )
    curve = lorenz(np.array([3.0, 1.0]), np.array([1.0, 1.0]))
    assert curve["population_share"].tolist() == [0.0, 0.5, 1.0]
    assert curve["value_share"].tolist() == [0.0, 0.25, 1.0]
    assert np.isnan(gini(np.zeros(3)))


def _brute_force_maxmin(cover, demand, pop, circle, k):
    n = cover.shape[1]
    best = (-1.0, -1.0)
    for mask in range(2**n):
        sel = ((mask >> np.arange(n)) & 1).astype(bool)
        if sel.sum() > k:
            continue
        worst = np.nanmin(circle_shares(cover, demand, pop, circle, sel))
        hit = (cover.astype(int) @ sel.astype(int)) > 0
        best = max(best, (round(worst, 9), float(demand[hit].sum())))
    return best


@pytest.mark.parametrize("seed", range(8))
def test_maxmin_equals_brute_force(seed):
    rng = np.random.default_rng(seed)
    n_sites, n_groups = int(rng.integers(6, 12)), 16
    cover = rng.random((n_groups, n_sites)) < 0.25
    pop = rng.integers(100, 900, n_groups).astype(float)
    covered_today = rng.random(n_groups) < 0.3
    demand = np.where(covered_today, 0.0, pop)
    circle = rng.integers(-1, 4, n_groups)
    k = int(rng.integers(1, 4))
    sol = maxmin_covering(sp.csr_array(cover), demand, pop, circle, k=k)
    worst, total = _brute_force_maxmin(cover, demand, pop, circle, k)
    assert sol.worst_share == pytest.approx(worst, abs=1e-6)
    assert sol.value == pytest.approx(total)
    assert sol.selected.sum() <= k


def test_maxmin_lifts_the_worst_circle_where_total_would_not():
    # circle 0: 1,000 residents, none covered; circle 1: 100 residents, none covered.
    # S0 covers 600 in circle 0, S1 covers the 100 of circle 1. With one site the total
    # takes S0 (600); max-min takes S1 (circle 1 from 0 to 100 %, circle 0 stays at 0 %...)
    cover = np.array([[1, 0], [0, 0], [0, 1]], dtype=bool)
    pop = np.array([600.0, 400.0, 100.0])
    circle = np.array([0, 0, 1])
    sol = maxmin_covering(cover, pop, pop, circle, k=1)
    # both leave some circle at 0: the worst share is 0 either way, the total decides (S0)
    assert sol.worst_share == 0.0 and sol.selected.tolist() == [True, False]
    pop2 = np.array([600.0, 0.0, 100.0])  # circle 0 fully reachable by S0
    sol2 = maxmin_covering(cover, pop2, pop2, circle, k=2)
    assert sol2.worst_share == 1.0
    # with circle 0 already at 50 %, one site: S1 lifts circle 1 from 0 to 100 %
    demand3 = np.array([600.0, 0.0, 100.0])
    pop3 = np.array([600.0, 600.0, 100.0])
    sol3 = maxmin_covering(cover, demand3, pop3, circle, k=1)
    assert sol3.selected.tolist() == [False, True] and sol3.worst_share == 0.5


def _brute_force_supply(gain, pop, cap, cost, budget):
    n = gain.shape[1]
    best = 0.0
    for mask in range(2**n):
        sel = ((mask >> np.arange(n)) & 1).astype(bool)
        if cost[sel].sum() <= budget + 1e-9:
            best = max(best, supply_value(sp.csr_array(gain), pop, cap, sel))
    return best


@pytest.mark.parametrize("seed", range(6))
def test_supply_objective_equals_brute_force(seed):
    rng = np.random.default_rng(30 + seed)
    n_sites = int(rng.integers(6, 13))
    gain = np.where(rng.random((15, n_sites)) < 0.3, rng.uniform(0.1, 2.0, (15, n_sites)), 0)
    pop = rng.integers(100, 1000, 15).astype(float)
    cap = rng.uniform(0, 1.5, 15)
    cost = rng.integers(1, 10, n_sites).astype(float)
    budget = float(cost.sum() * 0.4)
    sol = supply_covering(gain, pop, cap, budgets=[(cost, budget)])
    assert sol.value == pytest.approx(_brute_force_supply(gain, pop, cap, cost, budget))
    assert cost[sol.selected].sum() <= budget + 1e-9


def _scene_layers(scene):
    from planner.layers import prepare_layers

    return prepare_layers(scene)


def test_equity_report_on_the_scene_by_hand(scene):
    layers = _scene_layers(scene)
    new = layers.plots.geometry.iloc[[0]]  # plot A becomes a park, 75 m from estate 1
    rep = equity_report(layers, new, PlannerConfig(), StraightLineDistance())
    est = rep.estates
    # no estate is within 300 m of the park today; estate 1 is after, for every group
    assert not est["covered_all"].any()
    assert est["covered_all_after"].tolist() == [True, False]
    assert est["covered_elderly_after"].tolist() == [True, False]
    assert est["residents_elderly"].tolist() == pytest.approx([2620 * 0.2, 2096 * 0.1])
    d = rep.groups[rep.groups["area"] == "district"].set_index("group")
    assert d.loc["elderly", "newly_covered"] == pytest.approx(524.0)
    assert d.loc["children", "newly_covered"] == pytest.approx(262.0)
    # 2SFCA within 500 m: the 10,000 m² park reaches estate 1 only (about 430 m): 10,000 /
    # 2,620 each; plot A (1,500 m²) adds 1,500 / 2,620; estate 2 reaches nothing
    assert est["green_m2_per_resident"].tolist() == pytest.approx([10_000 / 2620, 0.0])
    assert est["green_m2_per_resident_after"].tolist() == pytest.approx([11_500 / 2620, 0.0])
    # Gini: 2,096 of 4,716 residents (44 %) reach nothing, the rest all of it
    assert rep.gini_before == pytest.approx(2096 / 4716)
    assert rep.share_source == "layer"


def test_supply_gains_and_choose_by_supply(scene):
    layers = _scene_layers(scene)
    gain, pop, shortfall = supply_gains(
        layers, layers.plots.geometry, PlannerConfig(), StraightLineDistance()
    )
    # estate 2 reaches no green: short of the 1 m² target by 1; estate 1 has 3.8 m²
    assert shortfall.tolist() == pytest.approx([0.0, 1.0])
    # plot B (600 m²) reaches both estates within 500 m: 600 / 4,716 m² each
    assert gain.toarray()[:, 1] == pytest.approx([600 / 4716] * 2)
    scored = layers.plots.assign(area_m2=layers.plots.area, excluded=False)
    prog = choose(scored, layers, "pocket_park", objective="supply", k=1)
    assert prog.plots["selected"].tolist() == [False, True, False]
    assert prog.objective_value == pytest.approx(2096 * 600 / 4716)
    with pytest.raises(ConfigError, match="pocket parks"):
        choose(scored, layers, "parking", objective="supply", k=1)
