"""One error boundary: under each fault every page shows a plain message naming what is wrong and
what to do, never a traceback or the database's host, SQL or server paths (issue 13, item 6)."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard import auth
from dashboard.app_pages import _boundary
from dashboard.devserver import free_port
from dashboard.register import Store
from tests.dashboard.conftest import WARDS, fixture_data_dir, fixture_env  # noqa: F401
from tests.dashboard.test_register_pages import APP, EDITOR, register_env  # noqa: F401
from tests.trust.test_small_number_paths import fill_add_form

LEAKS = ("Traceback", 'File "/', "127.0.0.1", "sqlalchemy", "psycopg", "INSERT INTO", "site-packages", "Error:")


def run_page(page: str, *, user: auth.User | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    if user is not None:
        at.session_state[auth.SESSION_KEY] = user
    at.run()
    if not at.exception and page:
        at.switch_page(page).run()
    return at


def page_text(at: AppTest) -> str:
    kinds = (
        "error",
        "warning",
        "info",
        "success",
        "markdown",
        "caption",
        "text",
        "code",
        "title",
        "header",
        "subheader",
    )
    return "\n".join(str(e.value) for kind in kinds for e in getattr(at, kind))


def assert_plain(at: AppTest, message: str) -> None:
    assert not at.exception, [e.value for e in at.exception]
    text = page_text(at)
    assert any(message in str(e.value) for e in at.error), text
    leaked = [word for word in LEAKS if word in text]
    assert not leaked, (leaked, text)


@pytest.mark.parametrize("page", ["app_pages/map.py", "app_pages/register.py", "app_pages/need.py"])
def test_the_register_database_down(register_env, monkeypatch: pytest.MonkeyPatch, page: str) -> None:  # noqa: F811
    monkeypatch.setenv("DATABASE_URL", f"postgresql+psycopg://nobody@127.0.0.1:{free_port()}/register")

    at = run_page(page, user=EDITOR)

    assert not at.exception
    leaked = [word for word in LEAKS if word in page_text(at)]
    assert not leaked, page_text(at)
    if page != "app_pages/map.py":  # the map draws without the register and says so its own way
        assert_plain(at, _boundary.MSG_DB_DOWN)


def test_a_read_only_register_file_on_save(register_env, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: F811
    Store(path=register_env, wards=WARDS, postcodes=False).close()  # migrated, then opened read-only
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///file:{register_env}?mode=ro&uri=true")
    at = run_page("app_pages/register.py", user=EDITOR)
    assert not at.exception

    fill_add_form(at)
    next(b for b in at.button if b.label == "Add the activity").click().run()

    assert_plain(at, _boundary.MSG_DB_READONLY)
    assert sqlite3.connect(register_env).execute("select count(*) from activity").fetchone() == (0,)


def test_damaged_data_tables_with_a_new_build_stamp(fixture_data_dir: Path, tmp_path: Path, monkeypatch) -> None:  # noqa: F811, ANN001
    data = tmp_path / "data"
    shutil.copytree(fixture_data_dir, data)
    parquet = data / "tidy" / "indicators.parquet"
    parquet.write_bytes(parquet.read_bytes()[: parquet.stat().st_size // 2])  # truncated mid-write
    stamp = data / "tidy" / "_build.json"
    stamp.write_text(json.dumps(json.loads(stamp.read_text()) | {"fingerprint": "new-build"}), encoding="utf-8")
    monkeypatch.setenv("PLACE_INSIGHT_DATA", str(data))
    monkeypatch.setenv("PLACE_INSIGHT_REGISTER_DB", str(tmp_path / "register.sqlite"))

    at = run_page("")

    assert_plain(at, _boundary.MSG_DATA)
    assert str(tmp_path) not in page_text(at)


def test_a_broken_users_file(register_env, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: F811
    users = tmp_path / "users.toml"
    users.write_text('[users.sam\nrole = "editor"\n', encoding="utf-8")
    monkeypatch.setenv("PLACE_INSIGHT_USERS_FILE", str(users))

    at = run_page("app_pages/register.py")
    assert not at.exception  # viewing needs no users file
    next(w for w in at.text_input if w.label == "User name").input("sam")
    next(w for w in at.text_input if w.label == "Password").input("a password")
    next(b for b in at.button if b.label == "Sign in").click().run()

    assert_plain(at, _boundary.MSG_USERS)
    assert str(tmp_path) not in page_text(at)


def test_the_page_recovers_without_a_restart_once_the_fault_is_fixed(register_env, monkeypatch) -> None:  # noqa: F811, ANN001
    monkeypatch.setenv("DATABASE_URL", f"postgresql+psycopg://nobody@127.0.0.1:{free_port()}/register")
    at = run_page("app_pages/register.py", user=EDITOR)
    assert any(_boundary.MSG_DB_DOWN in str(e.value) for e in at.error)

    monkeypatch.delenv("DATABASE_URL")
    at.run()

    assert not at.exception and not any(_boundary.MSG_DB_DOWN in str(e.value) for e in at.error)
    assert any("Partner activity register" in t.value for t in at.title)
