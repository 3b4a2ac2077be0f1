"""Start the real app (or any Streamlit script) on a free loopback port: for browser tests and the bench.

with StreamlitServer(script, env={...}, log_path=...) as server:
    page.goto(server.url)
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
APP = REPO / "dashboard" / "streamlit_app.py"
CHROMIUM = Path("/usr/bin/chromium")
# Debian's chromium, headless, with no call home (the machine has no internet).
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class ServerError(RuntimeError):
    """The server did not answer its health check in time."""


class StreamlitServer:
    """``streamlit run script`` on 127.0.0.1 with ``env`` added to (or, for None values, removed
    from) the environment; output goes to ``log_path`` when given. Stops on exit."""

    def __init__(
        self,
        script: Path = APP,
        *,
        env: dict[str, str | None] | None = None,
        log_path: Path | None = None,
        timeout: float = 60,
    ):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        environ = dict(os.environ)
        for key, value in (env or {}).items():
            if value is None:
                environ.pop(key, None)
            else:
                environ[key] = value
        self._log = Path(log_path).open("w") if log_path else None  # noqa: SIM115 (closed in stop())
        output = self._log or subprocess.DEVNULL
        cmd = [
            sys.executable,
            "-m",
            "dashboard.launch",  # ``streamlit run`` with the app's libraries imported before it listens
            str(script),
            "--server.headless",
            "true",
            "--server.address",
            "127.0.0.1",
            "--server.port",
            str(self.port),
            "--browser.gatherUsageStats",
            "false",
            "--server.fileWatcherType",
            "none",
        ]
        self.proc = subprocess.Popen(cmd, cwd=REPO, env=environ, stdout=output, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + timeout
        while True:
            try:
                if urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=2).read() == b"ok":  # noqa: S310 (loopback)
                    return
            except OSError:
                pass
            if self.proc.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise ServerError(f"streamlit did not start for {script}" + (f"; see {log_path}" if log_path else ""))
            time.sleep(0.2)

    def __enter__(self) -> StreamlitServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def peak_rss_mb(self) -> float:
        """The server process's peak resident memory so far (VmHWM), in MB."""
        for line in Path(f"/proc/{self.proc.pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
        return float("nan")

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
        if self._log:
            self._log.close()
            self._log = None
