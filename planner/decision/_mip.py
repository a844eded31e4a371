"""A thin, quiet wrapper over HiGHS (``highspy``) for the selection and allocation models.

The models are built as arrays (costs, bounds, a scipy sparse constraint matrix) and solved
here, so no other module touches the solver API.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

_BANNER_SHOWN = False


@contextlib.contextmanager
def _quiet_stdout() -> Iterator[None]:
    """Silence file descriptor 1 while HiGHS prints its start-up banner.

    HiGHS writes "Running HiGHS ..." from C++ when the first solver object is created, before
    any option can switch logging off; that would corrupt ``planner ahp --json`` or piped
    output, so the descriptor is pointed at ``/dev/null`` for that moment only.
    """
    try:
        fd = sys.stdout.fileno()
    except (AttributeError, OSError, ValueError):  # stdout replaced by a non-file object
        yield
        return
    sys.stdout.flush()
    saved = os.dup(fd)
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, fd)
        yield
    finally:
        os.dup2(saved, fd)
        os.close(saved)
        os.close(devnull)


def _highs():  # noqa: ANN202 - highspy has no type stubs
    import highspy

    global _BANNER_SHOWN
    if _BANNER_SHOWN:
        h = highspy.Highs()
    else:
        with _quiet_stdout():
            h = highspy.Highs()
        _BANNER_SHOWN = True
    h.setOptionValue("output_flag", False)
    h.setOptionValue("mip_rel_gap", 1e-9)
    h.setOptionValue("mip_abs_gap", 1e-9)
    return h


#: Seconds the harder programme models (phases, max-min, supply) may take before they return
#: the best solution found with its gap (a speed setting, not a planning figure).
TIME_LIMIT_S = 120.0
#: HiGHS ``primal_solution_status`` of a feasible point.
_FEASIBLE_POINT = 2


@dataclass(frozen=True)
class MipSolution:
    """Solution of :func:`solve`: ``status`` is ``optimal``, ``infeasible`` or another word.

    ``time_limit``: the time allowed ran out; ``x`` is the best solution found and ``gap``
    its relative distance from the best bound HiGHS proved (0 when optimal).
    """

    status: str
    x: np.ndarray
    objective: float
    gap: float = 0.0


def solve(
    cost: np.ndarray,
    matrix: sp.spmatrix | sp.sparray,
    row_lower: np.ndarray,
    row_upper: np.ndarray,
    col_lower: np.ndarray,
    col_upper: np.ndarray,
    integer: np.ndarray,
    *,
    maximize: bool = True,
    start: np.ndarray | None = None,
    time_limit: float | None = None,
) -> MipSolution:
    """Solve ``max/min cost·x`` s.t. ``row_lower <= matrix @ x <= row_upper``, bounds on x.

    Parameters
    ----------
    cost : ndarray, shape (n,)
    matrix : scipy sparse, shape (m, n)
    row_lower, row_upper : ndarray, shape (m,)
        Use ``-inf`` / ``inf`` for one-sided rows.
    col_lower, col_upper : ndarray, shape (n,)
    integer : ndarray of bool, shape (n,)
        Integer variables (binary with bounds 0..1).
    maximize : bool
    start : ndarray, shape (n,), optional
        A feasible solution to start from (e.g. a greedy one); the optimum is still proved.
    time_limit : float, optional
        Seconds HiGHS may take; when they run out with a solution in hand the status is
        ``time_limit`` and the solution the best found (with its ``gap``).

    Returns
    -------
    MipSolution
    """
    import highspy

    n = len(cost)
    a = sp.csc_array(matrix, dtype=float)
    if a.shape != (len(row_lower), n):
        raise ValueError(
            f"matrix shape {a.shape} does not match {len(row_lower)} rows, {n} columns"
        )
    inf = highspy.kHighsInf
    lp = highspy.HighsLp()
    lp.num_col_ = n
    lp.num_row_ = a.shape[0]
    lp.col_cost_ = np.asarray(cost, dtype=float)
    lp.col_lower_ = np.clip(np.asarray(col_lower, dtype=float), -inf, inf)
    lp.col_upper_ = np.clip(np.asarray(col_upper, dtype=float), -inf, inf)
    lp.row_lower_ = np.clip(np.asarray(row_lower, dtype=float), -inf, inf)
    lp.row_upper_ = np.clip(np.asarray(row_upper, dtype=float), -inf, inf)
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = a.indptr.astype(np.int32)
    lp.a_matrix_.index_ = a.indices.astype(np.int32)
    lp.a_matrix_.value_ = a.data
    lp.a_matrix_.num_col_ = n
    lp.a_matrix_.num_row_ = a.shape[0]
    lp.integrality_ = [
        highspy.HighsVarType.kInteger if i else highspy.HighsVarType.kContinuous
        for i in np.asarray(integer, dtype=bool)
    ]
    lp.sense_ = highspy.ObjSense.kMaximize if maximize else highspy.ObjSense.kMinimize
    h = _highs()
    if time_limit is not None:
        h.setOptionValue("time_limit", float(time_limit))
    h.passModel(lp)
    if start is not None:
        sol = highspy.HighsSolution()
        sol.col_value = np.asarray(start, dtype=float)
        sol.value_valid = True
        h.setSolution(sol)
    h.run()
    status = h.getModelStatus()
    if status == highspy.HighsModelStatus.kOptimal:
        x = np.asarray(h.getSolution().col_value, dtype=float)
        x = np.where(np.asarray(integer, dtype=bool), np.round(x), x)
        return MipSolution("optimal", x, float(cost @ x))
    if (
        status == highspy.HighsModelStatus.kTimeLimit
        and h.getInfo().primal_solution_status == _FEASIBLE_POINT
    ):
        x = np.asarray(h.getSolution().col_value, dtype=float)
        x = np.where(np.asarray(integer, dtype=bool), np.round(x), x)
        return MipSolution("time_limit", x, float(cost @ x), float(h.getInfo().mip_gap))
    word = {
        highspy.HighsModelStatus.kInfeasible: "infeasible",
        highspy.HighsModelStatus.kUnbounded: "unbounded",
        highspy.HighsModelStatus.kUnboundedOrInfeasible: "infeasible",
    }.get(status)
    return MipSolution(
        word or h.modelStatusToString(status).lower(), np.full(n, np.nan), float("nan")
    )
