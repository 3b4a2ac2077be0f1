"""OHID Local Health MSOA indicators (2020 release) and NCMP MSOA child weight, via bwd-ph/mapdata (DERIVED).

The files have no periods, CIs or counts: periods come from the reshaper's metadata, and the
England comparison is the source's own flag inside ``label`` ("Better/Similar/Worse than
England"), kept in value_note. England values: the metadata's ``DivergePoint`` (which the
labels repeat as "England (= x)"; the two are checked to agree). Wards and the place are
indicative, from MSOA figures (population-weighted with Census 2021 residents).
"""

from __future__ import annotations

import logging
import re

import numpy as np
import pandas as pd

from pipelines.catalogue import catalogue
from pipelines.errors import DataError
from pipelines.health_estimates import msoa_to_wards, msoa_ward_populations, weighted_mean
from pipelines.sources.health_common import lsoa21_population, meta, place_msoas
from pipelines.tidy import Parts, make_values
from pipelines.validate import check_codes, check_columns, check_numeric, check_unique, read_file

log = logging.getLogger(__name__)

SOURCE = "ohid-local-health-msoa"
VALUE_COLUMNS = ["IndID", "polycode", "value", "label"]
VALUE_LAYOUT = "the bwd-ph/mapdata MSOA CSV (IndID, polycode, value, label), UTF-8 with BOM"
META_COLUMNS = ["IndID", "IndName", "Years", "DivergePoint"]
META_LAYOUT = "the bwd-ph/mapdata Metadata.csv (latin-1; IndID, IndName, Years, ..., DivergePoint, ...)"
FLAG = re.compile(r"(Better|Similar|Worse) than England")
ENGLAND_IN_LABEL = re.compile(r"England \(= ([0-9.,]+)")
WARD_NOTE = "indicative, from MSOA figures (population-weighted, Census 2021 residents); no CI"
NOT_USED = {"Tot_annual_income", "House_Prices_MSOA"}


def read_values(path, source_id: str = SOURCE) -> pd.DataFrame:
    frame = read_file(pd.read_csv, path, source_id=source_id, layout=VALUE_LAYOUT, dtype=str, encoding="utf-8-sig")
    check_columns(frame, VALUE_COLUMNS, file=path, source_id=source_id, layout=VALUE_LAYOUT)
    check_codes(frame, "polycode", kind="msoa", file=path, source_id=source_id)
    check_numeric(frame, ["value"], file=path, source_id=source_id)
    check_unique(frame, ["IndID", "polycode"], file=path, source_id=source_id)
    frame["value"] = pd.to_numeric(frame["value"])
    frame["flag"] = frame["label"].fillna("").str.extract(FLAG, expand=False)
    frame["england_in_label"] = pd.to_numeric(
        frame["label"].fillna("").str.extract(ENGLAND_IN_LABEL, expand=False).str.replace(",", ""), errors="coerce"
    )
    return frame


def read_metadata(path, source_id: str = SOURCE) -> pd.DataFrame:
    frame = read_file(pd.read_csv, path, source_id=source_id, layout=META_LAYOUT, dtype=str, encoding="latin-1")
    check_columns(frame, META_COLUMNS, file=path, source_id=source_id, layout=META_LAYOUT)
    check_unique(frame, ["IndID"], file=path, source_id=source_id)
    frame["DivergePoint"] = pd.to_numeric(frame["DivergePoint"], errors="coerce")
    frame["period"] = frame["Years"].fillna("").str.replace(r"\s*-\s*", "-", regex=True).str.strip()
    return frame.set_index("IndID")


def catalogue_ids() -> dict[str, str]:
    """Local Health IndID -> our indicator id (the catalogue's source_code, pipelines/indicators.toml)."""
    return {
        m["source_code"]: i for i, m in catalogue().entries.items() if m.get("source_code") and m["source_id"] == SOURCE
    }


def build(ctx, geo) -> Parts:
    paths = ctx.paths(SOURCE)
    frame = pd.concat([read_values(paths[0]), read_values(paths[1])], ignore_index=True)
    metadata = read_metadata(paths[2])
    ids = catalogue_ids()
    problems = [f"indicator {k} not in the files" for k in ids if k not in set(frame["IndID"])]
    problems += [f"indicator {k} not in the metadata" for k in ids if k not in metadata.index]
    if problems:
        raise DataError(source_id=SOURCE, file=paths[0], problem="; ".join(problems), fix="restore the complete files")
    unknown = sorted(set(frame["IndID"]) - set(ids) - NOT_USED)
    if unknown:
        log.info("local health: IndIDs not used: %s", unknown)
    msoas = set(place_msoas(geo)["msoa_code"])
    place = frame[frame["polycode"].isin(msoas)]
    ward_pop = msoa_ward_populations(
        geo.lsoa21[["lsoa_code", "msoa_code"]], lsoa21_population(ctx, geo), geo.weights("2021")
    )
    msoa_pop = ward_pop.groupby("msoa_code", as_index=False)["population"].sum()
    values, indicators = [], []
    for source_key, indicator_id in ids.items():
        rows = place[place["IndID"] == source_key]
        missing = sorted(msoas - set(rows["polycode"]))
        info = metadata.loc[source_key]
        england = float(info["DivergePoint"])
        label_england = rows["england_in_label"].dropna().unique()
        if len(label_england) and not np.allclose(label_england, england, atol=0.06):
            raise DataError(
                source_id=SOURCE,
                file=paths[2],
                problem=f"{source_key}: England value {england} in the metadata differs from the labels' {sorted(label_england)}",
                fix="use the metadata file of the same release as the data files",
            )
        msoa = pd.DataFrame(
            {
                "area_code": rows["polycode"],
                "area_type": "msoa",
                "value": rows["value"],
                "value_note": "England comparison: "
                + rows["flag"].fillna("not stated").str.lower()
                + " (source's flag, Local Health 2020; no CI in the source)",
            }
        )
        extra = [
            {"area_code": c, "area_type": "msoa", "value": np.nan, "value_note": "not in the source file"}
            for c in missing
        ]
        by_msoa = rows.rename(columns={"polycode": "msoa_code"})
        ward = msoa_to_wards(by_msoa, ward_pop).rename(columns={"ward_code": "area_code"})
        place_value = weighted_mean(by_msoa.merge(msoa_pop, on="msoa_code"))
        others = pd.DataFrame(
            [
                {"area_code": ctx.place.lad_code, "area_type": "lad", "value": place_value, "value_note": WARD_NOTE},
                {
                    "area_code": geo.england_code,
                    "area_type": "england",
                    "value": england,
                    "value_note": "England value from the source's metadata (Metadata_DERIVED)",
                },
            ]
        )
        out = pd.concat(
            [
                msoa,
                pd.DataFrame(extra),
                ward.assign(area_type="ward", value_note=WARD_NOTE)[["area_code", "area_type", "value", "value_note"]],
                others,
            ],
            ignore_index=True,
        )
        values.append(make_values(out, indicator_id=indicator_id, period=info["period"], source_id=SOURCE))
        indicators.append(meta(indicator_id, place=ctx.place, definition_suffix=f" Period {info['period']}."))
    log.info("local health: %d indicators for %d MSOAs", len(ids), place["polycode"].nunique())
    return Parts(values=pd.concat(values, ignore_index=True), indicators=indicators)
