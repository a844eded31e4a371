"""Walking network: hand-built streets with distances computed by hand.

The scene (metres, EPSG:4547, a CGCS2000 Gauss-Krüger zone)::

    y=2000   island street (0..300), a separate piece of network with park P2 beside it
    y=100    north street N (0..1000), park P1 (diamond) 10 m north of it at x=100
    y=50     motorway (not walkable) / the railway corridor between N and S
    y=0      south street S (0..1000), plot A (diamond) 10 m south of it at x=100
    x=900    connector footway from S to N: the only way across

Diamonds (squares turned 45°) have one vertex pointing at the street, so the access point is
exactly known: plot A's top vertex (100, -10) is 10 m from S at x=100.
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import pytest
from shapely.geometry import LineString, Point, Polygon

from planner.access import network as N
from planner.access.distances import DistanceModel, StraightLineDistance
from planner.access.network import NetworkDistance, build_walk_graph, distance_model_for, walkable
from planner.config import PlannerConfig
from planner.errors import ConfigError
from planner.layers import Layers, prepare_layers

CRS = "EPSG:4547"
DATA = Path(__file__).resolve().parents[2] / ".." / "shared" / "data"


def diamond(x: float, y: float, r: float = 10.0) -> Polygon:
    return Polygon([(x, y + r), (x + r, y), (x, y - r), (x - r, y)])


def roads(*extra: tuple[LineString, str, str | None]) -> gpd.GeoDataFrame:
    rows = [
        (LineString([(0, 0), (500, 0), (1000, 0)]), "residential", None),  # S
        (LineString([(0, 100), (500, 100), (1000, 100)]), "residential", None),  # N
        (LineString([(900, 0), (900, 100)]), "footway", None),  # connector
        (LineString([(0, 50), (1000, 50)]), "motorway", None),  # not walkable
        (LineString([(0, 2000), (300, 2000)]), "service", None),  # island, 300 m
        *extra,
    ]
    return gpd.GeoDataFrame(
        {"road_class": [r[1] for r in rows], "bridge": [r[2] for r in rows]},
        geometry=[r[0] for r in rows],
        crs=CRS,
    )


def gs(*geoms) -> gpd.GeoSeries:
    return gpd.GeoSeries(list(geoms), crs=CRS)


PLOT_A = diamond(100, -20)
PARK_P1 = diamond(100, 120)
PARK_P2 = diamond(150, 2020)


@pytest.fixture
def model() -> NetworkDistance:
    return NetworkDistance(build_walk_graph(roads()))


# --- walkable lines and graph ----------------------------------------------------------------
def test_walkable_rules():
    frame = gpd.GeoDataFrame(
        {
            "road_class": [
                "motorway",
                "footway",
                None,
                "快速路",
                "trunk",
                "residential",
                "service",
            ],
            "foot": [None, None, None, None, "yes", "no", None],
            "access": [None, None, None, None, None, None, "no"],
        },
        geometry=[LineString([(0, i), (1, i)]) for i in range(7)],
        crs=CRS,
    )
    got = walkable(frame)
    assert got.name == "walkable"
    assert got.tolist() == [False, True, True, False, True, False, False]


def test_walkable_reads_osm_other_tags():
    frame = gpd.GeoDataFrame(
        {
            "highway": ["primary", "primary"],
            "other_tags": ['"foot"=>"no","lanes"=>"4"', '"lanes"=>"2"'],
        },
        geometry=[LineString([(0, 0), (1, 0)])] * 2,
        crs=CRS,
    )
    assert walkable(frame).tolist() == [False, True]


def test_graph_nodes_and_segments():
    g = build_walk_graph(roads())
    # S and N have a vertex at x=500 and are split at x=900 by the connector: 3 segments each;
    # connector 1; island 1; motorway dropped
    assert g.n_edges == 8
    assert g.n_nodes == 10
    assert g.seg_length.sum() == pytest.approx(1000 + 1000 + 100 + 300)


def test_small_fragment_dropped():
    frag = (LineString([(0, 3000), (150, 3000)]), "footway", None)  # 150 m < 200 m
    g = build_walk_graph(roads(frag))
    assert g.n_edges == 8
    g = build_walk_graph(roads(frag), min_component_m=100)
    assert g.n_edges == 9


def test_bad_noding_and_geographic_crs():
    with pytest.raises(ConfigError, match="noding"):
        build_walk_graph(roads(), noding="planar")  # type: ignore[arg-type]
    with pytest.raises(ConfigError, match="metric CRS"):
        build_walk_graph(roads().set_crs("EPSG:4326", allow_override=True))


# --- distances by hand ------------------------------------------------------------------------
def test_protocol(model):
    assert isinstance(model, DistanceModel)
    assert model.basis == "network"


def test_barrier_forces_detour(model):
    # A -> S at x=100 (10) -> x=900 (800) -> connector (100) -> N back to x=100 (800) -> P1 (10)
    d = model.nearest(gs(PLOT_A), gs(PARK_P1))
    assert d.tolist() == [pytest.approx(1720.0)]
    # the straight line would say 120 m
    assert StraightLineDistance().nearest(gs(PLOT_A), gs(PARK_P1)).tolist() == [120.0]


def test_bridge_joins_at_its_ends_only():
    bridge = (LineString([(500, 0), (500, 100)]), "footway", "yes")
    model = NetworkDistance(build_walk_graph(roads(bridge)))
    # 10 + 400 + 100 (bridge) + 400 + 10
    assert model.nearest(gs(PLOT_A), gs(PARK_P1)).tolist() == [pytest.approx(920.0)]


def test_bridge_does_not_join_what_it_crosses():
    # a ground street R at y=50 crossing the connector (at grade) and the footbridge (no)
    bridge = (LineString([(500, 0), (500, 100)]), "footway", "yes")
    street = (LineString([(200, 50), (1000, 50)]), "residential", None)
    home = gs(Point(300, 55))  # 5 m from R; reached by its nearest segment
    auto = NetworkDistance(build_walk_graph(roads(bridge, street)))
    # A -> S (10) -> x=900 (800) -> up the connector to R (50) -> west to x=300 (600) -> 5
    assert auto.nearest(gs(PLOT_A), home).tolist() == [pytest.approx(1465.0)]
    planar = NetworkDistance(build_walk_graph(roads(bridge, street), noding="crossings"))
    # joined where the bridge crosses R: 10 + 400 + 50 + 200 + 5
    assert planar.nearest(gs(PLOT_A), home).tolist() == [pytest.approx(665.0)]
    # vertices only: R shares no vertex with anything, so it is a piece of its own
    verts = NetworkDistance(build_walk_graph(roads(bridge, street), noding="vertices"))
    assert np.isinf(verts.nearest(gs(PLOT_A), home)).all()


def test_nearest_index_names_the_target(model):
    far = diamond(150, 2980)
    d, j = N.nearest_index(model, gs(PLOT_A, far), gs(PARK_P2, PARK_P1))
    assert d.tolist() == [pytest.approx(1720.0), pytest.approx(1222.0)]
    assert j.tolist() == [1, 0]
    d, j = N.nearest_index(StraightLineDistance(), gs(PLOT_A, far), gs(PARK_P2, PARK_P1))
    assert d.tolist() == [120.0, 940.0] and j.tolist() == [1, 0]


def test_disconnected_component_is_unreachable(model):
    d = model.nearest(gs(PLOT_A), gs(PARK_P2))
    assert np.isinf(d).all()
    assert model.nearest(gs(PLOT_A), gs(PARK_P2, PARK_P1)).tolist() == [pytest.approx(1720.0)]
    assert len(model.within(gs(PLOT_A), gs(PARK_P2), 1e6)) == 0


def test_no_road_near_falls_back_to_straight_line(model):
    far = diamond(150, 2980)  # 980 m from the island street: no road within 100 m
    d = model.nearest(gs(far, PLOT_A), gs(PARK_P2))
    # vertex (150, 2970) to vertex (150, 2030): 940 m x 1.3
    assert d[0] == pytest.approx(940.0 * 1.3)
    assert np.isinf(d[1])
    assert model.origin_basis(gs(far, PLOT_A)).tolist() == ["straight_line", "network"]
    p = model.within(gs(far), gs(PARK_P2), 1300.0)
    assert p.target.tolist() == [0] and p.distance.tolist() == [pytest.approx(1222.0)]
    assert len(model.within(gs(far), gs(PARK_P2), 1200.0)) == 0


def test_target_off_network_reached_by_straight_line(model):
    far_park = diamond(100, -300)  # 290 m below S: off the network
    # A's bottom vertex (100, -30) to the park's top vertex (100, -290): 260 x 1.3
    assert model.nearest(gs(PLOT_A), gs(far_park)).tolist() == [pytest.approx(338.0)]
    p = model.within(gs(PLOT_A, PARK_P1), gs(PARK_P1, far_park), 400.0)
    assert list(zip(p.origin.tolist(), p.target.tolist(), strict=True)) == [(0, 1), (1, 0)]
    assert p.distance.tolist() == pytest.approx([338.0, 0.0])


def test_detour_factor_configurable():
    model = NetworkDistance(build_walk_graph(roads()), detour_factor=1.2)
    far = diamond(150, 2980)
    assert model.nearest(gs(far), gs(PARK_P2)).tolist() == [pytest.approx(940.0 * 1.2)]
    with pytest.raises(ConfigError, match="detour"):
        NetworkDistance(build_walk_graph(roads()), detour_factor=0.9)


def test_touching_places_are_zero_apart(model):
    beside = Polygon([(115, -20), (135, -20), (135, -40), (115, -40)])  # 5 m east of A
    touching = Polygon([(100, -10), (110, -20), (120, -10)])  # shares A's upper-right edge
    assert model.nearest(gs(PLOT_A), gs(touching)).tolist() == [0.0]
    assert model.within(gs(PLOT_A), gs(touching), 5.0).distance.tolist() == [0.0]
    # not touching: by the street. A enters S at x=100 (10 m); the box fronts S along
    # x=115..135 at 20 m: 10 + 15 + 20
    assert model.nearest(gs(PLOT_A), gs(beside)).tolist() == [pytest.approx(45.0)]


def test_within_pairs_and_same_segment(model):
    homes = gs(Point(200, -5), Point(300, 95), Point(950, 20))
    p = model.within(gs(PLOT_A), homes, 2000.0)
    # (200,-5): same segment as A: 10 + |100 - 200| + 5 = 115
    # (300,95): on N: 10 + 800 + 100 + 600 + 5 = 1515
    # (950,20): nearest segment is S east of the connector (20 m): 10 + 850 + 20 = 880
    assert p.origin.tolist() == [0, 0, 0]
    assert p.target.tolist() == [0, 1, 2]
    assert p.distance.tolist() == pytest.approx([115.0, 1515.0, 880.0])
    p = model.within(gs(PLOT_A), homes, 880.0)
    assert p.target.tolist() == [0, 2]


def test_sum_within_several_radii(model):
    homes = gs(Point(200, -5), Point(300, 95), Point(950, 20))
    got = model.sum_within(
        gs(PLOT_A, PARK_P1), homes, np.array([1.0, 10.0, 100.0]), [300.0, 1000.0, 2000.0]
    )
    # P1 -> (300,95): 10 + 200 + 5 = 215; -> (950,20): 10 + 800 + 100 + 20 = 930;
    # -> (200,-5): 10 + 800 + 100 + 800 + 100 + 5 = 1815
    assert got.tolist() == [[1.0, 101.0, 111.0], [10.0, 110.0, 111.0]]


def test_plot_fronting_two_streets_uses_both():
    # a plot between S and a parallel street 40 m south of it, 10 m from S and 15 m from it
    south = (LineString([(0, -40), (1000, -40)]), "residential", None)
    model = NetworkDistance(build_walk_graph(roads(south)))
    plot = Polygon([(600, -10), (700, -10), (700, -25), (600, -25)])
    home = gs(Point(650, -45))  # 5 m below the southern street
    # through its southern side: 15 + 5 (same segment, same x)
    assert model.nearest(gs(plot), home).tolist() == [pytest.approx(20.0)]


def test_within_agrees_with_nearest_and_tiles(monkeypatch):
    rng = np.random.default_rng(4)
    xs = np.arange(0, 2001, 100.0)
    lines = [LineString([(0, y), (2000, y)]) for y in xs] + [
        LineString([(x, 0), (x, 2000)]) for x in xs
    ]
    grid = gpd.GeoDataFrame({"road_class": ["residential"] * len(lines)}, geometry=lines, crs=CRS)
    model = NetworkDistance(build_walk_graph(grid))
    pts = rng.uniform(0, 2000, size=(150, 2))
    plots = gpd.GeoSeries([diamond(x, y, 5) for x, y in pts[:60]], crs=CRS)
    homes = gpd.GeoSeries([Point(x, y) for x, y in pts[60:]], crs=CRS)
    near = model.nearest(plots, homes)
    p = model.within(plots, homes, 400.0)
    best = pd.Series(p.distance).groupby(p.origin).min()
    expect = near[near <= 400.0]
    assert best.index.tolist() == np.flatnonzero(near <= 400.0).tolist()
    np.testing.assert_allclose(best.to_numpy(), expect, rtol=1e-12)
    # on a grid the walk is at least the Manhattan gap and at least the straight line
    assert (p.distance >= StraightLineDistance().within(plots, homes, 400.0).distance.min()).all()
    monkeypatch.setattr(N, "MIN_TILE_M", 50.0)
    monkeypatch.setattr(N, "TILE_PER_RADIUS", 0.1)
    monkeypatch.setattr(N, "TILE_TARGET_ORIGINS", 1)
    q = NetworkDistance(build_walk_graph(grid)).within(plots, homes, 400.0)
    assert q.origin.tolist() == p.origin.tolist() and q.target.tolist() == p.target.tolist()
    np.testing.assert_allclose(q.distance, p.distance, rtol=1e-12)


# --- choosing a model ------------------------------------------------------------------------
def _layers(with_roads: bool) -> Layers:
    plots = gpd.GeoDataFrame({"plot_id": ["A"]}, geometry=[PLOT_A], crs=CRS)
    frames = {"plots": plots}
    if with_roads:
        frames["roads"] = roads()
    return prepare_layers(Layers.from_mapping(frames), crs=CRS)


def test_distance_model_for():
    assert isinstance(distance_model_for(_layers(True)), NetworkDistance)
    assert isinstance(distance_model_for(_layers(False)), StraightLineDistance)
    assert isinstance(
        distance_model_for(_layers(True), basis="straight_line"), StraightLineDistance
    )
    with pytest.raises(ConfigError, match="roads layer"):
        distance_model_for(_layers(False), basis="network")
    with pytest.raises(ConfigError, match="distance basis"):
        distance_model_for(_layers(True), basis="manhattan")  # type: ignore[arg-type]


def test_only_motorways_means_straight_line():
    frame = roads().assign(road_class="motorway")
    assert build_walk_graph(frame).n_edges == 0
    layers = _layers(True)
    layers = prepare_layers(Layers.from_mapping({"plots": layers.plots, "roads": frame}), crs=CRS)
    assert isinstance(distance_model_for(layers), StraightLineDistance)
    with pytest.raises(ConfigError, match="walkable"):
        distance_model_for(layers, basis="network")


def test_distance_model_reads_config():
    cfg = PlannerConfig.from_dict({"thresholds": {"walk_snap_m": 50.0, "walk_detour_factor": 1.25}})
    m = distance_model_for(_layers(True), cfg)
    assert (m.snap_m, m.detour_factor) == (50.0, 1.25)


# --- real data --------------------------------------------------------------------------------
def test_haidian_osm_network():
    path = DATA / "haidian_cau.osm"
    lines = pyogrio.read_dataframe(path, layer="lines")
    lines = lines.loc[lines["highway"].notna()]
    polys = pyogrio.read_dataframe(path, layer="multipolygons")
    parks = polys.loc[polys["leisure"].isin(["park", "garden"])]
    res = polys.loc[polys["building"].isin(["residential", "apartments"])]
    layers = prepare_layers(
        Layers.from_mapping(
            {"plots": res[["geometry"]], "roads": lines, "green": parks[["geometry"]]}
        )
    )
    model = distance_model_for(layers)
    assert isinstance(model, NetworkDistance)
    g = model.graph
    assert g.n_edges > 1000
    near = model.nearest(layers.plots.geometry, layers.green.geometry)
    straight = StraightLineDistance().nearest(layers.plots.geometry, layers.green.geometry)
    basis = model.origin_basis(layers.plots.geometry)
    on = basis == "network"
    # 39 of the 43 + 4 residential buildings are within 100 m of a mapped way; the rest
    # (on the extract's edge) fall back to the straight line x 1.3
    assert on.sum() == 39
    np.testing.assert_allclose(near[~on], straight[~on] * 1.3)
    reach = np.isfinite(near)
    assert reach.all()
    # walking is never shorter than the straight line, and on average somewhat longer
    assert (near[reach] >= straight[reach] - 1e-6).all()
    ratio = near[on & reach & (straight > 50)] / straight[on & reach & (straight > 50)]
    assert 1.0 < np.median(ratio) < 2.0


# --- wired into scoring -------------------------------------------------------------------------
def test_score_uses_walking_distances_by_default():
    import planner

    dx, dy = 500_000.0, 4_400_000.0  # inside EPSG:4547's zone, so no reprojection

    def shift(frame):
        return frame.set_geometry(frame.geometry.translate(dx, dy))

    plots = gpd.GeoDataFrame(
        {"plot_id": ["A", "B"]},
        geometry=[Polygon([(50, -60), (150, -60), (150, -10), (50, -10)]), diamond(5000, 5000)],
        crs=CRS,
    )
    # homes as points: 5 m from S at x=400 and x=700, 5 m from N at x=300
    res = gpd.GeoDataFrame(
        {"population": [100.0, 1000.0, 10000.0]},
        geometry=[Point(400, -5), Point(700, -5), Point(300, 95)],
        crs=CRS,
    )
    green = gpd.GeoDataFrame(geometry=[PARK_P1], crs=CRS)
    layers = prepare_layers(
        Layers.from_mapping(
            {
                "plots": shift(plots),
                "roads": shift(roads()),
                "residential": shift(res),
                "green": shift(green),
            }
        ),
        crs=CRS,
    )
    out = planner.score(layers)
    # A fronts S along x=50..150, 10 m off it.
    # (400,-5): same segment: 10 + 250 + 5 = 265; (700,-5): 10 + 350 + 200 + 5 = 565;
    # (300,95): 10 + 750 + 100 + 600 + 5 = 1465; P1: 10 + 750 + 100 + 800 + 10 = 1670
    a = out.set_index("plot_id").loc["A"]
    assert a["nearest_green_m"] == pytest.approx(1670.0)
    assert (a["residents_5min"], a["residents_10min"], a["residents_15min"]) == (100, 100, 1100)
    assert out["distance_basis"].tolist() == ["network", "straight_line"]
    straight = planner.score(layers, distances=StraightLineDistance()).set_index("plot_id")
    assert straight.loc["A", "nearest_green_m"] == pytest.approx(120.0)
    assert straight["distance_basis"].tolist() == ["straight_line", "straight_line"]


def test_core_scene_on_foot(scene):
    # the core's hand-built scene (tests/conftest.py): one street 5 m south of every plot and
    # of the park; the 50 m footway north of A is a stray piece (< 200 m) and is dropped.
    # A fronts the street along x=0..50, the park along x=-400..-300: 5 + 300 + 5
    import planner

    r = planner.score(scene).set_index("plot_id")
    assert r["nearest_green_m"].tolist() == [310.0, 910.0, 1310.0]
    assert r["distance_basis"].unique().tolist() == ["network"]


def test_demo_regression_on_foot():
    import planner

    demo = planner.load_demo()
    walk = planner.score(demo).set_index("plot_id")
    line = planner.score(demo, distances=StraightLineDistance()).set_index("plot_id")
    assert len(walk) == 99
    assert walk["distance_basis"].unique().tolist() == ["network"]
    assert walk["recommended_use"].value_counts().to_dict() == {
        "pocket_park": 50,
        "none": 17,
        "parking": 32,
    }
    # walking never brings green nearer or more residents within reach than the straight line
    assert (walk["nearest_green_m"] >= line["nearest_green_m"] - 0.1).all()
    for col in ("residents_5min", "poi_pull_nearby"):  # (unmet demand may rise: supply too)
        assert (walk[col] <= line[col] + 1e-6).all(), col
    assert (walk["residents_5min"] <= walk["residents_10min"]).all()
    assert (walk["residents_10min"] <= walk["residents_15min"]).all()
    d049 = walk.loc["D049"]
    assert (d049["nearest_green_m"], d049["residents_5min"], d049["residents_15min"]) == (
        628.3,
        4430.0,
        41950.0,
    )


def test_nearest_index_sees_through_the_caching_wrapper():
    from shapely.geometry import Point as P

    from planner.access.distances import MemoDistance, StraightLineDistance
    from planner.access.network import nearest_index

    origins = gpd.GeoSeries([P(0, 0), P(10, 0)], crs="EPSG:4548")
    targets = gpd.GeoSeries([P(3, 0), P(12, 0)], crs="EPSG:4548")
    d, j = nearest_index(MemoDistance(StraightLineDistance()), origins, targets)
    assert d.tolist() == [3.0, 2.0] and j.tolist() == [0, 1]


def test_point_on_segment_equals_geos_bit_for_bit():
    """Snapping arithmetic in numpy equals shapely.distance and line_locate_point exactly."""
    import shapely

    rng = np.random.default_rng(11)
    n = 20_000
    a = np.round(rng.random((n, 2)) * 2000 + 500_000, 3)
    b = a + np.round(rng.normal(0, 80, (n, 2)), 3)
    p = a + rng.normal(0, 100, (n, 2))
    # points on the line beyond both ends, exactly at an end, and right beside the segment
    p[:500] = a[:500] + 1.5 * (b[:500] - a[:500])
    p[500:1000] = a[500:1000] - 0.5 * (b[500:1000] - a[500:1000])
    p[1000:1200], p[1200:1400] = a[1000:1200], b[1200:1400]
    hand = np.array([[0.0, 3.0], [4.0, 3.0], [-3.0, 4.0], [10.0, 0.0]])  # onto (0,0)-(4,0)
    p, a, b = (
        np.vstack([x, y])
        for x, y in ((p, hand), (a, np.zeros((4, 2))), (b, np.tile([4.0, 0.0], (4, 1))))
    )
    d, along = N._point_on_segment(p, a, b)
    seg = shapely.linestrings(np.stack([a, b], axis=1))
    pts = shapely.points(p)
    assert np.array_equal(d, shapely.distance(pts, seg))
    assert np.array_equal(along, shapely.line_locate_point(seg, pts))
    assert d[-4:].tolist() == [3.0, 3.0, 5.0, 6.0]
    assert along[-4:].tolist() == [0.0, 4.0, 0.0, 4.0]


def test_locate_attaches_ahead_and_changes_no_answer(model, monkeypatch):
    homes = gs(Point(100, 10), Point(600, 90), Point(150, 1990))
    want = model.nearest(gs(PLOT_A), homes)
    fresh = NetworkDistance(build_walk_graph(roads()))
    fresh.locate(homes)
    calls: list[int] = []
    real = fresh._attach
    monkeypatch.setattr(fresh, "_attach", lambda g, rule: calls.append(len(g)) or real(g, rule))
    fresh.locate(homes)  # located once: nothing more to do
    assert calls == []
    # the home 10 m above S at x = 100, the plot's top vertex 10 m below it: 20 m
    assert fresh.nearest(gs(PLOT_A), homes).tolist() == want.tolist()
    assert calls == [1]  # only the plot was attached now: the homes were ready
    assert want[0] == pytest.approx(20.0)
    assert StraightLineDistance().locate(homes) is None


def test_prepare_within_finds_the_extra_pairs_once(model, monkeypatch):
    plots = gs(PLOT_A, diamond(600, -20))
    homes = gs(Point(100, 10), Point(600, 90), Point(102, -22))  # the last one inside A
    want = model.within(plots, homes, 300.0)
    fresh = NetworkDistance(build_walk_graph(roads()))
    fresh.prepare_within(plots, homes, 300.0)
    calls: list[float] = []
    real = fresh._extra_pairs
    monkeypatch.setattr(fresh, "_extra_pairs", lambda *a: calls.append(a[-1]) or real(*a))
    got = fresh.within(plots, homes, 300.0)
    assert calls == []  # found ahead
    assert got.origin.tolist() == want.origin.tolist()
    assert got.target.tolist() == want.target.tolist()
    assert got.distance.tolist() == want.distance.tolist()
    # (102, -22) lies inside plot A: zero apart
    assert got.distance[(got.origin == 0) & (got.target == 2)].tolist() == [0.0]
    fresh.within(plots, homes, 200.0)  # another radius: searched for then
    assert calls == [200.0]
    fresh.within(plots, homes, 300.0)  # those found ahead serve one search, then let go
    assert calls == [200.0, 300.0] and not fresh._extra_cache
    assert StraightLineDistance().prepare_within(plots, homes, 300.0) is None
