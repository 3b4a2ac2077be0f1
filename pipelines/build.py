"""Build the tidy tables: raw files -> readers -> checks -> data/tidy/ (all or nothing).

The build writes into a staging folder beside ``data/tidy`` and swaps it in only when every
reader and every check passed, so a failed build leaves the previous tables untouched. A
stamp (the sha256 of every input file and of the pipeline code) lets an unchanged rebuild
return at once.
"""

from __future__ import annotations

import hashlib
import importlib
import json
import logging
import time
from datetime import UTC, datetime
from pathlib import Path

import geopandas as gpd
import pandas as pd

from pipelines.config import PACKAGE_DIR, Place, load_place, raw_dir, tidy_dir
from pipelines.context import BuildContext
from pipelines.errors import DataError
from pipelines.fetch import fetch_sources, read_manifest, resolve_mirror
from pipelines.files import staged_folder
from pipelines.registry import load_sources
from pipelines.tidy import (
    AREA_COLUMNS,
    INDICATOR_COLUMNS,
    INDICATOR_REQUIRED,
    Parts,
    check_tidy,
    normalise_values,
)

log = logging.getLogger(__name__)

# Readers run in this order; geography first, since the others use its areas and weights.
READERS = ("geography", "census", "deprivation", "district", "assets")
STAMP = "_build.json"


def code_fingerprint() -> str:
    digest = hashlib.sha256()
    for path in sorted(PACKAGE_DIR.rglob("*")):
        if path.suffix in {".py", ".toml"} and "__pycache__" not in path.parts:
            digest.update(path.relative_to(PACKAGE_DIR).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def input_fingerprint(raw: Path, place: Place) -> str:
    digest = hashlib.sha256(json.dumps(place.__dict__, sort_keys=True).encode())
    for entry in sorted(read_manifest(raw), key=lambda e: e["file"]):
        digest.update(f"{entry['file']}={entry['sha256']}".encode())
    return digest.hexdigest()


def run_readers(ctx: BuildContext) -> list[Parts]:
    parts = []
    for name in READERS:
        started = time.perf_counter()
        module = importlib.import_module(f"pipelines.readers.{name}")
        part = module.build(ctx)
        n_values = 0 if part.values is None else len(part.values)
        log.info(
            "reader %s: %d values, %d indicators (%.2f s)",
            name,
            n_values,
            len(part.indicators),
            time.perf_counter() - started,
        )
        parts.append(part)
    from pipelines.sources import health  # health readers (issue 11); after the restructure: run(ctx, parts, geo)

    return health.run(ctx, parts)


def assemble(ctx: BuildContext, parts: list[Parts]) -> dict[str, pd.DataFrame]:
    areas = pd.concat([p.areas for p in parts if p.areas is not None], ignore_index=True)
    areas = areas.drop_duplicates(["area_code", "area_type", "boundary_vintage"]).reset_index(drop=True)[AREA_COLUMNS]

    meta_rows = [dict(m) for p in parts for m in p.indicators]
    problems = [
        f"{m.get('indicator_id', '?')} lacks {k}" for m in meta_rows for k in INDICATOR_REQUIRED if not m.get(k)
    ]
    if problems:
        raise DataError(
            file="pipelines/readers (indicator metadata)",
            problem="; ".join(problems),
            fix="complete the metadata in the reader",
        )
    for m in meta_rows:
        source = ctx.sources[m["source_id"]]
        m.setdefault("source", source.title)
        m.setdefault("publisher", source.publisher)
        m.setdefault("licence", source.licence)
        m.setdefault("vintage", source.vintage)
        m.setdefault("source_geography", source.geography)
        m.setdefault("lsoa_vintage", "")
        m.setdefault("decimals", 1)
    indicators = pd.DataFrame(meta_rows, columns=INDICATOR_COLUMNS)

    values = pd.concat([p.values for p in parts if p.values is not None and len(p.values)], ignore_index=True)
    names = areas.drop_duplicates(["area_code", "area_type"]).set_index(["area_code", "area_type"])["area_name"]
    keys = pd.MultiIndex.from_frame(values[["area_code", "area_type"]])
    values["area_name"] = values["area_name"].where(
        values["area_name"].notna(), pd.Series(names.reindex(keys).to_numpy(), index=values.index)
    )
    values = normalise_values(values)
    check_tidy(areas=areas, values=values, indicators=indicators)

    tables: dict[str, pd.DataFrame] = {"areas": areas, "indicators": indicators, "indicator_values": values}
    for part in parts:
        tables.update(part.tables)
    sources = pd.DataFrame(
        [
            {
                "source_id": s.id,
                "title": s.title,
                "publisher": s.publisher,
                "licence": s.licence,
                "vintage": s.vintage,
                "geography": s.geography,
                "status": s.status,
                "page": s.page,
                "official_url": s.official_url,
                "files": "; ".join(s.files),
                "urls": "; ".join(u for u in s.urls if u),
            }
            for s in ctx.sources.values()
        ]
    )
    tables["sources"] = sources
    return tables


def write_tables(tables: dict[str, pd.DataFrame], folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name, frame in tables.items():
        if isinstance(frame, gpd.GeoDataFrame):
            (folder / f"{name}.geojson").write_text(frame.to_json(drop_id=True, to_wgs84=True), encoding="utf-8")
        else:
            frame.to_parquet(folder / f"{name}.parquet", index=False)


def build(
    *,
    raw_from: str | Path | None = None,
    raw: Path | None = None,
    out: Path | None = None,
    place: Place | None = None,
    force: bool = False,
    fetch: bool = True,
    with_checksums: bool = True,
) -> dict:
    """Fetch (from the mirror, or online) and build every tidy table. Returns the build stamp."""
    started = time.perf_counter()
    place = place or load_place()
    raw = Path(raw or raw_dir())
    out = Path(out or tidy_dir())
    sources = load_sources(place, with_checksums=with_checksums)
    if fetch:
        mirror = resolve_mirror(raw_from)
        log.info("fetching %d sources from %s", len(sources), mirror or "the publishers' URLs")
        fetch_sources(sources.values(), dest=raw, mirror=mirror)
    fingerprint = hashlib.sha256((input_fingerprint(raw, place) + code_fingerprint()).encode()).hexdigest()
    stamp_path = out / STAMP
    if not force and stamp_path.is_file():
        stamp = json.loads(stamp_path.read_text(encoding="utf-8"))
        if stamp.get("fingerprint") == fingerprint:
            log.info("tidy tables are up to date (inputs and code unchanged); nothing to do")
            return stamp | {"skipped": True, "seconds": round(time.perf_counter() - started, 2)}

    # Every input must be registered and present before any reader runs.
    manifest = {e["file"]: e for e in read_manifest(raw)}
    for source in sources.values():
        for rel in source.files:
            if not (raw / rel).is_file():
                raise DataError(
                    source_id=source.id,
                    file=raw / rel,
                    problem="file missing",
                    fix="run `make data RAW_FROM=DIR` or `python -m pipelines fetch`",
                )
            expected = source.expected_sha256(rel)
            if expected and rel in manifest and manifest[rel]["sha256"] != expected:
                raise DataError(
                    source_id=source.id,
                    file=raw / rel,
                    problem="checksum differs from the registry",
                    fix="fetch the file again",
                )

    ctx = BuildContext(raw=raw, place=place, sources=sources)
    tables = assemble(ctx, run_readers(ctx))
    with staged_folder(out, prefix=".tidy-staging-") as staging:
        write_tables(tables, staging)
        stamp = {
            "fingerprint": fingerprint,
            "built": datetime.now(UTC).isoformat(timespec="seconds"),
            "place": place.__dict__,
            "rows": {name: int(len(frame)) for name, frame in tables.items()},
            "inputs": [
                {"file": e["file"], "sha256": e["sha256"], "source_id": e["source_id"]} for e in manifest.values()
            ],
        }
        (staging / STAMP).write_text(json.dumps(stamp, indent=2), encoding="utf-8")
    seconds = round(time.perf_counter() - started, 2)
    log.info("built %d tables into %s in %.1f s", len(tables), out, seconds)
    return stamp | {"skipped": False, "seconds": seconds}
