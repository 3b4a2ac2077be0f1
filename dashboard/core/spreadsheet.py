"""Cells made safe for spreadsheets: the one formula neutraliser every download uses.

A cell a spreadsheet would run as a formula (text starting with = + - @, a tab or a carriage
return, e.g. ``=HYPERLINK(...)``, ``=cmd|' /C calc'!A0``, ``+cmd``, ``@SUM(...)``) gets a leading
apostrophe, so Excel and LibreOffice show it as text. Plain numbers such as ``-2.36`` are left
alone. The register's importer drops that apostrophe again, so its exports import back unchanged.
"""

from __future__ import annotations

import re
from typing import Any

import pandas as pd

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"^-?\d+(\.\d+)?$")


def neutralise(value: Any) -> Any:
    """Prefix an apostrophe to text a spreadsheet would treat as a formula; other values unchanged."""
    if isinstance(value, str) and value and value[0] in FORMULA_STARTS and not _NUMBER.match(value):
        return "'" + value
    return value


def neutralise_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` whose text cells (and column names) are neutralised; numbers untouched."""
    out = frame.copy()
    for column in out.columns:
        if out[column].dtype == object or isinstance(out[column].dtype, pd.StringDtype):
            out[column] = out[column].map(neutralise)
    out.columns = [neutralise(str(c)) if isinstance(c, str) else c for c in out.columns]
    return out


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """``frame`` as UTF-8 CSV for a download button, neutralised for spreadsheets."""
    return neutralise_frame(frame).to_csv(index=False).encode("utf-8")
