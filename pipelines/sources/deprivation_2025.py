"""Deprivation: the English Indices of Deprivation 2025 (period "2025") for the place's LSOAs, wards, district, England.

LSOA 2021 boundaries, mid-2022 populations. The place's rows of the official File 7 give LSOA
scores, ranks, deciles and populations; the third-party (humaniverse/IMD) copy of File 7 for all
of England gives the national distribution (decile cut points, England means); File 10 (LAD
summaries, same third-party package) gives the district's official average scores.
"""

from __future__ import annotations

import logging

import numpy as np
import pandas as pd

from pipelines.catalogue import indicator_rows
from pipelines.context import BuildContext, Geography
from pipelines.errors import DataError
from pipelines.estimates import population_weighted_mean
from pipelines.settings import ENGLAND_NAME
from pipelines.sources import deprivation_common as iod
from pipelines.tidy import Parts
from pipelines.validate import check_codes, check_columns, check_numeric, check_row_count, check_unique, read_file

log = logging.getLogger(__name__)

PERIOD = "2025"
F7 = "iod2025-file7"
ENG25 = "iod2025-england-lsoa"
LAD25 = "iod2025-lad-summaries"
NO_WARD_LSOA = "no LSOA of File 7 lies in this ward"

F7_CODE = "LSOA code (2021)"
F7_NAME = "LSOA name (2021)"
F7_LAD = "Local Authority District code (2024)"
F7_IMD_SCORE = "Index of Multiple Deprivation (IMD) Score"
F7_IMD_RANK = "Index of Multiple Deprivation (IMD) Rank (where 1 is most deprived)"
F7_IMD_DECILE = "Index of Multiple Deprivation (IMD) Decile (where 1 is most deprived 10% of LSOAs)"
F7_POPULATION = "Total population: mid 2022"
ENG_IMD_SCORE, ENG_IMD_RANK, ENG_IMD_DECILE, ENG_CODE = "IMD_score", "IMD_rank", "IMD_decile", "lsoa21_code"
LAD_CODE, LAD_IMD_SCORE = "ltla24_code", "imd_average_score"


def read_file7(ctx: BuildContext, geo: Geography) -> pd.DataFrame:
    """The place's LSOAs of IoD2025 File 7: lsoa_code, lsoa_name, imd_score/rank/decile, <domain>_score, population."""
    path = ctx.path(F7)
    layout = "IoD2025 File 7 CSV (official header, e.g. 'LSOA code (2021)', 'Total population: mid 2022')"
    frame = read_file(
        pd.read_csv,
        path,
        source_id=F7,
        layout=layout,
        encoding="utf-8-sig",
        thousands=",",
        dtype={F7_CODE: str, F7_LAD: str},
    )
    score_columns = [d.file7 for d in (*iod.DOMAINS, *iod.SUPPLEMENTARY)]
    check_columns(
        frame,
        [F7_CODE, F7_NAME, F7_LAD, F7_IMD_SCORE, F7_IMD_RANK, F7_IMD_DECILE, *score_columns, F7_POPULATION],
        file=path,
        source_id=F7,
        layout=layout,
    )
    frame = frame[frame[F7_LAD] == ctx.place.lad_code]
    check_row_count(frame, minimum=1, what=f"rows with '{F7_LAD}' = {ctx.place.lad_code}", file=path, source_id=F7)
    check_codes(frame, F7_CODE, kind="lsoa", file=path, source_id=F7, allowed=geo.lsoa21_codes)
    check_unique(frame, [F7_CODE], file=path, source_id=F7)
    iod.check_place_coverage(frame[F7_CODE], geo.lsoa21_codes, what="2021 LSOAs", file=path, source_id=F7)
    check_numeric(frame, [F7_IMD_SCORE, *score_columns], file=path, source_id=F7)
    check_numeric(frame, [F7_IMD_RANK, F7_IMD_DECILE, F7_POPULATION], file=path, source_id=F7, min_value=1)
    out = pd.DataFrame(
        {
            "lsoa_code": frame[F7_CODE],
            "lsoa_name": frame[F7_NAME],
            "imd_score": pd.to_numeric(frame[F7_IMD_SCORE]),
            "imd_rank": pd.to_numeric(frame[F7_IMD_RANK]).astype(int),
            "imd_decile": pd.to_numeric(frame[F7_IMD_DECILE]).astype(int),
            "population": pd.to_numeric(frame[F7_POPULATION]).astype(float),
            **{f"{d.key}_score": pd.to_numeric(frame[d.file7]) for d in (*iod.DOMAINS, *iod.SUPPLEMENTARY)},
        }
    )
    log.info("%s: %d LSOAs, population %d", F7, len(out), int(out["population"].sum()))
    return out.sort_values("lsoa_code").reset_index(drop=True)


def read_england_lsoa(ctx: BuildContext, geo: Geography) -> pd.DataFrame:
    """Every English LSOA 2021 (third-party copy of File 7): lsoa_code, imd_score/rank/decile, <domain>_score."""
    path = ctx.path(ENG25)
    layout = (
        "humaniverse/IMD table imd2025_england_lsoa21 as CSV "
        "(lsoa21_code, IMD_decile, IMD_rank, IMD_score, <Domain>_score)"
    )
    frame = read_file(pd.read_csv, path, source_id=ENG25, layout=layout, dtype={ENG_CODE: str})
    score_columns = [d.england for d in iod.DOMAINS]
    check_columns(
        frame,
        [ENG_CODE, ENG_IMD_SCORE, ENG_IMD_RANK, ENG_IMD_DECILE, *score_columns],
        file=path,
        source_id=ENG25,
        layout=layout,
    )
    check_codes(frame, ENG_CODE, kind="lsoa", file=path, source_id=ENG25)
    check_unique(frame, [ENG_CODE], file=path, source_id=ENG25)
    check_numeric(frame, [ENG_IMD_SCORE, ENG_IMD_RANK, ENG_IMD_DECILE, *score_columns], file=path, source_id=ENG25)
    iod.check_place_coverage(frame[ENG_CODE], geo.lsoa21_codes, what="2021 LSOAs", file=path, source_id=ENG25)
    iod.check_complete_ranking(frame[ENG_IMD_RANK], frame[ENG_IMD_DECILE], file=path, source_id=ENG25)
    out = pd.DataFrame(
        {
            "lsoa_code": frame[ENG_CODE],
            "imd_score": pd.to_numeric(frame[ENG_IMD_SCORE]),
            "imd_rank": pd.to_numeric(frame[ENG_IMD_RANK]).astype(int),
            "imd_decile": pd.to_numeric(frame[ENG_IMD_DECILE]).astype(int),
            **{f"{d.key}_score": pd.to_numeric(frame[d.england]) for d in iod.DOMAINS},
        }
    )
    log.info("%s: %d English LSOAs", ENG25, len(out))
    return out


def read_lad_summary(ctx: BuildContext) -> pd.Series:
    """The place's row of File 10 (LAD summaries): imd_average_score and the domains' average scores."""
    path = ctx.path(LAD25)
    layout = (
        "humaniverse/IMD table imd2025_england_ltla24 as CSV (ltla24_code, imd_average_score, <domain>_average_score)"
    )
    frame = read_file(pd.read_csv, path, source_id=LAD25, layout=layout, dtype={LAD_CODE: str})
    score_columns = [LAD_IMD_SCORE, *[d.lad for d in iod.DOMAINS]]
    check_columns(frame, [LAD_CODE, "ltla24_name", *score_columns], file=path, source_id=LAD25, layout=layout)
    check_codes(frame, LAD_CODE, kind="lad", file=path, source_id=LAD25)
    check_unique(frame, [LAD_CODE], file=path, source_id=LAD25)
    check_numeric(frame, score_columns, file=path, source_id=LAD25)
    rows = frame[frame[LAD_CODE] == ctx.place.lad_code]
    if rows.empty:
        raise DataError(
            source_id=LAD25,
            file=path,
            problem=f"no row for {ctx.place.lad_code} in '{LAD_CODE}' ({len(frame)} districts read)",
            fix="check lad_code in pipelines/place.toml (File 10 uses 2024 district codes) or download the file again",
        )
    return rows.iloc[0]


def decile_equivalent(scores: pd.Series, england: pd.DataFrame) -> pd.Series:
    """The England LSOA decile a score would fall in: decile d when the score is at least the lowest score of the
    English LSOAs whose official decile is d (checked from d = 1, most deprived, down); else 10."""
    cuts = england.groupby("imd_decile")["imd_score"].min().sort_index()
    out = pd.Series(10, index=scores.index, dtype="float64")
    for decile in sorted(cuts.index, reverse=True):  # 10 .. 1, so the most deprived decile that fits wins
        if decile < 10:
            out = out.where(~(scores >= cuts[decile]), float(decile))
    return out.where(scores.notna())


def stage_iod2025(
    ctx: BuildContext, geo: Geography, *, file7: pd.DataFrame, england: pd.DataFrame, lad: pd.Series
) -> list[pd.DataFrame]:
    """indicator_values rows of IoD2025 (period "2025")."""
    weights = geo.weights("2021")
    names = geo.lsoa21[["lsoa_code", "lsoa_name"]]
    out: list[pd.DataFrame] = []

    add = iod.value_collector(out, PERIOD)

    # IMD score: LSOA (File 7), ward (population-weighted), district (File 10), England (mean of LSOAs).
    ward_imd = population_weighted_mean(file7, weights, value_column="imd_score", population_column="population")
    add(iod.lsoa_frame(file7, names, "imd_score"), "imd2025_score", F7)
    add(iod.ward_frame(geo, ward_imd[["ward_code", "value"]]), "imd2025_score", F7, NO_WARD_LSOA)
    own_mean = float(np.average(file7["imd_score"], weights=file7["population"]))
    official = float(lad[LAD_IMD_SCORE])
    log.info(
        "imd2025: district average score %.3f (File 10); own population-weighted mean of File 7 %.3f",
        official,
        own_mean,
    )
    if abs(own_mean - official) > 0.01:
        log.warning(
            "imd2025: File 10 average score %.3f differs from the File 7 population-weighted mean %.3f",
            official,
            own_mean,
        )
    add(iod.one_row(ctx.place.lad_code, ctx.place.name, "lad", value=official), "imd2025_score", LAD25)
    add(
        iod.one_row(
            geo.england_code,
            ENGLAND_NAME,
            "england",
            value=england["imd_score"].mean(),
            value_note=f"unweighted mean of the scores of all {len(england):,} English LSOAs",
        ),
        "imd2025_score",
        ENG25,
    )

    # Decile: official at LSOA; England LSOA-decile equivalent of the ward and district scores.
    add(iod.lsoa_frame(file7, names, "imd_decile"), "imd2025_decile", F7)
    equivalent_note = "England LSOA-decile equivalent of the population-weighted average score (not an official decile)"
    ward_dec = ward_imd.assign(value=decile_equivalent(ward_imd["value"], england), value_note=equivalent_note)
    add(
        iod.ward_frame(geo, ward_dec[["ward_code", "value", "value_note"]]),
        "imd2025_decile",
        ENG25,
        NO_WARD_LSOA,
    )
    lad_dec = decile_equivalent(pd.Series([official]), england).iloc[0]
    add(
        iod.one_row(ctx.place.lad_code, ctx.place.name, "lad", value=lad_dec, value_note=equivalent_note),
        "imd2025_decile",
        ENG25,
    )

    add(iod.lsoa_frame(file7, names, "imd_rank"), "imd2025_rank", F7)

    # Share of residents in England's most deprived 10% / 20% of LSOAs.
    for max_decile, indicator_id in ((1, "imd2025_pct_most_deprived_10"), (2, "imd2025_pct_most_deprived_20")):
        add(iod.share_rows(file7, weights, max_decile=max_decile, geo=geo, place=ctx.place), indicator_id, F7)
        n_in = int((england["imd_decile"] <= max_decile).sum())
        add(
            iod.one_row(
                geo.england_code,
                ENGLAND_NAME,
                "england",
                value=100.0 * n_in / len(england),
                value_note=f"share of England's LSOAs ({n_in:,} of {len(england):,}), not of residents: "
                "LSOA populations "
                "for England are not held",
            ),
            indicator_id,
            ENG25,
        )

    # Domain scores (and the IDACI / IDAOPI supplementary indices at LSOA and ward only).
    for domain in (*iod.DOMAINS, *iod.SUPPLEMENTARY):
        column = f"{domain.key}_score"
        indicator_id = f"imd2025_{domain.key}_score"
        add(iod.lsoa_frame(file7, names, column), indicator_id, F7)
        ward = population_weighted_mean(file7, weights, value_column=column, population_column="population")
        add(iod.ward_frame(geo, ward[["ward_code", "value"]]), indicator_id, F7, NO_WARD_LSOA)
        if domain.lad is not None:
            add(
                iod.one_row(ctx.place.lad_code, ctx.place.name, "lad", value=float(lad[domain.lad])),
                indicator_id,
                LAD25,
            )
        if domain.england is not None:
            add(
                iod.one_row(
                    geo.england_code,
                    ENGLAND_NAME,
                    "england",
                    value=england[column].mean(),
                    value_note=f"unweighted mean of the scores of all {len(england):,} English LSOAs",
                ),
                indicator_id,
                ENG25,
            )
    return out


def check_file7_matches_england(file7: pd.DataFrame, england: pd.DataFrame, ctx: BuildContext) -> None:
    """The place's rows of File 7 and of the England-wide copy must hold the same scores, ranks and deciles."""
    merged = file7.merge(england, on="lsoa_code", suffixes=("_f7", "_eng"))
    columns = ["imd_score", "imd_rank", "imd_decile", *[f"{d.key}_score" for d in iod.DOMAINS]]
    problems = []
    for column in columns:
        differ = merged[(merged[f"{column}_f7"] - merged[f"{column}_eng"]).abs() > 1e-6]
        if len(differ):
            problems.append(f"{column} differs for {len(differ)} LSOAs (e.g. {list(differ['lsoa_code'][:3])})")
    if problems:
        raise DataError(
            source_id=ENG25,
            file=f"{ctx.path(F7)} and {ctx.path(ENG25)}",
            problem="File 7 and the England-wide table disagree for the place's LSOAs: " + "; ".join(problems),
            fix="both must come from the same IoD2025 release (File 7 of 30 October 2025); download them again",
        )


def build(ctx: BuildContext, geo: Geography) -> Parts:
    file7 = read_file7(ctx, geo)
    england = read_england_lsoa(ctx, geo)
    lad = read_lad_summary(ctx)
    check_file7_matches_england(file7, england, ctx)
    values = pd.concat(stage_iod2025(ctx, geo, file7=file7, england=england, lad=lad), ignore_index=True)
    ids = [
        "imd2025_score",
        "imd2025_decile",
        "imd2025_rank",
        "imd2025_pct_most_deprived_10",
        "imd2025_pct_most_deprived_20",
        *(f"imd2025_{d.key}_score" for d in (*iod.DOMAINS, *iod.SUPPLEMENTARY)),
    ]
    indicators = indicator_rows(ids, place=ctx.place, n_lsoa_england_2025=len(england))
    log.info("deprivation 2025: %d values, %d indicators", len(values), len(indicators))
    return Parts(values=values, indicators=indicators)
