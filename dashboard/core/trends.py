"""Trends: a ward against the place and England over every period an indicator has, as a
frame and as a line chart with the periods as categories (never dates) and the 95% CIs as
error bars where they exist. Pure pandas and plotly."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from dashboard.core import chart_style, periods, selection, theme
from dashboard.core.cells import is_missing
from dashboard.core.tidy_tables import ENGLAND_CODE, Tidy
from dashboard.core.wording import format_value, legend_title, wrap

# Indicators published under one id per edition that still make a comparable series (the one
# curated list): series id -> ((indicator id, period label), ...). IMD scores of 2019 and 2025
# use different neighbourhood boundaries and indicators: the chart's note says to compare with care.
CROSS_ID_SERIES: dict[str, tuple[tuple[str, str], ...]] = {
    "imd_score": (("imd2019_score", "2019"), ("imd2025_score", "2025")),
}
SERIES_NOTES = {
    "imd_score": "IoD 2019 used 2011 neighbourhoods and IoD 2025 those of 2021, and some indicators changed: "
    "compare the direction, not small differences.",
}
STYLE = {  # series -> colour (Okabe-Ito), marker, dash
    "ward": ("#d55e00", "diamond", "solid"),
    "place": ("#000000", "square", "dash"),
    "england": ("#0072b2", "circle", "dot"),
}
TREND_COLUMNS = [
    "series",
    "label",
    "area_code",
    "indicator_id",
    "period",
    "value",
    "lower_ci",
    "upper_ci",
    "value_note",
]


def trend_ids(tidy: Tidy) -> list[str]:
    """Indicators with more than one period among the place's ward rows (else its district
    rows), plus the cross-edition series whose parts all exist: ids in topic-then-name order."""
    wards = selection.place_wards(tidy)["area_code"].tolist()
    v = tidy.values
    ward_counts = v[(v["area_type"] == "ward") & v["area_code"].isin(wards)].groupby("indicator_id")["period"].nunique()
    ids = set(ward_counts[ward_counts > 1].index)
    meta = tidy.indicators.set_index("indicator_id")
    ordered = sorted(ids & set(meta.index), key=lambda i: (str(meta.at[i, "topic"]), str(meta.at[i, "name"])))
    known = set(meta.index)
    ordered += [s for s, parts in CROSS_ID_SERIES.items() if all(i in known for i, _ in parts)]
    return ordered


def series_meta(tidy: Tidy, series_id: str) -> dict:
    """Indicator metadata for a trend (a cross-edition series takes its latest edition's, named plainly)."""
    if series_id in CROSS_ID_SERIES:
        parts = CROSS_ID_SERIES[series_id]
        meta = selection.indicator_meta(tidy, parts[-1][0])
        name = str(meta["name"])
        for _, label in parts:
            name = name.replace(f" {label}", "")
        return {**meta, "indicator_id": series_id, "name": name, "note": SERIES_NOTES.get(series_id, "")}
    return {**selection.indicator_meta(tidy, series_id), "note": ""}


def trend_frame(tidy: Tidy, series_id: str, *, ward: str, ward_name: str) -> pd.DataFrame:
    """Long frame: one row per (series: the ward, the place, England) and period, in time order."""
    areas = [(ward, "ward", ward_name), (tidy.lad_code, "place", tidy.place_name), (ENGLAND_CODE, "england", "England")]
    codes = [a for a, _, _ in areas]
    if series_id in CROSS_ID_SERIES:
        parts = [
            periods.series(tidy, indicator_id, codes=codes).assign(period=label)
            for indicator_id, label in CROSS_ID_SERIES[series_id]
        ]
        rows = pd.concat(parts, ignore_index=True)
    else:
        rows = periods.series(tidy, series_id, codes=codes)
    out = []
    for code, key, label in areas:
        part = rows[rows["area_code"] == code]
        if code == ward:
            part = part[part["area_type"] == "ward"]
        out.append(part.assign(series=key, label=label))
    frame = pd.concat(out, ignore_index=True) if out else pd.DataFrame(columns=TREND_COLUMNS)
    return frame.reindex(columns=TREND_COLUMNS).reset_index(drop=True)


def build_trend_chart(frame: pd.DataFrame, *, meta: dict, title: str, height: int = 380) -> go.Figure:
    """Lines for the ward, the place and England across periods (categories in time order),
    CIs as error bars where held; each series has its own colour, marker and dash."""
    order = periods.ordered_periods(frame["period"])
    t, u, d = str(meta.get("value_type")), str(meta.get("unit") or ""), int(meta.get("decimals") or 0)
    fig = go.Figure()
    for key, (colour, symbol, dash) in STYLE.items():
        part = frame[(frame["series"] == key) & frame["value"].notna()]
        if part.empty:
            continue
        has_ci = part["lower_ci"].notna().any()
        fig.add_trace(
            go.Scatter(
                x=part["period"].astype(str),
                y=part["value"],
                mode="lines+markers",
                name=str(part["label"].iloc[0]),
                line={"color": colour, "dash": dash, "width": 3 if key == "ward" else 2},
                marker={"symbol": symbol, "size": 11 if key == "ward" else 9, "color": colour},
                error_y={
                    "type": "data",
                    "symmetric": False,
                    "array": (part["upper_ci"] - part["value"]).fillna(0),
                    "arrayminus": (part["value"] - part["lower_ci"]).fillna(0),
                    "color": colour,
                    "thickness": 1.5,
                    "width": 4,
                }
                if has_ci
                else None,
                customdata=[format_value(v, value_type=t, unit=u, decimals=d) for v in part["value"]],
                hovertemplate=f"<b>{part['label'].iloc[0]}</b> %{{x}}: %{{customdata}}<extra></extra>",
            )
        )
    fig.update_layout(
        title={"text": wrap(title, 70)},
        xaxis={"type": "category", "categoryorder": "array", "categoryarray": order, "title": ""},
        yaxis={"title": legend_title(meta).replace("<br>", " "), "gridcolor": "#eeeeee", "zeroline": True},
        height=height,
        margin={"l": 10, "r": 20, "t": 90, "b": 40},
        font=chart_style.FONT,
        template=theme.TEMPLATE,
        legend=chart_style.TOP_LEGEND,
        plot_bgcolor="#ffffff",
    )
    return fig


def trend_table(frame: pd.DataFrame, *, meta: dict) -> pd.DataFrame:
    """The chart's table alternative: period by area, formatted, with the CI where held."""
    t, u, d = str(meta.get("value_type")), str(meta.get("unit") or ""), int(meta.get("decimals") or 0)
    shown = frame.assign(
        figure=[
            format_value(v, value_type=t, unit=u, decimals=d)
            + (
                f" ({format_value(lo, value_type=t, decimals=d)} to {format_value(hi, value_type=t, decimals=d)})"
                if not is_missing(lo) and not is_missing(hi)
                else ""
            )
            for v, lo, hi in zip(frame["value"], frame["lower_ci"], frame["upper_ci"], strict=True)
        ]
    )
    wide = shown.pivot_table(index="period", columns="label", values="figure", aggfunc="first")
    wide = wide.reindex(periods.ordered_periods(frame["period"]))
    labels = list(dict.fromkeys(frame["label"]))
    return wide.reindex(columns=labels).reset_index()
