"""A hand-made GeoPackage city whose layers hold broken features (WKB written by hand).

Twelve 30 m plots 500 m apart on a line (``P0`` ... ``P11``), a home north of each, two
parks and nine road segments. What the reader does with each broken feature is known by hand:

* plots: ``P1``, ``P11`` unclosed rings (repaired on reading); ``P2`` a ring of two points
  (dropped: nothing can be built); ``P3``, ``P10`` no geometry; ``P4``, ``P8`` bow-ties
  (made valid); ``P5`` a polygon along a line (nothing of a polygon left after repair);
* residential (no id column: features are named by row): feature 1 and feature 13 (far from
  every plot, outside every halo) unclosed, feature 7 a two-point ring, feature 10 no
  geometry, feature 11 a bow-tie;
* green: ``mid`` unclosed, ``none`` no geometry; roads: feature 4 a line of one point.
"""

from __future__ import annotations

import struct

import numpy as np
import pyogrio

CRS = "EPSG:4548"
X0, Y0 = 505_000.0, 4_320_000.0
N_PLOTS = 12
SPACING_M = 500.0


def _ring(pts: list[tuple[float, float]]) -> bytes:
    return struct.pack("<I", len(pts)) + b"".join(struct.pack("<dd", *p) for p in pts)


def polygon_wkb(ring: list[tuple[float, float]]) -> bytes:
    return b"\x01" + struct.pack("<II", 3, 1) + _ring(ring)


def line_wkb(pts: list[tuple[float, float]]) -> bytes:
    return b"\x01" + struct.pack("<I", 2) + _ring(pts)


def square(x: float, y: float, side: float) -> list[tuple[float, float]]:
    return [(x, y), (x + side, y), (x + side, y + side), (x, y + side), (x, y)]


def bow_tie(x: float, y: float, side: float) -> list[tuple[float, float]]:
    return [(x, y), (x + side, y + side), (x + side, y), (x, y + side), (x, y)]


def _write(path, layer: str, wkbs: list, fields: dict, kind: str) -> None:
    names = list(fields)
    pyogrio.raw.write(
        path,
        geometry=np.array(wkbs, dtype=object),
        field_data=[np.asarray(fields[n], dtype=object) for n in names],
        fields=names,
        layer=layer,
        driver="GPKG",
        geometry_type=kind,
        crs=CRS,
    )


def build(path):
    """Write the city to ``path`` (a .gpkg) and return it."""
    xs = X0 + SPACING_M * np.arange(N_PLOTS)
    plots: list = [polygon_wkb(square(x, Y0, 30.0)) for x in xs]
    plots[1] = polygon_wkb(square(xs[1], Y0, 30.0)[:-1])
    plots[2] = polygon_wkb([(xs[2], Y0), (xs[2] + 30.0, Y0)])
    plots[3] = None
    plots[4] = polygon_wkb(bow_tie(xs[4], Y0, 30.0))
    plots[5] = polygon_wkb([(xs[5], Y0), (xs[5] + 10, Y0 + 10), (xs[5] + 20, Y0 + 20), (xs[5], Y0)])
    plots[8] = polygon_wkb(bow_tie(xs[8], Y0, 30.0))
    plots[10] = None
    plots[11] = polygon_wkb(square(xs[11], Y0, 30.0)[:-1])
    _write(path, "plots", plots, {"plot_id": [f"P{i}" for i in range(N_PLOTS)]}, "MultiPolygon")
    homes: list = [polygon_wkb(square(x, Y0 + 60.0, 20.0)) for x in xs]
    homes[0] = polygon_wkb(square(xs[0], Y0 + 60.0, 20.0)[:-1])
    homes[6] = polygon_wkb([(xs[6], Y0 + 60.0), (xs[6] + 5.0, Y0 + 60.0)])
    homes[9] = None
    homes[10] = polygon_wkb(bow_tie(xs[10], Y0 + 60.0, 20.0))
    homes.append(polygon_wkb(square(X0 + 20_000.0, Y0 + 20_000.0, 20.0)[:-1]))
    _write(path, "residential", homes, {"population": [100.0] * len(homes)}, "MultiPolygon")
    green = [
        polygon_wkb(square(X0 - 600.0, Y0, 100.0)),
        None,
        polygon_wkb(square(X0 + 3000.0, Y0 + 200.0, 100.0)[:-1]),
    ]
    _write(path, "green", green, {"name": ["west", "none", "mid"]}, "MultiPolygon")
    ends = X0 - 1000.0 + 1000.0 * np.arange(9)
    roads = [line_wkb([(a, Y0 - 10.0), (a + 1000.0, Y0 - 10.0)]) for a in ends]
    roads[3] = line_wkb([(ends[3], Y0 - 10.0), (ends[3], Y0 - 10.0)])
    _write(path, "roads", roads, {"highway": ["residential"] * len(roads)}, "MultiLineString")
    return path


def to_geoparquet(gpkg, folder, *, covering=("plots",), row_group_size=4):
    """Write every layer of ``gpkg`` to ``folder/<layer>.parquet`` as GeoParquet 1.1.

    The WKB is copied as it is (broken rings stay broken); ``covering`` layers get the
    ``bbox`` covering column (the others' boxes are read from their geometries). Row groups
    of ``row_group_size`` rows, so that a part of a layer is a few row groups of several.
    """
    import json

    import pyarrow as pa
    import pyarrow.parquet as pq
    import pyproj
    import shapely

    from planner.io.geometry import geometries_from_wkb

    out = {}
    for layer in pyogrio.list_layers(gpkg)[:, 0]:
        meta, _, wkb, values = pyogrio.raw.read(gpkg, layer=layer)
        wkb = np.asarray(wkb, dtype=object)
        columns = {name: pa.array(v) for name, v in zip(meta["fields"], values, strict=True)}
        columns["geometry"] = pa.array(list(wkb), type=pa.binary())
        info = {
            "encoding": "WKB",
            "geometry_types": [],
            "crs": pyproj.CRS.from_user_input(CRS).to_json_dict(),
        }
        if layer in covering:
            b = shapely.bounds(geometries_from_wkb(wkb)[0])
            box = {k: pa.array(b[:, i]) for i, k in enumerate(("xmin", "ymin", "xmax", "ymax"))}
            columns["bbox"] = pa.StructArray.from_arrays(
                list(box.values()), names=list(box), mask=pa.array(np.isnan(b[:, 0]))
            )
            info["covering"] = {"bbox": {k: ["bbox", k] for k in box}}
        geo = {"version": "1.1.0", "primary_column": "geometry", "columns": {"geometry": info}}
        table = pa.table(columns).replace_schema_metadata({"geo": json.dumps(geo)})
        path = folder / f"{layer}.parquet"
        pq.write_table(table, path, row_group_size=row_group_size)
        out[str(layer)] = path
    return out
