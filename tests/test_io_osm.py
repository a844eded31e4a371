"""Layers from the real Haidian OpenStreetMap extract, and the tag rules on a tiny hand-made one."""

from __future__ import annotations

import pyogrio
import pytest

from planner.errors import UnreadableFileError
from planner.io.osm import build_layers, build_role, import_osm
from planner.io.read import load_layer, read_layers
from planner.layers import prepare_layers
from tests.conftest import SHARED_DATA

HAIDIAN = SHARED_DATA / "haidian_cau.osm"

TINY = """<?xml version='1.0' encoding='UTF-8'?>
<osm version="0.6">
  <node id="1" lat="40.000" lon="116.350"/>
  <node id="2" lat="40.000" lon="116.351"/>
  <node id="3" lat="40.001" lon="116.351"/>
  <node id="4" lat="40.001" lon="116.350"/>
  <node id="5" lat="40.002" lon="116.350"/>
  <node id="6" lat="40.002" lon="116.351"/>
  <node id="7" lat="40.003" lon="116.351"/>
  <node id="8" lat="40.003" lon="116.350"/>
  <node id="9" lat="40.004" lon="116.352">
    <tag k="amenity" v="parking"/><tag k="capacity" v="40"/><tag k="name" v="路边停车"/>
  </node>
  <node id="10" lat="40.004" lon="116.353">
    <tag k="railway" v="subway_entrance"/><tag k="name" v="六道口 A口"/>
  </node>
  <node id="11" lat="40.004" lon="116.354"><tag k="amenity" v="restaurant"/></node>
  <way id="100"><nd ref="1"/><nd ref="2"/><nd ref="3"/><nd ref="4"/><nd ref="1"/>
    <tag k="landuse" v="brownfield"/><tag k="name" v="闲置地块"/></way>
  <way id="101"><nd ref="5"/><nd ref="6"/><nd ref="7"/><nd ref="8"/><nd ref="5"/>
    <tag k="building" v="apartments"/><tag k="building:levels" v="10"/></way>
  <way id="102"><nd ref="1"/><nd ref="5"/>
    <tag k="highway" v="residential"/><tag k="name" v="清华东路"/></way>
  <way id="103"><nd ref="2"/><nd ref="6"/><tag k="highway" v="proposed"/></way>
</osm>
"""


@pytest.fixture(scope="module")
def haidian():
    return build_layers(HAIDIAN)


def test_haidian_roles_have_plausible_counts(haidian):
    counts = {role: len(frame) for role, frame in haidian.items()}
    # the README: 9 parks, 17 parking areas (+ points), 43 residential buildings, ~300 roads,
    # land use greenfield/brownfield/construction/grass
    assert counts == {"plots": 10, "green": 10, "parking": 19, "residential": 109,
                      "roads": 301, "pois": 30, "constraints": 1}
    assert (haidian["green"]["kind"] == "park").sum() == 9
    assert sorted(haidian["plots"]["landuse"].unique()) == ["brownfield", "construction",
                                                            "grass", "greenfield"]
    assert (haidian["residential"]["building"] == "residential").sum() == 43
    assert haidian["residential"]["population"].gt(0).all()
    assert set(haidian["pois"]["category"]) == {"school", "station", "market", "hospital",
                                                "commercial"}
    assert all(f.crs.to_epsg() == 4326 for f in haidian.values())
    assert haidian["green"]["name"].dropna().tolist() == ["畅乐园"]


def test_haidian_layers_pass_the_core_checks(haidian):
    layers = read_layers(HAIDIAN)
    prepared = prepare_layers(layers)
    assert len(prepared.plots) == 10
    assert prepared.roads["car_access"].sum() < len(prepared.roads)  # footways excluded


def test_tag_rules_on_a_tiny_extract(tmp_path):
    osm = tmp_path / "tiny.osm"
    osm.write_text(TINY, encoding="utf-8")
    layers = build_layers(osm)
    assert sorted(layers) == ["parking", "plots", "pois", "residential", "roads"]
    assert layers["plots"]["name"].tolist() == ["闲置地块"]
    assert layers["plots"]["osm_id"].tolist() == ["way/100"]
    assert layers["parking"]["capacity"].tolist() == [40.0]
    assert layers["roads"]["road_class"].tolist() == ["residential"]  # proposed left out
    assert layers["pois"][["name", "category"]].values.tolist() == [["六道口 A口", "station"]]
    res = layers["residential"]
    assert res["levels"].tolist() == [10.0]
    # footprint 0.001° x 0.001° at 40° N, measured in CGCS2000 GK CM 117E (the metric CRS
    # chosen for Beijing); 10 floors; 1 person per 40 m² of floor
    area = res.to_crs("EPSG:4548").area.iloc[0]
    assert res["population"].iloc[0] == round(area * 10 / 40, 1)
    # by hand: 85.3 m (0.001° of longitude at 40° N) x 111.0 m = 9,468 m² -> 2,367 people
    assert res["population"].iloc[0] == pytest.approx(2367, rel=0.01)
    frame, report = load_layer(osm, role="parking")
    assert (len(frame), report.format) == (1, "OSM")
    with pytest.raises(UnreadableFileError, match="has no feature tagged for the 'green' layer"):
        build_role(osm, "green")
    with pytest.raises(UnreadableFileError, match="cannot supply the 'life_circles' layer"):
        build_role(osm, "life_circles")


def test_import_writes_role_layers(tmp_path):
    osm = tmp_path / "tiny.osm"
    osm.write_text(TINY, encoding="utf-8")
    out = tmp_path / "layers.gpkg"
    result = import_osm(osm, out)
    assert result.counts == {"plots": 1, "parking": 1, "residential": 1, "roads": 1, "pois": 1}
    assert result.repairs == {}
    assert [n for n, _ in pyogrio.list_layers(out)] == list(result.counts)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["layers.gpkg", "tiny.osm"]


def test_not_an_osm_file(tmp_path):
    bad = tmp_path / "bad.osm"
    bad.write_text("<html>not osm</html>", encoding="utf-8")
    with pytest.raises(UnreadableFileError, match=r"bad\.osm: cannot be read as an "
                                                  r"OpenStreetMap extract"):
        build_layers(bad)
