"""Get the raw files into ``data/raw/``: from a local mirror folder, or over HTTP.

Either way the result is the same folder layout plus ``manifest.json`` (one entry per file:
source id, path, url, where it came from, retrieved time, sha256, bytes). The new files are
assembled in a staging folder and swapped in only when every file arrived and checked out,
so a failed fetch leaves the previous ``data/raw/`` as it was.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import logging
import shutil
import urllib.error
import urllib.request
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path

from pipelines.cut import cut_text
from pipelines.errors import DataError
from pipelines.files import staged_folder
from pipelines.registry import Alternative, Source

log = logging.getLogger(__name__)

MANIFEST = "manifest.json"
NOT_HELD = "not_held.json"
USER_AGENT = "place-insight-fetch/1.0 (+open data pipeline)"


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with Path(path).open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _check_checksum(source: Source, rel: str, path: Path, origin: str) -> str:
    digest = sha256_of(path)
    expected = source.expected_sha256(rel)
    if expected and digest != expected:
        raise DataError(
            source_id=source.id,
            file=origin,
            problem=f"checksum {digest[:12]}… differs from the registry's {expected[:12]}… (file changed, "
            "truncated or of another vintage)",
            fix="download the file again from the source's page; if the publisher issued a new vintage on "
            "purpose, update its sha256 in pipelines/sources.toml after checking the new file",
        )
    return digest


def _download(url: str, dest: Path, *, timeout: float) -> None:
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    with urllib.request.urlopen(request, timeout=timeout) as response, dest.open("wb") as out:  # noqa: S310
        shutil.copyfileobj(response, out)


def _apply_extract(source: Source, path: Path) -> None:
    """Cut a national CSV down to the place's rows (``extract = {column, equals}`` in the registry)."""
    column, value = source.extract["column"], source.extract["equals"]
    text = path.read_text(encoding="utf-8-sig")
    reader = csv.reader(io.StringIO(text))
    header = next(reader)
    if column not in header:
        raise DataError(
            source_id=source.id,
            file=path.name,
            problem=f"column '{column}' not found in the downloaded file",
            fix="check the publisher's layout and update `extract` in pipelines/sources.toml",
        )
    index = header.index(column)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(row for row in reader if row and row[index] == value)
    path.write_text(out.getvalue(), encoding="utf-8")


def _candidates(source: Source, index: int) -> list[tuple[str, str, Alternative | None]]:
    """The per-place file, then each wider file it can be cut from: (path, url, alternative)."""
    out: list[tuple[str, str, Alternative | None]] = [(source.files[index], source.urls[index], None)]
    out += [(alt.files[index], alt.urls[index], alt) for alt in source.alternatives]
    return out


def _cut_into(source: Source, alt: Alternative, origin_path: Path, target: Path) -> None:
    text = origin_path.read_text(encoding="utf-8-sig")
    target.write_text(cut_text(text, alt.cut, name=origin_path.name, source_id=source.id), encoding="utf-8")


def _fetch_file(source: Source, index: int, staging: Path, *, mirror: Path | None, timeout: float) -> dict | None:
    """Fetch file ``index`` of ``source`` into ``staging``: its manifest entry, or None when not held.

    The per-place file is the first choice; else the first wider file held (mirror) or downloadable
    (online), cut to the place. An optional source with none of them is "not held"; any other is an error.
    """
    rel = source.files[index]
    target = staging / rel
    target.parent.mkdir(parents=True, exist_ok=True)
    candidates = _candidates(source, index)
    chosen: tuple[str, str, Alternative | None] | None = None
    if mirror is not None:
        chosen = next((c for c in candidates if (Path(mirror) / c[0]).is_file()), None)
        if chosen is None and not source.optional:
            tried = f" (nor the wider files {', '.join(c[0] for c in candidates[1:])})" if len(candidates) > 1 else ""
            raise DataError(
                source_id=source.id,
                file=Path(mirror) / rel,
                problem=f"file missing from the mirror folder{tried}",
                fix=f"put the file there (official page: {source.page}) or fetch online without --raw-from",
            )
    else:
        chosen = next((c for c in candidates if c[1]), None)
        if chosen is None and not source.optional:
            raise DataError(
                source_id=source.id,
                file=rel,
                problem="no download address: this file is an extract or a conversion held only in the mirror",
                fix=f"run with --raw-from pointing at a mirror folder (see README); source page: {source.page}",
            )
    if chosen is None:
        log.info("not held for the place: %s (%s)", rel, source.id)
        return None
    path, url, alt = chosen
    fetched = target if alt is None else staging / ".wide" / path
    fetched.parent.mkdir(parents=True, exist_ok=True)
    if mirror is not None:
        origin = str(Path(mirror) / path)
        shutil.copy2(Path(mirror) / path, fetched)
    else:
        origin = url
        try:
            _download(url, fetched, timeout=timeout)
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            raise DataError(
                source_id=source.id,
                file=url,
                problem=f"download failed ({exc})",
                fix="check the internet connection and the address in pipelines/sources.toml, "
                "or use --raw-from with a mirror folder",
            ) from exc
        if alt is None and source.extract:
            _apply_extract(source, fetched)
    if alt is None:
        digest = _check_checksum(source, rel, target, origin)
    else:
        _check_checksum(source, path, fetched, origin)  # the wide file as published, before the cut
        _cut_into(source, alt, fetched, target)
        fetched.unlink()
        digest = sha256_of(target)
    entry = {
        "source_id": source.id,
        "file": rel,
        "url": url,
        "origin": "mirror" if mirror is not None else "download",
        "retrieved": datetime.now(UTC).isoformat(timespec="seconds"),
        "sha256": digest,
        "bytes": target.stat().st_size,
    }
    if alt is not None:
        entry |= {"cut_from": path, "cut": alt.cut}
        log.info("cut %s from %s for %s", rel, path, source.id)
    log.info("fetched %s (%s bytes) for %s", rel, target.stat().st_size, source.id)
    return entry


def fetch_sources(
    sources: Iterable[Source],
    *,
    dest: Path,
    mirror: Path | None,
    timeout: float = 60.0,
) -> list[dict]:
    """Fetch every file of ``sources`` into ``dest``; return the manifest entries.

    With ``mirror`` the files are copied from it; without, each is downloaded from its url. A
    per-place file that is not held is cut from a wider file the registry names; an optional
    source held nowhere is listed in ``not_held.json`` instead. Every problem found is collected
    and raised as one ``DataError`` at the end, and ``dest`` is only replaced when there were none.
    """
    entries: list[dict] = []
    not_held: list[dict] = []
    problems: list[DataError] = []
    with staged_folder(Path(dest), prefix=".raw-staging-") as staging:
        for source in sources:
            missing = []
            for index in range(len(source.files)):
                try:
                    entry = _fetch_file(source, index, staging, mirror=mirror, timeout=timeout)
                except DataError as exc:
                    problems.append(exc)
                    continue
                if entry is None:
                    missing.append(source.files[index])
                else:
                    entries.append(entry)
            if missing:
                not_held.append(
                    {"source_id": source.id, "title": source.title, "files": missing, "note": source.not_held_note}
                )
        if problems:
            if len(problems) == 1:
                raise problems[0]
            raise DataError(
                file=f"{len(problems)} files",
                problem="; ".join(str(p) for p in problems),
                fix="see each file's fix above; nothing in data/raw was changed",
            )
        shutil.rmtree(staging / ".wide", ignore_errors=True)
        (staging / MANIFEST).write_text(json.dumps(entries, indent=2), encoding="utf-8")
        if not_held:
            (staging / NOT_HELD).write_text(json.dumps(not_held, indent=2), encoding="utf-8")
    log.info("fetch complete: %d files into %s, %d sources not held", len(entries), dest, len(not_held))
    return entries


def read_not_held(raw: Path) -> list[dict]:
    """The optional sources that were held nowhere for this place (source_id, title, files, note)."""
    path = Path(raw) / NOT_HELD
    if not path.is_file():
        return []
    return json.loads(path.read_text(encoding="utf-8"))


def read_manifest(raw: Path) -> list[dict]:
    path = Path(raw) / MANIFEST
    if not path.is_file():
        return []
    return json.loads(path.read_text(encoding="utf-8"))
