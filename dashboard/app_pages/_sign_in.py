"""Sign-in for the pages: the browser session's user (OIDC or local) and the sign-in form.

The permission rules are pure (``dashboard.auth``); the register's one switch for writes is
``dashboard.register.access``. This module joins them: it reads the session's user and passes it,
with ``auth.require``, to ``access.check``.
"""

from __future__ import annotations

import secrets

import streamlit as st

from dashboard import auth
from dashboard.register import access

SIGN_IN_SESSION_KEY = "place_insight_sign_in_session"  # this browser session's key for the sign-in throttle


def oidc_configured() -> bool:
    try:
        return "auth" in st.secrets
    except Exception:  # noqa: BLE001 (no secrets file at all)
        return False


def current_user(users: auth.UsersFile | None = None) -> auth.User:
    """The user of this browser session: OIDC (``st.user``) when ``[auth]`` is configured in
    secrets, else the local user signed in with ``sign_in_form``, else anonymous."""
    if oidc_configured():
        info = st.user.to_dict() if hasattr(st.user, "to_dict") else dict(st.user)
        return auth.user_from_oidc(info, users if users is not None else auth.load_users())
    return st.session_state.get(auth.SESSION_KEY, auth.ANONYMOUS)


def sign_in_form(users: auth.UsersFile | None = None) -> auth.User:
    """Draw a sign-in (OIDC button, or name and password) or sign-out control; return the user."""
    user = current_user(users)
    if user.signed_in:
        if st.button("Sign out", key="auth-sign-out"):
            if oidc_configured():
                st.logout()
            else:
                st.session_state.pop(auth.SESSION_KEY, None)
                st.rerun()
        return user
    if oidc_configured():
        if st.button("Sign in", key="auth-sign-in"):
            st.login()
        return user
    with st.form("auth-sign-in-form"):
        name = st.text_input("User name")
        password = st.text_input("Password", type="password")
        if st.form_submit_button("Sign in"):
            session_id = st.session_state.setdefault(SIGN_IN_SESSION_KEY, secrets.token_hex(16))
            attempt = auth.sign_in(name, password, users, session_id=session_id)  # throttled (signin_throttle)
            if attempt.user is None:
                st.error(attempt.message or auth.MSG_WRONG)
            else:
                st.session_state[auth.SESSION_KEY] = attempt.user
                st.rerun()
    return user


def register_access(action: str = "edit") -> access.Access:
    """May this session's user do ``action`` to the register? (the roles in ``dashboard.auth`` decide)"""
    return access.check(action, user=current_user(), require=auth.require)


def can_edit(action: str = "edit") -> bool:
    return register_access(action).allowed
