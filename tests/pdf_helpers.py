"""Reading map sheets back with poppler (Debian's poppler-utils: pdfinfo, pdffonts, pdftotext,
pdftoppm), a reader independent of matplotlib that wrote them, and DXF files with GDAL."""

from __future__ import annotations

import re
import shutil
import subprocess
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pytest

MM_PER_PT = 25.4 / 72.0
POPPLER = ("pdfinfo", "pdffonts", "pdftotext", "pdftoppm")


def poppler(tool: str, *args: object) -> str:
    """Run a poppler tool; fail (never skip) when it is not installed."""
    exe = shutil.which(tool)
    if exe is None:
        pytest.fail(
            f"{tool} is missing: install Debian's poppler-utils (.ci/run does)", pytrace=False
        )
    proc = subprocess.run([exe, *map(str, args)], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def page_size_mm(pdf: Path) -> tuple[float, float]:
    """(width, height) of the first page, mm (pdfinfo)."""
    m = re.search(r"Page size:\s+([\d.]+) x ([\d.]+) pts", poppler("pdfinfo", pdf))
    assert m, "pdfinfo printed no page size"
    return float(m.group(1)) * MM_PER_PT, float(m.group(2)) * MM_PER_PT


@dataclass(frozen=True)
class Word:
    """A word of the page: its text and the centre of its box, mm from the top-left corner."""

    text: str
    x: float
    y: float
    top: float
    bottom: float


def words(pdf: Path) -> list[Word]:
    """Every word pdftotext finds, with its box (pdftotext -bbox)."""
    out = []
    for m in re.finditer(
        r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" '
        r'yMax="([\d.]+)">(.*?)</word>',
        poppler("pdftotext", "-bbox", pdf, "-"),
    ):
        x0, y0, x1, y1 = (float(m.group(i)) * MM_PER_PT for i in range(1, 5))
        text = (
            m.group(5)
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", '"')
            .replace("&apos;", "'")
            .replace("&amp;", "&")
        )
        out.append(Word(text, (x0 + x1) / 2, (y0 + y1) / 2, y0, y1))
    return out


def fonts(pdf: Path) -> list[dict[str, str]]:
    """pdffonts' table: name, type, emb, sub, uni per font."""
    lines = poppler("pdffonts", pdf).splitlines()[2:]
    rows = []
    for line in lines:
        parts = line.split()
        # name type... encoding emb sub uni object ID: the last five columns are fixed
        rows.append({"name": parts[0], "emb": parts[-5], "sub": parts[-4], "uni": parts[-3]})
    return rows


def render_png(pdf: Path, dpi: int) -> Path:
    """The first page as a PNG (pdftoppm)."""
    stem = pdf.with_name(pdf.stem + f"_{dpi}")
    poppler("pdftoppm", "-r", dpi, "-png", "-singlefile", pdf, stem)
    return stem.with_suffix(".png")


def dxf_layer_counts_gdal(path: Path) -> Counter:
    """Entities per layer as GDAL's DXF driver reads them (the second, independent reader)."""
    import pyogrio

    frame = pyogrio.read_dataframe(path)
    return Counter(frame["Layer"])


def dxf_layer_counts_ezdxf(path: Path) -> tuple[Counter, object]:
    """Entities per layer as ezdxf reads them, and its audit."""
    import ezdxf

    doc = ezdxf.readfile(path)
    return Counter(e.dxf.layer for e in doc.modelspace()), doc.audit()
