"""The source registry (``pipelines/sources.toml``): what each dataset is and where it comes from."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from pipelines.errors import ConfigError
from pipelines.settings import SOURCES_FILE, Place

REQUIRED_KEYS = ("id", "title", "publisher", "licence", "vintage", "geography", "status", "page", "files", "urls")


@dataclass(frozen=True)
class Alternative:
    """A wider file held instead of a per-place extract (a county or national file), and how to cut it.

    ``files``/``urls`` line up with the source's own ``files``: alternative ``i`` stands in for file
    ``i`` when that is neither in the mirror nor downloadable. ``cut`` selects the place's rows.
    """

    files: tuple[str, ...]
    urls: tuple[str, ...]
    cut: dict
    note: str = ""


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
    # Wider files to cut the place from, tried in order after the per-place file.
    alternatives: tuple[Alternative, ...] = ()
    # Optional sources may be "not held" for a place: the build skips them and says so.
    optional: bool = False
    not_held_note: str = ""

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
        alternatives = tuple(_alternative(path, entry, alt, values) for alt in entry.get("alternative", []))
        every_file = set(files) | {f for alt in alternatives for f in alt.files}
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
            sha256={f: checksums[f] for f in every_file if f in checksums},
            alternatives=alternatives,
            optional=bool(entry.get("optional", False)),
            not_held_note=entry.get("not_held", ""),
        )
    return sources


def _alternative(path: Path, entry: dict, alt: dict, values: dict[str, str]) -> Alternative:
    files = alt.get("files", [])
    urls = alt.get("urls", [""] * len(files))
    if len(files) != len(entry["files"]) or len(urls) != len(files) or "cut" not in alt:
        raise ConfigError(
            f"{path}: an alternative of source {entry['id']} needs one file (and url) per file of the source "
            "('' for none) and a `cut` rule"
        )
    cut = {
        key: (
            {k: _fill(str(v), values) for k, v in value.items()}
            if isinstance(value, dict)
            else _fill(str(value), values)
        )
        for key, value in alt["cut"].items()
    }
    return Alternative(
        files=tuple(_fill(f, values) for f in files),
        urls=tuple(_fill(u, values) for u in urls),
        cut=cut,
        note=alt.get("note", ""),
    )
