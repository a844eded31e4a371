"""The code base stays lint-clean, free of per-row loops over frames and of import cycles."""

import ast
import re
import shutil
import subprocess
import sys

import pytest

from tests.conftest import ROOT


def test_ruff_clean():
    ruff = shutil.which("ruff") or shutil.which("ruff", path=str(ROOT / ".venv" / "bin"))
    cmd = [ruff] if ruff else [sys.executable, "-m", "ruff"]
    targets = [p for p in ("planner", "tests", "geodata", "benchmarks", "streamlit_app.py",
                           "streamlit_plan.py")
               if (ROOT / p).exists()]
    proc = subprocess.run([*cmd, "check", "--quiet", *targets], cwd=ROOT, capture_output=True,
                          text=True, timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr


@pytest.mark.parametrize("path", sorted((ROOT / "planner").rglob("*.py")),
                         ids=lambda p: str(p.relative_to(ROOT)))
def test_no_per_row_loops_over_frames(path):
    text = path.read_text(encoding="utf-8")
    assert not re.search(r"\.(iterrows|itertuples)\(", text), f"{path}: per-row loop"


def _module_name(path):
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _is_type_checking(node):
    test = node.test
    return ((isinstance(test, ast.Name) and test.id == "TYPE_CHECKING")
            or (isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"))


def _imported_names(tree, module, is_package):
    """Every name imported anywhere in the module (functions too) as a dotted path, relative
    imports resolved: ``from planner import standards`` gives ``planner.standards``. Imports
    under ``if TYPE_CHECKING:`` are left out (they never run)."""
    skip = {id(n) for node in ast.walk(tree) if isinstance(node, ast.If) and _is_type_checking(node)
            for child in node.body for n in ast.walk(child)}
    for node in ast.walk(tree):
        if id(node) in skip:
            continue
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = module.split(".")[: None if is_package else -1]
                base = base[: len(base) - node.level + 1]
                source = ".".join([*base, *([node.module] if node.module else [])])
            else:
                source = node.module or ""
            yield from (f"{source}.{alias.name}" for alias in node.names)


def import_graph():
    """Module -> the ``planner`` modules it imports (the longest prefix of a name that is one)."""
    files = {_module_name(p): p for p in (ROOT / "planner").rglob("*.py")}

    def resolve(name):
        while name and name not in files:
            name = name.rpartition(".")[0]
        return name

    graph = {}
    for module, path in files.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        names = _imported_names(tree, module, path.name == "__init__.py")
        graph[module] = {resolve(n) for n in names if n.split(".")[0] == "planner"} - {module, ""}
    return graph


def import_cycles(graph):
    """The strongly connected components of more than one module, each as one cycle through it."""
    index, low, stack, on_stack, cycles = {}, {}, [], set(), []

    def visit(v):  # Tarjan; the package has a few hundred modules, recursion is shallow
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = set()
            while not component or w != v:
                w = stack.pop()
                on_stack.discard(w)
                component.add(w)
            if len(component) > 1:
                cycles.append(_one_cycle(graph, component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return cycles


def _one_cycle(graph, component):
    """A shortest cycle through the component's first module, as a list that ends where it began."""
    start = min(component)
    paths, frontier = {start: [start]}, [start]
    while frontier:
        nxt = []
        for v in frontier:
            for w in sorted(graph[v] & component):
                if w == start:
                    return [*paths[v], start]
                if w not in paths:
                    paths[w] = [*paths[v], w]
                    nxt.append(w)
        frontier = nxt
    raise AssertionError(component)  # a strongly connected component always has one


#: Import cycles that remain, each as the set of its modules. Empty: a new cycle fails the test.
ALLOWED_CYCLES: list[set[str]] = []


def test_no_import_cycle():
    graph = import_graph()
    assert {"planner", "planner.scoring", "planner.access.network", "planner.io.read"} <= set(graph)
    assert "planner.transform_config" in graph["planner.config"]  # imports are seen
    cycles = [c for c in import_cycles(graph) if set(c) not in ALLOWED_CYCLES]
    assert not cycles, "import cycles:\n" + "\n".join(" -> ".join(c) for c in cycles)


def test_import_cycles_are_found():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a", "d"}, "d": set(), "e": {"e"}}
    assert import_cycles(graph) == [["a", "b", "c", "a"]]
    tree = ast.parse("from . import x\nfrom ..y import z\nif TYPE_CHECKING:\n    import planner.t\n"
                     "def f():\n    import planner.u\n")
    names = set(_imported_names(tree, "planner.p.q", is_package=False))
    assert names == {"planner.p.x", "planner.y.z", "planner.u"}


def test_no_streamlit_in_the_library():
    graph_names = set()
    for path in (ROOT / "planner").rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        graph_names |= {n.split(".")[0] for n in _imported_names(tree, _module_name(path),
                                                                 path.name == "__init__.py")}
    assert "streamlit" not in graph_names and "streamlit_folium" not in graph_names
