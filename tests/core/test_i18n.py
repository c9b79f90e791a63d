"""French by default, English selectable and remembered, a complete French catalogue, Paris time."""

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "_l": None, "lazy_gettext": None, "lazy_ngettext": (1, 2)}
METHODS = [("**.py", "python"), ("**.html", "jinja2")]


def _extracted() -> dict[str, str]:
    """Every translatable message in the code and templates, with where it is."""
    found = {}
    for folder in ("repairlab", "templates"):
        for filename, _lineno, message, _comments, _ctx in extract_from_dir(
            ROOT / folder,
            METHODS,
            keywords=KEYWORDS,
            comment_tags=(),
            directory_filter=lambda path: not Path(path).name.startswith(".") and Path(path).name != "__pycache__",
        ):
            msgid = message[0] if isinstance(message, tuple) else message
            if msgid:
                found.setdefault(msgid, f"{folder}/{filename}")
    return found


def test_every_message_has_a_french_translation():
    with open(ROOT / "repairlab/translations/fr/LC_MESSAGES/messages.po", "rb") as f:
        catalog = read_po(f, locale="fr")
    missing = []
    for msgid, where in sorted(_extracted().items()):
        message = catalog.get(msgid)
        strings = message.string if message is not None else None
        ok = all(strings) if isinstance(strings, tuple | list) else bool(strings)
        if message is None or not ok or message.fuzzy:
            missing.append(f"{where}: {msgid!r}")
    assert missing == [], "Missing or fuzzy French translations (run `make extract-messages`):\n" + "\n".join(missing)


def test_french_is_the_default(client):
    html = client.get("/login").get_data(as_text=True)
    assert '<html lang="fr">' in html and "Se connecter" in html


def test_anonymous_choice_is_kept_for_the_browser_session(client):
    response = client.post("/language", data={"lang": "en", "next": "/login"})
    assert response.location == "/login"
    html = client.get("/login").get_data(as_text=True)
    assert '<html lang="en">' in html and "Log in" in html


def test_users_choice_is_remembered_on_their_account(app, client, login, make_user, db):
    user = make_user(locale="fr")
    login(user)
    client.post("/language", data={"lang": "en"})
    db.session.refresh(user)
    assert user.locale == "en"
    other_device = app.test_client()
    login(user, other_device)
    assert '<html lang="en">' in other_device.get("/").get_data(as_text=True)


def test_unknown_language_is_refused(client):
    client.post("/language", data={"lang": "xx"})
    assert '<html lang="fr">' in client.get("/login").get_data(as_text=True)


def test_language_switch_does_not_redirect_elsewhere(client):
    response = client.post("/language", data={"lang": "en", "next": "https://evil.example/"})
    assert response.location == "/"


@pytest.mark.parametrize(("locale", "expected"), [("fr", "25/11/2026 22\u00a0h\u00a030"), ("en", "11/25/26, 10:30")])
def test_dates_are_shown_in_paris_time_and_the_users_format(app, locale, expected):
    from flask_babel import force_locale

    template = app.jinja_env.from_string("{{ when|datetime('short') }}")
    with app.test_request_context(), force_locale(locale):
        out = template.render(when=datetime(2026, 11, 25, 21, 30, tzinfo=UTC))
    assert out.startswith(expected)


PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")


def test_french_translations_keep_the_placeholders():
    """A translation that drops or renames %(name)s would crash or lie at run time."""
    with open(ROOT / "repairlab/translations/fr/LC_MESSAGES/messages.po", "rb") as f:
        catalog = read_po(f, locale="fr")
    problems = []
    for message in catalog:
        if not message.id or not message.string:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        wanted = set(PLACEHOLDER.findall(ids[-1]))
        for index, text in enumerate(strings):
            if not text:
                continue  # untranslated: the completeness test reports it
            found = set(PLACEHOLDER.findall(text))
            # A singular form may say the number in words ("Tous les jours" for 1): only %(num)d may be left out.
            singular_of_plural = len(strings) > 1 and index == 0
            if found != wanted and not (singular_of_plural and found == wanted - {"num"}):
                problems.append(f"{ids[0]!r} -> {text!r}")
    assert problems == []
