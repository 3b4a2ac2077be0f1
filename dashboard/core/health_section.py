"""Everything the ward profile's Health section and trends show for one ward, built once per
build and ward (``profile.build_ward_profile`` holds it; ``loaders.ward_profile`` caches that)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import pandas as pd
import plotly.graph_objects as go

from dashboard.core import health, health_figures, msoa, selection, trends
from dashboard.core.cells import is_missing
from dashboard.core.tidy_tables import Tidy
from dashboard.core.wording import format_fact, significance_text


@dataclass(frozen=True)
class Trend:
    series_id: str
    meta: dict
    frame: pd.DataFrame
    figure: go.Figure
    table: pd.DataFrame


@dataclass(frozen=True)
class Tile:
    """One headline number of the Health section, with the words the page shows round it."""

    label: str
    value: str
    help: str
    caption: str


@dataclass(frozen=True)
class HealthSection:
    ward: str
    ward_name: str
    sentences: list[str]
    life_expectancy: pd.DataFrame
    life_expectancy_figure: go.Figure | None
    life_expectancy_msoas: pd.DataFrame
    msoas: pd.DataFrame  # the MSOAs the ward overlaps and their shares
    worse: pd.DataFrame  # Local Health ratios flagged worse than England in the MSOAs behind the ward
    ratios_msoas: pd.DataFrame  # every Local Health ratio of those MSOAs (the table behind ``worse``)
    prevalence: pd.DataFrame
    prevalence_figure: go.Figure | None
    obesity: pd.DataFrame
    obesity_msoas: pd.DataFrame
    samhi: Trend | None
    samhi_extra: pd.DataFrame
    trends: list[Trend] = field(default_factory=list)
    gaps: dict[str, str] = field(default_factory=dict)  # part -> what is missing, in words
    indicator_ids: list[str] = field(default_factory=list)  # every id the section shows (for provenance)
    # The headline numbers of each part, worded once per build and ward (not on every rerun).
    life_expectancy_tiles: list[Tile] = field(default_factory=list)
    prevalence_tiles: list[Tile] = field(default_factory=list)
    obesity_tiles: list[Tile] = field(default_factory=list)
    samhi_extra_tiles: list[Tile] = field(default_factory=list)


def tiles(
    rows: pd.DataFrame, *, label_column: str, place_name: str, extra: Callable[[dict], str] | None = None
) -> list[Tile]:
    """Each row as a tile: its short name, value, where it comes from (help) and, under it, the
    coarser-geography label, the place and England values and ``extra(row)`` if given."""
    out = []
    for row in rows.to_dict("records"):
        bits = [
            f"**{row['coarser']}**" if row.get("coarser") else "",
            health.comparison_text(row, place_name=place_name),
            extra(row) if extra else "",
        ]
        out.append(
            Tile(
                label=health.short_name(str(row[label_column])),
                value=format_fact(row),
                help=f"{row['name']}, {row['period']}. Source: {row['source']}. Ward figure: {row['ward_method']}.",
                caption=" · ".join(b for b in bits if b),
            )
        )
    return out


def gap_to_best(row: dict, *, ward_name: str) -> str:
    """'7.4 years less than Immanuel (best ward)' for a life expectancy row."""
    if not row["best_ward"] or is_missing(row["gap_to_best"]):
        return ""
    if row["best_ward"] == ward_name:
        return "the longest of the place's wards"
    return f"{row['gap_to_best']:.1f} years less than {row['best_ward']} (best ward)"


def register_and_significance(row: dict) -> str:
    """'about 438 patients on the register · significantly worse than England' (counts under 5 not shown)."""
    count = row.get("count")
    people = ""
    if not is_missing(count):
        people = (
            "fewer than 5 patients on the register" if count < 5 else f"about {count:,.0f} patients on the register"
        )
    significance = ""
    if row.get("significance") not in (None, "", "not compared", "missing"):
        reference = str(row.get("compared_with") or "England")
        significance = significance_text(str(row["significance"]), reference=reference)
    return " · ".join(b for b in (people, significance) if b)


def msoa_flags(figures: pd.DataFrame) -> Callable[[dict], str]:
    """For a row: 'MSOAs behind it: 2 of 3 worse than England (source's flag ...)'."""

    def flags(row: dict) -> str:
        part = figures[figures["indicator_id"] == row["indicator_id"]]
        if part.empty:
            return ""
        worse = int((part["significance"] == "worse").sum())
        return f"MSOAs behind it: {worse} of {len(part)} worse than England ({part['basis'].iloc[0]})"

    return flags


def _gap(ids: list[str] | tuple[str, ...], what: str) -> str:
    return f"No {what} for this ward in this build (looked for {', '.join(ids)})."


def build_trend(tidy: Tidy, series_id: str, *, ward: str, ward_name: str) -> Trend | None:
    """A ward's trend for one indicator (or cross-edition series), or None with under two periods."""
    frame = trends.trend_frame(tidy, series_id, ward=ward, ward_name=ward_name)
    ward_periods = frame.loc[(frame["series"] == "ward") & frame["value"].notna(), "period"].nunique()
    if ward_periods < 2:
        return None
    meta = trends.series_meta(tidy, series_id)
    figure = trends.build_trend_chart(
        frame, meta=meta, title=f"{meta['name']}: {ward_name} against {tidy.place_name} and England"
    )
    return Trend(series_id, meta, frame, figure, trends.trend_table(frame, meta=meta))


def build_health_section(tidy: Tidy, ward: str, *, ward_name: str, facts: pd.DataFrame | None = None) -> HealthSection:
    """The section's parts (``facts``: the ward's ``selection.ward_facts``, if already made)."""
    place = tidy.place_name
    gaps: dict[str, str] = {}
    facts = selection.ward_facts(tidy, ward) if facts is None else facts
    behind = msoa.ward_msoas(tidy, ward)
    le = health.life_expectancy(tidy, ward, facts=facts)
    le_ids = [i for i, _ in health.LIFE_EXPECTANCY]
    if le.empty:
        gaps["life_expectancy"] = _gap(le_ids, "life expectancy figures")
    le_figure = (
        health_figures.build_comparison_chart(
            le,
            label_column="sex",
            ward_name=ward_name,
            place_name=place,
            title=f"Life expectancy at birth, {le['period'].iloc[0]}: {ward_name}, {place}, England and the best ward",
            x_title="Years (bars: 95% confidence interval where held)",
            show_best=True,
        )
        if len(le)
        else None
    )
    ratio_ids = health.ratio_ids(tidy)
    if not ratio_ids:
        gaps["worse"] = _gap([f"{p}*" for p in health.MSOA_RATIO_PREFIXES], "MSOA death or admission ratios")
    ratios = msoa.msoa_figures(tidy, ward, ratio_ids, behind=behind)
    qof = health.qof_ids(tidy)
    prevalence = health.compare_rows(tidy, ward, qof, facts=facts)
    if prevalence.empty:
        gaps["prevalence"] = _gap([f"{health.QOF_PREFIX}*"], "GP register (QOF) prevalence")
    prevalence_figure = (
        health_figures.build_comparison_chart(
            prevalence,
            label_column="name",
            ward_name=ward_name,
            place_name=place,
            title=f"Recorded disease prevalence, {prevalence['period'].iloc[0]}: {ward_name} "
            f"({health.FROM_GP_REGISTERS}), {place} and England",
            x_title="% of registered patients (bars: 95% confidence interval)",
        )
        if len(prevalence)
        else None
    )
    obesity_ids = [i for i, _ in health.CHILD_OBESITY]
    obesity = health.compare_rows(tidy, ward, obesity_ids, facts=facts)
    obesity = obesity.assign(age=obesity["indicator_id"].map(dict(health.CHILD_OBESITY)))
    if obesity.empty:
        gaps["obesity"] = _gap(obesity_ids, "child obesity figures")
    samhi = build_trend(tidy, health.SAMHI_INDEX, ward=ward, ward_name=ward_name)
    if samhi is None:
        gaps["samhi"] = _gap([health.SAMHI_INDEX], "mental health index (SAMHI) trend")
    extra_ids = health.samhi_extra_ids(tidy)
    trend_ids = [i for i in trends.trend_ids(tidy) if i != health.SAMHI_INDEX]
    built = [build_trend(tidy, i, ward=ward, ward_name=ward_name) for i in trend_ids]
    shown = [*le_ids, *ratio_ids, *qof, *obesity_ids, health.SAMHI_INDEX, *extra_ids]
    known = health.known_ids(tidy)
    obesity_msoas = msoa.msoa_figures(tidy, ward, obesity_ids, behind=behind)
    samhi_extra = health.compare_rows(tidy, ward, extra_ids, facts=facts)
    return HealthSection(
        ward=ward,
        ward_name=ward_name,
        sentences=health.life_expectancy_sentences(le, ward_name=ward_name, place_name=place),
        life_expectancy=le,
        life_expectancy_figure=le_figure,
        life_expectancy_msoas=msoa.msoa_figures(tidy, ward, le_ids, behind=behind),
        msoas=behind,
        worse=health.worse_than_england(tidy, ward, figures=ratios),
        ratios_msoas=ratios,
        prevalence=prevalence,
        prevalence_figure=prevalence_figure,
        obesity=obesity,
        obesity_msoas=obesity_msoas,
        samhi=samhi,
        samhi_extra=samhi_extra,
        trends=[t for t in built if t is not None],
        gaps=gaps,
        indicator_ids=[i for i in shown if i in known],
        life_expectancy_tiles=tiles(
            le.assign(label=[f"Life expectancy, {s.lower()}" for s in le["sex"]]),
            label_column="label",
            place_name=place,
            extra=lambda row: gap_to_best(row, ward_name=ward_name),
        ),
        prevalence_tiles=tiles(
            prevalence[prevalence["indicator_id"].isin(health.KEY_CONDITIONS)],
            label_column="name",
            place_name=place,
            extra=register_and_significance,
        ),
        obesity_tiles=tiles(
            obesity.assign(label=[f"Obese, {a}" for a in obesity["age"]]),
            label_column="label",
            place_name=place,
            extra=msoa_flags(obesity_msoas),
        ),
        samhi_extra_tiles=tiles(samhi_extra, label_column="name", place_name=place),
    )


def summary_sentences(tidy: Tidy, ward: str, *, ward_name: str, facts: pd.DataFrame | None = None) -> list[str]:
    """The health sentences the ward summary and the brief lead with (life expectancy)."""
    le = health.life_expectancy(tidy, ward, facts=facts)
    return health.life_expectancy_sentences(le, ward_name=ward_name, place_name=tidy.place_name)


def with_health_first(sentences: list[str], health_sentences: list[str]) -> list[str]:
    """The ward summary with the health sentences right after the first one (who lives there)."""
    return [*sentences[:1], *health_sentences, *sentences[1:]]
