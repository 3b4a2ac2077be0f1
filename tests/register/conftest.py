"""Fixtures for the register tests: a small made-up place, and a store on each database.

Every test that takes ``store`` runs on SQLite and, when TEST_DATABASE_URL is set, on PostgreSQL
in a schema of its own that is dropped afterwards.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from dashboard.register import Store
from tests.register.helpers import PLACE, POSTCODES, WARDS

PG_SKIP_REASON = (
    "PostgreSQL tests need TEST_DATABASE_URL; run "
    "`bash tests/with_postgres.sh .venv/bin/python -m pytest tests/register` as root to start a throwaway cluster"
)


@pytest.fixture(params=["sqlite", "postgresql"])
def new_database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator:
    """A function that makes an empty database of this test's kind and returns its URL
    (SQLite: a new file; PostgreSQL: a new schema, dropped after the test)."""
    if request.param == "sqlite":
        yield lambda: f"sqlite:///{tmp_path / f'register_{uuid.uuid4().hex[:8]}.sqlite'}"
        return
    base = os.environ.get("TEST_DATABASE_URL")
    if not base:
        pytest.skip(PG_SKIP_REASON)
    admin = sa.create_engine(base)
    schemas: list[str] = []

    def _new() -> str:
        schema = f"register_test_{uuid.uuid4().hex[:12]}"
        with admin.begin() as conn:
            conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
        schemas.append(schema)
        url = sa.make_url(base).update_query_dict({"options": f"-csearch_path={schema}"})
        return url.render_as_string(hide_password=False)

    try:
        yield _new
    finally:
        with admin.begin() as conn:
            for schema in schemas:
                conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture
def database_url(new_database_url) -> str:  # noqa: ANN001
    return new_database_url()


@pytest.fixture
def make_store(database_url: str) -> Iterator:
    """Open stores on the test's database (a second user), or on another URL."""
    opened: list[Store] = []

    def _open(url: str | None = None) -> Store:
        s = Store(url or database_url, wards=WARDS, postcodes=POSTCODES, place_name=PLACE)
        opened.append(s)
        return s

    yield _open
    for s in opened:
        s.close()


@pytest.fixture
def store(make_store) -> Store:  # noqa: ANN001
    return make_store()


@pytest.fixture
def fresh_store(make_store, new_database_url) -> Store:  # noqa: ANN001
    """A second, empty register on the same kind of database."""
    return make_store(new_database_url())
