"""Presentation mode: the ward profile as slides for a shared screen. Not a page itself.

Turn it on with the sidebar switch or the URL: ``?present=1`` (every ward, starting at the
current one) or ``?present=1&wards=E05005209,E05005210`` (those wards, in that order). The
sidebar is not drawn and each ward is one 16:9 slide that fits 1280x720 without scrolling:
an overview (locator map with names, four headline tiles, the five most significant
differences, the partner activity count) and section slides (health, deprivation, partners).
Left / Right (buttons, or the arrow keys via Streamlit's built-in button ``shortcut``) step
through the wards, Up / Down through the sections. The numbers are the ward profile's own
(``core.slides`` builds the slides from the cached ``WardProfile``). "Present these wards" on
the profile and the compare page start it (``start``).
"""

from __future__ import annotations

import streamlit as st

from dashboard.core import selection, slides

PRESENT_KEY = "present"  # the sidebar switch's state and the URL parameter
WARDS_KEY = "present_wards"
INDEX_KEY = "present_index"
SECTION_KEY = "present_section"
# Static CSS (no user text is ever put into it): hide the sidebar and its toggle, widen the
# page and enlarge the text for a projector.
PRESENT_CSS = """
<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stSidebarCollapseButton"],
[data-testid="stExpandSidebarButton"], header[data-testid="stHeader"], [data-testid="stToolbar"],
[data-testid="stDecoration"] { display: none !important; }
[data-testid="stMainBlockContainer"] { max-width: 100% !important; padding: 0.6rem 1.6rem 0 1.6rem !important; }
[data-testid="stMain"] [data-testid="stVerticalBlock"] { gap: 0.45rem !important; }
[data-testid="stMarkdownContainer"] p,
[data-testid="stMarkdownContainer"] li { font-size: 1.3rem !important; line-height: 1.35 !important; }
[data-testid="stMetricValue"],
[data-testid="stMetricValue"] [data-testid="stMarkdownContainer"] p {
  font-size: 2.3rem !important; line-height: 1.15 !important;
}
[data-testid="stMetricLabel"] p { font-size: 1.15rem !important; }
[data-testid="stCaptionContainer"] p { font-size: 1.15rem !important; }
[data-testid="stMain"] h1 {
  font-size: 2.2rem !important; line-height: 1.3 !important; padding: 0.1rem 0 !important;
}
[data-testid="stMain"] h2 {
  font-size: 1.6rem !important; line-height: 1.3 !important; padding: 0.2rem 0 !important;
}
[data-testid="stMarkdownContainer"] table { font-size: 1.2rem !important; }
[data-testid="stMarkdownContainer"] th, [data-testid="stMarkdownContainer"] td { padding: 0.2rem 0.7rem !important; }
[data-testid="stButton"] button p { font-size: 1.05rem !important; }
</style>
"""


def _truthy(value: object) -> bool:
    return str(value).strip().lower() in ("1", "true", "yes", "on")


def init() -> None:
    """On a session's first run, take presentation mode from the URL (``?present=1``)."""
    if PRESENT_KEY not in st.session_state:
        st.session_state[PRESENT_KEY] = _truthy(st.query_params.get(PRESENT_KEY, ""))


def active() -> bool:
    return bool(st.session_state.get(PRESENT_KEY, False))


def slide_wards(ward_codes: list[str], current: str | None) -> list[str]:
    """The wards to step through: ``?wards=`` if it names any, else every ward."""
    if WARDS_KEY not in st.session_state:
        chosen = selection.parse_codes(st.query_params.get("wards"), ward_codes, limit=len(ward_codes))
        st.session_state[WARDS_KEY] = chosen or list(ward_codes)
        start = current if current in st.session_state[WARDS_KEY] else st.session_state[WARDS_KEY][0]
        st.session_state[INDEX_KEY] = 0 if chosen else st.session_state[WARDS_KEY].index(start)
    return st.session_state[WARDS_KEY]


def start(wards: list[str]) -> None:
    """Present ``wards`` (in that order) from the first, overview slide first."""
    st.session_state[PRESENT_KEY] = True
    st.session_state[WARDS_KEY] = list(wards)
    st.session_state[INDEX_KEY] = 0
    st.session_state[SECTION_KEY] = 0
    if wards:
        st.session_state["ward"] = wards[0]


def section() -> str:
    return slides.SECTIONS[st.session_state.get(SECTION_KEY, 0) % len(slides.SECTIONS)][0]


def _section_step(delta: int) -> None:
    st.session_state[SECTION_KEY] = (st.session_state.get(SECTION_KEY, 0) + delta) % len(slides.SECTIONS)


def _step(delta: int) -> None:
    wards = st.session_state.get(WARDS_KEY) or []
    if wards:
        st.session_state[INDEX_KEY] = (st.session_state.get(INDEX_KEY, 0) + delta) % len(wards)
        st.session_state["ward"] = wards[st.session_state[INDEX_KEY]]
        st.session_state[SECTION_KEY] = 0  # a new ward starts on its overview


def switch_changed() -> None:
    """The sidebar switch (its own key, so hiding the sidebar cannot reset presentation mode)."""
    st.session_state[PRESENT_KEY] = bool(st.session_state.get("present_switch"))
    for key in (WARDS_KEY, INDEX_KEY):
        st.session_state.pop(key, None)


def _exit() -> None:
    st.session_state[PRESENT_KEY] = False
    for key in (WARDS_KEY, INDEX_KEY, SECTION_KEY):
        st.session_state.pop(key, None)
    st.query_params.pop(PRESENT_KEY, None)


def current_ward(ward_codes: list[str], current: str | None) -> str | None:
    """The ward on the slide now (and make it the app's chosen ward)."""
    wards = slide_wards(ward_codes, current)
    index = min(st.session_state.get(INDEX_KEY, 0), len(wards) - 1)
    st.session_state["ward"] = wards[index]
    return wards[index]


def _pager(column, label: str, key: str, step, delta: int, icon: str, shortcut: str, what: str, *, disabled=False):
    """One paging button with its arrow-key shortcut."""
    column.button(
        label,
        key=key,
        on_click=step,
        args=(delta,),
        icon=f":material/{icon}:",
        shortcut=shortcut,
        width="stretch",
        disabled=disabled,
        help=f"{what} ({shortcut.lower()} arrow key)",
    )


def render_controls(ward_names: dict[str, str]) -> None:
    """The slide bar: previous / next ward (Left / Right), previous / next section (Up / Down),
    where we are, and Exit; plus the presentation CSS."""
    st.markdown(PRESENT_CSS, unsafe_allow_html=True)  # a constant: never user text
    wards = st.session_state.get(WARDS_KEY) or []
    index = st.session_state.get(INDEX_KEY, 0)
    current = st.session_state.get(SECTION_KEY, 0) % len(slides.SECTIONS)
    cols = st.columns([1.2, 1.1, 3.1, 1.1, 1.0, 0.8], vertical_alignment="center")
    one = len(wards) < 2
    _pager(cols[0], "Previous", "present_prev", _step, -1, "arrow_back", "Left", "Previous ward", disabled=one)
    _pager(cols[1], "Section", "present_up", _section_step, -1, "arrow_upward", "Up", "Previous section")
    where = " · ".join(f"**{label}**" if i == current else label for i, (_k, label) in enumerate(slides.SECTIONS))
    cols[2].markdown(f"Ward {index + 1} of {len(wards)} · {where}", text_alignment="center")
    _pager(cols[3], "Section", "present_down", _section_step, 1, "arrow_downward", "Down", "Next section")
    _pager(cols[4], "Next", "present_next", _step, 1, "arrow_forward", "Right", "Next ward", disabled=one)
    cols[5].button("Exit", key="present_exit", on_click=_exit, icon=":material/close:", width="stretch")


def sync_url(ward: str | None) -> None:
    """Keep ``present=1`` and the slide's wards in the URL so the link reopens the same slides."""
    if st.query_params.get(PRESENT_KEY) != "1":
        st.query_params[PRESENT_KEY] = "1"
    wards = ",".join(st.session_state.get(WARDS_KEY) or [])
    if wards and st.query_params.get("wards") != wards:
        st.query_params["wards"] = wards
    if ward and st.query_params.get("ward") != ward:
        st.query_params["ward"] = ward
