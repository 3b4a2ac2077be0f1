"""Who may do what in the register: roles, permissions, local users and OIDC sign-in.

Pure Python, no Streamlit: the browser session's user and the sign-in form are drawn by the
pages (``dashboard.app_pages._sign_in``), which pass the user to ``register.access``.

Roles and permissions (see dashboard/AUTH.md):

    action    anonymous  viewer  editor  admin
    view         yes      yes     yes     yes
    add           -        -      yes     yes
    edit          -        -      yes     yes
    import        -        -      yes     yes
    delete        -        -       -      yes
    restore       -        -       -      yes

Local users live in a TOML file (``$PLACE_INSIGHT_USERS_FILE``, default ``.streamlit/users.toml``,
never committed)::

    [users.sam]
    role = "editor"
    password_hash = "scrypt$16384$8$1$<salt>$<hash>"

    [roles]                      # OIDC sign-in (st.login): email -> role
    "sam@example.nhs.uk" = "editor"

Passwords are hashed with scrypt (stdlib ``hashlib.scrypt``) and a random 16-byte salt per
user; verification compares in constant time. Add a user with
``python -m dashboard.auth add-user NAME --role editor`` (prompts for the password, or reads one
line from stdin with ``--password-stdin``).
"""

from __future__ import annotations

import argparse
import base64
import getpass
import hashlib
import hmac
import json
import logging
import os
import re
import secrets
import sys
import tempfile
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dashboard import signin_throttle as throttling
from dashboard.signin_throttle import Throttle
from pipelines import settings

log = logging.getLogger(__name__)

ROLES: tuple[str, ...] = ("viewer", "editor", "admin")
ACTIONS: tuple[str, ...] = ("view", "add", "edit", "import", "delete", "restore")
PERMISSIONS: dict[str, frozenset[str | None]] = {
    "view": frozenset({None, "viewer", "editor", "admin"}),  # None: not signed in
    "add": frozenset({"editor", "admin"}),
    "edit": frozenset({"editor", "admin"}),
    "import": frozenset({"editor", "admin"}),
    "delete": frozenset({"admin"}),
    "restore": frozenset({"admin"}),
}
USERS_FILE_ENV = settings.USERS_FILE_ENV
MIN_PASSWORD_LENGTH = 10
SESSION_KEY = "place_insight_user"

# scrypt cost: 16 MiB of memory and ~50 ms per check; stored with the hash so it can be raised later.
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**14, 8, 1
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$")


class AuthError(Exception):
    """A problem with the users file or a user's details."""


class PermissionDenied(PermissionError):
    """The user's role does not allow the action; the message says who may do it."""

    def __init__(self, user: User, action: str) -> None:
        self.user = user
        self.action = action
        allowed = sorted(r for r in PERMISSIONS.get(action, ()) if r)
        who = "you are not signed in" if not user.signed_in else f"you are signed in as {user.name} ({user.role})"
        super().__init__(
            f"You cannot {action} here: {who}. This needs the role {' or '.join(allowed) or 'nobody'}; "
            "ask the register's admin."
        )


@dataclass(frozen=True)
class User:
    """Someone using the dashboard. ``role`` is None for anonymous visitors."""

    name: str
    role: str | None
    email: str | None = None
    source: str = "anonymous"  # anonymous | local | oidc

    @property
    def signed_in(self) -> bool:
        return self.source != "anonymous"

    @property
    def editor_id(self) -> str:
        """What the register records as the editor of a change."""
        if not self.signed_in:
            raise PermissionDenied(self, "edit")
        return f"{self.source}:{self.email or self.name}"


ANONYMOUS = User(name="anonymous", role=None)


def can(user: User, action: str) -> bool:
    if action not in PERMISSIONS:
        raise ValueError(f"unknown action {action!r}; use one of {', '.join(ACTIONS)}")
    return user.role in PERMISSIONS[action]


def require(user: User, action: str) -> None:
    """Raise PermissionDenied unless ``user`` may do ``action``."""
    if not can(user, action):
        log.info("refused %s to %s (%s)", action, user.name, user.role)
        raise PermissionDenied(user, action)


# --- passwords ---------------------------------------------------------------------------------
def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def hash_password(password: str, *, salt: bytes | None = None) -> str:
    """A salted scrypt hash of ``password``: ``scrypt$N$r$p$<salt b64>$<hash b64>``."""
    if not isinstance(password, str) or not password:
        raise AuthError("the password is empty")
    salt = salt if salt is not None else secrets.token_bytes(16)
    digest = hashlib.scrypt(
        password.encode("utf-8"), salt=salt, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P, maxmem=64 * 1024 * 1024, dklen=32
    )
    return f"scrypt${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${_b64(salt)}${_b64(digest)}"


_DUMMY_HASH = None


def verify_password(password: str, stored: str | None) -> bool:
    """True when ``password`` matches the stored hash; compares in constant time. An unknown or
    malformed hash never matches (and costs the same time, so user names cannot be probed)."""
    global _DUMMY_HASH
    try:
        scheme, n, r, p, salt_b64, hash_b64 = (stored or "").split("$")
        if scheme != "scrypt":
            raise ValueError(scheme)
        salt, expected = base64.b64decode(salt_b64, validate=True), base64.b64decode(hash_b64, validate=True)
        n_i, r_i, p_i = int(n), int(r), int(p)
    except (ValueError, TypeError):
        if _DUMMY_HASH is None:
            _DUMMY_HASH = hash_password("dummy-password")
        verify_password(password or "x", _DUMMY_HASH)
        return False
    digest = hashlib.scrypt(
        (password or "").encode("utf-8"), salt=salt, n=n_i, r=r_i, p=p_i, maxmem=128 * 1024 * 1024, dklen=len(expected)
    )
    return hmac.compare_digest(digest, expected)


# --- the users file ----------------------------------------------------------------------------
@dataclass
class UsersFile:
    """Local users (name -> role and password hash) and OIDC roles (email -> role)."""

    users: dict[str, dict[str, str]] = field(default_factory=dict)
    roles: dict[str, str] = field(default_factory=dict)


def users_path(path: str | Path | None = None) -> Path:
    """The users file: ``path``, else ``$PLACE_INSIGHT_USERS_FILE``, else ``<repo>/.streamlit/users.toml``."""
    return settings.users_file(path)


def _check_role(role: str) -> str:
    if role not in ROLES:
        raise AuthError(f"unknown role {role!r}; use one of {', '.join(ROLES)}")
    return role


def load_users(path: str | Path | None = None) -> UsersFile:
    """Read the users file; a missing file means no local users and no OIDC roles."""
    target = users_path(path)
    if not target.is_file():
        log.info("no users file at %s: nobody can sign in locally", target)
        return UsersFile()
    try:
        with target.open("rb") as fh:
            data = tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise AuthError(f"{target} is not valid TOML ({exc})") from exc
    users: dict[str, dict[str, str]] = {}
    for name, entry in (data.get("users") or {}).items():
        if not isinstance(entry, Mapping) or "password_hash" not in entry:
            raise AuthError(f"{target}: user {name!r} needs a role and a password_hash")
        users[name] = {
            "role": _check_role(str(entry.get("role", "viewer"))),
            "password_hash": str(entry["password_hash"]),
        }
    roles = {str(email).strip().casefold(): _check_role(str(role)) for email, role in (data.get("roles") or {}).items()}
    return UsersFile(users=users, roles=roles)


def _quote(text: str) -> str:
    return json.dumps(text, ensure_ascii=True)  # a JSON string is a valid TOML basic string


def dump_users(users: UsersFile) -> str:
    lines = ["# Place Insight users: managed with `python -m dashboard.auth`. Never commit this file.", ""]
    for name in sorted(users.users):
        entry = users.users[name]
        lines += [
            f"[users.{_quote(name)}]",
            f"role = {_quote(entry['role'])}",
            f"password_hash = {_quote(entry['password_hash'])}",
            "",
        ]
    lines.append("[roles]  # OIDC sign-in: email -> role")
    lines += [f"{_quote(email)} = {_quote(role)}" for email, role in sorted(users.roles.items())]
    return "\n".join(lines) + "\n"


def save_users(users: UsersFile, path: str | Path | None = None) -> Path:
    """Write the users file atomically, readable by its owner only."""
    target = users_path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".users-", dir=target.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(dump_users(users))
        os.chmod(tmp, 0o600)
        os.replace(tmp, target)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    log.info("wrote %d users and %d OIDC roles to %s", len(users.users), len(users.roles), target)
    return target


def add_user(name: str, role: str, password: str, path: str | Path | None = None) -> UsersFile:
    """Add a local user (or replace their role and password) and save the file."""
    if not _NAME.match(name or ""):
        raise AuthError("a user name is 1-64 letters, digits, '.', '_', '@' or '-'")
    _check_role(role)
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AuthError(f"the password must be at least {MIN_PASSWORD_LENGTH} characters long")
    users = load_users(path)
    users.users[name] = {"role": role, "password_hash": hash_password(password)}
    save_users(users, path)
    return users


def set_oidc_role(email: str, role: str, path: str | Path | None = None) -> UsersFile:
    """Give an OIDC identity (by email) a role and save the file."""
    if "@" not in (email or ""):
        raise AuthError(f"{email!r} is not an email address")
    users = load_users(path)
    users.roles[email.strip().casefold()] = _check_role(role)
    save_users(users, path)
    return users


def authenticate(
    name: str, password: str, users: UsersFile | None = None, *, path: str | Path | None = None
) -> User | None:
    """The local user when name and password match, else None (same cost either way)."""
    users = users if users is not None else load_users(path)
    entry = users.users.get(name or "")
    ok = verify_password(password, entry["password_hash"] if entry else None)
    if not (ok and entry):
        log.warning("failed sign-in for %r", (name or "")[:64])
        return None
    return User(name=name, role=entry["role"], source="local")


@dataclass(frozen=True)
class SignIn:
    """The outcome of one sign-in attempt: the user, or the message to show."""

    user: User | None
    message: str | None = None


MSG_WRONG = "That user name and password do not match."
MSG_THROTTLED = (
    "Too many failed sign-ins: wait {wait} before trying again. If you have forgotten the password, "
    "ask the register's admin to reset it."
)


def sign_in(
    name: str,
    password: str,
    users: UsersFile | None = None,
    *,
    session_id: str,
    throttle: Throttle = throttling.SIGN_IN,
    path: str | Path | None = None,
) -> SignIn:
    """One throttled sign-in attempt: refused unchecked while the account or this session must
    wait (growing delays, then a lock-out; see dashboard/signin_throttle.py)."""
    keys = (throttling.account_key(name), throttling.session_key(session_id))
    wait = throttle.wait_for(*keys)
    if wait > 0:
        log.warning("sign-in for %r refused unchecked: throttled for %d s more", (name or "")[:64], wait)
        return SignIn(None, MSG_THROTTLED.format(wait=throttling.describe_wait(wait)))
    user = authenticate(name, password, users, path=path)
    if user is None:
        wait = throttle.failed(*keys)
        if wait > 0:
            return SignIn(None, MSG_WRONG + " " + MSG_THROTTLED.format(wait=throttling.describe_wait(wait)))
        return SignIn(None, MSG_WRONG)
    throttle.succeeded(*keys)
    return SignIn(user)


def user_from_oidc(info: Mapping[str, Any], users: UsersFile) -> User:
    """A signed-in OIDC user (``st.user``'s fields) with the role from ``[roles]``; an email not
    listed gets ``viewer``, and no email (or an unverified one) means not signed in."""
    if not info.get("is_logged_in", True):
        return ANONYMOUS
    email = str(info.get("email") or "").strip().casefold()
    if not email or info.get("email_verified") is False:
        return ANONYMOUS
    role = users.roles.get(email, "viewer")
    return User(name=str(info.get("name") or email), role=role, email=email, source="oidc")


# --- command line ------------------------------------------------------------------------------
def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass("Password: ")
    if getpass.getpass("Password again: ") != first:
        raise AuthError("the two passwords differ")
    return first


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m dashboard.auth", description="Manage Place Insight users.")
    parser.add_argument("--file", help=f"the users file (default: ${USERS_FILE_ENV}, else {settings.users_file()})")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("add-user", help="add a local user, or reset their role and password")
    p.add_argument("name")
    p.add_argument("--role", choices=ROLES, default="editor")
    p.add_argument("--password-stdin", action="store_true", help="read the password from stdin (one line)")
    p = sub.add_parser("set-role", help="give an OIDC sign-in (email) a role")
    p.add_argument("email")
    p.add_argument("--role", choices=ROLES, required=True)
    sub.add_parser("list", help="list users and roles (never the hashes)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    try:
        if args.command == "add-user":
            add_user(args.name, args.role, _read_password(args.password_stdin), args.file)
            sys.stdout.write(f"saved {args.name} ({args.role}) in {users_path(args.file)}\n")
        elif args.command == "set-role":
            set_oidc_role(args.email, args.role, args.file)
            sys.stdout.write(f"{args.email} is now {args.role}\n")
        else:
            users = load_users(args.file)
            for name, entry in sorted(users.users.items()):
                sys.stdout.write(f"local  {name}  {entry['role']}\n")
            for email, role in sorted(users.roles.items()):
                sys.stdout.write(f"oidc   {email}  {role}\n")
    except AuthError as exc:
        sys.stderr.write(f"error: {exc}\n")
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
