"""The launcher (``python -m dashboard.launch``, used by ``make run``, the dev server and the
shared deployment) imports the libraries before the server listens, so the first visitor's script
run does not wait for them."""

from __future__ import annotations

import json
import subprocess
import sys

from pipelines import settings

HEAVY = ("pandas", "pyarrow", "plotly", "sqlalchemy", "numpy")  # the app reads no geometry library at run time

# In a fresh interpreter: preload, then import what the app's first script run imports (the
# frame's and the pages' modules) and list the heavy library modules that only then appeared.
PROBE = """
import json, sys
from dashboard import launch
launch.preload()
before = set(sys.modules)
import dashboard.loaders, dashboard.app_pages._shared, dashboard.app_pages._health, dashboard.core.mapview
late = sorted(m for m in set(sys.modules) - before if m.split(".")[0] in HEAVY)
print(json.dumps({"late": late, "preloaded": sorted({m.split(".")[0] for m in before} & set(HEAVY))}))
"""


def test_preload_imports_every_heavy_library_the_first_run_needs() -> None:
    out = subprocess.run(
        [sys.executable, "-c", f"HEAVY = {HEAVY!r}\n{PROBE}"],
        cwd=settings.REPO_DIR,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    found = json.loads(out.stdout.strip().splitlines()[-1])
    assert found["late"] == []
    assert set(found["preloaded"]) == set(HEAVY)


def test_preload_does_not_warn_about_a_missing_runtime() -> None:
    out = subprocess.run(
        [sys.executable, "-c", "from dashboard import launch; launch.preload()"],
        cwd=settings.REPO_DIR,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    assert "No runtime found" not in out.stderr
