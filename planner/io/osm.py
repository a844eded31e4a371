"""Build the planner's layers from an OpenStreetMap extract (.osm XML or .osm.pbf).

GDAL's OSM driver reads the extract into its ``points``, ``lines`` and ``multipolygons``
layers (default ``osmconf.ini``: the common keys as columns, every other tag in
``other_tags``). The roles are then picked by tag, vectorised:

========== ==================================================================================
role       OSM tags
========== ==================================================================================
plots      areas with ``landuse`` = brownfield, greenfield, construction, vacant, grass,
           meadow (idle or not yet built land; :data:`PLOT_LANDUSE`)
green      areas with ``leisure`` = park, garden, playground, recreation_ground, common,
           nature_reserve, or ``landuse`` = village_green, recreation_ground
parking    ``amenity=parking`` areas and points (``amenity=parking_space``, single stalls, is
           left out); ``capacity`` from the tag where numeric; ``parking`` (surface,
           underground, multi-storey) kept
residential buildings with ``building`` = residential, apartments, house, detached,
           dormitory, terrace, semidetached_house, bungalow, plus ``building=yes`` whose
           representative point lies in a ``landuse=residential`` area; ``levels`` from
           ``building:levels``; ``population`` estimated as footprint x levels (default
           :data:`planner.standards.DEFAULT_FLOORS`) x
           :data:`planner.standards.PERSONS_PER_FLOOR_M2`
roads      lines with a ``highway`` tag except proposed, construction, platform, raceway,
           elevator; ``road_class`` = the ``highway`` value
pois       points and areas (as a point inside the area) for schools, hospitals, markets,
           stations and shopping (:data:`POI_TAGS`); ``category`` is the planner's category
constraints areas with ``natural=water``, ``landuse`` = military, cemetery, railway;
           ``reason`` = the tag
========== ==================================================================================

Life circles are not in OpenStreetMap; give them as their own layer.
Data © OpenStreetMap contributors, ODbL.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio

from planner.crs import WGS84, choose_metric_crs
from planner.errors import UnreadableFileError
from planner.standards import DEFAULT_FLOORS, PERSONS_PER_FLOOR_M2

#: ``landuse`` values taken as candidate plots (idle, vacant or not yet built land).
PLOT_LANDUSE = ("brownfield", "greenfield", "construction", "vacant", "grass", "meadow")
#: ``leisure`` and ``landuse`` values taken as existing green space.
GREEN_LEISURE = ("park", "garden", "playground", "recreation_ground", "common",
                 "nature_reserve")
GREEN_LANDUSE = ("village_green", "recreation_ground")
#: ``building`` values that are homes.
RESIDENTIAL_BUILDINGS = ("residential", "apartments", "house", "detached", "dormitory",
                         "terrace", "semidetached_house", "bungalow")
#: ``highway`` values that are not roads people travel on.
NON_ROAD_HIGHWAY = ("proposed", "construction", "platform", "raceway", "elevator",
                    "abandoned", "bus_stop")
#: (key, value) -> planner POI category.
POI_TAGS: dict[tuple[str, str], str] = {
    ("amenity", "school"): "school", ("amenity", "kindergarten"): "school",
    ("amenity", "college"): "school", ("amenity", "university"): "school",
    ("amenity", "hospital"): "hospital", ("amenity", "clinic"): "hospital",
    ("amenity", "doctors"): "hospital",
    ("amenity", "marketplace"): "market", ("shop", "supermarket"): "market",
    ("shop", "greengrocer"): "market",
    ("shop", "mall"): "commercial", ("shop", "department_store"): "commercial",
    ("railway", "station"): "station", ("railway", "halt"): "station",
    ("railway", "subway_entrance"): "station", ("public_transport", "station"): "station",
    ("amenity", "bus_station"): "station",
}
#: Constraint tags -> reason.
CONSTRAINT_TAGS: dict[tuple[str, str], str] = {
    ("natural", "water"): "water", ("landuse", "military"): "military",
    ("landuse", "cemetery"): "cemetery", ("landuse", "railway"): "railway",
}

OSM_ROLES = ("plots", "green", "parking", "residential", "roads", "pois", "constraints")


#: In-memory node store of GDAL's OSM driver before it spills to a temporary file, MB. GDAL's
#: default (100) costs about 0.1 s per layer read just to allocate; 32 is as fast for
#: district-sized extracts and larger ones spill to disk as usual.
OSM_MAX_TMPFILE_SIZE_MB = 32


def _read(path: Path, layer: str, label: str) -> gpd.GeoDataFrame:
    key = "OSM_MAX_TMPFILE_SIZE"
    before = pyogrio.get_gdal_config_option(key)
    try:
        pyogrio.set_gdal_config_options({key: str(OSM_MAX_TMPFILE_SIZE_MB)})
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # GDAL notes on interleaved reading etc.
            return pyogrio.read_dataframe(path, layer=layer)
    except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError, ValueError,
            OSError, RuntimeError) as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise UnreadableFileError(label, f"cannot be read as an OpenStreetMap extract "
                                         f"({first})") from None
    finally:
        pyogrio.set_gdal_config_options({key: before})


def tag(frame: pd.DataFrame, key: str) -> pd.Series:
    """The value of OSM tag ``key``: its own column, else parsed from ``other_tags``."""
    if key in frame.columns:
        return frame[key].astype("string")
    if "other_tags" not in frame.columns:
        return pd.Series(pd.NA, index=frame.index, dtype="string")
    pattern = r'(?:^|,)"' + key.replace(":", r"\:") + r'"=>"((?:[^"\\]|\\.)*)"'
    return frame["other_tags"].astype("string").str.extract(pattern, expand=False)


def _osm_ids(frame: pd.DataFrame, kind: str) -> pd.Series:
    if kind == "multipolygons":
        way = frame.get("osm_way_id")
        rel = frame.get("osm_id")
        ids = pd.Series("", index=frame.index, dtype="string")
        if rel is not None:
            ids = ids.mask(rel.notna(), "relation/" + rel.astype("string"))
        if way is not None:
            ids = ids.mask(way.notna(), "way/" + way.astype("string"))
        return ids
    prefix = "node/" if kind == "points" else "way/"
    return prefix + frame["osm_id"].astype("string")


def _base(frame: gpd.GeoDataFrame, kind: str, mask: pd.Series | np.ndarray
          ) -> gpd.GeoDataFrame:
    sel = frame.loc[np.asarray(mask, dtype=bool)]
    return gpd.GeoDataFrame({"osm_id": _osm_ids(sel, kind).to_numpy(),
                             "name": sel["name"].to_numpy() if "name" in sel else None},
                            geometry=sel.geometry.to_numpy(), crs=frame.crs)


def _numeric_tag(values: pd.Series) -> np.ndarray:
    return pd.to_numeric(values.str.extract(r"^\s*(\d+(?:\.\d+)?)", expand=False),
                         errors="coerce").to_numpy(dtype=float)


def _residential(areas: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    building = tag(areas, "building")
    landuse = tag(areas, "landuse")
    homes = building.isin(RESIDENTIAL_BUILDINGS).fillna(False).to_numpy()
    generic = (building == "yes").fillna(False).to_numpy()
    zones = areas.loc[(landuse == "residential").fillna(False).to_numpy()]
    if generic.any() and len(zones):
        pts = areas.loc[generic].geometry.representative_point()
        hit = zones.sindex.query(pts.to_numpy(), predicate="within")
        inside = np.zeros(int(generic.sum()), dtype=bool)
        inside[np.unique(hit[0])] = True
        take = np.flatnonzero(generic)[inside]
        homes = homes.copy()
        homes[take] = True
    out = _base(areas, "multipolygons", homes)
    sel = areas.loc[homes]
    levels = _numeric_tag(tag(sel, "building:levels"))
    out["building"] = building[homes].to_numpy()
    out["levels"] = levels
    if len(out):
        metric = choose_metric_crs(out)
        footprint = out.geometry.to_crs(metric).area.to_numpy()
        floors = np.where(np.isfinite(levels) & (levels >= 1), levels, DEFAULT_FLOORS)
        out["population"] = np.round(footprint * floors * PERSONS_PER_FLOOR_M2, 1)
    else:
        out["population"] = np.zeros(0)
    out["population_estimated"] = True
    return out


def _pois(points: gpd.GeoDataFrame, areas: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    by_key: dict[str, dict[str, str]] = {}
    for (key, value), cat in POI_TAGS.items():
        by_key.setdefault(key, {})[value] = cat
    frames = []
    for kind, frame in (("points", points), ("multipolygons", areas)):
        category = pd.Series(pd.NA, index=frame.index, dtype="string")
        osm_tag = pd.Series(pd.NA, index=frame.index, dtype="string")
        for key, cats in by_key.items():  # earlier keys win, as listed in POI_TAGS
            values = tag(frame, key)
            hit = values.isin(list(cats)).fillna(False) & category.isna()
            category = category.mask(hit, values.map(cats).astype("string"))
            osm_tag = osm_tag.mask(hit, key + "=" + values)
        keep = category.notna().to_numpy()
        out = _base(frame, kind, keep)
        out["category"] = category[keep].to_numpy()
        out["osm_tag"] = osm_tag[keep].to_numpy()
        if kind == "multipolygons":
            out = out.set_geometry(out.geometry.representative_point())
        frames.append(out)
    return gpd.GeoDataFrame(pd.concat(frames, ignore_index=True), crs=points.crs)


def build_layers(path: str | Path, *, label: str | None = None) -> dict[str, gpd.GeoDataFrame]:
    """Every role that OpenStreetMap can supply, from an .osm or .osm.pbf extract (WGS84).

    Roles with no matching feature are left out. See the module notes for the tag rules.

    Raises
    ------
    UnreadableFileError
        The file is missing or not an OSM extract GDAL reads.
    """
    p = Path(path)
    label = label or str(p)
    if not p.exists():
        raise UnreadableFileError(label, "file not found")
    points = _read(p, "points", label)
    lines = _read(p, "lines", label)
    areas = _read(p, "multipolygons", label)
    out: dict[str, gpd.GeoDataFrame] = {}

    landuse = tag(areas, "landuse")
    plots = _base(areas, "multipolygons", landuse.isin(PLOT_LANDUSE).fillna(False))
    plots["landuse"] = landuse[landuse.isin(PLOT_LANDUSE).fillna(False)].to_numpy()
    out["plots"] = plots

    leisure = tag(areas, "leisure")
    is_green = (leisure.isin(GREEN_LEISURE) | landuse.isin(GREEN_LANDUSE)).fillna(False)
    green = _base(areas, "multipolygons", is_green)
    green["kind"] = leisure[is_green].fillna(landuse[is_green]).to_numpy()
    out["green"] = green

    lots = []
    for kind, frame in (("points", points), ("multipolygons", areas)):
        hit = (tag(frame, "amenity") == "parking").fillna(False)
        lot = _base(frame, kind, hit)
        lot["capacity"] = _numeric_tag(tag(frame, "capacity")[hit])
        lot["parking"] = tag(frame, "parking")[hit].to_numpy()
        lots.append(lot)
    out["parking"] = gpd.GeoDataFrame(pd.concat(lots, ignore_index=True), crs=areas.crs)

    out["residential"] = _residential(areas)

    highway = tag(lines, "highway")
    is_road = (highway.notna() & ~highway.isin(NON_ROAD_HIGHWAY)).fillna(False)
    roads = _base(lines, "lines", is_road)
    roads["road_class"] = highway[is_road].to_numpy()
    for key in ("bridge", "tunnel", "layer", "foot", "access"):  # read by planner.network
        roads[key] = tag(lines, key)[is_road].to_numpy()
    out["roads"] = roads

    out["pois"] = _pois(points, areas)

    reason = pd.Series(pd.NA, index=areas.index, dtype="string")
    for (key, value), why in CONSTRAINT_TAGS.items():
        reason = reason.mask((tag(areas, key) == value).fillna(False) & reason.isna(), why)
    cons = _base(areas, "multipolygons", reason.notna())
    cons["reason"] = reason[reason.notna()].to_numpy()
    out["constraints"] = cons

    return {role: frame.to_crs(WGS84).reset_index(drop=True)
            for role, frame in out.items() if len(frame)}


def build_role(path: str | Path, role: str, *, label: str | None = None) -> gpd.GeoDataFrame:
    """One role from an OSM extract (see :func:`build_layers`).

    Raises
    ------
    UnreadableFileError
        The extract cannot be read, or OpenStreetMap cannot supply the role.
    """
    label = label or str(path)
    if role not in OSM_ROLES:
        raise UnreadableFileError(label, f"OpenStreetMap data cannot supply the '{role}' "
                                         "layer; give it as its own file")
    layers = build_layers(path, label=label)
    if role not in layers:
        raise UnreadableFileError(label, f"has no feature tagged for the '{role}' layer "
                                         "(see docs/data-formats.md for the tag rules)")
    return layers[role]


def import_osm(path: str | Path, out: str | Path) -> dict[str, int]:
    """Write every role built from an OSM extract to a GeoPackage, one layer per role.

    The layer names are the roles, so ``planner score --layers OUT`` reads it directly.
    The file is written atomically.

    Returns
    -------
    dict of str to int
        Feature count per role written.

    Raises
    ------
    UnreadableFileError, OutputError
    """
    from planner.errors import OutputError
    from planner.io.write import atomic_path

    target = Path(out)
    if target.suffix.lower() != ".gpkg":
        raise OutputError(f"{target}: import-osm writes a GeoPackage; name it *.gpkg")
    if not target.parent.exists():
        raise OutputError(f"{target}: folder {target.parent} does not exist")
    layers = build_layers(path)
    try:
        with atomic_path(target) as tmp:
            for role, frame in layers.items():
                frame.to_file(tmp, driver="GPKG", layer=role, engine="pyogrio")
    except Exception as exc:  # GDAL / OS errors of every kind end here
        raise OutputError(f"{target}: could not write ({exc})") from None
    return {role: len(frame) for role, frame in layers.items()}
