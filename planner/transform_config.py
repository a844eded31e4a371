"""Configurable transforms: how a criterion's raw measure becomes a 0–1 score.

Every criterion has a default transform (see :mod:`planner.criteria`). A configuration file
may replace it with one of the kinds below, in a ``[transforms.<criterion>]`` section::

    [transforms.green_gap]          # distance to green space, metres
    kind = "linear"                 # 0 at the plot, 1 at 800 m and beyond
    zero_at = 0
    full_at = 800

    [transforms.street_access]
    kind = "decay"                  # 1 up to 20 m from a street, 0 from 150 m
    full_until = 20
    zero_at = 150

    [transforms.capacity]
    kind = "threshold"              # all or nothing: 1 from 30 stalls
    at = 30

    [transforms.area_fit]
    kind = "ideal_range"            # 1 within 1,000–5,000 m², 0 below, high/area above
    low = 1000
    high = 5000

    [transforms.new_coverage]
    kind = "piecewise"              # straight lines through (residents, score) points
    points = [[0, 0], [1000, 0.6], [3000, 1]]

The transform reads the criterion's raw measure (for ``shape``, which combines two measures,
name one with ``measure = "min_width_m"`` or ``"compactness"``). NaN stays NaN: a criterion
that could not be measured is still left out of the weighting. A measure's former name
(``measure = "unmet_vehicles_300m"``, before the columns were named by meaning) is read as its
new name, and the run says so in a note (:attr:`TransformSpec.note`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from planner import transforms as T
from planner.criteria import CRITERIA, MEASURES, criterion_named
from planner.errors import ConfigError
from planner.messages import Msg, all_of

#: Required parameters of each kind (``threshold`` also takes ``above``, default true).
KINDS: dict[str, tuple[str, ...]] = {
    "linear": ("zero_at", "full_at"),
    "threshold": ("at",),
    "ideal_range": ("low", "high"),
    "decay": ("full_until", "zero_at"),
    "piecewise": ("points",),
}
_OPTIONAL: dict[str, tuple[str, ...]] = {"threshold": ("above",)}


@dataclass(frozen=True)
class TransformSpec:
    """A configured transform of one criterion.

    Attributes
    ----------
    criterion : str
    kind : str
        One of :data:`KINDS`.
    params : dict
        The kind's parameters, validated.
    measure : str
        The raw column it reads.
    given_as : str
        The measure's former name when the configuration used it (``""`` otherwise).
    """

    criterion: str
    kind: str
    params: dict[str, Any] = field(default_factory=dict)
    measure: str = ""
    given_as: str = field(default="", compare=False)

    @property
    def note(self) -> Msg | None:
        """A line for the run's notes when the measure was given by a former name."""
        if not self.given_as:
            return None
        return Msg(
            "config.note_measure_renamed",
            criterion=self.criterion,
            old=self.given_as,
            new=self.measure,
        )

    def apply(self, raw: pd.DataFrame) -> pd.Series:
        """Score the criterion from the raw-measure table (0–1, NaN where not measured)."""
        x = raw[self.measure].astype(float)
        p = self.params
        if self.kind == "linear":
            return T.ramp(x, [(p["zero_at"], 0.0), (p["full_at"], 1.0)])
        if self.kind == "decay":
            return T.decay(x, p["full_until"], p["zero_at"])
        if self.kind == "ideal_range":
            return T.ideal_range(x, p["low"], p["high"])
        if self.kind == "piecewise":
            return T.ramp(x, [tuple(pt) for pt in p["points"]])
        v = x.to_numpy()
        hit = v >= p["at"] if p.get("above", True) else v <= p["at"]
        return pd.Series(np.where(hit, 1.0, 0.0), index=x.index, name=x.name).where(x.notna())

    def to_dict(self) -> dict[str, Any]:
        """The TOML form of the spec."""
        out: dict[str, Any] = {"kind": self.kind, **self.params}
        if self.measure:
            out["measure"] = self.measure
        return out


def _number(criterion: str, key: str, value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise ConfigError(
            Msg("config.not_a_number", name=f"transforms.{criterion}.{key}", value=value)
        )
    return float(value)


def parse_transform(criterion: str, data: Any) -> TransformSpec:
    """Validate one ``[transforms.<criterion>]`` table.

    Raises
    ------
    ConfigError
        Unknown criterion or kind, a missing or unknown key, a value of the wrong type, or
        parameters in the wrong order (e.g. ``low >= high``). The message names the key.
    """
    try:
        crit = criterion_named(criterion)
    except KeyError:
        raise ConfigError(
            Msg(
                "config.transform_unknown_criterion",
                criterion=criterion,
                criteria=", ".join(c.name for cs in CRITERIA.values() for c in cs),
            )
        ) from None
    if not isinstance(data, dict):
        raise ConfigError(Msg("config.transform_not_table", criterion=criterion))
    body = dict(data)
    kind = body.pop("kind", None)
    if not isinstance(kind, str) or kind not in KINDS:  # a list or table is not a kind
        raise ConfigError(
            Msg(
                "config.one_of",
                name=f"transforms.{criterion}.kind",
                allowed=", ".join(KINDS),
                value=kind,
            )
        )
    measure, given_as = _measure(criterion, crit.raw, body.pop("measure", None))
    allowed = KINDS[kind] + _OPTIONAL.get(kind, ())
    extra = sorted(set(body) - set(allowed))
    if extra:
        raise ConfigError(
            Msg(
                "config.transform_unknown_key",
                key=f"transforms.{criterion}.{extra[0]}",
                kind=kind,
                keys=", ".join(("kind", "measure") + allowed),
            )
        )
    missing = [k for k in KINDS[kind] if k not in body]
    if missing:
        raise ConfigError(
            Msg("config.transform_missing", criterion=criterion, kind=kind, key=missing[0])
        )
    params: dict[str, Any] = {}
    if kind == "piecewise":
        pts = body["points"]
        if (
            not isinstance(pts, list)
            or len(pts) < 2
            or not all(isinstance(p, list) and len(p) == 2 for p in pts)
        ):
            raise ConfigError(Msg("config.points_not_pairs", criterion=criterion))
        pairs = [(_number(criterion, "points", x), _number(criterion, "points", s)) for x, s in pts]
        xs = [x for x, _ in pairs]
        if len(set(xs)) != len(xs):
            raise ConfigError(Msg("config.points_repeat", criterion=criterion))
        if not all(0.0 <= s <= 1.0 for _, s in pairs):
            raise ConfigError(Msg("config.points_scores", criterion=criterion))
        params["points"] = [list(p) for p in sorted(pairs)]
    else:
        for k in KINDS[kind]:
            params[k] = _number(criterion, k, body[k])
        if "above" in body:
            if not isinstance(body["above"], bool):
                raise ConfigError(Msg("config.above_not_bool", criterion=criterion))
            params["above"] = body["above"]
    _check_order(criterion, kind, params)
    return TransformSpec(criterion, kind, params, measure, given_as)


#: The two parameters of a kind that must be ordered (``<``) or differ (``!=``).
_ORDER = {
    "linear": ("zero_at", "full_at", "!="),
    "ideal_range": ("low", "high", "<"),
    "decay": ("full_until", "zero_at", "<"),
}


def _check_order(criterion: str, kind: str, params: dict[str, Any]) -> None:
    """Refuse parameters of ``kind`` in the wrong order (``low`` not below ``high`` ...)."""
    if kind not in _ORDER:
        return
    a, b, op = _ORDER[kind]
    if (op == "<" and not params[a] < params[b]) or (op == "!=" and params[a] == params[b]):
        raise ConfigError(
            Msg(
                "config.transform_below" if op == "<" else "config.transform_differ",
                criterion=criterion,
                a=a,
                b=b,
                value_a=params[a],
                value_b=params[b],
            )
        )


def _measure(criterion: str, measures: tuple[str, ...], given: Any) -> tuple[str, str]:
    """The raw column a transform reads, and the former name it was given by (or ``""``)."""
    if given is None:
        if len(measures) > 1:
            raise ConfigError(
                Msg(
                    "config.transform_which_measure", criterion=criterion, measures=all_of(measures)
                )
            )
        return measures[0], ""
    if isinstance(given, str) and given not in measures:
        renamed = [m for m in measures if given in MEASURES[m].formerly]
        if renamed:
            return renamed[0], given
    if not isinstance(given, str) or given not in measures:
        raise ConfigError(
            Msg(
                "config.one_of",
                name=f"transforms.{criterion}.measure",
                allowed=", ".join(measures),
                value=given,
            )
        )
    return given, ""


def parse_transforms(section: Any, source: str = "<config>") -> dict[str, TransformSpec]:
    """Validate the whole ``[transforms]`` section (criterion -> table)."""
    if not isinstance(section, dict):
        raise ConfigError(Msg("config.transforms_not_tables", source=source))
    try:
        return {name: parse_transform(name, body) for name, body in section.items()}
    except ConfigError as exc:
        raise ConfigError(Msg("config.in_source", source=source, detail=exc)) from None
