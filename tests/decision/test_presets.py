import pytest

from planner.config import PARK_CRITERIA, PARKING_CRITERIA, PlannerConfig, Thresholds
from planner.decision.presets import PRESETS, preset_config
from planner.errors import ConfigError


def test_the_four_presets_with_a_purpose_and_every_criterion():
    assert set(PRESETS) == {"balanced", "elderly_friendly", "station_area", "greening_first"}
    for p in PRESETS.values():
        assert p.purpose and p.purpose_zh and "\n" not in p.purpose
        assert set(p.park_weights) == set(PARK_CRITERIA)
        assert set(p.parking_weights) == set(PARKING_CRITERIA)
        assert sum(p.park_weights.values()) == pytest.approx(1.0)
        assert sum(p.parking_weights.values()) == pytest.approx(1.0)


def test_each_preset_leans_the_way_its_purpose_says():
    def top(weights):
        return max(weights, key=weights.get)

    assert top(PRESETS["elderly_friendly"].park_weights) == "vulnerable_share"
    assert top(PRESETS["station_area"].parking_weights) == "poi_proximity"
    assert top(PRESETS["greening_first"].park_weights) == "green_gap"
    assert PRESETS["balanced"].park_weights == PlannerConfig().park_weights


def test_preset_config_keeps_the_base_thresholds():
    base = PlannerConfig(thresholds=Thresholds(recommend_min_score=0.7))
    cfg = preset_config("station_area", base)
    assert cfg.parking_weights == PRESETS["station_area"].parking_weights
    assert cfg.thresholds.recommend_min_score == 0.7
    with pytest.raises(ConfigError, match="unknown weight preset 'quiet'"):
        preset_config("quiet")
