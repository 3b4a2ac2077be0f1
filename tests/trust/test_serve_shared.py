"""The shared deployment: two app processes behind nginx (issue 13, item 8)."""

from __future__ import annotations

import shutil
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from dashboard.devserver import free_port
from dashboard.register.importer import MAX_MEGABYTES
from dashboard.serve_shared import SharedDeployment, nginx_config


def test_the_config_is_sticky_caps_uploads_and_refuses_the_metrics_endpoint(tmp_path: Path) -> None:
    conf = nginx_config([8811, 8812], run_dir=tmp_path, port=8810)

    assert "server 127.0.0.1:8811;" in conf and "server 127.0.0.1:8812;" in conf
    assert "hash $affinity consistent;" in conf and "$http_upgrade" in conf
    assert f"client_max_body_size {MAX_MEGABYTES + 1}m;" in conf
    assert "location = /_stcore/metrics { return 404; }" in conf


@pytest.fixture(scope="module")
def deployment(tmp_path_factory: pytest.TempPathFactory):  # noqa: ANN201
    if not (shutil.which("nginx") or Path("/usr/sbin/nginx").exists()):
        pytest.skip("nginx is not installed (apt-get install -y nginx)")
    run_dir = tmp_path_factory.mktemp("shared")
    script = run_dir / "hello.py"
    script.write_text("import streamlit as st\nst.write('hello')\n", encoding="utf-8")
    with SharedDeployment(2, port=free_port(), run_dir=run_dir, script=script) as shared:
        yield shared


def test_both_processes_serve_through_the_proxy(deployment: SharedDeployment) -> None:
    for client in "abcdefghijkl":
        request = urllib.request.Request(f"{deployment.url}/_stcore/health", headers={"X-Place-Insight-Client": client})
        assert urllib.request.urlopen(request, timeout=5).read() == b"ok"  # noqa: S310 (loopback)

    log = (deployment.run_dir / "access.log").read_text(encoding="utf-8")
    assert {f"127.0.0.1:{s.port}" for s in deployment.servers} <= {line.split()[3] for line in log.splitlines()}


def test_the_metrics_endpoint_is_not_public(deployment: SharedDeployment) -> None:
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(f"{deployment.url}/_stcore/metrics", timeout=5)  # noqa: S310
    assert refused.value.code == 404


def test_an_upload_above_the_limit_is_refused_by_the_proxy(deployment: SharedDeployment) -> None:
    body = b"x" * ((MAX_MEGABYTES + 2) * 1024 * 1024)
    request = urllib.request.Request(f"{deployment.url}/_stcore/upload_file/s/f", data=body, method="PUT")
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=20)  # noqa: S310
    assert refused.value.code == 413
