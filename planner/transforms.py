"""Transforms that turn a criterion's raw value into a 0–1 score.

Each takes a :class:`pandas.Series` and returns a Series with the same index; NaN stays NaN
(a criterion that could not be measured is left out of the weighting, never scored 0).
"""

from __future__ import annotations

import numpy as np
import pandas as pd


def _wrap(values: np.ndarray, like: pd.Series, name: str | None) -> pd.Series:
    out = pd.Series(values, index=like.index, name=name or like.name, dtype=float)
    return out.where(like.notna())


def ramp(x: pd.Series, points: list[tuple[float, float]], *, name: str | None = None) -> pd.Series:
    """Piecewise-linear score through ``points`` ``[(x0, s0), (x1, s1), ...]``, flat beyond them.

    ``inf`` takes the score of the last point.
    """
    xs, ys = zip(*sorted(points), strict=True)
    v = np.where(np.isposinf(x.to_numpy(dtype=float)), xs[-1], x.to_numpy(dtype=float))
    return _wrap(np.interp(v, xs, ys), x, name)


def saturating(x: pd.Series, at: float, *, name: str | None = None) -> pd.Series:
    """``x / at`` clipped to 0–1: linear up to ``at``, where the score reaches 1."""
    return _wrap(np.clip(x.to_numpy(dtype=float) / at, 0.0, 1.0), x, name)


def ideal_range(x: pd.Series, low: float, high: float, *, name: str | None = None) -> pd.Series:
    """1 inside ``[low, high]``, 0 below ``low``, ``high / x`` above ``high``."""
    v = x.to_numpy(dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        above = np.where(v > 0, high / v, 0.0)
    s = np.where(v < low, 0.0, np.where(v <= high, 1.0, above))
    return _wrap(s, x, name)


def decay(x: pd.Series, full_until: float, zero_at: float, *, name: str | None = None) -> pd.Series:
    """1 up to ``full_until``, falling linearly to 0 at ``zero_at`` (e.g. distance decay)."""
    return ramp(x, [(full_until, 1.0), (zero_at, 0.0)], name=name)
