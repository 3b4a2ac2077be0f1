"""The data dictionary documents every tidy column; the indicator list is checked after a real build."""

from __future__ import annotations

import re

import pytest

from pipelines import tidy
from pipelines.docs import DICTIONARY

TEXT = DICTIONARY.read_text(encoding="utf-8")


def documented_columns(table: str) -> set[str]:
    section = TEXT.split(f"### `{table}`", 1)[1].split("\n### ", 1)[0]
    return set(re.findall(r"^\| `([a-z_0-9]+)` \|", section, flags=re.M))


@pytest.mark.parametrize(
    ("table", "columns"),
    [
        ("areas", tidy.AREA_COLUMNS),
        ("indicator_values", tidy.INDICATOR_VALUE_COLUMNS),
        ("indicators", tidy.INDICATOR_COLUMNS),
        ("partner_sites", tidy.PARTNER_SITE_COLUMNS),
        ("lsoa_ward_weights", tidy.LSOA_WARD_WEIGHT_COLUMNS),
    ],
)
def test_every_tidy_column_is_documented(table, columns):
    assert set(columns) <= documented_columns(table)


def test_built_table_columns_are_documented(tmp_path, fake_place):
    import pandas as pd

    from pipelines.build import build
    from tests.fixtures.mirror import write_mirror

    build(
        raw_from=write_mirror(tmp_path / "m"),
        raw=tmp_path / "raw",
        out=tmp_path / "tidy",
        place=fake_place,
        with_checksums=False,
    )
    for table in ("ward_estimate_checks", "lsoa_2011_2021", "postcodes", "sources"):
        columns = set(pd.read_parquet(tmp_path / "tidy" / f"{table}.parquet").columns)
        section = TEXT.split(f"### `{table}`", 1)[1].split("\n### ", 1)[0]
        assert all(f"`{c}`" in section for c in columns), (table, columns)
