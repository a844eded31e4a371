"""Map sheets (出图) at true scale: A3 or A4 pages with legend, north arrow, scale bar, title block.

A sheet is drawn with matplotlib as vectors (PDF) or pixels (PNG), never from a screenshot of
the web map. The map frame shows the drawing at a standard scale — the smallest of
:data:`STANDARD_SCALES` at which the plots fit, or the one given — so that 1 mm on paper is
``scale`` mm on the ground everywhere in the frame; the coordinate grid, the scale bar and the
plot labels are placed by that one transform. Every text is in one font holding every glyph it
needs (:mod:`planner.drawing.fonts`); the PDF embeds the subset of the font it uses.

Page layout follows GB/T 14689-2008 《技术制图 图纸幅面和格式》: the paper sizes of
GB/T 148-1997 (= ISO 216), a frame 25 mm from the binding edge (left) and 5 mm from the others.
The side panel (bottom panel in portrait) holds the title, the north arrow and scale, the
legend of what is drawn, and the title block (project, district, sheet, scale, CRS with its
CGCS2000 zone, date, data sources, notes).
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from os import PathLike
from pathlib import Path
from typing import TYPE_CHECKING

from planner.app.i18n import LANGUAGES, role_label, tr, use_label
from planner.drawing.fonts import SheetFont, drawable_text, missing_glyphs, sheet_font
from planner.drawing.model import Drawing
from planner.errors import ConfigError, OutputError, PlannerError
from planner.messages import Msg

if TYPE_CHECKING:
    import geopandas as gpd

    from planner.config import PlannerConfig
    from planner.layers import Layers

#: Paper sizes, mm (short side, long side): GB/T 148-1997 = ISO 216.
PAPER_MM: dict[str, tuple[float, float]] = {"A3": (297.0, 420.0), "A4": (210.0, 297.0)}
ORIENTATIONS = ("landscape", "portrait")
#: Frame margins of GB/T 14689-2008 (table 1, A3 and A4 with a binding edge): a = 25 mm on
#: the binding side, c = 5 mm on the others.
BINDING_MARGIN_MM = 25.0
EDGE_MARGIN_MM = 5.0
#: Scales a sheet is drawn at, denominators: the series of the national basic scale maps,
#: GB/T 13989-2012 《国家基本比例尺地形图分幅和编号》 (1:500 … 1:100,000 of its 1:500 …
#: 1:1,000,000); district sheets are mostly 1:2,000 … 1:25,000.
STANDARD_SCALES = (500, 1000, 2000, 5000, 10000, 25000, 50000, 100000)
#: Share of the drawing's extent added on every side before the scale is chosen (a margin of
#: about 2.5 mm on an A3 frame).
FIT_PADDING = 0.01
#: Space between the map frame and the panel or border, for the grid labels, mm.
GUTTER_MM = 7.0
#: Width (landscape) or height (portrait) of the panel, mm.
PANEL_MM = {
    ("A3", "landscape"): 95.0,
    ("A4", "landscape"): 72.0,
    ("A3", "portrait"): 88.0,
    ("A4", "portrait"): 66.0,
}
#: Font sizes on A3, points (A4 is 0.8 of them).
FONT_PT = {"title": 13.0, "heading": 8.0, "body": 6.5, "small": 5.2, "label": 4.6, "circle": 7.0}
MM_PER_INCH = 25.4


class SheetError(PlannerError, ValueError):
    """A map sheet cannot be made from what was asked (paper, scale, extent)."""


@dataclass(frozen=True)
class SheetSpec:
    """What sheet to make.

    Attributes
    ----------
    paper : {"A3", "A4"}
    orientation : {"landscape", "portrait"}
    scale : int, optional
        Denominator (10000 for 1:10,000), one of :data:`STANDARD_SCALES`; chosen to fit when
        omitted.
    title, district : str, optional
        Project name and district for the title block.
    lang : {"zh", "en"}
    use : {"pocket_park", "parking"}, optional
        Show the candidates for this use only (the other plots in grey).
    date : datetime.date, optional
        Date of the title block (today when omitted).
    """

    paper: str = "A3"
    orientation: str = "landscape"
    scale: int | None = None
    title: str | None = None
    district: str | None = None
    lang: str = "zh"
    use: str | None = None
    date: dt.date | None = None

    def __post_init__(self) -> None:
        if self.paper not in PAPER_MM:
            raise ConfigError(
                Msg("drawing.unknown_paper", paper=self.paper, choices=", ".join(PAPER_MM))
            )
        if self.orientation not in ORIENTATIONS:
            raise ConfigError(Msg("drawing.unknown_orientation", orientation=self.orientation))
        if self.scale is not None and self.scale not in STANDARD_SCALES:
            raise ConfigError(
                Msg(
                    "drawing.unknown_scale",
                    scale=self.scale,
                    choices=", ".join(f"1:{s:,}" for s in STANDARD_SCALES),
                )
            )
        if self.lang not in LANGUAGES:
            raise ConfigError(Msg("drawing.unknown_language", lang=self.lang))
        if self.use not in (None, "pocket_park", "parking"):
            raise ConfigError(Msg("drawing.unknown_use", use=self.use))


@dataclass
class SheetInfo:
    """What a rendered sheet shows, for messages and tests.

    ``paper_mm`` is (width, height); ``map_mm`` the map frame (x0, y0, x1, y1) in mm from the
    page's lower-left corner; ``extent`` the ground coordinates of that frame.
    """

    scale: int
    paper_mm: tuple[float, float]
    map_mm: tuple[float, float, float, float]
    extent: tuple[float, float, float, float]
    legend: list[str] = field(default_factory=list)
    labels: int = 0
    grid_step_m: float = 0.0
    scalebar_m: float = 0.0
    font: str = ""
    crs: str = ""
    replaced: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class _Layout:
    """Rectangles of one page, mm from the lower-left corner: (x0, y0, x1, y1)."""

    width: float
    height: float
    border: tuple[float, float, float, float]
    map: tuple[float, float, float, float]
    panel: tuple[float, float, float, float]
    landscape: bool
    k: float  # font size factor

    def pt(self, kind: str) -> float:
        """Font size of ``kind`` on this paper, points."""
        return FONT_PT[kind] * self.k


def sheet_layout(paper: str, orientation: str) -> _Layout:
    """The rectangles of a page (GB/T 14689-2008 frame, side or bottom panel, map frame)."""
    short, long = PAPER_MM[paper]
    landscape = orientation == "landscape"
    w, h = (long, short) if landscape else (short, long)
    bx0, by0, bx1, by1 = BINDING_MARGIN_MM, EDGE_MARGIN_MM, w - EDGE_MARGIN_MM, h - EDGE_MARGIN_MM
    p = PANEL_MM[(paper, orientation)]
    g = GUTTER_MM
    if landscape:
        panel = (bx1 - p, by0, bx1, by1)
        mapr = (bx0 + g, by0 + g, bx1 - p - g, by1 - g)
    else:
        panel = (bx0, by0, bx1, by0 + p)
        mapr = (bx0 + g, by0 + p + g, bx1 - g, by1 - g)
    return _Layout(
        w, h, (bx0, by0, bx1, by1), mapr, panel, landscape, 1.0 if paper == "A3" else 0.8
    )


def choose_scale(
    bounds: tuple[float, float, float, float],
    frame_mm: tuple[float, float],
    given: int | None = None,
) -> int:
    """The smallest standard scale denominator at which ``bounds`` (m) fit ``frame_mm``.

    ``given`` is returned as it is. Bounds are padded by :data:`FIT_PADDING` on every side.

    Raises
    ------
    SheetError
        The extent does not fit even at the smallest scale (1:100,000).
    """
    if given is not None:
        return given
    x0, y0, x1, y1 = bounds
    span_w = max(x1 - x0, 1.0) * (1 + 2 * FIT_PADDING)
    span_h = max(y1 - y0, 1.0) * (1 + 2 * FIT_PADDING)
    for s in STANDARD_SCALES:
        if span_w * 1000.0 / s <= frame_mm[0] and span_h * 1000.0 / s <= frame_mm[1]:
            return s
    raise SheetError(
        Msg(
            "drawing.too_large",
            w=f"{span_w / 1000:.1f}",
            h=f"{span_h / 1000:.1f}",
            scale=f"{STANDARD_SCALES[-1]:,}",
        )
    )


def ground_extent(
    bounds: tuple[float, float, float, float], layout: _Layout, scale: int
) -> tuple[float, float, float, float]:
    """Ground coordinates of the map frame: centred on ``bounds``, ``scale`` m per m of paper."""
    x0, y0, x1, y1 = bounds
    cx, cy = (x0 + x1) / 2.0, (y0 + y1) / 2.0
    mx0, my0, mx1, my1 = layout.map
    half_w = (mx1 - mx0) * scale / 1000.0 / 2.0
    half_h = (my1 - my0) * scale / 1000.0 / 2.0
    return (cx - half_w, cy - half_h, cx + half_w, cy + half_h)


def crs_text(crs: object, lang: str) -> str:
    """The CRS named for the title block; a CGCS2000 Gauss-Krüger zone with zone and meridian.

    EPSG:4534–4554 are the 3-degree zones without the zone number in the easting (central
    meridian 75°E … 135°E), EPSG:4513–4533 the same zones with it (zones 25 … 45).
    """
    import pyproj

    c = pyproj.CRS.from_user_input(crs)
    code = c.to_epsg() or 0
    if 4534 <= code <= 4554:
        cm = 75 + 3 * (code - 4534)
    elif 4513 <= code <= 4533:
        cm = 75 + 3 * (code - 4513)
    else:
        return f"{c.name} (EPSG:{code})" if code else c.name
    return tr("sheet_crs_gk", lang, zone=cm // 3, cm=cm, code=code)


def grid_convergence_deg(crs: object, x: float, y: float) -> float:
    """Angle from grid north to true north at (x, y), degrees, clockwise positive."""
    import pyproj

    to_ll = pyproj.Transformer.from_crs(crs, "EPSG:4326", always_xy=True)
    from_ll = pyproj.Transformer.from_crs("EPSG:4326", crs, always_xy=True)
    lon, lat = to_ll.transform(x, y)
    nx, ny = from_ll.transform(lon, min(lat + 0.01, 89.99))
    return math.degrees(math.atan2(nx - x, ny - y))


#: Resolution of a PNG sheet, dots per inch (an A3 page is 3,307 × 2,339 pixels).
DEFAULT_DPI = 200
#: Sheet formats by extension.
SHEET_FORMATS = {".pdf": "pdf", ".png": "png"}


def sheet_format(path: str | PathLike[str]) -> str:
    """``pdf`` or ``png``, from the extension of ``path``.

    Raises
    ------
    OutputError
        Any other extension.
    """
    ext = Path(path).suffix.lower()
    if ext not in SHEET_FORMATS:
        raise OutputError(Msg("drawing.sheet_format", path=path))
    return SHEET_FORMATS[ext]


def _source_text(drawing: Drawing, lang: str) -> str:
    if drawing.synthetic:
        return tr("sheet_demo_sources", lang)
    files: dict[str, list[str]] = {}
    for role, src in drawing.sources.items():
        name = Path(str(src)).name.split(":")[0]  # FILE:LAYER names the file
        files.setdefault(name, []).append(role_label(role, lang))
    if lang == "zh":
        return "；".join(f"{f}（{'、'.join(r)}）" for f, r in files.items()) or "—"
    return "; ".join(f"{f} ({', '.join(r)})" for f, r in files.items()) or "—"


def subject_text(drawing: Drawing, spec: SheetSpec) -> str:
    """What the sheet shows: recommended uses, one use's candidates, or the chosen plots."""
    if drawing.plots["selected"].any():
        return tr("sheet_subject_selected", spec.lang)
    if spec.use is not None:
        return tr("sheet_subject_use", spec.lang, use=use_label(spec.use, spec.lang))
    return tr("sheet_subject_all", spec.lang)


def title_rows(
    drawing: Drawing, spec: SheetSpec, scale: int, font: SheetFont, basemap: str | None = None
) -> tuple[list, list[str]]:
    """The rows of the title block, and the characters of the data the font lacks."""
    from planner.drawing.sheet_panel import TitleRow

    lang = spec.lang
    district = spec.district or (tr("sheet_demo_district", lang) if drawing.synthetic else "—")
    values = [
        (tr("sheet_project", lang), spec.title or tr("sheet_default_title", lang)),
        (tr("sheet_district", lang), district),
        (tr("sheet_subject", lang), subject_text(drawing, spec)),
        (tr("sheet_scale", lang), f"1:{scale:,}"),
        (tr("sheet_crs", lang), crs_text(drawing.crs, lang)),
        (tr("sheet_date", lang), (spec.date or dt.date.today()).isoformat()),
        (tr("sheet_sources", lang), _source_text(drawing, lang)),
    ]
    if basemap:
        values.append((tr("sheet_note", lang), tr("sheet_basemap", lang, source=basemap)))
    rows, replaced = [], []
    for label, value in values:
        shown, missing = drawable_text(value, font)
        replaced += missing
        rows.append(TitleRow(label, shown))
    if drawing.synthetic:
        rows.append(TitleRow(tr("sheet_note", lang), tr("sheet_synthetic", lang), "#c0392b"))
    return rows, replaced


def _fit_title_block(
    rows: list, width: float, room: float, layout: _Layout, label_w: float
) -> tuple[float, float, list[list[str]]]:
    """Font size, height and lines of the title block, shrunk until it fits ``room`` mm."""
    from planner.drawing.sheet_panel import title_block_height

    size = FONT_PT["body"]
    while True:
        height, lines = title_block_height(rows, width, size, layout.k, label_w)
        if height <= room or size <= 4.0:
            return size, height, lines
        size *= 0.92


def _panel_boxes(layout: _Layout) -> dict[str, tuple[float, float, float, float]]:
    """Boxes of the panel: ``title``, ``north``, ``scale``, ``legend``, ``block`` (room for it)."""
    x0, y0, x1, y1 = layout.panel
    k = layout.k
    if layout.landscape:
        t1 = y1 - 26 * k
        n1 = t1 - 36 * k
        return {
            "title": (x0, t1, x1, y1),
            "north": (x0, n1, x0 + 28 * k, t1),
            "scale": (x0 + 28 * k, n1, x1, t1),
            "legend": (x0, y0, x1, n1),
            "block": (x0, y0, x1, n1),
        }
    w = x1 - x0
    a, b = x0 + 0.36 * w, x0 + 0.56 * w
    mid = (y0 + y1) / 2
    return {
        "legend": (x0, y0, a, y1),
        "north": (a, mid, b, y1),
        "scale": (a, y0, b, mid),
        "title": (b, y1 - 22 * k, x1, y1),
        "block": (b, y0, x1, y1 - 22 * k),
    }


def _draw_panel(
    page,
    layout: _Layout,
    drawing: Drawing,
    spec: SheetSpec,  # noqa: ANN001
    scale: int,
    legend: list,
    info: SheetInfo,
    basemap: str | None,
) -> None:
    from planner.drawing.sheet_panel import (
        Box,
        draw_legend,
        draw_north_arrow,
        draw_scalebar,
        draw_title_block,
    )

    lang, k = spec.lang, layout.k
    boxes = {name: Box(*b) for name, b in _panel_boxes(layout).items()}
    t = boxes["title"]
    title, missing = drawable_text(spec.title or tr("sheet_default_title", lang), page.font)
    info.replaced += missing
    page.text(t.x0 + 2, t.y1 - 3 * k, title, FONT_PT["title"], va="top")
    page.text(t.x0 + 2, t.y1 - 12 * k, subject_text(drawing, spec), FONT_PT["heading"], va="top")
    if drawing.synthetic:
        page.text(
            t.x0 + 2,
            t.y1 - 18 * k,
            tr("sheet_synthetic", lang),
            FONT_PT["small"],
            va="top",
            color="#c0392b",
        )
    n = boxes["north"]
    angle = grid_convergence_deg(
        drawing.crs, (info.extent[0] + info.extent[2]) / 2, (info.extent[1] + info.extent[3]) / 2
    )
    draw_north_arrow(
        page,
        n.x0 + n.w / 2,
        n.y0 + n.h * 0.55,
        12 * k,
        angle,
        tr("sheet_north", lang),
        tr("sheet_true_north", lang, angle=f"{angle:+.2f}"),
        FONT_PT["body"],
    )
    info.scalebar_m = draw_scalebar(
        page,
        boxes["scale"],
        scale,
        tr("sheet_scale", lang),
        "米" if lang == "zh" else "m",
        FONT_PT["body"],
    )
    rows, missing = title_rows(drawing, spec, scale, page.font, basemap)
    info.replaced += missing
    blk = boxes["block"]
    label_w = 17 * k
    size, height, lines = _fit_title_block(
        rows, blk.w, blk.h * (0.62 if layout.landscape else 1.0), layout, label_w
    )
    block = Box(blk.x0, blk.y0, blk.x1, blk.y0 + height)
    draw_title_block(page, block, rows, lines, size, label_w)
    leg = boxes["legend"]
    if layout.landscape:
        leg = Box(leg.x0, block.y1 + 2, leg.x1, leg.y1)
    draw_legend(page, leg, tr("sheet_legend", lang), legend, FONT_PT["body"])
    info.legend = [e.label for e in legend]


def render_sheet(
    drawing: Drawing, spec: SheetSpec | None = None, *, font: SheetFont | None = None, tiles=None
):  # noqa: ANN001, ANN201
    """Lay ``drawing`` out on a page; returns the matplotlib ``Figure`` and a :class:`SheetInfo`.

    Parameters
    ----------
    drawing : Drawing
        What to draw (:func:`planner.drawing.content.drawing_for`).
    spec : SheetSpec, optional
        Paper, orientation, scale, title ... (A3 landscape, scale to fit, by default).
    font : SheetFont, optional
        The font (default :func:`planner.drawing.fonts.sheet_font`).
    tiles : planner.drawing.tiles.TileSource, optional
        A local tile source drawn under everything (:func:`planner.drawing.tiles.basemap_for`).

    Raises
    ------
    SheetError
        The drawing does not fit the paper at any standard scale.
    FontNotFoundError
        No font has the sheet's glyphs.
    """
    from matplotlib.figure import Figure

    from planner._version import __version__
    from planner.drawing.sheet_map import draw_map
    from planner.drawing.sheet_panel import Box, Page, draw_frame, draw_grid

    spec = spec or SheetSpec()
    font = font or sheet_font()
    layout = sheet_layout(spec.paper, spec.orientation)
    mx0, my0, mx1, my1 = layout.map
    scale = choose_scale(drawing.bounds(), (mx1 - mx0, my1 - my0), spec.scale)
    extent = ground_extent(drawing.bounds(), layout, scale)
    info = SheetInfo(
        scale,
        (layout.width, layout.height),
        layout.map,
        extent,
        font=font.describe(),
        crs=crs_text(drawing.crs, spec.lang),
    )
    fig = Figure(figsize=(layout.width / MM_PER_INCH, layout.height / MM_PER_INCH))
    w, h = layout.width, layout.height
    ax = fig.add_axes((mx0 / w, my0 / h, (mx1 - mx0) / w, (my1 - my0) / h))
    ax.set_axis_off()
    basemap = None if tiles is None else _draw_basemap(ax, tiles, layout, extent, drawing.crs)
    drawn = draw_map(
        ax,
        drawing,
        extent,
        scale,
        font,
        FONT_PT["label"] * layout.k,
        FONT_PT["circle"] * layout.k,
        lang=spec.lang,
        use=spec.use,
    )
    info.labels, info.replaced = drawn.labels, list(drawn.replaced)
    page_ax = fig.add_axes((0, 0, 1, 1), zorder=10)
    page_ax.set_xlim(0, w)
    page_ax.set_ylim(0, h)
    page_ax.set_axis_off()
    page = Page(page_ax, font, layout.k)
    draw_frame(page, Box(*layout.border), Box(*layout.map))
    info.grid_step_m = draw_grid(page, Box(*layout.map), extent, FONT_PT["small"])
    _draw_panel(
        page,
        layout,
        drawing,
        spec,
        scale,
        drawn.legend,
        info,
        None if basemap is None else basemap.source,
    )
    page.text(
        layout.border[2],
        1.6,
        tr("sheet_made_with", spec.lang, version=__version__, font=font.describe()),
        FONT_PT["small"] * 0.9,
        ha="right",
        va="baseline",
        color="#555555",
    )
    _check_glyphs(fig, font)
    info.replaced = list(dict.fromkeys(info.replaced))
    if info.replaced:
        info.notes.append(
            Msg(
                "drawing.note_no_glyph",
                codes=" ".join(f"U+{ord(c):04X}" for c in info.replaced),
            )
        )
    return fig, info


def _draw_basemap(ax, tiles, layout, extent, crs):  # noqa: ANN001, ANN202 - matplotlib, tiles
    """The local tile source under the map, resampled onto the sheet's grid; its record."""
    from planner.drawing.sheet_map import Z
    from planner.drawing.tiles import BASEMAP_DPI, basemap_for

    mx0, my0, mx1, my1 = layout.map
    size = (
        round((mx1 - mx0) / MM_PER_INCH * BASEMAP_DPI),
        round((my1 - my0) / MM_PER_INCH * BASEMAP_DPI),
    )
    basemap = basemap_for(tiles, extent, crs, size)
    ax.imshow(
        basemap.image,
        extent=(extent[0], extent[2], extent[1], extent[3]),
        origin="upper",
        zorder=Z["basemap"],
        interpolation="bilinear",
    )
    return basemap


def _check_glyphs(fig, font: SheetFont) -> None:  # noqa: ANN001 - a matplotlib Figure
    """Refuse a sheet with a character the font cannot draw (it would print as a box)."""
    from matplotlib.text import Text

    from planner.drawing.fonts import FontNotFoundError

    text = "".join(t.get_text() for t in fig.findobj(Text))
    missing = missing_glyphs(text, font)
    if missing:
        raise FontNotFoundError(
            Msg(
                "drawing.missing_glyphs",
                font=font.describe(),
                chars=" ".join(f"U+{ord(c):04X}" for c in missing),
            )
        )


def _save(fig, target, fmt: str, dpi: int, metadata: dict[str, str]) -> None:  # noqa: ANN001
    import matplotlib

    # Type 42: the TrueType font is embedded (subset) with its Unicode map, so the PDF's
    # Chinese text is selectable and searchable, and prints without the font installed
    with matplotlib.rc_context({"pdf.fonttype": 42}):
        fig.savefig(target, format=fmt, dpi=dpi, metadata=metadata)


def check_sheet_file(
    path: str | PathLike[str], fmt: str, size_in: tuple[float, float], dpi: int
) -> None:
    """Read a written sheet back: a whole PDF, or a PNG of the page's pixel size.

    Raises
    ------
    OutputError
        The file is cut short or of another size.
    """
    path = Path(path)
    if fmt == "pdf":
        data = path.read_bytes()
        if not data.startswith(b"%PDF-") or b"%%EOF" not in data[-1024:]:
            raise OutputError(Msg("drawing.pdf_incomplete"))
        return
    from PIL import Image

    with Image.open(path) as img:
        img.verify()
    with Image.open(path) as img:
        want = (round(size_in[0] * dpi), round(size_in[1] * dpi))
        if abs(img.size[0] - want[0]) > 1 or abs(img.size[1] - want[1]) > 1:
            raise OutputError(
                Msg(
                    "drawing.png_size",
                    w=img.size[0],
                    h=img.size[1],
                    want_w=want[0],
                    want_h=want[1],
                )
            )


def _metadata(fmt: str, title: str) -> dict[str, str]:
    if fmt == "pdf":
        return {"Title": title, "Creator": "urban-microspace-planner"}
    return {"Title": title, "Software": "urban-microspace-planner"}


def save_sheet(
    fig,
    path: str | PathLike[str],
    *,
    dpi: int = DEFAULT_DPI,  # noqa: ANN001
    title: str = "",
) -> Path:
    """Write a rendered sheet to ``path`` (.pdf or .png) atomically, read back first.

    Raises
    ------
    OutputError
        Unknown extension, unwritable folder, or the file read back is not whole; nothing is
        left behind.
    """
    from planner.io.write import write_atomic

    fmt = sheet_format(path)
    size = tuple(float(v) for v in fig.get_size_inches())

    def write(tmp: Path) -> None:
        _save(fig, tmp, fmt, dpi, _metadata(fmt, title))
        check_sheet_file(tmp, fmt, size, dpi)

    return write_atomic(path, write)


def sheet_files(
    drawing: Drawing,
    spec: SheetSpec | None = None,
    *,
    formats: tuple[str, ...] = ("pdf",),
    dpi: int = DEFAULT_DPI,
) -> tuple[dict[str, bytes], SheetInfo]:
    """One rendering of a sheet of ``drawing`` as bytes in each of ``formats`` (pdf, png)."""
    import io

    spec = spec or SheetSpec()
    fig, info = render_sheet(drawing, spec)
    title = spec.title or tr("sheet_default_title", spec.lang)
    out = {}
    for fmt in formats:
        buf = io.BytesIO()
        _save(fig, buf, fmt, dpi, _metadata(fmt, title))
        out[fmt] = buf.getvalue()
    return out, info


def run_sheet(
    result: gpd.GeoDataFrame,
    layers: Layers | None = None,
    config: PlannerConfig | None = None,
    *,
    lang: str = "zh",
    formats: tuple[str, ...] = ("pdf",),
    dpi: int = DEFAULT_DPI,
) -> tuple[dict[str, bytes], SheetInfo]:
    """The A3 sheet of a scored run (recommended uses, the run's layers beneath) as bytes.

    What the app's download and the HTML report hand out; ``planner sheet`` makes the same.
    """
    from planner.drawing.content import drawing_for

    drawing = drawing_for(result, layers, config, context=True)
    return sheet_files(drawing, SheetSpec(lang=lang), formats=formats, dpi=dpi)
