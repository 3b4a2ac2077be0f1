"""Small fake data and helpers shared by the register tests."""

from __future__ import annotations

import csv
import hashlib
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd
import sqlalchemy as sa

from dashboard.register import TEMPLATE_COLUMNS, Store

# Four of Hyndburn's wards are enough to exercise names with apostrophes and hyphens.
WARDS = {
    "E05005209": "Central",
    "E05005210": "Church",
    "E05005211": "Clayton-le-Moors",
    "E05005219": "St Andrew's",
}
HYNDBURN_WARDS = {
    "E05005206": "Altham",
    "E05005207": "Barnfield",
    "E05005208": "Baxenden",
    "E05005209": "Central",
    "E05005210": "Church",
    "E05005211": "Clayton-le-Moors",
    "E05005212": "Huncoat",
    "E05005213": "Immanuel",
    "E05005214": "Milnshaw",
    "E05005215": "Netherton",
    "E05005216": "Overton",
    "E05005217": "Peel",
    "E05005218": "Rishton",
    "E05005219": "St Andrew's",
    "E05005220": "St Oswald's",
    "E05005221": "Spring Hill",
}
# Made-up postcodes: two inside the fixture place, one in a ward outside it.
POSTCODES = pd.DataFrame(
    {
        "postcode": ["BB5 1AA", "BB5 3ZZ", "BB1 1AE"],
        "postcode_key": ["BB51AA", "BB53ZZ", "BB11AE"],
        "lon": [-2.3600, -2.3900, -2.4700],
        "lat": [53.7500, 53.7480, 53.7450],
        "lad_code": ["E07000120", "E07000120", "E06000008"],
        "ward_code": ["E05005209", "E05005219", "E05011508"],
    }
)
PLACE = "Testborough"


def valid_activity(**overrides: Any) -> dict[str, Any]:
    """A valid activity in template columns; override any field."""
    row = {
        "organisation": "Hyndburn Leisure",
        "sector": "leisure",
        "title": "Walking football",
        "description": "Friendly games for the over 50s",
        "activity_type": "event",
        "themes": "physical activity; older people",
        "status": "active",
        "start_date": "2025-04-01",
        "end_date": "",
        "reach_count": "18",
        "reach_unit": "people",
        "reach_period": "week",
        "wards": "Central",
        "postcode": "",
        "lon": "",
        "lat": "",
        "contact_role": "Sports development officer",
    }
    row.update(overrides)
    return row


def write_rows(path: Path, rows: Sequence[Mapping[str, Any]], columns: Sequence[str] = TEMPLATE_COLUMNS) -> Path:
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(columns), extrasaction="ignore")
        writer.writeheader()
        for row in rows:
            writer.writerow({c: row.get(c, "") for c in columns})
    return path


def export_digest(store: Store) -> str:
    return hashlib.sha256(store.export_bytes("csv")).hexdigest()


def table_counts(store: Store) -> dict[str, int]:
    with store.engine.connect() as conn:
        return {
            name: conn.execute(sa.text(f"SELECT COUNT(*) FROM {name}")).scalar_one()
            for name in ("organisation", "activity", "activity_theme", "activity_ward", "activity_history")
        }
