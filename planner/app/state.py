"""The app's session state and its callbacks; ``state`` is any mutable mapping.

Streamlit's session state in the app, a plain dict in the tests: the project of uploaded
layers, the selected plot, the last map click and the weight sliders' values.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, MutableMapping, Sequence
from typing import Any

import geopandas as gpd
import pandas as pd

from planner.app.i18n import md_escape, role_label, tr
from planner.app.map_view import display_shifts
from planner.app.maps import plot_at
from planner.app.run import error_text
from planner.app.tables import candidate_table
from planner.app.uploads import Project, read_drop
from planner.app.weights import default_weights, preset_weights
from planner.errors import PlannerError
from planner.messages import localized


def initial_state() -> dict[str, Any]:
    """The app's session state before the first run.

    An empty project, nothing selected, the default weights on the sliders, no programme and
    no saved scenario.
    """
    return {
        "project": Project(),
        "upload_message": None,
        "selected": None,
        "last_click": None,
        "uploader_round": 0,
        "drop_key": None,
        "drop_problems": [],
        "roles": {},
        "scenarios": {},
        "plan": None,
        "scenario_message": None,
        **default_weights(),
    }


def take_drop(
    state: MutableMapping[str, Any],
    files: Sequence[Any],
    *,
    on_progress: Callable[[str, int, int], None] | None = None,
) -> bool:
    """Make the project of every file in the drop zone, once per change; True when remade.

    ``files`` are the uploader's files (``.name``, ``.getvalue()``). Their layers take the
    roles the planner chose (``state["roles"]``, by layer name) or else guessed ones; the
    user's data is then shown (``state["source"] = "upload"``). Problems of the drop (a file
    that cannot be read, a layer no role takes) go to ``state["drop_problems"]``; nothing
    raises. An empty drop zone leaves the project as it is.
    """
    if not files:
        return False
    options = {
        "encoding": state.get("up_encoding"),
        "crs": state.get("up_crs"),
        "coord_system": state.get("up_coords") or "wgs84",
    }
    # every rerun passes here: the uploader's ids and sizes say whether the drop changed, so the
    # files' bytes are neither read nor hashed again until it does
    key = repr(([(f.name, getattr(f, "file_id", ""), f.size) for f in files], options))
    if key == state.get("drop_key"):
        return False
    data = {f.name: f.getvalue() for f in files}
    drop = read_drop(data, roles=state.get("roles"), on_progress=on_progress, **options)
    project = Project()
    for layer in drop.layers:
        project.add(layer)
    lang = state.get("lang", "zh")
    state.update(
        project=project,
        drop_key=key,
        selected=None,
        source="upload",
        drop_problems=list(drop.problems),
    )
    state["upload_message"] = drop_message(project, lang)
    return True


def drop_message(project: Project, lang: str) -> tuple[str, str]:
    """``(kind, text)`` after a drop: the roles filled, with any repairs made on reading."""
    if not project.layers:
        return "error", tr("drop_nothing", lang)
    roles = ", ".join(
        f"{role_label(r, lang)} ({len(lay.frame)})" for r, lay in project.layers.items()
    )
    said = tr("drop_read", lang, n=len(project.layers), roles=roles)
    notes = [
        localized(n, lang) for lay in project.layers.values() for n in lay.report.get("notes") or []
    ]
    if notes:
        said += " " + tr("upload_repairs", lang, notes=md_escape("; ".join(notes)))
    return ("warning" if notes else "success"), said


def drop_rows(project: Project) -> list[tuple[str, str, Any]]:
    """``(layer name, role, layer)`` for each layer of the project, in role order."""
    return [
        (lay.name or str(lay.report.get("source", role)), role, lay)
        for role, lay in project.layers.items()
    ]


def set_layer_role(state: MutableMapping[str, Any], name: str, key: str) -> None:
    """The planner corrects a layer's role (the selectbox under ``key``), in the project as it is.

    The layer takes the role (:meth:`Project.set_role`: checked for it, the layer that held it
    takes the old role when it fits); blank leaves it unused. The choice is kept for the next
    drop (``state["roles"]``); a role the layer's geometry refuses is said, nothing changes.
    """
    role = state.get(key) or ""
    project = state["project"]
    old = next((r for r, lay in project.layers.items() if lay.name == name), None)
    if old is not None:
        try:
            if role:
                project.set_role(old, role)
            else:
                project.remove(old)
        except PlannerError as exc:
            lang = state.get("lang", "zh")
            state["upload_message"] = ("error", tr("upload_error", lang, msg=error_text(exc, lang)))
            return
    roles = {n: r for n, r in state.get("roles", {}).items() if r != role or not role}
    roles[name] = role
    state["roles"], state["selected"] = roles, None


def _kinds(kinds: str, lang: str) -> str:
    return "/".join(tr(f"kind_{k}", lang) for k in kinds.split("/"))


def layer_text(layer: Any, lang: str) -> str:
    """One line on a dropped layer: its features and what its role was guessed from."""
    sep = "、" if lang == "zh" else ", "
    why = sep.join(
        tr(f"why_{kind}", lang, detail=_kinds(detail, lang) if kind == "geometry" else detail)
        for kind, detail in layer.why
    )
    count = tr("n_features", lang, n=len(layer.frame))
    return f"{count} · {tr('guessed_from', lang, why=why)}" if why else count


def upload_notes(state: Mapping[str, Any], lang: str) -> list[tuple[str, str]]:
    """``(kind, text)`` under the upload form: how the last upload went, whether plots lack."""
    said = [state["upload_message"]] if state.get("upload_message") else []
    return said + ([] if state["project"].ready else [("warning", tr("need_plots", lang))])


def clear_project(state: MutableMapping[str, Any]) -> None:
    """Start a new, empty project: no layers, no chosen roles, an empty drop zone."""
    state.update(
        project=Project(),
        selected=None,
        roles={},
        drop_key=None,
        drop_problems=[],
        upload_message=None,
        uploader_round=state.get("uploader_round", 0) + 1,
    )


def apply_preset(state: MutableMapping[str, Any]) -> None:
    """Set every weight slider to the chosen preset's weights (none chosen: leave them)."""
    if state.get("preset"):
        state.update(preset_weights(state["preset"]))


def take_click(
    state: MutableMapping[str, Any],
    clicked: Mapping[str, Any] | None,
    result: gpd.GeoDataFrame,
    basemap: str,
) -> bool:
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
