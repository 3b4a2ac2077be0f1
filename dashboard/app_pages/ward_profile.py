"""Ward profile: who lives there, how deprived, how health compares, the neighbourhoods inside,
and the partners there. Every sentence and number comes from the tidy tables."""

from __future__ import annotations

import streamlit as st

from dashboard import loaders
from dashboard.app_pages import _health, _present, _shared, _slide
from dashboard.core import export, gaps, page_frames, selection

ctx = _shared.context()
tidy = ctx.tidy
ward, ward_name = ctx.ward, ctx.ward_names[ctx.ward]
if _shared.presenting():  # presentation mode: this ward's slide instead of the whole profile
    _slide.render(ctx)
    st.stop()

st.title(f"{ward_name} ward profile")
st.caption(
    f"A ward of {tidy.place_name} ({ward}). Figures are estimates from the sources named under each chart; data "
    f"built {tidy.build.get('built', 'unknown')}."
)
left, right, _rest = st.columns([1, 1.35, 1.65])
left.button(
    "Present these wards",
    key="present_profile",
    on_click=_present.start,
    args=([ward, *[c for c in ctx.ward_names if c != ward]],),
    icon=":material/slideshow:",
    help="Full-screen slides for a meeting room, starting with this ward (arrow keys step through).",
)
with right:
    st.download_button(
        "Download ward brief (PDF)",
        data=lambda: loaders.ward_brief_pdf(tidy, ward),  # made when clicked; cached per ward and build
        file_name=f"ward-brief-{ward}.pdf",
        mime="application/pdf",
        key="ward_brief_pdf",
        icon=":material/picture_as_pdf:",
        on_click="ignore",
        help="A one-page A4 summary of this ward (the same figures as this page) to send round after a meeting.",
    )

profile = loaders.ward_profile(tidy, ward, ward_name=ward_name)
facts = profile.facts
if facts.empty:
    st.warning(f"There are no ward-level values for {ward_name} in the tidy tables.")
    st.stop()

# Summary and headline tiles -------------------------------------------------------------------
st.header("Summary")
if gap_line := gaps.gaps_summary(tidy.build, tidy.place_name):
    st.caption(gap_line)
st.markdown("\n".join(f"- {s}" for s in profile.sentences))

_health.render_health_section(tidy, profile.health)  # issue 11: the profile leads with health

st.header("Headline figures")
tiles = profile.tiles
for start in range(0, len(tiles), 4):
    columns = st.columns(4)
    for column, tile in zip(columns, tiles[start : start + 4], strict=False):
        with column:
            st.metric(tile["label"], tile["value"], help=tile["help"], border=True)
            st.caption(tile["detail"])

# Spine chart ----------------------------------------------------------------------------------
st.header(f"How {ward_name} compares with England and {tidy.place_name}")
if profile.spine_figure is None:
    st.info("No indicator with a comparable value for this ward.")
else:
    _shared.chart(profile.spine_figure, key="spine_chart", file_name=f"ward_{ward}_spine.png")
    st.caption(
        "Each marker is the ward's value as a percentage of England's (100 = same as England); the whisker is its "
        "95% confidence interval. "
        "Blue circle = significantly better, orange diamond = significantly worse, grey square = similar, light-blue "
        "triangles = "
        "higher/lower where neither is better, open circle = not tested (no interval). The black bar is "
        f"{tidy.place_name}. Indicators without an England value are in the table below."
    )
_shared.render_table_alternative(
    lambda: page_frames.facts_table(facts),
    label=f"every indicator for {ward_name}",
    file_name=f"ward_{ward}_indicators.csv",
    download=lambda: selection.with_provenance(facts, tidy).assign(area_code=ward, area_name=ward_name),
)

# IMD domains ------------------------------------------------------------------------------------
st.header("Deprivation domains: 2019 and 2025")
domains = profile.domains
if profile.domain_figure is None:
    st.info("No IMD domain scores for this ward.")
else:
    _shared.chart(profile.domain_figure, key="domain_chart", file_name=f"ward_{ward}_imd_domains.png")
    st.caption(
        "Scores are not ranks: higher means more deprived. IoD2019 uses 2011 neighbourhoods and IoD2025 those of 2021, "
        "and the indicators changed, so compare the pattern across domains rather than small differences."
    )
    meanings = page_frames.domain_meanings(domains)
    if meanings:
        with _shared.lazy_expander("What each domain measures", key="domain-meanings") as open_:
            if open_:
                st.markdown("\n".join(f"- **{d}**: {m}" for d, m in meanings))
    domain_ids = [f"imd{year}_{d}_score" for year in ("2019", "2025") for d in domains["domain"]]
    _shared.render_table_alternative(
        domains,
        label="IMD domain scores",
        file_name=f"ward_{ward}_imd_domains.csv",
        download=lambda: export.with_provenance(
            domains.assign(area_code=ward, area_name=ward_name), tidy, indicator_ids=domain_ids
        ),
    )

_health.render_trends(tidy, profile.health)

# Neighbourhoods inside the ward -------------------------------------------------------------------
st.header(f"Neighbourhoods (LSOAs) in {ward_name}")
lsoa_indicators, lsoas = profile.lsoa_indicators, profile.lsoas
if lsoas.empty:
    st.info("No 2021 LSOAs are recorded for this ward.")
else:
    left, right = st.columns([1, 1])
    if profile.lsoa_figure is not None:
        with left:
            _shared.chart(
                profile.lsoa_figure,
                key="lsoa_map",
                file_name=f"ward_{ward}_neighbourhoods_map.png",
                config={"displaylogo": False},
            )
    with right:
        _shared.render_table(
            profile.neighbourhoods,
            file_name=f"ward_{ward}_neighbourhoods.csv",
            download=lambda: export.with_provenance(
                lsoas.assign(ward_code=ward),
                tidy,
                indicator_ids=lsoa_indicators,
                method="LSOA values as published; share in ward by postcodes",
            ),
        )
        split = lsoas[lsoas["split"]]
        if len(split):
            st.caption(
                f"{len(split)} neighbourhood(s) are split across wards; the share column says how much of each lies "
                f"in {ward_name} (by postcodes)."
            )

# Partners ----------------------------------------------------------------------------------------
st.header(f"Partner activity and sites in {ward_name}")
_shared.render_partner_panel(ward)  # EXTENSION POINT: the partner register adds its panel here.
sites = profile.sites
if sites.empty:
    st.info(f"No partner sites (GP practices, pharmacies ...) are recorded in {ward_name}.")
else:
    _shared.render_table(
        sites.drop(columns=["lon", "lat"]),
        file_name=f"ward_{ward}_partner_sites.csv",
        download=lambda: export.with_provenance(
            sites,
            tidy,
            source_ids=sites["source_id"].dropna().unique().tolist(),
            method="NHS ODS address postcode placed in the ward",
        ),
    )

# District-only context ----------------------------------------------------------------------------
district = loaders.district_context(tidy)
if len(district) and not _shared.presenting():  # a slide shows no expanders
    label = f"{tidy.place_name}-wide indicators (no ward figure published)"
    with _shared.lazy_expander(label, key="district") as open_:
        if open_:
            levels = loaders.indicator_levels(tidy)
            district_ids = levels.loc[~levels["ward"] & ~levels["lsoa"], "indicator_id"].tolist()
            _shared.render_table(
                district,
                file_name="district_indicators.csv",
                download=lambda: export.with_provenance(district, tidy, indicator_ids=district_ids),
            )
