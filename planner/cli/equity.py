"""``planner equity``: who a plan reaches — the elderly, children and every estate."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click
import pandas as pd

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
from planner.cli.plan_options import check_suffixes
from planner.cli.score import check_output_path, stderr_progress


@click.command()
@layer_input_options
@distance_options
@click.option(
    "--scenario",
    "scenario_file",
    type=click.Path(path_type=Path),
    default=None,
    help="The plan: a saved scenario (its configuration is used). Default: the "
    "recommended pocket parks of the score.",
)
@click.option(
    "--groups",
    "groups_file",
    type=click.Path(path_type=Path),
    default=None,
    help="Also write coverage by age group, for the district and each life circle (.csv).",
)
@click.option(
    "--lorenz",
    "lorenz_file",
    type=click.Path(path_type=Path),
    default=None,
    help="Also write the Lorenz curves of green m² per resident, before and after (.csv).",
)
@click.option(
    "--out",
    "out",
    type=click.Path(path_type=Path),
    required=True,
    help="The estates (.gpkg, .geojson, .csv ...): residents by age group, "
    "covered before/after per group, green m² per resident (2SFCA) "
    "before/after.",
)
@preset_option
@quiet_option
def equity(
    scenario_file: Path | None,
    groups_file: Path | None,
    lorenz_file: Path | None,
    out: Path,
    quiet: bool,
    preset: str | None,
    distance: str,
    workers: int,
    config_file: Path | None,
    **inputs: Any,
) -> None:
    """Fairness of a plan: coverage of the 60+ and under-14 and the 2SFCA per estate."""
    import geopandas as gpd

    from planner.cli.select import write_table_atomic
    from planner.decision.compare import evaluate_plan, evaluate_scenario
    from planner.decision.presets import config_with_preset
    from planner.decision.scenarios import read_scenario
    from planner.io import write_candidates
    from planner.scoring import combine, compute_criteria

    check_suffixes([(groups_file, (".csv",)), (lorenz_file, (".csv",))])
    check_output_path(out, inputs, config_file)
    check_outputs(
        [out, groups_file, lorenz_file], inputs=inputs, files=[config_file, scenario_file]
    )
    scenario = read_scenario(scenario_file) if scenario_file is not None else None
    config = (
        scenario.config
        if scenario is not None
        else config_with_preset(config_from_options(config_file), preset)
    )
    progress = stderr_progress(quiet)
    progress("reading layers", 0.0)
    layers, distances = prepared_with_distances(
        layers_from_options(**inputs), config, distance, progress, workers=workers
    )
    table = compute_criteria(layers, config, distances=distances, workers=workers)
    scored = combine(table, config, workers=workers)
    if scenario is not None:
        ev = evaluate_scenario(scenario, scored, table.layers, distances=table.distances)
    else:
        ev = evaluate_plan(
            scored,
            table.layers,
            scored["recommended_use"].where(scored["recommended_use"] == "pocket_park", "none"),
            config=config,
            distances=table.distances,
            name="recommended",
        )
    eq = ev.equity
    res = table.layers.residential
    keep = [c for c in ("name",) if c in res]
    estates = gpd.GeoDataFrame(
        pd.concat([res[keep].reset_index(drop=True), eq.estates], axis=1),
        geometry=res.geometry.to_numpy(),
        crs=res.crs,
    )
    write_candidates(estates, out)
    if groups_file is not None:
        write_table_atomic(eq.groups, groups_file)
    if lorenz_file is not None:
        lor = pd.concat(
            [eq.lorenz_before.assign(curve="before"), eq.lorenz_after.assign(curve="after")],
            ignore_index=True,
        )
        write_table_atomic(lor, lorenz_file)
    g = eq.groups[eq.groups["area"] == "district"].set_index("group")
    click.echo(
        visible(
            f"{ev.name}: newly within reach of green — all {g.loc['all', 'newly_covered']:,.0f}, "
            f"60+ {g.loc['elderly', 'newly_covered']:,.0f}, under 14 "
            f"{g.loc['children', 'newly_covered']:,.0f}; green m² per resident (2SFCA) Gini "
            f"{eq.gini_before:.3f} -> {eq.gini_after:.3f}; wrote {out}"
        ),
        err=True,
    )
