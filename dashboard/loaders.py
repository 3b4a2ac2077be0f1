"""The dashboard's only cached functions: thin wrappers over the pure readers in ``core.store``.

The cache key is plain: the tidy folder path and its build stamp, so a rebuild (``make data``)
is picked up on the next rerun without restarting the server. Filtering happens outside.
"""

from __future__ import annotations

import logging

import streamlit as st

from dashboard.core.store import Tidy, current_tidy_dir, read_build_stamp, read_tidy, stamp_key

log = logging.getLogger(__name__)


@st.cache_data(show_spinner="Loading the tidy tables…", max_entries=4)
def load_tidy(folder: str, stamp: str) -> Tidy:
    """Every tidy table of ``folder`` as built at ``stamp`` (the stamp is only the cache key)."""
    log.info("loading tidy tables from %s (build %s)", folder, stamp)
    return read_tidy(folder)


def current_tidy() -> Tidy | None:
    """The tidy tables named by PLACE_INSIGHT_DATA now, or None when they have not been built."""
    folder = current_tidy_dir()
    stamp = read_build_stamp(folder)
    if stamp is None:
        return None
    return load_tidy(str(folder), stamp_key(stamp))
