"""Car-road frontage: the stretch of a plot's boundary a car can reach from the road.

One rule for every user: the parking score's ``car_frontage_m``
(:func:`planner.criteria.parking.car_frontage_m`) is the length of
:func:`car_road_frontage`, and the stall layout (:func:`planner.parking.layout.layout_plots`)
connects aisles to the same geometry.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import shapely

#: Segments per quarter circle of a road's frontage zone (its round ends). The score has
#: always measured with 4; the layout's own copy used shapely's 8 and gave the same
#: frontage on the demo district and the 20,000-plot synthetic city.
ZONE_QUAD_SEGS = 4
#: Added to the frontage distance so that a boundary lying exactly at that distance from a
#: centre line counts, as the distance rule says it should (a measuring tolerance, not a
#: planning number: 1 µm, a thousand times the rounding of coordinates near 500,000 m and far
#: below any survey's precision). Without it the boundary lies on the zone's edge and
#: floating-point rounding keeps some stretches and loses others: a demo plot along two
#: streets at exactly 10 m measured 4.4 m of its 81.3 m frontage.
ZONE_TOLERANCE_M = 1e-6


def car_road_frontage(
    plots: gpd.GeoSeries, roads: gpd.GeoDataFrame | gpd.GeoSeries | None, buffer_m: float
) -> gpd.GeoSeries:
    """The part of each plot's boundary within ``buffer_m`` of a car road's centre line.

    Boundary within reach of two roads (a street split into several ways, a dual
    carriageway, a corner) counts once.

    Parameters
    ----------
    plots : GeoSeries
        Plot polygons in a metric CRS.
    roads : GeoDataFrame or GeoSeries or None
        Road centre lines in the same CRS. Rows whose ``car_access`` column is False (foot
        and cycle ways) are ignored. ``None`` means no roads layer: every plot is assumed to
        have access and its whole boundary is returned.
    buffer_m : float
        Distance from the centre line that still counts as frontage.

    Returns
    -------
    GeoSeries
        Aligned to ``plots``; an empty geometry where a plot has no frontage.
    """
    boundary = shapely.boundary(np.asarray(plots.values, dtype=object))
    if roads is None:
        return gpd.GeoSeries(boundary, index=plots.index, crs=plots.crs)
    out = np.full(len(plots), shapely.GeometryCollection(), dtype=object)
    if len(roads) and len(plots):
        reach = buffer_m + ZONE_TOLERANCE_M
        i, j = _car_roads_near(boundary, roads, reach)
        # each road's zone once, however many plots it fronts
        uj, inv = np.unique(j, return_inverse=True)
        zones = shapely.buffer(roads.geometry.values[uj], reach, quad_segs=ZONE_QUAD_SEGS)[inv]
        out = frontage_within(boundary, zones, i, len(plots))
    return gpd.GeoSeries(out, index=plots.index, crs=plots.crs)


def _car_roads_near(
    boundary: np.ndarray, roads: gpd.GeoDataFrame | gpd.GeoSeries, buffer_m: float
) -> tuple[np.ndarray, np.ndarray]:
    """(boundary, road) position pairs within ``buffer_m``, car roads only, plot by plot.

    One query of the roads layer's own index (built once per run and kept on the layer);
    pairs sorted by boundary, then road (whatever the index's own order).
    """
    i, j = roads.sindex.query(boundary, predicate="dwithin", distance=buffer_m)
    if isinstance(roads, gpd.GeoDataFrame) and "car_access" in roads.columns:
        car = roads["car_access"].to_numpy(dtype=bool)[j]
        i, j = i[car], j[car]
    order = np.lexsort((j, i))
    return i[order], j[order]


def frontage_within(
    boundary: np.ndarray, zones: np.ndarray, owner: np.ndarray, n: int
) -> np.ndarray:
    """The part of each of ``n`` boundaries inside the union of its frontage ``zones``.

    ``zones[k]`` is a road's frontage zone near boundary ``owner[k]``. Zones of one plot
    overlap where a street is split into several ways, along a dual carriageway or at a
    corner: they are merged before the boundary is cut, so each stretch of boundary counts
    once (cutting by each zone and adding the pieces counted it twice, and a union of the
    pieces does not merge them reliably: their cut points are not exactly on the boundary).
    Owners with no zone get an empty geometry.
    """
    out = np.full(n, shapely.GeometryCollection(), dtype=object)
    owner = np.asarray(owner, dtype=np.intp)
    if len(owner) == 0:
        return out
    order = np.argsort(owner, kind="stable")
    o, z = owner[order], zones[order]
    owners, dense, counts = np.unique(o, return_inverse=True, return_counts=True)
    merged = z[np.cumsum(counts) - counts]  # an owner's only zone as it is
    several = counts >= 2
    if several.any():
        sel = several[dense]
        groups = shapely.geometrycollections(
            z[sel], indices=np.unique(dense[sel], return_inverse=True)[1]
        )
        merged[several] = shapely.union_all(groups[:, None], axis=1)
    out[owners] = shapely.intersection(boundary[owners], merged)
    return out
