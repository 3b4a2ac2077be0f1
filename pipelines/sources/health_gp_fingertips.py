"""GP-practice Fingertips indicators attributed to wards like the QOF registers: smoking (91547), A&E 0-4 (93930).

Each practice's published Count and Denominator are shared among LSOAs (2011) by its registered
patients living there (April 2020), then to wards by the LSOA 2011 -> ward weights. The place's
estimate is compared with the published local-authority value (smoking) in health_estimate_checks.
"""

from __future__ import annotations

import logging

import pandas as pd

from pipelines.estimates import percentage_rows
from pipelines.health_estimates import attribute_practices
from pipelines.sources.health_common import check_row, checks_frame, meta, read_fingertips
from pipelines.sources.health_qof import (
    PATIENTS_SOURCE,
    QOF_SOURCE,
    area_rows,
    place_patients,
    practice_totals,
    read_patients,
    read_prevalence,
)
from pipelines.tidy import Parts, make_values

log = logging.getLogger(__name__)

SPECS = (  # source id, Fingertips id, our id, per (100 = percentage with Wilson CI)
    ("fingertips-91547-gp", "91547", "smoking_prevalence_qof", 100.0),
    ("fingertips-93930-gp", "93930", "ae_attendances_0_4", 1000.0),
)
NOTE = "estimate: practice counts attributed to LSOAs 2011 by registered patients (April 2020), then to wards"


def gp_rows(frame: pd.DataFrame) -> pd.DataFrame:
    gp = frame[(frame["Area Type"] == "GPs") & frame["Count"].notna() & frame["Denominator"].notna()]
    return gp.assign(Sex=gp["Sex"].fillna("Persons"))[lambda f: f["Sex"] == "Persons"]


def build(ctx, geo) -> Parts:
    held = place_patients(read_patients(ctx.path(PATIENTS_SOURCE)), geo)
    totals = practice_totals(read_prevalence(ctx.path(QOF_SOURCE, 0)))
    place_lsoas = set(geo.lsoa11_codes)
    lad = ctx.place.lad_code
    values, indicators, checks = [], [], []
    for source_id, code, indicator_id, per in SPECS:
        path = ctx.path(source_id)
        frame = read_fingertips(path, source_id=source_id, indicator_code=code)
        frame = frame.assign(Sex=frame["Sex"] if "Sex" in frame.columns else "Persons")
        gp = gp_rows(frame)
        for period, rows in gp.groupby("Time period"):
            practice = pd.DataFrame(
                {"practice_code": rows["Area Code"], "count": rows["Count"], "denominator": rows["Denominator"]}
            )
            lsoa = attribute_practices(practice, held, totals)
            lsoa = lsoa[lsoa["lsoa_code"].isin(place_lsoas)]
            out = area_rows(geo, lsoa, lad_code=lad, england=None)
            if per == 100.0:
                out = percentage_rows(out, numerator=out["count"], denominator=out["denominator"])
            else:
                out["value"] = per * out["count"] / out["denominator"]
            out["value_note"] = NOTE
            england = frame[(frame["Area Code"] == geo.england_code) & (frame["Time period"] == period)]
            england = england[england["Sex"].fillna("Persons") == "Persons"]
            if len(england):
                e = england.iloc[0]
                out = pd.concat(
                    [
                        out,
                        pd.DataFrame(
                            [
                                {
                                    "area_code": geo.england_code,
                                    "area_type": "england",
                                    "value": e["Value"],
                                    "lower_ci": e["Lower CI 95.0 limit"],
                                    "upper_ci": e["Upper CI 95.0 limit"],
                                    "ci_level": 0.95,
                                    "count": e["Count"],
                                    "denominator": e["Denominator"],
                                    "value_note": "England as published (Fingertips)",
                                }
                            ]
                        ),
                    ],
                    ignore_index=True,
                )
            values.append(make_values(out, indicator_id=indicator_id, period=str(period), source_id=source_id))
            la = frame[(frame["Area Code"] == lad) & (frame["Time period"] == period)]
            la = la[la["Sex"].fillna("Persons") == "Persons"]
            place = out[out["area_type"] == "lad"].iloc[0]
            checks.append(
                check_row(
                    f"{indicator_id}_place_vs_published",
                    indicator_id,
                    str(period),
                    lad,
                    "lad",
                    estimate=float(place["value"]),
                    reference=float(la["Value"].iloc[0]) if len(la) else None,
                    reference_source_id=source_id,
                    note="place estimate from attributed practices vs the published local-authority value"
                    if len(la)
                    else "no published local-authority value for this period",
                )
            )
            log.info("%s %s: %d practices", indicator_id, period, len(practice))
        indicators.append(meta(indicator_id, place=ctx.place))
    return Parts(
        values=pd.concat(values, ignore_index=True) if values else None,
        indicators=indicators,
        tables={"health_estimate_checks": checks_frame(checks)},
    )
