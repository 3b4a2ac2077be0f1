"""Inspect an .xlsx upload before any spreadsheet library parses it (a "zip bomb" guard).

An .xlsx file is a zip of XML. A few megabytes of zip can hold gigabytes of highly compressible
XML (millions of repeated cells), which openpyxl would build in memory. ``inspect_workbook``
streams every member of the zip through the decompressor with a byte cap (the sizes the zip
*claims* are checked first, but never trusted), reads each worksheet's ``<dimension ref>``,
counts its ``<c>`` cells and ``<row>`` rows as it goes, stops at the first limit crossed, and
collects the merged ranges (which openpyxl's streaming reader does not report). Only a workbook
inside every limit reaches ``openpyxl.load_workbook(read_only=True)``.

Work and memory are bounded by the limits, whatever the file claims: one chunk of decompressed
XML (1 MiB) is held at a time.
"""

from __future__ import annotations

import io
import logging
import re
import zipfile
from dataclasses import dataclass, field

log = logging.getLogger(__name__)

CHUNK = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    """What a workbook may hold. The defaults fit the register's import (50,000 rows of the
    template's 21 columns) with room for a few extra columns."""

    max_rows: int = 50_001 + 1_000  # header + 50,000 activities, and some blank rows below
    max_columns: int = 60
    max_cells: int = 1_200_000
    max_total_bytes: int = 256 * 1024 * 1024  # all XML members together, uncompressed
    max_member_bytes: int = 200 * 1024 * 1024
    max_members: int = 500
    max_merged: int = 10_000


DEFAULT_LIMITS = Limits()

MSG_TOO_MANY_CELLS = (
    "the workbook's sheet '{member}' holds more than {limit:,} cells, far more than {rows:,} activities need. "
    "Delete the unused rows and columns (or save only the activities sheet) and import again."
)
MSG_TOO_LARGE = (
    "the workbook unpacks to more than {limit} MB of data, far more than {rows:,} activities need. "
    "Save only the activities sheet, as .xlsx or CSV, and import again."
)
MSG_DIMENSION = (
    "the sheet '{member}' spans {cols:,} columns and {rows:,} rows ({ref}); the register imports at most "
    "{max_rows:,} rows of up to {max_cols} columns. Delete the unused rows and columns and save it again."
)
MSG_NOT_XLSX = (
    "the Excel workbook could not be opened: it is damaged, not really an .xlsx file, or "
    "protected with a password. Open it in Excel, remove any password, and save it again as .xlsx."
)


class WorkbookRefused(ValueError):
    """The workbook is refused before parsing; the message says why and what to do."""


@dataclass
class SheetInfo:
    member: str
    dimension: str | None = None
    cells: int = 0
    rows: int = 0
    merged: list[str] = field(default_factory=list)


@dataclass
class WorkbookInfo:
    sheets: dict[str, SheetInfo] = field(default_factory=dict)  # by zip member name
    total_bytes: int = 0

    def merged(self, member: str) -> list[str]:
        info = self.sheets.get(member.lstrip("/"))
        return list(info.merged) if info else []


_PREFIX = re.compile(rb"<(\w+):(?:worksheet|sst)[\s>]")
_DIMENSION = re.compile(rb"<(?:\w+:)?dimension\s+ref=\"([A-Z]{1,3}\d{1,7}(?::[A-Z]{1,3}\d{1,7})?)\"")
_MERGE = re.compile(rb"<(?:\w+:)?mergeCell\s+ref=\"([A-Z]{1,3}\d{1,7}:[A-Z]{1,3}\d{1,7})\"")
_REF = re.compile(r"([A-Z]{1,3})(\d{1,7})")
_OVERLAP = 256  # bytes kept from the previous chunk so a tag split across chunks is seen once


def _column_number(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


def _span(ref: str) -> tuple[int, int]:
    """(columns, rows) covered by a dimension such as 'A1:U50001'."""
    parts = [_REF.fullmatch(p) for p in ref.split(":")]
    if not all(parts):
        return 0, 0
    if len(parts) == 1:
        return 1, 1
    (c1, r1), (c2, r2) = ((_column_number(m[1]), int(m[2])) for m in parts)  # type: ignore[index]
    return abs(c2 - c1) + 1, abs(r2 - r1) + 1


def _tags(name: str, prefix: bytes = b"") -> tuple[bytes, ...]:
    """The ways an element's start tag begins: ``<c ``, ``<c>``, ``<c/`` (with a namespace prefix if used)."""
    start = b"<" + (prefix + b":" if prefix else b"") + name.encode()
    return (start + b" ", start + b">", start + b"/")


def _count_new(tags: tuple[bytes, ...], window: bytes, fresh_from: int) -> int:
    """Start tags in ``window`` not already counted in the carried-over overlap (its first
    ``fresh_from`` bytes, which were the end of the previous window)."""
    old = window[:fresh_from]
    return sum(window.count(t) - old.count(t) for t in tags)


def inspect_workbook(data: bytes, *, limits: Limits = DEFAULT_LIMITS) -> WorkbookInfo:
    """Check an .xlsx file's contents against ``limits`` without building it; raises
    WorkbookRefused with a message for the person importing when any limit is crossed."""
    try:
        book = zipfile.ZipFile(io.BytesIO(data))
        members = book.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise WorkbookRefused(MSG_NOT_XLSX) from exc
    rows_allowed = limits.max_rows - 1
    megabytes = limits.max_total_bytes // (1024 * 1024)
    if len(members) > limits.max_members:
        raise WorkbookRefused(MSG_TOO_LARGE.format(limit=megabytes, rows=rows_allowed))
    if sum(m.file_size for m in members) > limits.max_total_bytes:  # what the zip claims: refuse early
        log.warning("workbook refused: zip claims %d bytes uncompressed", sum(m.file_size for m in members))
        raise WorkbookRefused(MSG_TOO_LARGE.format(limit=megabytes, rows=rows_allowed))
    info = WorkbookInfo()
    for member in members:
        if member.is_dir():
            continue
        name = member.filename
        is_sheet = name.startswith("xl/worksheets/") and name.endswith(".xml")
        sheet = SheetInfo(member=name)
        is_strings = name == "xl/sharedStrings.xml"
        strings = 0
        seen = 0
        tail = b""
        prefix: bytes | None = None
        try:
            with book.open(member) as stream:
                while chunk := stream.read(CHUNK):
                    seen += len(chunk)
                    info.total_bytes += len(chunk)
                    if seen > limits.max_member_bytes or info.total_bytes > limits.max_total_bytes:
                        log.warning("workbook refused: %s unpacks to more than the limit", name)
                        raise WorkbookRefused(MSG_TOO_LARGE.format(limit=megabytes, rows=rows_allowed))
                    window = tail + chunk
                    if prefix is None:  # the root element's namespace prefix, if any (<x:worksheet ...>)
                        found = _PREFIX.search(chunk[:4096])
                        prefix = found[1] if found else b""
                    if is_sheet:
                        _scan_sheet(sheet, window, len(tail), limits, rows_allowed, prefix)
                    elif is_strings:
                        strings += _count_new(_tags("si", prefix), window, len(tail))
                        if strings > limits.max_cells:
                            log.warning("workbook refused: more than %d shared strings", limits.max_cells)
                            raise WorkbookRefused(
                                MSG_TOO_MANY_CELLS.format(member=name, limit=limits.max_cells, rows=rows_allowed)
                            )
                    tail = window[-_OVERLAP:]
        except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError, RuntimeError) as exc:
            # damaged data, an unsupported compression, or an encrypted member
            raise WorkbookRefused(MSG_NOT_XLSX) from exc
        if is_sheet:
            info.sheets[name] = sheet
    log.info(
        "workbook inspected: %d sheets, %d cells, %d bytes of XML",
        len(info.sheets),
        sum(s.cells for s in info.sheets.values()),
        info.total_bytes,
    )
    return info


def _scan_sheet(
    sheet: SheetInfo, window: bytes, fresh_from: int, limits: Limits, rows_allowed: int, prefix: bytes
) -> None:
    if sheet.dimension is None and (found := _DIMENSION.search(window)):
        sheet.dimension = found[1].decode("ascii")
        cols, rows = _span(sheet.dimension)
        if cols > limits.max_columns or rows > limits.max_rows:
            log.warning("workbook refused: %s has dimension %s", sheet.member, sheet.dimension)
            raise WorkbookRefused(
                MSG_DIMENSION.format(
                    member=sheet.member.rsplit("/", 1)[-1],
                    cols=cols,
                    rows=rows,
                    ref=sheet.dimension,
                    max_rows=rows_allowed,
                    max_cols=limits.max_columns,
                )
            )
    sheet.cells += _count_new(_tags("c", prefix), window, fresh_from)
    sheet.rows += _count_new(_tags("row", prefix), window, fresh_from)
    if sheet.cells > limits.max_cells or sheet.rows > limits.max_rows:
        log.warning(
            "workbook refused: %s holds more than %d cells or %d rows", sheet.member, limits.max_cells, limits.max_rows
        )
        raise WorkbookRefused(
            MSG_TOO_MANY_CELLS.format(member=sheet.member.rsplit("/", 1)[-1], limit=limits.max_cells, rows=rows_allowed)
        )
    for m in _MERGE.finditer(window):
        if m.end() > fresh_from and len(sheet.merged) < limits.max_merged:
            sheet.merged.append(m[1].decode("ascii"))
