"""Maps of programmes: plots coloured by phase, and where two scenarios differ.

Both are :func:`planner.app.maps.build_map` with the plots coloured by the caller
(:class:`planner.app.maps.PlotColours`); no streamlit. Tooltips are built from escaped text.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

import folium
import geopandas as gpd
import numpy as np
import pandas as pd

from planner.app.i18n import tr, use_label
from planner.app.maps import PlotColours, build_map, esc
from planner.config import PlannerConfig
from planner.layers import Layers

#: Colour of each phase in order (early dark, later light), then of plots not built.
PHASE_COLORS = ("#3f007d", "#6a51a3", "#9e9ac8", "#cbc9e2", "#e7298a", "#c994c7")
NOT_BUILT_COLOR = "#969696"
#: Colours of the differences between scenarios A and B (planner.decision.compare.CHANGES).
CHANGE_COLORS = {
    "same": "#6a3d9a",
    "only_a": "#e31a1c",
    "only_b": "#ff7f00",
    "changed": "#b15928",
    "none": NOT_BUILT_COLOR,
}


def _tips(plots: pd.DataFrame, detail: pd.Series) -> pd.Series:
    name = esc(plots["name"]) if "name" in plots else pd.Series("", index=plots.index)
    return "<b>" + esc(plots["plot_id"]) + "</b> " + name + "<br>" + detail


def phase_colours(
    plots: pd.DataFrame, phase_names: Sequence[str], use: str, lang: str
) -> PlotColours:
    """Plots coloured by the phase they are built in (``phase`` column; empty: not built).

    Without phases (no ``phase`` column) the chosen plots (``selected``) take the first colour.
    """
    names = list(phase_names)
    if "phase" in plots and names:
        phase = plots["phase"].astype(str)
    else:
        label = tr("selected_yes", lang)
        names = [label]
        phase = pd.Series(np.where(plots["selected"].to_numpy(bool), label, ""), index=plots.index)
    palette = {n: PHASE_COLORS[i % len(PHASE_COLORS)] for i, n in enumerate(names)}
    colors = phase.map(palette).fillna(NOT_BUILT_COLOR)
    shown = phase.where(phase != "", tr("phase_none", lang))
    detail = (
        html.escape(use_label(use, lang))
        + " · "
        + html.escape(tr("phase", lang))
        + ": "
        + esc(shown)
    )
    entries = [(palette[n], n) for n in names] + [(NOT_BUILT_COLOR, tr("phase_none", lang))]
    return PlotColours(colors, tr("legend_phase", lang), entries, _tips(plots, detail))


def programme_map(
    plots: gpd.GeoDataFrame,
    layers: Layers | None,
    config: PlannerConfig,
    phase_names: Sequence[str],
    use: str,
    *,
    lang: str = "zh",
    assets: str = "served",
    basemap: str = "none",
) -> folium.Map:
    """The programme on a map: plots coloured by phase (or chosen / not chosen)."""
    return build_map(
        plots,
        layers,
        config,
        lang=lang,
        basemap=basemap,
        assets=assets,
        plot_colors=phase_colours(plots, phase_names, use, lang),
        height="480px",
    )


def change_colours(plots: pd.DataFrame, lang: str) -> PlotColours:
    """Plots coloured by how scenarios A and B differ (``change``, ``use_a``, ``use_b``)."""
    change = plots["change"].astype(str)
    colors = change.map(CHANGE_COLORS).fillna(NOT_BUILT_COLOR)
    ua = plots["use_a"].astype(str).map(lambda u: use_label(u, lang))
    ub = plots["use_b"].astype(str).map(lambda u: use_label(u, lang))
    detail = (
        "A: "
        + esc(ua)
        + " · B: "
        + esc(ub)
        + " · "
        + esc(change.map(lambda c: tr(f"change_{c}", lang)))
    )
    entries = [(CHANGE_COLORS[c], tr(f"change_{c}", lang)) for c in CHANGE_COLORS]
    return PlotColours(colors, tr("legend_change", lang), entries, _tips(plots, detail))


def comparison_map(
    plots: gpd.GeoDataFrame,
    scored: gpd.GeoDataFrame,
    layers: Layers | None,
    config: PlannerConfig,
    *,
    lang: str = "zh",
    assets: str = "served",
    basemap: str = "none",
) -> folium.Map:
    """Where two scenarios differ (``plots`` of :class:`planner.decision.compare.Comparison`).

    ``scored`` gives the plots' scores (the popups' breakdown); colours and tooltips say
    which scenario uses each plot.
    """
    frame = scored.assign(
        change=plots["change"].to_numpy(),
        use_a=plots["use_a"].to_numpy(),
        use_b=plots["use_b"].to_numpy(),
    )
    return build_map(
        frame,
        layers,
        config,
        lang=lang,
        basemap=basemap,
        assets=assets,
        plot_colors=change_colours(frame, lang),
        height="480px",
    )
