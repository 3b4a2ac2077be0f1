"""Shared fixtures: a made-up place ("Testborough") and a context whose geography is built from it."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipelines.context import BuildContext, Geography
from pipelines.registry import load_sources
from pipelines.settings import load_place
from pipelines.sources import geography
from pipelines.tidy import Parts
from tests.fixtures import fake_place as fp
from tests.fixtures.mirror_geography import write_geography

REPO = Path(__file__).resolve().parent.parent
SHARED_RAW = REPO.parent / "shared" / "data" / "raw"


@pytest.fixture
def fake_place(tmp_path: Path):
    path = tmp_path / "place.toml"
    path.write_text(fp.PLACE.toml(), encoding="utf-8")
    return load_place(path)


@pytest.fixture
def geo_raw(tmp_path: Path) -> Path:
    """A raw folder holding only the fake place's geography files."""
    raw = tmp_path / "raw"
    write_geography(raw)
    return raw


@pytest.fixture
def geo_ctx(geo_raw: Path, fake_place) -> BuildContext:
    """A BuildContext for the fake place (its raw folder holds the geography files)."""
    return BuildContext(raw=geo_raw, place=fake_place, sources=load_sources(fake_place, with_checksums=False))


@pytest.fixture
def geo_build(geo_ctx: BuildContext) -> tuple[Geography, Parts]:
    """The fake place's geography step, run: its Geography and the Parts it contributes."""
    return geography.build_geography(geo_ctx)


@pytest.fixture
def geo(geo_build) -> Geography:
    return geo_build[0]


@pytest.fixture
def geo_parts(geo_build) -> Parts:
    return geo_build[1]
