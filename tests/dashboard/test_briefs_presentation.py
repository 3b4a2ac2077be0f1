"""Ward profile downloads (brief, PNG, CSV) and presentation mode, as AppTest scripts."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from tests.dashboard.conftest import BAXENDEN, CENTRAL, CHURCH
from tests.dashboard.test_dashboard_app import make_app, open_expanders


def labels(at: AppTest) -> list[str]:
    return [b.label for b in at.get("download_button")]


def test_ward_profile_offers_the_brief_png_and_csv_downloads(fixture_env):
    at = make_app("app_pages/ward_profile.py", ward=CENTRAL)
    assert not at.exception
    found = labels(at)
    assert "Download ward brief (PDF)" in found
    # every chart has its PNG: spine, IMD domains, neighbourhood map, and the health charts and trends (issue 11)
    assert found.count("PNG") == len(at.get("plotly_chart")) == 9
    # every table on the page has a CSV download with provenance (the tables behind charts once opened)
    open_expanders(at)
    assert not at.exception
    found = labels(at)
    assert sum("with source, vintage, licence and method" in x for x in found) >= 4


def test_map_and_compare_charts_have_png_downloads(fixture_env):
    at = make_app()
    assert "PNG" in labels(at)
    at.switch_page("app_pages/compare.py").run()
    assert not at.exception
    assert labels(at).count("PNG") == 3


def test_presentation_mode_from_the_url_hides_the_sidebar_and_steps_through_wards(fixture_env):
    at = make_app(present="1", wards=f"{CHURCH},{BAXENDEN}")
    assert not at.exception
    assert len(at.sidebar.selectbox) == 0 and len(at.sidebar.radio) == 0 and len(at.sidebar.toggle) == 0
    assert at.title[0].value == "Church ward profile"
    assert not at.get("download_button")  # no widgets on a slide
    assert not at.expander
    assert [b.label for b in at.button] == ["Previous", "Section", "Section", "Next", "Exit"]
    at.button(key="present_next").click().run()
    assert at.title[0].value == "Baxenden ward profile"
    assert at.query_params["ward"] == [BAXENDEN] or at.query_params["ward"] == BAXENDEN
    at.button(key="present_next").click().run()  # wraps round
    assert at.title[0].value == "Church ward profile"
    at.button(key="present_prev").click().run()
    assert at.title[0].value == "Baxenden ward profile"
    at.button(key="present_exit").click().run()
    assert not at.exception
    assert len(at.sidebar.selectbox) == 2  # back to the normal app


def test_presentation_switch_in_the_sidebar(fixture_env):
    at = make_app(ward=CENTRAL)
    next(t for t in at.sidebar.toggle if t.key == "present_switch").set_value(True).run()
    assert not at.exception
    assert len(at.sidebar.selectbox) == 0
    assert at.title[0].value == "Central ward profile"


def test_presentation_mode_enlarges_chart_text(fixture_env):
    import json

    at = make_app(present="1", wards=f"{CHURCH},{BAXENDEN}")
    specs = [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]
    assert specs and all(spec["layout"]["font"]["size"] == 20 for spec in specs)


def annotation_sizes(spec: dict) -> list[float]:
    default = spec["layout"]["font"]["size"]
    return [a.get("font", {}).get("size", default) for a in spec["layout"].get("annotations", [])]


def test_presentation_sections_step_with_up_and_down_and_reset_on_a_new_ward(fixture_env):
    at = make_app(present="1", wards=f"{CHURCH},{BAXENDEN}")
    assert not at.header  # the overview has the title only
    at.button(key="present_down").click().run()
    assert at.header[0].value.startswith("Health")
    at.button(key="present_down").click().run()
    assert at.header[0].value.startswith("Deprivation")
    at.button(key="present_up").click().run()
    assert at.header[0].value.startswith("Health")
    at.button(key="present_next").click().run()  # next ward: its overview first
    assert at.title[0].value == "Baxenden ward profile" and not at.header


def test_every_slides_chart_text_is_at_least_18_px(fixture_env):
    import json

    at = make_app(present="1", wards=f"{CHURCH},{BAXENDEN}")
    for _ in range(4):
        for chart in at.get("plotly_chart"):
            spec = json.loads(chart.proto.spec)
            assert spec["layout"]["font"]["size"] >= 18
            assert all(size >= 18 for size in annotation_sizes(spec)), annotation_sizes(spec)
        at.button(key="present_down").click().run()


def test_present_these_wards_on_the_compare_page_starts_the_slides_with_those_wards(fixture_env):
    at = make_app("app_pages/compare.py", wards=f"{BAXENDEN},{CHURCH}")
    at.button(key="present_compare").click().run()
    assert not at.exception
    assert at.title[0].value == "Baxenden ward profile"
    at.button(key="present_next").click().run()
    assert at.title[0].value == "Church ward profile"


def test_present_these_wards_on_the_profile_starts_with_that_ward(fixture_env):
    at = make_app("app_pages/ward_profile.py", ward=CHURCH)
    at.button(key="present_profile").click().run()
    assert not at.exception
    assert at.title[0].value == "Church ward profile" and len(at.sidebar.selectbox) == 0


def test_tables_behind_charts_are_made_only_when_opened(fixture_env):
    at = make_app("app_pages/ward_profile.py", ward=CENTRAL)
    assert at.expander and all(not e.dataframe and not e.get("download_button") for e in at.expander)
    open_expanders(at)
    assert not at.exception
    tables = [e for e in at.expander if e.label.startswith("Table: ")]
    assert tables and all(len(e.dataframe) == 1 for e in tables)  # the table, made once opened
