"""The one geometry-type check and repair (planner.layers), on hand-built geometries."""

import numpy as np
import pytest
import shapely
from shapely.geometry import GeometryCollection, LineString, Point, Polygon, box

from planner.errors import GeometryTypeError
from planner.io.geometry import clean_geometries
from planner.io.report import LayerReport
from planner.layers import Layers, layer_dimension, prepare_layers, repair_to_dimension
from tests.conftest import gdf

BOWTIE = Polygon([(0, 0), (10, 10), (10, 0), (0, 10)])


def test_layer_dimension_is_the_roles_kind():
    assert layer_dimension(gdf([box(0, 0, 20, 30)]).geometry, "plots", "p.gpkg") == 2
    assert layer_dimension(gdf([LineString([(0, 0), (1, 0)])]).geometry, "roads", "r") == 1
    # residential takes polygons and points: the highest present
    assert layer_dimension(gdf([Point(0, 0), box(0, 0, 1, 1)]).geometry, "residential", "r") == 2
    # a collection passes by its parts
    coll = GeometryCollection([box(0, 0, 20, 30), LineString([(0, 0), (5, 5)])])
    assert layer_dimension(gdf([coll]).geometry, "plots", "p") == 2
    with pytest.raises(
        GeometryTypeError,
        match=r"p\.gpkg: layer 'plots'.*needs polygon "
        r"geometries, found point",
    ):
        layer_dimension(gdf([Point(0, 0)]).geometry, "plots", "p.gpkg")


def test_repair_to_dimension():
    out = repair_to_dimension(
        np.array(
            [
                BOWTIE,
                GeometryCollection([box(0, 0, 20, 30), LineString([(0, 0), (50, 50)])]),
                LineString([(0, 0), (1, 1)]),
            ],
            dtype=object,
        ),
        2,
    )
    assert out[0].geom_type == "MultiPolygon" and out[0].area == pytest.approx(50.0)
    assert out[1].equals(box(0, 0, 20, 30))  # the stray line is dropped
    assert out[2] is None  # nothing polygonal


def test_readers_and_prepare_layers_repair_alike():
    plots = gdf([BOWTIE, box(20, 0, 40, 30)], plot_id=["a", "b"])
    read = clean_geometries(plots, role="plots", source="p", report=LayerReport("p", "p"))
    prepared = prepare_layers(Layers(plots=plots), crs="EPSG:4548")
    assert shapely.equals(read.geometry.to_numpy(), prepared.plots.geometry.to_numpy()).all()


def test_prepare_layers_reduces_a_collection_as_the_readers_do():
    coll = GeometryCollection([box(0, 0, 20, 30), LineString([(0, 0), (50, 50)])])
    out = prepare_layers(Layers(plots=gdf([coll, box(100, 0, 120, 30)])), crs="EPSG:4548")
    assert out.plots.geometry.iloc[0].equals(box(0, 0, 20, 30))
    with pytest.raises(GeometryTypeError, match="needs polygon geometries, found line"):
        prepare_layers(
            Layers(plots=gdf([GeometryCollection([LineString([(0, 0), (1, 1)])])])), crs="EPSG:4548"
        )


def test_prepare_layers_trusts_a_readers_repair_only_while_the_layer_is_unchanged(
    tmp_path, monkeypatch
):
    import dataclasses

    import planner.layers as layers_module
    from planner.io import read_layers
    from tests.conftest import METRIC, X0, Y0

    def shifted(g):
        return shapely.affinity.translate(g, X0, Y0)

    plots = gdf([shifted(BOWTIE), shifted(box(20, 0, 40, 30))], plot_id=["a", "b"])
    path = tmp_path / "city.gpkg"
    plots.to_file(path, layer="plots")
    read = read_layers(path)
    assert read.valid_geometry["plots"] is read.plots.geometry.values
    tested = []
    repair = layers_module.repair_polygons
    monkeypatch.setattr(
        layers_module, "repair_polygons", lambda g: tested.append(len(g)) or repair(g)
    )
    # read and repaired by the reader, not reprojected: not tested again, same geometries
    prepared = prepare_layers(read, crs=METRIC)
    assert tested == []
    assert prepared.plots.geometry.iloc[0].area == pytest.approx(50.0)  # the bowtie's two halves
    assert shapely.equals(prepared.plots.geometry.to_numpy(), read.plots.geometry.to_numpy()).all()
    # the same layers with the plots replaced by a frame no reader saw: tested and repaired
    replaced = prepare_layers(dataclasses.replace(read, plots=plots), crs=METRIC)
    assert tested == [2]
    assert shapely.equals(
        replaced.plots.geometry.to_numpy(), prepared.plots.geometry.to_numpy()
    ).all()
    # reprojected (which can make a polygon invalid): tested again
    prepare_layers(read, crs="EPSG:32650")
    assert tested == [2, 2]
