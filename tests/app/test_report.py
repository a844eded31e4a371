"""The single-file HTML report and the download helpers."""

from __future__ import annotations

import html
import io
import re
import tomllib

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import LineString, box

from planner import PlannerConfig, combine, compute_criteria
from planner.app.i18n import tr
from planner.app.report import build_report, config_toml, export_bytes, html_table, svg_bars
from planner.errors import OutputError
from planner.io.write import OUTPUT_FORMATS
from planner.layers import Layers

EVIL = "<img src=x onerror=alert(1)>"
METRIC = "EPSG:4548"


@pytest.fixture(scope="module")
def run():
    x0, y0 = 500_000.0, 4_330_000.0
    plots = gpd.GeoDataFrame(
        {"plot_id": ["A", "B"], "name": [EVIL, "空地"]},
        geometry=[box(x0, y0, x0 + 40, y0 + 30), box(x0 + 100, y0, x0 + 105, y0 + 5)],
        crs=METRIC,
    )
    roads = gpd.GeoDataFrame(
        {"highway": ["residential"]},
        geometry=[LineString([(x0 - 50, y0 - 4), (x0 + 200, y0 - 4)])],
        crs=METRIC,
    )
    constraints = gpd.GeoDataFrame(
        {"reason": ["文物 </td><script>x()</script>"]},
        geometry=[box(x0 + 90, y0 - 10, x0 + 120, y0 + 20)],
        crs=METRIC,
    )
    table = compute_criteria(Layers(plots=plots, roads=roads, constraints=constraints))
    return table, combine(table)


def test_report_is_one_self_contained_escaped_file(run):
    table, result = run
    page = build_report(result, table.layers, PlannerConfig(), lang="en", synthetic=True)
    assert page.startswith("<!DOCTYPE html>")
    # nothing is fetched: no external script or stylesheet, the map is inline in an iframe
    assert not re.search(r"<script[^>]*\ssrc=", page)
    assert not re.search(r"<link[^>]*stylesheet", page)
    assert "<iframe title='Map' srcdoc=" in page
    # data text escaped in the outer page (table) and, doubly, inside srcdoc
    assert EVIL not in page and "<script>x()</script>" not in page
    assert html.escape(EVIL) in page
    srcdoc = html.unescape(re.search(r'srcdoc="(.*?)"></iframe>', page, flags=re.S).group(1))
    assert srcdoc.startswith("<!DOCTYPE html>")
    assert EVIL not in srcdoc and "<script>x()</script>" not in srcdoc
    assert "<script src=" not in srcdoc  # Leaflet inlined into the map page too
    assert tr("report_synthetic", "en") in page


def test_report_sections_and_parameters(run):
    table, result = run
    config = PlannerConfig.from_dict({"thresholds": {"recommend_min_score": 0.4}})
    page = build_report(result, table.layers, config, lang="zh")
    for key in (
        "report_summary",
        "report_data",
        "report_map",
        "report_charts",
        "report_top",
        "report_criteria",
        "report_params",
    ):
        assert f"<h2>{tr(key, 'zh')}</h2>" in page
    assert "<td><code>recommend_min_score</code></td><td><code>0.4</code></td>" in page
    assert page.count("<svg") == 2
    # both plots in the candidates table, ranked
    top = page.split(f"<h2>{tr('report_top', 'zh')}</h2>")[1].split("<h2>")[0]
    assert top.count("<tr>") == 3  # header + 2 plots
    assert "<td>1</td><td>A</td>" in top


def test_html_table_escapes_headers_and_cells():
    frame = pd.DataFrame({"<h>": ["<b>", None], "x": [0.123, float("nan")]})
    out = html_table(frame)
    assert out == (
        "<table><thead><tr><th>&lt;h&gt;</th><th>x</th></tr></thead><tbody>"
        "<tr><td>&lt;b&gt;</td><td>0.12</td></tr><tr><td></td><td></td></tr>"
        "</tbody></table>"
    )


def test_svg_bars_heights_are_proportional():
    hist = pd.DataFrame({"a": [2, 4]}, index=["x", "y"])
    svg = svg_bars(hist, {"a": "#123456"}, {"a": "A<"}, width=208, height=160)
    heights = [
        float(h)
        for h in re.findall(
            r"<rect x='[\d.]+' y='[\d.]+' width='[\d.]+' "
            r"height='([\d.]+)' fill='#123456'><title>",
            svg,
        )
    ]
    assert heights == [50.0, 100.0]  # plot height 160 - 36 - 24 = 100 for the top value 4
    assert "A&lt;" in svg and "A<" not in svg


@pytest.mark.parametrize("ext", sorted(OUTPUT_FORMATS))
def test_export_bytes_every_format(run, ext, tmp_path):
    _, result = run
    data = export_bytes(result, ext)
    assert len(data) > 0
    if ext == ".csv":
        table = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig")
        assert table["plot_id"].tolist() == ["A", "B"]
    else:
        path = tmp_path / f"out{ext}"
        path.write_bytes(data)
        back = gpd.read_file(path, layer="candidates" if ext == ".xlsx" else None)
        assert sorted(back["plot_id"]) == ["A", "B"]


def test_export_bytes_refuses_unknown_format(run):
    _, result = run
    with pytest.raises(OutputError, match="unknown output format"):
        export_bytes(result, ".docx")


def test_config_toml_round_trips():
    config = PlannerConfig.from_dict(
        {"weights": {"parking": {"demand": 0.7}}, "thresholds": {"min_stalls": 8}}
    )
    text = config_toml(config)
    assert "[weights.parking]\ndemand = 0.7" in text
    assert PlannerConfig.from_dict(tomllib.loads(text)) == config


def test_reciprocal_matrix_from_the_upper_triangle():
    from planner.app.views import reciprocal_matrix

    edited = pd.DataFrame(
        [[1, 3, 0.5], [9, 1, -2], [7, 7, 1]], index=list("abc"), columns=list("abc")
    )
    full = reciprocal_matrix(edited)
    assert full.to_numpy().tolist() == [[1.0, 3.0, 0.5], [1 / 3, 1.0, 1.0], [2.0, 1.0, 1.0]]


def test_downloads_list_every_file_made_only_when_pressed(run, monkeypatch):
    from planner.app import report

    table, result = run
    made = []
    monkeypatch.setattr(report, "export_bytes", lambda r, ext: made.append(ext) or b"x")
    specs = report.downloads(result, table.layers, PlannerConfig(), lang="en", synthetic=True)
    assert [s["key"] for s in specs] == [f"dl{ext}" for ext in OUTPUT_FORMATS] + [
        "dl_dxf",
        "dl_sheet",
        "dl_report",
        "dl_config",
    ]
    assert [s["file_name"] for s in specs[:-4]] == [f"candidates{ext}" for ext in OUTPUT_FORMATS]
    assert [s["file_name"] for s in specs[-4:-2]] == ["candidates.dxf", "map_sheet_A3.pdf"]
    assert all(callable(s["data"]) for s in specs[:-1])  # made when pressed, not before
    assert specs[-2]["file_name"] == "planner_report.html" and specs[-2]["mime"] == "text/html"
    assert specs[-1]["data"] == config_toml(PlannerConfig())
    assert made == []  # nothing written until a button asks
    first = next(iter(OUTPUT_FORMATS))
    assert specs[0]["data"]() == b"x" and made == [first]
    assert specs[0]["label"] == tr("download_candidates", "en", fmt=first.lstrip(".").upper())
