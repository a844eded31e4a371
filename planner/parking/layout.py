"""Stall layouts inside any plot polygon, vectorised across plots.

The model (see ``docs/parking.md``) works in a frame rotated so that aisles run along ``x``:

1. *Orientations*: the two axes of each plot's minimum rotated rectangle, each in both
   directions (four frames per plot).
2. *Patterns*: 90° rows on a two-way aisle, 60° and 45° rows on a one-way aisle, parallel
   stalls on a one-way aisle (all double-loaded: a row is dropped where it does not fit, which
   gives single-loaded modules), and a lay-by row of parallel stalls entered straight from the
   road along the frontage. Modules (row, aisle, row) repeat across the plot, starting either
   with a row or with an aisle at the plot's edge.
3. *Free intervals*: for every horizontal band (a row with its rear clearance, or an aisle)
   the ``x`` intervals where the whole band height lies inside the plot come from one
   vectorised ``shapely.difference`` of all bands against their plots. Stalls are then packed
   into those intervals analytically (no loop over stalls), so no stall can leave the plot or
   overlap another.
4. *Access*: an aisle interval is usable when its end meets the car-road frontage (either end
   for a two-way aisle, both ends for a one-way aisle); a stall counts only when its door lies
   on a usable aisle interval. Lay-by stalls need the frontage in front of them.
5. The pattern, orientation and phase with the most stalls wins for each plot.

Dimensions are JGJ 100-2015 figures from :mod:`planner.standards` (:class:`LayoutParams`).
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from planner import standards as S
from planner.config import PlannerConfig, StallDimensions, Thresholds
from planner.errors import ConfigError
from planner.messages import Msg
from planner.parking.frontage import car_road_frontage

#: Patterns the layout tries, in tie-break order (the first of equal counts wins).
PATTERNS = ("90", "60", "45", "parallel", "layby")

#: Distance (m) within which an aisle end or a lay-by stall front must meet the frontage.
_ACCESS_TOL_M = 0.5
#: Lay-by stalls keep this gap (m) to the plot edge so that they lie strictly inside it.
_LAYBY_FRONT_GAP_M = 0.01
_EPS = 1e-9
_NUDGE_M = 1e-6
_NO_INTERVALS = pd.DataFrame(
    {
        "module": np.array([], dtype=np.intp),
        "lo": np.array([], dtype=float),
        "hi": np.array([], dtype=float),
    }
)


@dataclass(frozen=True)
class LayoutParams(StallDimensions):
    """Stall and aisle dimensions, clearances and access rule of the layout model (metres).

    The dimensions and their defaults are :class:`~planner.config.StallDimensions`, the
    same fields as the ``[parking]`` section (:class:`~planner.config.ParkingSettings`);
    several are marked *check* in :mod:`planner.standards`. Build one from a run's
    configuration with :meth:`from_config`.
    """

    #: Plot edge within this distance of a car road's centre line is frontage
    #: (``thresholds.frontage_buffer_m``).
    frontage_buffer_m: float = Thresholds.frontage_buffer_m
    #: One accessible stall per this many stalls (``parking.accessible_every`` rounded up).
    accessible_every: int = S.ACCESSIBLE_STALL_EVERY
    #: Plots larger than this get no stall layout (project assumption: 100 ha is far beyond
    #: any leftover plot; laying out a district's millions of stalls exhausts memory).
    max_plot_area_m2: float = 1_000_000.0
    patterns: tuple[str, ...] = PATTERNS

    def __post_init__(self) -> None:
        for f in dataclasses.fields(self):
            v = getattr(self, f.name)
            if f.name == "patterns":
                bad = [p for p in v if p not in PATTERNS]
                if bad or not v:
                    raise ConfigError(
                        Msg("parking.unknown_patterns", patterns=", ".join(PATTERNS), value=list(v))
                    )
            elif f.name in ("clearance_side_m", "clearance_end_m"):
                if not isinstance(v, int | float) or not v >= 0:
                    raise ConfigError(Msg("parking.layout_negative", name=f.name, value=v))
            elif isinstance(v, bool) or not isinstance(v, int | float) or not v > 0:
                raise ConfigError(Msg("parking.layout_not_positive", name=f.name, value=v))

    @classmethod
    def from_config(cls, config: PlannerConfig | None = None, **overrides: object) -> LayoutParams:
        """Parameters from a run's configuration (``[parking]`` and the frontage buffer)."""
        config = config or PlannerConfig()
        p = config.parking
        kw: dict[str, object] = {
            f.name: getattr(p, f.name) for f in dataclasses.fields(StallDimensions)
        }
        kw["accessible_every"] = int(math.ceil(p.accessible_every))
        kw["frontage_buffer_m"] = config.thresholds.frontage_buffer_m
        kw.update(overrides)
        return cls(**kw)  # type: ignore[arg-type]


@dataclass(frozen=True)
class _Pattern:
    """One row pattern in the rotated frame; the aisle line is ``y = 0``, stalls below it."""

    name: str
    alpha_deg: float  # stall axis against the aisle; 0 = parallel
    width: float  # stall width (across its own axis)
    length: float  # stall length (along its own axis)
    aisle: float  # aisle width; 0 for the lay-by row
    one_way: bool
    clear_x: float  # clearance at the ends of a row interval
    clear_rear: float  # clearance behind a row

    @property
    def depth(self) -> float:
        """Row depth across the aisle."""
        if self.alpha_deg == 0:
            return self.width
        a = math.radians(self.alpha_deg)
        return self.length * math.sin(a) + self.width * _cos(a)

    @property
    def pitch(self) -> float:
        """Distance between stalls along the aisle."""
        if self.alpha_deg == 0:
            return self.length
        return self.width / math.sin(math.radians(self.alpha_deg))

    @property
    def extent(self) -> tuple[float, float]:
        """How far a stall reaches left and right of its reference point ``x``."""
        if self.alpha_deg == 0:
            return 0.0, self.length
        a = math.radians(self.alpha_deg)
        return self.width * math.sin(a), self.length * _cos(a)

    @property
    def door(self) -> tuple[float, float]:
        """The stretch of aisle a car uses to enter, relative to ``x``."""
        if self.alpha_deg == 0:
            return 0.0, self.length
        return -self.pitch, 0.0

    def corners(self) -> np.ndarray:
        """The stall's corners relative to ``(x, 0)``, shape (4, 2), counter-clockwise."""
        if self.alpha_deg == 0:
            w, L = self.width, self.length
            return np.array([[0.0, 0.0], [0.0, -w], [L, -w], [L, 0.0]])
        a = math.radians(self.alpha_deg)
        u = np.array([_cos(a), -math.sin(a)])  # along the stall, into the row
        v = np.array([math.sin(a), _cos(a)])  # across the stall
        A = np.zeros(2)
        B = A - self.width * v
        return np.array([A, B, B + self.length * u, A + self.length * u])


def _cos(a: float) -> float:
    c = math.cos(a)
    return 0.0 if abs(c) < 1e-12 else c


def _patterns(p: LayoutParams) -> dict[str, _Pattern]:
    w, L, cs, ce = p.stall_width_m, p.stall_length_m, p.clearance_side_m, p.clearance_end_m
    wp, Lp = p.parallel_width_m, p.parallel_length_m
    return {
        "90": _Pattern("90", 90.0, w, L, p.aisle_90_m, False, cs, ce),
        "60": _Pattern("60", 60.0, w, L, p.aisle_60_m, True, cs, ce),
        "45": _Pattern("45", 45.0, w, L, p.aisle_45_m, True, cs, ce),
        "parallel": _Pattern("parallel", 0.0, wp, Lp, p.aisle_parallel_m, True, ce, cs),
        "layby": _Pattern("layby", 0.0, wp, Lp, 0.0, False, ce, cs),
    }


# --- results ----------------------------------------------------------------------------------
@dataclass
class LayoutResult:
    """Layouts of many plots.

    Attributes
    ----------
    summary : pandas.DataFrame
        One row per plot, indexed like the input: ``stalls``, ``accessible_stalls``,
        ``pattern``, ``angle_deg`` (aisle direction, degrees anticlockwise from east in the
        metric CRS), ``gross_m2_per_stall`` (plot area / stalls, NaN when none),
        ``frontage_m`` and ``reason`` (why a plot holds none; empty when it holds some).
    stalls : geopandas.GeoDataFrame
        One stall rectangle per row: ``plot_index`` (input index label), ``plot_id`` (when
        the input has that column), ``stall_no``, ``accessible``, ``pattern``. Empty unless
        geometry was asked for.
    aisles : geopandas.GeoDataFrame
        The aisle stretches the stalls use: ``plot_index``, ``plot_id``, ``one_way``. Empty
        unless geometry was asked for.
    """

    summary: pd.DataFrame
    stalls: gpd.GeoDataFrame
    aisles: gpd.GeoDataFrame


@dataclass
class Layout:
    """The layout of one plot, for the map and for export.

    Attributes
    ----------
    stalls : int
    accessible_stalls : int
    pattern : str
        ``90``, ``60``, ``45``, ``parallel``, ``layby`` or ``""`` when none fits.
    gross_m2_per_stall : float
    reason : str
        Why the plot holds no stall; ``""`` when it holds some.
    stall_geoms : geopandas.GeoDataFrame
        Stall rectangles with ``stall_no`` and ``accessible``.
    aisle_geoms : geopandas.GeoDataFrame
        Aisle stretches with ``one_way``.
    """

    stalls: int
    accessible_stalls: int
    pattern: str
    gross_m2_per_stall: float
    reason: str
    stall_geoms: gpd.GeoDataFrame
    aisle_geoms: gpd.GeoDataFrame


# --- geometry helpers -------------------------------------------------------------------------
def _rotate(
    geoms: np.ndarray, theta: np.ndarray, ox: np.ndarray, oy: np.ndarray, *, inverse: bool = False
) -> np.ndarray:
    """Rotate each geometry about its own origin: into the aisle frame, or back (inverse)."""
    counts = shapely.get_num_coordinates(geoms)
    owner = np.repeat(np.arange(len(geoms)), counts)
    c, s = np.cos(theta[owner]), np.sin(theta[owner])
    x0, y0 = ox[owner], oy[owner]

    def f(xy: np.ndarray) -> np.ndarray:
        if inverse:
            x, y = xy[:, 0], xy[:, 1]
            return np.column_stack([x * c - y * s + x0, x * s + y * c + y0])
        x, y = xy[:, 0] - x0, xy[:, 1] - y0
        return np.column_stack([x * c + y * s, -x * s + y * c])

    return shapely.transform(geoms, f)


def _rotate_coords(xy: np.ndarray, theta: np.ndarray, ox: np.ndarray, oy: np.ndarray) -> np.ndarray:
    """Rotate coordinates ``(n, k, 2)`` of the aisle frame back to the metric CRS."""
    c, s = np.cos(theta)[:, None], np.sin(theta)[:, None]
    x, y = xy[..., 0], xy[..., 1]
    return np.stack([x * c - y * s + ox[:, None], x * s + y * c + oy[:, None]], axis=-1)


def _order_by(key: np.ndarray, lo: np.ndarray) -> np.ndarray:
    """``np.lexsort((lo, key))``: by key, then lo, then position — sorted key by key.

    Keys hold a few intervals each (the plot edges one band crosses), so instead of one
    global sort of ``lo`` the keys are gathered (a stable sort of the integer keys, which
    are nearly sorted already) and each key's values sorted in a row of a padded matrix,
    keys of similar size together (rows of 2, 4, 8, … columns): the same permutation as
    :func:`numpy.lexsort` in a fraction of its time. NaN sorts last within its key, as there.
    """
    n = len(lo)
    by_key = np.argsort(key, kind="stable")
    k = key[by_key]
    first = (
        np.flatnonzero(np.concatenate([[True], k[1:] != k[:-1]]))
        if n
        else np.empty(0, dtype=np.intp)
    )
    count = np.diff(np.append(first, n))
    width = np.ones_like(count)
    many = count > 1
    width[many] = np.left_shift(1, np.ceil(np.log2(count[many])).astype(np.int64))
    order = np.empty(n, dtype=np.intp)
    for w in np.unique(width):
        g = np.flatnonzero(width == w)
        cols = np.arange(w)
        real = cols < count[g, None]
        slot = np.where(real, first[g, None] + cols, 0)  # positions in key order
        vals = np.where(real, lo[by_key[slot]], np.nan)  # padding sorts after all values
        rank = np.argsort(vals, axis=1, kind="stable")
        order[slot[real]] = by_key[np.take_along_axis(slot, rank, axis=1)[real]]
    return order


def _merge(key: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> pd.DataFrame:
    """Sort intervals by key and start; add the running end (``run``) within each key."""
    order = _order_by(key, lo)
    df = pd.DataFrame({"key": key[order], "lo": lo[order], "hi": hi[order]})
    df["run"] = df.groupby("key", sort=False)["hi"].cummax()
    return df


def _gaps(key: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> pd.DataFrame:
    """The gaps between the (overlapping) blocked intervals of each key."""
    df = _merge(key, lo, hi)
    prev_run = df["run"].shift(1)
    same = df["key"].eq(df["key"].shift(1))
    gap = same & (df["lo"] > prev_run + _EPS)
    return pd.DataFrame(
        {
            "key": df["key"][gap].to_numpy(),
            "lo": prev_run[gap].to_numpy(),
            "hi": df["lo"][gap].to_numpy(),
        }
    )


def _union(key: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> pd.DataFrame:
    """The union of the intervals of each key, as disjoint intervals."""
    df = _merge(key, lo, hi)
    prev_run = df["run"].shift(1)
    start = ~df["key"].eq(df["key"].shift(1)) | (df["lo"] > prev_run + _EPS)
    grp = start.cumsum()
    out = df.groupby(grp, sort=False).agg(
        key=("key", "first"), lo=("lo", "first"), hi=("run", "last")
    )
    return out.reset_index(drop=True)


def _edges(polys: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """All ring edges of ``polys`` as ``(x1, y1, x2, y2)`` rows, sorted by polygon.

    Also returns the first edge and the edge count of each polygon.
    """
    parts, pidx = shapely.get_parts(polys, return_index=True)
    rings, ridx = shapely.get_rings(parts, return_index=True)
    xy, cidx = shapely.get_coordinates(rings, return_index=True)
    same = cidx[:-1] == cidx[1:]
    e = np.column_stack([xy[:-1][same], xy[1:][same]])
    owner = pidx[ridx[cidx[:-1][same]]]
    count = np.bincount(owner, minlength=len(polys))
    return e, np.cumsum(count) - count, count


def _line_segments(lines: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """All segments of line geometries as ``(x1, y1, x2, y2)`` rows, sorted by geometry.

    Collections are opened to their lines and points; a point is a segment of length 0.
    Also returns the first segment and the segment count of each geometry.
    """
    parts, owner = shapely.get_parts(lines, return_index=True)
    while len(parts) and (multi := shapely.get_type_id(parts) >= 4).any():
        sub, sidx = shapely.get_parts(parts[multi], return_index=True)
        parts = np.concatenate([parts[~multi], sub])
        owner = np.concatenate([owner[~multi], owner[multi][sidx]])
    xy, cidx = shapely.get_coordinates(parts, return_index=True)
    same = cidx[:-1] == cidx[1:]
    single = np.flatnonzero(shapely.get_num_coordinates(parts) == 1)
    at = np.searchsorted(cidx, single)
    seg = np.concatenate(
        [np.column_stack([xy[:-1][same], xy[1:][same]]), np.column_stack([xy[at], xy[at]])]
    )
    seg_owner = np.concatenate([owner[cidx[:-1][same]], owner[single]])
    order = np.argsort(seg_owner, kind="stable")
    count = np.bincount(seg_owner, minlength=len(lines))
    return seg[order], np.cumsum(count) - count, count


def _pairs(f: np.ndarray, start: np.ndarray, count: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Every (item, element) pair: item ``i`` of frame ``f[i]`` against each element of it.

    Elements of frame ``j`` are ``start[j] .. start[j] + count[j] - 1``; returns the item
    position and element position of each pair.
    """
    cnt = count[f]
    item = np.repeat(np.arange(len(f)), cnt)
    local = np.arange(len(item)) - np.repeat(np.cumsum(cnt) - cnt, cnt)
    return item, start[f][item] + local


#: Above this many (item, element) pairs, the items of frames with more than
#: :data:`_TREE_MIN_SEGMENTS` segments are paired only with the segments whose extents meet
#: theirs, from one envelope query of an STRtree of those frames' segments: a plot with
#: 100,000 edges against its hundreds of aisle ends would otherwise form every pair (tens of
#: seconds). Other items, and every item below it, form every pair of their frame (faster for
#: ordinary plots, of a few edges each). Both give the same pairs after the callers' exact
#: tests, in the same order.
_ALL_PAIRS_MAX = 2_000_000
#: Segments of a frame above which its items take the tree (see :data:`_ALL_PAIRS_MAX`).
_TREE_MIN_SEGMENTS = 1_000


def _overlapping_pairs(
    fr: _Frame, which: str, f: np.ndarray, query: tuple[np.ndarray, ...]
) -> tuple[np.ndarray, np.ndarray]:
    """Like :func:`_pairs` over ``fr``'s ``edges`` or ``front`` segments, fewer when many.

    ``query`` is ``(x0, y0, x1, y1)`` of each item. With more than :data:`_ALL_PAIRS_MAX`
    pairs, the pairs of frames with many segments whose extents are disjoint (touching
    counts as overlapping) are left out; the callers' own exact tests reject those anyway.
    The STRtree of those frames' segments is built once and kept on ``fr``
    (:func:`_frame_tree`).
    """
    start, count = (
        (fr.edge_start, fr.edge_count) if which == "edges" else (fr.front_start, fr.front_count)
    )
    big = count[f] > _TREE_MIN_SEGMENTS
    if int(count[f].sum()) <= _ALL_PAIRS_MAX or not big.any():
        return _pairs(f, start, count)
    if which not in fr.trees:
        segs = fr.edges if which == "edges" else fr.front_segs
        fr.trees[which] = _frame_tree(segs, start, count, count > _TREE_MIN_SEGMENTS)
    small = np.flatnonzero(~big)
    item_s, elem_s = _pairs(f[small], start, count)
    many = np.flatnonzero(big)
    qs = np.broadcast_arrays(*(np.asarray(q, dtype=float) for q in query), f)[:4]
    item_t, elem_t = _tree_pairs(fr.trees[which], f[many], tuple(q[many] for q in qs))
    item = np.concatenate([small[item_s], many[item_t]])
    elem = np.concatenate([elem_s, elem_t])
    order = np.lexsort((elem, item))  # _pairs' order: item by item, elements ascending
    return item[order], elem[order]


def _tree_pairs(
    tree: _FrameTree, f: np.ndarray, query: tuple[np.ndarray, ...]
) -> tuple[np.ndarray, np.ndarray]:
    """The (item, segment) pairs of one frame whose extents meet, from ``tree``.

    Item ``i`` is the box ``query[.][i]`` (``x0, y0, x1, y1``) of frame ``f[i]`` (a frame in
    ``tree``); returns item positions and segment positions.
    """
    qx0, qy0, qx1, qy1 = query
    qx0, qx1 = np.minimum(qx0, qx1), np.maximum(qx0, qx1)
    qy0, qy1 = np.minimum(qy0, qy1), np.maximum(qy0, qy1)
    # a query reaching beyond every segment is cut to the frames' common extent, so that it
    # stays within its own frame's cell of the tree; one entirely beyond it meets nothing
    h = tree.half
    cx0, cy0 = np.maximum(qx0, -h), np.maximum(qy0, -h)
    cx1, cy1 = np.minimum(qx1, h), np.minimum(qy1, h)
    live = np.flatnonzero((cx0 <= cx1) & (cy0 <= cy1))
    dx, dy = tree.offsets(f[live])
    m = _TREE_QUERY_MARGIN_M
    hit, elem = tree.tree.query(
        shapely.box(cx0[live] + dx - m, cy0[live] + dy - m, cx1[live] + dx + m, cy1[live] + dy + m)
    )
    item = live[hit]
    # exactly the pairs of one frame whose extents meet (touching included), as compared
    # in the frame's own coordinates: the margin and the cells' offsets decide nothing
    keep = (
        (tree.owner[elem] == f[item])
        & (tree.xlo[elem] <= qx1[item])
        & (tree.xhi[elem] >= qx0[item])
        & (tree.ylo[elem] <= qy1[item])
        & (tree.yhi[elem] >= qy0[item])
    )
    return item[keep], tree.segment[elem[keep]]


#: Metres by which a query box is grown in the tree's shifted coordinates (:func:`_frame_tree`)
#: so that rounding of the shift never loses a pair; the exact test afterwards is unshifted.
_TREE_QUERY_MARGIN_M = 0.5


@dataclass(frozen=True)
class _FrameTree:
    """An STRtree of the segments of some frames, each frame in a cell of its own.

    Every frame is centred on its plot's centroid, so all frames overlap near ``(0, 0)``: a
    tree of their segments as they are would pair every query with the segments of every
    frame (at 100,000 plots, billions of pairs: the process ran out of memory). The
    segments of each frame are moved by :meth:`offsets` into its own cell of a square grid
    of cells ``2 · half`` wide, so that a query moved by its frame's offset meets only that
    frame's segments.
    """

    tree: shapely.STRtree
    owner: np.ndarray  # frame of each segment in the tree
    segment: np.ndarray  # its position among all the frames' segments
    cell: np.ndarray  # cell of each frame (-1: not in the tree)
    xlo: np.ndarray  # extent of each segment, in its frame
    xhi: np.ndarray
    ylo: np.ndarray
    yhi: np.ndarray
    half: float  # every segment lies within [-half + 1, half - 1] in both axes
    columns: int  # cells per row of the grid

    def offsets(self, frames: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The shift of each of ``frames`` into its cell."""
        return _cell_offsets(self.cell[frames], self.half, self.columns)


def _cell_offsets(cells: np.ndarray, half: float, columns: int) -> tuple[np.ndarray, np.ndarray]:
    """``x`` and ``y`` shifts into ``cells`` ``2 · half`` (and margins) wide."""
    side = 2.0 * half + 4.0 * _TREE_QUERY_MARGIN_M
    return (cells % columns) * side, (cells // columns) * side


def _frame_tree(
    segs: np.ndarray, start: np.ndarray, count: np.ndarray, chosen: np.ndarray
) -> _FrameTree:
    """The :class:`_FrameTree` of the segments of the ``chosen`` frames (a mask).

    ``segs`` is ``(m, 4)``; frame ``j`` owns segments ``start[j] .. start[j] + count[j] - 1``.
    """
    frames = np.flatnonzero(chosen)
    owner_item, segment = _pairs(frames, start, count)
    owner = frames[owner_item]
    ex = np.sort(segs[segment][:, [0, 2]], axis=1)
    ey = np.sort(segs[segment][:, [1, 3]], axis=1)
    cell = np.full(len(count), -1, dtype=np.intp)
    cell[frames] = np.arange(len(frames))
    reach = float(max(np.abs(ex).max(initial=0.0), np.abs(ey).max(initial=0.0)))
    half = reach + 1.0
    columns = max(1, int(np.ceil(np.sqrt(len(frames)))))
    dx, dy = _cell_offsets(cell[owner], half, columns)
    tree = shapely.STRtree(shapely.box(ex[:, 0] + dx, ey[:, 0] + dy, ex[:, 1] + dx, ey[:, 1] + dy))
    return _FrameTree(
        tree, owner, segment, cell, ex[:, 0], ex[:, 1], ey[:, 0], ey[:, 1], half, columns
    )


def _box_meets_front(
    fr: _Frame, f: np.ndarray, x0: np.ndarray, x1: np.ndarray, y0: np.ndarray, y1: np.ndarray
) -> np.ndarray:
    """Whether each box ``[x0, x1] × [y0, y1]`` of frame ``f`` meets that frame's frontage.

    A segment meets a box (boundary included) unless one of three axes separates them: ``x``,
    ``y`` (their extents do not overlap) or the segment's normal (all four box corners lie
    strictly on one side of its line) — numpy over every box/segment pair instead of a GEOS
    predicate per box.
    """
    box, seg = _overlapping_pairs(fr, "front", f, (x0, y0, x1, y1))
    sx1, sy1, sx2, sy2 = fr.front_segs[seg].T
    bx0, bx1, by0, by1 = x0[box], x1[box], y0[box], y1[box]
    meet = (
        (np.minimum(sx1, sx2) <= bx1)
        & (np.maximum(sx1, sx2) >= bx0)
        & (np.minimum(sy1, sy2) <= by1)
        & (np.maximum(sy1, sy2) >= by0)
    )
    dx, dy = sx2 - sx1, sy2 - sy1
    side = [dx * (cy - sy1) - dy * (cx - sx1) for cx in (bx0, bx1) for cy in (by0, by1)]
    above = (side[0] > 0) & (side[1] > 0) & (side[2] > 0) & (side[3] > 0)
    below = (side[0] < 0) & (side[1] < 0) & (side[2] < 0) & (side[3] < 0)
    meet &= ~(above | below)
    return np.bincount(box[meet], minlength=len(f)) > 0


def _free_intervals(fr: _Frame, f: np.ndarray, y0: np.ndarray, y1: np.ndarray) -> pd.DataFrame:
    """For each band ``y0..y1`` of frame ``f`` the ``x`` intervals where it lies in the plot.

    A vertical segment ``{x} × [y0, y1]`` lies in the plot unless it meets a plot edge; the
    ``x`` values where it meets one are the edges clipped to the band, so the free intervals
    are the gaps between those clipped edges whose midpoint lies inside the plot (numpy over
    every band/edge pair; one ``contains_xy`` per gap). Returns ``key`` (band position),
    ``lo``, ``hi``.
    """
    # bands are nudged inwards by a micrometre so that a plot edge lying on a band edge (up
    # to rounding of the rotation) does not block the band along its whole length
    y0, y1 = y0 + _NUDGE_M, y1 - _NUDGE_M
    fb = fr.bounds[f]
    band, edge = _overlapping_pairs(fr, "edges", f, (fb[:, 0] - 1.0, y0, fb[:, 2] + 1.0, y1))
    hit = (fr.edge_ymax[edge] >= y0[band]) & (fr.edge_ymin[edge] <= y1[band])
    band, edge = band[hit], edge[hit]
    ex1, ey1, ex2, ey2 = fr.edges[edge].T
    ya = np.maximum(np.minimum(ey1, ey2), y0[band])
    yb = np.minimum(np.maximum(ey1, ey2), y1[band])
    dy = ey2 - ey1
    flat = dy == 0
    slope = np.where(flat, 0.0, (ex2 - ex1) / np.where(flat, 1.0, dy))
    xa = np.where(flat, ex1, ex1 + (ya - ey1) * slope)
    xb = np.where(flat, ex2, ex1 + (yb - ey1) * slope)
    sentinel = np.arange(len(f))
    key = np.concatenate([band, sentinel, sentinel])
    lo = np.concatenate([np.minimum(xa, xb), fb[:, 0] - 1.0, fb[:, 2] + 1.0])
    hi = np.concatenate([np.maximum(xa, xb), fb[:, 0] - 1.0, fb[:, 2] + 1.0])
    gaps = _gaps(key, lo, hi)
    k = gaps["key"].to_numpy()
    xm = 0.5 * (gaps["lo"].to_numpy() + gaps["hi"].to_numpy())
    ym = 0.5 * (y0[k] + y1[k])
    inside = shapely.contains_xy(fr.polys[f[k]], xm, ym)
    return gaps.loc[inside].reset_index(drop=True)


# --- the search -------------------------------------------------------------------------------
_FRAMES = 4  # orientations per plot: both axes of the minimum rotated rectangle, both ways


def _frames(geoms: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Owner plot and angle (radians) of each frame."""
    mrr = shapely.oriented_envelope(geoms)
    xy, idx = shapely.get_coordinates(mrr, return_index=True)
    theta0 = np.zeros(len(geoms))
    if len(xy) > 1:
        first = np.minimum(np.searchsorted(idx, np.arange(len(geoms))), len(xy) - 1)
        nxt = np.minimum(first + 1, len(xy) - 1)
        d = xy[nxt] - xy[first]
        same = (idx[nxt] == np.arange(len(geoms))) & (idx[first] == np.arange(len(geoms)))
        theta0 = np.where(same, np.arctan2(d[:, 1], d[:, 0]), 0.0)
    owner = np.repeat(np.arange(len(geoms)), _FRAMES)
    theta = (theta0[:, None] + np.arange(_FRAMES) * (np.pi / 2)).ravel()
    return owner, theta


@dataclass
class _Frame:
    owner: np.ndarray  # plot position of each frame
    theta: np.ndarray
    ox: np.ndarray
    oy: np.ndarray
    polys: np.ndarray  # plot in the frame
    front: np.ndarray  # frontage in the frame
    bounds: np.ndarray  # (n, 4)
    edges: np.ndarray  # (m, 4) ring edges of the plots in the frame, by frame
    edge_start: np.ndarray
    edge_count: np.ndarray
    front_segs: np.ndarray  # (k, 4) segments of the frontage in the frame, by frame
    front_start: np.ndarray
    front_count: np.ndarray
    edge_ymin: np.ndarray = dataclasses.field(init=False)
    edge_ymax: np.ndarray = dataclasses.field(init=False)
    #: STRtrees of the ``edges`` / ``front`` segments, built when first needed
    #: (:func:`_overlapping_pairs`), with the frame of each segment.
    trees: dict[str, _FrameTree] = dataclasses.field(init=False, default_factory=dict)

    def __post_init__(self) -> None:
        self.edge_ymin = np.minimum(self.edges[:, 1], self.edges[:, 3])
        self.edge_ymax = np.maximum(self.edges[:, 1], self.edges[:, 3])


def _module_rows(pat: _Pattern, fr: _Frame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Bands of every module of ``pat`` in every frame and phase.

    Returns ``(rows, aisles)``: rows with ``module``, ``frame``, ``phase``, ``top``
    (row above the aisle), ``yline`` (aisle edge the stalls face), band ``y0``/``y1``;
    aisles with ``module``, ``frame``, ``phase``, ``y0``/``y1``.
    """
    d, a, rear = pat.depth, pat.aisle, pat.clear_rear
    ymin, ymax = fr.bounds[:, 1], fr.bounds[:, 3]
    if pat.name == "layby":
        # one row, its front on the bottom edge of the frame, entered from the road
        n = len(ymin)
        y = ymin + _LAYBY_FRONT_GAP_M
        rows = pd.DataFrame(
            {
                "module": np.arange(n),
                "frame": np.arange(n),
                "phase": np.zeros(n, dtype=np.int8),
                "top": True,
                "yline": y,
                "y0": y,
                "y1": y + d + rear,
            }
        )
        aisles = pd.DataFrame(
            {
                "module": np.arange(n),
                "frame": np.arange(n),
                "phase": np.zeros(n, dtype=np.int8),
                "y0": ymin - _ACCESS_TOL_M,
                "y1": ymin + _ACCESS_TOL_M,
            }
        )
        rows = rows.loc[rows["y1"] <= ymax[rows["frame"].to_numpy()] + _EPS]
        return rows.reset_index(drop=True), aisles
    period = 2 * d + a
    height = ymax - ymin
    k = np.ceil((height + d) / period).astype(int) + 1
    starts = []
    for phase, base in ((0, ymin + rear), (1, ymin - d)):
        f = np.repeat(np.arange(len(k)), k)
        kk = np.arange(k.sum()) - np.repeat(np.cumsum(k) - k, k)
        yk = base[f] + kk * period
        starts.append(pd.DataFrame({"frame": f, "phase": np.int8(phase), "yk": yk}))
    mod = pd.concat(starts, ignore_index=True)
    mod["module"] = np.arange(len(mod))
    yk = mod["yk"].to_numpy()
    lo_f, hi_f = ymin[mod["frame"].to_numpy()], ymax[mod["frame"].to_numpy()]
    aisles = mod[["module", "frame", "phase"]].assign(y0=yk + d, y1=yk + d + a)
    bottom = mod[["module", "frame", "phase"]].assign(
        top=False, yline=yk + d, y0=yk - rear, y1=yk + d
    )
    top = mod[["module", "frame", "phase"]].assign(
        top=True, yline=yk + d + a, y0=yk + d + a, y1=yk + 2 * d + a + rear
    )
    rows = pd.concat([bottom, top], ignore_index=True)
    ok_a = (aisles["y0"] >= lo_f - _EPS) & (aisles["y1"] <= hi_f + _EPS)
    aisles = aisles.loc[ok_a.to_numpy()].reset_index(drop=True)
    rf = rows["frame"].to_numpy()
    ok_r = (rows["y0"] >= ymin[rf] - _EPS) & (rows["y1"] <= ymax[rf] + _EPS)
    rows = rows.loc[ok_r.to_numpy() & rows["module"].isin(aisles["module"]).to_numpy()]
    return rows.reset_index(drop=True), aisles


def _usable_aisles(pat: _Pattern, fr: _Frame, aisles: pd.DataFrame) -> pd.DataFrame:
    """Aisle intervals (``module``, ``lo``, ``hi``) that connect to the frontage."""
    f = aisles["frame"].to_numpy()
    x0, x1 = fr.bounds[f, 0] - 1.0, fr.bounds[f, 2] + 1.0
    y0, y1 = aisles["y0"].to_numpy(), aisles["y1"].to_numpy()
    if pat.name == "layby":
        # the frontage in front of the row: x-extent of the frontage near the bottom edge
        near = shapely.intersection(fr.front[f], shapely.box(x0, y0, x1, y1))
        parts, idx = shapely.get_parts(near, return_index=True)
        keep = ~shapely.is_empty(parts)
        b = shapely.bounds(parts[keep])
        if len(b) == 0:
            return _NO_INTERVALS.copy()
        u = _union(aisles["module"].to_numpy()[idx[keep]], b[:, 0], b[:, 2])
        return u.rename(columns={"key": "module"})
    free = _free_intervals(fr, f, y0, y1)
    if len(free) == 0:
        return _NO_INTERVALS.copy()
    key = free["key"].to_numpy()
    lo, hi = free["lo"].to_numpy(), free["hi"].to_numpy()
    ya0, ya1 = y0[key] + _EPS, y1[key] - _EPS
    fk = f[key]
    t = _ACCESS_TOL_M
    left = _box_meets_front(fr, fk, lo - t, lo + t, ya0, ya1)
    right = _box_meets_front(fr, fk, hi - t, hi + t, ya0, ya1)
    ok = (left & right) if pat.one_way else (left | right)
    return pd.DataFrame(
        {"module": aisles["module"].to_numpy()[key[ok]], "lo": lo[ok], "hi": hi[ok]}
    )


def _row_runs(pat: _Pattern, fr: _Frame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Every run of stalls of ``pat``: where it starts, how many, which row and aisle."""
    rows, aisles = _module_rows(pat, fr)
    empty = pd.DataFrame(
        {
            "frame": np.array([], dtype=np.intp),
            "phase": np.array([], dtype=np.int8),
            "module": np.array([], dtype=np.intp),
            "top": np.array([], dtype=bool),
            "yline": np.array([], dtype=float),
            "x0": np.array([], dtype=float),
            "n": np.array([], dtype=np.int64),
        }
    )
    if len(rows) == 0:
        return empty, aisles.iloc[:0]
    rf = rows["frame"].to_numpy()
    free = _free_intervals(fr, rf, rows["y0"].to_numpy(), rows["y1"].to_numpy())
    usable = _usable_aisles(pat, fr, aisles)
    if len(free) == 0 or len(usable) == 0:
        return empty, aisles.iloc[:0]
    row_iv = rows.iloc[free["key"].to_numpy()].reset_index(drop=True)
    row_iv["rlo"], row_iv["rhi"] = free["lo"].to_numpy(), free["hi"].to_numpy()
    pairs = row_iv.merge(usable.rename(columns={"lo": "alo", "hi": "ahi"}), on="module")
    el, er = pat.extent
    dl, dh = pat.door
    s = pat.pitch
    x_first = np.maximum(pairs["rlo"] + el + pat.clear_x, pairs["alo"] - dl)
    x_last = np.minimum(pairs["rhi"] - er - pat.clear_x, pairs["ahi"] - dh)
    n = np.floor((x_last - x_first) / s + 1e-7) + 1
    n = np.where(x_last >= x_first - 1e-7, n, 0).astype(np.int64)
    pairs = pairs.assign(x0=x_first.to_numpy(), n=n)
    runs = pairs.loc[pairs["n"] > 0, ["frame", "phase", "module", "top", "yline", "x0", "n"]]
    used = aisles.merge(usable, on="module")
    used = used.loc[used.set_index(["module"]).index.isin(runs["module"])]
    return runs.reset_index(drop=True), used.reset_index(drop=True)


def layout_plots(
    plots: gpd.GeoDataFrame | gpd.GeoSeries,
    roads: gpd.GeoDataFrame | gpd.GeoSeries | None = None,
    params: LayoutParams | None = None,
    *,
    geometry: bool = True,
) -> LayoutResult:
    """Lay out stalls in every plot at once.

    Parameters
    ----------
    plots : GeoDataFrame or GeoSeries
        Plot polygons in a metric (projected) CRS.
    roads : GeoDataFrame or GeoSeries, optional
        Road centre lines in the same CRS (``car_access`` False rows are ignored). Without
        it every plot is assumed to have access along its whole boundary.
    params : LayoutParams, optional
        Dimensions; JGJ 100-2015 defaults.
    geometry : bool
        Also build the stall and aisle geometries (off for scoring many plots).

    Returns
    -------
    LayoutResult

    Raises
    ------
    ConfigError
        If the CRS is geographic (the layout needs metres).
    """
    params = params or LayoutParams()
    geoms_s = plots.geometry if isinstance(plots, gpd.GeoDataFrame) else plots
    if geoms_s.crs is not None and not geoms_s.crs.is_projected:
        raise ConfigError(Msg("parking.layout_not_metric"))
    geoms = np.asarray(geoms_s.values, dtype=object)
    n = len(geoms)
    frontage = car_road_frontage(geoms_s, roads, params.frontage_buffer_m).values
    area = shapely.area(geoms)
    has_front = ~shapely.is_empty(frontage)
    too_large = area > params.max_plot_area_m2
    valid = has_front & ~shapely.is_empty(geoms) & (area > 0) & ~too_large

    fr = _plot_frames(geoms, frontage, valid)
    pats = _patterns(params)
    runs, all_aisles, best = _best_runs(pats, params, fr)

    stalls = np.zeros(n, dtype=np.int64)
    pattern = np.full(n, "", dtype=object)
    angle = np.full(n, np.nan)
    bp = best["plot"].to_numpy(dtype=np.intp)
    stalls[bp] = best["n"].to_numpy()
    pattern[bp] = np.array(params.patterns, dtype=object)[best["pattern"].to_numpy(dtype=int)]
    angle[bp] = np.degrees(fr.theta[best["frame"].to_numpy(dtype=np.intp)]) % 360.0
    every = params.accessible_every
    accessible = np.where(stalls > 0, -(-stalls // every), 0)
    gross = np.where(stalls > 0, area / np.maximum(stalls, 1), np.nan)
    reason = _reasons(geoms, area, has_front & ~too_large, stalls, params)
    reason[too_large] = f"too large for a stall layout (over {params.max_plot_area_m2:,.0f} m²)"
    summary = pd.DataFrame(
        {
            "stalls": stalls,
            "accessible_stalls": accessible,
            "pattern": pattern,
            "angle_deg": angle,
            "gross_m2_per_stall": gross,
            "frontage_m": shapely.length(frontage),
            "reason": reason,
        },
        index=geoms_s.index,
    )
    crs = geoms_s.crs
    if not geometry:
        return LayoutResult(summary, _empty_stalls(crs), _empty_aisles(crs))
    key = ["pattern", "frame", "phase"]
    chosen = best[key].drop_duplicates()
    runs = runs.merge(chosen, on=key)
    aisles = pd.concat(all_aisles, ignore_index=True)
    aisles = aisles.merge(chosen, on=key) if len(aisles) else aisles
    stall_gdf = _stall_geoms(runs, pats, params, fr, frontage, geoms_s.index, crs)
    aisle_gdf = _aisle_geoms(aisles, pats, params, fr, geoms, geoms_s.index, crs)
    if isinstance(plots, gpd.GeoDataFrame) and "plot_id" in plots.columns:
        ids = plots["plot_id"]
        stall_gdf.insert(1, "plot_id", ids.reindex(stall_gdf["plot_index"]).to_numpy())
        aisle_gdf.insert(1, "plot_id", ids.reindex(aisle_gdf["plot_index"]).to_numpy())
    return LayoutResult(summary, stall_gdf, aisle_gdf)


def _plot_frames(geoms: np.ndarray, frontage: np.ndarray, valid: np.ndarray) -> _Frame:
    """Every valid plot (and its frontage) turned into each of its candidate frames."""
    owner, theta = _frames(geoms)
    sel = valid[owner]
    owner, theta = owner[sel], theta[sel]
    cent = shapely.centroid(geoms[owner])
    ox, oy = shapely.get_x(cent), shapely.get_y(cent)
    polys = _rotate(geoms[owner], theta, ox, oy)
    shapely.prepare(polys)
    front = _rotate(frontage[owner], theta, ox, oy)
    return _Frame(
        owner,
        theta,
        ox,
        oy,
        polys,
        front,
        shapely.bounds(polys),
        *_edges(polys),
        *_line_segments(front),
    )


def _best_runs(
    pats: dict[str, _Pattern], params: LayoutParams, fr: _Frame
) -> tuple[pd.DataFrame, list[pd.DataFrame], pd.DataFrame]:
    """Stall runs of every pattern in every frame, their aisles, and each plot's best.

    ``best`` has one row per plot with a stall: its ``pattern`` (position in
    ``params.patterns``), ``frame``, ``phase`` and stall count ``n``.
    """
    all_runs, all_aisles = [], []
    for p_i, name in enumerate(params.patterns):
        runs, aisles = _row_runs(pats[name], fr)
        all_runs.append(runs.assign(pattern=p_i))
        all_aisles.append(aisles.assign(pattern=p_i))
    runs = pd.concat(all_runs, ignore_index=True)
    runs["plot"] = fr.owner[runs["frame"].to_numpy().astype(np.intp)] if len(runs) else []
    totals = runs.groupby(["plot", "pattern", "frame", "phase"], sort=True)["n"].sum()
    totals = totals.reset_index()
    # the most stalls wins; ties go to the earlier pattern, frame and phase (stable sort)
    best = totals.sort_values("n", ascending=False, kind="stable").drop_duplicates("plot")
    return runs, all_aisles, best


def _reasons(
    geoms: np.ndarray, area: np.ndarray, has_front: np.ndarray, stalls: np.ndarray, p: LayoutParams
) -> np.ndarray:
    """Why a plot holds no stall."""
    one_stall = min(
        (p.stall_width_m + 2 * p.clearance_side_m) * (p.stall_length_m + p.clearance_end_m),
        (p.parallel_length_m + 2 * p.clearance_end_m) * (p.parallel_width_m + p.clearance_side_m),
    )
    narrowest = p.parallel_width_m + p.clearance_side_m + p.aisle_parallel_m
    out = np.full(len(geoms), "", dtype=object)
    none = stalls == 0
    out[none] = "no stall row fits the shape with access from the road"
    idx = np.flatnonzero(none & has_front & (area >= one_stall))
    if len(idx):
        mic = shapely.maximum_inscribed_circle(geoms[idx])
        width = 2 * shapely.length(mic)
        out[idx[width < narrowest]] = "too narrow"
    out[none & (area < one_stall)] = "too small"
    out[none & ~has_front] = "no access"
    out[shapely.is_missing(geoms) | shapely.is_empty(geoms)] = "empty geometry"
    return out


def _empty_stalls(crs: object) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {
            "plot_index": [],
            "stall_no": np.array([], dtype=np.int64),
            "accessible": np.array([], dtype=bool),
            "pattern": [],
        },
        geometry=gpd.GeoSeries([], crs=crs),
        crs=crs,
    )


def _empty_aisles(crs: object) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {"plot_index": [], "one_way": np.array([], dtype=bool)},
        geometry=gpd.GeoSeries([], crs=crs),
        crs=crs,
    )


def _stall_geoms(
    runs: pd.DataFrame,
    pats: dict[str, _Pattern],
    params: LayoutParams,
    fr: _Frame,
    frontage: np.ndarray,
    index: pd.Index,
    crs: object,
) -> gpd.GeoDataFrame:
    """Stall rectangles of the chosen runs, back in the metric CRS."""
    if len(runs) == 0:
        return _empty_stalls(crs)
    names = np.array(params.patterns, dtype=object)
    n = runs["n"].to_numpy(dtype=np.int64)
    r = np.repeat(np.arange(len(runs)), n)
    i = np.arange(n.sum()) - np.repeat(np.cumsum(n) - n, n)
    pname = names[runs["pattern"].to_numpy(dtype=int)][r]
    pitch = np.array([pats[p].pitch for p in names])[runs["pattern"].to_numpy(dtype=int)][r]
    x = runs["x0"].to_numpy(dtype=float)[r] + i * pitch
    yline = runs["yline"].to_numpy(dtype=float)[r]
    top = runs["top"].to_numpy(dtype=bool)[r]
    corners = np.stack([pats[p].corners() for p in names])  # (P, 4, 2)
    c = corners[runs["pattern"].to_numpy(dtype=int)][r].copy()
    c[..., 1] = np.where(top[:, None], -c[..., 1], c[..., 1])  # mirror the row above the aisle
    c[..., 0] += x[:, None]
    c[..., 1] += yline[:, None]
    f = runs["frame"].to_numpy(dtype=np.intp)[r]
    xy = _rotate_coords(c, fr.theta[f], fr.ox[f], fr.oy[f])
    polys = shapely.polygons(np.concatenate([xy, xy[:, :1]], axis=1))
    plot = fr.owner[f]
    # accessible stalls: the ones nearest the frontage, one per ``accessible_every``
    dist = shapely.distance(polys, frontage[plot])
    df = pd.DataFrame({"plot": plot, "dist": dist, "pos": np.arange(len(plot))})
    df = df.sort_values(["plot", "dist", "pos"], kind="stable")
    df["rank"] = df.groupby("plot").cumcount()
    counts = df.groupby("plot")["pos"].transform("size").to_numpy()
    df["accessible"] = df["rank"].to_numpy() < -(-counts // params.accessible_every)
    df = df.sort_values("pos")
    stall_no = pd.Series(plot).groupby(plot).cumcount().to_numpy() + 1
    return gpd.GeoDataFrame(
        {
            "plot_index": index.to_numpy()[plot],
            "stall_no": stall_no,
            "accessible": df["accessible"].to_numpy(),
            "pattern": pname,
        },
        geometry=polys,
        crs=crs,
    )


def _aisle_geoms(
    aisles: pd.DataFrame,
    pats: dict[str, _Pattern],
    params: LayoutParams,
    fr: _Frame,
    geoms: np.ndarray,
    index: pd.Index,
    crs: object,
) -> gpd.GeoDataFrame:
    """Aisle stretches of the chosen layouts (clipped to the plot), in the metric CRS."""
    if len(aisles) == 0:
        return _empty_aisles(crs)
    names = np.array(params.patterns, dtype=object)
    pname = names[aisles["pattern"].to_numpy(dtype=int)]
    keep = pname != "layby"
    aisles, pname = aisles.loc[keep], pname[keep]
    if len(aisles) == 0:
        return _empty_aisles(crs)
    lo, hi = aisles["lo"].to_numpy(dtype=float), aisles["hi"].to_numpy(dtype=float)
    y0, y1 = aisles["y0"].to_numpy(dtype=float), aisles["y1"].to_numpy(dtype=float)
    c = np.stack(
        [
            np.column_stack([lo, y0]),
            np.column_stack([hi, y0]),
            np.column_stack([hi, y1]),
            np.column_stack([lo, y1]),
        ],
        axis=1,
    )
    f = aisles["frame"].to_numpy(dtype=np.intp)
    xy = _rotate_coords(c, fr.theta[f], fr.ox[f], fr.oy[f])
    polys = shapely.polygons(np.concatenate([xy, xy[:, :1]], axis=1))
    plot = fr.owner[f]
    polys = shapely.intersection(polys, geoms[plot])
    one_way = pd.Series(pname).map({k: v.one_way for k, v in pats.items()}).to_numpy(dtype=bool)
    return gpd.GeoDataFrame(
        {"plot_index": index.to_numpy()[plot], "one_way": one_way}, geometry=polys, crs=crs
    )


def layout_for(
    plot_geom: shapely.Geometry,
    roads: gpd.GeoDataFrame | gpd.GeoSeries | None = None,
    config: PlannerConfig | LayoutParams | None = None,
    *,
    crs: object = None,
) -> Layout:
    """The layout of one plot, for the app to draw.

    Parameters
    ----------
    plot_geom : shapely Polygon or MultiPolygon
        The plot in a metric CRS.
    roads : GeoDataFrame or GeoSeries, optional
        Road centre lines in the same CRS; ``None`` assumes access.
    config : PlannerConfig or LayoutParams, optional
    crs : optional
        CRS of ``plot_geom``; taken from ``roads`` when omitted.

    Returns
    -------
    Layout
    """
    params = config if isinstance(config, LayoutParams) else LayoutParams.from_config(config)
    if crs is None and roads is not None:
        crs = roads.crs
    res = layout_plots(gpd.GeoSeries([plot_geom], crs=crs), roads, params)
    row = res.summary.iloc[0]
    return Layout(
        int(row["stalls"]),
        int(row["accessible_stalls"]),
        str(row["pattern"]),
        float(row["gross_m2_per_stall"]),
        str(row["reason"]),
        res.stalls.drop(columns="plot_index").reset_index(drop=True),
        res.aisles.drop(columns="plot_index").reset_index(drop=True),
    )
