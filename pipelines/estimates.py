"""Ward estimates from small-area data, made the same way everywhere, with the method stated.

- Counts: OA counts are summed to LSOAs (OAs nest exactly in LSOAs). An LSOA that lies in one
  ward goes to it whole. An LSOA split between wards is apportioned by the share of its
  postcodes (OS Code-Point Open, point in the LSOA polygon, ward from the postcode record)
  that lie in each ward, an address-density proxy for where its residents live; whole people
  are handed out by the largest-remainder rule so that ward totals add up to the place total.
- Averages (IMD scores): population-weighted mean of LSOA values, with each LSOA's population
  split by the same weights.
- Proportions get Wilson score 95% intervals (PHStatsMethods, DHSC's implementation).
"""

from __future__ import annotations

import math

import geopandas as gpd
import numpy as np
import pandas as pd
from PHStatsMethods import wilson_lower, wilson_upper

BNG = "EPSG:27700"


def wilson_interval(
    count: pd.Series, denominator: pd.Series, *, confidence: float = 0.95
) -> tuple[pd.Series, pd.Series]:
    """Wilson score interval for count/denominator, as proportions (0-1). NaN where not computable."""
    lower, upper = [], []
    for c, d in zip(count, denominator, strict=True):
        if c is None or d is None or pd.isna(c) or pd.isna(d) or d <= 0 or c < 0 or c > d:
            lower.append(math.nan)
            upper.append(math.nan)
            continue
        lower.append(float(wilson_lower(float(c), float(d), confidence)))
        upper.append(float(wilson_upper(float(c), float(d), confidence)))
    return pd.Series(lower, index=count.index, dtype="float64"), pd.Series(upper, index=count.index, dtype="float64")


def percentage_rows(counts: pd.DataFrame, *, numerator: pd.Series, denominator: pd.Series) -> pd.DataFrame:
    """value, lower_ci, upper_ci (percent), count, denominator, ci_level for each row of ``counts``."""
    lower, upper = wilson_interval(numerator, denominator)
    with np.errstate(divide="ignore", invalid="ignore"):
        value = 100.0 * numerator.astype("float64") / denominator.astype("float64")
    out = counts[["area_code", "area_type"]].copy()
    out["value"] = value.where(denominator > 0)
    out["lower_ci"] = 100.0 * lower
    out["upper_ci"] = 100.0 * upper
    out["ci_level"] = 0.95
    out["count"] = numerator.astype("float64")
    out["denominator"] = denominator.astype("float64")
    return out


def largest_remainder(total: int, shares: list[float]) -> list[int]:
    """Split a whole number by shares so the parts are whole and add up to ``total``."""
    raw = [total * s for s in shares]
    parts = [math.floor(r) for r in raw]
    remainder = total - sum(parts)
    order = sorted(range(len(shares)), key=lambda i: (raw[i] - parts[i], shares[i]), reverse=True)
    for i in order[:remainder]:
        parts[i] += 1
    return parts


def apportion_counts(lsoa_counts: pd.DataFrame, weights: pd.DataFrame, *, value_columns: list[str]) -> pd.DataFrame:
    """Whole-number ward counts from LSOA counts and lsoa_code -> ward_code weights.

    ``lsoa_counts`` has ``lsoa_code`` and the count columns; ``weights`` has ``lsoa_code``,
    ``ward_code``, ``weight`` (summing to 1 per LSOA). Returns ``ward_code`` + the columns.
    Each LSOA's counts are split by largest remainder, so nothing is lost or invented.
    """
    merged = lsoa_counts.merge(weights, on="lsoa_code", how="inner", validate="one_to_many")
    rows = []
    for _, group in merged.groupby("lsoa_code", sort=False):
        shares = list(group["weight"])
        split = {c: largest_remainder(int(round(group[c].iloc[0])), shares) for c in value_columns}
        for i, ward in enumerate(group["ward_code"]):
            rows.append({"ward_code": ward, **{c: split[c][i] for c in value_columns}})
    frame = pd.DataFrame(rows, columns=["ward_code", *value_columns])
    return frame.groupby("ward_code", as_index=False)[value_columns].sum()


def population_weighted_mean(
    lsoa_values: pd.DataFrame, weights: pd.DataFrame, *, value_column: str, population_column: str
) -> pd.DataFrame:
    """ward_code, value, population: the population-weighted mean of LSOA values in each ward."""
    merged = lsoa_values.merge(weights, on="lsoa_code", how="inner")
    merged["pop_in_ward"] = merged[population_column] * merged["weight"]
    merged["weighted"] = merged[value_column] * merged["pop_in_ward"]
    grouped = merged.groupby("ward_code", as_index=False)[["weighted", "pop_in_ward"]].sum()
    grouped["value"] = grouped["weighted"] / grouped["pop_in_ward"]
    return grouped.rename(columns={"pop_in_ward": "population"})[["ward_code", "value", "population"]]


def population_share(
    lsoa_values: pd.DataFrame, weights: pd.DataFrame, *, flag_column: str, population_column: str
) -> pd.DataFrame:
    """ward_code, count, denominator: residents living in LSOAs where ``flag_column`` is true."""
    merged = lsoa_values.merge(weights, on="lsoa_code", how="inner")
    merged["pop_in_ward"] = merged[population_column] * merged["weight"]
    merged["flagged"] = merged["pop_in_ward"].where(merged[flag_column].astype(bool), 0.0)
    grouped = merged.groupby("ward_code", as_index=False)[["flagged", "pop_in_ward"]].sum()
    return grouped.rename(columns={"flagged": "count", "pop_in_ward": "denominator"})


def build_lsoa_ward_weights(
    *,
    lsoas: gpd.GeoDataFrame,
    wards: gpd.GeoDataFrame,
    postcodes: pd.DataFrame,
    vintage: str,
    min_share: float,
) -> pd.DataFrame:
    """lsoa_code, lsoa_vintage, ward_code, weight, postcodes, method for every LSOA.

    ``lsoas`` (lsoa_code, geometry) and ``wards`` (ward_code, geometry) in any CRS; postcodes
    with easting/northing (BNG) and ward_code. A postcode's ward is its own ward code when that
    is one of ``wards``, else the ward polygon it falls in. Pieces below ``min_share`` of an
    LSOA's postcodes are treated as generalisation noise of the clipped boundaries and dropped.
    """
    lsoa_bng = lsoas[["lsoa_code", "geometry"]].to_crs(BNG)
    ward_bng = wards[["ward_code", "geometry"]].to_crs(BNG)
    pts = gpd.GeoDataFrame(
        postcodes[["postcode", "ward_code"]].rename(columns={"ward_code": "pc_ward"}),
        geometry=gpd.points_from_xy(postcodes["easting"], postcodes["northing"]),
        crs=BNG,
    )
    in_lsoa = gpd.sjoin(pts, lsoa_bng, predicate="within", how="inner").drop(columns="index_right")
    known = set(ward_bng["ward_code"])
    by_polygon = gpd.sjoin(in_lsoa, ward_bng, predicate="within", how="left").drop(columns="index_right")
    by_polygon = by_polygon[~by_polygon.index.duplicated()]
    ward = by_polygon["pc_ward"].where(by_polygon["pc_ward"].isin(known), by_polygon["ward_code"])
    counted = pd.DataFrame({"lsoa_code": by_polygon["lsoa_code"], "ward_code": ward}).dropna()
    counts = counted.groupby(["lsoa_code", "ward_code"]).size().rename("postcodes").reset_index()
    counts["share"] = counts["postcodes"] / counts.groupby("lsoa_code")["postcodes"].transform("sum")
    kept = counts[counts["share"] >= min_share].copy()
    kept["weight"] = kept["postcodes"] / kept.groupby("lsoa_code")["postcodes"].transform("sum")
    n_wards = kept.groupby("lsoa_code")["ward_code"].transform("size")
    kept["method"] = n_wards.map(lambda n: "whole" if n == 1 else "postcode-share")

    # LSOAs with no postcode at all: the ward holding most of their area.
    missing = lsoa_bng[~lsoa_bng["lsoa_code"].isin(kept["lsoa_code"])]
    fallback = []
    for _, row in missing.iterrows():
        overlaps = ward_bng.geometry.intersection(row.geometry).area
        fallback.append(
            {
                "lsoa_code": row["lsoa_code"],
                "ward_code": ward_bng["ward_code"].iloc[int(overlaps.argmax())],
                "postcodes": 0,
                "weight": 1.0,
                "method": "largest-area",
            }
        )
    out = pd.concat(
        [kept[["lsoa_code", "ward_code", "postcodes", "weight", "method"]], pd.DataFrame(fallback)], ignore_index=True
    )
    out["lsoa_vintage"] = vintage
    out["postcodes"] = out["postcodes"].astype(int)
    return (
        out[["lsoa_code", "lsoa_vintage", "ward_code", "weight", "postcodes", "method"]]
        .sort_values(["lsoa_code", "ward_code"])
        .reset_index(drop=True)
    )
