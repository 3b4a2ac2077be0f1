"""Sports facilities (ONS, from Sport England Active Places Power): counts and rates by MSOA and district."""

from __future__ import annotations

import logging

import numpy as np
import pandas as pd

from pipelines.catalogue import indicator_rows
from pipelines.context import BuildContext, Geography
from pipelines.sources.district_common import ENGLAND_MISSING
from pipelines.tidy import Parts, make_values
from pipelines.validate import check_codes, check_numeric, check_row_count, check_unique, read_file, sheet_table

log = logging.getLogger(__name__)

FACILITIES_SOURCE = "ons-sports-facilities"
FACILITIES_PERIOD = "2023"
# sheet -> (code column, table kind)
FACILITY_TABLES = {
    "Table 1": ("LAD code", "lad", ["LAD code", "LAD name", "Counts"]),
    "Table 4": (
        "LAD code",
        "lad",
        ["LAD code", "LAD name", "Counts", "People per facility", "Facilities per 10,000 people"],
    ),
    "Table 6": ("MSOA code", "msoa", ["MSOA code", "MSOA name", "Counts"]),
    "Table 9": (
        "MSOA code",
        "msoa",
        ["MSOA code", "MSOA name", "Counts", "People per facility", "Facilities per 10,000 people"],
    ),
}


def read_facility_table(sheets: dict[str, pd.DataFrame], *, sheet: str, path) -> pd.DataFrame:
    code_column, kind, required = FACILITY_TABLES[sheet]
    layout = f"the ONS sports facilities workbook, sheet '{sheet}' with a header row {required}"
    table = sheet_table(
        sheets, sheet, first_cell=code_column, required=required, source_id=FACILITIES_SOURCE, path=path, layout=layout
    )
    where = f"{path} [{sheet}]"
    check_row_count(table, minimum=1, what="rows", file=where, source_id=FACILITIES_SOURCE)
    check_codes(table, code_column, kind=kind, file=where, source_id=FACILITIES_SOURCE)
    check_numeric(table, required[2:], file=where, source_id=FACILITIES_SOURCE, min_value=0)
    check_unique(table, [code_column], file=where, source_id=FACILITIES_SOURCE)
    out = pd.DataFrame(
        {"area_code": table[code_column].str.strip(), "area_type": kind, "count": pd.to_numeric(table["Counts"])}
    )
    if "Facilities per 10,000 people" in table:
        out["per_10k"] = pd.to_numeric(table["Facilities per 10,000 people"])
        out["people_per_facility"] = pd.to_numeric(table["People per facility"])
    return out


def build(ctx: BuildContext, geo: Geography) -> Parts:
    path = ctx.path(FACILITIES_SOURCE)
    sheets = read_file(
        pd.read_excel,
        path,
        source_id=FACILITIES_SOURCE,
        layout="ONS sports facilities workbook (xlsx)",
        sheet_name=None,
        header=None,
        dtype=str,
    )
    lad_counts = read_facility_table(sheets, sheet="Table 1", path=path)
    lad_rates = read_facility_table(sheets, sheet="Table 4", path=path)
    msoa_counts = read_facility_table(sheets, sheet="Table 6", path=path)
    msoa_rates = read_facility_table(sheets, sheet="Table 9", path=path)

    place_msoas = sorted(geo.lsoa21["msoa_code"].dropna().unique())
    lads = [ctx.place.lad_code]

    def select(frame: pd.DataFrame, codes: list[str], kind: str, what: str) -> pd.DataFrame:
        rows = frame[frame["area_code"].isin(codes)].copy()
        missing = sorted(set(codes) - set(rows["area_code"]))
        if missing:
            log.warning(
                "sports facilities %s: %d %s(s) of the place not in the file: %s", what, len(missing), kind, missing
            )
            rows = pd.concat(
                [
                    rows,
                    pd.DataFrame(
                        {
                            "area_code": missing,
                            "area_type": kind,
                            "value_note": f"{kind.upper()} not in the source file",
                        }
                    ),
                ],
                ignore_index=True,
            )
        return rows

    counts = pd.concat(
        [select(msoa_counts, place_msoas, "msoa", "counts"), select(lad_counts, lads, "lad", "counts")],
        ignore_index=True,
    )
    counts["value"] = counts["count"]
    england = pd.DataFrame(
        [
            {
                "area_code": geo.england_code,
                "area_type": "england",
                "value": np.nan,
                "value_note": ENGLAND_MISSING,
            }
        ]
    )
    counts = pd.concat([counts, england], ignore_index=True)
    rates = pd.concat(
        [select(msoa_rates, place_msoas, "msoa", "rates"), select(lad_rates, lads, "lad", "rates")], ignore_index=True
    )
    rates["value"] = rates["per_10k"]
    # Census 2021 population behind the rate: facilities x people per facility.
    rates["denominator"] = (rates["count"] * rates["people_per_facility"]).round()
    rates = pd.concat([rates, england], ignore_index=True)

    values = pd.concat(
        [
            make_values(
                counts.drop(columns=[c for c in ("per_10k", "people_per_facility") if c in counts]),
                indicator_id="sports_facilities_count",
                period=FACILITIES_PERIOD,
                source_id=FACILITIES_SOURCE,
            ),
            make_values(
                rates.drop(columns=["per_10k", "people_per_facility"]),
                indicator_id="sports_facilities_per_10k",
                period=FACILITIES_PERIOD,
                source_id=FACILITIES_SOURCE,
            ),
        ],
        ignore_index=True,
    )
    log.info("sports facilities: %d MSOAs of the place", len(place_msoas))
    indicators = indicator_rows(["sports_facilities_count", "sports_facilities_per_10k"], place=ctx.place)
    return Parts(values=values, indicators=indicators)
