from __future__ import annotations

import json
import logging

import pandas as pd
import pytest

from pipelines.errors import DataError
from pipelines.sources import active_lives, fast_food, fingertips, fingertips_derived, qof, sports_engagement
from pipelines.tidy import INDICATOR_COLUMNS, POLARITIES, VALUE_TYPES, WARD_METHODS, Parts, check_tidy, normalise_values
from tests.fixtures import fake_place as fp
from tests.fixtures.mirror_district import write_district

PLACE, NEIGHBOUR, ENGLAND = fp.PLACE.lad_code, fp.PLACE.neighbour_lad_code, "E92000001"


@pytest.fixture
def ctx(geo_ctx):
    write_district(geo_ctx.raw)
    return geo_ctx


DISTRICT_SOURCES = (fingertips, fast_food, active_lives, sports_engagement, qof, fingertips_derived)


def build(ctx, geo) -> Parts:
    """Every district-level source, in the build's order."""
    return Parts.merge(*(source.build(ctx, geo) for source in DISTRICT_SOURCES))


@pytest.fixture
def parts(ctx, geo):
    return build(ctx, geo)


def value_row(parts, indicator_id: str, area_code: str) -> dict:
    v = parts.values
    rows = v[(v["indicator_id"] == indicator_id) & (v["area_code"] == area_code)]
    assert len(rows) == 1, rows
    return rows.iloc[0].to_dict()


def fingertips_path(ctx, index=1):
    return ctx.path("fingertips-5aday", index)


def test_five_a_day_value_ci_and_denominator_come_from_the_export(parts):
    row = value_row(parts, "fruit_veg_5aday_2019_20", PLACE)
    assert (row["value"], row["lower_ci"], row["upper_ci"], row["denominator"], row["period"]) == (
        40.0,
        35.0,
        45.0,
        400.0,
        "2019/20",
    )


def test_suppressed_fingertips_value_keeps_its_note(parts):
    row = value_row(parts, "fruit_veg_5aday_2022_23", NEIGHBOUR)
    assert pd.isna(row["value"]) and row["value_note"] == "Value suppressed for disclosure control"


def test_england_missing_from_export_is_a_noted_gap(parts):
    row = value_row(parts, "fruit_veg_5aday_2022_23", ENGLAND)
    assert pd.isna(row["value"]) and row["value_note"] == "England value not in the source file"


def test_districts_with_codes_unknown_to_the_build_are_dropped(parts):
    assert "E06000065" not in set(parts.values["area_code"])


def test_fast_food_district_rate_and_count(parts):
    row = value_row(parts, "fast_food_outlets_per_100k", PLACE)
    assert (row["value"], row["count"]) == (150.0, 30.0)


def test_fast_food_ward_counts_are_official_and_missing_wards_are_noted(parts):
    assert value_row(parts, "fast_food_outlets_count", "E05999901")["value"] == 20.0
    missing = value_row(parts, "fast_food_outlets_count", "E05999902")
    assert pd.isna(missing["value"]) and "not in the source file" in missing["value_note"]
    meta = {m["indicator_id"]: m for m in parts.indicators}
    assert meta["fast_food_outlets_count"]["ward_method"] == "official"


def test_fast_food_england_count_is_the_sum_of_districts(parts):
    # Testborough 30 + Otherton 10 + City of London 5 (footnotes and "Post code not recorded" ignored).
    assert value_row(parts, "fast_food_outlets_count", ENGLAND)["value"] == 45.0


def test_active_lives_active_is_the_sum_of_the_three_active_categories(parts):
    assert value_row(parts, "physically_active_150", PLACE)["value"] == pytest.approx(58.0)


def test_active_lives_inactive_is_100_minus_the_published_30_plus_categories(parts):
    # 1-29 minutes is '-' for districts: 100 - (12 + 20 + 15 + 23) = 30.
    row = value_row(parts, "physically_inactive", PLACE)
    assert row["value"] == pytest.approx(30.0) and row["value_note"] == "no confidence interval published"


def test_active_lives_county_row_uses_the_place_county_code(parts):
    assert value_row(parts, "physically_inactive", fp.PLACE.county_code)["value"] == pytest.approx(25.0)


def test_active_lives_names_match_despite_double_spaces_and_suppression_is_noted(parts):
    row = value_row(parts, "physically_active_150", NEIGHBOUR)
    assert pd.isna(row["value"]) and "suppressed" in row["value_note"]


def test_active_lives_unmatched_names_are_logged(ctx, geo, caplog):
    # Logged at INFO: the real export always has post-2019 authorities that 2019 codes cannot name.
    with caplog.at_level(logging.INFO):
        build(ctx, geo)
    assert "Newtown" in caplog.text


def test_sports_engagement_share_is_a_percentage(parts):
    assert value_row(parts, "exercise_150_mins_pct", PLACE)["value"] == pytest.approx(55.0)
    assert "suppressed" in value_row(parts, "exercise_150_mins_pct", NEIGHBOUR)["value_note"]


def test_qof_prevalence_is_register_over_list(parts):
    row = value_row(parts, "qof_dep_prevalence", PLACE)
    assert (row["value"], row["count"], row["denominator"]) == (pytest.approx(10.0), 100.0, 1000.0)


def test_qof_england_sums_english_districts_only(parts):
    assert value_row(parts, "qof_dep_prevalence", ENGLAND)["value"] == pytest.approx(7.5)


def test_derived_json_gives_place_england_and_region(parts):
    assert value_row(parts, "life_expectancy_male", PLACE)["lower_ci"] == 76.0
    assert value_row(parts, "life_expectancy_male", ENGLAND)["value"] == 79.0
    assert value_row(parts, "life_expectancy_male", fp.PLACE.region_code)["value"] == 78.0
    assert value_row(parts, "suicide_rate", PLACE)["period"] == "2022-24"


def test_polarity_follows_meaning(parts):
    meta = {m["indicator_id"]: m for m in parts.indicators}
    assert meta["life_expectancy_female"]["polarity"] == "higher_is_better"
    assert meta["u75_cvd_mortality"]["polarity"] == "lower_is_better"
    assert "THIRD-PARTY" in meta["smoking_prevalence"]["method"]


def test_metadata_uses_allowed_values(parts):
    meta = pd.DataFrame(parts.indicators)
    assert set(meta["polarity"]) <= set(POLARITIES)
    assert set(meta["value_type"]) <= set(VALUE_TYPES)
    assert set(meta["ward_method"]) <= set(WARD_METHODS)


def test_values_pass_the_tidy_checks(geo_parts, parts):
    indicators = pd.DataFrame(parts.indicators).reindex(columns=INDICATOR_COLUMNS).astype(object).fillna("x")
    check_tidy(areas=geo_parts.areas, values=normalise_values(parts.values), indicators=indicators)


# --- bad input -------------------------------------------------------------------------------


def test_renamed_fingertips_column_names_file_and_fix(ctx, geo):
    path = fingertips_path(ctx)
    path.write_text(path.read_text(encoding="utf-8-sig").replace('"AreaName"', '"Area Name"'), encoding="utf-8-sig")
    with pytest.raises(
        DataError, match=r"fruit_veg_5aday_new_method_ltla_2022-23.csv: missing column 'AreaName'.*Fix:"
    ):
        build(ctx, geo)


def test_empty_fingertips_export_is_refused(ctx, geo):
    fingertips_path(ctx).write_text("", encoding="utf-8")
    with pytest.raises(DataError, match=r"93982.*file is empty.*Fix:"):
        build(ctx, geo)


def test_malformed_area_code_is_refused(ctx, geo):
    path = fingertips_path(ctx, 0)
    path.write_text(path.read_text(encoding="utf-8-sig").replace(f'"{NEIGHBOUR}"', '"X0799998"'), encoding="utf-8-sig")
    with pytest.raises(DataError, match=r"93077.*not lad codes.*X0799998.*Fix:"):
        build(ctx, geo)


def test_fast_food_without_header_row_is_refused(ctx, geo):
    path = ctx.path("phe-fast-food")
    sheets = pd.read_excel(path, sheet_name=None, header=None)
    sheets["Ward Data"] = sheets["Ward Data"].replace("2016 Ward code", "Ward")
    with pd.ExcelWriter(path, engine="openpyxl") as writer:
        for name, frame in sheets.items():
            frame.to_excel(writer, sheet_name=name, header=False, index=False)
    with pytest.raises(
        DataError, match=r"PHE_FastFoodMetadata_LA_Ward.xlsx.*no header row with '2016 Ward code'.*Fix:"
    ):
        build(ctx, geo)


def test_truncated_workbook_is_refused(ctx, geo):
    path = ctx.path("phe-fast-food")
    path.write_bytes(path.read_bytes()[:200])
    with pytest.raises(DataError, match=r"PHE_FastFoodMetadata_LA_Ward.xlsx.*(truncated|could not be read).*Fix:"):
        build(ctx, geo)


def test_active_lives_file_of_the_wrong_category_is_refused(ctx, geo):
    path = ctx.path("sport-england-active-lives", 0)
    path.write_text(
        path.read_text(encoding="utf-8").replace("Inactive: Nothing", "Inactive: Light only"), encoding="utf-8"
    )
    with pytest.raises(DataError, match=r"Inactive_Nothing.csv: the 4th title line says 'Inactive: Light only'.*Fix:"):
        build(ctx, geo)


def test_qof_without_a_group_is_refused(ctx, geo):
    path = ctx.path("hocl-qof-prevalence")
    frame = pd.read_csv(path)
    frame[frame["group_code"] != "DEP"].to_csv(path, index=False)
    with pytest.raises(DataError, match=r"output_lad_prevalence.csv: no rows for QOF group\(s\) \['DEP'\].*Fix:"):
        build(ctx, geo)


def test_derived_json_of_another_place_is_refused(ctx, geo):
    path = ctx.path("fingertips-district-derived")
    doc = json.loads(path.read_text(encoding="utf-8"))
    doc["meta"]["ons_code"] = "E07000117"
    path.write_text(json.dumps(doc), encoding="utf-8")
    with pytest.raises(DataError, match=r"health.json: the file is for E07000117.*Fix:"):
        build(ctx, geo)


def test_derived_json_missing_an_indicator_is_refused(ctx, geo):
    path = ctx.path("fingertips-district-derived")
    doc = json.loads(path.read_text(encoding="utf-8"))
    del doc["indicators"]["suicide_rate"]
    path.write_text(json.dumps(doc), encoding="utf-8")
    with pytest.raises(DataError, match=r"indicator 'suicide_rate' missing.*Fix:"):
        build(ctx, geo)
