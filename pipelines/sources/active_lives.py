"""Sport England Active Lives (7 activity levels): inactive and active adults by district and the county."""

from __future__ import annotations

import logging

import numpy as np
import pandas as pd

from pipelines.catalogue import indicator_rows
from pipelines.context import BuildContext, Geography
from pipelines.errors import DataError
from pipelines.sources.district_common import NO_CI, add_missing_rows, normalise_name
from pipelines.tidy import Parts, make_values
from pipelines.validate import check_columns, read_file

log = logging.getLogger(__name__)

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
    "the Active Lives export CSV: 4 title lines (the 4th names the activity level), "
    "a header line with a blank first cell and "
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
            problem=f"{int(kind.isna().sum())} area names end in neither ' LA' nor ' CC' "
            f"(e.g. {list(name[kind.isna()][:3])})",
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
            problem=f"{int(bad.sum())} values in '{ACTIVE_LIVES_PERIOD}' are neither percentages nor '-' "
            f"(e.g. {list(text[bad][:3])})",
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


def build(ctx: BuildContext, geo: Geography) -> Parts:
    lads = geo.english_lads
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
        & (normalise_name(geo.county_name) != "")
        & wide["name"].map(normalise_name).eq(normalise_name(geo.county_name))
    )
    code[county_mask] = geo.county_code
    wide["area_code"] = code
    wide["area_type"] = np.where(is_la, "lad", "county")
    wide = wide[wide["area_code"].notna()]
    dup = wide.duplicated(["area_code", "area_type"], keep=False)
    if dup.any():
        raise DataError(
            source_id=ACTIVE_LIVES_SOURCE,
            file=ctx.path(ACTIVE_LIVES_SOURCE, 0),
            problem="several area names match the same code: "
            f"{wide.loc[dup, ['name', 'area_code']].to_dict('records')[:4]}",
            fix="check the area names in the export",
        )

    def rows_for(value: pd.Series, what: str) -> pd.DataFrame:
        rows = pd.DataFrame(
            {"area_code": wide["area_code"], "area_name": None, "area_type": wide["area_type"], "value": value.round(1)}
        )
        rows["value_note"] = np.where(
            rows["value"].isna(), f"not computable: a {what} category is suppressed ('-') in the source", NO_CI
        )
        return add_missing_rows(rows.reset_index(drop=True), place=ctx.place, geo=geo, label=f"active lives {what}")

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
    log.info("active lives: %d areas matched", len(wide))
    indicators = indicator_rows(["physically_inactive", "physically_active_150"], place=ctx.place)
    return Parts(values=pd.concat(values, ignore_index=True), indicators=indicators)
