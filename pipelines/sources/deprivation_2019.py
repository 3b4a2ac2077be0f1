"""Deprivation: the English Indices of Deprivation 2019 (period "2019") for the place's LSOAs, wards and England.

LSOA 2011 boundaries, mid-2015 populations. Official ranks and deciles (File 1, File 2 and the
ONS lookup, which must agree), populations (File 6), and a third-party population-weighted
aggregation of the official LSOA scores to 2019 wards (humaniverse/IMD). IoD2019 LSOA scores are
not held, so no 2019 LSOA score is produced.
"""

from __future__ import annotations

import logging
from pathlib import Path

import pandas as pd

from pipelines.catalogue import indicator_rows
from pipelines.context import BuildContext, Geography
from pipelines.errors import DataError
from pipelines.settings import ENGLAND_NAME
from pipelines.sources import deprivation_common as iod
from pipelines.tidy import Parts
from pipelines.validate import check_codes, check_columns, check_numeric, check_unique, read_file

log = logging.getLogger(__name__)

PERIOD = "2019"
F1 = "iod2019-file1"
F2 = "iod2019-file2"
F6 = "iod2019-file6"
LOOKUP19 = "ons-imd2019-lookup"
WARD19 = "imd2019-ward-humaniverse"
WARD19_CODE, WARD19_SCORE = "ward_code", "Score"

F19_CODE = "LSOA code (2011)"
F19_LAD = "Local Authority District code (2019)"
F1_RANK = "Index of Multiple Deprivation (IMD) Rank"
F1_DECILE = "Index of Multiple Deprivation (IMD) Decile"
F1_SHEET = "IMD2019"
F2_RANK = "Index of Multiple Deprivation (IMD) Rank (where 1 is most deprived)"
F2_DECILE = "Index of Multiple Deprivation (IMD) Decile (where 1 is most deprived 10% of LSOAs)"
F6_POPULATION = "Total population: mid 2015 (excluding prisoners)"
LOOKUP_CODE, LOOKUP_LAD, LOOKUP_RANK = "LSOA11CD", "LAD19CD", "IMD19"


def read_imd2019_lsoa(ctx: BuildContext, geo: Geography) -> pd.DataFrame:
    """Every English LSOA 2011: lsoa_code, lad_code, imd_rank, imd_decile, population (mid-2015).

    Ranks and deciles come from File 1 and must equal File 2's; ranks must equal the ONS lookup's.
    """
    p1, p2, p6, pl = ctx.path(F1), ctx.path(F2), ctx.path(F6), ctx.path(LOOKUP19)
    layout1 = f"IoD2019 File 1 workbook, sheet '{F1_SHEET}' (columns '{F19_CODE}', '{F1_RANK}', '{F1_DECILE}')"
    f1 = read_file(
        pd.read_excel, p1, source_id=F1, layout=layout1, sheet_name=F1_SHEET, dtype={F19_CODE: str, F19_LAD: str}
    )
    check_columns(f1, [F19_CODE, F19_LAD, F1_RANK, F1_DECILE], file=p1, source_id=F1, layout=layout1)
    f2, f6 = (
        _read_csv_export(path, source_id, number, [F19_CODE, F19_LAD, *columns])
        for path, source_id, number, columns in ((p2, F2, 2, [F2_RANK, F2_DECILE]), (p6, F6, 6, [F6_POPULATION]))
    )
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
        iod.check_place_coverage(frame[code], geo.lsoa11_codes, what="2011 LSOAs", file=path, source_id=source_id)
        place_rows = frame[frame[lad] == ctx.place.lad_code]
        check_codes(place_rows, code, kind="lsoa", file=path, source_id=source_id, allowed=geo.lsoa11_codes)
    iod.check_complete_ranking(f1[F1_RANK], f1[F1_DECILE], file=p1, source_id=F1)

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


def _read_csv_export(path: Path, source_id: str, number: int, columns: list[str]) -> pd.DataFrame:
    """IoD2019 File 2 or File 6 as published in CSV (official header, UTF-8 with BOM, thousands separators)."""
    layout = f"IoD2019 File {number} CSV export (official header, UTF-8 with BOM, thousands separators)"
    frame = read_file(
        pd.read_csv,
        path,
        source_id=source_id,
        layout=layout,
        encoding="utf-8-sig",
        thousands=",",
        dtype={F19_CODE: str, F19_LAD: str},
    )
    return check_columns(frame, columns, file=path, source_id=source_id, layout=layout)


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


def read_ward2019(ctx: BuildContext, geo: Geography) -> pd.DataFrame:
    """IoD2019 aggregated to 2019 wards (humaniverse/IMD): ward_code, imd_score, <domain>_score, every English ward."""
    path = ctx.path(WARD19)
    layout = "humaniverse/IMD imd_england_ward.csv (ward_code, Score, <Domain>_Score)"
    frame = read_file(pd.read_csv, path, source_id=WARD19, layout=layout, dtype={WARD19_CODE: str})
    score_columns = [WARD19_SCORE, *[d.ward19 for d in iod.DOMAINS]]
    check_columns(frame, [WARD19_CODE, *score_columns], file=path, source_id=WARD19, layout=layout)
    check_codes(frame, WARD19_CODE, kind="ward", file=path, source_id=WARD19)
    check_unique(frame, [WARD19_CODE], file=path, source_id=WARD19)
    check_numeric(frame, score_columns, file=path, source_id=WARD19)
    out = pd.DataFrame(
        {
            "ward_code": frame[WARD19_CODE],
            "imd_score": pd.to_numeric(frame[WARD19_SCORE]),
            **{f"{d.key}_score": pd.to_numeric(frame[d.ward19]) for d in iod.DOMAINS},
        }
    )
    out["imd_rank_ward"] = out["imd_score"].rank(ascending=False, method="min").astype(int)
    missing = sorted(set(geo.ward_codes) - set(out["ward_code"]))
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
# stage_*: pure, frames in and frames out.


def stage_iod2019(
    ctx: BuildContext, geo: Geography, *, lsoa: pd.DataFrame, wards19: pd.DataFrame
) -> list[pd.DataFrame]:
    """indicator_values rows of IoD2019 (period "2019")."""
    place = lsoa[lsoa["lsoa_code"].isin(geo.lsoa11_codes)]
    names = geo.lsoa11[["lsoa_code", "lsoa_name"]]
    weights = geo.weights("2011")
    out: list[pd.DataFrame] = []

    add = iod.value_collector(out, PERIOD)

    add(iod.lsoa_frame(place, names, "imd_decile"), "imd2019_decile", F1)
    add(iod.lsoa_frame(place, names, "imd_rank"), "imd2019_rank", F1)

    total = lsoa["population"].sum()
    for max_decile, indicator_id in ((1, "imd2019_pct_most_deprived_10"), (2, "imd2019_pct_most_deprived_20")):
        add(iod.share_rows(place, weights, max_decile=max_decile, geo=geo, place=ctx.place), indicator_id, F6)
        n_in = lsoa.loc[lsoa["imd_decile"] <= max_decile, "population"].sum()
        add(
            iod.one_row(
                geo.england_code, ENGLAND_NAME, "england", value=100.0 * n_in / total, count=n_in, denominator=total
            ),
            indicator_id,
            F6,
        )

    not_in_table = "ward code not in the 2019 ward table (the ward is new or changed since 2019)"
    add(
        iod.ward_frame(geo, wards19[["ward_code", "imd_score"]].rename(columns={"imd_score": "value"})),
        "imd2019_score",
        WARD19,
        not_in_table,
    )
    ranks = wards19[["ward_code", "imd_rank_ward"]].rename(columns={"imd_rank_ward": "value"})
    ranks["value_note"] = f"rank of {len(wards19):,} English wards by population-weighted IMD 2019 score"
    add(iod.ward_frame(geo, ranks), "imd2019_rank_ward", WARD19, not_in_table)
    for domain in iod.DOMAINS:
        column = f"{domain.key}_score"
        add(
            iod.ward_frame(geo, wards19[["ward_code", column]].rename(columns={column: "value"})),
            f"imd2019_{domain.key}_score",
            WARD19,
            not_in_table,
        )
    return out


# --------------------------------------------------------------------------------------------
# build: the rows above and the indicators they feed (metadata from the catalogue).


def build(ctx: BuildContext, geo: Geography) -> Parts:
    lsoa = read_imd2019_lsoa(ctx, geo)
    wards19 = read_ward2019(ctx, geo)
    values = pd.concat(stage_iod2019(ctx, geo, lsoa=lsoa, wards19=wards19), ignore_index=True)
    ids = [
        "imd2019_score",
        "imd2019_rank_ward",
        "imd2019_decile",
        "imd2019_rank",
        "imd2019_pct_most_deprived_10",
        "imd2019_pct_most_deprived_20",
        *(f"imd2019_{d.key}_score" for d in iod.DOMAINS),
    ]
    indicators = indicator_rows(ids, place=ctx.place)
    log.info("deprivation 2019: %d values, %d indicators", len(values), len(indicators))
    return Parts(values=values, indicators=indicators)
