"""Cut a place out of a wider file: the rows of one district from a county or national table.

Pure functions (frames or file text in, new frames or text out); the registry says which rule
applies to which file (``[[source.alternative]]`` with a ``cut`` table in ``sources.toml``) and
``fetch`` applies it, so the readers see a per-place file whichever file was held. A cut that
finds no row of the place is an error, never an empty table.

Rules (``cut`` in the registry; values may use the place's ``{lad_code}``, ``{name}``...):

- ``{ column = "LAD25CD", equals = "{lad_code}" }``: rows whose column equals the value
  (CSV columns, or GeoJSON feature properties);
- ``{ column = "LSOA21NM", prefix = "{name} " }``: rows whose name starts with the place's name
  (ONS names small areas "Burnley 001A", the district's name then a number);
- ``rename = { CHGIND = "CHGIND_derived" }`` (optional, with either): columns renamed after the cut,
  for a national file whose layout differs slightly from the per-place extract's.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Mapping

import geopandas as gpd
import pandas as pd

from pipelines.errors import DataError

RULE_KEYS = {"column", "equals", "prefix", "rename"}


def check_rule(rule: Mapping, *, source_id: str) -> None:
    """A cut rule names one column and exactly one of ``equals`` / ``prefix``."""
    unknown = set(rule) - RULE_KEYS
    if unknown or "column" not in rule or (("equals" in rule) == ("prefix" in rule)):
        raise DataError(
            source_id=source_id,
            file="pipelines/sources.toml",
            problem=f"cut rule {dict(rule)} is not usable",
            fix="give `column` and exactly one of `equals` or `prefix` (and optionally `rename`)",
        )


def _matches(values: pd.Series, rule: Mapping) -> pd.Series:
    text = values.astype("string").fillna("")
    if "equals" in rule:
        return text == str(rule["equals"])
    return text.str.startswith(str(rule["prefix"]))


def rows_where(frame: pd.DataFrame, rule: Mapping, *, source_id: str, file: object) -> pd.DataFrame:
    """The rows of ``frame`` (a DataFrame or GeoDataFrame) that the rule selects, renamed as it says."""
    check_rule(rule, source_id=source_id)
    column = rule["column"]
    if column not in frame.columns:
        raise DataError(
            source_id=source_id,
            file=file,
            problem=f"column '{column}' not found (columns: {', '.join(map(str, frame.columns[:8]))} ...)",
            fix="check the publisher's layout and the `cut` rule in pipelines/sources.toml",
        )
    out = frame[_matches(frame[column], rule)]
    if out.empty:
        raise DataError(
            source_id=source_id,
            file=file,
            problem=f"no row with {column} {_describe(rule)}",
            fix="check lad_code/name in the place file, or use a file that covers the place",
        )
    return out.rename(columns=dict(rule.get("rename", {}))).reset_index(drop=True)


def _describe(rule: Mapping) -> str:
    return f"= {rule['equals']}" if "equals" in rule else f"starting '{rule['prefix']}'"


def cut_csv_text(text: str, rule: Mapping, *, source_id: str, file: object) -> str:
    """The header and the selected rows of a CSV, values untouched (text in, text out)."""
    check_rule(rule, source_id=source_id)
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")))
    header = next(reader, None) or []
    if rule["column"] not in header:
        raise DataError(
            source_id=source_id,
            file=file,
            problem=f"column '{rule['column']}' not found in the file's header",
            fix="check the publisher's layout and the `cut` rule in pipelines/sources.toml",
        )
    index = header.index(rule["column"])
    wanted = (lambda v: v == str(rule["equals"])) if "equals" in rule else (lambda v: v.startswith(str(rule["prefix"])))
    rows = [row for row in reader if len(row) > index and wanted(row[index])]
    if not rows:
        raise DataError(
            source_id=source_id,
            file=file,
            problem=f"no row with {rule['column']} {_describe(rule)}",
            fix="check lad_code/name in the place file, or use a file that covers the place",
        )
    renames = dict(rule.get("rename", {}))
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([renames.get(h, h) for h in header])
    writer.writerows(rows)
    return out.getvalue()


def cut_geojson_text(text: str, rule: Mapping, *, source_id: str, file: object) -> str:
    """The selected features of a GeoJSON FeatureCollection (by a property), everything else kept."""
    check_rule(rule, source_id=source_id)
    try:
        collection = json.loads(text)
        features = collection["features"]
    except (ValueError, KeyError, TypeError) as exc:
        raise DataError(
            source_id=source_id,
            file=file,
            problem=f"not a GeoJSON FeatureCollection ({exc})",
            fix="download the boundary file again",
        ) from exc
    column = rule["column"]
    if features and not any(column in (f.get("properties") or {}) for f in features):
        raise DataError(
            source_id=source_id,
            file=file,
            problem=f"no feature has the property '{column}'",
            fix="check the publisher's layout and the `cut` rule in pipelines/sources.toml",
        )
    values = pd.Series([(f.get("properties") or {}).get(column) for f in features], dtype="object")
    keep = _matches(values, rule).to_numpy() if len(values) else []
    kept = [f for f, k in zip(features, keep, strict=True) if k]
    if not kept:
        raise DataError(
            source_id=source_id,
            file=file,
            problem=f"no feature with {column} {_describe(rule)}",
            fix="check lad_code/name in the place file, or use a file that covers the place",
        )
    renames = dict(rule.get("rename", {}))
    if renames:
        for f in kept:
            f["properties"] = {renames.get(k, k): v for k, v in (f.get("properties") or {}).items()}
    return json.dumps({**collection, "features": kept})


def cut_text(text: str, rule: Mapping, *, name: str, source_id: str) -> str:
    """Cut a CSV or GeoJSON file's text, chosen by the file name."""
    if name.endswith((".geojson", ".json")):
        return cut_geojson_text(text, rule, source_id=source_id, file=name)
    if name.endswith(".csv"):
        return cut_csv_text(text, rule, source_id=source_id, file=name)
    raise DataError(
        source_id=source_id,
        file=name,
        problem="only CSV and GeoJSON files can be cut to the place",
        fix="register a per-place extract for this file, or convert the national file to CSV",
    )


# --- small-area names and lookups -----------------------------------------------------------------


def msoa_name_of(lsoa_names: pd.Series) -> pd.Series:
    """The MSOA name of each LSOA name: "Burnley 001A" is in MSOA "Burnley 001"."""
    names = lsoa_names.astype("string")
    return names.str.replace(r"[A-Z]$", "", regex=True)


def in_place_by_name(names: pd.Series, place_name: str) -> pd.Series:
    """True where an ONS small-area name belongs to the place ("Burnley 001A", not "Hyndburn 001A")."""
    return names.astype("string").fillna("").str.fullmatch(rf"{re.escape(place_name)} \d{{3}}[A-Z]?")


def codes_of_lad(lookup: pd.DataFrame, *, code: str, lad_column: str, lad_code: str) -> list[str]:
    """The distinct ``code`` values of the rows of one district in a lookup (sorted)."""
    return sorted(lookup.loc[lookup[lad_column] == lad_code, code].dropna().unique())


def dissolve_msoas(lsoas: gpd.GeoDataFrame, msoa_codes: Mapping[str, str], *, source_id: str) -> gpd.GeoDataFrame:
    """MSOA polygons from the LSOA polygons (lsoa_name, geometry), named from the LSOA names.

    LSOAs nest exactly in MSOAs, so the union of an MSOA's LSOAs is the MSOA. ``msoa_codes``
    maps MSOA names to codes (from any table that lists both); a name it lacks is an error.
    """
    names = msoa_name_of(lsoas["lsoa_name"])
    unknown = sorted(set(names.dropna()) - set(msoa_codes))
    if unknown:
        raise DataError(
            source_id=source_id,
            file="MSOA names",
            problem=f"{len(unknown)} MSOA names have no code, e.g. {unknown[:3]}",
            fix="use a lookup that lists every MSOA 2021 name and code",
        )
    grouped = gpd.GeoDataFrame({"msoa_name": names, "geometry": lsoas.geometry}, crs=lsoas.crs).dissolve(
        by="msoa_name", as_index=False
    )
    grouped["msoa_code"] = grouped["msoa_name"].map(msoa_codes)
    return grouped[["msoa_code", "msoa_name", "geometry"]].sort_values("msoa_code").reset_index(drop=True)


def bestfit_from_weights(weights: pd.DataFrame) -> pd.DataFrame:
    """lsoa_code, ward_code: each LSOA's ward with the largest share of its postcodes (a best fit)."""
    main = weights.sort_values(["weight", "ward_code"], ascending=[True, False]).groupby("lsoa_code").tail(1)
    return main[["lsoa_code", "ward_code"]].sort_values("lsoa_code").reset_index(drop=True)
