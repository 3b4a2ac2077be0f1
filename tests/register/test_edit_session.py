"""The register page's edit flow (dashboard.register.edit_session): save, conflict, reload, delete,
driven with a plain dict as the session state and a real register."""

from __future__ import annotations

import pytest

from dashboard.register import NotFoundError, Store, edit_session
from tests.register.helpers import valid_activity


def test_a_save_makes_the_new_version_the_base_and_says_so(store: Store):
    created = store.create(valid_activity(), editor="ann")
    state: dict = {}
    assert edit_session.base_for(state, created.record_id, store)["version"] == 1
    assert edit_session.save(state, store, created.record_id, {"status": "paused"}, editor="ben")
    assert state[edit_session.BASE]["version"] == 2
    assert state[edit_session.BASE]["values"]["status"] == "paused"
    assert edit_session.pop_message(state) == "Saved: now version 2."
    assert edit_session.conflict_for(state, created.record_id) is None


def test_a_save_that_lost_a_race_keeps_your_values_beside_the_conflict(store: Store):
    created = store.create(valid_activity(), editor="ann")
    state: dict = {}
    edit_session.base_for(state, created.record_id, store)  # you start from version 1
    store.update(created.record_id, {"status": "ended"}, expected_version=1, editor="kim")  # kim saves first
    assert not edit_session.save(state, store, created.record_id, {"status": "paused"}, editor="ben")
    conflict = edit_session.conflict_for(state, created.record_id)
    assert conflict["mine"] == {"status": "paused"}
    assert store.get(created.record_id).status == "ended"  # nothing overwritten
    assert edit_session.conflict_for(state, "another-record") is None


def test_reloading_after_a_conflict_edits_from_the_register_version(store: Store):
    created = store.create(valid_activity(), editor="ann")
    state: dict = {}
    edit_session.base_for(state, created.record_id, store)
    theirs = store.update(created.record_id, {"status": "ended"}, expected_version=1, editor="kim")
    edit_session.save(state, store, created.record_id, {"status": "paused"}, editor="ben")
    edit_session.reload(state, theirs)
    assert edit_session.conflict_for(state, created.record_id) is None
    assert state[edit_session.BASE]["version"] == 2
    assert edit_session.save(state, store, created.record_id, {"status": "paused"}, editor="ben")
    assert store.get(created.record_id).version == 3


def test_a_delete_clears_the_choice_and_a_stale_delete_is_a_conflict(store: Store):
    first = store.create(valid_activity(), editor="ann")
    second = store.create(valid_activity(title="Chair yoga"), editor="ann")
    state: dict = {edit_session.CHOSEN: first.record_id}
    edit_session.base_for(state, first.record_id, store)
    assert edit_session.delete(state, store, first.record_id, editor="ben")
    assert edit_session.CHOSEN not in state and edit_session.BASE not in state
    with pytest.raises(NotFoundError):
        store.get(first.record_id)
    edit_session.base_for(state, second.record_id, store)
    store.update(second.record_id, {"status": "paused"}, expected_version=1, editor="kim")
    assert not edit_session.delete(state, store, second.record_id, editor="ben")
    assert edit_session.conflict_for(state, second.record_id)["message"]
    assert store.get(second.record_id).version == 2  # still there
