"""cut: a place's rows from a county or national file, and small-area names and lookups."""

from __future__ import annotations

import json

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import box

from pipelines.cut import (
    bestfit_from_weights,
    codes_of_lad,
    cut_csv_text,
    cut_geojson_text,
    dissolve_msoas,
    in_place_by_name,
    msoa_name_of,
    rows_where,
)
from pipelines.errors import DataError

BURNLEY = "E07000117"


def collection(*features: dict) -> str:
    return json.dumps({"type": "FeatureCollection", "features": list(features)})


def feature(code: str, lad: str, x: int = 0) -> dict:
    return {
        "type": "Feature",
        "properties": {"WD25CD": code, "LAD25CD": lad},
        "geometry": {"type": "Polygon", "coordinates": [[[x, 0], [x + 1, 0], [x + 1, 1], [x, 0]]]},
    }


def test_csv_cut_keeps_header_and_the_place_rows_verbatim():
    text = 'code,LAD,v\n1,E07000117,"1,296"\n2,E07000120,b\n3,E07000117,c\n'
    out = cut_csv_text(text, {"column": "LAD", "equals": BURNLEY}, source_id="s", file="f.csv")
    assert out == 'code,LAD,v\n1,E07000117,"1,296"\n3,E07000117,c\n'


def test_csv_cut_by_name_prefix_does_not_take_a_longer_name():
    # "Hyndburn 001A" ends with "burn" but does not start with "Burnley ".
    text = "LSOA21NM,n\nBurnley 001A,5\nHyndburn 001A,6\nBurnley 012C,7\n"
    out = cut_csv_text(text, {"column": "LSOA21NM", "prefix": "Burnley "}, source_id="s", file="f.csv")
    assert out.splitlines() == ["LSOA21NM,n", "Burnley 001A,5", "Burnley 012C,7"]


def test_csv_cut_renames_columns_for_the_extract_layout():
    text = "LSOA11CD,CHGIND,LAD22CD\nE01,U,E07000117\n"
    rule = {"column": "LAD22CD", "equals": BURNLEY, "rename": {"CHGIND": "CHGIND_derived"}}
    assert cut_csv_text(text, rule, source_id="s", file="f.csv").splitlines()[0] == "LSOA11CD,CHGIND_derived,LAD22CD"


def test_csv_cut_with_no_row_of_the_place_is_an_error():
    with pytest.raises(DataError, match=r"no row with LAD = E07000117"):
        cut_csv_text("code,LAD\n1,E07000120\n", {"column": "LAD", "equals": BURNLEY}, source_id="s", file="f.csv")


def test_csv_cut_names_a_missing_column():
    with pytest.raises(DataError, match=r"column 'LAD' not found"):
        cut_csv_text("code,X\n1,2\n", {"column": "LAD", "equals": BURNLEY}, source_id="s", file="f.csv")


def test_a_rule_needs_exactly_one_of_equals_or_prefix():
    with pytest.raises(DataError, match=r"exactly one of `equals` or `prefix`"):
        cut_csv_text("LAD\nx\n", {"column": "LAD", "equals": "x", "prefix": "x"}, source_id="s", file="f.csv")


def test_geojson_cut_keeps_the_place_features_and_collection_members():
    text = collection(feature("W1", BURNLEY), feature("W2", "E07000120", 2), feature("W3", BURNLEY, 4))
    out = json.loads(cut_geojson_text(text, {"column": "LAD25CD", "equals": BURNLEY}, source_id="s", file="w.geojson"))
    assert out["type"] == "FeatureCollection"
    assert [f["properties"]["WD25CD"] for f in out["features"]] == ["W1", "W3"]


def test_geojson_cut_without_the_property_is_an_error():
    with pytest.raises(DataError, match=r"no feature has the property 'LADCD_ACTIVE'"):
        cut_geojson_text(
            collection(feature("W1", BURNLEY)), {"column": "LADCD_ACTIVE", "equals": BURNLEY}, source_id="s", file="f"
        )


def test_broken_geojson_is_an_error_not_an_empty_cut():
    with pytest.raises(DataError, match=r"not a GeoJSON FeatureCollection"):
        cut_geojson_text("{not json", {"column": "LAD25CD", "equals": BURNLEY}, source_id="s", file="f")


def test_rows_where_cuts_a_geodataframe_and_keeps_it_geographic():
    gdf = gpd.GeoDataFrame({"LAD": [BURNLEY, "E07000120"]}, geometry=[box(0, 0, 1, 1), box(1, 0, 2, 1)], crs=27700)
    out = rows_where(gdf, {"column": "LAD", "equals": BURNLEY}, source_id="s", file="f")
    assert isinstance(out, gpd.GeoDataFrame) and list(out["LAD"]) == [BURNLEY]


def test_msoa_name_is_the_lsoa_name_without_its_letter():
    names = pd.Series(["Burnley 001A", "Blackburn with Darwen 018D"])
    assert list(msoa_name_of(names)) == ["Burnley 001", "Blackburn with Darwen 018"]


def test_in_place_by_name_needs_the_whole_district_name():
    names = pd.Series(["Burnley 001A", "Hyndburn 001A", "Burnley Wood 001A", "Burnley 002"])
    assert list(in_place_by_name(names, "Burnley")) == [True, False, False, True]


def test_codes_of_lad_from_a_lookup():
    lookup = pd.DataFrame({"WD19CD": ["W2", "W1", "W1", "X"], "LAD19CD": [BURNLEY, BURNLEY, BURNLEY, "E07000120"]})
    assert codes_of_lad(lookup, code="WD19CD", lad_column="LAD19CD", lad_code=BURNLEY) == ["W1", "W2"]


def test_msoas_are_the_union_of_their_lsoas():
    lsoas = gpd.GeoDataFrame(
        {"lsoa_name": ["Burnley 001A", "Burnley 001B", "Burnley 002A"]},
        geometry=[box(0, 0, 1, 1), box(1, 0, 2, 1), box(5, 5, 6, 6)],
        crs=27700,
    )
    out = dissolve_msoas(lsoas, {"Burnley 001": "E02000001", "Burnley 002": "E02000002"}, source_id="s")
    assert list(out["msoa_code"]) == ["E02000001", "E02000002"]
    # 001 = two unit squares side by side: area 2.
    assert out.geometry.area.tolist() == [2.0, 1.0]


def test_msoa_name_without_a_code_is_an_error():
    lsoas = gpd.GeoDataFrame({"lsoa_name": ["Burnley 003A"]}, geometry=[box(0, 0, 1, 1)], crs=27700)
    with pytest.raises(DataError, match=r"1 MSOA names have no code, e\.g\. \['Burnley 003'\]"):
        dissolve_msoas(lsoas, {"Burnley 001": "E02000001"}, source_id="s")


def test_bestfit_takes_the_ward_with_most_postcodes():
    weights = pd.DataFrame(
        {"lsoa_code": ["L1", "L1", "L2"], "ward_code": ["W1", "W2", "W3"], "weight": [0.3, 0.7, 1.0]}
    )
    assert bestfit_from_weights(weights).to_dict("list") == {"lsoa_code": ["L1", "L2"], "ward_code": ["W2", "W3"]}
