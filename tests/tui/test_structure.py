"""The app's code keeps its shape: no import cycle, no worker that can end the app.

A small AST walk over `reader/tui/` (every import, those inside functions too)
finds cycles between the app's modules; screens and widgets never import the
App class; every worker goes through `reader_work` or says `exit_on_error=False`.
"""

from __future__ import annotations

import ast
from pathlib import Path

import reader.tui

TUI = Path(reader.tui.__file__).parent


def _module_name(path: Path) -> str:
    parts = path.relative_to(TUI.parent.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path, known: set[str]) -> set[str]:
    """The reader.tui modules `path` imports, anywhere in the file."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            names = [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
        found |= {name for name in names if name in known}
    return found


def import_graph() -> dict[str, set[str]]:
    files = {_module_name(path): path for path in TUI.rglob("*.py")}
    known = set(files)
    return {name: _imports(path, known) - {name} for name, path in files.items()}


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle, as the list of modules round it, or None."""
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for target in sorted(graph.get(node, ())):
            if state.get(target) == 1:
                return [*stack[stack.index(target) :], target]
            if target not in state and (cycle := visit(target)):
                return cycle
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (cycle := visit(node)):
            return cycle
    return None


def test_the_app_package_has_no_import_cycle() -> None:
    graph = import_graph()
    assert "reader.tui.screens.main" in graph and graph["reader.tui.app"]
    assert find_cycle(graph) is None, find_cycle(graph)


def test_the_cycle_finder_finds_a_cycle() -> None:
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]


def test_screens_widgets_palette_and_help_do_not_import_the_app() -> None:
    graph = import_graph()
    for name, targets in graph.items():
        if name not in ("reader.tui.app", "reader.tui.launch"):
            assert "reader.tui.app" not in targets, name
    for name in ("reader.tui.commands", "reader.tui.keys", "reader.tui.screens.help"):
        assert not any(t.startswith("reader.tui.screens.") for t in graph[name] - {name}), name


def _unsafe_workers(source: str) -> list[int]:
    """Lines of `@work(...)` / `run_worker(...)` calls that could end the app."""
    lines = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        if name not in ("work", "run_worker"):
            continue
        safe = any(
            kw.arg == "exit_on_error"
            and isinstance(kw.value, ast.Constant)
            and kw.value.value is False
            for kw in node.keywords
        )
        if not safe:
            lines.append(node.lineno)
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            for decorator in node.decorator_list:
                if isinstance(decorator, ast.Name) and decorator.id == "work":
                    lines.append(decorator.lineno)
    return lines


def test_every_worker_reports_its_errors_instead_of_ending_the_app() -> None:
    assert _unsafe_workers("@work(group='x')\nasync def f(self): ...\n") == [1]
    assert _unsafe_workers("self.run_worker(job(), exit_on_error=False)\n") == []
    for path in TUI.rglob("*.py"):
        assert _unsafe_workers(path.read_text(encoding="utf-8")) == [], path
