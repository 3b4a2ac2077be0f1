"""Start the app as ``streamlit run`` does, with the app's libraries imported first.

``python -m dashboard.launch dashboard/streamlit_app.py [streamlit run options]`` (``make run``,
``dashboard.devserver``, ``make serve-shared``). Streamlit imports nothing of the app until the
first visitor's script run, so that visitor waited about a second for pandas, geopandas,
pyarrow, plotly, SQLAlchemy and the project's own modules to load before anything was drawn.
Importing them here, before the server listens, moves that second to start-up (the same
modules, so the script's own imports then find them loaded). Nothing is read or computed.
"""

from __future__ import annotations

import logging
import sys

PRELOAD = ("dashboard.loaders",)  # pulls in the core, register, briefs and the libraries they use


def preload() -> None:
    # Imported outside a script run, Streamlit's cache decorators warn that no runtime exists
    # yet; the caches are only looked up when called (inside a run), so the warning is moot.
    import streamlit.runtime.caching.cache_data_api  # noqa: F401 (its logger exists, with Streamlit's level)

    cache_log = logging.getLogger("streamlit.runtime.caching.cache_data_api")
    level = cache_log.level
    cache_log.setLevel(logging.ERROR)
    try:
        for module in PRELOAD:
            __import__(module)
    finally:
        cache_log.setLevel(level)


def main(argv: list[str]) -> int:
    from streamlit.web import cli

    preload()
    return cli.main(args=["run", *argv], prog_name="streamlit", standalone_mode=True)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
