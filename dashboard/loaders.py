"""The dashboard's only cached functions: thin wrappers over the pure readers in ``core.store``.

The cache key is plain: the tidy folder path and its build stamp, so a rebuild (``make data``)
is picked up on the next rerun without restarting the server. Filtering happens outside.
"""

from __future__ import annotations

import logging

import pandas as pd
import streamlit as st

from dashboard.core import selection, views
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


@st.cache_data(show_spinner=False, max_entries=4)
def load_indicator_levels(folder: str, stamp: str) -> pd.DataFrame:
    """Which indicators have ward / LSOA values (depends on the build only)."""
    return selection.indicator_levels(load_tidy(folder, stamp))


@st.cache_data(show_spinner=False, max_entries=4)
def load_district_context(folder: str, stamp: str) -> pd.DataFrame:
    """The place-wide indicators that have no ward figure (depends on the build only)."""
    return views.district_only(load_tidy(folder, stamp))


def indicator_levels(tidy: Tidy) -> pd.DataFrame:
    return load_indicator_levels(tidy.folder, stamp_key(tidy.build))


def district_context(tidy: Tidy) -> pd.DataFrame:
    return load_district_context(tidy.folder, stamp_key(tidy.build))
