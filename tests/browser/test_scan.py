"""Browser journeys on /scan: a typed code, a USB scanner, the phone layout, and the camera fed a real QR code."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.browser.conftest import CHROMIUM_ARGS

try:
    from playwright.sync_api import Page, expect
except ImportError:  # the fixtures skip (or fail on CI) with the reason
    Page = object
    expect = None

pytestmark = pytest.mark.browser

CAMERA_ARGS = [
    *CHROMIUM_ARGS,
    "--use-fake-ui-for-media-stream",  # say yes to the camera prompt
    "--use-fake-device-for-media-stream",
]
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True, "device_scale_factor": 2}
START = "[data-scan-start]"
STOP = "[data-scan-stop]"
CODE_FIELD = "[data-scan-input]"
MESSAGE = "[data-scan-message]"


def _path_is(path: str):
    return re.compile(r"^https?://[^/]+" + re.escape(path) + r"$")


def write_y4m(path: Path, text: str, frames: int = 10, width: int = 640, height: int = 480) -> Path:
    """A short video file, for Chromium's fake camera, showing a QR code of `text` on a white page."""
    import qrcode
    from PIL import Image

    qr = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=8, border=4)
    qr.add_data(text)
    qr.make(fit=True)
    symbol = qr.make_image(fill_color="black", back_color="white").get_image().convert("L")
    side = min(symbol.size[0], height - 40)
    symbol = symbol.resize((side, side), Image.NEAREST)
    picture = Image.new("L", (width, height), 235)
    picture.paste(symbol, ((width - side) // 2, (height - side) // 2))
    luma = picture.tobytes()
    chroma = bytes([128]) * ((width // 2) * (height // 2))
    with path.open("wb") as f:
        f.write(f"YUV4MPEG2 W{width} H{height} F10:1 Ip A1:1 C420jpeg\n".encode())
        for _ in range(frames):
            f.write(b"FRAME\n" + luma + chroma + chroma)
    return path


@pytest.fixture
def camera_page(playwright_api, chromium_path, live_server, tmp_path):
    """open(qr_text, init_script=None): a phone page whose (fake) camera films a QR code of qr_text."""
    browsers = []

    def open_page(qr_text: str, init_script: str | None = None, allow: bool = True) -> Page:
        video = write_y4m(tmp_path / f"camera-{len(browsers)}.y4m", qr_text)
        args = [*CAMERA_ARGS, f"--use-file-for-fake-video-capture={video}"]
        if not allow:  # without the fake "Allow" answer, Playwright's Chromium refuses the camera
            args.remove("--use-fake-ui-for-media-stream")
        browser = playwright_api.chromium.launch(executable_path=chromium_path, headless=True, args=args)
        browsers.append(browser)
        context = browser.new_context(base_url=live_server, locale="fr-FR", **PHONE)
        if allow:
            context.grant_permissions(["camera"], origin=live_server)
        context.set_default_timeout(10_000)
        if init_script:
            context.add_init_script(init_script)
        return context.new_page()

    yield open_page
    for browser in browsers:
        browser.close()


# --- Typing a code, or a scanner typing it ---------------------------------------------------------


def test_typing_a_code_and_enter_opens_it(page: Page):
    page.goto("/scan")
    field = page.locator(CODE_FIELD)
    field.click()
    field.fill("rbx 9999")
    field.press("Enter")
    page.wait_for_url(_path_is("/q/RBX-9999"))
    # Nothing has this code: the friendly page, with a box to type it again.
    search = page.locator('main form[action="/scan/go"] input[name="code"]')
    expect(search).to_be_visible()
    expect(search).to_have_value("RBX-9999")


def test_a_usb_scanner_typing_a_label_url_opens_the_code_on_this_site(page: Page, viewport: str):
    page.goto("/scan")
    if viewport == "desktop":
        # The cursor waits in the field: the scanner can type at once.
        expect(page.locator(CODE_FIELD)).to_be_focused()
    else:
        page.locator(CODE_FIELD).click()
    page.keyboard.type("https://labels.old-address.example/q/abc-42")
    page.keyboard.press("Enter")
    page.wait_for_url(_path_is("/q/ABC-0042"))


SCANNER_BURST = """(text) => {
    // A scanner types a whole code in a few milliseconds. Playwright's keyboard is too slow (and its timing too
    // uneven on a loaded machine) to pass for one, so the key events are sent from the page in one go.
    const target = document.activeElement;
    for (const key of [...text, "Enter"]) {
        const event = new KeyboardEvent("keydown", { key, bubbles: true, cancelable: true });
        target.dispatchEvent(event);
        target.dispatchEvent(new KeyboardEvent("keyup", { key, bubbles: true }));
    }
}"""


def test_a_scanner_typing_while_a_button_has_the_focus_still_opens_the_code(new_page):
    page = new_page("desktop")
    page.goto("/scan")
    page.locator(START).focus()
    page.evaluate(SCANNER_BURST, "ABC-0043")
    page.wait_for_url(_path_is("/q/ABC-0043"))


def test_slow_typing_outside_the_field_is_not_taken_for_a_scanner(new_page):
    page = new_page("desktop")
    page.goto("/scan")
    page.locator("h1").click()  # the focus leaves the field
    for key in "ABC-0047":
        page.keyboard.press(key)
        page.wait_for_timeout(150)  # a person, not a scanner
    page.keyboard.press("Enter")
    page.wait_for_timeout(300)
    assert page.url.endswith("/scan")
    expect(page.locator(CODE_FIELD)).to_have_value("")


def test_text_that_is_not_a_code_is_explained_in_words(page: Page):
    page.goto("/scan")
    field = page.locator(CODE_FIELD)
    field.fill("hello world")
    field.press("Enter")
    message = page.locator(MESSAGE)
    expect(message).to_have_class(re.compile(r"flash-error"))
    expect(message).to_contain_text("RBX-0042")
    expect(field).to_have_attribute("aria-invalid", "true")
    assert page.url.endswith("/scan")


def test_the_manual_form_works_without_javascript(browser, live_server):
    context = browser.new_context(base_url=live_server, java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto("/scan")
        expect(page.locator(START)).to_be_hidden()  # the camera needs JavaScript
        page.locator(CODE_FIELD).fill("abc 7")
        page.locator(CODE_FIELD).press("Enter")
        page.wait_for_url(_path_is("/q/ABC-0007"))
    finally:
        context.close()


def test_on_a_phone_the_keyboard_does_not_pop_up_by_itself(new_page):
    page = new_page("phone")
    page.goto("/scan")
    expect(page.locator(START)).to_be_visible()
    expect(page.locator(CODE_FIELD)).not_to_be_focused()


def test_on_a_phone_everything_is_reachable_without_scrolling(new_page):
    page = new_page("phone")
    page.goto("/scan")
    height = page.viewport_size["height"]
    for selector in (START, CODE_FIELD, 'main form[action="/scan/go"] button[type="submit"]'):
        box = page.locator(selector).bounding_box()
        assert box is not None and box["y"] >= 0 and box["y"] + box["height"] <= height, selector
        assert box["height"] >= 44, f"{selector} is {box['height']} px tall"


def _expect_message(page: Page, key: str, kind: str = "error") -> None:
    """The status line shows the page's message `key` (in the page's language), in words and not only colour."""
    text = page.locator("#scan-page").get_attribute(f"data-msg-{key}")
    message = page.locator(MESSAGE)
    expect(message).to_contain_text(text)
    expect(message).to_have_class(re.compile(rf"flash-{kind}"))
    expect(message.locator("strong")).not_to_be_empty()  # "Erreur :" / "À noter :"


def test_a_refused_camera_is_explained_and_typing_still_works(camera_page):
    page = camera_page("https://whatever.example/q/ABC-0042", allow=False)
    page.goto("/scan")
    page.locator(START).click()
    _expect_message(page, "denied")
    expect(page.locator(START)).to_be_visible()
    expect(page.locator(STOP)).to_be_hidden()
    page.locator(CODE_FIELD).fill("ABC-0044")
    page.locator(CODE_FIELD).press("Enter")
    page.wait_for_url(_path_is("/q/ABC-0044"))


def test_a_device_without_a_camera_is_explained(page: Page):
    page.goto("/scan")
    page.locator(START).click()
    _expect_message(page, "notfound")
    expect(page.locator(START)).to_be_visible()
    expect(page.locator(CODE_FIELD)).to_be_editable()


def test_on_plain_http_the_page_says_the_camera_needs_https(playwright_api, chromium_path, live_server):
    # A LAN address over http is not a secure context: browsers hide the camera there.
    port = live_server.rsplit(":", 1)[1]
    browser = playwright_api.chromium.launch(
        executable_path=chromium_path,
        headless=True,
        args=[*CAMERA_ARGS, "--host-resolver-rules=MAP lab-desk.test 127.0.0.1"],
    )
    try:
        page = browser.new_page()
        page.goto(f"http://lab-desk.test:{port}/scan")
        assert page.evaluate("window.isSecureContext") is False
        _expect_message(page, "insecure", kind="info")
        expect(page.locator(START)).to_be_hidden()
        page.locator(CODE_FIELD).fill("ABC-0046")
        page.locator(CODE_FIELD).press("Enter")
        page.wait_for_url(re.compile(r"/q/ABC-0046$"))
    finally:
        browser.close()


# --- The camera --------------------------------------------------------------------------------------


def test_the_camera_reads_a_label_and_opens_its_code_on_this_site(camera_page):
    page = camera_page("https://whatever.example/q/ABC-0042")
    jsqr_requests = []
    page.on("request", lambda r: jsqr_requests.append(r.url) if "jsQR" in r.url else None)
    page.goto("/scan")
    expect(page.locator(STOP)).to_be_hidden()
    page.locator(START).click()
    page.wait_for_url(_path_is("/q/ABC-0042"))
    if not page.evaluate("'BarcodeDetector' in window"):
        assert jsqr_requests, "the vendored decoder should have been loaded"


def test_the_camera_says_when_a_qr_code_is_not_a_label_and_keeps_going(camera_page):
    page = camera_page("WIFI:S:atelier;T:WPA;P:secret;;")
    page.goto("/scan")
    page.locator(START).click()
    expect(page.locator("[data-scan-video]")).to_be_visible()
    expect(page.locator(STOP)).to_be_visible()
    _expect_message(page, "not-label")
    assert page.url.endswith("/scan")
    page.locator(STOP).click()
    expect(page.locator(START)).to_be_visible()
    expect(page.locator(START)).to_be_focused()
    expect(page.locator("[data-scan-video]")).to_be_hidden()
    assert page.evaluate("RepairLabScanner.running") is False
    assert page.evaluate("document.querySelector('[data-scan-video]').srcObject") is None


def test_the_camera_is_released_when_the_page_is_hidden(camera_page):
    page = camera_page("WIFI:S:atelier;T:WPA;P:secret;;")
    page.goto("/scan")
    page.locator(START).click()
    expect(page.locator(STOP)).to_be_visible()
    page.wait_for_function("() => window.RepairLabScanner.running")
    live_tracks = "window.__tracks = document.querySelector('[data-scan-video]').srcObject.getTracks()"
    page.evaluate(live_tracks)
    page.evaluate("""() => {
        Object.defineProperty(document, "visibilityState", { configurable: true, get: () => "hidden" });
        document.dispatchEvent(new Event("visibilitychange"));
    }""")
    expect(page.locator(START)).to_be_visible()
    assert page.evaluate("RepairLabScanner.running") is False
    assert page.evaluate("window.__tracks.every(t => t.readyState === 'ended')") is True


BARCODE_DETECTOR_STUB = """
window.BarcodeDetector = class {
  static async getSupportedFormats() { return ["qr_code", "ean_13"]; }
  constructor(options) { window.__detectorFormats = options.formats; }
  async detect(source) { return [{ rawValue: "https://printed.example/q/abc-45", format: "qr_code" }]; }
};
"""


def test_the_browsers_own_detector_is_used_when_it_exists(camera_page):
    page = camera_page("not used", init_script=BARCODE_DETECTOR_STUB)
    jsqr_requests = []
    page.on("request", lambda r: jsqr_requests.append(r.url) if "jsQR" in r.url else None)
    page.goto("/scan")
    page.locator(START).click()
    page.wait_for_url(_path_is("/q/ABC-0045"))
    assert jsqr_requests == []  # the 250 kB decoder is not downloaded when the phone can read QR codes itself
