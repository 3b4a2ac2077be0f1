"""The app's own styling for WCAG 2.2 AA: readable captions and disabled labels (>= 4.5:1),
a visible 2 px focus outline (>= 3:1) on every control, and second-level headings sized like
the old subheaders. Static CSS only: no user text is ever put into it. Not a page itself."""

from __future__ import annotations

import streamlit as st

FOCUS = "#0072b2"  # Okabe-Ito blue: 5.1:1 on white
CAPTION = "#4d4d4d"  # 8.5:1 on white
DISABLED = "#595959"  # 7.0:1 on white
APP_NAME = "Place Insight"
# The CSS below spells these colours out (it must stay one plain literal: tests/trust).

APP_CSS = """
<style>
[data-testid="stCaptionContainer"], [data-testid="stCaptionContainer"] p,
[data-testid="stWidgetLabel"] p,
[data-testid="stMarkdownContainer"] small { color: #4d4d4d !important; opacity: 1 !important; }
[data-testid="stWidgetLabel"] p { color: #1a1a1a !important; }
[disabled], [aria-disabled="true"], [disabled] p, [aria-disabled="true"] p,
label:has(input[disabled]) p, label:has(input[disabled]) { color: #595959 !important; opacity: 1 !important; }
a:focus-visible, button:focus-visible, [role="tab"]:focus-visible, [role="button"]:focus-visible,
input:focus-visible, textarea:focus-visible, summary:focus-visible,
[tabindex]:not([data-testid="stMain"]):focus-visible,
label:has(input:focus-visible), [data-baseweb="select"]:focus-within {
  outline: 2px solid #0072b2 !important; outline-offset: 2px !important; box-shadow: 0 0 0 4px #ffffff !important;
}
[data-testid="stMetricLabel"] p, [data-testid="stMetricLabel"] div {
  white-space: normal !important; overflow: visible !important; text-overflow: clip !important;
  line-height: 1.25 !important;
}
[data-testid="stSidebar"] [data-baseweb="select"] [value], [data-testid="stSidebar"] [data-baseweb="select"] div {
  white-space: normal !important; text-overflow: clip !important; overflow-wrap: anywhere;
}
/* Chart toolbars out of the tab order: hidden (so not focusable) until the mouse is over the
   chart; keyboard users have each chart's own PNG download button below it. */
[data-testid="stPlotlyChart"] .modebar-container { visibility: hidden !important; }
[data-testid="stPlotlyChart"]:hover .modebar-container { visibility: visible !important; }
[data-testid="stMain"] h2 { font-size: 1.55rem !important; padding-top: 0.9rem !important; }
</style>
"""


def page_title(*, page: str, subject: str | None) -> str:
    """'Central - Ward profile - Place Insight' (a subject first, then the page, then the app)."""
    return " - ".join(part for part in (subject, page, APP_NAME) if part)


def render_css() -> None:
    """Emit the app's CSS (a constant literal: never user text)."""
    st.markdown(APP_CSS, unsafe_allow_html=True)
