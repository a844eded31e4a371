r"""The plots on the map as one light layer: geometry encoded once, attributes by column.

A folium ``GeoJson`` layer ships every plot as a GeoJSON feature with its coordinates as
decimal text and its tooltip as HTML: about 450 bytes a plot. Here the plots go to the
browser as columns instead (:func:`plot_columns`), drawn by one Leaflet layer whose style
and tooltip are functions of those columns (:class:`PlotLayer`):

* **Coordinates** are integers on a grid of half a screen pixel at the map's highest zoom
  (:func:`coord_quantum`; 1e-6° at zoom 19), each the difference from the one before
  (:func:`encode_plots`), rings unclosed — a 30 × 20 m plot takes about 30 bytes.
  Geometry is simplified in metres first, topology kept; it depends on the data and the base
  map only, so the app encodes it once (:class:`PlotGeometry`) and re-weighting reuses it.
* **Attributes** travel once per plot as short columns (id, name, use code, two scores in
  hundredths, colour index) and every label once per page; the tooltip is built in the
  browser with every value from data HTML-escaped there (``esc``, the same five characters as
  :func:`html.escape`), so a plot named ``<img src=x onerror=alert(1)>`` shows as text.
* **Above** :data:`CANVAS_MIN_PLOTS` plots the layer draws on a canvas (one element instead of
  a ``<path>`` per plot); below it on SVG, each plot a ``path`` as before.

The JSON text is made safe for a ``<script>`` element: ``<``, ``>``, ``&``, ``'`` and the two
JavaScript line separators are written as ``\uXXXX`` escapes.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import cached_property

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from branca.element import MacroElement
from jinja2 import Template

from planner.crs import WGS84

#: Above this many plots the plot layer draws on a canvas (measured: benchmarks/README.md).
CANVAS_MIN_PLOTS = 2000
#: Display simplification tolerance of the plots, metres (in the run's metric CRS).
PLOT_SIMPLIFY_M = 1.0
#: Web-Mercator metres per pixel at zoom 0 on the equator (256-pixel tiles).
MERCATOR_M_PER_PX_Z0 = 156_543.033_928
#: Metres per degree of latitude (mean).
M_PER_DEG = 111_320.0
#: Coordinate grids to choose from, degrees (the coarsest not over half a pixel is used).
QUANTA_DEG = (1e-7, 2e-7, 5e-7, 1e-6, 2e-6, 5e-6, 1e-5, 2e-5, 5e-5)
_JS_UNSAFE = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "'": "\\u0027"}
_JS_UNSAFE.update({"\u2028": "\\u2028", "\u2029": "\\u2029"})


def js_json(value: object) -> str:
    """Compact JSON of ``value`` safe inside a ``<script>`` element (no ``<``, ``>``, ``&``)."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    for char, code in _JS_UNSAFE.items():
        text = text.replace(char, code)
    return text


def coord_quantum(lat_deg: float, max_zoom: int) -> float:
    """The coarsest grid of :data:`QUANTA_DEG` no wider than half a pixel at ``max_zoom``.

    Half a pixel is the most a vertex can move without showing: at zoom 19 and latitude
    40° a pixel is 0.23 m, so 1e-6° (0.11 m north–south, 0.085 m east–west).
    """
    pixel_m = MERCATOR_M_PER_PX_Z0 * math.cos(math.radians(lat_deg)) / 2**max_zoom
    half_px_deg = 0.5 * pixel_m / M_PER_DEG
    fit = [q for q in QUANTA_DEG if q <= half_px_deg]
    return fit[-1] if fit else QUANTA_DEG[0]


@dataclass(frozen=True)
class PlotGeometry:
    """The plots' display geometry, encoded (:func:`encode_plots`); one per data and base map.

    ``coords`` are ``x0, y0, dx1, dy1, ...`` in units of ``quantum`` degrees from
    ``origin``; ``rings`` the vertex count of each ring, ``polygons`` the ring count of each
    polygon and ``parts`` the polygon count of each plot. ``bounds`` is
    ``(west, south, east, north)`` in display degrees. ``ids`` and ``names`` are the plots'
    ``plot_id`` and ``name`` (text from data: escaped in the browser).
    """

    origin: tuple[float, float]
    quantum: float
    coords: np.ndarray
    rings: np.ndarray
    polygons: np.ndarray
    parts: np.ndarray
    bounds: tuple[float, float, float, float]
    ids: list[str]
    names: list[str]

    @property
    def n(self) -> int:
        """Number of plots."""
        return len(self.parts)

    @cached_property
    def text(self) -> str:
        """:meth:`payload` as script-safe JSON, made once (re-weighting reuses it)."""
        return js_json(self.payload())

    def payload(self) -> dict[str, object]:
        """The geometry as the layer's JavaScript reads it."""
        return {
            "o": [self.origin[0], self.origin[1]],
            "q": self.quantum,
            "c": self.coords.tolist(),
            "r": self.rings.tolist(),
            "p": self.polygons.tolist(),
            "f": self.parts.tolist(),
            "id": self.ids,
            "name": self.names,
        }


def _display_polygons(
    geoms: np.ndarray, crs: object, simplify_m: float, shift: object | None
) -> np.ndarray:
    """Polygons simplified in metres (topology kept), in WGS84, shifted for display."""
    frame = gpd.GeoSeries(geoms, crs=crs)
    if simplify_m > 0 and frame.crs is not None and frame.crs.is_projected:
        frame = gpd.GeoSeries(
            shapely.simplify(frame.values, simplify_m, preserve_topology=True), crs=crs
        )
    if frame.crs is not None and not frame.crs.equals(WGS84):
        frame = frame.to_crs(WGS84)
    out = np.asarray(frame.values, dtype=object)
    if shift is not None:
        out = shift(out)
    polygonal = np.isin(shapely.get_type_id(out), (3, 6))
    return np.where(polygonal, out, shapely.Polygon())


def encode_plots(
    plots: gpd.GeoDataFrame,
    *,
    max_zoom: int = 19,
    simplify_m: float = PLOT_SIMPLIFY_M,
    shift: object | None = None,
) -> PlotGeometry:
    """Encode the plots' polygons, ids and names for :class:`PlotLayer` (see the module's text).

    Parameters
    ----------
    plots : GeoDataFrame
        The plots with ``plot_id`` and optionally ``name`` (any CRS; a metric CRS is
        simplified by ``simplify_m`` metres first).
    max_zoom : int
        The map's highest zoom; the grid is half a pixel there (:func:`coord_quantum`).
    simplify_m : float
        Simplification tolerance, metres (0 keeps every vertex).
    shift : callable, optional
        Vectorised WGS84 → display coordinates (GCJ-02 for Amap) over shapely geometries.
    """
    geoms = _display_polygons(plots.geometry.values, plots.crs, simplify_m, shift)
    parts = shapely.get_parts(geoms)
    if len(parts):
        _, xy, (ring_off, poly_off) = shapely.to_ragged_array(parts)
    else:
        xy, ring_off, poly_off = np.zeros((0, 2)), np.zeros(1, np.int64), np.zeros(1, np.int64)
    ring_off, poly_off = np.asarray(ring_off, np.int64), np.asarray(poly_off, np.int64)
    finite = xy[np.isfinite(xy).all(axis=1)]
    west, south = finite.min(axis=0) if len(finite) else (0.0, 0.0)
    east, north = finite.max(axis=0) if len(finite) else (0.0, 0.0)
    quantum = coord_quantum((south + north) / 2, max_zoom)
    grid = np.rint((xy - [west, south]) / quantum).astype(np.int64)
    # rings unclosed (Leaflet closes them): each ring's last vertex dropped
    keep = np.ones(len(grid), dtype=bool)
    keep[ring_off[1:][np.diff(ring_off) > 0] - 1] = False
    pairs = grid[keep]
    deltas = np.diff(pairs, axis=0, prepend=np.zeros((1, 2), dtype=np.int64)).reshape(-1)
    return PlotGeometry(
        origin=(float(west), float(south)),
        quantum=quantum,
        coords=deltas,
        rings=np.maximum(np.diff(ring_off) - 1, 0),
        polygons=np.diff(poly_off),
        parts=shapely.get_num_geometries(geoms).astype(np.int64),
        bounds=(float(west), float(south), float(east), float(north)),
        ids=plots["plot_id"].astype(str).tolist(),
        names=(
            plots["name"].astype("string").fillna("").tolist()
            if "name" in plots
            else [""] * len(plots)
        ),
    )


def plot_columns(
    use_codes: np.ndarray,
    colors: np.ndarray,
    park: np.ndarray,
    parking: np.ndarray,
    *,
    tips: pd.Series | None = None,
    popups: pd.Series | None = None,
) -> str:
    """The plots' attributes that scoring changes, as script-safe JSON for :class:`PlotLayer`.

    ``use_codes`` index the use labels; ``colors`` (one colour per plot) become a palette and
    an index into it; the scores go in hundredths. Each number column is one string of
    fixed-width decimal digits (:func:`digits`). ``tips`` and ``popups`` are escaped HTML
    (optional; without ``tips`` the browser writes the tooltip).
    """
    codes, palette = pd.factorize(np.asarray(colors, dtype=object))
    text = (
        '{"u":'
        + digits(use_codes)
        + ',"s":'
        + digits(_hundredths(park), 3)
        + ',"t":'
        + digits(_hundredths(parking), 3)
        + ',"k":'
        + digits(codes)
        + ',"palette":'
        + js_json([str(c) for c in palette])
    )
    if tips is not None:
        text += ',"tip":' + js_json(tips.fillna("").astype(str).tolist())
    if popups is not None:
        text += ',"pop":' + js_json(popups.fillna("").astype(str).tolist())
    return text + "}"


def digits(values: np.ndarray, width: int | None = None) -> str:
    """Integers 0 … 10**width - 1 as ``[width, "ddd..."]``: one string, ``width`` digits each.

    The browser reads value ``i`` as ``+s.substr(width * i, width)``; made by numpy without a
    Python step per value. ``width`` defaults to the digits of the largest value.
    """
    v = np.asarray(values, dtype=np.int64)
    if width is None:
        width = len(str(int(v.max()))) if len(v) else 1
    powers = 10 ** np.arange(width - 1, -1, -1, dtype=np.int64)
    chars = (v[:, None] // powers % 10 + 48).astype(np.uint8)
    return f'[{width},"{chars.tobytes().decode("ascii")}"]'


#: A missing score in :func:`plot_columns` (scores are 0–100 hundredths).
MISSING_SCORE = 999


def _hundredths(values: np.ndarray) -> np.ndarray:
    """A 0–1 score in hundredths (as ``format(v, '.2f')`` shows it); 999 when missing."""
    v = np.asarray(pd.to_numeric(values, errors="coerce"), dtype=float)
    h = np.clip(np.rint(np.nan_to_num(v) * 100), 0, 100)
    return np.where(np.isnan(v), MISSING_SCORE, h).astype(np.int64)


class PlotLayer(MacroElement):
    """The plots as one Leaflet GeoJSON layer built in the browser from encoded columns.

    ``labels`` (already escaped): ``uses`` (label of each use code), ``park`` and ``parking``
    (the two score labels). Style: ``base`` with stroke and fill of each plot's palette colour.
    With ``fit_map`` (the folium map) the map's view is fitted to the plots before they are
    added: adding them to a map still at its first view and fitting after would place every
    plot twice.
    """

    _template = Template("""
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = (function () {
            var G = {{ this.geometry }}, A = {{ this.columns }}, L_ = {{ this.labels }};
            var esc = function (s) {
                return s == null ? "" : String(s).replace(/[&<>"']/g, function (c) {
                    return {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;",
                            "'": "&#x27;"}[c];
                });
            };
            var col = function (d, i) { return +d[1].substr(d[0] * i, d[0]); };
            var num = function (d, i) {
                var h = col(d, i);
                return h === {{ this.missing }} ? "\\u2013" : (h / 100).toFixed(2);
            };
            var feats = new Array(G.f.length), c = G.c, x = 0, y = 0, k = 0, r = 0, p = 0;
            for (var i = 0; i < G.f.length; i++) {
                var polys = [];
                for (var a = 0; a < G.f[i]; a++, p++) {
                    var rings = [];
                    for (var b = 0; b < G.p[p]; b++, r++) {
                        var ring = new Array(G.r[r]);
                        for (var v = 0; v < G.r[r]; v++, k += 2) {
                            x += c[k]; y += c[k + 1];
                            ring[v] = [G.o[0] + x * G.q, G.o[1] + y * G.q];
                        }
                        if (ring.length) { rings.push(ring); }
                    }
                    if (rings.length) { polys.push(rings); }
                }
                feats[i] = {type: "Feature", properties: {i: i, plot_id: G.id[i]},
                            geometry: polys.length ?
                                {type: "MultiPolygon", coordinates: polys} : null};
            }
            var base = {{ this.base|tojson }};
            var style = function (f) {
                var s = Object.assign({}, base), hue = A.palette[col(A.k, f.properties.i)];
                s.color = hue; s.fillColor = hue;
                return s;
            };
            var opts = {style: style};
            {% if this.canvas %}opts.renderer = L.canvas({padding: 0.5});{% endif %}
            var layer = L.geoJSON({type: "FeatureCollection", features: feats}, opts);
            layer.bindTooltip(function (l) {
                var i = l.feature.properties.i;
                if (A.tip) { return A.tip[i]; }
                return "<b>" + esc(G.id[i]) + "</b> " + esc(G.name[i]) + "<br>" +
                    L_.uses[col(A.u, i)] + " \\u00b7 " + L_.park + " " + num(A.s, i) +
                    " \\u00b7 " + L_.parking + " " + num(A.t, i);
            }, {sticky: true});
            {% if this.popups %}
            layer.bindPopup(function (l) { return A.pop[l.feature.properties.i]; },
                            {maxWidth: 420});
            {% endif %}
            layer.on("mouseover", function (e) {
                e.layer.setStyle({weight: 3, fillOpacity: 0.9});
            });
            layer.on("mouseout", function (e) { layer.resetStyle(e.layer); });
            return layer;
        })();
        {% if this.fit %}
        {{ this.fit_map.get_name() }}.fitBounds({{ this.fit|tojson }});
        {% endif %}
        {{ this.get_name() }}.addTo({{ this._parent.get_name() }});
        {% endmacro %}
    """)

    def __init__(
        self,
        geometry: PlotGeometry,
        columns: str,
        labels: dict[str, object],
        *,
        base: dict[str, object],
        canvas: bool,
        fit_map: MacroElement | None = None,
    ) -> None:
        super().__init__()
        self._name = "PlotLayer"
        self.geometry = geometry.text
        self.columns = columns
        self.labels = js_json(labels)
        self.base = dict(base)
        self.canvas = canvas
        self.popups = '"pop":' in columns
        self.missing = MISSING_SCORE
        west, south, east, north = geometry.bounds
        fits = fit_map is not None and geometry.n > 0 and np.isfinite(geometry.bounds).all()
        self.fit_map = fit_map
        self.fit = [[south, west], [north, east]] if fits else None
