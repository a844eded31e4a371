r"""``planner inspect``: what the planner sees in a GIS file, layer by layer.

Everything printed comes from the file (layer names, column names, sample values, GDAL
messages), so control characters in it are shown escaped (``\x1b``), never sent to the
terminal raw: a name like ``"\x1b]0;pwned\x07\x1b[2J"`` would otherwise retitle the window
and clear the screen. ``--json`` output escapes them as JSON ``\u`` escapes, so the values
read back unchanged.
"""

from __future__ import annotations

import dataclasses
import json
import re
from pathlib import Path
from typing import Any

import click

#: Characters never printed raw: C0 controls (newline and tab included: inside a value they
#: would break the layout), DEL, C1 controls (0x9b is a one-byte CSI on some terminals),
#: bidirectional overrides and isolates (they reorder what is shown), line and paragraph
#: separators.
_UNSAFE = [
    *range(0x00, 0x20),
    *range(0x7F, 0xA0),
    *range(0x202A, 0x202F),
    *range(0x2066, 0x206A),
    0x200E,
    0x200F,
    0x061C,
    0x2028,
    0x2029,
]
_ESCAPES = {c: (f"\\x{c:02x}" if c < 0x100 else f"\\u{c:04x}") for c in _UNSAFE}
#: json.dumps escapes C0 controls itself; these it leaves raw with ensure_ascii=False.
_JSON_UNSAFE = re.compile("[" + "".join(re.escape(chr(c)) for c in _UNSAFE if c >= 0x7F) + "]")


def visible(text: str) -> str:
    r"""``text`` with control and bidi characters escaped (``\x1b``, ``\u202e``)."""
    return text.translate(_ESCAPES)


def _visible_value(value: Any) -> Any:
    if isinstance(value, str):
        return visible(value)
    if isinstance(value, list | tuple):
        return type(value)(_visible_value(v) for v in value)
    if isinstance(value, dict):
        return {_visible_value(k): _visible_value(v) for k, v in value.items()}
    return value


def _visible_report(report: Any) -> Any:
    """A copy of a LayerReport with every text in it escaped."""
    return dataclasses.replace(
        report,
        **{f.name: _visible_value(getattr(report, f.name)) for f in dataclasses.fields(report)},
    )


def json_text(doc: Any) -> str:
    r"""``doc`` as indented JSON, non-ASCII kept, every unsafe character a ``\u`` escape."""
    text = json.dumps(doc, ensure_ascii=False, indent=2)
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def _check_folder(file: Path) -> None:
    """Refuse a folder (other than a ``.gdb``) holding no GIS dataset, in one line."""
    from planner.errors import EmptyLayerError
    from planner.io.read import find_datasets, split_layer_spec
    from planner.messages import Msg

    path, _ = split_layer_spec(file)
    if path.is_dir() and path.suffix.lower() != ".gdb" and not find_datasets(path):
        raise EmptyLayerError(path, Msg("cli.empty_folder"))


@click.command()
@click.argument("file", type=click.Path(dir_okay=True, path_type=Path))
@click.option(
    "--json",
    "as_json",
    is_flag=True,
    help="Print one JSON object with a 'layers' list instead of text.",
)
@click.option(
    "--encoding",
    default=None,
    metavar="NAME",
    help="Text encoding (utf-8, gbk, gb18030 ...); overrides .cpg and detection.",
)
@click.option(
    "--crs", default=None, metavar="CRS", help="CRS of files that declare none (e.g. EPSG:4527)."
)
@click.option(
    "--coord-system",
    "coord_system",
    default="wgs84",
    show_default=True,
    type=click.Choice(["wgs84", "gcj02", "bd09"], case_sensitive=False),
    help="Longitude/latitude system of the file; gcj02/bd09 are converted to WGS84.",
)
def inspect(
    file: Path, as_json: bool, encoding: str | None, crs: str | None, coord_system: str
) -> None:
    r"""Show each layer of FILE: geometry type, count, CRS, encoding, bounds, fixes, problems.

    FILE may be any input the planner reads (GeoPackage, shapefile, zip, KML/KMZ, .gdb,
    GeoJSON, CSV/XLSX with longitude/latitude, .osm); FILE:LAYER inspects one layer.
    Control characters in the data are printed escaped (\x1b).
    """
    from planner.io.read import inspect_file

    _check_folder(file)
    reports = inspect_file(file, encoding=encoding, crs=crs, coord_system=coord_system.lower())
    if as_json:
        click.echo(json_text({"file": str(file), "layers": [r.to_dict() for r in reports]}))
    else:
        click.echo("\n\n".join(_visible_report(r).to_text() for r in reports))
