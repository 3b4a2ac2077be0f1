"""Everything the ward profile page shows for one ward, built in one pure function.

The page only lays these parts out; ``loaders.ward_profile`` keeps one per (build, ward), so
going back to a ward already seen in a meeting costs no recomputation.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

from dashboard.core import (
    domain_chart,
    figures,
    geometry,
    headlines,
    health_section,
    page_frames,
    selection,
    spine_chart,
    wording,
)
from dashboard.core.tidy_tables import Tidy

LSOA_INDICATORS = (headlines.IMD_SCORE, "bad_health", "imd2025_decile")


@dataclass(frozen=True)
class WardProfile:
    ward: str
    ward_name: str
    facts: pd.DataFrame
    sentences: list[str]
    tiles: list[dict]
    spine: pd.DataFrame
    spine_figure: go.Figure | None
    domains: pd.DataFrame
    domain_figure: go.Figure | None
    lsoa_indicators: list[str]
    lsoas: pd.DataFrame
    lsoa_figure: go.Figure | None
    sites: pd.DataFrame
    neighbourhoods: pd.DataFrame  # the LSOA table as shown (letters, IMD first, formatted)
    health: health_section.HealthSection | None = None  # issue 11: the Health section, shown first


def build_ward_profile(tidy: Tidy, ward: str, *, ward_name: str) -> WardProfile:
    facts = selection.ward_facts(tidy, ward)
    spine = selection.spine_rows(facts) if len(facts) else facts
    domains = selection.imd_domains(tidy, ward)
    known = set(tidy.indicators["indicator_id"])
    lsoa_indicators = [i for i in LSOA_INDICATORS if i in known]
    lsoas = selection.lsoa_table(tidy, ward, lsoa_indicators, vintage="2021")
    health = health_section.build_health_section(tidy, ward, ward_name=ward_name, facts=facts)
    return WardProfile(
        ward=ward,
        ward_name=ward_name,
        facts=facts,
        sentences=health_section.with_health_first(
            wording.build_ward_summary(ward_name=ward_name, place_name=tidy.place_name, facts=facts),
            health.sentences,
        )
        if len(facts)
        else [],
        tiles=page_frames.headline_tiles(
            facts, headlines.available(headlines.HEADLINE_INDICATORS, facts["indicator_id"])
        )
        if len(facts)
        else [],
        spine=spine,
        spine_figure=spine_chart.build_spine_chart(spine, ward_name=ward_name, place_name=tidy.place_name)
        if len(spine)
        else None,
        domains=domains,
        domain_figure=domain_chart.build_domain_chart(domains, ward_name=ward_name) if len(domains) else None,
        lsoa_indicators=lsoa_indicators,
        lsoas=lsoas,
        lsoa_figure=_lsoa_map(tidy, ward, ward_name, lsoas, lsoa_indicators),
        sites=selection.ward_sites(tidy, ward),
        neighbourhoods=page_frames.neighbourhood_table(tidy, lsoas, lsoa_indicators, ward=ward),
        health=health,
    )


def _lsoa_map(tidy: Tidy, ward: str, ward_name: str, lsoas: pd.DataFrame, indicators: list[str]) -> go.Figure | None:
    if lsoas.empty or not indicators:
        return None
    rows, geojson, meta = page_frames.map_frame(tidy, indicators[0], level="lsoa")
    rows = rows[rows["area_code"].isin(lsoas["lsoa_code"])]
    fig = figures.build_choropleth(
        frame=rows,
        geojson=geometry.subset_geojson(geojson, rows["area_code"].tolist()),
        meta=meta,
        title=wording.wrap(f"{meta['name']}: neighbourhoods in {ward_name}", 40),
        outline=geometry.subset_geojson(tidy.boundaries.get("ward", {}), [ward]),
        outline_name=f"{ward_name} boundary",
        height=460,
        view_width=340,  # narrower than the column at 1280 and 1440 wide: the ward fits with room round it
        view_codes=rows["area_code"].tolist(),
        labels=page_frames.neighbourhood_letters(tidy, ward, codes=rows["area_code"].tolist()),
        label_size=14,
    )
    # The colour bar under the map, so the map has the column's whole width.
    fig.update_layout(
        coloraxis_colorbar={
            "orientation": "h",
            "y": -0.02,
            "yanchor": "top",
            "len": 0.95,
            "thickness": 12,
            "title": {"side": "top"},
        },
        margin={"l": 0, "r": 0, "t": 60, "b": 90},
    )
    return fig
