"""The whole app once in a real browser (Debian's chromium via Playwright) on the fixture data:
the map draws offline, a click on a ward opens its profile, a shared URL restores a view, and
every page is saved as a screenshot in test-artifacts/ for a person to look at."""

from __future__ import annotations

import json
import logging
import time
from pathlib import Path

import pytest

from dashboard.core import geometry
from dashboard.devserver import APP, CHROMIUM, CHROMIUM_ARGS, REPO, ServerError, StreamlitServer
from tests.dashboard.conftest import BAXENDEN, CENTRAL, CHURCH, WARD_LONS

ARTIFACTS = REPO / "test-artifacts"
log = logging.getLogger(__name__)

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def server(fixture_data_dir: Path):
    """The real app served on a free loopback port with PLACE_INSIGHT_DATA -> fixture data."""
    if not CHROMIUM.exists():
        pytest.skip("needs Debian's chromium at /usr/bin/chromium (as root: apt-get install -y chromium)")
    pytest.importorskip("playwright.sync_api")
    ARTIFACTS.mkdir(exist_ok=True)
    try:
        with StreamlitServer(
            APP, env={"PLACE_INSIGHT_DATA": str(fixture_data_dir)}, log_path=ARTIFACTS / "streamlit-server.log"
        ) as running:
            yield running.url
    except ServerError as exc:
        pytest.fail(str(exc))


@pytest.fixture(scope="module")
def browser(server):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()


def settle(page, *, ms: int = 1200) -> None:
    """Wait until Streamlit has finished the run and plotly has drawn every chart."""
    page.wait_for_selector("[data-testid=stApp]")
    page.wait_for_function("() => !document.querySelector('[data-testid=stStatusWidget]')", timeout=30000)
    page.wait_for_function(
        "() => [...document.querySelectorAll('[data-testid=stPlotlyChart]')].every(c => c.querySelector('.main-svg'))",
        timeout=30000,
    )
    page.wait_for_timeout(ms)


def shot(page, name: str) -> None:
    """Screenshot the whole page (Streamlit scrolls inside stMain, so grow the viewport to fit)."""
    size = page.viewport_size
    height = page.evaluate("() => document.querySelector('[data-testid=stMain]').scrollHeight")
    page.set_viewport_size({"width": size["width"], "height": min(max(int(height), size["height"]), 7000)})
    page.wait_for_timeout(800)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
    page.set_viewport_size(size)


def test_pick_a_ward_on_the_map_opens_its_profile(server, browser):
    from playwright.sync_api import expect

    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    timings = {}
    started = time.perf_counter()
    page.goto(f"{server}/?indicator=imd2025_score")
    page.wait_for_selector("canvas.maplibregl-canvas", timeout=60000)
    timings["first_map_draw_s"] = round(time.perf_counter() - started, 2)
    settle(page)
    assert "Hyndburn map" in page.locator("h1").first.inner_text()
    shot(page, "1-map-wards")

    # Click the middle of Central (the western square) on the map canvas.
    canvas = page.locator("canvas.maplibregl-canvas").first.bounding_box()
    centre, zoom = geometry.view_for((-2.40, 53.74, -2.34, 53.76))
    west, east = WARD_LONS[CENTRAL]
    dx = ((west + east) / 2 - centre["lon"]) * 512 * 2**zoom / 360
    started = time.perf_counter()
    page.mouse.click(canvas["x"] + canvas["width"] / 2 + dx, canvas["y"] + canvas["height"] / 2)
    page.wait_for_selector("h1:has-text('Central ward profile')", timeout=30000)
    timings["click_to_profile_s"] = round(time.perf_counter() - started, 2)
    settle(page)
    assert f"ward={CENTRAL}" in page.url
    expect(page.locator("[data-testid=stMetricValue]").first).to_have_text("7,000")
    shot(page, "2-ward-profile-central")
    (ARTIFACTS / "browser-timings.json").write_text(json.dumps(timings, indent=2), encoding="utf-8")
    log.info("browser timings: %s", timings)
    page.close()


def test_shared_urls_restore_views_and_every_page_renders(server, browser):
    from playwright.sync_api import expect

    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(f"{server}/ward?ward={CHURCH}&indicator=bad_health")
    page.wait_for_selector("h1:has-text('Church ward profile')", timeout=60000)
    settle(page)
    expect(page.locator("[data-testid=stMetricValue]").first).to_have_text("5,000")
    assert page.get_by_text("suppressed: fewer than 10 people").first.is_visible()
    shot(page, "3-ward-profile-church-missing-value")

    page.goto(f"{server}/?indicator=bad_health&level=lsoa&ward={BAXENDEN}")
    page.wait_for_selector("canvas.maplibregl-canvas", timeout=60000)
    settle(page)
    assert "Bad or very bad health" in page.locator("h1").first.inner_text()
    shot(page, "4-map-lsoa")

    page.goto(f"{server}/compare?wards={CHURCH},{BAXENDEN}&indicator=bad_health")
    page.wait_for_selector("h1:has-text('Compare wards')", timeout=60000)
    settle(page)
    chosen = page.locator("[data-testid=stMultiSelect]").first.inner_text()
    assert "Church" in chosen and "Baxenden" in chosen and "Central" not in chosen
    shot(page, "5-compare")

    page.goto(f"{server}/data")
    page.wait_for_selector("h1:has-text('Data and sources')", timeout=60000)
    settle(page)
    assert page.locator("[data-testid=stDownloadButton]").count() >= 5
    shot(page, "6-data-and-sources")
    page.close()
