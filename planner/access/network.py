"""Walking distances over the street network.

A :class:`WalkGraph` is built once from the ``roads`` layer: the walkable lines, split into
straight segments between consecutive vertices, with a node wherever segments meet. A
:class:`NetworkDistance` answers the questions of the
:class:`~planner.access.distances.DistanceModel` protocol on that graph, so every distance
criterion of the core engine runs on walking distances unchanged. All searches run over the
whole graph at once with :mod:`scipy.sparse.csgraph`: one multi-source Dijkstra for
nearest-target distances, and radius-bounded Dijkstra on spatial tiles for within-radius pairs
(never one graph search per plot in a Python loop).

Rules (see ``docs/network.md``):

* **Walkable lines.** Every road class is walkable except :data:`NON_WALKABLE_ROAD_CLASSES`
  (motorways, expressways and their links, roads under construction, ...). A missing class is
  walkable. A ``foot`` column overrides the class (``no`` excludes, ``yes``/``designated``/
  ``permissive`` includes); ``access=no`` excludes unless ``foot`` allows it.
* **Noding.** Lines that cross at grade are joined at the crossing; lines marked as bridges or
  tunnels (``bridge``, ``tunnel`` columns, or ``layer`` not 0) join other lines only at shared
  vertices, as OpenStreetMap maps them, so a footbridge over a railway does not connect to
  what it passes over. ``noding="vertices"`` joins every line only at shared vertices,
  ``noding="crossings"`` at every crossing.
* **Access.** Polygons (plots, parks) reach the network through their boundary: the nearest
  segment within :data:`~planner.standards.WALK_ACCESS_SNAP_M` and every segment within
  :data:`~planner.standards.WALK_FRONTAGE_M` (the streets the polygon fronts) are access
  points, each at its point nearest the polygon. Buildings and estates (the residential layer)
  and points reach it from their centroid, through the one nearest segment within the same
  distance.
* **Fallback.** A geometry with no segment within the snapping distance is reached by straight
  line × :data:`~planner.standards.WALK_DETOUR_FACTOR` and marked ``straight_line`` by
  :meth:`NetworkDistance.origin_basis`. Geometries that touch or overlap are 0 m apart.
* **Islands.** Connected pieces of network shorter in total than ``min_component_m`` (stray
  fragments) are dropped; larger pieces stay, and places on different pieces are unreachable
  (``inf``), as across a river with no bridge.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Literal

import geopandas as gpd
import numpy as np
import pandas as pd
import pyproj
import scipy.sparse as sp
import shapely
from scipy.sparse.csgraph import connected_components, dijkstra
from scipy.spatial import cKDTree

from planner import standards as S
from planner.access.distances import (
    DistanceModel,
    MemoDistance,  # noqa: F401 - re-exported: planner.access.network.MemoDistance
    Pairs,
    StraightLineDistance,
    _ordered_pairs,
    all_points,
    remembered_fingerprint,
    straight_nearest_index,
)
from planner.config import PlannerConfig
from planner.errors import ConfigError
from planner.layers import Layers
from planner.parallel import map_ordered, split_work

Noding = Literal["auto", "vertices", "crossings"]
AccessRule = Literal["boundary", "centroid"]
DistanceBasis = Literal["auto", "network", "straight_line"]

#: Road classes people cannot walk along (OpenStreetMap ``highway`` values, lower case, and the
#: Chinese names planners use). Every other class, and a missing class, is walkable. Trunk roads
#: are excluded because Chinese cities tag their expressways (快速路) ``trunk``; their side
#: roads (辅路), which carry the pavements, are mapped as separate ways.
NON_WALKABLE_ROAD_CLASSES = frozenset({
    "motorway", "motorway_link", "trunk", "trunk_link", "construction", "proposed",
    "planned", "abandoned", "disused", "raceway", "bus_guideway", "busway", "escape",
    "高速公路", "高速", "快速路", "城市快速路", "高架", "高架路", "匝道",
})
#: ``foot`` values that open a line to pedestrians whatever its class.
FOOT_ALLOWED = frozenset({"yes", "designated", "permissive", "official"})
#: ``foot`` / ``access`` values that close a line to pedestrians.
FOOT_FORBIDDEN = frozenset({"no", "prohibited"})
#: ``bridge`` / ``tunnel`` values that mean "not grade-separated".
_NOT_SEPARATED = frozenset({"", "no", "0", "false", "none", "nan", "<na>"})

#: Coordinates closer than this (m) are one node (rounding grid of the metric CRS); distances
#: this close to the snapping distance, or to each other when choosing a nearest street,
#: count as equal (a data set drawn on a 200 m grid puts block centres exactly 100 m from
#: the streets).
NODE_GRID_M = 0.01
#: A polygon vertex this much farther from a street than the polygon's nearest point still
#: fronts it (m; a geometric tolerance, not a planning figure).
FRONTAGE_TOLERANCE_M = 1.0
#: Connected pieces of network shorter than this in total (m) are dropped as stray fragments
#: (project assumption: shorter than one 200 m block side, the Shanghai 2016 guide's road
#: spacing, cannot be a real neighbourhood network).
MIN_COMPONENT_M = 200.0
#: Side of the square tiles of origins searched together by :meth:`NetworkDistance.within`,
#: as a multiple of the radius (a tuning figure, not a planning one).
TILE_PER_RADIUS = 1.0
#: Smallest tile side (m).
MIN_TILE_M = 250.0
#: Tiles grow until they hold about this many origins on average (fewer, larger searches
#: when origins are sparse; a tuning figure).
TILE_TARGET_ORIGINS = 64
#: When origins outnumber targets by :data:`MANY_ORIGINS_RATIO` or more (homes searching for
#: the few parks), the subgraph of a tile, not its searches, is the cost: tiles then hold
#: this many times more origins (a tuning figure; results do not depend on it).
MANY_ORIGINS_TILE_FACTOR = 4
#: See :data:`MANY_ORIGINS_TILE_FACTOR`.
MANY_ORIGINS_RATIO = 4
#: Places are attached to the network in chunks of at least this many when spread over
#: worker processes (a tuning figure; results do not depend on it).
ATTACH_MIN_CHUNK = 20_000
#: Radius searches of fewer tiles than this stay in one process (a tuning figure).
PARALLEL_MIN_TILES = 64
#: Tiles per piece of work handed to a worker process: about this many pieces per worker.
PIECES_PER_WORKER = 8


# --- Walkable lines ----------------------------------------------------------------------------
def _text(frame: pd.DataFrame, column: str) -> pd.Series | None:
    """Column ``column`` as lower-case text, or the tag of GDAL's OSM ``other_tags``."""
    lower = {str(c).lower(): c for c in frame.columns}
    col = lower.get(column)
    if col is not None and col != frame.geometry.name:
        return frame[col].astype("string").str.strip().str.lower()
    other = lower.get("other_tags")
    if other is not None:
        tag = frame[other].astype("string").str.extract(f'"{column}"=>"([^"]*)"', expand=False)
        if tag.notna().any():
            return tag.str.strip().str.lower()
    return None


def walkable(roads: gpd.GeoDataFrame) -> pd.Series:
    """Whether each line of the roads layer can be walked along.

    Parameters
    ----------
    roads : GeoDataFrame
        The roads layer; ``road_class`` (from :func:`planner.layers.prepare_layers`) and the
        optional ``foot`` and ``access`` columns are read.

    Returns
    -------
    Series
        Boolean, named ``walkable``, aligned to ``roads.index``.
    """
    cls_ = _text(roads, "road_class")
    if cls_ is None:
        cls_ = _text(roads, "highway")
    ok = (pd.Series(True, index=roads.index) if cls_ is None
          else ~cls_.isin(NON_WALKABLE_ROAD_CLASSES).fillna(False).astype(bool))
    access = _text(roads, "access")
    if access is not None:
        ok &= ~access.isin(FOOT_FORBIDDEN).fillna(False).astype(bool)
    foot = _text(roads, "foot")
    if foot is not None:
        ok = ok & ~foot.isin(FOOT_FORBIDDEN).fillna(False).astype(bool)
        ok = ok | foot.isin(FOOT_ALLOWED).fillna(False).astype(bool)
    return ok.rename("walkable")


def grade_separated(roads: gpd.GeoDataFrame) -> pd.Series:
    """Whether each line is a bridge, tunnel or on another ``layer`` than the ground.

    Returns
    -------
    Series
        Boolean, named ``grade_separated``, aligned to ``roads.index``.
    """
    out = pd.Series(False, index=roads.index)
    for column in ("bridge", "tunnel"):
        s = _text(roads, column)
        if s is not None:
            out |= ~s.fillna("").isin(_NOT_SEPARATED)
    layer = _text(roads, "layer")
    if layer is not None:
        num = pd.to_numeric(layer, errors="coerce").fillna(0)
        out |= (num != 0).to_numpy()
    return out.rename("grade_separated")


# --- The graph ---------------------------------------------------------------------------------
@dataclass(frozen=True, eq=False)
class WalkGraph:
    """An undirected walking graph of straight segments.

    Attributes
    ----------
    xy : ndarray, shape (n, 2)
        Node coordinates in the metric CRS.
    matrix : scipy.sparse.csr_array, shape (n, n)
        Symmetric matrix of segment lengths (m).
    seg_u, seg_v : ndarray
        End nodes of each segment.
    segments : ndarray of LineString
        The segments, for snapping places onto the network.
    crs : pyproj.CRS or None
    """

    xy: np.ndarray
    matrix: sp.csr_array
    seg_u: np.ndarray
    seg_v: np.ndarray
    segments: np.ndarray
    crs: pyproj.CRS | None = None
    _tree: shapely.STRtree = field(init=False, repr=False)
    _kdtree: cKDTree = field(init=False, repr=False)
    _x_order: np.ndarray = field(init=False, repr=False)
    _x_sorted: np.ndarray = field(init=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_tree", shapely.STRtree(self.segments))
        object.__setattr__(self, "_kdtree", cKDTree(self.xy if len(self.xy) else
                                                    np.empty((0, 2))))
        order = np.argsort(self.xy[:, 0], kind="stable") if len(self.xy) else np.array([], int)
        object.__setattr__(self, "_x_order", order)
        object.__setattr__(self, "_x_sorted", self.xy[order, 0])

    def nodes_in_box(self, minx: float, miny: float, maxx: float, maxy: float) -> np.ndarray:
        """Nodes inside a box, in ascending order.

        The k-d tree gives the nodes of the smallest square around the box (a search of the
        box's own size, whatever the size of the city), then the box is applied exactly.
        """
        if len(self.xy) == 0:
            return np.array([], dtype=np.intp)
        half = max(maxx - minx, maxy - miny) / 2.0
        cand = self._kdtree.query_ball_point([(minx + maxx) / 2.0, (miny + maxy) / 2.0],
                                             half * (1.0 + 1e-9) + NODE_GRID_M, p=np.inf,
                                             return_sorted=False)
        cand = np.sort(np.asarray(cand, dtype=np.intp))
        x, y = self.xy[cand, 0], self.xy[cand, 1]
        return cand[(x >= minx) & (x <= maxx) & (y >= miny) & (y <= maxy)]

    @property
    def n_nodes(self) -> int:
        """Number of nodes."""
        return len(self.xy)

    @property
    def n_edges(self) -> int:
        """Number of (undirected) segments."""
        return len(self.seg_u)

    @property
    def seg_length(self) -> np.ndarray:
        """Length of each segment (m)."""
        return shapely.length(self.segments)

    @classmethod
    def from_segments(cls, a: np.ndarray, b: np.ndarray, *, crs: pyproj.CRS | None = None,
                      min_component_m: float = MIN_COMPONENT_M) -> WalkGraph:
        """Build from segment end coordinates ``a`` and ``b`` (arrays of shape (m, 2)).

        Ends closer than :data:`NODE_GRID_M` are one node; zero-length and repeated segments are
        dropped; connected pieces shorter than ``min_component_m`` in total are dropped.
        """
        a = np.asarray(a, dtype=float).reshape(-1, 2)
        b = np.asarray(b, dtype=float).reshape(-1, 2)
        ends = np.concatenate([a, b])
        keys = np.round(ends / NODE_GRID_M).astype(np.int64)
        _, first, inv = np.unique(keys, axis=0, return_index=True, return_inverse=True)
        inv = inv.ravel()
        m = len(a)
        u, v = inv[:m], inv[m:]
        xy = ends[first]  # each node at the first given coordinate that rounds onto it
        length = np.hypot(*(a - b).T)  # from the given coordinates, not the rounded ones
        keep = u != v
        lo, hi, length = np.minimum(u, v)[keep], np.maximum(u, v)[keep], length[keep]
        order = np.lexsort((length, hi, lo))
        lo, hi, length = lo[order], hi[order], length[order]
        first = np.ones(len(lo), dtype=bool)
        first[1:] = (lo[1:] != lo[:-1]) | (hi[1:] != hi[:-1])
        lo, hi, length = lo[first], hi[first], length[first]
        n = len(xy)
        if len(lo) and min_component_m > 0:
            adj = sp.coo_array((length, (lo, hi)), shape=(n, n)).tocsr()
            _, label = connected_components(adj, directed=False)
            comp_len = np.bincount(label[lo], weights=length, minlength=label.max() + 1)
            big = comp_len >= min_component_m
            keep = big[label[lo]]
            lo, hi, length = lo[keep], hi[keep], length[keep]
        used = np.unique(np.concatenate([lo, hi]))
        remap = np.full(n, -1, dtype=np.int64)
        remap[used] = np.arange(len(used))
        lo, hi, xy = remap[lo], remap[hi], xy[used]
        n = len(xy)
        matrix = sp.coo_array((np.concatenate([length, length]),
                               (np.concatenate([lo, hi]), np.concatenate([hi, lo]))),
                              shape=(n, n)).tocsr()
        segments = shapely.linestrings(np.stack([xy[lo], xy[hi]], axis=1))
        return cls(xy=xy, matrix=matrix, seg_u=lo, seg_v=hi, segments=segments, crs=crs)


def _segments_of(lines: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    coords, idx = shapely.get_coordinates(lines, return_index=True)
    same = idx[:-1] == idx[1:]
    return coords[:-1][same], coords[1:][same]


def build_walk_graph(roads: gpd.GeoDataFrame, *, noding: Noding = "auto",
                     min_component_m: float = MIN_COMPONENT_M) -> WalkGraph:
    """Build the walking graph of a roads layer.

    Parameters
    ----------
    roads : GeoDataFrame
        Line layer in a metric CRS (as :func:`planner.layers.prepare_layers` returns it).
    noding : {"auto", "vertices", "crossings"}
        Where lines join: ``auto`` joins at-grade lines where they cross and bridges/tunnels
        only at shared vertices; ``vertices`` joins only at shared vertices (OpenStreetMap
        topology); ``crossings`` joins at every crossing.
    min_component_m : float
        Connected pieces shorter than this in total (m) are dropped.

    Returns
    -------
    WalkGraph
        Possibly empty (no walkable line).

    Raises
    ------
    ConfigError
        Unknown ``noding``, or the layer is in a geographic CRS.
    """
    if noding not in ("auto", "vertices", "crossings"):
        raise ConfigError(f"noding must be auto, vertices or crossings, got {noding!r}")
    if roads.crs is not None and roads.crs.is_geographic:
        raise ConfigError("the roads layer must be in a metric CRS; run prepare_layers first")
    ok = walkable(roads).to_numpy()
    frame = roads.loc[ok]
    geoms = frame.geometry.to_numpy()
    nonempty = ~(shapely.is_missing(geoms) | shapely.is_empty(geoms))
    frame, geoms = frame.loc[nonempty], geoms[nonempty]
    if noding == "vertices":
        separated = np.ones(len(frame), dtype=bool)
    elif noding == "crossings":
        separated = np.zeros(len(frame), dtype=bool)
    else:
        separated = grade_separated(frame).to_numpy()
    parts = []
    ground = geoms[~separated]
    if len(ground):
        noded = shapely.node(shapely.multilinestrings(shapely.get_parts(ground)))
        parts.append(shapely.get_parts(noded))
    if separated.any():
        parts.append(shapely.get_parts(geoms[separated]))
    lines = np.concatenate(parts) if parts else np.array([], dtype=object)
    a, b = _segments_of(lines) if len(lines) else (np.empty((0, 2)), np.empty((0, 2)))
    return WalkGraph.from_segments(a, b, crs=roads.crs, min_component_m=min_component_m)


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


def attach(graph: WalkGraph, geoms: gpd.GeoSeries | np.ndarray, *,
           rule: AccessRule = "boundary", snap_m: float = S.WALK_ACCESS_SNAP_M,
           frontage_m: float = S.WALK_FRONTAGE_M) -> Access:
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
        pts = arr if all_points(arr) else shapely.centroid(arr)
        # the nearest segment is no farther than the nearest node (a segment end): look for
        # segments only within that distance (capped at snap_m), then keep the nearest. The
        # index is asked for the segments whose boxes meet the point's box of that half-side
        # (a little wider): every segment within reach is among them, and the exact
        # distances below, not a GEOS predicate per candidate, decide
        xy = shapely.get_coordinates(pts)
        node_d, _ = graph._kdtree.query(xy)
        reach = np.minimum(node_d, snap_m) + NODE_GRID_M
        half = reach + NODE_GRID_M
        gi, sj = graph._tree.query(shapely.box(xy[:, 0] - half, xy[:, 1] - half,
                                               xy[:, 0] + half, xy[:, 1] + half))
        d, along_c = _point_on_segment(xy[gi], graph.xy[graph.seg_u[sj]],
                                       graph.xy[graph.seg_v[sj]])
        nearest = np.full(n, np.inf)
        np.minimum.at(nearest, gi, d)
        # every segment as near as the nearest (ties: a home midway between two streets)
        ok = (d <= nearest[gi] + NODE_GRID_M) & (d <= snap_m + NODE_GRID_M)
        gi, sj, offset, along_c = gi[ok], sj[ok], d[ok], along_c[ok]
        src = pts[gi]
    elif rule == "boundary":
        # the nearest segment, and every segment the place fronts (within frontage_m): a
        # place with a segment within frontage_m keeps exactly those, so the wider search
        # (snap_m) is needed only for places with none that close
        near = min(frontage_m, snap_m + NODE_GRID_M)
        gi, sj = graph._tree.query(arr, predicate="dwithin", distance=near)
        far = np.ones(n, dtype=bool)
        far[gi] = False
        if near < snap_m + NODE_GRID_M and far.any():
            idx = np.flatnonzero(far)
            g2, s2 = graph._tree.query(arr[idx], predicate="dwithin",
                                       distance=snap_m + NODE_GRID_M)
            gi, sj = np.concatenate([gi, idx[g2]]), np.concatenate([sj, s2])
            order = np.argsort(gi, kind="stable")  # by place, each place's own query order
            gi, sj = gi[order], sj[order]
        d = shapely.distance(arr[gi], graph.segments[sj])
        nearest = np.full(n, np.inf)
        np.minimum.at(nearest, gi, d)
        keep = d <= np.maximum(nearest[gi], frontage_m)
        gi, sj = gi[keep], sj[keep]
        src = arr[gi]
    else:
        raise ConfigError(f"access rule must be boundary or centroid, got {rule!r}")
    seg = graph.segments[sj]
    if rule == "centroid":  # a point: its projection on the segment
        along = along_c
    else:
        a, b = graph.xy[graph.seg_u[sj]], graph.xy[graph.seg_v[sj]]
        link = shapely.shortest_line(src, seg)
        offset = shapely.length(link)
        along = _point_on_segment(shapely.get_coordinates(shapely.get_point(link, 1)), a, b)[1]
    lo, hi = along.copy(), along.copy()
    if rule == "boundary" and len(gi):
        lo, hi = _frontage(src, a, b, offset, lo, hi)
    seg_len = shapely.length(seg)
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


def _point_on_segment(p: np.ndarray, a: np.ndarray,
                      b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
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
    dist = np.where(point | (r <= 0.0), to_a,
                    np.where(r >= 1.0, to_b, np.abs(s) * length))
    at_a, at_b = (px == ax) & (py == ay), (px == bx) & (py == by)
    along = np.where(at_a | point | (r <= 0.0), 0.0,
                     np.where(at_b | (r > 1.0), length, r * length))
    return dist, along


def _concat_access(parts: list[Access], starts: list[int]) -> Access:
    """One :class:`Access` from those of consecutive chunks of places (chunk k at starts[k])."""
    def cat(name: str, shift: bool = False) -> np.ndarray:
        return np.concatenate([getattr(p, name) + s if shift else getattr(p, name)
                               for p, s in zip(parts, starts, strict=True)])

    return Access(cat("geom", True), cat("node"), cat("cost"), cat("seg_geom", True),
                  cat("seg"), cat("lo"), cat("hi"), cat("offset"), cat("attached"))


def _frontage(src: np.ndarray, a: np.ndarray, b: np.ndarray, offset: np.ndarray,
              lo: np.ndarray, hi: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
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


# --- The distance model ------------------------------------------------------------------------
class NetworkDistance(DistanceModel):
    """Walking distance over a :class:`WalkGraph` (a :class:`DistanceModel`).

    Overrides the contract's derived methods with faster paths: :meth:`nearest_index` and
    :meth:`within_any` from one multi-source search, :meth:`iter_pairs` from the tiled
    radius-bounded searches (:meth:`iter_within`), and several radii from one search
    (:attr:`nested_radii`).

    Parameters
    ----------
    graph : WalkGraph
    snap_m : float
        Longest connector from a place to the network (m).
    detour_factor : float
        Straight line × this factor is the distance of places with no road within ``snap_m``.
    frontage_m : float
        Every street this close to a polygon is one of its access points.
    centroid_layers : sequence of GeoSeries
        Places reached from their centroid (buildings, estates); every other polygon set is
        reached through its boundary. Points are reached from themselves either way.
    workers : int
        Worker processes for large searches (:mod:`planner.parallel`): tiles of the
        radius-bounded searches and chunks of places to attach are spread over them. The
        distances do not depend on it.
    """

    basis = "network"
    nested_radii = True

    def __init__(self, graph: WalkGraph, *, snap_m: float = S.WALK_ACCESS_SNAP_M,
                 detour_factor: float = S.WALK_DETOUR_FACTOR,
                 frontage_m: float = S.WALK_FRONTAGE_M,
                 centroid_layers: Sequence[gpd.GeoSeries] = (), workers: int = 1) -> None:
        if not snap_m > 0:
            raise ConfigError(f"walk_snap_m must be > 0, got {snap_m}")
        if not detour_factor >= 1:
            raise ConfigError(f"walk_detour_factor must be >= 1, got {detour_factor}")
        self.graph = graph
        self.snap_m = float(snap_m)
        self.detour_factor = float(detour_factor)
        self.frontage_m = float(frontage_m)
        # fingerprinted only when a polygon set of the same length is asked about
        self._centroid_layers = [g for g in centroid_layers if g is not None]
        self._centroid_keys: dict[int, str] = {}
        self._cache: dict[tuple[str, str], Access] = {}
        self._straight = StraightLineDistance()
        self.workers = int(workers)

    # -- access ----------------------------------------------------------------------------
    def rule_for(self, geoms: gpd.GeoSeries, key: str | None = None) -> AccessRule:
        """The access rule for ``geoms``: ``centroid`` for registered layers and points."""
        if len(geoms) and set(geoms.geom_type.unique()) <= {"Point", "MultiPoint"}:
            return "centroid"
        for k, layer in enumerate(self._centroid_layers):
            if len(layer) != len(geoms):
                continue
            if layer.values is geoms.values:
                return "centroid"
            if k not in self._centroid_keys:
                self._centroid_keys[k] = remembered_fingerprint(layer)
            key = key or remembered_fingerprint(geoms)
            if key == self._centroid_keys[k]:
                return "centroid"
        return "boundary"

    def access(self, geoms: gpd.GeoSeries, rule: AccessRule | None = None) -> Access:
        """Access points of ``geoms`` (cached by content)."""
        key = remembered_fingerprint(geoms)  # the distance memo's digest too
        rule = rule or self.rule_for(geoms, key)
        if (key, rule) not in self._cache:
            if len(self._cache) > 16:
                self._cache.clear()
            self._cache[(key, rule)] = self._attach(geoms, rule)
        return self._cache[(key, rule)]

    def _attach(self, geoms: gpd.GeoSeries, rule: AccessRule) -> Access:
        """:func:`attach`, in chunks of places spread over the workers when there are many."""
        arr = np.asarray(geoms.values, dtype=object)
        parts = split_work(len(arr), self.workers, min_size=ATTACH_MIN_CHUNK)
        done = list(map_ordered(lambda s: attach(self.graph, arr[s], rule=rule,
                                                 snap_m=self.snap_m, frontage_m=self.frontage_m),
                                parts, self.workers))
        return done[0] if len(done) == 1 else _concat_access(done, [s.start for s in parts])

    def origin_basis(self, origins: gpd.GeoSeries) -> np.ndarray:
        """``network`` for origins that reach the network, ``straight_line`` for the rest."""
        ok = self.access(origins).attached
        return np.where(ok, "network", "straight_line").astype(object)

    # -- nearest ---------------------------------------------------------------------------
    def nearest(self, origins: gpd.GeoSeries, targets: gpd.GeoSeries) -> np.ndarray:
        """Walking distance (m) from each origin to its nearest target.

        One multi-source Dijkstra from all targets' access points at once. ``inf`` where no
        target is reachable (no targets, or none on the origin's piece of network).
        """
        return self.nearest_index(origins, targets)[0]

    def nearest_index(self, origins: gpd.GeoSeries,
                      targets: gpd.GeoSeries) -> tuple[np.ndarray, np.ndarray]:
        """Distance to the nearest target and its position (-1 where none is reachable)."""
        n = len(origins)
        out = np.full(n, np.inf)
        which = np.full(n, -1, dtype=np.intp)
        if n == 0 or len(targets) == 0:
            return out, which

        def offer(o: np.ndarray, t: np.ndarray, d: np.ndarray) -> None:
            # keep the smaller distance per origin (several offers per origin allowed)
            if len(o) == 0:
                return
            best = np.full(n, np.inf)
            np.minimum.at(best, o, d)
            win = (d <= best[o]) & (d < out[o])
            out[o[win]], which[o[win]] = d[win], t[win]

        ao, at = self.access(origins), self.access(targets)
        g = self.graph
        if len(at.node) and len(ao.node):
            # one virtual node per target (N + t) with edges to its access nodes; a single
            # multi-source Dijkstra labels every node with its nearest target
            N, T = g.n_nodes, len(targets)
            coo = g.matrix.tocoo()
            rows = np.concatenate([coo.row, N + at.geom])
            cols = np.concatenate([coo.col, at.node])
            data = np.concatenate([coo.data, at.cost])
            m = sp.csr_array((data, (rows, cols)), shape=(N + T, N + T))
            dist, _pred, src = dijkstra(m, directed=True, indices=N + np.unique(at.geom),
                                        min_only=True, return_predecessors=True)
            d = dist[ao.node] + ao.cost
            ok = np.isfinite(d)
            offer(ao.geom[ok], src[ao.node[ok]] - N, d[ok])
        offer(*_same_segment(ao, at))
        # fallback: origins or targets off the network, straight line x detour factor
        if (~ao.attached).any():
            idx = np.flatnonzero(~ao.attached)
            d, j = straight_nearest_index(origins.iloc[idx], targets)
            offer(idx[j >= 0], j[j >= 0], d[j >= 0] * self.detour_factor)
        if (~at.attached).any():
            idx = np.flatnonzero(ao.attached)
            off = np.flatnonzero(~at.attached)
            d, j = straight_nearest_index(origins.iloc[idx], targets.iloc[off])
            offer(idx[j >= 0], off[j[j >= 0]], d[j >= 0] * self.detour_factor)
        oi, ti = targets.sindex.query(origins.values, predicate="intersects")
        out[oi], which[oi] = 0.0, ti
        return out, which

    def within_any(self, origins: gpd.GeoSeries, targets: gpd.GeoSeries,
                   radius: float) -> np.ndarray:
        """Whether some target is at most ``radius`` metres from each origin on foot.

        The nearest target's walk (one multi-source search over the whole network) is within
        the radius exactly when some target is: for a million homes this is far cheaper than
        listing every (home, park) pair within the radius.
        """
        return self.nearest(origins, targets) <= float(radius)

    # -- within ----------------------------------------------------------------------------
    def within(self, origins: gpd.GeoSeries, targets: gpd.GeoSeries, radius: float) -> Pairs:
        """Every (origin, target) pair at most ``radius`` metres apart on foot."""
        chunks = list(self.iter_within(origins, targets, radius))
        if not chunks:
            e = np.array([], dtype=np.intp)
            return Pairs(e, e, np.array([], dtype=float))
        o, t, d = (np.concatenate(x) for x in zip(*chunks, strict=True))
        order = np.lexsort((t, o))
        return Pairs(o[order], t[order], d[order])

    def sum_within(self, origins: gpd.GeoSeries, targets: gpd.GeoSeries,
                   weights: np.ndarray | pd.Series, radii: Sequence[float]) -> np.ndarray:
        """Sum of target ``weights`` within each radius of each origin, shape (n, len(radii)).

        Streams the pairs of the largest radius tile by tile, so memory stays bounded however
        many pairs there are.
        """
        w = np.asarray(weights, dtype=float)
        radii = [float(r) for r in radii]
        out = np.zeros((len(origins), len(radii)))
        if not radii:
            return out
        for o, t, d in self.iter_within(origins, targets, max(radii)):
            for k, r in enumerate(radii):
                hit = d <= r
                np.add.at(out[:, k], o[hit], w[t[hit]])
        return out

    def iter_pairs(self, origins: gpd.GeoSeries, targets: gpd.GeoSeries, radius: float, *,
                   reduce: Callable[[Pairs], object] | None = None) -> Iterator:
        """The pairs of :meth:`within` in chunks, one per tile of :meth:`iter_within`.

        Each chunk is put in (origin, target) order; ``reduce`` is applied where the chunk is
        made (in the worker process with ``workers > 1``), as for
        :meth:`DistanceModel.iter_pairs`.
        """
        nt = len(targets)
        if reduce is None:
            for o, t, d in self.iter_within(origins, targets, radius):
                yield _ordered_pairs(o, t, d, nt)
        else:
            yield from self.iter_within(
                origins, targets, radius,
                reduce=lambda o, t, d: reduce(_ordered_pairs(o, t, d, nt)))

    def iter_within(self, origins: gpd.GeoSeries, targets: gpd.GeoSeries, radius: float, *,
                    reduce: Callable | None = None) -> Iterator:
        """Yield ``(origin, target, distance)`` arrays, each origin's pairs complete in one chunk.

        Origins are grouped in square tiles; each tile is searched with one radius-bounded
        Dijkstra over the part of the graph within ``radius`` of the tile (a walk is never
        shorter than the straight line, so nothing outside can be reached). With
        ``workers > 1`` the tiles are searched in worker processes, in order.

        Parameters
        ----------
        reduce : callable, optional
            ``reduce(origin, target, distance)`` is applied to each chunk where it is made
            (in the worker) and its result is yielded instead of the arrays: sums over
            millions of pairs travel back as sums.
        """
        radius = float(radius)
        n, nt = len(origins), len(targets)
        if n == 0 or nt == 0 or radius < 0:
            return
        ao, at = self.access(origins), self.access(targets)
        extra = _min_pairs(*self._extra_pairs(origins, targets, ao, at, radius))
        many = n >= MANY_ORIGINS_RATIO * nt
        label, tiles = self._tiles(origins, ao, radius, many_origins=many)
        # extra pairs grouped by the tile of their origin (-1: origin off the network)
        xt = label[extra[0]]
        order = np.argsort(xt, kind="stable")
        xt, extra = xt[order], tuple(x[order] for x in extra)
        bounds = np.searchsorted(xt, np.arange(-1, len(tiles) + 1))
        # position buffers reused by every tile (reset after each)
        buf = (np.full(self.graph.n_nodes, -1, dtype=np.intp),
               np.full(n, -1, dtype=np.intp), np.full(nt, -1, dtype=np.intp))
        # origin access rows grouped by tile; target access rows indexed by node
        o_lab = label[ao.geom]
        o_order = np.argsort(o_lab, kind="stable")
        o_bounds = np.searchsorted(o_lab[o_order], np.arange(len(tiles) + 1))
        geom_bounds = shapely.bounds(origins.values)
        t_order = np.argsort(at.node, kind="stable")
        t_ptr = np.searchsorted(at.node[t_order], np.arange(self.graph.n_nodes + 1))

        def piece(ks: range) -> list:
            out = []
            for k in ks:
                a, b = bounds[k + 1], bounds[k + 2]
                rows = o_order[o_bounds[k]:o_bounds[k + 1]]
                chunk = self._tile_pairs(origins, tiles[k], ao, at, radius,
                                         tuple(x[a:b] for x in extra), buf, rows,
                                         (t_order, t_ptr), geom_bounds)
                out.append(chunk if reduce is None else reduce(*chunk))
            return out

        workers = self.workers if len(tiles) >= PARALLEL_MIN_TILES else 1
        step = max(1, math.ceil(len(tiles) / (PIECES_PER_WORKER * max(workers, 1))))
        pieces = [range(i, min(i + step, len(tiles))) for i in range(0, len(tiles), step)]
        for done in map_ordered(piece, pieces, workers):
            yield from done
        a, b = bounds[0], bounds[1]
        if b > a:
            chunk = (extra[0][a:b], extra[1][a:b], extra[2][a:b])
            yield chunk if reduce is None else reduce(*chunk)

    def _extra_pairs(self, origins: gpd.GeoSeries, targets: gpd.GeoSeries, ao: Access,
                     at: Access, radius: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Pairs not found by the graph search: same segment, touching, straight-line fallback."""
        parts = [_same_segment(ao, at)]
        parts[0] = tuple(x[parts[0][2] <= radius] for x in parts[0])
        oi, ti = targets.sindex.query(origins.values, predicate="intersects")
        parts.append((oi, ti, np.zeros(len(oi))))
        # straight line x detour factor where either end is off the network
        reach = radius / self.detour_factor
        off_o = np.flatnonzero(~ao.attached)
        if len(off_o):
            p = self._straight.within(origins.iloc[off_o], targets, reach)
            parts.append((off_o[p.origin], p.target, p.distance * self.detour_factor))
        off_t, on_o = np.flatnonzero(~at.attached), np.flatnonzero(ao.attached)
        if len(off_t) and len(on_o):
            p = self._straight.within(origins.iloc[on_o], targets.iloc[off_t], reach)
            parts.append((on_o[p.origin], off_t[p.target], p.distance * self.detour_factor))
        o, t, d = (np.concatenate(x) for x in zip(*parts, strict=True))
        return o.astype(np.intp), t.astype(np.intp), d.astype(float)

    def _tiles(self, origins: gpd.GeoSeries, ao: Access, radius: float, *,
               many_origins: bool = False) -> tuple[np.ndarray, list[np.ndarray]]:
        """Tile label of each origin (-1 off the network) and the origins of each tile."""
        label = np.full(len(origins), -1, dtype=np.intp)
        g = ao.geom
        if len(g) > 1 and np.all(g[1:] >= g[:-1]):  # attach orders rows by place
            idx = g[np.r_[True, g[1:] != g[:-1]]]
        else:
            idx = np.unique(g)
        if len(idx) == 0:
            return label, []
        c = shapely.get_coordinates(shapely.centroid(origins.values[idx]))
        span = np.ptp(c, axis=0).prod() if len(c) > 1 else 0.0
        per = TILE_TARGET_ORIGINS * (MANY_ORIGINS_TILE_FACTOR if many_origins else 1)
        per_tile = math.sqrt(span / len(c) * per)
        side = max(radius * TILE_PER_RADIUS, MIN_TILE_M, per_tile)
        cell = np.floor(c / side).astype(np.int64)
        cell -= cell.min(axis=0)
        # one integer per cell, ordered as the (x, y) cells are: a 1-D unique, not axis=0
        _, inv = np.unique(cell[:, 0] * (int(cell[:, 1].max()) + 1) + cell[:, 1],
                           return_inverse=True)
        inv = inv.ravel()
        label[idx] = inv
        order = np.argsort(inv, kind="stable")
        starts = np.flatnonzero(np.r_[True, inv[order][1:] != inv[order][:-1]])
        return label, np.split(idx[order], starts[1:])

    def _tile_pairs(self, origins: gpd.GeoSeries, tile: np.ndarray, ao: Access, at: Access,
                    radius: float, extra: tuple[np.ndarray, ...],
                    buf: tuple[np.ndarray, np.ndarray, np.ndarray], o_rows: np.ndarray,
                    t_index: tuple[np.ndarray, np.ndarray], o_bounds: np.ndarray,
                    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Pairs of one tile's origins: one bounded Dijkstra on the tile's part of the graph.

        The subgraph holds the road nodes within ``radius`` of the tile, one source node per
        origin (edges to its access nodes) and one sink node per target reachable in it (edges
        from its access nodes), so the search gives origin-to-target distances directly.
        ``extra`` pairs (same segment, touching, fallback) of these origins are merged in.
        """
        g = self.graph
        local, pos, tcol = buf
        b = o_bounds[tile]
        nodes = g.nodes_in_box(b[:, 0].min() - radius, b[:, 1].min() - radius,
                               b[:, 2].max() + radius, b[:, 3].max() + radius)
        m, k = len(nodes), len(tile)
        local[nodes] = np.arange(m)
        pos[tile] = np.arange(k)
        # target access rows at the box's nodes (gathered through the node index)
        t_order, t_ptr = t_index
        start, count = t_ptr[nodes], t_ptr[nodes + 1] - t_ptr[nodes]
        t_rows = t_order[np.repeat(start - np.cumsum(count) + count, count)
                         + np.arange(count.sum())]
        t_rows = t_rows[at.cost[t_rows] <= radius]
        tg = at.geom[t_rows]
        # distinct targets in ascending order: with the tile's origins ascending too, the
        # pairs come out ordered by (origin, target) and need no sorting later
        tuniq = np.unique(tg)
        tcol[tuniq] = np.arange(len(tuniq))
        try:
            # rows of the box's nodes, gathered from the CSR arrays; keep in-box columns
            ptr = g.matrix.indptr
            start, count = ptr[nodes], ptr[nodes + 1] - ptr[nodes]
            at_ = np.repeat(start - np.cumsum(count) + count, count) + np.arange(count.sum())
            road_row = np.repeat(np.arange(m), count)
            rc = local[g.matrix.indices[at_]]
            keep = rc >= 0
            o_rows = o_rows[(local[ao.node[o_rows]] >= 0) & (ao.cost[o_rows] <= radius)]
            # node numbering: road nodes [0, m), origins [m, m+k); targets are not nodes of
            # the search (they only end walks): each target's distance is the smallest
            # (road node distance + access cost) over its access rows, the very sum and
            # minimum Dijkstra would take on an edge into a target node, without queueing
            # thousands of target nodes per source
            rows = np.concatenate([road_row[keep], m + pos[ao.geom[o_rows]]])
            cols = np.concatenate([rc[keep], local[ao.node[o_rows]]])
            data = np.concatenate([g.matrix.data[at_][keep], ao.cost[o_rows]])
            size = m + k
            mat = sp.csr_array((data, (rows, cols)), shape=(size, size))
            dist = dijkstra(mat, directed=True, indices=np.arange(m, m + k), limit=radius)
            col = tcol[tg]
            order = np.argsort(col, kind="stable")
            tr, col = t_rows[order], col[order]
            if len(tr):
                # rows by node (contiguous); a target's first access row, then the minimum
                # with its second, third ... (a few passes: most targets have two)
                dist_t = np.ascontiguousarray(dist.T)
                node, cost = local[at.node[tr]], at.cost[tr]
                first = np.flatnonzero(np.r_[True, col[1:] != col[:-1]])
                rank = np.arange(len(col)) - first[col]
                td = dist_t[node[first]] + cost[first][:, None]
                for r in range(1, int(rank.max()) + 1):
                    sel = np.flatnonzero(rank == r)
                    td[col[sel]] = np.minimum(td[col[sel]],
                                              dist_t[node[sel]] + cost[sel][:, None])
                td = td.T
            else:
                td = np.full((k, 0), np.inf)
            eo, et, ed = extra
            ec = tcol[et]
            inside = ec >= 0
            np.minimum.at(td, (pos[eo[inside]], ec[inside]), ed[inside])
            oi, tj = np.nonzero(td <= radius)
            return (np.concatenate([tile[oi], eo[~inside]]).astype(np.intp, copy=False),
                    np.concatenate([tuniq[tj], et[~inside]]).astype(np.intp, copy=False),
                    np.concatenate([td[oi, tj], ed[~inside]]))
        finally:
            local[nodes], pos[tile], tcol[tuniq] = -1, -1, -1


def _same_segment(ao: Access, at: Access) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(origin, target, distance) of places whose access points share a segment."""
    if len(ao.seg) == 0 or len(at.seg) == 0:
        e = np.array([], dtype=np.intp)
        return e, e, np.array([], dtype=float)
    left = pd.DataFrame({"o": ao.seg_geom, "s": ao.seg, "a0": ao.lo, "a1": ao.hi,
                         "f": ao.offset})
    right = pd.DataFrame({"t": at.seg_geom, "s": at.seg, "b0": at.lo, "b1": at.hi,
                          "g": at.offset})
    j = left.merge(right, on="s", how="inner")
    gap = np.maximum(0.0, np.maximum(j["b0"] - j["a1"], j["a0"] - j["b1"]))
    d = (j["f"] + gap + j["g"]).to_numpy()
    return _min_pairs(j["o"].to_numpy(np.intp), j["t"].to_numpy(np.intp), d)


def _min_pairs(o: np.ndarray, t: np.ndarray,
               d: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Keep the smallest distance of each (origin, target) pair."""
    if len(o) == 0:
        return o.astype(np.intp), t.astype(np.intp), d.astype(float)
    order = np.lexsort((d, t, o))
    o, t, d = o[order], t[order], d[order]
    first = np.ones(len(o), dtype=bool)
    first[1:] = (o[1:] != o[:-1]) | (t[1:] != t[:-1])
    return o[first].astype(np.intp), t[first].astype(np.intp), d[first].astype(float)


def nearest_index(model: DistanceModel, origins: gpd.GeoSeries,
                  targets: gpd.GeoSeries) -> tuple[np.ndarray, np.ndarray]:
    """Distance from each origin to its nearest target and that target's position (-1: none).

    :meth:`DistanceModel.nearest_index <planner.access.distances.DistanceModel.nearest_index>`
    of any model: the network model labels targets in its multi-source search, the straight
    line goes through the spatial index, a :class:`~planner.access.distances.MemoDistance`
    asks the model it wraps.
    """
    return model.nearest_index(origins, targets)


# --- Choosing a model --------------------------------------------------------------------------
def distance_model_for(layers: Layers, config: PlannerConfig | None = None,
                       basis: DistanceBasis = "auto", *, workers: int = 1) -> DistanceModel:
    """The distance model of a run.

    Parameters
    ----------
    layers : Layers
        Prepared layers (metric CRS).
    config : PlannerConfig, optional
        ``thresholds.walk_snap_m``, ``walk_detour_factor`` and ``walk_frontage_m`` are read.
    basis : {"auto", "network", "straight_line"}
        ``auto``: walking network when the roads layer has walkable lines, else straight line.
    workers : int
        Worker processes for the walking network's large searches (see
        :class:`NetworkDistance`); results do not depend on it.

    Raises
    ------
    ConfigError
        Unknown ``basis``, or ``network`` asked for without a walkable roads layer.
    """
    if basis not in ("auto", "network", "straight_line"):
        raise ConfigError(f"distance basis must be auto, network or straight_line, got {basis!r}")
    if basis == "straight_line":
        return StraightLineDistance()
    graph = None
    if layers.has("roads"):
        graph = build_walk_graph(layers.roads)
    if graph is None or graph.n_edges == 0:
        if basis == "network":
            raise ConfigError("network distances need a roads layer with walkable lines; "
                              "give --roads FILE or use --distance straight_line")
        return StraightLineDistance()
    t = (config or PlannerConfig()).thresholds
    snap, factor, frontage = t.walk_snap_m, t.walk_detour_factor, t.walk_frontage_m
    centroid = [layers.residential.geometry] if layers.has("residential") else []
    return NetworkDistance(graph, snap_m=snap, detour_factor=factor, frontage_m=frontage,
                           centroid_layers=centroid, workers=workers)
