"""Shared fixtures: a small hand-built district in a metric CRS with known answers."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pytest
from shapely.geometry import LineString, Point, box

from planner.layers import Layers

#: CGCS2000 / 3-degree Gauss-Kruger CM 117E — what choose_metric_crs picks near Tianjin.
METRIC = "EPSG:4548"
X0, Y0 = 500_000.0, 4_330_000.0
ROOT = Path(__file__).resolve().parents[1]
SHARED_DATA = ROOT.parent / "shared" / "data"


def gdf(geoms, crs=METRIC, **cols):
    return gpd.GeoDataFrame(cols, geometry=list(geoms), crs=crs)


@pytest.fixture
def scene() -> Layers:
    """Three plots along a street, one park to the west, two estates, one car park.

    Plot A: 50 × 30 m at the origin (1,500 m²); B: 6 × 100 m strip at x+600;
    C: 10 × 10 m at x+1000. The park's east edge is 300 m west of A.
    A street runs 5 m south of all plots; a footway 5 m north of A.
    """
    plots = gdf(
        [
            box(X0, Y0, X0 + 50, Y0 + 30),
            box(X0 + 600, Y0, X0 + 606, Y0 + 100),
            box(X0 + 1000, Y0, X0 + 1010, Y0 + 10),
        ],
        plot_id=["A", "B", "C"],
        name=["甲", "<img src=x onerror=alert(1)>", "丙"],
    )
    green = gdf([box(X0 - 400, Y0, X0 - 300, Y0 + 100)], name=["公园"])
    residential = gdf(
        [box(X0 + 100, Y0, X0 + 150, Y0 + 50), box(X0 + 700, Y0, X0 + 750, Y0 + 50)],
        population=[2620.0, 2096.0],
        elderly_share=[0.2, 0.1],
        child_share=[0.1, 0.1],
    )
    roads = gdf(
        [
            LineString([(X0 - 1000, Y0 - 5), (X0 + 2000, Y0 - 5)]),
            LineString([(X0, Y0 + 35), (X0 + 50, Y0 + 35)]),
        ],
        highway=["residential", "footway"],
    )
    parking = gdf([Point(X0 + 200, Y0 + 100)], capacity=[100])
    return Layers(plots=plots, green=green, residential=residential, roads=roads, parking=parking)
