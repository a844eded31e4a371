"""Urban micro-space planner: score leftover plots for pocket parks (口袋公园) and parking.

The one-call API::

    import planner
    layers = planner.load_demo()            # or planner.read_layers("layers.gpkg")
    result = planner.score(layers)          # GeoDataFrame, one row per plot
"""

from planner import _moved
from planner._version import __version__ as __version__
from planner.config import PlannerConfig
from planner.errors import PlannerError
from planner.io import read_layer, read_layers, write_candidates
from planner.layers import ROLES, Layers, prepare_layers
from planner.scoring import combine, compute_criteria, score

_moved.install()  # old flat module names (planner.ahp, planner.maps, ...) still import


def load_demo() -> Layers:
    """The bundled synthetic demo district (see :mod:`planner.data.demo`)."""
    from planner.data.demo import load_demo as _load

    return _load()


def __getattr__(name: str) -> object:
    """``planner.ahp`` and the other old module names, as attributes of the package."""
    new = _moved.MOVED.get(f"{__name__}.{name}")
    if new is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib

    return importlib.import_module(f"{__name__}.{name}")


__all__ = [
    "ROLES",
    "Layers",
    "PlannerConfig",
    "PlannerError",
    "combine",
    "compute_criteria",
    "load_demo",
    "prepare_layers",
    "read_layer",
    "read_layers",
    "score",
    "write_candidates",
]
