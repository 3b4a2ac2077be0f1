"""check_* functions: return the input when it is usable, else raise one DataError listing every problem."""

from __future__ import annotations

import gzip
import re
import zipfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import pandas as pd

from pipelines.errors import DataError
from pipelines.settings import ENGLAND_CODE

AREA_CODE_PATTERNS = {
    "oa": r"^[EW]00\d{6}$",
    "lsoa": r"^[EW]01\d{6}$",
    "msoa": r"^[EW]02\d{6}$",
    "ward": r"^[EWSN]05\d{6}$",
    "lad": r"^[EWSN]0[6789]\d{6}$",
    "county": r"^E10\d{6}$",
    "region": r"^E12\d{6}$",
    "england": rf"^{ENGLAND_CODE}$",
}


def read_file(reader: Callable[..., Any], path: Path, *, source_id: str, layout: str, **kwargs: Any) -> Any:
    """Call a pandas/geopandas reader, turning a missing, empty, truncated or unreadable file into a DataError."""
    path = Path(path)
    if not path.is_file():
        raise DataError(
            source_id=source_id,
            file=path,
            problem="file not found",
            fix="run `make data` (or `python -m pipelines fetch --raw-from DIR`) "
            "so that data/raw holds every registered file",
        )
    if path.stat().st_size == 0:
        raise DataError(source_id=source_id, file=path, problem="file is empty", fix="download the file again")
    try:
        return reader(path, **kwargs)
    except (EOFError, gzip.BadGzipFile, zipfile.BadZipFile) as exc:
        raise DataError(
            source_id=source_id,
            file=path,
            problem=f"file is truncated or not a valid compressed file ({exc})",
            fix="download the file again; its checksum should match the registry",
        ) from exc
    except UnicodeDecodeError as exc:
        raise DataError(
            source_id=source_id,
            file=path,
            problem=f"text is not in the expected encoding ({exc.reason} at byte {exc.start})",
            fix=f"save the file as UTF-8 in {layout}",
        ) from exc
    except Exception as exc:  # pandas raises many types for a malformed file
        raise DataError(
            source_id=source_id,
            file=path,
            problem=f"could not be read as {layout} ({type(exc).__name__}: {exc})",
            fix="download the file again from the source's page; "
            "if the publisher changed the layout, update the source module",
        ) from exc


def check_columns(
    df: pd.DataFrame, required: Iterable[str], *, file: str | Path, source_id: str, layout: str
) -> pd.DataFrame:
    missing = [c for c in required if c not in df.columns]
    if missing:
        near = [c for c in df.columns if c not in required][:5]
        raise DataError(
            source_id=source_id,
            file=file,
            problem=f"missing column{'s' if len(missing) > 1 else ''} {', '.join(repr(m) for m in missing)}"
            + (f" (columns found that were not expected: {', '.join(repr(n) for n in near)})" if near else ""),
            fix=f"expected {layout}; restore the original header, or update the source module if the publisher "
            f"renamed it",
        )
    return df


def check_codes(
    df: pd.DataFrame, column: str, *, kind: str, file: str | Path, source_id: str, allowed: Iterable[str] | None = None
) -> pd.DataFrame:
    """Every value of ``column`` is a well-formed area code of ``kind`` (and in ``allowed`` when given)."""
    values = df[column].astype("string")
    pattern = re.compile(AREA_CODE_PATTERNS[kind])
    bad_mask = values.isna() | ~values.fillna("").str.match(pattern)
    problems = []
    if bad_mask.any():
        rows = list(df.index[bad_mask][:5])
        problems.append(
            f"{int(bad_mask.sum())} value(s) in '{column}' are not {kind} codes (e.g. rows {rows}: "
            f"{list(values[bad_mask][:5])})"
        )
    if allowed is not None:
        allowed_set = set(allowed)
        unknown = sorted(set(values.dropna()) - allowed_set)
        if unknown:
            problems.append(
                f"{len(unknown)} unknown {kind} code(s) in '{column}' (e.g. {unknown[:5]}); they are not in the "
                "boundaries/lookups of this build, which suggests codes of another vintage"
            )
    if problems:
        raise DataError(
            source_id=source_id,
            file=file,
            problem="; ".join(problems),
            fix="use the file for the same geography vintage as the boundaries (see pipelines/sources.toml)",
        )
    return df


def check_numeric(
    df: pd.DataFrame, columns: Iterable[str], *, file: str | Path, source_id: str, min_value: float | None = None
) -> pd.DataFrame:
    problems = []
    for column in columns:
        values = pd.to_numeric(df[column], errors="coerce")
        bad = values.isna() & df[column].notna()
        if bad.any():
            problems.append(
                f"'{column}' has {int(bad.sum())} non-numeric value(s), e.g. {list(df.loc[bad, column][:3])}"
            )
        if min_value is not None and (values < min_value).any():
            problems.append(f"'{column}' has value(s) below {min_value}")
    if problems:
        raise DataError(source_id=source_id, file=file, problem="; ".join(problems), fix="restore the published values")
    return df


def check_row_count(
    df: pd.DataFrame,
    *,
    expected: int | None = None,
    minimum: int | None = None,
    what: str,
    file: str | Path,
    source_id: str,
) -> pd.DataFrame:
    n = len(df)
    if expected is not None and n != expected:
        raise DataError(
            source_id=source_id,
            file=file,
            problem=f"{n} {what} found where {expected} were expected (file truncated or filtered?)",
            fix="download the complete file again",
        )
    if minimum is not None and n < minimum:
        raise DataError(
            source_id=source_id,
            file=file,
            problem=f"only {n} {what} found, at least {minimum} expected (file truncated?)",
            fix="download the complete file again",
        )
    return df


def check_unique(df: pd.DataFrame, key: list[str], *, file: str | Path, source_id: str) -> pd.DataFrame:
    dup = df.duplicated(key, keep=False)
    if dup.any():
        raise DataError(
            source_id=source_id,
            file=file,
            problem=f"{int(dup.sum())} rows repeat the key {key}, e.g. {df.loc[dup, key].head(3).to_dict('records')}",
            fix="remove the duplicated rows or download the file again",
        )
    return df


def raise_if_problems(problems: list[str], *, source_id: str, file: str | Path, fix: str) -> None:
    """One DataError listing every problem found, if there were any."""
    if problems:
        raise DataError(source_id=source_id, file=file, problem="; ".join(problems), fix=fix)


def sheet_table(
    sheets: dict[str, pd.DataFrame], sheet: str, *, first_cell: str, required: list[str], source_id: str, path, layout
) -> pd.DataFrame:
    """The table of a workbook ``sheet`` (read with ``header=None``) under its header row: the first row whose
    first cell is ``first_cell``. Rows without a first cell (notes, blank lines) are left out."""
    if sheet not in sheets:
        raise DataError(
            source_id=source_id,
            file=path,
            problem=f"no sheet '{sheet}' (sheets: {list(sheets)})",
            fix=f"expected {layout}",
        )
    raw = sheets[sheet]
    hits = raw.index[raw.iloc[:, 0].astype("string").str.strip().eq(first_cell)]
    where = f"{path} [{sheet}]"
    if len(hits) == 0:
        raise DataError(
            source_id=source_id, file=where, problem=f"no header row starting '{first_cell}'", fix=f"expected {layout}"
        )
    table = raw.loc[hits[0] + 1 :].copy()
    table.columns = [str(c).strip() for c in raw.loc[hits[0]]]
    check_columns(table, required, file=where, source_id=source_id, layout=layout)
    return table[table[first_cell].notna()].reset_index(drop=True)


def read_fingertips_csv(
    path: Path, *, source_id: str, layout: str, columns: list[str], indicator_code: str
) -> pd.DataFrame:
    """A Fingertips CSV export (text columns): its columns checked, at least one row, one indicator only."""
    frame = read_file(
        pd.read_csv,
        path,
        source_id=source_id,
        layout=layout,
        dtype=str,
        encoding="utf-8-sig",
        keep_default_na=False,
        na_values=[""],
    )
    check_columns(frame, columns, file=path, source_id=source_id, layout=layout)
    check_row_count(frame, minimum=1, what="rows", file=path, source_id=source_id)
    other = sorted(set(frame["Indicator ID"].dropna()) - {indicator_code})
    if other:
        raise DataError(
            source_id=source_id,
            file=path,
            problem=f"holds Fingertips indicator(s) {other}, expected only {indicator_code}",
            fix=f"export indicator {indicator_code} from Fingertips into this file (see pipelines/sources.toml)",
        )
    return frame
