"""Every note and warning the library hands to users is a message by key (issue 18, point 3).

The source of each module is read (``ast``). Text stored where a user reads it — a list of
notes, problems or warnings (``notes.append(...)``, ``report.problems.extend(...)``,
``notes=[...]``, ``warning=...``), or returned by a function whose name says it makes a note
or a warning — is a ``Msg("key", ...)`` (or a variable holding one), never an English literal
or f-string. Text that is data (a file name, a column of reasons built per plot in both
languages) is listed below with the reason. The keys used exist in the tables.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from planner.messages import MESSAGES, counted

ROOT = Path(__file__).resolve().parents[2]

#: Where the library's notes are made. The command line (``planner/cli``) prints them, and the
#: app (``planner/app``) shows them through ``localized``; neither makes its own.
PARTS = (
    "planner/io",
    "planner/layers.py",
    "planner/config.py",
    "planner/transform_config.py",
    "planner/crs.py",
    "planner/criteria",
    "planner/scoring",
    "planner/access",
    "planner/parking",
    "planner/indicators",
    "planner/data",
    "planner/decision",
    "planner/drawing",
    "planner/engines",
)

#: Names of the lists (and keywords) that hold what a user reads.
HOLDERS = re.compile(r"(^|_)(notes?|problems?|warnings?)(_|$)")
#: Functions whose name says they make a note or a warning.
MAKERS = re.compile(r"(^|_)(note|notes|warning)(_|$)")

#: Text left on purpose: ``(module, start of the text)``, each with its reason.
DATA: set[tuple[str, str]] = {
    # the CRS of a CAD drawing as its header and NOTE layer give it: the CRS's own name
    # (EPSG's words) and unit; a DXF is one file for both languages (its layer descriptions
    # carry both, ``坐标系说明 / coordinate system note``)
    ("planner/drawing/dxf.py", ", metres"),
}
#: A single lower-case word is a name (a role, a key), not a sentence.
NAME = re.compile(r"^[a-z0-9_.]+$")


def _modules() -> list[Path]:
    out: list[Path] = []
    for part in PARTS:
        p = ROOT / part
        out.extend(sorted(p.rglob("*.py")) if p.is_dir() else [p])
    return out


def _name(node: ast.expr) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return None


def _texts(node: ast.expr | None) -> list[str]:
    """English written in the code inside ``node``: literals, f-strings, text joined with +.

    Looks into lists, tuples and comprehensions (``[f"..." for ...]``); a call
    (``Msg(...)``, ``str(exc)``) is not looked into.
    """
    if node is None:
        return []
    if isinstance(node, ast.Constant):
        is_text = isinstance(node.value, str) and node.value.strip()
        return [node.value] if is_text and not NAME.match(node.value) else []
    if isinstance(node, ast.JoinedStr):
        return ["".join(v.value for v in node.values if isinstance(v, ast.Constant)) or "{...}"]
    if isinstance(node, ast.BinOp):
        return _texts(node.left) + _texts(node.right)
    if isinstance(node, ast.List | ast.Tuple | ast.Set):
        return [t for e in node.elts for t in _texts(e)]
    if isinstance(node, ast.ListComp | ast.GeneratorExp | ast.SetComp):
        return _texts(node.elt)
    if isinstance(node, ast.IfExp):
        return _texts(node.body) + _texts(node.orelse)
    if isinstance(node, ast.Starred):
        return _texts(node.value)
    return []


def _stored_text(tree: ast.AST) -> list[tuple[int, str]]:
    """``(line, text)`` of English text put where a user reads it."""
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            if (
                isinstance(func, ast.Attribute)
                and func.attr in ("append", "extend", "insert")
                and HOLDERS.search(_name(func.value) or "")
            ):
                found += [(node.lineno, t) for a in node.args for t in _texts(a)]
            # a message's own fields (``Msg("k", problem=...)``) are what it quotes: data
            keywords = [] if _name(func) == "Msg" else node.keywords
            for kw in keywords:
                if kw.arg and HOLDERS.search(kw.arg):
                    found += [(node.lineno, t) for t in _texts(kw.value)]
        elif isinstance(node, ast.FunctionDef) and MAKERS.search(node.name):
            for sub in ast.walk(node):
                if isinstance(sub, ast.Return):
                    found += [(sub.lineno, t) for t in _texts(sub.value)]
        elif isinstance(node, ast.Assign | ast.AugAssign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if any(HOLDERS.search(_name(t) or "") for t in targets):
                found += [(node.lineno, t) for t in _texts(node.value)]
    return found


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(ROOT)))
def test_every_note_is_a_message_by_key(path: Path) -> None:
    rel = str(path.relative_to(ROOT))
    found = _stored_text(ast.parse(path.read_text(encoding="utf-8")))
    bad = [
        f"{rel}:{line} {text[:50]!r}"
        for line, text in found
        if not any(d[0] == rel and text.startswith(d[1]) for d in DATA)
    ]
    assert not bad, "make these notes Msg(key, ...):\n" + "\n".join(bad)
    # the list stays true to the code: every entry of this module is still there
    listed = {d for d in DATA if d[0] == rel}
    assert {d for d in listed if any(t.startswith(d[1]) for _, t in found)} == listed


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(ROOT)))
def test_the_note_keys_used_are_in_the_tables(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    used = [
        (node.lineno, node.args[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and _name(node.func) == "Msg"
        and node.args
        and isinstance(node.args[0], ast.Constant)
    ]
    missing = [f"{line}: {key}" for line, key in used if key not in MESSAGES]
    assert not missing, f"{path.name}: keys not in planner/messages: {missing}"


def test_the_check_finds_english_notes() -> None:
    # the checker itself: every way a note was written in English before is found; Msg is not
    src = (
        "notes.append(f'{n} residents live outside')\n"
        "report.problems.extend(['GDAL: ' + text])\n"
        "x = Step(notes_without=(('parking', 'no parking layer'),))\n"
        "d = CrsDecision(crs, how, warning='no CRS declared')\n"
        "notes = [f'column {a} read as {b}' for a, b in pairs]\n"
        "def time_limit_note(gap):\n    return f'stopped within {gap}'\n"
        "notes.append(Msg('decision.note_time_limit', seconds=1, gap=0.1))\n"
        "problems.append((label, ErrorText(exc)))\n"
        "notes = []\n"
        "raise EngineError(Msg('dask_failed', problem=f'{type(exc).__name__}: {exc}'))\n"
    )
    lines = sorted({line for line, _ in _stored_text(ast.parse(src))})
    assert lines == [1, 2, 3, 4, 5, 7]


def test_counted_things_are_singular_for_one_in_english_and_counted_in_chinese() -> None:
    assert counted(1, "stall") == "1 stall"
    assert counted(3, "stall") == "3 stalls"
    assert counted(1, "stall").localized("zh") == "1 个车位"
    assert counted(3, "geometry").localized("zh") == "3 个几何图形"
    # every noun has its one and its many
    nouns = {k[len("common.n_") :].rsplit("_", 1)[0] for k in MESSAGES if k.startswith("common.n_")}
    for noun in nouns:
        assert {f"common.n_{noun}_one", f"common.n_{noun}_many"} <= set(MESSAGES), noun
