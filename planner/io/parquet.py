"""GeoParquet layers, read with pyarrow: whole, by rows, or only their features' boxes.

A GeoParquet file (https://geoparquet.org, versions 1.0 and 1.1) is one layer: a Parquet
table whose ``geo`` metadata names the geometry column, its encoding and its CRS. The planner
reads it as it reads every other layer (:func:`planner.io.load_layer`): the geometries are
built from their WKB by :func:`planner.io.geometry.geometries_from_wkb`, so a ring GEOS
refuses is repaired or dropped and counted as for a GeoPackage, and the CRS is the file's
(PROJJSON; a column without a ``crs`` key is in OGC:CRS84 by the specification, one whose
``crs`` is null has none and is decided as for any layer without one).

The dask engine's workers read parts of a layer by row (:func:`read_geoparquet` with
``rows``: only the row groups holding those rows are read, then the rows are taken), and the
client reads only the features' boxes (:func:`geoparquet_bounds`): the GeoParquet 1.1
``bbox`` covering column when the file has one (four numbers per feature), else the geometry
column one row group at a time, each batch's geometries dropped once their boxes are taken.

Only the WKB encoding (what GeoPandas, GDAL and DuckDB write by default) is read; a file in
a GeoArrow native encoding is refused with a message saying how to rewrite it.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyproj
import shapely

from planner.errors import EmptyLayerError, UnreadableFileError
from planner.io.geometry import (
    STATUS_DROPPED,
    STATUS_REPAIRED,
    count_fix,
    geometries_from_wkb,
)
from planner.io.report import LayerReport
from planner.messages import Msg

#: Suffixes of the GeoParquet files the reader opens.
PARQUET_EXTENSIONS = (".parquet", ".geoparquet")
#: The CRS of a geometry column whose metadata has no ``crs`` key (GeoParquet 1.0.0, "crs").
DEFAULT_CRS = "OGC:CRS84"
#: Columns pandas writes for an index that is not a range; not attributes of the layer.
_INDEX_COLUMN = re.compile(r"^__index_level_\d+__$")


@dataclass
class GeoParquet:
    """An open GeoParquet file: its geometry column, CRS and boxes column."""

    file: object  # pyarrow.parquet.ParquetFile
    column: str
    crs: pyproj.CRS | None
    bbox: str | None  # the GeoParquet 1.1 covering column of boxes, if the file has one
    label: str

    @property
    def group_starts(self) -> np.ndarray:
        """The first row of every row group, and the number of rows last."""
        meta = self.file.metadata  # type: ignore[attr-defined]
        sizes = [meta.row_group(i).num_rows for i in range(meta.num_row_groups)]
        return np.concatenate([[0], np.cumsum(sizes, dtype=np.int64)])


def open_geoparquet(path: Path, label: str) -> GeoParquet:
    """Open a GeoParquet file and read its ``geo`` metadata (no feature is read).

    Raises
    ------
    UnreadableFileError
        Not a Parquet file (truncated, another format), no GeoParquet metadata, or a
        geometry encoding other than WKB.
    """
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        f = pq.ParquetFile(path)
    except (pa.ArrowException, OSError) as exc:
        raise UnreadableFileError(label, Msg("io.not_parquet", detail=exc)) from None
    try:
        geo = json.loads((f.schema_arrow.metadata or {})[b"geo"])
        column = str(geo["primary_column"])
        info = geo["columns"][column]
    except (KeyError, TypeError, ValueError):
        raise UnreadableFileError(label, Msg("io.parquet_not_geo")) from None
    encoding = str(info.get("encoding", "WKB"))
    if encoding.upper() != "WKB":
        raise UnreadableFileError(label, Msg("io.parquet_encoding", encoding=encoding))
    crs = info.get("crs", DEFAULT_CRS)
    try:
        crs = None if crs is None else pyproj.CRS.from_user_input(crs)
    except pyproj.exceptions.CRSError:
        raise UnreadableFileError(label, Msg("io.parquet_bad_crs")) from None
    box = (info.get("covering") or {}).get("bbox") or {}
    names = {str(v[0]) for v in box.values() if isinstance(v, list) and v}
    bbox = names.pop() if len(names) == 1 and set(box) >= {"xmin", "ymin", "xmax", "ymax"} else None
    return GeoParquet(f, column, crs, bbox, label)


def read_geoparquet(
    path: Path, label: str, report: LayerReport, *, rows: np.ndarray | None = None
) -> gpd.GeoDataFrame:
    """Read a GeoParquet layer, or its ``rows`` (ascending), geometries repaired on reading.

    The frame is indexed by the rows. Geometries GEOS refuses are repaired or dropped and
    counted in ``report`` (``repaired_on_read``, ``dropped_unreadable``); rows without a
    geometry stay, for :func:`planner.io.geometry.clean_geometries` to count.

    Raises
    ------
    UnreadableFileError
        As :func:`open_geoparquet`, or the file is damaged past its metadata.
    EmptyLayerError
        No geometry could be built.
    """
    import pyarrow as pa

    gp = open_geoparquet(path, label)
    report.format, report.encoding = "GeoParquet", "utf-8"
    report.encoding_how = Msg("io.how_enc_parquet")
    try:
        if rows is None:
            table = gp.file.read()  # type: ignore[attr-defined]
            index = pd.RangeIndex(table.num_rows)
        else:
            table, index = _read_rows(gp, np.asarray(rows, dtype=np.int64))
    except (pa.ArrowException, OSError) as exc:
        raise UnreadableFileError(label, Msg("io.not_parquet", detail=exc)) from None
    wkb = np.asarray(table.column(gp.column).to_numpy(zero_copy_only=False), dtype=object)
    drop = [gp.column, *([gp.bbox] if gp.bbox else [])]
    drop += [c for c in table.column_names if _INDEX_COLUMN.match(c)]
    attrs = table.drop_columns(drop).to_pandas(ignore_metadata=True)
    attrs.index = index
    geoms, status = geometries_from_wkb(wkb)
    frame = gpd.GeoDataFrame(attrs, geometry=gpd.GeoSeries(geoms, index=index), crs=gp.crs)
    repaired, dropped = status == STATUS_REPAIRED, status == STATUS_DROPPED
    count_fix(report, "repaired_on_read", frame, repaired)
    count_fix(report, "dropped_unreadable", frame, dropped)
    if len(frame) and dropped.all():
        raise EmptyLayerError(label, Msg("io.no_buildable_geometry", count=int(dropped.sum())))
    return frame.loc[~dropped] if dropped.any() else frame


def _read_rows(gp: GeoParquet, rows: np.ndarray) -> tuple:
    """The row groups holding ``rows``, then those rows taken from them."""
    starts = gp.group_starts
    group = np.searchsorted(starts, rows, side="right") - 1
    groups = np.unique(group)
    table = gp.file.read_row_groups(groups.tolist())  # type: ignore[attr-defined]
    # where each group read begins in the table read
    begin = np.concatenate([[0], np.cumsum(starts[groups + 1] - starts[groups])])[:-1]
    local = rows - starts[group] + begin[np.searchsorted(groups, group)]
    return table.take(local), pd.Index(rows)


def geoparquet_bounds(path: Path, label: str) -> tuple[np.ndarray, pyproj.CRS | None]:
    """Every feature's box (``(n, 4)``, NaN without a geometry) and the layer's CRS.

    From the ``bbox`` covering column when the file has one, else from the geometry column
    read one row group at a time (the geometries of a group are let go once their boxes are
    taken). No attribute is read.

    Raises
    ------
    UnreadableFileError
        As :func:`open_geoparquet`, or the file is damaged past its metadata.
    """
    import pyarrow as pa

    gp = open_geoparquet(path, label)
    f = gp.file
    try:
        if gp.bbox is not None:
            col = f.read(columns=[gp.bbox]).column(gp.bbox).combine_chunks()  # type: ignore[attr-defined]
            valid = ~np.asarray(col.is_null().to_numpy(zero_copy_only=False), dtype=bool)
            parts = [
                np.where(valid, col.field(k).to_numpy(zero_copy_only=False), np.nan)
                for k in ("xmin", "ymin", "xmax", "ymax")
            ]
            return np.stack(parts, axis=1).astype(float), gp.crs
        boxes = [np.zeros((0, 4))]
        for i in range(f.metadata.num_row_groups):  # type: ignore[attr-defined]
            wkb = f.read_row_group(i, columns=[gp.column]).column(0)  # type: ignore[attr-defined]
            geoms, _ = geometries_from_wkb(np.asarray(wkb.to_numpy(zero_copy_only=False), object))
            boxes.append(shapely.bounds(geoms))
        return np.vstack(boxes), gp.crs
    except (pa.ArrowException, OSError) as exc:
        raise UnreadableFileError(label, Msg("io.not_parquet", detail=exc)) from None


__all__ = ["PARQUET_EXTENSIONS", "geoparquet_bounds", "open_geoparquet", "read_geoparquet"]
