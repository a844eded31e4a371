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
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyproj

from planner.crs import WGS84
from planner.errors import NoCrsError

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
    warning: str | None = None

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
    """
    first_zoned, first_zone, first_cm, _ = GAUSS_KRUGER_SERIES[(datum, width)]
    lo, hi = GK_ZONES[width]
    if not lo <= zone <= hi:
        raise ValueError(f"{width}-degree zone {zone} is outside China ({lo}–{hi})")
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
    return bool(np.all(np.isfinite(bounds)) and -180.0 <= xmin <= xmax <= 180.0
                and -90.0 <= ymin <= ymax <= 90.0 and not whole_numbers)


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
        return CrsDecision(new, f"{how}, corrected: the eastings carry zone number {zone}, "
                                f"so {crs_label(crs)} became the zone-numbered variant")
    if zoned and xmax < 1_000_000 and xmin > 500_000 - GK_HALF_WIDTH_M:
        new = pyproj.CRS.from_epsg(gauss_kruger_epsg(datum, width, zone, zone_in_easting=False))
        return CrsDecision(new, f"{how}, corrected: the eastings carry no zone number, so "
                                f"{crs_label(crs)} became the central-meridian variant")
    return CrsDecision(crs, how)


def datum_warning(crs: pyproj.CRS) -> str | None:
    """A warning when PROJ only has a ballpark (metres to 100 m) shift from ``crs`` to WGS84."""
    geodetic = crs.geodetic_crs
    if geodetic is not None and geodetic.to_epsg() in (4326, 4490):
        return None  # CGCS2000 and WGS84 agree to within a few decimetres
    try:
        tr = pyproj.Transformer.from_crs(crs, WGS84, always_xy=True)
    except pyproj.exceptions.ProjError:
        return f"no transformation from {crs.name} to WGS84 is known"
    if "ballpark" in tr.description.lower():
        return (f"PROJ knows no datum shift from {crs.name} to WGS84 and uses a ballpark "
                "transformation (errors of tens of metres possible)")
    return None


def decide_crs(file_crs: pyproj.CRS | None, bounds: np.ndarray, *, given: str | None = None,
               source: str = "<layer>", whole_numbers: bool = False,
               subject: str = "the layer") -> CrsDecision:
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
    if given:
        try:
            crs = pyproj.CRS.from_user_input(given)
        except pyproj.exceptions.CRSError:
            raise NoCrsError(source, f"--crs '{given}' is not a coordinate reference system; "
                                     "give e.g. EPSG:4490 or EPSG:4527") from None
        how = "given with --crs"
        if file_crs is not None and not file_crs.equals(crs):
            how += f", overriding the file's {crs_label(file_crs)}"
        return _with_warning(_fix_zone_prefix(crs, bounds, how))
    if file_crs is not None:
        return _with_warning(_fix_zone_prefix(file_crs, bounds, "declared by the file"))
    if _plain_lonlat(bounds, whole_numbers):
        return CrsDecision(pyproj.CRS.from_user_input(WGS84),
                           "assumed: no CRS declared and every coordinate is plain "
                           "longitude/latitude",
                           warning="no CRS declared (no .prj); WGS84 longitude/latitude "
                                   "assumed; give --crs (and --coord-system for GCJ-02/BD-09 "
                                   "data) if that is wrong")
    found = zone_from_easting(float(bounds[0]), float(bounds[2]))
    if found is not None:
        width, zone = found
        examples = ", ".join(
            f"EPSG:{gauss_kruger_epsg(d, width, zone, zone_in_easting=True)} ({d})"
            for d in GEOGRAPHIC_CHINA)
        raise NoCrsError(source, f"{subject} has no CRS declared (no .prj); the x values "
                                 f"look like "
                                 f"{width}-degree Gauss-Kruger zone {zone} eastings; declare "
                                 f"the datum with --crs, e.g. {examples}")
    raise NoCrsError(source, f"{subject} has no CRS declared (no .prj) and its coordinates "
                             "are not plainly longitude/latitude; declare it with --crs (e.g. "
                             "--crs EPSG:4527)")


def _with_warning(decision: CrsDecision) -> CrsDecision:
    warn = datum_warning(decision.crs)
    return CrsDecision(decision.crs, decision.how, warn) if warn else decision
