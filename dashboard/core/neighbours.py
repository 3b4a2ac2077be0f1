"""Rank the place's wards among all wards of the neighbouring districts (table from build-neighbours)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from pipelines.settings import neighbours_dir

WARD_TABLE = "ward_values.parquet"


def neighbour_table_path() -> Path:
    """Where ``python -m pipelines build-neighbours`` writes the combined ward table."""
    return neighbours_dir() / WARD_TABLE


def held_for_all(table: pd.DataFrame | None) -> set[str]:
    return set() if table is None else set(table["indicator_id"])


def neighbour_ranking(
    table: pd.DataFrame, indicator_id: str, *, lad_code: str, descending: bool = True
) -> pd.DataFrame:
    """rank, area_code, area_name, lad_name, value, ward_method, in_place for every ward, latest period.

    Rank 1 = the highest value when ``descending`` (ties share the best rank)."""
    rows = table[table["indicator_id"] == indicator_id]
    rows = rows[rows["period"] == rows["period"].max()].copy()
    rows["rank"] = rows["value"].rank(ascending=not descending, method="min").astype(int)
    rows["in_place"] = rows["lad_code"] == lad_code
    columns = ["rank", "area_code", "area_name", "lad_name", "value", "ward_method", "in_place"]
    return rows.sort_values(["rank", "area_name"])[columns].reset_index(drop=True)


def ranking_sentence(ranking: pd.DataFrame, *, name: str, place_name: str) -> str:
    """'Burnley's wards rank 1st to 80th of 96 wards of the six districts on <name> (1 = highest).'"""
    mine = ranking[ranking["in_place"]]
    if mine.empty:
        return ""
    n_lads = ranking["lad_name"].nunique()
    return (
        f"{place_name}'s {len(mine)} wards rank {int(mine['rank'].min())} to {int(mine['rank'].max())} of "
        f"{len(ranking)} wards of the {n_lads} districts on {name} (1 = highest value)."
    )
