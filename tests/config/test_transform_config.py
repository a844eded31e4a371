import numpy as np
import pandas as pd
import pytest

from planner.config import PlannerConfig
from planner.errors import ConfigError
from planner.scoring import combine
from planner.transform_config import parse_transform

RAW = pd.DataFrame(
    {
        "nearest_green_m": [0.0, 200.0, 400.0, 1000.0, np.nan],
        "area_m2": [300.0, 1000.0, 5000.0, 10_000.0, np.nan],
        "min_width_m": [5.0, 10.0, 20.0, 40.0, np.nan],
        "compactness": [0.2, 0.4, 0.6, 0.8, np.nan],
    }
)


def _apply(criterion, **spec):
    return parse_transform(criterion, spec).apply(RAW).tolist()


def test_each_kind_by_hand():
    nan = pytest.approx(np.nan, nan_ok=True)
    # linear from 0 at 0 m to 1 at 800 m
    assert _apply("green_gap", kind="linear", zero_at=0, full_at=800) == [0.0, 0.25, 0.5, 1.0, nan]
    # decreasing linear: 1 at 0 m, 0 at 400 m
    assert _apply("green_gap", kind="linear", zero_at=400, full_at=0) == [1.0, 0.5, 0.0, 0.0, nan]
    assert _apply("green_gap", kind="threshold", at=300) == [0.0, 0.0, 1.0, 1.0, nan]
    assert _apply("green_gap", kind="threshold", at=200, above=False) == [1.0, 1.0, 0.0, 0.0, nan]
    assert _apply("green_gap", kind="decay", full_until=200, zero_at=600) == [
        1.0,
        1.0,
        0.5,
        0.0,
        nan,
    ]
    # 1 within 1,000-5,000 m², 0 below, 5,000/area above
    assert _apply("area_fit", kind="ideal_range", low=1000, high=5000) == [0.0, 1.0, 1.0, 0.5, nan]
    assert _apply("green_gap", kind="piecewise", points=[[0, 0], [400, 0.8], [800, 1]]) == [
        0.0,
        0.4,
        0.8,
        1.0,
        nan,
    ]
    assert _apply("shape", kind="linear", zero_at=0, full_at=20, measure="min_width_m") == [
        0.25,
        0.5,
        1.0,
        1.0,
        nan,
    ]


@pytest.mark.parametrize(
    ("criterion", "spec", "match"),
    [
        ("nonsense", {"kind": "linear"}, r"unknown section \[transforms.nonsense\]"),
        ("green_gap", {"kind": "cubic"}, "kind must be one of"),
        ("green_gap", {"kind": "linear", "zero_at": 0}, "needs full_at"),
        (
            "green_gap",
            {"kind": "linear", "zero_at": 0, "full_at": 5, "slope": 2},
            "unknown key transforms.green_gap.slope",
        ),
        ("green_gap", {"kind": "linear", "zero_at": 5, "full_at": 5}, "different from"),
        ("green_gap", {"kind": "decay", "full_until": 500, "zero_at": 100}, "below"),
        ("area_fit", {"kind": "ideal_range", "low": "big", "high": 5}, "must be a number"),
        ("green_gap", {"kind": "threshold", "at": 3, "above": "yes"}, "true or false"),
        ("green_gap", {"kind": "piecewise", "points": [[0, 0]]}, "at least two"),
        ("green_gap", {"kind": "piecewise", "points": [[0, 0], [5, 2]]}, "scores must be in 0–1"),
        ("shape", {"kind": "linear", "zero_at": 0, "full_at": 1}, "say which with measure"),
        (
            "shape",
            {"kind": "linear", "zero_at": 0, "full_at": 1, "measure": "area_m2"},
            "measure must be one of",
        ),
    ],
)
def test_bad_transforms_are_named(criterion, spec, match):
    with pytest.raises(ConfigError, match=match):
        parse_transform(criterion, spec)


def test_toml_section_round_trip_and_errors(tmp_path):
    p = tmp_path / "c.toml"
    p.write_text(
        '[transforms.green_gap]\nkind = "decay"\nfull_until = 0\nzero_at = 100\n'
        '[transforms.capacity]\nkind = "threshold"\nat = 30\n',
        encoding="utf-8",
    )
    cfg = PlannerConfig.from_toml(p)
    assert cfg.transforms["green_gap"].kind == "decay"
    assert PlannerConfig.from_dict(cfg.to_dict()) == cfg
    assert "transforms" not in PlannerConfig().to_dict()
    p.write_text('[transforms.green_gap]\nkind = "decay"\nfull_until = 0\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"c\.toml: transforms.green_gap: kind 'decay' needs"):
        PlannerConfig.from_toml(p)


def test_configured_transform_changes_the_score(scene):
    from planner.access.distances import StraightLineDistance
    from planner.scoring import compute_criteria

    # straight-line distances (the default is the walking network when roads are given)
    table = compute_criteria(scene, distances=StraightLineDistance())
    base = combine(table)
    # green_gap becomes all-or-nothing at 1,000 m; the park is 300, 900 and 1,300 m from
    # plots A, B and C
    cfg = PlannerConfig(transforms={"green_gap": {"kind": "threshold", "at": 1000}})
    out = combine(table, cfg)
    assert out["nearest_green_m"].tolist() == [300.0, 900.0, 1300.0]
    assert out["park_green_gap_score"].tolist() == [0.0, 0.0, 1.0]
    assert base["park_green_gap_score"].tolist() != [0.0, 0.0, 1.0]
    # the other criteria are untouched
    pd.testing.assert_series_equal(out["park_area_fit_score"], base["park_area_fit_score"])
