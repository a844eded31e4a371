"""Budgeted selection: which plots serve the most residents who have no service today.

The decision is not "which plots score highest" but "with budget for eight sites, which eight
serve the most residents newly". Two plots 100 m apart largely serve the same people, so the
best set is not the eight best plots. This is the maximal covering location problem (MCLP,
Church & ReVelle 1974): choose sites to maximise the demand covered within a service
distance, each resident counted once however many chosen sites cover them. Existing parks (or
car parks) stay fixed: residents they already serve carry no demand.

The solver works on plain arrays — a sparse coverage matrix ``residents × candidate plots``
and a demand vector — and :func:`coverage_from_layers` builds them from the layers at the edge
with the run's :class:`~planner.access.distances.DistanceModel`, so walking distances are used where
a network model is given. Solutions are exact (a mixed-integer programme solved by HiGHS).

Model (x_j = 1 if plot j is chosen, y_i = share of resident group i covered)::

    max  Σ_i d_i y_i
    s.t. y_i <= Σ_j a_ij x_j      (covered only if a chosen plot is within reach)
         Σ_j x_j <= k             (number of sites, optional)
         Σ_j c_j x_j <= B         (cost or area budget, optional)
         x_j ∈ {0, 1}, 0 <= y_i <= 1, x_j = 0 for excluded plots
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import scipy.sparse as sp

from planner import standards as S
from planner.access.distances import DistanceModel, StraightLineDistance
from planner.config import PlannerConfig
from planner.criteria.access import covered_by, home_points
from planner.decision import _mip
from planner.decision.costs import (
    UPKEEP_COLUMN,
    YUAN_PER_WAN,
    per_wan,
    plot_costs,
    use_cost_yuan,
    with_costs,
)
from planner.errors import ConfigError
from planner.layers import Layers
from planner.messages import Msg

#: Construction cost per m² of plot by use (project assumptions, see :mod:`planner.standards`).
DEFAULT_COST_YUAN_PER_M2: dict[str, float] = {
    "pocket_park": S.POCKET_PARK_COST_YUAN_PER_M2,
    "parking": S.SURFACE_PARKING_COST_YUAN_PER_M2,
}


@dataclass(frozen=True)
class CoverageProblem:
    """Arrays of a maximal covering problem.

    Attributes
    ----------
    cover : scipy.sparse.csr_array of bool, shape (n_groups, n_sites)
        ``cover[i, j]`` is True when candidate site ``j`` would serve resident group ``i``.
    demand : ndarray, shape (n_groups,)
        Residents of each group not yet served (0 where an existing facility serves them).
    site_ids : pandas.Index
        Labels of the candidate sites (plot index), length ``n_sites``.
    """

    cover: sp.csr_array
    demand: np.ndarray
    site_ids: pd.Index

    def __post_init__(self) -> None:
        n_groups, n_sites = self.cover.shape
        if len(self.demand) != n_groups:
            raise ValueError(f"demand has {len(self.demand)} entries for {n_groups} groups")
        if len(self.site_ids) != n_sites:
            raise ValueError(f"{len(self.site_ids)} site ids for {n_sites} sites")
        if np.any(~np.isfinite(self.demand)) or np.any(self.demand < 0):
            raise ConfigError(Msg("decision.demand_values"))


@dataclass(frozen=True)
class CoverageSolution:
    """A chosen set of sites.

    Attributes
    ----------
    selected : ndarray of bool, shape (n_sites,)
    covered : float
        Residents newly covered by the chosen set (each counted once).
    marginal : ndarray, shape (n_sites,)
        For a chosen site, the residents only it covers (lost if it were dropped); for any
        other site, the residents it would add to the chosen set.
    method : str
        ``exact`` (HiGHS) or ``greedy``.
    """

    selected: np.ndarray
    covered: float
    marginal: np.ndarray
    method: str


def _as_cover(cover: sp.sparray | sp.spmatrix | np.ndarray) -> sp.csr_array:
    return (
        sp.csr_array(cover, dtype=bool)
        if not isinstance(cover, np.ndarray)
        else sp.csr_array(np.asarray(cover, dtype=bool))
    )


def covered_residents(
    cover: sp.sparray | np.ndarray, demand: np.ndarray, selected: np.ndarray
) -> float:
    """Residents covered by the sites ``selected`` (each resident group counted once)."""
    a = _as_cover(cover)
    hits = a.astype(np.int64) @ np.asarray(selected, dtype=np.int64)
    return float(np.asarray(demand, dtype=float)[hits > 0].sum())


def marginal_residents(
    cover: sp.sparray | np.ndarray, demand: np.ndarray, selected: np.ndarray
) -> np.ndarray:
    """Per site: residents lost if a chosen site is dropped, or gained if another is added.

    Vectorised over all sites with two sparse products: a group counts towards a chosen site
    when that site is its only chosen cover, and towards an unchosen site when no chosen site
    covers it.
    """
    a = _as_cover(cover).astype(np.int64)
    sel = np.asarray(selected, dtype=bool)
    d = np.asarray(demand, dtype=float)
    hits = a @ sel.astype(np.int64)
    only = a.T.astype(float) @ (d * (hits == 1))
    gain = a.T.astype(float) @ (d * (hits == 0))
    return np.where(sel, only, gain)


def _check_k(k: int | None) -> int | None:
    if k is not None and (isinstance(k, bool) or not float(k).is_integer() or k < 0):
        raise ConfigError(Msg("decision.k_whole", value=repr(k)))
    return None if k is None else int(k)


def _check_budget(n_sites: int, cost: np.ndarray | None, budget: float) -> tuple[np.ndarray, float]:
    if cost is None:
        raise ConfigError(Msg("decision.budget_needs_cost"))
    c = np.asarray(cost, dtype=float)
    if c.shape != (n_sites,) or np.any(~np.isfinite(c)) or np.any(c < 0):
        raise ConfigError(Msg("decision.site_costs"))
    if not np.isfinite(budget) or budget < 0:
        raise ConfigError(Msg("decision.budget_value", value=repr(budget)))
    return c, float(budget)


def maximal_covering(
    cover: sp.sparray | sp.spmatrix | np.ndarray,
    demand: np.ndarray,
    *,
    k: int | None = None,
    cost: np.ndarray | None = None,
    budget: float | None = None,
    eligible: np.ndarray | None = None,
) -> CoverageSolution:
    """Choose sites that maximise residents newly covered (exact, HiGHS).

    Parameters
    ----------
    cover : sparse or dense array of bool, shape (n_groups, n_sites)
    demand : ndarray, shape (n_groups,)
        Residents of each group not yet served.
    k : int, optional
        At most this many sites.
    cost : ndarray, shape (n_sites,), optional
        Cost of each site (yuan, or m² for an area budget); needed with ``budget``.
    budget : float, optional
        Total cost of the chosen sites may not exceed this.
    eligible : ndarray of bool, shape (n_sites,), optional
        Sites that may be chosen (default all).

    Returns
    -------
    CoverageSolution
        Among optimal sets, HiGHS returns one; ties are not broken by score. No chosen site
        is idle: each serves residents no other chosen site serves.
    """
    a = _as_cover(cover)
    if k is None and budget is None:
        raise ConfigError(Msg("decision.k_or_budget"))
    budgets = [] if budget is None else [_check_budget(a.shape[1], cost, budget)]
    return _solve_covering(a, np.asarray(demand, dtype=float), _check_k(k), budgets, eligible)


def greedy_covering(
    cover: sp.sparray | sp.spmatrix | np.ndarray,
    demand: np.ndarray,
    *,
    k: int,
    eligible: np.ndarray | None = None,
) -> CoverageSolution:
    """Add, k times, the site that covers the most residents not yet covered.

    A fast heuristic (within 1 − 1/e of the optimum for MCLP); each step is one sparse
    product over all sites. Ties go to the lowest site position.
    """
    a = _as_cover(cover)
    d = np.asarray(demand, dtype=float)
    selected = np.zeros(a.shape[1], bool)
    selected[_greedy_order(a, d, int(k), eligible)] = True
    return CoverageSolution(
        selected, covered_residents(a, d, selected), marginal_residents(a, d, selected), "greedy"
    )


def coverage_curve(
    cover: sp.sparray | sp.spmatrix | np.ndarray,
    demand: np.ndarray,
    k_max: int,
    *,
    method: str = "exact",
    eligible: np.ndarray | None = None,
    budgets: Sequence[tuple[np.ndarray, float]] = (),
) -> pd.DataFrame:
    """Residents newly covered against the number of sites, k = 0..k_max.

    Parameters
    ----------
    method : {"exact", "greedy"}
        ``exact`` re-solves the MIP for every k (each point is the optimum for that k, so
        the chosen sets need not be nested); ``greedy`` adds one site at a time (nested sets,
        a lower bound on the optimum), skipping sites that no longer fit a budget.
    eligible : ndarray of bool, optional
    budgets : sequence of (cost per site, budget)
        Every point of the curve respects these too (e.g. yuan and m²).

    Returns
    -------
    pandas.DataFrame
        Columns ``sites``, ``covered_residents``, ``share_of_uncovered`` (of all residents
        with demand), ``method``.
    """
    if method not in ("exact", "greedy"):
        raise ConfigError(Msg("decision.unknown_curve_method", method=method))
    d = np.asarray(demand, dtype=float)
    total = float(d.sum())
    covered = [0.0]
    a = _as_cover(cover)
    ok = np.ones(a.shape[1], bool) if eligible is None else np.asarray(eligible, dtype=bool)
    # more sites than can be chosen, or than it takes to cover everyone reachable, cover no
    # more: those points repeat the last one instead of being solved (k = 100,000 on 99
    # plots is one solve per reachable point, not 100,000)
    reachable = covered_residents(a, d, ok) if not budgets else np.inf
    k_solve = min(int(k_max), int(ok.sum()))
    if method == "greedy":
        # one greedy run gives the whole nested curve
        order = _greedy_order(a, d, k_solve, eligible, budgets)
        for j in range(1, len(order) + 1):
            sel = np.zeros(a.shape[1], bool)
            sel[order[:j]] = True
            covered.append(covered_residents(a, d, sel))
    else:
        for j in range(1, k_solve + 1):
            covered.append(_solve_covering(a, d, j, list(budgets), eligible).covered)
            if covered[-1] >= reachable - 1e-9 * max(reachable, 1.0):
                break
    covered += [covered[-1]] * (int(k_max) + 1 - len(covered))
    cov = np.array(covered)
    return pd.DataFrame(
        {
            "sites": np.arange(k_max + 1),
            "covered_residents": cov,
            "share_of_uncovered": cov / total if total > 0 else np.zeros_like(cov),
            "method": method,
        }
    )


def _greedy_order(
    a: sp.csr_array,
    d: np.ndarray,
    k: int,
    eligible: np.ndarray | None,
    budgets: Sequence[tuple[np.ndarray, float]] = (),
) -> list[int]:
    """Sites in the order greedy adds them.

    Each step takes the site adding most residents (ties to the lowest position) among those
    that still fit every budget.
    """
    af = a.astype(float)
    n_sites = a.shape[1]
    ok = np.ones(n_sites, bool) if eligible is None else np.asarray(eligible, dtype=bool)
    remaining = np.asarray(d, dtype=float).copy()
    left = [float(b) for _, b in budgets]
    chosen: list[int] = []
    taken = np.zeros(n_sites, bool)
    for _ in range(k):
        fits = ok & ~taken
        for (cost, _b), room in zip(budgets, left, strict=True):
            fits &= np.asarray(cost, dtype=float) <= room + 1e-9
        gain = np.where(fits, af.T @ remaining, -1.0)
        j = int(np.argmax(gain))
        if gain[j] <= 0:
            break
        chosen.append(j)
        taken[j] = True
        left = [
            room - float(np.asarray(cost)[j])
            for (cost, _b), room in zip(budgets, left, strict=True)
        ]
        remaining[af[:, [j]].toarray().ravel() > 0] = 0.0
    return chosen


# --- geometry adapter ------------------------------------------------------------------------


def service_radius(use: str, config: PlannerConfig) -> float:
    """Distance within which a new site serves a resident.

    Pocket parks use the green-space radius (``thresholds.green_radius_m``, 300 m "见绿",
    GB/T 51346-2019), the same radius as the core's ``new_coverage`` criterion; car parks the
    accepted walk from car to home (``thresholds.parking_radius_m``).
    """
    config.weights(use)
    t = config.thresholds
    return t.green_radius_m if use == "pocket_park" else t.parking_radius_m


def coverage_from_layers(
    layers: Layers,
    use: str,
    config: PlannerConfig | None = None,
    *,
    distances: DistanceModel | None = None,
    radius: float | None = None,
) -> CoverageProblem:
    """Build the coverage matrix and demand of ``use`` from prepared layers.

    Each residential feature is one resident group, placed at its representative point, with
    its ``population``. A group already within ``radius`` of existing green space (pocket
    parks) or an existing car park (parking) has no demand. A plot covers a group within
    ``radius`` by ``distances`` (straight line unless a network model is given).

    Parameters
    ----------
    layers : Layers
        Prepared layers (:func:`planner.layers.prepare_layers`); residential is required.
    use : {"pocket_park", "parking"}
    config : PlannerConfig, optional
    distances : DistanceModel, optional
    radius : float, optional
        Service radius in metres (default :func:`service_radius`).

    Raises
    ------
    ConfigError
        No residential layer, or a non-positive radius.
    """
    config = config or PlannerConfig()
    distances = distances or StraightLineDistance()
    r = service_radius(use, config) if radius is None else float(radius)
    if not r > 0:
        raise ConfigError(Msg("decision.radius_positive", value=repr(radius)))
    if not layers.has("residential"):
        raise ConfigError(Msg("decision.selection_needs_residential"))
    res = layers.residential
    points = home_points(res)
    population = res["population"].to_numpy(dtype=float)
    existing_role = "green" if use == "pocket_park" else "parking"
    served = (
        covered_by(points, getattr(layers, existing_role), r, distances)
        if layers.has(existing_role)
        else np.zeros(len(points), bool)
    )
    plots = layers.plots.geometry
    pairs = distances.within(plots, points, r)
    cover = sp.csr_array(
        (np.ones(len(pairs), bool), (pairs.target, pairs.origin)), shape=(len(points), len(plots))
    )
    return CoverageProblem(cover, np.where(served, 0.0, population), layers.plots.index)


@dataclass(frozen=True)
class Selection:
    """Result of :func:`select_sites`: the plots with new columns and the coverage curve."""

    plots: gpd.GeoDataFrame
    curve: pd.DataFrame
    covered: float
    uncovered_before: float
    #: What the user should know about the request (a number of sites cut to the plots
    #: that may be chosen), one line each; ``planner select`` prints them as ``note:``.
    notes: tuple[str, ...] = ()
    #: Building cost of the chosen plots (万元) and their yearly upkeep (万元 a year).
    capex_wan: float = 0.0
    upkeep_wan_per_year: float = 0.0

    @property
    def residents_per_wan(self) -> float:
        """Residents newly covered per 万元 of building cost (NaN when nothing is spent)."""
        return per_wan(self.covered, self.capex_wan)


@dataclass(frozen=True)
class SiteChoice:
    """What :func:`site_choice` works out before any solve: the model's arrays and limits.

    ``cost`` is the building cost per plot in yuan for the use (the ``[costs]`` table, or
    area × a flat ``cost_per_m2``); ``costs`` the cost table (:func:`plot_costs`).
    """

    problem: CoverageProblem
    eligible: np.ndarray
    cost: np.ndarray
    costs: pd.DataFrame
    budgets: list[tuple[np.ndarray, float]]
    k: int | None
    notes: tuple[str, ...]


def site_choice(
    scored: gpd.GeoDataFrame,
    layers: Layers,
    use: str,
    *,
    k: int | None = None,
    budget_yuan: float | None = None,
    max_area_m2: float | None = None,
    cost_per_m2: float | None = None,
    config: PlannerConfig | None = None,
    distances: DistanceModel | None = None,
    radius: float | None = None,
    demand_share: np.ndarray | None = None,
    need_limit: bool = True,
) -> SiteChoice:
    """The coverage model of :func:`select_sites`, its eligible plots, costs and limits.

    ``demand_share`` (one per residential feature) counts only that share of each group's
    residents (the 60+ or under-14 of :mod:`planner.decision.equity`).
    """
    config = config or PlannerConfig()
    if not scored.index.equals(layers.plots.index):
        raise ConfigError(Msg("decision.index_differs"))
    problem = coverage_from_layers(layers, use, config, distances=distances, radius=radius)
    if demand_share is not None:
        problem = CoverageProblem(problem.cover, problem.demand * demand_share, problem.site_ids)
    area = (scored["area_m2"] if "area_m2" in scored else scored.geometry.area).to_numpy(float)
    feasible = "park_feasible" if use == "pocket_park" else "parking_feasible"
    if feasible in scored:  # the core's hard rules: constraints, area, stalls, car access
        eligible = scored[feasible].to_numpy(bool)
    else:
        eligible = (
            ~scored["excluded"].to_numpy(bool)
            if "excluded" in scored
            else np.ones(len(scored), bool)
        )
    costs = plot_costs(scored, config)
    if cost_per_m2 is None:
        cost = use_cost_yuan(costs, use)
    elif cost_per_m2 < 0:
        raise ConfigError(Msg("decision.cost_per_m2", value=repr(cost_per_m2)))
    else:
        cost = area * float(cost_per_m2)
    eligible = eligible & np.isfinite(cost)  # no stall, no car park
    cost = np.where(np.isfinite(cost), cost, 0.0)
    n_sites = problem.cover.shape[1]
    budgets = []
    if budget_yuan is not None:
        budgets.append(_check_budget(n_sites, cost, budget_yuan))
    if max_area_m2 is not None:
        budgets.append(_check_budget(n_sites, area, max_area_m2))
    if need_limit and k is None and not budgets:
        raise ConfigError(Msg("decision.k_or_budget_cli"))
    k = _check_k(k)
    notes: list[str] = []
    n_eligible = int(eligible.sum())
    if k is not None and k > n_eligible:
        notes.append(
            Msg(
                f"decision.note_k_over_eligible_{use}",
                k=k,
                eligible=n_eligible,
                sites=n_sites,
            )
        )
        k = n_eligible
    return SiteChoice(problem, eligible, cost, costs, budgets, k, tuple(notes))


def select_sites(
    scored: gpd.GeoDataFrame,
    layers: Layers,
    use: str,
    *,
    k: int | None = None,
    budget_yuan: float | None = None,
    max_area_m2: float | None = None,
    cost_per_m2: float | None = None,
    config: PlannerConfig | None = None,
    distances: DistanceModel | None = None,
    curve_method: str = "exact",
    radius: float | None = None,
    demand_share: np.ndarray | None = None,
) -> Selection:
    """Pick plots for ``use`` maximising residents newly covered, within the limits given.

    Parameters
    ----------
    scored : GeoDataFrame
        The score output (:func:`planner.score`), indexed like ``layers.plots``; plots not
        feasible for the use (``park_feasible`` / ``parking_feasible`` False, or ``excluded``
        when those columns are absent) are never chosen.
    layers : Layers
        The prepared layers the plots were scored from.
    use : {"pocket_park", "parking"}
    k : int, optional
        At most this many plots; more than the plots that may be chosen is cut to their
        number, with a note in :attr:`Selection.notes`.
    budget_yuan : float, optional
        Construction budget (yuan; :func:`planner.decision.costs.wan_to_yuan` for 万元).
        Each plot costs what the ``[costs]`` table of ``config`` says
        (:func:`planner.decision.costs.plot_costs`), or ``area_m2 × cost_per_m2``.
    max_area_m2 : float, optional
        Total area of the chosen plots may not exceed this.
    cost_per_m2 : float, optional
        A flat yuan per m² instead of the cost table.
    curve_method : {"exact", "greedy"}
        How the coverage curve is computed (see :func:`coverage_curve`).
    radius : float, optional
        Service radius (m), default :func:`service_radius`.
    demand_share : ndarray, optional
        Count only this share of each residential feature's residents (an age group).

    Returns
    -------
    Selection
        ``plots`` is ``scored`` plus ``selected`` (bool), ``marginal_new_residents`` and the
        cost columns of :func:`planner.decision.costs.with_costs`.
    """
    ch = site_choice(
        scored,
        layers,
        use,
        k=k,
        budget_yuan=budget_yuan,
        max_area_m2=max_area_m2,
        cost_per_m2=cost_per_m2,
        config=config,
        distances=distances,
        radius=radius,
        demand_share=demand_share,
    )
    problem = ch.problem
    sol = _solve_covering(problem.cover, problem.demand, ch.k, ch.budgets, ch.eligible)
    k_curve = ch.k if ch.k is not None else int(sol.selected.sum())
    curve = coverage_curve(
        problem.cover,
        problem.demand,
        k_curve,
        method=curve_method,
        eligible=ch.eligible,
        budgets=ch.budgets,
    )
    return selection_result(scored, use, ch, sol.selected, sol.marginal, curve)


def selection_result(
    scored: gpd.GeoDataFrame,
    use: str,
    ch: SiteChoice,
    selected: np.ndarray,
    marginal: np.ndarray,
    curve: pd.DataFrame,
) -> Selection:
    """The :class:`Selection` of the chosen plots ``selected`` (costs summed)."""
    problem = ch.problem
    out = with_costs(scored, ch.costs, use)
    out["selected"] = np.asarray(selected, dtype=bool)
    out["marginal_new_residents"] = np.round(marginal, 1)
    chosen = out["selected"].to_numpy(bool)
    capex = float(ch.cost[chosen].sum()) / YUAN_PER_WAN
    upkeep = float(out.loc[chosen, UPKEEP_COLUMN].sum())
    covered = covered_residents(problem.cover, problem.demand, chosen)
    return Selection(
        out,
        curve,
        covered,
        float(problem.demand.sum()),
        ch.notes,
        round(capex, 2),
        round(upkeep, 3),
    )


def _merge_identical_rows(
    cover: sp.csr_array, demand: np.ndarray
) -> tuple[sp.csr_array, np.ndarray]:
    """One row per distinct set of covering sites, with the demand of its groups summed.

    Buildings of one estate are usually reached by the same plots; merging them shrinks the
    model without changing its optimum. Rows are compared through two random projections
    (vectorised; two different site sets colliding on both is practically impossible, and
    the projections are seeded, so results are reproducible).
    """
    if cover.shape[0] == 0:
        return cover, demand
    rng = np.random.default_rng(12345)
    proj = cover.astype(float) @ rng.random((cover.shape[1], 2))
    _, first, inverse = np.unique(proj, axis=0, return_index=True, return_inverse=True)
    merged = np.bincount(inverse.ravel(), weights=demand, minlength=len(first))
    return cover[first], merged


def _solve_covering(
    a: sp.csr_array,
    d: np.ndarray,
    k: int | None,
    budgets: list[tuple[np.ndarray, float]],
    eligible: np.ndarray | None,
) -> CoverageSolution:
    """The MIP of the module docstring, with any number of budget rows."""
    n_sites = a.shape[1]
    ok = np.ones(n_sites, bool) if eligible is None else np.asarray(eligible, dtype=bool)
    # only groups with demand that some eligible site can reach enter the model
    reach = (a.astype(np.int64) @ ok.astype(np.int64)) > 0
    rows = np.flatnonzero(reach & (d > 0))
    sub, dem = _merge_identical_rows(a[rows], d[rows])
    m = sub.shape[0]
    # variables: x (n_sites) then y (m); rows: y_i - sum_j a_ij x_j <= 0, then the limits
    blocks = [sp.hstack([-sub.astype(float), sp.eye_array(m)], format="csr")]
    lo, hi = [np.full(m, -np.inf)], [np.zeros(m)]
    limits = ([(np.ones(n_sites), float(k))] if k is not None else []) + list(budgets)
    for c, b in limits:
        blocks.append(sp.csr_array(np.concatenate([c, np.zeros(m)])[None, :]))
        lo.append(np.array([-np.inf]))
        hi.append(np.array([b]))
    start = None
    if k is not None and not budgets:
        # the greedy set is feasible: start from it (about a quarter faster on hard cases)
        g = np.zeros(n_sites, bool)
        g[_greedy_order(a, d, k, ok)] = True
        y0 = (sub.astype(np.int64) @ g.astype(np.int64)) > 0
        start = np.concatenate([g, y0]).astype(float)
    sol = _mip.solve(
        np.concatenate([np.zeros(n_sites), dem]),
        sp.vstack(blocks, format="csc"),
        np.concatenate(lo),
        np.concatenate(hi),
        np.zeros(n_sites + m),
        np.concatenate([ok.astype(float), np.ones(m)]),
        np.concatenate([np.ones(n_sites, bool), np.zeros(m, bool)]),
        start=start,
    )
    if sol.status != "optimal":  # never expected: choosing nothing is always feasible
        raise RuntimeError(f"HiGHS could not solve the covering model: {sol.status}")
    cost = budgets[0][0] if budgets else None
    selected = _drop_idle_sites(a, d, sol.x[:n_sites] > 0.5, cost)
    return CoverageSolution(
        selected, covered_residents(a, d, selected), marginal_residents(a, d, selected), "exact"
    )


def _drop_idle_sites(
    a: sp.csr_array, d: np.ndarray, selected: np.ndarray, cost: np.ndarray | None
) -> np.ndarray:
    """``selected`` without the chosen sites that serve nobody the others do not.

    The covering objective does not mind extra sites: HiGHS may return every site a budget
    allows although one of them covers the same residents. A chosen site whose marginal
    residents are 0 is dropped (the costliest first, else the last), one at a time since
    dropping one can make another indispensable; the residents covered stay the same, so
    the set stays optimal and within every limit.
    """
    sel = np.asarray(selected, dtype=bool).copy()
    while True:
        idle = np.flatnonzero(sel & (marginal_residents(a, d, sel) <= 0))
        if len(idle) == 0:
            return sel
        sel[idle[np.argmax(cost[idle])] if cost is not None else idle[-1]] = False
