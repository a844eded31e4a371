"""Untrusted zip archives: every refusal is a clear UnsafeArchiveError; temp folders vanish."""

from __future__ import annotations

import stat
import tempfile
import zipfile
from pathlib import Path

import pandas as pd
import pytest

from planner.errors import LayerChoiceError, UnreadableFileError, UnsafeArchiveError
from planner.io.archive import ArchiveLimits, safe_extract
from planner.io.read import list_upload_layers, load_layer, read_upload
from tests.io.test_io_osm import TINY
from tests.io_helpers import districts, folder_files, write_shapefile, zip_bytes


def _zip(tmp_path: Path, entries: dict[str, bytes], name: str = "up.zip") -> Path:
    p = tmp_path / name
    p.write_bytes(zip_bytes(entries))
    return p


def test_path_traversal_is_refused(tmp_path):
    z = _zip(tmp_path, {"ok.prj": b"x", "../../evil.shp": b"x"})
    with pytest.raises(
        UnsafeArchiveError,
        match=r"up\.zip: entry '\.\./\.\./evil\.shp' points "
        r"outside the archive \('\.\.'\); refused",
    ):
        with safe_extract(z):
            pass
    assert not (tmp_path.parent / "evil.shp").exists()


def test_absolute_path_is_refused(tmp_path):
    z = _zip(tmp_path, {"/etc/evil.shp": b"x"})
    with pytest.raises(UnsafeArchiveError, match="entry '/etc/evil.shp' has an absolute path"):
        load_layer(z)


def test_symlink_entry_is_refused(tmp_path):
    p = tmp_path / "link.zip"
    with zipfile.ZipFile(p, "w") as zf:
        info = zipfile.ZipInfo("a.shp")
        info.external_attr = (stat.S_IFLNK | 0o777) << 16
        zf.writestr(info, "/etc/passwd")
    with pytest.raises(UnsafeArchiveError, match="entry 'a.shp' is a symbolic link"):
        load_layer(p)


def test_zip_bomb_ratio_is_refused(tmp_path):
    # 20 MB of zeros deflate to about 20 kB: a ratio near 1000
    z = _zip(tmp_path, {"bomb.geojson": b"\0" * 20_000_000})
    with pytest.raises(
        UnsafeArchiveError,
        match=r"entry 'bomb\.geojson' expands \d+ times, more "
        r"than the limit of 200 \(zip bomb\?\); refused",
    ):
        load_layer(z)


def test_total_size_cap_is_configurable(tmp_path):
    z = _zip(tmp_path, {"a.geojson": b"x" * 5000})
    small = ArchiveLimits(max_total_bytes=4000, max_ratio=1e9)
    with pytest.raises(
        UnsafeArchiveError, match="unpacks to 5000 bytes, more than the limit of 4000; refused"
    ):
        with safe_extract(z, limits=small):
            pass


def test_entry_count_cap(tmp_path):
    z = _zip(tmp_path, {f"f{i}.prj": b"x" for i in range(6)})
    with pytest.raises(UnsafeArchiveError, match="has 6 entries, more than the limit of 5"):
        with safe_extract(z, limits=ArchiveLimits(max_entries=5)):
            pass


def test_unexpected_extension_is_refused(tmp_path):
    z = _zip(tmp_path, {"data.shp": b"x", "run.exe": b"MZ"})
    with pytest.raises(
        UnsafeArchiveError,
        match="entry 'run.exe' has a file type that is not expected in GIS data; refused",
    ):
        load_layer(z)


def test_understated_sizes_never_unpack_more_than_declared(tmp_path):
    # a header that claims 10 bytes for a 5,000-byte entry passes the size check, but the
    # extraction stops at the declared size and the damaged entry is refused
    p = tmp_path / "liar.zip"
    with zipfile.ZipFile(p, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("a.geojson", b"x" * 5000)
    data = bytearray(p.read_bytes())
    cd = data.rfind(b"PK\x01\x02")  # central directory record: uncompressed size at +24
    data[cd + 24 : cd + 28] = (10).to_bytes(4, "little")
    p.write_bytes(bytes(data))
    with pytest.raises(
        UnreadableFileError,
        match=r"liar\.zip: entry 'a\.geojson' cannot be "
        r"unpacked \(Bad CRC-32",
    ):
        with safe_extract(p, limits=ArchiveLimits(max_total_bytes=1000)):
            pass


def test_temp_folder_is_removed_on_success_and_failure(tmp_path):
    z = _zip(tmp_path, {"a.prj": b"x"})
    with safe_extract(z) as folder:
        assert (folder / "a.prj").read_bytes() == b"x"
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert not folder.exists()
    before = set(Path(tempfile.gettempdir()).glob("planner-*"))
    with pytest.raises(UnsafeArchiveError):
        load_layer(_zip(tmp_path, {"../x.shp": b"x"}, name="bad.zip"))
    assert set(Path(tempfile.gettempdir()).glob("planner-*")) == before


def test_zipped_shapefiles_in_nested_folders(tmp_path):
    src = tmp_path / "src"
    write_shapefile(src / "a", "roads_zh", districts(), cpg=False)
    write_shapefile(src / "b", "plots_zh", districts(names=("甲", "乙")), cpg=False)
    entries = {
        f"export/{p.parent.name}/{p.name}": p.read_bytes()
        for p in sorted(src.rglob("*"))
        if p.is_file()
    }
    entries["__MACOSX/export/._plots_zh.shp"] = b"junk"
    z = _zip(tmp_path, entries)
    with pytest.raises(
        LayerChoiceError,
        match=r"contains 2 datasets \(export/a/roads_zh.shp, "
        r"export/b/plots_zh.shp\); choose one",
    ):
        load_layer(z)
    frame, report = load_layer(z, layer="plots_zh")
    assert frame["name"].tolist() == ["甲", "乙"]
    assert report.source == f"{z}/export/b/plots_zh.shp"
    frame, _ = load_layer(f"{z}:roads_zh")
    assert len(frame) == 3


def test_upload_of_loose_shapefile_parts(tmp_path):
    write_shapefile(tmp_path / "s", "plots", districts(), encoding="GBK", cpg=False)
    frame, report = read_upload(folder_files(tmp_path / "s"), role="plots")
    assert frame["name"].tolist() == ["西青区", "和平区", "河东区"]
    assert report.encoding == "gb18030"
    assert report.crs == "EPSG:4326 WGS 84"


def test_upload_of_zip_and_refusals(tmp_path):
    write_shapefile(tmp_path / "s", "plots", districts(), cpg=True)
    data = zip_bytes(folder_files(tmp_path / "s"))
    frame, report = read_upload({"plots.zip": data}, role="plots")
    assert len(frame) == 3 and report.name == "plots"
    with pytest.raises(UnsafeArchiveError, match="must be a plain name without folders"):
        read_upload({"../plots.zip": data})
    with pytest.raises(UnsafeArchiveError, match="evil.sh: is not a file type expected"):
        read_upload({"evil.sh": b"rm -rf /"})
    with pytest.raises(UnsafeArchiveError, match="more than the limit of 100; refused"):
        read_upload({"plots.zip": data}, limits=ArchiveLimits(max_total_bytes=100))
    parts = folder_files(tmp_path / "s")
    del parts["plots.shp"]
    with pytest.raises(UnreadableFileError, match=r"no dataset among the uploaded files"):
        read_upload(parts)


def test_upload_of_geopackage_kmz_xlsx_and_osm(tmp_path):
    gpkg = tmp_path / "city.gpkg"
    districts().to_file(gpkg, layer="plots", engine="pyogrio")
    districts(names=("甲",)).to_file(gpkg, layer="green", engine="pyogrio")
    files = {"city.gpkg": gpkg.read_bytes()}
    assert list_upload_layers(files) == ["plots", "green"]
    with pytest.raises(LayerChoiceError, match=r"city\.gpkg: has 2 layers"):
        read_upload(files)
    frame, report = read_upload(files, layer="green")
    assert frame["name"].tolist() == ["甲"] and report.name == "green"
    assert read_upload(files, role="plots")[1].name == "plots"

    kml = tmp_path / "d.kml"
    districts().to_file(kml, driver="KML", engine="pyogrio")
    kmz = zip_bytes({"doc.kml": kml.read_bytes(), "images/a.png": b"\x89PNG"})
    frame, _ = read_upload({"d.kmz": kmz}, role="plots")
    assert frame["Name"].tolist() == ["西青区", "和平区", "河东区"]

    xlsx = tmp_path / "p.xlsx"
    pd.DataFrame({"名称": ["停车场"], "经度": [117.2], "纬度": [39.1]}).to_excel(xlsx, index=False)
    frame, report = read_upload({"p.xlsx": xlsx.read_bytes()}, role="parking")
    assert frame["名称"].tolist() == ["停车场"] and report.format == "XLSX"

    frame, report = read_upload({"tiny.osm": TINY.encode()}, role="plots")
    assert frame["name"].tolist() == ["闲置地块"] and report.format == "OSM"
