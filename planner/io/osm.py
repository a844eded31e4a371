"""Build the planner's layers from an OpenStreetMap extract (.osm XML or .osm.pbf).

GDAL's OSM driver builds the extract's geometries into its ``points``, ``lines`` and
``multipolygons`` layers. The roles are then picked by tag, vectorised:

=========== =================================================================================
role        OSM tags
=========== =================================================================================
plots       areas with ``landuse`` = brownfield, greenfield, construction, vacant, grass,
            meadow (idle or not yet built land; :data:`PLOT_LANDUSE`); ``landuse`` kept
green       areas with ``leisure`` = park, garden, playground, recreation_ground, common,
            nature_reserve, or ``landuse`` = village_green, recreation_ground; ``kind`` = the
            tag's value
parking     ``amenity=parking`` areas and points (``amenity=parking_space``, single stalls, is
            left out); ``capacity`` from the tag where it starts with a number; ``parking``
            (surface, underground, multi-storey ...) kept
residential buildings with ``building`` = residential, apartments, house, detached,
            dormitory, terrace, semidetached_house, bungalow, plus ``building=yes`` whose
            representative point lies in a ``landuse=residential`` area; ``levels`` from
            ``building:levels``; ``population`` estimated as footprint x levels (default
            :data:`planner.standards.DEFAULT_FLOORS`) x
            :data:`planner.standards.PERSONS_PER_FLOOR_M2`
roads       lines with a ``highway`` tag except :data:`NON_ROAD_HIGHWAY`; ``road_class`` = the
            ``highway`` value; ``car_access`` = cars may use it (every class but footways,
            paths, steps ..., :data:`planner.layers.NON_CAR_ROAD_CLASSES`, the rule the
            parking criteria apply); ``walkable`` = people may walk along it
            (:func:`planner.access.network.walkable`: not motorways and trunk roads, ``foot`` and
            ``access`` obeyed); ``bridge``, ``tunnel``, ``layer``, ``foot``, ``access`` kept
pois        points and areas (as a point inside the area) for schools, hospitals, markets,
            stations and shopping (:data:`POI_TAGS`); ``category`` is the planner's category,
            ``osm_tag`` the tag
constraints areas with ``natural=water``, ``landuse`` = military, cemetery, railway;
            ``reason`` = the tag
=========== =================================================================================

Every feature keeps ``osm_id`` (``node/1``, ``way/2``, ``relation/3``), ``name`` and, where
tagged, ``name_zh`` and ``name_en`` (``name:zh``, ``name:en``). Life circles are not in
OpenStreetMap; give them as their own layer. Data © OpenStreetMap contributors, ODbL.

Reading city extracts
---------------------
* GDAL is given its own layer configuration (``osmconf.ini``, :func:`_osmconf`): the tags the
  rules read are columns (``name:zh`` becomes ``name_zh``) and there is no ``other_tags``
  column, so no tag soup is copied or parsed.
* Each layer is read once, with only those columns and an attribute filter made from the rules
  (``amenity IN ('parking', ...) OR ...``, :func:`_where`) that GDAL applies as it builds the
  features, so untagged nodes, unrelated ways and the bulk of buildings never reach Python.
  pyogrio reads one layer of an OSM file with the driver told that only that layer is of
  interest, so the per-layer reads need no ``OGR_INTERLEAVED_READING``; each read is one pass
  over the file (through Arrow when pyarrow is installed: the numpy path counts the features
  in a pass of its own).
* GDAL's temporary node and way store stays in memory up to :data:`OSM_MAX_TMPFILE_SIZE_MB`
  and spills to a temporary file beyond.
* Extracts are cut at their edge: multipolygon relations lose members and rings come back
  with two positions or unclosed. :func:`planner.io.geometry.geometries_from_wkb` repairs
  what it can and drops the rest; :func:`build_layers` reports both per role, with ids.
"""

from __future__ import annotations

import os
import tempfile
import warnings
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import shapely

from planner.crs import WGS84, choose_metric_crs
from planner.errors import EmptyLayerError, UnreadableFileError
from planner.io.arrow import HAS_ARROW
from planner.io.geometry import STATUS_REPAIRED, clean_geometries, geometries_from_wkb
from planner.io.report import LayerReport
from planner.layers import NON_CAR_ROAD_CLASSES
from planner.messages import Msg
from planner.standards import DEFAULT_FLOORS, PERSONS_PER_FLOOR_M2

#: ``landuse`` values taken as candidate plots (idle, vacant or not yet built land).
PLOT_LANDUSE = ("brownfield", "greenfield", "construction", "vacant", "grass", "meadow")
#: ``leisure`` and ``landuse`` values taken as existing green space.
GREEN_LEISURE = ("park", "garden", "playground", "recreation_ground", "common", "nature_reserve")
GREEN_LANDUSE = ("village_green", "recreation_ground")
#: ``building`` values that are homes.
RESIDENTIAL_BUILDINGS = (
    "residential",
    "apartments",
    "house",
    "detached",
    "dormitory",
    "terrace",
    "semidetached_house",
    "bungalow",
)
#: ``building`` value counted as a home only inside a ``landuse=residential`` area.
GENERIC_BUILDING = "yes"
#: ``highway`` values that are not roads people travel on.
NON_ROAD_HIGHWAY = (
    "proposed",
    "construction",
    "platform",
    "raceway",
    "elevator",
    "abandoned",
    "bus_stop",
)
#: (key, value) -> planner POI category.
POI_TAGS: dict[tuple[str, str], str] = {
    ("amenity", "school"): "school",
    ("amenity", "kindergarten"): "school",
    ("amenity", "college"): "school",
    ("amenity", "university"): "school",
    ("amenity", "hospital"): "hospital",
    ("amenity", "clinic"): "hospital",
    ("amenity", "doctors"): "hospital",
    ("amenity", "marketplace"): "market",
    ("shop", "supermarket"): "market",
    ("shop", "greengrocer"): "market",
    ("shop", "mall"): "commercial",
    ("shop", "department_store"): "commercial",
    ("railway", "station"): "station",
    ("railway", "halt"): "station",
    ("railway", "subway_entrance"): "station",
    ("public_transport", "station"): "station",
    ("amenity", "bus_station"): "station",
}
#: Constraint tags -> reason.
CONSTRAINT_TAGS: dict[tuple[str, str], str] = {
    ("natural", "water"): "water",
    ("landuse", "military"): "military",
    ("landuse", "cemetery"): "cemetery",
    ("landuse", "railway"): "railway",
}
#: Name tags kept, and the columns they become.
NAME_TAGS = {"name": "name", "name:zh": "name_zh", "name:en": "name_en"}

OSM_ROLES = ("plots", "green", "parking", "residential", "roads", "pois", "constraints")

#: In-memory node store of GDAL's OSM driver before it spills to a temporary file, MB. GDAL's
#: default (100) costs about 0.1 s per layer read just to allocate; 32 is as fast for
#: district-sized extracts and larger ones spill to disk as usual.
OSM_MAX_TMPFILE_SIZE_MB = 32

#: Features per Arrow batch read from GDAL (the WKB of one batch is held at a time; a tuning
#: figure, results do not depend on it).
READ_BATCH_SIZE = 65_536
#: The GDAL OSM layers read, in reading order.
OSM_LAYERS = ("points", "lines", "multipolygons")
#: Tags each layer is read with (columns of :func:`_osmconf`; ``:`` becomes ``_``).
LAYER_TAGS: dict[str, tuple[str, ...]] = {
    "points": (*NAME_TAGS, "amenity", "shop", "railway", "public_transport", "capacity", "parking"),
    "lines": (*NAME_TAGS, "highway", "bridge", "tunnel", "layer", "foot", "access"),
    "multipolygons": (
        *NAME_TAGS,
        "landuse",
        "leisure",
        "amenity",
        "shop",
        "railway",
        "public_transport",
        "building",
        "building:levels",
        "natural",
        "capacity",
        "parking",
    ),
}
#: Closed ways GDAL builds as areas (GDAL's default ``osmconf.ini``, kept as it is).
CLOSED_WAYS_ARE_POLYGONS = (
    "aeroway,amenity,boundary,building,craft,geological,historic,landuse,leisure,military,"
    "natural,office,place,shop,sport,tourism,highway=platform,public_transport=platform"
)
#: Tags that alone do not make a node a point, and tags GDAL drops (its defaults).
UNSIGNIFICANT_TAGS = "created_by,converted_by,source,time,ele,attribution"
IGNORED_TAGS = "created_by,converted_by,source,time,ele,note,todo,openGeoDB:,fixme,FIXME"
#: GDAL from which ``osmconf.ini`` starts with a ``[general]`` section.
GENERAL_SECTION_SINCE = (3, 10, 0)

#: ``on_progress(stage, done, total)``: called as each step starts, ``done`` of ``total``.
ProgressCallback = Callable[[str, int, int], None]


class OsmLayers(dict[str, gpd.GeoDataFrame]):
    """Role -> layer built from an extract, and what reading it repaired or dropped.

    A plain ``dict`` of role to GeoDataFrame (roles with no feature are absent) with one
    more attribute.

    Attributes
    ----------
    repairs : dict
        ``{role: {"repaired": [osm ids], "dropped": [osm ids]}}`` for the roles with a
        feature whose geometry GEOS refused as read: repaired features are in the layer,
        dropped ones are not. A role that lost every feature is absent from the layers but
        listed here.
    reports : dict of str to LayerReport
        Per role, what reading and cleaning did (the same cleaning as every other reader:
        :func:`planner.io.geometry.clean_geometries`), with the ids touched; also for a role
        that lost every feature.
    """

    def __init__(
        self,
        layers: Mapping[str, gpd.GeoDataFrame],
        repairs: Mapping[str, dict[str, list[str]]] | None = None,
        reports: Mapping[str, LayerReport] | None = None,
    ) -> None:
        super().__init__(layers)
        self.repairs: dict[str, dict[str, list[str]]] = dict(repairs or {})
        self.reports: dict[str, LayerReport] = dict(reports or {})


@dataclass(frozen=True)
class OsmImport:
    """What :func:`import_osm` wrote.

    Attributes
    ----------
    counts : dict of str to int
        Features written per role, in writing order.
    repairs : dict
        As :attr:`OsmLayers.repairs`.
    reports : dict of str to LayerReport
        As :attr:`OsmLayers.reports`.
    """

    counts: dict[str, int]
    repairs: dict[str, dict[str, list[str]]]
    reports: dict[str, LayerReport]


@dataclass
class _Layer:
    """One GDAL OSM layer as read: tag columns, geometries and their read status."""

    kind: str
    attrs: pd.DataFrame
    geoms: np.ndarray
    status: np.ndarray
    ids: np.ndarray

    def tag(self, key: str) -> pd.Series:
        """The values of OSM tag ``key`` (string, missing as NA)."""
        col = _column(key)
        if col not in self.attrs.columns:
            return pd.Series(pd.NA, index=self.attrs.index, dtype="string")
        return self.attrs[col].astype("string")

    def rows(
        self, mask: pd.Series | np.ndarray, role: str, repairs: dict[str, dict[str, list[str]]]
    ) -> np.ndarray:
        """Positions of the features under ``mask`` that have a geometry; record repairs."""
        mask = np.asarray(mask, dtype=bool)
        missing = shapely.is_missing(self.geoms)
        repaired = self.ids[mask & ~missing & (self.status == STATUS_REPAIRED)]
        dropped = self.ids[mask & missing]
        if len(repaired) or len(dropped):
            rec = repairs.setdefault(role, {"repaired": [], "dropped": []})
            rec["repaired"] += repaired.tolist()
            rec["dropped"] += dropped.tolist()
        return np.flatnonzero(mask & ~missing)

    def base(self, rows: np.ndarray) -> gpd.GeoDataFrame:
        """``osm_id`` and the names of ``rows``, with their geometries (WGS84)."""
        cols = {"osm_id": self.ids[rows]}
        for key, col in NAME_TAGS.items():
            cols[col] = _texts(self.tag(key), rows)
        return gpd.GeoDataFrame(cols, geometry=self.geoms[rows], crs=WGS84)


def _column(key: str) -> str:
    """The GDAL column of OSM tag ``key`` (``:`` laundered to ``_``)."""
    return key.replace(":", "_")


def _osmconf() -> str:
    """GDAL OSM driver configuration: the tags of :data:`LAYER_TAGS` as columns, no others."""
    version = tuple(pyogrio.__gdal_version__[:3])
    lines = ["[general]"] if version >= GENERAL_SECTION_SINCE else []
    lines.append(f"closed_ways_are_polygons={CLOSED_WAYS_ARE_POLYGONS}")
    sections = {**LAYER_TAGS, "multilinestrings": ("name",), "other_relations": ("name",)}
    for layer, tags in sections.items():
        lines += [
            f"[{layer}]",
            "osm_id=yes",
            "osm_version=no",
            "osm_timestamp=no",
            "osm_uid=no",
            "osm_user=no",
            "osm_changeset=no",
            f"attributes={','.join(tags)}",
            f"ignore={IGNORED_TAGS}",
            "other_tags=no",
        ]
        if layer == "points":
            lines.append(f"unsignificant={UNSIGNIFICANT_TAGS}")
    return "\n".join(lines) + "\n"


def _values_by_key(pairs: Iterable[tuple[str, str]]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for key, value in pairs:
        if value not in out.setdefault(key, []):
            out[key].append(value)
    return out


def _tags_wanted(layer: str) -> dict[str, list[str]]:
    """Tag values that put a point or area of ``layer`` into some role (by key)."""
    pairs: list[tuple[str, str]] = [*POI_TAGS, ("amenity", "parking")]
    if layer == "multipolygons":
        pairs += [("landuse", v) for v in (*PLOT_LANDUSE, *GREEN_LANDUSE, "residential")]
        pairs += [("leisure", v) for v in GREEN_LEISURE]
        pairs += [("building", v) for v in (*RESIDENTIAL_BUILDINGS, GENERIC_BUILDING)]
        pairs += list(CONSTRAINT_TAGS)
    return _values_by_key(pairs)


def _sql_list(values: Iterable[str]) -> str:
    return ", ".join("'" + v.replace("'", "''") + "'" for v in values)


def _where(layer: str) -> str:
    """OGR SQL attribute filter keeping the features of ``layer`` some role may take."""
    if layer == "lines":
        return f"highway IS NOT NULL AND highway NOT IN ({_sql_list(NON_ROAD_HIGHWAY)})"
    return " OR ".join(
        f"{_column(key)} IN ({_sql_list(values)})" for key, values in _tags_wanted(layer).items()
    )


def _osm_ids(attrs: pd.DataFrame, kind: str) -> np.ndarray:
    """``node/…``, ``way/…`` or ``relation/…`` per feature."""

    def text(col: str) -> pd.Series:
        return pd.Series(attrs[col].to_numpy(dtype=object), dtype="string")

    if kind == "multipolygons":
        way = text("osm_way_id")
        ids = ("relation/" + text("osm_id")).where(way.isna(), "way/" + way)
    else:
        ids = ("node/" if kind == "points" else "way/") + text("osm_id")
    return ids.fillna("").to_numpy(dtype=object)


def _unreadable(label: str, exc: Exception) -> UnreadableFileError:
    first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return UnreadableFileError(label, Msg("io.not_osm", detail=first))


#: Errors pyogrio raises on a file GDAL cannot read (or stops reading).
_READ_ERRORS = (
    pyogrio.errors.DataSourceError,
    pyogrio.errors.DataLayerError,
    ValueError,
    OSError,
    RuntimeError,
)


def _open(path: Path, label: str) -> None:
    """Check that GDAL opens ``path`` as an OSM extract (reads its header only)."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            names = set(pyogrio.list_layers(path)[:, 0])
    except _READ_ERRORS as exc:
        raise _unreadable(label, exc) from None
    if not set(OSM_LAYERS) <= names:
        raise UnreadableFileError(label, Msg("io.not_osm_driver"))


def _read_batches(path: Path, options: dict) -> tuple[pd.DataFrame, np.ndarray, np.ndarray]:
    """Attributes, geometries and read status of a layer, read in Arrow batches.

    Each batch's WKB is turned into geometries and let go before the next batch is read, so
    at most one batch of WKB is held at a time.
    """
    import pyarrow as pa

    parts, geoms, status = [], [], []
    with pyogrio.raw.open_arrow(path, use_pyarrow=True, batch_size=READ_BATCH_SIZE, **options) as (
        meta,
        reader,
    ):
        geom_col = meta.get("geometry_name") or "wkb_geometry"
        schema = None
        for batch in reader:
            g, st = geometries_from_wkb(
                batch.column(geom_col).to_numpy(zero_copy_only=False).astype(object)
            )
            geoms.append(g)
            status.append(st)
            attrs = batch.drop_columns([geom_col])
            schema = attrs.schema
            parts.append(attrs)
        if schema is None:
            schema = reader.schema.remove(reader.schema.get_field_index(geom_col))
    table = pa.Table.from_batches(parts, schema=schema)
    return (
        table.to_pandas(),
        np.concatenate([np.empty(0, dtype=object), *geoms]),
        np.concatenate([np.empty(0, dtype=np.int8), *status]),
    )


def _read(path: Path, layer: str, label: str, conf: str) -> _Layer:
    """One GDAL OSM layer, filtered by :func:`_where`, geometries repaired where refused."""
    columns = [
        "osm_id",
        *(["osm_way_id"] if layer == "multipolygons" else []),
        *(_column(k) for k in LAYER_TAGS[layer]),
    ]
    options = {
        "layer": layer,
        "columns": columns,
        "where": _where(layer),
        "CONFIG_FILE": conf,
        "MAX_TMPFILE_SIZE": str(OSM_MAX_TMPFILE_SIZE_MB),
    }
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # GDAL notes on unclosed rings, empty layers ...
            if HAS_ARROW:
                attrs, geoms, status = _read_batches(path, options)
            else:  # pragma: no cover - pyarrow is installed with streamlit
                meta, _, wkb, fields = pyogrio.raw.read(path, return_fids=False, **options)
                attrs = pd.DataFrame(dict(zip(meta["fields"], fields, strict=True)))
                geoms, status = geometries_from_wkb(np.asarray(wkb, dtype=object))
    except _READ_ERRORS as exc:
        raise _unreadable(label, exc) from None
    return _Layer(layer, attrs, geoms, status, _osm_ids(attrs, layer))


def _numeric_tag(values: pd.Series) -> np.ndarray:
    return pd.to_numeric(
        values.str.extract(r"^\s*(\d+(?:\.\d+)?)", expand=False), errors="coerce"
    ).to_numpy(dtype=float)


def _texts(values: pd.Series, rows: np.ndarray) -> pd.Series:
    """The text values at positions ``rows``, indexed 0..n-1 (kept Arrow-backed)."""
    return values.iloc[rows].reset_index(drop=True)


def _residential(areas: _Layer, repairs: dict) -> gpd.GeoDataFrame:
    building = areas.tag("building")
    homes = building.isin(RESIDENTIAL_BUILDINGS).fillna(False).to_numpy(dtype=bool, copy=True)
    generic = (building == GENERIC_BUILDING).fillna(False).to_numpy(dtype=bool)
    generic &= ~shapely.is_missing(areas.geoms)
    zone_rows = np.flatnonzero(
        (areas.tag("landuse") == "residential").fillna(False).to_numpy(dtype=bool)
        & ~shapely.is_missing(areas.geoms)
    )
    if generic.any() and len(zone_rows):
        zones = areas.geoms[zone_rows]
        invalid = ~shapely.is_valid(zones)
        zones[invalid] = shapely.make_valid(zones[invalid])
        pts = shapely.point_on_surface(areas.geoms[generic])
        hit = shapely.STRtree(zones).query(pts, predicate="within")
        inside = np.zeros(int(generic.sum()), dtype=bool)
        inside[np.unique(hit[0])] = True
        homes[np.flatnonzero(generic)[inside]] = True
    rows = areas.rows(homes, "residential", repairs)
    out = areas.base(rows)
    levels = _numeric_tag(areas.tag("building:levels"))[rows]
    out["building"] = _texts(building, rows)
    out["levels"] = levels
    if len(out):
        footprint = out.geometry.to_crs(choose_metric_crs(out)).area.to_numpy()
        floors = np.where(np.isfinite(levels) & (levels >= 1), levels, DEFAULT_FLOORS)
        out["population"] = np.round(footprint * floors * PERSONS_PER_FLOOR_M2, 1)
    else:
        out["population"] = np.zeros(0)
    out["population_estimated"] = True
    return out


def _pois(points: _Layer, areas: _Layer, repairs: dict) -> gpd.GeoDataFrame:
    by_key: dict[str, dict[str, str]] = {}
    for (key, value), cat in POI_TAGS.items():
        by_key.setdefault(key, {})[value] = cat
    frames = []
    for layer in (points, areas):
        category = pd.Series(pd.NA, index=layer.attrs.index, dtype="string")
        osm_tag = pd.Series(pd.NA, index=layer.attrs.index, dtype="string")
        for key, cats in by_key.items():  # earlier keys win, as listed in POI_TAGS
            values = layer.tag(key)
            hit = values.isin(list(cats)).fillna(False) & category.isna()
            category = category.mask(hit, values.map(cats).astype("string"))
            osm_tag = osm_tag.mask(hit, key + "=" + values)
        rows = layer.rows(category.notna(), "pois", repairs)
        out = layer.base(rows)
        out["category"] = _texts(category, rows)
        out["osm_tag"] = _texts(osm_tag, rows)
        if layer.kind == "multipolygons":
            out = out.set_geometry(out.geometry.representative_point())
        frames.append(out)
    return gpd.GeoDataFrame(pd.concat(frames, ignore_index=True), crs=WGS84)


def _roads(lines: _Layer, repairs: dict) -> gpd.GeoDataFrame:
    from planner.access.network import walkable

    highway = lines.tag("highway")
    rows = lines.rows(
        (highway.notna() & ~highway.isin(NON_ROAD_HIGHWAY)).fillna(False), "roads", repairs
    )
    roads = lines.base(rows)
    road_class = highway.str.lower()
    roads["road_class"] = _texts(highway, rows)
    roads["car_access"] = (~road_class.isin(NON_CAR_ROAD_CLASSES)).to_numpy(dtype=bool)[rows]
    for key in ("bridge", "tunnel", "layer", "foot", "access"):  # read by planner.access.network
        roads[key] = _texts(lines.tag(key), rows)
    roads["walkable"] = walkable(roads).to_numpy(dtype=bool)
    return roads


def _roles(
    points: _Layer, lines: _Layer, areas: _Layer, repairs: dict
) -> dict[str, gpd.GeoDataFrame]:
    out: dict[str, gpd.GeoDataFrame] = {}
    landuse = areas.tag("landuse")
    is_plot = landuse.isin(PLOT_LANDUSE).fillna(False)
    rows = areas.rows(is_plot, "plots", repairs)
    out["plots"] = areas.base(rows)
    out["plots"]["landuse"] = _texts(landuse, rows)

    leisure = areas.tag("leisure")
    is_green = (leisure.isin(GREEN_LEISURE) | landuse.isin(GREEN_LANDUSE)).fillna(False)
    rows = areas.rows(is_green, "green", repairs)
    out["green"] = areas.base(rows)
    out["green"]["kind"] = _texts(leisure.where(leisure.isin(GREEN_LEISURE), landuse), rows)

    lots = []
    for layer in (points, areas):
        rows = layer.rows((layer.tag("amenity") == "parking").fillna(False), "parking", repairs)
        lot = layer.base(rows)
        lot["capacity"] = _numeric_tag(layer.tag("capacity"))[rows]
        lot["parking"] = _texts(layer.tag("parking"), rows)
        lots.append(lot)
    out["parking"] = gpd.GeoDataFrame(pd.concat(lots, ignore_index=True), crs=WGS84)

    out["residential"] = _residential(areas, repairs)
    out["roads"] = _roads(lines, repairs)
    out["pois"] = _pois(points, areas, repairs)

    reason = pd.Series(pd.NA, index=areas.attrs.index, dtype="string")
    for (key, value), why in CONSTRAINT_TAGS.items():
        reason = reason.mask((areas.tag(key) == value).fillna(False) & reason.isna(), why)
    rows = areas.rows(reason.notna(), "constraints", repairs)
    out["constraints"] = areas.base(rows)
    out["constraints"]["reason"] = _texts(reason, rows)
    return out


def build_layers(
    path: str | Path, *, label: str | None = None, on_progress: ProgressCallback | None = None
) -> OsmLayers:
    """Every role that OpenStreetMap can supply, from an .osm or .osm.pbf extract (WGS84).

    Parameters
    ----------
    path : str or Path
        The extract.
    label : str, optional
        How to name the file in messages (default: ``path``).
    on_progress : callable, optional
        ``on_progress(stage, done, total)`` is called as each of the four steps (reading the
        points, lines and multipolygons, picking the roles) starts, ``done`` steps finished.

    Returns
    -------
    OsmLayers
        Role -> layer; roles with no feature are left out. ``.repairs`` lists, per role, the
        features whose geometry was repaired or dropped on reading. See the module notes for
        the tag rules.

    Raises
    ------
    UnreadableFileError
        The file is missing or not an OSM extract GDAL reads.
    """
    p = Path(path)
    label = label or str(p)
    if not p.exists():
        raise UnreadableFileError(label, Msg("common.file_not_found"))
    _open(p, label)
    total = len(OSM_LAYERS) + 1
    fd, conf = tempfile.mkstemp(prefix="planner-osmconf-", suffix=".ini")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(_osmconf())
        read: dict[str, _Layer] = {}
        for i, layer in enumerate(OSM_LAYERS):
            if on_progress is not None:
                on_progress(f"reading {layer}", i, total)
            read[layer] = _read(p, layer, label, conf)
    finally:
        Path(conf).unlink(missing_ok=True)
    if on_progress is not None:
        on_progress("picking the roles by tag", total - 1, total)
    repairs: dict[str, dict[str, list[str]]] = {}
    out = _roles(read["points"], read["lines"], read["multipolygons"], repairs)
    layers, reports = {}, {}
    for role in dict.fromkeys([*out, *repairs]):
        layers[role], reports[role] = _cleaned(out.get(role), role, label, repairs.get(role, {}))
    return OsmLayers(
        {
            role: frame.reset_index(drop=True)
            for role, frame in layers.items()
            if frame is not None and len(frame)
        },
        repairs,
        reports,
    )


def _cleaned(
    frame: gpd.GeoDataFrame | None, role: str, label: str, repairs: dict[str, list[str]]
) -> tuple[gpd.GeoDataFrame | None, LayerReport]:
    """A role's layer through the readers' one cleaning, and its report (None: nothing left)."""
    report = LayerReport(
        name=role,
        source=f"{label} (OSM {role})",
        format="OSM",
        crs="EPSG:4326 WGS 84",
        crs_how=Msg("io.how_crs_osm"),
        encoding="utf-8",
        encoding_how=Msg("io.how_enc_osm"),
    )
    for key, fix in (("repaired", "repaired_on_read"), ("dropped", "dropped_unreadable")):
        ids = repairs.get(key, [])
        report.add_fix(fix, len(ids), ids)
    if frame is not None and len(frame):
        try:
            frame = clean_geometries(frame, role=role, source=label, report=report)
        except EmptyLayerError:  # nothing usable left: the role is absent, its report says why
            frame = None
    report.count = 0 if frame is None else len(frame)
    return frame, report


def build_role(path: str | Path, role: str, *, label: str | None = None) -> gpd.GeoDataFrame:
    """One role from an OSM extract (see :func:`build_layers`).

    Raises
    ------
    UnreadableFileError
        The extract cannot be read, or OpenStreetMap cannot supply the role.
    """
    label = label or str(path)
    if role not in OSM_ROLES:
        raise UnreadableFileError(label, Msg("io.osm_cannot_supply", role=role))
    layers = build_layers(path, label=label)
    if role not in layers:
        raise UnreadableFileError(label, Msg("io.osm_no_feature_for", role=role))
    return layers[role]


def import_osm(
    path: str | Path, out: str | Path, *, on_progress: ProgressCallback | None = None
) -> OsmImport:
    """Write every role built from an OSM extract to a GeoPackage, one layer per role.

    The layer names are the roles, so ``planner score --layers OUT`` reads it directly.
    The file is written atomically and each layer's features are counted back
    (:func:`planner.io.write.write_atomic`, :func:`~planner.io.write.write_gpkg_layers`).

    Parameters
    ----------
    path : str or Path
        The extract (.osm or .osm.pbf).
    out : str or Path
        The GeoPackage to write.
    on_progress : callable, optional
        ``on_progress(stage, done, total)`` for each step of :func:`build_layers`, then for
        each role written (``done`` of the roles).

    Returns
    -------
    OsmImport
        Feature count per role written, and the repairs of :func:`build_layers`.

    Raises
    ------
    UnreadableFileError
        The file is missing or not an OSM extract GDAL reads.
    EmptyLayerError
        No feature of the extract is taken for any role.
    OutputError
        ``out`` is not a GeoPackage or cannot be written.
    """
    from planner.errors import OutputError
    from planner.io.write import check_output_folder, write_atomic, write_gpkg_layers

    target = Path(out)
    if target.suffix.lower() != ".gpkg":
        raise OutputError(Msg("io.osm_out_not_gpkg", path=str(target)))
    check_output_folder(target)
    layers = build_layers(path, on_progress=on_progress)
    if not layers:
        raise EmptyLayerError(path, Msg("io.osm_nothing_tagged"))

    def write(tmp: Path) -> None:
        for i, (role, frame) in enumerate(layers.items()):
            if on_progress is not None:
                on_progress(f"writing {role}", i, len(layers))
            write_gpkg_layers({role: frame}, tmp)  # 2D, through Arrow, counted back

    write_atomic(target, write)
    return OsmImport(
        {role: len(frame) for role, frame in layers.items()}, layers.repairs, layers.reports
    )
