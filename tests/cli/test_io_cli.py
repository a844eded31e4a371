"""``planner inspect``, ``planner import-osm`` and the new input options, end to end."""

from __future__ import annotations

import json

import geopandas as gpd
import pyogrio
import pytest
from shapely.geometry import box

from planner.cli import main
from tests.conftest import SHARED_DATA
from tests.io.test_io_osm import TINY
from tests.io_helpers import districts, folder_files, write_shapefile, zip_bytes

TIANJIN = SHARED_DATA / "tianjin_districts_utf8_nocpg" / "tianjin_districts.shp"


def _one_error_line(capsys, *must_contain: str) -> str:
    err = capsys.readouterr().err
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, err
    assert lines[0].startswith("error: ")
    assert "Traceback" not in err
    for text in must_contain:
        assert text in lines[0]
    return lines[0]


def test_inspect_json_on_the_real_tianjin_shapefile(capsys):
    assert main(["inspect", str(TIANJIN), "--json", "--coord-system", "gcj02"]) == 0
    doc = json.loads(capsys.readouterr().out)
    (layer,) = doc["layers"]
    assert layer["name"] == "tianjin_districts"
    assert layer["count"] == 16
    assert layer["geometry_type"] == "MultiPolygon, Polygon"
    assert layer["encoding"] == "utf-8"
    assert layer["encoding_how"] == "detected: text is valid UTF-8"
    assert layer["crs"] == "EPSG:4326 WGS 84"
    assert layer["fixes"] == {"coordinates_converted": 16, "multipart_kept": 2}
    assert len(layer["problems"]) == 1 and "no CRS declared" in layer["problems"][0]
    assert layer["samples"]["name"] == ["河北区", "和平区", "河东区"]
    lon0, lat0, lon1, lat1 = layer["bounds_lonlat"]
    assert 116.6 < lon0 < lon1 < 118.1 and 38.5 < lat0 < lat1 < 40.3


def test_inspect_text(capsys, tmp_path):
    shp = write_shapefile(tmp_path, "gbk", districts(), encoding="GBK", cpg=False)
    assert main(["inspect", str(shp)]) == 0
    out = capsys.readouterr().out
    assert "encoding:      gb18030 (detected: text is not UTF-8, valid GB18030)" in out
    assert "sample name: 西青区 | 和平区 | 河东区" in out


def test_inspect_bad_input_is_one_error_line(capsys, tmp_path):
    shp = write_shapefile(tmp_path, "m", districts())
    (tmp_path / "m.dbf").unlink()
    assert main(["inspect", str(shp), "--json"]) == 2
    _one_error_line(capsys, str(shp), ".dbf attribute table is missing")
    assert main(["inspect", str(tmp_path / "none.gpkg")]) == 2
    _one_error_line(capsys, "none.gpkg: file not found")


def test_import_osm_then_score(capsys, tmp_path):
    osm = tmp_path / "tiny.osm"
    osm.write_text(TINY, encoding="utf-8")
    layers = tmp_path / "layers.gpkg"
    assert main(["import-osm", str(osm), "--out", str(layers)]) == 0
    err = capsys.readouterr().err
    assert f"wrote {layers}: plots 1, parking 1, residential 1, roads 1, pois 1" in err
    out = tmp_path / "scored.csv"
    assert main(["score", "--layers", str(layers), "--out", str(out), "-q"]) == 0
    assert out.exists()


def test_import_osm_bad_input_leaves_nothing(capsys, tmp_path):
    bad = tmp_path / "bad.osm"
    bad.write_text("not xml at all", encoding="utf-8")
    out = tmp_path / "layers.gpkg"
    assert main(["import-osm", str(bad), "--out", str(out)]) == 2
    _one_error_line(capsys, str(bad), "cannot be read as an OpenStreetMap extract")
    assert main(["import-osm", str(bad), "--out", str(tmp_path / "x.shp")]) == 2
    _one_error_line(capsys, "import-osm writes a GeoPackage")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.osm"]


@pytest.fixture
def no_prj_plots(tmp_path):
    """Plots in CGCS2000 3-degree zone 39 eastings, with no .prj."""
    x, y = 39_500_000.0, 4_330_000.0
    g = gpd.GeoDataFrame(
        {"name": ["甲", "乙"]},
        geometry=[box(x, y, x + 50, y + 30), box(x + 200, y, x + 260, y + 40)],
        crs=4527,
    )
    return write_shapefile(tmp_path / "in", "plots", g, prj=False)


def test_score_without_crs_fails_cleanly_and_works_with_crs(capsys, tmp_path, no_prj_plots):
    out = tmp_path / "out.gpkg"
    assert main(["score", "--plots", str(no_prj_plots), "--out", str(out), "-q"]) == 2
    _one_error_line(capsys, str(no_prj_plots), "Gauss-Kruger zone 39", "--crs")
    assert not out.exists()
    assert (
        main(["score", "--plots", str(no_prj_plots), "--crs", "EPSG:4527", "--out", str(out), "-q"])
        == 0
    )
    back = pyogrio.read_dataframe(out)
    assert sorted(back["name"]) == ["乙", "甲"]


def test_layer_choice_and_encoding_options(capsys, tmp_path):
    gpkg = tmp_path / "city.gpkg"
    districts().to_file(gpkg, layer="a", engine="pyogrio")
    districts(names=("甲", "乙")).to_file(gpkg, layer="b", engine="pyogrio")
    out = tmp_path / "o.csv"
    assert main(["score", "--plots", str(gpkg), "--out", str(out), "-q"]) == 2
    _one_error_line(capsys, "city.gpkg: has 2 layers (a, b); choose one")
    assert main(["score", "--plots", f"{gpkg}:b", "--out", str(out), "-q"]) == 0
    assert out.exists()
    capsys.readouterr()
    shp = write_shapefile(tmp_path / "g", "p", districts(), encoding="GBK", cpg=False)
    assert (
        main(
            [
                "score",
                "--plots",
                str(shp),
                "--encoding",
                "utf-8",
                "--out",
                str(tmp_path / "p.csv"),
                "-q",
            ]
        )
        == 2
    )
    _one_error_line(capsys, "p.dbf: text cannot be decoded as utf-8")
    assert not (tmp_path / "p.csv").exists()


def test_score_notes_an_assumed_crs(capsys, tmp_path):
    shp = write_shapefile(tmp_path / "in", "plots", districts(), prj=False)
    assert main(["score", "--plots", str(shp), "--out", str(tmp_path / "o.gpkg"), "-q"]) == 0
    err = capsys.readouterr().err
    assert f"note: {shp}: no CRS declared (no .prj); WGS84 longitude/latitude assumed" in err


def test_notes_follow_planner_lang_and_keep_names_from_data_as_text(capsys, tmp_path, monkeypatch):
    # a folder name with a terminal escape and a right-to-left override (names from data)
    shp = write_shapefile(tmp_path / "in\x1b[31m\u202e", "plots", districts(), prj=False)
    monkeypatch.setenv("PLANNER_LANG", "zh")
    assert main(["score", "--plots", str(shp), "--out", str(tmp_path / "o.gpkg"), "-q"]) == 0
    err = capsys.readouterr().err
    shown = str(shp).replace("\x1b", "\\x1b").replace("\u202e", "\\u202e")
    notes = [line for line in err.splitlines() if line.startswith(f"note: {shown}")]
    assert notes == [
        f"note: {shown}: 未声明坐标系（没有 .prj）；已按 WGS84 经纬度读取；如不正确，请指定 "
        "--crs（GCJ-02/BD-09 数据另需 --coord-system）"
    ]
    assert "\x1b" not in err and "\u202e" not in err


def test_inspect_a_zip_of_two_shapefiles(capsys, tmp_path):
    write_shapefile(tmp_path / "src", "a", districts(), cpg=False)
    write_shapefile(tmp_path / "src", "b", districts(names=("甲",)), encoding="GBK", cpg=False)
    z = tmp_path / "two.zip"
    z.write_bytes(zip_bytes(folder_files(tmp_path / "src")))
    assert main(["inspect", str(z), "--json"]) == 0
    layers = json.loads(capsys.readouterr().out)["layers"]
    assert [(x["name"], x["count"], x["encoding"]) for x in layers] == [
        ("a", 3, "utf-8"),
        ("b", 1, "gb18030"),
    ]
    assert layers[1]["source"] == f"{z}/b.shp"
