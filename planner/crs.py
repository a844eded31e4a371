"""Coordinate reference systems: checks at the edge and the metric CRS for the work.

All metric work (distances, areas, buffers) happens in one projected CRS chosen for the data:
the CGCS2000 3-degree Gauss-Krüger zone for data in China, otherwise the local UTM zone.
"""

from __future__ import annotations

import functools

import geopandas as gpd
import numpy as np
import pyproj

from planner.errors import EmptyLayerError, NoCrsError
from planner.messages import Msg

WGS84 = "EPSG:4326"
CGCS2000_GEOGRAPHIC = "EPSG:4490"

#: Rough longitude/latitude box of China (incl. islands), used only to decide whether the
#: CGCS2000 Gauss-Krüger zones apply. Source: national extent 73.5–135.1 E, 3.8–53.6 N.
CHINA_BOUNDS_LONLAT = (73.0, 3.0, 136.0, 54.0)

#: EPSG code of "CGCS2000 / 3-degree Gauss-Kruger CM 75E"; the codes up to CM 135E follow on
#: one per 3° of central meridian (EPSG:4534 … EPSG:4554), EPSG registry.
CGCS2000_3DEG_CM75_EPSG = 4534
CGCS2000_3DEG_CM_MIN = 75
CGCS2000_3DEG_CM_MAX = 135


@functools.lru_cache(maxsize=32)
def _to_lonlat(crs: pyproj.CRS) -> pyproj.Transformer:
    # building a transformer costs about 0.1 s; a run asks for the same one per layer
    return pyproj.Transformer.from_crs(crs, WGS84, always_xy=True)


def lonlat_bounds(gdf: gpd.GeoDataFrame) -> tuple[float, float, float, float]:
    """Return the layer's bounds in WGS84 longitude/latitude."""
    if gdf.crs is None:
        raise NoCrsError("<layer>", Msg("config.crs_layer_has_none"))
    if gdf.crs.is_geographic:
        return tuple(float(v) for v in gdf.total_bounds)  # type: ignore[return-value]
    # project the bounding box (its edges densified), not every vertex of the layer: a
    # million buildings cost seconds to project, a box nothing
    to_lonlat = _to_lonlat(gdf.crs)
    return tuple(
        float(v)
        for v in to_lonlat.transform_bounds(  # type: ignore[return-value]
            *gdf.total_bounds, densify_pts=21
        )
    )


def gauss_kruger_3deg_crs(lon: float) -> pyproj.CRS:
    """Return the CGCS2000 3-degree Gauss-Krüger CRS (central meridian in the name) for ``lon``.

    Parameters
    ----------
    lon : float
        Longitude in degrees east; the zone's central meridian is the multiple of 3 nearest.
    """
    cm = int(3 * round(lon / 3.0))
    cm = min(max(cm, CGCS2000_3DEG_CM_MIN), CGCS2000_3DEG_CM_MAX)
    return pyproj.CRS.from_epsg(CGCS2000_3DEG_CM75_EPSG + (cm - CGCS2000_3DEG_CM_MIN) // 3)


def choose_metric_crs(*frames: gpd.GeoDataFrame) -> pyproj.CRS:
    """Choose one projected CRS, in metres, for all the given layers.

    The centre of the layers' combined WGS84 bounds decides: inside China the CGCS2000
    3-degree Gauss-Krüger zone (GB/T 17798 / CGCS2000 practice), elsewhere the UTM zone.

    Parameters
    ----------
    *frames : GeoDataFrame
        Layers with a CRS; empty ones are ignored.

    Raises
    ------
    ValueError
        No non-empty layer, or the layers' centre is not a longitude/latitude.
    """
    boxes = np.array([lonlat_bounds(f) for f in frames if f is not None and len(f)])
    if boxes.size == 0:
        raise EmptyLayerError("<layers>", Msg("config.crs_no_layer"))
    minx, miny = boxes[:, 0].min(), boxes[:, 1].min()
    maxx, maxy = boxes[:, 2].max(), boxes[:, 3].max()
    lon, lat = (minx + maxx) / 2.0, (miny + maxy) / 2.0
    if not (
        np.isfinite(lon) and np.isfinite(lat) and -180.0 <= lon <= 180.0 and -90.0 <= lat <= 90.0
    ):
        # only a layer whose CRS does not fit its coordinates gets here (the readers refuse
        # those, see planner.io.crs_detect.check_plausible); never build a UTM code from it
        raise NoCrsError("<layers>", Msg("config.crs_off_earth", lon=lon, lat=lat))
    x0, y0, x1, y1 = CHINA_BOUNDS_LONLAT
    if x0 <= lon <= x1 and y0 <= lat <= y1:
        return gauss_kruger_3deg_crs(lon)
    zone = int((lon + 180) // 6) + 1
    return pyproj.CRS.from_epsg((32600 if lat >= 0 else 32700) + zone)
