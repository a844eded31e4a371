"""Layer roles: what each layer is for, what it must look like, and how it is normalised.

A run takes layers by role. Only ``plots`` is required. :func:`prepare_layers` checks every
layer at the edge (CRS present, geometry type fits the role, not empty), repairs invalid
polygons, reprojects everything into one metric CRS and adds the normalised columns the
criteria use (``plot_id``, ``population``, ``capacity``, ``category`` ...).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Literal

import geopandas as gpd
import numpy as np
import pandas as pd
import pyproj
import shapely

from planner.config import PlannerConfig
from planner.crs import choose_metric_crs
from planner.errors import EmptyLayerError, GeometryTypeError, NoCrsError

GeomKind = Literal["polygon", "line", "point"]


@dataclass(frozen=True)
class RoleSpec:
    """What a role is and which geometry kinds it accepts."""

    name: str
    description: str
    kinds: tuple[GeomKind, ...]


ROLES: dict[str, RoleSpec] = {
    spec.name: spec
    for spec in (
        RoleSpec("plots", "idle / candidate plots", ("polygon",)),
        RoleSpec("green", "existing parks and green space", ("polygon",)),
        RoleSpec("residential", "residential buildings or estates with population",
                 ("polygon", "point")),
        RoleSpec("roads", "street centre lines", ("line",)),
        RoleSpec("parking", "existing car parks with capacity", ("point", "polygon")),
        RoleSpec("pois", "demand generators with a category", ("point", "polygon")),
        RoleSpec("life_circles", "fifteen-minute life-circle polygons", ("polygon",)),
        RoleSpec("constraints", "areas where no conversion may go", ("polygon",)),
    )
}

_KIND_OF_TYPE: dict[str, GeomKind] = {
    "Polygon": "polygon",
    "MultiPolygon": "polygon",
    "LineString": "line",
    "MultiLineString": "line",
    "LinearRing": "line",
    "Point": "point",
    "MultiPoint": "point",
}

#: Attribute names recognised for each normalised column (first match wins, case-insensitive).
ATTRIBUTE_ALIASES: dict[str, tuple[str, ...]] = {
    "plot_id": ("plot_id", "id", "fid_1", "code", "编号", "地块编号", "osm_id"),
    "name": ("name", "name_zh", "名称", "地块名称"),
    "name_en": ("name_en", "english_name"),
    "population": ("population", "pop", "residents", "人口", "居住人口", "常住人口"),
    "floors": ("floors", "levels", "building:levels", "building_levels", "storeys", "层数"),
    "elderly_share": ("elderly_share", "share_65plus", "old_share", "老年人口比例", "老年比例"),
    "child_share": ("child_share", "share_0_14", "children_share", "儿童比例", "儿童人口比例"),
    "parking_spaces": ("parking_spaces", "own_spaces", "停车位", "配建车位"),
    "capacity": ("capacity", "spaces", "stalls", "车位", "车位数", "泊位", "泊位数"),
    "category": ("category", "type", "amenity", "poi_type", "类别", "类型"),
    "road_class": ("road_class", "highway", "class", "fclass", "道路等级", "等级"),
    "reason": ("reason", "constraint", "type", "原因", "类型", "name", "名称"),
    "circle_id": ("circle_id", "lc_id", "id", "编号"),
}

#: POI categories the parking criteria weigh, with the words that map onto them.
POI_CATEGORY_ALIASES: dict[str, tuple[str, ...]] = {
    "station": ("station", "metro", "subway", "subway_entrance", "rail", "train_station",
                "bus_station", "地铁站", "车站", "火车站", "站", "公交站"),
    "hospital": ("hospital", "clinic", "医院", "卫生", "诊所"),
    "school": ("school", "kindergarten", "college", "university", "学校", "小学", "中学", "幼儿园"),
    "market": ("market", "marketplace", "supermarket", "市场", "菜市场", "超市"),
    "commercial": ("commercial", "mall", "retail", "shop", "office", "商业", "商场", "购物"),
}

#: Road classes people cannot reach a car park from by car (OSM ``highway`` values and the
#: Chinese names planners use). Everything else counts as a road a car may use.
NON_CAR_ROAD_CLASSES = frozenset(
    {"footway", "path", "pedestrian", "steps", "cycleway", "bridleway", "corridor",
     "步行道", "人行道", "步道", "绿道"}
)


@dataclass
class Layers:
    """The layers of one run, by role; every role but ``plots`` may be ``None``.

    ``sources`` maps a role to the file (or ``file:layer``) it came from, for messages.
    """

    plots: gpd.GeoDataFrame
    green: gpd.GeoDataFrame | None = None
    residential: gpd.GeoDataFrame | None = None
    roads: gpd.GeoDataFrame | None = None
    parking: gpd.GeoDataFrame | None = None
    pois: gpd.GeoDataFrame | None = None
    life_circles: gpd.GeoDataFrame | None = None
    constraints: gpd.GeoDataFrame | None = None
    sources: dict[str, str] = field(default_factory=dict)
    crs: pyproj.CRS | None = None

    def present(self) -> Iterator[tuple[str, gpd.GeoDataFrame]]:
        """Yield ``(role, frame)`` for every role that has a layer."""
        for role in ROLES:
            frame = getattr(self, role)
            if frame is not None:
                yield role, frame

    def has(self, role: str) -> bool:
        """True when the role has a layer with at least one feature."""
        frame = getattr(self, role)
        return frame is not None and len(frame) > 0

    @classmethod
    def from_mapping(cls, frames: Mapping[str, gpd.GeoDataFrame | None],
                     sources: Mapping[str, str] | None = None) -> Layers:
        """Build from ``{role: frame}``; unknown roles are an error."""
        unknown = set(frames) - set(ROLES)
        if unknown:
            raise ValueError(f"unknown layer role(s): {', '.join(sorted(unknown))}; "
                             f"roles are {', '.join(ROLES)}")
        if frames.get("plots") is None:
            raise ValueError("the plots layer is required")
        return cls(**{k: v for k, v in frames.items()}, sources=dict(sources or {}))


def _find_column(frame: pd.DataFrame, key: str) -> str | None:
    lower = {str(c).lower(): c for c in frame.columns if c != frame.geometry.name}
    for alias in ATTRIBUTE_ALIASES[key]:
        if alias.lower() in lower:
            return lower[alias.lower()]
    return None


def _numeric(frame: pd.DataFrame, key: str) -> pd.Series | None:
    col = _find_column(frame, key)
    if col is None:
        return None
    return pd.to_numeric(frame[col], errors="coerce").astype(float)


def geometry_kinds(geoms: gpd.GeoSeries) -> set[GeomKind | str]:
    """The geometry kinds in ``geoms``: ``polygon``, ``line``, ``point`` or the raw type."""
    types = geoms.geom_type.dropna().unique()
    return {_KIND_OF_TYPE.get(t, t) for t in types}


def check_layer(role: str, frame: gpd.GeoDataFrame, source: str) -> gpd.GeoDataFrame:
    """Check one layer at the edge and return it with null/empty geometries dropped.

    Raises
    ------
    NoCrsError, GeometryTypeError, EmptyLayerError
    """
    spec = ROLES[role]
    if frame.crs is None:
        raise NoCrsError(source, f"layer '{role}' has no CRS; declare it (e.g. --crs EPSG:4490) "
                                 "or add a .prj")
    geoms = frame.geometry
    keep = ~(geoms.isna() | geoms.is_empty)
    frame = frame.loc[keep]
    if len(frame) == 0:
        raise EmptyLayerError(source, f"layer '{role}' has no features with geometry")
    kinds = geometry_kinds(frame.geometry)
    wrong = sorted(str(k) for k in kinds if k not in spec.kinds)
    if wrong:
        allowed = " or ".join(spec.kinds)
        raise GeometryTypeError(source, f"layer '{role}' ({spec.description}) needs {allowed} "
                                        f"geometries, found {', '.join(wrong)}")
    return frame


def repair_polygons(geoms: gpd.GeoSeries) -> gpd.GeoSeries:
    """Make invalid polygons valid, keeping only their polygonal parts (vectorised)."""
    arr = geoms.values
    invalid = ~shapely.is_valid(arr)
    if invalid.any():
        fixed = shapely.make_valid(arr[invalid])
        # keep polygonal parts only: collections become (multi)polygons, lines/points vanish
        polys = shapely.get_parts(fixed, return_index=True)
        parts, idx = polys
        is_poly = np.isin(shapely.get_type_id(parts), (3, 6))
        merged = np.full(len(fixed), None, dtype=object)
        if is_poly.any():
            grouped = pd.Series(parts[is_poly]).groupby(idx[is_poly]).agg(
                lambda s: shapely.union_all(s.to_numpy()))
            merged[grouped.index.to_numpy()] = grouped.to_numpy()
        arr = arr.copy()
        arr[invalid] = merged
    return gpd.GeoSeries(arr, index=geoms.index, crs=geoms.crs)


def _normalise_plots(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    col = _find_column(frame, "plot_id")
    if col is not None and frame[col].notna().all() and frame[col].is_unique:
        ids = frame[col].astype(str)
    else:
        ids = pd.Series([f"P{i + 1:04d}" for i in range(len(frame))], index=frame.index)
    frame = frame.assign(plot_id=ids.to_numpy())
    name = _find_column(frame, "name")
    if name is not None and name != "name":
        frame = frame.assign(name=frame[name])
    return frame


def _normalise_residential(frame: gpd.GeoDataFrame, config: PlannerConfig) -> gpd.GeoDataFrame:
    pop = _numeric(frame, "population")
    floors = _numeric(frame, "floors")
    a = config.assumptions
    floors_filled = (floors if floors is not None else pd.Series(np.nan, index=frame.index))
    floors_filled = floors_filled.fillna(a.default_floors).clip(lower=1)
    estimated = frame.geometry.area * floors_filled * a.persons_per_floor_m2
    if pop is None:
        population, flag = estimated, pd.Series(True, index=frame.index)
    else:
        flag = pop.isna()
        population = pop.where(~flag, estimated)
    own = _numeric(frame, "parking_spaces")
    out = frame.assign(population=population.fillna(0.0).clip(lower=0.0).to_numpy(),
                       population_estimated=flag.to_numpy(),
                       parking_spaces=(own.fillna(0.0).clip(lower=0.0).to_numpy()
                                       if own is not None else 0.0))
    for key in ("elderly_share", "child_share"):
        s = _numeric(frame, key)
        if s is not None:
            s = s.where(s <= 1.0, s / 100.0)  # accept percentages
            out[key] = s.clip(0.0, 1.0).to_numpy()
    return out


def _normalise_roads(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    col = _find_column(frame, "road_class")
    cls_ = frame[col].astype("string").str.lower() if col else pd.Series(pd.NA, index=frame.index,
                                                                          dtype="string")
    return frame.assign(road_class=cls_.to_numpy(),
                        car_access=(~cls_.isin(NON_CAR_ROAD_CLASSES)).to_numpy())


def _normalise_parking(frame: gpd.GeoDataFrame, config: PlannerConfig) -> gpd.GeoDataFrame:
    cap = _numeric(frame, "capacity")
    if cap is None:
        cap = pd.Series(np.nan, index=frame.index)
    area = frame.geometry.area
    from_area = np.floor(area / config.assumptions.existing_parking_m2_per_space)
    estimated = cap.isna()
    filled = cap.where(~estimated, np.where(area > 0, from_area,
                                            config.assumptions.default_parking_point_capacity))
    return frame.assign(capacity=filled.clip(lower=0).to_numpy(),
                        capacity_estimated=estimated.to_numpy())


def normalise_poi_category(values: pd.Series) -> pd.Series:
    """Map free-text POI categories (English or Chinese) onto the known categories."""
    text = values.astype("string").str.lower().fillna("")
    out = pd.Series("other", index=values.index, dtype=object)
    # later categories must not overwrite earlier, more specific matches
    for cat, words in reversed(list(POI_CATEGORY_ALIASES.items())):
        pattern = "|".join(map(str.lower, words))
        out = out.mask(text.str.contains(pattern, regex=True).to_numpy(), cat)
    return out


def _normalise_pois(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    col = _find_column(frame, "category")
    raw = frame[col] if col else pd.Series("", index=frame.index)
    return frame.assign(category=normalise_poi_category(raw).to_numpy())


def _normalise_constraints(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    col = _find_column(frame, "reason")
    reason = frame[col].astype("string").fillna("constraint") if col else "constraint"
    return frame.assign(reason=reason if isinstance(reason, str) else reason.to_numpy())


def _normalise_life_circles(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    col = _find_column(frame, "circle_id")
    if col is not None and frame[col].notna().all() and frame[col].is_unique:
        ids = frame[col].astype(str).to_numpy()
    else:
        ids = [f"LC{i + 1:02d}" for i in range(len(frame))]
    frame = frame.assign(circle_id=ids)
    name = _find_column(frame, "name")
    return frame.assign(circle_name=frame[name].astype("string").fillna("").to_numpy()
                        if name else frame["circle_id"].to_numpy())


def prepare_layers(layers: Layers, config: PlannerConfig | None = None, *,
                   crs: pyproj.CRS | str | None = None) -> Layers:
    """Check, repair, reproject and normalise every layer.

    Parameters
    ----------
    layers : Layers
        Layers as read, each in its own CRS.
    config : PlannerConfig, optional
        Assumptions used to fill in population and capacity; defaults when omitted.
    crs : CRS or str, optional
        Metric CRS to work in; chosen from the data (:func:`planner.crs.choose_metric_crs`)
        when omitted.

    Returns
    -------
    Layers
        New layers, all in the metric CRS, with normalised columns.
    """
    config = config or PlannerConfig()
    checked: dict[str, gpd.GeoDataFrame] = {}
    for role, frame in layers.present():
        source = layers.sources.get(role, f"<{role} layer>")
        checked[role] = check_layer(role, frame, source)
    metric = pyproj.CRS.from_user_input(crs) if crs is not None else choose_metric_crs(
        *checked.values())
    if not metric.is_projected:
        raise NoCrsError("<crs>", f"{metric.name} is not a projected CRS; give a metric CRS")
    out: dict[str, gpd.GeoDataFrame] = {}
    for role, frame in checked.items():
        frame = frame.to_crs(metric)
        if "polygon" in ROLES[role].kinds:
            frame = frame.set_geometry(repair_polygons(frame.geometry))
            frame = frame.loc[~(frame.geometry.isna() | frame.geometry.is_empty)]
        frame = frame.copy()
        if role == "plots":
            frame = _normalise_plots(frame)
        elif role == "residential":
            frame = _normalise_residential(frame, config)
        elif role == "roads":
            frame = _normalise_roads(frame)
        elif role == "parking":
            frame = _normalise_parking(frame, config)
        elif role == "pois":
            frame = _normalise_pois(frame)
        elif role == "constraints":
            frame = _normalise_constraints(frame)
        elif role == "life_circles":
            frame = _normalise_life_circles(frame)
        out[role] = frame
    if len(out["plots"]) == 0:
        raise EmptyLayerError(layers.sources.get("plots", "<plots layer>"),
                              "no valid plot polygons remain after repair")
    return dataclasses.replace(layers, **out, crs=metric)
