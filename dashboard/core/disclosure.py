"""Small-number protection for public views of counts (partner reach, count-based indicators).

Pure Python and pandas; no Streamlit. The rules, written so a reader can check a table by hand:

1. **Threshold.** ``threshold`` (default 5) comes from the function argument, else the environment
   variable ``PLACE_INSIGHT_SMALL_NUMBER_THRESHOLD``, else 5. It must be a whole number >= 1.
2. **Primary suppression.** A count from 1 to ``threshold - 1`` is hidden: its value becomes
   missing and its display text is ``"<5"`` (``"<{threshold}"``). Zero is shown: a true zero tells
   nobody anything about a person. Missing stays missing (shown as empty).
3. **Secondary suppression** (tables with a total). If exactly one cell of a column is hidden and
   the total is shown, the hidden value could be worked out as total minus the rest. Then the
   next smallest shown cell that is not zero is hidden too (display ``"[c]"``, "confidential"),
   so two unknowns share one difference; when there is no such cell the total is hidden instead.
   A total itself below the threshold is hidden like any other count.
4. Every view that hides something carries ``NOTE`` (and ``NOTE_SECONDARY`` when rule 3 acted),
   to be shown under the table.

Counts already disclosure-controlled at source (e.g. ONS census tables, which are
perturbed/rounded) need no further suppression; apply this to counts the partnership makes
itself (register reach, counts of partner activities, local counts of people).
Each column is treated on its own (one total row per column); tables with both row and column
totals need a 2-D method and are not handled here.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from pipelines import settings

log = logging.getLogger(__name__)

DEFAULT_THRESHOLD = 5
THRESHOLD_ENV = settings.THRESHOLD_ENV
SECONDARY_TEXT = "[c]"
NOTE = "Counts from 1 to {top} are shown as <{threshold} to protect the people behind them (small-number rule)."
NOTE_SECONDARY = "Some larger counts are also hidden ([c]) so that a hidden count cannot be worked out from the total."


def threshold(value: int | None = None) -> int:
    """The small-number threshold: ``value``, else $PLACE_INSIGHT_SMALL_NUMBER_THRESHOLD, else 5."""
    source = "argument"
    if value is None:
        env = settings.small_number_threshold_setting()
        if not env:
            return DEFAULT_THRESHOLD
        source = THRESHOLD_ENV
        try:
            value = int(env)
        except ValueError:
            raise ValueError(f"{THRESHOLD_ENV}={env!r} is not a whole number; set it to e.g. 5") from None
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError(f"small-number threshold from {source} must be a whole number of at least 1, got {value!r}")
    return value


def _count(value: Any) -> float | None:
    """A count as a number, or None when missing."""
    if value is None:
        return None
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        return None
    number = float(value)
    if math.isnan(number):
        return None
    if number < 0:
        raise ValueError(f"a count cannot be negative (got {value!r})")
    return number


def is_small(value: Any, limit: int | None = None) -> bool:
    """True when ``value`` is a count from 1 to threshold - 1 (zero and missing are not small)."""
    number = _count(value)
    return number is not None and 0 < number < threshold(limit)


def small_text(limit: int | None = None) -> str:
    return f"<{threshold(limit)}"


def note(limit: int | None = None, *, secondary: bool = False) -> str:
    t = threshold(limit)
    text = NOTE.format(top=t - 1, threshold=t)
    return f"{text} {NOTE_SECONDARY}" if secondary else text


def _format(number: float | None) -> str:
    if number is None:
        return ""
    return f"{int(number):,}" if float(number).is_integer() else f"{number:,}"


@dataclass(frozen=True)
class Disclosed:
    """One count after the small-number rule: ``value`` is None when hidden (or missing)."""

    value: float | int | None
    text: str
    suppressed: bool


def suppress_value(value: Any, limit: int | None = None) -> Disclosed:
    """Primary suppression of a single count (no total to protect)."""
    number = _count(value)
    if number is None:
        return Disclosed(None, "", False)
    if is_small(number, limit):
        return Disclosed(None, small_text(limit), True)
    out = int(number) if number.is_integer() else number
    return Disclosed(out, _format(number), False)


@dataclass
class DisclosureResult:
    """A table after the small-number rule.

    ``values`` holds the counts with hidden cells missing (<NA>); ``display`` the text to show
    ("<5", "[c]", or the formatted count); ``suppressed`` is True where a cell was hidden and
    ``reason`` says why ("primary", "secondary" or ""); ``notes`` the sentences to show with it.
    """

    values: pd.DataFrame
    display: pd.DataFrame
    suppressed: pd.DataFrame
    reason: pd.DataFrame
    notes: list[str] = field(default_factory=list)

    @property
    def any_suppressed(self) -> bool:
        return bool(self.suppressed.to_numpy().any())


def suppress_table(
    frame: pd.DataFrame,
    columns: Sequence[Hashable],
    *,
    total_row: Hashable | None = None,
    limit: int | None = None,
) -> DisclosureResult:
    """Apply primary and secondary suppression to the count ``columns`` of ``frame``.

    ``total_row`` is the index label of the row holding each column's total (None: no total
    row, so only primary suppression applies). Other columns are copied through unchanged.
    """
    t = threshold(limit)
    values = frame.copy()
    display = frame.copy().astype(object)
    suppressed = pd.DataFrame(False, index=frame.index, columns=frame.columns)
    reason = pd.DataFrame("", index=frame.index, columns=frame.columns)
    if total_row is not None and total_row not in frame.index:
        raise KeyError(f"total row {total_row!r} is not in the table's index")
    any_secondary = False
    for column in columns:
        counts = {label: _count(v) for label, v in frame[column].items()}
        hidden: dict[Hashable, str] = {label: "primary" for label, n in counts.items() if n is not None and 0 < n < t}
        if total_row is not None and total_row not in hidden:
            cells = [label for label in counts if label != total_row]
            primary_cells = [label for label in cells if label in hidden]
            if len(primary_cells) == 1:
                candidates = sorted(
                    (counts[label], str(label), label)
                    for label in cells
                    if label not in hidden and counts[label] is not None and counts[label] > 0
                )
                if candidates:
                    hidden[candidates[0][2]] = "secondary"
                else:
                    hidden[total_row] = "secondary"
                any_secondary = True
        column_values = []
        for label, number in counts.items():
            why = hidden.get(label, "")
            reason.at[label, column] = why
            suppressed.at[label, column] = bool(why)
            if why == "primary":
                display.at[label, column] = f"<{t}"
            elif why == "secondary":
                display.at[label, column] = SECONDARY_TEXT
            else:
                display.at[label, column] = _format(number)
            column_values.append(None if why or number is None else number)
        values[column] = pd.array(
            [None if v is None else (int(v) if float(v).is_integer() else v) for v in column_values],
            dtype="Int64" if all(v is None or float(v).is_integer() for v in column_values) else "Float64",
        )
    notes = [note(t, secondary=any_secondary)] if suppressed[list(columns)].to_numpy().any() else []
    if notes:
        log.debug("small-number rule hid %d cells", int(suppressed.to_numpy().sum()))
    return DisclosureResult(values=values, display=display, suppressed=suppressed, reason=reason, notes=notes)


def suppress_series(series: pd.Series, *, total: Any = None, limit: int | None = None) -> DisclosureResult:
    """Suppress a series of counts (e.g. reach by ward); ``total`` (if given) is shown as a
    'Total' row and protected by the secondary rule."""
    name = series.name if series.name is not None else "count"
    frame = series.rename(name).to_frame()
    total_label = None
    if total is not None:
        total_label = "Total"
        if total_label in frame.index:
            raise ValueError("the series already has a row labelled 'Total'")
        frame = pd.concat([frame, pd.DataFrame({name: [total]}, index=[total_label])])
    return suppress_table(frame, [name], total_row=total_label, limit=limit)
