"""Ready-to-draw frames for the pages: selection + statistics + wording, still no Streamlit."""

from __future__ import annotations

import pandas as pd

from dashboard.core import headlines, msoa, selection, statistics
from dashboard.core.geometry import subset_geojson
from dashboard.core.tidy_tables import Tidy
from dashboard.core.wording import format_ci, format_value, rank_text

LEVEL_WORDS = {"ward": "wards", "lsoa": "neighbourhoods", "msoa": "MSOAs"}


def source_text(meta: dict, *, limit: int = 90) -> str:
    """A short source line for hovers: 'publisher, vintage' (the full source is on the Data page)."""
    parts = [str(meta.get(k)) for k in ("publisher", "vintage") if meta.get(k) and not pd.isna(meta.get(k))]
    text = ", ".join(parts) or str(meta.get("source") or meta.get("source_id") or "")
    return text if len(text) <= limit else text[: limit - 1] + "…"


def level_codes(tidy: Tidy, meta: dict, *, level: str) -> tuple[list[str], dict]:
    """The place's areas at a level (wards, or LSOAs of the indicator's vintage) and their boundaries."""
    if level == "ward":
        codes = selection.place_wards(tidy)["area_code"].tolist()
        return codes, tidy.boundaries.get("ward", {})
    if level == msoa.LEVEL:
        codes = msoa.place_msoas(tidy)["area_code"].tolist()
        return codes, subset_geojson(tidy.boundaries.get("msoa_2021", {}), codes)
    vintage = selection.lsoa_vintage_of(meta)
    codes = selection.place_lsoa_codes(tidy, vintage)
    return codes, subset_geojson(tidy.boundaries.get(f"lsoa_{vintage}", {}), codes)


def map_frame(
    tidy: Tidy, indicator_id: str, *, level: str, period: str | None = None
) -> tuple[pd.DataFrame, dict, dict]:
    """(rows for the choropleth with hover texts, geojson, indicator metadata); the latest
    period unless ``period`` is given. MSOA rows also carry their England comparison and
    where it comes from (the CI, or the source's flag)."""
    meta = selection.indicator_meta(tidy, indicator_id)
    codes, geojson = level_codes(tidy, meta, level=level)
    rows = selection.area_values(tidy, indicator_id, area_type=level, codes=codes, period=period)
    t, u, d = str(meta["value_type"]), str(meta.get("unit") or ""), int(meta["decimals"])
    ranks = statistics.rank_descending(rows["value"])
    n = int(rows["value"].notna().sum())
    rows["value_text"] = [
        (
            f"{format_value(v, value_type=t, unit=u, decimals=d)} "
            f"({format_ci(lo, hi, value_type=t, unit=u, decimals=d)})"
            if format_ci(lo, hi, value_type=t, unit=u, decimals=d)
            else format_value(v, value_type=t, unit=u, decimals=d)
        )
        if not pd.isna(v)
        else f"missing: {note}"
        for v, lo, hi, note in zip(rows["value"], rows["lower_ci"], rows["upper_ci"], rows["value_note"], strict=True)
    ]
    if level == msoa.LEVEL:
        rows = msoa.with_england_comparison(tidy, rows, meta)
        rows["value_text"] = [
            f"{text}<br>Compared with England: {c} ({b})" if c != "missing" else text
            for text, c, b in zip(rows["value_text"], rows["significance"], rows["basis"], strict=True)
        ]
    rows["rank_text"] = [rank_text(r, n, area_word=f"{LEVEL_WORDS[level]} in {tidy.place_name}") for r in ranks]
    rows["rank"] = ranks
    rows["source"] = source_text(meta)
    return rows, geojson, meta


def short_vintage(meta: dict) -> str:
    """'2025' from '2025 (published 30 October 2025; mid-2022 populations)'."""
    text = str(meta.get("vintage") or "")
    return text.split(" (")[0].split(";")[0].strip()


def map_title(meta: dict, *, level: str, place_name: str) -> str:
    return f"{meta['name']} by {LEVEL_WORDS[level][:-1]}, {place_name} ({short_vintage(meta)})".replace(" ()", "")


def headline_tiles(facts: pd.DataFrame, ids: list[str]) -> list[dict]:
    """Tile contents (label, value, comparison text, help) for the headline indicators present."""
    tiles = []
    for indicator_id in ids:
        rows = facts[facts["indicator_id"] == indicator_id]
        if rows.empty:
            continue
        f = rows.iloc[0]
        t, u, d = str(f["value_type"]), str(f["unit"] or ""), int(f["decimals"])
        value = format_value(f["value"], value_type=t, unit=u, decimals=d)
        if pd.isna(f["value"]):
            detail = f"missing: {f['value_note']}"
        elif t in ("decile", "rank"):
            detail = "1 = most deprived 10% in England" if t == "decile" else ""
        elif not pd.isna(f["england_value"]) and t != "count":
            detail = (
                f"England {format_value(f['england_value'], value_type=t, unit=u, decimals=d)} · {f['significance']}"
            )
        elif t == "count" and not pd.isna(f["place_value"]):
            detail = f"{format_value(f['place_value'], value_type=t, unit=u, decimals=d)} in the place"
        else:
            detail = ""
        help_text = (
            f"{f['name']}. Source: {f['source']} ({f['vintage']}). Ward figure: {f['ward_method']}. "
            f"{rank_text(f['rank'], int(f['n_wards']))}."
        )
        label = headlines.TILE_LABELS.get(indicator_id, str(f["name"]))
        tiles.append(
            {"indicator_id": indicator_id, "label": label, "value": value, "detail": detail, "help": help_text}
        )
    return tiles


def facts_table(facts: pd.DataFrame) -> pd.DataFrame:
    """A readable table of the facts (the table alternative to the spine chart)."""
    out = pd.DataFrame(
        {
            "indicator": facts["name"],
            "topic": facts["topic"],
            "ward": [
                format_value(v, value_type=t, unit=u, decimals=d)
                for v, t, u, d in zip(
                    facts["value"], facts["value_type"], facts["unit"].fillna(""), facts["decimals"], strict=True
                )
            ],
            "95% CI": [
                format_ci(lo, hi, value_type=t, decimals=d)
                for lo, hi, t, d in zip(
                    facts["lower_ci"], facts["upper_ci"], facts["value_type"], facts["decimals"], strict=True
                )
            ],
            "place": [
                format_value(v, value_type=t, unit=u, decimals=d)
                for v, t, u, d in zip(
                    facts["place_value"], facts["value_type"], facts["unit"].fillna(""), facts["decimals"], strict=True
                )
            ],
            "England": [
                format_value(v, value_type=t, unit=u, decimals=d)
                for v, t, u, d in zip(
                    facts["england_value"],
                    facts["value_type"],
                    facts["unit"].fillna(""),
                    facts["decimals"],
                    strict=True,
                )
            ],
            "compared with England": facts["significance"],
            "rank in place (1 = highest)": [
                rank_text(r, int(n)) for r, n in zip(facts["rank"], facts["n_wards"], strict=True)
            ],
            "note": facts["value_note"].fillna(""),
        }
    )
    return out


def ranking_frame(tidy: Tidy, indicator_id: str) -> tuple[pd.DataFrame, dict, float | None, float | None]:
    meta = selection.indicator_meta(tidy, indicator_id)
    codes = selection.place_wards(tidy)["area_code"].tolist()
    rows = selection.area_values(tidy, indicator_id, area_type="ward", codes=codes)
    refs = selection.reference_values(tidy, [indicator_id])
    place_value = refs["place_value"].iloc[0] if len(refs) else None
    england_value = refs["england_value"].iloc[0] if len(refs) else None
    return rows, meta, place_value, england_value


def scatter_frame(tidy: Tidy, x_id: str, y_id: str, *, level: str) -> pd.DataFrame:
    """x and y for the place's areas at a level (LSOA codes follow the y indicator's vintage)."""
    meta_y = selection.indicator_meta(tidy, y_id)
    codes, _ = level_codes(tidy, meta_y, level=level)
    x = selection.area_values(tidy, x_id, area_type=level, codes=codes)[["area_code", "area_name", "value"]].rename(
        columns={"value": "x"}
    )
    y = selection.area_values(tidy, y_id, area_type=level, codes=codes)[["area_code", "value"]].rename(
        columns={"value": "y"}
    )
    return x.merge(y, on="area_code", how="outer")


def district_only(tidy: Tidy) -> pd.DataFrame:
    """Indicators with no ward values: the place and England figures, formatted, with the source."""
    levels = selection.indicator_levels(tidy)
    ids = levels.loc[~levels["ward"] & ~levels["lsoa"], "indicator_id"].tolist()
    if not ids:
        return pd.DataFrame()
    refs = selection.reference_values(tidy, ids).merge(tidy.indicators, on="indicator_id", how="left")
    return pd.DataFrame(
        {
            "indicator": refs["name"],
            "place": [
                format_value(v, value_type=t, unit=u or "", decimals=int(d))
                for v, t, u, d in zip(
                    refs["place_value"], refs["value_type"], refs["unit"], refs["decimals"], strict=True
                )
            ],
            "95% CI": [
                format_ci(lo, hi, value_type=t, decimals=int(d))
                for lo, hi, t, d in zip(
                    refs["place_lower_ci"], refs["place_upper_ci"], refs["value_type"], refs["decimals"], strict=True
                )
            ],
            "England": [
                format_value(v, value_type=t, unit=u or "", decimals=int(d))
                for v, t, u, d in zip(
                    refs["england_value"], refs["value_type"], refs["unit"], refs["decimals"], strict=True
                )
            ],
            "compared with England": [
                statistics.classify_significance(value=v, lower_ci=lo, upper_ci=hi, reference=e, polarity=str(p))
                for v, lo, hi, e, p in zip(
                    refs["place_value"],
                    refs["place_lower_ci"],
                    refs["place_upper_ci"],
                    refs["england_value"],
                    refs["polarity"],
                    strict=True,
                )
            ],
            "source": [source_text(m) for m in refs.to_dict("records")],
        }
    )


def compare_display(
    table: pd.DataFrame, *, ward_codes: list[str], ward_names: dict[str, str], place_name: str
) -> pd.DataFrame:
    """The side-by-side table with formatted values and readable column names."""
    out = pd.DataFrame({"indicator": table["name"], "topic": table["topic"]})
    columns = [*ward_codes, "place_value", "england_value"]
    labels = [*(ward_names.get(c, c) for c in ward_codes), place_name, "England"]
    for column, label in zip(columns, labels, strict=True):
        out[label] = [
            format_value(v, value_type=t, unit=u or "", decimals=int(d))
            for v, t, u, d in zip(table[column], table["value_type"], table["unit"], table["decimals"], strict=True)
        ]
    return out


NEIGHBOURHOOD_ORDER = {"2021": "imd2025_score", "2011": "imd2019_score"}


def neighbourhood_letters(tidy: Tidy, ward: str, *, codes: list[str]) -> dict[str, str]:
    """Short letters for a ward's LSOAs (A = the most deprived by the IMD of the LSOAs' own
    vintage, then B ...; ties and missing scores in code order): the same on the ward's mini-map,
    in its neighbourhoods table and on the map page's neighbourhood view."""
    from dashboard.core import maplabels

    areas = tidy.areas[tidy.areas["area_code"].isin(codes)]
    vintage = str(areas["boundary_vintage"].iloc[0]) if len(areas) and "boundary_vintage" in areas else "2021"
    scores = selection.area_values(
        tidy, NEIGHBOURHOOD_ORDER.get(vintage, "imd2025_score"), area_type="lsoa", codes=codes
    )
    score = scores.set_index("area_code")["value"] if len(scores) else pd.Series(dtype=float)
    present = {c: float(score[c]) for c in codes if c in score.index and pd.notna(score[c])}
    ordered = sorted(codes, key=lambda c: (0, -present[c], c) if c in present else (1, 0.0, c))
    return maplabels.letters(ordered)


def domain_meanings(domains: pd.DataFrame | None = None) -> list[tuple[str, str]]:
    """(domain, what it measures) for the domains shown (all known ones when ``domains`` is None)."""
    labels = list(dict.fromkeys(domains["label"])) if domains is not None and "label" in domains else None
    known = headlines.IMD_DOMAIN_MEANINGS
    return [(d, known[d]) for d in (labels if labels is not None else known) if d in known]


def neighbourhood_table(tidy: Tidy, lsoas: pd.DataFrame, indicator_ids: list[str], *, ward: str) -> pd.DataFrame:
    """The ward's neighbourhoods for people: the map's letter, the IMD score and decile first,
    then the other indicators, each formatted with its unit and decimals; most deprived first."""
    if lsoas.empty:
        return lsoas
    letters = neighbourhood_letters(tidy, ward, codes=lsoas["lsoa_code"].tolist())
    meta = tidy.indicators.set_index("indicator_id")
    lead = [i for i in (headlines.IMD_SCORE, headlines.IMD_DECILE) if i in indicator_ids]
    ordered = lead + [i for i in indicator_ids if i not in lead]
    order = {code: n for n, code in enumerate(letters)}  # letters run A, B ... most deprived first
    rows = lsoas.assign(_letter=lsoas["lsoa_code"].map(letters), _order=lsoas["lsoa_code"].map(order))
    rows = rows.sort_values("_order")
    out = pd.DataFrame({"Map": rows["_letter"].to_numpy()})
    for indicator_id in ordered:
        m = meta.loc[indicator_id]
        name = headlines.TILE_LABELS.get(indicator_id, str(m["name"]))
        name = "Decile (1 = most deprived)" if m["value_type"] == "decile" else name
        out[name] = [
            format_value(v, value_type=str(m["value_type"]), unit=str(m.get("unit") or ""), decimals=int(m["decimals"]))
            for v in rows[indicator_id]
        ]
    out["Neighbourhood"] = rows["lsoa_name"].to_numpy()
    out["LSOA code"] = rows["lsoa_code"].to_numpy()
    out["Share in this ward"] = [f"{v * 100:.0f}%" for v in rows["share_in_ward"]]
    return out.reset_index(drop=True)
