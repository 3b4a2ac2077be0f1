"""An editor's export is not left at its /media URL (issue 13, item 7): the file made on click
is removed from Streamlit's media store a few seconds later. Run through the installed
Streamlit's own MediaFileManager, so an upgrade that changes its internals fails here."""

from __future__ import annotations

import logging

import pytest
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.runtime.memory_media_file_storage import MediaFileStorageError, MemoryMediaFileStorage

from dashboard.app_pages import _downloads

EXPORT = b"record_id,reach_count,updated_by\nr1,3,local:sam\n"


@pytest.fixture()
def media() -> tuple[MemoryMediaFileStorage, MediaFileManager]:
    storage = MemoryMediaFileStorage("/media")
    return storage, MediaFileManager(storage)


def click(manager: MediaFileManager, later: list) -> str:
    """A deferred download button clicked once; returns the file id in the URL the browser gets."""
    make = _downloads.expiring(
        lambda: EXPORT,
        mime="text/csv",
        file_name="partner_activities.csv",
        schedule=lambda delay, action: later.append((delay, action)),
        manager=manager,
    )
    placeholder = manager.add_deferred(make, "text/csv", "1.(3.0).2", file_name="partner_activities.csv")
    url = manager.execute_deferred(placeholder)
    return url.rsplit("/", 1)[1].split(".")[0]


def test_a_clicked_export_is_removed_from_the_media_store_after_the_delay(media) -> None:  # noqa: ANN001
    storage, manager = media
    later: list = []
    file_id = click(manager, later)
    assert storage.get_file(file_id).content == EXPORT  # the browser fetches it at once

    [(delay, action)] = later
    assert delay == _downloads.EXPIRES_SECONDS
    assert action() is True
    with pytest.raises(MediaFileStorageError):
        storage.get_file(file_id)  # the URL now answers 404


def test_the_id_we_remove_is_the_one_in_the_url(media) -> None:  # noqa: ANN001
    _storage, manager = media
    file_id = click(manager, [])
    assert _downloads.media_file_id(EXPORT, "text/csv", "partner_activities.csv") == file_id


def test_a_file_a_session_still_shows_is_kept(media) -> None:  # noqa: ANN001
    storage, manager = media
    url = manager.add(EXPORT, "text/csv", "1.(3.0).2", file_name="a.csv", is_for_static_download=True)
    file_id = url.rsplit("/", 1)[1].split(".")[0]

    assert _downloads.forget(file_id, manager) is False
    assert storage.get_file(file_id).content == EXPORT


def test_a_changed_streamlit_leaves_the_file_and_warns(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING):
        assert _downloads.forget("abc", object()) is False
    assert "media store has changed" in caplog.text
