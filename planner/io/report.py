"""What was found and done while reading a layer: the :class:`LayerReport`.

``planner inspect`` prints it; the app shows it beside each upload.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any

from planner.messages import Msg, counted

#: Ids of touched features a report keeps per fix (the counts are always complete).
MAX_IDS_REPORTED = 10

#: Keys of :attr:`LayerReport.fixes`, in the order they are applied and shown.
FIX_KEYS: tuple[str, ...] = (
    "repaired_on_read",  # geometries GEOS refused, repaired (rings closed, short rings dropped)
    "dropped_unreadable",  # geometries GEOS refused with nothing usable left, removed
    "dropped_null",  # features with no geometry, removed
    "dropped_empty",  # features with an empty geometry, removed
    "repaired_invalid",  # invalid geometries made valid (parts of the layer's dimension kept)
    "dropped_unrepairable",  # invalid geometries with nothing of the layer's dimension left
    "collections_reduced",  # geometry collections reduced to the parts of the layer's dimension
    "dropped_collections",  # geometry collections with no part of the layer's dimension
    "multipart_kept",  # features of two or more parts, each kept whole as one feature
    "coordinates_converted",  # features converted from GCJ-02 / BD-09 to WGS84
    "dropped_no_coordinates",  # table rows without usable longitude/latitude
    "flattened_z_m",  # Z (height) or M (measure) coordinates dropped; work is in plan
)

#: What each fix means, for the ``note:`` lines of a run (fixes that lose or change a feature):
#: fix -> (message key, the noun counted; see :func:`planner.messages.counted`).
FIX_NOTES: dict[str, tuple[str, str]] = {
    "repaired_on_read": ("io.fix_repaired_on_read", "geometry"),
    "dropped_unreadable": ("io.fix_dropped_unreadable", "feature"),
    "dropped_null": ("io.fix_dropped_null", "feature"),
    "dropped_empty": ("io.fix_dropped_empty", "feature"),
    "repaired_invalid": ("io.fix_repaired_invalid", "invalid_geometry"),
    "dropped_unrepairable": ("io.fix_dropped_unrepairable", "feature"),
    "dropped_collections": ("io.fix_dropped_collections", "collection"),
    "dropped_no_coordinates": ("io.fix_dropped_no_coordinates", "row"),
}


@dataclass
class LayerReport:
    """A per-layer summary of an input: what it is, how it was decoded, what was fixed.

    Attributes
    ----------
    name : str
        Layer name (GeoPackage layer, shapefile name, role for OSM).
    source : str
        The file (``file:layer`` or ``archive/member``) it came from.
    format : str
        GDAL driver or table format.
    geometry_type : str
        Geometry types present, e.g. ``MultiPolygon`` or ``Point, Polygon``.
    count : int
        Features kept after cleaning.
    crs, crs_how : str
        CRS label and how it was decided (see :mod:`planner.io.crs_detect`).
    encoding, encoding_how : str
        Text encoding and how it was decided (see :mod:`planner.io.encoding`).
    coord_system : str
        ``wgs84``, or ``gcj02``/``bd09`` when the coordinates were converted from it.
    bounds_lonlat : tuple of 4 floats or None
        ``min lon, min lat, max lon, max lat`` in WGS84.
    fixes : dict of str to int
        How many features each fix touched (keys :data:`FIX_KEYS`, zero counts omitted).
    problems : list of str
        Warnings: assumed CRS, GDAL warnings, datum caveats ...
    columns : list of str
        Attribute columns.
    samples : dict of str to list of str
        A few distinct values of the first text columns.
    touched : dict of str to list of str
        For fixes that lose or change features, the ids of the first ones touched (an id
        column's value, else ``feature N`` in reading order).
    """

    name: str
    source: str
    format: str = ""
    geometry_type: str = ""
    count: int = 0
    crs: str = ""
    crs_how: str = ""
    encoding: str = ""
    encoding_how: str = ""
    coord_system: str = "wgs84"
    bounds_lonlat: tuple[float, float, float, float] | None = None
    fixes: dict[str, int] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    columns: list[str] = field(default_factory=list)
    samples: dict[str, list[str]] = field(default_factory=dict)
    touched: dict[str, list[str]] = field(default_factory=dict)
    #: The rows (in a whole read of the layer) of the features in :attr:`touched`, when
    #: known: what :meth:`merged` orders the ids of reports of parts of a layer by.
    touched_rows: dict[str, list[int]] = field(default_factory=dict, repr=False)

    def add_fix(
        self, key: str, n: int, ids: list[str] | None = None, rows: list[int] | None = None
    ) -> None:
        """Count ``n`` features under fix ``key`` (zero counts are not recorded).

        ``ids`` names some of them (see :attr:`touched`); ``rows`` are their rows.
        """
        if key not in FIX_KEYS:
            raise KeyError(key)
        if n:
            self.fixes[key] = self.fixes.get(key, 0) + int(n)
            if ids:
                self.touched[key] = (self.touched.get(key, []) + list(ids))[:MAX_IDS_REPORTED]
            if ids and rows is not None:
                kept = self.touched_rows.get(key, []) + [int(r) for r in rows]
                self.touched_rows[key] = kept[:MAX_IDS_REPORTED]

    @classmethod
    def merged(cls, parts: list[LayerReport], *, name: str, source: str) -> LayerReport:
        """One report of a layer from the reports of reads of disjoint parts of it.

        The counts are summed, the ids touched are the first :data:`MAX_IDS_REPORTED` by
        row (each part's :attr:`touched_rows`), the problems are each said once. Its
        :meth:`notes` are then the messages a whole read would give, in every language.
        """
        out = cls(name=name, source=source)
        for fix in FIX_KEYS:
            n = sum(p.fixes.get(fix, 0) for p in parts)
            pairs = sorted(
                (row, label)
                for p in parts
                for row, label in zip(
                    p.touched_rows.get(fix, []), p.touched.get(fix, []), strict=False
                )
            )[:MAX_IDS_REPORTED]
            out.add_fix(fix, n, [label for _, label in pairs], [row for row, _ in pairs])
        out.problems = list(dict.fromkeys(q for p in parts for q in p.problems))
        out.count = sum(p.count for p in parts)
        return out

    def notes(self) -> list[Msg]:
        """One sentence per fix that lost or changed features, with the ids touched."""
        out = []
        for fix, (key, noun) in FIX_NOTES.items():
            n = self.fixes.get(fix, 0)
            if not n:
                continue
            said = Msg(key, count=counted(n, noun))
            ids = self.touched.get(fix, [])
            if ids:
                more = ", ..." if n > len(ids) else ""
                said = Msg("io.fix_ids", note=said, ids=", ".join(ids) + more)
            out.append(said)
        return out

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dictionary of every field."""
        out = dataclasses.asdict(self)
        del out["touched_rows"]  # the order of reports of parts, not for readers
        out["bounds_lonlat"] = list(self.bounds_lonlat) if self.bounds_lonlat else None
        return out

    def to_text(self) -> str:
        """A few human-readable lines (``planner inspect`` without ``--json``)."""
        lines = [
            f"layer {self.name}  ({self.source})",
            f"  format:        {self.format}",
            f"  geometry:      {self.geometry_type or '-'}, {self.count} features",
            f"  CRS:           {self.crs} ({self.crs_how})",
            f"  encoding:      {self.encoding} ({self.encoding_how})",
        ]
        if self.coord_system != "wgs84":
            lines.append(f"  coordinates:   converted from {self.coord_system} to WGS84")
        if self.bounds_lonlat:
            b = self.bounds_lonlat
            lines.append(
                f"  bounds:        lon {b[0]:.6f} to {b[2]:.6f}, lat {b[1]:.6f} to {b[3]:.6f}"
            )
        fixes = ", ".join(f"{k} {v}" for k, v in self.fixes.items()) or "none"
        lines.append(f"  fixes:         {fixes}")
        for key, ids in self.touched.items():
            more = ", ..." if self.fixes.get(key, 0) > len(ids) else ""
            lines.append(f"  {key}: {', '.join(ids)}{more}")
        for p in self.problems:
            lines.append(f"  problem:       {p}")
        if self.columns:
            lines.append(f"  columns:       {', '.join(self.columns)}")
        for col, vals in self.samples.items():
            lines.append(f"  sample {col}: {' | '.join(vals)}")
        return "\n".join(lines)
