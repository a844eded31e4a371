"""Clean a layer's geometries as they come in, counting every fix for the :class:`LayerReport`.

Two stages.

**On reading** (:func:`geometries_from_wkb`): GDAL hands over geometries that GEOS refuses to
build — the rings of a multipolygon relation cut at an extract's edge, a GeoJSON ring of two
positions, an unclosed ring. They are repaired as GDAL would read them: an unclosed ring is
closed; a ring of fewer than 4 positions (OGC Simple Features: three corners and the closing
repeat) is dropped, and so is a polygon whose shell is dropped; a line of fewer than 2 distinct
positions is dropped; a multi-part geometry keeps its usable parts. A geometry with nothing
usable left is dropped. Both are counted (``repaired_on_read``, ``dropped_unreadable``) with the
ids of the features touched.

**Cleaning** (:func:`clean_geometries`, vectorised, no loop over features):

* null geometries and empty geometries are dropped (counted separately);
* the layer's dimension is the role's (``plots`` -> polygons) or, with no role, the highest
  dimension present; a geometry type the role does not accept is a
  :class:`~planner.errors.GeometryTypeError` (:func:`planner.layers.layer_dimension`, the
  one check, which :func:`planner.layers.prepare_layers` makes too);
* invalid geometries are repaired with :func:`shapely.make_valid`
  (:func:`planner.layers.repair_to_dimension`, the one repair); only parts of the layer's
  dimension are kept (a bow-tie polygon becomes a two-part multipolygon, the stray lines and
  points the repair may produce are discarded); a geometry with nothing left is dropped;
* geometry collections are reduced to their parts of the layer's dimension;
* multi-part features are kept whole, one feature each (a plot in two pieces is one plot),
  and counted;
* Z and M coordinates are dropped (the planner works in plan; heights and measures play no
  part), and counted.
"""

from __future__ import annotations

import struct

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from planner.errors import EmptyLayerError
from planner.io.report import MAX_IDS_REPORTED, LayerReport
from planner.layers import COLLECTION_TYPE_ID, layer_dimension, repair_to_dimension
from planner.messages import Msg

#: Status of each geometry made by :func:`geometries_from_wkb`: built as read (a missing
#: geometry included), repaired, or dropped because nothing usable was left.
STATUS_OK, STATUS_REPAIRED, STATUS_DROPPED = 0, 1, 2
#: Positions a ring needs to enclose an area: three corners and the closing repeat
#: (OGC 06-103r4 Simple Features Access 6.1.7.1, a LinearRing is closed and simple).
MIN_RING_POSITIONS = 4
#: Distinct positions a line needs (OGC 06-103r4 6.1.7.1).
MIN_LINE_POSITIONS = 2
#: Columns whose values name a feature in reports, first found wins (else its position).
FEATURE_ID_COLUMNS = (
    "plot_id",
    "osm_id",
    "id",
    "fid",
    "编号",
    "地块编号",
    "code",
    "name",
    "名称",
    "Name",
)


# --- geometries GEOS refuses to build ----------------------------------------------------


class _Wkb:
    """A cursor over one WKB (ISO or extended, either byte order, XY/Z/M/ZM)."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.pos = 0
        self.changed = False

    def _uint(self, order: str) -> int:
        (value,) = struct.unpack_from(order + "I", self.data, self.pos)
        self.pos += 4
        return int(value)

    def geometry(self) -> shapely.Geometry | None:
        order = "<" if self.data[self.pos] == 1 else ">"
        self.pos += 1
        code = self._uint(order)
        has_z, has_m = bool(code & 0x80000000), bool(code & 0x40000000)  # extended WKB
        if code & 0x20000000:  # an SRID follows
            self.pos += 4
        code &= 0x0FFFFFFF
        kind, iso = code % 1000, code // 1000  # ISO: +1000 Z, +2000 M, +3000 ZM
        has_z = has_z or iso in (1, 3)
        has_m = has_m or iso in (2, 3)
        width = 2 + has_z + has_m

        def positions() -> np.ndarray:
            n = self._uint(order)
            xy = np.frombuffer(self.data, dtype=order + "f8", count=n * width, offset=self.pos)
            self.pos += 8 * n * width
            return xy.reshape(n, width)[:, : 3 if has_z else 2].astype(float)

        if kind == 1:
            xy = np.frombuffer(self.data, dtype=order + "f8", count=width, offset=self.pos)
            self.pos += 8 * width
            xy = xy[: 3 if has_z else 2]
            return shapely.points(xy) if np.isfinite(xy).all() else None
        if kind == 2:
            return self._line(positions())
        if kind == 3:
            rings = [self._ring(positions()) for _ in range(self._uint(order))]
            return self._polygon(rings)
        if kind in (4, 5, 6, 7):
            parts = [self.geometry() for _ in range(self._uint(order))]
            kept = [g for g in parts if g is not None]
            self.changed |= len(kept) < len(parts)
            if not kept:
                return None
            maker = {
                4: shapely.MultiPoint,
                5: shapely.MultiLineString,
                6: shapely.MultiPolygon,
                7: shapely.GeometryCollection,
            }[kind]
            return maker(kept)
        raise ValueError(f"WKB geometry type {code} is not read")

    def _line(self, xy: np.ndarray) -> shapely.Geometry | None:
        if len(np.unique(xy, axis=0)) < MIN_LINE_POSITIONS:
            self.changed = True
            return None
        return shapely.linestrings(xy)

    def _ring(self, xy: np.ndarray) -> np.ndarray | None:
        if len(xy) and not np.array_equal(xy[0], xy[-1]):
            xy = np.vstack([xy, xy[:1]])
            self.changed = True
        if len(xy) < MIN_RING_POSITIONS:
            self.changed = True
            return None
        return xy

    def _polygon(self, rings: list[np.ndarray | None]) -> shapely.Geometry | None:
        if not rings or rings[0] is None:
            self.changed = True
            return None
        holes = [r for r in rings[1:] if r is not None]
        return shapely.polygons(rings[0], holes=holes or None)


def _rebuild(data: bytes) -> shapely.Geometry | None:
    """One geometry from WKB GEOS refused, repaired as the module notes say, or None."""
    try:
        return _Wkb(bytes(data)).geometry()
    except (struct.error, ValueError, IndexError, shapely.errors.GEOSException):
        return None


def geometries_from_wkb(wkb: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Shapely geometries from WKB that GDAL wrote, repairing what GEOS refuses to build.

    Every geometry GEOS builds is taken as it is (in one vectorised call); only those it
    refuses — typically well under 1 % of a real extract's polygons — are parsed again
    one by one and repaired (see the module notes).

    Parameters
    ----------
    wkb : array of bytes or None
        Geometries as read (None for a feature without geometry).

    Returns
    -------
    geometries : ndarray of object
        shapely geometries, None where the input was None or nothing could be built.
    status : ndarray of int8
        :data:`STATUS_OK`, :data:`STATUS_REPAIRED` or :data:`STATUS_DROPPED` per geometry.
    """
    wkb = np.asarray(wkb, dtype=object)
    geoms = shapely.from_wkb(wkb, on_invalid="ignore")
    status = np.zeros(len(wkb), dtype=np.int8)
    refused = np.flatnonzero(~pd.isna(wkb) & shapely.is_missing(geoms))
    if len(refused):
        rebuilt = np.empty(len(refused), dtype=object)
        rebuilt[:] = [_rebuild(wkb[i]) for i in refused]
        geoms[refused] = rebuilt
        status[refused] = np.where(shapely.is_missing(rebuilt), STATUS_DROPPED, STATUS_REPAIRED)
    return geoms, status


def feature_labels(frame: pd.DataFrame, mask: np.ndarray) -> list[str]:
    """Names of the features under ``mask`` for reports: an id column, else their position.

    At most :data:`MAX_IDS_REPORTED` are returned. A position is 1-based in the order the
    features were read (``feature 12``).
    """
    rows = np.flatnonzero(np.asarray(mask, dtype=bool))[:MAX_IDS_REPORTED]
    col = next((c for c in FEATURE_ID_COLUMNS if c in frame.columns), None)
    if col is not None:
        values = frame[col].iloc[rows]
        if values.notna().all():
            return [str(v) for v in values]
    index = frame.index[rows]
    if pd.api.types.is_integer_dtype(index):
        return [f"feature {int(i) + 1}" for i in index]
    return [f"feature {int(r) + 1}" for r in rows]


def feature_rows(frame: pd.DataFrame, mask: np.ndarray) -> list[int]:
    """The rows (0-based, in reading order) of the features :func:`feature_labels` names.

    The frame's index where it is an integer index (a part of a layer read by feature id
    is indexed by its rows in a whole read), else the positions.
    """
    rows = np.flatnonzero(np.asarray(mask, dtype=bool))[:MAX_IDS_REPORTED]
    if pd.api.types.is_integer_dtype(frame.index):
        return [int(i) for i in frame.index[rows]]
    return [int(r) for r in rows]


def count_fix(report: LayerReport, key: str, frame: pd.DataFrame, mask: np.ndarray) -> None:
    """Count the features under ``mask`` in ``report`` as fix ``key``, with their ids."""
    report.add_fix(
        key, int(np.count_nonzero(mask)), feature_labels(frame, mask), feature_rows(frame, mask)
    )


def clean_geometries(
    frame: gpd.GeoDataFrame, *, role: str | None, source: str, report: LayerReport
) -> gpd.GeoDataFrame:
    """Drop null/empty geometries, repair invalid ones, check the type; count every fix.

    Parameters
    ----------
    frame : GeoDataFrame
        The layer as read.
    role : str or None
        Role the layer is for (``plots`` ...), or None to keep the highest dimension present.
    source : str
        The file, for messages.
    report : LayerReport
        Receives the fix counts.

    Raises
    ------
    GeometryTypeError
        The geometry type does not fit the role.
    EmptyLayerError
        No feature with usable geometry remains.
    """
    geoms = frame.geometry
    null = geoms.isna().to_numpy()
    count_fix(report, "dropped_null", frame, null)
    empty = ~null & shapely.is_empty(geoms.to_numpy())
    count_fix(report, "dropped_empty", frame, empty)
    frame = frame.loc[~(null | empty)]
    if len(frame) == 0:
        what = Msg("common.layer_role", role=role) if role else Msg("common.the_layer")
        raise EmptyLayerError(source, Msg("io.no_features_with_geometry", subject=what))
    dim = layer_dimension(frame.geometry, role, source)
    arr = frame.geometry.to_numpy().copy()
    flat = shapely.has_z(arr) | shapely.has_m(arr)
    if flat.any():
        arr[flat] = shapely.force_2d(arr[flat])
        report.add_fix("flattened_z_m", int(flat.sum()))
    ids = shapely.get_type_id(arr)
    # features of another dimension a role allows (parking: points and polygons) are kept as
    # they are; only collections are reduced to the layer's dimension
    collection = ids == COLLECTION_TYPE_ID
    invalid = ~shapely.is_valid(arr) & ~collection
    if invalid.any():
        arr[invalid] = repair_to_dimension(arr[invalid], dim)
    if collection.any():
        arr[collection] = repair_to_dimension(arr[collection], dim)
        report.add_fix("collections_reduced", int(collection.sum()))
    gone = shapely.is_missing(arr) | shapely.is_empty(arr)
    count_fix(report, "repaired_invalid", frame, invalid & ~gone)
    count_fix(report, "dropped_unrepairable", frame, gone & ~collection)
    count_fix(report, "dropped_collections", frame, gone & collection)
    frame = frame.set_geometry(gpd.GeoSeries(arr, index=frame.index, crs=frame.crs))
    frame = frame.loc[~gone]
    if len(frame) == 0:
        raise EmptyLayerError(source, Msg("io.no_geometry_after_repair"))
    kept = frame.geometry.to_numpy()
    multi = np.isin(shapely.get_type_id(kept), (4, 5, 6)) & (shapely.get_num_geometries(kept) > 1)
    report.add_fix("multipart_kept", int(multi.sum()))
    return frame
