"""Backup and restore: every table, row by row, survives the round trip (SQLite and PostgreSQL)."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest
import sqlalchemy as sa

from dashboard.register import Store
from dashboard.register.backup import TABLES, RestoreRefused, backup, restore, table_rows
from dashboard.register.cli import main as cli
from tests.register.helpers import POSTCODES, WARDS, valid_activity
from tests.register.test_cli import data_dir  # noqa: F401 (the place's wards for the command line)


def fill(store: Store) -> None:
    a = store.create(valid_activity(), editor="ana")
    store.update(
        a.record_id,
        {"status": "paused", "description": "Ünïcödé, \"quotes\", 'apostrophes'; 5 < 11 & 2 > 1"},
        expected_version=1,
        editor="bo",
    )
    b = store.create(
        valid_activity(
            organisation="Age UK Lancashire",
            sector="voluntary/community",
            title="Befriending",
            themes="social isolation",
            wards="Church; St Andrew's",
            postcode="BB5 1AA",
            reach_count="",
            reach_unit="",
            reach_period="",
        ),
        editor="ana",
    )
    c = store.create(valid_activity(title="To be deleted", start_date="2024-01-31", end_date="2024-12-31"), editor="cy")
    store.delete(c.record_id, expected_version=c.version, editor="admin:di")
    store.update(b.record_id, {"themes": "social isolation; older people"}, expected_version=1, editor="ana")


def dump(engine: sa.Engine) -> dict[str, list[dict]]:
    with engine.connect() as conn:
        return {t.name: table_rows(conn, t) for t in TABLES}


@pytest.mark.parametrize("suffix", [".json", ".zip"])
def test_round_trip_keeps_every_row(store: Store, fresh_store: Store, tmp_path: Path, suffix: str) -> None:
    fill(store)
    summary = backup(store.engine, tmp_path / f"register{suffix}")
    assert summary.counts["activity"] == 2 and summary.counts["activity_history"] == 6
    assert summary.revision == "0001" and len(summary.sha256) == 64

    counts = restore(summary.path, fresh_store.engine, check=fresh_store.check)

    assert counts == summary.counts
    before, after = dump(store.engine), dump(fresh_store.engine)
    for table in before:
        assert after[table] == before[table], table
    # the restored register carries on: versions continue, new ids do not collide
    (a,) = [x for x in fresh_store.list() if x.title == "Walking football"]
    assert fresh_store.update(a.record_id, {"status": "active"}, expected_version=2, editor="ana").version == 3
    fresh_store.create(valid_activity(organisation="New org", sector="other", title="New"), editor="ana")
    assert [h.version for h in fresh_store.history(a.record_id)] == [1, 2, 3]
    assert fresh_store.history(a.record_id)[0].changed_at == store.history(a.record_id)[0].changed_at


def test_sqlite_backup_restores_into_the_other_kind(tmp_path: Path, fresh_store: Store) -> None:
    source = Store(f"sqlite:///{tmp_path / 'src.sqlite'}", wards=WARDS, postcodes=POSTCODES)
    try:
        fill(source)
        summary = backup(source.engine, tmp_path / "b.zip")
        restore(summary.path, fresh_store.engine, check=fresh_store.check)
        assert dump(fresh_store.engine) == dump(source.engine)
    finally:
        source.close()


def test_restore_refuses_a_register_that_is_not_empty(store: Store, tmp_path: Path) -> None:
    fill(store)
    summary = backup(store.engine, tmp_path / "b.json")
    before = dump(store.engine)
    with pytest.raises(RestoreRefused, match="not empty .*nothing was changed"):
        restore(summary.path, store.engine, check=store.check)
    assert dump(store.engine) == before


def test_restore_refuses_a_damaged_or_foreign_file(store: Store, fresh_store: Store, tmp_path: Path) -> None:
    fill(store)
    path = backup(store.engine, tmp_path / "b.json").path
    document = json.loads(path.read_text(encoding="utf-8"))
    document["tables"]["activity"][0]["title"] = "Edited by hand"
    path.write_text(json.dumps(document), encoding="utf-8")
    with pytest.raises(RestoreRefused, match="damaged or was edited"):
        restore(path, fresh_store.engine, check=fresh_store.check)
    (tmp_path / "notes.json").write_text('{"hello": 1}', encoding="utf-8")
    with pytest.raises(RestoreRefused, match="not a register backup"):
        restore(tmp_path / "notes.json", fresh_store.engine, check=fresh_store.check)
    assert fresh_store.count() == 0


def test_zip_holds_json_and_its_checksum(store: Store, tmp_path: Path) -> None:
    fill(store)
    summary = backup(store.engine, tmp_path / "b.zip")
    with zipfile.ZipFile(summary.path) as zf:
        assert zf.read("register_backup.json.sha256").decode().split()[0] == summary.sha256
        assert json.loads(zf.read("register_backup.json"))["meta"]["counts"]["activity"] == 2


@pytest.mark.usefixtures("data_dir")
def test_command_line_backup_and_restore(store: Store, new_database_url, tmp_path: Path, capsys) -> None:  # noqa: ANN001
    fill(store)
    out = tmp_path / "cli-backup.zip"
    assert cli(["--database-url", store.url, "backup", str(out)]) == 0
    assert "backed up 2 activities" in capsys.readouterr().out
    target = new_database_url()
    assert cli(["--database-url", target, "restore", str(out)]) == 0
    assert cli(["--database-url", target, "restore", str(out)]) == 1
    assert "not empty" in capsys.readouterr().err
    engine = sa.create_engine(target)
    try:
        assert dump(engine) == dump(store.engine)
    finally:
        engine.dispose()


def edited_backup(path: Path, edit) -> Path:  # noqa: ANN001
    """A backup edited by hand, with its checksum recomputed so it passes the damage check."""
    from dashboard.register.backup import _digest

    document = json.loads(path.read_text(encoding="utf-8"))
    document.pop("sha256")
    edit(document["tables"])
    path.write_text(json.dumps(document | {"sha256": _digest(document)}), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("edit", "words"),
    [
        (lambda t: t["activity"][0].update(title="<script>alert(1)</script>"), "contains HTML or script"),
        (lambda t: t["activity"][0].update(reach_count=-999), "'-999' is negative"),
        (lambda t: t["activity_ward"][0].update(ward_code="E05999999"), "'E05999999' is not a ward of"),
        (lambda t: t["activity_history"][0]["after"].update(title="<img src=x onerror=alert(1)>"), "HTML or script"),
        (lambda t: t["activity_history"][0].update(editor="<b>me</b>"), "is not plain text"),
    ],
    ids=["script-title", "negative-reach", "unknown-ward", "script-in-history", "html-editor"],
)
def test_restore_refuses_a_hand_edited_backup_with_invalid_records(
    store: Store,
    fresh_store: Store,
    tmp_path: Path,
    edit,
    words: str,  # noqa: ANN001
) -> None:
    fill(store)
    path = edited_backup(backup(store.engine, tmp_path / "b.json").path, edit)

    with pytest.raises(RestoreRefused, match="import rules refuse .*; nothing was restored") as refused:
        restore(path, fresh_store.engine, check=fresh_store.check)

    assert words in str(refused.value)
    assert fresh_store.count() == 0 and all(not rows for rows in dump(fresh_store.engine).values())


def test_restore_lists_every_invalid_record_it_found(store: Store, fresh_store: Store, tmp_path: Path) -> None:
    fill(store)

    def edit(tables: dict) -> None:
        for activity in tables["activity"]:
            activity["reach_count"] = -999

    path = edited_backup(backup(store.engine, tmp_path / "b.json").path, edit)
    with pytest.raises(
        RestoreRefused, match=r"holds 2 record\(s\) that the register's import rules refuse \(4 problem\(s\)\)"
    ):
        restore(path, fresh_store.engine, check=fresh_store.check)
