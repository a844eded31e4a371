"""The sheet font: which one, that it holds every glyph the sheets write, and never a box."""

from __future__ import annotations

import string
from pathlib import Path

import matplotlib
import pytest
from fontTools.ttLib import TTFont

from planner.app.i18n import TEXT
from planner.drawing import fonts
from planner.drawing.fonts import (
    FontNotFoundError,
    SheetFont,
    drawable_text,
    missing_glyphs,
    sheet_font,
)

DEJAVU = Path(matplotlib.get_data_path()) / "fonts" / "ttf" / "DejaVuSans.ttf"


def _cmap(path: Path) -> set[int]:
    """The font's characters, read here with fontTools' plain API."""
    return set(TTFont(str(path))["cmap"].getBestCmap())


def test_the_bundled_font_is_noto_sans_sc_from_the_zhplot_wheel():
    font = sheet_font()
    assert font.family == "Noto Sans SC" and font.source == "PyPI package zhplot"
    assert font.path.name == "NotoSansSC-Regular.ttf" and "zhplot" in font.path.parts
    assert "glyf" in TTFont(str(font.path))  # TrueType outlines: embedded as Type 42 in PDFs


def test_every_sheet_label_has_its_glyphs():
    """Every text a sheet may write from the labels, in both languages, plus digits and the
    punctuation of numbers and coordinates."""
    have = _cmap(sheet_font().path)
    labels = "".join(
        v
        for k, entry in TEXT.items()
        if k.startswith(("sheet_", "use_", "layer_", "report_sheet"))
        for v in entry.values()
    )
    text = labels + string.digits + string.ascii_letters + ":,.-–—°×·/（）()%+"
    lacking = sorted({c for c in text if ord(c) not in have and c not in "\n\t"})
    assert lacking == []
    assert missing_glyphs(labels, sheet_font()) == []


def test_missing_glyphs_finds_what_the_font_lacks():
    font = sheet_font()
    have = _cmap(font.path)
    absent = [c for c in ("😀", "\U00020000", "\ue000") if ord(c) not in have]
    assert absent  # Noto Sans SC has no emoji, no Extension B ideograph, no private use
    assert missing_glyphs("口袋" + "".join(absent) + "公园" + absent[0], font) == absent
    assert missing_glyphs("停车场\n", font) == []


def test_drawable_text_replaces_only_what_is_missing():
    font = sheet_font()
    assert drawable_text("D001 西部", font) == ("D001 西部", [])
    assert drawable_text("A😀B😀", font) == ("A?B?", ["😀"])


def test_a_font_without_chinese_is_refused(monkeypatch):
    dejavu = SheetFont(DEJAVU, "DejaVu Sans", "system")
    assert missing_glyphs("口", dejavu) == ["口"]
    monkeypatch.setattr(fonts, "candidate_fonts", lambda: [dejavu])
    with pytest.raises(FontNotFoundError, match="tried DejaVu Sans \\(system\\).*fonts-noto-cjk"):
        sheet_font()


def test_without_the_package_a_system_font_is_used(monkeypatch, tmp_path):
    """The bundled font gone, a Simplified-Chinese system font found by family name serves."""
    bundled = sheet_font().path
    monkeypatch.setattr(fonts, "bundled_font_path", lambda: None)
    monkeypatch.setattr(fonts, "system_cjk_fonts", lambda: [DEJAVU, bundled])
    font = sheet_font()
    assert font.source == "system" and font.path == bundled
    monkeypatch.setattr(fonts, "system_cjk_fonts", lambda: [])
    with pytest.raises(FontNotFoundError, match="no font with the Chinese glyphs"):
        sheet_font()


def test_the_font_is_found_without_importing_zhplot():
    """Importing zhplot would change matplotlib's global font settings."""
    import sys

    before = matplotlib.rcParams["font.family"]
    fonts.bundled_font_path()
    assert "zhplot" not in sys.modules
    assert matplotlib.rcParams["font.family"] == before
