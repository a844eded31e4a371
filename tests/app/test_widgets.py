"""The app's controls (planner.app.widgets) as plain data: keys, names and what they feed."""

from __future__ import annotations

import inspect

import pandas as pd
import pytest

from planner.app import decision_tools, tables, weights, widgets
from planner.app.i18n import tr
from planner.app.uploads import Project, UploadedLayer
from planner.config import USES, PlannerConfig
from planner.criteria import CRITERIA
from planner.layers import Layers
from tests.app.test_views import _result


def _names(inputs):
    return [name for _, _, name, _ in inputs]


def _params(fn):
    return set(inspect.signature(fn).parameters)


def test_each_input_row_feeds_its_view_function_by_name():
    circles = pd.Series(["c1", None], index=[0, 1])
    filters = widgets.candidate_filters("en", circles)
    assert _names(filters) == ["use", "min_score", "life_circle", "sort_by"]
    assert set(_names(filters)) <= _params(tables.candidate_table)
    assert "life_circle" not in _names(widgets.candidate_filters("en", None))
    assert _names(widgets.selection_inputs("en")) == ["use", "k", "budget_wan"]
    assert set(_names(widgets.selection_inputs("en"))) <= _params(decision_tools.site_selection)
    plots = Layers(plots=_result())
    with_pois = Layers(plots=_result(), pois=_result().assign(category="station"))
    assert _names(widgets.target_inputs("en", plots)) == ["max_park_m2", "budget_wan"]
    assert _names(widgets.target_inputs("en", with_pois)) == [
        "min_spaces",
        "category",
        "max_park_m2",
        "budget_wan",
    ]
    assert set(_names(widgets.target_inputs("en", with_pois))) <= _params(
        decision_tools.allocation_view
    )
    # the threshold inputs are named as the configuration's thresholds
    config = PlannerConfig.from_dict(
        {
            "thresholds": {
                n: weights.default_threshold(n) for n in _names(widgets.threshold_inputs("en"))
            }
        }
    )
    assert config.thresholds == PlannerConfig().thresholds


def test_weight_sliders_are_read_back_by_use_and_criterion():
    inputs = widgets.weight_inputs("zh")
    assert len(inputs) == sum(len(CRITERIA[u]) for u in USES)
    assert {col for col, _, _, _ in inputs} == {0, 1}  # a column per use
    values = {name: 0.25 for _, _, name, _ in inputs}
    back = weights.weights_from_sliders(values)
    assert back == {u: {c.name: 0.25 for c in CRITERIA[u]} for u in USES}
    assert weights.weights_from_sliders(weights.default_weights()) == {
        u: PlannerConfig().weights(u) for u in USES
    }
    spec = inputs[0][3]
    assert spec["key"] == inputs[0][2] and spec["help"] == CRITERIA[USES[0]][0].rule_text("zh")


def test_specs_carry_the_keys_and_words_the_app_and_tests_use():
    green = UploadedLayer("green", _result(), {"source": "b.shp"}, "d", name="a.zip/b.shp")
    state = {"uploader_round": 3, "project": Project({"green": green})}
    assert widgets.drop_files("en", state)["key"] == "drop_files_3"
    assert widgets.data_source("zh")["format_func"]("demo") == tr("source_demo", "zh")
    assert widgets.plot_chooser("en", [None, "D1"])["format_func"](None) == "—"
    assert _names(widgets.read_options("en")) == ["up_encoding", "up_crs", "up_coords"]
    role = widgets.layer_role("a.zip/b.shp", "green", "en", state)
    assert role["options"][role["index"]] == "green" and role["format_func"]("") == "not used"
    state["role.a.zip/b.shp"] = "plots"
    role["on_change"](*role["args"])
    assert state["roles"] == {"a.zip/b.shp": "plots"}
    assert list(state["project"].layers) == ["plots"]  # corrected in place, nothing re-read
    assert state["project"].layers["plots"].name == "a.zip/b.shp"
    assert widgets.basemap_inputs("en", "osm") == []
    ((col, element, name, spec),) = widgets.basemap_inputs("en", "tianditu")
    assert (col, element, name, spec["type"]) == (2, "text_input", "tianditu_key", "password")
    apply = widgets.ahp_apply("en", state, None)
    assert apply["disabled"] and apply["args"] == (None,)
    reset = widgets.reset_weights("en", state)
    reset["on_click"](*reset["args"])
    first = CRITERIA["pocket_park"][0].name
    assert state[f"w.pocket_park.{first}"] == pytest.approx(
        PlannerConfig().weights("pocket_park")[first]
    )


def test_allocation_view_defaults_to_no_parking_target():
    params = inspect.signature(decision_tools.allocation_view).parameters
    assert params["min_spaces"].default == 0 and params["category"].default == "station"
