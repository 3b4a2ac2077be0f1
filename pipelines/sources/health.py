"""Run the health readers after the existing ones, and merge their Parts into the build.

``run(ctx, parts)`` is the one hook build.py calls. Merging rules (the only places the health
readers touch what other readers made):
- ``health_estimate_checks``: the tables of every health reader are concatenated.
- An indicator id that another reader already defines (``life_expectancy_male``/``_female``) keeps
  one metadata row: the health reader's (it describes both sources, told apart by period/source_id).
- ``FILL_ONLY`` readers add rows that replace an existing row with the same key only when the
  existing row has no value (e.g. England benchmarks the census reader could not compute).
"""

from __future__ import annotations

import logging
import time

import pandas as pd

from pipelines.sources import (
    health_census_benchmarks,
    health_district,
    health_fuel_poverty,
    health_gp_fingertips,
    health_life_expectancy,
    health_local_health,
    health_qof,
    health_samhi,
)
from pipelines.tidy import INDICATOR_VALUE_KEY, Parts

log = logging.getLogger(__name__)

MODULES = (
    health_life_expectancy,
    health_local_health,
    health_qof,
    health_gp_fingertips,
    health_samhi,
    health_fuel_poverty,
    health_district,
)
FILL_ONLY = (health_census_benchmarks,)
CHECKS = "health_estimate_checks"


def _run(module, ctx, geo) -> Parts:
    name = module.__name__.rsplit(".", 1)[-1]
    started = time.perf_counter()
    part = module.build(ctx, geo)
    n = 0 if part.values is None else len(part.values)
    log.info(
        "source %s: %d values, %d indicators (%.2f s)", name, n, len(part.indicators), time.perf_counter() - started
    )
    return part


def merge(parts: list[Parts], health: list[Parts], fills: list[Parts]) -> list[Parts]:
    ours = {m["indicator_id"] for p in health for m in p.indicators}
    for part in parts:
        part.indicators = [m for m in part.indicators if m["indicator_id"] not in ours]
    checks = [p.tables.pop(CHECKS) for p in [*health, *fills] if CHECKS in p.tables]
    for fill in fills:
        keys = pd.MultiIndex.from_frame(fill.values[INDICATOR_VALUE_KEY])
        for part in parts:
            if part.values is None or not len(part.values):
                continue
            here = pd.MultiIndex.from_frame(part.values[INDICATOR_VALUE_KEY])
            clash = here.isin(keys)
            empty = part.values["value"].isna()
            if (clash & ~empty).any():
                fill_keys = set(here[clash & ~empty])
                fill.values = fill.values[~pd.MultiIndex.from_frame(fill.values[INDICATOR_VALUE_KEY]).isin(fill_keys)]
            part.values = part.values[~(clash & empty)]
    merged = [*parts, *health, *fills]
    if checks:
        merged.append(Parts(tables={CHECKS: pd.concat(checks, ignore_index=True)}))
    return merged


def run(ctx, parts: list[Parts], geo) -> list[Parts]:
    health = [_run(module, ctx, geo) for module in MODULES]
    fills = [_run(module, ctx, geo) for module in FILL_ONLY]
    return merge(parts, health, fills)
