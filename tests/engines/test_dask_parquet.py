"""GeoParquet layers read by part on the dask workers: the client reads boxes only.

The broken city (tests/engines/broken_city.py) written as GeoParquet 1.1, four rows a row
group: the plots with the ``bbox`` covering column, the other layers without (their boxes
are read from the geometry column, one row group at a time).
"""

from __future__ import annotations

import threading

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pyogrio
import pytest
import shapely

from planner.cli import main
from planner.config import PlannerConfig
from planner.engines import files as by_part
from planner.io import read_layers
from planner.io.geometry import geometries_from_wkb
from planner.io.parquet import geoparquet_bounds
from planner.layers import prepare_layers
from planner.scoring import score
from tests.engines.broken_city import N_PLOTS, X0, Y0, build, to_geoparquet


@pytest.fixture(scope="module")
def city(tmp_path_factory):
    folder = tmp_path_factory.mktemp("parquet")
    return to_geoparquet(build(folder / "city.gpkg"), folder)


def _args(city):
    return [a for role, path in city.items() for a in (f"--{role}", str(path))]


def test_boxes_from_the_covering_column_and_from_the_geometries(city):
    with_bbox, crs = geoparquet_bounds(city["plots"], "plots")
    assert crs.to_epsg() == 4548
    assert "bbox" in pq.ParquetFile(city["plots"]).schema_arrow.names
    # the hand-known boxes: plot i is a 30 m square at X0 + 500 i (P3 and P10 have none)
    assert with_bbox[0].tolist() == [X0, Y0, X0 + 30.0, Y0 + 30.0]
    assert np.isnan(with_bbox[[3, 10]]).all()
    assert np.isfinite(np.delete(with_bbox, [2, 3, 10], axis=0)).all()
    # without a covering column, from the geometries, built as the reader builds them
    homes, _ = geoparquet_bounds(city["residential"], "homes")
    wkb = pq.read_table(city["residential"], columns=["geometry"]).column(0).to_pylist()
    expected = shapely.bounds(geometries_from_wkb(np.array(wkb, dtype=object))[0])
    np.testing.assert_array_equal(homes, expected)
    files = by_part.scan_files(None, city)
    # the unclosed ring P1 has a box and is read for measuring; P3, P10 (no geometry) and P2
    # (a ring of two points: no box in the covering column) only for their notes
    assert files.layers["plots"].rows.tolist() == [0, 1, 4, 5, 6, 7, 8, 9, 11]
    assert files.layers["plots"].boxless[:, 1].tolist() == [2, 3, 10]


def test_equal_to_single_and_no_layer_read_whole_on_the_client(
    city, cluster, tmp_path, monkeypatch, capsys
):
    base = ["score", *_args(city), "--distance", "straight_line", "-q"]
    one, two = tmp_path / "one" / "out.gpkg", tmp_path / "two" / "out.gpkg"
    one.parent.mkdir(), two.parent.mkdir()
    assert main([*base, "--out", str(one)]) == 0
    single_err = capsys.readouterr().err.replace(str(one), "OUT")
    reads = []
    for name in ("read", "read_row_group", "read_row_groups", "iter_batches"):
        real = getattr(pq.ParquetFile, name)

        def spy(self, *args, _real=real, _name=name, **kwargs):
            reads.append(
                (
                    threading.current_thread() is threading.main_thread(),
                    _name,
                    "plot_id" in self.schema_arrow.names,
                    kwargs.get("columns"),
                    args[0] if args else None,
                )
            )
            return _real(self, *args, **kwargs)

        monkeypatch.setattr(pq.ParquetFile, name, spy)
    argv = [*base, "--engine", "dask", "--scheduler", cluster.scheduler_address]
    assert main([*argv, "--out", str(two)]) == 0
    assert capsys.readouterr().err.replace(str(two), "OUT") == single_err
    on_client = [r for r in reads if r[0]]
    on_workers = [r for r in reads if not r[0]]
    # the client read boxes only: the covering column, or the geometry column by row group
    assert on_client and all(r[3] in (["bbox"], ["geometry"]) for r in on_client)
    assert {r[1] for r in on_client} == {"read", "read_row_group"}
    # the workers read row groups, and no worker read every row group of the plots
    assert on_workers and all(r[1] == "read_row_groups" for r in on_workers)
    plot_reads = [r[4] for r in on_workers if r[2]]
    assert plot_reads and all(len(groups) < 3 for groups in plot_reads)
    a, b = pyogrio.read_dataframe(one), pyogrio.read_dataframe(two)
    pd.testing.assert_frame_equal(
        a.drop(columns="geometry"), b.drop(columns="geometry"), check_exact=True
    )
    assert (a.geometry.to_wkb() == b.geometry.to_wkb()).all()
    assert a["plot_id"].tolist() == ["P0", "P1", "P4", "P6", "P7", "P8", "P9", "P11"]


def test_score_files_equals_score(city, client):
    config = PlannerConfig()
    roles = {role: str(path) for role, path in city.items()}
    single = score(prepare_layers(read_layers(None, roles), config), config, distance="network")
    files = by_part.scan_files(None, roles)
    got = by_part.score_files(files, config, client=client, distance="network", n_partitions=3)
    pd.testing.assert_frame_equal(single, got, check_exact=True)
    assert got.attrs["engine"]["read_by"] == "workers"
    assert len(got) == N_PLOTS - 4  # P2, P3, P5, P10 dropped on reading


def test_layers_given_as_one_parquet_file_named_by_its_role(city, client):
    files = by_part.scan_files(city["plots"], {"roads": city["roads"]})
    assert set(files.layers) == {"plots", "roads"}
    assert files.layers["plots"].source == f"{city['plots']}:plots"  # as read_layers says
    config = PlannerConfig()
    single = score(
        prepare_layers(read_layers(city["plots"], {"roads": city["roads"]}), config),
        config,
        distance="straight_line",
    )
    got = by_part.score_files(files, config, client=client, distance="straight_line")
    pd.testing.assert_frame_equal(single, got, check_exact=True)


@pytest.mark.parametrize("engine", ["single", "dask"])
def test_a_truncated_parquet_file_is_one_error_line(city, cluster, tmp_path, capsys, engine):
    cut = tmp_path / "plots.parquet"
    cut.write_bytes(city["plots"].read_bytes()[:600])
    out = tmp_path / "out.gpkg"
    argv = ["score", *_args({**city, "plots": cut}), "-q", "--out", str(out)]
    if engine == "dask":
        argv += ["--engine", "dask", "--scheduler", cluster.scheduler_address]
    assert main(argv) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1
    assert err[0].startswith(f"error: {cut}: cannot be read as a Parquet file")
    assert not out.exists()


def test_real_district_written_as_geoparquet(tmp_path, client):
    # Haidian, Beijing (OpenStreetMap, WGS84), each role written by GeoPandas as GeoParquet
    # with the bbox column: the workers' parts give the single engine's output exactly
    import geopandas as gpd

    from tests.realdata import SHARED_DATA

    gpkg = tmp_path / "haidian.gpkg"
    assert main(["import-osm", str(SHARED_DATA / "haidian_cau.osm"), "--out", str(gpkg), "-q"]) == 0
    roles = {}
    for name in pyogrio.list_layers(gpkg)[:, 0]:
        roles[str(name)] = tmp_path / f"{name}.parquet"
        gpd.read_file(gpkg, layer=name).to_parquet(
            roles[str(name)], write_covering_bbox=True, row_group_size=50
        )
    config = PlannerConfig()
    single = score(prepare_layers(read_layers(None, roles), config), config, distance="network")
    files = by_part.scan_files(None, roles)
    assert files.crs.to_epsg() == 4548  # the Gauss-Kruger zone of 117° E, as for the GeoPackage
    got = by_part.score_files(files, config, client=client, distance="network", n_partitions=3)
    assert len(got) == 10
    pd.testing.assert_frame_equal(single, got, check_exact=True)
