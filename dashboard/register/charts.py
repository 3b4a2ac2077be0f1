"""The register's own figure: need against partner activity, by ward (the quadrant chart).

Pure plotly (no Streamlit); frames in, figures out. The point layers over the map live in
``dashboard.core.partner_layers``.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from dashboard.core import chart_style, theme
from dashboard.register import need as need_rules

QUADRANT_STYLE: dict[str, dict] = {
    need_rules.HIGH_NEED_LOW_ACTIVITY: {"color": "#d55e00", "symbol": "diamond"},
    need_rules.HIGH_NEED_HIGHER_ACTIVITY: {"color": "#0072b2", "symbol": "circle"},
    need_rules.LOWER_NEED_LOW_ACTIVITY: {"color": "#8c8c8c", "symbol": "square"},
    need_rules.LOWER_NEED_HIGHER_ACTIVITY: {"color": "#56b4e9", "symbol": "triangle-up"},
}
MEASURE_LABELS = {
    "activity_per_10000": "Partner activities per 10,000 residents",
    # Reach is what partners count per session, week or month, turned into a year: the same
    # people are counted each time, so it is attendances, not unique people (32 regulars a week
    # are 1,664 attendances a year).
    "reach_per_1000": "Attendances a year per 1,000 residents",
}


# --- need against activity -------------------------------------------------------------------------


def build_need_quadrant_chart(
    table: pd.DataFrame,
    *,
    need_label: str,
    need_median: float,
    activity_median: float,
    measure: str = "activity_per_10000",
    higher_is_more_need: bool = True,
) -> go.Figure:
    """Need (x) against partner activity (y) per ward, with the median lines, the four quadrants
    named in their corners and the high-need, low-activity wards named; one colour and symbol per
    quadrant."""
    data = table[table["value"].notna()]
    fig = go.Figure()
    for quadrant, style in QUADRANT_STYLE.items():
        part = data[data["quadrant"] == quadrant]
        if part.empty:
            continue
        fig.add_trace(
            go.Scatter(
                x=part["value"],
                y=part[measure].fillna(0),
                # Names only for the wards the page flags (high need, low activity): the rest keep
                # their hover, so labels do not pile up on the zero line.
                mode="markers+text" if quadrant == need_rules.HIGH_NEED_LOW_ACTIVITY else "markers",
                text=part["ward_name"],
                textposition="top center",
                marker={
                    "color": style["color"],
                    "symbol": style["symbol"],
                    "size": 14,
                    "line": {"width": 1, "color": "#333333"},
                },
                name=quadrant,
                customdata=np.column_stack(
                    [part["activity_count"], part["reach_per_1000"].round(1).astype(str), part["need_rank"].astype(str)]
                ),
                hovertemplate=(
                    "<b>%{text}</b><br>Need: %{x}<br>Activities: %{customdata[0]}<br>Attendances a year "
                    "per 1,000: %{customdata[1]}<br>Need rank: %{customdata[2]}<extra></extra>"
                ),
            )
        )
    if not math.isnan(need_median):
        fig.add_vline(x=need_median, line={"color": "#444444", "dash": "dash"})
    if not math.isnan(activity_median):
        fig.add_hline(y=activity_median, line={"color": "#444444", "dash": "dot"})
    # Room around the wards so the corner labels and ward names do not sit on the points.
    xs, ys = data["value"].astype(float), data[measure].fillna(0).astype(float)
    x_pad = max((xs.max() - xs.min()) * 0.12, abs(xs.max()) * 0.05, 1e-6) if len(xs) else 1.0
    # At least one activity per 10,000 (or person per 1,000) of headroom, so an empty register
    # draws a readable 0-1 axis instead of micro-units.
    y_top = max(ys.max() if len(ys) else 0.0, activity_median if not math.isnan(activity_median) else 0.0, 1.0)
    x_range = [xs.min() - x_pad, xs.max() + x_pad] if len(xs) else None
    y_range = [-0.18 * y_top, 1.25 * y_top]
    right_is_high = higher_is_more_need
    corners = {
        ("right" if right_is_high else "left", "bottom"): "HIGH NEED, LOW ACTIVITY",
        ("right" if right_is_high else "left", "top"): "high need, higher activity",
        ("left" if right_is_high else "right", "bottom"): "lower need, low activity",
        ("left" if right_is_high else "right", "top"): "lower need, higher activity",
    }
    for (side, level), text in corners.items():
        fig.add_annotation(
            x=0.99 if side == "right" else 0.01,
            y=0.02 if level == "bottom" else 0.98,
            xref="paper",
            yref="paper",
            xanchor=side,
            yanchor=level,
            text=text,
            showarrow=False,
            font={"size": 13, "color": "#d55e00" if text.startswith("HIGH") else "#555555"},
        )
    fig.update_layout(
        title={
            "text": f"{need_label} against partner activity, by ward",
            "subtitle": {
                "text": f"Dashed lines: the medians across wards (need {need_median:.3g}; activity "
                f"{activity_median:.3g})"
            },
        },
        xaxis={"title": f"{need_label} ({'higher' if higher_is_more_need else 'lower'} = more need)", "range": x_range},
        yaxis={"title": MEASURE_LABELS.get(measure, measure), "range": y_range},
        height=560,
        margin={"l": 10, "r": 20, "t": 100, "b": 60},
        font=chart_style.FONT,
        template=theme.TEMPLATE,
        legend=chart_style.TOP_LEGEND,
        plot_bgcolor="#ffffff",
    )
    fig.update_xaxes(showgrid=True, gridcolor="#eeeeee")
    fig.update_yaxes(showgrid=True, gridcolor="#eeeeee")
    return fig
