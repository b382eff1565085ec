"""No module of ``firecrawl_feedback`` imports one that imports it back, even for typing.

Imports are read with ``ast`` wherever they are written: at the top, inside
functions (lazy loads) and under ``if TYPE_CHECKING:``.
"""

from __future__ import annotations

import ast
from collections.abc import Mapping
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2] / "wrapper"

#: Edges left out of the check, each with the reason it is still there.

Graph = Mapping[str, set[str]]


def package_modules(root: Path, package: str) -> dict[str, tuple[Path, bool]]:
    """Dotted name -> (file, is a package) for every module under ``root/package``."""
    modules = {}
    for path in sorted((root / package).rglob("*.py")):
        parts = list(path.relative_to(root).with_suffix("").parts)
        is_package = parts[-1] == "__init__"
        if is_package:
            parts.pop()
        modules[".".join(parts)] = (path, is_package)
    return modules


def import_graph(root: Path, package: str) -> dict[str, set[str]]:
    """Each module of ``package`` -> the modules of ``package`` it imports."""
    modules = package_modules(root, package)
    graph = {}
    for name, (path, is_package) in modules.items():
        here = name if is_package else name.rpartition(".")[0]
        targets: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                targets.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    parent = here.rsplit(".", node.level - 1)[0] if node.level > 1 else here
                    base = f"{parent}.{base}" if base else parent
                for alias in node.names:
                    # `from pkg import name`: a submodule when one has that name.
                    submodule = f"{base}.{alias.name}"
                    targets.add(submodule if submodule in modules else base)
        graph[name] = {target for target in targets if target in modules and target != name}
    return graph


def find_cycle(graph: Graph) -> list[str] | None:
    """One import cycle as a path that starts and ends with the same module, or None."""
    done: set[str] = set()
    path: list[str] = []

    def visit(module: str) -> list[str] | None:
        if module in path:
            return [*path[path.index(module) :], module]
        if module in done:
            return None
        path.append(module)
        for target in sorted(graph[module]):
            if cycle := visit(target):
                return cycle
        path.pop()
        done.add(module)
        return None

    for module in sorted(graph):
        if cycle := visit(module):
            return cycle
    return None


def test_the_package_has_no_import_cycle() -> None:
    """The client, the CLI and the reference server import each other in one direction."""
    graph = import_graph(ROOT, "firecrawl_feedback")
    assert "firecrawl_feedback.testing._fake" in graph  # the reading found the modules
    assert find_cycle(graph) is None


def test_the_ways_in_do_not_import_the_fake() -> None:
    """The transport and the server know the fake through a Protocol, not its module."""
    graph = import_graph(ROOT, "firecrawl_feedback")
    fake = "firecrawl_feedback.testing._fake"
    assert {"firecrawl_feedback.testing._transport", "firecrawl_feedback.testing._server"} <= (
        graph[fake]
    )
    for way_in in ("_transport", "_server"):
        assert fake not in graph[f"firecrawl_feedback.testing.{way_in}"]


def test_a_cycle_through_typing_or_a_function_is_found(tmp_path: Path) -> None:
    """Negative control: imports under TYPE_CHECKING and inside functions count."""
    package = tmp_path / "pkg"
    (package / "sub").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "sub" / "__init__.py").write_text("from . import b\n")
    (package / "a.py").write_text("def f():\n    from .sub import b\n")
    (package / "sub" / "b.py").write_text(
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from ..a import f\n"
    )
    graph = import_graph(tmp_path, "pkg")
    assert graph["pkg.a"] == {"pkg.sub.b"}
    assert graph["pkg.sub"] == {"pkg.sub.b"}
    assert find_cycle(graph) == ["pkg.a", "pkg.sub.b", "pkg.a"]
    (package / "sub" / "b.py").write_text("import pkg.sub\n")
    assert find_cycle(import_graph(tmp_path, "pkg")) == ["pkg.sub.b", "pkg.sub", "pkg.sub.b"]


def test_the_sender_is_a_layer_above_the_clients() -> None:
    """``_sender/`` imports the client core; only the package's re-export imports it back."""
    graph = import_graph(ROOT, "firecrawl_feedback")
    package = "firecrawl_feedback._sender"
    inside = {module for module in graph if module == package or module.startswith(f"{package}.")}
    assert f"{package}._engine" in inside  # the reading found the subpackage
    importers = {module for module, targets in graph.items() if targets & inside} - inside
    assert importers == {"firecrawl_feedback"}  # its lazy, typing-only re-export
    below = set().union(*(graph[module] for module in inside)) - inside
    assert "firecrawl_feedback._client" in below
    above = ("firecrawl_feedback._cli", "firecrawl_feedback.testing")
    assert not {m for m in below if m in above or m.startswith(tuple(f"{a}." for a in above))}
