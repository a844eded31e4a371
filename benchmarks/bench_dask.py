"""``--engine dask`` on a local cluster of worker processes, each with a memory limit (issue 17).

One run, side by side: ``planner score --engine single`` and ``planner score --engine dask
--scheduler ADDRESS`` on the same synthetic city (GeoPackage cached by ``bench_scale.py``),
the second against a :class:`distributed.LocalCluster` of ``--workers`` processes with one
thread and ``--memory-limit`` each, started here. The dask run's workers read the layers by
part (:mod:`planner.engines.files`); the client, the ``planner`` process, reads bounding boxes.

Recorded: wall and CPU time (user + system) of each command; the client's peak memory (PSS of
the ``planner`` process, as ``bench_scale.py`` samples it); each worker's peak resident set
size (``VmHWM`` of the worker process, read on the worker after the run: the workers are
started fresh for the run) and CPU time; and whether the two outputs are identical (every
column compared exactly, geometries as WKB).

With ``--format parquet`` both engines read the same city written as one GeoParquet file a
role (``--plots plots.parquet ...``, with the GeoParquet 1.1 ``bbox`` covering column unless
``--no-bbox``: then the client reads the geometry column, by row group, for the boxes).

Usage (from the project root)::

    python benchmarks/bench_dask.py --plots 50000 --workers 4 --memory-limit 1GB
    python benchmarks/bench_dask.py --plots 50000 --format parquet

Minutes of work on every core: run by hand, never in the test suite.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_scale import CACHE, city_file, counts, machine, run_cli  # noqa: E402


def worker_usage() -> dict:
    """On a worker: its peak resident set size (MB) and CPU time so far (s).

    The peak is the kernel's high-water mark of the process's own memory (``VmHWM``), not
    ``ru_maxrss``: a worker is started by fork and exec from this process, and ``ru_maxrss``
    keeps the parent's size across exec.
    """
    r = resource.getrusage(resource.RUSAGE_SELF)
    status = Path("/proc/self/status").read_text()
    hwm_kb = int(status.split("VmHWM:")[1].split()[0])
    return {"peak_rss_mb": round(hwm_kb / 1024), "cpu_s": r.ru_utime + r.ru_stime}


def identical(a: Path, b: Path) -> str:
    """``"yes"`` when both GeoPackages hold the same table and WKB, else what differs."""
    import pandas as pd
    import pyogrio

    x = pyogrio.read_dataframe(a)
    y = pyogrio.read_dataframe(b)
    try:
        pd.testing.assert_frame_equal(x.drop(columns="geometry"), y.drop(columns="geometry"))
    except AssertionError as exc:
        return f"no: {str(exc).splitlines()[0]}"
    same_wkb = (x.geometry.to_wkb() == y.geometry.to_wkb()).all()
    return "yes" if same_wkb else "no: geometries differ"


#: Rows a row group of the benchmark's GeoParquet files (a worker reads whole row groups).
PARQUET_ROW_GROUP = 10_000


def parquet_city(gpkg: Path, bbox: bool) -> list[str]:
    """The city as one GeoParquet file a role (cached); the ``planner score`` arguments."""
    import geopandas as gpd
    import pyogrio

    folder = CACHE / f"{gpkg.stem}_parquet{'' if bbox else '_nobbox'}"
    folder.mkdir(parents=True, exist_ok=True)
    args = []
    for name, _ in pyogrio.list_layers(gpkg):
        path = folder / f"{name}.parquet"
        if not path.exists():
            gpd.read_file(gpkg, layer=str(name)).to_parquet(
                path, write_covering_bbox=bbox, row_group_size=PARQUET_ROW_GROUP
            )
        args += [f"--{str(name).replace('_', '-')}", str(path)]
    return args


def versions() -> str:
    """The versions that decide the figures."""
    import dask
    import distributed
    import geopandas
    import pyogrio
    import shapely

    import planner

    return (
        f"planner {planner.__version__}, dask {dask.__version__}, distributed "
        f"{distributed.__version__}, geopandas {geopandas.__version__}, shapely "
        f"{shapely.__version__}, pyogrio {pyogrio.__version__}"
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--plots", type=int, default=50_000)
    ap.add_argument("--workers", type=int, default=4)
    ap.add_argument("--memory-limit", default="1GB", help="per worker (dask's notation)")
    ap.add_argument("--json", type=Path, default=None, help="append the results as JSON lines")
    ap.add_argument("--format", choices=("gpkg", "parquet"), default="gpkg")
    ap.add_argument("--no-bbox", action="store_true", help="GeoParquet without a bbox column")
    a = ap.parse_args()
    import distributed

    path = city_file(a.plots, 10, 3)
    c = counts(path)
    print(f"# machine: {machine()}")
    print(f"# {versions()}")
    print(f"# load average before: {subprocess.getoutput('uptime').split('load average:')[1]}")
    print(
        f"# city: {c.get('plots'):,} plots, {c.get('residential'):,} buildings, "
        f"{c.get('roads'):,} road edges, {path.stat().st_size / 2**20:.0f} MB GeoPackage"
    )
    inputs = ["--layers", str(path)]
    if a.format == "parquet":
        inputs = parquet_city(path, bbox=not a.no_bbox)
        print(f"# read from GeoParquet, one file a role, bbox column: {not a.no_bbox}")
    single_out = CACHE / f"out_{a.plots}_single.gpkg"
    dask_out = CACHE / f"out_{a.plots}_dask_files.gpkg"
    print(
        "| engine | wall s | CPU s | peak MB (PSS) | worker peak MB (RSS) | worker CPU s |\n"
        "|---|---|---|---|---|---|"
    )
    single = run_cli(["score", *inputs, "--out", str(single_out)])
    print(f"| single | {single['wall_s']} | {single['cpu_s']} | {single['peak_mb']:,} | - | - |")
    with (
        distributed.LocalCluster(
            n_workers=a.workers,
            threads_per_worker=1,
            processes=True,
            memory_limit=a.memory_limit,
            dashboard_address=None,
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        before = client.run(worker_usage)
        args = ["score", *inputs, "--out", str(dask_out), "--engine", "dask"]
        d = run_cli([*args, "--scheduler", cluster.scheduler_address])
        after = client.run(worker_usage)
    workers = [
        {"peak_rss_mb": after[w]["peak_rss_mb"], "cpu_s": after[w]["cpu_s"] - before[w]["cpu_s"]}
        for w in sorted(after)
    ]
    cpu = d["cpu_s"] + sum(w["cpu_s"] for w in workers)
    peaks = ", ".join(f"{w['peak_rss_mb']:,}" for w in workers)
    print(
        f"| dask ({a.workers} workers × 1 thread, {a.memory_limit} each) | {d['wall_s']} | "
        f"{round(cpu, 1)} (client {d['cpu_s']}) | {d['peak_mb']:,} (client) | {peaks} | "
        f"{', '.join(str(round(w['cpu_s'], 1)) for w in workers)} |"
    )
    for stage, at in d["stages"]:
        print(f"#     {at:>7} s  {stage}")
    same = identical(single_out, dask_out)
    print(f"# outputs identical (every column exactly, WKB geometry): {same}")
    print(f"# load average after: {subprocess.getoutput('uptime').split('load average:')[1]}")
    if a.json:
        with a.json.open("a", encoding="utf-8") as f:
            row = {"plots": a.plots, "format": a.format, "single": single, "dask": d}
            row["workers"] = workers
            f.write(json.dumps({**row, "identical": same}, default=str) + "\n")


if __name__ == "__main__":
    main()
