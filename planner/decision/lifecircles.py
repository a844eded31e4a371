"""Fifteen-minute life circles (GB 50180-2018) and their report card.

Life circles come from the ``life_circles`` layer when one is given. Otherwise they are
generated: around community centres found among the POIs, or else around clusters of
residential buildings, each with its 5-, 10- and 15-minute walking catchments. Every place
(plot, home, green space, car park) is then tagged with its life circle: the imported polygon
that holds its representative point, or the generated centre nearest to it on foot within the
15-minute distance.

The report card gives, per life circle, residents, park area per resident, the share of
residents within 300 m (walk) of green space and within 500 m of a park, and parking supply
against demand — before, and after converting the recommended plots (pocket parks become
green space and parks; parking plots add their estimated spaces). Circles below the targets
of GB/T 51346-2019 4.3.4 and the other cited figures are flagged. See ``docs/network.md``.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Literal

import geopandas as gpd
import numpy as np
import pandas as pd
import scipy.sparse as sp
import shapely
from scipy.cluster.vq import kmeans2
from scipy.sparse.csgraph import dijkstra

from planner import standards as S
from planner.access.distances import DistanceModel, home_points
from planner.access.network import DistanceBasis, NetworkDistance, distance_model_for, nearest_index
from planner.config import PlannerConfig, Thresholds
from planner.criteria.parking import vehicle_demand
from planner.errors import ConfigError
from planner.layers import Layers, prepare_layers
from planner.messages import Msg
from planner.scoring import score

#: Life-circle tiers in minutes of walking (GB 50180-2018).
TIER_MINUTES = (5, 10, 15)
#: The tiers' walking distances (GB 50180-2018, 3.0.4; see :mod:`planner.standards`).
GB_TIER_DISTANCE_M = {5: S.LIFE_CIRCLE_5MIN_M, 10: S.LIFE_CIRCLE_10MIN_M, 15: S.LIFE_CIRCLE_15MIN_M}
#: Words that mark a POI as a community (service) centre, in its name or category text.
COMMUNITY_CENTRE_WORDS = (
    "community_centre",
    "community_center",
    "community centre",
    "community center",
    "social_facility",
    "社区服务",
    "社区中心",
    "社区活动",
    "社区综合",
    "党群服务",
    "街道办",
    "居委会",
)
#: Half-width (m) of the band drawn around reachable streets to show a catchment on a map
#: (display only: membership is decided by walking distance, not by the drawn polygon).
CATCHMENT_DISPLAY_BUFFER_M = 50.0
#: Seed of the clustering of residential buildings (results are reproducible).
CLUSTER_SEED = 15

Source = Literal["imported", "community_centres", "residential_clusters"]


def tier_distances_m(speed_m_per_min: float = S.WALKING_SPEED_M_PER_MIN) -> dict[int, float]:
    """Walking distance of each tier: the GB 50180-2018 distance, or less at a slower pace.

    A tier reaches whichever is shorter: the standard's distance or what a person walks in
    its minutes at ``speed_m_per_min``. At the default 66.7 m/min (1,000 m in 15 minutes) the
    standard's 300 / 500 / 1,000 m hold; at 50 m/min (an elderly pace) they become
    250 / 500 / 750 m.
    """
    if not speed_m_per_min > 0:
        raise ConfigError(Msg("decision.walking_speed", value=speed_m_per_min))
    return {m: min(GB_TIER_DISTANCE_M[m], m * speed_m_per_min) for m in TIER_MINUTES}


@dataclass
class LifeCircles:
    """The life circles of a run.

    Attributes
    ----------
    circles : GeoDataFrame
        ``circle_id``, ``circle_name``, geometry (the imported polygon, or the 15-minute
        catchment drawn around the streets reachable from the centre).
    catchments : GeoDataFrame or None
        Generated circles only: ``circle_id``, ``minutes``, ``distance_m``, geometry.
    centres : GeoSeries or None
        Generated circles only: the centre of each circle, aligned with ``circles``.
    source : str
        ``imported``, ``community_centres`` or ``residential_clusters``.
    reach_m : float
        15-minute walking distance: places farther from every centre belong to no circle.
    """

    circles: gpd.GeoDataFrame
    catchments: gpd.GeoDataFrame | None
    centres: gpd.GeoSeries | None
    source: Source
    reach_m: float

    def assign(self, geoms: gpd.GeoSeries, distances: DistanceModel) -> pd.Series:
        """The ``circle_id`` of each place (``<NA>`` outside every circle), named ``life_circle``.

        Imported circles: the polygon holding the place's representative point (the first
        such polygon where they overlap). Generated circles: the centre nearest on foot,
        if within :attr:`reach_m`.
        """
        ids = self.circles["circle_id"].astype(str).to_numpy()
        label = np.full(len(geoms), -1, dtype=np.intp)
        if len(geoms) and len(ids):
            if self.centres is None:
                pts = geoms.representative_point()
                i, j = self.circles.sindex.query(pts.values, predicate="within")
                order = np.lexsort((j, i))
                i, j = i[order], j[order]
                first = np.r_[True, i[1:] != i[:-1]] if len(i) else np.array([], dtype=bool)
                label[i[first]] = j[first]
            else:
                d, j = nearest_index(distances, geoms, self.centres)
                ok = (j >= 0) & (d <= self.reach_m)
                label[ok] = j[ok]
        out = pd.Series(
            pd.array([pd.NA] * len(geoms), dtype="string"), index=geoms.index, name="life_circle"
        )
        hit = label >= 0
        out.iloc[np.flatnonzero(hit)] = ids[label[hit]]
        return out


# --- Finding or generating the circles ----------------------------------------------------------
def community_centres(pois: gpd.GeoDataFrame | None) -> gpd.GeoSeries | None:
    """POIs whose name or any text attribute marks a community centre, as points (or None)."""
    if pois is None or len(pois) == 0:
        return None
    text = [
        pois[c].astype("string").str.lower().fillna("")
        for c in pois.columns
        if c != pois.geometry.name
        and (pois[c].dtype == object or isinstance(pois[c].dtype, pd.StringDtype))
    ]
    if not text:
        return None
    pattern = "|".join(COMMUNITY_CENTRE_WORDS)
    hit = np.zeros(len(pois), dtype=bool)
    for col in text:  # a handful of columns, each matched vectorised
        hit |= col.str.contains(pattern, regex=True).to_numpy(dtype=bool)
    if not hit.any():
        return None
    return pois.geometry[hit].representative_point().reset_index(drop=True)


def cluster_centres(residential: gpd.GeoDataFrame, k: int | None = None) -> gpd.GeoSeries:
    """Centres of ``k`` residential clusters (about one per 15-minute life circle).

    When ``k`` is omitted it is :func:`initial_cluster_count`. Clusters are k-means groups
    of the homes (seeded, reproducible); each centre is its cluster's population-weighted mean.
    """
    pts = home_points(residential)
    xy = shapely.get_coordinates(pts.values)
    pop = residential["population"].to_numpy(dtype=float)
    k = min(k or initial_cluster_count(residential), len(xy))
    if k <= 1:
        label = np.zeros(len(xy), dtype=int)
    else:
        origin = xy.mean(axis=0)
        _, label = kmeans2(xy - origin, k, seed=CLUSTER_SEED, minit="++")
    w = np.where(pop > 0, pop, 1e-9)
    used = np.unique(label)
    cx = np.bincount(label, weights=w * xy[:, 0])[used] / np.bincount(label, weights=w)[used]
    cy = np.bincount(label, weights=w * xy[:, 1])[used] / np.bincount(label, weights=w)[used]
    # order west to east, then south to north, so ids are stable and readable
    order = np.lexsort((cy, np.round(cx, -2)))
    return gpd.GeoSeries(shapely.points(cx[order], cy[order]), crs=residential.crs)


def initial_cluster_count(residential: gpd.GeoDataFrame) -> int:
    """First guess of the number of 15-minute life circles of a residential layer.

    The larger of residents / 100,000 (GB 50180-2018) and the area of the homes' convex hull
    / 3 km² (Shanghai 2016 guide), at least 1.
    """
    xy = shapely.get_coordinates(home_points(residential).values)
    pop = float(residential["population"].sum())
    hull = shapely.convex_hull(shapely.multipoints(xy)).area if len(xy) > 2 else 0.0
    return max(
        1,
        math.ceil(pop / S.LIFE_CIRCLE_15MIN_MAX_RESIDENTS),
        math.ceil(hull / S.LIFE_CIRCLE_15MIN_AREA_M2),
    )


def covering_cluster_centres(
    residential: gpd.GeoDataFrame, distances: DistanceModel, reach_m: float
) -> gpd.GeoSeries:
    """Residential cluster centres, more of them until they reach enough residents.

    Starts from :func:`initial_cluster_count` and adds clusters (about 20 % more each round)
    until :data:`~planner.standards.LIFE_CIRCLE_RESIDENT_COVERAGE_SHARE` of the residents
    live within ``reach_m`` (walk) of a centre.
    """
    homes = home_points(residential)
    pop = residential["population"].to_numpy(dtype=float)
    total = pop.sum()
    k = initial_cluster_count(residential)
    while True:
        centres = cluster_centres(residential, k)
        reached = pop[distances.nearest(homes, centres) <= reach_m].sum()
        if (
            total <= 0
            or reached >= S.LIFE_CIRCLE_RESIDENT_COVERAGE_SHARE * total
            or k >= len(homes)
        ):
            return centres
        k = min(len(homes), max(k + 1, math.ceil(k * 1.2)))


def catchments(
    centres: gpd.GeoSeries, distances: DistanceModel, radii: dict[int, float]
) -> gpd.GeoDataFrame:
    """Walking catchment of each centre and tier: the streets reachable within the distance.

    On the network: the reachable parts of segments (whole, or cut where the distance runs
    out), widened by :data:`CATCHMENT_DISPLAY_BUFFER_M`; one radius-bounded Dijkstra from all
    centres at once. With straight-line distances: circles.
    """
    rows: list[dict] = []
    n = len(centres)
    minutes = sorted(radii)
    if isinstance(distances, NetworkDistance) and n:
        g = distances.graph
        acc = distances.access(centres, "centroid")
        N = g.n_nodes
        coo = g.matrix.tocoo()
        m = sp.csr_array(
            (
                np.concatenate([coo.data, acc.cost]),
                (np.concatenate([coo.row, N + acc.geom]), np.concatenate([coo.col, acc.node])),
            ),
            shape=(N + n, N + n),
        )
        dist = dijkstra(m, directed=True, indices=N + np.arange(n), limit=max(radii.values()))[
            :, :N
        ]
        u, v = g.seg_u, g.seg_v
        xu, xv, seg_len = g.xy[u], g.xy[v], g.seg_length
        geoms, keys = [], []
        for ci in range(n):  # a handful of centres; each step is vectorised over segments
            du, dv = dist[ci, u], dist[ci, v]
            for mi in minutes:
                r = radii[mi]
                tu = np.clip((r - du) / seg_len, 0, 1)
                tv = np.clip((r - dv) / seg_len, 0, 1)
                pieces = []
                for t, a, b in ((tu, xu, xv), (tv, xv, xu)):
                    ok = np.isfinite(t) & (t > 0)
                    if ok.any():
                        end = a[ok] + (b[ok] - a[ok]) * t[ok, None]
                        pieces.append(shapely.linestrings(np.stack([a[ok], end], axis=1)))
                # the stretch of the centre's own segments it walks directly
                own = (acc.seg_geom == ci) & (acc.offset <= r)
                if own.any():
                    seg = g.segments[acc.seg[own]]
                    left = r - acc.offset[own]
                    a = shapely.line_interpolate_point(seg, np.maximum(0, acc.lo[own] - left))
                    b = shapely.line_interpolate_point(seg, acc.hi[own] + left)
                    pieces.append(
                        shapely.linestrings(
                            np.stack(
                                [shapely.get_coordinates(a), shapely.get_coordinates(b)], axis=1
                            )
                        )
                    )
                parts = np.concatenate(pieces) if pieces else np.array([], dtype=object)
                parts = np.append(parts, centres.values[ci])
                # buffer the pieces, then union (60 x faster than buffering their union)
                area = shapely.union_all(
                    shapely.buffer(parts, CATCHMENT_DISPLAY_BUFFER_M, quad_segs=4)
                )
                geoms.append(area)
                keys.append((ci, mi))
        for (ci, mi), geom in zip(keys, geoms, strict=True):
            rows.append({"centre": ci, "minutes": mi, "distance_m": radii[mi], "geometry": geom})
    else:
        for mi in minutes:
            for ci in range(n):
                rows.append(
                    {
                        "centre": ci,
                        "minutes": mi,
                        "distance_m": radii[mi],
                        "geometry": shapely.buffer(centres.values[ci], radii[mi]),
                    }
                )
    frame = pd.DataFrame(rows, columns=["centre", "minutes", "distance_m", "geometry"])
    return gpd.GeoDataFrame(frame, geometry="geometry", crs=centres.crs)


def life_circles_for(
    layers: Layers, distances: DistanceModel, config: PlannerConfig | None = None
) -> LifeCircles:
    """The run's life circles: imported, or generated around centres (see module docstring).

    Parameters
    ----------
    layers : Layers
        Prepared layers (metric CRS).
    distances : DistanceModel
        Walking network or straight line.
    config : PlannerConfig, optional
        ``thresholds.walking_speed_m_per_min`` sets the tier distances.

    Raises
    ------
    ConfigError
        No life-circle layer and no residential layer to generate them from.
    """
    config = config or PlannerConfig()
    radii = tier_distances_m(config.thresholds.walking_speed_m_per_min)
    if layers.has("life_circles"):
        lc = layers.life_circles
        circles = gpd.GeoDataFrame(
            {
                "circle_id": lc["circle_id"].astype(str).to_numpy(),
                "circle_name": lc["circle_name"].astype(str).to_numpy(),
            },
            geometry=lc.geometry.to_numpy(),
            crs=lc.crs,
        )
        return LifeCircles(circles, None, None, "imported", radii[15])
    centres = community_centres(layers.pois)
    source: Source = "community_centres"
    if centres is None:
        if not layers.has("residential"):
            raise ConfigError(Msg("decision.no_circles"))
        centres = covering_cluster_centres(layers.residential, distances, radii[15])
        source = "residential_clusters"
    catch = catchments(centres, distances, radii)
    ids = np.array([f"LC{i + 1:02d}" for i in range(len(centres))], dtype=object)
    catch.insert(0, "circle_id", ids[catch["centre"].to_numpy()])
    catch = catch.drop(columns="centre")
    outer = catch.loc[catch["minutes"] == max(TIER_MINUTES)]
    label = "社区中心" if source == "community_centres" else "居住组团"
    circles = gpd.GeoDataFrame(
        {
            "circle_id": ids,
            "circle_name": [f"{label}{i + 1} generated 15-min" for i in range(len(ids))],
        },
        geometry=outer.geometry.to_numpy(),
        crs=centres.crs,
    )
    return LifeCircles(circles, catch.reset_index(drop=True), centres, source, radii[15])


# --- The report card --------------------------------------------------------------------------
def _indicators(
    circle_ids: np.ndarray,
    pop: np.ndarray,
    home_lc: np.ndarray,
    d_green: np.ndarray,
    d_park: np.ndarray,
    park_area: np.ndarray,
    park_lc: np.ndarray,
    supply: np.ndarray,
    supply_lc: np.ndarray,
    vehicles: np.ndarray,
    t,
    suffix: str,
) -> pd.DataFrame:
    """Indicators of every circle from per-place arrays (labels are circle positions, -1 none)."""
    k = len(circle_ids)

    def per_circle(label: np.ndarray, w: np.ndarray) -> np.ndarray:
        ok = label >= 0
        return np.bincount(label[ok], weights=w[ok], minlength=k)

    residents = per_circle(home_lc, pop)
    green_ok = per_circle(home_lc, pop * (d_green <= t.green_radius_m))
    park_ok = per_circle(home_lc, pop * (d_park <= t.park_radius_m))
    parks = per_circle(park_lc, park_area)
    sup = per_circle(supply_lc, supply)
    dem = per_circle(home_lc, vehicles)
    with np.errstate(divide="ignore", invalid="ignore"):
        out = pd.DataFrame(
            {
                "park_area_m2": parks.round(1),
                "park_area_per_resident_m2": np.where(residents > 0, parks / residents, np.nan),
                "green_coverage_share": np.where(residents > 0, green_ok / residents, np.nan),
                "park_coverage_share": np.where(residents > 0, park_ok / residents, np.nan),
                "parking_supply": sup,
                "parking_ratio": np.where(dem > 0, sup / dem, np.nan),
            }
        )
    return out.add_suffix(suffix)


#: The card's flags in words, by language: ``(share or ratio column, template)``.
FLAG_TEXT: dict[str, tuple[str, str, str, str]] = {
    "en": (
        "park within {t.park_radius_m:.0f} m < {t.park_coverage_target_share:.0%}",
        "green within {t.green_radius_m:.0f} m < {t.green_coverage_target_share:.0%}",
        "park area < {t.park_area_per_resident_m2:g} m²/resident",
        "parking supply < demand",
    ),
    "zh": (
        "{t.park_radius_m:.0f} 米见园 < {t.park_coverage_target_share:.0%}",
        "{t.green_radius_m:.0f} 米见绿 < {t.green_coverage_target_share:.0%}",
        "人均公园面积 < {t.park_area_per_resident_m2:g} m²",
        "停车供给 < 需求",
    ),
}


def flag_text(df: pd.DataFrame, t: Thresholds, lang: str = "en", suffix: str = "") -> pd.Series:
    """The targets each life circle misses, in words in ``lang`` (``""`` where it meets all).

    ``suffix`` is ``""`` for the card before the plan, ``"_after"`` for after it; the targets
    are the thresholds' (GB/T 51346-2019 4.3.4 coverage, park area per resident) and the
    parking supply ratio (:data:`planner.standards.PARKING_SUPPLY_TARGET_RATIO`).
    """
    texts = [x.format(t=t) for x in FLAG_TEXT.get(lang, FLAG_TEXT["en"])]
    masks = [
        df[f"park_coverage_share{suffix}"] < t.park_coverage_target_share,
        df[f"green_coverage_share{suffix}"] < t.green_coverage_target_share,
        df[f"park_area_per_resident_m2{suffix}"] < t.park_area_per_resident_m2,
        df[f"parking_ratio{suffix}"] < S.PARKING_SUPPLY_TARGET_RATIO,
    ]
    words = np.stack(
        [np.where(m.to_numpy(dtype=bool), x, "") for m, x in zip(masks, texts, strict=True)],
        axis=1,
    )
    sep = "；" if lang == "zh" else "; "
    return pd.Series([sep.join(w for w in row if w) for row in words], index=df.index)


def _flags(df: pd.DataFrame, t: Thresholds, suffix: str) -> pd.Series:
    return flag_text(df, t, "en", suffix)


@dataclass
class LifeCircleReport:
    """The report card and what it was computed from.

    Attributes
    ----------
    card : GeoDataFrame
        One row per life circle (see ``docs/network.md`` for the columns), geometry = circle.
    plots : GeoDataFrame
        The scored plots with their ``life_circle``.
    circles : LifeCircles
    notes : list of str
    """

    card: gpd.GeoDataFrame
    plots: gpd.GeoDataFrame
    circles: LifeCircles
    notes: list[str]


def life_circle_report(
    layers: Layers,
    config: PlannerConfig | None = None,
    *,
    scored: gpd.GeoDataFrame | None = None,
    distances: DistanceModel | None = None,
    basis: DistanceBasis = "auto",
) -> LifeCircleReport:
    """Report card of every life circle, before and after the recommended conversions.

    Parameters
    ----------
    layers : Layers
        The run's layers, as read or prepared.
    config : PlannerConfig, optional
    scored : GeoDataFrame, optional
        Output of :func:`planner.score` for these layers; computed when omitted.
    distances : DistanceModel, optional
        Chosen by :func:`planner.access.network.distance_model_for` with ``basis`` when omitted.
    basis : {"auto", "network", "straight_line"}

    Returns
    -------
    LifeCircleReport
    """
    config = config or PlannerConfig()
    t = config.thresholds
    if layers.crs is None:
        layers = prepare_layers(layers, config)
    distances = distances or distance_model_for(layers, config, basis)
    if scored is None:
        scored = score(layers, config, distances=distances)
    lc = life_circles_for(layers, distances, config)
    ids = lc.circles["circle_id"].astype(str).to_numpy()
    pos = {c: i for i, c in enumerate(ids)}

    def label_of(geoms: gpd.GeoSeries) -> np.ndarray:
        return _positions(lc.assign(geoms, distances), pos)

    notes: list[str] = []
    plots = scored.copy()
    plots["life_circle"] = lc.assign(plots.geometry, distances).to_numpy()
    homes = _homes(layers, config, label_of, notes)
    green, green_after = _green_before_after(layers, plots)
    parks_before, parks_after = _parks(green), _parks(green_after)
    cap, cap_lc = _existing_parking(layers, label_of, notes)
    rec = plots["recommended_use"].to_numpy()
    add = np.where(rec == "parking", plots["est_parking_spaces"].to_numpy(dtype=float), 0.0)
    plot_lc = _positions(plots["life_circle"], pos)
    near = partial(_nearest_to, homes.points, distances)
    before = _indicators(
        ids,
        homes.pop,
        homes.circle,
        near(green),
        near(parks_before),
        parks_before.area.to_numpy(),
        label_of(parks_before),
        cap,
        cap_lc,
        homes.vehicles,
        t,
        "",
    )
    after = _indicators(
        ids,
        homes.pop,
        homes.circle,
        near(green_after),
        near(parks_after),
        parks_after.area.to_numpy(),
        label_of(parks_after),
        np.concatenate([cap, add]),
        np.concatenate([cap_lc, plot_lc]),
        homes.vehicles,
        t,
        "_after",
    )
    card = pd.concat([_card_counts(lc, homes, plot_lc, rec, add), before, after], axis=1)
    out = gpd.GeoDataFrame(
        _card_verdicts(card, t), geometry=lc.circles.geometry.to_numpy(), crs=layers.crs
    )
    out.attrs["notes"] = notes
    out.attrs["radii_m"] = {
        "green_coverage_share": t.green_radius_m,
        "park_coverage_share": t.park_radius_m,
    }
    return LifeCircleReport(out, plots, lc, notes)


# --- The steps of life_circle_report ----------------------------------------------------------
@dataclass(frozen=True)
class _Homes:
    """Where residents live, how many, their cars and the position of their circle (-1 none)."""

    points: gpd.GeoSeries
    pop: np.ndarray
    vehicles: np.ndarray
    circle: np.ndarray


def _positions(names: pd.Series, pos: dict[str, int]) -> np.ndarray:
    """Position of each named circle in the card (-1 for none)."""
    return names.map(pos).fillna(-1).to_numpy(dtype=np.intp)


def _homes(
    layers: Layers,
    config: PlannerConfig,
    label_of: Callable[[gpd.GeoSeries], np.ndarray],
    notes: list[str],
) -> _Homes:
    """The residents' homes and their circles; a note on residents outside every circle."""
    if not layers.has("residential"):
        notes.append(Msg("decision.note_no_residential"))
        empty = np.array([], dtype=float)
        return _Homes(gpd.GeoSeries([], crs=layers.crs), empty, empty, np.array([], dtype=np.intp))
    res = layers.residential
    homes = home_points(res)
    pop = res["population"].to_numpy(dtype=float)
    vehicles = vehicle_demand(res, config.assumptions).to_numpy(dtype=float)
    home_lc = label_of(homes)
    outside = pop[home_lc < 0].sum()
    if outside > 0:
        notes.append(Msg("decision.note_outside_circles", residents=outside))
    return _Homes(homes, pop, vehicles, home_lc)


def _green_before_after(
    layers: Layers, plots: gpd.GeoDataFrame
) -> tuple[gpd.GeoSeries, gpd.GeoSeries]:
    """Green space now, and with the plots recommended as pocket parks added."""
    green = (
        layers.green.geometry.reset_index(drop=True)
        if layers.has("green")
        else gpd.GeoSeries([], crs=layers.crs)
    )
    rec = plots["recommended_use"].to_numpy()
    new_parks = plots.geometry[rec == "pocket_park"].reset_index(drop=True)
    return green, gpd.GeoSeries(pd.concat([green, new_parks], ignore_index=True), crs=layers.crs)


def _parks(green: gpd.GeoSeries) -> gpd.GeoSeries:
    """The green spaces large enough to count as parks for coverage."""
    return green[green.area.to_numpy() >= S.PARK_MIN_AREA_FOR_COVERAGE_M2].reset_index(drop=True)


def _nearest_to(
    homes: gpd.GeoSeries, distances: DistanceModel, targets: gpd.GeoSeries
) -> np.ndarray:
    """Distance from each home to the nearest of ``targets``."""
    if len(homes) == 0:
        return np.array([], dtype=float)
    return distances.nearest(homes, targets)


def _existing_parking(
    layers: Layers, label_of: Callable[[gpd.GeoSeries], np.ndarray], notes: list[str]
) -> tuple[np.ndarray, np.ndarray]:
    """Capacity of each existing car park and its circle (none without a parking layer)."""
    if layers.has("parking"):
        return (layers.parking["capacity"].to_numpy(dtype=float), label_of(layers.parking.geometry))
    notes.append(Msg("scoring.note_no_parking_layer"))
    return np.array([], dtype=float), np.array([], dtype=np.intp)


def _card_counts(
    lc: LifeCircles, homes: _Homes, plot_lc: np.ndarray, rec: np.ndarray, add: np.ndarray
) -> pd.DataFrame:
    """The card's first columns: the circle, its residents, plots, conversions and demand."""
    ids = lc.circles["circle_id"].astype(str).to_numpy()
    k = len(ids)
    ok = homes.circle >= 0
    residents = np.bincount(homes.circle[ok], weights=homes.pop[ok], minlength=k)
    demand = np.bincount(homes.circle[ok], weights=homes.vehicles[ok], minlength=k)
    counts = pd.crosstab(pd.Series(plot_lc, name="lc"), pd.Series(rec, name="use"))
    counts = counts.reindex(index=range(k), columns=["pocket_park", "parking"], fill_value=0)
    return pd.DataFrame(
        {
            "circle_id": ids,
            "circle_name": lc.circles["circle_name"].astype(str).to_numpy(),
            "source": lc.source,
            "reach_m": lc.reach_m,
            "residents": residents.round(0),
            "plots": np.bincount(plot_lc[plot_lc >= 0], minlength=k),
            "new_pocket_parks": counts["pocket_park"].to_numpy(),
            "new_parking_plots": counts["parking"].to_numpy(),
            "new_parking_spaces": np.bincount(
                plot_lc[plot_lc >= 0], weights=add[plot_lc >= 0], minlength=k
            ),
            "parking_demand": demand.round(1),
        }
    )


def _card_verdicts(card: pd.DataFrame, t: Thresholds) -> pd.DataFrame:
    """The card rounded, with the flags before and after and whether it is below standard."""
    rounding = {c: 3 for c in card.columns if "coverage_share" in c or "ratio" in c}
    rounding.update({c: 2 for c in card.columns if c.startswith("park_area_per_resident")})
    card = card.round(rounding)
    card["flags"] = _flags(card, t, "")
    card["flags_after"] = _flags(card, t, "_after")
    card["below_standard"] = card["flags"] != ""
    card["below_standard_after"] = card["flags_after"] != ""
    return card
