"""``planner import-osm``: build every layer role from an OpenStreetMap extract."""

from __future__ import annotations

import time
from pathlib import Path

import click

from planner.cli.language import note_line
from planner.cli.options import quiet_option


@click.command("import-osm")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--out",
    "out",
    type=click.Path(path_type=Path),
    required=True,
    help="GeoPackage to write; its layers are named after the roles.",
)
@quiet_option
def import_osm(file: Path, out: Path, quiet: bool) -> None:
    """Build plots, green, parking, residential, roads, POIs and constraints from FILE.

    FILE is an .osm or .osm.pbf extract. The tag rules are in docs/data-formats.md. The
    result runs directly: planner score --layers OUT --out candidates.gpkg
    """
    from planner.cli.options import check_outputs
    from planner.io.osm import import_osm as run

    check_outputs([out], files=[file])  # never write over the extract
    start = time.perf_counter()

    def progress(stage: str, done: int, total: int) -> None:
        if not quiet:
            click.echo(
                f"[{done + 1}/{total}] {stage} ({time.perf_counter() - start:.1f} s)", err=True
            )

    result = run(file, out, on_progress=progress)
    summary = ", ".join(f"{role} {n}" for role, n in result.counts.items())
    click.echo(f"wrote {out}: {summary}", err=True)
    for role, report in result.reports.items():
        for said in report.notes():
            click.echo(note_line(said, about=role), err=True)
    if "plots" not in result.counts:
        click.echo(
            "note: no plot was found (see the tag rules); give --plots when scoring", err=True
        )
    click.echo("note: data © OpenStreetMap contributors, ODbL", err=True)
