"""Pick rows out of the tidy tables: wards of the place, the latest value of an indicator for a
set of areas, the LSOAs inside a ward, and the facts a ward profile is built from."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from dashboard.core import periods, statistics
from dashboard.core.headlines import DEFAULT_INDICATOR_ORDER, IMD_DOMAINS, SPINE_VALUE_TYPES
from dashboard.core.tidy_tables import ENGLAND_CODE, Tidy, latest_periods

AREA_LEVELS = {"ward": "Wards", "lsoa": "Neighbourhoods (LSOAs)", "msoa": "Middle-layer areas (MSOAs)"}
PROVENANCE_COLUMNS = ["indicator_name", "unit", "source", "publisher", "vintage", "licence", "ward_method", "method"]
_DOMAIN_ID = re.compile(r"^imd(?P<year>2019|2025)_(?P<domain>.+)_score$")


def wards_of_place(areas: pd.DataFrame, lad_code: str | None) -> pd.DataFrame:
    """THE definition of the place's wards (area_code, area_name), sorted by name, from a tidy
    areas table: the wards whose parent is the district ``lad_code`` (every ward for older builds
    without parent codes), of the latest boundary vintage when there are several."""
    wards = areas[areas["area_type"] == "ward"]
    if lad_code and "parent_code" in wards.columns:
        in_place = wards[wards["parent_code"] == lad_code]
        if not in_place.empty:
            wards = in_place
    if "boundary_vintage" in wards.columns and wards["boundary_vintage"].nunique() > 1:
        latest = sorted(wards["boundary_vintage"].astype(str).unique())[-1]
        wards = wards[wards["boundary_vintage"].astype(str) == latest]
    return (
        wards[["area_code", "area_name"]].drop_duplicates("area_code").sort_values("area_name").reset_index(drop=True)
    )


def place_wards(tidy: Tidy) -> pd.DataFrame:
    """The place's wards (area_code, area_name), sorted by name (``wards_of_place``)."""
    return wards_of_place(tidy.areas, tidy.lad_code)


@dataclass(frozen=True)
class Choices:
    """What the shared selectors offer: the place's wards and the indicators with ward or LSOA values."""

    ward_codes: list[str]
    ward_names: dict[str, str]
    indicator_ids: list[str]
    indicator_names: dict[str, str]
    indicator_labels: dict[str, str] = field(default_factory=dict)  # for selectors: year first, topic


_YEAR_IN_NAME = re.compile(r"\s*\((?:IoD|IMD)\s?((?:19|20)\d{2})\)|(?<![\w(])((?:19|20)\d{2})\b")


def indicator_label(name: str, *, topic: str = "", year: str | None = None) -> str:
    """'2019: Index of Multiple Deprivation score (Deprivation)': a year in the name (or
    ``year``, for names that differ only by vintage) leads, so vintages tell apart even when a
    selector cuts the end off; the topic closes the label."""
    found = _YEAR_IN_NAME.search(name)
    if found:
        year = found.group(1) or found.group(2)
        name = (name[: found.start()] + name[found.end() :]).strip()
        name = re.sub(r"\s{2,}", " ", name)
    head = f"{year}: {name}" if year else name
    return f"{head} ({topic})" if topic else head


def indicator_labels(indicators: pd.DataFrame) -> dict[str, str]:
    """Selector labels for every indicator (see ``indicator_label``); a name shared by several
    indicators takes the first year of each one's vintage."""
    shared = indicators["name"].duplicated(keep=False)
    out = {}
    for row, dup in zip(indicators.itertuples(index=False), shared, strict=True):
        year = re.search(r"(?:19|20)\d{2}", str(row.vintage or "")) if dup else None
        out[row.indicator_id] = indicator_label(
            str(row.name), topic=str(row.topic or ""), year=year.group(0) if year else None
        )
    return out


def build_choices(tidy: Tidy, levels: pd.DataFrame) -> Choices:
    wards = place_wards(tidy)
    labels = indicator_labels(tidy.indicators)
    mapped = levels[levels["ward"] | levels["lsoa"] | levels.get("msoa", False)]
    mapped = mapped.assign(_label=mapped["indicator_id"].map(labels)).sort_values(["topic", "_label"])
    return Choices(
        ward_codes=wards["area_code"].tolist(),
        ward_names=dict(zip(wards["area_code"], wards["area_name"], strict=True)),
        indicator_ids=mapped["indicator_id"].tolist(),
        indicator_names=dict(zip(tidy.indicators["indicator_id"], tidy.indicators["name"], strict=True)),
        indicator_labels=labels,
    )


def ward_names(tidy: Tidy) -> dict[str, str]:
    wards = place_wards(tidy)
    return dict(zip(wards["area_code"], wards["area_name"], strict=True))


def _latest(tidy: Tidy) -> pd.DataFrame:
    return tidy.latest if tidy.latest is not None else latest_periods(tidy.values)


def indicator_meta(tidy: Tidy, indicator_id: str) -> dict:
    rows = tidy.indicators[tidy.indicators["indicator_id"] == indicator_id]
    if rows.empty:
        raise KeyError(f"indicator {indicator_id!r} is not in indicators.parquet")
    meta = rows.iloc[0].to_dict()
    meta["decimals"] = int(meta.get("decimals") or 0) if not pd.isna(meta.get("decimals")) else 1
    return meta


def lsoa_vintage_of(meta: dict) -> str:
    vintage = str(meta.get("lsoa_vintage") or "").strip()
    return vintage if vintage in ("2021", "2011") else "2021"


def place_lsoa_codes(tidy: Tidy, vintage: str) -> list[str]:
    """LSOAs of the given vintage that lie (at least partly) in the place's wards."""
    wards = set(place_wards(tidy)["area_code"])
    w = tidy.weights
    codes = set(w.loc[(w["lsoa_vintage"].astype(str) == vintage) & w["ward_code"].isin(wards), "lsoa_code"])
    if not codes:
        a = tidy.areas
        codes = set(
            a.loc[
                (a["area_type"] == "lsoa")
                & (a["boundary_vintage"].astype(str) == vintage)
                & a["parent_code"].isin(wards),
                "area_code",
            ]
        )
    return sorted(codes)


def indicator_levels(tidy: Tidy) -> pd.DataFrame:
    """For each indicator: does it have values for the place's wards and for LSOAs?"""
    values = tidy.values
    wards = set(place_wards(tidy)["area_code"])
    has_ward = set(values.loc[(values["area_type"] == "ward") & values["area_code"].isin(wards), "indicator_id"])
    has_lsoa = set(values.loc[values["area_type"] == "lsoa", "indicator_id"])
    has_msoa = set(values.loc[values["area_type"] == "msoa", "indicator_id"])
    out = tidy.indicators[["indicator_id", "name", "topic"]].copy()
    out["ward"] = out["indicator_id"].isin(has_ward)
    out["lsoa"] = out["indicator_id"].isin(has_lsoa)
    out["msoa"] = out["indicator_id"].isin(has_msoa)
    return out


def default_indicator(ids: list[str]) -> str | None:
    for candidate in DEFAULT_INDICATOR_ORDER:
        if candidate in ids:
            return candidate
    return ids[0] if ids else None


def parse_codes(text: str | None, valid: list[str], *, limit: int) -> list[str]:
    """Comma-separated codes from a URL parameter, keeping only valid ones, without repeats."""
    out: list[str] = []
    for code in (text or "").split(","):
        code = code.strip()
        if code in valid and code not in out:
            out.append(code)
    return out[:limit]


def area_values(
    tidy: Tidy, indicator_id: str, *, area_type: str, codes: list[str] | None = None, period: str | None = None
) -> pd.DataFrame:
    """Latest values (or those of ``period``) of one indicator for areas of one type, one row per
    area in ``codes`` (areas without a row appear with a missing value and a note)."""
    v = _latest(tidy) if period is None else tidy.values[tidy.values["period"] == period]
    rows = v[(v["indicator_id"] == indicator_id) & (v["area_type"] == area_type)]
    if codes is None:
        return rows.reset_index(drop=True)
    rows = rows[rows["area_code"].isin(codes)]
    absent = sorted(set(codes) - set(rows["area_code"]))
    if absent:
        names = tidy.areas.drop_duplicates("area_code").set_index("area_code")["area_name"]
        filler = pd.DataFrame(
            {
                "area_code": absent,
                "area_name": [names.get(c, c) for c in absent],
                "area_type": area_type,
                "indicator_id": indicator_id,
                "value": np.nan,
                "value_note": f"no {area_type} value for this indicator in the tidy tables",
            }
        )
        rows = pd.concat([rows, filler], ignore_index=True)
    return rows.reset_index(drop=True)


def reference_values(tidy: Tidy, indicator_ids: list[str] | None = None) -> pd.DataFrame:
    """Latest place (lad) and England values: one row per indicator, columns place_* and england_*."""
    v = _latest(tidy)
    if indicator_ids is not None:
        v = v[v["indicator_id"].isin(indicator_ids)]
    place = v[(v["area_type"] == "lad") & (v["area_code"] == tidy.lad_code)]
    england = v[(v["area_type"] == "england") | (v["area_code"] == ENGLAND_CODE)]
    cols = ["indicator_id", "value", "lower_ci", "upper_ci"]
    out = place[cols].rename(
        columns={"value": "place_value", "lower_ci": "place_lower_ci", "upper_ci": "place_upper_ci"}
    )
    out = out.merge(
        england[["indicator_id", "value"]].rename(columns={"value": "england_value"}), on="indicator_id", how="outer"
    )
    return out


def ward_facts(tidy: Tidy, ward_code: str) -> pd.DataFrame:
    """One row per indicator with a value (or a missing-value note) for the ward: its value and
    CI, the place and England values, its rank among the place's wards and its significance
    against England (or, where England has no value, against the place)."""
    wards = place_wards(tidy)["area_code"].tolist()
    v = _latest(tidy)
    ward_rows = v[(v["area_type"] == "ward") & v["area_code"].isin(wards)]
    this = ward_rows[ward_rows["area_code"] == ward_code]
    meta = tidy.indicators[
        [
            "indicator_id",
            "name",
            "topic",
            "unit",
            "value_type",
            "polarity",
            "decimals",
            "source",
            "vintage",
            "licence",
            "ward_method",
            "method",
        ]
    ]
    facts = this[
        ["indicator_id", "period", "value", "lower_ci", "upper_ci", "value_note", "count", "denominator"]
    ].merge(meta, on="indicator_id", how="left")
    facts = facts.merge(reference_values(tidy, facts["indicator_id"].tolist()), on="indicator_id", how="left")
    facts = periods.match_reference_periods(tidy, facts)  # compare like with like: the ward's own period
    # Ranks among the place's wards for every indicator at once (the rule of statistics.rank_descending).
    grouped = ward_rows.groupby("indicator_id")["value"]
    ranked = ward_rows.assign(rank=grouped.transform(statistics.rank_descending), n_wards=grouped.transform("count"))
    ranked = ranked.loc[ranked["area_code"] == ward_code, ["indicator_id", "rank", "n_wards"]]
    facts = facts.merge(ranked, on="indicator_id", how="left")
    facts["n_wards"] = facts["n_wards"].fillna(0).astype(int)
    significance, compared_with, ratios = [], [], []
    for row in facts.itertuples(index=False):
        use_england = not pd.isna(row.england_value)
        reference = row.england_value if use_england else row.place_value
        significance.append(
            statistics.classify_significance(
                value=row.value,
                lower_ci=row.lower_ci,
                upper_ci=row.upper_ci,
                reference=reference,
                polarity=str(row.polarity),
            )
        )
        compared_with.append("England" if use_england else ("place" if not pd.isna(row.place_value) else ""))
        ratios.append(statistics.ratio_to(row.value, row.england_value))
    facts["significance"] = significance
    facts["compared_with"] = compared_with
    facts["ratio_england"] = ratios
    return facts.sort_values(["topic", "name"]).reset_index(drop=True)


def spine_rows(facts: pd.DataFrame) -> pd.DataFrame:
    """The facts a spine chart can show: value types comparable with England, with an England
    value (the rest stay in the table under the chart)."""
    keep = (
        facts["value_type"].isin(SPINE_VALUE_TYPES)
        & ~facts["indicator_id"].str.match(_DOMAIN_ID.pattern)
        & facts["england_value"].notna()
        & facts["england_value"].ne(0)  # an index centred on England (SAMHI: 0 = England) has no ratio to it
    )
    return facts[keep].reset_index(drop=True)


def imd_domains(tidy: Tidy, ward_code: str) -> pd.DataFrame:
    """IMD domain scores 2019 and 2025 for a ward: domain, score_2019, score_2025 (missing allowed)."""
    v = _latest(tidy)
    rows = v[
        (v["area_type"] == "ward") & (v["area_code"] == ward_code) & v["indicator_id"].str.match(_DOMAIN_ID.pattern)
    ]
    if rows.empty:
        return pd.DataFrame(columns=["domain", "label", "score_2019", "score_2025"])
    parts = rows["indicator_id"].str.extract(_DOMAIN_ID)
    rows = rows.assign(year=parts["year"].to_numpy(), domain=parts["domain"].to_numpy())
    table = rows.pivot_table(index="domain", columns="year", values="value", aggfunc="first", dropna=False)
    table = table.reindex(columns=["2019", "2025"])
    order = {d: i for i, d in enumerate(IMD_DOMAINS)}
    out = pd.DataFrame(
        {
            "domain": table.index,
            "label": [IMD_DOMAINS.get(d, d.replace("_", " ").capitalize()) for d in table.index],
            "score_2019": table["2019"].to_numpy(),
            "score_2025": table["2025"].to_numpy(),
        }
    )
    return out.sort_values("domain", key=lambda s: s.map(lambda d: order.get(d, 99))).reset_index(drop=True)


def ward_lsoas(tidy: Tidy, ward_code: str, *, vintage: str = "2021") -> pd.DataFrame:
    """The LSOAs (of a boundary vintage) that lie in a ward, with the share of each LSOA in it."""
    w = tidy.weights
    rows = w[(w["ward_code"] == ward_code) & (w["lsoa_vintage"].astype(str) == vintage)][
        ["lsoa_code", "weight", "method"]
    ]
    if rows.empty:
        a = tidy.areas
        codes = a.loc[
            (a["area_type"] == "lsoa")
            & (a["boundary_vintage"].astype(str) == vintage)
            & (a["parent_code"] == ward_code),
            "area_code",
        ]
        rows = pd.DataFrame({"lsoa_code": codes, "weight": 1.0, "method": "main ward (no weights table)"})
    names = tidy.areas.drop_duplicates("area_code").set_index("area_code")["area_name"]
    rows = rows.assign(lsoa_name=rows["lsoa_code"].map(names))
    rows = rows.rename(columns={"weight": "share_in_ward"})
    rows["split"] = rows["share_in_ward"] < 0.999
    return (
        rows[["lsoa_code", "lsoa_name", "share_in_ward", "split", "method"]]
        .sort_values("lsoa_code")
        .reset_index(drop=True)
    )


def lsoa_table(tidy: Tidy, ward_code: str, indicator_ids: list[str], *, vintage: str) -> pd.DataFrame:
    """The ward's LSOAs with their latest values of some indicators (one column per indicator)."""
    lsoas = ward_lsoas(tidy, ward_code, vintage=vintage)
    v = _latest(tidy)
    rows = v[
        (v["area_type"] == "lsoa") & v["area_code"].isin(lsoas["lsoa_code"]) & v["indicator_id"].isin(indicator_ids)
    ]
    wide = rows.pivot_table(index="area_code", columns="indicator_id", values="value", aggfunc="first")
    for indicator_id in indicator_ids:
        if indicator_id not in wide.columns:
            wide[indicator_id] = np.nan
    return lsoas.merge(wide[indicator_ids], left_on="lsoa_code", right_index=True, how="left")


def ward_sites(tidy: Tidy, ward_code: str) -> pd.DataFrame:
    """Partner sites (GP practices, pharmacies, ...) located in a ward."""
    s = tidy.partner_sites
    return (
        s[s["ward_code"] == ward_code][["name", "kind", "org_code", "postcode", "lon", "lat", "source_id"]]
        .sort_values(["kind", "name"])
        .reset_index(drop=True)
    )


def compare_table(tidy: Tidy, ward_codes: list[str]) -> pd.DataFrame:
    """Every ward-level indicator (rows) for a few wards (columns), plus the place and England."""
    v = _latest(tidy)
    rows = v[(v["area_type"] == "ward") & v["area_code"].isin(ward_codes)]
    wide = rows.pivot_table(index="indicator_id", columns="area_code", values="value", aggfunc="first", dropna=False)
    wide = wide.reindex(columns=ward_codes)
    refs = reference_values(tidy).set_index("indicator_id")
    meta = tidy.indicators.set_index("indicator_id")
    out = meta.loc[meta.index.intersection(wide.index), ["name", "topic", "unit", "value_type", "polarity", "decimals"]]
    out = out.join(wide).join(refs[["place_value", "england_value"]], how="left")
    return out.reset_index().sort_values(["topic", "name"]).reset_index(drop=True)


def with_provenance(frame: pd.DataFrame, tidy: Tidy) -> pd.DataFrame:
    """Add the provenance columns (indicator name, source, vintage, licence, method) to a frame
    that has an ``indicator_id`` column, for downloads."""
    meta = tidy.indicators[
        ["indicator_id", "name", "unit", "source", "publisher", "vintage", "licence", "ward_method", "method"]
    ]
    meta = meta.rename(columns={"name": "indicator_name"})
    drop = [c for c in PROVENANCE_COLUMNS if c in frame.columns]
    return frame.drop(columns=drop).merge(meta, on="indicator_id", how="left")


def values_for_download(tidy: Tidy, indicator_ids: list[str] | None = None) -> pd.DataFrame:
    v = tidy.values if indicator_ids is None else tidy.values[tidy.values["indicator_id"].isin(indicator_ids)]
    return with_provenance(v, tidy)
