"""Shared by the two deprivation sources (IoD2025, IoD2019): the domains, coverage checks and row shapes.

Two releases on two geographies, never joined on LSOA code: IoD2025 (``deprivation_2025``,
LSOA 2021 boundaries, mid-2022 populations) and IoD2019 (``deprivation_2019``, LSOA 2011
boundaries, mid-2015 populations). Every file is checked where it is read: its official column
names, well-formed area codes, the place's LSOAs all present and no LSOA of another vintage.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from pipelines.context import Geography
from pipelines.errors import DataError
from pipelines.estimates import apportion_counts
from pipelines.settings import Place
from pipelines.tidy import make_values

MISSING = "not available for this area"


@dataclass(frozen=True)
class Domain:
    """One index of IoD2025/2019 and where its score sits in each file (None: not in that file)."""

    key: str
    file7: str
    england: str | None
    lad: str | None
    ward19: str | None


DOMAINS = (
    Domain("income", "Income Score (rate)", "Income_score", "income_average_score", "Income_Score"),
    Domain("employment", "Employment Score (rate)", "Employment_score", "employment_average_score", "Employment_Score"),
    Domain(
        "education",
        "Education, Skills and Training Score",
        "Education_score",
        "education_skills_and_training_average_score",
        "Education_Score",
    ),
    Domain(
        "health",
        "Health Deprivation and Disability Score",
        "Health_score",
        "health_deprivation_and_disability_average_score",
        "Health_Score",
    ),
    Domain("crime", "Crime Score", "Crime_score", "crime_average_score", "Crime_Score"),
    Domain(
        "housing",
        "Barriers to Housing and Services Score",
        "Housing_and_Services_score",
        "barriers_to_housing_and_services_average_score",
        "Housing_and_Access_Score",
    ),
    Domain(
        "environment",
        "Living Environment Score",
        "Environment_score",
        "living_environment_average_score",
        "Environment_Score",
    ),
)
SUPPLEMENTARY = (
    Domain("idaci", "Income Deprivation Affecting Children Index (IDACI) Score (rate)", None, None, None),
    Domain("idaopi", "Income Deprivation Affecting Older People (IDAOPI) Score (rate)", None, None, None),
)


# --------------------------------------------------------------------------------------------
# Checks and row shapes used by both releases.


def check_place_coverage(present: pd.Series, expected: list[str], *, what: str, file: Path, source_id: str) -> None:
    missing = sorted(set(expected) - set(present))
    if missing:
        raise DataError(
            source_id=source_id,
            file=file,
            problem=f"{len(missing)} of the place's {len(expected)} {what} are missing (e.g. {missing[:5]})",
            fix="use the complete file for the release registered in pipelines/sources.toml "
            "(a subset for another place or another LSOA vintage will not do)",
        )


def check_complete_ranking(rank: pd.Series, decile: pd.Series, *, file: Path, source_id: str) -> None:
    """A national ranking covers every LSOA: ranks run 1..N and deciles 1..10 (a cut or filtered file fails)."""
    rank = pd.to_numeric(rank)
    decile = pd.to_numeric(decile)
    n = len(rank)
    problems = []
    if n == 0 or rank.min() != 1 or rank.max() != n:
        problems.append(f"ranks run from {rank.min()} to {rank.max()} over {n} rows, not 1 to {n}")
    if set(decile.unique()) != set(range(1, 11)):
        problems.append(f"deciles are {sorted(decile.unique())[:12]}, not 1 to 10")
    if problems:
        raise DataError(
            source_id=source_id,
            file=file,
            problem="the national ranking is incomplete: " + "; ".join(problems),
            fix="use the complete England-wide file (every LSOA), downloaded again",
        )


def ward_frame(geo: Geography, values: pd.DataFrame) -> pd.DataFrame:
    """One row per ward of the place (area_code, area_name, area_type) joined to ``values`` on ward_code."""
    wards = geo.wards.rename(columns={"ward_code": "area_code", "ward_name": "area_name"})[["area_code", "area_name"]]
    out = wards.merge(values.rename(columns={"ward_code": "area_code"}), on="area_code", how="left")
    out["area_type"] = "ward"
    return out


def one_row(area_code: str, area_name: str, area_type: str, **columns) -> pd.DataFrame:
    return pd.DataFrame([{"area_code": area_code, "area_name": area_name, "area_type": area_type, **columns}])


def note_missing(frame: pd.DataFrame, note: str) -> pd.DataFrame:
    out = frame.copy()
    if "value_note" not in out.columns:
        out["value_note"] = None
    out["value_note"] = out["value_note"].where(out["value"].notna() | out["value_note"].notna(), note)
    return out


def lsoa_frame(lsoas: pd.DataFrame, names: pd.DataFrame, value_column: str) -> pd.DataFrame:
    out = lsoas[["lsoa_code", value_column]].rename(columns={"lsoa_code": "area_code", value_column: "value"})
    out = out.merge(
        names.rename(columns={"lsoa_code": "area_code", "lsoa_name": "area_name"})[["area_code", "area_name"]],
        on="area_code",
        how="left",
    )
    out["area_type"] = "lsoa"
    return out


def share_rows(
    lsoas: pd.DataFrame, weights: pd.DataFrame, *, max_decile: int, geo: Geography, place: Place
) -> pd.DataFrame:
    """Ward and district rows: residents of LSOAs in deciles 1..max_decile, whole people split by the weights."""
    counts = lsoas.assign(in_deprived=lsoas["population"].where(lsoas["imd_decile"] <= max_decile, 0.0))
    ward = apportion_counts(counts, weights, value_columns=["in_deprived", "population"])
    ward = ward.rename(columns={"in_deprived": "count", "population": "denominator"})
    ward_rows = ward_frame(geo, ward)
    lad_rows = one_row(
        place.lad_code,
        place.name,
        "lad",
        count=counts["in_deprived"].sum(),
        denominator=counts["population"].sum(),
    )
    rows = pd.concat([ward_rows, lad_rows], ignore_index=True)
    with np.errstate(divide="ignore", invalid="ignore"):
        rows["value"] = (100.0 * rows["count"] / rows["denominator"]).where(rows["denominator"] > 0)
    return note_missing(rows, "no resident population in the LSOAs of this area")


def value_collector(out: list[pd.DataFrame], period: str) -> Callable[..., None]:
    """``add(frame, indicator_id, source_id, missing_note)``: append indicator_values rows of ``period`` to ``out``."""

    def add(frame: pd.DataFrame, indicator_id: str, source_id: str, missing_note: str = MISSING) -> None:
        out.append(
            make_values(
                note_missing(frame, missing_note), indicator_id=indicator_id, period=period, source_id=source_id
            )
        )

    return add
