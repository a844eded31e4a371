"""Weights from pairwise judgements: the analytic hierarchy process (AHP, 层次分析法).

A planner compares criteria two at a time on Saaty's 1–9 scale ("street access is moderately
more important than shape": 3). The weights are the principal eigenvector of the reciprocal
matrix of judgements; the consistency ratio CR = CI / RI, with CI = (λmax − n) / (n − 1) and
Saaty's random index RI, says how far the judgements contradict each other. A matrix with
CR above 0.10 is refused, and the message names the judgements that disagree most with the
weights, so the planner knows which ones to revisit.

Source: Saaty, T. L. (1980) *The Analytic Hierarchy Process*, McGraw-Hill; Saaty, T. L. (2008)
"Decision making with the analytic hierarchy process", *Int. J. Services Sciences* 1(1): 83–98.
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from os import PathLike
from pathlib import Path

import numpy as np
import pandas as pd

from planner import standards as S
from planner.config import PlannerConfig
from planner.criteria import CRITERIA
from planner.errors import (
    ConfigError,
    EncodingError,
    InconsistentJudgementsError,
    PairwiseMatrixError,
    UnreadableFileError,
)
from planner.messages import Msg
from planner.messages.decision import in_file, joined

#: Relative tolerance of the reciprocal check: ``a_ij * a_ji`` must be within 2 % of 1, so that
#: judgements typed as decimals (0.33 for 1/3, 0.14 for 1/7) are accepted.
RECIPROCAL_TOLERANCE = 0.02


@dataclass(frozen=True)
class AhpResult:
    """Weights and consistency of one pairwise comparison matrix.

    Attributes
    ----------
    weights : pandas.Series
        Normalised principal eigenvector (sums to 1), indexed by criterion, named ``weight``.
    lambda_max : float
        Principal eigenvalue.
    ci : float
        Consistency index (λmax − n) / (n − 1); 0 for n <= 2.
    ri : float
        Saaty's random index for the matrix order.
    cr : float
        Consistency ratio CI / RI; 0 for n <= 2 (such matrices are always consistent).
    conflicts : list of tuple
        Every judgement above the diagonal as ``(criterion_i, criterion_j, judged, implied)``,
        where ``implied = w_i / w_j``, sorted from the most to the least conflicting.
    """

    weights: pd.Series
    lambda_max: float
    ci: float
    ri: float
    cr: float
    conflicts: list[tuple[str, str, float, float]]

    @property
    def consistent(self) -> bool:
        """True when CR is within Saaty's limit of 0.10."""
        return self.cr <= S.AHP_MAX_CONSISTENCY_RATIO

    def to_dict(self) -> dict[str, object]:
        """JSON-ready form: ``weights`` (criterion -> weight), ``cr``, ``ci``, ``lambda_max``."""
        return {
            "weights": {str(k): float(v) for k, v in self.weights.items()},
            "cr": float(self.cr),
            "ci": float(self.ci),
            "lambda_max": float(self.lambda_max),
            "ri": float(self.ri),
        }


def _as_frame(
    matrix: pd.DataFrame | np.ndarray | Sequence[Sequence[float]], criteria: Sequence[str] | None
) -> pd.DataFrame:
    if isinstance(matrix, pd.DataFrame):
        frame = matrix
        if criteria is not None:
            frame = frame.set_axis(list(criteria), axis=0).set_axis(list(criteria), axis=1)
    else:
        arr = np.asarray(matrix, dtype=float)
        if arr.ndim != 2:
            raise PairwiseMatrixError(Msg("decision.ahp_not_2d", ndim=arr.ndim))
        names = (
            list(criteria) if criteria is not None else [f"c{i + 1}" for i in range(arr.shape[0])]
        )
        if len(names) != arr.shape[0]:
            raise PairwiseMatrixError(
                Msg("decision.ahp_names_rows", n_names=len(names), n_rows=arr.shape[0])
            )
        frame = pd.DataFrame(
            arr, index=names, columns=names[: arr.shape[1]] if arr.shape[1] <= len(names) else None
        )
    return frame


def check_pairwise(matrix: pd.DataFrame) -> np.ndarray:
    """Check a pairwise comparison matrix and return it as a float array.

    Parameters
    ----------
    matrix : pandas.DataFrame
        Square, criterion names as both index and columns (same order).

    Returns
    -------
    numpy.ndarray

    Raises
    ------
    PairwiseMatrixError
        Not square, names differ between rows and columns, a value missing, not positive,
        off Saaty's 1/9–9 scale, a diagonal entry other than 1, or ``a_ji`` not the
        reciprocal of ``a_ij``.
    """
    n_rows, n_cols = matrix.shape
    if n_rows != n_cols:
        raise PairwiseMatrixError(Msg("decision.ahp_not_square", n_rows=n_rows, n_cols=n_cols))
    if n_rows == 0:
        raise PairwiseMatrixError(Msg("decision.ahp_empty"))
    rows = [str(x) for x in matrix.index]
    cols = [str(x) for x in matrix.columns]
    if rows != cols:
        raise PairwiseMatrixError(Msg("decision.ahp_names_differ", rows=rows, cols=cols))
    if len(set(rows)) != len(rows):
        dup = next(r for r in rows if rows.count(r) > 1)
        raise PairwiseMatrixError(Msg("decision.ahp_twice", name=dup))
    if n_rows > max(S.AHP_RANDOM_INDEX):
        raise PairwiseMatrixError(
            Msg("decision.ahp_too_many", n=n_rows, most=max(S.AHP_RANDOM_INDEX))
        )
    try:
        a = matrix.to_numpy(dtype=float)
    except (TypeError, ValueError):
        raise PairwiseMatrixError(Msg("decision.ahp_not_numbers")) from None
    bad = ~np.isfinite(a)
    if bad.any():
        i, j = np.argwhere(bad)[0]
        raise PairwiseMatrixError(Msg("decision.ahp_missing", a=rows[i], b=cols[j]))
    if (a <= 0).any():
        i, j = np.argwhere(a <= 0)[0]
        raise PairwiseMatrixError(
            Msg("decision.ahp_not_positive", a=rows[i], b=cols[j], value=f"{a[i, j]:g}")
        )
    lo, hi = 1.0 / S.AHP_SCALE_MAX, S.AHP_SCALE_MAX
    off = (a < lo * (1 - RECIPROCAL_TOLERANCE)) | (a > hi)
    if off.any():
        i, j = np.argwhere(off)[0]
        raise PairwiseMatrixError(
            Msg("decision.ahp_off_scale", a=rows[i], b=cols[j], value=f"{a[i, j]:g}")
        )
    diag = np.abs(np.diag(a) - 1.0) > 1e-9
    if diag.any():
        i = int(np.flatnonzero(diag)[0])
        raise PairwiseMatrixError(Msg("decision.ahp_diagonal", a=rows[i], value=f"{a[i, i]:g}"))
    recip = np.abs(a * a.T - 1.0) > RECIPROCAL_TOLERANCE
    if recip.any():
        i, j = np.argwhere(np.triu(recip, 1))[0]
        raise PairwiseMatrixError(
            Msg(
                "decision.ahp_not_reciprocal",
                a=rows[i],
                b=cols[j],
                ab=f"{a[i, j]:g}",
                ba=f"{a[j, i]:g}",
                expected=f"{1 / a[i, j]:.3g}",
            )
        )
    return a


def ahp_weights(
    matrix: pd.DataFrame | np.ndarray | Sequence[Sequence[float]],
    criteria: Sequence[str] | None = None,
    *,
    max_cr: float | None = S.AHP_MAX_CONSISTENCY_RATIO,
) -> AhpResult:
    """Weights (principal eigenvector) and consistency ratio of a pairwise matrix.

    Parameters
    ----------
    matrix : DataFrame or array-like
        Square reciprocal matrix on Saaty's 1–9 scale: ``matrix[i][j]`` says how much more
        important criterion ``i`` is than criterion ``j``. A DataFrame carries the names as
        index and columns.
    criteria : sequence of str, optional
        Criterion names (required for an array unless ``c1, c2 ...`` will do).
    max_cr : float or None
        Refuse matrices whose CR exceeds this (Saaty's 0.10 by default); ``None`` to only
        report it.

    Returns
    -------
    AhpResult

    Raises
    ------
    PairwiseMatrixError
        The matrix is malformed (see :func:`check_pairwise`).
    InconsistentJudgementsError
        CR above ``max_cr``; the message names the three judgements furthest from the ratios
        the weights imply.
    """
    frame = _as_frame(matrix, criteria)
    a = check_pairwise(frame)
    names = [str(x) for x in frame.index]
    n = len(names)
    # use the exact reciprocal of the upper triangle, so decimals such as 0.33 do not bias it
    upper = np.triu(a, 1)
    lower = np.divide(1.0, upper.T, out=np.zeros_like(a), where=upper.T > 0)
    a = upper + lower + np.eye(n)
    values, vectors = np.linalg.eig(a)
    k = int(np.argmax(values.real))
    lam = float(values[k].real)
    w = np.abs(vectors[:, k].real)
    w = w / w.sum()
    ri = S.AHP_RANDOM_INDEX[n]
    ci = max((lam - n) / (n - 1), 0.0) if n > 2 else 0.0
    cr = ci / ri if ri > 0 else 0.0
    implied = w[:, None] / w[None, :]
    iu, ju = np.triu_indices(n, 1)
    judged = a[iu, ju]
    ratio = judged / implied[iu, ju]
    deviation = np.maximum(ratio, 1.0 / ratio)
    order = np.argsort(-deviation, kind="stable")
    conflicts = [
        (names[iu[o]], names[ju[o]], float(judged[o]), float(implied[iu[o], ju[o]])) for o in order
    ]
    result = AhpResult(
        weights=pd.Series(w, index=names, name="weight"),
        lambda_max=lam,
        ci=ci,
        ri=ri,
        cr=cr,
        conflicts=conflicts,
    )
    if max_cr is not None and cr > max_cr:
        worst = joined(
            Msg("decision.ahp_conflict", a=i, b=j, judged=_fmt(v), implied=f"{imp:.2f}")
            for i, j, v, imp in conflicts[:3]
        )
        raise InconsistentJudgementsError(
            Msg("decision.ahp_inconsistent", cr=f"{cr:.3f}", max_cr=f"{max_cr:.2f}", worst=worst),
            cr=cr,
            conflicts=conflicts[:3],
        )
    return result


def _fmt(v: float) -> str:
    """A judgement as Saaty writes it: ``5`` or ``1/5``."""
    if v >= 1:
        return f"{v:g}"
    inv = 1.0 / v
    return f"1/{round(inv)}" if abs(inv - round(inv)) < 0.05 else f"{v:.3g}"


def _parse_judgement(text: str) -> float:
    s = text.strip()
    if not s:
        return float("nan")
    try:
        return float(Fraction(s)) if "/" in s else float(s)
    except (ValueError, ZeroDivisionError):
        return float("nan")


def read_pairwise_csv(path: str | PathLike[str]) -> pd.DataFrame:
    """Read a pairwise matrix from CSV: criterion names as header and as first column.

    The top-left cell is ignored. Judgements may be decimals or fractions (``1/3``). The file
    is read as UTF-8 (with or without BOM), or GB18030 if that fails (Excel in China).

    Raises
    ------
    UnreadableFileError
        The file is missing or has no rows.
    EncodingError
        Neither UTF-8 nor GB18030.
    PairwiseMatrixError
        A row has the wrong number of cells or a cell is not a number (the message names it).
    """
    p = Path(path)
    try:
        raw = p.read_bytes()
    except OSError as exc:
        raise UnreadableFileError(
            p, Msg("decision.ahp_cannot_read", reason=exc.strerror or exc)
        ) from None
    for enc in ("utf-8-sig", "gb18030"):
        try:
            text = raw.decode(enc)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise EncodingError(p, Msg("decision.ahp_encoding"))
    rows = [r for r in csv.reader(text.splitlines()) if any(c.strip() for c in r)]
    if len(rows) < 2:
        raise UnreadableFileError(p, Msg("decision.ahp_csv_short"))
    header = [c.strip() for c in rows[0][1:]]
    names, values = [], []
    for k, row in enumerate(rows[1:], start=2):
        if len(row) != len(header) + 1:
            raise PairwiseMatrixError(
                in_file(
                    p, Msg("decision.ahp_row_length", row=k, n=len(row) - 1, expected=len(header))
                )
            )
        names.append(row[0].strip())
        cells = [_parse_judgement(c) for c in row[1:]]
        for c, v, h in zip(row[1:], cells, header, strict=True):
            if v != v:
                raise PairwiseMatrixError(
                    in_file(
                        p,
                        Msg(
                            "decision.ahp_cell",
                            row=k,
                            name=row[0].strip(),
                            column=h,
                            cell=c.strip(),
                        ),
                    )
                )
        values.append(cells)
    try:
        check = pd.DataFrame(values, index=names, columns=header)
        check_pairwise(check)
    except PairwiseMatrixError as exc:
        raise PairwiseMatrixError(in_file(p, exc.args[0])) from None
    return check


def apply_ahp(config: PlannerConfig, use: str, result: AhpResult) -> PlannerConfig:
    """A copy of ``config`` whose weights for ``use`` are the AHP weights.

    Criteria of the use not in the matrix get weight 0.

    Raises
    ------
    ConfigError
        A criterion of the matrix is not a criterion of ``use``.
    """
    config.weights(use)  # validates the use
    names = [c.name for c in CRITERIA[use]]
    unknown = [c for c in result.weights.index if c not in names]
    if unknown:
        raise ConfigError(
            Msg(
                "decision.ahp_unknown_criterion", name=unknown[0], use=use, choices=", ".join(names)
            )
        )
    data = config.to_dict()
    data["weights"][use] = {k: float(result.weights.get(k, 0.0)) for k in names}
    return type(config).from_dict(data)
