"""``planner import-osm`` on a city-sized extract: wall time and peak memory (not run by pytest).

A real extract is tiled into a large one: every node, way and relation of the source is copied
onto a ``--tiles`` x ``--tiles`` grid, each copy shifted by the source's extent (plus a margin)
and renumbered into its own id range, so the copies never touch. Ids stay dense and increasing
(GDAL's custom node index needs that) and the cut edges of the source — ways whose nodes lie
outside, relations missing members — are copied as they are, which is the point.

Run (the ``bench`` extra installs pyosmium and psutil)::

    python benchmarks/bench_osm.py make SOURCE.osm.pbf BIG.osm.pbf --tiles 15
    python benchmarks/bench_osm.py run BIG.osm.pbf [--repeat 2]

``run`` starts ``planner import-osm BIG --out <tmp>.gpkg -q`` in a child process and samples
the resident memory of it and its children every 0.05 s (psutil); it prints wall time, peak
RSS and the role counts. The generated extract is large: do not commit it.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

#: Gap between tiles as a share of the source's extent (so tiles never share a node).
TILE_MARGIN = 0.05


def _collect(source: Path) -> tuple[list, list, list]:
    import osmium

    nodes, ways, rels = [], [], []
    for obj in osmium.FileProcessor(str(source)):
        tags = {t.k: t.v for t in obj.tags}
        if obj.is_node():
            if obj.location.valid():
                nodes.append((obj.id, obj.location.lon, obj.location.lat, tags))
        elif obj.is_way():
            ways.append((obj.id, [n.ref for n in obj.nodes], tags))
        elif obj.is_relation():
            rels.append((obj.id, [(m.type, m.ref, m.role) for m in obj.members], tags))
    return nodes, ways, rels


def _ranks(ids: set[int]) -> dict[int, int]:
    """Dense 1-based ids in the order of the original ids."""
    return {old: new for new, old in enumerate(sorted(ids), start=1)}


def make(source: Path, target: Path, tiles: int) -> None:
    """Write ``tiles`` x ``tiles`` shifted, renumbered copies of ``source`` to ``target``."""
    import osmium
    from osmium.osm.mutable import Node, Relation, Way

    t0 = time.perf_counter()
    nodes, ways, rels = _collect(source)
    node_ids = (
        {n[0] for n in nodes}
        | {r for w in ways for r in w[1]}
        | {m[1] for r in rels for m in r[1] if m[0] == "n"}
    )
    way_ids = {w[0] for w in ways} | {m[1] for r in rels for m in r[1] if m[0] == "w"}
    rel_ids = {r[0] for r in rels} | {m[1] for r in rels for m in r[1] if m[0] == "r"}
    nmap, wmap, rmap = _ranks(node_ids), _ranks(way_ids), _ranks(rel_ids)
    span = {"n": len(nmap), "w": len(wmap), "r": len(rmap)}
    maps = {"n": nmap, "w": wmap, "r": rmap}
    lons = [n[1] for n in nodes]
    lats = [n[2] for n in nodes]
    dx = (max(lons) - min(lons)) * (1 + TILE_MARGIN)
    dy = (max(lats) - min(lats)) * (1 + TILE_MARGIN)
    nodes.sort()
    ways.sort(key=lambda w: w[0])
    rels.sort(key=lambda r: r[0])
    target.unlink(missing_ok=True)
    writer = osmium.SimpleWriter(str(target))
    try:
        grid = [(i, j) for i in range(tiles) for j in range(tiles)]
        for k, (i, j) in enumerate(grid):  # nodes of every tile first, then ways, relations
            off = k * span["n"]
            for nid, lon, lat, tags in nodes:
                writer.add_node(
                    Node(id=off + nmap[nid], location=(lon + i * dx, lat + j * dy), tags=tags)
                )
        for k in range(len(grid)):
            off = k * span["n"]
            for wid, refs, tags in ways:
                writer.add_way(
                    Way(
                        id=k * span["w"] + wmap[wid], nodes=[off + nmap[r] for r in refs], tags=tags
                    )
                )
        for k in range(len(grid)):
            for rid, members, tags in rels:
                writer.add_relation(
                    Relation(
                        id=k * span["r"] + rmap[rid],
                        tags=tags,
                        members=[(t, k * span[t] + maps[t][ref], role) for t, ref, role in members],
                    )
                )
    finally:
        writer.close()
    print(
        f"{target}: {tiles * tiles} tiles of {source.name} ({len(nodes):,} nodes, "
        f"{len(ways):,} ways, {len(rels):,} relations each), "
        f"{target.stat().st_size / 1e6:.0f} MB, {time.perf_counter() - t0:.0f} s"
    )


def run(extract: Path, repeat: int) -> None:
    """Time ``planner import-osm`` on ``extract`` and sample its peak memory."""
    import psutil
    import pyogrio

    print(
        f"GDAL {pyogrio.__gdal_version_string__}, pyogrio {pyogrio.__version__}, "
        f"{psutil.cpu_count()} cores; {extract} {extract.stat().st_size / 1e6:.0f} MB"
    )
    for _ in range(repeat):
        with tempfile.TemporaryDirectory() as tmp:
            out = Path(tmp) / "layers.gpkg"
            cmd = [sys.executable, "-m", "planner", "import-osm", str(extract), "--out", str(out)]
            t0 = time.perf_counter()
            proc = psutil.Popen(cmd, stderr=subprocess.PIPE, text=True, cwd=tmp)
            peak = 0
            while proc.poll() is None:
                try:
                    tree = [proc, *proc.children(recursive=True)]
                    peak = max(peak, sum(p.memory_info().rss for p in tree))
                except psutil.Error:
                    pass
                time.sleep(0.05)
            wall = time.perf_counter() - t0
            err = proc.stderr.read() if proc.stderr else ""
            last = [line for line in err.splitlines() if line.startswith(("wrote", "error"))]
            print(
                f"exit {proc.returncode}: {wall:6.1f} s, peak RSS {peak / 2**20:6.0f} MiB; "
                f"{last[-1] if last else err.strip().splitlines()[-1:]}"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    mk = sub.add_parser("make", help="tile a real extract into a large one")
    mk.add_argument("source", type=Path)
    mk.add_argument("target", type=Path)
    mk.add_argument("--tiles", type=int, default=15)
    rn = sub.add_parser("run", help="time planner import-osm on an extract")
    rn.add_argument("extract", type=Path)
    rn.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args()
    if args.command == "make":
        make(args.source, args.target, args.tiles)
    else:
        run(args.extract, args.repeat)


if __name__ == "__main__":
    main()
