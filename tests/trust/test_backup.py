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

    counts = restore(summary.path, fresh_store.engine)

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
        restore(summary.path, fresh_store.engine)
        assert dump(fresh_store.engine) == dump(source.engine)
    finally:
        source.close()


def test_restore_refuses_a_register_that_is_not_empty(store: Store, tmp_path: Path) -> None:
    fill(store)
    summary = backup(store.engine, tmp_path / "b.json")
    before = dump(store.engine)
    with pytest.raises(RestoreRefused, match="not empty .*nothing was changed"):
        restore(summary.path, store.engine)
    assert dump(store.engine) == before


def test_restore_refuses_a_damaged_or_foreign_file(store: Store, fresh_store: Store, tmp_path: Path) -> None:
    fill(store)
    path = backup(store.engine, tmp_path / "b.json").path
    document = json.loads(path.read_text(encoding="utf-8"))
    document["tables"]["activity"][0]["title"] = "Edited by hand"
    path.write_text(json.dumps(document), encoding="utf-8")
    with pytest.raises(RestoreRefused, match="damaged or was edited"):
        restore(path, fresh_store.engine)
    (tmp_path / "notes.json").write_text('{"hello": 1}', encoding="utf-8")
    with pytest.raises(RestoreRefused, match="not a register backup"):
        restore(tmp_path / "notes.json", fresh_store.engine)
    assert fresh_store.count() == 0


def test_zip_holds_json_and_its_checksum(store: Store, tmp_path: Path) -> None:
    fill(store)
    summary = backup(store.engine, tmp_path / "b.zip")
    with zipfile.ZipFile(summary.path) as zf:
        assert zf.read("register_backup.json.sha256").decode().split()[0] == summary.sha256
        assert json.loads(zf.read("register_backup.json"))["meta"]["counts"]["activity"] == 2


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
