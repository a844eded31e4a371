"""What the app shows of programmes, scenarios and fairness, as plain functions (no streamlit).

The candidates tab's programme panel (:func:`programme_view`): choose sites by objective,
resident group, budget in 万元 or phases, and see what it costs, who it reaches and how
evenly; save it as a scenario (:func:`save_scenario`). The compare tab
(:func:`comparison_view`): two scenarios side by side, the map of their differences and the
downloads. Session-state callbacks take any mutable mapping; messages are ``(kind, text)``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, MutableMapping
from dataclasses import dataclass
from functools import partial
from typing import Any

import numpy as np
import pandas as pd

from planner.app.i18n import md_escape, tr, use_label
from planner.app.plan_maps import comparison_map, programme_map
from planner.app.plan_report import (
    COMPARISON_FORMATS,
    chosen_table,
    comparison_bytes,
    comparison_tables,
    estates_view,
    group_table_view,
    phase_table_view,
    plan_sections,
    programme_sentence,
    speeds_sentence,
    with_indicators,
)
from planner.app.run import error_text
from planner.app.tables import chart_spec
from planner.config import USES
from planner.decision.compare import Comparison, PlanEvaluation, compare_plans, evaluate_plan
from planner.decision.costs import wan_to_yuan
from planner.decision.equity import GROUPS, EquityReport
from planner.decision.phases import PHASE_UNITS, parse_phases
from planner.decision.programme import OBJECTIVES, Programme, choose
from planner.decision.scenarios import Scenario, data_fingerprint
from planner.errors import PlannerError
from planner.io.write import spreadsheet_text
from planner.messages import localized

#: Points of the Lorenz chart (shares of residents, 0–1).
LORENZ_POINTS = 101
#: MIME types of the comparison downloads.
COMPARISON_MIME = {
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".csv": "text/csv",
    ".html": "text/html",
}


def programme_inputs(lang: str) -> list[tuple[int, str, str, dict[str, Any]]]:
    """The programme panel's inputs ``(column, element, name, spec)``.

    Named as :func:`programme_view`'s arguments (the shape of
    :data:`planner.app.widgets.Input`): use; objective and resident group; number of sites and
    budget (万元); phases and their unit. The keys are those the session state and the tests
    use.
    """
    return _what_inputs(lang) + _limit_inputs(lang)


def _what_inputs(lang: str) -> list[tuple[int, str, str, dict[str, Any]]]:
    """Use, objective and resident group."""
    return [
        (
            0,
            "radio",
            "use",
            {
                "label": tr("filter_use", lang),
                "options": USES,
                "key": "sel_use",
                "format_func": lambda u: use_label(u, lang),
            },
        ),
        (
            1,
            "selectbox",
            "objective",
            {
                "label": tr("objective", lang),
                "placeholder": tr("choose", lang),
                "options": OBJECTIVES,
                "key": "sel_objective",
                "format_func": lambda o: tr(f"objective_{o}", lang),
            },
        ),
        (
            1,
            "selectbox",
            "group",
            {
                "label": tr("group", lang),
                "placeholder": tr("choose", lang),
                "options": GROUPS,
                "key": "sel_group",
                "format_func": lambda g: tr(f"group_{g}", lang),
            },
        ),
    ]


def _limit_inputs(lang: str) -> list[tuple[int, str, str, dict[str, Any]]]:
    """Number of sites and budget (万元), or phases and their unit."""
    return [
        (
            2,
            "number_input",
            "k",
            {
                "label": tr("selection_k", lang),
                "min_value": 1,
                "max_value": 100,
                "value": 8,
                "step": 1,
                "key": "sel_k",
            },
        ),
        (
            2,
            "number_input",
            "budget_wan",
            {
                "label": tr("selection_budget", lang),
                "min_value": 0.0,
                "max_value": 1e7,
                "value": 0.0,
                "step": 10.0,
                "key": "sel_budget",
            },
        ),
        (
            3,
            "text_input",
            "phases_text",
            {
                "label": tr("phases_input", lang),
                "key": "sel_phases",
                "placeholder": tr("phases_placeholder", lang),
            },
        ),
        (
            3,
            "radio",
            "phase_unit",
            {
                "label": tr("phase_unit", lang),
                "options": PHASE_UNITS,
                "key": "sel_phase_unit",
                "horizontal": True,
                "format_func": lambda u: tr(f"phase_unit_{u}", lang),
            },
        ),
    ]


@dataclass
class ProgrammeView:
    """One programme as the app shows it."""

    programme: Programme
    evaluation: PlanEvaluation
    said: list[str]
    chosen: pd.DataFrame
    phase_table: pd.DataFrame | None
    curve: dict[str, Any] | None


def programme_view(
    run: Any,
    lang: str,
    *,
    use: str,
    objective: str = "coverage",
    group: str = "all",
    k: int | None = None,
    budget_wan: float = 0.0,
    phases_text: str = "",
    phase_unit: str = "wan",
) -> ProgrammeView:
    """Choose the programme and measure it (:func:`planner.decision.programme.choose`).

    ``k`` 0 or ``None`` and ``budget_wan`` 0 mean no such limit; ``phases_text``
    (``近期=300,中期=500``) replaces both. Raises :class:`PlannerError` on a bad request.
    """
    phases = parse_phases(phases_text, phase_unit) if phases_text.strip() else None
    prog = choose(
        run.result,
        run.layers,
        use,
        objective=objective,
        group=group,
        k=(k or None) if not phases else None,
        budget_yuan=wan_to_yuan(budget_wan) if budget_wan > 0 and not phases else None,
        phases=phases,
        config=run.config,
        distances=run.distances,
        curve_method="greedy",
    )
    ev = evaluate_plan(
        run.result,
        run.layers,
        prog.uses(),
        config=run.config,
        distances=run.distances,
        phases=prog.phases(),
    )
    curve = None
    if len(prog.curve):
        x, y = tr("sites", lang), tr("covered_residents", lang)
        data = pd.DataFrame({x: prog.curve["sites"], y: prog.curve["covered_residents"]})
        curve = {"data": data, "x": x, "y": y}
    return ProgrammeView(
        prog,
        ev,
        programme_sentence(prog, lang, run.config),
        spreadsheet_text(chosen_table(prog, lang)),
        None
        if prog.phase_table is None
        else spreadsheet_text(phase_table_view(prog.phase_table, lang)),
        curve,
    )


def programme_map_for(view: ProgrammeView, run: Any, lang: str) -> Any:
    """The programme's map (plots coloured by phase, or chosen / not)."""
    p = view.programme
    names = list(p.phase_table["phase"]) if p.phase_table is not None else []
    return programme_map(p.plots, run.layers, run.config, names, p.use, lang=lang)


def lorenz_chart(equity: EquityReport, lang: str) -> dict[str, Any]:
    """Lorenz curves before and after on one grid of resident shares, for a line chart.

    Returned as :func:`~planner.app.tables.chart_spec` arguments.
    """
    x = np.linspace(0.0, 1.0, LORENZ_POINTS)
    cols = {tr("lorenz_equal", lang): x}
    for key, curve in (
        ("lorenz_before", equity.lorenz_before),
        ("lorenz_after", equity.lorenz_after),
    ):
        if len(curve):
            cols[tr(key, lang)] = np.interp(x, curve["population_share"], curve["value_share"])
    wide = pd.DataFrame(cols, index=pd.Index(np.round(x, 2), name=tr("population_share", lang)))
    return chart_spec(wide, tr("lorenz_series", lang), tr("lorenz_value", lang))


def fairness_parts(
    view: ProgrammeView, run: Any, lang: str
) -> tuple[list[str], pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Sentences, coverage by group, the Lorenz chart and the estates of a programme."""
    eq = view.evaluation.equity
    said = [
        speeds_sentence(eq, run.config, lang),
        tr("gini_text", lang, before=eq.gini_before, after=eq.gini_after),
    ]
    return (
        said,
        spreadsheet_text(group_table_view(eq, lang, district_only=False)),
        lorenz_chart(eq, lang),
        spreadsheet_text(estates_view(eq, lang)),
    )


def report_extra(view: ProgrammeView | None, run: Any, lang: str) -> Callable[[], list[str]] | None:
    """The programme's report sections, made when the report is (``None``: no programme)."""
    if view is None:
        return None
    return partial(plan_sections, view.programme, view.evaluation, run.layers, run.config, lang)


# --- scenarios ---------------------------------------------------------------------------------


def scenario_of(view: ProgrammeView, run: Any, name: str) -> Scenario:
    """The programme as a scenario (with its figures and the data's fingerprint)."""
    p = view.programme
    given = view.evaluation.plots[view.evaluation.plots["use"] != "none"]
    return Scenario(
        name,
        pd.DataFrame(
            {"plot_id": given["plot_id"].astype(str), "use": given["use"], "phase": given["phase"]}
        ),
        run.config,
        data_fingerprint(run.layers),
        len(run.result),
        selection={"command": "app", "use": p.use, "objective": p.objective, "group": p.group},
        results=dict(view.evaluation.district),
        distance=str(getattr(run.distances, "basis", "")),
    )


def save_scenario(state: MutableMapping[str, Any], run: Any, lang: str) -> None:
    """Save the shown programme (``state["plan"]``) as ``state["scenario_name"]``."""
    view = state.get("plan")
    if view is None:
        return
    name = str(state.get("scenario_name") or "").strip() or tr(
        "scenario_default", lang, n=len(state["scenarios"]) + 1
    )
    state["scenarios"][name] = scenario_of(view, run, name)
    state["scenario_message"] = ("success", tr("scenario_saved", lang, name=md_escape(name)))


def open_scenarios(
    state: MutableMapping[str, Any], files: Mapping[str, bytes], lang: str
) -> list[tuple[str, str]]:
    """Read uploaded scenario files into ``state["scenarios"]``; what went wrong, if anything."""
    said = []
    for name, data in files.items():
        try:
            sc = Scenario.from_toml(data.decode("utf-8-sig"), name)
        except (PlannerError, UnicodeDecodeError) as exc:
            said.append(("error", error_text(exc, lang)))
            continue
        state["scenarios"][sc.name] = sc
    return said


def scenario_bytes(scenario: Scenario) -> bytes:
    """A scenario's file, for a download button."""
    return scenario.to_toml().encode("utf-8")


@dataclass
class CompareView:
    """Two scenarios as the compare tab shows them."""

    comparison: Comparison
    tables: dict[str, pd.DataFrame]
    scored: Any
    notes: list[tuple[str, str]]


def comparison_view(
    run: Any, a: Scenario, b: Scenario, criteria: Callable[..., Any], lang: str
) -> CompareView:
    """Measure scenarios A and B on the run's data, each with its own configuration.

    ``criteria(load_key, settings_key, layers, config)`` measures (the app's cache). Raises
    :class:`PlannerError` when a scenario was made on other data.
    """
    from planner.app.views import settings_key
    from planner.decision.compare import evaluate_scenario
    from planner.scoring import combine

    evaluations, notes, scored_a, runs = [], [], None, []
    for sc in (a, b):
        table = criteria(
            run.load_key, settings_key(sc.config), run.source_layers or run.layers, sc.config
        )
        scored = combine(table, sc.config)
        scored_a = scored if scored_a is None else scored_a
        ev = evaluate_scenario(sc, scored, table.layers, distances=table.distances)
        evaluations.append(ev)
        runs.append((scored, table.layers, sc.config, table.distances))
        here = str(getattr(table.distances, "basis", ""))
        if sc.distance and here and sc.distance != here:
            notes.append(
                (
                    "warning",
                    tr(
                        "compare_other_distance",
                        lang,
                        name=md_escape(sc.name),
                        made=sc.distance,
                        here=here,
                    ),
                )
            )
    cmp, said = with_indicators(compare_plans(*evaluations), runs)
    notes += [("info", md_escape(localized(n, lang))) for n in said]
    return CompareView(
        cmp,
        {k: spreadsheet_text(v) for k, v in comparison_tables(cmp, lang).items()},
        scored_a,
        notes,
    )


def comparison_map_for(view: CompareView, run: Any, lang: str) -> Any:
    """The map of where the two scenarios differ."""
    return comparison_map(view.comparison.plots, view.scored, run.layers, run.config, lang=lang)


def comparison_downloads(view: CompareView, run: Any, lang: str) -> list[dict[str, object]]:
    """Download buttons of the comparison (.xlsx, .csv, .html), made when pressed."""
    return [
        {
            "label": tr("download_comparison", lang, fmt=ext.lstrip(".").upper()),
            "data": partial(
                comparison_bytes, view.comparison, ext, view.scored, run.layers, run.config, lang
            ),
            "file_name": tr("file_comparison", lang) + ext,
            "mime": COMPARISON_MIME[ext],
            "key": f"dl_cmp{ext}",
        }
        for ext in COMPARISON_FORMATS
    ]
