"""The register in a real browser (Debian's chromium via Playwright) on the fixture data: sign in,
add an activity in Church through the form, then see it on the Map (activity layer legend) and
in Church's profile partner panel. Screenshots go to test-artifacts/ (7-*.png to 10-*.png)."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from dashboard import auth
from dashboard.devserver import APP, CHROMIUM, CHROMIUM_ARGS, ServerError, StreamlitServer
from tests.dashboard.conftest import CHURCH
from tests.dashboard.test_dashboard_browser import ARTIFACTS, settle, shot

log = logging.getLogger(__name__)
pytestmark = pytest.mark.browser
USER, PASSWORD = "tester", "a long test password"


@pytest.fixture(scope="module")
def register_server(fixture_data_dir: Path, tmp_path_factory: pytest.TempPathFactory):
    """The real app on a free loopback port: fixture tidy data, an empty SQLite register and a
    users file holding one editor, made with the auth module's API."""
    if not CHROMIUM.exists():
        pytest.skip("needs Debian's chromium at /usr/bin/chromium")
    pytest.importorskip("playwright.sync_api")
    folder = tmp_path_factory.mktemp("register-browser")
    users = folder / "users.toml"
    auth.add_user(USER, "editor", PASSWORD, users)
    ARTIFACTS.mkdir(exist_ok=True)
    env = {
        "DATABASE_URL": None,
        "PLACE_INSIGHT_DATA": str(fixture_data_dir),
        "PLACE_INSIGHT_REGISTER_DB": str(folder / "register.sqlite"),
        "PLACE_INSIGHT_USERS_FILE": str(users),
    }
    try:
        with StreamlitServer(APP, env=env, log_path=ARTIFACTS / "streamlit-register-server.log") as running:
            yield running.url
    except ServerError as exc:
        pytest.fail(str(exc))


def choose(page, label: str, *options: str) -> None:
    """Pick options in a Streamlit selectbox or multiselect by its label."""
    box = page.get_by_role("combobox", name=label, exact=True)
    for option in options:
        box.click()
        page.get_by_role("option", name=option, exact=True).click()
    if box.get_attribute("aria-expanded") == "true":
        page.keyboard.press("Tab")


def test_an_activity_added_in_the_form_appears_on_the_map_and_in_the_ward_profile(register_server):
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.goto(f"{register_server}/register")
        page.wait_for_selector("h1:has-text('Partner activity register')", timeout=60000)
        settle(page, ms=300)

        sidebar = page.locator("[data-testid=stSidebar]")
        sidebar.get_by_role("textbox", name="User name").fill(USER)
        sidebar.get_by_role("textbox", name="Password").fill(PASSWORD)
        sidebar.get_by_role("button", name="Sign in").click()
        expect(sidebar.get_by_text("Changes are recorded as local:tester")).to_be_visible(timeout=20000)

        page.get_by_role("tab", name="Add an activity").click()
        form = page.locator("[data-testid=stForm]").first
        form.get_by_role("textbox", name="Organisation *").fill("Church Walkers (test)")
        form.get_by_role("textbox", name="Title *").fill("Canal towpath walk")
        choose(page, "Sector *", "voluntary/community")
        choose(page, "Type *", "event")
        choose(page, "Status *", "active")
        choose(page, "Themes *", "physical activity")
        choose(page, "Wards served", "Church")
        form.get_by_role("button", name="Add the activity").click()
        expect(page.get_by_text("Added “Canal towpath walk” (version 1).")).to_be_visible(timeout=20000)
        settle(page, ms=300)
        shot(page, "7-register-activity-added")

        page.goto(f"{register_server}/?indicator=imd2025_score&ward={CHURCH}")
        page.wait_for_selector("canvas.maplibregl-canvas", timeout=60000)
        settle(page)
        expect(page.locator(".legend").get_by_text("◆ Partner activities (register): 1")).to_be_visible()
        expect(page.locator(".legend").get_by_text("■ GP practices: 2")).to_be_visible()
        shot(page, "8-map-with-partner-layers")

        page.goto(f"{register_server}/ward?ward={CHURCH}")
        page.wait_for_selector("h1:has-text('Church ward profile')", timeout=60000)
        settle(page)
        expect(page.get_by_text("Partner activities in the register: 1")).to_be_visible()
        panel = page.get_by_text("Partner activities in the register: 1")
        panel.scroll_into_view_if_needed()
        shot(page, "9-ward-profile-church-partner-panel")

        page.goto(f"{register_server}/need")
        page.wait_for_selector("h1:has-text('Need and partner activity')", timeout=60000)
        settle(page)
        expect(page.get_by_text("High need, low activity", exact=False).first).to_be_visible()
        shot(page, "10-need-and-activity")
        browser.close()
