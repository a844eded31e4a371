import geopandas as gpd
import pytest
from shapely.geometry import LineString, Point, Polygon, box

from planner.crs import choose_metric_crs
from planner.errors import EmptyLayerError, GeometryTypeError, NoCrsError
from planner.layers import Layers, normalise_poi_category, prepare_layers
from tests.conftest import gdf


def test_metric_crs_is_gauss_kruger_in_china_and_utm_elsewhere():
    tianjin = gdf([Point(117.2, 39.1)], crs="EPSG:4326")
    assert choose_metric_crs(tianjin).to_epsg() == 4548  # CGCS2000 GK CM 117E
    beijing = gdf([Point(116.35, 40.0)], crs="EPSG:4326")
    assert choose_metric_crs(beijing).to_epsg() == 4548  # 116.35 rounds to CM 117E
    chengdu = gdf([Point(104.07, 30.67)], crs="EPSG:4326")
    assert choose_metric_crs(chengdu).name == "CGCS2000 / 3-degree Gauss-Kruger CM 105E"
    paris = gdf([Point(2.35, 48.85)], crs="EPSG:4326")
    assert choose_metric_crs(paris).to_epsg() == 32631


def test_prepare_reprojects_every_layer_to_one_metric_crs():
    plots = gdf([box(117.0, 39.0, 117.001, 39.001)], crs="EPSG:4326")
    green = gdf([box(117.002, 39.0, 117.003, 39.001)], crs="EPSG:4490")
    out = prepare_layers(Layers(plots=plots, green=green))
    assert out.crs.to_epsg() == 4548
    assert out.plots.crs == out.green.crs == out.crs
    # 0.001° of longitude at 39° N is about 86.4 m
    assert out.plots.geometry.iloc[0].bounds[2] - out.plots.geometry.iloc[0].bounds[
        0
    ] == pytest.approx(86.5, abs=0.5)


def test_no_crs_is_an_error_naming_the_file():
    plots = gpd.GeoDataFrame(geometry=[box(0, 0, 1, 1)])
    layers = Layers(plots=plots, sources={"plots": "plots.shp"})
    with pytest.raises(NoCrsError, match=r"plots\.shp: layer 'plots' has no CRS.*--crs"):
        prepare_layers(layers)


def test_points_as_plots_is_a_geometry_type_error():
    layers = Layers(plots=gdf([Point(0, 0)]), sources={"plots": "pts.geojson"})
    with pytest.raises(GeometryTypeError, match="pts.geojson: layer 'plots'.*needs polygon"):
        prepare_layers(layers, crs="EPSG:4548")


def test_roads_as_polygons_is_an_error_but_lines_pass():
    plots = gdf([box(0, 0, 10, 10)])
    with pytest.raises(GeometryTypeError, match="'roads'.*needs line"):
        prepare_layers(Layers(plots=plots, roads=gdf([box(0, 0, 1, 1)])), crs="EPSG:4548")
    ok = prepare_layers(
        Layers(plots=plots, roads=gdf([LineString([(0, 0), (1, 1)])])), crs="EPSG:4548"
    )
    assert ok.roads["car_access"].tolist() == [True]


def test_empty_layer_is_an_error():
    empty = gpd.GeoDataFrame(geometry=gpd.GeoSeries([], crs="EPSG:4548"))
    with pytest.raises(EmptyLayerError, match="no features"):
        prepare_layers(Layers(plots=empty, sources={"plots": "e.gpkg"}))


def test_self_intersecting_polygon_is_repaired_to_polygons():
    bowtie = Polygon([(0, 0), (10, 10), (10, 0), (0, 10)])
    out = prepare_layers(Layers(plots=gdf([bowtie, box(20, 0, 30, 10)])), crs="EPSG:4548")
    g = out.plots.geometry.iloc[0]
    assert g.is_valid and g.geom_type == "MultiPolygon"
    assert g.area == pytest.approx(50.0)  # two triangles of 25 m²


def test_population_estimated_from_floors_and_footprint():
    res = gdf([box(0, 0, 20, 10), box(0, 0, 20, 10)], floors=[5, None], population=[None, 80])
    out = prepare_layers(
        Layers(plots=gdf([box(0, 0, 1, 1)]), residential=res), crs="EPSG:4548"
    ).residential
    # 200 m² × 5 floors / 40 m² per person = 25 residents; the second keeps its 80
    assert out["population"].tolist() == [25.0, 80.0]
    assert out["population_estimated"].tolist() == [True, False]


def test_plot_ids_kept_or_made():
    plots = gdf([box(0, 0, 1, 1), box(2, 0, 3, 1)], 编号=["X1", "X2"])
    assert prepare_layers(Layers(plots=plots), crs="EPSG:4548").plots["plot_id"].tolist() == [
        "X1",
        "X2",
    ]
    plots = gdf([box(0, 0, 1, 1), box(2, 0, 3, 1)], id=[7, 7])  # not unique -> suffixed
    prepared = prepare_layers(Layers(plots=plots), crs="EPSG:4548")
    assert prepared.plots["plot_id"].tolist() == ["7", "7-2"]
    assert any("'7' -> '7-2'" in note for note in prepared.notes)


def test_poi_categories_in_english_and_chinese():
    import pandas as pd

    s = pd.Series(["地铁站", "Hospital", "小学", "菜市场", "商场", "bank", None])
    assert normalise_poi_category(s).tolist() == [
        "station",
        "hospital",
        "school",
        "market",
        "commercial",
        "other",
        "other",
    ]
