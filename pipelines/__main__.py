"""Command line: ``python -m pipelines fetch|build [--raw-from DIR] [--force]``."""

from __future__ import annotations

import argparse
import logging
import sys

from pipelines.build import build
from pipelines.errors import ConfigError, DataError
from pipelines.fetch import fetch_sources
from pipelines.registry import load_sources
from pipelines.settings import load_place, mirror_dir, raw_dir, tidy_dir


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m pipelines", description="Place Insight data pipelines")
    sub = parser.add_subparsers(dest="command", required=True)
    for name, help_text in (("fetch", "get the raw files into data/raw/"), ("build", "fetch, then build data/tidy/")):
        p = sub.add_parser(name, help=help_text)
        p.add_argument(
            "--raw-from",
            metavar="DIR",
            help="a mirror folder laid out like data/raw (default: $PLACE_INSIGHT_RAW_FROM, else ../shared/data/raw "
            "beside the repository when present, else download from the official URLs)",
        )
        if name == "build":
            p.add_argument("--force", action="store_true", help="rebuild even when inputs and code are unchanged")
    sub.add_parser("docs", help="rewrite the indicator section of data/README.md from data/tidy/")
    parser.add_argument("-q", "--quiet", action="store_true")
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.WARNING if args.quiet else logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    log = logging.getLogger("pipelines")
    try:
        if args.command == "docs":
            from pipelines.docs import write_dictionary

            write_dictionary(tidy_dir())
        elif args.command == "fetch":
            place = load_place()
            fetch_sources(load_sources(place).values(), dest=raw_dir(), mirror=mirror_dir(args.raw_from))
        else:
            stamp = build(raw_from=args.raw_from, force=args.force)
            log.info("done in %.1f s%s", stamp["seconds"], " (up to date)" if stamp.get("skipped") else "")
    except (DataError, ConfigError) as exc:
        log.error("%s", exc)
        sys.stderr.write(f"\nBuild stopped, nothing was changed:\n  {exc}\n")
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
