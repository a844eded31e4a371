"""One entry point for choosing a programme: objective, resident group, limits and phases.

:func:`choose` is what the command line (``planner select``) and the app call. It picks the
model from what is asked:

* ``objective="coverage"`` (default): residents newly covered, in total
  (:func:`planner.decision.selection.select_sites`), or phase by phase when ``phases`` are
  given (:func:`planner.decision.phases.plan_phases`);
* ``objective="maxmin"``: the worst-served life circle first
  (:func:`planner.decision.objectives.maxmin_covering`);
* ``objective="supply"``: the green-space shortfall closed, from the 2SFCA
  (:func:`planner.decision.objectives.supply_covering`, pocket parks only).

``group`` (``all``, ``elderly``, ``children``) counts only that group's residents, at its own
walking radius (:mod:`planner.decision.equity`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import pandas as pd

from planner.access.distances import DistanceModel, StraightLineDistance
from planner.config import PlannerConfig
from planner.decision.costs import per_wan
from planner.decision.equity import GROUPS, group_radius, group_shares, supply_gains
from planner.decision.objectives import maxmin_covering, supply_covering, supply_marginal
from planner.decision.phases import Phase, plan_phases, time_limit_note
from planner.decision.selection import (
    SiteChoice,
    marginal_residents,
    select_sites,
    selection_result,
    service_radius,
    site_choice,
)
from planner.errors import ConfigError
from planner.layers import Layers
from planner.messages import Msg

#: Selection objectives.
OBJECTIVES = ("coverage", "maxmin", "supply")


@dataclass(frozen=True)
class Programme:
    """A chosen programme: the plots (``selected``, costs, ``phase``) and what it adds up to.

    Attributes
    ----------
    plots : GeoDataFrame
        The score output plus ``selected``, ``marginal_new_residents``, the cost columns,
        with phases ``phase`` (the phase's name, empty when not built) and, for the supply
        objective, ``supply_gain_m2``.
    covered, uncovered_before : float
        Residents (of the group) newly covered, and those without cover before.
    capex_wan, upkeep_wan_per_year : float
    curve : DataFrame
        Coverage curve (total objective without phases; empty otherwise).
    phase_table : DataFrame or None
        Coverage by phase (:func:`planner.decision.phases.phase_table`).
    objective_value : float
        Residents newly covered (coverage, maxmin) or shortfall closed in m² (supply).
    worst_share : float
        Max-min only: the worst life circle's share covered after the programme.
    """

    use: str
    objective: str
    group: str
    plots: gpd.GeoDataFrame
    covered: float
    uncovered_before: float
    capex_wan: float
    upkeep_wan_per_year: float
    radius_m: float
    curve: pd.DataFrame = field(default_factory=pd.DataFrame)
    phase_table: pd.DataFrame | None = None
    objective_value: float = float("nan")
    worst_share: float = float("nan")
    notes: tuple[str, ...] = ()

    @property
    def residents_per_wan(self) -> float:
        """Residents newly covered per 万元 of building cost."""
        return per_wan(self.covered, self.capex_wan)

    def phases(self) -> pd.Series | None:
        """The phase of each plot (empty where not built), or ``None`` without phases."""
        return self.plots["phase"].rename("phase") if "phase" in self.plots else None

    def uses(self) -> pd.Series:
        """The use given to each plot (``none`` where not chosen), named ``use``."""
        sel = self.plots["selected"].to_numpy(bool)
        return pd.Series(np.where(sel, self.use, "none"), index=self.plots.index, name="use")


def _group_demand(layers: Layers, group: str, config: PlannerConfig) -> np.ndarray | None:
    if group not in GROUPS:
        raise ConfigError(Msg("decision.unknown_group", group=group, choices=", ".join(GROUPS)))
    if group == "all":
        return None
    if not layers.has("residential"):
        raise ConfigError(Msg("decision.needs_residential"))
    return group_shares(layers.residential, config)[group].to_numpy(dtype=float)


def choose(
    scored: gpd.GeoDataFrame,
    layers: Layers,
    use: str,
    *,
    objective: str = "coverage",
    group: str = "all",
    k: int | None = None,
    budget_yuan: float | None = None,
    max_area_m2: float | None = None,
    cost_per_m2: float | None = None,
    phases: Sequence[Phase] | None = None,
    config: PlannerConfig | None = None,
    distances: DistanceModel | None = None,
    curve_method: str = "exact",
) -> Programme:
    """Choose plots for ``use`` by ``objective`` within the limits (see the module docstring).

    Raises
    ------
    ConfigError
        An unknown objective or group, phases with another objective than coverage, the
        supply objective for parking, or no limit.
    """
    config = config or PlannerConfig()
    distances = distances or StraightLineDistance()
    if objective not in OBJECTIVES:
        raise ConfigError(
            Msg("decision.unknown_objective", objective=objective, choices=", ".join(OBJECTIVES))
        )
    share = _group_demand(layers, group, config)
    radius = group_radius(group, config, service_radius(use, config)) if group != "all" else None
    common = {
        "config": config,
        "distances": distances,
        "radius": radius,
        "demand_share": share,
        "cost_per_m2": cost_per_m2,
    }
    r_used = radius if radius is not None else service_radius(use, config)
    if phases:
        if objective != "coverage" or not (
            k is None and budget_yuan is None and max_area_m2 is None
        ):
            raise ConfigError(Msg("decision.phases_alone"))
        plan = plan_phases(scored, layers, use, phases, **common)
        return Programme(
            use,
            objective,
            group,
            plan.plots,
            plan.covered,
            plan.uncovered_before,
            round(plan.capex_wan, 2),
            float(plan.table["upkeep_wan_per_year"].iloc[-1]),
            r_used,
            phase_table=plan.table,
            objective_value=plan.covered,
            notes=plan.notes,
        )
    limits = {"k": k, "budget_yuan": budget_yuan, "max_area_m2": max_area_m2}
    if objective == "coverage":
        sel = select_sites(scored, layers, use, curve_method=curve_method, **limits, **common)
        return Programme(
            use,
            objective,
            group,
            sel.plots,
            sel.covered,
            sel.uncovered_before,
            sel.capex_wan,
            sel.upkeep_wan_per_year,
            r_used,
            curve=sel.curve,
            objective_value=sel.covered,
            notes=sel.notes,
        )
    ch = site_choice(scored, layers, use, **limits, **common)
    if objective == "maxmin":
        return _maxmin(scored, layers, use, group, ch, config, distances, r_used)
    return _supply(scored, layers, use, group, ch, config, distances, r_used)


def _programme(
    scored: gpd.GeoDataFrame,
    use: str,
    objective: str,
    group: str,
    ch: SiteChoice,
    selected: np.ndarray,
    radius: float,
    *,
    gap: float = 0.0,
    **extra: float,
) -> Programme:
    p = ch.problem
    marginal = marginal_residents(p.cover, p.demand, selected)
    sel = selection_result(scored, use, ch, selected, marginal, pd.DataFrame())
    notes = sel.notes + ((time_limit_note(gap),) if gap > 0 else ())
    return Programme(
        use,
        objective,
        group,
        sel.plots,
        sel.covered,
        sel.uncovered_before,
        sel.capex_wan,
        sel.upkeep_wan_per_year,
        radius,
        notes=notes,
        **extra,
    )


def _maxmin(
    scored: gpd.GeoDataFrame,
    layers: Layers,
    use: str,
    group: str,
    ch: SiteChoice,
    config: PlannerConfig,
    distances: DistanceModel,
    radius: float,
) -> Programme:
    from planner.criteria.access import home_points
    from planner.decision.lifecircles import life_circles_for

    res = layers.residential
    share = (
        group_shares(res, config)[group].to_numpy(float) if group != "all" else np.ones(len(res))
    )
    population = res["population"].to_numpy(float) * share
    circles = life_circles_for(layers, distances, config)
    label = circles.assign(home_points(res), distances)
    ids = pd.Index(circles.circles["circle_id"].astype(str))
    code = np.asarray(ids.get_indexer(label.astype(object).fillna("").to_numpy()))
    sol = maxmin_covering(
        ch.problem.cover,
        ch.problem.demand,
        population,
        code,
        k=ch.k,
        budgets=ch.budgets,
        eligible=ch.eligible,
    )
    return _programme(
        scored,
        use,
        "maxmin",
        group,
        ch,
        sol.selected,
        radius,
        objective_value=sol.value,
        worst_share=sol.worst_share,
        gap=sol.gap,
    )


def _supply(
    scored: gpd.GeoDataFrame,
    layers: Layers,
    use: str,
    group: str,
    ch: SiteChoice,
    config: PlannerConfig,
    distances: DistanceModel,
    radius: float,
) -> Programme:
    if use != "pocket_park":
        raise ConfigError(Msg("decision.supply_parks_only"))
    if group != "all":
        raise ConfigError(Msg("decision.supply_all_residents"))
    gain, pop, shortfall = supply_gains(layers, scored.geometry, config, distances)
    sol = supply_covering(gain, pop, shortfall, k=ch.k, budgets=ch.budgets, eligible=ch.eligible)
    prog = _programme(
        scored,
        use,
        "supply",
        group,
        ch,
        sol.selected,
        radius,
        objective_value=sol.value,
        gap=sol.gap,
    )
    prog.plots["supply_gain_m2"] = np.round(supply_marginal(gain, pop, shortfall, sol.selected), 1)
    return prog
