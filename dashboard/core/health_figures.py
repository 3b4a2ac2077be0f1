"""Figures of the Health section: a ward against the place and England (and the best ward)
for a few indicators of one unit, as a dot chart with 95% CIs. Colour-blind-safe (Okabe-Ito),
every series with its own marker symbol, values written beside the ward's markers."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from dashboard.core import chart_style, theme
from dashboard.core.cells import is_missing
from dashboard.core.health import short_name
from dashboard.core.wording import format_value, wrap

SERIES = (  # column prefix, legend name (filled in), colour, symbol, size
    ("", "{ward}", "#d55e00", "diamond", 16),
    ("place_", "{place}", "#000000", "square", 12),
    ("england_", "England", "#0072b2", "circle", 12),
    ("best_", "Best ward ({best})", "#009e73", "triangle-up", 13),
)


def _error(part: pd.DataFrame, prefix: str) -> dict | None:
    lo, hi, value = f"{prefix}lower_ci", f"{prefix}upper_ci", f"{prefix}value"
    if lo not in part or hi not in part or part[lo].isna().all():
        return None
    return {
        "type": "data",
        "symmetric": False,
        "array": (part[hi] - part[value]).fillna(0),
        "arrayminus": (part[value] - part[lo]).fillna(0),
        "thickness": 1.5,
        "width": 5,
    }


def build_comparison_chart(
    rows: pd.DataFrame,
    *,
    label_column: str,
    ward_name: str,
    place_name: str,
    title: str,
    x_title: str,
    show_best: bool = False,
) -> go.Figure:
    """One line per row of ``rows`` (a ``health.compare_rows`` frame, plus best_ward/best_value
    when ``show_best``): the ward's marker with its CI and value, the place's and England's
    (with their CIs where held), and optionally the place's best ward."""
    rows = rows[rows["value"].notna()].reset_index(drop=True)
    labels = [wrap(short_name(str(x)), 26) for x in rows[label_column]]  # the full name is in the table
    fig = go.Figure()
    best_names = sorted({b for b in rows.get("best_ward", pd.Series(dtype=str)) if b})
    for prefix, name, colour, symbol, size in SERIES:
        if prefix == "best_" and not show_best:
            continue
        column = f"{prefix}value"
        if column not in rows or rows[column].isna().all():
            continue
        part = rows.assign(_label=labels)
        part = part[part[column].notna()]
        texts = [
            format_value(v, value_type=str(t), unit="", decimals=int(d))
            for v, t, d in zip(part[column], part["value_type"], part["decimals"], strict=True)
        ]
        legend = name.format(ward=ward_name, place=place_name, best=", ".join(best_names))
        hover_names = part["best_ward"] if prefix == "best_" else [legend] * len(part)
        notes = part["coarser"].fillna("") if prefix == "" and "coarser" in part else [""] * len(part)
        fig.add_trace(
            go.Scatter(
                x=part[column],
                y=part["_label"],
                mode="markers+text" if prefix == "" else "markers",
                text=texts if prefix == "" else None,
                textposition="top center",
                marker={"symbol": symbol, "size": size, "color": colour, "line": {"width": 1, "color": "#333333"}},
                error_x=_error(part, prefix),
                name=legend,
                customdata=list(zip(hover_names, texts, notes, strict=True)),
                hovertemplate="<b>%{customdata[0]}</b>: %{customdata[1]}<br>%{customdata[2]}<extra></extra>",
            )
        )
    fig.update_layout(
        title={"text": wrap(title, 70)},
        xaxis={"title": x_title, "gridcolor": "#eeeeee", "zeroline": False},
        yaxis={"range": [len(rows) - 0.5, -0.9], "title": ""},  # reversed, with room above the first row's label
        height=max(260, 140 + (70 if len(rows) <= 4 else 40) * len(rows)),
        margin={"l": 10, "r": 20, "t": 100, "b": 50},
        font=chart_style.FONT,
        template=theme.TEMPLATE,
        legend=chart_style.TOP_LEGEND,
        plot_bgcolor="#ffffff",
    )
    return fig


def comparison_table(rows: pd.DataFrame, *, label_column: str, place_name: str, ward_name: str) -> pd.DataFrame:
    """The table alternative of a comparison chart: formatted ward, CI, place, England and how
    the ward figure was made; the best ward and the gap when the rows have them."""

    def fmt(v, r):
        return format_value(
            v, value_type=str(r["value_type"]), unit=str(r.get("unit") or ""), decimals=int(r["decimals"])
        )

    records = []
    for r in rows.to_dict("records"):
        ci = (
            ""
            if is_missing(r.get("lower_ci"))
            else f"{fmt(r['lower_ci'], r)} to {fmt(r['upper_ci'], r)}".replace(" years to", " to")
        )
        record = {
            "indicator": r[label_column],
            "period": r.get("period"),
            ward_name: fmt(r["value"], r),
            "95% CI": ci,
            "how the ward figure is made": r.get("coarser") or r.get("ward_method") or "",
            place_name: fmt(r.get("place_value"), r),
            "England": fmt(r.get("england_value"), r),
            "compared with England": r.get("significance"),
        }
        if "best_ward" in r:
            record["best ward"] = f"{r['best_ward']} ({fmt(r['best_value'], r)})" if r["best_ward"] else ""
            record["gap to best (years)"] = "" if is_missing(r["gap_to_best"]) else f"{r['gap_to_best']:.1f}"
        records.append(record)
    return pd.DataFrame(records)
