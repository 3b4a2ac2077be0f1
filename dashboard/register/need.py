"""Need against partner activity, per ward (pure pandas: frames in, new frames out).

The rules, also returned in ``NeedActivityResult.method``:

- Activities are kept when they have any of the chosen themes, one of the chosen sectors and
  one of the chosen statuses (by default only ``active``).
- An activity tied to several wards counts once in each of them (activity_count), and its reach
  is split equally across them (an activity reaching 100 people in 2 wards adds 50 to each).
- Reach counts only activities whose reach is in people (``reach_unit``, default "people"),
  turned into people a year: a weekly figure x 52, monthly x 12, quarterly x 4, a yearly or a
  whole-activity ("total") figure as given. Activities with no reach in that unit still count as
  activities, add nothing to reach, and are counted in ``activities_without_reach``.
- reach_per_1000 = reach / population x 1,000; activity_per_10000 = activity_count /
  population x 10,000 (missing when the population is missing or zero).
- need_rank 1 is the greatest need (the highest value, or the lowest when
  ``higher_value_is_more_need`` is False); ties share the best rank.
- Quadrants split at the medians across the wards: "high need" when the value is at or beyond the
  median need (at or above it when higher means more need), "low activity" when the activity
  measure (activity_per_10000 by default) is at or below its median. Wards at a median are put
  on the side that flags them, so a borderline ward is looked at rather than missed.

The public view (``public_need_vs_activity``, for anyone who may not edit the register) is built
only from what the public register already shows, so no total, rate, median or difference
between two filter choices can give away a small count:

- an activity's reach below the small-number threshold (shown publicly as "<5") adds nothing to
  any total (the activity still counts as an activity, one "without reach");
- each ward's reach is then rounded to the nearest multiple of the threshold (5), and a ward
  total from 1 to 4 is shown as "<5" (no reach, no rate); reach per 1,000 is worked out from the
  rounded reach. Any two public totals therefore differ by 0 or by 5 or more.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any, Literal

import numpy as np
import pandas as pd

from dashboard.core import disclosure
from dashboard.core.cells import list_items
from dashboard.register.models import PERIODS_PER_YEAR

log = logging.getLogger(__name__)

HIGH_NEED_LOW_ACTIVITY = "high need, low activity"
HIGH_NEED_HIGHER_ACTIVITY = "high need, higher activity"
LOWER_NEED_LOW_ACTIVITY = "lower need, low activity"
LOWER_NEED_HIGHER_ACTIVITY = "lower need, higher activity"
NO_NEED_VALUE = "no need value"
QUADRANTS = (
    HIGH_NEED_LOW_ACTIVITY,
    HIGH_NEED_HIGHER_ACTIVITY,
    LOWER_NEED_LOW_ACTIVITY,
    LOWER_NEED_HIGHER_ACTIVITY,
    NO_NEED_VALUE,
)
NEED_COLUMNS = ("ward_code", "ward_name", "value", "population")
ACTIVITY_COLUMNS = ("record_id", "sector", "themes", "wards", "status", "reach_count", "reach_unit", "reach_period")
RESULT_COLUMNS = (
    "ward_code",
    "ward_name",
    "value",
    "population",
    "need_rank",
    "activity_count",
    "activities_without_reach",
    "reach",
    "reach_per_1000",
    "activity_per_10000",
    "quadrant",
)


@dataclass(frozen=True)
class NeedActivityResult:
    """``table``: one row per ward of the need frame (columns ``RESULT_COLUMNS``), by need rank;
    ``gaps``: the high-need, low-activity wards, greatest need first; ``method``: the rules and
    the medians used, in words."""

    table: pd.DataFrame
    gaps: pd.DataFrame
    method: str
    need_median: float
    activity_median: float


def _check_columns(frame: pd.DataFrame, columns: Iterable[str], name: str) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ValueError(f"{name} lacks columns {missing}; it needs {list(columns)}")


def build_need_vs_activity(
    need: pd.DataFrame,
    activities: pd.DataFrame,
    *,
    themes: Iterable[str] | None = None,
    sectors: Iterable[str] | None = None,
    statuses: Iterable[str] | None = ("active",),
    reach_unit: str = "people",
    activity_measure: Literal["activity_per_10000", "reach_per_1000"] = "activity_per_10000",
    higher_value_is_more_need: bool = True,
) -> NeedActivityResult:
    """Compare a per-ward need indicator with the partner activities in each ward.

    ``need`` has one row per ward: ward_code, ward_name, value (the indicator) and population
    (residents). ``activities`` is ``Store.frame()`` or any frame with ``ACTIVITY_COLUMNS``
    (themes and wards as tuples or ';'-separated text). ``themes``, ``sectors`` and ``statuses``
    filter the activities (None keeps all). See the module docstring for every rule.
    """
    _check_columns(need, NEED_COLUMNS, "the need frame")
    _check_columns(activities, ACTIVITY_COLUMNS, "the activity frame")
    if need["ward_code"].duplicated().any():
        raise ValueError("the need frame has more than one row for a ward; give one row per ward")
    if activity_measure not in ("activity_per_10000", "reach_per_1000"):
        raise ValueError("activity_measure must be 'activity_per_10000' or 'reach_per_1000'")

    acts = activities.loc[:, list(ACTIVITY_COLUMNS)].copy()
    acts["themes"] = acts["themes"].map(list_items)
    acts["wards"] = acts["wards"].map(list_items)
    keep = pd.Series(True, index=acts.index)
    if themes is not None:
        wanted = set(themes)
        keep &= acts["themes"].map(lambda ts: bool(wanted & set(ts)))
    if sectors is not None:
        keep &= acts["sector"].isin(list(sectors))
    if statuses is not None:
        keep &= acts["status"].isin(list(statuses))
    acts = acts[keep]

    per_year = pd.to_numeric(acts["reach_period"].map(PERIODS_PER_YEAR), errors="coerce").astype("float64")
    count = pd.to_numeric(acts["reach_count"], errors="coerce").astype("float64")
    counted = (acts["reach_unit"] == reach_unit) & count.notna() & per_year.notna()
    acts = acts.assign(annual_reach=(count * per_year).where(counted), n_wards=acts["wards"].map(len).astype("int64"))
    links = acts[acts["n_wards"] > 0].explode("wards").rename(columns={"wards": "ward_code"})
    links = links.assign(
        reach_share=links["annual_reach"] / links["n_wards"], no_reach=links["annual_reach"].isna().astype(int)
    )
    per_ward = links.groupby("ward_code").agg(
        activity_count=("record_id", "size"),
        activities_without_reach=("no_reach", "sum"),
        reach=("reach_share", lambda s: s.sum(min_count=0)),
    )
    unknown = sorted(set(per_ward.index) - set(need["ward_code"]))
    if unknown:
        log.info(
            "%d ward codes in the activities are not in the need frame and are left out: %s", len(unknown), unknown[:5]
        )

    table = need.loc[:, list(NEED_COLUMNS)].merge(per_ward, how="left", left_on="ward_code", right_index=True)
    table["activity_count"] = table["activity_count"].fillna(0).astype("int64")
    table["activities_without_reach"] = table["activities_without_reach"].fillna(0).astype("int64")
    table["reach"] = table["reach"].fillna(0.0).astype("float64")
    population = pd.to_numeric(table["population"], errors="coerce")
    population = population.where(population > 0)
    table["reach_per_1000"] = table["reach"] / population * 1_000
    table["activity_per_10000"] = table["activity_count"] / population * 10_000
    value = pd.to_numeric(table["value"], errors="coerce")
    table["need_rank"] = value.rank(ascending=not higher_value_is_more_need, method="min").astype("Int64")

    need_median = float(value.median())
    measure = table[activity_measure]
    activity_median = float(measure.median())
    high_need = value >= need_median if higher_value_is_more_need else value <= need_median
    low_activity = measure.isna() | (measure <= activity_median)
    table["quadrant"] = np.select(
        [value.isna(), high_need & low_activity, high_need, low_activity],
        [NO_NEED_VALUE, HIGH_NEED_LOW_ACTIVITY, HIGH_NEED_HIGHER_ACTIVITY, LOWER_NEED_LOW_ACTIVITY],
        default=LOWER_NEED_HIGHER_ACTIVITY,
    )
    table = (
        table.sort_values(["need_rank", activity_measure, "ward_name"], na_position="last", kind="stable")
        .loc[:, list(RESULT_COLUMNS)]
        .reset_index(drop=True)
    )
    gaps = table[table["quadrant"] == HIGH_NEED_LOW_ACTIVITY].reset_index(drop=True)

    direction = "higher" if higher_value_is_more_need else "lower"
    measure_words = (
        "activities per 10,000 residents"
        if activity_measure == "activity_per_10000"
        else "attendances a year per 1,000 residents"
    )
    method = (
        f"{len(acts)} activities counted (themes: {_words(themes)}; sectors: {_words(sectors)}; "
        f"statuses: {_words(statuses)}). An activity in several wards counts once in each, and its reach "
        "is split equally between them. Reach is attendances a year, not unique people (weekly x 52, monthly x 12, "
        "quarterly x 4; "
        f"yearly and whole-activity figures as given); activities with no reach in {reach_unit} count as "
        f"activities but add no reach. A ward is 'high need' when its value is at or "
        f"{'above' if higher_value_is_more_need else 'below'} the median of the wards "
        f"({need_median:.4g}; {direction} values mean more need) and 'low activity' when its {measure_words} "
        f"are at or below the median ({activity_median:.4g}). Need rank 1 is the greatest need."
    )
    log.info(
        "need vs activity: %d wards, %d activities, %d high-need low-activity wards", len(table), len(acts), len(gaps)
    )
    return NeedActivityResult(
        table=table, gaps=gaps, method=method, need_median=need_median, activity_median=activity_median
    )


def _words(values: Iterable[str] | None) -> str:
    return "all" if values is None else ", ".join(values) or "none"


PUBLIC_METHOD = (
    " Public view: an activity reaching fewer than {t} adds no reach (it still counts as an activity); "
    "each ward's reach is rounded to the nearest {t} and a ward total below {t} is shown as <{t}, "
    "so no figure, and no difference between two choices of filters, reveals a small count."
)


def public_need_vs_activity(
    need: pd.DataFrame, activities: pd.DataFrame, *, limit: int | None = None, **options: Any
) -> tuple[NeedActivityResult, bool]:
    """``build_need_vs_activity`` as the public may see it (rules in the module docstring):
    returns the result, with ``reach_note`` saying where a ward's reach is hidden, and whether any
    ward's reach is hidden. ``options`` are ``build_need_vs_activity``'s keyword arguments."""
    t = disclosure.threshold(limit)
    count = pd.to_numeric(activities["reach_count"], errors="coerce").astype("float64")
    small = count.map(lambda v: disclosure.is_small(v, t))
    result = build_need_vs_activity(need, activities.assign(reach_count=count.mask(small)), **options)
    table = result.table.copy()
    reach = (np.floor(table["reach"] / t + 0.5) * t).where(table["reach"] > 0, table["reach"])
    hidden = table["reach"].map(lambda v: disclosure.is_small(v, t))
    population = pd.to_numeric(table["population"], errors="coerce")
    table["reach"] = reach.mask(hidden)
    table["reach_per_1000"] = table["reach"] / population.where(population > 0) * 1_000
    table["reach_note"] = np.where(hidden, f"{disclosure.small_text(t)} people (suppressed)", "")
    log.info(
        "public need view: %d activity reach counts below %d left out, %d wards hidden", small.sum(), t, hidden.sum()
    )
    public = replace(
        result,
        table=table,
        gaps=table[table["quadrant"] == HIGH_NEED_LOW_ACTIVITY].reset_index(drop=True),
        method=result.method + PUBLIC_METHOD.format(t=t),
    )
    return public, bool(hidden.any())
