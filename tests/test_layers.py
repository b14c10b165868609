"""The package's layers: no import circles, and each layer imports only the layers below it.

ARCHITECTURE.md's stage table is the source of the order. Imports inside
functions count as much as those at the top; only ``if TYPE_CHECKING:`` blocks
are left out (they never run).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "segdsl"

#: each layer may import itself and the layers before it; "app" is every other module or
#: sub-package of segdsl/ (tools built on the API and the store: highlight, plan, explain, why, check)
LAYERS = ["lang", "families", "sql", "inproc", "data", "api", "store", "app", "cli"]
#: layers that sit beside each other, not above (neither imports the other)
SIBLINGS = {frozenset({"sql", "inproc"})}


def _module_name(path: Path) -> str:
    rel = path.relative_to(PACKAGE.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    name = _module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and _is_type_checking(node):
            for child in node.orelse:
                visit(child)
            return
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("segdsl"))
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                module = ".".join([*base, node.module] if node.module else base)
            else:
                module = node.module or ""
            if module.startswith("segdsl"):
                found.add(module)
                found.update(f"{module}.{a.name}" for a in node.names)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(tree)
    return found


def _graph() -> dict[str, set[str]]:
    modules = {_module_name(p): p for p in PACKAGE.rglob("*.py")}
    graph = {}
    for name, path in modules.items():
        graph[name] = {m for m in _imports(path) if m in modules and m != name}
    return graph


def _layer(module: str) -> str:
    parts = module.split(".")
    if len(parts) == 1:
        return "store"  # segdsl/__init__ re-exports the API and (lazily) segdsl.Store
    if parts[1].startswith("cli"):
        return "cli"  # cli, cli_common, cli_store
    return parts[1] if parts[1] in LAYERS else "app"


def test_no_import_cycles():
    graph = _graph()
    seen: dict[str, int] = {}
    stack: list[str] = []

    def walk(node: str) -> None:
        seen[node] = 1
        stack.append(node)
        for nxt in sorted(graph[node]):
            if seen.get(nxt) == 1:
                cycle = stack[stack.index(nxt):] + [nxt]
                pytest.fail("import cycle: " + " -> ".join(cycle))
            if nxt not in seen:
                walk(nxt)
        stack.pop()
        seen[node] = 2

    for node in sorted(graph):
        if node not in seen:
            walk(node)


def test_layers_import_only_downwards():
    bad = []
    for module, targets in _graph().items():
        here = _layer(module)
        for target in targets:
            there = _layer(target)
            if there == here:
                continue
            if frozenset({here, there}) in SIBLINGS or LAYERS.index(there) > LAYERS.index(here):
                bad.append(f"{module} ({here}) imports {target} ({there})")
    assert not bad, "\n".join(sorted(bad))
