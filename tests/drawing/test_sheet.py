"""Map sheets: true scale measured on the page, paper sizes, legend of what is drawn, fonts
embedded, text kept as text; the planner sheet command and its bad input; the app and report.

Sheets are read back with poppler (tests/pdf_helpers.py), not with the matplotlib that drew
them: pdfinfo for the page size, pdffonts for the fonts, pdftotext -bbox for where each word
sits on the page, pdftoppm for pixels.
"""

from __future__ import annotations

import datetime as dt
import math

import geopandas as gpd
import numpy as np
import pyproj
import pytest
import shapely
from PIL import Image
from shapely.geometry import LineString, box

from planner.app.i18n import tr
from planner.cli import main
from planner.drawing.model import Drawing, plot_frame
from planner.drawing.sheet import (
    SheetError,
    SheetSpec,
    choose_scale,
    crs_text,
    grid_convergence_deg,
    render_sheet,
    save_sheet,
    sheet_layout,
)
from planner.drawing.sheet_panel import wrap
from planner.errors import ConfigError, OutputError
from planner.messages import localized
from tests.pdf_helpers import fonts, page_size_mm, poppler, render_png, words

CRS = "EPSG:4548"
X0, Y0 = 500_000.0, 4_330_000.0
TOL = 0.01  # the 1 % on the scale


def run(capsys, *args):
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def hand_drawing(*, selected=False, life_circle=True, roads=True, stalls=False) -> Drawing:
    """Plots at hand-chosen coordinates: A1 (park) centred at X0+20, Y0+15; B2 (parking) at
    X0+415, Y0+320; C3 (none) at X0+815, Y0+10. 830 m × 340 m: 1:5,000 on A3."""
    result = gpd.GeoDataFrame(
        {
            "plot_id": ["A1", "B2", "C3"],
            "recommended_use": ["pocket_park", "parking", "none"],
            "selected": [selected, False, False],
        },
        geometry=[
            box(X0, Y0, X0 + 40, Y0 + 30),
            box(X0 + 400, Y0 + 300, X0 + 430, Y0 + 340),
            box(X0 + 800, Y0, X0 + 830, Y0 + 20),
        ],
        crs=CRS,
    )
    plots = plot_frame(result)
    context = {}
    if roads:
        context["roads"] = gpd.GeoDataFrame(
            {"car_access": [True]},
            geometry=[LineString([(X0 - 10, Y0 - 8), (X0 + 840, Y0 - 8)])],
            crs=CRS,
        )
    lc = (
        gpd.GeoDataFrame(
            {"circle_id": ["W"], "name": ["西部生活圈"]},
            geometry=[box(X0 - 20, Y0 - 20, X0 + 300, Y0 + 200)],
            crs=CRS,
        )
        if life_circle
        else None
    )
    catch = (
        gpd.GeoDataFrame(
            {"plot_id": ["A1"], "distance_m": [300.0]},
            geometry=[shapely.Point(X0 + 20, Y0 + 15).buffer(60)],
            crs=CRS,
        )
        if selected
        else None
    )
    stall_frame = (
        gpd.GeoDataFrame(
            {"plot_id": ["B2"] * 4, "accessible": [True, False, False, False]},
            geometry=[
                box(X0 + 402 + 2.5 * i, Y0 + 302, X0 + 404.5 + 2.5 * i, Y0 + 307.3)
                for i in range(4)
            ],
            crs=CRS,
        )
        if stalls
        else None
    )
    return Drawing(plots, stall_frame, None, catch, lc, context)


def _pdf(tmp_path, drawing, spec=None, name="s.pdf"):
    fig, info = render_sheet(drawing, spec or SheetSpec(date=dt.date(2025, 5, 1)))
    path = save_sheet(fig, tmp_path / name)
    return path, info


def in_map(ws, layout_or_info, page_h):
    """The words inside the map frame (the legend also shows a plot id as its sample)."""
    x0, y0, x1, y1 = (
        layout_or_info.map_mm if hasattr(layout_or_info, "map_mm") else (layout_or_info.map)
    )
    return [w for w in ws if x0 < w.x < x1 and page_h - y1 < w.y < page_h - y0]


def _word(ws, text):
    found = [w for w in ws if w.text == text]
    assert len(found) == 1, (text, [w.text for w in ws][:80])
    return found[0]


# --- pure parts --------------------------------------------------------------------------------
def test_choose_scale_is_the_largest_standard_scale_that_fits():
    # 2,000 m × 1,000 m padded 2 %: 204 mm at 1:10,000 fits 280 mm; 408 mm at 1:5,000 does not
    assert choose_scale((0, 0, 2000, 1000), (280, 270)) == 10000
    assert choose_scale((0, 0, 100, 50), (280, 270)) == 500
    assert choose_scale((0, 0, 2700, 100), (280, 270)) == 10000  # 275.4 mm
    assert choose_scale((0, 0, 2760, 100), (280, 270)) == 25000  # 281.5 mm at 1:10,000
    assert choose_scale((0, 0, 2000, 1000), (280, 270), given=25000) == 25000
    with pytest.raises(SheetError, match="more than the map frame holds"):
        choose_scale((0, 0, 40_000, 1000), (280, 270))


@pytest.mark.parametrize(
    "paper, orientation, size",
    [
        ("A3", "landscape", (420, 297)),
        ("A3", "portrait", (297, 420)),
        ("A4", "landscape", (297, 210)),
        ("A4", "portrait", (210, 297)),
    ],
)
def test_layout_follows_the_paper_and_the_frame_margins(paper, orientation, size):
    lay = sheet_layout(paper, orientation)
    assert (lay.width, lay.height) == size
    assert lay.border == (25.0, 5.0, size[0] - 5.0, size[1] - 5.0)  # GB/T 14689-2008 a, c
    mx0, my0, mx1, my1 = lay.map
    px0, py0, px1, py1 = lay.panel
    assert lay.border[0] < mx0 < mx1 < lay.border[2] and lay.border[1] < my0 < my1 < lay.border[3]
    # the panel does not overlap the map frame
    assert px0 >= mx1 or py1 <= my0


def test_crs_is_named_with_its_cgcs2000_zone():
    zh = crs_text("EPSG:4548", "zh")
    assert "2000国家大地坐标系" in zh and "第39带" in zh and "117°E" in zh and "EPSG:4548" in zh
    assert crs_text("EPSG:4527", "en") == crs_text("EPSG:4548", "en").replace("4548", "4527")
    assert "zone 39 (CM 117°E)" in crs_text("EPSG:4548", "en")
    assert crs_text("EPSG:4549", "en").startswith("CGCS2000, 3-degree Gauss-Krüger zone 40 (CM 120")
    assert crs_text("EPSG:32633", "en") == "WGS 84 / UTM zone 33N (EPSG:32633)"


@pytest.mark.parametrize("lon, lat", [(116.35, 40.0), (117.65, 40.0), (117.0, 39.1)])
def test_north_arrow_angle_is_the_grid_convergence(lon, lat):
    x, y = pyproj.Transformer.from_crs("EPSG:4326", CRS, always_xy=True).transform(lon, lat)
    # pyproj reports the angle from grid north to true north the other way round
    expected = -pyproj.Proj(CRS).get_factors(lon, lat).meridian_convergence
    assert grid_convergence_deg(CRS, x, y) == pytest.approx(expected, abs=0.001)
    # textbook approximation: (λ - λ0) sin φ, west of the central meridian true north is east
    assert grid_convergence_deg(CRS, x, y) == pytest.approx(
        -(lon - 117) * math.sin(math.radians(lat)), abs=0.002
    )


def test_wrap_counts_wide_characters_and_keeps_punctuation_off_line_starts():
    em = 10 / (72 / 25.4)  # 10 pt in mm
    assert wrap("口袋公园停车场", 3.5 * em, 10) == ["口袋公", "园停车", "场"]
    assert wrap("中央经线，EPSG:4548", 4.2 * em, 10) == ["中央经线，", "EPSG:4548"]
    assert wrap("one two three", 100, 10) == ["one two three"]


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"paper": "A5"}, "unknown paper 'A5'"),
        ({"orientation": "up"}, "unknown orientation"),
        ({"scale": 3000}, "not a standard scale"),
        ({"lang": "fr"}, "unknown language"),
        ({"use": "farm"}, "unknown use"),
    ],
)
def test_spec_refuses_what_it_cannot_draw(kwargs, message):
    with pytest.raises(ConfigError, match=message):
        SheetSpec(**kwargs)


# --- hand-built sheets -------------------------------------------------------------------------
def test_hand_built_sheet_is_a3_at_true_scale(tmp_path):
    pdf, info = _pdf(tmp_path, hand_drawing())
    assert info.scale == 5000
    w, h = page_size_mm(pdf)
    assert w == pytest.approx(420, abs=0.1) and h == pytest.approx(297, abs=0.1)
    ws = words(pdf)
    # two known points: the labels of A1 and B2 sit on the plots' centres (ground m -> mm)
    a, b = _word(in_map(ws, info, h), "A1"), _word(in_map(ws, info, h), "B2")
    assert (b.x - a.x) == pytest.approx(395 * 1000 / 5000, rel=TOL)  # 79 mm
    assert (a.y - b.y) == pytest.approx(305 * 1000 / 5000, rel=TOL)  # 61 mm, page y down
    # the coordinate grid: two eastings' labels
    step = info.grid_step_m
    e0, e1 = f"{X0:.0f}", f"{X0 + step:.0f}"
    assert _word(ws, e1).x - _word(ws, e0).x == pytest.approx(step * 1000 / 5000, rel=TOL)
    # the scale bar: from its "0" to its end label
    end = f"{info.scalebar_m:g}"
    zero = [w for w in ws if w.text == "0"]
    bar_end = [w for w in ws if w.text == end and any(abs(w.y - z.y) < 0.5 for z in zero)]
    assert len(bar_end) == 1
    z = min(zero, key=lambda w: abs(w.y - bar_end[0].y))
    assert bar_end[0].x - z.x == pytest.approx(info.scalebar_m * 1000 / 5000, rel=TOL)
    # C3 (no recommendation) is drawn but not labelled
    assert not [w for w in ws if w.text == "C3"] and info.labels == 2
    assert [w.text for w in ws].count("A1") == 2  # on the map, and as the legend's sample


def test_pdf_embeds_the_font_and_keeps_chinese_as_text(tmp_path):
    pdf, info = _pdf(tmp_path, hand_drawing())
    table = fonts(pdf)
    assert table and all(f["emb"] == "yes" and f["uni"] == "yes" for f in table)
    assert all("NotoSansSC" in f["name"] for f in table)
    text = poppler("pdftotext", pdf, "-")
    for label in (
        "图例",
        "比例尺 1:5,000",
        "口袋公园（1）",
        "停车场（1）",
        "不推荐（1）",
        "西部生活圈",
        "2000国家大地坐标系",
        "第39带",
        "2025-05-01",
        "地块编号",
    ):
        assert label in text, label
    assert info.font == "Noto Sans SC (PyPI package zhplot)"


def test_legend_lists_what_is_drawn_and_nothing_else(tmp_path):
    _, info = _pdf(tmp_path, hand_drawing())
    assert info.legend == [
        "口袋公园（1）",
        "停车场（1）",
        "不推荐（1）",
        "生活圈",
        "道路",
        "地块编号",
    ]
    _, info = _pdf(
        tmp_path, hand_drawing(life_circle=False, roads=False, selected=True), name="b.pdf"
    )
    assert info.legend == [
        "口袋公园（1）",
        "停车场（1）",
        "不推荐（1）",
        tr("sheet_legend_catchment", "zh", radius="300"),
        tr("sheet_legend_selected", "zh", n=1),
        "地块编号",
    ]
    pdf, info = _pdf(tmp_path, hand_drawing(), SheetSpec(use="parking", lang="en"), "c.pdf")
    assert info.legend == ["Parking (1)", "Other plots (2)", "Life circles", "Roads", "Plot id"]
    text = poppler("pdftotext", pdf, "-")
    assert all(entry in text for entry in info.legend)


def test_stalls_are_drawn_only_at_large_scales(tmp_path):
    _, info = _pdf(tmp_path, hand_drawing(stalls=True), SheetSpec(scale=2000))
    assert "车位（4）" in info.legend
    _, info = _pdf(tmp_path, hand_drawing(stalls=True), SheetSpec(scale=5000), "b.pdf")
    assert not any(e.startswith("车位") for e in info.legend)


def test_data_text_stays_text_and_never_a_box(tmp_path):
    d = hand_drawing()
    d.plots.loc[0, "plot_id"] = "$x^2$"  # not mathtext
    d.plots.loc[1, "plot_id"] = "B😀"  # no font has it here: drawn as ?
    pdf, info = _pdf(tmp_path, d, SheetSpec(title="项目<&>"))
    text = poppler("pdftotext", pdf, "-")
    assert "$x^2$" in text and "B?" in text and "项目<&>" in text
    assert info.replaced == ["😀"] and "U+1F600" in info.notes[0]
    assert localized(info.notes[0], "zh") == "字体中没有字形的字符已画作 ?：U+1F600"


@pytest.mark.parametrize(
    "paper, orientation, size", [("A4", "portrait", (210, 297)), ("A4", "landscape", (297, 210))]
)
def test_a4_sheets(tmp_path, paper, orientation, size):
    pdf, info = _pdf(tmp_path, hand_drawing(), SheetSpec(paper=paper, orientation=orientation))
    w, h = page_size_mm(pdf)
    assert (round(w), round(h)) == size
    mx0, my0, mx1, my1 = info.map_mm
    ws = in_map(words(pdf), info, h)
    a, b = _word(ws, "A1"), _word(ws, "B2")
    assert (b.x - a.x) == pytest.approx(395 * 1000 / info.scale, rel=TOL)
    assert mx0 < a.x < mx1 and mx0 < b.x < mx1


def test_png_sheet_has_the_page_size_in_pixels(tmp_path):
    fig, _ = render_sheet(hand_drawing())
    path = save_sheet(fig, tmp_path / "s.png", dpi=100)
    with Image.open(path) as img:  # 420 × 297 mm at 100 dpi: 1653.5 × 1169.3 pixels
        assert abs(img.size[0] - 1653.5) < 1 and abs(img.size[1] - 1169.3) < 1


def test_failed_write_leaves_no_file(tmp_path, monkeypatch):
    from planner.drawing import sheet

    def broken(fig, target, fmt, dpi, metadata):
        with open(target, "wb") as fh:
            fh.write(b"%PDF-1.4 half")
        raise OSError("No space left on device")

    monkeypatch.setattr(sheet, "_save", broken)
    fig, _ = render_sheet(hand_drawing())
    with pytest.raises(OutputError, match="No space left"):
        save_sheet(fig, tmp_path / "s.pdf")
    assert list(tmp_path.iterdir()) == []


# --- the command on the demo district ------------------------------------------------------------
@pytest.fixture(scope="module")
def demo_pdf(tmp_path_factory):
    path = tmp_path_factory.mktemp("sheet") / "map.pdf"
    code = main(["sheet", "--demo", "--workers", "1", "--quiet", "--out", str(path)])
    assert code == 0
    return path


def test_demo_sheet_is_a3_and_renders(demo_pdf):
    w, h = page_size_mm(demo_pdf)
    assert (round(w, 1), round(h, 1)) == (420.0, 297.0)
    png = render_png(demo_pdf, 100)
    with Image.open(png) as img:
        assert abs(img.size[0] - 1653.5) < 1 and abs(img.size[1] - 1169.3) < 1
        # not blank: plots in their colours (pocket park green, car park blue)
        rgb = np.asarray(img.convert("RGB")).reshape(-1, 3)
    assert (np.abs(rgb - [0x1B, 0x9E, 0x4B]).sum(1) < 30).sum() > 500
    assert (np.abs(rgb - [0x2C, 0x6F, 0xBB]).sum(1) < 30).sum() > 500


def test_demo_sheet_scale_bar_measured_in_pixels(demo_pdf):
    """The bar's length in the pixels pdftoppm draws is its label's length at 1:10,000."""
    dpi = 300
    ws = words(demo_pdf)
    text = poppler("pdftotext", demo_pdf, "-")
    assert "比例尺 1:10,000" in text
    zero = [w for w in ws if w.text == "0"]
    end = [w for w in ws if w.text == "500" and any(abs(w.y - z.y) < 0.5 for z in zero)]
    assert len(end) == 1
    z = min(zero, key=lambda w: abs(w.y - end[0].y))
    with Image.open(render_png(demo_pdf, dpi)) as img:
        grey = np.asarray(img.convert("L"))
    px = dpi / 25.4
    row = grey[round((z.top - 1.0 - 0.8) * px)]  # the bar's middle: 1 mm above its labels
    lo, hi = round((z.x - 3) * px), round((end[0].x + 3) * px)
    dark = np.flatnonzero(row[lo:hi] < 100)
    length_mm = (dark[-1] - dark[0]) / px
    assert length_mm == pytest.approx(500 * 1000 / 10000, rel=TOL)  # 50 mm


def test_demo_sheet_map_scale_from_plot_labels(demo_pdf):
    """Every pair of plot labels lies on the page as far apart as on the ground / 10,000."""
    from planner.data.demo import load_demo

    plots = load_demo().plots.to_crs(CRS)
    pts = plots.geometry.representative_point()
    ground = dict(zip(plots["plot_id"].astype(str), zip(pts.x, pts.y, strict=True), strict=True))
    ws = [
        w
        for w in in_map(words(demo_pdf), sheet_layout("A3", "landscape"), 297.0)
        if w.text in ground
    ]
    assert len(ws) >= 50
    first, last = min(ws, key=lambda w: w.x), max(ws, key=lambda w: w.x)
    dx_page = last.x - first.x
    dx_ground = ground[last.text][0] - ground[first.text][0]
    assert dx_page == pytest.approx(dx_ground * 1000 / 10000, rel=TOL)
    top, bottom = min(ws, key=lambda w: w.y), max(ws, key=lambda w: w.y)
    assert bottom.y - top.y == pytest.approx(
        (ground[top.text][1] - ground[bottom.text][1]) * 1000 / 10000, rel=TOL
    )


def test_demo_sheet_text_fonts_and_title_block(demo_pdf):
    assert all(f["emb"] == "yes" for f in fonts(demo_pdf))
    text = poppler("pdftotext", demo_pdf, "-")
    for label in (
        "边角地块改造候选图",
        "示范片区（虚构）",
        "虚构数据（示范片区），仅供演示",
        "EPSG:4548",
        "中部生活圈",
        "图例",
        "口袋公园（50）",
        "停车场（32）",
        "不推荐（17）",
        "规划助手示范片区生成程序（虚构数据）",
        "Noto Sans SC",
    ):
        assert label in text, label


def test_sheet_of_chosen_plots(tmp_path, capsys):
    sel, out = tmp_path / "sel.gpkg", tmp_path / "chosen.png"
    assert (
        run(
            capsys,
            "select",
            "--demo",
            "--workers",
            "1",
            "--use",
            "pocket_park",
            "--k",
            "3",
            "--out",
            sel,
        )[0]
        == 0
    )
    code, _, err = run(
        capsys,
        "sheet",
        "--demo",
        "--workers",
        "1",
        "--selected",
        sel,
        "--use",
        "pocket_park",
        "--lang",
        "en",
        "--paper",
        "a4",
        "--dpi",
        "80",
        "--title",
        "Pocket parks 2025",
        "--out",
        out,
    )
    assert code == 0, err
    assert "A4 landscape, 1:" in err
    with Image.open(out) as img:
        assert abs(img.size[0] - 297 / 25.4 * 80) < 1 and abs(img.size[1] - 210 / 25.4 * 80) < 1


def test_sheet_at_a_given_scale_and_portrait(tmp_path, capsys):
    out = tmp_path / "p.pdf"
    code, _, err = run(
        capsys,
        "sheet",
        "--demo",
        "--workers",
        "1",
        "--scale",
        "1:25,000",
        "--orientation",
        "portrait",
        "--out",
        out,
    )
    assert code == 0, err
    assert "1:25,000" in err and "1:25,000" in poppler("pdftotext", out, "-")
    w, h = page_size_mm(out)
    assert (round(w), round(h)) == (297, 420)


@pytest.mark.parametrize(
    "args, message",
    [
        (["--paper", "A5", "--out", "{tmp}/m.pdf"], "'A5' is not one of"),
        (["--out", "{tmp}/m.svg"], "written as .pdf or .png"),
        (["--out", "{tmp}/missing/m.pdf"], "does not exist"),
        (["--out", "{tmp}/file.txt/m.pdf"], "is a file, not a folder"),
        (["--scale", "1:3000", "--out", "{tmp}/m.pdf"], "not a standard scale"),
        (["--scale", "big", "--out", "{tmp}/m.pdf"], "is not a scale"),
        (["--selected", "{tmp}/none.gpkg", "--out", "{tmp}/m.pdf"], "no such file"),
        (["--selected", "{tmp}/file.txt", "--out", "{tmp}/m.pdf"], "has no plot_id column"),
        (["--selected", "{tmp}/ids.csv", "--out", "{tmp}/m.pdf"], "chosen plot 'NOPE'"),
        (["--tiles", "{tmp}/file.txt", "--out", "{tmp}/m.pdf"], "XYZ tiles or an .mbtiles"),
    ],
)
def test_bad_input_one_line_no_file(tmp_path, capsys, args, message):
    (tmp_path / "file.txt").write_text("plot\nx\n")
    (tmp_path / "ids.csv").write_text("plot_id\nD001\nNOPE\n")
    before = sorted(p.name for p in tmp_path.iterdir())
    code, _, err = run(
        capsys,
        "sheet",
        "--demo",
        "--workers",
        "1",
        "--quiet",
        *[a.format(tmp=tmp_path) for a in args],
    )
    assert code == 2 and err.startswith("error: ") and err.count("\n") == 1, err
    assert message in err and "Traceback" not in err
    assert sorted(p.name for p in tmp_path.iterdir()) == before


# --- app downloads and the report ----------------------------------------------------------
@pytest.fixture(scope="module")
def scored_demo():
    import planner
    from planner.config import PlannerConfig
    from planner.scoring import combine, compute_criteria

    table = compute_criteria(planner.load_demo(), PlannerConfig())
    return table, combine(table, PlannerConfig())


def test_app_downloads_make_the_sheet_and_the_drawing(scored_demo, tmp_path):
    from planner.app.report import downloads
    from planner.config import PlannerConfig

    table, result = scored_demo
    specs = {s["key"]: s for s in downloads(result, table.layers, PlannerConfig(), lang="en")}
    pdf = tmp_path / specs["dl_sheet"]["file_name"]
    pdf.write_bytes(specs["dl_sheet"]["data"]())
    assert specs["dl_sheet"]["label"] == "Map sheet, A3 (PDF)"
    assert [round(v) for v in page_size_mm(pdf)] == [420, 297]
    assert "Legend" in poppler("pdftotext", pdf, "-")
    dxf = tmp_path / specs["dl_dxf"]["file_name"]
    dxf.write_bytes(specs["dl_dxf"]["data"]())
    import ezdxf

    doc = ezdxf.readfile(dxf)
    assert not doc.audit().has_errors
    assert len(doc.modelspace().query("TEXT[layer=='TEXT_PLOT_ID']")) == len(result)


def test_report_carries_the_sheet(scored_demo, tmp_path):
    import base64
    import re

    from planner.app.report import build_report
    from planner.config import PlannerConfig

    table, result = scored_demo
    page = build_report(result, table.layers, PlannerConfig(), lang="zh", sheet=True)
    assert tr("report_sheet", "zh") in page
    m = re.search(r"href='data:application/pdf;base64,([A-Za-z0-9+/=]+)'", page)
    assert m and "下载 A3 图纸 PDF（1:10,000）" in page
    pdf = tmp_path / "from_report.pdf"
    pdf.write_bytes(base64.b64decode(m.group(1)))
    assert [round(v) for v in page_size_mm(pdf)] == [420, 297]
    assert "data:image/png;base64," in page
    assert tr("report_sheet", "zh") not in build_report(result, table.layers, PlannerConfig())
