"""The place's wards and postcodes, used to check and place where an activity happens.

Both lookups are plain objects built from small inputs, so tests inject their own fixtures; the
``read_*`` functions build them from the tidy tables the pipelines write.
"""

from __future__ import annotations

import difflib
import logging
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from dashboard.core.selection import wards_of_place
from pipelines import settings
from pipelines.errors import ConfigError

log = logging.getLogger(__name__)

_POSTCODE = re.compile(r"^([A-Z]{1,2}[0-9][A-Z0-9]?)([0-9][A-Z]{2})$")
_APOSTROPHES = re.compile(r"['\u2019\u2018`]")
_NON_ALNUM = re.compile(r"[^0-9a-z]+")


def ward_key(text: str) -> str:
    """Lower case, apostrophes dropped, punctuation as spaces: "St Andrew's" -> "st andrews"."""
    key = _APOSTROPHES.sub("", str(text).casefold())
    key = _NON_ALNUM.sub(" ", key).strip()
    return re.sub(r"^saint ", "st ", key)


def postcode_key(text: str) -> str:
    return re.sub(r"\s+", "", str(text)).upper()


def normalise_postcode(text: str) -> str | None:
    """ "bb5 1aa" -> "BB5 1AA"; None when the text is not shaped like a UK postcode."""
    match = _POSTCODE.match(postcode_key(text))
    return f"{match.group(1)} {match.group(2)}" if match else None


class WardLookup:
    """The place's wards (code -> name), matched by code or by name ignoring case, spacing and
    apostrophes, with a suggestion for near misses."""

    def __init__(self, wards: Mapping[str, str]) -> None:
        if not wards:
            raise ValueError("the ward list is empty")
        self.names: dict[str, str] = {str(code).strip().upper(): str(name) for code, name in wards.items()}
        self._by_key: dict[str, str] = {ward_key(name): code for code, name in self.names.items()}

    def __contains__(self, code: object) -> bool:
        return str(code).upper() in self.names

    def __len__(self) -> int:
        return len(self.names)

    def name(self, code: str) -> str:
        return self.names.get(code, code)

    def resolve(self, text: str) -> str | None:
        """The ward code for a ward code or name, or None when it matches no ward."""
        code = str(text).strip().upper()
        if code in self.names:
            return code
        return self._by_key.get(ward_key(text))

    def suggest(self, text: str) -> str | None:
        """The closest ward name to a misspelling, or None when nothing is close."""
        close = difflib.get_close_matches(ward_key(text), list(self._by_key), n=1, cutoff=0.6)
        return self.names[self._by_key[close[0]]] if close else None


@dataclass(frozen=True)
class PostcodePlace:
    postcode: str
    lon: float
    lat: float
    ward_code: str | None


class PostcodeLookup:
    """Postcodes with their point and ward, from a frame with columns postcode, lon, lat,
    ward_code (postcode_key is optional and derived when missing)."""

    def __init__(self, frame: pd.DataFrame) -> None:
        missing = {"postcode", "lon", "lat", "ward_code"} - set(frame.columns)
        if missing:
            raise ValueError(f"postcode lookup lacks columns {sorted(missing)}; expected postcode, lon, lat, ward_code")
        keys = frame["postcode_key"] if "postcode_key" in frame.columns else frame["postcode"].map(postcode_key)
        self._places: dict[str, PostcodePlace] = {}
        for key, pc, lon, lat, ward in zip(
            keys, frame["postcode"], frame["lon"], frame["lat"], frame["ward_code"], strict=True
        ):
            ward_code = None if pd.isna(ward) else str(ward)
            self._places[str(key)] = PostcodePlace(str(pc), float(lon), float(lat), ward_code)
        self._points = pd.DataFrame(
            [(p.lon, p.lat, p.ward_code) for p in self._places.values()], columns=["lon", "lat", "ward_code"]
        )

    def __len__(self) -> int:
        return len(self._places)

    def find(self, postcode: str) -> PostcodePlace | None:
        return self._places.get(postcode_key(postcode))

    def nearest_ward(self, lon: float, lat: float) -> tuple[str | None, float]:
        """The ward of the nearest postcode to a point and the distance to it in metres
        (equirectangular approximation: fine at ward scale)."""
        if self._points.empty:
            return None, math.inf
        k = math.cos(math.radians(lat))
        dx = (self._points["lon"] - lon) * k * 111_320.0
        dy = (self._points["lat"] - lat) * 110_540.0
        dist = (dx * dx + dy * dy) ** 0.5
        i = int(dist.idxmin())
        return self._points.at[i, "ward_code"], float(dist.iloc[i])


def place_lad_code() -> str | None:
    """The place's district code from the place file (None when it cannot be read)."""
    try:
        return settings.load_place().lad_code
    except ConfigError:
        return None


def read_place_wards(path: Path, lad_code: str | None) -> dict[str, str]:
    """Ward code -> name of the place's wards in the tidy areas table (the dashboard's own
    definition, ``dashboard.core.selection.wards_of_place``)."""
    wards = wards_of_place(pd.read_parquet(path), lad_code)
    if wards.empty:
        raise ValueError(f"{path} has no rows with area_type 'ward'")
    log.info("read %d wards from %s", len(wards), path)
    return dict(zip(wards["area_code"].astype(str), wards["area_name"].astype(str), strict=True))


def read_postcodes(path: Path) -> pd.DataFrame:
    """The tidy postcode table (postcode, postcode_key, lon, lat, lad_code, ward_code)."""
    frame = pd.read_parquet(path)
    log.info("read %d postcodes from %s", len(frame), path)
    return frame
