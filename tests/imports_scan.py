"""What a module imports and calls by name, from its source (for the tests that police imports)."""

from __future__ import annotations

import ast
from pathlib import Path


def imports_and_calls(path: Path) -> tuple[set[str], set[str]]:
    """The top-level package names ``path`` imports, and the names it calls directly."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = {
        alias.name.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names
    }
    names |= {(node.module or "").split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    calls = {node.func.id for node in ast.walk(tree) if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)}
    return names, calls
