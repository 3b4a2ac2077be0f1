"""The brief's layout: a comparison table (indicator, period, ward, place, England, significance,
then the spine) whose every row names its indicator in full, no text under 8 pt, the ward named
on the locator map, one A4 page for every ward (fixture wards; every real ward from the mirror)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from pypdf import PdfReader

from dashboard import briefs
from dashboard.briefs import comparison, render
from dashboard.core import statistics
from dashboard.core.tidy_tables import read_tidy
from tests.dashboard.conftest import CENTRAL, WARDS

SHARED_RAW = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "raw"


def page_text(pdf: bytes) -> str:
    return " ".join(PdfReader(io.BytesIO(pdf)).pages[0].extract_text().split())


def font_sizes(pdf: bytes) -> set[float]:
    """Every text run's printed size in points (font size times the text matrix's scale)."""
    sizes: set[float] = set()

    def visit(text, cm, tm, font, size):
        if text.strip():
            sizes.add(round(size * abs(tm[3] or 1) * abs(cm[3] or 1), 2))

    PdfReader(io.BytesIO(pdf)).pages[0].extract_text(visitor_text=visit)
    return sizes


def assert_rows_named_in_full(brief: briefs.Brief) -> None:
    text = page_text(brief.pdf)
    names = [str(n) for n in brief.content.spine["name"]] + [r.label for r in brief.content.headline_rows]
    assert names, "the comparison should have rows"
    for name in names:
        assert " ".join(name.split()) in text, f"{brief.ward_name}: comparison row {name!r} not written in full"
    assert "Ward as % of England" in text and "Period" in text


@pytest.mark.parametrize("ward", WARDS)
def test_every_fixture_ward_brief_names_each_comparison_row_in_full_on_one_page(tidy, ward):
    brief = briefs.make_brief(tidy, ward, activities=None)
    assert brief.pages == 1
    assert_rows_named_in_full(brief)
    assert min(font_sizes(brief.pdf)) >= render.MIN_FONT
    assert brief.ward_name in page_text(brief.pdf)


def test_comparison_gives_each_rows_period(tidy):
    brief = briefs.make_brief(tidy, CENTRAL, activities=None)
    periods = {str(p) for p in brief.content.spine["period"].dropna()}
    assert periods and all(p in page_text(brief.pdf) for p in periods)


@pytest.mark.parametrize(
    ("indices", "expected"),
    [
        ([100.0], 25.0),  # everything at England: the smallest scale, 75-125
        ([140.0, 90.0], 50.0),  # 40 points out rounds up to 50
        ([260.0], 100.0),  # further than 200% is capped: the marker sits at the edge with an arrow
    ],
)
def test_spine_scale_fits_every_row_within_its_limits(indices, expected):
    import pandas as pd

    rows = pd.DataFrame(
        {"index": indices, "index_lo": indices, "index_hi": indices, "place_index": [100.0] * len(indices)}
    )
    assert comparison.spine_half_range(rows) == expected


def test_not_tested_marker_is_drawn_dark_not_white_on_white():
    from reportlab.graphics.shapes import Circle

    cell = comparison.spine_cell(
        {
            "index": 120.0,
            "index_true": 120.0,
            "index_lo": None,
            "index_hi": None,
            "place_index": None,
            "significance": statistics.NOT_COMPARED,
        },
        half=50,
        height=13,
    )
    circles = [s for s in cell.contents if isinstance(s, Circle)]
    assert circles and circles[0].strokeColor.hexval() == comparison.INK.hexval() and circles[0].strokeWidth >= 1


@pytest.mark.slow
@pytest.mark.skipif(not SHARED_RAW.is_dir(), reason=f"reference mirror not found at {SHARED_RAW}")
def test_every_real_ward_brief_names_each_comparison_row_in_full(tmp_path_factory):
    from pipelines.build import build
    from pipelines.settings import load_place

    root = tmp_path_factory.mktemp("real-briefs")
    build(raw_from=SHARED_RAW, raw=root / "raw", out=root / "tidy", place=load_place())
    tidy = read_tidy(root / "tidy")
    for ward in sorted(tidy.areas.loc[tidy.areas["area_type"] == "ward", "area_code"]):
        if ward not in briefs.selection.ward_names(tidy):
            continue
        brief = briefs.make_brief(tidy, ward, activities=None)
        assert brief.pages == 1, brief.ward_name
        assert_rows_named_in_full(brief)
        assert min(font_sizes(brief.pdf)) >= render.MIN_FONT
