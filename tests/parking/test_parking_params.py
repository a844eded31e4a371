"""The stall dimensions are one record: the [parking] TOML keys and LayoutParams' fields."""

import dataclasses

import pytest

from planner.config import ParkingSettings, PlannerConfig, StallDimensions
from planner.errors import ConfigError
from planner.parking.layout import LayoutParams

DIMENSIONS = [f.name for f in dataclasses.fields(StallDimensions)]


def test_every_dimension_is_a_parking_key_and_reaches_the_layout():
    # a value for every dimension, each different from its default
    toml = {name: getattr(StallDimensions, name) + 0.25 for name in DIMENSIONS}
    cfg = PlannerConfig.from_dict(
        {"parking": {**toml, "accessible_every": 40.5}, "thresholds": {"frontage_buffer_m": 6.0}}
    )
    params = LayoutParams.from_config(cfg)
    assert {name: getattr(params, name) for name in DIMENSIONS} == toml
    assert (params.accessible_every, params.frontage_buffer_m) == (41, 6.0)  # rounded up
    assert cfg.to_dict()["parking"] == {
        **toml,
        "accessible_every": 40.5,
        "supply_ratio_min": 1.1,
        "supply_ratio_max": 1.3,
        "daytime_vehicles_per_poi": dict(ParkingSettings().daytime_vehicles_per_poi),
    }


def test_defaults_live_once():
    assert LayoutParams() == LayoutParams.from_config(PlannerConfig())
    default = StallDimensions()
    for name in DIMENSIONS:
        assert (
            getattr(LayoutParams(), name)
            == getattr(ParkingSettings(), name)
            == getattr(default, name)
        )


def test_layout_params_constructor_unchanged():
    # keywords and positions as before the fields moved to StallDimensions
    assert [f.name for f in dataclasses.fields(LayoutParams)] == DIMENSIONS + [
        "frontage_buffer_m",
        "accessible_every",
        "max_plot_area_m2",
        "patterns",
    ]
    assert LayoutParams(stall_width_m=2.4, patterns=("90",)).stall_width_m == 2.4
    assert LayoutParams(clearance_side_m=0).clearance_side_m == 0  # the layout allows 0
    with pytest.raises(ConfigError, match="clearance_side_m must be > 0"):
        PlannerConfig.from_dict({"parking": {"clearance_side_m": 0}})  # the TOML does not
    with pytest.raises(ConfigError, match="unknown key parking.frontage_buffer_m"):
        PlannerConfig.from_dict({"parking": {"frontage_buffer_m": 5.0}})


def test_parking_settings_change_by_replace():
    s = dataclasses.replace(ParkingSettings(), stall_width_m=2.4)
    assert s.stall_width_m == 2.4
    assert LayoutParams.from_config(PlannerConfig(parking=s)).stall_width_m == 2.4
