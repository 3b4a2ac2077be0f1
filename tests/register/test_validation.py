"""Row checks, without a database: every problem a coordinator can make, in their words."""

from __future__ import annotations

import datetime as dt

import pytest

from dashboard.register.places import PostcodeLookup, WardLookup, normalise_postcode
from dashboard.register.validation import check_activity, parse_date
from tests.register.helpers import PLACE, POSTCODES, WARDS, valid_activity

LOOKUP = WardLookup(WARDS)


def problems(**overrides: object) -> list[tuple[str | None, str]]:
    _, issues = check_activity(
        valid_activity(**overrides), wards=LOOKUP, postcodes=PostcodeLookup(POSTCODES), place_name=PLACE, row=7
    )
    return [(i.column, i.message) for i in issues if i.severity == "error"]


def test_a_valid_row_has_no_problems() -> None:
    assert problems() == []


@pytest.mark.parametrize(
    ("overrides", "column", "words"),
    [
        ({"title": ""}, "title", "The title is missing"),
        ({"organisation": "  "}, "organisation", "The organisation is missing"),
        ({"sector": "charity"}, None, None),  # an alias: accepted
        ({"sector": "business"}, "sector", "'business' is not a sector we know"),
        ({"activity_type": "class"}, "activity_type", "is not a type of activity"),
        ({"status": "actve"}, "status", "Did you mean 'active'?"),
        ({"themes": "mental helth"}, "themes", "Did you mean 'mental health'?"),
        ({"themes": ""}, "themes", "choose at least one theme"),
        ({"start_date": "31/02/2025"}, "start_date", "is not a date we can read"),
        ({"start_date": "1/4/25"}, "start_date", "two-digit year"),
        (
            {"start_date": "2025-05-01", "end_date": "2025-04-30"},
            "end_date",
            "the end date 2025-04-30 is before the start date 2025-05-01",
        ),
        ({"reach_count": "lots"}, "reach_count", "'lots' is not a number"),
        ({"reach_count": "-5"}, "reach_count", "is negative"),
        ({"reach_count": "12.5"}, "reach_count", "not a whole number"),
        ({"reach_unit": ""}, "reach_unit", "is needed when a reach_count is given"),
        ({"reach_period": "fortnight"}, "reach_period", "is not a reach period"),
        ({"wards": "Centrall"}, "wards", "'Centrall' is not a ward of Testborough. Did you mean 'Central'?"),
        ({"wards": "Mars"}, "wards", "'Mars' is not a ward of Testborough"),
        ({"wards": ""}, "wards", "say where the activity happens"),
        ({"postcode": "BB5"}, "postcode", "is not shaped like a UK postcode"),
        ({"postcode": "BB1 1AE"}, "postcode", "'BB1 1AE' is outside Testborough"),
        ({"postcode": "BB5 9XX"}, "postcode", "is not in the postcode list for Testborough"),
        ({"lon": "-2.36", "lat": ""}, "lat", "give both lon and lat"),
        ({"lon": "west", "lat": "53.7"}, "lon", "is not a number"),
        ({"lon": "-2.36", "lat": "10"}, "lat", "is not a latitude in the UK"),
        ({"lon": "-3.5", "lat": "54.5", "wards": ""}, "lon", "is outside Testborough"),
        ({"contact_role": "jo.bloggs@example.org"}, "contact_role", "looks like an email address"),
        ({"contact_role": "Call 01254 380 000"}, "contact_role", "looks like a phone number"),
        ({"contact_role": "+44 7700 900123"}, "contact_role", "looks like a phone number"),
        ({"title": "x" * 301}, "title", "is 301 characters long; keep it to 300"),
        ({"record_id": "not an id!"}, "record_id", "is not a record id"),
        ({"version": "two"}, "version", "is not a version number"),
    ],
)
def test_each_problem_is_reported_on_its_column(overrides: dict, column: str | None, words: str | None) -> None:
    found = problems(**overrides)
    if column is None:
        assert found == []
    else:
        assert any(c == column and words in m for c, m in found), found


@pytest.mark.parametrize(
    "text", ["St Andrews", "st andrew's", "ST. ANDREW’S", "  St   Andrew's ", "Saint Andrews", "E05005219", "e05005219"]
)
def test_ward_names_match_ignoring_case_spacing_and_apostrophes(text: str) -> None:
    assert LOOKUP.resolve(text) == "E05005219"


def test_clayton_le_moors_matches_without_hyphens() -> None:
    assert LOOKUP.resolve("Clayton le Moors") == "E05005211"


def test_several_wards_are_split_on_semicolons() -> None:
    clean, _ = check_activity(
        valid_activity(wards="Central; church;E05005219"), wards=LOOKUP, postcodes=None, place_name=PLACE
    )
    assert clean["wards"] == ("E05005209", "E05005210", "E05005219")


def test_problems_carry_the_spreadsheet_row_number() -> None:
    _, issues = check_activity(valid_activity(title=""), wards=LOOKUP, postcodes=None, place_name=PLACE, row=7)
    assert str(issues[0]) == "Row 7, column 'title': The title is missing; every activity needs one."


def test_a_postcode_without_a_lookup_is_kept_with_a_warning() -> None:
    clean, issues = check_activity(valid_activity(postcode="bb5 1aa"), wards=LOOKUP, postcodes=None, place_name=PLACE)
    assert clean["postcode"] == "BB5 1AA" and clean["lon"] is None
    assert [(i.column, i.severity) for i in issues] == [("postcode", "warning")]


def test_a_point_takes_the_ward_of_the_nearest_postcode() -> None:
    clean, issues = check_activity(
        valid_activity(wards="", lon="-2.3601", lat="53.7501"),
        wards=LOOKUP,
        postcodes=PostcodeLookup(POSTCODES),
        place_name=PLACE,
    )
    assert issues == []
    assert clean["wards"] == ("E05005209",)


def test_an_export_apostrophe_before_a_formula_character_is_dropped() -> None:
    clean, _ = check_activity(valid_activity(title="'=Walk"), wards=LOOKUP, postcodes=None, place_name=PLACE)
    assert clean["title"] == "=Walk"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2025-04-01", dt.date(2025, 4, 1)),
        ("01/04/2025", dt.date(2025, 4, 1)),
        ("1.4.2025", dt.date(2025, 4, 1)),
        ("1 April 2025", dt.date(2025, 4, 1)),
        ("2025-04-01 00:00:00", dt.date(2025, 4, 1)),
        (dt.datetime(2025, 4, 1), dt.date(2025, 4, 1)),
    ],
)
def test_dates_are_read_in_the_usual_uk_forms(text: object, expected: dt.date) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"), [("bb51aa", "BB5 1AA"), (" BB5  1AA ", "BB5 1AA"), ("BB5", None), ("12345", None)]
)
def test_postcodes_are_normalised(text: str, expected: str | None) -> None:
    assert normalise_postcode(text) == expected
