"""Options and outputs shared by the programme commands (select, allocate, compare, equity).

Money in yuan (``--budget``) or 万元 (``--budget-wan``), a scenario file to save
(``--scenario``, ``--name``), the fairness table of a plan (``--equity``) and the HTML report
(``--report``); each output is written atomically and checked before any work.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from planner.errors import ConfigError
from planner.messages import Msg

F = Callable[..., Any]
_PATH = click.Path(path_type=Path)


def budget_options(func: F) -> F:
    """``--budget`` (yuan) and ``--budget-wan`` (万元); give one."""
    func = click.option(
        "--budget-wan",
        "budget_wan",
        type=click.FloatRange(min=0),
        default=None,
        metavar="WAN",
        help="Construction budget in 万元 (10,000 yuan), as district budgets "
        "are set; each plot costs what the [costs] table says.",
    )(func)
    return click.option(
        "--budget",
        "budget",
        type=click.FloatRange(min=0),
        default=None,
        metavar="YUAN",
        help="Construction budget in yuan.",
    )(func)


def plan_output_options(func: F | None = None, *, report: bool = True) -> Any:
    """``--scenario FILE.toml``, ``--name``, ``--equity FILE.csv`` and ``--report FILE.html``.

    ``report=False`` leaves out ``--report`` and ``--lang`` (``plan_output_options(report=
    False)`` then decorates).
    """
    if func is None:
        return lambda f: plan_output_options(f, report=report)
    opts = [
        click.option(
            "--scenario",
            "scenario_file",
            type=_PATH,
            default=None,
            help="Also save the plan as a scenario (.toml) for planner compare and the app.",
        ),
        click.option(
            "--name",
            "scenario_name",
            default=None,
            metavar="TEXT",
            help="Name of the scenario (default: the file's name).",
        ),
        click.option(
            "--equity",
            "equity_file",
            type=_PATH,
            default=None,
            help="Also write the plan's fairness per estate (.csv): residents by "
            "age group, covered before/after, green m² per resident (2SFCA).",
        ),
        click.option(
            "--report",
            "report_file",
            type=_PATH,
            default=None,
            help="Also write the HTML report of the plan (.html).",
        ),
        click.option(
            "--lang",
            "lang",
            type=click.Choice(["zh", "en"]),
            default="zh",
            show_default=True,
            help="Language of the report.",
        ),
    ]
    for opt in reversed(opts if report else opts[:3]):
        func = opt(func)
    return func


def check_suffixes(pairs: list[tuple[Path | None, tuple[str, ...]]]) -> None:
    """Refuse, before any work, an output whose extension is not one of its formats."""
    for path, suffixes in pairs:
        if path is not None and path.suffix.lower() not in suffixes:
            raise ConfigError(Msg("cli.output_suffix", path=path, suffixes=" or ".join(suffixes)))


def write_text_atomic(text: str, path: Path) -> None:
    """Write UTF-8 text atomically."""
    from planner.io.write import write_atomic

    def write(tmp: Path) -> None:
        tmp.write_text(text, encoding="utf-8")
        if tmp.read_text(encoding="utf-8") != text:
            raise OSError("the file read back differs from the text written")

    write_atomic(path, write)


def write_bytes_atomic(data: bytes, path: Path) -> None:
    """Write bytes atomically."""
    from planner.io.write import write_atomic

    def write(tmp: Path) -> None:
        tmp.write_bytes(data)
        if tmp.stat().st_size != len(data):
            raise OSError("the file written is not complete")

    write_atomic(path, write)


def write_plan_outputs(
    *,
    scored: Any,
    layers: Any,
    config: Any,
    distances: Any,
    uses: Any,
    phases: Any,
    programme: Any,
    selection: dict,
    scenario_file: Path | None,
    scenario_name: str | None,
    equity_file: Path | None,
    report_file: Path | None = None,
    synthetic: bool = False,
    lang: str = "zh",
) -> Any:
    """Evaluate the plan once and write the scenario, fairness table and report asked for.

    Returns the evaluation (``None`` when nothing was asked).
    """
    if scenario_file is None and equity_file is None and report_file is None:
        return None
    from planner.decision.compare import make_scenario
    from planner.decision.scenarios import write_scenario
    from planner.io.write import write_atomic, write_csv_table

    name = scenario_name or (scenario_file.stem if scenario_file else "plan")
    scenario, evaluation = make_scenario(
        name,
        scored,
        layers,
        uses,
        config=config,
        distances=distances,
        phases=phases,
        selection=selection,
    )
    if scenario_file is not None:
        write_scenario(scenario, scenario_file)
    if equity_file is not None:
        table = evaluation.equity.estates.round(4)
        write_atomic(equity_file, lambda tmp: write_csv_table(table, tmp))
    if report_file is not None and programme is not None:
        from planner.app.plan_report import plan_sections
        from planner.app.report import build_report

        text = build_report(
            scored,
            layers,
            config,
            lang=lang,
            synthetic=synthetic,
            extra=lambda: plan_sections(programme, evaluation, layers, config, lang),
        )
        write_text_atomic(text, report_file)
    return evaluation
