"""One language at a time: the app walked in 中文 and in English shows no text of the other.

The app is driven as tests/app/test_app.py drives it (streamlit's AppTest on the demo district):
every tab, a selected plot, the decision tools, two saved scenarios compared, and a drop that
goes wrong. The text of every element AppTest exposes is collected (labels, options, help,
placeholders, bodies, table headings, chart fields), and beside it the map of each colouring
and base map (layer names, legend, tooltips, popups), the downloads' labels and file names and
the HTML report. In English no Chinese may show beyond data values (plot and life-circle names
of the demo) and :data:`PROPER_NAMES`; in Chinese no English word beyond data values and
:data:`ALLOWED_WORDS` (units, format and brand names, standard and CRS codes, method names).
"""

from __future__ import annotations

import html.parser
import json
import re
from pathlib import Path

import geopandas as gpd
import pyarrow as pa
import pytest
from google.protobuf.message import Message
from shapely.geometry import LineString
from streamlit.testing.v1 import AppTest

import planner
from planner.app.map_view import map_for
from planner.app.maps import BASEMAP_CHOICES
from planner.app.report import downloads
from planner.app.run import run_inputs, score_run
from planner.config import PlannerConfig

APP = str(Path(__file__).resolve().parents[2] / "streamlit_app.py")
TIMEOUT = 180

CJK = re.compile(r"[\u3400-\u9fff\u3000-\u303f\uff00-\uffef]+")
#: An English word: two or more Latin letters not glued to digits (``D001`` is an id).
WORD = re.compile(r"(?<![A-Za-z0-9_])[A-Za-z]{2,}(?![A-Za-z0-9_])")

#: Chinese that may show on the English page: the language switch, labelled in both
#: languages so that either reader finds it ("语言 / Language", "中文").
PROPER_NAMES = ("中文", "语言")
#: Proper names in Latin letters that may show on either page: the program, a method's
#: authors, a tile provider; and GDAL's own words, which a reading error quotes as they are.
LATIN_NAMES = (
    "urban-microspace-planner",
    "Polsby–Popper",
    "CartoDB",
    "not recognized as being in a supported file format.",
)

#: Latin words that may show on the Chinese page: units, file-format and brand names,
#: standard and CRS codes, method names, the language switch's own name.
ALLOWED_WORDS = frozenset(
    {
        # units
        "km",
        # file formats and software
        "CSV",
        "XLSX",
        "GeoJSON",
        "GEOJSON",
        "KML",
        "DXF",
        "PDF",
        "PNG",
        "HTML",
        "TOML",
        "GeoPackage",
        "GPKG",
        "SHP",
        "ZIP",
        "shapefile",
        "Shapefile",
        "OSM",
        "POI",
        "OpenStreetMap",
        "PBF",
        "MBTiles",
        "XYZ",
        "URL",
        "GDAL",
        "GIS",
        "CAD",
        "ID",
        # standards and coordinate systems
        "GB",
        "CJJ",
        "JGJ",
        "GBT",
        "EPSG",
        "CGCS",
        "WGS",
        "GCJ",
        "BD",
        "CRS",
        "UTC",
        # methods
        "AHP",
        "SFCA",
        "CR",
        "MCLP",
        # the language switch (labelled in both languages), Leaflet's own attribution
        "English",
        "Language",
        "Leaflet",
    }
)


# --- collecting the text ---------------------------------------------------------------------

#: Proto fields that hold text a person reads.
TEXT_FIELDS = frozenset({"label", "body", "options", "help", "placeholder", "caption"})
#: Elements whose empty placeholder streamlit fills with English ("Choose an option").
PLACEHOLDER_ELEMENTS = frozenset({"Selectbox", "Multiselect", "MultiSelect"})


def _proto_texts(proto: Message) -> list[str]:
    found = []
    for fd, value in proto.ListFields():
        values = list(value) if isinstance(value, list | tuple) or _repeated(value) else [value]
        for v in values:
            if isinstance(v, Message):
                found += _proto_texts(v)
            elif isinstance(v, str) and fd.name in TEXT_FIELDS:
                found.append(v)
    return found


def _repeated(value: object) -> bool:
    return hasattr(value, "__len__") and not isinstance(value, str | bytes | Message)


def _chart_texts(proto: Message) -> list[str]:
    """A chart's field names (tooltips) and series names (its legend)."""
    found = []

    def walk(spec: object) -> None:
        if isinstance(spec, dict):
            for k, v in spec.items():
                if k == "field" and isinstance(v, str) and "streamlit-generated" not in v:
                    found.append(v)
                elif k == "title" and isinstance(v, str):
                    found.append(v)
                walk(v)
        elif isinstance(spec, list):
            for v in spec:
                walk(v)

    walk(json.loads(proto.spec))
    for ds in proto.datasets:
        table = pa.ipc.open_stream(ds.data.data).read_all()
        for name in table.column_names:
            if name.startswith("color"):
                found += [str(v) for v in table.column(name).to_pylist()]
    return found


def _element_texts(node: object) -> list[tuple[str, str]]:
    """``(element type, text)`` of every element below ``node`` of the app's tree."""
    out: list[tuple[str, str]] = []
    kind = type(node).__name__
    proto = getattr(node, "proto", None)
    if isinstance(proto, Message):
        name = type(proto).__name__
        if name == "VegaLiteChart":
            out += [(name, t) for t in _chart_texts(proto)]
        elif name != "ComponentInstance":  # the folium map: checked from the library below
            out += [(kind, t) for t in _proto_texts(proto)]
        if kind in PLACEHOLDER_ELEMENTS and not getattr(proto, "placeholder", ""):
            out.append((kind, "Choose an option"))
    if kind == "Dataframe":
        out += [(kind, str(c)) for c in node.value.columns]
    children = getattr(node, "children", None)
    for child in children.values() if isinstance(children, dict) else []:
        out += _element_texts(child)
    return out


class _HtmlText(html.parser.HTMLParser):
    """The text a reader sees in an HTML page (no script, no style; no ``<code>``: names and
    values as a configuration file writes them)."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self._skip += tag in ("script", "style", "code")
        self.parts += [v for k, v in attrs if k in ("title", "alt") and v]

    def handle_endtag(self, tag: str) -> None:
        self._skip -= tag in ("script", "style", "code")

    def handle_data(self, data: str) -> None:
        if not self._skip and data.strip():
            self.parts.append(data.strip())


def html_texts(page: str) -> list[str]:
    """The visible text pieces of an HTML page or fragment."""
    parser = _HtmlText()
    parser.feed(page)
    return parser.parts


def _json_strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        value = list(value.values())
    return [s for v in value for s in _json_strings(v)] if isinstance(value, list) else []


def map_texts(fmap: object) -> list[str]:
    """The words of a folium map: layer names, legend, tooltips and popups of every feature."""
    found: list[str] = []

    def walk(elem: object) -> None:
        name = getattr(elem, "layer_name", None)
        if isinstance(name, str) and type(elem).__name__ != "Map":
            found.extend(html_texts(name))
        own = getattr(elem, "html_text", None)  # the legend
        if isinstance(own, str):
            found.extend(html_texts(own))
        data = getattr(elem, "data", None)
        if isinstance(data, dict):
            for feature in data.get("features", []):
                for key, value in feature.get("properties", {}).items():
                    if key.startswith("_") and isinstance(value, str):
                        found.extend(html_texts(value))
        for field in ("text", "header", "html"):
            value = getattr(elem, field, None)
            if isinstance(value, str):
                found.extend(html_texts(value))
        if type(elem).__name__ == "PlotLayer":  # the plots: labels once, tooltips and popups
            for field in ("labels", "columns"):
                found.extend(
                    t
                    for s in _json_strings(json.loads(elem.__dict__[field]))
                    for t in html_texts(s)
                )
        for child in getattr(elem, "_children", {}).values():
            walk(child)

    walk(fmap)
    return found


# --- judging the text ------------------------------------------------------------------------


def _data_values() -> list[str]:
    """Every text cell of the demo's layers (plot, life-circle, road names ...), longest first."""
    demo = planner.load_demo()
    values: set[str] = set()
    for _role, frame in demo.present():
        for col in frame.columns:
            if frame[col].dtype == object or str(frame[col].dtype) in ("string", "str"):
                values |= {str(v) for v in frame[col].dropna().unique() if str(v).strip()}
    # what the walk types or drops: phase and scenario names, the dropped layers' names
    values |= {"近期", "中期", "分期方案", "最差优先", "streets", "more"}
    return sorted(values, key=len, reverse=True)


DATA_VALUES = _data_values()


def _without_data(text: str) -> str:
    for value in DATA_VALUES:
        if value in text:
            text = text.replace(value, " ")
    return text


def leaks(texts: list[tuple[str, str]], lang: str) -> list[tuple[str, str, str]]:
    """``(where, offending piece, text)`` of every text with words of the other language."""
    found = []
    for where, text in texts:
        text = text.replace("\\", "")  # Markdown escapes
        # URLs, paths and file names (data: the planner's own files are named in the language)
        bare = re.sub(r"https?://\S+|(?:/[\w.-]+){2,}|[\w.-]+\.[A-Za-z]{2,8}\b", " ", text)
        bare = re.sub(r"#[0-9A-Fa-f]{3,8}\b", " ", _without_data(bare))  # colours
        for name in LATIN_NAMES:
            bare = bare.replace(name, " ")
        if lang == "en":
            for name in PROPER_NAMES:
                bare = bare.replace(name, " ")
            bad = CJK.findall(bare)
        else:
            bare = re.sub(r"\b[a-z_]+(?:\.[a-z_]+)+\b", " ", bare)  # configuration keys
            bad = [w for w in WORD.findall(bare) if w not in ALLOWED_WORDS]
        if bad:
            found.append((where, " ".join(bad), text))
    return sorted(set(found))


def test_the_judge_catches_each_script_and_passes_data_values() -> None:
    texts = [("x", "Choose an option"), ("y", "生活圈 life circles"), ("z", "D001 · 100 m²")]
    assert [w for w, _, _ in leaks(texts, "zh")] == ["x", "y"]
    assert [w for w, _, _ in leaks(texts, "en")] == ["y"]
    plot_name = next(v for v in DATA_VALUES if CJK.search(v))
    assert not leaks([("n", f"Plot {plot_name}: 120 m² (EPSG:4548, GB 50180-2018)")], "en")
    assert not leaks([("n", f"地块 {plot_name}：导出 CSV / XLSX，AHP 权重")], "zh")


# --- walking the app -------------------------------------------------------------------------


def _run(at: AppTest) -> None:
    at.run()
    assert not at.exception, [e.value for e in at.exception]


def _lines(name: str) -> tuple[str, bytes, str]:
    """A GeoJSON of street lines: the first takes the roads role, a second finds none free."""
    lines = gpd.GeoDataFrame(
        {"name": ["a"]}, geometry=[LineString([(116.30, 40.0), (116.31, 40.0)])], crs=4326
    )
    return name, lines.to_json().encode(), "application/geo+json"


def _walk(lang: str) -> list[tuple[str, str]]:
    """Drive the app through its states in ``lang``; the text of every state seen."""
    texts: list[tuple[str, str]] = []
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    _run(at)
    at.radio(key="lang").set_value(lang)
    _run(at)
    texts += _element_texts(at._tree)
    # a plot selected, a slower tool on, the targets run, sensitivity, another colouring
    at.selectbox(key="selected").set_value("D001")
    at.checkbox(key="f_sens").check()
    at.checkbox(key="tg_run").check()
    at.selectbox(key="color_by").set_value("park_score")
    _run(at)
    texts += _element_texts(at._tree)
    # an impossible target, a base map without its key and the weights of a use all zero:
    # each said in the page's language
    at.number_input(key="tg_spaces").set_value(100_000)
    at.selectbox(key="basemap").set_value("tianditu")
    for crit in planner.config.PARK_CRITERIA:
        at.slider(key=f"w.pocket_park.{crit}").set_value(0.0)
    _run(at)
    texts += _element_texts(at._tree)
    assert len(at.error) >= 2 and at.warning, [e.value for e in at.error]
    for crit in planner.config.PARK_CRITERIA:  # back to weights that score
        at.slider(key=f"w.pocket_park.{crit}").set_value(0.2)
    # phases, two scenarios saved and compared
    at.text_input(key="sel_phases").set_value("近期=300,中期=500")
    at.text_input(key="scenario_name").set_value("分期方案")
    _run(at)
    at.button(key="save_scenario").click()
    _run(at)
    at.text_input(key="sel_phases").set_value("")
    at.number_input(key="sel_budget").set_value(300.0)
    at.text_input(key="scenario_name").set_value("最差优先")
    _run(at)
    at.button(key="save_scenario").click()
    _run(at)
    texts += _element_texts(at._tree)
    # a drop with a layer no role takes and a file that is not GIS data: each problem said in
    # the page's language (the reader's own words quoted as they are)
    at.sidebar.file_uploader[0].set_value(
        [
            _lines("streets.geojson"),
            _lines("more.geojson"),
            ("broken.geojson", b"{not json", "application/json"),
        ]
    )
    _run(at)
    texts += _element_texts(at._tree)
    said = [e.value.replace("\\", "") for e in at.error]
    assert any("more.geojson" in s for s in said) and any("broken.geojson" in s for s in said)
    return texts


def _library_texts(lang: str) -> list[tuple[str, str]]:
    """The map in every colouring and base map, the downloads and the HTML report."""
    layers = planner.load_demo()
    run = run_inputs("demo", None, lambda: layers, PlannerConfig())
    score_run(run, lambda _k, _s, lay, cfg: planner.compute_criteria(lay, cfg), lang)
    texts: list[tuple[str, str]] = []
    for color_by in ("use", "park_score", "parking_score"):
        for basemap in BASEMAP_CHOICES:
            fmap, warning = map_for(
                run, lang, color_by=color_by, basemap=basemap, tianditu_key="k", tile_url=None
            )
            texts += [(f"map {color_by}/{basemap}", t) for t in map_texts(fmap)]
            texts += [("map warning", warning)] if warning else []
    for spec in downloads(run.result, run.layers, run.config, lang=lang, card=run.card):
        texts += [("download label", str(spec["label"]))]
        texts += [("download file", Path(str(spec["file_name"])).stem)]
        if spec["key"] == "dl_report":
            page = spec["data"]()
            page = page.decode("utf-8") if isinstance(page, bytes) else page
            texts += [("report", t) for t in html_texts(page)]
    return texts


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_app_speaks_one_language(lang: str) -> None:
    found = leaks(_walk(lang), lang)
    assert not found, "\n".join(f"{w}: [{bad}] in {t[:160]!r}" for w, bad, t in found)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_map_downloads_and_report_speak_one_language(lang: str) -> None:
    found = leaks(_library_texts(lang), lang)
    assert not found, "\n".join(f"{w}: [{bad}] in {t[:160]!r}" for w, bad, t in found)
