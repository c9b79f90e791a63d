"""Browser fixtures: the system's Chromium driven by Playwright against the live server (tests/conftest.py), and a
fresh page per test on a desktop and a phone viewport."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
RESULTS_DIR = HERE.parent.parent / "test-results"
DEFAULT_CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
TIMEOUT_MS = 10_000

# Two devices every journey runs on: a desktop screen and a cheap phone held in one hand.
VIEWPORTS = {
    "desktop": {"viewport": {"width": 1280, "height": 900}},
    "phone": {
        "viewport": {"width": 390, "height": 844},
        "is_mobile": True,
        "has_touch": True,
        "device_scale_factor": 2,
    },
}


def pytest_collection_modifyitems(config, items):
    """Mark every test under tests/browser with `browser` (this hook sees the whole session's items)."""
    for item in items:
        if HERE in Path(str(item.path)).resolve().parents:
            item.add_marker(pytest.mark.browser)


def _on_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() == "true"


def _unavailable(reason: str):
    """Skip locally, but fail on CI: there, browser tests must never be silently left out."""
    if _on_ci():
        pytest.fail(f"{reason} (CI=true: browser tests cannot be skipped)", pytrace=False)
    pytest.skip(reason)


def find_chromium() -> tuple[str | None, str]:
    """The Chromium to drive (CHROMIUM_PATH, else /usr/bin/chromium, else `chromium` on PATH), and where we looked."""
    wanted = os.environ.get("CHROMIUM_PATH")
    if wanted:
        return (wanted if os.access(wanted, os.X_OK) else None), wanted
    if os.access(DEFAULT_CHROMIUM, os.X_OK):
        return DEFAULT_CHROMIUM, DEFAULT_CHROMIUM
    return shutil.which("chromium"), DEFAULT_CHROMIUM


@pytest.fixture(scope="session")
def chromium_path() -> str:
    """The path of the system's Chromium, or a skip (a failure on CI) saying how to install it."""
    path, looked_at = find_chromium()
    if path is None:
        _unavailable(
            f"Chromium not found at {looked_at}; install Debian's chromium package "
            "(apt-get install chromium) or set CHROMIUM_PATH"
        )
    return path


@pytest.fixture(scope="session")
def playwright_api(chromium_path):
    """Playwright's sync API, started once per worker."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("The playwright package is not installed; run `make test` (it installs requirements-dev.txt)")
    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="session")
def browser(playwright_api, chromium_path):
    """One headless Chromium per worker."""
    instance = playwright_api.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS, headless=True)
    yield instance
    instance.close()


@pytest.fixture(autouse=True)
def _real_forms(app, monkeypatch):
    """CSRF on, as in production (real forms carry their token), for this test only.

    The app is shared with the other tests of this worker: monkeypatch restores the setting afterwards, even on
    failure. (Its cookies are Secure; Chromium accepts them from http://127.0.0.1, a trustworthy origin.)
    """
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)


@pytest.fixture(params=list(VIEWPORTS), ids=list(VIEWPORTS))
def viewport(request) -> str:
    """The device a journey runs on: "desktop" or "phone"."""
    return request.param


@pytest.fixture
def new_page(browser, live_server):
    """Open a page in a fresh browser context (own cookies): new_page("phone"); closed after the test."""
    contexts = []

    def open_page(device: str = "desktop"):
        context = browser.new_context(base_url=live_server, locale="fr-FR", **VIEWPORTS[device])
        context.set_default_timeout(TIMEOUT_MS)
        context.set_default_navigation_timeout(TIMEOUT_MS)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


# The widths the UI is checked at: small, common and large phones, and a laptop.
PHONE_WIDTHS = (320, 360, 390)
LAPTOP_WIDTH = 1366


def device_at(width: int) -> dict:
    """A browser context's options for a screen of that width: a touch phone below 768 px, else a laptop."""
    if width < 768:
        return {
            "viewport": {"width": width, "height": 740},
            "is_mobile": True,
            "has_touch": True,
            "device_scale_factor": 2,
        }
    return {"viewport": {"width": width, "height": 768}}


@pytest.fixture
def page_at(browser, live_server):
    """Open a page on a screen of a given width in a fresh context: page_at(320); closed after the test."""
    contexts = []

    def open_page(width: int, locale: str = "fr-FR"):
        context = browser.new_context(base_url=live_server, locale=locale, **device_at(width))
        context.set_default_timeout(TIMEOUT_MS)
        context.set_default_navigation_timeout(TIMEOUT_MS)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


def log_in(page, email: str, password: str | None = None) -> None:
    """Log in through the form and land on the home page."""
    from tests.conftest import TEST_PASSWORD

    page.goto("/login")
    page.locator("#email").fill(email)
    page.locator("#password").fill(password or TEST_PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/")


@pytest.fixture
def page(new_page, viewport):
    """A fresh page on the test's viewport."""
    return new_page(viewport)


@pytest.fixture(scope="session")
def screenshot_dir() -> Path:
    """test-results/ at the repository root (ignored by git)."""
    RESULTS_DIR.mkdir(exist_ok=True)
    return RESULTS_DIR
