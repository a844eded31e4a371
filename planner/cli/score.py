"""``planner score``: score every plot and write the ranked candidate list."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import click

from planner.cli.options import (
    config_from_options,
    distance_options,
    layer_input_options,
    layers_from_options,
    quiet_option,
)
from planner.cli.program import end_program
from planner.engines import ENGINES
from planner.errors import ConfigError, OutputError
from planner.io.write import output_format


def stderr_progress(quiet: bool = False):  # noqa: ANN201 - returns a Progress callable
    """A progress callback printing ``[ 40%] step`` lines with elapsed time to stderr."""
    start = time.perf_counter()

    def progress(message: str, fraction: float) -> None:
        if not quiet:
            click.echo(f"[{fraction:4.0%}] {message} ({time.perf_counter() - start:.1f} s)",
                       err=True)

    return progress


def check_output_path(out: Path) -> None:
    """Fail before any work when the output cannot be written (format or folder)."""
    output_format(out)
    if not out.parent.exists():
        raise OutputError(f"{out}: folder {out.parent} does not exist")


@click.command()
@layer_input_options
@click.option("--out", "out", type=click.Path(path_type=Path), required=True,
              help="Output file; the format follows the extension (.gpkg, .geojson, .csv ...).")
@quiet_option
@distance_options
@click.option("--engine", type=click.Choice(ENGINES), default="single", show_default=True,
              help="single: this process; dask: a dask cluster (see docs/scale.md).")
@click.option("--scheduler", default=None, metavar="ADDRESS",
              help="dask scheduler (tcp://host:8786) for --engine dask; default: a local "
                   "cluster of this machine's cores.")
def score(out: Path, quiet: bool, config_file: Path | None, distance: str, workers: int,
          engine: str, scheduler: str | None, **inputs: Any) -> None:
    """Score every plot for pocket park and parking and write the ranked candidates."""
    from planner.io import write_candidates
    from planner.scoring import score as run_score

    check_output_path(out)
    if scheduler and engine != "dask":
        raise ConfigError("--scheduler needs --engine dask")
    config = config_from_options(config_file)
    progress = stderr_progress(quiet)
    progress("reading layers", 0.0)
    layers = layers_from_options(**inputs)
    if engine == "dask":
        from planner.engines.dask import score_dask

        result = score_dask(layers, config, scheduler=scheduler, distance=distance,
                            progress=progress)
    else:
        from planner.layers import prepare_layers

        # the distance model is built inside, while a second process measures plot shapes
        result = run_score(prepare_layers(layers, config), config, distance=distance,
                           progress=progress, workers=workers)
    progress(f"writing {out}", 1.0)
    write_candidates(result, out)
    counts = result["recommended_use"].value_counts()
    summary = ", ".join(f"{counts.get(u, 0)} {u}" for u in ("pocket_park", "parking", "none"))
    click.echo(f"wrote {len(result)} plots to {out}: {summary}", err=True)
    for key, why in result.attrs.get("missing_criteria", {}).items():
        click.echo(f"note: criterion {key} left out of the weighting ({why})", err=True)
    for note in result.attrs.get("notes", []):
        click.echo(f"note: {note}", err=True)
    end_program()
