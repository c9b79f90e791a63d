"""Signed Open Badges 3.0 (VC-JWT): a talent downloads a badge through a real HTTP server, and PyJWT (another JOSE
library than the one that signs) verifies it against the key set the app publishes; tampering, key rotation,
revocation, who may download, the checker and the verification page in French and English."""

from __future__ import annotations

import base64
import html as html_lib
import io
import json
import stat
from datetime import UTC, date, datetime
from urllib.parse import urlsplit

import jwt as pyjwt
import pytest
import time_machine

from repairlab import create_app
from repairlab.config import ConfigError
from repairlab.people.models import Role
from repairlab.skills import badge_keys, signed_badges, validations
from repairlab.skills.signed_badges import Outcome

NOW = datetime(2026, 4, 1, 10, 0, tzinfo=UTC)
VALIDATED_ON = date(2026, 3, 2)
PRIVATE_PARAMETERS = {"d", "p", "q", "dp", "dq", "qi", "oth", "k"}
pytestmark = pytest.mark.usefixtures("frozen_clock")


@pytest.fixture
def frozen_clock():
    """1 April 2026, 10:00 UTC, for the app, the live server's thread and PyJWT alike."""
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def soldering(mentor, talent, make_skill, validate):
    """The talent's soldering, validated at level 2 on 2 March 2026."""
    skill = make_skill("Soudure à l'étain", description="Souder des composants.")
    return validate(mentor, talent, skill, 2, on=VALIDATED_ON)


@pytest.fixture
def key_folder(app, tmp_path, monkeypatch):
    """An empty folder of keys of its own, as BADGE_KEYS_DIR (the app's generated key stays out of the test)."""
    folder = tmp_path / "badge-keys"
    monkeypatch.setitem(app.config, "BADGE_KEYS_DIR", str(folder))
    monkeypatch.setitem(app.config, "BADGE_CURRENT_KEY", None)
    return folder


# --- Helpers: what an independent verifier does -------------------------------------------------------------


def _segment(data: dict) -> str:
    raw = json.dumps(data, separators=(",", ":"), ensure_ascii=False).encode()
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def _unsegment(segment: str) -> dict:
    return json.loads(base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4)))


def published_keys(visitor) -> pyjwt.PyJWKSet:
    """The key set, fetched over HTTP as a verifier fetches it."""
    response = visitor.get("/.well-known/jwks.json")
    assert response.status == 200
    assert response.headers["Content-Type"].startswith("application/jwk-set+json")
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    document = json.loads(response.body)
    for key in document["keys"]:
        assert not PRIVATE_PARAMETERS & set(key), "a private parameter is published"
    return pyjwt.PyJWKSet.from_dict(document)


def verify_independently(token: str, keys: pyjwt.PyJWKSet) -> dict:
    """Verify a badge with PyJWT: the key its `kid` names in the published set, RS256 only, the claims required."""
    kid = pyjwt.get_unverified_header(token)["kid"]
    return pyjwt.decode(
        token, key=keys[kid].key, algorithms=["RS256"], options={"require": ["iss", "jti", "nbf", "sub"]}
    )


def download(visitor, validation) -> str:
    """The signed badge, downloaded through the real server from the passport's link."""
    response = visitor.get(f"/skills/validations/{validation.id}/badge.jwt")
    assert response.status == 200, response.status
    assert response.headers["Content-Type"] == "application/jwt"
    assert "attachment" in response.headers["Content-Disposition"]
    return response.text


def _html(response) -> str:
    """The page as a person reads it: entities decoded, French no-break spaces as plain ones."""
    return html_lib.unescape(response.get_data(as_text=True)).replace("\u00a0", " ").replace("\u202f", " ")


# --- The download, verified by another library against the published keys -------------------------------------


def test_a_talent_downloads_a_signed_badge_and_another_library_verifies_it_with_the_published_key(
    live_client, talent, soldering
):
    visitor = live_client(talent)
    passport = visitor.get("/passport").text
    link = f"/skills/validations/{soldering.id}/badge.jwt"
    assert f'href="{link}"' in passport and "Télécharger le badge signé (.jwt)" in passport
    response = visitor.get(link)
    assert "filename=repairlab-soudure-a-l-etain-2.jwt" in response.headers["Content-Disposition"]
    token = download(visitor, soldering)

    claims = verify_independently(token, published_keys(live_client()))
    assert claims["type"] == ["VerifiableCredential", "OpenBadgeCredential"] and "vc" not in claims
    assert claims["jti"] == claims["id"] == f"https://repairlab.test/v/{soldering.token}"
    assert claims["iss"] == claims["issuer"]["id"] == f"https://repairlab.test/badges/issuers/{talent.territory_id}"
    assert claims["sub"] == claims["credentialSubject"]["id"]
    assert claims["nbf"] == int(datetime(2026, 3, 1, 23, 0, tzinfo=UTC).timestamp())  # 2 March, Paris
    assert claims["validFrom"] == "2026-03-01T23:00:00Z" and "exp" not in claims and "validUntil" not in claims
    assert claims["iat"] == int(NOW.timestamp())
    assert "Soudure à l'étain" in claims["credentialSubject"]["achievement"]["name"]
    assert talent.email not in token and talent.full_name not in json.dumps(claims, ensure_ascii=False)


def test_the_jose_header_is_what_open_badges_requires_and_its_kid_serves_the_key(live_client, talent, soldering):
    token = download(live_client(talent), soldering)
    header = pyjwt.get_unverified_header(token)
    assert set(header) == {"alg", "kid", "typ"}  # the spec allows no other header
    assert header["alg"] == "RS256" and header["typ"] == "JWT"
    current = badge_keys.keyring().current
    assert header["kid"] == f"https://repairlab.test/badges/keys/{current.name}"
    anonymous = live_client()
    jwk = json.loads(anonymous.get(urlsplit(header["kid"]).path).body)  # the kid dereferences to the key
    assert jwk["kid"] == header["kid"] and jwk["kty"] == "RSA" and not PRIVATE_PARAMETERS & set(jwk)
    assert published_keys(anonymous)[header["kid"]].key.public_numbers() == pyjwt.PyJWK(jwk).key.public_numbers()
    assert anonymous.get("/badges/keys/no-such-key").status == 404


def test_an_expiring_badge_has_exp_equal_to_valid_until(live_client, manager, talent, make_skill, validate):
    drill = make_skill("Perceuse à colonne", is_safety=True, validity_months=12)
    validation = validate(manager, talent, drill, 3, on=VALIDATED_ON)
    claims = verify_independently(download(live_client(talent), validation), published_keys(live_client()))
    assert claims["validUntil"] == "2027-03-01T23:00:00Z"
    assert claims["exp"] == int(datetime(2027, 3, 1, 23, 0, tzinfo=UTC).timestamp())


def test_the_issuer_profile_and_the_revocation_list_are_published(live_client, talent, soldering):
    token = download(live_client(talent), soldering)
    claims = _unsegment(token.split(".")[1])
    anonymous = live_client()
    profile = json.loads(anonymous.get(urlsplit(claims["iss"]).path).body)
    assert profile["id"] == claims["iss"] and profile["type"] == ["Profile"]
    assert profile["name"] == "Programme RepairLab, Roubaix-Lille"
    status = claims["credentialStatus"]
    assert status["type"] == "1EdTechRevocationList"
    listed = json.loads(anonymous.get(urlsplit(status["id"]).path).body)
    assert listed["id"] == status["id"] and listed["issuer"] == claims["iss"] and listed["revokedCredential"] == []
    assert anonymous.get("/badges/issuers/999999").status == 404


# --- Tampering ----------------------------------------------------------------------------------------------


def test_a_tampered_badge_fails_the_independent_verification_and_the_checker(live_client, talent, soldering):
    token = download(live_client(talent), soldering)
    keys = published_keys(live_client())
    header, payload, signature = token.split(".")

    claims = _unsegment(payload)
    claims["credentialSubject"]["achievement"]["name"] = "Soudure à l'étain – niveau 4 : sait transmettre"
    raised_level = f"{header}.{_segment(claims)}.{signature}"
    with pytest.raises(pyjwt.InvalidSignatureError):
        verify_independently(raised_level, keys)
    assert signed_badges.check(raised_level).outcome == Outcome.TAMPERED

    flipped = signature[:10] + ("A" if signature[10] != "A" else "B") + signature[11:]
    with pytest.raises(pyjwt.InvalidSignatureError):
        verify_independently(f"{header}.{payload}.{flipped}", keys)
    assert signed_badges.check(f"{header}.{payload}.{flipped}").outcome == Outcome.TAMPERED

    foreign = _unsegment(header) | {"kid": "https://elsewhere.example/keys/1"}
    with pytest.raises(KeyError):
        verify_independently(f"{_segment(foreign)}.{payload}.{signature}", keys)
    assert signed_badges.check(f"{_segment(foreign)}.{payload}.{signature}").outcome == Outcome.NOT_OURS

    unsigned = f"{_segment({'alg': 'none', 'typ': 'JWT'})}.{payload}."
    with pytest.raises(pyjwt.InvalidTokenError):
        pyjwt.decode(unsigned, key=keys.keys[0].key, algorithms=["RS256"])
    assert signed_badges.check(unsigned).outcome in {Outcome.NOT_OURS, Outcome.MALFORMED}
    assert signed_badges.check(token).outcome == Outcome.VALID


def test_a_badge_under_another_published_key_fails(app, key_folder, live_client, talent, soldering, monkeypatch):
    badge_keys.new_key(key_folder, "2026-a", bits=2048)
    token = download(live_client(talent), soldering)
    badge_keys.new_key(key_folder, "2026-b", bits=2048)
    header, payload, signature = token.split(".")
    other = _unsegment(header) | {"kid": "https://repairlab.test/badges/keys/2026-b"}
    forged = f"{_segment(other)}.{payload}.{signature}"
    with pytest.raises(pyjwt.InvalidSignatureError):
        verify_independently(forged, published_keys(live_client()))
    assert signed_badges.check(forged).outcome == Outcome.TAMPERED


# --- Keys: rotation, retirement, where they live ------------------------------------------------------------


def test_a_badge_signed_with_an_old_key_still_verifies_after_rotation_and_retirement(
    app, key_folder, live_client, talent, soldering, make_skill, validate, mentor
):
    badge_keys.new_key(key_folder, "20260101T000000Z", bits=2048)
    old_badge = download(live_client(talent), soldering)
    assert pyjwt.get_unverified_header(old_badge)["kid"].endswith("/20260101T000000Z")

    badge_keys.new_key(key_folder, "20260301T000000Z", bits=2048)  # newer: it signs from the next request
    later = validate(mentor, talent, make_skill("Couture"), 1, on=VALIDATED_ON)
    new_badge = download(live_client(talent), later)
    assert pyjwt.get_unverified_header(new_badge)["kid"].endswith("/20260301T000000Z")

    badge_keys.retire(key_folder, "20260101T000000Z")  # only its public half is left
    assert b"PRIVATE" not in (key_folder / "20260101T000000Z.pem").read_bytes()
    keys = published_keys(live_client())
    assert {k.key_id.rsplit("/", 1)[1] for k in keys.keys} == {"20260101T000000Z", "20260301T000000Z"}
    assert verify_independently(old_badge, keys)["jti"].endswith(soldering.token)
    assert verify_independently(new_badge, keys)["jti"].endswith(later.token)
    assert signed_badges.check(old_badge).outcome == Outcome.VALID
    assert badge_keys.keyring().current.name == "20260301T000000Z"


def test_the_current_key_can_be_named(app, key_folder, live_client, talent, soldering, monkeypatch):
    badge_keys.new_key(key_folder, "alpha", bits=2048)
    badge_keys.new_key(key_folder, "beta", bits=2048)
    monkeypatch.setitem(app.config, "BADGE_CURRENT_KEY", "alpha")
    assert pyjwt.get_unverified_header(download(live_client(talent), soldering))["kid"].endswith("/alpha")
    monkeypatch.setitem(app.config, "BADGE_CURRENT_KEY", "gamma")
    with pytest.raises(ConfigError, match=r"no gamma\.pem"):
        badge_keys.keyring()


def test_a_folder_with_something_else_than_an_rsa_key_is_refused(key_folder):
    key_folder.mkdir()
    (key_folder / "broken.pem").write_text("not a key")
    with pytest.raises(ConfigError, match="not an RSA key"):
        badge_keys.load(key_folder)


def test_a_folder_broken_while_running_keeps_the_keys_read_before(app, key_folder, client, soldering, caplog):
    badge_keys.new_key(key_folder, "alpha", bits=2048)
    assert badge_keys.keyring().current.name == "alpha"
    badge_keys.retire(key_folder, "alpha")  # by hand: the only key that signs becomes public only
    (key_folder / "typo.pem").write_text("not a key")
    with pytest.raises(ConfigError, match="not an RSA key"):
        badge_keys.load(key_folder)  # a restart would refuse it
    assert badge_keys.keyring().current.name == "alpha"  # this process carries on, and says why
    assert "cannot be used" in caplog.text
    assert "Signature vérifiée" in _html(client.get(f"/v/{soldering.token}"))


def test_the_cli_creates_lists_and_retires_keys(app, key_folder):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["badge-keys", "new", "--name", "2026-a", "--bits", "2048"])
    assert result.exit_code == 0, result.output
    assert stat.S_IMODE((key_folder / "2026-a.pem").stat().st_mode) == 0o600
    runner.invoke(args=["badge-keys", "new", "--name", "2026-b", "--bits", "2048"])
    assert "2026-b  RSA 2048 bits  signs new badges" in runner.invoke(args=["badge-keys", "list"]).output
    refused = runner.invoke(args=["badge-keys", "retire", "2026-b"])
    assert refused.exit_code != 0 and "signs new badges" in refused.output
    assert runner.invoke(args=["badge-keys", "retire", "2026-a"]).exit_code == 0
    assert "2026-a  RSA 2048 bits  public only" in runner.invoke(args=["badge-keys", "list"]).output
    assert runner.invoke(args=["badge-keys", "new", "--name", "../escape"]).exit_code != 0


def test_development_generates_a_private_key_into_its_instance_folder(tmp_path):
    application = create_app(
        {"REPAIRLAB_ENV": "development", "DATABASE_URL": f"sqlite:///{tmp_path}/dev.sqlite3"},
        instance_path=str(tmp_path / "instance"),
    )
    with application.app_context():
        ring = badge_keys.keyring()
    [path] = (tmp_path / "instance" / "badge-keys").glob("*.pem")
    assert ring.current is not None and ring.current.can_sign and ring.current.bits == 3072
    assert stat.S_IMODE(path.stat().st_mode) == 0o600 and path.read_bytes().startswith(b"-----BEGIN PRIVATE KEY")


def test_production_never_generates_a_key_and_refuses_a_misnamed_one(tmp_path):
    config = {
        "REPAIRLAB_ENV": "production",
        "SECRET_KEY": "x" * 32,
        "DATABASE_URL": f"sqlite:///{tmp_path}/prod.sqlite3",
        "BADGE_KEYS_DIR": str(tmp_path / "keys"),
    }
    application = create_app(config, instance_path=str(tmp_path / "instance"))
    with application.app_context():
        assert badge_keys.keyring().keys == () and not signed_badges.can_sign()
        assert signed_badges.jwks() == {"keys": []}
    assert not (tmp_path / "keys").exists()
    with pytest.raises(ConfigError, match="BADGE_CURRENT_KEY"):
        create_app({**config, "BADGE_CURRENT_KEY": "missing"}, instance_path=str(tmp_path / "instance"))


def test_without_a_key_the_pages_offer_no_signed_badge(app, client, login, key_folder, talent, soldering, monkeypatch):
    monkeypatch.setitem(app.config, "REPAIRLAB_ENV", "production")  # production never generates a key
    login(talent)
    assert "badge.jwt" not in _html(client.get("/passport"))
    response = client.get(f"/skills/validations/{soldering.id}/badge.jwt")
    assert response.status_code == 302
    assert "pas encore en place" in _html(client.get(response.location))
    assert "Badge signé" not in _html(client.get(f"/v/{soldering.token}"))


# --- Revocation ---------------------------------------------------------------------------------------------


def test_a_validation_withdrawn_after_the_download_is_on_the_revocation_list(
    db, live_client, mentor, talent, soldering
):
    token = download(live_client(talent), soldering)
    with time_machine.travel(datetime(2026, 4, 5, 9, 0, tzinfo=UTC), tick=False):
        validations.withdraw_validation(mentor, soldering, reason="Erreur de saisie")
        db.session.commit()
        anonymous = live_client()
        claims = verify_independently(token, published_keys(anonymous))  # the signature itself still holds
        listed = json.loads(anonymous.get(urlsplit(claims["credentialStatus"]["id"]).path).body)
        result = signed_badges.check(token)
    assert [entry["id"] for entry in listed["revokedCredential"]] == [claims["jti"]]
    assert listed["revokedCredential"][0]["revoked"] is True
    assert "Erreur de saisie" not in json.dumps(listed, ensure_ascii=False)
    assert result.outcome == Outcome.REVOKED and result.ended_on == date(2026, 4, 5)


def test_a_withdrawn_or_expired_validation_offers_no_download(client, login, db, mentor, manager, talent, soldering):
    validations.withdraw_validation(mentor, soldering, reason="Erreur")
    db.session.commit()
    login(talent)
    response = client.get(f"/skills/validations/{soldering.id}/badge.jwt")
    assert response.status_code == 302 and response.location.endswith("/passport")
    assert "Cette validation a été retirée : il n’y a pas de badge à télécharger." in _html(client.get("/passport"))


def test_an_expired_badge_says_so(live_client, manager, talent, make_skill, validate):
    drill = make_skill("Perceuse à colonne", is_safety=True, validity_months=1)
    validation = validate(manager, talent, drill, 3, on=VALIDATED_ON)
    token = download(live_client(talent), validation)
    with time_machine.travel(datetime(2026, 4, 3, 9, 0, tzinfo=UTC), tick=False):
        with pytest.raises(pyjwt.ExpiredSignatureError):
            verify_independently(token, published_keys(live_client()))
        result = signed_badges.check(token)
    assert result.outcome == Outcome.EXPIRED and result.ended_on == date(2026, 4, 2)


# --- Who may download ---------------------------------------------------------------------------------------


def test_only_the_talent_and_the_staff_of_their_territory_download_the_badge(
    live_client, make_user, other_territory, mentor, talent, soldering
):
    url = f"/skills/validations/{soldering.id}/badge.jwt"
    assert live_client(mentor).get(url).status == 200
    assert live_client(make_user(Role.PARTICIPANT)).get(url).status == 404  # another talent
    for role in (Role.MENTOR, Role.LAB_MANAGER):
        assert live_client(make_user(role, territory_=other_territory)).get(url).status == 404
    anonymous = live_client().get(url)
    assert anonymous.status == 302 and "/login" in anonymous.headers["Location"]


def test_a_declaration_has_no_badge(client, login, db, talent, make_skill):
    declared = validations.declare_skill(talent, make_skill(), level=2)
    db.session.commit()
    login(talent)
    assert client.get(f"/skills/validations/{declared.id}/badge.jwt").status_code == 404


# --- The verification page and the checker say it in plain words ------------------------------------------------


def test_the_verification_page_checks_the_signature_itself_in_french(client, soldering):
    html = _html(client.get(f"/v/{soldering.token}"))
    assert "Signature vérifiée : ce badge a bien été émis par RepairLab (Roubaix-Lille) le 2 mars 2026." in html
    assert "https://repairlab.test/.well-known/jwks.json" in html


def test_the_verification_page_checks_the_signature_itself_in_english(client, soldering):
    client.post("/language", data={"lang": "en"})
    html = _html(client.get(f"/v/{soldering.token}"))
    assert "Signature verified: this badge was indeed issued by RepairLab (Roubaix-Lille) on March 2, 2026." in html


def test_the_verification_page_says_revoked_in_both_languages(client, db, mentor, soldering):
    with time_machine.travel(datetime(2026, 4, 5, 9, 0, tzinfo=UTC), tick=False):
        validations.withdraw_validation(mentor, soldering, reason="Erreur")
        db.session.commit()
    html = _html(client.get(f"/v/{soldering.token}"))
    assert (
        "Signature vérifiée, mais ce badge a été révoqué le 5 avril 2026 : le programme a retiré cette validation."
        in html
    )
    client.post("/language", data={"lang": "en"})
    html = _html(client.get(f"/v/{soldering.token}"))
    assert (
        "Signature verified, but this badge was revoked on April 5, 2026: the programme withdrew this validation."
        in html
    )


def test_anyone_checks_a_pasted_or_uploaded_badge(client, live_client, talent, soldering):
    token = download(live_client(talent), soldering)
    assert client.get("/badges/check").status_code == 200
    pasted = _html(client.post("/badges/check", data={"badge": f"\n  {token}\n"}))
    assert "Signature vérifiée : ce badge a bien été émis par RepairLab (Roubaix-Lille) le 2 mars 2026." in pasted
    assert "Soudure à l'étain – niveau 2 : pratiqué avec aide" in pasted
    uploaded = client.post(
        "/badges/check",
        data={"badge_file": (io.BytesIO(token.encode()), "badge.jwt")},
        content_type="multipart/form-data",
    )
    assert "Signature vérifiée" in _html(uploaded)
    client.post("/language", data={"lang": "en"})
    header, payload, signature = token.split(".")
    changed = _unsegment(payload) | {"name": "Soudure – niveau 4"}
    html = _html(client.post("/badges/check", data={"badge": f"{header}.{_segment(changed)}.{signature}"}))
    assert "The signature does not match: this badge was changed after it was issued. Do not trust it." in html
    assert "Soudure – niveau 4" not in html  # nothing of an unverified badge is shown
    assert "This is not a signed badge." in _html(client.post("/badges/check", data={"badge": "bonjour"}))


def test_the_checker_explains_a_missing_or_unreadable_badge(client):
    client.post("/language", data={"lang": "en"})
    empty = client.post("/badges/check", data={"badge": "  "})
    assert empty.status_code == 400 and "Paste the content of a badge, or choose its file." in _html(empty)
    binary = client.post(
        "/badges/check",
        data={"badge_file": (io.BytesIO(b"\xff\xfe\x00\x01"), "photo.png")},
        content_type="multipart/form-data",
    )
    assert binary.status_code == 400 and "This file is not a badge" in _html(binary)
    huge = client.post(
        "/badges/check",
        data={"badge_file": (io.BytesIO(b"a" * 70_000), "big.jwt")},
        content_type="multipart/form-data",
    )
    assert huge.status_code == 400 and "This file is too large to be a badge." in _html(huge)


def test_the_verification_page_links_to_the_published_keys_and_the_checker(client, soldering):
    html = _html(client.get(f"/v/{soldering.token}"))
    assert '<a href="https://repairlab.test/.well-known/jwks.json">' in html
    assert '<a href="/badges/check">' in html


def test_a_badge_signed_with_our_key_but_inconsistent_or_unknown_is_not_trusted(live_client, talent, soldering):
    claims = _unsegment(download(live_client(talent), soldering).split(".")[1])
    key = badge_keys.keyring().current
    headers = {"kid": signed_badges.key_url(key.name), "typ": "JWT"}

    def signed(payload: dict) -> str:
        return pyjwt.encode(payload, key.key.raw_value, algorithm="RS256", headers=headers)

    assert signed_badges.check(signed(claims)).outcome == Outcome.VALID
    assert signed_badges.check(signed(claims | {"jti": "https://repairlab.test/v/other"})).outcome == (
        Outcome.INCONSISTENT  # jti must equal the credential's id
    )
    assert signed_badges.check(signed(claims | {"nbf": claims["nbf"] + 1})).outcome == Outcome.INCONSISTENT
    unknown = claims | {"id": "https://repairlab.test/v/never-issued", "jti": "https://repairlab.test/v/never-issued"}
    assert signed_badges.check(signed(unknown)).outcome == Outcome.UNKNOWN
