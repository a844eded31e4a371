"""Walking distances over the street network: :class:`NetworkDistance` and choosing a model.

A :class:`NetworkDistance` keeps the :class:`~planner.access.distances.DistanceModel` contract
on a :class:`~planner.access.graph.WalkGraph` (built by
:func:`~planner.access.graph.build_walk_graph`, places snapped to it by
:func:`~planner.access.attach.attach`), so every distance criterion of the core engine runs on
walking distances unchanged. All searches run over the whole graph at once with
:mod:`scipy.sparse.csgraph`: one multi-source Dijkstra for nearest-target distances, and
radius-bounded Dijkstra on spatial tiles for within-radius pairs (never one graph search per
plot in a Python loop). :func:`distance_model_for` chooses a run's model.

The walking graph and the snapping of places live in :mod:`planner.access.graph` and
:mod:`planner.access.attach`; their names are re-exported here, so
``from planner.access.network import WalkGraph, attach, walkable`` keeps working.

Rules (see ``docs/network.md``; walkable lines, noding and access in the modules above):

* **Fallback.** A geometry with no segment within the snapping distance is reached by straight
  line × :data:`~planner.standards.WALK_DETOUR_FACTOR` and marked ``straight_line`` by
  :meth:`NetworkDistance.origin_basis`. Geometries that touch or overlap are 0 m apart.
* **Islands.** Places on different pieces of network are unreachable (``inf``), as across a
  river with no bridge.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Sequence
from typing import Literal

import geopandas as gpd
import numpy as np
import pandas as pd
import scipy.sparse as sp
import shapely
from scipy.sparse.csgraph import dijkstra

from planner import standards as S
from planner.access.attach import (
    FRONTAGE_TOLERANCE_M,
    Access,
    AccessRule,
    _concat_access,
    _frontage,  # noqa: F401 - the old private names stay reachable here
    _point_on_segment,  # noqa: F401
    attach,
)
from planner.access.distances import (
    DistanceModel,
    MemoDistance,
    Pairs,
    StraightLineDistance,
    _ordered_pairs,
    all_points,
    remembered_fingerprint,
    straight_nearest_index,
)
from planner.access.graph import (
    _NOT_SEPARATED,  # noqa: F401 - the old private names stay reachable here
    FOOT_ALLOWED,
    FOOT_FORBIDDEN,
    MIN_COMPONENT_M,
    NODE_GRID_M,
    NON_WALKABLE_ROAD_CLASSES,
    Noding,
    WalkGraph,
    _segments_of,  # noqa: F401
    _text,  # noqa: F401
    build_walk_graph,
    grade_separated,
    walkable,
)
from planner.config import PlannerConfig
from planner.errors import ConfigError
from planner.layers import Layers
from planner.messages import Msg
from planner.parallel import map_ordered, split_work

__all__ = [
    # the walking graph (planner.access.graph)
    "FOOT_ALLOWED",
    "FOOT_FORBIDDEN",
    "MIN_COMPONENT_M",
    "NODE_GRID_M",
    "NON_WALKABLE_ROAD_CLASSES",
    "Noding",
    "WalkGraph",
    "build_walk_graph",
    "grade_separated",
    "walkable",
    # snapping places to it (planner.access.attach)
    "FRONTAGE_TOLERANCE_M",
    "Access",
    "AccessRule",
    "attach",
    # the distance contract (planner.access.distances)
    "DistanceModel",
    "MemoDistance",
    "Pairs",
    "StraightLineDistance",
    "all_points",
    "remembered_fingerprint",
    # walking distances (this module)
    "ATTACH_MIN_CHUNK",
    "DistanceBasis",
    "MANY_ORIGINS_RATIO",
    "MANY_ORIGINS_TILE_FACTOR",
    "MIN_TILE_M",
    "NetworkDistance",
    "PARALLEL_MIN_TILES",
    "PIECES_PER_WORKER",
    "SEARCH_SMALLER_SIDE_RATIO",
    "TILE_PER_RADIUS",
    "TILE_TARGET_ORIGINS",
    "distance_model_for",
    "nearest_index",
]

DistanceBasis = Literal["auto", "network", "straight_line"]

#: Side of the square tiles of origins searched together by :meth:`NetworkDistance.within`,
#: as a multiple of the radius (a tuning figure, not a planning one; 1.5 measured 5-10 %
#: faster than 1.0 or 2.0 at 100,000 plots in ``benchmarks/bench_network.py``: fewer
#: subgraphs to build against a larger search box each).
TILE_PER_RADIUS = 1.5
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
#: :meth:`NetworkDistance.sum_within` searches from the targets instead of the origins when
#: origins are more than this many times as numerous (a tuning figure; results do not
#: depend on it): the searches, one per place of the searching side, are most of the time.
SEARCH_SMALLER_SIDE_RATIO = 1.0
#: Places are attached to the network in chunks of at least this many when spread over
#: worker processes (a tuning figure; results do not depend on it).
ATTACH_MIN_CHUNK = 20_000
#: Radius searches of fewer tiles than this stay in one process (a tuning figure).
PARALLEL_MIN_TILES = 64
#: Tiles per piece of work handed to a worker process: about this many pieces per worker.
PIECES_PER_WORKER = 8


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

    def __init__(
        self,
        graph: WalkGraph,
        *,
        snap_m: float = S.WALK_ACCESS_SNAP_M,
        detour_factor: float = S.WALK_DETOUR_FACTOR,
        frontage_m: float = S.WALK_FRONTAGE_M,
        centroid_layers: Sequence[gpd.GeoSeries] = (),
        workers: int = 1,
    ) -> None:
        if not snap_m > 0:
            raise ConfigError(Msg("must_be_positive", name="walk_snap_m", value=snap_m))
        if not detour_factor >= 1:
            raise ConfigError(Msg("access.detour_below_one", value=detour_factor))
        self.graph = graph
        self.snap_m = float(snap_m)
        self.detour_factor = float(detour_factor)
        self.frontage_m = float(frontage_m)
        # fingerprinted only when a polygon set of the same length is asked about
        self._centroid_layers = [g for g in centroid_layers if g is not None]
        self._centroid_keys: dict[int, str] = {}
        self._cache: dict[tuple[str, str], Access] = {}
        self._node_indexes: dict[int, tuple[Access, tuple[np.ndarray, ...]]] = {}
        self._extra_cache: dict[tuple, tuple[Access, Access, tuple[np.ndarray, ...]]] = {}
        self._straight = StraightLineDistance()
        self.workers = int(workers)
        self._symmetric: bool | None = None  # whether graph.matrix is symmetric (lazily)

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
        done = list(
            map_ordered(
                lambda s: attach(
                    self.graph, arr[s], rule=rule, snap_m=self.snap_m, frontage_m=self.frontage_m
                ),
                parts,
                self.workers,
            )
        )
        return done[0] if len(done) == 1 else _concat_access(done, [s.start for s in parts])

    def locate(self, places: gpd.GeoSeries) -> None:
        """Attach ``places`` to the network now, ready to be searched for.

        Their access points (:meth:`access`, cached by content), the rows of those by node
        that the tiled searches read, and the places' spatial index (touching places).
        """
        if len(places):
            self._node_index(self.access(places))
            _ = places.sindex

    def prepare_within(self, origins: gpd.GeoSeries, targets: gpd.GeoSeries, radius: float) -> None:
        """Ready a search of the pairs within ``radius`` (answers do not change).

        Both sides located (:meth:`locate`), and the pairs the graph search does not find
        (same segment, touching, off the network) found and kept for the search.
        """
        if len(origins) and len(targets) and radius >= 0:
            self.locate(targets)
            ao, at = self.access(origins), self.access(targets)
            extra = _min_pairs(*self._extra_pairs(origins, targets, ao, at, radius))
            if len(self._extra_cache) > 16:
                self._extra_cache.clear()
            self._extra_cache[(id(ao), id(at), float(radius))] = (ao, at, extra)

    def _node_index(self, at: Access) -> tuple[np.ndarray, ...]:
        """Access rows of targets by node, as the tiled searches read them (cached per ``at``).

        ``(order, ptr, by_geom, rank)``: the rows in node order with each node's first row
        ``ptr``, and the rows in (place, node) order with each row's rank in it.
        """
        hit = self._node_indexes.get(id(at))
        if hit is not None and hit[0] is at:
            return hit[1]
        order = np.argsort(at.node, kind="stable")
        ptr = np.searchsorted(at.node[order], np.arange(self.graph.n_nodes + 1))
        by_geom = np.lexsort((at.node, at.geom))  # attach's own order: mostly the identity
        rank = np.empty_like(by_geom)
        rank[by_geom] = np.arange(len(by_geom))
        if len(self._node_indexes) > 16:
            self._node_indexes.clear()
        self._node_indexes[id(at)] = (at, (order, ptr, by_geom, rank))
        return order, ptr, by_geom, rank

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

    def nearest_index(
        self, origins: gpd.GeoSeries, targets: gpd.GeoSeries
    ) -> tuple[np.ndarray, np.ndarray]:
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
            dist, _pred, src = dijkstra(
                m,
                directed=True,
                indices=N + np.unique(at.geom),
                min_only=True,
                return_predecessors=True,
            )
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

    def within_any(
        self, origins: gpd.GeoSeries, targets: gpd.GeoSeries, radius: float
    ) -> np.ndarray:
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

    def sum_within(
        self,
        origins: gpd.GeoSeries,
        targets: gpd.GeoSeries,
        weights: np.ndarray | pd.Series,
        radii: Sequence[float],
    ) -> np.ndarray:
        """Sum of target ``weights`` within each radius of each origin, shape (n, len(radii)).

        Streams the pairs of the largest radius tile by tile, so memory stays bounded however
        many pairs there are. The searches run from the smaller side: with fewer targets
        than origins (50,000 homes for 100,000 plots) from tiles of targets, where that gives
        the same sums bit for bit (see :meth:`_search_from_targets`), else from the origins.
        """
        w = np.asarray(weights, dtype=float)
        radii = [float(r) for r in radii]
        out = np.zeros((len(origins), len(radii)))
        if not radii:
            return out
        if not self._search_from_targets(len(origins), len(targets), w):
            for o, t, d in self.iter_within(origins, targets, max(radii)):
                for k, r in enumerate(radii):
                    hit = d <= r
                    np.add.at(out[:, k], o[hit], w[t[hit]])
            return out
        # the smaller side searches: tiles of targets, the same pairs with origin and target
        # swapped; each pair's weight is added to its origin (in any order: see
        # _search_from_targets)
        radius = max(radii)
        if radius < 0:
            return out
        ao, at = self.access(origins), self.access(targets)
        eo, et, ed = self._extras(origins, targets, ao, at, radius)

        def sums(t: np.ndarray, o: np.ndarray, d: np.ndarray) -> list:
            return [(o[d <= r], w[t[d <= r]]) for r in radii]

        chunks = self._search_tiles(targets, at, ao, len(origins), (et, eo, ed), radius, sums)
        for chunk in chunks:
            for k, (o, v) in enumerate(chunk):
                np.add.at(out[:, k], o, v)
        return out

    def _search_from_targets(self, n_origins: int, n_targets: int, weights: np.ndarray) -> bool:
        """Whether :meth:`sum_within` searches from the targets (the smaller side).

        Only where it is cheaper (targets fewer than origins by
        :data:`SEARCH_SMALLER_SIDE_RATIO`), where a walk is the same both ways (a symmetric
        graph), and where the sums cannot depend on the order their terms are added in: whole
        weights whose absolute sum is at most 2**53 (every partial sum is then exact), so each
        origin's sum is bit for bit the one of searching from the origins.
        """
        if n_targets == 0 or n_origins <= SEARCH_SMALLER_SIDE_RATIO * n_targets:
            return False
        w = weights
        if not (np.isfinite(w).all() and (w == np.rint(w)).all() and np.abs(w).sum() <= 2.0**53):
            return False
        if self._symmetric is None:
            m = self.graph.matrix
            self._symmetric = bool((m != m.T).nnz == 0)
        return self._symmetric

    def iter_pairs(
        self,
        origins: gpd.GeoSeries,
        targets: gpd.GeoSeries,
        radius: float,
        *,
        reduce: Callable[[Pairs], object] | None = None,
    ) -> Iterator:
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
                origins, targets, radius, reduce=lambda o, t, d: reduce(_ordered_pairs(o, t, d, nt))
            )

    def iter_within(
        self,
        origins: gpd.GeoSeries,
        targets: gpd.GeoSeries,
        radius: float,
        *,
        reduce: Callable | None = None,
    ) -> Iterator:
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
        extra = self._extras(origins, targets, ao, at, radius)
        yield from self._search_tiles(origins, ao, at, nt, extra, radius, reduce)

    def _search_tiles(
        self,
        origins: gpd.GeoSeries,
        ao: Access,
        at: Access,
        nt: int,
        extra: tuple[np.ndarray, np.ndarray, np.ndarray],
        radius: float,
        reduce: Callable | None = None,
    ) -> Iterator:
        """The tiled searches of :meth:`iter_within` from ``origins`` (access ``ao``).

        ``nt`` targets with access ``at``; ``extra`` (origin, target, distance) pairs not
        found by the graph search, merged into the chunk of their origin.
        """
        n = len(origins)
        if n == 0 or nt == 0 or radius < 0:
            return
        many = n >= MANY_ORIGINS_RATIO * nt
        label, tiles = self._tiles(origins, ao, radius, many_origins=many)
        # extra pairs grouped by the tile of their origin (-1: origin off the network)
        xt = label[extra[0]]
        order = np.argsort(xt, kind="stable")
        xt, extra = xt[order], tuple(x[order] for x in extra)
        bounds = np.searchsorted(xt, np.arange(-1, len(tiles) + 1))
        # position buffers reused by every tile (reset after each)
        buf = (
            np.full(self.graph.n_nodes, -1, dtype=np.intp),
            np.full(n, -1, dtype=np.intp),
            np.full(nt, -1, dtype=np.intp),
        )
        # origin access rows grouped by tile; target access rows indexed by node
        o_lab = label[ao.geom]
        o_order = np.argsort(o_lab, kind="stable")
        o_bounds = np.searchsorted(o_lab[o_order], np.arange(len(tiles) + 1))
        geom_bounds = shapely.bounds(origins.values)
        t_index = self._node_index(at)

        def piece(ks: range) -> list:
            out = []
            for k in ks:
                a, b = bounds[k + 1], bounds[k + 2]
                rows = o_order[o_bounds[k] : o_bounds[k + 1]]
                chunk = self._tile_pairs(
                    origins,
                    tiles[k],
                    ao,
                    at,
                    radius,
                    tuple(x[a:b] for x in extra),
                    buf,
                    rows,
                    t_index,
                    geom_bounds,
                )
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

    def _extras(
        self, origins: gpd.GeoSeries, targets: gpd.GeoSeries, ao: Access, at: Access, radius: float
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """:meth:`_extra_pairs`, the smallest distance of each pair.

        Those found ahead by :meth:`prepare_within` are used once and let go (a search
        prepared is run once; memory is not held for searches never asked again).
        """
        hit = self._extra_cache.pop((id(ao), id(at), float(radius)), None)
        if hit is not None and hit[0] is ao and hit[1] is at:
            return hit[2]
        return _min_pairs(*self._extra_pairs(origins, targets, ao, at, radius))

    def _extra_pairs(
        self, origins: gpd.GeoSeries, targets: gpd.GeoSeries, ao: Access, at: Access, radius: float
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
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

    def _tiles(
        self, origins: gpd.GeoSeries, ao: Access, radius: float, *, many_origins: bool = False
    ) -> tuple[np.ndarray, list[np.ndarray]]:
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
        _, inv = np.unique(
            cell[:, 0] * (int(cell[:, 1].max()) + 1) + cell[:, 1], return_inverse=True
        )
        inv = inv.ravel()
        label[idx] = inv
        order = np.argsort(inv, kind="stable")
        starts = np.flatnonzero(np.r_[True, inv[order][1:] != inv[order][:-1]])
        return label, np.split(idx[order], starts[1:])

    def _tile_pairs(
        self,
        origins: gpd.GeoSeries,
        tile: np.ndarray,
        ao: Access,
        at: Access,
        radius: float,
        extra: tuple[np.ndarray, ...],
        buf: tuple[np.ndarray, np.ndarray, np.ndarray],
        o_rows: np.ndarray,
        t_index: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray],
        o_bounds: np.ndarray,
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
        nodes = g.nodes_in_box(
            b[:, 0].min() - radius,
            b[:, 1].min() - radius,
            b[:, 2].max() + radius,
            b[:, 3].max() + radius,
        )
        m, k = len(nodes), len(tile)
        local[nodes] = np.arange(m)
        pos[tile] = np.arange(k)
        tuniq = np.zeros(0, dtype=np.intp)
        try:
            o_rows = o_rows[(local[ao.node[o_rows]] >= 0) & (ao.cost[o_rows] <= radius)]
            # node numbering: road nodes [0, m), origins [m, m+k); targets are not nodes of
            # the search (they only end walks): each target's distance is the smallest
            # (road node distance + access cost) over its access rows, the very sum and
            # minimum Dijkstra would take on an edge into a target node, without queueing
            # thousands of target nodes per source
            mat = _tile_matrix(
                g.matrix, nodes, local, pos[ao.geom[o_rows]], ao.node[o_rows], ao.cost[o_rows], k
            )
            dist = dijkstra(mat, directed=True, indices=np.arange(m, m + k), limit=radius)
            # target access rows at the box's nodes (gathered through the node index), only
            # those some origin of the tile reaches within the radius (the nearest origin's
            # walk to the node plus the access cost): the others make no pair
            t_order, t_ptr, t_by_geom, t_rank = t_index
            t_rows = t_order[_gather_rows(t_ptr, nodes)[0]]
            reach = dist.min(axis=0, initial=np.inf)
            t_rows = t_rows[reach[local[at.node[t_rows]]] + at.cost[t_rows] <= radius]
            # by target, then node: rows ranked in that order once (``t_by_geom``), so one
            # sort of ranks groups them (no unique, no argsort per tile)
            t_rows = t_by_geom[np.sort(t_rank[t_rows])]
            tg = at.geom[t_rows]
            # distinct targets in ascending order: with the tile's origins ascending too,
            # the pairs come out ordered by (origin, target) and need no sorting later
            new_t = np.r_[True, tg[1:] != tg[:-1]] if len(tg) else np.zeros(0, dtype=bool)
            col = np.cumsum(new_t) - 1
            tuniq = tg[new_t]
            tcol[tuniq] = np.arange(len(tuniq))
            td = _target_distances(dist, local[at.node[t_rows]], at.cost[t_rows], col)
            eo, et, ed = extra
            ec = tcol[et]
            inside = ec >= 0
            np.minimum.at(td, (pos[eo[inside]], ec[inside]), ed[inside])
            flat = np.flatnonzero(td <= radius)
            oi, tj = np.divmod(flat, td.shape[1])
            o, t, d = tile[oi], tuniq[tj], td.ravel()[flat]
            if not inside.all():
                o, t = np.concatenate([o, eo[~inside]]), np.concatenate([t, et[~inside]])
                d = np.concatenate([d, ed[~inside]])
            return o.astype(np.intp, copy=False), t.astype(np.intp, copy=False), d
        finally:
            local[nodes], pos[tile], tcol[tuniq] = -1, -1, -1


def _tile_matrix(
    matrix: sp.csr_array,
    nodes: np.ndarray,
    local: np.ndarray,
    src_pos: np.ndarray,
    src_node: np.ndarray,
    src_cost: np.ndarray,
    k: int,
) -> sp.csr_array:
    """The search graph of one tile, built directly from CSR arrays.

    Road nodes ``[0, m)`` (the box's ``nodes``, numbered by ``local``, -1 outside) with their
    edges to in-box nodes, then ``k`` source nodes ``[m, m + k)``: source ``src_pos`` (in
    non-decreasing order) has an edge to the in-box node ``src_node`` costing ``src_cost``.
    Rows come out grouped and entries are distinct, so this is the matrix
    ``csr_array((data, (rows, cols)))`` of the same entries would be, without its COO sort.
    """
    m = len(nodes)
    at_, count = _gather_rows(matrix.indptr, nodes)
    rc = local[matrix.indices[at_]]
    keep = rc >= 0
    road_count = np.bincount(np.repeat(np.arange(m), count)[keep], minlength=m)
    src_count = np.bincount(src_pos, minlength=k)
    indptr = np.concatenate([[0], np.cumsum(np.concatenate([road_count, src_count]))])
    indices = np.concatenate([rc[keep], local[src_node]])
    data = np.concatenate([matrix.data[at_][keep], src_cost])
    return sp.csr_array((data, indices, indptr), shape=(m + k, m + k))


def _gather_rows(ptr: np.ndarray, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Positions of the entries of ``rows`` in a CSR-style array with row pointers ``ptr``.

    Row after row, each in its stored order; also each row's number of entries.
    """
    start, count = ptr[rows], ptr[rows + 1] - ptr[rows]
    return np.repeat(start - np.cumsum(count) + count, count) + np.arange(count.sum()), count


def _target_distances(
    dist: np.ndarray, node: np.ndarray, cost: np.ndarray, col: np.ndarray
) -> np.ndarray:
    """Distance from each source to each target: the best of the target's access rows.

    ``dist`` (sources × nodes) from the search; per access row, sorted by target column
    ``col`` (0, 1, ...), its ``node`` and access ``cost``. Returns sources × targets.
    """
    if len(col) == 0:
        return np.full((dist.shape[0], 0), np.inf)
    # a target's first access row, then the minimum with its second, third ... (a few
    # passes: most targets have two); columns gathered straight from the search's rows
    first = np.flatnonzero(np.r_[True, col[1:] != col[:-1]])
    rank = np.arange(len(col)) - first[col]
    td = np.take(dist, node[first], axis=1)
    td += cost[first]
    if len(col) > len(first):
        # every target's second row (its first again where it has one: the minimum of a
        # value with itself is that value), in one pass over all columns
        second = first.copy()
        second[col[rank == 1]] = np.flatnonzero(rank == 1)
        more = np.take(dist, node[second], axis=1)
        more += cost[second]
        np.minimum(td, more, out=td)
    for r in range(2, int(rank.max()) + 1):
        sel = np.flatnonzero(rank == r)
        td[:, col[sel]] = np.minimum(td[:, col[sel]], dist[:, node[sel]] + cost[sel])
    return td


def _same_segment(ao: Access, at: Access) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(origin, target, distance) of places whose access points share a segment."""
    if len(ao.seg) == 0 or len(at.seg) == 0:
        e = np.array([], dtype=np.intp)
        return e, e, np.array([], dtype=float)
    left = pd.DataFrame({"o": ao.seg_geom, "s": ao.seg, "a0": ao.lo, "a1": ao.hi, "f": ao.offset})
    right = pd.DataFrame({"t": at.seg_geom, "s": at.seg, "b0": at.lo, "b1": at.hi, "g": at.offset})
    j = left.merge(right, on="s", how="inner")
    gap = np.maximum(0.0, np.maximum(j["b0"] - j["a1"], j["a0"] - j["b1"]))
    d = (j["f"] + gap + j["g"]).to_numpy()
    return _min_pairs(j["o"].to_numpy(np.intp), j["t"].to_numpy(np.intp), d)


def _min_pairs(
    o: np.ndarray, t: np.ndarray, d: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Keep the smallest distance of each (origin, target) pair."""
    if len(o) == 0:
        return o.astype(np.intp), t.astype(np.intp), d.astype(float)
    order = np.lexsort((d, t, o))
    o, t, d = o[order], t[order], d[order]
    first = np.ones(len(o), dtype=bool)
    first[1:] = (o[1:] != o[:-1]) | (t[1:] != t[:-1])
    return o[first].astype(np.intp), t[first].astype(np.intp), d[first].astype(float)


def nearest_index(
    model: DistanceModel, origins: gpd.GeoSeries, targets: gpd.GeoSeries
) -> tuple[np.ndarray, np.ndarray]:
    """Distance from each origin to its nearest target and that target's position (-1: none).

    :meth:`DistanceModel.nearest_index <planner.access.distances.DistanceModel.nearest_index>`
    of any model: the network model labels targets in its multi-source search, the straight
    line goes through the spatial index, a :class:`~planner.access.distances.MemoDistance`
    asks the model it wraps.
    """
    return model.nearest_index(origins, targets)


# --- Choosing a model --------------------------------------------------------------------------
def distance_model_for(
    layers: Layers,
    config: PlannerConfig | None = None,
    basis: DistanceBasis = "auto",
    *,
    workers: int = 1,
) -> DistanceModel:
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
        raise ConfigError(Msg("access.unknown_basis", value=basis))
    if basis == "straight_line":
        return StraightLineDistance()
    graph = None
    if layers.has("roads"):
        graph = build_walk_graph(layers.roads)
    if graph is None or graph.n_edges == 0:
        if basis == "network":
            raise ConfigError(Msg("access.network_needs_roads"))
        return StraightLineDistance()
    t = (config or PlannerConfig()).thresholds
    snap, factor, frontage = t.walk_snap_m, t.walk_detour_factor, t.walk_frontage_m
    centroid = [layers.residential.geometry] if layers.has("residential") else []
    return NetworkDistance(
        graph,
        snap_m=snap,
        detour_factor=factor,
        frontage_m=frontage,
        centroid_layers=centroid,
        workers=workers,
    )
