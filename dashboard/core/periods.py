"""Values by period: every period of an indicator for a few areas, and the place and England
figures *of the same period* as a ward's figure (a ward's 2016-20 life expectancy is compared
with the district's and England's 2016-20, not with their latest year). Pure pandas."""

from __future__ import annotations

import pandas as pd

from dashboard.core.tidy_tables import ENGLAND_CODE, Tidy

REFERENCE_COLUMNS = [
    "place_value",
    "place_lower_ci",
    "place_upper_ci",
    "england_value",
    "england_lower_ci",
    "england_upper_ci",
]


def ordered_periods(periods) -> list[str]:
    """Distinct periods in time order. Period labels sort as text ('2011' < '2022',
    '2022/23' < '2023/24', '2013-17' < '2016-20'), which is time order for every label the
    tidy tables use."""
    return sorted({str(p) for p in periods if isinstance(p, str) and p})


def reference_rows(tidy: Tidy, indicator_ids: list[str] | None = None) -> pd.DataFrame:
    """Place (lad) and England values for every period: indicator_id, period, place_*, england_*."""
    v = tidy.values
    if indicator_ids is not None:
        v = v[v["indicator_id"].isin(indicator_ids)]
    cols = ["indicator_id", "period", "value", "lower_ci", "upper_ci"]
    place = v.loc[(v["area_type"] == "lad") & (v["area_code"] == tidy.lad_code), cols].drop_duplicates(
        ["indicator_id", "period"]
    )
    england = v.loc[(v["area_type"] == "england") | (v["area_code"] == ENGLAND_CODE), cols].drop_duplicates(
        ["indicator_id", "period"]
    )
    place = place.rename(columns={"value": "place_value", "lower_ci": "place_lower_ci", "upper_ci": "place_upper_ci"})
    england = england.rename(
        columns={"value": "england_value", "lower_ci": "england_lower_ci", "upper_ci": "england_upper_ci"}
    )
    return place.merge(england, on=["indicator_id", "period"], how="outer")


def match_reference_periods(tidy: Tidy, facts: pd.DataFrame) -> pd.DataFrame:
    """``facts`` (indicator_id, period, place_value, england_value ...) with the place and
    England values replaced by those of the fact's own period wherever that period exists for
    them; where it does not, the latest reference stays (and ``reference_period`` says so)."""
    if facts.empty:
        return facts.assign(reference_period=pd.Series(dtype="object"))
    refs = reference_rows(tidy, facts["indicator_id"].unique().tolist())
    same = facts[["indicator_id", "period"]].merge(refs, on=["indicator_id", "period"], how="left")
    out = facts.copy()
    has_same = (same["place_value"].notna() | same["england_value"].notna()).to_numpy()
    for column in REFERENCE_COLUMNS:
        if column in out.columns:
            out[column] = out[column].where(~has_same, same[column].to_numpy())
        else:
            out[column] = same[column].to_numpy()
    out["reference_period"] = out["period"].where(has_same, "latest")
    return out


def series(tidy: Tidy, indicator_id: str, *, codes: list[str]) -> pd.DataFrame:
    """Every period of one indicator for the given areas (any area type), in time order."""
    v = tidy.values
    rows = v[(v["indicator_id"] == indicator_id) & v["area_code"].isin(codes)]
    order = {p: i for i, p in enumerate(ordered_periods(rows["period"]))}
    return (
        rows.assign(_order=rows["period"].map(order))
        .sort_values(["area_code", "_order"])
        .drop(columns="_order")
        .reset_index(drop=True)
    )


def period_counts(tidy: Tidy, *, area_types: tuple[str, ...] = ("ward",)) -> pd.Series:
    """How many distinct periods each indicator has among rows of the given area types."""
    v = tidy.values
    rows = v[v["area_type"].isin(area_types)]
    return rows.groupby("indicator_id")["period"].nunique()


def periods_of(tidy: Tidy, indicator_id: str, *, area_type: str) -> list[str]:
    v = tidy.values
    return ordered_periods(v.loc[(v["indicator_id"] == indicator_id) & (v["area_type"] == area_type), "period"])
