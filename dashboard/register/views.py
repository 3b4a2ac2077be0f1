"""Frames the register's pages show: pure pandas (frames in, new frames out), no Streamlit.

``Store.frame()`` gives one row per activity with ``themes``/``wards`` as tuples; these functions
turn it into tables for people (``activity_table``, ``ward_panel_table``), into points for the map
(``activity_points``, ``site_points``) and into per-ward counts, and lay out problems, history and
edit conflicts as tables.
"""

from __future__ import annotations

import hashlib
import logging
import math
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from dashboard.core import disclosure
from dashboard.register.models import Activity, HistoryEntry, Issue

log = logging.getLogger(__name__)

REGISTER_CAVEAT = (
    "The register only shows what partners have entered: an empty ward may simply mean "
    "nobody has added its activities yet."
)
EXAMPLE_MARK = "(example)"
PERIOD_WORDS = {"week": "a week", "month": "a month", "quarter": "a quarter", "year": "a year", "total": "in total"}
ACTIVITY_TABLE_COLUMNS = (
    "title",
    "organisation",
    "sector",
    "activity_type",
    "themes",
    "status",
    "wards",
    "reach",
    "postcode",
    "updated",
    "updated_by",
    "version",
    "record_id",
)
PANEL_COLUMNS = ("title", "organisation", "sector", "themes", "status", "reach")
POINT_COLUMNS = ("lon", "lat", "name", "kind", "ward_code", "ward_name", "placed", "record_id")
ISSUE_COLUMNS = ("row", "column", "severity", "message")
HISTORY_COLUMNS = ("version", "changed_at", "editor", "action", "changed")
HISTORY_IGNORED = ("version", "updated_at", "updated_by", "created_at")
PLACED_AT_POINT = "at its postcode or point"
PLACED_AT_WARD = "at the ward centre (no postcode given)"


def _items(value: Any) -> tuple[str, ...]:
    if isinstance(value, (list, tuple, set, np.ndarray)):
        return tuple(str(v) for v in value)
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ()
    return tuple(s.strip() for s in str(value).split(";") if s.strip())


def _missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or bool(pd.isna(value))


def reach_text(count: Any, unit: Any, period: Any, *, public: bool = False) -> str:
    """``420, people, year`` -> "420 people a year"; missing reach -> "not given".

    ``public=True`` (anyone who may not edit the register): a count below the small-number
    threshold (``dashboard.core.disclosure``) is shown as "<5 people a year", never exactly."""
    if _missing(count):
        return "not given"
    words = PERIOD_WORDS.get(str(period), "" if _missing(period) else str(period))
    unit_text = "" if _missing(unit) else f" {unit}"
    number = disclosure.small_text() if public and disclosure.is_small(count) else f"{int(count):,}"
    return f"{number}{unit_text} {words}".strip()


def is_example(organisation: Any) -> bool:
    return str(organisation or "").strip().endswith(EXAMPLE_MARK)


def activity_table(frame: pd.DataFrame, *, public: bool = False) -> pd.DataFrame:
    """One row per activity for people: lists joined with '; ', wards by name, reach in words.

    ``public=True`` protects small reach counts and leaves out who last edited each record."""
    if frame.empty:
        return pd.DataFrame(columns=list(ACTIVITY_TABLE_COLUMNS))
    names = frame["ward_names"] if "ward_names" in frame.columns else frame["wards"]
    out = pd.DataFrame(
        {
            "title": frame["title"].astype(str),
            "organisation": frame["organisation"].astype(str),
            "sector": frame["sector"].astype(str),
            "activity_type": frame["activity_type"].astype(str),
            "themes": ["; ".join(_items(t)) for t in frame["themes"]],
            "status": frame["status"].astype(str),
            "wards": ["; ".join(_items(w)) for w in names],
            "reach": [
                reach_text(c, u, p, public=public)
                for c, u, p in zip(frame["reach_count"], frame["reach_unit"], frame["reach_period"], strict=True)
            ],
            "postcode": frame["postcode"].where(frame["postcode"].notna(), ""),
            "updated": [
                v.strftime("%Y-%m-%d %H:%M") if hasattr(v, "strftime") else str(v) for v in frame["updated_at"]
            ],
            "updated_by": "" if public else frame["updated_by"].astype(str),
            "version": frame["version"].astype("int64"),
            "record_id": frame["record_id"].astype(str),
        }
    )
    return out.reset_index(drop=True)


def ward_activities(frame: pd.DataFrame, ward_code: str) -> pd.DataFrame:
    """The activities tied to a ward (listed in ``wards``, or located there)."""
    if frame.empty:
        return frame
    in_ward = [
        ward_code in _items(ws) or loc == ward_code
        for ws, loc in zip(frame["wards"], frame["location_ward_code"], strict=True)
    ]
    return frame[in_ward]


def ward_panel_table(frame: pd.DataFrame, ward_code: str, *, public: bool = False) -> pd.DataFrame:
    """The ward profile's partner panel: title, organisation, sector, themes, status, reach for
    the activities in one ward, by status (active first) then organisation and title."""
    rows = activity_table(ward_activities(frame, ward_code), public=public)
    if rows.empty:
        return pd.DataFrame(columns=list(PANEL_COLUMNS))
    order = {"active": 0, "planned": 1, "paused": 2, "ended": 3}
    rows = rows.assign(_order=rows["status"].map(order).fillna(9)).sort_values(
        ["_order", "organisation", "title"], kind="stable"
    )
    return rows.loc[:, list(PANEL_COLUMNS)].reset_index(drop=True)


def ward_activity_counts(frame: pd.DataFrame, ward_codes: Iterable[str]) -> pd.Series:
    """How many activities each ward has (an activity in several wards counts in each); every
    ward in ``ward_codes`` appears, with 0 when it has none."""
    codes = list(ward_codes)
    counts = dict.fromkeys(codes, 0)
    if not frame.empty:
        for ws, loc in zip(frame["wards"], frame["location_ward_code"], strict=True):
            for code in set(_items(ws)) | ({loc} if isinstance(loc, str) and loc else set()):
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
        if not _missing(row.lon) and not _missing(row.lat):
            ward = (
                row.location_ward_code if isinstance(row.location_ward_code, str) else (_items(row.wards) or ("",))[0]
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
        for ward in _items(row.wards):
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


def issues_table(issues: Sequence[Issue]) -> pd.DataFrame:
    """Every problem as a row: spreadsheet row (blank for the whole file), column, severity, message."""
    return pd.DataFrame(
        [
            {
                "row": "" if i.row is None else str(i.row),
                "column": i.column or "",
                "severity": i.severity,
                "message": i.message,
            }
            for i in issues
        ],
        columns=list(ISSUE_COLUMNS),
    )


def changed_fields(before: Mapping[str, Any] | None, after: Mapping[str, Any] | None) -> list[str]:
    """The fields a change touched (bookkeeping fields left out)."""
    if before is None or after is None:
        return []
    keys = [k for k in dict.fromkeys([*before, *after]) if k not in HISTORY_IGNORED]
    return [k for k in keys if before.get(k) != after.get(k)]


def history_table(entries: Sequence[HistoryEntry]) -> pd.DataFrame:
    """A record's changes, newest first, with what each one changed in words."""
    rows = []
    for e in entries:
        if e.action == "create":
            changed = "created"
        elif e.action == "delete":
            changed = "deleted"
        else:
            fields = changed_fields(e.before, e.after)
            changed = (
                ", ".join(f"{f}: {_cell(e.before.get(f))} -> {_cell(e.after.get(f))}" for f in fields)
                if fields
                else "no visible change"
            )
        rows.append(
            {
                "version": e.version,
                "changed_at": e.changed_at.strftime("%Y-%m-%d %H:%M:%S UTC"),
                "editor": e.editor,
                "action": e.action,
                "changed": changed,
            }
        )
    return pd.DataFrame(rows[::-1], columns=list(HISTORY_COLUMNS))


def _cell(value: Any) -> str:
    if value is None:
        return "(blank)"
    if isinstance(value, (list, tuple)):
        return "; ".join(str(v) for v in value) or "(blank)"
    return str(value)


def form_values(activity: Activity) -> dict[str, Any]:
    """An activity as the edit form's starting values (template column names, lists as lists)."""
    return {
        "organisation": activity.organisation,
        "sector": activity.sector,
        "title": activity.title,
        "description": activity.description or "",
        "activity_type": activity.activity_type,
        "themes": list(activity.themes),
        "status": activity.status,
        "start_date": activity.start_date,
        "end_date": activity.end_date,
        "reach_count": activity.reach_count,
        "reach_unit": activity.reach_unit,
        "reach_period": activity.reach_period,
        "wards": list(activity.wards),
        "postcode": activity.postcode or "",
        "contact_role": activity.contact_role or "",
    }


def conflict_table(
    mine: Mapping[str, Any], theirs: Activity, *, ward_names: Mapping[str, str] | None = None
) -> pd.DataFrame:
    """Side by side, every field of the form: what you typed and what the register holds now,
    with ``differs`` marking the fields someone else changed or you changed."""
    now = form_values(theirs)
    names = ward_names or {}
    rows = []
    for field, current in now.items():
        yours = mine.get(field)
        if field == "wards":
            yours = [names.get(w, w) for w in _items(yours)]
            current = [names.get(w, w) for w in current]
        rows.append(
            {
                "field": field,
                "your version": _cell(_blank(yours)),
                "register now": _cell(_blank(current)),
                "differs": _norm(yours) != _norm(current),
            }
        )
    return pd.DataFrame(rows, columns=["field", "your version", "register now", "differs"])


def _blank(value: Any) -> Any:
    return None if value == "" else value


def _norm(value: Any) -> Any:
    if isinstance(value, (list, tuple)):
        return tuple(sorted(str(v) for v in value))
    if value is None or value == "" or (isinstance(value, float) and math.isnan(value)):
        return None
    return str(value)


# --- need against activity ------------------------------------------------------------------------


def need_frame(values: pd.DataFrame, population: pd.DataFrame) -> pd.DataFrame:
    """``build_need_vs_activity``'s input from two per-ward frames with area_code, area_name and
    value (the need indicator; the population): ward_code, ward_name, value, population."""
    pop = population.loc[:, ["area_code", "value"]].rename(columns={"value": "population"})
    out = values.loc[:, ["area_code", "area_name", "value"]].merge(pop, on="area_code", how="left")
    return out.rename(columns={"area_code": "ward_code", "area_name": "ward_name"}).reset_index(drop=True)


def filter_options(frame: pd.DataFrame) -> dict[str, list[str]]:
    """The organisations, sectors, themes, wards (codes) and statuses present, sorted, for pickers."""
    if frame.empty:
        return {"organisation": [], "sector": [], "theme": [], "ward": [], "status": []}
    return {
        "organisation": sorted(set(frame["organisation"].astype(str)), key=str.casefold),
        "sector": sorted(set(frame["sector"].astype(str))),
        "theme": sorted({t for ts in frame["themes"] for t in _items(ts)}),
        "ward": sorted({w for ws in frame["wards"] for w in _items(ws)}),
        "status": sorted(set(frame["status"].astype(str))),
    }


def public_need_table(table: pd.DataFrame, *, limit: int | None = None) -> tuple[pd.DataFrame, bool]:
    """Need-vs-activity rows safe for a public view: a ward whose reach is a small number
    (1 to threshold - 1 people) shows no reach and no reach per 1,000 (which would give it
    away), with ``reach_note`` saying why. Returns the table and whether anything was hidden."""
    small = table["reach"].map(lambda v: disclosure.is_small(v, limit))
    out = table.copy()
    out["reach_note"] = ""
    if small.any():
        out.loc[small, ["reach", "reach_per_1000"]] = float("nan")
        out.loc[small, "reach_note"] = f"{disclosure.small_text(limit)} people (suppressed)"
    return out, bool(small.any())


NEED_HEADERS = {
    "ward_name": "Ward",
    "need_rank": "Need rank (1 = most need)",
    "population": "Residents",
    "activity_count": "Partner activities",
    "activities_without_reach": "Activities with no reach recorded",
    "reach": "Attendances a year",
    "reach_per_1000": "Attendances a year per 1,000 residents",
    "activity_per_10000": "Activities per 10,000 residents",
    "quadrant": "Need and activity",
    "reach_note": "Note",
}


def need_display(table: pd.DataFrame, *, need_name: str) -> pd.DataFrame:
    """The need-vs-activity table for people: human headers, one decimal, codes left out."""
    out = table.drop(columns=[c for c in ("ward_code",) if c in table]).copy()
    for column in ("value", "reach", "reach_per_1000", "activity_per_10000"):
        if column in out:
            out[column] = pd.to_numeric(out[column], errors="coerce").round(1)
    return out.rename(columns={"value": need_name, **NEED_HEADERS})
