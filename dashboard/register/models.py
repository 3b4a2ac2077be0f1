"""The register's vocabulary, its tables and the records the API hands back.

The model follows Open Referral UK in spirit: an *organisation* runs an *activity* (ORUK's
service), which happens at *locations* (here: one or more wards and/or a postcode or point) and
has a *contact* (here a role only, never a person's details). Record ids are UUID strings so an
exported file can be imported into another register and keep its ids.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

# --- fixed lists (the spellings stored and shown) ----------------------------------------------
SECTORS: tuple[str, ...] = ("NHS", "council", "leisure", "voluntary/community", "other")
ACTIVITY_TYPES: tuple[str, ...] = ("service", "programme", "event", "venue")
STATUSES: tuple[str, ...] = ("planned", "active", "paused", "ended")
THEMES: tuple[str, ...] = (
    "mental health",
    "physical activity",
    "healthy weight",
    "social isolation",
    "financial inclusion",
    "smoking",
    "alcohol and drugs",
    "carers",
    "children and families",
    "older people",
    "long-term conditions",
    "housing",
    "employment and skills",
)
REACH_UNITS: tuple[str, ...] = ("people", "sessions")
REACH_PERIODS: tuple[str, ...] = ("week", "month", "quarter", "year", "total")
ACTIONS: tuple[str, ...] = ("create", "update", "delete")

# Other spellings people type, mapped to the stored value (keys are normalised: lower case,
# single spaces). Anything else is matched case- and spacing-insensitively against the lists.
SECTOR_ALIASES: dict[str, str] = {
    "nhs": "NHS",
    "health": "NHS",
    "local authority": "council",
    "borough council": "council",
    "county council": "council",
    "voluntary": "voluntary/community",
    "community": "voluntary/community",
    "voluntary and community": "voluntary/community",
    "voluntary community": "voluntary/community",
    "vcs": "voluntary/community",
    "vcfse": "voluntary/community",
    "charity": "voluntary/community",
    "leisure trust": "leisure",
}
TYPE_ALIASES: dict[str, str] = {"program": "programme", "place": "venue", "one-off event": "event"}
STATUS_ALIASES: dict[str, str] = {
    "live": "active",
    "running": "active",
    "on hold": "paused",
    "closed": "ended",
    "finished": "ended",
    "stopped": "ended",
}
THEME_ALIASES: dict[str, str] = {
    "mental wellbeing": "mental health",
    "exercise": "physical activity",
    "loneliness": "social isolation",
    "money": "financial inclusion",
    "debt": "financial inclusion",
    "tobacco": "smoking",
    "alcohol": "alcohol and drugs",
    "drugs": "alcohol and drugs",
    "substance misuse": "alcohol and drugs",
    "families": "children and families",
    "children": "children and families",
    "weight": "healthy weight",
    "obesity": "healthy weight",
    "unpaid carers": "carers",
    "ageing well": "older people",
}
REACH_PERIOD_ALIASES: dict[str, str] = {
    "weekly": "week",
    "per week": "week",
    "a week": "week",
    "monthly": "month",
    "per month": "month",
    "a month": "month",
    "quarterly": "quarter",
    "per quarter": "quarter",
    "a quarter": "quarter",
    "yearly": "year",
    "annually": "year",
    "annual": "year",
    "per year": "year",
    "a year": "year",
    "per annum": "year",
    "one-off": "total",
    "in total": "total",
    "whole activity": "total",
}
# How many of a reach period make a year; "total" (the whole life of the activity) counts once.
PERIODS_PER_YEAR: dict[str, int] = {"week": 52, "month": 12, "quarter": 4, "year": 1, "total": 1}

# The columns of the import template and of every export, in order. ``record_id`` and ``version``
# are blank for a new activity; ``last_updated`` and ``updated_by`` are filled in by the register
# and ignored on import.
TEMPLATE_COLUMNS: tuple[str, ...] = (
    "record_id",
    "version",
    "organisation",
    "sector",
    "title",
    "description",
    "activity_type",
    "themes",
    "status",
    "start_date",
    "end_date",
    "reach_count",
    "reach_unit",
    "reach_period",
    "wards",
    "postcode",
    "lon",
    "lat",
    "contact_role",
    "last_updated",
    "updated_by",
)
REQUIRED_COLUMNS: tuple[str, ...] = ("organisation", "sector", "title", "activity_type", "themes", "status")
READ_ONLY_COLUMNS: tuple[str, ...] = ("last_updated", "updated_by")
LIST_SEPARATOR = ";"
MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


# --- tables ------------------------------------------------------------------------------------
class Base(DeclarativeBase):
    pass


class OrganisationRow(Base):
    __tablename__ = "organisation"
    organisation_id: Mapped[int] = mapped_column(sa.Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(sa.String(200), nullable=False)
    name_key: Mapped[str] = mapped_column(sa.String(200), nullable=False, unique=True)
    sector: Mapped[str] = mapped_column(sa.String(40), nullable=False)
    created_at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True), nullable=False)


class ActivityRow(Base):
    __tablename__ = "activity"
    record_id: Mapped[str] = mapped_column(sa.String(36), primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("organisation.organisation_id"), nullable=False, index=True
    )
    title: Mapped[str] = mapped_column(sa.String(300), nullable=False)
    description: Mapped[str | None] = mapped_column(sa.Text)
    activity_type: Mapped[str] = mapped_column(sa.String(20), nullable=False)
    status: Mapped[str] = mapped_column(sa.String(20), nullable=False)
    start_date: Mapped[dt.date | None] = mapped_column(sa.Date)
    end_date: Mapped[dt.date | None] = mapped_column(sa.Date)
    reach_count: Mapped[int | None] = mapped_column(sa.Integer)
    reach_unit: Mapped[str | None] = mapped_column(sa.String(20))
    reach_period: Mapped[str | None] = mapped_column(sa.String(20))
    postcode: Mapped[str | None] = mapped_column(sa.String(10))
    lon: Mapped[float | None] = mapped_column(sa.Float)
    lat: Mapped[float | None] = mapped_column(sa.Float)
    location_ward_code: Mapped[str | None] = mapped_column(sa.String(12))
    contact_role: Mapped[str | None] = mapped_column(sa.String(200))
    created_at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True), nullable=False)
    updated_at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True), nullable=False)
    updated_by: Mapped[str] = mapped_column(sa.String(200), nullable=False)
    version: Mapped[int] = mapped_column(sa.Integer, nullable=False)


class ActivityThemeRow(Base):
    __tablename__ = "activity_theme"
    record_id: Mapped[str] = mapped_column(sa.ForeignKey("activity.record_id", ondelete="CASCADE"), primary_key=True)
    theme: Mapped[str] = mapped_column(sa.String(40), primary_key=True, index=True)


class ActivityWardRow(Base):
    __tablename__ = "activity_ward"
    record_id: Mapped[str] = mapped_column(sa.ForeignKey("activity.record_id", ondelete="CASCADE"), primary_key=True)
    ward_code: Mapped[str] = mapped_column(sa.String(12), primary_key=True, index=True)


class HistoryRow(Base):
    __tablename__ = "activity_history"
    history_id: Mapped[int] = mapped_column(sa.Integer, primary_key=True, autoincrement=True)
    record_id: Mapped[str] = mapped_column(sa.String(36), nullable=False, index=True)
    version: Mapped[int] = mapped_column(sa.Integer, nullable=False)
    changed_at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True), nullable=False)
    editor: Mapped[str] = mapped_column(sa.String(200), nullable=False)
    action: Mapped[str] = mapped_column(sa.String(10), nullable=False)
    before: Mapped[dict[str, Any] | None] = mapped_column(sa.JSON)
    after: Mapped[dict[str, Any] | None] = mapped_column(sa.JSON)


metadata = Base.metadata
organisation_table: sa.Table = OrganisationRow.__table__  # type: ignore[assignment]
activity_table: sa.Table = ActivityRow.__table__  # type: ignore[assignment]
theme_table: sa.Table = ActivityThemeRow.__table__  # type: ignore[assignment]
ward_table: sa.Table = ActivityWardRow.__table__  # type: ignore[assignment]
history_table: sa.Table = HistoryRow.__table__  # type: ignore[assignment]


# --- records handed to callers -----------------------------------------------------------------
@dataclass(frozen=True)
class Issue:
    """One problem found in a row (or in the whole file when ``row`` is None).

    ``row`` is the spreadsheet row number (the header is row 1, so the first activity is row 2);
    ``severity`` is ``"error"`` (the file is refused) or ``"warning"`` (the row is accepted).
    """

    row: int | None
    column: str | None
    message: str
    severity: str = "error"

    def __str__(self) -> str:
        where = "File" if self.row is None else f"Row {self.row}"
        if self.column:
            where += f", column '{self.column}'"
        label = "" if self.severity == "error" else " (warning)"
        return f"{where}{label}: {self.message}"


@dataclass(frozen=True)
class Activity:
    """One activity as stored, with its organisation. ``wards`` holds ward codes."""

    record_id: str
    version: int
    organisation: str
    sector: str
    title: str
    description: str | None
    activity_type: str
    themes: tuple[str, ...]
    status: str
    start_date: dt.date | None
    end_date: dt.date | None
    reach_count: int | None
    reach_unit: str | None
    reach_period: str | None
    wards: tuple[str, ...]
    postcode: str | None
    lon: float | None
    lat: float | None
    location_ward_code: str | None
    contact_role: str | None
    created_at: dt.datetime
    updated_at: dt.datetime
    updated_by: str

    def editable(self) -> dict[str, Any]:
        """The fields an editor can change (template column names, lists as lists), in template order."""
        return {
            "organisation": self.organisation,
            "sector": self.sector,
            "title": self.title,
            "description": self.description,
            "activity_type": self.activity_type,
            "themes": list(self.themes),
            "status": self.status,
            "start_date": self.start_date,
            "end_date": self.end_date,
            "reach_count": self.reach_count,
            "reach_unit": self.reach_unit,
            "reach_period": self.reach_period,
            "wards": list(self.wards),
            "postcode": self.postcode,
            "lon": self.lon,
            "lat": self.lat,
            "contact_role": self.contact_role,
        }

    def snapshot(self) -> dict[str, Any]:
        """A JSON-ready dict of every field (dates as ISO text), as kept in the change history."""
        out = asdict(self)
        for key, value in out.items():
            if isinstance(value, (dt.date, dt.datetime)):
                out[key] = value.isoformat()
            elif isinstance(value, tuple):
                out[key] = list(value)
        return out


@dataclass(frozen=True)
class HistoryEntry:
    """One change to a record: ``before`` is None for a create, ``after`` None for a delete."""

    record_id: str
    version: int
    changed_at: dt.datetime
    editor: str
    action: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None


@dataclass(frozen=True)
class Organisation:
    name: str
    sector: str
    activity_count: int = 0


@dataclass
class ImportPreview:
    """What an import would do: the rows read, every problem found, and the counts.

    ``ok`` is True when no problem is an error; only then does ``Store.import_file`` write.
    """

    rows: int
    issues: list[Issue] = field(default_factory=list)
    to_create: int = 0
    to_update: int = 0
    unchanged: int = 0

    @property
    def errors(self) -> list[Issue]:
        return [i for i in self.issues if i.severity == "error"]

    @property
    def warnings(self) -> list[Issue]:
        return [i for i in self.issues if i.severity == "warning"]

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self) -> str:
        if self.ok:
            return (
                f"{self.rows} rows read: {self.to_create} new, {self.to_update} changed, "
                f"{self.unchanged} unchanged; {len(self.warnings)} warnings"
            )
        rows_with_errors = len({i.row for i in self.errors})
        return (
            f"{self.rows} rows read: {len(self.errors)} problems in {rows_with_errors} rows; "
            "nothing was saved. Fix them and import the file again."
        )


@dataclass(frozen=True)
class ImportResult:
    created: int
    updated: int
    unchanged: int
    warnings: list[Issue]
