"""gaps: what the mirror did not hold for the place, in words."""

from __future__ import annotations

from dashboard.core.gaps import gaps_summary, not_held_lines

OA = {
    "source_id": "census2021-oa",
    "title": "Census 2021 topic summaries at output-area level (Nomis bulk layout, place's OAs)",
    "files": ["census2021/census2021-ts001-oa_burnley_subset.csv"],
    "note": "ward figures for general health are not available.",
}


def test_one_sentence_per_dataset_not_held():
    assert not_held_lines({"not_held": [OA]}, "Burnley") == [
        "Not held for Burnley: Census 2021 topic summaries at output-area level (Nomis bulk layout, place's OAs); "
        "ward figures for general health are not available."
    ]


def test_a_build_that_lacked_nothing_says_nothing():
    assert not_held_lines({"built": "2026-12-01"}, "Hyndburn") == []
    assert gaps_summary({"not_held": []}, "Hyndburn") == ""


def test_the_page_line_names_the_datasets_shortly():
    line = gaps_summary({"not_held": [OA]}, "Burnley")
    assert line.startswith("Some data are not held for Burnley (Census 2021 topic summaries at output-area level)")


def test_the_page_line_leaves_out_lookups_replaced_by_another_method():
    msoa = {"source_id": "ons-msoa-2021", "title": "MSOA boundaries", "note": "made by joining the LSOA boundaries"}
    assert gaps_summary({"not_held": [msoa]}, "Burnley") == ""
