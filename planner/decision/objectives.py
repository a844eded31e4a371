"""Selection objectives beside the total: lift the worst-served life circle, or close supply gaps.

Both are exact mixed-integer programmes on plain arrays, solved by HiGHS
(:mod:`planner.decision._mip`), with the same limits as the total-coverage model of
:mod:`planner.decision.selection` (at most ``k`` plots, budgets, eligible plots).

**Max-min** (:func:`maxmin_covering`): ``share_c`` is the share of life circle ``c``'s
residents covered after the choice (those covered today plus those newly covered). First the
lowest share is made as high as it can be, then, among the choices that reach it, the total
newly covered is made as large as possible::

    max  z                      s.t.  pop_c z − Σ_{i∈c} d_i y_i <= covered_c   (every circle)
    then max Σ_i d_i y_i        s.t.  the same and z >= z*
         y_i <= Σ_j a_ij x_j, limits as for the total

This is max-min with the total as the tie-break, not a full leximin: a circle no plot can
reach fixes ``z*`` and the second step then maximises the total.

**Supply** (:func:`supply_covering`): with the 2SFCA of :mod:`planner.access.fca`, a new park
``j`` adds ``g_ij = R_j w_ij`` m² per resident to each home ``i`` it reaches. Each home lacks
``cap_i = max(0, target − A_i)`` m² per resident today. The objective is the shortfall closed,
in m² of green reaching residents below the target::

    max  Σ_i P_i g_i   s.t.  g_i <= Σ_j g_ij x_j,  0 <= g_i <= cap_i,  limits
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from planner.decision import _mip
from planner.decision.selection import _as_cover, _check_k
from planner.errors import ConfigError
from planner.messages import Msg

Budgets = Sequence[tuple[np.ndarray, float]]


@dataclass(frozen=True)
class ObjectiveSolution:
    """Chosen sites and the objective's value (``worst_share`` for max-min).

    ``gap``: 0 when proved optimal; else the relative gap of the best solution found when
    :data:`planner.decision._mip.TIME_LIMIT_S` ran out.
    """

    selected: np.ndarray
    value: float
    worst_share: float = float("nan")
    gap: float = 0.0


def _limit_rows(
    n_sites: int, n_other: int, k: int | None, budgets: Budgets
) -> tuple[list, list, list]:
    rows, lo, hi = [], [], []
    limits = ([(np.ones(n_sites), float(k))] if k is not None else []) + list(budgets)
    for c, b in limits:
        rows.append(
            sp.csr_array(np.concatenate([np.asarray(c, float), np.zeros(n_other)])[None, :])
        )
        lo.append(np.array([-np.inf]))
        hi.append(np.array([float(b)]))
    return rows, lo, hi


def _solve(
    cost: np.ndarray,
    rows: list,
    lo: list,
    hi: list,
    upper: np.ndarray,
    integer: np.ndarray,
    start: np.ndarray | None = None,
) -> tuple[np.ndarray, float]:
    """Solve within the time limit, from ``start`` (default: choosing nothing, feasible)."""
    sol = _mip.solve(
        cost,
        sp.vstack(rows, format="csc"),
        np.concatenate(lo),
        np.concatenate(hi),
        np.zeros(len(cost)),
        upper,
        integer,
        start=np.zeros(len(cost)) if start is None else start,
        time_limit=_mip.TIME_LIMIT_S,
    )
    if sol.status not in ("optimal", "time_limit"):  # choosing nothing is always feasible
        raise RuntimeError(f"HiGHS could not solve the selection model: {sol.status}")
    return sol.x, sol.gap


def circle_shares(
    cover: sp.sparray | np.ndarray,
    demand: np.ndarray,
    population: np.ndarray,
    circle: np.ndarray,
    selected: np.ndarray,
) -> np.ndarray:
    """Share of each life circle's residents covered after choosing ``selected``.

    ``circle`` is each group's circle position (``-1``: in none); ``population`` the group's
    residents, ``demand`` those of them not covered today. NaN for a circle with nobody.
    """
    a = _as_cover(cover)
    hit = (a.astype(np.int64) @ np.asarray(selected, dtype=np.int64)) > 0
    lab = np.asarray(circle)
    ok = lab >= 0
    n = int(lab.max()) + 1 if ok.any() else 0
    pop = np.bincount(lab[ok], weights=np.asarray(population, float)[ok], minlength=n)
    missing = np.bincount(lab[ok], weights=(np.asarray(demand, float) * ~hit)[ok], minlength=n)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(pop > 0, (pop - missing) / pop, np.nan)


def maxmin_covering(
    cover: sp.sparray | np.ndarray,
    demand: np.ndarray,
    population: np.ndarray,
    circle: np.ndarray,
    *,
    k: int | None = None,
    budgets: Budgets = (),
    eligible: np.ndarray | None = None,
) -> ObjectiveSolution:
    """Lift the worst-served life circle first, then the total (module docstring).

    Parameters
    ----------
    cover : sparse or dense bool, shape (n_groups, n_sites)
    demand : ndarray, shape (n_groups,)
        Residents of each group not covered today (0 where covered).
    population : ndarray, shape (n_groups,)
        All residents of each group (covered today or not).
    circle : ndarray of int, shape (n_groups,)
        Life circle of each group (``-1``: none; such groups count in the total only).
    k, budgets, eligible
        Limits, as :func:`planner.decision.selection.maximal_covering`.
    """
    a = _as_cover(cover)
    d = np.asarray(demand, float)
    pop = np.asarray(population, float)
    lab = np.asarray(circle, dtype=np.intp)
    if np.any(d > pop + 1e-9):
        raise ConfigError(Msg("decision.uncovered_exceed"))
    if k is None and not budgets:
        raise ConfigError(Msg("decision.k_or_budget"))
    k = _check_k(k)
    n, m = a.shape[1], a.shape[0]
    ok = np.ones(n, bool) if eligible is None else np.asarray(eligible, dtype=bool)
    circles = np.unique(lab[(lab >= 0)])
    circles = circles[[pop[lab == c].sum() > 0 for c in circles]]
    # variables: x (n), y (m), z (1)
    rows = [sp.hstack([-a.astype(float), sp.eye_array(m), sp.csr_array((m, 1))])]
    lo, hi = [np.full(m, -np.inf)], [np.zeros(m)]
    for c in circles:  # one row per life circle (a few dozen)
        member = lab == c
        pc = pop[member].sum()
        row = np.concatenate([np.zeros(n), -d * member, [pc]])
        rows.append(sp.csr_array(row[None, :]))
        lo.append(np.array([-np.inf]))
        hi.append(np.array([pc - d[member].sum()]))
    lr, ll, lh = _limit_rows(n, m + 1, k, budgets)
    rows, lo, hi = rows + lr, lo + ll, hi + lh
    upper = np.concatenate([ok.astype(float), np.ones(m), [1.0 if len(circles) else 0.0]])
    integer = np.concatenate([np.ones(n, bool), np.zeros(m + 1, bool)])
    x, gap1 = _solve(np.concatenate([np.zeros(n + m), [1.0]]), rows, lo, hi, upper, integer)
    z = float(x[-1])
    lower_z = np.concatenate([np.zeros(n + m), [1.0]])[None, :]
    rows2 = rows + [sp.csr_array(lower_z)]
    x, gap2 = _solve(
        np.concatenate([np.zeros(n), d, [0.0]]),
        rows2,
        lo + [np.array([z - 1e-7])],
        hi + [np.array([np.inf])],
        upper,
        integer,
        start=x,
    )
    selected = x[:n] > 0.5
    shares = circle_shares(a, d, pop, lab, selected)
    worst = float(np.nanmin(shares)) if np.isfinite(shares).any() else float("nan")
    hit = (a.astype(np.int64) @ selected.astype(np.int64)) > 0
    return ObjectiveSolution(selected, float(d[hit].sum()), worst, max(gap1, gap2))


def supply_value(
    gain: sp.sparray, population: np.ndarray, cap: np.ndarray, selected: np.ndarray
) -> float:
    """Shortfall closed by ``selected``: ``Σ_i P_i min(cap_i, Σ_j g_ij x_j)`` (m²)."""
    g = sp.csr_array(gain, dtype=float) @ np.asarray(selected, dtype=float)
    return float(np.asarray(population, float) @ np.minimum(np.asarray(cap, float), g))


def supply_marginal(
    gain: sp.sparray, population: np.ndarray, cap: np.ndarray, selected: np.ndarray
) -> np.ndarray:
    """Per site: shortfall closed lost if a chosen site is dropped, or gained if one is added.

    Vectorised over the nonzero gains: each (home, site) pair's change of
    ``min(cap, current ± g)`` summed by site.
    """
    g = sp.coo_array(sp.csr_array(gain, dtype=float))
    sel = np.asarray(selected, dtype=bool)
    cap = np.asarray(cap, float)
    pop = np.asarray(population, float)
    cur = sp.csr_array(gain, dtype=float) @ sel.astype(float)
    i, j, v = g.row, g.col, g.data
    now = np.minimum(cap[i], cur[i])
    changed = np.where(
        sel[j], now - np.minimum(cap[i], cur[i] - v), np.minimum(cap[i], cur[i] + v) - now
    )
    return np.bincount(j, weights=pop[i] * changed, minlength=g.shape[1])


def supply_covering(
    gain: sp.sparray | np.ndarray,
    population: np.ndarray,
    cap: np.ndarray,
    *,
    k: int | None = None,
    budgets: Budgets = (),
    eligible: np.ndarray | None = None,
) -> ObjectiveSolution:
    """Choose sites closing the most green-space shortfall (module docstring), exactly."""
    gm = sp.csr_array(gain, dtype=float)
    pop = np.asarray(population, float)
    cap = np.asarray(cap, float)
    if np.any(gm.data < 0) or np.any(cap < 0) or np.any(pop < 0):
        raise ConfigError(Msg("decision.gains_values"))
    if k is None and not budgets:
        raise ConfigError(Msg("decision.k_or_budget"))
    k = _check_k(k)
    m, n = gm.shape
    ok = np.ones(n, bool) if eligible is None else np.asarray(eligible, dtype=bool)
    rows = [sp.hstack([-gm, sp.eye_array(m)])]
    lo, hi = [np.full(m, -np.inf)], [np.zeros(m)]
    lr, ll, lh = _limit_rows(n, m, k, budgets)
    x, gap = _solve(
        np.concatenate([np.zeros(n), pop]),
        rows + lr,
        lo + ll,
        hi + lh,
        np.concatenate([ok.astype(float), cap]),
        np.concatenate([np.ones(n, bool), np.zeros(m, bool)]),
    )
    selected = x[:n] > 0.5
    # no idle site: one that closes nothing the others do not is dropped
    while True:
        idle = np.flatnonzero(selected & (supply_marginal(gm, pop, cap, selected) <= 1e-9))
        if len(idle) == 0:
            break
        selected[idle[-1]] = False
    return ObjectiveSolution(selected, supply_value(gm, pop, cap, selected), gap=gap)
