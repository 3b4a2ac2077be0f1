"""Small-number protection: hand-worked tables (rules in dashboard/core/disclosure.py)."""

from __future__ import annotations

import csv
import io

import pandas as pd
import pytest

from dashboard.core import disclosure as d
from dashboard.register import Store
from dashboard.register.exporter import export_public, export_public_bytes
from tests.register.helpers import valid_activity


@pytest.fixture(autouse=True)
def _no_env(monkeypatch):
    monkeypatch.delenv(d.THRESHOLD_ENV, raising=False)


def wards(counts, total=None):
    frame = pd.DataFrame({"reach": counts}, index=[f"W{i}" for i in range(1, len(counts) + 1)])
    if total is not None:
        frame.loc["Total"] = total
    return frame


def test_threshold_default_env_and_argument(monkeypatch):
    assert d.threshold() == 5
    monkeypatch.setenv(d.THRESHOLD_ENV, "10")
    assert d.threshold() == 10
    assert d.threshold(3) == 3  # the argument wins over the environment
    monkeypatch.setenv(d.THRESHOLD_ENV, "five")
    with pytest.raises(ValueError, match="PLACE_INSIGHT_SMALL_NUMBER_THRESHOLD"):
        d.threshold()
    with pytest.raises(ValueError):
        d.threshold(0)


@pytest.mark.parametrize(
    ("value", "shown", "text", "hidden"),
    [
        (0, 0, "0", False),  # a true zero is shown
        (1, None, "<5", True),
        (4, None, "<5", True),
        (5, 5, "5", False),
        (1234, 1234, "1,234", False),
        (None, None, "", False),  # missing stays missing
        (float("nan"), None, "", False),
    ],
)
def test_single_values(value, shown, text, hidden):
    out = d.suppress_value(value)
    assert (out.value, out.text, out.suppressed) == (shown, text, hidden)


def test_negative_count_is_an_error():
    with pytest.raises(ValueError):
        d.suppress_value(-1)


def test_one_small_cell_with_a_total_hides_the_next_smallest():
    # 12 + 3 + 7 + 20 = 42. Hiding only W2 would let anyone compute 42 - 12 - 7 - 20 = 3.
    result = d.suppress_table(wards([12, 3, 7, 20], total=42), ["reach"], total_row="Total")
    assert result.display["reach"].tolist() == ["12", "<5", "[c]", "20", "42"]
    assert result.reason["reach"].tolist() == ["", "primary", "secondary", "", ""]
    values = result.values["reach"]
    assert values.isna().tolist() == [False, True, True, False, False]
    # what is left cannot pin W2 down: W2 + W3 = 10 with W2 in 1..4
    assert values["Total"] - values.drop("Total").sum() == 10
    assert result.notes == [d.note(secondary=True)]
    assert "<5" in result.notes[0] and "[c]" in result.notes[0]


def test_two_small_cells_need_no_secondary():
    result = d.suppress_table(wards([2, 3, 10], total=15), ["reach"], total_row="Total")
    assert result.display["reach"].tolist() == ["<5", "<5", "10", "15"]
    assert result.reason["reach"].tolist() == ["primary", "primary", "", ""]
    assert result.notes == [d.note()]


def test_a_zero_is_never_the_secondary_cell():
    result = d.suppress_table(wards([2, 0, 9], total=11), ["reach"], total_row="Total")
    assert result.display["reach"].tolist() == ["<5", "0", "[c]", "11"]


def test_total_is_hidden_when_no_other_cell_can_be():
    # the district total also counts activities with no ward, so it is not the sum of the cells
    result = d.suppress_table(wards([3, 0], total=8), ["reach"], total_row="Total")
    assert result.display["reach"].tolist() == ["<5", "0", "[c]"]
    assert result.values["reach"].isna().tolist() == [True, False, True]


def test_small_total_is_hidden_itself():
    result = d.suppress_table(wards([1, 2], total=3), ["reach"], total_row="Total")
    assert result.display["reach"].tolist() == ["<5", "<5", "<5"]


def test_ties_pick_the_first_label():
    result = d.suppress_table(wards([3, 6, 6], total=15), ["reach"], total_row="Total")
    assert result.display["reach"].tolist() == ["<5", "[c]", "6", "15"]


def test_without_a_total_only_primary_applies_and_nothing_else_changes():
    frame = wards([3, 6, 40]).assign(name=["A", "B", "C"])
    result = d.suppress_table(frame, ["reach"])
    assert result.display["reach"].tolist() == ["<5", "6", "40"]
    assert result.values["name"].tolist() == ["A", "B", "C"]
    assert not result.suppressed["name"].any()


def test_no_suppression_no_note():
    result = d.suppress_table(wards([6, 7], total=13), ["reach"], total_row="Total")
    assert not result.any_suppressed and result.notes == []


def test_columns_are_treated_separately_and_threshold_is_configurable(monkeypatch):
    frame = pd.DataFrame({"people": [8, 12, 30], "sessions": [40, 50, 90]}, index=["A", "B", "Total"])
    monkeypatch.setenv(d.THRESHOLD_ENV, "10")
    result = d.suppress_table(frame, ["people", "sessions"], total_row="Total")
    assert result.display["people"].tolist() == ["<10", "[c]", "30"]
    assert result.display["sessions"].tolist() == ["40", "50", "90"]
    assert "1 to 9" in result.notes[0]


def test_series_with_a_total():
    series = pd.Series({"Central": 4, "Church": 11, "Peel": 25}, name="activities")
    result = d.suppress_series(series, total=40)
    assert result.display["activities"].tolist() == ["<5", "[c]", "25", "40"]


# --- the register's public export -----------------------------------------------------------
def test_public_export_hides_small_reach(store: Store):
    store.create(valid_activity(title="Tiny group", reach_count="3"), editor="ana")
    store.create(valid_activity(title="Big group", reach_count="18"), editor="ana")
    store.create(valid_activity(title="No reach", reach_count="", reach_unit="", reach_period=""), editor="ana")

    rows = {r["title"]: r for r in csv.DictReader(io.StringIO(export_public_bytes(store).decode("utf-8-sig")))}
    assert rows["Tiny group"]["reach_count"] == "<5"
    assert "small-number rule" in rows["Tiny group"]["note"]
    assert (rows["Big group"]["reach_count"], rows["Big group"]["note"]) == ("18", "")
    assert rows["No reach"]["reach_count"] == ""
    # the internal export is untouched
    internal = {r["title"]: r for r in csv.DictReader(io.StringIO(store.export_bytes("csv").decode("utf-8-sig")))}
    assert internal["Tiny group"]["reach_count"] == "3" and "note" not in internal["Tiny group"]


def test_public_xlsx_export(store: Store, tmp_path):
    from openpyxl import load_workbook

    store.create(valid_activity(title="Tiny group", reach_count="2"), editor="ana")
    assert export_public(store, tmp_path / "public.xlsx", threshold=3) == 1
    ws = load_workbook(tmp_path / "public.xlsx").active
    header = [c.value for c in ws[1]]
    row = dict(zip(header, [c.value for c in ws[2]], strict=True))
    assert row["reach_count"] == "<3" and "1 to 2" in row["note"]
