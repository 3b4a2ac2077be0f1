"""Unit tests of the Health section, MSOA level, trends and catalogue logic (dashboard/core).

Expected values are worked out by hand from the literal rows in tests/dashboard/health_fixture.py."""

from __future__ import annotations

import dataclasses

import pytest

from dashboard.briefs import content as brief_content
from dashboard.core import catalogue, health, health_figures, health_section, msoa, page_frames, selection, trends
from dashboard.core.tidy_tables import latest_periods
from tests.dashboard.conftest import BAXENDEN, CENTRAL, CHURCH
from tests.dashboard.health_fixture import M1, M2, M3


@pytest.mark.parametrize(
    ("note", "expected"),
    [
        ("Worse than England (= 100)", "worse"),
        ("England comparison: better (source's flag, Local Health 2020; no CI in the source)", "better"),
        ("Similar to England", "similar"),
        ("indicative, from MSOA figures", None),  # no England comparison in it
        ("ONS 2016-20, 95% CI as published; no England value for 2016-20 in the source", None),
        (None, None),
    ],
)
def test_source_flag_is_read_from_the_value_note(note, expected):
    assert msoa.source_flag(note) == expected


def test_msoa_comparison_uses_the_ci_before_the_flag():
    # 74.1 (72.9 to 75.3) against England 79.4: the whole interval is below, higher is better -> worse
    assert msoa.compare_with_england(
        value=74.1, lower_ci=72.9, upper_ci=75.3, england=79.4, polarity="higher_is_better", note="Better than England"
    ) == ("worse", msoa.FROM_CI)
    assert msoa.compare_with_england(
        value=170.9, lower_ci=None, upper_ci=None, england=100.0, polarity="lower_is_better", note="Worse than England"
    ) == ("worse", msoa.FROM_FLAG)
    assert msoa.compare_with_england(
        value=5.0, lower_ci=None, upper_ci=None, england=4.0, polarity="lower_is_better", note=None
    ) == ("not compared", msoa.NO_BASIS)


def test_ward_msoas_by_lsoa_names_and_weights(tidy):
    # Baxenden: 1.0 of E01000005 (Hyndburn 003) and 0.2 of E01000004 (Hyndburn 002): 1/1.2 and 0.2/1.2
    shares = msoa.ward_msoas(tidy, BAXENDEN).set_index("msoa_code")["share"]
    assert shares.to_dict() == pytest.approx({M3: 1 / 1.2, M2: 0.2 / 1.2})
    assert msoa.ward_msoas(tidy, CENTRAL)["msoa_code"].tolist() == [M1]
    assert msoa.main_ward_of_msoa(tidy) == {M1: CENTRAL, M2: CHURCH, M3: BAXENDEN}


def test_ward_figures_are_compared_with_the_same_period(tidy):
    # The base fixture also holds district/England life expectancy for 2021-23 (76.2, 79.3);
    # the ward's 2016-20 figure must meet the 2016-20 ones (77.5, 79.4).
    facts = selection.ward_facts(tidy, CENTRAL).set_index("indicator_id")
    assert facts.loc["life_expectancy_male", ["place_value", "england_value"]].tolist() == [77.5, 79.4]
    assert latest_periods(tidy.values).query("area_type == 'lad' and indicator_id == 'life_expectancy_male'")[
        "period"
    ].tolist() == ["2021-23"]


def test_life_expectancy_has_the_best_ward_and_the_gap(tidy):
    rows = health.life_expectancy(tidy, CENTRAL).set_index("sex")
    # best ward for men: Baxenden 80.7; 80.7 - 74.1 = 6.6 years. Women: 84.2 - 78.9 = 5.3
    assert rows.loc["Men", "best_ward"] == "Baxenden"
    assert rows.loc["Men", "gap_to_best"] == pytest.approx(6.6)
    assert rows.loc["Women", "gap_to_best"] == pytest.approx(5.3)
    assert rows.loc["Men", "coarser"] == health.INDICATIVE_MSOA


def test_life_expectancy_in_plain_words(tidy):
    rows = health.life_expectancy(tidy, CENTRAL)
    # England: 79.4 - 74.1 = 5.3 and 83.1 - 78.9 = 4.2 years less
    assert health.life_expectancy_sentences(rows, ward_name="Central", place_name="Hyndburn") == [
        "Men in Central can expect to live 74.1 years and women 78.9 years (2016-20; indicative, from MSOA figures): "
        "5.3 and 4.2 years less than the England average, and 6.6 and 5.3 years less than in Baxenden, "
        "the Hyndburn ward where people live longest."
    ]


def test_the_best_ward_is_told_it_is_the_best(tidy):
    rows = health.life_expectancy(tidy, BAXENDEN)
    # 80.7 - 79.4 = 1.3 and 84.2 - 83.1 = 1.1 years more than England
    text = health.life_expectancy_sentences(rows, ward_name="Baxenden", place_name="Hyndburn")[0]
    assert text.endswith("1.3 and 1.1 years more than the England average, and the longest of Hyndburn's wards.")


def test_without_an_england_figure_of_the_same_period_the_sentence_says_so(tidy):
    values = tidy.values[~((tidy.values["area_type"] == "england") & (tidy.values["period"] == "2016-20"))].reset_index(
        drop=True
    )
    trimmed = dataclasses.replace(tidy, values=values, latest=latest_periods(values))
    text = health.life_expectancy_sentences(
        health.life_expectancy(trimmed, CENTRAL), ward_name="Central", place_name="Hyndburn"
    )[0]
    # England's latest life expectancy in the base fixture: men 79.3 (2021-23); no women row
    assert "England has no figure for the same years in the source (its latest, 2021-23, is 79.3 years" in text


def test_worse_than_england_counts_the_msoas_behind_the_ward(tidy):
    worse = health.worse_than_england(tidy, BAXENDEN)
    # Baxenden's MSOAs: 002 (COPD SAR 150, worse) and 003 (95, similar); all causes similar/better
    assert worse["indicator_id"].tolist() == ["sar_copd"]
    row = worse.iloc[0]
    assert (row["worse_msoas"], row["msoas"]) == (1, 2)
    assert row["worse_share"] == pytest.approx(0.2 / 1.2)


def test_worse_lines_say_when_the_worse_msoas_cover_part_of_the_ward(tidy):
    lines = health.worse_lines(health.worse_than_england(tidy, BAXENDEN))
    # COPD SAR 150 in Hyndburn 002, which is 0.2 / 1.2 = 17% of Baxenden
    assert lines == [
        ("Hospital admissions", "2013-17", "Emergency admissions for COPD 150 (MSOAs covering 17% of the ward)")
    ]


def test_prevalence_significance_from_wilson_intervals(tidy):
    rows = health.compare_rows(tidy, CENTRAL, health.qof_ids(tidy)).set_index("indicator_id")
    # depression 14.21-15.83 above England 13.2 -> worse; hypertension 13.23-14.80 touches 14.8 -> similar
    assert rows.loc["qof_dep", "significance"] == "worse"
    assert rows.loc["qof_hyp", "significance"] == "similar"
    assert rows.loc["qof_dm", "coarser"] == health.FROM_GP_REGISTERS
    assert rows.loc["qof_dm", "count"] == 600


@pytest.mark.parametrize(
    ("note", "method", "geography", "expected"),
    [
        (
            "indicative, from MSOA figures (population-weighted); no CI",
            "indicative-from-msoa",
            "",
            health.INDICATIVE_MSOA,
        ),
        (
            "estimate: practice registers (QOF 2022-23) attributed to LSOAs",
            "apportioned-from-lsoa",
            "GP practice",
            health.FROM_GP_REGISTERS,
        ),
        (None, "population-weighted", "LSOA 2021", ""),
    ],
)
def test_coarser_geography_label(note, method, geography, expected):
    assert health.coarser_label(value_note=note, ward_method=method, source_geography=geography) == expected


def test_trends_cover_every_indicator_with_several_periods(tidy):
    # topic then name: Mental health (Residents in ..., Small Area ...), Smoking; then the IMD 2019-2025 series
    assert trends.trend_ids(tidy) == ["samhi_worst_decile_share", "samhi_index", "smoking_prevalence_qof", "imd_score"]


def test_trend_chart_uses_periods_as_categories_with_error_bars(tidy):
    frame = trends.trend_frame(tidy, "smoking_prevalence_qof", ward=CENTRAL, ward_name="Central")
    meta = trends.series_meta(tidy, "smoking_prevalence_qof")
    fig = trends.build_trend_chart(frame, meta=meta, title="t")
    assert fig.layout.xaxis.type == "category"
    assert list(fig.layout.xaxis.categoryarray) == ["2022/23", "2023/24"]
    ward = next(d for d in fig.data if d.name == "Central")
    assert list(ward.y) == [22.1, 21.4]
    assert list(ward.error_y.array) == pytest.approx([1.1, 1.1])  # 23.2 - 22.1, 22.5 - 21.4
    assert [d.name for d in fig.data] == ["Central", "Hyndburn", "England"]


def test_imd_2019_and_2025_make_one_series(tidy):
    frame = trends.trend_frame(tidy, "imd_score", ward=CENTRAL, ward_name="Central")
    ward = frame[frame["series"] == "ward"]
    assert ward[["period", "value"]].values.tolist() == [["2019", 52.0], ["2025", 55.2]]


def test_samhi_index_stays_off_the_spine(tidy):
    # England = 0 for an index centred on England: no ratio to England can be drawn
    assert "samhi_index" not in set(selection.spine_rows(selection.ward_facts(tidy, CENTRAL))["indicator_id"])


def test_life_expectancy_chart_has_ward_place_england_and_best_ward(tidy):
    section = health_section.build_health_section(tidy, CENTRAL, ward_name="Central")
    fig = section.life_expectancy_figure
    assert [d.name for d in fig.data] == ["Central", "Hyndburn", "England", "Best ward (Baxenden)"]
    assert list(fig.data[0].x) == [74.1, 78.9]
    assert fig.data[0].error_x is None or fig.data[0].error_x.array is None  # indicative: no ward CI
    assert list(fig.data[2].error_x.array) == pytest.approx([0.1, 0.1])  # 79.5 - 79.4, 83.2 - 83.1
    table = health_figures.comparison_table(
        section.life_expectancy, label_column="sex", place_name="Hyndburn", ward_name="Central"
    )
    assert table.loc[0, "gap to best (years)"] == "6.6"


def test_missing_health_ids_become_stated_gaps(tidy):
    keep = ~tidy.values["indicator_id"].str.match(r"qof_|life_expectancy|samhi_|child_obesity|smr_|sar_")
    values = tidy.values[keep].reset_index(drop=True)
    trimmed = dataclasses.replace(tidy, values=values, latest=latest_periods(values))
    section = health_section.build_health_section(trimmed, CENTRAL, ward_name="Central")
    assert set(section.gaps) == {"life_expectancy", "worse", "prevalence", "obesity", "samhi"}
    assert "life_expectancy_male" in section.gaps["life_expectancy"]
    assert section.life_expectancy_figure is None and section.prevalence_figure is None
    assert section.sentences == []


def test_msoa_map_rows_carry_the_england_comparison_and_its_basis(tidy):
    rows, geojson, _ = page_frames.map_frame(tidy, "life_expectancy_male", level="msoa")
    assert sorted(rows["area_code"]) == [M1, M2, M3]
    assert {f["properties"]["area_code"] for f in geojson["features"]} == {M1, M2, M3}
    m1 = rows.set_index("area_code").loc[M1]
    assert m1["value_text"].endswith("Compared with England: worse (significance from the CI)")
    flags = page_frames.map_frame(tidy, "smr_all_causes", level="msoa")[0].set_index("area_code")
    assert flags.loc[M3, "basis"] == msoa.FROM_FLAG and flags.loc[M3, "significance"] == "better"


def test_map_frame_draws_a_chosen_period(tidy):
    rows, _, _ = page_frames.map_frame(tidy, "samhi_index", level="ward", period="2011")
    assert rows.set_index("area_code").loc[CENTRAL, "value"] == 0.9


def test_catalogue_lists_periods_levels_and_citations(tidy):
    table = catalogue.indicator_catalogue(tidy).set_index("indicator_id")
    assert table.loc["samhi_index", "periods"] == "2011 to 2022 (4 periods)"
    assert table.loc["life_expectancy_male", "levels held"] == "msoa, ward, lad, england"
    assert table.loc["samhi_index", "citation"].startswith("Daras K, Barr B (2021)")
    assert table.loc["qof_dm", "citation"] == ""


def test_citation_is_read_from_the_licence_when_there_is_no_column(tidy):
    sources = tidy.sources.drop(columns=["citation"])
    sources.loc[sources["source_id"] == "samhi", "licence"] = "UK OGL; citation required: Daras K, Barr B (2021)"
    assert catalogue.citation_of(dataclasses.replace(tidy, sources=sources), "samhi") == "Daras K, Barr B (2021)"


def test_brief_summary_leads_with_life_expectancy(tidy):
    content = brief_content.build_content(tidy, CENTRAL)
    assert content.summary[1].startswith("Men in Central can expect to live 74.1 years and women 78.9 years")
    labels = [r.label for r in content.headline_rows]
    assert labels[0] == "Life expectancy at birth (men) (indicative, from MSOA figures)"


def test_health_tiles_are_worded_once_with_the_gap_to_the_best_ward(tidy):
    section = health_section.build_health_section(tidy, CENTRAL, ward_name="Central")
    men = section.life_expectancy_tiles[0]
    assert men.value.startswith("74.1")  # the fixture's Central male value
    # 80.7 (Baxenden, best ward) - 74.1 = 6.6 years, as in the comparison table above
    assert men.caption.endswith("6.6 years less than Baxenden (best ward)")
    assert "Hyndburn" in men.caption and "England" in men.caption
    assert "Source:" in men.help and "Ward figure:" in men.help
