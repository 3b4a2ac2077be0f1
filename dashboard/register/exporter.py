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

from dashboard.register.models import LIST_SEPARATOR, TEMPLATE_COLUMNS, Activity
from dashboard.register.places import WardLookup
from dashboard.register.validation import FORMULA_STARTS

log = logging.getLogger(__name__)

_NUMBER = re.compile(r"^-?\d+(\.\d+)?$")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def neutralise(value: Any) -> Any:
    """Prefix an apostrophe to text a spreadsheet would treat as a formula; other values unchanged."""
    if isinstance(value, str) and value and value[0] in FORMULA_STARTS and not _NUMBER.match(value):
        return "'" + value
    return value


def activity_cells(activity: Activity, *, wards: WardLookup | None = None) -> dict[str, Any]:
    """One activity as typed template cells (dates as dates, numbers as numbers, lists joined)."""
    join = f"{LIST_SEPARATOR} ".join
    ward_text = join(wards.name(c) if wards is not None else c for c in activity.wards)
    return {
        "record_id": activity.record_id,
        "version": activity.version,
        "organisation": activity.organisation,
        "sector": activity.sector,
        "title": activity.title,
        "description": activity.description,
        "activity_type": activity.activity_type,
        "themes": join(activity.themes),
        "status": activity.status,
        "start_date": activity.start_date,
        "end_date": activity.end_date,
        "reach_count": activity.reach_count,
        "reach_unit": activity.reach_unit,
        "reach_period": activity.reach_period,
        "wards": ward_text,
        "postcode": activity.postcode,
        "lon": None if activity.lon is None else round(activity.lon, 6),
        "lat": None if activity.lat is None else round(activity.lat, 6),
        "contact_role": activity.contact_role,
        "last_updated": activity.updated_at.astimezone(dt.UTC).replace(microsecond=0).isoformat(),
        "updated_by": activity.updated_by,
    }


def build_export_frame(activities: Iterable[Activity], *, wards: WardLookup | None = None) -> pd.DataFrame:
    """The activities as text cells in template column order, neutralised for spreadsheets."""
    records = []
    for activity in activities:
        cells = activity_cells(activity, wards=wards)
        records.append({k: neutralise(_text(v)) for k, v in cells.items()})
    return pd.DataFrame(records, columns=list(TEMPLATE_COLUMNS), dtype=object)


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


def write_xlsx(activities: Iterable[Activity], target: str | Path | IO[bytes], *,
               wards: WardLookup | None = None) -> None:
    """An Excel workbook with one sheet 'activities': dates as date cells, counts and
    coordinates as numbers, text neutralised."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    ws = book.active
    ws.title = "activities"
    ws.append(list(TEMPLATE_COLUMNS))
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for activity in activities:
        cells = activity_cells(activity, wards=wards)
        ws.append([_xlsx_value(cells[c]) for c in TEMPLATE_COLUMNS])
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
