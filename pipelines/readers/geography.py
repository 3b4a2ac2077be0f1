"""Geography: boundaries, lookups, postcodes, and the LSOA -> ward weights every reader uses."""

from __future__ import annotations

import logging

import geopandas as gpd
import pandas as pd
import shapely

from pipelines.context import BuildContext, main_wards
from pipelines.cut import dissolve_msoas
from pipelines.errors import DataError
from pipelines.tidy import AREA_COLUMNS, Parts
from pipelines.validate import check_codes, check_columns, check_row_count, read_file

log = logging.getLogger(__name__)

BNG = "EPSG:27700"
WGS84 = "EPSG:4326"
CODEPOINT_COLUMNS = [
    "Postcode",
    "Positional_quality_indicator",
    "Eastings",
    "Northings",
    "Country_code",
    "NHS_regional_HA_code",
    "NHS_HA_code",
    "Admin_county_code",
    "Admin_district_code",
    "Admin_ward_code",
]
# Web boundaries: simplified in British National Grid with this tolerance (metres), then
# coordinates rounded to 5 decimal places of a degree (about 1 m).
SIMPLIFY_TOLERANCE_M = 8.0
COORD_GRID_DEG = 1e-5


def read_boundaries(ctx: BuildContext, source_id: str, *, code: str, name: str, kind: str) -> gpd.GeoDataFrame:
    path = ctx.path(source_id)
    gdf = read_file(gpd.read_file, path, source_id=source_id, layout="GeoJSON boundaries (ONS BGC)")
    check_columns(
        gdf, [code, name], file=path, source_id=source_id, layout=f"ONS boundary GeoJSON with {code} and {name}"
    )
    check_row_count(gdf, minimum=1, what="features", file=path, source_id=source_id)
    check_codes(gdf, code, kind=kind, file=path, source_id=source_id)
    if gdf.crs is None:
        raise DataError(
            source_id=source_id, file=path, problem="no coordinate reference system", fix="use the ONS GeoJSON (CRS84)"
        )
    invalid = ~gdf.geometry.is_valid
    if invalid.any():
        gdf = gdf.assign(geometry=gdf.geometry.make_valid())
    return gdf.to_crs(WGS84)


def read_codepoint(ctx: BuildContext) -> pd.DataFrame:
    source_id = "os-codepoint-open"
    data_path, header_path = ctx.paths(source_id)
    header = read_file(pd.read_csv, header_path, source_id=source_id, layout="Code-Point Open column headers CSV")
    names = list(header.iloc[0]) if list(header.columns)[0] == "PC" else list(header.columns)
    check_columns(
        pd.DataFrame(columns=names),
        CODEPOINT_COLUMNS,
        file=header_path,
        source_id=source_id,
        layout="Code-Point Open headers",
    )
    frame = read_file(
        pd.read_csv,
        data_path,
        source_id=source_id,
        layout="Code-Point Open CSV (no header)",
        header=None,
        names=names,
        dtype=str,
    )
    check_row_count(frame, minimum=1, what="postcodes", file=data_path, source_id=source_id)
    for column in ("Eastings", "Northings"):
        numeric = pd.to_numeric(frame[column], errors="coerce")
        if numeric.isna().any():
            raise DataError(
                source_id=source_id,
                file=data_path,
                problem=f"{int(numeric.isna().sum())} rows with non-numeric {column} (e.g. row {int(numeric.isna().idxmax()) + 1})",
                fix="download the Code-Point Open file again",
            )
        frame[column] = numeric
    frame = frame[(frame["Eastings"] > 0) & (frame["Northings"] > 0)]
    points = gpd.GeoSeries(gpd.points_from_xy(frame["Eastings"], frame["Northings"]), crs=BNG).to_crs(WGS84)
    out = pd.DataFrame(
        {
            "postcode": frame["Postcode"].str.strip(),
            "postcode_key": frame["Postcode"].str.replace(" ", "", regex=False).str.upper(),
            "easting": frame["Eastings"],
            "northing": frame["Northings"],
            "lon": points.x.round(6).to_numpy(),
            "lat": points.y.round(6).to_numpy(),
            "lad_code": frame["Admin_district_code"],
            "ward_code": frame["Admin_ward_code"],
        }
    )
    log.info("code-point: %d postcodes", len(out))
    return out.reset_index(drop=True)


def build_lsoa_ward_weights(
    *,
    lsoas: gpd.GeoDataFrame,
    wards: gpd.GeoDataFrame,
    postcodes: pd.DataFrame,
    vintage: str,
    min_share: float,
) -> pd.DataFrame:
    """lsoa_code, lsoa_vintage, ward_code, weight, postcodes, method for every LSOA.

    ``lsoas`` (lsoa_code, geometry) and ``wards`` (ward_code, geometry) in any CRS; postcodes
    with easting/northing (BNG) and ward_code. A postcode's ward is its own ward code when that
    is one of ``wards``, else the ward polygon it falls in. Pieces below ``min_share`` of an
    LSOA's postcodes are treated as generalisation noise of the clipped boundaries and dropped.
    """
    lsoa_bng = lsoas[["lsoa_code", "geometry"]].to_crs(BNG)
    ward_bng = wards[["ward_code", "geometry"]].to_crs(BNG)
    pts = gpd.GeoDataFrame(
        postcodes[["postcode", "ward_code"]].rename(columns={"ward_code": "pc_ward"}),
        geometry=gpd.points_from_xy(postcodes["easting"], postcodes["northing"]),
        crs=BNG,
    )
    in_lsoa = gpd.sjoin(pts, lsoa_bng, predicate="within", how="inner").drop(columns="index_right")
    known = set(ward_bng["ward_code"])
    by_polygon = gpd.sjoin(in_lsoa, ward_bng, predicate="within", how="left").drop(columns="index_right")
    by_polygon = by_polygon[~by_polygon.index.duplicated()]
    ward = by_polygon["pc_ward"].where(by_polygon["pc_ward"].isin(known), by_polygon["ward_code"])
    counted = pd.DataFrame({"lsoa_code": by_polygon["lsoa_code"], "ward_code": ward}).dropna()
    counts = counted.groupby(["lsoa_code", "ward_code"]).size().rename("postcodes").reset_index()
    counts["share"] = counts["postcodes"] / counts.groupby("lsoa_code")["postcodes"].transform("sum")
    kept = counts[counts["share"] >= min_share].copy()
    kept["weight"] = kept["postcodes"] / kept.groupby("lsoa_code")["postcodes"].transform("sum")
    n_wards = kept.groupby("lsoa_code")["ward_code"].transform("size")
    kept["method"] = n_wards.map(lambda n: "whole" if n == 1 else "postcode-share")

    # LSOAs with no postcode at all: the ward holding most of their area.
    missing = lsoa_bng[~lsoa_bng["lsoa_code"].isin(kept["lsoa_code"])]
    fallback = []
    for _, row in missing.iterrows():
        overlaps = ward_bng.geometry.intersection(row.geometry).area
        fallback.append(
            {
                "lsoa_code": row["lsoa_code"],
                "ward_code": ward_bng["ward_code"].iloc[int(overlaps.argmax())],
                "postcodes": 0,
                "weight": 1.0,
                "method": "largest-area",
            }
        )
    out = pd.concat(
        [kept[["lsoa_code", "ward_code", "postcodes", "weight", "method"]], pd.DataFrame(fallback)], ignore_index=True
    )
    out["lsoa_vintage"] = vintage
    out["postcodes"] = out["postcodes"].astype(int)
    return (
        out[["lsoa_code", "lsoa_vintage", "ward_code", "weight", "postcodes", "method"]]
        .sort_values(["lsoa_code", "ward_code"])
        .reset_index(drop=True)
    )


def web_geometry(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Simplify for the web: in metres, topology kept, then rounded to about 1 m in WGS84."""
    simplified = gdf.to_crs(BNG).simplify(SIMPLIFY_TOLERANCE_M, preserve_topology=True).to_crs(WGS84)
    return gdf.set_geometry(shapely.set_precision(simplified.values, COORD_GRID_DEG)).set_crs(
        WGS84, allow_override=True
    )


def _read_lookup(ctx: BuildContext, source_id: str, columns: list[str], layout: str) -> pd.DataFrame:
    path = ctx.path(source_id)
    frame = read_file(pd.read_csv, path, source_id=source_id, layout=layout, dtype=str, encoding="utf-8-sig")
    return check_columns(frame, columns, file=path, source_id=source_id, layout=layout)


LSOA_CHANGE_COLUMNS = ["LSOA11CD", "LSOA21CD", "CHGIND_derived", "share_of_lsoa11_area", "share_of_lsoa21_area"]


def read_lsoa_change(ctx: BuildContext, *, lsoa11_codes: set[str], lsoa21_codes: set[str]) -> pd.DataFrame:
    """How the place's 2011 LSOAs became its 2021 LSOAs (U unchanged, S split, M merged ...).

    Every 2011 and every 2021 LSOA of the place must appear, so IoD2019 (2011) and IoD2025 (2021)
    values are related through this table, never by matching codes.
    """
    source_id = "lsoa11-lsoa21-overlap"
    path = ctx.path(source_id)
    layout = "LSOA11CD, LSOA21CD, CHGIND_derived, share_of_lsoa11_area, share_of_lsoa21_area"
    frame = read_file(
        pd.read_csv,
        path,
        source_id=source_id,
        layout=layout,
        dtype={"LSOA11CD": str, "LSOA21CD": str, "CHGIND_derived": str},
    )
    for column in LSOA_CHANGE_COLUMNS[3:]:  # the official exact-fit lookup has no area shares
        if column not in frame.columns:
            frame[column] = float("nan")
    check_columns(frame, LSOA_CHANGE_COLUMNS, file=path, source_id=source_id, layout=layout)
    check_codes(frame, "LSOA11CD", kind="lsoa", file=path, source_id=source_id, allowed=lsoa11_codes)
    check_codes(frame, "LSOA21CD", kind="lsoa", file=path, source_id=source_id, allowed=lsoa21_codes)
    missing = sorted((lsoa11_codes - set(frame["LSOA11CD"])) | (lsoa21_codes - set(frame["LSOA21CD"])))
    if missing:
        raise DataError(
            source_id=source_id,
            file=path,
            problem=f"LSOAs of the place not in the lookup: {missing[:5]}",
            fix="fetch the lookup again",
        )
    return frame.rename(
        columns={
            "LSOA11CD": "lsoa11_code",
            "LSOA21CD": "lsoa21_code",
            "CHGIND_derived": "change",
            "share_of_lsoa11_area": "share_of_lsoa11",
            "share_of_lsoa21_area": "share_of_lsoa21",
        }
    )[["lsoa11_code", "lsoa21_code", "change", "share_of_lsoa11", "share_of_lsoa21"]].reset_index(drop=True)


def build_geography(ctx: BuildContext) -> Parts:
    place = ctx.place
    wards_raw = read_boundaries(ctx, "ons-wards-2025", code="WD25CD", name="WD25NM", kind="ward")
    wards_raw = (
        wards_raw[wards_raw.get("LAD25CD", place.lad_code) == place.lad_code] if "LAD25CD" in wards_raw else wards_raw
    )
    if wards_raw.empty:
        raise DataError(
            source_id="ons-wards-2025",
            file=ctx.path("ons-wards-2025"),
            problem=f"no ward has LAD25CD = {place.lad_code}",
            fix="check lad_code in pipelines/place.toml and that the ward file is the place's extract",
        )
    wards = wards_raw.rename(columns={"WD25CD": "ward_code", "WD25NM": "ward_name"})[
        ["ward_code", "ward_name", "geometry"]
    ]
    county_wards = read_boundaries(ctx, "ons-wards-2025-county", code="WD25CD", name="WD25NM", kind="ward")
    check_columns(
        county_wards,
        ["LAD25CD", "LAD25NM"],
        file=ctx.path("ons-wards-2025-county"),
        source_id="ons-wards-2025-county",
        layout="ONS ward GeoJSON",
    )

    lsoa21 = read_boundaries(ctx, "ons-lsoa-2021", code="LSOA21CD", name="LSOA21NM", kind="lsoa").rename(
        columns={"LSOA21CD": "lsoa_code", "LSOA21NM": "lsoa_name"}
    )
    lsoa11 = read_boundaries(ctx, "ons-lsoa-2011", code="LSOA11CD", name="LSOA11NM", kind="lsoa").rename(
        columns={"LSOA11CD": "lsoa_code", "LSOA11NM": "lsoa_name"}
    )
    if ctx.held("ons-msoa-2021"):
        msoa21 = read_boundaries(ctx, "ons-msoa-2021", code="MSOA21CD", name="MSOA21NM", kind="msoa").rename(
            columns={"MSOA21CD": "msoa_code", "MSOA21NM": "msoa_name"}
        )
    else:
        msoa21 = msoas_from_lsoas(ctx, lsoa21)

    # The place's LSOAs must be exactly the LSOAs of the OA lookup and the official best-fit lookup.
    oa_lsoa = (
        read_oa_lsoa(ctx, lsoa21) if ctx.held("ons-oa21-lsoa21") else pd.DataFrame(columns=["oa_code", "lsoa_code"])
    )
    bestfit = read_bestfit(ctx, wards, lsoa21) if ctx.held("ons-lsoa21-ward24") else None
    lsoa11_ward19 = _read_lookup(
        ctx, "ons-lsoa11-ward19", ["LSOA11CD", "WD19CD", "LAD19CD"], "ONS LSOA11 to WD19 lookup"
    )
    lsoa11_ward19 = lsoa11_ward19[lsoa11_ward19["LAD19CD"] == place.lad_code]
    missing11 = sorted(set(lsoa11["lsoa_code"]) - set(lsoa11_ward19["LSOA11CD"]))
    if missing11:
        raise DataError(
            source_id="ons-lsoa11-ward19",
            file=ctx.path("ons-lsoa11-ward19"),
            problem=f"{len(missing11)} of the place's 2011 LSOAs are not in the lookup, e.g. {missing11[:3]}",
            fix="use the LSOA (2011) to Ward (2019) lookup for England and Wales",
        )
    hierarchy = _read_lookup(
        ctx,
        "ons-ward19-hierarchy",
        ["WD19CD", "LAD19CD", "LAD19NM", "CTY19CD", "CTY19NM", "RGN19CD", "RGN19NM", "CTRY19CD"],
        "ONS ward to LAD to county to region to country lookup",
    )
    msoa_ward = _read_lookup(ctx, "ons-msoa11-ward19", ["MSOA11CD", "LAD19CD"], "ONS MSOA11 to ward lookup")
    if not (msoa_ward["LAD19CD"] == place.lad_code).any():
        raise DataError(
            source_id="ons-msoa11-ward19",
            file=ctx.path("ons-msoa11-ward19"),
            problem=f"no MSOA of {place.lad_code}",
            fix="use the MSOA (2011) to ward to LAD (December 2019) lookup for England and Wales",
        )
    lsoa_change = read_lsoa_change(ctx, lsoa11_codes=set(lsoa11["lsoa_code"]), lsoa21_codes=set(lsoa21["lsoa_code"]))

    place_rows = hierarchy[hierarchy["LAD19CD"] == place.lad_code]
    if place_rows.empty:
        raise DataError(
            source_id="ons-ward19-hierarchy",
            file=ctx.path("ons-ward19-hierarchy"),
            problem=f"no row for {place.lad_code}",
            fix="check lad_code in pipelines/place.toml",
        )
    first = place_rows.iloc[0]
    ctx.county_code = first["CTY19CD"] if isinstance(first["CTY19CD"], str) and first["CTY19CD"] else ""
    ctx.county_name = first["CTY19NM"] if ctx.county_code else ""
    ctx.region_code, ctx.region_name = first["RGN19CD"], first["RGN19NM"]

    other_lads = _other_lads(hierarchy, place.lad_code)
    ctx.english_lads = pd.concat(
        [
            other_lads[["area_code", "area_name"]],
            pd.DataFrame([{"area_code": place.lad_code, "area_name": place.name}]),
        ],
        ignore_index=True,
    ).rename(columns={"area_code": "lad_code", "area_name": "lad_name"})
    postcodes = read_codepoint(ctx)
    weights = pd.concat(
        [
            build_lsoa_ward_weights(
                lsoas=lsoa21, wards=wards, postcodes=postcodes, vintage="2021", min_share=place.min_split_share
            ),
            build_lsoa_ward_weights(
                lsoas=lsoa11, wards=wards, postcodes=postcodes, vintage="2011", min_share=place.min_split_share
            ),
        ],
        ignore_index=True,
    )
    majority = main_wards(weights[weights["lsoa_vintage"] == "2021"])
    disagree = majority.merge(bestfit, left_on="lsoa_code", right_on="lsoa21_code") if bestfit is not None else []
    disagree = disagree[disagree["ward_code"] != disagree["ward24_code"]] if len(disagree) else []
    if len(disagree):
        log.warning(
            "%d LSOAs whose main ward by postcodes differs from the ONS best fit: %s",
            len(disagree),
            list(disagree["lsoa_code"]),
        )

    # LSOA -> MSOA by name ("Hyndburn 006J" is in MSOA "Hyndburn 006").
    msoa_by_name = dict(zip(msoa21["msoa_name"], msoa21["msoa_code"], strict=True))
    lsoa21["msoa_code"] = lsoa21["lsoa_name"].str[:-1].map(msoa_by_name)

    place_geom = wards.to_crs(BNG).union_all()
    ctx.place_geometry_27700 = place_geom
    ctx.wards = pd.DataFrame(wards[["ward_code", "ward_name"]]).sort_values("ward_code").reset_index(drop=True)
    ctx.lsoa21 = (
        pd.DataFrame(lsoa21[["lsoa_code", "lsoa_name", "msoa_code"]]).sort_values("lsoa_code").reset_index(drop=True)
    )
    ctx.lsoa11 = pd.DataFrame(lsoa11[["lsoa_code", "lsoa_name"]]).sort_values("lsoa_code").reset_index(drop=True)
    ctx.oa_lsoa = oa_lsoa[["oa_code", "lsoa_code"]].reset_index(drop=True)
    ctx.lsoa_ward_weights = weights
    ctx.postcodes = postcodes

    main_ward = {
        vintage: dict(main_wards(w).itertuples(index=False, name=None))
        for vintage, w in weights.groupby("lsoa_vintage")
    }
    areas = pd.concat(
        [
            pd.DataFrame(
                {
                    "area_code": ctx.wards["ward_code"],
                    "area_name": ctx.wards["ward_name"],
                    "area_type": "ward",
                    "parent_code": place.lad_code,
                    "boundary_vintage": "2025",
                }
            ),
            pd.DataFrame(
                {
                    "area_code": ctx.lsoa21["lsoa_code"],
                    "area_name": ctx.lsoa21["lsoa_name"],
                    "area_type": "lsoa",
                    "parent_code": ctx.lsoa21["lsoa_code"].map(main_ward["2021"]),
                    "boundary_vintage": "2021",
                }
            ),
            pd.DataFrame(
                {
                    "area_code": ctx.lsoa11["lsoa_code"],
                    "area_name": ctx.lsoa11["lsoa_name"],
                    "area_type": "lsoa",
                    "parent_code": ctx.lsoa11["lsoa_code"].map(main_ward["2011"]),
                    "boundary_vintage": "2011",
                }
            ),
            pd.DataFrame(
                {
                    "area_code": msoa21["msoa_code"],
                    "area_name": msoa21["msoa_name"],
                    "area_type": "msoa",
                    "parent_code": place.lad_code,
                    "boundary_vintage": "2021",
                }
            ),
            pd.DataFrame(
                [
                    {
                        "area_code": place.lad_code,
                        "area_name": place.name,
                        "area_type": "lad",
                        "parent_code": ctx.county_code or ctx.region_code,
                        "boundary_vintage": "2025",
                    }
                ]
            ),
            other_lads,
            pd.DataFrame(
                [
                    {
                        "area_code": ctx.region_code,
                        "area_name": ctx.region_name,
                        "area_type": "region",
                        "parent_code": ctx.england_code,
                        "boundary_vintage": "2019",
                    }
                ]
            ),
            pd.DataFrame(
                [
                    {
                        "area_code": ctx.england_code,
                        "area_name": "England",
                        "area_type": "england",
                        "parent_code": None,
                        "boundary_vintage": "2019",
                    }
                ]
            ),
        ]
        + (
            [
                pd.DataFrame(
                    [
                        {
                            "area_code": ctx.county_code,
                            "area_name": ctx.county_name,
                            "area_type": "county",
                            "parent_code": ctx.region_code,
                            "boundary_vintage": "2019",
                        }
                    ]
                )
            ]
            if ctx.county_code
            else []
        ),
        ignore_index=True,
    )[AREA_COLUMNS]

    outline = gpd.GeoDataFrame(
        {"area_code": [place.lad_code], "area_name": [place.name]}, geometry=[place_geom], crs=BNG
    ).to_crs(WGS84)
    near = county_wards.to_crs(BNG)
    near = near[(near["LAD25CD"] != place.lad_code) & near.intersects(place_geom.buffer(3000))]
    neighbours = gpd.GeoDataFrame(
        {
            "area_code": near["WD25CD"],
            "area_name": near["WD25NM"],
            "lad_code": near["LAD25CD"],
            "lad_name": near["LAD25NM"],
        },
        geometry=near.geometry,
        crs=BNG,
    ).to_crs(WGS84)
    ward_web = web_geometry(wards.rename(columns={"ward_code": "area_code", "ward_name": "area_name"}))
    tables = {
        "boundaries_ward": ward_web,
        "boundaries_lsoa_2021": web_geometry(
            lsoa21.rename(columns={"lsoa_code": "area_code", "lsoa_name": "area_name"})[
                ["area_code", "area_name", "msoa_code", "geometry"]
            ]
        ),
        "boundaries_lsoa_2011": web_geometry(
            lsoa11.rename(columns={"lsoa_code": "area_code", "lsoa_name": "area_name"})[
                ["area_code", "area_name", "geometry"]
            ]
        ),
        "boundaries_msoa_2021": web_geometry(
            msoa21.rename(columns={"msoa_code": "area_code", "msoa_name": "area_name"})[
                ["area_code", "area_name", "geometry"]
            ]
        ),
        "boundaries_lad": web_geometry(outline),
        "boundaries_neighbour_wards": web_geometry(neighbours),
        "lsoa_ward_weights": weights,
        "lsoa_2011_2021": lsoa_change,
    }
    log.info(
        "geography: %d wards, %d LSOA21, %d LSOA11, %d OAs, %d split LSOAs",
        len(ctx.wards),
        len(ctx.lsoa21),
        len(ctx.lsoa11),
        len(ctx.oa_lsoa),
        int((weights["method"] == "postcode-share").sum() / 2),
    )
    return Parts(areas=areas, tables=tables)


def read_oa_lsoa(ctx: BuildContext, lsoa21: pd.DataFrame) -> pd.DataFrame:
    """oa_code, lsoa_code from the place's OA -> LSOA lookup; every LSOA must be one of the place's."""
    oa_lsoa = _read_lookup(
        ctx, "ons-oa21-lsoa21", ["OA", "geography_code"], "OA21 to LSOA21 lookup (OA, geography_code)"
    )
    oa_lsoa = oa_lsoa.rename(columns={"OA": "oa_code", "geography_code": "lsoa_code"})
    check_codes(oa_lsoa, "oa_code", kind="oa", file=ctx.path("ons-oa21-lsoa21"), source_id="ons-oa21-lsoa21")
    check_codes(
        oa_lsoa,
        "lsoa_code",
        kind="lsoa",
        file=ctx.path("ons-oa21-lsoa21"),
        source_id="ons-oa21-lsoa21",
        allowed=lsoa21["lsoa_code"],
    )
    return oa_lsoa


def read_bestfit(ctx: BuildContext, wards: pd.DataFrame, lsoa21: pd.DataFrame) -> pd.DataFrame:
    """The official LSOA 2021 -> ward 2024 best fit for the place (a cross-check of the postcode weights)."""
    place = ctx.place
    bestfit = _read_lookup(
        ctx,
        "ons-lsoa21-ward24",
        ["lsoa21_code", "ward24_code", "ltla24_code"],
        "LSOA21 to ward 2024 best-fit lookup (geographr columns)",
    )
    bestfit = bestfit[bestfit["ltla24_code"] == place.lad_code]
    check_codes(
        bestfit,
        "ward24_code",
        kind="ward",
        file=ctx.path("ons-lsoa21-ward24"),
        source_id="ons-lsoa21-ward24",
        allowed=wards["ward_code"],
    )
    check_codes(
        bestfit,
        "lsoa21_code",
        kind="lsoa",
        file=ctx.path("ons-lsoa21-ward24"),
        source_id="ons-lsoa21-ward24",
        allowed=lsoa21["lsoa_code"],
    )

    return bestfit


MSOA_NAMES_SOURCE = "census2021-england-lsoa"  # its MSOA TS039 file lists every MSOA 2021 name and code


def msoas_from_lsoas(ctx: BuildContext, lsoa21: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """MSOA 2021 boundaries joined from the place's LSOA 2021 boundaries (names "Burnley 001A" -> "Burnley 001")."""
    path = ctx.path(MSOA_NAMES_SOURCE, 3)
    names = _read_lookup_path(path, MSOA_NAMES_SOURCE, ["msoa21nm", "msoa21cd"], "MSOA TS039 CSV (msoa21nm, msoa21cd)")
    msoas = dissolve_msoas(
        lsoa21, dict(zip(names["msoa21nm"], names["msoa21cd"], strict=True)), source_id=MSOA_NAMES_SOURCE
    )
    log.info("geography: %d MSOAs joined from LSOA boundaries (MSOA boundaries not held)", len(msoas))
    return gpd.GeoDataFrame(msoas, geometry="geometry", crs=lsoa21.crs)


def _read_lookup_path(path, source_id: str, columns: list[str], layout: str) -> pd.DataFrame:
    frame = read_file(
        pd.read_csv, path, source_id=source_id, layout=layout, dtype=str, encoding="utf-8-sig", usecols=columns
    )
    return check_columns(frame, columns, file=path, source_id=source_id, layout=layout)


def _other_lads(hierarchy: pd.DataFrame, lad_code: str) -> pd.DataFrame:
    """Every English local authority district (2019 codes), for district-level comparisons."""
    lads = hierarchy[(hierarchy["CTRY19CD"] == "E92000001") & (hierarchy["LAD19CD"] != lad_code)]
    lads = lads.drop_duplicates("LAD19CD")
    parent = lads["CTY19CD"].where(lads["CTY19CD"].fillna("").str.len() > 0, lads["RGN19CD"])
    return pd.DataFrame(
        {
            "area_code": lads["LAD19CD"],
            "area_name": lads["LAD19NM"],
            "area_type": "lad",
            "parent_code": parent,
            "boundary_vintage": "2019",
        }
    )


build = build_geography
