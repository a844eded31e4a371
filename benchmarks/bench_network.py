"""Walking accessibility on a generated grid city: planner vs networkx, pandana and cityseer.

For every plot: residents within 300 m and 1,000 m walk, and the walk to the nearest green
space. Run from the project root (results are printed as a Markdown table)::

    OMP_NUM_THREADS=1 /work/venv/bin/python benchmarks/bench_network.py --plots 10000 100000

The city is an ``n × n`` lattice with a 97 m block, every node jittered by up to ±20 m (so
edge lengths vary and no distance ties with the radii) and 20 % of its links removed (closed
compounds, dead ends; the largest connected piece is kept): with ``n = 434`` about 300,000
edges. (On a perfect lattice pandana's contraction hierarchies take several times longer to
build; the missing links also make the city less regular, as real ones are.)

Plots, homes and green spaces are points placed on nodes, so that the four
four engines answer exactly the same question (pandana attaches places to their nearest node;
the planner attaches a point to its nearest segment, here at distance 0 from a node).

* planner: :class:`planner.access.network.NetworkDistance` (``sum_within`` for both radii in one
  tiled sweep, ``nearest`` by one multi-source Dijkstra), graph built from segment arrays.
* networkx, the common per-plot approach: ``ego_graph(G, node, radius, distance="length")``
  for each plot and radius, summing residents of the ego graph's nodes, and
  ``single_source_dijkstra_path_length(..., cutoff=...)`` per plot for the nearest green.
  Timed on a random sample of plots and extrapolated (said in the output).
* pandana: ``Network`` + ``precompute(1000)`` + ``aggregate(300 / 1000, type="sum",
  decay="flat")`` + ``nearest_pois``; values read at each plot's node.
* cityseer: a ``rustalgos.graph.NetworkStructure`` (both directions of every edge) whose live
  nodes are the plots' nodes, ``layers.compute_stats(..., decay_fn="1", measures=["sum"])``
  at 300 and 1,000 m and ``layers.compute_accessibilities`` for the nearest green.

Pandana's OpenMP threads follow ``OMP_NUM_THREADS``; run with 1 for a like-for-like,
single-core comparison (the planner's scipy searches are single-threaded); cityseer's rayon
threads are set to the same number (``RAYON_NUM_THREADS``).
"""

from __future__ import annotations

import argparse
import importlib.metadata as md
import os
import platform
import sys
import time
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
# cityseer's Rust core runs on rayon threads: as many as OpenMP's, for a single-core comparison
if "OMP_NUM_THREADS" in os.environ:
    os.environ.setdefault("RAYON_NUM_THREADS", os.environ["OMP_NUM_THREADS"])
os.environ.setdefault("CITYSEER_QUIET_MODE", "1")

from planner.access.network import NetworkDistance, WalkGraph, build_walk_graph  # noqa: E402

CRS = "EPSG:4547"
RADII = (300.0, 1000.0)
GREEN_CUTOFF_M = 3000.0  # per-plot searches for the nearest green stop here (networkx, pandana)


def grid_city(n: int, spacing: float, jitter: float, missing: float, seed: int):
    """Jittered ``n × n`` lattice with a share ``missing`` of links removed; largest piece."""
    from scipy.sparse import coo_array
    from scipy.sparse.csgraph import connected_components

    rng = np.random.default_rng(seed)
    ii, jj = np.meshgrid(np.arange(n), np.arange(n), indexing="ij")
    xy = np.c_[ii.ravel() * spacing, jj.ravel() * spacing].astype(float)
    xy += rng.uniform(-jitter, jitter, size=xy.shape)
    xy += (500_000.0, 4_300_000.0)
    idx = np.arange(n * n).reshape(n, n)
    u = np.r_[idx[:-1, :].ravel(), idx[:, :-1].ravel()]
    v = np.r_[idx[1:, :].ravel(), idx[:, 1:].ravel()]
    keep = rng.random(len(u)) >= missing
    u, v = u[keep], v[keep]
    _, label = connected_components(
        coo_array((np.ones(len(u)), (u, v)), shape=(n * n,) * 2), directed=False
    )
    big = np.bincount(label).argmax()
    ok = label[u] == big
    u, v = u[ok], v[ok]
    used = np.unique(np.r_[u, v])
    remap = np.full(n * n, -1)
    remap[used] = np.arange(len(used))
    return xy[used], remap[u], remap[v]


def places(xy, rng, n_plots, n_homes, n_green):
    plots = rng.choice(len(xy), size=n_plots, replace=False)
    homes = rng.choice(len(xy), size=n_homes, replace=False)
    pop = rng.integers(10, 500, size=n_homes).astype(float)
    green = rng.choice(len(xy), size=n_green, replace=False)
    return plots, homes, pop, green


class Clock:
    """Wall and CPU (process) time since creation; CPU time is steadier on a shared machine."""

    def __init__(self) -> None:
        self.wall, self.cpu = time.perf_counter(), time.process_time()

    def lap(self) -> tuple[float, float]:
        return time.perf_counter() - self.wall, time.process_time() - self.cpu


def timed(fn, *a, **k):
    c = Clock()
    out = fn(*a, **k)
    return out, c.lap()[0]


def run_planner(xy, u, v, plots, homes, pop, green):
    c = Clock()
    graph = WalkGraph.from_segments(xy[u], xy[v], crs=CRS, min_component_m=0)
    build = c.lap()
    model = NetworkDistance(graph)

    def pts(ix):
        return gpd.GeoSeries(shapely.points(xy[ix]), crs=CRS)

    o, h, g = pts(plots), pts(homes), pts(green)
    c = Clock()
    sums = model.sum_within(o, h, pop, RADII)
    within = c.lap()
    c = Clock()
    near = model.nearest(o, g)
    nearest = c.lap()
    query = (within[0] + nearest[0], within[1] + nearest[1])
    return {
        "r300": sums[:, 0],
        "r1000": sums[:, 1],
        "green": near,
        "build": build,
        "query": query,
        "within": within,
        "nearest": nearest,
    }


def build_pandana(xy, u, v):
    import pandana as pdna

    c = Clock()
    length = np.hypot(*(xy[u] - xy[v]).T)
    net = pdna.Network(
        pd.Series(xy[:, 0]),
        pd.Series(xy[:, 1]),
        pd.Series(u),
        pd.Series(v),
        pd.DataFrame({"length": length}),
        twoway=True,
    )
    ch = c.lap()
    c = Clock()
    net.precompute(max(RADII))
    return net, ch, c.lap()


def run_pandana(net, xy, plots, homes, pop, green):
    c = Clock()
    net.set(pd.Series(homes), variable=pd.Series(pop), name="pop")
    a300 = net.aggregate(RADII[0], type="sum", decay="flat", name="pop")
    a1000 = net.aggregate(RADII[1], type="sum", decay="flat", name="pop")
    net.set_pois("green", GREEN_CUTOFF_M, 1, pd.Series(xy[green, 0]), pd.Series(xy[green, 1]))
    near = net.nearest_pois(GREEN_CUTOFF_M, "green", num_pois=1)
    return {
        "r300": a300.to_numpy()[plots],
        "r1000": a1000.to_numpy()[plots],
        "green": near[1].to_numpy()[plots],
        "query": c.lap(),
    }


def run_cityseer(xy, u, v, plots, homes, pop, green):
    """cityseer: its Rust network structure, live only at the plots' nodes (it computes from
    live nodes), ``compute_stats`` (flat sum at 300 and 1,000 m) and ``compute_accessibilities``
    (nearest green within the cutoff)."""
    from cityseer import rustalgos
    from cityseer.metrics import layers

    c = Clock()
    live = np.zeros(len(xy), dtype=bool)
    live[plots] = True
    ns = rustalgos.graph.NetworkStructure()
    for k, ((x, y), lv) in enumerate(zip(xy.tolist(), live.tolist(), strict=True)):
        ns.add_street_node(str(k), x, y, lv, 1.0)
    wkt = shapely.to_wkt(shapely.linestrings(np.stack([xy[u], xy[v]], 1)), rounding_precision=-1)
    back = shapely.to_wkt(shapely.linestrings(np.stack([xy[v], xy[u]], 1)), rounding_precision=-1)
    for e, (a, b) in enumerate(zip(u.tolist(), v.tolist(), strict=True)):
        ns.add_street_edge(a, b, e, str(a), str(b), wkt[e], 1.0)
        ns.add_street_edge(b, a, e, str(b), str(a), back[e], 1.0)
    ns.validate()
    ns.build_edge_rtree()
    nodes = gpd.GeoDataFrame(
        {"x": xy[:, 0], "y": xy[:, 1], "live": live},
        geometry=shapely.points(xy),
        index=[str(k) for k in range(len(xy))],
        crs=CRS,
    )
    build = c.lap()
    h = gpd.GeoDataFrame({"pop": pop}, geometry=shapely.points(xy[homes]), crs=CRS)
    g = gpd.GeoDataFrame(
        {"lu": ["green"] * len(green)}, geometry=shapely.points(xy[green]), crs=CRS
    )
    c = Clock()
    nodes = layers.compute_stats(
        h, ["pop"], nodes, ns, distances=[int(r) for r in RADII], decay_fn="1", measures=["sum"]
    )
    nodes = layers.compute_accessibilities(
        g, "lu", ["green"], nodes, ns, distances=[int(GREEN_CUTOFF_M)], decay_fn="1"
    )
    query = c.lap()
    at = nodes.iloc[plots]
    cols = [f"cc_pop_sum_{int(r)}" for r in RADII]
    return {
        "r300": at[cols[0]].to_numpy(float),
        "r1000": at[cols[1]].to_numpy(float),
        "green": at[f"cc_green_nearest_max_{int(GREEN_CUTOFF_M)}"].to_numpy(float),
        "build": build,
        "query": query,
    }


def run_networkx(xy, u, v, plots, homes, pop, green, sample):
    import networkx as nx

    c = Clock()
    G = nx.Graph()
    G.add_weighted_edges_from(
        zip(u.tolist(), v.tolist(), np.hypot(*(xy[u] - xy[v]).T).tolist(), strict=True),
        weight="length",
    )
    build = c.lap()
    pop_at = dict(zip(homes.tolist(), pop.tolist(), strict=True))
    green_set = set(green.tolist())
    r300, r1000, near = [], [], []
    c = Clock()
    for n in sample.tolist():  # the per-plot approach being measured
        for radius, out in ((RADII[0], r300), (RADII[1], r1000)):
            ego = nx.ego_graph(G, n, radius=radius, distance="length")
            out.append(sum(pop_at.get(k, 0.0) for k in ego.nodes))
        d = nx.single_source_dijkstra_path_length(G, n, cutoff=GREEN_CUTOFF_M, weight="length")
        near.append(min((d[k] for k in d if k in green_set), default=np.inf))
    return {
        "r300": np.array(r300),
        "r1000": np.array(r1000),
        "green": np.array(near),
        "build": build,
        "sample": c.lap(),
    }


def agreement(a: np.ndarray, b: np.ndarray) -> str:
    """Share of plots whose values differ by more than 1 % (relative), and the largest gap."""
    a, b = np.asarray(a, float), np.asarray(b, float)
    both = np.isfinite(a) & np.isfinite(b)
    rel = np.abs(a[both] - b[both]) / np.maximum(np.abs(b[both]), 1e-9)
    off = (rel > 0.01).mean() if both.any() else 0.0
    return f"{off:.2%} of plots differ > 1 % (max rel {rel.max() if both.any() else 0:.2e})"


def versions() -> str:
    """Versions of the libraries measured."""
    names = ("scipy", "numpy", "shapely", "pandas", "geopandas", "networkx", "pandana", "cityseer")
    out = []
    for name in names:
        try:
            out.append(f"{name} {md.version(name)}")
        except md.PackageNotFoundError:
            out.append(f"{name} (not installed)")
    return ", ".join(out)


def compare_cityseer(xy, u, v, plots, homes, pop, green, mine) -> dict:
    """Run cityseer on the same question, print its times and agreement; the table's columns."""
    csr = run_cityseer(xy, u, v, plots, homes, pop, green)
    mb, mq, cb, cq = mine["build"][1], mine["query"][1], csr["build"][1], csr["query"][1]
    print(
        f"cityseer {md.version('cityseer')}: build {csr['build'][0]:.2f} / {cb:.2f} s, queries "
        f"{csr['query'][0]:.2f} / {cq:.2f} s (planner / cityseer CPU: queries {mq / cq:.3f}x, "
        f"build + queries {(mb + mq) / (cb + cq):.3f}x)"
    )
    for key in ("r300", "r1000", "green"):
        mk = mine[key]
        if key == "green":
            mk = np.where(mk <= GREEN_CUTOFF_M, mk, np.nan)
        print(f"  cityseer vs planner, {key}: {agreement(mk, csr[key])}")
    return {
        "cityseer build CPU s": cb,
        "cityseer query CPU s": cq,
        "planner / cityseer query": mq / cq,
        "planner / cityseer build+query": (mb + mq) / (cb + cq),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument(
        "--n",
        type=int,
        default=434,
        help="lattice side (434 with 20 %% of links missing: about 300,000 edges)",
    )
    ap.add_argument("--spacing", type=float, default=97.0)
    ap.add_argument(
        "--missing",
        type=float,
        default=0.2,
        help="share of lattice links removed (closed compounds, dead ends)",
    )
    ap.add_argument("--plots", type=int, nargs="+", default=[10_000, 100_000])
    ap.add_argument("--homes", type=int, default=50_000)
    ap.add_argument("--green", type=int, default=2_000)
    ap.add_argument("--nx-sample", type=int, default=200)
    ap.add_argument("--skip-pandana", action="store_true")
    ap.add_argument("--skip-cityseer", action="store_true")
    ap.add_argument("--seed", type=int, default=4)
    ap.add_argument(
        "--roads-build",
        action="store_true",
        help="also time build_walk_graph from a roads GeoDataFrame (noding)",
    )
    args = ap.parse_args()

    xy, u, v = grid_city(args.n, args.spacing, 20.0, args.missing, args.seed)
    print(
        f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, OMP_NUM_THREADS="
        f"{os.environ.get('OMP_NUM_THREADS', 'unset')}, load average "
        f"{' '.join(f'{x:.2f}' for x in os.getloadavg())}"
    )
    print("versions: " + versions())
    print(
        f"grid city: {len(xy):,} nodes, {len(u):,} edges, block {args.spacing:g} m ±20 m, "
        f"{args.missing:.0%} of lattice links missing"
    )
    if args.roads_build:
        roads = gpd.GeoDataFrame(
            {"road_class": np.full(len(u), "residential")},
            geometry=shapely.linestrings(np.stack([xy[u], xy[v]], 1)),
            crs=CRS,
        )
        for noding in ("vertices", "auto"):
            g, t = timed(build_walk_graph, roads, noding=noding)
            print(
                f"build_walk_graph(noding={noding}) from {len(roads):,} lines: {t:.1f} s "
                f"({g.n_edges:,} segments)"
            )
    net = None
    if not args.skip_pandana:
        net, ch, pre = build_pandana(xy, u, v)
        print(
            f"\npandana: Network (contraction hierarchies) {ch[0]:.1f} s wall / {ch[1]:.1f} s "
            f"CPU, precompute({max(RADII):.0f}) {pre[0]:.1f} s wall / {pre[1]:.1f} s CPU — "
            "once, shared by the runs below"
        )
    rows = []
    for n_plots in args.plots:
        rng = np.random.default_rng(args.seed + n_plots)
        plots, homes, pop, green = places(xy, rng, n_plots, args.homes, args.green)
        mine = run_planner(xy, u, v, plots, homes, pop, green)
        sample_ix = rng.choice(n_plots, size=min(args.nx_sample, n_plots), replace=False)
        nxr = run_networkx(xy, u, v, plots, homes, pop, green, plots[sample_ix])
        nx_cpu = nxr["sample"][1] / len(sample_ix) * n_plots
        mq = mine["query"]
        row = {
            "plots": n_plots,
            "planner build CPU s": mine["build"][1],
            "planner query CPU s": mq[1],
            "planner query wall s": mq[0],
            "networkx est. CPU s": nx_cpu,
            "networkx / planner": nx_cpu / mq[1],
        }
        print(
            f"\n{n_plots:,} plots, {len(homes):,} homes, {len(green):,} green spaces "
            "(times: wall / CPU)"
        )
        print(
            f"planner: build {mine['build'][0]:.2f} / {mine['build'][1]:.2f} s, within "
            f"(300 + 1,000 m) {mine['within'][0]:.2f} / {mine['within'][1]:.2f} s, nearest "
            f"green {mine['nearest'][0]:.2f} / {mine['nearest'][1]:.2f} s"
        )
        print(
            f"networkx (per plot: ego_graph 300 m, ego_graph 1,000 m, Dijkstra to "
            f"{GREEN_CUTOFF_M:.0f} m): {len(sample_ix)} plots in {nxr['sample'][0]:.2f} / "
            f"{nxr['sample'][1]:.2f} s -> {nx_cpu:.0f} s CPU extrapolated to {n_plots:,} "
            f"plots ({nx_cpu / mq[1]:.0f}x the planner's query CPU time)"
        )
        for key in ("r300", "r1000", "green"):
            near_cut = mine[key][sample_ix]
            if key == "green":
                near_cut = np.where(near_cut <= GREEN_CUTOFF_M, near_cut, np.inf)
            print(f"  networkx vs planner, {key}: {agreement(near_cut, nxr[key])}")
        if net is not None:
            pdr = run_pandana(net, xy, plots, homes, pop, green)
            pq = pdr["query"]
            p_total = ch[1] + pre[1] + pq[1]
            m_total = mine["build"][1] + mq[1]
            row.update(
                {
                    "pandana build CPU s": ch[1] + pre[1],
                    "pandana query CPU s": pq[1],
                    "planner / pandana query": mq[1] / pq[1],
                    "planner / pandana build+query": m_total / p_total,
                }
            )
            print(
                f"pandana: queries {pq[0]:.2f} / {pq[1]:.2f} s (planner / pandana CPU: "
                f"queries {mq[1] / pq[1]:.2f}x, build + queries {m_total / p_total:.2f}x)"
            )
            for key in ("r300", "r1000", "green"):
                mk = mine[key]
                if key == "green":
                    mk = np.where(mk <= GREEN_CUTOFF_M, mk, GREEN_CUTOFF_M)
                print(f"  pandana vs planner, {key}: {agreement(mk, pdr[key])}")
        if not args.skip_cityseer:
            row.update(compare_cityseer(xy, u, v, plots, homes, pop, green, mine))
        rows.append(row)
    print()
    table = pd.DataFrame(rows).round(2)
    print("| " + " | ".join(table.columns) + " |")
    print("|" + "---|" * len(table.columns))
    for rec in table.itertuples(index=False):
        print("| " + " | ".join(f"{x:,}" if isinstance(x, int) else f"{x:g}" for x in rec) + " |")


if __name__ == "__main__":
    main()
