"""Downloads of non-public data (an editor's exact register export) that do not stay on the server.

Streamlit serves every ``st.download_button`` file from its media store at ``/media/<id>``, with no
session check: whoever has the URL can fetch the file. A file made on click (``data`` a function)
is kept until two later script runs anywhere in the process have ended, which on a quiet server
can be minutes or hours. ``private_download_button`` makes the file only when the button is
clicked and then removes that one file from the media store ``EXPIRES_SECONDS`` later (the browser
fetches it at once); a URL copied from the browser or a proxy log is dead after that.

This reaches into Streamlit's ``MediaFileManager`` (its lock, file table and id hash):
``tests/trust/test_private_downloads.py`` runs a real deferred download through the installed
Streamlit so an upgrade that changes them fails a test instead of silently keeping files. If the
internals are missing at run time the file is left to Streamlit's own clean-up and a warning is
logged (residual risk in dashboard/AUTH.md).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

import streamlit as st

log = logging.getLogger(__name__)

EXPIRES_SECONDS = 10.0
Scheduler = Callable[[float, Callable[[], Any]], Any]


def _timer(delay: float, action: Callable[[], Any]) -> threading.Timer:
    timer = threading.Timer(delay, action)
    timer.daemon = True
    timer.start()
    return timer


def media_file_id(data: bytes, mimetype: str, file_name: str | None) -> str:
    """The id (the ``/media/<id>`` part) Streamlit's memory store gives these bytes."""
    from streamlit.runtime.memory_media_file_storage import _calculate_file_id

    return _calculate_file_id(data, mimetype, file_name)


def forget(file_id: str, manager: Any = None) -> bool:
    """Remove the stored file ``file_id`` unless a session still shows it; True when removed."""
    if manager is None:
        from streamlit import runtime

        manager = runtime.get_instance().media_file_mgr
    try:
        with manager._lock:  # noqa: SLF001 (see the module docstring)
            if file_id not in manager._file_metadata:  # noqa: SLF001
                return False
            mapped = manager._files_by_session_and_coord.values()  # noqa: SLF001
            if any(file_id in by_coordinates.values() for by_coordinates in mapped):
                return False
            manager._delete_file(file_id)  # noqa: SLF001
    except AttributeError:
        log.warning("Streamlit's media store has changed: a private download stays until Streamlit removes it")
        return False
    log.info("private download %s removed from the media store", file_id[:12])
    return True


def expiring(
    make: Callable[[], bytes],
    *,
    mime: str,
    file_name: str,
    schedule: Scheduler = _timer,
    delay: float = EXPIRES_SECONDS,
    manager: Any = None,
) -> Callable[[], bytes]:
    """``make`` for a deferred download button, removing its file from the media store ``delay``
    seconds after each click (``schedule(delay, action)`` runs ``action`` later; ``manager``: the
    media file manager, by default the running app's)."""

    def build() -> bytes:
        data = make()
        file_id = media_file_id(data, mime, file_name)
        schedule(delay, lambda: forget(file_id, manager))
        return data

    return build


def private_download_button(label: str, make: Callable[[], bytes], *, mime: str, file_name: str, **kwargs: Any) -> None:
    """``st.download_button`` for a file only its session should get: made on click, and its
    ``/media`` URL dead ``EXPIRES_SECONDS`` later."""
    st.download_button(
        label, data=expiring(make, mime=mime, file_name=file_name), mime=mime, file_name=file_name, **kwargs
    )
