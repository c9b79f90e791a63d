"""Bar charts drawn on the server as SVG: no script, no CDN; readable without colour (each series has its own
pattern and every bar carries its value in words), with a title and a text description for screen readers.

Hand-written rather than a charting library: the page needs one kind of chart (horizontal bars, one to five
series), and writing it here keeps full control of the patterns, the labels and the accessible text (a library
such as pygal adds scripts and colour-only series, which the page would have to undo), for about a hundred lines.
"""

from __future__ import annotations

from markupsafe import Markup, escape

from repairlab.reporting.formatting import display
from repairlab.reporting.registry import Table

WIDTH = 640
LABEL_W = 190
VALUE_W = 80
BAR_H = 14
GAP = 12
LEGEND_H = 22
LABEL_CHARS = 30
MAX_DESC_ROWS = 25

# (fill of the pattern's ground, what is drawn on it) for each series: solid, stripes, dots, grid, light.
PATTERNS = (
    ('<rect width="8" height="8" fill="#1f4e8c"/>'),
    (
        '<rect width="8" height="8" fill="#fff"/>'  # stripes
        + '<path d="M-2,2 l4,-4 M0,8 l8,-8 M6,10 l4,-4" stroke="#a34a00" stroke-width="2"/>'
    ),
    ('<rect width="8" height="8" fill="#fff"/><circle cx="4" cy="4" r="1.8" fill="#2e6b30"/>'),
    ('<rect width="8" height="8" fill="#fff"/><path d="M0,4 h8 M4,0 v8" stroke="#6b2e6b" stroke-width="1.5"/>'),
    ('<rect width="8" height="8" fill="#d9d9d9"/>'),
)


def _short(text: str) -> str:
    return text if len(text) <= LABEL_CHARS else text[: LABEL_CHARS - 1] + "…"


def bar_chart(table: Table, key: str) -> Markup | None:
    """The table drawn as grouped horizontal bars (one group per row), or None when it has no chart or no rows."""
    spec = table.chart
    if spec is None or not table.rows:
        return None
    series = [table.columns[i] for i in spec.series_columns][: len(PATTERNS)]
    rows = [
        (
            " – ".join(str(row[i]) for i in spec.label_columns),
            [row[i] for i in spec.series_columns][: len(PATTERNS)],
        )
        for row in table.rows
    ]
    values = [float(v) for _label, vals in rows for v in vals if v is not None]
    top = max(values, default=0) or 1
    uid = f"chart-{key}"  # the key is unique on the page: section and table
    legend_items, legend = _legend(series)
    group_h = len(series) * BAR_H + GAP
    height = legend + len(rows) * group_h + 4
    bar_w = WIDTH - LABEL_W - VALUE_W
    out = [
        f'<svg class="chart" viewBox="0 0 {WIDTH} {height}" width="100%" role="img" '
        f'aria-labelledby="{uid}-t {uid}-d" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{uid}-t">{escape(table.title)}</title>',
        f'<desc id="{uid}-d">{escape(_description(rows, series))}</desc>',
        "<defs>",
        *(
            f'<pattern id="{uid}-p{i}" width="8" height="8" patternUnits="userSpaceOnUse">{PATTERNS[i]}</pattern>'
            for i in range(len(series))
        ),
        "</defs>",
    ]
    for i, (x, y, label) in enumerate(legend_items):
        out.append(
            f'<rect x="{x}" y="{y + 4}" width="14" height="14" fill="url(#{uid}-p{i})" stroke="#000" stroke-width="1"/>'
        )
        out.append(f'<text x="{x + 19}" y="{y + 16}" font-size="12">{escape(label)}</text>')
    for n, (label, vals) in enumerate(rows):
        y = legend + n * group_h
        out.append(
            f'<text x="{LABEL_W - 6}" y="{y + len(series) * BAR_H / 2 + 4:.0f}" font-size="12" text-anchor="end">'
            f"<title>{escape(label)}</title>{escape(_short(label))}</text>"
        )
        for i, (value, column) in enumerate(zip(vals, series, strict=True)):
            by = y + i * BAR_H
            width = 0 if value is None else max(float(value), 0) / top * bar_w
            if width > 0:
                out.append(
                    f'<rect x="{LABEL_W}" y="{by + 1}" width="{width:.1f}" height="{BAR_H - 2}" '
                    f'fill="url(#{uid}-p{i})" stroke="#000" stroke-width="0.8"/>'
                )
            out.append(
                f'<text x="{LABEL_W + width + 4:.1f}" y="{by + BAR_H - 3}" font-size="11">'
                f"{escape(display(value, column.kind))}</text>"
            )
    out.append(f'<line x1="{LABEL_W}" y1="{legend}" x2="{LABEL_W}" y2="{height - 2}" stroke="#000"/>')
    out.append("</svg>")
    return Markup("".join(out))


def _legend(series) -> tuple[list[tuple[int, int, str]], int]:
    """Where each series' swatch and name go (wrapping onto more lines), and the legend's height; none for one."""
    if len(series) < 2:
        return [], 0
    items, x, y = [], 0, 0
    for column in series:
        label = str(column.label)
        width = 34 + 7 * len(label)
        if x and x + width > WIDTH:
            x, y = 0, y + LEGEND_H
        items.append((x, y, label))
        x += width
    return items, y + LEGEND_H


def _description(rows, series) -> str:
    parts = []
    for label, vals in rows[:MAX_DESC_ROWS]:
        values = ", ".join(f"{c.label} {display(v, c.kind)}" for v, c in zip(vals, series, strict=True))
        parts.append(f"{label}: {values}")
    return "; ".join(parts) + ("; …" if len(rows) > MAX_DESC_ROWS else "")
