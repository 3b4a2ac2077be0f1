"""Presentation mode's slides, as plain data and figures (no Streamlit): for one ward, the
overview (locator map with names, headline tiles, the five most significant differences) and
the section slides (health, deprivation, partners), each sized for one 16:9 screen at
1280x720 with chart text of 18 px or more. New indicators flow through by their topic."""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

from dashboard.core import chart_style, figures, headlines, page_frames, spine_chart, statistics, wording
from dashboard.core.tidy_tables import Tidy

SECTIONS: tuple[tuple[str, str], ...] = (
    ("overview", "Overview"),
    ("health", "Health"),
    ("deprivation", "Deprivation"),
    ("partners", "Partners"),
)
DEPRIVATION_TOPIC = "Deprivation"
SLIDE_FONT = 18  # px: the smallest text inside a slide's charts
LOCATOR_HEIGHT = 540
LOCATOR_WIDTH = 500  # px the map is fitted into (the overview's left column at 1280 wide)
CHART_HEIGHT = 500
SPINE_ROWS = 7  # rows of a section's spine that fit in CHART_HEIGHT at SLIDE_FONT
DIFFERENCE_ORDER = {statistics.WORSE: 0, statistics.BETTER: 1, statistics.HIGHER: 2, statistics.LOWER: 2}


@dataclass(frozen=True)
class Slide:
    ward: str
    ward_name: str
    tiles: list[dict]
    differences: list[str]
    locator: go.Figure
    health: go.Figure | None
    deprivation_tiles: list[dict]
    domain_rows: list[tuple[str, str, str]]  # domain, 2019 score, 2025 score (formatted)


def top_differences(facts: pd.DataFrame, *, place_name: str, limit: int = 5) -> list[str]:
    """The ``limit`` most significant differences: worse first, then better, then neutral
    higher/lower; within each, the furthest from the comparator. One sentence each."""
    if facts.empty:
        return []
    rows = facts[facts["significance"].isin(DIFFERENCE_ORDER)].copy()
    if rows.empty:
        return []
    reference = rows["england_value"].where(rows["england_value"].notna(), rows["place_value"])
    ratio = (rows["value"] / reference).where(reference > 0)
    rows["_distance"] = [abs(math.log(r)) if pd.notna(r) and r > 0 else 0.0 for r in ratio]
    rows["_order"] = rows["significance"].map(DIFFERENCE_ORDER)
    rows = rows.sort_values(["_order", "_distance"], ascending=[True, False]).head(limit)
    out = []
    for f in rows.to_dict("records"):
        fmt = {
            "value_type": str(f["value_type"]),
            "unit": str(f.get("unit") or ""),
            "decimals": int(f["decimals"] or 0),
        }
        england = not pd.isna(f.get("england_value"))
        against = "England" if england else place_name
        ref = f["england_value"] if england else f["place_value"]
        word = chart_style.SIGNIFICANCE_STYLE[f["significance"]]["label"].lower()
        out.append(
            f"{f['name']}: {wording.format_value(f['value'], **fmt)} against {against}'s "
            f"{wording.format_value(ref, **fmt)} ({word})"
        )
    return out


def locator_figure(tidy: Tidy, ward: str, *, ward_names: dict[str, str]) -> go.Figure:
    """The place's wards coloured by IMD 2025 score, every ward named, the ward outlined."""
    indicator = headlines.IMD_SCORE if headlines.IMD_SCORE in set(tidy.indicators["indicator_id"]) else None
    indicator = indicator or str(tidy.indicators["indicator_id"].iloc[0])
    rows, geojson, meta = page_frames.map_frame(tidy, indicator, level="ward")
    fig = figures.build_choropleth(
        frame=rows,
        geojson=geojson,
        meta=meta,
        title="",
        outline=tidy.boundaries.get("lad"),
        outline_name=f"{tidy.place_name} boundary",
        highlight_codes=[ward],
        height=LOCATOR_HEIGHT,
        view_width=LOCATOR_WIDTH,
        labels=ward_names,
        label_size=SLIDE_FONT,
    )
    # No colour bar on the locator: the map says where the ward is; the tiles give its figures.
    fig.update_layout(margin={"l": 0, "r": 0, "t": 10, "b": 0}, showlegend=False, coloraxis_showscale=False)
    return fig


def _section_spine(spine: pd.DataFrame, *, deprivation: bool, ward_name: str, place_name: str) -> go.Figure | None:
    is_dep = spine["topic"].eq(DEPRIVATION_TOPIC) if "topic" in spine else pd.Series(False, index=spine.index)
    rows = spine[is_dep if deprivation else ~is_dep]
    if rows.empty:
        return None
    order = {s: i for i, s in enumerate((statistics.WORSE, statistics.BETTER, statistics.HIGHER, statistics.LOWER))}
    rows = (
        rows.assign(_o=rows["significance"].map(lambda s: order.get(s, 9)))
        .sort_values("_o", kind="stable")
        .head(SPINE_ROWS)
        .drop(columns="_o")
    )
    fig = spine_chart.build_spine_chart(rows.reset_index(drop=True), ward_name=ward_name, place_name=place_name)
    return fig.update_layout(title={"text": ""}, height=CHART_HEIGHT, margin={"t": 90})


DEPRIVATION_TILES = ("imd2019_score", headlines.IMD_SCORE, headlines.IMD_DECILE, headlines.IMD_MOST_DEPRIVED)


def domain_rows(domains: pd.DataFrame) -> list[tuple[str, str, str]]:
    """(domain, 2019, 2025) as text, each domain with decimals for its own scale; a missing
    year says so."""
    out = []
    for row in domains.itertuples(index=False):
        present = [abs(v) for v in (row.score_2019, row.score_2025) if not pd.isna(v)]
        biggest = max(present, default=0)
        decimals = 1 if biggest >= 10 else 2 if biggest >= 1 else 3
        texts = [
            "no figure" if pd.isna(v) else wording.format_value(v, value_type="score", decimals=decimals)
            for v in (row.score_2019, row.score_2025)
        ]
        out.append((str(row.label), texts[0], texts[1]))
    return out


def build_slide(tidy: Tidy, ward: str, *, ward_names: dict[str, str], profile) -> Slide:
    """Everything presentation mode shows for ``ward`` (``profile``: its ``WardProfile``)."""
    facts, name = profile.facts, profile.ward_name
    spine = profile.spine if len(profile.spine) else pd.DataFrame(columns=["topic"])
    known = facts["indicator_id"] if len(facts) else []
    return Slide(
        ward=ward,
        ward_name=name,
        tiles=profile.tiles[:4],
        differences=top_differences(facts, place_name=tidy.place_name),
        locator=locator_figure(tidy, ward, ward_names=ward_names),
        health=_section_spine(spine, deprivation=False, ward_name=name, place_name=tidy.place_name)
        if len(spine)
        else None,
        deprivation_tiles=page_frames.headline_tiles(facts, headlines.available(DEPRIVATION_TILES, known))
        if len(facts)
        else [],
        domain_rows=domain_rows(profile.domains) if len(profile.domains) else [],
    )


def section_index(key: str | None) -> int:
    keys = [k for k, _ in SECTIONS]
    return keys.index(key) if key in keys else 0
