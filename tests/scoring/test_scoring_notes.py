"""What a scoring run notes, and why a plot gets no use, in 中文 and English (issue 18, point 3)."""

from __future__ import annotations

import dataclasses

from shapely.geometry import box

from planner.access.distances import StraightLineDistance
from planner.messages import localized
from planner.scoring import score
from tests.conftest import X0, Y0


def test_room_for_one_stall_is_one_stall(scene):
    # plot C made 8 x 8 m on the street: one 90° stall fits (two need 10 m of frontage),
    # fewer than the 5 worth a car park
    plots = scene.plots.copy()
    plots.loc[2, "geometry"] = box(X0 + 1000, Y0, X0 + 1008, Y0 + 8)
    r = score(dataclasses.replace(scene, plots=plots), distances=StraightLineDistance())
    r = r.set_index("plot_id")
    assert r.loc["C", "est_parking_spaces"] == 1
    assert "room for only 1 stall (< 5)" in r.loc["C", "reasons"]
    assert "1 stalls" not in r.loc["C", "reasons"]
    assert "仅可停1辆车（少于5）" in r.loc["C", "reasons_zh"]
    # two stalls are plural
    plots.loc[2, "geometry"] = box(X0 + 1000, Y0, X0 + 1010, Y0 + 10)
    r = score(dataclasses.replace(scene, plots=plots), distances=StraightLineDistance())
    assert "room for only 2 stalls (< 5)" in r.set_index("plot_id").loc["C", "reasons"]


def test_a_missing_parking_layer_is_a_note_in_both_languages(scene):
    layers = dataclasses.replace(scene, parking=None)
    r = score(layers, distances=StraightLineDistance())
    notes = r.attrs["notes"]
    assert "no parking layer: existing parking supply counted as 0" in notes
    (note,) = [n for n in notes if n.startswith("no parking layer")]
    assert localized(note, "zh") == "没有停车场图层：现有停车供给按 0 计"
