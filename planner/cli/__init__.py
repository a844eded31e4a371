"""The ``planner`` command line.

Every subcommand lives in its own module of this package and is registered on :data:`cli`.
:func:`main` turns every expected failure — a :class:`~planner.errors.PlannerError` or a
usage error — into one ``error:`` line on stderr and exit status 2, with no traceback. The
planner's own messages are in English, or in 中文 with the environment variable
``PLANNER_LANG=zh`` (:func:`planner.cli.language.error_language`).
"""

from __future__ import annotations

import click
from shapely.errors import ShapelyError

from planner.cli.inspect import visible
from planner.cli.language import error_language
from planner.errors import PlannerError
from planner.messages import localized

EXIT_USAGE = 2


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="urban-microspace-planner", prog_name="planner")
def cli() -> None:
    """Urban micro-space planner: which leftover plots should become pocket parks or parking."""


def _register() -> None:
    from planner.cli.ahp import ahp
    from planner.cli.allocate import allocate
    from planner.cli.compare import compare
    from planner.cli.equity import equity
    from planner.cli.import_osm import import_osm
    from planner.cli.indicators import indicators
    from planner.cli.inspect import inspect
    from planner.cli.lifecircles import lifecircles
    from planner.cli.parking import parking
    from planner.cli.score import score
    from planner.cli.select import select
    from planner.cli.sensitivity import sensitivity
    from planner.cli.sheet import sheet

    for command in (
        score,
        inspect,
        import_osm,
        select,
        ahp,
        allocate,
        sensitivity,
        parking,
        lifecircles,
        indicators,
        sheet,
        compare,
        equity,
    ):
        cli.add_command(command)


_register()


def main(argv: list[str] | None = None) -> int:
    """Run the command line and return its exit status (the console script exits with it)."""
    try:
        cli.main(args=argv, prog_name="planner", standalone_mode=False)
    except click.exceptions.Exit as exc:  # --help, --version
        return int(exc.exit_code or 0)
    except click.exceptions.Abort:
        click.echo("error: aborted", err=True)
        return 1
    except click.ClickException as exc:  # usage errors: unknown option, bad value ...
        # click spreads some messages (a missing Choice option) over lines: keep one
        click.echo(f"error: {' '.join(exc.format_message().split())}", err=True)
        return EXIT_USAGE
    except PlannerError as exc:
        # names and messages from the data (layer names, GDAL text) escaped: one line, no
        # terminal control sequences
        click.echo(f"error: {visible(localized(exc, error_language()))}", err=True)
        return EXIT_USAGE
    except MemoryError:
        click.echo(
            "error: out of memory: the inputs are too large for this machine; give a "
            "smaller area or fewer plots, or --workers 1",
            err=True,
        )
        return EXIT_USAGE
    except (
        ValueError,
        OSError,
        KeyError,
        TypeError,
        UnicodeError,
        RuntimeError,
        ShapelyError,
    ) as exc:
        # a failure we did not foresee still ends in one line, never a traceback
        click.echo(f"error: {type(exc).__name__}: {visible(str(exc))}", err=True)
        return EXIT_USAGE
    return 0


def run() -> None:
    """The ``planner`` program: :func:`main` with this process's arguments, then exit."""
    from planner.cli import program

    program.RUNNING = True
    raise SystemExit(main())
