"""The map page's figure and table for one view, built in one pure function (cached by the loaders)."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

from dashboard.core import figures, geometry, page_frames, partner_layers, selection
from dashboard.core.tidy_tables import Tidy


@dataclass(frozen=True)
class MapView:
    rows: pd.DataFrame  # one row per area: value, CI, rank, note, source
    meta: dict
    figure: go.Figure
    activity_counts: pd.Series | None  # per ward, when the activity layer is on (ward maps)


def build_map_view(
    tidy: Tidy,
    *,
    indicator: str,
    level: str,
    ward: str,
    ward_names: dict[str, str],
    activities: pd.DataFrame | None,
    show_sites: bool,
) -> MapView:
    """The choropleth of ``indicator`` at ``level`` with ``ward`` outlined, and the partner
    layers: register ``activities`` (None = layer off) and the public partner sites."""
    rows, geojson, meta = page_frames.map_frame(tidy, indicator, level=level)
    highlight = (
        [ward]
        if level == "ward"
        else selection.ward_lsoas(tidy, ward, vintage=selection.lsoa_vintage_of(meta))["lsoa_code"].tolist()
    )
    fig = figures.build_choropleth(
        frame=rows,
        geojson=geojson,
        meta=meta,
        title=page_frames.map_title(meta, level=level, place_name=tidy.place_name),
        outline=tidy.boundaries.get("lad"),
        outline_name=f"{tidy.place_name} boundary",
        highlight_codes=highlight,
    )
    fig = partner_layers.with_partner_layers(
        fig,
        activities=activities,
        sites=tidy.partner_sites if show_sites else None,
        ward_geojson=tidy.boundaries.get("ward", {}),
        ward_names=ward_names,
        bounds=geometry.bounds(tidy.boundaries.get("lad") or geojson),
        counts_in_hover=level == "ward",
    )
    counts = (
        partner_layers.ward_activity_counts(activities, ward_names)
        if activities is not None and level == "ward"
        else None
    )
    return MapView(rows=rows, meta=meta, figure=fig, activity_counts=counts)
