"""Presentation mode: draw one slide of the current ward (see ``_present`` and ``core.slides``).
Each section fits one 1280x720 screen: nothing here may grow with the data without a limit.
Not a page itself."""

from __future__ import annotations

import logging

import streamlit as st

from dashboard import loaders
from dashboard.app_pages import _present, _shared, _sign_in
from dashboard.core import disclosure, slides
from dashboard.register import tables

log = logging.getLogger(__name__)
SITE_KINDS = {"gp_practice": "GP practice", "pharmacy": "Pharmacy"}
PARTNER_ROWS = 6  # activities listed on the partners slide (the count says how many in all)
FIGURE_CONFIG = {"displayModeBar": False, "scrollZoom": False, "doubleClick": False, "staticPlot": False}


def _activities(ward: str):
    """The register's activities in the ward (public view), or None when it cannot be read."""
    try:
        frame = loaders.load_register_store().frame(ward=ward)
        return tables.ward_panel_table(frame, ward, public=not _sign_in.can_edit("edit"))
    except Exception:  # a slide still shows without the register
        log.exception("partner register unavailable for the slide of %s", ward)
        return None


def _activity_line(table, ward_name: str) -> str:
    if table is None:
        return "Partner activity: the register could not be read."
    n = len(table)
    return (
        f"Partner activity: **{n}** {'activity' if n == 1 else 'activities'} recorded in the register for {ward_name}."
    )


def _chart(fig, key: str) -> None:
    _shared.chart(fig, key=key, file_name=f"{key}.png", config=FIGURE_CONFIG)


def render(ctx: _shared.Context) -> None:
    tidy, ward = ctx.tidy, ctx.ward
    slide = loaders.slide(tidy, ward, ward_names=ctx.ward_names)
    section = _present.section()
    label = dict(slides.SECTIONS)[section]
    st.title(f"{slide.ward_name} ward profile")
    if section == "overview":
        left, right = st.columns([5, 7], gap="medium")
        with left:
            _chart(slide.locator, "slide_locator")
        with right:
            for start in (0, 2):
                cols = st.columns(2)
                for col, tile in zip(cols, slide.tiles[start : start + 2], strict=False):
                    col.metric(tile["label"], tile["value"], border=True)
            st.markdown("**Most significant differences**")
            st.markdown("\n".join(f"- {d}" for d in slide.differences) or "- None significant.")
            st.markdown(_activity_line(_activities(ward), slide.ward_name))
    elif section == "health":
        st.header(f"{label}: {slide.ward_name} against England")
        if slide.health is None:
            st.info("No health indicator with an England comparison for this ward.")
        else:
            _chart(slide.health, "slide_health")
    elif section == "deprivation":
        st.header(f"{label}: {slide.ward_name} on the Index of Multiple Deprivation")
        cols = st.columns(4)
        for col, tile in zip(cols, slide.deprivation_tiles, strict=False):
            col.metric(tile["label"], tile["value"], border=True)
        if slide.domain_rows:
            st.markdown(
                "| Domain (higher score = more deprived) | IoD 2019 | IoD 2025 |\n|---|---:|---:|\n"
                + "\n".join(f"| {d} | {a} | {b} |" for d, a, b in slide.domain_rows)
            )
    else:
        st.header(f"{label} in {slide.ward_name}")
        table = _activities(ward)
        st.markdown(_activity_line(table, slide.ward_name))
        if table is not None and len(table):
            st.dataframe(table.head(PARTNER_ROWS), hide_index=True, width="stretch")
            if len(table) > PARTNER_ROWS:
                st.caption(f"and {len(table) - PARTNER_ROWS} more on the Partner register page.")
        sites = loaders.ward_profile(tidy, ward, ward_name=slide.ward_name).sites
        kinds = sites["kind"].value_counts() if len(sites) else {}
        gp, pharmacy = int(kinds.get("gp_practice", 0)), int(kinds.get("pharmacy", 0))
        st.markdown(f"Sites in the ward: **{gp}** GP practice(s), **{pharmacy}** pharmacy(ies).")
        if len(sites):
            shown = sites[["name", "kind", "postcode"]].head(PARTNER_ROWS)
            shown = shown.assign(kind=shown["kind"].map(SITE_KINDS).fillna(shown["kind"]))
            st.dataframe(shown.rename(columns=str.capitalize), hide_index=True, width="stretch")
        st.caption(disclosure.note())
