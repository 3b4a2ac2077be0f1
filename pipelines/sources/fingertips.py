"""Fingertips web exports (5 a day, old and new method): district values with their intervals, as published."""

from __future__ import annotations

import logging

import pandas as pd

from pipelines.catalogue import indicator_rows
from pipelines.context import BuildContext, Geography
from pipelines.errors import DataError
from pipelines.sources.district_common import add_missing_rows, area_type_of, keep_known_areas, lad_codes_of
from pipelines.tidy import Parts, make_values
from pipelines.validate import check_codes, check_numeric, check_unique, read_fingertips_csv

log = logging.getLogger(__name__)

FINGERTIPS_SOURCE = "fingertips-5aday"
FINGERTIPS_COLUMNS = [
    "Indicator ID",
    "Area Code",
    "AreaName",
    "Area Type",
    "Sex",
    "Time period",
    "Value",
    "Lower CI 95.0 limit",
    "Upper CI 95.0 limit",
    "Count",
    "Denominator",
    "Value note",
]
FINGERTIPS_LAYOUT = (
    "the Fingertips web export CSV (UTF-8 with BOM; 'Indicator ID', 'Area Code', 'AreaName', 'Time period', "
    "'Value', ...)"
)
# (file index in the registry, Fingertips indicator id, our indicator id)
FIVE_A_DAY = (
    (0, "93077", "fruit_veg_5aday_2019_20"),
    (1, "93982", "fruit_veg_5aday_2022_23"),
)


def read_fingertips_export(
    ctx: BuildContext, geo: Geography, *, index: int, indicator_code: str, lad_codes: set[str], label: str
) -> tuple[pd.DataFrame, str]:
    """Rows (area_code, area_type, value, CI, count, denominator, value_note) and the period of one export."""
    path = ctx.path(FINGERTIPS_SOURCE, index)
    frame = read_fingertips_csv(
        path,
        source_id=FINGERTIPS_SOURCE,
        layout=FINGERTIPS_LAYOUT,
        columns=FINGERTIPS_COLUMNS,
        indicator_code=indicator_code,
    )
    frame = frame[frame["Sex"].fillna("Persons") == "Persons"]
    frame = frame.assign(area_type=frame["Area Code"].fillna("").map(area_type_of))
    check_codes(
        frame[frame["area_type"].ne("england") & frame["area_type"].ne("region") & frame["area_type"].ne("county")],
        "Area Code",
        kind="lad",
        file=path,
        source_id=FINGERTIPS_SOURCE,
    )
    numeric = ["Value", "Lower CI 95.0 limit", "Upper CI 95.0 limit", "Count", "Denominator"]
    check_numeric(frame, numeric, file=path, source_id=FINGERTIPS_SOURCE)
    check_unique(frame, ["Area Code", "Time period"], file=path, source_id=FINGERTIPS_SOURCE)
    periods = sorted(set(frame["Time period"].dropna()))
    if len(periods) != 1:
        raise DataError(
            source_id=FINGERTIPS_SOURCE,
            file=path,
            problem=f"expected one time period, found {periods}",
            fix="export a single period (the registry names the period of each file)",
        )
    value = pd.to_numeric(frame["Value"])
    note = frame["Value note"].where(frame["Value note"].notna(), None)
    note = note.where(value.notna() | note.notna(), "value not published in the source file")
    rows = pd.DataFrame(
        {
            "area_code": frame["Area Code"],
            "area_name": frame["AreaName"],
            "area_type": frame["area_type"],
            "value": value,
            "lower_ci": pd.to_numeric(frame["Lower CI 95.0 limit"]),
            "upper_ci": pd.to_numeric(frame["Upper CI 95.0 limit"]),
            "ci_level": 0.95,
            "count": pd.to_numeric(frame["Count"]),
            "denominator": pd.to_numeric(frame["Denominator"]),
            "value_note": note,
        }
    )
    rows = keep_known_areas(rows, geo=geo, lad_codes=lad_codes, label=label)
    rows = add_missing_rows(rows, place=ctx.place, geo=geo, label=label)
    return rows, periods[0]


def build(ctx: BuildContext, geo: Geography) -> Parts:
    lad_codes = lad_codes_of(geo)
    values = []
    for index, code, indicator_id in FIVE_A_DAY:
        rows, period = read_fingertips_export(
            ctx, geo, index=index, indicator_code=code, lad_codes=lad_codes, label=indicator_id
        )
        values.append(make_values(rows, indicator_id=indicator_id, period=period, source_id=FINGERTIPS_SOURCE))
        log.info("%s: %d rows", indicator_id, len(rows))
    indicators = indicator_rows([f[2] for f in FIVE_A_DAY], place=ctx.place)
    return Parts(values=pd.concat(values, ignore_index=True), indicators=indicators)
