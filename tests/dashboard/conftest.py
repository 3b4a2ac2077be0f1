"""A small, fake, readable tidy folder for the dashboard tests (3 wards, 5 LSOAs).

``write_fixture_tidy(folder)`` writes the same files the pipelines write to ``data/tidy/``.
Run ``python tests/dashboard/conftest.py OUT_DIR`` to write one by hand (OUT_DIR/tidy/...).
"""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path

import pandas as pd
import pytest

REPO = Path(__file__).resolve().parents[2]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

NAN = math.nan
LAD = "E07000120"
ENGLAND = "E92000001"
CENTRAL, CHURCH, BAXENDEN = "E05000001", "E05000002", "E05000003"
WARDS = {CENTRAL: "Central", CHURCH: "Church", BAXENDEN: "Baxenden"}
# ward code -> (west, east) longitudes; every ward spans latitudes 53.74 to 53.76
WARD_LONS = {CENTRAL: (-2.40, -2.38), CHURCH: (-2.38, -2.36), BAXENDEN: (-2.36, -2.34)}
# LSOA code -> (name, main ward, west, east)
LSOAS = {
    "E01000001": ("Hyndburn 001A", CENTRAL, -2.40, -2.39),
    "E01000002": ("Hyndburn 001B", CENTRAL, -2.39, -2.38),
    "E01000003": ("Hyndburn 002A", CHURCH, -2.38, -2.37),
    "E01000004": ("Hyndburn 002B", CHURCH, -2.37, -2.355),
    "E01000005": ("Hyndburn 003A", BAXENDEN, -2.355, -2.34),
}
# E01000004 is split: 80% of its postcodes in Church, 20% in Baxenden.
WEIGHTS = [
    ("E01000001", CENTRAL, 1.0),
    ("E01000002", CENTRAL, 1.0),
    ("E01000003", CHURCH, 1.0),
    ("E01000004", CHURCH, 0.8),
    ("E01000004", BAXENDEN, 0.2),
    ("E01000005", BAXENDEN, 1.0),
]

INDICATORS = [
    # id, name, topic, value_type, polarity, ward_method, source_id, lsoa_vintage, decimals
    (
        "population",
        "Usual residents",
        "Population",
        "count",
        "no_judgement",
        "apportioned-from-oa",
        "census2021",
        "2021",
        0,
    ),
    (
        "bad_health",
        "Bad or very bad health",
        "Health",
        "percentage",
        "lower_is_better",
        "apportioned-from-oa",
        "census2021",
        "2021",
        1,
    ),
    (
        "disabled",
        "Disabled under the Equality Act",
        "Health",
        "percentage",
        "lower_is_better",
        "apportioned-from-oa",
        "census2021",
        "2021",
        1,
    ),
    (
        "unpaid_care",
        "Provides unpaid care",
        "Health",
        "percentage",
        "no_judgement",
        "apportioned-from-oa",
        "census2021",
        "2021",
        1,
    ),
    (
        "imd2025_score",
        "IMD 2025 score",
        "Deprivation",
        "score",
        "lower_is_better",
        "population-weighted",
        "iod2025",
        "2021",
        1,
    ),
    (
        "imd2025_decile",
        "IMD 2025 England decile",
        "Deprivation",
        "decile",
        "no_judgement",
        "population-weighted",
        "iod2025",
        "2021",
        0,
    ),
    (
        "imd2025_pct_most_deprived_10",
        "Residents in England's most deprived 10% of LSOAs (2025)",
        "Deprivation",
        "percentage",
        "lower_is_better",
        "population-weighted",
        "iod2025",
        "2021",
        1,
    ),
    (
        "imd2025_income_score",
        "IMD 2025 income domain score",
        "Deprivation",
        "score",
        "lower_is_better",
        "population-weighted",
        "iod2025",
        "2021",
        3,
    ),
    (
        "imd2025_health_score",
        "IMD 2025 health domain score",
        "Deprivation",
        "score",
        "lower_is_better",
        "population-weighted",
        "iod2025",
        "2021",
        3,
    ),
    (
        "imd2019_score",
        "IMD 2019 score",
        "Deprivation",
        "score",
        "lower_is_better",
        "population-weighted",
        "iod2019",
        "2011",
        1,
    ),
    (
        "imd2019_income_score",
        "IMD 2019 income domain score",
        "Deprivation",
        "score",
        "lower_is_better",
        "population-weighted",
        "iod2019",
        "2011",
        3,
    ),
    (
        "imd2019_health_score",
        "IMD 2019 health domain score",
        "Deprivation",
        "score",
        "lower_is_better",
        "population-weighted",
        "iod2019",
        "2011",
        3,
    ),
    (
        "life_expectancy_male",
        "Life expectancy at birth (male)",
        "Life expectancy",
        "years",
        "higher_is_better",
        "not-available",
        "fingertips",
        "",
        1,
    ),
]
SOURCES = {
    "census2021": ("Census 2021", "Office for National Statistics", "OGL v3.0", "2021"),
    "iod2025": ("English Indices of Deprivation 2025", "MHCLG", "OGL v3.0", "2025"),
    "iod2019": ("English Indices of Deprivation 2019", "MHCLG", "OGL v3.0", "2019"),
    "fingertips": ("OHID Fingertips", "OHID", "OGL v3.0", "2021-23"),
}

# (area_code, area_type, indicator_id, value, lower_ci, upper_ci, value_note)
VALUES = [
    (CENTRAL, "ward", "population", 7000, NAN, NAN, None),
    (CHURCH, "ward", "population", 5000, NAN, NAN, None),
    (BAXENDEN, "ward", "population", 4000, NAN, NAN, None),
    (LAD, "lad", "population", 16000, NAN, NAN, None),
    (ENGLAND, "england", "population", 56490048, NAN, NAN, None),
    (CENTRAL, "ward", "bad_health", 8.0, 7.4, 8.6, None),
    (CHURCH, "ward", "bad_health", 5.5, 4.9, 6.2, None),
    (BAXENDEN, "ward", "bad_health", 4.0, 3.5, 4.6, None),
    (LAD, "lad", "bad_health", 6.2, 5.9, 6.5, None),
    (ENGLAND, "england", "bad_health", 5.2, 5.2, 5.2, None),
    (CENTRAL, "ward", "disabled", 24.0, 23.0, 25.0, None),
    (CHURCH, "ward", "disabled", 19.0, 18.0, 20.0, None),
    (BAXENDEN, "ward", "disabled", 16.0, 15.0, 17.0, None),
    (LAD, "lad", "disabled", 20.0, 19.5, 20.5, None),
    (ENGLAND, "england", "disabled", 17.3, NAN, NAN, None),
    (CENTRAL, "ward", "unpaid_care", 11.0, 10.3, 11.7, None),
    (CHURCH, "ward", "unpaid_care", NAN, NAN, NAN, "suppressed: fewer than 10 people"),
    (BAXENDEN, "ward", "unpaid_care", 9.0, 8.2, 9.9, None),
    (LAD, "lad", "unpaid_care", 10.0, 9.7, 10.3, None),
    (ENGLAND, "england", "unpaid_care", 8.9, NAN, NAN, None),
    (CENTRAL, "ward", "imd2025_score", 55.2, NAN, NAN, None),
    (CHURCH, "ward", "imd2025_score", 35.1, NAN, NAN, None),
    (BAXENDEN, "ward", "imd2025_score", 12.3, NAN, NAN, None),
    (LAD, "lad", "imd2025_score", 38.0, NAN, NAN, None),
    (CENTRAL, "ward", "imd2025_decile", 1, NAN, NAN, None),
    (CHURCH, "ward", "imd2025_decile", 3, NAN, NAN, None),
    (BAXENDEN, "ward", "imd2025_decile", 7, NAN, NAN, None),
    (CENTRAL, "ward", "imd2025_pct_most_deprived_10", 62.5, NAN, NAN, None),
    (CHURCH, "ward", "imd2025_pct_most_deprived_10", 0.0, NAN, NAN, None),
    (BAXENDEN, "ward", "imd2025_pct_most_deprived_10", 0.0, NAN, NAN, None),
    (LAD, "lad", "imd2025_pct_most_deprived_10", 30.1, NAN, NAN, None),
    (CENTRAL, "ward", "imd2025_income_score", 0.301, NAN, NAN, None),
    (CHURCH, "ward", "imd2025_income_score", 0.182, NAN, NAN, None),
    (BAXENDEN, "ward", "imd2025_income_score", 0.071, NAN, NAN, None),
    (CENTRAL, "ward", "imd2025_health_score", 1.702, NAN, NAN, None),
    (CHURCH, "ward", "imd2025_health_score", 0.905, NAN, NAN, None),
    (BAXENDEN, "ward", "imd2025_health_score", -0.210, NAN, NAN, None),
    (CENTRAL, "ward", "imd2019_score", 52.0, NAN, NAN, None),
    (CHURCH, "ward", "imd2019_score", 33.3, NAN, NAN, None),
    (BAXENDEN, "ward", "imd2019_score", 14.1, NAN, NAN, None),
    (CENTRAL, "ward", "imd2019_income_score", 0.288, NAN, NAN, None),
    (CHURCH, "ward", "imd2019_income_score", 0.190, NAN, NAN, None),
    (BAXENDEN, "ward", "imd2019_income_score", 0.080, NAN, NAN, None),
    (CENTRAL, "ward", "imd2019_health_score", 1.650, NAN, NAN, None),
    (CHURCH, "ward", "imd2019_health_score", 0.950, NAN, NAN, None),
    (BAXENDEN, "ward", "imd2019_health_score", -0.150, NAN, NAN, None),
    (LAD, "lad", "life_expectancy_male", 76.2, 75.6, 76.8, None),
    (ENGLAND, "england", "life_expectancy_male", 79.3, 79.2, 79.4, None),
    ("E01000001", "lsoa", "imd2025_score", 68.0, NAN, NAN, None),
    ("E01000002", "lsoa", "imd2025_score", 44.0, NAN, NAN, None),
    ("E01000003", "lsoa", "imd2025_score", 40.2, NAN, NAN, None),
    ("E01000004", "lsoa", "imd2025_score", 29.0, NAN, NAN, None),
    ("E01000005", "lsoa", "imd2025_score", 11.5, NAN, NAN, None),
    ("E01000001", "lsoa", "bad_health", 9.1, 8.0, 10.3, None),
    ("E01000002", "lsoa", "bad_health", 6.9, 6.0, 7.9, None),
    ("E01000003", "lsoa", "bad_health", 5.9, 5.0, 6.9, None),
    ("E01000004", "lsoa", "bad_health", NAN, NAN, NAN, "suppressed: fewer than 10 people"),
    ("E01000005", "lsoa", "bad_health", 4.0, 3.3, 4.8, None),
    ("E01000001", "lsoa", "imd2019_score", 63.0, NAN, NAN, None),
    ("E01000002", "lsoa", "imd2019_score", 41.0, NAN, NAN, None),
    ("E01000003", "lsoa", "imd2019_score", 38.0, NAN, NAN, None),
    ("E01000004", "lsoa", "imd2019_score", 27.5, NAN, NAN, None),
    ("E01000005", "lsoa", "imd2019_score", 14.0, NAN, NAN, None),
]

SITES = [
    ("gp-1", "Central Surgery", "gp_practice", "P81001", "BB5 1AA", -2.395, 53.75, CENTRAL),
    ("ph-1", "Corner Pharmacy", "pharmacy", "FA001", "BB5 1AB", -2.385, 53.745, CENTRAL),
    ("gp-2", "Church Medical Centre", "gp_practice", "P81002", "BB5 4AA", -2.37, 53.75, CHURCH),
]


def square(west: float, east: float, south: float = 53.74, north: float = 53.76) -> dict:
    return {
        "type": "Polygon",
        "coordinates": [[[west, south], [east, south], [east, north], [west, north], [west, south]]],
    }


def feature_collection(features: dict[str, tuple[str, dict]]) -> dict:
    return {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "properties": {"area_code": code, "area_name": name}, "geometry": geom}
            for code, (name, geom) in features.items()
        ],
    }


def write_fixture_tidy(folder: Path) -> Path:
    """Write the fake tidy tables into ``folder`` (created if needed) and return it."""
    folder.mkdir(parents=True, exist_ok=True)
    areas = [(c, n, "ward", LAD, "2025") for c, n in WARDS.items()]
    for vintage in ("2021", "2011"):  # the same LSOA codes in both vintages, as in real data
        areas += [(c, n, "lsoa", ward, vintage) for c, (n, ward, _, _) in LSOAS.items()]
    areas += [(LAD, "Hyndburn", "lad", "E10000017", "2025"), (ENGLAND, "England", "england", None, "2019")]
    pd.DataFrame(areas, columns=["area_code", "area_name", "area_type", "parent_code", "boundary_vintage"]).to_parquet(
        folder / "areas.parquet"
    )

    names = {a[0]: a[1] for a in areas}
    meta = {i[0]: i for i in INDICATORS}
    values = pd.DataFrame(
        VALUES, columns=["area_code", "area_type", "indicator_id", "value", "lower_ci", "upper_ci", "value_note"]
    )
    values.insert(1, "area_name", values["area_code"].map(names))
    values["period"] = values["indicator_id"].map(lambda i: SOURCES[meta[i][6]][3])
    values["ci_level"] = values["lower_ci"].notna().map({True: 0.95, False: NAN})
    values["count"] = NAN
    values["denominator"] = NAN
    values["source_id"] = values["indicator_id"].map(lambda i: meta[i][6])
    columns = [
        "area_code",
        "area_name",
        "area_type",
        "indicator_id",
        "period",
        "value",
        "lower_ci",
        "upper_ci",
        "ci_level",
        "count",
        "denominator",
        "value_note",
        "source_id",
    ]
    values[columns].to_parquet(folder / "indicator_values.parquet")

    rows = []
    for ident, name, topic, vtype, polarity, ward_method, source_id, lsoa_vintage, decimals in INDICATORS:
        title, publisher, licence, vintage = SOURCES[source_id]
        rows.append(
            {
                "indicator_id": ident,
                "name": name,
                "topic": topic,
                "unit": "%" if vtype == "percentage" else "",
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
                "source_geography": "LSOA" if lsoa_vintage else "LAD",
                "lsoa_vintage": lsoa_vintage,
                "decimals": decimals,
            }
        )
    pd.DataFrame(rows).to_parquet(folder / "indicators.parquet")
    pd.DataFrame(
        [
            {
                "source_id": s,
                "title": t,
                "publisher": p,
                "licence": lic,
                "vintage": v,
                "geography": "LSOA",
                "status": "ok",
                "page": "https://example.org",
                "official_url": "https://example.org",
                "files": "",
                "urls": "",
            }
            for s, (t, p, lic, v) in SOURCES.items()
        ]
    ).to_parquet(folder / "sources.parquet")
    pd.DataFrame(
        [
            {
                "site_id": s,
                "name": n,
                "kind": k,
                "org_code": o,
                "postcode": pc,
                "lon": lon,
                "lat": lat,
                "ward_code": w,
                "in_place": True,
                "source_id": "ods",
            }
            for s, n, k, o, pc, lon, lat, w in SITES
        ]
    ).to_parquet(folder / "partner_sites.parquet")
    weights = [
        {
            "lsoa_code": lsoa,
            "lsoa_vintage": v,
            "ward_code": ward,
            "weight": w,
            "postcodes": int(w * 50),
            "method": "postcode share",
        }
        for v in ("2021", "2011")
        for lsoa, ward, w in WEIGHTS
    ]
    pd.DataFrame(weights).to_parquet(folder / "lsoa_ward_weights.parquet")

    geo = {
        "boundaries_ward.geojson": feature_collection({c: (WARDS[c], square(*WARD_LONS[c])) for c in WARDS}),
        "boundaries_lsoa_2021.geojson": feature_collection({c: (n, square(w, e)) for c, (n, _, w, e) in LSOAS.items()}),
        "boundaries_lsoa_2011.geojson": feature_collection({c: (n, square(w, e)) for c, (n, _, w, e) in LSOAS.items()}),
        "boundaries_lad.geojson": feature_collection({LAD: ("Hyndburn", square(-2.40, -2.34))}),
    }
    for name, collection in geo.items():
        (folder / name).write_text(json.dumps(collection), encoding="utf-8")
    stamp = {
        "fingerprint": "fixture",
        "built": "2025-01-01T00:00:00+00:00",
        "place": {"lad_code": LAD, "name": "Hyndburn"},
        "rows": {"indicator_values": len(values)},
    }
    (folder / "_build.json").write_text(json.dumps(stamp), encoding="utf-8")
    return folder


@pytest.fixture(scope="session")
def fixture_data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data folder (``PLACE_INSIGHT_DATA``) whose ``tidy/`` holds the fixture tables."""
    data = tmp_path_factory.mktemp("place-insight-data")
    write_fixture_tidy(data / "tidy")
    return data


@pytest.fixture()
def fixture_env(fixture_data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("PLACE_INSIGHT_DATA", str(fixture_data_dir))
    return fixture_data_dir


@pytest.fixture(scope="session")
def tidy(fixture_data_dir: Path):
    from dashboard.core.tidy_tables import read_tidy

    return read_tidy(fixture_data_dir / "tidy")


if __name__ == "__main__":
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "fixture-data")
    print(write_fixture_tidy(out / "tidy"))  # noqa: T201 (a command-line helper)
