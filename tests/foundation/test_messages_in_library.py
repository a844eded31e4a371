"""Every error a user can cause in the data, config and analysis wings is a message by key.

The source of each module is read (``ast``): every planner error built there gets its message
as ``Msg("key", ...)`` (or a variable holding one: a caught error's ``problem``), never an
English literal or f-string; built-in errors (``ValueError`` ...) with text are only the
programming errors listed below, each with the reason a user cannot reach it. The keys used
exist in the tables.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import planner.errors
import planner.io.write  # noqa: F401 - defines WriteCheckError
from planner.errors import InputFileError, PlannerError
from planner.messages import MESSAGES

ROOT = Path(__file__).resolve().parents[2]

#: The parts of the library whose errors are messages by key (issue 18, point 3).
PARTS = (
    "planner/io",
    "planner/layers.py",
    "planner/role_guess.py",
    "planner/config.py",
    "planner/transform_config.py",
    "planner/plan_settings.py",
    "planner/transforms.py",
    "planner/crs.py",
    "planner/parallel.py",
    "planner/standards.py",
    "planner/criteria",
    "planner/scoring",
    "planner/access",
    "planner/parking",
    "planner/indicators",
    "planner/data",
)

#: Built-in errors with plain English text left on purpose: ``(module, error, start of text)``.
#: Each is a programming error no input, file, setting or command can cause.
PROGRAMMING_ERRORS = {
    # a WKB type code the reader's own dispatch does not handle; caught by the reader, which
    # then rebuilds the geometry through shapely (never shown)
    ("planner/io/geometry.py", "ValueError", "WKB geometry type"),
    # the TOML writer is given configurations that were validated (finite numbers, known
    # types) before they can be written
    ("planner/io/toml.py", "ValueError", "TOML has no place"),
    ("planner/io/toml.py", "TypeError", "cannot write"),
    # internal table lengths of a two-step floating catchment built by this package
    ("planner/access/fca.py", "ValueError", "population and supply must have one"),
    # a Pairs object built by this package without its distances
    ("planner/access/distances.py", "ValueError", "Pairs needs distance"),
    # the demo city's own shape kinds (a fixed list in the module)
    ("planner/data/synthetic.py", "ValueError", "unknown unit shape"),
}


def _modules() -> list[Path]:
    out: list[Path] = []
    for part in PARTS:
        p = ROOT / part
        out.extend(sorted(p.rglob("*.py")) if p.is_dir() else [p])
    return out


def _planner_errors() -> dict[str, type]:
    found: dict[str, type] = {}
    todo = [PlannerError]
    while todo:
        cls = todo.pop()
        found[cls.__name__] = cls
        todo.extend(cls.__subclasses__())
    return found


ERRORS = _planner_errors()
#: Built-in errors whose text the check reads.
BUILTIN = {"ValueError", "TypeError", "KeyError", "RuntimeError", "OSError", "IndexError"}


def _name(func: ast.expr) -> str | None:
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return None


def _is_text(node: ast.expr) -> bool:
    """A literal or f-string (or text built from them): English written in the code."""
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str)
    if isinstance(node, ast.JoinedStr):
        return True
    if isinstance(node, ast.BinOp):
        return _is_text(node.left) or _is_text(node.right)
    return False


def _message_arg(cls: type, call: ast.Call) -> ast.expr | None:
    at = 1 if issubclass(cls, InputFileError) else 0
    return call.args[at] if len(call.args) > at else None


def _text_start(node: ast.expr) -> str:
    if isinstance(node, ast.Constant):
        return str(node.value)
    if isinstance(node, ast.JoinedStr):
        return "".join(v.value for v in node.values if isinstance(v, ast.Constant))
    return ""


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(ROOT)))
def test_every_planner_error_is_a_message_by_key(path: Path) -> None:
    rel = str(path.relative_to(ROOT))
    tree = ast.parse(path.read_text(encoding="utf-8"))
    bad: list[str] = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        name = _name(node.func)
        if name in ERRORS:
            arg = _message_arg(ERRORS[name], node)
            if arg is None or _is_text(arg):
                bad.append(f"{rel}:{node.lineno} {name}(... English text ...)")
            elif isinstance(arg, ast.Call) and _name(arg.func) not in ("Msg",):
                bad.append(f"{rel}:{node.lineno} {name}({ast.unparse(arg)[:40]} ...)")
    assert not bad, "raise with Msg(key, ...) instead:\n" + "\n".join(bad)


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(ROOT)))
def test_builtin_errors_with_text_are_only_the_listed_programming_errors(path: Path) -> None:
    rel = str(path.relative_to(ROOT))
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call)):
            continue
        name = _name(node.exc.func)
        if name in BUILTIN and node.exc.args and _is_text(node.exc.args[0]):
            text = _text_start(node.exc.args[0])
            listed = [e for e in PROGRAMMING_ERRORS if e[:2] == (rel, name) and e[2] in text]
            assert listed, (
                f"{rel}:{node.lineno}: {name}({text!r}) is not a listed programming error"
            )
            found.add(listed[0])
    # the list stays true to the code: every entry of this module is still there
    assert {e for e in PROGRAMMING_ERRORS if e[0] == rel} == found


def _keys_used(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [
        (node.lineno, node.args[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and _name(node.func) == "Msg"
        and node.args
        and isinstance(node.args[0], ast.Constant)
    ]


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(ROOT)))
def test_the_keys_used_are_in_the_tables(path: Path) -> None:
    missing = [f"{line}: {key}" for line, key in _keys_used(path) if key not in MESSAGES]
    assert not missing, f"{path.name}: keys not in planner/messages: {missing}"


def test_the_check_finds_english_text() -> None:
    # the checker itself: an f-string, a literal and a file error's problem are found
    src = (
        "raise ConfigError(f'x must be > 0, got {v}')\n"
        "raise NoCrsError(path, 'has no CRS')\n"
        "raise ConfigError(Msg('must_be_positive', name='x', value=1))\n"
        "raise UnreadableFileError(path, Msg('common.file_not_found'))\n"
    )
    calls = [n for n in ast.walk(ast.parse(src)) if isinstance(n, ast.Call) and _name(n.func)]
    texts = [
        _is_text(_message_arg(ERRORS[_name(c.func)], c)) for c in calls if _name(c.func) in ERRORS
    ]
    assert texts == [True, True, False, False]
    assert planner.errors.NoCrsError.__name__ in ERRORS
