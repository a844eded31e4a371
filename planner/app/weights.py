"""The weights tab: slider keys and values, presets, the AHP matrix, thresholds -> a configuration.

Sliders are keyed ``w.<use>.<criterion>`` (:func:`weight_key`); defaults, presets and AHP
weights all come back as values by slider key, ready to put in the session state.

Moving a slider changes only the weights: :class:`WeightBase` keeps what they do not change
(the criterion scores, the hard rules' inputs, the plots' tie order) and
:meth:`WeightBase.reweigh` gives the new scores, recommendation, rank and the map's plot
colours from it — the same numbers as :func:`planner.scoring.decide.decide`, by the same
functions, without measuring or scoring a criterion again.
"""

from __future__ import annotations

import dataclasses
import json
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import pandas as pd

from planner.app.i18n import criterion_label, md_escape, tr
from planner.app.maps import USE_ORDER
from planner.config import USES, PlannerConfig, Thresholds
from planner.criteria import CRITERIA
from planner.decision.ahp import ahp_weights
from planner.decision.presets import PRESETS
from planner.errors import PlannerError
from planner.messages import localized
from planner.scoring import CriteriaTable, result_frame
from planner.scoring.decide import (
    REC_NAMES,
    Decision,
    criterion_scores,
    hard_rules,
    tie_order,
    weigh,
)
from planner.scoring.reasons import reason_texts

#: Threshold inputs of the weights tab: key -> (column, min, max, step); integer bounds make an
#: integer input (the first is a slider, the rest number inputs).
THRESHOLD_INPUTS: dict[str, tuple[int, float, float, float]] = {
    "recommend_min_score": (0, 0.0, 1.0, 0.05),
    "min_stalls": (1, 0, 500, 1),
    "pocket_park_min_area_m2": (1, 50.0, 5000.0, 50.0),
    "green_radius_m": (0, 100.0, 1000.0, 50.0),
    "parking_radius_m": (1, 100.0, 1000.0, 50.0),
}


def default_threshold(name: str) -> float | int:
    """The default of a threshold input, of its input's type (:data:`THRESHOLD_INPUTS`)."""
    return type(THRESHOLD_INPUTS[name][1])(getattr(PlannerConfig().thresholds, name))


def weight_key(use: str, criterion: str) -> str:
    """The widget key of a weight slider."""
    return f"w.{use}.{criterion}"


def weight_values(
    weights: Mapping[str, Mapping[str, float]], *, digits: int | None = None
) -> dict[str, float]:
    """Slider values by widget key for every criterion (0 where ``weights`` has none)."""
    out = {}
    for use in USES:
        for crit in CRITERIA[use]:
            w = float(weights.get(use, {}).get(crit.name, 0.0))
            out[weight_key(use, crit.name)] = round(w, digits) if digits is not None else w
    return out


def weights_from_sliders(values: Mapping[str, float]) -> dict[str, dict[str, float]]:
    """Weights by use and criterion from slider values by widget key (:func:`weight_key`)."""
    out: dict[str, dict[str, float]] = {use: {} for use in USES}
    for key, value in values.items():
        _, use, criterion = key.split(".", 2)
        out[use][criterion] = value
    return out


def default_weights() -> dict[str, float]:
    """The default weight of every slider."""
    cfg = PlannerConfig()
    return weight_values({use: cfg.weights(use) for use in USES})


def preset_weights(name: str) -> dict[str, float]:
    """Every slider's value under the preset ``name`` (:data:`planner.decision.presets.PRESETS`)."""
    p = PRESETS[name]
    return weight_values({"pocket_park": p.park_weights, "parking": p.parking_weights})


def ahp_slider_values(use: str, weights: Mapping[str, float]) -> dict[str, float]:
    """The sliders of ``use`` set to AHP weights, rounded to the sliders' 0.01."""
    return {
        k: v
        for k, v in weight_values({use: weights}, digits=2).items()
        if k.startswith(f"w.{use}.")
    }


def reciprocal_matrix(judgements: pd.DataFrame) -> pd.DataFrame:
    """A pairwise comparison matrix from its upper triangle (AHP input as people edit it).

    The cells above the diagonal say how much more important the row criterion is than the
    column one (Saaty's 1–9 scale, fractions as decimals); the diagonal becomes 1 and each cell
    below it the reciprocal of its mirror. Non-positive or missing judgements become 1 (equal).
    """
    a = judgements.apply(pd.to_numeric, errors="coerce").to_numpy(dtype=float)
    n = a.shape[0]
    upper = np.triu(np.where(np.isfinite(a) & (a > 0), a, 1.0), 1)
    iu = np.triu_indices(n, 1)
    full = np.eye(n)
    full[iu] = upper[iu]
    full[iu[1], iu[0]] = 1.0 / upper[iu]
    return pd.DataFrame(full, index=judgements.index, columns=judgements.columns)


def ahp_blank(use: str, lang: str) -> pd.DataFrame:
    """The AHP matrix to edit: all judgements equal (1), criteria labelled in ``lang``."""
    labels = [criterion_label(use, c.name, lang) for c in CRITERIA[use]]
    return pd.DataFrame(1.0, index=labels, columns=labels)


def ahp_view(
    judgements: pd.DataFrame, use: str, lang: str
) -> tuple[pd.DataFrame, str, dict[str, float] | None]:
    """AHP over an edited matrix: weights table, consistency sentence, slider values.

    The slider values are ``None`` when the judgements are not consistent enough to use
    (CR > 0.10). Raises :class:`PlannerError` when the matrix cannot be weighed.
    """
    matrix = reciprocal_matrix(judgements)
    matrix.index = matrix.columns = [c.name for c in CRITERIA[use]]
    found = ahp_weights(matrix, max_cr=None)
    said = tr(
        "ahp_cr", lang, cr=found.cr, verdict=tr("ahp_ok" if found.consistent else "ahp_bad", lang)
    )
    values = ahp_slider_values(use, found.weights.to_dict()) if found.consistent else None
    return ahp_table(use, found.weights, lang), said, values


def ahp_table(use: str, weights: pd.Series, lang: str) -> pd.DataFrame:
    """AHP weights per criterion with labels in ``lang``."""
    return pd.DataFrame(
        {
            tr("criterion", lang): [criterion_label(use, n, lang) for n in weights.index],
            tr("weight", lang): weights.to_numpy(),
        }
    )


def settings_config(
    weights: dict, thresholds: dict, lang: str = "en"
) -> tuple[PlannerConfig, list[tuple[str, str]]]:
    """The configuration of the weights tab; on a bad setting the defaults and an error to say.

    Returns ``(config, messages)``, messages ``(kind, text)``: empty, or the (escaped) reason
    the settings could not be used while the defaults stand in, in ``lang``.
    """
    try:
        return PlannerConfig.from_dict(
            {"weights": weights, "thresholds": thresholds}, source=tr("settings_source", lang)
        ), []
    except PlannerError as exc:
        return PlannerConfig(), [("error", md_escape(localized(exc, lang)))]


def settings_key(config: PlannerConfig) -> str:
    """The settings that change measured criteria (thresholds, assumptions) as a cache key."""
    cfg = config.to_dict()
    return json.dumps({"t": cfg["thresholds"], "a": cfg["assumptions"]}, sort_keys=True)


def scoring_key(config: PlannerConfig) -> str:
    """Everything of ``config`` but the weights that turns measures into scores, as a key."""
    cfg = config.to_dict()
    cfg.pop("weights")
    return json.dumps(cfg, sort_keys=True, default=str) + repr(sorted(config.transforms.items()))


def weights_key(config: PlannerConfig) -> str:
    """The weights of ``config`` as a key (what the reasons kept by :class:`WeightBase` follow)."""
    return json.dumps(config.to_dict()["weights"], sort_keys=True, default=str)


#: The map's use code (:data:`planner.app.maps.USE_ORDER`) of each recommendation code.
_REC_TO_MAP = np.array([USE_ORDER.index(name) for name in REC_NAMES])


@dataclass(frozen=True)
class Reweighed:
    """Scores, recommendation and rank of every plot at new weights (arrays by plot)."""

    park: pd.Series
    parking: pd.Series
    codes: np.ndarray
    rank: np.ndarray
    excluded: np.ndarray
    #: Use -> per-criterion weight × score (what the reasons name the top three of).
    contributions: dict[str, pd.DataFrame] = field(default_factory=dict)
    #: :func:`weights_key` of the weights.
    key: str = ""

    @property
    def recommended(self) -> np.ndarray:
        """``pocket_park``, ``parking`` or ``none`` per plot."""
        return REC_NAMES[self.codes]

    def frame(self) -> pd.DataFrame:
        """Both scores: what the map's plot layer reads besides :meth:`use_codes`.

        ``maps.plot_layer(r.frame(), geometry, config, ..., uses=r.use_codes())``.
        """
        return pd.DataFrame(
            {"park_score": self.park.to_numpy(), "parking_score": self.parking.to_numpy()},
            index=self.park.index,
            copy=False,
        )

    def use_codes(self) -> np.ndarray:
        """Each plot's use as the map ships it (:func:`planner.app.maps.use_codes`)."""
        return np.where(self.excluded, USE_ORDER.index("excluded"), _REC_TO_MAP[self.codes])


#: Weights whose reasons a :class:`WeightBase` keeps (the last ones used).
REASONS_KEPT = 4


@dataclass(frozen=True)
class WeightBase:
    """What re-weighting does not change, kept from one scoring: see :meth:`reweigh`.

    Besides the criterion scores and the hard rules it keeps :func:`planner.combine`'s output
    with everything the weights do not change (``frame``), so :meth:`result` is a copy with
    four columns set, and the reasons written so far at the last :data:`REASONS_KEPT` weights
    (:meth:`reasons`: written only for the plots shown).
    """

    table: CriteriaTable
    key: str
    scores: pd.DataFrame
    tie: np.ndarray
    park_feasible: np.ndarray
    parking_feasible: np.ndarray
    excluded: np.ndarray
    too_small: np.ndarray
    few_stalls: np.ndarray
    no_car_access: np.ndarray
    thresholds: Thresholds
    frame: gpd.GeoDataFrame | None = None
    kept: OrderedDict = field(default_factory=OrderedDict, compare=False, repr=False)

    @classmethod
    def of(cls, table: CriteriaTable, config: PlannerConfig) -> WeightBase:
        """Criterion scores, hard rules and tie order of ``table`` under ``config``."""
        t = config.thresholds
        base = cls(
            table=table,
            key=scoring_key(config),
            scores=criterion_scores(table, config),
            tie=tie_order(table.plots["plot_id"].to_numpy()),
            **hard_rules(table, t),
            thresholds=t,
        )
        frame = result_frame(table, config, base.decision(base.reweigh(config)), None, None)
        return dataclasses.replace(base, frame=frame)

    def reweigh(self, config: PlannerConfig) -> Reweighed:
        """Use scores, recommendation and rank at ``config``'s weights.

        Raises ``ValueError`` when ``config`` differs from the base's in more than weights
        (make a new base with :meth:`of`).
        """
        if scoring_key(config) != self.key:
            raise ValueError("the settings changed beyond the weights; make a new WeightBase")
        contrib, park, parking, codes, rank = weigh(
            self.table,
            config,
            self.scores,
            self.park_feasible,
            self.parking_feasible,
            self.excluded,
            self.tie,
        )
        return Reweighed(
            park, parking, codes, rank.astype(int), self.excluded, contrib, weights_key(config)
        )

    def decision(self, r: Reweighed) -> Decision:
        """The :class:`~planner.scoring.decide.Decision` of the weights ``r`` was made at."""
        return Decision(
            raw=self.table.raw,
            scores=self.scores,
            contributions=r.contributions,
            park=r.park,
            parking=r.parking,
            park_feasible=self.park_feasible,
            parking_feasible=self.parking_feasible,
            excluded=self.excluded,
            too_small=self.too_small,
            few_stalls=self.few_stalls,
            no_car_access=self.no_car_access,
            recommended=r.recommended,
            rank=r.rank,
            exclusion_reason=self.table.exclusion_reason,
            thresholds=self.thresholds,
        )

    def result(self, r: Reweighed) -> gpd.GeoDataFrame:
        """:func:`planner.combine`'s output at ``r``'s weights, with the reasons written so far.

        Reasons not yet written (:meth:`reasons`) are ``None``.
        """
        out = self.frame.copy()
        out["park_score"] = r.park.to_numpy()
        out["parking_score"] = r.parking.to_numpy()
        out["recommended_use"] = r.recommended
        out["rank"] = r.rank
        for lang, column in REASON_COLUMNS.items():
            out[column] = self._kept(r.key)[lang].copy()
        return out

    def reasons(self, r: Reweighed, lang: str, rows: np.ndarray | None = None) -> np.ndarray:
        """Every plot's reason in ``lang`` at ``r``'s weights, written for ``rows`` at least.

        ``rows`` are plot positions (all plots when ``None``); reasons already written at these
        weights are kept, the others ``None``. The same text as :func:`planner.combine`'s:
        :func:`planner.scoring.reasons.reason_texts` of the same decision, row by row.
        """
        texts = self._kept(r.key)[lang]
        if rows is None:
            todo = np.flatnonzero(np.equal(texts, None))
        else:
            rows = np.unique(np.asarray(rows, dtype=int))
            todo = rows[np.equal(texts[rows], None)]
        if len(todo) == len(texts):
            texts[:] = reason_texts(self.decision(r), lang).to_numpy(dtype=object)
        elif len(todo):
            texts[todo] = reason_texts(decision_rows(self.decision(r), todo), lang).to_numpy(
                dtype=object
            )
        return texts

    def _kept(self, key: str) -> dict[str, np.ndarray]:
        """The reasons written at the weights ``key`` (``None`` where not yet), by language."""
        if key not in self.kept:
            while len(self.kept) >= REASONS_KEPT:
                self.kept.popitem(last=False)
            n = len(self.scores)
            self.kept[key] = {lang: np.full(n, None, dtype=object) for lang in REASON_COLUMNS}
        self.kept.move_to_end(key)
        return self.kept[key]


#: The result column of the reasons in each language.
REASON_COLUMNS = {"en": "reasons", "zh": "reasons_zh"}


def decision_rows(d: Decision, rows: np.ndarray) -> Decision:
    """The decision of the plots at positions ``rows`` only (each field cut to them)."""
    cut: dict[str, object] = {}
    for f in dataclasses.fields(d):
        value = getattr(d, f.name)
        if isinstance(value, pd.Series | pd.DataFrame):
            value = value.iloc[rows]
        elif isinstance(value, np.ndarray):
            value = value[rows]
        elif isinstance(value, dict):
            value = {k: v.iloc[rows] for k, v in value.items()}
        cut[f.name] = value
    return Decision(**cut)


#: Bases kept by :func:`base_for`: ``id(table) -> (table, base)``; at most :data:`_BASES_MAX`.
_BASES: OrderedDict[int, tuple[CriteriaTable, WeightBase]] = OrderedDict()
_BASES_MAX = 4


def base_for(table: CriteriaTable, config: PlannerConfig) -> WeightBase:
    """The :class:`WeightBase` of ``table`` under ``config``, kept across reruns.

    The measured criteria are cached per data load and settings (the app's ``criteria_for``),
    so ``table`` is the same object from one rerun to the next until the data or the measuring
    settings change: a weight move reuses the base; a new table, or a change of anything else
    that turns measures into scores (:func:`scoring_key`: thresholds, transforms), makes a new
    one.
    """
    kept = _BASES.get(id(table))
    if kept is not None and kept[0] is table and kept[1].key == scoring_key(config):
        _BASES.move_to_end(id(table))
        return kept[1]
    base = WeightBase.of(table, config)
    _BASES[id(table)] = (table, base)
    while len(_BASES) > _BASES_MAX:
        _BASES.popitem(last=False)
    return base
