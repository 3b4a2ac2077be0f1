"""Fingertips district values (life expectancy, smoking, mortality, suicide ...) from a derived third-party JSON.

The file (tompickup23/lancashire, generated from the Fingertips API) is registered as its own source,
``fingertips-district-derived``; its Census ward counts are the census source's.
"""

from __future__ import annotations

import json
import logging
import re

import numpy as np
import pandas as pd

from pipelines.catalogue import catalogue
from pipelines.context import BuildContext, Geography
from pipelines.errors import DataError
from pipelines.sources.district_common import ENGLAND_MISSING, NO_CI
from pipelines.tidy import Parts, make_values
from pipelines.validate import raise_if_problems, read_file

log = logging.getLogger(__name__)

DERIVED_SOURCE = "fingertips-district-derived"
# key in the JSON -> our indicator id (the catalogue holds the rest)
DERIVED_INDICATORS = {
    "life_expectancy_male": "life_expectancy_male",
    "life_expectancy_female": "life_expectancy_female",
    "smoking_prevalence": "smoking_prevalence",
    "obesity_prevalence": "overweight_obese_adults",
    "drug_misuse_deaths": "drug_misuse_deaths",
    "infant_mortality": "infant_mortality",
    "cvd_mortality_u75": "u75_cvd_mortality",
    "cancer_mortality_u75": "u75_cancer_mortality",
    "respiratory_mortality_u75": "u75_respiratory_mortality",
    "suicide_rate": "suicide_rate",
    "alcohol_mortality": "alcohol_mortality",
    "self_harm_admissions": "self_harm_admissions",
}
DERIVED_FIELDS = ["value", "period", "ci_lower", "ci_upper", "england_value", "nw_value"]


def _number(value) -> float:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else np.nan


def build(ctx: BuildContext, geo: Geography) -> Parts:
    path = ctx.path(DERIVED_SOURCE)
    layout = "the derived health JSON with an 'indicators' object keyed by indicator name"

    def load(p):
        with open(p, encoding="utf-8") as fh:
            return json.load(fh)

    doc = read_file(load, path, source_id=DERIVED_SOURCE, layout=layout)
    indicators = doc.get("indicators") if isinstance(doc, dict) else None
    if not isinstance(indicators, dict):
        raise DataError(source_id=DERIVED_SOURCE, file=path, problem="no 'indicators' object", fix=f"expected {layout}")
    code = (doc.get("meta") or {}).get("ons_code")
    if code and code != ctx.place.lad_code:
        raise DataError(
            source_id=DERIVED_SOURCE,
            file=path,
            problem=f"the file is for {code}, not the place {ctx.place.lad_code}",
            fix="use the derived health JSON of the place named in pipelines/place.toml",
        )
    problems = []
    for key in DERIVED_INDICATORS:
        if key not in indicators:
            problems.append(f"indicator '{key}' missing")
            continue
        lacking = [f for f in DERIVED_FIELDS if f not in indicators[key]]
        if lacking:
            problems.append(f"'{key}' lacks {lacking}")
        elif not isinstance(indicators[key]["value"], int | float | None):
            problems.append(f"'{key}' value {indicators[key]['value']!r} is not a number")
    raise_if_problems(
        problems,
        source_id=DERIVED_SOURCE,
        file=path,
        fix=f"restore the file; expected {layout} with fields {DERIVED_FIELDS}",
    )
    extra = sorted(set(indicators) - set(DERIVED_INDICATORS))
    if extra:
        log.info("derived fingertips: keys not used: %s", extra)
    region_ok = "north west" in geo.region_name.lower()
    if not region_ok:
        log.warning(
            "derived fingertips: the file's 'nw_value' is the North West; the place's region is %r, "
            "so no region values",
            geo.region_name,
        )

    values, metadata = [], []
    for key, indicator_id in DERIVED_INDICATORS.items():
        item = indicators[key]
        period = re.sub(r"\s*-\s*", "-", str(item["period"]).strip())
        place_value = _number(item["value"])
        rows = [
            {
                "area_code": ctx.place.lad_code,
                "area_type": "lad",
                "value": place_value,
                "lower_ci": _number(item["ci_lower"]),
                "upper_ci": _number(item["ci_upper"]),
                "ci_level": 0.95,
                "count": _number(item.get("count")),
                "value_note": None if not np.isnan(place_value) else "value missing in the derived file",
            },
            {
                "area_code": geo.england_code,
                "area_type": "england",
                "value": _number(item["england_value"]),
                "value_note": NO_CI if not np.isnan(_number(item["england_value"])) else ENGLAND_MISSING,
            },
        ]
        if region_ok:
            region_value = _number(item["nw_value"])
            rows.append(
                {
                    "area_code": geo.region_code,
                    "area_type": "region",
                    "value": region_value,
                    "value_note": NO_CI if not np.isnan(region_value) else "region value missing in the derived file",
                }
            )
        values.append(
            make_values(pd.DataFrame(rows), indicator_id=indicator_id, period=period, source_id=DERIVED_SOURCE)
        )
        name = catalogue().entries[indicator_id]["name"]
        metadata.append(
            catalogue().metadata(indicator_id, place=ctx.place, label=item.get("label", name), period=period)
        )
    return Parts(values=pd.concat(values, ignore_index=True), indicators=metadata)
