"""The app's decisions in planner.app (by planner.app.views), without streamlit: known answers."""

from __future__ import annotations

from types import SimpleNamespace

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import Point, box

from planner.app import map_view, views
from planner.app.i18n import md_escape, tr
from planner.app.run import source_badge
from planner.config import PlannerConfig
from planner.decision.presets import PRESETS
from planner.errors import InputFileError
from planner.io.coords import transform_geometries
from planner.layers import Layers

BEIJING = Point(116.397, 39.909)


def _config(**thresholds: float) -> PlannerConfig:
    return PlannerConfig.from_dict({"thresholds": thresholds}, source="test")


def _result() -> gpd.GeoDataFrame:
    """Two scored plots side by side in lon/lat, D1 ranked first."""
    return gpd.GeoDataFrame(
        {
            "plot_id": ["D2", "D1"],
            "rank": [2, 1],
            "name": ["b", "a"],
            "recommended_use": ["parking", "pocket_park"],
            "park_score": [0.2, 0.9],
            "parking_score": [0.7, 0.1],
            "area_m2": [400.0, 900.0],
            "est_parking_spaces": [12, 0],
            "reasons": ["r2", "r1"],
            "reasons_zh": ["二", "一"],
        },
        geometry=[box(116.401, 39.90, 116.402, 39.901), box(116.40, 39.90, 116.401, 39.901)],
        crs="EPSG:4326",
    )


def test_wan_to_yuan_multiplies_by_ten_thousand_once():
    assert views.YUAN_PER_WAN == 10_000
    assert views.wan_to_yuan(12.5) == 125_000.0
    assert views.wan_to_yuan(1) == 10_000.0
    assert views.wan_to_yuan(0) is None  # no budget
    assert views.wan_to_yuan(-3) is None


def test_catchment_radius_comes_from_the_config():
    config = _config(green_radius_m=333.0, parking_radius_m=222.0)
    assert views.catchment_radius_m("parking", config) == 222.0
    assert views.catchment_radius_m("pocket_park", config) == 333.0
    assert views.catchment_radius_m("none", config) == 333.0  # green space by default
    default = PlannerConfig()
    assert views.catchment_radius_m("parking", default) == default.thresholds.parking_radius_m


def test_only_a_gcj02_base_map_shifts_the_layers():
    for basemap in ("osm", "cartodb", "tianditu", "custom", "none"):
        assert views.display_shifts(basemap) == (None, None), basemap
    shift, unshift = views.display_shifts("amap")
    pts = np.asarray([BEIJING], dtype=object)
    shifted = shift(pts)
    expected = transform_geometries(pts, source="wgs84", target="gcj02")
    assert shifted[0].equals_exact(expected[0], 1e-12)
    # GCJ-02 moves Beijing by a few hundred metres, and back again
    assert 0.001 < shifted[0].distance(BEIJING) < 0.01
    assert unshift(shifted)[0].distance(BEIJING) < 1e-6


def test_life_circles_drawn_by_the_card_unless_the_base_map_is_shifted(monkeypatch):
    plots = _result()
    layers = Layers(plots=plots)
    assert views.map_layers(layers, None, "osm") == (layers, [])
    circles = gpd.GeoDataFrame(
        {"circle_name": ["c"]}, geometry=[box(116.3, 39.8, 116.5, 40.0)], crs="EPSG:4326"
    )
    report = SimpleNamespace(circles=SimpleNamespace(circles=circles))
    monkeypatch.setattr(
        map_view, "life_circle_feature_groups", lambda r, lang: ["groups of", r, lang]
    )
    drawn, extra = views.map_layers(Layers(plots=plots, life_circles=circles), report, "osm")
    assert drawn.life_circles is None and extra == ["groups of", report, "zh"]
    # Amap: generated circles become the plain (shifted) life-circle layer, no card colours
    drawn, extra = views.map_layers(layers, report, "amap")
    assert drawn.life_circles is circles and extra == []


def test_settings_key_follows_thresholds_not_weights():
    base = views.settings_key(PlannerConfig())
    weights = {"pocket_park": dict(PlannerConfig().weights("pocket_park"), shape=0.9)}
    assert views.settings_key(PlannerConfig.from_dict({"weights": weights})) == base
    assert views.settings_key(_config(green_radius_m=400.0)) != base


def test_slider_values_for_defaults_presets_and_ahp():
    defaults = views.default_weights()
    assert defaults["w.parking.demand"] == PlannerConfig().weights("parking")["demand"]
    name = next(iter(PRESETS))
    for crit, w in PRESETS[name].park_weights.items():
        assert views.preset_weights(name)[f"w.pocket_park.{crit}"] == w
    ahp = views.ahp_slider_values("parking", {"demand": 0.123456})
    assert ahp["w.parking.demand"] == 0.12
    assert ahp["w.parking.capacity"] == 0.0  # criteria without an AHP weight go to 0
    assert all(k.startswith("w.parking.") for k in ahp)


def test_threshold_inputs_default_to_the_config_in_the_inputs_type():
    t = PlannerConfig().thresholds
    assert views.default_threshold("min_stalls") == int(t.min_stalls)
    assert isinstance(views.default_threshold("min_stalls"), int)
    assert views.default_threshold("green_radius_m") == float(t.green_radius_m)


def test_bad_settings_keep_the_defaults_and_say_why():
    zero = {"pocket_park": dict.fromkeys(PlannerConfig().weights("pocket_park"), 0.0)}
    config, said = views.settings_config(zero, {})
    assert config == PlannerConfig()
    assert len(said) == 1 and said[0][0] == "error" and "at least one weight" in said[0][1]
    config, said = views.settings_config({}, {"green_radius_m": 450.0})
    assert said == [] and config.thresholds.green_radius_m == 450.0


def test_error_text_escapes_and_names_unexpected_errors():
    assert views.error_text(InputFileError("a.zip", "bad [x](y)")) == r"a\.zip: bad \[x\]\(y\)"
    assert views.error_text(KeyError("k")) == "KeyError: 'k'"


def test_a_click_selects_the_plot_under_it_once():
    result = _result()
    state = {"selected": None, "last_click": None}
    click = {"last_object_clicked": {"lat": 39.9005, "lng": 116.4005}}
    assert views.take_click(state, click, result, "osm")
    assert state["selected"] == "D1"
    state["selected"] = "D2"  # chosen in the list since: the same click does not undo it
    assert not views.take_click(state, click, result, "osm")
    assert state["selected"] == "D2"
    assert not views.take_click(state, None, result, "osm")


def test_plot_choices_drop_a_selection_that_is_gone():
    state = {"selected": "X9"}
    assert views.plot_choices(state, _result()) == [None, "D1", "D2"]  # rank order
    assert state["selected"] is None


def test_selection_extras_use_the_radius_of_the_recommended_use():
    result = _result().assign(parking_feasible=[True, False])
    config = _config(green_radius_m=333.0, parking_radius_m=222.0)
    layers = Layers(plots=result)
    park = views.selection_extras(result, "D1", layers, config, None)
    assert park == {"catchment": None, "radius_m": 333.0, "layout": None}
    assert views.selection_extras(result, None, layers, config, None)["radius_m"] is None


def test_run_inputs_never_mix_the_demo_and_the_project():
    project = SimpleNamespace(
        layers={"green": SimpleNamespace(report={"source": "g.shp"})}, ready=False
    )
    demo = Layers(plots=_result())
    run = views.run_inputs("upload", project, demo=lambda: demo)
    # no plots yet: the demo stands in, said so, and only the project's layers are reported
    assert run.layers is demo and run.shown == "demo" and run.load_key == "demo"
    assert run.reports == {"green": {"source": "g.shp"}}
    kind, text = source_badge(run, project, "en")
    assert kind == "warning" and text == md_escape(
        tr("badge_demo_waiting", "en", roles=tr("layer_green", "en"))
    )
    # with plots, only the project is scored, never the demo
    ready = SimpleNamespace(
        layers={}, ready=True, key="k", to_layers=lambda: Layers(plots=_result())
    )
    run = views.run_inputs("upload", ready, demo=lambda: pytest.fail("demo read"))
    assert run.shown == "upload" and run.load_key == "k"
    assert source_badge(views.run_inputs("demo", project, lambda: demo), project, "zh") == (
        "info",
        tr("badge_demo", "zh"),
    )


def test_score_run_says_why_it_failed():
    run = views.Run("demo", layers=Layers(plots=_result()), load_key="demo")

    def broken(*_args):
        raise ValueError("boom <b>")

    said = views.score_run(run, broken, "en")
    assert run.result is None and run.layers is None
    msg = md_escape("ValueError: boom <b>")
    assert "\\<b\\>" in msg
    assert said == [("error", tr("scoring_failed", "en", msg=msg))]


def test_upload_notes_and_drop_rows():
    layer = SimpleNamespace(
        report={"source": "mine.zip"},
        frame=pd.DataFrame({"a": [1, 2]}),
        name="mine.zip/mine.shp",
        why=(("name", "mine"), ("geometry", "polygon")),
    )
    project = SimpleNamespace(layers={"plots": layer}, ready=True)
    assert views.drop_rows(project) == [("mine.zip/mine.shp", "plots", layer)]
    assert views.layer_text(layer, "en") == (
        "2 features · role from: its name (mine), polygon geometry"
    )
    assert views.layer_text(layer, "zh") == "2 个要素 · 类型依据：名称（mine）、几何类型（面）"
    state = {"upload_message": ("success", "ok"), "project": SimpleNamespace(ready=False)}
    assert views.upload_notes(state, "en") == [
        ("success", "ok"),
        ("warning", tr("need_plots", "en")),
    ]
