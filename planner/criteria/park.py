"""Pocket-park measures that need more than one layer."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd

from planner.access.distances import DistanceModel
from planner.criteria.access import covered_by, home_points, residents_within


def newly_covered_residents(
    plots: gpd.GeoDataFrame,
    residential: gpd.GeoDataFrame,
    green: gpd.GeoDataFrame,
    radius: float,
    distances: DistanceModel,
) -> pd.Series:
    """Residents within ``radius`` of each plot who are not within ``radius`` of green today.

    Rule: "300 m 见绿" (GB/T 51346-2019): a pocket park here would bring these residents
    within the green-space service radius.
    """
    homes = home_points(residential)
    # only residents near some plot can be newly covered: test those against green only
    is_near = np.zeros(len(homes), dtype=bool)
    is_near[distances.within(plots.geometry, homes, radius).target] = True
    near = np.flatnonzero(is_near)
    covered = np.zeros(len(homes), dtype=bool)
    if 2 * len(near) > len(homes):
        # most homes are near a plot: test them all, which reuses the homes' network access
        # points found for the plots' catchments (a subset would be located again); each
        # home's answer does not depend on which other homes are tested
        covered[near] = covered_by(homes, green, radius, distances)[near]
    elif len(near):
        covered[near] = covered_by(homes.iloc[near], green, radius, distances)
    return residents_within(
        plots, residential, radius, distances, only=~covered, name="new_residents_green"
    )


def vulnerable_share(
    plots: gpd.GeoDataFrame, residential: gpd.GeoDataFrame, radius: float, distances: DistanceModel
) -> pd.Series:
    """Population-weighted share of elderly plus children among residents within ``radius``.

    NaN where no resident is within the radius, or the layer has neither attribute.
    """
    cols = [c for c in ("elderly_share", "child_share") if c in residential.columns]
    if not cols:
        return pd.Series(np.nan, index=plots.index, name="vulnerable_share")
    pop = residential["population"].to_numpy(dtype=float)
    share = residential[cols].fillna(0.0).sum(axis=1).clip(0.0, 1.0).to_numpy()
    pairs = distances.within(plots.geometry, home_points(residential), radius)
    n = len(plots)
    vulnerable = np.bincount(pairs.origin, weights=(pop * share)[pairs.target], minlength=n)
    total = np.bincount(pairs.origin, weights=pop[pairs.target], minlength=n)
    with np.errstate(divide="ignore", invalid="ignore"):
        out = np.where(total > 0, vulnerable / total, np.nan)
    return pd.Series(out, index=plots.index, name="vulnerable_share")
