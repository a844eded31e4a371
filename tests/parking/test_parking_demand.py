"""Parking demand, supply and the gap, with hand-computed answers."""

import numpy as np
import pandas as pd
import pytest
from shapely.geometry import Point, box

from planner.access.distances import DistanceModel, Pairs, StraightLineDistance
from planner.config import PlannerConfig
from planner.errors import ConfigError
from planner.parking.demand import (
    DemandParams,
    daytime_demand,
    demand_around_plots,
    demand_served,
    life_circle_balance,
    night_demand,
    registered_vehicles,
)
from tests.conftest import gdf

P = DemandParams(household_size=2.62, cars_per_household=0.5, night_match_ratio=1.0)


def test_night_demand_households_times_ownership_times_matching():
    res = gdf(
        [box(0, 0, 10, 10)] * 3,
        population=[2620.0, 2620.0, 524.0],
        parking_spaces=[0.0, 100.0, 300.0],
    )
    # 2,620 / 2.62 = 1,000 households × 0.5 = 500 cars; 524 people -> 100 cars
    assert registered_vehicles(res, P).tolist() == pytest.approx([500.0, 500.0, 100.0])
    # own spaces are taken off, never below 0
    assert night_demand(res, P).tolist() == pytest.approx([500.0, 400.0, 0.0])
    half = DemandParams(household_size=2.62, cars_per_household=0.5, night_match_ratio=0.8)
    assert night_demand(res, half).tolist() == pytest.approx([400.0, 300.0, 0.0])


def test_daytime_demand_by_category_with_configurable_rates():
    pois = gdf([Point(0, 0)] * 4, category=["station", "school", "hospital", "temple"])
    assert daytime_demand(pois, P).tolist() == [30.0, 10.0, 60.0, 2.0]
    rates = DemandParams(vehicles_per_poi={"station": 5.0, "other": 0.0})
    assert daytime_demand(pois, rates).tolist() == [5.0, 0.0, 0.0, 0.0]


def _district():
    plots = gdf([box(0, 0, 10, 10), box(1000, 0, 1010, 10)])
    # estate centre 105 m from plot 0's east edge; the second 400 m away (beyond 300 m)
    res = gdf([box(100, 0, 130, 10), box(410, 0, 420, 10)], population=[2620.0, 2620.0])
    pois = gdf(
        [Point(50, 5), Point(60, 5), Point(1100, 5)], category=["hospital", "market", "station"]
    )
    parking = gdf([Point(0, 200), Point(1005, 100)], capacity=[120.0, 10.0])
    return plots, res, pois, parking


def test_demand_around_plots_night_and_day_gaps():
    plots, res, pois, parking = _district()
    t = demand_around_plots(plots, res, pois, parking, P)
    # plot 0: night 500 (one estate within 300 m), day 60 + 20 = 80, supply 120
    #   -> night gap 380, day gap 0, unmet 380
    # plot 1: no homes; day 30 (station 95 m away), supply 10 -> day gap 20
    assert t["night_demand"].tolist() == [500.0, 0.0]
    assert t["day_demand"].tolist() == [80.0, 30.0]
    assert t["supply"].tolist() == [120.0, 10.0]
    assert t["unmet_night"].tolist() == [380.0, 0.0]
    assert t["unmet_day"].tolist() == [0.0, 20.0]
    assert t["unmet_vehicles"].tolist() == [380.0, 20.0]
    assert t.index.equals(plots.index)
    # without POIs or a parking layer the missing parts count as 0
    t2 = demand_around_plots(plots, res, None, None, P)
    assert t2["unmet_vehicles"].tolist() == [500.0, 0.0]


class DoubledDistance(DistanceModel):
    """A stand-in walking model: every walk is twice the straight line (the two primitives)."""

    basis = "network"

    def __init__(self):
        self._line = StraightLineDistance()

    def nearest(self, origins, targets):
        return 2 * self._line.nearest(origins, targets)

    def within(self, origins, targets, radius):
        p = self._line.within(origins, targets, radius / 2)
        return Pairs(p.origin, p.target, 2 * p.distance)

    def origin_basis(self, origins):
        return np.full(len(origins), self.basis, dtype=object)


def test_demand_uses_the_distance_model():
    plots, res, pois, parking = _district()
    t = demand_around_plots(plots, res, pois, parking, P, distances=DoubledDistance())
    # walking 2 × 105 = 210 m still reaches the estate; the car park 190 m north of plot 0
    # is now 380 m away, so nothing offsets the 500 vehicles
    assert t["night_demand"].tolist() == [500.0, 0.0]
    assert t["supply"].tolist() == [0.0, 10.0]  # plot 1's car park: 2 × 90 = 180 m
    assert t["unmet_vehicles"].tolist() == [500.0, 20.0]


def test_demand_served_and_share_met():
    unmet = pd.Series([400.0, 0.0, 10.0, 50.0], index=list("abcd"))
    stalls = pd.Series([55, 5, 20, 0], index=list("abcd"))
    s = demand_served(unmet, stalls)
    assert s["parking_demand_served"].tolist() == [55.0, 0.0, 10.0, 0.0]
    share = s["parking_demand_share_met"].to_numpy()
    assert share[[0, 2, 3]].tolist() == pytest.approx([55 / 400, 1.0, 0.0])
    assert np.isnan(share[1])  # nothing unmet: no share to speak of


def test_life_circle_balance_against_the_guide():
    circles = gdf(
        [box(0, 0, 500, 500), box(1000, 0, 1500, 500), box(2000, 0, 2500, 500)],
        circle_id=["LC1", "LC2", "LC3"],
    )
    res = gdf(
        [box(100, 100, 150, 150), box(1100, 100, 1150, 150)],
        population=[2620.0, 2620.0],
        parking_spaces=[0.0, 200.0],
    )
    parking = gdf(
        [Point(300, 300), Point(1300, 300), Point(2300, 300)], capacity=[500.0, 400.0, 50.0]
    )
    pois = gdf([Point(400, 400)], category=["market"])
    b = life_circle_balance(
        circles,
        res,
        pois,
        parking,
        P,
        proposed=pd.Series([55.0]),
        proposed_at=gdf([Point(10, 10)]).geometry,
    )
    # 500 registered vehicles in LC1 and LC2; guide 1.1–1.3 × -> 550–650 spaces
    assert b["circle_id"].tolist() == ["LC1", "LC2", "LC3"]
    assert b["registered_vehicles"].tolist() == pytest.approx([500.0, 500.0, 0.0])
    assert b["guide_min"].tolist() == pytest.approx([550.0, 550.0, 0.0])
    assert b["guide_max"].tolist() == pytest.approx([650.0, 650.0, 0.0])
    # supply = the estates' own spaces + public car parks: LC2 200 + 400 = 600
    assert b["own_spaces"].tolist() == [0.0, 200.0, 0.0]
    assert b["public_supply"].tolist() == [500.0, 400.0, 50.0]
    assert b["supply"].tolist() == [500.0, 600.0, 50.0]
    assert b["supply_per_vehicle"].to_numpy()[:2] == pytest.approx([1.0, 1.2])
    assert b["status"].tolist() == ["below guide", "within guide", "no residents"]
    assert b["shortfall_to_guide"].tolist() == pytest.approx([50.0, 0.0, 0.0])
    # night demand counts own spaces off: LC2 has 300 left, all met by 400 public spaces
    assert b["night_demand"].tolist() == pytest.approx([500.0, 300.0, 0.0])
    assert b["night_gap"].tolist() == pytest.approx([0.0, 0.0, 0.0])
    assert b["day_demand"].tolist() == [20.0, 0.0, 0.0]
    assert b["supply_with_proposed"].tolist() == [555.0, 600.0, 50.0]


def test_params_from_config_and_validation():
    cfg = PlannerConfig.from_dict(
        {"assumptions": {"cars_per_household": 0.8}, "thresholds": {"parking_radius_m": 250.0}}
    )
    p = DemandParams.from_config(cfg)
    assert (p.cars_per_household, p.radius_m) == (0.8, 250.0)
    with pytest.raises(ConfigError, match="household_size must be > 0"):
        DemandParams(household_size=0)
    with pytest.raises(ConfigError, match=r"vehicles_per_poi\.station must be >= 0"):
        DemandParams(vehicles_per_poi={"station": -1.0})
    with pytest.raises(ConfigError, match="supply_ratio_min"):
        DemandParams(supply_ratio_min=1.5, supply_ratio_max=1.2)


def test_daytime_rates_from_the_configuration():
    cfg = PlannerConfig.from_dict(
        {"parking": {"daytime_vehicles_per_poi": {"school": 25.0}, "supply_ratio_max": 1.5}}
    )
    p = DemandParams.from_config(cfg)
    # the school rate is replaced; the other categories keep their defaults
    assert p.vehicles_per_poi["school"] == 25.0 and p.vehicles_per_poi["station"] == 30.0
    assert (p.supply_ratio_min, p.supply_ratio_max) == (1.1, 1.5)
    with pytest.raises(ConfigError, match=r"parking\.daytime_vehicles_per_poi\.school"):
        PlannerConfig.from_dict({"parking": {"daytime_vehicles_per_poi": {"school": -1}}})
