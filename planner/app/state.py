"""The app's session state and its callbacks; ``state`` is any mutable mapping.

Streamlit's session state in the app, a plain dict in the tests: the project of uploaded
layers, the selected plot, the last map click and the weight sliders' values.
"""

from __future__ import annotations

from collections.abc import Mapping, MutableMapping
from typing import Any

import geopandas as gpd
import pandas as pd

from planner.app.i18n import md_escape, role_label, tr
from planner.app.map_view import display_shifts
from planner.app.maps import plot_at
from planner.app.run import error_text
from planner.app.tables import candidate_table
from planner.app.uploads import Project, read_upload
from planner.app.weights import default_weights, preset_weights


def initial_state() -> dict[str, Any]:
    """The app's session state before the first run.

    An empty project, nothing selected, the default weights on the sliders, no programme and
    no saved scenario.
    """
    return {"project": Project(), "upload_message": None, "selected": None, "last_click": None,
            "uploader_round": 0, "scenarios": {}, "plan": None, "scenario_message": None,
            **default_weights()}


def add_upload(state: MutableMapping[str, Any]) -> None:
    """Read the files in the current uploader into the project; say how it went.

    The layer joins ``state["project"]``, a fresh uploader is keyed for the next one and the
    user's own data is shown; a file that cannot be read leaves everything as it was.
    """
    lang = state.get("lang", "zh")
    files = state.get(f"up_files_{state['uploader_round']}") or []
    if not files:
        state["upload_message"] = ("warning", tr("upload_none", lang))
        return
    try:
        layer = read_upload({f.name: f.getvalue() for f in files}, role=state["up_role"],
                            encoding=state.get("up_encoding"), crs=state.get("up_crs"),
                            coord_system=state.get("up_coords", "wgs84"),
                            layer=state.get("up_layer") or None)
    except Exception as exc:  # noqa: BLE001 - nothing a user uploads may crash the app
        state["upload_message"] = ("error", tr("upload_error", lang, msg=error_text(exc)))
        return
    state["project"].add(layer)
    state["uploader_round"] += 1
    state["source"], state["selected"] = "upload", None
    state["upload_message"] = upload_message(layer, lang)


def upload_message(layer: Any, lang: str) -> tuple[str, str]:
    """``(kind, text)`` after an upload: success, or a warning listing the repairs made."""
    said = tr("upload_ok", lang, count=len(layer.frame), role=role_label(layer.role, lang))
    notes = layer.report.get("notes") or []
    if notes:
        said += " " + tr("upload_repairs", lang, notes=md_escape("; ".join(notes)))
    return ("warning" if notes else "success"), said


def upload_notes(state: Mapping[str, Any], lang: str) -> list[tuple[str, str]]:
    """``(kind, text)`` under the upload form: how the last upload went, whether plots lack."""
    said = [state["upload_message"]] if state.get("upload_message") else []
    return said + ([] if state["project"].ready else [("warning", tr("need_plots", lang))])


def project_rows(project: Any, lang: str) -> list[tuple[str, str]]:
    """``(role, text)`` per layer of the project: role, source and feature count."""
    return [(role, f"{role_label(role, lang)}: {layer.report.get('source', '')} "
                   f"({len(layer.frame)})") for role, layer in project.layers.items()]


def remove_layer(state: MutableMapping[str, Any], role: str) -> None:
    """Take ``role`` out of the project (and the selection with it)."""
    state["project"].remove(role)
    state["selected"] = None


def clear_project(state: MutableMapping[str, Any]) -> None:
    """Start a new, empty project."""
    state["project"], state["selected"] = Project(), None


def apply_preset(state: MutableMapping[str, Any]) -> None:
    """Set every weight slider to the chosen preset's weights (none chosen: leave them)."""
    if state.get("preset"):
        state.update(preset_weights(state["preset"]))


def take_click(state: MutableMapping[str, Any], clicked: Mapping[str, Any] | None,
               result: gpd.GeoDataFrame, basemap: str) -> bool:
    """Select the plot under a new map click; True when the selection changed.

    ``clicked`` is what the map returned (``last_object_clicked``: ``lat``, ``lng`` in display
    coordinates, unshifted as the base map needs). The same click seen again is ignored
    (``state["last_click"]``), so a rerun does not undo a choice made since.
    """
    click = (clicked or {}).get("last_object_clicked")
    if not click or click == state.get("last_click"):
        return False
    state["last_click"] = click
    hit = plot_at(result, click["lat"], click["lng"], display_unshift=display_shifts(basemap)[1])
    if hit is None or hit == state.get("selected"):
        return False
    state["selected"] = hit
    return True


def plot_choices(state: MutableMapping[str, Any], result: pd.DataFrame) -> list[str | None]:
    """The plot chooser's options: none, then every plot id in rank order.

    A selection that is no longer among the plots (new data) is dropped from ``state``.
    """
    ids = candidate_table(result)["plot_id"].tolist()
    if state.get("selected") not in ids:
        state["selected"] = None
    return [None, *ids]
