"""The interfaces sources code against: a frozen BuildContext and Geography, and an explicit build order."""

from __future__ import annotations

import ast
import dataclasses
from pathlib import Path

import pytest

import pipelines.build as build_module


def test_geography_is_frozen(geo):
    with pytest.raises(dataclasses.FrozenInstanceError):
        geo.region_code = "E12999999"


def test_build_context_is_frozen(geo_ctx, tmp_path):
    with pytest.raises(dataclasses.FrozenInstanceError):
        geo_ctx.raw = tmp_path


def test_build_calls_its_sources_with_plain_imports():
    tree = ast.parse(Path(build_module.__file__).read_text(encoding="utf-8"))
    imported = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    imported |= {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    assert "importlib" not in imported
    names = {node.id for node in ast.walk(tree) if isinstance(node, ast.Name)}
    assert "import_module" not in names and "__import__" not in names


def test_every_source_has_build_taking_context_and_geography():
    for source in build_module.SOURCES:
        assert list(source.build.__code__.co_varnames[:2]) == ["ctx", "geo"], source.__name__
