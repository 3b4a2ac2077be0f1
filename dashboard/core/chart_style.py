"""What every chart shares: the base font, legend and title placement, the significance
markers (Okabe-Ito colours with their own symbols) and the column of value labels beside a
plot. No figure is built here (``figures`` and ``spine_chart`` build them)."""

from __future__ import annotations

from dashboard.core import statistics, theme
from dashboard.core.wording import wrap

FONT = {"size": 15, "color": theme.TEXT}
SPINE_CAP = 300.0  # ward values above 3x England are drawn at the edge, labelled with the true ratio
TOP_LEGEND = {"orientation": "h", "yanchor": "bottom", "y": 1.0, "xanchor": "left", "x": 0}
TITLE_TOP = {"y": 1.0, "yref": "container", "yanchor": "top", "pad": {"t": 10}}  # the title above a top legend

# Okabe-Ito: better blue, worse orange/vermillion, similar grey; symbols differ too.
SIGNIFICANCE_STYLE: dict[str, dict] = {
    statistics.WORSE: {"color": "#d55e00", "symbol": "diamond", "label": "Worse"},
    statistics.SIMILAR: {"color": "#8c8c8c", "symbol": "square", "label": "Similar"},
    statistics.BETTER: {"color": "#0072b2", "symbol": "circle", "label": "Better"},
    statistics.HIGHER: {"color": "#56b4e9", "symbol": "triangle-up", "label": "Higher"},
    statistics.LOWER: {"color": "#56b4e9", "symbol": "triangle-down", "label": "Lower"},
    # Open symbols draw in marker.color: dark, so "not tested" is never white on white.
    statistics.NOT_COMPARED: {"color": "#1a1a1a", "symbol": "circle-open", "label": "Not tested"},
    statistics.MISSING: {"color": "#1a1a1a", "symbol": "x-open", "label": "Missing"},
}


VALUE_COLUMN_PX = 200  # the right margin that holds the value labels


def value_column(labels: list[tuple[str, str]], *, size: int | None = None) -> list[dict]:
    """Value labels as a column of annotations just right of the plot, one per row: they can
    never sit on a marker or a whisker, and a value past the axis still says so."""
    font = {"color": theme.TEXT, **({"size": size} if size else {})}
    return [
        {
            "text": wrap(str(text), 26),
            "x": 1.0,
            "xref": "paper",
            "xanchor": "left",
            "xshift": 8,
            "y": y,
            "yref": "y",
            "showarrow": False,
            "align": "left",
            "font": font,
            "name": "value-label",
        }
        for y, text in labels
    ]
