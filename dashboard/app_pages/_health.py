"""The ward profile's Health section and trends (issue 11): lays out the parts built by
``dashboard.core.health_section``. Not a page itself; the profile page calls it first."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard.app_pages import _shared
from dashboard.core import catalogue, health, health_figures, msoa, selection
from dashboard.core.health_section import HealthSection, Tile, Trend
from dashboard.core.tidy_tables import Tidy

MSOA_COLUMNS = {
    "msoa_name": "MSOA",
    "msoa_code": "MSOA code",
    "share": "% of the ward",
    "name": "indicator",
    "period": "period",
    "value": "MSOA value",
    "lower_ci": "lower 95% CI",
    "upper_ci": "upper 95% CI",
    "england_value": "England",
    "significance": "compared with England",
    "basis": "comparison from",
}


def msoa_table(figures: pd.DataFrame) -> pd.DataFrame:
    shown = figures.assign(share=(figures["share"] * 100).round(0))
    return shown[list(MSOA_COLUMNS)].rename(columns=MSOA_COLUMNS)


def render_msoas_behind(tidy: Tidy, figures: pd.DataFrame, *, ward: str, ward_name: str, key: str) -> None:
    """'MSOA figures behind this estimate': the MSOAs the ward overlaps, their own values, CIs and
    England comparison (saying whether it comes from the CI or the source's flag)."""
    if figures.empty or _shared.presenting():
        return
    label = f"MSOA figures behind this estimate ({figures['msoa_code'].nunique()} MSOA(s))"
    with _shared.lazy_expander(label, key=f"msoas-{key}") as open_:
        if not open_:
            return
        st.caption(
            f"{ward_name}'s figure is a population-weighted mean of the MSOAs it overlaps ('% of the ward'). "
            f"'Compared with England' is the MSOA's own: *{msoa.FROM_CI}* where the source gives a 95% CI "
            f"(the interval against England's value), else *{msoa.FROM_FLAG}* (published without intervals)."
        )
        _shared.render_table(
            msoa_table(figures),
            file_name=f"ward_{ward}_{key}_msoas.csv",
            download=lambda: selection.with_provenance(figures.assign(ward_code=ward), tidy),
            key=f"msoa-table-{key}",
        )


def render_method(tidy: Tidy, indicator_ids: list[str], *, key: str) -> None:
    """How the ward figures are made, one click away (the indicators table's own words)."""
    if _shared.presenting() or not indicator_ids:
        return
    with _shared.lazy_expander("How these figures are made", key=f"method-{key}") as open_:
        if not open_:
            return
        meta = tidy.indicators.set_index("indicator_id")
        for i in dict.fromkeys(indicator_ids):
            if i not in meta.index:
                continue
            m = meta.loc[i]
            st.markdown(
                f"**{m['name']}** ({m['source']}, {m['vintage']}; published for {m['source_geography']}). "
                f"Ward figure: *{m['ward_method']}*. {m['method']}"
            )


def _metric_row(tiles: list[Tile]) -> None:
    """The part's headline numbers side by side (worded in ``health_section.tiles``)."""
    columns = st.columns(max(len(tiles), 2))
    for column, tile in zip(columns, tiles, strict=False):
        with column:
            st.metric(tile.label, tile.value, help=tile.help, border=True)
            st.caption(tile.caption)


def _heading(section: HealthSection, heading: str, rows: pd.DataFrame, *, gap: str) -> bool:
    """The part's heading; False (after saying what is missing) when there are no rows to show."""
    st.markdown(f"#### {heading}")
    if rows.empty:
        st.info(section.gaps.get(gap, "No figures for this ward in this build."))
        return False
    return True


def render_life_expectancy(tidy: Tidy, section: HealthSection) -> None:
    rows = section.life_expectancy
    if not _heading(section, "How long people live", rows, gap="life_expectancy"):
        return
    _metric_row(section.life_expectancy_tiles)
    ward, name = section.ward, section.ward_name
    _shared.chart(section.life_expectancy_figure, key="health_le_chart", file_name=f"ward_{ward}_life_expectancy.png")
    _shared.render_table_alternative(
        lambda: health_figures.comparison_table(rows, label_column="sex", place_name=tidy.place_name, ward_name=name),
        label="life expectancy",
        file_name=f"ward_{ward}_life_expectancy.csv",
        download=lambda: selection.with_provenance(rows.assign(area_code=ward, area_name=name), tidy),
    )
    render_msoas_behind(tidy, section.life_expectancy_msoas, ward=ward, ward_name=name, key="le")
    render_method(tidy, rows["indicator_id"].tolist(), key="le")


def render_worse(tidy: Tidy, section: HealthSection) -> None:
    st.markdown("#### Deaths and hospital admissions worse than England")
    if "worse" in section.gaps:
        st.info(section.gaps["worse"])
        return
    n = section.msoas["msoa_code"].nunique()
    st.caption(
        f"{section.ward_name} has no figure of its own for these: OHID's Local Health publishes them for MSOAs only, "
        f"as ratios to England (= 100) with its own England comparison ({msoa.FROM_FLAG}). Listed: each cause "
        f"for which "
        f"at least one of the {n} MSOA(s) that make up the ward is significantly worse than England, with how much of "
        "the ward those MSOAs cover. It says where the ward's people live, not that the ward itself was tested."
    )
    worse = section.worse
    if worse.empty:
        st.success("None of the MSOAs behind this ward is flagged significantly worse than England for any cause.")
    else:
        st.markdown(
            f"**{len(worse)} of {section.ratios_msoas['indicator_id'].nunique()}** causes are significantly worse than "
            f"England in the MSOA(s) behind {section.ward_name} (ratio to England = 100, highest MSOA first):"
        )
        lines = [f"- **{kind}** ({period}): {items}" for kind, period, items in health.worse_lines(worse)]
        st.markdown("\n".join(lines))
    render_msoas_behind(tidy, section.ratios_msoas, ward=section.ward, ward_name=section.ward_name, key="ratios")


def render_prevalence(tidy: Tidy, section: HealthSection) -> None:
    rows = section.prevalence
    if not _heading(section, "Long-term conditions (GP registers)", rows, gap="prevalence"):
        return
    if section.prevalence_tiles:
        _metric_row(section.prevalence_tiles)
    ward, name = section.ward, section.ward_name
    _shared.chart(section.prevalence_figure, key="health_qof_chart", file_name=f"ward_{ward}_prevalence.png")
    st.caption(
        f"Recorded diagnoses (QOF registers), not true prevalence. The ward figure is {health.FROM_GP_REGISTERS}: "
        "each practice's register shared out by where its patients live; bars are Wilson 95% intervals."
    )
    _shared.render_table_alternative(
        lambda: health_figures.comparison_table(rows, label_column="name", place_name=tidy.place_name, ward_name=name),
        label="disease prevalence",
        file_name=f"ward_{ward}_prevalence.csv",
        download=lambda: selection.with_provenance(rows.assign(area_code=ward, area_name=name), tidy),
    )
    render_method(tidy, rows["indicator_id"].tolist()[:1], key="qof")


def render_obesity(tidy: Tidy, section: HealthSection) -> None:
    rows = section.obesity
    if not _heading(section, "Children living with obesity", rows, gap="obesity"):
        return
    figures = section.obesity_msoas
    _metric_row(section.obesity_tiles)
    render_msoas_behind(tidy, figures, ward=section.ward, ward_name=section.ward_name, key="obesity")


def render_trend(tidy: Tidy, trend: Trend, *, ward: str, key: str) -> None:
    _shared.chart(trend.figure, key=f"trend-{key}", file_name=f"ward_{ward}_trend_{trend.series_id}.png")
    note = trend.meta.get("note") or ""
    ci = "Bars: 95% confidence intervals." if trend.frame["lower_ci"].notna().any() else "No confidence intervals held."
    st.caption(f"{trend.meta['name']} ({trend.meta.get('source')}). {ci} {note}".strip())
    _shared.render_table_alternative(
        trend.table,
        label=f"{trend.meta['name']} by period",
        file_name=f"ward_{ward}_trend_{trend.series_id}.csv",
        download=lambda: selection.with_provenance(trend.frame, tidy),
    )


def render_mental_health(tidy: Tidy, section: HealthSection) -> None:
    st.markdown("#### Mental health: getting better or worse?")
    if section.samhi is None:
        st.info(section.gaps.get("samhi", "No mental health trend for this ward."))
        return
    trend = section.samhi
    ward_rows = trend.frame[(trend.frame["series"] == "ward") & trend.frame["value"].notna()]
    first, last = ward_rows.iloc[0], ward_rows.iloc[-1]
    direction = (
        "worse" if last["value"] > first["value"] else "better" if last["value"] < first["value"] else "unchanged"
    )
    st.markdown(
        f"The Small Area Mental Health Index for {section.ward_name} went from **{first['value']:.2f}** in "
        f"{first['period']} "
        f"to **{last['value']:.2f}** in {last['period']}: mental health got **{direction}** relative to England "
        "(higher = worse; 0 = the England average)."
    )
    render_trend(tidy, trend, ward=section.ward, key="samhi")
    if section.samhi_extra_tiles:
        _metric_row(section.samhi_extra_tiles)
    meta = tidy.indicators.set_index("indicator_id")
    source = meta.at[health.SAMHI_INDEX, "source_id"] if health.SAMHI_INDEX in meta.index else ""
    citation = catalogue.citation_of(tidy, source, licence=meta.at[health.SAMHI_INDEX, "licence"] if source else "")
    if citation:
        st.caption(f"Cite as: {citation}")


def render_health_section(tidy: Tidy, section: HealthSection | None) -> None:
    """The Health section: life expectancy, deaths and admissions, conditions, children, mental health."""
    st.header("Health")
    if section is None:
        st.info("No health figures for this ward in this build.")
        return
    st.caption(
        "Ward health figures are no longer published, so these are estimates made from MSOA, neighbourhood and "
        "GP-practice data; the words beside each number say how it was made."
    )
    render_life_expectancy(tidy, section)
    render_worse(tidy, section)
    render_prevalence(tidy, section)
    render_obesity(tidy, section)
    render_mental_health(tidy, section)


def render_trends(tidy: Tidy, section: HealthSection | None) -> None:
    """Every other indicator with more than one period: the ward against the place and England."""
    if section is None or not section.trends:
        return
    st.header(f"Trends: {section.ward_name} against {tidy.place_name} and England")
    columns = st.columns(2)
    for i, trend in enumerate(section.trends):
        with columns[i % 2]:
            render_trend(tidy, trend, ward=section.ward, key=trend.series_id)
