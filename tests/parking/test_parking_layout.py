"""Stall layouts checked against layouts computed by hand (JGJ 100-2015 default dimensions).

Defaults: 90° stall 2.5 × 5.3 m on a 6.0 m two-way aisle; 60° rows (depth 5.3 sin 60° +
2.5 cos 60° = 5.84 m, pitch 2.5 / sin 60° = 2.887 m) on a 4.5 m one-way aisle; parallel
stalls 6.0 × 2.4 m on a 3.8 m one-way aisle; 0.6 m clearance at stall sides, 0.5 m at ends.
"""

import math

import numpy as np
import pytest
import shapely
from shapely import affinity
from shapely.geometry import LineString, MultiPolygon, Polygon, box

from planner.errors import ConfigError
from planner.parking import LayoutParams, car_road_frontage, layout_for, layout_plots
from tests.conftest import gdf

STREET_SOUTH = gdf([LineString([(-100, -5), (200, -5)])], car_access=[True])


def assert_sound(result, plots):
    """No stall outside its plot, none over another, every stall the right size."""
    st = result.stalls
    owners = plots.geometry.values[plots.index.get_indexer(st["plot_index"])]
    assert shapely.within(st.geometry.values, owners).all()
    i, j = st.sindex.query(st.geometry.values, predicate="intersects")
    m = (i < j) & (st["plot_index"].to_numpy()[i] == st["plot_index"].to_numpy()[j])
    overlap = shapely.area(shapely.intersection(st.geometry.values[i[m]], st.geometry.values[j[m]]))
    assert (overlap < 1e-6).all()
    areas = np.where(st["pattern"].isin(["parallel", "layby"]), 6.0 * 2.4, 2.5 * 5.3)
    assert st.geometry.area.to_numpy() == pytest.approx(areas)
    counts = st.groupby("plot_index").size().reindex(plots.index, fill_value=0)
    assert counts.tolist() == result.summary["stalls"].tolist()


def test_rectangle_50_by_30_without_roads():
    plots = gdf([box(0, 0, 50, 30)])
    r = layout_plots(plots)
    s = r.summary.iloc[0]
    # 90° rows along the 50 m side: 0.5 clearance + row 5.3 + aisle 6 + row 5.3 | row 5.3 +
    # aisle 6 = 28.4 m <= 30 -> 3 rows; a row: stalls between 0.6 m side clearances,
    # (50 − 1.2) / 2.5 = 19.52 -> 19. 3 × 19 = 57
    assert s["stalls"] == 57 and s["pattern"] == "90"
    assert s["accessible_stalls"] == 3  # ceil(57 / 25)
    assert s["gross_m2_per_stall"] == pytest.approx(1500 / 57)
    assert s["reason"] == ""
    assert_sound(r, plots)
    assert r.stalls["accessible"].sum() == 3


def test_rectangle_50_by_30_entered_from_a_street():
    plots = gdf([box(0, 0, 50, 30)])
    r = layout_plots(plots, STREET_SOUTH)
    # aisles parallel to the street would not reach it; aisles running north from it:
    # modules of 16.6 m across the 50 m: 5 rows (the 6th would end at 50.8 m) of
    # (30 − 0.6 − 2.5 − 0.6) / 2.5 + 1 = 11.5 -> 11 stalls
    assert r.summary["stalls"].tolist() == [55]
    assert_sound(r, plots)
    # 3 aisles, each 6 m wide and reaching the street side (y = 0)
    assert len(r.aisles) == 3
    assert r.aisles.geometry.area.tolist() == pytest.approx([180.0] * 3)
    assert r.aisles.geometry.bounds["miny"].to_numpy() == pytest.approx([0.0] * 3, abs=1e-9)
    # the accessible stalls are the ones nearest the frontage
    front = car_road_frontage(plots.geometry, STREET_SOUTH, 10.0).iloc[0]
    d = r.stalls.geometry.distance(front)
    acc = r.stalls["accessible"].to_numpy()
    assert acc.sum() == 3
    assert d[acc].max() <= d[~acc].min() + 1e-9


def test_six_metre_strip_takes_a_lay_by_row():
    plots = gdf([box(0, 0, 60, 6)])
    r = layout_plots(plots, STREET_SOUTH)
    s = r.summary.iloc[0]
    # 2.4 + 0.6 + 3.8 = 6.8 m > 6: no aisle fits; one row of 6 m parallel stalls entered
    # from the street: (60 − 2 × 0.5) / 6 = 9.8 -> 9
    assert s["stalls"] == 9 and s["pattern"] == "layby"
    assert_sound(r, plots)
    assert len(r.aisles) == 0  # the street is the aisle
    # the row lies along the street edge
    assert r.stalls.geometry.bounds["miny"].max() == pytest.approx(0.01)


def test_narrow_strip_away_from_the_road_is_too_narrow():
    # 6 m strip whose only frontage is its 6 m end: a lay-by stall needs 6 + 2 × 0.5 = 7 m
    # of frontage, so nothing but a 90° stall behind a 6 × 6 m turning pad at the end
    plots = gdf([box(0, 0, 6, 60), box(0, 0, 3.5, 60)])
    r = layout_plots(plots, STREET_SOUTH)
    # 6 m: aisle 0–6 m along the end, one row behind it: (6 − 1.2) / 2.5 = 1.9 -> 1 stall
    # 3.5 m: not even that (3.5 − 1.2 < 2.5); narrower than the narrowest module with an
    # aisle (2.4 + 0.6 + 3.8 = 6.8 m)
    assert r.summary["stalls"].tolist() == [1, 0]
    assert r.summary["reason"].tolist() == ["", "too narrow"]
    assert_sound(r, plots)


def test_l_shape():
    plots = gdf([Polygon([(0, 0), (40, 0), (40, 20), (20, 20), (20, 40), (0, 40)])])
    r = layout_plots(plots, STREET_SOUTH)
    # aisles run north from the street (y = 0). Modules from the west edge: row 0.5–5.8,
    # aisle 5.8–11.8 (0–40 m long), row 11.8–17.1 | row 17.1–22.4 (crosses x = 20, so only
    # 0–20 m long), aisle 22.4–28.4 (0–20 m), row 28.4–33.7 | row 33.7–39.0 has no aisle.
    # Rows 0–40 m: (40 − 1.2) / 2.5 -> 15 stalls; rows 0–20 m: (20 − 1.2) / 2.5 -> 7.
    # 15 + 15 + 7 + 7 = 44
    s = r.summary.iloc[0]
    assert s["stalls"] == 44 and s["pattern"] == "90"
    assert s["accessible_stalls"] == 2
    assert_sound(r, plots)


def test_too_small_for_one_stall():
    plots = gdf([box(0, 0, 3, 4), box(0, 0, 5.3, 2.5)])
    r = layout_plots(plots)
    # a 90° stall with its clearances takes (2.5 + 1.2) × (5.3 + 0.5) = 21.46 m²
    assert r.summary["stalls"].tolist() == [0, 0]
    assert r.summary["reason"].tolist() == ["too small", "too small"]
    assert len(r.stalls) == 0
    assert r.summary["gross_m2_per_stall"].isna().all()


def test_plots_beyond_the_size_limit_get_no_layout():
    # a district passed as plots: laying out its millions of stalls exhausted memory (Tianjin's
    # 16 districts, 10-2,700 km²). 1 km² is the limit; just below it the layout still runs.
    plots = gdf([box(0, 0, 1000, 1000.5), box(0, 0, 1000, 999.5)])
    r = layout_plots(plots)
    assert r.summary["stalls"].iloc[0] == 0 and r.summary["stalls"].iloc[1] > 40_000
    assert r.summary["reason"].tolist() == ["too large for a stall layout (over 1,000,000 m²)", ""]
    assert set(r.stalls["plot_index"]) == {1}
    small = layout_plots(gdf([box(0, 0, 50, 30)]), params=LayoutParams(max_plot_area_m2=1000))
    assert small.summary["stalls"].tolist() == [0]
    with pytest.raises(ConfigError, match="max_plot_area_m2 must be > 0"):
        LayoutParams(max_plot_area_m2=0)


def test_no_car_road_frontage_means_no_access():
    plots = gdf([box(0, 0, 50, 30)])
    far = gdf([LineString([(-100, -50), (200, -50)])], car_access=[True])
    footway = gdf([LineString([(-100, -5), (200, -5)])], car_access=[False])
    for roads in (far, footway):
        r = layout_plots(plots, roads)
        assert r.summary["stalls"].tolist() == [0]
        assert r.summary["reason"].tolist() == ["no access"]
        assert r.summary["frontage_m"].tolist() == [0.0]


def test_angled_rows_win_in_an_eleven_metre_strip():
    plots = gdf([box(0, 0, 60, 11)])
    r = layout_plots(plots)
    # 90° needs 0.5 + 5.3 + 6 = 11.8 m for one row: rows across the strip hold only
    # (11 − 1.2) / 2.5 -> 3 stalls each, 6 rows -> 18; parallel on both sides of a
    # one-way aisle: 2 × 9 = 18. One 60° row: 0.5 + 5.84 + 4.5 = 10.84 m <= 11; stalls
    # reach 2.5 sin 60° = 2.165 m back and 5.3 cos 60° = 2.65 m ahead of their front corner,
    # whose first position is max(2.165 + 0.6, pitch 2.887 of aisle) = 2.887 and last
    # 60 − 2.65 − 0.6 = 56.75: (56.75 − 2.887) / 2.887 + 1 = 19.66 -> 19
    s = r.summary.iloc[0]
    assert s["stalls"] == 19 and s["pattern"] == "60"
    assert_sound(r, plots)
    assert r.aisles["one_way"].all()
    # the stalls lie at 60° to the aisle (which runs along x)
    st = r.stalls.geometry.iloc[0]
    xy = np.asarray(st.exterior.coords)
    sides = np.hypot(*np.diff(xy, axis=0).T)
    long_side = np.argmax(sides)
    d = xy[long_side + 1] - xy[long_side]
    assert abs(math.degrees(math.atan2(abs(d[1]), abs(d[0])))) == pytest.approx(60.0)


def test_one_way_aisle_needs_frontage_at_both_ends():
    plots = gdf([box(0, 0, 60, 11)])
    west = gdf([LineString([(-5, -100), (-5, 100)])], car_access=[True])
    east_west = gdf(
        [LineString([(-5, -100), (-5, 100)]), LineString([(65, -100), (65, 100)])],
        car_access=[True, True],
    )
    # with a street at each end the 60° row of the previous test is used
    assert layout_plots(plots, east_west).summary["pattern"].tolist() == ["60"]
    # with the west street only, its one-way aisle would be a dead end: 90° rows across
    # the strip are left, the aisle across the west end meets the street: one row behind a
    # 6 m aisle: 3 stalls; the next module's aisle does not reach the street
    r = layout_plots(plots, west)
    assert r.summary["pattern"].tolist() == ["90"]
    assert r.summary["stalls"].tolist() == [3]
    assert not r.aisles["one_way"].any()
    assert_sound(r, plots)


def test_orientation_search_finds_rotated_plots():
    base = box(0, 0, 50, 30)
    plots = gdf([affinity.rotate(base, a, origin=(0, 0)) for a in (0, 17, 30, 90, 133)])
    r = layout_plots(plots)
    assert r.summary["stalls"].tolist() == [57] * 5
    assert_sound(r, plots)


def test_hole_is_avoided():
    holed = box(0, 0, 50, 30).difference(box(20, 10, 30, 20))
    plots = gdf([holed])
    r = layout_plots(plots)
    assert 0 < r.summary["stalls"].iloc[0] < 57
    assert not shapely.intersects(r.stalls.geometry.values, box(20.01, 10.01, 29.99, 19.99)).any()
    assert_sound(r, plots)


def test_batch_equals_one_by_one():
    geoms = [
        box(0, 0, 50, 30),
        box(0, 0, 60, 6),
        box(0, 0, 3, 4),
        Polygon([(0, 0), (40, 0), (40, 20), (20, 20), (20, 40), (0, 40)]),
    ]
    batch = layout_plots(gdf(geoms), STREET_SOUTH, geometry=False).summary["stalls"].tolist()
    single = [
        layout_plots(gdf([g]), STREET_SOUTH, geometry=False).summary["stalls"].iloc[0]
        for g in geoms
    ]
    assert batch == single == [55, 9, 0, 44]


def test_layout_for_one_plot():
    lay = layout_for(box(0, 0, 50, 30), STREET_SOUTH)
    assert (lay.stalls, lay.accessible_stalls, lay.pattern, lay.reason) == (55, 3, "90", "")
    assert len(lay.stall_geoms) == 55 and lay.stall_geoms["accessible"].sum() == 3
    assert lay.stall_geoms["stall_no"].tolist() == list(range(1, 56))
    assert len(lay.aisle_geoms) == 3
    assert lay.stall_geoms.crs == STREET_SOUTH.crs


def test_dimensions_are_configurable():
    plots = gdf([box(0, 0, 50, 30)])
    # 2.4 m stalls (the JGJ minimum): (50 − 1.2) / 2.4 = 20.3 -> 20 a row, 3 rows
    r = layout_plots(plots, params=LayoutParams(stall_width_m=2.4))
    assert r.summary["stalls"].tolist() == [60]
    only_parallel = LayoutParams(patterns=("parallel",))
    # parallel rows along the 50 m: 8.6 m modules (2.4 + 3.8 + 2.4) from a 0.6 m clearance:
    # 3 full modules (26.4 m), the 4th's aisle would end at 32.6 m -> 6 rows of
    # (50 − 2 × 0.5) / 6 = 8.2 -> 8 stalls = 48 (rows across the 30 m: 11 rows × 4 = 44)
    assert layout_plots(plots, params=only_parallel).summary["stalls"].tolist() == [48]


def test_bad_parameters_and_crs():
    with pytest.raises(ConfigError, match="stall_width_m must be > 0"):
        LayoutParams(stall_width_m=0)
    with pytest.raises(ConfigError, match="patterns"):
        LayoutParams(patterns=("zigzag",))
    with pytest.raises(ConfigError, match="projected"):
        layout_plots(gdf([box(116.3, 39.9, 116.31, 39.91)], crs="EPSG:4326"))


def test_frontage_is_the_boundary_near_car_roads():
    plots = gdf([box(0, 0, 50, 30), box(0, 100, 50, 130)])
    f = car_road_frontage(plots.geometry, STREET_SOUTH, 10.0)
    # bottom edge 50 m plus the lowest 5 m of each side; the far plot has none
    assert f.length.tolist() == pytest.approx([60.0, 0.0])
    assert car_road_frontage(plots.geometry, None, 10.0).length.tolist() == [160.0, 160.0]


def test_layout_dimensions_from_the_toml_configuration(tmp_path):
    from planner.config import PlannerConfig

    cfg_file = tmp_path / "c.toml"
    cfg_file.write_text(
        "[parking]\nstall_width_m = 2.4\naccessible_every = 50\n"
        "[thresholds]\nfrontage_buffer_m = 4.0\n",
        encoding="utf-8",
    )
    cfg = PlannerConfig.from_toml(cfg_file)
    params = LayoutParams.from_config(cfg)
    assert (params.stall_width_m, params.accessible_every, params.frontage_buffer_m) == (
        2.4,
        50,
        4.0,
    )
    # 2.4 m stalls: 3 rows of 20 (see test_dimensions_are_configurable); ceil(60 / 50) = 2
    r = layout_plots(gdf([box(0, 0, 50, 30)]), params=params)
    assert r.summary[["stalls", "accessible_stalls"]].values.tolist() == [[60, 2]]
    # the street 5 m away is beyond a 4 m frontage buffer
    assert layout_plots(gdf([box(0, 0, 50, 30)]), STREET_SOUTH, params).summary[
        "reason"
    ].tolist() == ["no access"]
    assert PlannerConfig.from_dict(cfg.to_dict()).parking == cfg.parking
    with pytest.raises(ConfigError, match="unknown key parking.stall_colour"):
        PlannerConfig.from_dict({"parking": {"stall_colour": "blue"}})
    with pytest.raises(ConfigError, match="aisle_60_m must be > 0"):
        PlannerConfig.from_dict({"parking": {"aisle_60_m": 0}})


def test_multipolygon_and_empty_plots():
    two = MultiPolygon([box(0, 0, 50, 30), box(100, 0, 150, 30)])
    plots = gdf([Polygon(), two, None, box(0, 0, 50, 30)])
    r = layout_plots(plots)
    # each part of the multipolygon holds the 57 stalls of a lone 50 × 30 m plot
    assert r.summary["stalls"].tolist() == [0, 114, 0, 57]
    assert r.summary["reason"].tolist() == ["empty geometry", "", "empty geometry", ""]
    st = r.stalls
    assert shapely.within(st.geometry.values[st["plot_index"].to_numpy() == 1], two).all()


def test_real_haidian_plots_from_openstreetmap():
    from planner.io.osm import build_layers
    from planner.layers import Layers, prepare_layers
    from tests.conftest import SHARED_DATA

    layers = prepare_layers(Layers.from_mapping(build_layers(SHARED_DATA / "haidian_cau.osm")))
    plots = layers.plots
    r = layout_plots(plots, layers.roads)
    s = r.summary
    assert len(s) == len(plots) > 0
    assert_sound(r, plots)
    # no plot can give less than the stall's own 13.25 m² per stall
    assert (s["gross_m2_per_stall"].dropna() >= 2.5 * 5.3).all()
    assert set(s["reason"]) <= {
        "",
        "no access",
        "too small",
        "too narrow",
        "no stall row fits the shape with access from the road",
    }
    assert (s["reason"] == "").to_numpy().tolist() == (s["stalls"] > 0).to_numpy().tolist()
    assert set(r.stalls["plot_id"]) <= set(plots["plot_id"])


def test_layout_map_layer_escapes_data_text():
    import folium

    from planner.parking.mapping import layout_feature_group
    from tests.conftest import METRIC, X0, Y0

    street = gdf([LineString([(X0 - 100, Y0 - 5), (X0 + 200, Y0 - 5)])], car_access=[True])
    lay = layout_for(box(X0, Y0, X0 + 50, Y0 + 30), street, crs=METRIC)
    group = layout_feature_group(lay, title="<img src=x onerror=alert(1)>")
    aisles, stalls = list(group._children.values())
    assert len(aisles.data["features"]) == 3 and len(stalls.data["features"]) == 55
    assert sum(f["properties"]["accessible"] for f in stalls.data["features"]) == 3
    m = folium.Map(location=[39.1, 117.2], zoom_start=17)
    group.add_to(m)
    page = m.get_root().render()
    labels = [f["properties"]["label"] for f in stalls.data["features"]]
    assert labels[0].startswith("&lt;img src=x onerror=alert(1)&gt; · 1 · ")
    # folium writes the (escaped) text into the page as JSON; the raw tag never appears
    assert "\\u0026lt;img src=x onerror=alert(1)\\u0026gt;" in page
    assert "<img src=x" not in page


def test_interval_order_equals_lexsort():
    from planner.parking.layout import _order_by

    rng = np.random.default_rng(3)
    key = np.concatenate([np.sort(rng.integers(0, 50, 400)), np.arange(50), np.arange(50)])
    lo = np.round(rng.random(len(key)) * 10, 1)  # many ties, broken by position
    lo[::37] = np.nan
    assert np.array_equal(_order_by(key, lo), np.lexsort((lo, key)))
    # keys in any order, of 1 to 300 values each (rows of 1, 2, 4, ... 512 columns)
    sizes = rng.integers(1, 12, 200)
    sizes[:5] = [1, 2, 3, 129, 300]
    key = rng.permutation(np.repeat(rng.permutation(1000)[:200], sizes))
    lo = np.round(rng.random(len(key)) * 5, 1)
    lo[::11] = np.inf
    assert np.array_equal(_order_by(key, lo), np.lexsort((lo, key)))
    assert len(_order_by(key[:0], lo[:0])) == 0


def test_aisle_end_boxes_meet_the_frontage_as_geos_says():
    """The numpy box/segment test agrees with shapely.intersects, touching included."""
    from planner.parking.layout import _box_meets_front, _Frame, _line_segments

    rng = np.random.default_rng(5)
    # frontage pieces on an integer grid so that many touch a box edge or corner exactly
    lines = [
        shapely.LineString(rng.integers(0, 6, (rng.integers(2, 4), 2)).astype(float))
        for _ in range(150)
    ]
    fronts = np.array(
        [
            shapely.GeometryCollection([lines[i], lines[i + 1]]) if i % 3 == 0 else lines[i]
            for i in range(0, 150, 2)
        ]
        + [
            shapely.Point(2.0, 2.0),
            shapely.MultiLineString([[(0, 0), (1, 1)], [(4, 4), (5, 3)]]),
            shapely.GeometryCollection(),
        ],
        dtype=object,
    )
    segs, start, count = _line_segments(fronts)
    assert count[-1] == 0 and count[-3] == 1 and count[-2] == 2
    empty = np.zeros((0, 4))
    fr = _Frame(
        np.arange(len(fronts)),
        np.zeros(len(fronts)),
        np.zeros(len(fronts)),
        np.zeros(len(fronts)),
        fronts,
        fronts,
        np.zeros((len(fronts), 4)),
        empty,
        np.zeros(len(fronts), dtype=np.intp),
        np.zeros(len(fronts), dtype=np.intp),
        segs,
        start,
        count,
    )
    f = rng.integers(0, len(fronts), 4000)
    x0, y0 = rng.integers(0, 6, 4000).astype(float), rng.integers(0, 6, 4000).astype(float)
    x1, y1 = x0 + rng.integers(1, 3, 4000), y0 + rng.integers(1, 3, 4000)  # boxes, not lines
    got = _box_meets_front(fr, f, x0, x1, y0, y1)
    want = shapely.intersects(shapely.box(x0, y0, x1, y1), fronts[f])
    assert np.array_equal(got, want)
    assert got.any() and not got.all()


def test_frame_tree_keeps_each_frame_in_its_own_cell():
    # three frames holding the same 10 x 10 m square about (0, 0), as every plot's frames do
    # (centred on its centroid), and one frame of a single segment: a query of frame k meets
    # only frame k's segments in the tree, and exactly those whose extents meet its box
    from planner.parking.layout import _frame_tree, _tree_pairs

    square = np.array([[-5, -5, 5, -5], [5, -5, 5, 5], [5, 5, -5, 5], [-5, 5, -5, -5]], dtype=float)
    segs = np.vstack([square, square, square, [[-5.0, 0.0, 5.0, 0.0]]])
    start, count = np.array([0, 4, 8, 12]), np.array([4, 4, 4, 1])
    tree = _frame_tree(segs, start, count, np.array([True, True, False, True]))
    assert tree.cell.tolist() == [0, 1, -1, 2]
    # a thin band along the bottom edge (touching it) of frames 0 and 1, the whole of frame 3
    f = np.array([0, 1, 3, 1])
    query = (
        np.array([-6.0, -6.0, -100.0, 20.0]),  # the last lies beyond every segment
        np.array([-5.0, -5.0, -100.0, 20.0]),
        np.array([6.0, 6.0, 100.0, 30.0]),
        np.array([-4.0, -4.0, 100.0, 30.0]),
    )
    item, seg = _tree_pairs(tree, f, query)
    pairs = sorted(zip(item.tolist(), seg.tolist(), strict=True))
    # frame 0: its bottom edge (0) and both sides (1, 3); frame 1 the same, as segments 4..7
    assert pairs == [(0, 0), (0, 1), (0, 3), (1, 4), (1, 5), (1, 7), (2, 12)]
