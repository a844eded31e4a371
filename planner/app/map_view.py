"""The map tab: the base map's coordinate shift, which layers are drawn, the run's map.

Layers are WGS84; a base map in GCJ-02 (Amap) needs every layer shifted for display and a
click shifted back (:func:`display_shifts`), decided here once.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from functools import partial
from typing import Any

from planner.app.lifecircle_map import life_circle_feature_groups
from planner.app.maps import BASEMAPS, MapInputError, build_map
from planner.app.run import Run, error_text
from planner.io.coords import transform_geometries
from planner.layers import Layers

#: Base maps that need a text input (a key, a tile URL): map_for keyword, text_input options.
BASEMAP_INPUTS: dict[str, tuple[str, dict[str, str]]] = {
    "tianditu": ("tianditu_key", {"type": "password"}),
    "custom": ("tile_url", {"placeholder": "http://tiles.intranet/{z}/{x}/{y}.png"}),
}

Shift = Callable[[Any], Any]


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
    try:
        return build_map(
            run.result,
            layers,
            run.config,
            basemap=basemap,
            tianditu_key=tianditu_key,
            tile_url=tile_url,
            **kwargs,
        ), None
    except MapInputError as exc:
        return build_map(run.result, layers, run.config, basemap="none", **kwargs), error_text(
            exc, lang
        )
