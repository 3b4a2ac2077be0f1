from __future__ import annotations

import tomllib

from pipelines.registry import load_sources
from pipelines.settings import SOURCES_FILE, load_place


def test_every_source_has_its_provenance():
    for source in load_sources(load_place()).values():
        assert (
            source.title and source.publisher and source.licence and source.vintage and source.geography and source.page
        ), source.id
        assert len(source.files) == len(source.urls)


def test_place_values_fill_file_names():
    place = load_place()
    sources = load_sources(place)
    assert sources["ons-wards-2025"].files == (
        f"geography/wards/wards_2025_BGC_{place.lad_code}_{place.file_label}.geojson",
    )


def test_no_file_name_in_the_registry_names_the_place():
    raw = tomllib.loads(SOURCES_FILE.read_text())
    place = load_place()
    for entry in raw["source"]:
        for name in entry["files"]:
            assert place.lad_code not in name and place.slug not in name.lower(), name


def test_published_checksums_are_attached_to_their_files():
    sources = load_sources(load_place())
    assert (
        sources["iod2019-file1"]
        .expected_sha256("deprivation/iod2019/File_1_-_IMD2019_Index_of_Multiple_Deprivation.xlsx")
        .startswith("45bf231e")
    )
