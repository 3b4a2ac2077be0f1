"""Importing CSV and Excel files: all rows or none, with every row's problems."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from openpyxl import Workbook

from dashboard.register import TEMPLATE_COLUMNS, ImportRefused, Store
from pipelines.settings import example_path, template_path
from tests.register.helpers import HYNDBURN_WARDS, export_digest, table_counts, valid_activity, write_rows


def write_xlsx(path: Path, rows: list[dict]) -> Path:
    book = Workbook()
    ws = book.active
    ws.append(list(TEMPLATE_COLUMNS))
    for row in rows:
        ws.append([row.get(c) for c in TEMPLATE_COLUMNS])
    book.save(path)
    return path


def test_a_valid_csv_is_imported(store: Store, tmp_path: Path) -> None:
    path = write_rows(tmp_path / "ok.csv", [valid_activity(), valid_activity(title="Swimming", wards="Church")])

    result = store.import_file(path, editor="ana")

    assert (result.created, result.updated, result.unchanged) == (2, 0, 0)
    assert sorted(a.title for a in store.list()) == ["Swimming", "Walking football"]
    assert {h.action for a in store.list() for h in store.history(a.record_id)} == {"create"}


def test_a_valid_xlsx_with_real_dates_and_numbers_is_imported(store: Store, tmp_path: Path) -> None:
    import datetime as dt

    path = write_xlsx(tmp_path / "ok.xlsx", [valid_activity(start_date=dt.datetime(2025, 4, 1), reach_count=18)])

    store.import_file(path, editor="ana")

    (activity,) = store.list()
    assert (activity.start_date, activity.reach_count) == (dt.date(2025, 4, 1), 18)


def test_an_upload_object_is_read_with_its_file_name(store: Store, tmp_path: Path) -> None:
    data = write_rows(tmp_path / "ok.csv", [valid_activity()]).read_bytes()

    store.import_file(io.BytesIO(data), filename="from_the_page.csv", editor="ana")

    assert store.count() == 1


def test_the_preview_lists_every_rows_problems_with_row_numbers(store: Store, tmp_path: Path) -> None:
    path = write_rows(
        tmp_path / "bad.csv",
        [
            valid_activity(),
            valid_activity(title="", wards="Centrall"),
            valid_activity(reach_count="-3", start_date="2025-05-01", end_date="2025-01-01"),
        ],
    )

    preview = store.preview_import(path)

    assert not preview.ok
    assert [(i.row, i.column) for i in preview.errors] == [
        (3, "title"),
        (3, "wards"),
        (4, "end_date"),
        (4, "reach_count"),
    ]
    assert "Did you mean 'Central'?" in preview.errors[1].message
    assert store.count() == 0


def test_an_invalid_file_is_refused_and_leaves_the_register_unchanged(store: Store, tmp_path: Path) -> None:
    store.create(valid_activity(), editor="ana")
    counts, digest = table_counts(store), export_digest(store)
    path = write_rows(
        tmp_path / "bad.csv", [valid_activity(title="New and fine")] * 3 + [valid_activity(sector="bank")]
    )

    with pytest.raises(ImportRefused) as err:
        store.import_file(path, editor="ana")

    assert [(i.row, i.column) for i in err.value.preview.errors] == [(5, "sector")]
    assert table_counts(store) == counts
    assert export_digest(store) == digest


def test_a_file_missing_a_required_column_is_refused(store: Store, tmp_path: Path) -> None:
    columns = [c for c in TEMPLATE_COLUMNS if c != "title"]
    path = write_rows(tmp_path / "no_title.csv", [valid_activity()], columns=columns)

    preview = store.preview_import(path)

    assert [(i.row, i.column) for i in preview.errors] == [(None, "title")]
    assert "has no column 'title'" in preview.errors[0].message


def test_an_extra_column_is_a_warning_only(store: Store, tmp_path: Path) -> None:
    path = write_rows(tmp_path / "extra.csv", [dict(valid_activity(), notes="x")], [*TEMPLATE_COLUMNS, "notes"])

    preview = store.preview_import(path)

    assert preview.ok
    assert [(i.column, i.severity) for i in preview.issues] == [("notes", "warning")]


def test_one_organisation_with_two_sectors_in_a_file_is_refused(store: Store, tmp_path: Path) -> None:
    path = write_rows(tmp_path / "two.csv", [valid_activity(), valid_activity(title="Gym", sector="NHS")])

    preview = store.preview_import(path)

    assert [(i.row, i.column) for i in preview.errors] == [(3, "sector")]


def test_a_file_that_is_not_csv_or_xlsx_is_refused(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "activities.ods"
    path.write_bytes(b"whatever")

    preview = store.preview_import(path)

    assert "neither a .csv nor an .xlsx" in preview.errors[0].message


def test_rows_with_a_record_id_update_that_record(store: Store, tmp_path: Path) -> None:
    created = store.create(valid_activity(), editor="ana")
    row = dict(valid_activity(status="ended"), record_id=created.record_id, version="1")

    result = store.import_file(write_rows(tmp_path / "edit.csv", [row]), editor="ben")

    assert (result.created, result.updated) == (0, 1)
    updated = store.get(created.record_id)
    assert (updated.status, updated.version, updated.updated_by) == ("ended", 2, "ben")


def test_a_row_edited_from_a_stale_export_is_refused(store: Store, tmp_path: Path) -> None:
    created = store.create(valid_activity(), editor="ana")
    store.update(created.record_id, {"status": "paused"}, expected_version=1, editor="ben")
    row = dict(valid_activity(status="ended"), record_id=created.record_id, version="1")

    preview = store.preview_import(write_rows(tmp_path / "stale.csv", [row]))

    assert [(i.row, i.column) for i in preview.errors] == [(2, "version")]
    assert "your file has version 1, the register has version 2" in preview.errors[0].message


def test_the_template_imports_cleanly(store: Store) -> None:
    result = store.import_file(template_path(), editor="ana")

    assert result.created == 1


def test_the_example_file_imports_cleanly_and_is_labelled_as_example(tmp_path: Path) -> None:
    with Store(
        f"sqlite:///{tmp_path / 'example.sqlite'}", wards=HYNDBURN_WARDS, postcodes=False, place_name="Hyndburn"
    ) as store:  # no postcode table: warnings only
        result = store.import_file(example_path(), editor="example-loader")
        activities = store.list()

    assert result.created == len(activities) >= 40
    assert len({a.organisation for a in activities}) >= 6
    assert {w for a in activities for w in a.wards} == set(HYNDBURN_WARDS)
    assert all(a.organisation.endswith("(example)") and "EXAMPLE" in a.description for a in activities)


def test_an_upload_can_be_previewed_then_imported(store: Store, tmp_path: Path) -> None:
    upload = io.BytesIO(write_rows(tmp_path / "ok.csv", [valid_activity()]).read_bytes())

    assert store.preview_import(upload, filename="ok.csv").to_create == 1
    assert store.import_file(upload, filename="ok.csv", editor="ana").created == 1
