"""Plotly figures built from plain frames. Offline-safe: maps use ``choropleth_map`` on a
white background (no tiles, no CDN). Colours are colour-blind-safe (cividis; Okabe-Ito blue,
orange and grey), and every category also has its own marker symbol and a text label."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from dashboard.core import maplabels, theme
from dashboard.core.chart_style import FONT, TOP_LEGEND, value_column
from dashboard.core.geometry import bounds, label_points, outline_coordinates, view_for
from dashboard.core.wording import format_value, legend_title, wrap

CONTINUOUS_SCALE = "cividis"
MISSING_COLOUR = "#d9d9d9"
OUTLINE_COLOUR = "#111111"
HIGHLIGHT_COLOUR = "#d55e00"  # Okabe-Ito vermillion

WARD_PALETTE = ("#0072b2", "#d55e00", "#009e73", "#cc79a7")
WARD_SYMBOLS = ("circle", "diamond", "square", "triangle-up")


def build_choropleth(
    *,
    frame: pd.DataFrame,
    geojson: dict,
    meta: dict,
    title: str,
    outline: dict | None = None,
    outline_name: str = "Place boundary",
    highlight_codes: list[str] | None = None,
    height: int = 560,
    view_width: int = 640,
    labels: dict[str, str] | None = None,
    view_codes: list[str] | None = None,
    neighbours: dict | None = None,
    label_size: int = 12,
) -> go.Figure:
    """A choropleth of ``frame`` (area_code, area_name, value, value_text, rank_text, source,
    value_note) on ``geojson`` (features keyed by properties.area_code). Missing values are drawn
    grey with their reason; the place outline and highlighted areas are drawn as lines."""
    present = frame[frame["value"].notna()].copy()
    missing = frame[frame["value"].isna()].copy()
    is_decile = meta.get("value_type") == "decile"
    box = (bounds(geojson, view_codes) if view_codes else None) or bounds(outline or geojson) or bounds(geojson)
    if view_codes and box:  # zoomed to a few areas: leave a margin round them
        pad_x, pad_y = (box[2] - box[0]) * 0.12, (box[3] - box[1]) * 0.12
        box = (box[0] - pad_x, box[1] - pad_y, box[2] + pad_x, box[3] + pad_y)
    centre, zoom = view_for(box, width_px=view_width, height_px=height - 80)
    custom = ["area_name", "value_text", "rank_text", "source"]
    range_color = (1, 10) if is_decile else None
    hover = "<b>%{customdata[0]}</b><br>%{customdata[1]}<br>%{customdata[2]}<br>Source: %{customdata[3]}<extra></extra>"
    # go.Choroplethmap is what px.choropleth_map builds, at a third of the cost per rerun.
    fig = go.Figure(
        go.Choroplethmap(
            geojson=geojson,
            featureidkey="properties.area_code",
            locations=present["area_code"],
            z=present["value"],
            coloraxis="coloraxis",
            customdata=present[custom].astype(str).to_numpy(),
            hovertemplate=hover,
            marker={"opacity": 0.9, "line": {"width": 1, "color": "#ffffff"}},
            name=str(meta.get("name")),
        )
    )
    coloraxis: dict = {"colorscale": CONTINUOUS_SCALE}
    if range_color:
        coloraxis.update(cmin=range_color[0], cmax=range_color[1])
    fig.update_layout(
        map={"style": "white-bg", "center": centre, "zoom": zoom},
        coloraxis=coloraxis,
        title={"text": title},
        height=height,
    )
    if len(missing):
        reasons = missing["value_note"].fillna("no reason recorded").astype(str)
        fig.add_trace(
            go.Choroplethmap(
                geojson=geojson,
                featureidkey="properties.area_code",
                locations=missing["area_code"],
                z=np.zeros(len(missing)),
                colorscale=[[0, MISSING_COLOUR], [1, MISSING_COLOUR]],
                showscale=False,
                marker_line_color="#ffffff",
                marker_line_width=1,
                customdata=np.column_stack([missing["area_name"].astype(str), reasons]),
                hovertemplate="<b>%{customdata[0]}</b><br>Missing: %{customdata[1]}<extra></extra>",
                name="Missing (grey)",
                showlegend=True,
            )
        )
    if outline:
        lons, lats = outline_coordinates(outline)
        fig.add_trace(
            go.Scattermap(
                lon=lons,
                lat=lats,
                mode="lines",
                line={"width": 3, "color": OUTLINE_COLOUR},
                name=outline_name,
                hoverinfo="skip",
            )
        )
    annotations: list[dict] = []
    if neighbours:
        half_w, half_h = view_width / 2 - 50, (height - 80) / 2 - 40
        trace, points, names = maplabels.neighbour_layer(
            neighbours, box=maplabels.visible_box(centre=centre, zoom=zoom, half_w=half_w, half_h=half_h)
        )
        if trace is not None:
            fig.add_trace(trace)
            annotations += maplabels.name_annotations(
                points, names, centre=centre, zoom=zoom, max_dx=half_w, max_dy=half_h, colour=theme.MUTED_TEXT
            )
    if highlight_codes:
        fig.add_traces(maplabels.selection_outline(geojson, highlight_codes))
    if labels:
        points = label_points(geojson, list(labels))
        annotations += maplabels.name_annotations(
            points,
            labels,
            centre=centre,
            zoom=zoom,
            bold=set(highlight_codes or ()) if len(highlight_codes or ()) < len(labels) else set(),
            size=label_size,
            max_dx=10_000,
            max_dy=10_000,
        )
    if annotations:
        fig.update_layout(annotations=annotations, dragmode=False)
    colorbar: dict = {"title": {"text": legend_title(meta)}, "len": 0.8}
    if is_decile:
        colorbar.update(
            tickvals=list(range(1, 11)),
            ticktext=["1 most deprived", *[str(i) for i in range(2, 10)], "10 least deprived"],
        )
    fig.update_layout(
        coloraxis_colorbar=colorbar,
        margin={"l": 0, "r": 0, "t": 60, "b": 0},
        font=FONT,
        template=theme.TEMPLATE,
        legend={"orientation": "h", "yanchor": "bottom", "y": 0.01, "x": 0.01, "bgcolor": "rgba(255,255,255,0.8)"},
        clickmode="event+select",
    )
    return fig


# --- ranking, comparison, scatter -------------------------------------------------------------


def build_ranking_chart(
    frame: pd.DataFrame,
    *,
    meta: dict,
    highlight_codes: list[str],
    place_name: str,
    place_value: float | None,
    england_value: float | None,
) -> go.Figure:
    """Every ward ranked on one indicator with 95% CIs as error bars; chosen wards stand out by
    colour and symbol; place and England values as labelled vertical lines; missing wards named."""
    data = frame.sort_values("value", ascending=True, na_position="first").reset_index(drop=True)
    t, _u, d = str(meta.get("value_type")), str(meta.get("unit") or ""), int(meta.get("decimals") or 0)
    fig = go.Figure()
    value_labels: list[tuple[str, str]] = []
    for chosen, style in (
        (False, {"color": "#0072b2", "symbol": "circle", "name": "Wards"}),
        (True, {"color": HIGHLIGHT_COLOUR, "symbol": "diamond", "name": "Chosen ward(s)"}),
    ):
        part = data[data["area_code"].isin(highlight_codes) == chosen]
        part = part[part["value"].notna()]
        if part.empty:
            continue
        value_labels += [
            (n, format_value(v, value_type=t, unit="", decimals=d))
            for n, v in zip(part["area_name"], part["value"], strict=True)
        ]
        fig.add_trace(
            go.Scatter(
                x=part["value"],
                y=part["area_name"],
                mode="markers",
                cliponaxis=False,  # a marker at 0 (or at the axis end) is drawn whole
                marker={
                    "color": style["color"],
                    "symbol": style["symbol"],
                    "size": 13,
                    "line": {"width": 1, "color": "#333333"},
                },
                error_x={
                    "type": "data",
                    "symmetric": False,
                    "array": (part["upper_ci"] - part["value"]).fillna(0),
                    "arrayminus": (part["value"] - part["lower_ci"]).fillna(0),
                    "color": "#555555",
                },
                name=style["name"],
                hovertemplate="<b>%{y}</b><br>%{x}<extra></extra>",
            )
        )
    for value, label, dash in ((place_value, place_name, "dash"), (england_value, "England", "dot")):
        if value is not None and not pd.isna(value):
            fig.add_vline(
                x=float(value),
                line={"color": "#000000", "dash": dash, "width": 2},
                annotation_text=f"{label} {format_value(value, value_type=t, unit='', decimals=d)}",
                annotation_position="bottom right",
            )
    missing = data[data["value"].isna()]
    for row in missing.itertuples(index=False):
        fig.add_annotation(
            x=0,
            xref="paper",
            y=row.area_name,
            text=f"missing: {row.value_note}",
            showarrow=False,
            xanchor="left",
            font={"color": "#444444", "size": 12},
        )
    fig.update_layout(
        title={"text": f"{meta.get('name')}: all wards ranked (bars: 95% confidence interval)"},
        xaxis={"title": legend_title(meta).replace("<br>", " ")},
        yaxis={"categoryorder": "array", "categoryarray": data["area_name"].tolist(), "title": ""},
        height=max(360, 110 + 30 * len(data)),
        margin={"l": 10, "r": 90, "t": 110, "b": 60},
        font=FONT,
        template=theme.TEMPLATE,
        legend=TOP_LEGEND,
        plot_bgcolor="#ffffff",
    )
    fig.update_xaxes(showgrid=True, gridcolor="#eeeeee")
    for annotation in value_column(value_labels):  # values beside the plot, off the whiskers
        fig.add_annotation(annotation)
    return fig


def build_compare_chart(table: pd.DataFrame, *, ward_codes: list[str], ward_names: dict[str, str]) -> go.Figure:
    """Percentage indicators for 2-4 wards as a dot plot (one colour and symbol per ward), with
    England as a black bar marker."""
    rows = table[table["value_type"] == "percentage"].reset_index(drop=True)
    labels = [wrap(str(n), 34) for n in rows["name"]]
    fig = go.Figure()
    for i, code in enumerate(ward_codes):
        fig.add_trace(
            go.Scatter(
                x=rows[code],
                y=labels,
                mode="markers",
                marker={
                    "color": WARD_PALETTE[i % 4],
                    "symbol": WARD_SYMBOLS[i % 4],
                    "size": 14,
                    "line": {"width": 1, "color": "#333333"},
                },
                name=ward_names.get(code, code),
                hovertemplate=f"<b>{ward_names.get(code, code)}</b><br>%{{y}}: %{{x:.1f}}%<extra></extra>",
            )
        )
    fig.add_trace(
        go.Scatter(
            x=rows["england_value"],
            y=labels,
            mode="markers",
            marker={"symbol": "line-ns-open", "size": 22, "color": "#000000", "line": {"width": 3}},
            name="England",
            hovertemplate="England: %{x:.1f}%<extra></extra>",
        )
    )
    fig.update_layout(
        title={"text": "Wards side by side: percentage indicators"},
        xaxis={"title": "% of residents (or households)", "rangemode": "tozero"},
        yaxis={"autorange": "reversed", "title": ""},
        height=max(320, 100 + 40 * len(rows)),
        margin={"l": 10, "r": 20, "t": 100, "b": 60},
        font=FONT,
        template=theme.TEMPLATE,
        legend=TOP_LEGEND,
        plot_bgcolor="#ffffff",
    )
    fig.update_xaxes(showgrid=True, gridcolor="#eeeeee")
    return fig


def build_scatter(
    frame: pd.DataFrame, *, x_meta: dict, y_meta: dict, highlight_codes: list[str], level_label: str
) -> go.Figure:
    """Two indicators across areas (columns area_code, area_name, x, y); chosen areas stand out."""
    data = frame.dropna(subset=["x", "y"])
    r = data["x"].corr(data["y"]) if len(data) > 2 else float("nan")
    fig = go.Figure()
    for chosen, colour, symbol, name in (
        (False, "#0072b2", "circle", level_label),
        (True, HIGHLIGHT_COLOUR, "diamond", "Chosen ward(s)"),
    ):
        part = data[data["area_code"].isin(highlight_codes) == chosen]
        if part.empty:
            continue
        fig.add_trace(
            go.Scatter(
                x=part["x"],
                y=part["y"],
                mode="markers+text" if len(data) <= 30 else "markers",
                text=part["area_name"],
                textposition="top center",
                marker={
                    "color": colour,
                    "symbol": symbol,
                    "size": 12,
                    "line": {"width": 1, "color": "#333333"},
                    "opacity": 0.85,
                },
                name=name,
                hovertemplate="<b>%{text}</b><br>x: %{x}<br>y: %{y}<extra></extra>",
            )
        )
    corr = "" if pd.isna(r) else f" (correlation r = {r:.2f})"
    fig.update_layout(
        title={"text": f"{y_meta.get('name')} against {x_meta.get('name')}{corr}"},
        xaxis={"title": legend_title(x_meta).replace("<br>", " ")},
        yaxis={"title": legend_title(y_meta).replace("<br>", " ")},
        height=560,
        margin={"l": 10, "r": 20, "t": 100, "b": 60},
        font=FONT,
        template=theme.TEMPLATE,
        legend=TOP_LEGEND,
        plot_bgcolor="#ffffff",
    )
    fig.update_xaxes(showgrid=True, gridcolor="#eeeeee")
    fig.update_yaxes(showgrid=True, gridcolor="#eeeeee")
    return fig
