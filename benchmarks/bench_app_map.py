"""How long the app's map takes to build and how large it is, by number of plots.

Run: ``python benchmarks/bench_app_map.py`` (not part of the tests). Plots are a grid of
30 × 20 m boxes 60 m apart with a few vertices each, scored with plots only.
"""

from __future__ import annotations

import sys
import time

import geopandas as gpd
import numpy as np
from shapely.geometry import box

import planner
from planner.app import maps, report


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


def main(sizes: list[int]) -> None:
    print("plots  criteria_s  combine_s  map_build_s  map_html_MB  report_s  report_MB")
    for n in sizes:
        layers = planner.Layers(plots=grid(n))
        t = time.perf_counter()
        table = planner.compute_criteria(layers)
        t_crit = time.perf_counter() - t
        t = time.perf_counter()
        result = planner.combine(table)
        t_comb = time.perf_counter() - t
        t = time.perf_counter()
        page = maps.map_html(maps.build_map(result, table.layers, basemap="none"))
        t_map = time.perf_counter() - t
        t = time.perf_counter()
        rep = report.build_report(result, table.layers)
        t_rep = time.perf_counter() - t
        print(
            f"{n:>5}  {t_crit:10.2f}  {t_comb:9.2f}  {t_map:11.2f}  {len(page) / 1e6:11.2f}"
            f"  {t_rep:8.2f}  {len(rep) / 1e6:9.2f}"
        )


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [1000, 5000, 20000])
