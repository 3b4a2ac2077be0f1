"""One-page A4 ward briefs (PDF and PNG) from the tidy tables and the partner register.

Pure Python (no Streamlit). The numbers, significance and sentences come from
``dashboard.core`` exactly as the ward profile shows them.

    from dashboard.briefs import brief_pdf, write_briefs
    pdf = brief_pdf(tidy, "E05005209", activities=frame)   # bytes, always one page
    write_briefs(tidy, out_dir, formats=("pdf", "png"))     # every ward, one kaleido browser

Command line: ``python -m dashboard.briefs --out DIR [--ward CODE] [--format pdf|png|both]``.
"""

from __future__ import annotations

import logging
import re
import time
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from dashboard.briefs.content import BriefContent, build_content
from dashboard.briefs.png import PngError, pdf_to_png
from dashboard.briefs.render import render_pdf
from dashboard.core import selection
from dashboard.core.tidy_tables import Tidy
from pipelines import settings

log = logging.getLogger(__name__)

__all__ = [
    "Brief",
    "BriefContent",
    "PngError",
    "UnknownWard",
    "brief_pdf",
    "build_content",
    "file_stem",
    "make_brief",
    "pdf_to_png",
    "register_activities",
    "write_briefs",
]

# Tried in turn until the brief fits on one page (long ward names, many activities...).
# The comparison keeps 8 rows before the top needs and the summary are shortened (health first,
# since issue 11, makes them longer), then everything shrinks together.
FIT_STEPS: tuple[dict, ...] = tuple(
    {"spine_limit": spine, "activity_limit": listed, "site_limit": listed, "need_limit": needs, "summary_limit": said}
    for spine, listed, needs, said in (
        (16, 5, None, 3),
        (12, 5, None, 3),
        (10, 5, None, 3),
        (10, 3, None, 3),
        (8, 3, None, 3),
        (8, 3, 3, 3),
        (8, 3, 3, 2),
        (6, 3, 3, 2),
        (6, 3, 2, 2),
        (5, 3, 2, 2),
        (4, 3, 2, 2),
        (3, 2, 2, 2),
        (3, 2, 1, 1),
    )
)


class UnknownWard(KeyError):
    """A ward code that is not one of the place's wards."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else "unknown ward"


@dataclass(frozen=True)
class Brief:
    ward_code: str
    ward_name: str
    pdf: bytes
    pages: int
    content: BriefContent


def file_stem(ward_code: str, ward_name: str) -> str:
    """'ward-brief-E05005209-central' (safe in any file system)."""
    slug = re.sub(r"[^a-z0-9]+", "-", ward_name.lower()).strip("-") or "ward"
    return f"ward-brief-{ward_code}-{slug}"


def register_activities(ward_codes: list[str] | None = None) -> dict[str, pd.DataFrame] | None:
    """The register's activities per ward, or None when there is no register to read.

    Reads ``DATABASE_URL`` if set, else the embedded SQLite file if it exists (it is never
    created here: a brief must not leave an empty register behind)."""
    if not settings.database_url().startswith("sqlite") or settings.register_sqlite_path().is_file():
        try:
            from dashboard.register import Store

            with Store(migrate=False) as store:
                frame = store.frame()
        except Exception:  # the brief still goes out, saying the register could not be read
            log.exception("could not read the partner register")
            return None
    else:
        log.info("no partner register database at %s; briefs say none recorded", settings.register_sqlite_path())
        return {}
    out: dict[str, pd.DataFrame] = {}
    if frame.empty:
        return out
    for code in ward_codes or sorted({c for ws in frame["wards"] for c in ws}):
        rows = frame[frame["wards"].map(lambda ws, c=code: c in ws)]
        if len(rows):
            out[code] = rows.reset_index(drop=True)
    return out


def make_brief(
    tidy: Tidy, ward_code: str, *, activities: pd.DataFrame | None = None, register_available: bool = True
) -> Brief:
    """The brief for one ward as a one-page PDF. Raises UnknownWard for a code not in the place.

    Pure reportlab: no browser is needed."""
    if ward_code not in selection.ward_names(tidy):
        raise UnknownWard(
            f"{ward_code!r} is not a ward of {tidy.place_name}; known wards: "
            f"{', '.join(sorted(selection.ward_names(tidy)))}"
        )
    pdf, pages, content = b"", 0, None
    for step in FIT_STEPS:  # shorten the lists until the page fits
        content = build_content(tidy, ward_code, activities=activities, register_available=register_available, **step)
        pdf, pages = render_pdf(content, tidy.boundaries)
        if pages == 1:
            break
        log.info("brief for %s ran to %d pages; shortening (%s)", ward_code, pages, step)
    if pages != 1:
        log.warning("brief for %s still has %d pages after shortening", ward_code, pages)
    return Brief(ward_code=ward_code, ward_name=content.ward_name, pdf=pdf, pages=pages, content=content)


def brief_pdf(
    tidy: Tidy, ward_code: str, *, activities: pd.DataFrame | None = None, register_available: bool = True
) -> bytes:
    return make_brief(tidy, ward_code, activities=activities, register_available=register_available).pdf


def write_briefs(
    tidy: Tidy,
    out_dir: Path | str,
    *,
    wards: list[str] | None = None,
    formats: tuple[str, ...] = ("pdf",),
    activities: dict[str, pd.DataFrame] | None = None,
    dpi: int = 150,
) -> list[Path]:
    """Write the briefs of ``wards`` (default: every ward of the place) into ``out_dir``.

    ``activities`` maps ward code -> register rows; None reads the register (see
    ``register_activities``). Returns the files written."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    names = selection.ward_names(tidy)
    codes = wards or list(names)
    for code in codes:
        if code not in names:
            raise UnknownWard(f"{code!r} is not a ward of {tidy.place_name}; known wards: {', '.join(sorted(names))}")
    register_ok = True
    if activities is None:
        activities = register_activities(codes)
        register_ok = activities is not None
        activities = activities or {}
    written: list[Path] = []
    started = time.perf_counter()
    for code in codes:
        brief = make_brief(tidy, code, activities=activities.get(code), register_available=register_ok)
        stem = out / file_stem(code, brief.ward_name)
        if "pdf" in formats:
            stem.with_suffix(".pdf").write_bytes(brief.pdf)
            written.append(stem.with_suffix(".pdf"))
        if "png" in formats:
            stem.with_suffix(".png").write_bytes(pdf_to_png(brief.pdf, dpi=dpi))
            written.append(stem.with_suffix(".png"))
        log.info("wrote the brief for %s (%s)", brief.ward_name, code)
    log.info("%d brief(s) in %.1f s", len(codes), time.perf_counter() - started)
    return written
