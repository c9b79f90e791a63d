"""Browser journeys: logging in and out, the language switch, a wrong password, and the keyboard-only login."""

from __future__ import annotations

import re

import pytest

from repairlab.people.models import Role
from tests.conftest import TEST_PASSWORD

try:
    from playwright.sync_api import Page, expect
except ImportError:  # the fixtures skip (or fail on CI) with the reason
    Page = object
    expect = None

pytestmark = pytest.mark.browser

ADMIN_EMAIL = "ada.admin@example.org"
ADMIN_NAME = "Ada Lovelace"
LOGIN_URL = re.compile(r"^https?://[^/]+/login$")
HOME_URL = re.compile(r"^https?://[^/]+/$")


@pytest.fixture
def demo_admin(make_user):
    """An administrator like the demo one, with a French interface."""
    return make_user(Role.ADMIN, email=ADMIN_EMAIL, name=ADMIN_NAME, password=TEST_PASSWORD, locale="fr")


# --- Helpers --------------------------------------------------------------------------------------


def expect_lang(page: Page, lang: str) -> None:
    expect(page.locator("html")).to_have_attribute("lang", lang)


def flashes(page: Page):
    """The flash messages, announced politely to screen readers."""
    return page.locator(".flashes[role=status]")


def assert_no_sideways_scroll(page: Page) -> None:
    """Nothing sticks out of a phone screen (the page never scrolls sideways)."""
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"{page.url} is {overflow} px wider than the screen"


def log_in(page: Page, email: str = ADMIN_EMAIL, password: str = TEST_PASSWORD, button: str = "Se connecter") -> None:
    """Fill and submit the login form of the current page."""
    page.locator("#email").fill(email)
    page.locator("#password").fill(password)
    page.locator("main form").get_by_role("button", name=button).click()


def open_menu(page: Page, viewport: str):
    """The visible navigation list: on a phone, the "Menu" disclosure is opened first."""
    if viewport == "phone":
        menu = page.locator("details.menu")
        expect(page.locator(".nav-wide")).to_be_hidden()
        summary = menu.locator("summary")
        expect(summary).to_have_text(re.compile(r"^\s*Menu\s*$"))
        summary.click()
        expect(menu).to_have_attribute("open", "")
        return menu.locator("ul")
    expect(page.locator("details.menu")).to_be_hidden()
    nav = page.locator(".nav-wide")
    expect(nav).to_be_visible()
    # On a wide screen, "My account" and "Log out" sit in the account menu, named after the user.
    account = nav.locator("details.account-menu")
    account.locator("summary").click()
    expect(account).to_have_attribute("open", "")
    return nav


def log_out(page: Page, viewport: str, button: str = "Se déconnecter") -> None:
    open_menu(page, viewport).get_by_role("button", name=button).click()


# --- a. Logging in --------------------------------------------------------------------------------


def test_admin_logs_in_and_finds_the_menu(page, viewport, demo_admin, screenshot_dir):
    page.goto("/")
    expect(page).to_have_url(LOGIN_URL)
    expect_lang(page, "fr")
    expect(page.get_by_role("heading", level=1)).to_have_text("Se connecter")
    expect(page.locator("#email")).to_be_visible()
    page.screenshot(path=screenshot_dir / f"login-{viewport}.png", full_page=True)
    assert_no_sideways_scroll(page)

    log_in(page)

    expect(page).to_have_url(HOME_URL)
    expect_lang(page, "fr")
    expect(page.get_by_role("heading", level=1)).to_contain_text(ADMIN_NAME)
    expect(flashes(page)).to_contain_text(ADMIN_NAME)
    page.screenshot(path=screenshot_dir / f"home-{viewport}.png", full_page=True)
    assert_no_sideways_scroll(page)

    if viewport == "phone":
        # The links are folded away until the menu is opened.
        expect(page.locator("details.menu").get_by_role("button", name="Se déconnecter")).to_be_hidden()
    menu = open_menu(page, viewport)
    expect(menu.get_by_role("button", name="Se déconnecter")).to_be_visible()
    expect(menu.get_by_role("link", name="Mon compte")).to_be_visible()


# --- b. Language ----------------------------------------------------------------------------------


def test_anonymous_language_choice_lasts_for_the_browser_session(page, viewport, new_page):
    page.goto("/login")
    expect_lang(page, "fr")
    english = page.get_by_role("button", name="English")
    expect(english).to_have_attribute("lang", "en")

    english.click()

    expect(page).to_have_url(LOGIN_URL)
    expect_lang(page, "en")
    expect(page.get_by_role("heading", level=1)).to_have_text("Log in")
    expect(page.get_by_role("button", name="Français")).to_be_visible()
    expect(page.get_by_role("button", name="English")).to_have_count(0)

    # Other pages of the same browser session keep the choice.
    page.goto("/no-such-page")
    expect_lang(page, "en")
    expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")
    page.goto("/")
    expect(page).to_have_url(LOGIN_URL)
    expect_lang(page, "en")

    # Another browser session starts in French again.
    other = new_page(viewport)
    other.goto("/login")
    expect_lang(other, "fr")

    # And back to French.
    page.get_by_role("button", name="Français").click()
    expect_lang(page, "fr")
    expect(page.get_by_role("heading", level=1)).to_have_text("Se connecter")


def test_users_language_is_remembered_on_their_account(page, viewport, new_page, demo_admin):
    page.goto("/login")
    log_in(page)
    expect(page).to_have_url(HOME_URL)
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Bonjour, {ADMIN_NAME}")

    page.get_by_role("button", name="English").click()

    expect(page).to_have_url(HOME_URL)
    expect_lang(page, "en")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Hello, {ADMIN_NAME}")

    # Log out and in again: still English.
    log_out(page, viewport, button="Log out")
    expect(page).to_have_url(LOGIN_URL)
    expect_lang(page, "en")
    log_in(page, button="Log in")
    expect(page).to_have_url(HOME_URL)
    expect_lang(page, "en")

    # On another device (no cookie from this one), the account's language applies once logged in.
    other = new_page(viewport)
    other.goto("/login")
    expect_lang(other, "fr")
    log_in(other)
    expect(other).to_have_url(HOME_URL)
    expect_lang(other, "en")
    expect(other.get_by_role("heading", level=1)).to_have_text(f"Hello, {ADMIN_NAME}")

    # Switching back to French is remembered too.
    other.get_by_role("button", name="Français").click()
    expect_lang(other, "fr")
    expect(other.get_by_role("heading", level=1)).to_have_text(f"Bonjour, {ADMIN_NAME}")
    third = new_page(viewport)
    third.goto("/login")
    log_in(third)
    expect(third).to_have_url(HOME_URL)
    expect_lang(third, "fr")


# --- c. Logging out -------------------------------------------------------------------------------


def test_logging_out_returns_to_the_login_page_and_closes_the_session(page, viewport, demo_admin):
    page.goto("/login")
    log_in(page)
    expect(page).to_have_url(HOME_URL)

    log_out(page, viewport)

    expect(page).to_have_url(LOGIN_URL)
    expect_lang(page, "fr")
    expect(page.get_by_role("heading", level=1)).to_have_text("Se connecter")
    expect(flashes(page)).to_contain_text("Vous êtes déconnecté")
    expect(page.get_by_role("button", name="Se déconnecter")).to_have_count(0)

    page.goto("/")
    expect(page).to_have_url(LOGIN_URL)
    page.goto("/account")
    expect(page).to_have_url(re.compile(r"/login\?next=%2Faccount$"))


def test_logging_out_in_english_stays_in_english(page, viewport, demo_admin):
    page.goto("/login")
    log_in(page)
    page.get_by_role("button", name="English").click()
    expect_lang(page, "en")

    log_out(page, viewport, button="Log out")

    expect(page).to_have_url(LOGIN_URL)
    expect_lang(page, "en")
    expect(flashes(page)).to_contain_text("You are logged out")


def test_logging_out_keeps_the_accounts_language(new_page, make_user):
    make_user(Role.PARTICIPANT, email="eve@example.org", name="Eve English", locale="en")
    page = new_page("desktop")
    page.goto("/login")
    log_in(page, email="eve@example.org")
    expect(page).to_have_url(HOME_URL)
    expect_lang(page, "en")

    log_out(page, "desktop", button="Log out")

    expect(page).to_have_url(LOGIN_URL)
    expect_lang(page, "en")


# --- d. Wrong password ----------------------------------------------------------------------------


def test_wrong_password_and_unknown_email_get_the_same_error(page, viewport, demo_admin):
    page.goto("/login")

    log_in(page, password="not the password")

    expect(page).to_have_url(LOGIN_URL)
    alert = page.get_by_role("alert")
    expect(alert).to_be_visible()
    expect(alert).to_contain_text("E-mail ou mot de passe incorrect")
    wrong_password_message = alert.inner_text()
    expect(page.locator("#password")).to_have_value("")

    log_in(page, email="nobody@example.org", password="not the password")

    expect(page).to_have_url(LOGIN_URL)
    expect(page.get_by_role("alert")).to_have_text(wrong_password_message)

    # The form still works afterwards (a fresh CSRF token came with the page).
    log_in(page)
    expect(page).to_have_url(HOME_URL)
    expect(page.get_by_role("heading", level=1)).to_contain_text(ADMIN_NAME)


# --- e. Keyboard only -----------------------------------------------------------------------------


def test_login_with_the_keyboard_only(new_page, demo_admin):
    page = new_page("desktop")
    page.goto("/login")
    email = page.locator("#email")
    expect(email).to_be_focused()  # autofocus

    page.keyboard.type(ADMIN_EMAIL)
    page.keyboard.press("Tab")
    expect(page.locator("#password")).to_be_focused()
    page.keyboard.type(TEST_PASSWORD)
    page.keyboard.press("Tab")
    remember = page.locator("#remember")
    expect(remember).to_be_focused()
    page.keyboard.press("Space")
    expect(remember).to_be_checked()
    page.keyboard.press("Tab")
    expect(page.locator("main form").get_by_role("button", name="Se connecter")).to_be_focused()
    page.keyboard.press("Enter")

    expect(page).to_have_url(HOME_URL)
    expect(page.get_by_role("heading", level=1)).to_contain_text(ADMIN_NAME)

    # The first Tab stop of a page is the skip link, which jumps to the content.
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Aller au contenu")
    expect(skip).to_be_focused()
    expect(skip).to_be_visible()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/#main$"))


def test_enter_in_the_password_field_submits(new_page, demo_admin):
    page = new_page("desktop")
    page.goto("/login")
    expect(page.locator("#email")).to_be_focused()  # autofocus lands before typing starts
    page.keyboard.type(ADMIN_EMAIL)
    page.keyboard.press("Tab")
    expect(page.locator("#password")).to_be_focused()
    page.keyboard.type(TEST_PASSWORD)
    page.keyboard.press("Enter")
    expect(page).to_have_url(HOME_URL)
