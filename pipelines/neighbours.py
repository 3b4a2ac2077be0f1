"""Neighbours for comparison: every ward of Pennine Lancashire on the indicators held for all six districts.

``python -m pipelines build-neighbours`` builds each place file in ``pipelines/places/`` into
``data/neighbours/<slug>/`` (an unchanged place is skipped, as for the main build) and writes
``data/neighbours/ward_values.parquet``: one row per ward and indicator, for the indicators and
periods that have a ward value in every one of the places, with the district and how the ward
figure was made there (the method can differ between places: see ``ward_method``).
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

import pandas as pd

from pipelines.settings import PLACES_DIR, Place, load_place, neighbours_dir

log = logging.getLogger(__name__)

WARD_TABLE = "ward_values.parquet"
COLUMNS = [
    "area_code",
    "area_name",
    "lad_code",
    "lad_name",
    "indicator_id",
    "indicator_name",
    "period",
    "value",
    "ward_method",
    "source_id",
]


def pennine_places(folder: Path = PLACES_DIR) -> list[Place]:
    return [load_place(p) for p in sorted(Path(folder).glob("*.toml"))]


def combine(builds: dict[str, tuple[Place, pd.DataFrame, pd.DataFrame]]) -> pd.DataFrame:
    """The ward values of indicators (and periods) with a ward value in every place.

    ``builds``: slug -> (place, indicator_values, indicators) of each place's tidy tables.
    """
    frames = []
    for place, values, indicators in builds.values():
        wards = values[(values["area_type"] == "ward") & values["value"].notna()]
        meta = indicators.set_index("indicator_id")
        frames.append(
            wards.assign(
                lad_code=place.lad_code,
                lad_name=place.name,
                indicator_name=wards["indicator_id"].map(meta["name"]),
                ward_method=wards["indicator_id"].map(meta["ward_method"]),
            )
        )
    every = pd.concat(frames, ignore_index=True)
    held_by = every.groupby(["indicator_id", "period"])["lad_code"].nunique()
    common = held_by[held_by == len(builds)].index
    keep = pd.MultiIndex.from_frame(every[["indicator_id", "period"]]).isin(common)
    out = every[keep][COLUMNS].sort_values(["indicator_id", "period", "lad_code", "area_code"])
    return out.reset_index(drop=True)


def build_neighbours(
    *, raw_from: str | Path | None = None, places: list[Place] | None = None, out: Path | None = None
) -> Path:
    """Build every place and write the combined ward table; returns its path."""
    from pipelines.build import build

    out = Path(out or neighbours_dir())
    places = places or pennine_places()
    builds = {}
    for place in places:
        folder = out / place.slug
        build(raw_from=raw_from, raw=folder / "raw", out=folder / "tidy", place=place)
        tidy = folder / "tidy"
        builds[place.slug] = (
            place,
            pd.read_parquet(tidy / "indicator_values.parquet"),
            pd.read_parquet(tidy / "indicators.parquet"),
        )
    table = combine(builds)
    target = out / WARD_TABLE
    partial = out / (WARD_TABLE + ".partial")
    table.to_parquet(partial, index=False)
    os.replace(partial, target)  # readers see the old table or the new one, never half of one
    log.info(
        "neighbours: %d wards of %d places, %d indicators held for all -> %s",
        table["area_code"].nunique(),
        len(places),
        table["indicator_id"].nunique(),
        target,
    )
    return target
