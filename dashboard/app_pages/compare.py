"""Compare wards: 2-4 wards side by side, every ward ranked on one indicator, and a scatter of
any two indicators across wards or neighbourhoods."""

from __future__ import annotations

import streamlit as st

from dashboard import loaders
from dashboard.app_pages import _present, _shared
from dashboard.core import export, figures, neighbours, page_frames, selection, spreadsheet

ctx = _shared.context()
tidy = ctx.tidy
codes = list(ctx.ward_names)

# Wards chosen here persist across pages (a widget's own state is dropped when it is not drawn).
if "compare_wards" not in st.session_state:
    chosen = selection.parse_codes(st.query_params.get("wards"), codes, limit=4)
    if len(chosen) < 2:
        chosen = [ctx.ward, *[c for c in codes if c != ctx.ward]][: min(3, len(codes))]
    st.session_state["compare_wards"] = chosen
st.session_state["compare_wards_widget"] = st.session_state["compare_wards"]


def _keep_wards() -> None:
    st.session_state["compare_wards"] = st.session_state["compare_wards_widget"]


st.title(f"Compare wards in {tidy.place_name}")
st.multiselect(
    "Wards to compare (2 to 4)",
    codes,
    format_func=lambda c: ctx.ward_names.get(c, c),
    key="compare_wards_widget",
    max_selections=4,
    on_change=_keep_wards,
)
chosen = st.session_state["compare_wards"]
_shared.sync_query_params(wards=",".join(chosen))
st.button(
    "Present these wards",
    key="present_compare",
    on_click=_present.start,
    args=(list(chosen),),
    icon=":material/slideshow:",
    disabled=not chosen,
    help="Full-screen slides of the chosen wards, one after another (arrow keys step through).",
)

st.header("Side by side")
if len(chosen) < 2:
    st.info("Choose at least two wards.")
else:
    table = selection.compare_table(tidy, chosen)
    _shared.chart(
        figures.build_compare_chart(table, ward_codes=chosen, ward_names=ctx.ward_names),
        key="compare_chart",
        file_name="compare_wards.png",
    )
    display = page_frames.compare_display(
        table, ward_codes=chosen, ward_names=ctx.ward_names, place_name=tidy.place_name
    )
    st.dataframe(display, hide_index=True, width="stretch")
    long = tidy.values[(tidy.values["area_type"] == "ward") & tidy.values["area_code"].isin(chosen)]
    st.download_button(
        "Download these wards' values (CSV, with provenance)",
        data=spreadsheet.csv_bytes(selection.with_provenance(long, tidy)),
        file_name="compare_wards.csv",
        mime="text/csv",
        icon=":material/download:",
    )

st.header("All wards ranked")
meta = selection.indicator_meta(tidy, ctx.indicator)
rows, meta, place_value, england_value = page_frames.ranking_frame(tidy, ctx.indicator)
if rows["value"].notna().sum() == 0:
    st.warning(
        f"{meta['name']} has no ward values (ward figure: {meta['ward_method']}); choose another indicator in the "
        "sidebar."
    )
else:
    fig = figures.build_ranking_chart(
        rows,
        meta=meta,
        highlight_codes=chosen,
        place_name=tidy.place_name,
        place_value=place_value,
        england_value=england_value,
    )
    _shared.chart(fig, key="ranking_chart", file_name=f"ranking_{ctx.indicator}.png")
    table = rows[["area_code", "area_name", "value", "lower_ci", "upper_ci", "value_note", "source_id"]].assign(
        indicator_id=ctx.indicator
    )
    _shared.render_table_alternative(
        table.sort_values("value", ascending=False),
        label=f"{meta['name']}, all wards",
        file_name=f"ranking_{ctx.indicator}.csv",
        download=lambda: selection.with_provenance(table, tidy),
    )

neighbour_table = loaders.neighbour_wards()
if ctx.indicator in neighbours.held_for_all(neighbour_table) and st.toggle(
    "Rank against all wards of Pennine Lancashire", key="rank_neighbours"
):
    ranking = neighbours.neighbour_ranking(neighbour_table, ctx.indicator, lad_code=tidy.lad_code)
    st.caption(neighbours.ranking_sentence(ranking, name=meta["name"], place_name=tidy.place_name))
    st.dataframe(ranking, hide_index=True, width="stretch")
elif neighbour_table is None:
    st.caption("Ranking against the neighbouring districts needs `python -m pipelines build-neighbours` (not built).")

st.header("Two indicators together")
names = dict(zip(tidy.indicators["indicator_id"], tidy.indicators["name"], strict=True))
levels = loaders.indicator_levels(tidy).set_index("indicator_id")
options = [i for i in ctx.indicator_ids if bool(levels.loc[i, ctx.level])]
if len(options) < 2:
    st.info(f"Fewer than two indicators have values at {selection.AREA_LEVELS[ctx.level].lower()} level.")
else:
    default_x = (
        "imd2025_score"
        if "imd2025_score" in options and ctx.indicator != "imd2025_score"
        else next(i for i in options if i != ctx.indicator)
        if ctx.indicator in options
        else options[0]
    )
    left, right = st.columns(2)
    x_id = left.selectbox("Across (x)", options, index=options.index(default_x), format_func=names.get, key="scatter_x")
    y_default = ctx.indicator if ctx.indicator in options else options[1]
    y_id = right.selectbox("Up (y)", options, index=options.index(y_default), format_func=names.get, key="scatter_y")
    frame = page_frames.scatter_frame(tidy, x_id, y_id, level=ctx.level)
    highlight = chosen if ctx.level == "ward" else []
    fig = figures.build_scatter(
        frame,
        x_meta=selection.indicator_meta(tidy, x_id),
        y_meta=selection.indicator_meta(tidy, y_id),
        highlight_codes=highlight,
        level_label=selection.AREA_LEVELS[ctx.level],
    )
    _shared.chart(fig, key="scatter_chart", file_name=f"scatter_{x_id}_{y_id}_{ctx.level}.png")
    st.caption(
        f"{int(frame[['x', 'y']].notna().all(axis=1).sum())} of {len(frame)} areas have both values; correlation is "
        "not causation."
    )
    _shared.render_table_alternative(
        frame,
        label="scatter values",
        file_name=f"scatter_{x_id}_{y_id}_{ctx.level}.csv",
        download=lambda: export.with_provenance(
            frame.assign(x_indicator=x_id, y_indicator=y_id), tidy, indicator_ids=[x_id, y_id]
        ),
    )
