"""The indicator card: each indicator by life circle and for the district, before and after.

:func:`indicator_card` measures every indicator of
:data:`~planner.indicators.definitions.INDICATORS` twice — the official way (straight-line
service buffers and distances) and on foot (the run's walking network) — before the chosen
plots change and after (pocket parks join the green space, car parks add their laid-out
stalls), for each life circle and for the whole district.
See ``docs/indicators.md``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import pandas as pd

from planner import standards as S
from planner.access.distances import DistanceModel
from planner.access.network import DistanceBasis, distance_model_for
from planner.config import PlannerConfig
from planner.criteria.parking import vehicle_demand
from planner.decision.lifecircles import LifeCircles, life_circles_for
from planner.indicators.coverage import (
    ResidentCells,
    park_coverage,
    park_parts,
    reach,
    resident_cells,
    tier_radius,
    walks,
)
from planner.indicators.definitions import (
    INDICATOR_BY_KEY,
    INDICATOR_CELL_M,
    INDICATORS,
    PARK_SERVICE_TIERS,
    ParkTier,
    definitions_table,
    park_tiers_table,
)
from planner.indicators.facilities import (
    FACILITY_TYPES,
    LEVELS,
    FacilityType,
    facility_types_table,
    poi_matches,
)
from planner.indicators.selection import conversions
from planner.layers import Layers, prepare_layers
from planner.messages import Msg

#: Name of the whole study area in the ``area`` column.
DISTRICT = "district"
#: Walking distance of each life-circle level (GB 50180-2018, see :mod:`planner.standards`).
LEVEL_DISTANCE_M = {5: S.LIFE_CIRCLE_5MIN_M, 10: S.LIFE_CIRCLE_10MIN_M, 15: S.LIFE_CIRCLE_15MIN_M}
#: Columns of the card, in order.
CARD_COLUMNS = (
    "indicator",
    "name_zh",
    "name_en",
    "area",
    "area_name",
    "unit",
    "official_before",
    "official_after",
    "walking_before",
    "walking_after",
    "target",
    "meets_target_before",
    "meets_target_after",
    "detail",
    "clause",
)
#: Columns of the facilities sheet, in order.
FACILITY_COLUMNS = (
    "area",
    "area_name",
    "facility",
    "name_zh",
    "name_en",
    "level_minutes",
    "distance_m",
    "official_before",
    "official_after",
    "walking_before",
    "walking_after",
    "present_before",
    "present_after",
)


@dataclass
class IndicatorCard:
    """The card and what it was computed from.

    Attributes
    ----------
    card : DataFrame
        One row per indicator and area (:data:`CARD_COLUMNS`; ``docs/indicators.md``).
    facilities : DataFrame
        One row per facility type and area (:data:`FACILITY_COLUMNS`).
    conversions : GeoDataFrame
        The plots that change (:func:`planner.indicators.selection.conversions`), with their
        ``life_circle``.
    circles : GeoDataFrame
        ``circle_id``, ``circle_name`` and the circle's polygon.
    basis : str
        ``network`` (walking columns measured) or ``straight_line`` (walking columns empty).
    source : str
        What the "after" is: ``recommended`` or the selection file.
    notes : list of str
    """

    card: pd.DataFrame
    facilities: pd.DataFrame
    conversions: gpd.GeoDataFrame
    circles: gpd.GeoDataFrame
    basis: str
    source: str
    notes: list[str] = field(default_factory=list)

    def sheets(self) -> dict[str, pd.DataFrame]:
        """The workbook: card, facilities, conversions, definitions, park tiers, facility types."""
        conv = pd.DataFrame(self.conversions.drop(columns=self.conversions.geometry.name))
        return {
            "card": self.card,
            "facilities": self.facilities,
            "conversions": conv,
            "definitions": definitions_table(),
            "park_tiers": park_tiers_table(),
            "facility_types": facility_types_table(),
        }

    def district(self) -> pd.DataFrame:
        """The district's rows of the card."""
        return self.card.loc[self.card["area"] == DISTRICT].reset_index(drop=True)


@dataclass(frozen=True)
class _Areas:
    """The life circles and the district as areas: each cell's circle position (-1: none)."""

    ids: list[str]
    names: list[str]
    cell_label: np.ndarray

    @property
    def k(self) -> int:
        return len(self.ids)

    def sums(self, label: np.ndarray, values: np.ndarray) -> np.ndarray:
        """Sum of ``values`` per circle, then over everything (the district): length k + 1."""
        ok = label >= 0
        per = np.bincount(label[ok], weights=np.asarray(values, float)[ok], minlength=self.k)
        return np.append(per, float(np.sum(values)))

    def cell_sums(self, values: np.ndarray) -> np.ndarray:
        return self.sums(self.cell_label, values)


def _ratio(num: np.ndarray, den: np.ndarray, scale: float = 1.0) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(den > 0, scale * num / np.where(den > 0, den, 1.0), np.nan)


def _label(
    lc: LifeCircles, geoms: gpd.GeoSeries, distances: DistanceModel, pos: dict[str, int]
) -> np.ndarray:
    """Each place's life-circle position (-1 outside every circle)."""
    if len(geoms) == 0:
        return np.array([], dtype=np.intp)
    return lc.assign(geoms, distances).map(pos).fillna(-1).to_numpy(dtype=np.intp)


def _rows(
    key: str,
    areas: _Areas,
    official: tuple[np.ndarray, np.ndarray],
    walking: tuple[np.ndarray, np.ndarray] | None = None,
    detail: list[str] | None = None,
) -> pd.DataFrame:
    """The card rows of one indicator: one per circle and the district."""
    ind = INDICATOR_BY_KEY[key]
    n = areas.k + 1
    nan = np.full(n, np.nan)
    walk = walking or (nan, nan)
    out = pd.DataFrame(
        {
            "indicator": key,
            "name_zh": ind.name_zh,
            "name_en": ind.name_en,
            "area": [*areas.ids, DISTRICT],
            "area_name": [*areas.names, "全区 District"],
            "unit": ind.unit,
            "official_before": official[0],
            "official_after": official[1],
            "walking_before": walk[0],
            "walking_after": walk[1],
            "target": ind.target if ind.target is not None else np.nan,
            "detail": detail if detail is not None else [""] * n,
            "clause": ind.clause,
        }
    )
    for when in ("before", "after"):
        v = out[f"official_{when}"].to_numpy(dtype=float)
        meets = pd.array([pd.NA] * n, dtype="boolean")
        if ind.target is not None:
            known = ~np.isnan(v)
            hit = v >= ind.target if ind.higher_is_better else v <= ind.target
            meets[known] = hit[known]
        out[f"meets_target_{when}"] = meets
    return out[list(CARD_COLUMNS)]


# --- the measures, per area -------------------------------------------------------------------
def _coverage_rows(
    cells: ResidentCells,
    areas: _Areas,
    parks: dict[str, gpd.GeoSeries],
    distances: DistanceModel,
    tiers: tuple[ParkTier, ...],
) -> list[pd.DataFrame]:
    """Park service-radius coverage (land, residents), green within 300 m, park within 500 m."""
    green_min, green_r = S.PARK_TIER_GREEN_MIN_M2, S.PARK_TIER_GREEN_RADIUS_M
    park_min, park_r = S.PARK_TIER_PARK_MIN_M2, S.PARK_TIER_PARK_RADIUS_M
    radius_rules = {
        "park_coverage": lambda a: tier_radius(a, tiers),
        "green_300m": lambda a: np.where(a >= green_min, green_r, np.nan),
        "park_500m": lambda a: np.where(a >= park_min, park_r, np.nan),
    }
    land = areas.cell_sums(cells.area_m2)
    people = areas.cell_sums(cells.residents)
    out = [_rows("residents", areas, (people, people))]
    for name, rule in radius_rules.items():
        shares: dict[str, dict[str, np.ndarray]] = {"land": {}, "residents": {}}
        for when, p in parks.items():
            cov = park_coverage(cells, p, rule(p.area.to_numpy()), distances)
            for how, frac in (("official", cov.official), ("walking", cov.walking)):
                shares["land"][f"{how}_{when}"] = _ratio(
                    areas.cell_sums(frac * cells.area_m2), land, 100.0
                )
                shares["residents"][f"{how}_{when}"] = _ratio(
                    areas.cell_sums(frac * cells.residents), people, 100.0
                )
        for what in ("land", "residents") if name == "park_coverage" else ("residents",):
            s = shares[what]
            walk = (s["walking_before"], s["walking_after"]) if walks(distances) else None
            out.append(
                _rows(f"{name}_{what}", areas, (s["official_before"], s["official_after"]), walk)
            )
    return out


def _park_area_rows(
    cells: ResidentCells, areas: _Areas, parks: dict[str, gpd.GeoSeries], label_of
) -> pd.DataFrame:  # noqa: ANN001 - a private callable
    """Park green space per resident: the parks lying in each circle over its residents."""
    people = areas.cell_sums(cells.residents)
    values = tuple(
        _ratio(areas.sums(label_of(p), p.area.to_numpy()), people) for p in parks.values()
    )
    return _rows("park_area_per_resident", areas, values)


def _facility_targets(
    ftype: FacilityType,
    layers: Layers,
    pois_of: pd.DataFrame,
    parks: gpd.GeoSeries,
    conv: gpd.GeoDataFrame,
    when: str,
) -> gpd.GeoSeries:
    """Where facilities of ``ftype`` are, before or after the conversions."""
    if ftype.source == "parks":
        return parks[parks.area.to_numpy() >= ftype.min_park_m2]
    found = []
    if layers.has("pois") and ftype.key in pois_of:
        found.append(layers.pois.geometry[pois_of[ftype.key].to_numpy()])
    if ftype.source == "parking":
        if layers.has("parking"):
            found.append(layers.parking.geometry)
        if when == "after":
            found.append(conv.geometry[conv["use"].to_numpy() == "parking"])
    geoms = [g.reset_index(drop=True) for g in found if len(g)]
    crs = layers.crs
    return gpd.GeoSeries(pd.concat(geoms, ignore_index=True) if geoms else [], crs=crs)


def _facility_measures(
    cells: ResidentCells,
    areas: _Areas,
    layers: Layers,
    parks: dict[str, gpd.GeoSeries],
    conv: gpd.GeoDataFrame,
    distances: DistanceModel,
) -> pd.DataFrame:
    """Share (%) of residents reaching each facility type within its level's distance."""
    pois_of = poi_matches(layers.pois if layers.has("pois") else None)
    people = areas.cell_sums(cells.residents)
    on_foot = walks(distances)
    frames = []
    for ftype in FACILITY_TYPES:  # a score of types; each measured vectorised over cells
        radius = LEVEL_DISTANCE_M[ftype.minutes]
        row: dict[str, object] = {}
        for when in ("before", "after"):
            if when == "after" and ftype.source == "pois":  # POIs do not change
                row["official_after"], row["walking_after"] = (
                    row["official_before"],
                    row["walking_before"],
                )
                continue
            where = _facility_targets(ftype, layers, pois_of, parks[when], conv, when)
            near = reach(cells.points, where, radius)
            walked = reach(cells.points, where, radius, distances) & near if on_foot else None
            row[f"official_{when}"] = _ratio(areas.cell_sums(cells.residents * near), people, 100.0)
            row[f"walking_{when}"] = (
                _ratio(areas.cell_sums(cells.residents * walked), people, 100.0)
                if on_foot
                else np.full(areas.k + 1, np.nan)
            )
        frame = pd.DataFrame(
            {
                "area": [*areas.ids, DISTRICT],
                "area_name": [*areas.names, "全区 District"],
                "facility": ftype.key,
                "name_zh": ftype.name_zh,
                "name_en": ftype.name_en,
                "level_minutes": ftype.minutes,
                "distance_m": radius,
                **row,
            }
        )
        for when in ("before", "after"):
            frame[f"present_{when}"] = frame[f"official_{when}"] >= 100.0 * S.FACILITY_PRESENT_SHARE
        frames.append(frame)
    return pd.concat(frames, ignore_index=True)[list(FACILITY_COLUMNS)]


def _completeness_rows(
    facilities: pd.DataFrame, areas: _Areas, on_foot: bool
) -> list[pd.DataFrame]:
    """Facility completeness of each level: the mean share of its types reached."""
    out = []
    order = {a: i for i, a in enumerate([*areas.ids, DISTRICT])}
    for level in LEVELS:
        part = facilities.loc[facilities["level_minutes"] == level]
        mean = part.groupby("area", sort=False)[
            ["official_before", "official_after", "walking_before", "walking_after"]
        ].mean()
        mean = mean.reindex(sorted(order, key=order.get))
        missing = (
            part.loc[~part["present_after"]].groupby("area", sort=False)["name_zh"].agg("、".join)
        )
        detail = [f"未达标 missing: {missing[a]}" if a in missing.index else "" for a in mean.index]
        walk = (
            (mean["walking_before"].to_numpy(), mean["walking_after"].to_numpy())
            if on_foot
            else None
        )
        out.append(
            _rows(
                f"facilities_{level}min",
                areas,
                (mean["official_before"].to_numpy(), mean["official_after"].to_numpy()),
                walk,
                detail,
            )
        )
    return out


def _parking_rows(
    cells: ResidentCells, areas: _Areas, layers: Layers, conv: gpd.GeoDataFrame, label_of
) -> list[pd.DataFrame]:  # noqa: ANN001
    """Parking demand, supply and the gap (demand − supply), before and after."""
    demand = areas.cell_sums(cells.vehicles)
    if layers.has("parking"):
        supply = areas.sums(
            label_of(layers.parking.geometry), layers.parking["capacity"].to_numpy(dtype=float)
        )
    else:
        supply = np.zeros(areas.k + 1)
    added = areas.sums(label_of(conv.geometry), conv["new_stalls"].to_numpy(dtype=float))
    after = supply + added
    return [
        _rows("parking_demand", areas, (demand, demand)),
        _rows("parking_supply", areas, (supply, after)),
        _rows("parking_gap", areas, (demand - supply, demand - after)),
    ]


# --- the card ---------------------------------------------------------------------------------
def _cells(layers: Layers, config: PlannerConfig, cell_m: float, notes: list[str]) -> ResidentCells:
    """The residential land in cells; empty (with a note) without a residential layer."""
    if not layers.has("residential"):
        notes.append(Msg("indicators.note_no_residential"))
        e = np.array([], dtype=float)
        return ResidentCells(np.array([], dtype=object), gpd.GeoSeries([], crs=layers.crs), e, e, e)
    res = layers.residential
    cells = resident_cells(
        res, vehicle_demand(res, config.assumptions).to_numpy(dtype=float), cell_m=cell_m
    )
    if not (cells.area_m2 > 0).any():
        notes.append(Msg("indicators.note_residential_points"))
    return cells


def _parks(
    layers: Layers, conv: gpd.GeoDataFrame, tiers: tuple[ParkTier, ...]
) -> dict[str, gpd.GeoSeries]:
    """Park green space before and after the new pocket parks join it."""
    green = (
        layers.green.geometry.reset_index(drop=True)
        if layers.has("green")
        else gpd.GeoSeries([], crs=layers.crs)
    )
    new = conv.geometry[conv["use"].to_numpy() == "pocket_park"].reset_index(drop=True)
    smallest = min(t.min_area_m2 for t in tiers)
    after = gpd.GeoSeries(pd.concat([green, new], ignore_index=True), crs=layers.crs)
    return {"before": park_parts(green, smallest), "after": park_parts(after, smallest)}


def _rounded(card: pd.DataFrame) -> pd.DataFrame:
    digits = card["unit"].map({"%": 2, "m²/resident": 2, "vehicles": 1, "persons": 0}).fillna(3)
    for col in ("official_before", "official_after", "walking_before", "walking_after"):
        card[col] = [
            round(v, int(d)) if v == v else v
            for v, d in zip(card[col].to_numpy(dtype=float), digits, strict=True)
        ]
    return card


def indicator_card(
    layers: Layers,
    config: PlannerConfig | None = None,
    *,
    scored: gpd.GeoDataFrame | None = None,
    distances: DistanceModel | None = None,
    basis: DistanceBasis = "auto",
    selection: pd.DataFrame | None = None,
    selected_use: str | None = None,
    source: str = "recommended",
    circles: LifeCircles | None = None,
    tiers: tuple[ParkTier, ...] = PARK_SERVICE_TIERS,
    cell_m: float = INDICATOR_CELL_M,
) -> IndicatorCard:
    """The 城市体检 indicator card of a run, before and after the chosen plots change.

    Parameters
    ----------
    layers : Layers
        The run's layers, as read or prepared.
    config : PlannerConfig, optional
        Its assumptions set the parking demand; the card's figures are the standards'.
    scored : GeoDataFrame, optional
        :func:`planner.score` of these layers (computed when omitted).
    distances : DistanceModel, optional
        The walking model (built for ``basis`` when omitted); a straight-line model leaves
        the walking columns empty.
    basis : {"auto", "network", "straight_line"}
    selection : DataFrame, optional
        Chosen plots (:func:`planner.indicators.selection.read_selection`); every plot's
        recommended use when omitted.
    selected_use : {"pocket_park", "parking"}, optional
        What chosen plots become where the selection does not say.
    source : str
        What the "after" is, for the card and messages (the selection file's name).
    circles : LifeCircles, optional
        The run's life circles (:func:`planner.decision.lifecircles.life_circles_for`).
    tiers : tuple of ParkTier
        Park service-radius tiers.
    cell_m : float
        Cell side of the residential land (m).

    Returns
    -------
    IndicatorCard
    """
    config = config or PlannerConfig()
    if layers.crs is None:
        layers = prepare_layers(layers, config)
    distances = distances or distance_model_for(layers, config, basis)
    if scored is None:
        from planner.scoring import score

        scored = score(layers, config, distances=distances)
    lc = circles or life_circles_for(layers, distances, config)
    conv = conversions(scored, selection, use=selected_use, source=source)
    notes: list[str] = []
    if selection is not None and selected_use is None and selection["use"].isna().any():
        notes.append(
            Msg("indicators.note_no_use", n=int(selection["use"].isna().sum()), source=source)
        )
    cells = _cells(layers, config, cell_m, notes)
    ids = lc.circles["circle_id"].astype(str).tolist()
    pos = {c: i for i, c in enumerate(ids)}

    def label_of(geoms: gpd.GeoSeries) -> np.ndarray:
        return _label(lc, geoms, distances, pos)

    areas = _Areas(ids, lc.circles["circle_name"].astype(str).tolist(), label_of(cells.points))
    outside = cells.residents[areas.cell_label < 0].sum()
    if outside > 0:
        notes.append(Msg("indicators.note_outside_circles", residents=outside))
    if not walks(distances):
        notes.append(Msg("indicators.note_no_network"))
    conv["life_circle"] = pd.array(
        [ids[i] if i >= 0 else pd.NA for i in label_of(conv.geometry)], dtype="string"
    )
    parks = _parks(layers, conv, tiers)
    facilities = _facility_measures(cells, areas, layers, parks, conv, distances)
    rows = [
        *_coverage_rows(cells, areas, parks, distances, tiers),
        _park_area_rows(cells, areas, parks, label_of),
        *_completeness_rows(facilities, areas, walks(distances)),
        *_parking_rows(cells, areas, layers, conv, label_of),
    ]
    order = {ind.key: i for i, ind in enumerate(INDICATORS)}
    card = pd.concat(rows, ignore_index=True)
    card = card.iloc[np.argsort(card["indicator"].map(order).to_numpy(), kind="stable")]
    facilities[["official_before", "official_after", "walking_before", "walking_after"]] = (
        facilities[["official_before", "official_after", "walking_before", "walking_after"]].round(
            2
        )
    )
    return IndicatorCard(
        _rounded(card.reset_index(drop=True)),
        facilities,
        conv,
        lc.circles,
        distances.basis,
        source,
        notes,
    )
