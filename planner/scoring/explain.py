"""The per-plot breakdown of a scored result: each criterion's score, weight and contribution.

One breakdown for everything that explains a score: the map's popups
(:func:`planner.app.maps.plot_popups`), the selected plot's table and chart
(:func:`planner.app.views.plot_contributions`) and the report's criteria table
(:func:`planner.app.report.build_report`). It reads only the score output — the criterion
score columns and ``attrs["missing_criteria"]`` — and the configuration's weights.
"""

from __future__ import annotations

import pandas as pd

from planner.config import USES, PlannerConfig
from planner.criteria import CRITERIA
from planner.scoring.decide import use_weights

#: Columns of :func:`breakdown`.
BREAKDOWN_COLUMNS = ("row", "use", "criterion", "label", "score", "weight", "contribution", "rule")


def result_weights(result: pd.DataFrame, config: PlannerConfig, use: str) -> dict[str, float]:
    """Effective (renormalised) weights of ``use`` for a scored result.

    The criteria left out of the run (``attrs["missing_criteria"]``) weigh nothing; the others
    share the use's weights as in :func:`planner.scoring.decide.use_weights`.
    """
    missing = result.attrs.get("missing_criteria", {}) if hasattr(result, "attrs") else {}
    return use_weights(config, use, missing)


def breakdown(result: pd.DataFrame, config: PlannerConfig, lang: str = "en") -> pd.DataFrame:
    """Every criterion's score, effective weight and contribution, for every plot (long form).

    Returns
    -------
    DataFrame
        Columns :data:`BREAKDOWN_COLUMNS`: ``row`` (index label of the plot in ``result``),
        ``use``, ``criterion``, ``label`` (in ``lang``), ``score`` (NaN where not measured),
        ``weight``, ``contribution`` (weight × score, the use's score before hard rules is
        their sum) and ``rule``.
    """
    parts = []
    for use in USES:
        weights = result_weights(result, config, use)
        for crit in CRITERIA[use]:
            if crit.column not in result:
                continue
            s = pd.to_numeric(result[crit.column], errors="coerce").astype(float)
            w = weights.get(crit.name, 0.0)
            parts.append(
                pd.DataFrame(
                    {
                        "row": result.index,
                        "use": use,
                        "criterion": crit.name,
                        "label": crit.label(lang),
                        "score": s.to_numpy(),
                        "weight": w,
                        "contribution": (s.fillna(0.0) * w).to_numpy(),
                        "rule": crit.rule_text(lang),
                    }
                )
            )
    return (
        pd.concat(parts, ignore_index=True)
        if parts
        else pd.DataFrame(columns=list(BREAKDOWN_COLUMNS))
    )


def criteria_weights(result: pd.DataFrame, config: PlannerConfig, lang: str = "en") -> pd.DataFrame:
    """Every criterion of both uses with its label, effective weight and rule (one row each).

    The weight is NaN for a criterion left out of the run.

    Returns
    -------
    DataFrame
        Columns ``use``, ``criterion``, ``label`` (in ``lang``), ``weight``, ``rule``.
    """
    rows = []
    for use in USES:
        weights = result_weights(result, config, use)
        for crit in CRITERIA[use]:
            rows.append(
                {
                    "use": use,
                    "criterion": crit.name,
                    "label": crit.label(lang),
                    "weight": float(weights.get(crit.name, float("nan"))),
                    "rule": crit.rule_text(lang),
                }
            )
    return pd.DataFrame(rows, columns=["use", "criterion", "label", "weight", "rule"])
