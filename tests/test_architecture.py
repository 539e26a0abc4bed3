"""The architecture's rules, checked on the source with `ast` (nothing here imports the code).

1. core/ never imports streamlit: everything a page needs to compute lives where a unit test
   reaches it without a Streamlit runtime.
2. core/engine imports only the standard library, NumPy and itself: the engine a student reads
   stands alone.
3. Imports flow pages -> core: no core module imports app_pages.
4. The packages of core (core.engine, core.data, core.vision, core.playground, core.mnist,
   core.figures, and the modules core.lesson, core.cli, core.estimators, ...) import each other
   without a cycle, with the engine at the bottom (it imports none of them).
5. No module imports a private `_name` of another module: what another module needs is public.
6. No Python file outside tests/ is over 400 lines.
7. Every core module starts with a docstring that says what it is for.

Every import counts, also one inside a function: a lazy import is still a dependency.
Each failure names the file (and line) and the rule it breaks.
"""

from __future__ import annotations

import ast
import os
import sys
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest

from tests.paths import REPO_ROOT

CORE = REPO_ROOT / "core"
MAX_LINES = 400
STDLIB = frozenset(sys.stdlib_module_names)
# Folders that hold no project code (tools' caches, virtual environments, test output).
NOT_PROJECT = {"venv", "artifacts", "tmp", "build", "node_modules", "__pycache__"}


@dataclass(frozen=True)
class Import:
    file: str  # relative to the repository, for the messages
    line: int
    module: str  # the absolute module imported from (relative imports resolved)
    names: tuple[str, ...]  # the names taken from it (`from m import a, b`); empty for `import m`


def _rel(path: Path) -> str:
    return path.relative_to(REPO_ROOT).as_posix()


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(REPO_ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _is_module(dotted: str) -> bool:
    """True if `dotted` names a module or package of this repository."""
    base = REPO_ROOT.joinpath(*dotted.split("."))
    return base.with_suffix(".py").is_file() or (base / "__init__.py").is_file()


@cache
def _tree(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def project_files() -> list[Path]:
    """Every Python file of the project outside tests/ (hidden folders and tool output skipped)."""
    files = []
    for folder, subfolders, names in os.walk(REPO_ROOT):
        # pruned in place, so that os.walk never descends into .git or a virtual environment
        subfolders[:] = [d for d in subfolders if not d.startswith(".") and d not in NOT_PROJECT]
        if Path(folder) == REPO_ROOT and "tests" in subfolders:
            subfolders.remove("tests")
        files += [Path(folder) / name for name in names if name.endswith(".py")]
    return sorted(files)


def core_files() -> list[Path]:
    return [p for p in project_files() if p.relative_to(REPO_ROOT).parts[0] == "core"]


@cache
def imports_of(path: Path) -> tuple[Import, ...]:
    """Every import statement of the file, at any depth, with relative imports made absolute."""
    name = _module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = []
    for node in ast.walk(_tree(path)):
        if isinstance(node, ast.Import):
            found += [Import(_rel(path), node.lineno, alias.name, ()) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            names = tuple(alias.name for alias in node.names)
            found.append(Import(_rel(path), node.lineno, module, names))
    return tuple(found)


def imported_modules(path: Path) -> list[tuple[Import, str]]:
    """(import, module) for each module the file depends on: `from pkg import mod` depends on
    pkg.mod when that is a module of the repository, else on pkg."""
    out = []
    for imp in imports_of(path):
        submodules = [f"{imp.module}.{n}" for n in imp.names if _is_module(f"{imp.module}.{n}")]
        out += [(imp, m) for m in submodules] or [(imp, imp.module)]
    return out


def _unit(module: str) -> str | None:
    """The part of core a module belongs to: `core.engine.network` -> `core.engine`."""
    parts = module.split(".")
    if parts[0] != "core":
        return None
    return ".".join(parts[:2])


def require_none(rule: str, violations: list[str]) -> None:
    """Fail with the rule and one line per violation (a plain AssertionError: no rewritten repr)."""
    if violations:
        raise AssertionError(f"rule: {rule}\n" + "\n".join(f"  {v}" for v in violations))


# --------------------------------------------------------------------------- the rules


def test_core_never_imports_streamlit():
    violations = [
        f"{imp.file}:{imp.line} imports {imp.module}"
        for path in core_files()
        for imp in imports_of(path)
        if imp.module.split(".")[0] == "streamlit"
    ]
    require_none("core/ never imports streamlit", violations)


def test_engine_imports_only_stdlib_numpy_and_itself():
    def allowed(module: str) -> bool:
        top = module.split(".")[0]
        return top in STDLIB or top == "numpy" or module == "core.engine" or module.startswith("core.engine.")

    violations = [
        f"{imp.file}:{imp.line} imports {module}"
        for path in core_files()
        if _unit(_module_name(path)) == "core.engine"
        for imp, module in imported_modules(path)
        if not allowed(module)
    ]
    require_none("core/engine imports only the standard library, numpy and core.engine", violations)


def test_core_never_imports_app_pages():
    violations = [
        f"{imp.file}:{imp.line} imports {imp.module}"
        for path in core_files()
        for imp in imports_of(path)
        if imp.module.split(".")[0] in ("app_pages", "app")
    ]
    require_none("imports flow pages -> core: no core module imports app_pages", violations)


def core_unit_graph() -> dict[str, dict[str, str]]:
    """{unit: {unit it imports: where (file:line), the first such import}} between parts of core."""
    graph: dict[str, dict[str, str]] = {}
    for path in core_files():
        source = _unit(_module_name(path))
        graph.setdefault(source, {})
        for imp, module in imported_modules(path):
            target = _unit(module)
            if target and target != source and target != "core":
                graph[source].setdefault(target, f"{imp.file}:{imp.line}")
    return graph


def find_cycle(graph: dict[str, dict[str, str]]) -> list[str] | None:
    """One cycle [a, b, ..., a] of the directed graph, or None (depth-first search)."""
    state: dict[str, str] = {}  # "open" while on the current path, "done" once fully explored
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = "open"
        path.append(node)
        for nxt in sorted(graph.get(node, {})):
            if state.get(nxt) == "open":
                return path[path.index(nxt) :] + [nxt]
            if nxt not in state and (cycle := visit(nxt)):
                return cycle
        path.pop()
        state[node] = "done"
        return None

    for node in sorted(graph):
        if node not in state and (cycle := visit(node)):
            return cycle
    return None


def test_the_packages_of_core_import_each_other_without_a_cycle():
    graph = core_unit_graph()
    cycle = find_cycle(graph) or []
    require_none(
        "the packages of core import each other without a cycle",
        [f"{a} -> {b} ({graph[a][b]})" for a, b in zip(cycle, cycle[1:])],
    )


def test_the_engine_is_at_the_bottom():
    graph = core_unit_graph()
    engine_imports = sorted(graph.get("core.engine", {}).items())
    violations = [f"core.engine -> {unit} ({where})" for unit, where in engine_imports]
    require_none("the engine is at the bottom: imports no other part of core", violations)


def test_no_module_imports_a_private_name_of_another_module():
    violations = []
    for path in project_files():
        for imp in imports_of(path):
            private = [n for n in imp.names if n.startswith("_") and not n.startswith("__")]
            private += [p for p in imp.module.split(".") if p.startswith("_") and not p.startswith("__")]
            if private:
                violations.append(f"{imp.file}:{imp.line} imports {', '.join(private)} from {imp.module}")
        violations += _private_attributes(path)
    require_none("no module imports a private _name from another module", violations)


def _private_attributes(path: Path) -> list[str]:
    """`mod._name` where `mod` is a module of this repository imported by the file."""
    modules = {}
    for imp in imports_of(path):
        if not imp.names:
            continue
        for name in imp.names:
            if _is_module(f"{imp.module}.{name}"):
                modules[name] = f"{imp.module}.{name}"
    tree = _tree(path)
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.asname and _is_module(alias.name):
                    modules[alias.asname] = alias.name
    return [
        f"{_rel(path)}:{node.lineno} uses {node.value.id}.{node.attr} of {modules[node.value.id]}"
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute)
        and isinstance(node.value, ast.Name)
        and node.value.id in modules
        and node.attr.startswith("_")
        and not node.attr.startswith("__")
    ]


def test_no_python_file_outside_tests_is_over_400_lines():
    violations = []
    for path in project_files():
        lines = len(path.read_text(encoding="utf-8").splitlines())
        if lines > MAX_LINES:
            violations.append(f"{_rel(path)} has {lines} lines")
    require_none(f"no Python file outside tests/ over {MAX_LINES} lines", violations)


def test_every_core_module_has_a_docstring():
    violations = [
        f"{_rel(path)} has no module docstring"
        for path in core_files()
        if not (ast.get_docstring(_tree(path)) or "").strip()
    ]
    require_none("every core module starts with a docstring", violations)


# --------------------------------------------------------------------------- the checker itself


@pytest.mark.parametrize(
    ("graph", "expected"),
    [
        ({"a": {"b": ""}, "b": {"c": ""}, "c": {}}, None),
        ({"a": {"b": ""}, "b": {"c": ""}, "c": {"a": ""}}, ["a", "b", "c", "a"]),
        ({"a": {"b": "", "c": ""}, "b": {}, "c": {"c2": ""}, "c2": {"c": ""}}, ["c", "c2", "c"]),
    ],
)
def test_find_cycle(graph, expected):
    assert find_cycle(graph) == expected


def test_the_readers_see_the_real_tree():
    """Guards against rules that pass because they read nothing."""
    names = {_rel(p) for p in core_files()}
    assert {"core/engine/network.py", "core/engine/__init__.py", "core/cli.py"} <= names
    assert not any(n.startswith("tests/") for n in map(_rel, project_files()))
    network = CORE / "engine" / "network.py"
    assert any(m == "numpy" for _, m in imported_modules(network))
    assert _unit("core.engine.network") == "core.engine" and _unit("numpy") is None
    graph = core_unit_graph()
    assert {"core.engine", "core.data", "core.playground", "core.figures", "core.cli"} <= graph.keys()
    assert "core.engine" in graph["core.data"] or "core.engine" in graph["core.playground"]


# Each rule, run on a small made-up repository that breaks it, must fail and name the file.
BROKEN_TREES = {
    "streamlit in core": (
        test_core_never_imports_streamlit,
        {"core/logic.py": '"""Logic."""\n\n\ndef f():\n    import streamlit as st\n'},
        "core/logic.py:5 imports streamlit",
    ),
    "engine imports data": (
        test_engine_imports_only_stdlib_numpy_and_itself,
        {
            "core/engine/__init__.py": '"""Engine."""\n',
            "core/engine/net.py": '"""Net."""\nimport numpy\nfrom ..data import split\n',
            "core/data/__init__.py": '"""Data."""\n',
            "core/data/split.py": '"""Split."""\n',
        },
        "core/engine/net.py:3 imports core.data.split",
    ),
    "core imports a page": (
        test_core_never_imports_app_pages,
        {"core/x.py": '"""X."""\nfrom app_pages.home import title\n'},
        "core/x.py:2 imports app_pages.home",
    ),
    "cycle": (
        test_the_packages_of_core_import_each_other_without_a_cycle,
        {
            "core/data/__init__.py": '"""Data."""\nfrom . import split\nfrom ..figures import plot\n',
            "core/data/split.py": '"""Split."""\n',
            "core/figures/__init__.py": '"""Figures."""\n',
            "core/figures/plot.py": '"""Plot."""\nfrom core.data import split\n',
        },
        "core.data -> core.figures (core/data/__init__.py:3)\n"
        "  core.figures -> core.data (core/figures/plot.py:2)",
    ),
    "engine not at the bottom": (
        test_the_engine_is_at_the_bottom,
        {
            "core/engine/__init__.py": '"""Engine."""\nfrom core import lesson\n',
            "core/lesson.py": '"""Lesson."""\n',
        },
        "core.engine -> core.lesson (core/engine/__init__.py:2)",
    ),
    "private import": (
        test_no_module_imports_a_private_name_of_another_module,
        {"core/a.py": '"""A."""\nfrom core.b import _helper\n', "core/b.py": '"""B."""\n'},
        "core/a.py:2 imports _helper from core.b",
    ),
    "private attribute": (
        test_no_module_imports_a_private_name_of_another_module,
        {"app_pages/p.py": "from core import b\n\nb._helper()\n", "core/b.py": '"""B."""\n'},
        "app_pages/p.py:3 uses b._helper of core.b",
    ),
    "long file": (
        test_no_python_file_outside_tests_is_over_400_lines,
        {"benchmarks/big.py": "x = 1\n" * 401, "tests/long_test.py": "x = 1\n" * 900},
        "rule: no Python file outside tests/ over 400 lines\n  benchmarks/big.py has 401 lines",
    ),
    "no docstring": (
        test_every_core_module_has_a_docstring,
        {"core/nodoc.py": "# a comment is not a docstring\nx = 1\n"},
        "core/nodoc.py has no module docstring",
    ),
}


@pytest.mark.parametrize("case", list(BROKEN_TREES))
def test_each_rule_fails_on_a_tree_that_breaks_it(case, tmp_path, monkeypatch):
    rule, files, expected = BROKEN_TREES[case]
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    monkeypatch.setattr(sys.modules[__name__], "REPO_ROOT", tmp_path)
    with pytest.raises(AssertionError) as failure:
        rule()
    assert expected in str(failure.value)
    assert "tests/long_test.py" not in str(failure.value)
