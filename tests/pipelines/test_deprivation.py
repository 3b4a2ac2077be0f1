"""The deprivation sources on the fake place: numbers worked out by hand from tests/fixtures/mirror_deprivation.py.

Reminder of the fixture: LSOA21 E01999901 (ward A, score 60, pop 1000, decile 1), E01999903 (split 0.8 A / 0.2 B,
score 50, pop 2000, decile 2), E01999902 (ward B, score 10, pop 1500, decile 8); England = 10 LSOAs, decile = rank.
LSOA11 E01999911 (ward A, decile 1, pop 3000), E01999912 (ward B, decile 6, pop 2000); England 2019 pop 13000.
"""

from __future__ import annotations

import gzip

import pandas as pd
import pytest

from pipelines.errors import DataError
from pipelines.sources import deprivation_2019, deprivation_2025
from pipelines.tidy import (
    INDICATOR_REQUIRED,
    POLARITIES,
    VALUE_TYPES,
    WARD_METHODS,
    Parts,
    check_tidy,
    normalise_values,
)
from tests.fixtures import mirror_deprivation as md

WARD_A, WARD_B, LAD, ENGLAND = "E05999901", "E05999902", "E07999999", "E92000001"


@pytest.fixture
def dep_ctx(geo_ctx, geo_raw):
    """The fake place's context (geography built) with the deprivation files written beside it."""
    md.write_deprivation(geo_raw)
    return geo_ctx


def build(ctx, geo) -> Parts:
    """Both deprivation sources, in the build's order."""
    return Parts.merge(deprivation_2025.build(ctx, geo), deprivation_2019.build(ctx, geo))


@pytest.fixture
def values(dep_ctx, geo) -> pd.DataFrame:
    return build(dep_ctx, geo).values


def value_of(values: pd.DataFrame, indicator_id: str, area_code: str, column: str = "value"):
    row = values[(values["indicator_id"] == indicator_id) & (values["area_code"] == area_code)]
    assert len(row) == 1, f"{indicator_id} {area_code}: {len(row)} rows"
    return row[column].iloc[0]


def rewrite_gzip_csv(path, change) -> None:
    frame = pd.read_csv(path, encoding="utf-8-sig", dtype=str)
    text = change(frame).to_csv(index=False, lineterminator="\r\n")
    path.write_bytes(gzip.compress(("\ufeff" + text).encode("utf-8")))


# ------------------------------------------------------------------ IoD2025


def test_ward_score_is_population_weighted_mean_of_lsoa_scores(values):
    # Ward A = E01999901 whole + 0.8 of E01999903: (60*1000 + 50*2000*0.8) / (1000 + 1600) = 140000 / 2600 = 53.846
    assert value_of(values, "imd2025_score", WARD_A) == pytest.approx(140000 / 2600)
    # Ward B = E01999902 whole + 0.2 of E01999903: (10*1500 + 50*400) / (1500 + 400) = 35000 / 1900 = 18.421
    assert value_of(values, "imd2025_score", WARD_B) == pytest.approx(35000 / 1900)


def test_ward_domain_score_is_population_weighted_too(values):
    # Income = score / 100: ward A (0.6*1000 + 0.5*1600) / 2600 = 1400 / 2600 = 0.53846
    assert value_of(values, "imd2025_income_score", WARD_A) == pytest.approx(1400 / 2600)


def test_district_score_is_the_official_file10_average(values):
    # File 10 row of the fake district: 38.889 (= 175000 / 4500 to 3 d.p.), from the LAD summaries source.
    assert value_of(values, "imd2025_score", LAD) == pytest.approx(38.889)
    assert value_of(values, "imd2025_score", LAD, "source_id") == "iod2025-lad-summaries"


def test_england_score_is_unweighted_mean_of_all_lsoa_scores(values):
    # (60 + 50 + 45 + 35 + 30 + 25 + 20 + 10 + 8 + 5) / 10 = 288 / 10
    assert value_of(values, "imd2025_score", ENGLAND) == pytest.approx(28.8)
    assert "unweighted" in value_of(values, "imd2025_score", ENGLAND, "value_note")


def test_lsoa_decile_and_rank_are_the_official_ones(values):
    assert value_of(values, "imd2025_decile", "E01999903") == 2
    assert value_of(values, "imd2025_rank", "E01999902") == 8


def test_percentage_in_most_deprived_10_percent(values):
    # Only E01999901 (pop 1000) is in decile 1. Ward A: 1000 of 2600 residents; ward B: 0 of 1900.
    assert value_of(values, "imd2025_pct_most_deprived_10", WARD_A) == pytest.approx(100 * 1000 / 2600)
    assert value_of(values, "imd2025_pct_most_deprived_10", WARD_A, "count") == 1000
    assert value_of(values, "imd2025_pct_most_deprived_10", WARD_A, "denominator") == 2600
    assert value_of(values, "imd2025_pct_most_deprived_10", WARD_B) == 0
    # District: 1000 of 4500.
    assert value_of(values, "imd2025_pct_most_deprived_10", LAD) == pytest.approx(100 * 1000 / 4500)


def test_percentage_in_most_deprived_20_percent_splits_the_shared_lsoa(values):
    # Deciles 1-2: E01999901 and E01999903. Ward B holds 0.2 * 2000 = 400 of its 1900 residents there.
    assert value_of(values, "imd2025_pct_most_deprived_20", WARD_B) == pytest.approx(100 * 400 / 1900)
    assert value_of(values, "imd2025_pct_most_deprived_20", WARD_A) == pytest.approx(100.0)


def test_england_percentage_is_a_share_of_lsoas(values):
    # 1 of the 10 English LSOAs is in decile 1; no residents counted, and the note says so.
    assert value_of(values, "imd2025_pct_most_deprived_10", ENGLAND) == pytest.approx(10.0)
    assert "share of England's LSOAs" in value_of(values, "imd2025_pct_most_deprived_10", ENGLAND, "value_note")


def test_ward_decile_is_the_england_lsoa_decile_its_score_falls_in(values):
    # Cut points = lowest score of each decile: d1 60, d2 50, d3 45, d4 35, ..., d7 20, d8 10, d9 8.
    # Ward A 53.85: >= 50 but < 60 -> 2. Ward B 18.42: < 20, >= 10 -> 8. District 38.889: >= 35, < 45 -> 4.
    assert value_of(values, "imd2025_decile", WARD_A) == 2
    assert value_of(values, "imd2025_decile", WARD_B) == 8
    assert value_of(values, "imd2025_decile", LAD) == 4
    assert "decile equivalent" in value_of(values, "imd2025_decile", WARD_A, "value_note")


@pytest.mark.parametrize(
    ("score", "decile"),
    [(60.0, 1), (59.99, 2), (50.0, 2), (5.0, 10), (4.0, 10), (100.0, 1)],
)
def test_decile_equivalent_at_the_cut_points(score, decile):
    england = pd.DataFrame(
        {"imd_score": [s for _, _, s, _ in md.IMD2025], "imd_decile": [r for r, _, _, _ in md.IMD2025]}
    )
    assert deprivation_2025.decile_equivalent(pd.Series([score]), england).iloc[0] == decile


# ------------------------------------------------------------------ IoD2019


def test_imd2019_ward_score_comes_from_the_ward_table(values):
    assert value_of(values, "imd2019_score", WARD_A) == pytest.approx(45.5)
    assert value_of(values, "imd2019_score", WARD_A, "source_id") == "imd2019-ward-humaniverse"


def test_imd2019_ward_rank_among_english_wards(values):
    # Scores 50, 45.5, 30, 12.25: ward A is 2nd most deprived, ward B 4th.
    assert value_of(values, "imd2019_rank_ward", WARD_A) == 2
    assert value_of(values, "imd2019_rank_ward", WARD_B) == 4


def test_imd2019_housing_score_reads_housing_and_access(values):
    # Housing = score / 4: ward B 12.25 / 4 = 3.0625, written to 3 d.p. as 3.062
    assert value_of(values, "imd2019_housing_score", WARD_B) == pytest.approx(3.062)


def test_imd2019_percentage_uses_mid_2015_population_and_2011_lsoas(values):
    # E01999911 (decile 1, 3000 people) is all in ward A; E01999912 (decile 6, 2000) all in ward B.
    assert value_of(values, "imd2019_pct_most_deprived_10", WARD_A) == pytest.approx(100.0)
    assert value_of(values, "imd2019_pct_most_deprived_10", WARD_B) == 0
    assert value_of(values, "imd2019_pct_most_deprived_10", LAD) == pytest.approx(100 * 3000 / 5000)
    # England: 3000 of 13000 residents (File 6 covers every LSOA).
    assert value_of(values, "imd2019_pct_most_deprived_10", ENGLAND) == pytest.approx(100 * 3000 / 13000)
    assert value_of(values, "imd2019_pct_most_deprived_10", ENGLAND, "denominator") == 13000


def test_imd2019_lsoa_values_use_2011_codes_only(values):
    lsoa19 = values[values["indicator_id"].str.startswith("imd2019") & (values["area_type"] == "lsoa")]
    assert set(lsoa19["area_code"]) == {"E01999911", "E01999912"}
    assert value_of(values, "imd2019_decile", "E01999912") == 6


def test_no_imd2019_lsoa_score_is_invented(values):
    assert not ((values["indicator_id"] == "imd2019_score") & (values["area_type"] == "lsoa")).any()


# ------------------------------------------------------------------ the contract with the tidy tables


def test_values_pass_the_tidy_checks(dep_ctx, geo, geo_parts):
    parts = build(dep_ctx, geo)
    check_tidy(
        areas=geo_parts.areas,
        values=normalise_values(parts.values),
        indicators=pd.DataFrame(parts.indicators),
    )


def test_indicator_metadata_is_complete_and_allowed(dep_ctx, geo):
    for meta in build(dep_ctx, geo).indicators:
        assert all(meta.get(k) for k in INDICATOR_REQUIRED), meta["indicator_id"]
        assert meta["topic"] == "Deprivation"
        assert (
            meta["polarity"] in POLARITIES and meta["value_type"] in VALUE_TYPES and meta["ward_method"] in WARD_METHODS
        )


def test_imd2019_methods_warn_against_joining_the_two_vintages(dep_ctx, geo):
    meta = {m["indicator_id"]: m for m in build(dep_ctx, geo).indicators}
    assert "never joined on LSOA code" in meta["imd2019_decile"]["method"]
    assert meta["imd2019_decile"]["lsoa_vintage"] == "2011" and meta["imd2025_decile"]["lsoa_vintage"] == "2021"


def test_ward_missing_from_the_2019_table_gets_a_note(dep_ctx, geo, geo_raw):
    path = geo_raw / md.WARD19
    path.write_text(path.read_text().replace("E05999902", "E05999977"))
    values = build(dep_ctx, geo).values
    assert pd.isna(value_of(values, "imd2019_score", WARD_B))
    assert "not in the 2019 ward table" in value_of(values, "imd2019_score", WARD_B, "value_note")


# ------------------------------------------------------------------ bad input


def test_missing_population_column_names_file_and_fix(dep_ctx, geo, geo_raw):
    path = geo_raw / str(md.FILE7).format(slug="testborough")
    path.write_text(path.read_text().replace("Total population: mid 2022", "Population"))
    with pytest.raises(DataError, match=r"subset\.csv: missing column 'Total population: mid 2022'.*Fix:"):
        build(dep_ctx, geo)


def test_truncated_csv_gz_is_refused(dep_ctx, geo, geo_raw):
    path = geo_raw / md.FILE2
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(
        DataError, match=r"File_2_-_IoD2019_Domains_of_Deprivation\.csv\.gz: file is truncated.*Fix: download"
    ):
        build(dep_ctx, geo)


def test_truncated_xlsx_is_refused(dep_ctx, geo, geo_raw):
    path = geo_raw / md.FILE1
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(DataError, match=r"File_1_-_IMD2019_Index_of_Multiple_Deprivation\.xlsx: file is truncated"):
        build(dep_ctx, geo)


def test_file7_lsoa_of_another_vintage_is_refused(dep_ctx, geo, geo_raw):
    # E01999911 is a 2011 LSOA: not among the place's 2021 boundaries.
    path = geo_raw / str(md.FILE7).format(slug="testborough")
    path.write_text(path.read_text().replace("E01999903", "E01999911"))
    with pytest.raises(DataError, match=r"unknown lsoa code.*E01999911.*another vintage"):
        build(dep_ctx, geo)


def test_place_lsoa_missing_from_england_table_is_refused(dep_ctx, geo, geo_raw):
    path = geo_raw / md.ENGLAND_LSOA
    lines = [line for line in path.read_text().splitlines() if not line.startswith("E01999902")]
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(
        DataError, match=r"imd2025_england_lsoa21_humaniverse\.csv: 1 of the place's 3 2021 LSOAs are missing"
    ):
        build(dep_ctx, geo)


def test_ranks_that_disagree_between_file1_and_file2_are_refused(dep_ctx, geo, geo_raw):
    rank = "Index of Multiple Deprivation (IMD) Rank (where 1 is most deprived)"
    rewrite_gzip_csv(
        geo_raw / md.FILE2, lambda f: f.assign(**{rank: f[rank].where(f["LSOA code (2011)"] != "E01999912", "5")})
    )
    with pytest.raises(DataError, match=r"File_1_.*xlsx and .*File_2_.*disagree.*E01999912: 6 vs 5"):
        build(dep_ctx, geo)


def test_file7_that_disagrees_with_the_england_table_is_refused(dep_ctx, geo, geo_raw):
    path = geo_raw / md.ENGLAND_LSOA
    frame = pd.read_csv(path, dtype={"lsoa21_code": str})
    frame.loc[frame["lsoa21_code"] == "E01999901", "IMD_score"] = 61.0
    frame.to_csv(path, index=False)
    with pytest.raises(DataError, match=r"File 7 and the England-wide table disagree.*imd_score differs for 1 LSOAs"):
        build(dep_ctx, geo)


def test_file6_thousands_separators_are_read_as_numbers(dep_ctx, geo, geo_raw):
    text = gzip.decompress((geo_raw / md.FILE6).read_bytes()).decode("utf-8-sig")
    assert '"3,000"' in text  # the fixture really uses the Excel export's separators
    lsoa = deprivation_2019.read_imd2019_lsoa(dep_ctx, geo).set_index("lsoa_code")
    assert lsoa.loc["E01999911", "population"] == 3000
