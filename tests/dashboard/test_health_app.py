"""The Health section, MSOA map level, trends and catalogue as scripts (AppTest) on the fixture."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from tests.dashboard.conftest import CENTRAL, write_fixture_tidy
from tests.dashboard.test_dashboard_app import chart_specs, make_app, open_expanders

PROFILE = "app_pages/ward_profile.py"


def titles(at) -> list[str]:
    return [s["layout"]["title"]["text"].replace("<br>", " ") for s in chart_specs(at)]


def test_profile_leads_with_the_health_section(fixture_env):
    at = make_app(PROFILE, ward=CENTRAL)
    assert not at.exception
    headings = [s.value for s in at.header]
    assert headings.index("Health") < headings.index("Headline figures")
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Life expectancy, men"] == "74.1 years"
    assert metrics["Life expectancy, women"] == "78.9 years"
    assert metrics["Diabetes (QOF register, 17+)"] == "8.0%"
    assert metrics["Obese, Year 6 (age 10-11)"] == "25.2%"
    captions = [c.value for c in at.caption]
    assert any(
        c.startswith("**indicative, from MSOA figures**") and "6.6 years less than Baxenden" in c for c in captions
    )
    assert any(c.startswith("**estimated from GP registers**") and "about 600 patients" in c for c in captions)
    assert "Men in Central can expect to live 74.1 years" in at.markdown[0].value


def test_health_section_charts_and_msoa_expanders(fixture_env):
    at = make_app(PROFILE, ward=CENTRAL)
    shown = titles(at)
    assert any(t.startswith("Life expectancy at birth, 2016-20") for t in shown)
    assert any(t.startswith("Recorded disease prevalence") for t in shown)
    assert any(t.startswith("Small Area Mental Health Index (SAMHI): Central") for t in shown)
    assert any(t.startswith("Smoking prevalence, 15+ (QOF): Central") for t in shown)
    labels = [e.label for e in at.expander]
    assert sum(label.startswith("MSOA figures behind this estimate") for label in labels) >= 3
    assert any(m.value.startswith("**3 of 3** causes are significantly worse") for m in at.markdown)
    # ratios rounded: 321.6 -> 322, 175.7 -> 176, 170.9 -> 171; Central lies in one MSOA (no "covering" note)
    assert (
        "- **Hospital admissions** (2013-17): Emergency admissions for COPD 322; Emergency admissions, all causes 176\n"
        "- **Deaths** (2013-17): Deaths from all causes 171"
    ) in [m.value for m in at.markdown]
    assert any(c.value.startswith("Cite as: Daras K, Barr B (2021)") for c in at.caption)


@pytest.fixture()
def without_qof(tmp_path, monkeypatch):
    """The fixture without any QOF rows: the section must say so, not break."""
    tidy = write_fixture_tidy(tmp_path / "tidy")
    values = pd.read_parquet(tidy / "indicator_values.parquet")
    values[~values["indicator_id"].str.startswith("qof_")].to_parquet(tidy / "indicator_values.parquet")
    stamp = json.loads((tidy / "_build.json").read_text())
    (tidy / "_build.json").write_text(json.dumps({**stamp, "fingerprint": "no-qof"}))
    monkeypatch.setenv("PLACE_INSIGHT_DATA", str(tmp_path))
    return tmp_path


def test_missing_qof_is_a_stated_gap(without_qof):
    at = make_app(PROFILE, ward=CENTRAL)
    assert not at.exception
    assert any("No GP register (QOF) prevalence for this ward" in i.value for i in at.info)
    assert not any(t.startswith("Recorded disease prevalence") for t in titles(at))


def test_map_shows_msoas_with_their_own_comparison(fixture_env):
    at = make_app(indicator="life_expectancy_male", level="msoa", ward=CENTRAL)
    assert not at.exception
    spec = chart_specs(at)[0]
    assert sorted(spec["data"][0]["locations"]) == ["E02000001", "E02000002", "E02000003"]
    assert any("significance from the CI" in row[1] for row in spec["data"][0]["customdata"])
    table = next(df.value for df in open_expanders(at).dataframe if "basis" in df.value.columns)
    assert set(table["basis"]) == {"significance from the CI"}


def test_map_has_a_period_selector_and_the_wards_trend(fixture_env):
    at = make_app(indicator="samhi_index", level="ward", ward=CENTRAL)
    period = next(r for r in at.radio if r.label == "Period")
    assert period.options == ["2011", "2015", "2019", "2022"] and period.value == "2022"
    period.set_value("2011").run()
    assert not at.exception
    shown = titles(at)
    assert shown[0].endswith("(2011)")
    assert any(t.startswith("Small Area Mental Health Index (SAMHI): Central against Hyndburn") for t in shown)


def test_data_page_lists_periods_and_citations(fixture_env):
    at = make_app("app_pages/data_sources.py")
    listed = at.dataframe[0].value.set_index("indicator_id")
    assert listed.loc["samhi_index", "periods"] == "2011 to 2022 (4 periods)"
    assert listed.loc["samhi_index", "citation"].startswith("Daras K, Barr B (2021)")
    assert {"source_geography", "ward_method", "licence", "definition"} <= set(listed.columns)


def test_every_page_still_renders_with_health_rows(fixture_env):
    for page in ("app_pages/compare.py", "app_pages/need.py"):
        at = make_app(page)
        assert not at.exception, page
