"""Settings: the one module that owns every path, environment variable and the place config.

Everything else (pipelines, register, auth, dashboard, bench) asks this module; nothing else
reads ``os.environ`` for the project's own settings. Every variable is documented in the
README's "Settings" table, and a test checks that the table and ``ENVIRONMENT`` agree.

Paths are anchored on the repository (this file's parent folder), never on the working
directory, so the app, the CLI and the tests find the same files from anywhere.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from pathlib import Path

from pipelines.errors import ConfigError

PACKAGE_DIR = Path(__file__).resolve().parent
REPO_DIR = PACKAGE_DIR.parent
SOURCES_FILE = PACKAGE_DIR / "sources.toml"
INDICATORS_FILE = PACKAGE_DIR / "indicators.toml"
DEFAULT_PLACE_FILE = PACKAGE_DIR / "place.toml"
# The reference mirror that sits beside a clone on this project's machines.
DEFAULT_MIRROR = REPO_DIR.parent / "shared" / "data" / "raw"
# The build stamp written into data/tidy/ (fingerprint, time, rows, inputs).
BUILD_STAMP = "_build.json"
ENGLAND_CODE = "E92000001"
ENGLAND_NAME = "England"

# Every environment variable the project reads, with what it does (the README's table says the same).
DATA_ENV = "PLACE_INSIGHT_DATA"
RAW_FROM_ENV = "PLACE_INSIGHT_RAW_FROM"
PLACE_ENV = "PLACE_CONFIG"
DATABASE_URL_ENV = "DATABASE_URL"
REGISTER_DB_ENV = "PLACE_INSIGHT_REGISTER_DB"
REGISTER_READONLY_ENV = "PLACE_INSIGHT_REGISTER_READONLY"
USERS_FILE_ENV = "PLACE_INSIGHT_USERS_FILE"
THRESHOLD_ENV = "PLACE_INSIGHT_SMALL_NUMBER_THRESHOLD"
RUN_LOG_ENV = "PLACE_INSIGHT_RUN_LOG"

ENVIRONMENT: dict[str, str] = {
    DATA_ENV: "the data folder (default `<repo>/data`): raw/, tidy/ and the SQLite register live here",
    RAW_FROM_ENV: "a mirror folder laid out like `data/raw/` to copy the raw files from "
    "(default `../shared/data/raw` when present)",
    PLACE_ENV: "the place file (default `pipelines/place.toml`)",
    DATABASE_URL_ENV: "the register's database as a SQLAlchemy URL (default: the SQLite file below)",
    REGISTER_DB_ENV: "the SQLite register file when `DATABASE_URL` is unset (default `<data>/register.sqlite`)",
    REGISTER_READONLY_ENV: "`1`/`true`/`yes` makes the register read-only for everyone (maintenance)",
    USERS_FILE_ENV: "the local users file (default `<repo>/.streamlit/users.toml`)",
    THRESHOLD_ENV: "the small-number threshold for counts shown in public (default 5)",
    RUN_LOG_ENV: "a file the app appends one line per rerun to (used by the benchmark)",
}


def env(name: str, default: str | None = None) -> str | None:
    """The value of one of the project's environment variables (``None``/``default`` when unset or blank)."""
    if name not in ENVIRONMENT:
        raise KeyError(f"{name} is not one of the project's settings; add it to pipelines/settings.py ENVIRONMENT")
    value = os.environ.get(name, "").strip()
    return value or default


def flag(name: str) -> bool:
    """A yes/no environment setting: true for 1, true or yes (any case)."""
    return (env(name) or "").casefold() in ("1", "true", "yes")


# --- paths ---------------------------------------------------------------------------------------


def data_dir() -> Path:
    return Path(env(DATA_ENV) or REPO_DIR / "data")


def raw_dir() -> Path:
    return data_dir() / "raw"


def tidy_dir() -> Path:
    return data_dir() / "tidy"


def build_stamp_path(folder: Path | None = None) -> Path:
    return Path(folder or tidy_dir()) / BUILD_STAMP


def mirror_dir(raw_from: str | Path | None = None) -> Path | None:
    """The mirror to use: the argument, else $PLACE_INSIGHT_RAW_FROM, else ../shared/data/raw if present.

    ``None`` means "download over HTTP".
    """
    if raw_from:
        return Path(raw_from)
    if value := env(RAW_FROM_ENV):
        return Path(value)
    if DEFAULT_MIRROR.is_dir():
        return DEFAULT_MIRROR
    return None


def register_sqlite_path() -> Path:
    return Path(env(REGISTER_DB_ENV) or data_dir() / "register.sqlite")


def database_url(*, path: Path | str | None = None) -> str:
    """The register's database: a SQLite file at ``path`` if given, else ``DATABASE_URL``, else the
    embedded file ``<data>/register.sqlite``."""
    if path is None and (url := env(DATABASE_URL_ENV)):
        return url
    sqlite_path = Path(path) if path is not None else register_sqlite_path()
    return f"sqlite:///{sqlite_path}"


def register_readonly() -> bool:
    return flag(REGISTER_READONLY_ENV)


def users_file(path: Path | str | None = None) -> Path:
    return Path(path or env(USERS_FILE_ENV) or REPO_DIR / ".streamlit" / "users.toml")


def run_log_path() -> Path | None:
    value = env(RUN_LOG_ENV)
    return Path(value) if value else None


def small_number_threshold_setting() -> str | None:
    """The raw threshold setting (validated by ``dashboard.core.disclosure.threshold``)."""
    return env(THRESHOLD_ENV)


def template_path() -> Path:
    """The register's import template (a source file kept in the repository, not built data)."""
    return REPO_DIR / "data" / "templates" / "partner_activity_template.csv"


def example_path() -> Path:
    """The EXAMPLE activities (a source file kept in the repository)."""
    return REPO_DIR / "data" / "examples" / "partner_activity_example.csv"


# --- the place -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Place:
    """The local authority the tables are built for, and how its extract files are named."""

    lad_code: str
    name: str
    slug: str
    file_label: str
    county_code: str
    county_file_label: str
    neighbour_buffer_m: float = 1500.0
    min_split_share: float = 0.05

    def template_values(self) -> dict[str, str]:
        return {
            "lad_code": self.lad_code,
            "slug": self.slug,
            "file_label": self.file_label,
            "county_code": self.county_code,
            "county_file_label": self.county_file_label,
        }


def place_file() -> Path:
    return Path(env(PLACE_ENV) or DEFAULT_PLACE_FILE)


def load_place(path: Path | str | None = None) -> Place:
    """Read the place file (``PLACE_CONFIG`` or ``pipelines/place.toml``)."""
    path = Path(path or place_file())
    try:
        with path.open("rb") as fh:
            raw = tomllib.load(fh)["place"]
        return Place(**raw)
    except FileNotFoundError as exc:
        raise ConfigError(f"place file {path} not found; set PLACE_CONFIG or restore pipelines/place.toml") from exc
    except (KeyError, TypeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(
            f"place file {path} is not usable ({exc}); it needs a [place] table with lad_code, name, slug, "
            "file_label, county_code and county_file_label"
        ) from exc


def place_name(default: str = "the place") -> str:
    """The place's name from the place file, or ``default`` when it cannot be read."""
    try:
        return load_place().name
    except ConfigError:
        return default
