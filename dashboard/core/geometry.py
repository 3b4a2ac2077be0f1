"""GeoJSON helpers for the maps: rings, outlines, bounds, the view that fits them, subsets."""

from __future__ import annotations

import math


def rings(geometry: dict) -> list[list[list[float]]]:
    if not geometry:
        return []
    if geometry["type"] == "Polygon":
        return list(geometry["coordinates"])
    if geometry["type"] == "MultiPolygon":
        return [ring for polygon in geometry["coordinates"] for ring in polygon]
    return []


def outline_coordinates(geojson: dict, codes: list[str] | None = None) -> tuple[list[float | None], list[float | None]]:
    """Longitudes and latitudes of every ring (separated by None) for a line trace."""
    lons: list[float | None] = []
    lats: list[float | None] = []
    for feature in geojson.get("features", []):
        if codes is not None and feature.get("properties", {}).get("area_code") not in codes:
            continue
        for ring in rings(feature.get("geometry")):
            lons.extend(p[0] for p in ring)
            lats.extend(p[1] for p in ring)
            lons.append(None)
            lats.append(None)
    return lons, lats


def bounds(geojson: dict, codes: list[str] | None = None) -> tuple[float, float, float, float] | None:
    """(min_lon, min_lat, max_lon, max_lat) of the features (all, or those in ``codes``)."""
    lons, lats = outline_coordinates(geojson, codes)
    xs = [x for x in lons if x is not None]
    ys = [y for y in lats if y is not None]
    if not xs:
        return None
    return min(xs), min(ys), max(xs), max(ys)


def view_for(
    box: tuple[float, float, float, float] | None, *, width_px: int = 640, height_px: int = 520
) -> tuple[dict, float]:
    """Map centre and zoom that fit a bounding box into a view of about the given size."""
    if box is None:
        return {"lon": -2.0, "lat": 53.0}, 5.0
    min_lon, min_lat, max_lon, max_lat = box
    centre = {"lon": (min_lon + max_lon) / 2, "lat": (min_lat + max_lat) / 2}

    def merc(lat: float) -> float:
        return math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))

    dlon = max(max_lon - min_lon, 1e-4)
    dy = max(merc(max_lat) - merc(min_lat), 1e-6)
    zoom_x = math.log2(width_px * 360 / (512 * dlon))
    zoom_y = math.log2(height_px * 2 * math.pi / (512 * dy))
    return centre, round(min(zoom_x, zoom_y) - 0.25, 2)


def label_points(geojson: dict, codes: list[str] | None = None) -> dict[str, tuple[float, float]]:
    """Where to write each area's name: the pole of inaccessibility of its largest polygon (a
    point well inside the shape, unlike a centroid), as (lon, lat) by area code."""
    from shapely.geometry import Polygon as ShapelyPolygon
    from shapely.geometry import shape
    from shapely.ops import polylabel

    out: dict[str, tuple[float, float]] = {}
    for feature in geojson.get("features", []):
        code = feature.get("properties", {}).get("area_code")
        if not feature.get("geometry") or (codes is not None and code not in codes):
            continue
        geometry = shape(feature["geometry"])
        polygons = list(getattr(geometry, "geoms", [geometry]))
        largest = max(polygons, key=lambda g: g.area)
        k = math.cos(math.radians(largest.centroid.y))  # lon scaled so a degree is as long both ways
        scaled = ShapelyPolygon([(x * k, y) for x, y in largest.exterior.coords])
        point = polylabel(scaled, tolerance=max(math.sqrt(scaled.area) / 50, 1e-6))
        out[code] = (point.x / k, point.y)
    return out


def subset_geojson(geojson: dict, codes: list[str]) -> dict:
    wanted = set(codes)
    return {
        "type": "FeatureCollection",
        "features": [f for f in geojson.get("features", []) if f.get("properties", {}).get("area_code") in wanted],
    }
