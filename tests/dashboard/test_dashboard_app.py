"""Every page as a script (AppTest) on the fixture tidy folder."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.dashboard.conftest import BAXENDEN, CENTRAL, CHURCH

APP = str(Path(__file__).resolve().parents[2] / "dashboard" / "streamlit_app.py")
PAGES = ["app_pages/map.py", "app_pages/ward_profile.py", "app_pages/compare.py", "app_pages/data_sources.py"]
log = logging.getLogger(__name__)


def make_app(page: str | None = None, **params: str) -> AppTest:
    """Open the app as a shared link would: query parameters first, then the page.

    (AppTest can only switch to an ``st.navigation`` page after a first run; in a browser the
    page is the URL path, e.g. ``/ward?ward=...``, which the browser test checks.)"""
    at = AppTest.from_file(APP, default_timeout=60)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    if page:
        at.switch_page(page).run()
    return at


def open_expanders(at: AppTest) -> AppTest:
    """Open every expander that makes its content only when opened (``_shared.lazy_expander``),
    as someone clicking each of them would, and rerun."""
    keys = [e.proto.id.split("-", 2)[2] for e in at.expander if e.proto.id]
    assert keys, "no lazy expander on the page"
    for key in keys:
        at.session_state[key] = True
    return at.run()


def chart_specs(at: AppTest) -> list[dict]:
    return [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]


def metric_value(at: AppTest, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


def ward_selector(at: AppTest):
    return next(s for s in at.sidebar.selectbox if s.key == "ward")


def indicator_selector(at: AppTest):
    return next(s for s in at.sidebar.selectbox if s.key == "indicator")


@pytest.mark.parametrize("page", PAGES)
def test_page_renders_without_exception(fixture_env, page):
    at = make_app(page)
    assert not at.exception
    assert len(at.title) == 1


def test_map_page_draws_an_offline_choropleth_with_the_place_outline(fixture_env):
    at = make_app()
    spec = chart_specs(at)[0]
    assert [d["type"] for d in spec["data"]][:1] == ["choroplethmap"]
    assert any(d["type"] == "scattermap" and d.get("name") == "Hyndburn boundary" for d in spec["data"])
    assert spec["layout"]["map"]["style"] == "white-bg"


def test_indicator_selector_changes_the_map(fixture_env):
    at = make_app(indicator="imd2025_score")
    indicator_selector(at).set_value("bad_health").run()
    assert at.title[0].value == "Bad or very bad health: Hyndburn map"
    spec = chart_specs(at)[0]
    assert "Bad or very bad health" in spec["layout"]["title"]["text"]
    assert at.query_params["indicator"] == "bad_health"


def test_lsoa_level_map(fixture_env):
    at = make_app(indicator="imd2025_score", level="lsoa")
    assert not at.exception
    assert len(chart_specs(at)[0]["data"][0]["locations"]) == 5


def test_level_without_values_says_so(fixture_env):
    at = make_app(indicator="population", level="lsoa")
    assert not at.exception
    assert "has no values at neighbourhoods (lsoas) level" in at.warning[0].value


def test_ward_selector_changes_the_profile_numbers(fixture_env):
    at = make_app("app_pages/ward_profile.py", ward=CENTRAL)
    assert at.title[0].value == "Central ward profile"
    assert metric_value(at, "Residents (2021)") == "7,000"
    ward_selector(at).set_value(CHURCH).run()
    assert at.title[0].value == "Church ward profile"
    assert metric_value(at, "Residents (2021)") == "5,000"
    assert at.query_params["ward"] == CHURCH


def test_profile_shows_missing_value_as_missing_with_reason(fixture_env):
    at = make_app("app_pages/ward_profile.py", ward=CHURCH)
    tiles = {m.label: m.value for m in at.metric}
    assert tiles["Provides unpaid care"] == "missing"
    assert any("suppressed: fewer than 10 people" in c.value for c in at.caption)


def test_profile_has_summary_spine_domains_lsoas_and_partner_sites(fixture_env):
    at = make_app("app_pages/ward_profile.py", ward=CENTRAL)
    summary = at.markdown[0].value
    assert "among the 10% most deprived areas in England" in summary
    titles = [s["layout"]["title"]["text"] for s in chart_specs(at)]
    assert any(t.startswith("Central against England") for t in titles)
    assert any("IMD domain scores" in t for t in titles)
    assert any("neighbourhoods in Central" in t.replace("<br>", " ") for t in titles)
    frames = [df.value for df in at.dataframe]
    assert any("Central Surgery" in set(f.get("name", [])) for f in frames)


def test_url_restores_ward_indicator_and_page(fixture_env):
    at = make_app("app_pages/ward_profile.py", ward=BAXENDEN, indicator="bad_health", level="lsoa")
    assert at.title[0].value == "Baxenden ward profile"
    assert ward_selector(at).value == BAXENDEN
    assert indicator_selector(at).value == "bad_health"
    assert next(r for r in at.sidebar.radio if r.key == "level").value == "lsoa"


def test_bad_url_values_fall_back_to_defaults(fixture_env):
    at = make_app(ward="E05999999", indicator="no_such_thing", level="oa")
    assert not at.exception
    assert ward_selector(at).value == BAXENDEN  # the first ward by name
    assert indicator_selector(at).value == "imd2025_score"


def test_compare_restores_wards_from_url_and_ranks_with_error_bars(fixture_env):
    at = make_app("app_pages/compare.py", wards=f"{CHURCH},{BAXENDEN}", indicator="bad_health")
    assert at.multiselect[0].value == [CHURCH, BAXENDEN]
    specs = chart_specs(at)
    ranking = next(s for s in specs if "all wards ranked" in s["layout"]["title"]["text"])
    assert any("error_x" in d for d in ranking["data"])
    assert at.query_params["wards"] == f"{CHURCH},{BAXENDEN}"


def test_compare_selection_changes_the_table(fixture_env):
    at = make_app("app_pages/compare.py", wards=f"{CHURCH},{BAXENDEN}")
    at.multiselect[0].set_value([CENTRAL, CHURCH, BAXENDEN]).run()
    assert "Central" in at.dataframe[0].value.columns
    assert at.query_params["wards"] == f"{CENTRAL},{CHURCH},{BAXENDEN}"


def test_data_page_lists_every_indicator_with_downloads(fixture_env, tidy):
    at = make_app("app_pages/data_sources.py")
    listed = at.dataframe[0].value
    assert set(listed["indicator_id"]) == set(tidy.indicators["indicator_id"])
    assert {"definition", "method", "source", "vintage", "licence"} <= set(listed.columns)
    assert len(at.get("download_button")) >= 5


def test_unbuilt_data_shows_the_build_command(tmp_path, monkeypatch):
    monkeypatch.setenv("PLACE_INSIGHT_DATA", str(tmp_path))
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception
    assert "make data" in at.error[0].value


def test_ward_switch_reruns_show_each_ward(fixture_env):
    # Timings belong to the bench (make bench), not to unit tests: this checks the behaviour only.
    at = make_app("app_pages/ward_profile.py", ward=CENTRAL)
    for code in (CHURCH, BAXENDEN, CENTRAL):
        ward_selector(at).set_value(code).run()
        assert not at.exception
        assert at.title[0].value.startswith({CENTRAL: "Central", CHURCH: "Church", BAXENDEN: "Baxenden"}[code])


def test_compare_ranks_against_the_neighbours_when_their_table_is_built(fixture_env):
    from tests.dashboard.test_neighbours_core import TABLE

    folder = fixture_env / "neighbours"
    folder.mkdir(exist_ok=True)
    table = TABLE.assign(indicator_id="imd2025_score", lad_code=["E07000120", "E07000120", "L2", "L2"])
    table.to_parquet(folder / "ward_values.parquet", index=False)
    try:
        at = make_app("app_pages/compare.py", indicator="imd2025_score")
        at.toggle(key="rank_neighbours").set_value(True).run()
        assert not at.exception
        assert any("wards rank 2 to 4 of 4 wards" in c.value for c in at.caption)
    finally:
        (folder / "ward_values.parquet").unlink()
