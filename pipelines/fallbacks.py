"""The next-best inputs when a per-place file is not held (and no wider file can be cut).

Each function stands in for one reader's input and says in the metadata what was used instead.
"""

from __future__ import annotations

import logging

import numpy as np
import pandas as pd

from pipelines.context import Geography

log = logging.getLogger(__name__)

FILE7_NOT_HELD_METHOD = (
    " For this place IoD2025 File 7 is not held: the LSOA scores, ranks and deciles come from the England-wide copy "
    "of File 7 (humaniverse/IMD), and wards are weighted by Census 2021 usual residents (TS007A) instead of File 7's "
    "mid-2022 populations. IDACI and IDAOPI are not held."
)


def file7_from_england(geo: Geography, england: pd.DataFrame, population: pd.DataFrame) -> pd.DataFrame:
    """File 7's columns for the place's LSOAs from the England-wide table, populations from ``population``.

    ``england``: lsoa_code, imd_score/rank/decile, <domain>_score (read_england_lsoa); ``population``:
    lsoa_code, total. The supplementary indices (IDACI, IDAOPI) are not in the England table: NaN.
    """
    place = england[england["lsoa_code"].isin(geo.lsoa21_codes)]
    out = place.merge(geo.lsoa21[["lsoa_code", "lsoa_name"]], on="lsoa_code", how="left")
    out = out.merge(population.rename(columns={"total": "population"}), on="lsoa_code", how="left")
    out["population"] = out["population"].astype(float)
    for key in ("idaci", "idaopi"):
        out[f"{key}_score"] = np.nan
    log.info("IoD2025 File 7 not held: %d LSOAs from the England-wide table, Census 2021 populations", len(out))
    return out.sort_values("lsoa_code").reset_index(drop=True)
