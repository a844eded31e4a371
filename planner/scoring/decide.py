"""The recommendation and rank rule: one use per plot from its two use scores, then a rank.

:func:`planner.scoring.combine` applies it to the scores at the run's weights and
:mod:`planner.decision.sensitivity` to every weight draw at once (one column per draw), so
the two cannot drift apart.
"""

from __future__ import annotations

import numpy as np

#: Codes of the recommendation returned by :func:`recommend`.
NONE, PARK, PARKING = 0, 1, 2
#: The recommended use of each code (``REC_NAMES[code]``), as written in the score output.
REC_NAMES = np.array(["none", "pocket_park", "parking"], dtype=object)


def tie_order(plot_ids: np.ndarray) -> np.ndarray:
    """Position of each plot when sorted by id (equal ids in input order).

    Plots of equal rank key are ranked in this order: the lower ``plot_id`` first.
    """
    return np.argsort(np.argsort(np.asarray(plot_ids), kind="stable"), kind="stable")


def recommend(park: np.ndarray, parking: np.ndarray, park_feasible: np.ndarray,
              parking_feasible: np.ndarray, excluded: np.ndarray, threshold: float,
              tie_order: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
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
    rec = np.where(park_ok & (prefer_park | ~parking_ok), PARK,
                   np.where(parking_ok, PARKING, NONE)).astype(np.int8)
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
