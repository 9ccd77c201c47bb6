#!/usr/bin/env python3
"""Print the import cycles among a package's modules, and the imports that close them.

    python3 .ci/import_cycles.py [PACKAGE_DIR]      (default: emulator)

Every `import` and `from ... import` counts, at module level or inside a function (an import
moved into a function to dodge a cycle still ties the two modules together); imports under
`if TYPE_CHECKING:` do not. A package's `__init__.py` counts as the package itself. Exit status
0 when there is no cycle, 1 otherwise; the last line is the figure.
"""
from __future__ import annotations

import ast
import sys
from pathlib import Path


def module_name(root: Path, path: Path) -> str:
    parts = list(path.relative_to(root.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def type_checking_nodes(tree: ast.AST) -> set[int]:
    skip: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If):
            test = node.test
            name = test.id if isinstance(test, ast.Name) else getattr(test, "attr", None)
            if name == "TYPE_CHECKING":
                for sub in node.body:
                    for inner in ast.walk(sub):
                        skip.add(id(inner))
    return skip


def imports_of(root: Path, path: Path, modules: set[str]) -> dict[str, int]:
    name = module_name(root, path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    skip = type_checking_nodes(tree)
    found: dict[str, int] = {}

    def add(target: str, line: int) -> None:
        while target and target not in modules:
            target = target.rpartition(".")[0]
        if target and target != name:
            found.setdefault(target, line)

    for node in ast.walk(tree):
        if id(node) in skip:
            continue
        if isinstance(node, ast.Import):
            for alias in node.names:
                add(alias.name, node.lineno)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)] if node.level > 1 else base
                prefix = ".".join(base)
                target = f"{prefix}.{node.module}" if node.module else prefix
            else:
                target = node.module or ""
            for alias in node.names:  # `from . import x` may name a submodule
                full = f"{target}.{alias.name}"
                add(full if full in modules else target, node.lineno)
    return found


def cycles(graph: dict[str, dict[str, int]]) -> list[list[str]]:
    """Tarjan's strongly connected components with more than one module."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    out: list[list[str]] = []
    counter = [0]

    def visit(v: str) -> None:
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in graph.get(v, {}):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    sys.setrecursionlimit(10000)
    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


def main() -> int:
    root = Path(sys.argv[1] if len(sys.argv) > 1 else "emulator").resolve()
    files = sorted(p for p in root.rglob("*.py"))
    modules = {module_name(root, p) for p in files}
    graph = {module_name(root, p): imports_of(root, p, modules) for p in files}
    found = cycles(graph)
    for i, comp in enumerate(found, 1):
        members = set(comp)
        print(f"cycle {i}: {len(comp)} modules")
        for m in comp:
            for target, line in sorted(graph[m].items()):
                if target in members:
                    print(f"  {m} -> {target}  (line {line})")
    tied = sum(len(c) for c in found)
    print(f"import cycles: {len(found)}, modules tied in them: {tied} of {len(modules)}")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
