"""Re-weighting from kept criterion scores: the same numbers as scoring again (issue 17)."""

from __future__ import annotations

import dataclasses
import io
import json

import geopandas as gpd
import numpy as np
import pandas as pd
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


# --- the app's weight move: score_run re-weighs, reasons written when shown -------------------


def _scored_run(table, config):
    from planner.app.run import Run, score_run

    run = Run("demo", table.layers, "demo", config=config)
    assert score_run(run, lambda *_: table, "en") == []
    return run


def test_a_weight_move_gives_combines_result_once_the_reasons_are_asked_for(demo):
    from planner.app.run import with_reasons

    table, _ = demo
    moved = _moved(**{"w.parking.parking_gap": 1.0, "w.pocket_park.new_coverage": 0.9})
    run = _scored_run(table, moved)
    full = planner.combine(table, moved)
    # the reasons are not written by the weight move itself ...
    assert run.result["reasons"].isna().all() and run.result["reasons_zh"].isna().all()
    rest = [c for c in full.columns if c not in ("reasons", "reasons_zh")]
    pd.testing.assert_frame_equal(pd.DataFrame(run.result[rest]), pd.DataFrame(full[rest]))
    # ... and once asked for, the result is combine's, column by column, attrs too
    assert with_reasons(run) is run.result
    assert list(run.result.columns) == list(full.columns)
    pd.testing.assert_frame_equal(pd.DataFrame(run.result), pd.DataFrame(full))
    assert isinstance(run.result, gpd.GeoDataFrame) and run.result.crs == full.crs
    assert run.result.attrs == full.attrs


def test_reasons_written_for_some_plots_are_combines_for_those_plots(demo):
    table, _ = demo
    moved = _moved(**{"w.pocket_park.green_gap": 0.0})
    full = planner.combine(table, moved)
    base = WeightBase.of(table, moved)
    r = base.reweigh(moved)
    # one plot of every outcome (park, parking, none; excluded when the demo has any), shuffled
    rows = np.array(
        [int(np.flatnonzero(full["recommended_use"] == u)[0]) for u in ("parking", "pocket_park")]
        + [int(np.flatnonzero(full["recommended_use"] == "none")[-1])]
        + [int(i) for i in np.flatnonzero(full["excluded"].to_numpy())[:1]]
    )
    for lang, column in (("en", "reasons"), ("zh", "reasons_zh")):
        texts = base.reasons(r, lang, rows)
        assert texts[rows].tolist() == full[column].iloc[rows].tolist()
        others = np.setdiff1d(np.arange(len(full)), rows)
        assert all(t is None for t in texts[others])  # only the plots asked for
        assert base.reasons(r, lang).tolist() == full[column].tolist()  # then the rest


def test_the_base_is_kept_across_weight_moves_and_made_anew_for_new_settings(demo):
    from planner.app.weights import base_for

    table, config = demo
    first = _scored_run(table, config)
    moved = _scored_run(table, _moved(**{"w.parking.capacity": 0.9}))
    assert moved.base is first.base  # a weight move: the same base
    stricter = planner.PlannerConfig.from_dict(
        {"thresholds": {"recommend_min_score": 0.9}}, source="test"
    )
    assert base_for(table, stricter) is not first.base  # a threshold the base holds
    copied = dataclasses.replace(table, raw=table.raw.copy())
    assert base_for(copied, config) is not first.base  # newly measured criteria


def test_reasons_are_kept_per_weights(demo):
    from planner.app.run import with_reasons

    table, config = demo
    run = _scored_run(table, config)
    with_reasons(run, run.result.index[:3], langs=("en",))
    assert run.result["reasons"].notna().sum() == 3
    assert run.result["reasons_zh"].notna().sum() == 0
    other = _scored_run(table, _moved(**{"w.parking.capacity": 0.1}))
    assert other.result["reasons"].isna().all()  # other weights: their own reasons
    back = _scored_run(table, config)  # the weights of before: what was written is kept
    assert back.result["reasons"].iloc[:3].tolist() == run.result["reasons"].iloc[:3].tolist()
    assert back.result["reasons"].notna().sum() == 3


def test_the_candidate_table_writes_the_reasons_of_the_rows_it_lists(demo, monkeypatch):
    from planner.app import run as run_module
    from planner.app.i18n import tr

    table, config = demo
    moved = _moved(**{"w.pocket_park.green_gap": 0.0})
    full = planner.combine(table, moved)
    run = _scored_run(table, moved)
    monkeypatch.setattr(run_module, "CANDIDATES_LISTED", 7)
    said, shown = run_module.candidates_view(run, "zh", None, sort_by="park_score")
    assert said == tr("n_listed", "zh", n=len(full), total=len(full), k=7)
    assert len(shown) == 7
    ids = shown[tr("plot_id", "zh")].tolist()
    expected = full.set_index("plot_id").loc[ids, "reasons_zh"].tolist()
    assert shown[tr("reasons", "zh")].tolist() == expected
    assert run.result["reasons_zh"].notna().sum() == 7  # those rows only
    assert run.result["reasons"].isna().all()  # and in the language shown


def test_the_selected_plot_and_the_downloads_show_combines_reasons(demo):
    from planner.app.report import downloads
    from planner.app.run import with_reasons
    from planner.app.selected import plot_text, selected_plot, shown_plot

    table, _ = demo
    moved = _moved(**{"w.parking.parking_gap": 1.0})
    full = planner.combine(table, moved)
    run = _scored_run(table, moved)
    pid = str(full["plot_id"].iloc[5])
    row = shown_plot(run, pid, "en")
    assert plot_text(row, "en") == plot_text(selected_plot(full, pid), "en")
    assert run.result["reasons"].notna().sum() == 1
    fast = {s["key"]: s for s in downloads(lambda: with_reasons(run), None, moved, lang="en")}
    slow = {s["key"]: s for s in downloads(full, None, moved, lang="en")}
    assert fast["dl.csv"]["data"]() == slow["dl.csv"]["data"]()
    # GeoJSON names its collection after the temporary file; XLSX stamps the time
    features = [json.loads(s["dl.geojson"]["data"]())["features"] for s in (fast, slow)]
    assert features[0] == features[1]
    sheets = [pd.read_excel(io.BytesIO(s["dl.xlsx"]["data"]()), None) for s in (fast, slow)]
    assert sheets[0].keys() == sheets[1].keys()
    for name in sheets[0]:
        pd.testing.assert_frame_equal(sheets[0][name], sheets[1][name])
    assert run.result["reasons_zh"].notna().all()  # the download wrote every plot's


def test_on_real_data_a_weight_move_gives_combines_result():
    """Haidian, Beijing (shared/data/haidian_cau.osm): its plots re-weighed as the app does."""
    from planner.app.run import with_reasons
    from planner.io.read import read_layers
    from tests.realdata import HAIDIAN_OSM

    if not HAIDIAN_OSM.exists():
        pytest.fail(f"real-data check: {HAIDIAN_OSM} is missing", pytrace=False)
    table = planner.compute_criteria(read_layers(HAIDIAN_OSM), planner.PlannerConfig())
    for sliders in ({}, {"w.pocket_park.green_gap": 0.0, "w.parking.road_access": 1.0}):
        moved = _moved(**sliders)
        run = _scored_run(table, moved)
        full = planner.combine(table, moved)
        assert len(full) > 0 and full["reasons"].str.len().gt(0).all()
        pd.testing.assert_frame_equal(pd.DataFrame(with_reasons(run)), pd.DataFrame(full))
