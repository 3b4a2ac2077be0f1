"""Create, read, update, delete, history and optimistic locking, on each database."""

from __future__ import annotations

import datetime as dt

import pytest

from dashboard.register import ConflictError, NotFoundError, Store, ValidationError
from tests.register.helpers import valid_activity


def test_create_returns_the_record_at_version_1(store: Store) -> None:
    created = store.create(valid_activity(), editor="ana")

    assert created.version == 1
    assert created.title == "Walking football"
    assert created.sector == "leisure"
    assert created.themes == ("physical activity", "older people")
    assert created.wards == ("E05005209",)
    assert created.start_date == dt.date(2025, 4, 1)
    assert (created.reach_count, created.reach_unit, created.reach_period) == (18, "people", "week")
    assert created.updated_by == "ana"


def test_get_reads_back_what_was_created(store: Store) -> None:
    created = store.create(valid_activity(), editor="ana")

    assert store.get(created.record_id) == created


def test_create_places_a_postcode_and_takes_its_ward(store: Store) -> None:
    created = store.create(valid_activity(wards="", postcode="bb53zz"), editor="ana")

    assert created.postcode == "BB5 3ZZ"
    assert (created.lon, created.lat) == (-2.39, 53.748)
    assert created.wards == ("E05005219",)
    assert created.location_ward_code == "E05005219"


def test_create_refuses_an_invalid_record_listing_every_problem(store: Store) -> None:
    with pytest.raises(ValidationError) as err:
        store.create(valid_activity(title="", sector="charity shop", contact_role="jo@example.org"), editor="ana")

    assert {i.column for i in err.value.issues} == {"title", "sector", "contact_role"}
    assert store.count() == 0


def test_an_organisation_keeps_one_sector(store: Store) -> None:
    store.create(valid_activity(), editor="ana")

    with pytest.raises(ValidationError, match="already in the register as sector 'leisure'"):
        store.create(valid_activity(title="Other thing", sector="NHS"), editor="ana")


def test_update_changes_fields_and_bumps_the_version(store: Store) -> None:
    created = store.create(valid_activity(), editor="ana")

    updated = store.update(
        created.record_id, {"status": "paused", "wards": "Church; St Andrews"}, expected_version=1, editor="ben"
    )

    assert updated.version == 2
    assert updated.status == "paused"
    assert updated.wards == ("E05005210", "E05005219")
    assert updated.updated_by == "ben"
    assert updated.title == created.title
    assert store.get(created.record_id) == updated


def test_update_with_a_stale_version_raises_conflict_with_both_versions(store: Store) -> None:
    created = store.create(valid_activity(), editor="ana")
    store.update(created.record_id, {"status": "paused"}, expected_version=1, editor="ben")

    with pytest.raises(ConflictError) as err:
        store.update(created.record_id, {"status": "ended"}, expected_version=1, editor="cat")

    assert (err.value.expected_version, err.value.current_version) == (1, 2)


def test_a_refused_stale_update_overwrites_nothing(store: Store, make_store) -> None:  # noqa: ANN001
    created = store.create(valid_activity(), editor="ana")
    colleague = make_store()  # a second user on the same database
    colleague.update(created.record_id, {"title": "Walking netball"}, expected_version=1, editor="ben")

    with pytest.raises(ConflictError):
        store.update(created.record_id, {"title": "Walking rugby"}, expected_version=1, editor="ana")

    kept = store.get(created.record_id)
    assert (kept.title, kept.version, kept.updated_by) == ("Walking netball", 2, "ben")
    assert [h.action for h in store.history(created.record_id)] == ["create", "update"]


def test_update_refuses_an_invalid_change_and_keeps_the_record(store: Store) -> None:
    created = store.create(valid_activity(), editor="ana")

    with pytest.raises(ValidationError, match="phone number"):
        store.update(created.record_id, {"contact_role": "01254 123456"}, expected_version=1, editor="ana")

    assert store.get(created.record_id) == created


def test_update_rejects_unknown_field_names(store: Store) -> None:
    created = store.create(valid_activity(), editor="ana")

    with pytest.raises(ValueError, match="unknown fields"):
        store.update(created.record_id, {"colour": "red"}, expected_version=1, editor="ana")


def test_delete_removes_the_record(store: Store) -> None:
    created = store.create(valid_activity(), editor="ana")

    store.delete(created.record_id, expected_version=1, editor="ana")

    with pytest.raises(NotFoundError):
        store.get(created.record_id)
    assert store.count() == 0


def test_delete_with_a_stale_version_is_refused(store: Store) -> None:
    created = store.create(valid_activity(), editor="ana")
    store.update(created.record_id, {"status": "ended"}, expected_version=1, editor="ben")

    with pytest.raises(ConflictError):
        store.delete(created.record_id, expected_version=1, editor="ana")

    assert store.get(created.record_id).status == "ended"


def test_history_records_create_update_delete_with_snapshots(store: Store) -> None:
    created = store.create(valid_activity(), editor="ana")
    store.update(created.record_id, {"status": "paused"}, expected_version=1, editor="ben")
    store.delete(created.record_id, expected_version=2, editor="cat")

    history = store.history(created.record_id)

    assert [(h.action, h.version, h.editor) for h in history] == [
        ("create", 1, "ana"),
        ("update", 2, "ben"),
        ("delete", 2, "cat"),
    ]
    assert history[0].before is None and history[0].after["status"] == "active"
    assert (history[1].before["status"], history[1].after["status"]) == ("active", "paused")
    assert history[2].before["status"] == "paused" and history[2].after is None
    assert all(h.changed_at.tzinfo is not None for h in history)


@pytest.mark.parametrize(
    ("filters", "expected_titles"),
    [
        ({}, ["Debt advice", "Talking therapies", "Walking football"]),
        ({"organisation": "citizens advice"}, ["Debt advice"]),
        ({"sector": "NHS"}, ["Talking therapies"]),
        ({"theme": "mental health"}, ["Debt advice", "Talking therapies"]),
        ({"ward": "St Andrews"}, ["Debt advice"]),
        ({"ward": "E05005209"}, ["Talking therapies", "Walking football"]),
        ({"status": ["paused", "ended"]}, ["Talking therapies"]),
        ({"search": "BENEFIT"}, ["Debt advice"]),
        ({"search": "100%"}, []),
        ({"theme": "mental health", "ward": "Central"}, ["Talking therapies"]),
    ],
)
def test_list_filters(store: Store, filters: dict, expected_titles: list[str]) -> None:
    store.create(valid_activity(), editor="ana")
    store.create(
        valid_activity(
            organisation="NHS Trust",
            sector="NHS",
            title="Talking therapies",
            status="paused",
            themes="mental health",
            wards="Central; Church",
        ),
        editor="ana",
    )
    store.create(
        valid_activity(
            organisation="Citizens Advice",
            sector="voluntary/community",
            title="Debt advice",
            description="Benefits and debt",
            themes="financial inclusion; mental health",
            wards="St Andrew's",
        ),
        editor="ana",
    )

    assert sorted(a.title for a in store.list(**filters)) == expected_titles


def test_list_rejects_an_unknown_theme(store: Store) -> None:
    with pytest.raises(ValueError, match="not a theme"):
        store.list(theme="knitting")


def test_frame_has_one_row_per_activity_with_ward_names(store: Store) -> None:
    store.create(valid_activity(wards="Central; Church"), editor="ana")

    frame = store.frame()

    assert len(frame) == 1
    assert frame.loc[0, "wards"] == ("E05005209", "E05005210")
    assert frame.loc[0, "ward_names"] == ("Central", "Church")


def test_organisations_lists_each_with_its_activity_count(store: Store) -> None:
    store.create(valid_activity(), editor="ana")
    store.create(valid_activity(title="Swimming"), editor="ana")

    assert [(o.name, o.sector, o.activity_count) for o in store.organisations()] == [("Hyndburn Leisure", "leisure", 2)]


def test_reopening_the_database_keeps_the_records(store: Store, make_store) -> None:  # noqa: ANN001
    created = store.create(valid_activity(), editor="ana")

    assert make_store().get(created.record_id) == created


def test_two_editors_saving_at_once_get_one_success_and_one_conflict(store: Store, make_store) -> None:  # noqa: ANN001
    import threading

    created = store.create(valid_activity(), editor="ana")
    editors = {"ana": make_store(), "ben": make_store()}
    barrier = threading.Barrier(2)
    outcomes: dict[str, str] = {}

    def save(name: str) -> None:
        barrier.wait()
        try:
            editors[name].update(created.record_id, {"title": f"Edited by {name}"}, expected_version=1, editor=name)
            outcomes[name] = "saved"
        except ConflictError:
            outcomes[name] = "conflict"

    threads = [threading.Thread(target=save, args=(n,)) for n in editors]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)

    assert sorted(outcomes.values()) == ["conflict", "saved"]
    winner = next(n for n, o in outcomes.items() if o == "saved")
    assert store.get(created.record_id).title == f"Edited by {winner}"


def test_the_register_knows_only_the_places_wards_as_the_dashboard_does(tmp_path):
    """Store.wards and the dashboard's selectors share one definition (core.selection.wards_of_place):
    a neighbouring district's ward in the areas table is not one of the place's wards."""
    import pandas as pd

    from dashboard.register.places import read_place_wards

    areas = pd.DataFrame(
        {
            "area_code": ["W1", "W2", "N1", "E07000120"],
            "area_name": ["Central", "Baxenden", "Next door", "Hyndburn"],
            "area_type": ["ward", "ward", "ward", "lad"],
            "parent_code": ["E07000120", "E07000120", "E07000117", None],
            "boundary_vintage": ["2025"] * 4,
        }
    )
    areas.to_parquet(tmp_path / "areas.parquet")
    assert read_place_wards(tmp_path / "areas.parquet", "E07000120") == {"W2": "Baxenden", "W1": "Central"}
