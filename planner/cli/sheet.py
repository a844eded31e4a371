"""``planner sheet``: a map sheet (出图) of the run at true scale, as PDF or PNG."""

from __future__ import annotations

import re
import time
from pathlib import Path
from typing import Any

import click

from planner.cli.language import note_line
from planner.cli.options import (
    check_outputs,
    config_from_options,
    distance_options,
    layer_input_options,
    layers_from_options,
    prepared_with_distances,
    quiet_option,
)
from planner.cli.program import end_program
from planner.cli.score import stderr_progress
from planner.config import USES


def _scale(ctx: click.Context, param: click.Parameter, value: str | None) -> int | None:
    """``10000``, ``1:10000`` or ``1:10,000`` -> 10000."""
    if value is None:
        return None
    m = re.fullmatch(r"\s*(?:1\s*:\s*)?([\d,]+)\s*", value)
    if not m:
        raise click.BadParameter(
            f"'{value}' is not a scale; give e.g. 1:10000 or 10000", ctx=ctx, param=param
        )
    return int(m.group(1).replace(",", ""))


@click.command()
@layer_input_options
@distance_options
@click.option(
    "--out",
    "out",
    type=click.Path(path_type=Path),
    required=True,
    help="Sheet to write: .pdf (vector, fonts embedded) or .png.",
)
@click.option(
    "--paper",
    type=click.Choice(["A3", "A4"], case_sensitive=False),
    default="A3",
    show_default=True,
    help="Paper size (GB/T 148 / ISO 216).",
)
@click.option(
    "--orientation",
    type=click.Choice(["landscape", "portrait"]),
    default="landscape",
    show_default=True,
)
@click.option(
    "--scale",
    "scale",
    default=None,
    metavar="1:N",
    callback=_scale,
    help="Standard scale 1:500 … 1:100,000 (1:2,000, 1:5,000, 1:10,000, 1:25,000 "
    "for districts); default: the largest at which the plots fit.",
)
@click.option("--title", default=None, help="Project name for the title and the title block.")
@click.option("--district", default=None, help="District (片区) for the title block.")
@click.option(
    "--use",
    type=click.Choice(USES),
    default=None,
    help="Show the candidates for this use only (other plots in grey).",
)
@click.option(
    "--selected",
    "selected_file",
    type=click.Path(path_type=Path),
    default=None,
    help="Plots chosen: the output of planner select or allocate, or a CSV with a "
    "plot_id column; drawn outlined, with their walking catchments.",
)
@click.option(
    "--lang",
    type=click.Choice(["zh", "en"]),
    default="zh",
    show_default=True,
    help="Language of the sheet.",
)
@click.option(
    "--dpi",
    type=click.IntRange(50, 1200),
    default=200,
    show_default=True,
    help="Resolution of a .png sheet.",
)
@click.option(
    "--tiles",
    "tiles",
    type=click.Path(path_type=Path),
    default=None,
    help="Local base map: a folder of XYZ tiles ({z}/{x}/{y}.png) or an .mbtiles "
    "file, in Web Mercator (no tile is fetched from the internet).",
)
@quiet_option
def sheet(
    out: Path,
    paper: str,
    orientation: str,
    scale: int | None,
    title: str | None,
    district: str | None,
    use: str | None,
    selected_file: Path | None,
    lang: str,
    dpi: int,
    tiles: Path | None,
    quiet: bool,
    distance: str,
    workers: int,
    config_file: Path | None,
    **inputs: Any,
) -> None:
    """Draw the run on an A3 or A4 sheet at true scale: legend, north arrow, scale bar, title block.

    The plots are coloured by recommended use and labelled with their ids; with --selected
    the chosen plots are outlined with their walking catchments. Works offline; with
    --tiles a local tile source is drawn underneath.
    """
    from planner.drawing.content import drawing_for, selected_ids_from_file
    from planner.drawing.fonts import sheet_font
    from planner.drawing.sheet import SheetSpec, render_sheet, save_sheet, sheet_format
    from planner.scoring import combine, compute_criteria

    start = time.perf_counter()
    sheet_format(out)
    check_outputs([out], inputs=inputs, files=[config_file, selected_file, tiles])
    spec = SheetSpec(paper.upper(), orientation, scale, title, district, lang, use)
    font = sheet_font()  # fail before any work when no font has the glyphs
    chosen = selected_ids_from_file(selected_file) if selected_file is not None else None
    basemap_source = _tile_source(tiles)
    config = config_from_options(config_file)
    progress = stderr_progress(quiet)
    progress("reading layers", 0.0)
    layers, distances = prepared_with_distances(
        layers_from_options(**inputs), config, distance, progress, workers=workers
    )
    table = compute_criteria(
        layers, config, distances=distances, progress=progress, workers=workers
    )
    scored = combine(table, config, workers=workers)
    progress("drawing the sheet", 1.0)
    drawing = drawing_for(
        scored, table.layers, config, table.distances, use=use, selected_ids=chosen, context=True
    )
    fig, info = render_sheet(drawing, spec, font=font, tiles=basemap_source)
    save_sheet(fig, out, dpi=dpi, title=spec.title or "")
    for note in [*scored.attrs.get("notes", []), *info.notes]:
        click.echo(note_line(note), err=True)
    click.echo(
        f"wrote {out}: {spec.paper} {spec.orientation}, 1:{info.scale:,}, "
        f"{info.labels} plots labelled, font {info.font} "
        f"({time.perf_counter() - start:.1f} s)",
        err=True,
    )
    end_program()


def _tile_source(tiles: Path | None) -> Any:
    """The local tile source of ``--tiles``, checked before any work."""
    if tiles is None:
        return None
    from planner.drawing.tiles import open_tile_source

    return open_tile_source(tiles)
