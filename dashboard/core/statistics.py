"""Comparisons with confidence intervals, ranks and ratios: pure functions on numbers."""

from __future__ import annotations

import math

import pandas as pd

from dashboard.core.cells import is_missing

BETTER = "better"
WORSE = "worse"
SIMILAR = "similar"
HIGHER = "higher"
LOWER = "lower"
NOT_COMPARED = "not compared"
MISSING = "missing"
SIGNIFICANCE_ORDER = (WORSE, LOWER, SIMILAR, HIGHER, BETTER, NOT_COMPARED, MISSING)


def classify_significance(
    *,
    value: float | None,
    lower_ci: float | None,
    upper_ci: float | None,
    reference: float | None,
    polarity: str,
) -> str:
    """Compare an area with a reference value the way Fingertips does: the area's confidence
    interval against the reference's value.

    Returns ``better``/``worse`` when the indicator has a polarity, ``higher``/``lower`` when it
    has none, ``similar`` when the interval contains the reference, ``not compared`` when there is
    no interval or no reference, and ``missing`` when the area has no value.
    """
    if is_missing(value):
        return MISSING
    if is_missing(reference) or is_missing(lower_ci) or is_missing(upper_ci):
        return NOT_COMPARED
    if lower_ci > reference:
        direction = HIGHER
    elif upper_ci < reference:
        direction = LOWER
    else:
        return SIMILAR
    if polarity == "higher_is_better":
        return BETTER if direction == HIGHER else WORSE
    if polarity == "lower_is_better":
        return WORSE if direction == HIGHER else BETTER
    return direction


def ratio_to(value: float | None, reference: float | None) -> float:
    """value / reference, or NaN when either is missing or the reference is 0."""
    if is_missing(value) or is_missing(reference) or reference == 0:
        return math.nan
    return float(value) / float(reference)


def rank_descending(values: pd.Series) -> pd.Series:
    """Rank 1 = the highest value; missing values get no rank (NaN); ties share the best rank."""
    return values.rank(ascending=False, method="min")


def rank_of(values: pd.Series, key: object) -> tuple[float, int]:
    """(rank of ``key`` where 1 is the highest value, number of ranked areas)."""
    ranks = rank_descending(values)
    n = int(values.notna().sum())
    if key not in ranks.index:
        return math.nan, n
    return float(ranks.loc[key]), n
