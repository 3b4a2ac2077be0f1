"""Every setting is documented and read in one place: the README's Settings table lists exactly
``pipelines.settings.ENVIRONMENT``, and no other module reads the project's variables."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from pipelines import settings

REPO = Path(__file__).resolve().parents[1]
README = REPO / "README.md"
HEADING = "## Settings (environment variables)"
PROJECT_NAME = re.compile(r"\b(PLACE_INSIGHT_[A-Z_]+|DATABASE_URL|PLACE_CONFIG)\b")
CODE_FOLDERS = ("dashboard", "bench", "pipelines", "tests")
# Code that must ask pipelines/settings.py (pipelines/ joins once its own rewrite is merged).
SETTINGS_USERS = ("dashboard", "bench", "pipelines")


def readme_table() -> dict[str, str]:
    text = README.read_text(encoding="utf-8")
    assert HEADING in text, f"README.md has no {HEADING!r} section"
    section = text.split(HEADING, 1)[1].split("\n## ", 1)[0]
    rows = re.findall(r"^\| `([A-Z_]+)` \| (.+) \|$", section, flags=re.MULTILINE)
    return dict(rows)


def python_files(*folders: str) -> list[Path]:
    return sorted(p for folder in folders for p in (REPO / folder).rglob("*.py"))


def test_every_setting_has_a_row_in_the_readme_table():
    table = readme_table()
    assert sorted(table) == sorted(settings.ENVIRONMENT)
    assert all(meaning.strip() for meaning in table.values())


def test_every_project_variable_the_readme_mentions_is_a_setting():
    mentioned = set(PROJECT_NAME.findall(README.read_text(encoding="utf-8")))
    assert mentioned - set(settings.ENVIRONMENT) == set()


@pytest.mark.parametrize("path", python_files(*CODE_FOLDERS), ids=lambda p: str(p.relative_to(REPO)))
def test_every_project_variable_the_code_mentions_is_a_setting(path):
    mentioned = set(PROJECT_NAME.findall(path.read_text(encoding="utf-8")))
    assert mentioned - set(settings.ENVIRONMENT) == set()


def environment_reads(tree: ast.AST) -> list[str]:
    """The keys read with ``os.environ.get(k)``, ``os.environ[k]`` or ``os.getenv(k)``, as source text."""

    def is_environ(node: ast.AST) -> bool:
        return isinstance(node, ast.Attribute) and node.attr == "environ"

    keys = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.args:
            if (node.func.attr == "get" and is_environ(node.func.value)) or node.func.attr == "getenv":
                keys.append(ast.unparse(node.args[0]))
        elif isinstance(node, ast.Subscript) and isinstance(node.ctx, ast.Load) and is_environ(node.value):
            keys.append(ast.unparse(node.slice))
    return keys


@pytest.mark.parametrize("path", python_files(*SETTINGS_USERS), ids=lambda p: str(p.relative_to(REPO)))
def test_only_the_settings_module_reads_the_project_variables(path):
    reads = environment_reads(ast.parse(path.read_text(encoding="utf-8")))
    project = [k for k in reads if PROJECT_NAME.search(k) or k.endswith("_ENV") or "settings." in k]
    assert project == [], f"{path.name} reads {project}: ask pipelines.settings instead"


def test_the_scan_sees_a_read():
    tree = ast.parse('import os\nos.environ.get("PLACE_INSIGHT_DATA")\nos.environ[settings.RUN_LOG_ENV]\n')
    assert environment_reads(tree) == ["'PLACE_INSIGHT_DATA'", "settings.RUN_LOG_ENV"]
