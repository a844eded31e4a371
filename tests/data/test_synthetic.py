"""Tests of the synthetic city generator (planner/data/synthetic.py)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import shapely

from planner.data.synthetic import (
    CONSTRAINT_REASONS,
    POI_CATEGORIES,
    SLOT_GAP_M,
    grid_size_for_edges,
    synthetic_city,
    write_city,
)
from planner.errors import ConfigError
from planner.io import read_layers
from planner.layers import prepare_layers


@pytest.fixture(scope="module")
def city():
    return synthetic_city(300, 3000, n_road_edges=1200, seed=7)


def test_grid_size_for_edges_hand_computed():
    # m × m intersections have 2·m·(m − 1) edges: 388 → 300,312 ≥ 300,000 > 298,764 ← 387
    assert grid_size_for_edges(300_000) == 388
    assert grid_size_for_edges(12) == 3  # 2·3·2 = 12 exactly
    assert grid_size_for_edges(13) == 4  # 2·4·3 = 24
    assert grid_size_for_edges(0) == 2


def test_counts(city):
    assert len(city.plots) == 300
    assert len(city.residential) == 3000
    m = grid_size_for_edges(1200)  # 25: 2·25·24 = 1200
    assert m == 25
    assert len(city.roads) == 1200
    blocks = (m - 1) ** 2  # 576
    assert len(city.green) == round(0.03 * blocks) == 17
    assert len(city.parking) == round(0.05 * blocks) == 29
    assert len(city.pois) == round(0.10 * blocks) == 58
    assert len(city.constraints) == 1
    assert set(city.sources) == {
        "plots",
        "green",
        "residential",
        "roads",
        "parking",
        "pois",
        "life_circles",
        "constraints",
    }


def test_explicit_counts_and_no_life_circles():
    c = synthetic_city(
        10,
        50,
        n_road_edges=60,
        n_parks=2,
        n_parking=5,
        n_pois=4,
        n_constraints=0,
        life_circles=False,
        seed=1,
    )
    assert (len(c.plots), len(c.residential), len(c.green)) == (10, 50, 2)
    assert (len(c.parking), len(c.pois), len(c.constraints)) == (5, 4, 0)
    assert c.life_circles is None
    # 5 car parks: 2 surface lots (polygons), 3 kerb-side points
    assert c.parking.geom_type.value_counts().to_dict() == {"Point": 3, "Polygon": 2}


def test_same_seed_same_city_other_seed_other_city(city):
    again = synthetic_city(300, 3000, n_road_edges=1200, seed=7)
    other = synthetic_city(300, 3000, n_road_edges=1200, seed=8)
    for role, frame in city.present():
        twin = getattr(again, role)
        assert shapely.equals_exact(frame.geometry.values, twin.geometry.values, 0.0).all()
        pd.testing.assert_frame_equal(frame.drop(columns="geometry"), twin.drop(columns="geometry"))
    assert not shapely.equals_exact(
        city.plots.geometry.values, other.plots.geometry.values, 0.0
    ).all()


def test_geometries_valid_and_of_the_role_type(city):
    kinds = {
        "plots": {"Polygon"},
        "green": {"Polygon"},
        "residential": {"Polygon"},
        "roads": {"LineString"},
        "parking": {"Polygon", "Point"},
        "pois": {"Point"},
        "life_circles": {"Polygon"},
        "constraints": {"Polygon"},
    }
    for role, frame in city.present():
        assert shapely.is_valid(frame.geometry.values).all(), role
        assert not frame.geometry.is_empty.any(), role
        assert set(frame.geom_type) == kinds[role], role


def test_plot_shapes_vary(city):
    # exterior ring coordinates incl. the closing one: triangle 4, rectangles 5, L 7, heptagon 8
    n = shapely.get_num_coordinates(shapely.get_exterior_ring(city.plots.geometry.values))
    assert {4, 5, 7, 8} <= set(n.tolist())
    assert set(city.plots["size_class"]) == {"small", "large"}
    assert (city.plots["size_class"] == "large").sum() == round(0.05 * 300)


def test_no_plot_overlaps_a_building_park_car_park_or_plot(city):
    plots = city.plots.geometry
    for role in ("residential", "green", "parking"):
        other = getattr(city, role).geometry
        i, _ = other.sindex.query(plots.values, predicate="intersects")
        assert len(i) == 0, role
    i, j = plots.sindex.query(plots.values, predicate="intersects")
    assert (i == j).all()
    # neighbouring slots keep at least two slot gaps between their contents
    d = plots.sindex.nearest(city.residential.geometry.values, return_distance=True)[1]
    assert d.min() >= 2 * SLOT_GAP_M - 1e-6


def test_nothing_built_on_a_road(city):
    roads = city.roads.geometry
    for role in ("plots", "residential", "green"):
        d = roads.sindex.nearest(getattr(city, role).geometry.values, return_distance=True)[1]
        assert d.min() >= 8.0 - 1e-6, role  # the default setback


def test_road_grid_is_noded(city):
    roads = city.roads.geometry.values
    i, j = city.roads.sindex.query(roads, predicate="crosses")
    assert len(i) == 0
    lengths = shapely.length(roads)
    assert lengths.min() >= 100.0 and lengths.max() <= 160.0  # block_m default
    assert set(city.roads["road_class"]) == {"primary", "residential", "footway"}


def test_attributes(city):
    res = city.residential
    assert (res["population"] >= 0).all() and res["population"].sum() > 0
    assert res["elderly_share"].between(0, 1).all() and res["child_share"].between(0, 1).all()
    assert res["floors"].isin([3, 6, 11, 18, 26, 33]).all()
    # population is footprint × floors / 40 m² per person, ± 20 %
    expected = res.geometry.area * res["floors"] / 40.0
    ratio = res["population"] / expected
    assert ratio.between(0.8 - 0.05, 1.2 + 0.05).all()
    assert set(city.pois["category"]) <= set(POI_CATEGORIES)
    assert set(city.constraints["reason"]) <= set(CONSTRAINT_REASONS)
    lots = city.parking[city.parking.geom_type == "Polygon"]
    np.testing.assert_array_equal(lots["capacity"], np.floor(lots.area / 30.0))
    assert city.plots["plot_id"].is_unique


def test_life_circles_tile_the_city(city):
    lc = city.life_circles
    assert lc["circle_id"].is_unique
    extent = shapely.box(*city.roads.total_bounds)
    assert shapely.union_all(lc.geometry.values).equals(extent)
    assert lc.area.sum() == pytest.approx(extent.area)


def test_crs_and_prepare_layers(city):
    # raw layers in EPSG:4548; Layers.crs stays unset so that scoring prepares them
    assert city.crs is None
    assert {f.crs.to_epsg() for _, f in city.present()} == {4548}
    prepared = prepare_layers(city)
    assert prepared.crs.to_epsg() == 4548  # choose_metric_crs picks the CM 117E zone
    assert not prepared.residential["population_estimated"].any()
    np.testing.assert_array_equal(
        prepared.residential["population"], city.residential["population"].astype(float)
    )
    assert prepared.parking["capacity"].sum() == city.parking["capacity"].sum()


def test_geographic_output():
    c = synthetic_city(5, 20, n_road_edges=40, crs="EPSG:4326", seed=3)
    assert c.crs is None and {f.crs.to_epsg() for _, f in c.present()} == {4326}
    lon0, lat0, lon1, lat1 = c.roads.total_bounds
    # origin (505000, 4320000) in CM 117E is about 117.058 E, 39.013 N
    assert lon0 == pytest.approx(117.0577, abs=1e-3) and lat0 == pytest.approx(39.0135, abs=1e-3)
    assert lon1 > lon0 and lat1 > lat0


def test_write_city_roundtrip(tmp_path):
    c = synthetic_city(8, 40, n_road_edges=60, seed=2)
    path = tmp_path / "city.gpkg"
    write_city(c, path)
    back = read_layers(path)
    for role, frame in c.present():
        assert len(getattr(back, role)) == len(frame), role
    assert list(tmp_path.iterdir()) == [path]


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"n_plots": -1}, "n_plots must be an integer >= 0"),
        ({"n_plots": 0}, "n_plots must be at least 1"),
        ({"n_buildings": 2.5}, "n_buildings must be an integer"),
        ({"n_plots": 10, "n_buildings": 5000, "n_road_edges": 40}, "raise n_road_edges"),
        ({"n_plots": 400, "n_road_edges": 40}, "cannot hold"),
        ({"block_m": (20.0, 40.0)}, "block_m"),
        ({"arterial_every": 0}, "arterial_every"),
    ],
)
def test_bad_parameters(kwargs, match):
    with pytest.raises(ConfigError, match=match):
        synthetic_city(**kwargs)
