"""Clean a layer's geometries as they come in, counting every fix for the :class:`LayerReport`.

Rules (vectorised, no loop over features):

* null geometries and empty geometries are dropped (counted separately);
* the layer's dimension is the role's (``plots`` -> polygons) or, with no role, the highest
  dimension present; a geometry type the role does not accept is a
  :class:`~planner.errors.GeometryTypeError`;
* invalid geometries are repaired with :func:`shapely.make_valid`; only parts of the layer's
  dimension are kept (a bow-tie polygon becomes a two-part multipolygon, the stray lines and
  points the repair may produce are discarded); a geometry with nothing left is dropped;
* geometry collections are reduced to their parts of the layer's dimension;
* multi-part features are kept whole, one feature each (a plot in two pieces is one plot),
  and counted.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import shapely

from planner.errors import EmptyLayerError, GeometryTypeError
from planner.io.report import LayerReport
from planner.layers import ROLES

#: shapely type ids by dimension (0 point, 1 line, 2 polygon).
_TYPE_DIM = {0: 0, 4: 0, 1: 1, 2: 1, 5: 1, 3: 2, 6: 2}
_DIM_KIND = {0: "point", 1: "line", 2: "polygon"}
_KIND_DIM = {v: k for k, v in _DIM_KIND.items()}
_COLLECTION = 7
#: Dimension by shapely type id 0..7 (point, linestring, linearring, polygon, multipoint,
#: multilinestring, multipolygon, collection = -1); index 8 stands for a missing geometry.
_DIM_LUT = np.array([0, 1, 1, 2, 0, 1, 2, -1, -1])


def _dims(geoms: np.ndarray) -> np.ndarray:
    ids = shapely.get_type_id(geoms)
    return _DIM_LUT[np.where(ids < 0, 8, ids)]


def _keep_dimension(geoms: np.ndarray, dim: int) -> np.ndarray:
    """Reduce each geometry to its parts of dimension ``dim`` (None where none remain)."""
    out = np.full(len(geoms), None, dtype=object)
    if len(geoms) == 0:
        return out
    parts, idx = shapely.get_parts(geoms, return_index=True)
    # make_valid may nest collections; a second pass flattens one more level
    nested = shapely.get_type_id(parts) == _COLLECTION
    if nested.any():
        sub, sub_idx = shapely.get_parts(parts[nested], return_index=True)
        parts = np.concatenate([parts[~nested], sub])
        idx = np.concatenate([idx[~nested], idx[nested][sub_idx]])
    keep = (_dims(parts) == dim) & ~shapely.is_empty(parts)
    parts, idx = parts[keep], idx[keep]
    if len(parts) == 0:
        return out
    counts = np.bincount(idx, minlength=len(geoms))
    single = counts[idx] == 1
    out[idx[single]] = parts[single]
    multi = ~single
    if multi.any():
        maker = {0: shapely.multipoints, 1: shapely.multilinestrings, 2: shapely.multipolygons}[dim]
        # singular parts of multi-part results: flatten Multi* into their members first
        flat, fidx = shapely.get_parts(parts[multi], return_index=True)
        owner = idx[multi][fidx]
        built = np.full(len(geoms), None, dtype=object)
        maker(flat, indices=owner, out=built)
        if dim == 2:
            built[np.unique(owner)] = shapely.make_valid(built[np.unique(owner)])
        out[np.unique(owner)] = built[np.unique(owner)]
    return out


def layer_dimension(geoms: gpd.GeoSeries, role: str | None, source: str) -> int:
    """The dimension a layer's geometries must have (role's kinds, else highest present).

    Raises
    ------
    GeometryTypeError
        A geometry type the role does not accept (e.g. points given as plots).
    """
    arr = geoms.to_numpy()
    ids = shapely.get_type_id(arr)
    dims = {_TYPE_DIM[int(t)] for t in np.unique(ids) if int(t) in _TYPE_DIM}
    in_collections: set[int] = set()
    if _COLLECTION in ids:
        parts = shapely.get_parts(arr[ids == _COLLECTION])
        in_collections = {_TYPE_DIM[int(t)] for t in np.unique(shapely.get_type_id(parts))
                          if int(t) in _TYPE_DIM}
    if role is None:
        return max(dims | in_collections) if dims | in_collections else 2
    spec = ROLES[role]
    allowed = {_KIND_DIM[k] for k in spec.kinds}
    wrong = sorted(dims - allowed)
    if wrong or (not dims and not in_collections & allowed):
        found = ", ".join(_DIM_KIND[d] for d in (wrong or sorted(in_collections)))
        raise GeometryTypeError(source, f"layer '{role}' ({spec.description}) needs "
                                        f"{' or '.join(spec.kinds)} geometries, found {found}")
    # collections are reduced to the layer's dimension: that of its plain geometries, else
    # the highest allowed dimension their parts have
    return max(dims) if dims else max(in_collections & allowed)


def clean_geometries(frame: gpd.GeoDataFrame, *, role: str | None, source: str,
                     report: LayerReport) -> gpd.GeoDataFrame:
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
    report.add_fix("dropped_null", int(null.sum()))
    empty = ~null & shapely.is_empty(geoms.to_numpy())
    report.add_fix("dropped_empty", int(empty.sum()))
    frame = frame.loc[~(null | empty)]
    if len(frame) == 0:
        what = f"layer '{role}'" if role else "the layer"
        raise EmptyLayerError(source, f"{what} has no features with geometry")
    dim = layer_dimension(frame.geometry, role, source)
    arr = frame.geometry.to_numpy().copy()
    ids = shapely.get_type_id(arr)
    # features of another dimension a role allows (parking: points and polygons) are kept as
    # they are; only collections are reduced to the layer's dimension
    collection = ids == _COLLECTION
    invalid = ~shapely.is_valid(arr) & ~collection
    if invalid.any():
        arr[invalid] = _keep_dimension(shapely.make_valid(arr[invalid]), dim)
        report.add_fix("repaired_invalid", int(invalid.sum()))
    if collection.any():
        reduced = _keep_dimension(shapely.make_valid(arr[collection]), dim)
        arr[collection] = reduced
        report.add_fix("collections_reduced", int(collection.sum()))
    gone = shapely.is_missing(arr) | shapely.is_empty(arr)
    report.add_fix("dropped_unrepairable", int((gone & ~collection).sum()))
    report.add_fix("dropped_collections", int((gone & collection).sum()))
    frame = frame.set_geometry(gpd.GeoSeries(arr, index=frame.index, crs=frame.crs))
    frame = frame.loc[~gone]
    if len(frame) == 0:
        raise EmptyLayerError(source, "no feature has a usable geometry after repair")
    kept = frame.geometry.to_numpy()
    multi = np.isin(shapely.get_type_id(kept), (4, 5, 6)) & (shapely.get_num_geometries(kept) > 1)
    report.add_fix("multipart_kept", int(multi.sum()))
    return frame
