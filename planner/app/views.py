"""The app's view functions by their first address: ``planner.app.views.X`` still imports.

They live in modules named for what they hold: :mod:`~planner.app.tables` (tables and chart
data), :mod:`~planner.app.weights` (sliders, presets, AHP, thresholds), :mod:`~planner.app.run`
(one run: its layers, scoring, what went wrong), :mod:`~planner.app.map_view` (base-map shift,
layers drawn), :mod:`~planner.app.selected` (the selected plot),
:mod:`~planner.app.decision_tools` (site selection, targets; 万元 -> 元) and
:mod:`~planner.app.state` (session-state callbacks). Each name here is the same object as there.
"""

from __future__ import annotations

from planner.app.decision_tools import (
    YUAN_PER_WAN,
    allocation_table,
    allocation_view,
    coverage_curve,
    selection_table,
    site_selection,
    wan_to_yuan,
)
from planner.app.map_view import (
    BASEMAP_INPUTS,
    Shift,
    display_shifts,
    map_for,
    map_layers,
)
from planner.app.run import (
    CARD_COLUMNS,
    Run,
    constraints_text,
    error_text,
    life_circle_card,
    life_circles_of,
    run_inputs,
    score_run,
    weight_notes,
)
from planner.app.selected import (
    catchment_radius_m,
    layout_text,
    plot_notes,
    plot_text,
    selected_catchment,
    selected_layout,
    selected_plot,
    selection_extras,
    selection_overlay,
)
from planner.app.state import (
    apply_preset,
    clear_project,
    drop_message,
    drop_rows,
    initial_state,
    layer_text,
    plot_choices,
    set_layer_role,
    take_click,
    take_drop,
    upload_notes,
)
from planner.app.tables import (
    SORT_KEYS,
    TABLE_COLUMNS,
    USE_FILTERS,
    best_score,
    breakdown_table,
    candidate_table,
    circle_options,
    contribution_chart,
    histogram_chart,
    labelled,
    layer_summary_table,
    missing_criteria_text,
    plot_contributions,
    score_histogram,
    summary_text,
    use_counts,
    with_stability,
)
from planner.app.weights import (
    THRESHOLD_INPUTS,
    ahp_blank,
    ahp_slider_values,
    ahp_table,
    ahp_view,
    default_threshold,
    default_weights,
    preset_weights,
    reciprocal_matrix,
    settings_config,
    settings_key,
    weight_key,
    weight_values,
)

__all__ = [
    "BASEMAP_INPUTS", "CARD_COLUMNS", "Run", "SORT_KEYS", "Shift", "TABLE_COLUMNS",
    "THRESHOLD_INPUTS", "USE_FILTERS", "YUAN_PER_WAN", "ahp_blank",
    "ahp_slider_values", "ahp_table", "ahp_view", "allocation_table", "allocation_view",
    "apply_preset", "best_score", "breakdown_table", "candidate_table", "catchment_radius_m",
    "circle_options", "clear_project", "constraints_text", "contribution_chart", "coverage_curve",
    "default_threshold", "default_weights", "display_shifts", "error_text", "histogram_chart",
    "initial_state", "labelled", "layer_summary_table", "layout_text", "life_circle_card",
    "life_circles_of", "map_for", "map_layers", "missing_criteria_text", "plot_choices",
    "plot_contributions", "plot_notes", "plot_text", "preset_weights",
    "reciprocal_matrix", "run_inputs", "score_histogram", "score_run",
    "selected_catchment", "selected_layout", "selected_plot", "selection_extras",
    "selection_overlay", "selection_table", "settings_config", "settings_key", "site_selection",
    "summary_text", "take_click", "upload_notes", "use_counts", "wan_to_yuan",
    "weight_key", "weight_notes", "weight_values", "with_stability", "drop_message", "drop_rows",
    "layer_text", "set_layer_role", "take_drop",
]
