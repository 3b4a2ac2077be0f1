"""Who may change the register: the ONE place the pages ask before any write.

Every editing action on the register page (add, edit, delete, import, load the example) asks
``check(action, user=..., require=...)`` first and records the answer's ``editor`` in the change
history. The pages pass the session's user and ``dashboard.auth.require`` (roles viewer/editor/
admin, see dashboard/AUTH.md; ``dashboard.app_pages._sign_in.register_access`` does this), so this
module never imports the layer above it:

- With ``require``: it decides; raising (any exception) means "not allowed"; an anonymous visitor
  is asked to sign in. The editor recorded is the user's ``editor_id`` (``local:sam``,
  ``oidc:sam@...``). ``load_example`` is checked as the auth module's ``import``.
- Without (no sign-in, e.g. a laptop register in a community centre): editing is open unless
  ``PLACE_INSIGHT_REGISTER_READONLY`` is set to 1/true/yes; the page asks for a name instead.

No Streamlit here.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pipelines import settings

log = logging.getLogger(__name__)

READONLY_ENV = settings.REGISTER_READONLY_ENV
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


def check(action: str = "edit", *, user: Any = None, require: Callable[[Any, str], None] | None = None) -> Access:
    """May ``user`` do ``action`` (one of ``ACTIONS``) to the register? ``require(user, action)``
    raises when the sign-in rules refuse; without it the register is open unless read-only."""
    if action not in ACTIONS:
        raise ValueError(f"unknown register action {action!r}; use one of {ACTIONS}")
    if require is not None:
        if user is None or getattr(user, "signed_in", True) is False:
            return Access(False, None, MSG_SIGN_IN, True)
        try:
            require(user, AUTH_ACTION.get(action, action))
        except Exception as exc:  # noqa: BLE001 (the auth module's own refusal, whatever its type)
            log.info("register %s refused for %s: %s", action, user_label(user), exc)
            return Access(False, user_label(user), str(exc) or MSG_NOT_ALLOWED.format(action=action), True)
        return Access(True, user_label(user), None, True)
    if settings.register_readonly():
        return Access(False, None, MSG_READONLY, False)
    return Access(True, None, None, False)


def can_edit(action: str = "edit", *, user: Any = None, require: Callable[[Any, str], None] | None = None) -> bool:
    """The single switch for register writes (see the module docstring)."""
    return check(action, user=user, require=require).allowed
