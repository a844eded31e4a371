"""End-to-end: the real app in a real browser (Debian's chromium, headless), no internet.

A fixture starts ``streamlit run streamlit_app.py`` on a free local port and always stops it.
Every request a page makes to anything but that local server is blocked and recorded, so the
tests prove that the app works offline (Leaflet served by the app itself, no CDN); base-map
tiles are blocked too, and the data layers must still draw.
"""

from __future__ import annotations

import csv
import io
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
import zipfile
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import box

from planner.app.i18n import tr
from planner.app.maps import USE_COLORS

CHROMIUM = Path("/usr/bin/chromium")
ROOT = Path(__file__).resolve().parents[2]
# the only reason to skip: no browser. Without Playwright (a test dependency) this fails.
pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="needs /usr/bin/chromium")
if CHROMIUM.exists():
    from playwright import sync_api as playwright_api
else:  # pragma: no cover
    playwright_api = None

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
#: A plot on the map: a path filled with one of the recommended-use colours.
PLOT_PATHS = ", ".join(f'path.leaflet-interactive[fill="{c}"]' for c in USE_COLORS.values())
EVIL = "<img src=x onerror=alert(1)>"
TIMEOUT_MS = 60_000


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def app_url():
    port = _free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            str(ROOT / "streamlit_app.py"),
            "--server.port",
            str(port),
            "--server.address",
            "127.0.0.1",
            "--server.headless",
            "true",
            "--browser.gatherUsageStats",
            "false",
            "--server.fileWatcherType",
            "none",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("streamlit did not start")
            time.sleep(0.3)
        yield url
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


@pytest.fixture(scope="module")
def browser():
    with playwright_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()


@pytest.fixture
def page(browser, app_url):
    context = browser.new_context(viewport={"width": 1400, "height": 1100}, accept_downloads=True)
    pg = context.new_page()
    pg.blocked = []  # requests that left the machine (none may be needed)
    pg.dialogs = []

    def route(r):
        if r.request.url.startswith(app_url) or r.request.url.startswith(
            ("data:", "blob:", "about:")
        ):
            r.continue_()
        else:
            pg.blocked.append(r.request.url)
            r.abort()

    pg.route("**/*", route)
    pg.on("dialog", lambda d: (pg.dialogs.append(d.message), d.dismiss()))
    pg.goto(app_url)
    yield pg
    context.close()


def _map_frame(pg, minimum: int):
    """The frame holding the Leaflet map once at least ``minimum`` plots are drawn."""
    deadline = time.monotonic() + TIMEOUT_MS / 1000
    while time.monotonic() < deadline:
        for f in pg.frames:
            try:
                if f.locator(PLOT_PATHS).count() >= minimum:
                    return f
            except playwright_api.Error:
                continue
        time.sleep(0.5)
    raise AssertionError(f"no map with {minimum} plots appeared")


def _plot_count(frame) -> int:
    return frame.locator(PLOT_PATHS).count()


def test_demo_map_shows_all_plots_offline(page):
    frame = _map_frame(page, 99)
    assert _plot_count(frame) == 99  # one path per demo plot
    # Leaflet came from the app itself, not a CDN
    assert frame.evaluate("typeof L !== 'undefined' && L.version") == "1.9.4"
    assert not [u for u in page.blocked if "tile" not in u], page.blocked
    # the legend is drawn and in Chinese by default
    legend = frame.locator(".planner-legend").inner_text()
    assert tr("use_pocket_park", "zh") in legend and tr("use_parking", "zh") in legend


def test_clicking_a_plot_shows_its_breakdown(page):
    frame = _map_frame(page, 99)
    paths = frame.locator(f'path.leaflet-interactive[fill="{USE_COLORS["pocket_park"]}"]')
    clicked = False
    for i in range(min(paths.count(), 15)):  # an L-shaped plot's box centre may miss it
        try:
            paths.nth(i).click(timeout=1500)
            clicked = True
            break
        except playwright_api.Error:
            continue
    assert clicked
    heading = page.get_by_text(tr("breakdown", "zh") + ": D", exact=False)
    heading.first.wait_for(timeout=TIMEOUT_MS)
    plot_id = heading.first.inner_text().split(": ")[-1].strip()
    assert plot_id.startswith("D")
    # the plot's recommendation and reasons are shown beside its breakdown table
    use_line = f"{tr('recommended_use', 'zh')}: {tr('use_pocket_park', 'zh')}"
    page.get_by_text(use_line, exact=False).first.wait_for(timeout=TIMEOUT_MS)
    page.get_by_text("建议口袋公园", exact=False).first.wait_for(timeout=TIMEOUT_MS)
    assert page.locator("[data-testid=stDataFrame]").count() >= 2  # breakdown + candidates
    # the selection is outlined on the map without redrawing it
    frame.locator('path.leaflet-interactive[stroke="#ff00ff"]').first.wait_for(timeout=TIMEOUT_MS)


def _zipped_shapefile(folder: Path) -> Path:
    plots = gpd.GeoDataFrame(
        {"plot_id": ["U1", "U2", "U3"], "name": [EVIL, "空地二", "空地三"]},
        geometry=[
            box(116.350, 40.000, 116.3505, 40.0004),
            box(116.352, 40.000, 116.3526, 40.0005),
            box(116.354, 40.000, 116.3547, 40.0006),
        ],
        crs="EPSG:4326",
    )
    shp = folder / "my_plots.shp"
    plots.to_file(shp, engine="pyogrio", encoding="UTF-8")
    archive = folder / "my_plots.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for part in folder.glob("my_plots.*"):
            if part.suffix != ".zip":
                zf.write(part, part.name)
    return archive


def test_uploaded_zipped_shapefile_replaces_the_demo(page, tmp_path):
    _map_frame(page, 99)
    archive = _zipped_shapefile(tmp_path)
    # one step: the file dropped on the first screen's drop zone; no tab, no role, no button
    page.locator("section[data-testid=stSidebar] input[type=file]").set_input_files(str(archive))
    deadline = time.monotonic() + TIMEOUT_MS / 1000
    frame = None
    while time.monotonic() < deadline:  # the demo map is replaced by the 3 uploaded plots
        counts = []
        for f in page.frames:
            try:
                counts.append((f.locator(PLOT_PATHS).count(), f))
            except playwright_api.Error:
                continue
        drawn = [f for n, f in counts if n == 3]
        if drawn and not [n for n, _ in counts if n == 99]:
            frame = drawn[0]
            break
        time.sleep(0.5)
    assert frame is not None, "the uploaded plots did not replace the demo on the map"
    # the hostile name is shown as text and runs nothing
    frame.locator(PLOT_PATHS).first.hover()
    tip = frame.locator(".leaflet-tooltip").first
    tip.wait_for(timeout=TIMEOUT_MS)
    assert EVIL in tip.inner_text()
    assert frame.locator("img[src=x]").count() == 0
    assert page.dialogs == []


def test_csv_download_has_one_row_per_plot(page):
    _map_frame(page, 99)
    page.get_by_role("tab", name=tr("tab_downloads", "zh")).click()
    button = page.get_by_role("button", name=tr("download_candidates", "zh", fmt="CSV"))
    with page.expect_download(timeout=TIMEOUT_MS) as info:
        button.click()
    data = Path(info.value.path()).read_bytes().decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(data)))
    assert len(rows) == 99
    assert len({r["plot_id"] for r in rows}) == 99
    assert {"plot_id", "recommended_use", "park_score", "lon", "lat"} <= set(rows[0])


# --- the planner's whole path, in each language (issue 18) -----------------------------------
PATH_NAMES = ["东门边角地", "西侧空地", EVIL, "北街口", "南楼间绿带", "站前闲置地"]


def _planner_files(folder: Path) -> list[Path]:
    """A zipped GBK shapefile of plots (no .cpg), GeoJSON green space and homes, near Haidian.

    Plots 680 m apart, each with its own homes 100 m away: every one of them newly serves
    residents no other reaches, so five sites can be chosen.
    """
    x0, y0, step = 116.350, 40.000, 0.008
    plots = gpd.GeoDataFrame(
        {"编号": [f"P{i + 1}" for i in range(len(PATH_NAMES))], "名称": PATH_NAMES},
        geometry=[
            box(x0 + step * i, y0, x0 + step * i + 0.0007, y0 + 0.0006)
            for i in range(len(PATH_NAMES))
        ],
        crs="EPSG:4326",
    )
    shp = folder / "shp"
    shp.mkdir()
    plots.to_file(shp / "闲置地块.shp", engine="pyogrio", encoding="GBK")
    (shp / "闲置地块.cpg").unlink(missing_ok=True)
    archive = folder / "idle_plots.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for part in shp.iterdir():
            zf.write(part, part.name)
    green = gpd.GeoDataFrame(
        {"name": ["小游园"]},
        geometry=[box(x0 - 0.004, y0, x0 - 0.003, y0 + 0.001)],
        crs="EPSG:4326",
    )
    homes = gpd.GeoDataFrame(
        {"population": [400, 600, 800, 300, 500, 700]},
        geometry=gpd.points_from_xy([x0 + step * i + 0.0003 for i in range(6)], [y0 + 0.0015] * 6),
        crs="EPSG:4326",
    )
    (folder / "绿地.geojson").write_text(green.to_json(), encoding="utf-8")
    (folder / "homes.geojson").write_text(homes.to_json(), encoding="utf-8")
    return [archive, folder / "绿地.geojson", folder / "homes.geojson"]


def _download(page, label: str) -> bytes:
    """Press a download button; again if a rerun replaced it before the file came."""
    for _ in range(4):
        try:
            with page.expect_download(timeout=TIMEOUT_MS / 3) as info:
                page.get_by_role("button", name=label, exact=True).click()
            return Path(info.value.path()).read_bytes()
        except playwright_api.TimeoutError:
            continue
    raise AssertionError(f"no download from {label!r}")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_planners_path_from_files_to_downloads(page, tmp_path, lang):
    import openpyxl

    _map_frame(page, 99)  # the demo first
    if lang == "en":
        page.get_by_text("English", exact=True).click()
        page.get_by_role("tab", name=tr("tab_map", "en")).wait_for(timeout=TIMEOUT_MS)
        page.get_by_text(tr("open_data", "en")[:30]).wait_for(timeout=TIMEOUT_MS)
        _map_frame(page, 99)  # the rerun in English has finished
    started = time.monotonic()
    page.locator("section[data-testid=stSidebar] input[type=file]").set_input_files(
        [str(p) for p in _planner_files(tmp_path)]
    )
    deadline = time.monotonic() + TIMEOUT_MS / 1000
    frame = None
    while time.monotonic() < deadline and frame is None:  # the 6 plots replace the demo's 99
        for f in page.frames:
            try:
                if _plot_count(f) == len(PATH_NAMES):
                    frame = f
            except playwright_api.Error:
                continue
        time.sleep(0.3)
    assert frame is not None, "the dropped plots did not reach the map"
    print(f"[{lang}] drop to map: {time.monotonic() - started:.1f} s, 1 action (drop)")
    # Chinese names read from GBK intact, the hostile one as text
    frame.locator(PLOT_PATHS).nth(0).hover()
    tip = frame.locator(".leaflet-tooltip").first
    tip.wait_for(timeout=TIMEOUT_MS)
    assert PATH_NAMES[0] in tip.inner_text()
    frame.locator(PLOT_PATHS).nth(2).hover()
    page.wait_for_timeout(300)
    assert EVIL in frame.locator(".leaflet-tooltip").last.inner_text()
    # click a plot: its breakdown
    frame.locator(PLOT_PATHS).nth(1).click()
    page.get_by_text(tr("breakdown", lang) + ": P2", exact=False).first.wait_for(timeout=TIMEOUT_MS)
    # change a weight (keyboard on the first slider of the Weights tab)
    page.get_by_role("tab", name=tr("tab_weights", lang)).click()
    slider = page.get_by_role("slider").first
    before = float(slider.input_value())
    slider.focus()
    page.keyboard.press("ArrowRight")
    deadline = time.monotonic() + TIMEOUT_MS / 1000
    while float(slider.input_value()) == before and time.monotonic() < deadline:
        time.sleep(0.2)
    assert float(slider.input_value()) == pytest.approx(before + 0.05)
    # choose 5 sites
    page.get_by_role("tab", name=tr("tab_candidates", lang)).click()
    k = page.get_by_label(tr("selection_k", lang))
    k.fill("5")
    k.press("Enter")
    chosen = {"zh": "选中 5 处，", "en": "5 sites, "}[lang]
    assert tr(
        "plan_result", lang, n=5, capex=0, upkeep=0, covered=0, total=0, per_wan=0
    ).startswith(chosen)
    page.get_by_text(chosen, exact=False).first.wait_for(timeout=2 * TIMEOUT_MS)
    # downloads: the XLSX keeps every name as text, the report escapes them
    page.get_by_role("tab", name=tr("tab_downloads", lang)).click()
    xlsx = tmp_path / "candidates.xlsx"
    xlsx.write_bytes(_download(page, tr("download_candidates", lang, fmt="XLSX")))
    sheet = openpyxl.load_workbook(xlsx).worksheets[0]
    header = [c.value for c in sheet[1]]
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert len(rows) == len(PATH_NAMES)
    names = {r[header.index("name")] for r in rows}
    assert names == set(PATH_NAMES)
    assert all(c.data_type != "f" for row in sheet.iter_rows() for c in row)
    report = _download(page, tr("download_report", lang)).decode("utf-8")
    assert "<img src=x onerror" not in report and "&lt;img src=x onerror" in report
    assert PATH_NAMES[0] in report
    assert page.dialogs == []
    assert all(f.locator("img[src=x]").count() == 0 for f in page.frames if not f.is_detached())
    print(f"[{lang}] whole path: {time.monotonic() - started:.1f} s")


def _commit_text(page, label: str, text: str) -> None:
    """Type into the streamlit text input labelled ``label`` and commit it (Enter)."""
    box_ = page.get_by_label(label, exact=True)
    box_.click()
    box_.fill(text)
    box_.press("Enter")


def test_two_scenarios_compared_and_the_comparison_downloaded(page):
    from planner.decision.compare import DISTRICT_FIGURES

    _map_frame(page, 99)
    page.get_by_role("tab", name=tr("tab_candidates", "zh")).click()
    phase_heading = page.get_by_text(tr("phase_table", "zh"), exact=True)
    _commit_text(page, tr("phases_input", "zh"), "近期=300,中期=500")
    phase_heading.first.wait_for(timeout=TIMEOUT_MS)
    for name in ("甲方案", "乙方案"):
        if name == "乙方案":  # the second: all at once, within the default 8 sites
            _commit_text(page, tr("phases_input", "zh"), "")
            phase_heading.first.wait_for(state="detached", timeout=TIMEOUT_MS)
        _commit_text(page, tr("scenario_name", "zh"), name)
        page.get_by_role("button", name=tr("save_scenario", "zh")).click()
        page.get_by_text(tr("scenario_saved", "zh", name=name)).first.wait_for(timeout=TIMEOUT_MS)
    page.get_by_role("tab", name=tr("tab_compare", "zh")).click()
    page.get_by_text(tr("compare_district", "zh"), exact=True).first.wait_for(timeout=TIMEOUT_MS)
    button = page.get_by_role("button", name=tr("download_comparison", "zh", fmt="CSV"))
    with page.expect_download(timeout=TIMEOUT_MS) as info:
        button.click()
    data = Path(info.value.path()).read_bytes().decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(data)))
    assert len(rows) == len(DISTRICT_FIGURES)
    assert any(h.endswith("甲方案") for h in rows[0]) and any(h.endswith("乙方案") for h in rows[0])
    covered = next(
        r for r in rows if r[tr("figure", "zh")] == tr("fig_residents_newly_covered", "zh")
    )
    a = float(next(v for k, v in covered.items() if k.endswith("甲方案")))
    b = float(next(v for k, v in covered.items() if k.endswith("乙方案")))
    assert a > b > 0  # two phases (800 万元) reach more than eight sites at once
    assert not [u for u in page.blocked if "tile" not in u], page.blocked


# --- the plot layer drawn on a canvas, its tooltips written in the browser (issue 17) -------
def _canvas_map_page() -> str:
    """A map of more plots than draw on SVG, the first named EVIL, scored by hand."""
    from planner.app.maps import CANVAS_MIN_PLOTS, build_map, map_html

    n = CANVAS_MIN_PLOTS + 1
    side = 50
    x = 500_000.0 + (pd.RangeIndex(n) % side) * 60.0
    y = 4_330_000.0 + (pd.RangeIndex(n) // side) * 60.0
    result = gpd.GeoDataFrame(
        {
            "plot_id": [f"E{i}" for i in range(n)],
            "name": [EVIL] + [f"地块{i}" for i in range(1, n)],
            "park_score": 0.87,
            "parking_score": float("nan"),
            "recommended_use": "pocket_park",
            "excluded": False,
        },
        geometry=[box(a, b, a + 30, b + 20) for a, b in zip(x, y, strict=True)],
        crs="EPSG:4548",
    )
    return map_html(build_map(result, basemap="none", lang="en"))


def test_canvas_plot_tooltip_shows_text_from_data_as_text(browser):
    from planner.app.maps import SERVED_VENDOR_URL, VENDOR_DIR

    body = _canvas_map_page().encode("utf-8")
    origin = "http://map.invalid"
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    pg = context.new_page()
    dialogs = []
    pg.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))

    def route(r):
        url = r.request.url
        if url == origin + "/":
            r.fulfill(status=200, body=body, content_type="text/html; charset=utf-8")
        elif url.startswith(origin + SERVED_VENDOR_URL + "/"):
            rel = url.removeprefix(origin + SERVED_VENDOR_URL + "/")
            r.fulfill(status=200, path=str(VENDOR_DIR / rel))
        else:
            r.abort()

    pg.route("**/*", route)
    try:
        pg.goto(origin + "/")
        pg.wait_for_function("document.querySelector('canvas.leaflet-zoom-animated') !== null")
        assert pg.locator("path.leaflet-interactive").count() == 0  # drawn on the canvas
        # zoom to the first plot and hover its centre
        point = pg.evaluate("""() => {
            const map = window[document.querySelector('.folium-map').id];
            let first = null;
            map.eachLayer(l => {
                if (l.feature && l.feature.properties.plot_id === 'E0') { first = l; }
            });
            map.setView(first.getCenter(), 18, {animate: false});
            window.clicked = [];  // the app learns a click from the plot's own click event
            first.on('click', e => window.clicked.push(e.target.feature.properties.plot_id));
            const p = map.latLngToContainerPoint(first.getCenter());
            const box = map.getContainer().getBoundingClientRect();
            return [box.left + p.x, box.top + p.y];
        }""")
        pg.mouse.move(point[0] - 5, point[1] - 5)
        pg.mouse.move(point[0], point[1])
        tip = pg.locator(".leaflet-tooltip").first
        tip.wait_for(timeout=TIMEOUT_MS)
        text = tip.inner_text()
        assert EVIL in text and "E0" in text
        assert "0.87" in text and "–" in text  # a missing score shows as a dash
        assert pg.locator("img[src=x]").count() == 0 and dialogs == []
        pg.mouse.click(point[0], point[1])
        pg.wait_for_function("window.clicked.length > 0", timeout=TIMEOUT_MS)
        assert pg.evaluate("window.clicked") == ["E0"]
    finally:
        context.close()
