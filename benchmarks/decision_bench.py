"""Timings and figures of the decision-support layer (not collected by pytest).

Run from the project root: ``python benchmarks/decision_bench.py``.
"""

from __future__ import annotations

import time

import geopandas as gpd
import numpy as np
import pandas as pd
import scipy.sparse as sp
from shapely.geometry import box

from planner.decision.allocation import AllocationProblem, Targets, solve_allocation
from planner.decision.selection import (
    covered_residents,
    greedy_covering,
    maximal_covering,
)
from planner.decision.sensitivity import SensitivitySettings, weight_sensitivity
from planner.layers import Layers
from planner.scoring import CriteriaTable


def timed(label, fn):
    t = time.perf_counter()
    out = fn()
    print(f"{label}: {time.perf_counter() - t:.2f} s")
    return out


def synthetic_cover(n_sites, n_groups, side_m=10_000.0, radius=300.0, seed=0, with_homes=False):
    rng = np.random.default_rng(seed)
    sites = rng.uniform(0, side_m, (n_sites, 2))
    homes = rng.uniform(0, side_m, (n_groups, 2))
    from scipy.spatial import cKDTree

    pairs = cKDTree(homes).query_ball_point(sites, r=radius)
    rows = np.concatenate([np.asarray(p, dtype=int) for p in pairs])
    cols = np.repeat(np.arange(n_sites), [len(p) for p in pairs])
    cover = sp.csr_array((np.ones(len(rows), bool), (rows, cols)), shape=(n_groups, n_sites))
    demand = rng.integers(50, 800, n_groups).astype(float)
    return (cover, demand, homes) if with_homes else (cover, demand)


def bench_selection():
    for n_sites, n_groups, k in ((500, 5_000, 10), (2_000, 20_000, 20)):
        cover, demand = synthetic_cover(n_sites, n_groups)
        exact = timed(
            f"MCLP exact  {n_sites} sites x {n_groups} groups, k={k}",
            lambda c=cover, d=demand, k=k: maximal_covering(c, d, k=k),
        )
        greedy = timed(
            f"MCLP greedy {n_sites} sites x {n_groups} groups, k={k}",
            lambda c=cover, d=demand, k=k: greedy_covering(c, d, k=k),
        )
        print(
            f"  covered: exact {exact.covered:,.0f}, greedy {greedy.covered:,.0f} "
            f"({greedy.covered / exact.covered:.2%} of the optimum)"
        )


def bench_demo():
    import planner
    from planner.decision.selection import coverage_from_layers
    from planner.scoring import combine, compute_criteria

    table = compute_criteria(planner.load_demo())
    scored = combine(table)
    prob = coverage_from_layers(table.layers, "pocket_park")
    ok = scored["park_feasible"].to_numpy(bool)
    for k in (4, 8, 12):
        top = np.zeros(len(scored), bool)
        top[np.argsort(-scored["park_score"].where(ok, -1).to_numpy(), kind="stable")[:k]] = True
        exact = maximal_covering(prob.cover, prob.demand, k=k, eligible=ok)
        greedy = greedy_covering(prob.cover, prob.demand, k=k, eligible=ok)
        print(
            f"demo k={k}: residents newly within 300 m of green: top-k by park score "
            f"{covered_residents(prob.cover, prob.demand, top):,.0f}, greedy "
            f"{greedy.covered:,.0f}, exact {exact.covered:,.0f} (of "
            f"{prob.demand.sum():,.0f})"
        )


def bench_sensitivity(n=5_000, draws=1_000):
    rng = np.random.default_rng(1)
    plots = gpd.GeoDataFrame(
        {"plot_id": [f"P{i:05d}" for i in range(n)]},
        geometry=[box(0, 0, 1, 1)] * n,
        crs="EPSG:4547",
    )
    raw = pd.DataFrame(
        {
            "area_m2": rng.uniform(100, 12_000, n),
            "compactness": rng.uniform(0.1, 0.8, n),
            "min_width_m": rng.uniform(2, 60, n),
            "est_parking_spaces": rng.integers(0, 200, n),
            "nearest_green_m": rng.uniform(0, 900, n),
            "residents_5min": rng.uniform(0, 8000, n),
            "new_residents_green": rng.uniform(0, 6000, n),
            "vulnerable_share": rng.uniform(0, 0.6, n),
            "street_distance_m": rng.uniform(0, 150, n),
            "car_frontage_m": rng.uniform(0, 40, n),
            "nearest_parking_m": rng.uniform(0, 600, n),
            "unmet_vehicles_nearby": rng.uniform(0, 400, n),
            "poi_pull_nearby": rng.uniform(0, 8, n),
        }
    )
    table = CriteriaTable(
        plots=plots,
        raw=raw,
        missing={},
        exclusion_reason=pd.Series(pd.NA, index=plots.index, dtype="string"),
        distance_basis=pd.Series("straight_line", index=plots.index),
        layers=Layers(plots=plots, crs="EPSG:4547"),
    )
    s = SensitivitySettings(draws=draws, spread=0.2, top_k=50)
    sens = timed(
        f"sensitivity {n} plots x {draws} draws", lambda: weight_sensitivity(table, settings=s)
    )
    print(f"  flagged {int(sens['recommendation_flips'].sum())} plots")


def bench_allocation(n=2_000):
    rng = np.random.default_rng(2)
    area = rng.uniform(400, 5000, n)
    p = AllocationProblem(
        benefit_park=rng.random(n) * area / 1e4,
        benefit_parking=rng.random(n) * area / 1e4,
        may_park=rng.random(n) < 0.8,
        may_parking=rng.random(n) < 0.6,
        area_m2=area,
        spaces=np.floor(area / 30),
        near_poi=rng.random(n) < 0.1,
    )
    t = Targets(
        min_parking_spaces=500, max_park_area_m2=area.sum() / 5, budget_yuan=area.sum() * 120
    )
    r = timed(f"allocation {n} plots, 3 targets", lambda: solve_allocation(p, t))
    print(
        f"  benefit {r.benefit:.2f}, spaces near {r.parking_spaces_near:.0f}, "
        f"cost {r.cost_yuan:,.0f}"
    )


def bench_programmes(n_sites=500, n_groups=5_000):
    """Phases, max-min and the 2SFCA objective on the synthetic cover (issue 16)."""
    from planner.access.fca import two_step_fca
    from planner.decision.objectives import maxmin_covering, supply_covering
    from planner.decision.phases import solve_phases
    from planner.decision.selection import maximal_covering

    cover, demand, homes = synthetic_cover(n_sites, n_groups, with_homes=True)
    rng = np.random.default_rng(3)
    cost = rng.uniform(20, 200, n_sites) * 1e4  # 20-200 万元 a plot
    timed(
        f"budget 1,600 万元, one shot, {n_sites} sites x {n_groups} groups",
        lambda: maximal_covering(cover, demand, cost=cost, budget=1600e4),
    )
    for limits in ([300e4, 500e4, 800e4], [1600e4]):
        sol = timed(
            f"phases {n_sites} sites x {n_groups} groups, {len(limits)} phase(s)",
            lambda lim=limits: solve_phases(cover, demand, cost, lim, discount=0.2),
        )
        print(f"  covered by phase {np.round(sol.covered).tolist()}, gap {sol.gap:.2%}")
    # life circles: a 4 x 3 grid of the area (circles are places, not random groups)
    circle = np.minimum(homes[:, 0] // 2500, 3) + 4 * np.minimum(homes[:, 1] // 3334, 2)
    sol = timed(
        f"max-min {n_sites} sites x {n_groups} groups, 12 circles, k=10",
        lambda: maxmin_covering(cover, demand, demand * 1.5, circle.astype(int), k=10),
    )
    print(f"  worst circle {sol.worst_share:.3f}, covered {sol.value:,.0f}, gap {sol.gap:.2%}")
    i, j = cover.nonzero()
    fca = timed(
        f"2SFCA {n_groups} homes x {n_sites} parks",
        lambda: two_step_fca(
            n_groups, n_sites, i, j, np.ones(len(i)), demand, rng.uniform(400, 5000, n_sites)
        ),
    )
    gain = sp.csr_array((fca.ratio[j], (i, j)), shape=cover.shape)
    cap = rng.uniform(0, 1.0, n_groups)
    sol = timed(
        f"supply objective {n_sites} sites x {n_groups} homes, k=10",
        lambda: supply_covering(gain, demand, cap, k=10),
    )
    print(f"  shortfall closed {sol.value:,.0f} m²")


if __name__ == "__main__":
    bench_demo()
    bench_selection()
    bench_sensitivity()
    bench_allocation()
    bench_programmes()
