"""Server settings that keep each rerun cheap under many sessions (make bench measures the effect;
these tests only stop the settings being dropped by accident)."""

from __future__ import annotations

import tomllib

from pipelines import settings

CONFIG = tomllib.loads((settings.REPO_DIR / ".streamlit" / "config.toml").read_text(encoding="utf-8"))


def test_no_full_garbage_collection_after_every_run() -> None:
    # gc.collect(2) over the cached tables and figures was over half of a ward switch's CPU,
    # and every session waited for every other session's collection.
    assert CONFIG["runner"]["postScriptGC"] is False


def test_no_file_watcher_polling_the_source() -> None:
    assert CONFIG["server"]["fileWatcherType"] == "none"
    assert CONFIG["server"]["runOnSave"] is False
