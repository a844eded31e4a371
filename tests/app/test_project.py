"""Uploads: reading files a person drops on the app, safely, into the user's project."""

from __future__ import annotations

import io
import os
import tempfile
import zipfile
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import Point, box

from planner.app.uploads import (
    Project,
    layer_summary,
    plots_in_circles,
    read_upload,
    upload_layer_names,
)
from planner.errors import (
    ConfigError,
    EmptyLayerError,
    GeometryTypeError,
    InputFileError,
    NoCrsError,
    PlannerError,
    UnsafeArchiveError,
)

PLOTS = gpd.GeoDataFrame(
    {"plot_id": ["U1", "U2"], "name": ["甲", "乙"]},
    geometry=[box(116.35, 40.0, 116.3505, 40.0004), box(116.352, 40.0, 116.3526, 40.0005)],
    crs="EPSG:4326",
)


def _shapefile_parts(
    tmp_path: Path, frame: gpd.GeoDataFrame = PLOTS, *, prj: bool = True
) -> dict[str, bytes]:
    frame.to_file(tmp_path / "plots.shp", engine="pyogrio", encoding="UTF-8")
    parts = {p.name: p.read_bytes() for p in tmp_path.glob("plots.*")}
    if not prj:
        parts.pop("plots.prj", None)
    return parts


def _zip(parts: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
    return buf.getvalue()


def _temp_entries() -> set[str]:
    return {n for n in os.listdir(tempfile.gettempdir()) if n.startswith("planner-upload-")}


def test_zipped_shapefile_is_read_and_nothing_is_left_on_disk(tmp_path):
    before = _temp_entries()
    layer = read_upload({"plots.zip": _zip(_shapefile_parts(tmp_path))}, role="plots")
    assert layer.role == "plots"
    assert layer.frame["plot_id"].tolist() == ["U1", "U2"]
    assert layer.frame["name"].tolist() == ["甲", "乙"]
    assert layer.frame.crs.to_epsg() == 4326
    assert layer.report["count"] == 2
    assert _temp_entries() == before


def test_loose_shapefile_parts_and_geojson(tmp_path):
    loose = read_upload(_shapefile_parts(tmp_path), role="plots")
    assert len(loose.frame) == 2
    gj = read_upload({"p.geojson": PLOTS.to_json().encode()}, role="plots")
    assert gj.frame["plot_id"].tolist() == ["U1", "U2"]


def test_csv_with_coordinates_becomes_points():
    data = "名称,经度,纬度,category\n学校,116.35,40.0,school\n坏行,,40.1,x\n".encode()
    layer = read_upload({"pois.csv": data}, role="pois")
    assert layer.frame.geometry.iloc[0] == Point(116.35, 40.0)
    assert len(layer.frame) == 1  # the row without longitude is dropped


def test_geopackage_layer_choice(tmp_path):
    path = tmp_path / "two.gpkg"
    PLOTS.to_file(path, layer="plots", engine="pyogrio")
    PLOTS.to_file(path, layer="other", engine="pyogrio")
    files = {"two.gpkg": path.read_bytes()}
    assert sorted(upload_layer_names(files)) == ["other", "plots"]
    assert len(read_upload(files, role="plots").frame) == 2  # layer named after the role
    assert len(read_upload(files, role="green", layer="other").frame) == 2


@pytest.mark.parametrize("name", ["../evil.shp", "a/b.shp", ".hidden.shp", "x.exe", "x.py"])
def test_unsafe_or_unexpected_file_names_are_refused(name):
    with pytest.raises(UnsafeArchiveError):
        read_upload({name: b"x"}, role="plots")


def test_zip_with_path_traversal_is_refused_and_writes_nothing(tmp_path):
    evil = _zip({"../../escaped.shp": b"x"})
    target = Path(tempfile.gettempdir()) / "escaped.shp"
    with pytest.raises(UnsafeArchiveError, match="outside the archive"):
        read_upload({"evil.zip": evil}, role="plots")
    assert not target.exists()


def test_zip_bomb_is_refused():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("big.geojson", b"0" * 20_000_000)
    with pytest.raises(UnsafeArchiveError, match="zip bomb"):
        read_upload({"bomb.zip": buf.getvalue()}, role="plots")


def test_bad_uploads_raise_typed_errors(tmp_path):
    local = gpd.GeoDataFrame(
        {"plot_id": ["L"]}, geometry=[box(1000, 1000, 1040, 1030)], crs="EPSG:3857"
    )  # written, then its .prj left out
    with pytest.raises(NoCrsError):  # a local grid with no .prj: no CRS can be assumed
        read_upload(_shapefile_parts(tmp_path, local, prj=False), role="plots")
    with pytest.raises(GeometryTypeError, match="polygon"):
        points = PLOTS.set_geometry(PLOTS.geometry.representative_point())
        read_upload({"p.geojson": points.to_json().encode()}, role="plots")
    with pytest.raises(InputFileError):
        read_upload({"broken.geojson": b"{not json"}, role="plots")
    with pytest.raises(EmptyLayerError):
        read_upload({}, role="plots")
    with pytest.raises(ConfigError, match="unknown role"):
        read_upload({"p.geojson": b"{}"}, role="trees")
    with pytest.raises(ConfigError, match="not a CRS"):
        read_upload({"p.geojson": PLOTS.to_json().encode()}, role="plots", crs="EPSG:nope")


def test_crs_override_is_applied():
    metric = PLOTS.to_crs("EPSG:4547")
    data = metric.to_json().encode()  # GeoJSON written without its projected CRS
    layer = read_upload({"p.geojson": data}, role="plots", crs="EPSG:4547")
    assert layer.frame.crs.to_epsg() == 4547
    assert layer.report["crs_how"].startswith("given")


def test_project_never_mixes_and_keys_change_with_data(tmp_path):
    project = Project()
    assert not project.ready
    with pytest.raises(PlannerError):
        project.to_layers()
    project.add(read_upload({"p.geojson": PLOTS.to_json().encode()}, role="plots"))
    key1 = project.key
    layers = project.to_layers()
    assert layers.plots is not None and layers.green is None and layers.roads is None
    project.add(read_upload({"g.geojson": PLOTS.to_json().encode()}, role="green"))
    assert project.key != key1
    project.remove("green")
    assert project.key == key1


def test_layer_summary_rows():
    summary = layer_summary(
        {
            "plots": {
                "source": "a.zip",
                "count": 3,
                "geometry_type": "Polygon",
                "crs": "EPSG:4326",
                "crs_how": "from file",
                "fixes": {"repaired_invalid": 1},
                "problems": ["assumed"],
            }
        }
    )
    assert summary.iloc[0].to_dict() == {
        "role": "plots",
        "source": "a.zip",
        "features": 3,
        "geometry": "Polygon",
        "crs": "EPSG:4326 (from file)",
        "encoding": "",
        "repairs": "repaired_invalid 1",
        "notes": "assumed",
    }


def test_plots_in_circles_by_point_inside():
    from planner.layers import Layers

    metric = PLOTS.to_crs("EPSG:4547")
    b = metric.total_bounds
    circles = gpd.GeoDataFrame(
        {"circle_name": ["西", "东"]},
        geometry=[
            box(b[0] - 10, b[1] - 10, (b[0] + b[2]) / 2, b[3] + 10),
            box((b[0] + b[2]) / 2 + 1e6, b[1], b[2] + 1e6, b[3]),
        ],
        crs="EPSG:4547",
    )
    out = plots_in_circles(metric, Layers(plots=metric, life_circles=circles))
    assert out.tolist()[0] == "西"
    assert pd.isna(out.iloc[1])


def test_upload_over_the_apps_cap_is_refused_before_reading(monkeypatch):
    import dataclasses

    from planner.app import uploads as proj_module
    from planner.errors import UnsafeArchiveError

    small = dataclasses.replace(proj_module.UPLOAD_LIMITS, max_total_bytes=10)
    monkeypatch.setattr(proj_module, "UPLOAD_LIMITS", small)
    with pytest.raises(UnsafeArchiveError, match="more than the limit of 10"):
        proj_module.read_upload({"a.geojson": b"x" * 11}, role="plots")


def test_layer_summary_names_the_features_a_repair_touched():
    summary = layer_summary(
        {
            "plots": {
                "source": "a.geojson",
                "count": 1,
                "fixes": {"dropped_unreadable": 2, "multipart_kept": 1},
                "touched": {"dropped_unreadable": ["P7", "P9"]},
            }
        }
    )
    assert summary.iloc[0]["repairs"] == "dropped_unreadable 2 (P7, P9), multipart_kept 1"
