"""Whose cars they are: parking demand, existing supply and the gap a plot's stalls would fill.

* Night-time demand of residents: households (population / household size) × cars per
  household × the about 1:1 night-time matching of the 2015 城市停车设施规划导则, less an
  estate's own ``parking_spaces`` where given.
* Daytime demand of destinations: vehicles per POI by category
  (:data:`planner.standards.DAYTIME_VEHICLES_PER_POI`, project assumptions marked check).
* Supply: ``capacity`` of the ``parking`` layer.
* Per plot: the unmet demand within the walking radius (300 m) — the larger of the night and
  day gaps, since one car park serves both at different hours — the part its stalls would
  serve, and the share of the gap that is.
* Per life circle: supply against demand and against the planning guide's 1.1–1.3 spaces per
  registered vehicle.

Distances come from a :class:`~planner.access.distances.DistanceModel`, so a walking-network model
gives walking distances where the network exists.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import partial

import geopandas as gpd
import numpy as np
import pandas as pd

from planner.access.distances import DistanceModel, StraightLineDistance, home_points
from planner.config import Assumptions, ParkingSettings, PlannerConfig, Thresholds
from planner.errors import ConfigError
from planner.messages import Msg

#: Where each parameter comes from in a run's configuration: field -> (section, key). The
#: defaults are those sections' defaults, so each number is written once (planner.config).
CONFIG_KEYS: dict[str, tuple[str, str]] = {
    "household_size": ("assumptions", "household_size"),
    "cars_per_household": ("assumptions", "cars_per_household"),
    "night_match_ratio": ("assumptions", "night_demand_match_ratio"),
    "vehicles_per_poi": ("parking", "daytime_vehicles_per_poi"),
    "radius_m": ("thresholds", "parking_radius_m"),
    "supply_ratio_min": ("parking", "supply_ratio_min"),
    "supply_ratio_max": ("parking", "supply_ratio_max"),
}


def _from_sections(sections: Mapping[str, object], names: Iterable[str]) -> dict[str, object]:
    """The parameters ``names`` read from configuration sections (section name -> record)."""
    out: dict[str, object] = {}
    for name in names:
        section, key = CONFIG_KEYS[name]
        value = getattr(sections[section], key)
        out[name] = dict(value) if isinstance(value, Mapping) else value
    return out


def _default(name: str) -> object:
    sections = {
        "assumptions": Assumptions(),
        "thresholds": Thresholds(),
        "parking": ParkingSettings(),
    }
    return _from_sections(sections, [name])[name]


@dataclass(frozen=True)
class DemandParams:
    """Rates and radius of the demand model.

    Each parameter defaults to its key of the run's configuration (:data:`CONFIG_KEYS`).

    Attributes
    ----------
    household_size, cars_per_household, night_match_ratio : float
        From the run's :class:`~planner.config.Assumptions`.
    vehicles_per_poi : dict
        Daytime vehicles one POI of each category draws (``other`` for the rest).
    radius_m : float
        Walking distance a car park serves (``thresholds.parking_radius_m``, 300 m).
    supply_ratio_min, supply_ratio_max : float
        Planning guide: total spaces 1.1–1.3 × registered vehicles (2015 guide).
    """

    household_size: float = field(default_factory=partial(_default, "household_size"))
    cars_per_household: float = field(default_factory=partial(_default, "cars_per_household"))
    night_match_ratio: float = field(default_factory=partial(_default, "night_match_ratio"))
    vehicles_per_poi: Mapping[str, float] = field(
        default_factory=partial(_default, "vehicles_per_poi")
    )
    radius_m: float = field(default_factory=partial(_default, "radius_m"))
    supply_ratio_min: float = field(default_factory=partial(_default, "supply_ratio_min"))
    supply_ratio_max: float = field(default_factory=partial(_default, "supply_ratio_max"))

    def __post_init__(self) -> None:
        for name in (
            "household_size",
            "cars_per_household",
            "night_match_ratio",
            "radius_m",
            "supply_ratio_min",
            "supply_ratio_max",
        ):
            v = getattr(self, name)
            if isinstance(v, bool) or not isinstance(v, int | float) or not v > 0:
                raise ConfigError(Msg("parking.demand_not_positive", name=name, value=v))
        for cat, v in self.vehicles_per_poi.items():
            if isinstance(v, bool) or not isinstance(v, int | float) or not v >= 0:
                raise ConfigError(
                    Msg("parking.demand_negative", name=f"vehicles_per_poi.{cat}", value=v)
                )
        if self.supply_ratio_min > self.supply_ratio_max:
            raise ConfigError(Msg("parking.supply_ratio_order"))

    @classmethod
    def from_config(cls, config: PlannerConfig | None = None, **overrides: object) -> DemandParams:
        """Parameters from a run's assumptions, parking radius and ``[parking]`` section."""
        config = config or PlannerConfig()
        sections = {
            "assumptions": config.assumptions,
            "thresholds": config.thresholds,
            "parking": config.parking,
        }
        kw = _from_sections(sections, CONFIG_KEYS)
        kw.update(overrides)
        return cls(**kw)  # type: ignore[arg-type]

    @classmethod
    def from_assumptions(cls, a: Assumptions, **overrides: object) -> DemandParams:
        """Parameters from :class:`~planner.config.Assumptions` alone (the rest default)."""
        kw = _from_sections(
            {"assumptions": a},
            [name for name, (section, _) in CONFIG_KEYS.items() if section == "assumptions"],
        )
        kw.update(overrides)
        return cls(**kw)  # type: ignore[arg-type]


# --- demand of each feature -----------------------------------------------------------------
def registered_vehicles(residential: gpd.GeoDataFrame, params: DemandParams) -> pd.Series:
    """Cars owned by the residents of each feature: population / household size × ownership."""
    v = residential["population"].astype(float) / params.household_size * params.cars_per_household
    return v.clip(lower=0.0).rename("registered_vehicles")


def night_demand(residential: gpd.GeoDataFrame, params: DemandParams) -> pd.Series:
    """Night-time parking demand (vehicles) of each residential feature not met on its land.

    Registered vehicles × the night-time matching ratio (about 1:1, 2015 城市停车设施规划导则),
    less the estate's own ``parking_spaces`` where the layer has that column; never below 0.
    """
    v = registered_vehicles(residential, params) * params.night_match_ratio
    if "parking_spaces" in residential:
        v = v - residential["parking_spaces"].astype(float).fillna(0.0)
    return v.clip(lower=0.0).rename("night_vehicles")


def daytime_demand(pois: gpd.GeoDataFrame, params: DemandParams) -> pd.Series:
    """Daytime parking demand (vehicles) each POI draws, from its ``category``."""
    rates = dict(params.vehicles_per_poi)
    other = rates.get("other", 0.0)
    v = pois["category"].map(rates).astype(float).fillna(other)
    return v.rename("day_vehicles")


# --- per plot -------------------------------------------------------------------------------
def demand_around_plots(
    plots: gpd.GeoDataFrame | gpd.GeoSeries,
    residential: gpd.GeoDataFrame | None = None,
    pois: gpd.GeoDataFrame | None = None,
    parking: gpd.GeoDataFrame | None = None,
    params: DemandParams | None = None,
    *,
    distances: DistanceModel | None = None,
) -> pd.DataFrame:
    """Demand, supply and unmet demand within the walking radius of each plot.

    Parameters
    ----------
    plots : GeoDataFrame or GeoSeries
        Plots in a metric CRS.
    residential : GeoDataFrame, optional
        With ``population`` (and optionally ``parking_spaces``).
    pois : GeoDataFrame, optional
        With ``category``.
    parking : GeoDataFrame, optional
        Existing car parks with ``capacity``; none means no existing supply.
    params : DemandParams, optional
    distances : DistanceModel, optional
        Straight line when omitted; pass a walking-network model for walking distance.

    Returns
    -------
    DataFrame
        Aligned to ``plots``: ``night_demand``, ``day_demand``, ``supply``,
        ``unmet_night``, ``unmet_day`` and ``unmet_vehicles`` (the larger gap), all in
        vehicles within ``params.radius_m``.
    """
    params = params or DemandParams()
    distances = distances or StraightLineDistance()
    geoms = plots.geometry if isinstance(plots, gpd.GeoDataFrame) else plots

    def around(targets: gpd.GeoSeries, values: np.ndarray) -> np.ndarray:
        return distances.sum_values_within(geoms, targets, values, params.radius_m)

    night = (
        around(home_points(residential), night_demand(residential, params).to_numpy())
        if residential is not None
        else np.zeros(len(geoms))
    )
    day = (
        around(pois.geometry, daytime_demand(pois, params).to_numpy())
        if pois is not None
        else np.zeros(len(geoms))
    )
    supply = (
        around(parking.geometry, parking["capacity"].to_numpy(dtype=float))
        if parking is not None
        else np.zeros(len(geoms))
    )
    unmet_night = np.maximum(night - supply, 0.0)
    unmet_day = np.maximum(day - supply, 0.0)
    return pd.DataFrame(
        {
            "night_demand": night,
            "day_demand": day,
            "supply": supply,
            "unmet_night": unmet_night,
            "unmet_day": unmet_day,
            "unmet_vehicles": np.maximum(unmet_night, unmet_day),
        },
        index=geoms.index,
    )


def demand_served(unmet: pd.Series, stalls: pd.Series) -> pd.DataFrame:
    """The unmet demand a plot's stalls would serve, and the share of the gap that is.

    ``served = min(stalls, unmet)``; ``share_met = served / unmet`` (NaN where nothing is
    unmet). Both aligned to ``unmet``.
    """
    u = unmet.astype(float).to_numpy()
    s = np.asarray(stalls.reindex(unmet.index), dtype=float)
    served = np.minimum(np.maximum(s, 0.0), u)
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(u > 0, served / np.where(u > 0, u, 1.0), np.nan)
    return pd.DataFrame(
        {"parking_demand_served": served, "parking_demand_share_met": share}, index=unmet.index
    )


# --- per life circle ------------------------------------------------------------------------
def _sum_inside(circles: gpd.GeoSeries, points: gpd.GeoSeries, values: np.ndarray) -> np.ndarray:
    """Sum of ``values`` over points inside each circle polygon (a point in two counts twice)."""
    if len(points) == 0 or len(circles) == 0:
        return np.zeros(len(circles))
    i, j = points.sindex.query(circles.values, predicate="intersects")
    return np.bincount(i, weights=np.asarray(values, dtype=float)[j], minlength=len(circles))


def life_circle_balance(
    life_circles: gpd.GeoDataFrame,
    residential: gpd.GeoDataFrame | None = None,
    pois: gpd.GeoDataFrame | None = None,
    parking: gpd.GeoDataFrame | None = None,
    params: DemandParams | None = None,
    *,
    proposed: pd.Series | None = None,
    proposed_at: gpd.GeoSeries | None = None,
) -> pd.DataFrame:
    """Parking supply against demand and against the planning guide in each life circle.

    Homes count in the circle their representative point lies in; car parks and POIs by
    their representative point too. The guide's 1.1–1.3 spaces per registered vehicle is about
    all spaces, so supply here is the estates' own spaces plus the public car parks.

    Parameters
    ----------
    life_circles : GeoDataFrame
        Polygons, with ``circle_id`` where prepared.
    residential, pois, parking : GeoDataFrame, optional
    params : DemandParams, optional
    proposed, proposed_at : Series and GeoSeries, optional
        Stalls of proposed car parks and where they are (e.g. recommended plots), added
        to the supply as ``supply_with_proposed``.

    Returns
    -------
    DataFrame
        Aligned to ``life_circles``: ``registered_vehicles``, ``night_demand`` (after the
        estates' own spaces), ``day_demand``, ``own_spaces`` (residential ``parking_spaces``),
        ``public_supply`` (``parking`` layer), ``supply`` (both), ``supply_per_vehicle``,
        ``guide_min`` and ``guide_max`` (1.1 and 1.3 × vehicles), ``shortfall_to_guide``
        (spaces below ``guide_min``), ``night_gap`` (night demand less public supply,
        >= 0), ``supply_with_proposed`` and ``status`` (``below guide``, ``within guide``,
        ``above guide``, ``no residents``).
    """
    params = params or DemandParams()
    circles = life_circles.geometry
    n = len(circles)
    own = np.zeros(n)
    if residential is not None:
        homes = home_points(residential)
        vehicles = _sum_inside(circles, homes, registered_vehicles(residential, params).to_numpy())
        night = _sum_inside(circles, homes, night_demand(residential, params).to_numpy())
        if "parking_spaces" in residential:
            own = _sum_inside(
                circles,
                homes,
                residential["parking_spaces"].astype(float).fillna(0.0).clip(lower=0.0).to_numpy(),
            )
    else:
        vehicles = night = np.zeros(n)
    day = (
        _sum_inside(
            circles, pois.geometry.representative_point(), daytime_demand(pois, params).to_numpy()
        )
        if pois is not None
        else np.zeros(n)
    )
    public = (
        _sum_inside(
            circles,
            parking.geometry.representative_point(),
            parking["capacity"].to_numpy(dtype=float),
        )
        if parking is not None
        else np.zeros(n)
    )
    supply = public + own
    extra = (
        _sum_inside(circles, proposed_at.representative_point(), np.asarray(proposed, dtype=float))
        if proposed is not None and proposed_at is not None
        else np.zeros(n)
    )
    gmin = vehicles * params.supply_ratio_min
    gmax = vehicles * params.supply_ratio_max
    with np.errstate(divide="ignore", invalid="ignore"):
        per_vehicle = np.where(vehicles > 0, supply / np.where(vehicles > 0, vehicles, 1.0), np.nan)
    status = np.where(
        vehicles <= 0,
        "no residents",
        np.where(
            supply < gmin - 1e-9,
            "below guide",
            np.where(supply > gmax + 1e-9, "above guide", "within guide"),
        ),
    )
    out = pd.DataFrame(
        {
            "registered_vehicles": vehicles,
            "night_demand": night,
            "day_demand": day,
            "own_spaces": own,
            "public_supply": public,
            "supply": supply,
            "supply_per_vehicle": per_vehicle,
            "guide_min": gmin,
            "guide_max": gmax,
            "shortfall_to_guide": np.maximum(gmin - supply, 0.0),
            "night_gap": np.maximum(night - public, 0.0),
            "supply_with_proposed": supply + extra,
            "status": status,
        },
        index=life_circles.index,
    )
    if "circle_id" in life_circles:
        out.insert(0, "circle_id", life_circles["circle_id"].to_numpy())
    return out
