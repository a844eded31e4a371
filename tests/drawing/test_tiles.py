"""A local tile source (XYZ folder or MBTiles) as the sheet's base map: tile numbering, the
resampling onto the Gauss-Krüger grid checked against Web Mercator computed here, and a sheet
drawn on it."""

from __future__ import annotations

import io
import sqlite3

import numpy as np
import pyproj
import pytest
from PIL import Image

from planner.drawing.sheet import SheetSpec, render_sheet, save_sheet
from planner.drawing.tiles import basemap_for, lonlat_to_pixel, open_tile_source
from planner.errors import InputFileError
from tests.drawing.test_sheet import CRS, X0, Y0, hand_drawing
from tests.pdf_helpers import poppler, render_png

HALF_WORLD_M = 20037508.342789244  # EPSG:3857 extent
Z = 15


def _coded_tile(tx: int, ty: int) -> bytes:
    """A tile whose pixel (i, j) is (i, j, tile parity): every pixel says where it is."""
    j, i = np.mgrid[0:256, 0:256]
    img = np.stack(
        [i, j, np.full_like(i, 60 + 100 * ((tx + ty) % 2)), np.full_like(i, 255)], axis=-1
    ).astype(np.uint8)
    buf = io.BytesIO()
    Image.fromarray(img, "RGBA").save(buf, format="PNG")
    return buf.getvalue()


def _tiles_around(extent) -> list[tuple[int, int]]:
    to_ll = pyproj.Transformer.from_crs(CRS, "EPSG:4326", always_xy=True)
    lon, lat = to_ll.transform([extent[0], extent[2]], [extent[1], extent[3]])
    px, py = lonlat_to_pixel(np.array(lon), np.array(lat), Z)
    xs = range(int(px.min() // 256) - 1, int(px.max() // 256) + 2)
    ys = range(int(py.min() // 256) - 1, int(py.max() // 256) + 2)
    return [(x, y) for x in xs for y in ys]


EXTENT = (X0 - 200, Y0 - 200, X0 + 1000, Y0 + 600)


@pytest.fixture
def xyz(tmp_path):
    for tx, ty in _tiles_around(EXTENT):
        folder = tmp_path / "xyz" / str(Z) / str(tx)
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{ty}.png").write_bytes(_coded_tile(tx, ty))
    return tmp_path / "xyz"


@pytest.fixture
def mbtiles(tmp_path):
    path = tmp_path / "base.mbtiles"
    with sqlite3.connect(path) as db:
        db.execute(
            "CREATE TABLE tiles (zoom_level INTEGER, tile_column INTEGER, "
            "tile_row INTEGER, tile_data BLOB)"
        )
        for tx, ty in _tiles_around(EXTENT):
            db.execute(
                "INSERT INTO tiles VALUES (?, ?, ?, ?)",
                (Z, tx, (1 << Z) - 1 - ty, _coded_tile(tx, ty)),
            )  # TMS rows
    return path


def test_web_mercator_pixels():
    px, py = lonlat_to_pixel(np.array([0.0, -180.0]), np.array([0.0, 85.0511287798]), 0)
    assert px.tolist() == pytest.approx([128.0, 0.0])
    assert py.tolist() == pytest.approx([128.0, 0.0], abs=1e-6)


@pytest.mark.parametrize("source", ["xyz", "mbtiles"])
def test_base_map_pixels_come_from_the_right_tile_pixel(source, request):
    tiles = open_tile_source(request.getfixturevalue(source))
    assert tiles.zooms == (Z,)
    w, h = 240, 160
    base = basemap_for(tiles, EXTENT, CRS, (w, h))
    assert base.image.shape == (h, w, 4) and (base.image[..., 3] == 255).all()
    # independent: the pixel centres to EPSG:3857 metres, then to global tile pixels
    rows, cols = np.array([0, 37, 80, 159]), np.array([0, 101, 180, 239])
    x = EXTENT[0] + (cols + 0.5) * (EXTENT[2] - EXTENT[0]) / w
    y = EXTENT[3] - (rows + 0.5) * (EXTENT[3] - EXTENT[1]) / h
    mx, my = pyproj.Transformer.from_crs(CRS, "EPSG:3857", always_xy=True).transform(x, y)
    n = 256 * 2**Z
    gx = (mx + HALF_WORLD_M) / (2 * HALF_WORLD_M) * n
    gy = (HALF_WORLD_M - my) / (2 * HALF_WORLD_M) * n
    got = base.image[rows, cols]
    assert got[:, 0].tolist() == (gx % 256).astype(int).tolist()
    assert got[:, 1].tolist() == (gy % 256).astype(int).tolist()
    parity = ((gx // 256 + gy // 256) % 2).astype(int)
    assert got[:, 2].tolist() == (60 + 100 * parity).tolist()


def test_sheet_on_a_local_base_map(xyz, tmp_path):
    fig, info = render_sheet(hand_drawing(), SheetSpec(), tiles=open_tile_source(xyz))
    pdf = save_sheet(fig, tmp_path / "b.pdf")
    assert "底图：xyz" in poppler("pdftotext", pdf, "-")
    with Image.open(render_png(pdf, 50)) as img:
        rgb = np.asarray(img.convert("RGB"))
    # the frame's corner shows the tiles (blue channel 60 or 160), not white paper
    mx0, my0, mx1, my1 = info.map_mm
    px = 50 / 25.4
    corner = rgb[round((297 - my1 + 3) * px), round((mx0 + 3) * px)]
    assert corner[2] in range(55, 66) or corner[2] in range(155, 166)


def test_bad_tile_sources(tmp_path):
    (tmp_path / "empty").mkdir()
    with pytest.raises(InputFileError, match="no tiles"):
        open_tile_source(tmp_path / "empty")
    (tmp_path / "x.mbtiles").write_text("not sqlite")
    with pytest.raises(InputFileError, match="not an MBTiles file"):
        open_tile_source(tmp_path / "x.mbtiles")
    bad = tmp_path / "bad" / str(Z)
    for tx, ty in _tiles_around(EXTENT):
        (bad / str(tx)).mkdir(parents=True, exist_ok=True)
        (bad / str(tx) / f"{ty}.png").write_bytes(b"not a png")
    with pytest.raises(InputFileError, match="is not an image"):
        basemap_for(open_tile_source(tmp_path / "bad"), EXTENT, CRS, (20, 20))


def test_sheet_command_with_tiles(tmp_path, capsys):
    from planner.cli import main

    demo_extent = (497_000.0, 4_327_000.0, 505_000.0, 4_335_000.0)  # around the demo
    for tx, ty in _tiles_around(demo_extent):
        folder = tmp_path / "tiles" / str(Z) / str(tx)
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{ty}.png").write_bytes(_coded_tile(tx, ty))
    out = tmp_path / "m.png"
    code = main(
        [
            "sheet",
            "--demo",
            "--workers",
            "1",
            "--quiet",
            "--tiles",
            str(tmp_path / "tiles"),
            "--dpi",
            "50",
            "--out",
            str(out),
        ]
    )
    err = capsys.readouterr().err
    assert code == 0, err
    with Image.open(out) as img:
        rgb = np.asarray(img.convert("RGB"))
    blue = rgb[..., 2]
    tile_blue = (np.abs(blue.astype(int) - 60) < 6) | (np.abs(blue.astype(int) - 160) < 6)
    assert tile_blue.mean() > 0.05  # the tiles show in the frame around the district
