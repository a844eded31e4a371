"""Errors of reading and writing files read in 中文 and English (issue 18: messages by key).

Each error is caused for real; ``str(exc)`` stays the English the command line prints,
``exc.localized("zh")`` is Chinese with the file name, the entry and GDAL's words as they are.
"""

from __future__ import annotations

import pickle

import geopandas as gpd
import pytest
from shapely.geometry import box

from planner.errors import (
    EncodingError,
    NoCrsError,
    OutputError,
    UnreadableFileError,
    UnsafeArchiveError,
)
from planner.io.archive import ArchiveLimits, safe_extract
from planner.io.read import load_layer, read_upload
from planner.io.write import write_candidates
from planner.messages import localized
from tests.io_helpers import districts, write_shapefile, zip_bytes

X39, Y0 = 39_500_000.0, 4_330_000.0  # CGCS2000 3-degree zone 39, with the zone in the easting


def test_a_zip_entry_outside_the_archive_in_both_languages(tmp_path):
    z = tmp_path / "上传.zip"
    z.write_bytes(zip_bytes({"../evil.shp": b"x"}))
    with pytest.raises(UnsafeArchiveError) as caught:
        with safe_extract(z):
            pass
    err = caught.value
    assert str(err) == f"{z}: entry '../evil.shp' points outside the archive ('..'); refused"
    assert err.localized("zh") == f"{z}: 压缩包条目“../evil.shp”指向压缩包之外（含“..”），已拒绝"
    assert err.localized("en") == str(err)


def test_a_zip_bomb_caught_while_unpacking_in_both_languages(tmp_path):
    # compressed below the size the header is checked at: the cap counted while writing
    # stops it, and it stays an UnsafeArchiveError (not "cannot be unpacked")
    z = tmp_path / "b.zip"
    z.write_bytes(zip_bytes({"a.csv": b"0" * 500_000}))
    with pytest.raises(UnsafeArchiveError) as caught:
        with safe_extract(z, limits=ArchiveLimits(max_ratio=20)):
            pass
    assert str(caught.value) == (
        f"{z}: entry 'a.csv' expands more than the limit of 20 times (zip bomb?); refused"
    )
    assert caught.value.localized("zh") == (
        f"{z}: 压缩包条目“a.csv”解压后膨胀超过上限 20 倍（疑似压缩炸弹），已拒绝"
    )


def test_a_shapefile_with_no_prj_names_the_zone_in_chinese(tmp_path):
    g = gpd.GeoDataFrame({"n": [1]}, geometry=[box(X39, Y0, X39 + 50, Y0 + 30)], crs=4527)
    shp = write_shapefile(tmp_path, "地块", g, prj=False)
    with pytest.raises(NoCrsError) as caught:
        load_layer(shp, role="plots")
    err = caught.value
    assert str(err).startswith(
        f"{shp}: layer 'plots' has no CRS declared (no .prj); the x values look like "
        "3-degree Gauss-Kruger zone 39 eastings"
    )
    zh = err.localized("zh")
    assert zh.startswith(f"{shp}: 图层“plots”未声明坐标系（缺少 .prj）")
    assert "3 度带高斯-克吕格第 39 带" in zh and "EPSG:4527 (CGCS2000)" in zh
    # a worker process hands the error back pickled: both languages survive
    back = pickle.loads(pickle.dumps(err))
    assert str(back) == str(err) and back.localized("zh") == zh


def test_metres_under_a_geographic_crs_in_chinese(tmp_path):
    g = gpd.GeoDataFrame({"n": [1]}, geometry=[box(X39, Y0, X39 + 50, Y0 + 30)], crs=4326)
    path = tmp_path / "m.geojson"
    g.to_file(path, engine="pyogrio", driver="GeoJSON")
    with pytest.raises(NoCrsError) as caught:
        load_layer(path)
    assert "the file's CRS EPSG:4326 WGS 84 is longitude/latitude in degrees" in str(caught.value)
    zh = caught.value.localized("zh")
    assert "文件声明的坐标系 EPSG:4326 WGS 84 是以度为单位的经纬度" in zh
    assert "但该图层的坐标 x 为 39500000 至 39500050" in zh
    assert "请用 --crs 指定正确的坐标系" in zh


def test_an_unknown_encoding_and_a_missing_file(tmp_path):
    shp = write_shapefile(tmp_path, "d", districts())
    with pytest.raises(EncodingError) as caught:
        load_layer(shp, encoding="klingon")
    assert "unknown text encoding 'klingon'" in str(caught.value)
    assert "未知的文本编码“klingon”" in caught.value.localized("zh")
    with pytest.raises(UnreadableFileError) as caught:
        load_layer(tmp_path / "无.gpkg")
    assert str(caught.value) == f"{tmp_path / '无.gpkg'}: file not found"
    assert caught.value.localized("zh") == f"{tmp_path / '无.gpkg'}: 找不到该文件"


def test_gdal_words_stay_as_they_are(tmp_path):
    bad = tmp_path / "坏.gpkg"
    bad.write_bytes(b"not a database")
    with pytest.raises(UnreadableFileError) as caught:
        load_layer(bad)
    en, zh = str(caught.value), caught.value.localized("zh")
    assert en.startswith(f"{bad}: cannot be read as a GIS file (")
    detail = en[len(f"{bad}: cannot be read as a GIS file (") : -1]
    assert zh == f"{bad}: 无法作为 GIS 文件读取（{detail}）"


def test_an_upload_names_itself_in_the_page_language():
    with pytest.raises(UnsafeArchiveError) as caught:
        read_upload({"a.geojson": b"{}" * 100}, limits=ArchiveLimits(max_total_bytes=10))
    assert str(caught.value) == "upload: is 200 bytes, more than the limit of 10; refused"
    assert caught.value.localized("zh") == "上传: 共 200 字节，超过上限 10 字节，已拒绝"


def test_output_errors_in_chinese(tmp_path):
    with pytest.raises(OutputError) as caught:
        write_candidates(districts(), tmp_path / "候选.docx")
    assert str(caught.value).startswith(f"{tmp_path / '候选.docx'}: unknown output format")
    assert localized(caught.value, "zh").startswith(f"{tmp_path / '候选.docx'}：未知的输出格式")
    with pytest.raises(OutputError) as caught:
        write_candidates(districts(), tmp_path / "无此目录" / "c.csv")
    assert "does not exist" in str(caught.value)
    assert f"文件夹 {tmp_path / '无此目录'} 不存在" in caught.value.localized("zh")


def test_upload_problems_stay_text_and_read_in_chinese():
    from planner.io.read import read_upload_all

    _, problems = read_upload_all({"a.dbf": b"x", "b.geojson": b"{}" * 10}, limits=_tiny())
    found = dict(problems)
    assert all(isinstance(p, str) for p in found.values())
    assert found["a.dbf"] == "a shapefile part without its .shp; drop the .shp with it"
    assert (
        localized(found["a.dbf"], "zh")
        == "这是缺少 .shp 的 shapefile 组成文件；请连同 .shp 一起拖入"
    )
    # an error while reading keeps its English as str and gives its Chinese on request
    assert found["b.geojson"] == "upload: is 20 bytes, more than the limit of 10; refused"
    assert localized(found["b.geojson"], "zh") == "上传: 共 20 字节，超过上限 10 字节，已拒绝"


def _tiny() -> ArchiveLimits:
    return ArchiveLimits(max_total_bytes=10)


def test_a_zone_outside_china_in_chinese():
    from planner.errors import ConfigError
    from planner.io.crs_detect import gauss_kruger_epsg

    with pytest.raises(ConfigError) as caught:
        gauss_kruger_epsg("CGCS2000", 3, 50, zone_in_easting=True)
    assert str(caught.value) == "3-degree zone 50 is outside China (25–45)"
    assert caught.value.localized("zh") == "3 度带第 50 带不在中国范围内（25–45）"
