"""Partner sites (GP practices, pharmacies from NHS ODS) and the postcode lookup for them.

Sites come from the NHS ODS files (no header, 27 columns) and are placed by postcode on OS
Code-Point Open (read by the geography step): coordinates are the postcode unit's centroid,
not the building. A site is kept when its postcode lies inside the place or within
``place.neighbour_buffer_m`` of its boundary (so practices just over the border that serve
its residents are shown); ``in_place`` says which. A site's ward is its postcode's ward when
that is one of the place's wards, else none.
"""

from __future__ import annotations

import logging
import re

import pandas as pd
import shapely

from pipelines.context import BuildContext, Geography
from pipelines.errors import DataError
from pipelines.tidy import PARTNER_SITE_COLUMNS, Parts
from pipelines.validate import check_row_count, check_unique, raise_if_problems, read_file

log = logging.getLogger(__name__)

# The ODS 27-column layout (epraccur, edispensary): 1-based positions.
ODS_COLUMNS = 27
ODS_CODE, ODS_NAME, ODS_POSTCODE, ODS_STATUS, ODS_SETTING = 1, 2, 10, 13, 26
ODS_LAYOUT = "the ODS 27-column CSV without a header (1 code, 2 name, 10 postcode, 13 status, 26 prescribing setting)"
POSTCODE_KEY_PATTERN = r"^[A-Z]{1,2}\d[A-Z\d]?\d[A-Z]{2}$"  # spaces removed
# A few malformed postcodes are normal in ODS files (those sites are dropped and logged); more
# than this share means the layout is not what this module expects.
MAX_BAD_POSTCODE_SHARE = 0.01
# Boundaries are generalised and postcode points are to the metre: a site exactly at the buffer
# distance is kept.
DISTANCE_TOLERANCE_M = 1.0

# kind, source id, organisation code pattern, site_id prefix
SITE_KINDS = (
    ("gp_practice", "ods-epraccur", r"^[A-Z][A-Z0-9]{5}$", "gp"),
    ("pharmacy", "ods-edispensary", r"^F[A-Z0-9]{4}$", "pharmacy"),
)

UPPER_WORDS = {
    "NHS",
    "GP",
    "GPS",
    "ARG",
    "PCN",
    "UK",
    "LLP",
    "CIC",
    "PHC",
    "HC",
    "MC",
    "II",
    "III",
    "IV",
    "BB",
    "BMI",
    "HCRG",
}
SMALL_WORDS = {"and", "of", "the", "at", "on", "in", "for", "upon", "le", "with"}


def tidy_name(name: str) -> str:
    """ODS upper-case names in title case.

    'DR BELLO'S SURGERY' -> "Dr Bello's Surgery", 'ARG HEALTHCARE' -> 'ARG Healthcare'.
    """
    words = str(name).strip().split()
    out = []
    for i, word in enumerate(words):
        core = re.sub(r"[^A-Za-z]", "", word).upper()
        if core in UPPER_WORDS:
            out.append(word.upper())
        elif i > 0 and word.lower() in SMALL_WORDS:
            out.append(word.lower())
        else:
            # Capitalise each part after a hyphen, slash, bracket or '&'; keep "'S" lower-case.
            out.append(
                re.sub(r"[A-Za-z]+('[A-Za-z]+)?", lambda m: m.group(0)[0].upper() + m.group(0)[1:].lower(), word)
            )
    return " ".join(out)


def read_ods(ctx: BuildContext, *, source_id: str, code_pattern: str) -> pd.DataFrame:
    """The ODS file as a frame with columns 1..27 (strings), checked."""
    path = ctx.path(source_id)
    frame = read_file(
        pd.read_csv, path, source_id=source_id, layout=ODS_LAYOUT, header=None, dtype=str, keep_default_na=False
    )
    check_row_count(frame, minimum=1, what="organisations", file=path, source_id=source_id)
    if frame.shape[1] != ODS_COLUMNS:
        raise DataError(
            source_id=source_id,
            file=path,
            problem=f"{frame.shape[1]} columns where the ODS layout has {ODS_COLUMNS} (or the file has a header line)",
            fix=f"expected {ODS_LAYOUT}; download the file again from the ODS CSV downloads",
        )
    frame.columns = range(1, ODS_COLUMNS + 1)
    problems = []
    code = frame[ODS_CODE].str.strip()
    bad_code = ~code.str.match(code_pattern)
    if bad_code.any():
        problems.append(
            f"{int(bad_code.sum())} organisation codes do not look like ODS codes (e.g. {list(code[bad_code][:3])})"
        )
    postcode = frame[ODS_POSTCODE].str.strip().str.upper()
    bad_postcode = ~postcode.str.replace(" ", "", regex=False).str.match(POSTCODE_KEY_PATTERN) & postcode.ne("")
    if bad_postcode.mean() > MAX_BAD_POSTCODE_SHARE:
        problems.append(
            f"{int(bad_postcode.sum())} of {len(frame)} postcodes (column 10) are not UK postcodes "
            f"(e.g. {list(postcode[bad_postcode][:3])})"
        )
    elif bad_postcode.any():
        log.warning(
            "%s: %d malformed postcodes (sites dropped): %s",
            source_id,
            int(bad_postcode.sum()),
            list(postcode[bad_postcode][:5]),
        )
    status = frame[ODS_STATUS].str.strip()
    bad_status = ~status.isin(["A", "C", "D", "P"])
    if bad_status.any():
        problems.append(f"{int(bad_status.sum())} status codes are not A/C/D/P (e.g. {list(status[bad_status][:3])})")
    raise_if_problems(problems, source_id=source_id, file=path, fix=f"expected {ODS_LAYOUT}; download the file again")
    check_unique(frame.assign(code=code), ["code"], file=path, source_id=source_id)
    out = frame.copy()
    out[ODS_CODE], out[ODS_POSTCODE], out[ODS_STATUS] = code, postcode, status
    return out


def nearby_postcodes(ctx: BuildContext, geo: Geography) -> pd.DataFrame:
    """The postcodes inside the place or within its neighbour buffer, with in_place and distance_m."""
    pcs = geo.postcodes
    points = shapely.points(pcs["easting"].to_numpy(dtype=float), pcs["northing"].to_numpy(dtype=float))
    distance = shapely.distance(geo.place_geometry_27700, points)
    # In the place = the postcode's own district code (Code-Point), not the generalised boundary.
    in_place = (pcs["lad_code"] == ctx.place.lad_code).to_numpy()
    keep = in_place | (distance <= ctx.place.neighbour_buffer_m + DISTANCE_TOLERANCE_M)
    out = pcs[keep].copy()
    out["in_place"] = in_place[keep]
    out["distance_m"] = distance[keep]
    return out.reset_index(drop=True)


def stage_partner_sites(ctx: BuildContext, geo: Geography) -> tuple[pd.DataFrame, pd.DataFrame]:
    near = nearby_postcodes(ctx, geo)
    by_key = near.set_index("postcode_key")
    all_keys = set(geo.postcodes["postcode_key"])
    wards = set(geo.ward_codes)
    frames = []
    for kind, source_id, code_pattern, prefix in SITE_KINDS:
        ods = read_ods(ctx, source_id=source_id, code_pattern=code_pattern)
        active = ods[ODS_STATUS] == "A"
        if kind == "gp_practice":
            active &= ods[ODS_SETTING].str.strip() == "4"
        sites = ods[active]
        key = sites[ODS_POSTCODE].str.replace(" ", "", regex=False)
        unknown = ~key.isin(all_keys)
        # Code-Point holds only the postcode area(s) of the mirror; sites elsewhere are simply far away.
        area_prefix = tuple(sorted({re.match(r"^[A-Z]+", k).group(0) for k in all_keys if re.match(r"^[A-Z]+", k)}))
        unknown_here = unknown & key.str.match(r"^(" + "|".join(area_prefix) + r")\d") if area_prefix else unknown
        if unknown_here.any():
            log.warning(
                "%s: %d active sites in the Code-Point postcode area(s) %s have a postcode not in Code-Point "
                "(dropped), e.g. %s",
                source_id,
                int(unknown_here.sum()),
                list(area_prefix),
                list(sites.loc[unknown_here, ODS_POSTCODE][:5]),
            )
        placed = sites[key.isin(by_key.index)]
        pc = by_key.loc[placed[ODS_POSTCODE].str.replace(" ", "", regex=False)]
        frame = pd.DataFrame(
            {
                "site_id": prefix + ":" + placed[ODS_CODE].to_numpy(),
                "name": placed[ODS_NAME].map(tidy_name).to_numpy(),
                "kind": kind,
                "org_code": placed[ODS_CODE].to_numpy(),
                "postcode": pc["postcode"].to_numpy(),
                "lon": pc["lon"].to_numpy(),
                "lat": pc["lat"].to_numpy(),
                "ward_code": [w if w in wards else None for w in pc["ward_code"]],
                "in_place": pc["in_place"].to_numpy().astype(bool),
                "source_id": source_id,
            }
        )
        log.info(
            "%s: %d active %s sites, %d in the place, %d more within %g m outside",
            source_id,
            len(sites),
            kind,
            int(frame["in_place"].sum()),
            int((~frame["in_place"]).sum()),
            ctx.place.neighbour_buffer_m,
        )
        frames.append(frame)
    sites = (
        pd.concat(frames, ignore_index=True)[PARTNER_SITE_COLUMNS]
        .sort_values(["kind", "site_id"])
        .reset_index(drop=True)
    )
    postcodes = (
        near[["postcode", "postcode_key", "lon", "lat", "lad_code", "ward_code"]]
        .sort_values("postcode_key")
        .reset_index(drop=True)
    )
    return sites, postcodes


def build(ctx: BuildContext, geo: Geography) -> Parts:
    sites, postcodes = stage_partner_sites(ctx, geo)
    return Parts(tables={"partner_sites": sites, "postcodes": postcodes})
