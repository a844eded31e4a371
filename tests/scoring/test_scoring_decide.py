"""The recommendation and rank rule (planner.scoring.decide), on hand-built scores."""

import numpy as np

from planner.scoring.decide import NONE, PARK, PARKING, REC_NAMES, recommend, tie_order

T = np.ones(5, dtype=bool)
F = np.zeros(5, dtype=bool)


def test_recommendation_and_rank_on_hand_built_scores():
    # plot 0: both uses pass, park higher; 1: both pass, equal scores (park wins the tie);
    # 2: parking only above the threshold; 3: neither; 4: excluded with a high park score
    park = np.array([0.8, 0.6, 0.3, 0.2, 0.0])
    parking = np.array([0.5, 0.6, 0.7, 0.1, 0.0])
    excluded = np.array([False, False, False, False, True])
    park_feasible = ~excluded
    rec, rank = recommend(
        park,
        parking,
        park_feasible,
        ~excluded,
        excluded,
        0.5,
        tie_order(np.array(["A", "B", "C", "D", "E"])),
    )
    assert rec.tolist() == [PARK, PARK, PARKING, NONE, NONE]
    assert REC_NAMES[rec].tolist() == ["pocket_park", "pocket_park", "parking", "none", "none"]
    # recommended by their use's score (0.8, 0.7, 0.6), then the rest, excluded last
    assert rank.tolist() == [1, 3, 2, 4, 5]


def test_infeasible_use_is_never_recommended_and_ties_go_to_the_lower_id():
    park = np.full(5, 0.7)
    parking = np.full(5, 0.9)
    rec, rank = recommend(
        park, parking, T, F, F, 0.5, tie_order(np.array(["E", "D", "C", "B", "A"]))
    )
    assert rec.tolist() == [PARK] * 5  # parking scores higher but no plot can take it
    assert rank.tolist() == [5, 4, 3, 2, 1]


def test_draws_as_columns_equal_one_call_per_draw():
    rng = np.random.default_rng(3)
    park, parking = rng.uniform(size=(5, 7)), rng.uniform(size=(5, 7))
    excluded = np.array([False, True, False, False, False])
    ties = tie_order(np.array(["P3", "P1", "P2", "P5", "P4"]))
    rec, rank = recommend(park, parking, ~excluded, T, excluded, 0.4, ties)
    for d in range(7):
        r1, k1 = recommend(park[:, d], parking[:, d], ~excluded, T, excluded, 0.4, ties)
        assert rec[:, d].tolist() == r1.tolist()
        assert rank[:, d].tolist() == k1.tolist()
