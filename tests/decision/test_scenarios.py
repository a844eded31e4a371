"""Scenarios: saved plans that reopen to the same numbers, and two plans compared (issue 16)."""

import dataclasses
import tomllib

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest

import planner
from planner.config import PlannerConfig
from planner.decision.compare import (
    DISTRICT_FIGURES,
    compare_plans,
    evaluate_plan,
    evaluate_scenario,
    make_scenario,
    plot_changes,
)
from planner.decision.programme import choose
from planner.decision.scenarios import (
    Scenario,
    ScenarioDataError,
    data_fingerprint,
    read_scenario,
    write_scenario,
)
from planner.errors import ConfigError, InputFileError, OutputError
from planner.io import toml
from planner.layers import prepare_layers


def test_toml_writer_round_trips_hostile_text():
    data = {
        "a": 1,
        "b": 2.5,
        "c": True,
        "d": "引号\" 反斜杠\\ 换行\n =cmd|' \x07",
        "e": [1, 2],
        "t": {"x y": "z", "sub": {"k": -0.0}},
        "rows": [{"plot_id": "P1", "use": "parking"}, {"plot_id": "<b>", "use": "x"}],
    }
    assert tomllib.loads(toml.dumps(data)) == data
    with pytest.raises(ValueError, match="nan"):
        toml.value(float("nan"))


@pytest.fixture(scope="module")
def demo_run():
    cfg = PlannerConfig()
    table = planner.compute_criteria(planner.prepare_layers(planner.load_demo(), cfg), cfg)
    return table, planner.combine(table, cfg), cfg


def test_a_saved_scenario_reopens_to_the_same_numbers(demo_run, tmp_path):
    table, scored, cfg = demo_run
    prog = choose(scored, table.layers, "pocket_park", budget_yuan=2e6, distances=table.distances)
    sc, ev = make_scenario(
        "方案A <近期>",
        scored,
        table.layers,
        prog.uses(),
        config=cfg,
        distances=table.distances,
        selection={"use": "pocket_park"},
    )
    assert sc.results["residents_newly_covered"] == prog.covered
    assert sc.results["capex_wan"] == pytest.approx(prog.capex_wan)
    path = write_scenario(sc, tmp_path / "a.toml")
    back = read_scenario(path)
    assert back.name == "方案A <近期>" and back.config == cfg
    assert back.plots.equals(sc.plots) and back.fingerprint == sc.fingerprint
    # re-opening on the same data gives exactly the saved figures
    again = evaluate_scenario(back, scored, table.layers, distances=table.distances)
    assert again.district == back.results
    assert set(back.results) == set(DISTRICT_FIGURES)
    # and the same plots
    assert (again.plots["use"] == ev.plots["use"]).all()


def test_a_scenario_refuses_other_data(demo_run):
    table, scored, cfg = demo_run
    sc, _ = make_scenario(
        "A",
        scored,
        table.layers,
        pd.Series("none", index=scored.index),
        config=cfg,
        distances=table.distances,
    )
    moved = dataclasses.replace(
        table.layers,
        plots=table.layers.plots.assign(geometry=table.layers.plots.geometry.translate(1.0, 0.0)),
    )
    assert data_fingerprint(moved) != sc.fingerprint
    with pytest.raises(ScenarioDataError, match="not the data scenario 'A' was made on"):
        sc.check_data(moved)
    # a change of estimated population (a setting, not data) keeps the fingerprint
    other = PlannerConfig.from_dict({"assumptions": {"persons_per_floor_m2": 0.05}})
    assert data_fingerprint(prepare_layers(planner.load_demo(), other)) == sc.fingerprint


def test_scenario_file_errors(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text(
        "[scenario]\nname = 'x'\n[[plots]]\nplot_id = 'P1'\nuse = 'zoo'\n", encoding="utf-8"
    )
    with pytest.raises(InputFileError, match="bad.toml: scenario 'x': unknown use 'zoo'"):
        read_scenario(bad)
    bad.write_text("name = 1", encoding="utf-8")
    with pytest.raises(InputFileError, match="not a planner scenario"):
        read_scenario(bad)
    bad.write_text("[scenario\n", encoding="utf-8")
    with pytest.raises(InputFileError, match="not valid TOML"):
        read_scenario(bad)
    with pytest.raises(InputFileError, match="not found"):
        read_scenario(tmp_path / "none.toml")
    with pytest.raises(OutputError, match=r"\.toml"):
        write_scenario(Scenario("a", pd.DataFrame({"plot_id": [], "use": []})), tmp_path / "a.csv")
    with pytest.raises(ConfigError, match="twice"):
        Scenario("a", pd.DataFrame({"plot_id": ["P1", "P1"], "use": ["parking"] * 2}))
    sc = Scenario("a", pd.DataFrame({"plot_id": ["ZZ"], "use": ["parking"]}))
    with pytest.raises(ConfigError, match="not in the data: ZZ"):
        sc.uses(pd.DataFrame({"plot_id": ["P1"]}))


def test_plot_changes():
    a = pd.Series(["pocket_park", "parking", "none", "pocket_park", "none"])
    b = pd.Series(["pocket_park", "none", "parking", "parking", "none"])
    assert plot_changes(a, b).tolist() == ["same", "only_a", "only_b", "changed", "none"]


def test_compare_two_plans_on_the_scene(scene):
    layers = prepare_layers(scene)
    scored = planner.score(layers)
    a = evaluate_plan(
        scored, layers, pd.Series(["pocket_park", "none", "none"], index=scored.index), name="A"
    )
    b = evaluate_plan(
        scored, layers, pd.Series(["none", "pocket_park", "none"], index=scored.index), name="B"
    )
    cmp = compare_plans(a, b)
    d = cmp.district.set_index("figure")
    # plot A newly covers estate 1 (2,620); plot B estate 2 (2,096) within 300 m
    assert d.loc["residents_newly_covered", "a"] == 2620.0
    assert d.loc["residents_newly_covered", "b"] == 2096.0
    assert d.loc["residents_newly_covered", "difference"] == -524.0
    assert d.loc["plots_pocket_park"].tolist() == [1.0, 1.0, 0.0]
    assert cmp.plots["change"].tolist() == ["only_a", "only_b", "none"]
    assert np.isfinite(d.loc["capex_wan", ["a", "b"]].astype(float)).all()
    assert isinstance(cmp.plots, gpd.GeoDataFrame)


def test_the_indicator_card_side_by_side(demo_run):
    from planner.app.plan_report import comparison_tables, with_indicators

    table, scored, cfg = demo_run
    none = pd.Series("none", index=scored.index)
    prog = choose(scored, table.layers, "pocket_park", budget_yuan=2e6, distances=table.distances)
    a = evaluate_plan(
        scored, table.layers, none, config=cfg, distances=table.distances, name="nothing"
    )
    b = evaluate_plan(
        scored, table.layers, prog.uses(), config=cfg, distances=table.distances, name="parks"
    )
    run = (scored, table.layers, cfg, table.distances)
    cmp, said = with_indicators(compare_plans(a, b), [run, run])
    assert said == []
    ind = cmp.indicators.set_index("indicator")
    # building nothing leaves every indicator as it was; new parks raise 300 m green coverage
    assert (ind["official_after_a"].dropna() == ind["official_before"].dropna()).all()
    assert (
        ind.loc["green_300m_residents", "official_after_b"]
        > ind.loc["green_300m_residents", "official_before"]
    )
    sheets = comparison_tables(cmp, "en")
    assert list(sheets)[1] == "Indicator card (city health check), side by side"
