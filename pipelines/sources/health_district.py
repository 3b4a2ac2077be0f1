"""Fingertips 93495 common mental disorders (2017): English districts, the place's county and region, England."""

from __future__ import annotations

import logging

import pandas as pd

from pipelines.sources.health_common import meta, read_fingertips
from pipelines.tidy import Parts, make_values

log = logging.getLogger(__name__)

SOURCE = "fingertips-93495-cmd"
TYPES = {"District": "lad", "UA": "lad", "County": "county", "Region": "region", "England": "england"}


def build(ctx, geo) -> Parts:
    frame = read_fingertips(ctx.path(SOURCE), source_id=SOURCE, indicator_code="93495")
    frame = frame.assign(area_type=frame["Area Type"].map(TYPES)).dropna(subset=["area_type"])
    known = (
        (frame["area_type"].eq("lad") & frame["Area Code"].isin(set(geo.english_lads["lad_code"])))
        | (frame["area_type"].eq("county") & frame["Area Code"].eq(geo.county_code))
        | (frame["area_type"].eq("region") & frame["Area Code"].eq(geo.region_code))
        | (frame["area_type"].eq("england") & frame["Area Code"].eq(geo.england_code))
    )
    frame = frame[known].drop_duplicates(["Area Code", "area_type"])
    rows = pd.DataFrame(
        {
            "area_code": frame["Area Code"],
            "area_name": frame["Area Name"],
            "area_type": frame["area_type"],
            "value": frame["Value"],
            "lower_ci": frame["Lower CI 95.0 limit"],
            "upper_ci": frame["Upper CI 95.0 limit"],
            "ci_level": 0.95,
            "value_note": "modelled estimate as published (Fingertips 93495)",
        }
    )
    if ctx.place.lad_code not in set(rows["area_code"]):
        rows = pd.concat(
            [
                rows,
                pd.DataFrame(
                    [{"area_code": ctx.place.lad_code, "area_type": "lad", "value_note": "not in the source file"}]
                ),
            ]
        )
    periods = sorted(set(frame["Time period"]))
    log.info("common mental disorders: %d rows, periods %s", len(rows), periods)
    return Parts(
        values=make_values(
            rows, indicator_id="common_mental_disorders", period=periods[0] if periods else "2017", source_id=SOURCE
        ),
        indicators=[meta("common_mental_disorders", place=ctx.place)],
    )
