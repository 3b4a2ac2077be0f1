from __future__ import annotations

import json

import pandas as pd
import pytest

from pipelines.context import BuildContext
from pipelines.errors import DataError
from pipelines.estimates import build_lsoa_ward_weights
from pipelines.registry import load_sources
from pipelines.sources import geography


def test_wards_of_the_place_are_read(geo):
    assert geo.ward_codes == ["E05999901", "E05999902"]


def test_unsplit_lsoa_goes_whole_to_its_ward(geo):
    w = geo.weights("2021")
    row = w[w["lsoa_code"] == "E01999902"]
    assert row[["ward_code", "weight"]].to_dict("records") == [{"ward_code": "E05999902", "weight": 1.0}]


def test_split_lsoa_is_weighted_by_its_postcodes(geo):
    # E01999903 holds 5 postcodes: 4 in ward A, 1 in ward B (fake_place.POSTCODES).
    w = geo.weights("2021").set_index(["lsoa_code", "ward_code"])["weight"]
    assert w[("E01999903", "E05999901")] == pytest.approx(0.8)
    assert w[("E01999903", "E05999902")] == pytest.approx(0.2)


def test_weights_sum_to_one_for_every_lsoa(geo):
    sums = geo.lsoa_ward_weights.groupby(["lsoa_vintage", "lsoa_code"])["weight"].sum()
    assert sums.round(12).eq(1.0).all()


def test_small_pieces_below_the_threshold_are_dropped():
    import geopandas as gpd
    from shapely.geometry import box

    lsoas = gpd.GeoDataFrame({"lsoa_code": ["E01000001"]}, geometry=[box(0, 0, 100, 100)], crs="EPSG:27700")
    wards = gpd.GeoDataFrame(
        {"ward_code": ["E05000001", "E05000002"]}, geometry=[box(0, 0, 99, 100), box(99, 0, 200, 100)], crs="EPSG:27700"
    )
    postcodes = pd.DataFrame(
        {
            "postcode": [f"P{i}" for i in range(21)],
            "easting": [10.0] * 20 + [99.5],
            "northing": [50.0] * 21,
            "ward_code": ["E05000001"] * 20 + ["E05000002"],
        }
    )
    out = build_lsoa_ward_weights(lsoas=lsoas, wards=wards, postcodes=postcodes, vintage="2021", min_share=0.05)
    assert out[["ward_code", "weight"]].to_dict("records") == [{"ward_code": "E05000001", "weight": 1.0}]


def test_areas_hold_wards_lsoas_of_both_vintages_and_the_hierarchy(geo_parts):
    areas = geo_parts.areas
    counts = areas.groupby(["area_type", "boundary_vintage"]).size().to_dict()
    assert counts[("ward", "2025")] == 2
    assert counts[("lsoa", "2021")] == 3
    assert counts[("lsoa", "2011")] == 2
    assert set(areas.loc[areas["area_type"] == "england", "area_code"]) == {"E92000001"}
    assert set(areas.loc[areas["area_type"] == "county", "area_code"]) == {"E10999999"}


def test_lsoa_parent_is_its_main_ward(geo_parts):
    areas = geo_parts.areas
    parent = areas[(areas["area_type"] == "lsoa") & (areas["boundary_vintage"] == "2021")].set_index("area_code")[
        "parent_code"
    ]
    assert parent["E01999903"] == "E05999901"


def test_ward_boundaries_are_wgs84_geojson(geo_parts):
    wards = geo_parts.tables["boundaries_ward"]
    doc = json.loads(wards.to_json(drop_id=True))
    lon, lat = doc["features"][0]["geometry"]["coordinates"][0][0]
    assert -3 < lon < -2 and 53 < lat < 54


def test_renamed_ward_column_names_file_and_fix(geo_raw, fake_place):
    path = geo_raw / "geography" / "wards" / "wards_2025_BGC_E07999999_Testborough.geojson"
    path.write_text(path.read_text().replace("WD25CD", "WARDCODE"))
    ctx = BuildContext(raw=geo_raw, place=fake_place, sources=load_sources(fake_place, with_checksums=False))
    with pytest.raises(DataError, match=r"wards_2025_BGC_E07999999_Testborough.geojson: missing column 'WD25CD'.*Fix:"):
        geography.build_geography(ctx)


def test_oa_lookup_with_unknown_lsoa_is_refused(geo_raw, fake_place):
    path = geo_raw / "census2021" / "lookups" / "oa21_lsoa21_testborough_subset.csv"
    path.write_text(path.read_text().replace("E01999903", "E01888888"))
    ctx = BuildContext(raw=geo_raw, place=fake_place, sources=load_sources(fake_place, with_checksums=False))
    with pytest.raises(DataError, match=r"unknown lsoa code.*E01888888"):
        geography.build_geography(ctx)


def test_truncated_codepoint_file_is_refused(geo_raw, fake_place):
    path = geo_raw / "assets" / "codepoint_open_2025" / "bb.csv"
    path.write_text('"TB1 1AA",10,370200,\n')
    ctx = BuildContext(raw=geo_raw, place=fake_place, sources=load_sources(fake_place, with_checksums=False))
    with pytest.raises(DataError, match=r"bb.csv: .*non-numeric Northings"):
        geography.build_geography(ctx)


def test_lsoa_change_table_relates_2011_and_2021_lsoas(geo_parts):
    change = geo_parts.tables["lsoa_2011_2021"]
    assert sorted(change.loc[change["lsoa11_code"] == "E01999911", "lsoa21_code"]) == ["E01999901", "E01999903"]


def test_lsoa_change_table_missing_an_lsoa_is_refused(geo_raw, fake_place):
    path = geo_raw / "geography" / "derived" / "testborough_lsoa2011_to_lsoa2021_DERIVED.csv"
    path.write_text("\n".join(line for line in path.read_text().splitlines() if "E01999902" not in line) + "\n")
    ctx = BuildContext(raw=geo_raw, place=fake_place, sources=load_sources(fake_place, with_checksums=False))
    with pytest.raises(DataError, match=r"LSOAs of the place not in the lookup: \['E01999902'\]"):
        geography.build_geography(ctx)
