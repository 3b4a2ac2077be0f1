"""Geography: boundaries, lookups, postcodes, and the LSOA -> ward weights every other source uses.

``build_geography(ctx)`` returns ``(Geography, Parts)``: the place's ``Geography``
(``pipelines.context``) for the later sources, and the areas, boundary layers and weights tables.
"""

from __future__ import annotations

import logging

import geopandas as gpd
import pandas as pd
import shapely

from pipelines.context import BuildContext, Geography, main_wards
from pipelines.errors import DataError
from pipelines.estimates import BNG, build_lsoa_ward_weights
from pipelines.settings import ENGLAND_CODE, ENGLAND_NAME, Place
from pipelines.tidy import AREA_COLUMNS, Parts
from pipelines.validate import check_codes, check_columns, check_row_count, read_file

log = logging.getLogger(__name__)

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
                problem=f"{int(numeric.isna().sum())} rows with non-numeric {column} "
                f"(e.g. row {int(numeric.isna().idxmax()) + 1})",
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


def build_geography(ctx: BuildContext) -> tuple[Geography, Parts]:
    """Read every geography file of the place: its ``Geography`` for the later sources, and the
    areas, boundaries and weights tables it contributes itself."""
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
    msoa21 = read_boundaries(ctx, "ons-msoa-2021", code="MSOA21CD", name="MSOA21NM", kind="msoa").rename(
        columns={"MSOA21CD": "msoa_code", "MSOA21NM": "msoa_name"}
    )
    oa_lsoa, bestfit = read_lsoa_lookups(ctx, lsoa21=lsoa21, lsoa11=lsoa11, wards=wards)
    hierarchy = read_hierarchy(ctx)
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
    county_code = first["CTY19CD"] if isinstance(first["CTY19CD"], str) and first["CTY19CD"] else ""
    other_lads = _other_lads(hierarchy, place.lad_code)
    english_lads = pd.concat(
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
                lsoas=lsoas, wards=wards, postcodes=postcodes, vintage=vintage, min_share=place.min_split_share
            )
            for lsoas, vintage in ((lsoa21, "2021"), (lsoa11, "2011"))
        ],
        ignore_index=True,
    )
    _log_bestfit_disagreement(weights, bestfit)

    # LSOA -> MSOA by name ("<district> 006J" is in MSOA "<district> 006").
    msoa_by_name = dict(zip(msoa21["msoa_name"], msoa21["msoa_code"], strict=True))
    lsoa21["msoa_code"] = lsoa21["lsoa_name"].str[:-1].map(msoa_by_name)

    place_geom = wards.to_crs(BNG).union_all()
    geo = Geography(
        wards=pd.DataFrame(wards[["ward_code", "ward_name"]]).sort_values("ward_code").reset_index(drop=True),
        lsoa21=pd.DataFrame(lsoa21[["lsoa_code", "lsoa_name", "msoa_code"]])
        .sort_values("lsoa_code")
        .reset_index(drop=True),
        lsoa11=pd.DataFrame(lsoa11[["lsoa_code", "lsoa_name"]]).sort_values("lsoa_code").reset_index(drop=True),
        oa_lsoa=oa_lsoa[["oa_code", "lsoa_code"]].reset_index(drop=True),
        lsoa_ward_weights=weights,
        postcodes=postcodes,
        english_lads=english_lads,
        place_geometry_27700=place_geom,
        england_code=ENGLAND_CODE,
        region_code=first["RGN19CD"],
        region_name=first["RGN19NM"],
        county_code=county_code,
        county_name=first["CTY19NM"] if county_code else "",
    )
    areas = stage_areas(geo, place=place, msoa21=msoa21, other_lads=other_lads)
    tables = {
        **stage_boundaries(
            place=place,
            wards=wards,
            lsoa21=lsoa21,
            lsoa11=lsoa11,
            msoa21=msoa21,
            county_wards=county_wards,
            place_geom=place_geom,
        ),
        "lsoa_ward_weights": weights,
        "lsoa_2011_2021": lsoa_change,
    }
    log.info(
        "geography: %d wards, %d LSOA21, %d LSOA11, %d OAs, %d split LSOAs",
        len(geo.wards),
        len(geo.lsoa21),
        len(geo.lsoa11),
        len(geo.oa_lsoa),
        int((weights["method"] == "postcode-share").sum() / 2),
    )
    return geo, Parts(areas=areas, tables=tables)


def read_lsoa_lookups(
    ctx: BuildContext, *, lsoa21: pd.DataFrame, lsoa11: pd.DataFrame, wards: pd.DataFrame
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The OA -> LSOA lookup and the official LSOA -> ward best fit, checked against the boundaries.

    The place's LSOAs must be exactly the LSOAs of the OA lookup and the official best-fit lookup.
    """
    place = ctx.place
    oa_lsoa = _read_lookup(
        ctx, "ons-oa21-lsoa21", ["OA", "geography_code"], "OA21 to LSOA21 lookup (OA, geography_code)"
    )
    oa_lsoa = oa_lsoa.rename(columns={"OA": "oa_code", "geography_code": "lsoa_code"})
    oa_file = {"file": ctx.path("ons-oa21-lsoa21"), "source_id": "ons-oa21-lsoa21"}
    check_codes(oa_lsoa, "oa_code", kind="oa", **oa_file)
    check_codes(oa_lsoa, "lsoa_code", kind="lsoa", allowed=lsoa21["lsoa_code"], **oa_file)
    bestfit = _read_lookup(
        ctx,
        "ons-lsoa21-ward24",
        ["lsoa21_code", "ward24_code", "ltla24_code"],
        "LSOA21 to ward 2024 best-fit lookup (geographr columns)",
    )
    bestfit = bestfit[bestfit["ltla24_code"] == place.lad_code]
    bestfit_file = {"file": ctx.path("ons-lsoa21-ward24"), "source_id": "ons-lsoa21-ward24"}
    check_codes(bestfit, "ward24_code", kind="ward", allowed=wards["ward_code"], **bestfit_file)
    check_codes(bestfit, "lsoa21_code", kind="lsoa", allowed=lsoa21["lsoa_code"], **bestfit_file)

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
    msoa_ward = _read_lookup(ctx, "ons-msoa11-ward19", ["MSOA11CD", "LAD19CD"], "ONS MSOA11 to ward lookup")
    if not (msoa_ward["LAD19CD"] == place.lad_code).any():
        raise DataError(
            source_id="ons-msoa11-ward19",
            file=ctx.path("ons-msoa11-ward19"),
            problem=f"no MSOA of {place.lad_code}",
            fix="use the MSOA (2011) to ward to LAD (December 2019) lookup for England and Wales",
        )
    return oa_lsoa, bestfit


def read_hierarchy(ctx: BuildContext) -> pd.DataFrame:
    return _read_lookup(
        ctx,
        "ons-ward19-hierarchy",
        ["WD19CD", "LAD19CD", "LAD19NM", "CTY19CD", "CTY19NM", "RGN19CD", "RGN19NM", "CTRY19CD"],
        "ONS ward to LAD to county to region to country lookup",
    )


def _log_bestfit_disagreement(weights: pd.DataFrame, bestfit: pd.DataFrame) -> None:
    majority = main_wards(weights[weights["lsoa_vintage"] == "2021"])
    disagree = majority.merge(bestfit, left_on="lsoa_code", right_on="lsoa21_code")
    disagree = disagree[disagree["ward_code"] != disagree["ward24_code"]]
    if len(disagree):
        log.warning(
            "%d LSOAs whose main ward by postcodes differs from the ONS best fit: %s",
            len(disagree),
            list(disagree["lsoa_code"]),
        )


def _area_rows(codes, names, area_type: str, parent, vintage: str) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "area_code": codes,
            "area_name": names,
            "area_type": area_type,
            "parent_code": parent,
            "boundary_vintage": vintage,
        }
    )


def stage_areas(geo: Geography, *, place: Place, msoa21: pd.DataFrame, other_lads: pd.DataFrame) -> pd.DataFrame:
    """The areas table: wards, LSOAs of both vintages, MSOAs, the place, other districts, region, England, county."""
    main_ward = {
        vintage: dict(main_wards(w).itertuples(index=False, name=None))
        for vintage, w in geo.lsoa_ward_weights.groupby("lsoa_vintage")
    }
    lsoa21, lsoa11 = geo.lsoa21, geo.lsoa11
    frames = [
        _area_rows(geo.wards["ward_code"], geo.wards["ward_name"], "ward", place.lad_code, "2025"),
        _area_rows(
            lsoa21["lsoa_code"], lsoa21["lsoa_name"], "lsoa", lsoa21["lsoa_code"].map(main_ward["2021"]), "2021"
        ),
        _area_rows(
            lsoa11["lsoa_code"], lsoa11["lsoa_name"], "lsoa", lsoa11["lsoa_code"].map(main_ward["2011"]), "2011"
        ),
        _area_rows(msoa21["msoa_code"], msoa21["msoa_name"], "msoa", place.lad_code, "2021"),
        _area_rows([place.lad_code], [place.name], "lad", geo.county_code or geo.region_code, "2025"),
        other_lads,
        _area_rows([geo.region_code], [geo.region_name], "region", geo.england_code, "2019"),
        _area_rows([geo.england_code], [ENGLAND_NAME], "england", [None], "2019"),
    ]
    if geo.county_code:
        frames.append(_area_rows([geo.county_code], [geo.county_name], "county", geo.region_code, "2019"))
    return pd.concat(frames, ignore_index=True)[AREA_COLUMNS]


def stage_boundaries(
    *,
    place: Place,
    wards: gpd.GeoDataFrame,
    lsoa21: gpd.GeoDataFrame,
    lsoa11: gpd.GeoDataFrame,
    msoa21: gpd.GeoDataFrame,
    county_wards: gpd.GeoDataFrame,
    place_geom,
) -> dict[str, gpd.GeoDataFrame]:
    """The web boundary layers: wards, LSOAs, MSOAs, the place's outline and the neighbouring wards."""
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

    def layer(frame: gpd.GeoDataFrame, prefix: str, extra: tuple[str, ...] = ()) -> gpd.GeoDataFrame:
        renamed = frame.rename(columns={f"{prefix}_code": "area_code", f"{prefix}_name": "area_name"})
        return web_geometry(renamed[["area_code", "area_name", *extra, "geometry"]])

    return {
        "boundaries_ward": web_geometry(wards.rename(columns={"ward_code": "area_code", "ward_name": "area_name"})),
        "boundaries_lsoa_2021": layer(lsoa21, "lsoa", ("msoa_code",)),
        "boundaries_lsoa_2011": layer(lsoa11, "lsoa"),
        "boundaries_msoa_2021": layer(msoa21, "msoa"),
        "boundaries_lad": web_geometry(outline),
        "boundaries_neighbour_wards": web_geometry(neighbours),
    }


def _other_lads(hierarchy: pd.DataFrame, lad_code: str) -> pd.DataFrame:
    """Every English local authority district (2019 codes), for district-level comparisons."""
    lads = hierarchy[(hierarchy["CTRY19CD"] == ENGLAND_CODE) & (hierarchy["LAD19CD"] != lad_code)]
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
