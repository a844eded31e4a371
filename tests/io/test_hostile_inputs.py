"""Hostile inputs through the real command line (issue 13): every file a user can give ends
in a correct result or one ``error: <file>: <problem>`` line, exit status 2, no traceback and
no output file left behind.

Fixtures are built in ``tmp_path``: small hand-made layers near the demo district (Tianjin,
CGCS2000 3-degree Gauss-Kruger CM 117E) or the demo's own plots where a full set of layers
is needed.
"""

from __future__ import annotations

import io
import json
import sqlite3
import stat
import struct
import zipfile
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from shapely.geometry import box

from planner.cli import main
from planner.io import load_layer
from tests.conftest import METRIC, X0, Y0

LON0, LAT0 = 117.20, 39.10  # Tianjin
PASSWD = Path("/etc/passwd")
#: A line that is in /etc/passwd on every Linux system the tests run on.
PASSWD_MARK = "root:"


# --- helpers --------------------------------------------------------------------------------


def run(capsys, *args) -> tuple[int, str, str]:
    code = main([str(a) for a in args])
    out = capsys.readouterr()
    return code, out.out, out.err


def assert_refused(
    code: int,
    out: str,
    err: str,
    file: Path | str,
    *texts: str,
    folder: Path | None = None,
    before: set[Path] | None = None,
) -> str:
    """Exit 2, exactly one ``error:`` line (the last) naming ``file``, no traceback, no output."""
    assert code == 2, err
    assert "Traceback" not in out + err
    errors = [line for line in err.splitlines() if line.startswith("error:")]
    assert len(errors) == 1, err
    assert err.rstrip().splitlines()[-1] == errors[0]
    assert str(file) in errors[0], errors[0]
    for text in texts:
        assert text in errors[0], errors[0]
    if folder is not None:  # nothing new: no output, no partial or temporary file
        assert set(folder.rglob("*")) == before
    return errors[0]


def files_in(folder: Path) -> set[Path]:
    return set(folder.rglob("*"))


def feature(geometry, **props) -> dict:
    return {"type": "Feature", "properties": props, "geometry": geometry}


def square(x: float, y: float, size: float = 0.001, z: float | None = None) -> dict:
    ring = [[x, y], [x + size, y], [x + size, y + size], [x, y + size], [x, y]]
    if z is not None:
        ring = [[*p, z] for p in ring]
    return {"type": "Polygon", "coordinates": [ring]}


def write_geojson(path: Path, features: list[dict], crs: str | None = None) -> Path:
    doc: dict = {"type": "FeatureCollection", "features": features}
    if crs is not None:
        doc["crs"] = {"type": "name", "properties": {"name": crs}}
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


def metric_plots(path: Path, geoms, ids) -> Path:
    gpd.GeoDataFrame({"plot_id": list(ids)}, geometry=list(geoms), crs=METRIC).to_file(
        path, driver="GPKG", layer="plots"
    )
    return path


def score_csv(capsys, tmp_path: Path, *args) -> tuple[int, str, str, Path]:
    out = tmp_path / "out" / "candidates.csv"
    out.parent.mkdir(exist_ok=True)
    code, stdout, err = run(capsys, "score", *args, "--out", out, "-q", "--workers", 1)
    return code, stdout, err, out


def read_csv(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, encoding="utf-8-sig", dtype={"plot_id": str})


def measured_gpkg(path: Path, wkts: list[str], *, z: int, m: int) -> Path:
    """A GeoPackage whose geometries are the ISO WKB of ``wkts`` (Z, M or ZM) — pyogrio
    cannot write M, so the blobs are put in with sqlite after writing placeholders."""
    frame = gpd.GeoDataFrame(
        {"plot_id": [f"m{i}" for i in range(len(wkts))]},
        geometry=[box(0, 0, 1, 1)] * len(wkts),
        crs="EPSG:4326",
    )
    frame.to_file(path, driver="GPKG", layer="plots")
    con = sqlite3.connect(path)
    try:
        for (name,) in con.execute(
            "SELECT name FROM sqlite_master WHERE type='trigger'"
        ).fetchall():
            con.execute(f'DROP TRIGGER "{name}"')  # the rtree triggers need spatialite
        con.execute("DROP TABLE IF EXISTS rtree_plots_geom")
        con.execute("DELETE FROM gpkg_extensions WHERE table_name = 'plots'")
        fids = [r[0] for r in con.execute("SELECT fid FROM plots ORDER BY fid")]
        for fid, wkt in zip(fids, wkts, strict=True):
            wkb = shapely.to_wkb(shapely.from_wkt(wkt), flavor="iso")
            header = b"GP" + bytes([0, 0b00000001]) + struct.pack("<i", 4326)  # no envelope
            con.execute("UPDATE plots SET geom = ? WHERE fid = ?", (header + wkb, fid))
        con.execute("UPDATE gpkg_geometry_columns SET z = ?, m = ?", (z, m))
        con.execute(
            "UPDATE gpkg_contents SET min_x = NULL, min_y = NULL, max_x = NULL, max_y = NULL"
        )
        con.commit()
    finally:
        con.close()
    return path


def lonlat_ring(x: float, y: float, size: float = 0.001, zm: str = "") -> str:
    extra = {"": "", "Z": " 5", "M": " 1", "ZM": " 5 1"}[zm]
    pts = [(x, y), (x + size, y), (x + size, y + size), (x, y + size), (x, y)]
    return ", ".join(f"{px} {py}{extra}" for px, py in pts)


# --- geometries: null, empty, collections, Z/M, bow-ties, huge polygons ----------------------


def test_null_and_empty_geometries_are_dropped_counted_and_scoring_runs(tmp_path, capsys):
    src = write_geojson(
        tmp_path / "plots.geojson",
        [
            feature(square(LON0, LAT0), plot_id="a"),
            feature(None, plot_id="b"),
            feature({"type": "Polygon", "coordinates": []}, plot_id="c"),
            feature(square(LON0 + 0.002, LAT0), plot_id="d"),
        ],
    )
    _, report = load_layer(src, role="plots")
    assert report.fixes["dropped_null"] == 1 and report.fixes["dropped_empty"] == 1
    code, _, err, out = score_csv(capsys, tmp_path, "--plots", src)
    assert code == 0, err
    assert "Traceback" not in err
    assert sorted(read_csv(out)["plot_id"]) == ["a", "d"]


def test_only_null_geometries_is_one_error_naming_the_file(tmp_path, capsys):
    src = write_geojson(
        tmp_path / "plots.geojson", [feature(None, plot_id="b"), feature(None, plot_id="c")]
    )
    before = files_in(tmp_path)
    code, out, err, _ = score_csv(capsys, tmp_path, "--plots", src)
    # the output folder score_csv made is new; nothing is inside it
    assert_refused(code, out, err, src, folder=tmp_path, before=before | {tmp_path / "out"})


def test_geometry_collections_keep_their_polygons(tmp_path, capsys):
    gc = {
        "type": "GeometryCollection",
        "geometries": [
            square(LON0, LAT0),
            {"type": "Point", "coordinates": [LON0, LAT0]},
            {"type": "LineString", "coordinates": [[LON0, LAT0], [LON0 + 1e-3, LAT0]]},
        ],
    }
    only_points = {
        "type": "GeometryCollection",
        "geometries": [{"type": "Point", "coordinates": [LON0, LAT0]}],
    }
    src = write_geojson(
        tmp_path / "plots.geojson",
        [
            feature(gc, plot_id="gc"),
            feature(only_points, plot_id="pts"),
            feature(square(LON0 + 0.002, LAT0), plot_id="plain"),
        ],
    )
    frame, report = load_layer(src, role="plots")
    assert report.fixes["collections_reduced"] == 2
    assert report.fixes["dropped_collections"] == 1
    assert set(frame.geometry.geom_type) == {"Polygon"}
    code, _, err, out = score_csv(capsys, tmp_path, "--plots", src)
    assert code == 0, err
    table = read_csv(out).set_index("plot_id")
    assert sorted(table.index) == ["gc", "plain"]
    # the collection's polygon is the same square as the plain one: the same area
    assert table.loc["gc", "area_m2"] == pytest.approx(table.loc["plain", "area_m2"], rel=1e-3)


def test_3d_coordinates_score_like_2d(tmp_path, capsys):
    flat = write_geojson(
        tmp_path / "flat.geojson", [feature(square(LON0, LAT0, 0.002), plot_id="a")]
    )
    high = write_geojson(
        tmp_path / "high.geojson", [feature(square(LON0, LAT0, 0.002, z=35.0), plot_id="a")]
    )
    code, _, err, out = score_csv(capsys, tmp_path, "--plots", flat)
    assert code == 0, err
    expected = read_csv(out)
    code, _, err, out = score_csv(capsys, tmp_path, "--plots", high)
    assert code == 0, err
    got = read_csv(out)
    assert got["area_m2"].iloc[0] == pytest.approx(expected["area_m2"].iloc[0])
    assert got["park_score"].iloc[0] == pytest.approx(expected["park_score"].iloc[0])


@pytest.mark.parametrize("zm", ["M", "ZM"])
def test_measured_coordinates_score_like_2d(tmp_path, capsys, zm):
    wkts = [f"POLYGON {zm} (({lonlat_ring(LON0, LAT0, 0.002, zm)}))"]
    src = measured_gpkg(tmp_path / f"{zm}.gpkg", wkts, z=int("Z" in zm), m=1)
    flat = write_geojson(
        tmp_path / "flat.geojson", [feature(square(LON0, LAT0, 0.002), plot_id="m0")]
    )
    code, _, err, out = score_csv(capsys, tmp_path, "--plots", flat)
    assert code == 0, err
    expected = read_csv(out)["area_m2"].iloc[0]
    code, _, err, out = score_csv(capsys, tmp_path, "--plots", src)
    assert code == 0, err
    assert "Traceback" not in err
    assert read_csv(out)["area_m2"].iloc[0] == pytest.approx(expected)


def test_bowtie_is_repaired_with_the_area_of_both_triangles(tmp_path, capsys):
    # (0,0)-(20,20)-(20,0)-(0,20): two triangles of 20 m base and 10 m height, 100 m² each
    ring = [(X0, Y0), (X0 + 20, Y0 + 20), (X0 + 20, Y0), (X0, Y0 + 20), (X0, Y0)]
    bowtie = shapely.Polygon(ring)
    assert not bowtie.is_valid
    src = metric_plots(tmp_path / "plots.gpkg", [bowtie], ["bowtie"])
    _, report = load_layer(src, role="plots")
    assert report.fixes["repaired_invalid"] == 1
    code, _, err, out = score_csv(capsys, tmp_path, "--plots", src)
    assert code == 0, err
    assert read_csv(out)["area_m2"].iloc[0] == pytest.approx(200.0)


def test_unclosed_and_two_point_rings_are_repaired_or_dropped(tmp_path, capsys):
    unclosed = {
        "type": "Polygon",
        "coordinates": [
            [[LON0, LAT0], [LON0 + 1e-3, LAT0], [LON0 + 1e-3, LAT0 + 1e-3], [LON0, LAT0 + 1e-3]]
        ],
    }
    two_points = {"type": "Polygon", "coordinates": [[[LON0, LAT0], [LON0 + 1e-3, LAT0]]]}
    src = write_geojson(
        tmp_path / "plots.geojson",
        [
            feature(unclosed, plot_id="open"),
            feature(two_points, plot_id="two"),
            feature(square(LON0 + 0.002, LAT0), plot_id="ok"),
        ],
    )
    frame, report = load_layer(src, role="plots")
    assert sorted(frame["plot_id"]) == ["ok", "open"]
    assert sum(report.fixes.values()) >= 2  # one repaired, one dropped, each counted
    code, _, err, out = score_csv(capsys, tmp_path, "--plots", src)
    assert code == 0, err
    table = read_csv(out).set_index("plot_id")
    assert table.loc["open", "area_m2"] == pytest.approx(table.loc["ok", "area_m2"], rel=1e-3)
    only_bad = write_geojson(tmp_path / "bad.geojson", [feature(two_points, plot_id="two")])
    before = files_in(tmp_path)
    code, out_, err, _ = score_csv(capsys, tmp_path, "--plots", only_bad)
    assert_refused(code, out_, err, only_bad, folder=tmp_path, before=before)


def test_a_100000_vertex_polygon_scores(tmp_path, capsys):
    # how long it takes is measured in benchmarks/bench_io.py, not here
    n = 100_000
    t = np.linspace(0.0, 2.0 * np.pi, n, endpoint=False)
    r = 40.0 + 3.0 * np.sin(50.0 * t)  # a wavy 40 m round plot, 2.5 mm between vertices
    wavy = shapely.Polygon(np.column_stack([X0 + r * np.cos(t), Y0 + r * np.sin(t)]))
    assert wavy.is_valid and shapely.get_num_coordinates(wavy) == n + 1
    src = metric_plots(
        tmp_path / "plots.gpkg", [wavy, box(X0 + 200, Y0, X0 + 250, Y0 + 40)], ["wavy", "box"]
    )
    code, _, err, out = score_csv(capsys, tmp_path, "--plots", src)
    assert code == 0, err
    table = read_csv(out).set_index("plot_id")
    assert table.loc["wavy", "area_m2"] == pytest.approx(wavy.area, abs=1.0)
    assert table.loc["box", "area_m2"] == pytest.approx(2000.0)


# --- coordinates that do not fit their CRS ----------------------------------------------------


def test_latitude_longitude_swapped_is_refused(tmp_path, capsys):
    # Beijing given as (39.9, 116.4): latitude 116.4 does not exist
    ring = [[39.9, 116.4], [39.901, 116.4], [39.901, 116.401], [39.9, 116.401], [39.9, 116.4]]
    src = write_geojson(
        tmp_path / "beijing.geojson",
        [feature({"type": "Polygon", "coordinates": [ring]}, plot_id="a")],
    )
    before = files_in(tmp_path)
    code, out, err, _ = score_csv(capsys, tmp_path, "--plots", src)
    assert_refused(code, out, err, src, "swap", folder=tmp_path, before=before | {tmp_path / "out"})
    table = tmp_path / "pois.csv"  # a table with the columns the wrong way round
    table.write_text("name,lon,lat\nstation,39.9,116.4\n", encoding="utf-8")
    code, out, err = run(capsys, "inspect", table)
    assert_refused(code, out, err, table, "swap")


def test_swapped_coordinates_that_still_exist_warn(tmp_path, capsys):
    # Urumqi (87.6 E, 43.8 N) given as (43.8, 87.6) is a valid point in the Arctic
    table = tmp_path / "pois.csv"
    table.write_text("name,lon,lat\nmarket,43.8,87.6\n", encoding="utf-8")
    code, out, err = run(capsys, "inspect", table)
    assert code == 0, err
    assert "swapped they would lie in China" in out


def test_projected_numbers_in_a_wgs84_file_are_refused(tmp_path, capsys):
    ring = [
        [500000, 4400000],
        [500100, 4400000],
        [500100, 4400100],
        [500000, 4400100],
        [500000, 4400000],
    ]
    src = write_geojson(
        tmp_path / "plots.geojson",
        [feature({"type": "Polygon", "coordinates": [ring]}, plot_id="a")],
    )
    before = files_in(tmp_path)
    code, out, err, _ = score_csv(capsys, tmp_path, "--plots", src)
    assert_refused(
        code, out, err, src, "metres", "--crs", folder=tmp_path, before=before | {tmp_path / "out"}
    )


def test_infinite_coordinates_are_refused(tmp_path, capsys):
    table = tmp_path / "pois.csv"
    table.write_text("name,lon,lat\nstation,117.2,39.1\nmarket,inf,39.1\n", encoding="utf-8")
    code, out, err = run(capsys, "inspect", table)
    assert_refused(code, out, err, table, "infinite coordinates")


def test_degrees_under_a_projected_crs_are_refused(tmp_path, capsys):
    # a .prj saying Gauss-Kruger CM 117E over longitude/latitude numbers: read in metres the
    # plot would be a square millimetre on the equator
    src = tmp_path / "plots.gpkg"
    gpd.GeoDataFrame(
        {"plot_id": ["a"]}, geometry=[box(LON0, LAT0, LON0 + 1e-3, LAT0 + 1e-3)], crs=METRIC
    ).to_file(src, driver="GPKG", layer="plots")
    before = files_in(tmp_path)
    code, out, err, _ = score_csv(capsys, tmp_path, "--plots", src)
    assert_refused(
        code,
        out,
        err,
        src,
        "look like longitude/latitude",
        "--crs EPSG:4326",
        folder=tmp_path,
        before=before | {tmp_path / "out"},
    )
    code, _, err, out_file = score_csv(capsys, tmp_path, "--plots", src, "--crs", "EPSG:4326")
    assert code == 0, err
    assert read_csv(out_file)["area_m2"].iloc[0] == pytest.approx(86.4 * 111.0, rel=0.02)


@pytest.mark.parametrize(
    "crs, text", [("EPSG:4326", "metres"), ("EPSG:5773", "vertical"), ("EPSG:4978", "geocentric")]
)
def test_a_crs_that_cannot_be_the_coordinates_is_refused(tmp_path, capsys, crs, text):
    src = metric_plots(tmp_path / "plots.gpkg", [box(X0, Y0, X0 + 50, Y0 + 40)], ["a"])
    before = files_in(tmp_path)
    code, out, err, _ = score_csv(capsys, tmp_path, "--plots", src, "--crs", crs)
    assert_refused(code, out, err, src, text, folder=tmp_path, before=before | {tmp_path / "out"})
    code, out, err = run(capsys, "inspect", src, "--crs", crs)
    assert_refused(code, out, err, src, text)


# --- files that are not what they say ---------------------------------------------------------


@pytest.mark.parametrize(
    "name, content",
    [
        ("plots.geojson", "this is not json {"),
        ("plots.geojson", '{"type": "FeatureCollection", "features": ['),  # truncated
        ("plots.gpkg", "just some text\n"),
        ("plots.kml", "<kml><Document><Placemark>"),
    ],
)
def test_a_file_that_is_not_its_format_is_one_error(tmp_path, capsys, name, content):
    src = tmp_path / name
    src.write_text(content, encoding="utf-8")
    before = files_in(tmp_path)
    code, out, err, _ = score_csv(capsys, tmp_path, "--plots", src)
    assert_refused(code, out, err, src, folder=tmp_path, before=before | {tmp_path / "out"})
    code, out, err = run(capsys, "inspect", src)
    assert_refused(code, out, err, src)


def test_overflowing_numbers_and_deep_nesting_in_geojson_are_one_error(tmp_path, capsys):
    huge = tmp_path / "huge.geojson"  # 1e400 overflows a double
    huge.write_text(
        '{"type": "FeatureCollection", "features": [{"type": "Feature", '
        '"properties": {}, "geometry": {"type": "Point", "coordinates": '
        "[1e400, 39.1]}}]}",
        encoding="utf-8",
    )
    deep = tmp_path / "deep.geojson"  # 100,000 nested arrays in a property
    deep.write_text(
        '{"type": "FeatureCollection", "features": [{"type": "Feature", '
        '"properties": {"x": ' + "[" * 100_000 + "]" * 100_000 + "}, "
        '"geometry": {"type": "Point", "coordinates": [117.2, 39.1]}}]}',
        encoding="utf-8",
    )
    for src in (huge, deep):
        code, out, err = run(capsys, "inspect", src)
        assert_refused(code, out, err, src)


def test_xlsx_external_entity_is_never_expanded(tmp_path, capsys):
    import openpyxl

    book = openpyxl.Workbook()
    book.active.append(["name", "lon", "lat"])
    book.active.append(["MARK", LON0, LAT0])
    plain = tmp_path / "plain.xlsx"
    book.save(plain)
    src = tmp_path / "pois.xlsx"
    doctype = (
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file://'
        + str(PASSWD).encode()
        + b'">]>'
    )
    with zipfile.ZipFile(plain) as zin, zipfile.ZipFile(src, "w") as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            if b"MARK" in data:  # the shared strings (or the sheet's inline string)
                data = doctype + data.split(b"?>", 1)[-1].replace(b"MARK", b"&xxe;")
            zout.writestr(info, data)
    code, out, err = run(capsys, "inspect", src, "--json")
    assert PASSWD_MARK not in out + err
    assert code in (0, 2) and "Traceback" not in err
    if code == 2:
        assert_refused(code, out, err, src)


_KML_BODY = (
    '<kml xmlns="http://www.opengis.net/kml/2.2"><Document><Placemark>'
    "<name>{name}</name><Polygon><outerBoundaryIs><LinearRing><coordinates>"
    "117.2,39.1 117.201,39.1 117.201,39.101 117.2,39.101 117.2,39.1"
    "</coordinates></LinearRing></outerBoundaryIs></Polygon></Placemark>"
    "</Document></kml>"
)


def test_kml_external_entity_is_never_expanded(tmp_path, capsys):
    assert PASSWD_MARK in PASSWD.read_text(encoding="utf-8", errors="replace")
    src = tmp_path / "plots.kml"
    src.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE kml [<!ENTITY xxe SYSTEM '
        f'"file://{PASSWD}">]>\n' + _KML_BODY.format(name="&xxe;"),
        encoding="utf-8",
    )
    code, out, err, csv_out = score_csv(capsys, tmp_path, "--plots", src)
    written = csv_out.read_text(encoding="utf-8-sig") if csv_out.exists() else ""
    assert PASSWD_MARK not in out + err + written
    assert code in (0, 2) and "Traceback" not in err
    if code == 2:
        assert_refused(code, out, err, src)
    code, out, err = run(capsys, "inspect", src, "--json")
    assert PASSWD_MARK not in out + err
    assert "Traceback" not in err


def test_kml_billion_laughs_is_not_expanded(tmp_path, capsys):
    entities = '<!ENTITY lol "lol">' + "".join(
        f'<!ENTITY lol{i} "' + f"&lol{i - 1 if i > 1 else ''};" * 10 + '">' for i in range(1, 10)
    )
    src = tmp_path / "plots.kml"
    src.write_text(
        f'<?xml version="1.0"?>\n<!DOCTYPE kml [{entities}]>\n' + _KML_BODY.format(name="&lol9;"),
        encoding="utf-8",
    )
    code, out, err = run(capsys, "inspect", src)
    assert "lollollol" not in out + err  # 10^9 "lol"s were not built
    assert code in (0, 2) and "Traceback" not in err
    if code == 2:
        assert_refused(code, out, err, src)


# --- archives ---------------------------------------------------------------------------------


def _geojson_bytes() -> bytes:
    return json.dumps(
        {"type": "FeatureCollection", "features": [feature(square(LON0, LAT0), plot_id="a")]}
    ).encode()


def test_zip_in_zip_is_refused(tmp_path, capsys):
    inner = io.BytesIO()
    with zipfile.ZipFile(inner, "w") as zf:
        zf.writestr("plots.geojson", _geojson_bytes())
    src = tmp_path / "upload.zip"
    with zipfile.ZipFile(src, "w") as zf:
        zf.writestr("inner.zip", inner.getvalue())
    before = files_in(tmp_path)
    code, out, err, _ = score_csv(capsys, tmp_path, "--plots", src)
    assert_refused(
        code,
        out,
        err,
        src,
        "archive inside the archive",
        folder=tmp_path,
        before=before | {tmp_path / "out"},
    )


def test_encrypted_zip_entry_is_one_error(tmp_path, capsys):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_STORED) as zf:
        zf.writestr("plots.geojson", _geojson_bytes())
    data = bytearray(buf.getvalue())
    data[6] |= 0x1  # general-purpose flag bit 0 (encrypted), local header ...
    cd = data.find(b"PK\x01\x02")
    data[cd + 8] |= 0x1  # ... and central directory
    src = tmp_path / "locked.zip"
    src.write_bytes(bytes(data))
    before = files_in(tmp_path)
    code, out, err, _ = score_csv(capsys, tmp_path, "--plots", src)
    assert_refused(
        code, out, err, src, "encrypted", folder=tmp_path, before=before | {tmp_path / "out"}
    )
    code, out, err = run(capsys, "inspect", src)
    assert_refused(code, out, err, src, "encrypted")


def test_damaged_zip_entry_is_one_error(tmp_path, capsys):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("plots.geojson", _geojson_bytes() * 5)
    data = bytearray(buf.getvalue())
    start = 30 + len("plots.geojson") + 10  # inside the deflate stream of the one entry
    data[start : start + 40] = bytes(b ^ 0xFF for b in data[start : start + 40])
    src = tmp_path / "damaged.zip"
    src.write_bytes(bytes(data))
    before = files_in(tmp_path)
    code, out, err, _ = score_csv(capsys, tmp_path, "--plots", src)
    assert_refused(
        code, out, err, src, "damaged", folder=tmp_path, before=before | {tmp_path / "out"}
    )
    code, out, err = run(capsys, "inspect", src)
    assert_refused(code, out, err, src, "damaged")


def test_symlink_entry_is_refused_and_never_followed(tmp_path, capsys):
    src = tmp_path / "link.zip"
    with zipfile.ZipFile(src, "w") as zf:
        info = zipfile.ZipInfo("plots.geojson")
        info.external_attr = (stat.S_IFLNK | 0o777) << 16
        zf.writestr(info, str(PASSWD))
    before = files_in(tmp_path)
    code, out, err, _ = score_csv(capsys, tmp_path, "--plots", src)
    assert_refused(
        code, out, err, src, "symbolic link", folder=tmp_path, before=before | {tmp_path / "out"}
    )
    assert PASSWD_MARK not in out + err
    code, out, err = run(capsys, "inspect", src, "--json")
    assert_refused(code, out, err, src, "symbolic link")


# --- planner inspect --------------------------------------------------------------------------


def test_inspect_prints_terminal_escapes_from_the_data_escaped(tmp_path, capsys):
    hostile = "\x1b]0;pwned\x07\x1b[2J"
    others = "\x9b31m\u202etxt.exe"  # one-byte CSI, right-to-left override
    src = write_geojson(
        tmp_path / "plots.geojson",
        [
            feature(square(LON0, LAT0), plot_id="a", name=hostile),
            feature(square(LON0 + 0.002, LAT0), plot_id="b", name=others),
        ],
    )
    code, out, err = run(capsys, "inspect", src)
    assert code == 0, err
    for raw in ("\x1b", "\x07", "\x9b", "\u202e"):
        assert raw not in out + err
    assert "\\x1b]0;pwned\\x07\\x1b[2J" in out
    assert "\\x9b31m\\u202etxt.exe" in out
    code, out, err = run(capsys, "inspect", src, "--json")
    assert code == 0, err
    for raw in ("\x1b", "\x07", "\x9b", "\u202e"):
        assert raw not in out
    (layer,) = json.loads(out)["layers"]
    assert layer["samples"]["name"] == [hostile, others]  # escaped, not altered


def test_inspect_empty_folder_is_one_error(tmp_path, capsys):
    folder = tmp_path / "nothing here"
    folder.mkdir()
    (folder / "readme.txt").write_text("no data", encoding="utf-8")
    code, out, err = run(capsys, "inspect", folder)
    assert_refused(code, out, err, folder, "no GIS dataset")


# --- configuration ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, key",
    [
        ("[weights.pocket_park]\ngreen_gap = inf\n", "weights.pocket_park.green_gap"),
        ("[weights.pocket_park]\ngreen_gap = nan\n", "weights.pocket_park.green_gap"),
        ("[weights.parking]\ndemand = true\n", "weights.parking.demand"),
        ("[thresholds]\ngreen_radius_m = inf\n", "thresholds.green_radius_m"),
        ("[assumptions]\ndefault_floors = false\n", "assumptions.default_floors"),
        ("[thresholds.poi_weights]\nbank = 2\n", "unknown POI category 'bank'"),
        ("[thresholds.poi_weights]\nschool = nan\n", "thresholds.poi_weights.school"),
        ("[parking.daytime_vehicles_per_poi]\nzoo = 3\n", "unknown POI category 'zoo'"),
        ("[thresholds]\npoi_weights = 3\n", "[thresholds.poi_weights] must be a table"),
        ("weights = 3\n", "[weights] must be a table"),
        (
            '[transforms.green_gap]\nkind = "linear"\nzero_at = 0\nfull_at = inf\n',
            "transforms.green_gap.full_at",
        ),
        ('[transforms.green_gap]\nkind = ["linear"]\n', "transforms.green_gap.kind"),
    ],
)
def test_bad_config_values_are_refused_naming_the_key(tmp_path, capsys, text, key):
    cfg = tmp_path / "weights.toml"
    cfg.write_text(text, encoding="utf-8")
    before = files_in(tmp_path)
    code, out, err, _ = score_csv(capsys, tmp_path, "--demo", "--config", cfg)
    assert_refused(code, out, err, cfg, key, folder=tmp_path, before=before | {tmp_path / "out"})


# --- commands: select's k, duplicate ids ------------------------------------------------------


def test_select_k_beyond_the_plots_is_capped_with_a_note(tmp_path, capsys):
    out = tmp_path / "selected.csv"
    curve = tmp_path / "curve.csv"
    code, _, err = run(
        capsys,
        "select",
        "--demo",
        "--use",
        "pocket_park",
        "--k",
        100_000,
        "--curve",
        curve,
        "--out",
        out,
        "-q",
        "--workers",
        1,
    )
    assert code == 0, err
    notes = [line for line in err.splitlines() if line.startswith("note: --k 100000")]
    assert len(notes) == 1, err
    table = read_csv(out)
    feasible = int(table["park_feasible"].sum())
    assert f"more than the {feasible} of 99 plot(s)" in notes[0]
    assert f"k = {feasible} used" in notes[0]
    assert 0 < int(table["selected"].sum()) <= feasible
    points = pd.read_csv(curve, encoding="utf-8-sig")
    assert points["sites"].tolist() == list(range(feasible + 1))
    assert points["covered_residents"].is_monotonic_increasing


def test_duplicate_plot_ids_are_renamed_with_a_note(tmp_path, capsys):
    from planner.data.demo import load_demo

    plots = load_demo().plots.iloc[:4].copy()
    plots["plot_id"] = ["A", "A", "B", "A"]
    src = tmp_path / "plots.gpkg"
    plots.to_file(src, driver="GPKG", layer="plots")
    code, _, err, out = score_csv(capsys, tmp_path, "--demo", "--plots", src)
    assert code == 0, err
    assert sorted(read_csv(out)["plot_id"]) == ["A", "A-2", "A-3", "B"]
    notes = [line for line in err.splitlines() if "not unique" in line]
    assert len(notes) == 1, err
    assert notes[0].startswith(f"note: {src}: plot_id is not unique")
    assert "('A')" in notes[0] and "'A' -> 'A-2', 'A' -> 'A-3'" in notes[0]


def test_plots_dropped_in_preparation_are_noted():
    from planner.layers import Layers, prepare_layers

    plots = gpd.GeoDataFrame(
        {"plot_id": ["keep", "gone"]}, geometry=[box(X0, Y0, X0 + 30, Y0 + 30), None], crs=METRIC
    )
    prepared = prepare_layers(Layers(plots=plots, sources={"plots": "p.gpkg"}))
    assert prepared.plots["plot_id"].tolist() == ["keep"]
    assert prepared.notes == [
        "p.gpkg: 1 plot(s) dropped because they have no geometry (null or empty): plot_id 'gone'"
    ]


@pytest.mark.parametrize("min_segments", [0, 5])
def test_layout_pairs_from_the_tree_equal_every_pair(monkeypatch, min_segments):
    # the STRtree path (taken above _ALL_PAIRS_MAX pairs for frames of more than
    # _TREE_MIN_SEGMENTS segments, e.g. a 100,000-vertex plot) gives the same stalls as
    # forming every pair, on every demo plot: all frames in the tree (0), or the frames of
    # more than 5 segments in the tree and the others paired whole (5)
    from planner.data.demo import load_demo
    from planner.layers import prepare_layers
    from planner.parking import layout

    layers = prepare_layers(load_demo())
    expected = layout.layout_plots(layers.plots, layers.roads, geometry=False).summary
    monkeypatch.setattr(layout, "_ALL_PAIRS_MAX", 0)
    monkeypatch.setattr(layout, "_TREE_MIN_SEGMENTS", min_segments)
    got = layout.layout_plots(layers.plots, layers.roads, geometry=False).summary
    pd.testing.assert_frame_equal(got, expected)
    assert expected["stalls"].sum() > 0
    edges = shapely.get_num_coordinates(layers.plots.geometry.exterior.to_numpy()) - 1
    assert (edges > 5).any() and (edges <= 5).any()  # both paths taken with 5
