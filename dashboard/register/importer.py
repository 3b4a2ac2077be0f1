"""Read an activity spreadsheet (CSV or Excel .xlsx) into rows of cells keyed by template column.

Only reading and header checks live here; checking each row and writing happen in ``Store``
(``Store.preview_import`` and ``Store.import_file``), so the check runs inside the same
transaction as the write.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import logging
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from dashboard.register.models import READ_ONLY_COLUMNS, REQUIRED_COLUMNS, TEMPLATE_COLUMNS, Issue
from dashboard.register.workbook_guard import DEFAULT_LIMITS, WorkbookRefused, inspect_workbook

log = logging.getLogger(__name__)

MAX_ROWS = 50_000
MSG_NO_COLUMN = (
    "the file has no column '{column}'. Start from the template "
    "(data/templates/partner_activity_template.csv) and keep its header row."
)
MSG_EXTRA_COLUMN = "the column '{column}' is not in the template and will be ignored."
MSG_DUPLICATE_COLUMN = "the column '{column}' appears more than once; keep one."
MSG_EMPTY = "the file has no activities below the header row."
MSG_TOO_MANY = "the file has {rows} rows; import at most {limit} at a time."
MSG_UNREADABLE = "the file could not be read as {kind} ({detail}). Save it as CSV (UTF-8) or Excel (.xlsx)."
MSG_BAD_KIND = "'{name}' is neither a .csv nor an .xlsx file. Save it as CSV (UTF-8) or Excel (.xlsx)."
MSG_OLD_EXCEL = (
    "'{name}' is an old-style Excel file (.xls). Open it in Excel and use File > Save As > "
    "Excel Workbook (.xlsx), then import that."
)
# What a real user's file can go wrong with, and what to do about it (see tests/trust/ for the corpus).
MSG_EMPTY_FILE = "the file is empty. Start from the template and fill in one row per activity."
MSG_TOO_BIG = "the file is {size:.0f} MB; import at most {limit} MB at a time (split it into several files)."
MSG_UTF16 = (
    "the file is saved as 'Unicode Text' (UTF-16), which the register does not read. In Excel use "
    "File > Save As > 'CSV UTF-8 (Comma delimited)', then import that."
)
MSG_NOT_UTF8 = (
    "the file's text encoding is not UTF-8 (for example accented letters or curly quotes were saved "
    "in another character set). In Excel use File > Save As > 'CSV UTF-8 (Comma delimited)'."
)
MSG_CP1252 = (
    "the file is not saved as UTF-8; it was read as Windows text (cp1252). Check that accented "
    "letters and quotes look right in the preview, or save it as 'CSV UTF-8' next time."
)
MSG_LOOKS_XLSX = (
    "the file is an Excel workbook with a .csv name. Rename it to .xlsx, or open it in Excel and "
    "save it as 'CSV UTF-8 (Comma delimited)'."
)
MSG_LOOKS_XLS = (
    "the file is an old Excel or password-protected workbook, not CSV. Open it in Excel and save it "
    "as Excel Workbook (.xlsx) without a password, or as 'CSV UTF-8'."
)
MSG_NOT_TEXT = "the file holds binary data, not text. Save it as CSV (UTF-8) or Excel (.xlsx)."
MSG_CSV_BROKEN = (
    'the file could not be read as CSV near line {line}: {detail}. A cell may start a quote (") '
    "that is never closed; check that line, or save the sheet again as 'CSV UTF-8'."
)
MSG_SEMICOLONS = (
    "the columns are separated by ';' rather than commas (a CSV saved with European settings). "
    "Save it again as 'CSV UTF-8 (Comma delimited)', or import the Excel workbook instead."
)
MSG_TABS = (
    "the columns are separated by tabs rather than commas. Save it as 'CSV UTF-8 (Comma delimited)', "
    "or import the Excel workbook instead."
)
MSG_XLSX_DAMAGED = (
    "the Excel workbook could not be opened: it is damaged, not really an .xlsx file, or "
    "protected with a password. Open it in Excel, remove any password, and save it again as .xlsx."
)
MSG_NOT_TEMPLATE = (
    "the first row has none of the template's column names ({columns} ...). The first row must be "
    "the header row of the template (data/templates/partner_activity_template.csv)."
)
MSG_HEADER_LOWER = (
    "the column names are in row {row}, not row 1. Delete the rows above them so the header "
    "row is row 1, then import again."
)
MSG_FORMULA = (
    "holds a formula ({formula}). The register imports values only: copy the cells and use "
    "Paste Special > Values, then save and import again."
)
MSG_CELL_ERROR = "holds a spreadsheet error ({value}); fix the cell or clear it."
MSG_MERGED = (
    "is part of the merged cells {cells}. Unmerge them (Home > Merge & Center > Unmerge Cells) and "
    "fill in every row, then import again."
)
MSG_SHEETS = (
    "the workbook has several sheets with the template's columns ({sheets}). Put all the activities on "
    "one sheet named 'activities' (or import one sheet at a time)."
)
MSG_OTHER_SHEETS = "read the sheet '{sheet}'; the other sheets ({others}) were ignored."
MSG_DUPLICATE_ROW = (
    "this row is the same as row {first}; both would be added as separate activities. If it is a "
    "copy, delete one of the two rows before importing."
)
MSG_MONTH_FIRST = (
    "'{value}' reads as month/day/year. The register reads dates as day/month/year (UK), and "
    "this file has month-first dates (row {row}), so this date is ambiguous. Write all dates "
    "as year-month-day, e.g. 2025-04-03."
)
MSG_DID_YOU_MEAN_COLUMN = " Did you mean '{suggestion}'?"
MSG_NUL = (
    "contains an invisible control character (code U+0000 at character {position}); retype the text "
    "or paste it as plain text."
)
MSG_CSV_TOO_BIG = (
    "the file holds more than {rows} rows or {cells} cells; import at most {limit} activities at a time "
    "(delete empty rows and columns, or split it into several files)."
)
MAX_MEGABYTES = 25  # .streamlit/config.toml server.maxUploadSize says the same (a test checks)
DATE_COLUMNS = ("start_date", "end_date")
_SLASH_DATE = re.compile(r"^\s*(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})\s*$")


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
    if suffix in (".xls", ".xlsm", ".xlsb", ".ods", ".numbers") and suffix != ".xlsx":
        message = MSG_OLD_EXCEL if suffix == ".xls" else MSG_BAD_KIND
        return Sheet(issues=[Issue(None, None, message.format(name=Path(name).name))])
    if suffix not in (".csv", ".xlsx"):
        return Sheet(issues=[Issue(None, None, MSG_BAD_KIND.format(name=Path(name).name))])
    try:
        data = _read_bytes(source)
    except OSError as exc:
        return Sheet(issues=[Issue(None, None, MSG_UNREADABLE.format(kind="a file", detail=exc.strerror or exc))])
    problem = _file_problem(data, suffix)
    if problem:
        return Sheet(issues=[Issue(None, None, problem)])
    try:
        if suffix == ".csv":
            table = _read_csv(data)
        else:
            table = _read_xlsx(data)
    except _CsvBroken as exc:
        return Sheet(issues=[Issue(None, None, MSG_CSV_BROKEN.format(line=exc.line, detail=exc.detail))])
    except _Refused as exc:
        return Sheet(issues=[Issue(None, None, str(exc))])
    except (OSError, UnicodeError, csv.Error, ValueError, KeyError, zipfile.BadZipFile, EOFError) as exc:
        log.info("unreadable %s file %s: %s", suffix, Path(name).name, exc)
        message = MSG_XLSX_DAMAGED if suffix == ".xlsx" else MSG_UNREADABLE.format(kind="CSV", detail=exc)
        return Sheet(issues=[Issue(None, None, message)])
    sheet = _to_sheet(table.header, table.body, pre_issues=table.issues)
    log.info("read %d rows from %s", len(sheet.rows), Path(name).name)
    return sheet


@dataclass
class _Table:
    header: list[Any]
    body: list[list[Any]]
    issues: list[Issue] = field(default_factory=list)


class _Refused(Exception):
    """The whole file is refused with this message."""


class _CsvBroken(Exception):
    def __init__(self, line: int, detail: str) -> None:
        super().__init__(detail)
        self.line, self.detail = line, detail


def _file_problem(data: bytes, suffix: str) -> str | None:
    """A problem with the whole file found from its bytes, before parsing."""
    if not data.strip():
        return MSG_EMPTY_FILE
    if len(data) > MAX_MEGABYTES * 1024 * 1024:
        return MSG_TOO_BIG.format(size=len(data) / 1024 / 1024, limit=MAX_MEGABYTES)
    if suffix == ".xlsx":
        return None if data[:4] == b"PK\x03\x04" else MSG_XLSX_DAMAGED
    if (
        data[:2] in (b"\xff\xfe", b"\xfe\xff")
        or data[:4].count(b"\x00") >= 1
        and data[:200].count(b"\x00") * 3 > len(data[:200])
    ):
        return MSG_UTF16
    if data[:4] == b"PK\x03\x04":
        return MSG_LOOKS_XLSX
    if data[:4] == b"\xd0\xcf\x11\xe0":
        return MSG_LOOKS_XLS
    if b"\x00" in data[:4096] and data[:4096].count(b"\x00") > 8:
        return MSG_NOT_TEXT
    return None


def _read_bytes(source: str | Path | IO[bytes]) -> bytes:
    if isinstance(source, (str, Path)):
        return Path(source).read_bytes()
    if hasattr(source, "seek"):
        source.seek(0)  # an upload may be read twice: once to preview, once to import
    data = source.read()
    return data.encode("utf-8") if isinstance(data, str) else data


def _read_csv(data: bytes) -> _Table:
    issues: list[Issue] = []
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = data.decode("cp1252")  # "CSV (Comma delimited)" saved by Excel on Windows
        except UnicodeDecodeError:
            raise _Refused(MSG_NOT_UTF8) from None
        issues.append(Issue(None, None, MSG_CP1252, "warning"))
    reader = csv.reader(io.StringIO(text, newline=""))
    rows: list[list[Any]] = []
    cells = 0
    try:
        for row in reader:  # bounded like a workbook: a small file of separators is millions of cells
            cells += len(row)
            if len(rows) >= DEFAULT_LIMITS.max_rows or cells > DEFAULT_LIMITS.max_cells:
                log.warning("CSV refused after %d rows and %d cells", len(rows), cells)
                raise _Refused(
                    MSG_CSV_TOO_BIG.format(
                        rows=DEFAULT_LIMITS.max_rows - 1, cells=DEFAULT_LIMITS.max_cells, limit=MAX_ROWS
                    )
                )
            rows.append(row)
    except csv.Error as exc:
        detail = "a cell is far too long" if "field larger" in str(exc) else "the quotes or separators are broken"
        raise _CsvBroken(reader.line_num, detail) from None
    header = rows[0] if rows else []
    if len(header) == 1 and not _template_columns(header):
        if header[0].count(";") >= 2:
            issues.append(Issue(None, None, MSG_SEMICOLONS))
        elif header[0].count("\t") >= 2:
            issues.append(Issue(None, None, MSG_TABS))
    return _Table(header, rows[1:], issues)


def _read_xlsx(data: bytes) -> _Table:
    from openpyxl import load_workbook
    from openpyxl.worksheet.cell_range import CellRange

    try:  # bounded inspection of the zip before any parse (a few MB of zip can unpack to GBs)
        guard = inspect_workbook(data)
    except WorkbookRefused as exc:
        raise _Refused(str(exc)) from None
    # read_only streams the XML row by row; merged ranges come from the guard's scan
    book = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    issues: list[Issue] = []
    try:
        with_header = [ws for ws in book.worksheets if _template_columns(_first_row(ws))]
        if "activities" in book.sheetnames:
            ws = book["activities"]
            others = [w.title for w in with_header if w.title != "activities"]
            if others:
                issues.append(Issue(None, None, MSG_SHEETS.format(sheets=", ".join(["activities", *others]))))
        elif len(with_header) > 1:
            issues.append(Issue(None, None, MSG_SHEETS.format(sheets=", ".join(w.title for w in with_header))))
            ws = with_header[0]
        elif with_header:
            ws = with_header[0]
            if len(book.worksheets) > 1:
                others = ", ".join(w.title for w in book.worksheets if w is not ws)
                issues.append(Issue(None, None, MSG_OTHER_SHEETS.format(sheet=ws.title, others=others), "warning"))
        else:
            ws = book.worksheets[0]
        rows: list[list[Any]] = []
        header_keys: list[str] = []
        for r, cells in enumerate(ws.iter_rows(), start=1):
            values = []
            for position, cell in enumerate(cells):
                value = cell.value
                if cell.data_type == "f":
                    column = header_keys[position] if r > 1 and position < len(header_keys) else None
                    issues.append(
                        Issue(r if r > 1 else None, column or None, MSG_FORMULA.format(formula=_short(str(value))))
                    )
                    value = None
                elif cell.data_type == "e":
                    column = header_keys[position] if r > 1 and position < len(header_keys) else None
                    issues.append(Issue(r if r > 1 else None, column or None, MSG_CELL_ERROR.format(value=value)))
                    value = None
                values.append(value)
            if r == 1:
                header_keys = [_column_key(v) for v in values]
            rows.append(values)
        for coord in guard.merged(getattr(ws, "_worksheet_path", "")):
            merged = CellRange(coord)
            for r in range(merged.min_row, merged.max_row + 1):
                column = header_keys[merged.min_col - 1] if merged.min_col - 1 < len(header_keys) else None
                issues.append(Issue(r if r > 1 else None, column or None, MSG_MERGED.format(cells=merged.coord)))
    finally:
        book.close()
    return _Table(rows[0] if rows else [], rows[1:], issues)


def _first_row(ws) -> list[Any]:  # noqa: ANN001
    for cells in ws.iter_rows(min_row=1, max_row=1, values_only=True):
        return list(cells)
    return []


def _short(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _template_columns(header: list[Any]) -> set[str]:
    return {_column_key(h) for h in header} & set(TEMPLATE_COLUMNS)


def _suggest_column(key: str) -> str:
    import difflib

    close = difflib.get_close_matches(key, TEMPLATE_COLUMNS, n=1, cutoff=0.75)
    return MSG_DID_YOU_MEAN_COLUMN.format(suggestion=close[0]) if close else ""


def _to_sheet(header: list[Any], body: list[list[Any]], *, pre_issues: list[Issue] | None = None) -> Sheet:
    sheet = Sheet(issues=list(pre_issues or []))
    if not sheet.ok:
        return sheet
    if not _template_columns(header):
        lower = next((i for i, cells in enumerate(body[:20], start=2) if len(_template_columns(cells)) >= 3), None)
        if lower is not None:
            sheet.issues.append(Issue(None, None, MSG_HEADER_LOWER.format(row=lower)))
        elif any(_column_key(c) for cells in [header, *body[:50]] for c in cells):
            sheet.issues.append(Issue(None, None, MSG_NOT_TEMPLATE.format(columns=", ".join(REQUIRED_COLUMNS[:3]))))
        else:
            sheet.issues.append(Issue(None, None, MSG_EMPTY_FILE))
        return sheet
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
            sheet.issues.append(Issue(None, key, MSG_EXTRA_COLUMN.format(column=key) + _suggest_column(key), "warning"))
    for column in REQUIRED_COLUMNS:
        if column not in positions:
            sheet.issues.append(Issue(None, column, MSG_NO_COLUMN.format(column=column)))
    for offset, cells in enumerate(body):
        if all(c is None or str(c).strip() == "" for c in cells):
            continue
        row = {
            col: (cells[i] if i < len(cells) else None) for col, i in positions.items() if col not in READ_ONLY_COLUMNS
        }
        for col, value in row.items():  # a NUL byte can reach no database (PostgreSQL refuses it)
            if isinstance(value, str) and "\x00" in value:
                sheet.issues.append(Issue(offset + 2, col, MSG_NUL.format(position=value.index("\x00") + 1)))
                row[col] = value.replace("\x00", "")
        sheet.rows.append((offset + 2, row))
    if not sheet.rows and sheet.ok:
        sheet.issues.append(Issue(None, None, MSG_EMPTY))
    if len(sheet.rows) > MAX_ROWS:
        sheet.issues.append(Issue(None, None, MSG_TOO_MANY.format(rows=len(sheet.rows), limit=MAX_ROWS)))
        return sheet
    _check_duplicate_rows(sheet)
    _check_date_order(sheet)
    return sheet


def _cell_key(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return " ".join(str(value).split()).casefold()


def _check_duplicate_rows(sheet: Sheet) -> None:
    """The same activity typed (or pasted) twice: every cell equal, ignoring case and spacing.
    A warning, not an error: the preview shows it and the person importing decides."""
    seen: dict[tuple, int] = {}
    for row, cells in sheet.rows:
        key = tuple(sorted((col, _cell_key(v)) for col, v in cells.items() if col != "version"))
        if key in seen:
            sheet.issues.append(Issue(row, None, MSG_DUPLICATE_ROW.format(first=seen[key]), "warning"))
        else:
            seen[key] = row


def _check_date_order(sheet: Sheet) -> None:
    """Day/month/year is the rule; a file with any date that can only be month/day/year has
    its ambiguous slash dates (both parts 12 or less, and different) refused too."""
    month_first_row = None
    ambiguous: list[tuple[int, str, str]] = []
    for row, cells in sheet.rows:
        for column in DATE_COLUMNS:
            value = cells.get(column)
            match = _SLASH_DATE.match(value) if isinstance(value, str) else None
            if not match:
                continue
            first, second = int(match[1]), int(match[2])
            if first <= 12 and second > 12 and month_first_row is None:
                month_first_row = row
            elif first <= 12 and second <= 12 and first != second:
                ambiguous.append((row, column, value.strip()))
    if month_first_row is not None:
        for row, column, value in ambiguous:
            sheet.issues.append(Issue(row, column, MSG_MONTH_FIRST.format(value=value, row=month_first_row)))
