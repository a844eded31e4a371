"""Build the planner's interactive folium map: pure functions, no streamlit.

:func:`build_map` draws the scored plots (coloured by recommended use or by a score, with a
legend), the context layers of the run (green space, residential by population, roads,
existing parking, POIs, life circles, constraints), and — when given — the walking catchment
and the parking layout of the selected plot, each a layer that can be switched on and off.

Three rules hold for everything drawn here:

* **Text from data is escaped.** The context layers' tooltips and the plots' popups are HTML
  built in Python with :func:`html.escape` on every value that came from data; the plots'
  tooltips are written in the browser from their columns, every value escaped there
  (:mod:`planner.app.plot_layer`). All embedded JSON has ``<``, ``>``, ``&`` and ``'``
  escaped, so a plot named ``<img src=x onerror=alert(1)>`` shows as text.
* **No CDN.** Leaflet's JavaScript and CSS are vendored under ``static/vendor/`` and either
  served by the app (``assets="served"``, streamlit static serving, ``/app/static/...``) or
  inlined into the page (``assets="inline"``, the single-file report). Every folium element's
  ``default_js``/``default_css`` is replaced, so nothing is fetched from the internet. Only the
  base-map tiles come from a tile server, which may be an intranet one; with no tiles the
  data layers still draw.
* **Light layers.** Geometries are simplified to a display tolerance, coordinates rounded to
  about 0.1 m, and only the columns shown are kept. The plots — the one layer that grows to
  tens of thousands — are one :class:`~planner.app.plot_layer.PlotLayer`: coordinates as
  integer steps on a grid of half a pixel at the highest zoom, attributes as columns, labels
  once, drawn on a canvas above :data:`~planner.app.plot_layer.CANVAS_MIN_PLOTS` plots
  (a 20,000-plot page is 1.2 MB instead of 9 MB; benchmarks/README.md, "app").

Amap tiles use GCJ-02 coordinates; for that base map the caller passes ``display_shift`` (a
vectorised WGS84 → GCJ-02 function over shapely geometries) and every layer is shifted for
display only.
"""

from __future__ import annotations

import base64
import html
import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Literal
from urllib.parse import quote

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from branca.element import Element, MacroElement
from jinja2 import Template

from planner.app.i18n import role_label, tr, use_label
from planner.app.plot_layer import (
    CANVAS_MIN_PLOTS,
    PlotGeometry,
    PlotLayer,
    encode_plots,
    plot_columns,
)
from planner.config import USES, PlannerConfig
from planner.crs import WGS84
from planner.errors import PlannerError
from planner.layers import Layers
from planner.messages import Msg
from planner.scoring.explain import breakdown

#: Folder of the vendored JavaScript/CSS (served by streamlit at ``/app/static/vendor``).
VENDOR_DIR = Path(__file__).resolve().parents[2] / "static" / "vendor"
#: URL the app serves :data:`VENDOR_DIR` at (streamlit ``enableStaticServing``).
SERVED_VENDOR_URL = "/app/static/vendor"
LEAFLET_DIR = "leaflet-1.9.4"

AssetMode = Literal["served", "inline"]
GeometryShift = Callable[[np.ndarray], np.ndarray]

#: Colours of the recommended uses (colour-blind-safe pair plus greys).
USE_COLORS: dict[str, str] = {
    "pocket_park": "#1b9e4b",
    "parking": "#2c6fbb",
    "none": "#b0b0b0",
    "excluded": "#555555",
}
#: Five classes of a 0–1 score, light to dark (ColorBrewer YlGnBu).
SCORE_BINS = (0.0, 0.2, 0.4, 0.6, 0.8, 1.0)
SCORE_COLORS = ("#ffffcc", "#a1dab4", "#41b6c4", "#2c7fb8", "#253494")
#: Residential fill by population (ColorBrewer Oranges), with the class edges.
POPULATION_COLORS = ("#feedde", "#fdbe85", "#fd8d3c", "#e6550d", "#a63603")
CONTEXT_STYLE: dict[str, dict[str, object]] = {
    "green": {"color": "#2ca25f", "fillColor": "#66c2a4", "weight": 1, "fillOpacity": 0.45},
    "roads": {"color": "#6e6e6e", "weight": 2, "opacity": 0.8},
    "parking": {"color": "#08306b", "fillColor": "#4292c6", "weight": 1, "fillOpacity": 0.9},
    "pois": {"color": "#54278f", "fillColor": "#9e9ac8", "weight": 1, "fillOpacity": 0.9},
    "life_circles": {"color": "#e7298a", "weight": 2, "fillOpacity": 0.0, "dashArray": "6 4"},
    "constraints": {
        "color": "#a50f15",
        "fillColor": "#fb6a4a",
        "weight": 1,
        "fillOpacity": 0.25,
        "dashArray": "3 3",
    },
    "catchment": {"color": "#d95f02", "fillColor": "#fdae6b", "weight": 2, "fillOpacity": 0.2},
    "layout": {"color": "#08519c", "fillColor": "#c6dbef", "weight": 1, "fillOpacity": 0.8},
    "selected": {"color": "#ff00ff", "weight": 4, "fillOpacity": 0.0},
}
#: Display simplification tolerance (metres, in the run's metric CRS) and coordinate grid.
SIMPLIFY_M = 1.0
COORD_GRID_DEG = 1e-6
#: Above this many plots the map has no popups (tooltips stay; the app panel explains a click).
POPUP_DETAIL_MAX_PLOTS = 1000


@dataclass(frozen=True)
class Basemap:
    """A base map: tile URL template, attribution, subdomains, coordinate system."""

    key: str
    url: str
    attribution: str
    subdomains: str = "abc"
    coord_system: str = "wgs84"
    max_zoom: int = 19


_TIANDITU = (
    "https://t{s}.tianditu.gov.cn/{layer}_w/wmts?SERVICE=WMTS&REQUEST=GetTile"
    "&VERSION=1.0.0&LAYER={layer}&STYLE=default&TILEMATRIXSET=w&FORMAT=tiles"
    "&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}&tk="
)
BASEMAPS: dict[str, Basemap] = {
    "osm": Basemap(
        "osm",
        "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
        "&copy; OpenStreetMap contributors",
        "",
    ),
    "cartodb": Basemap(
        "cartodb",
        "https://{s}.basemaps.cartocdn.com/light_all/{z}/{x}/{y}{r}.png",
        "&copy; OpenStreetMap contributors &copy; CARTO",
        "abcd",
    ),
    "tianditu": Basemap(
        "tianditu",
        _TIANDITU.replace("{layer}", "vec"),
        "&copy; 天地图 Tianditu",
        "01234567",
        max_zoom=18,
    ),
    "amap": Basemap(
        "amap",
        "https://webrd0{s}.is.autonavi.com/appmaptile?lang=zh_cn&size=1"
        "&scale=1&style=8&x={x}&y={y}&z={z}",
        "&copy; 高德地图 Amap",
        "1234",
        coord_system="gcj02",
        max_zoom=18,
    ),
}
BASEMAP_CHOICES = ("osm", "cartodb", "tianditu", "amap", "custom", "none")


class MapInputError(PlannerError, ValueError):
    """A map option is wrong (unknown base map, missing key or URL); a programming or UI error."""


# --- assets ----------------------------------------------------------------------------------


def leaflet_assets(
    base_url: str = SERVED_VENDOR_URL,
) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """``(default_js, default_css)`` pointing at the vendored Leaflet under ``base_url``."""
    base = base_url.rstrip("/") + "/" + LEAFLET_DIR
    return [("leaflet", f"{base}/leaflet.js")], [("leaflet_css", f"{base}/leaflet.css")]


def _inline_leaflet() -> tuple[str, str]:
    """Leaflet's JavaScript and CSS as text, CSS images embedded as data URIs."""
    folder = VENDOR_DIR / LEAFLET_DIR
    try:
        js = (folder / "leaflet.js").read_text(encoding="utf-8")
        css = (folder / "leaflet.css").read_text(encoding="utf-8")
    except OSError as exc:
        raise FileNotFoundError(
            f"vendored Leaflet not found in {folder} ({exc}); run from a source checkout"
        ) from None

    def embed(match: re.Match[str]) -> str:
        image = folder / match.group(1)
        if not image.is_file():
            return match.group(0)
        data = base64.b64encode(image.read_bytes()).decode("ascii")
        return f"url(data:image/png;base64,{data})"

    css = re.sub(r"url\((images/[a-z0-9-]+\.png)\)", embed, css)
    # a literal "</script>" inside inlined code would end the element early
    return js.replace("</script", "<\\/script"), css.replace("</style", "<\\/style")


def _localise_assets(m: folium.Map, assets: AssetMode, asset_base_url: str) -> None:
    """Point every element of ``m`` at the vendored Leaflet (or none, when inlined)."""
    js, css = leaflet_assets(asset_base_url) if assets == "served" else ([], [])

    def walk(elem: object) -> None:
        if hasattr(elem, "default_js"):
            elem.default_js = []  # type: ignore[attr-defined]
            elem.default_css = []  # type: ignore[attr-defined]
        for child in getattr(elem, "_children", {}).values():
            walk(child)

    walk(m)
    m.default_js, m.default_css = js, css
    if assets == "inline":
        code, style = _inline_leaflet()
        header = m.get_root().header
        header.add_child(Element(f"<style>{style}</style>"), name="leaflet_css_inline")
        header.add_child(Element(f"<script>{code}</script>"), name="leaflet_js_inline")


# --- geometry for display --------------------------------------------------------------------


def to_display(
    frame: gpd.GeoDataFrame,
    columns: list[str],
    *,
    simplify_m: float = SIMPLIFY_M,
    shift: GeometryShift | None = None,
) -> gpd.GeoDataFrame:
    """A light copy of ``frame`` for the map: given columns, simplified, WGS84, rounded.

    Parameters
    ----------
    frame : GeoDataFrame
        A layer in any CRS (metric CRS simplifies by ``simplify_m`` metres).
    columns : list of str
        Columns to keep (missing ones are skipped).
    simplify_m : float
        Simplification tolerance in metres (only in a projected CRS; 0 to keep all vertices).
    shift : callable, optional
        Vectorised WGS84 → display coordinates over shapely geometries (GCJ-02 for Amap).
    """
    keep = [c for c in columns if c in frame.columns]
    geoms = frame.geometry.values
    if simplify_m > 0 and frame.crs is not None and frame.crs.is_projected:
        geoms = shapely.simplify(geoms, simplify_m, preserve_topology=True)
    out = gpd.GeoDataFrame(
        pd.DataFrame(frame[keep]).reset_index(drop=True), geometry=np.asarray(geoms), crs=frame.crs
    )
    if out.crs is not None and not out.crs.equals(WGS84):
        out = out.to_crs(WGS84)
    g = out.geometry.values
    if shift is not None:
        g = shift(np.asarray(g))
    out = out.set_geometry(shapely.set_precision(np.asarray(g), COORD_GRID_DEG, mode="pointwise"))
    return out


def _points(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Points of a point-or-polygon layer (polygons by a point inside them)."""
    geoms = frame.geometry.values
    is_point = shapely.get_type_id(geoms) == 0
    pts = np.where(is_point, geoms, shapely.point_on_surface(geoms))
    return frame.set_geometry(pts)


def _geojson(frame: gpd.GeoDataFrame) -> dict:
    """A GeoJSON FeatureCollection dict of ``frame`` (NaN as null)."""
    return json.loads(frame.to_json(na="null", drop_id=True))


# --- text ------------------------------------------------------------------------------------


def esc(values: pd.Series) -> pd.Series:
    """HTML-escape every value of a Series (missing values become an empty string)."""
    return values.astype("string").fillna("").map(lambda s: html.escape(str(s), quote=True))


def _fmt(values: pd.Series, spec: str) -> pd.Series:
    arr = pd.to_numeric(values, errors="coerce").to_numpy(dtype=float)
    return pd.Series(["–" if v != v else format(v, spec) for v in arr], index=values.index)


def _use_key(result: pd.DataFrame) -> pd.Series:
    """``pocket_park``/``parking``/``none``/``excluded`` per plot."""
    use = result["recommended_use"].astype(str)
    if "excluded" in result:
        use = use.where(~result["excluded"].fillna(False).astype(bool), "excluded")
    return use


def plot_tooltips(result: pd.DataFrame, lang: str) -> pd.Series:
    """One-line HTML tooltip per plot: id, name, recommended use and both scores (escaped)."""
    use = _use_key(result).map(lambda u: html.escape(use_label(u, lang)))
    name = esc(result["name"]) if "name" in result else pd.Series("", index=result.index)
    return (
        "<b>"
        + esc(result["plot_id"])
        + "</b> "
        + name
        + "<br>"
        + use
        + " · "
        + html.escape(tr("park_score", lang))
        + " "
        + _fmt(result["park_score"], ".2f")
        + " · "
        + html.escape(tr("parking_score", lang))
        + " "
        + _fmt(result["parking_score"], ".2f")
    )


def plot_popups(
    result: pd.DataFrame, config: PlannerConfig, lang: str, *, detail: bool = True
) -> pd.Series:
    """HTML popup per plot: header, reasons and (``detail``) the score breakdown; escaped."""
    reasons = esc(result["reasons_zh" if lang == "zh" and "reasons_zh" in result else "reasons"])
    head = (
        "<div class='plot-popup'><b>"
        + esc(result["plot_id"])
        + "</b> "
        + (esc(result["name"]) if "name" in result else "")
        + "<br>"
        + html.escape(tr("recommended_use", lang))
        + ": "
        + _use_key(result).map(lambda u: html.escape(use_label(u, lang)))
        + "<br><i>"
        + reasons
        + "</i>"
    )
    if not detail:
        return head + "</div>"
    long = breakdown(result, config, lang)
    if long.empty:
        return head + "</div>"
    cells = (
        "<tr><td>"
        + long["label"].map(html.escape)
        + "</td><td>"
        + _fmt(long["score"], ".2f")
        + "</td><td>"
        + _fmt(long["weight"], ".2f")
        + "</td></tr>"
    )
    sections = []
    for use in USES:
        mask = (long["use"] == use).to_numpy()
        rows = cells[mask].groupby(long["row"][mask].to_numpy(), sort=False).agg("".join)
        title = html.escape(f"{use_label(use, lang)} ({tr('score', lang)} / {tr('weight', lang)})")
        sections.append(
            ("<tr><th colspan='3'>" + title + "</th></tr>" + rows).reindex(
                result.index, fill_value=""
            )
        )
    table = "<table class='breakdown'>" + sections[0] + sections[1] + "</table>"
    return head + table + "</div>"


# --- legend ----------------------------------------------------------------------------------


class Legend(MacroElement):
    """A Leaflet control holding legend HTML (already escaped) in a corner of the map."""

    _template = Template("""
        {% macro script(this, kwargs) %}
            var {{ this.get_name() }} = L.control({position: {{ this.position|tojson }}});
            {{ this.get_name() }}.onAdd = function (map) {
                var div = L.DomUtil.create('div', 'planner-legend');
                div.innerHTML = {{ this.html|tojson }};
                div.style.background = 'rgba(255,255,255,0.9)';
                div.style.padding = '6px 8px';
                div.style.font = '12px/1.4 sans-serif';
                div.style.borderRadius = '4px';
                return div;
            };
            {{ this.get_name() }}.addTo({{ this._parent.get_name() }});
        {% endmacro %}
    """)

    def __init__(self, html_text: str, position: str = "bottomright") -> None:
        super().__init__()
        self._name = "Legend"
        self.html = html_text
        self.position = position


def legend_html(title: str, entries: list[tuple[str, str]]) -> str:
    """Legend HTML: an escaped title and ``(colour, label)`` swatches, labels escaped."""
    rows = "".join(
        f"<div><span style='display:inline-block;width:14px;height:14px;margin-right:6px;"
        f"vertical-align:middle;background:{html.escape(color)}'></span>"
        f"{html.escape(label)}</div>"
        for color, label in entries
    )
    return f"<div class='legend-title'><b>{html.escape(title)}</b></div>{rows}"


def score_colors(values: pd.Series) -> pd.Series:
    """Colour of each 0–1 score by :data:`SCORE_BINS` (NaN grey)."""
    v = pd.to_numeric(values, errors="coerce").to_numpy(dtype=float)
    idx = np.clip(np.digitize(v, SCORE_BINS[1:-1], right=False), 0, len(SCORE_COLORS) - 1)
    colors = np.asarray(SCORE_COLORS, dtype=object)[idx]
    return pd.Series(np.where(np.isnan(v), USE_COLORS["none"], colors), index=values.index)


def population_bins(population: pd.Series) -> np.ndarray:
    """Five class edges of residents (quantiles, rounded, strictly increasing)."""
    p = pd.to_numeric(population, errors="coerce").dropna().to_numpy(dtype=float)
    if len(p) == 0:
        return np.array([0.0, 1.0])
    edges = np.unique(np.round(np.quantile(p, np.linspace(0, 1, 6)), -1))
    return edges if len(edges) > 1 else np.array([edges[0], edges[0] + 1])


# --- layers ----------------------------------------------------------------------------------

StyleSpec = tuple[dict[str, object], str | None]


def _style(prop: str, base: Mapping[str, object]) -> StyleSpec:
    """Style ``base`` with stroke and fill colour read from each feature's ``prop``."""
    return dict(base), prop


def _static_style(base: Mapping[str, object]) -> StyleSpec:
    """The same style for every feature."""
    return dict(base), None


class _JsStyle(MacroElement):
    """Style a GeoJson layer in the browser from feature properties (no per-feature Python).

    folium's ``style_function`` is called for every feature and writes every feature id into
    the page's template; this sets one JavaScript style function on the layer instead.
    """

    _template = Template("""
        {% macro script(this, kwargs) %}
            {{ this._parent.get_name() }}.options.style = function (feature) {
                var s = Object.assign({}, {{ this.base|tojson }});
                {% if this.prop %}
                s.color = feature.properties[{{ this.prop|tojson }}];
                s.fillColor = s.color;
                {% endif %}
                return s;
            };
            {{ this._parent.get_name() }}.setStyle({{ this._parent.get_name() }}.options.style);
            {% if this.highlight %}
            {{ this._parent.get_name() }}.on('mouseover', function (e) {
                e.layer.setStyle({weight: 3, fillOpacity: 0.9});
            });
            {{ this._parent.get_name() }}.on('mouseout', function (e) {
                {{ this._parent.get_name() }}.resetStyle(e.layer);
            });
            {% endif %}
        {% endmacro %}
    """)

    def __init__(self, base: Mapping[str, object], prop: str | None, highlight: bool) -> None:
        super().__init__()
        self._name = "JsStyle"
        self.base = dict(base)
        self.prop = prop
        self.highlight = highlight


def _add_geojson(
    group: folium.FeatureGroup,
    frame: gpd.GeoDataFrame,
    *,
    style: StyleSpec,
    tip: str | None = None,
    popup: str | None = None,
    point_radius: float | None = None,
    highlight: bool = False,
) -> None:
    """Add ``frame`` (display-ready) to ``group`` with tooltip/popup read from properties."""
    kwargs: dict[str, object] = {"embed": True}
    if tip is not None:
        kwargs["tooltip"] = folium.GeoJsonTooltip(fields=[tip], labels=False, sticky=True)
    if popup is not None:
        kwargs["popup"] = folium.GeoJsonPopup(fields=[popup], labels=False, max_width=420)
    if point_radius is not None:
        kwargs["marker"] = folium.CircleMarker(radius=point_radius)
    layer = folium.GeoJson(_geojson(frame), **kwargs)
    layer.add_child(_JsStyle(style[0], style[1], highlight))
    layer.add_to(group)


def _name_tip(frame: pd.DataFrame, lang: str, extra: list[tuple[str, str, str]]) -> pd.Series:
    """Escaped ``name`` plus labelled extra columns ``(column, label key, format)``."""
    tip = esc(frame["name"]) if "name" in frame else pd.Series("", index=frame.index)
    for col, key, spec in extra:
        if col in frame:
            values = _fmt(frame[col], spec) if spec else esc(frame[col])
            tip = tip + "<br>" + html.escape(tr(key, lang)) + ": " + values
    return tip


def _context_layer(
    m: folium.Map,
    role: str,
    frame: gpd.GeoDataFrame,
    lang: str,
    shift: GeometryShift | None,
    show: bool,
) -> list[tuple[str, str]] | None:
    """Add one context layer; return legend entries for it (residential only)."""
    group = folium.FeatureGroup(name=html.escape(role_label(role, lang)), show=show)
    legend = None
    if role == "residential":
        pop = pd.to_numeric(
            frame.get("population", pd.Series(np.nan, index=frame.index)), errors="coerce"
        )
        edges = population_bins(pop)
        cls = np.clip(
            np.digitize(pop.to_numpy(dtype=float), edges[1:-1]), 0, len(POPULATION_COLORS) - 1
        )
        colors = np.asarray(POPULATION_COLORS, dtype=object)[cls]
        data = frame.assign(_color=np.where(pop.isna(), "#dddddd", colors))
        data = data.assign(
            _tip=_name_tip(data, lang, [("population", "legend_population", ",.0f")]).to_numpy()
        )
        if not (data.geometry.geom_type.isin(["Point", "MultiPoint"])).any():
            disp = to_display(data, ["_tip", "_color"], shift=shift)
            _add_geojson(
                group, disp, style=_style("_color", {"weight": 0.5, "fillOpacity": 0.6}), tip="_tip"
            )
        else:
            disp = to_display(_points(data), ["_tip", "_color"], shift=shift)
            _add_geojson(
                group,
                disp,
                style=_style("_color", {"weight": 1, "fillOpacity": 0.8}),
                tip="_tip",
                point_radius=4,
            )
        legend = [
            (POPULATION_COLORS[i], f"{edges[i]:,.0f}–{edges[i + 1]:,.0f}")
            for i in range(min(len(edges) - 1, len(POPULATION_COLORS)))
        ]
    elif role in ("parking", "pois"):
        extra = (
            [("capacity", "est_parking_spaces", ",.0f")]
            if role == "parking"
            else [("category", "layer_pois", "")]
        )
        data = _points(frame)
        data = data.assign(_tip=_name_tip(data, lang, extra).to_numpy())
        disp = to_display(data, ["_tip"], shift=shift)
        _add_geojson(
            group,
            disp,
            style=_static_style(CONTEXT_STYLE[role]),
            tip="_tip",
            point_radius=6 if role == "parking" else 5,
        )
    else:
        extra = {
            "life_circles": [("circle_name", "life_circle", "")],
            "constraints": [("reason", "layer_constraints", "")],
        }.get(role, [])
        data = frame.assign(_tip=_name_tip(frame, lang, extra).to_numpy())
        disp = to_display(data, ["_tip"], shift=shift)
        _add_geojson(group, disp, style=_static_style(CONTEXT_STYLE[role]), tip="_tip")
    group.add_to(m)
    return legend


def _add_basemap(
    m: folium.Map, basemap: str, *, tianditu_key: str | None, tile_url: str | None, lang: str
) -> None:
    if basemap == "none":
        return
    if basemap == "custom":
        if not tile_url or not all(k in tile_url for k in ("{z}", "{x}", "{y}")):
            raise MapInputError(Msg("app.custom_tiles_url"))
        bm = Basemap(
            "custom",
            tile_url,
            "tiles: " + html.escape(tile_url.split("/")[2] if "//" in tile_url else "local"),
            "abc",
        )
    elif basemap in BASEMAPS:
        bm = BASEMAPS[basemap]
    else:
        raise MapInputError(
            Msg("app.unknown_basemap", basemap=basemap, choices=", ".join(BASEMAP_CHOICES))
        )
    url = bm.url
    if basemap == "tianditu":
        if not tianditu_key:
            raise MapInputError(Msg("app.tianditu_key"))
        url = url + quote(tianditu_key.strip(), safe="")
    name = html.escape(tr(f"basemap_{basemap}", lang))
    folium.TileLayer(
        tiles=url,
        attr=bm.attribution,
        name=name,
        max_zoom=bm.max_zoom,
        subdomains=bm.subdomains or "abc",
        overlay=False,
        control=True,
    ).add_to(m)
    if basemap == "tianditu":
        label = url.replace("vec_w", "cva_w").replace("LAYER=vec", "LAYER=cva")
        folium.TileLayer(
            tiles=label,
            attr=bm.attribution,
            name=name + f" ({html.escape(tr('basemap_labels', lang))})",
            max_zoom=bm.max_zoom,
            subdomains=bm.subdomains,
            overlay=True,
            control=False,
        ).add_to(m)


@dataclass(frozen=True)
class PlotColours:
    """Colours of the plots chosen by the caller (a plan's phases, two plans' differences).

    ``colors`` and ``tips`` (escaped HTML, optional) are aligned to the plots; ``title`` and
    ``entries`` (``(colour, label)``) make the legend.
    """

    colors: pd.Series
    title: str
    entries: list[tuple[str, str]]
    tips: pd.Series | None = None


#: Order of the use codes the plot layer ships (its labels are sent once, in this order).
USE_ORDER = ("pocket_park", "parking", "none", "excluded")
#: The map's highest zoom (folium's default); the plots' coordinate grid is made for it.
MAP_MAX_ZOOM = 18
#: Style of the plots (stroke and fill take each plot's colour).
PLOT_STYLE: dict[str, object] = {"weight": 1.5, "fillOpacity": 0.7}


def use_codes(result: pd.DataFrame) -> np.ndarray:
    """Each plot's recommended use as its position in :data:`USE_ORDER` (excluded: 3)."""
    rec = result["recommended_use"].to_numpy(dtype=object)
    codes = np.full(len(rec), USE_ORDER.index("none"), dtype=np.int64)
    for code, use in enumerate(USE_ORDER[:2]):
        codes[rec == use] = code
    if "excluded" in result:
        excluded = result["excluded"].to_numpy(dtype=object)
        codes[(excluded == True)] = USE_ORDER.index("excluded")  # noqa: E712 - NA is not True
    return codes


def plot_colours(result: pd.DataFrame, color_by: str, uses: np.ndarray | None = None) -> np.ndarray:
    """The colour of each plot by recommended use (``uses``: its :func:`use_codes`) or score."""
    if color_by == "use":
        uses = use_codes(result) if uses is None else uses
        return np.asarray([USE_COLORS[u] for u in USE_ORDER], dtype=object)[uses]
    if color_by in ("park_score", "parking_score"):
        return score_colors(result[color_by]).to_numpy(dtype=object)
    raise MapInputError(Msg("app.unknown_colouring", color_by=color_by))


def plot_layer(
    result: pd.DataFrame,
    geometry: PlotGeometry,
    config: PlannerConfig,
    *,
    color_by: str,
    lang: str,
    popup_detail: bool,
    plot_colors: PlotColours | None = None,
    uses: np.ndarray | None = None,
    fit_map: folium.Map | None = None,
) -> PlotLayer:
    """The plots' layer: encoded geometry, attribute columns, labels once (escaped).

    ``result`` needs ``recommended_use``, both scores and (optionally) ``excluded``, aligned
    to ``geometry``'s plots. Tooltips are written in the browser from the columns (values
    escaped there), or are the caller's escaped ``plot_colors.tips``; popups
    (``popup_detail``) are :func:`plot_popups`. ``uses`` are :func:`use_codes` of ``result``
    when the caller has them (re-weighting). With ``fit_map`` the map's view is fitted to the
    plots before they are drawn.
    """
    uses = use_codes(result) if uses is None else uses
    colors = (
        plot_colors.colors.reindex(result.index).fillna(USE_COLORS["none"]).to_numpy(dtype=object)
        if plot_colors is not None
        else plot_colours(result, color_by, uses)
    )
    tips = plot_colors.tips if plot_colors is not None else None
    columns = plot_columns(
        uses,
        colors,
        result["park_score"].to_numpy(),
        result["parking_score"].to_numpy(),
        tips=tips.reindex(result.index) if tips is not None else None,
        popups=plot_popups(result, config, lang) if popup_detail else None,
    )
    labels = {
        "uses": [html.escape(use_label(u, lang)) for u in USE_ORDER],
        "park": html.escape(tr("park_score", lang)),
        "parking": html.escape(tr("parking_score", lang)),
    }
    return PlotLayer(
        geometry,
        columns,
        labels,
        base=PLOT_STYLE,
        canvas=geometry.n > CANVAS_MIN_PLOTS,
        fit_map=fit_map,
    )


def _map_legend(
    color_by: str, lang: str, plot_colors: object | None, context_legend: list | None
) -> str:
    """The legend's HTML: the plots' colours, then the residential classes when drawn."""
    if plot_colors is not None:
        entries, title = plot_colors.entries, plot_colors.title
    elif color_by == "use":
        entries = [
            (USE_COLORS[u], use_label(u, lang))
            for u in ("pocket_park", "parking", "none", "excluded")
        ]
        title = tr("legend_use", lang)
    else:
        entries = [
            (SCORE_COLORS[i], f"{SCORE_BINS[i]:.1f}–{SCORE_BINS[i + 1]:.1f}")
            for i in range(len(SCORE_COLORS))
        ]
        title = tr("legend_score", lang, what=tr(color_by, lang))
    legend = legend_html(title, entries)
    if context_legend:
        legend += "<hr style='margin:4px 0'>" + legend_html(
            role_label("residential", lang), context_legend
        )
    return legend


def build_map(
    result: gpd.GeoDataFrame,
    layers: Layers | None = None,
    config: PlannerConfig | None = None,
    *,
    lang: str = "zh",
    color_by: str = "use",
    basemap: str = "osm",
    tianditu_key: str | None = None,
    tile_url: str | None = None,
    display_shift: GeometryShift | None = None,
    selected: str | None = None,
    catchment: gpd.GeoDataFrame | None = None,
    layout: gpd.GeoDataFrame | None = None,
    extra_groups: list[folium.FeatureGroup] | None = None,
    plot_colors: PlotColours | None = None,
    assets: AssetMode = "served",
    asset_base_url: str = SERVED_VENDOR_URL,
    popup_detail: bool | None = None,
    height: str = "100%",
    plot_geometry: PlotGeometry | None = None,
) -> folium.Map:
    """The planner's map of a scored run.

    Parameters
    ----------
    result : GeoDataFrame
        Output of :func:`planner.score` / :func:`planner.combine` (any CRS).
    layers : Layers, optional
        The run's layers; each present context role becomes a layer that can be toggled
        (green, residential by population, roads, parking, POIs, life circles, constraints).
    config : PlannerConfig, optional
        Weights used, for the popup's breakdown; defaults when omitted.
    lang : {"zh", "en"}
        Language of labels, legends and reasons.
    color_by : {"use", "park_score", "parking_score"}
        Colour plots by recommended use or by one score.
    basemap : {"osm", "cartodb", "tianditu", "amap", "custom", "none"}
        Base map; ``custom`` uses ``tile_url`` (e.g. an intranet tile server),
        ``tianditu`` needs ``tianditu_key``; ``amap`` needs ``display_shift``.
    display_shift : callable, optional
        WGS84 → GCJ-02 over an array of shapely geometries; required for ``amap``.
    selected : str, optional
        ``plot_id`` of the selected plot, outlined.
    catchment, layout : GeoDataFrame, optional
        Walking catchment and parking layout of the selected plot (drawn when given; the
        layout's ``kind`` and ``stalls`` columns appear in its tooltip).
    extra_groups : list of folium.FeatureGroup, optional
        Further layers drawn by other modules (e.g. life circles coloured by their report
        card, :func:`planner.app.lifecircle_map.life_circle_feature_groups`), in WGS84; added
        under the plots. Their text must already be escaped.
    plot_colors : PlotColours, optional
        Colour the plots (and make the legend) as the caller says, instead of ``color_by``.
    assets : {"served", "inline"}
        Leaflet from the app's static folder, or inlined for a single-file page.
    asset_base_url : str
        Where the app serves ``static/vendor`` (``assets="served"``).
    popup_detail : bool, optional
        A popup with reasons and breakdown on each plot; by default only up to
        :data:`POPUP_DETAIL_MAX_PLOTS` plots (above it the tooltip stays, and the app shows
        the clicked plot's breakdown beside the map).
    height : str
        CSS height of the map.
    plot_geometry : PlotGeometry, optional
        The plots' encoded display geometry, ids and names
        (:func:`planner.app.plot_layer.encode_plots` of ``result`` with
        ``max_zoom=MAP_MAX_ZOOM`` and the same ``display_shift``), when the caller keeps it
        between maps of the same plots (re-weighting); encoded here when omitted.

    Returns
    -------
    folium.Map

    Raises
    ------
    MapInputError
        Unknown base map or colouring, a Tianditu map without key, a custom map without URL,
        or Amap without ``display_shift``.
    """
    config = config or PlannerConfig()
    if basemap == "amap" and display_shift is None:
        raise MapInputError(Msg("app.amap_shift"))
    shift = display_shift if basemap == "amap" else None
    if popup_detail is None:
        popup_detail = len(result) <= POPUP_DETAIL_MAX_PLOTS

    m = folium.Map(
        tiles=None, control_scale=True, height=height, prefer_canvas=False, max_zoom=MAP_MAX_ZOOM
    )
    _add_basemap(m, basemap, tianditu_key=tianditu_key, tile_url=tile_url, lang=lang)

    context_legend = None
    if layers is not None:
        order = ("life_circles", "green", "residential", "roads", "constraints", "parking", "pois")
        for role in order:
            frame = getattr(layers, role, None)
            if frame is None or len(frame) == 0:
                continue
            entries = _context_layer(
                m, role, frame, lang, shift, show=role in ("green", "roads", "constraints")
            )
            if entries:
                context_legend = entries

    for grp in extra_groups or []:
        grp.add_to(m)

    geometry = plot_geometry or encode_plots(result, max_zoom=MAP_MAX_ZOOM, shift=shift)
    group = folium.FeatureGroup(name=html.escape(role_label("plots", lang)), show=True)
    group.add_child(
        plot_layer(
            result,
            geometry,
            config,
            color_by=color_by,
            lang=lang,
            popup_detail=bool(popup_detail),
            plot_colors=plot_colors,
            fit_map=m,
        )
    )
    group.add_to(m)

    for grp in selection_group(
        result, selected, lang=lang, display_shift=shift, catchment=catchment, layout=layout
    ):
        grp.add_to(m)

    Legend(_map_legend(color_by, lang, plot_colors, context_legend)).add_to(m)
    folium.LayerControl(collapsed=False).add_to(m)

    _localise_assets(m, assets, asset_base_url)
    return m


def _strip_assets(elem: object) -> None:
    """Clear ``default_js``/``default_css`` of an element tree (the map brings Leaflet)."""
    if hasattr(elem, "default_js"):
        elem.default_js = []  # type: ignore[attr-defined]
        elem.default_css = []  # type: ignore[attr-defined]
    for child in getattr(elem, "_children", {}).values():
        _strip_assets(child)


def selection_group(
    result: gpd.GeoDataFrame,
    selected: str | None,
    *,
    lang: str = "zh",
    display_shift: GeometryShift | None = None,
    catchment: gpd.GeoDataFrame | None = None,
    layout: gpd.GeoDataFrame | None = None,
) -> list[folium.FeatureGroup]:
    """Feature groups of the selected plot: its outline, catchment and parking layout.

    The app adds these to a drawn map without re-rendering it
    (``st_folium(feature_group_to_add=...)``), so selecting a plot keeps the view.
    Empty when nothing is selected.
    """
    if selected is None:
        return []
    chosen = result[result["plot_id"].astype(str) == str(selected)]
    if len(chosen) == 0:
        return []
    groups = []
    sel = folium.FeatureGroup(name=html.escape(tr("layer_selected", lang)))
    disp = to_display(
        chosen.assign(_tip=plot_tooltips(chosen, lang).to_numpy()), ["_tip"], shift=display_shift
    )
    _add_geojson(sel, disp, style=_static_style(CONTEXT_STYLE["selected"]), tip="_tip")
    groups.append(sel)
    if catchment is not None and len(catchment):
        groups.append(_catchment_group(catchment, lang, display_shift))
    if layout is not None and len(layout):
        groups.append(_layout_group(layout, lang, display_shift))
    for g in groups:
        _strip_assets(g)
    return groups


def _catchment_group(
    catchment: gpd.GeoDataFrame, lang: str, shift: GeometryShift | None
) -> folium.FeatureGroup:
    grp = folium.FeatureGroup(name=html.escape(tr("layer_catchment", lang)), show=True)
    data = catchment.assign(_tip=html.escape(tr("layer_catchment", lang)))
    _add_geojson(
        grp,
        to_display(data, ["_tip"], shift=shift),
        style=_static_style(CONTEXT_STYLE["catchment"]),
        tip="_tip",
    )
    return grp


def _layout_group(
    layout: gpd.GeoDataFrame, lang: str, shift: GeometryShift | None
) -> folium.FeatureGroup:
    grp = folium.FeatureGroup(name=html.escape(tr("layer_layout", lang)), show=True)
    tip = pd.Series(html.escape(tr("layer_layout", lang)), index=layout.index)
    if "kind" in layout:
        tip = tip + "<br>" + esc(layout["kind"])
    if "stalls" in layout:
        tip = (
            tip
            + "<br>"
            + html.escape(tr("est_parking_spaces", lang))
            + ": "
            + _fmt(layout["stalls"], ",.0f")
        )
    data = layout.assign(_tip=tip.to_numpy())
    _add_geojson(
        grp,
        to_display(data, ["_tip"], simplify_m=0.0, shift=shift),
        style=_static_style(CONTEXT_STYLE["layout"]),
        tip="_tip",
    )
    return grp


def map_html(m: folium.Map) -> str:
    """The map as a complete HTML page."""
    return m.get_root().render()


def plot_at(
    result: gpd.GeoDataFrame,
    lat: float,
    lng: float,
    *,
    display_unshift: GeometryShift | None = None,
) -> str | None:
    """``plot_id`` of the plot under a clicked point (display lon/lat), or ``None``.

    ``display_unshift`` turns display coordinates back into WGS84 (GCJ-02 → WGS84 for Amap).
    """
    pt = np.asarray([shapely.Point(float(lng), float(lat))], dtype=object)
    if display_unshift is not None:
        pt = display_unshift(pt)
    point = gpd.GeoSeries(pt, crs=WGS84).to_crs(result.crs)
    hits = result.sindex.query(point.values, predicate="intersects")[1]
    if len(hits) == 0:
        # a click on the outline may land a hair outside: take the nearest within 2 m
        near = result.sindex.nearest(point.values, max_distance=2.0, return_all=False)[1]
        if len(near) == 0:
            return None
        hits = near
    best = result.iloc[hits].sort_values("rank").iloc[0]
    return str(best["plot_id"])
