"""The brief's comparison: a table (indicator, period, ward, place, England, significance) with
the spine chart drawn beside each row as vector shapes, Fingertips style, so every indicator's
name is text at 8 pt or more and the markers line up with their rows."""

from __future__ import annotations

import math

import pandas as pd
from reportlab.graphics.shapes import Circle, Drawing, Line, Polygon, Rect, String
from reportlab.lib import colors
from reportlab.platypus import Table, TableStyle

from dashboard.briefs.content import BriefContent
from dashboard.briefs.style import INK, MIN_FONT, MUTED, SIGNIFICANCE_TINT, grid, para
from dashboard.core import chart_style, spine_chart, statistics
from dashboard.core.headlines import SPINE_VALUE_TYPES
from dashboard.core.wording import format_value

SPINE_W = 112  # points: the marker column
SPINE_MIN_HALF = 25.0  # the scale shows at least 75-125% of England
SPINE_MAX_HALF = 100.0  # ... and at most 0-200%: a marker further out sits at the edge with an arrow
MARKER = 3.4  # marker radius in points
STYLE_COLOURS = {k: colors.HexColor(v["color"]) for k, v in chart_style.SIGNIFICANCE_STYLE.items()}


def spine_half_range(rows) -> float:
    """Half the width of the common scale, in % of England: every ward value, CI end and place
    value fits (within SPINE_MAX_HALF), rounded up to a multiple of 25."""
    if rows is None or len(rows) == 0:
        return SPINE_MIN_HALF
    spread = [abs(v - 100) for c in ("index", "index_lo", "index_hi", "place_index") for v in rows[c].dropna()]
    half = max([SPINE_MIN_HALF, *spread])
    return min(math.ceil(half / 25) * 25, SPINE_MAX_HALF)


def _marker(d: Drawing, x: float, y: float, significance: str) -> None:
    """The significance marker: the profile's shape and colour (open circle: not tested)."""
    fill = STYLE_COLOURS.get(significance, colors.white)
    r, edge = MARKER, {"strokeColor": INK, "strokeWidth": 0.6}
    if significance == statistics.WORSE:
        d.add(Polygon([x, y - r - 0.6, x + r + 0.6, y, x, y + r + 0.6, x - r - 0.6, y], fillColor=fill, **edge))
    elif significance == statistics.SIMILAR:
        d.add(Rect(x - r + 0.4, y - r + 0.4, 2 * r - 0.8, 2 * r - 0.8, fillColor=fill, **edge))
    elif significance in (statistics.HIGHER, statistics.LOWER):
        tip = r if significance == statistics.HIGHER else -r
        d.add(Polygon([x - r, y - tip, x + r, y - tip, x, y + tip], fillColor=fill, **edge))
    elif significance == statistics.BETTER:
        d.add(Circle(x, y, r, fillColor=fill, **edge))
    else:  # not tested / missing: an open circle drawn dark, never white on white
        d.add(Circle(x, y, r, fillColor=colors.white, strokeColor=INK, strokeWidth=1.0))


def spine_cell(row: dict | None, *, half: float, height: float) -> Drawing:
    """One row's spine: England as the centre line, the place as a black bar, the ward's 95% CI
    as a whisker and its marker; a value beyond the scale sits at the edge with an arrow."""
    d = Drawing(SPINE_W, height)
    x_of = lambda v: 4 + (min(max(v, 100 - half), 100 + half) - (100 - half)) / (2 * half) * (SPINE_W - 8)  # noqa: E731
    mid = height / 2
    d.add(Line(x_of(100), 0, x_of(100), height, strokeColor=INK, strokeWidth=0.9))
    if row is None or pd.isna(row.get("index")):
        return d
    lo, hi = row.get("index_lo"), row.get("index_hi")
    if not (pd.isna(lo) or pd.isna(hi)):
        d.add(Line(x_of(lo), mid, x_of(hi), mid, strokeColor=MUTED, strokeWidth=0.9))
    place = row.get("place_index")
    if not pd.isna(place):
        d.add(Rect(x_of(place) - 0.9, mid - 4.5, 1.8, 9, fillColor=INK, strokeColor=None))
    value = float(row["index_true"])
    x = x_of(value)
    if abs(value - 100) > half:  # off the scale: an arrow at the edge says which way
        step = 4 if value > 100 else -4
        d.add(Polygon([x + step, mid, x, mid - 3, x, mid + 3], fillColor=INK, strokeColor=None))
        x -= step * 1.2
    _marker(d, x, mid, str(row.get("significance")))
    return d


def spine_scale(*, half: float) -> Drawing:
    """The scale under the spine column: % of England at both ends and the centre."""
    d = Drawing(SPINE_W, 11)
    for value, anchor in ((100 - half, "start"), (100, "middle"), (100 + half, "end")):
        x = 4 + (value - (100 - half)) / (2 * half) * (SPINE_W - 8)
        d.add(String(x, 2, f"{value:.0f}", fontName="Helvetica", fontSize=MIN_FONT, fillColor=INK, textAnchor=anchor))
    return d


VERDICTS = {statistics.NOT_COMPARED: "not tested", statistics.MISSING: "missing"}


def verdict(significance: str, compared_with: str) -> str:
    """'worse', 'similar (vs Hyndburn)', 'not tested' ..."""
    if significance in VERDICTS:
        return VERDICTS[significance]
    label = chart_style.SIGNIFICANCE_STYLE.get(significance, {}).get("label", significance)
    return str(label).lower() + ("" if compared_with in ("England", "") else f" (vs {compared_with})")


def _fmt(row: dict, key: str) -> str:
    if key != "value" and pd.isna(row.get(key)):
        return "–"
    if key == "value" and pd.isna(row.get("value")):
        return "missing"
    return format_value(
        row.get(key),
        value_type=str(row.get("value_type")),
        unit=str(row.get("unit") or ""),
        decimals=int(row.get("decimals") or 0),
    )


def _headline_marker(fact: dict, *, half: float) -> Drawing | None:
    """A headline row's spine marker when it can be placed against England (a percentage or a
    score with an England value); None for counts and rows without England."""
    if not fact or pd.isna(fact.get("england_value")) or fact.get("value_type") not in SPINE_VALUE_TYPES:
        return None
    row = spine_chart.spine_index(pd.DataFrame([fact])).iloc[0].to_dict()
    return spine_cell(row, half=half, height=13)


def comparison_table(content: BriefContent, width: float) -> Table:
    """Indicator, period, ward, place, England, significance, then the spine: one line per
    indicator, every name written in full (it wraps), nothing below 8 pt. Headline indicators
    that cannot be placed against England (counts...) come first, without a marker."""
    ward_head = content.ward_name if len(content.ward_name) <= 11 else "Ward"
    spine = spine_chart.spine_index(content.spine) if len(content.spine) else content.spine
    half = spine_half_range(spine if len(spine) else None)
    head = [
        para("Indicator", "cell_bold"),
        para("Period", "cell_bold"),
        para(ward_head, "head_right"),
        para(content.place_name, "head_right"),
        para("England", "head_right"),
        para("Compared*", "cell_bold"),
        para("Ward as % of England (line = England)", "cell_bold"),
    ]
    rows, tints = [head], []
    in_spine = set(spine["indicator_id"]) if len(spine) else set()
    # a spine row keeps its headline label: it says when the figure is made from a coarser geography
    labels = {r.indicator_id: r.label for r in content.headline_rows}
    facts = content.facts.drop_duplicates("indicator_id").set_index("indicator_id") if len(content.facts) else None
    for r in content.headline_rows:
        if r.indicator_id in in_spine:
            continue
        fact = facts.loc[r.indicator_id].to_dict() if facts is not None and r.indicator_id in facts.index else {}
        marker = _headline_marker(fact, half=half)
        rows.append(
            [
                para(r.label, "cell"),
                para(str(fact.get("period") or ""), "cell"),
                para(r.ward, "cell_right"),
                para(r.place, "cell_right"),
                para(r.england, "cell_right"),
                para(verdict(r.significance, r.compared_with), "cell"),
                marker or para("no England comparison" if r.england == "–" else "", "note"),
            ]
        )
        if r.significance in SIGNIFICANCE_TINT:
            tints.append((5, len(rows) - 1, SIGNIFICANCE_TINT[r.significance]))
    for row in spine.to_dict("records") if len(spine) else []:
        compared = content.place_name if row.get("compared_with") == "place" else str(row.get("compared_with") or "")
        rows.append(
            [
                para(labels.get(row["indicator_id"], str(row["name"])), "cell"),
                para(str(row.get("period") or ""), "cell"),
                para(_fmt(row, "value"), "cell_right"),
                para(_fmt(row, "place_value"), "cell_right"),
                para(_fmt(row, "england_value"), "cell_right"),
                para(verdict(str(row["significance"]), compared), "cell"),
                spine_cell(row, half=half, height=13),
            ]
        )
        if row["significance"] in SIGNIFICANCE_TINT:
            tints.append((5, len(rows) - 1, SIGNIFICANCE_TINT[row["significance"]]))
    if len(spine):
        rows.append([para("", "note")] * 6 + [spine_scale(half=half)])
    fixed = [40, 48, 48, 56, 88, SPINE_W + 6]
    table = grid(rows, [width - sum(fixed), *fixed], tints=tints)
    table.setStyle(TableStyle([("LEFTPADDING", (6, 0), (6, -1), 3), ("RIGHTPADDING", (6, 0), (6, -1), 3)]))
    return table
