"""Sub-regional fuel poverty 2022 (2020 data, LILEE): LSOA 2011 rows, wards in whole households, place to England."""

from __future__ import annotations

import logging

import openpyxl
import pandas as pd

from pipelines.errors import DataError
from pipelines.estimates import apportion_counts, percentage_rows
from pipelines.sources.health_common import check_row, checks_frame, meta
from pipelines.tidy import Parts, make_values
from pipelines.validate import check_codes, check_columns, check_numeric, read_file

log = logging.getLogger(__name__)

SOURCE = "desnz-fuel-poverty-2022"
PERIOD = "2020"
HOUSEHOLDS, FUEL_POOR = "Number of households", "Number of households in fuel poverty"
SHEETS = {"Table 2": ["Area Codes", HOUSEHOLDS, FUEL_POOR], "Table 3": ["LSOA Code", "LA Code", HOUSEHOLDS, FUEL_POOR]}
LAYOUT = "the sub-regional fuel poverty 2022 workbook (sheets 'Table 2' and 'Table 3', header on the third row)"


def _load(path) -> dict[str, pd.DataFrame]:
    workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        out = {}
        for sheet in SHEETS:
            if sheet not in workbook.sheetnames:
                out[sheet] = pd.DataFrame()
                continue
            rows = list(workbook[sheet].iter_rows(values_only=True))[2:]
            header = [str(h).strip() if h is not None else f"column{i}" for i, h in enumerate(rows[0])] if rows else []
            out[sheet] = pd.DataFrame(rows[1:], columns=header)
        return out
    finally:
        workbook.close()


def read_fuel_poverty(path, source_id: str = SOURCE) -> dict[str, pd.DataFrame]:
    sheets = read_file(_load, path, source_id=source_id, layout=LAYOUT)
    for sheet, columns in SHEETS.items():
        frame = sheets[sheet]
        if frame.empty:
            raise DataError(
                source_id=source_id, file=path, problem=f"sheet '{sheet}' missing or empty", fix=f"expected {LAYOUT}"
            )
        check_columns(frame, columns, file=path, source_id=source_id, layout=f"{LAYOUT}; sheet '{sheet}'")
        code = columns[0]
        frame = frame[frame[code].astype(str).str.match(r"^[EW]\d{8}$")].copy()  # drops footer notes
        check_numeric(frame, [HOUSEHOLDS, FUEL_POOR], file=path, source_id=source_id, min_value=0)
        frame[[HOUSEHOLDS, FUEL_POOR]] = frame[[HOUSEHOLDS, FUEL_POOR]].apply(pd.to_numeric)
        sheets[sheet] = frame
    check_codes(sheets["Table 3"], "LSOA Code", kind="lsoa", file=path, source_id=source_id)
    return sheets


def build(ctx, geo) -> Parts:
    path = ctx.path(SOURCE)
    sheets = read_fuel_poverty(path)
    lsoa = sheets["Table 3"][sheets["Table 3"]["LSOA Code"].isin(geo.lsoa11_codes)]
    missing = sorted(set(geo.lsoa11_codes) - set(lsoa["LSOA Code"]))
    if missing:
        raise DataError(
            source_id=SOURCE,
            file=path,
            problem=f"2011 LSOAs of the place missing from Table 3: {missing[:5]}",
            fix="use the complete workbook",
        )
    counts = pd.DataFrame({"lsoa_code": lsoa["LSOA Code"], "poor": lsoa[FUEL_POOR], "households": lsoa[HOUSEHOLDS]})
    ward = apportion_counts(counts, geo.weights("2011"), value_columns=["poor", "households"])
    areas = sheets["Table 2"].set_index("Area Codes")
    wanted = [
        (ctx.place.lad_code, "lad"),
        (geo.county_code, "county"),
        (geo.region_code, "region"),
        (geo.england_code, "england"),
    ]
    published = [
        {"area_code": c, "area_type": t, "poor": areas.loc[c, FUEL_POOR], "households": areas.loc[c, HOUSEHOLDS]}
        for c, t in wanted
        if c and c in areas.index
    ]
    if not any(r["area_type"] == "lad" for r in published):
        raise DataError(
            source_id=SOURCE,
            file=path,
            problem=f"no Table 2 row for {ctx.place.lad_code}",
            fix="use the complete workbook",
        )
    rows = pd.concat(
        [
            counts.rename(columns={"lsoa_code": "area_code"}).assign(area_type="lsoa"),
            ward.rename(columns={"ward_code": "area_code"}).assign(area_type="ward"),
            pd.DataFrame(published),
        ],
        ignore_index=True,
    )
    out = percentage_rows(rows, numerator=rows["poor"], denominator=rows["households"])
    out["value_note"] = (
        out["area_type"]
        .map(
            {
                "lsoa": "as published (LSOA 2011, modelled)",
                "ward": "estimate: LSOA 2011 households split by the LSOA -> ward weights",
            }
        )
        .fillna("as published (Table 2)")
    )
    place = published[[r["area_type"] for r in published].index("lad")]
    checks = [
        check_row(
            "fuel_poverty_lsoa_sum_vs_table2",
            "fuel_poverty",
            PERIOD,
            ctx.place.lad_code,
            "lad",
            estimate=float(counts["poor"].sum()),
            reference=float(place["poor"]),
            reference_source_id=SOURCE,
            note="fuel-poor households: sum of the place's LSOAs (Table 3) vs the local-authority row (Table 2); rounding",
        )
    ]
    log.info("fuel poverty: %d LSOAs, %d wards", len(counts), len(ward))
    return Parts(
        values=make_values(out, indicator_id="fuel_poverty", period=PERIOD, source_id=SOURCE),
        indicators=[meta("fuel_poverty", place=ctx.place)],
        tables={"health_estimate_checks": checks_frame(checks)},
    )
