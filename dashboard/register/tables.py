"""Frames the register's pages show: pure pandas (frames in, new frames out), no Streamlit.

``Store.frame()`` gives one row per activity with ``themes``/``wards`` as tuples; these functions
turn it into tables for people (``activity_table``, ``ward_panel_table``), into points for the map
(``activity_points``, ``site_points``) and into per-ward counts, and lay out problems, history and
edit conflicts as tables.
"""

from __future__ import annotations

import dataclasses
import logging
import math
from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

from dashboard.core import disclosure
from dashboard.core.cells import is_missing, list_items
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


def reach_text(count: Any, unit: Any, period: Any, *, public: bool = False) -> str:
    """``420, people, year`` -> "420 people a year"; missing reach -> "not given".

    ``public=True`` (anyone who may not edit the register): a count below the small-number
    threshold (``dashboard.core.disclosure``) is shown as "<5 people a year", never exactly."""
    if is_missing(count):
        return "not given"
    words = PERIOD_WORDS.get(str(period), "" if is_missing(period) else str(period))
    unit_text = "" if is_missing(unit) else f" {unit}"
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
            "themes": ["; ".join(list_items(t)) for t in frame["themes"]],
            "status": frame["status"].astype(str),
            "wards": ["; ".join(list_items(w)) for w in names],
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
        ward_code in list_items(ws) or loc == ward_code
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


PUBLIC_EDITOR = "(shown to editors)"


def _public_snapshot(snapshot: Mapping[str, Any] | None) -> Mapping[str, Any] | None:
    """A history snapshot as the public may see it: a reach below the threshold as "<5"."""
    if snapshot is None or not disclosure.is_small(snapshot.get("reach_count")):
        return snapshot
    return {**snapshot, "reach_count": disclosure.small_text()}


def history_table(entries: Sequence[HistoryEntry], *, public: bool = False) -> pd.DataFrame:
    """A record's changes, newest first, with what each one changed in words. ``public=True``
    (anyone who may not edit): editors' identities are withheld and a reach below the
    small-number threshold is shown as "<5", so neither can be read from the history."""
    rows = []
    for e in entries:
        if public:
            e = dataclasses.replace(e, before=_public_snapshot(e.before), after=_public_snapshot(e.after))
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
                "editor": PUBLIC_EDITOR if public else e.editor,
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
    values = {k: v for k, v in activity.editable().items() if k not in ("lon", "lat")}
    return values | {k: values[k] or "" for k in ("description", "postcode", "contact_role")}


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
            yours = [names.get(w, w) for w in list_items(yours)]
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
