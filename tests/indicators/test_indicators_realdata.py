"""The indicator card on real data (Haidian, Beijing: shared/data/haidian_cau.osm), checked
against figures computed here independently with plain shapely.

The extract is imported with ``planner import-osm``, the card written with ``planner
indicators`` on the walking network; this file then reads the imported layers itself and
recomputes the district's figures the official way: park green space merged and graded by
size (400 m² → 300 m, 5,000 m² → 500 m, 5 ha → 800 m, 10 ha → 1,200 m, 20 ha → 2,000 m,
50 ha → 3,000 m), buffered, intersected with every residential polygon, residents spread
evenly over each polygon.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

from tests.realdata import HAIDIAN_OSM, run_cli

METRIC = "EPSG:4548"  # CGCS2000 3-degree Gauss-Krüger, CM 117E (116.35 E)


def _ok(run):
    assert run.code == 0 and "Traceback" not in run.text, run.describe()


@pytest.fixture(scope="module")
def haidian(tmp_path_factory):
    if not HAIDIAN_OSM.exists():
        pytest.fail(
            f"real-data battery: {HAIDIAN_OSM} is missing (shared/data beside the project)",
            pytrace=False,
        )
    work = tmp_path_factory.mktemp("haidian_card")
    gpkg = work / "layers.gpkg"
    _ok(run_cli("import-osm", HAIDIAN_OSM, "--out", gpkg))
    out = work / "card.xlsx"
    _ok(
        run_cli(
            "indicators",
            "--layers",
            gpkg,
            "--distance",
            "network",
            "--workers",
            "1",
            "-q",
            "--out",
            out,
        )
    )
    frames = {
        role: gpd.read_file(gpkg, layer=role).to_crs(METRIC)
        for role in ("residential", "green", "parking")
    }
    return pd.read_excel(out, sheet_name="card"), frames


def _valid(frame: gpd.GeoDataFrame) -> np.ndarray:
    geoms = shapely.make_valid(frame.geometry.to_numpy())
    return np.array(
        [
            shapely.union_all([p for p in shapely.get_parts(g) if p.geom_type == "Polygon"])
            for g in geoms
        ]
    )


def _radius(area: np.ndarray) -> np.ndarray:
    return np.select(
        [
            area >= 500_000,
            area >= 200_000,
            area >= 100_000,
            area >= 50_000,
            area >= 5_000,
            area >= 400,
        ],
        [3000.0, 2000.0, 1200.0, 800.0, 500.0, 300.0],
        np.nan,
    )


def test_haidian_card_matches_an_independent_computation(haidian):
    card, frames = haidian
    d = card.loc[card["area"] == "district"].set_index("indicator")
    res = frames["residential"]
    homes = _valid(res)
    pop = res["population"].to_numpy(dtype=float)
    assert d.loc["residents", "official_before"] == pytest.approx(pop.sum(), abs=1)
    parts = shapely.get_parts(shapely.union_all(_valid(frames["green"])))
    parts = parts[shapely.area(parts) >= 400]
    area = shapely.area(parts)
    assert d.loc["park_area_per_resident", "official_before"] == pytest.approx(
        area.sum() / pop.sum(), abs=0.01
    )

    def shares(radius: np.ndarray) -> tuple[float, float]:
        ok = np.isfinite(radius)
        zone = shapely.union_all(shapely.buffer(parts[ok], radius[ok], quad_segs=32))
        inside = shapely.area(shapely.intersection(homes, zone))
        whole = shapely.area(homes)
        return (
            100 * inside.sum() / whole.sum(),
            100 * (pop * inside / np.where(whole > 0, whole, 1)).sum() / pop.sum(),
        )

    land, people = shares(_radius(area))
    assert d.loc["park_coverage_land", "official_before"] == pytest.approx(land, abs=0.05)
    assert d.loc["park_coverage_residents", "official_before"] == pytest.approx(people, abs=0.05)
    _, green = shares(np.where(area >= 400, 300.0, np.nan))
    assert d.loc["green_300m_residents", "official_before"] == pytest.approx(green, abs=0.05)
    _, park = shares(np.where(area >= 5000, 500.0, np.nan))
    assert d.loc["park_500m_residents", "official_before"] == pytest.approx(park, abs=0.05)
    assert 50 < green < 99.9  # the check can tell a right answer from a wrong one here
    # parking: residents' cars (2.62 per household, 0.5 cars each) and the car parks
    assert d.loc["parking_demand", "official_before"] == pytest.approx(
        (pop / 2.62 * 0.5).sum(), abs=1.0
    )
    park_lots = frames["parking"]
    lot_area = park_lots.area.to_numpy()
    cap = np.where(
        park_lots["capacity"].notna(),
        park_lots["capacity"],
        np.where(lot_area > 0, np.floor(lot_area / 30.0), 20.0),
    )
    assert d.loc["parking_supply", "official_before"] == pytest.approx(cap.sum(), abs=0.5)


def test_haidian_walking_never_beats_the_buffer(haidian):
    card, _ = haidian
    walked = card["walking_before"].notna()
    assert walked.sum() >= 7
    for when in ("before", "after"):
        assert (
            card.loc[walked, f"walking_{when}"] <= card.loc[walked, f"official_{when}"] + 1e-9
        ).all()
    # walking is a real constraint on this street network, not a copy of the buffer
    d = card.loc[card["area"] == "district"].set_index("indicator")
    assert (
        d.loc["green_300m_residents", "walking_before"]
        < d.loc["green_300m_residents", "official_before"] - 5
    )
