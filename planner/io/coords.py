"""Chinese web-map coordinate systems: GCJ-02 (Amap, Tencent, Google China) and BD-09 (Baidu).

GCJ-02 and BD-09 are not in PROJ: they are WGS84 longitude/latitude with a deliberate,
position-dependent offset of a few hundred metres. The forward formula (WGS84 -> GCJ-02) is
the widely published reconstruction (Krasovsky 1940 ellipsoid constants, the "eviltransform"
/ "coordtransform" family); BD-09 adds Baidu's published polar shift on top of GCJ-02.

Accuracy
--------
* WGS84 -> GCJ-02 is the published closed formula; it reproduces the reference
  implementations to better than 1e-9 degree.
* GCJ-02 -> WGS84 has no closed form; :func:`gcj02_to_wgs84` inverts the forward formula by
  fixed-point iteration until the forward image is within 1e-10 degree (about 0.01 mm) of
  the input, so a round trip is exact to floating point noise.
* Against the official (secret) GCJ-02 implementation the published formula is reported to
  agree to within about 1 m; that, not the numerics here, bounds the absolute accuracy.
* BD-09 <-> GCJ-02 uses Baidu's published formula; the reverse is iterated the same way.
* Outside the rough box of China (:data:`CHINA_BOX`) both systems equal WGS84 and points
  are returned unchanged, as the reference implementations do.

All functions take and return numpy arrays (or scalars) of longitude and latitude, in that
order, and are vectorised; :func:`transform_geometries` applies them to shapely geometries.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import numpy.typing as npt
import shapely

from planner.errors import ConfigError
from planner.messages import Msg

CoordSystem = Literal["wgs84", "gcj02", "bd09"]
COORD_SYSTEMS: tuple[str, ...] = ("wgs84", "gcj02", "bd09")

#: Semi-major axis of the Krasovsky 1940 ellipsoid used by the GCJ-02 formula, metres.
KRASOVSKY_A_M = 6378245.0
#: First eccentricity squared of the Krasovsky 1940 ellipsoid.
KRASOVSKY_EE = 0.00669342162296594323
#: Baidu's angular constant (pi * 3000 / 180).
BD_X_PI = np.pi * 3000.0 / 180.0
#: Longitude/latitude box inside which the offset applies (min lon, min lat, max lon, max lat),
#: as in the reference implementations.
CHINA_BOX = (72.004, 0.8293, 137.8347, 55.8271)
#: Convergence target of the iterative inverses, degrees (about 0.01 mm).
INVERSE_TOLERANCE_DEG = 1e-10
_MAX_ITERATIONS = 50

Array = npt.NDArray[np.float64]


def _as_arrays(lon: npt.ArrayLike, lat: npt.ArrayLike) -> tuple[Array, Array]:
    return np.asarray(lon, dtype=float), np.asarray(lat, dtype=float)


def in_china(lon: npt.ArrayLike, lat: npt.ArrayLike) -> npt.NDArray[np.bool_]:
    """True where a point lies in the box where GCJ-02/BD-09 differ from WGS84."""
    x, y = _as_arrays(lon, lat)
    x0, y0, x1, y1 = CHINA_BOX
    return (x >= x0) & (x <= x1) & (y >= y0) & (y <= y1)


def _gcj_offset(lon: Array, lat: Array) -> tuple[Array, Array]:
    """The GCJ-02 offset (dlon, dlat) in degrees at WGS84 position (lon, lat)."""
    x = lon - 105.0
    y = lat - 35.0
    xpi, ypi = x * np.pi, y * np.pi
    common = (20.0 * np.sin(6.0 * xpi) + 20.0 * np.sin(2.0 * xpi)) * 2.0 / 3.0
    dlat = (
        -100.0
        + 2.0 * x
        + 3.0 * y
        + 0.2 * y * y
        + 0.1 * x * y
        + 0.2 * np.sqrt(np.abs(x))
        + common
        + (20.0 * np.sin(ypi) + 40.0 * np.sin(ypi / 3.0)) * 2.0 / 3.0
        + (160.0 * np.sin(ypi / 12.0) + 320.0 * np.sin(ypi / 30.0)) * 2.0 / 3.0
    )
    dlon = (
        300.0
        + x
        + 2.0 * y
        + 0.1 * x * x
        + 0.1 * x * y
        + 0.1 * np.sqrt(np.abs(x))
        + common
        + (20.0 * np.sin(xpi) + 40.0 * np.sin(xpi / 3.0)) * 2.0 / 3.0
        + (150.0 * np.sin(xpi / 12.0) + 300.0 * np.sin(xpi / 30.0)) * 2.0 / 3.0
    )
    rad = lat / 180.0 * np.pi
    magic = 1.0 - KRASOVSKY_EE * np.sin(rad) ** 2
    sqrt_magic = np.sqrt(magic)
    dlat = dlat * 180.0 / ((KRASOVSKY_A_M * (1.0 - KRASOVSKY_EE)) / (magic * sqrt_magic) * np.pi)
    dlon = dlon * 180.0 / (KRASOVSKY_A_M / sqrt_magic * np.cos(rad) * np.pi)
    inside = in_china(lon, lat)
    return np.where(inside, dlon, 0.0), np.where(inside, dlat, 0.0)


def wgs84_to_gcj02(lon: npt.ArrayLike, lat: npt.ArrayLike) -> tuple[Array, Array]:
    """Convert WGS84 longitude/latitude to GCJ-02 (e.g. to show data on Amap tiles)."""
    x, y = _as_arrays(lon, lat)
    dlon, dlat = _gcj_offset(x, y)
    return x + dlon, y + dlat


def _invert(forward, lon: Array, lat: Array) -> tuple[Array, Array]:  # noqa: ANN001
    """Solve ``forward(w) == (lon, lat)`` for ``w`` by fixed-point iteration."""
    wx, wy = lon.copy(), lat.copy()
    for _ in range(_MAX_ITERATIONS):
        fx, fy = forward(wx, wy)
        ex, ey = lon - fx, lat - fy
        wx, wy = wx + ex, wy + ey
        err = np.nanmax(np.abs(np.concatenate([np.ravel(ex), np.ravel(ey)])), initial=0.0)
        if err < INVERSE_TOLERANCE_DEG:
            break
    return wx, wy


def gcj02_to_wgs84(lon: npt.ArrayLike, lat: npt.ArrayLike) -> tuple[Array, Array]:
    """Convert GCJ-02 longitude/latitude to WGS84 (iterative inverse, see module notes)."""
    x, y = _as_arrays(lon, lat)
    return _invert(wgs84_to_gcj02, x, y)


def gcj02_to_bd09(lon: npt.ArrayLike, lat: npt.ArrayLike) -> tuple[Array, Array]:
    """Convert GCJ-02 longitude/latitude to Baidu BD-09."""
    x, y = _as_arrays(lon, lat)
    z = np.hypot(x, y) + 0.00002 * np.sin(y * BD_X_PI)
    theta = np.arctan2(y, x) + 0.000003 * np.cos(x * BD_X_PI)
    inside = in_china(x, y)
    return (
        np.where(inside, z * np.cos(theta) + 0.0065, x),
        np.where(inside, z * np.sin(theta) + 0.006, y),
    )


def bd09_to_gcj02(lon: npt.ArrayLike, lat: npt.ArrayLike) -> tuple[Array, Array]:
    """Convert Baidu BD-09 longitude/latitude to GCJ-02 (iterative inverse)."""
    x, y = _as_arrays(lon, lat)
    return _invert(gcj02_to_bd09, x, y)


def wgs84_to_bd09(lon: npt.ArrayLike, lat: npt.ArrayLike) -> tuple[Array, Array]:
    """Convert WGS84 longitude/latitude to BD-09."""
    return gcj02_to_bd09(*wgs84_to_gcj02(lon, lat))


def bd09_to_wgs84(lon: npt.ArrayLike, lat: npt.ArrayLike) -> tuple[Array, Array]:
    """Convert BD-09 longitude/latitude to WGS84."""
    return gcj02_to_wgs84(*bd09_to_gcj02(lon, lat))


_TO_WGS84 = {"gcj02": gcj02_to_wgs84, "bd09": bd09_to_wgs84}
_FROM_WGS84 = {"gcj02": wgs84_to_gcj02, "bd09": wgs84_to_bd09}


def check_coord_system(name: str) -> CoordSystem:
    """Return ``name`` normalised (``wgs84``, ``gcj02``, ``bd09``).

    Raises
    ------
    ConfigError
        An unknown name (a ``ValueError`` too).
    """
    key = str(name).lower().replace("-", "").replace("_", "")
    aliases = {
        "wgs84": "wgs84",
        "gcj02": "gcj02",
        "gcj": "gcj02",
        "bd09": "bd09",
        "bd": "bd09",
        "bd09ll": "bd09",
        "mars": "gcj02",
    }
    if key not in aliases:
        raise ConfigError(
            Msg("io.unknown_coord_system", name=name, systems=", ".join(COORD_SYSTEMS))
        )
    return aliases[key]  # type: ignore[return-value]


def transform_geometries(
    geoms: npt.ArrayLike, *, source: str, target: str = "wgs84"
) -> npt.NDArray[np.object_]:
    """Convert shapely geometries (lon/lat) between WGS84, GCJ-02 and BD-09, vectorised.

    Parameters
    ----------
    geoms : array of shapely geometries
        Geometries in longitude/latitude of ``source``.
    source, target : {"wgs84", "gcj02", "bd09"}
        Coordinate systems to convert from and to.
    """
    src, dst = check_coord_system(source), check_coord_system(target)
    arr = np.asarray(geoms, dtype=object)
    if src == dst:
        return arr

    def convert(xy: Array) -> Array:
        x, y = xy[:, 0], xy[:, 1]
        if src != "wgs84":
            x, y = _TO_WGS84[src](x, y)
        if dst != "wgs84":
            x, y = _FROM_WGS84[dst](x, y)
        return np.column_stack([x, y])

    return shapely.transform(arr, convert)
