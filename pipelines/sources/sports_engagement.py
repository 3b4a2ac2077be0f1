"""ONS sports engagement (Table 1): adults exercising 150+ minutes a week, by district."""

from __future__ import annotations

import logging

import numpy as np
import pandas as pd

from pipelines.catalogue import indicator_rows
from pipelines.context import BuildContext, Geography
from pipelines.sources.district_common import NO_CI, add_missing_rows, keep_known_areas, lad_codes_of
from pipelines.tidy import Parts, make_values
from pipelines.validate import check_codes, check_numeric, check_row_count, read_file, sheet_table

log = logging.getLogger(__name__)

ENGAGEMENT_SOURCE = "ons-sports-engagement"
ENGAGEMENT_SHEET = "Table 1"
ENGAGEMENT_COLUMNS = [
    "Local Authority District Code",
    "Local Authority District",
    "1-29 minutes",
    "30-149 minutes",
    "150+ minutes",
]


def build(ctx: BuildContext, geo: Geography) -> Parts:
    lad_codes = lad_codes_of(geo)
    path = ctx.path(ENGAGEMENT_SOURCE)
    layout = f"the ONS sports engagement workbook, sheet '{ENGAGEMENT_SHEET}' with header {ENGAGEMENT_COLUMNS}"
    raw = read_file(
        pd.read_excel, path, source_id=ENGAGEMENT_SOURCE, layout=layout, sheet_name=None, header=None, dtype=str
    )
    table = sheet_table(
        raw,
        ENGAGEMENT_SHEET,
        first_cell=ENGAGEMENT_COLUMNS[0],
        required=ENGAGEMENT_COLUMNS,
        source_id=ENGAGEMENT_SOURCE,
        path=path,
        layout=layout,
    )
    check_row_count(table, minimum=1, what="districts", file=path, source_id=ENGAGEMENT_SOURCE)
    check_codes(
        table, ENGAGEMENT_COLUMNS[0], kind="lad", file=f"{path} [{ENGAGEMENT_SHEET}]", source_id=ENGAGEMENT_SOURCE
    )
    text = table["150+ minutes"].str.strip()
    suppressed = text.eq("c")
    check_numeric(
        table[~suppressed],
        ["150+ minutes"],
        file=f"{path} [{ENGAGEMENT_SHEET}]",
        source_id=ENGAGEMENT_SOURCE,
        min_value=0,
    )
    share = pd.to_numeric(text.where(~suppressed), errors="coerce")
    rows = pd.DataFrame(
        {
            "area_code": table[ENGAGEMENT_COLUMNS[0]],
            "area_name": table["Local Authority District"],
            "area_type": "lad",
            "value": 100 * share,
            "value_note": np.where(suppressed, "suppressed in the source ('c': fewer than 10 respondents)", NO_CI),
        }
    )
    rows = add_missing_rows(
        keep_known_areas(rows, geo=geo, lad_codes=lad_codes, label="sports engagement"),
        place=ctx.place,
        geo=geo,
        label="sports engagement",
    )
    values = [
        make_values(rows, indicator_id="exercise_150_mins_pct", period="Nov 2019-Nov 2021", source_id=ENGAGEMENT_SOURCE)
    ]
    indicators = indicator_rows(["exercise_150_mins_pct"], place=ctx.place)
    return Parts(values=pd.concat(values, ignore_index=True), indicators=indicators)
