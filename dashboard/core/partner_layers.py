"""Partner layers over the map: register activities and public partner sites as point layers.

Pure pandas and plotly (no Streamlit); frames in, figures out. Activities are placed at their
point when they have one, else jittered around the centre of each ward they serve.

Map layers work offline on the ``white-bg`` map style. That style has no icon sprite, so
``go.Scattermap`` can only draw circles (any other ``marker.symbol`` is silently invisible) and
no text. Each layer's symbol is therefore drawn as small filled polygons (a diamond, a square, a
triangle) in one ``go.Scattermap`` trace with ``fill="toself"`` and a black edge, with the symbol
also in the legend text; a second trace in the same legend group puts a small dot at each point
and carries the hover (name, kind/organisation, ward). The layer's symbol and point count are in
each trace's ``meta``.
"""

from __future__ import annotations

import hashlib
import html
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from dashboard.core.cells import is_missing, list_items

POINT_COLUMNS = ("lon", "lat", "name", "kind", "ward_code", "ward_name", "placed", "record_id")
PLACED_AT_POINT = "at its postcode or point"
PLACED_AT_WARD = "at the ward centre (no postcode given)"


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
        hovertemplate=(
            f"<b>%{{customdata[0]}}</b><br>{style.kind_word}: %{{customdata[1]}}<br>Ward: "
            "%{customdata[2]}<br>Shown %{customdata[3]}<extra></extra>"
        ),
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
        points = activity_points(
            activities, centroids=ward_centroids(ward_geojson), ward_names=ward_names, jitter_radius=radius * 1.6
        )
        layers.append((points, ACTIVITY_LAYER))
    if sites is not None:
        points = site_points(sites, ward_names=ward_names)
        layers.extend((points[points["site_kind"] == style.key], style) for style in SITE_LAYERS)
    out = add_point_layers(fig, layers, radius=radius) if layers else go.Figure(fig)
    if activities is not None and counts_in_hover:
        out = add_activity_counts_to_hover(out, ward_activity_counts(activities, ward_names))
    return out


def ward_activity_counts(frame: pd.DataFrame, ward_codes: Iterable[str]) -> pd.Series:
    """How many activities each ward has (an activity in several wards counts in each); every
    ward in ``ward_codes`` appears, with 0 when it has none."""
    codes = list(ward_codes)
    counts = dict.fromkeys(codes, 0)
    if not frame.empty:
        for ws, loc in zip(frame["wards"], frame["location_ward_code"], strict=True):
            for code in set(list_items(ws)) | ({loc} if isinstance(loc, str) and loc else set()):
                if code in counts:
                    counts[code] += 1
    return pd.Series(counts, name="partner_activities", dtype="int64")


# --- map points --------------------------------------------------------------------------------


def ward_centroids(geojson: Mapping[str, Any]) -> dict[str, tuple[float, float]]:
    """(lon, lat) of each ward's largest ring's area centroid, keyed by ``properties.area_code``."""
    out: dict[str, tuple[float, float]] = {}
    for feature in geojson.get("features", []):
        code = feature.get("properties", {}).get("area_code")
        geometry = feature.get("geometry") or {}
        polygons = (
            [geometry.get("coordinates", [])]
            if geometry.get("type") == "Polygon"
            else geometry.get("coordinates", [])
            if geometry.get("type") == "MultiPolygon"
            else []
        )
        best: tuple[float, float, float] | None = None
        for polygon in polygons:
            if not polygon:
                continue
            ring = polygon[0]
            area = cx = cy = 0.0
            for (x0, y0), (x1, y1) in zip(ring, ring[1:], strict=False):
                cross = x0 * y1 - x1 * y0
                area += cross
                cx += (x0 + x1) * cross
                cy += (y0 + y1) * cross
            if area == 0:
                xs, ys = [p[0] for p in ring], [p[1] for p in ring]
                candidate = (0.0, sum(xs) / len(xs), sum(ys) / len(ys))
            else:
                candidate = (abs(area) / 2, cx / (3 * area), cy / (3 * area))
            if best is None or candidate[0] > best[0]:
                best = candidate
        if code and best is not None:
            out[str(code)] = (best[1], best[2])
    return out


def jitter(key: str, *, radius: float) -> tuple[float, float]:
    """A small, repeatable offset (dlon, dlat) for ``key``: the same activity lands on the same
    spot on every rerun, and activities sharing a ward centre do not sit on top of each other."""
    digest = hashlib.sha256(key.encode("utf-8")).digest()
    angle = digest[0] / 255 * 2 * math.pi
    distance = radius * (0.35 + 0.65 * digest[1] / 255)
    return distance * math.cos(angle), distance * math.sin(angle)


def activity_points(
    frame: pd.DataFrame,
    *,
    centroids: Mapping[str, tuple[float, float]],
    ward_names: Mapping[str, str],
    jitter_radius: float = 0.003,
) -> pd.DataFrame:
    """Map points for activities: at the activity's point (postcode or lon/lat) when it has one,
    else one point per ward it serves at that ward's centre, jittered by ``jitter_radius``
    degrees. Columns ``POINT_COLUMNS``; ``kind`` holds the organisation and sector."""
    rows: list[dict[str, Any]] = []
    for row in frame.itertuples(index=False):
        kind = f"{row.organisation} ({row.sector})"
        if not is_missing(row.lon) and not is_missing(row.lat):
            ward = (
                row.location_ward_code
                if isinstance(row.location_ward_code, str)
                else (list_items(row.wards) or ("",))[0]
            )
            rows.append(
                {
                    "lon": float(row.lon),
                    "lat": float(row.lat),
                    "name": row.title,
                    "kind": kind,
                    "ward_code": ward,
                    "ward_name": ward_names.get(ward, ward),
                    "placed": PLACED_AT_POINT,
                    "record_id": row.record_id,
                }
            )
            continue
        for ward in list_items(row.wards):
            if ward not in centroids:
                continue
            lon, lat = centroids[ward]
            dlon, dlat = jitter(f"{row.record_id}:{ward}", radius=jitter_radius)
            rows.append(
                {
                    "lon": lon + dlon / math.cos(math.radians(lat)),
                    "lat": lat + dlat,
                    "name": row.title,
                    "kind": kind,
                    "ward_code": ward,
                    "ward_name": ward_names.get(ward, ward),
                    "placed": PLACED_AT_WARD,
                    "record_id": row.record_id,
                }
            )
    return pd.DataFrame(rows, columns=list(POINT_COLUMNS))


def site_points(
    sites: pd.DataFrame, *, ward_names: Mapping[str, str], kinds: Sequence[str] | None = None
) -> pd.DataFrame:
    """Map points for the public partner sites in the place (GP practices, pharmacies) that have
    coordinates; ``kind`` is the site kind in words plus its ODS code."""
    s = sites[sites["lon"].notna() & sites["lat"].notna()]
    if "in_place" in s.columns:
        s = s[s["in_place"].fillna(False).astype(bool)]
    if kinds is not None:
        s = s[s["kind"].isin(list(kinds))]
    words = {"gp_practice": "GP practice", "pharmacy": "Pharmacy"}
    return pd.DataFrame(
        {
            "lon": s["lon"].astype(float),
            "lat": s["lat"].astype(float),
            "name": s["name"].astype(str),
            "kind": [
                f"{words.get(k, str(k).replace('_', ' '))} {o}".strip()
                for k, o in zip(s["kind"], s["org_code"].fillna(""), strict=True)
            ],
            "ward_code": s["ward_code"].astype(str),
            "ward_name": [ward_names.get(w, w) for w in s["ward_code"].astype(str)],
            "placed": "at its address",
            "record_id": s["site_id"].astype(str),
            "site_kind": s["kind"].astype(str),
        }
    ).reset_index(drop=True)


# --- problems, history, conflicts -----------------------------------------------------------------
