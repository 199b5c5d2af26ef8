"""Simple drawn figures (reportlab shapes): journals' figures put stray text on the page,
and the extractor has to cope with it, so these carry a few labels of their own."""
from __future__ import annotations

from reportlab.graphics.shapes import Circle, Drawing, Ellipse, Line, Polygon, Rect, String
from reportlab.lib import colors

INK = colors.HexColor("#333333")


def face(width: float, spots: list[tuple[float, float, float]]) -> Drawing:
    """A frontal face outline with nodules at (x, y, r) given in 0..1 face coordinates."""
    h = width * 0.62
    d = Drawing(width, h)
    cx, cy, rx, ry = width / 2, h / 2, h * 0.34, h * 0.45
    d.add(Ellipse(cx, cy, rx, ry, strokeColor=INK, fillColor=colors.HexColor("#f3e6da")))
    for dx in (-0.35, 0.35):
        d.add(Ellipse(cx + dx * rx, cy + 0.2 * ry, rx * 0.14, ry * 0.06, strokeColor=INK, fillColor=colors.white))
    d.add(Line(cx - 0.25 * rx, cy - 0.45 * ry, cx + 0.25 * rx, cy - 0.45 * ry, strokeColor=INK))
    for x, y, r in spots:
        d.add(Circle(cx + (x - 0.5) * 2 * rx, cy + (y - 0.5) * 2 * ry, r * rx, strokeColor=INK,
                     fillColor=colors.HexColor("#fdfdfd")))
    d.add(String(cx - rx - 16, cy, "R", fontName="Helvetica", fontSize=7, fillColor=INK))
    d.add(String(cx + rx + 10, cy, "L", fontName="Helvetica", fontSize=7, fillColor=INK))
    return d


def bars(width: float, labels: list[str], values: list[float], unit: str) -> Drawing:
    """A bar chart with value labels, e.g. lesion size or ulcer area over time."""
    h = width * 0.55
    d = Drawing(width, h)
    x0, y0, top = 28, 22, h - 10
    span = (width - x0 - 6) / len(values)
    vmax = max(values) or 1
    d.add(Line(x0, y0, width - 4, y0, strokeColor=INK))
    d.add(Line(x0, y0, x0, top, strokeColor=INK))
    d.add(String(2, top - 2, unit, fontName="Helvetica", fontSize=6.5, fillColor=INK))
    for i, (lab, v) in enumerate(zip(labels, values)):
        bh = (top - y0 - 12) * v / vmax
        x = x0 + i * span + span * 0.2
        d.add(Rect(x, y0, span * 0.6, bh, strokeColor=INK, fillColor=colors.HexColor("#8fb3c4")))
        d.add(String(x + span * 0.3, y0 + bh + 2, f"{v:g}", fontName="Helvetica", fontSize=6.5,
                     textAnchor="middle", fillColor=INK))
        d.add(String(x + span * 0.3, y0 - 9, lab, fontName="Helvetica", fontSize=6.5,
                     textAnchor="middle", fillColor=INK))
    return d


def timeline(width: float, events: list[tuple[str, str]]) -> Drawing:
    """Events on a horizontal arrow, labels alternating above and below."""
    h = 70
    d = Drawing(width, h)
    y = h / 2
    d.add(Line(6, y, width - 10, y, strokeColor=INK, strokeWidth=1.2))
    d.add(Polygon([width - 10, y + 4, width - 2, y, width - 10, y - 4], fillColor=INK, strokeColor=INK))
    step = (width - 30) / max(len(events) - 1, 1)
    for i, (when, what) in enumerate(events):
        x = 12 + i * step
        d.add(Circle(x, y, 3, fillColor=colors.HexColor("#b5523b"), strokeColor=INK))
        up = i % 2 == 0
        d.add(String(x, y + (10 if up else -16), when, fontName="Helvetica-Bold", fontSize=6.5,
                     textAnchor="middle", fillColor=INK))
        d.add(String(x, y + (20 if up else -26), what, fontName="Helvetica", fontSize=6.5,
                     textAnchor="middle", fillColor=INK))
    return d


def limb(width: float, label: str) -> Drawing:
    """An outline of a forearm with a shaded lesion, for site diagrams."""
    h = width * 0.4
    d = Drawing(width, h)
    d.add(Rect(10, h * 0.3, width - 40, h * 0.4, rx=h * 0.2, ry=h * 0.2, strokeColor=INK,
               fillColor=colors.HexColor("#f3e6da")))
    d.add(Ellipse(width * 0.45, h * 0.5, width * 0.09, h * 0.12, strokeColor=INK,
                  fillColor=colors.HexColor("#c98f7a")))
    d.add(Line(width * 0.45, h * 0.62, width * 0.6, h * 0.9, strokeColor=INK))
    d.add(String(width * 0.61, h * 0.88, label, fontName="Helvetica", fontSize=6.5, fillColor=INK))
    return d


DRAW = {"face": face, "bars": bars, "timeline": timeline, "limb": limb}
