"""Which role a layer plays, guessed from its name, its geometry and its fields.

A planner drops files on the app (or names a GeoPackage's layers as they like); the app shows
the guess for them to correct. :func:`guess_role` scores every role for one layer from three
kinds of evidence, each a named weight below:

* **the layer's name** (file or layer name, English, Chinese pinyin-free words, and the names
  ``planner import-osm`` writes): ``地块`` or ``idle_plots`` say plots, ``道路`` says roads;
* **its geometry**: lines can only be roads, points only residential, parking or POIs
  (:data:`planner.layers.ROLES` gives the kinds each role accepts, and a role that does not
  accept the layer's geometry is never guessed);
* **its fields**: a population column says residential, a capacity column parking, a POI
  category column POIs (the aliases of :data:`planner.layers.ATTRIBUTE_ALIASES`).

:func:`guess_roles` gives several layers distinct roles at once (an assignment that maximises
the summed evidence, :func:`scipy.optimize.linear_sum_assignment`), so a drop of five files or a
multi-layer GeoPackage fills five roles. A guess is evidence, never a decision: each carries
the reasons it was made, and the app lets the planner change it.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
from scipy.optimize import linear_sum_assignment

from planner.layers import ATTRIBUTE_ALIASES, ROLES, geometry_kinds

#: Evidence from a word of the layer's name (strongest: people name layers for what they are).
NAME_WEIGHT = 3.0
#: Evidence from a field whose name says the role (population → residential ...).
FIELD_WEIGHT = 2.0
#: Evidence from the geometry alone, for the role a kind of geometry most often is
#: (a lone polygon layer is most often the plots to score; a line layer is roads).
GEOMETRY_WEIGHT = 1.0
#: Below this total the guess is shown as uncertain.
CONFIDENT_SCORE = 2.0

#: Words of a layer's name that say its role (lower case; matched as parts of the name split
#: at non-letters, or as substrings for Chinese). ``planner import-osm`` writes the role names.
NAME_WORDS: dict[str, tuple[str, ...]] = {
    "plots": (
        "plots",
        "plot",
        "parcel",
        "parcels",
        "idle",
        "vacant",
        "candidate",
        "candidates",
        "leftover",
        "site",
        "sites",
        "地块",
        "闲置",
        "边角",
        "空地",
        "候选",
        "用地",
    ),
    "green": (
        "green",
        "greens",
        "park",
        "parks",
        "greenspace",
        "garden",
        "gardens",
        "绿地",
        "公园",
        "绿化",
        "游园",
    ),
    "residential": (
        "residential",
        "residence",
        "housing",
        "house",
        "houses",
        "building",
        "buildings",
        "estate",
        "estates",
        "homes",
        "dwellings",
        "小区",
        "住宅",
        "居住",
        "建筑",
        "楼栋",
        "人口",
    ),
    "roads": (
        "roads",
        "road",
        "street",
        "streets",
        "highway",
        "highways",
        "network",
        "ways",
        "道路",
        "路网",
        "街道",
        "路",
    ),
    "parking": (
        "parking",
        "carpark",
        "carparks",
        "car_park",
        "lot",
        "lots",
        "停车",
        "车位",
        "泊位",
    ),
    "pois": (
        "pois",
        "poi",
        "amenity",
        "amenities",
        "facility",
        "facilities",
        "services",
        "设施",
        "兴趣点",
        "配套",
        "公服",
    ),
    "life_circles": (
        "life_circles",
        "lifecircle",
        "lifecircles",
        "circle",
        "circles",
        "community",
        "communities",
        "生活圈",
        "社区",
    ),
    "constraints": (
        "constraints",
        "constraint",
        "restricted",
        "restriction",
        "flood",
        "heritage",
        "protected",
        "限制",
        "保护",
        "禁建",
        "红线",
        "约束",
    ),
}

#: Fields whose presence says a role: the normalised columns of
#: :data:`planner.layers.ATTRIBUTE_ALIASES` each role reads.
ROLE_FIELDS: dict[str, tuple[str, ...]] = {
    "plots": ("plot_id",),
    "residential": ("population", "floors", "elderly_share", "child_share", "parking_spaces"),
    "roads": ("road_class",),
    "parking": ("capacity",),
    "pois": ("category",),
    "life_circles": ("circle_id",),
    "constraints": ("reason",),
}

#: The role a layer of one geometry kind most often plays when nothing else is known.
GEOMETRY_DEFAULT: dict[str, str] = {"polygon": "plots", "line": "roads", "point": "pois"}

#: Field names that say nothing of a role: identifiers and names every layer may carry.
GENERIC_FIELDS = frozenset(
    {
        "id",
        "fid_1",
        "code",
        "osm_id",
        "type",
        "编号",
        "类型",
        *(a.lower() for k in ("name", "name_en") for a in ATTRIBUTE_ALIASES[k]),
    }
)

_ALIAS_KEYS_OF_ROLE = {
    role: {alias.lower() for key in keys for alias in ATTRIBUTE_ALIASES[key]}
    for role, keys in ROLE_FIELDS.items()
}
# an alias shared by several roles' fields says nothing on its own either
_SHARED = {
    a
    for a in set().union(*_ALIAS_KEYS_OF_ROLE.values())
    if sum(a in v for v in _ALIAS_KEYS_OF_ROLE.values()) > 1
} | GENERIC_FIELDS
_FIELD_WORDS = {role: frozenset(v - _SHARED) for role, v in _ALIAS_KEYS_OF_ROLE.items()}


@dataclass(frozen=True)
class RoleGuess:
    """The guessed role of one layer and why.

    Attributes
    ----------
    role : str or None
        A key of :data:`planner.layers.ROLES`; ``None`` when no role accepts the geometry.
    score : float
        Summed evidence (see the weights of this module).
    reasons : tuple of (str, str)
        What the guess rests on, ``(kind, detail)`` each: ``("name", word)``,
        ``("field", column)``, ``("geometry", kinds)``, or ``("none", "")`` for a layer no
        role takes (the app words them in its language).
    """

    role: str | None
    score: float
    reasons: tuple[tuple[str, str], ...]

    @property
    def confident(self) -> bool:
        """Whether the evidence reaches :data:`CONFIDENT_SCORE`."""
        return self.role is not None and self.score >= CONFIDENT_SCORE


def _name_parts(name: str) -> set[str]:
    stem = re.sub(r"\.[A-Za-z0-9]{1,5}$", "", name.rsplit("/", 1)[-1].rsplit(":", 1)[-1])
    return {p for p in re.split(r"[^0-9a-z\u4e00-\u9fff]+", stem.lower()) if p} | {stem.lower()}


def role_evidence(
    name: str, frame: gpd.GeoDataFrame
) -> dict[str, tuple[float, list[tuple[str, str]]]]:
    """Evidence for every role a layer's geometry allows: ``role -> (score, reasons)``.

    Parameters
    ----------
    name : str
        The file or layer name (``plots.shp``, ``city.gpkg:道路``).
    frame : GeoDataFrame
        The layer as read.

    Returns
    -------
    dict
        Only roles that accept (one of) the layer's geometry kinds; empty when none does
        (an empty layer or one of geometry collections).
    """
    kinds = {k for k in geometry_kinds(frame.geometry) if k in GEOMETRY_DEFAULT}
    parts = _name_parts(name)
    joined = " ".join(sorted(parts))
    fields = {str(c).lower() for c in frame.columns if c != frame.geometry.name}
    out: dict[str, tuple[float, list[tuple[str, str]]]] = {}
    for role, spec in ROLES.items():
        if not kinds or not kinds <= set(spec.kinds):
            continue
        score, why = 0.0, []
        words = [w for w in NAME_WORDS[role] if w in parts or (not w.isascii() and w in joined)]
        if words:
            score += NAME_WEIGHT
            why.append(("name", words[0]))
        hits = sorted(fields & _FIELD_WORDS.get(role, frozenset()))
        if hits:
            score += FIELD_WEIGHT
            why.append(("field", hits[0]))
        if any(GEOMETRY_DEFAULT[k] == role for k in kinds):
            score += GEOMETRY_WEIGHT
            why.append(("geometry", "/".join(sorted(kinds))))
        out[role] = (score, why)
    return out


def guess_role(name: str, frame: gpd.GeoDataFrame) -> RoleGuess:
    """The most likely role of one layer (ties go to the order of :data:`ROLES`).

    Parameters
    ----------
    name : str
        The file or layer name.
    frame : GeoDataFrame
        The layer as read.

    Returns
    -------
    RoleGuess
    """
    return guess_roles({name: frame})[name]


def guess_roles(
    layers: Mapping[str, gpd.GeoDataFrame], taken: Collection[str] = ()
) -> dict[str, RoleGuess]:
    """Distinct roles for several layers at once, maximising the summed evidence.

    Parameters
    ----------
    layers : mapping of str to GeoDataFrame
        Layer (or file) name → the layer as read.
    taken : collection of str
        Roles already given (the planner chose them for other layers): never guessed.

    Returns
    -------
    dict of str to RoleGuess
        One guess per layer, in the order given; two layers never get the same role. A
        layer left without a role (more layers of one kind than roles accept it, or a
        geometry no role takes) has ``role=None``.
    """
    names = list(layers)
    roles = [r for r in ROLES if r not in set(taken)]
    evidence = [role_evidence(n, layers[n]) for n in names]
    # a role a layer's geometry refuses costs more than any assignment can gain
    refused = -1e6
    gain = np.full((len(names), len(roles)), refused)
    for i, ev in enumerate(evidence):
        for j, role in enumerate(roles):
            if role in ev:
                # a whisker of order so equal evidence goes to the earlier role
                gain[i, j] = ev[role][0] - 1e-6 * j
    rows, cols = linear_sum_assignment(gain, maximize=True) if names else ([], [])
    out = {n: RoleGuess(None, 0.0, (("none", ""),)) for n in names}
    for i, j in zip(rows, cols, strict=True):
        if gain[i, j] <= refused / 2:
            continue
        score, why = evidence[i][roles[j]]
        out[names[i]] = RoleGuess(roles[j], score, tuple(why) or (("left", ""),))
    return out
