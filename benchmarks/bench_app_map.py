"""The app's map and weight sliders at scale: page size, build, browser draw, re-weighting.

Run: ``python benchmarks/bench_app_map.py [SIZES ...] [--before REF] [--repeat N]`` (not part
of the tests). Plots are a grid of 30 × 20 m boxes 60 m apart, scored with plots only.

For each size, side by side in one run:

* **map** — ``build_map`` (no base map) + ``map_html``: build and render seconds and page bytes
  (UTF-8), for the map module of git ``REF`` (default ``main``, loaded from ``git show``; the
  map before issue 17's light plot layer is ``bdb648b``) and for the working tree; then
  **draw**: the page opened in Debian's headless chromium (the project's browser tests'
  launch options, ``tests/app/test_browser.py``), Leaflet served from the vendored folder,
  every other request refused; the time from navigation start to the plots being drawn —
  every plot's ``path`` in the DOM (SVG), or the canvas holding drawn pixels (canvas: Leaflet
  draws every feature in one frame), read in the page as ``performance.now()`` on the
  animation frame it became true; median of ``--repeat`` loads.
* **re-weighting** — one slider moved (each criterion's weight in turn): the new scores,
  recommendation and rank from the kept criterion scores (``WeightBase.reweigh``) plus the
  plot layer's data for the map with the kept geometry (``maps.plot_layer``, serialised);
  median and maximum over the moves. For reference: ``planner.combine`` (scores with the
  reasons in two languages) and the whole map page rebuilt with the kept geometry.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import geopandas as gpd
import numpy as np
from shapely.geometry import box

import planner
from planner.app import maps
from planner.app.weights import WeightBase, default_weights, weights_from_sliders

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "app"))

PAGE_URL = "http://bench.invalid/map.html"
VENDOR_URL = "http://bench.invalid" + maps.SERVED_VENDOR_URL + "/"
DRAWN_JS = """(n) => {
    if (document.querySelectorAll('path.leaflet-interactive').length >= n) {
        return performance.now();
    }
    for (const c of document.querySelectorAll('canvas.leaflet-zoom-animated')) {
        if (!c.width) { continue; }
        const probe = document.createElement('canvas');
        probe.width = 64; probe.height = 64;
        const g = probe.getContext('2d');
        g.drawImage(c, 0, 0, 64, 64);
        const px = g.getImageData(0, 0, 64, 64).data;
        for (let i = 3; i < px.length; i += 4) { if (px[i] > 0) { return performance.now(); } }
    }
    return false;
}"""


def grid(n: int) -> gpd.GeoDataFrame:
    side = int(np.ceil(np.sqrt(n)))
    i = np.arange(n)
    x0 = 500_000.0 + (i % side) * 60.0
    y0 = 4_330_000.0 + (i // side) * 60.0
    geoms = [box(x, y, x + 30, y + 20) for x, y in zip(x0, y0, strict=True)]
    return gpd.GeoDataFrame(
        {"plot_id": [f"G{k}" for k in i], "name": [f"地块 {k}" for k in i]},
        geometry=geoms,
        crs="EPSG:4548",
    )


def module_at(ref: str, file: str, name: str):  # noqa: ANN201 - a module
    """The module ``file`` (``planner/app/maps.py``) as it is at git ``ref``, as ``name``."""
    text = subprocess.run(
        ["git", "show", f"{ref}:{file}"],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    path = Path(tempfile.mkdtemp()) / f"{name}.py"
    path.write_text(text, encoding="utf-8")
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def maps_of(ref: str):  # noqa: ANN201 - a module
    """``planner/app/maps.py`` as it is at git ``ref``, imported under another name."""
    return module_at(ref, "planner/app/maps.py", "maps_before")


def timed(fn, *args, **kwargs):  # noqa: ANN001, ANN201
    t = time.perf_counter()
    out = fn(*args, **kwargs)
    return out, time.perf_counter() - t


class Browser:
    """Headless chromium as the browser tests launch it; pages served from memory."""

    def __init__(self) -> None:
        from playwright.sync_api import sync_playwright
        from test_browser import CHROMIUM, CHROMIUM_ARGS

        self._pw = sync_playwright().start()
        self.browser = self._pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        self.version = self.browser.version

    def draw_seconds(self, page_html: str, n_plots: int) -> float:
        """Seconds from navigation start until the plots are drawn (see the module's text)."""
        context = self.browser.new_context(viewport={"width": 1400, "height": 1000})
        page = context.new_page()
        body = page_html.encode("utf-8")

        def route(r) -> None:  # noqa: ANN001
            url = r.request.url
            if url == PAGE_URL:
                r.fulfill(status=200, body=body, content_type="text/html; charset=utf-8")
            elif url.startswith(VENDOR_URL):
                path = maps.VENDOR_DIR / url.removeprefix(VENDOR_URL)
                r.fulfill(status=200, path=str(path))
            else:
                r.abort()

        page.route("**/*", route)
        try:
            page.goto(PAGE_URL, wait_until="commit", timeout=120_000)
            handle = page.wait_for_function(DRAWN_JS, arg=n_plots, polling="raf", timeout=120_000)
            return float(handle.json_value()) / 1000
        finally:
            context.close()

    def close(self) -> None:
        self.browser.close()
        self._pw.stop()


def slider_moves(config: planner.PlannerConfig) -> list[planner.PlannerConfig]:
    """One configuration per slider, that slider moved up by 0.1 from the defaults."""
    base = default_weights()
    out = []
    for key in base:
        moved = dict(base, **{key: round(base[key] + 0.1, 2)})
        out.append(
            planner.PlannerConfig.from_dict(
                {"weights": weights_from_sliders(moved)}, source="bench"
            )
        )
    return out


def reweighting(table, result, config, geometry) -> dict[str, float]:  # noqa: ANN001
    """Re-weighting figures (seconds): median and max over the slider moves, and references."""
    base, t_base = timed(WeightBase.of, table, config)
    times = []
    for moved in slider_moves(config):
        t = time.perf_counter()
        r = base.reweigh(moved)
        layer = maps.plot_layer(
            r.frame(),
            geometry,
            moved,
            color_by="use",
            lang="zh",
            popup_detail=False,
            uses=r.use_codes(),
        )
        _ = layer.columns
        times.append(time.perf_counter() - t)
    _, t_combine = timed(planner.combine, table, config)
    page, t_page = timed(
        lambda: maps.map_html(
            maps.build_map(result, table.layers, basemap="none", plot_geometry=geometry)
        )
    )
    return {
        "base": t_base,
        "median": statistics.median(times),
        "max": max(times),
        "combine": t_combine,
        "page": t_page,
    }


def map_figures(module, result, layers, browser: Browser | None, repeat: int) -> dict:  # noqa: ANN001
    m, t_build = timed(module.build_map, result, layers, basemap="none")
    page, t_render = timed(module.map_html, m)
    draws = (
        [browser.draw_seconds(page, len(result)) for _ in range(repeat)] if browser else [np.nan]
    )
    return {
        "build": t_build,
        "render": t_render,
        "mb": len(page.encode("utf-8")) / 1e6,
        "draw": statistics.median(draws),
    }


def machine() -> str:
    import folium
    import shapely

    load = os.getloadavg()
    return (
        f"{platform.machine()} {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"folium {folium.__version__}, shapely {shapely.__version__}, "
        f"load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}"
    )


def main(sizes: list[int], before_ref: str, repeat: int, use_browser: bool) -> None:
    before = maps_of(before_ref)
    browser = Browser() if use_browser else None
    print(machine() + (f", chromium {browser.version}" if browser else ""))
    print(
        "plots  version  build_s  render_s  page_MB  draw_s | reweigh+map_ms(med/max)"
        "  base_ms  combine_s  page_after_reweigh_s"
    )
    try:
        for n in sizes:
            layers = planner.Layers(plots=grid(n))
            config = planner.PlannerConfig()
            table = planner.compute_criteria(layers, config)
            result = planner.combine(table, config)
            for label, module in ((before_ref, before), ("now", maps)):
                f = map_figures(module, result, table.layers, browser, repeat)
                print(
                    f"{n:>6}  {label:>7}  {f['build']:7.2f}  {f['render']:8.2f}"
                    f"  {f['mb']:7.2f}  {f['draw']:6.2f} |",
                    flush=True,
                )
            geometry = maps.encode_plots(result, max_zoom=maps.MAP_MAX_ZOOM)
            r = reweighting(table, result, config, geometry)
            print(
                f"{n:>6}  {'now':>7}  {'':>7}  {'':>8}  {'':>7}  {'':>6} |"
                f"  {r['median'] * 1e3:6.1f} / {r['max'] * 1e3:6.1f}"
                f"  {r['base'] * 1e3:7.1f}  {r['combine']:9.2f}  {r['page']:8.2f}",
                flush=True,
            )
    finally:
        if browser:
            browser.close()
    load = os.getloadavg()
    print(f"load average after: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[1000, 5000, 20000])
    parser.add_argument("--before", default="main", help="git ref of the map to compare with")
    parser.add_argument("--repeat", type=int, default=3, help="browser loads per page")
    parser.add_argument("--no-browser", action="store_true", help="skip the draw times")
    args = parser.parse_args()
    main(args.sizes, args.before, args.repeat, not args.no_browser)
