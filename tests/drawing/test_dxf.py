"""CAD drawings (.dxf): layers, coordinates to 1 mm, text, stall counts, read back by ezdxf and
GDAL; the commands that write them; bad output paths."""

from __future__ import annotations

import ezdxf
import geopandas as gpd
import numpy as np
import pyogrio
import pytest
import shapely
from shapely.geometry import LineString, MultiPolygon, Polygon, box

from planner.cli import main
from planner.drawing.content import drawing_for, parking_drawing, write_drawing
from planner.drawing.dxf import DXF_LAYERS, INSUNITS_METRES, dxf_text
from planner.drawing.model import Drawing, plot_frame
from planner.errors import OutputError
from planner.layers import Layers
from tests.pdf_helpers import dxf_layer_counts_ezdxf, dxf_layer_counts_gdal

CRS = "EPSG:4548"  # CGCS2000 / 3-degree Gauss-Kruger CM 117E
X0, Y0 = 500_123.4567, 4_330_987.6543  # not round: every digit to the millimetre counts


@pytest.fixture
def utf8_gdal():
    """GDAL reads DXF text by $DWGCODEPAGE whatever the version; R2013 text is UTF-8."""
    pyogrio.set_gdal_config_options({"DXF_ENCODING": "UTF-8"})
    yield
    pyogrio.set_gdal_config_options({"DXF_ENCODING": None})


def run(capsys, *args):
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def _hand_built() -> Drawing:
    """Three plots (one with a hole, one of two parts), 3 stalls, an aisle, a catchment, a
    life circle; coordinates hand-chosen in the GK zone CM 117E."""
    a = Polygon(
        [(X0, Y0), (X0 + 40, Y0), (X0 + 40, Y0 + 30), (X0, Y0 + 30)],
        [[(X0 + 10, Y0 + 10), (X0 + 20, Y0 + 10), (X0 + 20, Y0 + 20), (X0 + 10, Y0 + 20)]],
    )
    b = MultiPolygon(
        [box(X0 + 100, Y0, X0 + 110.5, Y0 + 20.25), box(X0 + 120, Y0, X0 + 125, Y0 + 5)]
    )
    c = box(X0 + 200, Y0, X0 + 260, Y0 + 30)
    result = gpd.GeoDataFrame(
        {
            "plot_id": ["甲-1", "50%%c", "a^b"],
            "recommended_use": ["pocket_park", "parking", "none"],
            "selected": [True, False, False],
        },
        geometry=[a, b, c],
        crs=CRS,
    )
    stalls = gpd.GeoDataFrame(
        {"plot_id": ["50%%c"] * 3, "accessible": [True, False, False]},
        geometry=[box(X0 + 200 + 2.5 * i, Y0, X0 + 202.5 + 2.5 * i, Y0 + 5.3) for i in range(3)],
        crs=CRS,
    )
    aisles = gpd.GeoDataFrame(
        {"plot_id": ["50%%c"]}, geometry=[box(X0 + 200, Y0 + 5.3, X0 + 207.5, Y0 + 11.3)], crs=CRS
    )
    catch = gpd.GeoDataFrame(
        {"plot_id": ["甲-1"], "distance_m": [300.0]},
        geometry=[shapely.Point(X0 + 20, Y0 + 15).buffer(300, 16)],
        crs=CRS,
    )
    lc = gpd.GeoDataFrame(
        {"circle_id": ["W"], "name": ["西部生活圈"]},
        geometry=[box(X0 - 500, Y0 - 500, X0 + 500, Y0 + 500)],
        crs=CRS,
    )
    return Drawing(plot_frame(result), stalls, aisles, catch, lc)


def _rings(geom) -> list[np.ndarray]:
    polys = [geom] if geom.geom_type == "Polygon" else list(geom.geoms)
    return [np.asarray(r.coords) for p in polys for r in (p.exterior, *p.interiors)]


@pytest.fixture
def written(tmp_path):
    drawing = _hand_built()
    path = write_drawing(drawing, tmp_path / "hand.dxf")
    return drawing, path


def test_layers_and_counts_agree_between_ezdxf_and_gdal(written):
    _, path = written
    ez, audit = dxf_layer_counts_ezdxf(path)
    assert not audit.has_errors and not audit.errors
    # rings: A exterior + hole; B two parts; C one; 3 stalls, one of them accessible
    assert dict(ez) == {
        "PLOT_POCKET_PARK": 2,
        "PLOT_PARKING": 2,
        "PLOT_NONE": 1,
        "SELECTED": 2,
        "TEXT_PLOT_ID": 3,
        "STALL": 2,
        "STALL_ACCESSIBLE": 1,
        "AISLE": 1,
        "CATCHMENT": 1,
        "LIFE_CIRCLE": 1,
        "TEXT_LIFE_CIRCLE": 1,
        "NOTE": 1,
    }
    assert dxf_layer_counts_gdal(path) == ez


def test_coordinates_round_trip_to_a_millimetre(written, utf8_gdal):
    drawing, path = written
    back = pyogrio.read_dataframe(path)
    for layer, frame in (
        ("PLOT_POCKET_PARK", drawing.plots.iloc[[0]]),
        ("PLOT_PARKING", drawing.plots.iloc[[1]]),
        ("STALL", drawing.stalls.iloc[1:]),
        ("AISLE", drawing.aisles),
        ("LIFE_CIRCLE", drawing.life_circles),
    ):
        want = sorted((r for g in frame.geometry for r in _rings(g)), key=lambda r: r.sum())
        got = sorted(
            (np.asarray(g.coords)[:, :2] for g in back.loc[back["Layer"] == layer, "geometry"]),
            key=lambda r: r.sum(),
        )
        assert len(got) == len(want)
        for g, w in zip(got, want, strict=True):
            assert g.shape == w.shape  # closed rings: first point repeated
            assert np.abs(g - w).max() < 0.001, layer


def test_units_crs_and_text(written, utf8_gdal):
    _, path = written
    doc = ezdxf.readfile(path)
    assert doc.dxfversion == "AC1027"  # R2013: text is UTF-8
    assert doc.header["$INSUNITS"] == INSUNITS_METRES == 6
    assert "EPSG:4548" in doc.header.custom_vars.get("CRS")
    assert {ly.dxf.name for ly in doc.layers} >= set(DXF_LAYERS)
    assert doc.layers.get("PLOT_POCKET_PARK").description.startswith("地块")
    msp = doc.modelspace()
    # AutoCAD's reading of the text (ezdxf plain_text follows its escape rules)
    ids = [t.plain_text() for t in msp.query("TEXT[layer=='TEXT_PLOT_ID']")]
    assert ids == ["甲-1", "50%%c", "a^b"]
    assert [t.plain_text() for t in msp.query("TEXT[layer=='TEXT_LIFE_CIRCLE']")] == ["西部生活圈"]
    back = pyogrio.read_dataframe(path)
    gdal_text = back.loc[back["Layer"] == "TEXT_PLOT_ID", "Text"].tolist()
    assert gdal_text[0] == "甲-1" and gdal_text[2] == "a^b"
    # labels centred on a point inside each plot
    pts = back.loc[back["Layer"] == "TEXT_PLOT_ID", "geometry"]
    a = _hand_built().plots.geometry.iloc[0]
    assert a.contains(shapely.Point(pts.iloc[0].x, pts.iloc[0].y))


def test_dxf_text_escapes_what_cad_would_read_as_codes():
    assert dxf_text("a^b") == "a^ b"
    assert dxf_text("甲\n乙\t丙") == "甲 乙 丙"
    assert dxf_text("50%%c") == "50%%%%%%c"
    assert dxf_text("x%y") == "x%y"


def test_stall_count_equals_the_layout(tmp_path):
    """A 40 × 20 m plot beside a road: the drawing holds exactly the layout's stalls."""
    from planner.config import PlannerConfig
    from planner.parking.layout import LayoutParams, layout_plots

    plot = box(X0, Y0, X0 + 40, Y0 + 20)
    road = gpd.GeoDataFrame(
        {"car_access": [True]},
        geometry=[LineString([(X0 - 50, Y0 - 6), (X0 + 90, Y0 - 6)])],
        crs=CRS,
    )
    result = gpd.GeoDataFrame(
        {"plot_id": ["P1"], "recommended_use": ["parking"]}, geometry=[plot], crs=CRS
    )
    layers = Layers(plots=result, roads=road, crs=road.crs)
    lay = layout_plots(result, road, LayoutParams.from_config(PlannerConfig()))
    n = int(lay.summary["stalls"].iloc[0])
    assert n > 5
    path = write_drawing(drawing_for(result, layers), tmp_path / "p.dxf")
    ez, audit = dxf_layer_counts_ezdxf(path)
    assert not audit.has_errors
    assert ez["STALL"] + ez["STALL_ACCESSIBLE"] == n
    assert ez["STALL_ACCESSIBLE"] == int(lay.summary["accessible_stalls"].iloc[0])
    assert dxf_layer_counts_gdal(path) == ez


def test_demo_score_dxf(tmp_path, capsys):
    """planner score --demo --out x.dxf: audit clean, GDAL agrees, stalls = the score's."""
    gpkg, dxf = tmp_path / "c.gpkg", tmp_path / "c.dxf"
    assert run(capsys, "score", "--demo", "--workers", "1", "--out", gpkg)[0] == 0
    code, _, err = run(capsys, "score", "--demo", "--workers", "1", "--out", dxf)
    assert code == 0, err
    scored = gpd.read_file(gpkg)
    ez, audit = dxf_layer_counts_ezdxf(dxf)
    assert not audit.has_errors
    assert dxf_layer_counts_gdal(dxf) == ez
    counts = scored["recommended_use"].value_counts()
    assert ez["PLOT_POCKET_PARK"] == counts["pocket_park"]  # the demo's plots have no holes
    assert ez["PLOT_PARKING"] == counts["parking"] and ez["PLOT_NONE"] == counts["none"]
    assert ez["TEXT_PLOT_ID"] == len(scored) and ez["LIFE_CIRCLE"] == 3
    parking = scored.loc[scored["recommended_use"] == "parking", "est_parking_spaces"]
    assert ez["STALL"] + ez["STALL_ACCESSIBLE"] == parking.sum() > 0
    # every plot outline sits where the GeoPackage (same CRS) has it, to 1 mm
    assert scored.crs.to_epsg() == 4548
    back = pyogrio.read_dataframe(dxf)
    rings = back.loc[back["Layer"].str.startswith("PLOT_"), "geometry"]
    got = np.concatenate([np.asarray(g.coords)[:, :2] for g in rings])
    want = shapely.get_coordinates(scored.geometry.values)
    got = got[np.lexsort(got.T)]
    want = want[np.lexsort(want.T)]
    assert got.shape == want.shape and np.abs(got - want).max() < 0.001


@pytest.mark.parametrize(
    "args, chosen",
    [
        (["select", "--use", "parking", "--k", "4"], 4),
        (["select", "--use", "pocket_park", "--k", "6"], 6),
    ],
)
def test_demo_select_dxf(tmp_path, capsys, args, chosen):
    out = tmp_path / "sel.dxf"
    code, _, err = run(capsys, *args, "--demo", "--workers", "1", "--out", out)
    assert code == 0, err
    ez, audit = dxf_layer_counts_ezdxf(out)
    assert not audit.has_errors and dxf_layer_counts_gdal(out) == ez
    assert ez["SELECTED"] == chosen and ez["CATCHMENT"] >= chosen
    if args[2] == "parking":
        assert ez["STALL"] + ez.get("STALL_ACCESSIBLE", 0) > 0
    else:
        assert "STALL" not in ez  # chosen pocket parks: no stall layout drawn


def test_demo_allocate_and_parking_dxf(tmp_path, capsys):
    alloc, park, gpkg = tmp_path / "a.dxf", tmp_path / "p.dxf", tmp_path / "p.gpkg"
    code, _, err = run(
        capsys,
        "allocate",
        "--demo",
        "--workers",
        "1",
        "--parking-spaces",
        "50",
        "--near",
        "hospital",
        "--near-distance",
        "500",
        "--out",
        alloc,
    )
    assert code == 0, err
    ez, audit = dxf_layer_counts_ezdxf(alloc)
    assert not audit.has_errors and dxf_layer_counts_gdal(alloc) == ez
    assert ez["SELECTED"] > 0 and ez["STALL"] > 0
    assert (
        run(capsys, "parking", "--demo", "--plot", "D004", "--plot", "D010", "--out", gpkg)[0] == 0
    )
    code, _, err = run(
        capsys, "parking", "--demo", "--plot", "D004", "--plot", "D010", "--out", park
    )
    assert code == 0, err
    ez, audit = dxf_layer_counts_ezdxf(park)
    assert not audit.has_errors and dxf_layer_counts_gdal(park) == ez
    stalls = gpd.read_file(gpkg, layer="stalls")
    assert ez["STALL"] + ez.get("STALL_ACCESSIBLE", 0) == len(stalls)
    assert ez.get("STALL_ACCESSIBLE", 0) == int(stalls["accessible"].sum())
    assert ez["PLOT"] == 2 and ez["TEXT_PLOT_ID"] == 2


def test_parking_drawing_from_frames():
    frames = {
        "plots": gpd.GeoDataFrame(
            {"plot_id": ["P"], "stalls": [0]}, geometry=[box(X0, Y0, X0 + 5, Y0 + 5)], crs=CRS
        )
    }
    d = parking_drawing(frames)
    assert d.plots["use"].tolist() == [""] and d.stalls is None


@pytest.mark.parametrize(
    "target, message",
    [
        ("{tmp}/missing/c.dxf", "does not exist"),
        ("{tmp}/file.txt/c.dxf", "is a file, not a folder"),
    ],
)
def test_bad_output_path_one_line_no_file(tmp_path, capsys, target, message):
    (tmp_path / "file.txt").write_text("x")
    before = sorted(p.name for p in tmp_path.iterdir())
    code, _, err = run(capsys, "score", "--demo", "--out", target.format(tmp=tmp_path))
    assert code == 2 and err.startswith("error: ") and err.count("\n") == 1 and message in err
    assert sorted(p.name for p in tmp_path.iterdir()) == before


def test_failed_check_leaves_nothing(tmp_path, monkeypatch):
    from planner.drawing import dxf

    def broken(path, expected):
        raise OutputError("read back 0 entities of 3 on DXF layer STALL")

    monkeypatch.setattr(dxf, "check_dxf", broken)
    old = tmp_path / "c.dxf"
    old.write_text("an older drawing")
    with pytest.raises(OutputError, match="could not write"):
        write_drawing(_hand_built(), old)
    assert old.read_text() == "an older drawing"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["c.dxf"]
