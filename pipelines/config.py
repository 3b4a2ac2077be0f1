"""Paths and the place setting: the one place where locations are decided.

Every path is anchored on this package's location, with environment overrides:

- ``PLACE_INSIGHT_DATA``: the data folder (default ``<repo>/data``)
- ``PLACE_INSIGHT_RAW_FROM``: a mirror folder laid out like ``data/raw`` (see ``fetch``)
- ``PLACE_CONFIG``: a place file like ``pipelines/place.toml``
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


def data_dir() -> Path:
    return Path(os.environ.get("PLACE_INSIGHT_DATA", REPO_DIR / "data"))


def raw_dir() -> Path:
    return data_dir() / "raw"


def tidy_dir() -> Path:
    return data_dir() / "tidy"


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
            "name": self.name,
            "slug": self.slug,
            "file_label": self.file_label,
            "county_code": self.county_code,
            "county_file_label": self.county_file_label,
        }


def load_place(path: Path | None = None) -> Place:
    """Read the place file (``PLACE_CONFIG`` or ``pipelines/place.toml``)."""
    path = Path(path or os.environ.get("PLACE_CONFIG", DEFAULT_PLACE_FILE))
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
