"""Shape measures of plots: area, compactness, usable width. Pure, vectorised."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely


def area_m2(plots: gpd.GeoDataFrame | gpd.GeoSeries) -> pd.Series:
    """Plot area in m² (the layer must be in a metric CRS)."""
    geoms = plots.geometry if isinstance(plots, gpd.GeoDataFrame) else plots
    return pd.Series(shapely.area(geoms.values), index=geoms.index, name="area_m2")


def compactness(plots: gpd.GeoDataFrame | gpd.GeoSeries) -> pd.Series:
    """Polsby–Popper compactness ``4πA / P²``: 1 for a circle, 0.785 for a square.

    A 1 × 4 rectangle scores 0.50, a 1 × 10 strip 0.26.
    """
    geoms = plots.geometry if isinstance(plots, gpd.GeoDataFrame) else plots
    a = shapely.area(geoms.values)
    p = shapely.length(geoms.values)
    with np.errstate(divide="ignore", invalid="ignore"):
        c = np.where(p > 0, 4.0 * np.pi * a / p**2, 0.0)
    return pd.Series(c, index=geoms.index, name="compactness")


def min_width_m(plots: gpd.GeoDataFrame | gpd.GeoSeries) -> pd.Series:
    """Usable width: the diameter of the largest circle that fits inside the plot.

    For a rectangle this is its shorter side; for a strip, the strip's width.
    """
    geoms = plots.geometry if isinstance(plots, gpd.GeoDataFrame) else plots
    # tolerance relative to the plot size keeps the iteration count bounded (~0.1 %)
    b = shapely.bounds(geoms.values)
    tol = np.maximum(np.maximum(b[:, 2] - b[:, 0], b[:, 3] - b[:, 1]) / 1000.0, 0.01)
    radius = shapely.length(shapely.maximum_inscribed_circle(geoms.values, tolerance=tol))
    return pd.Series(2.0 * radius, index=geoms.index, name="min_width_m")
