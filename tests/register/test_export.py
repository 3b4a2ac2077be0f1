"""Exports open safely in spreadsheets and import back unchanged."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from openpyxl import load_workbook

from dashboard.register import TEMPLATE_COLUMNS, Store
from dashboard.register.exporter import neutralise
from tests.register.helpers import valid_activity

RISKY = {
    "title": '=HYPERLINK("http://x","click")',
    "description": "+44 is not a formula but looks like one",
    "contact_role": "@duty manager",
    "organisation": "-Minus Group",
}


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+1", "'+1"),
        ("-x", "'-x"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("-2.36", "-2.36"),
        ("plain", "plain"),
        ("", ""),
        (5, 5),
    ],
)
def test_neutralise(value: object, expected: object) -> None:
    assert neutralise(value) == expected


def test_csv_export_neutralises_formula_cells(store: Store) -> None:
    store.create(valid_activity(**RISKY), editor="ana")

    rows = list(csv.DictReader(io.StringIO(store.export_bytes("csv").decode("utf-8-sig"))))

    assert {k: rows[0][k] for k in RISKY} == {k: "'" + v for k, v in RISKY.items()}


def test_xlsx_export_neutralises_formula_cells_and_has_no_formulas(store: Store, tmp_path: Path) -> None:
    store.create(valid_activity(**RISKY), editor="ana")
    path = tmp_path / "out.xlsx"
    store.export(path)

    ws = load_workbook(path)["activities"]
    header = [c.value for c in ws[1]]
    cells = dict(zip(header, ws[2], strict=True))

    assert {k: cells[k].value for k in RISKY} == {k: "'" + v for k, v in RISKY.items()}
    assert all(c.data_type != "f" for row in ws.iter_rows() for c in row)


def test_exports_have_exactly_the_template_columns(store: Store, tmp_path: Path) -> None:
    store.create(valid_activity(), editor="ana")
    store.export(tmp_path / "out.xlsx")

    csv_header = store.export_bytes("csv").decode("utf-8-sig").splitlines()[0].split(",")
    xlsx_header = [c.value for c in load_workbook(tmp_path / "out.xlsx")["activities"][1]]

    assert csv_header == xlsx_header == list(TEMPLATE_COLUMNS)


@pytest.mark.parametrize("suffix", ["csv", "xlsx"])
def test_round_trip_into_a_fresh_register_keeps_every_field(
    store: Store, fresh_store: Store, tmp_path: Path, suffix: str
) -> None:
    store.create(valid_activity(**RISKY), editor="ana")
    store.create(
        valid_activity(
            organisation="Carers Link",
            sector="voluntary/community",
            title="Young carers",
            themes="carers; children and families",
            wards="St Andrew's; Church",
            postcode="BB5 1AA",
            start_date="2024-01-01",
            end_date="2026-12-31",
            reach_count="",
            reach_unit="",
            reach_period="",
            contact_role="",
        ),
        editor="ana",
    )
    path = tmp_path / f"export.{suffix}"
    store.export(path)

    result = fresh_store.import_file(path, editor="ben")

    assert result.created == 2
    fields = (
        "record_id",
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
        "location_ward_code",
        "contact_role",
    )
    before = [{f: getattr(a, f) for f in fields} for a in store.list()]
    after = [{f: getattr(a, f) for f in fields} for a in fresh_store.list()]
    assert after == before


@pytest.mark.parametrize("suffix", ["csv", "xlsx"])
def test_reimporting_an_unedited_export_changes_nothing(store: Store, tmp_path: Path, suffix: str) -> None:
    created = store.create(valid_activity(**RISKY), editor="ana")
    path = tmp_path / f"export.{suffix}"
    store.export(path)

    result = store.import_file(path, editor="ben")

    assert (result.created, result.updated, result.unchanged) == (0, 0, 1)
    assert store.get(created.record_id).version == 1


def test_export_can_be_filtered(store: Store) -> None:
    store.create(valid_activity(), editor="ana")
    store.create(valid_activity(title="Debt advice", themes="financial inclusion"), editor="ana")

    frame = store.export_frame(theme="financial inclusion")

    assert frame["title"].tolist() == ["Debt advice"]
    assert frame.loc[0, "wards"] == "Central"
