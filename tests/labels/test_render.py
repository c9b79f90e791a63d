"""Tests for QR label rendering: every label must decode, fit its stock and escape its text."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import zxingcpp
from PIL import Image, ImageFont
from pypdf import PdfReader

from repairlab.labels import render
from repairlab.labels.render import LAYOUTS, LabelData, label_png, label_svg, sheet_pdf
from repairlab.qr import qr_matrix

BASE = "https://repairlab.example.org/q/"
SVG_NS = {"svg": "http://www.w3.org/2000/svg"}
FONT_DIR = Path(render.__file__).parent / "fonts"
QR = zxingcpp.BarcodeFormat.QRCode


def make_labels(count: int, prefix: str = "RBX") -> list[LabelData]:
    """Distinct labels with realistic French names."""
    names = ["Perceuse-visseuse Bosch PSR 18", "Fer à souder", "Multimètre Fluke 117 (étalonné)"]
    return [
        LabelData(f"{prefix}-{i:04d}", f"{BASE}{prefix}-{i:04d}", names[i % 3], "Roubaix-Lille") for i in range(count)
    ]


def decode(image: Image.Image) -> list[str]:
    """Texts of all QR codes zxing-cpp finds in the image."""
    return [result.text for result in zxingcpp.read_barcodes(image, formats=QR)]


def mm_to_px(mm: float, dpi: int = 300) -> int:
    return round(mm / 25.4 * dpi)


def label_box(layout: str, position: int, dpi: int = 300) -> tuple[int, int, int, int]:
    """Pixel box of one label position on a page rasterised at ``dpi``."""
    spec = LAYOUTS[layout]
    row, col = divmod(position, spec.cols)
    left = spec.margin_left_mm + col * spec.pitch_x_mm
    top = spec.margin_top_mm + row * spec.pitch_y_mm
    return (
        mm_to_px(left, dpi),
        mm_to_px(top, dpi),
        mm_to_px(left + spec.label_w_mm, dpi),
        mm_to_px(top + spec.label_h_mm, dpi),
    )


@pytest.fixture
def rasterise(tmp_path):
    """Render one PDF page to a grayscale PIL image with poppler's pdftoppm at 300 dpi."""
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm (Debian package poppler-utils) is not installed")

    def run(pdf: bytes, page: int = 1) -> Image.Image:
        source = tmp_path / "sheet.pdf"
        source.write_bytes(pdf)
        target = tmp_path / f"page{page}"
        subprocess.run(
            [
                "pdftoppm",
                "-r",
                "300",
                "-gray",
                "-png",
                "-f",
                str(page),
                "-l",
                str(page),
                "-singlefile",
                str(source),
                str(target),
            ],
            check=True,
            capture_output=True,
            timeout=60,
        )
        with Image.open(f"{target}.png") as image:
            return image.convert("L")

    return run


def svg_texts(svg: str) -> list[ET.Element]:
    return ET.fromstring(svg.encode("utf-8")).findall("svg:text", SVG_NS)


def svg_run_matrix(svg: str, size: int) -> list[list[bool]]:
    """Rebuild the module matrix from the SVG path ("M{x} {y}h{w}v1h-{w}z" per dark run)."""
    path = ET.fromstring(svg.encode("utf-8")).find("svg:path", SVG_NS)
    matrix = [[False] * size for _ in range(size)]
    for x, y, w in re.findall(r"M(\d+) (\d+)h(\d+)v1h-\3z", path.get("d")):
        for col in range(int(x), int(x) + int(w)):
            matrix[int(y)][col] = True
    return matrix


# --- PNG -------------------------------------------------------------------------------------


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_png_label_decodes_to_exactly_its_url(layout):
    label = LabelData("RBX-0042", BASE + "RBX-0042", "Perceuse-visseuse", "Roubaix-Lille")

    image = Image.open(io.BytesIO(label_png(label, dpi=300, layout=layout)))

    assert decode(image) == [label.url]


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_png_label_has_the_label_size_and_crisp_modules_inside_the_quiet_zone(layout):
    spec = LAYOUTS[layout]
    label = LabelData("PAR-0107", BASE + "PAR-0107", "Fer à souder", "Paris-Montreuil")

    image = Image.open(io.BytesIO(label_png(label, dpi=300, layout=layout)))

    assert image.size == (mm_to_px(spec.label_w_mm), mm_to_px(spec.label_h_mm))
    assert image.info["dpi"] == pytest.approx((300, 300), abs=0.01)
    text_column = mm_to_px(spec.label_h_mm - spec.padding_mm)  # the QR box ends where text starts
    qr_area = image.crop((0, 0, text_column - 1, image.height))
    assert {value for _, value in qr_area.getcolors()} == {0, 255}  # no resampling grey
    left, top, right, bottom = qr_area.point(lambda v: 255 - v).getbbox()
    modules = len(qr_matrix(label.url)) - 8
    module_px = (right - left) / modules
    assert module_px == int(module_px) and module_px >= 3
    assert min(left, top, image.height - bottom) >= 4 * module_px  # quiet zone inside the label


def test_png_rejects_an_unusable_dpi():
    label = make_labels(1)[0]
    for dpi in (0, 71, 1201, 300.0):
        with pytest.raises(ValueError, match="dpi"):
            label_png(label, dpi=dpi)


def test_png_label_still_decodes_at_150_dpi_on_the_smallest_stock():
    label = LabelData("MRS-0003", BASE + "MRS-0003", "Scie sauteuse", "Aix-Marseille")

    image = Image.open(io.BytesIO(label_png(label, dpi=150, layout="a4-4x10")))

    assert decode(image) == [label.url]


# --- SVG -------------------------------------------------------------------------------------


def test_svg_is_well_formed_with_the_code_and_the_exact_modules():
    label = LabelData("RBX-0042", BASE + "RBX-0042", "Fer à souder", "Roubaix-Lille")
    matrix = qr_matrix(label.url)

    svg = label_svg(label)

    root = ET.fromstring(svg.encode("utf-8"))
    assert root.get("width") == "63.5mm" and root.get("height") == "38.1mm"
    texts = [t.text for t in svg_texts(svg)]
    assert texts[0] == "RBX-0042"
    assert "Fer à souder" in texts and "Roubaix-Lille" in texts
    assert svg_run_matrix(svg, len(matrix)) == matrix
    code_text = svg_texts(svg)[0]
    assert code_text.get("font-weight") == "bold"
    assert float(code_text.get("font-size")) == max(float(t.get("font-size")) for t in svg_texts(svg))


def test_svg_escapes_xml_special_characters_in_names():
    name = "Vis <M4> & \"écrous\" 'inox' ]]>"
    label = LabelData("RBX-0001", BASE + "RBX-0001", name, "Roubaix & Lille")

    svg = label_svg(label, layout="a4-2x7")

    assert "<M4>" not in svg and "& " not in svg
    texts = [t.text for t in svg_texts(svg)]
    assert "".join(texts).replace(" ", "").startswith("RBX-0001")
    assert "Roubaix & Lille" in texts
    assert name.replace(" ", "") in "".join(texts).replace(" ", "")


def test_control_characters_surrogates_and_emoji_do_not_break_any_format():
    label = LabelData("RBX-0002", BASE + "RBX-0002", "Scie\x00\x1b\ud800 \u202e🔧 工具\n à ruban", "Lille\t")

    svg = label_svg(label)
    ET.fromstring(svg.encode("utf-8"))  # well-formed despite XML-invalid input characters
    assert "\x00" not in svg and "\ud800" not in svg and "\u202e" not in svg
    assert decode(Image.open(io.BytesIO(label_png(label)))) == [label.url]
    assert PdfReader(io.BytesIO(sheet_pdf([label]))).pages[0].extract_text()


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_long_unicode_names_are_wrapped_then_truncated_inside_the_label(layout):
    spec = LAYOUTS[layout]
    name = (
        "Machine à coudre électronique Singer « Tradition » 2273 avec pédale, "
        "canettes, aiguilles et housse — révisée en atelier à Roubaix"
    )
    label = LabelData("RBX-0042", BASE + "RBX-0042", name, "Provence-Alpes-Côte d'Azur, Aix-Marseille")

    svg = label_svg(label, layout=layout)

    texts = svg_texts(svg)
    name_lines = [t.text for t in texts[1:-1]]
    assert 1 <= len(name_lines) <= spec.name_lines
    assert name_lines[-1].endswith("…")
    assert texts[-1].text.endswith("…")  # the territory is truncated too
    for text in texts:
        font = ImageFont.truetype(
            str(FONT_DIR / ("DejaVuSans-Bold.ttf" if text.get("font-weight") else "DejaVuSans.ttf")),
            float(text.get("font-size")) * 100,  # measure at 100x for sub-pixel accuracy
        )
        right = float(text.get("x")) + font.getlength(text.text) / 100
        assert right <= spec.label_w_mm - spec.padding_mm + 0.01, text.text
        baseline = float(text.get("y"))
        assert spec.padding_mm < baseline < spec.label_h_mm - spec.padding_mm
    baselines = [float(t.get("y")) for t in texts]
    assert baselines == sorted(baselines)  # code, then name lines, then territory: no overlap
    assert len(texts[0].text) == len("RBX-0042")  # the code itself is never truncated


def test_hyphenated_names_break_after_the_hyphen():
    label = LabelData("RBX-0003", BASE + "RBX-0003", "Perceuse-visseuse Bosch", "Roubaix-Lille")

    lines = [t.text for t in svg_texts(label_svg(label, layout="a4-3x7"))[1:-1]]

    assert lines == ["Perceuse-", "visseuse Bosch"]


def test_a_long_code_shrinks_to_fit_instead_of_being_cut():
    label = LabelData("PAR-123456", BASE + "PAR-123456", "Fer", "Paris-Montreuil")

    code = svg_texts(label_svg(label, layout="a4-4x10"))[0]

    assert code.text == "PAR-123456"
    assert float(code.get("font-size")) * 72 / 25.4 < LAYOUTS["a4-4x10"].code_pt


# --- PDF sheets --------------------------------------------------------------------------------


@pytest.mark.parametrize("layout", ["a4-3x7", "a4-2x7", "a4-4x10"])
def test_a_full_a4_sheet_decodes_every_label_at_300_dpi_in_reading_order(layout, rasterise):
    spec = LAYOUTS[layout]
    labels = make_labels(spec.per_page)

    page = rasterise(sheet_pdf(labels, layout=layout))

    assert page.size[0] == pytest.approx(mm_to_px(210), abs=1)
    assert page.size[1] == pytest.approx(mm_to_px(297), abs=1)
    assert sorted(decode(page)) == sorted(label.url for label in labels)
    for position, label in enumerate(labels):  # left to right, then top to bottom
        assert decode(page.crop(label_box(layout, position))) == [label.url]


def test_skip_leaves_the_first_positions_blank_and_starts_after_them(rasterise):
    labels = make_labels(16)

    page = rasterise(sheet_pdf(labels, layout="a4-3x7", skip=5))

    for position in range(5):
        assert page.crop(label_box("a4-3x7", position)).getextrema() == (255, 255)
    for position, label in enumerate(labels, start=5):
        assert decode(page.crop(label_box("a4-3x7", position))) == [label.url]
    assert sorted(decode(page)) == sorted(label.url for label in labels)


def test_skip_only_applies_to_the_first_page(rasterise):
    labels = make_labels(30)

    pdf = sheet_pdf(labels, layout="a4-3x7", skip=5)

    assert len(PdfReader(io.BytesIO(pdf)).pages) == 2
    assert sorted(decode(rasterise(pdf, page=2))) == sorted(label.url for label in labels[16:])


@pytest.mark.parametrize(
    ("count", "skip", "pages"), [(50, 0, 3), (42, 0, 2), (43, 0, 3), (37, 5, 2), (38, 5, 3), (1, 20, 1)]
)
def test_sheets_continue_on_new_pages(count, skip, pages):
    pdf = sheet_pdf(make_labels(count), layout="a4-3x7", skip=skip)

    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == pages
    for page in reader.pages:
        assert float(page.mediabox.width) == pytest.approx(210 * 72 / 25.4, abs=0.01)
        assert float(page.mediabox.height) == pytest.approx(297 * 72 / 25.4, abs=0.01)


def test_pdf_text_is_real_text_with_the_codes():
    labels = make_labels(3)

    text = PdfReader(io.BytesIO(sheet_pdf(labels))).pages[0].extract_text()

    for label in labels:
        assert label.code in text
    assert "Roubaix-Lille" in text and "Fer à souder" in text


def test_thermal_roll_prints_one_label_per_page_sized_to_the_label(rasterise):
    labels = make_labels(3, prefix="MRS")

    pdf = sheet_pdf(labels, layout="thermal-62")

    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 3
    for page in reader.pages:
        assert float(page.mediabox.width) == pytest.approx(62 * 72 / 25.4, abs=0.01)
        assert float(page.mediabox.height) == pytest.approx(29 * 72 / 25.4, abs=0.01)
    for number, label in enumerate(labels, start=1):
        assert decode(rasterise(pdf, page=number)) == [label.url]


def test_same_labels_give_the_same_pdf_bytes():
    labels = make_labels(5)

    assert sheet_pdf(labels) == sheet_pdf(labels)


# --- Layouts and validation --------------------------------------------------------------------


def test_layouts_have_the_expected_stock_and_fit_their_page():
    expected = {
        "a4-3x7": (63.5, 38.1, 21),
        "a4-2x7": (99.1, 38.1, 14),
        "a4-4x10": (48.5, 25.4, 40),
        "thermal-62": (62.0, 29.0, 1),
    }
    assert {key: (s.label_w_mm, s.label_h_mm, s.per_page) for key, s in LAYOUTS.items()} == expected
    for spec in LAYOUTS.values():
        assert spec.margin_left_mm + (spec.cols - 1) * spec.pitch_x_mm + spec.label_w_mm <= spec.page_w_mm + 0.01
        assert spec.margin_top_mm + (spec.rows - 1) * spec.pitch_y_mm + spec.label_h_mm <= spec.page_h_mm + 0.01
        assert spec.pitch_x_mm >= spec.label_w_mm and spec.pitch_y_mm >= spec.label_h_mm
    assert LAYOUTS["thermal-62"].continuous
    assert not any(spec.continuous for key, spec in LAYOUTS.items() if key.startswith("a4-"))


def test_unknown_layout_is_rejected_by_every_renderer():
    label = make_labels(1)[0]
    with pytest.raises(ValueError, match="Unknown label layout 'letter-5x2'"):
        label_png(label, layout="letter-5x2")
    with pytest.raises(ValueError, match="Unknown label layout"):
        label_svg(label, layout="letter-5x2")
    with pytest.raises(ValueError, match="a4-3x7"):  # the message lists the valid keys
        sheet_pdf([label], layout="letter-5x2")


@pytest.mark.parametrize(("layout", "skip"), [("a4-3x7", -1), ("a4-3x7", 21), ("a4-4x10", 40), ("thermal-62", 1)])
def test_skip_outside_the_page_is_rejected(layout, skip):
    with pytest.raises(ValueError, match="skip must be between 0 and"):
        sheet_pdf(make_labels(2), layout=layout, skip=skip)


def test_an_empty_batch_or_a_label_without_code_is_rejected():
    with pytest.raises(ValueError, match="No labels"):
        sheet_pdf([])
    with pytest.raises(ValueError, match="needs a code"):
        sheet_pdf([LabelData("  ", BASE + "X", "Fer", "Lille")])
