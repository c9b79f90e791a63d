"""The /scan page (camera, USB scanner, typed code), its no-JavaScript route /scan/go and the resolver's pages."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest

from repairlab.inventory.codes import issue_code
from repairlab.people.models import Role


class _Assets(HTMLParser):
    """Collect script and stylesheet references, inline scripts, inline handlers and the manual form."""

    def __init__(self):
        super().__init__()
        self.scripts: list[str] = []
        self.links: list[str] = []
        self.inline_scripts = 0
        self.handlers: list[str] = []
        self.data_urls: list[str] = []
        self.forms: list[dict[str, str]] = []
        self.inputs: list[dict[str, str]] = []

    def handle_starttag(self, tag, attrs):
        attrs = {k: v or "" for k, v in attrs}
        self.handlers += [k for k in attrs if k.startswith("on")]
        if tag == "script":
            if attrs.get("src"):
                self.scripts.append(attrs["src"])
            else:
                self.inline_scripts += 1
        elif tag == "link" and attrs.get("href"):
            self.links.append(attrs["href"])
        elif tag == "form":
            self.forms.append(attrs)
        elif tag == "input":
            self.inputs.append(attrs)
        self.data_urls += [v for k, v in attrs.items() if k.endswith("-src")]


def _parse(html: str) -> _Assets:
    parser = _Assets()
    parser.feed(html)
    return parser


def _english(client):
    client.post("/language", data={"lang": "en"})
    return client


def test_scan_page_is_public_and_french_by_default(client):
    response = client.get("/scan")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert '<html lang="fr">' in html
    assert 'name="code"' in html


def test_scan_page_shows_the_camera_button_and_the_manual_form(client):
    html = _english(client).get("/scan").get_data(as_text=True)
    assert "Start the camera" in html and "Stop the camera" in html
    assert "Type the code written under the QR code" in html
    page = _parse(html)
    [form] = [f for f in page.forms if f.get("action") == "/scan/go"]
    assert form["method"] == "get"
    [field] = [i for i in page.inputs if i.get("name") == "code"]
    assert field["autocomplete"] == "off" and field["autocapitalize"] == "characters"
    assert field["id"] and f'<label for="{field["id"]}"' in html
    # The label's input must not grab the focus from HTML: on phones that would open the keyboard.
    assert "autofocus" not in field


def test_scan_page_works_for_a_logged_in_user(client, login, make_user):
    login(make_user(Role.PARTICIPANT))
    html = client.get("/scan").get_data(as_text=True)
    assert 'name="code"' in html
    assert "Se déconnecter" in html or "Log out" in html


def test_scan_page_assets_are_existing_static_files_and_no_inline_script(client):
    html = client.get("/scan").get_data(as_text=True)
    page = _parse(html)
    assert page.inline_scripts == 0
    assert page.handlers == []
    assert "/static/js/scan.js" in page.scripts
    assert any("vendor/jsqr-1.4.0/jsQR.js" in url for url in page.data_urls)
    for url in page.scripts + page.links + page.data_urls:
        path = urlsplit(url).path
        assert path.startswith("/static/"), url
        response = client.get(path)
        assert response.status_code == 200, url
        response.close()


def test_jsqr_is_vendored_with_its_licence(app):
    from pathlib import Path

    folder = Path(app.static_folder) / "vendor" / "jsqr-1.4.0"
    assert "Apache License" in (folder / "LICENSE").read_text()
    assert "jsQR" in (folder / "jsQR.js").read_text()[:2000]


def test_scan_page_passes_translated_messages_to_the_script(client):
    html = _english(client).get("/scan").get_data(as_text=True)
    assert 'data-msg-opening="Opening __CODE__…"' in html
    assert 'data-msg-not-label="This QR code is not a RepairLab label."' in html
    assert 'data-resolve-base="/q/"' in html


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("rbx-42", "/q/RBX-0042"),
        ("  RBX 0042 ", "/q/RBX-0042"),
        ("https://old-labels.example.org/q/rbx-0042", "/q/RBX-0042"),
    ],
)
def test_scan_go_opens_the_normalised_code(client, typed, expected):
    response = client.get("/scan/go", query_string={"code": typed})
    assert response.status_code == 302
    assert response.location == expected


@pytest.mark.parametrize("typed", ["", "   "])
def test_scan_go_without_a_code_asks_for_one(client, typed):
    response = _english(client).get("/scan/go", query_string={"code": typed})
    assert response.status_code == 302 and response.location == "/scan"
    html = client.get("/scan").get_data(as_text=True)
    assert "Type a code, for example RBX-0042." in html


@pytest.mark.parametrize("typed", ["x" * 41, "https://example.org/not-a-label", "..", "/"])
def test_scan_go_refuses_what_cannot_be_a_code(client, typed):
    response = _english(client).get("/scan/go", query_string={"code": typed})
    assert response.status_code == 302 and response.location == "/scan"
    assert "This is not a RepairLab code." in client.get("/scan").get_data(as_text=True)


def test_scan_go_sends_other_short_text_to_the_friendly_page(client):
    response = _english(client).get("/scan/go", query_string={"code": "hammer"}, follow_redirects=True)
    html = response.get_data(as_text=True)
    assert response.status_code == 404
    assert "No thing has this code" in html and "is not a RepairLab code" in html


def test_unknown_code_page_offers_a_search_box(client):
    response = _english(client).get("/q/zzz-9")
    html = response.get_data(as_text=True)
    assert response.status_code == 404
    assert "No thing has this code" in html and "ZZZ-0009" in html
    page = _parse(html)
    assert any(f.get("action") == "/scan/go" and f.get("method") == "get" for f in page.forms)
    assert any(i.get("name") == "code" and i.get("value") == "zzz-9" for i in page.inputs)
    assert page.inline_scripts == 0


def test_unknown_code_page_escapes_what_was_asked(client):
    html = client.get("/q/<script>alert(1)</script>").get_data(as_text=True)
    assert "<script>alert" not in html


def test_unknown_code_page_is_french_by_default(client):
    html = client.get("/q/zzz-9").get_data(as_text=True)
    assert '<html lang="fr">' in html and 'name="code"' in html


def test_unattached_label_tells_anonymous_visitors_how_to_attach_it(client, db, territory):
    code = issue_code(territory)
    db.session.commit()
    response = _english(client).get(f"/q/{code.code.lower()}")
    html = response.get_data(as_text=True)
    assert response.status_code == 404
    assert "This label is not attached to anything yet." in html
    assert territory.name in html and code.code in html
    assert re.search(r'href="/login\?next=/q/RBX-0001"|href="/login\?next=%2Fq%2FRBX-0001"', html)


def test_unattached_label_has_no_login_link_for_a_logged_in_talent(client, db, territory, login, make_user):
    code = issue_code(territory)
    db.session.commit()
    login(make_user(Role.PARTICIPANT))
    _english(client)
    html = client.get(f"/q/{code.code}").get_data(as_text=True)
    assert "This label is not attached to anything yet." in html
    assert "Log in to attach it" not in html
