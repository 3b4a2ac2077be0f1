"""Writes to the register inside one transaction: organisations, activities, their links and history."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

import sqlalchemy as sa

from dashboard.register.connection import CHUNK
from dashboard.register.errors import ConflictError, ValidationError
from dashboard.register.models import (
    TEMPLATE_COLUMNS,
    THEMES,
    Activity,
    Issue,
    activity_table,
    history_table,
    organisation_table,
    theme_table,
    ward_table,
)
from dashboard.register.queries import name_key

MSG_SECTOR_CONFLICT = (
    "'{name}' is already in the register as sector '{sector}'; use that sector, "
    "or ask the register's keeper to change the organisation's sector."
)
Orgs = Mapping[str, tuple[int, str]]  # organisation name key -> (id, name)
Creates = Sequence[tuple[str, dict[str, Any]]]
Updates = Sequence[tuple[Activity, dict[str, Any]]]
# The activity's fields taken as checked (the rest are the record's identity, lists or bookkeeping).
CLEAN_FIELDS = tuple(
    f
    for f in Activity.__dataclass_fields__
    if f not in ("record_id", "version", "organisation", "themes", "wards", "created_at", "updated_at", "updated_by")
)
EDITABLE_FIELDS = tuple(c for c in TEMPLATE_COLUMNS if c not in ("record_id", "version", "last_updated", "updated_by"))


def history_row(
    action: str, before: Activity | None, after: Activity | None, *, editor: str, now: dt.datetime
) -> dict[str, Any]:
    """One row of the change history: the record's snapshots before and after ``action``."""
    record = after or before
    return {
        "record_id": record.record_id,
        "version": record.version,
        "changed_at": now,
        "editor": editor,
        "action": action,
        "before": None if before is None else before.snapshot(),
        "after": None if after is None else after.snapshot(),
    }


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def check_editor(editor: str) -> None:
    if not editor or not str(editor).strip():
        raise ValueError("editor is required: say who is making the change (a name or sign-in id)")


def reject_unknown(data: Mapping[str, Any]) -> None:
    unknown = sorted(set(data) - set(EDITABLE_FIELDS) - {"record_id", "version"})
    if unknown:
        raise ValueError(f"unknown fields {unknown}; use the template's columns: {', '.join(EDITABLE_FIELDS)}")


def raise_errors(issues: Sequence[Issue]) -> None:
    errors = [i for i in issues if i.severity == "error"]
    if errors:
        raise ValidationError(errors)


def to_activity(
    record_id: str,
    version: int,
    clean: Mapping[str, Any],
    orgs: Mapping[str, tuple[int, str]],
    *,
    created_at: dt.datetime,
    updated_at: dt.datetime,
    editor: str,
) -> Activity:
    _, org_name = orgs[name_key(clean["organisation"])]
    theme_order = {t: i for i, t in enumerate(THEMES)}
    return Activity(
        record_id=record_id,
        version=version,
        organisation=org_name,
        themes=tuple(sorted(clean["themes"], key=lambda t: theme_order[t])),
        wards=tuple(sorted(clean["wards"])),
        created_at=created_at,
        updated_at=updated_at,
        updated_by=editor,
        **{f: clean[f] for f in CLEAN_FIELDS},
    )


def activity_values(x: Activity, orgs: Mapping[str, tuple[int, str]]) -> dict[str, Any]:
    return {
        "record_id": x.record_id,
        "organisation_id": orgs[name_key(x.organisation)][0],
        "title": x.title,
        "description": x.description,
        "activity_type": x.activity_type,
        "status": x.status,
        "start_date": x.start_date,
        "end_date": x.end_date,
        "reach_count": x.reach_count,
        "reach_unit": x.reach_unit,
        "reach_period": x.reach_period,
        "postcode": x.postcode,
        "lon": x.lon,
        "lat": x.lat,
        "location_ward_code": x.location_ward_code,
        "contact_role": x.contact_role,
        "created_at": x.created_at,
        "updated_at": x.updated_at,
        "updated_by": x.updated_by,
        "version": x.version,
    }


def organisations_for(
    conn: sa.Connection, cleans: Sequence[dict[str, Any]], *, now: dt.datetime
) -> dict[str, tuple[int, str]]:
    """name_key -> (organisation_id, name), adding organisations not yet in the register.
    Raises ValidationError when an organisation's sector differs from the stored one."""
    o = organisation_table
    wanted: dict[str, tuple[str, str]] = {}
    for clean in cleans:
        wanted.setdefault(name_key(clean["organisation"]), (clean["organisation"], clean["sector"]))
    existing = {r.name_key: r for r in conn.execute(sa.select(o).where(o.c.name_key.in_(list(wanted))))}
    problems = [
        Issue(None, "sector", MSG_SECTOR_CONFLICT.format(name=existing[k].name, sector=existing[k].sector))
        for k, (_, sector) in wanted.items()
        if k in existing and existing[k].sector != sector
    ]
    raise_errors(problems)
    new = [
        {"name": name, "name_key": k, "sector": sector, "created_at": now}
        for k, (name, sector) in wanted.items()
        if k not in existing
    ]
    if new:
        conn.execute(sa.insert(o), new)
        existing = {r.name_key: r for r in conn.execute(sa.select(o).where(o.c.name_key.in_(list(wanted))))}
    return {k: (r.organisation_id, r.name) for k, r in existing.items()}


def insert_activities(
    conn: sa.Connection, items: Creates, orgs: Orgs, *, editor: str, now: dt.datetime
) -> list[Activity]:
    """Add new activities at version 1 (``items``: record id and checked values), with their history."""
    if not items:
        return []
    activities = [to_activity(rid, 1, c, orgs, created_at=now, updated_at=now, editor=editor) for rid, c in items]
    conn.execute(sa.insert(activity_table), [activity_values(x, orgs) for x in activities])
    write_links(conn, activities)
    conn.execute(sa.insert(history_table), [history_row("create", None, x, editor=editor, now=now) for x in activities])
    return activities


def update_activities(
    conn: sa.Connection, items: Updates, orgs: Orgs, *, editor: str, now: dt.datetime
) -> list[Activity]:
    """Replace activities at their next version (``items``: the stored one and the checked values);
    ConflictError when one has moved on meanwhile."""
    if not items:
        return []
    a = activity_table
    out = []
    for current, clean in items:
        after = to_activity(
            current.record_id,
            current.version + 1,
            clean,
            orgs,
            created_at=current.created_at,
            updated_at=now,
            editor=editor,
        )
        values = activity_values(after, orgs)
        values.pop("record_id")
        values.pop("created_at")
        result = conn.execute(
            sa.update(a).where(a.c.record_id == current.record_id, a.c.version == current.version).values(**values)
        )
        if result.rowcount != 1:
            latest = conn.execute(sa.select(a.c.version).where(a.c.record_id == current.record_id)).scalar()
            raise ConflictError(
                current.record_id,
                expected_version=current.version,
                current_version=latest if latest is not None else -1,
            )
        out.append(after)
    ids = [x.record_id for x in out]
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        conn.execute(sa.delete(theme_table).where(theme_table.c.record_id.in_(chunk)))
        conn.execute(sa.delete(ward_table).where(ward_table.c.record_id.in_(chunk)))
    write_links(conn, out)
    conn.execute(
        sa.insert(history_table),
        [
            history_row("update", current, after, editor=editor, now=now)
            for (current, _), after in zip(items, out, strict=True)
        ],
    )
    return out


def write_links(conn: sa.Connection, activities: Sequence[Activity]) -> None:
    themes = [{"record_id": x.record_id, "theme": t} for x in activities for t in x.themes]
    wards = [{"record_id": x.record_id, "ward_code": w} for x in activities for w in x.wards]
    if themes:
        conn.execute(sa.insert(theme_table), themes)
    if wards:
        conn.execute(sa.insert(ward_table), wards)
