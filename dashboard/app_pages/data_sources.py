"""Data and sources: every indicator's definition, method, source, vintage and licence, and
CSV downloads of the tidy tables with provenance columns."""

from __future__ import annotations

import json

import streamlit as st

from dashboard.app_pages import _shared
from dashboard.core import catalogue, gaps, page_frames, selection, spreadsheet

ctx = _shared.context()
tidy = ctx.tidy

st.title("Data and sources")
st.markdown(
    f"Every figure in this dashboard comes from the tidy tables built by the pipelines (`make data`) for "
    f"**{tidy.place_name}** ({tidy.lad_code}), last built **{tidy.build.get('built', 'unknown')}**. Ward figures are "
    "mostly "
    "estimates made from small-area data; the *ward method* column says how each one was made."
)

if missing := gaps.not_held_lines(tidy.build, tidy.place_name):
    st.header(f"Not held for {tidy.place_name}")
    st.markdown("\n".join(f"- {line}" for line in missing))

st.header("Indicators")
indicators = catalogue.indicator_catalogue(tidy)  # periods, levels held and citations too (issue 11)
about = st.selectbox(
    "About one indicator",
    tidy.indicators.sort_values(["topic", "name"])["indicator_id"].tolist(),
    index=None,
    placeholder="Choose an indicator to read its definition and method",
    format_func=dict(zip(tidy.indicators["indicator_id"], tidy.indicators["name"], strict=True)).get,
    key="about_indicator",
)
if about:
    m = selection.indicator_meta(tidy, about)
    st.markdown(
        f"**{m['name']}** ({m['topic']}; {m['value_type']}, {str(m['polarity']).replace('_', ' ')})  \n"
        f"**Definition:** {m['definition']}  \n**How the ward figure is made ({m['ward_method']}):** {m['method']}  \n"
        f"**Source:** {m['source']}, {m['publisher']}, {m['vintage']}; licence {m['licence']}; published for "
        f"{m['source_geography']}."
    )
    about_row = indicators.set_index("indicator_id").loc[about]
    st.markdown(f"**Periods held:** {about_row['periods'] or 'none'} ({about_row['levels held'] or 'no areas'})")
    if about_row["citation"]:
        st.markdown(f"**Cite as:** {about_row['citation']}")
st.dataframe(indicators, hide_index=True, width="stretch")
with st.expander("What the ward methods mean"):
    st.markdown(
        "- **official**: published by the owner at ward level, used as published.\n"
        "- **apportioned-from-oa**: counts for small areas summed to wards (a neighbourhood split across wards is "
        "shared out by postcodes).\n"
        "- **apportioned-from-lsoa**: the same from neighbourhood (LSOA) counts, where output-area tables are "
        "not held for the place (coarser).\n"
        "- **population-weighted**: neighbourhood (LSOA) values averaged to wards, weighted by population.\n"
        "- **not-available**: no ward figure exists; only the district and England are shown.\n"
        "- **from MSOA figures** (e.g. population-weighted-from-msoa): MSOA values averaged to wards, weighted by "
        "population; *indicative*, with no confidence interval (the MSOAs' own figures and intervals are shown "
        "beside them).\n"
        "- **from GP registers**: each practice's register shared out to wards by where its patients live "
        "(the count is the estimated register, the denominator the patients; Wilson 95% intervals)."
    )

with st.expander("What the deprivation (IMD) domains measure"):
    st.markdown("\n".join(f"- **{d}**: {m}" for d, m in page_frames.domain_meanings()))

st.header("Sources")
st.dataframe(tidy.sources, hide_index=True, width="stretch")

st.header("Downloads")
st.caption(
    "CSV files with the provenance columns (indicator name, source, publisher, vintage, licence, ward method, "
    "method). Missing values stay empty and value_note says why."
)
all_values = selection.values_for_download(tidy)
downloads = {
    "All indicator values (every area, with provenance)": ("indicator_values_with_provenance.csv", all_values),
    "Ward values (with provenance)": ("ward_values_with_provenance.csv", all_values[all_values["area_type"] == "ward"]),
    "Indicator definitions and methods": ("indicators.csv", tidy.indicators),
    "Sources": ("sources.csv", tidy.sources),
    "Areas": ("areas.csv", tidy.areas),
    "Neighbourhood (LSOA) to ward weights": ("lsoa_ward_weights.csv", tidy.weights),
    "Partner sites": ("partner_sites.csv", tidy.partner_sites),
}
for label, (file_name, frame) in downloads.items():
    st.download_button(
        f"{label} — {len(frame):,} rows",
        data=spreadsheet.csv_bytes(frame),
        file_name=file_name,
        mime="text/csv",
        key=f"download-{file_name}",
        icon=":material/download:",
    )

with st.expander("Build stamp"):
    st.code(json.dumps({k: v for k, v in tidy.build.items() if k != "inputs"}, indent=2), language="json")
