"""Every criterion and every raw measure, each declared once.

A :class:`Measure` declares a raw column of the score output: what it means (the
description every export carries), the layers it needs and the setting its radius comes from.
A :class:`Criterion` binds measures to a 0–1 score (:mod:`planner.transforms`), its default
weight, its label in both languages and the words that explain it. Everything else is
derived from these two tables: the configuration's default weights and criterion names
(:mod:`planner.config`), the presets' check (:mod:`planner.decision.presets`), the app's
criterion labels (:mod:`planner.app.i18n`), the column descriptions (:mod:`planner.io.columns`)
and the measuring plan of :mod:`planner.scoring.measure`, which computes the columns from the
pure functions in :mod:`planner.criteria.shape`, ``access``, ``park`` and ``parking``.

This module imports only :mod:`planner.standards` and :mod:`planner.transforms`, so the
configuration can read its defaults here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from planner import standards as S
from planner import transforms as T
from planner.errors import ConfigError
from planner.messages import Msg, listing

if TYPE_CHECKING:  # type hints only: planner.config reads its defaults from this module
    from planner.config import Thresholds

ScoreFn = Callable[[pd.DataFrame, "Thresholds"], pd.Series]
PhraseFn = Callable[[pd.DataFrame, "Thresholds"], "pd.Series[str]"]

#: The uses a plot may take, in the order they are reported.
USES = ("pocket_park", "parking")
#: Languages of the criterion labels.
LABEL_LANGUAGES = ("zh", "en")


@dataclass(frozen=True)
class Measure:
    """One raw column of the score output.

    Attributes
    ----------
    column : str
        Its name, by meaning: a configurable radius never appears in it.
    doc : str
        What it means, in one or two sentences; ``{radius}`` stands for the radius it was
        measured at (e.g. ``300 m``), filled from the configuration by :meth:`describe`.
    needs : tuple of str
        Layer roles (besides plots) without which it cannot be measured: the run fills it
        with NaN (one rule for a missing layer, :mod:`planner.scoring.measure`).
    radius : str or float, optional
        Where its radius comes from: the name of a :class:`~planner.config.Thresholds` field,
        or a fixed distance in metres (with its source in :mod:`planner.standards`).
    formerly : tuple of str
        Its earlier names, still accepted where users' files and configurations carry them
        (:data:`planner.io.columns.RENAMED`).
    unmeasured : str, optional
        Why its criterion is left out when every value is NaN although the layers are there
        (a :class:`~planner.messages.Msg`, so that it is said in both languages).
    """

    column: str
    doc: str
    needs: tuple[str, ...] = ()
    radius: str | float | None = None
    formerly: tuple[str, ...] = ()
    unmeasured: str | None = None

    def radius_m(self, thresholds: Thresholds) -> float | None:
        """The radius (m) this measure is taken at under ``thresholds`` (None: no radius)."""
        if isinstance(self.radius, str):
            return float(getattr(thresholds, self.radius))
        return self.radius

    def describe(self, radius_m: float | None = None) -> str:
        """The description with ``radius_m``, the radius it was measured at, filled in.

        Give the run's radius (``attrs["radii_m"]`` of a score output, or
        :meth:`radius_m` of its thresholds) for a measure taken within one.
        """
        if radius_m is None:
            return self.doc
        text = self.doc.format(radius=f"{radius_m:,.0f} m")
        if isinstance(self.radius, str):
            text += f" The radius is thresholds.{self.radius}."
        return text


def _measures(*measures: Measure) -> dict[str, Measure]:
    return {m.column: m for m in measures}


#: Every raw measure, in the order of the raw table (and of the score output's raw columns).
MEASURES: dict[str, Measure] = _measures(
    Measure("area_m2", "Area of the plot in square metres, measured in the local metric CRS."),
    Measure(
        "compactness",
        "Polsby-Popper compactness 4*pi*area/perimeter^2: 1 for a circle, "
        "0.785 for a square, near 0 for a thin strip.",
    ),
    Measure(
        "min_width_m", "Usable width in metres: diameter of the largest circle inside the plot."
    ),
    Measure(
        "est_parking_spaces",
        "Car spaces a surface car park on the plot would hold: stalls "
        "laid out in the plot's outline (JGJ 100-2015 stall and aisle "
        "sizes, aisles reaching the road frontage).",
    ),
    Measure("accessible_stalls", "Accessible (无障碍) stalls among them: 1 in 25, rounded up."),
    Measure(
        "parking_layout",
        "Stall pattern of the layout: 90, 60 or 45 (degrees to the "
        "aisle), parallel, layby (one row entered from the street) or "
        "empty.",
    ),
    Measure(
        "gross_m2_per_stall",
        "Plot area per laid-out stall in square metres (about 25-30 "
        "is efficient; empty when no stall fits).",
    ),
    Measure(
        "parking_layout_reason",
        "Why no stall fits: no access, too small, too narrow, ... (empty when stalls fit).",
    ),
    Measure(
        "nearest_green_m",
        "Distance in metres to the nearest existing park or green space.",
        ("green",),
    ),
    Measure(
        "residents_5min",
        "Residents living within {radius} of the plot (walk where a "
        "network is used; 5-minute life circle, GB 50180-2018).",
        ("residential",),
        "green_radius_m",
        ("residents_300m",),
    ),
    Measure(
        "residents_10min",
        "Residents living within {radius} of the plot (10-minute life circle, GB 50180-2018).",
        ("residential",),
        "park_radius_m",
        ("residents_500m",),
    ),
    Measure(
        "residents_15min",
        "Residents living within {radius} of the plot (15-minute life circle, GB 50180-2018).",
        ("residential",),
        S.LIFE_CIRCLE_15MIN_M,
        ("residents_1000m",),
    ),
    Measure(
        "new_residents_green",
        "Residents within {radius} of the plot who have no green "
        "space within {radius} today (300 m 见绿, GB/T 51346-2019).",
        ("residential", "green"),
        "green_radius_m",
        ("new_residents_300m",),
    ),
    Measure(
        "vulnerable_share",
        "Population-weighted share of elderly people and children "
        "among the residents within {radius}.",
        ("residential",),
        "green_radius_m",
        unmeasured=Msg("criteria.unmeasured_vulnerable_share"),
    ),
    Measure(
        "street_distance_m",
        "Distance in metres from the plot's edge to the nearest street.",
        ("roads",),
    ),
    Measure(
        "car_frontage_m",
        "Length in metres of the plot's boundary along roads cars may use.",
        ("roads",),
    ),
    Measure(
        "nearest_parking_m", "Distance in metres to the nearest existing car park.", ("parking",)
    ),
    Measure(
        "unmet_vehicles_nearby",
        "Residents' cars within {radius} minus existing parking "
        "spaces within {radius} (0 when supply meets demand); "
        "with POIs, the larger of that and the daytime demand of "
        "destinations minus the same spaces.",
        ("residential",),
        "parking_radius_m",
        ("unmet_vehicles_300m",),
    ),
    Measure(
        "parking_demand_served",
        "Unmet cars within {radius} that the plot's stalls would "
        "take: min(stalls, unmet_vehicles_nearby).",
        ("residential",),
        "parking_radius_m",
    ),
    Measure(
        "parking_demand_share_met",
        "Share of the unmet cars within {radius} that the "
        "plot's stalls would take, 0 to 1 (empty when nothing "
        "is unmet).",
        ("residential",),
        "parking_radius_m",
    ),
    Measure(
        "poi_pull_nearby",
        "Weighted count of busy destinations (stations, hospitals, "
        "schools, markets, shops) within {radius}.",
        ("pois",),
        "parking_radius_m",
        ("poi_pull_300m",),
    ),
)


def measure_radii(thresholds: Thresholds) -> dict[str, float]:
    """The radius (m) of every measure taken within one, under ``thresholds``.

    The score output carries it as ``attrs["radii_m"]`` and its column descriptions quote it.
    """
    return {c: r for c, m in MEASURES.items() if (r := m.radius_m(thresholds)) is not None}


@dataclass(frozen=True)
class Criterion:
    """One criterion of one use: the only place it is declared.

    Attributes
    ----------
    use : str
        ``pocket_park`` or ``parking``.
    name : str
        Key in the configuration's weights.
    weight : float
        Default weight (project judgement; the weights of a use sum to 1).
    label_zh, label_en : str
        The criterion's name shown to people (app, map, report).
    measures : tuple of Measure
        The raw measures the score reads.
    rule : str
        The rule in plain words, with its source (English; :meth:`rule_text` gives either
        language).
    score : callable
        ``(raw_table, thresholds) -> Series`` in 0–1 (NaN where not measurable).
    phrase_en, phrase_zh : callable
        ``(raw_table, thresholds) -> Series of str``: the reason in words.
    rule_zh : str
        The rule in Chinese, with the same source and clause.
    """

    use: str
    name: str
    weight: float
    label_zh: str
    label_en: str
    measures: tuple[Measure, ...]
    rule: str
    score: ScoreFn
    phrase_en: PhraseFn
    phrase_zh: PhraseFn
    rule_zh: str = ""

    @property
    def column(self) -> str:
        """Name of the score column in the output."""
        prefix = "park" if self.use == "pocket_park" else "parking"
        return f"{prefix}_{self.name}_score"

    @property
    def raw(self) -> tuple[str, ...]:
        """Raw columns the score reads."""
        return tuple(m.column for m in self.measures)

    @property
    def needs(self) -> tuple[str, ...]:
        """Layer roles (besides plots) that must be present for it to be measured."""
        return tuple(dict.fromkeys(role for m in self.measures for role in m.needs))

    @property
    def key(self) -> str:
        """``<use>.<name>``, as in the run's list of criteria left out."""
        return f"{self.use}.{self.name}"

    def label(self, lang: str) -> str:
        """The label in ``lang`` (``zh`` or ``en``)."""
        if lang not in LABEL_LANGUAGES:
            raise ConfigError(
                Msg("criteria.unknown_language", lang=lang, langs=listing(LABEL_LANGUAGES))
            )
        return self.label_zh if lang == "zh" else self.label_en

    def rule_text(self, lang: str) -> str:
        """The rule, with its source, in ``lang`` (``zh`` or ``en``)."""
        if lang not in LABEL_LANGUAGES:
            raise ConfigError(
                Msg("criteria.unknown_language", lang=lang, langs=listing(LABEL_LANGUAGES))
            )
        return self.rule_zh if lang == "zh" else self.rule


def _fmt(values: pd.Series, spec: str, inf: str = "∞") -> pd.Series:
    return pd.Series(
        [
            inf if np.isinf(v) else ("?" if v != v else format(v, spec))
            for v in values.to_numpy(dtype=float)
        ],
        index=values.index,
    )


def _phrase(template: str, column: str, spec: str = ",.0f") -> PhraseFn:
    def phrase(raw: pd.DataFrame, t: Thresholds) -> pd.Series:
        return _fmt(raw[column], spec).map(lambda v: template.format(v=v, t=t))

    return phrase


def _m(*columns: str) -> tuple[Measure, ...]:
    return tuple(MEASURES[c] for c in columns)


PARK_CRITERIA: tuple[Criterion, ...] = (
    Criterion(
        "pocket_park",
        "green_gap",
        0.25,
        "距现状绿地距离",
        "Distance to green space",
        _m("nearest_green_m"),
        "Distance to the nearest existing green space: 0 at the plot, 0.5 at the 300 m "
        "green-space radius, 1 at and beyond the 500 m park radius ('green within 300 m, a "
        "park within 500 m', GB/T 51346-2019 4.3.4).",
        lambda r, t: T.ramp(
            r["nearest_green_m"], [(0.0, 0.0), (t.green_radius_m, 0.5), (t.park_radius_m, 1.0)]
        ),
        _phrase("{v} m to the nearest green space", "nearest_green_m"),
        _phrase("距最近绿地{v}米", "nearest_green_m"),
        rule_zh="距最近现状绿地的距离：在绿地处为 0，300 米见绿半径处为 0.5，"
        "500 米公园半径及以外为 1"
        "（“300 米见绿、500 米见园”，GB/T 51346-2019 第 4.3.4 条）。",
    ),
    Criterion(
        "pocket_park",
        "new_coverage",
        0.30,
        "新增覆盖居民",
        "Residents newly covered",
        _m("new_residents_green"),
        "Residents within 300 m of the plot who are not within 300 m of green space today "
        "(GB/T 51346-2019, 'green within 300 m'); full score at the 5,000 residents of a "
        "5-minute life circle (GB 50180-2018).",
        lambda r, t: T.saturating(r["new_residents_green"], t.new_coverage_saturation),
        _phrase(
            "{v} residents newly within {t.green_radius_m:.0f} m of green", "new_residents_green"
        ),
        _phrase("新增{v}名居民{t.green_radius_m:.0f}米见绿", "new_residents_green"),
        rule_zh="地块 300 米内、目前 300 米内尚无绿地的居民数（GB/T 51346-2019“300 米见绿”）；"
        "达到 5 分钟生活圈的 5,000 名居民时得满分（GB 50180-2018）。",
    ),
    Criterion(
        "pocket_park",
        "area_fit",
        0.15,
        "面积适宜",
        "Area fit",
        _m("area_m2"),
        "Area within the pocket-park range 400–10,000 m² (MOHURD pocket-park construction "
        "guide (trial), 2024): 1 inside, 0 below, falling as max/area above.",
        lambda r, t: T.ideal_range(
            r["area_m2"], t.pocket_park_min_area_m2, t.pocket_park_max_area_m2
        ),
        _phrase(
            "area {v} m² (pocket-park range {t.pocket_park_min_area_m2:,.0f}–"
            "{t.pocket_park_max_area_m2:,.0f} m²)",
            "area_m2",
        ),
        _phrase(
            "面积{v}平方米（口袋公园{t.pocket_park_min_area_m2:,.0f}–"
            "{t.pocket_park_max_area_m2:,.0f}平方米）",
            "area_m2",
        ),
        rule_zh="面积在口袋公园范围 400–10,000 m² 内（住房和城乡建设部《口袋公园建设指南（试行）》"
        "2024）：范围内为 1，小于下限为 0，大于上限时按 上限/面积 递减。",
    ),
    Criterion(
        "pocket_park",
        "shape",
        0.10,
        "形状可用",
        "Usable shape",
        _m("compactness", "min_width_m"),
        "Usable shape: Polsby–Popper compactness (full at 0.5, a 1 × 4 rectangle) times usable "
        "width (full at 10 m, a path with planting either side; project assumption).",
        lambda r, t: (
            T.saturating(r["compactness"], 0.5)
            * T.saturating(r["min_width_m"], t.pocket_park_min_width_m)
        ),
        lambda r, t: (
            _fmt(r["min_width_m"], ".0f")
            .radd("usable width ")
            .str.cat(_fmt(r["compactness"], ".2f"), sep=" m, compactness ")
        ),
        lambda r, t: (
            _fmt(r["min_width_m"], ".0f")
            .radd("可用宽度")
            .str.cat(_fmt(r["compactness"], ".2f"), sep="米，紧凑度")
        ),
        rule_zh="形状可用：Polsby–Popper 紧凑度（0.5 即 1 × 4 的矩形时满分）乘以可用宽度"
        "（10 米、一条两侧种植的园路时满分；项目假定）。",
    ),
    Criterion(
        "pocket_park",
        "street_access",
        0.10,
        "临街可达",
        "Street access",
        _m("street_distance_m"),
        "Street access: 1 up to the frontage distance (10 m), falling to 0 at 100 m from any "
        "street (project assumption).",
        lambda r, t: T.decay(r["street_distance_m"], t.frontage_buffer_m, t.street_access_max_m),
        _phrase("{v} m from the nearest street", "street_distance_m"),
        _phrase("距最近道路{v}米", "street_distance_m"),
        rule_zh="临街可达：距道路不超过临街距离（10 米）为 1，"
        "距任何道路 100 米时降至 0（项目假定）。",
    ),
    Criterion(
        "pocket_park",
        "vulnerable_share",
        0.10,
        "老人和儿童占比",
        "Elderly and children",
        _m("vulnerable_share"),
        "Share of elderly and children among residents within 300 m (pocket-park guidance: suit "
        "the elderly and children); full at 50 % (project assumption).",
        lambda r, t: T.saturating(r["vulnerable_share"], t.vulnerable_share_saturation),
        _phrase("{v} of nearby residents are elderly or children", "vulnerable_share", ".0%"),
        _phrase("周边老人和儿童占{v}", "vulnerable_share", ".0%"),
        rule_zh="300 米内居民中老人和儿童的占比（口袋公园指南：适老适幼）；"
        "占比 50% 时满分（项目假定）。",
    ),
)

PARKING_CRITERIA: tuple[Criterion, ...] = (
    Criterion(
        "parking",
        "demand",
        0.35,
        "停车缺口",
        "Unmet parking demand",
        _m("unmet_vehicles_nearby"),
        "Cars of households within 300 m (population / household size × cars per household, "
        "night-time match about 1:1, 2015 urban parking planning guide) minus existing spaces "
        "within 300 m; with a POI layer, the larger of that night gap and the daytime gap of "
        "destinations (planner.parking.demand); full at 300 unmet cars (project assumption).",
        lambda r, t: T.saturating(r["unmet_vehicles_nearby"], t.demand_saturation_vehicles),
        _phrase(
            "{v} cars without a space within {t.parking_radius_m:.0f} m", "unmet_vehicles_nearby"
        ),
        _phrase("{t.parking_radius_m:.0f}米内约{v}辆车无车位", "unmet_vehicles_nearby"),
        rule_zh="300 米内住户的车辆数（人口 ÷ 户均人数 × 户均车辆数，夜间约 1:1 配建，"
        "2015 年《城市停车设施规划导则》）减去 300 米内现状车位；有 POI 图层时取夜间缺口与"
        "目的地日间缺口的较大者；缺口 300 辆时满分（项目假定）。",
    ),
    Criterion(
        "parking",
        "parking_gap",
        0.20,
        "距现状停车场距离",
        "Distance to car parks",
        _m("nearest_parking_m"),
        "Distance to the nearest existing car park: 0 at it, 1 at and beyond the 300 m walk "
        "people accept (2015 parking guide, check).",
        lambda r, t: T.ramp(r["nearest_parking_m"], [(0.0, 0.0), (t.parking_radius_m, 1.0)]),
        _phrase("{v} m to the nearest existing car park", "nearest_parking_m"),
        _phrase("距最近停车场{v}米", "nearest_parking_m"),
        rule_zh="距最近现状停车场的距离：在停车场处为 0，达到可接受步行距离 300 米及以外为 1"
        "（2015 年《城市停车设施规划导则》，待核）。",
    ),
    Criterion(
        "parking",
        "road_access",
        0.15,
        "临路条件",
        "Road frontage",
        _m("car_frontage_m"),
        "Frontage on a road cars may use: full at 7 m, a two-lane entrance (JGJ 100-2015, check).",
        lambda r, t: T.saturating(r["car_frontage_m"], t.frontage_full_m),
        _phrase("{v} m of frontage on a road cars may use", "car_frontage_m"),
        _phrase("临可通车道路{v}米", "car_frontage_m"),
        rule_zh="临可通车道路的长度：7 米（双车道出入口）时满分（JGJ 100-2015，待核）。",
    ),
    Criterion(
        "parking",
        "capacity",
        0.15,
        "车位容量",
        "Stall capacity",
        _m("est_parking_spaces"),
        "Estimated 2.5 × 5.3 m stalls (JGJ 100-2015): 0 below the minimum worth a car park "
        "(5), full at 100.",
        lambda r, t: T.saturating(r["est_parking_spaces"], t.stalls_saturation).where(
            r["est_parking_spaces"] >= t.min_stalls, 0.0
        ),
        _phrase("room for about {v} stalls", "est_parking_spaces"),
        _phrase("约可停{v}辆车", "est_parking_spaces"),
        rule_zh="按 2.5 × 5.3 米车位估算的车位数（JGJ 100-2015）：低于值得建停车场的下限（5 个）"
        "为 0，100 个时满分。",
    ),
    Criterion(
        "parking",
        "poi_proximity",
        0.15,
        "周边人流设施",
        "Busy destinations",
        _m("poi_pull_nearby"),
        "Busy destinations within 300 m weighted by their daytime pull (station 3, hospital 3, "
        "market 2, commercial 2, school 1; project assumption), full at 6.",
        lambda r, t: T.saturating(r["poi_pull_nearby"], t.poi_saturation),
        _phrase(
            "busy destinations nearby (weighted {v} within {t.parking_radius_m:.0f} m)",
            "poi_pull_nearby",
            ".1f",
        ),
        _phrase("{t.parking_radius_m:.0f}米内人流设施加权{v}", "poi_pull_nearby", ".1f"),
        rule_zh="300 米内人流设施按日间吸引力加权（车站 3、医院 3、市场 2、商业 2、学校 1；"
        "项目假定），加权 6 时满分。",
    ),
)

#: The criteria of each use, in the order they are reported.
CRITERIA: dict[str, tuple[Criterion, ...]] = {
    "pocket_park": PARK_CRITERIA,
    "parking": PARKING_CRITERIA,
}


def default_weights(use: str) -> dict[str, float]:
    """The default weight of every criterion of ``use`` (a fresh dict)."""
    return {c.name: c.weight for c in CRITERIA[use]}


def criterion_named(name: str) -> Criterion:
    """The criterion called ``name`` (criterion names are unique across uses).

    Raises
    ------
    KeyError
        No criterion has that name.
    """
    for criteria in CRITERIA.values():
        for crit in criteria:
            if crit.name == name:
                return crit
    raise KeyError(name)
