"""GeoParquet layers through the planner's reader (planner/io/parquet.py)."""

from __future__ import annotations

import json

import geopandas as gpd
import numpy as np
import pyarrow.parquet as pq
import pytest
import shapely

from planner.cli import main
from planner.errors import UnreadableFileError
from planner.io import load_layer


def _plots(crs="EPSG:4326"):
    # five 0.001° squares at 39.9° N (about 85 m x 111 m), ids A..E
    geoms = [shapely.box(116.3 + 0.002 * i, 39.9, 116.301 + 0.002 * i, 39.901) for i in range(5)]
    return gpd.GeoDataFrame({"plot_id": list("ABCDE")}, geometry=geoms, crs=crs)


def _with_geo(path, out, **change):
    """Copy a GeoParquet file with its geometry column's metadata changed."""
    table = pq.read_table(path)
    geo = json.loads(table.schema.metadata[b"geo"])
    for key, value in change.items():
        if value is ...:
            geo["columns"]["geometry"].pop(key)
        else:
            geo["columns"]["geometry"][key] = value
    pq.write_table(table.replace_schema_metadata({b"geo": json.dumps(geo)}), out)
    return out


def test_rows_are_read_from_their_row_groups_and_keep_their_rows(tmp_path):
    path = tmp_path / "plots.parquet"
    _plots().to_parquet(path, row_group_size=2)
    frame, report = load_layer(path, role="plots")
    assert frame["plot_id"].tolist() == list("ABCDE")
    assert report.format == "GeoParquet" and report.crs.startswith("EPSG:4326")
    part, _ = load_layer(path, role="plots", fids=np.array([1, 4]), rows=np.array([1, 4]))
    assert part.index.tolist() == [1, 4]
    assert part["plot_id"].tolist() == ["B", "E"]
    assert shapely.equals(part.geometry.to_numpy(), frame.geometry.to_numpy()[[1, 4]]).all()


def test_inspect_and_layers_name_the_file_as_its_one_layer(tmp_path):
    from planner.io import inspect_file, read_layers

    path = tmp_path / "plots.parquet"
    _plots().to_parquet(path)
    (report,) = inspect_file(path)
    assert (report.name, report.count, report.format) == ("plots", 5, "GeoParquet")
    assert read_layers(path).plots["plot_id"].tolist() == list("ABCDE")


def test_crs_absent_is_ogc_crs84_and_null_is_decided_as_for_any_layer(tmp_path):
    base = tmp_path / "plots.parquet"
    _plots().to_parquet(base)
    frame, _ = load_layer(_with_geo(base, tmp_path / "no_key.parquet", crs=...), role="plots")
    assert frame.crs.to_string() == "OGC:CRS84"  # GeoParquet 1.0: no key means CRS84
    frame, report = load_layer(_with_geo(base, tmp_path / "null.parquet", crs=None), role="plots")
    assert frame.crs.to_epsg() == 4326  # assumed from the coordinates, and said so
    assert report.problems and "assum" in report.problems[0].lower()


def test_a_parquet_file_that_is_not_geoparquet_or_not_wkb_is_refused(tmp_path):
    plain = tmp_path / "plain.parquet"
    _plots().drop(columns="geometry").to_parquet(plain)
    with pytest.raises(UnreadableFileError, match="without GeoParquet metadata"):
        load_layer(plain, role="plots")
    native = tmp_path / "native.parquet"
    _plots().to_parquet(native, geometry_encoding="geoarrow")
    with pytest.raises(UnreadableFileError, match="only WKB is read"):
        load_layer(native, role="plots")


def test_a_truncated_file_is_one_error_line(tmp_path, capsys):
    path = tmp_path / "plots.parquet"
    _plots().to_parquet(path)
    path.write_bytes(path.read_bytes()[:-40])
    out = tmp_path / "o.csv"
    assert main(["score", "--plots", str(path), "-q", "--out", str(out)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith(f"error: {path}: cannot be read as a Parquet")
    assert not out.exists()


def test_a_dropped_geoparquet_file_is_read_like_any_upload(tmp_path):
    from planner.io.read import read_upload_all

    path = tmp_path / "idle_plots.parquet"
    _plots().to_parquet(path)
    layers, problems = read_upload_all({"idle_plots.parquet": path.read_bytes()})
    assert problems == []
    (read,) = layers
    assert read.frame["plot_id"].tolist() == list("ABCDE")
    assert read.report.format == "GeoParquet"
