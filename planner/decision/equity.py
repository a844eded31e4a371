"""Fairness: who a plan reaches — the old and the young (一老一小), and every estate.

The 2022 MOHURD pocket-park notice names the elderly and children first. This module measures a
plan for them and across estates:

* **Age groups.** Residents 60 and over and under 14 come from the residential layer's
  ``elderly_share`` / ``child_share`` where given, else from the ``[equity]`` shares (7th
  census 2020, :mod:`planner.standards`). Each group walks at its own speed: adults at
  ``thresholds.walking_speed_m_per_min``, the elderly and children at the ``[equity]`` speeds.
  In the minutes an adult needs for the green radius (300 m, "300 m 见绿") a slower walker
  reaches ``radius × speed / adult speed``: equal speeds give exactly the all-residents
  figures, a slower speed never raises coverage.
* **Coverage before/after** per group: residents within their group's radius of green space
  today, and with the plan's new pocket parks.
* **Supply per person** (2SFCA, :mod:`planner.access.fca`): green m² per resident each estate
  reaches, before and after.
* **Inequality across estates**: the Gini coefficient and Lorenz curve of that supply,
  weighted by residents (0: every resident reaches the same; 1: one estate reaches it all).
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import scipy.sparse as sp

from planner.access.distances import DistanceModel, StraightLineDistance
from planner.access.fca import green_access, pair_weights, pairs_within, supply_ratios
from planner.config import PlannerConfig
from planner.criteria.access import covered_by, home_points
from planner.errors import ConfigError
from planner.layers import Layers
from planner.messages import Msg

#: Resident groups: everyone, 60 and over, under 14.
GROUPS = ("all", "elderly", "children")
#: Label of the district-wide rows of the coverage tables.
DISTRICT = "district"
#: The residential layer's share column of each age group.
SHARE_COLUMNS = {"elderly": "elderly_share", "children": "child_share"}


def group_shares(residential: pd.DataFrame, config: PlannerConfig | None = None) -> pd.DataFrame:
    """Share of each estate's residents in each group (``all`` is 1).

    The layer's ``elderly_share`` / ``child_share`` where given (missing values filled), else
    the ``[equity]`` shares.
    """
    eq = (config or PlannerConfig()).equity
    default = {"elderly": eq.elderly_share, "children": eq.child_share}
    out = {"all": np.ones(len(residential))}
    for group, col in SHARE_COLUMNS.items():
        if col in residential:
            out[group] = residential[col].astype(float).fillna(default[group]).to_numpy()
        else:
            out[group] = np.full(len(residential), default[group])
    return pd.DataFrame(out, index=residential.index)


def share_source(residential: pd.DataFrame) -> str:
    """Where the age shares come from: ``layer`` (both columns), ``partly`` or ``census``."""
    have = [c in residential for c in SHARE_COLUMNS.values()]
    return "layer" if all(have) else ("partly" if any(have) else "census")


def group_radius(
    group: str, config: PlannerConfig | None = None, radius: float | None = None
) -> float:
    """Walking radius of ``group``: the adults' radius scaled by the group's speed.

    ``radius`` defaults to ``thresholds.green_radius_m``; the adults walk at
    ``thresholds.walking_speed_m_per_min``.
    """
    config = config or PlannerConfig()
    if group not in GROUPS:
        raise ConfigError(Msg("decision.unknown_group", group=group, choices=", ".join(GROUPS)))
    r = config.thresholds.green_radius_m if radius is None else float(radius)
    speed = {
        "all": config.thresholds.walking_speed_m_per_min,
        "elderly": config.equity.elderly_speed_m_per_min,
        "children": config.equity.child_speed_m_per_min,
    }[group]
    return r * speed / config.thresholds.walking_speed_m_per_min


def gini(values: np.ndarray, weights: np.ndarray | None = None) -> float:
    """Gini coefficient of ``values`` held by ``weights`` people each (Lorenz-curve area).

    ``G = 1 − Σ_k (W_k − W_{k−1}) (L_k + L_{k−1})`` over the values sorted ascending, ``W``
    the cumulative share of people and ``L`` of the values: 0 when everyone has the same,
    towards 1 when one holds everything. With equal weights it equals the mean-difference
    form ``Σ_ij |x_i − x_j| / (2 n² μ)``. NaN when nobody (or nothing) is counted.
    """
    lor = lorenz(values, weights)
    if lor.empty:
        return float("nan")
    w, v = lor["population_share"].to_numpy(), lor["value_share"].to_numpy()
    return float(1.0 - np.sum(np.diff(w) * (v[1:] + v[:-1])))


def lorenz(values: np.ndarray, weights: np.ndarray | None = None) -> pd.DataFrame:
    """Lorenz curve: cumulative share of people against cumulative share of the values.

    Returns
    -------
    DataFrame
        ``population_share``, ``value_share`` from (0, 0) to (1, 1); empty when the people or
        the values add up to 0.
    """
    v = np.asarray(values, dtype=float)
    w = np.ones(len(v)) if weights is None else np.asarray(weights, dtype=float)
    if v.shape != w.shape or np.any(~np.isfinite(v)) or np.any(v < 0) or np.any(w < 0):
        raise ConfigError(Msg("decision.lorenz_values"))
    keep = w > 0
    v, w = v[keep], w[keep]
    total_w, total_v = w.sum(), (v * w).sum()
    if total_w <= 0 or total_v <= 0:
        return pd.DataFrame({"population_share": [], "value_share": []})
    order = np.argsort(v, kind="stable")
    cw = np.concatenate([[0.0], np.cumsum(w[order]) / total_w])
    cv = np.concatenate([[0.0], np.cumsum((v * w)[order]) / total_v])
    return pd.DataFrame({"population_share": cw, "value_share": cv})


@dataclass(frozen=True)
class EquityBasis:
    """What the fairness measures of one run share: homes, groups, radii, green today."""

    homes: gpd.GeoSeries
    population: np.ndarray
    shares: pd.DataFrame
    radii: dict[str, float]
    green: gpd.GeoSeries
    distances: DistanceModel
    config: PlannerConfig

    @classmethod
    def from_layers(
        cls,
        layers: Layers,
        config: PlannerConfig | None = None,
        distances: DistanceModel | None = None,
    ) -> EquityBasis:
        """From prepared layers (residential required)."""
        config = config or PlannerConfig()
        if not layers.has("residential"):
            raise ConfigError(Msg("decision.fairness_needs_residential"))
        res = layers.residential
        green = (
            layers.green.geometry.reset_index(drop=True)
            if layers.has("green")
            else gpd.GeoSeries([], crs=layers.crs)
        )
        return cls(
            home_points(res).reset_index(drop=True),
            res["population"].to_numpy(dtype=float),
            group_shares(res, config).reset_index(drop=True),
            {g: group_radius(g, config) for g in GROUPS},
            green,
            distances or StraightLineDistance(),
            config,
        )


def covered_estates(basis: EquityBasis, green: gpd.GeoSeries) -> pd.DataFrame:
    """Whether each estate is within each group's radius of ``green`` (one column a group)."""
    frame = gpd.GeoDataFrame(geometry=green.reset_index(drop=True))
    out = {}
    for g in GROUPS:  # three groups
        out[g] = (
            covered_by(basis.homes, frame, basis.radii[g], basis.distances)
            if len(frame)
            else np.zeros(len(basis.homes), bool)
        )
    return pd.DataFrame(out)


def estate_equity(basis: EquityBasis, new_parks: gpd.GeoSeries) -> pd.DataFrame:
    """Per estate: residents by group, covered before/after by group, 2SFCA before/after.

    Columns ``residents_<group>``, ``covered_<group>``, ``covered_<group>_after`` (bool),
    ``green_m2_per_resident``, ``green_m2_per_resident_after``.
    """
    after = gpd.GeoSeries(
        pd.concat([basis.green, new_parks.reset_index(drop=True)], ignore_index=True),
        crs=basis.homes.crs,
    )
    before_cov, after_cov = covered_estates(basis, basis.green), covered_estates(basis, after)
    eq = basis.config.equity
    kw = {"radius": eq.fca_radius_m, "decay": eq.fca_decay, "sigma": eq.fca_gaussian_sigma_m}
    out = pd.DataFrame(index=range(len(basis.homes)))
    for g in GROUPS:
        out[f"residents_{g}"] = np.round(basis.population * basis.shares[g].to_numpy(), 2)
        out[f"covered_{g}"] = before_cov[g].to_numpy()
        out[f"covered_{g}_after"] = after_cov[g].to_numpy()
    out["green_m2_per_resident"] = green_access(
        basis.homes, basis.population, basis.green, basis.distances, **kw
    ).access
    out["green_m2_per_resident_after"] = green_access(
        basis.homes, basis.population, after, basis.distances, **kw
    ).access
    return out


def group_table(estates: pd.DataFrame, circle: np.ndarray | None = None) -> pd.DataFrame:
    """Coverage by group (and life circle): residents, covered before/after, shares.

    ``circle`` labels each estate (``None`` or ``<NA>``: district only). One row per group,
    or per circle and group.
    """
    rows = []
    labels = (
        np.full(len(estates), DISTRICT, dtype=object)
        if circle is None
        else np.asarray(pd.Series(circle).astype(object).fillna("-"), dtype=object)
    )
    for label in pd.unique(labels):  # a handful of circles
        part = estates[labels == label]
        for g in GROUPS:
            pop = part[f"residents_{g}"].to_numpy(float)
            before = float(pop[part[f"covered_{g}"].to_numpy(bool)].sum())
            after = float(pop[part[f"covered_{g}_after"].to_numpy(bool)].sum())
            total = float(pop.sum())
            rows.append(
                {
                    "area": label,
                    "group": g,
                    "residents": round(total, 1),
                    "covered_before": round(before, 1),
                    "covered_after": round(after, 1),
                    "newly_covered": round(after - before, 1),
                    "share_before": round(before / total, 4) if total else np.nan,
                    "share_after": round(after / total, 4) if total else np.nan,
                }
            )
    return pd.DataFrame(rows)


@dataclass(frozen=True)
class EquityReport:
    """Fairness of a plan: estates, coverage by group, 2SFCA inequality before and after."""

    estates: pd.DataFrame
    groups: pd.DataFrame
    gini_before: float
    gini_after: float
    lorenz_before: pd.DataFrame
    lorenz_after: pd.DataFrame
    share_source: str

    def summary(self) -> dict[str, float]:
        """District figures: residents newly covered by group, Gini and mean supply."""
        g = self.groups[self.groups["area"] == DISTRICT].set_index("group")
        pop = self.estates["residents_all"].to_numpy(float)
        mean = {
            s: float(np.average(self.estates[c], weights=pop)) if pop.sum() else np.nan
            for s, c in (("", "green_m2_per_resident"), ("_after", "green_m2_per_resident_after"))
        }
        return {
            **{f"newly_covered_{grp}": float(g.loc[grp, "newly_covered"]) for grp in GROUPS},
            "gini_before": self.gini_before,
            "gini_after": self.gini_after,
            "green_m2_per_resident": mean[""],
            "green_m2_per_resident_after": mean["_after"],
        }


def equity_report(
    layers: Layers,
    new_parks: gpd.GeoSeries,
    config: PlannerConfig | None = None,
    distances: DistanceModel | None = None,
    circle: np.ndarray | None = None,
) -> EquityReport:
    """Fairness of adding ``new_parks`` (plot outlines) to the green space of ``layers``.

    Parameters
    ----------
    layers : Layers
        Prepared layers (residential required; green optional).
    new_parks : GeoSeries
        The plan's new pocket parks, in the layers' CRS.
    circle : ndarray, optional
        Life circle of each estate, for the per-circle rows of :attr:`EquityReport.groups`.
    """
    basis = EquityBasis.from_layers(layers, config, distances)
    estates = estate_equity(basis, new_parks)
    if circle is not None:
        estates.insert(0, "life_circle", np.asarray(circle, dtype=object))
    groups = pd.concat(
        [group_table(estates), *([group_table(estates, circle)] if circle is not None else [])],
        ignore_index=True,
    )
    pop = estates["residents_all"].to_numpy(float)
    before = estates["green_m2_per_resident"].to_numpy(float)
    after = estates["green_m2_per_resident_after"].to_numpy(float)
    return EquityReport(
        estates,
        groups,
        gini(before, pop),
        gini(after, pop),
        lorenz(before, pop),
        lorenz(after, pop),
        share_source(layers.residential),
    )


# --- selection inputs ------------------------------------------------------------------------


def supply_gains(
    layers: Layers,
    plots: gpd.GeoSeries,
    config: PlannerConfig | None = None,
    distances: DistanceModel | None = None,
) -> tuple[sp.csr_array, np.ndarray, np.ndarray]:
    """What each candidate park would add to each estate's green m² per resident.

    Returns
    -------
    (gain, population, shortfall)
        ``gain[i, j] = R_j w_ij`` (sparse, estates × plots): plot ``j`` as a park of its own
        area; ``shortfall[i] = max(0, target − A_i)`` with today's 2SFCA ``A_i``.
    """
    config = config or PlannerConfig()
    basis = EquityBasis.from_layers(layers, config, distances)
    eq = config.equity
    kw = {"radius": eq.fca_radius_m, "decay": eq.fca_decay, "sigma": eq.fca_gaussian_sigma_m}
    today = green_access(basis.homes, basis.population, basis.green, basis.distances, **kw)
    pairs = pairs_within(basis.homes, plots, eq.fca_radius_m, basis.distances)
    w = pair_weights(pairs, eq.fca_radius_m, eq.fca_decay, eq.fca_gaussian_sigma_m)
    ratio = supply_ratios(
        len(plots),
        pairs.origin,
        pairs.target,
        w,
        basis.population,
        plots.area.to_numpy(dtype=float),
    )
    gain = sp.csr_array(
        (ratio[pairs.target] * w, (pairs.origin, pairs.target)),
        shape=(len(basis.homes), len(plots)),
    )
    shortfall = np.maximum(0.0, eq.fca_target_m2_per_resident - today.access)
    return gain, basis.population, shortfall
