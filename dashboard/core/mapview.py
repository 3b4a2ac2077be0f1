"""The map page's figure and table for one view, built in one pure function (cached by the loaders)."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd
import plotly.graph_objects as go

from dashboard.core import (
    figures,
    geometry,
    health_section,
    maplabels,
    msoa,
    page_frames,
    partner_layers,
    periods,
    selection,
)
from dashboard.core.tidy_tables import Tidy


@dataclass(frozen=True)
class MapView:
    rows: pd.DataFrame  # one row per area: value, CI, rank, note, source
    meta: dict
    figure: go.Figure
    activity_counts: pd.Series | None  # per ward, when the activity layer is on (ward maps)
    periods: list[str] = field(default_factory=list)  # the periods the indicator has at this level
    period: str | None = None  # the period drawn (None: each area's latest)
    trend: health_section.Trend | None = None  # the chosen ward against the place and England, if several periods


def build_map_view(
    tidy: Tidy,
    *,
    indicator: str,
    level: str,
    ward: str,
    ward_names: dict[str, str],
    activities: pd.DataFrame | None,
    show_sites: bool,
    period: str | None = None,
) -> MapView:
    """The choropleth of ``indicator`` at ``level`` with ``ward`` outlined, and the partner
    layers: register ``activities`` (None = layer off) and the public partner sites."""
    held = periods.periods_of(tidy, indicator, area_type=level)
    period = period if period in held else None
    rows, geojson, meta = page_frames.map_frame(tidy, indicator, level=level, period=period)
    if level == "ward":
        highlight = [ward]
    elif level == msoa.LEVEL:
        highlight = msoa.ward_msoas(tidy, ward)["msoa_code"].tolist()
    else:
        highlight = selection.ward_lsoas(tidy, ward, vintage=selection.lsoa_vintage_of(meta))["lsoa_code"].tolist()
    title = page_frames.map_title(meta, level=level, place_name=tidy.place_name)
    if period is not None:
        title = f"{title.rsplit(' (', 1)[0]} ({period})"
    fig = figures.build_choropleth(
        frame=rows,
        geojson=geojson,
        meta=meta,
        title=title,
        outline=tidy.boundaries.get("lad"),
        outline_name=f"{tidy.place_name} boundary",
        highlight_codes=highlight,
        labels=_labels(tidy, level=level, ward=ward, ward_names=ward_names, highlight=highlight),
        view_codes=highlight if level != "ward" else None,
        neighbours=tidy.boundaries.get("neighbour_wards") if level == "ward" else None,
    )
    fig = partner_layers.with_partner_layers(
        fig,
        activities=activities,
        sites=tidy.partner_sites if show_sites else None,
        ward_geojson=tidy.boundaries.get("ward", {}),
        ward_names=ward_names,
        # glyphs sized for the area on screen: the place, or the chosen ward's neighbourhoods
        bounds=geometry.bounds(geojson, highlight)
        if level != "ward"
        else geometry.bounds(tidy.boundaries.get("lad") or geojson),
        counts_in_hover=level == "ward",
    )
    fig = maplabels.selection_last(fig)  # the selection outline above the partner markers
    counts = (
        partner_layers.ward_activity_counts(activities, ward_names)
        if activities is not None and level == "ward"
        else None
    )
    trend = health_section.build_trend(tidy, indicator, ward=ward, ward_name=ward_names.get(ward, ward))
    return MapView(rows=rows, meta=meta, figure=fig, activity_counts=counts, periods=held, period=period, trend=trend)


def _labels(tidy: Tidy, *, level: str, ward: str, ward_names: dict[str, str], highlight: list[str]) -> dict[str, str]:
    """Ward maps name every ward; MSOA maps name the chosen ward's MSOAs; neighbourhood maps
    letter the chosen ward's LSOAs as its profile's table does (``page_frames.neighbourhood_letters``)."""
    if level == "ward":
        return dict(ward_names)
    if level == msoa.LEVEL:
        names = dict(zip(tidy.areas["area_code"], tidy.areas["area_name"].astype(str), strict=True))
        return {code: names.get(code, code) for code in highlight}
    return page_frames.neighbourhood_letters(tidy, ward, codes=highlight)
