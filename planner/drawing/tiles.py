"""A base map for a sheet from a local tile source: an XYZ folder or an MBTiles file.

Nothing is fetched from the internet: a planner with tiles on disk or on the intranet's file
share (a folder ``{z}/{x}/{y}.png`` as tile servers and QGIS's "Generate XYZ tiles" write it,
or an ``.mbtiles`` SQLite file, MBTiles 1.3) gets them under the sheet; without, the sheet has
no base map. Tiles are Web Mercator (EPSG:3857) in WGS84; they are resampled (nearest tile
pixel) onto the sheet's grid in its projected CRS, each pixel through pyproj, so the base map
lies under the plots exactly however the CGCS2000 zone is rotated against Web Mercator.
Tiles of Chinese web maps are in GCJ-02 and would lie a few hundred metres off: use WGS84
tiles.
"""

from __future__ import annotations

import io
import math
import sqlite3
from dataclasses import dataclass
from os import PathLike
from pathlib import Path

import numpy as np

from planner.errors import InputFileError
from planner.messages import Msg

#: Resolution of the base map under the map frame, pixels per inch of paper.
BASEMAP_DPI = 120
#: Tile size, pixels (every XYZ and MBTiles raster source).
TILE_PX = 256
#: Earth's circumference at the equator on the Web Mercator sphere, m (EPSG:3857).
WEB_MERCATOR_CIRCUMFERENCE_M = 2 * math.pi * 6378137.0
#: Latitude limit of Web Mercator, degrees.
MAX_LATITUDE = 85.05112878


@dataclass(frozen=True)
class TileSource:
    """A local tile source: ``kind`` ``xyz`` (folder) or ``mbtiles``, and its zoom levels."""

    path: Path
    kind: str
    zooms: tuple[int, ...]

    @property
    def name(self) -> str:
        """The source as the title block names it."""
        return self.path.name

    def tile(self, z: int, x: int, y: int) -> bytes | None:
        """The encoded image of tile (z, x, y) in XYZ numbering; ``None`` where there is none."""
        if self.kind == "mbtiles":
            with sqlite3.connect(f"file:{self.path}?mode=ro", uri=True) as db:
                row = db.execute(
                    "SELECT tile_data FROM tiles WHERE zoom_level=? AND "
                    "tile_column=? AND tile_row=?",
                    (z, x, (1 << z) - 1 - y),
                ).fetchone()  # MBTiles rows are TMS
            return None if row is None else bytes(row[0])
        for ext in (".png", ".jpg", ".jpeg", ".webp"):
            f = self.path / str(z) / str(x) / f"{y}{ext}"
            if f.is_file():
                return f.read_bytes()
        return None


@dataclass
class BaseMap:
    """A raster in the sheet's CRS: ``image`` (rows from the top) covering the map frame."""

    image: np.ndarray
    source: str


def open_tile_source(path: str | PathLike[str]) -> TileSource:
    """Open an XYZ folder or an MBTiles file.

    Raises
    ------
    InputFileError
        Neither, or with no tile.
    """
    path = Path(path)
    if path.is_dir():
        zooms = tuple(
            sorted(int(p.name) for p in path.iterdir() if p.is_dir() and p.name.isdigit())
        )
        if not zooms:
            raise InputFileError(path, Msg("drawing.no_tiles"))
        return TileSource(path, "xyz", zooms)
    if path.is_file() and path.suffix.lower() == ".mbtiles":
        try:
            with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as db:
                zooms = tuple(
                    int(r[0])
                    for r in db.execute("SELECT DISTINCT zoom_level FROM tiles ORDER BY zoom_level")
                )
        except sqlite3.Error as exc:
            raise InputFileError(path, Msg("drawing.not_mbtiles", detail=exc)) from None
        if not zooms:
            raise InputFileError(path, Msg("drawing.mbtiles_empty"))
        return TileSource(path, "mbtiles", zooms)
    raise InputFileError(path, Msg("drawing.tiles_kind"))


def lonlat_to_pixel(lon: np.ndarray, lat: np.ndarray, z: int) -> tuple[np.ndarray, np.ndarray]:
    """Global Web Mercator pixel coordinates at zoom ``z`` (the XYZ tile scheme)."""
    n = TILE_PX * (1 << z)
    lat = np.clip(lat, -MAX_LATITUDE, MAX_LATITUDE)
    px = (lon + 180.0) / 360.0 * n
    rad = np.radians(lat)
    py = (1.0 - np.log(np.tan(rad) + 1.0 / np.cos(rad)) / math.pi) / 2.0 * n
    return px, py


def _zoom(source: TileSource, metres_per_pixel: float, lat: float) -> int:
    """The source's zoom whose pixels are nearest in size to the base map's, no finer."""
    want = math.log2(
        WEB_MERCATOR_CIRCUMFERENCE_M
        * math.cos(math.radians(lat))
        / (TILE_PX * max(metres_per_pixel, 1e-6))
    )
    below = [z for z in source.zooms if z <= math.ceil(want)]
    return max(below) if below else min(source.zooms)


def _decode(data: bytes) -> np.ndarray:
    from PIL import Image

    with Image.open(io.BytesIO(data)) as img:
        return np.asarray(img.convert("RGBA").resize((TILE_PX, TILE_PX)))


def basemap_for(
    source: TileSource,
    extent: tuple[float, float, float, float],
    crs: object,
    size: tuple[int, int],
) -> BaseMap:
    """The tiles under ``extent`` (ground coordinates of ``crs``) as a ``size`` (w, h) raster.

    Pixels with no tile are transparent.
    """
    import pyproj

    w, h = size
    x0, y0, x1, y1 = extent
    xs = x0 + (np.arange(w) + 0.5) * (x1 - x0) / w
    ys = y1 - (np.arange(h) + 0.5) * (y1 - y0) / h
    gx, gy = np.meshgrid(xs, ys)
    to_ll = pyproj.Transformer.from_crs(crs, "EPSG:4326", always_xy=True)
    lon, lat = to_ll.transform(gx, gy)
    z = _zoom(source, (x1 - x0) / w, float(np.mean(lat)))
    px, py = lonlat_to_pixel(lon, lat, z)
    tx, ty = (px // TILE_PX).astype(np.int64).ravel(), (py // TILE_PX).astype(np.int64).ravel()
    ix = np.clip((px.ravel() - tx * TILE_PX).astype(np.int64), 0, TILE_PX - 1)
    iy = np.clip((py.ravel() - ty * TILE_PX).astype(np.int64), 0, TILE_PX - 1)
    rows = int(ty.max() - ty.min()) + 1
    key = (tx - tx.min()) * rows + (ty - ty.min())  # one integer per tile
    keys, inverse = np.unique(key, return_inverse=True)
    order = np.argsort(inverse, kind="stable")
    groups = np.split(order, np.cumsum(np.bincount(inverse))[:-1])
    image = np.zeros((h * w, 4), dtype=np.uint8)
    for k, pixels in zip(keys.tolist(), groups, strict=True):  # one pass per tile
        kx, ky = k // rows + int(tx.min()), k % rows + int(ty.min())
        data = source.tile(z, int(kx), int(ky))
        if data is None:
            continue
        try:
            tile = _decode(data)
        except OSError:  # PIL: not an image it knows
            raise InputFileError(
                source.path, Msg("drawing.tile_not_image", tile=f"{z}/{kx}/{ky}")
            ) from None
        image[pixels] = tile[iy[pixels], ix[pixels]]
    return BaseMap(image.reshape(h, w, 4), source.name)
