"""Census reader on the fake place (tests/fixtures/mirror_census.py explains the numbers)."""

from __future__ import annotations

import pandas as pd
import pytest

from pipelines.context import BuildContext
from pipelines.errors import DataError
from pipelines.registry import load_sources
from pipelines.sources import census, census_lsoa, geography
from pipelines.tidy import Parts
from tests.fixtures.mirror_census import write_census


@pytest.fixture
def census_raw(geo_raw):
    write_census(geo_raw)
    return geo_raw


def run(raw, place):
    ctx = BuildContext(raw=raw, place=place, sources=load_sources(place, with_checksums=False))
    geo, _ = geography.build_geography(ctx)
    return Parts.merge(census.build(ctx, geo), census_lsoa.build(ctx, geo))


@pytest.fixture
def parts(census_raw, fake_place):
    return run(census_raw, fake_place)


def value(parts, indicator, area):
    v = parts.values
    row = v[(v["indicator_id"] == indicator) & (v["area_code"] == area)]
    assert len(row) == 1, row
    return row.iloc[0]


def test_ward_population_apportions_the_split_lsoa_by_postcodes(parts):
    # ward A = 300 + 0.8 x 1500 = 1500; ward B = 700 + 0.2 x 1500 = 1000
    assert value(parts, "population", "E05999901")["value"] == 1500
    assert value(parts, "population", "E05999902")["value"] == 1000


def test_ward_populations_add_up_to_the_place_total(parts):
    v = parts.values
    wards = v[(v["indicator_id"] == "population") & (v["area_type"] == "ward")]["value"].sum()
    assert wards == value(parts, "population", "E07999999")["value"] == 2500


def test_lsoa_value_is_the_sum_of_its_output_areas_with_wilson_interval(parts):
    # E01999901 = OA1 + OA2 = 300 people; bad + very bad = 15% = 45.
    # Wilson 95%: centre (0.15 + z^2/600) / (1 + z^2/300) = 0.15443, half-width 0.04039 -> 11.40% to 19.48%
    row = value(parts, "bad_health", "E01999901")
    assert (row["count"], row["denominator"], row["value"]) == (45, 300, pytest.approx(15.0))
    assert row["lower_ci"] == pytest.approx(11.40, abs=0.01)
    assert row["upper_ci"] == pytest.approx(19.48, abs=0.01)


def test_official_ward_counts_are_preferred_where_held(parts):
    # Official JSON: ward A bad 150 + very bad 75 of 1500.
    row = value(parts, "bad_health", "E05999901")
    assert (row["count"], row["denominator"]) == (225, 1500)
    assert row["source_id"] == "census2021-ward-official"
    assert "Official" in row["value_note"]


def test_england_benchmark_excludes_wales(parts):
    # English MSOAs: (2400 - 2160 + 1600 - 1440) / (2400 + 1600) = 10%; the Welsh MSOA would change it.
    assert value(parts, "unpaid_care", "E92000001")["value"] == pytest.approx(10.0)


def test_england_value_not_held_is_missing_with_a_reason(parts):
    row = value(parts, "bad_health", "E92000001")
    assert pd.isna(row["value"])
    assert "not held" in row["value_note"]


def test_estimates_are_checked_against_official_ward_counts(parts):
    checks = parts.tables["ward_estimate_checks"]
    a = checks[(checks["ward_code"] == "E05999901") & (checks["indicator_id"] == "bad_health")].iloc[0]
    # Estimate from OAs: 15% of every OA, apportioned: 225 of 1500 -> same 15.0%
    assert a["estimate_value"] == pytest.approx(15.0)
    assert a["official_value"] == pytest.approx(15.0)


def test_lsoa_table_age_share(parts):
    # TS007A fixture: 5% in each of 18 bands and the 10% left over in "85 and over", so
    # 65+ = 65-69, 70-74, 75-79, 80-84 (4 x 5%) + 85+ (5% + 10%) = 35% everywhere, England included.
    assert value(parts, "aged_65_plus", "E05999902")["value"] == pytest.approx(35.0)
    assert value(parts, "aged_65_plus", "E92000001")["value"] == pytest.approx(35.0)


def test_renamed_column_names_the_file_and_the_column(census_raw, fake_place):
    path = census_raw / "census2021" / "census2021-ts037-oa_testborough_subset.csv"
    path.write_text(path.read_text().replace("General health: Bad health", "General health: Poor health"))
    with pytest.raises(
        DataError, match=r"census2021-ts037-oa_testborough_subset.csv: missing column 'General health: Bad health'"
    ):
        run(census_raw, fake_place)


def test_truncated_oa_table_is_refused(census_raw, fake_place):
    path = census_raw / "census2021" / "census2021-ts045-oa_testborough_subset.csv"
    path.write_text("\n".join(path.read_text().splitlines()[:4]) + "\n")
    with pytest.raises(DataError, match=r"3 of the place's 6 output areas are missing"):
        run(census_raw, fake_place)


def test_unknown_output_area_is_refused(census_raw, fake_place):
    path = census_raw / "census2021" / "census2021-ts001-oa_testborough_subset.csv"
    path.write_text(path.read_text().replace("E00999906", "E00888888"))
    with pytest.raises(DataError, match=r"unknown oa code.*E00888888"):
        run(census_raw, fake_place)


def test_nomis_download_without_its_header_is_refused(census_raw, fake_place):
    path = census_raw / "census2021" / "TS021_ethnic_group_lsoa11.csv"
    path.write_text(path.read_text().replace('"2021 super output area - lower layer"', '"LSOA"'))
    with pytest.raises(DataError, match=r"TS021_ethnic_group_lsoa11.csv: no header line"):
        run(census_raw, fake_place)


def test_official_json_missing_a_ward_is_refused(census_raw, fake_place):
    import json

    path = census_raw / "fingertips" / "derived_tompickup23_testborough_health.json"
    doc = json.loads(path.read_text())
    del doc["census"]["wards"]["E05999902"]
    path.write_text(json.dumps(doc))
    with pytest.raises(DataError, match=r"wards of the place missing: \['E05999902'\]"):
        run(census_raw, fake_place)


def test_corrupt_r_data_file_is_refused(census_raw, fake_place):
    path = census_raw / "census2021" / "lsoa_england" / "derived" / "disability21_lsoa21_ew.rda"
    path.write_bytes(path.read_bytes()[:40])
    with pytest.raises(DataError, match=r"disability21_lsoa21_ew.rda"):
        run(census_raw, fake_place)
