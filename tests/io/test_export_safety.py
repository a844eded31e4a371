"""Writing: text stays text in spreadsheets, outputs never destroy inputs, nothing partial.

Known answers: each formula payload of OWASP's "CSV Injection" page comes back from the
.xlsx and .csv with a single quote in front and never as a formula; numbers come back as
numbers; GeoPackage, GeoJSON and shapefile text comes back exactly. Every command refuses an
output that is one of its inputs and leaves the input byte for byte; a full disk, an
unwritable folder and SIGTERM/SIGHUP mid-write leave neither the target nor a temporary file.
"""

from __future__ import annotations

import csv
import hashlib
import html
import io
import os
import resource
import signal
import subprocess
import sys
import threading
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import pytest
import shapely
from openpyxl import load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from shapely.geometry import box

from planner.app.report import export_bytes, html_table
from planner.cli import main
from planner.errors import OutputError
from planner.io import write_candidates
from planner.io.write import (
    CONTROL_CHARACTERS,
    check_csv_rows,
    check_features,
    check_xlsx_sheets,
    read_field_map,
    spreadsheet_text,
)

X0, Y0 = 39_500_000.0, 4_330_000.0
EVIL_HTML = "<img src=x onerror=alert(1)>"
#: (written, what a spreadsheet export holds)
PAYLOADS = [
    ('=HYPERLINK("http://x.example","click")', '\'=HYPERLINK("http://x.example","click")'),
    ("+1+cmd|' /C calc'!A0", "'+1+cmd|' /C calc'!A0"),
    ("-2+3", "'-2+3"),
    ("@SUM(A1)", "'@SUM(A1)"),
    ("\t=1", "'\t=1"),
    ("\r=1", "' =1"),  # quoted first, then the line break is a space
    ("ok\x01\x1b name", "ok name"),  # control characters a worksheet cannot hold
    ("\x01=1", "'=1"),  # removed first, so the formula is seen
    ("left\rright", "left right"),  # a bare CR would split the CSV row
    ("两行\n文字", "两行 文字"),
    (EVIL_HTML, EVIL_HTML),  # not a spreadsheet danger: kept
    ("西青区口袋公园", "西青区口袋公园"),
]
WRITTEN = [w for w, _ in PAYLOADS]
SAFE = [s for _, s in PAYLOADS]


@pytest.fixture
def evil() -> gpd.GeoDataFrame:
    """One plot per payload, in name and (reversed) reasons, with negative numbers beside."""
    n = len(WRITTEN)
    return gpd.GeoDataFrame(
        {
            "plot_id": [f"P{i}" for i in range(n)],
            "name": WRITTEN,
            "reasons": WRITTEN[::-1],
            "area_m2": [1500.0 - 10 * i for i in range(n)],
            "delta": [-2.5 * i for i in range(n)],  # negative numbers stay numbers
            "rank": list(range(1, n + 1)),
        },
        geometry=[box(X0 + 100 * i, Y0, X0 + 100 * i + 50, Y0 + 30) for i in range(n)],
        crs="EPSG:4527",
    )


def _csv_rows(path: Path) -> list[list[str]]:
    with open(path, encoding="utf-8-sig", newline="") as f:
        return list(csv.reader(f))


# --- 1. text stays text ------------------------------------------------------------------------


def test_spreadsheet_text_quotes_triggers_and_leaves_numbers():
    table = pd.DataFrame(
        {
            "text": WRITTEN,
            "mixed": [-1, "-1", 2.5, None, "=A1", True, "a", "b", "c", "d", "e", "f"],
            "number": np.linspace(-5, 5, len(WRITTEN)),
            "=header": ["x"] * len(WRITTEN),
        }
    )
    safe = spreadsheet_text(table)
    assert safe["text"].tolist() == SAFE
    assert safe["mixed"].tolist()[:6] == [-1, "'-1", 2.5, None, "'=A1", True]
    assert safe["number"].dtype == float and safe["number"].equals(table["number"])
    assert list(safe.columns) == ["text", "mixed", "number", "'=header"]
    assert table["text"].tolist() == WRITTEN  # the caller's table is not changed


def test_removed_control_characters_are_openpyxls_illegal_ones():
    import re

    ours = {c for c in map(chr, range(128)) if re.fullmatch(CONTROL_CHARACTERS, c)}
    openpyxls = {c for c in map(chr, range(128)) if ILLEGAL_CHARACTERS_RE.fullmatch(c)}
    assert ours == openpyxls and "\t" not in ours and "\r" not in ours


def test_xlsx_stores_payloads_as_quoted_text_and_numbers_as_numbers(tmp_path, evil):
    out = write_candidates(evil, tmp_path / "c.xlsx")
    ws = load_workbook(out)["candidates"]
    cells = [c for row in ws.iter_rows() for c in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]  # no formula anywhere
    header = [c.value for c in ws[1]]
    col = {name: i for i, name in enumerate(header)}
    rows = list(ws.iter_rows(min_row=2, values_only=True))
    assert len(rows) == len(WRITTEN)
    assert [r[col["name"]] for r in rows] == SAFE
    assert [r[col["reasons"]] for r in rows] == SAFE[::-1]
    for r, want in zip(rows, evil["delta"], strict=True):
        assert isinstance(r[col["area_m2"]], int | float)
        assert isinstance(r[col["delta"]], int | float) and r[col["delta"]] == want
    assert ws.cell(row=2, column=col["name"] + 1).data_type == "s"


def test_csv_keeps_one_row_per_plot_and_quotes_payloads(tmp_path, evil):
    out = write_candidates(evil, tmp_path / "c.csv")
    rows = _csv_rows(out)
    assert len(rows) == len(WRITTEN) + 1  # the bare CR split no row
    assert len(out.read_bytes().splitlines()) == len(WRITTEN) + 1  # not even for line tools
    header = rows[0]
    assert [r[header.index("name")] for r in rows[1:]] == SAFE
    assert [r[header.index("reasons")] for r in rows[1:]] == SAFE[::-1]
    back = pd.read_csv(out, encoding="utf-8-sig")
    assert back["delta"].dtype == float and back["delta"].tolist() == evil["delta"].tolist()
    assert back["area_m2"].tolist() == evil["area_m2"].tolist()


@pytest.mark.parametrize("ext", [".csv", ".xlsx"])
def test_app_downloads_are_neutralised_too(evil, ext):
    data = export_bytes(evil, ext)
    if ext == ".csv":
        rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
        names = [r[rows[0].index("name")] for r in rows[1:]]
    else:
        ws = load_workbook(io.BytesIO(data))["candidates"]
        names = [c.value for c in ws["B"][1:]]
        assert all(c.data_type != "f" for row in ws.iter_rows() for c in row)
    assert names == SAFE


@pytest.mark.parametrize("ext", [".gpkg", ".geojson", ".shp.zip"])
def test_geographic_formats_keep_text_exactly(tmp_path, evil, ext):
    out = write_candidates(evil, tmp_path / f"c{ext}")
    back = pyogrio.read_dataframe(out)
    if ext == ".shp.zip":
        back = back.rename(columns=read_field_map(out))
    assert back["name"].tolist() == WRITTEN
    assert back["reasons"].tolist() == WRITTEN[::-1]


def test_kml_keeps_formula_text_and_xml_rules_the_rest(tmp_path, evil):
    out = write_candidates(evil, tmp_path / "c.kml")
    names = pyogrio.read_dataframe(out)["Name"].tolist()
    # formula-looking text is not a danger in KML: kept exactly
    assert names[:5] == WRITTEN[:5]
    # XML 1.0 holds no C0 control but tab/LF/CR (GDAL drops them), and reads CR as LF
    assert names[5] == "\n=1" and names[6] == "ok name" and names[8] == "left\nright"
    assert names[10] == EVIL_HTML
    assert EVIL_HTML not in out.read_text(encoding="utf-8")  # escaped in the file


@pytest.mark.parametrize("ext", [".csv", ".xlsx", ".gpkg", ".geojson"])
def test_life_circle_report_card_follows_the_same_rules(tmp_path, evil, ext):
    from types import SimpleNamespace

    from planner.cli.lifecircles import write_report

    card = evil[["name", "delta", "geometry"]]
    report = SimpleNamespace(card=card, plots=evil, circles=SimpleNamespace(catchments=None))
    out = write_report(report, tmp_path / f"card{ext}")
    if ext == ".csv":
        rows = _csv_rows(out)
        assert [r[0] for r in rows[1:]] == SAFE
        assert [float(r[1]) for r in rows[1:]] == evil["delta"].tolist()
    elif ext == ".xlsx":
        book = load_workbook(out)
        assert [c.value for c in book["life_circles"]["A"][1:]] == SAFE
        assert [c.value for c in book["plots"]["B"][1:]] == SAFE
        assert all(c.data_type != "f" for ws in book for row in ws.iter_rows() for c in row)
    else:
        layer = "life_circles" if ext == ".gpkg" else None
        assert pyogrio.read_dataframe(out, layer=layer)["name"].tolist() == WRITTEN


def test_html_tables_escape_data_and_keep_formulas_as_text():
    page = html_table(pd.DataFrame({"name": WRITTEN[:4] + [EVIL_HTML]}))
    assert EVIL_HTML not in page and "<img" not in page
    assert html.escape(EVIL_HTML, quote=True) in page
    assert html.escape(WRITTEN[0], quote=True) in page  # shown as the text it is


# --- 2. Z and M geometry ------------------------------------------------------------------------


def _zm_plots() -> gpd.GeoDataFrame:
    x, y = X0, Y0
    geoms = [
        shapely.from_wkt(
            f"POLYGON ZM (({x} {y} 5 1, {x + 50} {y} 5 2, {x + 50} {y + 30} 6 3, "
            f"{x} {y + 30} 6 4, {x} {y} 5 1))"
        ),
        shapely.from_wkt(
            f"POLYGON M (({x + 100} {y} 1, {x + 120} {y} 2, {x + 120} {y + 20} 3, {x + 100} {y} 1))"
        ),
        shapely.from_wkt(
            f"POLYGON Z (({x + 200} {y} 9, {x + 210} {y} 9, {x + 210} {y + 10} 9, "
            f"{x + 200} {y + 10} 9, {x + 200} {y} 9))"
        ),
        box(x + 300, y, x + 340, y + 10),
    ]
    return gpd.GeoDataFrame(
        {"plot_id": ["zm", "m", "z", "xy"], "area_m2": [1500.0, 200.0, 100.0, 400.0]},
        geometry=geoms,
        crs="EPSG:4527",
    )


@pytest.mark.parametrize("ext", [".gpkg", ".geojson", ".kml", ".shp.zip", ".csv", ".xlsx"])
def test_z_and_m_geometry_is_written_2d(tmp_path, ext):
    plots = _zm_plots()
    out = write_candidates(plots, tmp_path / f"c{ext}")
    if ext == ".csv":
        assert len(_csv_rows(out)) == 5
        return
    if ext == ".xlsx":
        assert load_workbook(out)["candidates"].max_row == 5
        return
    back = pyogrio.read_dataframe(out)
    geoms = back.geometry.to_numpy()
    assert not shapely.has_z(geoms).any() and not shapely.has_m(geoms).any()
    np.testing.assert_allclose(
        back.geometry.to_crs(4527).area, [1500.0, 200.0, 100.0, 400.0], atol=0.5
    )
    assert shapely.has_z(plots.geometry.to_numpy()).sum() == 2  # the caller's frame unchanged


# --- 3a. an output is never an input ------------------------------------------------------------


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def city(tmp_path) -> Path:
    """A copy of the demo district: a GeoPackage whose layers are roles."""
    from planner.data.demo import DEMO_PATH

    path = tmp_path / "city.gpkg"
    path.write_bytes(Path(DEMO_PATH).read_bytes())
    return path


def _refused(capsys, args, protected: Path) -> str:
    before = _digest(protected)
    folder = sorted(p.name for p in protected.parent.iterdir())
    code = main([str(a) for a in args])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 2, err
    assert len(err) == 1 and err[0].startswith("error: "), err
    assert _digest(protected) == before
    assert sorted(p.name for p in protected.parent.iterdir()) == folder  # no temp file
    return err[0]


@pytest.mark.parametrize(
    "command",
    [
        ["score"],
        ["select", "--use", "parking", "--k", "2"],
        ["allocate"],
        ["sensitivity"],
        ["parking"],
        ["lifecircles"],
    ],
)
def test_every_command_refuses_to_write_over_its_layers_file(capsys, city, command):
    line = _refused(capsys, [*command, "--layers", city, "--out", city], city)
    assert line == (
        f"error: {city}: is an input of this run; writing it would destroy the "
        "input: give another output file"
    )


@pytest.mark.parametrize("spelling", ["layer", "dot", "symlink", "hardlink"])
def test_the_same_file_under_another_name_is_refused(tmp_path, capsys, city, spelling):
    if spelling == "layer":
        args = ["--plots", f"{city}:plots", "--out", city]
    elif spelling == "dot":
        args = ["--layers", city, "--out", tmp_path / "." / "sub" / ".." / "city.gpkg"]
        (tmp_path / "sub").mkdir()
    else:
        alias = tmp_path / "alias.gpkg"
        (alias.symlink_to if spelling == "symlink" else alias.hardlink_to)(city)
        args = ["--layers", city, "--out", alias]
    line = _refused(capsys, ["score", *args], city)
    assert "is an input of this run" in line


def test_config_file_demo_file_and_second_output_are_inputs_too(
    tmp_path, capsys, city, monkeypatch
):
    config = tmp_path / "weights.csv"
    config.write_text("[thresholds]\n", encoding="utf-8")
    assert "is an input" in _refused(
        capsys, ["score", "--layers", city, "--config", config, "--out", config], config
    )
    # --demo reads the bundled district: a copy stands in for it here
    monkeypatch.setattr("planner.data.demo.DEMO_PATH", city)
    assert "is an input" in _refused(capsys, ["score", "--demo", "--out", city], city)
    curve = tmp_path / "curve.csv"
    curve.write_text("keep", encoding="utf-8")
    assert "given as two outputs" in _refused(
        capsys,
        [
            "select",
            "--layers",
            city,
            "--use",
            "parking",
            "--k",
            "2",
            "--out",
            curve,
            "--curve",
            curve,
        ],
        curve,
    )
    assert "is an input" in _refused(
        capsys,
        [
            "select",
            "--layers",
            city,
            "--use",
            "parking",
            "--k",
            "2",
            "--config",
            config,
            "--out",
            tmp_path / "s.gpkg",
            "--curve",
            config,
        ],
        config,
    )


def test_import_osm_refuses_to_write_over_its_extract(capsys, tmp_path):
    extract = tmp_path / "area.gpkg"
    extract.write_bytes(b"<osm/>")
    assert "is an input" in _refused(capsys, ["import-osm", extract, "--out", extract], extract)


@pytest.mark.parametrize("case", ["file_as_folder", "missing_folder", "folder_as_output"])
def test_unwritable_output_is_one_error_line_before_any_work(tmp_path, capsys, case):
    blocker = tmp_path / "blocker.csv"
    blocker.write_text("x", encoding="utf-8")
    (tmp_path / "d.csv").mkdir()
    out = {
        "file_as_folder": blocker / "o.csv",
        "missing_folder": tmp_path / "no" / "o.csv",
        "folder_as_output": tmp_path / "d.csv",
    }[case]
    line = _refused(capsys, ["score", "--demo", "--out", out], blocker)
    want = {
        "file_as_folder": "is a file, not a folder",
        "missing_folder": "does not exist",
        "folder_as_output": "is a folder",
    }[case]
    assert want in line


# --- 3b. what was written is checked before it is moved into place -------------------------------


def test_check_functions_find_short_files(tmp_path, evil):
    gpkg = write_candidates(evil, tmp_path / "c.gpkg")
    check_features(gpkg, {"candidates": len(evil)})
    with pytest.raises(OutputError, match=f"read back {len(evil)} features of 99"):
        check_features(gpkg, {"candidates": 99})
    with pytest.raises(OutputError, match="does not read back"):
        check_features(gpkg, {"stalls": 1})
    csv_file = write_candidates(evil, tmp_path / "c.csv")
    with pytest.raises(OutputError, match=f"read back {len(evil)} rows of 13"):
        check_csv_rows(csv_file, 13, 8)
    xlsx = write_candidates(evil, tmp_path / "c.xlsx")
    check_xlsx_sheets(xlsx, {"candidates": len(evil), "columns": 8})
    with pytest.raises(OutputError, match="sheet plots missing"):
        check_xlsx_sheets(xlsx, {"plots": 1})
    truncated = tmp_path / "t.xlsx"
    truncated.write_bytes(xlsx.read_bytes()[:2000])
    with pytest.raises(OutputError, match="does not open"):
        check_xlsx_sheets(truncated, {"candidates": len(evil)})


@pytest.mark.parametrize("ext", [".csv", ".gpkg", ".xlsx"])
def test_a_file_that_does_not_read_back_is_not_moved_into_place(tmp_path, evil, monkeypatch, ext):
    target = tmp_path / f"c{ext}"
    target.write_text("the previous result", encoding="utf-8")
    if ext == ".csv":  # a writer that loses the last row
        real = pd.DataFrame.to_csv
        monkeypatch.setattr(
            pd.DataFrame, "to_csv", lambda self, *a, **k: real(self.iloc[:-1], *a, **k)
        )
    elif ext == ".gpkg":  # a driver that keeps one feature
        real_file = gpd.GeoDataFrame.to_file
        monkeypatch.setattr(
            gpd.GeoDataFrame, "to_file", lambda self, *a, **k: real_file(self.iloc[:1], *a, **k)
        )
    else:
        real_xl = pd.DataFrame.to_excel
        monkeypatch.setattr(
            pd.DataFrame, "to_excel", lambda self, *a, **k: real_xl(self.iloc[:2], *a, **k)
        )
    with pytest.raises(OutputError, match=rf"c{ext}: could not write \(read back"):
        write_candidates(evil, target)
    assert target.read_text(encoding="utf-8") == "the previous result"
    assert [p.name for p in tmp_path.iterdir()] == [target.name]


# --- 3c. a full disk ------------------------------------------------------------------------------

#: Largest file the subprocess may write, bytes (every demo output is larger).
FSIZE_LIMIT = 20_000


def _limited_file_size() -> None:
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # write() then fails with EFBIG
    resource.setrlimit(resource.RLIMIT_FSIZE, (FSIZE_LIMIT, FSIZE_LIMIT))


@pytest.mark.parametrize("ext", ["kml", "gpkg", "xlsx", "csv"])
def test_full_disk_is_one_error_line_and_leaves_nothing(tmp_path, ext):
    # GDAL's KML writer does not report the failed writes: reading the file back finds them
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "planner",
            "score",
            "--demo",
            "--workers",
            "1",
            "-q",
            "--out",
            f"o.{ext}",
        ],
        cwd=tmp_path,
        env=env,
        preexec_fn=_limited_file_size,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    lines = proc.stderr.strip().splitlines()
    assert proc.returncode == 2, proc.stderr
    assert len(lines) == 1 and lines[0].startswith(f"error: o.{ext}: could not write ("), lines
    assert list(tmp_path.iterdir()) == []


# --- 3d. SIGTERM / SIGHUP mid-write -------------------------------------------------------------

SLOW_WRITER = """
import sys, time
from pathlib import Path
import planner.io.write as w
from planner.cli import main

def slow(gdf, path):
    Path(path).write_text("half a table", encoding="utf-8")
    print("writing", flush=True)
    time.sleep(120)

w.OUTPUT_FORMATS[".csv"] = slow
sys.exit(main(sys.argv[1:]))
"""


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGHUP])
def test_signal_mid_write_removes_the_temp_file(tmp_path, sig):
    script = tmp_path / "slow.py"
    script.write_text(SLOW_WRITER, encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    proc = subprocess.Popen(
        [
            sys.executable,
            str(script),
            "score",
            "--demo",
            "--workers",
            "1",
            "-q",
            "--out",
            str(out / "o.csv"),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
        # the signal at its default in the child: under nohup SIGHUP is ignored, and the
        # writer rightly leaves an ignored signal alone
        preexec_fn=lambda: signal.signal(sig, signal.SIG_DFL),
    )
    try:
        assert proc.stdout.readline() == "writing\n"
        temps = [p.name for p in out.iterdir()]
        assert len(temps) == 1 and temps[0].startswith(".o.") and temps[0].endswith(".csv")
        proc.send_signal(sig)
        assert proc.wait(timeout=60) == 128 + sig
    finally:
        proc.kill()
        proc.communicate()
    assert list(out.iterdir()) == []


def test_handlers_restored_ignored_signals_left_alone_threads_untouched(
    tmp_path, evil, monkeypatch
):
    import planner.io.write as w

    seen = {}

    def spy(gdf, path):
        seen[threading.current_thread().name] = (
            signal.getsignal(signal.SIGTERM),
            signal.getsignal(signal.SIGHUP),
        )
        Path(path).write_text("x", encoding="utf-8")

    monkeypatch.setitem(w.OUTPUT_FORMATS, ".csv", spy)
    before = signal.getsignal(signal.SIGTERM)
    old_hup = signal.signal(signal.SIGHUP, signal.SIG_IGN)  # as under nohup
    try:
        write_candidates(evil, tmp_path / "a.csv")
        worker = threading.Thread(
            target=write_candidates, args=(evil, tmp_path / "b.csv"), name="script"
        )
        worker.start()
        worker.join()
    finally:
        hup_after = signal.signal(signal.SIGHUP, old_hup)
    main_term, main_hup = seen[threading.main_thread().name]
    assert main_term is not before and callable(main_term)  # installed while writing
    assert main_hup is signal.SIG_IGN  # nohup's choice kept
    assert seen["script"] == (before, signal.SIG_IGN)  # no handler from a thread
    assert signal.getsignal(signal.SIGTERM) is before and hup_after is signal.SIG_IGN
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.csv", "b.csv"]
