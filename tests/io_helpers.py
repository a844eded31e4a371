"""Builders of (broken) input files for the io tests."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import geopandas as gpd
from shapely.geometry import box

LON0, LAT0 = 117.20, 39.10  # Tianjin


def write_shapefile(
    folder: Path,
    stem: str,
    frame: gpd.GeoDataFrame,
    *,
    encoding: str = "UTF-8",
    cpg: bool = True,
    prj: bool = True,
    ldid: int | None = 0,
) -> Path:
    """Write ``frame`` as a shapefile; drop the .cpg/.prj and set the code-page byte on demand."""
    folder.mkdir(parents=True, exist_ok=True)
    shp = folder / f"{stem}.shp"
    frame.to_file(shp, engine="pyogrio", encoding=encoding)
    if not cpg:
        (folder / f"{stem}.cpg").unlink()
    if not prj:
        (folder / f"{stem}.prj").unlink()
    if ldid is not None:
        dbf = folder / f"{stem}.dbf"
        data = bytearray(dbf.read_bytes())
        data[29] = ldid
        dbf.write_bytes(bytes(data))
    return shp


def districts(names=("西青区", "和平区", "河东区"), crs="EPSG:4326") -> gpd.GeoDataFrame:
    """Squares of 0.01 degree along a row, one per name."""
    geoms = [
        box(LON0 + 0.02 * i, LAT0, LON0 + 0.02 * i + 0.01, LAT0 + 0.01) for i in range(len(names))
    ]
    return gpd.GeoDataFrame(
        {"name": list(names), "code": list(range(1, len(names) + 1))}, geometry=geoms, crs=crs
    )


def zip_bytes(entries: dict[str, bytes], *, compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    """A zip archive holding ``entries`` (name -> bytes) exactly as named."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=compression) as zf:
        for name, data in entries.items():
            zf.writestr(zipfile.ZipInfo(name), data, compress_type=compression)
    return buf.getvalue()


def folder_files(folder: Path) -> dict[str, bytes]:
    """Every file of ``folder`` as name -> bytes (for read_upload)."""
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}
