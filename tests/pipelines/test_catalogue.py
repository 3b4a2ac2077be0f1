"""The indicator catalogue (pipelines/indicators.toml): checked on load, one clear error naming the key at fault."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipelines.catalogue import load_catalogue
from pipelines.errors import ConfigError
from pipelines.settings import INDICATORS_FILE

GOOD = """
[snippets]
note = "Shared note for {place_name}."

[[indicator]]
id = "good_health"
name = "Good health"
topic = "Health"
unit = "%"
value_type = "percentage"
polarity = "higher_is_better"
ward_method = "official"
source_id = "census2021-oa"
definition = "Residents in good health."
method = "Counted. {note}"
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "indicators.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_project_catalogue_loads(fake_place):
    catalogue = load_catalogue(INDICATORS_FILE)
    assert "population" in catalogue.entries
    assert catalogue.metadata("population", place=fake_place)["decimals"] == 0


def test_snippets_and_the_place_name_are_filled_in(tmp_path, fake_place):
    row = load_catalogue(write(tmp_path, GOOD)).metadata("good_health", place=fake_place)
    assert row["method"] == f"Counted. Shared note for {fake_place.name}."
    assert (row["decimals"], row["lsoa_vintage"]) == (1, "")  # the defaults


@pytest.mark.parametrize(
    ("old", "new", "error"),
    [
        ('unit = "%"\n', "", r"id = 'good_health'.*lacks required key\(s\) \['unit'\]"),
        ('unit = "%"\n', 'unit = "%"\nunits = "%"\n', r"id = 'good_health'.*unknown key\(s\) \['units'\]"),
        ('value_type = "percentage"', 'value_type = "ratio"', r"value_type = 'ratio', not one of"),
        ('ward_method = "official"', 'ward_method = "guessed"', r"ward_method = 'guessed', not one of"),
    ],
    ids=["missing-key", "unknown-key", "bad-value-type", "bad-ward-method"],
)
def test_bad_entry_is_refused_naming_the_key(tmp_path, old, new, error):
    with pytest.raises(ConfigError, match=error):
        load_catalogue(write(tmp_path, GOOD.replace(old, new)))


def test_duplicate_id_is_refused(tmp_path):
    path = write(tmp_path, GOOD + GOOD[GOOD.index("[[indicator]]") :])
    with pytest.raises(ConfigError, match=r"indicator id 'good_health' appears twice"):
        load_catalogue(path)


def test_unknown_placeholder_names_the_field(tmp_path, fake_place):
    catalogue = load_catalogue(write(tmp_path, GOOD.replace("Counted.", "Counted {n_things}.")))
    with pytest.raises(ConfigError, match=r"good_health.method uses an unknown .*n_things"):
        catalogue.metadata("good_health", place=fake_place)
