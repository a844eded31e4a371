"""Tables and chart data the app and the report show: pure pandas, no streamlit, no HTML.

Every function takes the scored result (:func:`planner.score` / :func:`planner.combine`) and
returns a plain DataFrame or Series, so the app and the report show the same numbers.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd

from planner.app.i18n import tr, use_label
from planner.app.maps import breakdown
from planner.config import PlannerConfig
from planner.decision.lifecircles import catchments, life_circle_report
from planner.parking import layout_for

#: Columns of the candidate table, in order.
TABLE_COLUMNS = ("rank", "plot_id", "name", "recommended_use", "park_score", "parking_score",
                 "area_m2", "est_parking_spaces", "life_circle", "reasons")
#: Use filter values.
USE_FILTERS = ("all", "pocket_park", "parking", "none")
#: Sort keys of the candidate table (column, ascending).
SORT_KEYS: dict[str, tuple[str, bool]] = {
    "rank": ("rank", True), "park_score": ("park_score", False),
    "parking_score": ("parking_score", False), "area_m2": ("area_m2", False)}


def best_score(result: pd.DataFrame) -> pd.Series:
    """The score of the recommended use, else the better of the two (0–1)."""
    park = result["park_score"].astype(float)
    parking = result["parking_score"].astype(float)
    use = result["recommended_use"].astype(str)
    return pd.Series(np.where(use == "pocket_park", park,
                              np.where(use == "parking", parking, np.maximum(park, parking))),
                     index=result.index, name="best_score")


def candidate_table(result: pd.DataFrame, *, lang: str = "zh", use: str = "all",
                    min_score: float = 0.0, life_circle: str | None = None,
                    circles: pd.Series | None = None, sort_by: str = "rank") -> pd.DataFrame:
    """The ranked candidate table, filtered and sorted, with labels in ``lang``.

    Parameters
    ----------
    result : DataFrame
        Scored plots.
    use : {"all", "pocket_park", "parking", "none"}
        Keep plots recommended for this use.
    min_score : float
        Keep plots whose :func:`best_score` is at least this.
    life_circle : str, optional
        Keep plots in this life circle (needs ``circles``).
    circles : Series, optional
        Life-circle name per plot (:func:`planner.app.uploads.plots_in_circles`).
    sort_by : {"rank", "park_score", "parking_score", "area_m2"}
        Sort key.

    Returns
    -------
    DataFrame
        Columns :data:`TABLE_COLUMNS` (``life_circle`` only when ``circles`` is given);
        ``recommended_use`` as a label, ``reasons`` in ``lang``. Text is left as data: the
        caller shows it as text.
    """
    if use not in USE_FILTERS:
        raise ValueError(f"unknown use filter '{use}'; use one of {', '.join(USE_FILTERS)}")
    if sort_by not in SORT_KEYS:
        raise ValueError(f"unknown sort key '{sort_by}'; use one of {', '.join(SORT_KEYS)}")
    keep = best_score(result) >= float(min_score)
    if use != "all":
        keep &= result["recommended_use"].astype(str) == use
    table = pd.DataFrame({
        "rank": result["rank"], "plot_id": result["plot_id"].astype(str),
        "name": result["name"].astype("string") if "name" in result else pd.NA,
        "recommended_use": result["recommended_use"].astype(str).map(
            lambda u: use_label(u, lang)),
        "park_score": result["park_score"].astype(float),
        "parking_score": result["parking_score"].astype(float),
        "area_m2": result["area_m2"].astype(float),
        "est_parking_spaces": result["est_parking_spaces"],
        "reasons": result["reasons_zh" if lang == "zh" else "reasons"],
    }, index=result.index)
    if circles is not None:
        table.insert(8, "life_circle", circles.reindex(result.index))
        if life_circle is not None:
            keep &= (circles.reindex(result.index) == life_circle).fillna(False).to_numpy()
    col, ascending = SORT_KEYS[sort_by]
    out = table[keep.to_numpy()]
    return out.sort_values([col, "rank"], ascending=[ascending, True], kind="stable")


def use_counts(result: pd.DataFrame) -> dict[str, int]:
    """How many plots are recommended for each use (``pocket_park``, ``parking``, ``none``)."""
    counts = result["recommended_use"].astype(str).value_counts()
    return {u: int(counts.get(u, 0)) for u in ("pocket_park", "parking", "none")}


def summary_text(result: pd.DataFrame, lang: str) -> str:
    """One sentence: how many pocket parks, car parks and plots without a recommendation."""
    c = use_counts(result)
    return tr("summary_counts", lang, park=c["pocket_park"], parking=c["parking"],
              none=c["none"])


def score_histogram(result: pd.DataFrame, bins: int = 10) -> pd.DataFrame:
    """Plots per score class (``bins`` equal classes of 0–1) for both uses.

    Returns
    -------
    DataFrame
        Index the class label (``0.0–0.1`` ...), columns ``pocket_park`` and ``parking``.
    """
    edges = np.linspace(0.0, 1.0, bins + 1)
    labels = [f"{edges[i]:.1f}–{edges[i + 1]:.1f}" for i in range(bins)]
    out = {}
    for use, col in (("pocket_park", "park_score"), ("parking", "parking_score")):
        v = result[col].astype(float).clip(0, 1).to_numpy()
        idx = np.clip(np.floor(v * bins).astype(int), 0, bins - 1)
        out[use] = np.bincount(idx, minlength=bins)
    return pd.DataFrame(out, index=pd.Index(labels, name="score"))


def plot_contributions(result: pd.DataFrame, plot_id: str, config: PlannerConfig,
                       lang: str = "zh") -> pd.DataFrame:
    """The selected plot's criteria: label, score, weight and contribution, by use.

    Returns
    -------
    DataFrame
        Columns ``use``, ``criterion``, ``label``, ``score``, ``weight``, ``contribution``,
        ``rule``; empty when ``plot_id`` is not in ``result``.
    """
    rows = result[result["plot_id"].astype(str) == str(plot_id)]
    long = breakdown(rows, config, lang)
    return long.drop(columns="row").reset_index(drop=True)


def reciprocal_matrix(judgements: pd.DataFrame) -> pd.DataFrame:
    """A pairwise comparison matrix from its upper triangle (AHP input as people edit it).

    The cells above the diagonal say how much more important the row criterion is than the
    column one (Saaty's 1–9 scale, fractions as decimals); the diagonal becomes 1 and each cell
    below it the reciprocal of its mirror. Non-positive or missing judgements become 1 (equal).
    """
    a = judgements.apply(pd.to_numeric, errors="coerce").to_numpy(dtype=float)
    n = a.shape[0]
    upper = np.triu(np.where(np.isfinite(a) & (a > 0), a, 1.0), 1)
    iu = np.triu_indices(n, 1)
    full = np.eye(n)
    full[iu] = upper[iu]
    full[iu[1], iu[0]] = 1.0 / upper[iu]
    return pd.DataFrame(full, index=judgements.index, columns=judgements.columns)


# --- capabilities of other modules, used when they are installed -----------------------------

#: Report-card columns shown, before → after (see planner.decision.lifecircles).
CARD_COLUMNS = ("residents", "new_pocket_parks", "new_parking_plots", "share_green_300m",
                "share_green_300m_after", "share_park_500m", "share_park_500m_after",
                "park_area_per_resident_m2", "park_area_per_resident_m2_after",
                "parking_supply", "parking_supply_after", "flags", "flags_after")


def _selected_row(result: gpd.GeoDataFrame, plot_id: str) -> gpd.GeoDataFrame:
    return result[result["plot_id"].astype(str) == str(plot_id)]


def selected_catchment(result: gpd.GeoDataFrame, plot_id: str, distances: object,
                       radius_m: float) -> gpd.GeoDataFrame | None:
    """Walking catchment (``radius_m`` along the network) of the selected plot.

    Uses :func:`planner.decision.lifecircles.catchments` from a point inside the plot; ``None`` when
    the plot is unknown.
    """
    row = _selected_row(result, plot_id)
    if len(row) == 0:
        return None
    centre = row.geometry.representative_point().reset_index(drop=True)
    return catchments(centre, distances, {0: float(radius_m)})


def selected_layout(result: gpd.GeoDataFrame, plot_id: str, roads: gpd.GeoDataFrame | None,
                    config: PlannerConfig) -> tuple[gpd.GeoDataFrame, dict] | None:
    """Stall layout of the selected plot for the map, and its figures.

    Uses :func:`planner.parking.layout_for`; returns ``(frame, figures)`` where ``frame``
    holds the stalls and aisles with ``kind`` and ``stalls`` columns and ``figures`` the stall
    counts, pattern, reason and the unmet demand the stalls would serve; ``None`` when the
    plot is unknown.
    """
    row = _selected_row(result, plot_id)
    if len(row) == 0:
        return None
    lay = layout_for(row.geometry.iloc[0], roads, config, crs=result.crs)
    stalls = lay.stall_geoms.assign(
        kind=np.where(lay.stall_geoms.get("accessible", False), "accessible stall 无障碍车位",
                      "stall 车位"), stalls=1)
    aisles = lay.aisle_geoms.assign(kind="aisle 通道", stalls=np.nan)
    frame = pd.concat([stalls[["kind", "stalls", "geometry"]],
                       aisles[["kind", "stalls", "geometry"]]], ignore_index=True)
    unmet = float(row["unmet_vehicles_300m"].iloc[0]) if "unmet_vehicles_300m" in row else np.nan
    served = min(lay.stalls, unmet) if unmet == unmet else np.nan
    figures = {"stalls": lay.stalls, "accessible_stalls": lay.accessible_stalls,
               "pattern": lay.pattern, "reason": lay.reason, "unmet_vehicles": unmet,
               "demand_served": served}
    return gpd.GeoDataFrame(frame, geometry="geometry", crs=result.crs), figures


def life_circle_card(layers: object, config: PlannerConfig, result: gpd.GeoDataFrame,
                     distances: object) -> tuple[pd.DataFrame, object]:
    """Life-circle report card before and after the recommended conversions.

    Uses :func:`planner.decision.lifecircles.life_circle_report`. Returns ``(card, report)``: the
    card's columns are ``circle`` then :data:`CARD_COLUMNS` (those present); ``report`` is the
    :class:`planner.decision.lifecircles.LifeCircleReport` (its circles, generated ones when no
    life-circle layer was given, and catchments, for the map).
    """
    report = life_circle_report(layers, config, scored=result, distances=distances)
    card = report.card
    name = card["circle_name"] if "circle_name" in card else card["circle_id"]
    out = pd.DataFrame({"circle": name.astype(str).to_numpy()})
    for c in CARD_COLUMNS:
        if c in card:
            out[c] = card[c].to_numpy()
    return out, report
