"""The weights tab: slider keys and values, presets, the AHP matrix, thresholds -> a configuration.

Sliders are keyed ``w.<use>.<criterion>`` (:func:`weight_key`); defaults, presets and AHP
weights all come back as values by slider key, ready to put in the session state.
"""

from __future__ import annotations

import json
from collections.abc import Mapping

import numpy as np
import pandas as pd

from planner.app.i18n import criterion_label, md_escape, tr
from planner.config import USES, PlannerConfig
from planner.criteria import CRITERIA
from planner.decision.ahp import ahp_weights
from planner.decision.presets import PRESETS
from planner.errors import PlannerError
from planner.messages import localized

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
