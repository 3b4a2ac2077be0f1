"""The indicator catalogue (``pipelines/indicators.toml``): what each indicator means and how it is made.

Sources name the indicators they produce; the prose (name, topic, unit, definition, method ...)
lives in the catalogue, checked when it is loaded: every required key present, no unknown key,
value_type / polarity / ward_method among those ``pipelines.tidy`` allows, no id twice, every
placeholder known. Text may hold ``{placeholders}``: the catalogue's ``[snippets]``, the place's
name and values a source passes in (see the file's header).
"""

from __future__ import annotations

import string
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from pipelines.errors import ConfigError
from pipelines.settings import INDICATORS_FILE, Place
from pipelines.tidy import POLARITIES, VALUE_TYPES, WARD_METHODS

REQUIRED = (
    "id",
    "name",
    "topic",
    "unit",
    "value_type",
    "polarity",
    "ward_method",
    "source_id",
    "definition",
    "method",
)
OPTIONAL = {"decimals": 1, "lsoa_vintage": "", "source_code": ""}  # source_code: the publisher's own id
ALLOWED = {"value_type": VALUE_TYPES, "polarity": POLARITIES, "ward_method": WARD_METHODS}
TEXT_FIELDS = ("name", "topic", "unit", "definition", "method")


@dataclass(frozen=True)
class Catalogue:
    entries: dict[str, dict]
    snippets: dict[str, str]
    path: Path

    def metadata(self, indicator_id: str, *, place: Place, **values) -> dict:
        """The indicator's metadata row, its text filled in with the snippets, the place's name and ``values``."""
        if indicator_id not in self.entries:
            raise ConfigError(f"{self.path}: no [[indicator]] with id = {indicator_id!r}; add it to the catalogue")
        entry = self.entries[indicator_id]
        names = {"place_name": place.name, **values}
        fill = _Names(names, snippets=self.snippets, path=self.path)
        row = {"indicator_id": indicator_id}
        for key, value in entry.items():
            if key == "id":
                continue
            row[key] = _format(value, fill, self.path, f"{indicator_id}.{key}") if key in TEXT_FIELDS else value
        return row

    def rows(self, ids, *, place: Place, **values) -> list[dict]:
        return [self.metadata(i, place=place, **values) for i in ids]


class _Names(dict):
    """The values a text may use; a snippet is filled in (with the same values) when a text asks for it."""

    def __init__(self, values: dict, *, snippets: dict[str, str], path: Path) -> None:
        super().__init__(values)
        self.snippets, self.path = snippets, path

    def __missing__(self, key: str) -> str:
        if key not in self.snippets:
            raise KeyError(key)
        return _format(self.snippets[key], dict(self), self.path, f"snippet {key}")


def _format(text: str, names: dict, path: Path, where: str) -> str:
    try:
        return text.format_map(names)
    except (KeyError, IndexError, ValueError) as exc:
        raise ConfigError(f"{path}: {where} uses an unknown or malformed placeholder ({exc})") from exc


def _placeholders(text: str) -> set[str]:
    return {field for _, field, _, _ in string.Formatter().parse(text) if field}


def parse_catalogue(doc: dict, path: Path) -> Catalogue:
    """Check a loaded catalogue document; raise one ConfigError naming the indicator and key at fault."""
    unknown_tables = sorted(set(doc) - {"snippets", "indicator"})
    if unknown_tables:
        raise ConfigError(f"{path}: unknown table(s) {unknown_tables}; only [snippets] and [[indicator]] are allowed")
    snippets = doc.get("snippets", {})
    bad_snippets = sorted(k for k, v in snippets.items() if not isinstance(v, str))
    if bad_snippets:
        raise ConfigError(f"{path}: snippet(s) {bad_snippets} are not text")
    entries: dict[str, dict] = {}
    for number, raw in enumerate(doc.get("indicator", []), start=1):
        where = f"[[indicator]] number {number} (id = {raw.get('id', '?')!r})"
        missing = [k for k in REQUIRED if k not in raw or raw[k] in ("", None)]
        if missing:
            raise ConfigError(f"{path}: {where} lacks required key(s) {missing}")
        unknown = sorted(set(raw) - set(REQUIRED) - set(OPTIONAL))
        if unknown:
            raise ConfigError(f"{path}: {where} has unknown key(s) {unknown}; allowed: {[*REQUIRED, *OPTIONAL]}")
        for key, allowed in ALLOWED.items():
            if raw[key] not in allowed:
                raise ConfigError(f"{path}: {where} has {key} = {raw[key]!r}, not one of {list(allowed)}")
        if raw["id"] in entries:
            raise ConfigError(f"{path}: indicator id {raw['id']!r} appears twice (the second is {where})")
        for key in TEXT_FIELDS:
            for name in _placeholders(raw[key]):
                if name in snippets:
                    continue
                if not name.isidentifier():
                    raise ConfigError(f"{path}: {where} {key} has a malformed placeholder {{{name}}}")
        entries[raw["id"]] = {**OPTIONAL, **raw}
    return Catalogue(entries=entries, snippets=snippets, path=path)


def load_catalogue(path: Path | str = INDICATORS_FILE) -> Catalogue:
    path = Path(path)
    try:
        with path.open("rb") as fh:
            doc = tomllib.load(fh)
    except FileNotFoundError as exc:
        raise ConfigError(f"indicator catalogue {path} not found; restore pipelines/indicators.toml") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"indicator catalogue {path} is not valid TOML ({exc})") from exc
    return parse_catalogue(doc, path)


@cache
def catalogue() -> Catalogue:
    """The project's catalogue, loaded (and checked) once per process."""
    return load_catalogue()


def indicator_rows(ids, *, place: Place, **values) -> list[dict]:
    """Metadata rows of ``ids`` from the project's catalogue (what a source puts in ``Parts.indicators``)."""
    return catalogue().rows(ids, place=place, **values)
