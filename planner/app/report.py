"""A single-file HTML report of a run, and the other downloads of the app.

:func:`build_report` writes one self-contained HTML page a planner can send to a colleague:
the map (Leaflet inlined, in an ``<iframe srcdoc>``), a summary, the score distribution as
inline SVG, the ranked candidates, the criteria with their rules and weights, and every
parameter used. Nothing is fetched from the internet when it is opened (only base-map tiles,
when one is chosen), and every piece of text that came from data is HTML-escaped.
"""

from __future__ import annotations

import html
import tempfile
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from functools import partial
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

from planner.app.i18n import criterion_label, role_label, tr, use_label
from planner.app.maps import USE_COLORS, build_map, map_html, use_weights
from planner.app.views import candidate_table, score_histogram, summary_text, use_counts
from planner.config import USES, PlannerConfig
from planner.criteria import CRITERIA
from planner.errors import OutputError
from planner.io.write import OUTPUT_FORMATS, write_candidates
from planner.layers import Layers

#: MIME type of each download.
MIME_TYPES: dict[str, str] = {
    ".gpkg": "application/geopackage+sqlite3", ".geojson": "application/geo+json",
    ".csv": "text/csv", ".xlsx": "application/vnd.openxmlformats-officedocument."
                                 "spreadsheetml.sheet",
    ".kml": "application/vnd.google-earth.kml+xml", ".shp.zip": "application/zip",
    ".html": "text/html", ".toml": "application/toml"}
#: Further report sections: HTML pieces, or a function making them when the report is made.
Extra = Sequence[str] | Callable[[], Sequence[str]] | None
#: Most candidate rows written into the report's table.
REPORT_MAX_ROWS = 500


def export_bytes(result: gpd.GeoDataFrame, ext: str) -> bytes:
    """The candidate list in one of :data:`planner.io.write.OUTPUT_FORMATS`, as bytes.

    Written in a private temporary folder that is removed afterwards.

    Raises
    ------
    OutputError
        Unknown format or the writer failed.
    """
    if ext not in OUTPUT_FORMATS:
        raise OutputError(f"unknown output format '{ext}'; use one of "
                          f"{', '.join(sorted(OUTPUT_FORMATS))}")
    with tempfile.TemporaryDirectory(prefix="planner-export-") as tmp:
        path = write_candidates(result, Path(tmp) / f"candidates{ext}")
        return path.read_bytes()


def _toml_value(v: object) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int | float):
        return repr(float(v)) if isinstance(v, float) else str(v)
    return '"' + str(v).replace("\\", "\\\\").replace('"', '\\"') + '"'


def config_toml(config: PlannerConfig) -> str:
    """The configuration as a TOML file :meth:`PlannerConfig.from_toml` reads back."""
    lines: list[str] = []

    def section(name: str, values: dict) -> None:
        plain = {k: v for k, v in values.items() if not isinstance(v, dict)}
        nested = {k: v for k, v in values.items() if isinstance(v, dict)}
        if plain:
            lines.append(f"[{name}]")
            lines.extend(f"{k} = {_toml_value(v)}" for k, v in plain.items())
            lines.append("")
        for k, v in nested.items():
            section(f"{name}.{k}", v)

    for name, values in config.to_dict().items():
        section(name, values)
    return "\n".join(lines)


# --- HTML pieces -----------------------------------------------------------------------------

def _e(value: object) -> str:
    if value is None or (isinstance(value, float) and value != value) or value is pd.NA:
        return ""
    return html.escape(str(value), quote=True)


def html_table(frame: pd.DataFrame, *, floats: str = "{:.2f}") -> str:
    """A plain HTML table of ``frame``; every header and cell escaped."""
    head = "".join(f"<th>{_e(c)}</th>" for c in frame.columns)
    cols = []
    for c in frame.columns:
        s = frame[c]
        if pd.api.types.is_float_dtype(s):
            cols.append([("" if v != v else floats.format(v)) for v in s.to_numpy(dtype=float)])
        else:
            cols.append([_e(v) for v in s.astype(object).to_numpy()])
    body = "".join("<tr>" + "".join(f"<td>{v}</td>" for v in row) + "</tr>"
                   for row in zip(*cols, strict=True)) if cols else ""
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def svg_bars(hist: pd.DataFrame, colors: dict[str, str], labels: dict[str, str], *,
             width: int = 640, height: int = 220) -> str:
    """A grouped bar chart of ``hist`` (rows classes, columns series) as inline SVG."""
    n_cls, series = len(hist), list(hist.columns)
    top = max(float(hist.to_numpy().max()), 1.0)
    pad_l, pad_b, pad_t = 34, 36, 24
    plot_w, plot_h = width - pad_l - 8, height - pad_b - pad_t
    group_w = plot_w / max(n_cls, 1)
    bar_w = group_w * 0.8 / max(len(series), 1)
    parts = [f"<svg xmlns='http://www.w3.org/2000/svg' width='{width}' height='{height}' "
             f"role='img' font-size='10' font-family='sans-serif'>"]
    for i, cls in enumerate(hist.index):
        x0 = pad_l + i * group_w + group_w * 0.1
        for j, s in enumerate(series):
            v = float(hist.iloc[i, j])
            h = plot_h * v / top
            x = x0 + j * bar_w
            y = pad_t + plot_h - h
            parts.append(f"<rect x='{x:.1f}' y='{y:.1f}' width='{bar_w:.1f}' height='{h:.1f}' "
                         f"fill='{_e(colors.get(s, '#888'))}'><title>{_e(labels.get(s, s))} "
                         f"{_e(cls)}: {int(v)}</title></rect>")
        parts.append(f"<text x='{pad_l + (i + 0.5) * group_w:.1f}' y='{height - pad_b + 14}' "
                     f"text-anchor='middle'>{_e(cls)}</text>")
    parts.append(f"<line x1='{pad_l}' y1='{pad_t + plot_h}' x2='{width - 8}' "
                 f"y2='{pad_t + plot_h}' stroke='#333'/>")
    parts.append(f"<text x='{pad_l - 4}' y='{pad_t + 4}' text-anchor='end'>{int(top)}</text>")
    step = min(150.0, (width - pad_l) / max(len(series), 1))
    for j, s in enumerate(series):
        x = pad_l + j * step
        parts.append(f"<rect x='{x:.1f}' y='4' width='10' height='10' "
                     f"fill='{_e(colors.get(s, '#888'))}'/>"
                     f"<text x='{x + 14:.1f}' y='13'>{_e(labels.get(s, s))}</text>")
    parts.append("</svg>")
    return "".join(parts)


_CSS = """
body{font-family:-apple-system,'Segoe UI','Noto Sans CJK SC','Microsoft YaHei',sans-serif;
margin:24px;color:#222;max-width:1200px}
h1{margin-bottom:0}table{border-collapse:collapse;margin:8px 0;font-size:13px}
th,td{border:1px solid #ccc;padding:3px 6px;text-align:left;vertical-align:top}
th{background:#f2f2f2}.note{color:#8a4b00}.muted{color:#666;font-size:12px}
iframe{border:1px solid #ccc;width:100%;height:560px}
"""


def build_report(result: gpd.GeoDataFrame, layers: Layers | None = None,
                 config: PlannerConfig | None = None, *, lang: str = "zh",
                 synthetic: bool = False, basemap: str = "none",
                 tile_url: str | None = None, title: str | None = None,
                 reports: dict[str, dict] | None = None,
                 card: pd.DataFrame | None = None, extra: Extra = None) -> str:
    """The single-file HTML report of a scored run.

    Parameters
    ----------
    result : GeoDataFrame
        Scored plots.
    layers : Layers, optional
        The run's layers, drawn on the map and listed under Data.
    config : PlannerConfig, optional
        The parameters used (defaults when omitted).
    lang : {"zh", "en"}
        Language of the report.
    synthetic : bool
        Say that the data is the synthetic demo district.
    basemap, tile_url : str
        Base map of the embedded map (default none: the report needs no network).
    title : str, optional
        Title; escaped.
    card : DataFrame, optional
        Life-circle report card (the first item of :func:`planner.app.views.life_circle_card`),
        shown when given.
    reports : dict, optional
        Per-role read reports (:func:`planner.app.uploads.layer_summary` shape) for the Data
        section; by default a count per layer.
    extra : sequence of str, or a function returning one, optional
        Further sections (escaped HTML) placed before the criteria, e.g. a programme's
        (:func:`planner.app.plan_report.plan_sections`); a function is called only when the
        report is made.

    Returns
    -------
    str
        One HTML document; Leaflet and every chart inline.
    """
    from planner import __version__
    from planner.app.uploads import demo_reports, layer_summary, plots_in_circles

    config = config or PlannerConfig()
    title = title or tr("report_title", lang)
    parts = [f"<!DOCTYPE html><html lang='{'zh-CN' if lang == 'zh' else 'en'}'><head>"
             "<meta charset='utf-8'><meta name='viewport' content='width=device-width'>"
             f"<title>{_e(title)}</title><style>{_CSS}</style></head><body>",
             f"<h1>{_e(title)}</h1>",
             f"<p class='muted'>{_e(tr('report_generated', lang, version=__version__))} · "
             f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC</p>"]
    if synthetic:
        parts.append(f"<p class='note'>{_e(tr('report_synthetic', lang))}</p>")

    parts.append(f"<h2>{_e(tr('report_summary', lang))}</h2>"
                 f"<p>{_e(summary_text(result, lang))}</p>")
    missing = result.attrs.get("missing_criteria", {})
    if missing:
        items = "; ".join(f"{criterion_label(*k.split('.'), lang)} ({v})"
                          for k, v in missing.items())
        parts.append(f"<p class='note'>{_e(tr('missing_criteria', lang, items=items))}</p>")

    if layers is not None or reports:
        summary = layer_summary(reports if reports else demo_reports(layers))
        summary["role"] = summary["role"].map(lambda r: role_label(r, lang))
        summary.columns = [tr(f"col_{c}", lang) for c in summary.columns]
        parts.append(f"<h2>{_e(tr('report_data', lang))}</h2>" + html_table(summary))

    page = map_html(build_map(result, layers, config, lang=lang, basemap=basemap,
                              tile_url=tile_url, assets="inline", height="540px"))
    parts.append(f"<h2>{_e(tr('report_map', lang))}</h2>"
                 f"<iframe title='map' srcdoc=\"{html.escape(page, quote=True)}\"></iframe>")

    hist = score_histogram(result)
    labels = {u: use_label(u, lang) for u in USES}
    counts = use_counts(result)
    count_bars = pd.DataFrame({u: [counts[u]] for u in ("pocket_park", "parking", "none")},
                              index=[tr("recommended_use", lang)])
    parts.append(f"<h2>{_e(tr('report_charts', lang))}</h2>"
                 f"<h3>{_e(tr('chart_distribution', lang))}</h3>"
                 + svg_bars(hist, {u: USE_COLORS[u] for u in USES}, labels)
                 + f"<h3>{_e(tr('legend_use', lang))}</h3>"
                 + svg_bars(count_bars, USE_COLORS, {**labels, "none": use_label("none", lang)},
                            width=360, height=180))

    circles = plots_in_circles(result, layers)
    table = candidate_table(result, lang=lang,
                            circles=circles if circles.notna().any() else None)
    shown = table.head(REPORT_MAX_ROWS)
    shown = shown.rename(columns={c: tr(c, lang) for c in shown.columns})
    parts.append(f"<h2>{_e(tr('report_top', lang))}</h2>"
                 + html_table(shown)
                 + (f"<p class='muted'>{len(table) - REPORT_MAX_ROWS} more in the download</p>"
                    if len(table) > REPORT_MAX_ROWS else ""))

    if card is not None and len(card):
        parts.append(f"<h2>{_e(tr('card_title', lang))}</h2>"
                     + html_table(card.rename(columns={c: tr(c, lang) for c in card.columns}),
                                  floats="{:,.2f}"))

    parts.extend(extra() if callable(extra) else (extra or ()))
    rows = []
    for use in USES:
        weights = use_weights(result, config, use)
        for crit in CRITERIA[use]:
            rows.append({tr("recommended_use", lang): use_label(use, lang),
                         tr("criterion", lang): criterion_label(use, crit.name, lang),
                         tr("weight", lang): float(weights.get(crit.name, np.nan)),
                         tr("rule", lang): crit.rule})
    parts.append(f"<h2>{_e(tr('report_criteria', lang))}</h2>"
                 + html_table(pd.DataFrame(rows)))

    params = []
    for section, values in config.to_dict().items():
        for key, value in values.items():
            if isinstance(value, dict):
                for k2, v2 in value.items():
                    params.append({"section": f"{section}.{key}", "key": k2, "value": str(v2)})
            else:
                params.append({"section": section, "key": key, "value": str(value)})
    parts.append(f"<h2>{_e(tr('report_params', lang))}</h2>"
                 + html_table(pd.DataFrame(params)))
    parts.append("</body></html>")
    return "".join(parts)


def downloads(result: gpd.GeoDataFrame, layers: Layers | None, config: PlannerConfig, *,
              lang: str = "zh", synthetic: bool = False, reports: dict[str, dict] | None = None,
              card: pd.DataFrame | None = None, extra: Extra = None
              ) -> list[dict[str, object]]:
    """The app's download buttons: label, data, file name, MIME type and widget key each.

    The candidates in every :data:`planner.io.write.OUTPUT_FORMATS`, the HTML report
    (:func:`build_report`, with the ``extra`` sections) and the weights as TOML. Files are
    ``data`` callables, made only when their button is pressed (the configuration, small, is
    made at once).
    """
    out: list[dict[str, object]] = [
        {"label": tr("download_candidates", lang, fmt=ext.lstrip(".").upper()),
         "data": partial(export_bytes, result, ext), "file_name": f"candidates{ext}",
         "mime": MIME_TYPES.get(ext, "application/octet-stream"), "key": f"dl{ext}"}
        for ext in OUTPUT_FORMATS]
    out.append({"label": tr("download_report", lang),
                "data": partial(build_report, result, layers, config, lang=lang,
                                synthetic=synthetic, reports=reports, card=card, extra=extra),
                "file_name": "planner_report.html", "mime": "text/html", "key": "dl_report"})
    out.append({"label": tr("download_config", lang), "data": config_toml(config),
                "file_name": "weights.toml", "mime": "application/toml", "key": "dl_config"})
    return out
