"""The flat layout's module names still import: ``planner.ahp`` is ``planner.decision.ahp``.

The modules moved into wings (``access``, ``decision``, ``app``, ``data``) in issue 14. A
finder appended to :data:`sys.meta_path` answers only the names in :data:`MOVED` (after every
other finder has failed): it imports the new module and registers the *same* module object under
the old name too, so ``from planner.maps import build_map``, ``monkeypatch.setattr`` on either
name and ``isinstance`` checks keep working. No warning is raised.
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.machinery
import sys
from types import ModuleType

#: Old dotted name -> new dotted name.
MOVED: dict[str, str] = {
    "planner.distances": "planner.access.distances",
    "planner.network": "planner.access.network",
    "planner.ahp": "planner.decision.ahp",
    "planner.presets": "planner.decision.presets",
    "planner.sensitivity": "planner.decision.sensitivity",
    "planner.selection": "planner.decision.selection",
    "planner.allocation": "planner.decision.allocation",
    "planner._mip": "planner.decision._mip",
    "planner.lifecircles": "planner.decision.lifecircles",
    "planner.maps": "planner.app.maps",
    "planner.views": "planner.app.views",
    "planner.report": "planner.app.report",
    "planner.i18n": "planner.app.i18n",
    "planner.lifecircle_map": "planner.app.lifecircle_map",
    "planner.project": "planner.app.uploads",
    "planner.demo": "planner.data.demo",
    "planner.synthetic": "planner.data.synthetic",
}


class _MovedLoader(importlib.abc.Loader):
    """Hands back the already imported new module instead of making one."""

    def __init__(self, new: str) -> None:
        self.new = new

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> ModuleType:
        return importlib.import_module(self.new)

    def exec_module(self, module: ModuleType) -> None:
        # The import system has just set ``module.__spec__`` to the old name's spec; give the
        # module back its own (``importlib.reload`` and ``python -m`` read it).
        module.__spec__ = _SPECS[self.new]


#: The new modules' own specs, kept when first imported through an old name.
_SPECS: dict[str, importlib.machinery.ModuleSpec] = {}


class MovedFinder(importlib.abc.MetaPathFinder):
    """Finds the old names of :data:`MOVED` and loads them as their new modules."""

    def find_spec(
        self, fullname: str, path: object = None, target: ModuleType | None = None
    ) -> importlib.machinery.ModuleSpec | None:
        new = MOVED.get(fullname)
        if new is None:
            return None
        module = importlib.import_module(new)
        _SPECS.setdefault(new, module.__spec__)
        return importlib.machinery.ModuleSpec(fullname, _MovedLoader(new), origin=module.__file__)


def install() -> None:
    """Append the finder to :data:`sys.meta_path` (once)."""
    if not any(isinstance(f, MovedFinder) for f in sys.meta_path):
        sys.meta_path.append(MovedFinder())
