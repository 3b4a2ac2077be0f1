"""The IMD domains chart: 2019 and 2025 scores side by side, one small panel per domain (each
domain has its own scale), the years as categories and a missing year written out."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from dashboard.core import theme
from dashboard.core.chart_style import FONT, TITLE_TOP, TOP_LEGEND
from dashboard.core.wording import format_value


def build_domain_chart(domains: pd.DataFrame, *, ward_name: str) -> go.Figure:
    """IMD domain scores 2019 and 2025 side by side, one small panel per domain (each domain has
    its own scale, so bars are compared within a domain only; higher = more deprived).

    The panels are laid out directly (one x/y axis pair each, stacked by domain) rather than with
    ``make_subplots``, whose per-call layout updates cost more than everything else on the page.
    """
    n = max(len(domains), 1)
    gap = min(0.5 / n, 0.08)
    height = (1.0 - gap * (n - 1)) / n
    traces, layout_axes, titles = [], {}, []
    series = (
        ("score_2019", "IoD 2019 (2011 LSOAs)", "#9a9a9a", "/"),
        ("score_2025", "IoD 2025 (2021 LSOAs)", "#0072b2", ""),
    )
    for i, row in enumerate(domains.itertuples(index=False), start=1):
        top = 1.0 - (i - 1) * (height + gap)
        suffix = "" if i == 1 else str(i)
        present = [v for v in (row.score_2019, row.score_2025) if not pd.isna(v)]
        biggest = max((abs(v) for v in present), default=0)
        decimals = 1 if biggest >= 10 else 2 if biggest >= 1 else 3
        for column, year, colour, pattern in series:
            value = getattr(row, column)
            traces.append(
                go.Bar(
                    y=[year.split(" ")[1]],
                    x=[value],
                    orientation="h",
                    name=year,
                    legendgroup=year,
                    showlegend=i == 1,
                    marker={"color": colour, "pattern": {"shape": pattern}},
                    text=[format_value(value, value_type="score", decimals=decimals)],
                    textposition="outside",
                    cliponaxis=False,
                    xaxis=f"x{suffix}",
                    yaxis=f"y{suffix}",
                )
            )
        layout_axes[f"xaxis{suffix}"] = {"domain": [0, 1], "anchor": f"y{suffix}"}
        layout_axes[f"yaxis{suffix}"] = {
            "domain": [round(max(top - height, 0.0), 6), round(min(top, 1.0), 6)],
            "anchor": f"x{suffix}",
            "autorange": "reversed",
            "type": "category",  # "2019" is a label, not a date
            "categoryorder": "array",
            "categoryarray": ["2019", "2025"],
        }
        for column, year, _colour, _pattern in series:
            if pd.isna(getattr(row, column)):  # say so where a bar would be
                titles.append(
                    {
                        "text": f"no {year.split(' ')[1]} figure",
                        "x": 0,
                        "xref": f"x{suffix}",
                        "xanchor": "left",
                        "y": year.split(" ")[1],
                        "yref": f"y{suffix}",
                        "showarrow": False,
                        "font": {"color": theme.MUTED_TEXT, "size": 13},
                    }
                )
        titles.append(
            {
                "text": str(row.label),
                "x": 0,
                "xanchor": "left",
                "xref": "paper",
                "y": top,
                "yanchor": "bottom",
                "yref": "paper",
                "showarrow": False,
                "font": {"size": 14},
            }
        )
    return go.Figure(
        data=traces,
        layout={
            "title": {"text": f"{ward_name}: IMD domain scores, 2019 and 2025 (higher = more deprived)", **TITLE_TOP},
            "height": max(320, 150 + 110 * n),
            "margin": {"l": 10, "r": 60, "t": 150, "b": 30},
            "font": FONT,
            "template": theme.TEMPLATE,
            "legend": {**TOP_LEGEND, "y": 1.0 + 0.35 / n},
            "plot_bgcolor": "#ffffff",
            "bargap": 0.25,
            "annotations": titles,
            **layout_axes,
        },
    )
