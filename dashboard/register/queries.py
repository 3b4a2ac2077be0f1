"""Reads of the register: activities with their themes and wards, and the filters' helpers."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

import sqlalchemy as sa

from dashboard.register.connection import CHUNK, utc
from dashboard.register.errors import NotFoundError
from dashboard.register.models import THEMES, Activity, activity_table, organisation_table, theme_table, ward_table
from dashboard.register.validation import match_choice

# The activity's fields read straight from its row (the rest are its links or need a time zone).
ROW_FIELDS = tuple(f for f in Activity.__dataclass_fields__ if f not in ("themes", "wards", "created_at", "updated_at"))


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
        for links, table, column in ((themes, theme_table, "theme"), (wards, ward_table, "ward_code")):
            query = sa.select(table.c.record_id, table.c[column]).where(table.c.record_id.in_(chunk))
            for rid, value in conn.execute(query):
                links.setdefault(rid, []).append(value)
    theme_order = {t: i for i, t in enumerate(THEMES)}
    return [
        Activity(
            **{f: getattr(r, f) for f in ROW_FIELDS},
            themes=tuple(sorted(themes.get(r.record_id, []), key=lambda t: theme_order.get(t, 99))),
            wards=tuple(sorted(wards.get(r.record_id, []))),
            created_at=utc(r.created_at),
            updated_at=utc(r.updated_at),
        )
        for r in rows
    ]
