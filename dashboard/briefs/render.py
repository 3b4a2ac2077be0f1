"""Draw a ward brief: one A4 page as PDF (reportlab), and that page as PNG (pdftoppm).

The locator map is drawn straight from the ward GeoJSON as vector shapes (no browser, no tiles,
works offline); the spine chart is the dashboard's own plotly figure exported by kaleido
(``dashboard.core.export``). Every piece of text is escaped before reportlab reads it.
"""

from __future__ import annotations

import io
import logging
import math
import re
from xml.sax.saxutils import escape

from reportlab.graphics.shapes import Drawing, Line, Polygon, Rect, String
from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Image, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from dashboard.briefs.content import OGL_ATTRIBUTION, OS_ATTRIBUTION, REGISTER_CAVEAT, BriefContent
from dashboard.core import export, figures, geometry, spine_chart, statistics
from dashboard.core.wording import wrap

log = logging.getLogger(__name__)

PAGE_W, PAGE_H = A4
MARGIN = 10 * mm
CONTENT_W = PAGE_W - 2 * MARGIN
GUTTER = 5 * mm
COL_W = (CONTENT_W - GUTTER) / 2
NUM_W = 66
VERDICT_W = 118
MIN_FONT = 8.0  # the smallest text on the page (A4 legibility)

INK = colors.HexColor("#1a1a1a")
MUTED = colors.HexColor("#4d4d4d")
ACCENT = colors.HexColor("#0072b2")  # Okabe-Ito blue
RULE = colors.HexColor("#bdbdbd")
HEADER_FILL = colors.HexColor("#e8f1f8")
WARD_FILL = colors.HexColor("#0072b2")
OTHER_FILL = colors.HexColor("#e3e3e3")
# Table tints for the significance category (the word is always written too).
SIGNIFICANCE_TINT = {
    statistics.WORSE: colors.HexColor("#f6d2bd"),
    statistics.BETTER: colors.HexColor("#c9e1f2"),
    statistics.SIMILAR: colors.HexColor("#ececec"),
    statistics.HIGHER: colors.HexColor("#dcecf8"),
    statistics.LOWER: colors.HexColor("#dcecf8"),
}

_BASE = ParagraphStyle("base", fontName="Helvetica", fontSize=8.5, leading=10.6, textColor=INK, alignment=TA_LEFT)
STYLES = {
    "title": ParagraphStyle("title", parent=_BASE, fontName="Helvetica-Bold", fontSize=20, leading=23, textColor=INK),
    "subtitle": ParagraphStyle("subtitle", parent=_BASE, fontSize=9.5, leading=12, textColor=MUTED),
    "h2": ParagraphStyle(
        "h2",
        parent=_BASE,
        fontName="Helvetica-Bold",
        fontSize=10.5,
        leading=13,
        textColor=ACCENT,
        spaceBefore=2,
        spaceAfter=2,
    ),
    "body": _BASE,
    "bullet": ParagraphStyle("bullet", parent=_BASE, leftIndent=8, bulletIndent=0, spaceAfter=1.5),
    "cell": ParagraphStyle("cell", parent=_BASE, fontSize=8, leading=9.6),
    "cell_bold": ParagraphStyle("cell_bold", parent=_BASE, fontName="Helvetica-Bold", fontSize=8, leading=9.6),
    "head_right": ParagraphStyle(
        "head_right", parent=_BASE, fontName="Helvetica-Bold", fontSize=8, leading=9.6, alignment=2
    ),
    "cell_right": ParagraphStyle("cell_right", parent=_BASE, fontSize=8, leading=9.6, alignment=2),
    "note": ParagraphStyle("note", parent=_BASE, fontSize=8, leading=9.4, textColor=MUTED),
    "footer": ParagraphStyle("footer", parent=_BASE, fontSize=8, leading=9.4, textColor=MUTED),
}


def _p(text: str, style: str = "body") -> Paragraph:
    return Paragraph(escape(str(text)), STYLES[style])


# --- locator map ----------------------------------------------------------------------------


class LocatorMap(Flowable):
    """The place's wards as grey shapes, the chosen ward filled blue, the place outlined black.

    Longitude is scaled by cos(latitude) so shapes keep their proportions (fine at ward scale)."""

    def __init__(self, wards: dict, outline: dict | None, ward_code: str, *, width: float, height: float) -> None:
        super().__init__()
        self.wards, self.outline, self.ward_code = wards, outline, ward_code
        self.width, self.height = width, height

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return self.width, self.height

    def _projector(self):
        box = geometry.bounds(self.wards) or (0.0, 0.0, 1.0, 1.0)
        min_lon, min_lat, max_lon, max_lat = box
        k = math.cos(math.radians((min_lat + max_lat) / 2))
        span_x = max((max_lon - min_lon) * k, 1e-9)
        span_y = max(max_lat - min_lat, 1e-9)
        pad = 4.0
        scale = min((self.width - 2 * pad) / span_x, (self.height - 2 * pad) / span_y)
        off_x = (self.width - span_x * scale) / 2
        off_y = (self.height - span_y * scale) / 2
        return lambda lon, lat: (off_x + (lon - min_lon) * k * scale, off_y + (lat - min_lat) * scale)

    def _shapes(self, collection: dict, codes: list[str] | None, **style) -> list[Polygon]:
        project = self._projector()
        shapes = []
        for feature in collection.get("features", []):
            if codes is not None and feature.get("properties", {}).get("area_code") not in codes:
                continue
            for ring in geometry.rings(feature.get("geometry")):
                points = [c for lon, lat in ring for c in project(lon, lat)]
                if len(points) >= 6:
                    shapes.append(Polygon(points, **style))
        return shapes

    def drawing(self) -> Drawing:
        d = Drawing(self.width, self.height)
        others = [
            f.get("properties", {}).get("area_code")
            for f in self.wards.get("features", [])
            if f.get("properties", {}).get("area_code") != self.ward_code
        ]
        for shape in self._shapes(self.wards, others, fillColor=OTHER_FILL, strokeColor=colors.white, strokeWidth=0.7):
            d.add(shape)
        if self.outline and self.outline.get("features"):
            for shape in self._shapes(self.outline, None, fillColor=None, strokeColor=INK, strokeWidth=1.1):
                d.add(shape)
        for shape in self._shapes(self.wards, [self.ward_code], fillColor=WARD_FILL, strokeColor=INK, strokeWidth=1.0):
            d.add(shape)
        return d

    def draw(self) -> None:
        self.drawing().drawOn(self.canv, 0, 0)


def _legend_key(width: float, ward_name: str, place_name: str) -> Drawing:
    d = Drawing(width, 12)
    d.add(Rect(0, 2, 9, 8, fillColor=WARD_FILL, strokeColor=INK, strokeWidth=0.6))
    d.add(String(12, 3, ward_name, fontName="Helvetica", fontSize=8, fillColor=INK))
    x = 16 + len(ward_name) * 4.6
    d.add(Rect(x, 2, 9, 8, fillColor=OTHER_FILL, strokeColor=colors.white))
    d.add(String(x + 12, 3, "other wards", fontName="Helvetica", fontSize=8, fillColor=INK))
    x2 = x + 64
    d.add(Line(x2, 6, x2 + 10, 6, strokeColor=INK, strokeWidth=1.1))
    d.add(String(x2 + 13, 3, f"{place_name} boundary", fontName="Helvetica", fontSize=8, fillColor=INK))
    return d


# --- spine chart ----------------------------------------------------------------------------

SPINE_PX_WIDTH = 860  # CSS px drawn across the page width: 13 px text prints at about 8.1 pt
SPINE_FONT_PX = 13
SPINE_ROW_PX = 25
SPINE_LABEL_CHARS = 52  # labels on one line


def spine_aspect(n_rows: int) -> float:
    """Height / width of the spine image for ``n_rows`` rows (known before drawing it)."""
    return (46 + SPINE_ROW_PX * n_rows) / SPINE_PX_WIDTH


def spine_png(content: BriefContent) -> tuple[bytes, float] | None:
    """The profile's spine chart for the brief's rows, restyled for print: (PNG, aspect h/w).

    The value labels move from beside the markers (where whiskers cross them) into an aligned
    column on the right; everything else (markers, colours, classification) is the profile's."""
    if content.spine.empty:
        return None
    fig = spine_chart.build_spine_chart(content.spine, ward_name=content.ward_name, place_name=content.place_name)
    n = len(content.spine)
    height = round(spine_aspect(n) * SPINE_PX_WIDTH)
    # One line per label (the profile wraps at 34 characters for a narrower chart).
    relabel = {wrap(str(n), 34): wrap(str(n), SPINE_LABEL_CHARS) for n in content.spine["name"]}
    labels = []
    for trace in fig.data:
        if trace.y is not None:
            trace.y = [relabel.get(y, y) for y in trace.y]
        if getattr(trace, "mode", None) == "markers+text" and trace.text is not None:
            labels += list(zip(trace.y, trace.text, strict=False))
            trace.mode = "markers"
    for y, text in labels:
        fig.add_annotation(
            x=1.0,
            xref="paper",
            xanchor="left",
            xshift=8,
            y=y,
            yref="y",
            text=str(text).replace(" · ", " · "),
            showarrow=False,
            align="left",
            font={"size": SPINE_FONT_PX, "color": "#1a1a1a"},
        )
    fig.layout.annotations = [a for a in fig.layout.annotations if a.text != "England = 100"]
    fig.update_layout(
        title={"text": ""},
        font={"size": SPINE_FONT_PX},
        height=height,
        width=SPINE_PX_WIDTH,
        margin={"l": 6, "r": 165, "t": 6, "b": 40},
        showlegend=False,  # the caption under the chart says what each marker means, in words
        xaxis={
            "title": {
                "text": "Ward value as % of England's (England = 100, black line); whiskers: 95% confidence interval",
                "font": {"size": SPINE_FONT_PX},
                "standoff": 4,
            }
        },
        paper_bgcolor="#ffffff",
    )
    fig.update_yaxes(categoryarray=[relabel.get(y, y) for y in fig.layout.yaxis.categoryarray])
    fig.update_traces(marker={"size": 11}, selector={"type": "scatter", "mode": "markers"})
    fig.update_traces(marker={"size": 20}, selector={"name": content.place_name})
    png = export.figure_png(fig, width=SPINE_PX_WIDTH, height=height, scale=3)
    return png, height / SPINE_PX_WIDTH


# --- tables ---------------------------------------------------------------------------------


def _grid(
    rows: list[list], widths: list[float], *, tints: list[tuple[int, int, colors.Color]] = (), header: bool = True
) -> Table:
    table = Table(rows, colWidths=widths, hAlign="LEFT", repeatRows=0)
    style = [
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ("TOPPADDING", (0, 0), (-1, -1), 1.6),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 1.6),
        ("LINEBELOW", (0, 0), (-1, -1), 0.3, RULE),
    ]
    if header:
        style += [("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL), ("LINEBELOW", (0, 0), (-1, 0), 0.8, ACCENT)]
    for col, row, tint in tints:
        style.append(("BACKGROUND", (col, row), (col, row), tint))
    table.setStyle(TableStyle(style))
    return table


def headline_table(content: BriefContent, width: float) -> Table:
    ward_head = (
        content.ward_name if len(content.ward_name) <= 11 else "Ward"
    )  # a long name would wrap in a number column
    head = [
        _p("Indicator", "cell_bold"),
        _p(ward_head, "head_right"),
        _p(content.place_name, "head_right"),
        _p("England", "head_right"),
        _p(f"{ward_head} compared*", "cell_bold"),
    ]
    rows, tints = [head], []
    for i, r in enumerate(content.headline_rows, start=1):
        label = figures.SIGNIFICANCE_STYLE.get(r.significance, {}).get("label", r.significance)
        if r.significance in (statistics.NOT_COMPARED, statistics.MISSING):
            verdict = "not tested" if r.significance == statistics.NOT_COMPARED else "missing"
        else:
            verdict = label.lower() + ("" if r.compared_with in ("England", "") else f" (vs {r.compared_with})")
        rows.append(
            [
                _p(r.label, "cell"),
                _p(r.ward, "cell_right"),
                _p(r.place, "cell_right"),
                _p(r.england, "cell_right"),
                _p(verdict, "cell"),
            ]
        )
        if r.significance in SIGNIFICANCE_TINT:
            tints.append((4, i, SIGNIFICANCE_TINT[r.significance]))
    fixed = [NUM_W, NUM_W, NUM_W, VERDICT_W]
    return _grid(rows, [width - sum(fixed), *fixed], tints=tints)


def imd_table(content: BriefContent, width: float) -> Table:
    head = [
        _p(f"{content.ward_name} (IoD2019 and IoD2025)", "cell_bold"),
        _p("2019", "head_right"),
        _p("2025", "head_right"),
        _p(f"{content.place_name} 2025", "head_right"),
        _p("England 2025", "head_right"),
    ]
    rows = [head] + [[_p(r[0], "cell"), *(_p(c, "cell_right") for c in r[1:])] for r in content.imd_rows]
    fixed = [NUM_W, NUM_W, NUM_W, VERDICT_W]
    return _grid(rows, [width - sum(fixed), *fixed])


def activity_block(content: BriefContent, width: float) -> list:
    out: list = [_p("Partner activity (register)", "h2")]
    if not content.register_available:
        out.append(_p("The partner register could not be read when this brief was made; none recorded here.", "body"))
    elif content.activity_total == 0:
        out.append(_p(f"None recorded for {content.ward_name}.", "body"))
    else:
        rows = [[_p("Organisation", "cell_bold"), _p("Activity", "cell_bold"), _p("Status", "cell_bold")]]
        rows += [
            [_p(a["organisation"], "cell"), _p(a["title"], "cell"), _p(a["status"], "cell")] for a in content.activities
        ]
        out.append(_grid(rows, [width * 0.36, width * 0.46, width * 0.18]))
        more = content.activity_total - len(content.activities)
        out.append(
            _p(
                f"{content.activity_total} activit{'y' if content.activity_total == 1 else 'ies'} recorded"
                + (f"; {more} more in the dashboard." if more > 0 else "."),
                "note",
            )
        )
    out.append(_p(REGISTER_CAVEAT, "note"))
    return out


SINGULAR = {"GP practices": "GP practice", "pharmacies": "pharmacy"}


def sites_block(content: BriefContent, width: float) -> list:
    out: list = [_p("Partner sites in the ward", "h2")]
    if content.sites.empty:
        out.append(_p(f"No GP practices or pharmacies are recorded in {content.ward_name}.", "body"))
        return out
    out.append(
        _p(
            ", ".join(f"{n} {k if n != 1 else SINGULAR.get(k, k)}" for k, n in content.site_counts.items()) + ".",
            "body",
        )
    )
    kinds = {"gp_practice": "GP practice", "pharmacy": "Pharmacy"}
    rows = [[_p("Name", "cell_bold"), _p("Type", "cell_bold"), _p("Postcode", "cell_bold")]]
    rows += [
        [_p(s["name"], "cell"), _p(kinds.get(s["kind"], str(s["kind"])), "cell"), _p(s["postcode"], "cell")]
        for s in content.sites.to_dict("records")
    ]
    out.append(_grid(rows, [width * 0.56, width * 0.24, width * 0.20]))
    total = sum(content.site_counts.values())
    if total > len(content.sites):
        out.append(_p(f"and {total - len(content.sites)} more (see the dashboard).", "note"))
    return out


def _two_columns(left: list, right: list, *, left_w: float = COL_W, right_w: float = COL_W) -> Table:
    table = Table([[left, right]], colWidths=[left_w, right_w + GUTTER], hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("LEFTPADDING", (1, 0), (1, 0), GUTTER),
                ("TOPPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    return table


# --- page -----------------------------------------------------------------------------------


def _footer_text(content: BriefContent) -> list:
    licences = [x for x in content.licences if x and x.lower() != "nan"]
    other = sorted({x.split(";")[0].strip() for x in licences} - {"OGL-3.0"})
    # The OS attribution with the year(s) the sources state (boundaries, postcodes).
    years = sorted({m for x in licences for m in re.findall(r"Crown copyright and database right (\d{4})", x)})
    attribution = OGL_ATTRIBUTION + (" " + OS_ATTRIBUTION.format(year=", ".join(years)) if years else "")
    if other:
        attribution += " Other licences: " + "; ".join(other) + "."
    return [
        _p("Sources: " + "; ".join(content.sources) + ".", "footer"),
        _p(
            f"{attribution} Ward figures are estimates from small-area data (method notes: the dashboard's Data and "
            "sources page). "
            f"Data built {content.built}.",
            "footer",
        ),
    ]


def story(content: BriefContent, tidy_boundaries: dict, *, spine: tuple[bytes | None, float] | None) -> list:
    s: list = []
    s.append(_p(f"{content.ward_name} ward", "title"))
    s.append(
        _p(
            f"{content.place_name} · ward brief · {content.ward_code} · about {content.population_text} residents · "
            f"IMD 2025 decile {content.imd_decile_text} · data built {content.built}",
            "subtitle",
        )
    )
    s.append(Spacer(1, 3))
    s.append(Table([[""]], colWidths=[CONTENT_W], rowHeights=[1.2], style=[("BACKGROUND", (0, 0), (-1, -1), ACCENT)]))
    s.append(Spacer(1, 5))

    map_w = 48 * mm
    text_w = CONTENT_W - map_w - GUTTER
    left = [
        LocatorMap(
            tidy_boundaries.get("ward", {}),
            tidy_boundaries.get("lad"),
            content.ward_code,
            width=map_w,
            height=map_w * 1.05,
        ),
        Spacer(1, 2),
        _p(f"{content.ward_name} (blue) within {content.place_name}.", "note"),
    ]
    right: list = [_p("At a glance", "h2")]
    right += [_p(sentence, "bullet") for sentence in content.summary[:3]]
    right.append(_p("Top needs (significantly worse than the comparator)", "h2"))
    if content.needs:
        right += [Paragraph(escape(n), STYLES["bullet"], bulletText="•") for n in content.needs]
    else:
        right.append(_p("No indicator is significantly worse than England or the place.", "body"))
    s.append(_two_columns(left, right, left_w=map_w, right_w=text_w))
    s.append(Spacer(1, 5))

    s.append(_p("Headline figures", "h2"))
    s.append(headline_table(content, CONTENT_W))
    s.append(
        _p(
            "* Against England where England has a figure, else against the place, using the 95% confidence "
            "interval; – = no figure.",
            "note",
        )
    )
    s.append(Spacer(1, 3))
    s.append(_p("Deprivation: Index of Multiple Deprivation 2019 and 2025", "h2"))
    s.append(imd_table(content, CONTENT_W))
    s.append(_p(" ".join(content.imd_notes), "note"))
    s.append(Spacer(1, 3))

    if spine is not None:
        png, aspect = spine
        s.append(_p(f"How {content.ward_name} compares with England and {content.place_name}", "h2"))
        # png None: a stand-in of the same size, to find the layout that fits before drawing the chart
        s.append(
            Image(io.BytesIO(png), width=CONTENT_W, height=CONTENT_W * aspect)
            if png
            else Spacer(CONTENT_W, CONTENT_W * aspect)
        )
        s.append(
            _p(
                "Orange diamond = significantly worse than England, blue circle = better, grey square = similar, "
                "light-blue triangle = higher/lower "
                f"(neither better nor worse); black bar = {content.place_name}. Deprivation is in the IMD table.",
                "note",
            )
        )
        s.append(Spacer(1, 4))
    s.append(_two_columns(activity_block(content, COL_W), sites_block(content, COL_W)))
    s.append(Spacer(1, 5))
    s.append(Table([[""]], colWidths=[CONTENT_W], rowHeights=[0.6], style=[("BACKGROUND", (0, 0), (-1, -1), RULE)]))
    s.append(Spacer(1, 2))
    s += _footer_text(content)
    return s


def render_pdf(
    content: BriefContent, boundaries: dict, *, spine: tuple[bytes | None, float] | None
) -> tuple[bytes, int]:
    """The brief as PDF bytes and its number of pages."""
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN,
        title=f"{content.ward_name} ward brief ({content.place_name})",
        author="Place Insight",
        subject=f"Ward brief for {content.ward_name} ({content.ward_code}), data built {content.built}",
    )
    doc.build(story(content, boundaries, spine=spine))
    return buffer.getvalue(), doc.page
