"""What each control of the app offers: label, options, range, widget key, how an option reads.

A *spec* is the keyword arguments of one streamlit element (``st.radio(**spec)``), as plain
data: the widget keys are the ones the session state (:mod:`planner.app.state`) and the tests
use, the labels are in ``lang``; callbacks that change the session state take it as ``state``.
A row of inputs is a list of :data:`Input` ``(column, element, name, spec)``: the app places
``element`` (``"slider"``, ``"number_input"``, ...) in that column and hands the values, by
``name``, to a view function's keyword arguments.
"""

from __future__ import annotations

from collections.abc import Callable, MutableMapping
from typing import Any

import pandas as pd

from planner.app.i18n import LANGUAGES, criterion_label, role_label, tr, use_label
from planner.app.map_view import BASEMAP_INPUTS
from planner.app.maps import BASEMAP_CHOICES
from planner.app.state import apply_preset, clear_project, set_layer_role
from planner.app.tables import SORT_KEYS, USE_FILTERS, circle_options
from planner.app.uploads import COORD_SYSTEMS
from planner.app.weights import THRESHOLD_INPUTS, default_threshold, default_weights, weight_key
from planner.config import USES
from planner.criteria import CRITERIA
from planner.decision.allocation import POI_CATEGORIES
from planner.decision.presets import PRESETS
from planner.layers import ROLES, Layers

Spec = dict[str, Any]
#: One input of a row: (column position, streamlit element, name of its value, spec).
Input = tuple[int, str, str, Spec]
#: What the map can colour plots by.
COLOR_BY = ("use", "park_score", "parking_score")
#: Step of the weight sliders.
WEIGHT_STEP = 0.05


def _shown(lang: str, prefix: str = "") -> Callable[[str], str]:
    return lambda option: tr(f"{prefix}{option}", lang)


def _use_shown(lang: str) -> Callable[[str], str]:
    return lambda use: use_label(use, lang)


# --- sidebar and data tab ----------------------------------------------------------------------
#: Keys of the choice widgets (select boxes, radios) whose options read in the page's language;
#: ``role.`` starts the keys of the dropped layers' role boxes.
CHOICE_KEYS = (
    "source",
    "preset",
    "ahp_use",
    "color_by",
    "basemap",
    "selected",
    "f_use",
    "f_circle",
    "f_sort",
    "sel_use",
    "tg_category",
    "up_coords",
    "sel_objective",
    "sel_group",
    "sel_phase_unit",
)
CHOICE_PREFIXES = ("role.",)


def pin_choices(state: MutableMapping[str, Any]) -> None:
    """Keep every choice as it is when the language changes (the language radio's callback).

    A browser sends a select box's or radio's choice as the text it shows; after a language
    switch that text is in the old language, which the new labels no longer match, and
    streamlit would hand the text itself to the app as the value (a preset named "（当前）").
    Setting each choice once more in the session state, as the callback runs (before the
    widgets are drawn in the new language), keeps the value the planner chose.
    """
    for key in list(state.keys()):
        if key in CHOICE_KEYS or str(key).startswith(CHOICE_PREFIXES):
            state[key] = state[key]


def language(state: MutableMapping[str, Any] | None = None) -> Spec:
    """The language switch (labelled in both languages); it keeps the other choices."""
    spec: Spec = {
        "label": "语言 / Language",
        "options": list(LANGUAGES),
        "format_func": LANGUAGES.get,
        "key": "lang",
        "horizontal": True,
    }
    if state is not None:
        spec.update(on_change=pin_choices, args=(state,))
    return spec


def data_source(lang: str) -> Spec:
    """Demo district or the user's uploads."""
    return {
        "label": tr("data_source", lang),
        "options": ["demo", "upload"],
        "key": "source",
        "format_func": _shown(lang, "source_"),
        "horizontal": True,
    }


def drop_files(lang: str, state: MutableMapping[str, Any]) -> Spec:
    """The drop zone of the first screen: every file of the planner's data at once.

    Keyed afresh when the planner clears the project (``uploader_round``).
    """
    return {
        "label": tr("open_data", lang),
        "accept_multiple_files": True,
        "key": f"drop_files_{state['uploader_round']}",
    }


def read_options(lang: str) -> list[Input]:
    """Reading overrides for every dropped file, each named by its widget key.

    The text encoding, the CRS and the coordinate system of longitude/latitude data.
    """
    return [
        (
            0,
            "text_input",
            "up_encoding",
            {"label": tr("upload_encoding", lang), "key": "up_encoding"},
        ),
        (1, "text_input", "up_crs", {"label": tr("upload_crs", lang), "key": "up_crs"}),
        (
            2,
            "selectbox",
            "up_coords",
            {
                "label": tr("upload_coords", lang),
                "placeholder": tr("choose", lang),
                "options": COORD_SYSTEMS,
                "key": "up_coords",
                "format_func": str.upper,
            },
        ),
    ]


def layer_role(name: str, role: str, lang: str, state: MutableMapping[str, Any]) -> Spec:
    """The role of one dropped layer, for the planner to correct (blank: not used)."""
    key = f"role.{name}"
    return {
        "label": tr("layer_role_of", lang, name=name),
        "placeholder": tr("choose", lang),
        "options": ["", *ROLES],
        "index": 1 + list(ROLES).index(role),
        "key": key,
        "format_func": lambda r: role_label(r, lang) if r else tr("role_unused", lang),
        "on_change": set_layer_role,
        "args": (state, name, key),
    }


def clear_button(lang: str, state: MutableMapping[str, Any]) -> Spec:
    """Start a new, empty project."""
    return {
        "label": tr("clear_project", lang),
        "on_click": clear_project,
        "args": (state,),
        "key": "clear_project",
    }


# --- weights tab -------------------------------------------------------------------------------
def preset(lang: str, state: MutableMapping[str, Any]) -> Spec:
    """The weight presets; choosing one sets every slider."""
    return {
        "label": tr("preset", lang),
        "placeholder": tr("choose", lang),
        "options": ["", *PRESETS],
        "key": "preset",
        "on_change": apply_preset,
        "args": (state,),
        "format_func": lambda p: tr(f"preset_{p}", lang) if p else tr("preset_custom", lang),
    }


def weight_heading(use: str, lang: str) -> str:
    """The heading over a use's sliders."""
    return tr("weights_park" if use == "pocket_park" else "weights_parking", lang)


def weight_inputs(lang: str) -> list[Input]:
    """A slider per criterion, in its use's column, named by its widget key.

    Columns in :data:`planner.config.USES` order; :func:`planner.app.weights.weights_from_sliders`
    reads the values back.
    """
    return [
        (
            col,
            "slider",
            weight_key(use, crit.name),
            {
                "label": criterion_label(use, crit.name, lang),
                "min_value": 0.0,
                "max_value": 1.0,
                "step": WEIGHT_STEP,
                "key": weight_key(use, crit.name),
                "help": crit.rule_text(lang),
            },
        )
        for col, use in enumerate(USES)
        for crit in CRITERIA[use]
    ]


def reset_weights(lang: str, state: MutableMapping[str, Any]) -> Spec:
    """Put every slider back to its default weight."""
    return {
        "label": tr("reset_weights", lang),
        "on_click": state.update,
        "args": (default_weights(),),
    }


def threshold_inputs(lang: str) -> list[Input]:
    """Each threshold of :data:`~planner.app.weights.THRESHOLD_INPUTS`, named as in the config.

    The recommendation's minimum score is a slider, the rest number inputs.
    """
    return [
        (
            col,
            "slider" if name == "recommend_min_score" else "number_input",
            name,
            {
                "label": tr(name, lang),
                "min_value": lo,
                "max_value": hi,
                "value": default_threshold(name),
                "step": step,
                "key": f"t.{name}",
            },
        )
        for name, (col, lo, hi, step) in THRESHOLD_INPUTS.items()
    ]


def ahp_use(lang: str) -> Spec:
    """Which use's pairwise matrix is edited."""
    return {
        "label": tr("filter_use", lang),
        "options": USES,
        "key": "ahp_use",
        "horizontal": True,
        "format_func": _use_shown(lang),
    }


def ahp_apply(lang: str, state: MutableMapping[str, Any], values: dict[str, float] | None) -> Spec:
    """Set the sliders to the AHP weights; disabled when they are not consistent enough."""
    return {
        "label": tr("ahp_apply", lang),
        "on_click": state.update,
        "args": (values,),
        "disabled": values is None,
    }


# --- map tab -----------------------------------------------------------------------------------
def color_by(lang: str) -> Spec:
    """What the plots are coloured by."""
    return {
        "label": tr("color_by", lang),
        "placeholder": tr("choose", lang),
        "options": list(COLOR_BY),
        "key": "color_by",
        "format_func": _shown(lang, "color_"),
    }


def basemap(lang: str) -> Spec:
    """The base map."""
    return {
        "label": tr("basemap", lang),
        "placeholder": tr("choose", lang),
        "options": BASEMAP_CHOICES,
        "key": "basemap",
        "format_func": _shown(lang, "basemap_"),
    }


def basemap_inputs(lang: str, basemap: str) -> list[Input]:
    """The text a base map needs (a Tianditu key, a tile URL), in the third column."""
    if basemap not in BASEMAP_INPUTS:
        return []
    name, options = BASEMAP_INPUTS[basemap]
    return [(2, "text_input", name, {"label": tr(name, lang), "key": name, **options})]


def plot_chooser(lang: str, choices: list[str | None]) -> Spec:
    """The selected plot, also set by a click on the map (``selected``)."""
    return {
        "label": tr("choose_plot", lang),
        "placeholder": tr("choose", lang),
        "options": choices,
        "key": "selected",
        "format_func": lambda p: "—" if p is None else p,
    }


# --- candidates tab ----------------------------------------------------------------------------
def candidate_filters(lang: str, circles: pd.Series | None) -> list[Input]:
    """The candidate table's filters, named as :func:`~planner.app.tables.candidate_table`'s.

    Use, least best score, life circle (when plots are in circles), sort key.
    """
    circle: list[Input] = (
        []
        if circles is None
        else [
            (
                2,
                "selectbox",
                "life_circle",
                {
                    "label": tr("filter_life_circle", lang),
                    "placeholder": tr("choose", lang),
                    "options": circle_options(circles),
                    "key": "f_circle",
                    "format_func": lambda c: tr("all", lang) if c is None else c,
                },
            )
        ]
    )
    return [
        (
            0,
            "selectbox",
            "use",
            {
                "label": tr("filter_use", lang),
                "placeholder": tr("choose", lang),
                "options": list(USE_FILTERS),
                "key": "f_use",
                "format_func": lambda u: tr("all", lang) if u == "all" else use_label(u, lang),
            },
        ),
        (
            1,
            "slider",
            "min_score",
            {
                "label": tr("filter_min_score", lang),
                "min_value": 0.0,
                "max_value": 1.0,
                "value": 0.0,
                "step": 0.05,
                "key": "f_min",
            },
        ),
        *circle,
        (
            3,
            "selectbox",
            "sort_by",
            {
                "label": tr("sort_by", lang),
                "placeholder": tr("choose", lang),
                "options": list(SORT_KEYS),
                "key": "f_sort",
                "format_func": _shown(lang),
            },
        ),
    ]


def selection_inputs(lang: str) -> list[Input]:
    """The site selection's inputs, named as the view function's.

    Use, number of sites, budget (万元): :func:`~planner.app.decision_tools.site_selection`.
    """
    return [
        (
            0,
            "radio",
            "use",
            {
                "label": tr("filter_use", lang),
                "options": USES,
                "key": "sel_use",
                "format_func": _use_shown(lang),
            },
        ),
        (
            1,
            "number_input",
            "k",
            {
                "label": tr("selection_k", lang),
                "min_value": 1,
                "max_value": 100,
                "value": 8,
                "step": 1,
                "key": "sel_k",
            },
        ),
        (
            2,
            "number_input",
            "budget_wan",
            {
                "label": tr("selection_budget", lang),
                "min_value": 0.0,
                "max_value": 1e7,
                "value": 0.0,
                "step": 10.0,
                "key": "sel_budget",
            },
        ),
    ]


def target_inputs(lang: str, layers: Layers) -> list[Input]:
    """The targets, named as :func:`~planner.app.decision_tools.allocation_view`'s arguments.

    Spaces near a destination category (only with a POI layer: a parking target needs
    destinations to be near), the largest park area (m²) and the budget (万元).
    """
    near: list[Input] = [
        (
            0,
            "number_input",
            "min_spaces",
            {
                "label": tr("targets_min_spaces", lang),
                "min_value": 0,
                "max_value": 100_000,
                "value": 0,
                "step": 10,
                "key": "tg_spaces",
            },
        ),
        (
            1,
            "selectbox",
            "category",
            {
                "label": tr("targets_category", lang),
                "placeholder": tr("choose", lang),
                "options": POI_CATEGORIES,
                "key": "tg_category",
                "format_func": lambda c: tr(f"poi_{c}", lang),
            },
        ),
    ]
    return [
        *(near if layers.has("pois") else []),
        (
            2,
            "number_input",
            "max_park_m2",
            {
                "label": tr("targets_max_park", lang),
                "min_value": 0.0,
                "max_value": 1e8,
                "value": 0.0,
                "step": 1000.0,
                "key": "tg_park",
            },
        ),
        (
            3,
            "number_input",
            "budget_wan",
            {
                "label": tr("targets_budget", lang),
                "min_value": 0.0,
                "max_value": 1e7,
                "value": 0.0,
                "step": 10.0,
                "key": "tg_budget",
            },
        ),
    ]
