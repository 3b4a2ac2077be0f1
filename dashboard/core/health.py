"""The ward profile's Health section as plain data: life expectancy against the place, England
and the best ward; the causes of death and admissions flagged worse than England in the MSOAs
behind the ward; disease prevalence from GP registers; child obesity; mental health (SAMHI).

Which indicators are shown is configured here, in one place; ids the build has not produced
become a stated gap (``HealthData.gaps``), never an error or an empty chart.
"""

from __future__ import annotations

import pandas as pd

from dashboard.core import msoa, selection, statistics
from dashboard.core.cells import is_missing
from dashboard.core.tidy_tables import Tidy
from dashboard.core.wording import format_value

# --- what the section shows (the one curated list) ----------------------------------------------
LIFE_EXPECTANCY: tuple[tuple[str, str], ...] = (("life_expectancy_male", "Men"), ("life_expectancy_female", "Women"))
QOF_PREFIX = "qof_"
# Disease registers in the order they are shown (the rest of the qof_ ids with ward rows follow by name).
QOF_ORDER: tuple[str, ...] = (
    "qof_hyp",
    "qof_dm",
    "qof_dep",
    "qof_ast",
    "qof_copd",
    "qof_ob",
    "qof_chd",
    "qof_ckd",
    "qof_mh",
    "qof_dem",
    "qof_af",
    "qof_can",
    "qof_hf",
    "qof_stia",
)
# Shown as tiles and named in the summary when present.
KEY_CONDITIONS: tuple[str, ...] = ("qof_dm", "qof_hyp", "qof_dep")
CHILD_OBESITY: tuple[tuple[str, str], ...] = (
    ("child_obesity_reception", "Reception (age 4-5)"),
    ("child_obesity_year6", "Year 6 (age 10-11)"),
)
SAMHI_INDEX = "samhi_index"
SAMHI_PREFIX = "samhi_"
# Local Health MSOA ratios (England = 100): deaths, admissions, cancer incidence.
MSOA_RATIO_PREFIXES: tuple[str, ...] = ("smr_", "sar_", "sir_")
RATIO_KINDS = {"smr_": "Deaths", "sar_": "Hospital admissions", "sir_": "Cancer incidence"}

INDICATIVE_MSOA = "indicative, from MSOA figures"
FROM_GP_REGISTERS = "estimated from GP registers"


def coarser_label(*, value_note: object, ward_method: object, source_geography: object = "") -> str:
    """The short words that go next to a ward figure made from a coarser geography ('' when it
    is not): MSOA-based figures are indicative, GP-practice-based ones estimated from registers."""
    note = value_note.lower() if isinstance(value_note, str) else ""
    method = f"{ward_method or ''}".lower()
    geography = f"{source_geography or ''}".lower()
    if "msoa" in note or "msoa" in method:
        return INDICATIVE_MSOA
    if "register" in note or "practice" in note or "gp practice" in geography or "gp" in method.split("-"):
        return FROM_GP_REGISTERS
    if "indicative" in note or note.startswith("estimate"):
        return str(value_note).split(";")[0].split(" (")[0]
    return ""


def short_name(name: str) -> str:
    """A label that fits a tile: 'Hypertension' from 'Hypertension: recorded prevalence (QOF ...)'."""
    return name.split(": ")[0].strip() if ": " in name else name


def known_ids(tidy: Tidy) -> set[str]:
    return set(tidy.indicators["indicator_id"])


def qof_ids(tidy: Tidy) -> list[str]:
    """QOF register ids with ward values, curated order first, then the others by id."""
    v = tidy.values
    with_wards = set(v.loc[(v["area_type"] == "ward") & v["indicator_id"].str.startswith(QOF_PREFIX), "indicator_id"])
    return [i for i in QOF_ORDER if i in with_wards] + sorted(with_wards - set(QOF_ORDER))


def ratio_ids(tidy: Tidy) -> list[str]:
    """The Local Health MSOA ratio ids with MSOA values (deaths, then admissions, then cancer)."""
    v = tidy.values
    ids = set(v.loc[v["area_type"] == msoa.LEVEL, "indicator_id"])
    return [i for prefix in MSOA_RATIO_PREFIXES for i in sorted(ids) if i.startswith(prefix)]


def samhi_extra_ids(tidy: Tidy) -> list[str]:
    """SAMHI indicators other than the index (e.g. the share of residents in the worst decile)."""
    return sorted(i for i in known_ids(tidy) if i.startswith(SAMHI_PREFIX) and i != SAMHI_INDEX)


def compare_rows(tidy: Tidy, ward: str, indicator_ids: list[str], *, facts: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per indicator the ward has a value for (ids without one are left out): the
    ward's latest value and CI, the place and England values *of the same period*, the
    significance against England (else the place) from the ward's CI, and the label saying
    when the ward figure is made from a coarser geography."""
    facts = selection.ward_facts(tidy, ward) if facts is None else facts
    facts = facts[facts["indicator_id"].isin(indicator_ids)]
    if facts.empty:
        return facts.assign(coarser=pd.Series(dtype="object"))
    meta = tidy.indicators.set_index("indicator_id")
    facts = facts.assign(
        coarser=[
            coarser_label(
                value_note=n, ward_method=meta.at[i, "ward_method"], source_geography=meta.at[i, "source_geography"]
            )
            for i, n in zip(facts["indicator_id"], facts["value_note"], strict=True)
        ]
    )
    latest = selection.reference_values(tidy, indicator_ids).set_index("indicator_id")["england_value"]
    periods_latest = _latest_england_periods(tidy, indicator_ids)
    facts = facts.assign(
        england_latest_value=facts["indicator_id"].map(latest),
        england_latest_period=facts["indicator_id"].map(periods_latest),
    )
    order = {i: k for k, i in enumerate(indicator_ids)}
    return facts.assign(_o=facts["indicator_id"].map(order)).sort_values("_o").drop(columns="_o").reset_index(drop=True)


def _latest_england_periods(tidy: Tidy, indicator_ids: list[str]) -> pd.Series:
    v = tidy.latest if tidy.latest is not None else tidy.values
    rows = v[(v["area_type"] == "england") & v["indicator_id"].isin(indicator_ids) & v["value"].notna()]
    return rows.drop_duplicates("indicator_id", keep="last").set_index("indicator_id")["period"]


def best_wards(tidy: Tidy, rows: pd.DataFrame) -> pd.DataFrame:
    """For each row (indicator and period): the place's best ward by polarity, its value, and
    the gap from this ward to it (positive = the best ward is better by that much)."""
    wards = selection.place_wards(tidy)
    names = dict(zip(wards["area_code"], wards["area_name"], strict=True))
    v = tidy.values
    out = rows.copy()
    best_name, best_value, gaps = [], [], []
    for row in rows.itertuples(index=False):
        candidates = v[
            (v["indicator_id"] == row.indicator_id)
            & (v["period"] == row.period)
            & (v["area_type"] == "ward")
            & v["area_code"].isin(names)
        ].dropna(subset=["value"])
        if candidates.empty or is_missing(row.value):
            best_name.append("")
            best_value.append(float("nan"))
            gaps.append(float("nan"))
            continue
        higher_better = str(row.polarity) != "lower_is_better"
        top = candidates.sort_values("value", ascending=not higher_better).iloc[0]
        best_name.append(names[top["area_code"]])
        best_value.append(float(top["value"]))
        gap = float(top["value"]) - float(row.value)
        gaps.append(gap if higher_better else -gap)
    return out.assign(best_ward=best_name, best_value=best_value, gap_to_best=gaps)


def life_expectancy(tidy: Tidy, ward: str, *, facts: pd.DataFrame | None = None) -> pd.DataFrame:
    """Life expectancy rows (men, women) with the best ward and the gap to it in years."""
    ids = [i for i, _ in LIFE_EXPECTANCY]
    rows = compare_rows(tidy, ward, ids, facts=facts)
    labels = dict(LIFE_EXPECTANCY)
    rows = rows.assign(sex=rows["indicator_id"].map(labels))
    return best_wards(tidy, rows)


def worse_than_england(tidy: Tidy, ward: str, *, figures: pd.DataFrame | None = None) -> pd.DataFrame:
    """The Local Health causes of death, admissions and cancer incidence that the source flags
    significantly worse than England in at least one of the MSOAs the ward overlaps: one row
    per indicator with how many of those MSOAs are worse and what share of the ward they make up
    (the ward itself has no figure: these are the MSOAs' own comparisons)."""
    figures = msoa.msoa_figures(tidy, ward, ratio_ids(tidy)) if figures is None else figures
    columns = ["indicator_id", "name", "kind", "period", "worse_msoas", "msoas", "worse_share", "worst_value"]
    if figures.empty:
        return pd.DataFrame(columns=columns)
    figures = figures.assign(is_worse=figures["significance"] == statistics.WORSE)
    grouped = figures.groupby("indicator_id", sort=False)
    out = pd.DataFrame(
        {
            "name": grouped["name"].first(),
            "period": grouped["period"].first(),
            "worse_msoas": grouped["is_worse"].sum().astype(int),
            "msoas": grouped["msoa_code"].nunique(),
            "worse_share": figures.assign(s=figures["share"].where(figures["is_worse"], 0.0))
            .groupby("indicator_id", sort=False)["s"]
            .sum(),
            "worst_value": grouped["value"].max(),
        }
    ).reset_index()
    out["kind"] = [next((k for p, k in RATIO_KINDS.items() if i.startswith(p)), "") for i in out["indicator_id"]]
    out = out[out["worse_msoas"] > 0]
    return out.sort_values(["worse_share", "worst_value"], ascending=[False, False])[columns].reset_index(drop=True)


def worse_lines(worse: pd.DataFrame) -> list[tuple[str, str, str]]:
    """(kind, period, items) per kind of ratio, worst first: items like 'COPD 322' or, where the
    worse MSOAs cover only part of the ward, 'COPD 150 (MSOAs covering 17% of the ward)'."""
    out = []
    for kind, part in worse.groupby("kind", sort=False):
        items = []
        for r in part.to_dict("records"):
            name = str(r["name"]).rsplit(" (", 1)[0]
            cover = "" if r["worse_share"] >= 0.995 else f" (MSOAs covering {r['worse_share'] * 100:.0f}% of the ward)"
            items.append(f"{name} {r['worst_value']:.0f}{cover}")
        out.append((str(kind), " / ".join(dict.fromkeys(part["period"].astype(str))), "; ".join(items)))
    return out


def years_text(gap: float) -> str:
    return f"{abs(gap):.1f} year{'' if round(abs(gap), 1) == 1 else 's'}"


def _gaps_phrase(diffs: list[tuple[str, float]], *, what: str) -> str:
    """'5.3 and 4.2 years less than {what}' when every sex differs the same way, else
    'men 1.2 years less and women 0.3 years more than {what}' ('the same as' for no difference)."""
    signs = {(-1 if d < 0 else 1) if round(d, 1) else 0 for _, d in diffs}
    if signs == {0}:
        return f"the same as {what}"
    if len(signs) == 1:
        word = "less" if signs == {-1} else "more"
        numbers = " and ".join(f"{abs(d):.1f}" for _, d in diffs)
        return f"{numbers} year{'' if len(diffs) == 1 and round(abs(diffs[0][1]), 1) == 1 else 's'} {word} than {what}"
    parts = [
        f"{who} the same" if not round(d, 1) else f"{who} {years_text(d)} {'less' if d < 0 else 'more'}"
        for who, d in diffs
    ]
    return f"{' and '.join(parts)} than {what}"


def life_expectancy_sentences(rows: pd.DataFrame, *, ward_name: str, place_name: str) -> list[str]:
    """The plain-words life expectancy sentence: how long men and women can expect to live, and
    how that compares with England and the ward where people live longest (``rows`` from
    ``life_expectancy``). Empty when the build has no life expectancy for the ward."""
    rows = rows[rows["value"].notna()].reset_index(drop=True)
    if rows.empty:
        return []
    who = [str(s).lower() for s in rows["sex"]]
    values = [f"{v:.1f} years" for v in rows["value"]]
    sentence = f"{who[0].capitalize()} in {ward_name} can expect to live {values[0]}"
    sentence += "".join(f" and {w} {v}" for w, v in zip(who[1:], values[1:], strict=True))
    label = next((c for c in rows["coarser"] if c), "")
    sentence += f" ({rows['period'].iloc[0]}{'; ' + label if label else ''})"
    comparisons = []
    england = [(w, r.value - r.england_value) for w, r in zip(who, rows.itertuples(index=False), strict=True)]
    england = [(w, d) for w, d in england if not is_missing(d)]
    if england:
        comparisons.append(_gaps_phrase(england, what="the England average"))
    elif rows["england_latest_value"].notna().any() if "england_latest_value" in rows else False:
        latest = rows[rows["england_latest_value"].notna()]
        figures = " and ".join(
            f"{v:.1f} years for {w}" for w, v in zip(who, latest["england_latest_value"], strict=False)
        )
        comparisons.append(
            f"England has no figure for the same years in the source (its latest, "
            f"{latest['england_latest_period'].iloc[0]}, is {figures})"
        )
    best = {r.best_ward for r in rows.itertuples(index=False) if r.best_ward}
    if best == {ward_name}:
        comparisons.append(f"the longest of {place_name}'s wards")
    elif len(best) == 1:
        gaps = [(w, -r.gap_to_best) for w, r in zip(who, rows.itertuples(index=False), strict=True)]
        comparisons.append(
            f"{_gaps_phrase(gaps, what='in ' + best.pop())}, the {place_name} ward where people live longest"
        )
    elif best:
        parts = [
            f"{w} "
            + ("live longest here" if r.best_ward == ward_name else f"{years_text(r.gap_to_best)} less than in ")
            + ("" if r.best_ward == ward_name else r.best_ward)
            for w, r in zip(who, rows.itertuples(index=False), strict=True)
            if r.best_ward
        ]
        comparisons.append(f"{' and '.join(parts)} (the {place_name} wards where each lives longest)")
    if comparisons:
        sentence += ": " + ", and ".join(comparisons)
    return [sentence + "."]


def comparison_text(row: dict | pd.Series, *, place_name: str) -> str:
    """'Hyndburn 77.5 years · England 79.4 years' for a compare_rows row."""
    t, u, d = str(row["value_type"]), str(row.get("unit") or ""), int(row["decimals"])
    parts = []
    if not is_missing(row.get("place_value")):
        parts.append(f"{place_name} {format_value(row['place_value'], value_type=t, unit=u, decimals=d)}")
    if not is_missing(row.get("england_value")):
        parts.append(f"England {format_value(row['england_value'], value_type=t, unit=u, decimals=d)}")
    elif not is_missing(row.get("england_latest_value")):
        latest = format_value(row["england_latest_value"], value_type=t, unit=u, decimals=d)
        parts.append(f"England: none for {row['period']} (latest, {row['england_latest_period']}: {latest})")
    return " · ".join(parts)
