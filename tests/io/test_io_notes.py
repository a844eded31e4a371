"""What reading tells the user besides errors — repairs, CRS guesses, GDAL's warnings — in 中文 and
English (issue 18, point 3: messages by key).

Each note is caused for real. The note stays its English (``str``) for the command line;
``localized(note, "zh")`` is Chinese with the feature ids, file names and numbers as they are.
"""

from __future__ import annotations

import json

import geopandas as gpd
import pytest
from shapely.geometry import box

from planner.io.columns import upgrade_columns
from planner.io.read import inspect_file, load_layer, read_upload_all
from planner.messages import Msg, localized
from tests.io_helpers import write_shapefile

LON0, LAT0 = 117.20, 39.10  # Tianjin


def _square(x: float, y: float, d: float = 0.001) -> list[list[float]]:
    return [[x, y], [x + d, y], [x + d, y + d], [x, y + d], [x, y]]


def _geojson(path, features):
    fc = {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "properties": {"plot_id": pid}, "geometry": geom}
            for pid, geom in features
        ],
    }
    path.write_text(json.dumps(fc), encoding="utf-8")
    return path


def test_an_unclosed_ring_is_noted_in_both_languages_with_the_feature(tmp_path):
    # P2's ring is not closed (GDAL closes it on reading); P3's has two positions only
    unclosed = _square(LON0 + 0.01, LAT0)[:-1]
    path = _geojson(
        tmp_path / "地块.geojson",
        [
            ("P1", {"type": "Polygon", "coordinates": [_square(LON0, LAT0)]}),
            ("P2", {"type": "Polygon", "coordinates": [unclosed]}),
            ("P3", {"type": "Polygon", "coordinates": [[[LON0, LAT0], [LON0 + 0.01, LAT0]]]}),
        ],
    )
    frame, report = load_layer(path, role="plots")
    assert sorted(frame["plot_id"]) == ["P1", "P2"]
    notes = report.notes()
    assert all(isinstance(n, Msg) for n in notes)
    repaired, dropped = notes
    assert repaired == (
        "1 geometry repaired on reading (unclosed rings closed, rings of fewer than 4 "
        "positions dropped): P2"
    )
    assert localized(repaired, "zh") == (
        "读取时修复了 1 个几何图形（未闭合的环已闭合，少于 4 个点的环已删除）：P2"
    )
    assert dropped == "1 feature dropped: geometry cannot be built even after repair: P3"
    assert localized(dropped, "zh") == "删除了 1 个要素：修复后仍无法构建几何图形：P3"
    # GDAL's own warning, said in the planner's words, read in both languages
    gdal = [p for p in report.problems if "GDAL" in p]
    assert gdal, report.problems
    assert all(isinstance(p, Msg) for p in gdal)
    zh = [localized(p, "zh") for p in gdal]
    assert all("GDAL" in z and any("\u4e00" <= c <= "\u9fff" for c in z) for z in zh), zh


def test_a_repair_count_above_one_is_plural_in_english_and_counted_in_chinese(tmp_path):
    bowtie = {"type": "Polygon", "coordinates": [[[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]]}
    bowtie["coordinates"] = [
        [[LON0 + x * 0.001, LAT0 + y * 0.001] for x, y in bowtie["coordinates"][0]]
    ]
    path = _geojson(tmp_path / "p.geojson", [("A", bowtie), ("B", bowtie)])
    _, report = load_layer(path, role="plots")
    (note,) = [n for n in report.notes() if "make_valid" in n]
    assert note == "2 invalid geometries repaired (make_valid): A, B"
    assert localized(note, "zh") == "修复了 2 个无效几何图形（make_valid）：A, B"


def test_a_guessed_crs_is_a_warning_in_both_languages(tmp_path):
    g = gpd.GeoDataFrame({"n": [1]}, geometry=[box(LON0, LAT0, LON0 + 0.001, LAT0 + 0.001)])
    shp = write_shapefile(tmp_path, "plots", g.set_crs(4326), prj=False)
    _, report = load_layer(shp, role="plots")
    assert report.crs_how.startswith("assumed")
    (warning,) = report.problems
    assert warning.startswith("no CRS declared (no .prj); WGS84 longitude/latitude assumed")
    assert localized(warning, "zh").startswith("未声明坐标系（没有 .prj）；已按 WGS84 经纬度读取")


def test_longitude_and_latitude_swapped_into_china_warn_in_both_languages(tmp_path):
    # longitude 39.4, latitude 75.9 lies in the Arctic Ocean; swapped (75.9 E, 39.4 N) it is
    # Kashgar, Xinjiang: the order is probably wrong
    g = gpd.GeoDataFrame({"n": [1]}, geometry=[box(39.4, 75.9, 39.5, 76.0)], crs=4326)
    shp = write_shapefile(tmp_path, "plots", g, prj=False)
    _, report = load_layer(shp, role="plots")
    (warning,) = report.problems
    assert "swapped they would lie in China" in warning
    zh = localized(warning, "zh")
    assert zh.startswith("未声明坐标系（没有 .prj）")
    assert "；坐标位于经度 39.4–39.5、纬度 75.9–76，在中国境外，但交换后将位于中国境内" in zh


def test_a_renamed_column_is_noted_in_both_languages():
    import pandas as pd

    from planner.io.columns import RENAMED

    old, new = next(iter(RENAMED.items()))
    _, notes = upgrade_columns(pd.DataFrame({old: [1]}))
    assert notes == [f"column '{old}' read as '{new}' (renamed by meaning)"]
    assert localized(notes[0], "zh") == f"列“{old}”按“{new}”读取（按含义改名）"


def test_an_unreadable_upload_names_the_uploaded_file_not_the_staging_folder():
    layers, problems = read_upload_all({"地块.geojson": b"this is not GeoJSON"})
    assert layers == []
    ((name, problem),) = problems
    assert name == "地块.geojson"
    for text in (str(problem), localized(problem, "zh")):
        assert "地块.geojson" in text
        assert "planner-upload" not in text and "/tmp" not in text, text


def test_a_layer_that_cannot_be_used_is_noted_in_both_languages(tmp_path):
    # a GeoPackage with a usable layer and an empty one: inspect reports the empty one
    good = gpd.GeoDataFrame({"n": [1]}, geometry=[box(0, 0, 10, 10)], crs=4547)
    good = good.set_geometry(good.geometry.translate(500_000, 4_330_000))
    path = tmp_path / "two.gpkg"
    good.to_file(path, layer="plots", driver="GPKG")
    good.iloc[:0].to_file(path, layer="empty", driver="GPKG")
    reports = {r.name: r for r in inspect_file(path)}
    (problem,) = reports["empty"].problems
    assert problem.startswith("cannot be used: ")
    assert localized(problem, "zh").startswith("无法使用：")


@pytest.mark.parametrize("n, en", [(1, "1 feature dropped: no geometry"), (3, "3 features")])
def test_fix_notes_count_one_and_many(n, en):
    from planner.io.report import LayerReport

    report = LayerReport("x", "x.gpkg")
    report.add_fix("dropped_null", n)
    (note,) = report.notes()
    assert note.startswith(en)
    assert localized(note, "zh") == f"删除了 {n} 个要素：没有几何图形"
