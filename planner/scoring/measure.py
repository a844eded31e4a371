"""Raw measures: every column of :data:`planner.criteria.MEASURES` for every plot, once per load.

The measuring plan is a table (:data:`STAGES`): each :class:`Step` names the columns it makes
and the pure function that makes them (from :mod:`planner.criteria`); the layers it needs are
those its columns declare (:attr:`planner.criteria.Measure.needs`), and its radius the one its
column declares. One rule covers a missing layer: a step whose layers are not all there is not
run and its columns are NaN; a criterion reading such a column is left out of the weighting
("no <role> layer"), or — when its layers are there but the measure is NaN everywhere — for the
reason its measure declares (:attr:`planner.criteria.Measure.unmeasured`).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property

import geopandas as gpd
import numpy as np
import pandas as pd

from planner.access.distances import DistanceModel, MemoDistance
from planner.access.network import DistanceBasis, distance_model_for
from planner.config import PlannerConfig
from planner.criteria import CRITERIA, MEASURES
from planner.criteria.access import (
    covered_by,
    home_points,
    nearest_distance_m,
    residents_within_radii,
    street_distance_m,
)
from planner.criteria.park import newly_covered_residents, vulnerable_share
from planner.criteria.parking import car_frontage_m, poi_pull, stall_layout, unmet_vehicle_demand
from planner.criteria.shape import area_m2, compactness, min_width_m
from planner.crs import choose_metric_crs
from planner.layers import Layers, prepare_layers
from planner.messages import Msg
from planner.parallel import Background, can_fork, cores_taken, release_freed_memory
from planner.parking.demand import demand_served
from planner.parking.layout import LayoutParams

Progress = Callable[[str, float], None]


def _noop(_msg: str, _frac: float) -> None:
    return None


@dataclass
class CriteriaTable:
    """Raw measures of every plot, computed once per data load.

    Attributes
    ----------
    plots : GeoDataFrame
        The prepared plots (metric CRS) with ``plot_id`` and ``name``.
    raw : DataFrame
        One column per raw measure (:data:`planner.criteria.MEASURES`, in its order), aligned
        to ``plots``; NaN where the layer is missing.
    missing : dict
        ``{"<use>.<criterion>": "why it was left out"}``.
    exclusion_reason : Series
        Constraint reason for excluded plots, ``<NA>`` elsewhere.
    distance_basis : Series
        ``network`` or ``straight_line`` per plot.
    layers : Layers
        The prepared layers the measures came from.
    distances : DistanceModel or None
        The distance model the measures used; selection and allocation reuse it so that
        every figure of a run rests on the same distances.
    """

    plots: gpd.GeoDataFrame
    raw: pd.DataFrame
    missing: dict[str, str]
    exclusion_reason: pd.Series
    distance_basis: pd.Series
    layers: Layers
    notes: list[str] = field(default_factory=list)
    distances: DistanceModel | None = None


# --- the measuring plan -----------------------------------------------------------------------


@dataclass
class Inputs:
    """What a measuring step reads: the plots, the layers, the configuration, the distances."""

    layers: Layers
    config: PlannerConfig
    distances: DistanceModel | None = None
    #: Columns measured so far (a step may read earlier ones).
    raw: dict[str, pd.Series] = field(default_factory=dict)

    @property
    def plots(self) -> gpd.GeoDataFrame:
        """The prepared plots."""
        return self.layers.plots

    def layer(self, role: str) -> gpd.GeoDataFrame | None:
        """The layer of ``role``, ``None`` when the run has none."""
        return getattr(self.layers, role) if self.layers.has(role) else None

    @cached_property
    def homes(self) -> gpd.GeoDataFrame:
        """The residential layer at its home points: every measure locates residents there."""
        res = self.layers.residential
        return res.set_geometry(home_points(res))

    def radius(self, column: str) -> float:
        """The radius (m) of ``column``, as its measure declares it."""
        return float(MEASURES[column].radius_m(self.config.thresholds))  # type: ignore[arg-type]


Measured = pd.Series | pd.DataFrame


@dataclass(frozen=True)
class Step:
    """Some raw columns and the pure function that measures them.

    Attributes
    ----------
    columns : tuple of str
        The columns it makes (declared in :data:`planner.criteria.MEASURES`).
    fn : callable
        ``fn(inputs) -> Series or DataFrame`` aligned to the plots.
    notes_without : tuple of (role, note)
        Layers it uses when there (not needed): the run's note when one is missing.
    ahead : callable, optional
        ``ahead(inputs)``: work the step can have done before its stage (it changes no
        answer: places located on the network, answers the distance memo keeps), done
        while the plots' own measures take the other core (:func:`compute_criteria`).
    """

    columns: tuple[str, ...]
    fn: Callable[[Inputs], Measured]
    notes_without: tuple[tuple[str, str], ...] = ()
    ahead: Callable[[Inputs], object] | None = None

    @property
    def needs(self) -> tuple[str, ...]:
        """Layer roles its columns need (their declarations)."""
        return tuple(dict.fromkeys(r for c in self.columns for r in MEASURES[c].needs))

    def prepare(self, inputs: Inputs) -> None:
        """Do its :attr:`ahead` work (when it has some and every layer it needs is there)."""
        if self.ahead is not None and all(inputs.layers.has(role) for role in self.needs):
            self.ahead(inputs)
            release_freed_memory()

    def measure(self, inputs: Inputs) -> dict[str, pd.Series]:
        """Its columns: measured when every layer it needs is there, else NaN (the one rule)."""
        index = inputs.plots.index
        if not all(inputs.layers.has(role) for role in self.needs):
            return {c: pd.Series(np.nan, index=index, name=c) for c in self.columns}
        out = self.fn(inputs)
        if isinstance(out, pd.Series):
            return {self.columns[0]: out}
        return {c: out[c] for c in self.columns}

    def notes(self, layers: Layers) -> list[str]:
        """The notes of the layers it would use that are missing (none when it is not run)."""
        if not all(layers.has(role) for role in self.needs):
            return []
        return [note for role, note in self.notes_without if not layers.has(role)]


@dataclass(frozen=True)
class Stage:
    """Steps reported together (``progress(message, ...)``)."""

    message: str
    steps: tuple[Step, ...]
    #: Measured from the plots and roads alone, in a second process beside the others.
    plots_only: bool = False
    #: Measured before the plots' own measures are awaited, while their process has the
    #: other core: in this process alone (no worker forks beside that process's memory).
    beside_plots: bool = False


_RESIDENTS = ("residents_5min", "residents_10min", "residents_15min")
_STALLS = (
    "est_parking_spaces",
    "accessible_stalls",
    "parking_layout",
    "gross_m2_per_stall",
    "parking_layout_reason",
)

#: The plots' own shape and street edge: no distance model needed.
PLOT_STEPS: tuple[Step, ...] = (
    Step(("area_m2",), lambda m: area_m2(m.plots)),
    Step(("compactness",), lambda m: compactness(m.plots)),
    Step(("min_width_m",), lambda m: min_width_m(m.plots)),
    Step(
        _STALLS,
        lambda m: stall_layout(m.plots, m.layer("roads"), LayoutParams.from_config(m.config)),
    ),
    Step(("street_distance_m",), lambda m: street_distance_m(m.plots, m.layers.roads)),
    Step(
        ("car_frontage_m",),
        lambda m: car_frontage_m(m.plots, m.layers.roads, m.config.thresholds.frontage_buffer_m),
    ),
)

#: Every step, by stage, in the order they run.
STAGES: tuple[Stage, ...] = (
    # while the plots' own measures are taken in their process: one search over the whole
    # network, in this process (then the later steps' work ahead, see compute_criteria)
    Stage(
        "distances to green space",
        (
            Step(
                ("nearest_green_m",),
                lambda m: nearest_distance_m(
                    m.plots, m.layers.green, m.distances, name="nearest_green_m"
                ),
            ),
        ),
        beside_plots=True,
    ),
    # the process measuring the plots ends here, and its memory is given back before the
    # workers of the distance searches fork (issue 17)
    Stage("streets and frontage", PLOT_STEPS, plots_only=True),
    Stage(
        "residents and coverage",
        (
            # the three walks from one search at the largest radius
            Step(
                _RESIDENTS,
                lambda m: residents_within_radii(
                    m.plots, m.homes, {c: m.radius(c) for c in _RESIDENTS}, m.distances
                ),
                ahead=lambda m: m.distances.prepare_within(
                    m.plots.geometry, m.homes.geometry, max(m.radius(c) for c in _RESIDENTS)
                ),
            ),
            Step(
                ("new_residents_green",),
                lambda m: newly_covered_residents(
                    m.plots, m.homes, m.layers.green, m.radius("new_residents_green"), m.distances
                ),
                # every home's cover by green today (the memo keeps it for the step)
                ahead=lambda m: covered_by(
                    m.homes.geometry, m.layers.green, m.radius("new_residents_green"), m.distances
                ),
            ),
            Step(
                ("vulnerable_share",),
                lambda m: vulnerable_share(
                    m.plots, m.homes, m.radius("vulnerable_share"), m.distances
                ),
            ),
        ),
    ),
    Stage(
        "parking demand and supply",
        (
            Step(
                ("nearest_parking_m",),
                lambda m: nearest_distance_m(
                    m.plots, m.layers.parking, m.distances, name="nearest_parking_m"
                ),
                ahead=lambda m: m.distances.locate(m.layers.parking.geometry),
            ),
            Step(
                ("unmet_vehicles_nearby",),
                lambda m: unmet_vehicle_demand(
                    m.plots,
                    m.homes,
                    m.layer("parking"),
                    m.radius("unmet_vehicles_nearby"),
                    m.distances,
                    m.config.assumptions,
                    pois=m.layer("pois"),
                    poi_vehicles=m.config.parking.daytime_vehicles_per_poi,
                ),
                notes_without=(("parking", Msg("scoring.note_no_parking_layer")),),
            ),
            Step(
                ("parking_demand_served", "parking_demand_share_met"),
                lambda m: demand_served(
                    m.raw["unmet_vehicles_nearby"], m.raw["est_parking_spaces"]
                ),
            ),
        ),
    ),
    Stage(
        "busy destinations",
        (
            Step(
                ("poi_pull_nearby",),
                lambda m: poi_pull(
                    m.plots,
                    m.layers.pois,
                    m.radius("poi_pull_nearby"),
                    m.distances,
                    m.config.thresholds.poi_weights,
                ),
                ahead=lambda m: m.distances.locate(m.layers.pois.geometry),
            ),
        ),
    ),
)


def run_steps(steps: tuple[Step, ...], inputs: Inputs) -> dict[str, pd.Series]:
    """Measure ``steps`` in order (each may read the columns of those before it).

    The memory a step freed is given back before the next (:func:`release_freed_memory`):
    its large temporary arrays would otherwise stay in this process's heap (issue 17).
    """
    for step in steps:
        inputs.raw.update(step.measure(inputs))
        release_freed_memory()
    return {c: inputs.raw[c] for step in steps for c in step.columns}


def _plot_measures(layers: Layers, config: PlannerConfig) -> pd.DataFrame:
    """The columns of :data:`PLOT_STEPS` (area, shape, stall layout, street edge)."""
    return pd.DataFrame(run_steps(PLOT_STEPS, Inputs(layers, config)))


def constraint_reason(plots: gpd.GeoDataFrame, constraints: gpd.GeoDataFrame | None) -> pd.Series:
    """The reason of the constraint a plot overlaps (by area), ``<NA>`` where none does."""
    out = pd.Series(pd.NA, index=plots.index, dtype="string", name="exclusion_reason")
    if constraints is None or len(constraints) == 0:
        return out
    i, j = constraints.sindex.query(plots.geometry.values, predicate="intersects")
    if len(i) == 0:
        return out
    order = np.lexsort((j, i))  # reasons in layer order, whatever the index's own order
    i, j = i[order], j[order]
    overlap = plots.geometry.values[i].intersection(constraints.geometry.values[j]).area
    keep = overlap > 0  # touching along an edge is not inside
    reasons = pd.Series(constraints["reason"].astype("string").to_numpy()[j[keep]])
    joined = reasons.groupby(i[keep]).agg(lambda s: "; ".join(dict.fromkeys(s)))
    out.iloc[joined.index.to_numpy()] = joined.to_numpy()
    return out


def missing_criteria(layers: Layers, raw: pd.DataFrame) -> dict[str, str]:
    """The criteria left out of the weighting and why (``{"<use>.<name>": why}``).

    Each ``why`` is a message by key (:class:`planner.messages.Msg`: its English as a ``str``,
    in 中文 through :func:`planner.messages.localized`).

    Criteria whose measure could not be taken although its layers are there come first, then
    those whose layers are missing, each in the order of :data:`planner.criteria.CRITERIA`.
    """
    unmeasured: dict[str, str] = {}
    absent: dict[str, str] = {}
    for criteria in CRITERIA.values():
        for crit in criteria:
            roles = [role for role in crit.needs if not layers.has(role)]
            if roles:
                absent[crit.key] = Msg("scoring.left_out_no_layer", roles=" / ".join(roles))
                continue
            for m in crit.measures:
                if m.unmeasured and raw[m.column].isna().all():
                    unmeasured[crit.key] = m.unmeasured
    return {**unmeasured, **absent}


def residents_at_home_points(layers: Layers) -> Layers:
    """The prepared layers with each residential feature at its home point.

    Every measure of :func:`compute_criteria` locates residents at their home points
    (:func:`planner.criteria.access.home_points`) and reads no building outline, so a run
    that only scores may drop the outlines once the points are made: the measures are the
    same. At 100,000 plots the 1,000,000 building polygons hold about 450 MB for the whole
    run (``planner score`` does this unless it draws; issue 17).

    Parameters
    ----------
    layers : Layers
        Prepared layers (:func:`planner.layers.prepare_layers`).

    Returns
    -------
    Layers
        ``layers`` with ``residential`` at its home points (the same layers without one).
    """
    if not layers.has("residential"):
        return layers
    res = layers.residential
    return dataclasses.replace(layers, residential=res.set_geometry(home_points(res)))


# --- the plots' own measures, possibly started early ------------------------------------------


@dataclass
class PlotMeasures:
    """The plots' own measures, started before the run's layers were all read.

    Made by :func:`start_plot_measures`; :func:`compute_criteria` uses it when the run's
    metric CRS is ``crs`` (else it stops the job and measures again).
    """

    crs: object
    job: Background

    def cancel(self) -> None:
        """Stop the job (its result is not wanted)."""
        self.job.cancel()


def _prepared_plot_measures(
    plots: gpd.GeoDataFrame, roads: gpd.GeoDataFrame, crs: object, config: PlannerConfig
) -> pd.DataFrame:
    """Prepare plots and roads as :func:`prepare_layers` does in ``crs``; measure the plots."""
    p = prepare_layers(Layers(plots=plots, roads=roads, sources={}), config, crs=crs)
    return _plot_measures(p, config)


def start_plot_measures(
    plots: gpd.GeoDataFrame,
    roads: gpd.GeoDataFrame,
    config: PlannerConfig | None = None,
    *,
    workers: int = 1,
) -> PlotMeasures | None:
    """Start measuring the plots' shapes and street edges while the other layers are read.

    Parameters
    ----------
    plots, roads : GeoDataFrame
        The layers as read (any CRS).
    config : PlannerConfig, optional
    workers : int
        The run's worker processes; nothing is started with one (or without ``fork``).

    Returns
    -------
    PlotMeasures or None
        A second process prepares the two layers in the metric CRS they alone point to and
        measures the plots (area, compactness, width, stall layout, street distance and
        frontage: about 15 s of CPU at 100,000 plots), so the core that reading leaves idle
        does it. ``None`` when nothing was started (one worker, or layers whose CRS cannot be
        chosen: the run's own checks will say why).
    """
    if workers <= 1 or not can_fork():
        return None
    config = config or PlannerConfig()
    try:
        crs = choose_metric_crs(plots, roads)
    except Exception:  # noqa: BLE001 - the run's own checks report bad layers
        return None
    return PlotMeasures(crs, Background(_prepared_plot_measures, plots, roads, crs, config))


def _plot_measures_job(
    layers: Layers, config: PlannerConfig, workers: int, early: PlotMeasures | None
) -> tuple[Callable[[], pd.DataFrame], bool]:
    """Start the plots' own measures (or take those started early).

    With workers, a second process measures them while this one builds the distance model
    and walks the network. Measures started early are used when made in this run's CRS for
    these very plots, else measured again. Returns a function giving their result (waiting
    for it) and whether they are being measured in that second process.
    """
    roads = layers.roads if layers.has("roads") else None
    use_early = early is not None and roads is not None and early.crs == layers.crs
    if early is not None and not use_early:
        early.cancel()
    if not use_early:
        if roads is not None:
            _ = roads.sindex  # built once, here: the process measuring shapes inherits it
        job = Background(_plot_measures, layers, config, enabled=workers > 1)
        return job.result, job.running

    def checked() -> pd.DataFrame:
        measured = early.job.result()
        plots = layers.plots
        if measured.index.equals(plots.index) and measured["area_m2"].equals(area_m2(plots)):
            return measured
        return _plot_measures(layers, config)  # made for other plots

    return checked, early.job.running


def compute_criteria(
    layers: Layers,
    config: PlannerConfig | None = None,
    *,
    distances: DistanceModel | None = None,
    distance: DistanceBasis = "auto",
    progress: Progress | None = None,
    workers: int = 1,
    plot_measures: PlotMeasures | None = None,
) -> CriteriaTable:
    """Measure every raw criterion value of every plot (the steps of :data:`STAGES`).

    Parameters
    ----------
    layers : Layers
        Layers as read, or already prepared (``layers.crs`` set).
    config : PlannerConfig, optional
        Radii and assumptions; defaults when omitted.
    distances : DistanceModel, optional
        How distances are measured; when omitted, built here for ``distance``
        (:func:`planner.access.network.distance_model_for`).
    distance : {"auto", "network", "straight_line"}
        The basis of the model built when ``distances`` is omitted; ``auto``: walking
        distances over the roads layer if it has walkable lines, else the straight line.
    progress : callable, optional
        ``progress(message, fraction)`` is called as the work advances.
    workers : int
        Processes to use (:mod:`planner.parallel`). With more than one, the measures of the
        plots' own shape and street edge (stall layouts above all) run in a second process;
        meanwhile this one, alone, builds the distance model, measures the distances to
        green space and does the later steps' work ahead (:attr:`Step.ahead`); then the
        walking network's large searches (when this function builds the model) are spread
        over ``workers`` processes. Every value is the same whatever it is.
    plot_measures : PlotMeasures, optional
        The plots' own measures already under way (:func:`start_plot_measures`); used when
        they were made in this run's CRS for these plots, else measured again.
    """
    config = config or PlannerConfig()
    progress = progress or _noop
    if layers.crs is None:
        progress("checking and projecting layers", 0.0)
        layers = prepare_layers(layers, config)
    steps = len(STAGES) + 2
    progress("measuring plot shapes", 1 / steps)
    plot_measures_result, beside = _plot_measures_job(layers, config, workers, plot_measures)
    # while the plots are measured in their own process, this one works alone
    with cores_taken(1 if beside else 0):
        if distances is None:
            progress(f"building the distance model ({distance})", 1 / steps)
            distances = distance_model_for(layers, config, distance, workers=workers)
        # one answer per distinct query: several measures ask for the same pairs
        inputs = Inputs(layers, config, MemoDistance(distances))
        for k, stage in enumerate(STAGES, start=2):
            if stage.beside_plots:
                progress(stage.message, k / steps)
                run_steps(stage.steps, inputs)
        # the later steps' work ahead (homes located, cover by green) on the core the plots'
        # process leaves, so that the searches which follow fork from a process which has
        # it (issue 17); with nothing beside, each step does its own work in its stage
        if beside:
            progress("locating homes and destinations", 2 / steps)
            for stage in STAGES:
                for step in stage.steps:
                    step.prepare(inputs)
    notes: list[str] = list(layers.notes)  # ids renamed, plots dropped
    for k, stage in enumerate(STAGES, start=2):
        if stage.plots_only:
            progress(stage.message, k / steps)
            inputs.raw.update(plot_measures_result().to_dict("series"))
        elif not stage.beside_plots:
            progress(stage.message, k / steps)
            run_steps(stage.steps, inputs)
        notes += [note for step in stage.steps for note in step.notes(layers)]
    raw = pd.DataFrame({c: inputs.raw[c] for c in MEASURES})
    basis = pd.Series(
        inputs.distances.origin_basis(layers.plots.geometry),
        index=layers.plots.index,
        name="distance_basis",
    )
    progress("criteria measured", 1.0)
    return CriteriaTable(
        plots=layers.plots,
        raw=raw,
        missing=missing_criteria(layers, raw),
        exclusion_reason=constraint_reason(layers.plots, layers.constraints),
        distance_basis=basis,
        layers=layers,
        notes=notes,
        distances=inputs.distances,
    )
