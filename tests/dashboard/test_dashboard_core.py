"""Unit tests of the Streamlit-free logic (dashboard/core) on the fixture tidy folder.

Expected values are worked out by hand from the literal fixture tables in conftest.py."""

from __future__ import annotations

import ast
import math
from pathlib import Path

import pandas as pd
import pytest

from dashboard.core import (
    chart_style,
    domain_chart,
    figures,
    geometry,
    headlines,
    page_frames,
    selection,
    spine_chart,
    statistics,
    wording,
)
from dashboard.core.tidy_tables import TidyDataMissing, read_tidy
from tests.dashboard.conftest import BAXENDEN, CENTRAL, CHURCH

REPO = Path(__file__).resolve().parents[2]
NAN = math.nan


# --- layers ---------------------------------------------------------------------------------------


def test_core_never_imports_streamlit():
    offenders = []
    for path in sorted((REPO / "dashboard" / "core").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = (
                [a.name for a in node.names]
                if isinstance(node, ast.Import)
                else [node.module or ""]
                if isinstance(node, ast.ImportFrom)
                else []
            )
            if any(n == "streamlit" or n.startswith("streamlit.") for n in names):
                offenders.append(path.name)
    assert offenders == []


def test_only_loaders_define_cached_functions():
    cached = [
        p.relative_to(REPO).as_posix()
        for p in (REPO / "dashboard").rglob("*.py")
        if "cache_data" in p.read_text(encoding="utf-8") or "cache_resource" in p.read_text(encoding="utf-8")
    ]
    assert [p for p in cached if not p.startswith("dashboard/register/")] == ["dashboard/loaders.py"]


# --- store ---------------------------------------------------------------------------------------


def test_unbuilt_folder_says_how_to_build(tmp_path):
    with pytest.raises(TidyDataMissing, match="make data"):
        read_tidy(tmp_path)


def test_place_comes_from_the_build_stamp(tidy):
    assert (tidy.lad_code, tidy.place_name) == ("E07000120", "Hyndburn")


# --- statistics ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "lower", "upper", "reference", "polarity", "expected"),
    [
        (8.0, 7.4, 8.6, 5.2, "lower_is_better", "worse"),
        (8.0, 7.4, 8.6, 5.2, "higher_is_better", "better"),
        (8.0, 7.4, 8.6, 5.2, "no_judgement", "higher"),
        (4.0, 3.5, 4.6, 5.2, "lower_is_better", "better"),
        (4.0, 3.5, 4.6, 5.2, "no_judgement", "lower"),
        (5.5, 4.9, 6.2, 5.2, "lower_is_better", "similar"),
        (5.2, 5.2, 5.2, 5.2, "lower_is_better", "similar"),  # interval touching the reference
        (5.5, NAN, NAN, 5.2, "lower_is_better", "not compared"),
        (5.5, 4.9, 6.2, NAN, "lower_is_better", "not compared"),
        (NAN, NAN, NAN, 5.2, "lower_is_better", "missing"),
    ],
)
def test_significance_from_confidence_interval_and_polarity(value, lower, upper, reference, polarity, expected):
    assert (
        statistics.classify_significance(
            value=value, lower_ci=lower, upper_ci=upper, reference=reference, polarity=polarity
        )
        == expected
    )


def test_rank_one_is_highest_and_missing_is_unranked():
    values = pd.Series({"a": 3.0, "b": NAN, "c": 5.0})
    assert statistics.rank_of(values, "c") == (1.0, 2)
    assert math.isnan(statistics.rank_of(values, "b")[0])


def test_ratio_with_zero_reference_is_missing():
    assert math.isnan(statistics.ratio_to(3.0, 0))
    assert statistics.ratio_to(8.0, 5.0) == pytest.approx(1.6)


# --- wording ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "value_type", "decimals", "expected"),
    [
        (23.456, "percentage", 1, "23.5%"),
        (12345.0, "count", 0, "12,345"),
        (3.0, "decile", 0, "3"),
        (78.12, "years", 1, "78.1 years"),
        (0.30149, "score", 3, "0.301"),
        (NAN, "percentage", 1, "missing"),
        (None, "count", 0, "missing"),
    ],
)
def test_format_value(value, value_type, decimals, expected):
    assert wording.format_value(value, value_type=value_type, decimals=decimals) == expected


@pytest.mark.parametrize(
    ("decile", "expected"),
    [
        (1, "among the 10% most deprived areas in England"),
        (3, "among the 30% most deprived areas in England"),
        (10, "among the 10% least deprived areas in England"),
        (7, "among the 40% least deprived areas in England"),
    ],
)
def test_decile_phrase(decile, expected):
    assert wording.decile_phrase(decile) == expected


@pytest.mark.parametrize(
    ("rank", "n", "expected"),
    [
        (1, 16, "highest of 16 wards"),
        (16, 16, "lowest of 16 wards"),
        (2, 16, "2nd highest of 16 wards"),
        (13, 16, "13th highest of 16 wards"),
        (NAN, 16, "not ranked"),
    ],
)
def test_rank_text(rank, n, expected):
    assert wording.rank_text(rank, n) == expected


def test_summary_for_the_most_deprived_ward(tidy):
    facts = selection.ward_facts(tidy, CENTRAL)
    text = " ".join(wording.build_ward_summary(ward_name="Central", place_name="Hyndburn", facts=facts))
    assert "Central is home to about 7,000 people" in text
    assert "among the 10% most deprived areas in England (England decile 1 of 10)" in text
    assert "it is the most deprived of Hyndburn's 3 wards" in text
    assert "62.5% of its residents live in neighbourhoods that are in England's most deprived 10%" in text
    # 8.0 / 5.2 = 1.54 -> "1.5x"; the CI 7.4-8.6 is above 5.2 and lower is better -> worse
    assert "Bad or very bad health: 8.0%, 1.5x the England figure of 5.2% (significantly worse than England)" in text


def test_summary_reports_a_missing_value_with_its_reason(tidy):
    facts = selection.ward_facts(tidy, CHURCH)
    text = " ".join(wording.build_ward_summary(ward_name="Church", place_name="Hyndburn", facts=facts))
    assert "Provides unpaid care is missing for Church: suppressed: fewer than 10 people." in text
    assert "None of its residents live in England's most deprived 10%" in text
    assert "2nd most deprived of Hyndburn's 3 wards" in text


# --- selection ------------------------------------------------------------------------------


def test_wards_of_the_place_sorted_by_name(tidy):
    assert selection.place_wards(tidy)["area_name"].tolist() == ["Baxenden", "Central", "Church"]


def test_missing_value_stays_missing_not_zero(tidy):
    rows = selection.area_values(tidy, "unpaid_care", area_type="ward", codes=[CENTRAL, CHURCH, BAXENDEN])
    church = rows.set_index("area_code").loc[CHURCH]
    assert math.isnan(church["value"])
    assert church["value_note"] == "suppressed: fewer than 10 people"


def test_split_lsoa_shows_its_share_in_each_ward(tidy):
    baxenden = selection.ward_lsoas(tidy, BAXENDEN, vintage="2021").set_index("lsoa_code")
    assert baxenden.loc["E01000004", "share_in_ward"] == pytest.approx(0.2)
    assert bool(baxenden.loc["E01000004", "split"]) is True
    assert bool(baxenden.loc["E01000005", "split"]) is False


def test_lsoas_follow_the_indicator_vintage(tidy):
    assert selection.place_lsoa_codes(tidy, "2011") == ["E01000001", "E01000002", "E01000003", "E01000004", "E01000005"]


def test_ward_facts_compare_with_england_or_else_the_place(tidy):
    facts = selection.ward_facts(tidy, CENTRAL).set_index("indicator_id")
    assert facts.loc["bad_health", "significance"] == "worse"
    assert facts.loc["bad_health", "compared_with"] == "England"
    assert facts.loc["imd2025_score", "compared_with"] == "place"  # no England value, no ward CI
    assert facts.loc["imd2025_score", "significance"] == "not compared"
    assert facts.loc["imd2025_score", "rank"] == 1


def test_imd_domains_side_by_side(tidy):
    domains = selection.imd_domains(tidy, CENTRAL)
    assert domains["label"].tolist() == ["Income", "Health deprivation and disability"]
    assert domains[["score_2019", "score_2025"]].iloc[0].tolist() == [0.288, 0.301]


def test_partner_sites_in_a_ward(tidy):
    assert selection.ward_sites(tidy, CENTRAL)["name"].tolist() == ["Central Surgery", "Corner Pharmacy"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [("E05000002,E05000001", [CHURCH, CENTRAL]), ("bogus,E05000002,E05000002", [CHURCH]), (None, []), ("", [])],
)
def test_parse_codes_from_url(text, expected):
    assert selection.parse_codes(text, [CENTRAL, CHURCH, BAXENDEN], limit=4) == expected


def test_downloads_carry_provenance(tidy):
    out = selection.values_for_download(tidy)
    assert {"source", "vintage", "licence", "method", "ward_method"} <= set(out.columns)
    assert len(out) == len(tidy.values)


def test_headline_config_tolerates_missing_ids():
    assert headlines.available(["population", "not_built_yet", "bad_health"], {"bad_health", "population"}) == [
        "population",
        "bad_health",
    ]


def test_headline_tiles_show_missing_with_reason(tidy):
    tiles = page_frames.headline_tiles(
        selection.ward_facts(tidy, CHURCH), ["population", "unpaid_care", "no_such_indicator"]
    )
    assert [t["indicator_id"] for t in tiles] == ["population", "unpaid_care"]
    assert tiles[1]["value"] == "missing"
    assert "suppressed" in tiles[1]["detail"]


# --- figures ---------------------------------------------------------------------------------


def test_choropleth_is_offline_and_draws_missing_grey(tidy):
    rows, geojson, meta = page_frames.map_frame(tidy, "unpaid_care", level="ward")
    fig = figures.build_choropleth(
        frame=rows, geojson=geojson, meta=meta, title="t", outline=tidy.boundaries["lad"], highlight_codes=[CENTRAL]
    )
    assert fig.layout.map.style == "white-bg"
    assert fig.data[0].type == "choroplethmap"
    assert sorted(fig.data[0].locations) == sorted([BAXENDEN, CENTRAL])
    assert list(fig.data[1].locations) == [CHURCH]
    assert fig.data[1].colorscale[0][1] == figures.MISSING_COLOUR
    assert "suppressed" in fig.data[1].customdata[0][1]
    assert [d.type for d in fig.data[2:]] == ["scattermap", "scattermap", "scattermap"]  # place, selection x2
    assert fig.layout.title.text == "t"


def test_choropleth_hover_has_value_ci_rank_and_source(tidy):
    rows, geojson, meta = page_frames.map_frame(tidy, "bad_health", level="ward")
    central = rows.set_index("area_code").loc[CENTRAL]
    assert central["value_text"] == "8.0% (95% CI 7.4% to 8.6%)"
    assert central["rank_text"] == "highest of 3 wards in Hyndburn"
    assert central["source"] == "Office for National Statistics, 2021"
    fig = figures.build_choropleth(frame=rows, geojson=geojson, meta=meta, title="t")
    assert "Source: %{customdata[3]}" in fig.data[0].hovertemplate


def test_decile_legend_is_in_words(tidy):
    rows, geojson, meta = page_frames.map_frame(tidy, "imd2025_decile", level="ward")
    fig = figures.build_choropleth(frame=rows, geojson=geojson, meta=meta, title="t")
    assert fig.layout.coloraxis.colorbar.ticktext[0] == "1 most deprived"
    assert (fig.layout.coloraxis.cmin, fig.layout.coloraxis.cmax) == (1, 10)


def test_lsoa_map_uses_lsoa_boundaries(tidy):
    rows, geojson, _ = page_frames.map_frame(tidy, "imd2019_score", level="lsoa")
    assert len(rows) == 5
    assert {f["properties"]["area_code"] for f in geojson["features"]} == set(rows["area_code"])


def test_spine_chart_marks_significance_by_colour_symbol_and_text(tidy):
    rows = selection.spine_rows(selection.ward_facts(tidy, CENTRAL))
    fig = spine_chart.build_spine_chart(rows, ward_name="Central", place_name="Hyndburn")
    worse = next(d for d in fig.data if d.name == "Central: worse")
    assert worse.marker.color == "#d55e00"
    assert worse.marker.symbol == "diamond"
    assert all(t.endswith("· worse") for t in worse.text)
    # bad health 8.0 vs England 5.2 -> index 153.8
    assert max(worse.x) == pytest.approx(8.0 / 5.2 * 100)
    assert fig.layout.title.text.startswith("Central against England")


def test_ranking_chart_has_error_bars_and_chosen_wards(tidy):
    rows, meta, place_value, england_value = page_frames.ranking_frame(tidy, "bad_health")
    fig = figures.build_ranking_chart(
        rows,
        meta=meta,
        highlight_codes=[CENTRAL],
        place_name="Hyndburn",
        place_value=place_value,
        england_value=england_value,
    )
    chosen = next(d for d in fig.data if d.name == "Chosen ward(s)")
    assert list(chosen.y) == ["Central"]
    assert list(chosen.error_x.array) == pytest.approx([0.6])
    assert fig.layout.title.text.startswith("Bad or very bad health")


def test_domain_chart_shows_both_years(tidy):
    fig = domain_chart.build_domain_chart(selection.imd_domains(tidy, CENTRAL), ward_name="Central")
    # one panel per domain (income, health), each with a 2019 and a 2025 bar
    assert [(d.name, d.x[0]) for d in fig.data] == [
        ("IoD 2019 (2011 LSOAs)", 0.288),
        ("IoD 2025 (2021 LSOAs)", 0.301),
        ("IoD 2019 (2011 LSOAs)", 1.65),
        ("IoD 2025 (2021 LSOAs)", 1.702),
    ]
    assert [a.text for a in fig.layout.annotations] == ["Income", "Health deprivation and disability"]


def test_spine_chart_keeps_extreme_values_on_scale(tidy):
    rows = selection.spine_rows(selection.ward_facts(tidy, CENTRAL)).assign(
        value=lambda f: f["england_value"] * 10, lower_ci=math.nan, upper_ci=math.nan, significance="not compared"
    )
    fig = spine_chart.build_spine_chart(rows, ward_name="Central", place_name="Hyndburn")
    marker = next(d for d in fig.data if d.name == "Central: not tested")
    assert max(marker.x) == chart_style.SPINE_CAP
    assert "off scale, 10.0x England" in marker.text[0]


def test_scatter_reports_correlation(tidy):
    frame = page_frames.scatter_frame(tidy, "imd2025_score", "bad_health", level="ward")
    fig = figures.build_scatter(
        frame,
        x_meta=selection.indicator_meta(tidy, "imd2025_score"),
        y_meta=selection.indicator_meta(tidy, "bad_health"),
        highlight_codes=[CENTRAL],
        level_label="Wards",
    )
    assert "correlation r =" in fig.layout.title.text


def test_view_fits_the_bounds():
    centre, zoom = geometry.view_for((-2.40, 53.74, -2.34, 53.76))
    assert centre == pytest.approx({"lon": -2.37, "lat": 53.75})
    assert 10 < zoom < 14
