"""The arithmetic of the health estimates (pure: frames in, frames out; no files, no context).

- GP practice figures -> LSOAs (``attribute_practices``): each practice's register and list size
  are shared among the LSOAs its registered patients live in, in proportion to the practice's
  patients in each LSOA (NHS Digital, patients registered at a GP practice by LSOA):
  share(p, l) = patients(p, l) / list(p, all ages) (``totals``; by default the practice's rows summed), register(l) = sum_p register(p) * share(p, l),
  list(l) = sum_p list(p) * share(p, l). Prevalence = register(l) / list(l). The estimates are
  fractional (expected counts), not whole people.
- A practice rate (e.g. smoking %) -> LSOAs (``attribute_rates``): count(l) = sum_p rate(p) * patients(p, l),
  denominator(l) = sum_p patients(p, l) over the practices that have a rate.
- LSOA estimates -> wards (``lsoa_to_wards``): each LSOA's count and denominator are split by the
  LSOA -> ward weights (fractions summing to 1 per LSOA) and summed.
- MSOA figures -> wards (``msoa_ward_populations`` + ``msoa_to_wards``): a ward's value is the mean of
  the MSOAs it overlaps, weighted by the residents of the ward in each MSOA
  (sum over the MSOA's LSOAs of LSOA population x LSOA -> ward weight). Indicative only.
- 2021 LSOA populations -> 2011 LSOAs (``lsoa11_populations``) through the ONS exact-fit lookup: a 2021
  LSOA with one 2011 parent (unchanged or split) gives it all its residents; a 2021 LSOA with several
  parents (merged or complex) is shared equally among them.
"""

from __future__ import annotations

import pandas as pd


def attribute_practices(
    practice: pd.DataFrame, patients: pd.DataFrame, totals: pd.DataFrame | None = None
) -> pd.DataFrame:
    """lsoa_code, count, denominator from practice counts.

    ``practice``: practice_code, count, denominator (e.g. QOF register and list size).
    ``patients``: practice_code, lsoa_code, patients.
    ``totals``: practice_code, total: each practice's whole list (the share's denominator). Without it,
    the sum of the practice's rows in ``patients`` is used (right only when the file holds every row).
    """
    if totals is None:
        total = patients.groupby("practice_code")["patients"].transform("sum")
    else:
        total = patients["practice_code"].map(totals.set_index("practice_code")["total"])
    shares = patients.assign(share=patients["patients"] / total)
    merged = shares.merge(practice, on="practice_code", how="inner")
    merged["count"] = merged["count"] * merged["share"]
    merged["denominator"] = merged["denominator"] * merged["share"]
    return merged.groupby("lsoa_code", as_index=False)[["count", "denominator"]].sum()


def attribute_rates(rates: pd.DataFrame, patients: pd.DataFrame, *, per: float = 100.0) -> pd.DataFrame:
    """lsoa_code, count, denominator from practice rates (``rates``: practice_code, value per ``per``)."""
    merged = patients.merge(rates, on="practice_code", how="inner")
    merged["count"] = merged["value"] / per * merged["patients"]
    merged["denominator"] = merged["patients"].astype("float64")
    return merged.groupby("lsoa_code", as_index=False)[["count", "denominator"]].sum()


def lsoa_to_wards(lsoa: pd.DataFrame, weights: pd.DataFrame, *, columns: tuple[str, ...] = ("count", "denominator")):
    """ward_code + ``columns``: LSOA figures split by the LSOA -> ward weights and summed."""
    merged = lsoa.merge(weights[["lsoa_code", "ward_code", "weight"]], on="lsoa_code", how="inner")
    for column in columns:
        merged[column] = merged[column] * merged["weight"]
    return merged.groupby("ward_code", as_index=False)[list(columns)].sum()


def msoa_ward_populations(lsoa_msoa: pd.DataFrame, population: pd.DataFrame, weights: pd.DataFrame) -> pd.DataFrame:
    """msoa_code, ward_code, population: residents of each ward in each MSOA.

    ``lsoa_msoa``: lsoa_code, msoa_code (2021); ``population``: lsoa_code, population;
    ``weights``: lsoa_code, ward_code, weight (2021 LSOAs).
    """
    merged = lsoa_msoa.merge(population, on="lsoa_code", how="inner").merge(
        weights[["lsoa_code", "ward_code", "weight"]], on="lsoa_code", how="inner"
    )
    merged["population"] = merged["population"] * merged["weight"]
    return merged.groupby(["msoa_code", "ward_code"], as_index=False)["population"].sum()


def msoa_to_wards(msoa_values: pd.DataFrame, ward_populations: pd.DataFrame) -> pd.DataFrame:
    """ward_code, value, population, msoas: population-weighted mean of MSOA values (MSOAs without a value skipped)."""
    merged = ward_populations.merge(msoa_values[["msoa_code", "value"]].dropna(), on="msoa_code", how="inner")
    merged["weighted"] = merged["value"] * merged["population"]
    grouped = merged.groupby("ward_code").agg(
        weighted=("weighted", "sum"), population=("population", "sum"), msoas=("msoa_code", "nunique")
    )
    grouped["value"] = grouped["weighted"] / grouped["population"]
    return grouped.reset_index()[["ward_code", "value", "population", "msoas"]]


def lsoa11_populations(lookup: pd.DataFrame, population21: pd.DataFrame) -> pd.DataFrame:
    """lsoa_code (2011), population from 2021 LSOA populations (``lookup``: lsoa11_code, lsoa21_code)."""
    pairs = lookup[["lsoa11_code", "lsoa21_code"]].drop_duplicates()
    parents = pairs.groupby("lsoa21_code")["lsoa11_code"].transform("nunique")
    merged = pairs.assign(parents=parents).merge(
        population21.rename(columns={"lsoa_code": "lsoa21_code"}), on="lsoa21_code", how="inner"
    )
    merged["population"] = merged["population"] / merged["parents"]
    out = merged.groupby("lsoa11_code", as_index=False)["population"].sum()
    return out.rename(columns={"lsoa11_code": "lsoa_code"})


def weighted_mean(values: pd.DataFrame, *, value_column: str = "value", weight_column: str = "population") -> float:
    """The mean of ``value_column`` weighted by ``weight_column`` over rows with a value."""
    rows = values.dropna(subset=[value_column])
    total = rows[weight_column].sum()
    return float((rows[value_column] * rows[weight_column]).sum() / total) if total > 0 else float("nan")
