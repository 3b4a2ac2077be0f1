"""Shared by the district-level sources: which areas to keep, rows for missing areas, area types by code.

Every file of these sources is national (or, for the derived JSON, the place's) and mostly at
local authority district level. Values are kept for every English district the geography step
knows (2019 codes from the ONS ward hierarchy lookup), the place's county and region, and
England. Rows of districts with other codes (e.g. 2023 unitary authorities) are dropped and
counted in the log. Where a file has no England row, an England row with no value says so;
where the place itself is missing, a row with no value says so.
"""

from __future__ import annotations

import logging
import re

import numpy as np
import pandas as pd

from pipelines.context import Geography
from pipelines.settings import ENGLAND_CODE, Place

log = logging.getLogger(__name__)

ENGLAND_MISSING = "England value not in the source file"
NO_CI = "no confidence interval published"
DISTRICT_ONLY = "District level only: the source publishes no ward or small-area figure."


def normalise_name(name: str) -> str:
    """Area names compared loosely: case, '&'/'and', punctuation and repeated spaces ignored."""
    text = str(name).lower().replace("&", " and ")
    text = re.sub(r"[.,'’()]", " ", text)
    text = text.replace("-", " ")
    return re.sub(r"\s+", " ", text).strip()


def keep_known_areas(rows: pd.DataFrame, *, geo: Geography, lad_codes: set[str], label: str) -> pd.DataFrame:
    """Keep the districts geography knows, the place's county and region, and England."""
    known = (
        ((rows["area_type"] == "lad") & rows["area_code"].isin(lad_codes))
        | ((rows["area_type"] == "county") & (rows["area_code"] == geo.county_code) & (geo.county_code != ""))
        | ((rows["area_type"] == "region") & (rows["area_code"] == geo.region_code))
        | ((rows["area_type"] == "england") & (rows["area_code"] == geo.england_code))
        | (rows["area_type"] == "ward")
    )
    dropped = rows.loc[~known & (rows["area_type"] == "lad"), "area_code"]
    if len(dropped):
        log.info(
            "%s: %d district rows with codes not in the 2019 district list dropped (e.g. %s)",
            label,
            len(dropped),
            list(dropped[:3]),
        )
    return rows[known].reset_index(drop=True)


def add_missing_rows(
    rows: pd.DataFrame, *, place: Place, geo: Geography, label: str, england: bool = True
) -> pd.DataFrame:
    """Rows with no value (and a note) for the place and, when ``england``, England, if the file lacks them."""
    extra = []
    present = set(zip(rows["area_code"], rows["area_type"], strict=True))
    if (place.lad_code, "lad") not in present:
        log.warning("%s: %s (%s) is not in the source file", label, place.name, place.lad_code)
        extra.append(
            {
                "area_code": place.lad_code,
                "area_type": "lad",
                "value": np.nan,
                "value_note": f"{place.name} not in the source file",
            }
        )
    if england and (geo.england_code, "england") not in present:
        extra.append(
            {"area_code": geo.england_code, "area_type": "england", "value": np.nan, "value_note": ENGLAND_MISSING}
        )
    if not extra:
        return rows
    return pd.concat([rows, pd.DataFrame(extra)], ignore_index=True)


def area_type_of(code: str) -> str | None:
    if code == ENGLAND_CODE:
        return "england"
    for prefix, kind in (
        ("E12", "region"),
        ("E10", "county"),
        ("E06", "lad"),
        ("E07", "lad"),
        ("E08", "lad"),
        ("E09", "lad"),
    ):
        if code.startswith(prefix):
            return kind
    return None


def lad_codes_of(geo: Geography) -> set[str]:
    """Every English district (2019 codes) and the place, from the geography step."""
    return set(geo.english_lads["lad_code"])
