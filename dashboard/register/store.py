"""The register's store: every read and write of activities goes through ``Store``.

Writes are optimistic: each activity has a ``version``; an update or delete names the version the
editor saw and is refused with ``ConflictError`` when the stored version has moved on. Every write
adds a row to the change history with JSON snapshots before and after.
"""

from __future__ import annotations

import io
import logging
import uuid
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import IO, Any

import pandas as pd
import sqlalchemy as sa

from dashboard.register.connection import WRITE_OPTION, make_engine, normalise_url, upgrade_database, utc
from dashboard.register.errors import ConflictError, ImportRefused, RegisterConfigError
from dashboard.register.exporter import build_export_frame, write_csv, write_xlsx
from dashboard.register.import_plan import plan_import
from dashboard.register.models import (
    SECTOR_ALIASES,
    SECTORS,
    STATUS_ALIASES,
    STATUSES,
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
from dashboard.register.queries import as_list, choices, get_activity, name_key, select_activities
from dashboard.register.validation import check_activity
from dashboard.register.writes import (
    EDITABLE_FIELDS,
    check_editor,
    history_row,
    insert_activities,
    organisations_for,
    raise_errors,
    reject_unknown,
    update_activities,
    utc_now,
)
from pipelines import settings

__all__ = ["EDITABLE_FIELDS", "Store", "make_engine", "normalise_url", "upgrade_database"]

log = logging.getLogger(__name__)

MSG_NO_WARDS = (
    "no ward list for the place: build the data first (make data, which writes {path}), "
    "or pass wards={{code: name}} to Store."
)


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
        self._writer = self.engine.execution_options(**{WRITE_OPTION: True})
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
            return get_activity(conn, record_id)

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
            where.append(o.c.name_key.in_([name_key(n) for n in as_list(organisation)]))
        if sector is not None:
            where.append(o.c.sector.in_(choices(sector, SECTORS, SECTOR_ALIASES, "sector")))
        if status is not None:
            where.append(a.c.status.in_(choices(status, STATUSES, STATUS_ALIASES, "status")))
        if theme is not None:
            themes = choices(theme, THEMES, THEME_ALIASES, "theme")
            where.append(a.c.record_id.in_(sa.select(theme_table.c.record_id).where(theme_table.c.theme.in_(themes))))
        if ward is not None:
            codes = [self._ward_code(w) for w in as_list(ward)]
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
            return select_activities(conn, where)

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
                HistoryEntry(r.record_id, r.version, utc(r.changed_at), r.editor, r.action, r.before, r.after)
                for r in conn.execute(stmt)
            ]

    # --- writes ---------------------------------------------------------------------------------
    def create(self, data: Mapping[str, Any], *, editor: str) -> Activity:
        """Add an activity (template column names; record_id/version are ignored) and return it
        at version 1. Raises ValidationError listing every problem."""
        check_editor(editor)
        data = {k: v for k, v in data.items() if k not in ("record_id", "version")}
        reject_unknown(data)
        clean, issues = self.check(data)
        raise_errors(issues)
        now = utc_now()
        with self._writer.begin() as conn:
            orgs = organisations_for(conn, [clean], now=now)
            record_id = str(uuid.uuid4())
            (activity,) = insert_activities(conn, [(record_id, clean)], orgs, editor=editor, now=now)
        log.info("created activity %s (%s)", record_id, activity.title)
        return activity

    def update(self, record_id: str, changes: Mapping[str, Any], *, expected_version: int, editor: str) -> Activity:
        """Change some fields of an activity and return it at its new version.

        ``expected_version`` is the version the editor started from; when the record has moved
        on, ConflictError (carrying both versions) is raised and nothing is written. Raises
        NotFoundError and ValidationError too.
        """
        check_editor(editor)
        reject_unknown(changes)
        now = utc_now()
        with self._writer.begin() as conn:
            current = get_activity(conn, record_id)
            if current.version != expected_version:
                raise ConflictError(record_id, expected_version=expected_version, current_version=current.version)
            merged = current.editable()
            if "postcode" in changes and not ({"lon", "lat"} & set(changes)) and current.postcode:
                merged["lon"] = merged["lat"] = None  # the old point came from the old postcode
            merged.update({k: v for k, v in changes.items() if k not in ("record_id", "version")})
            clean, issues = self.check(merged)
            raise_errors(issues)
            orgs = organisations_for(conn, [clean], now=now)
            (activity,) = update_activities(conn, [(current, clean)], orgs, editor=editor, now=now)
        log.info("updated activity %s to version %d", record_id, activity.version)
        return activity

    def delete(self, record_id: str, *, expected_version: int, editor: str) -> None:
        """Delete an activity if it is still at ``expected_version`` (else ConflictError)."""
        check_editor(editor)
        with self._writer.begin() as conn:
            current = get_activity(conn, record_id)
            result = conn.execute(
                sa.delete(activity_table).where(
                    activity_table.c.record_id == record_id, activity_table.c.version == expected_version
                )
            )
            if result.rowcount != 1:
                raise ConflictError(record_id, expected_version=expected_version, current_version=current.version)
            conn.execute(
                sa.insert(history_table).values(history_row("delete", current, None, editor=editor, now=utc_now()))
            )
        log.info("deleted activity %s", record_id)

    # --- import and export ----------------------------------------------------------------------
    def preview_import(self, source: str | Path | IO[bytes], *, filename: str | None = None) -> ImportPreview:
        """Check a CSV or .xlsx file against the template, the place and the register; write
        nothing. Returns every row's problems (row numbers as in the spreadsheet)."""
        with self.engine.connect() as conn:
            preview, _plan = plan_import(conn, source, filename=filename, check=self.check)
        return preview

    def import_file(self, source: str | Path | IO[bytes], *, editor: str, filename: str | None = None) -> ImportResult:
        """Import a CSV or .xlsx file in one transaction: rows with no record_id are added, rows
        whose record_id is in the register update it (when their version is current), rows with
        an unknown record_id are added under that id. Raises ImportRefused (with the preview)
        and writes nothing when any row has an error."""
        check_editor(editor)
        now = utc_now()
        with self._writer.begin() as conn:
            preview, plan = plan_import(conn, source, filename=filename, check=self.check)
            if not preview.ok:
                log.info("import refused: %s", preview.summary())
                raise ImportRefused(preview)
            creates, updates = plan
            orgs = organisations_for(conn, [c for _, c in creates] + [c for _, c in updates], now=now)
            insert_activities(conn, creates, orgs, editor=editor, now=now)
            update_activities(conn, updates, orgs, editor=editor, now=now)
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
