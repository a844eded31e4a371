"""Geometries GDAL reads but GEOS refuses: repaired or dropped on reading, and reported.

The WKB here is written by hand (struct), so each case is exactly the broken structure real
extracts carry: rings of two points, unclosed rings, relations that lost members.
"""

from __future__ import annotations

import json
import struct

import geopandas as gpd
import numpy as np
import pytest
import shapely

from planner.cli import main
from planner.errors import EmptyLayerError
from planner.io import load_layer
from planner.io.geometry import (
    STATUS_DROPPED,
    STATUS_OK,
    STATUS_REPAIRED,
    geometries_from_wkb,
)


def _ring(order: str, pts: list[tuple[float, ...]]) -> bytes:
    return struct.pack(order + "I", len(pts)) + b"".join(
        struct.pack(order + "d" * len(p), *p) for p in pts
    )


def polygon_wkb(rings: list[list[tuple[float, ...]]], *, big: bool = False, code: int = 3) -> bytes:
    order = ">" if big else "<"
    head = (b"\x00" if big else b"\x01") + struct.pack(order + "I", code)
    return head + struct.pack(order + "I", len(rings)) + b"".join(_ring(order, r) for r in rings)


def multipolygon_wkb(polys: list[bytes]) -> bytes:
    return b"\x01" + struct.pack("<I", 6) + struct.pack("<I", len(polys)) + b"".join(polys)


SQUARE = [(0.0, 0.0), (10.0, 0.0), (10.0, 10.0), (0.0, 10.0), (0.0, 0.0)]
TWO_POINTS = [(20.0, 0.0), (21.0, 0.0)]


def test_valid_wkb_is_taken_as_is_and_none_stays_none():
    good = shapely.to_wkb(shapely.box(0, 0, 2, 3))
    geoms, status = geometries_from_wkb(np.array([good, None], dtype=object))
    assert geoms[0].area == 6.0
    assert geoms[1] is None
    assert status.tolist() == [STATUS_OK, STATUS_OK]


def test_multipolygon_keeps_its_good_part_when_another_has_a_two_point_ring():
    # a relation cut at the extract's edge: one member square, one member of two nodes
    wkb = multipolygon_wkb([polygon_wkb([SQUARE]), polygon_wkb([TWO_POINTS])])
    with pytest.raises(shapely.errors.GEOSException):
        shapely.from_wkb(wkb)  # what used to stop every read
    geoms, status = geometries_from_wkb(np.array([wkb], dtype=object))
    assert status[0] == STATUS_REPAIRED
    assert geoms[0].area == 100.0
    assert shapely.is_valid(geoms[0])


def test_two_point_hole_is_dropped_and_the_shell_kept():
    wkb = polygon_wkb([SQUARE, [(2.0, 2.0), (3.0, 3.0)]])
    geoms, status = geometries_from_wkb(np.array([wkb], dtype=object))
    assert status[0] == STATUS_REPAIRED
    assert geoms[0].area == 100.0
    assert len(geoms[0].interiors) == 0


def test_unclosed_ring_is_closed():
    open_square = SQUARE[:-1]  # 4 corners, not closed
    geoms, status = geometries_from_wkb(np.array([polygon_wkb([open_square])], dtype=object))
    assert status[0] == STATUS_REPAIRED
    assert geoms[0].area == 100.0


def test_polygon_whose_shell_has_two_points_is_dropped():
    geoms, status = geometries_from_wkb(np.array([polygon_wkb([TWO_POINTS])], dtype=object))
    assert status[0] == STATUS_DROPPED
    assert geoms[0] is None


def test_big_endian_and_iso_z_and_extended_srid_are_read():
    z_square = [(x, y, 5.0) for x, y in SQUARE[:-1]]  # ISO Z (1003), unclosed
    srid = (
        b"\x01"
        + struct.pack("<I", 3 | 0x20000000)
        + struct.pack("<I", 4326)
        + struct.pack("<I", 2)
        + _ring("<", SQUARE)
        + _ring("<", TWO_POINTS)
    )
    wkbs = np.array(
        [polygon_wkb([SQUARE[:-1]], big=True), polygon_wkb([z_square], code=1003), srid],
        dtype=object,
    )
    geoms, status = geometries_from_wkb(wkbs)
    assert status.tolist() == [STATUS_REPAIRED] * 3
    assert [g.area for g in geoms] == [100.0, 100.0, 100.0]
    assert shapely.has_z(geoms[1])


def test_truncated_wkb_is_dropped_not_raised():
    wkb = polygon_wkb([SQUARE])[:-12]
    geoms, status = geometries_from_wkb(np.array([wkb], dtype=object))
    assert status[0] == STATUS_DROPPED and geoms[0] is None


# --- through the reader and the CLI ---------------------------------------------------------


def _feature(name, coords):
    return {
        "type": "Feature",
        "properties": {"name": name},
        "geometry": {"type": "Polygon", "coordinates": coords},
    }


@pytest.fixture
def unclosed_geojson(tmp_path):
    # the file of issue 13: the second polygon is an unclosed ring of two positions
    good = [[[117.0, 39.1], [117.001, 39.1], [117.001, 39.101], [117.0, 39.101], [117.0, 39.1]]]
    path = tmp_path / "bad.geojson"
    path.write_text(
        json.dumps(
            {
                "type": "FeatureCollection",
                "features": [
                    _feature("good", good),
                    _feature("broken", [[[117.002, 39.1], [117.003, 39.1]]]),
                ],
            }
        )
    )
    return path


def test_reader_keeps_the_good_polygon_and_reports_the_bad_one(unclosed_geojson):
    frame, report = load_layer(unclosed_geojson, role="plots")
    assert frame["name"].tolist() == ["good"]
    assert report.fixes["dropped_unreadable"] == 1
    assert report.touched["dropped_unreadable"] == ["broken"]
    assert any("broken" in n for n in report.notes())
    assert "dropped_unreadable: broken" in report.to_text()


def run(capsys, *args):
    code = main([str(a) for a in args])
    out = capsys.readouterr()
    return code, out.out + out.err


def test_score_scores_the_good_polygon_with_a_note(unclosed_geojson, tmp_path, capsys):
    out = tmp_path / "o.csv"
    code, output = run(capsys, "score", "-q", "--plots", unclosed_geojson, "--out", out)
    assert code == 0, output
    notes = [ln for ln in output.splitlines() if ln.startswith("note:") and "broken" in ln]
    assert len(notes) == 1 and "dropped" in notes[0]
    lines = out.read_text(encoding="utf-8-sig").splitlines()
    assert len(lines) == 2 and ",good," in lines[1]
    # the good plot is 0.001° x 0.001° at 39.1° N: about 86.4 m x 111.0 m
    area = float(lines[1].split(",")[2])
    assert 9_500 < area < 9_700


def test_a_layer_of_only_broken_geometries_is_one_error_line(tmp_path, capsys):
    path = tmp_path / "allbad.geojson"
    path.write_text(
        json.dumps(
            {
                "type": "FeatureCollection",
                "features": [_feature("a", [[[117.0, 39.1], [117.001, 39.1]]])],
            }
        )
    )
    with pytest.raises(EmptyLayerError, match="allbad.geojson"):
        load_layer(path, role="plots")
    code, output = run(capsys, "score", "--plots", path, "--out", tmp_path / "o.csv")
    assert code == 2
    errors = [ln for ln in output.splitlines() if ln.startswith("error:")]
    assert len(errors) == 1 and "allbad.geojson" in errors[0]
    assert "Traceback" not in output
    assert not (tmp_path / "o.csv").exists()


def test_z_and_m_coordinates_are_flattened_and_counted(tmp_path):
    path = tmp_path / "zm.geojson"
    ring = [
        [117.0, 39.1, 12.0],
        [117.001, 39.1, 12.0],
        [117.001, 39.101, 12.0],
        [117.0, 39.1, 12.0],
    ]
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [_feature("z", [ring])]}))
    frame, report = load_layer(path, role="plots")
    assert not shapely.has_z(frame.geometry.to_numpy()).any()
    assert report.fixes["flattened_z_m"] == 1


def test_inspect_file_on_a_folder_without_datasets_is_an_empty_layer_error(tmp_path):
    from planner.io import inspect_file

    (tmp_path / "notes.txt").write_text("nothing here")
    with pytest.raises(EmptyLayerError, match="holds no GIS dataset"):
        inspect_file(tmp_path)


def test_note_lines_escape_control_characters_from_the_data(tmp_path, capsys):
    good = [[[117.0, 39.1], [117.001, 39.1], [117.001, 39.101], [117.0, 39.101], [117.0, 39.1]]]
    path = tmp_path / "esc.geojson"
    path.write_text(
        json.dumps(
            {
                "type": "FeatureCollection",
                "features": [
                    _feature("ok", good),
                    _feature("\x1b[2Jbad", [[[117.0, 39.1], [117.001, 39.1]]]),
                ],
            }
        )
    )
    code, output = run(capsys, "score", "-q", "--plots", path, "--out", tmp_path / "o.csv")
    assert code == 0
    assert "\x1b" not in output
    assert "\\x1b[2Jbad" in output


def test_layers_from_an_osm_extract_report_their_repairs(tmp_path):
    from planner.io import read_layers

    # an idle plot whose relation was cut at the extract's edge: its second outer way lost
    # two nodes (91, 92 are outside the extract), leaving a ring of two positions
    osm = tmp_path / "cut.osm"
    osm.write_text("""<?xml version="1.0" encoding="UTF-8"?>
<osm version="0.6">
 <node id="1" lat="39.9000" lon="116.3000"/><node id="2" lat="39.9000" lon="116.3010"/>
 <node id="3" lat="39.9010" lon="116.3010"/><node id="4" lat="39.9010" lon="116.3000"/>
 <node id="5" lat="39.9020" lon="116.3000"/>
 <way id="10"><nd ref="1"/><nd ref="2"/><nd ref="3"/><nd ref="4"/><nd ref="1"/></way>
 <way id="11"><nd ref="5"/><nd ref="91"/><nd ref="92"/><nd ref="5"/></way>
 <relation id="20"><member type="way" ref="10" role="outer"/>
  <member type="way" ref="11" role="outer"/>
  <tag k="type" v="multipolygon"/><tag k="landuse" v="brownfield"/></relation>
</osm>""")
    reports: list = []
    layers = read_layers(osm, reports=reports)
    assert layers.plots["osm_id"].tolist() == ["relation/20"]
    # the good ring is kept whole: 0.001 deg x 0.001 deg at 39.9 N, about 85.3 m x 111.0 m
    area = layers.plots.to_crs("EPSG:4548").area.iloc[0]
    assert 9_300 < area < 9_600
    plots = next(r for r in reports if r.name == "plots")
    assert plots.fixes == {"repaired_on_read": 1}
    assert plots.touched["repaired_on_read"] == ["relation/20"]
    assert plots.notes()[0].startswith("1 geometry repaired on reading")
    assert plots.notes()[0].endswith(": relation/20")


def test_a_feature_repaired_to_nothing_counts_once_as_dropped(tmp_path):
    from shapely.geometry import Polygon, box

    # a "polygon" along a line (zero area): make_valid leaves a line, nothing of a polygon
    flat = Polygon([(500_000, 4_400_000), (500_010, 4_400_010), (500_020, 4_400_020)])
    g = gpd.GeoDataFrame(
        {"plot_id": ["ok", "flat"]},
        geometry=[box(500_000, 4_400_000, 500_030, 4_400_030), flat],
        crs="EPSG:4548",
    )
    g.to_file(tmp_path / "p.gpkg", engine="pyogrio")
    frame, report = load_layer(tmp_path / "p.gpkg", role="plots")
    assert frame["plot_id"].tolist() == ["ok"]
    assert report.fixes == {"dropped_unrepairable": 1}
    assert report.touched == {"dropped_unrepairable": ["flat"]}


@pytest.mark.parametrize(
    ("raised", "said"),
    [
        (MemoryError(), "error: out of memory: the inputs are too large"),
        (RuntimeError("could not allocate"), "error: RuntimeError: could not allocate"),
        (shapely.errors.GEOSException("TopologyException"), "error: GEOSException: Topology"),
    ],
)
def test_unforeseen_failures_end_in_one_error_line(monkeypatch, capsys, raised, said):
    import planner.io.read as reader

    def boom(*args, **kwargs):
        raise raised

    monkeypatch.setattr(reader, "inspect_file", boom)
    code, output = run(capsys, "inspect", __file__)
    assert code == 2
    assert output.strip().splitlines() == [output.strip()] and output.startswith(said)
