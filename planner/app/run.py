"""One run of the app: which layers are scored, scoring them, and what came of it.

:class:`Run` carries the layers, the configuration, the measured criteria and the scored
result; :func:`run_inputs` picks the layers (the demo or the user's project, never mixed) and
:func:`score_run` scores them, makes the life-circle card and says what went wrong as
``(kind, text)`` messages (``kind`` a streamlit element: ``"error"``, ``"info"``, ...).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from typing import Any

import geopandas as gpd
import pandas as pd

from planner.app.i18n import md_escape, role_label, tr
from planner.app.tables import candidate_table, labelled, missing_criteria_text, with_stability
from planner.app.uploads import demo_reports, plots_in_circles
from planner.app.weights import REASON_COLUMNS, Reweighed, WeightBase, base_for, settings_key
from planner.config import PlannerConfig
from planner.decision.lifecircles import flag_text, life_circle_report
from planner.decision.sensitivity import add_sensitivity
from planner.errors import PlannerError
from planner.layers import Layers
from planner.messages import localized


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
    #: What the layers are: ``"demo"`` or ``"upload"``. The demo stands in for a project that
    #: has no plots yet (``source`` is then ``"upload"`` and ``shown`` ``"demo"``).
    shown: str = "demo"
    #: What re-weighting ``table`` does not change (:func:`planner.app.weights.base_for`) and
    #: the scores at this run's weights: ``result`` is made from them, its reasons written
    #: only when shown (:func:`with_reasons`).
    base: WeightBase | None = None
    weighed: Reweighed | None = None

    @property
    def distances(self) -> object | None:
        """The walking model the criteria were measured with (selection and cards reuse it)."""
        return self.table.distances if self.table is not None else None


def run_inputs(
    source: str, project: Any, demo: Callable[[], Layers], config: PlannerConfig | None = None
) -> Run:
    """The layers scored this run: the demo or the user's project, never mixed.

    Until the project has plots the demo stays on the map (``shown == "demo"``, said by
    :func:`source_badge`), while the project's layers are reported.
    """
    config = config or PlannerConfig()
    if source == "demo":
        layers = demo()
        return Run(source, layers, "demo", demo_reports(layers), config)
    reports = {r: lay.report for r, lay in project.layers.items()}
    if not project.ready:
        return Run(source, demo(), "demo", reports, config)
    return Run(source, project.to_layers(), project.key, reports, config, shown="upload")


def source_badge(run: Run, project: Any, lang: str) -> tuple[str, str]:
    """``(kind, text)`` saying whose data the page shows: the demo's, or the planner's.

    The demo and the planner's layers are never mixed; the badge says which one is on the
    map, and when the demo stands in for a project without plots, which layers wait.
    """
    if run.shown == "upload":
        files = sorted(
            {
                str(lay.name or lay.report.get("source", role)).split(":")[0]
                for role, lay in project.layers.items()
            }
        )
        return "success", md_escape(tr("badge_yours", lang, files=", ".join(files)))
    if run.source == "upload" and project.layers:
        roles = "、" if lang == "zh" else ", "
        waiting = roles.join(role_label(r, lang) for r in project.layers)
        return "warning", md_escape(tr("badge_demo_waiting", lang, roles=waiting))
    return "info", tr("badge_demo", lang)


def score_run(run: Run, criteria: Callable[..., Any], lang: str) -> list[tuple[str, str]]:
    """Score ``run`` in place; the ``(kind, escaped text)`` messages to show, if any.

    ``criteria(load_key, settings_key, layers, config)`` measures the criteria (the app caches
    it per data load); only the weighting reruns when weights change, from the kept
    :class:`~planner.app.weights.WeightBase`, and the reasons are left to be written when shown
    (:func:`with_reasons`). Nothing raised by user data escapes: a failure leaves
    ``run.result`` ``None`` and says why. ``run.layers`` becomes the layers the criteria were
    measured on (``None`` without criteria), and with the walking network the life-circle
    report card is made.
    """
    said: list[tuple[str, str]] = []
    if run.layers is None:
        return said
    run.source_layers = run.layers
    try:
        run.table = criteria(run.load_key, settings_key(run.config), run.layers, run.config)
        run.base = base_for(run.table, run.config)
        run.weighed = run.base.reweigh(run.config)
        run.result = run.base.result(run.weighed)
    except Exception as exc:  # noqa: BLE001 - uploaded data must never crash the app
        if not isinstance(exc, PlannerError):
            run.table = None
        run.result = None
        said.append(("error", tr("scoring_failed", lang, msg=error_text(exc, lang))))
    run.layers = run.table.layers if run.table is not None else None
    if run.distances is not None and run.result is not None:
        try:
            run.card, run.lc_report = life_circle_card(
                run.layers, run.config, run.result, run.distances, lang
            )
        except PlannerError as exc:
            said.append(("warning", error_text(exc, lang)))
    return said


def candidates_view(
    run: Run, lang: str, circles: pd.Series | None, *, sensitivity: bool = False, **filters: Any
) -> tuple[str, pd.DataFrame]:
    """The candidates tab: how many plots are shown, and their table with headings in ``lang``.

    ``filters`` are :func:`~planner.app.tables.candidate_table`'s; with ``sensitivity`` each
    plot's recommendation stability under weight changes is added
    (:func:`planner.decision.sensitivity.add_sensitivity`).
    """
    stability = add_sensitivity(run.result, run.table, run.config) if sensitivity else None
    unique = run.result.index.is_unique
    if not unique:  # rows cannot be told apart by label: every plot's reasons
        with_reasons(run, langs=(lang,))
    listed = candidate_table(run.result, lang=lang, circles=circles, **filters)
    if len(listed) > CANDIDATES_LISTED:
        said = tr("n_listed", lang, n=len(listed), total=len(run.result), k=CANDIDATES_LISTED)
        listed = listed.iloc[:CANDIDATES_LISTED]
    else:
        said = tr("n_shown", lang, n=len(listed), total=len(run.result))
    if unique:
        texts = with_reasons(run, listed.index, langs=(lang,))[REASON_COLUMNS[lang]]
        listed = listed.assign(reasons=texts.reindex(listed.index).to_numpy())
    return said, labelled(with_stability(listed, stability), lang)


#: Rows of the candidate table listed (the first by its sort; the downloads hold every plot).
CANDIDATES_LISTED = 200


def with_reasons(
    run: Run, plots: Sequence | pd.Index | None = None, *, langs: Sequence[str] = ("en", "zh")
) -> gpd.GeoDataFrame:
    """``run.result`` with the reasons of ``plots`` written (index labels; ``None``: all).

    Every plot's are written when the labels are not unique. :func:`score_run` leaves the
    reasons unwritten (``None``); this writes those asked for in ``langs``, keeps them at these
    weights (:meth:`~planner.app.weights.WeightBase.reasons`) and puts them in ``run.result``,
    so once every plot's are asked for it is :func:`planner.combine`'s output. A result made
    otherwise is returned as it is.
    """
    if run.base is None or run.weighed is None or run.result is None:
        return run.result
    rows = None
    if plots is not None and run.result.index.is_unique:
        rows = run.result.index.get_indexer(plots)
        rows = rows[rows >= 0]
    for lang in langs:
        texts = run.base.reasons(run.weighed, lang, rows)
        run.result[REASON_COLUMNS[lang]] = texts.copy()
    return run.result


def error_text(exc: BaseException | str, lang: str = "en") -> str:
    """An exception (or a message) as escaped text in ``lang``.

    A :class:`PlannerError`'s message, or a message, in the page's language
    (:func:`planner.messages.localized`); any other exception with its type.
    """
    if isinstance(exc, PlannerError | str):
        return md_escape(localized(exc, lang))
    return md_escape(f"{type(exc).__name__}: {exc}")


#: Report-card columns shown, before → after (see planner.decision.lifecircles).
CARD_COLUMNS = (
    "residents",
    "new_pocket_parks",
    "new_parking_plots",
    "green_coverage_share",
    "green_coverage_share_after",
    "park_coverage_share",
    "park_coverage_share_after",
    "park_area_per_resident_m2",
    "park_area_per_resident_m2_after",
    "parking_supply",
    "parking_supply_after",
    "flags",
    "flags_after",
)


def life_circle_card(
    layers: object,
    config: PlannerConfig,
    result: gpd.GeoDataFrame,
    distances: object,
    lang: str = "en",
) -> tuple[pd.DataFrame, object]:
    """Life-circle report card before and after the recommended conversions.

    Uses :func:`planner.decision.lifecircles.life_circle_report`. Returns ``(card, report)``: the
    card's columns are ``circle`` then :data:`CARD_COLUMNS` (those present); ``report`` is the
    :class:`planner.decision.lifecircles.LifeCircleReport` (its circles, generated ones when no
    life-circle layer was given, and catchments, for the map). The targets missed
    (``flags``, ``flags_after``) are in ``lang``, in the card and in the report's card.
    """
    report = life_circle_report(layers, config, scored=result, distances=distances)
    card = report.card
    for suffix in ("", "_after"):
        card[f"flags{suffix}"] = flag_text(card, config.thresholds, lang, suffix)
    name = card["circle_name"] if "circle_name" in card else card["circle_id"]
    out = pd.DataFrame({"circle": name.astype(str).to_numpy()})
    for c in CARD_COLUMNS:
        if c in card:
            out[c] = card[c].to_numpy()
    return out, report


def life_circles_of(run: Run) -> pd.Series | None:
    """The life circle of each plot, for the table's filter; ``None`` when no plot is in one."""
    circles = plots_in_circles(run.result, run.layers)
    return circles if bool(circles.notna().any()) else None


def constraints_text(run: Run, lang: str) -> tuple[str, str]:
    """``(kind, text)``: how many plots the constraints exclude, or that none are given."""
    if run.layers is not None and run.layers.has("constraints"):
        return "write", tr(
            "constraints_active",
            lang,
            n=int(run.result["excluded"].sum()),
            k=len(run.layers.constraints),
        )
    return "caption", tr("constraints_note", lang)


def weight_notes(run: Run, lang: str) -> list[tuple[str, str]]:
    """``(kind, text)`` under the weights: criteria left out for want of a layer, constraints."""
    if run.result is None:
        return []
    missing = missing_criteria_text(run.result, lang)
    return [
        *([("info", missing)] if missing else []),
        ("subheader", role_label("constraints", lang)),
        constraints_text(run, lang),
    ]
