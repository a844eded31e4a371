"""The ``[costs]``, ``[phases]`` and ``[equity]`` sections: money, time and fairness settings.

Three frozen records, each its own section of the configuration file and its own parameter
record (:class:`planner.config.PlannerConfig` holds one of each)::

    [costs]                     # unit costs (yuan); planner.decision.costs
    park_planted_yuan_per_m2 = 500.0
    park_type = "auto"          # auto | hard | planted | play

    [phases]                    # multi-period selection; planner.decision.phases
    discount = 0.2

    [equity]                    # access per age group, 2SFCA; planner.decision.equity
    elderly_speed_m_per_min = 50.0

Every default is a named constant of :mod:`planner.standards` with its source; figures that
are estimates are marked "check" there and can be changed here. Values are checked when the
record is made: a :class:`~planner.errors.ConfigError` names the key.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass
from typing import Any, ClassVar

from planner import standards as S
from planner.errors import ConfigError
from planner.messages import Msg

#: Pocket-park types of the cost table: paved, planted, with play equipment.
PARK_TYPES = ("hard", "planted", "play")
#: ``park_type`` values: one type for every park, or ``auto`` (by width and area).
PARK_TYPE_CHOICES = ("auto", *PARK_TYPES)
#: Distance decay of the two-step floating catchment (step: 1 within the radius, gaussian).
FCA_DECAYS = ("step", "gaussian")


def _number(value: Any) -> bool:
    return not isinstance(value, bool) and isinstance(value, int | float) and math.isfinite(value)


class _Section:
    """Shared reading, checking and writing of a flat settings record."""

    #: Section name in the TOML file.
    section: ClassVar[str] = ""
    #: Fields that are text, with their allowed values.
    choices: ClassVar[dict[str, tuple[str, ...]]] = {}
    #: Fields that may be 0 (the others must be > 0).
    may_be_zero: ClassVar[tuple[str, ...]] = ()
    #: Fields that are shares (0–1).
    shares: ClassVar[tuple[str, ...]] = ()
    #: Fields that are true/false.
    flags: ClassVar[tuple[str, ...]] = ()

    def __post_init__(self) -> None:
        for f in dataclasses.fields(self):  # type: ignore[arg-type]
            self._check(f.name, getattr(self, f.name))

    def _check(self, name: str, v: Any) -> None:
        key = f"{self.section}.{name}"
        if name in self.choices:
            if v not in self.choices[name]:
                raise ConfigError(
                    Msg("config.one_of", name=key, allowed=", ".join(self.choices[name]), value=v)
                )
        elif name in self.flags:
            if not isinstance(v, bool):
                raise ConfigError(Msg("config.not_bool", name=key, value=v))
        elif not _number(v):
            raise ConfigError(Msg("config.not_finite", name=key, value=v))
        elif name in self.shares and not 0 <= v <= 1:
            raise ConfigError(Msg("config.not_unit", name=key, value=v))
        elif name in self.may_be_zero and v < 0:
            raise ConfigError(Msg("config.negative", name=key, value=v))
        elif name not in self.may_be_zero and name not in self.shares and v <= 0:
            raise ConfigError(Msg("must_be_positive", name=key, value=v))

    @classmethod
    def from_section(cls, table: Any) -> Any:
        """The record from a TOML table; unknown keys and bad values are a ConfigError."""
        if not isinstance(table, dict):
            raise ConfigError(Msg("config.section_not_table", name=cls.section, value=table))
        names = {f.name for f in dataclasses.fields(cls)}  # type: ignore[arg-type]
        extra = sorted(set(table) - names)
        if extra:
            raise ConfigError(
                Msg(
                    "config.unknown_key_of",
                    key=f"{cls.section}.{extra[0]}",
                    keys=", ".join(sorted(names)),
                )
            )
        return cls(**table)

    def to_dict(self) -> dict[str, Any]:
        """The record as a TOML table."""
        return dataclasses.asdict(self)  # type: ignore[call-overload]


@dataclass(frozen=True)
class CostSettings(_Section):
    """The ``[costs]`` section: unit costs of building and keeping each use (yuan).

    See :mod:`planner.decision.costs` for how a plot's cost is built from its area, outline,
    stall layout and clearance. Every default is an estimate (:mod:`planner.standards`,
    marked check): put your district's figures here.
    """

    section: ClassVar[str] = "costs"
    choices: ClassVar[dict[str, tuple[str, ...]]] = {"park_type": PARK_TYPE_CHOICES}
    may_be_zero: ClassVar[tuple[str, ...]] = (
        "park_hard_yuan_per_m2",
        "park_planted_yuan_per_m2",
        "park_play_yuan_per_m2",
        "parking_yuan_per_stall",
        "clearance_yuan_per_m2",
        "edge_yuan_per_m",
        "park_upkeep_yuan_per_m2_year",
        "parking_upkeep_yuan_per_stall_year",
    )

    park_hard_yuan_per_m2: float = S.PARK_HARD_COST_YUAN_PER_M2
    park_planted_yuan_per_m2: float = S.POCKET_PARK_COST_YUAN_PER_M2
    park_play_yuan_per_m2: float = S.PARK_PLAY_COST_YUAN_PER_M2
    parking_yuan_per_stall: float = S.SURFACE_PARKING_COST_YUAN_PER_STALL
    clearance_yuan_per_m2: float = S.SITE_CLEARANCE_COST_YUAN_PER_M2
    edge_yuan_per_m: float = S.EDGE_COST_YUAN_PER_M
    park_upkeep_yuan_per_m2_year: float = S.PARK_UPKEEP_YUAN_PER_M2_YEAR
    parking_upkeep_yuan_per_stall_year: float = S.PARKING_UPKEEP_YUAN_PER_STALL_YEAR
    #: ``auto``: hard-paved below ``park_hard_below_width_m`` wide, with play equipment from
    #: ``park_play_min_area_m2``, planted otherwise; or one type for every park.
    park_type: str = "auto"
    park_hard_below_width_m: float = S.POCKET_PARK_MIN_WIDTH_M
    park_play_min_area_m2: float = S.PARK_PLAY_MIN_AREA_M2


@dataclass(frozen=True)
class PhaseSettings(_Section):
    """The ``[phases]`` section: how a multi-period programme values time.

    ``discount``: a resident newly covered one phase later counts ``1 − discount`` of one
    covered now (0: coverage at every phase's end counts the same). ``carry_over``: money a
    phase leaves unspent may be spent in later phases (budgets add up) instead of lapsing.
    """

    section: ClassVar[str] = "phases"
    shares: ClassVar[tuple[str, ...]] = ("discount",)
    flags: ClassVar[tuple[str, ...]] = ("carry_over",)

    discount: float = S.PHASE_DISCOUNT
    carry_over: bool = False

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.discount >= 1:
            raise ConfigError(Msg("config.discount_below_one"))


@dataclass(frozen=True)
class EquitySettings(_Section):
    """The ``[equity]`` section: access per age group and the 2SFCA of green space.

    Adults walk at ``thresholds.walking_speed_m_per_min``; the elderly and children at the
    speeds here, so in the same minutes they reach a shorter distance. Shares of 60+ and
    under-14 residents come from the residential layer's ``elderly_share`` / ``child_share``
    where given, else from the shares here (7th census 2020).
    """

    section: ClassVar[str] = "equity"
    shares: ClassVar[tuple[str, ...]] = ("elderly_share", "child_share")
    choices: ClassVar[dict[str, tuple[str, ...]]] = {"fca_decay": FCA_DECAYS}

    elderly_speed_m_per_min: float = S.ELDERLY_WALKING_SPEED_M_PER_MIN
    child_speed_m_per_min: float = S.CHILD_WALKING_SPEED_M_PER_MIN
    elderly_share: float = S.ELDERLY_60_PLUS_SHARE
    child_share: float = S.CHILD_UNDER_14_SHARE
    #: Two-step floating catchment: catchment radius (m), distance decay, the Gaussian's
    #: spread (m) and the green space per resident a home should reach (m²).
    fca_radius_m: float = S.PARK_SERVICE_RADIUS_M
    fca_decay: str = "step"
    fca_gaussian_sigma_m: float = S.PARK_SERVICE_RADIUS_M / 2
    fca_target_m2_per_resident: float = S.PUBLIC_GREEN_PER_RESIDENT_10MIN_M2

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.elderly_share + self.child_share > 1:
            raise ConfigError(Msg("config.equity_shares"))
