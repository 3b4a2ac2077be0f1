"""The meeting room in a real browser (Debian's chromium, fixture data): axe-core finds no
serious or critical accessibility violation on any page or slide, every presentation slide fits
a 1280x720 projector without scrolling with chart text of 18 px or more, the map names its
wards, focus is visible, and no request leaves 127.0.0.1.

axe-core is the npm package (``.ci/run`` installs it into ``.cache/axe``); without it the
accessibility test skips, saying so."""

from __future__ import annotations

import io
from urllib.parse import urlparse

import pytest

from dashboard.core import slides
from dashboard.devserver import REPO
from tests.dashboard import test_dashboard_browser as app_browser
from tests.dashboard.conftest import BAXENDEN, CENTRAL, CHURCH, WARDS
from tests.dashboard.test_register_pages import CLEAN

server = app_browser.server  # the same module fixtures: the app on fixture data, one chromium
browser = app_browser.browser
settle = app_browser.settle

pytestmark = pytest.mark.browser
AXE = REPO / ".cache" / "axe" / "node_modules" / "axe-core" / "axe.min.js"
PAGES = {
    "map": "/?indicator=imd2025_score",
    "ward profile": f"/ward?ward={CENTRAL}",
    "compare": f"/compare?wards={CHURCH},{BAXENDEN}",
    "need and activity": "/need",
    "partner register": "/register",
    "data and sources": "/data",
    "presentation": f"/ward?present=1&wards={CENTRAL},{CHURCH}",
}
AXE_RUN = """async () => (await axe.run(document, {resultTypes: ['violations']})).violations
  .filter(v => v.impact === 'serious' || v.impact === 'critical')
  .map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.slice(0, 5).map(n => n.target.join(' '))}))"""


def open_page(browser, url: str, *, width: int = 1280, height: int = 720):
    page = browser.new_page(viewport={"width": width, "height": height})
    page.goto(url)
    page.wait_for_selector("[data-testid=stMain] h1", timeout=60000)
    settle(page)
    return page


@pytest.mark.parametrize("name", list(PAGES))
def test_axe_finds_no_serious_or_critical_violation(server, browser, name):
    if not AXE.is_file():
        pytest.skip(f"axe-core not installed at {AXE} (npm i -E axe-core@4.14.1 in .cache/axe; .ci/run does this)")
    page = open_page(browser, server + PAGES[name])
    page.add_script_tag(path=str(AXE))
    violations = page.evaluate(AXE_RUN)
    if name == "presentation":  # every section of the slides too
        for _ in slides.SECTIONS[1:]:
            page.keyboard.press("ArrowDown")
            page.wait_for_timeout(400)
            settle(page)
            page.add_script_tag(path=str(AXE))
            violations += page.evaluate(AXE_RUN)
    page.close()
    assert violations == [], violations


def slide_metrics(page) -> dict:
    return page.evaluate(
        """() => { const m = document.querySelector('[data-testid=stMain]');
        const sizes = [...document.querySelectorAll('[data-testid=stPlotlyChart] svg text')]
          .filter(t => t.textContent.trim()).map(t => parseFloat(getComputedStyle(t).fontSize));
        return {scroll: m.scrollHeight, client: m.clientHeight, width: m.scrollWidth, clientWidth: m.clientWidth,
                smallest: sizes.length ? Math.min(...sizes) : null,
                heading: (document.querySelector('[data-testid=stMain] h2') || {}).innerText || ''}; }"""
    )


def test_every_presentation_slide_fits_1280x720_without_scrolling(server, browser):
    page = open_page(browser, f"{server}/ward?present=1&wards={','.join(WARDS)}")
    seen = []
    for ward_name in WARDS.values():
        for key, label in slides.SECTIONS:
            page.wait_for_selector(f"h1:has-text('{ward_name} ward profile')", timeout=30000)
            settle(page, ms=600)
            m = slide_metrics(page)
            seen.append((ward_name, key))
            assert m["scroll"] <= m["client"] + 1, f"{ward_name} / {label} scrolls: {m}"
            assert m["width"] <= m["clientWidth"] + 1, f"{ward_name} / {label} scrolls sideways: {m}"
            if key != "overview":
                assert m["heading"].startswith(label), m
            if m["smallest"] is not None:
                assert m["smallest"] >= slides.SLIDE_FONT, f"{ward_name} / {label}: chart text {m['smallest']} px"
            page.keyboard.press("ArrowDown")
            page.wait_for_timeout(300)
        page.keyboard.press("ArrowRight")  # the next ward (its overview)
        page.wait_for_timeout(300)
    assert len(seen) == len(WARDS) * len(slides.SECTIONS)
    page.close()


def test_the_map_names_its_wards_and_no_request_leaves_loopback(server, browser):
    page = browser.new_page(viewport={"width": 1280, "height": 720})
    hosts: set[str] = set()
    page.on("request", lambda r: hosts.add(urlparse(r.url).hostname or r.url.split(":")[0]))
    page.goto(f"{server}/?indicator=imd2025_score&ward={CENTRAL}")
    page.wait_for_selector("canvas.maplibregl-canvas", timeout=60000)
    settle(page)
    names = page.locator("[data-testid=stPlotlyChart] .annotation-text").all_text_contents()
    assert set(WARDS.values()) <= set(names), names
    assert hosts <= {"127.0.0.1", "data", "blob"}, hosts
    assert page.title() == "Hyndburn - Map - Place Insight"
    page.close()


def test_keyboard_focus_has_a_visible_two_pixel_outline(server, browser):
    page = open_page(browser, f"{server}/ward?ward={CENTRAL}")
    assert page.title() == "Central - Ward profile - Place Insight"
    link = page.locator("[data-testid=stSidebarNav] a").first
    link.focus()
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Tab")  # focus from the keyboard: :focus-visible applies
    style = page.evaluate(
        "() => { const s = getComputedStyle(document.activeElement); "
        "return [s.outlineStyle, s.outlineWidth, s.outlineColor]; }"
    )
    assert style[0] == "solid" and style[1] == "2px" and style[2] == "rgb(0, 114, 178)", style  # #0072b2: 5.1:1
    page.close()


def test_an_open_page_shows_another_persons_register_change_without_a_reload(
    browser, fixture_data_dir, tmp_path_factory
):
    from dashboard.devserver import APP, ServerError, StreamlitServer
    from dashboard.register import Store

    folder = tmp_path_factory.mktemp("live-register")
    db = folder / "register.sqlite"
    env = {"DATABASE_URL": None, "PLACE_INSIGHT_DATA": str(fixture_data_dir), "PLACE_INSIGHT_REGISTER_DB": str(db)}
    try:
        with StreamlitServer(APP, env=env, log_path=folder / "server.log") as running:
            page = open_page(browser, f"{running.url}/register")
            page.wait_for_selector("text=of 0 activities", timeout=30000)
            with Store(path=db, wards=WARDS, postcodes=False, place_name="Hyndburn") as store:  # a colleague imports 2
                store.import_file(io.BytesIO(CLEAN.encode()), editor="kim", filename="colleague.csv")
            # polled every _shared.REGISTER_POLL_SECONDS (4 s): well within 15 s, and no reload
            page.wait_for_selector("text=of 2 activities", timeout=15000)
            page.close()
    except ServerError as exc:
        pytest.fail(str(exc))
