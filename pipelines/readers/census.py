"""Census 2021: OA tables summed to LSOAs, wards and the place; LSOA tables; England benchmarks.

Ward figures: official Nomis ward counts where the mirror holds them (TS037, TS038, TS039);
otherwise OA counts summed to LSOAs and apportioned to wards (``pipelines.estimates``). For the
official ones the same estimate is also made and compared (table ``ward_estimate_checks``),
next to a plain best-fit estimate, so that the method's error is measured, not assumed.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyreadr

from pipelines.context import BuildContext
from pipelines.errors import DataError
from pipelines.estimates import apportion_counts, percentage_rows
from pipelines.tidy import Parts, make_values
from pipelines.validate import check_codes, check_columns, check_numeric, check_row_count, read_file

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
    indicator_id: str
    table: str
    numerator: tuple[str, ...]
    name: str
    polarity: str
    definition: str
    official: str | None = None  # key in the official ward JSON: general_health / disability / unpaid_care
    england: str | None = None  # how the England value is made, or None when not held


SPECS = [
    Spec(
        "good_health",
        "ts037",
        ("very_good", "good"),
        "Good or very good health",
        "higher_is_better",
        "Usual residents whose general health is very good or good, as a percentage of all usual residents (TS037).",
        "general_health",
    ),
    Spec(
        "bad_health",
        "ts037",
        ("bad", "very_bad"),
        "Bad or very bad health",
        "lower_is_better",
        "Usual residents whose general health is bad or very bad, as a percentage of all usual residents (TS037).",
        "general_health",
    ),
    Spec(
        "disabled",
        "ts038",
        ("disabled",),
        "Disabled under the Equality Act",
        "lower_is_better",
        "Usual residents disabled under the Equality Act (day-to-day activities limited a lot or a little), as a percentage of all usual residents (TS038).",
        "disability",
        "lsoa-rda",
    ),
    Spec(
        "disabled_limited_a_lot",
        "ts038",
        ("limited_lot",),
        "Day-to-day activities limited a lot",
        "lower_is_better",
        "Usual residents disabled under the Equality Act whose day-to-day activities are limited a lot, as a percentage of all usual residents (TS038).",
        "disability",
    ),
    Spec(
        "unpaid_care",
        "ts039",
        ("total", "-none"),
        "Provides unpaid care",
        "no_judgement",
        "Usual residents aged 5 and over who provide any unpaid care, as a percentage of usual residents aged 5 and over (TS039).",
        "unpaid_care",
        "msoa-csv",
    ),
    Spec(
        "unpaid_care_50_plus",
        "ts039",
        ("h50",),
        "Provides 50 or more hours of unpaid care a week",
        "no_judgement",
        "Usual residents aged 5 and over who provide 50 or more hours of unpaid care a week, as a percentage of usual residents aged 5 and over (TS039).",
        "unpaid_care",
        "msoa-csv",
    ),
    Spec(
        "household_deprived_any",
        "ts011",
        ("total", "-d0"),
        "Households deprived in at least one dimension",
        "lower_is_better",
        "Households deprived in one or more of the four census dimensions (employment, education, health and disability, housing), as a percentage of all households (TS011).",
        None,
        "lsoa-rda",
    ),
    Spec(
        "household_deprived_2plus",
        "ts011",
        ("d2", "d3", "d4"),
        "Households deprived in two or more dimensions",
        "lower_is_better",
        "Households deprived in two, three or four of the census dimensions, as a percentage of all households (TS011).",
        None,
        "lsoa-rda",
    ),
    Spec(
        "no_car",
        "ts045",
        ("no_car",),
        "Households with no car or van",
        "no_judgement",
        "Households with no car or van, as a percentage of all households (TS045).",
        None,
        None,
    ),
    Spec(
        "owner_occupied",
        "ts054",
        ("owned",),
        "Owner-occupied households",
        "no_judgement",
        "Households that own their home outright or with a mortgage or loan, as a percentage of all households (TS054).",
        None,
        "lsoa-rda",
    ),
    Spec(
        "social_rented",
        "ts054",
        ("social",),
        "Social rented households",
        "no_judgement",
        "Households renting from a council or other social landlord, as a percentage of all households (TS054).",
        None,
        "lsoa-rda",
    ),
    Spec(
        "private_rented",
        "ts054",
        ("private",),
        "Private rented households",
        "no_judgement",
        "Households renting privately or living in other private rented accommodation, as a percentage of all households (TS054).",
        None,
        "lsoa-rda",
    ),
    Spec(
        "no_qualifications",
        "ts067",
        ("none",),
        "No qualifications",
        "lower_is_better",
        "Usual residents aged 16 and over with no qualifications, as a percentage of usual residents aged 16 and over (TS067).",
        None,
        None,
    ),
    Spec(
        "level4_qualifications",
        "ts067",
        ("level4",),
        "Degree-level (level 4+) qualifications",
        "higher_is_better",
        "Usual residents aged 16 and over whose highest qualification is level 4 or above, as a percentage of usual residents aged 16 and over (TS067).",
        None,
        None,
    ),
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
        "not_limited": "Not disabled under the Equality Act: Has long term physical or mental health condition but day-to-day activities are not limited",
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

WARD_METHOD_OA = (
    "Output-area counts summed to LSOAs (OAs nest in LSOAs), then to wards: an LSOA inside one ward goes to it whole; "
    "an LSOA split between wards is shared out by the proportion of its postcodes (OS Code-Point Open) in each ward, in "
    "whole people (largest remainder), so ward counts add up to the place total. Percentages with Wilson 95% confidence intervals."
)
WARD_METHOD_OFFICIAL = (
    "Ward: official Census 2021 ward counts (Nomis), as published; the same estimate from output areas is checked against "
    "them in every build (table ward_estimate_checks). LSOA and place: output-area counts summed. Percentages with Wilson 95% confidence intervals."
)


# ---------------------------------------------------------------------------------------------
# Readers (I/O + validation)


def read_oa_table(ctx: BuildContext, table: str) -> pd.DataFrame:
    """One OA table as oa_code + short-named count columns, checked against the OA lookup."""
    index, columns = OA_TABLES[table]
    path = ctx.path(OA_SOURCE, index)
    frame = read_file(pd.read_csv, path, source_id=OA_SOURCE, layout=NOMIS_LAYOUT)
    check_columns(frame, ["geography code", *columns.values()], file=path, source_id=OA_SOURCE, layout=NOMIS_LAYOUT)
    check_codes(frame, "geography code", kind="oa", file=path, source_id=OA_SOURCE, allowed=ctx.oa_lsoa["oa_code"])
    check_numeric(frame, list(columns.values()), file=path, source_id=OA_SOURCE, min_value=0)
    missing = sorted(set(ctx.oa_lsoa["oa_code"]) - set(frame["geography code"]))
    if missing:
        raise DataError(
            source_id=OA_SOURCE,
            file=path,
            problem=f"{len(missing)} of the place's {len(ctx.oa_lsoa)} output areas are missing (e.g. {missing[:3]}); the file is truncated or cut to another area",
            fix="fetch the file again so that it holds every output area of the place",
        )
    out = frame.rename(columns={v: k for k, v in columns.items()})[["geography code", *columns]]
    out = out.rename(columns={"geography code": "oa_code"})
    for column in columns:
        out[column] = pd.to_numeric(out[column]).astype("int64")
    return out


def read_nomis_lsoa_download(ctx: BuildContext, source_id: str, columns: dict[str, str]) -> pd.DataFrame:
    """A Nomis 'download table' CSV (title lines, header, rows, footnotes) -> lsoa_code + columns (E&W)."""
    path = ctx.path(source_id)
    layout = (
        'the Nomis table download layout (title lines, then a header starting "2021 super output area - lower layer")'
    )
    lines = read_file(
        lambda p: p.read_text(encoding="utf-8-sig").splitlines(), path, source_id=source_id, layout=layout
    )
    start = next((i for i, line in enumerate(lines) if line.startswith('"2021 super output area - lower layer"')), None)
    if start is None:
        raise DataError(
            source_id=source_id,
            file=path,
            problem='no header line starting with "2021 super output area - lower layer"',
            fix=f"download the table again in {layout}",
        )
    frame = read_file(
        pd.read_csv,
        path,
        source_id=source_id,
        layout=layout,
        skiprows=start,
        encoding="utf-8-sig",
        dtype={"mnemonic": str},
    )
    check_columns(frame, ["mnemonic", *columns.values()], file=path, source_id=source_id, layout=layout)
    frame = frame[frame["mnemonic"].fillna("").str.match(r"^[EW]01\d{6}$")]
    check_row_count(frame, minimum=len(ctx.lsoa21), what="LSOA rows", file=path, source_id=source_id)
    missing = sorted(set(ctx.lsoa21_codes) - set(frame["mnemonic"]))
    if missing:
        raise DataError(
            source_id=source_id,
            file=path,
            problem=f"the place's LSOAs {missing[:3]} are missing",
            fix="download the England and Wales LSOA table again",
        )
    check_numeric(frame, list(columns.values()), file=path, source_id=source_id, min_value=0)
    out = frame.rename(columns={"mnemonic": "lsoa_code", **{v: k for k, v in columns.items()}})[["lsoa_code", *columns]]
    for column in columns:
        out[column] = pd.to_numeric(out[column]).astype("int64")
    return out.reset_index(drop=True)


def read_rda(ctx: BuildContext, index: int, columns: list[str]) -> pd.DataFrame:
    source_id = "census2021-england-lsoa"
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


def read_official_wards(ctx: BuildContext) -> dict:
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
    missing = sorted(set(ctx.ward_codes) - set(census["wards"]))
    unknown = sorted(set(census["wards"]) - set(ctx.ward_codes))
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
# Pure builders


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


def england_rda_value(
    frame: pd.DataFrame, *, category_column: str, categories: list[str], total_column: str
) -> tuple[float, float]:
    england = frame[frame["lsoa21_code"].str.startswith("E01")]
    per_lsoa_total = england.drop_duplicates("lsoa21_code")[total_column].sum()
    numerator = england.loc[england[category_column].isin(categories), "n"].sum()
    return float(numerator), float(per_lsoa_total)


def build(ctx: BuildContext) -> Parts:
    if not ctx.held(OA_SOURCE):
        from pipelines.census_lsoa import build_without_oa  # the next-best method (LSOA tables)

        return build_without_oa(ctx)
    lad = ctx.place.lad_code
    oa = {table: read_oa_table(ctx, table) for table in OA_TABLES}
    census = read_official_wards(ctx)
    weights = ctx.weights("2021")
    bestfit = ctx.main_wards("2021").assign(weight=1.0)

    def levels(table: str, w: pd.DataFrame = weights) -> pd.DataFrame:
        counts = oa[table].merge(ctx.oa_lsoa, on="oa_code")
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
    values, indicators, checks = [], [], []

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
                        "area_code": ctx.england_code,
                        "area_type": "england",
                        "value": england["population"],
                        "count": england["population"],
                    }
                ]
            ),
            indicator_id="population",
            period=PERIOD,
            source_id="census2021-ts007-national",
            value_note="England usual residents from TS007 (country)",
        )
    )
    indicators.append(
        {
            "indicator_id": "population",
            "name": "Usual residents",
            "topic": "Population",
            "unit": "people",
            "value_type": "count",
            "polarity": "no_judgement",
            "definition": "Usual residents on census day, 21 March 2021 (TS001; England from TS007).",
            "method": WARD_METHOD_OA,
            "ward_method": "apportioned-from-oa",
            "source_id": OA_SOURCE,
            "decimals": 0,
        }
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
                pd.DataFrame([{"area_code": ctx.england_code, "area_type": "england"}]),
                numerator=pd.Series([eng[0]]),
                denominator=pd.Series([eng[1]]),
            ).assign(value_note=eng[2])
            eng_source = eng[3]
        else:
            eng_rows = pd.DataFrame(
                [
                    {
                        "area_code": ctx.england_code,
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
        indicators.append(
            {
                "indicator_id": spec.indicator_id,
                "name": spec.name,
                "topic": topic_of(spec.table),
                "unit": "%",
                "value_type": "percentage",
                "polarity": spec.polarity,
                "definition": spec.definition,
                "method": WARD_METHOD_OFFICIAL if spec.official else WARD_METHOD_OA,
                "ward_method": "official" if spec.official else "apportioned-from-oa",
                "source_id": OFFICIAL_SOURCE if spec.official else OA_SOURCE,
                "lsoa_vintage": "2021",
                "decimals": 1,
            }
        )

    lsoa_values, lsoa_indicators = build_lsoa_tables(ctx, england)
    values.extend(lsoa_values)
    indicators.extend(lsoa_indicators)
    check_table = pd.DataFrame(checks)
    if len(check_table):
        check_table["estimate_error_pct_points"] = check_table["estimate_value"] - check_table["official_value"]
        check_table["bestfit_error_pct_points"] = check_table["bestfit_value"] - check_table["official_value"]
        for method in ("estimate", "bestfit"):
            check_table[f"{method}_population_error_pct"] = 100 * (
                check_table[f"{method}_denominator"] / check_table["official_denominator"] - 1
            )
        log.info(
            "census: ward estimates vs official counts: largest difference %.2f percentage points, %.2f%% in population "
            "(plain best fit: %.2f%%)",
            check_table["estimate_error_pct_points"].abs().max(),
            check_table["estimate_population_error_pct"].abs().max(),
            check_table["bestfit_population_error_pct"].abs().max(),
        )
    return Parts(
        values=pd.concat(values, ignore_index=True), indicators=indicators, tables={"ward_estimate_checks": check_table}
    )


def topic_of(table: str) -> str:
    return {
        "ts037": "Health",
        "ts038": "Health",
        "ts039": "Unpaid care",
        "ts011": "Deprivation",
        "ts045": "Households",
        "ts054": "Households",
        "ts067": "Education",
    }.get(table, "Population")


def england_benchmarks(ctx: BuildContext) -> dict:
    """England numerator/denominator for the indicators the mirror allows, with notes and sources."""
    out: dict = {}
    ts007 = read_file(
        pd.read_csv,
        ctx.path("census2021-ts007-national", 0),
        source_id="census2021-ts007-national",
        layout="Nomis bulk TS007 (country)",
    )
    check_columns(
        ts007,
        ["geography code", "Age: Total; measures: Value"],
        file=ctx.path("census2021-ts007-national", 0),
        source_id="census2021-ts007-national",
        layout="Nomis bulk TS007",
    )
    eng = ts007[ts007["geography code"] == ctx.england_code]
    if eng.empty:
        raise DataError(
            source_id="census2021-ts007-national",
            file=ctx.path("census2021-ts007-national", 0),
            problem="no England row (E92000001)",
            fix="fetch the country file again",
        )
    out["population"] = float(eng["Age: Total; measures: Value"].iloc[0])

    note = "England: sum of every English LSOA (or MSOA) in the England-wide table"
    src = "census2021-england-lsoa"
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


AGE_BANDS_UNDER_15 = ["Aged 4 years and under", "Aged 5 to 9 years", "Aged 10 to 14 years"]
AGE_BANDS_65_PLUS = [
    "Aged 65 to 69 years",
    "Aged 70 to 74 years",
    "Aged 75 to 79 years",
    "Aged 80 to 84 years",
    "Aged 85 years and over",
]


def build_lsoa_tables(ctx: BuildContext, england: dict) -> tuple[list[pd.DataFrame], list[dict]]:
    """TS007A (age) and TS021 (ethnic group): LSOA tables, to wards by the same apportionment."""
    lad = ctx.place.lad_code
    age = read_nomis_lsoa_download(
        ctx,
        "census2021-ts007a-lsoa",
        {
            "total": "Total",
            **{f"u{i}": c for i, c in enumerate(AGE_BANDS_UNDER_15)},
            **{f"o{i}": c for i, c in enumerate(AGE_BANDS_65_PLUS)},
        },
    )
    age["under15"] = age[[f"u{i}" for i in range(3)]].sum(axis=1)
    age["over65"] = age[[f"o{i}" for i in range(5)]].sum(axis=1)
    age = age[["lsoa_code", "total", "under15", "over65"]]
    eth = read_nomis_lsoa_download(
        ctx, "census2021-ts021-lsoa", {"total": "Total: All usual residents", "white": "White"}
    )
    eth["minority"] = eth["total"] - eth["white"]
    eth = eth[["lsoa_code", "total", "minority"]]

    values, indicators = [], []
    weights = ctx.weights("2021")
    for indicator_id, frame, column, name, definition, source_id, topic in (
        (
            "aged_under_15",
            age,
            "under15",
            "Children aged under 15",
            "Usual residents aged 0 to 14, as a percentage of all usual residents (TS007A).",
            "census2021-ts007a-lsoa",
            "Population",
        ),
        (
            "aged_65_plus",
            age,
            "over65",
            "People aged 65 and over",
            "Usual residents aged 65 and over, as a percentage of all usual residents (TS007A).",
            "census2021-ts007a-lsoa",
            "Population",
        ),
        (
            "ethnic_minority",
            eth,
            "minority",
            "Ethnic groups other than White",
            "Usual residents in the Asian, Black, Mixed or Other high-level ethnic groups, as a percentage of all usual residents (TS021).",
            "census2021-ts021-lsoa",
            "Population",
        ),
    ):
        place_lsoa = frame[frame["lsoa_code"].isin(ctx.lsoa21_codes)]
        ward = apportion_counts(place_lsoa, weights, value_columns=["total", column]).rename(
            columns={"ward_code": "area_code"}
        )
        england_rows = frame[frame["lsoa_code"].str.startswith("E01")]
        stacked = pd.concat(
            [
                place_lsoa.rename(columns={"lsoa_code": "area_code"}).assign(area_type="lsoa"),
                ward.assign(area_type="ward"),
                place_lsoa[["total", column]].sum().to_frame().T.assign(area_code=lad, area_type="lad"),
                england_rows[["total", column]]
                .sum()
                .to_frame()
                .T.assign(area_code=ctx.england_code, area_type="england"),
            ],
            ignore_index=True,
        )
        rows = percentage_rows(stacked, numerator=stacked[column], denominator=stacked["total"])
        rows["value_note"] = np.where(
            rows["area_type"] == "england", "England: sum of every English LSOA", "Sum of LSOAs"
        )
        values.append(make_values(rows, indicator_id=indicator_id, period=PERIOD, source_id=source_id))
        indicators.append(
            {
                "indicator_id": indicator_id,
                "name": name,
                "topic": topic,
                "unit": "%",
                "value_type": "percentage",
                "polarity": "no_judgement",
                "definition": definition,
                "method": "LSOA counts (Nomis) apportioned to wards as for output-area tables: whole LSOAs to their ward, split LSOAs by the share of their postcodes in each ward. Wilson 95% confidence intervals.",
                "ward_method": "apportioned-from-lsoa",
                "source_id": source_id,
                "lsoa_vintage": "2021",
                "decimals": 1,
            }
        )
    return values, indicators
