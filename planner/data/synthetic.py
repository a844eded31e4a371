"""Synthetic cities for benchmarks and tests.

:func:`synthetic_city` lays out a city on a rectilinear street grid and returns every layer
role as :class:`planner.layers.Layers`. Everything is drawn from one seeded
:class:`numpy.random.Generator` and built with shapely's array constructors (``shapely.box``,
``shapely.polygons``, ``shapely.linestrings``, ``shapely.points``), so a city of a million
buildings is generated in seconds and the same seed always gives the same city.

Layout
------
* **Roads**: an ``m × m`` grid of intersections with block sides drawn between ``block_m``
  bounds; one straight two-point line per block side, so lines meet only at shared end points
  (already noded). Every ``arterial_every``-th grid line is an arterial (``road_class``
  ``"primary"``), the rest are lanes (``"residential"``), and a share ``footway_share`` of the
  lanes are footways (walkable, no car access).
* **Blocks** between the roads: a few are parks (``green``), a few hold one large idle plot,
  the rest are cut into ``k × k`` equal *slots* inside a ``setback_m`` setback from the road
  centre lines. Every slot holds at most one thing: a residential building, an idle plot or a
  surface car park, drawn strictly inside the slot with a ``SLOT_GAP_M`` gap. Hence **no idle plot
  overlaps a building, a park, a car park or another plot**, and nothing lies on a road.
* **Idle plots** come in varied shapes: rectangles, narrow strips (5–9 m wide), L-shapes,
  triangles, rotated rectangles and irregular star-convex heptagons; large plots fill a block.
* **Existing parking**: surface car parks (polygons in slots, ``capacity`` from their area at
  :data:`planner.standards.EXISTING_PARKING_M2_PER_SPACE`) and kerb-side car parks (points in
  the setback strip with a drawn ``capacity``).
* **POIs**: points at block corners, in the setback strip, with a ``category`` among station,
  school, hospital, market and commercial.
* **Life circles** (optional): square tiles of about ``life_circle_m`` covering the city.
* **Constraints** (optional): a few rectangles a few blocks wide with a ``reason``.

The city is generated in CGCS2000 / 3-degree Gauss-Krüger CM 117E (EPSG:4548) around
``origin`` (by default near Tianjin) and reprojected when another ``crs`` is asked for
(e.g. ``"EPSG:4326"``).

The population figures are synthetic: building footprint × floors ×
:data:`planner.standards.PERSONS_PER_FLOOR_M2` with ±20 % noise; they are for exercising the
planner, not a model of any real city.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from os import PathLike
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyproj
import shapely

from planner import standards as S
from planner.errors import ConfigError
from planner.layers import Layers
from planner.messages import Msg

#: CRS the city is generated in: CGCS2000 / 3-degree Gauss-Kruger CM 117E (EPSG registry).
GK_CM117 = "EPSG:4548"
#: South-west corner of the grid in :data:`GK_CM117` (metres), near Tianjin (about 117.06 E,
#: 39.01 N).
DEFAULT_ORIGIN = (505_000.0, 4_320_000.0)

#: Gap kept free inside each slot, on every side (m): things in neighbouring slots are at
#: least twice this far apart.
SLOT_GAP_M = 2.0
#: Smallest slot side (m) the layout accepts; below it buildings and plots become slivers.
MIN_SLOT_M = 12.0
#: Share of slots filled at most; the slot count per block is chosen to respect it.
MAX_SLOT_FILL = 0.8
#: Width range of strip plots (m): narrow left-over strips along walls.
STRIP_WIDTH_M = (5.0, 9.0)

#: Shapes of ordinary idle plots and their shares.
PLOT_SHAPES: dict[str, float] = {
    "rect": 0.30,
    "strip": 0.15,
    "L": 0.15,
    "triangle": 0.10,
    "rotated": 0.15,
    "irregular": 0.15,
}
#: Shapes of the large, block-filling idle plots and their shares.
LARGE_PLOT_SHAPES: dict[str, float] = {"rect": 0.4, "L": 0.3, "irregular": 0.3}
#: Floors of synthetic residential buildings and their shares (walk-ups to towers).
FLOOR_CHOICES: dict[int, float] = {3: 0.10, 6: 0.40, 11: 0.20, 18: 0.15, 26: 0.10, 33: 0.05}
#: POI categories and their shares.
POI_CATEGORIES: dict[str, float] = {
    "station": 0.05,
    "school": 0.15,
    "hospital": 0.05,
    "market": 0.15,
    "commercial": 0.60,
}
#: Reasons given to constraint areas.
CONSTRAINT_REASONS = ("文物保护范围", "高压走廊", "河道蓝线")


@dataclass(frozen=True)
class _Grid:
    xs: np.ndarray  # grid line x coordinates (m,)
    ys: np.ndarray  # grid line y coordinates (m,)

    @property
    def m(self) -> int:
        return len(self.xs)

    @property
    def n_blocks(self) -> int:
        return (self.m - 1) ** 2

    def block_bounds(self, block: np.ndarray) -> tuple[np.ndarray, ...]:
        """Bounds (x0, y0, x1, y1) of blocks numbered row-major (i + j·(m-1))."""
        i, j = block % (self.m - 1), block // (self.m - 1)
        return self.xs[i], self.ys[j], self.xs[i + 1], self.ys[j + 1]


def grid_size_for_edges(n_road_edges: int) -> int:
    """Intersections per side of the square grid with at least ``n_road_edges`` edges.

    A grid of ``m × m`` intersections has ``2·m·(m − 1)`` edges.
    """
    return max(2, math.ceil((1.0 + math.sqrt(1.0 + 2.0 * max(n_road_edges, 1))) / 2.0))


def _pick(rng: np.random.Generator, choices: dict, n: int) -> np.ndarray:
    keys = np.array(list(choices), dtype=object)
    p = np.array(list(choices.values()), dtype=float)
    return keys[rng.choice(len(keys), size=n, p=p / p.sum())]


def _roads(
    grid: _Grid, rng: np.random.Generator, arterial_every: int, footway_share: float
) -> gpd.GeoDataFrame:
    m, xs, ys = grid.m, grid.xs, grid.ys
    # horizontal edges: row j, from column i to i + 1
    hi, hj = np.meshgrid(np.arange(m - 1), np.arange(m), indexing="xy")
    hi, hj = hi.ravel(), hj.ravel()
    h = np.stack([np.column_stack([xs[hi], ys[hj]]), np.column_stack([xs[hi + 1], ys[hj]])], axis=1)
    # vertical edges: column i, from row j to j + 1
    vj, vi = np.meshgrid(np.arange(m - 1), np.arange(m), indexing="xy")
    vi, vj = vi.ravel(), vj.ravel()
    v = np.stack([np.column_stack([xs[vi], ys[vj]]), np.column_stack([xs[vi], ys[vj + 1]])], axis=1)
    coords = np.concatenate([h, v])
    line_no = np.concatenate([hj, vi])
    arterial = line_no % arterial_every == 0
    road_class = np.where(arterial, "primary", "residential").astype(object)
    footway = ~arterial & (rng.random(len(coords)) < footway_share)
    road_class[footway] = "footway"
    prefix = np.concatenate([np.full(len(h), "纬"), np.full(len(v), "经")])
    name = pd.Series(prefix).str.cat(pd.Series(line_no).astype(str)) + "路"
    return gpd.GeoDataFrame(
        {"road_class": road_class, "name": name.to_numpy(dtype=object)},
        geometry=shapely.linestrings(coords),
        crs=GK_CM117,
    )


def _unit_shapes(kind: str, n: int, rng: np.random.Generator) -> np.ndarray:
    """Vertex rings, in the unit square, of ``n`` shapes of one kind: array (n, v, 2)."""
    if kind == "rect":
        u0, v0 = rng.uniform(0.0, 0.3, n), rng.uniform(0.0, 0.3, n)
        u1, v1 = rng.uniform(0.7, 1.0, n), rng.uniform(0.7, 1.0, n)
        ring = [(u0, v0), (u1, v0), (u1, v1), (u0, v1)]
    elif kind == "L":
        cu, cv = rng.uniform(0.4, 0.7, n), rng.uniform(0.4, 0.7, n)
        z, o = np.zeros(n), np.ones(n)
        ring = [(z, z), (o, z), (o, cv), (cu, cv), (cu, o), (z, o)]
    elif kind == "triangle":
        s = rng.uniform(0.7, 1.0, n)
        z = np.zeros(n)
        ring = [(z, z), (s, z), (z, s)]
    elif kind == "irregular":
        k = 7
        base = 2.0 * np.pi * np.arange(k) / k
        ang = base + rng.uniform(-0.3, 0.3, (n, k))  # jitter < half the step: stays sorted
        rad = 0.5 * rng.uniform(0.55, 1.0, (n, k))
        out = np.stack([0.5 + rad * np.cos(ang), 0.5 + rad * np.sin(ang)], axis=2)
        return out
    else:
        raise ValueError(f"unknown unit shape {kind!r}")
    out = np.stack([np.column_stack(p) for p in ring], axis=1)
    # mirror some shapes so that notches and right angles face every way
    flip = rng.random((n, 2)) < 0.5
    out = np.where(flip[:, None, :], 1.0 - out, out)
    return out


def _shapes_in_boxes(
    kinds: np.ndarray,
    x0: np.ndarray,
    y0: np.ndarray,
    w: np.ndarray,
    h: np.ndarray,
    rng: np.random.Generator,
) -> np.ndarray:
    """One polygon of the given kind inside each box (x0, y0, w, h); the kind loop is short."""
    out = np.empty(len(kinds), dtype=object)
    for kind in np.unique(kinds):
        sel = np.flatnonzero(kinds == kind)
        n = len(sel)
        bx, by, bw, bh = x0[sel], y0[sel], w[sel], h[sel]
        if kind == "strip":
            width = rng.uniform(*STRIP_WIDTH_M, n)
            along_x = rng.random(n) < 0.5
            sw = np.where(along_x, bw, np.minimum(width, bw))
            sh = np.where(along_x, np.minimum(width, bh), bh)
            ox = bx + rng.random(n) * (bw - sw)
            oy = by + rng.random(n) * (bh - sh)
            out[sel] = shapely.box(ox, oy, ox + sw, oy + sh)
            continue
        if kind == "rotated":
            theta = rng.uniform(0.0, np.pi / 2.0, n)
            c, s = np.cos(theta), np.sin(theta)
            side = np.minimum(bw, bh)
            p = rng.uniform(0.6, 1.0, n) * side
            q = rng.uniform(0.3, 0.6, n) * side
            # shrink so that the rotated rectangle's bounding box fits the slot
            scale = np.minimum.reduce([bw / (p * c + q * s), bh / (p * s + q * c), np.ones(n)])
            p, q = p * scale, q * scale
            cx, cy = bx + bw / 2.0, by + bh / 2.0
            corners = np.array([(-1, -1), (1, -1), (1, 1), (-1, 1)], dtype=float) / 2.0
            lx = corners[None, :, 0] * p[:, None]
            ly = corners[None, :, 1] * q[:, None]
            px = cx[:, None] + lx * c[:, None] - ly * s[:, None]
            py = cy[:, None] + lx * s[:, None] + ly * c[:, None]
            out[sel] = shapely.polygons(np.stack([px, py], axis=2))
            continue
        unit = _unit_shapes(str(kind), n, rng)
        px = bx[:, None] + unit[:, :, 0] * bw[:, None]
        py = by[:, None] + unit[:, :, 1] * bh[:, None]
        out[sel] = shapely.polygons(np.stack([px, py], axis=2))
    return out


def _ids(prefix: str, n: int, width: int = 6) -> np.ndarray:
    return (prefix + pd.Series(np.arange(1, n + 1)).astype(str).str.zfill(width)).to_numpy(
        dtype=object
    )


def synthetic_city(
    n_plots: int = 500,
    n_buildings: int = 5_000,
    *,
    n_road_edges: int | None = None,
    n_parks: int | None = None,
    n_parking: int | None = None,
    n_pois: int | None = None,
    n_constraints: int | None = None,
    life_circles: bool = True,
    block_m: tuple[float, float] = (100.0, 160.0),
    setback_m: float = 8.0,
    arterial_every: int = 5,
    footway_share: float = 0.05,
    large_plot_share: float = 0.05,
    life_circle_m: float = 1500.0,
    seed: int = 0,
    crs: str | pyproj.CRS = GK_CM117,
    origin: tuple[float, float] = DEFAULT_ORIGIN,
) -> Layers:
    """Generate a synthetic city with every layer role.

    Parameters
    ----------
    n_plots : int
        Idle plots (exactly this many).
    n_buildings : int
        Residential buildings (exactly this many).
    n_road_edges : int, optional
        About this many road edges (the square grid with at least this many is used);
        default ``max(40, 0.3 · n_buildings)``.
    n_parks, n_parking, n_pois, n_constraints : int, optional
        Counts of parks (whole blocks), existing car parks (half polygons, half points), POIs
        and constraint areas; defaults scale with the number of blocks (3 %, 5 %, 10 % and
        one per 400 blocks, at least one each).
    life_circles : bool
        Add a ``life_circles`` layer of square tiles.
    block_m : (float, float)
        Range of block sides (m), drawn per grid line.
    setback_m : float
        Distance from a road centre line to the first slot (m).
    arterial_every : int
        Every so many grid lines is an arterial.
    footway_share : float
        Share of lanes that are footways.
    large_plot_share : float
        Share of the plots that fill a whole block.
    life_circle_m : float
        Approximate side of a life-circle tile (m).
    seed : int
        Seed of the random generator: equal seeds give equal cities.
    crs : str or CRS
        CRS of the returned layers (generated in :data:`GK_CM117`, reprojected otherwise).
    origin : (float, float)
        South-west corner of the grid in :data:`GK_CM117`.

    Returns
    -------
    Layers
        All roles, every frame in ``crs``. ``Layers.crs`` is ``None``: the layers are raw
        input, to be checked and normalised by :func:`planner.layers.prepare_layers` (which
        :func:`planner.score` calls).

    Raises
    ------
    ConfigError
        A count is negative, or the blocks cannot hold the requested features (raise
        ``n_road_edges``).
    """
    if n_road_edges is None:
        n_road_edges = max(40, round(0.3 * n_buildings))
    _check_arguments(
        n_plots,
        n_buildings,
        n_road_edges,
        n_parks,
        n_parking,
        n_pois,
        n_constraints,
        block_m,
        setback_m,
        arterial_every,
    )
    lo, hi = block_m
    rng = np.random.default_rng(seed)  # one generator, drawn from in this order
    grid = _grid(rng, grid_size_for_edges(n_road_edges), block_m, origin)
    roads = _roads(grid, rng, arterial_every, footway_share)
    counts = _Counts.of(
        grid.n_blocks,
        n_plots,
        n_buildings,
        n_parks,
        n_parking,
        n_pois,
        n_constraints,
        large_plot_share,
    )
    park_blocks, large_blocks, slot_blocks = _block_roles(rng, grid.n_blocks, counts)
    slots = _slots(rng, grid, slot_blocks, counts, lo, setback_m)
    frames: dict[str, gpd.GeoDataFrame | None] = {
        "residential": _residential(rng, grid, slots),
        "plots": _plots(rng, grid, slots, large_blocks, counts, setback_m),
        "green": _green(rng, grid, park_blocks, setback_m),
        "parking": _parking(rng, grid, slots, counts, setback_m),
        "pois": _pois(rng, grid, counts.pois, setback_m),
        "constraints": _constraints(rng, grid, counts.constraints),
        "roads": roads,
        "life_circles": _life_circles(grid, life_circle_m, block_m) if life_circles else None,
    }
    frames = {
        role: frames[role]
        for role in (
            "plots",
            "green",
            "residential",
            "roads",
            "parking",
            "pois",
            "constraints",
            "life_circles",
        )
    }
    out_crs = pyproj.CRS.from_user_input(crs)
    if not out_crs.equals(pyproj.CRS.from_user_input(GK_CM117)):
        frames = {k_: (None if f is None else f.to_crs(out_crs)) for k_, f in frames.items()}
    sources = {
        role: f"synthetic:{role} (seed={seed})" for role, f in frames.items() if f is not None
    }
    # Layers.crs stays None: these are raw layers, checked and normalised by prepare_layers
    return Layers.from_mapping(frames, sources)


# --- The steps of synthetic_city, in the order they draw from the generator ------------------
def _check_arguments(
    n_plots: int,
    n_buildings: int,
    n_road_edges: int,
    n_parks: int | None,
    n_parking: int | None,
    n_pois: int | None,
    n_constraints: int | None,
    block_m: tuple[float, float],
    setback_m: float,
    arterial_every: int,
) -> None:
    """Raise :class:`ConfigError` on a negative count or blocks too small for the setback."""
    counts = {"n_plots": n_plots, "n_buildings": n_buildings, "n_road_edges": n_road_edges}
    for name, v in {
        **counts,
        "n_parks": n_parks,
        "n_parking": n_parking,
        "n_pois": n_pois,
        "n_constraints": n_constraints,
    }.items():
        if v is not None and (not isinstance(v, int | np.integer) or v < 0):
            raise ConfigError(Msg("data.not_a_count", name=name, value=v))
    if n_plots < 1:
        raise ConfigError(Msg("data.no_plots"))
    lo, hi = block_m
    if not 2 * setback_m + MIN_SLOT_M < lo <= hi:
        raise ConfigError(Msg("data.block_size", block_m=block_m, min_slot=MIN_SLOT_M))
    if arterial_every < 1:
        raise ConfigError(Msg("data.arterial_every"))


def _grid(
    rng: np.random.Generator, m: int, block_m: tuple[float, float], origin: tuple[float, float]
) -> _Grid:
    """An ``m × m`` street grid with block sides drawn in ``block_m``, from ``origin``."""
    lo, hi = block_m
    xs = origin[0] + np.concatenate([[0.0], np.cumsum(rng.uniform(lo, hi, m - 1))])
    ys = origin[1] + np.concatenate([[0.0], np.cumsum(rng.uniform(lo, hi, m - 1))])
    return _Grid(xs, ys)


@dataclass(frozen=True)
class _Counts:
    """How many of each thing the city holds (defaults scaled to the number of blocks)."""

    plots: int
    buildings: int
    parks: int
    parking: int
    pois: int
    constraints: int
    large: int  # plots filling a whole block

    @classmethod
    def of(
        cls,
        nb: int,
        n_plots: int,
        n_buildings: int,
        n_parks: int | None,
        n_parking: int | None,
        n_pois: int | None,
        n_constraints: int | None,
        large_plot_share: float,
    ) -> _Counts:
        return cls(
            n_plots,
            n_buildings,
            max(1, round(0.03 * nb)) if n_parks is None else n_parks,
            max(1, round(0.05 * nb)) if n_parking is None else n_parking,
            max(1, round(0.10 * nb)) if n_pois is None else n_pois,
            max(1, nb // 400) if n_constraints is None else n_constraints,
            round(large_plot_share * n_plots),
        )

    @property
    def lots(self) -> int:
        """Surface car parks (they take slots); the rest of the parking are kerb-side points."""
        return self.parking // 2

    @property
    def small(self) -> int:
        """Plots in slots."""
        return self.plots - self.large


def _block_roles(
    rng: np.random.Generator, nb: int, counts: _Counts
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Blocks that are parks, that hold one large plot, and that are cut into slots."""
    if counts.parks + counts.large >= nb:
        raise ConfigError(
            Msg("data.too_few_blocks", blocks=nb, parks=counts.parks, large=counts.large)
        )
    order = rng.permutation(nb)
    return (
        order[: counts.parks],
        order[counts.parks : counts.parks + counts.large],
        order[counts.parks + counts.large :],
    )


@dataclass(frozen=True)
class _Slots:
    """The slot of every item: small plots, then buildings, then surface car parks.

    Lower-left corner and size inside the gap of each slot, and which items are which.
    """

    x0: np.ndarray
    y0: np.ndarray
    w: np.ndarray
    h: np.ndarray
    plot: np.ndarray  # positions of the small plots' slots
    building: np.ndarray
    lot: np.ndarray


def _slots(
    rng: np.random.Generator,
    grid: _Grid,
    slot_blocks: np.ndarray,
    counts: _Counts,
    lo: float,
    setback_m: float,
) -> _Slots:
    """One slot per item, ``k × k`` slots per ordinary block, none used twice."""
    n_small, n_buildings = counts.small, counts.buildings
    n_items = n_small + n_buildings + counts.lots
    k = max(1, math.ceil(math.sqrt(n_items / (len(slot_blocks) * MAX_SLOT_FILL))))
    usable = min(lo, float(np.diff(grid.xs).min()), float(np.diff(grid.ys).min())) - 2 * setback_m
    if usable / k < MIN_SLOT_M:
        raise ConfigError(
            Msg(
                "data.slots_too_small",
                items=n_items,
                blocks=len(slot_blocks),
                slot=usable / k,
            )
        )
    slot = rng.choice(len(slot_blocks) * k * k, size=n_items, replace=False)
    block = slot_blocks[slot // (k * k)]
    a, b = (slot % (k * k)) // k, slot % k
    bx0, by0, bx1, by1 = grid.block_bounds(block)
    sw = (bx1 - bx0 - 2 * setback_m) / k
    sh = (by1 - by0 - 2 * setback_m) / k
    sx0 = bx0 + setback_m + a * sw + SLOT_GAP_M
    sy0 = by0 + setback_m + b * sh + SLOT_GAP_M
    item = np.arange(n_items)
    return _Slots(
        sx0,
        sy0,
        sw - 2 * SLOT_GAP_M,
        sh - 2 * SLOT_GAP_M,
        np.flatnonzero(item < n_small),
        np.flatnonzero((item >= n_small) & (item < n_small + n_buildings)),
        np.flatnonzero(item >= n_small + n_buildings),
    )


def _residential(rng: np.random.Generator, grid: _Grid, slots: _Slots) -> gpd.GeoDataFrame:
    """Residential buildings in their slots, more elderly towards the centre."""
    xs, ys, r = grid.xs, grid.ys, slots.building
    sx0, sy0, sw, sh = slots.x0, slots.y0, slots.w, slots.h
    fw, fh = rng.uniform(0.45, 0.95, len(r)) * sw[r], rng.uniform(0.45, 0.95, len(r)) * sh[r]
    ox = sx0[r] + rng.random(len(r)) * (sw[r] - fw)
    oy = sy0[r] + rng.random(len(r)) * (sh[r] - fh)
    floors = _pick(rng, FLOOR_CHOICES, len(r)).astype(np.int64)
    footprint = fw * fh
    population = np.rint(
        footprint * floors * S.PERSONS_PER_FLOOR_M2 * rng.uniform(0.8, 1.2, len(r))
    ).astype(np.int64)
    centre = np.array([(xs[0] + xs[-1]) / 2.0, (ys[0] + ys[-1]) / 2.0])
    radius = max(float(np.hypot(xs[-1] - xs[0], ys[-1] - ys[0])) / 2.0, 1.0)
    inner = 1.0 - np.hypot(ox - centre[0], oy - centre[1]) / radius  # 1 at centre, 0 at rim
    elderly = np.clip(0.12 + 0.10 * inner + rng.normal(0.0, 0.03, len(r)), 0.02, 0.6)
    child = np.clip(0.16 - 0.06 * inner + rng.normal(0.0, 0.02, len(r)), 0.02, 0.4)
    return gpd.GeoDataFrame(
        {
            "building_id": _ids("B", len(r), 7),
            "floors": floors,
            "population": population,
            "elderly_share": elderly.round(3),
            "child_share": child.round(3),
        },
        geometry=shapely.box(ox, oy, ox + fw, oy + fh),
        crs=GK_CM117,
    )


def _plots(
    rng: np.random.Generator,
    grid: _Grid,
    slots: _Slots,
    large_blocks: np.ndarray,
    counts: _Counts,
    setback_m: float,
) -> gpd.GeoDataFrame:
    """Idle plots: small ones in slots, large ones filling a block, in shuffled order."""
    p, n_large, n_plots = slots.plot, counts.large, counts.plots
    small = _shapes_in_boxes(
        _pick(rng, PLOT_SHAPES, len(p)), slots.x0[p], slots.y0[p], slots.w[p], slots.h[p], rng
    )
    lx0, ly0, lx1, ly1 = grid.block_bounds(large_blocks)
    large = _shapes_in_boxes(
        _pick(rng, LARGE_PLOT_SHAPES, n_large),
        lx0 + setback_m,
        ly0 + setback_m,
        lx1 - lx0 - 2 * setback_m,
        ly1 - ly0 - 2 * setback_m,
        rng,
    )
    plot_geoms = np.concatenate([small, large])
    kind = np.concatenate(
        [np.full(len(p), "small", dtype=object), np.full(n_large, "large", dtype=object)]
    )
    perm = rng.permutation(n_plots)  # do not list the large plots last
    return gpd.GeoDataFrame(
        {
            "plot_id": _ids("S", n_plots),
            "name": ("闲置地块" + pd.Series(np.arange(1, n_plots + 1)).astype(str)).to_numpy(
                dtype=object
            ),
            "size_class": kind[perm],
        },
        geometry=plot_geoms[perm],
        crs=GK_CM117,
    )


def _green(
    rng: np.random.Generator, grid: _Grid, park_blocks: np.ndarray, setback_m: float
) -> gpd.GeoDataFrame:
    """Parks: whole blocks, rectangles or L-shapes."""
    n_parks = len(park_blocks)
    gx0, gy0, gx1, gy1 = grid.block_bounds(park_blocks)
    park_geoms = _shapes_in_boxes(
        _pick(rng, {"rect": 0.7, "L": 0.3}, n_parks),
        gx0 + setback_m,
        gy0 + setback_m,
        gx1 - gx0 - 2 * setback_m,
        gy1 - gy0 - 2 * setback_m,
        rng,
    )
    return gpd.GeoDataFrame(
        {
            "name": ("公园" + pd.Series(np.arange(1, n_parks + 1)).astype(str)).to_numpy(
                dtype=object
            ),
            "green_type": np.full(n_parks, "park", dtype=object),
        },
        geometry=park_geoms,
        crs=GK_CM117,
    )


def _parking(
    rng: np.random.Generator, grid: _Grid, slots: _Slots, counts: _Counts, setback_m: float
) -> gpd.GeoDataFrame:
    """Existing parking: surface car parks filling their slots, kerb-side points."""
    q, n_lots = slots.lot, counts.lots
    lots = shapely.box(slots.x0[q], slots.y0[q], slots.x0[q] + slots.w[q], slots.y0[q] + slots.h[q])
    lot_cap = np.floor(shapely.area(lots) / S.EXISTING_PARKING_M2_PER_SPACE)
    n_kerb = counts.parking - n_lots
    kb = rng.integers(0, grid.n_blocks, n_kerb)
    kx0, ky0, kx1, _ = grid.block_bounds(kb)
    kerb = shapely.points(kx0 + rng.uniform(0.3, 0.7, n_kerb) * (kx1 - kx0), ky0 + setback_m / 2.0)
    return gpd.GeoDataFrame(
        {
            "capacity": np.concatenate([lot_cap, rng.integers(10, 121, n_kerb)]).astype(np.int64),
            "parking_type": np.concatenate(
                [
                    np.full(n_lots, "surface", dtype=object),
                    np.full(n_kerb, "kerbside", dtype=object),
                ]
            ),
        },
        geometry=np.concatenate([lots, kerb]),
        crs=GK_CM117,
    )


def _pois(rng: np.random.Generator, grid: _Grid, n_pois: int, setback_m: float) -> gpd.GeoDataFrame:
    """POIs at block corners, in the setback strip."""
    pb = rng.integers(0, grid.n_blocks, n_pois)
    px0, py0, px1, py1 = grid.block_bounds(pb)
    east, north = rng.random(n_pois) < 0.5, rng.random(n_pois) < 0.5
    off = rng.uniform(1.0, setback_m - 1.0, (n_pois, 2))
    return gpd.GeoDataFrame(
        {
            "category": _pick(rng, POI_CATEGORIES, n_pois),
            "name": ("设施" + pd.Series(np.arange(1, n_pois + 1)).astype(str)).to_numpy(
                dtype=object
            ),
        },
        geometry=shapely.points(
            np.where(east, px1 - off[:, 0], px0 + off[:, 0]),
            np.where(north, py1 - off[:, 1], py0 + off[:, 1]),
        ),
        crs=GK_CM117,
    )


def _constraints(rng: np.random.Generator, grid: _Grid, n_constraints: int) -> gpd.GeoDataFrame:
    """Constraint areas: rectangles 1–3 blocks wide."""
    m, xs, ys = grid.m, grid.xs, grid.ys
    cb = rng.integers(0, grid.n_blocks, n_constraints)
    ci, cj = cb % (m - 1), cb // (m - 1)
    ci1 = np.minimum(ci + rng.integers(1, 4, n_constraints), m - 1)
    cj1 = np.minimum(cj + rng.integers(1, 4, n_constraints), m - 1)
    return gpd.GeoDataFrame(
        {
            "reason": np.array(CONSTRAINT_REASONS, dtype=object)[
                rng.integers(0, len(CONSTRAINT_REASONS), n_constraints)
            ]
        },
        geometry=shapely.box(xs[ci], ys[cj], xs[ci1], ys[cj1]),
        crs=GK_CM117,
    )


def _life_circles(
    grid: _Grid, life_circle_m: float, block_m: tuple[float, float]
) -> gpd.GeoDataFrame:
    """Life circles: square tiles of whole blocks, about ``life_circle_m`` a side."""
    m, xs, ys = grid.m, grid.xs, grid.ys
    lo, hi = block_m
    step = max(1, round(life_circle_m / ((lo + hi) / 2.0)))
    tx = np.unique(np.append(np.arange(0, m, step), m - 1))
    ty = tx
    ti, tj = np.meshgrid(np.arange(len(tx) - 1), np.arange(len(ty) - 1), indexing="xy")
    ti, tj = ti.ravel(), tj.ravel()
    n_lc = len(ti)
    return gpd.GeoDataFrame(
        {
            "circle_id": _ids("LC", n_lc, 4),
            "name": ("生活圈" + pd.Series(np.arange(1, n_lc + 1)).astype(str)).to_numpy(
                dtype=object
            ),
        },
        geometry=shapely.box(xs[tx[ti]], ys[ty[tj]], xs[tx[ti + 1]], ys[ty[tj + 1]]),
        crs=GK_CM117,
    )


def write_city(layers: Layers, path: str | PathLike[str]) -> None:
    """Write every layer of ``layers`` to one GeoPackage, one layer per role.

    The file is what ``planner score --layers FILE`` reads. It is written to a temporary file
    beside ``path`` and moved into place when complete.
    """
    from planner.io.write import atomic_path

    target = Path(path)
    with atomic_path(target) as tmp:
        for role, frame in layers.present():
            frame.to_file(tmp, layer=role, driver="GPKG", engine="pyogrio")
