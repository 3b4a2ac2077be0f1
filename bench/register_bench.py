"""Benchmark the partner activity register: import 10,000 generated rows into a temporary SQLite
register, then compute need against activity over them. Not part of the tests.

    .venv/bin/python bench/register_bench.py [--rows 10000]

Targets: import under 10 s (one transaction, bulk inserts); prints the figures.
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import random
import statistics
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import timed  # noqa: E402
from dashboard.register import REACH_PERIODS, STATUSES, TEMPLATE_COLUMNS, THEMES, Store  # noqa: E402
from dashboard.register.need import build_need_vs_activity  # noqa: E402

WARDS = {
    "E05005206": "Altham",
    "E05005207": "Barnfield",
    "E05005208": "Baxenden",
    "E05005209": "Central",
    "E05005210": "Church",
    "E05005211": "Clayton-le-Moors",
    "E05005212": "Huncoat",
    "E05005213": "Immanuel",
    "E05005214": "Milnshaw",
    "E05005215": "Netherton",
    "E05005216": "Overton",
    "E05005217": "Peel",
    "E05005218": "Rishton",
    "E05005219": "St Andrew's",
    "E05005220": "St Oswald's",
    "E05005221": "Spring Hill",
}
SECTORS = ["NHS", "council", "leisure", "voluntary/community", "other"]


def generate(path: Path, rows: int, seed: int = 1) -> None:
    rng = random.Random(seed)
    orgs = [(f"Bench organisation {i} (example)", SECTORS[i % len(SECTORS)]) for i in range(40)]
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(TEMPLATE_COLUMNS))
        writer.writeheader()
        for i in range(rows):
            org, sector = rng.choice(orgs)
            has_reach = rng.random() < 0.8
            writer.writerow(
                {
                    "organisation": org,
                    "sector": sector,
                    "title": f"Activity {i}",
                    "description": "EXAMPLE benchmark row",
                    "activity_type": rng.choice(["service", "programme", "event"]),
                    "themes": "; ".join(rng.sample(THEMES, rng.randint(1, 3))),
                    "status": rng.choice(STATUSES),
                    "start_date": f"2025-{rng.randint(1, 12):02d}-01",
                    "end_date": "",
                    "reach_count": rng.randint(0, 500) if has_reach else "",
                    "reach_unit": rng.choice(["people", "sessions"]) if has_reach else "",
                    "reach_period": rng.choice(REACH_PERIODS) if has_reach else "",
                    "wards": "; ".join(rng.sample(list(WARDS.values()), rng.randint(1, 3))),
                    "contact_role": "Project coordinator",
                }
            )


@dataclass(frozen=True)
class RegisterTimes:
    database: str
    created: int
    activities: int
    gaps: int
    export_bytes: int
    import_s: float
    frame_s: float
    need_s: float  # the median over the repeats
    export_s: float


def measure_register(rows: int, *, database_url: str | None = None, need_repeats: int = 1) -> RegisterTimes:
    """Import ``rows`` generated activities into an empty register (a temporary SQLite file unless
    ``database_url``), read them back, compute need against activity and export them, timing each."""
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "bench.csv"
        generate(source, rows)
        url = database_url or f"sqlite:///{Path(tmp) / 'bench.sqlite'}"
        with Store(url, wards=WARDS, postcodes=False, place_name="bench") as store:
            results: dict[str, object] = {}
            import_s = timed(lambda: results.update(imported=store.import_file(source, editor="bench")))[0]
            frame_s = timed(lambda: results.update(frame=store.frame()))[0]
            frame = results["frame"]
            rng = random.Random(2)
            need = pd.DataFrame(
                {
                    "ward_code": list(WARDS),
                    "ward_name": list(WARDS.values()),
                    "value": [rng.uniform(5, 40) for _ in WARDS],
                    "population": [rng.randint(3_500, 7_500) for _ in WARDS],
                }
            )
            need_times = timed(
                lambda: results.update(need=build_need_vs_activity(need, frame, statuses=None)), need_repeats
            )
            export_s = timed(lambda: results.update(exported=store.export_bytes("csv")))[0]
    return RegisterTimes(
        database=url.split(":")[0],
        created=results["imported"].created,
        activities=len(frame),
        gaps=len(results["need"].gaps),
        export_bytes=len(results["exported"]),
        import_s=import_s,
        frame_s=frame_s,
        need_s=statistics.median(need_times),
        export_s=export_s,
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--database-url", help="an empty database to use instead of a temporary SQLite file")
    args = parser.parse_args()
    m = measure_register(args.rows, database_url=args.database_url)
    lines = [
        f"database:                    {m.database}",
        f"rows imported:               {m.created:,}",
        f"import (check + write):      {m.import_s:.2f} s ({m.created / m.import_s:,.0f} rows/s; target < 10 s)",
        f"read all into a frame:       {m.frame_s:.2f} s",
        f"need vs activity ({m.activities:,} acts): {m.need_s:.3f} s; {m.gaps} high-need low-activity wards",
        f"export to CSV:               {m.export_s:.2f} s ({m.export_bytes / 1e6:.1f} MB)",
    ]
    sys.stdout.write("\n".join(lines) + "\n")
    return 0 if m.import_s < 10 else 1


if __name__ == "__main__":
    sys.exit(main())


def measure_register_page(rows: int, data_dir: Path, *, reruns: int = 5) -> tuple[float, float, int]:
    """A register of ``rows`` generated activities (a temporary SQLite file) behind the real app:
    the /register page loaded by one websocket session, then rerun ``reruns`` times. Returns the
    median and the slowest of the server's rerun times (the app's run log) and the runs seen."""
    from bench import ws_load
    from bench.shared_bench import reruns as logged_reruns
    from dashboard.devserver import APP, StreamlitServer
    from pipelines import settings

    with tempfile.TemporaryDirectory() as tmp:
        source, db, run_log = Path(tmp) / "bench.csv", Path(tmp) / "register.sqlite", Path(tmp) / "runs.tsv"
        generate(source, rows)
        with Store(path=db, wards=WARDS, postcodes=False, place_name="bench") as store:
            store.import_file(source, editor="bench")
        env = {
            settings.DATA_ENV: str(data_dir),
            settings.REGISTER_DB_ENV: str(db),
            settings.DATABASE_URL_ENV: None,
            settings.RUN_LOG_ENV: str(run_log),
        }
        server = StreamlitServer(APP, env=env, timeout=120)
        try:

            async def drive() -> None:
                session = await ws_load.connect(server.url, "bench-register")
                try:
                    await session.run(page="register")
                    for _ in range(reruns):
                        await session.run()
                finally:
                    await session.ws.close()

            asyncio.run(drive())
        finally:
            server.stop()
        times = logged_reruns(run_log, page="register")
    return statistics.median(times), max(times), len(times)
