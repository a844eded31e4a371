"""GCJ-02 / BD-09 conversions against published reference values."""

from __future__ import annotations

import numpy as np
import pytest
import shapely
from shapely.geometry import Point, Polygon

from planner.io.coords import (
    bd09_to_gcj02,
    bd09_to_wgs84,
    check_coord_system,
    gcj02_to_bd09,
    gcj02_to_wgs84,
    transform_geometries,
    wgs84_to_bd09,
    wgs84_to_gcj02,
)

# (wgs lon, wgs lat, gcj lon, gcj lat): the test points of googollee/eviltransform
# (Shanghai, Shenzhen, Beijing), reproduced by every implementation of the formula.
EVIL = np.array(
    [
        (121.5272106, 31.1774276, 121.531541859215, 31.17530398364597),
        (113.912316, 22.543847, 113.9171764808363, 22.540796131694766),
        (116.377817, 39.911954, 116.38404722455657, 39.91334545536069),
    ]
)
# wandergis/coordtransform's documented results for the input (116.404, 39.915)
COORDTRANSFORM = {
    "wgs84togcj02": (116.41024449916938, 39.91640428150164),
    "gcj02tobd09": (116.41036949371029, 39.92133699351021),
    "bd09togcj02": (116.39762729119315, 39.90865673957631),
}
DEG_PER_M = 1.0 / 111_320.0


def test_wgs84_to_gcj02_matches_reference_points():
    lon, lat = wgs84_to_gcj02(EVIL[:, 0], EVIL[:, 1])
    np.testing.assert_allclose(lon, EVIL[:, 2], atol=1e-9)
    np.testing.assert_allclose(lat, EVIL[:, 3], atol=1e-9)
    lon, lat = wgs84_to_gcj02(116.404, 39.915)
    assert (float(lon), float(lat)) == pytest.approx(COORDTRANSFORM["wgs84togcj02"], abs=1e-12)


def test_gcj02_to_wgs84_recovers_known_wgs84_positions():
    lon, lat = gcj02_to_wgs84(EVIL[:, 2], EVIL[:, 3])
    # the inverse is iterated to 1e-10 degree: well under a millimetre
    np.testing.assert_allclose(lon, EVIL[:, 0], atol=1e-9)
    np.testing.assert_allclose(lat, EVIL[:, 1], atol=1e-9)


def test_offset_is_a_few_hundred_metres_in_beijing():
    lon, lat = wgs84_to_gcj02(116.377817, 39.911954)
    dx = (lon - 116.377817) * 111_320 * np.cos(np.radians(39.91))
    dy = (lat - 39.911954) * 111_320
    assert 400 < np.hypot(dx, dy) < 700


def test_bd09_forward_and_reverse():
    lon, lat = gcj02_to_bd09(116.404, 39.915)
    assert (float(lon), float(lat)) == pytest.approx(COORDTRANSFORM["gcj02tobd09"], abs=1e-12)
    lon, lat = bd09_to_gcj02(116.404, 39.915)
    # the reference uses a one-step approximation; ours iterates: they differ by < 5 cm
    assert abs(lon - COORDTRANSFORM["bd09togcj02"][0]) < 5e-7
    assert abs(lat - COORDTRANSFORM["bd09togcj02"][1]) < 5e-7
    back = gcj02_to_bd09(lon, lat)
    assert back[0] == pytest.approx(116.404, abs=1e-9)
    assert back[1] == pytest.approx(39.915, abs=1e-9)


def test_wgs84_bd09_round_trip_is_exact():
    rng = np.random.default_rng(0)
    lon = rng.uniform(100, 125, 200)
    lat = rng.uniform(20, 45, 200)
    blon, blat = wgs84_to_bd09(lon, lat)
    wlon, wlat = bd09_to_wgs84(blon, blat)
    assert np.abs(wlon - lon).max() < 1e-9
    assert np.abs(wlat - lat).max() < 1e-9


def test_points_outside_china_are_unchanged():
    lon, lat = wgs84_to_gcj02([2.35, -74.0], [48.85, 40.7])
    np.testing.assert_array_equal(lon, [2.35, -74.0])
    np.testing.assert_array_equal(lat, [48.85, 40.7])
    lon, lat = gcj02_to_wgs84([2.35], [48.85])
    np.testing.assert_array_equal(lon, [2.35])


def test_transform_geometries_moves_every_vertex():
    gcj = EVIL[2, 2:]
    poly = Polygon([(gcj[0], gcj[1]), (gcj[0] + 0.001, gcj[1]), (gcj[0], gcj[1] + 0.001)])
    out = transform_geometries(np.array([Point(gcj), poly, None], dtype=object), source="gcj02")
    assert out[0].x == pytest.approx(EVIL[2, 0], abs=1e-9)
    assert out[0].y == pytest.approx(EVIL[2, 1], abs=1e-9)
    first = shapely.get_coordinates(out[1])[0]
    np.testing.assert_allclose(first, EVIL[2, :2], atol=1e-9)
    assert out[2] is None
    back = transform_geometries(out, source="wgs84", target="gcj02")
    np.testing.assert_allclose(
        shapely.get_coordinates(back[1]), shapely.get_coordinates(poly), atol=1e-9
    )


def test_unknown_coord_system_is_refused():
    assert check_coord_system("GCJ-02") == "gcj02"
    with pytest.raises(ValueError, match="unknown coordinate system 'utm'"):
        check_coord_system("utm")
