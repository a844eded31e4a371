"""Benchmark: stall layouts for 10,000 generated plots (``python benchmarks/bench_layout.py``).

Plots are rectangles 5–80 m × 5–60 m at random angles, 40 % of them with a corner cut out
(L-shapes), scattered over a 20 × 20 km square with a street grid every 200 m, in a metric
CRS. Prints the time for the counts alone (what scoring uses) and with stall and aisle
geometry, and checks that no stall leaves its plot.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
from pathlib import Path

import geopandas as gpd
import numpy as np
import shapely

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from planner.parking import layout_plots  # noqa: E402

CRS = "EPSG:4548"
X0, Y0 = 500_000.0, 4_330_000.0


def generate(n: int, seed: int = 0) -> tuple[gpd.GeoSeries, gpd.GeoDataFrame]:
    rng = np.random.default_rng(seed)
    cx = X0 + rng.uniform(0, 20_000, n)
    cy = Y0 + rng.uniform(0, 20_000, n)
    w, h = rng.uniform(5, 80, n), rng.uniform(5, 60, n)
    theta = np.radians(rng.uniform(0, 180, n))
    local = shapely.box(-w / 2, -h / 2, w / 2, h / 2)
    cut = rng.random(n) < 0.4
    local[cut] = shapely.difference(local[cut], shapely.box(0, 0, w[cut], h[cut]))
    counts = shapely.get_num_coordinates(local)
    owner = np.repeat(np.arange(n), counts)
    c, s = np.cos(theta)[owner], np.sin(theta)[owner]

    def f(xy):
        x, y = xy[:, 0], xy[:, 1]
        return np.column_stack([x * c - y * s + cx[owner], x * s + y * c + cy[owner]])

    plots = gpd.GeoSeries(shapely.transform(local, f), crs=CRS)
    lines = [
        shapely.LineString([(X0 + k, Y0), (X0 + k, Y0 + 20_000)]) for k in range(0, 20_001, 200)
    ] + [shapely.LineString([(X0, Y0 + k), (X0 + 20_000, Y0 + k)]) for k in range(0, 20_001, 200)]
    roads = gpd.GeoDataFrame({"car_access": [True] * len(lines)}, geometry=lines, crs=CRS)
    return plots, roads


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("-n", type=int, default=10_000)
    args = ap.parse_args()
    plots, roads = generate(args.n)
    print(
        f"{args.n} plots, {len(roads)} streets; {platform.processor() or platform.machine()}, "
        f"{os.cpu_count()} cores, Python {platform.python_version()}, "
        f"shapely {shapely.__version__}"
    )
    runs = (
        ("street grid, counts only", roads, False),
        ("street grid, with geometry", roads, True),
        ("no roads (all plots laid out), counts only", None, False),
    )
    for label, road_layer, geom in runs:
        t, c = time.perf_counter(), time.process_time()
        r = layout_plots(plots, road_layer, geometry=geom)
        dt, dc = time.perf_counter() - t, time.process_time() - c
        s = r.summary
        print(
            f"{label}: {dt:.1f} s wall, {dc:.1f} s CPU ({1000 * dc / args.n:.2f} ms a plot); "
            f"{int(s['stalls'].sum())} stalls, {int((s['stalls'] > 0).sum())} plots with "
            f"stalls; patterns {s['pattern'].value_counts().to_dict()}"
        )
        if geom:
            owners = plots.loc[r.stalls["plot_index"].to_numpy()].values
            inside = shapely.within(r.stalls.geometry.values, owners)
            print(f"  every stall inside its plot: {bool(inside.all())}")
        print("  reasons:", s["reason"].value_counts().to_dict())


if __name__ == "__main__":
    main()
