"""Decide the text encoding of a shapefile's .dbf (and of CSV files), and say how it was decided.

Order of precedence:

1. an encoding the user gives (``--encoding``) — checked against the bytes;
2. the ``.cpg`` file beside the ``.dbf``;
3. detection from the bytes of the text fields: pure ASCII; else strict UTF-8; else GB18030
   (a superset of GBK and GB2312, what ArcGIS in China writes as "ANSI").

The .dbf header's code-page byte (LDID) is not trusted: files exported in China often carry 0
or a Western code page while the text is GBK or UTF-8.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from planner.errors import EncodingError
from planner.messages import Msg

#: Encodings tried, in order, when nothing declares one.
DETECTION_ORDER: tuple[str, ...] = ("utf-8", "gb18030")

#: .cpg contents seen in the wild and the Python codec they mean.
_CPG_ALIASES: dict[str, str] = {
    "utf-8": "utf-8",
    "utf8": "utf-8",
    "65001": "utf-8",
    "gbk": "gbk",
    "936": "gbk",
    "cp936": "gbk",
    "ansi 936": "gbk",
    "gb2312": "gbk",
    "gb18030": "gb18030",
    "54936": "gb18030",
    "big5": "big5",
    "950": "big5",
    "ansi 950": "big5",
    "1252": "cp1252",
    "ansi 1252": "cp1252",
    "latin1": "latin-1",
    "iso-8859-1": "latin-1",
    "88591": "latin-1",
    "8859_1": "latin-1",
}


@dataclass(frozen=True)
class EncodingDecision:
    """An encoding and how it was decided (``given``, ``cpg``, ``detected``, ``format``)."""

    encoding: str
    how: str

    def describe(self) -> str:
        """One line for reports, e.g. ``utf-8 (detected: text is valid UTF-8)``."""
        return f"{self.encoding} ({self.how})"


def normalise_encoding(name: str, *, source: str = "<encoding>") -> str:
    """Return the Python codec name for ``name`` (``GBK``, ``936``, ``UTF-8`` ...).

    Raises
    ------
    EncodingError
        ``name`` is not an encoding Python knows.
    """
    key = name.strip().lower()
    key = _CPG_ALIASES.get(key, key)
    try:
        return codecs.lookup(key).name
    except LookupError:
        raise EncodingError(source, Msg("io.enc_unknown", name=name)) from None


def dbf_text_bytes(dbf: Path) -> bytes:
    """The bytes of a .dbf's field names and character fields (what an encoding must decode).

    Raises
    ------
    EncodingError
        The file is too short to be a dBase table.
    """
    data = dbf.read_bytes()
    if len(data) < 32:
        raise EncodingError(dbf, Msg("io.enc_not_dbf"))
    n_records = int.from_bytes(data[4:8], "little")
    header_len = int.from_bytes(data[8:10], "little")
    record_len = int.from_bytes(data[10:12], "little")
    names: list[bytes] = []
    spans: list[tuple[int, int]] = []
    offset = 1  # deletion flag
    pos = 32
    while pos + 32 <= min(header_len, len(data)) and data[pos] != 0x0D:
        desc = data[pos : pos + 32]
        names.append(desc[:11].split(b"\x00", 1)[0])
        length = desc[16]
        if desc[11:12] == b"C":
            length += desc[17] * 256  # FoxPro/GDAL long character fields
            spans.append((offset, length))
        offset += length
        pos += 32
    body = np.frombuffer(
        data,
        dtype=np.uint8,
        count=max(0, min(n_records * record_len, len(data) - header_len)),
        offset=min(header_len, len(data)),
    )
    rows = len(body) // record_len if record_len else 0
    table = body[: rows * record_len].reshape(rows, record_len) if rows else body[:0].reshape(0, 1)
    parts = [b"\n".join(names)]
    for start, length in spans:
        # one field's cells, each followed by a newline so characters never straddle cells
        cells = table[:, start : start + length]
        if cells.size:
            sep = np.full((cells.shape[0], 1), 0x0A, dtype=np.uint8)
            parts.append(np.hstack([cells, sep]).tobytes())
    return b"\n".join(parts)


def detect_encoding(data: bytes, *, order: tuple[str, ...] = DETECTION_ORDER) -> EncodingDecision:
    """Decide the encoding of ``data`` from its bytes (no declaration available).

    Raises
    ------
    EncodingError
        No encoding of ``order`` decodes the bytes.
    """
    if data.isascii():
        return EncodingDecision("utf-8", Msg("io.how_enc_ascii"))
    for enc in order:
        try:
            data.decode(enc, errors="strict")
        except UnicodeDecodeError:
            continue
        how = (
            Msg("io.how_enc_utf8")
            if enc == "utf-8"
            else Msg("io.how_enc_detected", encoding=enc.upper())
        )
        return EncodingDecision(enc, how)
    raise EncodingError(
        "<text>", Msg("io.enc_undetected", first=", ".join(order[:-1]), last=order[-1])
    )


def _check_decodes(data: bytes, encoding: str, source: str, how: str) -> None:
    try:
        data.decode(encoding, errors="strict")
    except UnicodeDecodeError as exc:
        raise EncodingError(
            source, Msg("io.enc_cannot_decode", encoding=encoding, how=how, byte=exc.start)
        ) from None


def decide_dbf_encoding(shp_or_dbf: str | Path, *, given: str | None = None) -> EncodingDecision:
    """Decide the text encoding of a shapefile's .dbf.

    Parameters
    ----------
    shp_or_dbf : str or Path
        The .shp (or .dbf) file.
    given : str, optional
        Encoding the user declared; it wins over a .cpg but must decode the text.

    Raises
    ------
    EncodingError
        The declared or .cpg encoding does not decode the text, or detection fails.
    """
    path = Path(shp_or_dbf)
    dbf = _sibling(path, ".dbf")
    if dbf is None:
        return EncodingDecision("utf-8", Msg("io.how_enc_no_dbf"))
    data = dbf_text_bytes(dbf)
    if given:
        enc = normalise_encoding(given, source=str(path))
        _check_decodes(data, enc, str(dbf), Msg("io.enc_how_given"))
        return EncodingDecision(enc, Msg("io.how_given"))
    cpg = _sibling(path, ".cpg")
    if cpg is not None:
        text = cpg.read_bytes().decode("ascii", errors="replace").strip()
        enc = normalise_encoding(text, source=str(cpg))
        _check_decodes(data, enc, str(dbf), Msg("io.enc_how_cpg", text=text))
        return EncodingDecision(enc, Msg("io.enc_how_cpg", text=text))
    try:
        return detect_encoding(data)
    except EncodingError as exc:
        raise EncodingError(dbf, exc.problem) from None


def decide_text_encoding(
    data: bytes, *, given: str | None = None, source: str = "<text>"
) -> EncodingDecision:
    """Decide the encoding of a text file (CSV): given, BOM, else detected."""
    if given:
        enc = normalise_encoding(given, source=source)
        _check_decodes(data, enc, source, Msg("io.enc_how_given"))
        return EncodingDecision(enc, Msg("io.how_given"))
    if data.startswith(codecs.BOM_UTF8):
        return EncodingDecision("utf-8-sig", Msg("io.how_enc_bom"))
    try:
        return detect_encoding(data)
    except EncodingError as exc:
        raise EncodingError(source, exc.problem) from None


def _sibling(path: Path, ext: str) -> Path | None:
    """The file beside ``path`` with extension ``ext`` in any letter case, if any."""
    for cand in (path.with_suffix(ext), path.with_suffix(ext.upper())):
        if cand.exists():
            return cand
    stem = path.stem.lower()
    if path.parent.is_dir():
        for cand in path.parent.iterdir():
            if cand.stem.lower() == stem and cand.suffix.lower() == ext:
                return cand
    return None
