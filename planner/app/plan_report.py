"""The programme's part of the HTML report, and the comparison of two scenarios.

:func:`plan_sections` adds to :func:`planner.app.report.build_report` (its ``extra``): the
programme in one sentence, costs, coverage by phase, a map coloured by phase, coverage of the
elderly and children before and after, the Gini coefficient and Lorenz curve of green m² per
resident (2SFCA) and the estates' figures. :func:`comparison_report` is a report of its own
for two scenarios; :func:`comparison_tables` and :func:`comparison_bytes` give the same
tables for spreadsheets. Every text from data is escaped.
"""

from __future__ import annotations

import html
import tempfile
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pandas as pd

from planner.app.i18n import tr, use_label
from planner.app.maps import map_html
from planner.app.plan_maps import comparison_map, programme_map
from planner.app.report import _CSS, _e, html_table
from planner.config import PlannerConfig
from planner.decision.compare import Comparison, PlanEvaluation
from planner.decision.equity import DISTRICT, GROUPS, EquityReport, group_radius
from planner.decision.programme import Programme
from planner.errors import OutputError
from planner.layers import Layers
from planner.messages import Msg

#: Most estates listed in the report (all are in the downloads).
REPORT_MAX_ESTATES = 200
#: Formats of the comparison download.
COMPARISON_FORMATS = (".xlsx", ".csv", ".html")


def labelled(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """``frame`` with headings in ``lang`` where a label exists (else the column name).

    ``<figure>_a`` / ``<figure>_b`` of a comparison become the figure's label and A or B.
    """
    from planner.app.i18n import TEXT

    def label(c: str) -> str:
        if c in TEXT:
            return tr(c, lang)
        base, _, side = c.rpartition("_")
        if side in ("a", "b") and base in TEXT:
            return f"{tr(base, lang)} · {tr(side, lang)}"
        return c

    return frame.rename(columns=label)


def programme_sentence(
    prog: Programme, lang: str, config: PlannerConfig | None = None
) -> list[str]:
    """The programme in one or two sentences (plain text, for the app and the report)."""
    said = [
        tr(
            "plan_result",
            lang,
            n=int(prog.plots["selected"].sum()),
            capex=prog.capex_wan,
            upkeep=prog.upkeep_wan_per_year,
            covered=prog.covered,
            total=prog.uncovered_before,
            per_wan=prog.residents_per_wan if np.isfinite(prog.residents_per_wan) else 0.0,
        )
    ]
    if prog.objective == "maxmin" and np.isfinite(prog.worst_share):
        said.append(tr("plan_worst", lang, share=prog.worst_share))
    if prog.objective == "supply":
        said.append(
            tr(
                "plan_supply",
                lang,
                value=prog.objective_value,
                target=(config or PlannerConfig()).equity.fca_target_m2_per_resident,
            )
        )
    return said


def phase_table_view(table: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The coverage-by-phase table with headings (and unit) in ``lang``."""
    shown = table.assign(limit_unit=table["limit_unit"].map(lambda u: tr(f"phase_unit_{u}", lang)))
    return labelled(shown, lang)


def chosen_table(prog: Programme, lang: str) -> pd.DataFrame:
    """The chosen plots: id, name, phase, costs and the residents only each adds."""
    picked = prog.plots[prog.plots["selected"].to_numpy(bool)]
    cols = [
        c
        for c in (
            "plot_id",
            "name",
            "phase",
            "park_type",
            "area_m2",
            "capex_wan",
            "upkeep_wan_per_year",
            "marginal_new_residents",
            "supply_gain_m2",
        )
        if c in picked
    ]
    out = pd.DataFrame(picked[cols]).assign(plot_id=picked["plot_id"].astype(str))
    if prog.use != "pocket_park":
        out = out.drop(columns=["park_type"], errors="ignore")
    return labelled(out, lang)


def group_table_view(
    equity: EquityReport, lang: str, *, district_only: bool = True
) -> pd.DataFrame:
    """Coverage by resident group, before → after, labelled in ``lang``."""
    g = equity.groups
    if district_only:
        g = g[g["area"] == DISTRICT]
    shown = g.assign(
        group=g["group"].map(lambda x: tr(f"group_{x}", lang)),
        area=g["area"].replace({DISTRICT: tr("area_district", lang)}),
        **{
            c: g[c].map(lambda v: "–" if v != v else f"{v:.1%}")
            for c in ("share_before", "share_after")
        },
    )
    return labelled(shown.drop(columns=["area"] if district_only else []), lang)


def speeds_sentence(equity: EquityReport, config: PlannerConfig, lang: str) -> str:
    """Each group's walking radius and where the age shares come from."""
    radii = {g: group_radius(g, config) for g in GROUPS}
    return tr(
        "equity_speeds", lang, **radii, source=tr(f"share_source_{equity.share_source}", lang)
    )


def lorenz_svg(equity: EquityReport, lang: str, *, size: int = 260) -> str:
    """The Lorenz curves before and after, and the line of equality, as inline SVG."""
    pad = 30
    span = size - 2 * pad

    def path(curve: pd.DataFrame) -> str:
        if curve.empty:
            return ""
        x = pad + curve["population_share"].to_numpy() * span
        y = size - pad - curve["value_share"].to_numpy() * span
        return "M" + " L".join(f"{a:.1f},{b:.1f}" for a, b in zip(x, y, strict=True))

    lines = [
        ("#999", f"M{pad},{size - pad} L{size - pad},{pad}", tr("lorenz_equal", lang)),
        ("#d94801", path(equity.lorenz_before), tr("lorenz_before", lang)),
        ("#1b9e4b", path(equity.lorenz_after), tr("lorenz_after", lang)),
    ]
    parts = [
        f"<svg xmlns='http://www.w3.org/2000/svg' width='{size + 120}' height='{size}' "
        "role='img' font-size='11' font-family='sans-serif'>",
        f"<rect x='{pad}' y='{pad}' width='{span}' height='{span}' fill='none' stroke='#ccc'/>",
    ]
    for i, (color, d, label) in enumerate(lines):
        if d:
            parts.append(f"<path d='{d}' fill='none' stroke='{color}' stroke-width='2'/>")
        parts.append(
            f"<rect x='{size}' y='{pad + 16 * i}' width='10' height='10' "
            f"fill='{color}'/><text x='{size + 14}' y='{pad + 9 + 16 * i}'>"
            f"{_e(label)}</text>"
        )
    parts.append(f"<text x='{pad}' y='{size - 8}'>{_e(tr('population_share', lang))}</text>")
    parts.append("</svg>")
    return "".join(parts)


def estates_view(equity: EquityReport, lang: str) -> pd.DataFrame:
    """Estates: residents, age groups, green m² per resident before and after."""
    cols = [
        c
        for c in (
            "life_circle",
            "residents_all",
            "residents_elderly",
            "residents_children",
            "green_m2_per_resident",
            "green_m2_per_resident_after",
        )
        if c in equity.estates
    ]
    return labelled(equity.estates[cols].round(3), lang)


def _iframe(fmap: object) -> str:
    page = map_html(fmap)
    return f"<iframe title='map' srcdoc=\"{html.escape(page, quote=True)}\"></iframe>"


def plan_sections(
    prog: Programme,
    evaluation: PlanEvaluation,
    layers: Layers | None,
    config: PlannerConfig,
    lang: str = "zh",
) -> list[str]:
    """HTML sections of a programme for :func:`planner.app.report.build_report`."""
    eq = evaluation.equity
    names = list(prog.phase_table["phase"]) if prog.phase_table is not None else []
    parts = [
        f"<h2>{_e(tr('report_plan', lang))}: {_e(use_label(prog.use, lang))} · "
        f"{_e(tr('objective_' + prog.objective, lang))} · "
        f"{_e(tr('group_' + prog.group, lang))}</h2>",
        "".join(f"<p>{_e(s)}</p>" for s in programme_sentence(prog, lang, config)),
        f"<p class='muted'>{_e(tr('report_costs', lang))}</p>",
    ]
    if prog.phase_table is not None:
        parts.append(
            f"<h3>{_e(tr('phase_table', lang))}</h3>"
            + html_table(phase_table_view(prog.phase_table, lang))
        )
    parts.append(
        f"<h3>{_e(tr('phase_map', lang))}</h3>"
        + _iframe(
            programme_map(prog.plots, layers, config, names, prog.use, lang=lang, assets="inline")
        )
    )
    parts.append(
        f"<h3>{_e(tr('chosen_table', lang))}</h3>"
        + html_table(chosen_table(prog, lang), floats="{:,.2f}")
    )
    parts.append(
        f"<h2>{_e(tr('equity_title', lang))}</h2>"
        f"<p>{_e(speeds_sentence(eq, config, lang))}</p>"
        f"<h3>{_e(tr('equity_groups', lang))}</h3>"
        + html_table(group_table_view(eq, lang, district_only=False), floats="{:,.0f}")
        + f"<p>{_e(tr('gini_text', lang, before=eq.gini_before, after=eq.gini_after))}"
        f"</p><h3>{_e(tr('lorenz_chart', lang))}</h3>"
        + lorenz_svg(eq, lang)
        + f"<h3>{_e(tr('estates_table', lang))}</h3>"
        + html_table(estates_view(eq, lang).head(REPORT_MAX_ESTATES), floats="{:,.3f}")
    )
    return parts


# --- two scenarios ---------------------------------------------------------------------------

#: Columns of the indicator card compared (its district rows after each plan).
INDICATOR_FIGURES = ("official_after", "walking_after", "meets_target_after")


def indicators_side_by_side(
    runs: list[tuple[object, object, PlannerConfig, pd.Series, object]],
) -> pd.DataFrame:
    """The 城市体检 indicator card's district rows after plans A and B, side by side.

    ``runs`` holds ``(scored, layers, config, uses, distances)`` of A and of B; each card is
    :func:`planner.indicators.card.indicator_card` with the plan's uses as the "after".
    Columns: ``indicator``, ``name_zh``, ``name_en``, ``unit``, ``official_before``,
    ``target`` and ``<figure>_a`` / ``<figure>_b`` of :data:`INDICATOR_FIGURES`.
    """
    from planner.indicators.card import indicator_card

    cards = []
    for scored, layers, config, uses, distances in runs:
        plan = scored.assign(recommended_use=uses.reindex(scored.index).to_numpy())
        cards.append(
            indicator_card(
                layers, config, scored=plan, distances=distances, source="scenario"
            ).district()
        )
    a, b = cards
    out = a[["indicator", "name_zh", "name_en", "unit", "official_before", "target"]].copy()
    for col in INDICATOR_FIGURES:
        out[f"{col}_a"] = a[col].to_numpy()
        out[f"{col}_b"] = b.set_index("indicator")[col].reindex(a["indicator"]).to_numpy()
    return out


def indicators_view(table: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The indicator comparison: names, units and headings in ``lang`` (the card's labels)."""
    out = pd.DataFrame(
        {
            tr("ind_indicator", lang): table["name_zh" if lang == "zh" else "name_en"].to_numpy(),
            tr("ind_unit", lang): table["unit"].to_numpy(),
            tr("ind_official_before", lang): table["official_before"].to_numpy(),
            tr("ind_target", lang): table["target"].to_numpy(),
        }
    )
    heads = {
        "official_after": "ind_official_after",
        "walking_after": "ind_walking_after",
        "meets_target_after": "ind_meets_after",
    }
    for col, key in heads.items():
        for side in ("a", "b"):
            v = table[f"{col}_{side}"]
            if col == "meets_target_after":
                v = v.map(
                    lambda x: "" if x is pd.NA or x is None or x != x else ("✓" if x else "✗")
                )
            out[f"{tr(key, lang)} · {tr(side, lang)}"] = v.to_numpy()
    return out


def district_view(cmp: Comparison, lang: str) -> pd.DataFrame:
    """The district figures side by side, each figure labelled in ``lang``."""
    d = cmp.district.assign(figure=cmp.district["figure"].map(lambda f: tr(f"fig_{f}", lang)))
    return labelled(d, lang).rename(
        columns={
            tr("a", lang): f"{tr('a', lang)}: {cmp.a.name}",
            tr("b", lang): f"{tr('b', lang)}: {cmp.b.name}",
        }
    )


def with_indicators(
    cmp: Comparison, runs: list[tuple[object, object, PlannerConfig, object]]
) -> tuple[Comparison, list[Msg]]:
    """``cmp`` with the indicator card side by side, and what stopped it (then left out).

    ``runs`` holds ``(scored, layers, config, distances)`` of A and of B.
    """
    import dataclasses

    from planner.errors import PlannerError

    full = [
        (s, lay, cfg, ev.plots["use"], d)
        for (s, lay, cfg, d), ev in zip(runs, (cmp.a, cmp.b), strict=True)
    ]
    try:
        return dataclasses.replace(cmp, indicators=indicators_side_by_side(full)), []
    except PlannerError as exc:
        return cmp, [Msg("app.note_card_left_out", detail=exc)]


def comparison_tables(cmp: Comparison, lang: str) -> dict[str, pd.DataFrame]:
    """The comparison as tables: district, life circles, plots that differ (labelled)."""
    plots = pd.DataFrame(cmp.plots.drop(columns=cmp.plots.geometry.name))
    plots = plots[plots["change"] != "none"].assign(
        use_a=lambda f: f["use_a"].map(lambda u: use_label(u, lang)),
        use_b=lambda f: f["use_b"].map(lambda u: use_label(u, lang)),
        change=lambda f: f["change"].map(lambda c: tr(f"change_{c}", lang)),
    )
    out = {tr("compare_district", lang): district_view(cmp, lang)}
    if cmp.indicators is not None:
        out[tr("compare_indicators", lang)] = indicators_view(cmp.indicators, lang)
    out[tr("compare_circles", lang)] = labelled(cmp.circles, lang)
    out[tr("compare_plots", lang)] = labelled(plots, lang)
    return out


def comparison_report(
    cmp: Comparison, scored: object, layers: Layers | None, config: PlannerConfig, lang: str = "zh"
) -> str:
    """A single-file HTML report of two scenarios: tables and the map of differences."""
    from planner._version import __version__

    title = tr("compare_title", lang, a=cmp.a.name, b=cmp.b.name)
    parts = [
        f"<!DOCTYPE html><html lang='{'zh-CN' if lang == 'zh' else 'en'}'><head>"
        f"<meta charset='utf-8'><title>{_e(title)}</title><style>{_CSS}</style></head>"
        f"<body><h1>{_e(title)}</h1><p class='muted'>"
        f"{_e(tr('report_generated', lang, version=__version__))} · "
        f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC</p>"
        f"<p class='muted'>{_e(tr('report_costs', lang))}</p>"
    ]
    for heading, table in comparison_tables(cmp, lang).items():
        parts.append(f"<h2>{_e(heading)}</h2>" + html_table(table, floats="{:,.3f}"))
    parts.append(
        f"<h2>{_e(tr('compare_map', lang))}</h2>"
        + _iframe(comparison_map(cmp.plots, scored, layers, config, lang=lang, assets="inline"))
    )
    parts.append("</body></html>")
    return "".join(parts)


def comparison_bytes(
    cmp: Comparison,
    ext: str,
    scored: object,
    layers: Layers | None,
    config: PlannerConfig,
    lang: str = "zh",
) -> bytes:
    """The comparison as ``.xlsx`` (three sheets), ``.csv`` (district) or ``.html``."""
    from planner.io.write import write_csv_table, write_xlsx_sheets

    if ext not in COMPARISON_FORMATS:
        raise OutputError(
            Msg("app.comparison_format", choices=", ".join(COMPARISON_FORMATS), ext=ext)
        )
    if ext == ".html":
        return comparison_report(cmp, scored, layers, config, lang).encode("utf-8")
    tables = comparison_tables(cmp, lang)
    with tempfile.TemporaryDirectory(prefix="planner-compare-") as tmp:
        path = Path(tmp) / f"comparison{ext}"
        if ext == ".xlsx":
            write_xlsx_sheets({k[:31]: v for k, v in tables.items()}, path)
        else:
            write_csv_table(next(iter(tables.values())), path)
        return path.read_bytes()
