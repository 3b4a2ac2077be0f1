"""Who may change the register: the ONE place the register page asks before any write.

Every editing action on the register page (add, edit, delete, import, load the example) calls
``can_edit(action)`` first and records ``editor_name()`` in the change history.

- When ``dashboard/auth.py`` exists and exposes ``current_user()`` and ``require(user, action)``
  (it does: roles viewer/editor/admin, see dashboard/AUTH.md), they decide: ``require`` raising
  (any exception) means "not allowed"; an anonymous visitor is asked to sign in. The editor
  recorded in the history is the user's ``editor_id`` (``local:sam``, ``oidc:sam@...``).
  ``load_example`` is checked as the auth module's ``import``.
- Until then (no sign-in yet), editing is open, as on a laptop register in a community centre,
  unless ``PLACE_INSIGHT_REGISTER_READONLY`` is set to 1/true/yes; the page asks for a name for
  the change history instead.

No Streamlit here: the auth module does its own session handling.
"""

from __future__ import annotations

import importlib
import logging
import os
from dataclasses import dataclass
from types import ModuleType
from typing import Any

log = logging.getLogger(__name__)

AUTH_MODULE = "dashboard.auth"
READONLY_ENV = "PLACE_INSIGHT_REGISTER_READONLY"
ACTIONS = ("add", "edit", "delete", "import", "load_example")
AUTH_ACTION = {"load_example": "import"}  # our action -> the auth module's action
MSG_READONLY = f"The register is read-only here ({READONLY_ENV} is set)."
MSG_SIGN_IN = "Sign in to change the register."
MSG_NOT_ALLOWED = "Your account may not {action} activities in the register."


@dataclass(frozen=True)
class Access:
    """The answer for one action: ``allowed``; ``editor`` (the signed-in name, or None when the
    page must ask for one); ``reason`` in words when not allowed; ``signed_in`` when auth is on."""

    allowed: bool
    editor: str | None
    reason: str | None
    uses_sign_in: bool


def _auth() -> ModuleType | None:
    try:
        module = importlib.import_module(AUTH_MODULE)
    except ModuleNotFoundError as exc:
        if exc.name and AUTH_MODULE.startswith(exc.name):
            return None
        raise
    if callable(getattr(module, "current_user", None)) and callable(getattr(module, "require", None)):
        return module
    log.warning("%s lacks current_user()/require(user, action); register editing stays open", AUTH_MODULE)
    return None


def user_label(user: Any) -> str:
    """A name for the change history from whatever the auth module calls a user."""
    for attribute in ("editor_id", "name", "username", "email", "user_id"):
        try:
            value = user.get(attribute) if isinstance(user, dict) else getattr(user, attribute, None)
        except Exception:  # noqa: BLE001 (e.g. an anonymous user has no editor id)
            value = None
        if value:
            return str(value)
    return str(user)


def check(action: str = "edit") -> Access:
    """May the current user do ``action`` (one of ``ACTIONS``) to the register?"""
    if action not in ACTIONS:
        raise ValueError(f"unknown register action {action!r}; use one of {ACTIONS}")
    auth = _auth()
    if auth is not None:
        user = auth.current_user()
        if user is None or getattr(user, "signed_in", True) is False:
            return Access(False, None, MSG_SIGN_IN, True)
        try:
            auth.require(user, AUTH_ACTION.get(action, action))
        except Exception as exc:  # noqa: BLE001 (the auth module's own refusal, whatever its type)
            log.info("register %s refused for %s: %s", action, user_label(user), exc)
            return Access(False, user_label(user), str(exc) or MSG_NOT_ALLOWED.format(action=action), True)
        return Access(True, user_label(user), None, True)
    if os.environ.get(READONLY_ENV, "").strip().casefold() in ("1", "true", "yes"):
        return Access(False, None, MSG_READONLY, False)
    return Access(True, None, None, False)


def uses_sign_in() -> bool:
    """True when the auth module decides (the page then shows its sign-in form)."""
    return _auth() is not None


def sign_in_form() -> Any:
    """The auth module's sign-in / sign-out control (it draws with Streamlit), or None without one."""
    auth = _auth()
    form = getattr(auth, "sign_in_form", None) if auth is not None else None
    return form() if callable(form) else None


def can_edit(action: str = "edit") -> bool:
    """The single switch for register writes (see the module docstring)."""
    return check(action).allowed
