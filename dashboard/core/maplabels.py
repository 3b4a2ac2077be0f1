"""Names on the maps without a glyph server. The offline ``white-bg`` map style cannot draw text
(maplibre text needs glyph tiles from a server), so names are plotly annotations laid over the
map: each sits at the map's centre (paper 0.5, 0.5) shifted by its projected distance in pixels
(Web Mercator at the figure's zoom, 512 px tiles, as maplibre draws it). The map does not pan or
zoom (``MAP_CONFIG``), so the names stay where their areas are at any figure width.

Also: the double black-and-white selection outline that shows on every fill and above every
marker, neighbouring districts for orientation, and the short letters (A, B, C ...) that name a
ward's neighbourhoods on its mini-map and in its table."""

from __future__ import annotations

import math
import string

import plotly.graph_objects as go

from dashboard.core import geometry, theme

SELECTION_GROUP = "selected"  # the legend group that marks the selection outline's two traces
NEIGHBOUR_COLOUR = "#7a7a7a"  # 4.3:1 line on white (non-text contrast >= 3:1)
# The map stays where it is drawn (names are laid over it): no drag, no scroll zoom, no zoom buttons.
MAP_CONFIG = {
    "displaylogo": False,
    "scrollZoom": False,
    "doubleClick": False,
    "modeBarButtonsToRemove": ["zoomInMap", "zoomOutMap", "resetViewMap", "pan2d", "lasso2d", "select2d"],
}


def pixel_offset(lon: float, lat: float, *, centre: dict, zoom: float) -> tuple[float, float]:
    """(dx, dy) in CSS pixels from the map's centre to (lon, lat); dy positive = up."""
    scale = 512 * 2**zoom

    def merc(y: float) -> float:
        return math.log(math.tan(math.pi / 4 + math.radians(y) / 2))

    dx = (lon - centre["lon"]) * scale / 360
    dy = (merc(lat) - merc(centre["lat"])) * scale / (2 * math.pi)
    return dx, dy


def name_annotations(
    points: dict[str, tuple[float, float]],
    names: dict[str, str],
    *,
    centre: dict,
    zoom: float,
    bold: set[str] = frozenset(),
    size: int = 12,
    max_dx: float = 330,
    max_dy: float = 240,
    colour: str = theme.TEXT,
) -> list[dict]:
    """One label per area on a white backing (readable on every fill), at its label point;
    areas whose point lies outside the visible box (``max_dx``, ``max_dy`` px) get none, and a
    label that would overlap one already placed is left out (the ``bold`` areas go first; the
    rest keep their hover)."""
    out = []
    placed: list[tuple[float, float, float, float]] = []
    ordered = sorted(points.items(), key=lambda item: item[0] not in bold)
    for code, (lon, lat) in ordered:
        if code not in names:
            continue
        dx, dy = pixel_offset(lon, lat, centre=centre, zoom=zoom)
        if abs(dx) > max_dx or abs(dy) > max_dy:
            continue
        chosen = code in bold
        text = str(names[code])
        lift = 2.2 * size if chosen else 0  # the chosen area's name sits above it, pointing down to it
        box = _label_box(dx, dy + lift, text, size + (1 if chosen else 0))
        if any(_overlaps(box, other) for other in placed):
            continue
        placed.append(box)
        out.append(
            {
                "text": f"<b>{text}</b>" if chosen else text,
                "x": 0.5,
                "y": 0.5,
                "xref": "paper",
                "yref": "paper",
                "xshift": round(dx, 1),
                "yshift": round(dy, 1),
                "showarrow": chosen,
                **(
                    {"ax": 0, "ay": -lift, "arrowcolor": theme.TEXT, "arrowwidth": 1.5, "arrowhead": 0}
                    if chosen
                    else {}
                ),
                "font": {"size": size + (1 if chosen else 0), "color": colour},
                "bgcolor": "rgba(255,255,255,0.82)",
                "bordercolor": theme.TEXT if chosen else "rgba(0,0,0,0)",
                "borderwidth": 1.5 if chosen else 0,
                "borderpad": 1,
                "name": f"label:{code}",
            }
        )
    return out


def _label_box(dx: float, dy: float, text: str, size: float) -> tuple[float, float, float, float]:
    """The label's box in px around its centre (Source Sans: about 0.52 em a character)."""
    half_w, half_h = 0.52 * size * len(text) / 2 + 3, size * 0.75
    return dx - half_w, dy - half_h, dx + half_w, dy + half_h


def _overlaps(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def selection_outline(geojson: dict, codes: list[str]) -> list[go.Scattermap]:
    """The chosen areas' outline as a wide black line under a narrow white one: visible on dark
    and light fills alike, for every kind of colour vision."""
    lons, lats = geometry.outline_coordinates(geojson, codes)
    return [
        go.Scattermap(
            lon=lons,
            lat=lats,
            mode="lines",
            line={"width": width, "color": colour},
            name="Selected" if colour == "#000000" else "Selected (inner line)",
            showlegend=colour == "#000000",
            legendgroup=SELECTION_GROUP,
            hoverinfo="skip",
        )
        for width, colour in ((6, "#000000"), (2.5, "#ffffff"))
    ]


def selection_last(fig: go.Figure) -> go.Figure:
    """``fig`` with the selection outline moved above every other trace (markers never hide it)."""
    outline = [t for t in fig.data if getattr(t, "legendgroup", None) == SELECTION_GROUP]
    if outline:
        fig.data = [t for t in fig.data if getattr(t, "legendgroup", None) != SELECTION_GROUP] + outline
    return fig


def visible_box(*, centre: dict, zoom: float, half_w: float, half_h: float) -> tuple[float, float, float, float]:
    """(min_lon, min_lat, max_lon, max_lat) of the part of the map within half_w / half_h px of its centre."""
    scale = 512 * 2**zoom
    dlon = half_w * 360 / scale
    merc = math.log(math.tan(math.pi / 4 + math.radians(centre["lat"]) / 2))
    lat = lambda m: math.degrees(2 * math.atan(math.exp(m)) - math.pi / 2)  # noqa: E731
    dm = half_h * 2 * math.pi / scale
    return centre["lon"] - dlon, lat(merc - dm), centre["lon"] + dlon, lat(merc + dm)


def neighbour_layer(
    neighbours: dict, *, box: tuple[float, float, float, float] | None = None
) -> tuple[go.Scattermap | None, dict[str, tuple[float, float]], dict[str, str]]:
    """Neighbouring districts for orientation: their ward outlines as a thin grey line, and a
    label point and name per district (from the neighbour wards' ``lad_code``/``lad_name``),
    placed inside the part of the district that is on screen (``box``)."""
    features = neighbours.get("features", []) if neighbours else []
    if not features:
        return None, {}, {}
    lons, lats = geometry.outline_coordinates(neighbours)
    trace = go.Scattermap(
        lon=lons,
        lat=lats,
        mode="lines",
        line={"width": 1, "color": NEIGHBOUR_COLOUR},
        name="Neighbouring districts",
        hoverinfo="skip",
    )
    by_district: dict[str, list] = {}
    names: dict[str, str] = {}
    for f in features:
        props = f.get("properties", {})
        code = props.get("lad_code") or props.get("area_code")
        by_district.setdefault(code, []).append(f)
        names[code] = str(props.get("lad_name") or code)
    points = {}
    for code, group in by_district.items():
        merged = _dissolve(group, box=box)
        if merged is not None:
            points[code] = merged
    return trace, points, names


def _dissolve(features: list[dict], *, box: tuple[float, float, float, float] | None) -> tuple[float, float] | None:
    from shapely.geometry import box as shapely_box
    from shapely.geometry import mapping, shape
    from shapely.ops import unary_union

    union = unary_union([shape(f["geometry"]) for f in features if f.get("geometry")])
    if box is not None:
        union = union.intersection(shapely_box(*box))
    if union.is_empty:
        return None
    collection = {"features": [{"properties": {"area_code": "x"}, "geometry": mapping(union)}]}
    return geometry.label_points(collection).get("x")


def letters(codes: list[str]) -> dict[str, str]:
    """'A', 'B', ... 'Z', 'AA' ... for codes in the order given."""
    out = {}
    for i, code in enumerate(codes):
        first, rest = divmod(i, 26)
        out[code] = (string.ascii_uppercase[first - 1] if first else "") + string.ascii_uppercase[rest]
    return out
