"""Two questions every table asks of a cell: is it missing, and what items does a list cell hold."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

LIST_SEPARATOR = ";"


def is_missing(x: object) -> bool:
    """None, NaN, NA or NaT."""
    return x is None or (isinstance(x, float) and math.isnan(x)) or bool(pd.isna(x))


def list_items(value: object) -> tuple[str, ...]:
    """The items of a list cell: a list/tuple/set/array as strings, or 'a; b' split and trimmed."""
    if isinstance(value, (list, tuple, set, np.ndarray)):
        return tuple(str(v) for v in value)
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ()
    return tuple(s.strip() for s in str(value).split(LIST_SEPARATOR) if s.strip())
