"""Access: roles and permissions, password hashing, the users file and its command line."""

from __future__ import annotations

import io
import os
import stat
import sys
from pathlib import Path

import pytest

from dashboard import auth
from dashboard.auth import ANONYMOUS, PermissionDenied, User, require

VIEWER = User("vi", "viewer", source="local")
EDITOR = User("ed", "editor", source="local")
ADMIN = User("ad", "admin", email="ad@example.org", source="oidc")

ALLOWED = {
    "anonymous": {"view"},
    "viewer": {"view"},
    "editor": {"view", "add", "edit", "import"},
    "admin": {"view", "add", "edit", "import", "delete", "restore"},
}


@pytest.mark.parametrize("user", [ANONYMOUS, VIEWER, EDITOR, ADMIN], ids=lambda u: u.role or "anonymous")
@pytest.mark.parametrize("action", auth.ACTIONS)
def test_each_role_allowed_and_refused(user: User, action: str) -> None:
    if action in ALLOWED[user.role or "anonymous"]:
        require(user, action)
    else:
        with pytest.raises(PermissionDenied) as err:
            require(user, action)
        assert action in str(err.value) and "ask the register's admin" in str(err.value)


def test_unknown_action_is_a_programming_error() -> None:
    with pytest.raises(ValueError):
        require(ADMIN, "drop tables")


def test_password_hash_is_salted_and_verifies() -> None:
    first, second = auth.hash_password("correct horse battery"), auth.hash_password("correct horse battery")
    assert first != second and first.startswith("scrypt$")
    assert "correct horse" not in first
    assert auth.verify_password("correct horse battery", first)
    assert not auth.verify_password("correct horse batterY", first)
    assert not auth.verify_password("", first)
    assert not auth.verify_password("anything", "not-a-hash")
    assert not auth.verify_password("anything", None)


def test_users_file_round_trip(tmp_path: Path, monkeypatch) -> None:
    path = tmp_path / "conf" / "users.toml"
    monkeypatch.setenv(auth.USERS_FILE_ENV, str(path))
    auth.add_user("sam", "editor", "a long password 1")
    auth.add_user("ali.admin", "admin", "another long one")
    auth.set_oidc_role("Sam@Example.NHS.uk", "admin")
    users = auth.load_users()
    assert {n: e["role"] for n, e in users.users.items()} == {"sam": "editor", "ali.admin": "admin"}
    assert users.roles == {"sam@example.nhs.uk": "admin"}
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert auth.authenticate("sam", "a long password 1") == User("sam", "editor", source="local")
    assert auth.authenticate("sam", "wrong password!!") is None
    assert auth.authenticate("nobody", "a long password 1") is None
    # saving again keeps everything
    auth.save_users(users)
    assert auth.load_users() == users


def test_bad_users_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "users.toml"
    with pytest.raises(auth.AuthError, match="at least"):
        auth.add_user("sam", "editor", "short", path)
    with pytest.raises(auth.AuthError, match="unknown role"):
        auth.add_user("sam", "owner", "a long password 1", path)
    with pytest.raises(auth.AuthError):
        auth.add_user("sam smith", "editor", "a long password 1", path)
    path.write_text('[users.x]\nrole = "god"\npassword_hash = "x"\n', encoding="utf-8")
    with pytest.raises(auth.AuthError, match="unknown role"):
        auth.load_users(path)


def test_missing_users_file_means_nobody_signs_in(tmp_path: Path) -> None:
    assert auth.authenticate("sam", "whatever12345", path=tmp_path / "none.toml") is None


def test_oidc_user_gets_role_from_the_roles_table() -> None:
    users = auth.UsersFile(roles={"ed@example.org": "editor"})
    assert auth.user_from_oidc({"is_logged_in": True, "email": "Ed@Example.org", "name": "Ed"}, users) == User(
        "Ed", "editor", email="ed@example.org", source="oidc"
    )
    other = auth.user_from_oidc({"is_logged_in": True, "email": "x@example.org"}, users)
    assert (other.role, other.signed_in) == ("viewer", True)
    assert auth.user_from_oidc({"is_logged_in": False}, users) is ANONYMOUS
    assert (
        auth.user_from_oidc({"is_logged_in": True, "email": "ed@example.org", "email_verified": False}, users)
        is ANONYMOUS
    )


def test_cli_add_user_reads_the_password_from_stdin(tmp_path: Path, monkeypatch, capsys) -> None:
    path = tmp_path / "users.toml"
    monkeypatch.setattr(sys, "stdin", io.StringIO("a long password 1\n"))
    assert auth.main(["--file", str(path), "add-user", "sam", "--role", "admin", "--password-stdin"]) == 0
    assert auth.authenticate("sam", "a long password 1", path=path).role == "admin"
    monkeypatch.setattr(sys, "stdin", io.StringIO("short\n"))
    assert auth.main(["--file", str(path), "add-user", "bo", "--password-stdin"]) == 2
    assert "at least" in capsys.readouterr().err
    assert auth.main(["--file", str(path), "list"]) == 0
    out = capsys.readouterr().out
    assert "sam  admin" in out and "scrypt" not in out


def test_cli_prompts_with_getpass(tmp_path: Path, monkeypatch) -> None:
    answers = iter(["a long password 1", "a long password 1"])
    monkeypatch.setattr(auth.getpass, "getpass", lambda prompt="": next(answers))
    assert auth.main(["--file", str(tmp_path / "u.toml"), "add-user", "sam"]) == 0
    assert auth.authenticate("sam", "a long password 1", path=tmp_path / "u.toml").role == "editor"


def test_the_logic_does_not_import_streamlit() -> None:
    import subprocess

    code = "import sys, dashboard.auth; print('streamlit' in sys.modules)"
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).resolve().parents[2],
    )
    assert out.stdout.strip() == "False"


def test_secrets_are_gitignored() -> None:
    ignored = (Path(__file__).resolve().parents[2] / ".gitignore").read_text(encoding="utf-8").split()
    assert ".streamlit/users.toml" in ignored and ".streamlit/secrets.toml" in ignored
