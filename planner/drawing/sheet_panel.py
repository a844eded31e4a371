"""The page of a sheet around the map: frame, grid, title, north arrow, scale bar, legend.

Everything here (the title block too) is drawn on one page-sized axes in millimetres from the
page's lower-left corner.
"""

from __future__ import annotations

import math
import unicodedata
from dataclasses import dataclass

import numpy as np

from planner.drawing.fonts import SheetFont
from planner.drawing.sheet_map import COLORS, LegendEntry

#: Line weights, points: the frame (图框线, thick) and the map frame and table lines (thin).
FRAME_PT = 1.4
THIN_PT = 0.5
#: Number of segments of the scale bar.
SCALEBAR_SEGMENTS = 4
#: Grid intervals offered, m; the grid has at most :data:`GRID_MAX_LINES` lines across.
GRID_STEPS_M = (50, 100, 200, 250, 500, 1000, 2000, 2500, 5000, 10000, 20000, 25000)
GRID_MAX_LINES = 8
PT_PER_MM = 72.0 / 25.4
#: Length of the grid ticks along the map frame and of the arms of the grid crosses, mm.
GRID_TICK_MM = 2.0
GRID_CROSS_MM = 1.5


@dataclass(frozen=True)
class Box:
    """A rectangle of the page, mm."""

    x0: float
    y0: float
    x1: float
    y1: float

    @property
    def w(self) -> float:
        """Width, mm."""
        return self.x1 - self.x0

    @property
    def h(self) -> float:
        """Height, mm."""
        return self.y1 - self.y0


@dataclass(frozen=True)
class TitleRow:
    """A row of the title block: label, value, and the value's colour."""

    label: str
    value: str
    color: str = "#000000"


class Page:
    """Draws text and shapes in millimetres on the page axes, all in one font."""

    def __init__(self, ax, font: SheetFont, k: float) -> None:  # noqa: ANN001 - mpl Axes
        self.ax = ax
        self.font = font
        self.k = k

    def text(self, x: float, y: float, s: str, size: float, **kw) -> None:
        """Write ``s`` at (x, y) mm; ``size`` in points (before the paper's factor)."""
        kw.setdefault("ha", "left")
        kw.setdefault("va", "baseline")
        self.ax.text(
            x,
            y,
            s,
            fontproperties=self.font.properties(size * self.k),
            parse_math=False,
            clip_on=False,
            **kw,
        )

    def rect(self, box: Box, **style) -> None:
        """A rectangle patch."""
        from matplotlib.patches import Rectangle

        style.setdefault("linewidth", THIN_PT)
        self.ax.add_patch(Rectangle((box.x0, box.y0), box.w, box.h, clip_on=False, **style))

    def line(self, xs, ys, **style) -> None:  # noqa: ANN001 - sequences of mm
        """A polyline."""
        style.setdefault("linewidth", THIN_PT)
        style.setdefault("color", "#000000")
        self.ax.plot(xs, ys, clip_on=False, solid_capstyle="butt", **style)


def draw_frame(page: Page, border: Box, map_box: Box) -> None:
    """The page frame (GB/T 14689-2008 border, thick) and the map frame (thin)."""
    page.rect(border, facecolor="none", edgecolor=COLORS["frame"], linewidth=FRAME_PT)
    page.rect(map_box, facecolor="none", edgecolor=COLORS["frame"], linewidth=THIN_PT * 1.4)


def grid_step(width_m: float) -> float:
    """The grid interval: the smallest offered step giving at most 8 lines across."""
    for step in GRID_STEPS_M:
        if width_m / step <= GRID_MAX_LINES:
            return float(step)
    return float(GRID_STEPS_M[-1])


def draw_grid(
    page: Page, map_box: Box, extent: tuple[float, float, float, float], size: float
) -> float:
    """Coordinate ticks on the map frame, crosses inside, and coordinate labels; the step, m.

    Eastings are written below the frame, northings left of it (turned), as whole metres of
    the drawing's CRS, centred on their tick.
    """
    x0, y0, x1, y1 = extent
    step = grid_step(x1 - x0)
    mm_per_m = map_box.w / (x1 - x0)
    xs = np.arange(math.ceil(x0 / step) * step, x1, step)
    ys = np.arange(math.ceil(y0 / step) * step, y1, step)
    px = map_box.x0 + (xs - x0) * mm_per_m
    py = map_box.y0 + (ys - y0) * mm_per_m
    t = GRID_TICK_MM
    for x, v in zip(px.tolist(), xs.tolist(), strict=True):
        page.line([x, x], [map_box.y0, map_box.y0 + t])
        page.line([x, x], [map_box.y1 - t, map_box.y1])
        page.text(x, map_box.y0 - 1.2, f"{v:.0f}", size, ha="center", va="top")
    for y, v in zip(py.tolist(), ys.tolist(), strict=True):
        page.line([map_box.x0, map_box.x0 + t], [y, y])
        page.line([map_box.x1 - t, map_box.x1], [y, y])
        page.text(
            map_box.x0 - 1.2,
            y,
            f"{v:.0f}",
            size,
            ha="right",
            va="center",
            rotation=90,
            rotation_mode="anchor",
        )
    c = GRID_CROSS_MM
    gx, gy = np.meshgrid(px, py)
    for x, y in zip(gx.ravel().tolist(), gy.ravel().tolist(), strict=True):
        page.line([x - c, x + c], [y, y], color=COLORS["grid"], linewidth=0.3, zorder=5)
        page.line([x, x], [y - c, y + c], color=COLORS["grid"], linewidth=0.3, zorder=5)
    return step


def draw_north_arrow(
    page: Page,
    cx: float,
    cy: float,
    length: float,
    angle_deg: float,
    letter: str,
    note: str,
    size: float,
) -> None:
    """A north arrow centred at (cx, cy) pointing ``angle_deg`` clockwise from the page's up."""
    from matplotlib.patches import Polygon

    a = math.radians(angle_deg)
    ux, uy = math.sin(a), math.cos(a)  # along the arrow
    vx, vy = uy, -ux  # across it
    half, wing = length / 2.0, length * 0.22
    tip = (cx + ux * half, cy + uy * half)
    notch = (cx - ux * half * 0.55, cy - uy * half * 0.55)
    left = (cx - ux * half - vx * wing, cy - uy * half - vy * wing)
    right = (cx - ux * half + vx * wing, cy - uy * half + vy * wing)
    page.ax.add_patch(
        Polygon(
            [tip, left, notch],
            closed=True,
            facecolor="white",
            edgecolor="black",
            linewidth=THIN_PT,
            clip_on=False,
        )
    )
    page.ax.add_patch(
        Polygon(
            [tip, notch, right],
            closed=True,
            facecolor="black",
            edgecolor="black",
            linewidth=THIN_PT,
            clip_on=False,
        )
    )
    page.text(
        tip[0] + ux * 1.5,
        tip[1] + uy * 1.5,
        letter,
        size * 1.3,
        ha="center",
        va="bottom",
        fontweight="bold",
    )
    page.text(cx, cy - half - 2.5, note, size * 0.8, ha="center", va="top")


def draw_scalebar(page: Page, box: Box, scale: int, heading: str, unit: str, size: float) -> float:
    """The numeric scale and a bar of the longest 1-2-5 length fitting the box; its length, m."""
    page.text(
        box.x0 + box.w / 2,
        box.y1 - 1.0,
        f"{heading} 1:{scale:,}",
        size * 1.2,
        ha="center",
        va="top",
    )
    length_m = nice_length(0.75 * box.w * scale / 1000.0)
    bar = length_m * 1000.0 / scale
    x0 = box.x0 + (box.w - bar) / 2.0 - 3.0
    y0 = max(box.y0 + 5.0, box.y1 - 14.0)  # under the numeric scale
    seg = bar / SCALEBAR_SEGMENTS
    for i in range(SCALEBAR_SEGMENTS):
        page.rect(
            Box(x0 + i * seg, y0, x0 + (i + 1) * seg, y0 + 1.6),
            facecolor="black" if i % 2 == 0 else "white",
            edgecolor="black",
        )
    page.text(x0, y0 - 1.0, "0", size, ha="center", va="top")
    page.text(x0 + bar / 2, y0 - 1.0, f"{length_m / 2:g}", size, ha="center", va="top")
    page.text(x0 + bar, y0 - 1.0, f"{length_m:g}", size, ha="center", va="top")
    page.text(x0 + bar + 3.5, y0 + 0.8, unit, size, ha="left", va="center")
    return length_m


def draw_legend(
    page: Page, box: Box, heading: str, entries: list[LegendEntry], size: float
) -> None:
    """The legend: a heading, then one swatch and label per entry, shrinking rows to fit."""
    page.text(box.x0 + 2, box.y1 - 2, heading, size * 1.25, va="top", fontweight="bold")
    top = box.y1 - 9.0 * page.k
    row = min(5.2 * page.k, (top - box.y0) / max(len(entries), 1))
    sw, sh = 8.0 * page.k, min(3.4 * page.k, row * 0.7)
    for i, e in enumerate(entries):
        yc = top - (i + 0.5) * row
        x = box.x0 + 2
        if e.kind == "fill":
            page.rect(Box(x, yc - sh / 2, x + sw, yc + sh / 2), **e.style)
        elif e.kind == "line":
            page.line([x, x + sw], [yc, yc], **e.style)
        elif e.kind == "marker":
            page.ax.plot(
                [x + sw / 2], [yc], linestyle="none", markersize=4, clip_on=False, **e.style
            )
        else:  # a sample label: as wide as it is
            sample = e.style.get("text", "")
            page.text(x, yc, sample, size * 0.75, va="center")
            x += max(0.0, text_width_mm(sample, size * 0.75 * page.k) - sw)
        page.text(x + sw + 2.5, yc, e.label, size, va="center")


def title_block_height(
    rows: list[TitleRow], width: float, size: float, k: float, label_w: float
) -> tuple[float, list[list[str]]]:
    """Height of the title block, mm, and each row's value broken into lines."""
    line_h = size * k / PT_PER_MM * 1.35
    lines = [wrap(r.value, width - label_w - 3.0, size * k) for r in rows]
    return sum(len(v) * line_h + 2.0 for v in lines), lines


def draw_title_block(
    page: Page, box: Box, rows: list[TitleRow], lines: list[list[str]], size: float, label_w: float
) -> None:
    """The title block: one ruled row per item, label left, value (wrapped) right."""
    line_h = size * page.k / PT_PER_MM * 1.35
    page.rect(box, facecolor="none", edgecolor="black", linewidth=THIN_PT * 1.4)
    page.line([box.x0 + label_w] * 2, [box.y0, box.y1])
    y = box.y1
    for r, value in zip(rows, lines, strict=True):
        h = len(value) * line_h + 2.0
        page.text(box.x0 + 1.5, y - 1.0 - line_h * 0.8, r.label, size)
        for j, text in enumerate(value):
            page.text(
                box.x0 + label_w + 1.5, y - 1.0 - line_h * (j + 0.8), text, size, color=r.color
            )
        y -= h
        if y > box.y0 + 0.1:
            page.line([box.x0, box.x1], [y, y])


def nice_length(max_m: float) -> float:
    """The longest 1-2-5 length (m) not over ``max_m``."""
    exp = 10.0 ** math.floor(math.log10(max_m))
    for m in (5.0, 2.0, 1.0):
        if m * exp <= max_m:
            return m * exp
    return exp


#: Punctuation that may not begin a line (the 行首禁则 of Chinese typesetting, GB/T 15834-2011).
NO_LINE_START = frozenset("，。、；：？！）》」』】〕…—,.;:?!)]}%")


def text_width_mm(text: str, size_pt: float) -> float:
    """Estimated width of ``text`` (CJK characters 1 em, others 0.56 em), mm."""
    em = size_pt / PT_PER_MM
    return sum(em if unicodedata.east_asian_width(c) in "WF" else 0.56 * em for c in text)


def wrap(text: str, width_mm: float, size_pt: float) -> list[str]:
    """``text`` broken into lines no wider than ``width_mm`` (CJK characters 1 em, others 0.56).

    Latin words are kept whole where they fit on a line.
    """
    lines: list[str] = []
    for para in str(text).split("\n"):
        line, used = "", 0.0
        for token in _tokens(para):
            w = text_width_mm(token, size_pt)
            if line and used + w > width_mm and token[0] not in NO_LINE_START:
                lines.append(line.rstrip())
                line, used = token.lstrip(), w
            else:
                line, used = line + token, used + w
        lines.append(line.rstrip())
    return lines


def _tokens(text: str) -> list[str]:
    """Words with their leading space, and single wide characters."""
    out: list[str] = []
    for ch in text:
        wide = unicodedata.east_asian_width(ch) in "WF"
        if wide or not out or ch == " " or unicodedata.east_asian_width(out[-1][-1]) in "WF":
            out.append(ch)
        else:
            out[-1] += ch
    return out
