"""Access measures: distances from plots to layers and residents within a radius.

Distances come from a :class:`~planner.access.distances.DistanceModel`, so a walking network can
replace the straight line without touching these functions.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd

from planner.access.distances import DistanceModel, StraightLineDistance, home_points


def nearest_distance_m(
    plots: gpd.GeoDataFrame, targets: gpd.GeoDataFrame, distances: DistanceModel, *, name: str
) -> pd.Series:
    """Distance (m) from each plot to the nearest feature of ``targets``."""
    d = distances.nearest(plots.geometry, targets.geometry)
    return pd.Series(d, index=plots.index, name=name)


def sum_within(
    plots: gpd.GeoDataFrame,
    targets: gpd.GeoSeries,
    values: np.ndarray,
    radius: float,
    distances: DistanceModel,
    *,
    name: str,
) -> pd.Series:
    """Sum of ``values`` (one per target) over targets within ``radius`` of each plot.

    The model's :meth:`~planner.access.distances.DistanceModel.sum_values_within`: pairs made
    chunk by chunk, memory bounded.
    """
    total = distances.sum_values_within(plots.geometry, targets, values, radius)
    return pd.Series(total, index=plots.index, name=name)


def sum_within_radii(
    plots: gpd.GeoDataFrame,
    targets: gpd.GeoSeries,
    values: np.ndarray,
    radii: dict[str, float],
    distances: DistanceModel,
) -> pd.DataFrame:
    """:func:`sum_within` for several radii, one column per name of ``radii`` (name -> m).

    Equal to one :func:`sum_within` per radius; a model whose radii nest (the walking
    network) answers them from one search at the largest radius.
    """
    total = distances.sum_values_within_radii(plots.geometry, targets, values, list(radii.values()))
    return pd.DataFrame(total, index=plots.index, columns=list(radii))


def covered_by(
    points: gpd.GeoSeries, targets: gpd.GeoDataFrame, radius: float, distances: DistanceModel
) -> np.ndarray:
    """Whether each point is within ``radius`` of some target (boolean array).

    The model's :meth:`~planner.access.distances.DistanceModel.within_any`: the walking
    network answers it from one multi-source search from all targets; the straight line
    from a bounded search (``within``), as the nearest target's distance would, much faster
    than an unbounded nearest search.
    """
    return np.asarray(distances.within_any(points, targets.geometry, radius), dtype=bool)


def residents_within(
    plots: gpd.GeoDataFrame,
    residential: gpd.GeoDataFrame,
    radius: float,
    distances: DistanceModel,
    *,
    name: str | None = None,
    only: np.ndarray | None = None,
) -> pd.Series:
    """Residents whose home is within ``radius`` of each plot.

    Parameters
    ----------
    only : ndarray of bool, optional
        Count only the residential features where this is True.
    """
    pop = residential["population"].to_numpy(dtype=float)
    if only is not None:
        pop = np.where(only, pop, 0.0)
    return sum_within(
        plots,
        home_points(residential),
        pop,
        radius,
        distances,
        name=name or f"residents_{radius:.0f}m",
    )


def residents_within_radii(
    plots: gpd.GeoDataFrame,
    residential: gpd.GeoDataFrame,
    radii: dict[str, float],
    distances: DistanceModel,
) -> pd.DataFrame:
    """:func:`residents_within` for several radii (name -> m), one column per name."""
    pop = residential["population"].to_numpy(dtype=float)
    return sum_within_radii(plots, home_points(residential), pop, radii, distances)


def street_distance_m(plots: gpd.GeoDataFrame, roads: gpd.GeoDataFrame) -> pd.Series:
    """Straight-line distance (m) from each plot's edge to the nearest street centre line."""
    # the straight-line model's bounded-then-unbounded nearest search, whatever model the
    # run uses: street access is a straight-line measure
    out = StraightLineDistance().nearest(plots.geometry, roads.geometry)
    return pd.Series(out, index=plots.index, name="street_distance_m")
