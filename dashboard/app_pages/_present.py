"""Presentation mode: the ward profile as slides for a shared screen. Not a page itself.

Turn it on with the sidebar switch or the URL: ``?present=1`` (every ward, starting at the
current one) or ``?present=1&wards=E05005209,E05005210`` (those wards, in that order). The
sidebar and the page's widgets (table expanders, downloads) are not drawn, text is larger, and
Previous / Next (buttons, or the left and right arrow keys via Streamlit's built-in button
``shortcut``) step through the wards. The slide is the ward profile page itself, so it shows
the same pieces with the same numbers.
"""

from __future__ import annotations

import streamlit as st

from dashboard.core import selection

PRESENT_KEY = "present"  # the sidebar switch's state and the URL parameter
WARDS_KEY = "present_wards"
INDEX_KEY = "present_index"
# Static CSS (no user text is ever put into it): hide the sidebar and its toggle, widen the
# page and enlarge the text for a projector.
PRESENT_CSS = """
<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stSidebarCollapseButton"],
[data-testid="stExpandSidebarButton"], header [data-testid="stToolbar"] { display: none !important; }
[data-testid="stMainBlockContainer"] { max-width: 100% !important; padding-top: 1.5rem !important; }
[data-testid="stMarkdownContainer"] p,
[data-testid="stMarkdownContainer"] li { font-size: 1.45rem !important; line-height: 1.45 !important; }
[data-testid="stMetricValue"],
[data-testid="stMetricValue"] [data-testid="stMarkdownContainer"] p {
  font-size: 2.6rem !important; line-height: 1.2 !important;
}
[data-testid="stMetricLabel"] p { font-size: 1.2rem !important; }
[data-testid="stCaptionContainer"] p { font-size: 1.1rem !important; }
h1 { font-size: 3.2rem !important; }
h3 { font-size: 2rem !important; }
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


def _step(delta: int) -> None:
    wards = st.session_state.get(WARDS_KEY) or []
    if wards:
        st.session_state[INDEX_KEY] = (st.session_state.get(INDEX_KEY, 0) + delta) % len(wards)
        st.session_state["ward"] = wards[st.session_state[INDEX_KEY]]


def switch_changed() -> None:
    """The sidebar switch (its own key, so hiding the sidebar cannot reset presentation mode)."""
    st.session_state[PRESENT_KEY] = bool(st.session_state.get("present_switch"))
    for key in (WARDS_KEY, INDEX_KEY):
        st.session_state.pop(key, None)


def _exit() -> None:
    st.session_state[PRESENT_KEY] = False
    for key in (WARDS_KEY, INDEX_KEY):
        st.session_state.pop(key, None)
    st.query_params.pop(PRESENT_KEY, None)


def current_ward(ward_codes: list[str], current: str | None) -> str | None:
    """The ward on the slide now (and make it the app's chosen ward)."""
    wards = slide_wards(ward_codes, current)
    index = min(st.session_state.get(INDEX_KEY, 0), len(wards) - 1)
    st.session_state["ward"] = wards[index]
    return wards[index]


def render_controls(ward_names: dict[str, str]) -> None:
    """The slide bar: Previous, 'Ward n of N', Next, Exit; plus the presentation CSS."""
    st.markdown(PRESENT_CSS, unsafe_allow_html=True)  # a constant: never user text
    wards = st.session_state.get(WARDS_KEY) or []
    index = st.session_state.get(INDEX_KEY, 0)
    left, middle, right, end = st.columns([1, 3, 1, 1], vertical_alignment="center")
    left.button(
        "Previous",
        key="present_prev",
        on_click=_step,
        args=(-1,),
        icon=":material/arrow_back:",
        shortcut="Left",
        width="stretch",
        disabled=len(wards) < 2,
    )
    middle.caption(
        f"Ward {index + 1} of {len(wards)}: "
        f"{' · '.join(ward_names.get(w, w) for w in wards[:8])}{' …' if len(wards) > 8 else ''}"
    )
    right.button(
        "Next",
        key="present_next",
        on_click=_step,
        args=(1,),
        icon=":material/arrow_forward:",
        shortcut="Right",
        width="stretch",
        disabled=len(wards) < 2,
    )
    end.button("Exit", key="present_exit", on_click=_exit, icon=":material/close:", width="stretch")


def sync_url(ward: str | None) -> None:
    """Keep ``present=1`` and the slide's wards in the URL so the link reopens the same slides."""
    if st.query_params.get(PRESENT_KEY) != "1":
        st.query_params[PRESENT_KEY] = "1"
    wards = ",".join(st.session_state.get(WARDS_KEY) or [])
    if wards and st.query_params.get("wards") != wards:
        st.query_params["wards"] = wards
    if ward and st.query_params.get("ward") != ward:
        st.query_params["ward"] = ward
