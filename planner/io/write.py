"""Write the candidate list; the format follows the file extension.

Three rules hold for every file the planner writes (``docs/data-formats.md``, "Writing: text
stays text, outputs never destroy inputs"):

- **Text stays text in spreadsheets.** A text cell of a ``.csv`` or ``.xlsx`` that begins
  with ``=``, ``+``, ``-``, ``@``, tab, carriage return or line feed gets a single quote in
  front (OWASP, "CSV Injection"), control characters a worksheet cannot hold are removed
  and line breaks become a space; numbers stay numbers (:func:`spreadsheet_text`).
  GeoPackage, GeoJSON, KML and shapefile text is written as it is.
- **Geometry is written 2D** (:func:`planar`): Z and M values are dropped.
- **Nothing partial is left.** A writer writes a temporary file beside the target, reads
  it back (features per layer, rows, sheets) and only then renames it into place
  (:func:`write_atomic`); on any failure, and on SIGTERM or SIGHUP, the temporary file is
  removed (:func:`atomic_path`).
"""

from __future__ import annotations

import contextlib
import csv
import gc
import io
import os
import signal
import sys
import tempfile
import threading
import unicodedata
import zipfile
from collections.abc import Callable, Iterator, Mapping
from os import PathLike
from pathlib import Path
from types import FrameType

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from planner.crs import WGS84
from planner.errors import OutputError, PlannerError
from planner.io.archive import private_tempdir
from planner.io.arrow import HAS_ARROW
from planner.io.columns import describe_column
from planner.messages import Msg

PathLikeStr = str | PathLike[str]

#: Signals that end the program and after which no temporary output file may be left.
TERMINATING_SIGNALS: tuple[signal.Signals, ...] = tuple(
    getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name)
)
#: Files SQLite (GeoPackage) may create beside a database while writing it.
_SIDE_FILE_SUFFIXES = ("-journal", "-wal", "-shm")


def _remove_temp(tmp: Path) -> None:
    """Remove ``tmp`` and the files a driver may have made beside it (SQLite journals)."""
    for path in (tmp, *(tmp.with_name(tmp.name + s) for s in _SIDE_FILE_SUFFIXES)):
        with contextlib.suppress(FileNotFoundError):
            path.unlink()


@contextlib.contextmanager
def _removed_on_signal(temps: list[Path]) -> Iterator[None]:
    """Remove the files of ``temps`` when SIGTERM or SIGHUP arrives, then exit (128 + signal).

    ``temps`` may be filled inside the block, so that a file is covered from the moment it
    is created.

    Handlers are installed only in the main thread (Python allows no other; the streamlit
    app writes in its script threads, where files live in private temporary folders), only
    for a signal whose handler is the default or a Python function (which is called after
    the removal: nested writes chain), never for an ignored one (``nohup``). The previous
    handlers are restored on exit. Python runs a handler between bytecodes, so a signal that
    arrives inside one long GDAL call takes effect when that call returns.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous: dict[int, object] = {}

    def handler(signum: int, frame: FrameType | None) -> None:
        for tmp in temps:
            _remove_temp(tmp)
        before = previous.get(signum)
        if callable(before):
            before(signum, frame)
        raise SystemExit(128 + signum)

    for sig in TERMINATING_SIGNALS:
        current = signal.getsignal(sig)
        if current is signal.SIG_DFL or callable(current):
            previous[sig] = current
            signal.signal(sig, handler)
    try:
        yield
    finally:
        for sig, before in previous.items():
            signal.signal(sig, before)  # type: ignore[arg-type]


@contextlib.contextmanager
def atomic_path(target: Path) -> Iterator[Path]:
    """Yield a temporary path beside ``target``; move it onto ``target`` on success only.

    The temporary file (``.<stem>.<random><suffixes>``, hidden) and any SQLite journal
    beside it are removed on failure, on ``KeyboardInterrupt`` and, in the main thread, on
    SIGTERM and SIGHUP (the program then exits with status 128 + the signal's number).
    """
    suffix = "".join(target.suffixes) or ".tmp"
    temps: list[Path] = []
    with _removed_on_signal(temps):
        fd, tmp = tempfile.mkstemp(prefix=f".{target.stem}.", suffix=suffix, dir=target.parent)
        temps.append(Path(tmp))
        try:
            os.close(fd)
            os.unlink(tmp)  # writers (GDAL) want to create the file themselves
            yield temps[0]
            os.replace(temps[0], target)
        finally:
            _remove_temp(temps[0])


def _one_line(exc: BaseException) -> str:
    """The message of ``exc`` on one line (GDAL and openpyxl messages may span lines)."""
    text = " ".join(str(exc).split())
    return text or type(exc).__name__


def check_output_folder(target: PathLikeStr) -> Path:
    """Fail unless ``target`` can be created: an existing, writable folder, not a folder itself.

    Raises
    ------
    OutputError
        The folder is missing, is a file, or is not writable, or ``target`` is a folder.
    """
    target = Path(target)
    folder = target.parent
    if not folder.exists():
        # a file on the way ("data.csv/out.csv") is not a folder that is missing
        parts = [p for p in (folder, *folder.parents) if p.exists()]
        if parts and not parts[0].is_dir():
            raise OutputError(Msg("io.out_file_on_way", path=str(target), part=str(parts[0])))
        raise OutputError(Msg("io.out_no_folder", path=str(target), folder=str(folder)))
    if not folder.is_dir():
        raise OutputError(Msg("io.out_file_on_way", path=str(target), part=str(folder)))
    if target.is_dir():
        raise OutputError(Msg("io.out_is_folder", path=str(target)))
    if not os.access(folder, os.W_OK | os.X_OK):
        raise OutputError(Msg("io.out_not_writable", path=str(target), folder=str(folder)))
    return target


def write_atomic(target: PathLikeStr, write: Callable[[Path], None]) -> Path:
    """Run ``write(tmp)`` on a temporary path beside ``target`` and move it into place.

    ``write`` writes the file and checks what it wrote (the writers of this module read
    their file back); any failure of either leaves neither ``target`` (an existing one is
    untouched) nor a temporary file.

    Raises
    ------
    OutputError
        The folder cannot take the file, or writing or checking failed; one line, naming
        ``target``.
    """
    target = check_output_folder(target)
    tmp_name: list[str] = []
    try:
        with atomic_path(target) as tmp:
            tmp_name.append(str(tmp))
            write(tmp)
    except Exception as exc:  # GDAL / openpyxl / OS errors of every kind end here
        problem = _one_line(exc)
        if tmp_name:  # GDAL names the temporary file: name the target instead
            problem = problem.replace(tmp_name[0], str(target))
        # the planner's own finding (a check of what was written) in the reader's language
        detail = exc if isinstance(exc, PlannerError) and str(exc) == problem else problem
        raise OutputError(Msg("io.could_not_write", path=str(target), detail=detail)) from None
    return target


# --- checks of what was written ----------------------------------------------------------------


class WriteCheckError(OutputError):
    """A file read back does not hold what was written (rows, layers, sheets)."""


def check_features(path: PathLikeStr, expected: Mapping[str | None, int]) -> None:
    """Read ``path`` back through GDAL: each layer must hold the expected number of features.

    ``expected`` maps a layer name (``None``: the first layer) to its feature count.

    Raises
    ------
    WriteCheckError
        A layer is missing or its count differs.
    """
    import pyogrio

    for layer, n in expected.items():
        try:
            got = pyogrio.read_info(path, layer=layer, force_feature_count=True)["features"]
        except Exception as exc:  # noqa: BLE001 - any failure to read back is the finding
            raise WriteCheckError(Msg("io.check_not_readable", detail=_one_line(exc))) from None
        if got != n:
            where = Msg("io.check_in_layer", layer=layer) if layer else Msg("io.check_in_file")
            raise WriteCheckError(Msg("io.check_features", got=got, n=n, where=where))


def check_csv_rows(path: PathLikeStr, n_rows: int, n_columns: int) -> None:
    """Read a CSV back: a header and ``n_rows`` rows, each of ``n_columns`` fields.

    Raises
    ------
    WriteCheckError
        The file does not parse to that shape.
    """
    with open(path, encoding="utf-8-sig", newline="") as f:
        widths = [len(row) for row in csv.reader(f)]
    if len(widths) != n_rows + 1 or any(w != n_columns for w in widths):
        raise WriteCheckError(Msg("io.check_rows", got=max(len(widths) - 1, 0), n=n_rows))


def check_xlsx_sheets(path: PathLikeStr, expected: Mapping[str, int]) -> None:
    """Open a workbook back: each sheet must hold a header and the expected rows.

    Raises
    ------
    WriteCheckError
        The workbook does not open, or a sheet is missing or of another length.
    """
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True)
    except Exception as exc:  # noqa: BLE001 - any failure to read back is the finding
        raise WriteCheckError(Msg("io.check_workbook", detail=_one_line(exc))) from None
    try:
        for sheet, n in expected.items():
            if sheet not in book.sheetnames:
                raise WriteCheckError(Msg("io.check_sheet_missing", sheet=sheet))
            got = book[sheet].max_row
            if got != n + 1:
                raise WriteCheckError(
                    Msg("io.check_sheet_rows", got=(got or 1) - 1, n=n, sheet=sheet)
                )
    finally:
        book.close()


# --- text of spreadsheets ----------------------------------------------------------------------

#: First characters that make a spreadsheet read a cell as a formula (OWASP "CSV Injection":
#: = + - @ tab carriage return; line feed too, since a line break becomes a space).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n")
#: Control characters a worksheet cannot hold (those of openpyxl's ``ILLEGAL_CHARACTERS_RE``:
#: every C0 control except tab, line feed and carriage return).
CONTROL_CHARACTERS = r"[\x00-\x08\x0b\x0c\x0e-\x1f]"
_LINE_BREAKS = r"\r\n|\r|\n"
_CONTROL_OR_BREAK = r"[\x00-\x08\x0a-\x1f]"  # every C0 control but tab
_TEXT_KINDS = {"string", "mixed", "mixed-integer", "unicode"}


def _spreadsheet_series(s: pd.Series) -> pd.Series:
    """:func:`spreadsheet_text` of one column; non-text values are returned as they are."""
    if isinstance(s.dtype, pd.CategoricalDtype):
        s = s.astype(object)
    if not (s.dtype == object or pd.api.types.is_string_dtype(s.dtype)):
        return s
    if pd.api.types.infer_dtype(s, skipna=True) not in _TEXT_KINDS:
        return s
    is_text = s.str.len().notna()  # NaN where a value is not a str
    if not is_text.any():
        return s
    text = s.loc[is_text]
    # most columns hold no control character and no line break: one scan, no rewrite
    dirty = text.str.contains(_CONTROL_OR_BREAK, regex=True)
    if dirty.any():
        text = text.copy()
        text.loc[dirty] = text.loc[dirty].str.replace(CONTROL_CHARACTERS, "", regex=True)
    lead = text.str[:1].isin(FORMULA_TRIGGERS)
    if lead.any():
        text = text.where(~lead, "'" + text)
    if dirty.any():
        text.loc[dirty] = text.loc[dirty].str.replace(_LINE_BREAKS, " ", regex=True)
    if is_text.all():
        return text
    out = s.copy()
    out.loc[is_text] = text
    return out


def spreadsheet_text(table: pd.DataFrame) -> pd.DataFrame:
    """``table`` with its text made safe to open in a spreadsheet (.csv, .xlsx).

    For every text cell and column name: control characters a worksheet cannot hold are
    removed; then a value beginning with ``=``, ``+``, ``-``, ``@``, tab, carriage return or
    line feed gets a single quote in front (OWASP "CSV Injection"), so that Excel,
    LibreOffice and WPS show it as text and openpyxl stores it as text, not a formula;
    then each line break (CR, LF, CRLF) becomes a space, so that a row stays one line.
    Numbers, booleans and missing values are untouched (a negative number stays a number).
    """
    out = table.copy()
    for i in range(out.shape[1]):
        out.isetitem(i, _spreadsheet_series(out.iloc[:, i]))
    names = _spreadsheet_series(pd.Series([str(c) for c in out.columns], dtype=object))
    out.columns = names.tolist()
    return out


def planar(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """``gdf`` with 2D geometry (``shapely.force_2d``); the same object when already 2D.

    Writing M geometry fails for shapefiles and warns for GeoPackages, ZM geometry fails in
    every geographic format (pyogrio 0.13, GDAL 3.12), a layer mixing 2D and 3D plots has no
    single geometry type, and every measure of the planner is planar. So outputs are 2D.
    """
    geoms = gdf.geometry.to_numpy()
    if not (shapely.has_z(geoms).any() or shapely.has_m(geoms).any()):
        return gdf
    out = gdf.copy()
    out[gdf.geometry.name] = gpd.GeoSeries(shapely.force_2d(geoms), index=gdf.index, crs=gdf.crs)
    return out


def _lonlat_table(gdf: gpd.GeoDataFrame) -> pd.DataFrame:
    pts = gdf.geometry.representative_point().to_crs(WGS84)
    table = pd.DataFrame(gdf.drop(columns=gdf.geometry.name))
    table["lon"] = pts.x.round(7).to_numpy()
    table["lat"] = pts.y.round(7).to_numpy()
    return table


def _plain_values(table: pd.DataFrame) -> pd.DataFrame:
    """Lists, dicts and other objects become text (Excel and dBase hold scalars only)."""
    out = table.copy()
    for col in out.columns:
        s = out[col]
        if s.dtype == object:
            nonscalar = s.map(lambda v: isinstance(v, (list, tuple, dict, set, np.ndarray)))
            if nonscalar.any():
                out[col] = s.map(
                    lambda v: (
                        "; ".join(map(str, v))
                        if isinstance(v, (list, tuple, set, np.ndarray))
                        else (str(v) if isinstance(v, dict) else v)
                    )
                )
    return out


def display_width(text: str) -> int:
    """Width of ``text`` in Excel columns: East Asian wide characters count double."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


#: Widest a column of the .xlsx is made, in characters.
XLSX_MAX_COLUMN_WIDTH = 60


def write_csv_table(table: pd.DataFrame, path: Path) -> None:
    """Write ``table`` as UTF-8 CSV with BOM (Excel shows Chinese) and read it back.

    Text is made safe first (:func:`spreadsheet_text`). Writes ``path`` itself: wrap in
    :func:`write_atomic` for a file that appears only complete.
    """
    safe = spreadsheet_text(table)
    safe.to_csv(path, index=False, encoding="utf-8-sig")
    check_csv_rows(path, len(safe), safe.shape[1])


def write_xlsx_sheets(
    sheets: Mapping[str, pd.DataFrame], path: Path, *, fit_columns: bool = True
) -> None:
    """Write one worksheet per table (header row frozen) and open the workbook back.

    Text is made safe first (:func:`spreadsheet_text`); with ``fit_columns`` each column is
    as wide as its first 200 values (East Asian characters count double), up to
    :data:`XLSX_MAX_COLUMN_WIDTH`. Writes ``path`` itself: wrap in :func:`write_atomic`.
    """
    from openpyxl.utils import get_column_letter

    safe = {name: spreadsheet_text(_plain_values(frame)) for name, frame in sheets.items()}

    def save() -> None:
        with pd.ExcelWriter(path, engine="openpyxl") as xl:
            for name, frame in safe.items():
                frame.to_excel(xl, sheet_name=name, index=False)
                ws = xl.sheets[name]
                ws.freeze_panes = "A2"
                if not fit_columns:
                    continue
                for i, col in enumerate(frame.columns, start=1):
                    values = [str(v) for v in frame[col].head(200).tolist()] + [str(col)]
                    width = min(max(display_width(v) for v in values) + 2, XLSX_MAX_COLUMN_WIDTH)
                    ws.column_dimensions[get_column_letter(i)].width = width

    _save_quietly(save)
    check_xlsx_sheets(path, {name: len(frame) for name, frame in safe.items()})


def _save_quietly(save: Callable[[], None]) -> None:
    """Run ``save``; on failure raise one :class:`OutputError` and nothing else.

    When openpyxl fails part-way through a worksheet (a full disk), the worksheet's
    half-written XML stream raises again when it is collected, and Python prints that as
    "Exception ignored in ... get_stream" after the program's one ``error:`` line. Those
    collections happen here, under a hook that drops them and passes every other
    unraisable exception on.
    """
    previous = sys.unraisablehook

    def hook(unraisable: sys.UnraisableHookArgs) -> None:
        if getattr(unraisable.object, "__qualname__", "") != "WorksheetWriter.get_stream":
            previous(unraisable)

    sys.unraisablehook = hook
    try:
        try:
            save()
        except Exception as exc:  # noqa: BLE001 - re-raised below as one OutputError
            failure: str | None = _one_line(exc)
        else:
            failure = None
        if failure is not None:
            gc.collect()
    finally:
        sys.unraisablehook = previous
    if failure is not None:
        raise OutputError(Msg("io.workbook_not_saved", detail=failure))


def write_gpkg_layers(frames: Mapping[str, gpd.GeoDataFrame], path: Path) -> None:
    """Write each frame as a layer of one GeoPackage (2D) and count the features back.

    Through Arrow (when pyarrow is installed) 100,000 plots are written 2.4 times faster,
    with the same table. Writes ``path`` itself: wrap in :func:`write_atomic`.
    """
    for name, frame in frames.items():
        planar(frame).to_file(
            path, driver="GPKG", layer=name, engine="pyogrio", use_arrow=HAS_ARROW
        )
    check_features(path, {name: len(frame) for name, frame in frames.items()})


def write_geojson(gdf: gpd.GeoDataFrame, path: Path) -> None:
    """Write RFC 7946 GeoJSON (WGS84, 2D) and count the features back."""
    planar(gdf).to_crs(WGS84).to_file(path, driver="GeoJSON", engine="pyogrio", RFC7946="YES")
    check_features(path, {None: len(gdf)})


def _write_csv(gdf: gpd.GeoDataFrame, path: Path) -> None:
    write_csv_table(_lonlat_table(gdf), path)


def _write_gpkg(gdf: gpd.GeoDataFrame, path: Path) -> None:
    write_gpkg_layers({"candidates": gdf}, path)


def _write_xlsx(gdf: gpd.GeoDataFrame, path: Path) -> None:
    table = _lonlat_table(gdf)
    docs = pd.DataFrame(
        {
            "column": [str(c) for c in table.columns],
            "description": [
                describe_column(str(c), gdf.attrs.get("radii_m")) for c in table.columns
            ],
        }
    )
    write_xlsx_sheets({"candidates": table, "columns": docs}, path)


def _kml_ready(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """WGS84, with 64-bit integers narrowed where they fit (the KML schema has 32-bit ints)."""
    out = _plain_values(planar(gdf).to_crs(WGS84))
    for col in out.columns:
        if col != out.geometry.name and pd.api.types.is_integer_dtype(out[col].dtype):
            s = out[col]
            if len(s) == 0 or (
                s.min() >= np.iinfo(np.int32).min and s.max() <= np.iinfo(np.int32).max
            ):
                out[col] = s.astype("int32")
    return gpd.GeoDataFrame(out, geometry=gdf.geometry.name, crs=WGS84)


def _write_kml(gdf: gpd.GeoDataFrame, path: Path) -> None:
    # GDAL's KML driver XML-escapes every text (names included); the placemark name is the
    # plot's name, or its id where the data has no name column
    name_field = (
        "name" if "name" in gdf.columns else ("plot_id" if "plot_id" in gdf.columns else None)
    )
    opts = {"NameField": name_field} if name_field else {}
    _kml_ready(gdf).to_file(
        path, driver="KML", engine="pyogrio", layer="candidates", dataset_options=opts
    )
    check_features(path, {"candidates": len(gdf)})


#: Longest text a dBase (.dbf) field holds, bytes.
DBF_MAX_TEXT_BYTES = 254
#: Longest dBase field name, bytes.
DBF_MAX_NAME_BYTES = 10
#: Name of the field-name mapping inside a .shp.zip (tab-separated, UTF-8).
SHP_FIELD_MAP_NAME = "field_names.txt"


def _cut_utf8(text: str, limit: int) -> str:
    """``text`` cut to at most ``limit`` UTF-8 bytes without splitting a character."""
    raw = text.encode("utf-8")
    if len(raw) <= limit:
        return text
    return raw[:limit].decode("utf-8", errors="ignore")


def shapefile_field_names(columns: list[str]) -> dict[str, str]:
    """Map column names to unique dBase field names of at most 10 UTF-8 bytes.

    A name that fits is kept; a longer one is cut at a character boundary; clashes get a
    numeric suffix (``parking_sc``, ``parking__1``, ...) that keeps within 10 bytes.
    """
    out: dict[str, str] = {}
    used: set[str] = set()
    for col in columns:
        short = _cut_utf8(col, DBF_MAX_NAME_BYTES)
        n = 0
        while short.lower() in used:
            n += 1
            suffix = f"_{n}"
            short = _cut_utf8(col, DBF_MAX_NAME_BYTES - len(suffix)) + suffix
        used.add(short.lower())
        out[col] = short
    return out


def _write_shp_zip(gdf: gpd.GeoDataFrame, path: Path) -> None:
    stem = path.name[: -len(".shp.zip")] if path.name.lower().endswith(".shp.zip") else path.stem
    stem = stem.lstrip(".").split(".")[0] or "candidates"
    cols = [c for c in gdf.columns if c != gdf.geometry.name]
    names = shapefile_field_names([str(c) for c in cols])
    table = _plain_values(pd.DataFrame(gdf[cols]))
    cut_counts: dict[str, int] = {}
    for col in cols:
        s = table[col]
        if s.dtype == object or pd.api.types.is_string_dtype(s):
            text = s.astype("string")
            cut = text.map(
                lambda v: v if pd.isna(v) else _cut_utf8(v, DBF_MAX_TEXT_BYTES), na_action="ignore"
            )
            cut_counts[str(col)] = int((cut != text).fillna(False).sum())
            table[col] = cut.astype(object).where(cut.notna(), None)
    out = gpd.GeoDataFrame(
        table.rename(columns={c: names[str(c)] for c in cols}),
        geometry=planar(gdf).geometry.to_numpy(),
        crs=gdf.crs,
    )
    lines = ["field\tcolumn\ttext_values_cut_to_254_bytes\tdescription"]
    radii = gdf.attrs.get("radii_m")
    lines += [
        f"{names[str(c)]}\t{c}\t{cut_counts.get(str(c), 0)}\t{describe_column(str(c), radii)}"
        for c in cols
    ]
    with private_tempdir(prefix="planner-shp-") as folder:
        out.to_file(
            folder / f"{stem}.shp", driver="ESRI Shapefile", engine="pyogrio", encoding="UTF-8"
        )
        (folder / SHP_FIELD_MAP_NAME).write_text("\n".join(lines) + "\n", encoding="utf-8")
        with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
            for f in sorted(folder.iterdir()):
                zf.write(f, arcname=f.name)
    with zipfile.ZipFile(path) as zf:
        bad = zf.testzip()  # CRC of every member
        if bad is not None or SHP_FIELD_MAP_NAME not in zf.namelist():
            raise WriteCheckError(Msg("io.check_zip_member", member=bad or SHP_FIELD_MAP_NAME))
    check_features(path, {None: len(gdf)})


def read_field_map(zip_path: str | PathLike[str]) -> dict[str, str]:
    """The ``{field: column}`` mapping stored in a .shp.zip written by the planner."""
    with zipfile.ZipFile(zip_path) as zf:
        text = zf.read(SHP_FIELD_MAP_NAME).decode("utf-8")
    rows = [line.split("\t") for line in io.StringIO(text).read().splitlines()[1:] if line]
    return {r[0]: r[1] for r in rows}


#: Output writers by file extension.
OUTPUT_FORMATS: dict[str, Callable[[gpd.GeoDataFrame, Path], None]] = {
    ".gpkg": _write_gpkg,
    ".geojson": write_geojson,
    ".csv": _write_csv,
    ".xlsx": _write_xlsx,
    ".kml": _write_kml,
    ".shp.zip": _write_shp_zip,
}


def output_format(path: PathLikeStr) -> str:
    """The output extension of ``path`` (longest known match, e.g. ``.shp.zip``)."""
    name = Path(path).name.lower()
    for ext in sorted(OUTPUT_FORMATS, key=len, reverse=True):
        if name.endswith(ext):
            return ext
    raise OutputError(
        Msg("io.unknown_output_format", path=str(path), formats=", ".join(sorted(OUTPUT_FORMATS)))
    )


def write_candidates(gdf: gpd.GeoDataFrame, path: PathLikeStr) -> Path:
    """Write the scored plots to ``path``, format by extension, atomically.

    The file is read back before it is moved into place (:func:`write_atomic`); spreadsheet
    text is made safe (:func:`spreadsheet_text`) and geometry 2D (:func:`planar`).

    Raises
    ------
    OutputError
        Unknown extension, missing or unwritable folder, or the write or its check failed
        (nothing is left behind, an existing file at ``path`` is untouched).
    """
    writer = OUTPUT_FORMATS[output_format(path)]
    return write_atomic(path, lambda tmp: writer(gdf, tmp))
