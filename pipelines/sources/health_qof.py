"""QOF 2022-23 disease registers attributed from GP practices to LSOAs (2011) and wards.

Method (stated in every indicator's metadata and value_note): each practice's register and its
list size for that register's age group (QOF ``PATIENT_LIST_TYPE``) are shared among LSOAs in
proportion to the practice's registered patients living in each LSOA (NHS Digital, April 2020,
all ages; the share's denominator is every patient of the practice in the file, including those
without an LSOA). LSOA 2011 estimates go to wards with the build's LSOA 2011 -> ward weights
(``lsoa_vintage`` "2011", postcode shares): the patient file is on 2011 LSOAs, and those weights
come from the same postcode method as the 2021 ones, so no detour through the 2021 LSOAs is needed.
"""

from __future__ import annotations

import logging

import pandas as pd

from pipelines.errors import DataError
from pipelines.estimates import percentage_rows
from pipelines.health_estimates import attribute_practices, lsoa_to_wards
from pipelines.sources.health_common import check_row, checks_frame, meta
from pipelines.tidy import Parts, make_values
from pipelines.validate import check_codes, check_columns, check_numeric, check_row_count, check_unique, read_file

log = logging.getLogger(__name__)

QOF_SOURCE = "nhse-qof-2223"
PATIENTS_SOURCE = "nhsd-gp-patients-lsoa-2020"
HOCL_SOURCE = "hocl-qof-prevalence"
PERIOD = "2022/23"
GROUPS = [
    "AF",
    "AST",
    "CAN",
    "CHD",
    "CKD",
    "COPD",
    "DEM",
    "DEP",
    "DM",
    "EP",
    "HF",
    "HYP",
    "LD",
    "MH",
    "NDH",
    "OB",
    "OST",
    "PAD",
    "PC",
    "RA",
    "STIA",
]  # the 21 QOF 2022-23 registers
PREVALENCE_COLUMNS = ["PRACTICE_CODE", "GROUP_CODE", "REGISTER", "PATIENT_LIST_TYPE", "PRACTICE_LIST_SIZE"]
PREVALENCE_LAYOUT = "the QOF raw data file PREVALENCE_2223.csv (PRACTICE_CODE, GROUP_CODE, REGISTER, PATIENT_LIST_TYPE, PRACTICE_LIST_SIZE)"
MAPPING_COLUMNS = ["PRACTICE_CODE", "PRACTICE_NAME", "PCN_ODS_CODE", "SUB_ICB_ODS_CODE", "ICB_ODS_CODE"]
MAPPING_LAYOUT = "the QOF raw data file MAPPING_NHS_GEOGRAPHIES_2223.csv"
PATIENT_COLUMNS = ["PRACTICE_CODE", "LSOA_CODE", "SEX"]
PATIENT_COUNT = ("Number of Patients", "Number.of.Patients")
PATIENT_LAYOUT = "NHS Digital gp-reg-pat-prac-lsoa-all.csv (PRACTICE_CODE, LSOA_CODE, SEX, Number of Patients)"
AGE_OF_LIST = {
    "TOTAL": "all ages",
    "06OV": "aged 6+",
    "16OV": "aged 16+",
    "17OV": "aged 17+",
    "18OV": "aged 18+",
    "50OV": "aged 50+",
}
NOTE = (
    "estimate: practice registers (QOF 2022-23) attributed to LSOAs 2011 by registered patients (April 2020), "
    "then to wards by LSOA 2011 weights; prevalence on registered patients {age}; 95% CI approximate"
)


def read_prevalence(path, source_id: str = QOF_SOURCE) -> pd.DataFrame:
    frame = read_file(pd.read_csv, path, source_id=source_id, layout=PREVALENCE_LAYOUT, dtype=str)
    check_columns(frame, PREVALENCE_COLUMNS, file=path, source_id=source_id, layout=PREVALENCE_LAYOUT)
    check_row_count(frame, minimum=1, what="rows", file=path, source_id=source_id)
    check_numeric(frame, ["REGISTER", "PRACTICE_LIST_SIZE"], file=path, source_id=source_id, min_value=0)
    check_unique(frame, ["PRACTICE_CODE", "GROUP_CODE"], file=path, source_id=source_id)
    problems = []
    absent = sorted(set(GROUPS) - set(frame["GROUP_CODE"]))
    if absent:
        problems.append(f"no rows for QOF group(s) {absent}")
    unknown = sorted(set(frame["PATIENT_LIST_TYPE"]) - set(AGE_OF_LIST))
    if unknown:
        problems.append(f"unknown PATIENT_LIST_TYPE {unknown}")
    mixed = frame.groupby("GROUP_CODE")["PATIENT_LIST_TYPE"].nunique()
    if (mixed > 1).any():
        problems.append(f"group(s) {sorted(mixed[mixed > 1].index)} have more than one PATIENT_LIST_TYPE")
    if problems:
        raise DataError(
            source_id=source_id, file=path, problem="; ".join(problems), fix="download the complete file again"
        )
    frame["REGISTER"] = pd.to_numeric(frame["REGISTER"])
    frame["PRACTICE_LIST_SIZE"] = pd.to_numeric(frame["PRACTICE_LIST_SIZE"])
    over = frame["REGISTER"] > frame["PRACTICE_LIST_SIZE"]
    if over.any():  # published so (e.g. a learning-disability register at a specialist practice): kept, logged
        log.warning(
            "qof: %d rows have a register above the list size: %s",
            int(over.sum()),
            frame.loc[over, ["PRACTICE_CODE", "GROUP_CODE"]].head(3).to_dict("records"),
        )
    return frame


def read_mapping(path, source_id: str = QOF_SOURCE) -> pd.DataFrame:
    frame = read_file(pd.read_csv, path, source_id=source_id, layout=MAPPING_LAYOUT, dtype=str)
    check_columns(frame, MAPPING_COLUMNS, file=path, source_id=source_id, layout=MAPPING_LAYOUT)
    check_unique(frame, ["PRACTICE_CODE"], file=path, source_id=source_id)
    return frame


def read_patients(path, source_id: str = PATIENTS_SOURCE) -> pd.DataFrame:
    """practice_code, lsoa_code (2011, or NO2011), patients: all persons."""
    frame = read_file(pd.read_csv, path, source_id=source_id, layout=PATIENT_LAYOUT, dtype=str)
    count = next((c for c in PATIENT_COUNT if c in frame.columns), PATIENT_COUNT[0])
    check_columns(frame, [*PATIENT_COLUMNS, count], file=path, source_id=source_id, layout=PATIENT_LAYOUT)
    check_row_count(frame, minimum=1, what="rows", file=path, source_id=source_id)
    frame = frame[frame["SEX"] == "ALL"]
    check_numeric(frame, [count], file=path, source_id=source_id, min_value=0)
    check_codes(frame[frame["LSOA_CODE"] != "NO2011"], "LSOA_CODE", kind="lsoa", file=path, source_id=source_id)
    check_unique(frame, ["PRACTICE_CODE", "LSOA_CODE"], file=path, source_id=source_id)
    return pd.DataFrame(
        {
            "practice_code": frame["PRACTICE_CODE"],
            "lsoa_code": frame["LSOA_CODE"],
            "patients": pd.to_numeric(frame[count]).astype("float64"),
        }
    ).reset_index(drop=True)


def read_hocl(path, source_id: str = HOCL_SOURCE) -> pd.DataFrame:
    layout = "the Commons Library CSV with columns lad_code, lad_name, group_code, register, list, prevalence"
    frame = read_file(pd.read_csv, path, source_id=source_id, layout=layout, dtype=str)
    check_columns(frame, ["lad_code", "group_code", "register", "list"], file=path, source_id=source_id, layout=layout)
    check_numeric(frame, ["register", "list"], file=path, source_id=source_id, min_value=0)
    return frame.assign(register=pd.to_numeric(frame["register"]), list=pd.to_numeric(frame["list"]))


def area_rows(geo, lsoa: pd.DataFrame, *, lad_code: str, england: tuple[float, float] | None) -> pd.DataFrame:
    """Ward, place and England rows (count, denominator) from LSOA 2011 estimates."""
    ward = lsoa_to_wards(lsoa, geo.weights("2011")).rename(columns={"ward_code": "area_code"})
    ward["area_type"] = "ward"
    lad = pd.DataFrame([{"area_code": lad_code, "area_type": "lad", **lsoa[["count", "denominator"]].sum()}])
    frames = [ward, lad]
    if england is not None:
        frames.append(
            pd.DataFrame(
                [
                    {
                        "area_code": geo.england_code,
                        "area_type": "england",
                        "count": england[0],
                        "denominator": england[1],
                    }
                ]
            )
        )
    return pd.concat(frames, ignore_index=True)


def practice_totals(prevalence: pd.DataFrame) -> pd.DataFrame:
    """practice_code, total: each practice's QOF 2022-23 list size, all ages (the TOTAL list type)."""
    rows = prevalence[prevalence["PATIENT_LIST_TYPE"] == "TOTAL"]
    totals = rows.groupby("PRACTICE_CODE")["PRACTICE_LIST_SIZE"].max()
    return totals.rename("total").rename_axis("practice_code").reset_index()


def place_patients(patients: pd.DataFrame, geo) -> pd.DataFrame:
    """The patients file limited to the practices holding any of the place's residents (all their rows)."""
    practices = set(patients.loc[patients["lsoa_code"].isin(geo.lsoa11_codes), "practice_code"])
    return patients[patients["practice_code"].isin(practices)]


def build(ctx, geo) -> Parts:
    prevalence = read_prevalence(ctx.path(QOF_SOURCE, 0))
    mapping = read_mapping(ctx.path(QOF_SOURCE, 1))
    patients = read_patients(ctx.path(PATIENTS_SOURCE))
    hocl = read_hocl(ctx.path(HOCL_SOURCE))
    unmapped = sorted(set(prevalence["PRACTICE_CODE"]) - set(mapping["PRACTICE_CODE"]))
    if unmapped:
        log.warning("qof: %d practices are not in the mapping file (e.g. %s)", len(unmapped), unmapped[:3])
    lad = ctx.place.lad_code
    place_lsoas = set(geo.lsoa11_codes)
    missing = sorted(place_lsoas - set(patients["lsoa_code"]))
    if missing:
        raise DataError(
            source_id=PATIENTS_SOURCE,
            file=ctx.path(PATIENTS_SOURCE),
            problem=f"{len(missing)} of the place's 2011 LSOAs have no registered patients in the file (e.g. {missing[:3]})",
            fix="use a file (or extract) that holds every LSOA of the place",
        )
    held = place_patients(patients, geo)
    totals = practice_totals(prevalence)
    in_place = held[held["lsoa_code"].isin(place_lsoas)]
    with_qof = in_place["practice_code"].isin(set(prevalence["PRACTICE_CODE"]))
    checks = [
        check_row(
            "qof_patient_coverage",
            "qof_*",
            PERIOD,
            lad,
            "lad",
            estimate=float(in_place.loc[with_qof, "patients"].sum()),
            reference=float(in_place["patients"].sum()),
            reference_source_id=PATIENTS_SOURCE,
            note=f"residents registered (April 2020) at practices with QOF 2022-23 data (estimate) vs all registered "
            f"residents (reference); {in_place.loc[~with_qof, 'practice_code'].nunique()} practices have no QOF data",
        )
    ]
    values, indicators = [], []
    for group in GROUPS:
        g = prevalence[prevalence["GROUP_CODE"] == group]
        age = AGE_OF_LIST[g["PATIENT_LIST_TYPE"].iloc[0]]
        practice = pd.DataFrame(
            {"practice_code": g["PRACTICE_CODE"], "count": g["REGISTER"], "denominator": g["PRACTICE_LIST_SIZE"]}
        )
        lsoa = attribute_practices(practice, held, totals)
        lsoa = lsoa[lsoa["lsoa_code"].isin(place_lsoas)]
        rows = area_rows(geo, lsoa, lad_code=lad, england=(g["REGISTER"].sum(), g["PRACTICE_LIST_SIZE"].sum()))
        rows = pd.concat(
            [
                rows,
                percentage_rows(rows, numerator=rows["count"], denominator=rows["denominator"])[
                    ["value", "lower_ci", "upper_ci", "ci_level"]
                ],
            ],
            axis=1,
        )
        note = NOTE.format(age=age)
        rows["value_note"] = note
        rows.loc[rows["area_type"] == "england", "value_note"] = (
            f"England: sum of every practice's register / list size ({age}); exact count, Wilson 95% CI"
        )
        indicator_id = f"qof_{group.lower()}"
        values.append(make_values(rows, indicator_id=indicator_id, period=PERIOD, source_id=QOF_SOURCE))
        indicators.append(meta(indicator_id, place=ctx.place))
        ref = hocl[(hocl["lad_code"] == lad) & (hocl["group_code"] == group)]
        place = rows[rows["area_type"] == "lad"].iloc[0]
        checks.append(
            check_row(
                "qof_place_vs_commons_library",
                indicator_id,
                PERIOD,
                lad,
                "lad",
                estimate=float(place["count"]),
                reference=float(ref["register"].iloc[0]) if len(ref) else None,
                reference_source_id=HOCL_SOURCE,
                note=f"estimated register 2022-23 (prevalence {place['value']:.2f}%) vs House of Commons Library modelled "
                f"register 2019/20"
                + (
                    f" (prevalence {100 * ref['register'].iloc[0] / ref['list'].iloc[0]:.2f}%)"
                    if len(ref)
                    else " (not in the file)"
                ),
            )
        )
    log.info(
        "qof: %d groups attributed from %d practices holding residents", len(GROUPS), held["practice_code"].nunique()
    )
    return Parts(
        values=pd.concat(values, ignore_index=True),
        indicators=indicators,
        tables={"health_estimate_checks": checks_frame(checks)},
    )
