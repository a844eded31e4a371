"""Score every plot for both uses, recommend one, and explain why.

Two steps, so that an app can change weights without recomputing geometry:

1. :func:`compute_criteria` (:mod:`~planner.scoring.measure`) measures every raw value
   (distances, residents, shape ...) once;
2. :func:`combine` turns them into a :class:`~planner.scoring.decide.Decision` — 0–1 criterion
   scores, weighted use scores, a recommendation and a rank (:mod:`~planner.scoring.decide`) —
   and writes it out with its reasons (:mod:`~planner.scoring.reasons`): cheap array work only.

:func:`score` does both in one call. :mod:`~planner.scoring.explain` breaks a scored result
down per criterion for the map, the tables and the report.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd

from planner.access.distances import DistanceModel
from planner.access.network import DistanceBasis
from planner.config import PlannerConfig
from planner.criteria import measure_radii
from planner.layers import Layers
from planner.parallel import release_freed_memory
from planner.scoring.decide import Decision, criterion_scores, decide, effective_weights
from planner.scoring.measure import (
    CriteriaTable,
    PlotMeasures,
    Progress,
    compute_criteria,
    constraint_reason,
    residents_at_home_points,
    start_plot_measures,
)
from planner.scoring.reasons import write_reasons

__all__ = [
    "LEAD_COLUMNS",
    "CriteriaTable",
    "Decision",
    "PlotMeasures",
    "Progress",
    "combine",
    "compute_criteria",
    "constraint_reason",
    "criterion_scores",
    "decide",
    "effective_weights",
    "residents_at_home_points",
    "result_frame",
    "score",
    "start_plot_measures",
]

#: Columns every score output starts with, in this order.
LEAD_COLUMNS = (
    "plot_id",
    "name",
    "area_m2",
    "park_score",
    "parking_score",
    "recommended_use",
    "rank",
    "reasons",
    "reasons_zh",
    "park_feasible",
    "parking_feasible",
    "excluded",
    "exclusion_reason",
    "nearest_green_m",
    "nearest_parking_m",
    "est_parking_spaces",
    "distance_basis",
)


def combine(
    table: CriteriaTable, config: PlannerConfig | None = None, *, workers: int = 1
) -> gpd.GeoDataFrame:
    """Weight the criteria, recommend a use, rank the plots and write the reasons.

    ``workers`` > 1 writes the Chinese reasons in a second process beside the English ones
    (:mod:`planner.parallel`); the result does not depend on it.

    Returns
    -------
    GeoDataFrame
        One row per plot (metric CRS) with the columns of :data:`LEAD_COLUMNS`, every raw
        measure and every criterion score. ``attrs["missing_criteria"]`` lists the criteria
        left out and why, ``attrs["radii_m"]`` the radius (m) of every measure taken within
        one (:func:`planner.criteria.measure_radii`), ``attrs["notes"]`` what the run noticed.
    """
    config = config or PlannerConfig()
    d = decide(table, config)
    return result_frame(table, config, d, *write_reasons(d, workers=workers))


def result_frame(
    table: CriteriaTable,
    config: PlannerConfig,
    d: Decision,
    reasons_en: pd.Series | None,
    reasons_zh: pd.Series | None,
) -> gpd.GeoDataFrame:
    """:func:`combine`'s output of the decision ``d`` on ``table`` with the reasons given.

    Reasons given as ``None`` leave their column empty (``None`` in every row): the app fills
    them when it shows them (:mod:`planner.app.weights`).
    """
    plots, raw = table.plots, table.raw
    unwritten = np.full(len(plots), None, dtype=object)
    out = pd.DataFrame(
        {
            "plot_id": plots["plot_id"].astype(str).to_numpy(),
            "name": (
                plots["name"].astype("string").to_numpy()
                if "name" in plots
                else pd.array([pd.NA] * len(plots), dtype="string")
            ),
            "area_m2": raw["area_m2"].round(1).to_numpy(),
            "park_score": d.park.to_numpy(),
            "parking_score": d.parking.to_numpy(),
            "recommended_use": d.recommended,
            "rank": d.rank,
            "reasons": unwritten if reasons_en is None else reasons_en.to_numpy(),
            "reasons_zh": unwritten.copy() if reasons_zh is None else reasons_zh.to_numpy(),
            "park_feasible": d.park_feasible,
            "parking_feasible": d.parking_feasible,
            "excluded": d.excluded,
            "exclusion_reason": table.exclusion_reason.to_numpy(),
            "nearest_green_m": raw["nearest_green_m"].round(1).to_numpy(),
            "nearest_parking_m": raw["nearest_parking_m"].round(1).to_numpy(),
            "est_parking_spaces": raw["est_parking_spaces"].to_numpy(),
            "distance_basis": table.distance_basis.to_numpy(),
        },
        index=plots.index,
    )
    extra_raw = raw.drop(columns=[c for c in raw.columns if c in out.columns])
    out = pd.concat([out, extra_raw.round(4), d.scores.round(4)], axis=1)
    result = gpd.GeoDataFrame(out, geometry=plots.geometry.to_numpy(), crs=plots.crs)
    result.attrs["missing_criteria"] = dict(table.missing)
    result.attrs["radii_m"] = measure_radii(config.thresholds)
    result.attrs["notes"] = [*table.notes, *config.notes()]
    return result


def score(
    layers: Layers,
    config: PlannerConfig | None = None,
    *,
    distances: DistanceModel | None = None,
    distance: DistanceBasis = "auto",
    progress: Progress | None = None,
    workers: int = 1,
    plot_measures: PlotMeasures | None = None,
) -> gpd.GeoDataFrame:
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
    table = compute_criteria(
        layers,
        config,
        distances=distances,
        distance=distance,
        progress=progress,
        workers=workers,
        plot_measures=plot_measures,
    )
    # the distance model and what it remembers (located places, pairs within radii) are not
    # needed to combine, where a second process forks to write reasons: let go of them
    # (issue 17: some 300 MB at 100,000 plots; a model given by the caller stays theirs)
    table.distances = None
    release_freed_memory()
    return combine(table, config, workers=workers)
