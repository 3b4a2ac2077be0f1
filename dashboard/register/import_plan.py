"""Planning an import: every row checked, then against the register (sectors, ids, versions).

Nothing is written here; ``Store.import_file`` writes the plan in one transaction.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import IO, Any

import sqlalchemy as sa

from dashboard.register.connection import CHUNK
from dashboard.register.importer import read_sheet
from dashboard.register.models import Activity, ImportPreview, Issue, activity_table, organisation_table
from dashboard.register.queries import name_key, select_activities
from dashboard.register.writes import MSG_SECTOR_CONFLICT

MSG_SECTOR_CONFLICT_IN_FILE = "'{name}' is given sector '{sector}' in row {row}; give one sector per organisation."
MSG_DUPLICATE_ID = "record {record_id} is already in row {first}; keep one row per activity."
MSG_STALE_ROW = (
    "this activity was changed in the register after your file was exported (your file has "
    "version {mine}, the register has version {theirs}). Export again and reapply your change."
)
MSG_NO_VERSION = "version is missing; keep the version from the export to update an existing activity."
Check = Callable[..., tuple[dict[str, Any], list[Issue]]]
Plan = tuple[list[tuple[str, dict[str, Any]]], list[tuple[Activity, dict[str, Any]]]]


def plan_import(
    conn: sa.Connection, source: str | Path | IO[bytes], *, filename: str | None, check: Check
) -> tuple[ImportPreview, Plan]:
    """Check a file row by row, then against the register: the preview and what to create and update."""
    sheet = read_sheet(source, filename=filename)
    preview = ImportPreview(rows=len(sheet.rows), issues=list(sheet.issues))
    creates: list[tuple[str, dict[str, Any]]] = []
    updates: list[tuple[Activity, dict[str, Any]]] = []
    if not sheet.ok:
        return preview, (creates, updates)
    checked: list[tuple[int, dict[str, Any]]] = []
    for row, cells in sheet.rows:
        clean, issues = check(cells, row=row)
        preview.issues.extend(issues)
        checked.append((row, clean))

    # one sector per organisation, in the file and against the register
    o = organisation_table
    first_seen: dict[str, tuple[str, int]] = {}
    for row, clean in checked:
        if clean["organisation"] and clean["sector"]:
            key = name_key(clean["organisation"])
            seen = first_seen.setdefault(key, (clean["sector"], row))
            if seen[0] != clean["sector"]:
                preview.issues.append(
                    Issue(
                        row,
                        "sector",
                        MSG_SECTOR_CONFLICT_IN_FILE.format(name=clean["organisation"], sector=seen[0], row=seen[1]),
                    )
                )
    stored = {}
    keys = list(first_seen)
    for start in range(0, len(keys), CHUNK):
        stored.update(
            {r.name_key: r for r in conn.execute(sa.select(o).where(o.c.name_key.in_(keys[start : start + CHUNK])))}
        )
    for row, clean in checked:
        if clean["organisation"] and clean["sector"]:
            org = stored.get(name_key(clean["organisation"]))
            if org is not None and org.sector != clean["sector"]:
                preview.issues.append(
                    Issue(row, "sector", MSG_SECTOR_CONFLICT.format(name=org.name, sector=org.sector))
                )

    # record ids: new, updated, unchanged, stale
    seen_ids: dict[str, int] = {}
    ids = [c["record_id"] for _, c in checked if c["record_id"]]
    current: dict[str, Activity] = {}
    for start in range(0, len(ids), CHUNK):
        for x in select_activities(conn, [activity_table.c.record_id.in_(ids[start : start + CHUNK])]):
            current[x.record_id] = x
    for row, clean in checked:
        rid = clean["record_id"]
        if rid is None:
            creates.append((str(uuid.uuid4()), clean))
            continue
        if rid in seen_ids:
            preview.issues.append(Issue(row, "record_id", MSG_DUPLICATE_ID.format(record_id=rid, first=seen_ids[rid])))
            continue
        seen_ids[rid] = row
        existing = current.get(rid)
        if existing is None:
            creates.append((rid, clean))
        elif clean["version"] is None:
            preview.issues.append(Issue(row, "version", MSG_NO_VERSION))
        elif clean["version"] != existing.version:
            preview.issues.append(
                Issue(row, "version", MSG_STALE_ROW.format(mine=clean["version"], theirs=existing.version))
            )
        elif _content(existing) == _content_of_clean(clean):
            preview.unchanged += 1
        else:
            updates.append((existing, clean))
    preview.issues.sort(key=lambda i: (i.row or 0, i.column or ""))
    preview.to_create, preview.to_update = len(creates), len(updates)
    return preview, (creates, updates)


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 6)


def _content(x: Activity) -> tuple:
    return (
        name_key(x.organisation),
        x.sector,
        x.title,
        x.description,
        x.activity_type,
        tuple(sorted(x.themes)),
        x.status,
        x.start_date,
        x.end_date,
        x.reach_count,
        x.reach_unit,
        x.reach_period,
        tuple(sorted(x.wards)),
        x.postcode,
        _round(x.lon),
        _round(x.lat),
        x.location_ward_code,
        x.contact_role,
    )


def _content_of_clean(c: Mapping[str, Any]) -> tuple:
    return (
        name_key(c["organisation"]),
        c["sector"],
        c["title"],
        c["description"],
        c["activity_type"],
        tuple(sorted(c["themes"])),
        c["status"],
        c["start_date"],
        c["end_date"],
        c["reach_count"],
        c["reach_unit"],
        c["reach_period"],
        tuple(sorted(c["wards"])),
        c["postcode"],
        _round(c["lon"]),
        _round(c["lat"]),
        c["location_ward_code"],
        c["contact_role"],
    )
