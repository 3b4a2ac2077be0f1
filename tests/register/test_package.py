"""The register's shape: no Streamlit, migrations that match the models, documented columns."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

import dashboard.register
from dashboard.register import TEMPLATE_COLUMNS, THEMES, Store
from dashboard.register.models import metadata
from pipelines.settings import REPO_DIR, template_path
from tests.imports_scan import imports_and_calls
from tests.register.helpers import valid_activity

PACKAGE_DIR = Path(dashboard.register.__file__).resolve().parent

NOTES = REPO_DIR / "data" / "templates" / "partner_activity_template_notes.md"


@pytest.mark.parametrize("path", sorted(PACKAGE_DIR.rglob("*.py")), ids=lambda p: str(p.relative_to(PACKAGE_DIR)))
def test_the_register_never_imports_streamlit_or_prints(path: Path) -> None:
    imported, calls = imports_and_calls(path)
    assert "streamlit" not in imported
    assert "print" not in calls


def test_the_migrations_build_exactly_the_models_tables(store: Store) -> None:
    with store.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), metadata)
    assert diff == []


def test_every_template_column_is_documented() -> None:
    notes = NOTES.read_text(encoding="utf-8")
    assert [c for c in TEMPLATE_COLUMNS if f"`{c}`" not in notes] == []


def test_every_theme_is_documented() -> None:
    notes = NOTES.read_text(encoding="utf-8")
    assert [t for t in THEMES if f"`{t}`" not in notes] == []


def test_the_template_header_is_the_template_columns() -> None:
    header = template_path().read_text(encoding="utf-8").splitlines()[0].split(",")
    assert header == list(TEMPLATE_COLUMNS)


def test_an_empty_register_gives_an_empty_frame_with_its_columns(store: Store) -> None:
    frame = store.frame()
    assert frame.empty and {"record_id", "wards", "ward_names", "themes"} <= set(frame.columns)


def test_opening_twice_runs_the_migrations_once(store: Store, make_store) -> None:  # noqa: ANN001
    store.create(valid_activity(), editor="ana")
    assert make_store().count() == 1


def test_database_url_prefers_a_path_then_database_url_then_the_embedded_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pipelines.settings import database_url

    monkeypatch.setenv("DATABASE_URL", "postgresql+psycopg://u@h/db")
    monkeypatch.setenv("PLACE_INSIGHT_REGISTER_DB", str(tmp_path / "embedded.sqlite"))
    assert database_url(path=tmp_path / "x.sqlite") == f"sqlite:///{tmp_path / 'x.sqlite'}"
    assert database_url() == "postgresql+psycopg://u@h/db"
    monkeypatch.delenv("DATABASE_URL")
    assert database_url() == f"sqlite:///{tmp_path / 'embedded.sqlite'}"


@pytest.mark.parametrize("url", ["postgres://u@h/db", "postgresql://u@h/db", "postgresql+psycopg://u@h/db"])
def test_postgres_urls_use_psycopg_3(url: str) -> None:
    from dashboard.register.store import normalise_url

    assert normalise_url(url) == "postgresql+psycopg://u@h/db"
