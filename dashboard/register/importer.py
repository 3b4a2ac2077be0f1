"""Read an activity spreadsheet (CSV or Excel .xlsx) into rows of cells keyed by template column.

Only reading and header checks live here; checking each row and writing happen in ``Store``
(``Store.preview_import`` and ``Store.import_file``), so the check runs inside the same
transaction as the write.
"""

from __future__ import annotations

import csv
import io
import logging
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from dashboard.register.models import READ_ONLY_COLUMNS, REQUIRED_COLUMNS, TEMPLATE_COLUMNS, Issue

log = logging.getLogger(__name__)

MAX_ROWS = 50_000
MSG_NO_COLUMN = ("the file has no column '{column}'. Start from the template "
                 "(data/templates/partner_activity_template.csv) and keep its header row.")
MSG_EXTRA_COLUMN = "the column '{column}' is not in the template and will be ignored."
MSG_DUPLICATE_COLUMN = "the column '{column}' appears more than once; keep one."
MSG_EMPTY = "the file has no activities below the header row."
MSG_TOO_MANY = "the file has {rows} rows; import at most {limit} at a time."
MSG_UNREADABLE = "the file could not be read as {kind} ({detail}). Save it as CSV (UTF-8) or Excel (.xlsx)."
MSG_BAD_KIND = "'{name}' is neither a .csv nor an .xlsx file. Save it as CSV (UTF-8) or Excel (.xlsx)."


@dataclass
class Sheet:
    """The rows of a file: ``rows`` pairs each spreadsheet row number with its cells."""

    rows: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not any(i.severity == "error" for i in self.issues)


def _column_key(text: Any) -> str:
    return re.sub(r"[\s\-]+", "_", str(text or "").strip().casefold())


def read_sheet(source: str | Path | IO[bytes], *, filename: str | None = None) -> Sheet:
    """Read a CSV or .xlsx file (a path, or a binary file object with ``filename`` giving its
    name, e.g. a Streamlit upload) into a Sheet; file-level problems go in ``Sheet.issues``."""
    name = filename or (str(source) if isinstance(source, (str, Path)) else getattr(source, "name", ""))
    suffix = Path(name).suffix.casefold()
    try:
        if suffix == ".csv":
            header, body = _read_csv(source)
        elif suffix == ".xlsx":
            header, body = _read_xlsx(source)
        else:
            return Sheet(issues=[Issue(None, None, MSG_BAD_KIND.format(name=Path(name).name))])
    except (OSError, UnicodeError, csv.Error, ValueError, KeyError) as exc:
        kind = "CSV" if suffix == ".csv" else "an Excel workbook"
        return Sheet(issues=[Issue(None, None, MSG_UNREADABLE.format(kind=kind, detail=exc))])
    sheet = _to_sheet(header, body)
    log.info("read %d rows from %s", len(sheet.rows), Path(name).name)
    return sheet


def _read_bytes(source: str | Path | IO[bytes]) -> bytes:
    if isinstance(source, (str, Path)):
        return Path(source).read_bytes()
    if hasattr(source, "seek"):
        source.seek(0)  # an upload may be read twice: once to preview, once to import
    data = source.read()
    return data.encode("utf-8") if isinstance(data, str) else data


def _read_csv(source: str | Path | IO[bytes]) -> tuple[list[Any], list[list[Any]]]:
    data = _read_bytes(source)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252")  # CSV saved by Excel on Windows
    rows = list(csv.reader(io.StringIO(text, newline="")))
    return (rows[0] if rows else []), rows[1:]


def _read_xlsx(source: str | Path | IO[bytes]) -> tuple[list[Any], list[list[Any]]]:
    from openpyxl import load_workbook

    handle = source if isinstance(source, (str, Path)) else io.BytesIO(_read_bytes(source))
    book = load_workbook(handle, read_only=True, data_only=True)
    try:
        ws = book["activities"] if "activities" in book.sheetnames else book.worksheets[0]
        rows = [list(r) for r in ws.iter_rows(values_only=True)]
    finally:
        book.close()
    return (rows[0] if rows else []), rows[1:]


def _to_sheet(header: list[Any], body: list[list[Any]]) -> Sheet:
    sheet = Sheet()
    keys = [_column_key(h) for h in header]
    positions: dict[str, int] = {}
    for i, key in enumerate(keys):
        if not key:
            continue
        if key in positions:
            sheet.issues.append(Issue(None, key, MSG_DUPLICATE_COLUMN.format(column=key)))
        elif key in TEMPLATE_COLUMNS:
            positions[key] = i
        else:
            sheet.issues.append(Issue(None, key, MSG_EXTRA_COLUMN.format(column=key), "warning"))
    for column in REQUIRED_COLUMNS:
        if column not in positions:
            sheet.issues.append(Issue(None, column, MSG_NO_COLUMN.format(column=column)))
    for offset, cells in enumerate(body):
        if all(c is None or str(c).strip() == "" for c in cells):
            continue
        row = {col: (cells[i] if i < len(cells) else None) for col, i in positions.items()
               if col not in READ_ONLY_COLUMNS}
        sheet.rows.append((offset + 2, row))
    if not sheet.rows and sheet.ok:
        sheet.issues.append(Issue(None, None, MSG_EMPTY))
    if len(sheet.rows) > MAX_ROWS:
        sheet.issues.append(Issue(None, None, MSG_TOO_MANY.format(rows=len(sheet.rows), limit=MAX_ROWS)))
    return sheet
