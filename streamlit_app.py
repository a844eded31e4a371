"""The planner's app: ``streamlit run streamlit_app.py``.

A thin shell: one ``render_<tab>()`` per tab placing the widgets of :mod:`planner.app.widgets`
and showing what :mod:`planner.app` view functions return; every decision and table is in the
library (docs/app.md, "How the app file is organised").
"""

from __future__ import annotations

import streamlit as st
from streamlit_folium import st_folium

import planner
import streamlit_plan as plan_ui
from planner.app import (
    decision_tools,
    indicator_view,
    map_view,
    plan_views,
    selected,
    state,
    tables,
    weights,
    widgets,
)
from planner.app.i18n import md_escape, tr
from planner.app.report import downloads
from planner.app.run import (
    Run,
    candidates_view,
    error_text,
    life_circles_of,
    run_inputs,
    score_run,
    source_badge,
    weight_notes,
    with_reasons,
)
from planner.config import USES, PlannerConfig
from planner.errors import PlannerError
from planner.messages import localized

TABS = ("map", "candidates", "indicators", "data", "weights", "downloads", "compare")
ss = st.session_state


@st.cache_resource(show_spinner=False)
def demo_layers() -> planner.Layers:
    """The demo district, read once per server."""
    return planner.load_demo()


@st.cache_resource(max_entries=8, show_spinner=False)
def criteria_for(load_key: str, settings_key: str, _layers: planner.Layers, _config: PlannerConfig):
    """Measured criteria, once per data load and radius/assumption settings."""
    return planner.compute_criteria(_layers, _config)


def say(messages: list[tuple[str, str]]) -> None:
    """Show ``(kind, text)`` messages from the library: ``st.error``, ``st.info``, ..."""
    for kind, text in messages:
        getattr(st, kind)(text)


def place(columns: list, inputs: list[widgets.Input]) -> dict:
    """Place each ``(column, element, name, spec)`` input; their values by name."""
    return {name: getattr(columns[col], element)(**spec) for col, element, name, spec in inputs}


def table(frame, **options) -> None:  # noqa: ANN001
    """A data frame without its index."""
    st.dataframe(frame, hide_index=True, **options)


# --- tabs ------------------------------------------------------------------------------------
def render_sidebar() -> str:
    """Language, title and the drop zone of the planner's own data; returns the language."""
    lang = st.sidebar.radio(**widgets.language(ss))
    st.sidebar.title(tr("app_title", lang))
    st.sidebar.caption(tr("app_subtitle", lang))
    files = st.sidebar.file_uploader(**widgets.drop_files(lang, ss))
    bar = st.sidebar.empty()

    def progress(name: str, done: int, total: int) -> None:
        bar.progress(
            done / max(total, 1),
            text=tr("reading_files", lang, name=name, done=done + 1, total=total),
        )

    state.take_drop(ss, files or [], on_progress=progress)
    bar.empty()
    return lang


def render_data(lang: str, config: PlannerConfig) -> Run:
    """Data source, the dropped layers and their roles; scores the run, says what went wrong."""
    source = st.radio(**widgets.data_source(lang))
    if source == "demo":
        st.info(tr("demo_note", lang))
    else:
        render_upload(lang)
    run = run_inputs(source, ss.project, demo_layers, config)
    if run.reports:
        st.subheader(tr("layer_summary", lang))
        table(tables.layer_summary_table(run.reports, lang), width="stretch")
    with st.spinner("…"):  # criteria cached per data load: only the weighting reruns
        say(score_run(run, criteria_for, lang))
    return run


def render_upload(lang: str) -> None:
    """What the last drop gave: each layer with its role for the planner to correct."""
    say(state.upload_notes(ss, lang))
    for name, problem in ss.drop_problems:
        st.error(md_escape(tr("drop_problem", lang, name=name, msg=localized(problem, lang))))
    for name, role, layer in state.drop_rows(ss.project):
        r1, r2 = st.columns([2, 3])
        r1.selectbox(**widgets.layer_role(name, role, lang, ss))
        r2.caption(md_escape(state.layer_text(layer, lang)))
    with st.expander(tr("read_options", lang)):
        place(st.columns(3), widgets.read_options(lang))
    if ss.project.layers:
        st.button(**widgets.clear_button(lang, ss))


def render_badge(run: Run, lang: str) -> None:
    """Above the tabs: whose data the page shows (the demo's or the planner's)."""
    kind, text = source_badge(run, ss.project, lang)
    getattr(BADGE, kind)(text)


def render_weights(lang: str) -> PlannerConfig:
    """Presets, weight sliders, the AHP matrix and thresholds; returns the configuration."""
    st.caption(tr("weights_note", lang))
    st.selectbox(**widgets.preset(lang, ss))
    columns = st.columns(2)
    for col, use in zip(columns, USES, strict=True):
        col.subheader(widgets.weight_heading(use, lang))
    sliders = place(columns, widgets.weight_inputs(lang))
    st.button(**widgets.reset_weights(lang, ss))
    with st.expander(tr("ahp", lang)):
        render_ahp(lang)
    st.subheader(tr("thresholds", lang))
    thresholds = place(st.columns(2), widgets.threshold_inputs(lang))
    st.caption(tr("radius_note", lang))
    config, said = weights.settings_config(weights.weights_from_sliders(sliders), thresholds, lang)
    say(said)
    return config


def render_ahp(lang: str) -> None:
    """A pairwise-comparison matrix per use, its weights and consistency."""
    use = st.radio(**widgets.ahp_use(lang))
    st.caption(tr("ahp_note", lang))
    edited = st.data_editor(weights.ahp_blank(use, lang), key=f"ahp_matrix_{use}_{lang}")
    try:
        shown, said, values = weights.ahp_view(edited, use, lang)
    except PlannerError as exc:
        st.error(error_text(exc, lang))
        return
    table(shown)
    st.caption(said)
    st.button(**widgets.ahp_apply(lang, ss, values))


def render_weight_notes(run: Run, lang: str) -> None:
    """Criteria left out for want of a layer, and the constraints in force."""
    say(weight_notes(run, lang))


def render_map(run: Run, lang: str) -> None:
    """The map (a click selects a plot), and the selected plot's scores and breakdown."""
    st.caption(tables.summary_text(run.result, lang) + " · " + tr("map_click_hint", lang))
    columns = st.columns([1, 1, 2])
    color_by = columns[0].selectbox(**widgets.color_by(lang))
    basemap = columns[1].selectbox(**widgets.basemap(lang))
    typed = place(columns, widgets.basemap_inputs(lang, basemap))
    fmap, warning = map_view.map_for(run, lang, color_by=color_by, basemap=basemap, **typed)
    if warning:
        st.warning(warning)
    overlay, sel = selected.selection_overlay(run, ss.selected, basemap, lang)
    out = st_folium(
        fmap,
        key="map",
        height=620,
        use_container_width=True,
        returned_objects=["last_object_clicked"],
        feature_group_to_add=overlay,
    )
    if state.take_click(ss, out, run.result, basemap):
        st.rerun()
    st.selectbox(**widgets.plot_chooser(lang, state.plot_choices(ss, run.result)))
    row = selected.shown_plot(run, ss.selected, lang)
    if row is None:
        st.caption(tr("selected_none", lang))
        return
    st.subheader(f"{tr('breakdown', lang)}: {ss.selected}")
    st.text(selected.plot_text(row, lang))
    say(selected.plot_notes(sel, lang))
    breakdown = tables.breakdown_table(run.result, ss.selected, run.config, lang)
    table(breakdown, width="stretch", key="breakdown_table")


def render_candidates(run: Run, lang: str) -> None:
    """The filtered, sorted candidate table and its charts, then the decision tools."""
    circles = life_circles_of(run)
    filters = place(st.columns(4), widgets.candidate_filters(lang, circles))
    sensitivity = st.checkbox(tr("sensitivity", lang), key="f_sens")
    said, shown = candidates_view(run, lang, circles, sensitivity=sensitivity, **filters)
    st.caption(said)
    table(shown, width="stretch", key="candidates_table")
    ch1, ch2 = st.columns(2)
    ch1.subheader(tr("chart_distribution", lang))
    ch1.bar_chart(**tables.histogram_chart(run.result, lang), stack=False)
    ch2.subheader(tr("chart_contributions", lang))
    if ss.selected is None:
        ch2.caption(tr("selected_none", lang))
    else:
        chart = tables.contribution_chart(run.result, ss.selected, run.config, lang)
        ch2.bar_chart(**chart, horizontal=True, stack=False)
    if run.layers.has("residential"):
        plan_ui.render_programme(run, lang)
    render_targets(run, lang)


def render_targets(run: Run, lang: str) -> None:
    """One use per plot under targets (spaces near a destination, park area, budget)."""
    st.subheader(tr("targets", lang))
    targets = place(st.columns(4), widgets.target_inputs(lang, run.layers))
    if not st.checkbox(tr("targets_run", lang), key="tg_run"):
        return
    try:
        said, allocated = decision_tools.allocation_view(run, lang, **targets)
    except PlannerError as exc:
        st.error(error_text(exc, lang))
        return
    st.write(said)
    table(allocated)


def render_indicators(run: Run, lang: str) -> None:
    """Life-circle card and 城市体检 indicator card, official and on foot, before and after."""
    say(indicator_view.card_elements(run, lang))


def render_downloads(run: Run, lang: str) -> None:
    """Candidates in every format, the report and the weights; files made on demand."""
    for spec in downloads(
        lambda: with_reasons(run),  # every plot's reasons, once a file is made
        run.layers,
        run.config,
        lang=lang,
        reports=run.reports,
        synthetic=run.shown == "demo",
        card=run.card,
        indicators=indicator_view.card_of(run),
        extra=plan_views.report_extra(ss.get("plan"), run, lang),
    ):
        st.download_button(**spec, on_click="ignore")


def render_compare(run: Run, lang: str) -> None:
    """Two saved scenarios side by side (streamlit_plan.render_comparison)."""
    plan_ui.render_comparison(run, lang, criteria_for)


# --- page: config, state, tab dispatch -------------------------------------------------------

st.set_page_config(page_title="Urban micro-space planner", layout="wide")
for name, value in state.initial_state().items():
    ss.setdefault(name, value)
LANG = render_sidebar()
BADGE = st.empty()
tab = dict(zip(TABS, st.tabs([tr(f"tab_{t}", LANG) for t in TABS]), strict=True))
with tab["weights"]:
    CONFIG = render_weights(LANG)
with tab["data"]:
    RUN = render_data(LANG, CONFIG)
render_badge(RUN, LANG)
with tab["weights"]:
    render_weight_notes(RUN, LANG)
for name, render in (
    ("map", render_map),
    ("candidates", render_candidates),
    ("indicators", render_indicators),
    ("downloads", render_downloads),
    ("compare", render_compare),
):
    with tab[name]:
        if RUN.result is None:
            st.info(tr("no_result", LANG))
        else:
            render(RUN, LANG)
