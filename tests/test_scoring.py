import dataclasses

import numpy as np
import pytest
from shapely.geometry import box

from planner.access.distances import StraightLineDistance
from planner.config import PlannerConfig
from planner.layers import Layers
from planner.scoring import LEAD_COLUMNS, combine, compute_criteria, score
from tests.conftest import X0, Y0, gdf


def test_scene_raw_values_by_hand(scene):
    # straight-line distances (the default is the walking network when roads are given)
    r = score(scene, distances=StraightLineDistance()).set_index("plot_id")
    # A's west edge is 300 m from the park's east edge; B 900 m; C 1,300 m
    assert r["nearest_green_m"].tolist() == [300.0, 900.0, 1300.0]
    # estate 1 (2,620 people) has its centre 100+25 = 125 m east of A's east edge ...
    assert r.loc["A", "residents_300m"] == 2620.0
    # ... and nobody lives within 300 m of the park, so all of them are newly covered
    assert r.loc["A", "new_residents_300m"] == 2620.0
    # 2,620 / 2.62 × 0.5 = 500 cars, less the 100-space car park 100 m north -> 400
    assert r.loc["A", "unmet_vehicles_300m"] == pytest.approx(400.0)
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
    assert list(r.columns[:len(LEAD_COLUMNS)]) == list(LEAD_COLUMNS)
    for col in ("park_green_gap_score", "park_new_coverage_score", "park_area_fit_score",
                "park_shape_score", "park_street_access_score", "park_vulnerable_share_score",
                "parking_demand_score", "parking_parking_gap_score", "parking_road_access_score",
                "parking_capacity_score", "parking_poi_proximity_score"):
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
    assert np.isnan(r["park_green_gap_score"].iloc[0])
    # only area_fit (1.0) and shape (compactness 0.785 -> 1, width 40 -> 1) are measured
    assert r["park_score"].iloc[0] == pytest.approx(1.0)


def test_constraint_excludes_plot_with_reason(scene):
    constrained = dataclasses.replace(
        scene, constraints=gdf([box(X0 + 590, Y0 - 10, X0 + 700, Y0 + 200)],
                               reason=["heritage 文物保护"]))
    r = score(constrained).set_index("plot_id")
    assert r.loc["B", "excluded"]
    assert r.loc["B", "recommended_use"] == "none"
    assert r.loc["B", "park_score"] == 0.0
    assert r.loc["B", "reasons"] == "excluded: inside constraint (heritage 文物保护)"
    assert r.loc["B", "rank"] == 3
    # a constraint that only touches a plot's edge does not exclude it
    touching = dataclasses.replace(scene, constraints=gdf([box(X0 - 10, Y0, X0, Y0 + 30)],
                                                          reason=["x"]))
    assert not score(touching).set_index("plot_id").loc["A", "excluded"]


def test_weights_change_reuses_measures(scene):
    table = compute_criteria(scene, distances=StraightLineDistance())
    park_only = PlannerConfig(park_weights={"green_gap": 1.0, "new_coverage": 0.0,
                                            "area_fit": 0.0, "shape": 0.0,
                                            "street_access": 0.0, "vulnerable_share": 0.0})
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
