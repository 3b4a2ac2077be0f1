"""Census 2021 for a place whose output-area tables are not held: LSOA tables apportioned to wards.

The next-best method the mirror allows (every district but Hyndburn): usual residents from the
TS007A LSOA totals, and household deprivation (TS011), tenure (TS054) and disability (TS038, two
categories) from the England and Wales LSOA tables, each shared out to wards by the share of the
LSOA's postcodes. Indicators only the OA tables or the official ward counts carry (general health,
unpaid care by ward, cars, qualifications) are not made; the build lists them as not held.
``census.build`` calls ``build`` here when the OA tables are not held.
"""

from __future__ import annotations

import logging

import numpy as np
import pandas as pd

from pipelines.catalogue import indicator_rows
from pipelines.context import BuildContext, Geography
from pipelines.estimates import apportion_counts, percentage_rows
from pipelines.sources.census_lsoa import AGE_SOURCE, read_nomis_lsoa_download
from pipelines.sources.census_national import england_benchmarks, read_rda
from pipelines.tidy import Parts, make_values

log = logging.getLogger(__name__)

PERIOD = "2021"
SOURCE = "census2021-england-lsoa"
WARD_METHOD_LSOA = (
    "LSOA counts (Census 2021, England and Wales LSOA tables) apportioned to wards: an LSOA inside one ward goes to it "
    "whole; an LSOA split between wards is shared out by the proportion of its postcodes (OS Code-Point Open) in each "
    "ward. The output-area tables are not held for this place, so this is the next-best method (coarser than output "
    "areas). Percentages with Wilson 95% confidence intervals."
)
# indicator id -> (rda file index, category column, total column, which categories count)
LSOA_SPECS = {
    "household_deprived_any": (0, "deprivation_dimensions", "total_households", lambda c: "not deprived" not in c),
    "household_deprived_2plus": (
        0,
        "deprivation_dimensions",
        "total_households",
        lambda c: any(w in c for w in ("two", "three", "four")),
    ),
    "owner_occupied": (1, "tenure", "total_households", lambda c: c.startswith("Owned")),
    "social_rented": (1, "tenure", "total_households", lambda c: c.startswith("Social rented")),
    "private_rented": (1, "tenure", "total_households", lambda c: c.startswith("Private rented")),
    "disabled": (2, "disability", "total_residents", lambda c: not c.lower().startswith("not")),
}


def lsoa_counts(frame: pd.DataFrame, lsoas: list[str], *, category: str, total: str, wanted) -> pd.DataFrame:
    """lsoa_code, total, count for the place's LSOAs of a long-format LSOA table (one row per category)."""
    place = frame[frame["lsoa21_code"].isin(lsoas)]
    counted = place[place[category].map(wanted)].groupby("lsoa21_code")["n"].sum()
    totals = place.drop_duplicates("lsoa21_code").set_index("lsoa21_code")[total]
    out = pd.DataFrame({"total": totals, "count": counted.reindex(totals.index).fillna(0)})
    return out.rename_axis("lsoa_code").reset_index()


def stacked_levels(geo: Geography, lad_code: str, lsoa: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """LSOA, ward (apportioned in whole units) and place rows of LSOA counts."""
    ward = apportion_counts(lsoa, geo.weights("2021"), value_columns=columns).rename(columns={"ward_code": "area_code"})
    place = lsoa[columns].sum().to_frame().T.assign(area_code=lad_code)
    return pd.concat(
        [
            lsoa.rename(columns={"lsoa_code": "area_code"}).assign(area_type="lsoa"),
            ward.assign(area_type="ward"),
            place.assign(area_type="lad"),
        ],
        ignore_index=True,
    )


def build(ctx: BuildContext, geo: Geography) -> Parts:
    lad = ctx.place.lad_code
    england = england_benchmarks(ctx)
    values = []

    age = read_nomis_lsoa_download(ctx, geo, AGE_SOURCE, {"total": "Total"})
    population = stacked_levels(
        geo, lad, age[age["lsoa_code"].isin(geo.lsoa21_codes)][["lsoa_code", "total"]], ["total"]
    )
    england_row = pd.DataFrame(
        [{"area_code": geo.england_code, "area_type": "england", "total": england["population"]}]
    )
    population = pd.concat([population, england_row], ignore_index=True)
    values.append(
        make_values(
            population.assign(value=population["total"], count=population["total"]),
            indicator_id="population",
            period=PERIOD,
            source_id=AGE_SOURCE,
            value_note="Census 2021 usual residents (TS007A LSOA totals; England from TS007)",
        )
    )

    tables: dict[int, pd.DataFrame] = {}
    for indicator_id, (index, category, total, wanted) in LSOA_SPECS.items():
        if index not in tables:
            tables[index] = read_rda(ctx, index, ["lsoa21_code", category, total, "n"])
        lsoa = lsoa_counts(tables[index], geo.lsoa21_codes, category=category, total=total, wanted=wanted)
        frame = stacked_levels(geo, lad, lsoa, ["total", "count"])
        rows = percentage_rows(frame, numerator=frame["count"], denominator=frame["total"])
        rows["value_note"] = np.where(rows["area_type"] == "ward", "Estimate from LSOAs", "Sum of LSOAs")
        values.append(make_values(rows, indicator_id=indicator_id, period=PERIOD, source_id=SOURCE))
        num, den, note, src = england[indicator_id]
        eng = percentage_rows(
            pd.DataFrame([{"area_code": geo.england_code, "area_type": "england"}]),
            numerator=pd.Series([num]),
            denominator=pd.Series([den]),
        ).assign(value_note=note)
        values.append(make_values(eng, indicator_id=indicator_id, period=PERIOD, source_id=src))

    indicators = [
        row
        | {
            "method": WARD_METHOD_LSOA,
            "ward_method": "apportioned-from-lsoa",
            "source_id": AGE_SOURCE if row["indicator_id"] == "population" else SOURCE,
        }
        for row in indicator_rows(["population", *LSOA_SPECS], place=ctx.place)
    ]
    indicators[0]["definition"] = "Usual residents on census day, 21 March 2021 (TS007A by LSOA; England from TS007)."
    log.info("census (output-area tables not held): %d indicators from LSOA tables", len(indicators))
    return Parts(values=pd.concat(values, ignore_index=True), indicators=indicators)
