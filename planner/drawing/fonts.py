"""A font holding every glyph a sheet writes, so that Chinese never comes out as empty boxes.

Where the font comes from, first found wins:

1. **Noto Sans SC** (SIL Open Font License 1.1), the TrueType file shipped by the PyPI package
   ``zhplot`` (a dependency of the planner, so ``pip install`` brings it on every machine). It
   is located without importing ``zhplot``, whose import changes matplotlib's global settings.
2. A Simplified-Chinese font installed on the system (Debian's ``fonts-noto-cjk`` or
   ``fonts-wqy-microhei``, Windows' Microsoft YaHei or SimHei, macOS' PingFang), found
   through matplotlib's font list, by the family names of :data:`SYSTEM_CJK_FAMILIES`.

Whatever is chosen, every character of every text drawn is looked up in the font's character
map (:func:`missing_glyphs`): a font lacking one of the sheet's own labels is refused, and a
character from the data that no font has is replaced by ``?`` with a note
(:func:`drawable_text`), never drawn as a box.
"""

from __future__ import annotations

import functools
import importlib.util
from dataclasses import dataclass
from pathlib import Path

from planner.errors import PlannerError
from planner.messages import Msg

#: PyPI package that ships the font, and the font file inside it.
BUNDLED_FONT_PACKAGE = "zhplot"
BUNDLED_FONT_FILE = ("fonts", "NotoSansSC-Regular.ttf")
#: Family names of Simplified-Chinese fonts looked for on the system, in order.
SYSTEM_CJK_FAMILIES = (
    "Noto Sans CJK SC",
    "Noto Sans SC",
    "Source Han Sans SC",
    "Source Han Sans CN",
    "WenQuanYi Micro Hei",
    "WenQuanYi Zen Hei",
    "Microsoft YaHei",
    "SimHei",
    "PingFang SC",
    "Droid Sans Fallback",
)
#: Characters every sheet font must have: the sheet's own Chinese labels use these and more
#: (the labels are checked in full by :func:`planner.drawing.sheet.render_sheet`).
REQUIRED_SAMPLE = "口袋公园停车场图例比例尺指北针坐标系国家大地高斯克吕格投影数据来源°×·—"
#: What replaces a character of the data that the font lacks.
MISSING_GLYPH_STAND_IN = "?"
#: Characters that draw nothing and need no glyph.
_NO_GLYPH = frozenset("\n\r\t")


class FontNotFoundError(PlannerError, RuntimeError):
    """No font with the glyphs a sheet needs was found."""


@dataclass(frozen=True)
class SheetFont:
    """The font a sheet is drawn with.

    Attributes
    ----------
    path : Path
        The font file.
    family : str
        Its family name.
    source : str
        Where it came from, for the title block and messages (``PyPI package zhplot`` or
        ``system``).
    """

    path: Path
    family: str
    source: str

    def properties(self, size: float | None = None, weight: str = "normal"):  # noqa: ANN201
        """Matplotlib ``FontProperties`` of this font (``size`` in points)."""
        from matplotlib.font_manager import FontProperties

        return FontProperties(fname=str(self.path), size=size, weight=weight)

    def describe(self) -> str:
        """``Noto Sans SC (PyPI package zhplot)``."""
        return f"{self.family} ({self.source})"


@functools.lru_cache(maxsize=8)
def _codepoints(path: str) -> frozenset[int]:
    from fontTools.ttLib import TTFont

    font = TTFont(path, fontNumber=0, lazy=True)  # fontNumber: the first face of a .ttc
    try:
        return frozenset(font.getBestCmap() or {})
    finally:
        font.close()


@functools.lru_cache(maxsize=8)
def _family(path: str) -> str:
    from fontTools.ttLib import TTFont

    font = TTFont(path, fontNumber=0, lazy=True)
    try:
        return font["name"].getBestFamilyName() or Path(path).stem
    finally:
        font.close()


def missing_glyphs(text: str, font: SheetFont | Path | str) -> list[str]:
    """The distinct characters of ``text`` that ``font`` has no glyph for, in text order.

    Line breaks and tabs need none. A character counts as present when the font's best
    Unicode character map holds it (fontTools), as a PDF viewer will find it.
    """
    path = str(font.path if isinstance(font, SheetFont) else font)
    have = _codepoints(path)
    seen: dict[str, None] = {}
    for ch in text:
        if ch not in _NO_GLYPH and ord(ch) not in have:
            seen.setdefault(ch)
    return list(seen)


def drawable_text(text: str, font: SheetFont) -> tuple[str, list[str]]:
    """``text`` with every character the font lacks replaced by ``?``, and those characters.

    For text from the data (plot ids, names): a sheet is never refused for one unusual
    character, and never shows a box.
    """
    missing = missing_glyphs(text, font)
    if not missing:
        return text, []
    gone = set(missing)
    return "".join(MISSING_GLYPH_STAND_IN if ch in gone else ch for ch in text), missing


def bundled_font_path() -> Path | None:
    """The Noto Sans SC file of the ``zhplot`` package, without importing it; ``None`` if absent."""
    spec = importlib.util.find_spec(BUNDLED_FONT_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        return None
    for folder in spec.submodule_search_locations:
        path = Path(folder).joinpath(*BUNDLED_FONT_FILE)
        if path.is_file():
            return path
    return None


def system_cjk_fonts() -> list[Path]:
    """Files of installed Simplified-Chinese fonts, in the order of :data:`SYSTEM_CJK_FAMILIES`."""
    from matplotlib import font_manager

    by_family: dict[str, list[Path]] = {}
    for entry in font_manager.fontManager.ttflist:
        by_family.setdefault(entry.name, []).append(Path(entry.fname))
    return [p for fam in SYSTEM_CJK_FAMILIES for p in sorted(by_family.get(fam, []))]


def candidate_fonts() -> list[SheetFont]:
    """Every font a sheet may use, in the order they are tried."""
    out = []
    bundled = bundled_font_path()
    if bundled is not None:
        out.append(
            SheetFont(bundled, _family(str(bundled)), f"PyPI package {BUNDLED_FONT_PACKAGE}")
        )
    out += [SheetFont(p, _family(str(p)), "system") for p in system_cjk_fonts()]
    return out


def sheet_font(required: str = REQUIRED_SAMPLE) -> SheetFont:
    """The first font (:func:`candidate_fonts`) with a glyph for every character of ``required``.

    Raises
    ------
    FontNotFoundError
        No font has them all; the message says what to install.
    """
    tried = []
    for font in candidate_fonts():
        if not missing_glyphs(required, font):
            return font
        tried.append(font.describe())
    also = Msg("drawing.tried_fonts", fonts=", ".join(tried)) if tried else ""
    raise FontNotFoundError(Msg("drawing.no_cjk_font", also=also, package=BUNDLED_FONT_PACKAGE))
