"""The app's project: uploaded layers by role, read safely, and the tables shown about them.

:func:`read_upload` turns the files a person dropped on the app (name → bytes) into one
checked layer and a report of what was read and decided. It uses the I/O module's
``planner.io.read.read_upload`` when that is available and otherwise a small adapter over
:func:`planner.io.read_layer`, which stages the files in a private temporary folder that is
always removed, refuses file names with folders in them, unexpected file types, unsafe or
oversized archives, and reads everything into memory before the folder goes.

:class:`Project` holds the uploaded layers of the user's own project; the demo's layers are
never mixed in.
"""

from __future__ import annotations

import hashlib
import io
import tempfile
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio

from planner.crs import WGS84
from planner.errors import (
    ConfigError,
    EmptyLayerError,
    InputFileError,
    UnreadableFileError,
    UnsafeArchiveError,
)
from planner.io.read import read_layer
from planner.layers import ROLES, Layers, check_layer

try:  # the I/O module's full upload reader, when it is on this branch
    from planner.io.read import list_upload_layers as _io_list_layers
    from planner.io.read import read_upload as _io_read_upload
except ImportError:  # pragma: no cover - depends on which modules have landed
    _io_read_upload = None
    _io_list_layers = None

try:
    from planner.io.coords import transform_geometries as _transform_geometries
except ImportError:  # pragma: no cover
    _transform_geometries = None

#: True when the I/O module's upload reader (encodings, CRS detection, GCJ-02) is used.
HAS_IO_UPLOAD = _io_read_upload is not None
#: Coordinate systems an upload may declare (conversion needs ``planner.io.coords``).
COORD_SYSTEMS = ("wgs84", "gcj02", "bd09") if _transform_geometries is not None else ("wgs84",)

#: Extensions accepted from an upload (and inside a zip).
UPLOAD_EXTENSIONS = frozenset({".zip", ".shp", ".shx", ".dbf", ".prj", ".cpg", ".qix", ".sbn",
                               ".sbx", ".xml", ".gpkg", ".geojson", ".json", ".kml", ".kmz",
                               ".csv", ".xlsx", ".osm"})
DATASET_EXTENSIONS = (".shp", ".gpkg", ".geojson", ".json", ".kml", ".osm", ".csv", ".xlsx")
#: Limits of the adapter: total upload, uncompressed archive, archive entries.
MAX_UPLOAD_BYTES = 200 * 1024 * 1024
MAX_UNZIPPED_BYTES = 1024 * 1024 * 1024
MAX_ARCHIVE_ENTRIES = 2000
MAX_COMPRESSION_RATIO = 200

_LON_NAMES = ("lon", "lng", "long", "longitude", "x", "经度")
_LAT_NAMES = ("lat", "latitude", "y", "纬度")
#: OSM extract layer read for a role by the adapter (GDAL's OSM driver layer names).
_OSM_LAYER = {"roads": "lines", "parking": "points", "pois": "points"}


@dataclass
class UploadedLayer:
    """One layer of the user's project.

    Attributes
    ----------
    role : str
    frame : GeoDataFrame
        The layer as read (its own CRS), checked for its role.
    report : dict
        What was read and decided: ``source``, ``format``, ``geometry_type``, ``count``,
        ``crs``, ``crs_how``, ``encoding``, ``encoding_how``, ``coord_system``, ``fixes``,
        ``problems``.
    digest : str
        Hash of the uploaded bytes and options (the cache key of the computed criteria).
    """

    role: str
    frame: gpd.GeoDataFrame
    report: dict[str, Any]
    digest: str


@dataclass
class Project:
    """The user's own project: uploaded layers by role."""

    layers: dict[str, UploadedLayer] = field(default_factory=dict)

    def add(self, layer: UploadedLayer) -> None:
        """Add or replace the layer of ``layer.role``."""
        self.layers[layer.role] = layer

    def remove(self, role: str) -> None:
        """Drop the layer of ``role`` (no error when absent)."""
        self.layers.pop(role, None)

    @property
    def ready(self) -> bool:
        """True when there is a plots layer to score."""
        return "plots" in self.layers

    @property
    def key(self) -> str:
        """A key that changes whenever any layer changes (for caching per data load)."""
        parts = [f"{r}:{self.layers[r].digest}" for r in ROLES if r in self.layers]
        return "upload:" + hashlib.sha256("|".join(parts).encode()).hexdigest()[:16]

    def to_layers(self) -> Layers:
        """The project as :class:`Layers` (raises :class:`EmptyLayerError` without plots)."""
        if not self.ready:
            raise EmptyLayerError("project", "no plots layer uploaded yet")
        frames = {r: lay.frame for r, lay in self.layers.items()}
        sources = {r: str(lay.report.get("source", r)) for r, lay in self.layers.items()}
        return Layers.from_mapping(frames, sources)


def upload_digest(files: Mapping[str, bytes], **options: object) -> str:
    """SHA-256 (16 hex digits) of the uploaded files and reading options."""
    h = hashlib.sha256()
    for name in sorted(files):
        h.update(name.encode("utf-8", "replace") + b"\0" + files[name] + b"\0")
    h.update(repr(sorted(options.items())).encode())
    return h.hexdigest()[:16]


# --- the adapter -----------------------------------------------------------------------------

def _suffix(name: str) -> str:
    return Path(name).suffix.lower()


def _check_names(files: Mapping[str, bytes]) -> None:
    if not files:
        raise EmptyLayerError("upload", "no file was uploaded")
    total = 0
    for name, data in files.items():
        clean = Path(str(name).replace("\\", "/")).name
        if clean != name or clean in ("", ".", "..") or clean.startswith("."):
            raise UnsafeArchiveError(str(name), "an uploaded file name must be a plain name "
                                                "without folders; refused")
        if _suffix(clean) not in UPLOAD_EXTENSIONS:
            raise UnsafeArchiveError(clean, "is not a file type expected in GIS data; refused")
        total += len(data)
    if total > MAX_UPLOAD_BYTES:
        raise UnsafeArchiveError("upload", f"is {total} bytes, more than the limit of "
                                           f"{MAX_UPLOAD_BYTES}; refused")


def _safe_unzip(data: bytes, name: str, dest: Path) -> None:
    """Extract a zip into ``dest`` after checking every entry (paths, types, sizes)."""
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise UnreadableFileError(name, "is not a valid zip archive") from None
    with zf:
        infos = zf.infolist()
        if len(infos) > MAX_ARCHIVE_ENTRIES:
            raise UnsafeArchiveError(name, f"holds {len(infos)} entries, more than "
                                           f"{MAX_ARCHIVE_ENTRIES}; refused")
        total = 0
        for info in infos:
            rel = PurePosixPath(info.filename.replace("\\", "/"))
            if rel.is_absolute() or ".." in rel.parts or ":" in info.filename:
                raise UnsafeArchiveError(name, f"entry '{info.filename}' points outside the "
                                               "archive; refused")
            if (info.external_attr >> 16) & 0o170000 == 0o120000:
                raise UnsafeArchiveError(name, f"entry '{info.filename}' is a symbolic link; "
                                               "refused")
            if info.is_dir() or rel.name.startswith(".") or "__MACOSX" in rel.parts:
                continue
            if rel.suffix.lower() not in UPLOAD_EXTENSIONS - {".zip", ".kmz"}:
                raise UnsafeArchiveError(name, f"entry '{info.filename}' is not a file type "
                                               "expected in GIS data; refused")
            total += info.file_size
            ratio = info.file_size / max(info.compress_size, 1)
            if total > MAX_UNZIPPED_BYTES or (info.file_size > 1_000_000
                                              and ratio > MAX_COMPRESSION_RATIO):
                raise UnsafeArchiveError(name, "expands to too much data (a zip bomb?); "
                                               "refused")
        for info in infos:
            rel = PurePosixPath(info.filename.replace("\\", "/"))
            if info.is_dir() or rel.name.startswith(".") or "__MACOSX" in rel.parts:
                continue
            target = dest.joinpath(*rel.parts)
            target.parent.mkdir(parents=True, exist_ok=True)
            with zf.open(info) as src:
                chunk = src.read(MAX_UNZIPPED_BYTES + 1)
            if len(chunk) != info.file_size:
                raise UnsafeArchiveError(name, f"entry '{info.filename}' is not the size it "
                                               "claims; refused")
            target.write_bytes(chunk)


def _datasets(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*")
                  if p.is_file() and p.suffix.lower() in DATASET_EXTENSIONS)


def _find_column(columns: list[str], names: tuple[str, ...]) -> str | None:
    lower = {str(c).strip().lower(): c for c in columns}
    for n in names:
        if n in lower:
            return lower[n]
    return None


def _read_table(path: Path, label: str, encoding: str | None, crs: str | None
                ) -> gpd.GeoDataFrame:
    try:
        if path.suffix.lower() == ".xlsx":
            table = pd.read_excel(path, engine="openpyxl")
        else:
            table = pd.read_csv(path, encoding=encoding or "utf-8-sig")
    except UnicodeDecodeError:
        raise InputFileError(label, "text is not UTF-8; give the encoding (e.g. GBK)") from None
    except (ValueError, OSError, pd.errors.ParserError) as exc:
        raise UnreadableFileError(label, f"cannot be read as a table ({exc})") from None
    lon = _find_column(list(table.columns), _LON_NAMES)
    lat = _find_column(list(table.columns), _LAT_NAMES)
    if lon is None or lat is None:
        raise InputFileError(label, "no longitude/latitude columns (lon/lat, x/y, 经度/纬度)")
    x = pd.to_numeric(table[lon], errors="coerce")
    y = pd.to_numeric(table[lat], errors="coerce")
    ok = (x.notna() & y.notna()).to_numpy()
    table = table.loc[ok].drop(columns=[lon, lat])
    return gpd.GeoDataFrame(table, geometry=gpd.points_from_xy(x[ok], y[ok]),
                            crs=crs or WGS84)


def _adapter_read(files: Mapping[str, bytes], *, role: str | None, encoding: str | None,
                  crs: str | None, coord_system: str, layer: str | None
                  ) -> tuple[gpd.GeoDataFrame, dict[str, Any]]:
    with tempfile.TemporaryDirectory(prefix="planner-upload-") as tmp:
        folder = Path(tmp)
        for name, data in files.items():
            if _suffix(name) == ".zip":
                _safe_unzip(data, name, folder / (Path(name).stem + "_zip"))
            else:
                (folder / name).write_bytes(data)
        found = _datasets(folder)
        label = ", ".join(files)
        if layer and len(found) > 1:
            picked = [p for p in found if p.stem == layer or p.name == layer]
            found = picked or found
        if not found:
            raise UnreadableFileError(label, "no dataset among the uploaded files; a shapefile "
                                             "needs its .shp")
        if len(found) > 1:
            names = ", ".join(p.name for p in found)
            raise InputFileError(label, f"holds several datasets ({names}); upload one at a time "
                                        "or name the layer")
        path = found[0]
        src = path.name
        ext = path.suffix.lower()
        if ext in (".csv", ".xlsx"):
            frame = _read_table(path, src, encoding, crs)
            fmt = "CSV" if ext == ".csv" else "XLSX"
        else:
            inner = layer
            if ext == ".osm":
                inner = _OSM_LAYER.get(role or "", "multipolygons")
            elif ext == ".gpkg" and inner is None:
                names = [str(n) for n in pyogrio.list_layers(path)[:, 0]]
                if role in names:
                    inner = role
                elif len(names) > 1:
                    raise InputFileError(src, f"has layers {', '.join(names)}; choose one")
            if encoding and ext == ".shp":
                try:
                    frame = pyogrio.read_dataframe(path, layer=inner, encoding=encoding)
                except (LookupError, UnicodeDecodeError) as exc:
                    raise InputFileError(src, f"cannot decode with {encoding} ({exc})") from None
                except pyogrio.errors.DataSourceError as exc:
                    raise UnreadableFileError(src, f"cannot be read ({exc})") from None
            else:
                frame = read_layer(path, layer=inner)
            fmt = {".shp": "ESRI Shapefile", ".gpkg": "GPKG", ".kml": "KML", ".osm": "OSM"
                   }.get(ext, "GeoJSON")
            if crs:
                frame = frame.set_crs(crs, allow_override=True)
        if coord_system != "wgs84":
            if _transform_geometries is None:
                raise ConfigError(f"coordinate system '{coord_system}' needs planner.io.coords")
            frame = frame.set_geometry(_transform_geometries(
                frame.to_crs(WGS84).geometry.values, source=coord_system))
    report = {"name": path.stem, "source": src, "format": fmt,
              "geometry_type": ", ".join(sorted(set(frame.geom_type.dropna()))),
              "count": len(frame), "crs": frame.crs.to_string() if frame.crs else "",
              "crs_how": "given" if crs else ("from file" if frame.crs else "missing"),
              "encoding": encoding or ("utf-8" if ext != ".shp" else "from file"),
              "encoding_how": "given" if encoding else "default",
              "coord_system": coord_system, "fixes": {}, "problems": []}
    return frame, report


def read_upload(files: Mapping[str, bytes], *, role: str, encoding: str | None = None,
                crs: str | None = None, coord_system: str = "wgs84",
                layer: str | None = None) -> UploadedLayer:
    """Read uploaded files as the layer of ``role`` and check it for the role.

    Parameters
    ----------
    files : mapping of str to bytes
        File name → content: one zip, the loose parts of one shapefile, a GeoPackage,
        GeoJSON, KML, CSV/XLSX with longitude/latitude columns, or an OSM extract.
    role : str
        One of :data:`planner.layers.ROLES`.
    encoding, crs, coord_system, layer : str, optional
        Overrides: text encoding, CRS (``EPSG:4549``), coordinate system of lon/lat data
        (``wgs84``, ``gcj02``, ``bd09``) and the layer inside a multi-layer file.

    Raises
    ------
    PlannerError
        Any problem with the files (a typed :class:`~planner.errors.InputFileError`,
        :class:`~planner.errors.UnsafeArchiveError` ...) or the options
        (:class:`~planner.errors.ConfigError`). Nothing is left on disk.
    """
    if role not in ROLES:
        raise ConfigError(f"unknown role '{role}'; roles are {', '.join(ROLES)}")
    if coord_system not in COORD_SYSTEMS:
        raise ConfigError(f"unknown coordinate system '{coord_system}'; use one of "
                          f"{', '.join(COORD_SYSTEMS)}")
    encoding = (encoding or "").strip() or None
    crs = (crs or "").strip() or None
    layer = (layer or "").strip() or None
    files = dict(files)
    _check_names(files)
    if crs is not None:
        import pyproj

        try:
            pyproj.CRS.from_user_input(crs)
        except pyproj.exceptions.CRSError:
            raise ConfigError(f"'{crs}' is not a CRS pyproj knows (try EPSG:4326)") from None
    if _io_read_upload is not None:
        frame, rep = _io_read_upload(files, role=role, encoding=encoding, crs=crs,
                                     coord_system=coord_system, layer=layer)
        report = rep.to_dict()
    else:
        frame, report = _adapter_read(files, role=role, encoding=encoding, crs=crs,
                                      coord_system=coord_system, layer=layer)
    source = str(report.get("source") or ", ".join(files))
    frame = check_layer(role, frame, source)
    report["count"] = len(frame)
    digest = upload_digest(files, role=role, encoding=encoding, crs=crs,
                           coord_system=coord_system, layer=layer)
    return UploadedLayer(role=role, frame=frame, report=report, digest=digest)


def upload_layer_names(files: Mapping[str, bytes]) -> list[str]:
    """Layer names inside an uploaded GeoPackage/archive (empty when there is one or none)."""
    files = dict(files)
    try:
        _check_names(files)
        if _io_list_layers is not None:
            names = list(_io_list_layers(files))
        else:
            gpkgs = [n for n in files if _suffix(n) == ".gpkg"]
            if len(gpkgs) != 1:
                return []
            with tempfile.TemporaryDirectory(prefix="planner-upload-") as tmp:
                p = Path(tmp) / gpkgs[0]
                p.write_bytes(files[gpkgs[0]])
                names = [str(n) for n in pyogrio.list_layers(p)[:, 0]]
    except (InputFileError, ValueError, OSError, pyogrio.errors.DataSourceError):
        return []
    return names if len(names) > 1 else []


def layer_summary(reports: Mapping[str, Mapping[str, Any]]) -> pd.DataFrame:
    """One row per layer: role, source, features, geometry, CRS, encoding, repairs, notes."""
    rows = []
    for role, r in reports.items():
        fixes = r.get("fixes") or {}
        rows.append({
            "role": role, "source": str(r.get("source", "")),
            "features": int(r.get("count", 0)),
            "geometry": str(r.get("geometry_type", "")),
            "crs": " ".join(x for x in (str(r.get("crs", "")),
                                        f"({r['crs_how']})" if r.get("crs_how") else "") if x),
            "encoding": " ".join(x for x in (str(r.get("encoding", "")),
                                             f"({r['encoding_how']})"
                                             if r.get("encoding_how") else "") if x),
            "repairs": ", ".join(f"{k} {v}" for k, v in fixes.items()),
            "notes": "; ".join(str(p) for p in (r.get("problems") or [])),
        })
    cols = ["role", "source", "features", "geometry", "crs", "encoding", "repairs", "notes"]
    return pd.DataFrame(rows, columns=cols)


def demo_reports(layers: Layers) -> dict[str, dict[str, Any]]:
    """Reports of the demo layers in the shape of an upload's, for the same summary table."""
    out = {}
    for role, frame in layers.present():
        out[role] = {"source": layers.sources.get(role, "demo"), "count": len(frame),
                     "geometry_type": ", ".join(sorted(set(frame.geom_type.dropna()))),
                     "crs": frame.crs.to_string() if frame.crs is not None else "",
                     "crs_how": "from file", "fixes": {}, "problems": []}
    return out


def plots_in_circles(result: gpd.GeoDataFrame, layers: Layers | None) -> pd.Series:
    """Name of the life circle each plot lies in (by a point inside it), ``<NA>`` outside."""
    out = pd.Series(pd.NA, index=result.index, dtype="string", name="life_circle")
    if layers is None or layers.life_circles is None or len(layers.life_circles) == 0:
        return out
    circles = layers.life_circles.to_crs(result.crs)
    label_col = next((c for c in ("circle_name", "name", "circle_id") if c in circles), None)
    labels = (circles[label_col].astype("string") if label_col
              else pd.Series(np.arange(1, len(circles) + 1).astype(str), dtype="string"))
    pts = result.geometry.representative_point().values
    i, j = circles.sindex.query(pts, predicate="within")
    first = pd.Series(j, index=i).groupby(level=0).min()
    out.iloc[first.index.to_numpy()] = labels.to_numpy()[first.to_numpy()]
    return out
