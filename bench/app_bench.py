"""App figures of the budget: cold start, rerun latency, figure size, server memory under load.

Each is measured next to a floor taken in the same run:
- cold start vs a minimal app drawing a one-polygon ``choropleth_map`` (map start-up in a
  software-rendered browser dominates, so that is the honest floor);
- reruns (AppTest) vs a *render floor*: a script that only emits the same elements (figures,
  tables, metrics, text), captured from the real app and loaded from disk, so the ratio shows
  what the project's own work adds on top of Streamlit and plotly drawing them.
"""

from __future__ import annotations

import asyncio
import json
import os
import pickle
import statistics
import sys
import tempfile
import time
from pathlib import Path

from bench import shared_bench
from bench.common import Figure, ratio_figure
from bench.shared_bench import p95 as _p95
from bench.shared_bench import reruns
from dashboard.devserver import APP, CHROMIUM, CHROMIUM_ARGS, REPO, StreamlitServer
from pipelines import settings

WARDS = ("E05005209", "E05005210")  # Central, Church
INDICATORS = ("imd2025_score", "bad_health")
PROFILE_PAGE = "app_pages/ward_profile.py"
MAP_PAGE = "app_pages/map.py"

FLOOR_MAP_APP = """
import plotly.graph_objects as go
import streamlit as st
square = {"type": "FeatureCollection", "features": [{"type": "Feature", "id": "a", "properties": {},
          "geometry": {"type": "Polygon", "coordinates": [[[-2.40, 53.74], [-2.34, 53.74], [-2.34, 53.77],
                                                          [-2.40, 53.77], [-2.40, 53.74]]]}}]}
fig = go.Figure(go.Choroplethmap(geojson=square, locations=["a"], z=[1]))
fig.update_layout(map_style="white-bg", map_center={"lon": -2.37, "lat": 53.755}, map_zoom=11)
st.title("floor")
st.plotly_chart(fig)
"""

RENDER_FLOOR_APP = """
import pickle
import plotly.io as pio
import streamlit as st
states = pickle.load(open("STATES", "rb"))
choice = st.selectbox("state", list(states), key="state")
for n, (kind, payload) in enumerate(states[choice]):
    if kind == "plotly_chart":
        st.plotly_chart(pio.from_json(payload), key=f"chart-{n}")
    elif kind == "dataframe":
        st.dataframe(payload)
    elif kind == "metric":
        st.metric(*payload)
    elif kind in ("markdown", "caption", "title", "header", "subheader", "text", "info", "warning", "success", "error"):
        getattr(st, kind)(payload)
    elif kind == "download_button":
        st.download_button(payload, data=b"x", key=f"dl-{n}")
    elif kind == "expander":
        st.expander(payload)
    elif kind == "toggle":
        st.toggle(payload, key=f"tg-{n}")
    elif kind == "selectbox":
        st.selectbox(payload[0], payload[1], key=f"sb-{n}")
    elif kind == "radio":
        st.radio(payload[0], payload[1], key=f"rd-{n}")
    elif kind == "multiselect":
        st.multiselect(payload[0], payload[1], key=f"ms-{n}")
"""


def times_to_map(urls: dict[str, str], repeat: int) -> dict[str, list[float]]:
    """Seconds from opening each URL (a fresh browser each time) until the map canvas is drawn,
    ``repeat`` times, taking the URLs in turn (a, b, a, b ...) so that a slower spell of the
    machine falls on all of them alike rather than on whichever was measured then."""
    from playwright.sync_api import sync_playwright

    times: dict[str, list[float]] = {name: [] for name in urls}
    with sync_playwright() as p:
        for _ in range(repeat):
            for name, url in urls.items():
                browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
                page = browser.new_page(viewport={"width": 1400, "height": 1000})
                started = time.perf_counter()
                page.goto(url)
                page.wait_for_selector("canvas.maplibregl-canvas", timeout=60000)
                times[name].append(time.perf_counter() - started)
                browser.close()
    return times


# --------------------------------------------------------------------------------- reruns


def capture(at) -> list[tuple[str, object]]:
    """The elements a run emitted (main area and sidebar), in order, as (kind, payload) to
    replay in the render floor: charts, tables, metrics, text, notices, widgets and buttons."""
    out: list[tuple[str, object]] = []
    for root in (at.main, at.sidebar):
        out.extend(_walk(root))
    return out


TEXT_KINDS = ("markdown", "caption", "title", "header", "subheader", "text", "info", "warning", "success", "error")


def _walk(node) -> list[tuple[str, object]]:
    kind = getattr(node, "type", "")
    proto = getattr(node, "proto", None)
    if kind == "plotly_chart" or getattr(proto, "spec", None):
        return [("plotly_chart", proto.spec)]
    if kind in TEXT_KINDS:
        return [(kind, node.value)]
    if kind == "metric":
        return [("metric", (node.label, node.value))]
    if kind in ("arrow_data_frame", "dataframe"):
        return [("dataframe", node.value)]
    if kind == "download_button":
        return [("download_button", getattr(proto, "label", "download"))]
    if kind in ("toggle", "checkbox"):
        return [("toggle", node.label)]
    if kind in ("selectbox", "radio", "multiselect"):
        return [(kind, (node.label, [str(o) for o in node.options]))]
    out = [("expander", getattr(proto, "label", "") or "section")] if kind == "expander" else []
    for child in getattr(node, "children", {}).values():
        out.extend(_walk(child))
    return out


def wait_for_background_work(timeout: float = 60) -> None:
    """Let the app's one-off background work (building every ward's profile after a build is
    first drawn) finish, so that steady-state reruns are not measured against it."""
    import threading

    for thread in threading.enumerate():
        if thread.name == "warm-ward-profiles":
            thread.join(timeout)


def rerun_times(at, step, runs: int) -> list[float]:
    times = []
    for i in range(runs):
        started = time.perf_counter()
        step(at, i)
        times.append(time.perf_counter() - started)
        if at.exception:
            raise RuntimeError(f"app raised during the bench: {at.exception[0].value}")
    return times


def bench_reruns(data_dir: Path, runs: int) -> list[Figure]:
    from streamlit.testing.v1 import AppTest

    from dashboard import loaders

    loaders.WARM_AFTER_SECONDS = 0  # in-process: warm at once, then measure without it (wait_for_background_work)
    os.environ[settings.DATA_ENV] = str(data_dir)  # the app under test reads its data folder from here
    scenarios = {
        "switching ward (profile page)": (
            PROFILE_PAGE,
            lambda at, i: at.selectbox(key="ward").set_value(WARDS[i % 2]).run(),
        ),
        "switching indicator (map page)": (
            MAP_PAGE,
            lambda at, i: at.selectbox(key="indicator").set_value(INDICATORS[i % 2]).run(),
        ),
        "switching page (map <-> profile)": (
            MAP_PAGE,
            lambda at, i: at.switch_page(PROFILE_PAGE if i % 2 == 0 else MAP_PAGE).run(),
        ),
    }
    figures = []
    floor_dir = Path(tempfile.mkdtemp(prefix="render-floor-"))
    for name, (start_page, step) in scenarios.items():
        at = AppTest.from_file(str(APP), default_timeout=120)
        at.run()
        at.switch_page(start_page).run()
        step(at, 0)  # warm the caches, as a user's second click would
        wait_for_background_work()
        real = rerun_times(at, step, runs)
        states = {}
        for i in (0, 1):
            step(at, i)
            states[f"s{i}"] = capture(at)
        states_path = floor_dir / f"{abs(hash(name))}.pkl"
        states_path.write_bytes(pickle.dumps(states))
        script = floor_dir / f"floor_{abs(hash(name))}.py"
        script.write_text(RENDER_FLOOR_APP.replace('"STATES"', repr(str(states_path))), encoding="utf-8")
        floor_at = AppTest.from_file(str(script), default_timeout=120)
        floor_at.run()
        floor = rerun_times(floor_at, lambda a, i: a.selectbox(key="state").set_value(f"s{i % 2}").run(), runs)
        med, floor_med = statistics.median(real), statistics.median(floor)
        p95 = _p95(real)
        figures.append(ratio_figure(f"rerun median: {name}", med, floor_med, unit="s", max_ratio=1.5))
        figures.append(Figure(f"rerun p95: {name}", round(p95, 4), "s", budget="informational"))
    figures.append(first_views(runs))
    return figures


def first_views(runs: int) -> Figure:
    """A ward's profile the first time anyone opens it after a (re)build: nothing cached yet."""
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    st.cache_resource.clear()
    st.cache_data.clear()
    at = AppTest.from_file(str(APP), default_timeout=120)
    at.run()
    at.switch_page(PROFILE_PAGE).run()
    wards = [w for w in at.selectbox(key="ward").options if w != at.selectbox(key="ward").value][
        : max(2, min(runs, 15))
    ]
    times = rerun_times(at, lambda a, i: a.selectbox(key="ward").set_value(wards[i]).run(), len(wards))
    return Figure(
        "rerun median: first view of a ward (nothing cached)",
        round(statistics.median(times), 4),
        "s",
        budget="informational",
        note=f"{len(wards)} wards, each opened once",
    )


# --------------------------------------------------------------------------------- sizes


def bench_figure_sizes(data_dir: Path) -> list[Figure]:
    from dashboard.core import mapview, selection
    from dashboard.core.tidy_tables import read_tidy

    tidy = read_tidy(str(data_dir / "tidy"))
    names = selection.ward_names(tidy)
    out = []
    for level, budget in (("ward", 300_000), ("lsoa", None)):
        # The map as the page draws it: names, neighbouring districts, selection outline, sites.
        fig = mapview.build_map_view(
            tidy,
            indicator="imd2025_score",
            level=level,
            ward=next(iter(names)),
            ward_names=names,
            activities=None,
            show_sites=True,
        ).figure
        size = len(fig.to_json().encode())
        out.append(
            Figure(
                f"{level} map figure JSON",
                size / 1000,
                "KB",
                budget="<= 300 KB" if budget else "informational",
                ok=(size <= budget) if budget else None,
            )
        )
    return out


# --------------------------------------------------------------------------------- load


SWITCH_TIMEOUT_MS = 180_000  # ten pages drawing at once on two cores are slow, not stuck


async def _session(browser, url: str, switches: int, times: list[float], stuck: list[str]) -> None:
    """One browser page on the ward profile switching ward ``switches`` times; each switch's
    seconds go to ``times``. A switch that does not finish within SWITCH_TIMEOUT_MS is recorded
    in ``stuck`` (with a screenshot of the page) and the session goes on, so that one slow page
    does not lose the other sessions' figures."""
    from playwright.async_api import TimeoutError as PlaywrightTimeout

    page = await browser.new_page(viewport={"width": 1300, "height": 900})
    page.set_default_timeout(SWITCH_TIMEOUT_MS)
    await page.goto(f"{url}/ward?ward={WARDS[0]}")
    await page.wait_for_selector("h1")
    await page.wait_for_function("() => !document.querySelector('[data-testid=stStatusWidget]')")
    names = {WARDS[0]: "Central", WARDS[1]: "Church"}
    current = WARDS[0]
    for _ in range(switches):
        target = next(w for w in WARDS if w != current)
        try:
            await page.locator("[data-testid=stSidebar] [data-testid=stSelectbox]").first.click()
            option = page.get_by_role("option", name=names[target], exact=True)
            started = time.perf_counter()
            await option.click()
            await page.wait_for_selector(f"h1:has-text('{names[target]} ward profile')")
            await page.wait_for_function("() => !document.querySelector('[data-testid=stStatusWidget]')")
            times.append(time.perf_counter() - started)
            current = target
        except PlaywrightTimeout:
            shot = Path(tempfile.mkdtemp(prefix="bench-stuck-")) / "page.png"
            await page.screenshot(path=str(shot))
            stuck.append(f"{names[current]} -> {names[target]} ({shot})")
            await page.goto(f"{url}/ward?ward={current}")  # start that session again where it was
            await page.wait_for_selector("h1")
    await page.close()


async def _drive(url: str, sessions: int, switches: int) -> tuple[list[float], list[str]]:
    from playwright.async_api import async_playwright

    times: list[float] = []
    stuck: list[str] = []
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        await asyncio.gather(*(_session(browser, url, switches, times, stuck) for _ in range(sessions)))
        await browser.close()
    return times, stuck


def bench_load(data_dir: Path, smoke: bool) -> list[Figure]:
    """Server memory with 1 and 10 sessions driven at once (browser pages switching ward), and
    the rerun p95 under that load: measured in the server (each script run's duration, logged by
    the app when PLACE_INSIGHT_RUN_LOG is set) and, for information, as the browser saw it (on this
    2-core machine the 10 pages' own drawing competes with the server for the same cores)."""
    out = []
    for sessions in (1, 10):
        run_log = Path(tempfile.mkdtemp(prefix="runlog-")) / "runs.tsv"
        server = StreamlitServer(APP, env={settings.DATA_ENV: str(data_dir), settings.RUN_LOG_ENV: str(run_log)})
        try:
            n_sessions = sessions if not smoke else min(sessions, 2)
            client_times, stuck = asyncio.run(_drive(server.url, n_sessions, 2 if smoke else 5))
            peak = server.peak_rss_mb()
        finally:
            server.stop()
        runs = reruns(run_log)
        budget_mb = 400 if sessions == 10 else None
        out.append(
            Figure(
                f"server peak memory, {sessions} session(s)",
                round(peak, 1),
                "MB",
                budget="<= 400 MB" if budget_mb else "informational",
                ok=(peak <= budget_mb) if budget_mb else None,
            )
        )
        if sessions == 10:
            p95 = _p95(runs) if runs else float("nan")
            out.append(
                Figure(
                    f"rerun p95 under {n_sessions} sessions (server, profile page runs)",
                    round(p95, 3),
                    "s",
                    budget="<= 1 s",
                    ok=p95 <= 1.0,
                    note=f"{len(runs)} runs",
                )
            )
            out.append(
                Figure(
                    f"rerun p95 under {n_sessions} sessions (as the browsers saw it)",
                    round(_p95(client_times), 3),
                    "s",
                    budget="informational",
                    note="includes the 10 pages' own drawing on the same 2 cores",
                )
            )
            out.append(
                Figure(
                    f"ward switches not finished within {SWITCH_TIMEOUT_MS // 1000} s ({n_sessions} browser pages)",
                    len(stuck),
                    "switches",
                    budget="0",
                    ok=not stuck,
                    note="; ".join(stuck),
                )
            )
    return out


def bench_cold_start(data_dir: Path, smoke: bool) -> Figure:
    """URL opened to map drawn, the app against a one-polygon map app (headless chromium)."""
    floor_script = Path(tempfile.mkdtemp(prefix="floor-app-")) / "floor_map.py"
    floor_script.write_text(FLOOR_MAP_APP, encoding="utf-8")
    repeat = 1 if smoke else 5
    # Both servers freshly started (so each one's first load is a cold start), then loaded in
    # turn: floor, app, floor, app ...
    with (
        StreamlitServer(floor_script) as floor_server,
        StreamlitServer(APP, env={settings.DATA_ENV: str(data_dir)}) as app_server,
    ):
        loads = times_to_map({"floor": floor_server.url, "app": app_server.url}, repeat)
    cold, floor = statistics.median(loads["app"]), statistics.median(loads["floor"])
    first = f"first loads after start: app {loads['app'][0]:.2f} s, floor {loads['floor'][0]:.2f} s"
    figure = ratio_figure("app cold start to map drawn vs one-polygon map app", cold, floor, unit="s", max_ratio=1.5)
    figure.note = f"median of {repeat} fresh browsers each, taken in turn; {first}"
    return figure


def run(*, tidy: Path, smoke: bool) -> list[Figure]:
    data_dir = Path(tidy).parent
    figures: list[Figure] = []
    figures += bench_figure_sizes(data_dir)
    figures += bench_reruns(data_dir, 2 if smoke else 30)
    figures += shared_bench.bench_sessions(data_dir, smoke)  # websocket sessions: no browser needed
    figures += shared_bench.bench_two_instances(data_dir, smoke)
    if not CHROMIUM.exists():
        return figures + [
            Figure("browser figures", None, "", note="not measured: needs /usr/bin/chromium (apt-get install chromium)")
        ]
    figures.append(bench_cold_start(data_dir, smoke))
    figures += bench_load(data_dir, smoke)
    return figures


if __name__ == "__main__":
    sys.stdout.write(json.dumps([f.__dict__ for f in run(tidy=REPO / "data" / "tidy", smoke=True)], indent=2) + "\n")
