"""``planner score``: score every plot and write the ranked candidate list."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from planner.cli.language import note_line
from planner.cli.options import (
    _echo_problems,
    check_outputs,
    config_from_options,
    distance_options,
    layer_input_options,
    layers_from_options,
    quiet_option,
)
from planner.cli.program import end_program
from planner.engines import ENGINES
from planner.errors import ConfigError
from planner.io.write import output_format
from planner.messages import Msg

if TYPE_CHECKING:
    import geopandas as gpd

    from planner.config import PlannerConfig
    from planner.scoring import PlotMeasures


def stderr_progress(quiet: bool = False):  # noqa: ANN201 - returns a Progress callable
    """A progress callback printing ``[ 40%] step`` lines with elapsed time to stderr."""
    start = time.perf_counter()

    def progress(message: str, fraction: float) -> None:
        if not quiet:
            click.echo(
                f"[{fraction:4.0%}] {message} ({time.perf_counter() - start:.1f} s)", err=True
            )

    return progress


def check_output_path(
    out: Path, inputs: dict[str, Any] | None = None, config_file: Path | None = None
) -> None:
    """Fail before any work when the candidate list cannot be written to ``out``.

    Its format must be known (a candidate list, or a ``.dxf`` drawing), its folder writable,
    and it may not be an input of the run (:func:`planner.cli.options.check_outputs`).
    """
    from planner.drawing.content import is_drawing

    if not is_drawing(out):
        output_format(out)
    check_outputs([out], inputs=inputs, files=[config_file])


@click.command()
@layer_input_options
@click.option(
    "--out",
    "out",
    type=click.Path(path_type=Path),
    required=True,
    help="Output file; the format follows the extension (.gpkg, .geojson, .csv ...; "
    ".dxf: a CAD drawing with the car parks' stall layouts).",
)
@quiet_option
@distance_options
@click.option(
    "--engine",
    type=click.Choice(ENGINES),
    default="single",
    show_default=True,
    help="single: this process; dask: a dask cluster (see docs/scale.md).",
)
@click.option(
    "--scheduler",
    default=None,
    metavar="ADDRESS",
    help="dask scheduler (tcp://host:8786) for --engine dask; default: a local "
    "cluster of this machine's cores. GeoPackage and GeoParquet layers are read by the "
    "workers: they must be at the same path on every worker (a shared filesystem).",
)
def score(
    out: Path,
    quiet: bool,
    config_file: Path | None,
    distance: str,
    workers: int,
    engine: str,
    scheduler: str | None,
    **inputs: Any,
) -> None:
    """Score every plot for pocket park and parking and write the ranked candidates."""
    from planner.drawing.content import is_drawing, write_result

    check_output_path(out, inputs, config_file)
    if scheduler and engine != "dask":
        raise ConfigError(Msg("cli.scheduler_needs_dask"))
    config = config_from_options(config_file)
    progress = stderr_progress(quiet)
    kept: dict[str, Any] = {}
    held: list[Any] = []  # the scored layers, freed with the program (see end_program)
    if engine == "dask":
        result = _score_dask(config, scheduler, distance, progress, inputs)
    else:
        progress("reading layers", 0.0)
        # the layers are kept (building outlines and all) only for a drawing
        result = _score_single(
            config, distance, workers, progress, inputs, kept if is_drawing(out) else None, held
        )
    progress(f"writing {out}", 1.0)
    if is_drawing(out) and "layers" not in kept:  # the dask engine keeps no layers here
        from planner.layers import prepare_layers

        kept["layers"] = prepare_layers(layers_from_options(**inputs), config)
    write_result(result, out, layers=kept.get("layers"), config=config)
    counts = result["recommended_use"].value_counts()
    summary = ", ".join(f"{counts.get(u, 0)} {u}" for u in ("pocket_park", "parking", "none"))
    click.echo(f"wrote {len(result)} plots to {out}: {summary}", err=True)
    for key, why in result.attrs.get("missing_criteria", {}).items():
        click.echo(note_line(Msg("cli.note_criterion_left_out", key=key, why=why)), err=True)
    for note in result.attrs.get("notes", []):
        click.echo(note_line(note), err=True)
    end_program()


def _score_dask(
    config: PlannerConfig,
    scheduler: str | None,
    distance: str,
    progress: Callable[[str, float], None],
    inputs: dict[str, Any],
) -> gpd.GeoDataFrame:
    """Score on a dask cluster; GeoPackage/GeoParquet layers are read by part on the workers.

    The client reads only the layers' feature bounding boxes (:mod:`planner.engines.files`);
    other inputs (the demo, shapefiles, OSM extracts ...) are read here and sent out in
    pieces (:func:`planner.engines.dask.score_dask`).
    """
    from planner.engines.dask import score_dask
    from planner.engines.files import scan_files, score_files

    files = None
    if not inputs.get("demo"):
        progress("reading the layers' feature bounding boxes", 0.0)
        role_files = {
            k.removeprefix("role_"): v
            for k, v in inputs.items()
            if k.startswith("role_") and v is not None
        }
        files = scan_files(
            inputs.get("layers_file"),
            role_files,
            encoding=inputs.get("encoding"),
            crs=inputs.get("crs"),
            coord_system=inputs.get("coord_system") or "wgs84",
        )
    if files is not None:
        progress("the workers read the features (GeoPackage/GeoParquet layers, by part)", 0.02)
        reports: list = []
        result = score_files(
            files,
            config,
            scheduler=scheduler,
            distance=distance,
            progress=progress,
            reports=reports,
        )
        _echo_problems(reports)  # what the workers' readers noticed, as one read would say
        return result
    progress("reading layers here (workers read GeoPackage/GeoParquet layers only)", 0.02)
    return score_dask(
        layers_from_options(**inputs),
        config,
        scheduler=scheduler,
        distance=distance,
        progress=progress,
    )


def _score_single(
    config: PlannerConfig,
    distance: str,
    workers: int,
    progress: Callable[[str, float], None],
    inputs: dict[str, Any],
    kept: dict[str, Any] | None = None,
    held: list[Any] | None = None,
) -> gpd.GeoDataFrame:
    """Read, prepare and score with the single engine (the prepared layers go to ``kept``).

    The layers scored are also appended to ``held``, when given, so that they are freed
    with the caller, not on return: the program ends without freeing them
    (:func:`planner.cli.program.end_program`; freeing a million home points takes 0.5 s).

    Plots and roads are read first; with workers, a second process measures the plots
    (shapes, stall layouts, street edges) while the other layers are read
    (:func:`planner.scoring.start_plot_measures`), and the distance model is built inside
    the run. Without ``kept`` the layers as read are let go and the buildings are scored at
    their home points (:func:`planner.scoring.residents_at_home_points`: the same
    measures, without the outlines' memory).
    """
    from planner.layers import prepare_layers
    from planner.parallel import release_freed_memory
    from planner.scoring import residents_at_home_points, start_plot_measures
    from planner.scoring import score as run_score

    read: dict[str, gpd.GeoDataFrame] = {}
    early: list[PlotMeasures | None] = []

    def on_layer(role: str, frame: gpd.GeoDataFrame) -> None:
        read[role] = frame
        if not early and "plots" in read and "roads" in read:
            early.append(start_plot_measures(read["plots"], read["roads"], config, workers=workers))

    try:
        layers = prepare_layers(layers_from_options(**inputs, on_layer=on_layer), config)
        read.clear()
        if kept is not None:
            kept["layers"] = layers
        else:
            layers = residents_at_home_points(layers)
            release_freed_memory()  # the outlines' (about 390 MB at 1,000,000 buildings)
        if held is not None:
            held.append(layers)
        return run_score(
            layers,
            config,
            distance=distance,
            progress=progress,
            workers=workers,
            plot_measures=early[0] if early else None,
        )
    except BaseException:
        if early and early[0] is not None:
            early[0].cancel()
        raise
