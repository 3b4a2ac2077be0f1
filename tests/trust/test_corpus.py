"""Every bad-input file in the corpus (make_corpus.py) is refused with a message a person can act
on, naming the row and column, and the register is unchanged; the few files that are accepted
store exactly what they should. Writes test-artifacts/trust_corpus_summary.json."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from dashboard.register import ImportRefused, Store
from tests.register.helpers import export_digest, table_counts
from tests.trust import make_corpus
from tests.trust.make_corpus import Case

REPO = Path(__file__).resolve().parents[2]
SUMMARY = REPO / "test-artifacts" / "trust_corpus_summary.json"
# Words that mean the message was written for a programmer, not for the person importing.
JARGON = re.compile(
    r"Traceback|Exception|Error\(|codec|0x[0-9a-f]{2}|Errno|NoneType|object at|\\x[0-9a-f]{2}|"
    r"zipfile|openpyxl|utf-8' |UnicodeDecode|KeyError|ValueError|line \d+ column",
    re.IGNORECASE,
)
RESULTS: dict[str, dict] = {}


@pytest.fixture(scope="session")
def corpus_files(tmp_path_factory) -> dict[str, Path]:
    """Every case's file, built once per session (the many-MB one included)."""
    folder = tmp_path_factory.mktemp("corpus")
    return {p.name: p for p in make_corpus.write_corpus(folder, committed_only=False)}


@pytest.fixture(scope="module", autouse=True)
def write_summary():
    yield
    if not RESULTS:
        return
    by_backend: dict[str, dict] = {}
    for key, result in RESULTS.items():
        by_backend.setdefault(result["backend"], {})[key.split("::")[1]] = result
    summary = {}
    for backend, results in sorted(by_backend.items()):
        refused = [r for r in results.values() if r["outcome"] == "refused"]
        summary[backend] = {
            "files_tried": len(results),
            "refused_with_clear_message": sum(r["clear"] for r in refused),
            "refused": len(refused),
            "accepted_as_intended": sum(1 for r in results.values() if r["outcome"] == "accepted"),
            "rows_changed_by_refused_files": sum(r["rows_changed"] for r in refused),
            "cases": results,
        }
    SUMMARY.parent.mkdir(parents=True, exist_ok=True)
    previous = json.loads(SUMMARY.read_text(encoding="utf-8")) if SUMMARY.is_file() else {}
    previous.update({"imports": summary, "rules": make_corpus.__doc__.split("Rules decided here")[1].strip()})
    SUMMARY.write_text(json.dumps(previous, indent=2, ensure_ascii=False), encoding="utf-8")


def baseline(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "baseline.csv"
    path.write_bytes(make_corpus.csv_bytes(make_corpus.baseline_rows()))
    store.import_file(path, editor="baseline")
    assert store.count() == 3


def test_the_corpus_is_big_enough() -> None:
    cases = make_corpus.cases()
    assert len(cases) >= 50
    assert sum(c.outcome == "refused" for c in cases) >= 50


def test_committed_corpus_files_match_the_generator(tmp_path: Path) -> None:
    """tests/trust/corpus/ is what make_corpus.py writes; re-run it after changing a case."""
    fresh = {p.name: p.read_bytes() for p in make_corpus.write_corpus(tmp_path)}
    committed = {p.name: p.read_bytes() for p in make_corpus.CORPUS_DIR.iterdir() if p.is_file()}
    assert committed == fresh


@pytest.mark.parametrize("case", make_corpus.cases(), ids=lambda c: c.name)
def test_corpus_case(case: Case, store: Store, corpus_files: dict[str, Path], tmp_path: Path, request) -> None:
    backend = "postgresql" if store.engine.dialect.name == "postgresql" else "sqlite"
    baseline(store, tmp_path)
    counts, digest = table_counts(store), export_digest(store)
    path = corpus_files[case.name]

    preview = store.preview_import(path)
    assert (table_counts(store), export_digest(store)) == (counts, digest), "a preview must write nothing"
    result = {
        "backend": backend,
        "what": case.what,
        "bytes": path.stat().st_size,
        "outcome": case.outcome,
        "messages": [str(i) for i in preview.issues][:5],
    }

    if case.outcome == "refused":
        with pytest.raises(ImportRefused) as err:
            store.import_file(path, editor="corpus")
        errors = err.value.preview.errors
        assert errors, "refused without saying why"
        found = {(i.row, i.column) for i in errors}
        for expect in case.expect:
            matching = [i for i in errors if (i.row, i.column) == (expect.row, expect.column)]
            assert matching, (
                f"expected a problem at row {expect.row}, column {expect.column}; got {sorted(found, key=str)}"
            )
            assert any(expect.words in i.message for i in matching), [i.message for i in matching]
        for issue in errors:
            assert not JARGON.search(issue.message), f"message for programmers: {issue}"
            assert len(issue.message) < 400, issue.message
        after_counts, after_digest = table_counts(store), export_digest(store)
        rows_changed = sum(abs(after_counts[t] - counts[t]) for t in counts) + (after_digest != digest)
        result.update(rows_changed=rows_changed, clear=True, errors=len(errors))
        assert after_counts == counts and after_digest == digest, "a refused file changed the register"
    else:
        assert preview.ok, [str(i) for i in preview.errors]
        for expect in case.expect:
            assert any(
                (i.row, i.column) == (expect.row, expect.column) and expect.words in i.message for i in preview.warnings
            ), [str(i) for i in preview.warnings]
        store.import_file(path, editor="corpus")
        if case.check:
            case.check(store, preview)
        result.update(rows_changed=store.count() - 3, clear=True)
    RESULTS[f"imports::{case.name}::{backend}"] = result
