"""No lost updates: 20 writers, each with its own Store (own connections), save the same record
at once. Runs on SQLite and, with TEST_DATABASE_URL, on PostgreSQL."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from dashboard.register import ConflictError, Store
from tests.register.helpers import valid_activity

WRITERS = 20
ROUNDS = 3


def change_of(writer: int, round_no: int) -> dict:
    """Each writer changes several fields, all carrying its own mark."""
    return {
        "title": f"Walking football (writer {writer}, round {round_no})",
        "description": f"Saved by writer {writer} in round {round_no}",
        "reach_count": 100 + writer,
        "status": ("active", "paused", "planned", "ended")[writer % 4],
        "wards": ["Central", "Church", "Clayton-le-Moors", "St Andrew's"][writer % 4],
    }


def test_twenty_writers_one_winner_per_version(make_store) -> None:  # noqa: ANN001
    first = make_store()
    record = first.create(valid_activity(), editor="setup")
    stores: list[Store] = [make_store() for _ in range(WRITERS)]
    winners: list[int] = []

    for round_no in range(ROUNDS):
        version = first.get(record.record_id).version
        barrier = threading.Barrier(WRITERS)

        def save(writer: int, version: int = version, round_no: int = round_no, barrier=barrier):  # noqa: ANN001
            barrier.wait()
            try:
                return (
                    "won",
                    stores[writer].update(
                        record.record_id,
                        change_of(writer, round_no),
                        expected_version=version,
                        editor=f"writer-{writer}",
                    ),
                )
            except ConflictError as exc:
                return ("conflict", exc)

        with ThreadPoolExecutor(WRITERS) as pool:
            results = list(pool.map(save, range(WRITERS)))

        won = [i for i, (kind, _) in enumerate(results) if kind == "won"]
        assert len(won) == 1, f"round {round_no}: {len(won)} writers won"
        winners.append(won[0])
        for kind, value in results:
            if kind == "conflict":
                assert (value.expected_version, value.current_version) == (version, version + 1)
                assert f"version {version}" in str(value) and f"version {version + 1}" in str(value)
        # the stored record is exactly the winner's change, nothing merged from the others
        stored = first.get(record.record_id)
        expected = change_of(won[0], round_no)
        ward_code = first.wards.resolve(expected["wards"])
        assert (stored.title, stored.description, stored.reach_count, stored.status, stored.wards) == (
            expected["title"],
            expected["description"],
            expected["reach_count"],
            expected["status"],
            (ward_code,),
        )
        assert (stored.version, stored.updated_by) == (version + 1, f"writer-{won[0]}")

    history = first.history(record.record_id)
    assert [h.version for h in history] == list(range(1, ROUNDS + 2)), "the history has a gap"
    assert [h.editor for h in history] == ["setup"] + [f"writer-{w}" for w in winners]
    for previous, entry in zip(history, history[1:], strict=False):
        assert entry.before == previous.after  # each change starts from the one before it


@pytest.mark.parametrize("loser_action", ["update", "delete"])
def test_a_stale_writer_never_overwrites(store: Store, make_store, loser_action: str) -> None:  # noqa: ANN001
    a = store.create(valid_activity(), editor="ana")
    other = make_store()
    other.update(a.record_id, {"title": "Changed elsewhere"}, expected_version=1, editor="bo")
    with pytest.raises(ConflictError) as err:
        if loser_action == "update":
            store.update(a.record_id, {"status": "paused"}, expected_version=1, editor="ana")
        else:
            store.delete(a.record_id, expected_version=1, editor="ana")
    assert (err.value.expected_version, err.value.current_version) == (1, 2)
    stored = store.get(a.record_id)
    assert (stored.title, stored.status, stored.version) == ("Changed elsewhere", "active", 2)
    assert [h.version for h in store.history(a.record_id)] == [1, 2]
