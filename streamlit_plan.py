"""The app's programme panel and compare tab: widgets over planner.app.plan_views.

Part of the thin shell of ``streamlit_app.py`` (same rules: no geometry, no decisions; every
input's spec, table and sentence comes from :mod:`planner.app.plan_views`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import streamlit as st
from streamlit_folium import st_folium

from planner.app import plan_views
from planner.app.i18n import tr
from planner.app.run import Run, error_text
from planner.errors import PlannerError

ss = st.session_state


def render_programme(run: Run, lang: str) -> None:
    """Choose sites by objective, group, budget (万元) or phases; its map, fairness, saving."""
    st.subheader(tr("plan_title", lang))
    columns = st.columns(4)
    inputs = {
        name: getattr(columns[col], element)(**spec)
        for col, element, name, spec in plan_views.programme_inputs(lang)
    }
    try:
        view = plan_views.programme_view(run, lang, **inputs)
    except PlannerError as exc:
        ss.plan = None
        st.error(error_text(exc, lang))
        return
    ss.plan = view
    for sentence in view.said:
        st.write(sentence)
    if view.phase_table is not None:
        st.caption(tr("phase_table", lang))
        st.dataframe(view.phase_table, hide_index=True, key="phase_table")
    elif view.curve is not None:
        st.caption(tr("coverage_curve", lang))
        st.line_chart(**view.curve)
    st.dataframe(view.chosen, hide_index=True)
    st.caption(tr("phase_map", lang))
    st_folium(
        plan_views.programme_map_for(view, run, lang),
        key="plan_map",
        height=540,
        use_container_width=True,
        returned_objects=[],
    )
    with st.expander(tr("equity_title", lang)):
        render_fairness(view, run, lang)
    render_scenario_save(view, run, lang)


def render_fairness(view: plan_views.ProgrammeView, run: Run, lang: str) -> None:
    """Coverage of the elderly and children, the Gini and Lorenz curve, the estates."""
    said, groups, lorenz, estates = plan_views.fairness_parts(view, run, lang)
    st.caption(said[0])
    st.dataframe(groups, hide_index=True, key="equity_groups")
    st.write(said[1])
    st.caption(tr("lorenz_chart", lang))
    st.line_chart(**lorenz)
    st.caption(tr("estates_table", lang))
    st.dataframe(estates, hide_index=True, key="equity_estates")


def render_scenario_save(view: plan_views.ProgrammeView, run: Run, lang: str) -> None:
    """Name and save the programme as a scenario; download it."""
    c1, c2, c3 = st.columns([2, 1, 1])
    c1.text_input(tr("scenario_name", lang), key="scenario_name")
    c2.button(
        tr("save_scenario", lang),
        on_click=plan_views.save_scenario,
        args=(ss, run, lang),
        key="save_scenario",
    )
    name = (ss.get("scenario_name") or "").strip() or "scenario"
    c3.download_button(
        tr("download_scenario", lang),
        on_click="ignore",
        data=plan_views.scenario_bytes(plan_views.scenario_of(view, run, name)),
        file_name=tr("file_scenario", lang) + ".toml",
        mime="application/toml",
        key="dl_scenario",
    )
    if ss.get("scenario_message"):
        kind, text = ss.scenario_message
        getattr(st, kind)(text)


def render_comparison(run: Run, lang: str, criteria: Callable[..., Any]) -> None:
    """Open scenario files, pick A and B, and show them side by side with their differences."""
    files = st.file_uploader(
        tr("compare_upload", lang), type=["toml"], accept_multiple_files=True, key="cmp_files"
    )
    for kind, text in plan_views.open_scenarios(
        ss, {f.name: f.getvalue() for f in files or []}, lang
    ):
        getattr(st, kind)(text)
    names = list(ss.scenarios)
    if len(names) < 2:
        st.info(tr("compare_need_two", lang))
        return
    c1, c2 = st.columns(2)
    a = c1.selectbox(tr("scenario_a", lang), names, 0, key="cmp_a", placeholder=tr("choose", lang))
    b = c2.selectbox(tr("scenario_b", lang), names, 1, key="cmp_b", placeholder=tr("choose", lang))
    try:
        view = plan_views.comparison_view(run, ss.scenarios[a], ss.scenarios[b], criteria, lang)
    except PlannerError as exc:
        st.error(error_text(exc, lang))
        return
    for kind, text in view.notes:
        getattr(st, kind)(text)
    for heading, table in view.tables.items():
        st.subheader(heading)
        st.dataframe(table, hide_index=True)
    st.subheader(tr("compare_map", lang))
    st_folium(
        plan_views.comparison_map_for(view, run, lang),
        key="cmp_map",
        height=480,
        use_container_width=True,
        returned_objects=[],
    )
    for spec in plan_views.comparison_downloads(view, run, lang):
        st.download_button(**spec, on_click="ignore")
