"""``planner allocate``: one use per plot, meeting the planner's targets (exact)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from planner import standards as S
from planner.cli.language import note_line
from planner.cli.options import (
    check_outputs,
    config_from_options,
    distance_options,
    layer_input_options,
    layers_from_options,
    prepared_with_distances,
    preset_option,
    quiet_option,
)
from planner.cli.plan_options import (
    budget_options,
    check_suffixes,
    plan_output_options,
    write_plan_outputs,
)
from planner.cli.score import check_output_path, stderr_progress
from planner.decision.allocation import BENEFITS, POI_CATEGORIES
from planner.decision.presets import config_with_preset
from planner.messages import Msg


@click.command()
@layer_input_options
@distance_options
@click.option(
    "--parking-spaces",
    "spaces",
    type=click.IntRange(min=0),
    default=0,
    show_default=True,
    help="At least this many new parking spaces near --near.",
)
@click.option(
    "--near",
    "near",
    type=click.Choice(POI_CATEGORIES),
    default="station",
    show_default=True,
    help="POI category the parking target is tied to.",
)
@click.option(
    "--near-distance",
    "near_m",
    type=click.FloatRange(min=0, min_open=True),
    default=S.PARKING_WALK_RADIUS_M,
    show_default=True,
    help="Metres from the plot to that POI.",
)
@click.option(
    "--max-park-area",
    "max_park",
    type=click.FloatRange(min=0),
    default=None,
    help="At most this many m² of new pocket park.",
)
@budget_options
@click.option(
    "--park-cost",
    type=click.FloatRange(min=0),
    default=None,
    help="A flat yuan per m² of pocket park instead of the [costs] table (give "
    "--parking-cost too).",
)
@click.option(
    "--parking-cost",
    type=click.FloatRange(min=0),
    default=None,
    help="A flat yuan per m² of surface car park instead of the [costs] table.",
)
@click.option(
    "--min-score",
    type=click.FloatRange(0, 1),
    default=None,
    help="Lowest score at which a plot may take a use (default: the "
    "recommendation threshold of the configuration).",
)
@click.option(
    "--benefit",
    type=click.Choice(BENEFITS),
    default="score_area",
    show_default=True,
    help="score_area: score × hectares; score: score per plot.",
)
@click.option(
    "--park-value",
    type=click.FloatRange(min=0),
    default=1.0,
    show_default=True,
    help="Relative value of one unit of pocket-park benefit.",
)
@click.option(
    "--parking-value",
    type=click.FloatRange(min=0),
    default=1.0,
    show_default=True,
    help="Relative value of one unit of parking benefit.",
)
@plan_output_options(report=False)
@click.option(
    "--out",
    "out",
    type=click.Path(path_type=Path),
    required=True,
    help="Output file: the score output plus allocated_use, allocation_benefit, "
    "near_target_poi and the costs (capex_wan ...); .dxf: a CAD drawing of the "
    "allocated plots.",
)
@preset_option
@quiet_option
def allocate(
    spaces: int,
    near: str,
    near_m: float,
    max_park: float | None,
    budget: float | None,
    budget_wan: float | None,
    park_cost: float | None,
    parking_cost: float | None,
    min_score: float | None,
    benefit: str,
    park_value: float,
    parking_value: float,
    out: Path,
    quiet: bool,
    preset: str | None,
    distance: str,
    workers: int,
    config_file: Path | None,
    scenario_file: Path | None,
    scenario_name: str | None,
    equity_file: Path | None,
    **inputs: Any,
) -> None:
    """Give each plot at most one use, maximising benefit within the targets (HiGHS)."""
    from planner.decision.allocation import Targets
    from planner.decision.allocation import allocate as run_allocate
    from planner.decision.costs import budget_yuan
    from planner.drawing.content import write_result
    from planner.errors import ConfigError
    from planner.scoring import combine, compute_criteria

    if (park_cost is None) != (parking_cost is None):
        raise ConfigError(Msg("cli.flat_costs_both"))
    flat = None if park_cost is None else {"pocket_park": park_cost, "parking": parking_cost}
    targets = Targets(
        min_parking_spaces=spaces,
        near_category=near,
        near_distance_m=near_m,
        max_park_area_m2=max_park,
        budget_yuan=budget_yuan(budget, budget_wan),
        cost_per_m2=flat,
        min_score=min_score,
        benefit=benefit,
        use_weights={"pocket_park": park_value, "parking": parking_value},
    )
    check_suffixes([(scenario_file, (".toml",)), (equity_file, (".csv",))])
    check_output_path(out, inputs, config_file)
    check_outputs([out, scenario_file, equity_file], inputs=inputs, files=[config_file])
    config = config_with_preset(config_from_options(config_file), preset)
    progress = stderr_progress(quiet)
    progress("reading layers", 0.0)
    layers, distances = prepared_with_distances(
        layers_from_options(**inputs), config, distance, progress, workers=workers
    )
    table = compute_criteria(
        layers, config, distances=distances, progress=progress, workers=workers
    )
    progress("allocating uses", 1.0)
    scored = combine(table, config, workers=workers)
    result, summary = run_allocate(
        scored, table.layers, targets, config=config, distances=table.distances
    )
    write_result(result, out, layers=table.layers, config=config, distances=table.distances)
    write_plan_outputs(
        scored=scored,
        layers=table.layers,
        config=config,
        distances=table.distances,
        uses=result["allocated_use"],
        phases=None,
        programme=None,
        selection={"command": "planner allocate", **summary["targets"]},
        scenario_file=scenario_file,
        scenario_name=scenario_name,
        equity_file=equity_file,
    )
    for note in result.attrs.get("notes", []):
        click.echo(note_line(note), err=True)
    click.echo(
        f"allocated {summary['plots_park']} pocket park(s) "
        f"({summary['park_area_m2']:,.0f} m²) and {summary['plots_parking']} car "
        f"park(s) ({summary['parking_spaces_near']:,.0f} spaces within {near_m:.0f} m "
        f"of a {near}); cost {summary['cost_yuan'] / 1e4:,.1f} 万元; benefit "
        f"{summary['benefit']:.3f}; wrote {out}",
        err=True,
    )
    newly, per = summary["residents_newly_covered"], summary["residents_per_wan"]
    if newly is not None:
        click.echo(
            f"the pocket parks newly bring {newly:,.0f} residents within reach of green"
            + (f", {per:,.2f} per 万元 of the programme" if per == per else ""),
            err=True,
        )
