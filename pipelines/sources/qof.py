"""House of Commons Library modelled QOF prevalence (2019/20) by district, with England summed here."""

from __future__ import annotations

import logging

import pandas as pd

from pipelines.catalogue import indicator_rows
from pipelines.context import BuildContext, Geography
from pipelines.errors import DataError
from pipelines.settings import ENGLAND_NAME
from pipelines.sources.district_common import add_missing_rows, keep_known_areas, lad_codes_of
from pipelines.tidy import Parts, make_values
from pipelines.validate import check_codes, check_columns, check_numeric, check_row_count, check_unique, read_file

log = logging.getLogger(__name__)

QOF_SOURCE = "hocl-qof-prevalence"
QOF_COLUMNS = ["lad_code", "lad_name", "group_code", "register", "list", "prevalence"]
QOF_PERIOD = "2019/20"
QOF_GROUPS = ("DEP", "DM", "HYP", "AST", "COPD", "CHD", "OB", "MH")


def build(ctx: BuildContext, geo: Geography) -> Parts:
    lad_codes = lad_codes_of(geo)
    path = ctx.path(QOF_SOURCE)
    layout = "the Commons Library CSV with columns lad_code, lad_name, group_code, register, list, prevalence"
    frame = read_file(pd.read_csv, path, source_id=QOF_SOURCE, layout=layout, dtype=str)
    check_columns(frame, QOF_COLUMNS, file=path, source_id=QOF_SOURCE, layout=layout)
    check_row_count(frame, minimum=1, what="rows", file=path, source_id=QOF_SOURCE)
    check_codes(frame, "lad_code", kind="lad", file=path, source_id=QOF_SOURCE)
    check_numeric(frame, ["register", "list", "prevalence"], file=path, source_id=QOF_SOURCE, min_value=0)
    check_unique(frame, ["lad_code", "group_code"], file=path, source_id=QOF_SOURCE)
    absent = sorted(set(QOF_GROUPS) - set(frame["group_code"]))
    if absent:
        raise DataError(
            source_id=QOF_SOURCE,
            file=path,
            problem=f"no rows for QOF group(s) {absent}",
            fix="download the complete output_lad_prevalence.csv again",
        )
    for column in ("register", "list", "prevalence"):
        frame[column] = pd.to_numeric(frame[column])
    values = []
    for group in QOF_GROUPS:
        rows = frame[frame["group_code"] == group]
        english = rows[rows["lad_code"].str.startswith("E")]
        lad_rows = pd.DataFrame(
            {
                "area_code": rows["lad_code"],
                "area_name": rows["lad_name"],
                "area_type": "lad",
                "value": 100 * rows["register"] / rows["list"],
                "count": rows["register"],
                "denominator": rows["list"],
                "value_note": "modelled estimate; no confidence interval",
            }
        )
        lad_rows = keep_known_areas(lad_rows, geo=geo, lad_codes=lad_codes, label=f"qof {group}")
        england = pd.DataFrame(
            [
                {
                    "area_code": geo.england_code,
                    "area_name": ENGLAND_NAME,
                    "area_type": "england",
                    "value": 100 * english["register"].sum() / english["list"].sum(),
                    "count": english["register"].sum(),
                    "denominator": english["list"].sum(),
                    "value_note": "modelled estimate; no confidence interval",
                }
            ]
        )
        out = add_missing_rows(
            pd.concat([lad_rows, england], ignore_index=True), place=ctx.place, geo=geo, label=f"qof {group}"
        )
        indicator_id = f"qof_{group.lower()}_prevalence"
        values.append(make_values(out, indicator_id=indicator_id, period=QOF_PERIOD, source_id=QOF_SOURCE))
    log.info("qof: %d groups", len(QOF_GROUPS))
    ids = [f"qof_{group.lower()}_prevalence" for group in QOF_GROUPS]
    indicators = indicator_rows(ids, place=ctx.place)
    return Parts(values=pd.concat(values, ignore_index=True), indicators=indicators)
