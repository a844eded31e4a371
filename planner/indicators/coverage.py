"""Who and what land lies within reach: the measures behind the indicator card.

Residential land is cut into square cells (:func:`resident_cells`), each holding its share of
the residents (spread evenly over the polygon) and of the parking demand; a point layer of
homes stays as points. Two ways of measuring reach, side by side:

* **official** — straight-line buffers: the share of each cell inside the union of the parks'
  service buffers (:func:`buffer_fraction`), or the straight-line distance from the cell's
  point (:func:`reach`);
* **on foot** — the same cell counts only where its point reaches a park within the radius on
  the walking network (:class:`~planner.access.distances.DistanceModel`), and only its part
  inside the buffer: a walk is never shorter than the straight line, so the walking service
  area lies inside the buffer and the cut only removes the cells' resolution. On any network
  the walking figure is therefore at most the official one.
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import shapely

from planner.access.distances import DistanceModel
from planner.indicators.definitions import INDICATOR_CELL_M, ParkTier

#: Segments per quarter circle of the service buffers: a 128-gon is within 0.04 % of the
#: circle's area (a measuring resolution, not a planning figure).
BUFFER_QUAD_SEGS = 32


@dataclass(frozen=True)
class ResidentCells:
    """Residential land cut into cells (or homes given as points).

    Attributes
    ----------
    geoms : ndarray of geometries
        Cell pieces (polygons) or home points.
    points : GeoSeries
        A point inside each piece: where it walks from.
    area_m2 : ndarray
        Land area of each piece (0 for points).
    residents, vehicles : ndarray
        The piece's share of its feature's residents and parking demand.
    """

    geoms: np.ndarray
    points: gpd.GeoSeries
    area_m2: np.ndarray
    residents: np.ndarray
    vehicles: np.ndarray


def _grid_pieces(polys: np.ndarray, cell_m: float) -> tuple[np.ndarray, np.ndarray]:
    """Each polygon cut by a square grid anchored at (0, 0): pieces and their polygon."""
    b = shapely.bounds(polys)
    ix0, iy0 = np.floor(b[:, 0] / cell_m), np.floor(b[:, 1] / cell_m)
    nx = np.maximum(np.ceil(b[:, 2] / cell_m) - ix0, 1).astype(np.int64)
    ny = np.maximum(np.ceil(b[:, 3] / cell_m) - iy0, 1).astype(np.int64)
    n = nx * ny
    owner = np.repeat(np.arange(len(polys)), n)
    local = np.arange(n.sum()) - np.repeat(np.cumsum(n) - n, n)
    gx = ix0[owner] + local % nx[owner]
    gy = iy0[owner] + local // nx[owner]
    boxes = shapely.box(gx * cell_m, gy * cell_m, (gx + 1) * cell_m, (gy + 1) * cell_m)
    shapely.prepare(polys)
    inside = shapely.contains_properly(polys[owner], boxes)
    pieces = boxes.copy()
    cut = ~inside
    pieces[cut] = shapely.intersection(boxes[cut], polys[owner[cut]])
    keep = shapely.area(pieces) > 0
    return pieces[keep], owner[keep]


def resident_cells(
    residential: gpd.GeoDataFrame, vehicles: np.ndarray, *, cell_m: float = INDICATOR_CELL_M
) -> ResidentCells:
    """Residential land in cells of ``cell_m`` metres, with residents and vehicles spread evenly.

    Polygons are cut by one grid (anchored at the CRS origin, so neighbouring estates share
    cell edges); each piece gets the polygon's residents and vehicles in proportion to its
    area. Points stay whole. Features without area or residents still appear.

    Parameters
    ----------
    residential : GeoDataFrame
        Prepared residential layer (metric CRS, ``population`` column).
    vehicles : ndarray
        Parking demand of each feature (:func:`planner.criteria.parking.vehicle_demand`).
    cell_m : float
    """
    geoms = np.asarray(residential.geometry.values, dtype=object)
    pop = residential["population"].to_numpy(dtype=float)
    veh = np.asarray(vehicles, dtype=float)
    area = shapely.area(geoms)
    poly = area > 0
    pieces, owner = (
        _grid_pieces(geoms[poly], cell_m)
        if poly.any()
        else (np.array([], dtype=object), np.array([], dtype=np.intp))
    )
    owner = np.flatnonzero(poly)[owner]
    # every polygon's pieces add up to its area (up to rounding): shares of it
    piece_area = shapely.area(pieces)
    total = np.bincount(owner, weights=piece_area, minlength=len(geoms))
    share = piece_area / np.where(total[owner] > 0, total[owner], 1.0)
    pts = np.flatnonzero(~poly)
    all_geoms = np.concatenate([pieces, geoms[pts]])
    points = shapely.point_on_surface(all_geoms)
    return ResidentCells(
        geoms=all_geoms,
        points=gpd.GeoSeries(points, crs=residential.crs),
        area_m2=np.concatenate([piece_area, np.zeros(len(pts))]),
        residents=np.concatenate([pop[owner] * share, pop[pts]]),
        vehicles=np.concatenate([veh[owner] * share, veh[pts]]),
    )


def park_parts(geoms: gpd.GeoSeries, min_area_m2: float) -> gpd.GeoSeries:
    """Green space as parks: touching polygons merged, parts of ``min_area_m2`` or more kept.

    A park drawn as several polygons is one park, and overlaps count once.
    """
    arr = np.asarray(geoms.values, dtype=object)
    arr = arr[~shapely.is_empty(arr) & (shapely.area(arr) > 0)] if len(arr) else arr
    if len(arr) == 0:
        return gpd.GeoSeries([], crs=geoms.crs)
    parts = shapely.get_parts(shapely.union_all(shapely.make_valid(arr)))
    parts = parts[shapely.get_type_id(parts) == 3]
    return gpd.GeoSeries(parts[shapely.area(parts) >= min_area_m2], crs=geoms.crs)


def tier_radius(area_m2: np.ndarray, tiers: tuple[ParkTier, ...]) -> np.ndarray:
    """Service radius (m) of parks of these areas: their size class's; NaN below the first."""
    mins = np.array([t.min_area_m2 for t in tiers])
    radii = np.array([t.radius_m for t in tiers])
    order = np.argsort(mins)
    k = np.searchsorted(mins[order], np.asarray(area_m2, dtype=float), side="right") - 1
    return np.where(k >= 0, radii[order][np.maximum(k, 0)], np.nan)


def service_area(parks: gpd.GeoSeries, radius_m: np.ndarray) -> shapely.Geometry:
    """The union of each park's straight-line buffer of its own radius (empty without parks)."""
    ok = np.isfinite(radius_m)
    if not ok.any():
        return shapely.Polygon()
    rings = shapely.buffer(np.asarray(parks.values)[ok], radius_m[ok], quad_segs=BUFFER_QUAD_SEGS)
    return shapely.union_all(rings)


def buffer_fraction(cells: ResidentCells, area: shapely.Geometry) -> np.ndarray:
    """Share (0–1) of each cell inside ``area``; for a point, 1 inside (or on) it, else 0."""
    geoms = cells.geoms
    out = np.zeros(len(geoms))
    if len(geoms) == 0 or area.is_empty:
        return out
    shapely.prepare(area)
    hit = shapely.intersects(area, geoms)
    whole = hit & shapely.contains_properly(area, geoms)
    out[whole] = 1.0
    part = hit & ~whole & (cells.area_m2 > 0)
    out[part] = shapely.area(shapely.intersection(geoms[part], area)) / cells.area_m2[part]
    out[hit & (cells.area_m2 == 0)] = 1.0
    return np.clip(out, 0.0, 1.0)


def reach(
    points: gpd.GeoSeries,
    targets: gpd.GeoSeries,
    radius_m: np.ndarray | float,
    distances: DistanceModel | None = None,
) -> np.ndarray:
    """Whether each point reaches some target within that target's radius.

    ``radius_m`` is one radius or one per target; targets sharing a radius are searched
    together, one nearest-target search per radius. ``distances`` None: straight line
    (edge to edge), else the model's distance (on foot for the walking network).
    """
    out = np.zeros(len(points), dtype=bool)
    if len(points) == 0 or len(targets) == 0:
        return out
    r = np.broadcast_to(np.asarray(radius_m, dtype=float), (len(targets),))
    for value in np.unique(r[np.isfinite(r)]):  # one search per tier radius (a handful)
        group = targets[r == value]
        if distances is None:  # a bounded search of the spatial index: edge to edge
            hit, _ = group.sindex.query(points.values, predicate="dwithin", distance=value)
            out[hit] = True
        else:
            out |= distances.nearest(points, group) <= value
    return out


@dataclass(frozen=True)
class Coverage:
    """Covered share (0–1) of each cell: the official buffer way and on foot (NaN: not measured)."""

    official: np.ndarray
    walking: np.ndarray


def park_coverage(
    cells: ResidentCells,
    parks: gpd.GeoSeries,
    radius_m: np.ndarray,
    distances: DistanceModel | None,
) -> Coverage:
    """Share of each cell within the service radius of a park, officially and on foot.

    Parameters
    ----------
    cells : ResidentCells
    parks : GeoSeries
        Park polygons (metric CRS).
    radius_m : ndarray
        Each park's service radius (NaN: the park serves no one).
    distances : DistanceModel or None
        The walking model; None (or a straight-line model) leaves the walking figure NaN.
    """
    frac = buffer_fraction(cells, service_area(parks, radius_m))
    if not walks(distances):
        return Coverage(frac, np.full(len(frac), np.nan))
    walked = reach(cells.points, parks, radius_m, distances)
    return Coverage(frac, np.where(walked, frac, 0.0))


def walks(distances: DistanceModel | None) -> bool:
    """True when ``distances`` measures on foot (the walking network)."""
    return distances is not None and getattr(distances, "basis", "") == "network"
