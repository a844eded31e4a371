"""Decide a layer's coordinate reference system, and say how it was decided.

Rules:

* ``--crs`` given: it is used (and wins over a .prj).
* The file declares a CRS (.prj, GeoPackage, GeoJSON ...): it is used. Chinese
  Gauss-Krüger CRSs (CGCS2000, Xian 1980, Beijing 1954; 3° and 6° zones) are recognised
  and named. If the eastings carry the zone number (e.g. 39 512 345 m) but the declared CRS
  has a plain 500 000 m false easting — or the other way round — the matching variant of the
  same datum and zone is used instead, and the report says so.
* Nothing declared: WGS84 is assumed only if every coordinate is plainly longitude/latitude
  (x in [-180, 180], y in [-90, 90]); the report carries a warning. Otherwise a
  :class:`~planner.errors.NoCrsError` says how to declare it, naming the Gauss-Krüger zone
  when the eastings carry a zone number.

Whatever decided it, the CRS must fit the coordinates (:func:`check_plausible`): it must be
horizontal (a vertical CRS such as ``EPSG:5773``, a geocentric or an engineering CRS is
refused); under a geographic CRS every coordinate must be a longitude/latitude — numbers like
500 000, 4 400 000 are metres of a projected CRS and refused, naming the Gauss-Krüger zone
when the eastings carry one; latitudes beyond ±90° whose longitudes would fit as latitudes
(Beijing given as 39.9, 116.4) are longitude and latitude swapped and refused; longitudes
and latitudes that lie outside China but would fall inside it swapped only warn. Infinite
coordinates are refused.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyproj

from planner.crs import CHINA_BOUNDS_LONLAT, WGS84
from planner.errors import ConfigError, NoCrsError
from planner.messages import Msg

#: What the messages call a layer given without its role.
THE_LAYER = Msg("common.the_layer")

#: EPSG codes of the Chinese Gauss-Krüger CRSs (EPSG registry), by (datum, zone width):
#: (first code of the zone-number-in-easting series, first zone, first code of the
#: central-meridian series, first central meridian). Codes run on one per zone.
GAUSS_KRUGER_SERIES: dict[tuple[str, int], tuple[int, int, int, int]] = {
    ("CGCS2000", 3): (4513, 25, 4534, 75),
    ("CGCS2000", 6): (4491, 13, 4502, 75),
    ("Xian 1980", 3): (2349, 25, 2370, 75),
    ("Xian 1980", 6): (2327, 13, 2338, 75),
    ("Beijing 1954", 3): (2401, 25, 2422, 75),
    ("Beijing 1954", 6): (21413, 13, 21473, 75),
}
#: Zones covering China: 3° zones 25–45 (CM 75–135 E), 6° zones 13–23 (CM 75–135 E).
GK_ZONES: dict[int, tuple[int, int]] = {3: (25, 45), 6: (13, 23)}
#: Geographic CRSs of the Chinese datums.
GEOGRAPHIC_CHINA = {"CGCS2000": 4490, "Xian 1980": 4610, "Beijing 1954": 4214}
#: Half-width of the easting range of a Gauss-Krüger zone around its 500 km false easting,
#: metres (a 6° zone is about ±334 km wide at the equator; margin for overlap).
GK_HALF_WIDTH_M = 400_000.0


@dataclass(frozen=True)
class CrsDecision:
    """A CRS and how it was decided (``given``, ``file``, ``assumed``, ``corrected``)."""

    crs: pyproj.CRS
    how: str
    warning: Msg | None = None

    def describe(self) -> str:
        """One line for reports, e.g. ``EPSG:4527 CGCS2000 / 3-degree ... (from the file)``."""
        return f"{crs_label(self.crs)} ({self.how})"


def crs_label(crs: pyproj.CRS) -> str:
    """``EPSG:<code> <name>`` when the CRS has an EPSG code, else its name."""
    code = crs.to_epsg(min_confidence=70)
    return f"EPSG:{code} {crs.name}" if code else crs.name


def gauss_kruger_epsg(datum: str, width: int, zone: int, *, zone_in_easting: bool) -> int:
    """EPSG code of a Chinese Gauss-Krüger CRS.

    Parameters
    ----------
    datum : {"CGCS2000", "Xian 1980", "Beijing 1954"}
    width : {3, 6}
        Zone width in degrees.
    zone : int
        Zone number (3°: 25–45, 6°: 13–23).
    zone_in_easting : bool
        True for the series whose false easting carries the zone number
        (``zone * 1e6 + 500000``), False for the plain 500 000 m ("CM") series.

    Raises
    ------
    ConfigError
        The zone is not one of China's (a ``ValueError`` too).
    """
    first_zoned, first_zone, first_cm, _ = GAUSS_KRUGER_SERIES[(datum, width)]
    lo, hi = GK_ZONES[width]
    if not lo <= zone <= hi:
        raise ConfigError(Msg("io.gk_zone_outside", width=width, zone=zone, lo=lo, hi=hi))
    return (first_zoned if zone_in_easting else first_cm) + zone - first_zone


def zone_from_easting(xmin: float, xmax: float) -> tuple[int, int] | None:
    """``(width, zone)`` if eastings carry a Gauss-Krüger zone number, else ``None``.

    Eastings like 39 512 345 m mean zone 39 (the millions) and 12 345 m east of the false
    origin 500 km west of the central meridian. Zones 25–45 are 3° zones, 13–23 6° zones.
    """
    if not (np.isfinite(xmin) and np.isfinite(xmax)):
        return None
    zone = int(xmin // 1_000_000)
    if zone != int(xmax // 1_000_000) and int(xmax // 1_000_000) != zone + 1:
        return None
    for width, (lo, hi) in GK_ZONES.items():
        if lo <= zone <= hi:
            return width, zone
    return None


def _gk_parts(crs: pyproj.CRS) -> tuple[str, int, int, bool] | None:
    """(datum, width, zone, zone_in_easting) of a known Chinese Gauss-Krüger CRS."""
    code = crs.to_epsg(min_confidence=70)
    if code is None:
        return None
    for (datum, width), (first_zoned, first_zone, first_cm, _) in GAUSS_KRUGER_SERIES.items():
        lo, hi = GK_ZONES[width]
        n = hi - lo + 1
        if first_zoned <= code < first_zoned + n:
            return datum, width, first_zone + code - first_zoned, True
        if first_cm <= code < first_cm + n:
            return datum, width, first_zone + code - first_cm, False
    return None


def _plain_lonlat(bounds: np.ndarray, whole_numbers: bool = False) -> bool:
    """Every coordinate is within lon/lat ranges, and they are not a grid of whole numbers."""
    xmin, ymin, xmax, ymax = bounds
    return bool(
        np.all(np.isfinite(bounds))
        and -180.0 <= xmin <= xmax <= 180.0
        and -90.0 <= ymin <= ymax <= 90.0
        and not whole_numbers
    )


def _fix_zone_prefix(crs: pyproj.CRS, bounds: np.ndarray, how: str) -> CrsDecision:
    """Switch between the zone-in-easting and plain series when the eastings say so."""
    parts = _gk_parts(crs)
    if parts is None:
        return CrsDecision(crs, how)
    datum, width, zone, zoned = parts
    xmin, xmax = float(bounds[0]), float(bounds[2])
    found = zone_from_easting(xmin, xmax)
    if not zoned and found is not None and found == (width, zone):
        new = pyproj.CRS.from_epsg(gauss_kruger_epsg(datum, width, zone, zone_in_easting=True))
        return CrsDecision(new, Msg("io.how_crs_zoned", how=how, zone=zone, crs=crs_label(crs)))
    if zoned and xmax < 1_000_000 and xmin > 500_000 - GK_HALF_WIDTH_M:
        new = pyproj.CRS.from_epsg(gauss_kruger_epsg(datum, width, zone, zone_in_easting=False))
        return CrsDecision(new, Msg("io.how_crs_unzoned", how=how, crs=crs_label(crs)))
    return CrsDecision(crs, how)


def datum_warning(crs: pyproj.CRS) -> Msg | None:
    """A warning when PROJ only has a ballpark (metres to 100 m) shift from ``crs`` to WGS84."""
    geodetic = crs.geodetic_crs
    if geodetic is not None and geodetic.to_epsg() in (4326, 4490):
        return None  # CGCS2000 and WGS84 agree to within a few decimetres
    try:
        tr = pyproj.Transformer.from_crs(crs, WGS84, always_xy=True)
    except pyproj.exceptions.ProjError:
        return Msg("io.warn_no_transformation", crs=crs.name)
    if "ballpark" in tr.description.lower():
        return Msg("io.warn_ballpark", crs=crs.name)
    return None


def decide_crs(
    file_crs: pyproj.CRS | None,
    bounds: np.ndarray,
    *,
    given: str | None = None,
    source: str = "<layer>",
    whole_numbers: bool = False,
    subject: str = THE_LAYER,
) -> CrsDecision:
    """Decide the CRS of a layer.

    Parameters
    ----------
    file_crs : CRS or None
        The CRS the file declares (.prj, GeoPackage ...), if any.
    bounds : array of 4 floats
        ``minx, miny, maxx, maxy`` of the layer in its own coordinates.
    given : str, optional
        CRS the user declared (``--crs``), anything :meth:`pyproj.CRS.from_user_input` takes.
    source : str
        The file, for messages.
    whole_numbers : bool
        Every coordinate is a whole number: a drawing or local grid, never taken for
        longitude/latitude (a 10 x 10 square at the origin is not in the Gulf of Guinea).
    subject : str
        What the messages call the layer (``layer 'plots'``).

    Raises
    ------
    NoCrsError
        Nothing declares a CRS and the coordinates are not plainly longitude/latitude, or
        ``given`` is not a CRS.
    """
    bounds = np.asarray(bounds, dtype=float)
    if np.isinf(bounds).any():
        raise NoCrsError(source, Msg("io.crs_infinite", subject=subject))
    if given:
        try:
            crs = pyproj.CRS.from_user_input(given)
        except pyproj.exceptions.CRSError:
            raise NoCrsError(source, Msg("io.crs_not_a_crs", given=given)) from None
        how = Msg("io.how_crs_given")
        if file_crs is not None and not file_crs.equals(crs):
            how = Msg("io.how_crs_overriding", how=how, crs=crs_label(file_crs))
        decision = _fix_zone_prefix(crs, bounds, how)
        return _with_warning(
            decision,
            check_plausible(decision.crs, bounds, source=source, subject=subject, given=True),
        )
    if file_crs is not None:
        decision = _fix_zone_prefix(file_crs, bounds, Msg("io.how_crs_file"))
        return _with_warning(
            decision,
            check_plausible(decision.crs, bounds, source=source, subject=subject, given=False),
        )
    if _plain_lonlat(bounds, whole_numbers):
        swapped = _swapped_into_china(bounds)
        return CrsDecision(
            pyproj.CRS.from_user_input(WGS84),
            Msg("io.how_crs_assumed"),
            warning=_joined([Msg("io.warn_crs_assumed_wgs84"), swapped]),
        )
    if _looks_swapped(bounds):
        raise NoCrsError(
            source, Msg("io.crs_swapped_undeclared", subject=subject, swap=_swap_text(bounds))
        )
    found = zone_from_easting(float(bounds[0]), float(bounds[2]))
    if found is not None:
        width, zone = found
        examples = ", ".join(
            f"EPSG:{gauss_kruger_epsg(d, width, zone, zone_in_easting=True)} ({d})"
            for d in GEOGRAPHIC_CHINA
        )
        raise NoCrsError(
            source,
            Msg(
                "io.crs_gk_undeclared",
                subject=subject,
                width=width,
                zone=zone,
                examples=examples,
            ),
        )
    raise NoCrsError(source, Msg("io.crs_undeclared", subject=subject))


def _joined(warnings: list[Msg | None]) -> Msg | None:
    """The warnings given, ``a; b`` in the message's language; None when there is none."""
    out: Msg | None = None
    for w in warnings:
        if w:
            out = w if out is None else Msg("common.semicolon", a=out, b=w)
    return out


def _with_warning(decision: CrsDecision, extra: Msg | None = None) -> CrsDecision:
    warn = _joined([datum_warning(decision.crs), extra])
    return CrsDecision(decision.crs, decision.how, warn) if warn else decision


#: Latitudes and longitudes a geographic CRS allows, degrees (a longitude up to 360 is
#: accepted: some data counts eastwards from Greenwich all round).
_LAT_MAX = 90.0
_LON_MIN, _LON_MAX = -180.0, 360.0
#: Slack for rounding at the edges of those ranges, degrees.
_DEG_EPS = 1e-9


def _looks_swapped(bounds: np.ndarray) -> bool:
    """Latitudes beyond ±90° while the longitudes would fit as latitudes: y, x given."""
    xmin, ymin, xmax, ymax = (float(v) for v in bounds)
    if not np.all(np.isfinite(bounds)):
        return False
    lat_bad = ymin < -_LAT_MAX - _DEG_EPS or ymax > _LAT_MAX + _DEG_EPS
    return lat_bad and -_LAT_MAX <= xmin <= xmax <= _LAT_MAX and -180.0 <= ymin <= ymax <= 180.0


def _swap_text(bounds: np.ndarray) -> Msg:
    xmin, ymin, xmax, ymax = (float(v) for v in bounds)
    return Msg("io.crs_swap_text", xmin=xmin, xmax=xmax, ymin=ymin, ymax=ymax)


def _in_china(xmin: float, ymin: float, xmax: float, ymax: float) -> bool:
    x0, y0, x1, y1 = CHINA_BOUNDS_LONLAT
    return x0 <= xmin <= xmax <= x1 and y0 <= ymin <= ymax <= y1


def _swapped_into_china(bounds: np.ndarray) -> Msg | None:
    """A warning when lon/lat lie outside China but swapped would lie inside it."""
    xmin, ymin, xmax, ymax = (float(v) for v in bounds)
    if not np.all(np.isfinite(bounds)) or _in_china(xmin, ymin, xmax, ymax):
        return None
    if _in_china(ymin, xmin, ymax, xmax):
        return Msg("io.warn_swapped_into_china", xmin=xmin, xmax=xmax, ymin=ymin, ymax=ymax)
    return None


#: Degrees beyond a projected CRS's area of use a layer may lie before its coordinates are
#: doubted (a UTM or Gauss-Kruger zone is often used a little past its edges).
AREA_MARGIN_DEG = 1.0


def _area_of_use(crs: pyproj.CRS) -> tuple[float, float, float, float] | None:
    area = crs.area_of_use
    if area is None:  # an ESRI .prj: its EPSG twin knows the area
        code = crs.to_epsg(min_confidence=70)
        area = pyproj.CRS.from_epsg(code).area_of_use if code else None
    return tuple(area.bounds) if area is not None else None  # type: ignore[return-value]


def _check_not_lonlat(
    crs: pyproj.CRS, bounds: np.ndarray, *, source: str, subject: str, where: Msg
) -> None:
    """Refuse longitude/latitude numbers under a projected CRS they cannot be in.

    Only when every coordinate is within ±180/±90, the bounds are not whole numbers (a
    drawing grid at the origin is not refused) and, read in ``crs``, the layer lies outside
    the area the CRS is defined for.
    """
    xmin, ymin, xmax, ymax = (float(v) for v in bounds)
    if not (-180.0 <= xmin <= xmax <= 180.0 and -90.0 <= ymin <= ymax <= 90.0):
        return
    if all(float(v).is_integer() for v in bounds):
        return
    area = _area_of_use(crs)
    if area is None:
        return
    try:
        lon, lat = pyproj.Transformer.from_crs(crs, WGS84, always_xy=True).transform(
            (xmin + xmax) / 2.0, (ymin + ymax) / 2.0
        )
    except pyproj.exceptions.ProjError:
        return
    west, south, east, north = area
    m = AREA_MARGIN_DEG
    inside_lon = (
        (west - m <= lon <= east + m) if west <= east else (lon >= west - m or lon <= east + m)
    )
    if np.isfinite(lon) and np.isfinite(lat) and inside_lon and south - m <= lat <= north + m:
        return
    raise NoCrsError(
        source,
        Msg(
            "io.crs_lonlat_in_metres",
            where=where,
            subject=subject,
            xmin=xmin,
            xmax=xmax,
            ymin=ymin,
            ymax=ymax,
            crs=crs_label(crs),
        ),
    )


def check_plausible(
    crs: pyproj.CRS,
    bounds: np.ndarray,
    *,
    source: str = "<layer>",
    subject: str = THE_LAYER,
    given: bool = False,
    projected: bool = True,
) -> Msg | None:
    """Refuse a CRS that cannot be the coordinates' own; return a warning for a doubtful one.

    Parameters
    ----------
    crs : pyproj.CRS
        The CRS decided for the layer.
    bounds : array of 4 floats
        ``minx, miny, maxx, maxy`` of the layer in its own coordinates (NaN: no geometry).
    source, subject : str
        The file and what to call the layer, for messages.
    given : bool
        The CRS came from ``--crs`` (else from the file).
    projected : bool
        Also refuse longitude/latitude numbers under a projected CRS whose area of use they
        miss (files; layers built in Python, often small drawings, skip it).

    Returns
    -------
    str or None
        A warning (longitude/latitude outside China that would lie in China swapped).

    Raises
    ------
    NoCrsError
        The CRS is not horizontal (vertical, geocentric, engineering); it is geographic and
        the coordinates are not longitude/latitude (metres of a projected CRS, or latitude
        and longitude swapped); or it is projected and the coordinates are
        longitude/latitude outside its area of use.
    """
    where = Msg("io.crs_where_given" if given else "io.crs_where_file", crs=crs_label(crs))
    fix = Msg("io.crs_fix_given" if given else "io.crs_fix_file")
    if not (crs.is_geographic or crs.is_projected):
        kind = (
            Msg("io.crs_kind_vertical")
            if crs.is_vertical
            else Msg("io.crs_kind_geocentric")
            if crs.is_geocentric
            else Msg("io.crs_kind_other", type_name=crs.type_name)
        )
        raise NoCrsError(
            source,
            Msg("io.crs_not_horizontal", where=where, kind=kind, subject=subject, fix=fix),
        )
    if not np.all(np.isfinite(bounds)):
        return None
    if crs.is_projected:
        if projected:
            _check_not_lonlat(crs, bounds, source=source, subject=subject, where=where)
        return None
    if not crs.is_geographic:
        return None
    xmin, ymin, xmax, ymax = (float(v) for v in bounds)
    if _looks_swapped(bounds):
        raise NoCrsError(
            source,
            Msg(
                "io.crs_swapped_declared",
                subject=subject,
                crs=crs_label(crs),
                swap=_swap_text(bounds),
            ),
        )
    if (
        xmin < _LON_MIN - _DEG_EPS
        or xmax > _LON_MAX + _DEG_EPS
        or ymin < -_LAT_MAX - _DEG_EPS
        or ymax > _LAT_MAX + _DEG_EPS
    ):
        found = zone_from_easting(xmin, xmax)
        hint: str = ""
        if found is not None:
            width, zone = found
            codes = ", ".join(
                f"EPSG:{gauss_kruger_epsg(d, width, zone, zone_in_easting=True)} ({d})"
                for d in GEOGRAPHIC_CHINA
            )
            hint = Msg("io.crs_gk_hint", width=width, zone=zone, codes=codes)
        raise NoCrsError(
            source,
            Msg(
                "io.crs_metres_in_degrees",
                where=where,
                subject=subject,
                xmin=xmin,
                xmax=xmax,
                ymin=ymin,
                ymax=ymax,
                fix=fix,
                hint=hint,
            ),
        )
    return _swapped_into_china(bounds)
