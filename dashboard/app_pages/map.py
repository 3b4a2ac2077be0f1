"""Map: any indicator at ward or LSOA level; click a ward to open its profile."""

from __future__ import annotations

import logging

import streamlit as st

from dashboard import loaders
from dashboard.app_pages import _shared
from dashboard.core import figures, selection, views
from dashboard.register import charts as register_charts
from dashboard.register import views as register_views

ctx = _shared.context()
tidy = ctx.tidy


def _on_map_select() -> None:
    """A click on an area picks its ward (an LSOA picks its main ward) and opens the profile."""
    state = st.session_state.get("map_chart")
    points = (state or {}).get("selection", {}).get("points", []) if isinstance(state, dict) else getattr(getattr(state, "selection", None), "points", [])
    logging.getLogger(__name__).debug("map selection: %s", points)
    if not points:
        return
    code = points[0].get("location")
    if code not in ctx.ward_names:
        parents = tidy.areas.loc[tidy.areas["area_code"] == code, "parent_code"]
        code = parents.iloc[0] if len(parents) else None
    if code in ctx.ward_names:
        st.session_state["ward"] = code
        st.session_state["_open_profile"] = True


if st.session_state.pop("_open_profile", False):
    st.switch_page(_shared.PROFILE_PAGE)

meta = selection.indicator_meta(tidy, ctx.indicator)
levels = loaders.indicator_levels(tidy).set_index("indicator_id")
st.title(f"{meta['name']}: {tidy.place_name} map")

if not bool(levels.loc[ctx.indicator, ctx.level]):
    other = "ward" if ctx.level == "lsoa" else "lsoa"
    st.warning(
        f"**{meta['name']}** has no values at {selection.AREA_LEVELS[ctx.level].lower()} level "
        f"(ward figure: {meta['ward_method']}). Choose *{selection.AREA_LEVELS[other]}* in the sidebar, or another indicator."
    )
    st.stop()

rows, geojson, meta = views.map_frame(tidy, ctx.indicator, level=ctx.level)
highlight = [ctx.ward] if ctx.level == "ward" else selection.ward_lsoas(tidy, ctx.ward, vintage=selection.lsoa_vintage_of(meta))["lsoa_code"].tolist()
fig = figures.build_choropleth(
    frame=rows,
    geojson=geojson,
    meta=meta,
    title=views.map_title(meta, level=ctx.level, place_name=tidy.place_name),
    outline=tidy.boundaries.get("lad"),
    outline_name=f"{tidy.place_name} boundary",
    highlight_codes=highlight,
)
# Partner layers (issue 4): register activities and public partner sites over the choropleth.
layer_left, layer_right = st.columns(2)
show_activities = layer_left.toggle("◆ Partner activities (register)", value=True, key="map_layer_activities",
                                    help="From the partner register: at their postcode, else near their ward's centre.")
show_sites = layer_right.toggle("■ GP practices and ▲ pharmacies", value=True, key="map_layer_sites")
activity_frame = loaders.load_register_store().frame() if show_activities else None
fig = register_charts.with_partner_layers(
    fig,
    activities=activity_frame,
    sites=tidy.partner_sites if show_sites else None,
    ward_geojson=tidy.boundaries.get("ward", {}),
    ward_names=ctx.ward_names,
    bounds=figures.bounds(tidy.boundaries.get("lad") or geojson),
    counts_in_hover=ctx.level == "ward",
)
_shared.chart(fig, key="map_chart", file_name=f"map_{ctx.indicator}_{ctx.level}.png", on_select=_on_map_select, selection_mode="points", config={"displaylogo": False, "scrollZoom": False})

missing = rows[rows["value"].isna()]
left, right = st.columns([3, 2])
with left:
    st.caption(
        "Darker = lower value, brighter = higher (cividis colour scale; the legend says which way is better). "
        f"Grey areas have no value ({len(missing)} here; hover for the reason). "
        f"Black line: {tidy.place_name}'s boundary; orange line: {ctx.ward_names[ctx.ward]}. "
        "Click a ward (or a neighbourhood) to open its profile."
    )
with right:
    st.page_link(_shared.PROFILE_PAGE, label=f"Open the {ctx.ward_names[ctx.ward]} profile", icon=":material/arrow_forward:")

table = rows[["area_code", "area_name", "value", "lower_ci", "upper_ci", "rank", "value_note", "source_id"]].assign(indicator_id=ctx.indicator)
if activity_frame is not None and ctx.level == "ward":
    counts = register_views.ward_activity_counts(activity_frame, ctx.ward_names)
    table = table.assign(partner_activities=table["area_code"].map(counts).fillna(0).astype("int64"))
_shared.render_table_alternative(
    table.sort_values("rank"),
    label=f"{meta['name']} by {ctx.level}",
    file_name=f"{ctx.indicator}_{ctx.level}.csv",
    download=selection.with_provenance(table, tidy),
)
