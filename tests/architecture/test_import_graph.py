"""The modules of determinations/ and ingest/ import each other without a cycle.

Every import counts, wherever it is written (module level, inside a function, under
``if TYPE_CHECKING``): an import moved into a function still makes a cycle, it only hides
it. Read from the source with ``ast``, so nothing is imported to check.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("determinations", "ingest")


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def project_modules() -> dict[str, Path]:
    return {
        module_name(path): path
        for package in PACKAGES
        for path in sorted((ROOT / package).rglob("*.py"))
        if "migrations" not in path.parts
    }


def imports_of(path: Path, modules: dict[str, Path]) -> set[str]:
    """The project modules ``path`` imports ("from a.b import c" is a.b.c if that is a
    module, else a.b)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names if alias.name in modules)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:
                child = f"{node.module}.{alias.name}"
                if child in modules:
                    found.add(child)
                elif node.module in modules:
                    found.add(node.module)
    found.discard(module_name(path))
    return found


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle of ``graph`` as [a, b, ..., a], or None."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for target in sorted(graph.get(node, ())):
            if state.get(target) == 1:
                return [*path[path.index(target) :], target]
            if target not in state and (cycle := visit(target)):
                return cycle
        path.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (cycle := visit(node)):
            return cycle
    return None


def test_it_finds_no_import_cycle_in_determinations_and_ingest():
    modules = project_modules()
    graph = {name: imports_of(path, modules) for name, path in modules.items()}
    assert len(graph) > 40  # both packages were read
    assert find_cycle(graph) is None, " -> ".join(find_cycle(graph) or [])


def test_it_would_report_a_cycle_hidden_in_a_function():
    # The checker itself: a function-level import closing a loop is a cycle.
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert find_cycle(graph) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None


def test_it_reads_imports_written_inside_functions(tmp_path, monkeypatch):
    source = tmp_path / "determinations" / "x.py"
    source.parent.mkdir()
    source.write_text("def f():\n    from determinations import y\n    import determinations.z\n")
    monkeypatch.setattr(__import__(__name__, fromlist=["ROOT"]), "ROOT", tmp_path)
    modules = {"determinations.x": source, "determinations.y": source, "determinations.z": source}
    assert imports_of(source, modules) == {"determinations.y", "determinations.z"}
