"""Why each plot was recommended as it was, in English and Chinese, from its :class:`Decision`.

A recommended plot's reason names its use, both scores and the three criteria that added the
most to its use's score (each criterion's own phrase, :attr:`planner.criteria.Criterion.phrase_en`);
a plot with no recommendation gets the hard rules it failed, or its best score below the
threshold; an excluded plot its constraint. Whole-column string work: the cost follows the
number of reasons shown, not plots × criteria.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from planner.config import USES
from planner.criteria import CRITERIA, Criterion
from planner.parallel import Background
from planner.scoring.decide import Decision


def write_reasons(decision: Decision, *, workers: int = 1) -> tuple[pd.Series, pd.Series]:
    """The English and Chinese reasons of every plot.

    With ``workers`` > 1 the Chinese are written in a second process (100,000 plots take
    about a second per language).
    """
    zh = Background(reason_texts, decision, "zh", enabled=workers > 1)
    return reason_texts(decision, "en"), zh.result()


def _top_phrases(
    contrib: pd.DataFrame,
    phrase: Callable[[str, np.ndarray], np.ndarray],
    rows: np.ndarray,
    k: int = 3,
) -> pd.Series:
    """Join the phrases of the ``k`` largest positive contributions of each row in ``rows``.

    ``phrase(criterion, positions)`` returns the criterion's phrases for those row positions;
    it is asked only for the (row, criterion) pairs that are picked, so the cost follows the
    number of reasons shown, not rows × criteria. Rows outside ``rows`` get ``""``.
    """
    out = pd.Series("", index=contrib.index, dtype=object)
    if contrib.shape[1] == 0 or not rows.any():
        return out
    where = np.flatnonzero(rows)
    values = contrib.to_numpy()[where]
    order = np.argsort(-values, axis=1, kind="stable")[:, :k]
    positive = np.take_along_axis(values, order, axis=1) > 0
    picked = np.full(order.shape, "", dtype=object)
    for c, name in enumerate(contrib.columns):  # a loop over criteria (at most six)
        r, slot = np.nonzero((order == c) & positive)
        if len(r):
            picked[r, slot] = phrase(name, where[r])
    out.iloc[where] = ["; ".join(p for p in row if p) for row in picked]
    return out


def reason_texts(decision: Decision, lang: str) -> pd.Series:
    """The reasons of every plot in ``lang`` (``en`` or ``zh``)."""
    d = decision
    raw, t = d.raw, d.thresholds
    p, q = d.park.map("{:.2f}".format), d.parking.map("{:.2f}".format)
    none = d.recommended == "none"
    tops = {}
    for use in USES:
        crits: dict[str, Criterion] = {c.name: c for c in CRITERIA[use]}

        def phrase(name: str, pos: np.ndarray, crits=crits) -> np.ndarray:
            fn = crits[name].phrase_en if lang == "en" else crits[name].phrase_zh
            return fn(raw.iloc[pos], t).to_numpy(dtype=object)

        tops[use] = _top_phrases(d.contributions[use], phrase, d.recommended == use)
    if lang == "en":
        head_park = "pocket park (" + p + " vs parking " + q + "): "
        head_parking = "parking (" + q + " vs pocket park " + p + "): "
    else:
        head_park = "建议口袋公园（" + p + "，停车" + q + "）："
        head_parking = "建议停车（" + q + "，口袋公园" + p + "）："
    # the reasons for no recommendation, written for those plots only
    why_none = pd.Series("", index=raw.index, dtype=object)
    if none.any():
        why_none[none] = _why_none(d, none, lang)
    return pd.Series(
        np.where(
            d.recommended == "pocket_park",
            head_park + tops["pocket_park"],
            np.where(d.recommended == "parking", head_parking + tops["parking"], why_none),
        ),
        index=raw.index,
    )


def _why_none(decision: Decision, rows: np.ndarray, lang: str) -> pd.Series:
    """Why the plots in ``rows`` get no recommendation: the rules they fail, or a low score."""
    d, t, en = decision, decision.thresholds, lang == "en"
    raw = d.raw[rows]
    too_small, few_stalls = d.too_small[rows], d.few_stalls[rows]
    no_car_access = d.no_car_access[rows]
    parts = pd.DataFrame(index=raw.index)
    area = raw["area_m2"].map("{:,.0f}".format)
    stalls = raw["est_parking_spaces"].astype(int).astype(str)
    noun = np.where(stalls == "1", " stall", " stalls")  # room for only 1 stall
    parts["small"] = np.where(
        too_small,
        ("too small for a pocket park (" + area + f" m² < {t.pocket_park_min_area_m2:,.0f} m²)")
        if en
        else ("面积" + area + f"平方米，小于口袋公园下限{t.pocket_park_min_area_m2:,.0f}平方米"),
        "",
    )
    parts["stalls"] = np.where(
        few_stalls,
        ("room for only " + stalls + noun + f" (< {t.min_stalls})")
        if en
        else ("仅可停" + stalls + f"辆车（少于{t.min_stalls}）"),
        "",
    )
    parts["access"] = np.where(
        no_car_access, "no frontage on a road cars may use" if en else "不临可通车道路", ""
    )
    best = np.maximum(d.park[rows], d.parking[rows]).map("{:.2f}".format)
    parts["low"] = np.where(
        ~too_small | ~(few_stalls | no_car_access),
        ("best score " + best + f" is below the {t.recommend_min_score:.2f} threshold")
        if en
        else ("最高得分" + best + f"低于推荐阈值{t.recommend_min_score:.2f}"),
        "",
    )
    # "; ".join of the non-empty parts of each row, as whole-column string operations
    cols = [parts[c].to_numpy(dtype=object) for c in parts.columns]
    joined = cols[0]
    for col in cols[1:]:
        sep = np.where((joined != "") & (col != ""), "; ", "").astype(object)
        joined = joined + sep + col
    joined = pd.Series(joined, index=raw.index, dtype=object)
    head = "no recommendation: " if en else "不推荐："
    excl = (
        ("excluded: inside constraint (" if en else "排除：位于限制区（")
        + d.exclusion_reason[rows].fillna("").astype(str)
        + (")" if en else "）")
    )
    return pd.Series(np.where(d.excluded[rows], excl, head + joined), index=raw.index)
