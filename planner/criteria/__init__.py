"""The criteria of each use: what is measured, how it is scored, and where the rule comes from.

A :class:`Criterion` binds a raw measure (a column computed by :mod:`planner.scoring` from
the pure functions in :mod:`planner.criteria.shape`, ``access``, ``park`` and ``parking``)
to a 0–1 score (:mod:`planner.transforms`) and to the words that explain it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from planner import transforms as T

if TYPE_CHECKING:  # type hints only: planner.config checks [transforms] against CRITERIA, so a
    # run-time import here would close the loop config -> transform_config -> criteria -> config
    from planner.config import Thresholds

ScoreFn = Callable[[pd.DataFrame, "Thresholds"], pd.Series]
PhraseFn = Callable[[pd.DataFrame, "Thresholds"], "pd.Series[str]"]


@dataclass(frozen=True)
class Criterion:
    """One criterion of one use.

    Attributes
    ----------
    use : str
        ``pocket_park`` or ``parking``.
    name : str
        Key in the configuration's weights.
    raw : tuple of str
        Raw columns the score reads.
    needs : tuple of str
        Layer roles that must be present (besides plots) for it to be measured.
    rule : str
        The rule in plain words, with its source.
    score : callable
        ``(raw_table, thresholds) -> Series`` in 0–1 (NaN where not measurable).
    phrase_en, phrase_zh : callable
        ``(raw_table, thresholds) -> Series of str``: the reason in words.
    """

    use: str
    name: str
    raw: tuple[str, ...]
    needs: tuple[str, ...]
    rule: str
    score: ScoreFn
    phrase_en: PhraseFn
    phrase_zh: PhraseFn

    @property
    def column(self) -> str:
        """Name of the score column in the output."""
        prefix = "park" if self.use == "pocket_park" else "parking"
        return f"{prefix}_{self.name}_score"


def _fmt(values: pd.Series, spec: str, inf: str = "∞") -> pd.Series:
    return pd.Series([inf if np.isinf(v) else ("?" if v != v else format(v, spec))
                      for v in values.to_numpy(dtype=float)], index=values.index)


def _phrase(template: str, column: str, spec: str = ",.0f") -> PhraseFn:
    def phrase(raw: pd.DataFrame, t: Thresholds) -> pd.Series:
        return _fmt(raw[column], spec).map(lambda v: template.format(v=v, t=t))
    return phrase


PARK_CRITERIA: tuple[Criterion, ...] = (
    Criterion(
        "pocket_park", "green_gap", ("nearest_green_m",), ("green",),
        "Distance to the nearest existing green space: 0 at the plot, 0.5 at the 300 m "
        "green-space radius, 1 at and beyond the 500 m park radius ('300 m 见绿, 500 m 见园', "
        "GB/T 51346-2019 4.3.4).",
        lambda r, t: T.ramp(r["nearest_green_m"], [(0.0, 0.0), (t.green_radius_m, 0.5),
                                                   (t.park_radius_m, 1.0)]),
        _phrase("{v} m to the nearest green space", "nearest_green_m"),
        _phrase("距最近绿地{v}米", "nearest_green_m"),
    ),
    Criterion(
        "pocket_park", "new_coverage", ("new_residents_300m",), ("residential", "green"),
        "Residents within 300 m of the plot who are not within 300 m of green space today "
        "(GB/T 51346-2019 '300 m 见绿'); full score at the 5,000 residents of a 5-minute life "
        "circle (GB 50180-2018).",
        lambda r, t: T.saturating(r["new_residents_300m"], t.new_coverage_saturation),
        _phrase("{v} residents newly within {t.green_radius_m:.0f} m of green",
                "new_residents_300m"),
        _phrase("新增{v}名居民{t.green_radius_m:.0f}米见绿", "new_residents_300m"),
    ),
    Criterion(
        "pocket_park", "area_fit", ("area_m2",), (),
        "Area within the pocket-park range 400–10,000 m² (MOHURD 《口袋公园建设指南（试行）》"
        " 2024): 1 inside, 0 below, falling as max/area above.",
        lambda r, t: T.ideal_range(r["area_m2"], t.pocket_park_min_area_m2,
                                   t.pocket_park_max_area_m2),
        _phrase("area {v} m² (pocket-park range {t.pocket_park_min_area_m2:,.0f}–"
                "{t.pocket_park_max_area_m2:,.0f} m²)", "area_m2"),
        _phrase("面积{v}平方米（口袋公园{t.pocket_park_min_area_m2:,.0f}–"
                "{t.pocket_park_max_area_m2:,.0f}平方米）", "area_m2"),
    ),
    Criterion(
        "pocket_park", "shape", ("compactness", "min_width_m"), (),
        "Usable shape: Polsby–Popper compactness (full at 0.5, a 1 × 4 rectangle) times usable "
        "width (full at 10 m, a path with planting either side; project assumption).",
        lambda r, t: (T.saturating(r["compactness"], 0.5)
                      * T.saturating(r["min_width_m"], t.pocket_park_min_width_m)),
        lambda r, t: _fmt(r["min_width_m"], ".0f").radd("usable width ").str.cat(
            _fmt(r["compactness"], ".2f"), sep=" m, compactness "),
        lambda r, t: _fmt(r["min_width_m"], ".0f").radd("可用宽度").str.cat(
            _fmt(r["compactness"], ".2f"), sep="米，紧凑度"),
    ),
    Criterion(
        "pocket_park", "street_access", ("street_distance_m",), ("roads",),
        "Street access: 1 up to the frontage distance (10 m), falling to 0 at 100 m from any "
        "street (project assumption).",
        lambda r, t: T.decay(r["street_distance_m"], t.frontage_buffer_m,
                             t.street_access_max_m),
        _phrase("{v} m from the nearest street", "street_distance_m"),
        _phrase("距最近道路{v}米", "street_distance_m"),
    ),
    Criterion(
        "pocket_park", "vulnerable_share", ("vulnerable_share",), ("residential",),
        "Share of elderly and children among residents within 300 m (pocket-park guidance: suit "
        "the elderly and children); full at 50 % (project assumption).",
        lambda r, t: T.saturating(r["vulnerable_share"], t.vulnerable_share_saturation),
        _phrase("{v} of nearby residents are elderly or children", "vulnerable_share", ".0%"),
        _phrase("周边老人和儿童占{v}", "vulnerable_share", ".0%"),
    ),
)

PARKING_CRITERIA: tuple[Criterion, ...] = (
    Criterion(
        "parking", "demand", ("unmet_vehicles_300m",), ("residential",),
        "Cars of households within 300 m (population / household size × cars per household, "
        "night-time match about 1:1, 2015 城市停车设施规划导则) minus existing spaces within "
        "300 m; with a POI layer, the larger of that night gap and the daytime gap of "
        "destinations (planner.parking.demand); full at 300 unmet cars (project assumption).",
        lambda r, t: T.saturating(r["unmet_vehicles_300m"], t.demand_saturation_vehicles),
        _phrase("{v} cars without a space within {t.parking_radius_m:.0f} m",
                "unmet_vehicles_300m"),
        _phrase("{t.parking_radius_m:.0f}米内约{v}辆车无车位", "unmet_vehicles_300m"),
    ),
    Criterion(
        "parking", "parking_gap", ("nearest_parking_m",), ("parking",),
        "Distance to the nearest existing car park: 0 at it, 1 at and beyond the 300 m walk "
        "people accept (2015 parking guide, check).",
        lambda r, t: T.ramp(r["nearest_parking_m"], [(0.0, 0.0), (t.parking_radius_m, 1.0)]),
        _phrase("{v} m to the nearest existing car park", "nearest_parking_m"),
        _phrase("距最近停车场{v}米", "nearest_parking_m"),
    ),
    Criterion(
        "parking", "road_access", ("car_frontage_m",), ("roads",),
        "Frontage on a road cars may use: full at 7 m, a two-lane entrance (JGJ 100-2015, check).",
        lambda r, t: T.saturating(r["car_frontage_m"], t.frontage_full_m),
        _phrase("{v} m of frontage on a road cars may use", "car_frontage_m"),
        _phrase("临可通车道路{v}米", "car_frontage_m"),
    ),
    Criterion(
        "parking", "capacity", ("est_parking_spaces",), (),
        "Estimated 2.5 × 5.3 m stalls (JGJ 100-2015): 0 below the minimum worth a car park "
        "(5), full at 100.",
        lambda r, t: T.saturating(r["est_parking_spaces"], t.stalls_saturation).where(
            r["est_parking_spaces"] >= t.min_stalls, 0.0),
        _phrase("room for about {v} stalls", "est_parking_spaces"),
        _phrase("约可停{v}辆车", "est_parking_spaces"),
    ),
    Criterion(
        "parking", "poi_proximity", ("poi_pull_300m",), ("pois",),
        "Busy destinations within 300 m weighted by their daytime pull (station 3, hospital 3, "
        "market 2, commercial 2, school 1; project assumption), full at 6.",
        lambda r, t: T.saturating(r["poi_pull_300m"], t.poi_saturation),
        _phrase("busy destinations nearby (weighted {v} within {t.parking_radius_m:.0f} m)",
                "poi_pull_300m", ".1f"),
        _phrase("{t.parking_radius_m:.0f}米内人流设施加权{v}", "poi_pull_300m", ".1f"),
    ),
)

CRITERIA: dict[str, tuple[Criterion, ...]] = {"pocket_park": PARK_CRITERIA,
                                              "parking": PARKING_CRITERIA}
