"""Distance models: how far apart two sets of places are.

The criteria never measure distance themselves; they ask a :class:`DistanceModel`, the one
contract every model keeps: two primitives (:meth:`~DistanceModel.nearest`,
:meth:`~DistanceModel.within`) and derived methods with defaults built from them, which a
model overrides where it has a faster path. The core engine uses :class:`StraightLineDistance`
(edge-to-edge Euclidean distance in the metric CRS); the walking network
(:class:`planner.access.network.NetworkDistance`) keeps the same contract, so criteria and
scoring do not change when it replaces the straight line. :class:`MemoDistance` wraps either
and answers repeated questions once.
"""

from __future__ import annotations

import abc
import hashlib
import weakref
from collections.abc import Callable, Iterator, Sequence

import geopandas as gpd
import numpy as np
import shapely

#: Origins per chunk of :meth:`StraightLineDistance.iter_pairs` (memory, not results).
ORIGINS_PER_CHUNK = 5_000
#: Pairs :class:`MemoDistance` keeps from a streamed sum for later questions; above this the
#: pairs of a radius are summed chunk by chunk and forgotten (memory, not results).
PAIRS_KEPT_MAX = 20_000_000

#: Search radius (m) of the first, bounded pass of :meth:`StraightLineDistance.nearest`; origins
#: with nothing that close get a second, unbounded search (a speed setting, not a planning
#: figure: results do not depend on it).
NEAREST_FIRST_PASS_M = 1000.0


class Pairs:
    """Origin/target pairs within a radius: positional indices and their distances (m).

    ``Pairs(origin, target, distance)``. A model may instead give ``distance_fn``, a function
    returning the distances, which is then called once, on first use of :attr:`distance`: sums
    over the pairs (residents within a radius) never pay for distances they do not read.
    """

    __slots__ = ("origin", "target", "_distance", "_distance_fn")

    def __init__(
        self,
        origin: np.ndarray,
        target: np.ndarray,
        distance: np.ndarray | None = None,
        *,
        distance_fn: Callable[[], np.ndarray] | None = None,
    ) -> None:
        if distance is None and distance_fn is None:
            raise ValueError("Pairs needs distance or distance_fn")
        self.origin = origin
        self.target = target
        self._distance = distance
        self._distance_fn = distance_fn

    @property
    def distance(self) -> np.ndarray:
        """Distance (m) of each pair."""
        if self._distance is None:
            self._distance = np.asarray(self._distance_fn(), dtype=float)
            self._distance_fn = None
        return self._distance

    def __len__(self) -> int:
        return len(self.origin)

    def __repr__(self) -> str:
        return f"Pairs({len(self)} pairs)"


def _distances_of(pairs: Pairs) -> Callable[[], np.ndarray]:
    """A function giving ``pairs``' distances that holds neither its origins nor targets."""
    d, fn = pairs._distance, pairs._distance_fn
    return fn if d is None else (lambda: d)


def concat_pairs(chunks: list[Pairs]) -> Pairs:
    """One :class:`Pairs` from chunks (in their order); distances still computed on first use.

    The chunks' own origin and target arrays are not kept (only what gives their distances).
    """
    if not chunks:
        e = np.array([], dtype=np.intp)
        return Pairs(e, e, np.array([], dtype=float))
    if len(chunks) == 1:
        return chunks[0]
    parts = [_distances_of(c) for c in chunks]
    return Pairs(
        np.concatenate([c.origin for c in chunks]),
        np.concatenate([c.target for c in chunks]),
        distance_fn=lambda: np.concatenate([f() for f in parts]),
    )


def in_origin_order(pairs: Pairs) -> Pairs:
    """``pairs`` ordered by (origin, target), when each origin's pairs are one run in target order.

    As :meth:`DistanceModel.iter_pairs` gives them, chunk after chunk: only the runs are put
    in origin order (one stable sort of the runs, not of every pair), which is the
    (origin, target) order. Distances are still computed on first use.
    """
    o = pairs.origin
    cut = np.flatnonzero(o[1:] != o[:-1]) + 1 if len(o) > 1 else np.zeros(0, dtype=np.intp)
    if not np.any(o[cut] < o[cut - 1]):
        return pairs
    starts = np.r_[0, cut]
    lengths = np.diff(np.r_[starts, len(o)])
    runs = np.argsort(o[starts], kind="stable")
    first, count = starts[runs], lengths[runs]
    idx = np.repeat(first - np.cumsum(count) + count, count) + np.arange(len(o))
    distances = _distances_of(pairs)
    return Pairs(o[idx], pairs.target[idx], distance_fn=lambda: distances()[idx])


def _ordered_pairs(o: np.ndarray, t: np.ndarray, d: np.ndarray, nt: int) -> Pairs:
    """Pairs of one chunk ordered by (origin, target); ``nt`` is the number of targets."""
    key = o.astype(np.int64) * nt + t
    if len(key) > 1 and np.any(key[1:] < key[:-1]):
        order = np.argsort(key, kind="stable")
        o, t, d = o[order], t[order], np.asarray(d)[order]
    return Pairs(o, t, np.asarray(d))


def _radius_sums(
    chunk: Pairs, v: np.ndarray, radii: list[float], keep: list[bool]
) -> list[tuple[np.ndarray, np.ndarray, Pairs | None]]:
    """Per radius: the chunk's origins, their sums of ``v`` within it, and the pairs if kept.

    The sum is of ``v`` over each origin's targets within the radius; the pairs are returned
    where ``keep`` says so (else None).

    Each origin's pairs are whole in one chunk, in target order: its sum is made here once,
    in the order of one pass over all pairs, so sums do not depend on how pairs are chunked.
    """
    top = max(radii)
    o = chunk.origin
    if len(o) == 0:
        return [(o, np.zeros(0), chunk if k else None) for k in keep]
    d = chunk.distance if len(radii) > 1 else None
    starts = np.flatnonzero(np.r_[True, o[1:] != o[:-1]])
    group = np.repeat(np.arange(len(starts)), np.diff(np.r_[starts, len(o)]))
    vt = v[chunk.target]
    out = []
    for r, k in zip(radii, keep, strict=True):
        if d is None or r >= top:
            w, part = vt, chunk
        else:
            # the pairs farther than r add nothing: +0.0 leaves a float sum as it is, so each
            # origin's sum is the one over its pairs within r, in the same order
            hit = d <= r
            w = np.where(hit, vt, 0.0)
            part = Pairs(o[hit], chunk.target[hit], d[hit]) if k else None
        out.append((o[starts], np.bincount(group, weights=w), part if k else None))
    return out


def _search_groups(model: DistanceModel, radii: list[float]) -> list[list[float]]:
    """Radii searched together: all at once where the model's radii nest, else one by one."""
    return [radii] if model.nested_radii else [[r] for r in radii]


def _stream_sums(
    model: DistanceModel,
    origins: gpd.GeoSeries,
    targets: gpd.GeoSeries,
    v: np.ndarray,
    radii: list[float],
    *,
    keep_smallest: bool = False,
) -> tuple[dict[float, np.ndarray], dict[float, list[Pairs] | None]]:
    """Per-radius sums of ``v`` from one streamed search at ``max(radii)``.

    Each chunk of :meth:`DistanceModel.iter_pairs` is reduced to its radius sums where it is
    made (for the walking network possibly in a worker process, see :mod:`planner.parallel`),
    so only sums travel. With ``keep_smallest`` the pairs of the smallest radius are kept too,
    chunk by chunk, while they number at most :data:`PAIRS_KEPT_MAX` (else None).
    """
    n = len(origins)
    keep = [keep_smallest and r == min(radii) for r in radii]
    sums = model.iter_pairs(
        origins, targets, max(radii), reduce=lambda chunk: _radius_sums(chunk, v, radii, keep)
    )
    total = {r: np.zeros(n) for r in radii}
    kept: dict[float, list[Pairs] | None] = {
        r: ([] if k else None) for r, k in zip(radii, keep, strict=True)
    }
    count = dict.fromkeys(radii, 0)
    for chunk in sums:
        for r, (idx, s, part) in zip(radii, chunk, strict=True):
            total[r][idx] += s
            if kept[r] is not None:
                count[r] += len(part)
                if count[r] <= PAIRS_KEPT_MAX:
                    kept[r].append(part)
                else:
                    kept[r] = None
    return total, kept


def iter_pairs(
    model: DistanceModel, origins: gpd.GeoSeries, targets: gpd.GeoSeries, radius: float
) -> Iterator[Pairs]:
    """A model's within-radius pairs in chunks: :meth:`DistanceModel.iter_pairs`."""
    yield from model.iter_pairs(origins, targets, radius)


class DistanceModel(abc.ABC):
    """What the criteria need to know about distance: the one contract every model keeps.

    ``origins`` and ``targets`` are GeoSeries in the same metric CRS; every distance and
    radius is in metres. Indices in the results are positions (0..n-1), not index labels.

    A model implements the two **primitives**, :meth:`nearest` and :meth:`within`, and sets
    :attr:`basis`. Every other method is **derived**: it has a default built from the
    primitives (and :attr:`basis`), so a model with only the primitives answers all of them
    correctly; a model overrides a derived method where it has a faster path, giving the same
    answer. Callers call the methods directly, whatever the model.

    ======================================  =========  ==========================================
    method                                  kind       default
    ======================================  =========  ==========================================
    :meth:`nearest`                         primitive  (none)
    :meth:`within`                          primitive  (none)
    :meth:`origin_basis`                    derived    :attr:`basis` for every origin
    :meth:`nearest_index`                   derived    :meth:`nearest`, then :meth:`within` at
                                                       the largest finite nearest distance
    :meth:`within_any`                      derived    the origins of :meth:`within`
    :meth:`iter_pairs`                      derived    one :meth:`within`, ordered
    :meth:`sum_values_within_radii`         derived    sums over :meth:`iter_pairs`
    :meth:`sum_values_within`               derived    :meth:`sum_values_within_radii`, one
                                                       radius
    :meth:`locate`                          derived    nothing (no model state to prepare)
    :meth:`prepare_within`                  derived    nothing
    ======================================  =========  ==========================================
    """

    #: What the distances measure: ``"straight_line"`` or ``"network"``.
    basis: str
    #: True when one search at a radius R finds every pair within a smaller radius r with the
    #: very distance a search at r gives (a walk of at most r never leaves the r
    #: neighbourhood), so several radii are answered by one search at the largest. False
    #: (the default) searches each radius on its own.
    nested_radii: bool = False

    # -- primitives ----------------------------------------------------------------------
    @abc.abstractmethod
    def nearest(self, origins: gpd.GeoSeries, targets: gpd.GeoSeries) -> np.ndarray:
        """Distance (m) from each origin to its nearest target (primitive).

        Returns
        -------
        ndarray of float, shape (len(origins),)
            ``inf`` where no target is reachable (no targets at all, or none connected).
        """

    @abc.abstractmethod
    def within(self, origins: gpd.GeoSeries, targets: gpd.GeoSeries, radius: float) -> Pairs:
        """Every (origin, target) pair at most ``radius`` metres apart (primitive).

        Returns
        -------
        Pairs
            Positions of origin and target and their distance (m) of each pair, ordered by
            origin then target.
        """

    # -- derived -------------------------------------------------------------------------
    def origin_basis(self, origins: gpd.GeoSeries) -> np.ndarray:
        """The basis actually used for each origin (derived; default :attr:`basis`).

        A network model answers ``straight_line`` for origins it reaches by its fallback.

        Returns
        -------
        ndarray of object, shape (len(origins),)
        """
        return np.full(len(origins), self.basis, dtype=object)

    def nearest_index(
        self, origins: gpd.GeoSeries, targets: gpd.GeoSeries
    ) -> tuple[np.ndarray, np.ndarray]:
        """Distance (m) to the nearest target and that target's position (derived).

        The default takes the distances of :meth:`nearest` and, for the origins with a
        reachable target, the nearest of their pairs of one :meth:`within` search at the
        largest of those distances (the first in target order among equally near ones).

        Returns
        -------
        distance : ndarray of float
            As :meth:`nearest` (``inf`` where none is reachable).
        position : ndarray of intp
            Position of the nearest target in ``targets``; -1 where none is reachable.
        """
        d = np.asarray(self.nearest(origins, targets), dtype=float)
        which = np.full(len(origins), -1, dtype=np.intp)
        idx = np.flatnonzero(np.isfinite(d))
        if len(idx) == 0:
            return d, which
        p = self.within(origins.iloc[idx], targets, float(d[idx].max()))
        if len(p):
            order = np.lexsort((p.target, p.distance, p.origin))
            o, t = p.origin[order], p.target[order]
            first = np.r_[True, o[1:] != o[:-1]]
            which[idx[o[first]]] = t[first]
        return d, which

    def locate(self, places: gpd.GeoSeries) -> None:
        """Prepare what the model will need to measure from or to ``places`` (derived).

        Answers do not change; the work is only done earlier. The default does nothing; the
        walking network attaches the places to the network (cached for later questions), so
        a run can do it while a core is free (issue 17).
        """
        return None

    def prepare_within(self, origins: gpd.GeoSeries, targets: gpd.GeoSeries, radius: float) -> None:
        """Prepare a search of the pairs within ``radius`` m, as :meth:`locate` (derived).

        Answers do not change; the default does nothing.
        """
        return None

    def within_any(
        self, origins: gpd.GeoSeries, targets: gpd.GeoSeries, radius: float
    ) -> np.ndarray:
        """Whether some target is at most ``radius`` metres from each origin (derived).

        Returns
        -------
        ndarray of bool, shape (len(origins),)
            The default marks the origins of :meth:`within`'s pairs.
        """
        covered = np.zeros(len(origins), dtype=bool)
        covered[self.within(origins, targets, radius).origin] = True
        return covered

    def iter_pairs(
        self,
        origins: gpd.GeoSeries,
        targets: gpd.GeoSeries,
        radius: float,
        *,
        reduce: Callable[[Pairs], object] | None = None,
    ) -> Iterator:
        """The pairs of :meth:`within` in chunks (derived).

        Every origin's pairs are whole in one chunk, ordered by target; positions are those
        of the whole ``origins``. The default yields one chunk, :meth:`within`'s pairs (put in
        (origin, target) order if the model did not order them). Overrides keep memory
        bounded however large the radius.

        Parameters
        ----------
        reduce : callable, optional
            ``reduce(pairs)`` is applied to each chunk where it is made (for the walking
            network possibly in a worker process) and its result is yielded instead of the
            :class:`Pairs`.
        """
        p = self.within(origins, targets, radius)
        key = p.origin.astype(np.int64) * len(targets) + p.target
        if len(key) and np.any(np.diff(key) < 0):  # a model that does not order its pairs
            order = np.argsort(key, kind="stable")
            p = Pairs(p.origin[order], p.target[order], p.distance[order])
        yield p if reduce is None else reduce(p)

    def sum_values_within(
        self, origins: gpd.GeoSeries, targets: gpd.GeoSeries, values: np.ndarray, radius: float
    ) -> np.ndarray:
        """Sum of ``values`` (one per target) over the targets within ``radius`` m (derived).

        Returns
        -------
        ndarray of float, shape (len(origins),)
            Equal, bit for bit, to summing over :meth:`within`'s pairs in their order.
        """
        return self.sum_values_within_radii(origins, targets, values, [radius])[:, 0]

    def sum_values_within_radii(
        self,
        origins: gpd.GeoSeries,
        targets: gpd.GeoSeries,
        values: np.ndarray,
        radii: Sequence[float],
    ) -> np.ndarray:
        """:meth:`sum_values_within` for several radii (m) at once (derived).

        The default streams :meth:`iter_pairs` chunk by chunk (memory bounded), one search
        per radius, or one at the largest where :attr:`nested_radii` says the radii nest.
        Each origin's sum is made from its pairs in target order, so every column equals a
        sum over :meth:`within`'s pairs of that radius, bit for bit.

        Returns
        -------
        ndarray of float, shape (len(origins), len(radii))
        """
        v = np.asarray(values, dtype=float)
        radii = [float(r) for r in radii]
        out = np.zeros((len(origins), len(radii)))
        todo = list(dict.fromkeys(radii))
        for group in _search_groups(self, todo) if todo else []:
            total, _ = _stream_sums(self, origins, targets, v, group)
            for k, r in enumerate(radii):
                if r in total:
                    out[:, k] = total[r]
        return out


def all_points(geoms: np.ndarray) -> bool:
    """Whether ``geoms`` is non-empty and holds only points."""
    return bool(len(geoms)) and bool((shapely.get_type_id(geoms) == 0).all())


def home_points(residential: gpd.GeoDataFrame) -> gpd.GeoSeries:
    """Where residents live: a point inside each building or estate (points stay as they are).

    Every measure of residents reached (parks, car parks, life circles) starts from these.
    """
    geoms = residential.geometry
    if len(geoms) and (shapely.get_type_id(np.asarray(geoms.values)) == 0).all():
        return geoms
    return geoms.representative_point()


def straight_nearest_index(
    origins: gpd.GeoSeries, targets: gpd.GeoSeries
) -> tuple[np.ndarray, np.ndarray]:
    """Straight-line distance (m) to the nearest target and its position (-1: no targets).

    One unbounded search of the targets' spatial index.
    """
    d = np.full(len(origins), np.inf)
    j = np.full(len(origins), -1, dtype=np.intp)
    if len(origins) and len(targets):
        (i, jj), dd = targets.sindex.nearest(origins.values, return_distance=True, return_all=False)
        d[i], j[i] = dd, jj
    return d, j


class StraightLineDistance(DistanceModel):
    """Edge-to-edge straight-line distance, through the spatial index (vectorised)."""

    basis = "straight_line"

    def nearest(self, origins: gpd.GeoSeries, targets: gpd.GeoSeries) -> np.ndarray:
        """Distance from each origin to the nearest target (``inf`` if there are no targets).

        Two passes give the same distances as one unbounded search, faster: a search bounded
        by :data:`NEAREST_FIRST_PASS_M` for every origin, then an unbounded one for the few
        origins with no target that close.
        """
        out = np.full(len(origins), np.inf)
        if len(targets) == 0 or len(origins) == 0:
            return out
        geoms = np.asarray(origins.values)
        (i, _j), d = targets.sindex.nearest(
            geoms, return_distance=True, return_all=False, max_distance=NEAREST_FIRST_PASS_M
        )
        out[i] = d
        rest = np.flatnonzero(np.isinf(out))
        if len(rest):
            (i, _j), d = targets.sindex.nearest(geoms[rest], return_distance=True, return_all=False)
            out[rest[i]] = d
        return out

    def nearest_index(
        self, origins: gpd.GeoSeries, targets: gpd.GeoSeries
    ) -> tuple[np.ndarray, np.ndarray]:
        """:func:`straight_nearest_index`: one unbounded search of the spatial index."""
        return straight_nearest_index(origins, targets)

    def within(self, origins: gpd.GeoSeries, targets: gpd.GeoSeries, radius: float) -> Pairs:
        """Pairs at most ``radius`` apart, with their distances, ordered by origin then target.

        Candidates come from one bounding-box query (each origin's box grown by ``radius``);
        cheap bounds and, where they do not decide, an exact distance keep those at most
        ``radius`` away. The fixed order makes sums over pairs independent of how the targets
        were indexed.
        """
        return concat_pairs(list(self.iter_pairs(origins, targets, radius)))

    def iter_pairs(
        self,
        origins: gpd.GeoSeries,
        targets: gpd.GeoSeries,
        radius: float,
        *,
        reduce: Callable[[Pairs], object] | None = None,
    ) -> Iterator:
        """The pairs of :meth:`within` in chunks of :data:`ORIGINS_PER_CHUNK` consecutive origins.

        Every origin's pairs are in one chunk, ordered by target; positions are those of the
        whole ``origins``. Memory stays bounded however large the radius. ``reduce`` as for
        :meth:`DistanceModel.iter_pairs`.
        """
        if len(targets) == 0 or len(origins) == 0:
            return
        a, b = np.asarray(origins.values), np.asarray(targets.values)
        pa = a if all_points(a) else shapely.point_on_surface(a)
        pb = b if all_points(b) else shapely.point_on_surface(b)
        ax, ay, bx, by = shapely.get_x(pa), shapely.get_y(pa), shapely.get_x(pb), shapely.get_y(pb)
        ba, bb = shapely.bounds(a), shapely.bounds(b)
        tree = targets.sindex
        for start in range(0, len(a), ORIGINS_PER_CHUNK):
            lo_x, lo_y, hi_x, hi_y = ba[start : start + ORIGINS_PER_CHUNK].T
            boxes = shapely.box(lo_x - radius, lo_y - radius, hi_x + radius, hi_y + radius)
            i, j = tree.query(boxes)
            # order by (origin, target) through one sort of a combined integer key
            key = np.sort((i.astype(np.int64) + start) * len(b) + j)
            i, j = key // len(b), key % len(b)
            # cheap bounds settle most pairs: the distance between points inside each
            # geometry is an upper bound, the gap between their bounding boxes a lower bound;
            # only the pairs in between are measured exactly
            upper = np.hypot(ax[i] - bx[j], ay[i] - by[j])  # NaN for empty geometries
            keep = upper <= radius
            rest = np.flatnonzero(~keep)
            ri, rj = i[rest], j[rest]
            dx = np.maximum(np.maximum(ba[ri, 0] - bb[rj, 2], bb[rj, 0] - ba[ri, 2]), 0.0)
            dy = np.maximum(np.maximum(ba[ri, 1] - bb[rj, 3], bb[rj, 1] - ba[ri, 3]), 0.0)
            unsure = rest[np.hypot(dx, dy) <= radius]
            keep[unsure] = shapely.distance(a[i[unsure]], b[j[unsure]]) <= radius
            ci, cj = i[keep], j[keep]
            chunk = Pairs(ci, cj, distance_fn=lambda ci=ci, cj=cj: shapely.distance(a[ci], b[cj]))
            yield chunk if reduce is None else reduce(chunk)

    def origin_basis(self, origins: gpd.GeoSeries) -> np.ndarray:
        """Always ``straight_line``."""
        return np.full(len(origins), self.basis, dtype=object)


def geometry_fingerprint(geoms: gpd.GeoSeries | np.ndarray) -> str:
    """A digest of the geometries' types, structure and coordinates.

    Equal geometries give equal digests; used to recognise repeated distance queries.
    """
    arr = np.asarray(geoms.values if isinstance(geoms, gpd.GeoSeries) else geoms)
    h = hashlib.blake2b(digest_size=16)
    h.update(np.int64(len(arr)).tobytes())
    if len(arr):
        h.update(shapely.get_type_id(arr).astype(np.int64).tobytes())
        h.update(shapely.get_num_geometries(arr).astype(np.int64).tobytes())
        h.update(shapely.get_num_coordinates(arr).astype(np.int64).tobytes())
        h.update(shapely.get_num_interior_rings(arr).astype(np.int64).tobytes())
        h.update(np.ascontiguousarray(shapely.get_coordinates(arr)).tobytes())
    return h.hexdigest()


_FINGERPRINTS: dict[int, tuple[weakref.ref, str]] = {}


def remembered_fingerprint(geoms: gpd.GeoSeries | np.ndarray) -> str:
    """:func:`geometry_fingerprint`, computed once per geometry array while the array lives.

    The distance memo and the walking network's access cache both key their answers by it,
    so a million home points are hashed once per run, not once per cache.
    """
    arr = np.asarray(geoms.values if isinstance(geoms, gpd.GeoSeries) else geoms)
    key = id(arr)
    hit = _FINGERPRINTS.get(key)
    if hit is not None and hit[0]() is arr:
        return hit[1]
    digest = geometry_fingerprint(arr)
    # forgotten when the array is freed (before its id can be given to another object)
    _FINGERPRINTS[key] = (weakref.ref(arr, lambda _, key=key: _FINGERPRINTS.pop(key, None)), digest)
    return digest


class MemoDistance(DistanceModel):
    """Wrap a :class:`DistanceModel` so that repeated identical queries are answered once.

    The criteria ask the same question several times (residents within 300 m of every plot
    feeds four measures); the wrapper recognises a repeat by the geometries' content
    (:func:`geometry_fingerprint`) and the radius, and returns the stored answer. Answers are
    kept for the life of the wrapper: make one per run.

    Every method of the contract is forwarded explicitly to the wrapped model (``model``):
    :meth:`nearest`, :meth:`within`, :meth:`within_any` and the sums are remembered,
    :meth:`origin_basis`, :meth:`nearest_index`, :meth:`iter_pairs`, :meth:`locate` and
    :meth:`prepare_within` are passed through.
    """

    def __init__(self, model: DistanceModel) -> None:
        self.model = model
        self.basis = model.basis
        self.nested_radii = model.nested_radii
        self._cache: dict[tuple, object] = {}

    def _remember(self, key: tuple, compute):  # noqa: ANN001, ANN202 - private helper
        if key not in self._cache:
            self._cache[key] = compute()
        return self._cache[key]

    def nearest(self, origins: gpd.GeoSeries, targets: gpd.GeoSeries) -> np.ndarray:
        """As the wrapped model's ``nearest``; a copy, so callers may change it."""
        key = ("nearest", remembered_fingerprint(origins), remembered_fingerprint(targets))
        return self._remember(key, lambda: self.model.nearest(origins, targets)).copy()

    def within(self, origins: gpd.GeoSeries, targets: gpd.GeoSeries, radius: float) -> Pairs:
        """As the wrapped model's ``within``."""
        key = (
            "within",
            remembered_fingerprint(origins),
            remembered_fingerprint(targets),
            float(radius),
        )
        return self._remember(key, lambda: self.model.within(origins, targets, radius))

    def origin_basis(self, origins: gpd.GeoSeries) -> np.ndarray:
        """As the wrapped model's ``origin_basis``."""
        return self.model.origin_basis(origins)

    def locate(self, places: gpd.GeoSeries) -> None:
        """As the wrapped model's ``locate``."""
        self.model.locate(places)

    def prepare_within(self, origins: gpd.GeoSeries, targets: gpd.GeoSeries, radius: float) -> None:
        """As the wrapped model's ``prepare_within``."""
        self.model.prepare_within(origins, targets, radius)

    def nearest_index(
        self, origins: gpd.GeoSeries, targets: gpd.GeoSeries
    ) -> tuple[np.ndarray, np.ndarray]:
        """As the wrapped model's ``nearest_index`` (not remembered)."""
        return self.model.nearest_index(origins, targets)

    def within_any(
        self, origins: gpd.GeoSeries, targets: gpd.GeoSeries, radius: float
    ) -> np.ndarray:
        """As the wrapped model's ``within_any``; a copy, so callers may change it."""
        key = (
            "within_any",
            remembered_fingerprint(origins),
            remembered_fingerprint(targets),
            float(radius),
        )
        return self._remember(
            key, lambda: np.asarray(self.model.within_any(origins, targets, radius), dtype=bool)
        ).copy()

    def iter_pairs(
        self,
        origins: gpd.GeoSeries,
        targets: gpd.GeoSeries,
        radius: float,
        *,
        reduce: Callable[[Pairs], object] | None = None,
    ) -> Iterator:
        """As the wrapped model's ``iter_pairs`` (not remembered: it streams)."""
        return self.model.iter_pairs(origins, targets, radius, reduce=reduce)

    def sum_values_within(
        self, origins: gpd.GeoSeries, targets: gpd.GeoSeries, values: np.ndarray, radius: float
    ) -> np.ndarray:
        """Sum of ``values`` (one per target) over the targets within ``radius`` of each origin.

        Equal, bit for bit, to summing over :meth:`within`'s pairs, but streamed: the pairs
        are made chunk by chunk (the model's :meth:`~DistanceModel.iter_pairs`) and kept for
        later questions only while they number at most :data:`PAIRS_KEPT_MAX`, so a 1,000 m
        radius over a million homes never holds its hundred million pairs at once.
        """
        return self.sum_values_within_radii(origins, targets, values, [radius])[:, 0]

    def sum_values_within_radii(
        self,
        origins: gpd.GeoSeries,
        targets: gpd.GeoSeries,
        values: np.ndarray,
        radii: Sequence[float],
    ) -> np.ndarray:
        """:meth:`sum_values_within` for several radii at once, shape ``(len(origins), k)``.

        Radii whose pairs are stored are summed from them. With a model whose radii nest
        (:attr:`~DistanceModel.nested_radii`: the walking network), the others are answered
        by ONE search at the largest of them, each smaller radius keeping the pairs at most
        that far: a bounded search finds every pair within a smaller radius too, with the same
        distance (a walk of at most ``r`` never leaves the ``r`` neighbourhood), so each
        column equals a separate search's, bit for bit (each origin's sum is made from its
        pairs in target order either way). Other models search each radius on its own. The
        pairs of the smallest radius of a search (the most asked again: the 300 m green
        service radius) are kept for later questions while they number at most
        :data:`PAIRS_KEPT_MAX`.
        """
        v = np.asarray(values, dtype=float)
        n = len(origins)
        radii = [float(r) for r in radii]
        out = np.zeros((n, len(radii)))
        do, dt = remembered_fingerprint(origins), remembered_fingerprint(targets)
        todo = []
        for k, r in enumerate(radii):
            pairs = self._cache.get(("within", do, dt, r))
            if pairs is not None:
                out[:, k] = np.bincount(pairs.origin, weights=v[pairs.target], minlength=n)
            elif r not in todo:
                todo.append(r)
        if not todo:
            return out
        for group in _search_groups(self.model, todo):
            sums, kept = _stream_sums(self.model, origins, targets, v, group, keep_smallest=True)
            for k, r in enumerate(radii):
                if r in sums:
                    out[:, k] = sums[r]
            for r, chunks in kept.items():
                if chunks is None:
                    continue
                # each origin's pairs are whole in one chunk, in target order
                self._cache[("within", do, dt, r)] = in_origin_order(concat_pairs(chunks))
        return out
