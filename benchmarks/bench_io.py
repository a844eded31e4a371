"""Timings of the data-in/out layer (not collected by pytest).

Run: /work/venv/bin/python benchmarks/bench_io.py
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

import geopandas as gpd
import numpy as np
import shapely

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from planner.io import load_layer, write_candidates  # noqa: E402
from planner.io.coords import gcj02_to_wgs84, wgs84_to_gcj02  # noqa: E402
from planner.io.osm import build_layers  # noqa: E402

SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "data"


def timed(label, fn, *args, **kwargs):
    t = time.perf_counter()
    out = fn(*args, **kwargs)
    print(f"{label:55s} {time.perf_counter() - t:8.3f} s")
    return out


def main() -> None:
    rng = np.random.default_rng(1)
    n = 1_000_000
    lon, lat = rng.uniform(100, 125, n), rng.uniform(20, 45, n)
    timed(f"wgs84_to_gcj02, {n:,} points", wgs84_to_gcj02, lon, lat)
    glon, glat = wgs84_to_gcj02(lon, lat)
    wlon, _ = timed(f"gcj02_to_wgs84 (iterated), {n:,} points", gcj02_to_wgs84, glon, glat)
    print(f"{'  max round-trip error, degrees':55s} {np.abs(wlon - lon).max():.2e}")

    m = 100_000
    x = rng.uniform(0, 20_000, m) + 39_500_000
    y = rng.uniform(0, 20_000, m) + 4_330_000
    polys = shapely.box(x, y, x + 30, y + 20)
    bow = rng.random(m) < 0.1  # 10 % self-intersecting bow-ties
    bows = shapely.polygons(
        np.stack(
            [np.c_[x, y], np.c_[x + 30, y + 20], np.c_[x + 30, y], np.c_[x, y + 20], np.c_[x, y]],
            axis=1,
        )
    )
    polys[bow] = bows[bow]
    frame = gpd.GeoDataFrame(
        {"plot_id": np.arange(m).astype(str), "name": np.where(bow, "自相交", "正常")},
        geometry=polys,
        crs=4527,
    )
    with tempfile.TemporaryDirectory() as tmp:
        gpkg = Path(tmp) / "plots.gpkg"
        frame.to_file(gpkg, engine="pyogrio")
        _, report = timed(
            f"load_layer: {m:,} plots (10 % invalid), repair + report",
            load_layer,
            gpkg,
            role="plots",
        )
        print(f"{'  fixes':55s} {report.fixes}")
        for ext in (".gpkg", ".geojson", ".csv", ".xlsx", ".kml", ".shp.zip"):
            timed(
                f"write_candidates {ext}, {m:,} rows",
                write_candidates,
                frame,
                Path(tmp) / f"out{ext}",
            )
    layers = timed(
        "build_layers on haidian_cau.osm (2 MB)", build_layers, SHARED / "haidian_cau.osm"
    )
    print(f"{'  roles':55s} { {k: len(v) for k, v in layers.items()} }")
    one_huge_plot()


def one_huge_plot() -> None:
    """`planner score` of one 100,000-vertex plot (a wavy 40 m circle) beside a box.

    tests/io/test_hostile_inputs.py checks the answer; this measures how long it takes.
    """
    from planner.cli import main as cli

    n = 100_000
    t = np.linspace(0.0, 2.0 * np.pi, n, endpoint=False)
    r = 40.0 + 3.0 * np.sin(50.0 * t)
    x0, y0 = 39_500_000.0, 4_330_000.0
    wavy = shapely.Polygon(np.column_stack([x0 + r * np.cos(t), y0 + r * np.sin(t)]))
    frame = gpd.GeoDataFrame(
        {"plot_id": ["wavy", "box"]},
        geometry=[wavy, shapely.box(x0 + 200, y0, x0 + 250, y0 + 40)],
        crs=4527,
    )
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "plots.gpkg"
        frame.to_file(src, engine="pyogrio")
        args = ["score", "--plots", str(src), "--out", str(Path(tmp) / "out.csv"), "-q"]
        code = timed(f"planner score, one {n:,}-vertex plot", cli, args)
        print(f"{'  exit status':55s} {code}")


if __name__ == "__main__":
    main()
