"""What every source gets: the build's inputs (``BuildContext``) and the place's ``Geography``.

``BuildContext`` says where the raw files are, for which place, from which registered sources.
``Geography`` is what the geography source (``pipelines.sources.geography``) finds: the place's
wards and LSOAs, the LSOA -> ward weights, the postcodes and the area hierarchy. Every later
source takes both, so that area codes are checked against this build's boundaries and LSOAs go
to wards the same way everywhere.

Both are frozen. The frames inside a ``Geography`` are read-only by contract: sources take
copies (``pandas`` returns new frames from every operation they use) and never write to them.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from pipelines.registry import Source
from pipelines.settings import ENGLAND_CODE, Place


@dataclass(frozen=True)
class BuildContext:
    raw: Path
    place: Place
    sources: dict[str, Source]

    def path(self, source_id: str, index: int = 0) -> Path:
        return self.raw / self.sources[source_id].files[index]

    def paths(self, source_id: str) -> list[Path]:
        return [self.raw / f for f in self.sources[source_id].files]


@dataclass(frozen=True)
class Geography:
    """The place's areas and weights, as built by the geography source (read-only)."""

    wards: pd.DataFrame  # ward_code, ward_name (the place's wards)
    lsoa21: pd.DataFrame  # lsoa_code, lsoa_name, msoa_code
    lsoa11: pd.DataFrame  # lsoa_code, lsoa_name
    oa_lsoa: pd.DataFrame  # oa_code, lsoa_code
    # lsoa_code, lsoa_vintage ("2011"/"2021"), ward_code, weight (sums to 1 per LSOA), postcodes, method
    lsoa_ward_weights: pd.DataFrame
    postcodes: pd.DataFrame  # postcode, postcode_key, easting, northing, lon, lat, lad_code, ward_code
    english_lads: pd.DataFrame  # lad_code, lad_name: every English district (2019 codes) and the place
    place_geometry_27700: object  # shapely geometry of the place in British National Grid
    england_code: str = ENGLAND_CODE
    region_code: str = ""
    region_name: str = ""
    county_code: str = ""
    county_name: str = ""

    @property
    def ward_codes(self) -> list[str]:
        return list(self.wards["ward_code"])

    @property
    def lsoa21_codes(self) -> list[str]:
        return list(self.lsoa21["lsoa_code"])

    @property
    def lsoa11_codes(self) -> list[str]:
        return list(self.lsoa11["lsoa_code"])

    def weights(self, vintage: str) -> pd.DataFrame:
        w = self.lsoa_ward_weights
        return w[w["lsoa_vintage"] == vintage][["lsoa_code", "ward_code", "weight"]]

    def main_wards(self, vintage: str) -> pd.DataFrame:
        """lsoa_code, ward_code: the ward holding the largest share of each LSOA (a best fit)."""
        return main_wards(self.weights(vintage))


def main_wards(weights: pd.DataFrame) -> pd.DataFrame:
    """lsoa_code, ward_code from LSOA-ward ``weights``: each LSOA's largest share."""
    main = weights.sort_values("weight").groupby("lsoa_code").tail(1)
    return main[["lsoa_code", "ward_code"]].sort_values("lsoa_code").reset_index(drop=True)
