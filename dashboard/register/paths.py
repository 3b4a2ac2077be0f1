"""Where the register looks for things, anchored on this package with environment overrides.

- ``DATABASE_URL``: a SQLAlchemy URL (e.g. ``postgresql+psycopg://user@host/db``); when unset the
  register is an embedded SQLite file.
- ``PLACE_INSIGHT_REGISTER_DB``: the SQLite file (default ``<data>/register.sqlite``).
- ``PLACE_INSIGHT_DATA``: the data folder (default ``<repo>/data``), as for the pipelines.
- ``PLACE_CONFIG``: the place file (default ``pipelines/place.toml``), read for the place's name.
"""

from __future__ import annotations

import logging
import os
import tomllib
from pathlib import Path

log = logging.getLogger(__name__)

PACKAGE_DIR = Path(__file__).resolve().parent
REPO_DIR = PACKAGE_DIR.parent.parent
MIGRATIONS_DIR = PACKAGE_DIR / "migrations"


def data_dir() -> Path:
    return Path(os.environ.get("PLACE_INSIGHT_DATA", REPO_DIR / "data"))


def default_sqlite_path() -> Path:
    return Path(os.environ.get("PLACE_INSIGHT_REGISTER_DB", data_dir() / "register.sqlite"))


def areas_path() -> Path:
    return data_dir() / "tidy" / "areas.parquet"


def postcodes_path() -> Path:
    return data_dir() / "tidy" / "postcodes.parquet"


def template_path() -> Path:
    """The import template (a source file kept in the repository, not built data)."""
    return REPO_DIR / "data" / "templates" / "partner_activity_template.csv"


def example_path() -> Path:
    """The EXAMPLE activities (a source file kept in the repository)."""
    return REPO_DIR / "data" / "examples" / "partner_activity_example.csv"


def database_url(*, path: Path | str | None = None) -> str:
    """The database to use: a SQLite file at ``path`` if given, else ``DATABASE_URL``, else the
    embedded file ``data/register.sqlite``."""
    if path is None and os.environ.get("DATABASE_URL"):
        return os.environ["DATABASE_URL"]
    sqlite_path = Path(path) if path is not None else default_sqlite_path()
    return f"sqlite:///{sqlite_path}"


def place_name() -> str:
    """The place's name from the place file, or "the place" when it cannot be read."""
    path = Path(os.environ.get("PLACE_CONFIG", REPO_DIR / "pipelines" / "place.toml"))
    try:
        with path.open("rb") as fh:
            return str(tomllib.load(fh)["place"]["name"])
    except (OSError, KeyError, tomllib.TOMLDecodeError):
        log.debug("place name not readable from %s", path)
        return "the place"
