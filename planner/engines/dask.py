"""``--engine dask``: score a city on a dask.distributed cluster, with the same results.

How it works
------------
1. The layers are checked and projected once, on the client (:func:`planner.prepare_layers`).
2. Every layer is sorted along a Hilbert curve and cut into spatially compact partitions held
   by the cluster as dask-geopandas frames; the client keeps only each partition's bounds.
3. Each *plot* partition becomes one task. It receives the partitions of every other layer
   that meet the plot partition's bounding box grown by the **halo** and runs the single
   engine's :func:`planner.scoring.compute_criteria` on that piece of the city.
4. The client gathers the raw measures and runs :func:`planner.scoring.combine` once over all
   plots, so ranks and reasons are those of one run.

Why the results are equal
-------------------------
* Every radius measure (residents within 300 m, car parks within 300 m, ...) is exact when the
  halo is at least as wide as the longest chain of radii a measure follows: "residents within
  300 m of the plot who are not within 300 m of green" looks 600 m out. A walk of length ``d``
  never leaves the disc of radius ``d``, so the same holds on the walking network, plus the
  snapping distance and the stray-fragment rule (:data:`HALO_MARGIN_M`). The default halo,
  :func:`default_halo_m`, is twice the largest distance of the configuration plus that margin.
* Nearest-feature distances (:data:`UNBOUNDED_MEASURES`) have no radius. A value no larger
  than the halo is exact; a plot whose value is larger (or that found nothing) is measured
  again in a next round with the halo doubled, until its value is within the halo or the halo
  covers the whole city.
* A partition whose halo holds no feature of a layer that the city has is measured again with
  a doubled halo too (otherwise the layer would count as missing there).
* Pairs are summed in the layers' global order (the pieces keep it), so sums are bitwise the
  same as in one process.

The client must hold the input layers (it reads and prepares them); the cluster does the
measuring. ``docs/scale.md`` explains how to run it on a real cluster.
"""

from __future__ import annotations

import contextlib
import dataclasses
import math
import os
from collections.abc import Iterator
from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import pandas as pd
import pyproj
import shapely

from planner import standards as S
from planner.access.distances import DistanceModel, StraightLineDistance
from planner.config import PlannerConfig
from planner.errors import ConfigError, PlannerError
from planner.layers import Layers, prepare_layers
from planner.messages import Msg
from planner.scoring import CriteriaTable, Progress, combine, compute_criteria

#: Raw measures that are the distance to the nearest feature of a layer, with no radius.
UNBOUNDED_MEASURES: dict[str, str] = {
    "nearest_green_m": "green",
    "nearest_parking_m": "parking",
    "street_distance_m": "roads",
}
#: Added to twice the largest radius to make the default halo (m): the walking network's access
#: snapping distance (100 m) plus its smallest kept network piece (200 m), so that neither
#: changes near a partition's edge. Not a planning figure: results do not depend on it as long
#: as the halo is wide enough.
HALO_MARGIN_M = 300.0
#: Features per partition of the non-plot layers (memory per task, not results).
FEATURES_PER_PARTITION = 100_000
#: Plots per partition at most (memory per task, not results).
PLOTS_PER_PARTITION = 20_000
#: Seconds to wait for a scheduler given by address.
CONNECT_TIMEOUT_S = 20
#: Column carrying each feature's position in its prepared layer.
_POS = "__pos"


class EngineError(PlannerError, RuntimeError):
    """The dask engine cannot run (not installed, scheduler unreachable, worker failure)."""


def config_distances_m(config: PlannerConfig) -> dict[str, float]:
    """Every distance of the configuration: its numeric fields named ``*_m`` (metres)."""
    out: dict[str, float] = {}
    for section in vars(config).values():
        if dataclasses.is_dataclass(section):
            for f in dataclasses.fields(section):
                v = getattr(section, f.name)
                if f.name.endswith("_m") and isinstance(v, int | float):
                    out[f.name] = float(v)
    return out


#: Radii some measures use that are not settings: the 15-minute life circle's walk
#: (``residents_15min``, GB 50180-2018).
FIXED_RADII_M = (S.LIFE_CIRCLE_15MIN_M,)


def default_halo_m(config: PlannerConfig) -> float:
    """The halo that makes every measure exact (m).

    Twice the largest distance in the configuration (a measure may chain two radii: residents
    within the green radius who are not within the green radius of a park), at least the
    largest fixed radius (:data:`FIXED_RADII_M`), plus :data:`HALO_MARGIN_M`.
    """
    largest = max(config_distances_m(config).values(), default=0.0)
    return max(2.0 * largest, *FIXED_RADII_M) + HALO_MARGIN_M


def distance_model(layers: Layers, config: PlannerConfig, basis: str) -> DistanceModel:
    """The distance model of one piece of the city, built as the single engine builds it."""
    if basis == "straight_line":
        return StraightLineDistance()
    from planner.access.network import distance_model_for

    return distance_model_for(layers, config, basis)  # type: ignore[arg-type]


@dataclass
class _Piece:
    """What one task returns: raw measures of its plots and what it noticed."""

    pos: np.ndarray
    raw: pd.DataFrame
    exclusion_reason: np.ndarray
    distance_basis: np.ndarray
    missing: dict[str, str]
    notes: list[str]
    empty_roles: list[str]
    #: The prepared plots, when a worker read them (:mod:`planner.engines.files`).
    plots: gpd.GeoDataFrame | None = None
    #: The plots' ids as in the file (made unique by the client), when a worker read them.
    raw_ids: pd.Series | None = None
    #: The reader's reports on the features this piece owns (:mod:`planner.engines.files`).
    reports: dict = field(default_factory=dict)
    #: The plots a worker dropped while preparing them (by row: why, the id in the file).
    dropped: pd.DataFrame | None = None

    def subset(self, keep: np.ndarray) -> _Piece:
        """The piece's rows where ``keep`` is True."""
        return _Piece(
            pos=self.pos[keep],
            raw=self.raw.loc[keep].reset_index(drop=True),
            exclusion_reason=self.exclusion_reason[keep],
            distance_basis=self.distance_basis[keep],
            missing=self.missing,
            notes=self.notes,
            empty_roles=[],
            plots=None if self.plots is None else self.plots.iloc[keep],
            raw_ids=None if self.raw_ids is None else self.raw_ids.iloc[keep],
        )


def _clip(
    others: dict[str, list[gpd.GeoDataFrame]],
    box: tuple[float, float, float, float],
    crs: pyproj.CRS,
) -> tuple[dict[str, gpd.GeoDataFrame], list[str]]:
    """Each layer's features that meet ``box``, in the layer's global order."""
    frames: dict[str, gpd.GeoDataFrame] = {}
    empty: list[str] = []
    halo = shapely.box(*box)
    for role, parts in others.items():
        frame = pd.concat(parts) if len(parts) > 1 else parts[0]
        hit = frame.sindex.query(halo, predicate="intersects")
        frame = frame.iloc[np.sort(hit)]
        # the global order of the layer, so that sums over pairs add up in the same order
        frame = frame.iloc[np.argsort(frame[_POS].to_numpy(), kind="stable")]
        if len(frame) == 0:
            empty.append(role)
        frames[role] = gpd.GeoDataFrame(frame.drop(columns=_POS), crs=crs)
    return frames, empty


def _measure_nearest(
    plots: gpd.GeoDataFrame,
    others: dict[str, list[gpd.GeoDataFrame]],
    box: tuple[float, float, float, float],
    crs: pyproj.CRS,
    config: PlannerConfig,
    basis: str,
    columns: dict[str, str],
) -> _Piece:
    """Measure only the nearest-feature distances (``columns``: measure -> layer)."""
    from planner.criteria.access import nearest_distance_m, street_distance_m

    frames, empty = _clip(others, box, crs)
    n = len(plots)
    if empty:
        return _Piece(
            pos=plots[_POS].to_numpy(),
            raw=pd.DataFrame(index=range(n)),
            exclusion_reason=np.array([]),
            distance_basis=np.array([]),
            missing={},
            notes=[],
            empty_roles=empty,
        )
    layers = Layers.from_mapping({"plots": plots.drop(columns=_POS), **frames})
    layers.crs = crs
    model = distance_model(layers, config, basis)
    raw = {}
    for col, role in columns.items():
        if col == "street_distance_m":
            raw[col] = street_distance_m(layers.plots, layers.roads).to_numpy()
        else:
            raw[col] = nearest_distance_m(
                layers.plots, getattr(layers, role), model, name=col
            ).to_numpy()
    return _Piece(
        pos=plots[_POS].to_numpy(),
        raw=pd.DataFrame(raw),
        exclusion_reason=np.array([]),
        distance_basis=np.array([]),
        missing={},
        notes=[],
        empty_roles=[],
    )


def _measure_piece(
    plots: gpd.GeoDataFrame,
    others: dict[str, list[gpd.GeoDataFrame]],
    box: tuple[float, float, float, float],
    crs: pyproj.CRS,
    config: PlannerConfig,
    basis: str,
) -> _Piece:
    """Measure the plots of one partition against the other layers clipped to ``box``."""
    frames, empty = _clip(others, box, crs)
    if empty:  # measured again with a wider halo: do not measure in vain
        return _Piece(
            pos=plots[_POS].to_numpy(),
            raw=pd.DataFrame(index=range(len(plots))),
            exclusion_reason=np.array([]),
            distance_basis=np.array([]),
            missing={},
            notes=[],
            empty_roles=empty,
        )
    frames["plots"] = plots.drop(columns=_POS)
    layers = Layers.from_mapping(frames)
    layers.crs = crs
    table = compute_criteria(layers, config, distances=distance_model(layers, config, basis))
    return _Piece(
        pos=plots[_POS].to_numpy(),
        raw=table.raw.reset_index(drop=True),
        exclusion_reason=table.exclusion_reason.to_numpy(),
        distance_basis=table.distance_basis.to_numpy(),
        missing=dict(table.missing),
        notes=list(table.notes),
        empty_roles=empty,
    )


def _hilbert_order(frame: gpd.GeoDataFrame, extent: np.ndarray) -> np.ndarray:
    return np.argsort(
        frame.geometry.hilbert_distance(total_bounds=extent).to_numpy(), kind="stable"
    )


@dataclass
class _Partitioned:
    """One non-plot layer as spatial partitions on the cluster, with their hulls here."""

    delayed: list
    hulls: np.ndarray
    empty: gpd.GeoDataFrame  # no rows, the layer's columns: what a piece far from all gets
    futures: list  # the scattered pieces; held so that the cluster keeps them
    tree: shapely.STRtree = field(init=False)

    def __post_init__(self) -> None:
        self.tree = shapely.STRtree(self.hulls)

    def meeting(self, box: tuple[float, float, float, float]) -> list:
        """The partitions whose convex hull meets ``box`` (every feature that may)."""
        hit = np.sort(self.tree.query(shapely.box(*box), predicate="intersects"))
        return [self.delayed[k] for k in hit] or [self.empty]


def _partition(frame: gpd.GeoDataFrame, extent: np.ndarray, n: int, client) -> _Partitioned:  # noqa: ANN001
    """Sort ``frame`` along a Hilbert curve, cut it into ``n`` pieces and send them out.

    The pieces form a dask-geopandas frame whose ``spatial_partitions`` are the pieces'
    convex hulls, computed here from the data already at hand.
    """
    import dask.dataframe as dd
    import dask_geopandas

    frame = frame.assign(**{_POS: np.arange(len(frame))})
    frame = frame.iloc[_hilbert_order(frame, extent)]
    chunks = [
        frame.iloc[c] for c in np.array_split(np.arange(len(frame)), max(1, min(n, len(frame))))
    ]
    futures = client.scatter(chunks)
    ddf = dask_geopandas.from_dask_dataframe(
        dd.from_delayed(futures, meta=frame.iloc[:0], verify_meta=False)
    )
    hulls = np.array(
        [
            shapely.convex_hull(shapely.geometrycollections(np.asarray(c.geometry.values)))
            for c in chunks
        ],
        dtype=object,
    )  # a loop over pieces
    ddf.spatial_partitions = gpd.GeoSeries(hulls, crs=frame.crs)
    return _Partitioned(
        delayed=list(ddf.to_delayed()), hulls=hulls, empty=frame.iloc[:0], futures=futures
    )


@contextlib.contextmanager
def _client(scheduler: str | None, client=None) -> Iterator:  # noqa: ANN001
    """The given client, one connected to ``scheduler``, or a local cluster (closed after)."""
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        raise EngineError(Msg("dask_not_installed")) from None
    if client is not None:
        yield client
        return
    if scheduler:
        try:
            c = Client(scheduler, timeout=f"{CONNECT_TIMEOUT_S}s")
        except (OSError, TimeoutError, ValueError, TypeError) as exc:
            # one line: the address as given and the first line of what distributed said
            problem = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise EngineError(
                Msg("dask_scheduler_unreachable", address=scheduler, problem=problem)
            ) from None
        try:
            yield c
        finally:
            c.close()
        return
    workers = max(1, min(os.cpu_count() or 1, 4))
    with (
        LocalCluster(
            n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster,
        Client(cluster) as c,
    ):
        yield c


def check_arguments(
    config: PlannerConfig, distance: str, n_partitions: int | None, halo_m: float | None
) -> float:
    """Check the engine's arguments and return the halo (m).

    Raises
    ------
    ConfigError
        ``halo_m`` narrower than the configuration needs, ``n_partitions`` < 1, or an
        unknown distance basis.
    """
    need = default_halo_m(config)
    halo = need if halo_m is None else float(halo_m)
    if halo < need:
        raise ConfigError(
            f"halo {halo:.0f} m is narrower than the {need:.0f} m the "
            "configuration's radii need for exact results"
        )
    if n_partitions is not None and n_partitions < 1:
        raise ConfigError("n_partitions must be at least 1")
    if distance not in ("auto", "network", "straight_line"):
        raise ConfigError(
            f"distance basis must be auto, network or straight_line, got {distance!r}"
        )
    return halo


def score_dask(
    layers: Layers,
    config: PlannerConfig | None = None,
    *,
    scheduler: str | None = None,
    client=None,  # noqa: ANN001
    distance: str = "auto",
    n_partitions: int | None = None,
    halo_m: float | None = None,
    progress: Progress | None = None,
) -> gpd.GeoDataFrame:
    """Score every plot on a dask cluster; the result equals :func:`planner.score`'s.

    Parameters
    ----------
    layers : Layers
        The run's layers, as read or prepared.
    config : PlannerConfig, optional
        Defaults when omitted.
    scheduler : str, optional
        Address of a running scheduler (``tcp://host:8786``); a local cluster of this
        machine's cores when omitted.
    client : distributed.Client, optional
        A client to use instead (it is not closed).
    distance : {"auto", "network", "straight_line"}
        Distance basis, as for the single engine.
    n_partitions : int, optional
        Plot partitions; by default enough for every worker thread twice, with at most
        :data:`PLOTS_PER_PARTITION` plots each.
    halo_m : float, optional
        Halo width (m); :func:`default_halo_m` when omitted. A smaller halo is refused.
    progress : callable, optional
        ``progress(message, fraction)``.

    Returns
    -------
    GeoDataFrame
        As :func:`planner.scoring.combine`; ``attrs["engine"]`` records partitions, rounds and
        the plots measured again.

    Raises
    ------
    EngineError
        dask is not installed, the scheduler cannot be reached, or a task failed.
    ConfigError
        ``halo_m`` narrower than the configuration needs, or ``n_partitions`` < 1.
    """
    config = config or PlannerConfig()
    progress = progress or (lambda _m, _f: None)
    halo = check_arguments(config, distance, n_partitions, halo_m)
    if layers.crs is None:
        progress("checking and projecting layers", 0.0)
        layers = prepare_layers(layers, config)
    with _client(scheduler, client) as c:
        try:
            return _run(layers, config, c, distance, n_partitions, halo, progress)
        except PlannerError:
            raise
        except (OSError, TimeoutError) as exc:
            raise EngineError(Msg("dask_failed", problem=f"{type(exc).__name__}: {exc}")) from None


def _run(
    layers: Layers,
    config: PlannerConfig,
    client,
    basis: str,  # noqa: ANN001
    n_partitions: int | None,
    halo: float,
    progress: Progress,
) -> gpd.GeoDataFrame:
    plots = layers.plots
    present = {role: frame for role, frame in layers.present() if role != "plots"}
    b = np.vstack([f.total_bounds for f in (plots, *present.values())])
    extent = np.array([b[:, 0].min(), b[:, 1].min(), b[:, 2].max(), b[:, 3].max()])
    diag = float(math.hypot(extent[2] - extent[0], extent[3] - extent[1]))
    threads = max(1, sum(client.nthreads().values()))
    n_plot_parts = n_partitions or max(2 * threads, math.ceil(len(plots) / PLOTS_PER_PARTITION))
    n_plot_parts = min(n_plot_parts, len(plots))
    progress(f"partitioning {len(plots):,} plots into {n_plot_parts} pieces", 0.05)
    parted = {
        role: _partition(
            frame, extent, max(n_plot_parts, math.ceil(len(frame) / FEATURES_PER_PARTITION)), client
        )
        for role, frame in present.items()
    }
    plots_pos = plots.assign(**{_POS: np.arange(len(plots))})
    order = _hilbert_order(plots_pos, extent)
    unbounded = {col: role for col, role in UNBOUNDED_MEASURES.items() if role in present}
    pending: list[_Job] = [
        (np.sort(c), halo, None) for c in np.array_split(order, n_plot_parts) if len(c)
    ]
    accepted: list[_Piece] = []
    rounds, retried = 0, 0
    while pending:
        rounds += 1
        tasks = [
            _task(plots_pos.iloc[pos], h, base, parted, layers, config, basis, unbounded)
            for pos, h, base in pending
        ]
        progress(
            f"round {rounds}: measuring {len(tasks)} pieces "
            f"({sum(len(p) for p, _, _ in pending):,} plots)",
            0.1 + 0.8 * (1 - 0.5**rounds),
        )
        results = client.gather(client.compute(tasks))
        nxt = []
        for job, got in zip(pending, results, strict=True):
            done, again, unsure = _settle(job, got, diag, unbounded)
            accepted.extend(done)
            nxt.extend(again)
            retried += unsure
        pending = nxt
    progress("combining", 0.95)
    table = _table(layers, accepted)
    result = combine(table, config)
    result.attrs["engine"] = {
        "engine": "dask",
        "partitions": n_plot_parts,
        "rounds": rounds,
        "plots_measured_again": retried,
        "halo_m": halo,
    }
    return result


#: A job of a round: plot positions, halo (m), and the plots' measures when only the
#: unbounded distances remain to be measured again.
_Job = tuple[np.ndarray, float, "_Piece | None"]


def _task(
    part: gpd.GeoDataFrame,
    h: float,
    base: _Piece | None,
    parted: dict,
    layers: Layers,
    config: PlannerConfig,
    basis: str,
    unbounded: dict[str, str],
):  # noqa: ANN202
    """The delayed measuring of one job: every measure, or only the unbounded distances."""
    import dask

    x0, y0, x1, y1 = part.total_bounds
    box = (x0 - h, y0 - h, x1 + h, y1 + h)
    if base is None:
        others = {role: p.meeting(box) for role, p in parted.items()}
        return dask.delayed(_measure_piece)(part, others, box, layers.crs, config, basis)
    roles = {*unbounded.values(), "roads"} & set(parted)
    others = {role: parted[role].meeting(box) for role in roles}
    return dask.delayed(_measure_nearest)(part, others, box, layers.crs, config, basis, unbounded)


def _settle(
    job: _Job, got: _Piece, diag: float, unbounded: dict[str, str]
) -> tuple[list[_Piece], list[_Job], int]:
    """Settle one job: the sure measures, the jobs to run again with twice the halo.

    The third item is how many plots are measured again for their unbounded distances. A
    piece with a layer missing inside its halo is measured again whole; a plot whose unbounded
    distance reaches past the halo is measured again for those distances only (unless the
    halo covers the city, ``diag``).
    """
    pos, h, base = job
    whole = h >= diag  # the halo covers the city: nothing left outside it
    if got.empty_roles and not whole:
        return [], [(pos, 2 * h, base)], 0
    piece = got if base is None else base
    if base is not None:
        piece.raw[list(unbounded)] = got.raw[list(unbounded)].to_numpy()
    unsure = np.zeros(len(pos), dtype=bool)
    if not whole:
        for col in unbounded:
            unsure |= ~(piece.raw[col].to_numpy(dtype=float) <= h)  # inf, NaN too
    done = [piece.subset(~unsure)] if (~unsure).any() else []
    again = [(pos[unsure], 2 * h, piece.subset(unsure))] if unsure.any() else []
    return done, again, int(unsure.sum())


def _table(layers: Layers, pieces: list[_Piece]) -> CriteriaTable:
    """One criteria table, in the plots' order, from the pieces."""
    plots = layers.plots
    pos = np.concatenate([p.pos for p in pieces])
    back = np.argsort(pos, kind="stable")
    if not np.array_equal(pos[back], np.arange(len(plots))):
        raise EngineError("dask engine lost or duplicated plots; please report this")
    raw = pd.concat([p.raw for p in pieces], ignore_index=True).iloc[back]
    raw.index = plots.index
    excl = pd.Series(
        np.concatenate([p.exclusion_reason for p in pieces])[back],
        index=plots.index,
        name="exclusion_reason",
        dtype="string",
    )
    basis = pd.Series(
        np.concatenate([p.distance_basis for p in pieces])[back],
        index=plots.index,
        name="distance_basis",
    )
    # a criterion is missing in the city when it is missing in every piece
    keys = set.intersection(*(set(p.missing) for p in pieces))
    missing = {k: pieces[0].missing[k] for k in pieces[0].missing if k in keys}
    notes = list(dict.fromkeys(n for p in pieces for n in p.notes))
    return CriteriaTable(
        plots=plots,
        raw=raw,
        missing=missing,
        exclusion_reason=excl,
        distance_basis=basis,
        layers=layers,
        notes=notes,
    )


__all__ = ["EngineError", "default_halo_m", "distance_model", "score_dask"]
