"""``planner import-osm``: build every layer role from an OpenStreetMap extract."""

from __future__ import annotations

from pathlib import Path

import click


@click.command("import-osm")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--out", "out", type=click.Path(path_type=Path), required=True,
              help="GeoPackage to write; its layers are named after the roles.")
def import_osm(file: Path, out: Path) -> None:
    """Build plots, green, parking, residential, roads, POIs and constraints from FILE.

    FILE is an .osm or .osm.pbf extract. The tag rules are in docs/data-formats.md. The
    result runs directly: planner score --layers OUT --out candidates.gpkg
    """
    from planner.io.osm import import_osm as run

    counts = run(file, out)
    summary = ", ".join(f"{role} {n}" for role, n in counts.items())
    click.echo(f"wrote {out}: {summary}", err=True)
    if "plots" not in counts:
        click.echo("note: no plot was found (see the tag rules); give --plots when scoring",
                   err=True)
    click.echo("note: data © OpenStreetMap contributors, ODbL", err=True)
