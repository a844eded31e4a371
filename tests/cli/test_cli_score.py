"""``planner score`` end to end, and every bad-input case: exit 2, one error line, no output."""

import geopandas as gpd
import pandas as pd
import pyogrio
import pytest
from shapely.geometry import Point, box

from planner.cli import main
from planner.scoring import LEAD_COLUMNS


def run(capsys, *args):
    code = main([str(a) for a in args])
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.mark.parametrize("ext", [".gpkg", ".geojson", ".csv"])
def test_score_demo_every_format(tmp_path, capsys, ext):
    out = tmp_path / f"candidates{ext}"
    code, _, err = run(capsys, "score", "--demo", "--out", out)
    assert code == 0, err
    assert "wrote 99 plots" in err
    assert "[100%]" in err  # progress was shown
    if ext == ".csv":
        table = pd.read_csv(out, encoding="utf-8-sig")
        assert out.read_bytes()[:3] == b"\xef\xbb\xbf"
        assert {"lon", "lat"} <= set(table.columns)
    else:
        table = pyogrio.read_dataframe(out)
        assert table.geometry.notna().all()
    assert len(table) == 99
    for col in LEAD_COLUMNS:
        assert col in table.columns
    assert table["name"].str.contains("站").any()  # Chinese text survives


def test_score_layers_file_with_per_role_override(tmp_path, capsys):
    from planner.data.demo import load_demo

    layers = load_demo()
    gpkg = tmp_path / "layers.gpkg"
    for role, frame in layers.present():
        frame.to_file(gpkg, layer=role, driver="GPKG")
    few = tmp_path / "plots.geojson"
    layers.plots.iloc[:5].to_file(few, driver="GeoJSON")
    out = tmp_path / "c.csv"
    code, _, err = run(capsys, "score", "--layers", gpkg, "--plots", few, "--out", out)
    assert code == 0, err
    assert len(pd.read_csv(out, encoding="utf-8-sig")) == 5


def test_score_with_config(tmp_path, capsys):
    cfg = tmp_path / "w.toml"
    cfg.write_text("[thresholds]\nrecommend_min_score = 1.0\n", encoding="utf-8")
    out = tmp_path / "c.csv"
    code, _, err = run(capsys, "score", "--demo", "--config", cfg, "--out", out, "-q")
    assert code == 0, err
    assert set(pd.read_csv(out, encoding="utf-8-sig")["recommended_use"]) == {"none"}


def _write(path, frame, driver):
    import warnings

    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "'crs' was not provided", UserWarning)
        frame.to_file(path, driver=driver)
    return path


def _cases(tmp_path):
    pts = gpd.GeoDataFrame(geometry=[Point(117, 39)], crs="EPSG:4326")
    nocrs = gpd.GeoDataFrame(geometry=[box(0, 0, 10, 10)])
    empty = gpd.GeoDataFrame({"a": []}, geometry=gpd.GeoSeries([], crs="EPSG:4326"))
    (tmp_path / "garbage.geojson").write_text("this is not json", encoding="utf-8")
    (tmp_path / "bad.toml").write_text("[weights.parking]\ndemand = -3\n", encoding="utf-8")
    return {
        "missing file": (["--plots", tmp_path / "nope.gpkg"], "nope.gpkg: file not found"),
        "unreadable": (
            ["--plots", tmp_path / "garbage.geojson"],
            "garbage.geojson: cannot be read",
        ),
        "points as plots": (
            ["--plots", _write(tmp_path / "pts.geojson", pts, "GeoJSON")],
            "pts.geojson: layer 'plots'",
        ),
        "no crs": (
            ["--plots", _write(tmp_path / "nocrs.shp", nocrs, "ESRI Shapefile")],
            "nocrs.shp: layer 'plots' has no CRS",
        ),
        "empty": (
            ["--plots", _write(tmp_path / "empty.gpkg", empty, "GPKG")],
            "empty.gpkg: layer 'plots' has no features",
        ),
        "bad config": (
            ["--demo", "--config", tmp_path / "bad.toml"],
            "bad.toml: weights.parking.demand must be a number >= 0",
        ),
        "no input": ([], "no input"),
        "demo and layers": (["--demo", "--layers", tmp_path / "x.gpkg"], "exclude each other"),
    }


@pytest.mark.parametrize(
    "case",
    [
        "missing file",
        "unreadable",
        "points as plots",
        "no crs",
        "empty",
        "bad config",
        "no input",
        "demo and layers",
    ],
)
def test_bad_input_exit_2_one_line_no_output(tmp_path, capsys, case):
    args, message = _cases(tmp_path)[case]
    out = tmp_path / "out.gpkg"
    code, _, err = run(capsys, "score", *args, "--out", out, "-q")
    assert code == 2
    lines = [ln for ln in err.splitlines() if ln.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: "), err
    assert message in lines[0]
    assert "Traceback" not in err
    assert not out.exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".out")] == []


def test_unknown_option_and_bad_output(tmp_path, capsys):
    code, _, err = run(capsys, "score", "--demo", "--colour", "red", "--out", tmp_path / "a.csv")
    assert code == 2 and err.startswith("error: No such option")
    code, _, err = run(capsys, "score", "--demo", "--out", tmp_path / "a.docx")
    assert code == 2 and "a.docx: unknown output format" in err
    code, _, err = run(capsys, "score", "--demo", "--out", tmp_path / "no" / "a.csv")
    assert code == 2 and "does not exist" in err


def test_console_script_entry_point_runs(tmp_path):
    import subprocess
    import sys

    out = tmp_path / "c.geojson"
    proc = subprocess.run(
        [sys.executable, "-m", "planner", "score", "--demo", "--out", str(out), "-q"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    assert out.exists()
    # the program ends without freeing its memory (planner.cli.program.end_program), after
    # its output is complete and its messages are flushed
    out = tmp_path / "c.gpkg"
    proc = subprocess.run(
        [sys.executable, "-m", "planner", "score", "--demo", "--out", str(out)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr.strip().splitlines()[-1].startswith("wrote 99 plots to ")
    assert len(gpd.read_file(out)) == 99 and not list(tmp_path.glob(".*c.gpkg*"))
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "planner",
            "score",
            "--plots",
            "x.shp",
            "--out",
            str(tmp_path / "d.csv"),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 2
    assert proc.stderr.strip().splitlines()[-1] == "error: x.shp: file not found"
