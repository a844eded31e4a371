"""The streamlit app through streamlit's AppTest: demo load, weights, upload, table."""

from __future__ import annotations

import ast
import io
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import geopandas as gpd
import pytest
from shapely.geometry import box
from streamlit.testing.v1 import AppTest

import planner
from planner.app import weights
from planner.app.i18n import tr
from planner.config import USES, PlannerConfig
from planner.io.write import OUTPUT_FORMATS
from planner.messages import Msg
from tests.conftest import ROOT

APP = str(Path(__file__).resolve().parents[2] / "streamlit_app.py")
TIMEOUT = 120


@pytest.fixture(scope="module")
def demo_counts() -> dict[str, int]:
    """What the library recommends for the demo with default settings (the app must agree)."""
    result = planner.score(planner.load_demo())
    return result["recommended_use"].value_counts().to_dict()


@pytest.fixture
def calls(monkeypatch):
    """Count compute_criteria calls (caches persist across tests: compare differences)."""
    counter = {"n": 0}
    real = planner.compute_criteria

    def counting(*args, **kwargs):
        counter["n"] += 1
        return real(*args, **kwargs)

    monkeypatch.setattr(planner, "compute_criteria", counting)
    return counter


def _app() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _summary(at: AppTest) -> str:
    return next(c.value for c in at.caption if "口袋公园" in c.value or "pocket" in c.value)


def _frame_with(at: AppTest, column_key: str):
    """The shown data frame having the column labelled ``tr(column_key)`` (either language)."""
    labels = {tr(column_key, "zh"), tr(column_key, "en")}
    frames = [d.value for d in at.dataframe if labels & set(d.value.columns)]
    assert len(frames) == 1, f"{len(frames)} frames with column {column_key}"
    return frames[0]


def _candidates(at: AppTest):
    return _frame_with(at, "rank")


def _zipped_plots(names: list[str]) -> bytes:
    plots = gpd.GeoDataFrame(
        {"plot_id": [f"U{i + 1}" for i in range(len(names))], "name": names},
        geometry=[
            box(116.35 + 0.002 * i, 40.0, 116.3506 + 0.002 * i, 40.0005) for i in range(len(names))
        ],
        crs="EPSG:4326",
    )
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        plots.to_file(Path(tmp) / "mine.shp", engine="pyogrio", encoding="UTF-8")
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w") as zf:
            for part in Path(tmp).iterdir():
                zf.write(part, part.name)
    return buf.getvalue()


def test_starts_on_the_demo_with_results(calls, demo_counts):
    at = _app()
    expected = tr(
        "summary_counts",
        "zh",
        park=demo_counts.get("pocket_park", 0),
        parking=demo_counts.get("parking", 0),
        none=demo_counts.get("none", 0),
    )
    assert _summary(at) == expected + " · " + tr("map_click_hint", "zh")
    table = _candidates(at)
    assert len(table) == 99
    assert table.iloc[0][tr("rank", "zh")] == 1
    labels = [b.label for b in at.get("download_button")]
    for ext in OUTPUT_FORMATS:
        assert tr("download_candidates", "zh", fmt=ext.lstrip(".").upper()) in labels
    assert tr("download_report", "zh") in labels
    assert calls["n"] <= 1  # measured once per data load (or already cached)


def test_changing_weights_reuses_the_measured_criteria(calls, demo_counts):
    at = _app()
    before = _candidates(at)
    n0 = calls["n"]
    for name in ("demand", "parking_gap", "road_access", "capacity"):
        at.slider(key=f"w.parking.{name}").set_value(0.0)
    at.slider(key="w.parking.poi_proximity").set_value(1.0)
    at.run()
    assert not at.exception
    after = _candidates(at)
    assert calls["n"] == n0  # only combine() reran
    assert not before[tr("parking_score", "zh")].equals(after[tr("parking_score", "zh")])
    # parking now rests on POI pull alone: most plots are far from the few POIs
    n_parking = (after[tr("recommended_use", "zh")] == tr("use_parking", "zh")).sum()
    assert n_parking < demo_counts["parking"]
    # a radius is measured geometry: changing it recomputes the criteria
    at.number_input(key="t.green_radius_m").set_value(400.0)
    at.run()
    assert calls["n"] == n0 + 1
    # all weights of a use at zero: a clear message, and results stay (defaults meanwhile)
    for crit in planner.config.PARK_CRITERIA:
        at.slider(key=f"w.pocket_park.{crit}").set_value(0.0)
    at.run()
    assert not at.exception
    zero = {u: {c: 0.0 for c in PlannerConfig().weights(u)} for u in USES}
    zero["parking"] = PlannerConfig().weights("parking")
    _, said = weights.settings_config(zero, {}, "zh")  # the library's reason, in 中文
    assert said and any(said[0][1] in e.value for e in at.error)
    assert len(_candidates(at)) == 99  # defaults used meanwhile


def _drop(at: AppTest, *files: tuple[str, bytes, str]) -> None:
    """Drop files on the first screen's drop zone (the sidebar) and run."""
    at.sidebar.file_uploader[0].set_value(list(files))
    at.run()
    assert not at.exception, [e.value for e in at.exception]


def test_upload_forms_the_users_own_project(calls):
    at = _app()
    assert any(tr("badge_demo", "zh") in i.value for i in at.info)
    # one drop, no role chosen, no button, no tab switch: the plots are scored
    _drop(at, ("mine.zip", _zipped_plots(["甲", "<b>乙</b>", "丙"]), "application/zip"))
    assert at.radio(key="source").value == "upload"
    roles = tr("drop_read", "zh", n=1, roles=f"{tr('layer_plots', 'zh')} (3)")
    assert any(roles in s.value for s in at.success)
    assert at.selectbox(key="role.mine.zip/mine.shp").value == "plots"
    table = _candidates(at)
    assert sorted(table[tr("plot_id", "zh")]) == ["U1", "U2", "U3"]  # no demo plot mixed in
    assert "<b>乙</b>" in table[tr("name", "zh")].tolist()  # shown as text by the grid
    yours = tr("badge_yours", "zh", files="")  # the badge: your data, by file (escaped)
    assert any(s.value.startswith(yours) and r"mine\.zip" in s.value for s in at.success)

    # a bad file in the next drop: a clear message; the good layer, settings and results stay
    at.slider(key="w.pocket_park.area_fit").set_value(1.0)
    _drop(
        at,
        ("mine.zip", _zipped_plots(["甲", "<b>乙</b>", "丙"]), "application/zip"),
        ("broken.geojson", b"{not json", "application/json"),
    )
    assert any(r"broken\.geojson" in e.value for e in at.error)
    assert len(_candidates(at)) == 3
    assert at.slider(key="w.pocket_park.area_fit").value == 1.0

    # the planner corrects a role: the plots layer made green space leaves no plots, and the
    # demo stands in, said so (greyed: a warning badge naming the waiting layers)
    at.selectbox(key="role.mine.zip/mine.shp").set_value("green")
    at.run()
    assert not at.exception
    waiting = tr("badge_demo_waiting", "zh", roles=tr("layer_green", "zh"))
    assert any(waiting in w.value for w in at.warning)
    assert len(_candidates(at)) == 99
    at.button(key="clear_project").click()
    at.run()
    assert not at.exception
    assert not [b for b in at.selectbox if str(b.key).startswith("role.")]
    assert not at.sidebar.file_uploader[0].value  # a fresh, empty drop zone
    assert any(tr("badge_demo", "zh") in i.value for i in at.info)


def test_table_filters_and_sorting(calls, demo_counts):
    at = _app()
    at.selectbox(key="f_use").set_value("parking")
    at.run()
    table = _candidates(at)
    assert len(table) == demo_counts["parking"]
    assert set(table[tr("recommended_use", "zh")]) == {tr("use_parking", "zh")}
    at.selectbox(key="f_use").set_value("all")
    at.slider(key="f_min").set_value(0.8)
    at.selectbox(key="f_sort").set_value("area_m2")
    at.run()
    table = _candidates(at)
    best = table[[tr("park_score", "zh"), tr("parking_score", "zh")]].max(axis=1)
    assert len(table) > 0 and (best >= 0.8).all()
    areas = table[tr("area_m2", "zh")].tolist()
    assert areas == sorted(areas, reverse=True)
    # life circles exist in the demo: filtering by one keeps only its plots
    circle = at.selectbox(key="f_circle").options[1]
    at.selectbox(key="f_circle").set_value(circle)
    at.run()
    assert set(_candidates(at)[tr("life_circle", "zh")]) == {circle}


def test_selecting_a_plot_shows_its_breakdown_and_english_switch(calls, demo_counts):
    at = _app()
    at.radio(key="lang").set_value("en")
    at.run()
    assert _summary(at).startswith(
        f"{demo_counts['pocket_park']} pocket parks, {demo_counts['parking']} car parks"
    )
    at.selectbox(key="selected").set_value("D001")
    at.run()
    assert any(h.value == f"{tr('breakdown', 'en')}: D001" for h in at.subheader)
    breakdown = _frame_with(at, "contribution")
    assert len(breakdown) == 11  # six pocket-park and five parking criteria
    assert abs(breakdown[tr("weight", "en")].sum() - 2.0) < 1e-9  # each use's weights sum to 1


def test_ahp_matrix_sets_the_weights(calls):
    from planner.decision import ahp

    assert ahp is not None
    at = _app()
    at.radio(key="ahp_use").set_value("parking")
    at.run()
    ahp_button = next(b for b in at.button if b.label == tr("ahp_apply", "zh"))
    assert not ahp_button.disabled  # all-equal judgements are perfectly consistent
    ahp_button.click()
    at.run()
    assert not at.exception
    for name in planner.config.PARKING_CRITERIA:  # equal judgements: equal weights
        assert at.slider(key=f"w.parking.{name}").value == pytest.approx(0.2)


def test_presets_set_the_weights(calls):
    from planner.decision import presets

    at = _app()
    name = next(iter(p for p in presets.PRESETS if p != "balanced"))
    at.selectbox(key="preset").set_value(name)
    at.run()
    assert not at.exception
    for crit, w in presets.PRESETS[name].park_weights.items():
        assert at.slider(key=f"w.pocket_park.{crit}").value == pytest.approx(w)


def test_selection_and_sensitivity(calls):
    at = _app()
    at.number_input(key="sel_k").set_value(3)
    at.checkbox(key="f_sens").check()
    at.run()
    assert not at.exception
    chosen = _frame_with(at, "marginal_new_residents")
    assert len(chosen) == 3
    assert (chosen[tr("marginal_new_residents", "zh")] > 0).all()
    table = _candidates(at)
    stability = table[tr("recommendation_stability", "zh")]
    assert stability.between(0, 1).all()


def test_selected_parking_plot_shows_its_layout(calls):
    result = planner.score(planner.load_demo())
    plot_id = str(result.loc[result["recommended_use"] == "parking", "plot_id"].iloc[0])
    at = _app()
    at.selectbox(key="selected").set_value(plot_id)
    at.run()
    assert not at.exception
    stalls = int(result.loc[result["plot_id"] == plot_id, "est_parking_spaces"].iloc[0])
    layout_text = [t.value for t in at.text if t.value.startswith("停车布局")]
    assert len(layout_text) == 1
    # the drawn layout holds some stalls; the core's estimate is of the same order
    n = int(layout_text[0].split("：")[1].split(" ")[0])
    assert 0 < n <= 2 * stalls


def test_targets_allocate_uses(calls):
    at = _app()
    at.number_input(key="tg_park").set_value(5000.0)  # a cap alone can always be met
    at.checkbox(key="tg_run").check()
    at.run()
    assert not at.exception
    allocated = _frame_with(at, "allocated_use")
    assert len(allocated) > 0
    result = planner.score(planner.load_demo())
    parks = allocated[allocated[tr("allocated_use", "zh")] == tr("use_pocket_park", "zh")]
    area = result.set_index("plot_id").loc[parks[tr("plot_id", "zh")], "area_m2"].sum()
    assert area <= 5000.0
    # an impossible target: a clear message, the rest of the app stays
    at.number_input(key="tg_spaces").set_value(100_000)
    at.run()
    assert not at.exception
    assert len(at.error) == 1
    assert len(_candidates(at)) == 99


def test_life_circle_card_demo_and_generated(calls):
    at = _app()
    demo_card = _frame_with(at, "new_pocket_parks")
    assert len(demo_card) == len(planner.load_demo().life_circles)
    # own layers without a life-circle layer: circles are generated and carded
    demo = planner.load_demo()
    at.radio(key="source").set_value("upload")
    at.run()
    _drop(
        at,
        *(
            (
                f"{role}.geojson",
                getattr(demo, role).to_crs(4326).to_json().encode(),
                "application/geo+json",
            )
            for role in ("plots", "residential", "roads")
        ),
    )
    assert not at.error, [e.value for e in at.error]
    assert {
        at.selectbox(key=f"role.{r}.geojson").value for r in ("plots", "residential", "roads")
    } == {"plots", "residential", "roads"}
    assert not at.exception
    card = _frame_with(at, "new_pocket_parks")
    assert len(card) >= 1
    assert card[tr("residents", "zh")].sum() > 0


PLAN_SHELL = str(Path(APP).with_name("streamlit_plan.py"))


@pytest.mark.parametrize("path", [APP, PLAN_SHELL], ids=["streamlit_app", "streamlit_plan"])
def test_the_shell_files_hold_no_geometry_and_no_decisions(path):
    text = Path(path).read_text(encoding="utf-8")
    for geometry_work in (
        "import shapely",
        "import geopandas",
        ".geometry",
        "to_crs(",
        "sindex",
        ".buffer(",
        ".intersects(",
    ):
        assert geometry_work not in text, geometry_work
    # decisions live in planner.app.views: no unit conversion, radius or coordinate shift here
    for decision in ("10_000", "10000", "_radius_m", "gcj02", "transform_geometries"):
        assert decision not in text, decision
    assert len(text.splitlines()) < 300
    # and still under 300 once ruff formats it (its call layouts take more lines)
    ruff = shutil.which("ruff") or shutil.which("ruff", path=str(ROOT / ".venv" / "bin"))
    cmd = [ruff] if ruff else [sys.executable, "-m", "ruff"]
    formatted = subprocess.run(
        [*cmd, "format", "--stdin-filename", Path(path).name, "-"],
        input=text,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    ).stdout
    assert len(formatted.splitlines()) < 300
    if path == APP:
        assert len(formatted.splitlines()) > 200
    tree = ast.parse(text)
    functions = {n.name: n for n in tree.body if isinstance(n, ast.FunctionDef)}
    for name, fn in functions.items():
        assert fn.end_lineno - fn.lineno < 80, f"{name} is {fn.end_lineno - fn.lineno} lines"


def test_the_app_file_is_a_thin_shell():
    text = Path(APP).read_text(encoding="utf-8")
    tree = ast.parse(text)
    functions = {n.name: n for n in tree.body if isinstance(n, ast.FunctionDef)}
    # one render_<tab>() per tab, each called by the module-level tab dispatch
    tabs_node = next(
        n
        for n in tree.body
        if isinstance(n, ast.Assign)
        and any(isinstance(t, ast.Name) and t.id == "TABS" for t in n.targets)
    )
    tabs = ast.literal_eval(tabs_node.value)
    assert {"map", "candidates", "data", "weights", "downloads"} <= set(tabs)
    module_level = [n for n in tree.body if not isinstance(n, ast.FunctionDef)]
    used = {n.id for node in module_level for n in ast.walk(node) if isinstance(n, ast.Name)}
    for tab in tabs:
        assert f"render_{tab}" in functions, f"no render_{tab}()"
        assert f"render_{tab}" in used, f"render_{tab}() is not dispatched"
    # module level: imports, constants, cached calls and render functions, page config, state
    # initialisation and the tab dispatch; no widget code (it is in the render functions)
    allowed = (ast.Import, ast.ImportFrom, ast.Assign, ast.FunctionDef, ast.Expr, ast.For, ast.With)
    assert all(isinstance(n, allowed) for n in module_level)
    for node in module_level:
        if isinstance(node, ast.With):  # with tab["..."]: render_...()
            assert all(isinstance(s, ast.Assign | ast.Expr) for s in node.body)
            calls = [s.value.func.id for s in node.body]
            assert all(c.startswith("render_") for c in calls), calls


def test_upload_with_a_broken_geometry_reads_the_rest_and_says_so(calls):
    import json

    good = [
        [[116.30, 39.90], [116.301, 39.90], [116.301, 39.901], [116.30, 39.901], [116.30, 39.90]]
    ]
    features = [
        {
            "type": "Feature",
            "properties": {"plot_id": pid, "name": pid},
            "geometry": {"type": "Polygon", "coordinates": coords},
        }
        for pid, coords in (("A1", good), ("B2", [[[116.31, 39.9], [116.311, 39.9]]]))
    ]
    data = json.dumps({"type": "FeatureCollection", "features": features}).encode()
    at = _app()
    _drop(at, ("cut.geojson", data, "application/geo+json"))
    said = [
        w.value
        for w in at.warning
        if tr("drop_read", "zh", n=1, roles=f"{tr('layer_plots', 'zh')} (1)") in w.value
    ]
    assert len(said) == 1 and "B2" in said[0]
    assert sorted(_candidates(at)[tr("plot_id", "zh")]) == ["A1"]


def test_base_maps_shift_or_fall_back(calls):
    at = _app()
    at.selectbox(key="basemap").set_value("amap")  # every layer shifted to GCJ-02
    at.selectbox(key="selected").set_value("D001")
    at.run()
    assert not at.exception
    assert any(h.value == f"{tr('breakdown', 'zh')}: D001" for h in at.subheader)
    at.selectbox(key="basemap").set_value("tianditu")  # no key: a message, and a map anyway
    at.run()
    assert not at.exception
    said = Msg("app.tianditu_key").localized("zh")  # in the page's language
    assert any(said in w.value for w in at.warning)


def test_programme_phases_scenarios_and_comparison(calls):
    at = _app()
    at.text_input(key="sel_phases").set_value("近期=300,中期=500")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    phases = _frame_with(at, "covered_cumulative")
    assert phases[tr("phase", "zh")].tolist() == ["近期", "中期"]
    assert (phases[tr("capex_wan", "zh")] <= phases[tr("limit", "zh")]).all()
    assert phases[tr("covered_cumulative", "zh")].is_monotonic_increasing
    at.text_input(key="scenario_name").set_value("分期方案")
    at.button(key="save_scenario").click()
    at.run()
    # a second scenario: one go, 300 万元, the worst-served life circle first
    at.text_input(key="sel_phases").set_value("")
    at.number_input(key="sel_budget").set_value(300.0)
    at.number_input(key="sel_k").set_value(100)
    at.selectbox(key="sel_objective").set_value("maxmin")
    at.text_input(key="scenario_name").set_value("<b>最差优先</b>")
    at.run()
    at.button(key="save_scenario").click()
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert list(at.session_state["scenarios"]) == ["分期方案", "<b>最差优先</b>"]
    district = _frame_with(at, "figure")
    first = at.session_state["scenarios"]["分期方案"].results
    col = next(c for c in district.columns if c.endswith("分期方案"))
    row = district[district[tr("figure", "zh")] == tr("fig_residents_newly_covered", "zh")]
    assert float(row[col].iloc[0]) == first["residents_newly_covered"]
    assert len(_frame_with(at, "use_a")) > 0  # plots that differ
    labels = [b.label for b in at.get("download_button")]
    assert tr("download_comparison", "zh", fmt="XLSX") in labels
