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

from pipelines.errors import DataError
from pipelines.files import staged_folder
from pipelines.registry import Source

log = logging.getLogger(__name__)

MANIFEST = "manifest.json"
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


def fetch_sources(
    sources: Iterable[Source],
    *,
    dest: Path,
    mirror: Path | None,
    timeout: float = 60.0,
) -> list[dict]:
    """Fetch every file of ``sources`` into ``dest``; return the manifest entries.

    With ``mirror`` the files are copied from it; without, each is downloaded from its url.
    Every problem found is collected and raised as one ``DataError`` at the end, and ``dest``
    is only replaced when there were none.
    """
    entries: list[dict] = []
    problems: list[DataError] = []
    with staged_folder(Path(dest), prefix=".raw-staging-") as staging:
        for source in sources:
            for rel, url in zip(source.files, source.urls, strict=True):
                target = staging / rel
                target.parent.mkdir(parents=True, exist_ok=True)
                try:
                    if mirror is not None:
                        origin_path = Path(mirror) / rel
                        if not origin_path.is_file():
                            raise DataError(
                                source_id=source.id,
                                file=origin_path,
                                problem="file missing from the mirror folder",
                                fix=f"put the file there (official page: {source.page}) "
                                "or fetch online without --raw-from",
                            )
                        shutil.copy2(origin_path, target)
                        origin = str(origin_path)
                    else:
                        if not url:
                            raise DataError(
                                source_id=source.id,
                                file=rel,
                                problem="no download address: this file is an extract or a conversion "
                                "held only in the mirror",
                                fix="run with --raw-from pointing at a mirror folder (see README); "
                                f"source page: {source.page}",
                            )
                        try:
                            _download(url, target, timeout=timeout)
                        except (urllib.error.URLError, TimeoutError, OSError) as exc:
                            raise DataError(
                                source_id=source.id,
                                file=url,
                                problem=f"download failed ({exc})",
                                fix="check the internet connection and the address in pipelines/sources.toml, "
                                "or use --raw-from with a mirror folder",
                            ) from exc
                        if source.extract:
                            _apply_extract(source, target)
                        origin = url
                    digest = _check_checksum(source, rel, target, origin)
                    entries.append(
                        {
                            "source_id": source.id,
                            "file": rel,
                            "url": url,
                            "origin": "mirror" if mirror is not None else "download",
                            "retrieved": datetime.now(UTC).isoformat(timespec="seconds"),
                            "sha256": digest,
                            "bytes": target.stat().st_size,
                        }
                    )
                    log.info("fetched %s (%s bytes) for %s", rel, target.stat().st_size, source.id)
                except DataError as exc:
                    problems.append(exc)
        if problems:
            if len(problems) == 1:
                raise problems[0]
            raise DataError(
                file=f"{len(problems)} files",
                problem="; ".join(str(p) for p in problems),
                fix="see each file's fix above; nothing in data/raw was changed",
            )
        (staging / MANIFEST).write_text(json.dumps(entries, indent=2), encoding="utf-8")
    log.info("fetch complete: %d files into %s", len(entries), dest)
    return entries


def read_manifest(raw: Path) -> list[dict]:
    path = Path(raw) / MANIFEST
    if not path.is_file():
        return []
    return json.loads(path.read_text(encoding="utf-8"))
