"""``planner inspect``: what the planner sees in a GIS file, layer by layer."""

from __future__ import annotations

import json
from pathlib import Path

import click


@click.command()
@click.argument("file", type=click.Path(dir_okay=True, path_type=Path))
@click.option("--json", "as_json", is_flag=True,
              help="Print one JSON object with a 'layers' list instead of text.")
@click.option("--encoding", default=None, metavar="NAME",
              help="Text encoding (utf-8, gbk, gb18030 ...); overrides .cpg and detection.")
@click.option("--crs", default=None, metavar="CRS",
              help="CRS of files that declare none (e.g. EPSG:4527).")
@click.option("--coord-system", "coord_system", default="wgs84", show_default=True,
              type=click.Choice(["wgs84", "gcj02", "bd09"], case_sensitive=False),
              help="Longitude/latitude system of the file; gcj02/bd09 are converted to WGS84.")
def inspect(file: Path, as_json: bool, encoding: str | None, crs: str | None,
            coord_system: str) -> None:
    """Show each layer of FILE: geometry type, count, CRS, encoding, bounds, fixes, problems.

    FILE may be any input the planner reads (GeoPackage, shapefile, zip, KML/KMZ, .gdb,
    GeoJSON, CSV/XLSX with longitude/latitude, .osm); FILE:LAYER inspects one layer.
    """
    from planner.io.read import inspect_file

    reports = inspect_file(file, encoding=encoding, crs=crs, coord_system=coord_system.lower())
    if as_json:
        click.echo(json.dumps({"file": str(file), "layers": [r.to_dict() for r in reports]},
                              ensure_ascii=False, indent=2))
    else:
        click.echo("\n\n".join(r.to_text() for r in reports))
