"""Need and activity: a need indicator against the partner activity in each ward, to find wards
with high need and little activity (rules in ``dashboard.register.need``)."""

from __future__ import annotations

import streamlit as st

from dashboard import loaders
from dashboard.app_pages import _downloads, _shared, _sign_in
from dashboard.core import disclosure, selection, spreadsheet
from dashboard.register import SECTORS, STATUSES, THEMES, charts, tables
from dashboard.register.need import build_need_vs_activity, public_need_vs_activity

ctx = _shared.context()
tidy = ctx.tidy
NEED_DEFAULTS = ("imd2025_score", "bad_health", "unpaid_care", "disabled")

st.title(f"Need and partner activity in {tidy.place_name}")
st.info(tables.REGISTER_CAVEAT, icon=":material/info:")

levels = loaders.indicator_levels(tidy).set_index("indicator_id")
names = dict(zip(tidy.indicators["indicator_id"], tidy.indicators["name"], strict=True))
options = [i for i in ctx.indicator_ids if bool(levels.loc[i, "ward"]) and i != "population" and "decile" not in i]
preferred = [i for i in NEED_DEFAULTS if i in options]
options = preferred + [i for i in options if i not in preferred]
if not options or "population" not in names:
    st.warning("The tidy tables have no ward-level need indicator with a population to compare against.")
    st.stop()

c1, c2, c3 = st.columns(3)
indicator = c1.selectbox("Need indicator", options, format_func=lambda i: names.get(i, i), key="need_indicator")
themes = c2.multiselect("Themes (any of)", THEMES, key="need_themes", placeholder="All themes")
sectors = c3.multiselect("Sectors", SECTORS, key="need_sectors", placeholder="All sectors")
c1, c2 = st.columns(2)
statuses = c1.multiselect("Statuses counted", STATUSES, default=["active"], key="need_statuses")
measure = c2.radio(
    "Activity measure",
    list(charts.MEASURE_LABELS),
    format_func=charts.MEASURE_LABELS.get,
    key="need_measure",
    horizontal=True,
)

meta = selection.indicator_meta(tidy, indicator)
higher_is_more_need = meta.get("polarity") != "higher_is_better"
codes = list(ctx.ward_names)
values = selection.area_values(tidy, indicator, area_type="ward", codes=codes)
population = selection.area_values(tidy, "population", area_type="ward", codes=codes)
store = loaders.load_register_store()
if store.count() == 0:
    st.warning(
        "The partner register is empty, so every ward shows no activity. Add activities on the *Partner register* page "
        "(or load the EXAMPLE register there to try this page out).",
        icon=":material/inventory_2:",
    )
options = {
    "themes": themes or None,
    "sectors": sectors or None,
    "statuses": statuses or None,
    "activity_measure": measure,
    "higher_value_is_more_need": higher_is_more_need,
}
need = tables.need_frame(values, population)
if _sign_in.can_edit("edit"):
    result, hidden = build_need_vs_activity(need, loaders.register_frame(store), **options), False
else:  # totals only from what the public register shows, rounded, small ones hidden (register.need)
    result, hidden = public_need_vs_activity(need, loaders.register_frame(store), **options)
table = result.table
fig = charts.build_need_quadrant_chart(
    table,
    need_label=str(meta["name"]),
    need_median=result.need_median,
    activity_median=result.activity_median,
    measure=measure,
    higher_is_more_need=higher_is_more_need,
)
_shared.chart(fig, key="need_chart", file_name=f"need_vs_activity_{indicator}.png")

gaps = result.gaps["ward_name"].tolist()
if gaps:
    st.markdown(f"**High need, low activity ({len(gaps)}):** " + ", ".join(gaps) + ".")
else:
    st.markdown("**No ward is both at or beyond the median need and at or below the median activity.**")
with st.expander("How this is worked out (method)", expanded=False):
    st.text(result.method)
    st.caption(
        f"Need: {meta['name']} — {meta['source']}, {meta['publisher']}, {meta['vintage']} (ward figure: "
        f"{meta['ward_method']}). "
        "Population: usual residents, Census 2021."
    )

if hidden:
    st.caption(disclosure.note())
st.dataframe(
    tables.need_display(table, need_name=str(meta["name"])), hide_index=True, width="stretch", key="need_table"
)
download = table.assign(
    indicator_id=indicator,
    activity_filter=(
        f"themes={';'.join(themes) or 'all'}; sectors={';'.join(sectors) or 'all'}; "
        f"statuses={';'.join(statuses) or 'all'}"
    ),
    activity_source="partner activity register (only what partners have entered)",
    method_note=result.method,
)
_downloads.private_download_button(  # made on click; an editor's exact figures leave /media soon after
    f"Download the table (CSV, {len(download)} wards, with source and vintage)",
    lambda: spreadsheet.csv_bytes(selection.with_provenance(download, tidy)),
    file_name=f"need_vs_activity_{indicator}.csv",
    mime="text/csv",
    key="need_download",
    icon=":material/download:",
)
