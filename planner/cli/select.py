"""``planner select``: the plots that serve the most residents newly, within a budget or phases."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from planner.cli.inspect import visible
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
from planner.config import USES
from planner.decision.equity import GROUPS
from planner.decision.phases import PHASE_UNITS
from planner.decision.presets import config_with_preset
from planner.decision.programme import OBJECTIVES
from planner.messages import Msg


def write_table_atomic(table: Any, path: Path) -> None:
    """Write a plain table as UTF-8 CSV (with BOM, for Excel) atomically, read back.

    Text is made safe for spreadsheets (:func:`planner.io.write.spreadsheet_text`).
    """
    from planner.errors import OutputError
    from planner.io.write import write_atomic, write_csv_table

    if path.suffix.lower() != ".csv":
        raise OutputError(Msg("cli.table_csv", path=path))
    write_atomic(path, lambda tmp: write_csv_table(table, tmp))


def _limit_options(func: Any) -> Any:
    opts = [
        click.option(
            "--k",
            "k",
            type=click.IntRange(min=0),
            default=None,
            help="At most this many plots (more than the plots that may be chosen "
            "is cut to their number, with a note).",
        ),
        budget_options,
        click.option(
            "--max-area",
            "max_area",
            type=click.FloatRange(min=0),
            default=None,
            help="Total area of the chosen plots may not exceed this many m².",
        ),
        click.option(
            "--cost-per-m2",
            "cost_per_m2",
            type=click.FloatRange(min=0),
            default=None,
            help="A flat yuan per m² of plot instead of the [costs] table.",
        ),
        click.option(
            "--objective",
            type=click.Choice(OBJECTIVES),
            default="coverage",
            show_default=True,
            help="coverage: most residents newly covered; maxmin: the worst-served "
            "life circle first; supply: the most green-space shortfall closed "
            "(2SFCA, pocket parks).",
        ),
        click.option(
            "--group",
            type=click.Choice(GROUPS),
            default="all",
            show_default=True,
            help="Count only these residents (60+ or under 14), each at its own "
            "walking radius ([equity] speeds).",
        ),
        click.option(
            "--phases",
            "phases_text",
            default=None,
            metavar="NAME=LIMIT,...",
            help="Phases, e.g. 近期=300,中期=500,远期=800: one model chooses the "
            "phase of every plot, each within its limit.",
        ),
        click.option(
            "--phase-unit",
            type=click.Choice(PHASE_UNITS),
            default="wan",
            show_default=True,
            help="Phase limits in 万元 or plot counts.",
        ),
        click.option(
            "--phase-table",
            "phase_file",
            type=click.Path(path_type=Path),
            default=None,
            help="Also write the coverage by phase (.csv).",
        ),
    ]
    for opt in reversed(opts):
        func = opt(func)
    return func


@click.command()
@layer_input_options
@distance_options
@click.option("--use", type=click.Choice(USES), required=True, help="What the plots become.")
@_limit_options
@click.option(
    "--curve",
    "curve_file",
    type=click.Path(path_type=Path),
    default=None,
    help="Also write the coverage curve (residents covered against sites) as CSV.",
)
@click.option(
    "--curve-method",
    type=click.Choice(["exact", "greedy"]),
    default="exact",
    show_default=True,
    help="exact: re-solve the optimum for every number of sites; greedy: add one site at a time.",
)
@plan_output_options
@click.option(
    "--out",
    "out",
    type=click.Path(path_type=Path),
    required=True,
    help="Output file (.gpkg, .geojson, .csv ...): the score output plus selected, "
    "marginal_new_residents, the costs and, with --phases, phase; .dxf: a CAD "
    "drawing of the chosen plots.",
)
@preset_option
@quiet_option
def select(
    use: str,
    curve_file: Path | None,
    curve_method: str,
    out: Path,
    quiet: bool,
    preset: str | None,
    distance: str,
    workers: int,
    config_file: Path | None,
    **opts: Any,
) -> None:
    """Choose plots for USE that newly serve the most residents (maximal covering, exact).

    A resident counts once however many chosen plots are near; residents already served by
    existing parks (or car parks) do not count. Give --k, --budget/--budget-wan, --max-area
    or --phases.
    """
    from planner.decision.programme import choose
    from planner.drawing.content import write_result
    from planner.scoring import combine, compute_criteria

    inputs = {k: v for k, v in opts.items() if k in _INPUT_KEYS or k.startswith("role_")}
    o = {k: v for k, v in opts.items() if k not in inputs}
    budget, phases = _limits(use, o)
    check_suffixes(
        [
            (curve_file, (".csv",)),
            (o["phase_file"], (".csv",)),
            (o["scenario_file"], (".toml",)),
            (o["equity_file"], (".csv",)),
            (o["report_file"], (".html",)),
        ]
    )
    check_output_path(out, inputs, config_file)
    check_outputs(
        [out, curve_file, o["phase_file"], o["scenario_file"], o["equity_file"], o["report_file"]],
        inputs=inputs,
        files=[config_file],
    )
    config = config_with_preset(config_from_options(config_file), preset)
    progress = stderr_progress(quiet)
    progress("reading layers", 0.0)
    layers, distances = prepared_with_distances(
        layers_from_options(**inputs), config, distance, progress, workers=workers
    )
    table = compute_criteria(
        layers, config, distances=distances, progress=progress, workers=workers
    )
    scored = combine(table, config, workers=workers)
    progress("choosing plots", 1.0)
    prog = choose(
        scored,
        table.layers,
        use,
        objective=o["objective"],
        group=o["group"],
        k=o["k"],
        budget_yuan=budget,
        max_area_m2=o["max_area"],
        cost_per_m2=o["cost_per_m2"],
        phases=phases,
        config=config,
        distances=table.distances,
        curve_method=curve_method,
    )
    write_result(
        prog.plots, out, layers=table.layers, config=config, distances=table.distances, use=use
    )
    if curve_file is not None:
        write_table_atomic(prog.curve, curve_file)
    if o["phase_file"] is not None and prog.phase_table is not None:
        write_table_atomic(prog.phase_table, o["phase_file"])
    write_plan_outputs(
        scored=scored,
        layers=table.layers,
        config=config,
        distances=table.distances,
        uses=prog.uses(),
        phases=prog.phases(),
        programme=prog,
        selection=_selection_record(use, o, curve_method),
        scenario_file=o["scenario_file"],
        scenario_name=o["scenario_name"],
        equity_file=o["equity_file"],
        report_file=o["report_file"],
        synthetic=bool(inputs.get("demo")),
        lang=o["lang"],
    )
    _say(prog, scored, out)


def _limits(use: str, o: dict[str, Any]) -> tuple[float | None, Any]:
    """The budget in yuan and the phases asked for, checked against the other limits."""
    from planner.decision.costs import budget_yuan
    from planner.decision.phases import parse_phases
    from planner.errors import ConfigError

    budget = budget_yuan(o["budget"], o["budget_wan"])
    phases = parse_phases(o["phases_text"], o["phase_unit"]) if o["phases_text"] else None
    if o["k"] is None and budget is None and o["max_area"] is None and phases is None:
        raise ConfigError(Msg("cli.select_limit"))
    if phases and (
        o["k"] is not None
        or budget is not None
        or o["max_area"] is not None
        or o["objective"] != "coverage"
    ):
        raise ConfigError(Msg("cli.phases_alone"))
    if o["objective"] == "supply" and use != "pocket_park":
        raise ConfigError(Msg("cli.supply_parks_only"))
    return budget, phases


#: Keyword arguments of the layer-input options (the rest are the command's own).
_INPUT_KEYS = {"demo", "layers_file", "encoding", "crs", "coord_system"}


def _selection_record(use: str, o: dict[str, Any], curve_method: str) -> dict[str, Any]:
    """How the plan was chosen, for the scenario file."""
    keep = (
        "k",
        "budget",
        "budget_wan",
        "max_area",
        "cost_per_m2",
        "objective",
        "group",
        "phases_text",
        "phase_unit",
    )
    given = {("phases" if k == "phases_text" else k): o[k] for k in keep if o.get(k) is not None}
    if "phases" not in given:
        given.pop("phase_unit", None)
    return {"command": "planner select", "use": use, "curve_method": curve_method, **given}


def _say(prog: Any, scored: Any, out: Path) -> None:
    """Notes, the summary and the chosen plots on stderr."""
    for note in [*scored.attrs.get("notes", []), *prog.notes]:
        click.echo(note_line(note), err=True)
    chosen = prog.plots.loc[prog.plots["selected"]]
    per_wan = prog.residents_per_wan
    who = "residents" if prog.group == "all" else f"residents ({prog.group})"
    click.echo(
        f"selected {len(chosen)} plot(s) for {prog.use}: {prog.covered:,.0f} of "
        f"{prog.uncovered_before:,.0f} {who} without one within {prog.radius_m:.0f} m "
        f"newly covered; cost {prog.capex_wan:,.1f} 万元 (upkeep "
        f"{prog.upkeep_wan_per_year:,.2f} 万元 a year), "
        + (f"{per_wan:,.2f} residents per 万元" if per_wan == per_wan else "nothing spent")
        + f"; wrote {out}",
        err=True,
    )
    if prog.objective == "maxmin" and prog.worst_share == prog.worst_share:
        click.echo(f"worst-served life circle after: {prog.worst_share:.1%} covered", err=True)
    if prog.objective == "supply":
        click.echo(f"green-space shortfall closed: {prog.objective_value:,.0f} m²", err=True)
    if prog.phase_table is not None:
        for row in prog.phase_table.to_dict("records"):
            click.echo(
                visible(
                    f"phase {row['phase']}: {row['plots']} plot(s), "
                    f"{row['capex_wan']:,.1f} 万元, +{row['newly_covered']:,.0f} "
                    f"(total {row['covered_cumulative']:,.0f})"
                ),
                err=True,
            )
    if len(chosen):  # ids come from the data: control characters escaped
        click.echo("chosen: " + visible(", ".join(chosen["plot_id"].astype(str))), err=True)
