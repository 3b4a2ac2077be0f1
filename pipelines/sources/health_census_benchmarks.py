"""Census 2021 TS067/TS054/TS021 for every local authority: England benchmarks by summing English authorities.

TS067 gives the England rows of ``no_qualifications`` and ``level4_qualifications`` (the census
reader has no England-wide table for them): residents 16+ with no qualifications / level 4+ over
all residents 16+ (every category but "Does not apply"), summed over English authorities (E06,
E07, E08, E09), which is exact for these counts. TS054 and TS021 are read and checked; their
place and England totals go to health_estimate_checks.
"""

from __future__ import annotations

import logging

import pandas as pd

from pipelines.errors import DataError
from pipelines.estimates import percentage_rows
from pipelines.sources.health_common import check_row, checks_frame
from pipelines.tidy import Parts, make_values
from pipelines.validate import check_codes, check_columns, check_numeric, read_file

log = logging.getLogger(__name__)

SOURCE = "census2021-ltla-ts067-ts054-ts021"
CODE, NAME, OBS = "Lower Tier Local Authorities Code", "Lower Tier Local Authorities", "Observation"
TABLES = {
    0: "Highest level of qualification (8 categories)",
    1: "Tenure of household (9 categories)",
    2: "Ethnic group (20 categories)",
}
LAYOUT = "the ONS Census 2021 dataset download ('Lower Tier Local Authorities Code', ..., '<category> Code', '<category>', 'Observation')"
NOTE = "England: sum of English local authorities (TS067); exact counts, Wilson 95% CI"


def read_table(path, category: str, source_id: str = SOURCE) -> pd.DataFrame:
    frame = read_file(pd.read_csv, path, source_id=source_id, layout=LAYOUT, dtype=str)
    check_columns(frame, [CODE, NAME, f"{category} Code", category, OBS], file=path, source_id=source_id, layout=LAYOUT)
    check_codes(frame, CODE, kind="lad", file=path, source_id=source_id)
    check_numeric(frame, [OBS], file=path, source_id=source_id, min_value=0)
    frame[OBS] = pd.to_numeric(frame[OBS])
    frame["code"] = frame[f"{category} Code"].astype(int)
    if frame[CODE].nunique() < 2:
        raise DataError(
            source_id=source_id, file=path, problem="only one local authority", fix="download every local authority"
        )
    return frame[frame["code"] != -8]


def english(frame: pd.DataFrame) -> pd.DataFrame:
    return frame[frame[CODE].str.match(r"^E0[6789]")]


def build(ctx, geo) -> Parts:
    tables = {i: read_table(ctx.path(SOURCE, i), category) for i, category in TABLES.items()}
    ts067 = english(tables[0])
    total = ts067[OBS].sum()
    rows = pd.DataFrame(
        [
            {"indicator_id": "no_qualifications", "count": ts067.loc[ts067["code"] == 0, OBS].sum()},
            {"indicator_id": "level4_qualifications", "count": ts067.loc[ts067["code"] == 5, OBS].sum()},
        ]
    ).assign(area_code=geo.england_code, area_type="england", denominator=total)
    values = []
    for _, row in rows.iterrows():
        one = rows[rows["indicator_id"] == row["indicator_id"]].reset_index(drop=True)
        out = percentage_rows(one, numerator=one["count"], denominator=one["denominator"])
        values.append(
            make_values(out.assign(value_note=NOTE), indicator_id=row["indicator_id"], period="2021", source_id=SOURCE)
        )
    lad = ctx.place.lad_code
    checks = []
    for i, what in ((1, "households"), (2, "usual residents")):
        frame = tables[i]
        checks.append(
            check_row(
                f"census_{what.replace(' ', '_')}_place_vs_england",
                "",
                "2021",
                lad,
                "lad",
                estimate=float(frame.loc[frame[CODE] == lad, OBS].sum()),
                reference=float(english(frame)[OBS].sum()),
                reference_source_id=SOURCE,
                note=f"{TABLES[i]}: the place's published {what} (estimate) and England's (reference: sum of English authorities)",
            )
        )
    log.info("census benchmarks: England residents 16+ %d (TS067)", total)
    return Parts(values=pd.concat(values, ignore_index=True), tables={"health_estimate_checks": checks_frame(checks)})
