"""What the benchmarks share: one measured figure, a timer, and a figure judged against its floor."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass
class Figure:
    name: str
    value: float | None
    unit: str
    floor: float | None = None
    ratio: float | None = None
    budget: str = ""
    ok: bool | None = None
    note: str = ""


def timed(fn: Callable[[], object], repeat: int = 1) -> list[float]:
    out = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        out.append(time.perf_counter() - started)
    return out


def ratio_figure(name: str, value: float, floor: float, *, unit: str, max_ratio: float) -> Figure:
    ratio = value / floor if floor else None
    return Figure(
        name,
        round(value, 4),
        unit,
        round(floor, 4),
        None if ratio is None else round(ratio, 2),
        f"<= {max_ratio}x floor",
        None if ratio is None else ratio <= max_ratio,
    )


def seconds_figure(name: str, seconds: float, budget: float, *, note: str = "") -> Figure:
    """A time judged against a budget in seconds (``<= budget``)."""
    return Figure(name, round(seconds, 3), "s", budget=f"<= {budget:g} s", ok=seconds <= budget, note=note)
