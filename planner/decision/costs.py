"""What each candidate would cost to build and to keep, from the ``[costs]`` table.

A plot's cost is built from what the plot is, not from one flat rate per m²:

* **Pocket park** ``capex = area × rate of its type + outline × edging + area × clearance``.
  The type is hard-paved, planted or with play equipment: one for every park
  (``costs.park_type``), or ``auto``: hard-paved where the plot is narrower than
  ``park_hard_below_width_m`` (no room to plant beside a path), with play equipment from
  ``park_play_min_area_m2``, planted otherwise. Upkeep: area × yearly rate.
* **Car park** ``capex = stalls of its layout × rate per stall + outline × edging + area ×
  clearance`` (the stall layout of :mod:`planner.parking.layout`, ``est_parking_spaces``).
  A plot holding no stall has no parking cost (NaN): it cannot be a car park. Upkeep: stalls
  × yearly rate.

The outline term makes a long thin strip dearer than a square of the same area. Money is
given in 万元 (ten thousand yuan) in the outputs, as district budgets are; the library counts
yuan inside. Unit costs and their sources: :mod:`planner.plan_settings` and
:mod:`planner.standards` (every figure an estimate, marked check).
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from planner.config import USES, PlannerConfig
from planner.criteria.shape import min_width_m
from planner.errors import ConfigError
from planner.messages import Msg
from planner.plan_settings import CostSettings

#: Yuan per 万元.
YUAN_PER_WAN = 10_000.0
#: Columns of the score output the costs read (names kept in one place).
AREA_COLUMN = "area_m2"
WIDTH_COLUMN = "min_width_m"
STALLS_COLUMN = "est_parking_spaces"
#: Columns :func:`plot_costs` adds, per use, and the chosen use's pair.
COST_COLUMNS = (
    "park_type",
    "park_capex_wan",
    "park_upkeep_wan_per_year",
    "parking_capex_wan",
    "parking_upkeep_wan_per_year",
)
CAPEX_COLUMN = "capex_wan"
UPKEEP_COLUMN = "upkeep_wan_per_year"


def wan_to_yuan(wan: float | None) -> float | None:
    """万元 as yuan (``None`` stays ``None``)."""
    return None if wan is None else float(wan) * YUAN_PER_WAN


def budget_yuan(budget: float | None, budget_wan: float | None) -> float | None:
    """One budget in yuan from the yuan ``--budget`` or the 万元 ``--budget-wan``.

    Raises
    ------
    ConfigError
        Both are given.
    """
    if budget is not None and budget_wan is not None:
        raise ConfigError(Msg("decision.budget_once"))
    return wan_to_yuan(budget_wan) if budget_wan is not None else budget


def park_types(area: np.ndarray, width: np.ndarray, costs: CostSettings) -> np.ndarray:
    """The pocket-park type of each plot (``hard``, ``planted`` or ``play``).

    ``costs.park_type`` when it names a type; ``auto``: hard below the width, play from the
    area (narrowness first), planted otherwise.
    """
    n = len(area)
    if costs.park_type != "auto":
        return np.full(n, costs.park_type, dtype=object)
    kind = np.where(np.asarray(area, float) >= costs.park_play_min_area_m2, "play", "planted")
    return np.where(np.asarray(width, float) < costs.park_hard_below_width_m, "hard", kind).astype(
        object
    )


def plot_costs(plots: gpd.GeoDataFrame, config: PlannerConfig | None = None) -> pd.DataFrame:
    """Building and upkeep cost of each plot for each use, in 万元.

    Parameters
    ----------
    plots : GeoDataFrame
        Scored plots (:func:`planner.score`) in a metric CRS; ``area_m2``, ``min_width_m``
        and ``est_parking_spaces`` are read when present (area and width are measured from
        the outline otherwise; no stall column means no parking cost).
    config : PlannerConfig, optional
        Its ``costs`` section.

    Returns
    -------
    DataFrame
        Aligned to ``plots``: :data:`COST_COLUMNS`. Parking costs are NaN where no stall fits.
    """
    c = (config or PlannerConfig()).costs
    geoms = plots.geometry.values
    area = plots[AREA_COLUMN].to_numpy(float) if AREA_COLUMN in plots else shapely.area(geoms)
    width = (
        plots[WIDTH_COLUMN].to_numpy(float)
        if WIDTH_COLUMN in plots
        else min_width_m(plots).to_numpy(float)
    )
    stalls = (
        plots[STALLS_COLUMN].fillna(0).to_numpy(float)
        if STALLS_COLUMN in plots
        else np.zeros(len(plots))
    )
    outline = shapely.length(shapely.boundary(geoms))
    kind = park_types(area, width, c)
    park_rate = np.select(
        [kind == "hard", kind == "play"],
        [c.park_hard_yuan_per_m2, c.park_play_yuan_per_m2],
        c.park_planted_yuan_per_m2,
    )
    common = outline * c.edge_yuan_per_m + area * c.clearance_yuan_per_m2
    park = area * park_rate + common
    parking = np.where(stalls > 0, stalls * c.parking_yuan_per_stall + common, np.nan)
    return pd.DataFrame(
        {
            "park_type": kind,
            "park_capex_wan": np.round(park / YUAN_PER_WAN, 2),
            "park_upkeep_wan_per_year": np.round(
                area * c.park_upkeep_yuan_per_m2_year / YUAN_PER_WAN, 3
            ),
            "parking_capex_wan": np.round(parking / YUAN_PER_WAN, 2),
            "parking_upkeep_wan_per_year": np.round(
                np.where(stalls > 0, stalls * c.parking_upkeep_yuan_per_stall_year, np.nan)
                / YUAN_PER_WAN,
                3,
            ),
        },
        index=plots.index,
    )


def use_cost_yuan(costs: pd.DataFrame, use: str) -> np.ndarray:
    """Building cost of ``use`` per plot in yuan (infinite where the use cannot be built).

    ``costs`` is :func:`plot_costs`; an infinite cost keeps the plot out of any budget.
    """
    if use not in USES:
        raise ConfigError(Msg("decision.unknown_use", use=use, choices=", ".join(USES)))
    col = "park_capex_wan" if use == "pocket_park" else "parking_capex_wan"
    v = costs[col].to_numpy(float) * YUAN_PER_WAN
    return np.where(np.isfinite(v), v, np.inf)


def with_costs(
    plots: gpd.GeoDataFrame, costs: pd.DataFrame, use: str | pd.Series
) -> gpd.GeoDataFrame:
    """``plots`` with :data:`COST_COLUMNS` and the cost of the use each plot is given.

    ``use`` is one use for every plot (selection) or a use per plot (allocation; ``none``
    costs nothing): ``capex_wan`` and ``upkeep_wan_per_year`` are that use's.
    """
    out = plots.copy()
    for col in COST_COLUMNS:
        out[col] = costs[col].to_numpy()
    uses = (
        (pd.Series(use, index=plots.index) if isinstance(use, str) else use.reindex(plots.index))
        .astype(str)
        .to_numpy()
    )
    out[CAPEX_COLUMN] = np.select(
        [uses == "pocket_park", uses == "parking"],
        [costs["park_capex_wan"].to_numpy(float), costs["parking_capex_wan"].to_numpy(float)],
        0.0,
    )
    out[UPKEEP_COLUMN] = np.select(
        [uses == "pocket_park", uses == "parking"],
        [
            costs["park_upkeep_wan_per_year"].to_numpy(float),
            costs["parking_upkeep_wan_per_year"].to_numpy(float),
        ],
        0.0,
    )
    return out


def per_wan(residents: float, capex_wan: float) -> float:
    """Residents newly served per 万元 spent (NaN when nothing is spent)."""
    return float(residents) / float(capex_wan) if capex_wan > 0 else float("nan")
