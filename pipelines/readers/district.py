"""District-level public-health context: Fingertips exports, fast food, activity, QOF, derived Fingertips values.

Every file here is national (or, for the derived JSON, the place's) and mostly at local
authority district level. Values are kept for every English district the geography step
knows (2019 codes from the ONS ward hierarchy lookup), the place's county and region, and
England. Rows of districts with other codes (e.g. 2023 unitary authorities) are dropped and
counted in the log. Where a file has no England row, an England row with no value says so;
where the place itself is missing, a row with no value says so.

Geography of each indicator is stated in its metadata: all are district level
(``ward_method = "not-available"``) except the fast-food outlet counts, which PHE published by
2016 ward (``"official"``).
"""

from __future__ import annotations

import json
import logging
import re

import numpy as np
import pandas as pd

from pipelines.context import BuildContext
from pipelines.errors import DataError
from pipelines.tidy import Parts, empty_values, make_values
from pipelines.validate import check_codes, check_columns, check_numeric, check_row_count, check_unique, read_file

log = logging.getLogger(__name__)

ENGLAND_MISSING = "England value not in the source file"
NO_CI = "no confidence interval published"
DISTRICT_ONLY = "District level only: the source publishes no ward or small-area figure."

# --------------------------------------------------------------------------------------------
# Shared helpers
# --------------------------------------------------------------------------------------------


def normalise_name(name: str) -> str:
    """Area names compared loosely: case, '&'/'and', punctuation and repeated spaces ignored."""
    text = str(name).lower().replace("&", " and ")
    text = re.sub(r"[.,'’()]", " ", text)
    text = text.replace("-", " ")
    return re.sub(r"\s+", " ", text).strip()


def keep_known_areas(rows: pd.DataFrame, *, ctx: BuildContext, lad_codes: set[str], label: str) -> pd.DataFrame:
    """Keep the districts geography knows, the place's county and region, and England."""
    known = (
        ((rows["area_type"] == "lad") & rows["area_code"].isin(lad_codes))
        | ((rows["area_type"] == "county") & (rows["area_code"] == ctx.county_code) & (ctx.county_code != ""))
        | ((rows["area_type"] == "region") & (rows["area_code"] == ctx.region_code))
        | ((rows["area_type"] == "england") & (rows["area_code"] == ctx.england_code))
        | (rows["area_type"] == "ward")
    )
    dropped = rows.loc[~known & (rows["area_type"] == "lad"), "area_code"]
    if len(dropped):
        log.info(
            "%s: %d district rows with codes not in the 2019 district list dropped (e.g. %s)",
            label,
            len(dropped),
            list(dropped[:3]),
        )
    return rows[known].reset_index(drop=True)


def add_missing_rows(rows: pd.DataFrame, *, ctx: BuildContext, label: str, england: bool = True) -> pd.DataFrame:
    """Rows with no value (and a note) for the place and, when ``england``, England, if the file lacks them."""
    extra = []
    present = set(zip(rows["area_code"], rows["area_type"], strict=True))
    if (ctx.place.lad_code, "lad") not in present:
        log.warning("%s: %s (%s) is not in the source file", label, ctx.place.name, ctx.place.lad_code)
        extra.append(
            {
                "area_code": ctx.place.lad_code,
                "area_type": "lad",
                "value": np.nan,
                "value_note": f"{ctx.place.name} not in the source file",
            }
        )
    if england and (ctx.england_code, "england") not in present:
        extra.append(
            {"area_code": ctx.england_code, "area_type": "england", "value": np.nan, "value_note": ENGLAND_MISSING}
        )
    if not extra:
        return rows
    return pd.concat([rows, pd.DataFrame(extra)], ignore_index=True)


def area_type_of(code: str) -> str | None:
    if code == "E92000001":
        return "england"
    for prefix, kind in (
        ("E12", "region"),
        ("E10", "county"),
        ("E06", "lad"),
        ("E07", "lad"),
        ("E08", "lad"),
        ("E09", "lad"),
    ):
        if code.startswith(prefix):
            return kind
    return None


def _meta(**fields) -> dict:
    fields.setdefault("ward_method", "not-available")
    fields.setdefault("decimals", 1)
    return fields


# --------------------------------------------------------------------------------------------
# Fingertips exports (5 a day)
# --------------------------------------------------------------------------------------------

FINGERTIPS_SOURCE = "fingertips-5aday"
FINGERTIPS_COLUMNS = [
    "Indicator ID",
    "Area Code",
    "AreaName",
    "Area Type",
    "Sex",
    "Time period",
    "Value",
    "Lower CI 95.0 limit",
    "Upper CI 95.0 limit",
    "Count",
    "Denominator",
    "Value note",
]
FINGERTIPS_LAYOUT = "the Fingertips web export CSV (UTF-8 with BOM; 'Indicator ID', 'Area Code', 'AreaName', 'Time period', 'Value', ...)"
# (file index in the registry, Fingertips indicator id, our indicator id, name, method note)
FIVE_A_DAY = (
    (
        0,
        "93077",
        "fruit_veg_5aday_2019_20",
        "Adults meeting the '5 a day' recommendation (old method, 2019/20)",
        "Old method: proportion eating 5+ portions on a 'usual day'. Not comparable with the new method (2022/23).",
    ),
    (
        1,
        "93982",
        "fruit_veg_5aday_2022_23",
        "Adults meeting the '5 a day' recommendation (new method, 2022/23)",
        "New method (Fingertips 93982). Not comparable with the old method (2019/20).",
    ),
)


def read_fingertips_export(
    ctx: BuildContext, *, index: int, indicator_code: str, lad_codes: set[str], label: str
) -> tuple[pd.DataFrame, str]:
    """Rows (area_code, area_type, value, CI, count, denominator, value_note) and the period of one export."""
    path = ctx.path(FINGERTIPS_SOURCE, index)
    frame = read_file(
        pd.read_csv,
        path,
        source_id=FINGERTIPS_SOURCE,
        layout=FINGERTIPS_LAYOUT,
        dtype=str,
        encoding="utf-8-sig",
        keep_default_na=False,
        na_values=[""],
    )
    check_columns(frame, FINGERTIPS_COLUMNS, file=path, source_id=FINGERTIPS_SOURCE, layout=FINGERTIPS_LAYOUT)
    check_row_count(frame, minimum=1, what="rows", file=path, source_id=FINGERTIPS_SOURCE)
    other = sorted(set(frame["Indicator ID"].dropna()) - {indicator_code})
    if other:
        raise DataError(
            source_id=FINGERTIPS_SOURCE,
            file=path,
            problem=f"holds Fingertips indicator(s) {other}, expected only {indicator_code}",
            fix=f"export indicator {indicator_code} from Fingertips into this file (see pipelines/sources.toml)",
        )
    frame = frame[frame["Sex"].fillna("Persons") == "Persons"]
    frame = frame.assign(area_type=frame["Area Code"].fillna("").map(area_type_of))
    check_codes(
        frame[frame["area_type"].ne("england") & frame["area_type"].ne("region") & frame["area_type"].ne("county")],
        "Area Code",
        kind="lad",
        file=path,
        source_id=FINGERTIPS_SOURCE,
    )
    numeric = ["Value", "Lower CI 95.0 limit", "Upper CI 95.0 limit", "Count", "Denominator"]
    check_numeric(frame, numeric, file=path, source_id=FINGERTIPS_SOURCE)
    check_unique(frame, ["Area Code", "Time period"], file=path, source_id=FINGERTIPS_SOURCE)
    periods = sorted(set(frame["Time period"].dropna()))
    if len(periods) != 1:
        raise DataError(
            source_id=FINGERTIPS_SOURCE,
            file=path,
            problem=f"expected one time period, found {periods}",
            fix="export a single period (the registry names the period of each file)",
        )
    value = pd.to_numeric(frame["Value"])
    note = frame["Value note"].where(frame["Value note"].notna(), None)
    note = note.where(value.notna() | note.notna(), "value not published in the source file")
    rows = pd.DataFrame(
        {
            "area_code": frame["Area Code"],
            "area_name": frame["AreaName"],
            "area_type": frame["area_type"],
            "value": value,
            "lower_ci": pd.to_numeric(frame["Lower CI 95.0 limit"]),
            "upper_ci": pd.to_numeric(frame["Upper CI 95.0 limit"]),
            "ci_level": 0.95,
            "count": pd.to_numeric(frame["Count"]),
            "denominator": pd.to_numeric(frame["Denominator"]),
            "value_note": note,
        }
    )
    rows = keep_known_areas(rows, ctx=ctx, lad_codes=lad_codes, label=label)
    rows = add_missing_rows(rows, ctx=ctx, label=label)
    return rows, periods[0]


def build_five_a_day(ctx: BuildContext, lad_codes: set[str]) -> tuple[list[pd.DataFrame], list[dict]]:
    values, meta = [], []
    for index, code, indicator_id, name, note in FIVE_A_DAY:
        rows, period = read_fingertips_export(
            ctx, index=index, indicator_code=code, lad_codes=lad_codes, label=indicator_id
        )
        values.append(make_values(rows, indicator_id=indicator_id, period=period, source_id=FINGERTIPS_SOURCE))
        meta.append(
            _meta(
                indicator_id=indicator_id,
                name=name,
                topic="Healthy eating",
                unit="%",
                value_type="percentage",
                polarity="higher_is_better",
                definition=f"Fingertips indicator {code}: percentage of adults (16+) meeting the '5 a day' fruit and vegetable recommendation (Active Lives Adult Survey).",
                method=f"As published by OHID Fingertips (value, 95% CI, denominator). {note} {DISTRICT_ONLY} "
                "The export has no England row: England is shown as missing.",
                source_id=FINGERTIPS_SOURCE,
            )
        )
        log.info("%s: %d rows", indicator_id, len(rows))
    return values, meta


# --------------------------------------------------------------------------------------------
# PHE fast food outlets
# --------------------------------------------------------------------------------------------

FAST_FOOD_SOURCE = "phe-fast-food"
FAST_FOOD_PERIOD = "2017"
LA_SHEET, WARD_SHEET = "Local Authority Data", "Ward Data"
LA_COLUMNS = ["LA code", "LA name", "Count of outlets", "Rate per 100,000 population"]
WARD_COLUMNS = ["LA code", "2016 Ward code", "2016 Ward name", "Total fast food outlets"]


def _sheet_table(
    raw: pd.DataFrame, *, marker: str, required: list[str], path, sheet: str, count_column: str
) -> pd.DataFrame:
    """The table under the first row holding ``marker`` (the header is row 4 in the published file)."""
    hits = raw.index[raw.apply(lambda r: r.astype("string").str.strip().eq(marker).any(), axis=1)]
    layout = f"the PHE workbook, sheet '{sheet}' with a header row holding {required}"
    if len(hits) == 0:
        raise DataError(
            source_id=FAST_FOOD_SOURCE,
            file=path,
            problem=f"sheet '{sheet}' has no header row with '{marker}'",
            fix=f"expected {layout}; restore the original file",
        )
    header = [str(c).strip() if pd.notna(c) else f"unnamed_{i}" for i, c in enumerate(raw.loc[hits[0]])]
    table = raw.loc[hits[0] + 1 :].copy()
    table.columns = header
    check_columns(table, required, file=f"{path} [{sheet}]", source_id=FAST_FOOD_SOURCE, layout=layout)
    # Data rows have an LA code; the "Post code not recorded" line does not, and footnotes have text there but no count.
    code = table["LA code"].astype("string").str.strip()
    footnote = code.notna() & table[count_column].isna() & ~code.fillna("").str.match(r"^[EWSN]\d{8}$")
    return table[code.notna() & ~footnote].reset_index(drop=True)


def build_fast_food(ctx: BuildContext, lad_codes: set[str]) -> tuple[list[pd.DataFrame], list[dict]]:
    path = ctx.path(FAST_FOOD_SOURCE)
    sheets = read_file(
        pd.read_excel,
        path,
        source_id=FAST_FOOD_SOURCE,
        layout="PHE fast food workbook (xlsx)",
        sheet_name=None,
        header=None,
        dtype=str,
    )
    missing = [s for s in (LA_SHEET, WARD_SHEET) if s not in sheets]
    if missing:
        raise DataError(
            source_id=FAST_FOOD_SOURCE,
            file=path,
            problem=f"missing sheet(s) {missing} (sheets found: {list(sheets)})",
            fix="use the published 'FastFoodMetadata_LA_Ward.xlsx' with its 'Local Authority Data' and 'Ward Data' sheets",
        )
    la = _sheet_table(
        sheets[LA_SHEET],
        marker="LA code",
        required=LA_COLUMNS,
        path=path,
        sheet=LA_SHEET,
        count_column="Count of outlets",
    )
    ward = _sheet_table(
        sheets[WARD_SHEET],
        marker="2016 Ward code",
        required=WARD_COLUMNS,
        path=path,
        sheet=WARD_SHEET,
        count_column="Total fast food outlets",
    )
    for table, sheet in ((la, LA_SHEET), (ward, WARD_SHEET)):
        check_row_count(table, minimum=1, what=f"rows in '{sheet}'", file=path, source_id=FAST_FOOD_SOURCE)
    check_codes(la, "LA code", kind="lad", file=f"{path} [{LA_SHEET}]", source_id=FAST_FOOD_SOURCE)
    rate_text = la["Rate per 100,000 population"].astype("string").str.strip()
    starred = rate_text.eq("*")  # City of London: PHE did not publish a rate (tiny resident population)
    check_numeric(
        la.assign(**{"Rate per 100,000 population": rate_text.where(~starred)}),
        ["Count of outlets", "Rate per 100,000 population"],
        file=f"{path} [{LA_SHEET}]",
        source_id=FAST_FOOD_SOURCE,
        min_value=0,
    )
    check_codes(ward, "2016 Ward code", kind="ward", file=f"{path} [{WARD_SHEET}]", source_id=FAST_FOOD_SOURCE)
    check_numeric(
        ward, ["Total fast food outlets"], file=f"{path} [{WARD_SHEET}]", source_id=FAST_FOOD_SOURCE, min_value=0
    )
    check_unique(la, ["LA code"], file=f"{path} [{LA_SHEET}]", source_id=FAST_FOOD_SOURCE)
    check_unique(ward, ["2016 Ward code"], file=f"{path} [{WARD_SHEET}]", source_id=FAST_FOOD_SOURCE)

    la_count = pd.to_numeric(la["Count of outlets"])
    la_rows = pd.DataFrame({"area_code": la["LA code"], "area_name": la["LA name"], "area_type": "lad"})
    rate_rows = la_rows.assign(
        value=pd.to_numeric(rate_text.where(~starred)),
        count=la_count,
        value_note=np.where(starred, "rate not published in the source ('*'; see the workbook's notes)", None),
    )
    rate_rows = add_missing_rows(
        keep_known_areas(rate_rows, ctx=ctx, lad_codes=lad_codes, label="fast food rate"),
        ctx=ctx,
        label="fast food rate",
    )

    # Counts: wards of the place (2016 codes must match the current ward codes), districts, England.
    ward_counts = dict(zip(ward["2016 Ward code"], pd.to_numeric(ward["Total fast food outlets"]), strict=True))
    place_ward_rows = ward[ward["LA code"] == ctx.place.lad_code]
    stale = sorted(set(place_ward_rows["2016 Ward code"]) - set(ctx.ward_codes))
    if stale:
        log.warning(
            "fast food: %d of the place's 2016 ward codes are not current wards (ignored): %s", len(stale), stale
        )
    wards = ctx.wards.assign(area_type="ward")
    wards["value"] = wards["ward_code"].map(ward_counts)
    wards["value_note"] = np.where(
        wards["value"].isna(), "ward not in the source file (its wards have 2016 codes)", None
    )
    n_missing = int(wards["value"].isna().sum())
    if n_missing:
        log.warning("fast food: %d of the place's %d wards are not in the ward sheet", n_missing, len(wards))
    ward_rows = pd.DataFrame(
        {
            "area_code": wards["ward_code"],
            "area_name": wards["ward_name"],
            "area_type": "ward",
            "value": wards["value"],
            "value_note": wards["value_note"],
        }
    )
    lad_count_rows = keep_known_areas(
        la_rows.assign(value=la_count, value_note=None), ctx=ctx, lad_codes=lad_codes, label="fast food count"
    )
    england = pd.DataFrame(
        [
            {
                "area_code": ctx.england_code,
                "area_name": "England",
                "area_type": "england",
                "value": float(la_count.sum()),
                "value_note": None,
            }
        ]
    )
    count_rows = add_missing_rows(
        pd.concat([ward_rows, lad_count_rows, england], ignore_index=True), ctx=ctx, label="fast food count"
    )
    count_rows["count"] = count_rows["value"]

    values = [
        make_values(
            rate_rows, indicator_id="fast_food_outlets_per_100k", period=FAST_FOOD_PERIOD, source_id=FAST_FOOD_SOURCE
        ),
        make_values(
            count_rows, indicator_id="fast_food_outlets_count", period=FAST_FOOD_PERIOD, source_id=FAST_FOOD_SOURCE
        ),
    ]
    common = (
        "Fast food outlets from the FSA Food Hygiene Rating Scheme at 31 December 2017 (Bury: 2 July 2018), selected by PHE's "
        "business-type and name rules (takeaways, 9 search terms, 8 major chains)."
    )
    meta = [
        _meta(
            indicator_id="fast_food_outlets_per_100k",
            name="Fast food outlets per 100,000 population",
            topic="Food environment",
            unit="per 100,000",
            value_type="rate",
            polarity="lower_is_better",
            definition=common + " Crude rate per 100,000 mid-2016 population.",
            method="As published by PHE (district sheet, outlets assigned by the FHRS local authority). PHE published ward counts but no "
            "ward rates, so this rate is district level only. No England rate in the file.",
            source_id=FAST_FOOD_SOURCE,
        ),
        _meta(
            indicator_id="fast_food_outlets_count",
            name="Number of fast food outlets",
            topic="Food environment",
            unit="outlets",
            value_type="count",
            polarity="no_judgement",
            definition=common + " Count of outlets (not adjusted for population or area).",
            method="Wards: PHE's official 2016-ward counts (outlets placed by postcode via 2011 OA to 2016 ward), matched on ward code; "
            "wards whose code changed since 2016 are shown as missing. Districts: PHE's district sheet (FHRS local authority), so "
            "ward counts need not add up to the district count. England: sum of all district counts (computed here).",
            ward_method="official",
            decimals=0,
            source_id=FAST_FOOD_SOURCE,
        ),
    ]
    log.info("fast food: %d district rates, %d count rows", len(rate_rows), len(count_rows))
    return values, meta


# --------------------------------------------------------------------------------------------
# Sport England Active Lives (7 categories)
# --------------------------------------------------------------------------------------------

ACTIVE_LIVES_SOURCE = "sport-england-active-lives"
ACTIVE_LIVES_PERIOD = "Nov 22-23"
# In the registry's file order.
ACTIVE_LIVES_CATEGORIES = (
    "Inactive: Nothing",
    "Inactive: Light only",
    "Inactive: 1-29 mins",
    "Fairly active: 30-149 mins",
    "Active: 150-419 mins",
    "Active: 420-839 mins",
    "Active: 840+ mins",
)
ACTIVE = ACTIVE_LIVES_CATEGORIES[4:]
NOT_INACTIVE = ACTIVE_LIVES_CATEGORIES[3:]
ACTIVE_LIVES_LAYOUT = (
    "the Active Lives export CSV: 4 title lines (the 4th names the activity level), a header line with a blank first cell and "
    "periods 'Nov 15-16' ... 'Nov 22-23', then one row per area named '<Name> LA' or '<Name> CC', values like '24.7%'"
)


def read_active_lives_file(ctx: BuildContext, *, index: int, category: str) -> pd.DataFrame:
    """name, kind ('LA'/'CC'), percent (NaN where suppressed '-') for the latest period of one category file."""
    path = ctx.path(ACTIVE_LIVES_SOURCE, index)
    raw = read_file(
        pd.read_csv,
        path,
        source_id=ACTIVE_LIVES_SOURCE,
        layout=ACTIVE_LIVES_LAYOUT,
        header=None,
        dtype=str,
        keep_default_na=False,
    )
    if len(raw) < 6:
        raise DataError(
            source_id=ACTIVE_LIVES_SOURCE,
            file=path,
            problem=f"only {len(raw)} lines (file truncated?)",
            fix="export the file again from the Active Lives tool",
        )
    title = str(raw.iloc[3, 0]).strip()
    if title != category:
        raise DataError(
            source_id=ACTIVE_LIVES_SOURCE,
            file=path,
            problem=f"the 4th title line says '{title}', expected '{category}'",
            fix="put each activity level's export in the file the registry names for it",
        )
    header = [str(c).strip() for c in raw.iloc[4]]
    table = raw.iloc[5:].copy()
    table.columns = header
    check_columns(table, [ACTIVE_LIVES_PERIOD], file=path, source_id=ACTIVE_LIVES_SOURCE, layout=ACTIVE_LIVES_LAYOUT)
    name = table.iloc[:, 0].str.replace(r"\s+", " ", regex=True).str.strip()
    kind = name.str.extract(r" (LA|CC)$")[0]
    if kind.isna().any():
        raise DataError(
            source_id=ACTIVE_LIVES_SOURCE,
            file=path,
            problem=f"{int(kind.isna().sum())} area names end in neither ' LA' nor ' CC' (e.g. {list(name[kind.isna()][:3])})",
            fix=f"expected {ACTIVE_LIVES_LAYOUT}",
        )
    text = table[ACTIVE_LIVES_PERIOD].str.strip()
    suppressed = text.isin(["-", ""])
    percent = pd.to_numeric(text.str.removesuffix("%"), errors="coerce")
    bad = percent.isna() & ~suppressed
    if bad.any():
        raise DataError(
            source_id=ACTIVE_LIVES_SOURCE,
            file=path,
            problem=f"{int(bad.sum())} values in '{ACTIVE_LIVES_PERIOD}' are neither percentages nor '-' (e.g. {list(text[bad][:3])})",
            fix="export the file again from the Active Lives tool",
        )
    return pd.DataFrame(
        {
            "name": name.str.removesuffix(" LA").str.removesuffix(" CC").to_numpy(),
            "kind": kind.to_numpy(),
            "category": category,
            "percent": percent.to_numpy(),
        }
    )


def build_active_lives(ctx: BuildContext, lads: pd.DataFrame) -> tuple[list[pd.DataFrame], list[dict]]:
    parts = [read_active_lives_file(ctx, index=i, category=c) for i, c in enumerate(ACTIVE_LIVES_CATEGORIES)]
    long = pd.concat(parts, ignore_index=True)
    dup = long.duplicated(["name", "kind", "category"], keep=False)
    if dup.any():
        raise DataError(
            source_id=ACTIVE_LIVES_SOURCE,
            file=ctx.path(ACTIVE_LIVES_SOURCE, 0),
            problem=f"area names repeated within a file: {sorted(set(long.loc[dup, 'name']))[:5]}",
            fix="export each activity level once per area from the Active Lives tool",
        )
    wide = long.set_index(["name", "kind", "category"])["percent"].unstack("category")
    wide = wide.reindex(columns=list(ACTIVE_LIVES_CATEGORIES))
    complete = wide.dropna()
    off = (complete.sum(axis=1) - 100).abs() > 0.5
    if off.any():
        log.warning(
            "active lives: %d areas whose 7 categories do not add up to 100%% (+/-0.5): %s",
            int(off.sum()),
            list(complete.index[off][:5]),
        )

    # District names -> 2019 codes, by normalised name.
    by_name = {normalise_name(n): c for c, n in zip(lads["lad_code"], lads["lad_name"], strict=True)}
    wide = wide.reset_index()
    code = pd.Series([None] * len(wide), index=wide.index, dtype="object")
    is_la = wide["kind"] == "LA"

    def match(name: str) -> str | None:
        key = normalise_name(name)
        # "Nottingham City LA" is "Nottingham" in the ONS lookup.
        return by_name.get(key) or by_name.get(key.removesuffix(" city"))

    code[is_la] = wide.loc[is_la, "name"].map(match)
    unmatched = sorted(wide.loc[is_la & code.isna(), "name"])
    if unmatched:
        log.info(
            "active lives: %d district names not matched to a 2019 district name (dropped): %s",
            len(unmatched),
            unmatched,
        )
    county_mask = (
        (wide["kind"] == "CC")
        & (normalise_name(ctx.county_name) != "")
        & wide["name"].map(normalise_name).eq(normalise_name(ctx.county_name))
    )
    code[county_mask] = ctx.county_code
    wide["area_code"] = code
    wide["area_type"] = np.where(is_la, "lad", "county")
    wide = wide[wide["area_code"].notna()]
    dup = wide.duplicated(["area_code", "area_type"], keep=False)
    if dup.any():
        raise DataError(
            source_id=ACTIVE_LIVES_SOURCE,
            file=ctx.path(ACTIVE_LIVES_SOURCE, 0),
            problem=f"several area names match the same code: {wide.loc[dup, ['name', 'area_code']].to_dict('records')[:4]}",
            fix="check the area names in the export",
        )

    def rows_for(value: pd.Series, what: str) -> pd.DataFrame:
        rows = pd.DataFrame(
            {"area_code": wide["area_code"], "area_name": None, "area_type": wide["area_type"], "value": value.round(1)}
        )
        rows["value_note"] = np.where(
            rows["value"].isna(), f"not computable: a {what} category is suppressed ('-') in the source", NO_CI
        )
        return add_missing_rows(rows.reset_index(drop=True), ctx=ctx, label=f"active lives {what}")

    active = wide[list(ACTIVE)].sum(axis=1, min_count=len(ACTIVE)).where(wide[list(ACTIVE)].notna().all(axis=1))
    not_inactive = wide[list(NOT_INACTIVE)].sum(axis=1).where(wide[list(NOT_INACTIVE)].notna().all(axis=1))
    inactive = 100 - not_inactive
    values = [
        make_values(
            rows_for(inactive, "contributing"),
            indicator_id="physically_inactive",
            period=ACTIVE_LIVES_PERIOD,
            source_id=ACTIVE_LIVES_SOURCE,
        ),
        make_values(
            rows_for(active, "contributing"),
            indicator_id="physically_active_150",
            period=ACTIVE_LIVES_PERIOD,
            source_id=ACTIVE_LIVES_SOURCE,
        ),
    ]
    matching = (
        " Districts are named in the export ('Hyndburn LA'); they are matched to 2019 district codes by name (case, '&'/'and', "
        "punctuation, spacing and a trailing 'City' ignored) against the ONS ward-to-district lookup; unmatched names (e.g. districts created in "
        "2023) are dropped and logged. The place's county ('<Name> CC') is kept; the export has no England row."
    )
    meta = [
        _meta(
            indicator_id="physically_inactive",
            name="Physically inactive adults (under 30 minutes a week)",
            topic="Physical activity",
            unit="%",
            value_type="percentage",
            polarity="lower_is_better",
            definition="Percentage of adults (16+) doing less than 30 minutes of moderate-intensity equivalent activity a week "
            "(Sport England Active Lives Adult Survey, 'inactive').",
            method="100 minus the sum of the four published categories of 30+ minutes (fairly active 30-149, active 150-419, 420-839, "
            "840+), which equals the sum of the three inactive categories (nothing, light only, 1-29 minutes); the 1-29 minutes "
            "category is suppressed for districts, so the three cannot be added directly. Categories are published to 0.1%, so the "
            "result can differ from Sport England's own 'inactive' figure by a few tenths. No confidence intervals published."
            + matching
            + " "
            + DISTRICT_ONLY,
            source_id=ACTIVE_LIVES_SOURCE,
        ),
        _meta(
            indicator_id="physically_active_150",
            name="Physically active adults (150+ minutes a week)",
            topic="Physical activity",
            unit="%",
            value_type="percentage",
            polarity="higher_is_better",
            definition="Percentage of adults (16+) doing 150 minutes or more of moderate-intensity equivalent activity a week "
            "(Sport England Active Lives Adult Survey, 'active').",
            method="Sum of the three published active categories (150-419, 420-839, 840+ minutes), each published to 0.1%. "
            "No confidence intervals published." + matching + " " + DISTRICT_ONLY,
            source_id=ACTIVE_LIVES_SOURCE,
        ),
    ]
    log.info("active lives: %d areas matched", len(wide))
    return values, meta


# --------------------------------------------------------------------------------------------
# ONS sports engagement (Table 1, minutes of exercise)
# --------------------------------------------------------------------------------------------

ENGAGEMENT_SOURCE = "ons-sports-engagement"
ENGAGEMENT_SHEET = "Table 1"
ENGAGEMENT_COLUMNS = [
    "Local Authority District Code",
    "Local Authority District",
    "1-29 minutes",
    "30-149 minutes",
    "150+ minutes",
]


def build_sports_engagement(ctx: BuildContext, lad_codes: set[str]) -> tuple[list[pd.DataFrame], list[dict]]:
    path = ctx.path(ENGAGEMENT_SOURCE)
    layout = f"the ONS sports engagement workbook, sheet '{ENGAGEMENT_SHEET}' with header {ENGAGEMENT_COLUMNS}"
    raw = read_file(
        pd.read_excel, path, source_id=ENGAGEMENT_SOURCE, layout=layout, sheet_name=None, header=None, dtype=str
    )
    if ENGAGEMENT_SHEET not in raw:
        raise DataError(
            source_id=ENGAGEMENT_SOURCE,
            file=path,
            problem=f"no sheet '{ENGAGEMENT_SHEET}' (sheets: {list(raw)})",
            fix=f"expected {layout}",
        )
    sheet = raw[ENGAGEMENT_SHEET]
    hits = sheet.index[sheet.iloc[:, 0].astype("string").str.strip().eq(ENGAGEMENT_COLUMNS[0])]
    if len(hits) == 0:
        raise DataError(
            source_id=ENGAGEMENT_SOURCE,
            file=f"{path} [{ENGAGEMENT_SHEET}]",
            problem=f"no header row starting '{ENGAGEMENT_COLUMNS[0]}'",
            fix=f"expected {layout}",
        )
    table = sheet.loc[hits[0] + 1 :].copy()
    table.columns = [str(c).strip() for c in sheet.loc[hits[0]]]
    check_columns(
        table, ENGAGEMENT_COLUMNS, file=f"{path} [{ENGAGEMENT_SHEET}]", source_id=ENGAGEMENT_SOURCE, layout=layout
    )
    table = table[table[ENGAGEMENT_COLUMNS[0]].notna()].reset_index(drop=True)
    check_row_count(table, minimum=1, what="districts", file=path, source_id=ENGAGEMENT_SOURCE)
    check_codes(
        table, ENGAGEMENT_COLUMNS[0], kind="lad", file=f"{path} [{ENGAGEMENT_SHEET}]", source_id=ENGAGEMENT_SOURCE
    )
    text = table["150+ minutes"].str.strip()
    suppressed = text.eq("c")
    check_numeric(
        table[~suppressed],
        ["150+ minutes"],
        file=f"{path} [{ENGAGEMENT_SHEET}]",
        source_id=ENGAGEMENT_SOURCE,
        min_value=0,
    )
    share = pd.to_numeric(text.where(~suppressed), errors="coerce")
    rows = pd.DataFrame(
        {
            "area_code": table[ENGAGEMENT_COLUMNS[0]],
            "area_name": table["Local Authority District"],
            "area_type": "lad",
            "value": 100 * share,
            "value_note": np.where(suppressed, "suppressed in the source ('c': fewer than 10 respondents)", NO_CI),
        }
    )
    rows = add_missing_rows(
        keep_known_areas(rows, ctx=ctx, lad_codes=lad_codes, label="sports engagement"),
        ctx=ctx,
        label="sports engagement",
    )
    values = [
        make_values(rows, indicator_id="exercise_150_mins_pct", period="Nov 2019-Nov 2021", source_id=ENGAGEMENT_SOURCE)
    ]
    meta = [
        _meta(
            indicator_id="exercise_150_mins_pct",
            name="Adults exercising 150+ minutes a week (ONS sports engagement)",
            topic="Physical activity",
            unit="%",
            value_type="percentage",
            polarity="higher_is_better",
            definition="Share of Active Lives Adult Survey respondents in the '150+ minutes' band of total minutes of exercise per week, "
            "of the three bands ONS publishes (1-29, 30-149, 150+ minutes), November 2019 to November 2021.",
            method="ONS Table 1 proportions times 100, as published; 'c' (suppressed) left missing. Survey-weighted estimates, no "
            "confidence intervals published; not the same measure or period as Sport England's 'active' (physically_active_150). "
            + DISTRICT_ONLY,
            source_id=ENGAGEMENT_SOURCE,
        )
    ]
    return values, meta


# --------------------------------------------------------------------------------------------
# House of Commons Library modelled QOF prevalence
# --------------------------------------------------------------------------------------------

QOF_SOURCE = "hocl-qof-prevalence"
QOF_COLUMNS = ["lad_code", "lad_name", "group_code", "register", "list", "prevalence"]
QOF_PERIOD = "2019/20"
QOF_GROUPS = {
    "DEP": ("Depression (18+)", "lower_is_better"),
    "DM": ("Diabetes (17+)", "lower_is_better"),
    "HYP": ("Hypertension", "lower_is_better"),
    "AST": ("Asthma", "lower_is_better"),
    "COPD": ("Chronic obstructive pulmonary disease", "lower_is_better"),
    "CHD": ("Coronary heart disease", "lower_is_better"),
    "OB": ("Obesity (18+)", "lower_is_better"),
    "MH": ("Serious mental illness", "lower_is_better"),
}


def build_qof(ctx: BuildContext, lad_codes: set[str]) -> tuple[list[pd.DataFrame], list[dict]]:
    path = ctx.path(QOF_SOURCE)
    layout = "the Commons Library CSV with columns lad_code, lad_name, group_code, register, list, prevalence"
    frame = read_file(pd.read_csv, path, source_id=QOF_SOURCE, layout=layout, dtype=str)
    check_columns(frame, QOF_COLUMNS, file=path, source_id=QOF_SOURCE, layout=layout)
    check_row_count(frame, minimum=1, what="rows", file=path, source_id=QOF_SOURCE)
    check_codes(frame, "lad_code", kind="lad", file=path, source_id=QOF_SOURCE)
    check_numeric(frame, ["register", "list", "prevalence"], file=path, source_id=QOF_SOURCE, min_value=0)
    check_unique(frame, ["lad_code", "group_code"], file=path, source_id=QOF_SOURCE)
    absent = sorted(set(QOF_GROUPS) - set(frame["group_code"]))
    if absent:
        raise DataError(
            source_id=QOF_SOURCE,
            file=path,
            problem=f"no rows for QOF group(s) {absent}",
            fix="download the complete output_lad_prevalence.csv again",
        )
    for column in ("register", "list", "prevalence"):
        frame[column] = pd.to_numeric(frame[column])
    values, meta = [], []
    for group, (label, polarity) in QOF_GROUPS.items():
        rows = frame[frame["group_code"] == group]
        english = rows[rows["lad_code"].str.startswith("E")]
        lad_rows = pd.DataFrame(
            {
                "area_code": rows["lad_code"],
                "area_name": rows["lad_name"],
                "area_type": "lad",
                "value": 100 * rows["register"] / rows["list"],
                "count": rows["register"],
                "denominator": rows["list"],
                "value_note": "modelled estimate; no confidence interval",
            }
        )
        lad_rows = keep_known_areas(lad_rows, ctx=ctx, lad_codes=lad_codes, label=f"qof {group}")
        england = pd.DataFrame(
            [
                {
                    "area_code": ctx.england_code,
                    "area_name": "England",
                    "area_type": "england",
                    "value": 100 * english["register"].sum() / english["list"].sum(),
                    "count": english["register"].sum(),
                    "denominator": english["list"].sum(),
                    "value_note": "modelled estimate; no confidence interval",
                }
            ]
        )
        out = add_missing_rows(pd.concat([lad_rows, england], ignore_index=True), ctx=ctx, label=f"qof {group}")
        indicator_id = f"qof_{group.lower()}_prevalence"
        values.append(make_values(out, indicator_id=indicator_id, period=QOF_PERIOD, source_id=QOF_SOURCE))
        meta.append(
            _meta(
                indicator_id=indicator_id,
                name=f"{label}: recorded prevalence (QOF, modelled for districts)",
                topic="Long-term conditions",
                unit="%",
                value_type="percentage",
                polarity=polarity,
                definition=f"Patients on the GP QOF {label.lower()} register (group {group}) as a percentage of registered patients "
                "(the list size for that register's age group), 2019/20. Recorded prevalence, not true prevalence.",
                method="House of Commons Library MODELLED estimates: NHS Digital QOF 2019/20 practice registers apportioned to LSOAs by "
                "GP registrations by LSOA (April 2020) and ONS mid-2019 age structure, then summed to districts; value = register / "
                "list (not counts of people). England = sum of registers / sum of lists over all English districts in the file "
                "(computed here). No confidence intervals. Licence: Open Parliament Licence v3.0. " + DISTRICT_ONLY,
                source_id=QOF_SOURCE,
            )
        )
    log.info("qof: %d groups", len(QOF_GROUPS))
    return values, meta


# --------------------------------------------------------------------------------------------
# Derived JSON of Fingertips values (tompickup23/lancashire)
# --------------------------------------------------------------------------------------------

DERIVED_SOURCE = "census2021-ward-official"
# key in the JSON -> (our id, name, topic, value_type, unit, polarity)
DERIVED_INDICATORS = {
    "life_expectancy_male": (
        "life_expectancy_male",
        "Life expectancy at birth (males)",
        "Life expectancy",
        "years",
        "years",
        "higher_is_better",
    ),
    "life_expectancy_female": (
        "life_expectancy_female",
        "Life expectancy at birth (females)",
        "Life expectancy",
        "years",
        "years",
        "higher_is_better",
    ),
    "smoking_prevalence": (
        "smoking_prevalence",
        "Smoking prevalence in adults (18+)",
        "Smoking",
        "percentage",
        "%",
        "lower_is_better",
    ),
    "obesity_prevalence": (
        "overweight_obese_adults",
        "Adults classified as overweight or obese",
        "Healthy weight",
        "percentage",
        "%",
        "lower_is_better",
    ),
    "drug_misuse_deaths": (
        "drug_misuse_deaths",
        "Deaths from drug misuse",
        "Drugs and alcohol",
        "rate",
        "per 100,000",
        "lower_is_better",
    ),
    "infant_mortality": (
        "infant_mortality",
        "Infant mortality rate",
        "Mortality",
        "rate",
        "per 1,000 live births",
        "lower_is_better",
    ),
    "cvd_mortality_u75": (
        "u75_cvd_mortality",
        "Under 75 mortality from cardiovascular disease",
        "Mortality",
        "rate",
        "per 100,000",
        "lower_is_better",
    ),
    "cancer_mortality_u75": (
        "u75_cancer_mortality",
        "Under 75 mortality from cancer",
        "Mortality",
        "rate",
        "per 100,000",
        "lower_is_better",
    ),
    "respiratory_mortality_u75": (
        "u75_respiratory_mortality",
        "Under 75 mortality from respiratory disease",
        "Mortality",
        "rate",
        "per 100,000",
        "lower_is_better",
    ),
    "suicide_rate": ("suicide_rate", "Suicide rate", "Mental health", "rate", "per 100,000", "lower_is_better"),
    "alcohol_mortality": (
        "alcohol_mortality",
        "Alcohol-related mortality",
        "Drugs and alcohol",
        "rate",
        "per 100,000",
        "lower_is_better",
    ),
    "self_harm_admissions": (
        "self_harm_admissions",
        "Emergency hospital admissions for intentional self-harm",
        "Mental health",
        "rate",
        "per 100,000",
        "lower_is_better",
    ),
}
DERIVED_FIELDS = ["value", "period", "ci_lower", "ci_upper", "england_value", "nw_value"]


def _number(value) -> float:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else np.nan


def build_derived_fingertips(ctx: BuildContext) -> tuple[list[pd.DataFrame], list[dict]]:
    path = ctx.path(DERIVED_SOURCE)
    layout = "the derived health JSON with an 'indicators' object keyed by indicator name"

    def load(p):
        with open(p, encoding="utf-8") as fh:
            return json.load(fh)

    doc = read_file(load, path, source_id=DERIVED_SOURCE, layout=layout)
    indicators = doc.get("indicators") if isinstance(doc, dict) else None
    if not isinstance(indicators, dict):
        raise DataError(source_id=DERIVED_SOURCE, file=path, problem="no 'indicators' object", fix=f"expected {layout}")
    code = (doc.get("meta") or {}).get("ons_code")
    if code and code != ctx.place.lad_code:
        raise DataError(
            source_id=DERIVED_SOURCE,
            file=path,
            problem=f"the file is for {code}, not the place {ctx.place.lad_code}",
            fix="use the derived health JSON of the place named in pipelines/place.toml",
        )
    problems = []
    for key in DERIVED_INDICATORS:
        if key not in indicators:
            problems.append(f"indicator '{key}' missing")
            continue
        lacking = [f for f in DERIVED_FIELDS if f not in indicators[key]]
        if lacking:
            problems.append(f"'{key}' lacks {lacking}")
        elif not isinstance(indicators[key]["value"], int | float | None):
            problems.append(f"'{key}' value {indicators[key]['value']!r} is not a number")
    if problems:
        raise DataError(
            source_id=DERIVED_SOURCE,
            file=path,
            problem="; ".join(problems),
            fix=f"restore the file; expected {layout} with fields {DERIVED_FIELDS}",
        )
    extra = sorted(set(indicators) - set(DERIVED_INDICATORS))
    if extra:
        log.info("derived fingertips: keys not used: %s", extra)
    region_ok = "north west" in ctx.region_name.lower()
    if not region_ok:
        log.warning(
            "derived fingertips: the file's 'nw_value' is the North West; the place's region is %r, so no region values",
            ctx.region_name,
        )

    values, meta = [], []
    for key, (indicator_id, name, topic, value_type, unit, polarity) in DERIVED_INDICATORS.items():
        item = indicators[key]
        period = re.sub(r"\s*-\s*", "-", str(item["period"]).strip())
        place_value = _number(item["value"])
        rows = [
            {
                "area_code": ctx.place.lad_code,
                "area_type": "lad",
                "value": place_value,
                "lower_ci": _number(item["ci_lower"]),
                "upper_ci": _number(item["ci_upper"]),
                "ci_level": 0.95,
                "count": _number(item.get("count")),
                "value_note": None if not np.isnan(place_value) else "value missing in the derived file",
            },
            {
                "area_code": ctx.england_code,
                "area_type": "england",
                "value": _number(item["england_value"]),
                "value_note": NO_CI if not np.isnan(_number(item["england_value"])) else ENGLAND_MISSING,
            },
        ]
        if region_ok:
            region_value = _number(item["nw_value"])
            rows.append(
                {
                    "area_code": ctx.region_code,
                    "area_type": "region",
                    "value": region_value,
                    "value_note": NO_CI if not np.isnan(region_value) else "region value missing in the derived file",
                }
            )
        values.append(
            make_values(pd.DataFrame(rows), indicator_id=indicator_id, period=period, source_id=DERIVED_SOURCE)
        )
        meta.append(
            _meta(
                indicator_id=indicator_id,
                name=name,
                topic=topic,
                unit=unit,
                value_type=value_type,
                polarity=polarity,
                definition=f"{item.get('label', name)} ({period}), as in OHID Fingertips.",
                method="THIRD-PARTY TRANSCRIPTION: values copied from a derived JSON (tompickup23/lancashire, generated 2026-03-09 from "
                "the Fingertips API); not an official file, and the Fingertips indicator ids are not recorded in it. District value "
                "with its 95% confidence interval as given (assumed 95%); England and North West values without intervals. "
                + DISTRICT_ONLY,
                source_id=DERIVED_SOURCE,
            )
        )
    return values, meta


# --------------------------------------------------------------------------------------------


def build(ctx: BuildContext) -> Parts:
    lads = ctx.english_lads  # every English district (2019 codes) and the place, from the geography step
    lad_codes = set(lads["lad_code"])
    values: list[pd.DataFrame] = []
    indicators: list[dict] = []
    for step in (
        lambda: build_five_a_day(ctx, lad_codes),
        lambda: build_fast_food(ctx, lad_codes),
        lambda: build_active_lives(ctx, lads),
        lambda: build_sports_engagement(ctx, lad_codes),
        lambda: build_qof(ctx, lad_codes),
        lambda: build_derived_fingertips(ctx) if ctx.held(DERIVED_SOURCE) else ([], []),
    ):
        v, m = step()
        values.extend(v)
        indicators.extend(m)
    frame = pd.concat(values, ignore_index=True) if values else empty_values()
    log.info("district: %d values, %d indicators", len(frame), len(indicators))
    return Parts(values=frame, indicators=indicators)
