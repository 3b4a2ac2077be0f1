"""The register page's edit flow as a small state machine over the session's state (a mapping).

States for the chosen record: *editing* from a base version (``edit_base``: record id, version,
form values); after a save that lost a race, *in conflict* (``edit_conflict``: your values and the
message) until the editor reloads the register's version; after a delete, nothing chosen. Every
write goes to the ``Store`` with the base version, so nothing is ever overwritten silently.
Pure Python, no Streamlit: the page draws, this module decides what the state becomes.
"""

from __future__ import annotations

from collections.abc import Mapping, MutableMapping
from typing import Any, Protocol

from dashboard.register.errors import ConflictError
from dashboard.register.models import Activity
from dashboard.register.tables import form_values

BASE = "edit_base"
CONFLICT = "edit_conflict"
MESSAGE = "edit_message"
CHOSEN = "edit_record"
State = MutableMapping[str, Any]


class Register(Protocol):
    def get(self, record_id: str) -> Activity: ...

    def update(self, record_id: str, changes: Mapping[str, Any], *, expected_version: int, editor: str) -> Activity: ...

    def delete(self, record_id: str, *, expected_version: int, editor: str) -> None: ...


def start_from(state: State, activity: Activity) -> dict[str, Any]:
    """Edit ``activity`` from its stored version (the form shows its values)."""
    base = {"record_id": activity.record_id, "version": activity.version, "values": form_values(activity)}
    state[BASE] = base
    return base


def base_for(state: State, record_id: str, store: Register) -> dict[str, Any]:
    """The version being edited for ``record_id``: kept while the same record stays chosen."""
    base = state.get(BASE)
    if not base or base["record_id"] != record_id:
        base = start_from(state, store.get(record_id))
    return base


def save(state: State, store: Register, record_id: str, changes: Mapping[str, Any], *, editor: str) -> bool:
    """Save ``changes`` over the base version: True when saved (the new version becomes the base),
    False on a conflict (your values are kept beside the message). ValidationError and
    NotFoundError pass through with the state unchanged."""
    base = base_for(state, record_id, store)
    try:
        updated = store.update(record_id, changes, expected_version=base["version"], editor=editor)
    except ConflictError as exc:
        state[CONFLICT] = {"record_id": record_id, "mine": dict(changes), "message": str(exc)}
        return False
    start_from(state, updated)
    state[MESSAGE] = f"Saved: now version {updated.version}."
    return True


def delete(state: State, store: Register, record_id: str, *, editor: str) -> bool:
    """Delete the record at the base version: True when deleted (nothing chosen any more), False on
    a conflict (shown like a save's). NotFoundError passes through."""
    base = base_for(state, record_id, store)
    try:
        store.delete(record_id, expected_version=base["version"], editor=editor)
    except ConflictError as exc:
        state[CONFLICT] = {"record_id": record_id, "mine": base["values"], "message": str(exc)}
        return False
    state.pop(BASE, None)
    state.pop(CHOSEN, None)
    return True


def conflict_for(state: State, record_id: str) -> dict[str, Any] | None:
    """The conflict to show for ``record_id``, if its last save or delete lost a race."""
    conflict = state.get(CONFLICT)
    return conflict if conflict and conflict["record_id"] == record_id else None


def reload(state: State, theirs: Activity) -> None:
    """Leave the conflict: edit from the register's version now (then reapply your change)."""
    start_from(state, theirs)
    state.pop(CONFLICT, None)


def pop_message(state: State) -> str | None:
    return state.pop(MESSAGE, None)
