"""Health readers on the fake place's files: values, methods, and one bad-input test per file."""

from __future__ import annotations

import pandas as pd
import pytest

from pipelines.build import build
from pipelines.errors import DataError
from pipelines.sources import (
    health_census_benchmarks,
    health_fuel_poverty,
    health_life_expectancy,
    health_local_health,
    health_qof,
    health_samhi,
)
from tests.fixtures import mirror_health as mh
from tests.fixtures.mirror import write_mirror, write_place_file


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    from pipelines.settings import load_place

    root = tmp_path_factory.mktemp("health")
    mirror = write_mirror(root / "mirror")
    place = load_place(write_place_file(root / "place.toml"))
    build(raw_from=mirror, raw=root / "raw", out=root / "tidy", place=place, with_checksums=False)
    return root


@pytest.fixture(scope="module")
def values(built):
    return pd.read_parquet(built / "tidy" / "indicator_values.parquet")


def row(values, indicator, code, period=None):
    v = values[(values["indicator_id"] == indicator) & (values["area_code"] == code)]
    if period:
        v = v[v["period"] == period]
    assert len(v) == 1, v
    return v.iloc[0]


def test_msoa_life_expectancy_and_ci_as_published(values):
    r = row(values, "life_expectancy_male", mh.MSOA, "2016-20")
    assert (r["value"], r["lower_ci"], r["upper_ci"]) == pytest.approx((73.89, 72.47, 75.32))


def test_qof_ward_estimate_by_hand(values):
    # Fake place: LSOA11 E01999911 -> ward A, E01999912 -> ward B (weights 1).
    # HYP: PA 30 of 300, PB 10 of 200 (QOF lists = the shares' denominators).
    # Ward A (E01999911): PA 30*100/300 = 10 + PB 10*200/200 = 10 -> 20 of 100 + 200 = 300 -> 6.667%
    r = row(values, "qof_hyp", "E05999901")
    assert (r["count"], r["denominator"], r["value"]) == pytest.approx((20.0, 300.0, 100 * 20 / 300))
    # Ward B: PA 30*200/300 = 20 of 200 -> 10%; place = 40 of 500
    assert row(values, "qof_hyp", "E05999902")["value"] == pytest.approx(10.0)
    assert row(values, "qof_hyp", "E07999999")["count"] == pytest.approx(40.0)


def test_qof_england_is_the_sum_of_practices(values):
    r = row(values, "qof_hyp", "E92000001")
    assert (r["count"], r["denominator"]) == pytest.approx((40.0, 500.0))  # 30 + 10 of 300 + 200


def test_local_health_keeps_the_source_flag(values):
    r = row(values, "smr_all_causes", mh.MSOA)
    assert "worse" in r["value_note"] and "source's flag" in r["value_note"]
    assert row(values, "smr_all_causes", "E92000001")["value"] == 100


def test_samhi_has_every_year_for_every_ward(values):
    v = values[(values["indicator_id"] == "samhi_index") & (values["area_type"] == "ward")]
    assert v.groupby("area_code")["period"].nunique().to_dict() == {"E05999901": 12, "E05999902": 12}


def test_fuel_poverty_place_as_published(values):
    r = row(values, "fuel_poverty", "E07999999")
    assert (r["count"], r["denominator"]) == (150, 900)


def test_england_qualifications_filled_from_ltla_sums(values):
    r = row(values, "no_qualifications", "E92000001")
    # two English authorities, each 20 of 100 (all categories but 'Does not apply')
    assert r["value"] == pytest.approx(20.0)
    assert "sum of English local authorities" in r["value_note"]


def test_checks_table_records_the_smoking_comparison(built):
    checks = pd.read_parquet(built / "tidy" / "health_estimate_checks.parquet")
    smoking = checks[checks["check_id"] == "smoking_prevalence_qof_place_vs_published"].iloc[0]
    assert smoking["reference"] == 10.0


def _drop_column(path, column, *, encoding="utf-8"):
    frame = pd.read_csv(path, dtype=str, encoding=encoding)
    frame.drop(columns=[column]).to_csv(path, index=False, encoding=encoding)


@pytest.mark.parametrize(
    ("writer", "rel", "column", "reader"),
    [
        (mh.write_gp, "health/gp/PREVALENCE_2223.csv", "REGISTER", lambda p: health_qof.read_prevalence(p)),
        (
            mh.write_gp,
            "health/gp/gp-reg-pat-prac-lsoa-all_apr2020_pennine_lancashire_SUBSET.csv",
            "LSOA_CODE",
            lambda p: health_qof.read_patients(p),
        ),
        (mh.write_gp, "health/gp/MAPPING_NHS_GEOGRAPHIES_2223.csv", "PRACTICE_CODE", health_qof.read_mapping),
        (mh.write_local_health, "health/local_health_msoa/PennineLH_MSOA_DERIVED.csv", "label", health_local_health.read_values),
        (mh.write_census_ltla, "census2021/national/TS067-2021-1.csv", "Observation",
         lambda p: health_census_benchmarks.read_table(p, health_census_benchmarks.TABLES[0])),
        (mh.write_lookup, "geography/lookups/LSOA_(2011)_to_LSOA_(2021)_to_Local_Authority_District_(2022)_Exact_Fit_Lookup_for_EW_(V3).csv",
         "CHGIND", health_samhi.read_lookup),
    ],
)  # fmt: skip
def test_missing_column_is_named(tmp_path, writer, rel, column, reader):
    try:
        writer(tmp_path, mh.fp.PLACE)
    except TypeError:
        writer(tmp_path)
    path = tmp_path / rel
    _drop_column(path, column, encoding="utf-8-sig" if "Pennine" in rel or "LSOA_(2011)" in rel else "utf-8")
    with pytest.raises(DataError, match=column):
        reader(path)


def test_samhi_missing_year_is_named(tmp_path):
    mh.write_samhi(tmp_path, mh.fp.PLACE)
    path = next((tmp_path / "health/mental_health").iterdir())
    _drop_column(path, "samhi_index.2016")
    with pytest.raises(DataError, match="samhi_index.2016"):
        health_samhi.read_samhi(path, lsoa11_codes=list(mh.LSOA11))


def test_life_expectancy_workbook_without_ci_column_is_named(tmp_path):
    import openpyxl

    mh.write_life_expectancy(tmp_path)
    path = next((tmp_path / "health/life_expectancy").iterdir())
    wb = openpyxl.load_workbook(path)
    wb["Data"].delete_cols(10)
    wb.save(path)
    with pytest.raises(DataError, match="Lower 95% confidence interval"):
        health_life_expectancy.read_life_expectancy(path)


def test_fuel_poverty_without_table_3_is_named(tmp_path):
    import openpyxl

    mh.write_fuel_poverty(tmp_path, mh.fp.PLACE)
    path = tmp_path / "deprivation/fuel_poverty/sub-regional-fuel-poverty-2022-tables.xlsx"
    wb = openpyxl.load_workbook(path)
    del wb["Table 3"]
    wb.save(path)
    with pytest.raises(DataError, match="Table 3"):
        health_fuel_poverty.read_fuel_poverty(path)


def test_a_bad_health_file_stops_the_build_and_changes_nothing(tmp_path):
    from pipelines.settings import load_place

    mirror = write_mirror(tmp_path / "mirror")
    place = load_place(write_place_file(tmp_path / "place.toml"))
    out = tmp_path / "tidy"
    build(raw_from=mirror, raw=tmp_path / "raw", out=out, place=place, with_checksums=False)
    before = (out / "indicator_values.parquet").read_bytes()
    _drop_column(mirror / "health/gp/PREVALENCE_2223.csv", "GROUP_CODE")
    with pytest.raises(DataError, match="GROUP_CODE"):
        build(raw_from=mirror, raw=tmp_path / "raw", out=out, place=place, with_checksums=False, force=True)
    assert (out / "indicator_values.parquet").read_bytes() == before
