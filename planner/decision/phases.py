"""Phased programmes: which plots to build in 近期, 中期 and 远期, each phase within its money.

A district funds renewal phase by phase. One multi-period maximal covering model chooses, for
every plot, the phase it is built in (or none), each plot at most once, so that residents are
newly covered as early as the money allows::

    max  Σ_t w_t Σ_i d_i y_it                   w_t = (1 − discount)^(t − 1)
    s.t. y_it <= Σ_{s <= t} Σ_j a_ij x_js        covered by the end of phase t
         Σ_t x_jt <= 1                           each plot built at most once
         Σ_j c_j x_jt <= B_t                     each phase's money (or plot count)
         x_jt ∈ {0, 1}, 0 <= y_it <= 1

``y_it`` is the coverage at the end of phase ``t``, so a resident covered in the first phase
counts in every phase after it: coverage never falls from one phase to the next, and
``discount`` (``[phases]`` section) says how much less a resident covered later is worth.
With ``carry_over`` money a phase leaves unspent may be spent later (budgets add up:
``Σ_{s <= t} Σ_j c_j x_js <= Σ_{s <= t} B_s``). With one phase the model is the single-shot
:func:`planner.decision.selection.maximal_covering`. Solved exactly by HiGHS
(:mod:`planner.decision._mip`); :func:`brute_force_phases` tries every assignment (tests).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import scipy.sparse as sp

from planner.access.distances import DistanceModel
from planner.config import PlannerConfig
from planner.decision import _mip
from planner.decision.costs import YUAN_PER_WAN, per_wan
from planner.decision.selection import (
    _as_cover,
    _merge_identical_rows,
    covered_residents,
    marginal_residents,
    selection_result,
    site_choice,
)
from planner.errors import ConfigError
from planner.layers import Layers
from planner.messages import Msg

#: What a phase's limit counts: 万元 of building cost, or plots.
PHASE_UNITS = ("wan", "plots")
#: Label of plots built in no phase.
NO_PHASE = ""


@dataclass(frozen=True)
class Phase:
    """One phase: its name (近期 ...) and its limit, in 万元 (``unit="wan"``) or plots."""

    name: str
    limit: float
    unit: str = "wan"


def parse_phases(text: str, unit: str = "wan") -> tuple[Phase, ...]:
    """Phases from ``"近期=300,中期=500,远期=800"`` (``unit`` ``wan``: 万元; ``plots``: counts).

    Raises
    ------
    ConfigError
        An empty or repeated name, a limit that is not a number >= 0, a count that is not
        whole, or an unknown unit; the message shows the form expected.
    """
    if unit not in PHASE_UNITS:
        raise ConfigError(
            Msg("decision.unknown_phase_unit", unit=unit, choices=" or ".join(PHASE_UNITS))
        )
    phases: list[Phase] = []
    for part in (p.strip() for p in str(text).replace("，", ",").split(",")):
        name, eq, value = part.partition("=")
        name = name.strip()
        try:
            limit = float(value)
        except ValueError:
            limit = float("nan")
        if not part or not eq or not name or not np.isfinite(limit) or limit < 0:
            raise ConfigError(Msg("decision.phase_form", part=part))
        if unit == "plots" and not limit.is_integer():
            raise ConfigError(Msg("decision.phase_whole_plots", name=name, value=value.strip()))
        if name in {p.name for p in phases}:
            raise ConfigError(Msg("decision.phase_twice", name=name))
        phases.append(Phase(name, limit, unit))
    return tuple(phases)


def phase_weights(n_phases: int, discount: float) -> np.ndarray:
    """``w_t = (1 − discount)^(t − 1)``, t = 1..n: the value of coverage at each phase's end."""
    if not 0 <= discount < 1:
        raise ConfigError(Msg("decision.phase_discount", value=repr(discount)))
    return (1.0 - float(discount)) ** np.arange(n_phases)


@dataclass(frozen=True)
class PhasedSolution:
    """Phase of each site (``-1`` none) and what each phase adds up to."""

    phase: np.ndarray
    covered: np.ndarray  # cumulative residents covered at each phase's end
    spent: np.ndarray  # cost (or count) used in each phase
    objective: float
    #: 0 when proved optimal; else the relative gap of the best programme found when
    #: :data:`planner.decision._mip.TIME_LIMIT_S` ran out.
    gap: float = 0.0


def _limits(limits: Sequence[float], carry_over: bool) -> np.ndarray:
    b = np.asarray(limits, dtype=float)
    if b.ndim != 1 or len(b) == 0 or np.any(~np.isfinite(b)) or np.any(b < 0):
        raise ConfigError(Msg("decision.phase_limits"))
    return np.cumsum(b) if carry_over else b


def solve_phases(
    cover: sp.sparray | np.ndarray,
    demand: np.ndarray,
    cost: np.ndarray,
    limits: Sequence[float],
    *,
    discount: float = 0.0,
    carry_over: bool = False,
    eligible: np.ndarray | None = None,
) -> PhasedSolution:
    """The multi-period model of the module docstring, exactly (HiGHS).

    Parameters
    ----------
    cover : sparse or dense array of bool, shape (n_groups, n_sites)
    demand : ndarray, shape (n_groups,)
    cost : ndarray, shape (n_sites,)
        What a site uses of a phase's limit: its cost, or 1 to count plots.
    limits : sequence of float
        Each phase's limit, in order.
    discount : float
        ``w_t = (1 − discount)^(t − 1)``.
    carry_over : bool
        Unspent money passes to later phases.
    eligible : ndarray of bool, optional
    """
    a = _as_cover(cover)
    d = np.asarray(demand, dtype=float)
    c = np.asarray(cost, dtype=float)
    n, T = a.shape[1], len(limits)
    if c.shape != (n,) or np.any(~np.isfinite(c)) or np.any(c < 0):
        raise ConfigError(Msg("decision.site_costs"))
    b = _limits(limits, carry_over)
    w = phase_weights(T, discount)
    ok = np.ones(n, bool) if eligible is None else np.asarray(eligible, dtype=bool)
    reach = (a.astype(np.int64) @ ok.astype(np.int64)) > 0
    rows = np.flatnonzero(reach & (d > 0))
    sub, dem = _merge_identical_rows(a[rows], d[rows])
    m = sub.shape[0]
    x0, y0 = 0, n * T  # x_jt at x0 + t·n + j, y_it at y0 + t·m + i
    blocks, lo, hi = [], [], []
    once = sp.hstack([sp.hstack([sp.eye_array(n)] * T), sp.csr_array((n, m * T))])
    blocks.append(once)
    lo.append(np.full(n, -np.inf))
    hi.append(np.ones(n))
    neg = -sub.astype(float)
    for t in range(T):  # one block of rows per phase (a handful of phases)
        xs = sp.hstack([neg if s <= t else sp.csr_array((m, n)) for s in range(T)])
        ys = sp.hstack([sp.eye_array(m) if s == t else sp.csr_array((m, m)) for s in range(T)])
        blocks.append(sp.hstack([xs, ys]))
        lo.append(np.full(m, -np.inf))
        hi.append(np.zeros(m))
        spend = np.concatenate(
            [c if (s <= t if carry_over else s == t) else np.zeros(n) for s in range(T)]
            + [np.zeros(m * T)]
        )
        blocks.append(sp.csr_array(spend[None, :]))
        lo.append(np.array([-np.inf]))
        hi.append(np.array([b[t]]))
    objective = np.concatenate([np.zeros(n * T), np.concatenate([w[t] * dem for t in range(T)])])
    upper = np.concatenate([np.tile(ok.astype(float), T), np.ones(m * T)])
    sol = _mip.solve(
        objective,
        sp.vstack(blocks, format="csc"),
        np.concatenate(lo),
        np.concatenate(hi),
        np.zeros(n * T + m * T),
        upper,
        np.concatenate([np.ones(n * T, bool), np.zeros(m * T, bool)]),
        start=np.zeros(n * T + m * T),
        time_limit=_mip.TIME_LIMIT_S,
    )
    if sol.status not in ("optimal", "time_limit"):  # building nothing is always feasible
        raise RuntimeError(f"HiGHS could not solve the phased model: {sol.status}")
    x = sol.x[x0:y0].reshape(T, n) > 0.5
    phase = np.where(x.any(axis=0), np.argmax(x, axis=0), -1)
    phase = _drop_idle(a, d, phase, c)
    out = phased_totals(a, d, c, phase, T, w)
    return PhasedSolution(out.phase, out.covered, out.spent, out.objective, sol.gap)


def phased_totals(
    cover: sp.sparray | np.ndarray,
    demand: np.ndarray,
    cost: np.ndarray,
    phase: np.ndarray,
    n_phases: int,
    weights: np.ndarray,
) -> PhasedSolution:
    """Cumulative coverage and spending of each phase for a given assignment."""
    a = _as_cover(cover)
    d = np.asarray(demand, dtype=float)
    covered = np.array(
        [covered_residents(a, d, (phase >= 0) & (phase <= t)) for t in range(n_phases)]
    )
    spent = np.array([float(np.asarray(cost)[phase == t].sum()) for t in range(n_phases)])
    return PhasedSolution(np.asarray(phase), covered, spent, float(weights @ covered))


def _drop_idle(a: sp.csr_array, d: np.ndarray, phase: np.ndarray, cost: np.ndarray) -> np.ndarray:
    """Unbuild sites that cover nobody the sites built by their own phase do not.

    Such a site changes no phase's coverage (every later phase keeps the sites that cover
    its residents), so dropping it keeps the programme optimal and within every limit. The
    latest phase is looked at first, then the costliest site.
    """
    phase = phase.copy()
    while True:
        idle = []
        for t in np.unique(phase[phase >= 0])[::-1]:  # a handful of phases
            built = (phase >= 0) & (phase <= t)
            lonely = np.flatnonzero((phase == t) & (marginal_residents(a, d, built) <= 0))
            if len(lonely):
                idle = lonely
                break
        if len(idle) == 0:
            return phase
        phase[idle[np.argmax(np.asarray(cost)[idle])]] = -1


def brute_force_phases(
    cover: np.ndarray,
    demand: np.ndarray,
    cost: np.ndarray,
    limits: Sequence[float],
    *,
    discount: float = 0.0,
    carry_over: bool = False,
) -> float:
    """Best objective over every assignment of sites to phases (tests; (T+1)ⁿ <= 2 million)."""
    a = np.asarray(cover, dtype=bool)
    n, T = a.shape[1], len(limits)
    if (T + 1) ** n > 2_000_000:
        raise ValueError("brute force is for (phases + 1) ** sites <= 2,000,000")
    b = _limits(limits, carry_over)
    w = phase_weights(T, discount)
    codes = np.stack(np.meshgrid(*[np.arange(-1, T)] * n, indexing="ij"), -1).reshape(-1, n)
    c = np.asarray(cost, dtype=float)
    ok = np.ones(len(codes), bool)
    for t in range(T):
        used = ((codes <= t) & (codes >= 0) if carry_over else codes == t) @ c
        ok &= used <= b[t] + 1e-6
    d = np.asarray(demand, dtype=float)
    value = np.zeros(len(codes))
    for t in range(T):
        built = ((codes >= 0) & (codes <= t)).astype(np.int64)
        hit = (built @ a.T.astype(np.int64)) > 0
        value += w[t] * (hit @ d)
    return float(value[ok].max())


# --- geometry adapter ------------------------------------------------------------------------


@dataclass(frozen=True)
class PhasePlan:
    """A phased programme: the plots with their ``phase`` and the table of coverage by phase."""

    plots: gpd.GeoDataFrame
    table: pd.DataFrame
    phases: tuple[Phase, ...]
    unit: str
    uncovered_before: float
    notes: tuple[str, ...] = ()

    @property
    def covered(self) -> float:
        """Residents newly covered by the end of the last phase."""
        return float(self.table["covered_cumulative"].iloc[-1]) if len(self.table) else 0.0

    @property
    def capex_wan(self) -> float:
        """Building cost of every phase, 万元."""
        return float(self.table["capex_wan"].sum())


def plan_phases(
    scored: gpd.GeoDataFrame,
    layers: Layers,
    use: str,
    phases: Sequence[Phase],
    *,
    config: PlannerConfig | None = None,
    distances: DistanceModel | None = None,
    cost_per_m2: float | None = None,
    radius: float | None = None,
    demand_share: np.ndarray | None = None,
) -> PhasePlan:
    """Choose the phase of every plot for ``use`` (see the module docstring).

    Parameters
    ----------
    scored, layers, use, config, distances, cost_per_m2, radius, demand_share
        As :func:`planner.decision.selection.select_sites`.
    phases : sequence of Phase
        In order (近期, 中期, 远期 ...); limits in 万元 or plots, one unit for all
        (:func:`parse_phases`).

    Returns
    -------
    PhasePlan
        ``plots``: the selection columns (``selected`` = built in some phase) plus ``phase``
        (the phase's name, empty when not built); ``table``: one row per phase.
    """
    config = config or PlannerConfig()
    if not phases:
        raise ConfigError(Msg("decision.phase_none"))
    unit = phases[0].unit
    if unit not in PHASE_UNITS or {ph.unit for ph in phases} != {unit}:
        raise ConfigError(Msg("decision.phase_same_unit", choices=" or ".join(PHASE_UNITS)))
    ch = site_choice(
        scored,
        layers,
        use,
        cost_per_m2=cost_per_m2,
        config=config,
        distances=distances,
        radius=radius,
        demand_share=demand_share,
        need_limit=False,
    )
    p = ch.problem
    use_of_limit = ch.cost if unit == "wan" else np.ones(len(ch.cost))
    limits = [ph.limit * (YUAN_PER_WAN if unit == "wan" else 1.0) for ph in phases]
    sol = solve_phases(
        p.cover,
        p.demand,
        use_of_limit,
        limits,
        discount=config.phases.discount,
        carry_over=config.phases.carry_over,
        eligible=ch.eligible,
    )
    built = sol.phase >= 0
    marginal = marginal_residents(p.cover, p.demand, built)
    sel = selection_result(scored, use, ch, built, marginal, pd.DataFrame())
    names = np.array([ph.name for ph in phases] + [NO_PHASE], dtype=object)
    plots = sel.plots
    plots["phase"] = names[sol.phase]  # -1 picks the last entry: no phase
    notes = ch.notes + ((time_limit_note(sol.gap),) if sol.gap > 0 else ())
    return PhasePlan(
        plots,
        phase_table(plots, phases, unit, sol, p.demand.sum(), ch.cost),
        tuple(phases),
        unit,
        float(p.demand.sum()),
        notes,
    )


def time_limit_note(gap: float) -> Msg:
    """What to say when a model stopped at the time limit with the best programme found."""
    return Msg("decision.note_time_limit", seconds=_mip.TIME_LIMIT_S, gap=gap)


def phase_table(
    plots: pd.DataFrame,
    phases: Sequence[Phase],
    unit: str,
    sol: PhasedSolution,
    uncovered: float,
    cost_yuan: np.ndarray,
) -> pd.DataFrame:
    """Coverage by phase: limit, plots built, cost, residents newly and cumulatively covered."""
    phase = sol.phase
    upkeep = plots["upkeep_wan_per_year"].to_numpy(float)
    capex = np.array([cost_yuan[phase == t].sum() / YUAN_PER_WAN for t in range(len(phases))])
    newly = np.diff(np.concatenate([[0.0], sol.covered]))
    return pd.DataFrame(
        {
            "phase": [ph.name for ph in phases],
            "limit": [ph.limit for ph in phases],
            "limit_unit": unit,
            "plots": [int((phase == t).sum()) for t in range(len(phases))],
            "capex_wan": np.round(capex, 2),
            "upkeep_wan_per_year": [
                round(float(upkeep[(phase >= 0) & (phase <= t)].sum()), 3)
                for t in range(len(phases))
            ],
            "newly_covered": np.round(newly, 1),
            "covered_cumulative": np.round(sol.covered, 1),
            "share_of_uncovered": np.round(sol.covered / uncovered, 4)
            if uncovered > 0
            else np.zeros(len(phases)),
            "residents_per_wan": [
                round(per_wan(n, c), 2) for n, c in zip(newly, capex, strict=True)
            ],
        }
    )
