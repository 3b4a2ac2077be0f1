"""Build the tidy tables: raw files -> sources -> checks -> data/tidy/ (all or nothing).

The sources run in the order written in ``run_sources``: geography first (it makes the
``Geography`` every other source uses), then one call per source module, each returning
``Parts``. The build writes into a staging folder beside ``data/tidy`` and swaps it in only
when every source and every check passed, so a failed build leaves the previous tables untouched. A
stamp (the sha256 of every input file and of the pipeline code) lets an unchanged rebuild
return at once.
"""

from __future__ import annotations

import hashlib
import json
import logging
import time
from datetime import UTC, datetime
from pathlib import Path

import geopandas as gpd
import pandas as pd

from pipelines.context import BuildContext
from pipelines.errors import DataError
from pipelines.fetch import fetch_sources, read_manifest
from pipelines.files import staged_folder
from pipelines.registry import load_sources
from pipelines.settings import BUILD_STAMP, PACKAGE_DIR, Place, load_place, mirror_dir, raw_dir, tidy_dir
from pipelines.sources import (
    active_lives,
    census,
    census_lsoa,
    deprivation_2019,
    deprivation_2025,
    fast_food,
    fingertips,
    fingertips_derived,
    geography,
    health,
    ods_sites,
    qof,
    sports_engagement,
    sports_facilities,
)
from pipelines.tidy import (
    AREA_COLUMNS,
    INDICATOR_COLUMNS,
    INDICATOR_REQUIRED,
    Parts,
    check_tidy,
    normalise_values,
)

log = logging.getLogger(__name__)


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


# Every source after geography, in the order they run (and their indicators are listed); each module has
# ``build(ctx: BuildContext, geo: Geography) -> Parts``.
SOURCES = (
    census,
    census_lsoa,
    deprivation_2025,
    deprivation_2019,
    fingertips,
    fast_food,
    active_lives,
    sports_engagement,
    qof,
    fingertips_derived,
    ods_sites,
    sports_facilities,
)


def run_sources(ctx: BuildContext) -> list[Parts]:
    """Geography first, since the others use its areas and weights; then every source in ``SOURCES``."""
    started = time.perf_counter()
    geo, geo_parts = geography.build_geography(ctx)
    log.info("source geography: %d areas (%.2f s)", len(geo_parts.areas), time.perf_counter() - started)
    parts = [geo_parts]
    for source in SOURCES:
        started = time.perf_counter()
        part = source.build(ctx, geo)
        log.info(
            "source %s: %d values, %d indicators (%.2f s)",
            source.__name__.rsplit(".", 1)[-1],
            0 if part.values is None else len(part.values),
            len(part.indicators),
            time.perf_counter() - started,
        )
        parts.append(part)
    return health.run(ctx, parts, geo)  # the health sources, then their merge rules (pipelines/sources/health.py)


def assemble(ctx: BuildContext, parts: list[Parts]) -> dict[str, pd.DataFrame]:
    areas = pd.concat([p.areas for p in parts if p.areas is not None], ignore_index=True)
    areas = areas.drop_duplicates(["area_code", "area_type", "boundary_vintage"]).reset_index(drop=True)[AREA_COLUMNS]

    meta_rows = [dict(m) for p in parts for m in p.indicators]
    problems = [
        f"{m.get('indicator_id', '?')} lacks {k}" for m in meta_rows for k in INDICATOR_REQUIRED if not m.get(k)
    ]
    if problems:
        raise DataError(
            file="pipelines/indicators.toml (indicator metadata)",
            problem="; ".join(problems),
            fix="complete the indicator's entry in the catalogue",
        )
    unregistered = sorted({m["source_id"] for m in meta_rows} - set(ctx.sources))
    if unregistered:
        raise DataError(
            file="pipelines/indicators.toml (indicator metadata)",
            problem=f"source_id {unregistered} not in the registry",
            fix="register the source in pipelines/sources.toml or correct the indicator's source_id",
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
        mirror = mirror_dir(raw_from)
        log.info("fetching %d sources from %s", len(sources), mirror or "the publishers' URLs")
        fetch_sources(sources.values(), dest=raw, mirror=mirror)
    fingerprint = hashlib.sha256((input_fingerprint(raw, place) + code_fingerprint()).encode()).hexdigest()
    stamp_path = out / BUILD_STAMP
    if not force and stamp_path.is_file():
        stamp = json.loads(stamp_path.read_text(encoding="utf-8"))
        if stamp.get("fingerprint") == fingerprint:
            log.info("tidy tables are up to date (inputs and code unchanged); nothing to do")
            return stamp | {"skipped": True, "seconds": round(time.perf_counter() - started, 2)}

    # Every input must be registered and present before any source runs.
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
    tables = assemble(ctx, run_sources(ctx))
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
        (staging / BUILD_STAMP).write_text(json.dumps(stamp, indent=2), encoding="utf-8")
    seconds = round(time.perf_counter() - started, 2)
    log.info("built %d tables into %s in %.1f s", len(tables), out, seconds)
    return stamp | {"skipped": False, "seconds": seconds}
