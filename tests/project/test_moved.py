"""The flat layout's module names still import, as the very modules of the wings (issue 14)."""

import importlib
import subprocess
import sys
import warnings

import pytest

import planner
from planner._moved import MOVED
from tests.conftest import ROOT


@pytest.mark.parametrize("old", sorted(MOVED))
def test_old_name_is_the_new_module(old):
    new = MOVED[old]
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no DeprecationWarning, nor any other
        old_module = importlib.import_module(old)
    new_module = importlib.import_module(new)
    assert old_module is new_module
    assert sys.modules[old] is sys.modules[new]
    assert new_module.__name__ == new and new_module.__spec__.name == new
    assert getattr(planner, old.rpartition(".")[2]) is new_module


def test_old_modules_are_not_files():
    for old in MOVED:
        rel = old.replace(".", "/")
        assert not (ROOT / f"{rel}.py").exists() and not (ROOT / rel).is_dir(), old
    for new in MOVED.values():
        assert (ROOT / f"{new.replace('.', '/')}.py").exists(), new


def test_from_old_module_import_name():
    from planner.maps import build_map
    from planner.network import NetworkDistance

    from planner.app.maps import build_map as new_build_map

    assert build_map is new_build_map
    assert NetworkDistance is importlib.import_module("planner.access.network").NetworkDistance


def test_monkeypatch_through_either_name(monkeypatch):
    import planner.presets as old

    import planner.decision.presets as new

    monkeypatch.setattr("planner.presets.PRESETS", {"x": 1})
    assert new.PRESETS == {"x": 1} and old.PRESETS is new.PRESETS


def test_unknown_name_still_fails():
    with pytest.raises(ModuleNotFoundError):
        importlib.import_module("planner.no_such_module")
    with pytest.raises(AttributeError, match="no_such_thing"):
        planner.no_such_thing  # noqa: B018


def test_old_names_in_a_fresh_interpreter():
    code = (
        "import warnings; warnings.simplefilter('error'); "
        "import planner.ahp, planner.decision.ahp as d; "
        "from planner.maps import build_map; "
        "from planner.distances import StraightLineDistance; "
        "from planner.project import Project; from planner.synthetic import synthetic_city; "
        "import planner; assert planner.ahp is d; print(len(planner.load_demo().plots))"
    )
    proc = subprocess.run(
        [sys.executable, "-W", "error", "-c", code],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    assert int(proc.stdout) > 0
