"""Reads of the register: activities with their themes and wards, and the filters' helpers."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

import sqlalchemy as sa

from dashboard.register.connection import CHUNK, utc
from dashboard.register.errors import NotFoundError
from dashboard.register.models import THEMES, Activity, activity_table, organisation_table, theme_table, ward_table
from dashboard.register.validation import match_choice


def name_key(name: str) -> str:
    return " ".join(name.casefold().split())


def as_list(value: str | Iterable[str] | None) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    return list(value)


def choices(value: str | Iterable[str], choices: Sequence[str], aliases: Mapping[str, str], label: str) -> list[str]:
    out = []
    for item in as_list(value):
        match = match_choice(item, choices, aliases)
        if match is None:
            raise ValueError(f"'{item}' is not a {label}; use one of: {', '.join(choices)}")
        out.append(match)
    return out


def get_activity(conn: sa.Connection, record_id: str) -> Activity:
    found = select_activities(conn, [activity_table.c.record_id == record_id])
    if not found:
        raise NotFoundError(record_id)
    return found[0]


def select_activities(conn: sa.Connection, where: Sequence[sa.ColumnElement[bool]]) -> list[Activity]:
    a, o = activity_table, organisation_table
    stmt = (
        sa.select(a, o.c.name.label("organisation"), o.c.sector)
        .join(o, a.c.organisation_id == o.c.organisation_id)
        .where(*where)
        .order_by(o.c.name_key, a.c.title, a.c.record_id)
    )
    rows = conn.execute(stmt).all()
    if not rows:
        return []
    ids = [r.record_id for r in rows]
    themes: dict[str, list[str]] = {}
    wards: dict[str, list[str]] = {}
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        for rid, theme in conn.execute(
            sa.select(theme_table.c.record_id, theme_table.c.theme).where(theme_table.c.record_id.in_(chunk))
        ):
            themes.setdefault(rid, []).append(theme)
        for rid, code in conn.execute(
            sa.select(ward_table.c.record_id, ward_table.c.ward_code).where(ward_table.c.record_id.in_(chunk))
        ):
            wards.setdefault(rid, []).append(code)
    theme_order = {t: i for i, t in enumerate(THEMES)}
    return [
        Activity(
            record_id=r.record_id,
            version=r.version,
            organisation=r.organisation,
            sector=r.sector,
            title=r.title,
            description=r.description,
            activity_type=r.activity_type,
            themes=tuple(sorted(themes.get(r.record_id, []), key=lambda t: theme_order.get(t, 99))),
            status=r.status,
            start_date=r.start_date,
            end_date=r.end_date,
            reach_count=r.reach_count,
            reach_unit=r.reach_unit,
            reach_period=r.reach_period,
            wards=tuple(sorted(wards.get(r.record_id, []))),
            postcode=r.postcode,
            lon=r.lon,
            lat=r.lat,
            location_ward_code=r.location_ward_code,
            contact_role=r.contact_role,
            created_at=utc(r.created_at),
            updated_at=utc(r.updated_at),
            updated_by=r.updated_by,
        )
        for r in rows
    ]
