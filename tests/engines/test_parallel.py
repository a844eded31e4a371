"""Work spread over worker processes gives exactly the one-process results (planner/parallel.py)."""

from __future__ import annotations

import os

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import LineString, Point

import planner.access.network as N
import planner.parallel as P
import planner.scoring as SC
import planner.scoring.measure as SCM
import planner.scoring.reasons as SCR
from planner.access.distances import MemoDistance, StraightLineDistance
from planner.access.network import NetworkDistance, build_walk_graph
from planner.cli import main
from planner.criteria.access import covered_by
from planner.data.synthetic import synthetic_city
from planner.errors import ConfigError, PlannerError
from planner.scoring import compute_criteria

needs_fork = pytest.mark.skipif(not P.can_fork(), reason="worker processes are forked (Linux)")


def test_resolve_workers():
    assert P.resolve_workers(3) == 3
    assert P.resolve_workers("2") == 2
    assert P.resolve_workers("auto") == P.available_cores()
    assert P.resolve_workers(0) == P.available_cores()
    with pytest.raises(ConfigError, match="0 \\(all cores\\) or more"):
        P.resolve_workers(-1)
    with pytest.raises(ConfigError, match="whole number or 'auto'"):
        P.resolve_workers("many")


def test_chunks_and_split_work():
    assert P.chunks(10, 3) == [slice(0, 3), slice(3, 7), slice(7, 10)]
    assert P.chunks(2, 5) == [slice(0, 1), slice(1, 2)]
    assert P.split_work(100, 1, min_size=10) == [slice(0, 100)]
    assert P.split_work(15, 4, min_size=10) == [slice(0, 15)]  # too small to split
    parts = P.split_work(100, 2, min_size=10)
    assert len(parts) == 8 and parts[0].start == 0 and parts[-1].stop == 100
    assert all(a.stop == b.start for a, b in zip(parts, parts[1:], strict=False))


@needs_fork
def test_map_ordered_runs_closures_in_workers_in_order():
    base = np.arange(1000.0)  # inherited by the forked workers, never pickled

    def work(k: int) -> tuple[int, float, int]:
        return k, float(base[k::7].sum()), os.getpid()

    got = list(P.map_ordered(work, range(7), workers=2))
    assert [g[0] for g in got] == list(range(7))
    assert [g[1] for g in got] == [float(base[k::7].sum()) for k in range(7)]
    assert os.getpid() not in {g[2] for g in got}  # computed in worker processes
    # one worker, or too few items: in this process
    assert {g[2] for g in P.map_ordered(work, range(7), workers=1)} == {os.getpid()}
    assert {g[2] for g in P.map_ordered(work, range(1), workers=2)} == {os.getpid()}


@needs_fork
def test_map_ordered_leaves_the_cores_taken():
    def work(k: int) -> int:
        return os.getpid()

    with P.cores_taken(1):  # a Background job has one of two cores: run here
        assert set(P.map_ordered(work, range(6), workers=2)) == {os.getpid()}
        with P.cores_taken(1):
            assert set(P.map_ordered(work, range(6), workers=3)) == {os.getpid()}
        assert os.getpid() not in set(P.map_ordered(work, range(6), workers=3))
    assert P._CORES_TAKEN == 0
    assert os.getpid() not in set(P.map_ordered(work, range(6), workers=2))
    with pytest.raises(ValueError), P.cores_taken(1):
        raise ValueError  # given back on an error too
    assert P._CORES_TAKEN == 0


@needs_fork
def test_map_ordered_passes_errors_and_does_not_nest():
    def fail(k: int) -> int:
        if k == 3:
            raise ValueError("piece 3 failed")
        return k

    with pytest.raises(ValueError, match="piece 3 failed"):
        list(P.map_ordered(fail, range(6), workers=2))

    def inner(k: int) -> list[int]:  # a map inside a worker runs in that worker
        return [pid for pid in P.map_ordered(lambda _: os.getpid(), range(4), workers=2)]

    for pids in P.map_ordered(inner, range(4), workers=2):
        assert len(set(pids)) == 1 and os.getpid() not in pids


@needs_fork
def test_background_returns_value_or_raises():
    data = np.arange(10.0)
    job = P.Background(lambda k: (float(data.sum() * k), os.getpid()), 3)
    value, pid = job.result()
    assert value == 135.0 and pid != os.getpid()
    assert job.result() == (135.0, pid)  # asked again: the same value

    def fail() -> None:
        raise ConfigError("weights must sum to 1")

    job = P.Background(fail)
    for _ in range(2):
        with pytest.raises(ConfigError, match="weights must sum to 1"):
            job.result()

    class Unpicklable(Exception):
        def __reduce__(self):  # noqa: ANN204
            raise TypeError("no pickling")

    def fail_oddly() -> None:
        raise Unpicklable("odd")

    with pytest.raises(PlannerError, match="Unpicklable: odd"):
        P.Background(fail_oddly).result()

    def die() -> None:
        os._exit(3)

    with pytest.raises(PlannerError, match="exit code 3.*--workers 1"):
        P.Background(die).result()
    # without a process: computed at once, here
    assert P.Background(os.getpid, enabled=False).result() == os.getpid()


def test_within_any_equals_within_on_hand_built_streets():
    # S street y=0 (0..1000), N street y=100 (0..1000), joined only at x=1000
    crs = "EPSG:4548"
    roads = gpd.GeoDataFrame(
        {"road_class": ["residential"] * 3},
        crs=crs,
        geometry=[
            LineString([(0, 0), (1000, 0)]),
            LineString([(0, 100), (1000, 100)]),
            LineString([(1000, 0), (1000, 100)]),
        ],
    )
    model = NetworkDistance(build_walk_graph(roads))
    park = gpd.GeoDataFrame(geometry=[Point(100, -5)], crs=crs)
    homes = gpd.GeoSeries(
        [
            Point(350, -5),  # 250 m along S + 5 + 5 = 260 m: covered
            Point(450, -5),  # 360 m: not covered
            Point(150, 105),  # across the block: 10 + 900 + 100 + 850: no
            Point(100, -5),
        ],  # at the park: 0 m
        crs=crs,
    )
    got = covered_by(homes, park, 300.0, MemoDistance(model))
    assert got.tolist() == [True, False, False, True]
    pairs = model.within(homes, park.geometry, 300.0)
    expected = np.zeros(len(homes), dtype=bool)
    expected[pairs.origin] = True
    assert got.tolist() == expected.tolist()
    # the straight line has no within_any: the bounded search answers
    straight = covered_by(homes, park, 300.0, MemoDistance(StraightLineDistance()))
    assert straight.tolist() == [True, False, True, True]


@pytest.fixture(scope="module")
def city():
    return synthetic_city(300, 3000, n_road_edges=1200, seed=5)


@needs_fork
def test_criteria_with_workers_equal_one_process(city, monkeypatch):
    # small pieces, so that a 300-plot city is really split: homes attached in chunks of
    # 500, every radius search spread over the workers; shapes measured in a second process
    monkeypatch.setattr(N, "ATTACH_MIN_CHUNK", 500)
    monkeypatch.setattr(N, "PARALLEL_MIN_TILES", 2)
    calls: list[int] = []
    real = P.map_ordered

    beside: list[int] = []  # the cores taken at each map made while the shapes are measured

    def counting(fn, items, workers=1):  # noqa: ANN001, ANN202
        items = list(items)
        calls.append(min(workers, len(items)))
        if any(job.running for job in jobs):
            beside.append(P._CORES_TAKEN)
        return real(fn, items, workers)

    background: list[bool] = []
    jobs: list[P.Background] = []

    class Recording(P.Background):
        def __init__(self, *args, enabled=True, **kwargs):  # noqa: ANN002, ANN003
            super().__init__(*args, enabled=enabled, **kwargs)
            background.append(self._proc is not None)
            jobs.append(self)

    covers: list[bool] = []  # whether the homes' cover by green was found beside the shapes
    real_cover = SCM.covered_by

    def cover(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        covers.append(any(job.running for job in jobs))
        return real_cover(*args, **kwargs)

    monkeypatch.setattr(SCM, "covered_by", cover)
    monkeypatch.setattr(N, "map_ordered", counting)
    monkeypatch.setattr(SCM, "Background", Recording)  # the plots' own measures
    monkeypatch.setattr(SCR, "Background", Recording)  # the Chinese reasons
    one = compute_criteria(city, workers=1)
    assert calls and max(calls) <= 1 and background == [False]
    calls.clear()
    two = compute_criteria(city, workers=2)
    assert sum(c >= 2 for c in calls) >= 3  # attach, and the radius searches
    assert background == [False, True]  # shapes in a second process
    # meanwhile plots, green and homes were located in this process alone (issue 17)
    assert len(beside) >= 2 and set(beside) == {1}
    assert covers == [True]  # found ahead, beside the shapes (one process: in its stage)
    pd.testing.assert_frame_equal(one.raw, two.raw, check_exact=True)
    assert one.distance_basis.equals(two.distance_basis)
    # combining: the Chinese reasons written in a second process, the same table
    background.clear()
    a, b = SC.combine(one, workers=1), SC.combine(one, workers=2)
    assert background == [False, True]
    pd.testing.assert_frame_equal(a, b, check_exact=True)
    assert b["reasons_zh"].str.len().min() > 0 and (b["reasons_zh"] != b["reasons"]).all()


def test_cli_rejects_bad_workers(capsys):
    code = main(["score", "--demo", "--out", "x.csv", "--workers", "-2"])
    err = capsys.readouterr().err
    assert code == 2
    assert "--workers" in err and "0 (all cores) or more" in err


@needs_fork
def test_background_cancel_stops_the_job():
    import time

    job = P.Background(time.sleep, 30)
    t = time.perf_counter()
    job.cancel()
    assert time.perf_counter() - t < 5
    with pytest.raises(PlannerError, match="cancelled"):
        job.result()
    job.cancel()  # twice: nothing left to stop


@needs_fork
def test_plot_measures_started_early_equal_measured_in_the_run(city, tmp_path):
    """Plots measured while the other layers are read give the run's very values."""
    from planner.data.synthetic import write_city
    from planner.io import read_layers
    from planner.layers import prepare_layers

    path = tmp_path / "city.gpkg"
    write_city(city, path)
    seen: list[str] = []
    early: list = []

    def on_layer(role, frame):  # noqa: ANN001, ANN202
        seen.append(role)
        if role == "roads":
            early.append(SC.start_plot_measures(got["plots"], frame, workers=2))
        got[role] = frame

    got: dict = {}
    layers = prepare_layers(read_layers(path, on_layer=on_layer))
    assert seen[:2] == ["plots", "roads"] and sorted(seen) == sorted(set(seen))
    assert early[0] is not None and early[0].crs == layers.crs
    assert SC.start_plot_measures(got["plots"], got["roads"], workers=1) is None
    want = compute_criteria(layers, workers=2)
    used = compute_criteria(layers, workers=2, plot_measures=early[0])
    pd.testing.assert_frame_equal(want.raw, used.raw, check_exact=True)
    # made in another CRS: stopped, and the plots measured again in the run's
    other = SC.start_plot_measures(got["plots"], got["roads"], workers=2)
    other.crs = "EPSG:32650"
    again = compute_criteria(layers, workers=2, plot_measures=other)
    pd.testing.assert_frame_equal(want.raw, again.raw, check_exact=True)
    with pytest.raises(PlannerError, match="cancelled"):
        other.job.result()
    # made for other plots (same CRS): measured again
    fewer = SC.start_plot_measures(got["plots"].iloc[:50], got["roads"], workers=2)
    again = compute_criteria(layers, workers=2, plot_measures=fewer)
    pd.testing.assert_frame_equal(want.raw, again.raw, check_exact=True)
    shrunk = got["plots"].set_geometry(got["plots"].geometry.scale(0.9, 0.9))  # same rows
    other = SC.start_plot_measures(shrunk, got["roads"], workers=2)
    again = compute_criteria(layers, workers=2, plot_measures=other)
    pd.testing.assert_frame_equal(want.raw, again.raw, check_exact=True)


def test_read_layers_reads_plots_and_roads_first_and_skips_replaced(tmp_path):
    from planner.data.synthetic import write_city
    from planner.io import read_layers

    city = synthetic_city(40, 200, n_road_edges=160, seed=2)
    path = tmp_path / "city.gpkg"
    write_city(city, path)
    other = tmp_path / "green.geojson"
    city.green.iloc[:1].to_file(other)
    seen: list[str] = []
    reports: list = []
    layers = read_layers(
        path, {"green": other}, reports=reports, on_layer=lambda role, frame: seen.append(role)
    )
    assert seen[:2] == ["plots", "roads"] and seen[-1] == "green" and seen.count("green") == 1
    assert len(layers.green) == 1 < len(city.green) and layers.sources["green"] == str(other)
    # reports in the file's order, the replacing file last
    names = [r.source.rsplit(":", 1)[-1] for r in reports[:-1]]
    import pyogrio

    in_file = [n for n, _ in pyogrio.list_layers(path) if n != "green"]
    assert names == [n for n in in_file if n in seen]
    assert reports[-1].source.endswith("green.geojson")


@needs_fork
def test_cli_score_measures_plots_while_reading(city, tmp_path, monkeypatch):
    from planner.data.synthetic import write_city

    path = tmp_path / "city.gpkg"
    write_city(city, path)
    started: list = []
    real = SC.start_plot_measures

    def recording(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        started.append(real(*args, **kwargs))
        return started[-1]

    monkeypatch.setattr(SC, "start_plot_measures", recording)
    for w in ("2", "1"):
        assert (
            main(
                [
                    "score",
                    "--layers",
                    str(path),
                    "--out",
                    str(tmp_path / f"w{w}.gpkg"),
                    "--workers",
                    w,
                    "-q",
                ]
            )
            == 0
        )
    assert len(started) == 2 and started[0] is not None and started[1] is None
    a, b = (gpd.read_file(tmp_path / f"w{w}.gpkg") for w in ("2", "1"))
    pd.testing.assert_frame_equal(a, b, check_exact=True)


def test_release_freed_memory_gives_back_a_freed_heap():
    import platform

    import psutil
    import shapely

    if platform.system() != "Linux":
        assert P.release_freed_memory() is False
        return
    proc = psutil.Process()
    # 200,000 small polygons (heap blocks, below the allocator's mmap threshold), one
    # kept every 50 so that the heap's top stays in use and free() alone gives little back
    boxes = shapely.box(np.arange(200_000.0), 0.0, np.arange(200_000.0) + 1.0, 1.0)
    keep = boxes[::50].copy()
    del boxes
    before = proc.memory_info().rss
    assert P.release_freed_memory() is True
    assert proc.memory_info().rss < before - 20 * 2**20  # of about 60 MB freed
    assert len(keep) == 4_000


def _freeze_count(_item: int) -> int:
    import gc

    return gc.get_freeze_count()


@needs_fork
def test_workers_leave_the_objects_inherited_out_of_their_collections():
    import gc

    alive = [{"k": i} for i in range(1000)]  # containers the collector would visit
    counts = list(P.map_ordered(_freeze_count, range(4), workers=2))
    assert all(c >= len(alive) for c in counts)  # frozen in the workers ...
    assert gc.get_freeze_count() == 0  # ... and not here
    job = P.Background(_freeze_count, 0)
    assert job.result() >= len(alive)
    assert gc.get_freeze_count() == 0
