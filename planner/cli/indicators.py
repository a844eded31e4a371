"""``planner indicators``: the 城市体检 indicator card, before and after the chosen plots."""

from __future__ import annotations

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
from planner.errors import OutputError
from planner.messages import Msg

#: Card formats by extension: what each one holds.
CARD_FORMATS = {
    ".xlsx": "sheets card, facilities, conversions, definitions, park_tiers, facility_types",
    ".csv": "the card (one row per indicator and area), UTF-8 with BOM for Excel",
    ".html": "one self-contained page: the card, facilities, plots that change, definitions",
}


def check_card_path(
    out: Path, inputs: dict[str, Any] | None = None, files: list[Path | None] | None = None
) -> str:
    """The card format of ``out``; fail before any work if it cannot be written."""
    ext = out.suffix.lower()
    if ext not in CARD_FORMATS:
        raise OutputError(Msg("cli.card_format", out=out, choices=", ".join(sorted(CARD_FORMATS))))
    check_outputs([out], inputs=inputs, files=files or [])
    return ext


def write_card(card: Any, out: Path, *, lang: str = "zh", synthetic: bool = False) -> Path:
    """Write an :class:`~planner.indicators.IndicatorCard` by extension, atomically.

    Spreadsheet text stays text and every file is read back before it replaces ``out``
    (:mod:`planner.io.write`).

    Raises
    ------
    OutputError
        Unknown extension, missing folder, or the write failed (nothing is left behind).
    """
    from planner.app.indicator_view import card_page
    from planner.io.write import write_atomic, write_csv_table, write_xlsx_sheets

    ext = check_card_path(out)

    def write(tmp: Path) -> None:
        if ext == ".xlsx":
            write_xlsx_sheets(card.sheets(), tmp)
        elif ext == ".csv":
            write_csv_table(card.card, tmp)
        else:
            page = card_page(card, lang, synthetic=synthetic)
            tmp.write_text(page, encoding="utf-8")
            if tmp.read_text(encoding="utf-8") != page:
                raise OutputError(Msg("cli.page_incomplete", out=out))

    return write_atomic(out, write)


@click.command()
@layer_input_options
@distance_options
@click.option(
    "--selected",
    "selected",
    type=click.Path(path_type=Path),
    default=None,
    help="The chosen plots: the output of planner select or planner allocate, or "
    "any table with plot_id (and selected, use); default: every plot becomes "
    "its recommended use.",
)
@click.option(
    "--selected-use",
    "selected_use",
    type=click.Choice(["pocket_park", "parking"]),
    default=None,
    help="What chosen plots become where the --selected file does not say "
    "(default: their recommended use).",
)
@click.option(
    "--lang",
    type=click.Choice(["zh", "en"]),
    default="zh",
    show_default=True,
    help="Language of the .html card (the .xlsx and .csv carry both).",
)
@click.option(
    "--out",
    "out",
    type=click.Path(path_type=Path),
    required=True,
    help="Card file: " + "; ".join(f"{k} {v}" for k, v in CARD_FORMATS.items()),
)
@quiet_option
def indicators(
    out: Path,
    selected: Path | None,
    selected_use: str | None,
    lang: str,
    quiet: bool,
    config_file: Path | None,
    distance: str,
    workers: int,
    **inputs: Any,
) -> None:
    """City health-check (城市体检) indicators by life circle and for the district.

    Each indicator the official way (straight-line buffers) and on foot (walking network),
    before and after the chosen plots become pocket parks or car parks, with its definition
    and clause (docs/indicators.md).
    """
    from planner.cli.score import stderr_progress
    from planner.indicators import indicator_card, read_selection

    check_card_path(out, inputs, [config_file, selected])
    config = config_from_options(config_file)
    selection = read_selection(selected) if selected is not None else None
    progress = stderr_progress(quiet)
    progress("reading layers", 0.0)
    layers, distances = prepared_with_distances(
        layers_from_options(**inputs), config, distance, progress, workers=workers
    )
    progress("scoring the plots and measuring the indicators", 0.5)
    card = indicator_card(
        layers,
        config,
        distances=distances,
        selection=selection,
        selected_use=selected_use,
        source=str(selected) if selected is not None else "recommended",
    )
    write_card(card, out, lang=lang, synthetic=bool(inputs.get("demo")))
    district = card.district().set_index("indicator")
    cov = district.loc["park_coverage_land"]
    gap = district.loc["parking_gap"]
    click.echo(
        f"wrote {len(card.card)} rows ({len(card.circles)} life circles and the "
        f"district, {card.basis} distances) to {out}; {len(card.conversions)} plots "
        f"change. District park coverage {cov['official_before']:.1f} % -> "
        f"{cov['official_after']:.1f} % (official), parking gap "
        f"{gap['official_before']:,.0f} -> {gap['official_after']:,.0f}",
        err=True,
    )
    for note in card.notes:
        click.echo(note_line(note), err=True)
