"""Every page (AppTest) for Burnley, a place built without per-place extracts (slow: builds from the mirror)."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from tests.dashboard.test_dashboard_app import APP, PAGES

pytestmark = pytest.mark.slow
ALL_PAGES = [*PAGES, "app_pages/need.py", "app_pages/register.py"]


@pytest.fixture
def burnley_env(burnley_data, monkeypatch, tmp_path):
    monkeypatch.setenv("PLACE_INSIGHT_DATA", str(burnley_data))
    monkeypatch.setenv("PLACE_INSIGHT_REGISTER_DB", str(tmp_path / "register.sqlite"))


@pytest.mark.parametrize("page", ALL_PAGES)
def test_every_page_renders_for_burnley(burnley_env, page):
    at = AppTest.from_file(APP, default_timeout=90)
    at.run()
    at.switch_page(page).run()
    assert not at.exception
    assert len(at.title) == 1


def test_the_place_name_comes_from_the_build(burnley_env):
    at = AppTest.from_file(APP, default_timeout=90)
    at.run()
    at.switch_page("app_pages/compare.py").run()
    assert at.title[0].value == "Compare wards in Burnley"


def test_data_page_says_what_is_not_held_for_burnley(burnley_env):
    at = AppTest.from_file(APP, default_timeout=90)
    at.run()
    at.switch_page("app_pages/data_sources.py").run()
    text = " ".join(m.value for m in at.markdown)
    assert "Not held for Burnley: Census 2021 topic summaries" in text


def test_presentation_mode_runs_for_burnley(burnley_env):
    at = AppTest.from_file(APP, default_timeout=90)
    at.query_params["present"] = "1"
    at.run()
    assert not at.exception
