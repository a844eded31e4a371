"""Map sheets and CAD drawings on real data: Beijing, Haidian (shared/data/haidian_cau.osm,
layers by ``planner import-osm``), worked in CGCS2000 3-degree Gauss-Krüger CM 117E.

The sheet's scale is measured on the page from where poppler finds the plot labels against the
plots' own coordinates; the drawing's outlines are compared with the score's GeoPackage.
"""

from __future__ import annotations

import re

import geopandas as gpd
import numpy as np
import pyogrio
import pytest
import shapely

from planner.drawing.sheet import sheet_layout
from tests.pdf_helpers import (
    dxf_layer_counts_ezdxf,
    dxf_layer_counts_gdal,
    fonts,
    page_size_mm,
    poppler,
    render_png,
    words,
)
from tests.realdata import HAIDIAN_OSM, run_cli

GK_117E = "EPSG:4548"


def ok(run):
    assert run.code == 0, run.describe()
    assert "Traceback" not in run.text, run.describe()
    return run


@pytest.fixture(scope="module")
def haidian(tmp_path_factory):
    if not HAIDIAN_OSM.exists():
        pytest.fail(
            f"real-data battery: {HAIDIAN_OSM} is missing (shared/data beside the project)",
            pytrace=False,
        )
    work = tmp_path_factory.mktemp("haidian_drawings")
    gpkg = work / "haidian_layers.gpkg"
    ok(run_cli("import-osm", HAIDIAN_OSM, "--out", gpkg))
    scored = work / "scored.gpkg"
    ok(run_cli("score", "--layers", gpkg, "--workers", "1", "--out", scored))
    return work, gpkg, gpd.read_file(scored)


def test_haidian_sheet_true_scale_and_chinese(haidian):
    work, gpkg, scored = haidian
    pdf = work / "haidian.pdf"
    ok(
        run_cli(
            "sheet",
            "--layers",
            gpkg,
            "--workers",
            "1",
            "--quiet",
            "--district",
            "海淀区",
            "--title",
            "中国农业大学东校区周边",
            "--out",
            pdf,
        )
    )
    w, h = page_size_mm(pdf)
    assert (round(w, 1), round(h, 1)) == (420.0, 297.0)
    assert all(f["emb"] == "yes" and "NotoSansSC" in f["name"] for f in fonts(pdf))
    text = poppler("pdftotext", pdf, "-")
    for label in (
        "海淀区",
        "中国农业大学东校区周边",
        "第39带",
        "EPSG:4548",
        "图例",
        "haidian_layers.gpkg（候选地块、",
    ):
        assert label in text, label
    scale = int(re.search(r"比例尺 1:([\d,]+)", text).group(1).replace(",", ""))
    # where each labelled plot lies on the page against its coordinates in the GK zone
    assert scored.crs.to_epsg() == 4548
    pts = scored.geometry.representative_point()
    ground = dict(zip(scored["plot_id"].astype(str), zip(pts.x, pts.y, strict=True), strict=True))
    x0, y0, x1, y1 = sheet_layout("A3", "landscape").map
    on_map = [
        wd
        for wd in words(pdf)
        if wd.text in ground and x0 < wd.x < x1 and 297 - y1 < wd.y < 297 - y0
    ]
    assert len(on_map) >= 5  # the recommended plots are labelled
    gx = np.array([ground[wd.text][0] for wd in on_map])
    gy = np.array([ground[wd.text][1] for wd in on_map])
    px = np.array([wd.x for wd in on_map])
    py = np.array([wd.y for wd in on_map])
    mm_per_m_x = np.polyfit(gx, px, 1)[0]
    mm_per_m_y = -np.polyfit(gy, py, 1)[0]  # page y runs down
    assert mm_per_m_x == pytest.approx(1000 / scale, rel=0.01)
    assert mm_per_m_y == pytest.approx(1000 / scale, rel=0.01)
    png = render_png(pdf, 60)
    assert png.stat().st_size > 10_000


def test_haidian_dxf_in_gauss_kruger_metres(haidian):
    work, gpkg, scored = haidian
    dxf = work / "haidian.dxf"
    ok(run_cli("score", "--layers", gpkg, "--workers", "1", "--out", dxf))
    ez, audit = dxf_layer_counts_ezdxf(dxf)
    assert not audit.has_errors
    assert dxf_layer_counts_gdal(dxf) == ez
    assert ez["TEXT_PLOT_ID"] == len(scored)
    parking = scored.loc[scored["recommended_use"] == "parking", "est_parking_spaces"]
    assert ez.get("STALL", 0) + ez.get("STALL_ACCESSIBLE", 0) == parking.sum()
    back = pyogrio.read_dataframe(dxf)
    rings = back.loc[back["Layer"].str.startswith("PLOT_"), "geometry"]
    got = np.concatenate([np.asarray(g.coords)[:, :2] for g in rings])
    want = shapely.get_coordinates(scored.geometry.values)
    got, want = got[np.lexsort(got.T)], want[np.lexsort(want.T)]
    assert got.shape == want.shape and np.abs(got - want).max() < 0.001
    # Gauss-Krüger metres of the zone CM 117E around 116.35 E, 40.0 N: easting below the
    # central meridian's 500 km, northing about 4,428 km
    assert 440_000 < got[:, 0].min() and got[:, 0].max() < 500_000
    assert 4_420_000 < got[:, 1].min() and got[:, 1].max() < 4_440_000
