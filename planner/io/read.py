"""Read GIS files into GeoDataFrames, turning every failure into an :class:`InputFileError`.

:func:`load_layer` is the one reader behind everything: it takes any supported file (see
``docs/data-formats.md``), decides the text encoding and the CRS (and says how), converts
GCJ-02/BD-09 coordinates to WGS84 when declared, cleans the geometries and returns the
layer with a :class:`~planner.io.report.LayerReport`. :func:`read_layer` and
:func:`read_layers` are the simple entry points the commands use; :func:`read_upload` takes
the app's uploaded files; :func:`inspect_file` reports on every layer of a file.
"""

from __future__ import annotations

import contextlib
import csv
import io
import warnings
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from os import PathLike
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import pyproj
import shapely

from planner.crs import WGS84, lonlat_bounds
from planner.errors import (
    ConfigError,
    EmptyLayerError,
    EncodingError,
    InputFileError,
    LayerChoiceError,
    NoCrsError,
    UnreadableFileError,
    UnsafeArchiveError,
)
from planner.io.archive import DEFAULT_LIMITS, ArchiveLimits, extract_into, private_tempdir
from planner.io.arrow import HAS_ARROW  # pyogrio reads through Arrow when it can
from planner.io.coords import check_coord_system, transform_geometries
from planner.io.crs_detect import crs_label, decide_crs
from planner.io.encoding import (
    EncodingDecision,
    decide_dbf_encoding,
    decide_text_encoding,
    normalise_encoding,
)
from planner.io.geometry import (
    STATUS_DROPPED,
    STATUS_REPAIRED,
    clean_geometries,
    count_fix,
    geometries_from_wkb,
)
from planner.io.parquet import PARQUET_EXTENSIONS, read_geoparquet
from planner.io.report import LayerReport
from planner.layers import ROLES, Layers
from planner.messages import ErrorText, Msg

PathLikeStr = str | PathLike[str]

#: Column names recognised as longitude / latitude in tables (case-insensitive, exact).
LON_COLUMNS: tuple[str, ...] = (
    "lon",
    "lng",
    "long",
    "longitude",
    "x",
    "经度",
    "东经",
    "wgs84_lon",
    "point_x",
)
LAT_COLUMNS: tuple[str, ...] = ("lat", "latitude", "y", "纬度", "北纬", "wgs84_lat", "point_y")

#: Extensions read as tables with coordinate columns.
TABLE_EXTENSIONS = (".csv", ".txt", ".xlsx")
#: Extensions of OpenStreetMap extracts.
OSM_EXTENSIONS = (".osm", ".pbf")
#: Extensions of single files that hold a dataset (shapefile parts other than .shp are not).
DATASET_EXTENSIONS = (
    ".shp",
    ".gpkg",
    ".geojson",
    ".json",
    ".kml",
    ".kmz",
    ".csv",
    ".xlsx",
    ".osm",
    ".pbf",
    ".gml",
    ".fgb",
    ".parquet",
    ".geoparquet",
    ".zip",
)
#: Shapefile parts that may be uploaded beside a .shp.
SHAPEFILE_PARTS = (".shp", ".shx", ".dbf", ".prj", ".cpg", ".qix", ".sbn", ".sbx", ".xml")
#: Entries of a .kmz that are read (pictures and models inside are skipped).
_KMZ_LIMITS_EXT = frozenset({".kml"})

#: Roles :func:`read_layers` reads before the others (work on them can start meanwhile).
FIRST_ROLES = ("plots", "roads")

_SAMPLE_COLUMNS = 6
_SAMPLE_VALUES = 3
_SAMPLE_CHARS = 60
#: Rows searched first for those sample values (all rows only when these have too few).
_SAMPLE_SCAN_ROWS = 10_000


# --- small helpers --------------------------------------------------------------------------


def split_layer_spec(spec: PathLikeStr) -> tuple[Path, str | None]:
    """Split ``file.gpkg:layer`` into the path and the layer (``None`` when not given).

    A path that exists as given is never split, so file names with colons still work.
    """
    text = str(spec)
    p = Path(text)
    if p.exists() or ":" not in text:
        return p, None
    head, _, tail = text.rpartition(":")
    if head and tail and "/" not in tail:
        return Path(head), tail
    return p, None


def _suffix(path: Path) -> str:
    name = path.name.lower()
    if name.endswith(".osm.pbf"):
        return ".pbf"
    return path.suffix.lower()


def _gdal_message(exc: Exception, path: Path | None = None, label: str = "") -> str:
    """GDAL's first line; a private path (an upload's staging folder) said as ``label``."""
    text = str(exc).strip() or type(exc).__name__
    text = text.splitlines()[0].split("; It might help")[0]
    return text.replace(str(path), label) if path is not None and label else text


#: GDAL warnings said in the planner's words, by message key (the rest are passed on as GDAL
#: words them).
_GDAL_WARNINGS = {
    "Non closed ring detected": "io.warn_gdal_unclosed",
    "organizePolygons() received an unexpected geometry": "io.warn_gdal_rings",
}


def _gdal_warning(text: str) -> Msg:
    for start, key in _GDAL_WARNINGS.items():
        if text.startswith(start):
            return Msg(key)
    return Msg("io.warn_gdal", text=text)


@contextlib.contextmanager
def _quiet_gdal() -> Iterator[None]:
    """Silence pyogrio's warnings where only names are listed (the read records them)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        yield


def _list_gdal_layers(path: Path, label: str) -> list[tuple[str, str]]:
    try:
        with _quiet_gdal():
            arr = pyogrio.list_layers(path)
    except (pyogrio.errors.DataSourceError, ValueError, OSError, RuntimeError) as exc:
        raise UnreadableFileError(
            label, Msg("io.not_gis_file", detail=_gdal_message(exc, path, label))
        ) from None
    return [(str(n), str(t)) for n, t in arr]


def _shapefile_checks(shp: Path, label: str) -> None:
    """Refuse a shapefile with missing parts or a truncated .shp before GDAL sees it."""
    stem_files = {
        c.suffix.lower(): c for c in shp.parent.iterdir() if c.stem.lower() == shp.stem.lower()
    }
    for ext, what in ((".shx", Msg("io.shp_index")), (".dbf", Msg("io.shp_attribute_table"))):
        if ext not in stem_files:
            raise UnreadableFileError(label, Msg("io.shp_part_missing", ext=ext, what=what))
    head = shp.read_bytes()[:100]
    size = shp.stat().st_size
    if len(head) < 100 or int.from_bytes(head[:4], "big") != 9994:
        raise UnreadableFileError(label, Msg("io.shp_bad_header"))
    declared = int.from_bytes(head[24:28], "big") * 2
    if size < declared:
        raise UnreadableFileError(label, Msg("io.shp_truncated", declared=declared, size=size))


def _read_gdal(
    path: Path,
    layer: str | None,
    label: str,
    *,
    encoding: str | None = None,
    problems: list[str],
    report: LayerReport,
    fids: np.ndarray | None = None,
    rows: np.ndarray | None = None,
) -> gpd.GeoDataFrame:
    """Read with pyogrio, GDAL warnings recorded as problems, failures as typed errors.

    ``fids``: only these features (returned in feature-id order; the dask engine's workers
    read their part of a layer so), indexed by ``rows`` when given (their rows in a whole
    read, so that the features are named in notes as a whole read names them).

    Geometries GEOS refuses to build (unclosed rings, rings of two points ...) never stop
    the read: they are repaired or dropped and counted (:func:`_repair_refused`).
    """
    kwargs: dict = {"encoding": encoding} if encoding else {}
    if fids is not None:
        kwargs["fids"] = fids
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            # Arrow transfer reads large layers about 1.7 times faster, with the same dtypes
            frame = pyogrio.read_dataframe(
                path,
                layer=layer,
                use_arrow=HAS_ARROW and "encoding" not in kwargs,
                on_invalid="ignore",
                **kwargs,
            )
            if rows is not None:
                frame.index = pd.Index(np.asarray(rows, dtype=np.int64))
            if isinstance(frame, gpd.GeoDataFrame) and frame.geometry.isna().any():
                frame = _repair_refused(frame, path, layer, label, report, kwargs)
    except InputFileError:
        raise
    except (
        pyogrio.errors.DataSourceError,
        pyogrio.errors.DataLayerError,
        pyogrio.errors.FieldError,
        pyogrio.errors.GeometryError,
    ) as exc:
        raise UnreadableFileError(
            label, Msg("io.not_gis_layer", detail=_gdal_message(exc, path, label))
        ) from None
    except UnicodeDecodeError as exc:
        raise EncodingError(label, Msg("io.text_undecodable", reason=exc.reason)) from None
    except (ValueError, OSError, RuntimeError) as exc:
        raise UnreadableFileError(
            label, Msg("io.cannot_read", detail=_gdal_message(exc, path, label))
        ) from None
    problems.extend(dict.fromkeys(_gdal_warning(str(w.message)) for w in caught))
    return frame


def _repair_refused(
    frame: gpd.GeoDataFrame,
    path: Path,
    layer: str | None,
    label: str,
    report: LayerReport,
    kwargs: dict[str, str],
) -> gpd.GeoDataFrame:
    """Read the WKB of features whose geometry GEOS refused and repair or drop them.

    Runs only when a geometry came back missing: the geometries alone are read a second
    time (same order), and :func:`~planner.io.geometry.geometries_from_wkb` rebuilds those
    that were present in the file. Features missing a geometry in the file stay missing
    (``dropped_null`` later).
    """
    _, _, wkb, _ = pyogrio.raw.read(path, layer=layer, columns=[], **kwargs)
    missing = frame.geometry.isna().to_numpy()
    if wkb is None or len(wkb) != len(frame):  # cannot happen with one file; be safe
        return frame
    geoms, status = geometries_from_wkb(np.asarray(wkb, dtype=object)[missing])
    repaired = np.zeros(len(frame), dtype=bool)
    dropped = np.zeros(len(frame), dtype=bool)
    repaired[missing] = status == STATUS_REPAIRED
    dropped[missing] = status == STATUS_DROPPED
    if not (repaired.any() or dropped.any()):
        return frame
    arr = frame.geometry.to_numpy().copy()
    arr[missing] = geoms
    frame = frame.set_geometry(gpd.GeoSeries(arr, index=frame.index, crs=frame.crs))
    count_fix(report, "repaired_on_read", frame, repaired)
    count_fix(report, "dropped_unreadable", frame, dropped)
    if dropped.all():
        raise EmptyLayerError(label, Msg("io.no_buildable_geometry", count=int(dropped.sum())))
    return frame.loc[~dropped]


def _find_column(columns: list[str], names: tuple[str, ...]) -> str | None:
    lower = {str(c).strip().lower(): c for c in columns}
    for n in names:
        if n in lower:
            return lower[n]
    return None


def _read_table(
    path: Path, layer: str | None, label: str, *, encoding: str | None, report: LayerReport
) -> gpd.GeoDataFrame:
    """A CSV or XLSX table with longitude/latitude columns, as points (CRS decided later)."""
    if _suffix(path) == ".xlsx":
        try:
            book = pd.read_excel(path, sheet_name=None, engine="openpyxl")
        except (ValueError, OSError, KeyError) as exc:
            raise UnreadableFileError(label, Msg("io.not_excel", detail=exc)) from None
        except Exception as exc:  # openpyxl raises zipfile / xml errors of many kinds
            raise UnreadableFileError(
                label, Msg("io.not_excel", detail=f"{type(exc).__name__}: {exc}")
            ) from None
        if layer is not None and layer not in book:
            raise LayerChoiceError(
                label, Msg("io.no_such_sheet", sheet=layer, sheets=", ".join(book))
            )
        sheet = layer if layer is not None else next(iter(book))
        table = book[sheet]
        report.name = sheet
        report.format = "XLSX"
        report.encoding, report.encoding_how = "utf-8", Msg("io.how_enc_xlsx")
    else:
        data = path.read_bytes()
        decision = decide_text_encoding(data, given=encoding, source=label)
        report.encoding, report.encoding_how = decision.encoding, decision.how
        try:
            table = pd.read_csv(
                io.StringIO(data.decode(decision.encoding)), sep=None, engine="python"
            )
        except (pd.errors.ParserError, ValueError, csv.Error) as exc:
            raise UnreadableFileError(label, Msg("io.not_csv", detail=exc)) from None
        report.format = "CSV"
    columns = [str(c) for c in table.columns]
    table.columns = columns
    lon = _find_column(columns, LON_COLUMNS)
    lat = _find_column(columns, LAT_COLUMNS)
    if lon is None or lat is None:
        raise UnreadableFileError(label, Msg("io.no_lonlat_columns", cn_names="经度/纬度"))
    x = pd.to_numeric(table[lon], errors="coerce")
    y = pd.to_numeric(table[lat], errors="coerce")
    ok = (x.notna() & y.notna()).to_numpy()
    report.add_fix("dropped_no_coordinates", int((~ok).sum()))
    table = table.loc[ok]
    if len(table) == 0:
        raise EmptyLayerError(label, Msg("io.no_numeric_lonlat"))
    geom = gpd.points_from_xy(x[ok], y[ok])
    return gpd.GeoDataFrame(table.drop(columns=[lon, lat]), geometry=geom, crs=None)


def _samples(frame: gpd.GeoDataFrame) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for col in frame.columns:
        if col == frame.geometry.name or len(out) >= _SAMPLE_COLUMNS:
            continue
        s = frame[col]
        if not (pd.api.types.is_string_dtype(s) or s.dtype == object):
            continue
        s = s.dropna()
        # the first distinct values are usually in the first rows: look there first
        vals = s.iloc[:_SAMPLE_SCAN_ROWS].astype(str).drop_duplicates()
        if len(vals) < _SAMPLE_VALUES and len(s) > _SAMPLE_SCAN_ROWS:
            vals = s.astype(str).drop_duplicates()
        vals = vals.head(_SAMPLE_VALUES)
        if len(vals):
            out[str(col)] = [v[:_SAMPLE_CHARS] for v in vals]
    return out


# --- one layer ------------------------------------------------------------------------------


def load_layer(
    path: PathLikeStr,
    *,
    layer: str | None = None,
    role: str | None = None,
    encoding: str | None = None,
    crs: str | None = None,
    coord_system: str = "wgs84",
    limits: ArchiveLimits = DEFAULT_LIMITS,
    label: str | None = None,
    fids: np.ndarray | None = None,
    rows: np.ndarray | None = None,
) -> tuple[gpd.GeoDataFrame, LayerReport]:
    """Read one layer of any supported file and report how it was read.

    Parameters
    ----------
    path : str or PathLike
        A GIS file (GeoPackage, GeoJSON, shapefile, KML/KMZ, File Geodatabase folder, zip
        archive of any of these, CSV/XLSX with longitude/latitude columns, .osm/.osm.pbf).
        ``file.gpkg:layer`` selects a layer when ``layer`` is not given.
    layer : str, optional
        Layer (GeoPackage layer, shapefile name inside a zip, sheet of a workbook).
    role : str, optional
        Role the layer is for; checks the geometry type and, for OSM extracts, builds the
        role from the tags.
    encoding : str, optional
        Text encoding; overrides a .cpg and detection.
    crs : str, optional
        CRS of the coordinates (``EPSG:4527`` ...); overrides the file's.
    coord_system : {"wgs84", "gcj02", "bd09"}
        The longitude/latitude system the coordinates are in; GCJ-02 and BD-09 are converted
        to WGS84.
    limits : ArchiveLimits
        Caps for unpacking zip archives.
    label : str, optional
        Name of the file in messages (defaults to the path).
    fids : array of int, optional
        Read only these features (feature ids, ascending) of a file GDAL reads; the
        dask engine's workers read their part of a layer so.
    rows : array of int, optional
        With ``fids``: the features' rows in a whole read of the layer, the index of the
        frame returned (and what a feature without an id is called by in the report).

    Returns
    -------
    (GeoDataFrame, LayerReport)

    Raises
    ------
    InputFileError
        One of its subclasses for every problem with the file. An
        :class:`~planner.errors.EmptyLayerError` raised after reading carries the report
        made so far (``.report``: the features dropped, with their ids).
    """
    p, spec_layer = split_layer_spec(path)
    layer = layer if layer is not None else spec_layer
    if role is not None and role not in ROLES:
        raise ConfigError(Msg("io.unknown_role", role=role, roles=", ".join(ROLES)))
    base = label or str(p)
    shown = f"{base}:{layer}" if layer else base
    if not p.exists():
        raise UnreadableFileError(shown, Msg("common.file_not_found"))
    ext = _suffix(p)
    if p.is_dir() and ext != ".gdb":  # a folder: the dataset in it (or the one named)
        target, inner = _pick_dataset(p, layer, base)
        return load_layer(
            target,
            layer=inner,
            role=role,
            encoding=encoding,
            crs=crs,
            coord_system=coord_system,
            limits=limits,
            label=f"{base.rstrip('/')}/{_dataset_name(p, target)}",
        )
    if ext in (".zip", ".kmz"):
        return _load_from_zip(
            p,
            layer=layer,
            role=role,
            encoding=encoding,
            crs=crs,
            coord_system=coord_system,
            limits=limits,
            label=base,
        )
    coord = check_coord_system(coord_system) if coord_system else "wgs84"
    report = LayerReport(name=layer or p.stem, source=shown)
    problems: list[str] = []
    frame = None
    if ext in OSM_EXTENSIONS and role is not None and layer is None:
        from planner.io.osm import build_role

        frame = build_role(p, role, label=base)
        report.name = role
        report.format = "OSM"
        report.encoding, report.encoding_how = "utf-8", Msg("io.how_enc_osm")
    elif ext in TABLE_EXTENSIONS:
        frame = _read_table(p, layer, shown, encoding=encoding, report=report)
    try:
        if ext in PARQUET_EXTENSIONS:  # fids are rows: a Parquet table has no feature ids
            frame = read_geoparquet(p, shown, report, rows=fids)
        elif frame is None:
            frame = _load_gdal(
                p, ext, layer, role, encoding, base, shown, report, problems, fids, rows
            )
        return _finish(frame, report, problems, role=role, crs=crs, coord=coord, label=shown)
    except EmptyLayerError as exc:
        exc.report = report  # type: ignore[attr-defined]
        raise


def _load_gdal(
    p: Path,
    ext: str,
    layer: str | None,
    role: str | None,
    encoding: str | None,
    base: str,
    shown: str,
    report: LayerReport,
    problems: list[str],
    fids: np.ndarray | None = None,
    rows: np.ndarray | None = None,
) -> gpd.GeoDataFrame:
    """One layer of a file GDAL reads: the layer chosen, the text encoding decided, read."""
    if ext == ".shp":
        _shapefile_checks(p, shown)
    names = _list_gdal_layers(p, shown)
    if layer is None:
        layer = _choose_layer(names, role, shown)
    elif layer not in [n for n, _ in names]:
        raise LayerChoiceError(
            base, Msg("io.no_such_layer", layer=layer, layers=", ".join(n for n, _ in names))
        )
    report.name = layer
    enc: EncodingDecision | None = None
    if len(names) > 1:
        report.source = f"{base}:{layer}"
    if ext == ".shp":
        enc = decide_dbf_encoding(p, given=encoding)
    elif encoding:
        enc = EncodingDecision(normalise_encoding(encoding, source=shown), "given")
    frame = _read_gdal(
        p,
        layer if ext != ".shp" else None,
        shown,
        encoding=enc.encoding if enc else None,
        problems=problems,
        report=report,
        fids=fids,
        rows=rows,
    )
    try:
        with _quiet_gdal():
            report.format = pyogrio.read_info(p, layer=layer if ext != ".shp" else None)["driver"]
    except Exception:  # noqa: BLE001 - the format label is cosmetic
        report.format = ext.lstrip(".").upper()
    if enc is None:
        enc = EncodingDecision("utf-8", "format: GDAL returns Unicode text")
    report.encoding, report.encoding_how = enc.encoding, enc.how
    return frame


def _choose_layer(names: list[tuple[str, str]], role: str | None, label: str) -> str:
    if len(names) == 1:
        return names[0][0]
    plain = [n for n, _ in names]
    if role is not None and role in plain:
        return role
    if not plain:
        raise EmptyLayerError(label, Msg("io.no_layers"))
    raise LayerChoiceError(label, Msg("io.choose_layer", count=len(plain), layers=", ".join(plain)))


def _subject(role: str | None) -> Msg:
    return Msg("common.layer_role", role=role) if role else Msg("common.the_layer")


def _whole_numbers(geoms: gpd.GeoSeries) -> bool:
    """True when every coordinate is a whole number (a drawing grid, not lon/lat)."""
    xy = shapely.get_coordinates(geoms.to_numpy())
    return bool(len(xy)) and bool(np.all(xy == np.round(xy)))


def _finish(
    frame: gpd.GeoDataFrame,
    report: LayerReport,
    problems: list[str],
    *,
    role: str | None,
    crs: str | None,
    coord: str,
    label: str,
) -> tuple[gpd.GeoDataFrame, LayerReport]:
    """Decide the CRS, convert GCJ/BD, clean geometries and fill in the report."""
    if not isinstance(frame, gpd.GeoDataFrame) or frame.geometry is None:
        raise UnreadableFileError(label, Msg("io.no_geometry_column"))
    if len(frame) == 0:
        raise EmptyLayerError(label, Msg("io.no_features", subject=_subject(role)))
    geoms = frame.geometry
    present = geoms[~(geoms.isna() | geoms.is_empty)]
    bounds = present.total_bounds if len(present) else np.full(4, np.nan)
    decision = decide_crs(
        frame.crs,
        bounds,
        given=crs,
        source=label,
        whole_numbers=frame.crs is None and _whole_numbers(present),
        subject=_subject(role),
    )
    frame = frame.set_crs(decision.crs, allow_override=True)
    if decision.warning and coord != "wgs84" and decision.how.startswith("assumed"):
        problems.append(Msg("io.warn_crs_assumed_coord", coord=coord))
    elif decision.warning:
        problems.append(decision.warning)
    report.crs, report.crs_how = crs_label(decision.crs), decision.how
    report.coord_system = coord
    if coord != "wgs84":
        if not decision.crs.is_geographic:
            raise NoCrsError(
                label,
                Msg("io.coord_system_not_lonlat", coord=coord, crs=crs_label(decision.crs)),
            )
        frame = frame.to_crs(WGS84) if decision.crs.to_epsg() not in (4326, 4490) else frame
        moved = transform_geometries(frame.geometry.to_numpy(), source=coord, target="wgs84")
        frame = frame.set_geometry(
            gpd.GeoSeries(moved, index=frame.index, crs=pyproj.CRS.from_user_input(WGS84))
        )
        report.add_fix("coordinates_converted", int((~frame.geometry.isna()).sum()))
        report.crs, report.crs_how = crs_label(frame.crs), Msg("io.how_crs_converted", coord=coord)
    frame = clean_geometries(frame, role=role, source=label, report=report)
    types = sorted(frame.geometry.geom_type.dropna().unique())
    report.geometry_type = ", ".join(types)
    report.count = len(frame)
    try:
        b = lonlat_bounds(frame)  # projects the bounding box, not every vertex
        report.bounds_lonlat = tuple(round(float(v), 7) for v in b)  # type: ignore[assignment]
    except Exception as exc:  # noqa: BLE001 - bounds are informative only
        problems.append(Msg("io.warn_bounds_unavailable", detail=exc))
    report.columns = [str(c) for c in frame.columns if c != frame.geometry.name]
    report.samples = _samples(frame)
    report.problems.extend(problems)
    return frame, report


# --- archives and uploads -------------------------------------------------------------------


def find_datasets(folder: Path) -> list[Path]:
    """The datasets in an unpacked folder: .shp, .gpkg, .geojson, .kml, .gdb folders, tables."""
    found: list[Path] = []
    for p in sorted(folder.rglob("*")):
        if any(part.lower().endswith(".gdb") for part in p.relative_to(folder).parts[:-1]):
            continue
        if p.is_dir():
            if p.suffix.lower() == ".gdb":
                found.append(p)
            continue
        if _suffix(p) in DATASET_EXTENSIONS and _suffix(p) not in (".zip", ".kmz"):
            found.append(p)
    return found


def _dataset_name(folder: Path, p: Path) -> str:
    return p.relative_to(folder).as_posix()


def _pick_dataset(folder: Path, layer: str | None, label: str) -> tuple[Path, str | None]:
    datasets = find_datasets(folder)
    if not datasets:
        raise EmptyLayerError(label, Msg("io.folder_no_dataset"))
    if len(datasets) == 1:
        only = datasets[0]
        named = layer in (_dataset_name(folder, only), only.name, only.stem)
        return only, None if named else layer
    if layer is not None:
        for d in datasets:
            name = _dataset_name(folder, d)
            if layer in (name, d.name, d.stem):
                return d, None
        for d in datasets:  # a layer inside one of them (GeoPackage layer, sheet)
            if _suffix(d) in (".gpkg", ".gdb", ".xlsx") or d.is_dir():
                try:
                    with _quiet_gdal():
                        names = [n for n, _ in pyogrio.list_layers(d)]
                except Exception:  # noqa: BLE001 - unreadable candidates are skipped here
                    continue
                if layer in names:
                    return d, layer
    names = ", ".join(_dataset_name(folder, d) for d in datasets)
    raise LayerChoiceError(label, Msg("io.choose_dataset", count=len(datasets), names=names))


def _load_from_zip(
    p: Path,
    *,
    layer: str | None,
    role: str | None,
    encoding: str | None,
    crs: str | None,
    coord_system: str,
    limits: ArchiveLimits,
    label: str,
) -> tuple[gpd.GeoDataFrame, LayerReport]:
    kmz = _suffix(p) == ".kmz"
    zlimits = ArchiveLimits(
        limits.max_total_bytes,
        limits.max_entries,
        limits.max_ratio,
        _KMZ_LIMITS_EXT if kmz else limits.allowed_extensions,
        refuse_unexpected=not kmz,
    )
    with private_tempdir() as folder:
        extract_into(p, folder, limits=zlimits, label=label)
        if kmz:
            kmls = sorted(folder.rglob("*.kml"))
            if not kmls:
                raise EmptyLayerError(label, Msg("io.kmz_no_kml"))
            target, inner_layer = kmls[0], layer
        else:
            target, inner_layer = _pick_dataset(folder, layer, label)
        inner_label = f"{label}/{_dataset_name(folder, target)}"
        return load_layer(
            target,
            layer=inner_layer,
            role=role,
            encoding=encoding,
            crs=crs,
            coord_system=coord_system,
            limits=limits,
            label=inner_label,
        )


def read_upload(
    files: Mapping[str, bytes],
    *,
    role: str | None = None,
    encoding: str | None = None,
    crs: str | None = None,
    coord_system: str = "wgs84",
    layer: str | None = None,
    limits: ArchiveLimits = DEFAULT_LIMITS,
) -> tuple[gpd.GeoDataFrame, LayerReport]:
    """Read uploaded files (the app's file uploader) as one layer, with its report.

    Parameters
    ----------
    files : mapping of str to bytes
        File name -> content. One dataset: a zip (shapefile(s), .gdb folder, anything
        below), the loose parts of one shapefile (.shp .shx .dbf .prj .cpg), a GeoPackage,
        GeoJSON, KML/KMZ, CSV/XLSX with longitude/latitude columns, or an .osm extract.
    role, encoding, crs, coord_system, layer, limits
        As for :func:`load_layer`; ``layer`` also picks a dataset among several in a zip.

    Returns
    -------
    (GeoDataFrame, LayerReport)

    Raises
    ------
    UnsafeArchiveError
        A file name with a path in it, an unexpected file type, too much data, or an unsafe
        archive.
    InputFileError
        Any other problem with the data.
    """
    with _staged_upload(files, limits) as (folder, main):
        label = main.name
        if main.is_dir():
            target, inner = _pick_dataset(folder, layer, "upload")
            return load_layer(
                target,
                layer=inner,
                role=role,
                encoding=encoding,
                crs=crs,
                coord_system=coord_system,
                limits=limits,
                label=_dataset_name(folder, target),
            )
        return load_layer(
            main,
            layer=layer,
            role=role,
            encoding=encoding,
            crs=crs,
            coord_system=coord_system,
            limits=limits,
            label=label,
        )


def list_upload_layers(
    files: Mapping[str, bytes], *, limits: ArchiveLimits = DEFAULT_LIMITS
) -> list[str]:
    """The layer (or dataset) names an upload offers, for a layer chooser in the app."""
    with _staged_upload(files, limits) as (folder, main):
        return list_layers(main if not main.is_dir() else folder, limits=limits)


@contextlib.contextmanager
def _staged_upload(
    files: Mapping[str, bytes], limits: ArchiveLimits
) -> Iterator[tuple[Path, Path]]:
    """Write uploaded files into a private folder; yield (folder, main dataset or folder)."""
    if not files:
        raise EmptyLayerError(Msg("io.the_upload"), Msg("io.no_upload"))
    allowed = set(limits.allowed_extensions) | {".zip", ".kmz"}
    total = 0
    for name, data in files.items():
        clean = Path(str(name).replace("\\", "/")).name
        if clean != name or clean in ("", ".", "..") or clean.startswith("."):
            raise UnsafeArchiveError(str(name), Msg("io.upload_name_not_plain"))
        if _suffix(Path(clean)) not in allowed:
            raise UnsafeArchiveError(clean, Msg("io.upload_file_type"))
        total += len(data)
    if total > limits.max_total_bytes:
        raise UnsafeArchiveError(
            Msg("io.the_upload"),
            Msg("io.upload_too_large", size=total, limit=limits.max_total_bytes),
        )
    with private_tempdir(prefix="planner-upload-") as folder:
        for name, data in files.items():
            (folder / name).write_bytes(data)
        paths = [folder / n for n in files]
        mains = [q for q in paths if _suffix(q) in DATASET_EXTENSIONS]
        if len(mains) == 1:
            yield folder, mains[0]
        elif not mains:
            exts = ", ".join(sorted({_suffix(q) for q in paths}))
            raise UnreadableFileError(", ".join(files), Msg("io.upload_no_dataset", exts=exts))
        else:
            if any(_suffix(q) in (".zip", ".kmz") for q in mains):
                raise LayerChoiceError(", ".join(files), Msg("io.upload_one_archive"))
            yield folder, folder


@dataclass
class ReadLayer:
    """One layer of a multi-file upload, as read (not yet checked for a role).

    Attributes
    ----------
    name : str
        The file or ``file:layer`` it came from (what the planner dropped).
    frame : GeoDataFrame
    report : LayerReport
    role : str or None
        The role the data itself fixes (an OpenStreetMap extract's layers, built by tag);
        ``None`` where the role is still to be decided (:mod:`planner.role_guess`).
    """

    name: str
    frame: gpd.GeoDataFrame
    report: LayerReport
    role: str | None = None


def upload_groups(files: Mapping[str, bytes]) -> tuple[list[dict[str, bytes]], list[str]]:
    """Split dropped files into datasets: a shapefile's parts together, every other file alone.

    Returns
    -------
    (list of dict, list of str)
        The groups (file name → bytes), in the order dropped, and the names of shapefile
        parts that came without their ``.shp``.
    """
    groups: dict[str, dict[str, bytes]] = {}
    for name, data in files.items():
        p = Path(str(name))
        part = _suffix(p) in SHAPEFILE_PARTS
        key = f"shp:{p.stem.lower()}" if part else f"file:{name}"
        groups.setdefault(key, {})[name] = data
    orphans = [
        n
        for key, g in groups.items()
        if key.startswith("shp:") and not any(_suffix(Path(m)) == ".shp" for m in g)
        for n in g
    ]
    kept = [
        g
        for key, g in groups.items()
        if not key.startswith("shp:") or any(_suffix(Path(m)) == ".shp" for m in g)
    ]
    return kept, orphans


def read_upload_all(
    files: Mapping[str, bytes],
    *,
    encoding: str | None = None,
    crs: str | None = None,
    coord_system: str = "wgs84",
    limits: ArchiveLimits = DEFAULT_LIMITS,
    on_progress: Callable[[str, int, int], None] | None = None,
) -> tuple[list[ReadLayer], list[tuple[str, str]]]:
    """Read every layer of every dataset among dropped files; a bad one never stops the rest.

    Parameters
    ----------
    files : mapping of str to bytes
        File name → content, several datasets at once: shapefiles (their parts), zips,
        GeoPackages (every layer), GeoJSON, KML/KMZ, tables with coordinates, OSM extracts
        (every role OpenStreetMap supplies).
    encoding, crs, coord_system, limits
        As for :func:`read_upload`, applied to every dataset.
    on_progress : callable, optional
        ``on_progress(name, done, total)`` before each dataset is read.

    Returns
    -------
    (list of ReadLayer, list of (str, str))
        The layers read, and ``(file, message)`` for each file or layer that could not be
        read (the message of the typed error, one line; English as a ``str``, in the page's
        language through :func:`planner.messages.localized`).
    """
    groups, orphans = upload_groups(files)
    problems: list[tuple[str, str]] = [(n, Msg("io.shp_orphan_part")) for n in orphans]
    out: list[ReadLayer] = []
    for done, group in enumerate(groups):
        label = ", ".join(group)
        if on_progress is not None:
            on_progress(label, done, len(groups))
        try:
            with _staged_upload(group, limits) as (folder, main):
                out.extend(
                    _read_all_layers(
                        folder,
                        main,
                        problems,
                        encoding=encoding,
                        crs=crs,
                        coord_system=coord_system,
                        limits=limits,
                    )
                )
        except (InputFileError, OSError, ValueError) as exc:
            problems.append((label, ErrorText(exc)))
    return out, problems


def _read_all_layers(
    folder: Path,
    main: Path,
    problems: list[tuple[str, str]],
    *,
    encoding: str | None,
    crs: str | None,
    coord_system: str,
    limits: ArchiveLimits,
) -> list[ReadLayer]:
    """Each layer of one staged dataset (a zip: of each dataset in it)."""
    if _suffix(main) == ".zip":
        inner = folder / ".unpacked"
        inner.mkdir()
        extract_into(main, inner, limits=limits, label=main.name)
        datasets = [(d, f"{main.name}/{_dataset_name(inner, d)}") for d in find_datasets(inner)]
        if not datasets:
            raise EmptyLayerError(main.name, Msg("io.no_dataset"))
    elif main.is_dir():
        datasets = [(d, _dataset_name(folder, d)) for d in find_datasets(folder)]
    else:
        datasets = [(main, main.name)]
    out: list[ReadLayer] = []
    for path, label in datasets:
        if _suffix(path) in OSM_EXTENSIONS:
            out.extend(_read_osm_roles(path, label, crs=crs, coord_system=coord_system))
            continue
        try:
            names = list_layers(path, limits=limits, label=label)
        except (InputFileError, OSError, ValueError) as exc:
            problems.append((label, ErrorText(exc)))
            continue
        for name in names:
            shown = label if len(names) == 1 else f"{label}:{name}"
            try:
                frame, report = load_layer(
                    path,
                    layer=name if len(names) > 1 else None,
                    encoding=encoding,
                    crs=crs,
                    coord_system=coord_system,
                    limits=limits,
                    label=label,
                )
            except (InputFileError, OSError, ValueError) as exc:
                problems.append((shown, ErrorText(exc)))
                continue
            out.append(ReadLayer(shown, frame, report))
    return out


def _read_osm_roles(
    path: Path, label: str, *, crs: str | None, coord_system: str
) -> list[ReadLayer]:
    """Every role an OpenStreetMap extract supplies, each read and reported like a file."""
    from planner.io.osm import build_layers

    coord = check_coord_system(coord_system)
    built = build_layers(path, label=label)
    out = []
    for role, frame in built.items():
        # the import's own report: what reading repaired or dropped, with the OSM ids
        report = built.reports[role]
        report.source = f"{label}:{role}"
        frame, report = _finish(
            frame, report, [], role=role, crs=crs, coord=coord, label=report.source
        )
        out.append(ReadLayer(report.source, frame, report, role))
    return out


# --- whole files ----------------------------------------------------------------------------


def list_layers(
    path: PathLikeStr, *, limits: ArchiveLimits = DEFAULT_LIMITS, label: str | None = None
) -> list[str]:
    """The layer names of a file (datasets of an archive or folder, GeoPackage layers ...).

    ``label`` is what messages call the file (an upload's own name, not the private
    folder it was staged in); the path by default.
    """
    p = Path(path)
    shown = label or str(p)
    if not p.exists():
        raise UnreadableFileError(shown, Msg("common.file_not_found"))
    ext = _suffix(p)
    if p.is_dir() and ext != ".gdb":
        return [_dataset_name(p, d) for d in find_datasets(p)]
    if ext == ".zip":
        with private_tempdir() as folder:
            extract_into(p, folder, limits=limits, label=shown)
            out: list[str] = []
            for d in find_datasets(folder):
                name = _dataset_name(folder, d)
                inner = list_layers(d, limits=limits, label=f"{shown}/{name}")
                out.extend([name] if len(inner) <= 1 else [f"{name}:{n}" for n in inner])
            return out
    if ext == ".kmz":
        return [p.stem]
    if ext == ".csv":
        return [p.stem]
    if ext == ".xlsx":
        try:
            from openpyxl import load_workbook

            return list(load_workbook(p, read_only=True).sheetnames)
        except Exception as exc:  # noqa: BLE001 - any openpyxl failure means unreadable
            raise UnreadableFileError(shown, Msg("io.not_excel", detail=exc)) from None
    if ext == ".shp" or ext in PARQUET_EXTENSIONS:
        return [p.stem]
    return [n for n, _ in _list_gdal_layers(p, shown)]


def inspect_file(
    path: PathLikeStr,
    *,
    encoding: str | None = None,
    crs: str | None = None,
    coord_system: str = "wgs84",
    limits: ArchiveLimits = DEFAULT_LIMITS,
) -> list[LayerReport]:
    """Report on every layer of a file (each dataset of an archive), for ``planner inspect``.

    A layer that cannot be used while others can is reported with the reason as its problem.

    Raises
    ------
    InputFileError
        The file cannot be read, or none of its layers can.
    """
    p, only = split_layer_spec(path)
    if not p.exists():
        raise UnreadableFileError(p, Msg("common.file_not_found"))
    if _suffix(p) == ".zip" and only is None:
        reports: list[LayerReport] = []
        with private_tempdir() as folder:
            extract_into(p, folder, limits=limits, label=str(p))
            datasets = find_datasets(folder)
            if not datasets:
                raise EmptyLayerError(p, Msg("io.no_dataset"))
            failures: list[InputFileError] = []
            for d in datasets:
                name = _dataset_name(folder, d)
                try:
                    sub = inspect_file(
                        d, encoding=encoding, crs=crs, coord_system=coord_system, limits=limits
                    )
                except InputFileError as exc:
                    failures.append(exc)
                    sub = [
                        LayerReport(
                            name=d.stem,
                            source=str(d),
                            problems=[Msg("io.warn_cannot_be_used", problem=exc.problem)],
                        )
                    ]
                for r in sub:
                    r.source = f"{p}/{name}" + (f":{r.name}" if len(sub) > 1 else "")
                reports.extend(sub)
        if len(failures) == len(datasets):
            raise failures[0]
        return reports
    names = [only] if only else list_layers(p, limits=limits)
    if not names:
        raise EmptyLayerError(p, Msg("io.file_no_dataset"))
    if _suffix(p) in (".shp", ".kmz", ".csv", *PARQUET_EXTENSIONS):
        names = [None]  # type: ignore[list-item]
    out = []
    failures: list[InputFileError] = []
    for name in names:
        try:
            _, rep = load_layer(
                p, layer=name, encoding=encoding, crs=crs, coord_system=coord_system, limits=limits
            )
        except InputFileError as exc:
            # one unusable layer of several (a notes sheet, an empty layer) is reported, not
            # fatal; a file whose every layer fails is an error
            failures.append(exc)
            rep = LayerReport(
                name=str(name or p.stem),
                source=f"{p}:{name}" if name else str(p),
                problems=[Msg("io.warn_cannot_be_used", problem=exc.problem)],
            )
        out.append(rep)
    if len(failures) == len(names):
        raise failures[0]
    return out


# --- the commands' entry points (backward compatible) ----------------------------------------


def read_layer(
    path: PathLikeStr,
    *,
    layer: str | None = None,
    role: str | None = None,
    encoding: str | None = None,
    crs: str | None = None,
    coord_system: str = "wgs84",
) -> gpd.GeoDataFrame:
    """Read one layer of a GIS file (see :func:`load_layer`; this drops the report).

    Parameters
    ----------
    path : str or PathLike
        Any supported file; ``file.gpkg:layer`` picks a layer.
    layer : str, optional
        Layer name inside a multi-layer file.
    role, encoding, crs, coord_system
        See :func:`load_layer`.

    Raises
    ------
    InputFileError
        The file is missing, unreadable, has no CRS, the wrong geometry ...
    """
    return load_layer(
        path, layer=layer, role=role, encoding=encoding, crs=crs, coord_system=coord_system
    )[0]


def read_layers(
    layers_file: PathLikeStr | None = None,
    role_files: Mapping[str, PathLikeStr | None] | None = None,
    *,
    encoding: str | None = None,
    crs: str | None = None,
    coord_system: str = "wgs84",
    reports: list[LayerReport] | None = None,
    on_layer: Callable[[str, gpd.GeoDataFrame], None] | None = None,
) -> Layers:
    """Read a run's layers: a multi-layer file named by role, then per-role overrides.

    Parameters
    ----------
    layers_file : str or PathLike, optional
        A GeoPackage (or other multi-layer file) whose layer names are roles (other layers
        are ignored), or an OpenStreetMap extract (.osm/.osm.pbf) whose roles are built from
        its tags.
    role_files : mapping, optional
        ``{role: path}``; each replaces the role's layer from ``layers_file``. A path may be
        ``file.gpkg:layer``.
    encoding, crs, coord_system
        Applied to every file (see :func:`load_layer`).
    reports : list, optional
        Receives the :class:`LayerReport` of every layer read (problems to show the user).
    on_layer : callable, optional
        ``on_layer(role, frame)`` is called once per role as soon as its layer is read (plots
        and roads first), so that work on them can start while the rest is read. A layer of
        ``layers_file`` that a file of ``role_files`` replaces is not read.

    Raises
    ------
    InputFileError
        A file cannot be read, or no plots layer is found.
    """
    frames: dict[str, gpd.GeoDataFrame] = {}
    sources: dict[str, str] = {}
    cleaned: set[str] = set()  # read by load_layer, whose clean_geometries repaired them
    opts = {"encoding": encoding, "crs": crs, "coord_system": coord_system}
    replaced = {role for role, path in (role_files or {}).items() if path is not None}
    # reports in file order (then the role files'), whatever the order of reading
    found: list[tuple[tuple[int, int], LayerReport]] = []

    def done(role: str, at: tuple[int, int], rep: LayerReport | None) -> None:
        if rep is not None:
            found.append((at, rep))
        if on_layer is not None:
            on_layer(role, frames[role])

    if layers_file is not None:
        p = Path(layers_file)
        if not p.exists():
            raise UnreadableFileError(p, Msg("common.file_not_found"))
        if _suffix(p) in OSM_EXTENSIONS:
            from planner.io.osm import build_layers

            built = build_layers(p)
            if not built:
                raise EmptyLayerError(p, Msg("io.no_role_layer", roles=", ".join(ROLES)))
            for role, frame in built.items():
                if role not in replaced:
                    frames[role] = frame
                    sources[role] = f"{p} (OSM {role})"
                    done(role, (0, 0), built.reports.get(role))
        else:
            names = (
                [p.stem]  # one layer, named by the file: plots.parquet
                if _suffix(p) in PARQUET_EXTENSIONS
                else [n for n, _ in _list_gdal_layers(p, str(p))]
            )
            if not any(n in ROLES for n in names):
                raise EmptyLayerError(p, Msg("io.no_role_layer", roles=", ".join(ROLES)))
            order = sorted(range(len(names)), key=lambda i: (names[i] not in FIRST_ROLES, i))
            for i in order:
                name = names[i]
                if name in ROLES and name not in replaced:
                    frames[name], rep = load_layer(p, layer=name, role=name, **opts)
                    sources[name] = f"{p}:{name}"
                    cleaned.add(name)
                    done(name, (0, i), rep)
    for k, (role, path) in enumerate((role_files or {}).items()):
        if path is None:
            continue
        if role not in ROLES:
            raise ConfigError(Msg("io.unknown_role", role=role, roles=", ".join(ROLES)))
        frames[role], rep = load_layer(path, role=role, **opts)
        sources[role] = str(path)
        cleaned.add(role)
        done(role, (1, k), rep)
    if reports is not None:
        reports.extend(rep for _, rep in sorted(found, key=lambda x: x[0]))
    if "plots" not in frames:
        where = f"{layers_file}" if layers_file else Msg("io.the_inputs")
        raise EmptyLayerError(where, Msg("io.no_plots_layer"))
    return Layers.from_mapping(frames, sources, valid_roles=cleaned)


__all__ = [
    "InputFileError",
    "inspect_file",
    "list_layers",
    "list_upload_layers",
    "load_layer",
    "read_layer",
    "read_layers",
    "read_upload",
    "split_layer_spec",
]
