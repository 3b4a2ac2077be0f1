"""The tidy tables: their columns, and the checks every build runs on them before writing.

Sources (``pipelines/sources/*``) return ``Parts``; ``build`` concatenates them, fills the
provenance columns from the registry and runs ``check_tidy`` before anything is written.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from pipelines.errors import DataError

AREA_TYPES = ("oa", "lsoa", "msoa", "ward", "lad", "county", "region", "england")
POLARITIES = ("higher_is_better", "lower_is_better", "no_judgement")
VALUE_TYPES = ("percentage", "score", "rate", "count", "years", "decile", "rank", "proportion")
WARD_METHODS = (
    "official",  # published by the owner at ward level, used as published
    "apportioned-from-oa",  # OA counts summed to LSOA, then to wards (split LSOAs apportioned by postcodes)
    "apportioned-from-lsoa",  # LSOA counts to wards (split LSOAs apportioned by postcodes)
    "population-weighted",  # LSOA values averaged to wards, weighted by population
    "indicative-from-msoa",  # MSOA values averaged to wards, weighted by the ward's residents in each MSOA (indicative)
    "not-available",  # the source has no ward-level figure; district or coarser only
)

AREA_COLUMNS = ["area_code", "area_name", "area_type", "parent_code", "boundary_vintage"]

INDICATOR_VALUE_COLUMNS = [
    "area_code",
    "area_name",
    "area_type",
    "indicator_id",
    "period",
    "value",
    "lower_ci",
    "upper_ci",
    "ci_level",
    "count",
    "denominator",
    "value_note",
    "source_id",
]
INDICATOR_VALUE_KEY = ["area_code", "area_type", "indicator_id", "period"]

INDICATOR_COLUMNS = [
    "indicator_id",
    "name",
    "topic",
    "unit",
    "value_type",
    "polarity",
    "definition",
    "method",
    "ward_method",
    "source_id",
    "source",
    "publisher",
    "licence",
    "vintage",
    "source_geography",
    "lsoa_vintage",
    "decimals",
]
# What the catalogue must give for each indicator (indicator_id .. source_id); the rest comes from the registry.
INDICATOR_REQUIRED = INDICATOR_COLUMNS[: INDICATOR_COLUMNS.index("source_id") + 1]

PARTNER_SITE_COLUMNS = [
    "site_id",
    "name",
    "kind",
    "org_code",
    "postcode",
    "lon",
    "lat",
    "ward_code",
    "in_place",
    "source_id",
]

LSOA_WARD_WEIGHT_COLUMNS = ["lsoa_code", "lsoa_vintage", "ward_code", "weight", "postcodes", "method"]


@dataclass
class Parts:
    """What one source contributes to the tidy tables."""

    values: pd.DataFrame | None = None
    indicators: list[dict] = field(default_factory=list)
    areas: pd.DataFrame | None = None
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)

    @classmethod
    def merge(cls, *parts: Parts) -> Parts:
        """Several sources' parts as one (values and areas concatenated, indicators and tables in order)."""
        values = [p.values for p in parts if p.values is not None]
        areas = [p.areas for p in parts if p.areas is not None]
        return cls(
            values=pd.concat(values, ignore_index=True) if values else None,
            indicators=[m for p in parts for m in p.indicators],
            areas=pd.concat(areas, ignore_index=True) if areas else None,
            tables={k: v for p in parts for k, v in p.tables.items()},
        )


def empty_values() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype="object") for c in INDICATOR_VALUE_COLUMNS})


def make_values(frame: pd.DataFrame, *, indicator_id: str, period: str, source_id: str, **defaults) -> pd.DataFrame:
    """Shape a frame with at least area_code, area_type and value into indicator_values rows."""
    out = frame.copy()
    out["indicator_id"] = indicator_id
    out["period"] = period
    out["source_id"] = source_id
    for key, value in defaults.items():
        if key not in out.columns:
            out[key] = value
    for column in INDICATOR_VALUE_COLUMNS:
        if column not in out.columns:
            out[column] = (
                np.nan if column in ("value", "lower_ci", "upper_ci", "count", "denominator", "ci_level") else None
            )
    return out[INDICATOR_VALUE_COLUMNS]


def normalise_values(values: pd.DataFrame) -> pd.DataFrame:
    out = values[INDICATOR_VALUE_COLUMNS].copy()
    for column in ("value", "lower_ci", "upper_ci", "count", "denominator", "ci_level"):
        out[column] = pd.to_numeric(out[column], errors="coerce").astype("float64")
    for column in ("area_code", "area_name", "area_type", "indicator_id", "period", "value_note", "source_id"):
        out[column] = out[column].astype("string")
    return out.sort_values(INDICATOR_VALUE_KEY).reset_index(drop=True)


def check_tidy(*, areas: pd.DataFrame, values: pd.DataFrame, indicators: pd.DataFrame) -> None:
    """Raise one DataError listing every way the assembled tables break their contract."""
    problems: list[str] = []
    dup = values.duplicated(INDICATOR_VALUE_KEY, keep=False)
    if dup.any():
        problems.append(
            f"indicator_values: {int(dup.sum())} rows repeat the key {INDICATOR_VALUE_KEY}, e.g. "
            f"{values.loc[dup, INDICATOR_VALUE_KEY].head(3).to_dict('records')}"
        )
    for column in ("area_code", "area_type", "indicator_id", "period", "source_id"):
        if values[column].isna().any():
            problems.append(f"indicator_values: {int(values[column].isna().sum())} rows without {column}")
    bad_types = sorted(set(values["area_type"].dropna()) - set(AREA_TYPES))
    if bad_types:
        problems.append(f"indicator_values: unknown area_type {bad_types}")
    no_value = values["value"].isna() & values["value_note"].isna()
    if no_value.any():
        problems.append(f"indicator_values: {int(no_value.sum())} missing values without a value_note saying why")
    unknown_indicators = sorted(set(values["indicator_id"]) - set(indicators["indicator_id"]))
    if unknown_indicators:
        problems.append(f"indicator_values: indicators without metadata {unknown_indicators[:10]}")
    unused = sorted(set(indicators["indicator_id"]) - set(values["indicator_id"]))
    if unused:
        problems.append(f"indicators: metadata without any value {unused[:10]}")
    if indicators["indicator_id"].duplicated().any():
        repeated = sorted(indicators.loc[indicators["indicator_id"].duplicated(), "indicator_id"])
        problems.append(f"indicators: repeated ids {repeated}")
    for column, allowed in (("polarity", POLARITIES), ("value_type", VALUE_TYPES), ("ward_method", WARD_METHODS)):
        bad = sorted(set(indicators[column]) - set(allowed))
        if bad:
            problems.append(f"indicators: {column} {bad} not in {list(allowed)}")
    area_keys = set(zip(areas["area_code"], areas["area_type"], strict=True))
    value_keys = set(zip(values["area_code"], values["area_type"], strict=True))
    orphan = sorted(value_keys - area_keys)
    if orphan:
        problems.append(f"indicator_values: {len(orphan)} areas not in the areas table, e.g. {orphan[:5]}")
    ci = values.dropna(subset=["lower_ci", "upper_ci", "value"])
    bad_ci = (ci["lower_ci"] > ci["value"] + 1e-9) | (ci["upper_ci"] < ci["value"] - 1e-9)
    if bad_ci.any():
        problems.append(
            f"indicator_values: {int(bad_ci.sum())} confidence intervals that do not contain their value, e.g. "
            f"{ci.loc[bad_ci, INDICATOR_VALUE_KEY].head(3).to_dict('records')}"
        )
    if problems:
        raise DataError(
            file="data/tidy (assembled tables)",
            problem="; ".join(problems),
            fix="this is a pipeline bug or an input that passed its source's checks; "
            "see the source module for the table named",
        )
