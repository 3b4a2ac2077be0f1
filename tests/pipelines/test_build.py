"""The whole build on the made-up place: all or nothing, unchanged rebuilds skipped, the place a setting."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from pipelines.build import build
from pipelines.errors import DataError
from tests.fixtures.mirror import write_mirror


@pytest.fixture
def mirror(tmp_path: Path) -> Path:
    return write_mirror(tmp_path / "mirror")


def run_build(tmp_path, mirror, fake_place, **kw):
    return build(
        raw_from=mirror, raw=tmp_path / "raw", out=tmp_path / "tidy", place=fake_place, with_checksums=False, **kw
    )


def test_builds_every_tidy_table_for_another_place(tmp_path, mirror, fake_place):
    run_build(tmp_path, mirror, fake_place)
    tidy = tmp_path / "tidy"
    for name in ("areas", "indicator_values", "indicators", "partner_sites", "sources", "lsoa_ward_weights"):
        assert (tidy / f"{name}.parquet").is_file(), name
    areas = pd.read_parquet(tidy / "areas.parquet")
    assert set(areas.loc[areas["area_type"] == "ward", "area_code"]) == {"E05999901", "E05999902"}
    values = pd.read_parquet(tidy / "indicator_values.parquet")
    assert set(values.loc[values["area_type"] == "lad", "area_code"]) >= {"E07999999"}


def test_indicator_values_key_is_unique(tmp_path, mirror, fake_place):
    run_build(tmp_path, mirror, fake_place)
    values = pd.read_parquet(tmp_path / "tidy" / "indicator_values.parquet")
    assert not values.duplicated(["area_code", "area_type", "indicator_id", "period"]).any()


def test_unchanged_rebuild_is_skipped(tmp_path, mirror, fake_place):
    run_build(tmp_path, mirror, fake_place)
    again = run_build(tmp_path, mirror, fake_place)
    assert again["skipped"] is True


def test_changed_input_rebuilds(tmp_path, mirror, fake_place):
    run_build(tmp_path, mirror, fake_place)
    path = mirror / "census2021" / "census2021-ts001-oa_testborough_subset.csv"
    path.write_text(path.read_text().replace(",100,100,0", ",110,110,0"))
    again = run_build(tmp_path, mirror, fake_place)
    assert again["skipped"] is False
    values = pd.read_parquet(tmp_path / "tidy" / "indicator_values.parquet")
    lad = values[(values["indicator_id"] == "population") & (values["area_code"] == "E07999999")]
    assert lad["value"].iloc[0] == 2510


def test_failed_build_leaves_previous_tables_untouched(tmp_path, mirror, fake_place):
    run_build(tmp_path, mirror, fake_place)
    before = {p.name: p.read_bytes() for p in (tmp_path / "tidy").iterdir()}
    path = mirror / "census2021" / "census2021-ts037-oa_testborough_subset.csv"
    path.write_text(path.read_text().replace("General health: Bad health", "General health: Poor"))
    with pytest.raises(DataError, match="General health: Bad health"):
        run_build(tmp_path, mirror, fake_place)
    after = {p.name: p.read_bytes() for p in (tmp_path / "tidy").iterdir()}
    assert after == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mirror", "place.toml", "raw", "tidy"]


def test_stamp_records_inputs_and_row_counts(tmp_path, mirror, fake_place):
    run_build(tmp_path, mirror, fake_place)
    stamp = json.loads((tmp_path / "tidy" / "_build.json").read_text())
    assert stamp["place"]["lad_code"] == "E07999999"
    assert stamp["rows"]["areas"] > 0 and len(stamp["inputs"]) > 10
