"""The trust tests reuse the register's fixtures (a store on SQLite and, when TEST_DATABASE_URL
is set, on PostgreSQL)."""

from tests.register.conftest import database_url, fresh_store, make_store, new_database_url, store  # noqa: F401
