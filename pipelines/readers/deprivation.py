"""Deprivation: the English Indices of Deprivation 2025 and 2019 for the place's LSOAs, wards, district and England.

Two releases on two geographies, never joined on LSOA code:

- IoD2025 (period "2025"): LSOA 2021 boundaries, mid-2022 populations. The place's rows of the
  official File 7 give LSOA scores, ranks, deciles and populations; the third-party
  (humaniverse/IMD) copy of File 7 for all of England gives the national distribution
  (decile cut points, England means); File 10 (LAD summaries, same third-party package) gives the
  district's official average scores.
- IoD2019 (period "2019"): LSOA 2011 boundaries, mid-2015 populations. Official ranks and deciles
  (File 1, File 2 and the ONS lookup, which must agree), populations (File 6), and a third-party
  population-weighted aggregation of the official LSOA scores to 2019 wards (humaniverse/IMD).
  IoD2019 LSOA scores are not held, so no 2019 LSOA score is produced.

Every file is checked where it is read: its official column names, well-formed area codes, the
place's LSOAs all present and no LSOA of another vintage among the place's rows.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from pipelines.context import BuildContext
from pipelines.errors import DataError
from pipelines.estimates import apportion_counts, population_weighted_mean
from pipelines.tidy import Parts, make_values
from pipelines.validate import check_codes, check_columns, check_numeric, check_row_count, check_unique, read_file

log = logging.getLogger(__name__)

TOPIC = "Deprivation"
P2025 = "2025"
P2019 = "2019"

F7 = "iod2025-file7"
ENG25 = "iod2025-england-lsoa"
LAD25 = "iod2025-lad-summaries"
F1 = "iod2019-file1"
F2 = "iod2019-file2"
F6 = "iod2019-file6"
LOOKUP19 = "ons-imd2019-lookup"
WARD19 = "imd2019-ward-humaniverse"

# IoD2025 File 7 (official header).
F7_CODE = "LSOA code (2021)"
F7_NAME = "LSOA name (2021)"
F7_LAD = "Local Authority District code (2024)"
F7_IMD_SCORE = "Index of Multiple Deprivation (IMD) Score"
F7_IMD_RANK = "Index of Multiple Deprivation (IMD) Rank (where 1 is most deprived)"
F7_IMD_DECILE = "Index of Multiple Deprivation (IMD) Decile (where 1 is most deprived 10% of LSOAs)"
F7_POPULATION = "Total population: mid 2022"

# IoD2019 Files 1, 2, 6 and the ONS lookup (official headers).
F19_CODE = "LSOA code (2011)"
F19_LAD = "Local Authority District code (2019)"
F1_RANK = "Index of Multiple Deprivation (IMD) Rank"
F1_DECILE = "Index of Multiple Deprivation (IMD) Decile"
F1_SHEET = "IMD2019"
F2_RANK = "Index of Multiple Deprivation (IMD) Rank (where 1 is most deprived)"
F2_DECILE = "Index of Multiple Deprivation (IMD) Decile (where 1 is most deprived 10% of LSOAs)"
F6_POPULATION = "Total population: mid 2015 (excluding prisoners)"
LOOKUP_CODE, LOOKUP_LAD, LOOKUP_RANK = "LSOA11CD", "LAD19CD", "IMD19"

VINTAGE_NOTE = (
    "IoD2019 uses LSOA 2011 boundaries and mid-2015 populations; IoD2025 uses LSOA 2021 boundaries and mid-2022 "
    "populations, so 2019 and 2025 LSOA values are never joined on LSOA code (the 2021 revision split and merged "
    "LSOAs: for example the 2011 LSOA E01033231, Hyndburn 006H, became the 2021 LSOAs E01034335 and E01034336)."
)
NO_CI = "No confidence interval: the indices classify every LSOA, they are not a sample estimate."


@dataclass(frozen=True)
class Domain:
    """One index of IoD2025/2019 and where its score sits in each file (None: not in that file)."""

    key: str
    label: str
    file7: str
    england: str | None
    lad: str | None
    ward19: str | None
    unit: str
    decimals: int


DOMAINS = (
    Domain(
        "income",
        "Income",
        "Income Score (rate)",
        "Income_score",
        "income_average_score",
        "Income_Score",
        "rate (share of residents who are income-deprived, 0-1)",
        3,
    ),
    Domain(
        "employment",
        "Employment",
        "Employment Score (rate)",
        "Employment_score",
        "employment_average_score",
        "Employment_Score",
        "rate (share of working-age residents who are employment-deprived, 0-1)",
        3,
    ),
    Domain(
        "education",
        "Education, Skills and Training",
        "Education, Skills and Training Score",
        "Education_score",
        "education_skills_and_training_average_score",
        "Education_Score",
        "score",
        2,
    ),
    Domain(
        "health",
        "Health Deprivation and Disability",
        "Health Deprivation and Disability Score",
        "Health_score",
        "health_deprivation_and_disability_average_score",
        "Health_Score",
        "score (standardised, 0 = England average)",
        3,
    ),
    Domain(
        "crime",
        "Crime",
        "Crime Score",
        "Crime_score",
        "crime_average_score",
        "Crime_Score",
        "score (standardised, 0 = England average)",
        3,
    ),
    Domain(
        "housing",
        "Barriers to Housing and Services",
        "Barriers to Housing and Services Score",
        "Housing_and_Services_score",
        "barriers_to_housing_and_services_average_score",
        "Housing_and_Access_Score",
        "score",
        2,
    ),
    Domain(
        "environment",
        "Living Environment",
        "Living Environment Score",
        "Environment_score",
        "living_environment_average_score",
        "Environment_Score",
        "score",
        2,
    ),
)
SUPPLEMENTARY = (
    Domain(
        "idaci",
        "Income Deprivation Affecting Children Index (IDACI)",
        "Income Deprivation Affecting Children Index (IDACI) Score (rate)",
        None,
        None,
        None,
        "rate (share of children aged 0-15 in income-deprived families, 0-1)",
        3,
    ),
    Domain(
        "idaopi",
        "Income Deprivation Affecting Older People Index (IDAOPI)",
        "Income Deprivation Affecting Older People (IDAOPI) Score (rate)",
        None,
        None,
        None,
        "rate (share of people aged 60 and over who are income-deprived, 0-1)",
        3,
    ),
)
ENG_IMD_SCORE, ENG_IMD_RANK, ENG_IMD_DECILE, ENG_CODE = "IMD_score", "IMD_rank", "IMD_decile", "lsoa21_code"
LAD_CODE, LAD_IMD_SCORE = "ltla24_code", "imd_average_score"
WARD19_CODE, WARD19_SCORE = "ward_code", "Score"


# --------------------------------------------------------------------------------------------
# read_*: one function per file; each returns a frame in our names or raises a DataError.


def _check_place_coverage(present: pd.Series, expected: list[str], *, what: str, file: Path, source_id: str) -> None:
    missing = sorted(set(expected) - set(present))
    if missing:
        raise DataError(
            source_id=source_id,
            file=file,
            problem=f"{len(missing)} of the place's {len(expected)} {what} are missing (e.g. {missing[:5]})",
            fix="use the complete file for the release registered in pipelines/sources.toml (a subset for another place or "
            "another LSOA vintage will not do)",
        )


def read_file7(ctx: BuildContext) -> pd.DataFrame:
    """The place's LSOAs from IoD2025 File 7: lsoa_code, lsoa_name, imd_score/rank/decile, <domain>_score, population."""
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
    score_columns = [d.file7 for d in (*DOMAINS, *SUPPLEMENTARY)]
    check_columns(
        frame,
        [F7_CODE, F7_NAME, F7_LAD, F7_IMD_SCORE, F7_IMD_RANK, F7_IMD_DECILE, *score_columns, F7_POPULATION],
        file=path,
        source_id=F7,
        layout=layout,
    )
    frame = frame[frame[F7_LAD] == ctx.place.lad_code]
    check_row_count(frame, minimum=1, what=f"rows with '{F7_LAD}' = {ctx.place.lad_code}", file=path, source_id=F7)
    check_codes(frame, F7_CODE, kind="lsoa", file=path, source_id=F7, allowed=ctx.lsoa21_codes)
    check_unique(frame, [F7_CODE], file=path, source_id=F7)
    _check_place_coverage(frame[F7_CODE], ctx.lsoa21_codes, what="2021 LSOAs", file=path, source_id=F7)
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
            **{f"{d.key}_score": pd.to_numeric(frame[d.file7]) for d in (*DOMAINS, *SUPPLEMENTARY)},
        }
    )
    log.info("%s: %d LSOAs, population %d", F7, len(out), int(out["population"].sum()))
    return out.sort_values("lsoa_code").reset_index(drop=True)


def read_england_lsoa(ctx: BuildContext) -> pd.DataFrame:
    """Every English LSOA 2021 (third-party copy of File 7): lsoa_code, imd_score/rank/decile, <domain>_score."""
    path = ctx.path(ENG25)
    layout = "humaniverse/IMD table imd2025_england_lsoa21 as CSV (lsoa21_code, IMD_decile, IMD_rank, IMD_score, <Domain>_score)"
    frame = read_file(pd.read_csv, path, source_id=ENG25, layout=layout, dtype={ENG_CODE: str})
    score_columns = [d.england for d in DOMAINS]
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
    _check_place_coverage(frame[ENG_CODE], ctx.lsoa21_codes, what="2021 LSOAs", file=path, source_id=ENG25)
    _check_complete_ranking(frame[ENG_IMD_RANK], frame[ENG_IMD_DECILE], file=path, source_id=ENG25)
    out = pd.DataFrame(
        {
            "lsoa_code": frame[ENG_CODE],
            "imd_score": pd.to_numeric(frame[ENG_IMD_SCORE]),
            "imd_rank": pd.to_numeric(frame[ENG_IMD_RANK]).astype(int),
            "imd_decile": pd.to_numeric(frame[ENG_IMD_DECILE]).astype(int),
            **{f"{d.key}_score": pd.to_numeric(frame[d.england]) for d in DOMAINS},
        }
    )
    log.info("%s: %d English LSOAs", ENG25, len(out))
    return out


def _check_complete_ranking(rank: pd.Series, decile: pd.Series, *, file: Path, source_id: str) -> None:
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


def read_lad_summary(ctx: BuildContext) -> pd.Series:
    """The place's row of File 10 (LAD summaries): imd_average_score and the domains' average scores."""
    path = ctx.path(LAD25)
    layout = (
        "humaniverse/IMD table imd2025_england_ltla24 as CSV (ltla24_code, imd_average_score, <domain>_average_score)"
    )
    frame = read_file(pd.read_csv, path, source_id=LAD25, layout=layout, dtype={LAD_CODE: str})
    score_columns = [LAD_IMD_SCORE, *[d.lad for d in DOMAINS]]
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


def read_imd2019_lsoa(ctx: BuildContext) -> pd.DataFrame:
    """Every English LSOA 2011: lsoa_code, lad_code, imd_rank, imd_decile, population (mid-2015).

    Ranks and deciles come from File 1 and must equal File 2's; ranks must equal the ONS lookup's.
    """
    p1, p2, p6, pl = ctx.path(F1), ctx.path(F2), ctx.path(F6), ctx.path(LOOKUP19)
    layout1 = f"IoD2019 File 1 workbook, sheet '{F1_SHEET}' (columns '{F19_CODE}', '{F1_RANK}', '{F1_DECILE}')"
    f1 = read_file(
        pd.read_excel, p1, source_id=F1, layout=layout1, sheet_name=F1_SHEET, dtype={F19_CODE: str, F19_LAD: str}
    )
    check_columns(f1, [F19_CODE, F19_LAD, F1_RANK, F1_DECILE], file=p1, source_id=F1, layout=layout1)
    layout2 = "IoD2019 File 2 CSV export (official header, UTF-8 with BOM, thousands separators)"
    f2 = read_file(
        pd.read_csv,
        p2,
        source_id=F2,
        layout=layout2,
        encoding="utf-8-sig",
        thousands=",",
        dtype={F19_CODE: str, F19_LAD: str},
    )
    check_columns(f2, [F19_CODE, F19_LAD, F2_RANK, F2_DECILE], file=p2, source_id=F2, layout=layout2)
    layout6 = "IoD2019 File 6 CSV export (official header, UTF-8 with BOM, thousands separators)"
    f6 = read_file(
        pd.read_csv,
        p6,
        source_id=F6,
        layout=layout6,
        encoding="utf-8-sig",
        thousands=",",
        dtype={F19_CODE: str, F19_LAD: str},
    )
    check_columns(f6, [F19_CODE, F19_LAD, F6_POPULATION], file=p6, source_id=F6, layout=layout6)
    layoutl = "ONS IMD (December 2019) lookup CSV (LSOA11CD, LAD19CD, IMD19)"
    lookup = read_file(
        pd.read_csv,
        pl,
        source_id=LOOKUP19,
        layout=layoutl,
        encoding="utf-8-sig",
        dtype={LOOKUP_CODE: str, LOOKUP_LAD: str},
    )
    check_columns(lookup, [LOOKUP_CODE, LOOKUP_LAD, LOOKUP_RANK], file=pl, source_id=LOOKUP19, layout=layoutl)

    for frame, code, lad, path, source_id, numeric in (
        (f1, F19_CODE, F19_LAD, p1, F1, [F1_RANK, F1_DECILE]),
        (f2, F19_CODE, F19_LAD, p2, F2, [F2_RANK, F2_DECILE]),
        (f6, F19_CODE, F19_LAD, p6, F6, [F6_POPULATION]),
        (lookup, LOOKUP_CODE, LOOKUP_LAD, pl, LOOKUP19, [LOOKUP_RANK]),
    ):
        check_codes(frame, code, kind="lsoa", file=path, source_id=source_id)
        check_unique(frame, [code], file=path, source_id=source_id)
        check_numeric(frame, numeric, file=path, source_id=source_id, min_value=0)
        _check_place_coverage(frame[code], ctx.lsoa11_codes, what="2011 LSOAs", file=path, source_id=source_id)
        place_rows = frame[frame[lad] == ctx.place.lad_code]
        check_codes(place_rows, code, kind="lsoa", file=path, source_id=source_id, allowed=ctx.lsoa11_codes)
    _check_complete_ranking(f1[F1_RANK], f1[F1_DECILE], file=p1, source_id=F1)

    out = f1[[F19_CODE, F19_LAD, F1_RANK, F1_DECILE]].set_axis(
        ["lsoa_code", "lad_code", "imd_rank", "imd_decile"], axis=1
    )
    _check_agreement(
        out,
        f2[[F19_CODE, F2_RANK, F2_DECILE]].set_axis(["lsoa_code", "imd_rank", "imd_decile"], axis=1),
        columns=["imd_rank", "imd_decile"],
        files=(p1, p2),
        source_id=F2,
    )
    _check_agreement(
        out,
        lookup[[LOOKUP_CODE, LOOKUP_RANK]].set_axis(["lsoa_code", "imd_rank"], axis=1),
        columns=["imd_rank"],
        files=(p1, pl),
        source_id=LOOKUP19,
    )
    population = f6[[F19_CODE, F6_POPULATION]].set_axis(["lsoa_code", "population"], axis=1)
    out = out.merge(population, on="lsoa_code", how="left", validate="one_to_one")
    if out["population"].isna().any():
        missing = list(out.loc[out["population"].isna(), "lsoa_code"][:5])
        raise DataError(
            source_id=F6,
            file=p6,
            problem=f"{int(out['population'].isna().sum())} LSOAs of File 1 have no population (e.g. {missing})",
            fix="use the complete File 6 of the same release",
        )
    out["imd_rank"] = pd.to_numeric(out["imd_rank"]).astype(int)
    out["imd_decile"] = pd.to_numeric(out["imd_decile"]).astype(int)
    out["population"] = pd.to_numeric(out["population"]).astype(float)
    log.info("IoD2019: %d English LSOAs; ranks agree across File 1, File 2 and the ONS lookup", len(out))
    return out


def _check_agreement(
    left: pd.DataFrame, right: pd.DataFrame, *, columns: list[str], files: tuple[Path, Path], source_id: str
) -> None:
    """Same LSOAs and the same values in ``columns`` in two files of one release, else one DataError listing it all."""
    merged = left.merge(right, on="lsoa_code", how="outer", suffixes=("_a", "_b"), indicator=True)
    problems = []
    only_a = merged.loc[merged["_merge"] == "left_only", "lsoa_code"]
    only_b = merged.loc[merged["_merge"] == "right_only", "lsoa_code"]
    if len(only_a):
        problems.append(f"{len(only_a)} LSOAs only in {files[0].name} (e.g. {list(only_a[:3])})")
    if len(only_b):
        problems.append(f"{len(only_b)} LSOAs only in {files[1].name} (e.g. {list(only_b[:3])})")
    both = merged[merged["_merge"] == "both"]
    for column in columns:
        a = pd.to_numeric(both[f"{column}_a"])
        b = pd.to_numeric(both[f"{column}_b"])
        differ = both[a != b]
        if len(differ):
            examples = [
                f"{r.lsoa_code}: {getattr(r, column + '_a')} vs {getattr(r, column + '_b')}"
                for r in differ.head(3).itertuples()
            ]
            problems.append(
                f"{len(differ)} LSOAs whose {column.replace('imd_', 'IMD ')} differs ({'; '.join(examples)})"
            )
    if problems:
        raise DataError(
            source_id=source_id,
            file=f"{files[0]} and {files[1]}",
            problem="the two files of IoD2019 disagree: " + "; ".join(problems),
            fix="both must be the unmodified files of the IoD2019 release (26 September 2019); download them again",
        )


def read_ward2019(ctx: BuildContext) -> pd.DataFrame:
    """IoD2019 aggregated to 2019 wards (humaniverse/IMD): ward_code, imd_score, <domain>_score for every English ward."""
    path = ctx.path(WARD19)
    layout = "humaniverse/IMD imd_england_ward.csv (ward_code, Score, <Domain>_Score)"
    frame = read_file(pd.read_csv, path, source_id=WARD19, layout=layout, dtype={WARD19_CODE: str})
    score_columns = [WARD19_SCORE, *[d.ward19 for d in DOMAINS]]
    check_columns(frame, [WARD19_CODE, *score_columns], file=path, source_id=WARD19, layout=layout)
    check_codes(frame, WARD19_CODE, kind="ward", file=path, source_id=WARD19)
    check_unique(frame, [WARD19_CODE], file=path, source_id=WARD19)
    check_numeric(frame, score_columns, file=path, source_id=WARD19)
    out = pd.DataFrame(
        {
            "ward_code": frame[WARD19_CODE],
            "imd_score": pd.to_numeric(frame[WARD19_SCORE]),
            **{f"{d.key}_score": pd.to_numeric(frame[d.ward19]) for d in DOMAINS},
        }
    )
    out["imd_rank_ward"] = out["imd_score"].rank(ascending=False, method="min").astype(int)
    missing = sorted(set(ctx.ward_codes) - set(out["ward_code"]))
    if missing:
        log.warning(
            "%s: %d of the place's wards are not in the 2019 ward table (new codes since 2019?): %s",
            WARD19,
            len(missing),
            missing,
        )
    log.info("%s: %d English wards", WARD19, len(out))
    return out


# --------------------------------------------------------------------------------------------
# build_*: pure, frames in and frames out.


def decile_equivalent(scores: pd.Series, england: pd.DataFrame) -> pd.Series:
    """The England LSOA decile a score would fall in: decile d when the score is at least the lowest score of the
    English LSOAs whose official decile is d (checked from d = 1, most deprived, down); else 10."""
    cuts = england.groupby("imd_decile")["imd_score"].min().sort_index()
    out = pd.Series(10, index=scores.index, dtype="float64")
    for decile in sorted(cuts.index, reverse=True):  # 10 .. 1, so the most deprived decile that fits wins
        if decile < 10:
            out = out.where(~(scores >= cuts[decile]), float(decile))
    return out.where(scores.notna())


def _ward_frame(ctx: BuildContext, values: pd.DataFrame) -> pd.DataFrame:
    """One row per ward of the place (ward_code -> area_code, area_name, area_type) joined to ``values`` on ward_code."""
    wards = ctx.wards.rename(columns={"ward_code": "area_code", "ward_name": "area_name"})[["area_code", "area_name"]]
    out = wards.merge(values.rename(columns={"ward_code": "area_code"}), on="area_code", how="left")
    out["area_type"] = "ward"
    return out


def _one(area_code: str, area_name: str, area_type: str, **columns) -> pd.DataFrame:
    return pd.DataFrame([{"area_code": area_code, "area_name": area_name, "area_type": area_type, **columns}])


def _note_missing(frame: pd.DataFrame, note: str) -> pd.DataFrame:
    out = frame.copy()
    if "value_note" not in out.columns:
        out["value_note"] = None
    out["value_note"] = out["value_note"].where(out["value"].notna() | out["value_note"].notna(), note)
    return out


def _lsoa_frame(lsoas: pd.DataFrame, names: pd.DataFrame, value_column: str) -> pd.DataFrame:
    out = lsoas[["lsoa_code", value_column]].rename(columns={"lsoa_code": "area_code", value_column: "value"})
    out = out.merge(
        names.rename(columns={"lsoa_code": "area_code", "lsoa_name": "area_name"})[["area_code", "area_name"]],
        on="area_code",
        how="left",
    )
    out["area_type"] = "lsoa"
    return out


def _share_rows(lsoas: pd.DataFrame, weights: pd.DataFrame, *, max_decile: int, ctx: BuildContext) -> pd.DataFrame:
    """Ward and district rows: residents of LSOAs in deciles 1..max_decile, whole people split by the LSOA weights."""
    counts = lsoas.assign(in_deprived=lsoas["population"].where(lsoas["imd_decile"] <= max_decile, 0.0))
    ward = apportion_counts(counts, weights, value_columns=["in_deprived", "population"])
    ward = ward.rename(columns={"in_deprived": "count", "population": "denominator"})
    ward_rows = _ward_frame(ctx, ward)
    lad_rows = _one(
        ctx.place.lad_code,
        ctx.place.name,
        "lad",
        count=counts["in_deprived"].sum(),
        denominator=counts["population"].sum(),
    )
    rows = pd.concat([ward_rows, lad_rows], ignore_index=True)
    with np.errstate(divide="ignore", invalid="ignore"):
        rows["value"] = (100.0 * rows["count"] / rows["denominator"]).where(rows["denominator"] > 0)
    return _note_missing(rows, "no resident population in the LSOAs of this area")


def build_iod2025(
    ctx: BuildContext, *, file7: pd.DataFrame, england: pd.DataFrame, lad: pd.Series
) -> list[pd.DataFrame]:
    """indicator_values rows of IoD2025 (period "2025")."""
    src7 = F7 if ctx.held(F7) else ENG25  # File 7's rows, or the England-wide copy when File 7 is not held
    if ctx.held(F7):
        _check_file7_matches_england(file7, england, ctx)
    weights = ctx.weights("2021")
    names = ctx.lsoa21[["lsoa_code", "lsoa_name"]]
    out: list[pd.DataFrame] = []

    def add(
        frame: pd.DataFrame, indicator_id: str, source_id: str, missing_note: str = "not available for this area"
    ) -> None:
        out.append(
            make_values(
                _note_missing(frame, missing_note), indicator_id=indicator_id, period=P2025, source_id=source_id
            )
        )

    # IMD score: LSOA (File 7), ward (population-weighted), district (File 10), England (mean of LSOAs).
    ward_imd = population_weighted_mean(file7, weights, value_column="imd_score", population_column="population")
    add(_lsoa_frame(file7, names, "imd_score"), "imd2025_score", src7)
    add(
        _ward_frame(ctx, ward_imd[["ward_code", "value"]]), "imd2025_score", src7, "no LSOA of File 7 lies in this ward"
    )
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
    add(_one(ctx.place.lad_code, ctx.place.name, "lad", value=official), "imd2025_score", LAD25)
    add(
        _one(
            ctx.england_code,
            "England",
            "england",
            value=england["imd_score"].mean(),
            value_note=f"unweighted mean of the scores of all {len(england):,} English LSOAs",
        ),
        "imd2025_score",
        ENG25,
    )

    # Decile: official at LSOA; England LSOA-decile equivalent of the ward and district scores.
    add(_lsoa_frame(file7, names, "imd_decile"), "imd2025_decile", src7)
    equivalent_note = "England LSOA-decile equivalent of the population-weighted average score (not an official decile)"
    ward_dec = ward_imd.assign(value=decile_equivalent(ward_imd["value"], england), value_note=equivalent_note)
    add(
        _ward_frame(ctx, ward_dec[["ward_code", "value", "value_note"]]),
        "imd2025_decile",
        ENG25,
        "no LSOA of File 7 lies in this ward",
    )
    lad_dec = decile_equivalent(pd.Series([official]), england).iloc[0]
    add(
        _one(ctx.place.lad_code, ctx.place.name, "lad", value=lad_dec, value_note=equivalent_note),
        "imd2025_decile",
        ENG25,
    )

    add(_lsoa_frame(file7, names, "imd_rank"), "imd2025_rank", src7)

    # Share of residents in England's most deprived 10% / 20% of LSOAs.
    for max_decile, indicator_id in ((1, "imd2025_pct_most_deprived_10"), (2, "imd2025_pct_most_deprived_20")):
        add(_share_rows(file7, weights, max_decile=max_decile, ctx=ctx), indicator_id, src7)
        n_in = int((england["imd_decile"] <= max_decile).sum())
        add(
            _one(
                ctx.england_code,
                "England",
                "england",
                value=100.0 * n_in / len(england),
                value_note=f"share of England's LSOAs ({n_in:,} of {len(england):,}), not of residents: LSOA populations "
                "for England are not held",
            ),
            indicator_id,
            ENG25,
        )

    # Domain scores (and the IDACI / IDAOPI supplementary indices at LSOA and ward only).
    for domain in (*DOMAINS, *(SUPPLEMENTARY if ctx.held(F7) else ())):  # IDACI/IDAOPI only in File 7
        column = f"{domain.key}_score"
        indicator_id = f"imd2025_{domain.key}_score"
        add(_lsoa_frame(file7, names, column), indicator_id, src7)
        ward = population_weighted_mean(file7, weights, value_column=column, population_column="population")
        add(_ward_frame(ctx, ward[["ward_code", "value"]]), indicator_id, src7, "no LSOA of File 7 lies in this ward")
        if domain.lad is not None:
            add(_one(ctx.place.lad_code, ctx.place.name, "lad", value=float(lad[domain.lad])), indicator_id, LAD25)
        if domain.england is not None:
            add(
                _one(
                    ctx.england_code,
                    "England",
                    "england",
                    value=england[column].mean(),
                    value_note=f"unweighted mean of the scores of all {len(england):,} English LSOAs",
                ),
                indicator_id,
                ENG25,
            )
    return out


def _check_file7_matches_england(file7: pd.DataFrame, england: pd.DataFrame, ctx: BuildContext) -> None:
    """The place's rows of File 7 and of the England-wide copy must hold the same scores, ranks and deciles."""
    merged = file7.merge(england, on="lsoa_code", suffixes=("_f7", "_eng"))
    columns = ["imd_score", "imd_rank", "imd_decile", *[f"{d.key}_score" for d in DOMAINS]]
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


def build_iod2019(ctx: BuildContext, *, lsoa: pd.DataFrame, wards19: pd.DataFrame) -> list[pd.DataFrame]:
    """indicator_values rows of IoD2019 (period "2019")."""
    place = lsoa[lsoa["lsoa_code"].isin(ctx.lsoa11_codes)]
    names = ctx.lsoa11[["lsoa_code", "lsoa_name"]]
    weights = ctx.weights("2011")
    out: list[pd.DataFrame] = []

    def add(
        frame: pd.DataFrame, indicator_id: str, source_id: str, missing_note: str = "not available for this area"
    ) -> None:
        out.append(
            make_values(
                _note_missing(frame, missing_note), indicator_id=indicator_id, period=P2019, source_id=source_id
            )
        )

    add(_lsoa_frame(place, names, "imd_decile"), "imd2019_decile", F1)
    add(_lsoa_frame(place, names, "imd_rank"), "imd2019_rank", F1)

    total = lsoa["population"].sum()
    for max_decile, indicator_id in ((1, "imd2019_pct_most_deprived_10"), (2, "imd2019_pct_most_deprived_20")):
        add(_share_rows(place, weights, max_decile=max_decile, ctx=ctx), indicator_id, F6)
        n_in = lsoa.loc[lsoa["imd_decile"] <= max_decile, "population"].sum()
        add(
            _one(ctx.england_code, "England", "england", value=100.0 * n_in / total, count=n_in, denominator=total),
            indicator_id,
            F6,
        )

    not_in_table = "ward code not in the 2019 ward table (the ward is new or changed since 2019)"
    add(
        _ward_frame(ctx, wards19[["ward_code", "imd_score"]].rename(columns={"imd_score": "value"})),
        "imd2019_score",
        WARD19,
        not_in_table,
    )
    ranks = wards19[["ward_code", "imd_rank_ward"]].rename(columns={"imd_rank_ward": "value"})
    ranks["value_note"] = f"rank of {len(wards19):,} English wards by population-weighted IMD 2019 score"
    add(_ward_frame(ctx, ranks), "imd2019_rank_ward", WARD19, not_in_table)
    for domain in DOMAINS:
        column = f"{domain.key}_score"
        add(
            _ward_frame(ctx, wards19[["ward_code", column]].rename(columns={column: "value"})),
            f"imd2019_{domain.key}_score",
            WARD19,
            not_in_table,
        )
    return out


# --------------------------------------------------------------------------------------------
# Indicator metadata.


def _meta(indicator_id: str, **fields) -> dict:
    return {"indicator_id": indicator_id, "topic": TOPIC, **fields}


def indicator_metadata(*, n_england_2025: int) -> list[dict]:
    pop_weighted_2025 = (
        "Ward: population-weighted mean of the LSOA values of File 7, each LSOA's mid-2022 population ('Total population: "
        "mid 2022') split between wards by the LSOA-to-ward weights (the published IoD method for larger areas). "
    )
    england_mean = (
        f"England: unweighted mean of the scores of all {n_england_2025:,} English LSOAs (third-party copy of File 7), "
        "since LSOA populations for England are not held; the official population-weighted England figure may differ slightly."
    )
    decile_rank_2019 = (
        "Official IoD2019 File 1 value for each LSOA 2011 of the place, checked to equal File 2 and the ONS IMD (December "
        "2019) lookup (the build stops if they differ). "
    )
    meta = [
        _meta(
            "imd2025_score",
            name="Index of Multiple Deprivation 2025 score",
            unit="score",
            value_type="score",
            polarity="lower_is_better",
            decimals=2,
            lsoa_vintage="2021",
            source_id=F7,
            ward_method="population-weighted",
            definition="IoD2025 Index of Multiple Deprivation score: a weighted combination of 7 domains of deprivation "
            "(higher = more deprived).",
            method="LSOA: official File 7 score. "
            + pop_weighted_2025
            + "District: the official File 10 'average score' "
            "(population-weighted mean of the district's LSOA scores, as published). " + england_mean,
        ),
        _meta(
            "imd2025_decile",
            name="Index of Multiple Deprivation 2025 decile",
            unit="decile (1 = most deprived 10% of English LSOAs)",
            value_type="decile",
            polarity="higher_is_better",
            decimals=0,
            lsoa_vintage="2021",
            source_id=F7,
            ward_method="population-weighted",
            definition="Decile of England's LSOAs ranked by IMD 2025 score; 1 = the most deprived 10%.",
            method="LSOA: official File 7 decile. Ward and district: England LSOA-decile equivalent, not an official decile: "
            "the decile an LSOA with the area's population-weighted score (ward: own calculation from File 7; district: "
            "File 10 average score) would fall in, using the lowest score of each official decile among all English LSOAs "
            "(third-party copy of File 7) as cut points. A ward in decile 1 is as deprived on average as England's most "
            "deprived 10% of LSOAs; it does not mean it is among the most deprived 10% of wards.",
        ),
        _meta(
            "imd2025_rank",
            name="Index of Multiple Deprivation 2025 rank",
            unit=f"rank of {n_england_2025:,} LSOAs (1 = most deprived)",
            value_type="rank",
            polarity="higher_is_better",
            decimals=0,
            lsoa_vintage="2021",
            source_id=F7,
            ward_method="not-available",
            definition="Rank of the LSOA among all English LSOAs by IMD 2025 score; 1 = most deprived.",
            method="Official File 7 rank. LSOA only: ranks do not average to wards.",
        ),
    ]
    for pct, max_decile in ((10, 1), (20, 2)):
        deciles = "decile 1" if max_decile == 1 else "deciles 1-2"
        meta.append(
            _meta(
                f"imd2025_pct_most_deprived_{pct}",
                name=f"Residents in England's most deprived {pct}% of LSOAs (IMD 2025)",
                unit="%",
                value_type="percentage",
                polarity="lower_is_better",
                decimals=1,
                lsoa_vintage="2021",
                source_id=F7,
                ward_method="population-weighted",
                definition=f"Percentage of residents (mid-2022) living in LSOAs in England's most deprived {pct}% by IMD 2025 "
                f"({deciles}).",
                method="Ward and district: count = mid-2022 residents (File 7) of LSOAs in "
                + deciles
                + ", denominator = all "
                "residents; split LSOAs are shared between wards by the LSOA-to-ward weights in whole people. England: the "
                f"share of English LSOAs in {deciles} (by construction about {pct}%), because LSOA populations for England are "
                "not held. " + NO_CI,
            )
        )
    for domain in (*DOMAINS, *SUPPLEMENTARY):
        where = "LSOA, ward"
        if domain.lad is not None:
            where += ", district (official File 10 average score)"
        if domain.england is not None:
            where += ", England (unweighted mean of LSOA scores)"
        meta.append(
            _meta(
                f"imd2025_{domain.key}_score",
                name=f"{domain.label} score (IoD2025)",
                unit=domain.unit,
                value_type="score",
                polarity="lower_is_better",
                decimals=domain.decimals,
                lsoa_vintage="2021",
                source_id=F7,
                ward_method="population-weighted",
                definition=f"IoD2025 {domain.label} {'index' if domain in SUPPLEMENTARY else 'domain'} score (higher = more deprived).",
                method=f"Areas: {where}. LSOA: official File 7 score. "
                + pop_weighted_2025
                + (england_mean if domain.england is not None else ""),
            )
        )
    meta += [
        _meta(
            "imd2019_score",
            name="Index of Multiple Deprivation 2019 score",
            unit="score",
            value_type="score",
            polarity="lower_is_better",
            decimals=2,
            source_id=WARD19,
            ward_method="population-weighted",
            definition="IoD2019 Index of Multiple Deprivation score for the ward (higher = more deprived).",
            method="Third-party aggregation (humaniverse/IMD) of the official IoD2019 File 7 LSOA scores to 2019 wards: "
            "population-weighted mean (mid-2015 populations), LSOAs placed by the ONS LSOA 2011 to ward 2019 best-fit lookup. "
            "Not an MHCLG product. Ward codes are those of 2019; a ward whose code changed since has no value. IoD2019 LSOA "
            "scores are not held, so there is no LSOA or district 2019 score. " + VINTAGE_NOTE,
        ),
        _meta(
            "imd2019_rank_ward",
            name="Ward rank by IMD 2019 score",
            unit="rank of English wards (1 = most deprived)",
            value_type="rank",
            polarity="higher_is_better",
            decimals=0,
            source_id=WARD19,
            ward_method="population-weighted",
            definition="Rank of the ward among all English 2019 wards by its population-weighted IMD 2019 score; 1 = most deprived.",
            method="Own ranking (ties share the best rank) of the Score column of the third-party humaniverse/IMD ward table. "
            "Not an official rank.",
        ),
        _meta(
            "imd2019_decile",
            name="Index of Multiple Deprivation 2019 decile",
            unit="decile (1 = most deprived 10% of English LSOAs)",
            value_type="decile",
            polarity="higher_is_better",
            decimals=0,
            lsoa_vintage="2011",
            source_id=F1,
            ward_method="not-available",
            definition="Decile of England's LSOAs (2011) ranked by IMD 2019 score; 1 = the most deprived 10%.",
            method=decile_rank_2019 + VINTAGE_NOTE,
        ),
        _meta(
            "imd2019_rank",
            name="Index of Multiple Deprivation 2019 rank",
            unit="rank of 32,844 LSOAs (1 = most deprived)",
            value_type="rank",
            polarity="higher_is_better",
            decimals=0,
            lsoa_vintage="2011",
            source_id=F1,
            ward_method="not-available",
            definition="Rank of the LSOA (2011) among all English LSOAs by IMD 2019 score; 1 = most deprived.",
            method=decile_rank_2019 + VINTAGE_NOTE,
        ),
    ]
    for pct, max_decile in ((10, 1), (20, 2)):
        deciles = "decile 1" if max_decile == 1 else "deciles 1-2"
        meta.append(
            _meta(
                f"imd2019_pct_most_deprived_{pct}",
                name=f"Residents in England's most deprived {pct}% of LSOAs (IMD 2019)",
                unit="%",
                value_type="percentage",
                polarity="lower_is_better",
                decimals=1,
                lsoa_vintage="2011",
                source_id=F6,
                ward_method="population-weighted",
                definition=f"Percentage of residents (mid-2015, excluding prisoners) living in LSOAs in England's most deprived "
                f"{pct}% by IMD 2019 ({deciles}).",
                method="Count = File 6 mid-2015 population of LSOAs in "
                + deciles
                + " (File 2 / File 1 decile), denominator = "
                "all residents; wards from LSOA 2011 populations split by the LSOA-to-ward weights in whole people; England "
                "from every English LSOA of File 6. " + NO_CI + " " + VINTAGE_NOTE,
            )
        )
    for domain in DOMAINS:
        meta.append(
            _meta(
                f"imd2019_{domain.key}_score",
                name=f"{domain.label} score (IoD2019)",
                unit=domain.unit,
                value_type="score",
                polarity="lower_is_better",
                decimals=domain.decimals,
                source_id=WARD19,
                ward_method="population-weighted",
                definition=f"IoD2019 {domain.label} domain score for the ward (higher = more deprived).",
                method=f"Column '{domain.ward19}' of the third-party humaniverse/IMD ward table: population-weighted mean "
                "(mid-2015) of the official IoD2019 File 7 LSOA scores in each 2019 ward. Not an MHCLG product. "
                + VINTAGE_NOTE,
            )
        )
    return meta


def build_deprivation(ctx: BuildContext) -> Parts:
    england = read_england_lsoa(ctx)
    if ctx.held(F7):
        file7 = read_file7(ctx)
    else:
        from pipelines.fallbacks import file7_from_england
        from pipelines.readers.census import read_nomis_lsoa_download

        population = read_nomis_lsoa_download(ctx, "census2021-ts007a-lsoa", {"total": "Total"})
        file7 = file7_from_england(ctx, england, population)
    lad = read_lad_summary(ctx)
    lsoa19 = read_imd2019_lsoa(ctx)
    wards19 = read_ward2019(ctx)
    frames = build_iod2025(ctx, file7=file7, england=england, lad=lad) + build_iod2019(
        ctx, lsoa=lsoa19, wards19=wards19
    )
    values = pd.concat(frames, ignore_index=True)
    indicators = indicator_metadata(n_england_2025=len(england))
    if not ctx.held(F7):
        from pipelines.fallbacks import FILE7_NOT_HELD_METHOD

        indicators = [
            m
            | {
                "method": m["method"] + FILE7_NOT_HELD_METHOD,
                "source_id": ENG25 if m["source_id"] == F7 else m["source_id"],
            }
            if m["indicator_id"].startswith("imd2025")
            else m
            for m in indicators
            if m["indicator_id"] not in {f"imd2025_{d.key}_score" for d in SUPPLEMENTARY}
        ]
    log.info("deprivation: %d values, %d indicators", len(values), len(indicators))
    return Parts(values=values, indicators=indicators)


build = build_deprivation
