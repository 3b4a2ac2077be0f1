"""The register's store: every read and write of activities goes through ``Store``.

Writes are optimistic: each activity has a ``version``; an update or delete names the version the
editor saw and is refused with ``ConflictError`` when the stored version has moved on. Every write
adds a row to the change history with JSON snapshots before and after.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
import uuid
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import IO, Any

import pandas as pd
import sqlalchemy as sa
from alembic import command
from alembic.config import Config

from dashboard.register.errors import (
    ConflictError,
    ImportRefused,
    NotFoundError,
    RegisterConfigError,
    ValidationError,
)
from dashboard.register.exporter import build_export_frame, write_csv, write_xlsx
from dashboard.register.importer import read_sheet
from dashboard.register.models import (
    MIGRATIONS_DIR,
    SECTOR_ALIASES,
    SECTORS,
    STATUS_ALIASES,
    STATUSES,
    TEMPLATE_COLUMNS,
    THEME_ALIASES,
    THEMES,
    Activity,
    HistoryEntry,
    ImportPreview,
    ImportResult,
    Issue,
    Organisation,
    activity_table,
    history_table,
    organisation_table,
    theme_table,
    ward_table,
)
from dashboard.register.places import PostcodeLookup, WardLookup, place_lad_code, read_place_wards, read_postcodes
from dashboard.register.validation import check_activity, match_choice
from pipelines import settings

log = logging.getLogger(__name__)

MSG_SECTOR_CONFLICT = (
    "'{name}' is already in the register as sector '{sector}'; use that sector, "
    "or ask the register's keeper to change the organisation's sector."
)
MSG_SECTOR_CONFLICT_IN_FILE = "'{name}' is given sector '{sector}' in row {row}; give one sector per organisation."
MSG_DUPLICATE_ID = "record {record_id} is already in row {first}; keep one row per activity."
MSG_STALE_ROW = (
    "this activity was changed in the register after your file was exported (your file has "
    "version {mine}, the register has version {theirs}). Export again and reapply your change."
)
MSG_NO_VERSION = "version is missing; keep the version from the export to update an existing activity."
MSG_NO_WARDS = (
    "no ward list for the place: build the data first (make data, which writes {path}), "
    "or pass wards={{code: name}} to Store."
)
EDITABLE_FIELDS = tuple(c for c in TEMPLATE_COLUMNS if c not in ("record_id", "version", "last_updated", "updated_by"))
_CHUNK = 500
_WRITE = "register_write"


def _utc(value: dt.datetime) -> dt.datetime:
    return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


def _name_key(name: str) -> str:
    return " ".join(name.casefold().split())


def _as_list(value: str | Iterable[str] | None) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    return list(value)


def normalise_url(url: str) -> str:
    """``postgres://`` and ``postgresql://`` URLs use psycopg 3 (the driver installed here)."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def make_engine(url: str) -> sa.Engine:
    """An engine for the URL; SQLite gets foreign keys on, a busy timeout, and its folder made."""
    url = normalise_url(url)
    if url.startswith("sqlite"):
        db_path = sa.make_url(url).database
        if db_path and db_path != ":memory:":
            Path(db_path).parent.mkdir(parents=True, exist_ok=True)
        engine = sa.create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})

        @sa.event.listens_for(engine, "connect")
        def _sqlite_connect(dbapi_conn, _record) -> None:  # noqa: ANN001
            dbapi_conn.isolation_level = None  # let SQLAlchemy's "begin" below open transactions
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA foreign_keys=ON")
            cur.close()

        @sa.event.listens_for(engine, "begin")
        def _sqlite_begin(conn: sa.Connection) -> None:
            # Writers take the write lock up front, so two editors saving at once queue (and the
            # second gets a ConflictError) instead of one failing with "database is locked".
            conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get(_WRITE) else "BEGIN")

        return engine
    return sa.create_engine(url, pool_pre_ping=True)


def upgrade_database(engine: sa.Engine) -> None:
    """Bring the database's tables up to the newest migration (``alembic upgrade head``)."""
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")


class Store:
    """The partner activity register in a database.

    ``Store()`` opens ``DATABASE_URL`` when set, else the embedded SQLite file
    ``data/register.sqlite``; ``Store(url)`` or ``Store(path=...)`` open another. Tables are
    migrated on open. ``wards`` (code -> name) and ``postcodes`` (a frame with postcode, lon, lat,
    ward_code) default to the tidy tables ``data/tidy/areas.parquet`` and
    ``data/tidy/postcodes.parquet``; tests pass their own. ``postcodes=False`` uses no postcode
    table: postcodes are then kept (with a warning) but not placed on the map.

    Records are given and changed as mappings keyed by the template's column names (see
    ``models.TEMPLATE_COLUMNS``); lists (themes, wards) may be Python lists or ';'-separated text.
    """

    def __init__(
        self,
        url: str | None = None,
        *,
        path: str | Path | None = None,
        wards: Mapping[str, str] | None = None,
        postcodes: pd.DataFrame | bool | None = None,
        place_name: str | None = None,
        migrate: bool = True,
    ) -> None:
        self.url = url or settings.database_url(path=path)
        self.engine = make_engine(self.url)
        self._writer = self.engine.execution_options(**{_WRITE: True})
        self.place_name = place_name or settings.place_name()
        self._wards = WardLookup(wards) if wards is not None else None
        self._postcodes: PostcodeLookup | None = (
            PostcodeLookup(postcodes) if isinstance(postcodes, pd.DataFrame) else None
        )
        self._postcodes_loaded = postcodes is not None
        if migrate:
            upgrade_database(self.engine)
        log.info("opened the register at %s", self.engine.url.render_as_string(hide_password=True))

    # --- lifecycle ------------------------------------------------------------------------------
    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- the place ------------------------------------------------------------------------------
    @property
    def wards(self) -> WardLookup:
        """The place's wards; read from the tidy areas table on first use."""
        if self._wards is None:
            path = settings.tidy_dir() / "areas.parquet"
            if not path.exists():
                raise RegisterConfigError(MSG_NO_WARDS.format(path=path))
            self._wards = WardLookup(read_place_wards(path, place_lad_code()))
        return self._wards

    @property
    def postcodes(self) -> PostcodeLookup | None:
        """The postcode lookup, or None when there is none (postcodes then cannot be placed)."""
        if not self._postcodes_loaded:
            self._postcodes_loaded = True
            path = settings.tidy_dir() / "postcodes.parquet"
            if path.exists():
                self._postcodes = PostcodeLookup(read_postcodes(path))
            else:
                log.warning("no postcode table at %s: postcodes will be kept but not placed", path)
        return self._postcodes

    def check(self, data: Mapping[str, Any], *, row: int | None = None) -> tuple[dict[str, Any], list[Issue]]:
        """Check one activity (template column names) without touching the database."""
        return check_activity(data, wards=self.wards, postcodes=self.postcodes, place_name=self.place_name, row=row)

    # --- reads ----------------------------------------------------------------------------------
    def get(self, record_id: str) -> Activity:
        """The activity with this id; raises NotFoundError."""
        with self.engine.connect() as conn:
            return self._get(conn, record_id)

    def list(
        self,
        *,
        organisation: str | Iterable[str] | None = None,
        sector: str | Iterable[str] | None = None,
        theme: str | Iterable[str] | None = None,
        ward: str | Iterable[str] | None = None,
        status: str | Iterable[str] | None = None,
        search: str | None = None,
    ) -> list[Activity]:
        """Activities matching every filter given (within a filter, any of its values).

        ``ward`` takes codes or names; ``search`` looks for the text (any case) in the title,
        description, organisation and contact role. Sorted by organisation, then title.
        Unknown sector, theme or status values raise ValueError naming the allowed ones.
        """
        a, o = activity_table, organisation_table
        where: list[sa.ColumnElement[bool]] = []
        if organisation is not None:
            where.append(o.c.name_key.in_([_name_key(n) for n in _as_list(organisation)]))
        if sector is not None:
            where.append(o.c.sector.in_(_choices(sector, SECTORS, SECTOR_ALIASES, "sector")))
        if status is not None:
            where.append(a.c.status.in_(_choices(status, STATUSES, STATUS_ALIASES, "status")))
        if theme is not None:
            themes = _choices(theme, THEMES, THEME_ALIASES, "theme")
            where.append(a.c.record_id.in_(sa.select(theme_table.c.record_id).where(theme_table.c.theme.in_(themes))))
        if ward is not None:
            codes = [self._ward_code(w) for w in _as_list(ward)]
            where.append(a.c.record_id.in_(sa.select(ward_table.c.record_id).where(ward_table.c.ward_code.in_(codes))))
        if search:
            escaped = search.strip().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            pattern = f"%{escaped}%"
            where.append(
                sa.or_(
                    *(
                        col.ilike(pattern, escape="\\")
                        for col in (a.c.title, a.c.description, o.c.name, a.c.contact_role)
                    )
                )
            )
        with self.engine.connect() as conn:
            return self._select(conn, where)

    def frame(self, activities: Iterable[Activity] | None = None, **filters: Any) -> pd.DataFrame:
        """Activities as a frame, one row each (themes and wards as tuples, plus ward_names),
        for tables, maps and ``need.build_need_vs_activity``. Takes the same filters as ``list``."""
        items = list(activities) if activities is not None else self.list(**filters)
        columns = list(Activity.__dataclass_fields__)
        frame = pd.DataFrame([[getattr(x, c) for c in columns] for x in items], columns=columns)
        lookup = self._wards_or_none()
        names = lookup.name if lookup is not None else (lambda c: c)
        frame.insert(
            frame.columns.get_loc("wards") + 1, "ward_names", [tuple(names(c) for c in ws) for ws in frame["wards"]]
        )
        return frame

    def count(self) -> int:
        with self.engine.connect() as conn:
            return int(conn.execute(sa.select(sa.func.count()).select_from(activity_table)).scalar_one())

    def state_key(self) -> str:
        """A short key that changes whenever any activity is added, changed or deleted (count,
        latest update and the sum of versions), for caches of views built from the register."""
        a = activity_table
        query = sa.select(sa.func.count(), sa.func.max(a.c.updated_at), sa.func.coalesce(sa.func.sum(a.c.version), 0))
        with self.engine.connect() as conn:
            count, latest, versions = conn.execute(query).one()
        return f"{count}|{latest}|{versions}"

    def organisations(self) -> list[Organisation]:
        """Every organisation with its sector and number of activities, by name."""
        o, a = organisation_table, activity_table
        stmt = (
            sa.select(o.c.name, o.c.sector, sa.func.count(a.c.record_id))
            .select_from(o.outerjoin(a, a.c.organisation_id == o.c.organisation_id))
            .group_by(o.c.organisation_id, o.c.name, o.c.sector)
            .order_by(o.c.name_key)
        )
        with self.engine.connect() as conn:
            return [Organisation(name, sector, int(n)) for name, sector, n in conn.execute(stmt)]

    def history(self, record_id: str) -> list[HistoryEntry]:
        """Every change to a record, oldest first (kept after the record is deleted)."""
        h = history_table
        stmt = sa.select(h).where(h.c.record_id == record_id).order_by(h.c.history_id)
        with self.engine.connect() as conn:
            return [
                HistoryEntry(r.record_id, r.version, _utc(r.changed_at), r.editor, r.action, r.before, r.after)
                for r in conn.execute(stmt)
            ]

    # --- writes ---------------------------------------------------------------------------------
    def create(self, data: Mapping[str, Any], *, editor: str) -> Activity:
        """Add an activity (template column names; record_id/version are ignored) and return it
        at version 1. Raises ValidationError listing every problem."""
        _check_editor(editor)
        data = {k: v for k, v in data.items() if k not in ("record_id", "version")}
        _reject_unknown(data)
        clean, issues = self.check(data)
        _raise_errors(issues)
        now = _now()
        with self._writer.begin() as conn:
            orgs = self._organisations_for(conn, [clean], now=now)
            record_id = str(uuid.uuid4())
            (activity,) = self._insert(conn, [(record_id, clean)], orgs, editor=editor, now=now)
        log.info("created activity %s (%s)", record_id, activity.title)
        return activity

    def update(self, record_id: str, changes: Mapping[str, Any], *, expected_version: int, editor: str) -> Activity:
        """Change some fields of an activity and return it at its new version.

        ``expected_version`` is the version the editor started from; when the record has moved
        on, ConflictError (carrying both versions) is raised and nothing is written. Raises
        NotFoundError and ValidationError too.
        """
        _check_editor(editor)
        _reject_unknown(changes)
        now = _now()
        with self._writer.begin() as conn:
            current = self._get(conn, record_id)
            if current.version != expected_version:
                raise ConflictError(record_id, expected_version=expected_version, current_version=current.version)
            merged = _editable(current)
            if "postcode" in changes and not ({"lon", "lat"} & set(changes)) and current.postcode:
                merged["lon"] = merged["lat"] = None  # the old point came from the old postcode
            merged.update({k: v for k, v in changes.items() if k not in ("record_id", "version")})
            clean, issues = self.check(merged)
            _raise_errors(issues)
            orgs = self._organisations_for(conn, [clean], now=now)
            (activity,) = self._update(conn, [(current, clean)], orgs, editor=editor, now=now)
        log.info("updated activity %s to version %d", record_id, activity.version)
        return activity

    def delete(self, record_id: str, *, expected_version: int, editor: str) -> None:
        """Delete an activity if it is still at ``expected_version`` (else ConflictError)."""
        _check_editor(editor)
        with self._writer.begin() as conn:
            current = self._get(conn, record_id)
            result = conn.execute(
                sa.delete(activity_table).where(
                    activity_table.c.record_id == record_id, activity_table.c.version == expected_version
                )
            )
            if result.rowcount != 1:
                raise ConflictError(record_id, expected_version=expected_version, current_version=current.version)
            conn.execute(
                sa.insert(history_table).values(
                    record_id=record_id,
                    version=current.version,
                    changed_at=_now(),
                    editor=editor,
                    action="delete",
                    before=current.snapshot(),
                    after=None,
                )
            )
        log.info("deleted activity %s", record_id)

    # --- import and export ----------------------------------------------------------------------
    def preview_import(self, source: str | Path | IO[bytes], *, filename: str | None = None) -> ImportPreview:
        """Check a CSV or .xlsx file against the template, the place and the register; write
        nothing. Returns every row's problems (row numbers as in the spreadsheet)."""
        with self.engine.connect() as conn:
            preview, _plan = self._plan_import(conn, source, filename=filename)
        return preview

    def import_file(self, source: str | Path | IO[bytes], *, editor: str, filename: str | None = None) -> ImportResult:
        """Import a CSV or .xlsx file in one transaction: rows with no record_id are added, rows
        whose record_id is in the register update it (when their version is current), rows with
        an unknown record_id are added under that id. Raises ImportRefused (with the preview)
        and writes nothing when any row has an error."""
        _check_editor(editor)
        now = _now()
        with self._writer.begin() as conn:
            preview, plan = self._plan_import(conn, source, filename=filename)
            if not preview.ok:
                log.info("import refused: %s", preview.summary())
                raise ImportRefused(preview)
            creates, updates = plan
            orgs = self._organisations_for(conn, [c for _, c in creates] + [c for _, c in updates], now=now)
            self._insert(conn, creates, orgs, editor=editor, now=now)
            self._update(conn, updates, orgs, editor=editor, now=now)
        log.info("imported: %s", preview.summary())
        return ImportResult(preview.to_create, preview.to_update, preview.unchanged, preview.warnings)

    def export_frame(self, **filters: Any) -> pd.DataFrame:
        """The activities (same filters as ``list``) as text cells in the template's columns,
        neutralised for spreadsheets."""
        return build_export_frame(self.list(**filters), wards=self._wards_or_none())

    def export(
        self,
        target: str | Path | IO[bytes],
        *,
        file_format: str | None = None,
        public: bool = False,
        threshold: int | None = None,
        **filters: Any,
    ) -> int:
        """Write activities to ``target`` as CSV or .xlsx (by ``file_format`` or the file's
        extension); returns the number of activities written. ``public=True`` suppresses reach
        counts below the small-number threshold (see ``exporter.build_export_frame``)."""
        fmt = (file_format or Path(str(target)).suffix.lstrip(".")).casefold()
        activities = self.list(**filters)
        if fmt == "csv":
            write_csv(
                build_export_frame(activities, wards=self._wards_or_none(), public=public, threshold=threshold), target
            )
        elif fmt == "xlsx":
            write_xlsx(activities, target, wards=self._wards_or_none(), public=public, threshold=threshold)
        else:
            raise ValueError(f"cannot export as '{fmt}': name the file .csv or .xlsx")
        return len(activities)

    def export_bytes(self, file_format: str = "csv", **options: Any) -> bytes:
        """The export as bytes (e.g. for a download button); options as for ``export``."""
        buffer = io.BytesIO()
        self.export(buffer, file_format=file_format, **options)
        return buffer.getvalue()

    # --- internals ------------------------------------------------------------------------------
    def _wards_or_none(self) -> WardLookup | None:
        try:
            return self.wards
        except RegisterConfigError:
            return None

    def _ward_code(self, text: str) -> str:
        lookup = self._wards_or_none()
        code = lookup.resolve(text) if lookup is not None else None
        return code or str(text).strip().upper()

    def _get(self, conn: sa.Connection, record_id: str) -> Activity:
        found = self._select(conn, [activity_table.c.record_id == record_id])
        if not found:
            raise NotFoundError(record_id)
        return found[0]

    def _select(self, conn: sa.Connection, where: Sequence[sa.ColumnElement[bool]]) -> list[Activity]:
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
        for start in range(0, len(ids), _CHUNK):
            chunk = ids[start : start + _CHUNK]
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
                created_at=_utc(r.created_at),
                updated_at=_utc(r.updated_at),
                updated_by=r.updated_by,
            )
            for r in rows
        ]

    def _organisations_for(
        self, conn: sa.Connection, cleans: Sequence[dict[str, Any]], *, now: dt.datetime
    ) -> dict[str, tuple[int, str]]:
        """name_key -> (organisation_id, name), adding organisations not yet in the register.
        Raises ValidationError when an organisation's sector differs from the stored one."""
        o = organisation_table
        wanted: dict[str, tuple[str, str]] = {}
        for clean in cleans:
            wanted.setdefault(_name_key(clean["organisation"]), (clean["organisation"], clean["sector"]))
        existing = {r.name_key: r for r in conn.execute(sa.select(o).where(o.c.name_key.in_(list(wanted))))}
        problems = [
            Issue(None, "sector", MSG_SECTOR_CONFLICT.format(name=existing[k].name, sector=existing[k].sector))
            for k, (_, sector) in wanted.items()
            if k in existing and existing[k].sector != sector
        ]
        _raise_errors(problems)
        new = [
            {"name": name, "name_key": k, "sector": sector, "created_at": now}
            for k, (name, sector) in wanted.items()
            if k not in existing
        ]
        if new:
            conn.execute(sa.insert(o), new)
            existing = {r.name_key: r for r in conn.execute(sa.select(o).where(o.c.name_key.in_(list(wanted))))}
        return {k: (r.organisation_id, r.name) for k, r in existing.items()}

    def _insert(
        self,
        conn: sa.Connection,
        items: Sequence[tuple[str, dict[str, Any]]],
        orgs: Mapping[str, tuple[int, str]],
        *,
        editor: str,
        now: dt.datetime,
    ) -> list[Activity]:
        if not items:
            return []
        activities = [_to_activity(rid, 1, c, orgs, created_at=now, updated_at=now, editor=editor) for rid, c in items]
        conn.execute(sa.insert(activity_table), [_activity_values(x, orgs) for x in activities])
        self._write_links(conn, activities)
        conn.execute(
            sa.insert(history_table),
            [
                {
                    "record_id": x.record_id,
                    "version": 1,
                    "changed_at": now,
                    "editor": editor,
                    "action": "create",
                    "before": None,
                    "after": x.snapshot(),
                }
                for x in activities
            ],
        )
        return activities

    def _update(
        self,
        conn: sa.Connection,
        items: Sequence[tuple[Activity, dict[str, Any]]],
        orgs: Mapping[str, tuple[int, str]],
        *,
        editor: str,
        now: dt.datetime,
    ) -> list[Activity]:
        if not items:
            return []
        a = activity_table
        out = []
        for current, clean in items:
            after = _to_activity(
                current.record_id,
                current.version + 1,
                clean,
                orgs,
                created_at=current.created_at,
                updated_at=now,
                editor=editor,
            )
            values = _activity_values(after, orgs)
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
        for start in range(0, len(ids), _CHUNK):
            chunk = ids[start : start + _CHUNK]
            conn.execute(sa.delete(theme_table).where(theme_table.c.record_id.in_(chunk)))
            conn.execute(sa.delete(ward_table).where(ward_table.c.record_id.in_(chunk)))
        self._write_links(conn, out)
        conn.execute(
            sa.insert(history_table),
            [
                {
                    "record_id": after.record_id,
                    "version": after.version,
                    "changed_at": now,
                    "editor": editor,
                    "action": "update",
                    "before": current.snapshot(),
                    "after": after.snapshot(),
                }
                for (current, _), after in zip(items, out, strict=True)
            ],
        )
        return out

    @staticmethod
    def _write_links(conn: sa.Connection, activities: Sequence[Activity]) -> None:
        themes = [{"record_id": x.record_id, "theme": t} for x in activities for t in x.themes]
        wards = [{"record_id": x.record_id, "ward_code": w} for x in activities for w in x.wards]
        if themes:
            conn.execute(sa.insert(theme_table), themes)
        if wards:
            conn.execute(sa.insert(ward_table), wards)

    def _plan_import(self, conn: sa.Connection, source: str | Path | IO[bytes], *, filename: str | None):
        sheet = read_sheet(source, filename=filename)
        preview = ImportPreview(rows=len(sheet.rows), issues=list(sheet.issues))
        creates: list[tuple[str, dict[str, Any]]] = []
        updates: list[tuple[Activity, dict[str, Any]]] = []
        if not sheet.ok:
            return preview, (creates, updates)
        checked: list[tuple[int, dict[str, Any]]] = []
        for row, cells in sheet.rows:
            clean, issues = self.check(cells, row=row)
            preview.issues.extend(issues)
            checked.append((row, clean))

        # one sector per organisation, in the file and against the register
        o = organisation_table
        first_seen: dict[str, tuple[str, int]] = {}
        for row, clean in checked:
            if clean["organisation"] and clean["sector"]:
                key = _name_key(clean["organisation"])
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
        for start in range(0, len(keys), _CHUNK):
            stored.update(
                {
                    r.name_key: r
                    for r in conn.execute(sa.select(o).where(o.c.name_key.in_(keys[start : start + _CHUNK])))
                }
            )
        for row, clean in checked:
            if clean["organisation"] and clean["sector"]:
                org = stored.get(_name_key(clean["organisation"]))
                if org is not None and org.sector != clean["sector"]:
                    preview.issues.append(
                        Issue(row, "sector", MSG_SECTOR_CONFLICT.format(name=org.name, sector=org.sector))
                    )

        # record ids: new, updated, unchanged, stale
        seen_ids: dict[str, int] = {}
        ids = [c["record_id"] for _, c in checked if c["record_id"]]
        current: dict[str, Activity] = {}
        for start in range(0, len(ids), _CHUNK):
            for x in self._select(conn, [activity_table.c.record_id.in_(ids[start : start + _CHUNK])]):
                current[x.record_id] = x
        for row, clean in checked:
            rid = clean["record_id"]
            if rid is None:
                creates.append((str(uuid.uuid4()), clean))
                continue
            if rid in seen_ids:
                preview.issues.append(
                    Issue(row, "record_id", MSG_DUPLICATE_ID.format(record_id=rid, first=seen_ids[rid]))
                )
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


# --- helpers -----------------------------------------------------------------------------------
def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _check_editor(editor: str) -> None:
    if not editor or not str(editor).strip():
        raise ValueError("editor is required: say who is making the change (a name or sign-in id)")


def _reject_unknown(data: Mapping[str, Any]) -> None:
    unknown = sorted(set(data) - set(EDITABLE_FIELDS) - {"record_id", "version"})
    if unknown:
        raise ValueError(f"unknown fields {unknown}; use the template's columns: {', '.join(EDITABLE_FIELDS)}")


def _raise_errors(issues: Sequence[Issue]) -> None:
    errors = [i for i in issues if i.severity == "error"]
    if errors:
        raise ValidationError(errors)


def _choices(value: str | Iterable[str], choices: Sequence[str], aliases: Mapping[str, str], label: str) -> list[str]:
    out = []
    for item in _as_list(value):
        match = match_choice(item, choices, aliases)
        if match is None:
            raise ValueError(f"'{item}' is not a {label}; use one of: {', '.join(choices)}")
        out.append(match)
    return out


def _editable(activity: Activity) -> dict[str, Any]:
    return {
        "organisation": activity.organisation,
        "sector": activity.sector,
        "title": activity.title,
        "description": activity.description,
        "activity_type": activity.activity_type,
        "themes": list(activity.themes),
        "status": activity.status,
        "start_date": activity.start_date,
        "end_date": activity.end_date,
        "reach_count": activity.reach_count,
        "reach_unit": activity.reach_unit,
        "reach_period": activity.reach_period,
        "wards": list(activity.wards),
        "postcode": activity.postcode,
        "lon": activity.lon,
        "lat": activity.lat,
        "contact_role": activity.contact_role,
    }


def _to_activity(
    record_id: str,
    version: int,
    clean: Mapping[str, Any],
    orgs: Mapping[str, tuple[int, str]],
    *,
    created_at: dt.datetime,
    updated_at: dt.datetime,
    editor: str,
) -> Activity:
    _, org_name = orgs[_name_key(clean["organisation"])]
    theme_order = {t: i for i, t in enumerate(THEMES)}
    return Activity(
        record_id=record_id,
        version=version,
        organisation=org_name,
        sector=clean["sector"],
        title=clean["title"],
        description=clean["description"],
        activity_type=clean["activity_type"],
        themes=tuple(sorted(clean["themes"], key=lambda t: theme_order[t])),
        status=clean["status"],
        start_date=clean["start_date"],
        end_date=clean["end_date"],
        reach_count=clean["reach_count"],
        reach_unit=clean["reach_unit"],
        reach_period=clean["reach_period"],
        wards=tuple(sorted(clean["wards"])),
        postcode=clean["postcode"],
        lon=clean["lon"],
        lat=clean["lat"],
        location_ward_code=clean["location_ward_code"],
        contact_role=clean["contact_role"],
        created_at=created_at,
        updated_at=updated_at,
        updated_by=editor,
    )


def _activity_values(x: Activity, orgs: Mapping[str, tuple[int, str]]) -> dict[str, Any]:
    return {
        "record_id": x.record_id,
        "organisation_id": orgs[_name_key(x.organisation)][0],
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


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 6)


def _content(x: Activity) -> tuple:
    return (
        _name_key(x.organisation),
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
        _name_key(c["organisation"]),
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
