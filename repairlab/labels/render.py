"""Render QR labels as PNG, SVG and vector PDF sheets; pure functions, independent of Flask."""

from __future__ import annotations

import functools
import io
import threading
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

from PIL import Image, ImageDraw, ImageFont
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from repairlab.qr import QUIET_ZONE, dark_runs, module_image, qr_rows

__all__ = [
    "LAYOUTS",
    "LabelData",
    "SheetLayout",
    "get_layout",
    "label_png",
    "label_svg",
    "sheet_pdf",
]

PT_PER_MM = 72 / 25.4

_FONT_DIR = Path(__file__).resolve().parent / "fonts"
_FONT_FILES = {False: _FONT_DIR / "DejaVuSans.ttf", True: _FONT_DIR / "DejaVuSans-Bold.ttf"}
_PDF_FONT_NAMES = {False: "RepairLabSans", True: "RepairLabSans-Bold"}
# Viewers that lack DejaVu fall back to faces that are narrower, so text measured with DejaVu
# metrics still fits.
_SVG_FONT_FAMILY = "'DejaVu Sans', Verdana, Arial, sans-serif"
# DejaVu Sans vertical metrics, in em: cap height (1493/2048), height of accented capitals such
# as "É" (used as the top of a text line), and descender depth.
_CAP = 0.729
_ACCENT_TOP = 0.93
_DESCENT = 0.236
_ELLIPSIS = "\u2026"
# A code is never truncated before it has been shrunk down to this size.
_MIN_CODE_PT = 6.0
# Longer input cannot show on a 2-line label anyway; bounding it keeps fitting cheap.
_MAX_TEXT_CHARS = 300
# PDF QR modules are snapped to a 1/300 inch grid (0.24 pt), so 300, 600 and 1200 dpi printers
# and rasterisers draw every module with the same whole number of dots.
_PDF_GRID_PT = 72 / 300


@dataclass(frozen=True)
class LabelData:
    """What one label shows: the code, the URL encoded in the QR, a short name and the territory."""

    code: str
    url: str
    name: str
    territory: str


@dataclass(frozen=True)
class SheetLayout:
    """Geometry of a label stock (millimetres) and the type sizes (points) used on its labels."""

    key: str
    label_w_mm: float
    label_h_mm: float
    cols: int
    rows: int
    margin_top_mm: float
    margin_left_mm: float
    pitch_x_mm: float
    pitch_y_mm: float
    page_w_mm: float
    page_h_mm: float
    continuous: bool = False
    padding_mm: float = 2.0
    code_pt: float = 14.0  # largest size of the code; it shrinks to fit the text column
    name_pt: float = 8.5
    name_lines: int = 2
    territory_pt: float = 7.0

    @property
    def per_page(self) -> int:
        """Number of label positions on one page."""
        return self.cols * self.rows


LAYOUTS: dict[str, SheetLayout] = {
    layout.key: layout
    for layout in (
        # Avery L7160 / J8160 geometry: 21 per A4 sheet, 2.54 mm gap between columns.
        SheetLayout(
            key="a4-3x7",
            label_w_mm=63.5,
            label_h_mm=38.1,
            cols=3,
            rows=7,
            margin_top_mm=15.15,
            margin_left_mm=7.21,
            pitch_x_mm=66.04,
            pitch_y_mm=38.1,
            page_w_mm=210.0,
            page_h_mm=297.0,
            padding_mm=2.0,
            code_pt=14.0,
            name_pt=9.0,
            name_lines=2,
            territory_pt=7.0,
        ),
        # Avery L7163 / J8163 geometry: 14 per A4 sheet, 2.5 mm gap between columns.
        SheetLayout(
            key="a4-2x7",
            label_w_mm=99.1,
            label_h_mm=38.1,
            cols=2,
            rows=7,
            margin_top_mm=15.15,
            margin_left_mm=4.65,
            pitch_x_mm=101.6,
            pitch_y_mm=38.1,
            page_w_mm=210.0,
            page_h_mm=297.0,
            padding_mm=2.0,
            code_pt=22.0,
            name_pt=11.0,
            name_lines=2,
            territory_pt=8.5,
        ),
        # The common 40-per-sheet 48.5 x 25.4 mm stock: butted labels centred on A4 (8 mm side
        # margins, 21.5 mm top and bottom). Small type: the code stays large, the name gets one line.
        SheetLayout(
            key="a4-4x10",
            label_w_mm=48.5,
            label_h_mm=25.4,
            cols=4,
            rows=10,
            margin_top_mm=21.5,
            margin_left_mm=8.0,
            pitch_x_mm=48.5,
            pitch_y_mm=25.4,
            page_w_mm=210.0,
            page_h_mm=297.0,
            padding_mm=1.5,
            code_pt=11.0,
            name_pt=7.0,
            name_lines=1,
            territory_pt=6.0,
        ),
        # 62 mm continuous roll (Brother DK-22205 and alike) cut at 29 mm, the height of the
        # DK-11209 die-cut label: one label per page, the page being the label.
        SheetLayout(
            key="thermal-62",
            label_w_mm=62.0,
            label_h_mm=29.0,
            cols=1,
            rows=1,
            margin_top_mm=0.0,
            margin_left_mm=0.0,
            pitch_x_mm=62.0,
            pitch_y_mm=29.0,
            page_w_mm=62.0,
            page_h_mm=29.0,
            continuous=True,
            padding_mm=2.0,
            code_pt=16.0,
            name_pt=9.0,
            name_lines=2,
            territory_pt=7.0,
        ),
    )
}


def get_layout(key: str) -> SheetLayout:
    """Return the layout registered under ``key`` or raise ValueError naming the valid keys."""
    try:
        return LAYOUTS[key]
    except (KeyError, TypeError):
        raise ValueError(f"Unknown label layout {key!r}; expected one of: {', '.join(sorted(LAYOUTS))}") from None


# --------------------------------------------------------------------------------------------
# Fonts and text fitting. Every format is measured with the same DejaVu metrics, so a label
# breaks and truncates its name the same way in PNG, SVG and PDF.
# --------------------------------------------------------------------------------------------

_font_lock = threading.Lock()
_fonts_ready = False


def _ensure_fonts() -> None:
    """Register the vendored fonts with reportlab once per process (parsing a TTF costs ~10 ms)."""
    global _fonts_ready
    if _fonts_ready:
        return
    with _font_lock:
        if not _fonts_ready:
            for bold, name in _PDF_FONT_NAMES.items():
                pdfmetrics.registerFont(TTFont(name, str(_FONT_FILES[bold])))
            _fonts_ready = True


@functools.lru_cache(maxsize=64)
def _pil_font(bold: bool, size_px: float) -> ImageFont.FreeTypeFont:
    """Pillow font object for one size (loading is cheap but repeated for every line otherwise)."""
    return ImageFont.truetype(str(_FONT_FILES[bold]), size_px)


def _width(text: str, bold: bool, size_pt: float) -> float:
    """Advance width of ``text`` in points."""
    return pdfmetrics.stringWidth(text, _PDF_FONT_NAMES[bold], size_pt)


def _clean(text: str) -> str:
    """Make free text printable: NFC, one line, no control, format or unassigned characters."""
    if not isinstance(text, str):
        text = "" if text is None else str(text)
    text = unicodedata.normalize("NFC", text[: _MAX_TEXT_CHARS * 2])
    out = []
    for ch in text:
        category = unicodedata.category(ch)
        if ch.isspace():
            out.append(" ")
        elif category[0] != "C":  # Cc, Cf, Cs, Co, Cn: invisible, or invalid in XML
            out.append(ch)
    return " ".join("".join(out).split())[:_MAX_TEXT_CHARS]


def _fit_prefix(text: str, bold: bool, size_pt: float, width_pt: float, suffix: str = "") -> int:
    """Longest prefix length k such that text[:k] (right-stripped) + suffix fits in width_pt."""
    lo, hi = 0, len(text)
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if _width(text[:mid].rstrip() + suffix, bold, size_pt) <= width_pt:
            lo = mid
        else:
            hi = mid - 1
    return lo


def _ellipsize(text: str, bold: bool, size_pt: float, width_pt: float) -> str:
    """Return ``text``, or its longest prefix followed by an ellipsis, that fits in width_pt."""
    if _width(text, bold, size_pt) <= width_pt:
        return text
    keep = _fit_prefix(text, bold, size_pt, width_pt, _ELLIPSIS)
    if keep == 0:
        return _ELLIPSIS if _width(_ELLIPSIS, bold, size_pt) <= width_pt else ""
    return text[:keep].rstrip() + _ELLIPSIS


def _wrap(text: str, bold: bool, size_pt: float, width_pt: float, max_lines: int) -> list[str]:
    """Break ``text`` into at most ``max_lines`` lines; the last one ends with "…" if text is left."""
    lines: list[str] = []
    rest = text
    while rest and len(lines) < max_lines:
        if _width(rest, bold, size_pt) <= width_pt:
            lines.append(rest)
            break
        if len(lines) == max_lines - 1:
            lines.append(_ellipsize(rest, bold, size_pt, width_pt))
            break
        fits = _fit_prefix(rest, bold, size_pt, width_pt)
        # Break at the last space, or after the last hyphen ("Perceuse-|visseuse"), that keeps
        # the line within the width; a word longer than a whole line is cut where it overflows.
        cut, skip = max(1, fits), 0
        for i in range(min(fits, len(rest) - 1), 0, -1):
            if rest[i] == " ":
                cut, skip = i, 1
                break
            if rest[i - 1] == "-" and i > 1:
                cut = i
                break
        lines.append(rest[:cut].rstrip())
        rest = rest[cut + skip :].lstrip()
    return [line for line in lines if line]


@dataclass(frozen=True)
class _Line:
    """One line of text placed on a label; positions in mm from the label's top-left corner."""

    text: str
    bold: bool
    size_pt: float
    x_mm: float
    baseline_mm: float


def _text_lines(label: LabelData, layout: SheetLayout, dark_top_mm: float, dark_bottom_mm: float) -> list[_Line]:
    """Place the code, the name and the territory in the column right of the QR code.

    ``dark_top_mm`` and ``dark_bottom_mm`` are where the QR's dark modules start and end as
    drawn (each format rounds the module size differently): the text block spans that height.
    """
    pad = layout.padding_mm
    # The QR's own quiet zone separates it from the text, so the column starts at the QR box edge.
    x = layout.label_h_mm - pad
    width_pt = (layout.label_w_mm - pad - x) * PT_PER_MM
    top_pt = dark_top_mm * PT_PER_MM
    bottom_pt = dark_bottom_mm * PT_PER_MM

    lines: list[_Line] = []
    code = _clean(label.code)
    code_pt = layout.code_pt
    if code:
        natural = _width(code, True, 1.0)
        code_pt = max(_MIN_CODE_PT, min(layout.code_pt, width_pt / natural))
        code = _ellipsize(code, True, code_pt, width_pt)
    code_base = top_pt + _CAP * code_pt
    if code:
        lines.append(_Line(code, True, code_pt, x, code_base / PT_PER_MM))

    terr_pt = layout.territory_pt
    territory = _ellipsize(_clean(label.territory), False, terr_pt, width_pt)
    terr_base = bottom_pt - _DESCENT * terr_pt
    limit = (terr_base - _ACCENT_TOP * terr_pt if territory else bottom_pt) - 0.15 * terr_pt

    name_pt = layout.name_pt
    leading = 1.2 * name_pt
    first = code_base + max(1.5, 0.3 * code_pt) + _ACCENT_TOP * name_pt
    room = 0
    while room < layout.name_lines and first + room * leading + _DESCENT * name_pt <= limit:
        room += 1
    for i, text in enumerate(_wrap(_clean(label.name), False, name_pt, width_pt, room)):
        lines.append(_Line(text, False, name_pt, x, (first + i * leading) / PT_PER_MM))
    if territory:  # last, so that lines stay in reading order in SVG and in PDF text
        lines.append(_Line(territory, False, terr_pt, x, terr_base / PT_PER_MM))
    return lines


def _check_label(label: LabelData) -> None:
    """Reject a label that cannot be printed meaningfully."""
    if not isinstance(label, LabelData):
        raise ValueError(f"Expected LabelData, got {type(label).__name__}")
    if not _clean(label.code):
        raise ValueError("A label needs a code")


# --------------------------------------------------------------------------------------------
# Renderers.
# --------------------------------------------------------------------------------------------


def label_png(label: LabelData, dpi: int = 300, layout: str = "a4-3x7") -> bytes:
    """One label as a grayscale PNG at ``dpi``, QR drawn with a whole number of pixels per module."""
    spec = get_layout(layout)
    _check_label(label)
    if isinstance(dpi, bool) or not isinstance(dpi, int) or not 72 <= dpi <= 1200:
        raise ValueError(f"dpi must be an integer between 72 and 1200, got {dpi!r}")
    _ensure_fonts()
    n, rows = qr_rows(label.url)
    modules = n + 2 * QUIET_ZONE
    px_per_mm = dpi / 25.4
    width, height = round(spec.label_w_mm * px_per_mm), round(spec.label_h_mm * px_per_mm)
    pad_px = round(spec.padding_mm * px_per_mm)
    box_px = height - 2 * pad_px
    module_px = box_px // modules  # whole pixels: no resampling blur
    if module_px < 1:
        raise ValueError(f"{dpi} dpi is too low to draw this QR code on a {layout} label")
    qr_px = module_px * modules
    qr_top = (height - qr_px) // 2

    image = Image.new("L", (width, height), 255)
    qr = module_image(n, rows).resize((qr_px, qr_px), Image.Resampling.NEAREST)
    image.paste(qr, (pad_px + (box_px - qr_px) // 2, qr_top))

    draw = ImageDraw.Draw(image)
    quiet_px = QUIET_ZONE * module_px
    dark_top, dark_bottom = (qr_top + quiet_px) / px_per_mm, (qr_top + qr_px - quiet_px) / px_per_mm
    for line in _text_lines(label, spec, dark_top, dark_bottom):
        font = _pil_font(line.bold, round(line.size_pt * dpi / 72, 2))
        draw.text(
            (line.x_mm * px_per_mm, line.baseline_mm * px_per_mm),
            line.text,
            fill=0,
            font=font,
            anchor="ls",
        )
    out = io.BytesIO()
    image.save(out, "PNG", dpi=(dpi, dpi))
    return out.getvalue()


def _num(value: float) -> str:
    """Compact decimal for SVG coordinates (0.001 mm is far below printer resolution)."""
    return f"{value:.3f}".rstrip("0").rstrip(".")


def label_svg(label: LabelData, layout: str = "a4-3x7") -> str:
    """One label as a standalone SVG in millimetres: QR as one crisp path, text as <text>."""
    spec = get_layout(layout)
    _check_label(label)
    _ensure_fonts()
    n, rows = qr_rows(label.url)
    modules = n + 2 * QUIET_ZONE
    box = spec.label_h_mm - 2 * spec.padding_mm
    module = box / modules
    path = "".join(f"M{c} {r}h{length}v1h-{length}z" for r, c, length in dark_runs(n, rows))
    w, h = _num(spec.label_w_mm), _num(spec.label_h_mm)
    parts = [
        '<?xml version="1.0" encoding="UTF-8"?>\n',
        f'<svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="{w}mm" height="{h}mm" viewBox="0 0 {w} {h}">',
        f"<title>{escape(_clean(label.code))}</title>",
        f'<rect width="{w}" height="{h}" fill="#fff"/>',
        f'<path transform="translate({_num(spec.padding_mm)} {_num(spec.padding_mm)})'
        f' scale({module:.6f})" fill="#000" shape-rendering="crispEdges" d="{path}"/>',
    ]
    quiet = QUIET_ZONE * module
    for line in _text_lines(label, spec, spec.padding_mm + quiet, spec.label_h_mm - spec.padding_mm - quiet):
        weight = ' font-weight="bold"' if line.bold else ""
        parts.append(
            f'<text x="{_num(line.x_mm)}" y="{_num(line.baseline_mm)}"'
            f' font-family="{_SVG_FONT_FAMILY}" font-size="{_num(line.size_pt / PT_PER_MM)}"'
            f'{weight} fill="#000">{escape(line.text)}</text>'
        )
    parts.append("</svg>\n")
    return "".join(parts)


def _draw_label_pdf(
    canvas: Canvas,
    label: LabelData,
    spec: SheetLayout,
    *,
    left_mm: float,
    top_mm: float,
    page_h_pt: float,
    outline: bool,
) -> None:
    """Draw one label whose top-left corner is (left_mm, top_mm) from the page's top-left."""
    n, rows = qr_rows(label.url)
    modules = n + 2 * QUIET_ZONE
    box_pt = (spec.label_h_mm - 2 * spec.padding_mm) * PT_PER_MM
    module_pt = int(box_pt / modules / _PDF_GRID_PT) * _PDF_GRID_PT
    if module_pt <= 0:
        raise ValueError(f"URL too long for a QR code on a {spec.key} label")
    qr_pt = module_pt * modules
    left_pt, top_pt = left_mm * PT_PER_MM, top_mm * PT_PER_MM
    # Snap the QR's corner to the grid, measured from the page top as rasterisers do.
    qx = round((left_pt + spec.padding_mm * PT_PER_MM + (box_pt - qr_pt) / 2) / _PDF_GRID_PT)
    qy = round((top_pt + (spec.label_h_mm * PT_PER_MM - qr_pt) / 2) / _PDF_GRID_PT)

    canvas.saveState()
    # Work in module units, y downwards, so each run of dark modules is "x y w 1 re" in small
    # integers. The operators are written directly: reportlab's path objects format every
    # number through a pure-Python float formatter, which took two thirds of a 240-label sheet.
    canvas.translate(qx * _PDF_GRID_PT, page_h_pt - qy * _PDF_GRID_PT)
    canvas.scale(module_pt, -module_pt)
    canvas.setFillGray(0)
    canvas.addLiteral(" ".join([f"{c} {r} {length} 1 re" for r, c, length in dark_runs(n, rows)]) + " f")
    canvas.restoreState()

    quiet_pt = QUIET_ZONE * module_pt
    dark_top = (qy * _PDF_GRID_PT + quiet_pt - top_pt) / PT_PER_MM
    dark_bottom = (qy * _PDF_GRID_PT + qr_pt - quiet_pt - top_pt) / PT_PER_MM
    for line in _text_lines(label, spec, dark_top, dark_bottom):
        canvas.setFont(_PDF_FONT_NAMES[line.bold], line.size_pt)
        canvas.drawString(
            left_pt + line.x_mm * PT_PER_MM,
            page_h_pt - top_pt - line.baseline_mm * PT_PER_MM,
            line.text,
        )
    if outline:
        canvas.saveState()
        canvas.setLineWidth(0.3)
        canvas.setStrokeGray(0.65)
        canvas.rect(
            left_pt,
            page_h_pt - top_pt - spec.label_h_mm * PT_PER_MM,
            spec.label_w_mm * PT_PER_MM,
            spec.label_h_mm * PT_PER_MM,
            stroke=1,
            fill=0,
        )
        canvas.restoreState()


def sheet_pdf(labels: Sequence[LabelData], layout: str = "a4-3x7", skip: int = 0, *, outline: bool = False) -> bytes:
    """Vector PDF of labels on sheets, starting after ``skip`` used positions on the first page.

    Positions fill left to right, then top to bottom, and new pages follow as needed. On a
    continuous layout every label is its own page, sized to the label. ``outline`` draws the
    label borders, for a test print on plain paper.
    """
    spec = get_layout(layout)
    if isinstance(skip, bool) or not isinstance(skip, int):
        raise ValueError(f"skip must be an integer, got {skip!r}")
    if not 0 <= skip < spec.per_page:
        raise ValueError(f"skip must be between 0 and {spec.per_page - 1} for layout {layout!r}, got {skip}")
    labels = list(labels)
    if not labels:
        raise ValueError("No labels to print")
    for label in labels:
        _check_label(label)
    _ensure_fonts()

    page_w_pt, page_h_pt = spec.page_w_mm * PT_PER_MM, spec.page_h_mm * PT_PER_MM
    out = io.BytesIO()
    # invariant=1: no timestamps or random ids, so the same labels give the same bytes.
    canvas = Canvas(out, pagesize=(page_w_pt, page_h_pt), pageCompression=1, invariant=1)
    canvas.setTitle("RepairLab labels")
    canvas.setCreator("RepairLab")
    position = skip
    for label in labels:
        if position == spec.per_page:
            canvas.showPage()
            position = 0
        row, col = divmod(position, spec.cols)
        _draw_label_pdf(
            canvas,
            label,
            spec,
            left_mm=spec.margin_left_mm + col * spec.pitch_x_mm,
            top_mm=spec.margin_top_mm + row * spec.pitch_y_mm,
            page_h_pt=page_h_pt,
            outline=outline,
        )
        position += 1
    canvas.save()
    return out.getvalue()
