"""The dask engine with the layers read by part on the workers (planner/engines/files.py)."""

from __future__ import annotations

import threading

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import pytest
import shapely

from planner.cli import main
from planner.config import PlannerConfig
from planner.engines import dask as engine
from planner.engines import files as by_part
from planner.io import read_layers
from planner.layers import prepare_layers
from planner.scoring import score

CRS = "EPSG:4548"  # CGCS2000 / 3-degree Gauss-Kruger CM 117E, metres
X0, Y0 = 505_000.0, 4_320_000.0
N_PLOTS = 10
SPACING_M = 1000.0


def _square(x: float, y: float, side: float) -> shapely.Polygon:
    return shapely.box(x, y, x + side, y + side)


@pytest.fixture(scope="module")
def city_gpkg(tmp_path_factory):
    """Ten 20 m plots 1 km apart on a 10 km street, one park 1 km west of the first.

    The park is the only green: plot i is ``1000 (i + 1)`` m from it, farther than the
    1,300 m halo from plot 1 on, so most plots are measured again in later rounds. Plot ids
    repeat ("A" twice) and one is missing; one plot row has no geometry.
    """
    path = tmp_path_factory.mktemp("city") / "city.gpkg"
    xs = X0 + SPACING_M * np.arange(N_PLOTS)
    geoms = [_square(x, Y0, 20.0) for x in xs]
    ids = ["A", "B", "A", None, *(f"P{i}" for i in range(4, N_PLOTS))]
    plots = gpd.GeoDataFrame(
        {"plot_id": [*ids, "NULL"]}, geometry=[*geoms, None], crs=CRS
    )  # the last row has no geometry: rows of later reads must still match
    homes = gpd.GeoDataFrame(
        {"population": np.full(N_PLOTS, 100.0), "floors": np.full(N_PLOTS, 6)},
        geometry=[_square(x, Y0 + 40.0, 15.0) for x in xs],
        crs=CRS,
    )
    park = gpd.GeoDataFrame(
        {"name": ["west park"]},
        geometry=[_square(X0 - SPACING_M - 100.0, Y0, 100.0)],
        crs=CRS,
    )
    # one street segment per kilometre along the plots' south side
    ends = X0 - 1200.0 + SPACING_M * np.arange(12)
    roads = gpd.GeoDataFrame(
        {"highway": ["residential"] * len(ends)},
        geometry=[shapely.LineString([(a, Y0 - 10.0), (a + SPACING_M, Y0 - 10.0)]) for a in ends],
        crs=CRS,
    )
    parking = gpd.GeoDataFrame(
        {"capacity": [40]}, geometry=[shapely.Point(X0 + 5 * SPACING_M + 50, Y0)], crs=CRS
    )
    for name, frame in {
        "plots": plots,
        "residential": homes,
        "green": park,
        "roads": roads,
        "parking": parking,
    }.items():
        frame.to_file(path, layer=name, driver="GPKG")
    return path


def test_the_client_reads_bounding_boxes_only(city_gpkg):
    files = by_part.scan_files(city_gpkg, {})
    assert set(files.layers) == {"plots", "residential", "green", "roads", "parking"}
    plots = files.layers["plots"]
    # the plot without geometry is not a feature to read; the others keep their rows
    assert plots.rows.tolist() == list(range(N_PLOTS))
    assert plots.boxes[3].tolist() == [X0 + 3000.0, Y0, X0 + 3020.0, Y0 + 20.0]
    assert files.crs.to_epsg() == 4548  # the CRS prepare_layers chooses for these layers


def test_other_inputs_are_read_on_the_client(tmp_path, city_gpkg):
    gpd.read_file(city_gpkg, layer="plots").to_file(tmp_path / "plots.geojson")
    assert by_part.scan_files(None, {"plots": tmp_path / "plots.geojson"}) is None
    assert by_part.scan_files(city_gpkg, {}, coord_system="gcj02") is None


def _read_gpkg(path):
    frame = pyogrio.read_dataframe(path)
    return frame.drop(columns="geometry"), frame.geometry.to_wkb()


def test_cli_output_equals_single_and_the_client_reads_no_feature(
    tmp_path, city_gpkg, cluster, monkeypatch, capsys
):
    one, two = tmp_path / "single.gpkg", tmp_path / "dask.gpkg"
    base = ["score", "--layers", str(city_gpkg), "--distance", "straight_line", "-q"]
    assert main([*base, "--out", str(one)]) == 0
    single_err = capsys.readouterr().err
    reads = []
    real_read = pyogrio.read_dataframe

    def spy(*args, **kwargs):
        reads.append((threading.current_thread() is threading.main_thread(), kwargs.get("fids")))
        return real_read(*args, **kwargs)

    monkeypatch.setattr(pyogrio, "read_dataframe", spy)
    argv = [*base, "--engine", "dask", "--scheduler", cluster.scheduler_address]
    assert main([*argv, "--out", str(two)]) == 0
    dask_err = capsys.readouterr().err
    # every feature was read by a worker thread, by feature id, never a whole layer
    assert reads and not any(on_client for on_client, _ in reads)
    assert all(fids is not None for _, fids in reads)
    a, a_wkb = _read_gpkg(one)
    b, b_wkb = _read_gpkg(two)
    pd.testing.assert_frame_equal(a, b, check_exact=True)
    assert (a_wkb == b_wkb).all()
    # the plot ids were made unique over all plots, as the single engine makes them
    assert b["plot_id"].tolist()[:4] == ["A", "B", "A-2", "P0004"]
    # the same summary and notes (criteria left out, plot ids made)
    assert dask_err.splitlines()[-4:] == single_err.splitlines()[-4:]


def test_equal_to_single_with_the_next_rounds(city_gpkg, client):
    config = PlannerConfig()
    layers = prepare_layers(read_layers(city_gpkg), config)
    single = score(layers, config, distance="straight_line")
    files = by_part.scan_files(city_gpkg, {})
    got = by_part.score_files(
        files, config, client=client, distance="straight_line", n_partitions=5
    )
    pd.testing.assert_frame_equal(single, got, check_exact=True)
    # hand-computed: plot i is 1000 (i + 1) m from the park's east edge
    order = got.sort_index()
    assert order["nearest_green_m"].tolist() == [1000.0 * (i + 1) for i in range(N_PLOTS)]
    assert got.attrs["engine"]["read_by"] == "workers"
    assert got.attrs["engine"]["rounds"] >= 3  # halos 1,300, 2,600, 5,200, 10,400 m
    # pieces with no park within their halo are measured again whole; the others, for the
    # nearest distances only
    assert got.attrs["engine"]["plots_measured_again"] >= 1


def test_equal_to_single_on_the_walking_network(city_gpkg, client):
    config = PlannerConfig()
    layers = prepare_layers(read_layers(city_gpkg), config)
    single = score(layers, config, distance="network")
    files = by_part.scan_files(city_gpkg, {})
    got = by_part.score_files(files, config, client=client, distance="network", n_partitions=4)
    assert (got["distance_basis"] == "network").all()
    pd.testing.assert_frame_equal(single, got, check_exact=True)


def test_a_worker_that_cannot_see_the_file(tmp_path, city_gpkg, client):
    moved = tmp_path / "city.gpkg"
    moved.write_bytes(city_gpkg.read_bytes())
    files = by_part.scan_files(moved, {})
    moved.unlink()  # as on a worker without the shared filesystem
    with pytest.raises(engine.EngineError, match="a dask worker cannot read .*same path"):
        by_part.score_files(files, client=client, distance="straight_line")


@pytest.mark.parametrize("address", ["tcp://127.0.0.1:9", "nonsense://nowhere"])
def test_bad_scheduler_address(tmp_path, city_gpkg, monkeypatch, capsys, address):
    monkeypatch.setattr(engine, "CONNECT_TIMEOUT_S", 1)
    out = tmp_path / "x.gpkg"
    argv = ["score", "--layers", str(city_gpkg), "--engine", "dask", "-q", "--out", str(out)]
    assert main([*argv, "--scheduler", address]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1
    assert err.startswith(f"error: cannot reach the dask scheduler at {address} (")
    assert not out.exists()


def test_real_district_in_longitude_latitude(tmp_path, client):
    # Haidian, Beijing (OpenStreetMap, WGS84): the boxes are carried into the Gauss-Kruger
    # zone the single engine chooses, and the workers' pieces give its output exactly
    from tests.realdata import SHARED_DATA

    gpkg = tmp_path / "haidian.gpkg"
    assert main(["import-osm", str(SHARED_DATA / "haidian_cau.osm"), "--out", str(gpkg), "-q"]) == 0
    config = PlannerConfig()
    single = score(prepare_layers(read_layers(gpkg), config), config, distance="straight_line")
    files = by_part.scan_files(gpkg, {})
    assert files.crs == prepare_layers(read_layers(gpkg), config).crs
    assert pyogrio.read_info(gpkg, layer="plots")["crs"] == "EPSG:4326"
    got = by_part.score_files(
        files, config, client=client, distance="straight_line", n_partitions=3
    )
    assert len(got) == 10  # the extract's idle land: brownfield, greenfield, construction
    pd.testing.assert_frame_equal(single, got, check_exact=True)
