"""Role guessing from a layer's name, geometry and fields (planner.role_guess)."""

from pathlib import Path

import geopandas as gpd
import pyogrio
import pytest
from shapely.geometry import LineString, Point, box

from planner.cli import main
from planner.role_guess import CONFIDENT_SCORE, guess_role, guess_roles

HAIDIAN = Path(__file__).resolve().parents[3] / "shared" / "data" / "haidian_cau.osm"
CRS = "EPSG:4547"


def _polys(**cols):
    return gpd.GeoDataFrame(cols, geometry=[box(0, 0, 10, 10), box(20, 0, 30, 10)], crs=CRS)


def _points(**cols):
    return gpd.GeoDataFrame(cols, geometry=[Point(0, 0), Point(5, 5)], crs=CRS)


def _lines(**cols):
    return gpd.GeoDataFrame(cols, geometry=[LineString([(0, 0), (9, 0)])] * 2, crs=CRS)


@pytest.mark.parametrize(
    ("name", "frame", "role"),
    [
        ("闲置地块.shp", _polys(名称=["a", "b"]), "plots"),
        ("道路中心线.shp", _lines(名称=["x", "y"]), "roads"),
        ("公园绿地.geojson", _polys(名称=["p", "q"]), "green"),
        ("居住小区.shp", _points(人口=[100, 200]), "residential"),
        ("停车场.kml", _points(泊位数=[30, 40]), "parking"),
        ("city.gpkg:life_circles", _polys(circle_id=[1, 2]), "life_circles"),
        ("flood_zone.shp", _polys(reason=["flood", "flood"]), "constraints"),
        ("amenities.geojson", _points(amenity=["school", "hospital"]), "pois"),
    ],
)
def test_each_role_from_its_usual_names(name, frame, role):
    guess = guess_role(name, frame)
    assert guess.role == role
    assert guess.confident and guess.score >= CONFIDENT_SCORE
    assert guess.reasons


def test_geometry_overrules_a_misleading_name():
    # lines can only be roads, whatever the file is called
    guess = guess_role("plots.shp", _lines())
    assert guess.role == "roads"
    assert guess.reasons == (("geometry", "line"),)
    assert not guess.confident  # the name pointed elsewhere: shown as uncertain


def test_fields_alone_decide_when_names_say_nothing():
    guesses = guess_roles(
        {
            "layer1": _points(population=[10, 20]),
            "layer2": _points(capacity=[5, 6]),
            "layer3": _points(category=["school", "market"]),
        }
    )
    assert {n: g.role for n, g in guesses.items()} == {
        "layer1": "residential",
        "layer2": "parking",
        "layer3": "pois",
    }


def test_two_layers_never_share_a_role():
    guesses = guess_roles({"parks_north.shp": _polys(), "parks_south.shp": _polys()})
    roles = [g.role for g in guesses.values()]
    assert "green" in roles and len(set(roles)) == 2


def test_a_lone_polygon_layer_defaults_to_plots_and_says_why():
    guess = guess_role("data.shp", _polys())
    assert guess.role == "plots"
    assert guess.score == 1.0 and guess.reasons == (("geometry", "polygon"),)


def test_no_role_for_an_empty_layer_or_more_lines_than_roads():
    empty = gpd.GeoDataFrame(geometry=gpd.GeoSeries([], crs=CRS))
    assert guess_role("plots.shp", empty).role is None
    guesses = guess_roles({"roads_a.shp": _lines(), "roads_b.shp": _lines()})
    assert sorted(str(g.role) for g in guesses.values()) == ["None", "roads"]


def test_a_real_osm_import_is_recognised_by_name_and_by_content(tmp_path):
    out = tmp_path / "haidian.gpkg"
    assert main(["import-osm", str(HAIDIAN), "--out", str(out), "-q"]) == 0
    frames = {n: gpd.read_file(out, layer=n) for n, _ in pyogrio.list_layers(out)}
    # by the layer names import-osm writes: each its own role
    by_name = guess_roles(frames)
    assert {n: g.role for n, g in by_name.items()} == {n: n for n in frames}
    # with the names hidden, the fields and geometry still find the unambiguous ones
    hidden = guess_roles({f"layer{i}": f for i, f in enumerate(frames.values())})
    got = dict(zip(frames, (g.role for g in hidden.values()), strict=True))
    for role in ("roads", "residential", "pois", "parking", "constraints"):
        assert got[role] == role, got
