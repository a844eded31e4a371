"""From raw measures to a decision: criterion scores, weights, hard rules, use and rank.

:func:`decide` makes the run's :class:`Decision`, the frozen record the output, the reasons
(:mod:`planner.scoring.reasons`) and the sensitivity analysis read. Its last step, the
recommendation and rank rule :func:`recommend`, is applied by :func:`decide` to the scores at
the run's weights and by :mod:`planner.decision.sensitivity` to every weight draw at once (one
column per draw), so the two cannot drift apart.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from planner.config import USES, PlannerConfig, Thresholds
from planner.criteria import CRITERIA

if TYPE_CHECKING:
    from planner.scoring.measure import CriteriaTable

#: Codes of the recommendation returned by :func:`recommend`.
NONE, PARK, PARKING = 0, 1, 2
#: The recommended use of each code (``REC_NAMES[code]``), as written in the score output.
REC_NAMES = np.array(["none", "pocket_park", "parking"], dtype=object)


def tie_order(plot_ids: np.ndarray) -> np.ndarray:
    """Position of each plot when sorted by id (equal ids in input order).

    Plots of equal rank key are ranked in this order: the lower ``plot_id`` first.
    """
    return np.argsort(np.argsort(np.asarray(plot_ids), kind="stable"), kind="stable")


def recommend(
    park: np.ndarray,
    parking: np.ndarray,
    park_feasible: np.ndarray,
    parking_feasible: np.ndarray,
    excluded: np.ndarray,
    threshold: float,
    tie_order: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """Recommended use and rank of every plot.

    A use is recommended when the plot can take it and its score reaches ``threshold``;
    when both can, the pocket park wins ties. Recommended plots rank first (by the score
    of their use), then the others by their better score, excluded plots last; equal keys
    go to the lower ``plot_id``.

    Works on ``(n_plots,)`` or ``(n_plots, n_draws)`` score arrays (one column per draw).

    Parameters
    ----------
    park, parking : ndarray
        Use scores (already 0 where the use is infeasible).
    park_feasible, parking_feasible, excluded : ndarray of bool, shape (n_plots,)
    threshold : float
        ``thresholds.recommend_min_score``.
    tie_order : ndarray of int, shape (n_plots,)
        Position of each plot when sorted by ``plot_id`` (:func:`tie_order`).

    Returns
    -------
    rec : ndarray of int8
        :data:`NONE`, :data:`PARK` or :data:`PARKING` (names in :data:`REC_NAMES`).
    rank : ndarray of int32
        1 = best.
    """
    park, parking = np.asarray(park, dtype=float), np.asarray(parking, dtype=float)
    two_d = park.ndim == 2
    col = (lambda a: a[:, None]) if two_d else (lambda a: a)
    park_ok = col(park_feasible) & (park >= threshold)
    parking_ok = col(parking_feasible) & (parking >= threshold)
    prefer_park = park >= parking
    rec = np.where(
        park_ok & (prefer_park | ~parking_ok), PARK, np.where(parking_ok, PARKING, NONE)
    ).astype(np.int8)
    chosen = np.where(rec == PARK, park, np.where(rec == PARKING, parking, np.nan))
    best = np.maximum(park, parking)
    key = np.where(rec != NONE, 2.0 + chosen, np.where(col(excluded), -1.0 + best, best))
    # sort by plot_id first, then stably by key: ties keep plot_id order
    by_id = np.argsort(tie_order, kind="stable")
    order_in = np.argsort(-key[by_id], axis=0, kind="stable")
    order = by_id[order_in]
    rank = np.empty(key.shape, dtype=np.int32)
    ranks = np.arange(1, key.shape[0] + 1, dtype=np.int32)
    if two_d:
        np.put_along_axis(rank, order, ranks[:, None].repeat(key.shape[1], axis=1), axis=0)
    else:
        rank[order] = ranks
    return rec, rank


# --- criterion scores and weights --------------------------------------------------------------


def criterion_scores(table: CriteriaTable, config: PlannerConfig) -> pd.DataFrame:
    """0–1 score of every criterion (columns ``<use>_<criterion>_score``); NaN where missing."""
    cols: dict[str, pd.Series] = {}
    for use in USES:
        for crit in CRITERIA[use]:
            if crit.key in table.missing:
                cols[crit.column] = pd.Series(np.nan, index=table.raw.index)
            elif crit.name in config.transforms:  # [transforms.<criterion>] in the config
                cols[crit.column] = config.transforms[crit.name].apply(table.raw).astype(float)
            else:
                cols[crit.column] = crit.score(table.raw, config.thresholds).astype(float)
    return pd.DataFrame(cols, index=table.raw.index)


def use_weights(config: PlannerConfig, use: str, missing: Mapping[str, str]) -> dict[str, float]:
    """Weights of the use's criteria not in ``missing``, renormalised to sum to 1."""
    w = {
        c.name: config.weights(use).get(c.name, 0.0) for c in CRITERIA[use] if c.key not in missing
    }
    total = sum(w.values())
    return {k: (v / total if total > 0 else 0.0) for k, v in w.items()}


def effective_weights(table: CriteriaTable, config: PlannerConfig, use: str) -> dict[str, float]:
    """Weights of the use's measured criteria, renormalised to sum to 1."""
    return use_weights(config, use, table.missing)


def contributions(scores: pd.DataFrame, weights: Mapping[str, float], use: str) -> pd.DataFrame:
    """Per-criterion contributions (weight × score, a NaN score counts 0) of one use."""
    crits = {c.name: c for c in CRITERIA[use]}
    return pd.DataFrame(
        {name: scores[crits[name].column].fillna(0.0) * w for name, w in weights.items()},
        index=scores.index,
    )


# --- the decision record -----------------------------------------------------------------------


@dataclass(frozen=True)
class Decision:
    """What a run decided for every plot and what it decided from; arrays aligned to the plots.

    Attributes
    ----------
    raw : DataFrame
        The raw measures (:attr:`planner.scoring.measure.CriteriaTable.raw`).
    scores : DataFrame
        Every criterion's 0–1 score (:func:`criterion_scores`).
    contributions : dict
        Use -> per-criterion weight × score (:func:`contributions`).
    park, parking : Series
        Use scores, 0 where the plot cannot take the use.
    park_feasible, parking_feasible, excluded : ndarray of bool
        The hard rules' verdicts: a use the plot can take; inside a constraint.
    too_small, few_stalls, no_car_access : ndarray of bool
        Why a use is not feasible: under the smallest pocket park; fewer stalls than worth a
        car park; no frontage on a road cars may use (False without roads).
    recommended : ndarray of str
        ``pocket_park``, ``parking`` or ``none``.
    rank : ndarray of int
        1 = best.
    exclusion_reason : Series
        The constraint an excluded plot lies in.
    thresholds : Thresholds
        The thresholds the hard rules and the recommendation used.
    """

    raw: pd.DataFrame
    scores: pd.DataFrame
    contributions: dict[str, pd.DataFrame]
    park: pd.Series
    parking: pd.Series
    park_feasible: np.ndarray
    parking_feasible: np.ndarray
    excluded: np.ndarray
    too_small: np.ndarray
    few_stalls: np.ndarray
    no_car_access: np.ndarray
    recommended: np.ndarray
    rank: np.ndarray
    exclusion_reason: pd.Series
    thresholds: Thresholds

    def use_score(self, use: str) -> pd.Series:
        """The score of ``use``."""
        return self.park if use == "pocket_park" else self.parking


def hard_rules(table: CriteriaTable, t: Thresholds) -> dict[str, np.ndarray]:
    """The hard rules of :func:`decide`, per plot, and the feasibility of each use they give.

    Keys: ``excluded``, ``too_small``, ``few_stalls``, ``no_car_access``, ``park_feasible``,
    ``parking_feasible`` (boolean arrays aligned to the table's plots).
    """
    raw = table.raw
    excluded = table.exclusion_reason.notna().to_numpy()
    too_small = (raw["area_m2"] < t.pocket_park_min_area_m2).to_numpy()
    few_stalls = (raw["est_parking_spaces"] < t.min_stalls).to_numpy()
    no_car_access = (raw["car_frontage_m"] <= 0).to_numpy()  # NaN (no roads) -> False
    return {
        "excluded": excluded,
        "too_small": too_small,
        "few_stalls": few_stalls,
        "no_car_access": no_car_access,
        "park_feasible": ~excluded & ~too_small,
        "parking_feasible": ~excluded & ~few_stalls & ~no_car_access,
    }


def weigh(
    table: CriteriaTable,
    config: PlannerConfig,
    scores: pd.DataFrame,
    park_feasible: np.ndarray,
    parking_feasible: np.ndarray,
    excluded: np.ndarray,
    tie: np.ndarray,
) -> tuple[dict[str, pd.DataFrame], pd.Series, pd.Series, np.ndarray, np.ndarray]:
    """Weigh criterion scores at ``config``'s weights and recommend: the step a weight moves.

    Returns each use's contributions, the two use scores (0 where infeasible), the
    recommendation codes and the rank (:func:`recommend`). :func:`decide` and the app's
    re-weighing from kept scores (:class:`planner.app.weights.WeightBase`) both call this.
    """
    contrib = {
        use: contributions(scores, effective_weights(table, config, use), use) for use in USES
    }
    park = contrib["pocket_park"].sum(axis=1).round(4).where(park_feasible, 0.0)
    parking = contrib["parking"].sum(axis=1).round(4).where(parking_feasible, 0.0)
    codes, rank = recommend(
        park.to_numpy(),
        parking.to_numpy(),
        park_feasible,
        parking_feasible,
        excluded,
        config.thresholds.recommend_min_score,
        tie,
    )
    return contrib, park, parking, codes, rank


def decide(table: CriteriaTable, config: PlannerConfig) -> Decision:
    """Score the criteria, weigh them, apply the hard rules and recommend a use per plot.

    Hard rules before weighting: a plot inside a constraint takes neither use; one under the
    smallest pocket park scores 0 for a park; one holding fewer stalls than worth a car park,
    or with no frontage on a road cars may use, scores 0 for parking. Then :func:`recommend`.
    """
    t = config.thresholds
    raw = table.raw
    scores = criterion_scores(table, config)
    rules = hard_rules(table, t)
    excluded, park_feasible, parking_feasible = (
        rules["excluded"],
        rules["park_feasible"],
        rules["parking_feasible"],
    )
    contrib, park, parking, codes, rank = weigh(
        table,
        config,
        scores,
        park_feasible,
        parking_feasible,
        excluded,
        tie_order(table.plots["plot_id"].to_numpy()),
    )
    return Decision(
        raw=raw,
        scores=scores,
        contributions=contrib,
        park=park,
        parking=parking,
        park_feasible=park_feasible,
        parking_feasible=parking_feasible,
        excluded=excluded,
        too_small=rules["too_small"],
        few_stalls=rules["few_stalls"],
        no_car_access=rules["no_car_access"],
        recommended=REC_NAMES[codes],
        rank=rank.astype(int),
        exclusion_reason=table.exclusion_reason,
        thresholds=t,
    )
