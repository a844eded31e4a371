"""Parking measures: vehicle demand, road frontage, stall estimate, pull of busy places."""

from __future__ import annotations

from collections.abc import Mapping

import geopandas as gpd
import pandas as pd
import shapely

from planner.access.distances import DistanceModel
from planner.config import Assumptions
from planner.criteria.access import sum_within
from planner.parking.demand import DemandParams, demand_around_plots, night_demand
from planner.parking.frontage import car_road_frontage
from planner.parking.layout import LayoutParams, layout_plots


def vehicle_demand(residential: gpd.GeoDataFrame, assumptions: Assumptions) -> pd.Series:
    """Night-time parking demand (vehicles) of each residential feature not met on its own land.

    households = population / household size; vehicles = households × cars per household ×
    night-time matching ratio (about 1:1, 2015 城市停车设施规划导则); less the estate's own
    ``parking_spaces`` where the layer gives them, never below 0
    (:func:`planner.parking.demand.night_demand`).
    """
    params = DemandParams.from_assumptions(assumptions)
    return night_demand(residential, params).rename("vehicles")


def unmet_vehicle_demand(
    plots: gpd.GeoDataFrame,
    residential: gpd.GeoDataFrame,
    parking: gpd.GeoDataFrame | None,
    radius: float,
    distances: DistanceModel,
    assumptions: Assumptions,
    *,
    pois: gpd.GeoDataFrame | None = None,
    poi_vehicles: Mapping[str, float] | None = None,
) -> pd.Series:
    """Unmet parking demand (vehicles) within ``radius`` of each plot.

    The larger of the night gap (residents' vehicles less existing spaces within the radius)
    and, when ``pois`` are given, the daytime gap (vehicles drawn by destinations less the
    same spaces); clipped at 0 (:func:`planner.parking.demand.demand_around_plots`). With no
    ``parking`` layer, existing supply counts as 0 (say so in reports).
    """
    kw: dict[str, object] = {"radius_m": radius}
    if poi_vehicles is not None:
        kw["vehicles_per_poi"] = dict(poi_vehicles)
    params = DemandParams.from_assumptions(assumptions, **kw)
    table = demand_around_plots(plots, residential, pois, parking, params, distances=distances)
    return table["unmet_vehicles"].rename("unmet_vehicles_nearby")


def car_frontage_m(plots: gpd.GeoDataFrame, roads: gpd.GeoDataFrame, buffer_m: float) -> pd.Series:
    """Length (m) of plot boundary within ``buffer_m`` of a road centre line cars may use.

    Boundary within reach of two roads (a street split into several ways, a dual
    carriageway, a corner) counts once. The length of
    :func:`planner.parking.frontage.car_road_frontage`, the frontage the stall layout uses.
    """
    front = car_road_frontage(plots.geometry, roads, buffer_m)
    return pd.Series(shapely.length(front.values), index=plots.index, name="car_frontage_m")


#: Plots laid out at a time by :func:`stall_layout` (memory, not results: at 100,000 plots
#: the layout of all of them at once held about 1 GB of frames, bands and pairs).
LAYOUT_CHUNK_PLOTS = 20_000


def stall_layout(
    plots: gpd.GeoDataFrame,
    roads: gpd.GeoDataFrame | None = None,
    params: LayoutParams | None = None,
) -> pd.DataFrame:
    """Per-plot summary of the stall layout model (:mod:`planner.parking.layout`).

    Columns ``est_parking_spaces``, ``accessible_stalls``, ``parking_layout`` (pattern),
    ``gross_m2_per_stall`` and ``parking_layout_reason`` (why a plot holds none), aligned to
    ``plots``. Aisles must reach the car-road frontage of ``roads`` (access is assumed when
    ``roads`` is None).
    """
    step = LAYOUT_CHUNK_PLOTS
    # each plot's layout is its own, so plots are laid out a chunk at a time: the same
    # summary, with the frames, bands and pairs of one chunk in memory instead of the city's
    s = pd.concat(
        [
            layout_plots(plots.iloc[i : i + step], roads, params, geometry=False).summary
            for i in range(0, max(len(plots), 1), step)
        ]
    )
    return pd.DataFrame(
        {
            "est_parking_spaces": s["stalls"].astype(int),
            "accessible_stalls": s["accessible_stalls"].astype(int),
            "parking_layout": s["pattern"].astype(str),
            "gross_m2_per_stall": s["gross_m2_per_stall"],
            "parking_layout_reason": s["reason"].astype(str),
        },
        index=plots.index,
    )


def estimated_stalls(
    plots: gpd.GeoDataFrame,
    roads: gpd.GeoDataFrame | None = None,
    params: LayoutParams | None = None,
) -> pd.Series:
    """Stalls a plot holds, from the stall layout model (:mod:`planner.parking.layout`).

    Rows of 2.5 × 5.3 m stalls (90°, 60°, 45°), parallel stalls or a lay-by row are laid out
    in the plot's polygon with JGJ 100-2015 aisles and clearances; aisles must reach the
    car-road frontage of ``roads`` (access is assumed when ``roads`` is None).
    """
    return stall_layout(plots, roads, params)["est_parking_spaces"]


def poi_pull(
    plots: gpd.GeoDataFrame,
    pois: gpd.GeoDataFrame,
    radius: float,
    distances: DistanceModel,
    weights: Mapping[str, float],
) -> pd.Series:
    """Weighted count of busy destinations (station 3, hospital 3 ...) within ``radius``."""
    w = pois["category"].map(dict(weights)).fillna(weights.get("other", 0.0)).to_numpy(float)
    return sum_within(plots, pois.geometry, w, radius, distances, name="poi_pull_nearby")
