"""Need against activity, checked against figures worked out by hand.

The fixture place has four wards:

    ward  population  need value
    A     1,000       30
    B     2,000       10
    C     4,000       20
    D     5,000       40

and five activities:

    1 "Talk"     mental health, active,  wards A and B, 100 people a year
    2 "Cafe"     mental health, active,  ward C,        10 people a month
    3 "Group"    mental health, active,  ward C,        5 sessions a week (reach not in people)
    4 "Old"      mental health, ended,   ward D,        50 people a year
    5 "Run"      physical activity only, ward A,        20 people a week

With themes=["mental health"] and the default statuses=("active",), activities 4 and 5 drop out.
"""

from __future__ import annotations

import math

import pandas as pd
import pytest

from dashboard.register import Store
from dashboard.register.need import (
    HIGH_NEED_HIGHER_ACTIVITY,
    HIGH_NEED_LOW_ACTIVITY,
    LOWER_NEED_LOW_ACTIVITY,
    NO_NEED_VALUE,
    build_need_vs_activity,
)
from tests.register.helpers import valid_activity

NEED = pd.DataFrame(
    {
        "ward_code": ["A", "B", "C", "D"],
        "ward_name": ["Ward A", "Ward B", "Ward C", "Ward D"],
        "value": [30.0, 10.0, 20.0, 40.0],
        "population": [1000, 2000, 4000, 5000],
    }
)
ACTIVITIES = pd.DataFrame(
    {
        "record_id": ["1", "2", "3", "4", "5"],
        "sector": ["NHS", "voluntary/community", "voluntary/community", "council", "leisure"],
        "themes": [
            ("mental health",),
            ("mental health",),
            ("mental health",),
            ("mental health",),
            ("physical activity",),
        ],
        "wards": [("A", "B"), ("C",), ("C",), ("D",), ("A",)],
        "status": ["active", "active", "active", "ended", "active"],
        "reach_count": [100, 10, 5, 50, 20],
        "reach_unit": ["people", "people", "sessions", "people", "people"],
        "reach_period": ["year", "month", "week", "year", "week"],
    }
)


def by_ward(result, column: str) -> dict[str, object]:  # noqa: ANN001
    return dict(zip(result.table["ward_code"], result.table[column], strict=True))


@pytest.fixture
def result():  # noqa: ANN201
    return build_need_vs_activity(NEED, ACTIVITIES, themes=["mental health"])


def test_activity_count_counts_a_multi_ward_activity_once_in_each_ward(result) -> None:  # noqa: ANN001
    # A: Talk = 1; B: Talk = 1; C: Cafe + Group = 2; D: Old is ended = 0
    assert by_ward(result, "activity_count") == {"A": 1, "B": 1, "C": 2, "D": 0}


def test_reach_is_people_a_year_split_equally_across_wards(result) -> None:  # noqa: ANN001
    # A: 100 / 2 = 50; B: 100 / 2 = 50; C: 10 x 12 = 120 (Group is sessions: no reach); D: 0
    assert by_ward(result, "reach") == {"A": 50.0, "B": 50.0, "C": 120.0, "D": 0.0}
    assert by_ward(result, "activities_without_reach") == {"A": 0, "B": 0, "C": 1, "D": 0}


def test_reach_per_1000_residents(result) -> None:  # noqa: ANN001
    # A: 50 / 1000 x 1000 = 50; B: 50 / 2000 x 1000 = 25; C: 120 / 4000 x 1000 = 30; D: 0 / 5000 x 1000 = 0
    assert by_ward(result, "reach_per_1000") == pytest.approx({"A": 50.0, "B": 25.0, "C": 30.0, "D": 0.0})


def test_activity_per_10000_residents(result) -> None:  # noqa: ANN001
    # A: 1 / 1000 x 10000 = 10; B: 1 / 2000 x 10000 = 5; C: 2 / 4000 x 10000 = 5; D: 0
    assert by_ward(result, "activity_per_10000") == pytest.approx({"A": 10.0, "B": 5.0, "C": 5.0, "D": 0.0})


def test_need_rank_1_is_the_highest_value(result) -> None:  # noqa: ANN001
    # values 40 (D) > 30 (A) > 20 (C) > 10 (B)
    assert by_ward(result, "need_rank") == {"D": 1, "A": 2, "C": 3, "B": 4}
    assert result.table["ward_code"].tolist() == ["D", "A", "C", "B"]


def test_quadrants_split_at_the_medians(result) -> None:  # noqa: ANN001
    # need median = (20 + 30) / 2 = 25 -> high need: A (30), D (40)
    # activity median of 10, 5, 5, 0 = (5 + 5) / 2 = 5 -> low activity (<= 5): B, C, D
    assert (result.need_median, result.activity_median) == (25.0, 5.0)
    assert by_ward(result, "quadrant") == {
        "A": HIGH_NEED_HIGHER_ACTIVITY,
        "B": LOWER_NEED_LOW_ACTIVITY,
        "C": LOWER_NEED_LOW_ACTIVITY,
        "D": HIGH_NEED_LOW_ACTIVITY,
    }


def test_gaps_name_the_high_need_low_activity_wards(result) -> None:  # noqa: ANN001
    assert result.gaps["ward_name"].tolist() == ["Ward D"]


def test_the_method_states_the_rules_and_medians(result) -> None:  # noqa: ANN001
    assert "split equally" in result.method
    assert "median of the wards (25" in result.method
    assert "3 activities counted" in result.method


def test_lower_values_can_mean_more_need() -> None:
    result = build_need_vs_activity(NEED, ACTIVITIES, themes=["mental health"], higher_value_is_more_need=False)
    # ranks reverse: 10 (B) = 1, 20 (C) = 2, 30 (A) = 3, 40 (D) = 4; high need = value <= 25: B, C
    assert by_ward(result, "need_rank") == {"B": 1, "C": 2, "A": 3, "D": 4}
    assert result.gaps["ward_code"].tolist() == ["B", "C"]


def test_sector_filter() -> None:
    result = build_need_vs_activity(NEED, ACTIVITIES, sectors=["NHS"], statuses=None)
    # only Talk (NHS): A 1, B 1
    assert by_ward(result, "activity_count") == {"A": 1, "B": 1, "C": 0, "D": 0}


def test_a_missing_need_value_and_population_stay_missing() -> None:
    need = NEED.assign(value=[30.0, None, 20.0, 40.0], population=[1000, 2000, 0, 5000])
    result = build_need_vs_activity(need, ACTIVITIES, themes=["mental health"])
    assert by_ward(result, "quadrant")["B"] == NO_NEED_VALUE
    assert pd.isna(by_ward(result, "need_rank")["B"])
    assert math.isnan(by_ward(result, "activity_per_10000")["C"])


def test_no_activities_gives_zero_counts() -> None:
    result = build_need_vs_activity(NEED, ACTIVITIES.iloc[0:0], themes=["mental health"])
    assert by_ward(result, "activity_count") == {"A": 0, "B": 0, "C": 0, "D": 0}


def test_need_vs_activity_from_the_store(store: Store) -> None:
    # Church and Central, population 2,000 each; need 5 (Central) and 9 (Church).
    # "Talk": Central + Church, 10 people a week -> 520 a year, 260 each.
    # "Cafe": Church, 100 people in total -> 100.
    need = pd.DataFrame(
        {
            "ward_code": ["E05005209", "E05005210"],
            "ward_name": ["Central", "Church"],
            "value": [5.0, 9.0],
            "population": [2000, 2000],
        }
    )
    store.create(
        valid_activity(
            title="Talk",
            themes="mental health",
            wards="Central; Church",
            reach_count="10",
            reach_unit="people",
            reach_period="week",
        ),
        editor="ana",
    )
    store.create(
        valid_activity(
            title="Cafe",
            themes="mental health",
            wards="Church",
            reach_count="100",
            reach_unit="people",
            reach_period="total",
        ),
        editor="ana",
    )

    result = build_need_vs_activity(need, store.frame(), themes=["mental health"])

    # Central: 260 / 2000 x 1000 = 130; Church: (260 + 100) / 2000 x 1000 = 180
    assert by_ward(result, "reach_per_1000") == pytest.approx({"E05005209": 130.0, "E05005210": 180.0})
    # Central: 1 / 2000 x 10000 = 5; Church: 2 / 2000 x 10000 = 10
    assert by_ward(result, "activity_per_10000") == pytest.approx({"E05005209": 5.0, "E05005210": 10.0})
