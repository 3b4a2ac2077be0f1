from __future__ import annotations

import logging

import pandas as pd
import pytest

from pipelines.errors import DataError
from pipelines.sources import ods_sites, sports_facilities
from pipelines.tidy import PARTNER_SITE_COLUMNS, Parts
from tests.fixtures.mirror_assets import GP_ROWS, PHARMACY_ROWS, write_assets, write_ods


@pytest.fixture
def ctx(geo_ctx, geo):
    write_assets(geo_ctx.raw)
    return geo_ctx


def build(ctx, geo):
    return Parts.merge(ods_sites.build(ctx, geo), sports_facilities.build(ctx, geo))


@pytest.fixture
def parts(ctx, geo):
    return build(ctx, geo)


@pytest.fixture
def sites(parts):
    return parts.tables["partner_sites"].set_index("site_id")


def test_partner_sites_have_the_contract_columns(parts):
    assert list(parts.tables["partner_sites"].columns) == PARTNER_SITE_COLUMNS


def test_active_gp_practice_in_the_place_is_kept_with_its_ward(sites):
    row = sites.loc["gp:P99001"]
    assert (row["kind"], row["ward_code"], bool(row["in_place"]), row["postcode"]) == (
        "gp_practice",
        "E05999901",
        True,
        "TB1 1AA",
    )


def test_site_500_m_outside_is_kept_outside_the_place_without_a_ward(sites):
    row = sites.loc["gp:P99002"]
    assert not row["in_place"] and pd.isna(row["ward_code"])


def test_site_900_m_outside_is_dropped(sites):
    assert "gp:P99003" not in sites.index


def test_closed_practice_is_dropped(sites):
    assert "gp:P99004" not in sites.index


def test_non_gp_prescribing_setting_is_dropped(sites):
    assert "gp:P99005" not in sites.index


def test_site_whose_postcode_is_not_in_code_point_is_dropped_and_logged(ctx, geo, caplog):
    with caplog.at_level(logging.WARNING):
        out = build(ctx, geo)
    assert "gp:P99006" not in set(out.tables["partner_sites"]["site_id"])
    assert "TB1 9XX" in caplog.text


def test_active_pharmacy_is_kept_and_closed_one_dropped(sites):
    assert sites.loc["pharmacy:FA001", "ward_code"] == "E05999902"
    assert "pharmacy:FA002" not in sites.index


def test_names_are_title_cased_sensibly(sites):
    assert sites.loc["gp:P99002", "name"] == "Dr Bello's Surgery"
    assert sites.loc["pharmacy:FA001", "name"] == "ARG Healthcare Pharmacy"


def test_coordinates_are_wgs84(sites):
    row = sites.loc["gp:P99001"]
    assert -3 < row["lon"] < -2 and 53 < row["lat"] < 54


def test_postcode_table_holds_the_place_and_the_buffer_only(parts):
    keys = set(parts.tables["postcodes"]["postcode_key"])
    assert "TB99ZZ" in keys and "TB99ZY" not in keys and "TB11AA" in keys
    assert list(parts.tables["postcodes"].columns) == [
        "postcode",
        "postcode_key",
        "lon",
        "lat",
        "lad_code",
        "ward_code",
    ]


def value(parts, indicator_id, area_code):
    v = parts.values
    rows = v[(v["indicator_id"] == indicator_id) & (v["area_code"] == area_code)]
    assert len(rows) == 1
    return rows.iloc[0]


def test_sports_facility_counts_for_the_place_msoa_and_district(parts):
    assert value(parts, "sports_facilities_count", "E02999901")["value"] == 7
    assert value(parts, "sports_facilities_count", "E07999999")["value"] == 7
    assert "E02000001" not in set(parts.values["area_code"])


def test_sports_facilities_per_10k_with_population_denominator(parts):
    row = value(parts, "sports_facilities_per_10k", "E07999999")
    assert (row["value"], row["denominator"]) == (14.0, 5000.0)


def test_sports_facilities_england_is_a_noted_gap(parts):
    row = value(parts, "sports_facilities_count", "E92000001")
    assert pd.isna(row["value"]) and row["value_note"] == "England value not in the source file"


# --- bad input -------------------------------------------------------------------------------


def test_ods_file_with_a_missing_column_is_refused(ctx, geo):
    write_ods(ctx.path("ods-epraccur"), [row[:26] for row in GP_ROWS])
    with pytest.raises(DataError, match=r"epraccur.csv: 26 columns where the ODS layout has 27.*Fix:"):
        build(ctx, geo)


def test_ods_file_with_a_header_line_is_refused(ctx, geo):
    header = ["Organisation Code", "Name"] + [f"col{i}" for i in range(3, 28)]
    write_ods(ctx.path("ods-epraccur"), [header] + GP_ROWS)
    with pytest.raises(DataError, match=r"epraccur.csv: .*do not look like ODS codes.*Fix:"):
        build(ctx, geo)


def test_ods_postcodes_in_the_wrong_column_are_refused(ctx, geo):
    # Column 10 holding dates instead of postcodes: the layout is not the ODS one.
    write_ods(ctx.path("ods-edispensary"), [row[:9] + ["19740401"] + row[10:] for row in PHARMACY_ROWS])
    with pytest.raises(DataError, match=r"edispensary.csv: .*postcodes \(column 10\) are not UK postcodes.*Fix:"):
        build(ctx, geo)


def test_empty_ods_file_is_refused(ctx, geo):
    ctx.path("ods-edispensary").write_text("", encoding="utf-8")
    with pytest.raises(DataError, match=r"edispensary.csv: file is empty.*Fix:"):
        build(ctx, geo)


def test_facilities_table_with_renamed_column_is_refused(ctx, geo):
    path = ctx.path("ons-sports-facilities")
    sheets = pd.read_excel(path, sheet_name=None, header=None)
    sheets["Table 6"] = sheets["Table 6"].replace("Counts", "Number")
    with pd.ExcelWriter(path, engine="openpyxl") as writer:
        for name, frame in sheets.items():
            frame.to_excel(writer, sheet_name=name, header=False, index=False)
    with pytest.raises(
        DataError, match=r"ons_accesstoamenitiessportsfacilities_2024.xlsx \[Table 6\]: missing column 'Counts'.*Fix:"
    ):
        build(ctx, geo)


def test_facilities_with_a_malformed_msoa_code_are_refused(ctx, geo):
    path = ctx.path("ons-sports-facilities")
    sheets = pd.read_excel(path, sheet_name=None, header=None)
    sheets["Table 9"] = sheets["Table 9"].replace("E02000001", "E0200001")
    with pd.ExcelWriter(path, engine="openpyxl") as writer:
        for name, frame in sheets.items():
            frame.to_excel(writer, sheet_name=name, header=False, index=False)
    with pytest.raises(DataError, match=r"\[Table 9\]: 1 value\(s\) in 'MSOA code' are not msoa codes.*Fix:"):
        build(ctx, geo)
