"""Errors a user can cause are raised with messages by key, in the wings converted so far.

Every ``raise SomeError(...)`` of a :class:`~planner.errors.PlannerError` subclass in the
modules of :data:`WINGS` gives its message as ``Msg("key", ...)`` (for an
:class:`~planner.errors.InputFileError`, the problem after the file name), so the app and the
command line can say it in the page's language. :data:`ALLOWED` lists, with the reason, the
raises a user cannot reach (programming errors).
"""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest

from planner.errors import InputFileError, PlannerError

ROOT = Path(__file__).resolve().parents[2]
#: The packages whose errors are converted (the other wings follow their own list).
WINGS = ("planner/decision", "planner/drawing", "planner/cli", "planner/app")

#: Functions that build a message by key (each returns a ``Msg``).
MSG_BUILDERS = frozenset({"Msg", "in_file", "joined", "_why_infeasible"})

#: ``(file, error class)`` of raises left in plain text, and why a user cannot reach them.
ALLOWED: dict[tuple[str, str], str] = {
    # the presets' own weights checked when the module is imported: a programming error
    ("planner/decision/presets.py", "ConfigError"): "preset table check at import",
    # re-raises a configuration error (by key, or the config wing's text) under the file name
    ("planner/decision/scenarios.py", "InputFileError"): "re-raised under the scenario file",
}


def _modules() -> list[Path]:
    return sorted(p for wing in WINGS for p in (ROOT / wing).glob("*.py"))


def _error_class(module: object, node: ast.expr) -> type | None:
    name = node.id if isinstance(node, ast.Name) else getattr(node, "attr", None)
    found = getattr(module, name, None) if name else None
    if found is None and name:
        found = getattr(importlib.import_module("planner.errors"), name, None)
    return found if isinstance(found, type) and issubclass(found, PlannerError) else None


def _raises(path: Path) -> list[tuple[int, type, ast.Call]]:
    """``(line, error class, call)`` of every ``raise PlannerErrorSubclass(...)`` in ``path``."""
    dotted = ".".join(path.relative_to(ROOT).with_suffix("").parts)
    module = importlib.import_module(dotted.removesuffix(".__init__"))
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call):
            cls = _error_class(module, node.exc.func)
            if cls is not None:
                out.append((node.lineno, cls, node.exc))
    return out


def _message_arg(cls: type, call: ast.Call) -> ast.expr | None:
    position = 1 if issubclass(cls, InputFileError) else 0
    if len(call.args) > position:
        return call.args[position]
    named = [k.value for k in call.keywords if k.arg in ("problem", "message")]
    return named[0] if named else None


def _is_msg(node: ast.expr | None) -> bool:
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id in MSG_BUILDERS
    )


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(ROOT)))
def test_planner_errors_are_raised_with_messages_by_key(path: Path) -> None:
    rel = str(path.relative_to(ROOT))
    plain = [
        f"{rel}:{line} {cls.__name__}"
        for line, cls, call in _raises(path)
        if not _is_msg(_message_arg(cls, call)) and (rel, cls.__name__) not in ALLOWED
    ]
    assert not plain, "raise these with Msg(key, ...) (planner/messages/<wing>.py):\n" + "\n".join(
        plain
    )


def test_the_check_sees_a_plain_text_raise() -> None:
    tree = ast.parse('raise ConfigError("plain")\nraise ConfigError(Msg("k"))')
    calls = [n.exc for n in ast.walk(tree) if isinstance(n, ast.Raise)]
    from planner.errors import ConfigError

    assert [_is_msg(_message_arg(ConfigError, c)) for c in calls] == [False, True]
    assert _raises(ROOT / "planner/app/maps.py")  # the walk finds the app's raises
