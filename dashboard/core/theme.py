"""The figures' theme: dark text on white, so every label in a chart reads at >= 4.5:1 contrast
(WCAG 2.2 AA), whatever page or export draws it. Registered as a plotly template and made the
default when this module is imported (``dashboard.core.figures`` imports it)."""

from __future__ import annotations

import plotly.graph_objects as go
import plotly.io as pio

TEXT = "#1a1a1a"  # 17.4:1 on white
MUTED_TEXT = "#4d4d4d"  # 8.5:1 on white: secondary labels (notes, "missing" text)
GRID = "#e6e6e6"
AXIS_LINE = "#595959"
FONT_FAMILY = '"Source Sans", "Source Sans Pro", "Helvetica Neue", Arial, sans-serif'
TEMPLATE_NAME = "place_insight"

_axis = {
    "color": TEXT,
    "tickfont": {"color": TEXT},
    "title": {"font": {"color": TEXT}},
    "gridcolor": GRID,
    "linecolor": AXIS_LINE,
    "zerolinecolor": GRID,
    "automargin": True,
}
TEMPLATE = go.layout.Template(
    layout={
        "font": {"color": TEXT, "family": FONT_FAMILY},
        "title": {"font": {"color": TEXT}},
        "paper_bgcolor": "#ffffff",
        "plot_bgcolor": "#ffffff",
        "xaxis": _axis,
        "yaxis": _axis,
        "legend": {"font": {"color": TEXT}},
        "coloraxis": {"colorbar": {"tickfont": {"color": TEXT}, "title": {"font": {"color": TEXT}}}},
        "hoverlabel": {"font": {"color": TEXT}, "bgcolor": "#ffffff", "bordercolor": AXIS_LINE},
        "annotationdefaults": {"font": {"color": TEXT}},
    }
)
pio.templates[TEMPLATE_NAME] = TEMPLATE
pio.templates.default = TEMPLATE_NAME


def contrast_ratio(foreground: str, background: str = "#ffffff") -> float:
    """WCAG 2.x contrast ratio of two ``#rrggbb`` colours (1 to 21)."""

    def luminance(colour: str) -> float:
        channels = [int(colour.lstrip("#")[i : i + 2], 16) / 255 for i in (0, 2, 4)]
        linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    high, low = sorted((luminance(foreground), luminance(background)), reverse=True)
    return (high + 0.05) / (low + 0.05)
