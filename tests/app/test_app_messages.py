"""The app library's own errors and problems, in the page's language."""

from __future__ import annotations

import geopandas as gpd
import pytest
from shapely.geometry import LineString

from planner.app.report import export_bytes
from planner.app.run import error_text
from planner.app.uploads import read_drop
from planner.errors import OutputError
from planner.messages import localized


def _lines() -> bytes:
    frame = gpd.GeoDataFrame(
        {"name": ["a"]}, geometry=[LineString([(116.30, 40.0), (116.31, 40.0)])], crs=4326
    )
    return frame.to_json().encode()


def test_a_layer_no_role_takes_is_said_in_either_language() -> None:
    drop = read_drop({"streets.geojson": _lines(), "more.geojson": _lines()})
    assert [lay.role for lay in drop.layers] == ["roads"]
    (name, problem), *_ = drop.problems
    assert name == "more.geojson"
    assert problem == "no free role takes a layer of LineString geometry; not used"
    assert localized(problem, "zh") == "没有空闲的图层类型可接受线几何的图层；未使用"


def test_an_unreadable_file_stays_text_and_reads_in_chinese() -> None:
    drop = read_drop({"broken.geojson": b"{not json"})
    (name, problem), *_ = drop.problems
    assert name == "broken.geojson" and isinstance(problem, str)
    assert "cannot be read as a GIS file" in problem
    assert "无法作为 GIS 文件读取" in localized(problem, "zh")


def test_a_download_error_reads_in_the_page_language() -> None:
    with pytest.raises(OutputError) as caught:
        export_bytes(None, ".doc")
    assert str(caught.value).startswith("unknown output format '.doc'")
    assert error_text(caught.value, "zh").startswith("未知的输出格式“\\.doc”")
    assert error_text(ValueError("boom"), "zh") == "ValueError: boom"
