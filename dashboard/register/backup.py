"""Back up the whole register to one file and restore it into an empty database.

    python -m dashboard.register backup OUT        (OUT.json, or OUT.zip for zipped JSON)
    python -m dashboard.register restore FILE      (into an EMPTY register only)

The backup holds every table (organisations, activities, themes, wards and the full change
history with versions, editors and timestamps), the database's migration revision, and the
sha256 of its contents. ``restore`` checks the sha256 and the revision, refuses a database that
already holds anything, and writes everything in one transaction (all or nothing), keeping ids,
versions, history and timestamps exactly. Both honour ``DATABASE_URL`` like the rest of the
register.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import logging
import zipfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from dashboard.register.connection import utc
from dashboard.register.errors import RegisterError
from dashboard.register.models import (
    MIGRATIONS_DIR,
    Issue,
    activity_table,
    history_table,
    organisation_table,
    theme_table,
    ward_table,
)
from dashboard.register.validation import check_plain_text

log = logging.getLogger(__name__)

FORMAT = "place-insight-register-backup"
FORMAT_VERSION = 1
ZIP_MEMBER = "register_backup.json"
# Parents before children, so foreign keys hold while restoring.
TABLES: tuple[sa.Table, ...] = (organisation_table, activity_table, theme_table, ward_table, history_table)
SERIAL_COLUMNS = {"organisation": "organisation_id", "activity_history": "history_id"}

MSG_NOT_EMPTY = (
    "the register at {url} is not empty ({counts}). A restore only goes into an empty register, "
    "so nothing was changed. Restore into a new database (or a new SQLite file), or ask the "
    "database's owner to empty it first."
)
MSG_DAMAGED = (
    "{file} is damaged or was edited: its contents do not match the sha256 recorded in it "
    "({found} instead of {expected}). Nothing was restored; use another copy of the backup."
)
MSG_NOT_BACKUP = "{file} is not a register backup ({detail}). Nothing was restored."
MSG_REVISION = (
    "{file} was made with register schema revision {theirs}; this code has revision {ours}. "
    "Restore it with the matching version of Place Insight, then upgrade. Nothing was restored."
)


MSG_INVALID = (
    "{file} holds {n} record(s) that the register's import rules refuse ({problems_n} problem(s)); nothing "
    "was restored. "
    "A backup the register wrote passes these checks; this one was edited or made elsewhere. "
    "The problems: {problems}"
)
MSG_BAD_EDITOR = "the editor name '{value}' is not plain text ({problem})"
MAX_LISTED = 10

Checker = Callable[..., tuple[dict[str, Any], list[Issue]]]


class RestoreRefused(RegisterError):
    """The backup cannot be restored here (not empty, damaged, or another schema); nothing written."""


@dataclass(frozen=True)
class BackupSummary:
    path: Path
    counts: dict[str, int]
    revision: str | None
    sha256: str


# --- values in and out of JSON -----------------------------------------------------------------
def _encode(column: sa.Column, value: Any) -> Any:
    if value is None:
        return None
    if isinstance(column.type, sa.DateTime):
        return utc(value).isoformat()
    if isinstance(column.type, sa.Date):
        return value.isoformat()
    return value


def _decode(column: sa.Column, value: Any) -> Any:
    if value is None:
        return None
    if isinstance(column.type, sa.DateTime):
        return utc(dt.datetime.fromisoformat(value))
    if isinstance(column.type, sa.Date):
        return dt.date.fromisoformat(value)
    return value


def table_rows(conn: sa.Connection, table: sa.Table) -> list[dict[str, Any]]:
    """Every row of ``table`` as JSON-ready values (datetimes in UTC), in primary-key order."""
    stmt = sa.select(table).order_by(*table.primary_key.columns)
    return [{c.name: _encode(c, row._mapping[c.name]) for c in table.columns} for row in conn.execute(stmt)]


def _digest(payload: dict[str, Any]) -> str:
    canonical = json.dumps(payload, sort_keys=True, ensure_ascii=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("ascii")).hexdigest()


def database_revision(conn: sa.Connection) -> str | None:
    if not sa.inspect(conn).has_table("alembic_version"):
        return None
    return conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalar()


def head_revision() -> str:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    return ScriptDirectory.from_config(cfg).get_current_head()


# --- backup ------------------------------------------------------------------------------------
def _engine(target: sa.Engine | str) -> tuple[sa.Engine, bool]:
    if isinstance(target, sa.Engine):
        return target, False
    from dashboard.register.connection import make_engine

    return make_engine(target), True


def backup(source: sa.Engine | str, out: str | Path) -> BackupSummary:
    """Write every table of the register at ``source`` (an engine or URL) to ``out``: JSON, or
    zipped JSON when ``out`` ends in .zip. Read in one transaction, so the copy is consistent."""
    engine, owned = _engine(source)
    try:
        conn_engine = (
            engine.execution_options(isolation_level="REPEATABLE READ")
            if engine.dialect.name == "postgresql"
            else engine
        )
        with conn_engine.connect() as conn, conn.begin():
            revision = database_revision(conn)
            tables = {t.name: table_rows(conn, t) for t in TABLES}
    finally:
        if owned:
            engine.dispose()
    counts = {name: len(rows) for name, rows in tables.items()}
    payload = {
        "meta": {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "alembic_revision": revision,
            "created_at": dt.datetime.now(dt.UTC).isoformat(),
            "source_dialect": engine.dialect.name,
            "counts": counts,
            "columns": {t.name: [c.name for c in t.columns] for t in TABLES},
        },
        "tables": tables,
    }
    digest = _digest(payload)
    document = json.dumps(payload | {"sha256": digest}, ensure_ascii=False, indent=1, sort_keys=True)
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    if out.suffix.casefold() == ".zip":
        with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as zf:
            zf.writestr(ZIP_MEMBER, document)
            zf.writestr(ZIP_MEMBER + ".sha256", f"{digest}  {ZIP_MEMBER}\n")
    else:
        out.write_text(document, encoding="utf-8")
    log.info("backed up %s to %s (sha256 %s)", counts, out, digest[:12])
    return BackupSummary(out, counts, revision, digest)


# --- restore -----------------------------------------------------------------------------------
def read_backup(file: str | Path) -> dict[str, Any]:
    """Read and check a backup file; raises RestoreRefused when it is not one or is damaged."""
    path = Path(file)
    try:
        raw = path.read_bytes()
        if raw[:2] == b"PK":
            with zipfile.ZipFile(io.BytesIO(raw)) as zf:
                raw = zf.read(ZIP_MEMBER)
        document = json.loads(raw.decode("utf-8"))
    except (OSError, KeyError, zipfile.BadZipFile, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise RestoreRefused(MSG_NOT_BACKUP.format(file=path.name, detail=exc)) from exc
    if not isinstance(document, dict) or document.get("meta", {}).get("format") != FORMAT:
        raise RestoreRefused(MSG_NOT_BACKUP.format(file=path.name, detail="no backup header"))
    expected = document.pop("sha256", None)
    found = _digest(document)
    if expected != found:
        raise RestoreRefused(MSG_DAMAGED.format(file=path.name, found=found[:12], expected=str(expected)[:12]))
    return document


def table_counts(conn: sa.Connection) -> dict[str, int]:
    return {t.name: int(conn.execute(sa.select(sa.func.count()).select_from(t)).scalar_one()) for t in TABLES}


def _as_template_row(record: Mapping[str, Any], organisation: Mapping[str, Any] | None) -> dict[str, Any]:
    """A stored activity (or a history snapshot) in the import template's terms, for checking."""
    row = {k: record.get(k) for k in ("title", "description", "activity_type", "status", "start_date", "end_date")}
    row |= {k: record.get(k) for k in ("reach_count", "reach_unit", "reach_period", "postcode", "lon", "lat")}
    row |= {"contact_role": record.get("contact_role"), "record_id": record.get("record_id")}
    row["version"] = record.get("version")
    row["organisation"] = (organisation or {}).get("name", record.get("organisation"))
    row["sector"] = (organisation or {}).get("sector", record.get("sector"))
    row["themes"] = list(record.get("themes") or [])
    row["wards"] = list(record.get("wards") or [])
    return row


def validate_backup(document: Mapping[str, Any], check: Checker) -> list[str]:
    """Every problem the import rules find in the backup's activities, history snapshots and
    editor names (empty: the backup may be restored). ``check`` is ``Store.check``."""
    tables = document.get("tables") or {}
    organisations = {o.get("organisation_id"): o for o in tables.get("organisation", [])}
    themes: dict[str, list[str]] = {}
    for link in tables.get("activity_theme", []):
        themes.setdefault(link.get("record_id"), []).append(link.get("theme"))
    wards: dict[str, list[str]] = {}
    for link in tables.get("activity_ward", []):
        wards.setdefault(link.get("record_id"), []).append(link.get("ward_code"))
    problems: list[str] = []

    def checked(where: str, row: Mapping[str, Any], editors: list[Any]) -> None:
        try:
            _clean, issues = check(row)
        except (TypeError, ValueError, AttributeError) as exc:  # a value of the wrong kind altogether
            problems.append(f"{where}: unreadable ({exc})")
            return
        problems.extend(f"{where}, {i.column}: {i.message}" for i in issues if i.severity == "error")
        for editor in editors:
            problem = check_plain_text(str(editor or "x"))
            if problem or not editor:
                problems.append(
                    f"{where}: " + MSG_BAD_EDITOR.format(value=str(editor)[:40], problem=problem or "empty")
                )

    for activity in tables.get("activity", []):
        rid = activity.get("record_id")
        row = _as_template_row(
            activity | {"themes": themes.get(rid, []), "wards": wards.get(rid, [])},
            organisations.get(activity.get("organisation_id")),
        )
        checked(f"activity {rid}", row, [activity.get("updated_by")])
    for entry in tables.get("activity_history", []):
        where = f"history entry {entry.get('history_id')} of {entry.get('record_id')}"
        checked_any = False
        for side in ("before", "after"):
            snapshot = entry.get(side)
            if isinstance(snapshot, Mapping):
                checked(f"{where} ({side})", _as_template_row(snapshot, None), [snapshot.get("updated_by")])
                checked_any = True
        if not checked_any or entry.get("action") not in ("create", "update", "delete"):
            problems.append(f"{where}: neither a before nor an after record, or an unknown action")
        editor_problem = check_plain_text(str(entry.get("editor") or ""))
        if editor_problem or not entry.get("editor"):
            problems.append(
                f"{where}: "
                + MSG_BAD_EDITOR.format(value=str(entry.get("editor"))[:40], problem=editor_problem or "empty")
            )
    return problems


def _default_check() -> Checker:
    """The import rules for the place's wards and postcodes (the tidy tables)."""
    from dashboard.register.store import Store

    return Store("sqlite://", migrate=False).check  # in memory: only its ward and postcode lookups are used


def restore(file: str | Path, target: sa.Engine | str, *, check: Checker | None = None) -> dict[str, int]:
    """Restore a backup into the EMPTY register at ``target`` (engine or URL; migrated to the
    newest schema first). Returns the row counts restored. Raises RestoreRefused (nothing
    written) when the register is not empty, the file is damaged, its schema differs, or any
    record fails the import rules (``check``: ``Store.check`` of the target register; by
    default the place's own wards and postcodes)."""
    document = read_backup(file)
    meta = document["meta"]
    problems = validate_backup(document, check or _default_check())
    if problems:
        log.warning("restore of %s refused: %d invalid records", Path(file).name, len(problems))
        listed = "; ".join(problems[:MAX_LISTED]) + (
            f"; and {len(problems) - MAX_LISTED} more" if len(problems) > MAX_LISTED else ""
        )
        records = len({p.split(":")[0].split(", ")[0] for p in problems})
        raise RestoreRefused(
            MSG_INVALID.format(file=Path(file).name, n=records, problems_n=len(problems), problems=listed)
        )
    engine, owned = _engine(target)
    try:
        from dashboard.register.connection import upgrade_database

        upgrade_database(engine)
        ours = head_revision()
        if meta.get("alembic_revision") not in (None, ours):
            raise RestoreRefused(MSG_REVISION.format(file=Path(file).name, theirs=meta["alembic_revision"], ours=ours))
        writer = engine.execution_options(register_write=True)  # SQLite: BEGIN IMMEDIATE
        with writer.begin() as conn:
            counts = table_counts(conn)
            if any(counts.values()):
                shown = ", ".join(f"{n} {name}" for name, n in counts.items() if n)
                raise RestoreRefused(
                    MSG_NOT_EMPTY.format(url=engine.url.render_as_string(hide_password=True), counts=shown)
                )
            restored: dict[str, int] = {}
            for table in TABLES:
                rows = document["tables"].get(table.name, [])
                names = {c.name for c in table.columns}
                unknown = {k for row in rows for k in row} - names
                if unknown:
                    raise RestoreRefused(
                        MSG_NOT_BACKUP.format(
                            file=Path(file).name, detail=f"unknown columns {sorted(unknown)} in {table.name}"
                        )
                    )
                values = [{c.name: _decode(c, row.get(c.name)) for c in table.columns} for row in rows]
                for start in range(0, len(values), 1000):
                    conn.execute(sa.insert(table), values[start : start + 1000])
                restored[table.name] = len(values)
            if engine.dialect.name == "postgresql":
                for table_name, column in SERIAL_COLUMNS.items():
                    top = conn.execute(
                        sa.select(sa.func.max(sa.table(table_name, sa.column(column)).c[column]))
                    ).scalar()
                    if top is not None:
                        conn.execute(sa.select(sa.func.setval(sa.func.pg_get_serial_sequence(table_name, column), top)))
    finally:
        if owned:
            engine.dispose()
    log.info("restored %s from %s", restored, Path(file).name)
    return restored
