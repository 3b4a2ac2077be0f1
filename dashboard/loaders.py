"""The dashboard's only cached functions: thin wrappers over the pure readers in ``core.tidy_tables``.

The cache key is plain: the tidy folder path and its build stamp, so a rebuild (``make data``)
is picked up on the next rerun without restarting the server. Filtering happens outside.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any

import pandas as pd
import streamlit as st

from dashboard.core import mapview, neighbours, page_frames, profile, selection, slides
from dashboard.core.tidy_tables import Tidy, current_tidy_dir, read_build_stamp, read_tidy, stamp_key
from dashboard.register import Store
from pipelines import settings

log = logging.getLogger(__name__)


@st.cache_resource(show_spinner="Loading the tidy tables…", max_entries=4)
def load_tidy(folder: str, stamp: str) -> Tidy:
    """Every tidy table of ``folder`` as built at ``stamp`` (the stamp is only the cache key).

    One shared, read-only object for every session (``cache_resource``): ``cache_data`` would
    unpickle a fresh copy of every table on each rerun of each session, which cost more time
    than the page's own work and memory per session. Nothing writes to it: the core functions
    return new frames, and pandas' copy-on-write keeps derived frames from touching it."""
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
    return page_frames.district_only(load_tidy(folder, stamp))


def indicator_levels(tidy: Tidy) -> pd.DataFrame:
    return load_indicator_levels(tidy.folder, stamp_key(tidy.build))


def district_context(tidy: Tidy) -> pd.DataFrame:
    return load_district_context(tidy.folder, stamp_key(tidy.build))


# --- the partner register ----------------------------------------------------------------------


@st.cache_resource(show_spinner="Opening the partner register…", max_entries=4)
def open_register_store(url: str, data_folder: str) -> Store:
    """One shared ``Store`` per database URL and data folder (wards and postcodes come from the
    data folder's tidy tables; a missing postcode table leaves postcodes unplaced)."""
    log.info("opening the partner register (data folder %s)", data_folder)
    return Store(url)


def load_register_store() -> Store:
    """The register the app uses now: ``DATABASE_URL`` when set, else the SQLite file
    ``PLACE_INSIGHT_REGISTER_DB`` or ``<data>/register.sqlite``; wards from
    ``<data>/tidy/areas.parquet``, postcodes from ``<data>/tidy/postcodes.parquet``."""
    return open_register_store(settings.database_url(), str(settings.data_dir()))


@st.cache_resource(show_spinner=False, max_entries=8)
def _register_frame(url: str, state: str, filters: tuple, _store: Store) -> pd.DataFrame:
    return _store.frame(**dict(filters))


def register_frame(store: Store, **filters: Any) -> pd.DataFrame:
    """``store.frame(**filters)``, shared by every session and rerun until the register changes
    (``Store.state_key``: one small query), so a 50,000-activity register is not read on every
    rerun. Read-only: the pages derive new frames from it."""
    key = tuple(sorted((k, tuple(v) if isinstance(v, list | tuple) else v) for k, v in filters.items()))
    return _register_frame(str(store.engine.url), store.state_key(), key, store)


# --- ward briefs (issue 5) -----------------------------------------------------------------------


@st.cache_data(show_spinner=False, max_entries=64)
def load_ward_brief(
    folder: str, stamp: str, ward_code: str, activity_key: str, _activities: pd.DataFrame | None, register_ok: bool
) -> bytes:
    """The ward's one-page PDF brief, cached per build, ward and register content
    (``activity_key`` lists the ward's activity ids and versions; the frame itself is not hashed)."""
    from dashboard.briefs import brief_pdf

    log.info("making the brief for %s", ward_code)
    return brief_pdf(load_tidy(folder, stamp), ward_code, activities=_activities, register_available=register_ok)


def ward_brief_pdf(tidy: Tidy, ward_code: str) -> bytes:
    """The brief for the download button (called when the button is clicked)."""
    try:
        activities = load_register_store().frame(ward=ward_code)
        register_ok = True
    except Exception:  # the brief still goes out, saying the register could not be read
        log.exception("could not read the partner register for the brief of %s", ward_code)
        activities, register_ok = None, False
    key = (
        ""
        if activities is None or activities.empty
        else ",".join(f"{r}:{v}" for r, v in zip(activities["record_id"], activities["version"], strict=True))
    )
    return load_ward_brief(tidy.folder, stamp_key(tidy.build), ward_code, key, activities, register_ok)


@st.cache_resource(show_spinner=False, max_entries=64)
def _ward_profile(folder: str, stamp: str, ward: str, ward_name: str) -> profile.WardProfile:
    return profile.build_ward_profile(load_tidy(folder, stamp), ward, ward_name=ward_name)


_warmed: set[str] = set()
_warm_lock = threading.Lock()
# The warm-up waits this long after the first drawn page, so that the first visitors' own pages
# (a cold start: tables loading, the map drawing) do not share the interpreter with it; wards
# opened before then are built on demand (once: concurrent first views wait for one build).
WARM_AFTER_SECONDS = 20.0
# Background work gives way to people: each ward is built only once no page has been drawn for
# this long (any session), so under a meeting's load the warm-up waits for a lull instead of
# slowing everyone's reruns.
WARM_IDLE_SECONDS = 1.0
_last_drawn = [0.0]  # time.monotonic() when a page was last drawn


def wait_for_a_lull(clock: Callable[[], float] = time.monotonic, sleep: Callable[[float], None] = time.sleep) -> None:
    """Return once no page has been drawn for WARM_IDLE_SECONDS."""
    while (quiet := clock() - _last_drawn[0]) < WARM_IDLE_SECONDS:
        sleep(WARM_IDLE_SECONDS - quiet)


def _claim_warm_up(folder: str, stamp: str) -> bool:
    """True the first time a build's profiles are to be warmed (by the launcher or the app), after
    which nobody warms that build again."""
    with _warm_lock:
        if f"{folder}|{stamp}" in _warmed:
            return False
        _warmed.add(f"{folder}|{stamp}")
        return True


def warm_ward_profiles(tidy: Tidy, ward_names: dict[str, str]) -> None:
    """Build every ward's profile once per build in a background thread (from
    ``WARM_AFTER_SECONDS`` after the first drawn page, one ward per lull), so that the first view
    of a ward finds it ready. Called after every drawn page (it notes the time), never before."""
    _last_drawn[0] = time.monotonic()
    folder, stamp = tidy.folder, stamp_key(tidy.build)
    if not _claim_warm_up(folder, stamp):
        return

    def work() -> None:
        time.sleep(WARM_AFTER_SECONDS)
        for code, name in ward_names.items():
            wait_for_a_lull()
            try:
                _ward_profile(folder, stamp, code, name)
            except Exception:  # a ward that fails here fails visibly when opened
                log.exception("warming the profile of %s failed", code)
        log.info("ward profiles ready for %d wards", len(ward_names))

    threading.Thread(target=work, name="warm-ward-profiles", daemon=True).start()


def prepare_before_serving() -> int:
    """Before the server listens (``dashboard/launch.py``): load the current tidy tables and
    build every ward's profile into the shared caches, so that the first visitors (a meeting
    opening the app at once) find them ready instead of sharing the machine with their building.
    Returns the number of wards prepared (0 when no tables are built yet). The in-app warm-up
    then skips this build; a later rebuild is warmed by the app as before."""
    tidy = current_tidy()
    if tidy is None:
        return 0
    ward_names = choices(tidy).ward_names
    folder, stamp = tidy.folder, stamp_key(tidy.build)
    _claim_warm_up(folder, stamp)
    for code, name in ward_names.items():
        _ward_profile(folder, stamp, code, name)
    log.info("prepared the tidy tables and %d ward profiles before serving", len(ward_names))
    return len(ward_names)


def ward_profile(tidy: Tidy, ward: str, *, ward_name: str) -> profile.WardProfile:
    """The ward profile's parts, made once per build and ward and shared read-only by every
    session (the page and the figures only read them)."""
    return _ward_profile(tidy.folder, stamp_key(tidy.build), ward, ward_name)


@st.cache_resource(show_spinner=False, max_entries=64)
def _slide(folder: str, stamp: str, ward: str, names: tuple[tuple[str, str], ...]) -> slides.Slide:
    ward_names = dict(names)
    return slides.build_slide(
        load_tidy(folder, stamp),
        ward,
        ward_names=ward_names,
        profile=_ward_profile(folder, stamp, ward, ward_names[ward]),
    )


def slide(tidy: Tidy, ward: str, *, ward_names: dict[str, str]) -> slides.Slide:
    """Presentation mode's slides for one ward, made once per build and ward (read-only)."""
    return _slide(tidy.folder, stamp_key(tidy.build), ward, tuple(ward_names.items()))


@st.cache_resource(show_spinner=False, max_entries=128)
def _map_view(
    folder: str,
    stamp: str,
    indicator: str,
    level: str,
    ward: str,
    ward_names: tuple,
    show_activities: bool,
    show_sites: bool,
    register_state: str,
    period: str | None = None,
) -> mapview.MapView:
    activities = load_register_store().frame() if show_activities else None
    return mapview.build_map_view(
        load_tidy(folder, stamp),
        indicator=indicator,
        level=level,
        ward=ward,
        ward_names=dict(ward_names),
        activities=activities,
        show_sites=show_sites,
        period=period,
    )


def map_view(
    tidy: Tidy,
    *,
    indicator: str,
    level: str,
    ward: str,
    ward_names: dict[str, str],
    show_activities: bool,
    show_sites: bool,
    period: str | None = None,
) -> mapview.MapView:
    """The map page's figure, made once per build, view and state of the register (any change
    to an activity changes ``Store.state_key`` and so draws the map afresh); read-only."""
    register_state = load_register_store().state_key() if show_activities else ""
    return _map_view(
        tidy.folder,
        stamp_key(tidy.build),
        indicator,
        level,
        ward,
        tuple(sorted(ward_names.items())),
        show_activities,
        show_sites,
        register_state,
        period,
    )


@st.cache_resource(show_spinner=False, max_entries=4)
def _choices(folder: str, stamp: str) -> selection.Choices:
    tidy = load_tidy(folder, stamp)
    return selection.build_choices(tidy, load_indicator_levels(folder, stamp))


def choices(tidy: Tidy) -> selection.Choices:
    """The shared selectors' options (depend on the build only)."""
    return _choices(tidy.folder, stamp_key(tidy.build))


@st.cache_data(show_spinner=False, max_entries=2)
def _neighbour_wards(path: str, modified: float) -> pd.DataFrame:
    return pd.read_parquet(path)


def neighbour_wards() -> pd.DataFrame | None:
    """All wards of the neighbouring districts (``python -m pipelines build-neighbours``), or None.

    Cached per file version (path and modification time), so a rebuilt table is picked up."""
    path = neighbours.neighbour_table_path()
    return _neighbour_wards(str(path), path.stat().st_mtime) if path.is_file() else None
