"""What goes on a ward brief, as plain data: every number, sentence and classification comes
from ``dashboard.core`` (the same functions the ward profile uses). No drawing here."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime

import pandas as pd

from dashboard.core import headlines, health, health_section, page_frames, selection, statistics, wording
from dashboard.core.cells import is_missing
from dashboard.core.tidy_tables import Tidy

log = logging.getLogger(__name__)

IMD_INDICATOR_PREFIXES = ("imd2019_", "imd2025_")
# IMD rows of the brief: (label, 2019 indicator, 2025 indicator); the ward values, with the
# place and England beside the 2025 figure.
IMD_ROWS: tuple[tuple[str, str | None, str | None], ...] = (
    ("Score (higher = more deprived)", "imd2019_score", "imd2025_score"),
    ("England decile (1 = most deprived 10%)*", "imd2019_decile", "imd2025_decile"),
    ("Residents in England's most deprived 10%", "imd2019_pct_most_deprived_10", "imd2025_pct_most_deprived_10"),
    ("Residents in England's most deprived 20%", "imd2019_pct_most_deprived_20", "imd2025_pct_most_deprived_20"),
)
OGL_ATTRIBUTION = "Contains public sector information licensed under the Open Government Licence v3.0."
OS_ATTRIBUTION = "Contains OS data © Crown copyright and database right {year}."
REGISTER_CAVEAT = "The register only shows what partners have entered; an activity missing here may still exist."
# Which spine rows a shortened chart keeps first: judgements, then neutral differences.
SPINE_PRIORITY = (
    statistics.WORSE,
    statistics.BETTER,
    statistics.SIMILAR,
    statistics.HIGHER,
    statistics.LOWER,
    statistics.NOT_COMPARED,
    statistics.MISSING,
)
SITE_KINDS = {"gp_practice": "GP practices", "pharmacy": "pharmacies"}


@dataclass(frozen=True)
class Row:
    """One line of a figures table: formatted texts plus the significance category."""

    label: str
    ward: str
    place: str
    england: str
    significance: str = ""
    compared_with: str = ""
    indicator_id: str = ""  # the row's indicator (its label may carry a coarser-geography note)


@dataclass(frozen=True)
class BriefContent:
    ward_code: str
    ward_name: str
    place_name: str
    built: str
    population_text: str
    imd_decile_text: str
    summary: list[str]
    needs: list[str]
    headline_rows: list[Row]
    imd_rows: list[tuple[str, str, str, str, str]]  # label, 2019, 2025, place 2025, England 2025
    imd_notes: list[str]
    spine: pd.DataFrame
    activities: list[dict]
    activity_total: int
    register_available: bool
    sites: pd.DataFrame
    site_counts: dict[str, int]
    sources: list[str]
    licences: list[str]
    facts: pd.DataFrame = field(repr=False, default_factory=pd.DataFrame)


def _is_imd(indicator_id: str) -> bool:
    return indicator_id.startswith(IMD_INDICATOR_PREFIXES)


def _ref(fact: dict, key: str) -> str:
    """A reference value (place or England), '–' when there is none (not the ward missing)."""
    return "–" if is_missing(fact.get(key)) else wording.format_fact(fact, key)


def build_date(tidy: Tidy) -> str:
    """'28 November 2026' from the build stamp (the text as stored when it is not a date)."""
    text = str(tidy.build.get("built") or "unknown")
    try:
        return datetime.fromisoformat(text).strftime("%-d %B %Y")
    except ValueError:
        return text


def _ward_value(tidy: Tidy, indicator_id: str, area_code: str, area_type: str) -> float | None:
    rows = selection.area_values(tidy, indicator_id, area_type=area_type, codes=[area_code])
    value = rows["value"].iloc[0] if len(rows) else None
    return None if is_missing(value) else float(value)


def imd_table(tidy: Tidy, facts: pd.DataFrame) -> tuple[list[tuple[str, str, str, str, str]], list[str]]:
    """IMD 2019 and 2025 for the ward, with the place and England for 2025, and notes."""
    by_id = {f["indicator_id"]: f for f in facts.to_dict("records")}
    known = set(tidy.indicators["indicator_id"])
    refs = selection.reference_values(tidy).set_index("indicator_id")
    rows = []
    for label, old, new in IMD_ROWS:
        cells = []
        for indicator_id in (old, new):
            fact = by_id.get(indicator_id)
            if fact is not None:
                cells.append(wording.format_fact(fact, "value"))
            elif indicator_id in known:
                cells.append("n/a")
            else:
                cells.append("–")
        place = england = "–"
        if new in known:
            meta = selection.indicator_meta(tidy, new)
            ref = refs.loc[new] if new in refs.index else None
            if ref is not None:
                place = wording.format_fact({**meta, "v": ref.get("place_value")}, "v")
                england = wording.format_fact({**meta, "v": ref.get("england_value")}, "v")
                place = "–" if place == wording.MISSING_TEXT else place
                england = "–" if england == wording.MISSING_TEXT else england
        if all(c in ("–", "n/a") for c in cells):
            continue
        rows.append((label, *cells, place, england))
    ranks = []
    for indicator_id in ("imd2019_score", "imd2025_score"):
        fact = by_id.get(indicator_id)
        ranks.append(
            "–"
            if fact is None or is_missing(fact.get("rank"))
            else f"{wording.ordinal(int(fact['rank']))} of {int(fact['n_wards'])}"
        )
    if any(r != "–" for r in ranks):
        rows.append((f"Rank in {tidy.place_name} (1st = most deprived)", *ranks, "", ""))
    notes = []
    if "imd2025_decile" in by_id:
        notes.append(
            "* Ward decile: the England LSOA decile its population-weighted score falls in (an equivalent, not "
            "official)."
        )
    if "imd2019_decile" in known and "imd2019_decile" not in by_id:
        rank = by_id.get("imd2019_rank_ward")
        extra = (
            f" (it ranks {wording.format_fact(rank, 'value')} of England's wards, 1 = most deprived)" if rank else ""
        )
        notes.append(f"n/a: no 2019 ward decile{extra}.")
    notes.append("2019 uses 2011 neighbourhoods, 2025 those of 2021: compare patterns, not small differences.")
    return rows, notes


def headline_rows(facts: pd.DataFrame, *, place_name: str) -> list[Row]:
    """The profile's headline indicators (IMD ones are in the IMD table) plus the summary's health
    indicators, as formatted rows with the place and England beside the ward."""
    life = [i for i, _ in health.LIFE_EXPECTANCY]  # issue 11: the brief leads with how long people live
    wanted = headlines.available(
        [i for i in (*life, *headlines.HEADLINE_INDICATORS, *headlines.SUMMARY_HEALTH_INDICATORS) if not _is_imd(i)],
        facts["indicator_id"],
    )
    seen: list[str] = []
    rows = []
    for indicator_id in wanted:
        if indicator_id in seen:
            continue
        seen.append(indicator_id)
        f = facts[facts["indicator_id"] == indicator_id].iloc[0].to_dict()
        value = wording.format_fact(f, "value")
        if is_missing(f["value"]) and isinstance(f.get("value_note"), str):
            value = "missing"
        coarser = health.coarser_label(value_note=f.get("value_note"), ward_method=f.get("ward_method"))
        rows.append(
            Row(
                label=f"{f['name']} ({coarser})" if coarser else str(f["name"]),
                ward=value,
                place=_ref(f, "place_value"),
                england=_ref(f, "england_value"),
                significance=str(f["significance"]),
                compared_with=place_name if f.get("compared_with") == "place" else str(f.get("compared_with") or ""),
                indicator_id=str(indicator_id),
            )
        )
    return rows


def brief_spine_rows(facts: pd.DataFrame, *, limit: int) -> pd.DataFrame:
    """The spine chart's rows without the IMD ones (they have their own table), worst first so
    that a shortened chart keeps what matters, then in the profile's order."""
    rows = selection.spine_rows(facts)
    rows = rows[~rows["indicator_id"].map(_is_imd)]
    if len(rows) <= limit:
        return rows.reset_index(drop=True)
    order = {s: i for i, s in enumerate(SPINE_PRIORITY)}
    keep = (
        rows.assign(_o=rows["significance"].map(lambda s: order.get(s, 99)))
        .sort_values("_o", kind="stable")
        .head(limit)
        .index
    )
    return rows.loc[sorted(keep)].reset_index(drop=True)


def ward_activities(activities: pd.DataFrame | None) -> tuple[list[dict], int]:
    """The register's activities for the ward (active first), as dicts for the table."""
    if activities is None or activities.empty:
        return [], 0
    order = {"active": 0, "planned": 1, "paused": 2}
    frame = activities.assign(_o=activities["status"].map(lambda s: order.get(str(s), 9))).sort_values(
        ["_o", "organisation", "title"]
    )
    items = [
        {
            "organisation": str(r["organisation"]),
            "title": str(r["title"]),
            "status": str(r["status"]),
            "themes": ", ".join(str(t) for t in (r.get("themes") or ())),
        }
        for r in frame.to_dict("records")
    ]
    return items, len(items)


def short_publisher(publisher: str) -> str:
    """'ONS' for 'Office for National Statistics (Nomis)', 'MHCLG' for the ministry's long name,
    'humaniverse/IMD' for 'humaniverse/IMD, from MHCLG ...'."""
    text = str(publisher).split(" (")[0].split(";")[0].strip()
    first = text.split(",")[0].strip()
    if " " not in first:
        return first
    if len(text) > 24:
        initials = "".join(w[0] for w in text.replace(",", " ").split() if w[0].isupper())
        return initials or text
    return text


def short_title(title: str, *, limit: int = 60) -> str:
    """A source title up to its first comma or bracket (and at most ``limit`` characters)."""
    text = str(title).split(",")[0].split(" (")[0].strip()
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def sources_used(tidy: Tidy, indicator_ids: list[str], site_sources: list[str]) -> tuple[list[str], list[str]]:
    """Short 'publisher: title (vintage)' lines for the indicators and sites shown (the full
    titles are on the dashboard's Data and sources page), and their licences."""
    meta = tidy.indicators[tidy.indicators["indicator_id"].isin(indicator_ids)]
    entries: list[tuple[str, str, str, str]] = [
        (m["publisher"], m["source"], page_frames.short_vintage(m) or str(m["vintage"]), str(m["licence"]))
        for m in meta.to_dict("records")
    ]
    src = tidy.sources.set_index("source_id") if len(tidy.sources) else pd.DataFrame()
    for source_id in [*site_sources, "ons-wards-2025"]:
        if source_id in getattr(src, "index", []):
            s = src.loc[source_id]
            entries.append(
                (
                    s["publisher"],
                    s["title"],
                    page_frames.short_vintage(s.to_dict()) or str(s["vintage"]),
                    str(s["licence"]),
                )
            )
    grouped: dict[str, dict[str, None]] = {}
    licences: dict[str, None] = {}
    for publisher, title, vintage, licence in entries:
        grouped.setdefault(short_publisher(publisher), {})[f"{short_title(title)} ({vintage})".replace(" ()", "")] = (
            None
        )
        licences[licence] = None
    return [f"{p}: {', '.join(titles)}" for p, titles in grouped.items()], list(licences)


def build_content(
    tidy: Tidy,
    ward_code: str,
    *,
    activities: pd.DataFrame | None = None,
    register_available: bool = True,
    spine_limit: int = 12,
    activity_limit: int = 6,
    site_limit: int = 8,
    need_limit: int | None = None,
    summary_limit: int | None = None,
) -> BriefContent:
    """Everything a ward's brief shows. Raises KeyError for a ward that is not in the place."""
    names = selection.ward_names(tidy)
    if ward_code not in names:
        raise KeyError(ward_code)
    ward_name = names[ward_code]
    facts = selection.ward_facts(tidy, ward_code)
    summary = health_section.with_health_first(
        wording.build_ward_summary(ward_name=ward_name, place_name=tidy.place_name, facts=facts),
        health_section.summary_sentences(tidy, ward_code, ward_name=ward_name, facts=facts),
    )
    needs = wording.top_needs(facts, ward_name=ward_name, place_name=tidy.place_name)
    population = facts[facts["indicator_id"] == headlines.POPULATION]
    population_text = (
        wording.format_fact(population.iloc[0].to_dict(), "value") if len(population) else wording.MISSING_TEXT
    )
    decile = facts[facts["indicator_id"] == headlines.IMD_DECILE]
    decile_text = wording.format_fact(decile.iloc[0].to_dict(), "value") if len(decile) else wording.MISSING_TEXT
    imd_rows, imd_notes = imd_table(tidy, facts)
    spine = brief_spine_rows(facts, limit=spine_limit)
    items, total = ward_activities(activities)
    sites = selection.ward_sites(tidy, ward_code)
    counts = {
        SITE_KINDS.get(k, str(k).replace("_", " ").capitalize()): int(n)
        for k, n in sites["kind"].value_counts().sort_index().items()
    }
    shown_ids = sorted(
        set(facts["indicator_id"])
        & (
            {r[1] for r in IMD_ROWS}
            | {r[2] for r in IMD_ROWS}
            | set(spine["indicator_id"])
            | set(headlines.HEADLINE_INDICATORS)
            | set(headlines.SUMMARY_HEALTH_INDICATORS)
            | {i for i, _ in health.LIFE_EXPECTANCY}
        )
    )
    sources, licences = sources_used(tidy, shown_ids, sorted(set(sites["source_id"].dropna().astype(str))))
    log.debug(
        "brief content for %s: %d facts, %d spine rows, %d activities, %d sites",
        ward_code,
        len(facts),
        len(spine),
        total,
        len(sites),
    )
    return BriefContent(
        ward_code=ward_code,
        ward_name=ward_name,
        place_name=tidy.place_name,
        built=build_date(tidy),
        population_text=population_text,
        imd_decile_text=decile_text,
        summary=summary[:summary_limit],
        needs=needs[:need_limit],
        headline_rows=headline_rows(facts, place_name=tidy.place_name),
        imd_rows=imd_rows,
        imd_notes=imd_notes,
        spine=spine,
        activities=items[:activity_limit],
        activity_total=total,
        register_available=register_available,
        sites=sites.head(site_limit),
        site_counts=counts,
        sources=sources,
        licences=licences,
        facts=facts,
    )
