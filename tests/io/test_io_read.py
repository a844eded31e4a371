"""Reading every format: CRS decisions, broken shapefiles, geometry repair, layer choice."""

from __future__ import annotations

import shutil
import zipfile

import geopandas as gpd
import numpy as np
import pandas as pd
import pyproj
import pytest
import shapely
from shapely.geometry import LineString, Point, Polygon, box

from planner.errors import (
    EmptyLayerError,
    GeometryTypeError,
    LayerChoiceError,
    NoCrsError,
    UnreadableFileError,
)
from planner.io import read_layer, read_layers
from planner.io.read import inspect_file, list_layers, load_layer
from tests.io_helpers import LAT0, LON0, districts, write_shapefile

X39 = 39_500_000.0  # easting carrying 3-degree zone 39 (CM 117 E)
Y0 = 4_330_000.0


# --- CRS ------------------------------------------------------------------------------------


def test_no_prj_lonlat_is_assumed_wgs84_with_a_warning(tmp_path):
    shp = write_shapefile(tmp_path, "a", districts(), prj=False)
    frame, report = load_layer(shp)
    assert frame.crs.equals(pyproj.CRS("EPSG:4326"))
    assert report.crs == "EPSG:4326 WGS 84"
    assert report.crs_how == (
        "assumed: no CRS declared and every coordinate is plain longitude/latitude"
    )
    assert report.problems == [
        "no CRS declared (no .prj); WGS84 longitude/latitude assumed; "
        "give --crs (and --coord-system for GCJ-02/BD-09 data) if that "
        "is wrong"
    ]


def test_no_prj_with_zone_numbered_eastings_names_the_zone(tmp_path):
    g = gpd.GeoDataFrame({"n": [1]}, geometry=[box(X39, Y0, X39 + 50, Y0 + 30)], crs=None)
    shp = write_shapefile(tmp_path, "gk", g.set_crs(4527), prj=False)
    with pytest.raises(
        NoCrsError,
        match=(
            r"gk\.shp: the layer has no CRS declared \(no \.prj\); the x values look like "
            r"3-degree "
            r"Gauss-Kruger zone 39 eastings; declare the datum with --crs, e\.g\. EPSG:4527 "
            r"\(CGCS2000\), EPSG:2363 \(Xian 1980\), EPSG:2415 \(Beijing 1954\)"
        ),
    ):
        load_layer(shp)
    frame, report = load_layer(shp, crs="EPSG:4527")
    assert report.crs == "EPSG:4527 CGCS2000 / 3-degree Gauss-Kruger zone 39"
    assert report.crs_how == "given with --crs"
    # 117 E is the zone's central meridian: x = 500 km there
    assert report.bounds_lonlat[0] == pytest.approx(117.0, abs=1e-6)


def test_no_prj_projected_without_zone_is_an_error(tmp_path):
    g = gpd.GeoDataFrame({"n": [1]}, geometry=[box(500_000, Y0, 500_050, Y0 + 30)], crs="EPSG:4548")
    shp = write_shapefile(tmp_path, "p", g, prj=False)
    with pytest.raises(
        NoCrsError,
        match=r"p\.shp: layer 'plots' has no CRS declared \(no "
        r"\.prj\) and its coordinates are not plainly "
        r"longitude/latitude; declare it with --crs",
    ):
        read_layer(shp, role="plots")


def test_whole_number_grid_is_not_taken_for_lonlat(tmp_path):
    # a 10 x 10 square at the origin is a drawing grid, not a spot in the Gulf of Guinea
    g = gpd.GeoDataFrame({"n": [1]}, geometry=[box(0, 0, 10, 10)], crs=4326)
    shp = write_shapefile(tmp_path, "cad", g, prj=False)
    with pytest.raises(
        NoCrsError,
        match=r"cad\.shp: the layer has no CRS declared \(no \.prj\) "
        r"and its coordinates are not plainly",
    ):
        load_layer(shp)
    g = gpd.GeoDataFrame({"n": [1]}, geometry=[box(0, 0, 10.5, 10)], crs=4326)
    shp = write_shapefile(tmp_path, "ll", g, prj=False)
    assert load_layer(shp)[1].crs == "EPSG:4326 WGS 84"


def test_esri_prj_is_recognised_and_zone_prefix_corrected(tmp_path):
    # an ArcGIS .prj for "CGCS2000 3 Degree GK CM 117E" over eastings that carry zone 39
    g = gpd.GeoDataFrame({"n": [1]}, geometry=[box(X39, Y0, X39 + 50, Y0 + 30)])
    shp = write_shapefile(tmp_path, "esri", g.set_crs(4527), prj=False)
    (tmp_path / "esri.prj").write_text(pyproj.CRS.from_epsg(4548).to_wkt("WKT1_ESRI"))
    frame, report = load_layer(shp)
    assert report.crs == "EPSG:4527 CGCS2000 / 3-degree Gauss-Kruger zone 39"
    assert report.crs_how.startswith(
        "declared by the file, corrected: the eastings carry zone number 39"
    )
    assert frame.to_crs(4490).total_bounds[0] == pytest.approx(117.0, abs=1e-6)


@pytest.mark.parametrize(
    ("epsg", "label"),
    [
        (4490, "EPSG:4490 China Geodetic Coordinate System 2000"),
        (4502, "EPSG:4502 CGCS2000 / Gauss-Kruger CM 75E"),
        (4491, "EPSG:4491 CGCS2000 / Gauss-Kruger zone 13"),
        (2364, "EPSG:2364 Xian 1980 / 3-degree Gauss-Kruger zone 40"),
        (2385, "EPSG:2385 Xian 1980 / 3-degree Gauss-Kruger CM 120E"),
        (2436, "EPSG:2436 Beijing 1954 / 3-degree Gauss-Kruger CM 117E"),
    ],
)
def test_chinese_crs_are_named(tmp_path, epsg, label):
    lon = {4502: 75.1, 4491: 75.1, 2364: 120.1, 2385: 120.1}.get(epsg, LON0)
    where = gpd.GeoSeries([Point(lon, 39.0)], crs=4326).to_crs(epsg)
    geom = where.buffer(10) if where.crs.is_projected else where
    gpd.GeoDataFrame({"n": [1]}, geometry=geom.to_numpy(), crs=epsg).to_file(
        tmp_path / "x.gpkg", engine="pyogrio"
    )
    _, report = load_layer(tmp_path / "x.gpkg")
    assert report.crs == label
    assert report.crs_how == "declared by the file"
    ballpark = [p for p in report.problems if "ballpark transformation" in p]
    assert len(ballpark) == (1 if label.startswith("EPSG:23") else 0)


def test_gcj02_points_land_on_known_wgs84_positions(tmp_path):
    # eviltransform's reference points: GCJ-02 as stored by Amap, WGS84 as surveyed
    gcj = [(121.531541859215, 31.17530398364597), (116.38404722455657, 39.91334545536069)]
    wgs = [(121.5272106, 31.1774276), (116.377817, 39.911954)]
    g = gpd.GeoDataFrame({"name": ["上海", "北京"]}, geometry=[Point(p) for p in gcj])
    shp = write_shapefile(tmp_path, "amap", g.set_crs(4326), prj=False)
    frame, report = load_layer(shp, role="pois", coord_system="gcj02")
    np.testing.assert_allclose(shapely.get_coordinates(frame.geometry.to_numpy()), wgs, atol=1e-9)
    assert report.fixes == {"coordinates_converted": 2}
    assert report.coord_system == "gcj02"
    assert report.problems == [
        "no CRS declared (no .prj); longitude/latitude in gcj02 "
        "assumed, as declared with --coord-system"
    ]


def test_gcj02_on_projected_data_is_an_error(tmp_path):
    g = gpd.GeoDataFrame({"n": [1]}, geometry=[box(X39, Y0, X39 + 5, Y0 + 5)], crs=4527)
    g.to_file(tmp_path / "m.gpkg", engine="pyogrio")
    with pytest.raises(
        NoCrsError,
        match="--coord-system gcj02 applies to longitude/latitude "
        "data, but the layer is in EPSG:4527",
    ):
        load_layer(tmp_path / "m.gpkg", coord_system="gcj02")


def test_real_tianjin_gcj02_conversion_moves_districts_a_few_hundred_metres():
    from tests.io.test_io_encoding import TIANJIN

    raw, _ = load_layer(TIANJIN)
    wgs, report = load_layer(TIANJIN, coord_system="gcj02")
    assert len(wgs) == 16 and "西青区" in set(wgs["name"])
    metric = "EPSG:4548"
    shift = raw.to_crs(metric).centroid.distance(wgs.to_crs(metric).centroid)
    assert shift.between(300, 800).all()
    assert report.fixes["coordinates_converted"] == 16


# --- broken shapefiles ----------------------------------------------------------------------


def test_truncated_shp(tmp_path):
    shp = write_shapefile(tmp_path, "t", districts())
    size = shp.stat().st_size
    shp.write_bytes(shp.read_bytes()[: size - 40])
    with pytest.raises(
        UnreadableFileError,
        match=rf"t\.shp: the \.shp is truncated: its header "
        rf"says {size} bytes, the file has {size - 40}",
    ):
        load_layer(shp)


@pytest.mark.parametrize(("ext", "what"), [(".shx", "index"), (".dbf", "attribute table")])
def test_missing_shapefile_part(tmp_path, ext, what):
    shp = write_shapefile(tmp_path, "m", districts())
    (tmp_path / f"m{ext}").unlink()
    with pytest.raises(
        UnreadableFileError,
        match=rf"m\.shp: the shapefile's \{ext} {what} is "
        r"missing; give all its parts",
    ):
        load_layer(shp)


def test_not_a_shapefile(tmp_path):
    shp = write_shapefile(tmp_path, "n", districts())
    shp.write_bytes(b"hello" * 40)
    with pytest.raises(UnreadableFileError, match=r"n\.shp: is not a shapefile"):
        load_layer(shp)


def test_missing_file():
    with pytest.raises(UnreadableFileError, match=r"nowhere\.gpkg: file not found"):
        read_layer("nowhere.gpkg")


# --- geometry -------------------------------------------------------------------------------

BOWTIE = Polygon([(X39, Y0), (X39 + 20, Y0 + 20), (X39 + 20, Y0), (X39, Y0 + 20)])


def test_repair_report_counts_every_fix(tmp_path):
    g = gpd.GeoDataFrame(
        {"plot_id": ["ok", "null", "empty", "bowtie"]},
        geometry=[box(X39, Y0, X39 + 10, Y0 + 10), None, Polygon(), BOWTIE],
        crs=4527,
    )
    g.to_file(tmp_path / "p.gpkg", engine="pyogrio")
    frame, report = load_layer(tmp_path / "p.gpkg", role="plots")
    assert frame["plot_id"].tolist() == ["ok", "bowtie"]
    assert report.fixes == {
        "dropped_null": 1,
        "dropped_empty": 1,
        "repaired_invalid": 1,
        "multipart_kept": 1,
    }
    assert report.touched == {
        "dropped_null": ["null"],
        "dropped_empty": ["empty"],
        "repaired_invalid": ["bowtie"],
    }
    fixed = frame.geometry.iloc[1]
    # the bow-tie becomes its two triangles of 10 x 20 / 2 = 100 m² each
    assert fixed.geom_type == "MultiPolygon" and len(fixed.geoms) == 2
    assert fixed.area == pytest.approx(200.0)
    assert fixed.is_valid
    assert report.count == 2
    assert report.geometry_type == "MultiPolygon, Polygon"


def test_repair_keeps_only_polygon_parts_of_a_collection(tmp_path):
    coll = shapely.GeometryCollection(
        [box(X39, Y0, X39 + 10, Y0 + 10), LineString([(X39, Y0), (X39 + 50, Y0 + 50)])]
    )
    g = gpd.GeoDataFrame({"plot_id": ["c"]}, geometry=[coll], crs=4527)
    g.to_file(tmp_path / "c.geojson", engine="pyogrio", driver="GeoJSON")
    frame, report = load_layer(tmp_path / "c.geojson", role="plots", crs="EPSG:4527")
    assert frame.geometry.iloc[0].equals(box(X39, Y0, X39 + 10, Y0 + 10))
    assert report.fixes == {"collections_reduced": 1}


def test_points_given_as_plots(tmp_path):
    g = gpd.GeoDataFrame(
        {"n": [1, 2]}, geometry=[Point(LON0, LAT0), Point(LON0, LAT0 + 0.01)], crs=4326
    )
    g.to_file(tmp_path / "pts.geojson", engine="pyogrio", driver="GeoJSON")
    with pytest.raises(
        GeometryTypeError,
        match=r"pts\.geojson: layer 'plots' \(idle / "
        r"candidate plots\) needs polygon geometries, "
        r"found point",
    ):
        read_layers(role_files={"plots": tmp_path / "pts.geojson"})


def test_empty_layer(tmp_path):
    g = gpd.GeoDataFrame({"n": []}, geometry=[], crs=4326)
    g.to_file(tmp_path / "e.gpkg", engine="pyogrio", layer="plots")
    with pytest.raises(EmptyLayerError, match=r"e\.gpkg: layer 'plots' has no features"):
        load_layer(tmp_path / "e.gpkg", role="plots")
    g = gpd.GeoDataFrame({"n": [1]}, geometry=[None], crs=4326)
    g.to_file(tmp_path / "n.gpkg", engine="pyogrio", layer="plots")
    with pytest.raises(
        EmptyLayerError,
        match=r"n\.gpkg: layer 'plots' has no features "
        r"with geometry",
    ):
        load_layer(tmp_path / "n.gpkg", role="plots")


# --- formats and layer choice ---------------------------------------------------------------


def test_geopackage_layer_listing_and_choice(tmp_path):
    gpkg = tmp_path / "city.gpkg"
    districts().to_file(gpkg, layer="districts", engine="pyogrio")
    districts(names=("甲",)).to_file(gpkg, layer="plots", engine="pyogrio")
    districts(names=("乙", "丙")).to_file(gpkg, layer="other", engine="pyogrio")
    assert list_layers(gpkg) == ["districts", "plots", "other"]
    with pytest.raises(
        LayerChoiceError,
        match=r"city\.gpkg: has 3 layers \(districts, plots, "
        r"other\); choose one",
    ):
        load_layer(gpkg)
    assert load_layer(gpkg, role="plots")[0]["name"].tolist() == ["甲"]
    assert read_layer(f"{gpkg}:other")["name"].tolist() == ["乙", "丙"]
    with pytest.raises(LayerChoiceError, match="has no layer 'nope'; layers: districts, plots"):
        read_layer(f"{gpkg}:nope")
    layers = read_layers(role_files={"plots": f"{gpkg}:districts"})
    assert len(layers.plots) == 3


def test_csv_with_chinese_coordinate_columns_in_gbk(tmp_path):
    csv = tmp_path / "pois.csv"
    csv.write_bytes(
        "名称,类别,经度,纬度\n西青医院,医院,117.2,39.1\n无坐标,学校,,\n"
        "南开小学,学校,117.21,39.12\n".encode("gbk")
    )
    frame, report = load_layer(csv, role="pois")
    assert frame["名称"].tolist() == ["西青医院", "南开小学"]
    assert shapely.get_coordinates(frame.geometry.to_numpy()).tolist() == [
        [117.2, 39.1],
        [117.21, 39.12],
    ]
    assert report.encoding == "gb18030"
    assert report.fixes == {"dropped_no_coordinates": 1}
    assert report.crs == "EPSG:4326 WGS 84"


def test_csv_without_coordinates_is_an_error(tmp_path):
    csv = tmp_path / "t.csv"
    csv.write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(UnreadableFileError, match="has no longitude/latitude columns"):
        load_layer(csv)


def test_xlsx_with_lon_lat_sheets(tmp_path):
    xlsx = tmp_path / "p.xlsx"
    with pd.ExcelWriter(xlsx, engine="openpyxl") as xl:
        pd.DataFrame(
            {"name": ["停车场"], "Longitude": [117.2], "Latitude": [39.1], "capacity": [40]}
        ).to_excel(xl, sheet_name="lots", index=False)
        pd.DataFrame({"x": [1]}).to_excel(xl, sheet_name="notes", index=False)
    assert list_layers(xlsx) == ["lots", "notes"]
    frame, report = load_layer(xlsx, role="parking")
    assert frame["name"].tolist() == ["停车场"] and frame["capacity"].tolist() == [40]
    assert (report.name, report.format) == ("lots", "XLSX")


def test_kml_and_kmz(tmp_path):
    kml = tmp_path / "d.kml"
    districts().to_file(kml, driver="KML", engine="pyogrio")
    frame, report = load_layer(kml, role="plots")
    assert sorted(frame["Name"]) == sorted(["西青区", "和平区", "河东区"])
    kmz = tmp_path / "d.kmz"
    with zipfile.ZipFile(kmz, "w") as zf:
        zf.write(kml, "doc.kml")
        zf.writestr("files/icon.png", b"\x89PNG")
    frame2, report2 = load_layer(kmz, role="plots")
    assert frame2["Name"].tolist() == frame["Name"].tolist()
    assert report2.source == f"{kmz}/doc.kml"


def test_zipped_file_geodatabase(tmp_path):
    gdb = tmp_path / "city.gdb"
    d = districts()
    d["code"] = d["code"].astype("int32")  # Integer64 needs a newer ArcGIS target
    d.to_file(gdb, driver="OpenFileGDB", layer="plots", engine="pyogrio")
    archive = shutil.make_archive(str(tmp_path / "city"), "zip", tmp_path, "city.gdb")
    frame, report = load_layer(archive, role="plots")
    assert frame["name"].tolist() == ["西青区", "和平区", "河东区"]
    assert report.format == "OpenFileGDB"
    assert report.source == f"{archive}/city.gdb"


def test_inspect_reports_every_layer(tmp_path):
    gpkg = tmp_path / "two.gpkg"
    districts().to_file(gpkg, layer="a", engine="pyogrio")
    gpd.GeoDataFrame(
        {"k": ["x"]}, geometry=[LineString([(LON0, LAT0), (LON0 + 0.01, LAT0)])], crs=4326
    ).to_file(gpkg, layer="b", engine="pyogrio")
    reports = inspect_file(gpkg)
    assert [(r.name, r.geometry_type, r.count) for r in reports] == [
        ("a", "Polygon", 3),
        ("b", "LineString", 1),
    ]
    assert reports[0].samples["name"] == ["西青区", "和平区", "河东区"]
    assert reports[0].bounds_lonlat == (LON0, LAT0, LON0 + 0.05, LAT0 + 0.01)


def test_inspect_reports_an_unusable_layer_among_usable_ones(tmp_path):
    xlsx = tmp_path / "p.xlsx"
    with pd.ExcelWriter(xlsx, engine="openpyxl") as xl:
        pd.DataFrame({"lon": [117.2], "lat": [39.1]}).to_excel(xl, sheet_name="pts", index=False)
        pd.DataFrame({"note": ["说明"]}).to_excel(xl, sheet_name="notes", index=False)
    good, bad = inspect_file(xlsx)
    assert (good.name, good.count, good.problems[0][:16]) == ("pts", 1, "no CRS declared ")
    assert (bad.name, bad.count) == ("notes", 0)
    assert bad.problems == [
        "cannot be used: has no longitude/latitude columns; name them lon "
        "and lat (or longitude/latitude, 经度/纬度, x/y)"
    ]
    only_notes = tmp_path / "n.xlsx"
    pd.DataFrame({"note": ["说明"]}).to_excel(only_notes, index=False)
    with pytest.raises(UnreadableFileError, match="has no longitude/latitude columns"):
        inspect_file(only_notes)


def test_sample_values_found_beyond_the_first_rows():
    """Samples are the first distinct values of a column, however late they first appear."""
    from planner.io.read import _SAMPLE_SCAN_ROWS, _samples

    n = _SAMPLE_SCAN_ROWS + 5_000
    late = ["A"] * (_SAMPLE_SCAN_ROWS + 10) + ["B", None, "A", "C", "D"] + ["A"] * 4_985
    mixed = [f"v{i % 7}" for i in range(n)]
    frame = gpd.GeoDataFrame(
        {"late": late, "mixed": mixed},
        geometry=gpd.points_from_xy(range(n), range(n)),
        crs="EPSG:4548",
    )
    assert _samples(frame) == {"late": ["A", "B", "C"], "mixed": ["v0", "v1", "v2"]}


def test_a_folder_reads_as_the_dataset_in_it(tmp_path):
    from planner.errors import LayerChoiceError

    one = tmp_path / "one"
    one.mkdir()
    g = gpd.GeoDataFrame({"plot_id": ["a"]}, geometry=[box(X39, Y0, X39 + 10, Y0 + 20)], crs=4527)
    g.to_file(one / "plots.shp", engine="pyogrio")
    frame, report = load_layer(one, role="plots")
    assert frame["plot_id"].tolist() == ["a"]
    assert report.source == f"{one}/plots.shp"
    g.to_file(one / "green.geojson", engine="pyogrio")
    with pytest.raises(LayerChoiceError, match="2 datasets"):
        load_layer(one, role="plots")
    frame, _ = load_layer(f"{one}:green.geojson", role="green")
    assert frame.to_crs(4527).area.iloc[0] == pytest.approx(200.0)
