"""``planner compare``: two saved scenarios side by side, on the data they were made on."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from planner.cli.inspect import visible
from planner.cli.language import note_line
from planner.cli.options import (
    check_outputs,
    distance_options,
    layer_input_options,
    layers_from_options,
    prepared_with_distances,
    quiet_option,
)
from planner.cli.plan_options import check_suffixes, write_bytes_atomic
from planner.cli.score import stderr_progress
from planner.messages import Msg


def scenario_run(
    raw: Any, scenario: Any, distance: str, workers: int, cache: dict, progress: Any = None
) -> tuple[Any, Any, Any]:
    """Score the data with the scenario's configuration: ``(scored, layers, distances)``.

    Runs sharing the settings that change measured criteria (thresholds, assumptions, the
    stall layout) share one measurement (``cache``); only the weighting is redone.
    """
    from planner.scoring import combine, compute_criteria

    cfg = scenario.config.to_dict()
    if distance == "auto" and scenario.distance in ("network", "straight_line"):
        distance = scenario.distance  # measured as when it was made
    key = json.dumps(
        {"distance": distance, **{k: cfg[k] for k in ("thresholds", "assumptions", "parking")}},
        sort_keys=True,
    )
    if key not in cache:
        layers, distances = prepared_with_distances(
            raw, scenario.config, distance, progress, workers=workers
        )
        cache[key] = compute_criteria(layers, scenario.config, distances=distances, workers=workers)
    table = cache[key]
    return combine(table, scenario.config, workers=workers), table.layers, table.distances


@click.command()
@click.argument("scenario_a", type=click.Path(path_type=Path))
@click.argument("scenario_b", type=click.Path(path_type=Path))
@layer_input_options
@distance_options
@click.option(
    "--out",
    "out",
    type=click.Path(path_type=Path),
    required=True,
    help="The comparison: .xlsx (district, life circles, plots that differ), .csv "
    "(district) or .html (a report with the map of differences).",
)
@click.option(
    "--lang",
    type=click.Choice(["zh", "en"]),
    default="zh",
    show_default=True,
    help="Language of the headings.",
)
@quiet_option
def compare(
    scenario_a: Path,
    scenario_b: Path,
    out: Path,
    lang: str,
    quiet: bool,
    distance: str,
    workers: int,
    config_file: Path | None,
    **inputs: Any,
) -> None:
    """Compare scenarios A and B (files saved by planner select/allocate --scenario or the app).

    Each is measured again on the data, with its own configuration and the distances it was
    made with (unless --distance says otherwise): residents newly within
    reach of green (all, 60+, under 14), stalls against the parking gap, cost, green m² per
    resident and its Gini, for the district and every life circle, and the 城市体检 indicator
    card after each. Data other than the scenarios' own is refused.
    """
    from planner.app.plan_report import COMPARISON_FORMATS, comparison_bytes, with_indicators
    from planner.decision.compare import compare_plans, evaluate_scenario
    from planner.decision.scenarios import read_scenario
    from planner.errors import ConfigError

    if config_file is not None:
        raise ConfigError(Msg("cli.compare_no_config"))
    check_suffixes([(out, COMPARISON_FORMATS)])
    check_outputs([out], inputs=inputs, files=[scenario_a, scenario_b])
    a, b = read_scenario(scenario_a), read_scenario(scenario_b)
    progress = stderr_progress(quiet)
    progress("reading layers", 0.0)
    raw = layers_from_options(**inputs)
    cache: dict = {}
    evaluations, runs = [], []
    for sc, path in ((a, scenario_a), (b, scenario_b)):
        scored, layers, distances = scenario_run(raw, sc, distance, workers, cache, progress)
        sc.check_data(layers, source=str(path))
        evaluations.append(
            evaluate_scenario(sc, scored, layers, distances=distances, check_data=False)
        )
        runs.append((scored, layers, sc.config, distances))
    cmp, said = with_indicators(compare_plans(*evaluations), runs)
    for note in said:
        click.echo(note_line(note), err=True)
    scored, layers, config, _ = runs[0]
    write_bytes_atomic(comparison_bytes(cmp, out.suffix.lower(), scored, layers, config, lang), out)
    for sc, ev in ((a, evaluations[0]), (b, evaluations[1])):
        changed = [
            k
            for k, v in sc.results.items()
            if k in ev.district and abs(ev.district[k] - v) > 1e-6 * max(1.0, abs(v))
        ]
        if changed:
            click.echo(
                visible(
                    f"note: {sc.name}: figures differ from those saved "
                    f"({', '.join(changed[:4])}); the planner or its settings "
                    "changed since"
                ),
                err=True,
            )
    d = cmp.district.set_index("figure")
    click.echo(
        visible(
            f"compared {a.name} and {b.name}: residents newly covered "
            f"{d.loc['residents_newly_covered', 'a']:,.0f} vs "
            f"{d.loc['residents_newly_covered', 'b']:,.0f}, cost {d.loc['capex_wan', 'a']:,.1f} vs "
            f"{d.loc['capex_wan', 'b']:,.1f} 万元, {int((cmp.plots['change'] != 'none').sum())} "
            f"plot(s) in either; wrote {out}"
        ),
        err=True,
    )
