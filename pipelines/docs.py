"""Write the indicator section of the data dictionary (data/README.md) from the built tables."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from pipelines.settings import REPO_DIR

DICTIONARY = REPO_DIR / "data" / "README.md"
START, END = "<!-- indicators:start -->", "<!-- indicators:end -->"


def indicator_section(indicators: pd.DataFrame, values: pd.DataFrame) -> str:
    levels = values.groupby("indicator_id")["area_type"].agg(lambda s: ", ".join(sorted(set(s))))
    lines = [
        "| indicator_id | name | unit | polarity | ward figure | levels | source | definition |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for row in indicators.sort_values(["topic", "indicator_id"]).itertuples():
        cells = [
            f"`{row.indicator_id}`",
            row.name,
            row.unit,
            row.polarity,
            row.ward_method,
            levels.get(row.indicator_id, ""),
            row.source_id,
            row.definition,
        ]
        lines.append("| " + " | ".join(str(c).replace("|", "/").replace("\n", " ") for c in cells) + " |")
    return "\n".join(lines)


def write_dictionary(tidy: Path, path: Path = DICTIONARY) -> None:
    indicators = pd.read_parquet(tidy / "indicators.parquet")
    values = pd.read_parquet(tidy / "indicator_values.parquet", columns=["indicator_id", "area_type"])
    text = path.read_text(encoding="utf-8")
    section = f"{START}\n{indicator_section(indicators, values)}\n{END}"
    path.write_text(
        re.sub(re.escape(START) + ".*?" + re.escape(END), lambda _: section, text, flags=re.S), encoding="utf-8"
    )
