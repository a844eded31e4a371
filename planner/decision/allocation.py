"""Joint allocation: give each plot at most one use so the programme meets the planner's targets.

Scoring recommends a use plot by plot; a programme has targets across plots — "at least 50 new
parking spaces within 300 m of the station", "at most 6,000 m² of new park", "within a budget
of 5 million yuan". This module chooses the uses of all plots at once, exactly, as a
mixed-integer programme solved by HiGHS.

Benefit
-------
The benefit of giving plot *p* use *u* is its score for that use times the area it converts,
in hectares (``benefit="score_area"``, the default): *score-weighted hectares*. A plot scoring
0.8 over 0.5 ha brings 0.4. The score says how well the plot suits the use (0–1); the area
says how much of the use it delivers. One hectare of either use at the same score counts the
same — a value judgement the planner can change with ``use_weights``. With
``benefit="score"`` every converted plot counts by its score alone, whatever its size.

Model (x_p = 1: pocket park, z_p = 1: parking)::

    max  Σ_p wp·b_park(p)·x_p + wq·b_parking(p)·z_p
    s.t. x_p + z_p <= 1                                        one use per plot
         Σ_{p near a POI of the category} spaces_p z_p >= N    parking target
         Σ_p area_p x_p <= A                                   park-area cap
         Σ_p (c_park(p) x_p + c_parking(p) z_p) <= B           budget
         x_p = 0 unless the plot may be a park, z_p = 0 unless it may be a car park

A plot may take a use when it is feasible for it (the score output's ``park_feasible`` /
``parking_feasible``) and scores at least ``min_score`` for it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import pandas as pd
import scipy.sparse as sp

from planner import standards as S
from planner.access.distances import DistanceModel, StraightLineDistance
from planner.config import PlannerConfig
from planner.decision import _mip
from planner.decision.costs import (
    YUAN_PER_WAN,
    per_wan,
    plot_costs,
    use_cost_yuan,
    with_costs,
)
from planner.errors import ConfigError, InfeasibleTargetsError
from planner.layers import POI_CATEGORY_ALIASES, Layers
from planner.messages import Msg

BENEFITS = ("score_area", "score")
#: Flat yuan per m² when a model built from arrays carries no costs (project assumptions).
FLAT_COST_PER_M2 = {
    "pocket_park": S.POCKET_PARK_COST_YUAN_PER_M2,
    "parking": S.SURFACE_PARKING_COST_YUAN_PER_M2,
}
#: POI categories a parking target may be tied to (see :mod:`planner.layers`).
POI_CATEGORIES = (*POI_CATEGORY_ALIASES, "other")


@dataclass(frozen=True)
class Targets:
    """What the programme must achieve, and what it may spend.

    Attributes
    ----------
    min_parking_spaces : int
        At least this many new spaces within ``near_distance_m`` of a POI of
        ``near_category`` (0: no parking target).
    near_category : str
        POI category of the parking target (``station`` by default).
    near_distance_m : float
        Distance from the plot to the POI (default the 300 m parking walk radius,
        :data:`planner.standards.PARKING_WALK_RADIUS_M`, check).
    max_park_area_m2 : float or None
        At most this much new pocket-park area.
    budget_yuan : float or None
        Construction budget.
    cost_per_m2 : dict or None
        A flat yuan per m² of plot by use; ``None`` (default): each plot costs what the
        ``[costs]`` table says (:func:`planner.decision.costs.plot_costs`: area, outline,
        stall layout, clearance). Models built from arrays without costs use the flat
        project assumptions of :mod:`planner.standards`.
    min_score : float or None
        Lowest score at which a plot may take a use; ``None`` uses the configuration's
        ``thresholds.recommend_min_score``.
    benefit : {"score_area", "score"}
        Benefit measure (see the module docstring).
    use_weights : dict
        Relative value of one unit of benefit of each use (1 and 1 by default).
    """

    min_parking_spaces: int = 0
    near_category: str = "station"
    near_distance_m: float = S.PARKING_WALK_RADIUS_M
    max_park_area_m2: float | None = None
    budget_yuan: float | None = None
    cost_per_m2: dict[str, float] | None = None
    min_score: float | None = None
    benefit: str = "score_area"
    use_weights: dict[str, float] = field(
        default_factory=lambda: {"pocket_park": 1.0, "parking": 1.0}
    )

    def __post_init__(self) -> None:
        n = self.min_parking_spaces
        if isinstance(n, bool) or not float(n).is_integer() or n < 0:
            raise ConfigError(
                Msg("decision.whole_number", name="min_parking_spaces", value=repr(n))
            )
        if self.near_category not in POI_CATEGORIES:
            raise ConfigError(
                Msg(
                    "decision.unknown_poi_category",
                    category=self.near_category,
                    choices=", ".join(POI_CATEGORIES),
                )
            )
        if not self.near_distance_m > 0:
            raise ConfigError(
                Msg("must_be_positive", name="near_distance_m", value=repr(self.near_distance_m))
            )
        for name in ("max_park_area_m2", "budget_yuan"):
            v = getattr(self, name)
            if v is not None and not (np.isfinite(v) and v >= 0):
                raise ConfigError(Msg("decision.number_at_least_0", name=name, value=repr(v)))
        for key in ("cost_per_m2", "use_weights"):
            d = getattr(self, key)
            if d is None and key == "cost_per_m2":
                continue
            if set(d) != {"pocket_park", "parking"}:
                raise ConfigError(Msg("decision.both_uses", name=key))
            if any(not (np.isfinite(v) and v >= 0) for v in d.values()):
                raise ConfigError(Msg("decision.values_at_least_0", name=key))
        if self.min_score is not None and not 0 <= self.min_score <= 1:
            raise ConfigError(Msg("decision.min_score", value=repr(self.min_score)))
        if self.benefit not in BENEFITS:
            raise ConfigError(
                Msg("decision.unknown_benefit", benefit=self.benefit, choices=" or ".join(BENEFITS))
            )


@dataclass(frozen=True)
class AllocationProblem:
    """Arrays of the joint allocation (one entry per plot)."""

    benefit_park: np.ndarray
    benefit_parking: np.ndarray
    may_park: np.ndarray
    may_parking: np.ndarray
    area_m2: np.ndarray
    spaces: np.ndarray
    near_poi: np.ndarray
    #: Building cost of each use per plot (yuan); ``None``: area × the flat rates.
    cost_park: np.ndarray | None = None
    cost_parking: np.ndarray | None = None

    def costs(self, t: Targets) -> tuple[np.ndarray, np.ndarray]:
        """Yuan per plot of each use: the problem's own, else area × the targets' flat rates."""
        flat = t.cost_per_m2 or FLAT_COST_PER_M2
        cp = self.cost_park if self.cost_park is not None else self.area_m2 * flat["pocket_park"]
        cq = self.cost_parking if self.cost_parking is not None else self.area_m2 * flat["parking"]
        return np.asarray(cp, float), np.asarray(cq, float)


@dataclass(frozen=True)
class AllocationResult:
    """Chosen use per plot and what the programme adds up to."""

    use: np.ndarray  # "pocket_park" | "parking" | "none"
    benefit: float
    parking_spaces_near: float
    park_area_m2: float
    cost_yuan: float


def _totals(p: AllocationProblem, t: Targets, x: np.ndarray, z: np.ndarray) -> AllocationResult:
    wp, wq = t.use_weights["pocket_park"], t.use_weights["parking"]
    use = np.where(x, "pocket_park", np.where(z, "parking", "none")).astype(object)
    cp, cq = p.costs(t)
    return AllocationResult(
        use=use,
        benefit=float(wp * p.benefit_park[x].sum() + wq * p.benefit_parking[z].sum()),
        parking_spaces_near=float(p.spaces[z & p.near_poi].sum()),
        park_area_m2=float(p.area_m2[x].sum()),
        cost_yuan=float(cp[x].sum() + cq[z].sum()),
    )


def solve_allocation(p: AllocationProblem, t: Targets) -> AllocationResult:
    """Choose at most one use per plot maximising benefit within the targets (HiGHS).

    Raises
    ------
    InfeasibleTargetsError
        No choice of plots meets every target; the message says which target and by how
        much.
    """
    n = len(p.area_m2)
    cp, cq = p.costs(t)
    wp, wq = t.use_weights["pocket_park"], t.use_weights["parking"]
    eye = sp.eye_array(n, format="csr")
    zero = sp.csr_array((1, n))
    rows = [sp.hstack([eye, eye])]
    lo, hi = [np.full(n, -np.inf)], [np.ones(n)]
    if t.min_parking_spaces > 0:
        rows.append(sp.hstack([zero, sp.csr_array((p.spaces * p.near_poi)[None, :])]))
        lo.append(np.array([float(t.min_parking_spaces)]))
        hi.append(np.array([np.inf]))
    if t.max_park_area_m2 is not None:
        rows.append(sp.hstack([sp.csr_array(p.area_m2[None, :]), zero]))
        lo.append(np.array([-np.inf]))
        hi.append(np.array([float(t.max_park_area_m2)]))
    if t.budget_yuan is not None:
        rows.append(sp.csr_array(np.concatenate([cp, cq])[None, :]))
        lo.append(np.array([-np.inf]))
        hi.append(np.array([float(t.budget_yuan)]))
    cost = np.concatenate([wp * p.benefit_park, wq * p.benefit_parking])
    upper = np.concatenate([p.may_park, p.may_parking]).astype(float)
    sol = _mip.solve(
        cost,
        sp.vstack(rows, format="csc"),
        np.concatenate(lo),
        np.concatenate(hi),
        np.zeros(2 * n),
        upper,
        np.ones(2 * n, bool),
    )
    if sol.status == "infeasible":
        raise InfeasibleTargetsError(_why_infeasible(p, t))
    if sol.status != "optimal":
        raise RuntimeError(f"HiGHS could not solve the allocation: {sol.status}")
    x, z = sol.x[:n] > 0.5, sol.x[n:] > 0.5
    return _totals(p, t, x, z)


def _why_infeasible(p: AllocationProblem, t: Targets) -> Msg:
    """Say which target cannot be met.

    Only the parking target can make the model infeasible: choosing nothing meets every cap.
    """
    n_target = t.min_parking_spaces
    usable = p.may_parking & p.near_poi
    most = float(p.spaces[usable].sum())
    where = {"n": n_target, "distance": f"{t.near_distance_m:.0f}", "category": t.near_category}
    if most < n_target:
        return Msg(
            "decision.target_spaces_max", most=f"{most:.0f}", plots=int(usable.sum()), **where
        )
    # enough spaces, so the budget is what blocks it: the cheapest way to reach the target
    cq = p.costs(t)[1]
    sol = _mip.solve(
        cq,
        sp.csr_array((p.spaces * usable)[None, :]),
        np.array([float(n_target)]),
        np.array([np.inf]),
        np.zeros(len(p.spaces)),
        usable.astype(float),
        np.ones(len(p.spaces), bool),
        maximize=False,
    )
    return Msg(
        "decision.target_spaces_budget",
        cost=f"{sol.objective:,.0f}",
        budget=f"{t.budget_yuan:,.0f}",
        **where,
    )


def brute_force_allocation(p: AllocationProblem, t: Targets) -> AllocationResult | None:
    """Best allocation by trying all 3ⁿ choices (tests and tiny cases only, n <= 10)."""
    n = len(p.area_m2)
    if n > 10:
        raise ValueError("brute force is for at most 10 plots")
    # every choice as a row of codes 0 none, 1 park, 2 parking
    codes = np.stack(np.meshgrid(*[np.arange(3)] * n, indexing="ij"), -1).reshape(-1, n)
    x, z = codes == 1, codes == 2
    ok = ~(x & ~p.may_park).any(1) & ~(z & ~p.may_parking).any(1)
    ok &= (z * (p.spaces * p.near_poi)).sum(1) >= t.min_parking_spaces
    if t.max_park_area_m2 is not None:
        ok &= (x * p.area_m2).sum(1) <= t.max_park_area_m2 + 1e-9
    cp, cq = p.costs(t)
    cost = (x * cp + z * cq).sum(1)
    if t.budget_yuan is not None:
        ok &= cost <= t.budget_yuan + 1e-6
    if not ok.any():
        return None
    value = t.use_weights["pocket_park"] * (x * p.benefit_park).sum(1) + t.use_weights[
        "parking"
    ] * (z * p.benefit_parking).sum(1)
    best = int(np.flatnonzero(ok)[np.argmax(value[ok])])
    return _totals(p, t, x[best], z[best])


# --- adapter from the score output -----------------------------------------------------------


def problem_from_scores(
    scored: pd.DataFrame,
    near_poi: np.ndarray,
    targets: Targets,
    config: PlannerConfig | None = None,
) -> AllocationProblem:
    """Build the arrays from the score output (:func:`planner.score`)."""
    config = config or PlannerConfig()
    min_score = (
        config.thresholds.recommend_min_score if targets.min_score is None else targets.min_score
    )
    need = ["area_m2", "park_score", "parking_score", "est_parking_spaces"]
    absent = [c for c in need if c not in scored]
    if absent:
        raise ConfigError(Msg("decision.scored_columns", columns=", ".join(absent)))
    area = scored["area_m2"].to_numpy(dtype=float)
    park = scored["park_score"].fillna(0.0).to_numpy(dtype=float)
    parking = scored["parking_score"].fillna(0.0).to_numpy(dtype=float)
    feas_park = (
        scored["park_feasible"].to_numpy(bool)
        if "park_feasible" in scored
        else np.ones(len(scored), bool)
    )
    feas_parking = (
        scored["parking_feasible"].to_numpy(bool)
        if "parking_feasible" in scored
        else np.ones(len(scored), bool)
    )
    size = area / 10_000.0 if targets.benefit == "score_area" else np.ones(len(scored))
    if targets.cost_per_m2 is None:  # the [costs] table; no stall, no car park
        table = plot_costs(scored, config)
        cost_park, cost_parking = (use_cost_yuan(table, u) for u in ("pocket_park", "parking"))
        feas_parking = feas_parking & np.isfinite(cost_parking)
        cost_parking = np.where(np.isfinite(cost_parking), cost_parking, 0.0)
    else:
        cost_park = area * targets.cost_per_m2["pocket_park"]
        cost_parking = area * targets.cost_per_m2["parking"]
    return AllocationProblem(
        benefit_park=park * size,
        benefit_parking=parking * size,
        may_park=feas_park & (park >= min_score) & (park > 0),
        may_parking=feas_parking & (parking >= min_score) & (parking > 0),
        area_m2=area,
        spaces=scored["est_parking_spaces"].fillna(0).to_numpy(dtype=float),
        near_poi=np.asarray(near_poi, dtype=bool),
        cost_park=cost_park,
        cost_parking=cost_parking,
    )


def near_category(
    layers: Layers, category: str, distance_m: float, distances: DistanceModel | None = None
) -> np.ndarray:
    """Whether each plot is within ``distance_m`` of a POI of ``category``.

    Raises
    ------
    ConfigError
        No POI layer, or no POI of that category in it.
    """
    distances = distances or StraightLineDistance()
    if not layers.has("pois"):
        raise ConfigError(Msg("decision.target_needs_pois", category=category))
    pois = layers.pois.loc[layers.pois["category"] == category]
    if len(pois) == 0:
        found = ", ".join(sorted(layers.pois["category"].unique()))
        raise ConfigError(Msg("decision.pois_lack_category", category=category, found=found))
    return distances.nearest(layers.plots.geometry, pois.geometry) <= distance_m


def _newly_covered(
    layers: Layers, parks: np.ndarray, config: PlannerConfig | None, distances: DistanceModel | None
) -> float | None:
    """Residents the new pocket parks newly bring within the green radius (None: no homes)."""
    if not layers.has("residential"):
        return None
    from planner.decision.selection import coverage_from_layers, covered_residents

    p = coverage_from_layers(layers, "pocket_park", config, distances=distances)
    return covered_residents(p.cover, p.demand, parks)


def allocate(
    scored: gpd.GeoDataFrame,
    layers: Layers,
    targets: Targets,
    *,
    config: PlannerConfig | None = None,
    distances: DistanceModel | None = None,
) -> tuple[gpd.GeoDataFrame, dict]:
    """Allocate uses to the scored plots under ``targets``.

    Parameters
    ----------
    scored : GeoDataFrame
        Output of :func:`planner.score` for ``layers`` (same index).
    layers : Layers
        The prepared layers (``pois`` needed for a parking target).
    targets : Targets
    config : PlannerConfig, optional
    distances : DistanceModel, optional
        Used for the distance to the POIs (straight line by default).

    Returns
    -------
    (GeoDataFrame, dict)
        ``scored`` plus ``allocated_use``, ``allocation_benefit``, ``near_target_poi`` and the
        cost columns; and a summary (``benefit``, ``parking_spaces_near``, ``park_area_m2``,
        ``cost_yuan``, ``residents_newly_covered`` by the new pocket parks and
        ``residents_per_wan``, both ``None`` without a residential layer, ``targets``).

    Raises
    ------
    InfeasibleTargetsError
        The targets cannot be met together.
    """
    if not scored.index.equals(layers.plots.index):
        raise ConfigError(Msg("decision.index_differs"))
    if targets.min_parking_spaces > 0:
        near = near_category(layers, targets.near_category, targets.near_distance_m, distances)
    else:
        near = np.zeros(len(scored), bool)
    prob = problem_from_scores(scored, near, targets, config)
    res = solve_allocation(prob, targets)
    out = scored.copy()
    out["allocated_use"] = res.use
    wp, wq = targets.use_weights["pocket_park"], targets.use_weights["parking"]
    out["allocation_benefit"] = np.round(
        np.where(
            res.use == "pocket_park",
            wp * prob.benefit_park,
            np.where(res.use == "parking", wq * prob.benefit_parking, 0.0),
        ),
        4,
    )
    out["near_target_poi"] = near
    out = with_costs(out, plot_costs(scored, config), out["allocated_use"])
    newly = _newly_covered(layers, res.use == "pocket_park", config, distances)
    summary = {
        "benefit": round(res.benefit, 4),
        "parking_spaces_near": res.parking_spaces_near,
        "park_area_m2": round(res.park_area_m2, 1),
        "cost_yuan": round(res.cost_yuan),
        "plots_park": int((res.use == "pocket_park").sum()),
        "residents_newly_covered": newly,
        "residents_per_wan": (
            per_wan(newly, res.cost_yuan / YUAN_PER_WAN) if newly is not None else None
        ),
        "plots_parking": int((res.use == "parking").sum()),
        "targets": {
            "min_parking_spaces": targets.min_parking_spaces,
            "near_category": targets.near_category,
            "near_distance_m": targets.near_distance_m,
            "max_park_area_m2": targets.max_park_area_m2,
            "budget_yuan": targets.budget_yuan,
            "cost_per_m2": (
                dict(targets.cost_per_m2) if targets.cost_per_m2 else "the [costs] table"
            ),
            "benefit": targets.benefit,
        },
    }
    return out, summary
