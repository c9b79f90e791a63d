"""Small charts drawn in SVG by the templates (no script, no CDN): the points and axes placed here, in Python.

Used by the projects' figures, the repairs' impact pages and the talents' own progress; the macro
`templates/_macros/charts.html` draws one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

CHART_WIDTH = 320
CHART_HEIGHT = 140
CHART_PAD = 14
CHART_LEFT = 44  # room for the values of the axis
CHART_BOTTOM = 22  # room for the dates


@dataclass
class Chart:
    """A small line chart drawn in SVG by the template, with its points and axes already placed.

    The value axis always includes zero (a line that starts at its lowest value makes 100 -> 110 look like a tenfold
    rise); the first and last dates are written under the time axis."""

    points: str  # "x,y x,y …" for a polyline
    dots: list[tuple[float, float, date, Decimal]]
    first: date
    last: date
    low: Decimal
    high: Decimal
    latest: Decimal
    axis_low: Decimal  # the values at the bottom and the top of the axis: zero is always between them
    axis_high: Decimal
    zero_y: float  # where the zero line is drawn
    left: int = CHART_LEFT
    right: int = CHART_WIDTH - CHART_PAD
    top: int = CHART_PAD
    bottom: int = CHART_HEIGHT - CHART_BOTTOM
    width: int = CHART_WIDTH
    height: int = CHART_HEIGHT


def line_chart(entries: list[tuple[date, Decimal]], *, top: Decimal | None = None) -> Chart | None:
    """Place dated values on a small chart (dates left to right, values bottom to top, from zero or below); None
    without values. `top`: the top of the value axis when the values have a known maximum (a score out of 4)."""
    if not entries:
        return None
    entries = sorted(entries)
    first, last = entries[0][0], entries[-1][0]
    low = min(v for _, v in entries)
    high = max(v for _, v in entries)
    axis_low, axis_high = min(low, Decimal(0)), max(high, Decimal(0), top if top is not None else Decimal(0))
    if axis_low == axis_high:  # only zeros
        axis_high = Decimal(1)
    span_days = max((last - first).days, 1)
    span_value = axis_high - axis_low
    left, right, top, bottom = CHART_LEFT, CHART_WIDTH - CHART_PAD, CHART_PAD, CHART_HEIGHT - CHART_BOTTOM
    inner_w, inner_h = right - left, bottom - top

    def y_of(value: Decimal) -> float:
        return round(bottom - float((value - axis_low) / span_value) * inner_h, 1)

    dots = []
    for day, value in entries:
        x = left + (inner_w * (day - first).days / span_days if len(entries) > 1 else inner_w / 2)
        dots.append((round(x, 1), y_of(value), day, value))
    return Chart(
        points=" ".join(f"{x},{y}" for x, y, _, _ in dots),
        dots=dots,
        first=first,
        last=last,
        low=low,
        high=high,
        latest=entries[-1][1],
        axis_low=axis_low,
        axis_high=axis_high,
        zero_y=y_of(Decimal(0)),
    )
