"""Static images of the dashboard's plotly figures (PNG bytes), offline. No Streamlit.

kaleido 1.x drives the machine's Chromium (``/usr/bin/chromium`` is found by itself) and uses
the plotly.js bundled with the ``plotly`` package, so no CDN is needed. White-background maps
(``choropleth_map`` with ``style="white-bg"``) export; tile maps would not.

One image costs about 1.7 s when kaleido has to start a browser, 0.4 s when a browser is
already running: wrap a batch in ``with image_server():`` (the ward briefs do) so every image
of the batch reuses one browser.
"""

from __future__ import annotations

import contextlib
import logging
import threading
import warnings
from collections.abc import Iterator

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio

from dashboard.core.tidy_tables import Tidy

log = logging.getLogger(__name__)

_LOCK = threading.RLock()  # kaleido's sync server is one per process; one image at a time
_SERVER_DEPTH = 0
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


class ExportError(RuntimeError):
    """A figure could not be turned into an image (no browser, or kaleido failed)."""


@contextlib.contextmanager
def image_server() -> Iterator[None]:
    """Keep one kaleido browser running for the images made inside the block (re-entrant).

    MathJax is switched off (kaleido would otherwise load it from a CDN); plotly.js comes from
    the plotly package, so this works with no internet."""
    global _SERVER_DEPTH
    import kaleido

    with _LOCK:
        started = _SERVER_DEPTH == 0
        if started:
            kaleido.start_sync_server(mathjax=False, silence_warnings=True)
        _SERVER_DEPTH += 1
    try:
        yield
    finally:
        with _LOCK:
            _SERVER_DEPTH -= 1
            if started:
                kaleido.stop_sync_server(silence_warnings=True)


def figure_png(fig: go.Figure, *, width: int | None = None, height: int | None = None, scale: float = 2.0) -> bytes:
    """The figure as PNG bytes (``width``/``height`` in CSS pixels; ``scale`` multiplies them).

    Starts a browser for this one image unless called inside ``image_server()``.
    Raises ExportError with the reason."""
    width = int(width or fig.layout.width or 900)
    height = int(height or fig.layout.height or 500)
    try:
        with _LOCK, image_server(), warnings.catch_warnings():
            warnings.filterwarnings("ignore", message="The kopts argument is ignored")
            data = pio.to_image(fig, format="png", width=width, height=height, scale=scale)
    except Exception as exc:  # kaleido raises several types (no Chrome, timeouts, JS errors)
        log.exception("PNG export failed (%sx%s)", width, height)
        raise ExportError(f"could not draw the chart as PNG: {exc}") from exc
    if not data.startswith(PNG_MAGIC):
        raise ExportError("kaleido returned something that is not a PNG")
    return data


# --- tables for download ------------------------------------------------------------------

PROVENANCE = ["source", "publisher", "vintage", "licence", "method"]


def _joined(values: pd.Series) -> str:
    seen = [str(v) for v in dict.fromkeys(values.dropna().astype(str)) if str(v) and str(v).lower() != "nan"]
    return " | ".join(seen)


def with_provenance(
    frame: pd.DataFrame,
    tidy: Tidy,
    *,
    indicator_ids: list[str] | None = None,
    source_ids: list[str] | None = None,
    method: str = "",
) -> pd.DataFrame:
    """``frame`` plus the provenance columns (source, publisher, vintage, licence, method) for a
    table that has no ``indicator_id`` column: the columns say where all of its values come from
    (several sources are joined with ' | '). Rows keep their order; nothing is dropped."""
    out = frame.copy()
    parts: list[pd.DataFrame] = []
    if indicator_ids:
        meta = tidy.indicators[tidy.indicators["indicator_id"].isin(indicator_ids)]
        parts.append(
            meta.assign(method=meta["ward_method"].astype(str) + ": " + meta["method"].astype(str))[
                ["source", "publisher", "vintage", "licence", "method"]
            ]
        )
    if source_ids and len(tidy.sources):
        src = tidy.sources[tidy.sources["source_id"].isin(source_ids)]
        parts.append(
            pd.DataFrame(
                {
                    "source": src["title"],
                    "publisher": src["publisher"],
                    "vintage": src["vintage"],
                    "licence": src["licence"],
                    "method": method,
                }
            )
        )
    both = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=PROVENANCE)
    for column in PROVENANCE:
        if column in out.columns:
            continue
        value = _joined(both[column]) if column in both else ""
        out[column] = value or (method if column == "method" else "")
    return out
