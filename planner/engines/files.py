"""``--engine dask`` with the layers read by part on the workers, not on the client.

The client reads each layer's **feature bounding boxes** only (:func:`pyogrio.read_bounds` for
a GeoPackage, :func:`planner.io.parquet.geoparquet_bounds` for GeoParquet: a few float
columns, no attributes, no geometry kept), chooses the metric CRS from them as
:func:`planner.layers.prepare_layers` does from the whole layers, and cuts the plots along a
Hilbert curve of their boxes. Each task is given feature ids (a GeoParquet file's rows):
those of its plots and, of every other layer, those whose box meets the plots' box grown by
the halo. The worker reads these features from the file (``pyogrio.read_dataframe(fids=...)``,
or the row groups holding the rows, through :func:`planner.io.load_layer`), prepares them as
the single engine prepares whole layers, keeps the features that meet the exact halo (the
plots' prepared bounds grown by the halo) and measures, as :mod:`planner.engines.dask` does
with pieces sent from the client. The client gathers the raw measures with the prepared plots
(the output's rows), makes the plot ids unique over all plots as
:func:`planner.layers.plot_ids` does, and runs :func:`planner.scoring.combine` once.

The reader's notes are those of one whole read: each feature is reported by one read of the
first round (the first piece that reads it owns it), features no piece reads are read by
notes-only tasks, and the client merges each layer's reports
(:meth:`planner.io.LayerReport.merged`).

Every layer must be a GeoPackage layer (``--layers city.gpkg`` or ``--ROLE file.gpkg[:layer]``)
or a GeoParquet file (``--ROLE file.parquet``) that declares its CRS (or ``--crs``), read as
WGS84/CGCS2000 coordinates (no ``--coord-system`` conversion); other inputs are read on the
client (:func:`planner.engines.dask.score_dask`). The files must be at the same path on every
worker.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyproj
import shapely

from planner.config import PlannerConfig
from planner.crs import choose_metric_crs
from planner.engines.dask import (
    _POS,
    FEATURES_PER_PARTITION,
    PLOTS_PER_PARTITION,
    UNBOUNDED_MEASURES,
    EngineError,
    _client,
    _clip,
    _Piece,
    _settle,
    _table,
    check_arguments,
    distance_model,
)
from planner.errors import EmptyLayerError, InputFileError, PlannerError
from planner.io.parquet import PARQUET_EXTENSIONS, geoparquet_bounds
from planner.io.report import LayerReport
from planner.layers import (
    ROLES,
    Layers,
    _find_column,
    plot_ids,
    plots_dropped_note,
    prepare_layers,
)
from planner.messages import Msg
from planner.scoring import Progress, combine, compute_criteria

#: Suffixes of the files read by part on the workers: GeoPackage (features by id) and
#: GeoParquet (features by row, :mod:`planner.io.parquet`).
PARTITIONED_SUFFIXES = (".gpkg", *PARQUET_EXTENSIONS)
#: Added around every box carried from a layer's CRS into the metric CRS (m): a box's edges
#: are bent by the projection, the eight points taken from each box are not (candidates only:
#: workers keep the features that meet the exact halo).
BOX_PAD_M = 1.0


@dataclass
class LayerFile:
    """One layer as the client knows it: where it is and its features' boxes."""

    role: str
    path: str
    layer: str | None
    source: str
    fids: np.ndarray  # features with a geometry, in the file's order
    rows: np.ndarray  # each feature's row in a whole read (the single engine's index)
    boxes: np.ndarray  # (n, 4) boxes in the metric CRS, padded
    #: features without a box (no geometry, or an empty one): read only for their notes
    boxless: np.ndarray = field(default_factory=lambda: np.zeros((0, 2), dtype=np.int64))

    def meeting(self, box: np.ndarray) -> np.ndarray:
        """Positions (into ``fids``) of the features whose box meets ``box``."""
        b = self.boxes
        hit = (b[:, 0] <= box[2]) & (b[:, 2] >= box[0]) & (b[:, 1] <= box[3]) & (b[:, 3] >= box[1])
        return np.flatnonzero(hit)


@dataclass
class CityFiles:
    """Every layer of a run as bounding boxes, and how to read the features."""

    layers: dict[str, LayerFile]
    crs: pyproj.CRS
    opts: dict = field(default_factory=dict)

    @property
    def extent(self) -> np.ndarray:
        """The boxes' extent in the metric CRS (padded)."""
        b = np.vstack([lf.boxes for lf in self.layers.values()])
        return np.array([b[:, 0].min(), b[:, 1].min(), b[:, 2].max(), b[:, 3].max()])


def _layer_specs(
    layers_file: Path | None, role_files: dict[str, Path | str]
) -> dict[str, tuple[Path, str | None, str]] | None:
    """``role -> (file, layer, source)`` when every input is a GeoPackage layer, else None.

    ``source`` names the layer in messages as :func:`planner.io.read_layers` does; the
    layer is None for a file of one layer named without it. The roles are in the order
    :func:`planner.io.read_layers` reports them (the layers file's, then the role files').
    """
    from planner.io.read import split_layer_spec

    specs: dict[str, tuple[Path, str | None, str]] = {}
    if layers_file is not None:
        p = Path(layers_file)
        if p.suffix.lower() not in PARTITIONED_SUFFIXES or not p.is_file():
            return None
        parquet = p.suffix.lower() in PARQUET_EXTENSIONS  # one layer, named by the file
        for name in [p.stem] if parquet else _layer_names(p) or []:
            if name in ROLES and name not in role_files:
                specs[str(name)] = (p, str(name), f"{p}:{name}")
    for role, spec in role_files.items():
        p, layer = split_layer_spec(spec)
        if p.suffix.lower() not in PARTITIONED_SUFFIXES or not p.is_file():
            return None
        if p.suffix.lower() in PARQUET_EXTENSIONS:  # one layer, no layer names
            specs[role] = (p, None, str(spec))
            continue
        names = _layer_names(p) or []
        if layer is None and len(names) == 1:
            specs[role] = (p, None, str(spec))  # named as the reader names it: the file
            continue
        layer = layer or (role if role in names else None)
        if layer not in names:
            return None  # the client's reader says which layer to choose
        specs[role] = (p, layer, str(spec))
    return specs if "plots" in specs else None


def _layer_names(p: Path) -> list[str] | None:
    """The layers of a GeoPackage; None when GDAL cannot open it (the reader will say why)."""
    import pyogrio

    try:
        return [str(n) for n in pyogrio.list_layers(p)[:, 0]]
    except (pyogrio.errors.DataSourceError, OSError):
        return None


def scan_files(
    layers_file: Path | None,
    role_files: dict[str, Path | str],
    *,
    encoding: str | None = None,
    crs: str | None = None,
    coord_system: str = "wgs84",
) -> CityFiles | None:
    """Read every layer's feature boxes; None when some input cannot be read by part.

    Inputs read by part: GeoPackage layers and GeoParquet files (WKB) with a declared CRS
    (or ``crs``), no ``coord_system`` conversion, at least one feature with a geometry.
    Anything else (and
    any problem the client's reader would report in full) returns None, and the run reads
    the layers on the client.
    """
    if (coord_system or "wgs84").lower() != "wgs84":
        return None
    specs = _layer_specs(layers_file, role_files)
    if specs is None:
        return None
    found: dict[str, tuple[LayerFile, pyproj.CRS]] = {}
    for role, (p, layer, source) in specs.items():
        got = _scan_layer(role, p, layer, source, crs)
        if got is None:
            return None
        found[role] = got
    metric = choose_metric_crs(
        *(
            gpd.GeoDataFrame(
                geometry=[shapely.box(*lf.boxes.min(0)[:2], *lf.boxes.max(0)[2:])], crs=c
            )
            for lf, c in found.values()
        )
    )
    for lf, src in found.values():
        lf.boxes = _to_metric(lf.boxes, src, metric)
    opts = {"encoding": encoding, "crs": crs, "coord_system": "wgs84"}
    return CityFiles({r: lf for r, (lf, _) in found.items()}, metric, opts)


def _scan_layer(
    role: str, p: Path, layer: str | None, source: str, crs: str | None
) -> tuple[LayerFile, pyproj.CRS] | None:
    """One layer's feature boxes and CRS; None when the client's reader should read it.

    A layer GDAL cannot read, with no CRS, or with no feature that has a geometry goes to
    the client's reader, which says what is wrong as the single engine does.
    """
    from planner.io.crs_detect import check_plausible

    got = _feature_boxes(p, layer, source, crs)
    if got is None:
        return None
    fids, boxes, src = got
    rows = np.arange(len(fids))
    keep = np.isfinite(boxes).all(axis=1)
    if src is None or not keep.any():
        return None
    lf = LayerFile(role, str(p), layer, source, fids[keep], rows[keep], boxes[keep])
    lf.boxless = np.stack([fids[~keep], rows[~keep]], axis=1).astype(np.int64)
    check_plausible(
        src,
        shapely.bounds(_total_box(lf.boxes)),
        source=source,
        subject=f"layer '{role}'",
        projected=False,
    )
    return lf, src


def _feature_boxes(
    p: Path, layer: str | None, source: str, crs: str | None
) -> tuple[np.ndarray, np.ndarray, pyproj.CRS | None] | None:
    """Feature ids, boxes ``(n, 4)`` and CRS of a layer; None when it cannot be read so.

    A GeoPackage's ids are its feature ids (``pyogrio.read_bounds``); a GeoParquet file's
    are its rows (:func:`planner.io.parquet.geoparquet_bounds`: the ``bbox`` column, or the
    geometry column one row group at a time).
    """
    import pyogrio

    try:
        if p.suffix.lower() in PARQUET_EXTENSIONS:
            boxes, declared = geoparquet_bounds(p, source)
            fids = np.arange(len(boxes))
        else:
            declared = pyogrio.read_info(p, layer=layer)["crs"]
            fids, bounds = pyogrio.read_bounds(p, layer=layer)
            boxes = np.asarray(bounds, dtype=float).T
        declared = crs or declared
        src = pyproj.CRS.from_user_input(declared) if declared else None
    except (
        InputFileError,
        pyogrio.errors.DataSourceError,
        pyogrio.errors.DataLayerError,
        pyproj.exceptions.CRSError,
    ):
        return None
    return np.asarray(fids), boxes, src


def _total_box(boxes: np.ndarray) -> shapely.Geometry:
    return shapely.box(*boxes[:, :2].min(axis=0), *boxes[:, 2:].max(axis=0))


def _to_metric(boxes: np.ndarray, src: pyproj.CRS, metric: pyproj.CRS) -> np.ndarray:
    """Boxes carried into the metric CRS: corners and edge midpoints, padded."""
    if src == metric:
        return boxes
    x0, y0, x1, y1 = boxes.T
    xm, ym = (x0 + x1) / 2, (y0 + y1) / 2
    xs = np.stack([x0, xm, x1, x1, x1, xm, x0, x0], axis=1)
    ys = np.stack([y0, y0, y0, ym, y1, y1, y1, ym], axis=1)
    tx, ty = pyproj.Transformer.from_crs(src, metric, always_xy=True).transform(xs, ys)
    return np.stack(
        [
            tx.min(1) - BOX_PAD_M,
            ty.min(1) - BOX_PAD_M,
            tx.max(1) + BOX_PAD_M,
            ty.max(1) + BOX_PAD_M,
        ],
        axis=1,
    )


@dataclass
class _Part:
    """What a task reads of one layer: the file and the features (their rows).

    ``own`` marks the features whose notes this read reports (each feature of a layer is
    reported by one read of the first round only, so that counts add up); None: none.
    """

    path: str
    layer: str | None
    source: str
    fids: np.ndarray
    rows: np.ndarray
    own: np.ndarray | None = None


def _part(lf: LayerFile, at: np.ndarray, own: np.ndarray | None = None) -> _Part:
    return _Part(lf.path, lf.layer, lf.source, lf.fids[at], lf.rows[at], own)


def read_part(
    role: str, part: _Part, opts: dict
) -> tuple[gpd.GeoDataFrame | None, LayerReport | None]:
    """Read the features of ``part`` (on a worker), indexed by their rows in a whole read.

    Returns the features kept by the reader (None when it kept none) and the reader's
    report on the features the part owns (None when it owns none).

    Raises
    ------
    EngineError
        The worker cannot read the file (it must be at the same path on every worker).
    """
    order = np.argsort(part.fids, kind="stable")  # GDAL returns them in fid order
    fids, rows = part.fids[order], part.rows[order]
    own = np.zeros(len(fids), dtype=bool) if part.own is None else part.own[order]
    frames, report = [], None
    for mask in (own, ~own):  # the owned features apart: their report is theirs alone
        if not mask.any():
            continue
        frame, rep = _load(role, part, fids[mask], rows[mask], opts)
        frames += [frame] if frame is not None else []
        report = rep if mask is own else report
    if not frames:
        return None, report
    frame = pd.concat(frames) if len(frames) > 1 else frames[0]
    return frame.sort_index(kind="stable"), report


def _load(
    role: str, part: _Part, fids: np.ndarray, rows: np.ndarray, opts: dict
) -> tuple[gpd.GeoDataFrame | None, LayerReport]:
    """One read through the planner's reader; features all dropped are no error here."""
    from planner.io.read import load_layer

    try:
        return load_layer(
            part.path, layer=part.layer, role=role, fids=fids, rows=rows, label=part.path, **opts
        )
    except EmptyLayerError as exc:  # every feature of this part was dropped (and counted)
        report = getattr(exc, "report", None)
        if report is None:
            raise EngineError(
                Msg("dask_worker_cannot_read", path=part.source, problem=exc.problem)
            ) from None
        return None, report
    except InputFileError as exc:
        raise EngineError(
            Msg("dask_worker_cannot_read", path=part.source, problem=exc.problem)
        ) from None


def _read(
    parts: dict[str, _Part], opts: dict
) -> tuple[dict[str, gpd.GeoDataFrame], dict[str, LayerReport]]:
    """Every part read: the features kept per layer, and the reports on owned features."""
    frames, reports = {}, {}
    for role, part in parts.items():
        if len(part.fids):
            frame, report = read_part(role, part, opts)
            if frame is not None:
                frames[role] = frame
            if report is not None:
                reports[role] = report
    return frames, reports


#: Why plots were dropped while being prepared (:func:`planner.layers.prepare_layers`),
#: in the order its notes come.
_WHY_DROPPED = ("layers.why_no_geometry", "layers.why_nothing_left")


def _prepare(
    frames: dict[str, gpd.GeoDataFrame], crs: pyproj.CRS, config: PlannerConfig, sources: dict
) -> tuple[Layers | None, pd.DataFrame, pd.Series | None]:
    """Prepare a piece as :func:`prepare_layers` does, its notes left to the client.

    Returns the prepared layers (no notes; None when no plot is left), the plots dropped
    (indexed by row: why, and the id in the file), and the plots' ids as in the file (the
    client makes them unique over all plots and words the notes, as for all plots).
    """
    plots = frames["plots"]
    col = _find_column(plots, "plot_id")
    raw_ids = plots[col].copy() if col is not None else None
    if col is not None:  # ids are made over all plots by the client; none made here
        frames = {**frames, "plots": plots.drop(columns=col)}
    try:
        layers = prepare_layers(Layers.from_mapping(frames, sources), config, crs=crs)
        kept = layers.plots.index
    except EmptyLayerError:
        layers, kept = None, plots.index[:0]  # the piece's plots: none left after repair
    gone = ~plots.index.isin(kept)
    geoms = plots.geometry[gone]
    dropped = pd.DataFrame(
        {
            "why": np.where(geoms.isna() | geoms.is_empty, *_WHY_DROPPED),
            "id": raw_ids[gone] if raw_ids is not None else None,
        },
        index=plots.index[gone],
    )
    if raw_ids is not None:
        raw_ids = raw_ids.loc[kept]
    return (None if layers is None else replace(layers, notes=[])), dropped, raw_ids


def _read_measure(
    parts: dict[str, _Part],
    opts: dict,
    crs: pyproj.CRS,
    config: PlannerConfig,
    basis: str,
    h: float,
) -> _Piece:
    """Read a plot partition and every layer's candidates, prepare them, and measure."""
    sources = {role: part.source for role, part in parts.items()}
    frames, reports = _read(parts, opts)
    if "plots" not in frames:  # every plot of the piece dropped by the reader
        return _Piece(*_nothing_piece(), reports=reports)
    layers, dropped, raw_ids = _prepare(frames, crs, config, sources)
    if layers is None:
        # none of the piece's plots is left: nothing to measure, only what was noticed
        return _Piece(*_nothing_piece(), reports=reports, dropped=dropped, raw_ids=raw_ids)
    plots = layers.plots
    x0, y0, x1, y1 = plots.total_bounds
    box = (x0 - h, y0 - h, x1 + h, y1 + h)
    others = _with_positions(layers)
    frames, empty = _clip(others, box, crs)
    empty += [role for role in parts if role not in frames and role != "plots"]
    pos = plots.index.to_numpy()
    if empty:
        got = _Piece(pos, pd.DataFrame(index=range(len(plots))), *_nothing(), empty)
        return replace(got, reports=reports, dropped=dropped)
    piece = Layers.from_mapping({"plots": plots, **frames}, sources)
    piece.crs = crs
    table = compute_criteria(piece, config, distances=distance_model(piece, config, basis))
    return _Piece(
        pos=pos,
        raw=table.raw.reset_index(drop=True),
        exclusion_reason=table.exclusion_reason.to_numpy(),
        distance_basis=table.distance_basis.to_numpy(),
        missing=dict(table.missing),
        notes=list(table.notes),
        empty_roles=[],
        plots=plots,
        raw_ids=raw_ids,
        reports=reports,
        dropped=dropped,
    )


def _with_positions(layers: Layers) -> dict[str, list[gpd.GeoDataFrame]]:
    """The layers other than the plots, each feature carrying its row (:data:`_POS`)."""
    return {
        role: [frame.assign(**{_POS: frame.index.to_numpy()})]
        for role, frame in layers.present()
        if role != "plots"
    }


def _read_notes(parts: dict[str, _Part], opts: dict) -> dict[str, LayerReport]:
    """Read features no measuring task reads (far from every plot, or without a box)."""
    return _read(parts, opts)[1]


def _nothing() -> tuple:
    return np.array([]), np.array([]), {}, []


def _read_nearest(
    plots: gpd.GeoDataFrame,
    parts: dict[str, _Part],
    opts: dict,
    crs: pyproj.CRS,
    config: PlannerConfig,
    basis: str,
    box: tuple[float, float, float, float],
    columns: dict[str, str],
) -> _Piece:
    """Measure again only the nearest-feature distances of prepared plots (a next round)."""
    from planner.engines.dask import _measure_nearest

    sources = {role: part.source for role, part in parts.items()}
    frames, _ = _read(parts, opts)
    missing = [role for role in parts if role not in frames]
    if missing:
        return _Piece(
            plots.index.to_numpy(), pd.DataFrame(index=range(len(plots))), *_nothing(), missing
        )
    layers, _, _ = _prepare({"plots": plots, **frames}, crs, config, sources)
    others = _with_positions(layers)
    return _measure_nearest(
        plots.assign(**{_POS: plots.index.to_numpy()}), others, box, crs, config, basis, columns
    )


def score_files(
    files: CityFiles,
    config: PlannerConfig | None = None,
    *,
    scheduler: str | None = None,
    client=None,  # noqa: ANN001
    distance: str = "auto",
    n_partitions: int | None = None,
    halo_m: float | None = None,
    progress: Progress | None = None,
    reports: list[LayerReport] | None = None,
) -> gpd.GeoDataFrame:
    """Score every plot on a dask cluster whose workers read the layers by part.

    The result equals :func:`planner.score`'s on the same files. Parameters as
    :func:`planner.engines.dask.score_dask`, with ``files`` from :func:`scan_files` in place
    of the layers; ``reports`` receives one :class:`~planner.io.LayerReport` per layer, as
    :func:`planner.io.read_layers` gives them: the workers' reports on the parts they read
    (every feature read once for its notes), merged.

    Raises
    ------
    EngineError
        dask is not installed, the scheduler cannot be reached, a worker cannot read a
        file, or a task failed.
    ConfigError
        As :func:`planner.engines.dask.check_arguments`.
    InputFileError
        A layer has a problem the worker's reader reports (as the single engine's would).
    """
    config = config or PlannerConfig()
    progress = progress or (lambda _m, _f: None)
    halo = check_arguments(config, distance, n_partitions, halo_m)
    with _client(scheduler, client) as c:
        try:
            return _run_files(files, config, c, distance, n_partitions, halo, progress, reports)
        except PlannerError:
            raise
        except (OSError, TimeoutError) as exc:
            raise EngineError(Msg("dask_failed", problem=f"{type(exc).__name__}: {exc}")) from None


#: A job of a round: the plots' rows, the halo (m), and the plots' measures when only the
#: nearest-feature distances remain to be measured again.
_Job = tuple[np.ndarray, float, "_Piece | None"]


def _plot_partitions(plots: LayerFile, extent: np.ndarray, n: int) -> list[np.ndarray]:
    """The plots' rows cut into ``n`` pieces along a Hilbert curve of their boxes."""
    b = plots.boxes
    centres = gpd.GeoSeries(shapely.points((b[:, 0] + b[:, 2]) / 2, (b[:, 1] + b[:, 3]) / 2))
    order = np.argsort(centres.hilbert_distance(total_bounds=extent).to_numpy(), kind="stable")
    return [np.sort(plots.rows[c]) for c in np.array_split(order, n) if len(c)]


def _submit(
    client,  # noqa: ANN001
    job: _Job,
    files: CityFiles,
    config: PlannerConfig,
    basis: str,
    unbounded: dict[str, str],
    claimed: dict[str, np.ndarray] | None = None,
):  # noqa: ANN202
    """Send one job to the cluster: read and measure everything, or the nearest distances.

    ``claimed`` (first round): the features of each layer whose notes a read of an earlier
    job reports; this job's reads report the others they read, and claim them.
    """
    rows, h, base = job
    plots = files.layers["plots"]
    others = {role: lf for role, lf in files.layers.items() if role != "plots"}
    if base is None:
        at = np.searchsorted(plots.rows, rows)
        b = plots.boxes[at]
        box = np.array([*(b[:, :2].min(0) - h), *(b[:, 2:].max(0) + h)])
        parts = {"plots": _part(plots, at, None if claimed is None else np.ones(len(at), bool))}
        for role, lf in others.items():
            hit = lf.meeting(box)
            own = None
            if claimed is not None:
                own = ~claimed[role][hit]
                claimed[role][hit] = True
            parts[role] = _part(lf, hit, own)
        args = (_read_measure, parts, files.opts, files.crs, config, basis, h)
        return client.submit(*args, pure=False)
    x0, y0, x1, y1 = base.plots.total_bounds
    box = (x0 - h, y0 - h, x1 + h, y1 + h)
    roles = {*unbounded.values(), "roads"} & set(others)
    parts = {role: _part(others[role], others[role].meeting(np.array(box))) for role in roles}
    args = (_read_nearest, base.plots, parts, files.opts, files.crs, config, basis, box)
    return client.submit(*args, unbounded, pure=False)


def _submit_notes(client, files: CityFiles, claimed: dict[str, np.ndarray]) -> list:  # noqa: ANN001
    """Read, for their notes only, the features no first-round job reads.

    Those far from every plot (outside every halo) and those without a box (no geometry,
    or an empty one), in parts of at most :data:`FEATURES_PER_PARTITION` features.
    """
    futures = []
    for role, lf in files.layers.items():
        rest = np.flatnonzero(~claimed[role]) if role != "plots" else np.array([], dtype=int)
        fids = np.concatenate([lf.fids[rest], lf.boxless[:, 0]])
        rows = np.concatenate([lf.rows[rest], lf.boxless[:, 1]])
        if not len(fids):
            continue
        for chunk in np.array_split(
            np.arange(len(fids)), math.ceil(len(fids) / FEATURES_PER_PARTITION)
        ):
            own = np.ones(len(chunk), dtype=bool)
            part = _Part(lf.path, lf.layer, lf.source, fids[chunk], rows[chunk], own)
            futures.append(client.submit(_read_notes, {role: part}, files.opts, pure=False))
    return futures


def _run_files(
    files: CityFiles,
    config: PlannerConfig,
    client,  # noqa: ANN001
    basis: str,
    n_partitions: int | None,
    halo: float,
    progress: Progress,
    reports: list[LayerReport] | None = None,
) -> gpd.GeoDataFrame:
    plots = files.layers["plots"]
    extent = files.extent
    diag = float(math.hypot(extent[2] - extent[0], extent[3] - extent[1]))
    threads = max(1, sum(client.nthreads().values()))
    n = len(plots.fids)
    n_parts = min(n_partitions or max(2 * threads, math.ceil(n / PLOTS_PER_PARTITION)), n)
    progress(f"cutting {n:,} plots into {n_parts} pieces, read by the workers", 0.05)
    unbounded = {c: r for c, r in UNBOUNDED_MEASURES.items() if r in files.layers}
    pending: list[_Job] = [(rows, halo, None) for rows in _plot_partitions(plots, extent, n_parts)]
    claimed = {role: np.zeros(len(lf.fids), dtype=bool) for role, lf in files.layers.items()}
    accepted: list[_Piece] = []
    noticed: list[_Piece] = []  # the first round's pieces: what the reads noticed
    rounds, retried = 0, 0
    while pending:
        rounds += 1
        progress(
            f"round {rounds}: measuring {len(pending)} pieces "
            f"({sum(len(p) for p, _, _ in pending):,} plots)",
            0.1 + 0.8 * (1 - 0.5**rounds),
        )
        own = claimed if rounds == 1 else None
        futures = [_submit(client, job, files, config, basis, unbounded, own) for job in pending]
        notes_only = _submit_notes(client, files, claimed) if rounds == 1 else []
        nxt: list[_Job] = []
        for (_, h, base), got in zip(pending, client.gather(futures), strict=True):
            noticed += [got] if rounds == 1 else []
            if not len(got.pos) and not got.empty_roles:
                continue  # every plot of the piece was dropped on reading
            # a piece read by a worker may have dropped plots: its rows are those it kept
            done, again, unsure = _settle((got.pos, h, base), got, diag, unbounded)
            accepted.extend(done)
            nxt.extend(again)
            retried += unsure
        noticed += [_Piece(*_nothing_piece(), reports=r) for r in client.gather(notes_only)]
        pending = nxt
    progress("combining", 0.95)
    read = _read_reports(files, noticed)
    if reports is not None:
        reports.extend(read)
    result = combine(_assemble(files, accepted, noticed), config)
    result.attrs["engine"] = {
        "engine": "dask",
        "read_by": "workers",
        "partitions": n_parts,
        "rounds": rounds,
        "plots_measured_again": retried,
        "halo_m": halo,
    }
    return result


def _nothing_piece() -> tuple:
    return np.array([], dtype=np.int64), pd.DataFrame(), *_nothing(), []


def _read_reports(files: CityFiles, noticed: list[_Piece]) -> list[LayerReport]:
    """One reader's report per layer, merged from the reports on the parts of it."""
    out = []
    for role in files.layers:
        parts = [p.reports[role] for p in noticed if role in p.reports]
        if parts:
            out.append(LayerReport.merged(parts, name=parts[0].name, source=parts[0].source))
    return out


def _dropped_notes(
    source: str, dropped: pd.DataFrame, kept: np.ndarray, col: str | None
) -> list[str]:
    """The notes on plots dropped while prepared, worded over all plots.

    ``kept``: the rows of the plots left after preparing (with those dropped, the plots as
    read, whose positions the notes give when the plots have no ids).
    """
    out: list[str] = []
    before = np.sort(np.concatenate([kept, dropped.index.to_numpy()]))
    for why in _WHY_DROPPED:
        these = dropped.loc[dropped["why"] == why].sort_index()
        if len(these):
            ids = these["id"]
            out.append(
                plots_dropped_note(
                    source,
                    Msg(why),
                    col=col,
                    ids=ids.astype(str).tolist() if col and ids.notna().all() else None,
                    positions=(np.searchsorted(before, these.index.to_numpy()) + 1).tolist(),
                )
            )
        before = before[~np.isin(before, these.index.to_numpy())]
    return out


def _no_plot_left(files: CityFiles) -> None:
    """Raise the single engine's error for a plots layer none of whose plots is usable.

    Only when the workers kept no plot: the client reads the plots layer through the reader
    (every plot of it is broken, the read is cheap) so that the error is word for word the
    single engine's.
    """
    from planner.io.read import load_layer

    lf = files.layers["plots"]
    load_layer(lf.path, layer=lf.layer, role="plots", label=lf.path, **files.opts)
    raise EmptyLayerError(lf.source, Msg("layers.no_valid_plots"))


def _assemble(files: CityFiles, pieces: list[_Piece], noticed: list[_Piece]):  # noqa: ANN202
    """One criteria table over every plot from the pieces (plot ids made unique here).

    ``noticed``: the first round's pieces, whose plots dropped while prepared are noted.
    """
    source = files.layers["plots"].source
    if not pieces:
        _no_plot_left(files)
    plots = pd.concat([p.plots for p in pieces]).sort_index(kind="stable")
    raws = [p.raw_ids for p in pieces if p.raw_ids is not None]
    col = next((p.raw_ids.name for p in noticed if p.raw_ids is not None), None)
    if raws:
        raw = pd.concat(raws).sort_index(kind="stable")
        ids, id_notes = plot_ids(gpd.GeoDataFrame({raw.name: raw}, geometry=plots.geometry), source)
    else:
        ids, id_notes = plot_ids(gpd.GeoDataFrame(geometry=plots.geometry), source)
    plots = plots.assign(plot_id=ids.to_numpy())
    rows = plots.index.to_numpy()
    dropped = [p.dropped for p in noticed if p.dropped is not None and len(p.dropped)]
    drop_notes = (
        _dropped_notes(source, pd.concat(dropped), rows, col and str(col)) if dropped else []
    )
    pieces = [replace(p, pos=np.searchsorted(rows, p.pos)) for p in pieces]
    layers = Layers(plots=plots, crs=files.crs)
    table = _table(layers, pieces)
    table.notes = list(dict.fromkeys([*drop_notes, *id_notes, *table.notes]))
    return table
