"""Notes on the plots that preparing the layers makes — ids given, ids renamed, plots dropped —
in 中文 and English (issue 18, point 3: messages by key)."""

from __future__ import annotations

from shapely.geometry import box

from planner.layers import Layers, prepare_layers
from planner.messages import Msg, localized
from tests.conftest import X0, Y0, gdf


def _squares(n: int) -> list:
    return [box(X0 + 50 * i, Y0, X0 + 50 * i + 30, Y0 + 30) for i in range(n)]


def test_missing_plot_ids_are_given_with_a_note_in_both_languages():
    plots = gdf(_squares(3), plot_id=["A", None, ""])
    prepared = prepare_layers(Layers(plots=plots, sources={"plots": "地块.gpkg"}))
    assert prepared.plots["plot_id"].tolist() == ["A", "P0002", "P0003"]
    (note,) = prepared.notes
    assert isinstance(note, Msg)
    assert note == (
        "地块.gpkg: 2 plot(s) have no plot_id; given 'P0002', 'P0003' (P and the plot's position)"
    )
    assert localized(note, "zh") == (
        "地块.gpkg：2 个地块没有 plot_id；已编为 'P0002', 'P0003'（P 加地块的序号）"
    )


def test_repeated_plot_ids_are_renamed_with_a_note_in_both_languages():
    plots = gdf(_squares(13), plot_id=["A"] * 13)
    prepared = prepare_layers(Layers(plots=plots, sources={"plots": "p.gpkg"}))
    assert prepared.plots["plot_id"].tolist()[:3] == ["A", "A-2", "A-3"]
    (note,) = prepared.notes
    assert note.startswith("p.gpkg: plot_id is not unique: 1 id(s) used more than once ('A')")
    # 12 renamed, 10 listed
    assert note.endswith("'A' -> 'A-11' and 2 more")
    zh = localized(note, "zh")
    assert zh.startswith("p.gpkg：plot_id 不唯一：1 个编号重复使用（'A'）")
    assert zh.endswith("'A' -> 'A-11' 等（另有 2 个）")


def test_plots_without_geometry_are_dropped_with_a_note_in_both_languages():
    plots = gdf([*_squares(1), None], plot_id=["keep", "gone"])
    prepared = prepare_layers(Layers(plots=plots, sources={"plots": "p.gpkg"}))
    (note,) = prepared.notes
    assert note == (
        "p.gpkg: 1 plot(s) dropped because they have no geometry (null or empty): plot_id 'gone'"
    )
    assert localized(note, "zh") == (
        "p.gpkg：删除了 1 个地块，原因是没有几何图形（空值或空图形）：plot_id 为 'gone'"
    )
