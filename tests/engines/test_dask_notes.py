"""The notes a user reads are the same with ``--engine dask`` as with the single engine.

The workers read their parts of the layers through the planner's reader; each feature's
notes are reported by one read and the client merges them per layer (counts summed, ids the
first by row), as one whole read would say them.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import pytest
import shapely

from planner.cli import main
from planner.config import PlannerConfig
from planner.engines import files as by_part
from planner.io import LayerReport, read_layers
from planner.io.report import FIX_NOTES
from planner.layers import Layers, prepare_layers
from planner.messages import localized
from planner.scoring import score
from tests.engines.broken_city import CRS, X0, Y0, build

#: What the reader says of the hand-made city (tests/engines/broken_city.py).
EXPECTED = {
    "plots": [
        ("repaired_on_read", 2, ["P1", "P11"]),
        ("dropped_unreadable", 1, ["P2"]),
        ("dropped_null", 2, ["P3", "P10"]),
        ("repaired_invalid", 2, ["P4", "P8"]),
        ("dropped_unrepairable", 1, ["P5"]),
    ],
    "residential": [
        ("repaired_on_read", 2, ["feature 1", "feature 13"]),
        ("dropped_unreadable", 1, ["feature 7"]),
        ("dropped_null", 1, ["feature 10"]),
        ("repaired_invalid", 1, ["feature 11"]),
    ],
    "green": [("repaired_on_read", 1, ["mid"]), ("dropped_null", 1, ["none"])],
    "roads": [("dropped_unrepairable", 1, ["feature 4"])],
}


@pytest.fixture(scope="module")
def city(tmp_path_factory):
    return build(tmp_path_factory.mktemp("broken") / "city.gpkg")


def _said(reports):
    """Each layer's fixes that lose or change features (those with notes): count, ids."""
    return {
        r.name: [(k, r.fixes[k], r.touched.get(k, [])) for k in r.fixes if k in FIX_NOTES]
        for r in reports
    }


def test_reports_equal_the_single_readers_in_both_languages(city, client):
    config = PlannerConfig()
    whole: list = []
    layers = prepare_layers(read_layers(city, reports=whole), config)
    single = score(layers, config, distance="straight_line")
    files = by_part.scan_files(city, {})
    parted: list = []
    got = by_part.score_files(
        files, config, client=client, distance="straight_line", n_partitions=3, reports=parted
    )
    pd.testing.assert_frame_equal(single, got, check_exact=True)
    assert _said(whole) == EXPECTED  # the hand-known counts and ids
    assert _said(parted) == EXPECTED
    assert [r.source for r in parted] == [r.source for r in whole]
    for lang in ("en", "zh"):
        a = [[localized(n, lang) for n in r.notes() + r.problems] for r in whole]
        b = [[localized(n, lang) for n in r.notes() + r.problems] for r in parted]
        assert a == b
    # the plots were read in three pieces; the far home only for its note
    assert got.attrs["engine"]["partitions"] == 3
    assert got["plot_id"].tolist() == sorted(got["plot_id"], key=lambda p: int(p[1:]))


def test_cli_prints_the_same_note_lines(city, cluster, tmp_path, capsys):
    base = ["score", "--layers", str(city), "--distance", "straight_line", "-q"]
    one, two = tmp_path / "one" / "out.gpkg", tmp_path / "two" / "out.gpkg"
    one.parent.mkdir(), two.parent.mkdir()
    assert main([*base, "--out", str(one)]) == 0
    single = capsys.readouterr().err.replace(str(one), "OUT").splitlines()
    argv = [*base, "--engine", "dask", "--scheduler", cluster.scheduler_address]
    assert main([*argv, "--out", str(two)]) == 0
    dask = capsys.readouterr().err.replace(str(two), "OUT").splitlines()
    assert dask == single
    notes = [ln for ln in dask if ln.startswith(f"note: {city}:plots: ")]
    assert notes[2] == f"note: {city}:plots: 2 features dropped: no geometry: P3, P10"
    assert len([ln for ln in dask if ln.startswith("note:")]) == 12 + 4
    a, b = pyogrio.read_dataframe(one), pyogrio.read_dataframe(two)
    pd.testing.assert_frame_equal(a.drop(columns="geometry"), b.drop(columns="geometry"))
    assert (a.geometry.to_wkb() == b.geometry.to_wkb()).all()


def test_merged_report_sums_counts_and_orders_ids_by_row():
    a, b = LayerReport("homes", "x.gpkg:homes"), LayerReport("homes", "x.gpkg:homes")
    a.add_fix("dropped_null", 2, ["feature 8", "feature 30"], [7, 29])
    b.add_fix("dropped_null", 1, ["feature 2"], [1])
    b.add_fix("repaired_invalid", 12, [f"h{i}" for i in range(10)], list(range(40, 50)))
    merged = LayerReport.merged([a, b], name="homes", source="x.gpkg:homes")
    assert merged.fixes == {"dropped_null": 3, "repaired_invalid": 12}
    assert merged.touched["dropped_null"] == ["feature 2", "feature 8", "feature 30"]
    en, zh = merged.notes()[0], localized(merged.notes()[0], "zh")
    assert en == "3 features dropped: no geometry: feature 2, feature 8, feature 30"
    assert "3" in zh and "feature 30" in zh and zh != en
    assert merged.notes()[1].endswith("h8, h9, ...")  # 12 repaired, 10 named


def test_plots_dropped_while_prepared_are_one_note_over_the_pieces():
    # plots that prepare_layers drops (nothing of a polygon left after repair), not read
    # through the reader: the pieces' drops are one note, with the rows of a whole run
    flat = shapely.Polygon([(X0, Y0), (X0 + 10, Y0 + 10), (X0 + 20, Y0 + 20)])
    geoms = [shapely.box(X0 + 100 * i, Y0, X0 + 100 * i + 30, Y0 + 30) for i in range(6)]
    geoms[1], geoms[4] = flat, shapely.affinity.translate(flat, 400)
    plots = gpd.GeoDataFrame(geometry=geoms, crs=CRS)
    whole = prepare_layers(Layers.from_mapping({"plots": plots}))
    assert whole.notes == [
        "<plots layer>: 2 plot(s) dropped because nothing of their polygons was left "
        "after repair: row(s) 2, 5"
    ]
    sources = {"plots": "<plots layer>"}
    crs = whole.crs
    config = PlannerConfig()
    pieces = [
        by_part._prepare({"plots": plots.iloc[s]}, crs, config, sources)
        for s in (slice(0, 3), slice(3, 6))
    ]
    kept = np.concatenate([p[0].plots.index.to_numpy() for p in pieces])
    dropped = pd.concat([p[1] for p in pieces])
    notes = by_part._dropped_notes("<plots layer>", dropped, kept, None)
    assert notes == whole.notes
    assert [localized(n, "zh") for n in notes] == [localized(n, "zh") for n in whole.notes]


def test_plots_all_broken_is_the_single_engines_error(tmp_path, cluster, capsys):
    from tests.engines.broken_city import polygon_wkb, square

    path = tmp_path / "broken.gpkg"
    xs = X0 + 500.0 * np.arange(4)
    two_points = [polygon_wkb([(x, Y0), (x + 30.0, Y0)]) for x in xs]
    pyogrio.raw.write(
        path,
        geometry=np.array(two_points, dtype=object),
        field_data=[np.array([f"P{i}" for i in range(4)], dtype=object)],
        fields=["plot_id"],
        layer="plots",
        driver="GPKG",
        geometry_type="Polygon",
        crs=CRS,
    )
    pyogrio.raw.write(
        path,
        geometry=np.array([polygon_wkb(square(X0, Y0 + 60.0, 20.0))], dtype=object),
        field_data=[np.array([50.0])],
        fields=["population"],
        layer="residential",
        driver="GPKG",
        geometry_type="Polygon",
        crs=CRS,
    )
    base = ["score", "--layers", str(path), "--distance", "straight_line", "-q"]
    errors = []
    for extra in ([], ["--engine", "dask", "--scheduler", cluster.scheduler_address]):
        assert main([*base, *extra, "--out", str(tmp_path / "o.gpkg")]) == 2
        errors.append(capsys.readouterr().err.strip().splitlines())
    assert errors[0] == errors[1]
    assert errors[1] == [
        f"error: {path}:plots: no feature has a geometry that can be built (4 broken geometries)"
    ]
    assert not (tmp_path / "o.gpkg").exists()
