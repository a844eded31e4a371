"""The planner's app: ``streamlit run streamlit_app.py``.

A thin shell: one ``render_<tab>()`` per tab wiring widgets to :mod:`planner.app` calls; every
decision and table is in the library (docs/app.md, "How the app file is organised").
"""

from __future__ import annotations

import streamlit as st
from streamlit_folium import st_folium

import planner
import streamlit_plan as plan_ui
from planner.app import maps, plan_views, uploads, views
from planner.app.i18n import LANGUAGES, criterion_label, md_escape, role_label, tr, use_label
from planner.app.report import downloads
from planner.config import USES, PlannerConfig
from planner.criteria import CRITERIA
from planner.decision import presets, sensitivity
from planner.errors import PlannerError
from planner.layers import ROLES

TABS = ("map", "candidates", "data", "weights", "downloads", "compare")
ss = st.session_state


@st.cache_resource(show_spinner=False)
def demo_layers() -> planner.Layers:
    """The demo district, read once per server."""
    return planner.load_demo()


@st.cache_resource(max_entries=8, show_spinner=False)
def criteria_for(load_key: str, settings_key: str, _layers: planner.Layers,
                 _config: PlannerConfig):
    """Measured criteria, once per data load and radius/assumption settings."""
    return planner.compute_criteria(_layers, _config)


def say(messages: list[tuple[str, str]]) -> None:
    """Show ``(kind, text)`` messages from the library: ``st.error``, ``st.info``, ..."""
    for kind, text in messages:
        getattr(st, kind)(text)


# --- tabs ------------------------------------------------------------------------------------
def render_sidebar() -> str:
    """Language and title; returns the language."""
    lang = st.sidebar.radio("语言 / Language", list(LANGUAGES), format_func=LANGUAGES.get,
                            key="lang", horizontal=True)
    st.sidebar.title(tr("app_title", lang))
    st.sidebar.caption(tr("app_subtitle", lang))
    return lang


def render_data(lang: str, config: PlannerConfig) -> views.Run:
    """Data source, uploads and the layer table; scores the run and says what went wrong."""
    source = st.radio(tr("data_source", lang), ["demo", "upload"], key="source",
                      format_func=lambda s: tr(f"source_{s}", lang), horizontal=True)
    if source == "demo":
        st.info(tr("demo_note", lang))
    else:
        render_upload(lang)
    run = views.run_inputs(source, ss.project, demo_layers, config)
    if run.reports:
        st.subheader(tr("layer_summary", lang))
        st.dataframe(views.layer_summary_table(run.reports, lang), hide_index=True,
                     width="stretch")
    with st.spinner("…"):  # criteria cached per data load: only the weighting reruns
        said = views.score_run(run, criteria_for, lang)
    say(said)
    return run


def render_upload(lang: str) -> None:
    """The upload form and the project's layers."""
    with st.container(border=True):
        c1, c2 = st.columns([1, 2])
        c1.selectbox(tr("upload_role", lang), list(ROLES), key="up_role",
                     format_func=lambda r: role_label(r, lang))
        files = c2.file_uploader(tr("upload_files", lang), accept_multiple_files=True,
                                 key=f"up_files_{ss.uploader_round}")
        names = uploads.upload_layer_names({f.name: f.getvalue() for f in files or []})
        o1, o2, o3, o4 = st.columns(4)
        if names:
            o1.selectbox(tr("upload_layer", lang), [""] + names, key="up_layer")
        else:
            ss.pop("up_layer", None)
        o2.text_input(tr("upload_encoding", lang), key="up_encoding")
        o3.text_input(tr("upload_crs", lang), key="up_crs")
        o4.selectbox(tr("upload_coords", lang), uploads.COORD_SYSTEMS, key="up_coords",
                     format_func=str.upper)
        st.button(tr("upload_button", lang), on_click=views.add_upload, args=(ss,), type="primary")
    say(views.upload_notes(ss, lang))
    for role, text in views.project_rows(ss.project, lang):
        r1, r2 = st.columns([4, 1])
        r1.text(text)
        r2.button(tr("remove_layer", lang), key=f"rm_{role}", on_click=views.remove_layer,
                  args=(ss, role))
    if ss.project.layers:
        st.button(tr("clear_project", lang), on_click=views.clear_project, args=(ss,))


def render_weights(lang: str) -> PlannerConfig:
    """Presets, weight sliders, the AHP matrix and thresholds; returns the configuration."""
    st.caption(tr("weights_note", lang))
    st.selectbox(tr("preset", lang), [""] + list(presets.PRESETS), key="preset",
                 on_change=views.apply_preset, args=(ss,),
                 format_func=lambda p: p or tr("preset_custom", lang))
    weights: dict[str, dict[str, float]] = {use: {} for use in USES}
    for col, use in zip(st.columns(2), USES, strict=True):
        col.subheader(tr("weights_park" if use == "pocket_park" else "weights_parking", lang))
        for crit in CRITERIA[use]:
            weights[use][crit.name] = col.slider(criterion_label(use, crit.name, lang), 0.0, 1.0,
                                                 step=0.05, key=views.weight_key(use, crit.name),
                                                 help=crit.rule)
    st.button(tr("reset_weights", lang), on_click=ss.update,
              args=(views.default_weights(),))
    with st.expander(tr("ahp", lang)):
        render_ahp(lang)
    st.subheader(tr("thresholds", lang))
    cols, thresholds = st.columns(2), {}
    for name, (col, lo, hi, step) in views.THRESHOLD_INPUTS.items():
        widget = cols[col].slider if name == "recommend_min_score" else cols[col].number_input
        thresholds[name] = widget(tr(name, lang), lo, hi, views.default_threshold(name), step,
                                  key=f"t.{name}")
    st.caption(tr("radius_note", lang))
    config, said = views.settings_config(weights, thresholds)
    say(said)
    return config


def render_ahp(lang: str) -> None:
    """A pairwise-comparison matrix per use, its weights and consistency."""
    use = st.radio(tr("filter_use", lang), USES, key="ahp_use", horizontal=True,
                   format_func=lambda u: use_label(u, lang))
    st.caption(tr("ahp_note", lang))
    edited = st.data_editor(views.ahp_blank(use, lang), key=f"ahp_matrix_{use}_{lang}")
    try:
        table, said, values = views.ahp_view(edited, use, lang)
    except PlannerError as exc:
        st.error(md_escape(exc))
        return
    st.dataframe(table, hide_index=True)
    st.caption(said)
    st.button(tr("ahp_apply", lang), on_click=ss.update, args=(values,), disabled=values is None)


def render_weight_notes(run: views.Run, lang: str) -> None:
    """Criteria left out for want of a layer, and the constraints in force."""
    say(views.weight_notes(run, lang))


def render_map(run: views.Run, lang: str) -> None:
    """The map (a click selects a plot), and the selected plot's scores and breakdown."""
    st.caption(views.summary_text(run.result, lang) + " · " + tr("map_click_hint", lang))
    m1, m2, m3 = st.columns([1, 1, 2])
    color_by = m1.selectbox(tr("color_by", lang), ["use", "park_score", "parking_score"],
                            key="color_by", format_func=lambda c: tr(f"color_{c}", lang))
    basemap = m2.selectbox(tr("basemap", lang), maps.BASEMAP_CHOICES, key="basemap",
                           format_func=lambda b: tr(f"basemap_{b}", lang))
    typed = {}
    if basemap in views.BASEMAP_INPUTS:
        name, options = views.BASEMAP_INPUTS[basemap]
        typed[name] = m3.text_input(tr(name, lang), key=name, **options)
    fmap, warning = views.map_for(run, lang, color_by=color_by, basemap=basemap, **typed)
    if warning:
        st.warning(warning)
    overlay, sel = views.selection_overlay(run, ss.selected, basemap, lang)
    out = st_folium(fmap, key="map", height=620, use_container_width=True,
                    returned_objects=["last_object_clicked"], feature_group_to_add=overlay)
    if views.take_click(ss, out, run.result, basemap):
        st.rerun()
    st.selectbox(tr("choose_plot", lang), views.plot_choices(ss, run.result), key="selected",
                 format_func=lambda p: "—" if p is None else p)
    row = views.selected_plot(run.result, ss.selected)
    if row is None:
        st.caption(tr("selected_none", lang))
        return
    st.subheader(f"{tr('breakdown', lang)}: {ss.selected}")
    st.text(views.plot_text(row, lang))
    say(views.plot_notes(sel, lang))
    st.dataframe(views.breakdown_table(run.result, ss.selected, run.config, lang),
                 hide_index=True, width="stretch", key="breakdown_table")


def render_candidates(run: views.Run, lang: str) -> None:
    """The filtered, sorted candidate table and its charts, then the decision tools."""
    result = run.result
    circles = views.life_circles_of(run)
    f1, f2, f3, f4 = st.columns(4)
    use = f1.selectbox(tr("filter_use", lang), list(views.USE_FILTERS), key="f_use",
                       format_func=lambda u: tr("all", lang) if u == "all" else use_label(u, lang))
    min_score = f2.slider(tr("filter_min_score", lang), 0.0, 1.0, 0.0, 0.05, key="f_min")
    circle = None
    if circles is not None:
        circle = f3.selectbox(tr("filter_life_circle", lang), views.circle_options(circles),
                              key="f_circle",
                              format_func=lambda c: tr("all", lang) if c is None else c)
    sort_by = f4.selectbox(tr("sort_by", lang), list(views.SORT_KEYS), key="f_sort",
                           format_func=lambda k: tr(k, lang))
    stability = (sensitivity.add_sensitivity(result, run.table, run.config)
                 if st.checkbox(tr("sensitivity", lang), key="f_sens") else None)
    table = views.with_stability(views.candidate_table(
        result, lang=lang, use=use, min_score=min_score, life_circle=circle,
        circles=circles, sort_by=sort_by), stability)
    st.caption(tr("n_shown", lang, n=len(table), total=len(result)))
    st.dataframe(views.labelled(table, lang), hide_index=True, width="stretch",
                 key="candidates_table")
    ch1, ch2 = st.columns(2)
    ch1.subheader(tr("chart_distribution", lang))
    ch1.bar_chart(views.histogram_chart(result, lang), stack=False)
    ch2.subheader(tr("chart_contributions", lang))
    if ss.selected is None:
        ch2.caption(tr("selected_none", lang))
    else:
        ch2.bar_chart(views.contribution_chart(result, ss.selected, run.config, lang),
                      horizontal=True)
    if run.card is not None:
        st.subheader(tr("card_title", lang))
        st.dataframe(views.labelled(run.card, lang), hide_index=True)
    if run.layers.has("residential"):
        plan_ui.render_programme(run, lang)
    plan_ui.render_targets(run, lang)


def render_downloads(run: views.Run, lang: str) -> None:
    """Candidates in every format, the report and the weights; files made on demand."""
    for spec in downloads(run.result, run.layers, run.config, lang=lang, reports=run.reports,
                          synthetic=run.source == "demo", card=run.card,
                          extra=plan_views.report_extra(ss.get("plan"), run, lang)):
        st.download_button(**spec, on_click="ignore")


def render_compare(run: views.Run, lang: str) -> None:
    """Two saved scenarios side by side (streamlit_plan.render_comparison)."""
    plan_ui.render_comparison(run, lang, criteria_for)


# --- page: config, state, tab dispatch -------------------------------------------------------

st.set_page_config(page_title="Urban micro-space planner", layout="wide")
for name, value in views.initial_state().items():
    ss.setdefault(name, value)
LANG = render_sidebar()
tab = dict(zip(TABS, st.tabs([tr(f"tab_{t}", LANG) for t in TABS]), strict=True))
with tab["weights"]:
    CONFIG = render_weights(LANG)
with tab["data"]:
    RUN = render_data(LANG, CONFIG)
with tab["weights"]:
    render_weight_notes(RUN, LANG)
for name, render in (("map", render_map), ("candidates", render_candidates),
                     ("compare", render_compare), ("downloads", render_downloads)):
    with tab[name]:
        if RUN.result is None:
            st.info(tr("need_plots", LANG))
        else:
            render(RUN, LANG)
