"""The layers, enforced: the import-linter contracts in pyproject.toml hold, and they catch a
broken one (shown on a copy of the packages with one upward import added)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.imports_scan import imports_and_calls

REPO = Path(__file__).resolve().parents[1]
LINT = "import sys; from importlinter.cli import lint_imports_command; sys.exit(lint_imports_command())"
# Production code that must not hide an import from the contracts (pipelines/ joins after its rewrite).
NO_IMPORTLIB = ("dashboard", "bench", "pipelines")


def lint_imports(root: Path) -> subprocess.CompletedProcess[str]:
    """Run the contracts of ``root``/pyproject.toml on the packages in ``root`` (no cache)."""
    return subprocess.run(
        [sys.executable, "-c", LINT, "--config", str(root / "pyproject.toml"), "--no-cache"],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=300,
    )


def copy_of_the_packages(tmp_path: Path) -> Path:
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for package in ("dashboard", "pipelines"):
        shutil.copytree(REPO / package, tmp_path / package, ignore=ignore)
    shutil.copy(REPO / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def test_the_import_contracts_are_kept():
    result = lint_imports(REPO)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


@pytest.mark.parametrize(
    ("added", "reported"),
    [
        ("import dashboard.register", "dashboard.core is not allowed to import dashboard.register"),
        ("import streamlit", "dashboard.core is not allowed to import streamlit"),
    ],
    ids=["upward-import", "streamlit-in-core"],
)
def test_an_import_against_the_contracts_is_reported(tmp_path, added, reported):
    root = copy_of_the_packages(tmp_path)
    module = root / "dashboard" / "core" / "cells.py"
    module.write_text(module.read_text(encoding="utf-8") + f"\n{added}\n", encoding="utf-8")
    result = lint_imports(root)
    assert result.returncode != 0
    assert reported in result.stdout
    assert "dashboard.core.cells ->" in result.stdout


@pytest.mark.parametrize(
    "path",
    sorted(p for folder in NO_IMPORTLIB for p in (REPO / folder).rglob("*.py")),
    ids=lambda p: str(p.relative_to(REPO)),
)
def test_no_module_is_loaded_by_name(path):
    """``importlib``/``__import__`` hide an edge from the contracts: every import is a plain one."""
    names, calls = imports_and_calls(path)
    assert "importlib" not in names
    assert "__import__" not in calls
