"""Ranking the place's wards among all wards of the neighbouring districts."""

from __future__ import annotations

import pandas as pd

from dashboard.core.neighbours import neighbour_ranking, ranking_sentence

TABLE = pd.DataFrame(
    {
        "area_code": ["W1", "W2", "W3", "W4"],
        "area_name": ["One", "Two", "Three", "Four"],
        "lad_code": ["L1", "L1", "L2", "L2"],
        "lad_name": ["Burnley", "Burnley", "Pendle", "Pendle"],
        "indicator_id": "imd",
        "indicator_name": "IMD",
        "period": "2025",
        "value": [30.0, 10.0, 40.0, 30.0],
        "ward_method": "population-weighted",
        "source_id": "s",
    }
)


def test_wards_are_ranked_highest_first_ties_share_a_rank():
    out = neighbour_ranking(TABLE, "imd", lad_code="L1")
    # 40 -> 1; 30, 30 -> 2, 2; 10 -> 4.
    assert out[["area_code", "rank"]].values.tolist() == [["W3", 1], ["W4", 2], ["W1", 2], ["W2", 4]]
    assert out.loc[out["in_place"], "area_code"].tolist() == ["W1", "W2"]


def test_the_sentence_gives_the_place_range_of_ranks():
    out = neighbour_ranking(TABLE, "imd", lad_code="L1")
    assert ranking_sentence(out, name="IMD", place_name="Burnley") == (
        "Burnley's 2 wards rank 2 to 4 of 4 wards of the 2 districts on IMD (1 = highest value)."
    )
