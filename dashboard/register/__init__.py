"""The partner activity register: who does what, where, for whom (issue 4).

Pure Python (no Streamlit). The page and the CLI use this API:

    from dashboard.register import Store, ConflictError, ImportRefused
    store = Store()                      # DATABASE_URL, else data/register.sqlite; migrates on open
    a = store.create({"organisation": "...", "sector": "NHS", "title": "...", "activity_type": "service",
                      "themes": "mental health; carers", "status": "active", "wards": "Central"}, editor="sam")
    a = store.update(a.record_id, {"status": "paused"}, expected_version=a.version, editor="sam")
    store.delete(a.record_id, expected_version=a.version, editor="sam")
    store.list(theme="mental health", ward="Church", search="walk")   # -> list[Activity]
    store.frame(sector="NHS")                                          # -> DataFrame (map/table)
    store.history(record_id)                                           # -> list[HistoryEntry]
    preview = store.preview_import("file.xlsx")                        # -> ImportPreview (writes nothing)
    store.import_file("file.xlsx", editor="sam")                       # all rows in one transaction
    store.export("out.xlsx") / store.export_bytes("csv")

    from dashboard.register.need import build_need_vs_activity
    result = build_need_vs_activity(need_frame, store.frame(), themes=["mental health"])

Records are mappings keyed by the template's column names (``TEMPLATE_COLUMNS``); the fixed lists
are ``SECTORS``, ``ACTIVITY_TYPES``, ``STATUSES``, ``THEMES``, ``REACH_UNITS``, ``REACH_PERIODS``.
"""

from dashboard.register.errors import (
    ConflictError,
    ImportRefused,
    NotFoundError,
    RegisterConfigError,
    RegisterError,
    ValidationError,
)
from dashboard.register.models import (
    ACTIVITY_TYPES,
    REACH_PERIODS,
    REACH_UNITS,
    SECTORS,
    STATUSES,
    TEMPLATE_COLUMNS,
    THEMES,
    Activity,
    HistoryEntry,
    ImportPreview,
    ImportResult,
    Issue,
    Organisation,
)
from dashboard.register.store import Store

__all__ = [
    "ACTIVITY_TYPES",
    "REACH_PERIODS",
    "REACH_UNITS",
    "SECTORS",
    "STATUSES",
    "TEMPLATE_COLUMNS",
    "THEMES",
    "Activity",
    "ConflictError",
    "HistoryEntry",
    "ImportPreview",
    "ImportRefused",
    "ImportResult",
    "Issue",
    "NotFoundError",
    "Organisation",
    "RegisterConfigError",
    "RegisterError",
    "Store",
    "ValidationError",
]
