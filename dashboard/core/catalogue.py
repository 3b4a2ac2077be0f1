"""The Data and sources page's indicator list: every indicator's definition, periods held,
geography of the source, ward method, licence and citation, from the indicators, values and
sources tables (nothing written here for a particular indicator)."""

from __future__ import annotations

import pandas as pd

from dashboard.core import periods
from dashboard.core.store import Tidy

LEVEL_ORDER = ("msoa", "lsoa", "ward", "lad", "england")
COLUMNS = [
    "name",
    "topic",
    "definition",
    "periods",
    "source_geography",
    "levels held",
    "ward_method",
    "method",
    "source",
    "publisher",
    "vintage",
    "licence",
    "citation",
    "lsoa_vintage",
    "indicator_id",
]


def periods_text(values: list[str]) -> str:
    """'2016-20' for one period, '2011 to 2022 (12 periods)' for several, '' for none."""
    if not values:
        return ""
    if len(values) == 1:
        return values[0]
    return f"{values[0]} to {values[-1]} ({len(values)} periods)"


def indicator_catalogue(tidy: Tidy) -> pd.DataFrame:
    """One row per indicator, sorted by topic and name, with the periods and area levels held
    and the source's citation (from ``sources.citation`` when the build records one)."""
    v = tidy.values
    held = v.groupby("indicator_id")["period"].agg(lambda p: periods_text(periods.ordered_periods(p)))
    levels = v.groupby("indicator_id")["area_type"].agg(
        lambda a: ", ".join(level for level in LEVEL_ORDER if level in set(a))
    )
    out = tidy.indicators.copy()
    out["periods"] = out["indicator_id"].map(held).fillna("")
    out["levels held"] = out["indicator_id"].map(levels).fillna("")
    citations = pd.Series(dtype="object")
    if "citation" in tidy.sources.columns and len(tidy.sources):
        src = tidy.sources.dropna(subset=["citation"]).drop_duplicates("source_id")
        citations = src.set_index("source_id")["citation"].astype(str)
    out["citation"] = out["source_id"].map(citations).fillna("")
    return out.sort_values(["topic", "name"])[COLUMNS].reset_index(drop=True)
