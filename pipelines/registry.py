"""The source registry (``pipelines/sources.toml``): what each dataset is and where it comes from."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from pipelines.errors import ConfigError
from pipelines.settings import SOURCES_FILE, Place

REQUIRED_KEYS = ("id", "title", "publisher", "licence", "vintage", "geography", "status", "page", "files", "urls")


@dataclass(frozen=True)
class Source:
    id: str
    title: str
    publisher: str
    licence: str
    vintage: str
    geography: str
    status: str
    page: str
    files: tuple[str, ...]
    urls: tuple[str, ...]
    official_url: str = ""
    extract: dict = field(default_factory=dict)
    sha256: dict = field(default_factory=dict)

    def file(self, index: int = 0) -> str:
        return self.files[index]

    def expected_sha256(self, rel_path: str) -> str | None:
        return self.sha256.get(rel_path)


def _fill(template: str, values: dict[str, str]) -> str:
    out = template
    for key, value in values.items():
        out = out.replace("{" + key + "}", value)
    return out


def load_sources(place: Place, path: Path = SOURCES_FILE, *, with_checksums: bool = True) -> dict[str, Source]:
    """Read the registry and fill the place's values into file names and URLs.

    ``with_checksums=False`` ignores the published sha256 table (for made-up test mirrors).
    """
    with Path(path).open("rb") as fh:
        raw = tomllib.load(fh)
    checksums = raw.get("sha256", {}) if with_checksums else {}
    values = place.template_values()
    sources: dict[str, Source] = {}
    for entry in raw.get("source", []):
        missing = [key for key in REQUIRED_KEYS if key not in entry]
        if missing:
            raise ConfigError(f"{path}: source {entry.get('id', '?')} lacks {', '.join(missing)}")
        if len(entry["files"]) != len(entry["urls"]):
            raise ConfigError(f"{path}: source {entry['id']} needs one url per file ('' when none)")
        if entry["id"] in sources:
            raise ConfigError(f"{path}: source id {entry['id']} appears twice")
        files = tuple(_fill(f, values) for f in entry["files"])
        extract = {k: _fill(str(v), values) for k, v in entry.get("extract", {}).items()}
        sources[entry["id"]] = Source(
            id=entry["id"],
            title=entry["title"],
            publisher=entry["publisher"],
            licence=entry["licence"],
            vintage=entry["vintage"],
            geography=entry["geography"],
            status=entry["status"],
            page=entry["page"],
            files=files,
            urls=tuple(_fill(u, values) for u in entry["urls"]),
            official_url=entry.get("official_url", ""),
            extract=extract,
            sha256={f: checksums[f] for f in files if f in checksums},
        )
    return sources
