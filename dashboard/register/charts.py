"""Figures for the register: point layers over the map and the need-against-activity quadrant.

Pure plotly (no Streamlit); frames in, figures out.

Map layers work offline on the ``white-bg`` map style. That style has no icon sprite, so
``go.Scattermap`` can only draw circles (any other ``marker.symbol`` is silently invisible) and
no text. Each layer's symbol is therefore drawn as small filled polygons (a diamond, a square, a
triangle) in one ``go.Scattermap`` trace with ``fill="toself"`` and a black edge, with the symbol
also in the legend text; a second trace in the same legend group puts a small dot at each point
and carries the hover (name, kind/organisation, ward). The layer's symbol and point count are in
each trace's ``meta``.
"""

from __future__ import annotations

import html
import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from dashboard.core import theme
from dashboard.register import need as need_rules
from dashboard.register import views


@dataclass(frozen=True)
class LayerStyle:
    """One point layer: Okabe-Ito colour (colour-blind safe) and its own shape."""

    key: str
    label: str
    symbol: str  # "diamond" | "square" | "triangle-up"
    glyph: str  # the same shape as a character, for the legend
    colour: str
    kind_word: str  # what the hover calls the ``kind`` column


ACTIVITY_LAYER = LayerStyle("activities", "Partner activities (register)", "diamond", "◆", "#cc79a7", "Organisation")
GP_LAYER = LayerStyle("gp_practice", "GP practices", "square", "■", "#009e73", "Site")
PHARMACY_LAYER = LayerStyle("pharmacy", "Pharmacies", "triangle-up", "▲", "#e69f00", "Site")
SITE_LAYERS = (GP_LAYER, PHARMACY_LAYER)
EDGE_COLOUR = "#111111"
# A shape's corners on a unit circle (angles in degrees, 0 = east, counter-clockwise).
SHAPES: dict[str, tuple[float, ...]] = {
    "diamond": (0, 90, 180, 270),
    "square": (45, 135, 225, 315),
    "triangle-up": (90, 210, 330),
}

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


def glyph_outline(
    lons: list[float], lats: list[float], *, symbol: str, radius: float
) -> tuple[list[float | None], list[float | None]]:
    """Closed polygons of ``symbol`` around each point, separated by None; ``radius`` in degrees
    of latitude (longitudes are stretched by 1/cos(lat) so the shapes look square on the map)."""
    corners = SHAPES[symbol]
    out_lon: list[float | None] = []
    out_lat: list[float | None] = []
    for lon, lat in zip(lons, lats, strict=True):
        stretch = 1 / max(math.cos(math.radians(lat)), 0.1)
        ring = [
            (lon + radius * stretch * math.cos(math.radians(a)), lat + radius * math.sin(math.radians(a)))
            for a in corners
        ]
        ring.append(ring[0])
        out_lon.extend(p[0] for p in ring)
        out_lat.extend(p[1] for p in ring)
        out_lon.append(None)
        out_lat.append(None)
    return out_lon, out_lat


def build_point_layer(
    points: pd.DataFrame, *, style: LayerStyle, radius: float, visible: bool = True
) -> list[go.Scattermap]:
    """The two traces of one layer (shapes + hover dots) for ``points`` (lon, lat, name, kind,
    ward_name, placed). An empty layer still has a legend entry saying "none"."""
    n = len(points)
    name = f"{style.glyph} {style.label}: {n}" if n else f"{style.glyph} {style.label}: none"
    lons, lats = glyph_outline(points["lon"].tolist(), points["lat"].tolist(), symbol=style.symbol, radius=radius)
    meta = {"layer": style.key, "symbol": style.symbol, "points": n}
    shapes = go.Scattermap(
        lon=lons,
        lat=lats,
        mode="lines",
        fill="toself",
        fillcolor=style.colour,
        line={"color": EDGE_COLOUR, "width": 1.5},
        name=name,
        legendgroup=style.key,
        showlegend=True,
        hoverinfo="skip",
        meta=meta,
        visible=visible,
    )
    custom = (
        np.column_stack(
            [points[c].astype(str).map(html.escape).to_numpy() for c in ("name", "kind", "ward_name", "placed")]
        )
        if n
        else np.empty((0, 4))
    )
    dots = go.Scattermap(
        lon=points["lon"].tolist(),
        lat=points["lat"].tolist(),
        mode="markers",
        marker={"size": 7, "color": EDGE_COLOUR, "symbol": "circle"},
        customdata=custom,
        hovertemplate=f"<b>%{{customdata[0]}}</b><br>{style.kind_word}: %{{customdata[1]}}<br>Ward: %{{customdata[2]}}<br>Shown %{{customdata[3]}}<extra></extra>",
        name=f"{style.label} (points)",
        legendgroup=style.key,
        showlegend=False,
        meta={**meta, "hover": True},
        visible=visible,
    )
    return [shapes, dots]


def add_point_layers(fig: go.Figure, layers: list[tuple[pd.DataFrame, LayerStyle]], *, radius: float) -> go.Figure:
    """A copy of ``fig`` with each (points, style) layer added on top, in order."""
    out = go.Figure(fig)
    for points, style in layers:
        for trace in build_point_layer(points, style=style, radius=radius):
            out.add_trace(trace)
    out.update_layout(legend={"title": {"text": "On the map"}})
    return out


def glyph_radius(bounds: tuple[float, float, float, float] | None) -> float:
    """A glyph size (degrees of latitude) about 1.5% of the place's larger extent."""
    if bounds is None:
        return 0.002
    min_lon, min_lat, max_lon, max_lat = bounds
    return max(max_lon - min_lon, max_lat - min_lat) * 0.015


def add_activity_counts_to_hover(fig: go.Figure, counts: pd.Series) -> go.Figure:
    """A copy of ``fig`` whose first choropleth's hover also says how many register activities
    each area has (``counts`` indexed by area code; areas not in it say 0)."""
    out = go.Figure(fig)
    for trace in out.data:
        if trace.type != "choroplethmap" or trace.customdata is None:
            continue
        locations = list(trace.locations)
        extra = np.array([[f"{int(counts.get(code, 0))}"] for code in locations], dtype=object)
        trace.customdata = np.hstack([np.asarray(trace.customdata, dtype=object), extra])
        column = np.asarray(trace.customdata).shape[1] - 1
        trace.hovertemplate = trace.hovertemplate.replace(
            "<extra></extra>", f"<br>Partner activities in the register: %{{customdata[{column}]}}<extra></extra>"
        )
        break
    return out


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
                hovertemplate="<b>%{text}</b><br>Need: %{x}<br>Activities: %{customdata[0]}<br>Attendances a year per 1,000: %{customdata[1]}<br>Need rank: %{customdata[2]}<extra></extra>",
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
                "text": f"Dashed lines: the medians across wards (need {need_median:.3g}; activity {activity_median:.3g})"
            },
        },
        xaxis={"title": f"{need_label} ({'higher' if higher_is_more_need else 'lower'} = more need)", "range": x_range},
        yaxis={"title": MEASURE_LABELS.get(measure, measure), "range": y_range},
        height=560,
        margin={"l": 10, "r": 20, "t": 100, "b": 60},
        font={"size": 15, "color": theme.TEXT},
        template=theme.TEMPLATE,
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.0, "xanchor": "left", "x": 0},
        plot_bgcolor="#ffffff",
    )
    fig.update_xaxes(showgrid=True, gridcolor="#eeeeee")
    fig.update_yaxes(showgrid=True, gridcolor="#eeeeee")
    return fig


def with_partner_layers(
    fig: go.Figure,
    *,
    activities: pd.DataFrame | None,
    sites: pd.DataFrame | None,
    ward_geojson: dict,
    ward_names: dict[str, str],
    bounds: tuple[float, float, float, float] | None,
    counts_in_hover: bool = True,
) -> go.Figure:
    """``fig`` (a choropleth) with the partner layers on top: register activities (``Store.frame()``;
    None = layer off) placed at their point or jittered around their ward's centre, and the public
    partner sites (the tidy ``partner_sites``; None = layer off) as GP practice and pharmacy
    layers. With ``counts_in_hover`` (ward maps) each ward's hover says how many activities it has."""
    radius = glyph_radius(bounds)
    layers: list[tuple[pd.DataFrame, LayerStyle]] = []
    if activities is not None:
        points = views.activity_points(
            activities, centroids=views.ward_centroids(ward_geojson), ward_names=ward_names, jitter_radius=radius * 1.6
        )
        layers.append((points, ACTIVITY_LAYER))
    if sites is not None:
        points = views.site_points(sites, ward_names=ward_names)
        layers.extend((points[points["site_kind"] == style.key], style) for style in SITE_LAYERS)
    out = add_point_layers(fig, layers, radius=radius) if layers else go.Figure(fig)
    if activities is not None and counts_in_hover:
        out = add_activity_counts_to_hover(out, views.ward_activity_counts(activities, ward_names))
    return out
