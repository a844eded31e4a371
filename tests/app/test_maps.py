"""The folium map on its HTML: layers, legend, escaped text, no CDN, base maps, clicks."""

from __future__ import annotations

import json
import re

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from shapely.geometry import LineString, Point, box

from planner import PlannerConfig, combine, compute_criteria
from planner.app.i18n import role_label, tr, use_label
from planner.app.maps import (
    CANVAS_MIN_PLOTS,
    SCORE_COLORS,
    USE_COLORS,
    MapInputError,
    breakdown,
    build_map,
    leaflet_assets,
    map_html,
    plot_at,
    plot_popups,
    plot_tooltips,
    score_colors,
    selection_group,
    to_display,
)
from planner.app.plot_layer import coord_quantum, digits, encode_plots, js_json, plot_columns
from planner.layers import Layers

EVIL = "<img src=x onerror=alert(1)>"
METRIC = "EPSG:4548"  # CGCS2000 3-degree GK CM 117E: metres
CDN_HOSTS = (
    "cdn.jsdelivr.net",
    "cdnjs.cloudflare.com",
    "code.jquery.com",
    "netdna",
    "bootstrapcdn",
    "d3js.org",
    "unpkg.com",
    "googleapis",
)


def _layers() -> Layers:
    """Three plots, one park, one road, one estate, one car park, one POI, one circle.

    All in metres around (500 000, 4 330 000). Plot A (40 × 30 m) is 200 m east of the park,
    B (30 × 20 m) touches the road, C (10 × 10 m) is too small for a pocket park.
    """
    x0, y0 = 500_000.0, 4_330_000.0
    plots = gpd.GeoDataFrame(
        {"plot_id": ["A", "B", "C"], "name": [EVIL, "空地</script><b>x</b>", None]},
        geometry=[
            box(x0 + 200, y0, x0 + 240, y0 + 30),
            box(x0 + 400, y0 + 5, x0 + 430, y0 + 25),
            box(x0 + 600, y0, x0 + 610, y0 + 10),
        ],
        crs=METRIC,
    )
    green = gpd.GeoDataFrame(
        {"name": ["公园 & <park>"]}, geometry=[box(x0 - 50, y0, x0, y0 + 50)], crs=METRIC
    )
    roads = gpd.GeoDataFrame(
        {"name": ["路"], "highway": ["secondary"]},
        geometry=[LineString([(x0 - 100, y0 - 5), (x0 + 800, y0 - 5)])],
        crs=METRIC,
    )
    res = gpd.GeoDataFrame(
        {"name": ["小区<i>"], "population": [1200.0]},
        geometry=[box(x0 + 250, y0 + 60, x0 + 350, y0 + 160)],
        crs=METRIC,
    )
    parking = gpd.GeoDataFrame(
        {"name": ["P"], "capacity": [40]}, geometry=[Point(x0 + 800, y0 + 100)], crs=METRIC
    )
    pois = gpd.GeoDataFrame(
        {"name": ["学校"], "category": ["school"]}, geometry=[Point(x0 + 420, y0 + 60)], crs=METRIC
    )
    circles = gpd.GeoDataFrame(
        {"circle_id": ["LC1"], "name": ["生活圈一"]},
        geometry=[box(x0 - 100, y0 - 100, x0 + 1000, y0 + 500)],
        crs=METRIC,
    )
    return Layers(
        plots=plots,
        green=green,
        roads=roads,
        residential=res,
        parking=parking,
        pois=pois,
        life_circles=circles,
    )


@pytest.fixture(scope="module")
def run():
    table = compute_criteria(_layers())
    return table, combine(table)


def _group_names(html_text: str) -> list[str]:
    """Names of the overlays listed in the layer control."""
    m = re.search(r"overlays\s*:\s*\{(.*?)\}", html_text, flags=re.S)
    assert m, "no layer control"
    return [json.loads(k) for k in re.findall(r'("(?:[^"\\]|\\.)*")\s*:', m.group(1))]


def test_every_context_layer_and_the_plots_are_toggleable(run):
    table, result = run
    page = map_html(build_map(result, table.layers, lang="en"))
    names = _group_names(page)
    for role in ("plots", "green", "residential", "roads", "parking", "pois", "life_circles"):
        assert role_label(role, "en") in names
    # no constraints layer was given, so none is listed
    assert role_label("constraints", "en") not in names


def test_legend_lists_uses_in_the_chosen_language(run):
    table, result = run
    for lang in ("en", "zh"):
        page = map_html(build_map(result, table.layers, lang=lang))
        assert "planner-legend" in page
        legend = json.loads(re.search(r"div.innerHTML = (\".*?\");", page).group(1))
        for use in ("pocket_park", "parking", "none", "excluded"):
            assert use_label(use, lang) in legend
            assert USE_COLORS[use] in legend
        assert role_label("residential", lang) in legend  # population classes


def test_score_legend_has_five_classes(run):
    table, result = run
    page = map_html(build_map(result, table.layers, lang="en", color_by="park_score"))
    legend = json.loads(re.search(r"div.innerHTML = (\".*?\");", page).group(1))
    assert all(c in legend for c in SCORE_COLORS)
    assert "0.8–1.0" in legend and tr("park_score", "en") in legend


def test_score_colors_by_class():
    s = pd.Series([0.0, 0.19, 0.2, 0.59, 0.6, 0.99, 1.0, np.nan])
    assert score_colors(s).tolist() == [
        SCORE_COLORS[0],
        SCORE_COLORS[0],
        SCORE_COLORS[1],
        SCORE_COLORS[2],
        SCORE_COLORS[3],
        SCORE_COLORS[4],
        SCORE_COLORS[4],
        USE_COLORS["none"],
    ]


def test_text_from_data_is_escaped_everywhere(run):
    table, result = run
    tips = plot_tooltips(result, "en")
    pops = plot_popups(result, PlannerConfig(), "en")
    assert "&lt;img src=x onerror=alert(1)&gt;" in tips.iloc[0]
    assert "&lt;img src=x onerror=alert(1)&gt;" in pops.iloc[0]
    assert "空地&lt;/script&gt;&lt;b&gt;x&lt;/b&gt;" in tips.iloc[1]
    assert not any(EVIL in t or "<b>x</b>" in t for t in list(tips) + list(pops))
    page = map_html(build_map(result, table.layers, lang="en"))
    # nothing from data reaches the page raw: not the tag, not a closing script
    for raw in (EVIL, "</script><b>", "<park>", "小区<i>"):
        assert raw not in page
    assert page.count("</script>") == page.count("<script")


def test_no_cdn_urls_only_the_vendored_leaflet(run):
    table, result = run
    page = map_html(build_map(result, table.layers, lang="zh", basemap="none"))
    scripts = re.findall(r'<script[^>]*\ssrc="([^"]*)"', page)
    styles = re.findall(r'<link[^>]*\shref="([^"]*)"', page)
    assert scripts == ["/app/static/vendor/leaflet-1.9.4/leaflet.js"]
    assert styles == ["/app/static/vendor/leaflet-1.9.4/leaflet.css"]
    assert not any(h in page for h in CDN_HOSTS)
    assert not re.search(r"https?://", page.replace("http://www.w3.org", ""))


def test_served_assets_exist_in_the_vendored_folder():
    from planner.app.maps import VENDOR_DIR

    js, css = leaflet_assets("/app/static/vendor")
    for _, url in js + css:
        rel = url.removeprefix("/app/static/vendor/")
        assert (VENDOR_DIR / rel).is_file()
    assert (VENDOR_DIR / "leaflet-1.9.4" / "LICENSE").is_file()


def test_inline_assets_make_a_self_contained_page(run):
    table, result = run
    page = map_html(build_map(result, table.layers, assets="inline", basemap="none"))
    assert "<script src=" not in page and '<link rel="stylesheet"' not in page
    assert "L.version" in page or '"1.9.4"' in page  # Leaflet's code is in the page
    assert "data:image/png;base64," in page  # the layer-control icon is embedded


def test_base_maps(run):
    _, result = run
    osm = map_html(build_map(result, basemap="osm"))
    assert "tile.openstreetmap.org" in osm
    tdt = map_html(build_map(result, basemap="tianditu", tianditu_key="k&y<1>"))
    assert "tianditu.gov.cn/vec_w" in tdt and "tk=k%26y%3C1%3E" in tdt
    intranet = map_html(
        build_map(result, basemap="custom", tile_url="http://tiles.bureau.local/{z}/{x}/{y}.png")
    )
    assert "tiles.bureau.local/{z}/{x}/{y}.png" in intranet
    with pytest.raises(MapInputError, match="Tianditu key"):
        build_map(result, basemap="tianditu")
    with pytest.raises(MapInputError, match="tile URL"):
        build_map(result, basemap="custom", tile_url="http://x/tiles.png")
    with pytest.raises(MapInputError, match="GCJ-02"):
        build_map(result, basemap="amap")
    with pytest.raises(MapInputError, match="unknown base map"):
        build_map(result, basemap="google")


def test_amap_shifts_every_layer_by_the_injected_function(run):
    table, result = run
    dx = 0.005

    def shift(geoms):
        return shapely.transform(np.asarray(geoms), lambda xy: xy + [dx, 0.0])

    plain = to_display(result, ["plot_id"])
    shifted = to_display(result, ["plot_id"], shift=shift)
    assert shifted.total_bounds[0] == pytest.approx(plain.total_bounds[0] + dx, abs=1e-6)
    page = map_html(build_map(result, table.layers, basemap="amap", display_shift=shift))
    assert "autonavi.com" in page
    # a click in display (shifted) coordinates finds the plot after unshifting
    centre = plain.geometry.iloc[0].centroid

    def unshift(geoms):
        return shapely.transform(np.asarray(geoms), lambda xy: xy - [dx, 0.0])

    assert plot_at(result, centre.y, centre.x + dx, display_unshift=unshift) == "A"
    assert plot_at(result, centre.y, centre.x + dx) is None


def test_to_display_keeps_only_needed_columns_and_simplifies():
    # a 100 m square with 400 vertices on its edges: simplifies to 5 coordinates
    x0, y0 = 500_000.0, 4_330_000.0
    t = np.linspace(0, 100, 101)[:-1]
    ring = (
        [(x0 + v, y0) for v in t]
        + [(x0 + 100, y0 + v) for v in t]
        + [(x0 + 100 - v, y0 + 100) for v in t]
        + [(x0, y0 + 100 - v) for v in t]
    )
    frame = gpd.GeoDataFrame(
        {"keep": [1], "drop": ["x" * 1000]}, geometry=[shapely.Polygon(ring)], crs=METRIC
    )
    out = to_display(frame, ["keep"])
    assert list(out.columns) == ["keep", "geometry"]
    assert out.crs.to_epsg() == 4326
    assert shapely.get_num_coordinates(out.geometry.iloc[0]) == 5


def test_plot_at_finds_the_clicked_plot(run):
    _, result = run
    wgs = result.to_crs(4326)
    for pid in ("A", "B", "C"):
        p = wgs.loc[wgs["plot_id"] == pid].geometry.iloc[0].representative_point()
        assert plot_at(result, p.y, p.x) == pid
    assert plot_at(result, 39.5, 117.5) is None


def test_breakdown_contributions_sum_to_the_use_score(run):
    _, result = run
    config = PlannerConfig()
    long = breakdown(result, config, "en")
    a = result.index[result["plot_id"] == "A"][0]
    park = long[(long["row"] == a) & (long["use"] == "pocket_park")]
    assert park["contribution"].sum() == pytest.approx(result.loc[a, "park_score"], abs=1e-3)
    assert park["weight"].sum() == pytest.approx(1.0)
    # vulnerable_share has no elderly/child data: it is left out with weight 0
    vs = park[park["criterion"] == "vulnerable_share"]
    assert vs["weight"].iloc[0] == 0.0 and np.isnan(vs["score"].iloc[0])


def test_selection_group_outlines_the_plot_and_draws_layout(run):
    _, result = run
    assert selection_group(result, None) == []
    assert selection_group(result, "nope") == []
    x0, y0 = 500_400.0, 4_330_005.0
    layout = gpd.GeoDataFrame(
        {"kind": ["stall<1>"], "stalls": [4]}, geometry=[box(x0, y0, x0 + 10, y0 + 5)], crs=METRIC
    )
    groups = selection_group(result, "B", lang="en", layout=layout)
    assert len(groups) == 2
    m = build_map(result, selected="B", layout=layout, lang="en")
    page = map_html(m)
    assert tr("layer_selected", "en") in _group_names(page)
    assert tr("layer_layout", "en") in _group_names(page)
    assert "stall&lt;1&gt;" in page.replace("\\u0026", "&") and "stall<1>" not in page


def test_unknown_colouring_is_refused(run):
    _, result = run
    with pytest.raises(MapInputError, match="colouring"):
        build_map(result, color_by="rank")


def test_popups_only_when_asked_and_styles_set_in_the_browser(run):
    table, result = run
    with_popups = map_html(build_map(result, table.layers, popup_detail=True))
    without = map_html(build_map(result, table.layers, popup_detail=False))
    assert "bindPopup" in with_popups and "bindPopup" not in without
    assert "bindTooltip" in without  # tooltips stay
    # one style function per layer reading the colour property, not one entry per feature
    assert ".options.style = function (feature)" in without
    assert 'feature.properties["_color"]' in without


def test_selected_layout_frame_for_the_map(run):
    from planner.app.views import selected_layout

    table, result = run
    # plot A: 40 x 30 m, its long side on no road given here -> access assumed
    frame, figures = selected_layout(result, "A", None, PlannerConfig())
    assert figures["stalls"] > 0
    assert (frame["kind"].str.contains("stall")).sum() == figures["stalls"]
    assert frame.crs == result.crs
    page = map_html(build_map(result, selected="A", layout=frame, lang="en"))
    assert tr("layer_layout", "en") in _group_names(page)


def test_extra_groups_are_drawn_without_their_cdn_assets(run):
    table, result = run
    group = folium.FeatureGroup(name="life circles 生活圈")
    folium.GeoJson(to_display(table.layers.life_circles, ["name"]).to_json()).add_to(group)
    page = map_html(build_map(result, extra_groups=[group], lang="en"))
    assert "life circles 生活圈" in _group_names(page)
    assert not any(h in page for h in CDN_HOSTS)


# --- the plot layer: encoded geometry, columns, labels once (issue 17) -----------------------


def test_coordinates_on_a_grid_of_half_a_pixel_at_the_highest_zoom():
    # a pixel at zoom 19, latitude 40°: 156,543 m × cos 40° / 2**19 = 0.229 m; half = 1.03e-6°
    assert coord_quantum(40.0, 19) == 1e-6
    assert coord_quantum(40.0, 18) == 2e-6
    assert coord_quantum(0.0, 16) == 1e-5  # 2.39 m a pixel on the equator: half is 1.07e-5°


def test_plots_encoded_as_integer_steps_with_rings_unclosed():
    plots = gpd.GeoDataFrame(
        {"plot_id": ["A", "B", "C"], "name": [EVIL, None, "丙"]},
        geometry=[
            box(116.0, 40.0, 116.001, 40.0005),
            shapely.MultiPolygon(
                [box(116.002, 40.0, 116.003, 40.001), box(116.004, 40.0, 116.005, 40.001)]
            ),
            shapely.Polygon(
                box(116.006, 40.0, 116.010, 40.004).exterior.coords,
                [box(116.007, 40.001, 116.008, 40.002).exterior.coords],
            ),
        ],
        crs="EPSG:4326",
    )
    g = encode_plots(plots, max_zoom=18)
    assert g.quantum == 2e-6 and g.origin == (116.0, 40.0)
    assert g.parts.tolist() == [1, 2, 1] and g.polygons.tolist() == [1, 1, 1, 2]
    assert g.rings.tolist() == [4, 4, 4, 4, 4]  # five closed rings of 5 points, unclosed
    # box A from (116, 40): (500, 0) (500, 250) (0, 250) (0, 0) in steps of 2e-6°
    assert g.coords[:8].tolist() == [500, 0, 0, 250, -500, 0, 0, -250]
    xy = np.cumsum(g.coords.reshape(-1, 2), axis=0) * g.quantum + g.origin
    assert xy[-1] == pytest.approx([116.007, 40.001])  # the hole's last vertex
    assert g.ids == ["A", "B", "C"] and g.names == [EVIL, "", "丙"]
    assert g.bounds == pytest.approx((116.0, 40.0, 116.010, 40.004))


def test_columns_as_digit_strings_and_script_safe_json():
    assert digits(np.array([3, 12, 0])) == '[2,"031200"]'
    assert digits(np.array([7]), 3) == '[3,"007"]'
    text = plot_columns(
        np.array([0, 1, 3]),
        np.array(["#1", "#2", "#1"], dtype=object),
        np.array([0.876, np.nan, 0.0]),
        np.array([0.105, 1.0, 0.5]),
    )
    data = json.loads(text)
    assert data["u"] == [1, "013"] and data["k"] == [1, "010"]
    assert data["palette"] == ["#1", "#2"]
    assert data["s"] == [3, "088999000"] and data["t"] == [3, "010100050"]  # 999: no score
    unsafe = js_json(["</script><img src=x onerror=alert(1)>", "a&b'c", "\u2028"])
    assert not any(c in unsafe for c in "<>&'\u2028")
    assert json.loads(unsafe)[0] == "</script><img src=x onerror=alert(1)>"


def test_plot_text_reaches_the_page_only_as_escaped_json(run):
    table, result = run
    page = map_html(build_map(result, table.layers, lang="en", basemap="none"))
    # the plots are one layer: names once in its columns, labels once, no per-plot HTML
    assert page.count("L.geoJSON(") == 1 and "bindTooltip(function (l)" in page
    assert "\\u003cimg src=x onerror=alert(1)\\u003e" in page and EVIL not in page
    assert json.dumps(tr("park_score", "en")) in page
    assert page.count(tr("park_score", "en")) == 1
    # the browser escapes every value from data before it becomes HTML
    assert "replace(/[&<>\"']/g" in page and "esc(G.name[i])" in page and "esc(G.id[i])" in page


def test_large_maps_draw_plots_on_a_canvas(run):
    _, result = run
    small = map_html(build_map(result, basemap="none"))
    assert "L.canvas(" not in small
    many = pd.concat([result] * (CANVAS_MIN_PLOTS // len(result) + 1), ignore_index=True)
    many["plot_id"] = [f"P{i}" for i in range(len(many))]
    page = map_html(build_map(gpd.GeoDataFrame(many, crs=result.crs), basemap="none"))
    assert "opts.renderer = L.canvas(" in page
