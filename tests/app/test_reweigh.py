"""Re-weighting from kept criterion scores: the same numbers as scoring again (issue 17)."""

from __future__ import annotations

import dataclasses
import json

import numpy as np
import pytest

import planner
from planner.app import maps
from planner.app.plot_layer import encode_plots
from planner.app.weights import WeightBase, default_weights, weights_from_sliders


@pytest.fixture(scope="module")
def demo():
    layers = planner.load_demo()
    config = planner.PlannerConfig()
    return planner.compute_criteria(layers, config), config


def _moved(**sliders: float) -> planner.PlannerConfig:
    weights = weights_from_sliders({**default_weights(), **sliders})
    return planner.PlannerConfig.from_dict({"weights": weights}, source="test")


@pytest.mark.parametrize(
    "sliders",
    [
        {},
        {"w.pocket_park.green_gap": 0.0},
        {"w.parking.parking_gap": 1.0, "w.pocket_park.new_coverage": 0.9},
    ],
)
def test_reweighing_gives_what_combine_gives(demo, sliders):
    table, config = demo
    base = WeightBase.of(table, config)
    moved = _moved(**sliders)
    fast, full = base.reweigh(moved), planner.combine(table, moved)
    assert np.array_equal(fast.park.to_numpy(), full["park_score"].to_numpy())
    assert np.array_equal(fast.parking.to_numpy(), full["parking_score"].to_numpy())
    assert fast.recommended.tolist() == full["recommended_use"].tolist()
    assert fast.rank.tolist() == full["rank"].tolist()
    assert fast.use_codes().tolist() == maps.use_codes(full).tolist()


def test_moving_a_slider_changes_the_recommendation_and_the_map_data(demo):
    table, config = demo
    base = WeightBase.of(table, config)
    # all the parking weight on road access: every plot a car can reach scores 1 for parking
    before = base.reweigh(config)
    on_road = {k: 0.0 for k in default_weights() if ".parking." in k}
    after = base.reweigh(_moved(**{**on_road, "w.parking.road_access": 1.0}))
    assert (before.recommended == "pocket_park").sum() > 0
    assert (after.recommended == "pocket_park").sum() == 0
    geometry = encode_plots(table.plots, max_zoom=maps.MAP_MAX_ZOOM)
    layer = maps.plot_layer(
        after.frame(),
        geometry,
        config,
        color_by="use",
        lang="en",
        popup_detail=False,
        uses=after.use_codes(),
    )
    columns = json.loads(layer.columns)
    assert "0" not in columns["u"][1]  # no plot coded pocket park (0) any more
    assert layer.geometry == geometry.text  # the kept geometry, not encoded again


def test_a_changed_threshold_needs_a_new_base(demo):
    table, config = demo
    base = WeightBase.of(table, config)
    stricter = planner.PlannerConfig.from_dict(
        {"thresholds": {"recommend_min_score": 0.9}}, source="test"
    )
    with pytest.raises(ValueError, match="new WeightBase"):
        base.reweigh(stricter)


def test_the_plots_are_encoded_once_per_measured_plots_and_coordinate_system(demo):
    from planner.app import map_view
    from planner.app.run import Run

    table, config = demo
    run = Run("demo", table.layers, "demo", config=config, table=table)
    run.result = planner.combine(table, config)
    first = map_view.plot_geometry(run, "osm")
    run.result = planner.combine(table, _moved(**{"w.parking.capacity": 0.9}))
    assert map_view.plot_geometry(run, "cartodb") is first  # new weights, same plots
    assert map_view.plot_geometry(run, "amap") is not first  # GCJ-02: shifted
    assert map_view.plot_geometry(run, "amap").bounds != first.bounds
    copied = dataclasses.replace(table.layers, plots=table.layers.plots.copy())
    remeasured = planner.compute_criteria(copied, config)  # new data: its own plots object
    again = Run("demo", table.layers, "demo", config=config, table=remeasured)
    again.result = planner.combine(remeasured, config)
    assert map_view.plot_geometry(again, "osm") is not first
