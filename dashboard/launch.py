"""Start the app as ``streamlit run`` does, with the app's libraries imported first.

``python -m dashboard.launch dashboard/streamlit_app.py [streamlit run options]`` (``make run``,
``dashboard.devserver``, ``make serve-shared``). Streamlit imports nothing of the app until the
first visitor's script run, so that visitor waited about a second for pandas, geopandas,
pyarrow, plotly, SQLAlchemy and the project's own modules to load before anything was drawn.
Importing them here, before the server listens, moves that second to start-up (the same
modules, so the script's own imports then find them loaded). Then the current tidy tables are
loaded and every ward's profile built into the shared caches (``loaders.prepare_before_serving``),
so a meeting opening the app at once does not wait for them; a missing or broken build is left to
the app, which says so on the page.
"""

from __future__ import annotations

import logging
import sys


def preload() -> None:
    """Import the app's modules (the core, register, briefs and the libraries they use). Imported
    outside a script run, Streamlit's cache decorators warn that no runtime exists yet; the caches
    are only looked up when called (inside a run), so those loggers are quiet meanwhile."""
    import streamlit.runtime.caching  # noqa: F401 (its loggers exist, with Streamlit's level)

    quiet = [
        logger
        for name, logger in logging.root.manager.loggerDict.items()
        if name.startswith("streamlit.runtime.caching") and isinstance(logger, logging.Logger)
    ]
    levels = [logger.level for logger in quiet]
    for logger in quiet:
        logger.setLevel(logging.ERROR)
    try:
        import dashboard.loaders  # noqa: F401
    finally:
        for logger, level in zip(quiet, levels, strict=True):
            logger.setLevel(level)


def prepare() -> None:
    """Load the tables and build every ward's profile before listening (``loaders.prepare_before_serving``).
    Anything wrong with the data is left to the app, which says what is wrong on the page."""
    from dashboard import loaders

    try:
        loaders.prepare_before_serving()
    except Exception:
        logging.getLogger(__name__).exception("preparing before serving failed; the app will build on demand")


def main(argv: list[str]) -> int:
    from streamlit.web import cli

    preload()
    prepare()
    return cli.main(args=["run", *argv], prog_name="streamlit", standalone_mode=True)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
