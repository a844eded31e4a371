"""Score every plot for both uses, recommend one, and explain why.

Two steps, so that an app can change weights without recomputing geometry:

1. :func:`compute_criteria` measures every raw value (distances, residents, shape ...) once;
2. :func:`combine` turns them into 0–1 criterion scores, weighted use scores, a
   recommendation, a rank and reasons — cheap array work only.

:func:`score` does both in one call.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import pandas as pd

from planner import standards as S
from planner.access.distances import DistanceModel, MemoDistance
from planner.access.network import DistanceBasis, distance_model_for
from planner.config import USES, PlannerConfig
from planner.criteria import CRITERIA, Criterion
from planner.criteria.access import (
    home_points,
    nearest_distance_m,
    residents_within_radii,
    street_distance_m,
)
from planner.criteria.park import newly_covered_residents, vulnerable_share
from planner.criteria.parking import (
    car_frontage_m,
    poi_pull,
    stall_layout,
    unmet_vehicle_demand,
)
from planner.criteria.shape import area_m2, compactness, min_width_m
from planner.crs import choose_metric_crs
from planner.layers import Layers, prepare_layers
from planner.parallel import Background, can_fork
from planner.parking.demand import demand_served
from planner.parking.layout import LayoutParams
from planner.scoring.decide import REC_NAMES, recommend, tie_order

Progress = Callable[[str, float], None]

#: Columns every score output starts with, in this order.
LEAD_COLUMNS = ("plot_id", "name", "area_m2", "park_score", "parking_score", "recommended_use",
                "rank", "reasons", "reasons_zh", "park_feasible", "parking_feasible", "excluded",
                "exclusion_reason",
                "nearest_green_m", "nearest_parking_m", "est_parking_spaces", "distance_basis")


def _noop(_msg: str, _frac: float) -> None:
    return None


@dataclass
class CriteriaTable:
    """Raw measures of every plot, computed once per data load.

    Attributes
    ----------
    plots : GeoDataFrame
        The prepared plots (metric CRS) with ``plot_id`` and ``name``.
    raw : DataFrame
        One column per raw measure, aligned to ``plots``; NaN where the layer is missing.
    missing : dict
        ``{"<use>.<criterion>": "why it was left out"}``.
    exclusion_reason : Series
        Constraint reason for excluded plots, ``<NA>`` elsewhere.
    distance_basis : Series
        ``network`` or ``straight_line`` per plot.
    layers : Layers
        The prepared layers the measures came from.
    distances : DistanceModel or None
        The distance model the measures used; selection and allocation reuse it so that
        every figure of a run rests on the same distances.
    """

    plots: gpd.GeoDataFrame
    raw: pd.DataFrame
    missing: dict[str, str]
    exclusion_reason: pd.Series
    distance_basis: pd.Series
    layers: Layers
    notes: list[str] = field(default_factory=list)
    distances: DistanceModel | None = None


def constraint_reason(plots: gpd.GeoDataFrame, constraints: gpd.GeoDataFrame | None) -> pd.Series:
    """The reason of the constraint a plot overlaps (by area), ``<NA>`` where none does."""
    out = pd.Series(pd.NA, index=plots.index, dtype="string", name="exclusion_reason")
    if constraints is None or len(constraints) == 0:
        return out
    i, j = constraints.sindex.query(plots.geometry.values, predicate="intersects")
    if len(i) == 0:
        return out
    order = np.lexsort((j, i))  # reasons in layer order, whatever the index's own order
    i, j = i[order], j[order]
    overlap = plots.geometry.values[i].intersection(constraints.geometry.values[j]).area
    keep = overlap > 0  # touching along an edge is not inside
    reasons = pd.Series(constraints["reason"].astype("string").to_numpy()[j[keep]])
    joined = reasons.groupby(i[keep]).agg(lambda s: "; ".join(dict.fromkeys(s)))
    out.iloc[joined.index.to_numpy()] = joined.to_numpy()
    return out


def _plot_measures(plots: gpd.GeoDataFrame, roads: gpd.GeoDataFrame | None,
                   params: LayoutParams, frontage_buffer_m: float) -> pd.DataFrame:
    """Every measure of a plot's own shape and street edge (row by row).

    Area, compactness, usable width, the stall layout, distance to the nearest street and
    car-road frontage: none needs the distance model.
    """
    parts = [area_m2(plots), compactness(plots), min_width_m(plots),
             stall_layout(plots, roads, params)]
    if roads is not None:
        parts += [street_distance_m(plots, roads), car_frontage_m(plots, roads,
                                                                  frontage_buffer_m)]
    return pd.concat(parts, axis=1)


@dataclass
class PlotMeasures:
    """The plots' own measures, started before the run's layers were all read.

    Made by :func:`start_plot_measures`; :func:`compute_criteria` uses it when the run's
    metric CRS is ``crs`` (else it stops the job and measures again).
    """

    crs: object
    job: Background

    def cancel(self) -> None:
        """Stop the job (its result is not wanted)."""
        self.job.cancel()


def _prepared_plot_measures(plots: gpd.GeoDataFrame, roads: gpd.GeoDataFrame, crs: object,
                            config: PlannerConfig) -> pd.DataFrame:
    """Prepare plots and roads as :func:`prepare_layers` does in ``crs``; measure the plots."""
    p = prepare_layers(Layers(plots=plots, roads=roads, sources={}), config, crs=crs)
    return _plot_measures(p.plots, p.roads, LayoutParams.from_config(config),
                          config.thresholds.frontage_buffer_m)


def start_plot_measures(plots: gpd.GeoDataFrame, roads: gpd.GeoDataFrame,
                        config: PlannerConfig | None = None, *,
                        workers: int = 1) -> PlotMeasures | None:
    """Start measuring the plots' shapes and street edges while the other layers are read.

    Parameters
    ----------
    plots, roads : GeoDataFrame
        The layers as read (any CRS).
    config : PlannerConfig, optional
    workers : int
        The run's worker processes; nothing is started with one (or without ``fork``).

    Returns
    -------
    PlotMeasures or None
        A second process prepares the two layers in the metric CRS they alone point to and
        measures the plots (area, compactness, width, stall layout, street distance and
        frontage: about 15 s of CPU at 100,000 plots), so the core that reading leaves idle
        does it. ``None`` when nothing was started (one worker, or layers whose CRS cannot be
        chosen: the run's own checks will say why).
    """
    if workers <= 1 or not can_fork():
        return None
    config = config or PlannerConfig()
    try:
        crs = choose_metric_crs(plots, roads)
    except Exception:  # noqa: BLE001 - the run's own checks report bad layers
        return None
    return PlotMeasures(crs, Background(_prepared_plot_measures, plots, roads, crs, config))


def compute_criteria(layers: Layers, config: PlannerConfig | None = None, *,
                     distances: DistanceModel | None = None, distance: DistanceBasis = "auto",
                     progress: Progress | None = None, workers: int = 1,
                     plot_measures: PlotMeasures | None = None) -> CriteriaTable:
    """Measure every raw criterion value of every plot.

    Parameters
    ----------
    layers : Layers
        Layers as read, or already prepared (``layers.crs`` set).
    config : PlannerConfig, optional
        Radii and assumptions; defaults when omitted.
    distances : DistanceModel, optional
        How distances are measured; when omitted, built here for ``distance``
        (:func:`planner.access.network.distance_model_for`).
    distance : {"auto", "network", "straight_line"}
        The basis of the model built when ``distances`` is omitted; ``auto``: walking
        distances over the roads layer if it has walkable lines, else the straight line.
    progress : callable, optional
        ``progress(message, fraction)`` is called as the work advances.
    workers : int
        Processes to use (:mod:`planner.parallel`). With more than one, the measures of the
        plots' own shape and street edge (stall layouts above all) run in a second process
        beside the distance measures, and the walking network's large searches (when this
        function builds the model) are spread over ``workers`` processes. Every value is the
        same whatever it is.
    plot_measures : PlotMeasures, optional
        The plots' own measures already under way (:func:`start_plot_measures`); used when
        they were made in this run's CRS for these plots, else measured again.
    """
    config = config or PlannerConfig()
    progress = progress or _noop
    t = config.thresholds
    if layers.crs is None:
        progress("checking and projecting layers", 0.0)
        layers = prepare_layers(layers, config)
    plots = layers.plots
    roads = layers.roads if layers.has("roads") else None
    steps = 7
    raw: dict[str, pd.Series] = {}
    missing: dict[str, str] = {}
    notes: list[str] = list(layers.notes)  # ids renamed, plots dropped
    nan = pd.Series(np.nan, index=plots.index)

    progress("measuring plot shapes", 1 / steps)
    params = LayoutParams.from_config(config)
    early = plot_measures is not None and roads is not None and plot_measures.crs == layers.crs
    if plot_measures is not None and not early:
        plot_measures.cancel()
    if early:
        shapes = plot_measures.job
    else:
        if roads is not None:
            _ = roads.sindex  # built once, here: the process measuring shapes inherits it
        # the plots' own shapes and street edges need no distance model: with workers, a
        # second process measures them while this one builds the model and walks the network
        shapes = Background(_plot_measures, plots, roads, params, t.frontage_buffer_m,
                            enabled=workers > 1)
    if distances is None:
        progress(f"building the distance model ({distance})", 1 / steps)
        distances = distance_model_for(layers, config, distance, workers=workers)
    # one answer per distinct query: several measures ask for the same pairs
    distances = MemoDistance(distances)

    progress("distances to green space", 2 / steps)
    raw["nearest_green_m"] = (nearest_distance_m(plots, layers.green, distances,
                                                 name="nearest_green_m")
                              if layers.has("green") else nan.rename("nearest_green_m"))

    progress("residents and coverage", 3 / steps)
    if layers.has("residential"):
        # every measure locates residents at their home point: find those points once
        res = layers.residential.set_geometry(home_points(layers.residential))
        # the 300, 500 and 1,000 m walks (green service radius, 10- and 15-minute life
        # circles, issue 4) from one search at the largest radius
        walks = residents_within_radii(plots, res, {
            "residents_300m": t.green_radius_m,
            "residents_500m": t.park_radius_m,
            "residents_1000m": S.LIFE_CIRCLE_15MIN_M}, distances)
        for col in walks.columns:
            raw[col] = walks[col]
        raw["new_residents_300m"] = (
            newly_covered_residents(plots, res, layers.green, t.green_radius_m, distances)
            if layers.has("green") else nan.rename("new_residents_300m"))
        raw["vulnerable_share"] = vulnerable_share(plots, res, t.green_radius_m, distances)
        if raw["vulnerable_share"].isna().all():
            missing["pocket_park.vulnerable_share"] = (
                "residential layer has no elderly_share / child_share attributes")
    else:
        for c in ("residents_300m", "residents_500m", "residents_1000m", "new_residents_300m",
                  "vulnerable_share"):
            raw[c] = nan.rename(c)

    progress("streets and frontage", 4 / steps)
    measured = shapes.result()
    if early and not (measured.index.equals(plots.index)
                      and measured["area_m2"].equals(area_m2(plots))):
        measured = _plot_measures(plots, roads, params, t.frontage_buffer_m)  # other plots
    shape_columns = [c for c in measured.columns
                     if c not in ("street_distance_m", "car_frontage_m")]
    raw = {**{c: measured[c] for c in shape_columns}, **raw}  # shape measures lead
    if roads is not None:
        raw["street_distance_m"] = measured["street_distance_m"]
        raw["car_frontage_m"] = measured["car_frontage_m"]
    else:
        raw["street_distance_m"] = nan.rename("street_distance_m")
        raw["car_frontage_m"] = nan.rename("car_frontage_m")

    progress("parking demand and supply", 5 / steps)
    raw["nearest_parking_m"] = (nearest_distance_m(plots, layers.parking, distances,
                                                   name="nearest_parking_m")
                                if layers.has("parking") else nan.rename("nearest_parking_m"))
    if layers.has("residential"):
        raw["unmet_vehicles_300m"] = unmet_vehicle_demand(
            plots, res, layers.parking if layers.has("parking") else None,
            t.parking_radius_m, distances, config.assumptions,
            pois=layers.pois if layers.has("pois") else None,
            poi_vehicles=config.parking.daytime_vehicles_per_poi)
        served = demand_served(raw["unmet_vehicles_300m"], raw["est_parking_spaces"])
        raw["parking_demand_served"] = served["parking_demand_served"]
        raw["parking_demand_share_met"] = served["parking_demand_share_met"]
        if not layers.has("parking"):
            notes.append("no parking layer: existing parking supply counted as 0")
    else:
        raw["unmet_vehicles_300m"] = nan.rename("unmet_vehicles_300m")
        raw["parking_demand_served"] = nan.rename("parking_demand_served")
        raw["parking_demand_share_met"] = nan.rename("parking_demand_share_met")

    progress("busy destinations", 6 / steps)
    raw["poi_pull_300m"] = (poi_pull(plots, layers.pois, t.parking_radius_m, distances,
                                     t.poi_weights)
                            if layers.has("pois") else nan.rename("poi_pull_300m"))

    for use in USES:
        for crit in CRITERIA[use]:
            absent = [role for role in crit.needs if not layers.has(role)]
            if absent:
                missing[f"{use}.{crit.name}"] = f"no {' / '.join(absent)} layer"
    exclusion = constraint_reason(plots, layers.constraints)
    basis = pd.Series(distances.origin_basis(plots.geometry), index=plots.index,
                      name="distance_basis")
    progress("criteria measured", 1.0)
    return CriteriaTable(plots=plots, raw=pd.DataFrame(raw), missing=missing,
                         exclusion_reason=exclusion, distance_basis=basis, layers=layers,
                         notes=notes, distances=distances)


def criterion_scores(table: CriteriaTable, config: PlannerConfig) -> pd.DataFrame:
    """0–1 score of every criterion (columns ``<use>_<criterion>_score``); NaN where missing."""
    cols: dict[str, pd.Series] = {}
    for use in USES:
        for crit in CRITERIA[use]:
            if f"{use}.{crit.name}" in table.missing:
                cols[crit.column] = pd.Series(np.nan, index=table.raw.index)
            elif crit.name in config.transforms:  # [transforms.<criterion>] in the config
                cols[crit.column] = config.transforms[crit.name].apply(table.raw).astype(float)
            else:
                cols[crit.column] = crit.score(table.raw, config.thresholds).astype(float)
    return pd.DataFrame(cols, index=table.raw.index)


def effective_weights(table: CriteriaTable, config: PlannerConfig, use: str) -> dict[str, float]:
    """Weights of the use's measured criteria, renormalised to sum to 1."""
    w = {c.name: config.weights(use).get(c.name, 0.0) for c in CRITERIA[use]
         if f"{use}.{c.name}" not in table.missing}
    total = sum(w.values())
    return {k: (v / total if total > 0 else 0.0) for k, v in w.items()}


def _use_score(scores: pd.DataFrame, weights: dict[str, float], use: str) -> pd.DataFrame:
    """Per-criterion contributions (weight × score, NaN score counts 0) of one use."""
    crits = {c.name: c for c in CRITERIA[use]}
    return pd.DataFrame({name: scores[crits[name].column].fillna(0.0) * w
                         for name, w in weights.items()}, index=scores.index)


def _top_phrases(contrib: pd.DataFrame, phrase: Callable[[str, np.ndarray], np.ndarray],
                 rows: np.ndarray, k: int = 3) -> pd.Series:
    """Join the phrases of the ``k`` largest positive contributions of each row in ``rows``.

    ``phrase(criterion, positions)`` returns the criterion's phrases for those row positions;
    it is asked only for the (row, criterion) pairs that are picked, so the cost follows the
    number of reasons shown, not rows × criteria. Rows outside ``rows`` get ``""``.
    """
    out = pd.Series("", index=contrib.index, dtype=object)
    if contrib.shape[1] == 0 or not rows.any():
        return out
    where = np.flatnonzero(rows)
    values = contrib.to_numpy()[where]
    order = np.argsort(-values, axis=1, kind="stable")[:, :k]
    positive = np.take_along_axis(values, order, axis=1) > 0
    picked = np.full(order.shape, "", dtype=object)
    for c, name in enumerate(contrib.columns):  # a loop over criteria (at most six)
        r, slot = np.nonzero((order == c) & positive)
        if len(r):
            picked[r, slot] = phrase(name, where[r])
    out.iloc[where] = ["; ".join(p for p in row if p) for row in picked]
    return out


def combine(table: CriteriaTable, config: PlannerConfig | None = None, *,
            workers: int = 1) -> gpd.GeoDataFrame:
    """Weight the criteria, recommend a use, rank the plots and write the reasons.

    ``workers`` > 1 writes the Chinese reasons in a second process beside the English ones
    (:mod:`planner.parallel`); the result does not depend on it.

    Returns
    -------
    GeoDataFrame
        One row per plot (metric CRS) with the columns of :data:`LEAD_COLUMNS`, every raw
        measure and every criterion score. ``attrs["missing_criteria"]`` lists the criteria
        left out and why.
    """
    config = config or PlannerConfig()
    t = config.thresholds
    raw = table.raw
    scores = criterion_scores(table, config)
    use_scores: dict[str, pd.Series] = {}
    contrib: dict[str, pd.DataFrame] = {}
    for use in USES:
        contrib[use] = _use_score(scores, effective_weights(table, config, use), use)
        use_scores[use] = contrib[use].sum(axis=1).round(4)
    excluded = table.exclusion_reason.notna().to_numpy()
    too_small = (raw["area_m2"] < t.pocket_park_min_area_m2).to_numpy()
    few_stalls = (raw["est_parking_spaces"] < t.min_stalls).to_numpy()
    no_car_access = (raw["car_frontage_m"] <= 0).to_numpy()  # NaN (no roads) -> False
    # a plot that cannot take a use scores 0 for it: hard rules before weighting
    park_feasible = ~excluded & ~too_small
    parking_feasible = ~excluded & ~few_stalls & ~no_car_access
    park = use_scores["pocket_park"].where(park_feasible, 0.0)
    parking = use_scores["parking"].where(parking_feasible, 0.0)
    codes, rank = recommend(park.to_numpy(), parking.to_numpy(), park_feasible,
                            parking_feasible, excluded, t.recommend_min_score,
                            tie_order(table.plots["plot_id"].to_numpy()))
    rec = REC_NAMES[codes]
    rank = rank.astype(int)

    reasons_en, reasons_zh = _reasons(table, config, scores, contrib, park, parking, rec,
                                      excluded, too_small, few_stalls, no_car_access,
                                      workers=workers)
    plots = table.plots
    out = pd.DataFrame({
        "plot_id": plots["plot_id"].astype(str).to_numpy(),
        "name": (plots["name"].astype("string").to_numpy() if "name" in plots
                 else pd.array([pd.NA] * len(plots), dtype="string")),
        "area_m2": raw["area_m2"].round(1).to_numpy(),
        "park_score": park.to_numpy(),
        "parking_score": parking.to_numpy(),
        "recommended_use": rec,
        "rank": rank,
        "reasons": reasons_en.to_numpy(),
        "reasons_zh": reasons_zh.to_numpy(),
        "park_feasible": park_feasible,
        "parking_feasible": parking_feasible,
        "excluded": excluded,
        "exclusion_reason": table.exclusion_reason.to_numpy(),
        "nearest_green_m": raw["nearest_green_m"].round(1).to_numpy(),
        "nearest_parking_m": raw["nearest_parking_m"].round(1).to_numpy(),
        "est_parking_spaces": raw["est_parking_spaces"].to_numpy(),
        "distance_basis": table.distance_basis.to_numpy(),
    }, index=plots.index)
    extra_raw = raw.drop(columns=[c for c in raw.columns if c in out.columns])
    out = pd.concat([out, extra_raw.round(4), scores.round(4)], axis=1)
    result = gpd.GeoDataFrame(out, geometry=plots.geometry.to_numpy(), crs=plots.crs)
    result.attrs["missing_criteria"] = dict(table.missing)
    result.attrs["notes"] = list(table.notes)
    return result


def _reasons(table: CriteriaTable, config: PlannerConfig, scores: pd.DataFrame,
             contrib: dict[str, pd.DataFrame], park: pd.Series, parking: pd.Series,
             rec: np.ndarray, excluded: np.ndarray, too_small: np.ndarray,
             few_stalls: np.ndarray, no_car_access: np.ndarray, *,
             workers: int = 1) -> tuple[pd.Series, pd.Series]:
    """The English and Chinese reasons of every plot.

    With ``workers`` > 1 the Chinese are written in a second process (100,000 plots take
    about a second per language).
    """
    args = (table, config, contrib, park, parking, rec, excluded, too_small, few_stalls,
            no_car_access)
    zh = Background(_reason_texts, "zh", *args, enabled=workers > 1)
    return _reason_texts("en", *args), zh.result()


def _reason_texts(lang: str, table: CriteriaTable, config: PlannerConfig,
                  contrib: dict[str, pd.DataFrame], park: pd.Series, parking: pd.Series,
                  rec: np.ndarray, excluded: np.ndarray, too_small: np.ndarray,
                  few_stalls: np.ndarray, no_car_access: np.ndarray) -> pd.Series:
    """The reasons of every plot in ``lang`` (``en`` or ``zh``)."""
    t = config.thresholds
    raw = table.raw
    idx = raw.index
    p, q = park.map("{:.2f}".format), parking.map("{:.2f}".format)
    none = rec == "none"
    tops = {}
    for use in USES:
        crits: dict[str, Criterion] = {c.name: c for c in CRITERIA[use]}

        def phrase(name: str, pos: np.ndarray, crits=crits) -> np.ndarray:
            fn = crits[name].phrase_en if lang == "en" else crits[name].phrase_zh
            return fn(raw.iloc[pos], t).to_numpy(dtype=object)

        tops[use] = _top_phrases(contrib[use], phrase, rec == use)
    if lang == "en":
        head_park = "pocket park (" + p + " vs parking " + q + "): "
        head_parking = "parking (" + q + " vs pocket park " + p + "): "
    else:
        head_park = "建议口袋公园（" + p + "，停车" + q + "）："
        head_parking = "建议停车（" + q + "，口袋公园" + p + "）："
    # the reasons for no recommendation, written for those plots only
    why_none = pd.Series("", index=idx, dtype=object)
    if none.any():
        why_none[none] = _why_none(raw[none], t, lang, park[none], parking[none],
                                   excluded[none], too_small[none], few_stalls[none],
                                   no_car_access[none], table.exclusion_reason[none])
    return pd.Series(np.where(rec == "pocket_park", head_park + tops["pocket_park"],
                              np.where(rec == "parking", head_parking + tops["parking"],
                                       why_none)), index=idx)


def _why_none(raw: pd.DataFrame, t, lang: str, park: pd.Series, parking: pd.Series,
              excluded: np.ndarray, too_small: np.ndarray, few_stalls: np.ndarray,
              no_car_access: np.ndarray, exclusion: pd.Series) -> pd.Series:
    en = lang == "en"
    parts = pd.DataFrame(index=raw.index)
    area = raw["area_m2"].map("{:,.0f}".format)
    stalls = raw["est_parking_spaces"].astype(int).astype(str)
    parts["small"] = np.where(
        too_small,
        ("too small for a pocket park (" + area + f" m² < {t.pocket_park_min_area_m2:,.0f} m²)")
        if en else ("面积" + area
                    + f"平方米，小于口袋公园下限{t.pocket_park_min_area_m2:,.0f}平方米"),
        "")
    parts["stalls"] = np.where(
        few_stalls,
        ("room for only " + stalls + f" stalls (< {t.min_stalls})") if en
        else ("仅可停" + stalls + f"辆车（少于{t.min_stalls}）"), "")
    parts["access"] = np.where(no_car_access, "no frontage on a road cars may use" if en
                               else "不临可通车道路", "")
    best = np.maximum(park, parking).map("{:.2f}".format)
    parts["low"] = np.where(
        ~too_small | ~(few_stalls | no_car_access),
        ("best score " + best + f" is below the {t.recommend_min_score:.2f} threshold") if en
        else ("最高得分" + best + f"低于推荐阈值{t.recommend_min_score:.2f}"), "")
    # "; ".join of the non-empty parts of each row, as whole-column string operations
    cols = [parts[c].to_numpy(dtype=object) for c in parts.columns]
    joined = cols[0]
    for col in cols[1:]:
        sep = np.where((joined != "") & (col != ""), "; ", "").astype(object)
        joined = joined + sep + col
    joined = pd.Series(joined, index=raw.index, dtype=object)
    head = "no recommendation: " if en else "不推荐："
    excl = (("excluded: inside constraint (" if en else "排除：位于限制区（")
            + exclusion.fillna("").astype(str) + (")" if en else "）"))
    return pd.Series(np.where(excluded, excl, head + joined), index=raw.index)


def score(layers: Layers, config: PlannerConfig | None = None, *,
          distances: DistanceModel | None = None, distance: DistanceBasis = "auto",
          progress: Progress | None = None, workers: int = 1,
          plot_measures: PlotMeasures | None = None) -> gpd.GeoDataFrame:
    """Score every plot for both uses and recommend one — the whole run in one call.

    Parameters
    ----------
    layers : Layers
        The run's layers (only ``plots`` required), in any CRS.
    config : PlannerConfig, optional
        Weights, thresholds and assumptions; defaults when omitted.
    distances : DistanceModel, optional
        Distance model; when omitted, :func:`planner.access.network.distance_model_for` builds
        one for ``distance``.
    distance : {"auto", "network", "straight_line"}
        ``auto``: walking network when there are walkable roads, else straight line.
    progress : callable, optional
        ``progress(message, fraction)``.
    workers : int
        Worker processes for large runs (:func:`compute_criteria`); results do not depend
        on it.
    plot_measures : PlotMeasures, optional
        The plots' own measures already under way (:func:`start_plot_measures`).

    Returns
    -------
    GeoDataFrame
        One row per plot, in the metric CRS of the run; see :func:`combine`.
    """
    config = config or PlannerConfig()
    table = compute_criteria(layers, config, distances=distances, distance=distance,
                             progress=progress, workers=workers, plot_measures=plot_measures)
    return combine(table, config, workers=workers)
