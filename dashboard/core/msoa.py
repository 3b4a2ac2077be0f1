"""MSOAs as a level of their own: which MSOAs a ward is made of, each MSOA's own figures with
their England comparison, and the words for where that comparison comes from.

A ward figure "indicative, from MSOA figures" is a population-weighted mean of the MSOAs it
overlaps; it has no confidence interval, so the honest comparison with England is the MSOAs'
own: from their confidence intervals where the source gives them, else the source's own flag
(Local Health and NCMP publish "Worse / Similar / Better than England" without intervals).
"""

from __future__ import annotations

import pandas as pd

from dashboard.core import periods, statistics
from dashboard.core.cells import is_missing
from dashboard.core.tidy_tables import Tidy

LEVEL = "msoa"
FROM_CI = "significance from the CI"
FROM_FLAG = "the source's flag"
NO_BASIS = "not compared"
# The source's flag in value_note, e.g. "Worse than England (= 100)"; first match wins.
FLAG_WORDS: tuple[tuple[str, str], ...] = (
    ("worse", statistics.WORSE),
    ("better", statistics.BETTER),
    ("similar", statistics.SIMILAR),
    ("not significantly different", statistics.SIMILAR),
    ("higher", statistics.HIGHER),
    ("lower", statistics.LOWER),
)
MIN_SHARE = 0.005  # MSOAs making up less than 0.5% of a ward (a sliver of a split LSOA) are left out


def source_flag(note: object) -> str | None:
    """The England comparison a source wrote into value_note ('Worse than England (= 100)'), or None."""
    if not isinstance(note, str) or "england" not in note.lower():
        return None
    text = note.lower()
    for word, category in FLAG_WORDS:
        if word in text:
            return category
    return None


def compare_with_england(
    *, value: float | None, lower_ci: float | None, upper_ci: float | None, england: float | None, polarity: str, note
) -> tuple[str, str]:
    """(significance, basis): from the interval when there is one, else the source's flag."""
    if is_missing(value):
        return statistics.MISSING, NO_BASIS
    if not is_missing(lower_ci) and not is_missing(upper_ci):
        significance = statistics.classify_significance(
            value=value, lower_ci=lower_ci, upper_ci=upper_ci, reference=england, polarity=polarity
        )
        if significance != statistics.NOT_COMPARED:
            return significance, FROM_CI
    flag = source_flag(note)
    if flag is not None:
        return flag, FROM_FLAG
    return statistics.NOT_COMPARED, NO_BASIS


def place_msoas(tidy: Tidy) -> pd.DataFrame:
    """The place's MSOAs (area_code, area_name) from the areas table, sorted by name."""
    a = tidy.areas
    rows = a[(a["area_type"] == LEVEL) & (a["parent_code"] == tidy.lad_code)]
    if rows.empty:
        rows = a[a["area_type"] == LEVEL]
    return rows[["area_code", "area_name"]].drop_duplicates("area_code").sort_values("area_name").reset_index(drop=True)


def lsoa_msoa(tidy: Tidy) -> pd.DataFrame:
    """lsoa_code -> msoa_code for 2021 LSOAs, by the ONS naming rule: an LSOA is named after its
    MSOA plus one letter ('Hyndburn 001A' is in 'Hyndburn 001')."""
    a = tidy.areas
    lsoas = a[(a["area_type"] == "lsoa") & (a["boundary_vintage"].astype(str) == "2021")]
    msoas = place_msoas(tidy)
    by_name = dict(zip(msoas["area_name"], msoas["area_code"], strict=True))
    out = pd.DataFrame(
        {"lsoa_code": lsoas["area_code"], "msoa_code": lsoas["area_name"].astype(str).str[:-1].map(by_name)}
    )
    return out.dropna().drop_duplicates("lsoa_code").reset_index(drop=True)


def ward_msoa_shares(tidy: Tidy) -> pd.DataFrame:
    """ward_code, msoa_code, msoa_name, share (of the ward's residents, where LSOA populations
    are held, else of its LSOAs by the LSOA-to-ward weights), lsoas (how many LSOAs link them)."""
    w = tidy.weights
    w = w[w["lsoa_vintage"].astype(str) == "2021"][["lsoa_code", "ward_code", "weight"]]
    links = w.merge(lsoa_msoa(tidy), on="lsoa_code", how="inner")
    if links.empty:
        return pd.DataFrame(columns=["ward_code", "msoa_code", "msoa_name", "share", "lsoas"])
    v = tidy.latest if tidy.latest is not None else tidy.values
    pop = v[(v["indicator_id"] == "population") & (v["area_type"] == "lsoa")].set_index("area_code")["value"]
    people = links["lsoa_code"].map(pop)
    links = links.assign(mass=links["weight"] * (people if people.notna().all() else 1.0))
    grouped = links.groupby(["ward_code", "msoa_code"]).agg(mass=("mass", "sum"), lsoas=("lsoa_code", "nunique"))
    grouped = grouped.reset_index()
    grouped["share"] = grouped["mass"] / grouped.groupby("ward_code")["mass"].transform("sum")
    names = place_msoas(tidy).set_index("area_code")["area_name"]
    grouped["msoa_name"] = grouped["msoa_code"].map(names)
    keep = grouped[grouped["share"] >= MIN_SHARE]
    return keep[["ward_code", "msoa_code", "msoa_name", "share", "lsoas"]].sort_values(
        ["ward_code", "share"], ascending=[True, False]
    )


def ward_msoas(tidy: Tidy, ward: str) -> pd.DataFrame:
    """The MSOAs a ward overlaps, largest share first."""
    shares = ward_msoa_shares(tidy)
    return shares[shares["ward_code"] == ward].drop(columns="ward_code").reset_index(drop=True)


def main_ward_of_msoa(tidy: Tidy) -> dict[str, str]:
    """Each MSOA's main ward (where most of its LSOA weight lies): a click on an MSOA opens it."""
    w = tidy.weights
    w = w[w["lsoa_vintage"].astype(str) == "2021"].merge(lsoa_msoa(tidy), on="lsoa_code")
    if w.empty:
        return {}
    total = w.groupby(["msoa_code", "ward_code"])["weight"].sum().reset_index()
    best = total.sort_values(["msoa_code", "weight"], ascending=[True, False]).drop_duplicates("msoa_code")
    return dict(zip(best["msoa_code"], best["ward_code"], strict=True))


def msoa_figures(
    tidy: Tidy, ward: str, indicator_ids: list[str], *, behind: pd.DataFrame | None = None
) -> pd.DataFrame:
    """The MSOA figures behind a ward: one row per (MSOA the ward overlaps, indicator), with the
    MSOA's value, CI, England value of the same period, its comparison and where that comes from."""
    columns = [
        "msoa_code",
        "msoa_name",
        "share",
        "indicator_id",
        "name",
        "period",
        "value",
        "lower_ci",
        "upper_ci",
        "england_value",
        "significance",
        "basis",
        "value_note",
    ]
    behind = ward_msoas(tidy, ward) if behind is None else behind
    if behind.empty or not indicator_ids:
        return pd.DataFrame(columns=columns)
    latest = tidy.latest if tidy.latest is not None else tidy.values
    rows = latest[
        (latest["area_type"] == LEVEL)
        & latest["area_code"].isin(behind["msoa_code"])
        & latest["indicator_id"].isin(indicator_ids)
    ]
    rows = rows.merge(behind, left_on="area_code", right_on="msoa_code", how="inner")
    refs = periods.reference_rows(tidy, indicator_ids)[["indicator_id", "period", "england_value"]]
    rows = rows.merge(refs, on=["indicator_id", "period"], how="left")
    meta = tidy.indicators[["indicator_id", "name", "polarity"]]
    rows = rows.merge(meta, on="indicator_id", how="left")
    judged = [
        compare_with_england(value=v, lower_ci=lo, upper_ci=hi, england=e, polarity=str(p), note=n)
        for v, lo, hi, e, p, n in zip(
            rows["value"],
            rows["lower_ci"],
            rows["upper_ci"],
            rows["england_value"],
            rows["polarity"],
            rows["value_note"],
            strict=True,
        )
    ]
    rows["significance"] = [j[0] for j in judged]
    rows["basis"] = [j[1] for j in judged]
    order = {c: i for i, c in enumerate(indicator_ids)}
    rows = rows.assign(_o=rows["indicator_id"].map(order)).sort_values(["_o", "share"], ascending=[True, False])
    return rows[columns].reset_index(drop=True)


def with_england_comparison(tidy: Tidy, rows: pd.DataFrame, meta: dict) -> pd.DataFrame:
    """MSOA rows of one indicator plus england_value (same period), significance and basis."""
    refs = periods.reference_rows(tidy, [str(meta["indicator_id"])])[["period", "england_value"]]
    out = rows.merge(refs, on="period", how="left") if "period" in rows else rows.assign(england_value=float("nan"))
    judged = [
        compare_with_england(value=v, lower_ci=lo, upper_ci=hi, england=e, polarity=str(meta["polarity"]), note=n)
        for v, lo, hi, e, n in zip(
            out["value"], out["lower_ci"], out["upper_ci"], out["england_value"], out["value_note"], strict=True
        )
    ]
    return out.assign(significance=[j[0] for j in judged], basis=[j[1] for j in judged])
