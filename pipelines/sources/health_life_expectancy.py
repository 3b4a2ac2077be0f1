"""ONS life expectancy at birth by MSOA (2011 MSOAs), 2016-2020, with 95% CIs (REQ3292), and ward estimates.

MSOA rows are the ONS figures as published. Ward rows are indicative, from MSOA figures: the
mean of the MSOAs a ward overlaps, weighted by the ward's Census 2021 residents in each MSOA.
The ids ``life_expectancy_male``/``_female`` also hold the district and England rows of the
derived Fingertips JSON (another period); ``health.merge`` combines the metadata.
"""

from __future__ import annotations

import logging

import numpy as np
import openpyxl
import pandas as pd

from pipelines.errors import DataError
from pipelines.health_estimates import msoa_to_wards, msoa_ward_populations, weighted_mean
from pipelines.sources.health_common import lsoa21_population, meta, msoa_areas, place_msoas
from pipelines.tidy import Parts, make_values
from pipelines.validate import check_columns, check_numeric, check_row_count, read_file

log = logging.getLogger(__name__)

SOURCE = "ons-le-msoa-2016-20"
PERIOD = "2016-20"
SHEET = "Data"
COLUMNS = {
    "Code": "msoa_code",
    "Code Name": "msoa_name",
    "Sex": "sex",
    "No of Deaths": "deaths",
    "Population": "person_years",
    "Life Expectancy at birth (in years)": "value",
    "Lower 95% confidence interval": "lower_ci",
    "Upper 95% confidence interval": "upper_ci",
}
LAYOUT = f"the ONS REQ3292 workbook, sheet '{SHEET}' ({', '.join(repr(c) for c in COLUMNS)})"
INDICATORS = {"Males": "life_expectancy_male", "Females": "life_expectancy_female"}
MSOA_NOTE = "ONS 2016-20, 95% CI as published; no England value for 2016-20 in the source, so no England comparison"
WARD_NOTE = "indicative, from MSOA figures (population-weighted, Census 2021 residents); no CI"


def _load(path) -> pd.DataFrame:
    workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        rows = workbook[SHEET].iter_rows(values_only=True)
        header = next(rows)
        return pd.DataFrame(list(rows), columns=[str(h) if h is not None else "" for h in header])
    finally:
        workbook.close()


def read_life_expectancy(path, source_id: str = SOURCE) -> pd.DataFrame:
    """Every MSOA row: msoa_code, msoa_name, sex, deaths, person_years, value, lower_ci, upper_ci."""
    frame = read_file(_load, path, source_id=source_id, layout=LAYOUT)
    check_columns(frame, list(COLUMNS), file=path, source_id=source_id, layout=LAYOUT)
    check_row_count(frame, minimum=1, what="rows", file=path, source_id=source_id)
    frame = frame.rename(columns=COLUMNS)[list(COLUMNS.values())]
    numeric = ["deaths", "person_years", "value", "lower_ci", "upper_ci"]
    frame[numeric] = frame[numeric].replace("", np.nan)
    check_numeric(frame, numeric, file=path, source_id=source_id, min_value=0)
    frame[numeric] = frame[numeric].apply(pd.to_numeric)
    if frame.duplicated(["msoa_code", "sex"]).any():
        raise DataError(source_id=source_id, file=path, problem="MSOA/sex rows repeat", fix="download the file again")
    return frame


def build(ctx, geo) -> Parts:
    frame = read_life_expectancy(ctx.path(SOURCE))
    msoas = place_msoas(geo)
    place = frame[frame["msoa_code"].isin(msoas["msoa_code"])]
    missing = sorted(set(msoas["msoa_code"]) - set(place["msoa_code"]))
    if missing:
        log.warning("life expectancy: %d of the place's MSOAs are not in the file: %s", len(missing), missing)
    ward_pop = msoa_ward_populations(
        geo.lsoa21[["lsoa_code", "msoa_code"]], lsoa21_population(ctx, geo), geo.weights("2021")
    )
    msoa_pop = ward_pop.groupby("msoa_code", as_index=False)["population"].sum()
    values, indicators = [], []
    for sex, indicator_id in INDICATORS.items():
        rows = place[place["sex"] == sex].rename(columns={"msoa_code": "area_code", "msoa_name": "area_name"})
        msoa = rows.assign(area_type="msoa", ci_level=0.95, count=rows["deaths"], value_note=MSOA_NOTE)
        msoa.loc[msoa["value"].isna(), "value_note"] = "suppressed in the source (too few deaths)"
        ward = msoa_to_wards(rows.rename(columns={"area_code": "msoa_code"}), ward_pop)
        ward = ward.rename(columns={"ward_code": "area_code"}).assign(area_type="ward", value_note=WARD_NOTE)
        lad_value = weighted_mean(rows.rename(columns={"area_code": "msoa_code"}).merge(msoa_pop, on="msoa_code"))
        lad = pd.DataFrame(
            [{"area_code": ctx.place.lad_code, "area_type": "lad", "value": lad_value, "value_note": WARD_NOTE}]
        )
        england = pd.DataFrame(
            [
                {
                    "area_code": geo.england_code,
                    "area_type": "england",
                    "value": np.nan,
                    "value_note": "England value for 2016-20 not in the source file",
                }
            ]
        )
        frames = [
            msoa.drop(columns=["deaths", "person_years", "sex"]),
            ward[["area_code", "area_type", "value", "value_note"]],
            lad,
            england,
        ]
        values.append(
            make_values(
                pd.concat(frames, ignore_index=True), indicator_id=indicator_id, period=PERIOD, source_id=SOURCE
            )
        )
        indicators.append(meta(indicator_id, place=ctx.place))
    areas = msoa_areas(place["msoa_code"], place["msoa_name"], geo, lad_code=ctx.place.lad_code)
    log.info("life expectancy: %d MSOAs of the place", place["msoa_code"].nunique())
    return Parts(values=pd.concat(values, ignore_index=True), indicators=indicators, areas=areas)
