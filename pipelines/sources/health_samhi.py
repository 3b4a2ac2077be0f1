"""SAMHI v5.00 (LSOA 2011, 2011-2022): LSOA rows, ward and place population-weighted means, worst-decile share.

Citation: Daras K, Barr B (2021) Small Area Mental Health Index (SAMHI) v5.00 [Open Dataset],
Place-based Longitudinal Data Resource, DOI 10.17638/datacat.liverpool.ac.uk/1188.
Populations: Census 2021 LSOA residents mapped to 2011 LSOAs by the ONS exact-fit lookup
(``health_estimates.lsoa11_populations``), split to wards by the LSOA 2011 -> ward weights.
"""

from __future__ import annotations

import logging

import numpy as np
import pandas as pd

from pipelines.errors import DataError
from pipelines.estimates import population_share, population_weighted_mean
from pipelines.health_estimates import lsoa11_populations
from pipelines.sources.health_common import lsoa21_population, meta
from pipelines.tidy import Parts, make_values
from pipelines.validate import check_codes, check_columns, check_numeric, check_unique, read_file

log = logging.getLogger(__name__)

SOURCE = "samhi-v5"
LOOKUP_SOURCE = "ons-lsoa11-lsoa21-ew"
YEARS = [str(y) for y in range(2011, 2023)]
COLUMNS = ["lsoa11", *[c for y in YEARS for c in (f"samhi_index.{y}", f"samhi_dec.{y}")]]
LAYOUT = "the SAMHI v5.00 LSOA CSV (lsoa11, samhi_index.YYYY, samhi_dec.YYYY for 2011-2022)"
LOOKUP_COLUMNS = ["LSOA11CD", "LSOA21CD", "CHGIND", "LAD22CD"]
LOOKUP_LAYOUT = (
    "the ONS LSOA (2011) to LSOA (2021) to LAD (2022) exact-fit lookup CSV (LSOA11CD, LSOA21CD, CHGIND, LAD22CD, ...)"
)
WARD_NOTE = "population-weighted mean of LSOA 2011 values (Census 2021 residents mapped to 2011 LSOAs)"


def read_samhi(path, *, lsoa11_codes, source_id: str = SOURCE) -> pd.DataFrame:
    frame = read_file(pd.read_csv, path, source_id=source_id, layout=LAYOUT, dtype={"lsoa11": str})
    check_columns(frame, COLUMNS, file=path, source_id=source_id, layout=LAYOUT)
    check_codes(frame, "lsoa11", kind="lsoa", file=path, source_id=source_id)
    check_unique(frame, ["lsoa11"], file=path, source_id=source_id)
    check_numeric(frame, COLUMNS[1:], file=path, source_id=source_id)
    missing = sorted(set(lsoa11_codes) - set(frame["lsoa11"]))
    if missing:
        raise DataError(
            source_id=source_id,
            file=path,
            problem=f"{len(missing)} of the place's 2011 LSOAs are missing (e.g. {missing[:3]})",
            fix="extract every 2011 LSOA of the place from the national SAMHI file",
        )
    return frame[frame["lsoa11"].isin(set(lsoa11_codes))].rename(columns={"lsoa11": "lsoa_code"})


def read_lookup(path, source_id: str = LOOKUP_SOURCE) -> pd.DataFrame:
    """lsoa11_code, lsoa21_code, change, lad_code for England and Wales."""
    frame = read_file(pd.read_csv, path, source_id=source_id, layout=LOOKUP_LAYOUT, dtype=str, encoding="utf-8-sig")
    check_columns(frame, LOOKUP_COLUMNS, file=path, source_id=source_id, layout=LOOKUP_LAYOUT)
    check_codes(frame, "LSOA11CD", kind="lsoa", file=path, source_id=source_id)
    check_codes(frame, "LSOA21CD", kind="lsoa", file=path, source_id=source_id)
    check_unique(frame, ["LSOA11CD", "LSOA21CD"], file=path, source_id=source_id)
    return frame[LOOKUP_COLUMNS].set_axis(["lsoa11_code", "lsoa21_code", "change", "lad_code"], axis=1)


def place_lookup(lookup: pd.DataFrame, geo, path) -> pd.DataFrame:
    rows = lookup[lookup["lsoa11_code"].isin(geo.lsoa11_codes) | lookup["lsoa21_code"].isin(geo.lsoa21_codes)]
    problems = []
    for column, codes in (("lsoa11_code", geo.lsoa11_codes), ("lsoa21_code", geo.lsoa21_codes)):
        absent = sorted(set(codes) - set(rows[column]))
        if absent:
            problems.append(f"{len(absent)} of the place's LSOAs are not in {column} (e.g. {absent[:3]})")
    if problems:
        raise DataError(
            source_id=LOOKUP_SOURCE, file=path, problem="; ".join(problems), fix="use the England and Wales lookup (V3)"
        )
    return rows


def build(ctx, geo) -> Parts:
    samhi = read_samhi(ctx.path(SOURCE), lsoa11_codes=geo.lsoa11_codes)
    lookup = place_lookup(read_lookup(ctx.path(LOOKUP_SOURCE)), geo, ctx.path(LOOKUP_SOURCE))
    population = lsoa11_populations(lookup, lsoa21_population(ctx, geo))
    samhi = samhi.merge(population, on="lsoa_code", how="left")
    weights = geo.weights("2011")
    names = geo.lsoa11.set_index("lsoa_code")["lsoa_name"]
    lad = ctx.place.lad_code
    values = []
    for year in YEARS:
        frame = samhi.assign(
            value=pd.to_numeric(samhi[f"samhi_index.{year}"]), decile=pd.to_numeric(samhi[f"samhi_dec.{year}"])
        )
        lsoa = pd.DataFrame(
            {
                "area_code": frame["lsoa_code"],
                "area_name": frame["lsoa_code"].map(names),
                "area_type": "lsoa",
                "value": frame["value"],
            }
        )
        ward = population_weighted_mean(frame, weights, value_column="value", population_column="population")
        place_value = float(np.average(frame["value"], weights=frame["population"]))
        index_rows = pd.concat(
            [
                lsoa.assign(value_note="SAMHI v5.00 as published (LSOA 2011)"),
                ward.rename(columns={"ward_code": "area_code"}).assign(area_type="ward", value_note=WARD_NOTE)[
                    ["area_code", "area_type", "value", "value_note"]
                ],
                pd.DataFrame([{"area_code": lad, "area_type": "lad", "value": place_value, "value_note": WARD_NOTE}]),
            ],
            ignore_index=True,
        )
        values.append(make_values(index_rows, indicator_id="samhi_index", period=year, source_id=SOURCE))
        values.append(
            make_values(
                lsoa.assign(value=frame["decile"].to_numpy()),
                indicator_id="samhi_decile",
                period=year,
                source_id=SOURCE,
            )
        )
        frame["worst"] = frame["decile"] == 10
        share = population_share(frame, weights, flag_column="worst", population_column="population")
        share = pd.concat(
            [
                share.rename(columns={"ward_code": "area_code"}).assign(area_type="ward"),
                pd.DataFrame(
                    [
                        {
                            "area_code": lad,
                            "area_type": "lad",
                            "count": frame.loc[frame["worst"], "population"].sum(),
                            "denominator": frame["population"].sum(),
                        }
                    ]
                ),
            ],
            ignore_index=True,
        )
        share["value"] = 100.0 * share["count"] / share["denominator"]
        share["value_note"] = "residents of LSOAs in SAMHI decile 10 (Census 2021 residents mapped to 2011 LSOAs)"
        values.append(make_values(share, indicator_id="samhi_worst_decile_share", period=year, source_id=SOURCE))
    log.info("samhi: %d LSOAs x %d years", len(samhi), len(YEARS))
    indicators = [
        meta("samhi_index", place=ctx.place),
        meta("samhi_decile", place=ctx.place),
        meta("samhi_worst_decile_share", place=ctx.place),
    ]
    return Parts(values=pd.concat(values, ignore_index=True), indicators=indicators)
