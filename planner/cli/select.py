"""``planner select``: the plots that serve the most residents newly, within a budget."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from planner.cli.inspect import visible
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
from planner.cli.score import check_output_path, stderr_progress
from planner.config import USES
from planner.decision.presets import config_with_preset


def write_table_atomic(table: Any, path: Path) -> None:
    """Write a plain table as UTF-8 CSV (with BOM, for Excel) atomically, read back.

    Text is made safe for spreadsheets (:func:`planner.io.write.spreadsheet_text`).
    """
    from planner.errors import OutputError
    from planner.io.write import write_atomic, write_csv_table

    if path.suffix.lower() != ".csv":
        raise OutputError(f"{path}: the coverage curve is written as .csv")
    write_atomic(path, lambda tmp: write_csv_table(table, tmp))


@click.command()
@layer_input_options
@distance_options
@click.option("--use", type=click.Choice(USES), required=True, help="What the plots become.")
@click.option("--k", "k", type=click.IntRange(min=0), default=None,
              help="At most this many plots (more than the plots that may be chosen is cut "
                   "to their number, with a note).")
@click.option("--budget", "budget", type=click.FloatRange(min=0), default=None,
              help="Construction budget in yuan (plot area × cost per m²).")
@click.option("--max-area", "max_area", type=click.FloatRange(min=0), default=None,
              help="Total area of the chosen plots may not exceed this many m².")
@click.option("--cost-per-m2", "cost_per_m2", type=click.FloatRange(min=0), default=None,
              help="Yuan per m² of plot (default: 500 for a pocket park, 300 for a car park; "
                   "project assumptions).")
@click.option("--curve", "curve_file", type=click.Path(path_type=Path), default=None,
              help="Also write the coverage curve (residents covered against sites) as CSV.")
@click.option("--curve-method", type=click.Choice(["exact", "greedy"]), default="exact",
              show_default=True,
              help="exact: re-solve the optimum for every number of sites; greedy: add one "
                   "site at a time.")
@click.option("--out", "out", type=click.Path(path_type=Path), required=True,
              help="Output file (.gpkg, .geojson, .csv ...): the score output plus selected "
                   "and marginal_new_residents; .dxf: a CAD drawing of the chosen plots.")
@preset_option
@quiet_option
def select(use: str, k: int | None, budget: float | None, max_area: float | None,
           cost_per_m2: float | None, curve_file: Path | None, curve_method: str, out: Path,
           quiet: bool, preset: str | None, distance: str, workers: int, config_file: Path | None,
           **inputs: Any) -> None:
    """Choose plots for USE that newly serve the most residents (maximal covering, exact).

    A resident counts once however many chosen plots are near; residents already served by
    existing parks (or car parks) do not count. Give --k, --budget, --max-area or several.
    """
    from planner.decision.selection import select_sites, service_radius
    from planner.drawing.content import write_result
    from planner.errors import ConfigError
    from planner.scoring import combine, compute_criteria

    if k is None and budget is None and max_area is None:
        raise ConfigError("give --k N, --budget YUAN or --max-area M2")
    if curve_file is not None and curve_file.suffix.lower() != ".csv":
        raise ConfigError(f"{curve_file}: the coverage curve is written as .csv")
    check_output_path(out, inputs, config_file)
    check_outputs([out, curve_file], inputs=inputs, files=[config_file])
    config = config_with_preset(config_from_options(config_file), preset)
    progress = stderr_progress(quiet)
    progress("reading layers", 0.0)
    layers, distances = prepared_with_distances(layers_from_options(**inputs), config,
                                                distance, progress, workers=workers)
    table = compute_criteria(layers, config, distances=distances, progress=progress,
                             workers=workers)
    scored = combine(table, config, workers=workers)
    progress("choosing plots", 1.0)
    sel = select_sites(scored, table.layers, use, k=k, budget_yuan=budget, max_area_m2=max_area,
                       cost_per_m2=cost_per_m2, config=config, curve_method=curve_method,
                       distances=table.distances)
    write_result(sel.plots, out, layers=table.layers, config=config,
                 distances=table.distances, use=use)
    if curve_file is not None:
        write_table_atomic(sel.curve, curve_file)
    for note in [*scored.attrs.get("notes", []), *sel.notes]:
        click.echo(f"note: {note}", err=True)
    chosen = sel.plots.loc[sel.plots["selected"]]
    radius = service_radius(use, config)
    click.echo(f"selected {len(chosen)} plot(s) for {use}: {sel.covered:,.0f} of "
               f"{sel.uncovered_before:,.0f} residents without one within {radius:.0f} m "
               f"newly covered; wrote {out}", err=True)
    if len(chosen):  # ids come from the data: control characters escaped
        click.echo("chosen: " + visible(", ".join(chosen["plot_id"].astype(str))), err=True)
