"""Load and sharing figures: many sessions on one app process, and two processes on one database.

- ``bench_sessions``: ``SESSIONS`` sessions at once (``bench.ws_load``: Streamlit's websocket
  protocol, no browser drawing), each on the ward profile switching ward after 2-6 s of thinking;
  the p95 of the server's own rerun times (the app's run log, PLACE_INSIGHT_RUN_LOG), budget 2 s.
- ``bench_two_instances``: two app processes behind nginx (``dashboard.serve_shared``) on one
  PostgreSQL database (DATABASE_URL): the same load spread over both; an activity saved in the
  database shows on the register page of each process at once (no stale per-process copy); and
  pairs of concurrent edits of one activity from two connections: one is saved, the other gets a
  conflict, none is lost. Needs DATABASE_URL to be PostgreSQL and nginx; otherwise reported as
  not measured, with the reason.
"""

from __future__ import annotations

import tempfile
import threading
import uuid
from pathlib import Path

import sqlalchemy as sa

from bench import ws_load
from bench.common import Figure, seconds_figure
from dashboard.devserver import APP, StreamlitServer
from pipelines import settings

SESSIONS = 30
THINK = (2.0, 6.0)
BUDGET_S = 2.0
WARDS = {"E05005206": "Altham", "E05005208": "Baxenden", "E05005209": "Central", "E05005210": "Church"}
EDIT_PAIRS = 20
ACTIVITY = {  # one valid activity in the import template's terms
    "organisation": "Bench Walkers (example)",
    "sector": "voluntary/community",
    "title": "Bench walk",
    "activity_type": "event",
    "themes": "physical activity",
    "status": "active",
    "wards": "Central",
    "contact_role": "Walk leader",
}


def reruns(run_log: Path, *, page: str = "ward") -> list[float]:
    """Every rerun of ``page`` in the log (each session's first run, the page load, left out)."""
    seen: set[str] = set()
    out = []
    for line in run_log.read_text().splitlines() if run_log.exists() else []:
        seconds, shown, session = line.split("\t")
        if session not in seen:
            seen.add(session)
        elif shown == page:
            out.append(float(seconds))
    return out


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[max(0, int(round(0.95 * len(ordered))) - 1)] if ordered else float("nan")


def _load_figure(name: str, runs: list[float], wall: float) -> Figure:
    note = f"{len(runs)} reruns, median {sorted(runs)[len(runs) // 2]:.3f} s, {wall:.0f} s wall" if runs else ""
    return seconds_figure(name, p95(runs), BUDGET_S, note=note)


def _load(url: str, smoke: bool) -> tuple[str, float]:
    """Drive the load; returns its description ("30 sessions, think 2-6 s") and the wall seconds."""
    sessions, switches = (2, 1) if smoke else (SESSIONS, 8)
    think = (0.1, 0.3) if smoke else THINK
    wall = ws_load.drive(url, sessions=sessions, wards=WARDS, switches=switches, think=think)
    return f"{sessions} sessions, think {think[0]:g}-{think[1]:g} s", wall


def bench_sessions(data_dir: Path, smoke: bool) -> list[Figure]:
    run_log = Path(tempfile.mkdtemp(prefix="runlog-")) / "runs.tsv"
    server = StreamlitServer(APP, env={settings.DATA_ENV: str(data_dir), settings.RUN_LOG_ENV: str(run_log)})
    try:
        load, wall = _load(server.url, smoke)
        peak = server.peak_rss_mb()
    finally:
        server.stop()
    runs = reruns(run_log)
    return [
        _load_figure(f"rerun p95 under {load} (server, one process)", runs, wall),
        Figure(f"server peak memory, {load}", round(peak, 1), "MB", budget="informational"),
    ]


def _fresh_database(admin_url: str) -> tuple[str, sa.Engine, str]:
    """A new empty database next to ``admin_url``'s, for the bench only (dropped afterwards)."""
    name = f"bench_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    return str(sa.make_url(admin_url).set(database=name).render_as_string(hide_password=False)), admin, name


def concurrent_edits(url: str, pairs: int) -> tuple[int, int, int]:
    """``pairs`` rounds of two simultaneous edits of one activity from two connections, both from
    the same version. Returns (saved, conflicts, final version - 1): with no lost update saved ==
    pairs == conflicts and the final version counts every saved edit."""
    from dashboard.register import ConflictError, Store

    one, two = (Store(url, wards=WARDS, postcodes=False, place_name="bench") for _ in range(2))
    try:
        record = one.create(ACTIVITY, editor="bench").record_id
        outcomes: list[str] = []

        def edit(store: Store, text: str, version: int, barrier: threading.Barrier) -> None:
            barrier.wait()  # both start together, from the same version
            try:
                store.update(record, {"description": text}, expected_version=version, editor="bench")
                outcomes.append("saved")
            except ConflictError:
                outcomes.append("conflict")

        for n in range(pairs):
            version, barrier = one.get(record).version, threading.Barrier(2)
            threads = [
                threading.Thread(target=edit, args=(store, f"edit {n} from {i}", version, barrier))
                for i, store in enumerate((one, two))
            ]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
        saved, conflicts = outcomes.count("saved"), outcomes.count("conflict")
        return saved, conflicts, one.get(record).version - 1
    finally:
        one.close()
        two.close()


def bench_two_instances(data_dir: Path, smoke: bool) -> list[Figure]:
    from dashboard.serve_shared import SharedDeployment, nginx_binary

    admin_url = settings.database_url()
    if not admin_url.startswith("postgresql"):
        return [Figure("two instances on one database", None, "", note="not measured: DATABASE_URL is not PostgreSQL")]
    try:
        nginx_binary()
    except SystemExit as exc:
        return [Figure("two instances on one database", None, "", note=f"not measured: {exc}")]
    from dashboard.devserver import free_port
    from dashboard.register import Store

    url, admin, name = _fresh_database(admin_url)
    run_log = Path(tempfile.mkdtemp(prefix="runlog-")) / "runs.tsv"
    env = {settings.DATA_ENV: str(data_dir), settings.RUN_LOG_ENV: str(run_log), settings.DATABASE_URL_ENV: url}
    figures: list[Figure] = []
    try:
        with SharedDeployment(2, port=free_port(), env=env, run_dir=Path(tempfile.mkdtemp(prefix="shared-"))) as shared:
            title = f"Bench walk {uuid.uuid4().hex[:6]}"
            with Store(url, wards=WARDS, postcodes=False, place_name="bench") as store:
                store.create(ACTIVITY | {"title": title}, editor="bench")
            seen = [any("1 of 1 activities" in t for t in ws_load.page_text(s.url, "register")) for s in shared.servers]
            figures.append(
                Figure(
                    "an activity saved shows on both instances' register page at once",
                    sum(seen),
                    "of 2",
                    budget="2 of 2",
                    ok=all(seen),
                )
            )
            saved, conflicts, versions = concurrent_edits(url, 2 if smoke else EDIT_PAIRS)
            lost = saved - versions
            figures.append(
                Figure(
                    f"lost updates in {saved + conflicts} concurrent edits (two connections)",
                    lost,
                    "edits",
                    budget="0",
                    ok=lost == 0 and conflicts == saved,
                    note=f"{saved} saved, {conflicts} refused as conflicts",
                )
            )
            load, wall = _load(shared.url, smoke)
        figures.append(_load_figure(f"rerun p95 under {load} on 2 instances (server)", reruns(run_log), wall))
    finally:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
    return figures
