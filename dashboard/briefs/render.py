"""Draw a ward brief: one A4 page as PDF (reportlab); ``briefs.png`` turns it into a PNG.

The locator map is drawn straight from the ward GeoJSON as vector shapes, with the ward's name
on it (no browser, no tiles, works offline); the comparison is a table with the spine chart
drawn beside it, row by row, as vector shapes (Fingertips style), so every indicator's name is
text at 8 pt or more. Every piece of text is escaped before reportlab reads it.
"""

from __future__ import annotations

import io
import logging
import math
import re
from xml.sax.saxutils import escape

from reportlab.graphics.shapes import Drawing, Line, Polygon, Rect, String
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from dashboard.briefs.comparison import comparison_table
from dashboard.briefs.content import OGL_ATTRIBUTION, OS_ATTRIBUTION, REGISTER_CAVEAT, BriefContent
from dashboard.briefs.style import (
    ACCENT,
    INK,
    MIN_FONT,
    OTHER_FILL,
    RULE,
    STYLES,
    WARD_FILL,
)
from dashboard.briefs.style import grid as _grid
from dashboard.briefs.style import para as _p
from dashboard.core import geometry

log = logging.getLogger(__name__)

PAGE_W, PAGE_H = A4
MARGIN = 10 * mm
CONTENT_W = PAGE_W - 2 * MARGIN
GUTTER = 5 * mm
COL_W = (CONTENT_W - GUTTER) / 2
NUM_W = 66
VERDICT_W = 118

# --- locator map ----------------------------------------------------------------------------


class LocatorMap(Flowable):
    """The place's wards as grey shapes, the chosen ward filled blue, the place outlined black.

    Longitude is scaled by cos(latitude) so shapes keep their proportions (fine at ward scale)."""

    def __init__(
        self, wards: dict, outline: dict | None, ward_code: str, *, width: float, height: float, ward_name: str = ""
    ) -> None:
        super().__init__()
        self.wards, self.outline, self.ward_code, self.ward_name = wards, outline, ward_code, ward_name
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
        self._name(d)
        return d

    def _name(self, d: Drawing) -> None:
        """The ward's name on a white label inside its shape (kept within the map's frame)."""
        point = geometry.label_points(self.wards, [self.ward_code]).get(self.ward_code)
        name = str(self.ward_name or "")
        if point is None or not name:
            return
        x, y = self._projector()(*point)
        text_w = stringWidth(name, "Helvetica-Bold", MIN_FONT + 0.5)
        px, py = x, y
        x = min(max(x, text_w / 2 + 2), self.width - text_w / 2 - 2)
        y = min(max(y + 9, 6), self.height - 8)  # above the ward, so the label never hides a small ward
        d.add(Line(px, py, px, y - 3, strokeColor=INK, strokeWidth=0.6))
        d.add(
            Rect(
                x - text_w / 2 - 1.5, y - 3, text_w + 3, 10.5, fillColor=colors.white, strokeColor=INK, strokeWidth=0.5
            )
        )
        d.add(
            String(x, y, name, fontName="Helvetica-Bold", fontSize=MIN_FONT + 0.5, fillColor=INK, textAnchor="middle")
        )

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


# --- tables ---------------------------------------------------------------------------------


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


def story(content: BriefContent, tidy_boundaries: dict) -> list:
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
            ward_name=content.ward_name,
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

    s.append(_p(f"How {content.ward_name} compares with {content.place_name} and England", "h2"))
    s.append(comparison_table(content, CONTENT_W))
    s.append(
        _p(
            "* Against England where England has a figure, else against the place, using the 95% confidence "
            "interval; – = no figure. Marker: orange diamond = significantly worse, blue circle = better, grey "
            "square = similar, light-blue triangle = higher/lower (neither better nor worse), open circle = not "
            f"tested; whisker = 95% confidence interval; black bar = {content.place_name}; an arrow = beyond the "
            "scale.",
            "note",
        )
    )
    s.append(Spacer(1, 3))
    s.append(_p("Deprivation: Index of Multiple Deprivation 2019 and 2025", "h2"))
    s.append(imd_table(content, CONTENT_W))
    s.append(_p(" ".join(content.imd_notes), "note"))
    s.append(Spacer(1, 4))
    s.append(_two_columns(activity_block(content, COL_W), sites_block(content, COL_W)))
    s.append(Spacer(1, 5))
    s.append(Table([[""]], colWidths=[CONTENT_W], rowHeights=[0.6], style=[("BACKGROUND", (0, 0), (-1, -1), RULE)]))
    s.append(Spacer(1, 2))
    s += _footer_text(content)
    return s


def render_pdf(content: BriefContent, boundaries: dict) -> tuple[bytes, int]:
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
    doc.build(story(content, boundaries))
    return buffer.getvalue(), doc.page
