"""Columns named by meaning: the radius of a run on record, former names still read (issue 14)."""

from __future__ import annotations

import pandas as pd
import pytest
from openpyxl import load_workbook

from planner.access.distances import StraightLineDistance
from planner.app.lifecircle_map import circle_labels
from planner.cli import main
from planner.config import PlannerConfig, Thresholds
from planner.criteria import MEASURES
from planner.io import write_candidates
from planner.io.columns import RENAMED, upgrade_columns
from planner.messages import localized
from planner.scoring import combine, compute_criteria, score

CARD_SHARES = (
    "green_coverage_share",
    "green_coverage_share_after",
    "park_coverage_share",
    "park_coverage_share_after",
)


def test_renamed_maps_every_former_name_to_a_column_made_today():
    assert RENAMED == {
        "residents_300m": "residents_5min",
        "residents_500m": "residents_10min",
        "residents_1000m": "residents_15min",
        "new_residents_300m": "new_residents_green",
        "unmet_vehicles_300m": "unmet_vehicles_nearby",
        "poi_pull_300m": "poi_pull_nearby",
        "share_green_300m": "green_coverage_share",
        "share_green_300m_after": "green_coverage_share_after",
        "share_park_500m": "park_coverage_share",
        "share_park_500m_after": "park_coverage_share_after",
    }
    assert set(RENAMED.values()) <= set(MEASURES) | set(CARD_SHARES)
    assert not set(RENAMED) & set(MEASURES)


def test_no_column_of_a_run_carries_a_radius(scene):
    from planner.decision.lifecircles import life_circle_report

    r = score(scene, distances=StraightLineDistance())
    assert not set(RENAMED) & set(r.columns)
    assert not [c for c in r.columns if c.endswith(("00m", "50m"))]
    card = life_circle_report(scene, scored=r, distances=StraightLineDistance()).card
    assert set(CARD_SHARES) <= set(card.columns) and not set(RENAMED) & set(card.columns)
    assert card.attrs["radii_m"] == {"green_coverage_share": 300.0, "park_coverage_share": 500.0}


@pytest.mark.parametrize("radius, residents", [(70.0, 0.0), (80.0, 2620.0)])
def test_the_radius_of_the_run_is_recorded_and_described(scene, radius, residents, tmp_path):
    # estate 1's home point (its centre) lies 75 m east of plot A's east edge
    cfg = PlannerConfig(thresholds=Thresholds(green_radius_m=radius))
    r = score(scene, cfg, distances=StraightLineDistance()).set_index("plot_id")
    assert r.loc["A", "residents_5min"] == residents  # the same name whatever the radius
    assert r.attrs["radii_m"]["residents_5min"] == radius
    assert r.attrs["radii_m"]["new_residents_green"] == radius
    assert r.attrs["radii_m"]["residents_15min"] == 1000.0
    book = load_workbook(write_candidates(r.reset_index(), tmp_path / "c.xlsx"))
    docs = {row[0].value: row[1].value for row in book["columns"].iter_rows(min_row=2)}
    assert docs["residents_5min"].startswith(f"Residents living within {radius:.0f} m")
    assert docs["residents_5min"].endswith("The radius is thresholds.green_radius_m.")
    assert docs["unmet_vehicles_nearby"].startswith("Residents' cars within 300 m")


def test_upgrade_columns_reads_a_file_written_before():
    old = pd.DataFrame(
        {
            "plot_id": ["A"],
            "residents_300m": [10.0],
            "poi_pull_300m": [2.0],
            "share_park_500m_after": [0.5],
        }
    )
    new, notes = upgrade_columns(old)
    assert list(new.columns) == [
        "plot_id",
        "residents_5min",
        "poi_pull_nearby",
        "park_coverage_share_after",
    ]
    assert new["residents_5min"].tolist() == [10.0]
    assert notes == [
        "column 'residents_300m' read as 'residents_5min' (renamed by meaning)",
        "column 'poi_pull_300m' read as 'poi_pull_nearby' (renamed by meaning)",
        "column 'share_park_500m_after' read as 'park_coverage_share_after' (renamed by meaning)",
    ]
    assert list(old.columns)[1] == "residents_300m"  # the input is left as it was
    same, none = upgrade_columns(new)
    assert same is new and none == []
    # both names present: the file says what it means, nothing is renamed
    both = new.assign(residents_300m=[3.0])
    kept, none = upgrade_columns(both)
    assert kept is both and none == []


def test_a_transform_naming_a_former_measure_is_read_with_a_note(scene, tmp_path, capsys):
    toml = tmp_path / "c.toml"
    toml.write_text(
        '[transforms.demand]\nkind = "linear"\nzero_at = 0\nfull_at = 200\n'
        'measure = "unmet_vehicles_300m"\n',
        encoding="utf-8",
    )
    cfg = PlannerConfig.from_toml(toml)
    spec = cfg.transforms["demand"]
    assert spec.measure == "unmet_vehicles_nearby" and spec.given_as == "unmet_vehicles_300m"
    note = (
        "transforms.demand.measure: 'unmet_vehicles_300m' is now called "
        "'unmet_vehicles_nearby' (read as such)"
    )
    assert cfg.notes() == [note]
    assert localized(cfg.notes()[0], "zh") == (
        "transforms.demand.measure：“unmet_vehicles_300m”现名为“unmet_vehicles_nearby”"
        "（已按新名读取）"
    )
    assert cfg.to_dict()["transforms"]["demand"]["measure"] == "unmet_vehicles_nearby"
    # the same scores as the new name; the run says what it read
    table = compute_criteria(scene, distances=StraightLineDistance())
    new = PlannerConfig(
        transforms={
            "demand": {
                "kind": "linear",
                "zero_at": 0,
                "full_at": 200,
                "measure": "unmet_vehicles_nearby",
            }
        }
    )
    assert new.transforms == cfg.transforms and new.notes() == []
    a, b = combine(table, cfg), combine(table, new)
    pd.testing.assert_frame_equal(a, b)
    assert a.attrs["notes"][-1] == note and note not in b.attrs["notes"]
    # A: 400 unmet cars, full at 200
    assert a.set_index("plot_id").loc["A", "parking_demand_score"] == 1.0
    assert (
        main(
            [
                "score",
                "--demo",
                "--config",
                str(toml),
                "-q",
                "--distance",
                "straight_line",
                "--out",
                str(tmp_path / "s.csv"),
            ]
        )
        == 0
    )
    assert f"note: {note}" in capsys.readouterr().err
    # a name that was never a measure is still refused
    toml.write_text(
        '[transforms.demand]\nkind = "linear"\nzero_at = 0\nfull_at = 200\n'
        'measure = "residents_300m"\n',
        encoding="utf-8",
    )
    from planner.errors import ConfigError

    with pytest.raises(
        ConfigError,
        match="transforms.demand.measure must be one of "
        "unmet_vehicles_nearby, got 'residents_300m'",
    ):
        PlannerConfig.from_toml(toml)


def test_life_circle_tooltip_quotes_the_radii_of_the_card():
    card = pd.DataFrame(
        {
            "circle_name": ["甲"],
            "residents": [1000.0],
            "flags_after": [""],
            "park_coverage_share": [0.5],
            "park_coverage_share_after": [0.75],
            "green_coverage_share": [0.25],
            "green_coverage_share_after": [1.0],
            "park_area_per_resident_m2": [1.0],
            "park_area_per_resident_m2_after": [2.0],
        }
    )
    assert "park ≤500 m: 50% → 75% · green ≤300 m: 25% → 100%" in circle_labels(card, "en")[0]
    assert "500米见园：50% → 75% · 300米见绿：25% → 100%" in circle_labels(card, "zh")[0]
    card.attrs["radii_m"] = {"green_coverage_share": 250.0, "park_coverage_share": 600.0}
    assert "park ≤600 m: 50% → 75% · green ≤250 m: 25% → 100%" in circle_labels(card, "en")[0]
    assert "600米见园：50% → 75% · 250米见绿：25% → 100%" in circle_labels(card, "zh")[0]
