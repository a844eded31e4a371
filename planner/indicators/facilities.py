"""Facility types of the fifteen-minute life circle and where the data has them.

GB 50180-2018 (appendix B, 配套设施设置规定) and TD/T 1062-2021 (社区生活圈规划技术指南) list the
facilities each life-circle level provides within its walking distance (5 minutes 300 m,
10 minutes 500 m, 15 minutes 1,000 m). :data:`FACILITY_TYPES` is the part of those lists a
planner's layers can show: POIs matched by words in any of their text columns (name, category,
type ...), residential parks from the green layer (with the plots chosen as pocket parks), and
car parks from the parking layer (with the plots chosen for parking). A POI may match several
types; a ``school`` or ``学校`` that names no level (nor a kindergarten, college or university)
counts as a primary and a middle school. A word written ``=word`` matches a whole attribute
value only (``=station``: the planner's POI category, not "fire station").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

import geopandas as gpd
import numpy as np
import pandas as pd

from planner import standards as S

Source = Literal["pois", "parks", "parking"]

_GB50180 = "GB 50180-2018 appendix B"
_TDT1062 = "TD/T 1062-2021"


@dataclass(frozen=True)
class FacilityType:
    """A kind of facility a life-circle level provides.

    Attributes
    ----------
    key : str
    name_zh, name_en : str
    minutes : int
        Life-circle level (5, 10 or 15): residents should reach one within its distance.
    source : {"pois", "parks", "parking"}
        Where it is found.
    words : tuple of str
        POI text that marks it (lower case, English and Chinese; OSM values included).
    generic : tuple of str
        Words that mark it only when the POI has none of the ``generic_unless`` words.
    generic_unless : tuple of str
    clause : str
    """

    key: str
    name_zh: str
    name_en: str
    minutes: int
    source: Source
    words: tuple[str, ...] = ()
    generic: tuple[str, ...] = ()
    generic_unless: tuple[str, ...] = ()
    clause: str = _GB50180

    @property
    def min_park_m2(self) -> float:
        """Smallest park of this level (parks only; GB 50180-2018 table 4.0.4)."""
        return S.LIFE_CIRCLE_PARK_MIN_M2[self.minutes]


_SCHOOL = ("school", "学校")
_KINDERGARTEN = ("kindergarten", "childcare", "nursery", "幼儿园", "托儿所", "托育")
_PRIMARY = ("primary", "elementary", "小学")
_MIDDLE = ("middle_school", "secondary", "middle school", "中学", "初中")
#: A school naming one of these is not a primary or middle school of unnamed level.
_NOT_UNNAMED_SCHOOL = (
    *_KINDERGARTEN,
    *_PRIMARY,
    *_MIDDLE,
    "college",
    "university",
    "大学",
    "学院",
    "driving",
)

#: The facility types of the card, by level (GB 50180-2018 appendix B, TD/T 1062-2021).
FACILITY_TYPES: tuple[FacilityType, ...] = (
    FacilityType(
        "kindergarten", "幼儿园、托儿所", "kindergarten or nursery", 5, "pois", _KINDERGARTEN
    ),
    FacilityType(
        "community_clinic",
        "社区卫生服务站",
        "community clinic",
        5,
        "pois",
        ("clinic", "doctors", "卫生服务站", "卫生室", "诊所"),
    ),
    FacilityType(
        "elderly_day_care",
        "老年人日间照料中心",
        "elderly day care",
        5,
        "pois",
        ("day_care", "日间照料", "养老驿站", "托老"),
    ),
    FacilityType(
        "convenience_store",
        "便利店、超市",
        "convenience store or supermarket",
        5,
        "pois",
        ("convenience", "supermarket", "便利店", "超市"),
    ),
    FacilityType(
        "fitness_ground",
        "室外综合健身场地、运动场",
        "outdoor fitness or sports ground",
        5,
        "pois",
        ("fitness", "sports_centre", "pitch", "健身", "运动场", "体育"),
    ),
    FacilityType(
        "car_park",
        "机动车停车场",
        "car park",
        5,
        "parking",
        ("parking", "停车场"),
        clause=f"{_GB50180} (居住街坊)",
    ),
    FacilityType(
        "park_5min",
        "居住区公园（≥ 0.4 公顷）",
        "residential park (>= 0.4 ha)",
        5,
        "parks",
        clause="GB 50180-2018 table 4.0.4 (check)",
    ),
    FacilityType(
        "primary_school",
        "小学",
        "primary school",
        10,
        "pois",
        _PRIMARY,
        _SCHOOL,
        _NOT_UNNAMED_SCHOOL,
    ),
    FacilityType(
        "food_market",
        "菜市场或生鲜超市",
        "food market",
        10,
        "pois",
        ("market", "greengrocer", "菜市场", "农贸市场", "生鲜"),
    ),
    FacilityType(
        "park_10min",
        "居住区公园（≥ 1 公顷）",
        "residential park (>= 1 ha)",
        10,
        "parks",
        clause="GB 50180-2018 table 4.0.4",
    ),
    FacilityType(
        "middle_school", "初中", "middle school", 15, "pois", _MIDDLE, _SCHOOL, _NOT_UNNAMED_SCHOOL
    ),
    FacilityType(
        "health_centre",
        "社区卫生服务中心（社区医院）",
        "community health centre or hospital",
        15,
        "pois",
        ("hospital", "health_centre", "卫生服务中心", "社区医院", "医院"),
    ),
    FacilityType(
        "elderly_home",
        "养老院",
        "home for the elderly",
        15,
        "pois",
        ("nursing_home", "养老院", "敬老院", "老年公寓", "福利院"),
    ),
    FacilityType(
        "culture_centre",
        "文化活动中心",
        "cultural centre or library",
        15,
        "pois",
        ("arts_centre", "library", "community_centre", "文化活动", "文化中心", "文化馆", "图书馆"),
    ),
    FacilityType(
        "community_service",
        "社区服务中心、街道办事处",
        "community service centre",
        15,
        "pois",
        ("community_centre", "townhall", "社区服务", "社区中心", "街道办", "党群服务"),
        clause=f"{_GB50180}; {_TDT1062}",
    ),
    FacilityType(
        "shopping",
        "商场",
        "shopping centre or shops",
        15,
        "pois",
        ("commercial", "mall", "department_store", "商场", "购物中心", "商业"),
    ),
    FacilityType(
        "transit_station",
        "轨道交通站点、公交首末站",
        "rail or bus station",
        15,
        "pois",
        (
            "=station",
            "subway",
            "metro",
            "railway",
            "bus_station",
            "bus station",
            "地铁",
            "车站",
            "公交",
        ),
        clause=f"{_GB50180}; {_TDT1062}",
    ),
    FacilityType(
        "park_15min",
        "居住区公园（≥ 5 公顷）",
        "residential park (>= 5 ha)",
        15,
        "parks",
        clause="GB 50180-2018 table 4.0.4 (check)",
    ),
)
#: Life-circle levels, minutes.
LEVELS = (5, 10, 15)


def poi_text(pois: gpd.GeoDataFrame | None) -> pd.Series:
    """Every text attribute of each POI, lower case, joined by ``|`` (empty without POIs)."""
    if pois is None or len(pois) == 0:
        return pd.Series([], dtype="string")
    cols = [
        pois[c].astype("string").str.lower().fillna("")
        for c in pois.columns
        if c != pois.geometry.name
        and (pois[c].dtype == object or isinstance(pois[c].dtype, pd.StringDtype))
    ]
    if not cols:
        return pd.Series("", index=pois.index, dtype="string")
    out = cols[0]
    for col in cols[1:]:  # a handful of columns, each joined vectorised
        out = out + "|" + col
    return out


def _pattern(word: str) -> str:
    """A word as a regular expression: ``=word`` a whole value, else anywhere."""
    if word.startswith("="):
        return r"(?:^|\|)" + re.escape(word[1:]) + r"(?:\||$)"
    return re.escape(word)


def _matches(text: pd.Series, words: tuple[str, ...]) -> np.ndarray:
    if not words or len(text) == 0:
        return np.zeros(len(text), dtype=bool)
    pattern = "|".join(map(_pattern, words))
    return text.str.contains(pattern, regex=True).to_numpy(dtype=bool)


def poi_matches(
    pois: gpd.GeoDataFrame | None, types: tuple[FacilityType, ...] = FACILITY_TYPES
) -> pd.DataFrame:
    """Which POI is which facility type, one row per POI.

    A boolean column per type found among POIs (``source`` ``pois`` or ``parking``); a type's
    ``generic`` words count for POIs with none of its ``generic_unless`` words.
    """
    text = poi_text(pois)
    out = {}
    for t in types:  # a score of types, each matched vectorised over the POIs
        if t.source == "parks":
            continue
        hit = _matches(text, t.words)
        if t.generic:
            hit |= _matches(text, t.generic) & ~_matches(text, t.generic_unless)
        out[t.key] = hit
    return pd.DataFrame(out, index=text.index)


def facility_types_table(types: tuple[FacilityType, ...] = FACILITY_TYPES) -> pd.DataFrame:
    """Every facility type: level, distance, where it is found and the words that mark it."""
    dist = {5: S.LIFE_CIRCLE_5MIN_M, 10: S.LIFE_CIRCLE_10MIN_M, 15: S.LIFE_CIRCLE_15MIN_M}
    rows = []
    for t in types:
        if t.source == "parks":
            found = f"green layer and new pocket parks, >= {t.min_park_m2:,.0f} m²"
        elif t.source == "parking":
            found = "parking layer, new car parks, and POIs: " + ", ".join(t.words)
        else:
            found = "POIs: " + ", ".join(t.words)
            if t.generic:
                found += f"; also {', '.join(t.generic)} without {', '.join(t.generic_unless)}"
        rows.append(
            {
                "facility": t.key,
                "name_zh": t.name_zh,
                "name_en": t.name_en,
                "level_minutes": t.minutes,
                "distance_m": dist[t.minutes],
                "found_in": found,
                "clause": t.clause,
            }
        )
    return pd.DataFrame(rows)
