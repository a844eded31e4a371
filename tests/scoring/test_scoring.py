import dataclasses

import numpy as np
import pandas as pd
import pytest
from shapely.geometry import box

from planner.access.distances import StraightLineDistance
from planner.config import PlannerConfig
from planner.layers import Layers, prepare_layers
from planner.messages import localized
from planner.scoring import (
    LEAD_COLUMNS,
    combine,
    compute_criteria,
    residents_at_home_points,
    score,
)
from tests.conftest import X0, Y0, gdf


def test_scene_raw_values_by_hand(scene):
    # straight-line distances (the default is the walking network when roads are given)
    r = score(scene, distances=StraightLineDistance()).set_index("plot_id")
    # A's west edge is 300 m from the park's east edge; B 900 m; C 1,300 m
    assert r["nearest_green_m"].tolist() == [300.0, 900.0, 1300.0]
    # estate 1 (2,620 people) has its centre 100+25 = 125 m east of A's east edge ...
    assert r.loc["A", "residents_5min"] == 2620.0
    # ... and nobody lives within 300 m of the park, so all of them are newly covered
    assert r.loc["A", "new_residents_green"] == 2620.0
    # 2,620 / 2.62 × 0.5 = 500 cars, less the 100-space car park 100 m north -> 400
    assert r.loc["A", "unmet_vehicles_nearby"] == pytest.approx(400.0)
    assert r.loc["A", "car_frontage_m"] == pytest.approx(60.0)
    # street 5 m south: 90° aisles run north from it, 5 rows of 11 stalls (see
    # test_criteria_parking.test_estimated_stalls_need_car_road_access)
    assert r.loc["A", "est_parking_spaces"] == 55
    # its 55 stalls serve 55 of the 400 unmet vehicles
    assert r.loc["A", "parking_demand_served"] == 55.0
    assert r.loc["A", "parking_demand_share_met"] == pytest.approx(55 / 400, abs=1e-4)
    assert r["distance_basis"].unique().tolist() == ["straight_line"]


def test_scene_recommendations_and_reasons(scene):
    r = score(scene, distances=StraightLineDistance()).set_index("plot_id")
    # A holds a car park (55 stalls, frontage) and sits in an area short of parking
    assert r.loc["A", "recommended_use"] == "parking"
    assert r.loc["A", "reasons"].startswith("parking (")
    # B is a 6 m strip: no stalls, but a 600 m² pocket park far from green
    assert r.loc["B", "recommended_use"] == "pocket_park"
    assert r.loc["B", "parking_score"] == 0.0 and not r.loc["B", "parking_feasible"]
    assert "900 m to the nearest green space" in r.loc["B", "reasons"]
    # C is 100 m²: too small for a park, one stall
    assert r.loc["C", "recommended_use"] == "none"
    assert "too small for a pocket park (100 m² < 400 m²)" in r.loc["C", "reasons"]
    assert "面积100平方米" in r.loc["C", "reasons_zh"]
    assert r["rank"].sort_values().tolist() == [1, 2, 3]
    assert r.loc["C", "rank"] == 3


def test_output_columns(scene):
    r = score(scene)
    assert list(r.columns[: len(LEAD_COLUMNS)]) == list(LEAD_COLUMNS)
    for col in (
        "park_green_gap_score",
        "park_new_coverage_score",
        "park_area_fit_score",
        "park_shape_score",
        "park_street_access_score",
        "park_vulnerable_share_score",
        "parking_demand_score",
        "parking_parking_gap_score",
        "parking_road_access_score",
        "parking_capacity_score",
        "parking_poi_proximity_score",
    ):
        assert col in r.columns
    assert r.crs.to_epsg() == 4548


def test_use_score_is_weighted_mean_of_measured_criteria(scene):
    r = score(scene).set_index("plot_id")
    w = PlannerConfig().parking_weights
    measured = ["demand", "parking_gap", "road_access", "capacity"]  # no pois layer
    total = sum(w[k] for k in measured)
    expected = sum(w[k] * r.loc["A", f"parking_{k}_score"] for k in measured) / total
    assert r.loc["A", "parking_score"] == pytest.approx(expected, abs=1e-4)
    assert np.isnan(r.loc["A", "parking_poi_proximity_score"])


def test_missing_layers_are_left_out_and_reported_never_zero():
    plots = gdf([box(X0, Y0, X0 + 40, Y0 + 40)])
    r = score(Layers(plots=plots))
    missing = r.attrs["missing_criteria"]
    assert missing["pocket_park.green_gap"] == "no green layer"
    assert missing["pocket_park.new_coverage"] == "no residential / green layer"
    assert missing["parking.road_access"] == "no roads layer"
    # said in 中文 too: in the app's sentence and on the command line with PLANNER_LANG=zh
    from planner.app.tables import missing_criteria_text
    from planner.cli.language import note_line
    from planner.messages import Msg

    assert localized(missing["pocket_park.new_coverage"], "zh") == "缺少 residential / green 图层"
    zh = missing_criteria_text(r, "zh")
    assert zh.startswith("未参与计算（缺少图层）：") and "no " not in zh and "缺少 green 图层" in zh
    line = Msg(
        "cli.note_criterion_left_out", key="parking.road_access", why=missing["parking.road_access"]
    )
    assert str(line) == "criterion parking.road_access left out of the weighting (no roads layer)"
    assert localized(line, "zh") == "指标 parking.road_access 未参与加权（缺少 roads 图层）"
    assert note_line(line).startswith("note: criterion parking.road_access")
    assert np.isnan(r["park_green_gap_score"].iloc[0])
    # only area_fit (1.0) and shape (compactness 0.785 -> 1, width 40 -> 1) are measured
    assert r["park_score"].iloc[0] == pytest.approx(1.0)


def test_constraint_excludes_plot_with_reason(scene):
    constrained = dataclasses.replace(
        scene,
        constraints=gdf([box(X0 + 590, Y0 - 10, X0 + 700, Y0 + 200)], reason=["heritage 文物保护"]),
    )
    r = score(constrained).set_index("plot_id")
    assert r.loc["B", "excluded"]
    assert r.loc["B", "recommended_use"] == "none"
    assert r.loc["B", "park_score"] == 0.0
    assert r.loc["B", "reasons"] == "excluded: inside constraint (heritage 文物保护)"
    assert r.loc["B", "rank"] == 3
    # a constraint that only touches a plot's edge does not exclude it
    touching = dataclasses.replace(
        scene, constraints=gdf([box(X0 - 10, Y0, X0, Y0 + 30)], reason=["x"])
    )
    assert not score(touching).set_index("plot_id").loc["A", "excluded"]


def test_weights_change_reuses_measures(scene):
    table = compute_criteria(scene, distances=StraightLineDistance())
    park_only = PlannerConfig(
        park_weights={
            "green_gap": 1.0,
            "new_coverage": 0.0,
            "area_fit": 0.0,
            "shape": 0.0,
            "street_access": 0.0,
            "vulnerable_share": 0.0,
        }
    )
    r = combine(table, park_only).set_index("plot_id")
    # green gap alone: A at 300 m -> 0.5, B at 900 m -> 1.0
    assert r.loc["A", "park_score"] == pytest.approx(0.5)
    assert r.loc["B", "park_score"] == pytest.approx(1.0)
    r2 = combine(table, PlannerConfig()).set_index("plot_id")
    assert r2.loc["A", "nearest_green_m"] == r.loc["A", "nearest_green_m"]


def test_threshold_controls_recommendation(scene):
    cfg = PlannerConfig()
    cfg.thresholds.recommend_min_score = 0.99
    r = score(scene, cfg)
    assert (r["recommended_use"] == "none").all()
    assert r["reasons"].str.contains("below the 0.99 threshold").any()


# --- the wing's parts: measure -> decide -> reasons; explain --------------------------------


def test_reasons_are_written_from_the_frozen_decision(scene):
    from planner.scoring.decide import decide
    from planner.scoring.reasons import reason_texts

    table = compute_criteria(scene, distances=StraightLineDistance())
    d = decide(table, PlannerConfig())
    with pytest.raises(dataclasses.FrozenInstanceError):
        d.rank = None
    out = combine(table)
    assert (
        out["recommended_use"].tolist()
        == d.recommended.tolist()
        == ["parking", "pocket_park", "none"]
    )
    assert out["rank"].tolist() == d.rank.tolist()
    assert reason_texts(d, "en").tolist() == out["reasons"].tolist()
    assert reason_texts(d, "zh").tolist() == out["reasons_zh"].tolist()
    # C fails the pocket-park area rule and holds too few stalls; the record says which
    assert d.too_small.tolist() == [False, False, True]
    assert d.few_stalls.tolist() == [False, True, True]
    assert d.use_score("parking") is d.parking


def test_sensitivity_decides_without_writing_reasons(scene, monkeypatch):
    import planner.scoring.reasons as R
    from planner.decision.sensitivity import SensitivitySettings, simulate

    table = compute_criteria(scene, distances=StraightLineDistance())
    base = combine(table)

    def no_reasons(*_args, **_kwargs):
        raise AssertionError("the weight draws need no reasons")

    monkeypatch.setattr(R, "reason_texts", no_reasons)
    sim = simulate(table, settings=SensitivitySettings(draws=20))
    assert sim.base_rank.tolist() == base["rank"].tolist()


def test_one_breakdown_for_the_map_the_tables_and_the_report(scene):
    import planner.app.maps as M
    import planner.app.tables as T
    import planner.app.views as V
    from planner.scoring.explain import breakdown, criteria_weights, result_weights

    # the map and the app's tables (views re-exports the tables) use the one breakdown
    assert M.breakdown is breakdown and T.breakdown is breakdown
    r = score(scene)  # no pois layer: poi_proximity left out
    long = breakdown(r, PlannerConfig(), "zh")
    a = long[long["row"] == r.index[0]]
    assert a.loc[a["use"] == "parking", "contribution"].sum() == pytest.approx(
        r["parking_score"].iloc[0], abs=1e-4
    )
    assert "停车缺口" in a["label"].tolist()
    shown = V.plot_contributions(r, "A", PlannerConfig(), "zh")
    assert shown.drop(columns="series", errors="ignore")[["criterion", "weight"]].equals(
        a[["criterion", "weight"]].reset_index(drop=True)
    )
    table = criteria_weights(r, PlannerConfig(), "en")
    assert len(table) == 11
    w = result_weights(r, PlannerConfig(), "parking")
    assert sum(w.values()) == pytest.approx(1.0) and "poi_proximity" not in w
    poi = table[table["criterion"] == "poi_proximity"].iloc[0]
    assert poi["label"] == "Busy destinations" and np.isnan(poi["weight"])
    assert table.loc[table["criterion"] == "demand", "weight"].iloc[0] == pytest.approx(w["demand"])


def _same_measures(layers: Layers, distance: str) -> None:
    """The measures of ``layers`` equal those with the residents at their home points."""
    prepared = prepare_layers(layers)
    at_homes = residents_at_home_points(prepared)
    assert set(at_homes.residential.geom_type) == {"Point"}
    assert set(prepared.residential.geom_type) != {"Point"}  # the outlines stay untouched
    outlines = compute_criteria(prepared, distance=distance)
    points = compute_criteria(at_homes, distance=distance)
    pd.testing.assert_frame_equal(points.raw, outlines.raw, check_exact=True)
    pd.testing.assert_series_equal(points.distance_basis, outlines.distance_basis)


@pytest.mark.parametrize("distance", ["network", "straight_line"])
def test_residents_at_home_points_measure_the_same(scene, distance):
    _same_measures(scene, distance)
    raw = compute_criteria(residents_at_home_points(prepare_layers(scene)), distance=distance).raw
    # estate 1 (2,620 people) is centred 125 m east of A's east edge, on the street
    assert raw["residents_5min"].iloc[0] == 2620.0


def test_residents_at_home_points_measure_the_same_on_real_data():
    from planner.io.osm import build_layers
    from tests.realdata import HAIDIAN_OSM

    if not HAIDIAN_OSM.exists():
        pytest.fail(f"real-data check: {HAIDIAN_OSM} is missing", pytrace=False)
    frames = build_layers(HAIDIAN_OSM)
    assert len(frames["residential"]) > 40  # the README: 43 buildings
    _same_measures(Layers(**frames), "network")


def test_residents_at_home_points_without_residents(scene):
    layers = dataclasses.replace(prepare_layers(scene), residential=None)
    assert residents_at_home_points(layers) is layers
