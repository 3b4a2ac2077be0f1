"""The Need page's public totals cannot give away a small count by differencing (issue 13, item 2).

Two public views that differ only in the filters (e.g. statuses [active] against [active,
paused]) used to differ by exactly the reach of the activities the second one adds: one paused
activity reaching 3 people showed as ward A's reach going from 100 to 103. The public view is now
built only from reach counts the public register shows (5 or more), rounded to the nearest 5, with
a ward total from 1 to 4 hidden.

The fixture has three wards (population 1,000 each) and seven activities:

    id  status   sector               theme              wards  reach
    1   active   NHS                  mental health      A      100 people a year
    2   paused   NHS                  mental health      A      3 people a year       (small)
    3   active   council              physical activity  A, B   1 person a week       (small: 52 a year)
    4   planned  voluntary/community  mental health      B      40 people a month     (480 a year)
    5   active   leisure              physical activity  C      7 people a year
    6   ended    council              mental health      C      2 people a year       (small)
    7   active   voluntary/community  physical activity  B, C   6 people a year       (3 to each ward)
"""

from __future__ import annotations

import itertools
import math

import pandas as pd
import pytest

from dashboard.register import STATUSES, Store
from dashboard.register.need import build_need_vs_activity, public_need_vs_activity
from tests.dashboard.conftest import WARDS, fixture_data_dir, fixture_env  # noqa: F401
from tests.dashboard.test_register_pages import make_app, register_env  # noqa: F401
from tests.register.helpers import valid_activity

NEED = pd.DataFrame(
    {
        "ward_code": ["A", "B", "C"],
        "ward_name": ["Ward A", "Ward B", "Ward C"],
        "value": [30.0, 20.0, 10.0],
        "population": [1000, 1000, 1000],
    }
)
ACTIVITIES = pd.DataFrame(
    {
        "record_id": ["1", "2", "3", "4", "5", "6", "7"],
        "sector": ["NHS", "NHS", "council", "voluntary/community", "leisure", "council", "voluntary/community"],
        "themes": [
            ("mental health",),
            ("mental health",),
            ("physical activity",),
            ("mental health",),
            ("physical activity",),
            ("mental health",),
            ("physical activity",),
        ],
        "wards": [("A",), ("A",), ("A", "B"), ("B",), ("C",), ("C",), ("B", "C")],
        "status": ["active", "paused", "active", "planned", "active", "ended", "active"],
        "reach_count": [100, 3, 1, 40, 7, 2, 6],
        "reach_unit": ["people"] * 7,
        "reach_period": ["year", "year", "week", "month", "year", "year", "year"],
    }
)
SMALL = ACTIVITIES["record_id"].isin(["2", "3", "6"])
SECTORS_PRESENT = ("NHS", "council", "voluntary/community", "leisure")
THEME_CHOICES = (None, ["mental health"], ["physical activity"])


def subsets(items: tuple[str, ...]) -> list[list[str] | None]:
    """Every choice a multiselect allows: nothing chosen (None: all) and every non-empty subset."""
    chosen = [list(c) for n in range(1, len(items) + 1) for c in itertools.combinations(items, n)]
    return [None, *chosen]


def public_reach(activities: pd.DataFrame, **filters: object) -> dict[str, float]:
    result, _hidden = public_need_vs_activity(NEED, activities, **filters)
    return dict(zip(result.table["ward_code"], result.table["reach"], strict=True))


def every_filter_choice(*, sectors: bool = True) -> list[dict[str, object]]:
    sector_choices = [None, *([s] for s in SECTORS_PRESENT)] if sectors else [None]  # all, or one sector
    return [
        {"statuses": st, "sectors": se, "themes": th}
        for st in subsets(STATUSES)
        for se in sector_choices
        for th in THEME_CHOICES
    ]


def test_no_two_filter_choices_give_public_ward_totals_differing_by_1_to_4() -> None:
    shown: dict[str, set[float]] = {code: set() for code in NEED["ward_code"]}
    for filters in every_filter_choice():  # 16 status x 5 sector x 3 theme choices = 240 views
        for code, reach in public_reach(ACTIVITIES, **filters).items():
            if not math.isnan(reach):
                shown[code].add(reach)

    revealing = [
        (code, a, b)
        for code, values in shown.items()
        for a, b in itertools.combinations(values, 2)
        if 0 < abs(a - b) < 5
    ]
    assert revealing == []
    assert shown["A"] >= {0.0, 100.0}  # the enumeration did reach the totals that once leaked (100 against 103)


def test_the_public_view_is_the_same_whatever_the_small_counts_are() -> None:
    for filters in every_filter_choice(sectors=False):  # 16 status x 3 theme choices
        views = {
            small: public_reach(ACTIVITIES.assign(reach_count=ACTIVITIES["reach_count"].mask(SMALL, small)), **filters)
            for small in (1, 2, 3, 4)
        }
        assert views[1] == pytest.approx(views[2], nan_ok=True)
        assert views[1] == pytest.approx(views[3], nan_ok=True)
        assert views[1] == pytest.approx(views[4], nan_ok=True)


def test_adding_paused_activities_no_longer_moves_ward_a_by_the_paused_reach() -> None:
    # editors: active 100 + 52 / 2 = 126 in ward A; with paused, + 3 = 129 (the difference, 3, is the hidden count)
    editors = {
        key: build_need_vs_activity(NEED, ACTIVITIES, statuses=statuses).table.set_index("ward_code").loc["A", "reach"]
        for key, statuses in (("active", ["active"]), ("both", ["active", "paused"]))
    }
    assert editors == {"active": 126.0, "both": 129.0}
    # public: the small reaches (3, and 1 a week) add nothing: 100 in both views
    assert public_reach(ACTIVITIES, statuses=["active"])["A"] == 100.0
    assert public_reach(ACTIVITIES, statuses=["active", "paused"])["A"] == 100.0


def test_public_totals_are_rounded_to_5_and_a_total_below_5_is_hidden() -> None:
    result, hidden = public_need_vs_activity(NEED, ACTIVITIES, statuses=["active"], sectors=["voluntary/community"])
    table = result.table.set_index("ward_code")
    # activity 7 alone: 6 / 2 = 3 people a year in each of wards B and C, below 5: hidden, and its rate too
    assert hidden
    assert math.isnan(table.loc["C", "reach"]) and math.isnan(table.loc["C", "reach_per_1000"])
    assert table.loc["C", "reach_note"].startswith("<5")

    result, _hidden = public_need_vs_activity(NEED, ACTIVITIES, statuses=["active"])
    table = result.table.set_index("ward_code")
    # ward C: 7 (activity 5) + 3 (activity 7) = 10 -> 10; ward B: 3 (activity 7; activity 3 is small) -> hidden
    assert table.loc["C", "reach"] == 10.0 and table.loc["C", "reach_per_1000"] == 10.0  # 10 / 1,000 x 1,000
    assert math.isnan(table.loc["B", "reach"])


def test_an_anonymous_visitor_on_the_need_page_sees_the_same_total_with_and_without_paused(register_env) -> None:  # noqa: F811
    code = next(iter(WARDS))
    with Store(path=register_env, wards=WARDS, postcodes=False, place_name="Hyndburn") as store:
        store.create(valid_activity(wards=code, postcode="", reach_count=100, reach_period="year"), editor="kim")
        store.create(
            valid_activity(
                wards=code, postcode="", reach_count=3, reach_period="year", status="paused", title="Paused walk"
            ),
            editor="kim",
        )
    at = make_app("app_pages/need.py", user=None)

    def ward_reach() -> float:
        # the table as shown: human headers (register.tables.NEED_HEADERS), wards by name
        table = next(d for d in at.dataframe if "Need and activity" in d.value.columns).value
        return float(table.set_index("Ward").loc[WARDS[code], "Attendances a year"])

    active_only = ward_reach()
    next(w for w in at.multiselect if w.key == "need_statuses").select("paused").run()
    assert not at.exception
    assert (active_only, ward_reach()) == (100.0, 100.0)  # editors would see 100 and 103
