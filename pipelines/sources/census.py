"""Census 2021 output-area tables: OAs summed to LSOAs, wards and the place, with England benchmarks.

Ward figures: official Nomis ward counts where the mirror holds them (TS037, TS038, TS039);
otherwise OA counts summed to LSOAs and apportioned to wards (``pipelines.estimates``). For the
official ones the same estimate is also made and compared (table ``ward_estimate_checks``),
next to a plain best-fit estimate, so that the method's error is measured, not assumed.
The LSOA tables (age, ethnic group) are ``census_lsoa``; the England benchmarks ``census_national``.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass

import numpy as np
import pandas as pd

from pipelines.catalogue import indicator_rows
from pipelines.context import BuildContext, Geography
from pipelines.errors import DataError
from pipelines.estimates import apportion_counts, percentage_rows
from pipelines.sources.census_national import NATIONAL_SOURCE, england_benchmarks
from pipelines.tidy import Parts, make_values
from pipelines.validate import check_codes, check_columns, check_numeric, read_file

log = logging.getLogger(__name__)

PERIOD = "2021"
OA_SOURCE = "census2021-oa"
OFFICIAL_SOURCE = "census2021-ward-official"
NOMIS_LAYOUT = "the Nomis bulk OA layout (date, geography, geography code, then one column per category)"
ENGLAND_NOT_HELD = "England value not held in the mirror (the England-wide table is not available offline)"

# OA tables: file index in the registry source, and short names for the official Nomis headers.
OA_TABLES: dict[str, tuple[int, dict[str, str]]] = {
    "ts001": (0, {"total": "Residence type: Total; measures: Value"}),
    "ts011": (
        2,
        {
            "total": "Household deprivation: Total: All households; measures: Value",
            "d0": "Household deprivation: Household is not deprived in any dimension; measures: Value",
            "d1": "Household deprivation: Household is deprived in one dimension; measures: Value",
            "d2": "Household deprivation: Household is deprived in two dimensions; measures: Value",
            "d3": "Household deprivation: Household is deprived in three dimensions; measures: Value",
            "d4": "Household deprivation: Household is deprived in four dimensions; measures: Value",
        },
    ),
    "ts037": (
        3,
        {
            "total": "General health: Total: All usual residents",
            "very_good": "General health: Very good health",
            "good": "General health: Good health",
            "fair": "General health: Fair health",
            "bad": "General health: Bad health",
            "very_bad": "General health: Very bad health",
        },
    ),
    "ts038": (
        4,
        {
            "total": "Disability: Total: All usual residents",
            "disabled": "Disability: Disabled under the Equality Act",
            "limited_lot": "Disability: Disabled under the Equality Act: Day-to-day activities limited a lot",
        },
    ),
    "ts039": (
        5,
        {
            "total": "Provision of unpaid care: Total: All usual residents aged 5 and over",
            "none": "Provision of unpaid care: Provides no unpaid care",
            "h50": "Provision of unpaid care: Provides 50 or more hours unpaid care a week",
        },
    ),
    "ts045": (
        6,
        {
            "total": "Number of cars or vans: Total: All households",
            "no_car": "Number of cars or vans: No cars or vans in household",
        },
    ),
    "ts054": (
        7,
        {
            "total": "Tenure of household: Total: All households",
            "owned": "Tenure of household: Owned",
            "social": "Tenure of household: Social rented",
            "private": "Tenure of household: Private rented",
        },
    ),
    "ts067": (
        8,
        {
            "total": "Highest level of qualification: Total: All usual residents aged 16 years and over",
            "none": "Highest level of qualification: No qualifications",
            "level4": "Highest level of qualification: Level 4 qualifications and above",
        },
    ),
}


@dataclass(frozen=True)
class Spec:
    """One percentage indicator: its OA table and numerator (``-x`` subtracts), and its official ward topic."""

    indicator_id: str
    table: str
    numerator: tuple[str, ...]
    official: str | None = None  # key in the official ward JSON: general_health / disability / unpaid_care


SPECS = [
    Spec("good_health", "ts037", ("very_good", "good"), "general_health"),
    Spec("bad_health", "ts037", ("bad", "very_bad"), "general_health"),
    Spec("disabled", "ts038", ("disabled",), "disability"),
    Spec("disabled_limited_a_lot", "ts038", ("limited_lot",), "disability"),
    Spec("unpaid_care", "ts039", ("total", "-none"), "unpaid_care"),
    Spec("unpaid_care_50_plus", "ts039", ("h50",), "unpaid_care"),
    Spec("household_deprived_any", "ts011", ("total", "-d0")),
    Spec("household_deprived_2plus", "ts011", ("d2", "d3", "d4")),
    Spec("no_car", "ts045", ("no_car",)),
    Spec("owner_occupied", "ts054", ("owned",)),
    Spec("social_rented", "ts054", ("social",)),
    Spec("private_rented", "ts054", ("private",)),
    Spec("no_qualifications", "ts067", ("none",)),
    Spec("level4_qualifications", "ts067", ("level4",)),
]

OFFICIAL_CATEGORIES = {
    "general_health": {
        "very_good": "Very good health",
        "good": "Good health",
        "fair": "Fair health",
        "bad": "Bad health",
        "very_bad": "Very bad health",
    },
    "disability": {
        "limited_lot": "Disabled under the Equality Act: Day-to-day activities limited a lot",
        "limited_little": "Disabled under the Equality Act: Day-to-day activities limited a little",
        "not_limited": "Not disabled under the Equality Act: Has long term physical or mental health condition "
        "but day-to-day activities are not limited",
        "no_condition": "Not disabled under the Equality Act: No long term physical or mental health conditions",
    },
    "unpaid_care": {
        "none": "Provides no unpaid care",
        "h9": "Provides 9 hours or less unpaid care a week",
        "h19": "Provides 10 to 19 hours unpaid care a week",
        "h34": "Provides 20 to 34 hours unpaid care a week",
        "h49": "Provides 35 to 49 hours unpaid care a week",
        "h50": "Provides 50 or more hours unpaid care a week",
    },
}

# ---------------------------------------------------------------------------------------------
# read_*: I/O and validation at the edge


def read_oa_table(ctx: BuildContext, geo: Geography, table: str) -> pd.DataFrame:
    """One OA table as oa_code + short-named count columns, checked against the OA lookup."""
    index, columns = OA_TABLES[table]
    path = ctx.path(OA_SOURCE, index)
    frame = read_file(pd.read_csv, path, source_id=OA_SOURCE, layout=NOMIS_LAYOUT)
    check_columns(frame, ["geography code", *columns.values()], file=path, source_id=OA_SOURCE, layout=NOMIS_LAYOUT)
    check_codes(frame, "geography code", kind="oa", file=path, source_id=OA_SOURCE, allowed=geo.oa_lsoa["oa_code"])
    check_numeric(frame, list(columns.values()), file=path, source_id=OA_SOURCE, min_value=0)
    missing = sorted(set(geo.oa_lsoa["oa_code"]) - set(frame["geography code"]))
    if missing:
        raise DataError(
            source_id=OA_SOURCE,
            file=path,
            problem=f"{len(missing)} of the place's {len(geo.oa_lsoa)} output areas are missing (e.g. {missing[:3]}); "
            "the file is truncated or cut to another area",
            fix="fetch the file again so that it holds every output area of the place",
        )
    out = frame.rename(columns={v: k for k, v in columns.items()})[["geography code", *columns]]
    out = out.rename(columns={"geography code": "oa_code"})
    for column in columns:
        out[column] = pd.to_numeric(out[column]).astype("int64")
    return out


def read_official_wards(ctx: BuildContext, geo: Geography) -> dict:
    path = ctx.path(OFFICIAL_SOURCE)
    doc = read_file(
        lambda p: json.loads(p.read_text(encoding="utf-8")),
        path,
        source_id=OFFICIAL_SOURCE,
        layout="JSON with census.wards and census.council_totals",
    )
    census = doc.get("census") if isinstance(doc, dict) else None
    if not isinstance(census, dict) or "wards" not in census or "council_totals" not in census:
        raise DataError(
            source_id=OFFICIAL_SOURCE,
            file=path,
            problem="no census.wards / census.council_totals objects",
            fix="fetch the file again",
        )
    missing = sorted(set(geo.ward_codes) - set(census["wards"]))
    unknown = sorted(set(census["wards"]) - set(geo.ward_codes))
    problems = []
    if missing:
        problems.append(f"wards of the place missing: {missing[:3]}")
    if unknown:
        problems.append(f"unknown ward codes {unknown[:3]} (another vintage?)")
    for code, ward in census["wards"].items():
        for topic, categories in OFFICIAL_CATEGORIES.items():
            got = ward.get(topic, {})
            lacking = [c for c in categories.values() if c not in got]
            if lacking:
                problems.append(f"ward {code} {topic} lacks {lacking[:2]}")
    if problems:
        raise DataError(
            source_id=OFFICIAL_SOURCE,
            file=path,
            problem="; ".join(problems[:5]),
            fix="use the file for the place's current wards",
        )
    return census


# ---------------------------------------------------------------------------------------------
# stage_*: pure, frames in and frames out


def numerator_of(frame: pd.DataFrame, parts: tuple[str, ...]) -> pd.Series:
    total = pd.Series(0, index=frame.index, dtype="float64")
    for part in parts:
        total = total - frame[part[1:]] if part.startswith("-") else total + frame[part]
    return total


def official_counts(census: dict, topic: str) -> pd.DataFrame:
    """area_code + short-named category counts + total for wards and the council."""
    names = OFFICIAL_CATEGORIES[topic]
    rows = [
        {"area_code": code, "area_type": "ward", **{k: ward[topic][v] for k, v in names.items()}}
        for code, ward in census["wards"].items()
    ]
    rows.append(
        {"area_code": None, "area_type": "lad", **{k: census["council_totals"][topic][v] for k, v in names.items()}}
    )
    frame = pd.DataFrame(rows)
    frame["total"] = frame[list(names)].sum(axis=1)
    if topic == "disability":
        frame["disabled"] = frame["limited_lot"] + frame["limited_little"]
    return frame


def build(ctx: BuildContext, geo: Geography) -> Parts:
    lad = ctx.place.lad_code
    oa = {table: read_oa_table(ctx, geo, table) for table in OA_TABLES}
    census = read_official_wards(ctx, geo)
    weights = geo.weights("2021")
    bestfit = geo.main_wards("2021").assign(weight=1.0)

    def levels(table: str, w: pd.DataFrame = weights) -> pd.DataFrame:
        counts = oa[table].merge(geo.oa_lsoa, on="oa_code")
        columns = list(OA_TABLES[table][1])
        lsoa = counts.groupby("lsoa_code", as_index=False)[columns].sum()
        ward = apportion_counts(lsoa, w, value_columns=columns).rename(columns={"ward_code": "area_code"})
        place = lsoa[columns].sum().to_frame().T.assign(area_code=lad)
        return pd.concat(
            [
                lsoa.rename(columns={"lsoa_code": "area_code"}).assign(area_type="lsoa"),
                ward.assign(area_type="ward"),
                place.assign(area_type="lad"),
            ],
            ignore_index=True,
        )

    england = england_benchmarks(ctx)
    values, checks = [], []

    population = levels("ts001")
    values.append(
        make_values(
            population.assign(value=population["total"], count=population["total"]),
            indicator_id="population",
            period=PERIOD,
            source_id=OA_SOURCE,
            value_note="Census 2021 usual residents (TS001)",
        )
    )
    values.append(
        make_values(
            pd.DataFrame(
                [
                    {
                        "area_code": geo.england_code,
                        "area_type": "england",
                        "value": england["population"],
                        "count": england["population"],
                    }
                ]
            ),
            indicator_id="population",
            period=PERIOD,
            source_id=NATIONAL_SOURCE,
            value_note="England usual residents from TS007 (country)",
        )
    )
    for spec in SPECS:
        frame = levels(spec.table)
        note = "Estimate from output areas" if not spec.official else "Sum of output areas"
        rows = percentage_rows(frame, numerator=numerator_of(frame, spec.numerator), denominator=frame["total"])
        rows["value_note"] = note
        source_for_rows = pd.Series(OA_SOURCE, index=rows.index)
        if spec.official:
            official = official_counts(census, spec.official).assign(area_code=lambda f: f["area_code"].fillna(lad))
            off_rows = percentage_rows(
                official, numerator=numerator_of(official, spec.numerator), denominator=official["total"]
            )
            off_rows["value_note"] = "Official Nomis count at this level"
            # Estimates made the same way, kept for the check table.
            est = rows[rows["area_type"] == "ward"].set_index("area_code")["value"]
            bf_frame = levels(spec.table, bestfit)
            bf_rows = percentage_rows(
                bf_frame, numerator=numerator_of(bf_frame, spec.numerator), denominator=bf_frame["total"]
            )
            bf = bf_rows[bf_rows["area_type"] == "ward"].set_index("area_code")
            est_counts = rows[rows["area_type"] == "ward"].set_index("area_code")
            for _, r in off_rows[off_rows["area_type"] == "ward"].iterrows():
                checks.append(
                    {
                        "ward_code": r["area_code"],
                        "indicator_id": spec.indicator_id,
                        "official_value": r["value"],
                        "official_count": r["count"],
                        "official_denominator": r["denominator"],
                        "estimate_value": est.get(r["area_code"], np.nan),
                        "estimate_count": est_counts["count"].get(r["area_code"], np.nan),
                        "estimate_denominator": est_counts["denominator"].get(r["area_code"], np.nan),
                        "bestfit_value": bf["value"].get(r["area_code"], np.nan),
                        "bestfit_denominator": bf["denominator"].get(r["area_code"], np.nan),
                    }
                )
            keep = rows["area_type"] == "lsoa"
            rows = pd.concat([rows[keep], off_rows], ignore_index=True)
            source_for_rows = pd.Series(
                np.where(rows["area_type"] == "lsoa", OA_SOURCE, OFFICIAL_SOURCE), index=rows.index
            )
        eng = england.get(spec.indicator_id)
        if eng is not None:
            eng_rows = percentage_rows(
                pd.DataFrame([{"area_code": geo.england_code, "area_type": "england"}]),
                numerator=pd.Series([eng[0]]),
                denominator=pd.Series([eng[1]]),
            ).assign(value_note=eng[2])
            eng_source = eng[3]
        else:
            eng_rows = pd.DataFrame(
                [
                    {
                        "area_code": geo.england_code,
                        "area_type": "england",
                        "value": np.nan,
                        "value_note": ENGLAND_NOT_HELD,
                    }
                ]
            )
            eng_source = OA_SOURCE
        for src, group in rows.assign(_src=source_for_rows).groupby("_src"):
            values.append(
                make_values(group.drop(columns="_src"), indicator_id=spec.indicator_id, period=PERIOD, source_id=src)
            )
        values.append(make_values(eng_rows, indicator_id=spec.indicator_id, period=PERIOD, source_id=eng_source))
    indicators = indicator_rows(["population", *(spec.indicator_id for spec in SPECS)], place=ctx.place)
    check_table = pd.DataFrame(checks)
    if len(check_table):
        check_table["estimate_error_pct_points"] = check_table["estimate_value"] - check_table["official_value"]
        check_table["bestfit_error_pct_points"] = check_table["bestfit_value"] - check_table["official_value"]
        for method in ("estimate", "bestfit"):
            check_table[f"{method}_population_error_pct"] = 100 * (
                check_table[f"{method}_denominator"] / check_table["official_denominator"] - 1
            )
        log.info(
            "census: ward estimates vs official counts: largest difference %.2f percentage points, "
            "%.2f%% in population (plain best fit: %.2f%%)",
            check_table["estimate_error_pct_points"].abs().max(),
            check_table["estimate_population_error_pct"].abs().max(),
            check_table["bestfit_population_error_pct"].abs().max(),
        )
    return Parts(
        values=pd.concat(values, ignore_index=True), indicators=indicators, tables={"ward_estimate_checks": check_table}
    )
