import pytest
from shapely.geometry import LineString, Point, box

from planner.config import Assumptions
from planner.criteria.parking import (
    car_frontage_m,
    estimated_stalls,
    poi_pull,
    unmet_vehicle_demand,
    vehicle_demand,
)
from planner.distances import StraightLineDistance
from tests.conftest import gdf

D = StraightLineDistance()
A = Assumptions(household_size=2.62, cars_per_household=0.5, night_demand_match_ratio=1.0)


def test_vehicle_demand_households_times_ownership_less_own_spaces():
    res = gdf([box(0, 0, 10, 10), box(0, 0, 10, 10)], population=[2620.0, 2620.0],
              parking_spaces=[0.0, 600.0])
    # 2,620 / 2.62 = 1,000 households × 0.5 = 500 cars; 600 own spaces cover them all
    assert vehicle_demand(res, A).tolist() == [500.0, 0.0]


def test_unmet_demand_subtracts_existing_capacity_within_radius():
    plots = gdf([box(0, 0, 10, 10)])
    res = gdf([box(100, 0, 110, 10)], population=[2620.0])
    parking = gdf([Point(0, 200), Point(0, 900)], capacity=[120.0, 1000.0])
    u = unmet_vehicle_demand(plots, res, parking, 300.0, D, A)
    assert u.tolist() == [380.0]  # 500 − 120; the far car park is beyond 300 m
    assert unmet_vehicle_demand(plots, res, None, 300.0, D, A).tolist() == [500.0]


def test_car_frontage_counts_only_car_roads():
    plots = gdf([box(0, 0, 50, 30)])
    roads = gdf([LineString([(-100, -5), (200, -5)]), LineString([(0, 35), (50, 35)])],
                car_access=[True, False])
    # bottom edge 50 m plus the lowest 5 m of each side lie within 10 m of the street
    assert car_frontage_m(plots, roads, 10.0).tolist() == pytest.approx([60.0])


def test_estimated_stalls_by_module():
    plots = gdf([box(0, 0, 50, 30), box(0, 0, 6, 100), box(0, 0, 13, 60), box(0, 0, 4, 5)])
    s = estimated_stalls(plots)
    # 50 × 30: width 29 m ≥ 16.6 (double-loaded, 20.75 m²/stall); inner 49 × 29 = 1,421 m²
    #   × 0.85 / 20.75 = 58.2 -> 58
    # 6 m strip: width 5 m < 6.3 m of a parallel row -> 0
    # 13 × 60: width 12 m ≥ 11.3 (single-loaded, 28.25 m²): 12 × 59 × 0.85 / 28.25 = 21.3 -> 21
    # 4 × 5: nothing fits -> 0
    assert s.tolist() == [58, 0, 21, 0]
    assert s.name == "est_parking_spaces"


def test_poi_pull_weights_categories():
    plots = gdf([box(0, 0, 10, 10)])
    pois = gdf([Point(50, 0), Point(0, 100), Point(0, 2000)],
               category=["station", "school", "station"])
    w = {"station": 3.0, "school": 1.0, "other": 0.5}
    assert poi_pull(plots, pois, 300.0, D, w).tolist() == [4.0]
