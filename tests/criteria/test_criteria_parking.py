import pytest
from shapely.geometry import LineString, Point, box

from planner.access.distances import StraightLineDistance
from planner.config import Assumptions
from planner.criteria.parking import (
    car_frontage_m,
    estimated_stalls,
    poi_pull,
    unmet_vehicle_demand,
    vehicle_demand,
)
from tests.conftest import gdf

D = StraightLineDistance()
A = Assumptions(household_size=2.62, cars_per_household=0.5, night_demand_match_ratio=1.0)


def test_vehicle_demand_households_times_ownership_less_own_spaces():
    res = gdf(
        [box(0, 0, 10, 10), box(0, 0, 10, 10)],
        population=[2620.0, 2620.0],
        parking_spaces=[0.0, 600.0],
    )
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
    roads = gdf(
        [LineString([(-100, -5), (200, -5)]), LineString([(0, 35), (50, 35)])],
        car_access=[True, False],
    )
    # bottom edge 50 m plus the lowest 5 m of each side lie within 10 m of the street
    assert car_frontage_m(plots, roads, 10.0).tolist() == pytest.approx([60.0])


@pytest.mark.parametrize(
    "roads",
    [
        # a dual carriageway: two one-way roads 5 m and 9 m south of the plot
        [LineString([(-100, -5), (200, -5)]), LineString([(-100, -9), (200, -9)])],
        # one street split into two ways meeting in front of the plot
        [LineString([(-100, -5), (25, -5)]), LineString([(25, -5), (200, -5)])],
    ],
    ids=["dual carriageway", "street in two ways"],
)
def test_car_frontage_counts_boundary_near_two_roads_once(roads):
    from planner.parking.layout import car_road_frontage, layout_plots

    plots = gdf([box(0, 0, 50, 30)])
    roads = gdf(roads, car_access=[True, True])
    # bottom edge 50 m plus the lowest 5 m of each side, as with one road (was 112 and 77 m)
    assert car_frontage_m(plots, roads, 10.0).tolist() == pytest.approx([60.0])
    assert car_road_frontage(plots.geometry, roads, 10.0).length.tolist() == pytest.approx([60.0])
    assert layout_plots(plots, roads, geometry=False).summary[
        "frontage_m"
    ].tolist() == pytest.approx([60.0])


def test_estimated_stalls_from_layout_model():
    plots = gdf([box(0, 0, 50, 30), box(0, 0, 6, 100), box(0, 0, 13, 60), box(0, 0, 4, 5)])
    s = estimated_stalls(plots)  # no roads layer: access assumed all round
    # 50 × 30: 90° rows along the 50 m side: row (0.5 m clearance + 5.3) + 6 m aisle + row +
    #   row + aisle = 28.4 m of the 30 -> 3 rows; each row 2.5 m stalls between 0.6 m side
    #   clearances: (50 − 1.2) / 2.5 = 19.5 -> 19; 3 × 19 = 57
    # 6 × 100 strip: one lay-by row of 6 m parallel stalls between 0.5 m end clearances:
    #   (100 − 1) / 6 = 16.5 -> 16
    # 13 × 60: parallel rows across the 13 m: 2 stalls a row (0.5 + 2 × 6 + 0.5 <= 13);
    #   modules 2.4 + 3.8 + 2.4 = 8.6 m from a 0.6 m clearance: 0.6 + 6 × 8.6 + 0.6 = 52.8,
    #   the 7th module keeps its first row (60 − 52.2 >= 0.6 + 2.4 + 3.8) -> 13 rows × 2 = 26
    # 4 × 5: smaller than one stall with its clearances -> 0
    assert s.tolist() == [57, 16, 26, 0]
    assert s.name == "est_parking_spaces"


def test_estimated_stalls_need_car_road_access():
    plots = gdf([box(0, 0, 50, 30)])
    street = gdf([LineString([(-100, -5), (200, -5)])], car_access=[True])
    footway = gdf([LineString([(-100, -5), (200, -5)])], car_access=[False])
    # street 5 m south: aisles must run north from it. 90° modules of 16.6 m across the 50 m
    # from the east edge: rows at 0.5–5.8, 11.8–17.1 | 17.1–22.4, 28.4–33.7 | 33.7–39.0 m,
    # aisles at 5.8, 22.4 and 39.0 m; the row beyond the last aisle would end at 50.3 + 0.5.
    # 5 rows of (30 − 0.6 − 2.5 − 0.6) / 2.5 + 1 = 11.5 -> 11 stalls = 55
    assert estimated_stalls(plots, street).tolist() == [55]
    assert estimated_stalls(plots, footway).tolist() == [0]


def test_poi_pull_weights_categories():
    plots = gdf([box(0, 0, 10, 10)])
    pois = gdf(
        [Point(50, 0), Point(0, 100), Point(0, 2000)], category=["station", "school", "station"]
    )
    w = {"station": 3.0, "school": 1.0, "other": 0.5}
    assert poi_pull(plots, pois, 300.0, D, w).tolist() == [4.0]


def test_stall_layout_a_chunk_of_plots_at_a_time_equals_all_at_once(monkeypatch):
    # every demo plot, laid out 7 plots at a time (the last chunk shorter) and all at once
    import pandas as pd

    from planner.criteria import parking
    from planner.data.demo import load_demo
    from planner.layers import prepare_layers

    layers = prepare_layers(load_demo())
    plots = layers.plots.iloc[::-1]  # an index not in order: rows stay with their plots
    monkeypatch.setattr(parking, "LAYOUT_CHUNK_PLOTS", 10**9)
    whole = parking.stall_layout(plots, layers.roads)
    monkeypatch.setattr(parking, "LAYOUT_CHUNK_PLOTS", 7)
    chunked = parking.stall_layout(plots, layers.roads)
    pd.testing.assert_frame_equal(chunked, whole, check_exact=True)
    assert len(plots) % 7 and whole["est_parking_spaces"].sum() > 0
    assert chunked.index.equals(plots.index)
