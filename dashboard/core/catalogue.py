"""The Data and sources page's indicator list: every indicator's definition, periods held,
geography of the source, ward method, licence and citation, from the indicators, values and
sources tables (nothing written here for a particular indicator)."""

from __future__ import annotations

import pandas as pd

from dashboard.core import periods
from dashboard.core.tidy_tables import Tidy

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
    out["citation"] = [
        citation_of(tidy, s, licence=lic) for s, lic in zip(out["source_id"], out["licence"], strict=True)
    ]
    return out.sort_values(["topic", "name"])[COLUMNS].reset_index(drop=True)


CITATION_MARK = "citation required:"


def citation_of(tidy: Tidy, source_id: object, *, licence: object = "") -> str:
    """How a source asks to be cited: the sources table's ``citation`` column when the build has
    one, else the text after 'citation required:' in the source's (or indicator's) licence."""
    src = tidy.sources[tidy.sources["source_id"] == source_id] if len(tidy.sources) else tidy.sources
    if "citation" in src.columns:
        given = [str(c) for c in src["citation"].dropna() if str(c).strip()]
        if given:
            return given[0]
    for text in [*src.get("licence", pd.Series(dtype="object")).dropna().astype(str), str(licence or "")]:
        at = text.lower().find(CITATION_MARK)
        if at >= 0:
            return text[at + len(CITATION_MARK) :].strip()
    return ""
