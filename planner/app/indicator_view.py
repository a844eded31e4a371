"""The indicator card in the app and the HTML report: tables, messages and HTML, no streamlit.

:func:`card_of` makes a run's card (:func:`planner.indicators.indicator_card`) once per data,
settings and recommendations; :func:`card_table` and the other ``*_table`` functions label
it in the chosen language; :func:`card_elements` is what the app's indicators tab shows, as
``(streamlit element, value)`` pairs; :func:`card_section` and :func:`card_page` are the same
in HTML (every piece of text escaped).
"""

from __future__ import annotations

import hashlib
import html
import tempfile
from collections import OrderedDict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from planner.app.i18n import TEXT, md_escape, tr, use_label
from planner.indicators import IndicatorCard, indicator_card
from planner.indicators.definitions import (
    INDICATOR_BY_KEY,
    INDICATORS,
    PARK_SERVICE_TIERS,
)
from planner.indicators.facilities import FACILITY_TYPES
from planner.io.write import write_atomic, write_xlsx_sheets
from planner.messages import localized

#: Cards kept for the app (one per data load, settings and recommendations).
CACHE_SIZE = 8
_CACHE: OrderedDict[tuple, tuple[IndicatorCard | None, str | None]] = OrderedDict()
#: Card values shown in each row's columns, in order.
VALUE_COLUMNS = ("official_before", "official_after", "walking_before", "walking_after")


def _run_key(run: Any) -> tuple:
    """What a run's card depends on: the data, the settings and what each plot becomes."""
    from planner.app.views import settings_key

    res = run.result
    digest = hashlib.sha256(
        res["plot_id"].astype(str).str.cat(sep="|").encode()
        + res["recommended_use"].astype(str).str.cat(sep="|").encode()
        + np.asarray(res["est_parking_spaces"], dtype=float).tobytes()
    ).hexdigest()
    return (run.load_key, settings_key(run.config), digest)


def card_of(run: Any) -> IndicatorCard | None:
    """The indicator card of an app run (:class:`planner.app.views.Run`), or None.

    None when the run has no result or no distance model, or the card could not be made
    (:func:`card_error` says why). Made once per data load, settings and recommendations,
    and kept for the last :data:`CACHE_SIZE` of them.
    """
    return _card_and_error(run)[0]


def _basis(basis: str, lang: str) -> str:
    """How distances on foot were measured, in ``lang`` (as it is when not labelled)."""
    return tr(f"basis_{basis}", lang) if f"basis_{basis}" in TEXT else basis


def card_error(run: Any, lang: str = "en") -> str | None:
    """Why the run's card could not be made (escaped text in ``lang``), or None."""
    from planner.app.views import error_text

    error = _card_and_error(run)[1]
    return None if error is None else error_text(error, lang)


def _card_and_error(run: Any) -> tuple[IndicatorCard | None, BaseException | None]:
    if run.result is None or run.distances is None or run.layers is None:
        return None, None
    key = _run_key(run)
    if key not in _CACHE:
        circles = getattr(run.lc_report, "circles", None)
        try:
            _CACHE[key] = (
                indicator_card(
                    run.layers,
                    run.config,
                    scored=run.result,
                    distances=run.distances,
                    circles=circles,
                ),
                None,
            )
        except Exception as exc:  # noqa: BLE001 - uploaded data must never crash the app
            _CACHE[key] = (None, exc)
        while len(_CACHE) > CACHE_SIZE:
            _CACHE.popitem(last=False)
    _CACHE.move_to_end(key)
    return _CACHE[key]


def _target_text(key: str, target: float) -> str:
    if target != target:
        return ""
    return ("≥ " if INDICATOR_BY_KEY[key].higher_is_better else "≤ ") + f"{target:g}"


def _mark(values: pd.Series) -> list[str]:
    return ["" if v is pd.NA or v is None else ("✓" if v else "✗") for v in values]


def card_table(card: IndicatorCard, lang: str) -> pd.DataFrame:
    """The card, headings and indicator names in ``lang``: one row per indicator and area."""
    c = card.card
    name = c["name_zh"] if lang == "zh" else c["name_en"]
    out = pd.DataFrame(
        {
            tr("ind_indicator", lang): name.to_numpy(),
            tr("ind_area", lang): c["area_name"].to_numpy(),
            tr("ind_unit", lang): c["unit"].to_numpy(),
        }
    )
    for col in VALUE_COLUMNS:
        out[tr(f"ind_{col}", lang)] = c[col].to_numpy(dtype=float)
    out[tr("ind_target", lang)] = [
        _target_text(k, t) for k, t in zip(c["indicator"], c["target"].to_numpy(float), strict=True)
    ]
    out[tr("ind_meets_before", lang)] = _mark(c["meets_target_before"])
    out[tr("ind_meets_after", lang)] = _mark(c["meets_target_after"])
    out[tr("ind_detail", lang)] = c["detail"].to_numpy()
    out[tr("ind_clause", lang)] = c["clause"].to_numpy()
    return out


def definitions_table(lang: str) -> pd.DataFrame:
    """Each indicator's name, unit, formula, definition and clause in ``lang``."""
    zh = lang == "zh"
    return pd.DataFrame(
        {
            tr("ind_indicator", lang): [i.name_zh if zh else i.name_en for i in INDICATORS],
            tr("ind_unit", lang): [i.unit for i in INDICATORS],
            tr("ind_formula", lang): [i.formula for i in INDICATORS],
            tr("ind_definition", lang): [
                i.definition_zh if zh else i.definition_en for i in INDICATORS
            ],
            tr("ind_clause", lang): [i.clause for i in INDICATORS],
        }
    )


def tiers_table(lang: str) -> pd.DataFrame:
    """The park service-radius tiers in ``lang``."""
    zh = lang == "zh"
    return pd.DataFrame(
        {
            tr("ind_tier", lang): [t.name_zh if zh else t.name_en for t in PARK_SERVICE_TIERS],
            tr("ind_min_area", lang): [t.min_area_m2 for t in PARK_SERVICE_TIERS],
            tr("ind_radius", lang): [t.radius_m for t in PARK_SERVICE_TIERS],
            tr("ind_clause", lang): [t.clause for t in PARK_SERVICE_TIERS],
        }
    )


def facilities_table(card: IndicatorCard, lang: str) -> pd.DataFrame:
    """Share of residents reaching each facility type, by area, in ``lang``."""
    f = card.facilities
    clause = {t.key: t.clause for t in FACILITY_TYPES}
    out = pd.DataFrame(
        {
            tr("ind_area", lang): f["area_name"].to_numpy(),
            tr("ind_facility", lang): (f["name_zh"] if lang == "zh" else f["name_en"]).to_numpy(),
            tr("ind_level", lang): f["level_minutes"].to_numpy(),
            tr("ind_distance", lang): f["distance_m"].to_numpy(dtype=float),
        }
    )
    for col in VALUE_COLUMNS:
        out[tr(f"ind_{col}", lang)] = f[col].to_numpy(dtype=float)
    out[tr("ind_clause", lang)] = f["facility"].map(clause).to_numpy()
    return out


def conversions_table(card: IndicatorCard, lang: str) -> pd.DataFrame:
    """The plots that change: id, name, what it becomes, area, new stalls, life circle."""
    c = card.conversions
    return pd.DataFrame(
        {
            tr("plot_id", lang): c["plot_id"].astype(str).to_numpy(),
            tr("name", lang): c["name"].to_numpy(),
            tr("ind_use", lang): [use_label(u, lang) for u in c["use"]],
            tr("area_m2", lang): c["area_m2"].to_numpy(dtype=float),
            tr("ind_new_stalls", lang): c["new_stalls"].to_numpy(dtype=float),
            tr("ind_area", lang): c["life_circle"].to_numpy(),
        }
    )


def source_text(card: IndicatorCard, lang: str) -> str:
    """What the "after" is, in ``lang``."""
    return tr("ind_source_recommended", lang) if card.source == "recommended" else card.source


def card_elements(run: Any, lang: str) -> list[tuple[str, Any]]:
    """What the app's indicators tab shows: ``(streamlit element, value)`` pairs.

    The life-circle report card (when the run has one), then the indicator card, its notes,
    the facilities, the plots that change and the definitions. A card that cannot be made
    is said as a warning; data frames carry their first column as the index.
    """
    out: list[tuple[str, Any]] = []
    if getattr(run, "card", None) is not None:
        from planner.app.views import labelled

        lc = labelled(run.card, lang)
        out += [("subheader", tr("card_title", lang)), ("dataframe", lc.set_index(lc.columns[0]))]
    card, error = _card_and_error(run)
    if error is not None:
        return [*out, ("warning", tr("ind_unavailable", lang, msg=card_error(run, lang)))]
    if card is None:
        return out
    out += [
        ("subheader", tr("ind_title", lang)),
        (
            "caption",
            tr("ind_note", lang, basis=_basis(card.basis, lang), source=source_text(card, lang)),
        ),
        ("dataframe", _indexed(card_table(card, lang))),
    ]
    out += [("info", md_escape(localized(note, lang))) for note in card.notes]
    out += [
        ("subheader", tr("ind_facilities_title", lang)),
        ("dataframe", _indexed(facilities_table(card, lang))),
        ("subheader", tr("ind_conversions_title", lang)),
        ("dataframe", _indexed(conversions_table(card, lang))),
        ("subheader", tr("ind_definitions_title", lang)),
        ("dataframe", _indexed(definitions_table(lang))),
        ("subheader", tr("ind_tiers_title", lang)),
        ("dataframe", _indexed(tiers_table(lang))),
    ]
    return out


def _indexed(frame: pd.DataFrame) -> pd.DataFrame:
    from planner.io.write import spreadsheet_text

    safe = spreadsheet_text(frame)
    return safe.set_index(safe.columns[0])


def card_xlsx(card: IndicatorCard) -> bytes:
    """The card's workbook (:meth:`IndicatorCard.sheets`) as bytes, text kept as text."""
    with tempfile.TemporaryDirectory(prefix="planner-export-") as tmp:
        path = write_atomic(
            Path(tmp) / "indicators.xlsx", lambda p: write_xlsx_sheets(card.sheets(), p)
        )
        return path.read_bytes()


# --- HTML ---------------------------------------------------------------------------------------
def _e(value: object) -> str:
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return ""
    if isinstance(value, float):
        return f"{value:,.2f}"
    return html.escape(str(value), quote=True)


def _table(frame: pd.DataFrame, *, marks: tuple[str, ...] = ()) -> str:
    """An HTML table, every cell escaped; ``✗`` in the ``marks`` columns shown as a miss."""
    head = "".join(f"<th>{_e(c)}</th>" for c in frame.columns)
    cols = [
        [
            (f"<span class='miss'>{_e(v)}</span>" if c in marks and v == "✗" else _e(v))
            for v in frame[c].astype(object).to_numpy()
        ]
        for c in frame.columns
    ]
    body = "".join(
        "<tr>" + "".join(f"<td>{v}</td>" for v in row) + "</tr>" for row in zip(*cols, strict=True)
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def card_section(card: IndicatorCard, lang: str) -> str:
    """The card as an HTML section (heading, note, card, facilities, definitions, tiers)."""
    table = card_table(card, lang)
    marks = (tr("ind_meets_before", lang), tr("ind_meets_after", lang))
    note = tr("ind_note", lang, basis=_basis(card.basis, lang), source=source_text(card, lang))
    parts = [
        f"<h2>{_e(tr('ind_title', lang))}</h2>",
        f"<p class='muted'>{_e(note)}</p>",
        _table(table, marks=marks),
    ]
    parts += [f"<p class='note'>{_e(localized(n, lang))}</p>" for n in card.notes]
    parts += [
        f"<h3>{_e(tr('ind_facilities_title', lang))}</h3>",
        _table(facilities_table(card, lang)),
        f"<h3>{_e(tr('ind_conversions_title', lang))}</h3>",
        _table(conversions_table(card, lang)),
        f"<h3>{_e(tr('ind_definitions_title', lang))}</h3>",
        _table(definitions_table(lang)),
        f"<h3>{_e(tr('ind_tiers_title', lang))}</h3>",
        _table(tiers_table(lang)),
    ]
    return "".join(parts)


_CSS = """
body{font-family:-apple-system,'Segoe UI','Noto Sans CJK SC','Microsoft YaHei',sans-serif;
margin:24px;color:#222;max-width:1400px}table{border-collapse:collapse;margin:8px 0;
font-size:13px}th,td{border:1px solid #ccc;padding:3px 6px;text-align:left;vertical-align:top}
th{background:#f2f2f2}.note{color:#8a4b00}.muted{color:#666;font-size:12px}
.miss{color:#b00020;font-weight:bold}
"""


def card_page(card: IndicatorCard, lang: str, *, synthetic: bool = False) -> str:
    """The card as one self-contained HTML page (``planner indicators --out card.html``)."""
    from planner._version import __version__

    title = tr("ind_title", lang)
    head = (
        f"<!DOCTYPE html><html lang='{'zh-CN' if lang == 'zh' else 'en'}'><head>"
        f"<meta charset='utf-8'><title>{_e(title)}</title><style>{_CSS}</style></head>"
        f"<body><p class='muted'>{_e(tr('report_generated', lang, version=__version__))}"
        f" · {datetime.now(UTC):%Y-%m-%d %H:%M} UTC</p>"
    )
    if synthetic:
        head += f"<p class='note'>{_e(tr('report_synthetic', lang))}</p>"
    return head + card_section(card, lang) + "</body></html>"
