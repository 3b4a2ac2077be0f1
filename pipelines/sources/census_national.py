"""Census 2021 England benchmarks: TS007 (country) and the England-wide LSOA/MSOA tables.

``england_benchmarks`` gives, for each census indicator the mirror allows, the England numerator,
denominator, note and source id; ``pipelines.sources.census`` uses them for the England rows.
"""

from __future__ import annotations

import pandas as pd
import pyreadr

from pipelines.context import BuildContext
from pipelines.errors import DataError
from pipelines.settings import ENGLAND_CODE
from pipelines.validate import check_columns, read_file

NATIONAL_SOURCE = "census2021-ts007-national"
ENGLAND_LSOA_SOURCE = "census2021-england-lsoa"


def read_rda(ctx: BuildContext, index: int, columns: list[str]) -> pd.DataFrame:
    source_id = ENGLAND_LSOA_SOURCE
    path = ctx.path(source_id, index)
    result = read_file(pyreadr.read_r, path, source_id=source_id, layout="an R data file (.rda) with one table")
    if len(result) != 1:
        raise DataError(
            source_id=source_id,
            file=path,
            problem=f"{len(result)} tables found, one expected",
            fix="fetch the file again",
        )
    frame = next(iter(result.values()))
    return check_columns(frame, columns, file=path, source_id=source_id, layout="the humaniverse/demographr table")


def england_benchmarks(ctx: BuildContext) -> dict:
    """England numerator/denominator for the indicators the mirror allows, with notes and sources."""
    out: dict = {}
    ts007 = read_file(
        pd.read_csv,
        ctx.path(NATIONAL_SOURCE, 0),
        source_id=NATIONAL_SOURCE,
        layout="Nomis bulk TS007 (country)",
    )
    check_columns(
        ts007,
        ["geography code", "Age: Total; measures: Value"],
        file=ctx.path(NATIONAL_SOURCE, 0),
        source_id=NATIONAL_SOURCE,
        layout="Nomis bulk TS007",
    )
    eng = ts007[ts007["geography code"] == ENGLAND_CODE]
    if eng.empty:
        raise DataError(
            source_id=NATIONAL_SOURCE,
            file=ctx.path(NATIONAL_SOURCE, 0),
            problem=f"no England row ({ENGLAND_CODE})",
            fix="fetch the country file again",
        )
    out["population"] = float(eng["Age: Total; measures: Value"].iloc[0])

    note = "England: sum of every English LSOA (or MSOA) in the England-wide table"
    src = ENGLAND_LSOA_SOURCE
    dep = read_rda(ctx, 0, ["lsoa21_code", "total_households", "deprivation_dimensions", "n"])
    n_any, total = england_rda_value(
        dep,
        category_column="deprivation_dimensions",
        categories=[c for c in dep["deprivation_dimensions"].unique() if "not deprived" not in c],
        total_column="total_households",
    )
    out["household_deprived_any"] = (n_any, total, note, src)
    n2, total = england_rda_value(
        dep,
        category_column="deprivation_dimensions",
        categories=[c for c in dep["deprivation_dimensions"].unique() if any(w in c for w in ("two", "three", "four"))],
        total_column="total_households",
    )
    out["household_deprived_2plus"] = (n2, total, note, src)
    tenure = read_rda(ctx, 1, ["lsoa21_code", "total_households", "tenure", "n"])
    for indicator, prefix in (
        ("owner_occupied", "Owned"),
        ("social_rented", "Social rented"),
        ("private_rented", "Private rented"),
    ):
        cats = [c for c in tenure["tenure"].unique() if c.startswith(prefix)]
        n, total = england_rda_value(tenure, category_column="tenure", categories=cats, total_column="total_households")
        out[indicator] = (n, total, note, src)
    disability = read_rda(ctx, 2, ["lsoa21_code", "disability", "n", "total_residents"])
    n, total = england_rda_value(
        disability,
        category_column="disability",
        categories=[c for c in disability["disability"].unique() if not c.lower().startswith("not")],
        total_column="total_residents",
    )
    out["disabled"] = (n, total, note, src)
    care_path = ctx.path(src, 3)
    care = read_file(
        pd.read_csv, care_path, source_id=src, layout="MSOA unpaid care CSV (msoa21cd, total, provides_...)"
    )
    check_columns(
        care,
        ["msoa21cd", "total", "provides_no_unpaid_care", "provides_50_or_more_hours_unpaid_care_a_week"],
        file=care_path,
        source_id=src,
        layout="MSOA unpaid care CSV",
    )
    care = care[care["msoa21cd"].str.startswith("E02")]
    out["unpaid_care"] = (
        float(care["total"].sum() - care["provides_no_unpaid_care"].sum()),
        float(care["total"].sum()),
        note,
        src,
    )
    out["unpaid_care_50_plus"] = (
        float(care["provides_50_or_more_hours_unpaid_care_a_week"].sum()),
        float(care["total"].sum()),
        note,
        src,
    )
    return out


def england_rda_value(
    frame: pd.DataFrame, *, category_column: str, categories: list[str], total_column: str
) -> tuple[float, float]:
    england = frame[frame["lsoa21_code"].str.startswith("E01")]
    per_lsoa_total = england.drop_duplicates("lsoa21_code")[total_column].sum()
    numerator = england.loc[england[category_column].isin(categories), "n"].sum()
    return float(numerator), float(per_lsoa_total)
