"""The map tab: the base map's coordinate shift, which layers are drawn, the run's map.

Layers are WGS84; a base map in GCJ-02 (Amap) needs every layer shifted for display and a
click shifted back (:func:`display_shifts`), decided here once. The plots' encoded display
geometry is kept between reruns while the measured plots stay the same
(:func:`plot_geometry`), so moving a weight slider does not encode it again.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from functools import partial
from typing import Any

from planner.app.lifecircle_map import life_circle_feature_groups
from planner.app.maps import (
    BASEMAPS,
    MAP_MAX_ZOOM,
    POPUP_DETAIL_MAX_PLOTS,
    MapInputError,
    build_map,
)
from planner.app.plot_layer import PlotGeometry, encode_plots
from planner.app.run import Run, error_text, with_reasons
from planner.io.coords import transform_geometries
from planner.layers import Layers

#: Base maps that need a text input (a key, a tile URL): map_for keyword, text_input options.
BASEMAP_INPUTS: dict[str, tuple[str, dict[str, str]]] = {
    "tianditu": ("tianditu_key", {"type": "password"}),
    "custom": ("tile_url", {"placeholder": "http://tiles.intranet/{z}/{x}/{y}.png"}),
}

Shift = Callable[[Any], Any]
#: Encoded plot geometries kept: (plots object, coordinate system) -> (plots, geometry).
_KEPT: dict[tuple[int, str], tuple[object, PlotGeometry]] = {}
_KEPT_MAX = 4


def display_shifts(basemap: str) -> tuple[Shift | None, Shift | None]:
    """``(shift, unshift)`` of geometries for a base map drawn in another coordinate system.

    Layers are WGS84; a base map in GCJ-02 (Amap) needs every layer shifted for display, and a
    click on it shifted back. ``(None, None)`` for a WGS84 base map (or none, or a custom one).
    """
    system = BASEMAPS[basemap].coord_system if basemap in BASEMAPS else "wgs84"
    if system == "wgs84":
        return None, None
    return (
        partial(transform_geometries, source="wgs84", target=system),
        partial(transform_geometries, source=system, target="wgs84"),
    )


def plot_geometry(run: Run, basemap: str) -> PlotGeometry:
    """The run's plots encoded for the map, kept while its measured plots are the same object.

    The measured criteria are cached per data load and settings (the app's ``criteria_for``),
    so their plots are the same object from one rerun to the next until the data or the
    measuring settings change; a new object (or a base map in another coordinate system)
    encodes anew. At most :data:`_KEPT_MAX` are kept.
    """
    system = BASEMAPS[basemap].coord_system if basemap in BASEMAPS else "wgs84"
    plots = run.table.plots if run.table is not None else None
    key = (id(plots), system)
    kept = _KEPT.get(key)
    if plots is not None and kept is not None and kept[0] is plots:
        return kept[1]
    geometry = encode_plots(run.result, max_zoom=MAP_MAX_ZOOM, shift=display_shifts(basemap)[0])
    if plots is not None:
        while len(_KEPT) >= _KEPT_MAX:
            _KEPT.pop(next(iter(_KEPT)))
        _KEPT[key] = (plots, geometry)
    return geometry


def map_layers(
    layers: Layers, lc_report: object | None, basemap: str, lang: str = "zh"
) -> tuple[Layers, list]:
    """The layers to draw and the extra folium groups, given the life-circle report card.

    With a report and an unshifted base map, life circles are drawn coloured by the card (with
    generated circles and catchments) instead of as a plain layer; a shifted base map needs every
    layer shifted, so generated circles become the plain life-circle layer there.
    """
    if lc_report is None:
        return layers, []
    if display_shifts(basemap)[0] is None:
        return (
            dataclasses.replace(layers, life_circles=None),
            life_circle_feature_groups(lc_report, lang),
        )
    if not layers.has("life_circles"):
        return dataclasses.replace(layers, life_circles=lc_report.circles.circles), []
    return layers, []


def map_for(
    run: Run,
    lang: str,
    *,
    color_by: str,
    basemap: str,
    tianditu_key: str | None = None,
    tile_url: str | None = None,
) -> tuple[Any, str | None]:
    """The run's folium map, and a warning when its base map could not be used.

    A base-map option that is wrong (no Tianditu key, a bad tile URL) gives the map with no
    base map and the reason, escaped; layers are shifted for display by :func:`display_shifts`
    and life circles drawn as :func:`map_layers` decides.
    """
    layers, extra = map_layers(run.layers, run.lc_report, basemap, lang)
    kwargs = {
        "lang": lang,
        "color_by": color_by,
        "display_shift": display_shifts(basemap)[0],
        "extra_groups": extra,
    }
    geometry = plot_geometry(run, basemap)
    if len(run.result) <= POPUP_DETAIL_MAX_PLOTS:  # the popups say every plot's reason
        with_reasons(run, langs=(lang,))
    try:
        return build_map(
            run.result,
            layers,
            run.config,
            basemap=basemap,
            tianditu_key=tianditu_key,
            tile_url=tile_url,
            plot_geometry=geometry,
            **kwargs,
        ), None
    except MapInputError as exc:
        return build_map(run.result, layers, run.config, basemap="none", **kwargs), error_text(
            exc, lang
        )
