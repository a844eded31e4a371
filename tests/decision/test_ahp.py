import json

import numpy as np
import pandas as pd
import pytest

from planner.config import PlannerConfig
from planner.decision.ahp import (
    AhpResult,
    ahp_weights,
    apply_ahp,
    check_pairwise,
    read_pairwise_csv,
)
from planner.errors import (
    ConfigError,
    InconsistentJudgementsError,
    PairwiseMatrixError,
    UnreadableFileError,
)

# Published example: Saaty, T. L. (2008) "Decision making with the analytic hierarchy process",
# Int. J. Services Sciences 1(1): 83-98, Table 2 "Which drink is consumed more in the U.S.?".
# Published eigenvector (3 d.p.): coffee .177, wine .019, tea .042, beer .116, sodas .190,
# milk .129, water .327; consistency ratio .022.
DRINKS = ["coffee", "wine", "tea", "beer", "sodas", "milk", "water"]
DRINKS_MATRIX = [
    [1, 9, 5, 2, 1, 1, 1 / 2],
    [1 / 9, 1, 1 / 3, 1 / 9, 1 / 9, 1 / 9, 1 / 9],
    [1 / 5, 3, 1, 1 / 3, 1 / 4, 1 / 3, 1 / 9],
    [1 / 2, 9, 3, 1, 1 / 2, 1, 1 / 3],
    [1, 9, 4, 2, 1, 2, 1 / 2],
    [1, 9, 3, 1, 1 / 2, 1, 1 / 3],
    [2, 9, 9, 3, 2, 3, 1],
]
DRINKS_WEIGHTS = [0.177, 0.019, 0.042, 0.116, 0.190, 0.129, 0.327]


def test_saaty_2008_drinks_weights_and_cr():
    r = ahp_weights(DRINKS_MATRIX, DRINKS)
    assert r.weights.round(3).tolist() == DRINKS_WEIGHTS
    assert list(r.weights.index) == DRINKS
    assert round(r.cr, 3) == 0.022
    assert r.ri == 1.32
    assert r.weights.sum() == pytest.approx(1.0)
    assert r.consistent


def test_consistent_matrix_has_exact_weights_and_zero_cr():
    # w = (4, 2, 1)/7 gives a_ij = w_i / w_j exactly; λmax = n, CI = CR = 0
    a = [[1, 2, 4], [1 / 2, 1, 2], [1 / 4, 1 / 2, 1]]
    r = ahp_weights(a, ["a", "b", "c"])
    assert r.weights.to_numpy() == pytest.approx([4 / 7, 2 / 7, 1 / 7])
    assert r.lambda_max == pytest.approx(3.0)
    assert r.cr == pytest.approx(0.0, abs=1e-12)


def test_two_criteria_are_always_consistent():
    r = ahp_weights([[1, 3], [1 / 3, 1]], ["x", "y"])
    assert r.weights.to_numpy() == pytest.approx([0.75, 0.25])
    assert r.cr == 0.0


def test_inconsistent_matrix_refused_naming_the_worst_judgements():
    # a > b (9), b > c (9), but c > a (9): a cycle, CR far above 0.10
    a = [[1, 9, 1 / 9], [1 / 9, 1, 9], [9, 1 / 9, 1]]
    with pytest.raises(InconsistentJudgementsError, match=r"CR = \d+\.\d+ > 0\.10") as exc:
        ahp_weights(a, ["a", "b", "c"])
    assert exc.value.cr > 0.10
    assert isinstance(exc.value, ConfigError)
    assert len(exc.value.conflicts) == 3


def test_one_bad_judgement_is_the_one_named_first():
    # consistent weights (8, 4, 2, 1) except d vs a, flipped from 1/8 to 8
    w = np.array([8.0, 4.0, 2.0, 1.0])
    a = w[:, None] / w[None, :]
    a[0, 3], a[3, 0] = 1 / 8, 8.0
    r = ahp_weights(a, ["a", "b", "c", "d"], max_cr=None)
    assert r.cr > 0.10
    assert r.conflicts[0][:3] == ("a", "d", 1 / 8)
    with pytest.raises(InconsistentJudgementsError, match="a vs d judged 1/8"):
        ahp_weights(a, ["a", "b", "c", "d"])


@pytest.mark.parametrize(
    ("matrix", "match"),
    [
        ([[1, 2, 3], [1 / 2, 1, 1]], "square"),
        ([[1, 3], [3, 1]], "not reciprocal"),
        ([[2, 3], [1 / 3, 2]], "diagonal"),
        ([[1, 12], [1 / 12, 1]], "1–9 scale"),
        ([[1, -3], [-1 / 3, 1]], "positive"),
        ([[1, np.nan], [np.nan, 1]], "missing"),
    ],
)
def test_malformed_matrices_are_refused(matrix, match):
    with pytest.raises(PairwiseMatrixError, match=match):
        ahp_weights(
            np.array(matrix, dtype=float) if len(matrix) == len(matrix[0]) else pd.DataFrame(matrix)
        )


def test_decimal_reciprocals_within_tolerance_are_accepted():
    r = ahp_weights([[1, 3], [0.33, 1]], ["x", "y"])
    assert r.weights.to_numpy() == pytest.approx([0.75, 0.25])


def test_row_and_column_names_must_agree():
    m = pd.DataFrame([[1, 2], [0.5, 1]], index=["a", "b"], columns=["a", "c"])
    with pytest.raises(PairwiseMatrixError, match="row names"):
        check_pairwise(m)


def test_read_csv_with_fractions_and_chinese_names(tmp_path):
    p = tmp_path / "m.csv"
    p.write_text(",绿地缺口,新增覆盖\n绿地缺口,1,1/3\n新增覆盖,3,1\n", encoding="utf-8-sig")
    m = read_pairwise_csv(p)
    assert list(m.index) == ["绿地缺口", "新增覆盖"]
    assert m.iloc[0, 1] == pytest.approx(1 / 3)
    assert ahp_weights(m).weights.to_numpy() == pytest.approx([0.25, 0.75])


def test_read_csv_errors_name_the_cell(tmp_path):
    p = tmp_path / "m.csv"
    p.write_text(",a,b\na,1,x\nb,1,1\n", encoding="utf-8")
    with pytest.raises(PairwiseMatrixError, match=r"row 2 \(a\), column b: 'x'"):
        read_pairwise_csv(p)
    with pytest.raises(UnreadableFileError, match="cannot read"):
        read_pairwise_csv(tmp_path / "missing.csv")


def test_apply_ahp_sets_the_use_weights_and_zeros_the_rest():
    r = ahp_weights([[1, 3], [1 / 3, 1]], ["green_gap", "new_coverage"])
    cfg = apply_ahp(PlannerConfig(), "pocket_park", r)
    assert cfg.park_weights["green_gap"] == pytest.approx(0.75)
    assert cfg.park_weights["new_coverage"] == pytest.approx(0.25)
    assert cfg.park_weights["shape"] == 0.0
    assert cfg.parking_weights == PlannerConfig().parking_weights
    bad = ahp_weights([[1, 3], [1 / 3, 1]], ["green_gap", "nonsense"])
    with pytest.raises(ConfigError, match="'nonsense' is not a criterion of pocket_park"):
        apply_ahp(PlannerConfig(), "pocket_park", bad)


def test_result_to_dict_is_json_ready():
    r = ahp_weights(DRINKS_MATRIX, DRINKS)
    d = json.loads(json.dumps(r.to_dict()))
    assert set(d) >= {"weights", "cr"}
    assert d["weights"]["water"] == pytest.approx(0.327, abs=5e-4)
    assert isinstance(r, AhpResult)
