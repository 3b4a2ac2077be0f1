"""fetch: HTTP against a real local server on 127.0.0.1, and the mirror folder."""

from __future__ import annotations

import functools
import hashlib
import http.server
import json
import threading
from pathlib import Path

import pytest

from pipelines.errors import DataError
from pipelines.fetch import fetch_sources
from pipelines.registry import Source


@pytest.fixture
def server(tmp_path: Path):
    """Serve tmp_path/www on 127.0.0.1 (a free port) for the length of a test."""
    www = tmp_path / "www"
    www.mkdir()
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(www))
    handler.log_message = lambda *a, **k: None
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield www, f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


def source(files, urls, **extra) -> Source:
    return Source(
        id="test-source",
        title="t",
        publisher="p",
        licence="OGL-3.0",
        vintage="2025",
        geography="g",
        status="official",
        page="https://example.org",
        files=tuple(files),
        urls=tuple(urls),
        **extra,
    )


def test_http_download_writes_file_and_manifest(server, tmp_path):
    www, base = server
    (www / "a.csv").write_text("x,y\n1,2\n")
    dest = tmp_path / "raw"
    entries = fetch_sources([source(["folder/a.csv"], [f"{base}/a.csv"])], dest=dest, mirror=None)
    assert (dest / "folder" / "a.csv").read_text() == "x,y\n1,2\n"
    manifest = json.loads((dest / "manifest.json").read_text())
    assert manifest == entries
    assert manifest[0]["sha256"] == hashlib.sha256(b"x,y\n1,2\n").hexdigest()
    assert manifest[0]["url"] == f"{base}/a.csv" and manifest[0]["origin"] == "download"


def test_http_404_changes_nothing(server, tmp_path):
    www, base = server
    dest = tmp_path / "raw"
    dest.mkdir()
    (dest / "keep.txt").write_text("previous")
    with pytest.raises(DataError, match=r"download failed"):
        fetch_sources([source(["b.csv"], [f"{base}/missing.csv"])], dest=dest, mirror=None)
    assert [p.name for p in dest.iterdir()] == ["keep.txt"]


def test_checksum_mismatch_is_refused(server, tmp_path):
    www, base = server
    (www / "a.csv").write_text("changed\n")
    src = source(["a.csv"], [f"{base}/a.csv"], sha256={"a.csv": "0" * 64})
    with pytest.raises(DataError, match=r"checksum .* differs from the registry"):
        fetch_sources([src], dest=tmp_path / "raw", mirror=None)
    assert not (tmp_path / "raw").exists()


def test_extract_keeps_only_the_place_rows(server, tmp_path):
    www, base = server
    (www / "national.csv").write_text("code,LAD,v\n1,E07000120,a\n2,E09000001,b\n3,E07000120,c\n")
    src = source(["place.csv"], [f"{base}/national.csv"], extract={"column": "LAD", "equals": "E07000120"})
    fetch_sources([src], dest=tmp_path / "raw", mirror=None)
    assert (tmp_path / "raw" / "place.csv").read_text() == "code,LAD,v\n1,E07000120,a\n3,E07000120,c\n"


def test_mirror_copies_and_records_origin(tmp_path):
    mirror = tmp_path / "mirror"
    (mirror / "sub").mkdir(parents=True)
    (mirror / "sub" / "f.txt").write_text("data")
    entries = fetch_sources([source(["sub/f.txt"], [""])], dest=tmp_path / "raw", mirror=mirror)
    assert (tmp_path / "raw" / "sub" / "f.txt").read_text() == "data"
    assert entries[0]["origin"] == "mirror"


def test_file_missing_from_mirror_names_file_and_fix(tmp_path):
    (tmp_path / "mirror").mkdir()
    with pytest.raises(DataError, match=r"sub/f.txt: file missing from the mirror folder\. Fix: put the file there"):
        fetch_sources([source(["sub/f.txt"], [""])], dest=tmp_path / "raw", mirror=tmp_path / "mirror")


def test_file_without_url_needs_a_mirror(tmp_path):
    with pytest.raises(DataError, match=r"no download address.*--raw-from"):
        fetch_sources([source(["x.csv"], [""])], dest=tmp_path / "raw", mirror=None)


def alt_source(files, urls, alt_files, alt_urls, cut, **extra) -> Source:
    from pipelines.registry import Alternative

    return source(
        files, urls, alternatives=(Alternative(files=tuple(alt_files), urls=tuple(alt_urls), cut=cut),), **extra
    )


COUNTY_CSV = "code,LAD\n1,E07000117\n2,E07000120\n3,E07000117\n"
BURNLEY_ROWS = "code,LAD\n1,E07000117\n3,E07000117\n"


def test_mirror_prefers_the_per_place_extract(tmp_path):
    mirror = tmp_path / "mirror"
    mirror.mkdir()
    (mirror / "place.csv").write_text("code,LAD\n9,E07000117\n")
    (mirror / "county.csv").write_text(COUNTY_CSV)
    src = alt_source(["place.csv"], [""], ["county.csv"], [""], {"column": "LAD", "equals": "E07000117"})
    entries = fetch_sources([src], dest=tmp_path / "raw", mirror=mirror)
    assert (tmp_path / "raw" / "place.csv").read_text() == "code,LAD\n9,E07000117\n"
    assert "cut_from" not in entries[0]


def test_mirror_without_the_extract_cuts_the_county_file(tmp_path):
    mirror = tmp_path / "mirror"
    mirror.mkdir()
    (mirror / "county.csv").write_text(COUNTY_CSV)
    src = alt_source(["place.csv"], [""], ["county.csv"], [""], {"column": "LAD", "equals": "E07000117"})
    entries = fetch_sources([src], dest=tmp_path / "raw", mirror=mirror)
    assert (tmp_path / "raw" / "place.csv").read_text() == BURNLEY_ROWS
    assert (
        entries[0]["cut_from"] == "county.csv"
        and entries[0]["sha256"] == hashlib.sha256(BURNLEY_ROWS.encode()).hexdigest()
    )
    assert not (tmp_path / "raw" / "county.csv").exists()


def test_online_downloads_the_national_file_and_cuts_the_place(server, tmp_path):
    www, base = server
    (www / "national.csv").write_text(COUNTY_CSV)
    src = alt_source(
        ["place.csv"], [""], ["national.csv"], [f"{base}/national.csv"], {"column": "LAD", "equals": "E07000117"}
    )
    entries = fetch_sources([src], dest=tmp_path / "raw", mirror=None)
    assert (tmp_path / "raw" / "place.csv").read_text() == BURNLEY_ROWS
    assert entries[0]["url"] == f"{base}/national.csv" and entries[0]["origin"] == "download"


def test_the_wide_file_is_checked_against_its_published_checksum(tmp_path):
    mirror = tmp_path / "mirror"
    mirror.mkdir()
    (mirror / "county.csv").write_text(COUNTY_CSV)
    src = alt_source(
        ["place.csv"],
        [""],
        ["county.csv"],
        [""],
        {"column": "LAD", "equals": "E07000117"},
        sha256={"county.csv": "0" * 64},
    )
    with pytest.raises(DataError, match=r"checksum .* differs"):
        fetch_sources([src], dest=tmp_path / "raw", mirror=mirror)


def test_optional_source_held_nowhere_is_listed_not_fatal(tmp_path):
    from pipelines.fetch import read_not_held

    (tmp_path / "mirror").mkdir()
    src = source(["oa.csv"], [""], optional=True, not_held_note="ward figures from LSOA tables instead")
    assert fetch_sources([src], dest=tmp_path / "raw", mirror=tmp_path / "mirror") == []
    assert read_not_held(tmp_path / "raw") == [
        {"source_id": "test-source", "title": "t", "files": ["oa.csv"], "note": "ward figures from LSOA tables instead"}
    ]


def test_broken_wide_file_stops_the_fetch(tmp_path):
    mirror = tmp_path / "mirror"
    mirror.mkdir()
    (mirror / "county.csv").write_text("code,OTHER\n1,2\n")
    src = alt_source(["place.csv"], [""], ["county.csv"], [""], {"column": "LAD", "equals": "E07000117"}, optional=True)
    with pytest.raises(DataError, match=r"column 'LAD' not found"):
        fetch_sources([src], dest=tmp_path / "raw", mirror=mirror)
