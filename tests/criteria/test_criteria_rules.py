"""Every criterion's score rule at hand-picked raw values (the documented break points)."""

import numpy as np
import pandas as pd
import pytest

from planner.config import PARK_CRITERIA, PARKING_CRITERIA, Thresholds
from planner.criteria import CRITERIA

T = Thresholds()

CASES = {
    ("pocket_park", "green_gap"): (
        {"nearest_green_m": [0, 300, 400, 500, 2000, np.inf]},
        [0, 0.5, 0.75, 1, 1, 1],
    ),
    ("pocket_park", "new_coverage"): (
        {"new_residents_green": [0, 2500, 5000, 9000]},
        [0, 0.5, 1, 1],
    ),
    ("pocket_park", "area_fit"): ({"area_m2": [399, 400, 10_000, 20_000]}, [0, 1, 1, 0.5]),
    ("pocket_park", "shape"): (
        {"compactness": [0.785, 0.25, 0.785], "min_width_m": [30, 30, 5]},
        [1, 0.5, 0.5],
    ),
    ("pocket_park", "street_access"): (
        {"street_distance_m": [0, 10, 55, 100, 300]},
        [1, 1, 0.5, 0, 0],
    ),
    ("pocket_park", "vulnerable_share"): (
        {"vulnerable_share": [0, 0.25, 0.5, 0.8, np.nan]},
        [0, 0.5, 1, 1, np.nan],
    ),
    ("parking", "demand"): ({"unmet_vehicles_nearby": [0, 150, 300, 900]}, [0, 0.5, 1, 1]),
    ("parking", "parking_gap"): ({"nearest_parking_m": [0, 150, 300, 1000]}, [0, 0.5, 1, 1]),
    ("parking", "road_access"): ({"car_frontage_m": [0, 3.5, 7, 50]}, [0, 0.5, 1, 1]),
    ("parking", "capacity"): (
        {"est_parking_spaces": [0, 4, 5, 50, 100, 300]},
        [0, 0, 0.05, 0.5, 1, 1],
    ),
    ("parking", "poi_proximity"): ({"poi_pull_nearby": [0, 3, 6, 12]}, [0, 0.5, 1, 1]),
}


def test_every_criterion_has_a_case_and_matches_the_config():
    assert {c.name for c in CRITERIA["pocket_park"]} == set(PARK_CRITERIA)
    assert {c.name for c in CRITERIA["parking"]} == set(PARKING_CRITERIA)
    assert set(CASES) == {(c.use, c.name) for use in CRITERIA for c in CRITERIA[use]}


@pytest.mark.parametrize("key", sorted(CASES), ids=lambda k: f"{k[0]}.{k[1]}")
def test_score_rule(key):
    use, name = key
    crit = next(c for c in CRITERIA[use] if c.name == name)
    raw, expected = CASES[key]
    got = crit.score(pd.DataFrame(raw), T)
    np.testing.assert_allclose(
        got.to_numpy(dtype=float), np.array(expected, dtype=float), atol=1e-9
    )
    phrases = crit.phrase_en(pd.DataFrame(raw), T)
    assert len(phrases) == len(expected) and phrases.map(len).gt(0).all()
    assert crit.rule and crit.column.endswith("_score")
