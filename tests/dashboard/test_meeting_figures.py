"""Figures for the meeting room, tested as objects: dark theme text, value labels beside the
spine (never on markers), visible 'not tested' markers, IMD years as categories, names on the
map laid out from projected points, the double selection outline on top, slides' content."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from dashboard.core import (
    chart_style,
    domain_chart,
    figures,
    maplabels,
    page_frames,
    selection,
    slides,
    spine_chart,
    statistics,
    theme,
)
from tests.dashboard.conftest import BAXENDEN, CENTRAL, CHURCH, WARDS


@pytest.mark.parametrize(("colour", "minimum"), [(theme.TEXT, 4.5), (theme.MUTED_TEXT, 4.5), ("#7a7a7a", 3.0)])
def test_theme_colours_meet_wcag_contrast_on_white(colour, minimum):
    assert theme.contrast_ratio(colour) >= minimum


def test_contrast_ratio_matches_the_wcag_formula():
    # black on white: (1 + 0.05) / (0 + 0.05) = 21; the grey Streamlit used for chart text: 3.72
    assert theme.contrast_ratio("#000000") == pytest.approx(21.0)
    assert theme.contrast_ratio("#808495") == pytest.approx(3.72, abs=0.02)


def test_every_figure_uses_the_dark_text_template(tidy):
    fig = spine_chart.build_spine_chart(
        selection.spine_rows(selection.ward_facts(tidy, CENTRAL)), ward_name="Central", place_name="Hyndburn"
    )
    assert fig.layout.template.layout.font.color == theme.TEXT
    assert fig.layout.font.color == theme.TEXT


def spine(tidy, **assign):
    rows = selection.spine_rows(selection.ward_facts(tidy, CENTRAL))
    return spine_chart.build_spine_chart(rows.assign(**assign), ward_name="Central", place_name="Hyndburn")


def test_spine_value_labels_are_a_column_beside_the_plot_not_on_the_markers(tidy):
    fig = spine(tidy)
    assert all("text" not in (d.mode or "") for d in fig.data)  # markers only
    labels = [a for a in fig.layout.annotations if a.name == "value-label"]
    rows = selection.spine_rows(selection.ward_facts(tidy, CENTRAL))
    assert len(labels) == len(rows)
    assert all(a.xref == "paper" and a.x == 1.0 and a.xanchor == "left" for a in labels)
    assert fig.layout.margin.r == chart_style.VALUE_COLUMN_PX


def test_off_scale_values_say_so_inside_the_chart(tidy):
    fig = spine(tidy, value=lambda f: f["england_value"] * 4)  # 400% of England, past the 300% cap
    texts = [a.text for a in fig.layout.annotations if a.name == "value-label"]
    flat = [t.replace("<br>", " ") for t in texts]
    assert flat and all("off scale" in t and "4.0x England" in t for t in flat)


def test_not_tested_markers_are_dark_in_chart_and_legend(tidy):
    fig = spine(tidy, lower_ci=math.nan, upper_ci=math.nan, significance=statistics.NOT_COMPARED)
    marker = next(d for d in fig.data if d.name == "Central: not tested")
    assert marker.marker.symbol == "circle-open"
    assert theme.contrast_ratio(marker.marker.color) >= 3.0  # an open symbol is drawn in marker.color


def test_ranking_labels_sit_off_the_whiskers_and_markers_at_zero_are_not_clipped(tidy):
    frame, meta, place, england = page_frames.ranking_frame(tidy, "bad_health")
    fig = figures.build_ranking_chart(
        frame.assign(value=lambda f: f["value"].where(f["area_code"] != CHURCH, 0.0)),
        meta=meta,
        highlight_codes=[CENTRAL],
        place_name="Hyndburn",
        place_value=place,
        england_value=england,
    )
    markers = [d for d in fig.data if d.type == "scatter"]
    assert all(d.mode == "markers" and d.cliponaxis is False for d in markers)
    assert {a.y for a in fig.layout.annotations if a.name == "value-label"} >= {"Central", "Baxenden"}


def test_domain_years_are_categories_and_a_missing_year_is_written(tidy):
    domains = selection.imd_domains(tidy, CENTRAL).assign(score_2019=[math.nan, 1.65])
    fig = domain_chart.build_domain_chart(domains, ward_name="Central")
    assert fig.layout.yaxis.type == "category" and list(fig.layout.yaxis.categoryarray) == ["2019", "2025"]
    assert "no 2019 figure" in [a.text for a in fig.layout.annotations]


def test_domain_meanings_cover_the_domains_shown(tidy):
    domains = selection.imd_domains(tidy, CENTRAL)
    meanings = dict(page_frames.domain_meanings(domains))
    assert set(meanings) == set(domains["label"]) and all(m.endswith(".") for m in meanings.values())


def test_pixel_offset_is_web_mercator_at_512_px_tiles():
    # at zoom 0 the world is 512 px wide: 90 degrees east of the centre is 128 px right
    dx, dy = maplabels.pixel_offset(90.0, 0.0, centre={"lon": 0.0, "lat": 0.0}, zoom=0)
    assert (dx, dy) == pytest.approx((128.0, 0.0))
    _, up = maplabels.pixel_offset(0.0, 10.0, centre={"lon": 0.0, "lat": 0.0}, zoom=1)
    # y = ln(tan(45 + 5 degrees)) * 1024 / (2 pi) = 0.17543 * 162.97 = 28.59 px up
    assert up == pytest.approx(28.59, abs=0.01)


def test_ward_map_names_every_ward_and_draws_the_selection_last(tidy):
    rows, geojson, meta = page_frames.map_frame(tidy, "bad_health", level="ward")
    fig = figures.build_choropleth(
        frame=rows, geojson=geojson, meta=meta, title="t", highlight_codes=[CENTRAL], labels=dict(WARDS)
    )
    texts = [a.text for a in fig.layout.annotations]
    assert sorted(texts) == sorted(["<b>Central</b>", "Church", "Baxenden"])
    assert fig.layout.dragmode is False  # names are laid over a map that does not move
    outline = [d for d in fig.data if d.legendgroup == maplabels.SELECTION_GROUP]
    assert [(d.line.color, d.line.width) for d in outline] == [("#000000", 6), ("#ffffff", 2.5)]
    assert list(fig.data[-2:]) == outline


def test_selection_outline_moves_above_markers_added_later(tidy):
    import plotly.graph_objects as go

    rows, geojson, meta = page_frames.map_frame(tidy, "bad_health", level="ward")
    fig = figures.build_choropleth(frame=rows, geojson=geojson, meta=meta, title="t", highlight_codes=[CENTRAL])
    fig.add_trace(go.Scattermap(lon=[-2.37], lat=[53.75], mode="markers", name="sites"))
    fig = maplabels.selection_last(fig)
    assert [d.legendgroup for d in fig.data[-2:]] == [maplabels.SELECTION_GROUP] * 2


def test_labels_that_would_overlap_are_left_out():
    points = {"a": (0.0, 0.0), "b": (0.00001, 0.0), "c": (1.0, 0.0)}
    names = {"a": "Alpha", "b": "Beta", "c": "Gamma"}
    out = maplabels.name_annotations(points, names, centre={"lon": 0.5, "lat": 0.0}, zoom=8)
    assert [a["text"] for a in out] == ["Alpha", "Gamma"]  # Beta would sit on Alpha


def test_the_chosen_areas_name_goes_first_above_it_with_a_pointer():
    points = {"a": (0.0, 0.0), "b": (0.00001, 0.0)}
    out = maplabels.name_annotations(
        points, {"a": "Alpha", "b": "Beta"}, centre={"lon": 0.0, "lat": 0.0}, zoom=8, bold={"b"}
    )
    assert out[0]["text"] == "<b>Beta</b>" and out[0]["showarrow"] and out[0]["ay"] < 0


@pytest.mark.parametrize(("n", "last"), [(1, "A"), (26, "Z"), (27, "AA"), (28, "AB")])
def test_neighbourhood_letters(n, last):
    letters = maplabels.letters([f"code{i}" for i in range(n)])
    assert list(letters.values())[0] == "A" and list(letters.values())[-1] == last


def test_top_differences_lead_with_worse_then_better(tidy):
    facts = selection.ward_facts(tidy, CENTRAL)
    out = slides.top_differences(facts, place_name="Hyndburn", limit=5)
    worse = facts[facts["significance"] == statistics.WORSE]
    assert len(out) <= 5 and out
    assert out[0].startswith(str(worse.iloc[0]["name"])) or "(worse)" in out[0]


def test_domain_rows_say_no_figure_for_a_missing_year():
    domains = pd.DataFrame({"label": ["Income"], "score_2019": [math.nan], "score_2025": [0.301]})
    assert slides.domain_rows(domains) == [("Income", "no figure", "0.301")]


def test_locator_names_every_ward_at_slide_size(tidy):
    fig = slides.locator_figure(tidy, BAXENDEN, ward_names=dict(WARDS))
    assert {a.text for a in fig.layout.annotations} == {"Central", "Church", "<b>Baxenden</b>"}
    assert all(a.font.size >= slides.SLIDE_FONT for a in fig.layout.annotations)


@pytest.mark.parametrize(
    ("value", "value_type", "unit", "decimals", "expected"),
    [
        (9.9241, "percentage", "%", 1, "9.9%"),
        (-0.0001, "score", "", 3, "0.000"),  # England's standardised domain score: never "-0.000"
        (82237, "count", "", 0, "82,237"),
        (3.0, "decile", "", 0, "3"),
        (78.123, "years", "", 1, "78.1 years"),
        (123.45, "rate", "per 100,000", 1, "123.5 per 100,000"),
        (float("nan"), "percentage", "%", 1, "–"),
    ],
)
def test_format_value_is_the_one_formatting_rule(value, value_type, unit, decimals, expected):
    from dashboard.core import wording

    expected = wording.MISSING_TEXT if expected == "–" else expected
    assert wording.format_value(value, value_type=value_type, unit=unit, decimals=decimals) == expected


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Index of Multiple Deprivation 2019 score", "2019: Index of Multiple Deprivation score (Deprivation)"),
        ("Crime score (IoD2025)", "2025: Crime score (Deprivation)"),
        (
            "Residents in England's most deprived 10% of LSOAs (IMD 2019)",
            "2019: Residents in England's most deprived 10% of LSOAs (Deprivation)",
        ),
        ("Usual residents", "Usual residents (Deprivation)"),
    ],
)
def test_indicator_labels_lead_with_the_year(name, expected):
    assert selection.indicator_label(name, topic="Deprivation") == expected


def test_indicator_names_shared_by_two_vintages_take_their_years():
    frame = pd.DataFrame(
        {
            "indicator_id": ["a", "b"],
            "name": ["Barriers to Housing and Services score"] * 2,
            "topic": ["Deprivation"] * 2,
            "vintage": ["2019 (mid-2015 populations)", "2025 (published 30 October 2025)"],
        }
    )
    labels = selection.indicator_labels(frame)
    assert labels["a"].startswith("2019: ") and labels["b"].startswith("2025: ")


def test_neighbourhood_table_is_most_deprived_first_with_units_and_letters(tidy):
    lsoas = selection.lsoa_table(tidy, CENTRAL, ["imd2025_score", "bad_health"], vintage="2021")
    table = page_frames.neighbourhood_table(tidy, lsoas, ["bad_health", "imd2025_score"], ward=CENTRAL)
    assert list(table.columns[:3]) == ["Map", "IMD 2025 score", "Bad or very bad health"]
    assert list(table["Map"]) == [chr(65 + i) for i in range(len(table))]
    scores = [float(x) for x in table["IMD 2025 score"]]
    assert scores == sorted(scores, reverse=True)
    assert all(x.endswith("%") for x in table["Bad or very bad health"] if x != "–")


def test_need_table_has_human_headers_and_one_decimal():
    from dashboard.register import tables as register_tables

    table = pd.DataFrame(
        {
            "ward_code": ["E1"],
            "ward_name": ["Central"],
            "value": [60.4812],
            "reach_per_1000": [12.3456],
            "quadrant": ["x"],
        }
    )
    shown = register_tables.need_display(table, need_name="IMD 2025 score")
    assert list(shown.columns) == [
        "Ward",
        "IMD 2025 score",
        "Attendances a year per 1,000 residents",
        "Need and activity",
    ]
    assert shown.iloc[0]["IMD 2025 score"] == 60.5 and shown.iloc[0]["Attendances a year per 1,000 residents"] == 12.3


def test_need_chart_names_only_the_flagged_wards():
    from dashboard.register import charts
    from dashboard.register import need as need_rules

    table = pd.DataFrame(
        {
            "ward_name": ["Central", "Church"],
            "value": [60.0, 20.0],
            "activity_per_10000": [0.0, 0.0],
            "activity_count": [0, 0],
            "reach_per_1000": [0.0, 0.0],
            "need_rank": [1, 2],
            "quadrant": [need_rules.HIGH_NEED_LOW_ACTIVITY, need_rules.LOWER_NEED_LOW_ACTIVITY],
        }
    )
    fig = charts.build_need_quadrant_chart(table, need_label="IMD", need_median=40.0, activity_median=0.0)
    modes = {d.name: d.mode for d in fig.data if d.type == "scatter"}
    assert sorted(modes.values()) == ["markers", "markers+text"]
    assert "Attendances" in charts.MEASURE_LABELS["reach_per_1000"]


def test_app_css_uses_its_colours_and_each_meets_contrast():
    from dashboard.app_pages import _style

    for colour, minimum in ((_style.FOCUS, 3.0), (_style.CAPTION, 4.5), (_style.DISABLED, 4.5)):
        assert colour in _style.APP_CSS and theme.contrast_ratio(colour) >= minimum
    assert "outline: 2px solid #0072b2" in _style.APP_CSS
    assert _style.page_title(page="Ward profile", subject="Central") == "Central - Ward profile - Place Insight"
