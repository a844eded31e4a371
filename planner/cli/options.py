"""Options shared by every command that reads a run's layers (score, select, lifecircles ...).

``@layer_input_options`` adds ``--demo``, ``--layers``, one ``--<role>`` option per role
(``FILE`` or ``FILE:LAYER`` for a layer of a GeoPackage, a sheet of a workbook, a dataset of a
zip), and ``--encoding``, ``--crs``, ``--coord-system`` applied to every input file;
:func:`layers_from_options` turns the parsed values into :class:`~planner.layers.Layers`;
:func:`check_outputs` refuses, before any work, an output that is one of the run's inputs.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from os import PathLike
from pathlib import Path
from typing import Any

import click

from planner.cli.language import error_language, note_line
from planner.config import PlannerConfig
from planner.errors import ConfigError, OutputError
from planner.layers import ROLES, Layers
from planner.messages import Msg, localized

F = Callable[..., Any]
PathLikeStr = str | PathLike[str]

_PATH = click.Path(dir_okay=True, path_type=Path)


def layer_input_options(func: F) -> F:
    """Decorate a click command with the layer-input options."""
    opts = [
        click.option("--demo", is_flag=True, help="Use the bundled (synthetic) demo district."),
        click.option(
            "--layers",
            "layers_file",
            type=_PATH,
            default=None,
            help="GeoPackage (or other multi-layer file) whose layer names are roles.",
        ),
    ]
    for role in ROLES:
        flag = "--" + role.replace("_", "-")
        opts.append(
            click.option(
                flag,
                f"role_{role}",
                type=_PATH,
                default=None,
                help=f"File for the {role} layer ({ROLES[role].description});"
                " FILE:LAYER picks a layer; overrides --layers.",
            )
        )
    opts += [
        click.option(
            "--encoding",
            "encoding",
            default=None,
            metavar="NAME",
            help="Text encoding of the input attributes (utf-8, gbk, gb18030 ...); "
            "overrides .cpg files and detection.",
        ),
        click.option(
            "--crs",
            "crs",
            default=None,
            metavar="CRS",
            help="CRS of input files that declare none (or a wrong one), e.g. "
            "EPSG:4490, EPSG:4527.",
        ),
        click.option(
            "--coord-system",
            "coord_system",
            default="wgs84",
            show_default=True,
            type=click.Choice(["wgs84", "gcj02", "bd09"], case_sensitive=False),
            help="Longitude/latitude system of the inputs: gcj02 (Amap, Tencent) "
            "and bd09 (Baidu) are converted to WGS84.",
        ),
    ]
    opts.append(
        click.option(
            "--config",
            "config_file",
            type=_PATH,
            default=None,
            help="TOML configuration (weights, thresholds, assumptions).",
        )
    )
    for opt in reversed(opts):
        func = opt(func)
    return func


#: How distances are measured (``--distance``); see
#: :func:`planner.access.network.distance_model_for`.
DISTANCE_BASES = ("auto", "network", "straight_line")


def _workers(ctx: click.Context, param: click.Parameter, value: str) -> int:
    from planner.parallel import resolve_workers

    try:
        return resolve_workers(value)
    except ConfigError as e:
        raise click.BadParameter(localized(e, error_language()), ctx=ctx, param=param) from None


def distance_options(func: F) -> F:
    """Decorate a click command with ``--distance`` and ``--workers``.

    ``--distance auto|network|straight_line`` chooses the distance model; ``--workers N|auto``
    the worker processes of large runs (:mod:`planner.parallel`).
    """
    func = click.option(
        "--workers",
        "workers",
        default="auto",
        show_default=True,
        metavar="N|auto",
        callback=_workers,
        help="Processes for large runs of the single engine (auto: every core; 1: this "
        "process only). Results do not depend on it.",
    )(func)
    return click.option(
        "--distance",
        "distance",
        type=click.Choice(DISTANCE_BASES),
        default="auto",
        show_default=True,
        help="How distances are measured: walking network over the roads layer, straight "
        "line, or auto (network when there are walkable roads).",
    )(func)


def prepared_with_distances(
    layers: Layers,
    config: PlannerConfig,
    distance: str,
    progress: Callable[[str, float], None] | None = None,
    *,
    workers: int = 1,
) -> tuple[Layers, Any]:
    """Prepare ``layers`` and build the distance model ``--distance`` asks for."""
    from planner.access.network import distance_model_for
    from planner.layers import prepare_layers

    layers = prepare_layers(layers, config)
    if progress is not None:
        progress(f"building the distance model ({distance})", 0.0)
    return layers, distance_model_for(
        layers,
        config,
        basis=distance,  # type: ignore[arg-type]
        workers=workers,
    )


def quiet_option(func: F) -> F:
    """Decorate a click command with ``--quiet/-q`` (no progress messages)."""
    return click.option("--quiet", "-q", is_flag=True, help="No progress messages.")(func)


def preset_option(func: F) -> F:
    """Decorate a click command with ``--preset NAME`` (the presets of planner.decision.presets)."""
    from planner.decision.presets import PRESETS

    return click.option(
        "--preset",
        type=click.Choice(list(PRESETS)),
        default=None,
        help="Weight preset (replaces the weights of --config; see docs).",
    )(func)


def config_from_options(config_file: Path | None) -> PlannerConfig:
    """The configuration named by ``--config``, or the defaults."""
    return PlannerConfig.from_toml(config_file) if config_file else PlannerConfig()


def layers_from_options(
    *,
    demo: bool,
    layers_file: Path | None,
    encoding: str | None = None,
    crs: str | None = None,
    coord_system: str = "wgs84",
    on_layer: Callable[[str, Any], None] | None = None,
    **kwargs: Any,
) -> Layers:
    """Read the layers named by the options (``role_<role>`` keyword arguments).

    With ``--demo`` the demo district's layers are the base and per-role files replace
    single layers of it; otherwise ``--layers`` is the base. ``encoding``, ``crs`` and
    ``coord_system`` apply to every file read; ``on_layer`` is handed each layer as soon as
    it is read (:func:`planner.io.read_layers`).
    """
    from planner.io import load_layer, read_layers

    opts = {"encoding": encoding, "crs": crs, "coord_system": (coord_system or "wgs84").lower()}
    role_files = {
        k.removeprefix("role_"): v
        for k, v in kwargs.items()
        if k.startswith("role_") and v is not None
    }
    if not demo:
        if layers_file is None and not role_files:
            raise ConfigError(Msg("cli.no_input"))
        reports: list = []
        layers = read_layers(layers_file, role_files, reports=reports, on_layer=on_layer, **opts)
        _echo_problems(reports)
        return layers
    if layers_file is not None:
        raise ConfigError(Msg("cli.demo_or_layers"))
    from planner.data.demo import load_demo

    base = load_demo()
    frames = {role: getattr(base, role) for role in ROLES}
    sources = dict(base.sources)
    for role, path in role_files.items():
        frames[role], report = load_layer(path, role=role, **opts)
        sources[role] = str(path)
        _echo_problems([report])
    return Layers.from_mapping(frames, sources)


def input_files(inputs: Mapping[str, Any]) -> list[Path]:
    """The files a run reads, from its layer-input options (``--demo`` included).

    ``FILE:LAYER`` forms are reduced to the file, so a layer of a GeoPackage, a sheet of a
    workbook and a dataset of a zip name the file they are in.
    """
    from planner.io.read import split_layer_spec

    files: list[Path] = []
    if inputs.get("demo"):
        from planner.data.demo import DEMO_PATH

        files.append(Path(DEMO_PATH))
    specs = [inputs.get("layers_file"), inputs.get("config_file")]
    specs += [v for k, v in inputs.items() if k.startswith("role_")]
    files += [split_layer_spec(spec)[0] for spec in specs if spec is not None]
    return files


def _same_file(a: Path, b: Path) -> bool:
    """``a`` and ``b`` are one file: the same inode where both exist, else the same path."""
    try:
        if a.exists() and b.exists():
            return os.path.samefile(a, b)
    except OSError:
        pass
    return os.path.normcase(a.resolve()) == os.path.normcase(b.resolve())


def check_outputs(
    outputs: Sequence[Path | None],
    *,
    inputs: Mapping[str, Any] | None = None,
    files: Iterable[PathLikeStr | None] = (),
) -> None:
    """Refuse, before any work, an output that would destroy an input or another output.

    Every command calls this once with its output files. An output may not be any file the
    run reads — a layer file (``FILE:LAYER`` counts as FILE), the demo district with
    ``--demo``, the ``--config`` file, or ``files`` (other inputs, such as the extract of
    ``planner import-osm``) — compared by :func:`os.path.samefile` where both exist (links
    and other spellings of one file) and by resolved path otherwise; two outputs may not be
    one file; and each output's folder must exist and be writable
    (:func:`planner.io.write.check_output_folder`).

    Raises
    ------
    OutputError
        Naming the output and the input it would overwrite.
    """
    from planner.io.write import check_output_folder

    sources = input_files(inputs or {})
    sources += [Path(str(f)) for f in files if f is not None]
    given = [Path(o) for o in outputs if o is not None]
    for i, out in enumerate(given):
        for src in sources:
            if _same_file(out, src):
                also = "" if str(out) == str(src) else f" ({src})"
                raise OutputError(Msg("cli.output_is_input", out=out, also=also))
        for other in given[:i]:
            if _same_file(out, other):
                raise OutputError(Msg("cli.output_twice", out=out))
        check_output_folder(out)


def _echo_problems(reports: list) -> None:
    """Print each layer's repairs and problems (assumed CRS ...) as ``note:`` lines."""
    for report in reports:
        for problem in report.notes() + report.problems:
            click.echo(note_line(problem, about=report.source), err=True)
