"""The planner's app: ``streamlit run streamlit_app.py``.

A thin shell: widgets wired to :mod:`planner` calls. Geometry, scoring, maps, tables and the
report all live in the library (:mod:`planner.app.maps`, :mod:`planner.app.views`,
:mod:`planner.app.uploads`, :mod:`planner.app.report`); nothing here touches a geometry.
"""

from __future__ import annotations

import dataclasses
import json
from functools import partial

import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

import planner
from planner.app import maps, views
from planner.app import report as rep
from planner.app import uploads as proj
from planner.app.i18n import LANGUAGES, criterion_label, md_escape, role_label, tr, use_label
from planner.app.lifecircle_map import life_circle_feature_groups as _life_circle_groups
from planner.config import USES, PlannerConfig
from planner.criteria import CRITERIA
from planner.decision import ahp as _ahp
from planner.decision import allocation as _allocation
from planner.decision import presets as _presets
from planner.decision import selection as _selection
from planner.decision import sensitivity as _sensitivity
from planner.errors import PlannerError
from planner.io.coords import transform_geometries
from planner.io.write import OUTPUT_FORMATS, spreadsheet_text
from planner.layers import ROLES

st.set_page_config(page_title="Urban micro-space planner", layout="wide")
ss = st.session_state
ss.setdefault("project", proj.Project())
ss.setdefault("upload_message", None)
ss.setdefault("selected", None)
ss.setdefault("last_click", None)
ss.setdefault("uploader_round", 0)
DEFAULT = PlannerConfig()
THRESHOLD_INPUTS = {  # key: (min, max, step)
    "pocket_park_min_area_m2": (50.0, 5000.0, 50.0),
    "green_radius_m": (100.0, 1000.0, 50.0),
    "parking_radius_m": (100.0, 1000.0, 50.0),
}

# --- cached library calls --------------------------------------------------------------------


@st.cache_resource(show_spinner=False)
def demo_layers() -> planner.Layers:
    """The demo district, read once per server."""
    return planner.load_demo()


@st.cache_resource(max_entries=8, show_spinner=False)
def criteria_for(load_key: str, settings_key: str, _layers: planner.Layers,
                 _config: PlannerConfig):
    """Measured criteria, once per data load and radius/assumption settings."""
    return planner.compute_criteria(_layers, _config)


# --- callbacks (run before the script, so state is ready when it runs) -----------------------


def _add_upload() -> None:
    lang = ss.get("lang", "zh")
    files = ss.get(f"up_files_{ss.uploader_round}") or []
    if not files:
        ss.upload_message = ("warning", tr("upload_none", lang))
        return
    try:
        layer = proj.read_upload({f.name: f.getvalue() for f in files}, role=ss.up_role,
                                 encoding=ss.get("up_encoding"), crs=ss.get("up_crs"),
                                 coord_system=ss.get("up_coords", "wgs84"),
                                 layer=ss.get("up_layer") or None)
    except PlannerError as exc:
        ss.upload_message = ("error", tr("upload_error", lang, msg=md_escape(exc)))
        return
    except Exception as exc:  # noqa: BLE001 - nothing a user uploads may crash the app
        ss.upload_message = ("error", tr("upload_error", lang,
                                         msg=md_escape(f"{type(exc).__name__}: {exc}")))
        return
    ss.project.add(layer)
    ss.uploader_round += 1  # a fresh uploader for the next layer
    ss.source = "upload"
    ss.selected = None
    said = tr("upload_ok", lang, count=len(layer.frame), role=role_label(layer.role, lang))
    notes = layer.report.get("notes") or []
    if notes:
        said += " " + tr("upload_repairs", lang, notes=md_escape("; ".join(notes)))
    ss.upload_message = ("warning" if notes else "success", said)


def _remove(role: str) -> None:
    ss.project.remove(role)
    ss.selected = None


def _clear_project() -> None:
    ss.project = proj.Project()
    ss.selected = None


def _reset_weights() -> None:
    for use in USES:
        for crit in CRITERIA[use]:
            ss[f"w.{use}.{crit.name}"] = float(DEFAULT.weights(use)[crit.name])


def _apply_ahp(use: str, weights: dict[str, float]) -> None:
    for crit in CRITERIA[use]:
        ss[f"w.{use}.{crit.name}"] = round(float(weights.get(crit.name, 0.0)), 2)


def _apply_preset() -> None:
    name = ss.get("preset")
    if not name:
        return
    p = _presets.PRESETS[name]
    for use, weights in (("pocket_park", p.park_weights), ("parking", p.parking_weights)):
        for crit in CRITERIA[use]:
            ss[f"w.{use}.{crit.name}"] = float(weights.get(crit.name, 0.0))


# --- frame -----------------------------------------------------------------------------------

with st.sidebar:
    lang = st.radio("语言 / Language", list(LANGUAGES), format_func=LANGUAGES.get,
                    key="lang", horizontal=True)
    st.title(tr("app_title", lang))
    st.caption(tr("app_subtitle", lang))

t_map, t_cand, t_data, t_weights, t_down = st.tabs(
    [tr("tab_map", lang), tr("tab_candidates", lang), tr("tab_data", lang),
     tr("tab_weights", lang), tr("tab_downloads", lang)])

# --- Data ------------------------------------------------------------------------------------

with t_data:
    source = st.radio(tr("data_source", lang), ["demo", "upload"], key="source",
                      format_func=lambda s: tr(f"source_{s}", lang), horizontal=True)
    project: proj.Project = ss.project
    if source == "demo":
        st.info(tr("demo_note", lang))
    else:
        with st.container(border=True):
            c1, c2 = st.columns([1, 2])
            c1.selectbox(tr("upload_role", lang), list(ROLES), key="up_role",
                         format_func=lambda r: role_label(r, lang))
            files = c2.file_uploader(tr("upload_files", lang), accept_multiple_files=True,
                                     key=f"up_files_{ss.uploader_round}")
            names = proj.upload_layer_names({f.name: f.getvalue() for f in files or []})
            o1, o2, o3, o4 = st.columns(4)
            if names:
                o1.selectbox(tr("upload_layer", lang), [""] + names, key="up_layer")
            else:
                ss.pop("up_layer", None)
            o2.text_input(tr("upload_encoding", lang), key="up_encoding")
            o3.text_input(tr("upload_crs", lang), key="up_crs")
            o4.selectbox(tr("upload_coords", lang), proj.COORD_SYSTEMS, key="up_coords",
                         format_func=str.upper)
            st.button(tr("upload_button", lang), on_click=_add_upload, type="primary")
        if ss.upload_message:
            kind, text = ss.upload_message
            getattr(st, kind)(text)
        if not project.ready:
            st.warning(tr("need_plots", lang))
        for role, layer in project.layers.items():
            r1, r2 = st.columns([4, 1])
            r1.text(f"{role_label(role, lang)}: {layer.report.get('source', '')} "
                    f"({len(layer.frame)})")
            r2.button(tr("remove_layer", lang), key=f"rm_{role}", on_click=_remove,
                      args=(role,))
        if project.layers:
            st.button(tr("clear_project", lang), on_click=_clear_project)

# which layers this run scores: the demo, or the user's own project (never mixed)
layers = None
load_key = None
if source == "demo":
    layers, load_key = demo_layers(), "demo"
    reports = proj.demo_reports(layers)
elif ss.project.ready:
    layers, load_key = ss.project.to_layers(), ss.project.key
    reports = {r: lay.report for r, lay in ss.project.layers.items()}
else:
    reports = {r: lay.report for r, lay in ss.project.layers.items()}

with t_data:
    if reports:
        st.subheader(tr("layer_summary", lang))
        summary = proj.layer_summary(reports)
        summary["role"] = summary["role"].map(lambda r: role_label(r, lang))
        summary.columns = [tr(f"col_{c}", lang) for c in summary.columns]
        st.dataframe(spreadsheet_text(summary), hide_index=True, width="stretch")

# --- Weights ---------------------------------------------------------------------------------

with t_weights:
    st.caption(tr("weights_note", lang))
    st.selectbox(tr("preset", lang), [""] + list(_presets.PRESETS), key="preset",
                 on_change=_apply_preset,
                 format_func=lambda p: p or tr("preset_custom", lang))
    w_cols = st.columns(2)
    weights: dict[str, dict[str, float]] = {}
    for col, use in zip(w_cols, USES, strict=True):
        with col:
            st.subheader(tr("weights_park" if use == "pocket_park" else "weights_parking",
                            lang))
            weights[use] = {}
            for crit in CRITERIA[use]:
                key = f"w.{use}.{crit.name}"
                ss.setdefault(key, float(DEFAULT.weights(use)[crit.name]))
                weights[use][crit.name] = st.slider(
                    criterion_label(use, crit.name, lang), 0.0, 1.0, step=0.05, key=key,
                    help=crit.rule)
    st.button(tr("reset_weights", lang), on_click=_reset_weights)
    with st.expander(tr("ahp", lang)):
        ahp_use = st.radio(tr("filter_use", lang), USES, key="ahp_use", horizontal=True,
                           format_func=lambda u: use_label(u, lang))
        names = [c.name for c in CRITERIA[ahp_use]]
        labels = [criterion_label(ahp_use, n, lang) for n in names]
        st.caption(tr("ahp_note", lang))
        edited = st.data_editor(pd.DataFrame(1.0, index=labels, columns=labels),
                                key=f"ahp_matrix_{ahp_use}_{lang}")
        matrix = views.reciprocal_matrix(edited)
        matrix.index = matrix.columns = names
        try:
            ahp_result = _ahp.ahp_weights(matrix, max_cr=None)
        except PlannerError as exc:
            st.error(md_escape(exc))
        else:
            st.dataframe(pd.DataFrame({tr("criterion", lang): labels,
                                       tr("weight", lang): ahp_result.weights.to_numpy()}),
                         hide_index=True)
            verdict = tr("ahp_ok" if ahp_result.consistent else "ahp_bad", lang)
            st.caption(tr("ahp_cr", lang, cr=ahp_result.cr, verdict=verdict))
            st.button(tr("ahp_apply", lang), on_click=_apply_ahp,
                      args=(ahp_use, ahp_result.weights.to_dict()),
                      disabled=not ahp_result.consistent)
    st.subheader(tr("thresholds", lang))
    h1, h2 = st.columns(2)
    thresholds = {
        "recommend_min_score": h1.slider(tr("recommend_min_score", lang), 0.0, 1.0,
                                         float(DEFAULT.thresholds.recommend_min_score), 0.05,
                                         key="t.recommend_min_score"),
        "min_stalls": int(h2.number_input(tr("min_stalls", lang), 0, 500,
                                          int(DEFAULT.thresholds.min_stalls), 1,
                                          key="t.min_stalls")),
    }
    for i, (name, (lo, hi, step)) in enumerate(THRESHOLD_INPUTS.items()):
        thresholds[name] = float((h1 if i % 2 else h2).number_input(
            tr(name, lang), lo, hi, float(getattr(DEFAULT.thresholds, name)), step,
            key=f"t.{name}"))
    st.caption(tr("radius_note", lang))

try:
    config = PlannerConfig.from_dict({"weights": weights, "thresholds": thresholds},
                                     source="settings")
except PlannerError as exc:
    with t_weights:
        st.error(md_escape(exc))
    config = PlannerConfig()

# --- scoring: criteria cached per data load, only the weighting reruns -----------------------

result = table = None
if layers is not None:
    cfg = config.to_dict()
    settings_key = json.dumps({"t": cfg["thresholds"], "a": cfg["assumptions"]},
                              sort_keys=True)
    try:
        with st.spinner("…"):
            table = criteria_for(load_key, settings_key, layers, config)
        result = planner.combine(table, config)
    except PlannerError as exc:
        with t_data:
            st.error(tr("scoring_failed", lang, msg=md_escape(exc)))
    except Exception as exc:  # noqa: BLE001 - uploaded data must never crash the app
        table = result = None
        with t_data:
            st.error(tr("scoring_failed", lang,
                        msg=md_escape(f"{type(exc).__name__}: {exc}")))
run_layers = table.layers if table is not None else None
# the model the criteria were measured with: selection, allocation and the report card reuse it
distances = table.distances if table is not None else None
card = lc_report = None
if distances is not None and result is not None:
    try:
        card, lc_report = views.life_circle_card(run_layers, config, result, distances)
    except PlannerError as exc:
        with t_data:
            st.warning(md_escape(exc))

with t_weights:
    if result is not None:
        missing = result.attrs.get("missing_criteria", {})
        if missing:
            st.info(tr("missing_criteria", lang, items="; ".join(
                f"{criterion_label(*k.split('.'), lang)} ({v})" for k, v in missing.items())))
        st.subheader(role_label("constraints", lang))
        if run_layers is not None and run_layers.has("constraints"):
            st.write(tr("constraints_active", lang, n=int(result["excluded"].sum()),
                        k=len(run_layers.constraints)))
        else:
            st.caption(tr("constraints_note", lang))

# --- Map -------------------------------------------------------------------------------------

with t_map:
    if result is None:
        st.info(tr("need_plots", lang))
    else:
        st.caption(views.summary_text(result, lang) + " · " + tr("map_click_hint", lang))
        m1, m2, m3 = st.columns([1, 1, 2])
        color_by = m1.selectbox(tr("color_by", lang), ["use", "park_score", "parking_score"],
                                key="color_by",
                                format_func=lambda c: tr(f"color_{c}", lang))
        basemap = m2.selectbox(tr("basemap", lang), maps.BASEMAP_CHOICES, key="basemap",
                               format_func=lambda b: tr(f"basemap_{b}", lang))
        key_text = url_text = None
        if basemap == "tianditu":
            key_text = m3.text_input(tr("tianditu_key", lang), key="tianditu_key",
                                     type="password")
        elif basemap == "custom":
            url_text = m3.text_input(tr("tile_url", lang), key="tile_url",
                                     placeholder="http://tiles.intranet/{z}/{x}/{y}.png")
        shift = unshift = None
        if basemap == "amap":
            def shift(g):  # noqa: D103 - WGS84 -> GCJ-02 for display
                return transform_geometries(g, source="wgs84", target="gcj02")

            def unshift(g):  # noqa: D103
                return transform_geometries(g, source="gcj02", target="wgs84")
        kwargs = {"lang": lang, "color_by": color_by, "display_shift": shift}
        map_layers, extra = run_layers, []
        if lc_report is not None and basemap != "amap":
            # life circles coloured by their report card (and generated catchments)
            extra = _life_circle_groups(lc_report)
            map_layers = dataclasses.replace(run_layers, life_circles=None)
        elif lc_report is not None and not run_layers.has("life_circles"):
            # Amap needs every layer shifted: generated circles drawn as a plain layer
            map_layers = dataclasses.replace(run_layers,
                                             life_circles=lc_report.circles.circles)
        kwargs["extra_groups"] = extra
        try:
            fmap = maps.build_map(result, map_layers, config, basemap=basemap,
                                  tianditu_key=key_text, tile_url=url_text, **kwargs)
        except maps.MapInputError as exc:
            st.warning(md_escape(exc))
            fmap = maps.build_map(result, map_layers, config, basemap="none", **kwargs)
        catchment = layout = None
        if ss.selected is not None:
            row = result[result["plot_id"].astype(str) == ss.selected].iloc[0]
            radius = (config.thresholds.parking_radius_m if row["recommended_use"] == "parking"
                      else config.thresholds.green_radius_m)
            if distances is not None:
                catchment = views.selected_catchment(result, ss.selected, distances, radius)
            if row["parking_feasible"] or row["recommended_use"] == "parking":
                layout = views.selected_layout(result, ss.selected, run_layers.roads, config)
        overlay = maps.selection_group(result, ss.selected, lang=lang, display_shift=shift,
                                       catchment=catchment,
                                       layout=layout[0] if layout else None)
        out = st_folium(fmap, key="map", height=620, use_container_width=True,
                        returned_objects=["last_object_clicked"],
                        feature_group_to_add=overlay)
        click = (out or {}).get("last_object_clicked")
        if click and click != ss.last_click:
            ss.last_click = click
            hit = maps.plot_at(result, click["lat"], click["lng"], display_unshift=unshift)
            if hit is not None and hit != ss.selected:
                ss.selected = hit
                st.rerun()
        ids = views.candidate_table(result, lang=lang)["plot_id"].tolist()
        if ss.selected not in ids:
            ss.selected = None
        st.selectbox(tr("choose_plot", lang), [None] + ids, key="selected",
                     format_func=lambda p: "—" if p is None else p)
        if ss.selected is None:
            st.caption(tr("selected_none", lang))
        else:
            row = result[result["plot_id"].astype(str) == ss.selected].iloc[0]
            st.subheader(f"{tr('breakdown', lang)}: {ss.selected}")
            st.text(f"{row['name'] if row['name'] == row['name'] else ''}\n"
                    f"{tr('recommended_use', lang)}: {use_label(row['recommended_use'], lang)}"
                    f" · {tr('park_score', lang)} {row['park_score']:.2f}"
                    f" · {tr('parking_score', lang)} {row['parking_score']:.2f}\n"
                    f"{tr('reasons', lang)}: "
                    f"{row['reasons_zh'] if lang == 'zh' else row['reasons']}")
            if catchment is not None:
                st.caption(tr("catchment_note", lang, radius=radius))
            if layout is not None:
                fig = layout[1]
                st.text(tr("layout_figures", lang, stalls=fig["stalls"],
                           accessible=fig["accessible_stalls"], pattern=fig["pattern"],
                           served=f"{fig['demand_served']:.0f}",
                           unmet=f"{fig['unmet_vehicles']:.0f}") if fig["stalls"]
                        else tr("layout_none", lang, reason=fig["reason"]))
            contrib = views.plot_contributions(result, ss.selected, config, lang)
            shown = contrib[["use", "label", "score", "weight", "contribution", "rule"]].copy()
            shown["use"] = shown["use"].map(lambda u: use_label(u, lang))
            shown.columns = [tr(c, lang) for c in ("recommended_use", "criterion", "score",
                                                   "weight", "contribution", "rule")]
            st.dataframe(shown, hide_index=True, width="stretch", key="breakdown_table")

# --- Candidates ------------------------------------------------------------------------------

with t_cand:
    if result is None:
        st.info(tr("need_plots", lang))
    else:
        circles = proj.plots_in_circles(result, run_layers)
        has_circles = bool(circles.notna().any())
        f1, f2, f3, f4 = st.columns(4)
        use = f1.selectbox(tr("filter_use", lang), list(views.USE_FILTERS), key="f_use",
                           format_func=lambda u: tr("all", lang) if u == "all"
                           else use_label(u, lang))
        min_score = f2.slider(tr("filter_min_score", lang), 0.0, 1.0, 0.0, 0.05, key="f_min")
        circle = None
        if has_circles:
            options = [None] + sorted(circles.dropna().unique().tolist())
            circle = f3.selectbox(tr("filter_life_circle", lang), options, key="f_circle",
                                  format_func=lambda c: tr("all", lang) if c is None else c)
        sort_by = f4.selectbox(tr("sort_by", lang), list(views.SORT_KEYS), key="f_sort",
                               format_func=lambda k: tr(k, lang))
        stability = None
        if st.checkbox(tr("sensitivity", lang), key="f_sens"):
            stability = _sensitivity.add_sensitivity(result, table, config)
        table_df = views.candidate_table(result, lang=lang, use=use, min_score=min_score,
                                         life_circle=circle,
                                         circles=circles if has_circles else None,
                                         sort_by=sort_by)
        if stability is not None:
            for col in ("recommendation_stability", "top_k_share"):
                table_df[col] = stability[col].reindex(table_df.index)
        st.caption(tr("n_shown", lang, n=len(table_df), total=len(result)))
        shown = table_df.rename(columns={c: tr(c, lang) for c in table_df.columns
                                         if c != "life_circle"} | {
            "life_circle": tr("life_circle", lang)})
        st.dataframe(spreadsheet_text(shown), hide_index=True, width="stretch",
                     key="candidates_table")
        ch1, ch2 = st.columns(2)
        with ch1:
            st.subheader(tr("chart_distribution", lang))
            hist = views.score_histogram(result)
            hist.columns = [use_label(c, lang) for c in hist.columns]
            st.bar_chart(hist, stack=False)
        with ch2:
            st.subheader(tr("chart_contributions", lang))
            if ss.selected is None:
                st.caption(tr("selected_none", lang))
            else:
                contrib = views.plot_contributions(result, ss.selected, config, lang)
                contrib["series"] = contrib["use"].map(lambda u: use_label(u, lang))
                st.bar_chart(contrib.pivot_table(index="label", columns="series",
                                                 values="contribution", aggfunc="sum"),
                             horizontal=True)

        if card is not None:
            st.subheader(tr("card_title", lang))
            st.dataframe(spreadsheet_text(card.rename(columns={c: tr(c, lang)
                                                               for c in card.columns})),
                         hide_index=True)
        if run_layers is not None and run_layers.has("residential"):
            st.subheader(tr("selection", lang))
            s1, s2, s3 = st.columns(3)
            sel_use = s1.radio(tr("filter_use", lang), USES, key="sel_use",
                               format_func=lambda u: use_label(u, lang))
            k = int(s2.number_input(tr("selection_k", lang), 1, 100, 8, 1, key="sel_k"))
            budget = s3.number_input(tr("selection_budget", lang), 0.0, 1e7, 0.0, 10.0,
                                     key="sel_budget")
            try:
                chosen = _selection.select_sites(
                    result, run_layers, sel_use, k=k, config=config, curve_method="greedy",
                    budget_yuan=budget * 10_000 if budget > 0 else None, distances=distances)
            except PlannerError as exc:
                st.error(md_escape(exc))
            else:
                picked = chosen.plots[chosen.plots["selected"]]
                st.write(tr("selection_result", lang, n=len(picked), covered=chosen.covered,
                            total=chosen.uncovered_before))
                st.caption(tr("coverage_curve", lang))
                curve = chosen.curve.set_index("sites")[["covered_residents"]]
                curve.columns = [tr("covered_residents", lang)]
                st.line_chart(curve)
                st.dataframe(spreadsheet_text(pd.DataFrame({
                    tr("plot_id", lang): picked["plot_id"].astype(str),
                    tr("name", lang): picked["name"],
                    tr("marginal_new_residents", lang): picked["marginal_new_residents"]})),
                    hide_index=True)

        st.subheader(tr("targets", lang))
        a1, a2, a3, a4 = st.columns(4)
        has_pois = run_layers is not None and run_layers.has("pois")
        min_spaces, category = 0, "station"
        if has_pois:  # a parking target needs destinations to be near
            min_spaces = int(a1.number_input(tr("targets_min_spaces", lang), 0, 100_000, 0,
                                             10, key="tg_spaces"))
            category = a2.selectbox(tr("targets_category", lang),
                                    _allocation.POI_CATEGORIES, key="tg_category")
        max_park = a3.number_input(tr("targets_max_park", lang), 0.0, 1e8, 0.0, 1000.0,
                                   key="tg_park")
        budget_t = a4.number_input(tr("targets_budget", lang), 0.0, 1e7, 0.0, 10.0,
                                   key="tg_budget")
        if st.checkbox(tr("targets_run", lang), key="tg_run"):
            try:
                targets = _allocation.Targets(
                    min_parking_spaces=min_spaces, near_category=category,
                    max_park_area_m2=max_park or None,
                    budget_yuan=budget_t * 10_000 if budget_t > 0 else None)
                allocated, summ = _allocation.allocate(result, run_layers, targets,
                                                       config=config, distances=distances)
            except PlannerError as exc:
                st.error(md_escape(exc))
            else:
                st.write(tr("targets_result", lang, park=summ["plots_park"],
                            area=summ["park_area_m2"], parking=summ["plots_parking"],
                            near=summ["parking_spaces_near"], cost=summ["cost_yuan"]))
                chosen_rows = allocated[allocated["allocated_use"] != "none"]
                st.dataframe(spreadsheet_text(pd.DataFrame({
                    tr("plot_id", lang): chosen_rows["plot_id"].astype(str),
                    tr("name", lang): chosen_rows["name"],
                    tr("allocated_use", lang): chosen_rows["allocated_use"].map(
                        lambda u: use_label(u, lang))})), hide_index=True)

# --- Downloads -------------------------------------------------------------------------------

with t_down:
    if result is None:
        st.info(tr("need_plots", lang))
    else:
        # files are made only when their button is pressed (deferred downloads)
        for ext in OUTPUT_FORMATS:
            st.download_button(tr("download_candidates", lang, fmt=ext.lstrip(".").upper()),
                               partial(rep.export_bytes, result, ext),
                               file_name=f"candidates{ext}", key=f"dl{ext}",
                               mime=rep.MIME_TYPES.get(ext, "application/octet-stream"),
                               on_click="ignore")
        st.download_button(tr("download_report", lang),
                           partial(rep.build_report, result, run_layers, config, lang=lang,
                                   synthetic=source == "demo", reports=reports, card=card),
                           file_name="planner_report.html", mime="text/html", key="dl_report",
                           on_click="ignore")
        st.download_button(tr("download_config", lang), rep.config_toml(config),
                           file_name="weights.toml", mime="application/toml", key="dl_config",
                           on_click="ignore")
