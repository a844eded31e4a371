"""Would the ranking change if the weights moved a little? Monte Carlo weight perturbation.

Each draw multiplies every weight by an independent factor drawn uniformly from
``[1 − spread, 1 + spread]`` and renormalises, so ``spread = 0.2`` lets each weight move by up
to ±20 % of itself. The criteria are measured once (:func:`planner.scoring.compute_criteria`);
every draw only recombines the 0–1 criterion scores with its weights, as one matrix product
over all draws, and applies :func:`planner.scoring.combine`'s recommendation and ranking rule
(:func:`planner.scoring.decide.recommend`, the same function) to every draw. No geometry is
recomputed.

Per plot the result gives:

``top_k_share``
    share of draws in which the plot ranks in the top ``k``;
``rank_p05``, ``rank_p95``
    its rank interval (percentiles configurable);
``recommendation_stability``
    share of draws whose recommended use equals the one at the given weights;
``recommendation_flips``
    True where more than ``flip_share`` of the draws recommend another use: the
    recommendation is fragile and should be argued, not read off.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from planner.config import USES, PlannerConfig
from planner.criteria import CRITERIA
from planner.errors import ConfigError
from planner.messages import Msg
from planner.scoring import CriteriaTable, effective_weights
from planner.scoring.decide import NONE, PARK, PARKING, REC_NAMES, decide, recommend, tie_order

__all__ = [
    "NONE",
    "PARK",
    "PARKING",
    "Simulation",
    "SensitivitySettings",
    "add_sensitivity",
    "perturbed_weights",
    "recommend",
    "simulate",
    "weight_sensitivity",
]


@dataclass(frozen=True)
class SensitivitySettings:
    """How the weights are perturbed and what is reported.

    Attributes
    ----------
    draws : int
        Number of weight draws (Monte Carlo samples).
    spread : float
        Each weight is multiplied by a factor uniform in ``[1 − spread, 1 + spread]``;
        0 <= spread < 1.
    seed : int
        Seed of the random generator (same seed, same result).
    top_k : int
        The "top k" whose membership is counted.
    interval : tuple of float
        Percentiles of the rank interval, e.g. ``(5, 95)``.
    flip_share : float
        A plot is flagged when more than this share of draws change its recommendation.
    """

    draws: int = 1000
    spread: float = 0.2
    seed: int = 0
    top_k: int = 10
    interval: tuple[float, float] = (5.0, 95.0)
    flip_share: float = 0.05

    def __post_init__(self) -> None:
        if isinstance(self.draws, bool) or not isinstance(self.draws, int) or self.draws < 1:
            raise ConfigError(
                Msg("decision.whole_at_least_1", name="draws", value=repr(self.draws))
            )
        if not 0 <= self.spread < 1:
            raise ConfigError(Msg("decision.in_0_1", name="spread", value=repr(self.spread)))
        if isinstance(self.top_k, bool) or not isinstance(self.top_k, int) or self.top_k < 1:
            raise ConfigError(
                Msg("decision.whole_at_least_1", name="top_k", value=repr(self.top_k))
            )
        lo, hi = self.interval
        if not 0 <= lo <= hi <= 100:
            raise ConfigError(Msg("decision.interval", value=repr(self.interval)))
        if not 0 <= self.flip_share < 1:
            raise ConfigError(
                Msg("decision.in_0_1", name="flip_share", value=repr(self.flip_share))
            )


def perturbed_weights(
    base: np.ndarray, draws: int, spread: float, rng: np.random.Generator
) -> np.ndarray:
    """Draw ``draws × len(base)`` weights around ``base``.

    Each base weight is multiplied by U(1 − spread, 1 + spread) and every row renormalised
    to the sum of ``base``. Zero weights stay zero.
    """
    base = np.asarray(base, dtype=float)
    factors = rng.uniform(1.0 - spread, 1.0 + spread, size=(draws, len(base)))
    w = base[None, :] * factors
    total = w.sum(axis=1, keepdims=True)
    return np.divide(w * base.sum(), total, out=np.zeros_like(w), where=total > 0)


def _use_matrix(
    table: CriteriaTable, config: PlannerConfig, scores: pd.DataFrame, use: str
) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """Criterion-score matrix (plots × criteria, NaN as 0), base weights and names of a use."""
    weights = effective_weights(table, config, use)
    cols = {c.name: c.column for c in CRITERIA[use]}
    names = list(weights)
    m = scores[[cols[n] for n in names]].fillna(0.0).to_numpy(dtype=float)
    return m, np.array([weights[n] for n in names], dtype=float), names


@dataclass(frozen=True)
class Simulation:
    """Every draw of :func:`simulate`: the weights used and the resulting ranks.

    Attributes
    ----------
    park_weights, parking_weights : pandas.DataFrame
        ``draws × criteria`` weights of each use (effective criteria only).
    ranks : ndarray of int32, shape (n_plots, draws)
    recommendations : ndarray of int8, shape (n_plots, draws)
        Codes :data:`NONE`, :data:`PARK`, :data:`PARKING`.
    base_rank : ndarray of int32, shape (n_plots,)
    base_recommendation : ndarray of int8, shape (n_plots,)
    """

    park_weights: pd.DataFrame
    parking_weights: pd.DataFrame
    ranks: np.ndarray
    recommendations: np.ndarray
    base_rank: np.ndarray
    base_recommendation: np.ndarray


def simulate(
    table: CriteriaTable,
    config: PlannerConfig | None = None,
    settings: SensitivitySettings | None = None,
    *,
    chunk: int = 250,
) -> Simulation:
    """Draw perturbed weights and rank the plots under each draw (vectorised).

    Parameters
    ----------
    table : CriteriaTable
        From :func:`planner.scoring.compute_criteria` (measured once, reused here).
    config : PlannerConfig, optional
        The weights and thresholds of the run (the centre of the perturbation).
    settings : SensitivitySettings, optional
    chunk : int
        Draws processed together (bounds memory at about ``n_plots × chunk`` floats).
    """
    config = config or PlannerConfig()
    s = settings or SensitivitySettings()
    # the run's own decision: criterion scores and hard rules (constraints, area, stalls,
    # car access) as combine() applies them
    base = decide(table, config)
    scores = base.scores
    park_feasible, parking_feasible = base.park_feasible, base.parking_feasible
    excluded = base.excluded
    threshold = config.thresholds.recommend_min_score
    ties = tie_order(table.plots["plot_id"].to_numpy())
    (m_park, w0_park, names_park), (m_parking, w0_parking, names_parking) = (
        _use_matrix(table, config, scores, use) for use in USES
    )

    def use_scores(w_park: np.ndarray, w_parking: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        park = np.round(m_park @ w_park.T, 4)  # combine() rounds use scores to 4 d.p.
        parking = np.round(m_parking @ w_parking.T, 4)
        pf = park_feasible[:, None] if park.ndim == 2 else park_feasible
        qf = parking_feasible[:, None] if parking.ndim == 2 else parking_feasible
        return np.where(pf, park, 0.0), np.where(qf, parking, 0.0)

    base_rec, base_rank = recommend(
        *use_scores(w0_park, w0_parking), park_feasible, parking_feasible, excluded, threshold, ties
    )
    if not (
        np.array_equal(base_rank, base.rank)
        and np.array_equal(REC_NAMES[base_rec], base.recommended)
    ):
        # the same rule on use scores summed as a matrix product: they must round alike
        raise RuntimeError(
            "the use scores of the weight draws no longer reproduce "
            "planner.scoring.combine's; update use_scores in simulate"
        )
    # all weights are drawn first (draws × criteria is small): chunking never changes them
    rng = np.random.default_rng(s.seed)
    w_park = perturbed_weights(w0_park, s.draws, s.spread, rng)
    w_parking = perturbed_weights(w0_parking, s.draws, s.spread, rng)
    n = len(table.plots)
    ranks = np.empty((n, s.draws), dtype=np.int32)
    recs = np.empty((n, s.draws), dtype=np.int8)
    for start in range(0, s.draws, chunk):
        part = slice(start, min(start + chunk, s.draws))
        rec, rank = recommend(
            *use_scores(w_park[part], w_parking[part]),
            park_feasible,
            parking_feasible,
            excluded,
            threshold,
            ties,
        )
        ranks[:, part] = rank
        recs[:, part] = rec
    return Simulation(
        pd.DataFrame(w_park, columns=names_park),
        pd.DataFrame(w_parking, columns=names_parking),
        ranks,
        recs,
        base_rank,
        base_rec,
    )


def weight_sensitivity(
    table: CriteriaTable,
    config: PlannerConfig | None = None,
    settings: SensitivitySettings | None = None,
    *,
    chunk: int = 250,
) -> pd.DataFrame:
    """Monte Carlo stability of every plot's rank and recommendation.

    Parameters
    ----------
    table : CriteriaTable
        From :func:`planner.scoring.compute_criteria`.
    config : PlannerConfig, optional
    settings : SensitivitySettings, optional
    chunk : int
        See :func:`simulate`.

    Returns
    -------
    pandas.DataFrame
        Indexed like ``table.plots``: ``base_rank``, ``base_recommendation``,
        ``top_k_share``, ``rank_p<lo>``, ``rank_p<hi>``, ``recommendation_stability``,
        ``recommendation_flips``. ``attrs["sensitivity"]`` records the settings.
    """
    s = settings or SensitivitySettings()
    sim = simulate(table, config, s, chunk=chunk)
    lo, hi = s.interval
    stability = (sim.recommendations == sim.base_recommendation[:, None]).mean(axis=1)
    out = pd.DataFrame(
        {
            "base_rank": sim.base_rank,
            "base_recommendation": REC_NAMES[sim.base_recommendation],
            "top_k_share": (sim.ranks <= s.top_k).mean(axis=1),
            f"rank_p{lo:g}": np.percentile(sim.ranks, lo, axis=1, method="nearest").astype(int),
            f"rank_p{hi:g}": np.percentile(sim.ranks, hi, axis=1, method="nearest").astype(int),
            "recommendation_stability": stability,
            "recommendation_flips": (1.0 - stability) > s.flip_share,
        },
        index=table.plots.index,
    )
    out.attrs["sensitivity"] = {
        "draws": s.draws,
        "spread": s.spread,
        "seed": s.seed,
        "top_k": s.top_k,
        "interval": [lo, hi],
        "flip_share": s.flip_share,
    }
    return out


def add_sensitivity(
    scored: pd.DataFrame,
    table: CriteriaTable,
    config: PlannerConfig | None = None,
    settings: SensitivitySettings | None = None,
) -> pd.DataFrame:
    """The score output (:func:`planner.scoring.combine`) with the sensitivity columns added.

    Raises
    ------
    ConfigError
        ``scored`` is not the output of ``table`` (index or ranks differ), e.g. scored with
        other weights than ``config``.
    """
    sens = weight_sensitivity(table, config, settings)
    if not scored.index.equals(sens.index):
        raise ConfigError(Msg("decision.index_differs_criteria"))
    if "rank" in scored and not np.array_equal(
        scored["rank"].to_numpy(), sens["base_rank"].to_numpy()
    ):
        raise ConfigError(Msg("decision.ranked_otherwise"))
    out = scored.copy()
    for c in sens.columns.drop(["base_rank", "base_recommendation"]):
        out[c] = sens[c].to_numpy()
    out.attrs["sensitivity"] = sens.attrs["sensitivity"]
    return out
