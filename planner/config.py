"""One validated configuration: weights, thresholds and assumptions.

Defaults come from :mod:`planner.standards`. A TOML file overrides any part of them::

    [weights.pocket_park]      # relative weights; renormalised over available criteria
    green_gap = 0.30

    [weights.parking]
    demand = 0.35

    [thresholds]
    recommend_min_score = 0.40

    [assumptions]
    cars_per_household = 0.5

    [transforms.green_gap]     # replace a criterion's 0–1 transform (planner.transform_config)
    kind = "linear"
    zero_at = 0
    full_at = 800

Unknown sections or keys, unknown POI categories, values that are not finite numbers
(``true``, ``inf``, ``nan``, text), negative weights and non-positive distances are refused
with a :class:`~planner.errors.ConfigError` that names the key.
"""

from __future__ import annotations

import dataclasses
import math
import tomllib
from dataclasses import dataclass, field
from os import PathLike
from pathlib import Path
from typing import Any

from planner import standards as S
from planner.criteria import CRITERIA, USES, default_weights
from planner.errors import ConfigError
from planner.messages import Msg
from planner.plan_settings import CostSettings, EquitySettings, PhaseSettings
from planner.transform_config import TransformSpec, parse_transform, parse_transforms

#: Criteria of each use, in the order they are reported (declared in :mod:`planner.criteria`).
PARK_CRITERIA = tuple(c.name for c in CRITERIA["pocket_park"])
PARKING_CRITERIA = tuple(c.name for c in CRITERIA["parking"])


def _default_park_weights() -> dict[str, float]:
    return default_weights("pocket_park")


def _default_parking_weights() -> dict[str, float]:
    return default_weights("parking")


def _default_poi_weights() -> dict[str, float]:
    # Relative daytime parking pull of one POI (project assumption, configurable).
    return {
        "station": 3.0,
        "hospital": 3.0,
        "market": 2.0,
        "commercial": 2.0,
        "school": 1.0,
        "other": 0.5,
    }


@dataclass
class Thresholds:
    """Radii, ranges and saturation points of the criteria (metres, m², counts)."""

    #: A use is recommended only when its score reaches this (project default).
    recommend_min_score: float = 0.50
    green_radius_m: float = S.GREEN_SERVICE_RADIUS_M
    park_radius_m: float = S.PARK_SERVICE_RADIUS_M
    parking_radius_m: float = S.PARKING_WALK_RADIUS_M
    pocket_park_min_area_m2: float = S.POCKET_PARK_MIN_AREA_M2
    pocket_park_max_area_m2: float = S.POCKET_PARK_MAX_AREA_M2
    pocket_park_min_width_m: float = S.POCKET_PARK_MIN_WIDTH_M
    #: Newly covered residents at which the new-coverage score reaches 1.
    new_coverage_saturation: float = S.LIFE_CIRCLE_5MIN_MIN_RESIDENTS
    #: Unmet vehicles within the parking radius at which the demand score reaches 1
    #: (project assumption: three large surface car parks of about 100 spaces).
    demand_saturation_vehicles: float = 300.0
    #: Stalls at which the capacity score reaches 1 (project assumption, as above).
    stalls_saturation: float = 100.0
    #: Fewest stalls worth a car park; below it parking is not recommended (assumption).
    min_stalls: int = 5
    #: Distance from the plot edge to a road centre line that still counts as frontage:
    #: half a 2-lane street (7 m) plus a 3 m verge (project assumption).
    frontage_buffer_m: float = 10.0
    #: Frontage length at which road access scores in full (JGJ 100-2015 entrance width).
    frontage_full_m: float = S.ENTRANCE_TWO_LANE_WIDTH_M
    #: Walking distance to any street at which street access falls to 0 (assumption).
    street_access_max_m: float = 100.0
    #: Weighted POI count within the parking radius at which the POI score reaches 1.
    poi_saturation: float = 6.0
    #: Share of elderly plus children at which the vulnerable-share score reaches 1
    #: (assumption: about twice China's 2020 share of 65+ and 0–14 together, 31.5 %).
    vulnerable_share_saturation: float = 0.5
    poi_weights: dict[str, float] = field(default_factory=_default_poi_weights)
    #: Walking network (planner.access.network): longest connector from a place to the network (m)
    #: and the detour factor on the straight line of places off it (check).
    walk_snap_m: float = S.WALK_ACCESS_SNAP_M
    walk_detour_factor: float = S.WALK_DETOUR_FACTOR
    #: Streets this close to a plot or park edge are all its access points (m).
    walk_frontage_m: float = S.WALK_FRONTAGE_M
    #: Walking speed (m/min) for life-circle catchments (check).
    walking_speed_m_per_min: float = S.WALKING_SPEED_M_PER_MIN
    #: Life-circle report card targets (planner.decision.lifecircles): share of residents within the
    #: park radius of a park (GB/T 51346-2019 4.3.4), within the green radius of green space
    #: (check), and park area per resident (GB 55014-2021, check).
    park_coverage_target_share: float = S.PARK_COVERAGE_TARGET_SHARE
    green_coverage_target_share: float = S.GREEN_COVERAGE_TARGET_SHARE
    park_area_per_resident_m2: float = S.PARK_AREA_PER_RESIDENT_M2


@dataclass
class Assumptions:
    """Population and car-ownership assumptions (see :mod:`planner.standards`)."""

    persons_per_floor_m2: float = S.PERSONS_PER_FLOOR_M2
    default_floors: float = S.DEFAULT_FLOORS
    household_size: float = S.HOUSEHOLD_SIZE
    cars_per_household: float = S.CARS_PER_HOUSEHOLD
    night_demand_match_ratio: float = S.NIGHT_DEMAND_MATCH_RATIO
    existing_parking_m2_per_space: float = S.EXISTING_PARKING_M2_PER_SPACE
    #: Capacity of an existing car park given as a point with no capacity (assumption).
    default_parking_point_capacity: float = 20.0


def _default_daytime_rates() -> dict[str, float]:
    return dict(S.DAYTIME_VEHICLES_PER_POI)


@dataclass(frozen=True)
class StallDimensions:
    """Stall and aisle dimensions and clearances of the stall layout (metres).

    Declared once for both records that carry them: the ``[parking]`` section
    (:class:`ParkingSettings`) and the layout model's
    :class:`planner.parking.layout.LayoutParams`. Defaults are the JGJ 100-2015 figures of
    :mod:`planner.standards`; see ``docs/parking.md``.
    """

    stall_width_m: float = S.STALL_WIDTH_M
    stall_length_m: float = S.STALL_LENGTH_M
    aisle_90_m: float = S.AISLE_90_TWO_WAY_M
    aisle_60_m: float = S.AISLE_60_ONE_WAY_M
    aisle_45_m: float = S.AISLE_45_ONE_WAY_M
    parallel_width_m: float = S.PARALLEL_STALL_WIDTH_M
    parallel_length_m: float = S.PARALLEL_STALL_LENGTH_M
    aisle_parallel_m: float = S.AISLE_PARALLEL_ONE_WAY_M
    clearance_side_m: float = S.CLEARANCE_SIDE_M
    clearance_end_m: float = S.CLEARANCE_END_M


@dataclass(frozen=True)
class ParkingSettings(StallDimensions):
    """The ``[parking]`` section: stall layout dimensions and parking-demand rates.

    The dimensions are :class:`StallDimensions` (:mod:`planner.parking.layout` builds its
    :class:`~planner.parking.layout.LayoutParams` from them); the rest feed
    :mod:`planner.parking.demand`. Defaults are the JGJ 100-2015 figures and project
    assumptions of :mod:`planner.standards`; see ``docs/parking.md``. Frozen: change a value
    with :func:`dataclasses.replace` or the TOML file.
    """

    #: One accessible stall per this many stalls, rounded up.
    accessible_every: float = S.ACCESSIBLE_STALL_EVERY
    #: Planning guide: spaces per registered vehicle (2015 城市停车设施规划导则).
    supply_ratio_min: float = S.PARKING_SUPPLY_RATIO_MIN
    supply_ratio_max: float = S.PARKING_SUPPLY_RATIO_MAX
    #: Daytime vehicles drawn by one POI of each category (project assumptions, check).
    daytime_vehicles_per_poi: dict[str, float] = field(default_factory=_default_daytime_rates)


#: The money, time and fairness sections (:mod:`planner.plan_settings`), by TOML name.
_PLAN_SECTIONS = {"costs": CostSettings, "phases": PhaseSettings, "equity": EquitySettings}

#: Sections keyed by POI category (``[thresholds.poi_weights]``,
#: ``[parking.daytime_vehicles_per_poi]``).
_CATEGORY_TABLES = ("poi_weights", "daytime_vehicles_per_poi")
#: The POI categories those tables may name (the categories POIs are normalised to,
#: :data:`planner.layers.POI_CATEGORY_ALIASES`, plus ``other``).
POI_CATEGORIES = tuple(_default_poi_weights())


def _finite_number(value: Any) -> bool:
    """A real, finite number: not a bool (TOML ``true``), ``inf``, ``nan`` or a string."""
    return not isinstance(value, bool) and isinstance(value, int | float) and math.isfinite(value)


def _check_categories(key: str, table: Any) -> None:
    """A table of POI category -> finite number >= 0, known categories only."""
    if not isinstance(table, dict):
        raise ConfigError(Msg("config.categories_not_table", key=key))
    for cat, v in table.items():
        if cat not in POI_CATEGORIES:
            raise ConfigError(
                Msg(
                    "config.unknown_poi_category",
                    key=key,
                    category=cat,
                    categories=", ".join(POI_CATEGORIES),
                )
            )
        if not _finite_number(v) or v < 0:
            raise ConfigError(Msg("config.not_non_negative", name=f"{key}.{cat}", value=v))


def _table(value: Any, name: str, source: str) -> dict[str, Any]:
    """``value`` as a dict, or a ConfigError saying ``[name]`` must be a table."""
    if not isinstance(value, dict):
        raise ConfigError(Msg("config.not_a_table", source=source, name=name, value=value))
    return value


@dataclass
class PlannerConfig:
    """Weights, thresholds and assumptions of a run.

    Attributes
    ----------
    park_weights, parking_weights : dict
        Relative weight of each criterion of the use. Weights of criteria whose layer is
        missing are left out and the rest renormalised.
    thresholds : Thresholds
    assumptions : Assumptions
    parking : ParkingSettings
    costs, phases, equity : CostSettings, PhaseSettings, EquitySettings
        The ``[costs]``, ``[phases]`` and ``[equity]`` sections
        (:mod:`planner.plan_settings`), each checked when made.
    transforms : dict
        Criterion name -> :class:`~planner.transform_config.TransformSpec` replacing the
        criterion's default transform (empty: all defaults).
    """

    park_weights: dict[str, float] = field(default_factory=_default_park_weights)
    parking_weights: dict[str, float] = field(default_factory=_default_parking_weights)
    thresholds: Thresholds = field(default_factory=Thresholds)
    assumptions: Assumptions = field(default_factory=Assumptions)
    parking: ParkingSettings = field(default_factory=ParkingSettings)
    transforms: dict[str, TransformSpec] = field(default_factory=dict)
    costs: CostSettings = field(default_factory=CostSettings)
    phases: PhaseSettings = field(default_factory=PhaseSettings)
    equity: EquitySettings = field(default_factory=EquitySettings)

    def __post_init__(self) -> None:
        self.validate()

    def weights(self, use: str) -> dict[str, float]:
        """The weights of ``use`` (``pocket_park`` or ``parking``)."""
        if use == "pocket_park":
            return self.park_weights
        if use == "parking":
            return self.parking_weights
        raise ConfigError(Msg("config.unknown_use", use=use, uses=", ".join(USES)))

    def notes(self) -> list[str]:
        """What a run tells about this configuration: measures given by a former name."""
        return [note for spec in self.transforms.values() if (note := spec.note)]

    def validate(self) -> None:
        """Raise :class:`ConfigError` if any value is out of range.

        Every number must be a finite number (not ``true``/``false``, ``inf`` or ``nan``);
        weights ``>= 0`` with at least one ``> 0`` per use; POI weights and daytime rates
        ``>= 0`` for the known POI categories only; distances, sizes and rates ``> 0``. The
        message names the key.
        """
        for use, names in (("pocket_park", PARK_CRITERIA), ("parking", PARKING_CRITERIA)):
            w = self.weights(use)
            unknown = set(w) - set(names)
            if unknown:
                raise ConfigError(
                    Msg(
                        "config.unknown_criterion",
                        use=use,
                        criterion=sorted(unknown)[0],
                        criteria=", ".join(names),
                    )
                )
            for k, v in w.items():
                if not _finite_number(v) or v < 0:
                    raise ConfigError(
                        Msg("config.not_non_negative", name=f"weights.{use}.{k}", value=v)
                    )
            if sum(w.values()) <= 0:
                raise ConfigError(Msg("config.all_weights_zero", use=use))
            for k in names:
                w.setdefault(k, 0.0)
        for where, section in (
            ("thresholds", self.thresholds),
            ("assumptions", self.assumptions),
            ("parking", self.parking),
        ):
            for f in dataclasses.fields(section):
                v = getattr(section, f.name)
                key = f"{where}.{f.name}"
                if f.name in _CATEGORY_TABLES:
                    _check_categories(key, v)
                    continue
                if not _finite_number(v):
                    raise ConfigError(Msg("config.not_finite", name=key, value=v))
                if f.name == "recommend_min_score":
                    if not 0 <= v <= 1:
                        raise ConfigError(Msg("config.not_unit", name=key, value=v))
                elif f.name == "min_stalls":
                    if v < 0:
                        raise ConfigError(Msg("config.negative", name=key, value=v))
                elif v <= 0:
                    raise ConfigError(Msg("must_be_positive", name=key, value=v))
        # specs or TOML-shaped dicts; always re-validated (a spec keeps the name it was given by)
        self.transforms = {
            k: (
                dataclasses.replace(parse_transform(k, v.to_dict()), given_as=v.given_as)
                if isinstance(v, TransformSpec)
                else parse_transform(k, v)
            )
            for k, v in self.transforms.items()
        }
        t = self.thresholds
        if t.pocket_park_min_area_m2 >= t.pocket_park_max_area_m2:
            raise ConfigError(Msg("config.park_area_order"))

    # --- TOML -------------------------------------------------------------------------------
    @classmethod
    def from_dict(cls, data: dict[str, Any], *, source: str = "<config>") -> PlannerConfig:
        """Build from a dict shaped like the TOML file; unknown keys are an error."""
        allowed = {"weights", "thresholds", "assumptions", "parking", "transforms", *_PLAN_SECTIONS}
        unknown = set(data) - allowed
        if unknown:
            raise ConfigError(
                Msg(
                    "config.unknown_section",
                    source=source,
                    section=sorted(unknown)[0],
                    sections=", ".join(sorted(allowed)),
                )
            )
        weights = _table(data.get("weights", {}), "weights", source)
        bad = set(weights) - set(USES)
        if bad:
            raise ConfigError(
                Msg(
                    "config.unknown_weights_section",
                    source=source,
                    section=f"weights.{sorted(bad)[0]}",
                    uses=", ".join(USES),
                )
            )
        kwargs: dict[str, Any] = {}
        if "pocket_park" in weights:
            kwargs["park_weights"] = {
                **{k: 0.0 for k in PARK_CRITERIA},
                **_table(weights["pocket_park"], "weights.pocket_park", source),
            }
        if "parking" in weights:
            kwargs["parking_weights"] = {
                **{k: 0.0 for k in PARKING_CRITERIA},
                **_table(weights["parking"], "weights.parking", source),
            }
        for name, klass in (
            ("thresholds", Thresholds),
            ("assumptions", Assumptions),
            ("parking", ParkingSettings),
        ):
            section = dict(_table(data.get(name, {}), name, source))
            names = {f.name for f in dataclasses.fields(klass)}
            extra = set(section) - names
            if extra:
                raise ConfigError(
                    Msg("config.unknown_key", source=source, key=f"{name}.{sorted(extra)[0]}")
                )
            if name == "thresholds" and "poi_weights" in section:
                section["poi_weights"] = {
                    **_default_poi_weights(),
                    **_table(section["poi_weights"], "thresholds.poi_weights", source),
                }
            if name == "parking" and "daytime_vehicles_per_poi" in section:
                section["daytime_vehicles_per_poi"] = {
                    **_default_daytime_rates(),
                    **_table(
                        section["daytime_vehicles_per_poi"],
                        "parking.daytime_vehicles_per_poi",
                        source,
                    ),
                }
            kwargs[name] = klass(**section)
        if "transforms" in data:
            kwargs["transforms"] = parse_transforms(data["transforms"], source)
        try:
            for name, klass in _PLAN_SECTIONS.items():
                if name in data:
                    kwargs[name] = klass.from_section(data[name])
            return cls(**kwargs)
        except ConfigError as exc:
            raise ConfigError(Msg("config.in_source", source=source, detail=exc)) from None

    @classmethod
    def from_toml(cls, path: str | PathLike[str]) -> PlannerConfig:
        """Read a TOML configuration file."""
        p = Path(path)
        try:
            data = tomllib.loads(p.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise ConfigError(Msg("config.file_not_found", path=str(p))) from None
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise ConfigError(Msg("config.not_toml", path=str(p), detail=exc)) from None
        return cls.from_dict(data, source=str(p))

    def to_dict(self) -> dict[str, Any]:
        """The configuration as a TOML-shaped dict (the inverse of :meth:`from_dict`)."""
        out: dict[str, Any] = {
            "weights": {
                "pocket_park": dict(self.park_weights),
                "parking": dict(self.parking_weights),
            },
            "thresholds": dataclasses.asdict(self.thresholds),
            "assumptions": dataclasses.asdict(self.assumptions),
            "parking": dataclasses.asdict(self.parking),
        }
        if self.transforms:  # only when set
            out["transforms"] = {k: v.to_dict() for k, v in self.transforms.items()}
        out.update({name: getattr(self, name).to_dict() for name in _PLAN_SECTIONS})
        return out
