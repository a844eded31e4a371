"""Every export reads back through GDAL with the same rows, values and Chinese text."""

from __future__ import annotations

import zipfile

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import pytest
from openpyxl import load_workbook
from shapely.geometry import box

from planner import score
from planner.errors import OutputError
from planner.io import COLUMN_DOCS, write_candidates
from planner.io.write import (
    SHP_FIELD_MAP_NAME,
    display_width,
    read_field_map,
    shapefile_field_names,
)

X0, Y0 = 39_500_000.0, 4_330_000.0
NAMES = ["西青区口袋公园", '<b>"A&B"</b>', "停车场 ③"]


@pytest.fixture
def candidates() -> gpd.GeoDataFrame:
    """Three scored plots as the core writes them (metric CRS, EPSG:4527)."""
    return gpd.GeoDataFrame(
        {
            "plot_id": ["P1", "P2", "P3"],
            "name": NAMES,
            "area_m2": [1500.0, 600.0, 100.0],
            "park_score": [0.8125, 0.25, 0.0],
            "parking_score": [0.5, 0.75, 0.125],
            "recommended_use": ["pocket_park", "parking", "none"],
            "rank": [1, 2, 3],
            "reasons_zh": ["绿地缺口大；" * 40, "停车需求高", "面积过小"],  # first > 254 bytes
            "excluded": [False, False, True],
        },
        geometry=[
            box(X0, Y0, X0 + 50, Y0 + 30),
            box(X0 + 600, Y0, X0 + 606, Y0 + 100),
            box(X0 + 1000, Y0, X0 + 1010, Y0 + 10),
        ],
        crs="EPSG:4527",
    )


def _same_values(back: pd.DataFrame, ref: pd.DataFrame, columns) -> None:
    for col in columns:
        got, want = back[col].tolist(), ref[col].tolist()
        if isinstance(want[0], float):
            np.testing.assert_allclose(np.asarray(got, float), want, rtol=0, atol=1e-9)
        elif isinstance(want[0], (bool, np.bool_)):
            assert [bool(v) for v in got] == [bool(v) for v in want], col
        else:
            assert got == want, col


def test_geojson_is_rfc7946_wgs84(tmp_path, candidates):
    out = write_candidates(candidates, tmp_path / "c.geojson")
    back = pyogrio.read_dataframe(out)
    assert back.crs.to_epsg() == 4326
    assert '"crs"' not in out.read_text(encoding="utf-8")  # RFC 7946: no crs member
    _same_values(back, candidates, [c for c in candidates.columns if c != "geometry"])
    # RFC 7946 output keeps 7 decimals of a degree (about 1 cm): areas within 0.5 m²
    np.testing.assert_allclose(back.geometry.to_crs(4527).area, [1500.0, 600.0, 100.0], atol=0.5)


def test_gpkg_round_trip(tmp_path, candidates):
    out = write_candidates(candidates, tmp_path / "c.gpkg")
    back = pyogrio.read_dataframe(out, layer="candidates")
    assert back.crs.to_epsg() == 4527
    _same_values(back, candidates, [c for c in candidates.columns if c != "geometry"])
    assert back.geometry.area.tolist() == [1500.0, 600.0, 100.0]


def test_kml_escapes_names_and_round_trips(tmp_path, candidates):
    out = write_candidates(candidates, tmp_path / "c.kml")
    text = out.read_text(encoding="utf-8")
    assert "<name>&lt;b&gt;&quot;A&amp;B&quot;&lt;/b&gt;</name>" in text
    assert "<b>" not in text
    back = pyogrio.read_dataframe(out)
    assert back["Name"].tolist() == NAMES  # GDAL's KML reader puts the name in "Name"
    _same_values(
        back,
        candidates,
        [
            "plot_id",
            "area_m2",
            "park_score",
            "parking_score",
            "recommended_use",
            "rank",
            "reasons_zh",
            "excluded",
        ],
    )
    assert back.geometry.to_crs(4527).area.round(3).tolist() == [1500.0, 600.0, 100.0]


def test_shp_zip_has_cpg_prj_and_field_map(tmp_path, candidates):
    out = write_candidates(candidates, tmp_path / "result.shp.zip")
    with zipfile.ZipFile(out) as zf:
        names = sorted(zf.namelist())
        assert names == [
            "field_names.txt",
            "result.cpg",
            "result.dbf",
            "result.prj",
            "result.shp",
            "result.shx",
        ]
        assert zf.read("result.cpg").decode() == "UTF-8"
    fields = read_field_map(out)
    assert fields["parking_sc"] == "parking_score"
    assert fields["recommende"] == "recommended_use"
    back = pyogrio.read_dataframe(out)  # GDAL reads .shp.zip directly
    assert back.crs.to_epsg() == 4527
    back = back.rename(columns=fields)
    _same_values(
        back,
        candidates,
        [
            "plot_id",
            "name",
            "area_m2",
            "park_score",
            "parking_score",
            "recommended_use",
            "rank",
            "excluded",
        ],
    )
    # text over 254 bytes is cut at a character boundary, and the map says how many were
    assert back["reasons_zh"].tolist()[1:] == ["停车需求高", "面积过小"]
    cut = back["reasons_zh"].iloc[0]
    assert len(cut.encode("utf-8")) <= 254 and candidates["reasons_zh"].iloc[0].startswith(cut)
    with zipfile.ZipFile(out) as zf:
        row = [
            r
            for r in zf.read(SHP_FIELD_MAP_NAME).decode().splitlines()
            if r.startswith("reasons_zh\t")
        ]
    assert row[0].split("\t")[:3] == ["reasons_zh", "reasons_zh", "1"]


def test_field_names_cut_to_ten_bytes_and_unique():
    names = shapefile_field_names(["parking_score", "parking_scale", "评分理由说明", "id"])
    assert names == {
        "parking_score": "parking_sc",
        "parking_scale": "parking__1",
        "评分理由说明": "评分理",
        "id": "id",
    }
    assert all(len(v.encode("utf-8")) <= 10 for v in names.values())


def test_csv_has_bom_and_lonlat(tmp_path, candidates):
    out = write_candidates(candidates, tmp_path / "c.csv")
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    back = pd.read_csv(out, encoding="utf-8-sig")
    assert back["name"].tolist() == NAMES
    assert back["lon"].between(116.9, 117.1).all() and back["lat"].between(39, 39.2).all()


def test_xlsx_sheets_frozen_header_widths_and_column_docs(tmp_path, candidates):
    out = write_candidates(candidates, tmp_path / "c.xlsx")
    book = load_workbook(out)
    assert book.sheetnames == ["candidates", "columns"]
    ws = book["candidates"]
    assert ws.freeze_panes == "A2"
    header = [c.value for c in ws[1]]
    assert header == [c for c in candidates.columns if c != "geometry"] + ["lon", "lat"]
    assert ws["B2"].value == "西青区口袋公园"
    # the name column is as wide as its widest value: 7 CJK characters = 14, plus 2
    assert ws.column_dimensions["B"].width == 16
    assert ws.column_dimensions["H"].width == 60  # long reasons are capped
    docs = {r[0].value: r[1].value for r in book["columns"].iter_rows(min_row=2)}
    assert docs["park_score"] == COLUMN_DOCS["park_score"]
    assert set(docs) == set(header)


def test_column_docs_cover_the_core_contract():
    contract = [
        "plot_id",
        "name",
        "area_m2",
        "park_score",
        "parking_score",
        "recommended_use",
        "rank",
        "nearest_green_m",
        "nearest_parking_m",
        "est_parking_spaces",
        "reasons",
        "reasons_zh",
        "distance_basis",
        "excluded",
    ]
    assert set(contract) <= set(COLUMN_DOCS)


def test_real_score_output_round_trips_in_every_format(tmp_path, scene):
    result = score(scene)
    for ext in (".gpkg", ".geojson", ".kml", ".shp.zip"):
        out = write_candidates(result, tmp_path / f"r{ext}")
        back = pyogrio.read_dataframe(out)
        assert len(back) == len(result), ext
        if ext == ".shp.zip":
            back = back.rename(columns=read_field_map(out))
        names = back["Name"] if ext == ".kml" else back["name"]
        assert names.tolist() == result["name"].tolist(), ext
        assert back["plot_id"].tolist() == result["plot_id"].tolist(), ext
        np.testing.assert_allclose(
            back["park_score"].astype(float), result["park_score"], atol=1e-9
        )


def test_display_width_counts_cjk_double():
    assert display_width("ab西青") == 6


def test_unknown_extension_and_missing_folder(tmp_path, candidates):
    with pytest.raises(OutputError, match=r"c\.txt: unknown output format"):
        write_candidates(candidates, tmp_path / "c.txt")
    with pytest.raises(OutputError, match="does not exist"):
        write_candidates(candidates, tmp_path / "no" / "c.kml")
    assert list(tmp_path.iterdir()) == []


def test_every_score_column_is_described():
    import planner
    from planner.criteria import CRITERIA
    from planner.io.columns import COLUMN_DOCS, describe_column

    result = planner.score(planner.load_demo())
    undocumented = [c for c in result.columns if c not in COLUMN_DOCS and not c.endswith("_score")]
    assert undocumented == []
    for criteria in CRITERIA.values():
        for crit in criteria:
            assert crit.rule in describe_column(crit.column)
