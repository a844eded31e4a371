"""Two-step floating catchment (2SFCA): green space per resident each home can reach.

Luo & Wang (2003, "Measures of spatial accessibility to health care in a GIS environment",
Environment and Planning B 30: 865–884). For every supply ``j`` (a green space of area
``S_j``) and demand ``i`` (an estate of ``P_i`` residents), with a weight ``w_ij`` that is 1
within the catchment radius and 0 beyond (``step``) or a Gaussian of the distance within it
(``gaussian``, Dai 2011, "Racial/ethnic and socioeconomic disparities in urban green space
accessibility", Landscape and Urban Planning 102: 234–244, here ``exp(−½ (d/σ)²)``, cut at the
radius)::

    step 1   R_j = S_j / Σ_i P_i w_ij        green m² per resident in the park's catchment
    step 2   A_i = Σ_j R_j w_ij              green m² per resident the home reaches

Every supply some resident reaches is shared out in full: ``Σ_i P_i A_i = Σ_j S_j`` over
those supplies (for any weight). A supply no resident reaches gets ``R_j = 0``. ``A`` is
additive in the supplies, since ``R_j`` depends on the demand only: a new park adds
``R_new · w_i,new`` to each home it reaches and changes nobody else's figure, which makes the
marginal gain of a candidate exact and the selection objective of
:func:`planner.decision.equity.supply_selection` linear.

The core works on index pairs with their distances (:class:`~planner.access.distances.Pairs`);
:func:`green_access` builds them from layers with the run's distance model.
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import numpy as np

from planner.access.distances import DistanceModel, Pairs
from planner.errors import ConfigError
from planner.messages import Msg, either

#: Distance decays offered.
DECAYS = ("step", "gaussian")


def decay_weights(
    distance: np.ndarray, radius: float, decay: str = "step", sigma: float | None = None
) -> np.ndarray:
    """Weight of each pair: 1 (``step``) or ``exp(−½ (d/σ)²)`` (``gaussian``), 0 beyond radius."""
    d = np.asarray(distance, dtype=float)
    if decay not in DECAYS:
        raise ConfigError(Msg("access.unknown_decay", decay=decay, decays=either(DECAYS)))
    if not radius > 0:
        raise ConfigError(Msg("access.radius_not_positive", value=radius))
    inside = d <= radius
    if decay == "step":
        return inside.astype(float)
    s = radius / 2 if sigma is None else float(sigma)
    if not s > 0:
        raise ConfigError(Msg("access.sigma_not_positive", value=sigma))
    return np.where(inside, np.exp(-0.5 * (d / s) ** 2), 0.0)


@dataclass(frozen=True)
class FcaResult:
    """Supply ratio per supply (``R_j``) and access per demand point (``A_i``)."""

    ratio: np.ndarray
    access: np.ndarray


def supply_ratios(
    n_supply: int,
    demand_idx: np.ndarray,
    supply_idx: np.ndarray,
    weight: np.ndarray,
    population: np.ndarray,
    supply: np.ndarray,
) -> np.ndarray:
    """Step 1: ``R_j = S_j / Σ_i P_i w_ij`` (0 where no resident is in the catchment)."""
    pop = np.asarray(population, dtype=float)
    reached = np.bincount(supply_idx, weights=pop[demand_idx] * weight, minlength=n_supply)
    s = np.asarray(supply, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(reached > 0, s / reached, 0.0)


def two_step_fca(
    n_demand: int,
    n_supply: int,
    demand_idx: np.ndarray,
    supply_idx: np.ndarray,
    weight: np.ndarray,
    population: np.ndarray,
    supply: np.ndarray,
) -> FcaResult:
    """The 2SFCA of the module docstring on index pairs.

    Parameters
    ----------
    n_demand, n_supply : int
    demand_idx, supply_idx : ndarray of int
        Positions of each (demand, supply) pair within reach.
    weight : ndarray
        ``w_ij`` of each pair (:func:`decay_weights`).
    population : ndarray, shape (n_demand,)
    supply : ndarray, shape (n_supply,)
        Green area (m²) of each supply.
    """
    pop = np.asarray(population, dtype=float)
    s = np.asarray(supply, dtype=float)
    if len(pop) != n_demand or len(s) != n_supply:
        raise ValueError("population and supply must have one value per point")
    if np.any(~np.isfinite(pop)) or np.any(pop < 0) or np.any(~np.isfinite(s)) or np.any(s < 0):
        raise ConfigError(Msg("access.fca_negative"))
    ratio = supply_ratios(n_supply, demand_idx, supply_idx, weight, pop, s)
    access = np.bincount(demand_idx, weights=ratio[supply_idx] * weight, minlength=n_demand)
    return FcaResult(ratio, access)


def pairs_within(
    homes: gpd.GeoSeries, supplies: gpd.GeoSeries, radius: float, distances: DistanceModel
) -> Pairs:
    """(home, supply) pairs within ``radius`` and their distances (the run's model)."""
    if len(homes) == 0 or len(supplies) == 0:
        empty = np.array([], dtype=np.intp)
        return Pairs(empty, empty, np.array([], dtype=float))
    return distances.within(homes.reset_index(drop=True), supplies.reset_index(drop=True), radius)


def pair_weights(
    pairs: Pairs, radius: float, decay: str = "step", sigma: float | None = None
) -> np.ndarray:
    """:func:`decay_weights` of ``pairs`` (a step decay never asks the model for distances)."""
    if decay == "step" or len(pairs) == 0:
        decay_weights(np.zeros(0), radius, decay, sigma)  # checks the settings
        return np.ones(len(pairs))
    return decay_weights(pairs.distance, radius, decay, sigma)


def green_access(
    homes: gpd.GeoSeries,
    population: np.ndarray,
    green: gpd.GeoSeries,
    distances: DistanceModel,
    *,
    radius: float,
    decay: str = "step",
    sigma: float | None = None,
) -> FcaResult:
    """Green m² per resident each home reaches (2SFCA), green areas measured from the polygons."""
    pairs = pairs_within(homes, green, radius, distances)
    w = pair_weights(pairs, radius, decay, sigma)
    return two_step_fca(
        len(homes),
        len(green),
        pairs.origin,
        pairs.target,
        w,
        population,
        green.area.to_numpy(dtype=float),
    )
