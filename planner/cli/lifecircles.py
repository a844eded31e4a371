"""``planner lifecircles``: the life-circle report card, before and after the recommendations."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click
import geopandas as gpd
import pandas as pd

from planner.cli.options import (
    config_from_options,
    distance_options,
    layer_input_options,
    layers_from_options,
    prepared_with_distances,
)
from planner.crs import WGS84
from planner.errors import OutputError
from planner.io.write import atomic_path

#: Report formats by extension: what each one holds.
REPORT_FORMATS = {
    ".csv": "the report card (one row per life circle), UTF-8 with BOM for Excel",
    ".xlsx": "sheets life_circles (report card) and plots (scored plots with life_circle)",
    ".gpkg": "layers life_circles, catchments (generated circles only) and plots",
    ".geojson": "the report card with the life-circle polygons (WGS84)",
}


def _table(gdf: gpd.GeoDataFrame) -> pd.DataFrame:
    return pd.DataFrame(gdf.drop(columns=gdf.geometry.name))


def check_report_path(out: Path) -> str:
    """The report format of ``out``; fail before any work if it cannot be written."""
    ext = out.suffix.lower()
    if ext not in REPORT_FORMATS:
        raise OutputError(f"{out}: unknown report format; use one of "
                          f"{', '.join(sorted(REPORT_FORMATS))}")
    if not out.parent.exists():
        raise OutputError(f"{out}: folder {out.parent} does not exist")
    return ext


def write_report(report: Any, out: Path) -> Path:
    """Write a :class:`~planner.lifecircles.LifeCircleReport` by extension, atomically.

    Raises
    ------
    OutputError
        Unknown extension, missing folder, or the write failed (nothing is left behind).
    """
    ext = check_report_path(out)
    card, plots = report.card, report.plots
    try:
        with atomic_path(out) as tmp:
            if ext == ".csv":
                _table(card).to_csv(tmp, index=False, encoding="utf-8-sig")
            elif ext == ".xlsx":
                with pd.ExcelWriter(tmp, engine="openpyxl") as xl:
                    _table(card).to_excel(xl, sheet_name="life_circles", index=False)
                    _table(plots).to_excel(xl, sheet_name="plots", index=False)
            elif ext == ".gpkg":
                card.to_file(tmp, driver="GPKG", layer="life_circles", engine="pyogrio")
                catch = report.circles.catchments
                if catch is not None and len(catch):
                    catch.to_file(tmp, driver="GPKG", layer="catchments", engine="pyogrio")
                plots.to_file(tmp, driver="GPKG", layer="plots", engine="pyogrio")
            else:
                card.to_crs(WGS84).to_file(tmp, driver="GeoJSON", engine="pyogrio",
                                           RFC7946="YES")
    except OutputError:
        raise
    except Exception as exc:  # GDAL / openpyxl / OS errors of every kind end here
        raise OutputError(f"{out}: could not write ({exc})") from None
    return out


@click.command()
@layer_input_options
@click.option("--out", "out", type=click.Path(path_type=Path), required=True,
              help="Report file: " + "; ".join(f"{k} {v}" for k, v in REPORT_FORMATS.items()))
@distance_options
def lifecircles(out: Path, config_file: Path | None, distance: str, workers: int,
                **inputs: Any) -> None:
    """Report card of every fifteen-minute life circle (GB 50180-2018), before and after."""
    from planner.lifecircles import life_circle_report

    check_report_path(out)
    config = config_from_options(config_file)
    layers, distances = prepared_with_distances(layers_from_options(**inputs), config, distance,
                                                workers=workers)
    report = life_circle_report(layers, config, distances=distances)
    write_report(report, out)
    card = report.card
    click.echo(f"wrote {len(card)} life circles ({report.circles.source}, "
               f"{distances.basis} distances) to {out}: {int(card['below_standard'].sum())} "
               f"below standard before, {int(card['below_standard_after'].sum())} after",
               err=True)
    for note in report.notes:
        click.echo(f"note: {note}", err=True)
