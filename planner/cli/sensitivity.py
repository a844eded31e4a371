"""``planner sensitivity``: how stable the ranking is when the weights move a little."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from planner.cli.options import (
    config_from_options,
    distance_options,
    layer_input_options,
    layers_from_options,
    prepared_with_distances,
    preset_option,
    quiet_option,
)
from planner.cli.score import check_output_path, stderr_progress
from planner.decision.presets import config_with_preset


@click.command()
@layer_input_options
@distance_options
@click.option(
    "--draws",
    type=click.IntRange(min=1),
    default=1000,
    show_default=True,
    help="Number of random weight draws.",
)
@click.option(
    "--spread",
    type=click.FloatRange(0, 1, max_open=True),
    default=0.2,
    show_default=True,
    help="Each weight moves by up to ± this share of itself.",
)
@click.option("--seed", type=int, default=0, show_default=True, help="Random seed.")
@click.option(
    "--top-k",
    type=click.IntRange(min=1),
    default=10,
    show_default=True,
    help="Report the share of draws in which each plot ranks in the top k.",
)
@click.option(
    "--flip-share",
    type=click.FloatRange(0, 1, max_open=True),
    default=0.05,
    show_default=True,
    help="Flag a plot when more than this share of draws change its recommendation.",
)
@click.option(
    "--out",
    "out",
    type=click.Path(path_type=Path),
    required=True,
    help="Output file: the score output plus top_k_share, rank_p5, rank_p95, "
    "recommendation_stability and recommendation_flips.",
)
@preset_option
@quiet_option
def sensitivity(
    draws: int,
    spread: float,
    seed: int,
    top_k: int,
    flip_share: float,
    out: Path,
    quiet: bool,
    preset: str | None,
    distance: str,
    workers: int,
    config_file: Path | None,
    **inputs: Any,
) -> None:
    """Perturb the weights at random (seeded) and report how stable each plot's rank is."""
    from planner.decision.sensitivity import SensitivitySettings, add_sensitivity
    from planner.io import write_candidates
    from planner.scoring import combine, compute_criteria

    settings = SensitivitySettings(
        draws=draws, spread=spread, seed=seed, top_k=top_k, flip_share=flip_share
    )
    check_output_path(out, inputs, config_file)
    config = config_with_preset(config_from_options(config_file), preset)
    progress = stderr_progress(quiet)
    progress("reading layers", 0.0)
    layers, distances = prepared_with_distances(
        layers_from_options(**inputs), config, distance, progress, workers=workers
    )
    table = compute_criteria(
        layers, config, distances=distances, progress=progress, workers=workers
    )
    progress(f"recombining {draws} weight draws", 1.0)
    result = add_sensitivity(combine(table, config, workers=workers), table, config, settings)
    write_candidates(result, out)
    flagged = int(result["recommendation_flips"].sum())
    click.echo(
        f"{flagged} of {len(result)} plot(s) change recommendation in more than "
        f"{flip_share:.0%} of {draws} draws (weights ±{spread:.0%}); wrote {out}",
        err=True,
    )
