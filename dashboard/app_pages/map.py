"""Map: any indicator at ward or LSOA level; click a ward to open its profile."""

from __future__ import annotations

import logging

import streamlit as st

from dashboard import loaders
from dashboard.app_pages import _health, _shared
from dashboard.core import maplabels, msoa, periods, selection

ctx = _shared.context()
tidy = ctx.tidy


def _on_map_select() -> None:
    """A click on an area picks its ward (an LSOA picks its main ward) and opens the profile."""
    state = st.session_state.get("map_chart")
    points = (
        (state or {}).get("selection", {}).get("points", [])
        if isinstance(state, dict)
        else getattr(getattr(state, "selection", None), "points", [])
    )
    logging.getLogger(__name__).debug("map selection: %s", points)
    if not points:
        return
    code = points[0].get("location")
    code = msoa.main_ward_of_msoa(tidy).get(code, code)  # an MSOA opens its main ward
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
    held = [level for level in selection.AREA_LEVELS if bool(levels.loc[ctx.indicator].get(level, False))]
    other = held[0] if held else "ward"
    st.warning(
        f"**{meta['name']}** has no values at {selection.AREA_LEVELS[ctx.level].lower()} level "
        f"(ward figure: {meta['ward_method']}). Choose *{selection.AREA_LEVELS[other]}* in the sidebar, or another "
        "indicator."
    )
    st.stop()

# Partner layers (issue 4): register activities and public partner sites over the choropleth.
layer_left, layer_right = st.columns(2)
show_activities = layer_left.toggle(
    "◆ Partner activities (register)",
    value=True,
    key="map_layer_activities",
    help="From the partner register: at their postcode, else near their ward's centre.",
)
show_sites = layer_right.toggle("■ GP practices and ▲ pharmacies", value=True, key="map_layer_sites")
held_periods = periods.periods_of(tidy, ctx.indicator, area_type=ctx.level)
period = None
if len(held_periods) > 1:  # several periods: choose which one the map draws (years as categories)
    period = layer_left.radio(
        "Period",
        held_periods,
        index=len(held_periods) - 1,
        horizontal=True,
        key=f"map_period_{ctx.indicator}_{ctx.level}",
        help="This indicator has figures for several periods; the map shows one at a time.",
    )
view = loaders.map_view(
    tidy,
    period=period,
    indicator=ctx.indicator,
    level=ctx.level,
    ward=ctx.ward,
    ward_names=ctx.ward_names,
    show_activities=show_activities,
    show_sites=show_sites,
)
rows, meta, fig = view.rows, view.meta, view.figure
_shared.chart(
    fig,
    key="map_chart",
    file_name=f"map_{ctx.indicator}_{ctx.level}.png",
    on_select=_on_map_select,
    selection_mode="points",
    config=maplabels.MAP_CONFIG,  # names are laid over the map: it does not pan or zoom
)

missing = rows[rows["value"].isna()]
left, right = st.columns([3, 2])
with left:
    st.caption(
        "Darker = lower value, brighter = higher (cividis colour scale; the legend says which way is better). "
        f"Grey areas have no value ({len(missing)} here; hover for the reason). "
        f"Black line: {tidy.place_name}'s boundary; black-and-white line: {ctx.ward_names[ctx.ward]}; "
        "grey lines: neighbouring districts. "
        "Click a ward (or a neighbourhood) to open its profile."
    )
with right:
    st.page_link(
        _shared.PROFILE_PAGE, label=f"Open the {ctx.ward_names[ctx.ward]} profile", icon=":material/arrow_forward:"
    )

shown_columns = ["area_code", "area_name", "period", "value", "lower_ci", "upper_ci", "rank", "value_note", "source_id"]
if ctx.level == msoa.LEVEL:  # each MSOA's own England comparison, and where it comes from
    shown_columns[-2:-2] = ["england_value", "significance", "basis"]
table = rows.reindex(columns=shown_columns).assign(indicator_id=ctx.indicator)
if view.activity_counts is not None:
    table = table.assign(partner_activities=table["area_code"].map(view.activity_counts).fillna(0).astype("int64"))
_shared.render_table_alternative(
    table.sort_values("rank"),
    label=f"{meta['name']} by {ctx.level}",
    file_name=f"{ctx.indicator}_{ctx.level}.csv",
    download=lambda: selection.with_provenance(table, tidy),
)

if view.trend is not None:  # several periods: the chosen ward against the place and England
    st.header(f"{meta['name']} over time: {ctx.ward_names[ctx.ward]}")
    _health.render_trend(tidy, view.trend, ward=ctx.ward, key="map")
