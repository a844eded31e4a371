"""Every command that measures distance honours --distance, and selection reuses the model."""

import pyogrio
import pytest

from planner.cli import main


@pytest.mark.parametrize("basis", ["network", "straight_line"])
def test_select_coverage_uses_the_scores_distance_model(tmp_path, capsys, basis):
    out = tmp_path / "sel.gpkg"
    code = main(
        [
            "select",
            "--demo",
            "--use",
            "pocket_park",
            "--k",
            "1",
            "--distance",
            basis,
            "--out",
            str(out),
            "-q",
        ]
    )
    assert code == 0, capsys.readouterr().err
    table = pyogrio.read_dataframe(out)
    assert set(table["distance_basis"]) == {basis}
    chosen = table.loc[table["selected"]]
    assert len(chosen) == 1
    # with one site, the residents it newly covers are exactly the score's new-coverage
    # figure for that plot: both come from the same distance model
    assert chosen["marginal_new_residents"].iloc[0] == pytest.approx(
        chosen["new_residents_green"].iloc[0]
    )


@pytest.mark.parametrize(
    "command", [["sensitivity", "--draws", "5"], ["allocate", "--parking-spaces", "0"]]
)
def test_distance_option_reaches_the_scores(tmp_path, capsys, command):
    out = tmp_path / "o.csv"
    code = main([*command, "--demo", "--distance", "straight_line", "--out", str(out), "-q"])
    assert code == 0, capsys.readouterr().err
    import pandas as pd

    assert set(pd.read_csv(out, encoding="utf-8-sig")["distance_basis"]) == {"straight_line"}
