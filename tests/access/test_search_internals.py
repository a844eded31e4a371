"""Internals of the tiled walking search, each on a graph small enough to check by hand.

The graph: a 3 × 3 lattice of nodes 100 m apart (ids row by row from the south-west,
x = 0, 100, 200 and y = 0, 100, 200), 12 streets of 100 m each.
"""

from __future__ import annotations

from dataclasses import replace

import geopandas as gpd
import numpy as np
import scipy.sparse as sp
from scipy.sparse.csgraph import dijkstra
from shapely.geometry import Point

from planner.access.distances import remembered_fingerprint
from planner.access.network import NetworkDistance, WalkGraph, _tile_matrix

CRS = "EPSG:4547"


def lattice() -> WalkGraph:
    xy = np.array([(x, y) for y in (0.0, 100.0, 200.0) for x in (0.0, 100.0, 200.0)])
    pairs = [(0, 1), (1, 2), (3, 4), (4, 5), (6, 7), (7, 8)]  # east-west streets
    pairs += [(0, 3), (3, 6), (1, 4), (4, 7), (2, 5), (5, 8)]  # north-south streets
    u, v = np.array(pairs).T
    return WalkGraph.from_segments(xy[u], xy[v], crs=CRS, min_component_m=0)


def test_nodes_in_box_edges_included_and_ascending():
    g = lattice()
    ids = {tuple(p): k for k, p in enumerate(g.xy.tolist())}
    # the box [0, 100] x [100, 200] holds the four nodes (0|100, 100|200), edges included
    got = g.nodes_in_box(0.0, 100.0, 100.0, 200.0)
    want = sorted(ids[(x, y)] for x in (0.0, 100.0) for y in (100.0, 200.0))
    assert got.tolist() == want
    assert g.nodes_in_box(-50.0, -50.0, 50.0, 50.0).tolist() == [ids[(0.0, 0.0)]]
    assert g.nodes_in_box(10.0, 10.0, 90.0, 90.0).tolist() == []
    assert g.nodes_in_box(-1e9, -1e9, 1e9, 1e9).tolist() == list(range(9))


def test_seg_length_computed_once_and_read_only():
    g = lattice()
    assert g.seg_length.tolist() == [100.0] * 12
    assert g.seg_length is g.seg_length
    assert not g.seg_length.flags.writeable


def test_tile_matrix_is_the_coo_matrix_of_the_same_entries():
    g = lattice()
    ids = {tuple(p): k for k, p in enumerate(g.xy.tolist())}
    # the box [0, 100] x [0, 200]: the six nodes of the two western columns
    nodes = g.nodes_in_box(0.0, 0.0, 100.0, 200.0)
    local = np.full(g.n_nodes, -1, dtype=np.intp)
    local[nodes] = np.arange(len(nodes))
    # two sources: 0 reaches (0,0) at 5 m and (100,0) at 95 m, 1 reaches (100,200) at 0 m
    src_pos = np.array([0, 0, 1])
    src_node = np.array([ids[(0.0, 0.0)], ids[(100.0, 0.0)], ids[(100.0, 200.0)]])
    src_cost = np.array([5.0, 95.0, 0.0])
    mat = _tile_matrix(g.matrix, nodes, local, src_pos, src_node, src_cost, 2)
    m = len(nodes)
    # by hand: the box keeps the 7 streets between its 6 nodes, both ways
    sub = g.matrix[nodes][:, nodes].tocoo()
    rows = np.concatenate([sub.row, m + src_pos])
    cols = np.concatenate([sub.col, local[src_node]])
    data = np.concatenate([sub.data, src_cost])
    want = sp.csr_array((data, (rows, cols)), shape=(m + 2, m + 2))
    assert mat.shape == (8, 8) and mat.nnz == 2 * 7 + 3
    np.testing.assert_array_equal(mat.toarray(), want.toarray())
    # the zero-cost access edge is kept as an edge (an explicit zero), as in the COO build
    assert mat[m + 1, local[ids[(100.0, 200.0)]]] == 0.0 and mat.nnz == want.nnz
    # source 0 walks 5 + 100 + 100 = 205 m to (0,200) and 95 + 100 = 195 m to (100,100)
    # (not 5 + 100 + 100 = 205 through (0,100)); source 1 walks 300 m to (0,0)
    d = dijkstra(mat, directed=True, indices=[m, m + 1])
    assert d[0, local[ids[(0.0, 200.0)]]] == 205.0
    assert d[0, local[ids[(100.0, 100.0)]]] == 195.0
    assert d[1, local[ids[(0.0, 0.0)]]] == 300.0


def test_target_rows_in_any_order_give_the_same_pairs():
    # homes at (50, 0) and (200, 150): each reaches two nodes (the ends of its street);
    # plots at (0, 0) and (100, 200). Walks by hand: (0,0)-(50,0) 50 m, (0,0)-(200,150)
    # 200 + 150 = 350 m, (100,200)-(50,0) 200 + 50 = 250 m, (100,200)-(200,150) 150 m
    g = lattice()
    plots = gpd.GeoSeries([Point(0, 0), Point(100, 200)], crs=CRS)
    homes = gpd.GeoSeries([Point(50, 0), Point(200, 150)], crs=CRS)
    model = NetworkDistance(g)
    p = model.within(plots, homes, 1000.0)
    assert p.origin.tolist() == [0, 0, 1, 1] and p.target.tolist() == [0, 1, 0, 1]
    np.testing.assert_allclose(p.distance, [50.0, 350.0, 250.0, 150.0])
    sums = model.sum_within(plots, homes, np.array([10.0, 1.0]), [200.0, 300.0])
    assert sums.tolist() == [[10.0, 10.0], [1.0, 11.0]]
    # the same access rows listed backwards: same pairs, same distances
    (key,) = [k for k in model._cache if k[0] == remembered_fingerprint(homes)]
    a = model._cache[key]
    rev = slice(None, None, -1)
    model._cache[key] = replace(a, geom=a.geom[rev], node=a.node[rev], cost=a.cost[rev])
    q = model.within(plots, homes, 1000.0)
    assert q.origin.tolist() == p.origin.tolist() and q.target.tolist() == p.target.tolist()
    np.testing.assert_array_equal(q.distance, p.distance)
