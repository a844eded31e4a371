"""Write the candidate list; the format follows the file extension.

Every writer writes to a temporary file beside the target and renames it into place only when
complete, so a failed run never leaves a partial output file.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable, Iterator
from os import PathLike
from pathlib import Path

import geopandas as gpd
import pandas as pd

from planner.crs import WGS84
from planner.errors import OutputError

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


def _write_csv(gdf: gpd.GeoDataFrame, path: Path) -> None:
    # UTF-8 with BOM so that Excel shows Chinese text
    _lonlat_table(gdf).to_csv(path, index=False, encoding="utf-8-sig")


def _write_gpkg(gdf: gpd.GeoDataFrame, path: Path) -> None:
    gdf.to_file(path, driver="GPKG", layer="candidates", engine="pyogrio")


def _write_geojson(gdf: gpd.GeoDataFrame, path: Path) -> None:
    gdf.to_crs(WGS84).to_file(path, driver="GeoJSON", engine="pyogrio", RFC7946="YES")


#: Output writers by file extension.
OUTPUT_FORMATS: dict[str, Callable[[gpd.GeoDataFrame, Path], None]] = {
    ".gpkg": _write_gpkg,
    ".geojson": _write_geojson,
    ".csv": _write_csv,
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
