"""Command line for the register: import, export, load the example, preview.

    python -m dashboard.register import FILE [--editor NAME]
    python -m dashboard.register preview FILE
    python -m dashboard.register export OUT            (.csv or .xlsx)
    python -m dashboard.register load-example
    python -m dashboard.register backup OUT            (.json, or .zip for zipped JSON)
    python -m dashboard.register restore FILE          (into an EMPTY register only)

The database is ``--database-url``, else ``--db PATH`` (SQLite), else ``DATABASE_URL``, else
``data/register.sqlite``. Exit codes: 0 done, 1 the file was refused (every problem listed on
stderr), 2 the command could not run (bad arguments, missing ward list, unreadable database).
"""

from __future__ import annotations

import argparse
import getpass
import logging
import sys
from collections.abc import Sequence
from pathlib import Path

from dashboard.register.errors import ImportRefused, RegisterError
from dashboard.register.store import Store
from pipelines import settings

log = logging.getLogger("dashboard.register")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m dashboard.register", description="The partner activity register.")
    parser.add_argument("--database-url", help="SQLAlchemy URL (default: $DATABASE_URL, else data/register.sqlite)")
    parser.add_argument("--db", type=Path, help="an SQLite file to use instead of data/register.sqlite")
    parser.add_argument("-v", "--verbose", action="store_true", help="log each step")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("import", help="import a CSV or .xlsx file (all rows or none)")
    p.add_argument("file", type=Path)
    p.add_argument("--editor", default=None, help="who is importing (default: the user name)")
    p = sub.add_parser("preview", help="check a file and list its problems without importing")
    p.add_argument("file", type=Path)
    p = sub.add_parser("export", help="export every activity to a .csv or .xlsx file")
    p.add_argument("out", type=Path)
    p = sub.add_parser("load-example", help="import the EXAMPLE activities (data/examples/)")
    p.add_argument("--editor", default="example-loader")
    p = sub.add_parser("backup", help="write every table, with history, to a .json or .zip file")
    p.add_argument("out", type=Path)
    p = sub.add_parser("restore", help="restore a backup file into an EMPTY register")
    p.add_argument("file", type=Path)
    return parser


def _editor(value: str | None) -> str:
    if value:
        return value
    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):
        return "cli"


def _report_refusal(exc: ImportRefused) -> None:
    sys.stderr.write(exc.preview.summary() + "\n")
    for issue in exc.preview.issues:
        sys.stderr.write(f"  {issue}\n")


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING, format="%(levelname)s %(name)s: %(message)s"
    )
    try:
        store = Store(args.database_url, path=args.db)
    except RegisterError as exc:
        sys.stderr.write(f"error: {exc}\n")
        return 2
    except Exception as exc:  # noqa: BLE001 (any driver error: say which database and stop)
        sys.stderr.write(f"error: could not open the register database ({exc})\n")
        return 2
    try:
        if args.command == "load-example":
            loaded = [o for o in store.organisations() if o.name.endswith("(example)") and o.activity_count]
            if loaded:
                sys.stdout.write(
                    f"the example is already loaded ({sum(o.activity_count for o in loaded)} "
                    "example activities); nothing was added\n"
                )
                return 0
        if args.command in ("import", "load-example"):
            file = args.file if args.command == "import" else settings.example_path()
            if not file.exists():
                sys.stderr.write(f"error: {file} does not exist\n")
                return 2
            try:
                result = store.import_file(file, editor=_editor(args.editor))
            except ImportRefused as exc:
                _report_refusal(exc)
                return 1
            for issue in result.warnings:
                sys.stderr.write(f"  {issue}\n")
            sys.stdout.write(
                f"{file.name}: {result.created} added, {result.updated} updated, "
                f"{result.unchanged} unchanged; the register now holds {store.count()} activities\n"
            )
        elif args.command == "preview":
            preview = store.preview_import(args.file)
            sys.stdout.write(preview.summary() + "\n")
            for issue in preview.issues:
                sys.stdout.write(f"  {issue}\n")
            return 0 if preview.ok else 1
        elif args.command == "backup":
            from dashboard.register.backup import backup

            summary = backup(store.engine, args.out)
            sys.stdout.write(
                f"backed up {summary.counts.get('activity', 0)} activities and "
                f"{summary.counts.get('activity_history', 0)} history entries to {args.out} "
                f"(sha256 {summary.sha256})\n"
            )
        elif args.command == "restore":
            from dashboard.register.backup import RestoreRefused, restore

            if not args.file.exists():
                sys.stderr.write(f"error: {args.file} does not exist\n")
                return 2
            try:
                counts = restore(args.file, store.engine, check=store.check)
            except RestoreRefused as exc:
                sys.stderr.write(f"refused: {exc}\n")
                return 1
            sys.stdout.write(
                f"restored {counts.get('activity', 0)} activities and "
                f"{counts.get('activity_history', 0)} history entries from {args.file}\n"
            )
        elif args.command == "export":
            if args.out.suffix.casefold() not in (".csv", ".xlsx"):
                sys.stderr.write(f"error: name the output .csv or .xlsx (got {args.out.name})\n")
                return 2
            n = store.export(args.out)
            sys.stdout.write(f"wrote {n} activities to {args.out}\n")
        return 0
    except RegisterError as exc:
        sys.stderr.write(f"error: {exc}\n")
        return 2
    finally:
        store.close()
