"""The bad-input corpus: partner import files a real user could produce, with what must happen.

Run ``python tests/trust/make_corpus.py`` to (re)write the small text cases into
``tests/trust/corpus/`` (committed, for people to open and read). Binary and large cases (Excel
workbooks, UTF-16, the many-MB file) are written only at test time, into a temporary folder.
``tests/trust/test_corpus.py`` builds every case, imports it into a register holding three
activities, and checks the outcome.

Each case says what the user did, the file's bytes, and the outcome:
- ``refused``: the import is refused, each expected (row, column, words) problem is reported,
  and the register is unchanged (table row counts and the sha256 of an export).
- ``accepted``: the file is fine or only warned about; ``check`` says what must be stored
  (e.g. a formula payload stored as text and neutralised on export).

Rules decided here (and in dashboard/register/importer.py and validation.py):
- Dates are day/month/year (UK) or ISO year-month-day; a file with any month-first date
  (04/13/2025) has its ambiguous dates (03/04/2025) refused too; two-digit years, spreadsheet
  date numbers and years outside 1900-2100 are refused.
- Encodings: UTF-8 (with or without BOM) accepted; Windows cp1252 accepted with a warning;
  UTF-16 ("Unicode Text") and anything else refused with how to save as CSV UTF-8.
- HTML tags, script links and control characters in text are refused (plain text only);
  formula-looking text (=, +, -, @) is stored as typed and neutralised (') on export.
- Excel: formulas, error cells and merged cells refused; several sheets with the template's
  columns refused; one such sheet among others read, with a warning naming the others.
- Extra columns and exact duplicate rows are warnings (shown in the preview), not refusals.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
if str(HERE.parents[1]) not in sys.path:  # run as a script from anywhere
    sys.path.insert(0, str(HERE.parents[1]))

from dashboard.register.models import TEMPLATE_COLUMNS  # noqa: E402
from tests.register.helpers import valid_activity  # noqa: E402

CORPUS_DIR = HERE / "corpus"
# Three activities already in the register; corpus files refer to these ids.
BASELINE_IDS = (
    "11111111-1111-4111-8111-111111111111",
    "22222222-2222-4222-8222-222222222222",
    "33333333-3333-4333-8333-333333333333",
)
BIG_ROWS = 60_000


@dataclass(frozen=True)
class Expect:
    row: int | None
    column: str | None
    words: str


@dataclass(frozen=True)
class Case:
    name: str  # file name, extension included
    what: str  # what the user did
    build: Callable[[], bytes]
    outcome: str = "refused"  # refused | accepted
    expect: tuple[Expect, ...] = ()  # problems (errors when refused; warnings when accepted)
    check: Callable[..., None] | None = None  # for accepted cases: (store, preview) -> asserts
    committed: bool = True  # small text file kept in tests/trust/corpus/
    tags: tuple[str, ...] = field(default_factory=tuple)


# --- builders ----------------------------------------------------------------------------------
def row(**overrides: Any) -> dict[str, Any]:
    return valid_activity(**overrides)


def baseline_rows() -> list[dict[str, Any]]:
    return [
        row(record_id=BASELINE_IDS[0], title="Walking football"),
        row(
            record_id=BASELINE_IDS[1],
            organisation="Age UK Lancashire",
            sector="voluntary/community",
            title="Befriending",
            themes="social isolation",
            wards="Church",
            reach_count="3",
        ),
        row(record_id=BASELINE_IDS[2], title="Swimming", wards="St Andrew's", postcode="BB5 3ZZ"),
    ]


def csv_text(
    rows: Sequence[dict[str, Any]],
    columns: Sequence[str] = TEMPLATE_COLUMNS,
    *,
    delimiter: str = ",",
    header: bool = True,
) -> str:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    if header:
        writer.writerow(columns)
    for r in rows:
        writer.writerow([r.get(c, "") for c in columns])
    return out.getvalue()


def csv_bytes(
    rows: Sequence[dict[str, Any]],
    columns: Sequence[str] = TEMPLATE_COLUMNS,
    *,
    encoding: str = "utf-8",
    delimiter: str = ",",
    header: bool = True,
    before: str = "",
) -> bytes:
    return (before + csv_text(rows, columns, delimiter=delimiter, header=header)).encode(encoding)


def xlsx_bytes(
    rows: Sequence[dict[str, Any]],
    *,
    edit: Callable | None = None,
    sheets: Sequence[str] = ("activities",),
    header_row: int = 1,
) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    for title in sheets:
        ws = book.create_sheet(title)
        for _ in range(header_row - 1):
            ws.append(["Partner activity return, quarter 1"])
        ws.append(list(TEMPLATE_COLUMNS))
        for r in rows:
            ws.append([r.get(c) for c in TEMPLATE_COLUMNS])
    if edit is not None:
        edit(book)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def col(name: str) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(TEMPLATE_COLUMNS.index(name) + 1)


def big_csv() -> bytes:
    """Many MB: more rows than one import takes (generated at test time only)."""
    line = csv_text([row(description="A long description of a weekly session. " * 3)], header=False)
    return (csv_text([], header=True) + line * BIG_ROWS).encode("utf-8")


# --- checks for accepted cases -----------------------------------------------------------------
def stored(store, title: str):  # noqa: ANN001
    (found,) = [a for a in store.list() if a.title == title]
    return found


def check_cafe(store, preview) -> None:  # noqa: ANN001
    assert stored(store, "Café ‘walk’ – over 50s").organisation == "Hyndburn Leisure"


def check_formulas_neutralised(store, preview) -> None:  # noqa: ANN001
    from openpyxl import load_workbook

    payloads = {a.title for a in store.list()} & set(FORMULA_TITLES)
    assert payloads == set(FORMULA_TITLES), "stored exactly as typed"
    exported = list(csv.DictReader(io.StringIO(store.export_bytes("csv").decode("utf-8-sig"))))
    for r in exported:
        if r["record_id"] not in BASELINE_IDS:
            assert r["title"].startswith("'") and r["title"][1:] in FORMULA_TITLES, r["title"]
    ws = load_workbook(io.BytesIO(store.export_bytes("xlsx")))["activities"]
    for cells in ws.iter_rows(min_row=2):
        title = cells[TEMPLATE_COLUMNS.index("title")]
        assert title.data_type == "s"  # text, never a formula
        assert not str(title.value).startswith(("=", "+", "-", "@"))


def check_lt_gt_kept(store, preview) -> None:  # noqa: ANN001
    from dashboard.core.safe_text import plain

    a = stored(store, "Fish & chips social")
    assert a.description == "Ages 5 < 11 and > 3; bring £2 & a friend"
    assert "<" not in plain(a.description)


def check_extra_column_ignored(store, preview) -> None:  # noqa: ANN001
    assert "notes" not in store.export_bytes("csv").decode("utf-8-sig").splitlines()[0]


def check_added(n: int) -> Callable:
    def _check(store, preview) -> None:  # noqa: ANN001
        assert store.count() == 3 + n

    return _check


FORMULA_TITLES = (
    '=HYPERLINK("http://example.invalid/x","Click for details")',
    "+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
)


# --- the cases ---------------------------------------------------------------------------------
def _without(column: str) -> list[str]:
    return [c for c in TEMPLATE_COLUMNS if c != column]


def _renamed(old: str, new: str) -> list[str]:
    return [new if c == old else c for c in TEMPLATE_COLUMNS]


def _rows_with(**overrides: Any) -> Callable[[], bytes]:
    return lambda: csv_bytes([row(), row(**({"title": "Second"} | overrides))])


def cases() -> list[Case]:
    E = Expect
    c: list[Case] = [
        # --- headers and layout
        Case(
            "missing_sector_column.csv",
            "deleted the sector column",
            lambda: csv_bytes([row()], _without("sector")),
            expect=(E(None, "sector", "no column 'sector'"),),
        ),
        Case(
            "misspelt_header.csv",
            "typed 'organisaton' in the header",
            lambda: csv_bytes([row()], _renamed("organisation", "organisaton")),
            expect=(E(None, "organisation", "no column 'organisation'"),),
        ),
        Case(
            "other_spreadsheet.csv",
            "exported a contacts list instead of the template",
            lambda: b"Name,Address,Phone,Notes\r\nJo,1 High St,01254 000000,call back\r\n",
            expect=(E(None, None, "none of the template's column names"),),
        ),
        Case(
            "no_header_row.csv",
            "left out the header row",
            lambda: csv_bytes([row(), row(title="Second")], header=False),
            expect=(E(None, None, "none of the template's column names"),),
        ),
        Case(
            "title_rows_above_header.csv",
            "kept two title lines above the header",
            lambda: csv_bytes([row()], before="Partner activity return\r\nQuarter 1 2025\r\n"),
            expect=(E(None, None, "column names are in row 3"),),
        ),
        Case(
            "duplicate_column.csv",
            "has the title column twice",
            lambda: csv_bytes([row()], [*TEMPLATE_COLUMNS, "title"]),
            expect=(E(None, "title", "more than once"),),
        ),
        Case(
            "semicolon_separated.csv",
            "saved the CSV with European (semicolon) settings",
            lambda: csv_bytes([row()], delimiter=";"),
            expect=(E(None, None, "separated by ';'"),),
        ),
        Case(
            "tab_separated.csv",
            "saved tab-separated text with a .csv name",
            lambda: csv_bytes([row()], delimiter="\t"),
            expect=(E(None, None, "separated by tabs"),),
        ),
        Case("empty_file.csv", "uploaded an empty file", lambda: b"", expect=(E(None, None, "file is empty"),)),
        Case(
            "header_only.csv",
            "uploaded the blank template",
            lambda: csv_bytes([]),
            expect=(E(None, None, "no activities below the header"),),
        ),
        Case(
            "blank_rows_only.csv",
            "header and rows of empty cells",
            lambda: csv_bytes([]) + b",,,,,,,,,,,,,,,,,,,,\r\n" * 5,
            expect=(E(None, None, "no activities below the header"),),
        ),
        Case(
            "notes.txt",
            "saved the list as a text file",
            lambda: csv_bytes([row()]),
            expect=(E(None, None, "neither a .csv nor an .xlsx"),),
        ),
        Case(
            "old_format.xls",
            "saved as Excel 97-2003 (.xls)",
            lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512,
            expect=(E(None, None, "old-style Excel file (.xls)"),),
            committed=False,
        ),
        Case(
            "workbook_named_csv.csv",
            "renamed an .xlsx file to .csv",
            lambda: xlsx_bytes([row()]),
            expect=(E(None, None, "Excel workbook with a .csv name"),),
            committed=False,
        ),
        Case(
            "damaged.xlsx",
            "the upload was cut off half way",
            lambda: xlsx_bytes([row()])[:700],
            expect=(E(None, None, "could not be opened"),),
            committed=False,
        ),
        Case(
            "password_protected.xlsx",
            "protected the workbook with a password (an encrypted OLE file)",
            lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 2048,
            expect=(E(None, None, "protected with a password"),),
            committed=False,
        ),
        Case(
            "too_many_rows.csv",
            "exported a whole database: many MB, more rows than one import takes",
            big_csv,
            expect=(E(None, None, "import at most 50000"),),
            committed=False,
            tags=("big",),
        ),
        Case(
            "unclosed_quote_huge_cell.csv",
            "a quote opened in a cell and never closed, swallowing the file",
            lambda: csv_bytes([row()]) + b'x,,"Org' + b"a" * 140_000 + b"\r\n",
            expect=(E(None, None, "quote"),),
            committed=False,
        ),
        # --- encodings
        Case(
            "utf8_bom.csv",
            "saved as 'CSV UTF-8' by Excel (with a byte-order mark)",
            lambda: csv_bytes([row(title="Café ‘walk’ – over 50s")], encoding="utf-8-sig"),
            outcome="accepted",
            check=check_cafe,
        ),
        Case(
            "windows_cp1252.csv",
            "saved as 'CSV (Comma delimited)' by Excel on Windows",
            lambda: csv_bytes([row(title="Café ‘walk’ – over 50s")], encoding="cp1252"),
            outcome="accepted",
            expect=(E(None, None, "read as Windows text"),),
            check=check_cafe,
        ),
        Case(
            "unicode_text_utf16.csv",
            "saved as 'Unicode Text' (UTF-16, tab-separated)",
            lambda: codecs.BOM_UTF16_LE + csv_text([row()], delimiter="\t").encode("utf-16-le"),
            expect=(E(None, None, "UTF-16"),),
            committed=False,
        ),
        Case(
            "utf16_no_bom.csv",
            "UTF-16 without a byte-order mark",
            lambda: csv_text([row()]).encode("utf-16-le"),
            expect=(E(None, None, "UTF-16"),),
            committed=False,
        ),
        Case(
            "mixed_encoding.csv",
            "pasted text from two systems: bytes valid in neither UTF-8 nor cp1252",
            lambda: csv_bytes([row(title="Caf\u00e9")]).replace(b"Caf\xc3\xa9", b"Caf\x81\x8d"),
            expect=(E(None, None, "encoding is not UTF-8"),),
            committed=False,
        ),
        # --- dates
        Case(
            "us_dates.csv",
            "typed month/day/year dates (US settings)",
            lambda: csv_bytes([row(start_date="03/04/2025"), row(title="Second", start_date="04/13/2025")]),
            expect=(E(2, "start_date", "ambiguous"),),
        ),
        Case(
            "month_first_only.csv",
            "a single month-first date",
            _rows_with(start_date="12/31/2025"),
            expect=(E(3, "start_date", "reads as month/day/year"),),
        ),
        Case(
            "two_digit_year.csv",
            "typed 01/04/25",
            _rows_with(start_date="01/04/25"),
            expect=(E(3, "start_date", "two-digit year"),),
        ),
        Case(
            "impossible_date.csv",
            "typed 30 February",
            _rows_with(start_date="2025-02-30"),
            expect=(E(3, "start_date", "not a date we can read"),),
        ),
        Case(
            "spreadsheet_date_number.csv",
            "the date column lost its format (45748)",
            _rows_with(start_date="45748"),
            expect=(E(3, "start_date", "spreadsheet date number"),),
        ),
        Case(
            "date_in_words.csv",
            "wrote 'TBC' as the start date",
            _rows_with(start_date="TBC"),
            expect=(E(3, "start_date", "not a date we can read"),),
        ),
        Case(
            "implausible_year.csv",
            "typed 2205 for 2025",
            _rows_with(end_date="2205-04-01"),
            expect=(E(3, "end_date", "year 2205"),),
        ),
        Case(
            "end_before_start.csv",
            "swapped start and end",
            _rows_with(start_date="2025-09-01", end_date="2025-03-31"),
            expect=(E(3, "end_date", "before the start date"),),
        ),
        # --- wards and postcodes
        Case(
            "misspelt_ward.csv",
            "typed Centrall",
            _rows_with(wards="Centrall"),
            expect=(E(3, "wards", "Did you mean 'Central'"),),
        ),
        Case(
            "unknown_ward.csv",
            "named a ward of another borough",
            _rows_with(wards="Blackburn Central"),
            expect=(E(3, "wards", "not a ward of Testborough"),),
        ),
        Case(
            "ward_code_other_area.csv",
            "used a ward code from another district",
            _rows_with(wards="E05011508"),
            expect=(E(3, "wards", "'E05011508' is not a ward"),),
        ),
        Case(
            "ward_code_old_vintage.csv",
            "used a 2003-vintage ward code",
            _rows_with(wards="30UH001"),
            expect=(E(3, "wards", "'30UH001' is not a ward"),),
        ),
        Case(
            "wards_wrong_separator.csv",
            "separated wards with '/'",
            _rows_with(wards="Central/Church"),
            expect=(E(3, "wards", "Separate several wards with ';'"),),
        ),
        Case(
            "no_location.csv",
            "left ward and postcode empty",
            _rows_with(wards=""),
            expect=(E(3, "wards", "say where the activity happens"),),
        ),
        Case(
            "postcode_outside.csv",
            "a postcode in the next borough",
            _rows_with(postcode="BB1 1AE"),
            expect=(E(3, "postcode", "outside Testborough"),),
        ),
        Case(
            "postcode_malformed.csv",
            "typed only the district 'BB5'",
            _rows_with(postcode="BB5"),
            expect=(E(3, "postcode", "not shaped like a UK postcode"),),
        ),
        Case(
            "postcode_unknown.csv",
            "a postcode that does not exist",
            _rows_with(postcode="BB5 9QQ"),
            expect=(E(3, "postcode", "not in the postcode list"),),
        ),
        Case(
            "lat_lon_swapped.csv",
            "put latitude in the lon column",
            _rows_with(lon="53.75", lat="-2.36"),
            expect=(E(3, "lon", "not a longitude"), E(3, "lat", "not a latitude")),
        ),
        Case(
            "lon_without_lat.csv",
            "gave only a longitude",
            _rows_with(lon="-2.36"),
            expect=(E(3, "lat", "give both lon and lat"),),
        ),
        # --- reach
        Case(
            "reach_negative.csv",
            "typed -5 people",
            _rows_with(reach_count="-5"),
            expect=(E(3, "reach_count", "negative"),),
        ),
        Case(
            "reach_words.csv",
            "typed 'about 20'",
            _rows_with(reach_count="about 20"),
            expect=(E(3, "reach_count", "not a number"),),
        ),
        Case(
            "reach_range.csv",
            "typed a range 20-30",
            _rows_with(reach_count="20-30"),
            expect=(E(3, "reach_count", "not a number"),),
        ),
        Case(
            "reach_decimal.csv",
            "typed 12.5 people",
            _rows_with(reach_count="12.5"),
            expect=(E(3, "reach_count", "not a whole number"),),
        ),
        Case(
            "reach_huge.csv",
            "pasted a phone number into reach",
            _rows_with(reach_count="01254388111"),
            expect=(E(3, "reach_count", "larger than 10,000,000"),),
        ),
        Case(
            "reach_nan.csv",
            "a spreadsheet wrote NaN",
            _rows_with(reach_count="NaN"),
            expect=(E(3, "reach_count", "not a number"),),
        ),
        Case(
            "reach_without_unit.csv",
            "gave a reach but no unit",
            _rows_with(reach_unit=""),
            expect=(E(3, "reach_unit", "is needed when a reach_count is given"),),
        ),
        # --- lists and choices
        Case(
            "sector_typo.csv",
            "typed 'Voluntary sector'",
            _rows_with(organisation="Other org", sector="Voluntary sektor"),
            expect=(E(3, "sector", "is not a sector we know"),),
        ),
        Case(
            "unknown_theme.csv",
            "used a theme not in the list",
            _rows_with(themes="health"),
            expect=(E(3, "themes", "'health' is not a theme"),),
        ),
        Case(
            "status_missing.csv",
            "left status empty",
            _rows_with(status=""),
            expect=(E(3, "status", "The status is missing"),),
        ),
        Case(
            "sector_conflicts_register.csv",
            "gave an organisation already in the register another sector",
            lambda: csv_bytes([row(organisation="Age UK Lancashire", sector="council", title="New")]),
            expect=(E(2, "sector", "already in the register as sector"),),
        ),
        # --- ids and versions
        Case(
            "stale_version.csv",
            "imported an old export after someone else edited the record",
            lambda: csv_bytes([row(record_id=BASELINE_IDS[0], version="7", title="Walking football (edited)")]),
            expect=(E(2, "version", "register has version 1"),),
        ),
        Case(
            "duplicate_record_id.csv",
            "copied a row with its record id",
            lambda: csv_bytes(
                [
                    row(record_id=BASELINE_IDS[0], version="1", status="paused"),
                    row(record_id=BASELINE_IDS[0], version="1", status="ended"),
                ]
            ),
            expect=(E(3, "record_id", "is already in row 2"),),
        ),
        Case(
            "bad_record_id.csv",
            "typed a note in the record_id column",
            _rows_with(record_id="new one!"),
            expect=(E(3, "record_id", "is not a record id"),),
        ),
        Case(
            "duplicate_rows.csv",
            "pasted the same row twice",
            lambda: csv_bytes([row(), row(title="Second"), row(title="Second")]),
            outcome="accepted",
            expect=(E(4, None, "same as row 3"),),
            check=check_added(3),
        ),
        Case(
            "extra_column.csv",
            "added a notes column",
            lambda: csv_bytes([dict(row(), notes="ring first")], [*TEMPLATE_COLUMNS, "notes"]),
            outcome="accepted",
            expect=(E(None, "notes", "will be ignored"),),
            check=check_extra_column_ignored,
        ),
        # --- hostile or odd text
        Case(
            "formula_injection.csv",
            "text that a spreadsheet would run as a formula",
            lambda: csv_bytes([row(title=t) for t in FORMULA_TITLES]),
            outcome="accepted",
            check=check_formulas_neutralised,
        ),
        Case(
            "html_script.csv",
            "pasted a <script> into the description",
            _rows_with(description="Great <script>alert('x')</script> group"),
            expect=(E(3, "description", "contains HTML or script"),),
        ),
        Case(
            "html_img_onerror.csv",
            "an <img onerror> in the title",
            _rows_with(title="Walk <img src=x onerror=alert(1)>"),
            expect=(E(3, "title", "contains HTML"),),
        ),
        Case(
            "html_from_web_page.csv",
            "copied formatted text from a web page",
            _rows_with(description="<p>Weekly <b>drop-in</b></p>"),
            expect=(E(3, "description", "contains HTML"),),
        ),
        Case(
            "script_link.csv",
            "a javascript: link in Markdown",
            _rows_with(description="[Book](javascript:alert(1))"),
            expect=(E(3, "description", "script link"),),
        ),
        Case(
            "less_than_is_fine.csv",
            "used < and & as ordinary text",
            lambda: csv_bytes(
                [row(title="Fish & chips social", description="Ages 5 < 11 and > 3; bring £2 & a friend")]
            ),
            outcome="accepted",
            check=check_lt_gt_kept,
        ),
        Case(
            "control_characters.csv",
            "pasted text with an invisible right-to-left override",
            _rows_with(title="Walk\u202egnikcah"),
            expect=(E(3, "title", "invisible control character"),),
        ),
        Case(
            "nul_in_cell.csv",
            "a NUL byte from a broken export",
            _rows_with(organisation="Hyndburn\x00Leisure"),
            expect=(E(3, "organisation", "invisible control character"),),
            committed=False,
        ),
        Case(
            "very_long_title.csv",
            "pasted a whole document into the title",
            _rows_with(title="Walk " * 2000),
            expect=(E(3, "title", "characters long"),),
        ),
        Case(
            "very_long_description.csv",
            "a 100,000-character description",
            _rows_with(description="x" * 100_000),
            expect=(E(3, "description", "characters long"),),
            committed=False,
        ),
        Case(
            "contact_is_email.csv",
            "gave a person's email as the contact",
            _rows_with(contact_role="jo.bloggs@nhs.net"),
            expect=(E(3, "contact_role", "looks like an email address"),),
        ),
        # --- Excel
        Case(
            "formulas.xlsx",
            "left formulas in the workbook",
            lambda: xlsx_bytes(
                [row(), row(title="Second")],
                edit=lambda b: (
                    b["activities"].__setitem__(f"{col('reach_count')}3", "=10+8"),
                    b["activities"].__setitem__(f"{col('title')}2", '=CONCAT("Walk","ing")'),
                ),
            ),
            expect=(E(2, "title", "holds a formula"), E(3, "reach_count", "holds a formula")),
            committed=False,
        ),
        Case(
            "merged_cells.xlsx",
            "merged the organisation cells of three rows",
            lambda: xlsx_bytes(
                [row(), row(organisation=None, title="Second"), row(organisation=None, title="Third")],
                edit=lambda b: b["activities"].merge_cells(f"{col('organisation')}2:{col('organisation')}4"),
            ),
            expect=(E(3, "organisation", "merged cells"), E(4, "organisation", "merged cells")),
            committed=False,
        ),
        Case(
            "several_sheets.xlsx",
            "one sheet per quarter",
            lambda: xlsx_bytes([row()], sheets=("Q1", "Q2")),
            expect=(E(None, None, "several sheets"),),
            committed=False,
        ),
        Case(
            "activities_and_copy.xlsx",
            "an 'activities' sheet and a copy of it",
            lambda: xlsx_bytes([row()], sheets=("activities", "activities (2)")),
            expect=(E(None, None, "activities (2)"),),
            committed=False,
        ),
        Case(
            "instructions_first.xlsx",
            "kept an instructions sheet in front of the data",
            lambda: xlsx_bytes(
                [row()], sheets=("Data",), edit=lambda b: b.move_sheet(b.create_sheet("Instructions"), offset=-1)
            ),
            outcome="accepted",
            expect=(E(None, None, "read the sheet 'Data'"),),
            check=check_added(1),
            committed=False,
        ),
        Case(
            "error_cells.xlsx",
            "pasted values that include #N/A",
            lambda: xlsx_bytes(
                [row(), row(title="Second")], edit=lambda b: _error_cell(b["activities"], f"{col('wards')}3")
            ),
            expect=(E(3, "wards", "spreadsheet error (#N/A)"),),
            committed=False,
        ),
        Case(
            "header_lower_down.xlsx",
            "a title row above the header",
            lambda: xlsx_bytes([row()], header_row=2),
            expect=(E(None, None, "column names are in row 2"),),
            committed=False,
        ),
        Case(
            "empty_workbook.xlsx",
            "a workbook with nothing in it",
            lambda: xlsx_bytes([], edit=_clear),
            expect=(E(None, None, "file is empty"),),
            committed=False,
        ),
        Case(
            "xlsx_end_before_start.xlsx",
            "real date cells, end before start",
            lambda: xlsx_bytes([row(start_date=dt.datetime(2025, 9, 1), end_date=dt.datetime(2025, 3, 1))]),
            expect=(E(2, "end_date", "before the start date"),),
            committed=False,
        ),
    ]
    names = [x.name for x in c]
    assert len(names) == len(set(names)), "case names must be unique"
    return c


def _error_cell(ws, ref: str) -> None:  # noqa: ANN001
    ws[ref] = "#N/A"
    ws[ref].data_type = "e"


def _clear(book) -> None:  # noqa: ANN001
    for ws in book.worksheets:
        book.remove(ws)
    book.create_sheet("Sheet1")


def write_corpus(folder: Path = CORPUS_DIR, *, committed_only: bool = True) -> list[Path]:
    """Write the cases' files into ``folder``; by default only the small committed text ones."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for case in cases():
        if committed_only and not case.committed:
            continue
        path = folder / case.name
        path.write_bytes(case.build())
        written.append(path)
    return written


if __name__ == "__main__":
    paths = write_corpus()
    print(f"wrote {len(paths)} corpus files to {CORPUS_DIR}")  # noqa: T201 (a script, not library code)
