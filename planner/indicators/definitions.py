"""What each indicator of the card is: its name in both languages, formula, clause and target.

The park service-radius tiers (:data:`PARK_SERVICE_TIERS`) are here too: the official
coverage counts each park green space at the radius of its size class. Every number comes
from :mod:`planner.standards`, where its source stands beside it.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from planner import standards as S

#: Side (m) of the square cells residential land is cut into to measure coverage on foot: each
#: cell walks from one point (a measuring resolution, not a planning figure).
INDICATOR_CELL_M = 20.0


@dataclass(frozen=True)
class ParkTier:
    """A park size class and the radius it serves.

    Attributes
    ----------
    min_area_m2 : float
        Smallest park (m², after touching green polygons are merged) of the class.
    radius_m : float
        Service radius (m).
    name_zh, name_en : str
        The class, in both languages.
    clause : str
        Where the figures come from.
    """

    min_area_m2: float
    radius_m: float
    name_zh: str
    name_en: str
    clause: str


#: Park service-radius tiers, smallest park first (see :mod:`planner.standards`).
PARK_SERVICE_TIERS: tuple[ParkTier, ...] = (
    ParkTier(
        S.PARK_TIER_GREEN_MIN_M2,
        S.PARK_TIER_GREEN_RADIUS_M,
        "游园、口袋公园（300 米见绿）",
        "garden or pocket park (green within 300 m)",
        "MOHURD 2022 pocket parks >= 400 m²; 城市体检 公园绿化活动场地 (check)",
    ),
    ParkTier(
        S.PARK_TIER_PARK_MIN_M2,
        S.PARK_TIER_PARK_RADIUS_M,
        "公园（500 米见园）",
        "park (a park within 500 m)",
        "GB/T 50563-2010 appendix (>= 5,000 m² at 500 m); GB/T 51346-2019 4.3.4 (check)",
    ),
    ParkTier(
        S.PARK_TIER_COMMUNITY_MIN_M2,
        S.PARK_TIER_COMMUNITY_RADIUS_M,
        "社区公园（5–10 公顷）",
        "community park (5–10 ha)",
        "GB/T 51346-2019 公园绿地分级设置: 800–1,000 m (check)",
    ),
    ParkTier(
        S.PARK_TIER_DISTRICT_MIN_M2,
        S.PARK_TIER_DISTRICT_RADIUS_M,
        "综合公园（10–20 公顷）",
        "comprehensive park (10–20 ha)",
        "GB/T 51346-2019 公园绿地分级设置: 1,200–2,000 m (check)",
    ),
    ParkTier(
        S.PARK_TIER_REGIONAL_MIN_M2,
        S.PARK_TIER_REGIONAL_RADIUS_M,
        "综合公园（20–50 公顷）",
        "comprehensive park (20–50 ha)",
        "GB/T 51346-2019 公园绿地分级设置: 2,000–3,000 m (check)",
    ),
    ParkTier(
        S.PARK_TIER_CITY_MIN_M2,
        S.PARK_TIER_CITY_RADIUS_M,
        "综合公园（50 公顷以上）",
        "comprehensive park (50 ha and more)",
        "GB/T 51346-2019 公园绿地分级设置: > 3,000 m (check)",
    ),
)


@dataclass(frozen=True)
class Indicator:
    """One indicator of the card.

    Attributes
    ----------
    key : str
        Name in the ``indicator`` column.
    name_zh, name_en : str
    unit : str
        ``%``, ``m²/resident``, ``vehicles`` or ``persons``.
    formula : str
    definition_zh, definition_en : str
    clause : str
        Standard and clause of the indicator and its target.
    target : float or None
        The target value; ``None`` where the standard sets none.
    higher_is_better : bool
        The target is a minimum (else a maximum).
    distance_based : bool
        Measured by distance, so also on foot; else the walking columns stay empty.
    """

    key: str
    name_zh: str
    name_en: str
    unit: str
    formula: str
    definition_zh: str
    definition_en: str
    clause: str
    target: float | None
    higher_is_better: bool = True
    distance_based: bool = True


_COVERAGE_FORMULA = (
    "covered residential land area / residential land area × 100; land is "
    "covered within the radius of a park's size class (park_tiers sheet)"
)
_WALK_NOTE = (
    "Official: straight-line buffers of the parks. On foot: the same, counting a "
    f"{INDICATOR_CELL_M:.0f} m cell of residential land only where its point walks to "
    "such a park within the radius on the street network."
)

#: Every indicator of the card, in the card's order.
INDICATORS: tuple[Indicator, ...] = (
    Indicator(
        "residents",
        "居民数",
        "Residents",
        "persons",
        "sum of the residents of the residential layer (each polygon's spread evenly "
        "over its land)",
        "居住用地上的居民数（按居住用地面积均匀分布）；各指标的人口基数。",
        "Residents on the residential land (spread evenly over each polygon): the base "
        "of every per-resident indicator.",
        "GB 50180-2018 3.0.4 (a 15-minute life circle: 50,000–100,000 residents)",
        None,
        True,
        False,
    ),
    Indicator(
        "park_coverage_land",
        "公园绿地服务半径覆盖率（居住用地）",
        "Park service-radius coverage (residential land)",
        "%",
        _COVERAGE_FORMULA,
        "公园绿地服务半径覆盖的居住用地面积占居住用地总面积的百分比；服务半径按公园规模分级。",
        "Share of residential land within the service radius of park green space, the "
        "radius set by the park's size. " + _WALK_NOTE,
        "GB/T 51346-2019 4.3.4 (>= 90 %); GB 55014-2021 2.1.3 (> 80 %)",
        S.PARK_COVERAGE_TARGET_SHARE * 100,
    ),
    Indicator(
        "park_coverage_residents",
        "公园绿地服务半径覆盖率（居民）",
        "Park service-radius coverage (residents)",
        "%",
        "covered residents / residents × 100 (residents spread evenly over their "
        "residential polygon)",
        "公园绿地服务半径覆盖的居民占居民总数的百分比（居民按居住用地面积均匀分布）。",
        "Share of residents within the service radius of park green space (residents "
        "spread evenly over their residential land). " + _WALK_NOTE,
        "GB/T 51346-2019 4.3.4 (>= 90 %, stated for land; applied to residents)",
        S.PARK_COVERAGE_TARGET_SHARE * 100,
    ),
    Indicator(
        "green_300m_residents",
        "300 米见绿（居民）",
        "Green within 300 m (residents)",
        "%",
        "residents within 300 m of green space >= 400 m² / residents × 100",
        "300 米范围内有 400 平方米以上绿地的居民比例。",
        "Share of residents within 300 m of a green space of 400 m² or more.",
        "300 m 见绿 (common practice, check); GB 55014-2021 2.1.3 (> 80 %)",
        S.GREEN_COVERAGE_TARGET_SHARE * 100,
    ),
    Indicator(
        "park_500m_residents",
        "500 米见园（居民）",
        "Park within 500 m (residents)",
        "%",
        "residents within 500 m of a park >= 5,000 m² / residents × 100",
        "500 米范围内有 5000 平方米以上公园的居民比例。",
        "Share of residents within 500 m of a park of 5,000 m² or more.",
        "GB/T 51346-2019 4.3.4 (500 m 见园, >= 90 %)",
        S.PARK_COVERAGE_TARGET_SHARE * 100,
    ),
    Indicator(
        "park_area_per_resident",
        "人均公园绿地面积",
        "Park green space per resident",
        "m²/resident",
        "park green area / residents",
        "公园绿地面积（400 平方米以上、相接绿地合并）除以居民数；生活圈按公园所在生活圈统计。",
        "Area of park green space (400 m² or more, touching green merged) per resident; "
        "a life circle counts the parks that lie in it.",
        "GB 55014-2021 2.1.3 (> 8.0 m²/resident)",
        S.PARK_AREA_PER_RESIDENT_M2,
        distance_based=False,
    ),
    *(
        Indicator(
            f"facilities_{m}min",
            f"{m} 分钟生活圈设施完备度",
            f"{m}-minute life-circle facility completeness",
            "%",
            f"mean over the {m}-minute facility types of the share of residents reaching "
            f"one within {d:,.0f} m × 100",
            f"{m} 分钟生活圈各类配套设施在 {d:,.0f} 米内可达的居民比例之平均"
            "（facility_types 表）。",
            f"Average over the {m}-minute facility types (facility_types sheet) of the share "
            f"of residents who reach one within {d:,.0f} m.",
            "GB 50180-2018 appendix B; TD/T 1062-2021 (all types provided)",
            100.0,
        )
        for m, d in (
            (5, S.LIFE_CIRCLE_5MIN_M),
            (10, S.LIFE_CIRCLE_10MIN_M),
            (15, S.LIFE_CIRCLE_15MIN_M),
        )
    ),
    Indicator(
        "parking_demand",
        "停车需求",
        "Parking demand",
        "vehicles",
        "residents / household size × cars per household × night match − own spaces",
        "居民夜间停车需求（户数 × 户均车辆 × 夜间匹配系数，扣除小区自有车位）。",
        "Residents' night-time parking demand (households × cars per household × night "
        "match, less the estates' own spaces).",
        "2015 城市停车设施规划导则 (night demand about 1:1)",
        None,
        False,
        False,
    ),
    Indicator(
        "parking_supply",
        "公共停车位",
        "Public parking spaces",
        "vehicles",
        "capacity of car parks + stalls of the plots chosen for parking",
        "现状停车场车位数，加上选定停车地块的布置车位数。",
        "Spaces of the existing car parks plus the stalls laid out on the plots chosen "
        "for parking.",
        "JGJ 100-2015 (stall layout)",
        None,
        True,
        False,
    ),
    Indicator(
        "parking_gap",
        "车位缺口",
        "Parking gap",
        "vehicles",
        "demand − supply",
        "停车需求减去公共停车位；负值为富余。",
        "Parking demand less supply; a negative gap is a surplus.",
        "2015 城市停车设施规划导则 (supply >= demand)",
        0.0,
        False,
        False,
    ),
)
#: Indicators by key.
INDICATOR_BY_KEY: dict[str, Indicator] = {i.key: i for i in INDICATORS}


def definitions_table() -> pd.DataFrame:
    """Every indicator's names, unit, formula, definition, clause and target (a sheet)."""
    rows = [
        {
            "indicator": i.key,
            "name_zh": i.name_zh,
            "name_en": i.name_en,
            "unit": i.unit,
            "formula": i.formula,
            "definition_zh": i.definition_zh,
            "definition_en": i.definition_en,
            "clause": i.clause,
            "target": (
                ("≥ " if i.higher_is_better else "≤ ") + f"{i.target:g}"
                if i.target is not None
                else ""
            ),
            "on_foot": "yes" if i.distance_based else "no (not a distance)",
        }
        for i in INDICATORS
    ]
    return pd.DataFrame(rows)


def park_tiers_table(tiers: tuple[ParkTier, ...] = PARK_SERVICE_TIERS) -> pd.DataFrame:
    """The park service-radius tiers (a sheet)."""
    return pd.DataFrame(
        [
            {
                "min_area_m2": t.min_area_m2,
                "radius_m": t.radius_m,
                "name_zh": t.name_zh,
                "name_en": t.name_en,
                "clause": t.clause,
            }
            for t in tiers
        ]
    )
