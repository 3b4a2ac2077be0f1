"""Integration: the health tables from the reference mirror (../shared/data/raw), checked against the sources."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from pipelines.build import build
from pipelines.settings import load_place
from tests.pipelines.test_real_data import SHARED_RAW, pytestmark  # noqa: F401 (same mirror, same skip)


@pytest.fixture(scope="module")
def tidy(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("real_health")
    build(raw_from=SHARED_RAW, raw=root / "raw", out=root / "tidy", place=load_place())
    return root / "tidy"


@pytest.fixture(scope="module")
def values(tidy) -> pd.DataFrame:
    return pd.read_parquet(tidy / "indicator_values.parquet")


def test_nine_msoas_have_both_ons_life_expectancies(values):
    le = values[values["indicator_id"].str.startswith("life_expectancy_") & (values["period"] == "2016-20")]
    msoa = le[le["area_type"] == "msoa"]
    assert msoa.groupby("indicator_id")["area_code"].nunique().to_dict() == {
        "life_expectancy_female": 9,
        "life_expectancy_male": 9,
    }
    r = msoa[(msoa["area_code"] == "E02005217") & (msoa["indicator_id"] == "life_expectancy_male")].iloc[0]
    assert (round(r["value"], 2), round(r["lower_ci"], 2), round(r["upper_ci"], 2)) == (73.89, 72.47, 75.32)


def test_every_ward_has_every_qof_value(values):
    qof = values[values["indicator_id"].str.fullmatch(r"qof_[a-z]+") & (values["area_type"] == "ward")]
    assert qof["indicator_id"].nunique() == 21
    assert qof.groupby("indicator_id")["area_code"].nunique().eq(16).all()
    assert qof["value"].notna().all()


def test_place_registers_add_up_over_wards(values):
    qof = values[values["indicator_id"].str.fullmatch(r"qof_[a-z]+")]
    ward = qof[qof["area_type"] == "ward"].groupby("indicator_id")["count"].sum()
    place = qof[qof["area_type"] == "lad"].set_index("indicator_id")["count"]
    pd.testing.assert_series_equal(ward.sort_index(), place.sort_index(), check_names=False, rtol=1e-9)


def test_samhi_has_twelve_years_for_every_ward(values):
    samhi = values[(values["indicator_id"] == "samhi_index") & (values["area_type"] == "ward")]
    counts = samhi.groupby("area_code")["period"].nunique()
    assert len(counts) == 16 and counts.eq(12).all()


def test_local_health_all_cause_smr(values):
    r = values[(values["indicator_id"] == "smr_all_causes") & (values["area_code"] == "E02005217")].iloc[0]
    assert round(r["value"], 1) == 170.9
