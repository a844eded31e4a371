"""``planner lifecircles``: the life-circle report card, before and after the recommendations."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click
import geopandas as gpd
import pandas as pd

from planner.cli.language import note_line
from planner.cli.options import (
    check_outputs,
    config_from_options,
    distance_options,
    layer_input_options,
    layers_from_options,
    prepared_with_distances,
)
from planner.errors import OutputError
from planner.io.write import (
    write_atomic,
    write_csv_table,
    write_geojson,
    write_gpkg_layers,
    write_xlsx_sheets,
)
from planner.messages import Msg

#: Report formats by extension: what each one holds.
REPORT_FORMATS = {
    ".csv": "the report card (one row per life circle), UTF-8 with BOM for Excel",
    ".xlsx": "sheets life_circles (report card) and plots (scored plots with life_circle)",
    ".gpkg": "layers life_circles, catchments (generated circles only) and plots",
    ".geojson": "the report card with the life-circle polygons (WGS84)",
}


def _table(gdf: gpd.GeoDataFrame) -> pd.DataFrame:
    return pd.DataFrame(gdf.drop(columns=gdf.geometry.name))


def check_report_path(
    out: Path, inputs: dict[str, Any] | None = None, config_file: Path | None = None
) -> str:
    """The report format of ``out``; fail before any work if it cannot be written.

    ``out`` may not be an input of the run (:func:`planner.cli.options.check_outputs`).
    """
    ext = out.suffix.lower()
    if ext not in REPORT_FORMATS:
        raise OutputError(
            Msg("cli.report_format", out=out, choices=", ".join(sorted(REPORT_FORMATS)))
        )
    check_outputs([out], inputs=inputs, files=[config_file])
    return ext


def write_report(report: Any, out: Path) -> Path:
    """Write a :class:`~planner.decision.lifecircles.LifeCircleReport` by extension, atomically.

    Spreadsheet text is made safe and geometry 2D, and the file is read back before it is
    moved into place (:mod:`planner.io.write`).

    Raises
    ------
    OutputError
        Unknown extension, missing folder, or the write failed (nothing is left behind).
    """
    ext = check_report_path(out)
    card, plots = report.card, report.plots

    def write(tmp: Path) -> None:
        if ext == ".csv":
            write_csv_table(_table(card), tmp)
        elif ext == ".xlsx":
            write_xlsx_sheets(
                {"life_circles": _table(card), "plots": _table(plots)}, tmp, fit_columns=False
            )
        elif ext == ".gpkg":
            catch = report.circles.catchments
            layers = {"life_circles": card}
            if catch is not None and len(catch):
                layers["catchments"] = catch
            layers["plots"] = plots
            write_gpkg_layers(layers, tmp)
        else:
            write_geojson(card, tmp)

    return write_atomic(out, write)


@click.command()
@layer_input_options
@click.option(
    "--out",
    "out",
    type=click.Path(path_type=Path),
    required=True,
    help="Report file: " + "; ".join(f"{k} {v}" for k, v in REPORT_FORMATS.items()),
)
@distance_options
def lifecircles(
    out: Path, config_file: Path | None, distance: str, workers: int, **inputs: Any
) -> None:
    """Report card of every fifteen-minute life circle (GB 50180-2018), before and after."""
    from planner.decision.lifecircles import life_circle_report

    check_report_path(out, inputs, config_file)
    config = config_from_options(config_file)
    layers, distances = prepared_with_distances(
        layers_from_options(**inputs), config, distance, workers=workers
    )
    report = life_circle_report(layers, config, distances=distances)
    write_report(report, out)
    card = report.card
    click.echo(
        f"wrote {len(card)} life circles ({report.circles.source}, "
        f"{distances.basis} distances) to {out}: {int(card['below_standard'].sum())} "
        f"below standard before, {int(card['below_standard_after'].sum())} after",
        err=True,
    )
    for note in report.notes:
        click.echo(note_line(note), err=True)
