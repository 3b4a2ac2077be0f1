"""What every page shares: the run's context (tidy tables + shared selections), URL syncing,
and the table alternative + CSV download that goes under every chart. Not a page itself."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from dashboard.core import spreadsheet
from dashboard.core.tidy_tables import Tidy

log = logging.getLogger(__name__)

CONTEXT_KEY = "_place_insight_context"
PROFILE_PAGE = "app_pages/ward_profile.py"


@dataclass(frozen=True)
class Context:
    tidy: Tidy
    ward: str
    indicator: str
    level: str
    ward_names: dict[str, str]
    indicator_ids: list[str]


def set_context(context: Context) -> None:
    st.session_state[CONTEXT_KEY] = context


def context() -> Context:
    return st.session_state[CONTEXT_KEY]


def init_state(key: str, *, valid: list[str], default: str | None) -> None:
    """On a session's first run, take ``key`` from the URL if it is valid, else the default."""
    if key in st.session_state and st.session_state[key] in valid:
        return
    requested = st.query_params.get(key)
    st.session_state[key] = requested if requested in valid else default


def sync_query_params(**params: str | None) -> None:
    """Write the view into the URL so a copied link restores it (only when something changed)."""
    for key, value in params.items():
        if value is None:
            continue
        if st.query_params.get(key) != value:
            st.query_params[key] = value


def presenting() -> bool:
    """Presentation mode (see ``_present``): pages skip their widgets (expanders, downloads)."""
    return bool(st.session_state.get("present", False))


Download = pd.DataFrame | Callable[[], pd.DataFrame]


@contextmanager
def lazy_expander(label: str, *, key: str) -> Iterator[bool]:
    """An expander whose content is made only while it is open: yields whether it is. Opening or
    closing it reruns the page (Streamlit's stateful expander), so a closed table, CSV button or
    method note costs nothing on the many reruns that never look at it (30 people switching
    wards in a meeting)."""
    box = st.expander(label, key=f"expander-{key}", on_change="rerun")
    with box:
        yield bool(box.open)


def render_table_alternative(frame: Download, *, label: str, file_name: str, download: Download | None = None) -> None:
    """The table behind a chart (in an expander, made when opened) and a CSV download with
    provenance columns. ``frame`` may be a function returning the table."""
    if presenting():
        return
    with lazy_expander(f"Table: {label}", key=f"table-{file_name}") as open_:
        if not open_:
            return
        shown = frame() if callable(frame) else frame
        st.dataframe(shown, hide_index=True, width="stretch")
        csv_download(shown if download is None else download, file_name=file_name, rows=len(shown))


def csv_download(data: Download, *, file_name: str, label: str = "Download CSV", rows: int | None = None) -> None:
    """A CSV download of a table (pass it with its provenance columns: see
    ``selection.with_provenance`` / ``export.with_provenance``). ``data`` may be a function
    returning the frame: the file is then made only when the button is clicked, not on every
    rerun of every session."""
    if presenting():
        return
    make = data if callable(data) else (lambda: data)
    n = rows if rows is not None else (None if callable(data) else len(data))
    count = f"{n} rows, " if n is not None else ""
    st.download_button(
        f"{label} ({count}with source, vintage, licence and method)",
        data=lambda: spreadsheet.csv_bytes(make()),
        file_name=file_name,
        mime="text/csv",
        key=f"download-{file_name}",
        icon=":material/download:",
        on_click="ignore",
    )


def render_table(frame: pd.DataFrame, *, file_name: str, download: Download, key: str | None = None) -> None:
    """A table shown on the page, with its CSV download (``download``: the rows with provenance,
    or a function returning them)."""
    st.dataframe(frame, hide_index=True, width="stretch", key=key)
    csv_download(download, file_name=file_name, rows=len(frame))


PRESENT_CHART_FONT = 20
REGISTER_POLL_SECONDS = 4  # how soon an open page shows another person's change to the register
REGISTER_STATE_KEY = "_register_state_seen"


@st.fragment(run_every=REGISTER_POLL_SECONDS)
def watch_register() -> None:
    """Every few seconds, ask the register whether anything changed (one small query:
    ``Store.state_key``); if it did, rerun the page so every table, count and map layer shows
    another person's change without a reload. Draws nothing."""
    from dashboard import loaders

    try:
        key = loaders.load_register_store().state_key()
    except Exception:  # no register to watch: the pages say so themselves
        log.debug("register state unavailable", exc_info=True)
        return
    seen = st.session_state.get(REGISTER_STATE_KEY, key)
    st.session_state[REGISTER_STATE_KEY] = key
    # Only a timer run of this fragment reruns the page: a full run is drawing fresh data anyway,
    # and restarting it would drop the click (a Save, say) that started it.
    if key != seen and _fragment_only_run():
        log.info("register changed (%s -> %s): rerunning the page", seen, key)
        st.rerun(scope="app")


def _fragment_only_run() -> bool:
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    return bool(getattr(get_script_run_ctx(), "fragment_ids_this_run", None))


def chart(fig, *, key: str, file_name: str, **kwargs):
    """``st.plotly_chart`` plus a "PNG" download of the same figure, drawn only when clicked
    (kaleido, offline; see ``dashboard.core.export``). Returns what ``st.plotly_chart`` returns."""
    kwargs.setdefault("width", "stretch")
    kwargs.setdefault("theme", None)  # the figures' own theme (dark text, see core/theme.py), not Streamlit's grey
    if presenting():  # a shared screen: larger text in the chart too (on a copy; cached figures stay as they are)
        fig = go.Figure(fig).update_layout(
            font={"size": PRESENT_CHART_FONT}, title_font={"size": PRESENT_CHART_FONT + 6}
        )
    event = st.plotly_chart(fig, key=key, **kwargs)
    if not presenting():
        from dashboard.core import export

        st.download_button(
            "PNG",
            data=lambda: export.figure_png(fig, width=1200, height=int(fig.layout.height or 560), scale=2),
            file_name=file_name,
            mime="image/png",
            key=f"png-{key}",
            icon=":material/image:",
            on_click="ignore",
            help="Download this chart as a PNG image (drawn when you click).",
        )
    return event


def render_partner_panel(ward_code: str) -> None:
    """Partner activity for the ward from the partner register (``_partners.render_ward_panel``)."""
    from dashboard.app_pages import _partners

    try:
        _partners.render_ward_panel(ward_code=ward_code)
    except Exception:  # a broken panel must not take the ward profile down with it
        log.exception("partner panel failed for ward %s", ward_code)
        st.warning("The partner activity panel could not be drawn; the rest of the profile is unaffected.")
