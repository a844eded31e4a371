"""What the app shows and decides, as plain functions: no streamlit, no HTML.

Tables and chart data take the scored result (:func:`planner.score` / :func:`planner.combine`)
and return a plain DataFrame or Series, so the app and the report show the same numbers. The
app's decisions are here too, each once and unit-tested: money typed in 万元 becomes 元
(:func:`wan_to_yuan`), a plot's catchment radius comes from the config (:func:`catchment_radius_m`),
layers are shifted for a GCJ-02 base map (:func:`display_shifts`), which layers are scored
(:func:`run_inputs`) and how a failure is said (:func:`score_run`). Messages are returned as
``(kind, text)`` pairs (``kind`` a streamlit element: ``"error"``, ``"info"``, ...); session-state
callbacks take any mutable mapping. ``streamlit_app.py`` only places widgets and shows results.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable, Mapping, MutableMapping
from functools import partial
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd

from planner.app.i18n import criterion_label, md_escape, role_label, tr, use_label
from planner.app.lifecircle_map import life_circle_feature_groups
from planner.app.maps import (
    BASEMAPS,
    MapInputError,
    breakdown,
    build_map,
    plot_at,
    selection_group,
)
from planner.app.uploads import (
    Project,
    demo_reports,
    layer_summary,
    plots_in_circles,
    read_upload,
)
from planner.config import USES, PlannerConfig
from planner.criteria import CRITERIA
from planner.decision.ahp import ahp_weights
from planner.decision.allocation import Targets, allocate
from planner.decision.lifecircles import catchments, life_circle_report
from planner.decision.presets import PRESETS
from planner.decision.selection import select_sites
from planner.errors import PlannerError
from planner.io.coords import transform_geometries
from planner.io.write import spreadsheet_text
from planner.layers import Layers
from planner.parking import layout_for
from planner.scoring import combine

#: Columns of the candidate table, in order.
TABLE_COLUMNS = ("rank", "plot_id", "name", "recommended_use", "park_score", "parking_score",
                 "area_m2", "est_parking_spaces", "life_circle", "reasons")
#: Use filter values.
USE_FILTERS = ("all", "pocket_park", "parking", "none")
#: Sort keys of the candidate table (column, ascending).
SORT_KEYS: dict[str, tuple[str, bool]] = {
    "rank": ("rank", True), "park_score": ("park_score", False),
    "parking_score": ("parking_score", False), "area_m2": ("area_m2", False)}


def best_score(result: pd.DataFrame) -> pd.Series:
    """The score of the recommended use, else the better of the two (0–1)."""
    park = result["park_score"].astype(float)
    parking = result["parking_score"].astype(float)
    use = result["recommended_use"].astype(str)
    return pd.Series(np.where(use == "pocket_park", park,
                              np.where(use == "parking", parking, np.maximum(park, parking))),
                     index=result.index, name="best_score")


def candidate_table(result: pd.DataFrame, *, lang: str = "zh", use: str = "all",
                    min_score: float = 0.0, life_circle: str | None = None,
                    circles: pd.Series | None = None, sort_by: str = "rank") -> pd.DataFrame:
    """The ranked candidate table, filtered and sorted, with labels in ``lang``.

    Parameters
    ----------
    result : DataFrame
        Scored plots.
    use : {"all", "pocket_park", "parking", "none"}
        Keep plots recommended for this use.
    min_score : float
        Keep plots whose :func:`best_score` is at least this.
    life_circle : str, optional
        Keep plots in this life circle (needs ``circles``).
    circles : Series, optional
        Life-circle name per plot (:func:`planner.app.uploads.plots_in_circles`).
    sort_by : {"rank", "park_score", "parking_score", "area_m2"}
        Sort key.

    Returns
    -------
    DataFrame
        Columns :data:`TABLE_COLUMNS` (``life_circle`` only when ``circles`` is given);
        ``recommended_use`` as a label, ``reasons`` in ``lang``. Text is left as data: the
        caller shows it as text.
    """
    if use not in USE_FILTERS:
        raise ValueError(f"unknown use filter '{use}'; use one of {', '.join(USE_FILTERS)}")
    if sort_by not in SORT_KEYS:
        raise ValueError(f"unknown sort key '{sort_by}'; use one of {', '.join(SORT_KEYS)}")
    keep = best_score(result) >= float(min_score)
    if use != "all":
        keep &= result["recommended_use"].astype(str) == use
    table = pd.DataFrame({
        "rank": result["rank"], "plot_id": result["plot_id"].astype(str),
        "name": result["name"].astype("string") if "name" in result else pd.NA,
        "recommended_use": result["recommended_use"].astype(str).map(
            lambda u: use_label(u, lang)),
        "park_score": result["park_score"].astype(float),
        "parking_score": result["parking_score"].astype(float),
        "area_m2": result["area_m2"].astype(float),
        "est_parking_spaces": result["est_parking_spaces"],
        "reasons": result["reasons_zh" if lang == "zh" else "reasons"],
    }, index=result.index)
    if circles is not None:
        table.insert(8, "life_circle", circles.reindex(result.index))
        if life_circle is not None:
            keep &= (circles.reindex(result.index) == life_circle).fillna(False).to_numpy()
    col, ascending = SORT_KEYS[sort_by]
    out = table[keep.to_numpy()]
    return out.sort_values([col, "rank"], ascending=[ascending, True], kind="stable")


def use_counts(result: pd.DataFrame) -> dict[str, int]:
    """How many plots are recommended for each use (``pocket_park``, ``parking``, ``none``)."""
    counts = result["recommended_use"].astype(str).value_counts()
    return {u: int(counts.get(u, 0)) for u in ("pocket_park", "parking", "none")}


def summary_text(result: pd.DataFrame, lang: str) -> str:
    """One sentence: how many pocket parks, car parks and plots without a recommendation."""
    c = use_counts(result)
    return tr("summary_counts", lang, park=c["pocket_park"], parking=c["parking"],
              none=c["none"])


def score_histogram(result: pd.DataFrame, bins: int = 10) -> pd.DataFrame:
    """Plots per score class (``bins`` equal classes of 0–1) for both uses.

    Returns
    -------
    DataFrame
        Index the class label (``0.0–0.1`` ...), columns ``pocket_park`` and ``parking``.
    """
    edges = np.linspace(0.0, 1.0, bins + 1)
    labels = [f"{edges[i]:.1f}–{edges[i + 1]:.1f}" for i in range(bins)]
    out = {}
    for use, col in (("pocket_park", "park_score"), ("parking", "parking_score")):
        v = result[col].astype(float).clip(0, 1).to_numpy()
        idx = np.clip(np.floor(v * bins).astype(int), 0, bins - 1)
        out[use] = np.bincount(idx, minlength=bins)
    return pd.DataFrame(out, index=pd.Index(labels, name="score"))


def plot_contributions(result: pd.DataFrame, plot_id: str, config: PlannerConfig,
                       lang: str = "zh") -> pd.DataFrame:
    """The selected plot's criteria: label, score, weight and contribution, by use.

    Returns
    -------
    DataFrame
        Columns ``use``, ``criterion``, ``label``, ``score``, ``weight``, ``contribution``,
        ``rule``; empty when ``plot_id`` is not in ``result``.
    """
    rows = result[result["plot_id"].astype(str) == str(plot_id)]
    long = breakdown(rows, config, lang)
    return long.drop(columns="row").reset_index(drop=True)


def reciprocal_matrix(judgements: pd.DataFrame) -> pd.DataFrame:
    """A pairwise comparison matrix from its upper triangle (AHP input as people edit it).

    The cells above the diagonal say how much more important the row criterion is than the
    column one (Saaty's 1–9 scale, fractions as decimals); the diagonal becomes 1 and each cell
    below it the reciprocal of its mirror. Non-positive or missing judgements become 1 (equal).
    """
    a = judgements.apply(pd.to_numeric, errors="coerce").to_numpy(dtype=float)
    n = a.shape[0]
    upper = np.triu(np.where(np.isfinite(a) & (a > 0), a, 1.0), 1)
    iu = np.triu_indices(n, 1)
    full = np.eye(n)
    full[iu] = upper[iu]
    full[iu[1], iu[0]] = 1.0 / upper[iu]
    return pd.DataFrame(full, index=judgements.index, columns=judgements.columns)


# --- capabilities of other modules, used when they are installed -----------------------------

#: Report-card columns shown, before → after (see planner.decision.lifecircles).
CARD_COLUMNS = ("residents", "new_pocket_parks", "new_parking_plots", "share_green_300m",
                "share_green_300m_after", "share_park_500m", "share_park_500m_after",
                "park_area_per_resident_m2", "park_area_per_resident_m2_after",
                "parking_supply", "parking_supply_after", "flags", "flags_after")


def _selected_row(result: gpd.GeoDataFrame, plot_id: str) -> gpd.GeoDataFrame:
    return result[result["plot_id"].astype(str) == str(plot_id)]


def selected_catchment(result: gpd.GeoDataFrame, plot_id: str, distances: object,
                       radius_m: float) -> gpd.GeoDataFrame | None:
    """Walking catchment (``radius_m`` along the network) of the selected plot.

    Uses :func:`planner.decision.lifecircles.catchments` from a point inside the plot; ``None`` when
    the plot is unknown.
    """
    row = _selected_row(result, plot_id)
    if len(row) == 0:
        return None
    centre = row.geometry.representative_point().reset_index(drop=True)
    return catchments(centre, distances, {0: float(radius_m)})


def selected_layout(result: gpd.GeoDataFrame, plot_id: str, roads: gpd.GeoDataFrame | None,
                    config: PlannerConfig) -> tuple[gpd.GeoDataFrame, dict] | None:
    """Stall layout of the selected plot for the map, and its figures.

    Uses :func:`planner.parking.layout_for`; returns ``(frame, figures)`` where ``frame``
    holds the stalls and aisles with ``kind`` and ``stalls`` columns and ``figures`` the stall
    counts, pattern, reason and the unmet demand the stalls would serve; ``None`` when the
    plot is unknown.
    """
    row = _selected_row(result, plot_id)
    if len(row) == 0:
        return None
    lay = layout_for(row.geometry.iloc[0], roads, config, crs=result.crs)
    stalls = lay.stall_geoms.assign(
        kind=np.where(lay.stall_geoms.get("accessible", False), "accessible stall 无障碍车位",
                      "stall 车位"), stalls=1)
    aisles = lay.aisle_geoms.assign(kind="aisle 通道", stalls=np.nan)
    frame = pd.concat([stalls[["kind", "stalls", "geometry"]],
                       aisles[["kind", "stalls", "geometry"]]], ignore_index=True)
    unmet = float(row["unmet_vehicles_300m"].iloc[0]) if "unmet_vehicles_300m" in row else np.nan
    served = min(lay.stalls, unmet) if unmet == unmet else np.nan
    figures = {"stalls": lay.stalls, "accessible_stalls": lay.accessible_stalls,
               "pattern": lay.pattern, "reason": lay.reason, "unmet_vehicles": unmet,
               "demand_served": served}
    return gpd.GeoDataFrame(frame, geometry="geometry", crs=result.crs), figures


def life_circle_card(layers: object, config: PlannerConfig, result: gpd.GeoDataFrame,
                     distances: object) -> tuple[pd.DataFrame, object]:
    """Life-circle report card before and after the recommended conversions.

    Uses :func:`planner.decision.lifecircles.life_circle_report`. Returns ``(card, report)``: the
    card's columns are ``circle`` then :data:`CARD_COLUMNS` (those present); ``report`` is the
    :class:`planner.decision.lifecircles.LifeCircleReport` (its circles, generated ones when no
    life-circle layer was given, and catchments, for the map).
    """
    report = life_circle_report(layers, config, scored=result, distances=distances)
    card = report.card
    name = card["circle_name"] if "circle_name" in card else card["circle_id"]
    out = pd.DataFrame({"circle": name.astype(str).to_numpy()})
    for c in CARD_COLUMNS:
        if c in card:
            out[c] = card[c].to_numpy()
    return out, report


# --- decisions the app used to make itself: units, radii, base-map shift, cache keys ---------

#: 元 per 万元: the app asks for money in 万元 (ten thousand yuan); the library counts 元.
YUAN_PER_WAN = 10_000
#: Threshold inputs of the weights tab: key -> (column, min, max, step); integer bounds make an
#: integer input (the first is a slider, the rest number inputs).
THRESHOLD_INPUTS: dict[str, tuple[int, float, float, float]] = {
    "recommend_min_score": (0, 0.0, 1.0, 0.05),
    "min_stalls": (1, 0, 500, 1),
    "pocket_park_min_area_m2": (1, 50.0, 5000.0, 50.0),
    "green_radius_m": (0, 100.0, 1000.0, 50.0),
    "parking_radius_m": (1, 100.0, 1000.0, 50.0),
}
#: Base maps that need a text input (a key, a tile URL): map_for keyword, text_input options.
BASEMAP_INPUTS: dict[str, tuple[str, dict[str, str]]] = {
    "tianditu": ("tianditu_key", {"type": "password"}),
    "custom": ("tile_url", {"placeholder": "http://tiles.intranet/{z}/{x}/{y}.png"}),
}
Shift = Callable[[Any], Any]


def default_threshold(name: str) -> float | int:
    """The default of a threshold input, of its input's type (:data:`THRESHOLD_INPUTS`)."""
    return type(THRESHOLD_INPUTS[name][1])(getattr(PlannerConfig().thresholds, name))


def wan_to_yuan(wan: float) -> float | None:
    """A budget typed in 万元 as 元 for the library; ``None`` (no budget) when not positive."""
    return float(wan) * YUAN_PER_WAN if wan > 0 else None


def catchment_radius_m(use: str, config: PlannerConfig) -> float:
    """Walking radius of a plot's catchment: the parking walk for a car park, else green space."""
    t = config.thresholds
    return float(t.parking_radius_m if use == "parking" else t.green_radius_m)


def display_shifts(basemap: str) -> tuple[Shift | None, Shift | None]:
    """``(shift, unshift)`` of geometries for a base map drawn in another coordinate system.

    Layers are WGS84; a base map in GCJ-02 (Amap) needs every layer shifted for display, and a
    click on it shifted back. ``(None, None)`` for a WGS84 base map (or none, or a custom one).
    """
    system = BASEMAPS[basemap].coord_system if basemap in BASEMAPS else "wgs84"
    if system == "wgs84":
        return None, None
    return (partial(transform_geometries, source="wgs84", target=system),
            partial(transform_geometries, source=system, target="wgs84"))


def map_layers(layers: Layers, lc_report: object | None, basemap: str) -> tuple[Layers, list]:
    """The layers to draw and the extra folium groups, given the life-circle report card.

    With a report and an unshifted base map, life circles are drawn coloured by the card (with
    generated circles and catchments) instead of as a plain layer; a shifted base map needs every
    layer shifted, so generated circles become the plain life-circle layer there.
    """
    if lc_report is None:
        return layers, []
    if display_shifts(basemap)[0] is None:
        return (dataclasses.replace(layers, life_circles=None),
                life_circle_feature_groups(lc_report))
    if not layers.has("life_circles"):
        return dataclasses.replace(layers, life_circles=lc_report.circles.circles), []
    return layers, []


def map_for(run: Run, lang: str, *, color_by: str, basemap: str,
            tianditu_key: str | None = None, tile_url: str | None = None
            ) -> tuple[Any, str | None]:
    """The run's folium map, and a warning when its base map could not be used.

    A base-map option that is wrong (no Tianditu key, a bad tile URL) gives the map with no
    base map and the reason, escaped; layers are shifted for display by :func:`display_shifts`
    and life circles drawn as :func:`map_layers` decides.
    """
    layers, extra = map_layers(run.layers, run.lc_report, basemap)
    kwargs = {"lang": lang, "color_by": color_by, "display_shift": display_shifts(basemap)[0],
              "extra_groups": extra}
    try:
        return build_map(run.result, layers, run.config, basemap=basemap,
                         tianditu_key=tianditu_key, tile_url=tile_url, **kwargs), None
    except MapInputError as exc:
        return build_map(run.result, layers, run.config, basemap="none", **kwargs), md_escape(exc)


def settings_key(config: PlannerConfig) -> str:
    """The settings that change measured criteria (thresholds, assumptions) as a cache key."""
    cfg = config.to_dict()
    return json.dumps({"t": cfg["thresholds"], "a": cfg["assumptions"]}, sort_keys=True)


def settings_config(weights: dict, thresholds: dict
                    ) -> tuple[PlannerConfig, list[tuple[str, str]]]:
    """The configuration of the weights tab; on a bad setting the defaults and an error to say.

    Returns ``(config, messages)``, messages ``(kind, text)``: empty, or the (escaped) reason
    the settings could not be used while the defaults stand in.
    """
    try:
        return PlannerConfig.from_dict({"weights": weights, "thresholds": thresholds},
                                       source="settings"), []
    except PlannerError as exc:
        return PlannerConfig(), [("error", md_escape(exc))]


def error_text(exc: BaseException) -> str:
    """An exception as escaped text: a :class:`PlannerError`'s message, else with its type."""
    return md_escape(exc if isinstance(exc, PlannerError) else f"{type(exc).__name__}: {exc}")


# --- weight sliders: defaults, presets, AHP --------------------------------------------------


def weight_key(use: str, criterion: str) -> str:
    """The widget key of a weight slider."""
    return f"w.{use}.{criterion}"


def weight_values(weights: Mapping[str, Mapping[str, float]], *, digits: int | None = None
                  ) -> dict[str, float]:
    """Slider values by widget key for every criterion (0 where ``weights`` has none)."""
    out = {}
    for use in USES:
        for crit in CRITERIA[use]:
            w = float(weights.get(use, {}).get(crit.name, 0.0))
            out[weight_key(use, crit.name)] = round(w, digits) if digits is not None else w
    return out


def default_weights() -> dict[str, float]:
    """The default weight of every slider."""
    cfg = PlannerConfig()
    return weight_values({use: cfg.weights(use) for use in USES})


def preset_weights(name: str) -> dict[str, float]:
    """Every slider's value under the preset ``name`` (:data:`planner.decision.presets.PRESETS`)."""
    p = PRESETS[name]
    return weight_values({"pocket_park": p.park_weights, "parking": p.parking_weights})


def ahp_slider_values(use: str, weights: Mapping[str, float]) -> dict[str, float]:
    """The sliders of ``use`` set to AHP weights, rounded to the sliders' 0.01."""
    return {k: v for k, v in weight_values({use: weights}, digits=2).items()
            if k.startswith(f"w.{use}.")}


def ahp_blank(use: str, lang: str) -> pd.DataFrame:
    """The AHP matrix to edit: all judgements equal (1), criteria labelled in ``lang``."""
    labels = [criterion_label(use, c.name, lang) for c in CRITERIA[use]]
    return pd.DataFrame(1.0, index=labels, columns=labels)


def ahp_view(judgements: pd.DataFrame, use: str, lang: str
             ) -> tuple[pd.DataFrame, str, dict[str, float] | None]:
    """AHP over an edited matrix: weights table, consistency sentence, slider values.

    The slider values are ``None`` when the judgements are not consistent enough to use
    (CR > 0.10). Raises :class:`PlannerError` when the matrix cannot be weighed.
    """
    matrix = reciprocal_matrix(judgements)
    matrix.index = matrix.columns = [c.name for c in CRITERIA[use]]
    found = ahp_weights(matrix, max_cr=None)
    said = tr("ahp_cr", lang, cr=found.cr,
              verdict=tr("ahp_ok" if found.consistent else "ahp_bad", lang))
    values = ahp_slider_values(use, found.weights.to_dict()) if found.consistent else None
    return ahp_table(use, found.weights, lang), said, values


def ahp_table(use: str, weights: pd.Series, lang: str) -> pd.DataFrame:
    """AHP weights per criterion with labels in ``lang``."""
    return pd.DataFrame({tr("criterion", lang): [criterion_label(use, n, lang)
                                                 for n in weights.index],
                         tr("weight", lang): weights.to_numpy()})


# --- one run: its layers, scoring and what went wrong ----------------------------------------


@dataclasses.dataclass
class Run:
    """One run of the app: the layers scored, how they were read, and what came of them."""

    source: str
    layers: Layers | None = None
    load_key: str | None = None
    reports: dict = dataclasses.field(default_factory=dict)
    config: PlannerConfig = dataclasses.field(default_factory=PlannerConfig)
    table: Any = None
    result: gpd.GeoDataFrame | None = None
    card: pd.DataFrame | None = None
    lc_report: Any = None
    #: The layers as read (before the criteria prepared them): scenarios with other
    #: settings are measured from these.
    source_layers: Layers | None = None

    @property
    def distances(self) -> object | None:
        """The walking model the criteria were measured with (selection and cards reuse it)."""
        return self.table.distances if self.table is not None else None


def run_inputs(source: str, project: Any, demo: Callable[[], Layers],
               config: PlannerConfig | None = None) -> Run:
    """The layers scored this run: the demo or the user's project, never mixed.

    No layers until the project has plots (its layers are still reported).
    """
    config = config or PlannerConfig()
    if source == "demo":
        layers = demo()
        return Run(source, layers, "demo", demo_reports(layers), config)
    reports = {r: lay.report for r, lay in project.layers.items()}
    if not project.ready:
        return Run(source, reports=reports, config=config)
    return Run(source, project.to_layers(), project.key, reports, config)


def score_run(run: Run, criteria: Callable[..., Any], lang: str) -> list[tuple[str, str]]:
    """Score ``run`` in place; the ``(kind, escaped text)`` messages to show, if any.

    ``criteria(load_key, settings_key, layers, config)`` measures the criteria (the app caches
    it per data load); only the weighting reruns when weights change. Nothing raised by user
    data escapes: a failure leaves ``run.result`` ``None`` and says why. ``run.layers`` becomes
    the layers the criteria were measured on (``None`` without criteria), and with the walking
    network the life-circle report card is made.
    """
    said: list[tuple[str, str]] = []
    if run.layers is None:
        return said
    run.source_layers = run.layers
    try:
        run.table = criteria(run.load_key, settings_key(run.config), run.layers, run.config)
        run.result = combine(run.table, run.config)
    except Exception as exc:  # noqa: BLE001 - uploaded data must never crash the app
        if not isinstance(exc, PlannerError):
            run.table = None
        run.result = None
        said.append(("error", tr("scoring_failed", lang, msg=error_text(exc))))
    run.layers = run.table.layers if run.table is not None else None
    if run.distances is not None and run.result is not None:
        try:
            run.card, run.lc_report = life_circle_card(run.layers, run.config, run.result,
                                                       run.distances)
        except PlannerError as exc:
            said.append(("warning", md_escape(exc)))
    return said


# --- what each tab shows, as text and tables -------------------------------------------------


def labelled(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """``frame`` with every column heading in ``lang``, text cells kept as text."""
    return spreadsheet_text(frame.rename(columns=lambda c: tr(c, lang)))


def layer_summary_table(reports: Mapping[str, Mapping[str, Any]], lang: str) -> pd.DataFrame:
    """The data tab's layer table with role names and headings in ``lang``."""
    summary = layer_summary(reports)
    summary["role"] = summary["role"].map(lambda r: role_label(r, lang))
    summary.columns = [tr(f"col_{c}", lang) for c in summary.columns]
    return spreadsheet_text(summary)


def upload_message(layer: Any, lang: str) -> tuple[str, str]:
    """``(kind, text)`` after an upload: success, or a warning listing the repairs made."""
    said = tr("upload_ok", lang, count=len(layer.frame), role=role_label(layer.role, lang))
    notes = layer.report.get("notes") or []
    if notes:
        said += " " + tr("upload_repairs", lang, notes=md_escape("; ".join(notes)))
    return ("warning" if notes else "success"), said


def upload_notes(state: Mapping[str, Any], lang: str) -> list[tuple[str, str]]:
    """``(kind, text)`` under the upload form: how the last upload went, whether plots lack."""
    said = [state["upload_message"]] if state.get("upload_message") else []
    return said + ([] if state["project"].ready else [("warning", tr("need_plots", lang))])


def project_rows(project: Any, lang: str) -> list[tuple[str, str]]:
    """``(role, text)`` per layer of the project: role, source and feature count."""
    return [(role, f"{role_label(role, lang)}: {layer.report.get('source', '')} "
                   f"({len(layer.frame)})") for role, layer in project.layers.items()]


def missing_criteria_text(result: pd.DataFrame, lang: str) -> str | None:
    """Criteria left out for want of a layer, as one sentence; ``None`` when none are."""
    missing = result.attrs.get("missing_criteria", {})
    if not missing:
        return None
    return tr("missing_criteria", lang, items="; ".join(
        f"{criterion_label(*k.split('.'), lang)} ({v})" for k, v in missing.items()))


def constraints_text(run: Run, lang: str) -> tuple[str, str]:
    """``(kind, text)``: how many plots the constraints exclude, or that none are given."""
    if run.layers is not None and run.layers.has("constraints"):
        return "write", tr("constraints_active", lang, n=int(run.result["excluded"].sum()),
                           k=len(run.layers.constraints))
    return "caption", tr("constraints_note", lang)


def weight_notes(run: Run, lang: str) -> list[tuple[str, str]]:
    """``(kind, text)`` under the weights: criteria left out for want of a layer, constraints."""
    if run.result is None:
        return []
    missing = missing_criteria_text(run.result, lang)
    return [*([("info", missing)] if missing else []),
            ("subheader", role_label("constraints", lang)), constraints_text(run, lang)]


def selected_plot(result: pd.DataFrame, plot_id: str | None) -> pd.Series | None:
    """The scored row of ``plot_id``; ``None`` when nothing (or an unknown plot) is selected."""
    rows = result[result["plot_id"].astype(str) == str(plot_id)] if plot_id is not None else []
    return rows.iloc[0] if len(rows) else None


def selection_extras(result: gpd.GeoDataFrame, plot_id: str | None, layers: Layers,
                     config: PlannerConfig, distances: object | None) -> dict[str, Any]:
    """What the map shows for the selected plot, by name; ``None`` where it does not apply.

    ``radius_m`` the catchment radius (:func:`catchment_radius_m`), ``catchment`` the walking
    catchment (needs the network ``distances``), ``layout`` ``(frame, figures)`` when the plot
    could hold parking.
    """
    out: dict[str, Any] = {"catchment": None, "radius_m": None, "layout": None}
    row = selected_plot(result, plot_id)
    if row is None:
        return out
    out["radius_m"] = catchment_radius_m(row["recommended_use"], config)
    if distances is not None:
        out["catchment"] = selected_catchment(result, plot_id, distances, out["radius_m"])
    if row["parking_feasible"] or row["recommended_use"] == "parking":
        out["layout"] = selected_layout(result, plot_id, layers.roads, config)
    return out


def selection_overlay(run: Run, plot_id: str | None, basemap: str, lang: str
                      ) -> tuple[list, dict[str, Any]]:
    """The selected plot's map overlay (outline, catchment, layout) and :func:`selection_extras`.

    Drawn over the map without redrawing it, shifted as the base map needs.
    """
    sel = selection_extras(run.result, plot_id, run.layers, run.config, run.distances)
    overlay = selection_group(run.result, plot_id, lang=lang,
                              display_shift=display_shifts(basemap)[0],
                              catchment=sel["catchment"],
                              layout=sel["layout"][0] if sel["layout"] else None)
    return overlay, sel


def plot_text(row: pd.Series, lang: str) -> str:
    """The selected plot in three lines: name, recommended use and scores, reasons."""
    name = row["name"] if row["name"] == row["name"] else ""
    return (f"{name}\n"
            f"{tr('recommended_use', lang)}: {use_label(row['recommended_use'], lang)}"
            f" · {tr('park_score', lang)} {row['park_score']:.2f}"
            f" · {tr('parking_score', lang)} {row['parking_score']:.2f}\n"
            f"{tr('reasons', lang)}: {row['reasons_zh'] if lang == 'zh' else row['reasons']}")


def layout_text(figures: Mapping[str, Any], lang: str) -> str:
    """The selected plot's parking layout in one line, or why there is none."""
    if not figures["stalls"]:
        return tr("layout_none", lang, reason=figures["reason"])
    return tr("layout_figures", lang, stalls=figures["stalls"],
              accessible=figures["accessible_stalls"], pattern=figures["pattern"],
              served=f"{figures['demand_served']:.0f}", unmet=f"{figures['unmet_vehicles']:.0f}")


def plot_notes(selected: Mapping[str, Any], lang: str) -> list[tuple[str, str]]:
    """``(kind, text)`` under the selected plot: its catchment radius and parking layout."""
    out = []
    if selected["catchment"] is not None:
        out.append(("caption", tr("catchment_note", lang, radius=selected["radius_m"])))
    if selected["layout"] is not None:
        out.append(("text", layout_text(selected["layout"][1], lang)))
    return out


def breakdown_table(result: pd.DataFrame, plot_id: str, config: PlannerConfig, lang: str
                    ) -> pd.DataFrame:
    """The selected plot's breakdown as shown under the map, headings in ``lang``."""
    shown = plot_contributions(result, plot_id, config, lang)[
        ["use", "label", "score", "weight", "contribution", "rule"]].copy()
    shown["use"] = shown["use"].map(lambda u: use_label(u, lang))
    shown.columns = [tr(c, lang) for c in ("recommended_use", "criterion", "score", "weight",
                                           "contribution", "rule")]
    return shown


def contribution_chart(result: pd.DataFrame, plot_id: str, config: PlannerConfig, lang: str
                       ) -> pd.DataFrame:
    """Contribution per criterion label (rows) and use (columns) for a bar chart."""
    contrib = plot_contributions(result, plot_id, config, lang)
    contrib["series"] = contrib["use"].map(lambda u: use_label(u, lang))
    return contrib.pivot_table(index="label", columns="series", values="contribution",
                               aggfunc="sum")


def histogram_chart(result: pd.DataFrame, lang: str) -> pd.DataFrame:
    """:func:`score_histogram` with the uses labelled in ``lang``."""
    hist = score_histogram(result)
    hist.columns = [use_label(c, lang) for c in hist.columns]
    return hist


def with_stability(table: pd.DataFrame, stability: pd.DataFrame | None) -> pd.DataFrame:
    """The candidate table with each plot's recommendation stability, when it was measured."""
    if stability is None:
        return table
    cols = ["recommendation_stability", "top_k_share"]
    return table.assign(**{c: stability[c].reindex(table.index) for c in cols})


def life_circles_of(run: Run) -> pd.Series | None:
    """The life circle of each plot, for the table's filter; ``None`` when no plot is in one."""
    circles = plots_in_circles(run.result, run.layers)
    return circles if bool(circles.notna().any()) else None


def circle_options(circles: pd.Series) -> list[str | None]:
    """Life-circle filter options: all (``None``), then every circle a plot is in, sorted."""
    return [None, *sorted(circles.dropna().unique().tolist())]


def coverage_curve(chosen: Any, lang: str) -> pd.DataFrame:
    """Residents newly covered by number of sites, for a line chart."""
    curve = chosen.curve.set_index("sites")[["covered_residents"]]
    curve.columns = [tr("covered_residents", lang)]
    return curve


def selection_table(chosen: Any, lang: str) -> pd.DataFrame:
    """The chosen sites: id, name and the residents each newly serves."""
    picked = chosen.plots[chosen.plots["selected"]]
    return spreadsheet_text(pd.DataFrame({
        tr("plot_id", lang): picked["plot_id"].astype(str), tr("name", lang): picked["name"],
        tr("marginal_new_residents", lang): picked["marginal_new_residents"]}))


def site_selection(run: Run, use: str, k: int, budget_wan: float, lang: str
                   ) -> tuple[str, pd.DataFrame, pd.DataFrame]:
    """Greedy budgeted choice of ``k`` sites: summary sentence, coverage curve, chosen sites.

    Uses :func:`planner.decision.selection.select_sites` with the run's walking model; the
    budget is in 万元 (none when 0). Raises :class:`PlannerError` when no choice can be made.
    """
    chosen = select_sites(run.result, run.layers, use, k=k, config=run.config,
                          curve_method="greedy", budget_yuan=wan_to_yuan(budget_wan),
                          distances=run.distances)
    said = tr("selection_result", lang, n=int(chosen.plots["selected"].sum()),
              covered=chosen.covered, total=chosen.uncovered_before)
    return said, coverage_curve(chosen, lang), selection_table(chosen, lang)


def allocation_table(allocated: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Plots given a use by the targets: id, name and the use in ``lang``."""
    rows = allocated[allocated["allocated_use"] != "none"]
    return spreadsheet_text(pd.DataFrame({
        tr("plot_id", lang): rows["plot_id"].astype(str), tr("name", lang): rows["name"],
        tr("allocated_use", lang): rows["allocated_use"].map(lambda u: use_label(u, lang))}))


def allocation_view(run: Run, lang: str, *, min_spaces: int, category: str,
                    max_park_m2: float, budget_wan: float) -> tuple[str, pd.DataFrame]:
    """One use per plot under the targets: summary sentence and the plots given a use.

    ``max_park_m2`` 0 and ``budget_wan`` 0 mean no cap and no budget. Raises
    :class:`PlannerError` when the targets cannot be met together.
    """
    targets = Targets(min_parking_spaces=min_spaces, near_category=category,
                      max_park_area_m2=max_park_m2 or None, budget_yuan=wan_to_yuan(budget_wan))
    allocated, summ = allocate(run.result, run.layers, targets, config=run.config,
                               distances=run.distances)
    said = tr("targets_result", lang, park=summ["plots_park"], area=summ["park_area_m2"],
              parking=summ["plots_parking"], near=summ["parking_spaces_near"],
              cost=summ["cost_yuan"])
    return said, allocation_table(allocated, lang)


# --- session state: ``state`` is any mutable mapping (streamlit's session state) -------------


def initial_state() -> dict[str, Any]:
    """The app's session state before the first run.

    An empty project, nothing selected, the default weights on the sliders.
    """
    return {"project": Project(), "upload_message": None, "selected": None, "last_click": None,
            "uploader_round": 0, "scenarios": {}, "plan": None, "scenario_message": None,
            **default_weights()}


def add_upload(state: MutableMapping[str, Any]) -> None:
    """Read the files in the current uploader into the project; say how it went.

    The layer joins ``state["project"]``, a fresh uploader is keyed for the next one and the
    user's own data is shown; a file that cannot be read leaves everything as it was.
    """
    lang = state.get("lang", "zh")
    files = state.get(f"up_files_{state['uploader_round']}") or []
    if not files:
        state["upload_message"] = ("warning", tr("upload_none", lang))
        return
    try:
        layer = read_upload({f.name: f.getvalue() for f in files}, role=state["up_role"],
                            encoding=state.get("up_encoding"), crs=state.get("up_crs"),
                            coord_system=state.get("up_coords", "wgs84"),
                            layer=state.get("up_layer") or None)
    except Exception as exc:  # noqa: BLE001 - nothing a user uploads may crash the app
        state["upload_message"] = ("error", tr("upload_error", lang, msg=error_text(exc)))
        return
    state["project"].add(layer)
    state["uploader_round"] += 1
    state["source"], state["selected"] = "upload", None
    state["upload_message"] = upload_message(layer, lang)


def remove_layer(state: MutableMapping[str, Any], role: str) -> None:
    """Take ``role`` out of the project (and the selection with it)."""
    state["project"].remove(role)
    state["selected"] = None


def clear_project(state: MutableMapping[str, Any]) -> None:
    """Start a new, empty project."""
    state["project"], state["selected"] = Project(), None


def apply_preset(state: MutableMapping[str, Any]) -> None:
    """Set every weight slider to the chosen preset's weights (none chosen: leave them)."""
    if state.get("preset"):
        state.update(preset_weights(state["preset"]))


def take_click(state: MutableMapping[str, Any], clicked: Mapping[str, Any] | None,
               result: gpd.GeoDataFrame, basemap: str) -> bool:
    """Select the plot under a new map click; True when the selection changed.

    ``clicked`` is what the map returned (``last_object_clicked``: ``lat``, ``lng`` in display
    coordinates, unshifted as the base map needs). The same click seen again is ignored
    (``state["last_click"]``), so a rerun does not undo a choice made since.
    """
    click = (clicked or {}).get("last_object_clicked")
    if not click or click == state.get("last_click"):
        return False
    state["last_click"] = click
    hit = plot_at(result, click["lat"], click["lng"], display_unshift=display_shifts(basemap)[1])
    if hit is None or hit == state.get("selected"):
        return False
    state["selected"] = hit
    return True


def plot_choices(state: MutableMapping[str, Any], result: pd.DataFrame) -> list[str | None]:
    """The plot chooser's options: none, then every plot id in rank order.

    A selection that is no longer among the plots (new data) is dropped from ``state``.
    """
    ids = candidate_table(result)["plot_id"].tolist()
    if state.get("selected") not in ids:
        state["selected"] = None
    return [None, *ids]
