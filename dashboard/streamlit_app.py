"""Place Insight: the frame. Page config, navigation, the shared selectors (ward, indicator,
area level) kept in step with the URL, then the chosen page runs.

Run: ``python -m dashboard.launch dashboard/streamlit_app.py`` (``streamlit run`` with the libraries
imported before the server listens; see the Makefile's ``make run``).
"""

from __future__ import annotations

import logging
import sys
import time
from pathlib import Path

import streamlit as st

REPO_DIR = Path(__file__).resolve().parents[1]
if str(REPO_DIR) not in sys.path:  # `streamlit run` puts only dashboard/ on the path
    sys.path.insert(0, str(REPO_DIR))

from dashboard import loaders  # noqa: E402
from dashboard.app_pages import _boundary, _present, _shared, _style  # noqa: E402
from dashboard.core import selection  # noqa: E402
from dashboard.core.tidy_tables import BUILD_COMMAND, current_tidy_dir, missing_data_message  # noqa: E402
from pipelines import settings  # noqa: E402

_run_started = time.perf_counter()
logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")

# A local favicon (a material icon would be fetched from a font CDN: no request leaves the machine).
ICON = str(Path(__file__).resolve().parent / "static" / "favicon.png")
st.set_page_config(page_title=_style.APP_NAME, page_icon=ICON, layout="wide")

PAGES = [
    st.Page("app_pages/map.py", title="Map", icon=":material/map:", url_path="map", default=True),
    st.Page("app_pages/ward_profile.py", title="Ward profile", icon=":material/location_city:", url_path="ward"),
    st.Page("app_pages/compare.py", title="Compare wards", icon=":material/compare_arrows:", url_path="compare"),
    st.Page("app_pages/need.py", title="Need and activity", icon=":material/balance:", url_path="need"),
    st.Page("app_pages/register.py", title="Partner register", icon=":material/groups:", url_path="register"),
    st.Page("app_pages/data_sources.py", title="Data and sources", icon=":material/table_view:", url_path="data"),
]
PROFILE_PAGE = PAGES[1]
_present.init()  # ?present=1: the ward profile as slides (see app_pages/_present.py)
# In presentation mode the slide is the ward profile page itself: every page stays registered
# (so a shared /ward?present=1 link resolves) but the menu is hidden and any other page turns
# into the profile.
page = st.navigation(PAGES, position="hidden" if _present.active() else "sidebar")

with _boundary.boundary("loading the data tables") as loading:  # damaged tables: a message, not a traceback
    tidy = loaders.current_tidy()
    choices = loaders.choices(tidy) if tidy is not None else None
if loading.failed:
    st.stop()
if tidy is None:
    st.title("Place Insight")
    st.error(missing_data_message(current_tidy_dir()), icon=":material/database_off:")
    st.markdown("From the repository folder, build the tables and start again:")
    st.code(f"{BUILD_COMMAND}\nmake run", language="bash")
    st.stop()

ward_codes, ward_names = choices.ward_codes, choices.ward_names
indicator_ids, indicator_names = choices.indicator_ids, choices.indicator_names

# First run of a session: take the view from the URL (a shared link), else sensible defaults.
_shared.init_state("ward", valid=ward_codes, default=ward_codes[0] if ward_codes else None)
_shared.init_state("indicator", valid=indicator_ids, default=selection.default_indicator(indicator_ids))
_shared.init_state("level", valid=list(selection.AREA_LEVELS), default="ward")
presenting = _present.active()
if presenting:
    _present.current_ward(ward_codes, st.session_state.ward)
    if page.url_path != PROFILE_PAGE.url_path:  # the slides are the profile page (state kept in the session)
        st.switch_page(PROFILE_PAGE)

if not presenting:  # presentation mode draws no sidebar and no selectors
    with st.sidebar:
        st.markdown(f"**{tidy.place_name}**")  # not a heading: the page's h1 comes first
        st.selectbox(
            "Ward",
            ward_codes,
            format_func=lambda c: ward_names.get(c, c),
            key="ward",
            help="The ward the profile and the highlights are about.",
        )
        st.selectbox(
            "Indicator",
            indicator_ids,
            format_func=lambda i: choices.indicator_labels.get(i, indicator_names.get(i, i)),
            key="indicator",
            help="What the map, the ranking and the scatter show. Grouped by topic; the year comes first. "
            f"Chosen: {indicator_names.get(st.session_state.indicator, '')}.",
        )
        st.radio(
            "Area level",
            list(selection.AREA_LEVELS),
            format_func=selection.AREA_LEVELS.get,
            key="level",
            horizontal=False,
        )
        st.toggle(
            "Presentation mode",
            key="present_switch",
            value=False,
            on_change=_present.switch_changed,
            help="Ward profiles as full-screen slides for a shared screen (or add ?present=1 to the link).",
        )
        st.caption(f"Data built {tidy.build.get('built', 'unknown')}. Sources and licences: see *Data and sources*.")

subject = ward_names.get(st.session_state.ward) if page.url_path == PROFILE_PAGE.url_path else tidy.place_name
st.set_page_config(page_title=_style.page_title(page=page.title, subject=subject))
_shared.sync_query_params(
    ward=st.session_state.ward, indicator=st.session_state.indicator, level=st.session_state.level
)
_shared.set_context(
    _shared.Context(
        tidy=tidy,
        ward=st.session_state.ward,
        indicator=st.session_state.indicator,
        level=st.session_state.level,
        ward_names=ward_names,
        indicator_ids=indicator_ids,
    )
)
if presenting:
    _present.render_controls(ward_names)
    _present.sync_url(st.session_state.ward)
if page.url_path != "data":  # every page but Data and sources shows register data
    _shared.watch_register()
try:
    with _boundary.boundary(page.url_path or "map") as drawing:  # one error boundary around every page
        page.run()
    if not drawing.failed:
        loaders.warm_ward_profiles(tidy, ward_names)  # after the page is drawn: first views of other wards come ready
finally:
    # The app's CSS (a constant: never user text), last so that pages' own elements come first.
    _style.render_css()
    # PLACE_INSIGHT_RUN_LOG: append each run's duration (seconds, page, session) for the bench's load test.
    if run_log := settings.run_log_path():
        from streamlit.runtime.scriptrunner import get_script_run_ctx

        session = getattr(get_script_run_ctx(), "session_id", "")
        with open(run_log, "a", encoding="utf-8") as fh:
            fh.write(f"{time.perf_counter() - _run_started:.4f}\t{page.url_path or 'map'}\t{session}\n")
