"""``planner select``, ``ahp``, ``allocate`` and ``sensitivity`` end to end."""

import json

import pandas as pd
import pyogrio
import pytest

from planner.cli import main


def run(capsys, *args):
    code = main([str(a) for a in args])
    out = capsys.readouterr()
    return code, out.out, out.err


def one_error_line(err):
    lines = [x for x in err.splitlines() if x.strip()]
    return len(lines) == 1 and lines[0].startswith("error: ") and "Traceback" not in err


DRINKS_CSV = """,coffee,wine,tea,beer,sodas,milk,water
coffee,1,9,5,2,1,1,1/2
wine,1/9,1,1/3,1/9,1/9,1/9,1/9
tea,1/5,3,1,1/3,1/4,1/3,1/9
beer,1/2,9,3,1,1/2,1,1/3
sodas,1,9,4,2,1,2,1/2
milk,1,9,3,1,1/2,1,1/3
water,2,9,9,3,2,3,1
"""


def test_ahp_json_on_saaty_drinks(tmp_path, capsys):
    # Saaty (2008), Int. J. Services Sciences 1(1): 83-98 — published weights and CR .022
    f = tmp_path / "drinks.csv"
    f.write_text(DRINKS_CSV, encoding="utf-8")
    code, out, err = run(capsys, "ahp", f, "--json")
    assert code == 0, err
    data = json.loads(out)
    assert {k: round(v, 3) for k, v in data["weights"].items()} == {
        "coffee": 0.177,
        "wine": 0.019,
        "tea": 0.042,
        "beer": 0.116,
        "sodas": 0.190,
        "milk": 0.129,
        "water": 0.327,
    }
    assert round(data["cr"], 3) == 0.022


def test_ahp_text_with_use_prints_config_section(tmp_path, capsys):
    f = tmp_path / "m.csv"
    f.write_text(",green_gap,new_coverage\ngreen_gap,1,1/3\nnew_coverage,3,1\n", encoding="utf-8")
    code, out, err = run(capsys, "ahp", f, "--use", "pocket_park")
    assert code == 0, err
    assert "CR = 0.000" in out
    assert "[weights.pocket_park]\ngreen_gap = 0.2500\nnew_coverage = 0.7500" in out


@pytest.mark.parametrize(
    ("text", "match"),
    [
        (",a,b,c\na,1,9,1/9\nb,1/9,1,9\nc,9,1/9,1\n", "inconsistent: CR = "),
        (",a,b\na,1,3\nb,3,1\n", "not reciprocal"),
        (",a,b\na,1\nb,1,1\n", "row 2 has 1 judgements"),
    ],
)
def test_ahp_bad_matrix_exits_2_with_one_line(tmp_path, capsys, text, match):
    f = tmp_path / "m.csv"
    f.write_text(text, encoding="utf-8")
    code, out, err = run(capsys, "ahp", f, "--json")
    assert code == 2
    assert out == ""
    assert one_error_line(err) and match in err


def test_ahp_missing_file(tmp_path, capsys):
    code, _, err = run(capsys, "ahp", tmp_path / "nope.csv")
    assert code == 2 and one_error_line(err) and "cannot read" in err


def test_select_demo_end_to_end(tmp_path, capsys):
    out, curve = tmp_path / "sel.gpkg", tmp_path / "curve.csv"
    code, _, err = run(
        capsys,
        "select",
        "--demo",
        "--use",
        "pocket_park",
        "--k",
        4,
        "--curve",
        curve,
        "--out",
        out,
        "-q",
    )
    assert code == 0, err
    table = pyogrio.read_dataframe(out)
    assert {"selected", "marginal_new_residents", "park_score", "rank"} <= set(table.columns)
    assert int(table["selected"].sum()) == 4
    c = pd.read_csv(curve, encoding="utf-8-sig")
    assert c["sites"].tolist() == [0, 1, 2, 3, 4]
    assert c["covered_residents"].is_monotonic_increasing
    # the curve's last point is the optimum the selection reached
    covered = float(err.split("pocket_park: ")[1].split(" of ")[0].replace(",", ""))
    assert c["covered_residents"].iloc[-1] == covered
    # every chosen plot adds someone no other chosen plot covers, or the optimum would
    # not need it... unless there is nothing left to cover
    assert (table.loc[table["selected"], "marginal_new_residents"] > 0).all()


@pytest.mark.parametrize(
    ("args", "match"),
    [
        (("--use", "pocket_park"), "give --k N, --budget YUAN, --budget-wan WAN, --max-area M2"),
        (("--use", "pocket_park", "--budget", 1, "--budget-wan", 1), "--budget-wan (10,000 yuan)"),
        (("--use", "pocket_park", "--phases", "近期"), "NAME=LIMIT"),
        (("--use", "pocket_park", "--phases", "a=1", "--k", 2), "phases set their own limits"),
        (("--use", "pocket_park", "--k", 2, "--scenario", "a.txt"), "written as .toml"),
        (("--use", "parking", "--k", 2, "--objective", "supply"), "for pocket parks"),
        (("--use", "pocket_park", "--k", 3, "--curve", "c.txt"), "written as .csv"),
        (("--use", "lawn", "--k", 3), "Invalid value for '--use'"),
        (("--k", 3), "Missing option '--use'"),
        (("--use", "parking", "--k", -1), "Invalid value for '--k'"),
    ],
)
def test_select_bad_options_exit_2_and_write_nothing(tmp_path, capsys, args, match):
    out = tmp_path / "sel.csv"
    code, _, err = run(capsys, "select", "--demo", *args, "--out", out)
    assert code == 2
    assert one_error_line(err) and match in err
    assert list(tmp_path.iterdir()) == []


def _scene_gpkg(scene, tmp_path):
    path = tmp_path / "scene.gpkg"
    for role, frame in scene.present():
        frame.to_file(path, layer=role, driver="GPKG")
    return path


def test_allocate_without_pois_is_one_error_and_no_file(scene, tmp_path, capsys):
    gpkg = _scene_gpkg(scene, tmp_path)
    out = tmp_path / "alloc.csv"
    code, _, err = run(
        capsys, "allocate", "--layers", gpkg, "--parking-spaces", 10, "--out", out, "-q"
    )
    assert code == 2 and one_error_line(err) and "needs a POI layer" in err
    assert not out.exists()


def test_allocate_demo_meets_the_targets(tmp_path, capsys):
    out = tmp_path / "alloc.csv"
    # on foot, the plots within 300 m of the metro station score below the threshold for
    # parking, so the target is set within a 500 m walk of it
    code, _, err = run(
        capsys,
        "allocate",
        "--demo",
        "--parking-spaces",
        50,
        "--near-distance",
        500,
        "--max-park-area",
        20000,
        "--budget",
        15_000_000,
        "--out",
        out,
        "-q",
    )
    assert code == 0, err
    t = pd.read_csv(out, encoding="utf-8-sig")
    park = t["allocated_use"] == "pocket_park"
    parking = t["allocated_use"] == "parking"
    assert t.loc[parking & t["near_target_poi"], "est_parking_spaces"].sum() >= 50
    assert t.loc[park, "area_m2"].sum() <= 20000
    # every plot costs what the [costs] table says; capex_wan is rounded to 0.01 万元
    assert t["capex_wan"].sum() <= 1500 + 0.005 * len(t)
    assert (t.loc[~(park | parking), "capex_wan"] == 0).all()
    # the same budget in 万元 gives the same programme
    out3 = tmp_path / "alloc3.csv"
    code, _, err = run(
        capsys,
        "allocate",
        "--demo",
        "--parking-spaces",
        50,
        "--near-distance",
        500,
        "--max-park-area",
        20000,
        "--budget-wan",
        1500,
        "--out",
        out3,
        "-q",
    )
    assert code == 0, err
    assert (
        pd.read_csv(out3, encoding="utf-8-sig")["allocated_use"].tolist()
        == t["allocated_use"].tolist()
    )
    # a target no plot set can meet: exit 2, one line, no file
    out2 = tmp_path / "alloc2.csv"
    code, _, err = run(
        capsys, "allocate", "--demo", "--parking-spaces", 100_000, "--out", out2, "-q"
    )
    assert code == 2 and one_error_line(err) and "cannot be met" in err
    assert not out2.exists()


def test_sensitivity_scene_columns_and_seed(scene, tmp_path, capsys):
    gpkg = _scene_gpkg(scene, tmp_path)
    a, b = tmp_path / "a.csv", tmp_path / "b.csv"
    for path in (a, b):
        code, _, err = run(
            capsys,
            "sensitivity",
            "--layers",
            gpkg,
            "--draws",
            200,
            "--seed",
            4,
            "--top-k",
            1,
            "--out",
            path,
            "-q",
        )
        assert code == 0, err
    ta, tb = (pd.read_csv(p, encoding="utf-8-sig") for p in (a, b))
    pd.testing.assert_frame_equal(ta, tb)
    for col in (
        "top_k_share",
        "rank_p5",
        "rank_p95",
        "recommendation_stability",
        "recommendation_flips",
    ):
        assert col in ta.columns
    assert ta["top_k_share"].sum() == pytest.approx(1.0)  # one plot is first in every draw
    code, _, err = run(
        capsys, "sensitivity", "--layers", gpkg, "--spread", 1.5, "--out", tmp_path / "c.csv"
    )
    assert code == 2 and one_error_line(err)


def test_preset_option(scene, tmp_path, capsys):
    gpkg = _scene_gpkg(scene, tmp_path)
    out = tmp_path / "s.csv"
    code, _, err = run(
        capsys,
        "select",
        "--layers",
        gpkg,
        "--use",
        "pocket_park",
        "--k",
        1,
        "--preset",
        "elderly_friendly",
        "--out",
        out,
        "-q",
    )
    assert code == 0, err
    assert pd.read_csv(out, encoding="utf-8-sig")["selected"].sum() == 1
    code, _, err = run(
        capsys,
        "select",
        "--layers",
        gpkg,
        "--use",
        "pocket_park",
        "--k",
        1,
        "--preset",
        "sunny",
        "--out",
        tmp_path / "t.csv",
    )
    assert code == 2 and one_error_line(err) and "--preset" in err


def test_scenarios_compare_and_equity_on_the_command_line(tmp_path, capsys):
    a, b = tmp_path / "a.toml", tmp_path / "b.toml"
    code, _, err = run(
        capsys,
        "select",
        "--demo",
        "--use",
        "pocket_park",
        "--budget-wan",
        200,
        "--scenario",
        a,
        "--name",
        "方案A",
        "--report",
        tmp_path / "a.html",
        "--lang",
        "en",
        "--out",
        tmp_path / "a.gpkg",
        "-q",
    )
    assert code == 0, err
    assert "residents per 万元" in err
    assert "Programme" in (tmp_path / "a.html").read_text(encoding="utf-8")
    code, _, err = run(
        capsys,
        "select",
        "--demo",
        "--use",
        "pocket_park",
        "--phases",
        "近期=100,远期=100",
        "--scenario",
        b,
        "--out",
        tmp_path / "b.gpkg",
        "-q",
    )
    assert code == 0, err
    out = tmp_path / "cmp.csv"
    code, _, err = run(capsys, "compare", a, b, "--demo", "--out", out, "-q")
    assert code == 0, err
    district = pd.read_csv(out, encoding="utf-8-sig")
    assert len(district) == 18 and "方案A" in district.columns[1]
    # a file that is not a scenario: one error line, nothing written
    bad = tmp_path / "bad.toml"
    bad.write_text("[weights]\n", encoding="utf-8")
    code, _, err = run(capsys, "compare", a, bad, "--demo", "--out", tmp_path / "x.csv")
    assert code == 2 and one_error_line(err) and "not a planner scenario" in err
    assert not (tmp_path / "x.csv").exists()
    code, _, err = run(capsys, "compare", a, b, "--demo", "--out", tmp_path / "x.pdf")
    assert code == 2 and one_error_line(err) and ".xlsx" in err
    code, _, err = run(
        capsys, "equity", "--demo", "--scenario", b, "--out", tmp_path / "e.gpkg", "-q"
    )
    assert code == 0, err
    assert "Gini" in err
    assert len(pyogrio.read_dataframe(tmp_path / "e.gpkg")) == 91  # the demo's estates


@pytest.mark.parametrize(
    ("lang", "said"),
    [
        ("", "error: give --k N, --budget YUAN, --budget-wan WAN, --max-area M2 or --phases"),
        ("en", "error: give --k N, --budget YUAN, --budget-wan WAN, --max-area M2 or --phases"),
        (
            "zh_CN.UTF-8",
            "error: 请给出 --k N、--budget 元、--budget-wan 万元、--max-area 平方米 或 --phases",
        ),
    ],
)
def test_errors_are_in_english_or_in_chinese_with_planner_lang(
    lang, said, tmp_path, capsys, monkeypatch
):
    monkeypatch.setenv("PLANNER_LANG", lang)
    out = tmp_path / "chosen.csv"
    code, _, err = run(capsys, "select", "--demo", "--use", "pocket_park", "--out", out, "-q")
    assert code == 2 and one_error_line(err) and err.strip() == said
    assert not out.exists()


def test_a_bad_file_is_named_as_it_is_and_its_problem_said_in_chinese(
    tmp_path, capsys, monkeypatch
):
    monkeypatch.setenv("PLANNER_LANG", "zh")
    bad = tmp_path / "判断矩阵.csv"
    bad.write_text("x,a,b\na,1,2\nb,1/2,1,9\n", encoding="utf-8")
    code, _, err = run(capsys, "ahp", bad)
    assert code == 2 and one_error_line(err)
    assert err.strip() == f"error: {bad}：第 3 行有 3 个判断值，应为 2 个"
