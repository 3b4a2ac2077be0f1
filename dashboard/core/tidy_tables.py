"""Read the tidy folder the pipelines write (``data/tidy``) into one immutable bundle.

This is plain I/O with no Streamlit; ``dashboard.loaders`` caches it.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from pipelines import settings
from pipelines.settings import load_place, tidy_dir
from pipelines.tidy import (
    AREA_COLUMNS,
    INDICATOR_COLUMNS,
    INDICATOR_VALUE_COLUMNS,
    LSOA_WARD_WEIGHT_COLUMNS,
    PARTNER_SITE_COLUMNS,
)

log = logging.getLogger(__name__)

BUILD_STAMP = settings.BUILD_STAMP
BUILD_COMMAND = "make data"
ENGLAND_CODE = settings.ENGLAND_CODE
SOURCE_COLUMNS = [
    "source_id",
    "title",
    "publisher",
    "licence",
    "vintage",
    "geography",
    "status",
    "page",
    "official_url",
    "files",
    "urls",
]
REQUIRED_TABLES = ("areas", "indicator_values", "indicators")
OPTIONAL_TABLES = {
    "sources": SOURCE_COLUMNS,
    "partner_sites": PARTNER_SITE_COLUMNS,
    "lsoa_ward_weights": LSOA_WARD_WEIGHT_COLUMNS,
}
BOUNDARY_FILES = {
    "ward": "boundaries_ward.geojson",
    "lsoa_2021": "boundaries_lsoa_2021.geojson",
    "lsoa_2011": "boundaries_lsoa_2011.geojson",
    "msoa_2021": "boundaries_msoa_2021.geojson",
    "lad": "boundaries_lad.geojson",
    "neighbour_wards": "boundaries_neighbour_wards.geojson",
}

MISSING_DATA_MESSAGE = (
    "The tidy data tables have not been built yet (no {stamp} in {folder}). "
    "Build them from the repository folder with `{command}` (about a minute from the local mirror), "
    "then reload this page."
)


class TidyDataMissing(RuntimeError):
    """The tidy folder has not been built (or is incomplete)."""


@dataclass(frozen=True)
class Tidy:
    """Every tidy table the dashboard reads, plus the place it was built for."""

    folder: str
    build: dict
    lad_code: str
    place_name: str
    areas: pd.DataFrame
    values: pd.DataFrame
    indicators: pd.DataFrame
    sources: pd.DataFrame
    partner_sites: pd.DataFrame
    weights: pd.DataFrame
    boundaries: dict[str, dict] = field(default_factory=dict)
    latest: pd.DataFrame | None = None  # each (area, indicator)'s latest period, made once per build


def current_tidy_dir() -> Path:
    """The tidy folder, read from ``PLACE_INSIGHT_DATA`` at call time (never at import)."""
    return tidy_dir()


def missing_data_message(folder: Path | str) -> str:
    return MISSING_DATA_MESSAGE.format(stamp=BUILD_STAMP, folder=folder, command=BUILD_COMMAND)


def read_build_stamp(folder: Path | str) -> dict | None:
    """The build stamp, or None when the folder has not been built."""
    path = Path(folder) / BUILD_STAMP
    if not path.is_file():
        return None
    return json.loads(path.read_text(encoding="utf-8"))


def stamp_key(stamp: dict) -> str:
    """A short string that changes whenever the tidy folder is rebuilt (a cache key)."""
    return f"{stamp.get('fingerprint', '')}|{stamp.get('built', '')}"


def _read_table(folder: Path, name: str, columns: list[str], *, required: bool) -> pd.DataFrame:
    path = folder / f"{name}.parquet"
    if not path.is_file():
        if required:
            raise TidyDataMissing(f"{path} is missing; rebuild the tidy tables with `{BUILD_COMMAND}`")
        log.info("optional table %s not built; using an empty one", name)
        return pd.DataFrame({c: pd.Series(dtype="object") for c in columns})
    frame = pd.read_parquet(path)
    for column in columns:
        if column not in frame.columns:
            frame[column] = pd.NA
    return frame


def _read_geojson(path: Path) -> dict:
    if not path.is_file():
        return {"type": "FeatureCollection", "features": []}
    return json.loads(path.read_text(encoding="utf-8"))


def latest_periods(values: pd.DataFrame) -> pd.DataFrame:
    """Keep each (area, indicator)'s latest period (periods sort as text: '2019' < '2025')."""
    if values.empty:
        return values
    ordered = values.sort_values("period", kind="stable")
    return ordered.drop_duplicates(["area_code", "area_type", "indicator_id"], keep="last").reset_index(drop=True)


def read_tidy(folder: Path | str) -> Tidy:
    """Read every table of a built tidy folder; raise TidyDataMissing if it is not built."""
    folder = Path(folder)
    stamp = read_build_stamp(folder)
    if stamp is None:
        raise TidyDataMissing(missing_data_message(folder))
    place = stamp.get("place") or {}
    if not place.get("lad_code"):
        fallback = load_place()
        place = {"lad_code": fallback.lad_code, "name": fallback.name}
    values = _read_table(folder, "indicator_values", INDICATOR_VALUE_COLUMNS, required=True)
    for column in ("value", "lower_ci", "upper_ci", "ci_level", "count", "denominator"):
        values[column] = pd.to_numeric(values[column], errors="coerce").astype("float64")
    indicators = _read_table(folder, "indicators", INDICATOR_COLUMNS, required=True)
    indicators["decimals"] = pd.to_numeric(indicators["decimals"], errors="coerce").fillna(1).astype(int)
    weights = _read_table(folder, "lsoa_ward_weights", LSOA_WARD_WEIGHT_COLUMNS, required=False)
    weights["weight"] = pd.to_numeric(weights["weight"], errors="coerce").astype("float64")
    sites = _read_table(folder, "partner_sites", PARTNER_SITE_COLUMNS, required=False)
    tidy = Tidy(
        folder=str(folder),
        build=stamp,
        lad_code=str(place["lad_code"]),
        place_name=str(place.get("name") or place["lad_code"]),
        areas=_read_table(folder, "areas", AREA_COLUMNS, required=True),
        values=values,
        indicators=indicators,
        sources=_read_table(folder, "sources", SOURCE_COLUMNS, required=False),
        partner_sites=sites,
        weights=weights,
        boundaries={key: _read_geojson(folder / name) for key, name in BOUNDARY_FILES.items()},
        latest=latest_periods(values),
    )
    log.info(
        "read tidy folder %s: %d areas, %d values, %d indicators",
        folder,
        len(tidy.areas),
        len(tidy.values),
        len(tidy.indicators),
    )
    return tidy
