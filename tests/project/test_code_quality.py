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
    targets = [
        p
        for p in (
            "planner",
            "tests",
            "geodata",
            "benchmarks",
            "streamlit_app.py",
            "streamlit_plan.py",
        )
        if (ROOT / p).exists()
    ]
    proc = subprocess.run(
        [*cmd, "check", "--quiet", *targets], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    # one layout for every file: ruff format, applied once and kept (issue 14)
    proc = subprocess.run(
        [*cmd, "format", "--check", *targets], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert proc.returncode == 0, "run `ruff format .`:\n" + proc.stdout + proc.stderr


@pytest.mark.parametrize(
    "path", sorted((ROOT / "planner").rglob("*.py")), ids=lambda p: str(p.relative_to(ROOT))
)
def test_no_per_row_loops_over_frames(path):
    text = path.read_text(encoding="utf-8")
    assert not re.search(r"\.(iterrows|itertuples)\(", text), f"{path}: per-row loop"


def _module_name(path):
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _is_type_checking(node):
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imported_names(tree, module, is_package):
    """Every name imported anywhere in the module (functions too) as a dotted path, relative
    imports resolved: ``from planner import standards`` gives ``planner.standards``. Imports
    under ``if TYPE_CHECKING:`` are left out (they never run)."""
    skip = {
        id(n)
        for node in ast.walk(tree)
        if isinstance(node, ast.If) and _is_type_checking(node)
        for child in node.body
        for n in ast.walk(child)
    }
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


def _library_files():
    return {_module_name(p): p for p in (ROOT / "planner").rglob("*.py")}


def _imports_of(tree, module, is_package, modules):
    """The ``planner`` modules a parsed module imports: the longest prefix of each name that is
    one of ``modules`` (``from planner.io import read_layers`` is ``planner.io``)."""

    def resolve(name):
        while name and name not in modules:
            name = name.rpartition(".")[0]
        return name

    names = _imported_names(tree, module, is_package)
    return {resolve(n) for n in names if n.split(".")[0] == "planner"} - {module, ""}


def import_graph():
    """Module -> the ``planner`` modules it imports (the longest prefix of a name that is one)."""
    files = _library_files()
    graph = {}
    for module, path in files.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        graph[module] = _imports_of(tree, module, path.name == "__init__.py", files)
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
    tree = ast.parse(
        "from . import x\nfrom ..y import z\nif TYPE_CHECKING:\n    import planner.t\n"
        "def f():\n    import planner.u\n"
    )
    names = set(_imported_names(tree, "planner.p.q", is_package=False))
    assert names == {"planner.p.x", "planner.y.z", "planner.u"}


def test_no_streamlit_in_the_library():
    graph_names = set()
    for path in (ROOT / "planner").rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        graph_names |= {
            n.split(".")[0]
            for n in _imported_names(tree, _module_name(path), path.name == "__init__.py")
        }
    assert "streamlit" not in graph_names and "streamlit_folium" not in graph_names


# --- Layers: every import goes down (or sideways), never up --------------------------------------

#: The library's layers, lowest first: (name, modules, why it sits there). A module may import
#: from its own layer and the layers below, never from one above (imports inside functions
#: count). A name covers that module and every module under it, the longest name wins;
#: ``planner`` (the one-call API) covers only the root package itself.
LAYERS: tuple[tuple[str, tuple[str, ...], str], ...] = (
    (
        "foundation",
        (
            "planner.errors",
            "planner.messages",
            "planner.standards",
            "planner.crs",
            "planner.transforms",
            "planner.parallel",
            "planner._moved",
            "planner._version",
        ),
        "exceptions and their messages in 中文/English, planning numbers, CRS arithmetic, "
        "0-1 transforms, worker pools: need nothing",
    ),
    (
        "file formats",
        (
            "planner.io.archive",
            "planner.io.encoding",
            "planner.io.arrow",
            "planner.io.coords",
            "planner.io.crs_detect",
            "planner.io.report",
        ),
        "bytes, text encodings and coordinate systems of a file; know no layer role",
    ),
    (
        "configuration",
        ("planner.config", "planner.transform_config", "planner.criteria", "planner.plan_settings"),
        "a run's parameters, checked against the criteria they name (criteria/__init__.py); "
        "the [costs], [phases] and [equity] sections",
    ),
    (
        "layers",
        ("planner.layers", "planner.role_guess"),
        "the input frames by role: schema, CRS and geometry checked at the edge; roles guessed",
    ),
    (
        "access",
        ("planner.access",),
        "how far places are: distance models and the walking graph over the roads layer",
    ),
    (
        "io",
        ("planner.io",),
        "layers read from files (OSM roads walkable by access's rule), results written atomically",
    ),
    (
        "parking",
        ("planner.parking",),
        "a plot's frontage and stall layout, and the parking demand around it",
    ),
    (
        "criteria",
        (
            "planner.criteria.access",
            "planner.criteria.park",
            "planner.criteria.parking",
            "planner.criteria.shape",
        ),
        "the measure of each criterion, from access distances and the parking wing",
    ),
    (
        "scoring",
        ("planner.scoring",),
        "measures -> 0-1 scores -> recommendation and reasons for every plot",
    ),
    ("engines", ("planner.engines",), "scoring run out of core (dask) with the same rules"),
    (
        "decision",
        ("planner.decision",),
        "choices over scored plots: AHP, presets, sensitivity, selection, allocation, life circles",
    ),
    (
        "indicators",
        ("planner.indicators",),
        "the 城市体检 card: official and walking coverage by life circle, before/after",
    ),
    ("data", ("planner.data",), "the demo district and synthetic cities, as layers"),
    (
        "words",
        ("planner.app.i18n", "planner.app.i18n_plan"),
        "every label and message in 中文 and English",
    ),
    (
        "drawing",
        ("planner.drawing",),
        "map sheets at true scale and CAD drawings of a run, worded by i18n",
    ),
    (
        "app",
        ("planner.app",),
        "what the app and the HTML report show: maps, tables, uploads, words (no streamlit)",
    ),
    ("cli", ("planner.cli", "planner.__main__"), "the command line over all of the above"),
    ("api", ("planner",), "the one-call API (planner.score, planner.load_demo, ...)"),
)


def layer_of(module, layers=LAYERS):
    """Position of ``module``'s layer in ``layers`` (None when no layer names it)."""
    best = None
    for rank, (_, names, _) in enumerate(layers):
        for name in names:
            covers = module == name or (name != "planner" and module.startswith(name + "."))
            if covers and (best is None or len(name) > best[1]):
                best = (rank, len(name))
    return None if best is None else best[0]


def upward_imports(graph, layers=LAYERS):
    """Every import of a module from a higher layer, as ``"a (layer) -> b (layer)"``."""
    out = []
    for module in sorted(graph):
        here = layer_of(module, layers)
        for target in sorted(graph[module]):
            there = layer_of(target, layers)
            if here is not None and there is not None and there > here:
                out.append(f"{module} ({layers[here][0]}) -> {target} ({layers[there][0]})")
    return out


def test_every_module_has_a_layer():
    unplaced = sorted(m for m in import_graph() if layer_of(m) is None)
    assert not unplaced, f"modules in no layer (add them to LAYERS): {unplaced}"


def test_no_upward_import():
    graph = import_graph()
    bad = upward_imports(graph)
    assert not bad, "imports from a higher layer:\n" + "\n".join(bad)


def test_upward_imports_are_found():
    files = _library_files()
    # planted in a low module, inside a function, as the real ones were
    tree = ast.parse(
        "from planner.errors import PlannerError\n"
        "def f():\n    from planner.app.maps import build_map\n"
    )
    graph = {
        "planner.standards": _imports_of(tree, "planner.standards", False, files),
        "planner.app.maps": set(),
        "planner.errors": set(),
    }
    assert upward_imports(graph) == ["planner.standards (foundation) -> planner.app.maps (app)"]
    # sideways and downward are fine; the longest name decides (criteria/__init__ is low, the
    # measures are above parking); the root covers only itself
    assert upward_imports({"planner.config": {"planner.criteria", "planner.errors"}}) == []
    assert layer_of("planner.criteria") < layer_of("planner.parking.demand")
    assert layer_of("planner.criteria.park") > layer_of("planner.parking.demand")
    assert layer_of("planner.io.read") > layer_of("planner.layers") > layer_of("planner.io.coords")
    assert layer_of("planner") == len(LAYERS) - 1 and layer_of("planner.nowhere") is None
    assert upward_imports({"planner.parking.demand": {"planner.criteria.access"}}) == [
        "planner.parking.demand (parking) -> planner.criteria.access (criteria)"
    ]


# --- Function bodies stay short ----------------------------------------------------------------

#: Longest function body (lines, docstring excluded): a longer one is split into named steps.
MAX_BODY_LINES = 80
#: Functions allowed a longer body for now ("path::name" -> why). Each must still be too long.
LONG_BODIES: dict[str, str] = {}


def body_lengths(tree):
    """``(name, line, body lines)`` of every function, docstring excluded."""
    for node in ast.walk(tree):
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        body = node.body
        if (
            isinstance(body[0], ast.Expr)
            and isinstance(body[0].value, ast.Constant)
            and isinstance(body[0].value.value, str)
        ):
            body = body[1:]
        if body:
            yield node.name, node.lineno, node.end_lineno - body[0].lineno + 1


def _code_files():
    return [
        *sorted((ROOT / "planner").rglob("*.py")),
        ROOT / "streamlit_app.py",
        ROOT / "streamlit_plan.py",
    ]


def test_no_long_function_body():
    long, seen = [], set()
    for path in _code_files():
        rel = path.relative_to(ROOT).as_posix()
        for name, line, n in body_lengths(ast.parse(path.read_text(encoding="utf-8"))):
            key = f"{rel}::{name}"
            if n > MAX_BODY_LINES:
                seen.add(key)
                if key not in LONG_BODIES:
                    long.append(f"{rel}:{line} {name}: {n} lines")
    assert not long, f"bodies over {MAX_BODY_LINES} lines (split into steps):\n" + "\n".join(long)
    stale = sorted(set(LONG_BODIES) - seen)
    assert not stale, f"no longer too long, remove from LONG_BODIES: {stale}"


def test_long_bodies_are_measured():
    lines = "\n".join(f"    x{i} = {i}" for i in range(81))
    src = (
        f'def f():\n    """Doc\n    string."""\n{lines}\n\ndef g():\n    """Only a docstring."""\n'
    )
    assert list(body_lengths(ast.parse(src))) == [("f", 1, 81)]
