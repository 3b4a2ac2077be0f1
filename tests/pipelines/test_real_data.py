"""Integration: the full build from the reference mirror (../shared/data/raw), checked against real facts.

Skips, saying why, when the mirror is not beside the repository.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from pipelines.build import build
from pipelines.settings import load_place

SHARED_RAW = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "raw"
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not SHARED_RAW.is_dir(),
        reason=f"reference mirror not found at {SHARED_RAW} (it sits beside the repository on project machines)",
    ),
]


@pytest.fixture(scope="module")
def tidy(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("real")
    build(raw_from=SHARED_RAW, raw=root / "raw", out=root / "tidy", place=load_place())
    return root / "tidy"


@pytest.fixture(scope="module")
def values(tidy) -> pd.DataFrame:
    return pd.read_parquet(tidy / "indicator_values.parquet")


def ward_values(values, indicator):
    v = values[(values["indicator_id"] == indicator) & (values["area_type"] == "ward")]
    return v.set_index("area_code")["value"]


def test_sixteen_wards_and_53_lsoas(tidy):
    areas = pd.read_parquet(tidy / "areas.parquet")
    assert (areas["area_type"] == "ward").sum() == 16
    assert ((areas["area_type"] == "lsoa") & (areas["boundary_vintage"] == "2021")).sum() == 53
    assert ((areas["area_type"] == "lsoa") & (areas["boundary_vintage"] == "2011")).sum() == 52


@pytest.mark.parametrize("indicator", ["population", "imd2019_score", "imd2025_score"])
def test_every_ward_has_a_value(values, indicator):
    got = ward_values(values, indicator)
    assert len(got) == 16 and got.notna().all()


def test_ward_populations_sum_to_the_place_total_from_the_same_table(values):
    place = values[(values["indicator_id"] == "population") & (values["area_code"] == "E07000120")]["value"].iloc[0]
    assert ward_values(values, "population").sum() == place == 82237  # TS001 over the 271 OAs (SOURCES.md)


def test_ward_estimates_are_within_one_percent_of_official_counts(tidy):
    checks = pd.read_parquet(tidy / "ward_estimate_checks.parquet")
    assert checks["estimate_population_error_pct"].abs().max() < 1.0
    # ... where the plain best fit is 6-7% off for Central and Church
    assert checks["bestfit_population_error_pct"].abs().max() > 6.0


def test_the_split_lsoa_is_shared_between_church_and_central(tidy):
    weights = pd.read_parquet(tidy / "lsoa_ward_weights.parquet")
    split = weights[(weights["lsoa_code"] == "E01034336") & (weights["lsoa_vintage"] == "2021")]
    assert set(split["ward_code"]) == {"E05005209", "E05005210"}


def test_official_central_bad_health(values):
    # Nomis TS037 for Central: bad 325 + very bad 141 of 2693+2169+850+325+141 = 6178
    row = values[(values["indicator_id"] == "bad_health") & (values["area_code"] == "E05005209")].iloc[0]
    assert (row["count"], row["denominator"]) == (466, 6178)


def test_imd2019_central_ward_score(values):
    assert ward_values(values, "imd2019_score")["E05005209"] == pytest.approx(60.22, abs=0.01)


def test_ward_boundaries_are_small_enough_for_the_web(tidy):
    assert (tidy / "boundaries_ward.geojson").stat().st_size < 300_000


def test_partner_sites_in_the_place(tidy):
    sites = pd.read_parquet(tidy / "partner_sites.parquet")
    inside = sites[sites["in_place"]]
    assert (inside["kind"] == "gp_practice").sum() == 12
    assert (inside["kind"] == "pharmacy").sum() == 22
    assert inside["ward_code"].notna().all()


def test_every_built_indicator_is_in_the_data_dictionary(tidy):
    from pipelines.docs import DICTIONARY

    text = DICTIONARY.read_text(encoding="utf-8")
    missing = [i for i in pd.read_parquet(tidy / "indicators.parquet")["indicator_id"] if f"`{i}`" not in text]
    assert not missing, f"run `python -m pipelines docs` after `make data`: {missing}"
