"""The ward profile's partner activity panel (the extension point ``_shared.render_partner_panel``).

The one module of the register package that draws with Streamlit; kept thin: the rows come
from ``tables.ward_panel_table`` and user text is shown only through ``st.dataframe``.
"""

from __future__ import annotations

import logging

import streamlit as st

from dashboard import loaders
from dashboard.app_pages import _sign_in
from dashboard.core import disclosure
from dashboard.register import tables

log = logging.getLogger(__name__)


def render_ward_panel(*, ward_code: str) -> None:
    """List the register's activities in ``ward_code`` with their count, and say that the
    register only holds what partners have entered."""
    store = loaders.load_register_store()
    frame = store.frame(ward=ward_code)
    public = not _sign_in.can_edit("edit")
    table = tables.ward_panel_table(frame, ward_code, public=public)
    n = len(table)
    st.markdown(f"**Partner activities in the register: {n}**")
    if n:
        st.dataframe(table, hide_index=True, width="stretch")
    st.caption(
        tables.REGISTER_CAVEAT
        + " Add or correct activities on the *Partner register* page."
        + (f" {disclosure.note()}" if public else "")
    )
    log.debug("ward panel %s: %d activities", ward_code, n)
