"""Census 2021 LSOA tables (TS007A age, TS021 ethnic group): LSOAs, wards, the place and England.

Nomis "download table" CSVs for every LSOA of England and Wales; the place's LSOAs go to wards by
the same apportionment as output-area counts (``pipelines.estimates.apportion_counts``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from pipelines.catalogue import indicator_rows
from pipelines.context import BuildContext, Geography
from pipelines.errors import DataError
from pipelines.estimates import apportion_counts, percentage_rows
from pipelines.tidy import Parts, make_values
from pipelines.validate import check_columns, check_numeric, check_row_count, read_file

PERIOD = "2021"
AGE_SOURCE = "census2021-ts007a-lsoa"
ETHNIC_SOURCE = "census2021-ts021-lsoa"


def read_nomis_lsoa_download(
    ctx: BuildContext, geo: Geography, source_id: str, columns: dict[str, str]
) -> pd.DataFrame:
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
    check_row_count(frame, minimum=len(geo.lsoa21), what="LSOA rows", file=path, source_id=source_id)
    missing = sorted(set(geo.lsoa21_codes) - set(frame["mnemonic"]))
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


AGE_BANDS_UNDER_15 = ["Aged 4 years and under", "Aged 5 to 9 years", "Aged 10 to 14 years"]
AGE_BANDS_65_PLUS = [
    "Aged 65 to 69 years",
    "Aged 70 to 74 years",
    "Aged 75 to 79 years",
    "Aged 80 to 84 years",
    "Aged 85 years and over",
]


def build(ctx: BuildContext, geo: Geography) -> Parts:
    """TS007A (age) and TS021 (ethnic group): LSOA tables, to wards by the same apportionment."""
    lad = ctx.place.lad_code
    age = read_nomis_lsoa_download(
        ctx,
        geo,
        AGE_SOURCE,
        {
            "total": "Total",
            **{f"u{i}": c for i, c in enumerate(AGE_BANDS_UNDER_15)},
            **{f"o{i}": c for i, c in enumerate(AGE_BANDS_65_PLUS)},
        },
    )
    age["under15"] = age[[f"u{i}" for i in range(3)]].sum(axis=1)
    age["over65"] = age[[f"o{i}" for i in range(5)]].sum(axis=1)
    age = age[["lsoa_code", "total", "under15", "over65"]]
    eth = read_nomis_lsoa_download(ctx, geo, ETHNIC_SOURCE, {"total": "Total: All usual residents", "white": "White"})
    eth["minority"] = eth["total"] - eth["white"]
    eth = eth[["lsoa_code", "total", "minority"]]

    values = []
    weights = geo.weights("2021")
    tables = (
        ("aged_under_15", age, "under15", AGE_SOURCE),
        ("aged_65_plus", age, "over65", AGE_SOURCE),
        ("ethnic_minority", eth, "minority", ETHNIC_SOURCE),
    )
    for indicator_id, frame, column, source_id in tables:
        rows = stage_lsoa_percentages(frame, column, geo=geo, weights=weights, lad=lad)
        values.append(make_values(rows, indicator_id=indicator_id, period=PERIOD, source_id=source_id))
    indicators = indicator_rows([t[0] for t in tables], place=ctx.place)
    return Parts(values=pd.concat(values, ignore_index=True), indicators=indicators)


def stage_lsoa_percentages(
    frame: pd.DataFrame, column: str, *, geo: Geography, weights: pd.DataFrame, lad: str
) -> pd.DataFrame:
    """Percentage rows of ``column`` over ``total`` for the place's LSOAs, its wards, the place and England."""
    place_lsoa = frame[frame["lsoa_code"].isin(geo.lsoa21_codes)]
    ward = apportion_counts(place_lsoa, weights, value_columns=["total", column]).rename(
        columns={"ward_code": "area_code"}
    )
    england_rows = frame[frame["lsoa_code"].str.startswith("E01")]
    stacked = pd.concat(
        [
            place_lsoa.rename(columns={"lsoa_code": "area_code"}).assign(area_type="lsoa"),
            ward.assign(area_type="ward"),
            place_lsoa[["total", column]].sum().to_frame().T.assign(area_code=lad, area_type="lad"),
            england_rows[["total", column]].sum().to_frame().T.assign(area_code=geo.england_code, area_type="england"),
        ],
        ignore_index=True,
    )
    rows = percentage_rows(stacked, numerator=stacked[column], denominator=stacked["total"])
    rows["value_note"] = np.where(rows["area_type"] == "england", "England: sum of every English LSOA", "Sum of LSOAs")
    return rows
