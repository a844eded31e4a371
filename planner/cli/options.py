"""Options shared by every command that reads a run's layers (score, select, lifecircles ...).

``@layer_input_options`` adds ``--demo``, ``--layers`` and one ``--<role>`` option per role;
:func:`layers_from_options` turns the parsed values into :class:`~planner.layers.Layers`.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from planner.config import PlannerConfig
from planner.errors import ConfigError
from planner.layers import ROLES, Layers

F = Callable[..., Any]

_PATH = click.Path(dir_okay=True, path_type=Path)


def layer_input_options(func: F) -> F:
    """Decorate a click command with the layer-input options."""
    opts = [
        click.option("--demo", is_flag=True, help="Use the bundled (synthetic) demo district."),
        click.option("--layers", "layers_file", type=_PATH, default=None,
                     help="GeoPackage (or other multi-layer file) whose layer names are roles."),
    ]
    for role in ROLES:
        flag = "--" + role.replace("_", "-")
        opts.append(click.option(flag, f"role_{role}", type=_PATH, default=None,
                                 help=f"File for the {role} layer ({ROLES[role].description});"
                                      " overrides --layers."))
    opts.append(click.option("--config", "config_file", type=_PATH, default=None,
                             help="TOML configuration (weights, thresholds, assumptions)."))
    for opt in reversed(opts):
        func = opt(func)
    return func


def config_from_options(config_file: Path | None) -> PlannerConfig:
    """The configuration named by ``--config``, or the defaults."""
    return PlannerConfig.from_toml(config_file) if config_file else PlannerConfig()


def layers_from_options(*, demo: bool, layers_file: Path | None, **kwargs: Any) -> Layers:
    """Read the layers named by the options (``role_<role>`` keyword arguments).

    With ``--demo`` the demo district's layers are the base and per-role files replace
    single layers of it; otherwise ``--layers`` is the base.
    """
    from planner.io import read_layer, read_layers

    role_files = {k.removeprefix("role_"): v for k, v in kwargs.items()
                  if k.startswith("role_") and v is not None}
    if not demo:
        if layers_file is None and not role_files:
            raise ConfigError("no input: give --demo, --layers FILE or --plots FILE")
        return read_layers(layers_file, role_files)
    if layers_file is not None:
        raise ConfigError("--demo and --layers exclude each other; give one")
    from planner.demo import load_demo

    base = load_demo()
    frames = {role: getattr(base, role) for role in ROLES}
    sources = dict(base.sources)
    for role, path in role_files.items():
        frames[role] = read_layer(path)
        sources[role] = str(path)
    return Layers.from_mapping(frames, sources)
