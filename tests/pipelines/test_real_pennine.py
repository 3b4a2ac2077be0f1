"""Integration: Burnley (E07000117) built from the reference mirror, cut from county and national files.

Burnley has no per-place extracts in the mirror: its wards and LSOAs come from the Lancashire files,
IoD2025 from the England-wide table, census from LSOA tables. Built once per session. Skips, saying
why, when the mirror is not beside the repository.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from pipelines.settings import PACKAGE_DIR, load_place

SHARED_RAW = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "raw"
PLACES = PACKAGE_DIR / "places"
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not SHARED_RAW.is_dir(),
        reason=f"reference mirror not found at {SHARED_RAW} (it sits beside the repository on project machines)",
    ),
]


@pytest.fixture
def burnley(burnley_data) -> Path:
    return burnley_data / "tidy"


def ward_values(tidy: Path, indicator: str) -> pd.Series:
    values = pd.read_parquet(tidy / "indicator_values.parquet")
    v = values[(values["indicator_id"] == indicator) & (values["area_type"] == "ward")]
    return v.set_index("area_code")["value"]


def test_burnley_has_its_15_wards_and_60_lsoas(burnley):
    areas = pd.read_parquet(burnley / "areas.parquet")
    wards = areas[areas["area_type"] == "ward"]
    # Burnley's 15 wards in the 2025 boundaries (geography/SOURCES.md: Lancashire file, LAD25CD = E07000117).
    assert len(wards) == 15 and set(wards["parent_code"]) == {"E07000117"}
    assert ((areas["area_type"] == "lsoa") & (areas["boundary_vintage"] == "2021")).sum() == 60


@pytest.mark.parametrize("indicator", ["population", "imd2019_score", "imd2025_score", "imd2019_pct_most_deprived_10"])
def test_every_burnley_ward_has_a_value(burnley, indicator):
    got = ward_values(burnley, indicator)
    assert len(got) == 15 and got.notna().all()


def test_ward_populations_sum_to_burnley_from_ts007a(burnley):
    # TS007A LSOA totals summed over Burnley's 60 LSOAs; the ward shares are whole people.
    values = pd.read_parquet(burnley / "indicator_values.parquet")
    place = values[(values["indicator_id"] == "population") & (values["area_code"] == "E07000117")]["value"].iloc[0]
    assert ward_values(burnley, "population").sum() == place
    assert abs(place - 94_649) < 100  # TS007 says 94,649 for Burnley; LSOA sums differ by perturbation


def test_the_stamp_lists_what_is_not_held_for_burnley(burnley):
    stamp = json.loads((burnley / "_build.json").read_text())
    assert {e["source_id"] for e in stamp["not_held"]} >= {"census2021-oa", "census2021-ward-official", "iod2025-file7"}


def test_ward_method_says_lsoa_tables_were_used(burnley):
    indicators = pd.read_parquet(burnley / "indicators.parquet").set_index("indicator_id")
    assert indicators.loc["population", "ward_method"] == "apportioned-from-lsoa"
    assert "File 7 is not held" in indicators.loc["imd2025_score", "method"]
    assert "good_health" not in indicators.index  # general health is only in the OA tables and the ward JSON


def test_every_pennine_place_file_loads():
    names = {load_place(p).name for p in PLACES.glob("*.toml")}
    assert names == {"Hyndburn", "Burnley", "Pendle", "Rossendale", "Ribble Valley", "Blackburn with Darwen"}
