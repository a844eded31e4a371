"""Costs of each candidate from the [costs] table, and budgets in 万元 (issue 16, part 1)."""

import geopandas as gpd
import numpy as np
import pytest
import scipy.sparse as sp
from shapely.geometry import Point, box

from planner.config import PlannerConfig
from planner.decision.costs import (
    YUAN_PER_WAN,
    budget_yuan,
    park_types,
    plot_costs,
    use_cost_yuan,
    with_costs,
)
from planner.decision.selection import covered_residents, maximal_covering, select_sites
from planner.errors import ConfigError
from planner.layers import Layers
from planner.plan_settings import CostSettings

CRS = "EPSG:4547"


def _plots(**cols):
    # a 20 m square, a 4 x 100 m strip (same 400 m²), a 40 m square, a 10 x 10 m square
    geoms = [box(0, 0, 20, 20), box(100, 0, 104, 100), box(200, 0, 240, 40), box(300, 0, 310, 10)]
    return gpd.GeoDataFrame(
        {"plot_id": ["SQ", "STRIP", "BIG", "TINY"], **cols}, geometry=geoms, crs=CRS
    )


def test_costs_by_hand():
    costs = plot_costs(_plots(est_parking_spaces=[10, 0, 40, 0]))
    # SQ: 20 m wide, 400 m² -> planted: 400 x 500 + 80 m x 300 edging + 400 x 50 clearance
    assert costs.loc[0, "park_type"] == "planted"
    assert costs.loc[0, "park_capex_wan"] == pytest.approx((200_000 + 24_000 + 20_000) / 1e4)
    assert costs.loc[0, "park_upkeep_wan_per_year"] == pytest.approx(400 * 15 / 1e4)
    # STRIP: 4 m wide -> hard-paved: 400 x 400 + 208 m x 300 + 400 x 50
    assert costs.loc[1, "park_type"] == "hard"
    assert costs.loc[1, "park_capex_wan"] == pytest.approx((160_000 + 62_400 + 20_000) / 1e4)
    # BIG: 1,600 m² >= 1,000 -> play equipment: 1600 x 800 + 160 x 300 + 1600 x 50
    assert costs.loc[2, "park_type"] == "play"
    assert costs.loc[2, "park_capex_wan"] == pytest.approx((1_280_000 + 48_000 + 80_000) / 1e4)
    # parking: stalls x 8,000 + the same edging and clearance; none where no stall fits
    assert costs.loc[0, "parking_capex_wan"] == pytest.approx((80_000 + 24_000 + 20_000) / 1e4)
    assert costs.loc[2, "parking_upkeep_wan_per_year"] == pytest.approx(40 * 300 / 1e4)
    assert np.isnan(costs.loc[1, "parking_capex_wan"])
    assert np.isinf(use_cost_yuan(costs, "parking")[1])


def test_a_strip_costs_more_than_a_square_of_the_same_area():
    cfg = PlannerConfig.from_dict({"costs": {"park_type": "planted"}})
    costs = plot_costs(_plots(), cfg)
    assert (costs["park_type"] == "planted").all()
    # same 400 m², 208 m of outline against 80 m: 128 m x 300 yuan more
    diff = costs.loc[1, "park_capex_wan"] - costs.loc[0, "park_capex_wan"]
    assert diff == pytest.approx(128 * 300 / 1e4)


def test_cost_table_from_toml(tmp_path):
    path = tmp_path / "costs.toml"
    path.write_text(
        "[costs]\npark_planted_yuan_per_m2 = 1000\nedge_yuan_per_m = 0\n"
        'clearance_yuan_per_m2 = 0\npark_type = "planted"\n',
        encoding="utf-8",
    )
    cfg = PlannerConfig.from_toml(path)
    assert plot_costs(_plots(), cfg).loc[0, "park_capex_wan"] == pytest.approx(40.0)
    path.write_text('[costs]\npark_type = "marble"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"costs.toml: costs.park_type must be one of"):
        PlannerConfig.from_toml(path)
    path.write_text("[costs]\nyuan = 3\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="unknown key costs.yuan"):
        PlannerConfig.from_toml(path)


def test_park_types_fixed_and_auto():
    area, width = np.array([500.0, 5000.0, 5000.0]), np.array([20.0, 30.0, 8.0])
    assert park_types(area, width, CostSettings()).tolist() == ["planted", "play", "hard"]
    assert park_types(area, width, CostSettings(park_type="play")).tolist() == ["play"] * 3


def test_budget_in_wan_and_yuan():
    assert budget_yuan(None, 300) == 3_000_000
    assert budget_yuan(5_000.0, None) == 5_000.0
    assert budget_yuan(None, None) is None
    with pytest.raises(ConfigError, match="once"):
        budget_yuan(1.0, 1.0)


def test_with_costs_per_use():
    plots = _plots(est_parking_spaces=[10, 0, 40, 0])
    costs = plot_costs(plots)
    uses = gpd.pd.Series(["pocket_park", "none", "parking", "none"], index=plots.index)
    out = with_costs(plots, costs, uses)
    assert out["capex_wan"].tolist() == [
        costs.loc[0, "park_capex_wan"],
        0.0,
        costs.loc[2, "parking_capex_wan"],
        0.0,
    ]


def _brute_force_budget(cover, demand, cost, budget):
    n = cover.shape[1]
    subsets = ((np.arange(2**n)[:, None] >> np.arange(n)) & 1).astype(bool)
    fits = subsets.astype(float) @ cost <= budget + 1e-9
    value = ((subsets.astype(np.int64) @ cover.T.astype(np.int64)) > 0) @ demand
    return float(value[fits].max())


@pytest.mark.parametrize("seed", range(8))
def test_budgeted_selection_equals_brute_force_and_never_exceeds(seed):
    rng = np.random.default_rng(100 + seed)
    n_sites = int(rng.integers(8, 16))  # up to 15 candidates: 32,768 subsets
    cover = rng.random((25, n_sites)) < 0.25
    demand = rng.integers(0, 800, 25).astype(float)
    cost = rng.integers(20, 200, n_sites) * YUAN_PER_WAN / 10  # 2–20 万元
    budget = float(rng.uniform(0.2, 0.6) * cost.sum())
    sol = maximal_covering(sp.csr_array(cover), demand, cost=cost, budget=budget)
    assert sol.covered == pytest.approx(_brute_force_budget(cover, demand, cost, budget))
    assert cost[sol.selected].sum() <= budget
    assert covered_residents(cover, demand, sol.selected) == sol.covered


def test_select_sites_costs_and_residents_per_wan():
    plots = _plots()
    residential = gpd.GeoDataFrame(
        {"population": [500.0, 300.0]}, geometry=[Point(-250, 10), Point(450, 20)], crs=CRS
    )
    layers = Layers(plots=plots, residential=residential, crs=CRS)
    scored = plots.assign(area_m2=plots.area, excluded=[False, False, False, True])
    costs = plot_costs(scored)
    # the 20 m square alone (24.4 万元) reaches the 500; the big square (140.8 万元) the 300
    res = select_sites(scored, layers, "pocket_park", budget_yuan=30 * YUAN_PER_WAN)
    assert res.plots["selected"].tolist() == [True, False, False, False]
    assert res.capex_wan == pytest.approx(costs.loc[0, "park_capex_wan"])
    assert res.residents_per_wan == pytest.approx(500 / costs.loc[0, "park_capex_wan"])
    assert {"capex_wan", "upkeep_wan_per_year", "park_type"} <= set(res.plots.columns)
    both = select_sites(scored, layers, "pocket_park", budget_yuan=170 * YUAN_PER_WAN)
    assert both.covered == 800.0 and both.capex_wan <= 170
    # the flat --cost-per-m2 of before still works: 400 m² x 500 = 20 万元
    flat = select_sites(
        scored, layers, "pocket_park", budget_yuan=20 * YUAN_PER_WAN, cost_per_m2=500.0
    )
    assert flat.capex_wan == 20.0
