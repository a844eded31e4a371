"""The plot selected on the map: its row, catchment, stall layout, overlay and words."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd

from planner.app.i18n import tr, use_label
from planner.app.map_view import display_shifts
from planner.app.maps import selection_group
from planner.app.run import Run, with_reasons
from planner.config import PlannerConfig
from planner.decision.lifecircles import catchments
from planner.layers import Layers
from planner.parking import layout_for


def selected_plot(result: pd.DataFrame, plot_id: str | None) -> pd.Series | None:
    """The scored row of ``plot_id``; ``None`` when nothing (or an unknown plot) is selected."""
    rows = result[result["plot_id"].astype(str) == str(plot_id)] if plot_id is not None else []
    return rows.iloc[0] if len(rows) else None


def shown_plot(run: Run, plot_id: str | None, lang: str) -> pd.Series | None:
    """:func:`selected_plot` of ``run`` with its reason in ``lang`` written (:func:`plot_text`)."""
    row = selected_plot(run.result, plot_id)
    if row is None:
        return None
    return selected_plot(with_reasons(run, [row.name], langs=(lang,)), plot_id)


def _selected_row(result: gpd.GeoDataFrame, plot_id: str) -> gpd.GeoDataFrame:
    return result[result["plot_id"].astype(str) == str(plot_id)]


def catchment_radius_m(use: str, config: PlannerConfig) -> float:
    """Walking radius of a plot's catchment: the parking walk for a car park, else green space."""
    t = config.thresholds
    return float(t.parking_radius_m if use == "parking" else t.green_radius_m)


def selected_catchment(
    result: gpd.GeoDataFrame, plot_id: str, distances: object, radius_m: float
) -> gpd.GeoDataFrame | None:
    """Walking catchment (``radius_m`` along the network) of the selected plot.

    Uses :func:`planner.decision.lifecircles.catchments` from a point inside the plot; ``None`` when
    the plot is unknown.
    """
    row = _selected_row(result, plot_id)
    if len(row) == 0:
        return None
    centre = row.geometry.representative_point().reset_index(drop=True)
    return catchments(centre, distances, {0: float(radius_m)})


def selected_layout(
    result: gpd.GeoDataFrame, plot_id: str, roads: gpd.GeoDataFrame | None, config: PlannerConfig
) -> tuple[gpd.GeoDataFrame, dict] | None:
    """Stall layout of the selected plot for the map, and its figures.

    Uses :func:`planner.parking.layout_for`; returns ``(frame, figures)`` where ``frame``
    holds the stalls and aisles with ``kind`` and ``stalls`` columns and ``figures`` the stall
    counts, pattern, reason and the unmet demand the stalls would serve; ``None`` when the
    plot is unknown.
    """
    row = _selected_row(result, plot_id)
    if len(row) == 0:
        return None
    lay = layout_for(row.geometry.iloc[0], roads, config, crs=result.crs)
    stalls = lay.stall_geoms.assign(
        kind=np.where(
            lay.stall_geoms.get("accessible", False), "accessible stall 无障碍车位", "stall 车位"
        ),
        stalls=1,
    )
    aisles = lay.aisle_geoms.assign(kind="aisle 通道", stalls=np.nan)
    frame = pd.concat(
        [stalls[["kind", "stalls", "geometry"]], aisles[["kind", "stalls", "geometry"]]],
        ignore_index=True,
    )
    unmet = (
        float(row["unmet_vehicles_nearby"].iloc[0]) if "unmet_vehicles_nearby" in row else np.nan
    )
    served = min(lay.stalls, unmet) if unmet == unmet else np.nan
    figures = {
        "stalls": lay.stalls,
        "accessible_stalls": lay.accessible_stalls,
        "pattern": lay.pattern,
        "reason": lay.reason,
        "unmet_vehicles": unmet,
        "demand_served": served,
    }
    return gpd.GeoDataFrame(frame, geometry="geometry", crs=result.crs), figures


def selection_extras(
    result: gpd.GeoDataFrame,
    plot_id: str | None,
    layers: Layers,
    config: PlannerConfig,
    distances: object | None,
) -> dict[str, Any]:
    """What the map shows for the selected plot, by name; ``None`` where it does not apply.

    ``radius_m`` the catchment radius (:func:`catchment_radius_m`), ``catchment`` the walking
    catchment (needs the network ``distances``), ``layout`` ``(frame, figures)`` when the plot
    could hold parking.
    """
    out: dict[str, Any] = {"catchment": None, "radius_m": None, "layout": None}
    row = selected_plot(result, plot_id)
    if row is None:
        return out
    out["radius_m"] = catchment_radius_m(row["recommended_use"], config)
    if distances is not None:
        out["catchment"] = selected_catchment(result, plot_id, distances, out["radius_m"])
    if row["parking_feasible"] or row["recommended_use"] == "parking":
        out["layout"] = selected_layout(result, plot_id, layers.roads, config)
    return out


def selection_overlay(
    run: Run, plot_id: str | None, basemap: str, lang: str
) -> tuple[list, dict[str, Any]]:
    """The selected plot's map overlay (outline, catchment, layout) and :func:`selection_extras`.

    Drawn over the map without redrawing it, shifted as the base map needs.
    """
    sel = selection_extras(run.result, plot_id, run.layers, run.config, run.distances)
    overlay = selection_group(
        run.result,
        plot_id,
        lang=lang,
        display_shift=display_shifts(basemap)[0],
        catchment=sel["catchment"],
        layout=sel["layout"][0] if sel["layout"] else None,
    )
    return overlay, sel


def plot_text(row: pd.Series, lang: str) -> str:
    """The selected plot in three lines: name, recommended use and scores, reasons."""
    name = row["name"] if row["name"] == row["name"] else ""
    return (
        f"{name}\n"
        f"{tr('recommended_use', lang)}: {use_label(row['recommended_use'], lang)}"
        f" · {tr('park_score', lang)} {row['park_score']:.2f}"
        f" · {tr('parking_score', lang)} {row['parking_score']:.2f}\n"
        f"{tr('reasons', lang)}: {row['reasons_zh'] if lang == 'zh' else row['reasons']}"
    )


def layout_text(figures: Mapping[str, Any], lang: str) -> str:
    """The selected plot's parking layout in one line, or why there is none."""
    if not figures["stalls"]:
        return tr("layout_none", lang, reason=figures["reason"])
    return tr(
        "layout_figures",
        lang,
        stalls=figures["stalls"],
        accessible=figures["accessible_stalls"],
        pattern=figures["pattern"],
        served=f"{figures['demand_served']:.0f}",
        unmet=f"{figures['unmet_vehicles']:.0f}",
    )


def plot_notes(selected: Mapping[str, Any], lang: str) -> list[tuple[str, str]]:
    """``(kind, text)`` under the selected plot: its catchment radius and parking layout."""
    out = []
    if selected["catchment"] is not None:
        out.append(("caption", tr("catchment_note", lang, radius=selected["radius_m"])))
    if selected["layout"] is not None:
        out.append(("text", layout_text(selected["layout"][1], lang)))
    return out
