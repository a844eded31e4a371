import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import LineString, Point, box

from planner.config import PlannerConfig, Thresholds
from planner.decision.sensitivity import (
    PARK,
    SensitivitySettings,
    add_sensitivity,
    perturbed_weights,
    simulate,
    weight_sensitivity,
)
from planner.errors import ConfigError
from planner.layers import Layers
from planner.scoring import CriteriaTable, combine, compute_criteria

CRS = "EPSG:4547"
#: Explicit weights and thresholds, so the hand-computed scores do not follow default changes.
HAND = PlannerConfig(
    park_weights={
        "green_gap": 0.25,
        "new_coverage": 0.30,
        "area_fit": 0.15,
        "shape": 0.10,
        "street_access": 0.10,
        "vulnerable_share": 0.10,
    },
    parking_weights={
        "demand": 0.35,
        "parking_gap": 0.20,
        "road_access": 0.15,
        "capacity": 0.15,
        "poi_proximity": 0.15,
    },
    thresholds=Thresholds(
        recommend_min_score=0.40,
        demand_saturation_vehicles=100.0,
        stalls_saturation=100.0,
        min_stalls=5,
    ),
)
RAW_COLUMNS = [
    "area_m2",
    "compactness",
    "min_width_m",
    "est_parking_spaces",
    "nearest_green_m",
    "residents_5min",
    "new_residents_green",
    "vulnerable_share",
    "street_distance_m",
    "car_frontage_m",
    "nearest_parking_m",
    "unmet_vehicles_nearby",
    "poi_pull_nearby",
]


def _hand_table():
    """Three plots whose scores are known by hand.

    Only green_gap + area_fit (park) and demand + capacity (parking) are measured, so with the
    weights of HAND park = 0.625 green_gap + 0.375 area_fit and
    parking = 0.7 demand + 0.3 capacity.
    A: green_gap 1, area 20,000 m² -> area_fit 10,000/20,000 = 0.5 -> park 0.8125;
       demand 100/100 = 1, 35 stalls -> 0.35 -> parking 0.805. Park wins by 0.0075: fragile.
    B: green_gap 1, area 1,000 m² -> park 1.0; demand 0, 5 stalls -> parking 0.015: stable.
    C: inside a constraint: excluded, never recommended.
    """
    plots = gpd.GeoDataFrame(
        {"plot_id": ["A", "B", "C"], "name": ["a", "b", "c"]},
        geometry=[box(0, 0, 10, 10), box(100, 0, 110, 10), box(200, 0, 210, 10)],
        crs=CRS,
    )
    raw = pd.DataFrame(np.nan, index=plots.index, columns=RAW_COLUMNS)
    raw["area_m2"] = [20_000.0, 1_000.0, 1_000.0]
    raw["nearest_green_m"] = [500.0, 600.0, 600.0]
    raw["unmet_vehicles_nearby"] = [100.0, 0.0, 0.0]
    raw["est_parking_spaces"] = [35.0, 5.0, 5.0]
    missing = {
        f"pocket_park.{c}": "test"
        for c in ("new_coverage", "shape", "street_access", "vulnerable_share")
    }
    missing |= {f"parking.{c}": "test" for c in ("parking_gap", "road_access", "poi_proximity")}
    exclusion = pd.Series([pd.NA, pd.NA, "水源保护区"], index=plots.index, dtype="string")
    basis = pd.Series("straight_line", index=plots.index)
    return CriteriaTable(
        plots=plots,
        raw=raw,
        missing=missing,
        exclusion_reason=exclusion,
        distance_basis=basis,
        layers=Layers(plots=plots, crs=CRS),
    )


def test_hand_table_scores_are_as_computed_by_hand():
    out = combine(_hand_table(), HAND)
    assert out["park_score"].tolist() == [0.8125, 1.0, 0.0]
    assert out["parking_score"].tolist() == [0.805, 0.015, 0.0]
    assert out["recommended_use"].tolist() == ["pocket_park", "pocket_park", "none"]
    assert out["rank"].tolist() == [2, 1, 3]


def test_zero_spread_reproduces_the_score_output():
    sens = weight_sensitivity(
        _hand_table(), HAND, SensitivitySettings(draws=20, spread=0.0, top_k=1)
    )
    assert sens["base_rank"].tolist() == [2, 1, 3]
    assert sens["recommendation_stability"].tolist() == [1.0, 1.0, 1.0]
    assert sens["top_k_share"].tolist() == [0.0, 1.0, 0.0]
    assert sens["rank_p5"].tolist() == [2, 1, 3]
    assert not sens["recommendation_flips"].any()


def test_fragile_recommendation_is_flagged_and_stable_ones_are_not():
    s = SensitivitySettings(draws=400, spread=0.2, seed=7, top_k=1)
    sens = weight_sensitivity(_hand_table(), HAND, s)
    sim = simulate(_hand_table(), HAND, s)
    # plot A by hand for every draw: park = (g + 0.5 a)/(g + a), parking = (d + 0.35 c)/(d + c)
    wp, wq = sim.park_weights, sim.parking_weights
    park = np.round((wp["green_gap"] + 0.5 * wp["area_fit"]) / wp.sum(axis=1), 4)
    parking = np.round((wq["demand"] + 0.35 * wq["capacity"]) / wq.sum(axis=1), 4)
    expected_park_share = float((park >= parking).mean())
    assert 0.05 < expected_park_share < 0.95  # the draws do move plot A both ways
    assert sens.loc[0, "recommendation_stability"] == pytest.approx(expected_park_share)
    assert sens["recommendation_flips"].tolist() == [True, False, False]
    assert sens.loc[1, "recommendation_stability"] == 1.0
    # B always ranks first, the excluded C always last
    assert sens.loc[1, "top_k_share"] == 1.0
    assert sens.loc[2, "rank_p5"] == sens.loc[2, "rank_p95"] == 3


def test_vectorised_draws_equal_combine_with_the_drawn_weights():
    table = _realistic_table()
    s = SensitivitySettings(draws=6, spread=0.3, seed=3)
    sim = simulate(table, settings=s)
    for i in range(s.draws):
        cfg = PlannerConfig(
            park_weights=sim.park_weights.iloc[i].to_dict(),
            parking_weights=sim.parking_weights.iloc[i].to_dict(),
        )
        out = combine(table, cfg)
        assert sim.ranks[:, i].tolist() == out["rank"].tolist()
        codes = np.where(
            out["recommended_use"] == "pocket_park",
            PARK,
            np.where(out["recommended_use"] == "parking", 2, 0),
        )
        assert sim.recommendations[:, i].tolist() == codes.tolist()


def test_same_seed_same_result_and_settings_recorded():
    table = _realistic_table()
    s = SensitivitySettings(draws=50, spread=0.25, seed=11, top_k=3, interval=(10, 90))
    a = weight_sensitivity(table, settings=s)
    b = weight_sensitivity(table, settings=s, chunk=7)  # chunking does not change draws
    pd.testing.assert_frame_equal(a, b)
    assert {"rank_p10", "rank_p90"} <= set(a.columns)
    assert a.attrs["sensitivity"]["seed"] == 11
    assert ((a["rank_p10"] <= a["base_rank"]) | (a["rank_p90"] >= a["base_rank"])).all()


def test_perturbed_weights_bounds_and_sums():
    rng = np.random.default_rng(0)
    base = np.array([0.5, 0.3, 0.2, 0.0])
    w = perturbed_weights(base, 1000, 0.2, rng)
    assert w.shape == (1000, 4)
    assert np.allclose(w.sum(axis=1), 1.0)
    assert (w[:, 3] == 0).all()
    # before renormalising each weight is within ±20 %, so the ratio of two weights is
    # within (0.8/1.2, 1.2/0.8) of the base ratio
    ratio = (w[:, 0] / w[:, 1]) / (0.5 / 0.3)
    assert ratio.min() >= 0.8 / 1.2 and ratio.max() <= 1.2 / 0.8


def test_add_sensitivity_columns_and_mismatch():
    table = _realistic_table()
    scored = combine(table)
    out = add_sensitivity(scored, table, settings=SensitivitySettings(draws=30))
    assert {
        "top_k_share",
        "rank_p5",
        "rank_p95",
        "recommendation_stability",
        "recommendation_flips",
    } <= set(out.columns)
    other = PlannerConfig(park_weights={"shape": 1.0}, parking_weights={"capacity": 1.0})
    with pytest.raises(ConfigError, match="other weights"):
        add_sensitivity(combine(table, other), table, settings=SensitivitySettings(draws=5))


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"draws": 0}, "draws"),
        ({"spread": 1.0}, "spread"),
        ({"spread": -0.1}, "spread"),
        ({"top_k": 0}, "top_k"),
        ({"interval": (90, 10)}, "interval"),
        ({"flip_share": 1.5}, "flip_share"),
    ],
)
def test_bad_settings(kwargs, match):
    with pytest.raises(ConfigError, match=match):
        SensitivitySettings(**kwargs)


def _realistic_table():
    """Eight plots with every layer, measured by the core (straight-line distances)."""
    plots = gpd.GeoDataFrame(
        {"plot_id": [f"P{i}" for i in range(8)]},
        geometry=[box(i * 150, 0, i * 150 + 20 + 12 * i, 30 + 8 * i) for i in range(8)],
        crs=CRS,
    )
    residential = gpd.GeoDataFrame(
        {"population": [800.0, 300.0, 1200.0, 50.0], "elderly_share": [0.3, 0.1, 0.2, 0.4]},
        geometry=[Point(100, 200), Point(500, -150), Point(900, 250), Point(1300, 100)],
        crs=CRS,
    )
    green = gpd.GeoDataFrame(geometry=[box(1000, 300, 1100, 400)], crs=CRS)
    roads = gpd.GeoDataFrame(
        {"highway": ["residential", "footway"]},
        geometry=[LineString([(-50, -5), (1400, -5)]), LineString([(0, 120), (1400, 120)])],
        crs=CRS,
    )
    parking = gpd.GeoDataFrame({"capacity": [40]}, geometry=[Point(700, -60)], crs=CRS)
    pois = gpd.GeoDataFrame(
        {"category": ["subway", "hospital"]}, geometry=[Point(300, -40), Point(1050, -40)], crs=CRS
    )
    layers = Layers(
        plots=plots, residential=residential, green=green, roads=roads, parking=parking, pois=pois
    )
    return compute_criteria(layers)
