"""``python -m dashboard.briefs --out DIR [--ward CODE] [--format pdf|png|both]``.

Exit 0 done, 2 could not run (unknown ward, no data, no rasteriser), with the reason on stderr.
"""

from __future__ import annotations

import argparse
import logging
import sys
import time

from dashboard.briefs import PngError, UnknownWard, write_briefs
from dashboard.core.export import ExportError
from dashboard.core.tidy_tables import TidyDataMissing, current_tidy_dir, read_tidy

FORMATS = {"pdf": ("pdf",), "png": ("png",), "both": ("pdf", "png")}


def parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m dashboard.briefs", description="Write one-page A4 ward briefs (PDF and/or PNG)."
    )
    parser.add_argument("--out", required=True, help="folder to write the briefs into (created if needed)")
    parser.add_argument(
        "--ward", action="append", help="a ward code (repeat for several; default: every ward of the place)"
    )
    parser.add_argument("--format", choices=sorted(FORMATS), default="both", help="pdf, png or both (default both)")
    parser.add_argument("--dpi", type=int, default=150, help="PNG resolution (default 150)")
    parser.add_argument("-v", "--verbose", action="store_true")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING, format="%(levelname)s %(name)s: %(message)s"
    )
    wards = [w.strip() for value in args.ward or [] for w in value.split(",") if w.strip()] or None
    started = time.perf_counter()
    try:
        tidy = read_tidy(current_tidy_dir())
        files = write_briefs(tidy, args.out, wards=wards, formats=FORMATS[args.format], dpi=args.dpi)
    except UnknownWard as exc:
        sys.stderr.write(f"error: unknown ward code: {exc}\n")
        return 2
    except TidyDataMissing as exc:
        sys.stderr.write(f"error: {exc}\n")
        return 2
    except (PngError, ExportError) as exc:
        sys.stderr.write(f"error: {exc}\n")
        return 2
    sys.stdout.write(f"wrote {len(files)} file(s) to {args.out} in {time.perf_counter() - started:.1f} s\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
