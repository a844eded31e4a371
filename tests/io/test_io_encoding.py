"""Text encoding of shapefiles and CSV: .cpg honoured, else UTF-8, else GB18030; overrides."""

from __future__ import annotations

import pytest

from planner.errors import EncodingError
from planner.io.encoding import decide_dbf_encoding, decide_text_encoding, normalise_encoding
from planner.io.read import load_layer
from tests.conftest import SHARED_DATA
from tests.io_helpers import districts, write_shapefile

TIANJIN = SHARED_DATA / "tianjin_districts_utf8_nocpg" / "tianjin_districts.shp"


def test_gbk_without_cpg_and_zero_code_page_is_detected(tmp_path):
    shp = write_shapefile(tmp_path, "gbk", districts(), encoding="GBK", cpg=False, ldid=0)
    assert (tmp_path / "gbk.dbf").read_bytes()[29] == 0
    assert "西青区".encode("gbk") in (tmp_path / "gbk.dbf").read_bytes()
    frame, report = load_layer(shp)
    assert frame["name"].tolist() == ["西青区", "和平区", "河东区"]
    assert report.encoding == "gb18030"
    assert report.encoding_how == "detected: text is not UTF-8, valid GB18030"


def test_utf8_without_cpg_and_zero_code_page_is_detected(tmp_path):
    shp = write_shapefile(tmp_path, "u8", districts(), encoding="UTF-8", cpg=False, ldid=0)
    frame, report = load_layer(shp)
    assert frame["name"].tolist() == ["西青区", "和平区", "河东区"]
    assert (report.encoding, report.encoding_how) == ("utf-8", "detected: text is valid UTF-8")


def test_cpg_is_honoured(tmp_path):
    shp = write_shapefile(tmp_path, "c", districts(), encoding="GBK", cpg=True)
    assert (tmp_path / "c.cpg").read_text() == "GBK"
    frame, report = load_layer(shp)
    assert frame["name"].iloc[0] == "西青区"
    assert (report.encoding, report.encoding_how) == ("gbk", ".cpg says GBK")


def test_encoding_override_wins_and_a_wrong_one_is_an_error(tmp_path):
    shp = write_shapefile(tmp_path, "g", districts(), encoding="GBK", cpg=False)
    frame, report = load_layer(shp, encoding="GB2312")
    assert frame["name"].iloc[0] == "西青区"
    assert (report.encoding, report.encoding_how) == ("gbk", "given")
    with pytest.raises(
        EncodingError,
        match=r"g\.dbf: text cannot be decoded as utf-8 "
        r"\(given with --encoding\) at byte",
    ):
        load_layer(shp, encoding="utf-8")


def test_ascii_only_text(tmp_path):
    shp = write_shapefile(tmp_path, "a", districts(names=("a", "b")), cpg=False)
    _, report = load_layer(shp)
    assert report.encoding_how == "detected: text is plain ASCII"


def test_unknown_encoding_name():
    with pytest.raises(EncodingError, match="unknown text encoding 'klingon'"):
        normalise_encoding("klingon")
    assert normalise_encoding("936") == "gbk"
    assert normalise_encoding("ANSI 936") == "gbk"


def test_csv_encodings():
    gbk = "名称,经度,纬度\n西青,117.2,39.1\n".encode("gbk")
    assert decide_text_encoding(gbk).encoding == "gb18030"
    bom = "\ufeffname,lon,lat\n".encode()
    assert decide_text_encoding(bom).how == "UTF-8 byte-order mark"


def test_real_tianjin_shapefile_decodes_sixteen_districts():
    decision = decide_dbf_encoding(TIANJIN)
    assert (decision.encoding, decision.how) == ("utf-8", "detected: text is valid UTF-8")
    frame, report = load_layer(TIANJIN)
    assert len(frame) == 16
    assert "西青区" in set(frame["name"])
    assert frame["name"].str.endswith("区").all()
    assert report.count == 16
