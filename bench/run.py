"""The speed and memory budget, each figure measured next to a floor taken in the same run.

    .venv/bin/python bench/run.py [--smoke] [--raw-from DIR] [--out bench/results.json]

Prints a table and writes a list of {"name", "value", "unit", "floor", "ratio", "budget", "ok"}.
``--smoke`` takes one iteration of each figure (the test suite runs it so the bench cannot rot);
the budget is only judged on a full run (``make bench``). Figures that need a part of the
machine that is missing (chromium) are reported as skipped with the reason.
"""

from __future__ import annotations

import argparse
import gzip
import json
import logging
import statistics
import sys
import tempfile
from dataclasses import asdict
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench.common import Figure, ratio_figure, seconds_figure, timed  # noqa: E402

log = logging.getLogger("bench")


def read_every_raw_file(raw: Path) -> None:
    """The floor of the build: read each registered input once with pandas/geopandas (no work on it)."""
    import geopandas as gpd
    import pandas as pd
    import pyreadr

    from pipelines.registry import load_sources
    from pipelines.settings import load_place

    for source in load_sources(load_place()).values():
        for rel in source.files:
            path = raw / rel
            if path.suffix == ".geojson":
                gpd.read_file(path)
            elif path.suffix == ".xlsx":
                pd.read_excel(path, sheet_name=None)
            elif path.suffix == ".rda":
                pyreadr.read_r(path)
            elif path.suffix == ".json":
                json.loads(path.read_text(encoding="utf-8"))
            elif path.name.endswith(".csv.gz"):
                with gzip.open(path, "rt", encoding="utf-8-sig") as fh:
                    pd.read_csv(fh, thousands=",")
            else:
                # Wide enough for every layout (Nomis downloads have title lines before the header).
                pd.read_csv(path, header=None, names=range(64), dtype=str, encoding_errors="replace")


def bench_pipeline(raw_from: Path | None, smoke: bool) -> tuple[list[Figure], Path]:
    from pipelines.build import build
    from pipelines.settings import mirror_dir

    work = Path(tempfile.mkdtemp(prefix="bench-"))
    raw, out = work / "raw", work / "tidy"
    mirror = mirror_dir(raw_from)
    full = timed(lambda: build(raw_from=mirror, raw=raw, out=out, force=True), 1 if smoke else 2)
    floor = timed(lambda: read_every_raw_file(raw), 1 if smoke else 2)
    rebuild = timed(lambda: build(raw_from=mirror, raw=raw, out=out), 1 if smoke else 3)
    full_t, floor_t, rebuild_t = min(full), min(floor), statistics.median(rebuild)
    figures = [
        ratio_figure("pipeline full build vs reading every raw file", full_t, floor_t, unit="s", max_ratio=2.0),
        Figure("pipeline rebuild, inputs unchanged", round(rebuild_t, 3), "s", budget="< 5 s", ok=rebuild_t < 5),
        Figure(
            "pipeline rebuild vs full build",
            round(rebuild_t / full_t, 3),
            "ratio",
            floor=round(full_t, 3),
            ratio=round(rebuild_t / full_t, 3),
            budget="informational",
        ),
    ]
    return figures, out


def bench_register(smoke: bool, data_dir: Path) -> list[Figure]:
    from bench.register_bench import measure_register, measure_register_page

    rows = 500 if smoke else 10_000
    m = measure_register(rows, need_repeats=1 if smoke else 5)
    page_rows = 200 if smoke else 50_000
    median, slowest, runs = measure_register_page(page_rows, data_dir, reruns=1 if smoke else 5)
    return [
        seconds_figure(
            f"register page rerun with {page_rows:,} activities (server, median)",
            median,
            2.0,
            note=f"{runs} reruns, slowest {slowest:.3f} s",
        ),  # fmt: skip
        Figure(
            f"register import of {rows:,} rows (SQLite)", round(m.import_s, 3), "s", budget="< 10 s", ok=m.import_s < 10
        ),
        Figure(
            f"need vs activity on {m.activities:,} activities", round(m.need_s, 4), "s", budget="< 1 s", ok=m.need_s < 1
        ),
    ]


def print_table(figures: list[Figure]) -> None:
    width = max(len(f.name) for f in figures)
    lines = [f"{'figure':<{width}}  {'value':>10} {'unit':<6} {'floor':>9} {'ratio':>7}  {'budget':<22} ok"]
    for f in figures:
        value = "-" if f.value is None else f"{f.value:.4g}"
        floor = "" if f.floor is None else f"{f.floor:.4g}"
        ratio = "" if f.ratio is None else f"{f.ratio:.2f}"
        ok = {True: "yes", False: "NO", None: "-"}[f.ok]
        lines.append(
            f"{f.name:<{width}}  {value:>10} {f.unit:<6} {floor:>9} {ratio:>7}  {f.budget:<22} {ok}"
            + (f"  ({f.note})" if f.note else "")
        )
    sys.stdout.write("\n".join(lines) + "\n")
    over = [f for f in figures if f.ok is False]
    for f in over:
        sys.stdout.write(
            f"OVER BUDGET: {f.name}: {f.value} {f.unit}"
            + (f" = {f.ratio}x its floor" if f.ratio else "")
            + f" (budget {f.budget})\n"
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--smoke", action="store_true", help="one iteration of each figure; budget not judged")
    parser.add_argument("--raw-from", type=Path, help="mirror folder (default as for the pipelines)")
    parser.add_argument("--out", type=Path, default=REPO / "bench" / "results.json")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")

    figures: list[Figure] = []
    pipeline_figures, tidy = bench_pipeline(args.raw_from, args.smoke)
    figures += pipeline_figures
    try:
        from bench import app_bench
    except ImportError as exc:  # the app part needs the dashboard; reported, not hidden
        figures.append(Figure("app figures", None, "", note=f"not measured: {exc}"))
    else:
        figures += app_bench.run(tidy=tidy, smoke=args.smoke)
    figures += bench_register(args.smoke, tidy.parent)

    if args.smoke:
        for f in figures:
            f.ok = None
    print_table(figures)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(
        json.dumps([{k: v for k, v in asdict(f).items() if k != "note" or v} for f in figures], indent=2),
        encoding="utf-8",
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
