"""Shared pieces of the health readers: indicator metadata (from the catalogue, pipelines/indicators.toml),
Fingertips export reading, and the rows of the ``health_estimate_checks`` table."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from pipelines.catalogue import catalogue
from pipelines.settings import Place
from pipelines.sources.census import read_oa_table  # the census source's validated TS001 read
from pipelines.validate import check_numeric, read_fingertips_csv

CHECK_COLUMNS = [
    "check_id",
    "indicator_id",
    "period",
    "area_code",
    "area_type",
    "estimate",
    "reference",
    "reference_source_id",
    "difference",
    "difference_pct",
    "note",
]
FINGERTIPS_COLUMNS = [
    "Indicator ID",
    "Area Code",
    "Area Name",
    "Area Type",
    "Time period",
    "Value",
    "Lower CI 95.0 limit",
    "Upper CI 95.0 limit",
    "Count",
    "Denominator",
]
FINGERTIPS_LAYOUT = (
    "the Fingertips data export CSV ('Indicator ID', 'Area Code', 'Area Name', 'Area Type', "
    "'Time period', 'Value', ...)"
)
MSOA_FLAG_NOTE = "England comparison: source's flag ({flag}, Local Health 2020)"


def meta(indicator_id: str, *, place: Place, definition_suffix: str = "", **overrides) -> dict:
    """The metadata row of one indicator from the catalogue (pipelines/indicators.toml)."""
    row = catalogue().metadata(indicator_id, place=place)
    row.pop("source_code", None)
    if definition_suffix:
        row["definition"] += definition_suffix
    return {**row, **overrides}


def check_row(check_id: str, indicator_id: str, period: str, area_code: str, area_type: str, **fields) -> dict:
    estimate, reference = fields.get("estimate"), fields.get("reference")
    difference = None if estimate is None or reference is None else estimate - reference
    pct = None if difference is None or not reference else 100.0 * difference / reference
    return {
        "check_id": check_id,
        "indicator_id": indicator_id,
        "period": period,
        "area_code": area_code,
        "area_type": area_type,
        "estimate": estimate,
        "reference": reference,
        "reference_source_id": fields.get("reference_source_id", ""),
        "difference": difference,
        "difference_pct": pct,
        "note": fields.get("note", ""),
    }


def checks_frame(rows: list[dict]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=CHECK_COLUMNS)
    for column in ("estimate", "reference", "difference", "difference_pct"):
        frame[column] = pd.to_numeric(frame[column], errors="coerce").astype("float64")
    return frame


def read_fingertips(path: Path, *, source_id: str, indicator_code: str) -> pd.DataFrame:
    """A Fingertips export: checked columns, one indicator, numeric values (as float columns)."""
    frame = read_fingertips_csv(
        path, source_id=source_id, layout=FINGERTIPS_LAYOUT, columns=FINGERTIPS_COLUMNS, indicator_code=indicator_code
    )
    numeric = ["Value", "Lower CI 95.0 limit", "Upper CI 95.0 limit", "Count", "Denominator"]
    check_numeric(frame, numeric, file=path, source_id=source_id)
    for column in numeric:
        frame[column] = pd.to_numeric(frame[column])
    return frame


def names_of(geo, area_type: str) -> pd.Series:
    """area_code -> area_name for the place's wards, 2021 LSOAs, 2011 LSOAs or 2021 MSOAs."""
    if area_type == "ward":
        return geo.wards.set_index("ward_code")["ward_name"]
    if area_type == "lsoa11":
        return geo.lsoa11.set_index("lsoa_code")["lsoa_name"]
    return geo.lsoa21.set_index("lsoa_code")["lsoa_name"]


def lsoa21_population(ctx, geo) -> pd.DataFrame:
    """lsoa_code, population: Census 2021 usual residents (TS001 output areas summed to 2021 LSOAs; where the
    OA tables are not held for the place, the TS007A LSOA totals)."""
    from pipelines.sources import census, census_lsoa  # the census sources' validated reads

    if not ctx.held(census.OA_SOURCE):
        lsoa = census_lsoa.read_nomis_lsoa_download(ctx, geo, census_lsoa.AGE_SOURCE, {"total": "Total"})
        lsoa = lsoa[lsoa["lsoa_code"].isin(geo.lsoa21_codes)]
        return lsoa[["lsoa_code", "total"]].rename(columns={"total": "population"}).reset_index(drop=True)
    oa = read_oa_table(ctx, geo, "ts001").merge(geo.oa_lsoa, on="oa_code")
    return oa.groupby("lsoa_code", as_index=False)["total"].sum().rename(columns={"total": "population"})


def place_msoas(geo) -> pd.DataFrame:
    """msoa_code of the place's 2021 LSOAs (MSOA 2011 codes of the sources are matched against these)."""
    return geo.lsoa21[["msoa_code"]].drop_duplicates().sort_values("msoa_code").reset_index(drop=True)


def msoa_areas(codes: pd.Series, names: pd.Series, geo, *, lad_code: str) -> pd.DataFrame | None:
    """Area rows (boundary_vintage 2011) for MSOA codes of a source that are not 2021 MSOAs of the place."""
    known = set(place_msoas(geo)["msoa_code"])
    extra = sorted(set(codes) - known)
    if not extra:
        return None
    name_of = dict(zip(codes, names, strict=True))
    return pd.DataFrame(
        {
            "area_code": extra,
            "area_name": [name_of.get(c) for c in extra],
            "area_type": "msoa",
            "parent_code": lad_code,
            "boundary_vintage": "2011",
        }
    )
