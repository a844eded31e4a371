"""The walking graph: which lines people can walk along, and the graph built from them.

A :class:`WalkGraph` is built once from the ``roads`` layer (:func:`build_walk_graph`): the
walkable lines, split into straight segments between consecutive vertices, with a node
wherever segments meet.

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
* **Islands.** Connected pieces of network shorter in total than ``min_component_m`` (stray
  fragments) are dropped; larger pieces stay.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

import geopandas as gpd
import numpy as np
import pandas as pd
import pyproj
import scipy.sparse as sp
import shapely
from scipy.sparse.csgraph import connected_components
from scipy.spatial import cKDTree

from planner.errors import ConfigError
from planner.messages import Msg

Noding = Literal["auto", "vertices", "crossings"]

#: Road classes people cannot walk along (OpenStreetMap ``highway`` values, lower case, and the
#: Chinese names planners use). Every other class, and a missing class, is walkable. Trunk roads
#: are excluded because Chinese cities tag their expressways (快速路) ``trunk``; their side
#: roads (辅路), which carry the pavements, are mapped as separate ways.
NON_WALKABLE_ROAD_CLASSES = frozenset(
    {
        "motorway",
        "motorway_link",
        "trunk",
        "trunk_link",
        "construction",
        "proposed",
        "planned",
        "abandoned",
        "disused",
        "raceway",
        "bus_guideway",
        "busway",
        "escape",
        "高速公路",
        "高速",
        "快速路",
        "城市快速路",
        "高架",
        "高架路",
        "匝道",
    }
)
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
#: Connected pieces of network shorter than this in total (m) are dropped as stray fragments
#: (project assumption: shorter than one 200 m block side, the Shanghai 2016 guide's road
#: spacing, cannot be a real neighbourhood network).
MIN_COMPONENT_M = 200.0


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
    ok = (
        pd.Series(True, index=roads.index)
        if cls_ is None
        else ~cls_.isin(NON_WALKABLE_ROAD_CLASSES).fillna(False).astype(bool)
    )
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
    _by_x: tuple[np.ndarray, np.ndarray, np.ndarray] | None = field(
        init=False, repr=False, default=None
    )
    _seg_length: np.ndarray | None = field(init=False, repr=False, default=None)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_tree", shapely.STRtree(self.segments))
        object.__setattr__(self, "_kdtree", cKDTree(self.xy if len(self.xy) else np.empty((0, 2))))

    def nearest_node_distance(self, xy: np.ndarray) -> np.ndarray:
        """Distance (m) from each point (coordinates, shape (n, 2)) to the nearest node."""
        d, _ = self._kdtree.query(xy)
        return d

    def segments_meeting(self, geoms: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Positions (place, segment) of the segments whose boxes meet each geometry's box."""
        place, seg = self._tree.query(geoms)
        return place, seg

    def segments_within(self, geoms: np.ndarray, distance: float) -> tuple[np.ndarray, np.ndarray]:
        """Positions (place, segment) of the segments at most ``distance`` m from each geometry.

        In the order of the segment index's ``dwithin`` query (by place).
        """
        place, seg = self._tree.query(geoms, predicate="dwithin", distance=distance)
        return place, seg

    def nodes_in_box(self, minx: float, miny: float, maxx: float, maxy: float) -> np.ndarray:
        """Nodes inside a box (edges included), in ascending order.

        The nodes are kept sorted by x once: the box's strip of x is two binary searches,
        then its y range is applied to the strip (no per-node Python objects, unlike a k-d
        tree's ball query, which matters when thousands of tiles ask).
        """
        if self._by_x is None:
            order = np.argsort(self.xy[:, 0], kind="stable")
            xs, ys = self.xy[order, 0], self.xy[order, 1]
            object.__setattr__(self, "_by_x", (order, xs, ys))
        order, xs, ys = self._by_x
        a, b = np.searchsorted(xs, minx, side="left"), np.searchsorted(xs, maxx, side="right")
        y = ys[a:b]
        return np.sort(order[a:b][(y >= miny) & (y <= maxy)])

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
        """Length of each segment (m; computed once, read-only)."""
        if self._seg_length is None:
            length = shapely.length(self.segments)
            length.flags.writeable = False
            object.__setattr__(self, "_seg_length", length)
        return self._seg_length

    @classmethod
    def from_segments(
        cls,
        a: np.ndarray,
        b: np.ndarray,
        *,
        crs: pyproj.CRS | None = None,
        min_component_m: float = MIN_COMPONENT_M,
    ) -> WalkGraph:
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
        matrix = sp.coo_array(
            (
                np.concatenate([length, length]),
                (np.concatenate([lo, hi]), np.concatenate([hi, lo])),
            ),
            shape=(n, n),
        ).tocsr()
        segments = shapely.linestrings(np.stack([xy[lo], xy[hi]], axis=1))
        return cls(xy=xy, matrix=matrix, seg_u=lo, seg_v=hi, segments=segments, crs=crs)


def _segments_of(lines: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    coords, idx = shapely.get_coordinates(lines, return_index=True)
    same = idx[:-1] == idx[1:]
    return coords[:-1][same], coords[1:][same]


def build_walk_graph(
    roads: gpd.GeoDataFrame, *, noding: Noding = "auto", min_component_m: float = MIN_COMPONENT_M
) -> WalkGraph:
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
        raise ConfigError(Msg("access.unknown_noding", value=noding))
    if roads.crs is not None and roads.crs.is_geographic:
        raise ConfigError(Msg("access.roads_not_metric"))
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
