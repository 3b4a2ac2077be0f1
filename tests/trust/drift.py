"""Drifted raw data for the pipelines: each case changes one file of a copy of the fixture mirror
the way publishers and downloads really go wrong. Used by test_drift.py."""

from __future__ import annotations

import gzip
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

TS001 = "census2021/census2021-ts001-oa_testborough_subset.csv"
OA_LOOKUP = "census2021/lookups/oa21_lsoa21_testborough_subset.csv"
WARD_LOOKUP = "census2021/lookups/lsoa21_ward24_ltla24_testborough_subset.csv"
IMD25 = "deprivation/iod2025/derived_third_party/imd2025_england_lsoa21_humaniverse.csv"
IOD19_DOMAINS = "deprivation/iod2019/File_2_-_IoD2019_Domains_of_Deprivation.csv.gz"
IOD19_XLSX = "deprivation/iod2019/File_1_-_IMD2019_Index_of_Multiple_Deprivation.xlsx"
WARDS_GEOJSON = "geography/wards/wards_2025_BGC_E07999999_Testborough.geojson"
TS037 = "census2021/census2021-ts037-oa_testborough_subset.csv"


@dataclass(frozen=True)
class Drift:
    name: str
    file: str  # the file changed (relative to the mirror)
    what: str
    apply: Callable[[Path], None]  # changes the mirror copy in place
    names: str = ""  # what the error message must name (default: the file's name)
    checksum: bool = False  # run with a registry checksum for ``file``
    stops_fetch: bool = False  # refused while fetching, so data/raw is untouched too


def _edit(rel: str, change: Callable[[str], str]) -> Callable[[Path], None]:
    def apply(root: Path) -> None:
        path = root / rel
        path.write_text(change(path.read_text(encoding="utf-8")), encoding="utf-8")

    return apply


def _bytes(rel: str, change: Callable[[bytes], bytes]) -> Callable[[Path], None]:
    def apply(root: Path) -> None:
        path = root / rel
        path.write_bytes(change(path.read_bytes()))

    return apply


def _delete(rel: str) -> Callable[[Path], None]:
    return lambda root: (root / rel).unlink()


def _first_line(text: str) -> str:
    return text.split("\n", 1)[0]


DRIFTS: list[Drift] = [
    # A required file (a dataset marked optional in the registry, e.g. the census OA tables, is "not held"
    # instead: see tests/pipelines/test_gaps.py).
    Drift("missing_file", IOD19_XLSX, "the IoD2019 file was not downloaded", _delete(IOD19_XLSX), stops_fetch=True),
    Drift(
        "wrong_checksum",
        IMD25,
        "the publisher replaced the file (checksum differs from the registry)",
        _edit(IMD25, lambda t: t.replace("60.0", "61.0", 1)),
        checksum=True,
        stops_fetch=True,
    ),
    Drift(
        "truncated_gzip",
        IOD19_DOMAINS,
        "the download of a .csv.gz stopped half way",
        _bytes(IOD19_DOMAINS, lambda b: b[: len(b) // 2]),
    ),
    Drift(
        "renamed_column",
        TS001,
        "the publisher renamed a column",
        _edit(TS001, lambda t: t.replace("geography code", "GeographyCode", 1)),
    ),
    Drift(
        "extra_header_rows",
        TS001,
        "the file now starts with two title lines (a Nomis-style download)",
        _edit(TS001, lambda t: "Census 2021: usual residents\nSource: ONS\n" + t),
    ),
    Drift(
        "codes_of_another_vintage",
        WARD_LOOKUP,
        "the lookup carries 2019 ward codes instead of 2024",
        _edit(WARD_LOOKUP, lambda t: t.replace("E05999901", "E05000001").replace("E05999902", "E05000002")),
    ),
    Drift("empty_file", OA_LOOKUP, "a zero-byte file (disk full while copying)", _bytes(OA_LOOKUP, lambda b: b"")),
    Drift(
        "utf16_file",
        TS001,
        "re-saved as 'Unicode Text' (UTF-16)",
        _bytes(TS001, lambda b: b.decode("utf-8").encode("utf-16")),
    ),
    Drift(
        "truncated_geojson",
        WARDS_GEOJSON,
        "the boundary file is cut off",
        _bytes(WARDS_GEOJSON, lambda b: b[: len(b) // 2]),
    ),
    Drift("damaged_xlsx", IOD19_XLSX, "the workbook download was cut off", _bytes(IOD19_XLSX, lambda b: b[:1000])),
    Drift(
        "suppression_markers",
        TS001,
        "counts replaced by the suppression marker 'c'",
        _edit(TS001, lambda t: t.replace(",100,100,0", ",c,c,0", 1)),
    ),
    Drift(
        "renamed_category",
        TS037,
        "a category label changed between releases",
        _edit(TS037, lambda t: t.replace("General health: Very good health", "General health: Very good", 1)),
    ),
    Drift(
        "rows_of_another_place_only",
        OA_LOOKUP,
        "the lookup holds another district's rows only",
        _edit(OA_LOOKUP, lambda t: _first_line(t) + "\nE00000001,E01000001\nE00000002,E01000001\n"),
    ),
]


def gz_ok(path: Path) -> bool:
    try:
        with gzip.open(path) as fh:
            fh.read()
        return True
    except (OSError, EOFError):
        return False
