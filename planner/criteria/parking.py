"""Parking measures: vehicle demand, road frontage, stall estimate, pull of busy places."""

from __future__ import annotations

from collections.abc import Mapping

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from planner import standards as S
from planner.config import Assumptions
from planner.criteria.access import home_points, sum_within
from planner.criteria.shape import min_width_m
from planner.distances import DistanceModel


def vehicle_demand(residential: gpd.GeoDataFrame, assumptions: Assumptions) -> pd.Series:
    """Night-time parking demand (vehicles) of each residential feature not met on its own land.

    households = population / household size; vehicles = households × cars per household ×
    night-time matching ratio (about 1:1, 2015 城市停车设施规划导则); less the estate's own
    ``parking_spaces`` where the layer gives them, never below 0.
    """
    a = assumptions
    v = (residential["population"].astype(float) / a.household_size
         * a.cars_per_household * a.night_demand_match_ratio)
    if "parking_spaces" in residential:
        v = v - residential["parking_spaces"].astype(float)
    return v.clip(lower=0.0).rename("vehicles")


def unmet_vehicle_demand(plots: gpd.GeoDataFrame, residential: gpd.GeoDataFrame,
                         parking: gpd.GeoDataFrame | None, radius: float,
                         distances: DistanceModel, assumptions: Assumptions) -> pd.Series:
    """Vehicles of residents within ``radius`` of each plot minus existing spaces within it.

    Clipped at 0. With no ``parking`` layer, existing supply counts as 0 (say so in reports).
    """
    demand = sum_within(plots, home_points(residential),
                        vehicle_demand(residential, assumptions).to_numpy(), radius, distances,
                        name="d")
    if parking is not None and len(parking):
        supply = sum_within(plots, parking.geometry, parking["capacity"].to_numpy(dtype=float),
                            radius, distances, name="s")
        demand = demand - supply
    return demand.clip(lower=0.0).rename("unmet_vehicles_300m")


def car_frontage_m(plots: gpd.GeoDataFrame, roads: gpd.GeoDataFrame,
                   buffer_m: float) -> pd.Series:
    """Length (m) of plot boundary within ``buffer_m`` of a road centre line cars may use.

    Frontage along two roads is added, capped at the plot's perimeter.
    """
    car = roads.loc[roads["car_access"].to_numpy(dtype=bool)] if "car_access" in roads else roads
    boundary = plots.geometry.boundary.values
    out = np.zeros(len(plots))
    if len(car):
        i, j = car.sindex.query(boundary, predicate="dwithin", distance=buffer_m)
        zones = shapely.buffer(car.geometry.values[j], buffer_m, quad_segs=4)
        lengths = shapely.length(shapely.intersection(boundary[i], zones))
        out = np.minimum(np.bincount(i, weights=lengths, minlength=len(plots)),
                         shapely.length(boundary))
    return pd.Series(out, index=plots.index, name="car_frontage_m")


# First stall estimate from module widths (a full layout model replaces it later).
#: Depth of a double-loaded 90° module: stall + two-way aisle + stall (JGJ 100-2015).
DOUBLE_MODULE_M = 2 * S.STALL_LENGTH_M + S.AISLE_90_TWO_WAY_M
#: Depth of a single-loaded 90° module: stall + two-way aisle.
SINGLE_MODULE_M = S.STALL_LENGTH_M + S.AISLE_90_TWO_WAY_M
#: Depth of a parallel row with a one-way aisle.
PARALLEL_MODULE_M = S.STALL_WIDTH_M + S.AISLE_PARALLEL_ONE_WAY_M
#: Share of the module area left after ends, turning space and entrances (project assumption).
LAYOUT_EFFICIENCY = 0.85


def estimated_stalls(plots: gpd.GeoDataFrame) -> pd.Series:
    """First estimate of the 2.5 × 5.3 m stalls a plot holds, from its usable width and area.

    The narrowest module that fits the plot's width (less 0.5 m end clearance each side)
    decides the net area per stall: double-loaded 90° rows (16.6 m deep, 20.75 m² a stall),
    single-loaded (11.3 m, 28.25 m²) or parallel (6.3 m, 37.8 m²); the stall count is the
    plot's area inside the clearance × 0.85 / that area, rounded down.
    """
    width = min_width_m(plots).to_numpy() - 2 * S.CLEARANCE_END_M
    inner = shapely.area(shapely.buffer(plots.geometry.values, -S.CLEARANCE_END_M))
    per_stall = np.select(
        [width >= DOUBLE_MODULE_M, width >= SINGLE_MODULE_M, width >= PARALLEL_MODULE_M],
        [DOUBLE_MODULE_M * S.STALL_WIDTH_M / 2, SINGLE_MODULE_M * S.STALL_WIDTH_M,
         PARALLEL_MODULE_M * S.PARALLEL_STALL_LENGTH_M],
        default=np.inf,
    )
    stalls = np.floor(inner * LAYOUT_EFFICIENCY / per_stall)
    return pd.Series(stalls, index=plots.index, name="est_parking_spaces").astype(int)


def poi_pull(plots: gpd.GeoDataFrame, pois: gpd.GeoDataFrame, radius: float,
             distances: DistanceModel, weights: Mapping[str, float]) -> pd.Series:
    """Weighted count of busy destinations (station 3, hospital 3 ...) within ``radius``."""
    w = pois["category"].map(dict(weights)).fillna(weights.get("other", 0.0)).to_numpy(float)
    return sum_within(plots, pois.geometry, w, radius, distances, name="poi_pull_300m")
