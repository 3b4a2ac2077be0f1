"""Health rows for the dashboard fixture (issue 11): MSOA life expectancy with 95% CIs and the
indicative ward figures made from it, QOF registers as ward / district / England prevalence with
Wilson intervals, Local Health MSOA ratios with the source's own England flag, child obesity,
SAMHI for several years, smoking (QOF) for two years and fuel poverty.

Literal, readable numbers in the layouts of the tidy contract; ``add_health_rows(folder)`` is
called by ``conftest.write_fixture_tidy`` after the base tables are written.

The fixture's three MSOAs follow the ONS naming rule (an LSOA's name minus its last letter is its
MSOA's name): Hyndburn 001 = LSOAs E01000001 + E01000002 (all of Central), Hyndburn 002 =
E01000003 + E01000004 (Church, and 20% of E01000004 in Baxenden), Hyndburn 003 = E01000005
(Baxenden). So Central and Church each lie in one MSOA, and Baxenden in two (002 by 0.2 of an
LSOA, 003 by 1.0: shares 0.2 / 1.2 = 16.7% and 83.3%).
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import pandas as pd

NAN = math.nan
LAD = "E07000120"
ENGLAND = "E92000001"
CENTRAL, CHURCH, BAXENDEN = "E05000001", "E05000002", "E05000003"
MSOAS = {  # code -> (name, west, east); latitudes 53.74 to 53.76 like the wards
    "E02000001": ("Hyndburn 001", -2.40, -2.38),
    "E02000002": ("Hyndburn 002", -2.38, -2.355),
    "E02000003": ("Hyndburn 003", -2.355, -2.34),
}
M1, M2, M3 = MSOAS
INDICATIVE = "indicative, from MSOA figures"
GP_ESTIMATE = "estimated from GP registers"

# id: (name, topic, unit, value_type, polarity, ward_method, source_id, source_geography, decimals)
HEALTH_INDICATORS = {
    "life_expectancy_male": (
        "Life expectancy at birth (men)",
        "Life expectancy",
        "years",
        "years",
        "higher_is_better",
        "population-weighted-from-msoa",
        "ons-le-msoa",
        "MSOA 2011",
        1,
    ),
    "life_expectancy_female": (
        "Life expectancy at birth (women)",
        "Life expectancy",
        "years",
        "years",
        "higher_is_better",
        "population-weighted-from-msoa",
        "ons-le-msoa",
        "MSOA 2011",
        1,
    ),
    "qof_hyp": (
        "Hypertension (QOF register)",
        "Long-term conditions",
        "%",
        "percentage",
        "lower_is_better",
        "gp-registers-to-ward",
        "qof-2223",
        "GP practice",
        1,
    ),
    "qof_dm": (
        "Diabetes (QOF register, 17+)",
        "Long-term conditions",
        "%",
        "percentage",
        "lower_is_better",
        "gp-registers-to-ward",
        "qof-2223",
        "GP practice",
        1,
    ),
    "qof_dep": (
        "Depression (QOF register, 18+)",
        "Long-term conditions",
        "%",
        "percentage",
        "lower_is_better",
        "gp-registers-to-ward",
        "qof-2223",
        "GP practice",
        1,
    ),
    "smr_all_causes": (
        "Deaths from all causes (SMR)",
        "Mortality",
        "SMR (England = 100)",
        "ratio",
        "lower_is_better",
        "not-available",
        "local-health",
        "MSOA 2011",
        1,
    ),
    "sar_all_causes": (
        "Emergency admissions, all causes (SAR)",
        "Hospital admissions",
        "SAR (England = 100)",
        "ratio",
        "lower_is_better",
        "not-available",
        "local-health",
        "MSOA 2011",
        1,
    ),
    "sar_copd": (
        "Emergency admissions for COPD (SAR)",
        "Hospital admissions",
        "SAR (England = 100)",
        "ratio",
        "lower_is_better",
        "not-available",
        "local-health",
        "MSOA 2011",
        1,
    ),
    "child_obesity_year6": (
        "Obese children, Year 6",
        "Child health",
        "%",
        "percentage",
        "lower_is_better",
        "population-weighted-from-msoa",
        "ncmp-msoa",
        "MSOA 2011",
        1,
    ),
    "child_obesity_reception": (
        "Obese children, Reception",
        "Child health",
        "%",
        "percentage",
        "lower_is_better",
        "population-weighted-from-msoa",
        "ncmp-msoa",
        "MSOA 2011",
        1,
    ),
    "samhi_index": (
        "Small Area Mental Health Index (SAMHI)",
        "Mental health",
        "index (0 = England average)",
        "score",
        "lower_is_better",
        "population-weighted",
        "samhi",
        "LSOA 2011",
        2,
    ),
    "samhi_worst_decile_share": (
        "Residents in England's worst 10% for mental health (SAMHI)",
        "Mental health",
        "%",
        "percentage",
        "lower_is_better",
        "population-weighted",
        "samhi",
        "LSOA 2011",
        1,
    ),
    "smoking_prevalence_qof": (
        "Smoking prevalence, 15+ (QOF)",
        "Smoking",
        "%",
        "percentage",
        "lower_is_better",
        "gp-registers-to-ward",
        "fingertips-91547",
        "GP practice",
        1,
    ),
    "fuel_poverty": (
        "Households in fuel poverty (LILEE)",
        "Housing",
        "%",
        "percentage",
        "lower_is_better",
        "population-weighted",
        "fuel-poverty",
        "LSOA 2021",
        1,
    ),
}
HEALTH_SOURCES = {  # source_id: (title, publisher, licence, vintage, citation)
    "ons-le-msoa": (
        "Life expectancy for 2011 MSOAs in England, 2016 to 2020 (REQ3292)",
        "Office for National Statistics",
        "OGL v3.0",
        "2016-20",
        "",
    ),
    "qof-2223": ("Quality and Outcomes Framework 2022-23", "NHS England", "OGL v3.0", "2022/23", ""),
    "local-health": ("Local Health (MSOA), 2020 release", "OHID", "OGL v3.0", "2020", ""),
    "ncmp-msoa": ("NCMP small-area data", "OHID", "OGL v3.0", "2016/17-2018/19", ""),
    "samhi": (
        "Small Area Mental Health Index (SAMHI) v5.00",
        "Place-based Longitudinal Data Resource, University of Liverpool",
        "UK Open Government Licence (citation required)",
        "2011-2022",
        "Daras K, Barr B (2021), Small Area Mental Health Index (SAMHI) v5.00 [Open Dataset], "
        "Place-based Longitudinal Data Resource, DOI 10.17638/datacat.liverpool.ac.uk/1188",
    ),
    "fingertips-91547": ("Fingertips 91547 smoking prevalence (QOF)", "OHID", "OGL v3.0", "2023/24", ""),
    "fuel-poverty": ("Sub-regional fuel poverty 2023", "DESNZ", "OGL v3.0", "2023", ""),
}

LE_PERIOD = "2016-20"
QOF_PERIOD = "2022/23"
LH_PERIOD = "2013-17"
NCMP_PERIOD = "2016/17-2018/19"
SAMHI_PERIODS = ("2011", "2015", "2019", "2022")

# (area_code, area_type, indicator_id, period, value, lower_ci, upper_ci, count, denominator, value_note)
HEALTH_VALUES = [
    # Life expectancy, men: MSOAs with CIs; wards indicative (population-weighted MSOAs, no CI).
    (M1, "msoa", "life_expectancy_male", LE_PERIOD, 74.1, 72.9, 75.3, NAN, NAN, None),
    (M2, "msoa", "life_expectancy_male", LE_PERIOD, 78.0, 76.9, 79.1, NAN, NAN, None),
    (M3, "msoa", "life_expectancy_male", LE_PERIOD, 81.2, 80.1, 82.3, NAN, NAN, None),
    (CENTRAL, "ward", "life_expectancy_male", LE_PERIOD, 74.1, NAN, NAN, NAN, NAN, INDICATIVE),
    (CHURCH, "ward", "life_expectancy_male", LE_PERIOD, 78.0, NAN, NAN, NAN, NAN, INDICATIVE),
    (BAXENDEN, "ward", "life_expectancy_male", LE_PERIOD, 80.7, NAN, NAN, NAN, NAN, INDICATIVE),
    (LAD, "lad", "life_expectancy_male", LE_PERIOD, 77.5, 77.0, 78.0, NAN, NAN, None),
    (ENGLAND, "england", "life_expectancy_male", LE_PERIOD, 79.4, 79.3, 79.5, NAN, NAN, None),
    # Life expectancy, women.
    (M1, "msoa", "life_expectancy_female", LE_PERIOD, 78.9, 77.7, 80.1, NAN, NAN, None),
    (M2, "msoa", "life_expectancy_female", LE_PERIOD, 82.0, 80.9, 83.1, NAN, NAN, None),
    (M3, "msoa", "life_expectancy_female", LE_PERIOD, 84.6, 83.5, 85.7, NAN, NAN, None),
    (CENTRAL, "ward", "life_expectancy_female", LE_PERIOD, 78.9, NAN, NAN, NAN, NAN, INDICATIVE),
    (CHURCH, "ward", "life_expectancy_female", LE_PERIOD, 82.0, NAN, NAN, NAN, NAN, INDICATIVE),
    (BAXENDEN, "ward", "life_expectancy_female", LE_PERIOD, 84.2, NAN, NAN, NAN, NAN, INDICATIVE),
    (LAD, "lad", "life_expectancy_female", LE_PERIOD, 81.3, 80.8, 81.8, NAN, NAN, None),
    (ENGLAND, "england", "life_expectancy_female", LE_PERIOD, 83.1, 83.0, 83.2, NAN, NAN, None),
    # QOF registers: count = estimated register, denominator = patients, Wilson 95% CIs.
    (CENTRAL, "ward", "qof_hyp", QOF_PERIOD, 14.0, 13.23, 14.8, 1050, 7500, GP_ESTIMATE),
    (CHURCH, "ward", "qof_hyp", QOF_PERIOD, 12.5, 11.66, 13.39, 700, 5600, GP_ESTIMATE),
    (BAXENDEN, "ward", "qof_hyp", QOF_PERIOD, 13.0, 11.99, 14.08, 520, 4000, GP_ESTIMATE),
    (LAD, "lad", "qof_hyp", QOF_PERIOD, 13.27, 12.77, 13.79, 2270, 17100, None),
    (ENGLAND, "england", "qof_hyp", QOF_PERIOD, 14.8, 14.79, 14.81, NAN, NAN, None),
    (CENTRAL, "ward", "qof_dm", QOF_PERIOD, 8.0, 7.41, 8.64, 600, 7500, GP_ESTIMATE),
    (CHURCH, "ward", "qof_dm", QOF_PERIOD, 7.0, 6.36, 7.7, 392, 5600, GP_ESTIMATE),
    (BAXENDEN, "ward", "qof_dm", QOF_PERIOD, 6.0, 5.31, 6.78, 240, 4000, GP_ESTIMATE),
    (LAD, "lad", "qof_dm", QOF_PERIOD, 7.2, 6.83, 7.6, 1232, 17100, None),
    (ENGLAND, "england", "qof_dm", QOF_PERIOD, 7.5, 7.49, 7.51, NAN, NAN, None),
    (CENTRAL, "ward", "qof_dep", QOF_PERIOD, 15.0, 14.21, 15.83, 1125, 7500, GP_ESTIMATE),
    (CHURCH, "ward", "qof_dep", QOF_PERIOD, 13.0, 12.14, 13.91, 728, 5600, GP_ESTIMATE),
    (BAXENDEN, "ward", "qof_dep", QOF_PERIOD, 11.0, 10.07, 12.01, 440, 4000, GP_ESTIMATE),
    (LAD, "lad", "qof_dep", QOF_PERIOD, 13.41, 12.91, 13.93, 2293, 17100, None),
    (ENGLAND, "england", "qof_dep", QOF_PERIOD, 13.2, 13.19, 13.21, NAN, NAN, None),
    # Local Health: MSOA ratios (England = 100) with the source's own flag; no CI, no ward rows.
    (M1, "msoa", "smr_all_causes", LH_PERIOD, 170.9, NAN, NAN, NAN, NAN, "Worse than England (= 100)"),
    (M2, "msoa", "smr_all_causes", LH_PERIOD, 105.0, NAN, NAN, NAN, NAN, "Similar to England (= 100)"),
    (M3, "msoa", "smr_all_causes", LH_PERIOD, 82.0, NAN, NAN, NAN, NAN, "Better than England (= 100)"),
    (ENGLAND, "england", "smr_all_causes", LH_PERIOD, 100.0, NAN, NAN, NAN, NAN, None),
    (M1, "msoa", "sar_all_causes", LH_PERIOD, 175.7, NAN, NAN, NAN, NAN, "Worse than England (= 100)"),
    (M2, "msoa", "sar_all_causes", LH_PERIOD, 98.0, NAN, NAN, NAN, NAN, "Similar to England (= 100)"),
    (M3, "msoa", "sar_all_causes", LH_PERIOD, 88.0, NAN, NAN, NAN, NAN, "Better than England (= 100)"),
    (ENGLAND, "england", "sar_all_causes", LH_PERIOD, 100.0, NAN, NAN, NAN, NAN, None),
    (M1, "msoa", "sar_copd", LH_PERIOD, 321.6, NAN, NAN, NAN, NAN, "Worse than England (= 100)"),
    (M2, "msoa", "sar_copd", LH_PERIOD, 150.0, NAN, NAN, NAN, NAN, "Worse than England (= 100)"),
    (M3, "msoa", "sar_copd", LH_PERIOD, 95.0, NAN, NAN, NAN, NAN, "Similar to England (= 100)"),
    (ENGLAND, "england", "sar_copd", LH_PERIOD, 100.0, NAN, NAN, NAN, NAN, None),
    # Child obesity (NCMP, 3 years pooled): MSOAs with the source's flag; wards indicative.
    (M1, "msoa", "child_obesity_year6", NCMP_PERIOD, 25.2, NAN, NAN, NAN, NAN, "Worse than England"),
    (M2, "msoa", "child_obesity_year6", NCMP_PERIOD, 21.0, NAN, NAN, NAN, NAN, "Similar to England"),
    (M3, "msoa", "child_obesity_year6", NCMP_PERIOD, 15.1, NAN, NAN, NAN, NAN, "Better than England"),
    (CENTRAL, "ward", "child_obesity_year6", NCMP_PERIOD, 25.2, NAN, NAN, NAN, NAN, INDICATIVE),
    (CHURCH, "ward", "child_obesity_year6", NCMP_PERIOD, 21.0, NAN, NAN, NAN, NAN, INDICATIVE),
    (BAXENDEN, "ward", "child_obesity_year6", NCMP_PERIOD, 16.1, NAN, NAN, NAN, NAN, INDICATIVE),
    (ENGLAND, "england", "child_obesity_year6", NCMP_PERIOD, 20.2, NAN, NAN, NAN, NAN, None),
    (M1, "msoa", "child_obesity_reception", NCMP_PERIOD, 11.9, NAN, NAN, NAN, NAN, "Worse than England"),
    (M2, "msoa", "child_obesity_reception", NCMP_PERIOD, 9.8, NAN, NAN, NAN, NAN, "Similar to England"),
    (M3, "msoa", "child_obesity_reception", NCMP_PERIOD, 8.1, NAN, NAN, NAN, NAN, "Similar to England"),
    (CENTRAL, "ward", "child_obesity_reception", NCMP_PERIOD, 11.9, NAN, NAN, NAN, NAN, INDICATIVE),
    (CHURCH, "ward", "child_obesity_reception", NCMP_PERIOD, 9.8, NAN, NAN, NAN, NAN, INDICATIVE),
    (BAXENDEN, "ward", "child_obesity_reception", NCMP_PERIOD, 8.4, NAN, NAN, NAN, NAN, INDICATIVE),
    (ENGLAND, "england", "child_obesity_reception", NCMP_PERIOD, 9.7, NAN, NAN, NAN, NAN, None),
    # Smoking (QOF), two years, with CIs.
    (CENTRAL, "ward", "smoking_prevalence_qof", "2022/23", 22.1, 21.0, 23.2, NAN, NAN, GP_ESTIMATE),
    (CENTRAL, "ward", "smoking_prevalence_qof", "2023/24", 21.4, 20.3, 22.5, NAN, NAN, GP_ESTIMATE),
    (CHURCH, "ward", "smoking_prevalence_qof", "2022/23", 17.0, 16.0, 18.0, NAN, NAN, GP_ESTIMATE),
    (CHURCH, "ward", "smoking_prevalence_qof", "2023/24", 16.5, 15.5, 17.5, NAN, NAN, GP_ESTIMATE),
    (BAXENDEN, "ward", "smoking_prevalence_qof", "2022/23", 12.3, 11.3, 13.4, NAN, NAN, GP_ESTIMATE),
    (BAXENDEN, "ward", "smoking_prevalence_qof", "2023/24", 12.0, 11.0, 13.1, NAN, NAN, GP_ESTIMATE),
    (LAD, "lad", "smoking_prevalence_qof", "2022/23", 17.9, 17.4, 18.4, NAN, NAN, None),
    (LAD, "lad", "smoking_prevalence_qof", "2023/24", 17.2, 16.7, 17.7, NAN, NAN, None),
    (ENGLAND, "england", "smoking_prevalence_qof", "2022/23", 14.7, 14.7, 14.7, NAN, NAN, None),
    (ENGLAND, "england", "smoking_prevalence_qof", "2023/24", 14.3, 14.3, 14.3, NAN, NAN, None),
    # Fuel poverty, one year.
    (CENTRAL, "ward", "fuel_poverty", "2023", 19.5, NAN, NAN, NAN, NAN, None),
    (CHURCH, "ward", "fuel_poverty", "2023", 14.0, NAN, NAN, NAN, NAN, None),
    (BAXENDEN, "ward", "fuel_poverty", "2023", 9.0, NAN, NAN, NAN, NAN, None),
    (LAD, "lad", "fuel_poverty", "2023", 14.2, NAN, NAN, NAN, NAN, None),
    (ENGLAND, "england", "fuel_poverty", "2023", 11.4, NAN, NAN, NAN, NAN, None),
]
# SAMHI by year (higher = worse; 0 = England average): ward, lad and England rows.
SAMHI = {
    CENTRAL: (0.9, 1.4, 2.1, 2.8),
    CHURCH: (0.2, 0.6, 1.1, 1.5),
    BAXENDEN: (-0.6, -0.4, 0.0, 0.3),
    LAD: (0.1, 0.5, 1.0, 1.6),
    ENGLAND: (0.0, 0.0, 0.0, 0.0),
}
SAMHI_WORST = {CENTRAL: (50.0, 100.0), CHURCH: (0.0, 45.0), BAXENDEN: (0.0, 0.0), LAD: (12.0, 38.0)}
AREA_TYPES = {CENTRAL: "ward", CHURCH: "ward", BAXENDEN: "ward", LAD: "lad", ENGLAND: "england"}


def health_value_rows() -> list[tuple]:
    rows = list(HEALTH_VALUES)
    for code, values in SAMHI.items():
        for period, value in zip(SAMHI_PERIODS, values, strict=True):
            rows.append((code, AREA_TYPES[code], "samhi_index", period, value, NAN, NAN, NAN, NAN, None))
    for code, values in SAMHI_WORST.items():
        for period, value in zip(("2011", "2022"), values, strict=True):
            rows.append((code, AREA_TYPES[code], "samhi_worst_decile_share", period, value, NAN, NAN, NAN, NAN, None))
    return rows


def _square(west: float, east: float) -> dict:
    south, north = 53.74, 53.76
    return {
        "type": "Polygon",
        "coordinates": [[[west, south], [east, south], [east, north], [west, north], [west, south]]],
    }


def add_health_rows(folder: Path) -> None:
    """Append the health indicators, values, sources, MSOA areas and MSOA boundaries to the
    fixture tables in ``folder``. The base fixture's district-only life expectancy (a newer
    period at district and England level) is kept, so the ward's 2016-20 figure must be
    compared with the district and England of 2016-20, not with their latest period."""
    areas = pd.read_parquet(folder / "areas.parquet")
    msoa_areas = pd.DataFrame(
        [(c, n, "msoa", LAD, "2021") for c, (n, _, _) in MSOAS.items()],
        columns=["area_code", "area_name", "area_type", "parent_code", "boundary_vintage"],
    )
    areas = pd.concat([areas, msoa_areas], ignore_index=True)
    areas.to_parquet(folder / "areas.parquet")
    names = dict(zip(areas["area_code"], areas["area_name"], strict=False))

    values = pd.read_parquet(folder / "indicator_values.parquet")
    new = pd.DataFrame(
        health_value_rows(),
        columns=[
            "area_code",
            "area_type",
            "indicator_id",
            "period",
            "value",
            "lower_ci",
            "upper_ci",
            "count",
            "denominator",
            "value_note",
        ],
    )
    new["area_name"] = new["area_code"].map(names)
    new["ci_level"] = new["lower_ci"].notna().map({True: 0.95, False: NAN})
    new["source_id"] = new["indicator_id"].map(lambda i: HEALTH_INDICATORS[i][6])
    pd.concat([values, new[values.columns]], ignore_index=True).to_parquet(folder / "indicator_values.parquet")

    indicators = pd.read_parquet(folder / "indicators.parquet")
    indicators = indicators[~indicators["indicator_id"].isin(list(HEALTH_INDICATORS))]
    rows = []
    for ident, (
        name,
        topic,
        unit,
        vtype,
        polarity,
        ward_method,
        source_id,
        geography,
        decimals,
    ) in HEALTH_INDICATORS.items():
        title, publisher, licence, vintage, _ = HEALTH_SOURCES[source_id]
        rows.append(
            {
                "indicator_id": ident,
                "name": name,
                "topic": topic,
                "unit": unit,
                "value_type": vtype,
                "polarity": polarity,
                "definition": f"Definition of {name.lower()}.",
                "method": f"How the ward figure for {name.lower()} is made.",
                "ward_method": ward_method,
                "source_id": source_id,
                "source": title,
                "publisher": publisher,
                "licence": licence,
                "vintage": vintage,
                "source_geography": geography,
                "lsoa_vintage": "2011" if geography == "LSOA 2011" else "2021" if geography == "LSOA 2021" else "",
                "decimals": decimals,
            }
        )
    pd.concat([indicators, pd.DataFrame(rows)], ignore_index=True).to_parquet(folder / "indicators.parquet")

    sources = pd.read_parquet(folder / "sources.parquet")
    extra = pd.DataFrame(
        [
            {
                "source_id": s,
                "title": t,
                "publisher": p,
                "licence": lic,
                "vintage": v,
                "geography": "MSOA",
                "status": "ok",
                "page": "https://example.org",
                "official_url": "https://example.org",
                "files": "",
                "urls": "",
                "citation": citation,
            }
            for s, (t, p, lic, v, citation) in HEALTH_SOURCES.items()
        ]
    )
    pd.concat([sources, extra], ignore_index=True).to_parquet(folder / "sources.parquet")

    collection = {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "properties": {"area_code": c, "area_name": n}, "geometry": _square(w, e)}
            for c, (n, w, e) in MSOAS.items()
        ],
    }
    (folder / "boundaries_msoa_2021.geojson").write_text(json.dumps(collection), encoding="utf-8")
