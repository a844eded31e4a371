"""The decision tools under the candidate table: budgeted site selection, targets.

Money is typed in 万元 and counted in 元 by the library (:func:`wan_to_yuan`); both tools use the
run's walking model.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from planner.app.i18n import tr, use_label
from planner.app.run import Run
from planner.decision.allocation import Targets, allocate
from planner.decision.selection import select_sites
from planner.io.write import spreadsheet_text

#: 元 per 万元: the app asks for money in 万元 (ten thousand yuan); the library counts 元.
YUAN_PER_WAN = 10_000


def wan_to_yuan(wan: float) -> float | None:
    """A budget typed in 万元 as 元 for the library; ``None`` (no budget) when not positive."""
    return float(wan) * YUAN_PER_WAN if wan > 0 else None


def coverage_curve(chosen: Any, lang: str) -> pd.DataFrame:
    """Residents newly covered by number of sites, for a line chart."""
    curve = chosen.curve.set_index("sites")[["covered_residents"]]
    curve.columns = [tr("covered_residents", lang)]
    return curve


def selection_table(chosen: Any, lang: str) -> pd.DataFrame:
    """The chosen sites: id, name and the residents each newly serves."""
    picked = chosen.plots[chosen.plots["selected"]]
    return spreadsheet_text(
        pd.DataFrame(
            {
                tr("plot_id", lang): picked["plot_id"].astype(str),
                tr("name", lang): picked["name"],
                tr("marginal_new_residents", lang): picked["marginal_new_residents"],
            }
        )
    )


def site_selection(
    run: Run, use: str, k: int, budget_wan: float, lang: str
) -> tuple[str, pd.DataFrame, pd.DataFrame]:
    """Greedy budgeted choice of ``k`` sites: summary sentence, coverage curve, chosen sites.

    Uses :func:`planner.decision.selection.select_sites` with the run's walking model; the
    budget is in 万元 (none when 0). Raises :class:`PlannerError` when no choice can be made.
    """
    chosen = select_sites(
        run.result,
        run.layers,
        use,
        k=int(k),
        config=run.config,
        curve_method="greedy",
        budget_yuan=wan_to_yuan(budget_wan),
        distances=run.distances,
    )
    said = tr(
        "selection_result",
        lang,
        n=int(chosen.plots["selected"].sum()),
        covered=chosen.covered,
        total=chosen.uncovered_before,
    )
    return said, coverage_curve(chosen, lang), selection_table(chosen, lang)


def allocation_table(allocated: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Plots given a use by the targets: id, name and the use in ``lang``."""
    rows = allocated[allocated["allocated_use"] != "none"]
    return spreadsheet_text(
        pd.DataFrame(
            {
                tr("plot_id", lang): rows["plot_id"].astype(str),
                tr("name", lang): rows["name"],
                tr("allocated_use", lang): rows["allocated_use"].map(lambda u: use_label(u, lang)),
            }
        )
    )


def allocation_view(
    run: Run,
    lang: str,
    *,
    min_spaces: int = 0,
    category: str = "station",
    max_park_m2: float,
    budget_wan: float,
) -> tuple[str, pd.DataFrame]:
    """One use per plot under the targets: summary sentence and the plots given a use.

    ``max_park_m2`` 0 and ``budget_wan`` 0 mean no cap and no budget; no parking target
    (``min_spaces`` 0) by default. Raises :class:`PlannerError` when the targets cannot be met
    together.
    """
    targets = Targets(
        min_parking_spaces=int(min_spaces),
        near_category=category,
        max_park_area_m2=max_park_m2 or None,
        budget_yuan=wan_to_yuan(budget_wan),
    )
    allocated, summ = allocate(
        run.result, run.layers, targets, config=run.config, distances=run.distances
    )
    said = tr(
        "targets_result",
        lang,
        park=summ["plots_park"],
        area=summ["park_area_m2"],
        parking=summ["plots_parking"],
        near=summ["parking_spaces_near"],
        cost=summ["cost_yuan"],
    )
    return said, allocation_table(allocated, lang)
