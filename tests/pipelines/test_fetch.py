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
