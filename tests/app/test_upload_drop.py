"""One drop, several roles: planner.app.uploads.read_drop and Project.set_role."""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import pytest
from shapely.geometry import LineString, Point, box

from planner.app.state import drop_message
from planner.app.uploads import Project, layer_summary, read_drop
from planner.errors import GeometryTypeError
from tests.io_helpers import folder_files, write_shapefile, zip_bytes

HAIDIAN = Path(__file__).resolve().parents[3] / "shared" / "data" / "haidian_cau.osm"
LON, LAT = 116.35, 40.0

PLOTS = gpd.GeoDataFrame(
    {"编号": ["A1", "A2"], "名称": ["东门边角地", "<img src=x onerror=alert(1)>"]},
    geometry=[
        box(LON, LAT, LON + 0.0005, LAT + 0.0004),
        box(LON + 0.002, LAT, LON + 0.0026, LAT + 0.0005),
    ],
    crs="EPSG:4326",
)
GREEN = gpd.GeoDataFrame(
    {"name": ["小游园"]},
    geometry=[box(LON + 0.004, LAT, LON + 0.005, LAT + 0.001)],
    crs="EPSG:4326",
)
HOMES = gpd.GeoDataFrame(
    {"population": [300, 450]},
    geometry=[Point(LON + 0.001, LAT + 0.002), Point(LON, LAT + 0.003)],
    crs="EPSG:4326",
)
ROADS = gpd.GeoDataFrame(
    {"highway": ["residential"]},
    geometry=[LineString([(LON, LAT - 0.0002), (LON + 0.006, LAT - 0.0002)])],
    crs="EPSG:4326",
)


def _gbk_zip(tmp_path: Path) -> bytes:
    folder = tmp_path / "shp"
    write_shapefile(folder, "闲置地块", PLOTS, encoding="GBK", cpg=False, ldid=0x4D)
    return zip_bytes(folder_files(folder))


def test_a_zipped_gbk_shapefile_and_a_geojson_fill_two_roles(tmp_path):
    drop = read_drop({"plots.zip": _gbk_zip(tmp_path), "绿地.geojson": GREEN.to_json().encode()})
    assert drop.problems == []
    roles = {lay.role: lay for lay in drop.layers}
    assert set(roles) == {"plots", "green"}
    assert roles["plots"].frame["名称"].tolist() == PLOTS["名称"].tolist()  # GBK decoded
    assert roles["plots"].why and roles["green"].why
    project = Project()
    for lay in drop.layers:
        project.add(lay)
    layers = project.to_layers()
    assert len(layers.plots) == 2 and len(layers.green) == 1


def test_one_geopackage_fills_every_role_it_holds(tmp_path):
    gpkg = tmp_path / "mine.gpkg"
    for name, frame in (("候选地块", PLOTS), ("homes", HOMES), ("layer_3", ROADS)):
        frame.to_file(gpkg, layer=name, engine="pyogrio")
    drop = read_drop({"mine.gpkg": gpkg.read_bytes()})
    got = {lay.report["source"]: lay.role for lay in drop.layers}
    assert got == {
        "mine.gpkg:候选地块": "plots",
        "mine.gpkg:homes": "residential",
        "mine.gpkg:layer_3": "roads",
    }


def test_an_osm_extract_fills_its_roles_by_tag():
    drop = read_drop({"haidian_cau.osm": HAIDIAN.read_bytes()})
    assert drop.problems == []
    roles = {lay.role for lay in drop.layers}
    assert {"plots", "green", "residential", "roads", "parking", "pois"} <= roles
    assert all(lay.why == (("osm", ""),) for lay in drop.layers)


def test_a_bad_file_is_a_problem_and_the_rest_is_read(tmp_path):
    drop = read_drop(
        {
            "plots.geojson": PLOTS.to_json().encode(),
            "broken.gpkg": b"this is not a geopackage",
            "orphan.dbf": b"\x03",
            "evil.zip": zip_bytes({"../../etc/x.shp": b"x"}),
        }
    )
    assert [lay.role for lay in drop.layers] == ["plots"]
    named = sorted(name for name, _ in drop.problems)
    assert named == ["broken.gpkg", "evil.zip", "orphan.dbf"]
    assert all("\n" not in msg for _, msg in drop.problems)
    # each problem names the file dropped, never the private folder it was read from
    assert all("planner-upload" not in msg for _, msg in drop.problems), drop.problems
    assert "broken.gpkg: " in dict(drop.problems)["broken.gpkg"]


def test_notes_of_reading_reach_the_page_in_its_language(tmp_path):
    # the plots' second ring is not closed (GDAL closes it); the green space has no .prj
    plots = json.loads(PLOTS.to_json())
    ring = plots["features"][1]["geometry"]["coordinates"][0]
    plots["features"][1]["geometry"]["coordinates"][0] = ring[:-1]
    folder = tmp_path / "green"
    write_shapefile(folder, "绿地", GREEN, prj=False)
    drop = read_drop({"地块.geojson": json.dumps(plots).encode(), **folder_files(folder)})
    assert drop.problems == []
    project = Project()
    for lay in drop.layers:
        project.add(lay)
    kind, zh = drop_message(project, "zh")
    _, en = drop_message(project, "en")
    assert kind == "warning"
    # the feature is named by its GeoJSON id ("1": the second feature)
    assert "1 geometry repaired on reading" in en and en.endswith(": 1")
    assert "读取时修复了 1 个几何图形" in zh and zh.endswith("：1")
    assert "repaired on reading" not in zh
    reports = {role: lay.report for role, lay in project.layers.items()}
    zh_notes = layer_summary(reports, "zh").set_index("role")["notes"]
    en_notes = layer_summary(reports, "en").set_index("role")["notes"]
    assert zh_notes["green"].startswith("未声明坐标系（没有 .prj）；已按 WGS84 经纬度读取")
    assert en_notes["green"].startswith("no CRS declared (no .prj)")
    assert "GDAL 在读取时闭合了未闭合的多边形环" in zh_notes["plots"]
    crs = layer_summary(reports, "zh").set_index("role")["crs"]
    assert crs["green"] == "EPSG:4326 WGS 84 (推定：未声明坐标系，且所有坐标都是普通经纬度)"


def test_the_planner_corrects_a_guess_and_roles_swap():
    drop = read_drop({"a.geojson": PLOTS.to_json().encode(), "b.geojson": GREEN.to_json().encode()})
    project = Project()
    for lay in drop.layers:
        project.add(lay)
    plots_before = project.layers["plots"].frame
    green_before = project.layers["green"].frame
    project.set_role("plots", "green")
    assert len(project.layers["green"].frame) == len(plots_before)
    assert len(project.layers["plots"].frame) == len(green_before)
    assert project.layers["green"].why == (("chosen", ""),)


def test_a_role_the_geometry_refuses_leaves_the_project_unchanged():
    drop = read_drop({"roads.geojson": ROADS.to_json().encode()})
    project = Project()
    project.add(drop.layers[0])
    with pytest.raises(GeometryTypeError):
        project.set_role("roads", "plots")
    assert list(project.layers) == ["roads"]
