"""The map page's figure and table for one view, built in one pure function (cached by the loaders)."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

from dashboard.core import figures, maplabels, selection, views
from dashboard.core.store import Tidy
from dashboard.register import charts as register_charts
from dashboard.register import views as register_views


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
    rows, geojson, meta = views.map_frame(tidy, indicator, level=level)
    highlight = (
        [ward]
        if level == "ward"
        else selection.ward_lsoas(tidy, ward, vintage=selection.lsoa_vintage_of(meta))["lsoa_code"].tolist()
    )
    fig = figures.build_choropleth(
        frame=rows,
        geojson=geojson,
        meta=meta,
        title=views.map_title(meta, level=level, place_name=tidy.place_name),
        outline=tidy.boundaries.get("lad"),
        outline_name=f"{tidy.place_name} boundary",
        highlight_codes=highlight,
        labels=_labels(tidy, level=level, ward=ward, ward_names=ward_names, highlight=highlight),
        view_codes=highlight if level != "ward" else None,
        neighbours=tidy.boundaries.get("neighbour_wards") if level == "ward" else None,
    )
    fig = register_charts.with_partner_layers(
        fig,
        activities=activities,
        sites=tidy.partner_sites if show_sites else None,
        ward_geojson=tidy.boundaries.get("ward", {}),
        ward_names=ward_names,
        # glyphs sized for the area on screen: the place, or the chosen ward's neighbourhoods
        bounds=figures.bounds(geojson, highlight)
        if level != "ward"
        else figures.bounds(tidy.boundaries.get("lad") or geojson),
        counts_in_hover=level == "ward",
    )
    fig = maplabels.selection_last(fig)  # the selection outline above the partner markers
    counts = (
        register_views.ward_activity_counts(activities, ward_names)
        if activities is not None and level == "ward"
        else None
    )
    return MapView(rows=rows, meta=meta, figure=fig, activity_counts=counts)


def _labels(tidy: Tidy, *, level: str, ward: str, ward_names: dict[str, str], highlight: list[str]) -> dict[str, str]:
    """Ward maps name every ward; neighbourhood maps letter the chosen ward's LSOAs as its
    profile's table does (``views.neighbourhood_letters``)."""
    if level == "ward":
        return dict(ward_names)
    return views.neighbourhood_letters(tidy, ward, codes=highlight)
