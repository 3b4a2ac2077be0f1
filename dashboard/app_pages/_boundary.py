"""The app's one error boundary: a fault becomes a plain message, never a traceback.

``with boundary():`` around the frame and the page: an exception of a known kind (the register's
database down, read-only or missing its tables; damaged data tables; a broken users or place
file) is shown as what is wrong and what to do, anything else as a general message; the details
(exception, traceback, SQL, host) go only to the server log, with a reference shown to quote.
Streamlit's own st.stop / st.rerun (BaseException) pass through. Nothing is cached on failure,
so the page recovers by itself on the next run once the fault is fixed.
"""

from __future__ import annotations

import contextlib
import logging
import secrets
from collections.abc import Iterator

import streamlit as st

log = logging.getLogger(__name__)

MSG_DB_DOWN = (
    "The partner register's database cannot be reached, so register data cannot be shown or saved just now. "
    "The rest of the dashboard still works. Try again in a few minutes; if it persists, tell whoever runs the "
    "dashboard that the register database (DATABASE_URL) is not answering."
)
MSG_DB_READONLY = (
    "The partner register is read-only on this server, so the change was not saved. Tell whoever runs the "
    "dashboard that the register database file cannot be written (check its permissions and free disk space)."
)
MSG_DB_TABLES = (
    "The partner register's tables are missing or damaged. Tell whoever runs the dashboard: restore the register "
    "from its latest backup (make register-restore) or point DATABASE_URL at the right database."
)
MSG_DATA = (
    "The dashboard's data tables are damaged or incomplete, so this page cannot be drawn. Tell whoever runs the "
    "dashboard to rebuild them (make data); the page works again as soon as the rebuild finishes."
)
MSG_USERS = (
    "The sign-in settings (the users file) are broken, so nobody can sign in just now; viewing still works. "
    "Tell whoever runs the dashboard to fix the users file (python -m dashboard.auth list shows the problem)."
)
MSG_CONFIG = (
    "The dashboard's configuration is broken (the place file or a setting), so this page cannot be drawn. "
    "Tell whoever runs the dashboard; the server log names the file and the problem."
)
MSG_OTHER = (
    "Something went wrong while drawing this page. Reload the page; if it keeps happening, tell whoever runs "
    "the dashboard."
)


def explain(exc: BaseException) -> str:
    """The plain message for a fault: what is wrong and what to do (never the exception's text)."""
    import sqlalchemy.exc as sa_exc

    from dashboard.auth import AuthError
    from dashboard.register.errors import RegisterConfigError
    from pipelines.errors import ConfigError, DataError

    text = str(exc).casefold()
    if isinstance(exc, sa_exc.OperationalError) and ("readonly" in text or "read-only" in text):
        return MSG_DB_READONLY
    if isinstance(exc, (sa_exc.NoSuchTableError, sa_exc.ProgrammingError)) or (
        isinstance(exc, sa_exc.OperationalError) and "no such table" in text
    ):
        return MSG_DB_TABLES
    if isinstance(exc, (sa_exc.OperationalError, sa_exc.InterfaceError, sa_exc.DisconnectionError)):
        return MSG_DB_DOWN
    if isinstance(exc, sa_exc.DBAPIError):
        return MSG_DB_DOWN
    if isinstance(exc, AuthError):
        return MSG_USERS
    if isinstance(exc, DataError) or _is_arrow_error(exc):
        return MSG_DATA
    if isinstance(exc, (ConfigError, RegisterConfigError)):
        return MSG_CONFIG
    return MSG_OTHER


def _is_arrow_error(exc: BaseException) -> bool:
    try:
        import pyarrow as pa
    except ImportError:  # pragma: no cover
        return False
    return isinstance(exc, pa.ArrowException)


class Outcome:
    failed = False


@contextlib.contextmanager
def boundary(where: str = "page") -> Iterator[Outcome]:
    """Show a plain message instead of a traceback for any exception raised inside; the yielded
    ``Outcome.failed`` says whether one was."""
    outcome = Outcome()
    try:
        yield outcome
    except Exception as exc:  # noqa: BLE001 (the boundary: everything is shown plainly and logged in full)
        outcome.failed = True
        reference = secrets.token_hex(4)
        log.exception("fault in %s (reference %s)", where, reference)
        st.error(f"{explain(exc)} (Reference for the server log: {reference}.)", icon=":material/error:")
