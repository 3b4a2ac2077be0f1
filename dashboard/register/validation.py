"""Check one activity given as text (a spreadsheet row or a dict from a form) and tidy it.

``check_activity`` returns the cleaned record and every problem found, worded for the person who
typed the row. The messages are built from the templates below so tests can assert on them.
"""

from __future__ import annotations

import datetime as dt
import difflib
import math
import re
import unicodedata
from collections.abc import Iterable, Mapping
from typing import Any

from dashboard.core.spreadsheet import FORMULA_STARTS
from dashboard.register.models import (
    ACTIVITY_TYPES,
    REACH_PERIOD_ALIASES,
    REACH_PERIODS,
    REACH_UNITS,
    SECTOR_ALIASES,
    SECTORS,
    STATUS_ALIASES,
    STATUSES,
    THEME_ALIASES,
    THEMES,
    TYPE_ALIASES,
    Issue,
)
from dashboard.register.places import PostcodeLookup, WardLookup, normalise_postcode

# --- messages ----------------------------------------------------------------------------------
MSG_MISSING = "{label} is missing; every activity needs one."
MSG_TOO_LONG = "is {length} characters long; keep it to {limit}."
MSG_NOT_IN_LIST = "'{value}' is not a {label} we know. Use one of: {choices}."
MSG_DID_YOU_MEAN = " Did you mean '{suggestion}'?"
MSG_NO_THEME = "choose at least one theme from: {choices} (separate several with ';')."
MSG_BAD_DATE = "'{value}' is not a date we can read; write it as 2025-04-01 or 01/04/2025."
MSG_TWO_DIGIT_YEAR = "'{value}' has a two-digit year; write the year in full, e.g. 01/04/2025."
MSG_END_BEFORE_START = "the end date {end} is before the start date {start}."
MSG_REACH_NOT_NUMBER = "'{value}' is not a number; give the reach as a whole number such as 120."
MSG_REACH_NEGATIVE = "'{value}' is negative; the reach is a count and cannot be below zero."
MSG_REACH_NOT_WHOLE = "'{value}' is not a whole number; give a count such as 120."
MSG_REACH_NEEDS = "is needed when a reach_count is given (one of: {choices})."
MSG_REACH_IGNORED = "is ignored because reach_count is empty."
MSG_UNKNOWN_WARD = "'{value}' is not a ward of {place}."
MSG_NO_WHERE = "say where the activity happens: give at least one ward (name or code) or a postcode in {place}."
MSG_BAD_POSTCODE = "'{value}' is not shaped like a UK postcode (for example BB5 1AA)."
MSG_POSTCODE_UNKNOWN = (
    "'{value}' is not in the postcode list for {place}; check it, or leave it blank and give the ward."
)
MSG_POSTCODE_OUTSIDE = "'{value}' is outside {place}."
MSG_POSTCODE_UNPLACED = "'{value}' could not be placed on the map because no postcode list is loaded."
MSG_POINT_PAIR = "give both lon and lat, or neither."
MSG_POINT_NOT_NUMBER = "'{value}' is not a number (decimal degrees, e.g. -2.36 for lon and 53.75 for lat)."
MSG_POINT_OUT_OF_RANGE = (
    "'{value}' is not a {axis} in the UK (lon from {lon[0]} to {lon[1]}, lat from {lat[0]} to {lat[1]})."
)
MSG_POINT_OUTSIDE = "the point ({lon}, {lat}) is outside {place}."
MSG_CONTACT_EMAIL = (
    "looks like an email address. Give a role instead (e.g. 'Social prescribing lead'): "
    "the register holds no personal contact details."
)
MSG_CONTACT_PHONE = (
    "looks like a phone number. Give a role instead (e.g. 'Duty manager'): "
    "the register holds no personal contact details."
)
MSG_HTML = (
    "contains HTML or script ({found}). The register keeps plain text only: remove the tags "
    "(text such as 'ages 5 < 11' is fine)."
)
MSG_SCRIPT_LINK = "contains a script link ({found}); give a normal web address (https://...) or none."
MSG_CONTROL = (
    "contains an invisible control character (code {code} at character {position}); retype the text "
    "or paste it as plain text."
)
MSG_REACH_TOO_BIG = "'{value}' is larger than {limit:,}; check the number (is it a count of people or sessions?)."
MSG_YEAR_RANGE = "'{value}' has the year {year}; check it (dates from {low} to {high} are accepted)."
MSG_SERIAL_DATE = (
    "'{value}' looks like a spreadsheet date number, not a date. Format the column as a date "
    "(e.g. 2025-04-01) before saving."
)
MSG_MONTH_FIRST_DATE = (
    "'{value}' reads as month/day/year. The register reads day/month/year (UK); write it as year-month-day, e.g. {iso}."
)
MSG_WARD_SEPARATOR = " Separate several wards with ';' (e.g. Central; Church)."
MSG_BAD_RECORD_ID = "'{value}' is not a record id; leave it blank for a new activity."
MSG_BAD_VERSION = "'{value}' is not a version number; keep the value from the export, or leave it blank."

LIMITS = {"organisation": 200, "title": 300, "description": 4000, "contact_role": 200}
TEXT_COLUMNS = ("organisation", "title", "description", "contact_role")
MAX_REACH = 10_000_000  # far above any real reach; keeps counts inside a 32-bit database integer
YEAR_RANGE = (1900, 2100)
# An HTML tag (<b>, </p>, <script ...>, <!-- -->), not a lone '<' as in 'ages 5 < 11'.
_HTML_TAG = re.compile(
    r"<\s*/?\s*[a-zA-Z][a-zA-Z0-9-]*(\s[^<>]*)?/?\s*>|<!--|<!\[CDATA\[|<\s*(script|iframe|img|svg|style|object|embed)\b",
    re.IGNORECASE,
)
_SCRIPT_SCHEME = re.compile(r"\b(?:javascript|vbscript)\s*:|data\s*:\s*text/html", re.IGNORECASE)
POINT_MATCH_METRES = 1500.0
UK_LON = (-8.7, 1.8)
UK_LAT = (49.8, 60.9)
_RECORD_ID = re.compile(r"^[A-Za-z0-9-]{1,36}$")
_EMAIL = re.compile(r"[^\s@]+@[^\s@]+")
_SPLIT = re.compile(r"[;,\n]")


def as_text(value: Any) -> str | None:
    """A cell as trimmed text; None for empty cells. Undoes the apostrophe an export puts before
    a cell that would otherwise start a spreadsheet formula."""
    if value is None:
        return None
    if isinstance(value, float):
        if math.isnan(value):
            return None
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    try:
        if value != value:  # pandas NA / NaT
            return None
    except (TypeError, ValueError):
        return None
    text = str(value)
    if len(text) > 1 and text[0] == "'" and text[1] in FORMULA_STARTS:
        text = text[1:]
    text = text.strip()
    return text or None


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text.strip().casefold().replace("_", " "))


def match_choice(text: str, choices: Iterable[str], aliases: Mapping[str, str]) -> str | None:
    key = _norm(text)
    for choice in choices:
        if _norm(choice) == key:
            return choice
    return aliases.get(key)


def _suggest(text: str, choices: Iterable[str]) -> str:
    close = difflib.get_close_matches(_norm(text), [_norm(c) for c in choices], n=1, cutoff=0.6)
    if not close:
        return ""
    by_norm = {_norm(c): c for c in choices}
    return MSG_DID_YOU_MEAN.format(suggestion=by_norm[close[0]])


_MONTHS = {
    m.casefold(): i
    for i, m in enumerate(["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], start=1)
}


def parse_date(value: Any) -> dt.date:
    """Read a date given as a date object, ISO text, day/month/year or '1 April 2025'.

    Raises ValueError with a message for the user when it cannot."""
    if isinstance(value, dt.datetime):
        return _plausible(value.date(), value.date().isoformat())
    if isinstance(value, dt.date):
        return _plausible(value, value.isoformat())
    text = str(value).strip()
    m = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]00:00(?::00)?)?", text)
    if m:
        y, mo, d = int(m[1]), int(m[2]), int(m[3])
    else:
        m = re.fullmatch(r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2}|\d{4})", text)
        if m:
            if len(m[3]) == 2:
                raise ValueError(MSG_TWO_DIGIT_YEAR.format(value=text))
            d, mo, y = int(m[1]), int(m[2]), int(m[3])
            if mo > 12 and d <= 12:
                try:
                    iso = dt.date(y, d, mo).isoformat()
                except ValueError:
                    iso = "2025-04-13"
                raise ValueError(MSG_MONTH_FIRST_DATE.format(value=text, iso=iso))
        elif re.fullmatch(r"\d{5}(\.0+)?", text) and 20000 <= float(text) <= 80000:
            raise ValueError(MSG_SERIAL_DATE.format(value=text))
        else:
            m = re.fullmatch(r"(\d{1,2})\s+([A-Za-z]{3,9})\s+(\d{4})", text)
            month = _MONTHS.get(m[2][:3].casefold()) if m else None
            if not m or month is None:
                raise ValueError(MSG_BAD_DATE.format(value=text))
            d, mo, y = int(m[1]), month, int(m[3])
    try:
        parsed = dt.date(y, mo, d)
    except ValueError:
        raise ValueError(MSG_BAD_DATE.format(value=text)) from None
    return _plausible(parsed, text)


def _plausible(value: dt.date, text: str) -> dt.date:
    low, high = YEAR_RANGE
    if not (low <= value.year <= high):
        raise ValueError(MSG_YEAR_RANGE.format(value=text, year=value.year, low=low, high=high))
    return value


def split_list(value: Any) -> list[str]:
    """Items of a list cell ('a; b' or a Python list), trimmed, empties dropped, order kept."""
    if isinstance(value, (list, tuple, set)):
        items = [as_text(v) for v in value]
    else:
        text = as_text(value)
        items = [t.strip() for t in _SPLIT.split(text)] if text else []
    out: list[str] = []
    for item in items:
        if item and item not in out:
            out.append(item)
    return out


def check_plain_text(text: str, *, multiline: bool = False) -> str | None:
    """The problem with free text that must stay plain: HTML tags, script links, control characters."""
    for position, ch in enumerate(text, start=1):
        if ch in "\n\t" and multiline:
            continue
        category = unicodedata.category(ch)
        if category == "Cc" or (category == "Cf" and ch not in "\u00ad\u200d"):
            return MSG_CONTROL.format(code=f"U+{ord(ch):04X}", position=position)
    tag = _HTML_TAG.search(text)
    if tag:
        return MSG_HTML.format(found=tag.group(0)[:30])
    link = _SCRIPT_SCHEME.search(text)
    if link:
        return MSG_SCRIPT_LINK.format(found=link.group(0))
    return None


def check_contact_role(text: str) -> str | None:
    """The problem with a contact role (an email or phone number), or None when it is a role."""
    if _EMAIL.search(text) or text.casefold().startswith("mailto:"):
        return MSG_CONTACT_EMAIL
    if len(re.sub(r"\D", "", text)) >= 7:
        return MSG_CONTACT_PHONE
    return None


def check_activity(
    raw: Mapping[str, Any],
    *,
    wards: WardLookup,
    postcodes: PostcodeLookup | None,
    place_name: str = "the place",
    row: int | None = None,
) -> tuple[dict[str, Any], list[Issue]]:
    """Check one activity given with the template's column names and return the cleaned record
    and its problems. The record is complete only when no problem is an error."""
    issues: list[Issue] = []

    def problem(column: str, message: str, severity: str = "error") -> None:
        issues.append(Issue(row=row, column=column, message=message, severity=severity))

    out: dict[str, Any] = {}
    for column, label in (("organisation", "The organisation"), ("title", "The title")):
        text = as_text(raw.get(column))
        if text is None:
            problem(column, MSG_MISSING.format(label=label))
        out[column] = text
    out["description"] = as_text(raw.get("description"))
    contact = as_text(raw.get("contact_role"))
    if contact is not None and (msg := check_contact_role(contact)):
        problem("contact_role", msg)
    out["contact_role"] = contact
    for column, limit in LIMITS.items():
        if out.get(column) and len(out[column]) > limit:
            problem(column, MSG_TOO_LONG.format(length=len(out[column]), limit=limit))
    for column in TEXT_COLUMNS:
        if out.get(column) and (msg := check_plain_text(out[column], multiline=column == "description")):
            problem(column, msg)

    for column, label, choices, aliases in (
        ("sector", "sector", SECTORS, SECTOR_ALIASES),
        ("activity_type", "type of activity", ACTIVITY_TYPES, TYPE_ALIASES),
        ("status", "status", STATUSES, STATUS_ALIASES),
    ):
        text = as_text(raw.get(column))
        if text is None:
            problem(column, MSG_MISSING.format(label=f"The {label}") + f" Use one of: {', '.join(choices)}.")
            out[column] = None
            continue
        value = match_choice(text, choices, aliases)
        if value is None:
            problem(
                column,
                MSG_NOT_IN_LIST.format(value=text, label=label, choices=", ".join(choices)) + _suggest(text, choices),
            )
        out[column] = value

    themes: list[str] = []
    for text in split_list(raw.get("themes")):
        value = match_choice(text, THEMES, THEME_ALIASES)
        if value is None:
            problem(
                "themes",
                MSG_NOT_IN_LIST.format(value=text, label="theme", choices=", ".join(THEMES)) + _suggest(text, THEMES),
            )
        elif value not in themes:
            themes.append(value)
    if not themes and not any(i.column == "themes" for i in issues):
        problem("themes", MSG_NO_THEME.format(choices=", ".join(THEMES)))
    out["themes"] = tuple(themes)

    for column in ("start_date", "end_date"):
        value = raw.get(column)
        out[column] = None
        if as_text(value) is not None:
            try:
                out[column] = parse_date(value)
            except ValueError as exc:
                problem(column, str(exc))
    if out["start_date"] and out["end_date"] and out["end_date"] < out["start_date"]:
        problem(
            "end_date",
            MSG_END_BEFORE_START.format(end=out["end_date"].isoformat(), start=out["start_date"].isoformat()),
        )

    _check_reach(raw, out, problem)
    _check_where(raw, out, problem, wards=wards, postcodes=postcodes, place_name=place_name)

    record_id = as_text(raw.get("record_id"))
    if record_id is not None and not _RECORD_ID.match(record_id):
        problem("record_id", MSG_BAD_RECORD_ID.format(value=record_id))
    out["record_id"] = record_id
    version = as_text(raw.get("version"))
    out["version"] = None
    if version is not None:
        if re.fullmatch(r"\d+", version) and int(version) > 0:
            out["version"] = int(version)
        else:
            problem("version", MSG_BAD_VERSION.format(value=version))
    return out, issues


def _check_reach(raw: Mapping[str, Any], out: dict[str, Any], problem) -> None:  # noqa: ANN001
    count_text = as_text(raw.get("reach_count"))
    out["reach_count"] = None
    if count_text is not None:
        number = count_text.replace(",", "").replace(" ", "")
        try:
            value = float(number)
        except ValueError:
            problem("reach_count", MSG_REACH_NOT_NUMBER.format(value=count_text))
        else:
            if not math.isfinite(value):
                problem("reach_count", MSG_REACH_NOT_NUMBER.format(value=count_text))
            elif value < 0:
                problem("reach_count", MSG_REACH_NEGATIVE.format(value=count_text))
            elif not value.is_integer():
                problem("reach_count", MSG_REACH_NOT_WHOLE.format(value=count_text))
            elif value > MAX_REACH:
                problem("reach_count", MSG_REACH_TOO_BIG.format(value=count_text, limit=MAX_REACH))
            else:
                out["reach_count"] = int(value)
    for column, choices, aliases in (
        ("reach_unit", REACH_UNITS, {"person": "people", "participants": "people", "session": "sessions"}),
        ("reach_period", REACH_PERIODS, REACH_PERIOD_ALIASES),
    ):
        text = as_text(raw.get(column))
        out[column] = None
        if count_text is None:
            if text is not None:
                problem(column, MSG_REACH_IGNORED, "warning")
            continue
        if text is None:
            problem(column, MSG_REACH_NEEDS.format(choices=", ".join(choices)))
            continue
        value = match_choice(text, choices, aliases)
        if value is None:
            label = "reach unit" if column == "reach_unit" else "reach period"
            problem(
                column,
                MSG_NOT_IN_LIST.format(value=text, label=label, choices=", ".join(choices)) + _suggest(text, choices),
            )
        out[column] = value


def _check_where(
    raw,
    out,
    report,
    *,
    wards: WardLookup,
    postcodes: PostcodeLookup | None,  # noqa: ANN001
    place_name: str,
) -> None:
    issues: list[tuple[str, str]] = []

    def problem(column: str, message: str, severity: str = "error") -> None:
        issues.append((column, severity))
        report(column, message, severity)

    codes: list[str] = []
    for text in split_list(raw.get("wards")):
        code = wards.resolve(text)
        if code is None:
            suggestion = wards.suggest(text)
            hint = (
                MSG_DID_YOU_MEAN.format(suggestion=suggestion)
                if suggestion
                else (" Use a ward name or code from the template notes.")
            )
            if re.search(r"/|&|\+| and ", text):
                hint += MSG_WARD_SEPARATOR
            problem("wards", MSG_UNKNOWN_WARD.format(value=text, place=place_name) + hint)
        elif code not in codes:
            codes.append(code)

    out["postcode"] = out["lon"] = out["lat"] = out["location_ward_code"] = None
    placed = False
    pc_text = as_text(raw.get("postcode"))
    if pc_text is not None:
        postcode = normalise_postcode(pc_text)
        if postcode is None:
            problem("postcode", MSG_BAD_POSTCODE.format(value=pc_text))
        else:
            out["postcode"] = postcode
            found = postcodes.find(postcode) if postcodes is not None else None
            if postcodes is None:
                problem("postcode", MSG_POSTCODE_UNPLACED.format(value=postcode), "warning")
            elif found is None:
                problem("postcode", MSG_POSTCODE_UNKNOWN.format(value=postcode, place=place_name))
            elif found.ward_code is None or found.ward_code not in wards:
                problem("postcode", MSG_POSTCODE_OUTSIDE.format(value=postcode, place=place_name))
            else:
                out["lon"], out["lat"], out["location_ward_code"] = found.lon, found.lat, found.ward_code
                placed = True

    lon_text, lat_text = as_text(raw.get("lon")), as_text(raw.get("lat"))
    if (lon_text is None) != (lat_text is None):
        problem("lon" if lon_text is None else "lat", MSG_POINT_PAIR)
    elif lon_text is not None:
        point: dict[str, float] = {}
        for column, text, (low, high), axis in (
            ("lon", lon_text, UK_LON, "longitude"),
            ("lat", lat_text, UK_LAT, "latitude"),
        ):
            try:
                value = float(text)
            except ValueError:
                problem(column, MSG_POINT_NOT_NUMBER.format(value=text))
                continue
            if not (low <= value <= high):
                problem(column, MSG_POINT_OUT_OF_RANGE.format(value=text, axis=axis, lon=UK_LON, lat=UK_LAT))
                continue
            point[column] = value
        if len(point) == 2:
            if not placed and postcodes is not None:
                ward, metres = postcodes.nearest_ward(point["lon"], point["lat"])
                if ward is None or ward not in wards or metres > POINT_MATCH_METRES:
                    problem("lon", MSG_POINT_OUTSIDE.format(lon=lon_text, lat=lat_text, place=place_name))
                else:
                    out["location_ward_code"] = ward
                    placed = True
            out["lon"], out["lat"] = point["lon"], point["lat"]

    if not codes and out["location_ward_code"]:
        codes = [out["location_ward_code"]]
    where_reported = any(col in ("postcode", "lon", "lat") and sev == "error" for col, sev in issues)
    if not codes and not split_list(raw.get("wards")) and not where_reported:
        problem("wards", MSG_NO_WHERE.format(place=place_name))
    out["wards"] = tuple(codes)
