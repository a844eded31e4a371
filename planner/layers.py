"""Layer roles: what each layer is for, what it must look like, and how it is normalised.

A run takes layers by role. Only ``plots`` is required. :func:`prepare_layers` checks every
layer at the edge (CRS present, geometry type fits the role, not empty), repairs invalid
polygons, reprojects everything into one metric CRS and adds the normalised columns the
criteria use (``plot_id``, ``population``, ``capacity``, ``category`` ...).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Literal

import geopandas as gpd
import numpy as np
import pandas as pd
import pyproj
import shapely

from planner.config import PlannerConfig
from planner.crs import choose_metric_crs
from planner.errors import ConfigError, EmptyLayerError, GeometryTypeError, NoCrsError
from planner.messages import Msg, either, listing

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
        RoleSpec(
            "residential", "residential buildings or estates with population", ("polygon", "point")
        ),
        RoleSpec("roads", "street centre lines", ("line",)),
        RoleSpec("parking", "existing car parks with capacity", ("point", "polygon")),
        RoleSpec("pois", "demand generators with a category", ("point", "polygon")),
        RoleSpec("life_circles", "fifteen-minute life-circle polygons", ("polygon",)),
        RoleSpec("constraints", "areas where no conversion may go", ("polygon",)),
    )
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
    "station": (
        "station",
        "metro",
        "subway",
        "subway_entrance",
        "rail",
        "train_station",
        "bus_station",
        "地铁站",
        "车站",
        "火车站",
        "站",
        "公交站",
    ),
    "hospital": ("hospital", "clinic", "医院", "卫生", "诊所"),
    "school": ("school", "kindergarten", "college", "university", "学校", "小学", "中学", "幼儿园"),
    "market": ("market", "marketplace", "supermarket", "市场", "菜市场", "超市"),
    "commercial": ("commercial", "mall", "retail", "shop", "office", "商业", "商场", "购物"),
}

#: Road classes people cannot reach a car park from by car (OSM ``highway`` values and the
#: Chinese names planners use). Everything else counts as a road a car may use.
NON_CAR_ROAD_CLASSES = frozenset(
    {
        "footway",
        "path",
        "pedestrian",
        "steps",
        "cycleway",
        "bridleway",
        "corridor",
        "步行道",
        "人行道",
        "步道",
        "绿道",
    }
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
    #: What :func:`prepare_layers` changed that the user should know (plot ids renamed,
    #: plots dropped), one line each; commands print them as ``note:`` lines.
    notes: list[str] = field(default_factory=list)
    #: ``{role: geometry array}`` a reader has checked and repaired (every geometry valid):
    #: :func:`prepare_layers` does not test a layer's validity again while the layer still
    #: holds that very array (by identity) and needs no reprojection.
    valid_geometry: dict[str, object] = field(default_factory=dict, repr=False, compare=False)

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
    def from_mapping(
        cls,
        frames: Mapping[str, gpd.GeoDataFrame | None],
        sources: Mapping[str, str] | None = None,
        *,
        valid_roles: Iterable[str] = (),
    ) -> Layers:
        """Build from ``{role: frame}``; unknown roles are an error.

        ``valid_roles``: roles whose frames a reader has checked and repaired
        (:attr:`valid_geometry`).
        """
        unknown = set(frames) - set(ROLES)
        if unknown:
            raise ConfigError(
                Msg(
                    "layers.unknown_roles",
                    unknown=", ".join(sorted(unknown)),
                    roles=", ".join(ROLES),
                )
            )
        if frames.get("plots") is None:
            raise ConfigError(Msg("layers.plots_required"))
        valid = {r: frames[r].geometry.values for r in valid_roles if frames.get(r) is not None}
        return cls(
            **{k: v for k, v in frames.items()}, sources=dict(sources or {}), valid_geometry=valid
        )


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
    arr = geoms.to_numpy()
    arr = arr[~shapely.is_missing(arr)]
    ids = shapely.get_type_id(arr)
    return {
        _DIM_KIND[_TYPE_DIM[int(t)]] if int(t) in _TYPE_DIM else arr[ids == t][0].geom_type
        for t in np.unique(ids)
    }


#: shapely type ids by dimension (0 point, 1 line, 2 polygon).
_TYPE_DIM = {0: 0, 4: 0, 1: 1, 2: 1, 5: 1, 3: 2, 6: 2}
_DIM_KIND = {0: "point", 1: "line", 2: "polygon"}


def _kind(kind: str) -> Msg:
    return Msg(f"layers.kind_{kind}")


def role_description(role: str) -> Msg:
    """What a role's layer holds, as a message (``idle / candidate plots``, 闲置/候选地块)."""
    return Msg(f"layers.role_{role}")


_KIND_DIM = {v: k for k, v in _DIM_KIND.items()}
#: shapely's type id of a GeometryCollection.
COLLECTION_TYPE_ID = 7
#: Dimension by shapely type id 0..7 (point, linestring, linearring, polygon, multipoint,
#: multilinestring, multipolygon, collection = -1); index 8 stands for a missing geometry.
_DIM_LUT = np.array([0, 1, 1, 2, 0, 1, 2, -1, -1])


def _dims(geoms: np.ndarray) -> np.ndarray:
    ids = shapely.get_type_id(geoms)
    return _DIM_LUT[np.where(ids < 0, 8, ids)]


def keep_dimension(geoms: np.ndarray, dim: int) -> np.ndarray:
    """Reduce each geometry to its parts of dimension ``dim`` (None where none remain).

    Parts of one feature stay one feature (a multi-part geometry, made valid for polygons).
    """
    out = np.full(len(geoms), None, dtype=object)
    if len(geoms) == 0:
        return out
    parts, idx = shapely.get_parts(geoms, return_index=True)
    # make_valid may nest collections; a second pass flattens one more level
    nested = shapely.get_type_id(parts) == COLLECTION_TYPE_ID
    if nested.any():
        sub, sub_idx = shapely.get_parts(parts[nested], return_index=True)
        parts = np.concatenate([parts[~nested], sub])
        idx = np.concatenate([idx[~nested], idx[nested][sub_idx]])
    keep = (_dims(parts) == dim) & ~shapely.is_empty(parts)
    parts, idx = parts[keep], idx[keep]
    if len(parts) == 0:
        return out
    counts = np.bincount(idx, minlength=len(geoms))
    single = counts[idx] == 1
    out[idx[single]] = parts[single]
    multi = ~single
    if multi.any():
        maker = {0: shapely.multipoints, 1: shapely.multilinestrings, 2: shapely.multipolygons}[dim]
        # singular parts of multi-part results: flatten Multi* into their members first
        flat, fidx = shapely.get_parts(parts[multi], return_index=True)
        owner = idx[multi][fidx]
        built = np.full(len(geoms), None, dtype=object)
        maker(flat, indices=owner, out=built)
        if dim == 2:
            built[np.unique(owner)] = shapely.make_valid(built[np.unique(owner)])
        out[np.unique(owner)] = built[np.unique(owner)]
    return out


def layer_dimension(geoms: gpd.GeoSeries, role: str | None, source: str) -> int:
    """The dimension a layer's geometries must have (role's kinds, else highest present).

    The one geometry-type check of every layer: the readers' cleaning
    (:func:`planner.io.geometry.clean_geometries`) and :func:`check_layer` both call it.
    A geometry collection passes when it has parts of a kind the role accepts (they are
    what is kept of it: :func:`repair_to_dimension`).

    Raises
    ------
    GeometryTypeError
        A geometry type the role does not accept (e.g. points given as plots).
    """
    arr = geoms.to_numpy()
    ids = shapely.get_type_id(arr)
    dims = {_TYPE_DIM[int(t)] for t in np.unique(ids) if int(t) in _TYPE_DIM}
    in_collections: set[int] = set()
    if COLLECTION_TYPE_ID in ids:
        parts = shapely.get_parts(arr[ids == COLLECTION_TYPE_ID])
        in_collections = {
            _TYPE_DIM[int(t)] for t in np.unique(shapely.get_type_id(parts)) if int(t) in _TYPE_DIM
        }
    if role is None:
        return max(dims | in_collections) if dims | in_collections else 2
    spec = ROLES[role]
    allowed = {_KIND_DIM[k] for k in spec.kinds}
    wrong = sorted(dims - allowed)
    if wrong or (not dims and not in_collections & allowed):
        found = listing([_kind(_DIM_KIND[d]) for d in (wrong or sorted(in_collections))])
        raise GeometryTypeError(
            source,
            Msg(
                "layers.wrong_geometry",
                role=role,
                description=role_description(role),
                kinds=either([_kind(k) for k in spec.kinds]),
                found=found,
            ),
        )
    # collections are reduced to the layer's dimension: that of its plain geometries, else
    # the highest allowed dimension their parts have
    return max(dims) if dims else max(in_collections & allowed)


def repair_to_dimension(geoms: np.ndarray, dim: int) -> np.ndarray:
    """Make geometries valid and keep their parts of dimension ``dim`` (None where none).

    The one repair of every layer (:func:`shapely.make_valid`, then :func:`keep_dimension`):
    a bow-tie polygon becomes a two-part multipolygon, the stray lines and points the repair
    may produce are discarded, a collection is reduced to its parts of ``dim``. Used by the
    readers' cleaning (:func:`planner.io.geometry.clean_geometries`), by :func:`check_layer`
    for collections and by :func:`repair_polygons` after reprojection.
    """
    return keep_dimension(shapely.make_valid(np.asarray(geoms, dtype=object)), dim)


def check_layer(role: str, frame: gpd.GeoDataFrame, source: str) -> gpd.GeoDataFrame:
    """Check one layer at the edge and return it with null/empty geometries dropped.

    The geometry type is checked by :func:`layer_dimension`, the readers' own check;
    geometry collections are reduced to the parts the role accepts, as the readers do.

    Raises
    ------
    NoCrsError
        No CRS, or one that cannot be the coordinates' (see
        :func:`planner.io.crs_detect.check_plausible`).
    GeometryTypeError, EmptyLayerError
    """
    from planner.io.crs_detect import check_plausible  # planner.io imports this module

    if frame.crs is None:
        raise NoCrsError(source, Msg("layers.no_crs", role=role))
    geoms = frame.geometry
    keep = ~(geoms.isna() | geoms.is_empty)
    frame = frame.loc[keep]
    subject = Msg("common.layer_role", role=role)
    if len(frame) == 0:
        raise EmptyLayerError(source, Msg("io.no_features_with_geometry", subject=subject))
    # a CRS that does not fit the coordinates (metres under EPSG:4326, a vertical CRS)
    check_plausible(frame.crs, frame.total_bounds, source=source, subject=subject, projected=False)
    dim = layer_dimension(frame.geometry, role, source)
    arr = frame.geometry.to_numpy()
    collection = shapely.get_type_id(arr) == COLLECTION_TYPE_ID
    if collection.any():  # reduced to the parts the role accepts, as the readers do
        arr = arr.copy()
        arr[collection] = repair_to_dimension(arr[collection], dim)
        frame = frame.set_geometry(gpd.GeoSeries(arr, index=frame.index, crs=frame.crs))
        frame = frame.loc[~(shapely.is_missing(arr) | shapely.is_empty(arr))]
        if len(frame) == 0:
            raise EmptyLayerError(source, Msg("io.no_features_with_geometry", subject=subject))
    return frame


def repair_polygons(geoms: gpd.GeoSeries) -> gpd.GeoSeries:
    """Make invalid polygons valid, keeping only their polygonal parts (vectorised).

    The readers' repair (:func:`repair_to_dimension`) applied to the invalid geometries;
    :func:`prepare_layers` calls it after reprojection, which can make a polygon invalid.
    """
    arr = geoms.values
    invalid = ~shapely.is_valid(arr)
    if invalid.any():
        arr = np.asarray(arr, dtype=object).copy()
        arr[invalid] = repair_to_dimension(arr[invalid], 2)
    return gpd.GeoSeries(arr, index=geoms.index, crs=geoms.crs)


#: Most ids a note lists before "and N more".
_NOTE_IDS = 10


def _listed(values: list[str], *, quoted: bool = True) -> str | Msg:
    """``'a', 'b' and 3 more`` for notes (``and 3 more`` in the note's language)."""
    head = ", ".join((repr(v) if quoted else str(v)) for v in values[:_NOTE_IDS])
    more = len(values) - _NOTE_IDS
    return Msg("layers.and_more", items=head, more=more) if more > 0 else head


def plot_ids(frame: pd.DataFrame, source: str = "plots") -> tuple[pd.Series, list[str]]:
    """Unique plot ids from the data's id column, and notes on any that had to be made.

    Ids are kept where they are unique. A repeated id keeps its first plot; later plots
    with it get ``-2``, ``-3`` ... appended (``A``, ``A-2``); a plot with no id gets
    ``P`` and its position (``P0007``); a made id that another plot already has gets
    another suffix. With no id column every plot gets ``P0001`` ...

    Parameters
    ----------
    frame : DataFrame
        The plots layer.
    source : str
        The file, for the notes.

    Returns
    -------
    (Series of str, list of str)
        The ids (aligned to ``frame``) and one note per kind of change.
    """
    col = _find_column(frame, "plot_id") if isinstance(frame, gpd.GeoDataFrame) else None
    position = pd.Series(np.arange(1, len(frame) + 1), index=frame.index)
    made = "P" + position.astype(str).str.zfill(4)
    if col is None:
        return made, []
    raw = frame[col]
    missing = raw.isna().to_numpy() | (raw.astype(str).str.strip() == "").to_numpy()
    ids = raw.astype(str).where(~missing, made)
    notes: list[str] = []
    repeat = ids.groupby(ids, sort=False).cumcount().to_numpy()
    dup = repeat > 0  # a made id another plot has is renamed too
    if missing.any():
        notes.append(
            Msg(
                "layers.note_ids_made",
                source=source,
                n=int(missing.sum()),
                col=col,
                ids=_listed(ids[missing].tolist()),
            )
        )
    if dup.any():
        pos = np.flatnonzero(dup)
        base = ids.to_numpy(dtype=object)[pos]
        renamed = (pd.Series(base) + "-" + pd.Series(repeat[pos] + 1).astype(str)).to_numpy(
            dtype=object
        )
        used = set(ids[~dup]) | set(renamed)
        # a made id another plot already has gets a higher suffix (rare: a loop over clashes)
        for i in np.flatnonzero(np.isin(renamed, list(set(ids[~dup])))):
            k = int(repeat[pos[i]]) + 1
            while f"{base[i]}-{k}" in used:
                k += 1
            renamed[i] = f"{base[i]}-{k}"
            used.add(renamed[i])
        counts = ids[~missing].value_counts(sort=False)
        repeated = counts[counts > 1]
        pairs = [f"{old!r} -> {new!r}" for old, new in zip(base, renamed, strict=True)]
        notes.append(
            Msg(
                "layers.note_ids_renamed",
                source=source,
                col=col,
                n=len(repeated),
                ids=_listed([str(v) for v in repeated.index]),
                pairs=_listed(pairs, quoted=False),
            )
        )
        ids = ids.copy()
        ids.iloc[pos] = renamed
    return ids, notes


def _normalise_plots(frame: gpd.GeoDataFrame, source: str) -> tuple[gpd.GeoDataFrame, list[str]]:
    ids, notes = plot_ids(frame, source)
    frame = frame.assign(plot_id=ids.to_numpy())
    name = _find_column(frame, "name")
    if name is not None and name != "name":
        frame = frame.assign(name=frame[name])
    return frame, notes


def _normalise_residential(frame: gpd.GeoDataFrame, config: PlannerConfig) -> gpd.GeoDataFrame:
    pop = _numeric(frame, "population")
    floors = _numeric(frame, "floors")
    a = config.assumptions
    floors_filled = floors if floors is not None else pd.Series(np.nan, index=frame.index)
    floors_filled = floors_filled.fillna(a.default_floors).clip(lower=1)
    estimated = frame.geometry.area * floors_filled * a.persons_per_floor_m2
    if pop is None:
        population, flag = estimated, pd.Series(True, index=frame.index)
    else:
        flag = pop.isna()
        population = pop.where(~flag, estimated)
    own = _numeric(frame, "parking_spaces")
    out = frame.assign(
        population=population.fillna(0.0).clip(lower=0.0).to_numpy(),
        population_estimated=flag.to_numpy(),
        parking_spaces=(own.fillna(0.0).clip(lower=0.0).to_numpy() if own is not None else 0.0),
    )
    for key in ("elderly_share", "child_share"):
        s = _numeric(frame, key)
        if s is not None:
            s = s.where(s <= 1.0, s / 100.0)  # accept percentages
            out[key] = s.clip(0.0, 1.0).to_numpy()
    return out


def _normalise_roads(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    col = _find_column(frame, "road_class")
    cls_ = (
        frame[col].astype("string").str.lower()
        if col
        else pd.Series(pd.NA, index=frame.index, dtype="string")
    )
    return frame.assign(
        road_class=cls_.to_numpy(), car_access=(~cls_.isin(NON_CAR_ROAD_CLASSES)).to_numpy()
    )


def _normalise_parking(frame: gpd.GeoDataFrame, config: PlannerConfig) -> gpd.GeoDataFrame:
    cap = _numeric(frame, "capacity")
    if cap is None:
        cap = pd.Series(np.nan, index=frame.index)
    area = frame.geometry.area
    from_area = np.floor(area / config.assumptions.existing_parking_m2_per_space)
    estimated = cap.isna()
    filled = cap.where(
        ~estimated, np.where(area > 0, from_area, config.assumptions.default_parking_point_capacity)
    )
    return frame.assign(
        capacity=filled.clip(lower=0).to_numpy(), capacity_estimated=estimated.to_numpy()
    )


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
    return frame.assign(
        circle_name=frame[name].astype("string").fillna("").to_numpy()
        if name
        else frame["circle_id"].to_numpy()
    )


def prepare_layers(
    layers: Layers, config: PlannerConfig | None = None, *, crs: pyproj.CRS | str | None = None
) -> Layers:
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
    notes = list(layers.notes)
    trusted = {
        role
        for role, frame in layers.present()
        if layers.valid_geometry.get(role) is frame.geometry.values
    }
    for role, frame in layers.present():
        source = layers.sources.get(role, f"<{role} layer>")
        checked[role] = check_layer(role, frame, source)
        if role == "plots" and len(checked[role]) < len(frame):
            notes.append(_dropped_note(frame, checked[role], source, Msg("layers.why_no_geometry")))
    metric = (
        pyproj.CRS.from_user_input(crs) if crs is not None else choose_metric_crs(*checked.values())
    )
    if not metric.is_projected:
        raise NoCrsError("<crs>", Msg("layers.not_projected", crs=metric.name))
    out: dict[str, gpd.GeoDataFrame] = {}
    for role, frame in checked.items():
        source = layers.sources.get(role, f"<{role} layer>")
        # a layer a reader repaired stays valid unless reprojected (the same test as to_crs')
        valid = role in trusted and frame.crs.is_exact_same(metric)
        frame = frame.to_crs(metric)
        if "polygon" in ROLES[role].kinds and not valid:
            before = frame
            frame = frame.set_geometry(repair_polygons(frame.geometry))
            frame = frame.loc[~(frame.geometry.isna() | frame.geometry.is_empty)]
            if role == "plots" and len(frame) < len(before):
                notes.append(_dropped_note(before, frame, source, Msg("layers.why_nothing_left")))
        frame = frame.copy()
        if role == "plots":
            frame, id_notes = _normalise_plots(frame, source)
            notes.extend(id_notes)
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
        raise EmptyLayerError(
            layers.sources.get("plots", "<plots layer>"), Msg("layers.no_valid_plots")
        )
    return dataclasses.replace(layers, **out, crs=metric, notes=notes)


def _dropped_note(before: gpd.GeoDataFrame, after: gpd.GeoDataFrame, source: str, why: Msg) -> Msg:
    """``source: 2 plot(s) dropped because ...: 'A', 'B'`` (ids from the data, else rows)."""
    gone = ~before.index.isin(after.index)
    col = _find_column(before, "plot_id")
    ids = before.loc[gone, col] if col is not None else None
    return plots_dropped_note(
        source,
        why,
        col=col,
        ids=ids.astype(str).tolist() if ids is not None and ids.notna().all() else None,
        positions=(np.flatnonzero(gone) + 1).tolist(),
    )


def plots_dropped_note(
    source: str, why: Msg, *, col: str | None, ids: list[str] | None, positions: list[int]
) -> Msg:
    """The note on plots dropped while preparing the layers, from what is known of them.

    Parameters
    ----------
    source : str
        The plots' file.
    why : Msg
        Why they were dropped (``layers.why_...``).
    col, ids : str and list of str, or None
        The id column and the dropped plots' ids (None unless every one has an id).
    positions : list of int
        Their 1-based positions among the plots as read; named when they have no ids.
    """
    if col is not None and ids is not None:
        which: Msg = Msg("layers.which_ids", col=col, ids=_listed(ids))
    else:
        which = Msg("layers.which_rows", rows=_listed([str(r) for r in positions], quoted=False))
    return Msg("layers.note_plots_dropped", source=source, n=len(positions), why=why, which=which)
