"""Write activities to CSV or Excel in exactly the import template's columns.

Cells that a spreadsheet would run as a formula (text starting with = + - @, a tab or a carriage
return) get a leading apostrophe; plain numbers such as -2.36 are left alone. The importer drops
that apostrophe again, so an export imports back unchanged.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
import re
from collections.abc import Iterable
from pathlib import Path
from typing import IO, Any

import pandas as pd

from dashboard.core.spreadsheet import neutralise
from dashboard.register.models import LIST_SEPARATOR, TEMPLATE_COLUMNS, Activity
from dashboard.register.places import WardLookup

log = logging.getLogger(__name__)

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def activity_cells(activity: Activity, *, wards: WardLookup | None = None) -> dict[str, Any]:
    """One activity as typed template cells (dates as dates, numbers as numbers, lists joined)."""
    join = f"{LIST_SEPARATOR} ".join
    ward_text = join(wards.name(c) if wards is not None else c for c in activity.wards)
    return {
        "record_id": activity.record_id,
        "version": activity.version,
        **activity.editable(),
        "themes": join(activity.themes),
        "wards": ward_text,
        "lon": None if activity.lon is None else round(activity.lon, 6),
        "lat": None if activity.lat is None else round(activity.lat, 6),
        "last_updated": activity.updated_at.astimezone(dt.UTC).replace(microsecond=0).isoformat(),
        "updated_by": activity.updated_by,
    }


def build_export_frame(
    activities: Iterable[Activity],
    *,
    wards: WardLookup | None = None,
    public: bool = False,
    threshold: int | None = None,
) -> pd.DataFrame:
    """The activities as text cells in template column order, neutralised for spreadsheets.

    ``public=True``: a reach below the small-number threshold (``dashboard.core.disclosure``)
    is shown as "<5" and explained in an extra last column ``note``."""
    records = []
    for activity in activities:
        cells = activity_cells(activity, wards=wards)
        if public:
            cells = public_cells(cells, threshold=threshold)
        records.append({k: neutralise(_text(v)) for k, v in cells.items()})
    columns = list(TEMPLATE_COLUMNS) + ([PUBLIC_NOTE_COLUMN] if public else [])
    return pd.DataFrame(records, columns=columns, dtype=object)


PUBLIC_NOTE_COLUMN = "note"


def public_cells(cells: dict[str, Any], *, threshold: int | None = None) -> dict[str, Any]:
    """One activity's cells for a public view: a small reach becomes "<5" with a note."""
    from dashboard.core import disclosure

    out = dict(cells)
    out[PUBLIC_NOTE_COLUMN] = None
    shown = disclosure.suppress_value(cells.get("reach_count"), threshold)
    if shown.suppressed:
        out["reach_count"] = shown.text
        out[PUBLIC_NOTE_COLUMN] = disclosure.note(threshold)
    return out


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def write_csv(frame: pd.DataFrame, target: str | Path | IO[bytes]) -> None:
    """CSV in UTF-8 with a byte-order mark so Excel reads accents and apostrophes right."""
    data = frame.to_csv(index=False, lineterminator="\r\n").encode("utf-8-sig")
    _write(data, target)


def write_xlsx(
    activities: Iterable[Activity],
    target: str | Path | IO[bytes],
    *,
    wards: WardLookup | None = None,
    public: bool = False,
    threshold: int | None = None,
) -> None:
    """An Excel workbook with one sheet 'activities': dates as date cells, counts and
    coordinates as numbers, text neutralised. ``public=True`` as for ``build_export_frame``."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    ws = book.active
    ws.title = "activities"
    columns = list(TEMPLATE_COLUMNS) + ([PUBLIC_NOTE_COLUMN] if public else [])
    ws.append(columns)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for activity in activities:
        cells = activity_cells(activity, wards=wards)
        if public:
            cells = public_cells(cells, threshold=threshold)
        ws.append([_xlsx_value(cells[c]) for c in columns])
    for column in ("start_date", "end_date"):
        letter = ws.cell(row=1, column=TEMPLATE_COLUMNS.index(column) + 1).column_letter
        for cell in ws[letter][1:]:
            cell.number_format = "yyyy-mm-dd"
    ws.freeze_panes = "A2"
    buffer = io.BytesIO()
    book.save(buffer)
    _write(buffer.getvalue(), target)


def _xlsx_value(value: Any) -> Any:
    if isinstance(value, str):
        return neutralise(_CONTROL.sub("", value)) or None
    return value


def _write(data: bytes, target: str | Path | IO[bytes]) -> None:
    if isinstance(target, (str, Path)):
        Path(target).parent.mkdir(parents=True, exist_ok=True)
        Path(target).write_bytes(data)
        log.info("wrote %s (%d bytes)", target, len(data))
    else:
        target.write(data)


def export_public(
    store,
    target: str | Path | IO[bytes],
    *,
    file_format: str | None = None,  # noqa: ANN001
    threshold: int | None = None,
    **filters: Any,
) -> int:
    """The public export of a ``Store``: ``Store.export`` with small reach counts suppressed
    (see ``build_export_frame``). Returns the number of activities written."""
    return store.export(target, file_format=file_format, public=True, threshold=threshold, **filters)


def export_public_bytes(
    store,
    file_format: str = "csv",
    *,
    threshold: int | None = None,  # noqa: ANN001
    **filters: Any,
) -> bytes:
    """The public export as bytes (e.g. for a download button on a public page)."""
    buffer = io.BytesIO()
    export_public(store, buffer, file_format=file_format, threshold=threshold, **filters)
    return buffer.getvalue()
