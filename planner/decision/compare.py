"""What a plan adds up to, and two plans side by side.

:func:`evaluate_plan` takes a use per plot (a selection, an allocation, a saved scenario) and
measures it for the district and for every life circle:

* residents newly within reach of green space — all, 60 and over, under 14, each group at its
  own walking radius (:mod:`planner.decision.equity`);
* stalls added against the parking gap (night-time demand less supply,
  :mod:`planner.decision.lifecircles`);
* building cost and yearly upkeep (:mod:`planner.decision.costs`), residents per 万元;
* green m² per resident (2SFCA) and its Gini coefficient across estates;
* the life-circle report card (the indicator card: coverage, park area per resident, parking
  ratio, flags) after the plan.

:func:`compare_plans` puts two evaluations side by side (district, life circles, plots) for
``planner compare`` and the app's compare tab.
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd

from planner.access.distances import DistanceModel
from planner.config import PlannerConfig
from planner.criteria.access import home_points
from planner.decision.costs import per_wan, plot_costs, with_costs
from planner.decision.equity import DISTRICT, GROUPS, EquityReport, equity_report
from planner.decision.scenarios import Scenario
from planner.errors import ConfigError
from planner.layers import Layers
from planner.messages import Msg

#: District figures of :func:`district_figures`, in the order they are shown.
DISTRICT_FIGURES = (
    "plots_pocket_park",
    "plots_parking",
    "park_area_m2",
    "stalls_added",
    "residents_newly_covered",
    "elderly_newly_covered",
    "children_newly_covered",
    "share_covered_before",
    "share_covered_after",
    "parking_gap_before",
    "parking_gap_after",
    "capex_wan",
    "upkeep_wan_per_year",
    "residents_per_wan",
    "green_m2_per_resident_before",
    "green_m2_per_resident_after",
    "gini_before",
    "gini_after",
)
#: Per-circle figures compared side by side.
CIRCLE_FIGURES = (
    "new_pocket_parks",
    "new_parking_spaces",
    "residents_newly_covered",
    "elderly_newly_covered",
    "children_newly_covered",
    "parking_gap_after",
    "capex_wan",
    "green_coverage_share_after",
    "park_coverage_share_after",
    "park_area_per_resident_m2_after",
    "green_m2_per_resident_after",
    "flags_after",
)
#: How a plot differs between plans A and B.
CHANGES = ("same", "only_a", "only_b", "changed", "none")


@dataclass(frozen=True)
class PlanEvaluation:
    """One plan measured: district figures, life circles, estates and plots."""

    name: str
    district: dict[str, float]
    circles: pd.DataFrame
    equity: EquityReport
    plots: gpd.GeoDataFrame


def _gap(demand: pd.Series, supply: pd.Series) -> float:
    return float(np.maximum(0.0, demand.to_numpy(float) - supply.to_numpy(float)).sum())


def district_figures(
    plots: pd.DataFrame, card: pd.DataFrame, equity: EquityReport
) -> dict[str, float]:
    """The district figures of a plan (:data:`DISTRICT_FIGURES`)."""
    use = plots["use"].astype(str).to_numpy()
    park, car = use == "pocket_park", use == "parking"
    eq = equity.summary()
    d = equity.groups[(equity.groups["area"] == DISTRICT) & (equity.groups["group"] == "all")]
    capex = float(plots["capex_wan"].fillna(0).sum())
    out = {
        "plots_pocket_park": float(park.sum()),
        "plots_parking": float(car.sum()),
        "park_area_m2": round(float(plots["area_m2"].to_numpy(float)[park].sum()), 1),
        "stalls_added": float(plots["est_parking_spaces"].fillna(0).to_numpy(float)[car].sum()),
        "residents_newly_covered": eq["newly_covered_all"],
        "elderly_newly_covered": eq["newly_covered_elderly"],
        "children_newly_covered": eq["newly_covered_children"],
        "share_covered_before": float(d["share_before"].iloc[0]),
        "share_covered_after": float(d["share_after"].iloc[0]),
        "parking_gap_before": round(_gap(card["parking_demand"], card["parking_supply"]), 1),
        "parking_gap_after": round(_gap(card["parking_demand"], card["parking_supply_after"]), 1),
        "capex_wan": round(capex, 2),
        "upkeep_wan_per_year": round(float(plots["upkeep_wan_per_year"].fillna(0).sum()), 3),
        "residents_per_wan": round(per_wan(eq["newly_covered_all"], capex), 3),
        "green_m2_per_resident_before": round(eq["green_m2_per_resident"], 4),
        "green_m2_per_resident_after": round(eq["green_m2_per_resident_after"], 4),
        "gini_before": round(eq["gini_before"], 4),
        "gini_after": round(eq["gini_after"], 4),
    }
    return {k: float(out[k]) for k in DISTRICT_FIGURES}


def _circle_table(card: pd.DataFrame, equity: EquityReport, plots: pd.DataFrame) -> pd.DataFrame:
    """The report card after the plan, with coverage by group, cost and 2SFCA per circle."""
    out = pd.DataFrame(card.drop(columns=card.geometry.name))
    g = equity.groups[equity.groups["area"] != DISTRICT]
    for grp in GROUPS:
        name = "residents_newly_covered" if grp == "all" else f"{grp}_newly_covered"
        per = g[g["group"] == grp].set_index("area")["newly_covered"]
        out[name] = out["circle_id"].map(per).fillna(0.0).to_numpy()
    est = equity.estates
    pop = est["residents_all"].to_numpy(float)
    w = pd.DataFrame(
        {
            "c": est["life_circle"].astype(object),
            "pop": pop,
            "v": pop * est["green_m2_per_resident_after"].to_numpy(float),
        }
    )
    sums = w.groupby("c")[["pop", "v"]].sum()
    mean = (sums["v"] / sums["pop"].where(sums["pop"] > 0)).round(4)
    out["green_m2_per_resident_after"] = out["circle_id"].map(mean).to_numpy()
    out["parking_gap_after"] = np.maximum(
        0.0, out["parking_demand"].to_numpy(float) - out["parking_supply_after"].to_numpy(float)
    )
    cost = plots.groupby(plots["life_circle"].astype(object))["capex_wan"].sum()
    out["capex_wan"] = out["circle_id"].map(cost).fillna(0.0).round(2).to_numpy()
    return out


def evaluate_plan(
    scored: gpd.GeoDataFrame,
    layers: Layers,
    uses: pd.Series,
    *,
    config: PlannerConfig | None = None,
    distances: DistanceModel | None = None,
    name: str = "",
    phases: pd.Series | None = None,
) -> PlanEvaluation:
    """Measure a plan: ``uses`` gives each plot of ``scored`` a use or ``none``.

    Parameters
    ----------
    scored : GeoDataFrame
        Output of :func:`planner.score` for ``layers`` (same index).
    layers : Layers
        Prepared layers (residential required).
    uses : Series
        ``pocket_park``, ``parking`` or ``none`` per plot (index of ``scored``).
    phases : Series, optional
        Phase of each plot (kept in :attr:`PlanEvaluation.plots`).
    """
    from planner.decision.lifecircles import life_circle_report

    config = config or PlannerConfig()
    if not scored.index.equals(layers.plots.index):
        raise ConfigError(Msg("decision.index_differs"))
    if not layers.has("residential"):
        raise ConfigError(Msg("decision.evaluate_needs_residential"))
    distances = report_distances(distances, layers, config)
    uses = uses.reindex(scored.index).astype(object)
    uses = uses.where(uses.notna(), "none").astype(str)
    plan = scored.assign(recommended_use=uses.to_numpy())
    report = life_circle_report(layers, config, scored=plan, distances=distances)
    circle = report.circles.assign(home_points(layers.residential), distances)
    new_parks = scored.geometry[(uses == "pocket_park").to_numpy()]
    equity = equity_report(
        layers, new_parks, config, distances, circle=circle.astype(object).fillna("-").to_numpy()
    )
    plots = with_costs(scored, plot_costs(scored, config), uses)
    plots["use"] = uses.to_numpy()
    if phases is not None:
        ph = phases.reindex(scored.index).astype(object)
        plots["phase"] = ph.where(ph.notna(), "").astype(str).to_numpy()
    else:
        plots["phase"] = ""
    plots["life_circle"] = report.plots["life_circle"].to_numpy()
    district = district_figures(plots, report.card, equity)
    return PlanEvaluation(name, district, _circle_table(report.card, equity, plots), equity, plots)


def report_distances(
    distances: DistanceModel | None, layers: Layers, config: PlannerConfig
) -> DistanceModel:
    """The distance model a life-circle report uses when none is given."""
    if distances is not None:
        return distances
    from planner.access.network import distance_model_for

    return distance_model_for(layers, config, "auto")


def evaluate_scenario(
    scenario: Scenario,
    scored: gpd.GeoDataFrame,
    layers: Layers,
    *,
    distances: DistanceModel | None = None,
    check_data: bool = True,
) -> PlanEvaluation:
    """:func:`evaluate_plan` of a saved scenario, with its own configuration.

    ``scored`` and ``layers`` must be scored with ``scenario.config``; with ``check_data``
    data other than the scenario's own is refused
    (:meth:`~planner.decision.scenarios.Scenario.check_data`).
    """
    if check_data:
        scenario.check_data(layers)
    return evaluate_plan(
        scored,
        layers,
        scenario.uses(scored),
        config=scenario.config,
        distances=distances,
        name=scenario.name,
        phases=scenario.phases(scored),
    )


def make_scenario(
    name: str,
    scored: gpd.GeoDataFrame,
    layers: Layers,
    uses: pd.Series,
    *,
    config: PlannerConfig | None = None,
    distances: DistanceModel | None = None,
    phases: pd.Series | None = None,
    description: str = "",
    selection: dict | None = None,
) -> tuple[Scenario, PlanEvaluation]:
    """A scenario of the plan ``uses`` (with its figures) and the plan's evaluation."""
    from planner.decision.scenarios import data_fingerprint

    config = config or PlannerConfig()
    ev = evaluate_plan(
        scored, layers, uses, config=config, distances=distances, name=name, phases=phases
    )
    given = ev.plots[ev.plots["use"] != "none"]
    scenario = Scenario(
        name,
        pd.DataFrame(
            {"plot_id": given["plot_id"].astype(str), "use": given["use"], "phase": given["phase"]}
        ),
        config,
        data_fingerprint(layers),
        len(scored),
        description,
        dict(selection or {}),
        dict(ev.district),
        distance=str(getattr(distances, "basis", "")),
    )
    return scenario, ev


# --- two plans side by side ------------------------------------------------------------------


@dataclass(frozen=True)
class Comparison:
    """Plans A and B side by side: district, life circles and plots."""

    a: PlanEvaluation
    b: PlanEvaluation
    district: pd.DataFrame
    circles: pd.DataFrame
    plots: gpd.GeoDataFrame
    #: The 城市体检 indicator card's district rows after each plan, where the caller made it
    #: (:func:`planner.app.plan_report.indicators_side_by_side`; the card sits above this
    #: layer).
    indicators: pd.DataFrame | None = None


def plot_changes(a: pd.Series, b: pd.Series) -> np.ndarray:
    """How each plot differs: ``same`` use, ``only_a``, ``only_b``, ``changed`` use, ``none``."""
    ua, ub = a.astype(str).to_numpy(), b.astype(str).to_numpy()
    ina, inb = ua != "none", ub != "none"
    return np.select(
        [ina & inb & (ua == ub), ina & ~inb, ~ina & inb, ina & inb],
        ["same", "only_a", "only_b", "changed"],
        "none",
    ).astype(object)


def compare_plans(a: PlanEvaluation, b: PlanEvaluation) -> Comparison:
    """Side by side: ``district`` (figure, A, B, B − A), ``circles`` (A/B columns), ``plots``.

    The plots of both must be the same (the same data).
    """
    if not a.plots["plot_id"].astype(str).equals(b.plots["plot_id"].astype(str)):
        raise ConfigError(Msg("decision.plans_differ"))
    fa, fb = a.district, b.district
    district = pd.DataFrame(
        {
            "figure": list(DISTRICT_FIGURES),
            "a": [fa[k] for k in DISTRICT_FIGURES],
            "b": [fb[k] for k in DISTRICT_FIGURES],
        }
    )
    district["difference"] = district["b"] - district["a"]
    keys = ["circle_id", "circle_name", "residents"]
    ca = a.circles.set_index("circle_id")
    cb = b.circles.set_index("circle_id")
    circles = a.circles[keys].copy()
    for col in CIRCLE_FIGURES:
        circles[f"{col}_a"] = circles["circle_id"].map(ca[col]).to_numpy()
        circles[f"{col}_b"] = circles["circle_id"].map(cb[col]).to_numpy()
    plots = (
        a.plots[["plot_id", "name", "area_m2", a.plots.geometry.name]].copy()
        if "name" in a.plots
        else a.plots[["plot_id", "area_m2", a.plots.geometry.name]].copy()
    )
    plots["use_a"], plots["use_b"] = a.plots["use"].to_numpy(), b.plots["use"].to_numpy()
    plots["phase_a"], plots["phase_b"] = a.plots["phase"].to_numpy(), b.plots["phase"].to_numpy()
    plots["capex_wan_a"] = a.plots["capex_wan"].to_numpy()
    plots["capex_wan_b"] = b.plots["capex_wan"].to_numpy()
    plots["change"] = plot_changes(a.plots["use"], b.plots["use"])
    return Comparison(a, b, district, circles, gpd.GeoDataFrame(plots, crs=a.plots.crs))
