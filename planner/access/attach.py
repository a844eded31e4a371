"""Snapping places to the walking graph: where each plot, park or home reaches the streets.

:func:`attach` finds each place's access points on a :class:`~planner.access.graph.WalkGraph`
and the cost (m) from the place to the nodes it reaches directly; an :class:`Access` holds
them.

Rules (see ``docs/network.md``):

* **Access.** Polygons (plots, parks) reach the network through their boundary: the nearest
  segment within :data:`~planner.standards.WALK_ACCESS_SNAP_M` and every segment within
  :data:`~planner.standards.WALK_FRONTAGE_M` (the streets the polygon fronts) are access
  points, each at its point nearest the polygon. Buildings and estates (the residential layer)
  and points reach it from their centroid, through the one nearest segment within the same
  distance.
* A place with no segment within the snapping distance is not attached
  (:attr:`Access.attached` False); the distance model reaches it by its fallback.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import geopandas as gpd
import numpy as np
import shapely

from planner import standards as S
from planner.access.distances import all_points
from planner.access.graph import NODE_GRID_M, WalkGraph
from planner.errors import ConfigError
from planner.messages import Msg

AccessRule = Literal["boundary", "centroid"]

#: A polygon vertex this much farther from a street than the polygon's nearest point still
#: fronts it (m; a geometric tolerance, not a planning figure).
FRONTAGE_TOLERANCE_M = 1.0


# --- Access points -----------------------------------------------------------------------------
@dataclass(frozen=True)
class Access:
    """How a set of places reaches the network.

    ``geom``/``node``/``cost``: each place's cost (m) to reach each node it can reach directly
    (connector plus walk along its segment). ``seg_geom``/``seg``/``lo``/``hi``/``offset``: the
    access points themselves (the stretch ``lo``..``hi`` along the segment the place fronts,
    connector length ``offset``), used for places on the same segment. ``attached``: places
    with at least one access point.
    """

    geom: np.ndarray
    node: np.ndarray
    cost: np.ndarray
    seg_geom: np.ndarray
    seg: np.ndarray
    lo: np.ndarray
    hi: np.ndarray
    offset: np.ndarray
    attached: np.ndarray


def attach(
    graph: WalkGraph,
    geoms: gpd.GeoSeries | np.ndarray,
    *,
    rule: AccessRule = "boundary",
    snap_m: float = S.WALK_ACCESS_SNAP_M,
    frontage_m: float = S.WALK_FRONTAGE_M,
) -> Access:
    """Find where each place reaches the network.

    Parameters
    ----------
    graph : WalkGraph
    geoms : GeoSeries or array of geometries
        In the graph's CRS.
    rule : {"boundary", "centroid"}
        ``boundary``: the segment nearest the geometry, if within ``snap_m``, and every segment
        within ``frontage_m`` of it (the streets it fronts) are access points, each at its point
        nearest the geometry. ``centroid``: the one segment nearest the centroid, if within
        ``snap_m`` (all of them where several are equally near).
    snap_m : float
        Longest connector (m) from a place to the network.
    frontage_m : float
        Streets this close to a polygon are all access points of it.
    """
    arr = np.asarray(geoms.values if isinstance(geoms, gpd.GeoSeries) else geoms, dtype=object)
    n = len(arr)
    if graph.n_edges == 0 or n == 0:
        e, f = np.array([], dtype=np.intp), np.array([], dtype=float)
        return Access(e, e, f, e, e, f, f, f, np.zeros(n, dtype=bool))
    if rule == "centroid":
        gi, sj, offset, along = _centroid_access(graph, arr, snap_m)
        lo, hi = along.copy(), along.copy()
    elif rule == "boundary":
        gi, sj, offset, lo, hi = _boundary_access(graph, arr, snap_m, frontage_m)
    else:
        raise ConfigError(Msg("access.unknown_rule", value=rule))
    return _access_costs(graph, n, gi, sj, offset, lo, hi)


def _centroid_access(graph: WalkGraph, arr: np.ndarray, snap_m: float) -> tuple[np.ndarray, ...]:
    """``(place, segment, connector, along)`` of the ``centroid`` rule.

    The segments nearest each place's centroid, within ``snap_m`` (all of them where several
    are equally near); ``along`` is the projection's distance from the segment's first node.
    """
    n = len(arr)
    pts = arr if all_points(arr) else shapely.centroid(arr)
    # the nearest segment is no farther than the nearest node (a segment end): look for
    # segments only within that distance (capped at snap_m), then keep the nearest. The
    # index is asked for the segments whose boxes meet the point's box of that half-side
    # (a little wider): every segment within reach is among them, and the exact
    # distances below, not a GEOS predicate per candidate, decide
    xy = shapely.get_coordinates(pts)
    node_d = graph.nearest_node_distance(xy)
    reach = np.minimum(node_d, snap_m) + NODE_GRID_M
    half = reach + NODE_GRID_M
    gi, sj = graph.segments_meeting(
        shapely.box(xy[:, 0] - half, xy[:, 1] - half, xy[:, 0] + half, xy[:, 1] + half)
    )
    d, along = _point_on_segment(xy[gi], graph.xy[graph.seg_u[sj]], graph.xy[graph.seg_v[sj]])
    nearest = np.full(n, np.inf)
    np.minimum.at(nearest, gi, d)
    # every segment as near as the nearest (ties: a home midway between two streets)
    ok = (d <= nearest[gi] + NODE_GRID_M) & (d <= snap_m + NODE_GRID_M)
    return gi[ok], sj[ok], d[ok], along[ok]


def _boundary_access(
    graph: WalkGraph, arr: np.ndarray, snap_m: float, frontage_m: float
) -> tuple[np.ndarray, ...]:
    """``(place, segment, connector, lo, hi)`` of the ``boundary`` rule.

    The segment nearest each place, if within ``snap_m``, and every segment within
    ``frontage_m``; ``lo``..``hi`` is the stretch of the segment the place fronts.
    """
    n = len(arr)
    # the nearest segment, and every segment the place fronts (within frontage_m): a
    # place with a segment within frontage_m keeps exactly those, so the wider search
    # (snap_m) is needed only for places with none that close
    near = min(frontage_m, snap_m + NODE_GRID_M)
    gi, sj = graph.segments_within(arr, near)
    far = np.ones(n, dtype=bool)
    far[gi] = False
    if near < snap_m + NODE_GRID_M and far.any():
        idx = np.flatnonzero(far)
        g2, s2 = graph.segments_within(arr[idx], snap_m + NODE_GRID_M)
        gi, sj = np.concatenate([gi, idx[g2]]), np.concatenate([sj, s2])
        order = np.argsort(gi, kind="stable")  # by place, each place's own query order
        gi, sj = gi[order], sj[order]
    d = shapely.distance(arr[gi], graph.segments[sj])
    nearest = np.full(n, np.inf)
    np.minimum.at(nearest, gi, d)
    keep = d <= np.maximum(nearest[gi], frontage_m)
    gi, sj = gi[keep], sj[keep]
    src = arr[gi]
    a, b = graph.xy[graph.seg_u[sj]], graph.xy[graph.seg_v[sj]]
    link = shapely.shortest_line(src, graph.segments[sj])
    offset = shapely.length(link)
    along = _point_on_segment(shapely.get_coordinates(shapely.get_point(link, 1)), a, b)[1]
    lo, hi = along.copy(), along.copy()
    if len(gi):
        lo, hi = _frontage(src, a, b, offset, lo, hi)
    return gi, sj, offset, lo, hi


def _access_costs(
    graph: WalkGraph,
    n: int,
    gi: np.ndarray,
    sj: np.ndarray,
    offset: np.ndarray,
    lo: np.ndarray,
    hi: np.ndarray,
) -> Access:
    """The :class:`Access` of access points: the cost to each end node of their segments."""
    seg_len = graph.seg_length[sj]
    node = np.concatenate([graph.seg_u[sj], graph.seg_v[sj]])
    cost = np.concatenate([offset + lo, offset + (seg_len - hi)])
    geom = np.concatenate([gi, gi])
    # one cost per (place, node), the smallest, ordered by place and node: one integer sort
    key = geom.astype(np.int64) * max(graph.n_nodes, 1) + node
    order = np.argsort(key)
    key, geom, node, cost = key[order], geom[order], node[order], cost[order]
    first = np.flatnonzero(np.r_[True, key[1:] != key[:-1]]) if len(key) else key
    cost = np.minimum.reduceat(cost, first) if len(key) else cost
    attached = np.zeros(n, dtype=bool)
    attached[gi] = True
    return Access(geom[first], node[first], cost, gi, sj, lo, hi, offset, attached)


def _point_on_segment(p: np.ndarray, a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Distance from points ``p`` to segments ``a``–``b`` and the projection's distance from ``a``.

    Arrays of shape (n, 2). The arithmetic is GEOS's, step for step
    (``Distance::pointToSegment``, and ``LineSegment::projectionFactor`` times the length as
    in ``LengthIndexedLine::project``), so the values equal ``shapely.distance`` and
    ``shapely.line_locate_point`` on two-point lines bit for bit (tested) at a fraction of
    the cost of building a GEOS call per pair.
    """
    px, py, ax, ay, bx, by = p[:, 0], p[:, 1], a[:, 0], a[:, 1], b[:, 0], b[:, 1]
    ex, ey = bx - ax, by - ay
    len2 = ex * ex + ey * ey
    with np.errstate(divide="ignore", invalid="ignore"):
        r = ((px - ax) * ex + (py - ay) * ey) / len2
        s = ((ay - py) * ex - (ax - px) * ey) / len2
    to_a = np.sqrt((px - ax) * (px - ax) + (py - ay) * (py - ay))
    to_b = np.sqrt((px - bx) * (px - bx) + (py - by) * (py - by))
    length = np.sqrt(len2)
    point = len2 == 0  # a segment of no length: the distance to its end
    dist = np.where(point | (r <= 0.0), to_a, np.where(r >= 1.0, to_b, np.abs(s) * length))
    at_a, at_b = (px == ax) & (py == ay), (px == bx) & (py == by)
    along = np.where(at_a | point | (r <= 0.0), 0.0, np.where(at_b | (r > 1.0), length, r * length))
    return dist, along


def _concat_access(parts: list[Access], starts: list[int]) -> Access:
    """One :class:`Access` from those of consecutive chunks of places (chunk k at starts[k])."""

    def cat(name: str, shift: bool = False) -> np.ndarray:
        return np.concatenate(
            [
                getattr(p, name) + s if shift else getattr(p, name)
                for p, s in zip(parts, starts, strict=True)
            ]
        )

    return Access(
        cat("geom", True),
        cat("node"),
        cat("cost"),
        cat("seg_geom", True),
        cat("seg"),
        cat("lo"),
        cat("hi"),
        cat("offset"),
        cat("attached"),
    )


def _frontage(
    src: np.ndarray,
    a: np.ndarray,
    b: np.ndarray,
    offset: np.ndarray,
    lo: np.ndarray,
    hi: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """Stretch of each segment a polygon fronts: where its vertices nearest the street project.

    ``a``, ``b``: the ends of each place's segment, shape (n, 2). A polygon vertex within
    ``offset`` + :data:`FRONTAGE_TOLERANCE_M` of the segment counts, so a plot whose edge
    runs along a street can be entered anywhere along that edge.
    """
    counts = shapely.get_num_coordinates(src)
    pair = np.repeat(np.arange(len(src)), counts)
    d, along = _point_on_segment(shapely.get_coordinates(src), a[pair], b[pair])
    near = d <= offset[pair] + FRONTAGE_TOLERANCE_M
    pair, along = pair[near], along[near]
    lo, hi = lo.copy(), hi.copy()
    np.minimum.at(lo, pair, along)
    np.maximum.at(hi, pair, along)
    return lo, hi
