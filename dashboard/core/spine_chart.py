"""The spine chart: each indicator for a ward as a percentage of England's value, with its 95%
confidence interval, the place's value, and a marker whose colour, symbol and words say how it
compares. Value labels sit in a column beside the plot (``chart_style.value_column``)."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from dashboard.core import statistics, theme
from dashboard.core.chart_style import (
    FONT,
    SIGNIFICANCE_STYLE,
    SPINE_CAP,
    TITLE_TOP,
    TOP_LEGEND,
    VALUE_COLUMN_PX,
    value_column,
)
from dashboard.core.wording import format_value, significance_text, wrap


def spine_index(rows: pd.DataFrame) -> pd.DataFrame:
    """The spine rows with the ward, its CI and the place as a percentage of England (``index``,
    ``index_lo``, ``index_hi``, ``place_index``; capped at SPINE_CAP, ``index_true`` uncapped)."""
    rows = rows.copy()
    reference = rows["england_value"]
    rows["index"] = rows["value"] / reference * 100
    rows["index_lo"] = rows["lower_ci"] / reference * 100
    rows["index_hi"] = rows["upper_ci"] / reference * 100
    rows["place_index"] = rows["place_value"] / reference * 100
    rows["index_true"] = rows["index"]
    for column in ("index", "index_lo", "index_hi", "place_index"):
        rows[column] = rows[column].clip(upper=SPINE_CAP)
    return rows


def build_spine_chart(rows: pd.DataFrame, *, ward_name: str, place_name: str) -> go.Figure:
    """Each indicator for the ward as an index of England (England = 100), with its CI, the
    place's value, and a marker whose colour, symbol and text all say whether the ward is
    significantly better, similar or worse than England. Rows need an England value."""
    rows = spine_index(rows)
    rows["label"] = [wrap(str(n), 34) for n in rows["name"]]
    order = rows["label"].tolist()[::-1]
    traces = []
    place_rows = rows[rows["place_index"].notna()]
    traces.append(
        go.Scatter(
            x=place_rows["place_index"],
            y=place_rows["label"],
            mode="markers",
            marker={"symbol": "line-ns-open", "size": 22, "color": "#000000", "line": {"width": 3}},
            name=place_name,
            customdata=[
                format_value(v, value_type=t, unit=u, decimals=d)
                for v, t, u, d in zip(
                    place_rows["place_value"],
                    place_rows["value_type"],
                    place_rows["unit"],
                    place_rows["decimals"],
                    strict=True,
                )
            ],
            hovertemplate=f"{place_name}: %{{customdata}}<extra></extra>",
        )
    )
    value_labels: list[tuple[str, str]] = []  # (row, text): written in a column right of the plot
    for category, style in SIGNIFICANCE_STYLE.items():
        part = rows[(rows["significance"] == category) & rows["index"].notna()]
        if part.empty:
            continue
        texts = [
            f"{format_value(v, value_type=t, unit='', decimals=d)} · {style['label'].lower()}"
            + (f" · off scale, {i / 100:.1f}x England" if i > SPINE_CAP else "")
            for v, t, d, i in zip(
                part["value"], part["value_type"], part["decimals"], part["index_true"].fillna(0), strict=True
            )
        ]
        hovers = [
            f"<b>{n}</b><br>{ward_name}: {format_value(v, value_type=t, unit=u, decimals=d)}<br>"
            f"{place_name}: {format_value(p, value_type=t, unit=u, decimals=d)}<br>England: "
            f"{format_value(e, value_type=t, unit=u, decimals=d)}<br>"
            f"{significance_text(category, reference=c or 'England')}"
            for n, v, p, e, t, u, d, c in zip(
                part["name"],
                part["value"],
                part["place_value"],
                part["england_value"],
                part["value_type"],
                part["unit"],
                part["decimals"],
                part["compared_with"],
                strict=True,
            )
        ]
        error = {
            "type": "data",
            "symmetric": False,
            "array": (part["index_hi"] - part["index"]).fillna(0),
            "arrayminus": (part["index"] - part["index_lo"]).fillna(0),
            "color": "#555555",
            "thickness": 1.5,
        }
        value_labels += list(zip(part["label"], texts, strict=True))
        traces.append(
            go.Scatter(
                x=part["index"],
                y=part["label"],
                mode="markers",
                marker={
                    "symbol": style["symbol"],
                    "size": 15,
                    "color": style["color"],
                    "line": {"width": 2 if style["symbol"].endswith("-open") else 1.5, "color": "#333333"},
                },
                error_x=error,
                cliponaxis=False,
                text=texts,
                name=f"{ward_name}: {style['label'].lower()}",
                hovertext=hovers,
                hoverinfo="text",
            )
        )
    missing = rows[rows["value"].isna()]
    if len(missing):
        missing_texts = [f"missing ({n})" if isinstance(n, str) and n else "missing" for n in missing["value_note"]]
        value_labels += list(zip(missing["label"], missing_texts, strict=True))
        traces.append(
            go.Scatter(
                x=[100] * len(missing),
                y=missing["label"],
                mode="markers",
                marker={"symbol": SIGNIFICANCE_STYLE[statistics.MISSING]["symbol"], "size": 12, "color": "#1a1a1a"},
                text=missing_texts,
                name=f"{ward_name}: missing",
                hoverinfo="text",
            )
        )
    # The England line is a plain shape and label in the layout (add_vline costs more than the traces).
    england_line = {
        "type": "line",
        "xref": "x",
        "x0": 100,
        "x1": 100,
        "yref": "paper",
        "y0": 0,
        "y1": 1,
        "line": {"color": "#333333", "width": 2},
    }
    england_label = {
        "text": "England = 100",
        "xref": "x",
        "x": 100,
        "xanchor": "left",
        "yref": "paper",
        "y": 0,
        "yanchor": "bottom",
        "showarrow": False,
    }
    return go.Figure(
        data=traces,
        layout={
            "title": {"text": f"{ward_name} against England and {place_name} (England = 100)", **TITLE_TOP},
            "xaxis": {
                "title": "Ward value as % of the England value (bars: 95% confidence interval)",
                "zeroline": False,
                "showgrid": True,
                "gridcolor": "#eeeeee",
            },
            "yaxis": {"categoryorder": "array", "categoryarray": order, "title": ""},
            "height": max(320, 150 + 44 * len(rows)),
            "margin": {"l": 10, "r": VALUE_COLUMN_PX, "t": 160, "b": 60},
            "font": FONT,
            "template": theme.TEMPLATE,
            "legend": TOP_LEGEND,
            "plot_bgcolor": "#ffffff",
            "shapes": [england_line],
            "annotations": [england_label, *value_column(value_labels)],
        },
    )
