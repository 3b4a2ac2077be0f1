"""Hostile uploads are refused before any spreadsheet library builds them (issue 13, item 1).

The bombs are generated here, at test time, with bounded sizes: a zip of a few MB whose one
sheet holds millions of repeated inline-string cells (the shape that took the server down).
"""

from __future__ import annotations

import io
import tomllib
import tracemalloc
import zipfile

import pytest

from dashboard.register import importer
from dashboard.register.importer import MAX_MEGABYTES, read_sheet
from dashboard.register.models import TEMPLATE_COLUMNS
from dashboard.register.workbook_guard import DEFAULT_LIMITS, Limits, WorkbookRefused, inspect_workbook
from pipelines.settings import REPO_DIR

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    "</Types>"
)
ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
    'relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/'
    'main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
    '<sheet name="activities" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
    'relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
)
SHEET_HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/'
    'main"><dimension ref="{ref}"/><sheetData>'
)
SHEET_TAIL = "</sheetData></worksheet>"


def _column(n: int) -> str:
    letters = ""
    while n:
        n, rem = divmod(n - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def bomb_xlsx(*, rows: int, columns: int, ref: str | None = None) -> bytes:
    """A valid .xlsx whose sheet holds ``rows`` x ``columns`` inline-string cells, written in
    streamed chunks (test memory stays small); highly compressible, so the zip is a few MB."""
    header = "".join(
        f'<c r="{_column(i + 1)}1" t="inlineStr"><is><t>{name}</t></is></c>' for i, name in enumerate(TEMPLATE_COLUMNS)
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        zf.writestr("[Content_Types].xml", CONTENT_TYPES)
        zf.writestr("_rels/.rels", ROOT_RELS)
        zf.writestr("xl/workbook.xml", WORKBOOK)
        zf.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        with zf.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(SHEET_HEAD.format(ref=ref or f"A1:{_column(columns)}{rows + 1}").encode())
            sheet.write(f'<row r="1">{header}</row>'.encode())
            cells = "".join('<c t="inlineStr"><is><t>x</t></is></c>' for _ in range(columns)).encode()
            batch = b"".join(b"<row>" + cells + b"</row>" for _ in range(1000))
            for _ in range(rows // 1000):
                sheet.write(batch)
            sheet.write(SHEET_TAIL.encode())
    return out.getvalue()


@pytest.fixture(scope="module")
def bomb() -> bytes:
    # 100,000 rows x 21 columns = 2.1 million cells (about 90 MB of XML) in a zip of a few MB,
    # whose <dimension> lies (claims two rows), so only counting the cells finds it out
    return bomb_xlsx(rows=100_000, columns=len(TEMPLATE_COLUMNS), ref="A1:U2")


def test_the_bomb_is_small_on_the_wire_and_passes_the_size_check(bomb: bytes) -> None:
    assert len(bomb) < MAX_MEGABYTES * 1024 * 1024 / 4
    assert importer._file_problem(bomb, ".xlsx") is None  # the compressed-size check alone lets it in


def test_a_workbook_bomb_is_refused_before_parsing(bomb: bytes, monkeypatch: pytest.MonkeyPatch) -> None:
    import openpyxl

    def no_parse(*_args, **_kwargs):  # noqa: ANN002, ANN003, ANN202
        raise AssertionError("openpyxl was asked to parse a refused workbook")

    monkeypatch.setattr(openpyxl, "load_workbook", no_parse)

    sheet = read_sheet(io.BytesIO(bomb), filename="activities.xlsx")

    assert not sheet.ok and not sheet.rows
    (issue,) = sheet.issues
    assert f"more than {DEFAULT_LIMITS.max_cells:,} cells" in issue.message
    assert "Delete the unused rows and columns" in issue.message


def test_refusing_the_bomb_holds_a_bounded_amount_of_memory(bomb: bytes) -> None:
    tracemalloc.start()
    try:
        read_sheet(io.BytesIO(bomb), filename="activities.xlsx")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    # the file itself, one 1 MiB chunk of XML and its window; nothing proportional to the 90 MB inside
    assert peak < len(bomb) + 16 * 1024 * 1024


def test_the_guard_stops_at_the_cell_cap_without_reading_the_whole_sheet(bomb: bytes) -> None:
    limits = Limits(max_cells=50_000)
    with pytest.raises(WorkbookRefused, match="more than 50,000 cells"):
        inspect_workbook(bomb, limits=limits)


def test_a_sheet_whose_dimension_is_far_too_large_is_refused() -> None:
    data = bomb_xlsx(rows=1_000, columns=3, ref="A1:XFD1048576")

    with pytest.raises(WorkbookRefused, match=r"16,384 columns and 1,048,576 rows \(A1:XFD1048576\)"):
        inspect_workbook(data)


def test_a_zip_that_claims_gigabytes_is_refused_from_its_directory() -> None:
    limits = Limits(max_total_bytes=1024 * 1024)
    data = bomb_xlsx(rows=30_000, columns=2)  # about 2.5 MB of XML

    with pytest.raises(WorkbookRefused, match="unpacks to more than 1 MB"):
        inspect_workbook(data, limits=limits)


def test_a_workbook_inside_the_limits_is_read_as_before() -> None:
    data = bomb_xlsx(rows=1_000, columns=len(TEMPLATE_COLUMNS))

    info = inspect_workbook(data)
    sheet = read_sheet(io.BytesIO(data), filename="activities.xlsx")

    assert info.sheets["xl/worksheets/sheet1.xml"].cells == 1_001 * len(TEMPLATE_COLUMNS)
    assert len(sheet.rows) == 1_000  # every row read (and refused later by the row checks, as x is not valid)


def test_a_csv_of_nothing_but_separators_is_refused_while_reading() -> None:
    data = ("organisation" + "," * (DEFAULT_LIMITS.max_cells + 10) + "\n").encode()  # 1.2 MB, 1.2 M empty cells

    sheet = read_sheet(io.BytesIO(data), filename="activities.csv")

    assert not sheet.ok and not sheet.rows
    assert "import at most 50000 activities" in sheet.issues[0].message


def test_streamlit_refuses_uploads_above_the_importers_own_limit() -> None:
    """The server refuses a larger upload while receiving it (server.maxUploadSize, in MB)."""
    config = tomllib.loads((REPO_DIR / ".streamlit" / "config.toml").read_text(encoding="utf-8"))

    assert config["server"]["maxUploadSize"] == MAX_MEGABYTES


def test_the_tables_built_in_download_is_switched_off_everywhere() -> None:
    """Every page offers its own (formula-safe) download; the table toolbar's CSV button is off."""
    config = tomllib.loads((REPO_DIR / ".streamlit" / "config.toml").read_text(encoding="utf-8"))

    assert config["client"]["disableDataExport"] is True
