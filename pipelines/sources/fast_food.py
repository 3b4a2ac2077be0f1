"""PHE fast food outlets (2017): district counts and rates, and official counts by 2016 ward."""

from __future__ import annotations

import logging

import numpy as np
import pandas as pd

from pipelines.catalogue import indicator_rows
from pipelines.context import BuildContext, Geography
from pipelines.errors import DataError
from pipelines.settings import ENGLAND_NAME
from pipelines.sources.district_common import add_missing_rows, keep_known_areas, lad_codes_of
from pipelines.tidy import Parts, make_values
from pipelines.validate import check_codes, check_columns, check_numeric, check_row_count, check_unique, read_file

log = logging.getLogger(__name__)

FAST_FOOD_SOURCE = "phe-fast-food"
FAST_FOOD_PERIOD = "2017"
LA_SHEET, WARD_SHEET = "Local Authority Data", "Ward Data"
LA_COLUMNS = ["LA code", "LA name", "Count of outlets", "Rate per 100,000 population"]
WARD_COLUMNS = ["LA code", "2016 Ward code", "2016 Ward name", "Total fast food outlets"]


def _sheet_table(
    raw: pd.DataFrame, *, marker: str, required: list[str], path, sheet: str, count_column: str
) -> pd.DataFrame:
    """The table under the first row holding ``marker`` (the header is row 4 in the published file)."""
    hits = raw.index[raw.apply(lambda r: r.astype("string").str.strip().eq(marker).any(), axis=1)]
    layout = f"the PHE workbook, sheet '{sheet}' with a header row holding {required}"
    if len(hits) == 0:
        raise DataError(
            source_id=FAST_FOOD_SOURCE,
            file=path,
            problem=f"sheet '{sheet}' has no header row with '{marker}'",
            fix=f"expected {layout}; restore the original file",
        )
    header = [str(c).strip() if pd.notna(c) else f"unnamed_{i}" for i, c in enumerate(raw.loc[hits[0]])]
    table = raw.loc[hits[0] + 1 :].copy()
    table.columns = header
    check_columns(table, required, file=f"{path} [{sheet}]", source_id=FAST_FOOD_SOURCE, layout=layout)
    # Data rows have an LA code; the "Post code not recorded" line does not, and footnotes have text there but no count.
    code = table["LA code"].astype("string").str.strip()
    footnote = code.notna() & table[count_column].isna() & ~code.fillna("").str.match(r"^[EWSN]\d{8}$")
    return table[code.notna() & ~footnote].reset_index(drop=True)


def build(ctx: BuildContext, geo: Geography) -> Parts:
    lad_codes = lad_codes_of(geo)
    path = ctx.path(FAST_FOOD_SOURCE)
    sheets = read_file(
        pd.read_excel,
        path,
        source_id=FAST_FOOD_SOURCE,
        layout="PHE fast food workbook (xlsx)",
        sheet_name=None,
        header=None,
        dtype=str,
    )
    missing = [s for s in (LA_SHEET, WARD_SHEET) if s not in sheets]
    if missing:
        raise DataError(
            source_id=FAST_FOOD_SOURCE,
            file=path,
            problem=f"missing sheet(s) {missing} (sheets found: {list(sheets)})",
            fix="use the published 'FastFoodMetadata_LA_Ward.xlsx' with its 'Local Authority Data' "
            "and 'Ward Data' sheets",
        )
    la, ward = (
        _sheet_table(sheets[sheet], marker=marker, required=required, path=path, sheet=sheet, count_column=count)
        for sheet, marker, required, count in (
            (LA_SHEET, "LA code", LA_COLUMNS, "Count of outlets"),
            (WARD_SHEET, "2016 Ward code", WARD_COLUMNS, "Total fast food outlets"),
        )
    )
    for table, sheet in ((la, LA_SHEET), (ward, WARD_SHEET)):
        check_row_count(table, minimum=1, what=f"rows in '{sheet}'", file=path, source_id=FAST_FOOD_SOURCE)
    check_codes(la, "LA code", kind="lad", file=f"{path} [{LA_SHEET}]", source_id=FAST_FOOD_SOURCE)
    rate_text = la["Rate per 100,000 population"].astype("string").str.strip()
    starred = rate_text.eq("*")  # City of London: PHE did not publish a rate (tiny resident population)
    check_numeric(
        la.assign(**{"Rate per 100,000 population": rate_text.where(~starred)}),
        ["Count of outlets", "Rate per 100,000 population"],
        file=f"{path} [{LA_SHEET}]",
        source_id=FAST_FOOD_SOURCE,
        min_value=0,
    )
    check_codes(ward, "2016 Ward code", kind="ward", file=f"{path} [{WARD_SHEET}]", source_id=FAST_FOOD_SOURCE)
    check_numeric(
        ward, ["Total fast food outlets"], file=f"{path} [{WARD_SHEET}]", source_id=FAST_FOOD_SOURCE, min_value=0
    )
    check_unique(la, ["LA code"], file=f"{path} [{LA_SHEET}]", source_id=FAST_FOOD_SOURCE)
    check_unique(ward, ["2016 Ward code"], file=f"{path} [{WARD_SHEET}]", source_id=FAST_FOOD_SOURCE)

    la_count = pd.to_numeric(la["Count of outlets"])
    la_rows = pd.DataFrame({"area_code": la["LA code"], "area_name": la["LA name"], "area_type": "lad"})
    rate_rows = la_rows.assign(
        value=pd.to_numeric(rate_text.where(~starred)),
        count=la_count,
        value_note=np.where(starred, "rate not published in the source ('*'; see the workbook's notes)", None),
    )
    rate_rows = add_missing_rows(
        keep_known_areas(rate_rows, geo=geo, lad_codes=lad_codes, label="fast food rate"),
        place=ctx.place,
        geo=geo,
        label="fast food rate",
    )

    # Counts: wards of the place (2016 codes must match the current ward codes), districts, England.
    ward_counts = dict(zip(ward["2016 Ward code"], pd.to_numeric(ward["Total fast food outlets"]), strict=True))
    place_ward_rows = ward[ward["LA code"] == ctx.place.lad_code]
    stale = sorted(set(place_ward_rows["2016 Ward code"]) - set(geo.ward_codes))
    if stale:
        log.warning(
            "fast food: %d of the place's 2016 ward codes are not current wards (ignored): %s", len(stale), stale
        )
    wards = geo.wards.assign(area_type="ward")
    wards["value"] = wards["ward_code"].map(ward_counts)
    wards["value_note"] = np.where(
        wards["value"].isna(), "ward not in the source file (its wards have 2016 codes)", None
    )
    n_missing = int(wards["value"].isna().sum())
    if n_missing:
        log.warning("fast food: %d of the place's %d wards are not in the ward sheet", n_missing, len(wards))
    ward_rows = pd.DataFrame(
        {
            "area_code": wards["ward_code"],
            "area_name": wards["ward_name"],
            "area_type": "ward",
            "value": wards["value"],
            "value_note": wards["value_note"],
        }
    )
    lad_count_rows = keep_known_areas(
        la_rows.assign(value=la_count, value_note=None), geo=geo, lad_codes=lad_codes, label="fast food count"
    )
    england = pd.DataFrame(
        [
            {
                "area_code": geo.england_code,
                "area_name": ENGLAND_NAME,
                "area_type": "england",
                "value": float(la_count.sum()),
                "value_note": None,
            }
        ]
    )
    count_rows = add_missing_rows(
        pd.concat([ward_rows, lad_count_rows, england], ignore_index=True),
        place=ctx.place,
        geo=geo,
        label="fast food count",
    )
    count_rows["count"] = count_rows["value"]

    values = [
        make_values(
            rate_rows, indicator_id="fast_food_outlets_per_100k", period=FAST_FOOD_PERIOD, source_id=FAST_FOOD_SOURCE
        ),
        make_values(
            count_rows, indicator_id="fast_food_outlets_count", period=FAST_FOOD_PERIOD, source_id=FAST_FOOD_SOURCE
        ),
    ]
    log.info("fast food: %d district rates, %d count rows", len(rate_rows), len(count_rows))
    indicators = indicator_rows(["fast_food_outlets_per_100k", "fast_food_outlets_count"], place=ctx.place)
    return Parts(values=pd.concat(values, ignore_index=True), indicators=indicators)
