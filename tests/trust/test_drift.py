"""Drifted raw data: every case is refused with a DataError naming the file, and the tidy tables
are byte-for-byte as they were (and data/raw too when the fetch itself refuses the file; a file
that fetches fine but fails a reader is kept in data/raw, as fetched, for inspection). Adds a 'raw_data' section to
test-artifacts/trust_corpus_summary.json."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import shutil
from pathlib import Path

import pytest

import pipelines.build as build_module
from pipelines.errors import DataError
from pipelines.settings import load_place
from tests.fixtures.mirror import write_mirror, write_place_file
from tests.trust.drift import DRIFTS, Drift

SUMMARY = Path(__file__).resolve().parents[2] / "test-artifacts" / "trust_corpus_summary.json"
RESULTS: dict[str, dict] = {}


def snapshot(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The fixture mirror and one good build of it (raw and tidy), made once."""
    root = tmp_path_factory.mktemp("drift")
    mirror = write_mirror(root / "mirror")
    place = load_place(write_place_file(root / "place.toml"))
    build_module.build(raw_from=mirror, raw=root / "raw", out=root / "tidy", place=place, with_checksums=False)
    return root, place


@pytest.fixture(scope="module", autouse=True)
def write_summary():
    yield
    if not RESULTS:
        return
    previous = json.loads(SUMMARY.read_text(encoding="utf-8")) if SUMMARY.is_file() else {}
    previous["raw_data"] = {
        "files_tried": len(RESULTS),
        "refused_with_message_naming_the_file": sum(r["names_file"] for r in RESULTS.values()),
        "tidy_files_changed": sum(r["tidy_files_changed"] for r in RESULTS.values()),
        "cases": RESULTS,
    }
    SUMMARY.parent.mkdir(parents=True, exist_ok=True)
    SUMMARY.write_text(json.dumps(previous, indent=2, ensure_ascii=False), encoding="utf-8")


def test_at_least_ten_drifts() -> None:
    assert len(DRIFTS) >= 10


@pytest.mark.parametrize("drift", DRIFTS, ids=lambda d: d.name)
def test_drifted_raw_file_is_refused_and_tidy_is_unchanged(drift: Drift, built, tmp_path: Path, monkeypatch) -> None:
    root, place = built
    mirror, raw, tidy = tmp_path / "mirror", tmp_path / "raw", tmp_path / "tidy"
    shutil.copytree(root / "mirror", mirror)
    shutil.copytree(root / "raw", raw)
    shutil.copytree(root / "tidy", tidy)
    if drift.checksum:  # the registry knows the good file's sha256
        good = hashlib.sha256((root / "mirror" / drift.file).read_bytes()).hexdigest()
        real = build_module.load_sources

        def with_checksum(*args, **kwargs):
            sources = real(*args, **kwargs)
            return {
                k: (dataclasses.replace(s, sha256={drift.file: good}) if drift.file in s.files else s)
                for k, s in sources.items()
            }

        monkeypatch.setattr(build_module, "load_sources", with_checksum)
    drift.apply(mirror)
    tidy_before, raw_before = snapshot(tidy), snapshot(raw)

    with pytest.raises(DataError) as err:
        build_module.build(raw_from=mirror, raw=raw, out=tidy, place=place, with_checksums=False, force=True)

    message = str(err.value)
    names_file = (drift.names or Path(drift.file).name) in message
    tidy_after = snapshot(tidy)
    changed = sum(tidy_before.get(k) != tidy_after.get(k) for k in set(tidy_before) | set(tidy_after))
    RESULTS[drift.name] = {
        "file": drift.file,
        "what": drift.what,
        "names_file": names_file,
        "tidy_files_changed": changed,
        "message": message[:300],
    }
    assert names_file, message
    assert "Fix:" in message  # every DataError says what to do
    assert changed == 0 and tidy_after == tidy_before, "a failed build changed data/tidy"
    if drift.stops_fetch:
        assert snapshot(raw) == raw_before, "a failed fetch changed data/raw"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mirror", "raw", "tidy"], "staging left behind"
