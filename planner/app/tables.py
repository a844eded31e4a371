"""The tables and chart data the app and the HTML report show, from the scored result.

Each takes the scored plots (:func:`planner.score` / :func:`planner.combine`) and returns a
plain DataFrame, Series or sentence, so the app and the report show the same numbers. Text from
data stays text (:func:`planner.io.write.spreadsheet_text` where it is shown as a table).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from planner.app.i18n import TEXT, criterion_label, role_label, tr, use_label
from planner.app.maps import breakdown
from planner.app.uploads import layer_summary
from planner.config import PlannerConfig
from planner.io.write import spreadsheet_text
from planner.messages import localized

#: Columns of the candidate table, in order.
TABLE_COLUMNS = (
    "rank",
    "plot_id",
    "name",
    "recommended_use",
    "park_score",
    "parking_score",
    "area_m2",
    "est_parking_spaces",
    "life_circle",
    "reasons",
)

#: Use filter values.
USE_FILTERS = ("all", "pocket_park", "parking", "none")

#: Sort keys of the candidate table (column, ascending).
SORT_KEYS: dict[str, tuple[str, bool]] = {
    "rank": ("rank", True),
    "park_score": ("park_score", False),
    "parking_score": ("parking_score", False),
    "area_m2": ("area_m2", False),
}


def best_score(result: pd.DataFrame) -> pd.Series:
    """The score of the recommended use, else the better of the two (0–1)."""
    park = result["park_score"].astype(float)
    parking = result["parking_score"].astype(float)
    use = result["recommended_use"].astype(str)
    return pd.Series(
        np.where(
            use == "pocket_park",
            park,
            np.where(use == "parking", parking, np.maximum(park, parking)),
        ),
        index=result.index,
        name="best_score",
    )


def candidate_table(
    result: pd.DataFrame,
    *,
    lang: str = "zh",
    use: str = "all",
    min_score: float = 0.0,
    life_circle: str | None = None,
    circles: pd.Series | None = None,
    sort_by: str = "rank",
) -> pd.DataFrame:
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
    uses = result["recommended_use"].astype(str)
    table = pd.DataFrame(
        {
            "rank": result["rank"],
            "plot_id": result["plot_id"].astype(str),
            "name": result["name"].astype("string") if "name" in result else pd.NA,
            "recommended_use": uses.map({u: use_label(u, lang) for u in uses.unique()}),
            "park_score": result["park_score"].astype(float),
            "parking_score": result["parking_score"].astype(float),
            "area_m2": result["area_m2"].astype(float),
            "est_parking_spaces": result["est_parking_spaces"],
            "reasons": result["reasons_zh" if lang == "zh" else "reasons"],
        },
        index=result.index,
    )
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
    return tr("summary_counts", lang, park=c["pocket_park"], parking=c["parking"], none=c["none"])


def missing_criteria_text(result: pd.DataFrame, lang: str) -> str | None:
    """Criteria left out for want of a layer, as one sentence; ``None`` when none are."""
    missing = result.attrs.get("missing_criteria", {})
    if not missing:
        return None
    return tr(
        "missing_criteria",
        lang,
        items="; ".join(
            f"{criterion_label(*k.split('.'), lang)} ({localized(v, lang)})"
            for k, v in missing.items()
        ),
    )


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


def chart_spec(wide: pd.DataFrame, series: str, value: str) -> dict[str, Any]:
    """A chart's arguments for ``st.bar_chart`` / ``st.line_chart`` with every field named.

    ``wide`` has the x values as its (named) index and a column per series; it is given in
    long form with ``x``, ``y`` (named ``value``) and ``color`` (named ``series``), so that
    no axis, tooltip or legend of the chart is left to streamlit to name (in English).
    """
    x = wide.index.name or series
    long = wide.rename_axis(x).reset_index().melt(id_vars=x, var_name=series, value_name=value)
    return {"data": long, "x": x, "y": value, "color": series}


def histogram_chart(result: pd.DataFrame, lang: str) -> dict[str, Any]:
    """:func:`score_histogram` in ``lang``, as :func:`chart_spec` arguments."""
    hist = score_histogram(result)
    hist.columns = [use_label(c, lang) for c in hist.columns]
    hist.index.name = tr("score", lang)
    return chart_spec(hist, tr("chart_use", lang), tr("plots", lang))


def plot_contributions(
    result: pd.DataFrame, plot_id: str, config: PlannerConfig, lang: str = "zh"
) -> pd.DataFrame:
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


def breakdown_table(
    result: pd.DataFrame, plot_id: str, config: PlannerConfig, lang: str
) -> pd.DataFrame:
    """The selected plot's breakdown as shown under the map, headings in ``lang``."""
    shown = plot_contributions(result, plot_id, config, lang)[
        ["use", "label", "score", "weight", "contribution", "rule"]
    ].copy()
    shown["use"] = shown["use"].map(lambda u: use_label(u, lang))
    shown.columns = [
        tr(c, lang)
        for c in ("recommended_use", "criterion", "score", "weight", "contribution", "rule")
    ]
    return shown


def contribution_chart(
    result: pd.DataFrame, plot_id: str, config: PlannerConfig, lang: str
) -> dict[str, Any]:
    """Contribution per criterion label and use, as :func:`chart_spec` arguments."""
    contrib = plot_contributions(result, plot_id, config, lang)
    contrib["series"] = contrib["use"].map(lambda u: use_label(u, lang))
    wide = contrib.pivot_table(
        index="label", columns="series", values="contribution", aggfunc="sum"
    )
    wide.index.name = tr("criterion", lang)
    return chart_spec(wide, tr("chart_use", lang), tr("contribution", lang))


def with_stability(table: pd.DataFrame, stability: pd.DataFrame | None) -> pd.DataFrame:
    """The candidate table with each plot's recommendation stability, when it was measured."""
    if stability is None:
        return table
    cols = ["recommendation_stability", "top_k_share"]
    return table.assign(**{c: stability[c].reindex(table.index) for c in cols})


def circle_options(circles: pd.Series) -> list[str | None]:
    """Life-circle filter options: all (``None``), then every circle a plot is in, sorted."""
    return [None, *sorted(circles.dropna().unique().tolist())]


def labelled(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """``frame`` with every column heading in ``lang``, text cells kept as text."""
    return spreadsheet_text(frame.rename(columns=lambda c: tr(c, lang)))


def _word(prefix: str, word: str, lang: str) -> str:
    """``word`` in ``lang`` when the labels have it (``prefix + word``), else as it is."""
    return tr(prefix + word, lang) if prefix + word in TEXT else word


def summary_in(summary: pd.DataFrame, lang: str) -> pd.DataFrame:
    """A :func:`layer_summary` table in ``lang``.

    Roles, geometry types, how the CRS was found, the demo's sources and the headings are
    put in ``lang``; file names and the reader's own words stay as they are.
    """
    out = summary.copy()
    out["role"] = out["role"].map(lambda r: role_label(r, lang))
    out["geometry"] = out["geometry"].map(
        lambda g: ", ".join(_word("geom_", x.strip(), lang) for x in g.split(",") if x.strip())
    )
    out["crs"] = out["crs"].str.replace(
        r"\((.*)\)$", lambda m: f"({_word('how_', m.group(1), lang)})", regex=True
    )
    demo = out["source"].str.startswith("demo:")
    out.loc[demo, "source"] = tr("source_demo", lang)
    out.columns = [tr(f"col_{c}", lang) for c in out.columns]
    return out


def layer_summary_table(reports: Mapping[str, Mapping[str, Any]], lang: str) -> pd.DataFrame:
    """The data tab's layer table with role names and headings in ``lang``."""
    return spreadsheet_text(summary_in(layer_summary(reports, lang), lang))
