"""Life circles and their report card, on a one-street scene computed by hand.

One straight street along y=0 from x=0 to x=3000 (a single segment, so every distance is
connector + gap along the street + connector). Coordinates are shifted into EPSG:4547's zone
(``DX``, ``DY``) so that preparing the layers does not reproject them.

* homes (points 5 m south of the street): h1 x=100 (1,000 people), h2 x=700 (1,000),
  h3 x=2000 (2,000)
* park G1: 100 × 100 m at x=150..250, 10 m north of the street (10,000 m²)
* existing car park at x=1000 (100 spaces)
* life circles (imported): A = x 0..1500, B = x 1500..3000
* scored plots (given): a pocket park 100 × 50 m at x=1950..2050, 10 m north (5,000 m²), and
  a parking plot at x=600..700 south of the street with 40 spaces

Walks: h1 -> G1 = 5 + 50 + 10 = 65 m; h2 -> G1 = 5 + 450 + 10 = 465 m; h3 -> G1 = 5 + 1750 + 10;
h3 -> new pocket park = 5 + 0 + 10 = 15 m.
"""

from __future__ import annotations

import dataclasses

import geopandas as gpd
import numpy as np
import openpyxl
import pandas as pd
import pyogrio
import pytest
from shapely.geometry import LineString, Point, box

import planner
from planner.access.network import distance_model_for
from planner.cli import main
from planner.cli.lifecircles import write_report
from planner.config import PlannerConfig
from planner.decision.lifecircles import (
    community_centres,
    flag_text,
    life_circle_report,
    life_circles_for,
    tier_distances_m,
)
from planner.errors import ConfigError
from planner.layers import Layers, prepare_layers
from planner.messages import localized

CRS = "EPSG:4547"
DX, DY = 500_000.0, 4_400_000.0


def frame(geoms, **cols) -> gpd.GeoDataFrame:
    g = gpd.GeoSeries(geoms, crs=CRS).translate(DX, DY)
    return gpd.GeoDataFrame(cols, geometry=g.to_numpy(), crs=CRS)


def scene(with_circles: bool = True) -> Layers:
    frames = {
        "plots": frame([box(1950, 10, 2050, 60), box(600, -60, 700, -10)], plot_id=["PP", "PK"]),
        "roads": frame([LineString([(0, 0), (3000, 0)])], highway=["residential"]),
        "residential": frame(
            [Point(100, -5), Point(700, -5), Point(2000, -5)], population=[1000.0, 1000.0, 2000.0]
        ),
        "green": frame([box(150, 10, 250, 110)], name=["G1"]),
        "parking": frame([Point(1000, -5)], capacity=[100.0]),
    }
    if with_circles:
        frames["life_circles"] = frame(
            [box(0, -500, 1500, 500), box(1500, -500, 3000, 500)],
            circle_id=["A", "B"],
            name=["甲", "乙"],
        )
    return prepare_layers(Layers.from_mapping(frames), crs=CRS)


def scored(layers: Layers) -> gpd.GeoDataFrame:
    p = layers.plots
    return gpd.GeoDataFrame(
        {
            "plot_id": p["plot_id"].to_numpy(),
            "recommended_use": ["pocket_park", "parking"],
            "est_parking_spaces": [0, 40],
        },
        geometry=p.geometry.to_numpy(),
        crs=p.crs,
    )


def test_tier_distances():
    assert tier_distances_m() == {5: 300.0, 10: 500.0, 15: 1000.0}
    assert tier_distances_m(50.0) == {5: 250.0, 10: 500.0, 15: 750.0}
    with pytest.raises(ConfigError):
        tier_distances_m(0.0)


def test_report_card_before_and_after():
    layers = scene()
    rep = life_circle_report(layers, scored=scored(layers))
    card = rep.card.set_index("circle_id")
    assert rep.circles.source == "imported"
    assert card["circle_name"].tolist() == ["甲", "乙"]
    assert card["residents"].tolist() == [2000.0, 2000.0]
    # before: A has G1 (h1 at 65 m, h2 at 465 m); B has no green
    assert card["green_coverage_share"].tolist() == [0.5, 0.0]
    assert card["park_coverage_share"].tolist() == [1.0, 0.0]
    assert card["park_area_m2"].tolist() == [10000.0, 0.0]
    assert card["park_area_per_resident_m2"].tolist() == [5.0, 0.0]
    vehicles = 2000 / 2.62 * 0.5
    assert card["parking_demand"].tolist() == pytest.approx([round(vehicles, 1)] * 2)
    assert card["parking_supply"].tolist() == [100.0, 0.0]
    assert card["parking_ratio"].tolist() == pytest.approx([round(100 / vehicles, 3), 0.0])
    # after: the pocket park brings h3 within 15 m; the parking plot adds 40 spaces to A
    assert card["new_pocket_parks"].tolist() == [0, 1]
    assert card["new_parking_spaces"].tolist() == [40.0, 0.0]
    assert card["green_coverage_share_after"].tolist() == [0.5, 1.0]
    assert card["park_coverage_share_after"].tolist() == [1.0, 1.0]
    assert card["park_area_per_resident_m2_after"].tolist() == [5.0, 2.5]
    assert card["parking_supply_after"].tolist() == [140.0, 0.0]
    assert card.loc["A", "flags"] == (
        "green within 300 m < 80%; park area < 8 m²/resident; parking supply < demand"
    )
    assert card.loc["B", "flags"] == (
        "park within 500 m < 90%; green within 300 m < 80%; "
        "park area < 8 m²/resident; parking supply < demand"
    )
    assert card.loc["B", "flags_after"] == "park area < 8 m²/resident; parking supply < demand"
    assert rep.plots["life_circle"].tolist() == ["B", "A"]
    # the same targets missed, in 中文 (the app's card and report in the page's language)
    t = PlannerConfig().thresholds
    zh = flag_text(card, t, "zh")
    assert zh["B"] == "500 米见园 < 90%；300 米见绿 < 80%；人均公园面积 < 8 m²；停车供给 < 需求"
    assert flag_text(card, t, "zh", "_after")["B"] == "人均公园面积 < 8 m²；停车供给 < 需求"
    assert flag_text(card, t, "en").equals(card["flags"])


def test_report_targets_configurable():
    layers = scene()
    cfg = PlannerConfig.from_dict(
        {"thresholds": {"green_coverage_target_share": 0.5, "park_area_per_resident_m2": 2.0}}
    )
    card = life_circle_report(layers, cfg, scored=scored(layers)).card.set_index("circle_id")
    assert card.loc["A", "flags"] == "parking supply < demand"
    assert card.loc["B", "flags_after"] == "parking supply < demand"


def test_straight_line_report_differs():
    layers = scene()
    walk = life_circle_report(layers, scored=scored(layers)).card
    line = life_circle_report(layers, scored=scored(layers), basis="straight_line").card
    # h2 -> G1 straight: from (700,-5) to the corner (250,10) = sqrt(450² + 15²) = 450.25 m
    assert walk["park_coverage_share"].tolist() == line["park_coverage_share"].tolist()
    assert line["green_coverage_share"].tolist() == [0.5, 0.0]


def test_generated_from_residential_clusters():
    layers = scene(with_circles=False)
    model = distance_model_for(layers)
    lc = life_circles_for(layers, model)
    # one centre at the weighted mean x=1200 reaches only h2 and h3 (75 % < 99 %), so a
    # second cluster is added: centres at x=400 (h1, h2) and x=2000 (h3)
    assert lc.source == "residential_clusters"
    xy = np.c_[lc.centres.x - DX, lc.centres.y - DY]
    np.testing.assert_allclose(xy, [[400.0, -5.0], [2000.0, -5.0]])
    assert lc.circles["circle_id"].tolist() == ["LC01", "LC02"]
    five = lc.catchments.query("circle_id == 'LC02' and minutes == 5").geometry.iloc[0]
    # street reached from x=2000 within 300 - 5 m: x 1705..2295, drawn 50 m wide
    np.testing.assert_allclose(
        np.array(five.bounds) - [DX, DY, DX, DY], [1655.0, -55.0, 2345.0, 50.0]
    )
    homes = layers.residential.geometry
    assert lc.assign(homes, model).tolist() == ["LC01", "LC01", "LC02"]
    rep = life_circle_report(layers, scored=scored(layers), distances=model)
    assert rep.card["residents"].tolist() == [2000.0, 2000.0]
    assert rep.notes == []


def test_generated_from_community_centre():
    layers = scene(with_circles=False)
    pois = frame(
        [Point(1500, -5), Point(2900, -5)],
        name=["某某社区服务中心", "超市"],
        category=["other", "market"],
    )
    layers = dataclasses.replace(
        layers,
        pois=prepare_layers(
            Layers.from_mapping({"plots": layers.plots, "pois": pois}), crs=CRS
        ).pois,
    )
    assert len(community_centres(layers.pois)) == 1
    model = distance_model_for(layers)
    lc = life_circles_for(layers, model)
    assert lc.source == "community_centres"
    # from x=1500: h1 1400 + 5 + 5 > 1000 is outside; h2 810, h3 510 inside
    assert lc.assign(layers.residential.geometry, model).tolist() == [pd.NA, "LC01", "LC01"]
    rep = life_circle_report(layers, scored=scored(layers), distances=model)
    assert rep.notes == ["1,000 residents live outside every life circle"]
    assert localized(rep.notes[0], "zh") == "1,000 名居民住在所有生活圈之外"


def test_no_way_to_make_circles():
    layers = dataclasses.replace(scene(with_circles=False), residential=None)
    with pytest.raises(ConfigError, match="no life-circle layer"):
        life_circles_for(layers, distance_model_for(layers))


def test_demo_regression():
    layers = prepare_layers(planner.load_demo())
    rep = life_circle_report(layers)
    card = rep.card
    assert card["circle_id"].tolist() == ["LC1", "LC2", "LC3"]
    assert card["residents"].sum() == pytest.approx(layers.residential["population"].sum())
    # every share is a share, and converting recommended plots never lowers coverage
    for col in ("green_coverage_share", "park_coverage_share"):
        assert card[col].between(0, 1).all()
        assert (card[f"{col}_after"] >= card[col]).all()
    assert (card["park_area_m2_after"] >= card["park_area_m2"]).all()
    # the demo is built to leave the east beyond 500 m of a park
    east = card.set_index("circle_id").loc["LC3"]
    assert east["park_coverage_share"] < 0.9 and "park within 500 m" in east["flags"]
    assert rep.plots["life_circle"].notna().all()


# --- command line -------------------------------------------------------------------------------
def test_write_report_each_format(tmp_path):
    layers = scene(with_circles=False)
    rep = life_circle_report(layers, scored=scored(layers))
    for ext in (".csv", ".xlsx", ".gpkg", ".geojson"):
        assert write_report(rep, tmp_path / f"card{ext}").exists()
    table = pd.read_csv(tmp_path / "card.csv", encoding="utf-8-sig")
    assert table["circle_id"].tolist() == ["LC01", "LC02"]
    assert openpyxl.load_workbook(tmp_path / "card.xlsx").sheetnames == ["life_circles", "plots"]
    assert pyogrio.list_layers(tmp_path / "card.gpkg")[:, 0].tolist() == [
        "life_circles",
        "catchments",
        "plots",
    ]
    assert len(gpd.read_file(tmp_path / "card.gpkg", layer="catchments")) == 6
    assert gpd.read_file(tmp_path / "card.geojson").crs.to_epsg() == 4326


def test_cli_demo(tmp_path, capsys):
    out = tmp_path / "card.csv"
    assert main(["lifecircles", "--demo", "--out", str(out)]) == 0
    assert "wrote 3 life circles (imported, network distances)" in capsys.readouterr().err
    table = pd.read_csv(out, encoding="utf-8-sig")
    assert table["circle_id"].tolist() == ["LC1", "LC2", "LC3"]
    assert [p.name for p in tmp_path.iterdir()] == ["card.csv"]  # no temporary file left


def test_cli_bad_output_and_input(tmp_path, capsys):
    assert main(["lifecircles", "--demo", "--out", str(tmp_path / "card.txt")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and "unknown report format" in err
    assert (
        main(
            [
                "lifecircles",
                "--plots",
                str(tmp_path / "none.gpkg"),
                "--out",
                str(tmp_path / "card.csv"),
            ]
        )
        == 2
    )
    assert "file not found" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


def test_cli_distance_option(tmp_path, capsys):
    out = tmp_path / "card.csv"
    assert main(["lifecircles", "--demo", "--distance", "straight_line", "--out", str(out)]) == 0
    assert "straight_line distances" in capsys.readouterr().err
    assert (
        main(
            [
                "score",
                "--demo",
                "--distance",
                "straight_line",
                "-q",
                "--out",
                str(tmp_path / "s.csv"),
            ]
        )
        == 0
    )
    assert set(pd.read_csv(tmp_path / "s.csv")["distance_basis"]) == {"straight_line"}


def test_haidian_osm_import_on_foot():
    from pathlib import Path

    from planner.access.network import build_walk_graph, grade_separated
    from planner.io.osm import build_layers

    data = Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "haidian_cau.osm"
    layers = prepare_layers(Layers.from_mapping(build_layers(data)))
    # the importer keeps bridge / tunnel / layer: 22 ways are grade-separated, and joining
    # them only at shared vertices gives fewer junctions than joining every crossing
    assert grade_separated(layers.roads).sum() == 22
    auto = build_walk_graph(layers.roads)
    planar = build_walk_graph(layers.roads, noding="crossings")
    assert auto.n_edges < planar.n_edges
    result = planner.score(layers)
    assert (result["distance_basis"] == "network").all()
    assert (result["residents_5min"] <= result["residents_15min"]).all()
    rep = life_circle_report(layers, scored=result)
    assert rep.circles.source == "residential_clusters"
    total = layers.residential["population"].sum()
    # generated circles reach at least 99 % of residents (Shanghai 2016 guide)
    assert rep.card["residents"].sum() >= 0.99 * total
    share = rep.card["park_coverage_share"]
    # a share where the circle has residents, empty (NaN) where it has none
    assert share[rep.card["residents"] > 0].between(0, 1).all()
    assert share[rep.card["residents"] == 0].isna().all()


def test_map_layers_escape_names():
    import folium

    from planner.app.lifecircle_map import life_circle_feature_groups

    layers = scene()
    evil = "<img src=x onerror=alert(1)>"
    circles = layers.life_circles.assign(circle_name=[evil, "乙"])
    layers = dataclasses.replace(layers, life_circles=circles)
    rep = life_circle_report(layers, scored=scored(layers))
    m = folium.Map(location=[39.7, 114.0], zoom_start=12)
    groups = life_circle_feature_groups(rep)
    assert [g.layer_name for g in groups] == ["生活圈"]
    assert [g.layer_name for g in life_circle_feature_groups(rep, "en")] == ["Life circles"]
    for g in groups:
        g.add_to(m)
    page = m.get_root().render()
    assert evil not in page
    # escaped once by us (&lt;), then JSON-encoded by folium (& as \u0026)
    assert "\\u0026lt;img src=x onerror=alert(1)\\u0026gt;" in page
    gen = scene(with_circles=False)
    names = [
        g.layer_name
        for g in life_circle_feature_groups(life_circle_report(gen, scored=scored(gen)))
    ]
    assert names == ["生活圈", "步行范围"]


def test_cli_network_without_roads_is_a_clear_error(tmp_path, capsys):
    plots = tmp_path / "plots.geojson"
    scene().plots.to_file(plots, driver="GeoJSON", engine="pyogrio")
    out = tmp_path / "s.csv"
    assert (
        main(["score", "--plots", str(plots), "--distance", "network", "-q", "--out", str(out)])
        == 2
    )
    err = capsys.readouterr().err
    assert err.startswith("error: network distances need a roads layer")
    assert "Traceback" not in err and not out.exists()
