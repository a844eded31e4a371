"""A single-file HTML report of a run, and the other downloads of the app.

:func:`build_report` writes one self-contained HTML page a planner can send to a colleague:
the map (Leaflet inlined, in an ``<iframe srcdoc>``), a summary, the score distribution as
inline SVG, the ranked candidates, the criteria with their rules and weights, and every
parameter used. Nothing is fetched from the internet when it is opened (only base-map tiles,
when one is chosen), and every piece of text that came from data is HTML-escaped.
"""

from __future__ import annotations

import base64
import html
import tempfile
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd

from planner._version import __version__
from planner.app.i18n import tr, use_label
from planner.app.indicator_view import card_section, card_xlsx
from planner.app.maps import USE_COLORS, build_map, map_html
from planner.app.tables import (
    candidate_table,
    missing_criteria_text,
    score_histogram,
    summary_in,
    summary_text,
    use_counts,
)
from planner.app.uploads import demo_reports, layer_summary, plots_in_circles
from planner.config import USES, PlannerConfig
from planner.errors import OutputError
from planner.io.write import OUTPUT_FORMATS, write_candidates
from planner.layers import Layers
from planner.messages import Msg
from planner.scoring.explain import criteria_weights

#: MIME type of each download.
MIME_TYPES: dict[str, str] = {
    ".gpkg": "application/geopackage+sqlite3",
    ".geojson": "application/geo+json",
    ".csv": "text/csv",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".kml": "application/vnd.google-earth.kml+xml",
    ".shp.zip": "application/zip",
    ".html": "text/html",
    ".toml": "application/toml",
    ".dxf": "image/vnd.dxf",
    ".pdf": "application/pdf",
}
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
        raise OutputError(
            Msg("app.unknown_format", ext=ext, choices=", ".join(sorted(OUTPUT_FORMATS)))
        )
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
    body = (
        "".join(
            "<tr>" + "".join(f"<td>{v}</td>" for v in row) + "</tr>"
            for row in zip(*cols, strict=True)
        )
        if cols
        else ""
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def svg_bars(
    hist: pd.DataFrame,
    colors: dict[str, str],
    labels: dict[str, str],
    *,
    width: int = 640,
    height: int = 220,
) -> str:
    """A grouped bar chart of ``hist`` (rows classes, columns series) as inline SVG."""
    n_cls, series = len(hist), list(hist.columns)
    top = max(float(hist.to_numpy().max()), 1.0)
    pad_l, pad_b, pad_t = 34, 36, 24
    plot_w, plot_h = width - pad_l - 8, height - pad_b - pad_t
    group_w = plot_w / max(n_cls, 1)
    bar_w = group_w * 0.8 / max(len(series), 1)
    parts = [
        f"<svg xmlns='http://www.w3.org/2000/svg' width='{width}' height='{height}' "
        f"role='img' font-size='10' font-family='sans-serif'>"
    ]
    for i, cls in enumerate(hist.index):
        x0 = pad_l + i * group_w + group_w * 0.1
        for j, s in enumerate(series):
            v = float(hist.iloc[i, j])
            h = plot_h * v / top
            x = x0 + j * bar_w
            y = pad_t + plot_h - h
            parts.append(
                f"<rect x='{x:.1f}' y='{y:.1f}' width='{bar_w:.1f}' height='{h:.1f}' "
                f"fill='{_e(colors.get(s, '#888'))}'><title>{_e(labels.get(s, s))} "
                f"{_e(cls)}: {int(v)}</title></rect>"
            )
        parts.append(
            f"<text x='{pad_l + (i + 0.5) * group_w:.1f}' y='{height - pad_b + 14}' "
            f"text-anchor='middle'>{_e(cls)}</text>"
        )
    parts.append(
        f"<line x1='{pad_l}' y1='{pad_t + plot_h}' x2='{width - 8}' "
        f"y2='{pad_t + plot_h}' stroke='#333'/>"
    )
    parts.append(f"<text x='{pad_l - 4}' y='{pad_t + 4}' text-anchor='end'>{int(top)}</text>")
    step = min(150.0, (width - pad_l) / max(len(series), 1))
    for j, s in enumerate(series):
        x = pad_l + j * step
        parts.append(
            f"<rect x='{x:.1f}' y='4' width='10' height='10' "
            f"fill='{_e(colors.get(s, '#888'))}'/>"
            f"<text x='{x + 14:.1f}' y='13'>{_e(labels.get(s, s))}</text>"
        )
    parts.append("</svg>")
    return "".join(parts)


_CSS = """
body{font-family:-apple-system,'Segoe UI','Noto Sans CJK SC','Microsoft YaHei',sans-serif;
margin:24px;color:#222;max-width:1200px}
h1{margin-bottom:0}table{border-collapse:collapse;margin:8px 0;font-size:13px}
th,td{border:1px solid #ccc;padding:3px 6px;text-align:left;vertical-align:top}
th{background:#f2f2f2}.note{color:#8a4b00}.muted{color:#666;font-size:12px}
.miss{color:#b00020;font-weight:bold}iframe{border:1px solid #ccc;width:100%;height:560px}
"""


def build_report(
    result: gpd.GeoDataFrame,
    layers: Layers | None = None,
    config: PlannerConfig | None = None,
    *,
    lang: str = "zh",
    synthetic: bool = False,
    basemap: str = "none",
    tile_url: str | None = None,
    title: str | None = None,
    reports: dict[str, dict] | None = None,
    card: pd.DataFrame | None = None,
    indicators: object | None = None,
    sheet: bool = False,
    extra: Extra = None,
) -> str:
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
        Life-circle report card (the first item of :func:`planner.app.run.life_circle_card`),
        shown when given.
    indicators : IndicatorCard, optional
        The indicator card (:func:`planner.indicators.indicator_card`), shown when given.
    reports : dict, optional
        Per-role read reports (:func:`planner.app.uploads.layer_summary` shape) for the Data
        section; by default a count per layer.
    sheet : bool
        Add the A3 map sheet (:func:`planner.drawing.sheet.run_sheet`): a preview and the PDF
        as a download link inside the page.
    extra : sequence of str, or a function returning one, optional
        Further sections (escaped HTML) placed before the criteria, e.g. a programme's
        (:func:`planner.app.plan_report.plan_sections`); a function is called only when the
        report is made.

    Returns
    -------
    str
        One HTML document; Leaflet and every chart inline.
    """
    config = config or PlannerConfig()
    title = title or tr("report_title", lang)
    parts = [_head(title, lang, synthetic), _summary_section(result, lang)]
    if layers is not None or reports:
        parts.append(_data_section(layers, reports, lang))
    parts += [
        _map_section(result, layers, config, lang, basemap, tile_url),
        _charts_section(result, lang),
        _candidates_section(result, layers, lang),
    ]
    if sheet:
        parts.append(sheet_section(result, layers, config, lang))
    if card is not None and len(card):
        parts.append(_card_section(card, lang))
    if indicators is not None:
        parts.append(card_section(indicators, lang))
    parts.extend(extra() if callable(extra) else (extra or ()))
    parts += [
        _criteria_section(result, config, lang),
        _params_section(config, lang),
        "</body></html>",
    ]
    return "".join(parts)


def _heading(key: str, lang: str, level: int = 2) -> str:
    return f"<h{level}>{_e(tr(key, lang))}</h{level}>"


def _head(title: str, lang: str, synthetic: bool) -> str:
    """The document head, the title, when and with which version it was made."""
    out = (
        f"<!DOCTYPE html><html lang='{'zh-CN' if lang == 'zh' else 'en'}'><head>"
        "<meta charset='utf-8'><meta name='viewport' content='width=device-width'>"
        f"<title>{_e(title)}</title><style>{_CSS}</style></head><body>"
        f"<h1>{_e(title)}</h1>"
        f"<p class='muted'>{_e(tr('report_generated', lang, version=__version__))} · "
        f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC</p>"
    )
    if synthetic:
        out += f"<p class='note'>{_e(tr('report_synthetic', lang))}</p>"
    return out


def _summary_section(result: gpd.GeoDataFrame, lang: str) -> str:
    """The counts of each use, and the criteria left out for want of a layer."""
    out = _heading("report_summary", lang) + f"<p>{_e(summary_text(result, lang))}</p>"
    missing = missing_criteria_text(result, lang)
    if missing:
        out += f"<p class='note'>{_e(missing)}</p>"
    return out


def _data_section(layers: Layers | None, reports: dict[str, dict] | None, lang: str) -> str:
    """The layers read: the given read reports, else a count per layer."""
    summary = summary_in(layer_summary(reports if reports else demo_reports(layers), lang), lang)
    return _heading("report_data", lang) + html_table(summary)


def _map_section(
    result: gpd.GeoDataFrame,
    layers: Layers | None,
    config: PlannerConfig,
    lang: str,
    basemap: str,
    tile_url: str | None,
) -> str:
    """The map, Leaflet inlined, in an ``<iframe srcdoc>``."""
    page = map_html(
        build_map(
            result,
            layers,
            config,
            lang=lang,
            basemap=basemap,
            tile_url=tile_url,
            assets="inline",
            height="540px",
        )
    )
    return (
        _heading("report_map", lang)
        + f"<iframe title='{_e(tr('report_map', lang))}' "
        + f'srcdoc="{html.escape(page, quote=True)}"></iframe>'
    )


def _charts_section(result: gpd.GeoDataFrame, lang: str) -> str:
    """The score distribution of both uses and the plots per recommended use, as SVG."""
    hist = score_histogram(result)
    labels = {u: use_label(u, lang) for u in USES}
    counts = use_counts(result)
    count_bars = pd.DataFrame(
        {u: [counts[u]] for u in ("pocket_park", "parking", "none")},
        index=[tr("recommended_use", lang)],
    )
    return (
        _heading("report_charts", lang)
        + _heading("chart_distribution", lang, 3)
        + svg_bars(hist, {u: USE_COLORS[u] for u in USES}, labels)
        + _heading("legend_use", lang, 3)
        + svg_bars(
            count_bars,
            USE_COLORS,
            {**labels, "none": use_label("none", lang)},
            width=360,
            height=180,
        )
    )


def _candidates_section(result: gpd.GeoDataFrame, layers: Layers | None, lang: str) -> str:
    """The ranked candidates (at most :data:`REPORT_MAX_ROWS`), with their life circle."""
    circles = plots_in_circles(result, layers)
    table = candidate_table(result, lang=lang, circles=circles if circles.notna().any() else None)
    shown = table.head(REPORT_MAX_ROWS)
    shown = shown.rename(columns={c: tr(c, lang) for c in shown.columns})
    return (
        _heading("report_top", lang)
        + html_table(shown)
        + (
            f"<p class='muted'>{len(table) - REPORT_MAX_ROWS} more in the download</p>"
            if len(table) > REPORT_MAX_ROWS
            else ""
        )
    )


def _card_section(card: pd.DataFrame, lang: str) -> str:
    """The life-circle report card."""
    return _heading("card_title", lang) + html_table(
        card.rename(columns={c: tr(c, lang) for c in card.columns}), floats="{:,.2f}"
    )


def _criteria_section(result: gpd.GeoDataFrame, config: PlannerConfig, lang: str) -> str:
    """Every criterion of each use with its weight in this run and its rule."""
    crits = criteria_weights(result, config, lang)
    crits = pd.DataFrame(
        {
            tr("recommended_use", lang): crits["use"].map(lambda u: use_label(u, lang)),
            tr("criterion", lang): crits["label"],
            tr("weight", lang): crits["weight"],
            tr("rule", lang): crits["rule"],
        }
    )
    return _heading("report_criteria", lang) + html_table(crits)


def _params_section(config: PlannerConfig, lang: str) -> str:
    """Every parameter of the configuration, one row per key."""
    params = []
    for section, values in config.to_dict().items():
        for key, value in values.items():
            if isinstance(value, dict):
                for k2, v2 in value.items():
                    params.append((f"{section}.{key}", k2, str(v2)))
            else:
                params.append((section, key, str(value)))
    # the names and values as the configuration file writes them: code, in either language
    head = "".join(f"<th>{_e(tr(f'param_{c}', lang))}</th>" for c in ("section", "key", "value"))
    rows = "".join(
        "<tr>" + "".join(f"<td><code>{_e(v)}</code></td>" for v in row) + "</tr>" for row in params
    )
    table = f"<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"
    return _heading("report_params", lang) + table


#: Resolution of the sheet's preview in the report, dots per inch.
REPORT_SHEET_DPI = 80


def sheet_section(
    result: gpd.GeoDataFrame, layers: Layers | None, config: PlannerConfig, lang: str
) -> str:
    """The report's map sheet: the A3 page as a picture and its PDF as a link (data URIs)."""
    from planner.drawing.sheet import run_sheet

    files, info = run_sheet(
        result, layers, config, lang=lang, formats=("pdf", "png"), dpi=REPORT_SHEET_DPI
    )
    png = base64.b64encode(files["png"]).decode("ascii")
    pdf = base64.b64encode(files["pdf"]).decode("ascii")
    link = tr("report_sheet_download", lang, scale=f"1:{info.scale:,}")
    return (
        f"<h2>{_e(tr('report_sheet', lang))}</h2>"
        f"<p><a download='map_sheet_A3.pdf' href='data:application/pdf;base64,{pdf}'>"
        f"{_e(link)}</a></p><img alt='{_e(tr('report_sheet', lang))}' "
        f"style='max-width:100%;border:1px solid #ccc' src='data:image/png;base64,{png}'>"
    )


#: A scored result, or what gives it when a file is made (the app writes its reasons then).
Result = gpd.GeoDataFrame | Callable[[], gpd.GeoDataFrame]


def on_press(make: Callable[..., object], result: Result, *args: Any, **kwargs: Any):  # noqa: ANN201
    """A download's ``data`` callable: ``make(result, *args, **kwargs)``, ``result`` got then."""

    def made() -> object:
        return make(result() if callable(result) else result, *args, **kwargs)

    return made


def drawing_downloads(
    result: Result, layers: Layers | None, config: PlannerConfig, lang: str
) -> list[dict[str, object]]:
    """The download buttons of the CAD drawing (DXF) and the A3 map sheet (PDF)."""
    from planner.drawing.content import drawing_bytes
    from planner.drawing.sheet import run_sheet

    def pdf(scored: gpd.GeoDataFrame) -> bytes:
        return run_sheet(scored, layers, config, lang=lang)[0]["pdf"]

    return [
        {
            "label": tr("download_dxf", lang),
            "data": on_press(drawing_bytes, result, layers, config),
            "file_name": tr("file_candidates", lang) + ".dxf",
            "mime": MIME_TYPES[".dxf"],
            "key": "dl_dxf",
        },
        {
            "label": tr("download_sheet", lang),
            "data": on_press(pdf, result),
            "file_name": tr("file_sheet", lang) + ".pdf",
            "mime": MIME_TYPES[".pdf"],
            "key": "dl_sheet",
        },
    ]


def downloads(
    result: Result,
    layers: Layers | None,
    config: PlannerConfig,
    *,
    lang: str = "zh",
    synthetic: bool = False,
    reports: dict[str, dict] | None = None,
    card: pd.DataFrame | None = None,
    indicators: object | None = None,
    extra: Extra = None,
) -> list[dict[str, object]]:
    """The app's download buttons: label, data, file name, MIME type and widget key each.

    The candidates in every :data:`planner.io.write.OUTPUT_FORMATS`, the CAD drawing and the
    A3 map sheet (:func:`drawing_downloads`), the HTML report (:func:`build_report`, with the
    ``extra`` sections), the
    indicator card as XLSX when given, and the weights as TOML. Files are ``data`` callables,
    made only when their button is pressed (the configuration, small, is made at once);
    ``result`` may be a callable giving the scored result then (:data:`Result`).
    """
    out: list[dict[str, object]] = [
        {
            "label": tr("download_candidates", lang, fmt=ext.lstrip(".").upper()),
            "data": on_press(export_bytes, result, ext),
            "file_name": tr("file_candidates", lang) + ext,
            "mime": MIME_TYPES.get(ext, "application/octet-stream"),
            "key": f"dl{ext}",
        }
        for ext in OUTPUT_FORMATS
    ]
    out += drawing_downloads(result, layers, config, lang)
    out.append(
        {
            "label": tr("download_report", lang),
            "data": on_press(
                build_report,
                result,
                layers,
                config,
                lang=lang,
                synthetic=synthetic,
                reports=reports,
                card=card,
                indicators=indicators,
                sheet=True,
                extra=extra,
            ),
            "file_name": tr("file_report", lang) + ".html",
            "mime": "text/html",
            "key": "dl_report",
        }
    )
    if indicators is not None:
        out.append(
            {
                "label": tr("download_indicators", lang),
                "data": partial(card_xlsx, indicators),
                "file_name": tr("file_indicators", lang) + ".xlsx",
                "mime": MIME_TYPES[".xlsx"],
                "key": "dl_indicators",
            }
        )
    out.append(
        {
            "label": tr("download_config", lang),
            "data": config_toml(config),
            "file_name": tr("file_weights", lang) + ".toml",
            "mime": "application/toml",
            "key": "dl_config",
        }
    )
    return out
