"""neighbours: one table of all the districts' wards, on the indicators every district holds."""

from __future__ import annotations

import pandas as pd

from pipelines.neighbours import combine
from pipelines.settings import Place


def place(code: str, name: str) -> Place:
    return Place(lad_code=code, name=name, slug=name.lower(), file_label=name, county_code="C", county_file_label="C")


def values(rows) -> pd.DataFrame:
    return pd.DataFrame(
        rows, columns=["area_code", "area_name", "area_type", "indicator_id", "period", "value", "source_id"]
    )


META = pd.DataFrame(
    {
        "indicator_id": ["imd", "health"],
        "name": ["IMD", "Bad health"],
        "ward_method": ["population-weighted", "official"],
    }
)


def test_only_indicators_with_ward_values_in_every_place_are_kept():
    a = values([("W1", "A1", "ward", "imd", "2025", 10.0, "s"), ("W1", "A1", "ward", "health", "2021", 5.0, "s")])
    b = values([("W2", "B1", "ward", "imd", "2025", 20.0, "s"), ("W2", "B1", "ward", "health", "2021", None, "s")])
    out = combine({"a": (place("L1", "A"), a, META), "b": (place("L2", "B"), b, META)})
    # health has no ward value in B: dropped; imd kept for both wards.
    assert out[["area_code", "lad_name", "indicator_id", "value"]].values.tolist() == [
        ["W1", "A", "imd", 10.0],
        ["W2", "B", "imd", 20.0],
    ]
    assert set(out["ward_method"]) == {"population-weighted"}


def test_district_and_lsoa_rows_are_not_wards():
    a = values([("L1", "A", "lad", "imd", "2025", 10.0, "s"), ("W1", "A1", "ward", "imd", "2025", 11.0, "s")])
    out = combine({"a": (place("L1", "A"), a, META)})
    assert out["area_code"].tolist() == ["W1"]
