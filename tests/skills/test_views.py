"""The skills pages as people use them: catalogue, passport, validating, declaring, withdrawing, matching,
public verification and the Open Badges export."""

from __future__ import annotations

import html as html_lib
import io
import json
from datetime import date

import pytest
import sqlalchemy as sa

from repairlab import clock
from repairlab.people.models import Role
from repairlab.skills import validations
from repairlab.skills.models import Skill, SkillDomain, SkillValidation, ValidationKind, ValidationStatus
from tests.skills.conftest import png_bytes


@pytest.fixture(autouse=True)
def english(client):
    """Assert on English text: the French catalogue is maintained separately."""
    client.post("/language", data={"lang": "en"})


def _html(response) -> str:
    """The page as text, with HTML entities decoded (what a person reads)."""
    return html_lib.unescape(response.get_data(as_text=True))


def _login_en(login, client, user, db):
    user.locale = "en"
    db.session.commit()
    return login(user)


# --- Catalogue ------------------------------------------------------------------------------------


def test_everyone_logged_in_sees_the_catalogue_by_domain(client, login, db, talent, make_skill, make_domain):
    make_skill("Soudure à l'étain", description="Souder des composants.")
    make_skill("Couture à la machine", domain=make_domain("Textile", position=5))
    make_skill("Ancienne compétence", active=False)
    _login_en(login, client, talent, db)
    html = _html(client.get("/skills"))
    assert "Soudure à l'étain" in html and "Textile" in html and "Souder des composants." in html
    assert "Ancienne compétence" not in html
    assert "declare it" in html and "New skill" not in html


def test_the_catalogue_filters_by_text_and_domain(client, login, db, mentor, make_skill, make_domain):
    make_skill("Soudure")
    textile = make_domain("Textile")
    make_skill("Couture", domain=textile)
    _login_en(login, client, mentor, db)
    assert "Couture" not in _html(client.get("/skills", query_string={"q": "soud"}))
    html = _html(client.get("/skills", query_string={"domain": textile.id}))
    assert "Couture" in html and "Soudure" not in html


def test_ids_too_large_for_the_database_in_the_query_string_are_ignored(client, login, db, manager, talent):
    huge = "9" * 25
    login(manager)
    for url in (f"/skills?domain={huge}", f"/skills/new?domain={huge}", f"/skills/match?team={huge}"):
        assert client.get(url).status_code < 500, url
    login(talent)
    assert client.get(f"/passport/declare?skill={huge}").status_code == 200


def test_skill_ids_too_large_for_the_database_in_forms_are_refused_without_error(
    client, login, db, mentor, talent, count_rows
):
    huge = "9" * 25
    login(mentor)
    assert client.get(f"/skills/match?rows-0-skill_id={huge}&rows-0-level=2").status_code == 200
    response = client.post(
        f"/passport/{talent.id}/validate", data={"skill_id": huge, "level": "2", "validated_on": "2026-01-01"}
    )
    assert response.status_code == 400
    login(talent)
    assert client.post("/passport/declare", data={"skill_id": huge, "level": "2"}).status_code == 400
    assert count_rows(SkillValidation) == 0


def test_an_admin_adds_a_skill(client, login, db, admin, make_domain):
    domain = make_domain("Électronique")
    _login_en(login, client, admin, db)
    response = client.post(
        "/skills/new",
        data={"domain_id": domain.id, "name": "Multimètre", "is_safety": "", "active": "y"},
        follow_redirects=True,
    )
    assert response.status_code == 200
    assert "Skill “Multimètre” added to the catalogue." in _html(response)
    assert db.session.scalar(sa.select(Skill.name)) == "Multimètre"


def test_a_duplicate_skill_is_refused_with_a_message(client, login, db, admin, make_skill, count_rows):
    skill = make_skill("Multimètre")
    _login_en(login, client, admin, db)
    response = client.post("/skills/new", data={"domain_id": skill.domain_id, "name": "MULTIMETRE", "active": "y"})
    assert response.status_code == 400
    assert "This domain already has a skill with this name." in _html(response)
    assert count_rows(Skill) == 1


def test_a_safety_skill_with_a_validity_period(client, login, db, admin, make_domain):
    domain = make_domain()
    _login_en(login, client, admin, db)
    client.post(
        "/skills/new",
        data={"domain_id": domain.id, "name": "Perceuse", "is_safety": "y", "validity_months": "12", "active": "y"},
    )
    skill = db.session.scalar(sa.select(Skill))
    assert skill.is_safety and skill.validity_months == 12
    response = client.post(
        f"/skills/{skill.id}/edit",
        data={"domain_id": domain.id, "name": "Perceuse", "validity_months": "12", "active": "y"},
    )
    assert response.status_code == 400 and "Only safety skills expire" in _html(response)
    db.session.refresh(skill)
    assert skill.is_safety


def test_lab_managers_do_not_edit_the_shared_catalogue(client, login, db, manager, make_skill, count_rows):
    skill = make_skill("Perceuse à colonne", is_safety=True, validity_months=12)
    _login_en(login, client, manager, db)
    edit = {"domain_id": skill.domain_id, "name": skill.name, "is_safety": "", "active": "y"}
    assert client.post(f"/skills/{skill.id}/edit", data=edit).status_code == 403
    assert client.post("/skills/new", data={**edit, "name": "Meuleuse"}).status_code == 403
    assert client.post("/skills/domains/new", data={"name": "Textile", "position": "1"}).status_code == 403
    assert client.post(f"/skills/domains/{skill.domain_id}/edit", data={"name": "Y", "position": 0}).status_code == 403
    db.session.refresh(skill)
    assert skill.is_safety and count_rows(Skill) == 1 and count_rows(SkillDomain) == 1
    html = _html(client.get("/skills"))
    assert "The skills catalogue is shared by every territory: only administrators change it." in html
    assert "/skills/new" not in html and f"/skills/{skill.id}/edit" not in html


def test_mentors_do_not_edit_the_catalogue(client, login, db, mentor, make_domain, count_rows):
    domain = make_domain()
    login(mentor)
    assert client.post("/skills/new", data={"domain_id": domain.id, "name": "X"}).status_code == 403
    assert client.post(f"/skills/domains/{domain.id}/edit", data={"name": "Y", "position": 0}).status_code == 403
    assert count_rows(Skill) == 0


def test_domains_are_created_and_renamed(client, login, db, admin, count_rows):
    _login_en(login, client, admin, db)
    response = client.post("/skills/domains/new", data={"name": "Textile", "position": "10"}, follow_redirects=True)
    assert "Domain “Textile” added." in _html(response)
    domain = db.session.scalar(sa.select(SkillDomain))
    client.post(f"/skills/domains/{domain.id}/edit", data={"name": "Textile et cuir", "position": "10"})
    db.session.refresh(domain)
    assert domain.name == "Textile et cuir"
    duplicate = client.post("/skills/domains/new", data={"name": "textile ET cuir", "position": "1"})
    assert duplicate.status_code == 400 and "A domain with this name already exists." in _html(duplicate)
    assert count_rows(SkillDomain) == 1


# --- Passport -------------------------------------------------------------------------------------


@pytest.fixture
def full_passport(db, mentor, manager, talent, make_skill, validate):
    """A talent with a history: superseded, withdrawn, expired, current with evidence, and a declaration."""
    solder = make_skill("Soudure à l'étain")
    drill = make_skill("Perceuse à colonne", is_safety=True, validity_months=12)
    grinder = make_skill("Meuleuse")
    printing = make_skill("Impression 3D")
    validate(mentor, talent, solder, 1, on=date(2026, 1, 5))
    current = validate(
        mentor,
        talent,
        solder,
        2,
        on=date(2026, 2, 5),
        note="Kit radio soudé",
        evidence_url="https://example.org/repair/12",
    )
    validate(manager, talent, drill, 3, on=date(2024, 2, 1))
    withdrawn = validate(manager, talent, grinder, 2, on=date(2026, 2, 1))
    validations.withdraw_validation(manager, withdrawn, reason="Formation pas terminée")
    validations.declare_skill(talent, printing, level=2)
    db.session.commit()
    return {"current": current, "withdrawn": withdrawn, "printing": printing}


def test_the_talent_sees_their_passport(client, login, db, talent, full_passport):
    _login_en(login, client, talent, db)
    html = _html(client.get("/passport"))
    assert talent.full_name in html
    assert "Level 2 of 4: practised with help" in html and "Moussa Mentor" in html
    assert "Kit radio soudé" in html and "https://example.org/repair/12" in html
    assert f"https://repairlab.test/v/{full_passport['current'].token}" in html
    assert "Expired on" in html and "Perceuse à colonne" in html
    assert "Declared skills, not validated yet" in html and "Impression 3D" in html
    assert "Withdrawn on" in html and "Formation pas terminée" in html
    assert "Replaced later by a newer one." in html
    assert "Declare a skill" in html and "Validate a skill" not in html


def test_staff_of_the_territory_see_the_passport_with_actions(client, login, db, mentor, talent, full_passport):
    _login_en(login, client, mentor, db)
    response = client.get(f"/passport/{talent.id}")
    assert response.status_code == 200
    html = _html(response)
    assert "Validate a skill" in html and "Withdraw this validation" in html and "Check and validate" in html


def test_a_talent_opening_their_own_passport_by_id_is_sent_to_it(client, login, talent):
    login(talent)
    response = client.get(f"/passport/{talent.id}")
    assert response.status_code == 302 and response.location.endswith("/passport")


@pytest.mark.parametrize("role", [Role.MENTOR, Role.LAB_MANAGER, Role.PARTICIPANT])
def test_passports_of_another_territory_are_not_found(client, login, make_user, other_territory, talent, role):
    login(make_user(role, territory_=other_territory))
    assert client.get(f"/passport/{talent.id}").status_code == 404


def test_talents_do_not_see_each_other(client, login, make_user, talent):
    login(make_user(Role.PARTICIPANT))
    assert client.get(f"/passport/{talent.id}").status_code == 404


def test_researchers_never_see_passports(client, login, make_user, talent):
    login(make_user(Role.RESEARCHER))
    assert client.get(f"/passport/{talent.id}").status_code == 403


def test_staff_have_no_passport_page(client, login, mentor):
    login(mentor)
    assert client.get(f"/passport/{mentor.id}").status_code == 404


def test_the_passport_runs_the_same_number_of_queries_for_3_or_30_validations(
    client, login, db, mentor, talent, make_skill, validate, query_counter
):
    login(mentor)
    counts = []
    for start, stop in ((0, 3), (3, 30)):
        for n in range(start, stop):
            validate(mentor, talent, make_skill(f"Compétence {n}"), 1 + n % 4, on=date(2026, 1, 1 + n % 28))
            if n % 3 == 0:
                validations.declare_skill(talent, make_skill(f"Déclarée {n}"), level=2)
        db.session.commit()
        with query_counter() as count:
            assert client.get(f"/passport/{talent.id}").status_code == 200
        counts.append(count.value)
    assert counts[0] == counts[1] <= 8


# --- Validating -----------------------------------------------------------------------------------


def test_the_validate_form_is_quick_on_a_phone(client, login, db, mentor, talent, make_skill, make_domain):
    make_skill("Soudure à l'étain")
    make_skill("Couture", domain=make_domain("Textile"))
    _login_en(login, client, mentor, db)
    html = _html(client.get(f"/passport/{talent.id}/validate"))
    assert '<optgroup label="Électronique">' in html and '<optgroup label="Textile">' in html
    assert f'value="{clock.today().isoformat()}"' in html
    assert 'enctype="multipart/form-data"' in html and 'accept="image/jpeg' in html


def test_a_mentor_validates_in_one_post(client, login, db, mentor, talent, make_skill):
    skill = make_skill("Soudure à l'étain")
    _login_en(login, client, mentor, db)
    response = client.post(
        f"/passport/{talent.id}/validate",
        data={"skill_id": skill.id, "level": "3", "validated_on": "2026-03-01", "note": "Très propre"},
    )
    assert response.status_code == 302 and response.location.endswith(f"/passport/{talent.id}")
    validation = db.session.scalar(sa.select(SkillValidation))
    assert (validation.level, validation.validator_id, validation.note) == (3, mentor.id, "Très propre")
    html = _html(client.get(response.location))
    assert "“Soudure à l'étain” validated at level 3 (autonomous) for" in html


@pytest.mark.parametrize("level", ["0", "5", "deux"])
def test_a_level_outside_the_scale_is_refused_on_the_form(
    client, login, db, mentor, talent, make_skill, level, count_rows
):
    skill = make_skill()
    _login_en(login, client, mentor, db)
    response = client.post(
        f"/passport/{talent.id}/validate", data={"skill_id": skill.id, "level": level, "validated_on": "2026-03-01"}
    )
    assert response.status_code == 400
    html = _html(response)
    assert "Choose a level from 1 (discovered) to 4 (can teach)." in html or "This field is required." in html
    assert count_rows(SkillValidation) == 0


def test_a_future_date_is_refused_on_the_form(client, login, db, mentor, talent, make_skill, count_rows):
    skill = make_skill()
    _login_en(login, client, mentor, db)
    response = client.post(
        f"/passport/{talent.id}/validate", data={"skill_id": skill.id, "level": "2", "validated_on": "2999-01-01"}
    )
    assert response.status_code == 400 and "The date cannot be in the future." in _html(response)
    assert count_rows(SkillValidation) == 0


def test_validating_in_another_territory_is_not_found(
    client, login, make_user, other_territory, talent, make_skill, count_rows
):
    skill = make_skill()
    login(make_user(Role.MENTOR, territory_=other_territory))
    response = client.post(
        f"/passport/{talent.id}/validate", data={"skill_id": skill.id, "level": "2", "validated_on": "2026-03-01"}
    )
    assert response.status_code == 404
    assert count_rows(SkillValidation) == 0


def test_a_photo_is_stored_reencoded_and_served_to_the_passport_viewers(
    client, login, db, mentor, talent, make_skill, make_user, other_territory
):
    skill = make_skill()
    login(mentor)
    response = client.post(
        f"/passport/{talent.id}/validate",
        data={
            "skill_id": skill.id,
            "level": "2",
            "validated_on": "2026-03-01",
            "photo": (io.BytesIO(png_bytes()), "soudure.png"),
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    validation = db.session.scalar(sa.select(SkillValidation))
    assert validation.photo_key.endswith(".jpg") and validation.photo_thumb_key.endswith("_t.jpg")
    photo = client.get(f"/skills/validations/{validation.id}/photo")
    assert photo.status_code == 200 and photo.mimetype == "image/jpeg" and photo.data[:2] == b"\xff\xd8"
    assert client.get(f"/skills/validations/{validation.id}/photo?size=thumb").status_code == 200
    login(talent)
    assert client.get(f"/skills/validations/{validation.id}/photo").status_code == 200
    login(make_user(Role.MENTOR, territory_=other_territory))
    assert client.get(f"/skills/validations/{validation.id}/photo").status_code == 404


def test_a_file_that_is_not_an_image_is_refused(client, login, db, mentor, talent, make_skill, count_rows):
    skill = make_skill()
    _login_en(login, client, mentor, db)
    response = client.post(
        f"/passport/{talent.id}/validate",
        data={
            "skill_id": skill.id,
            "level": "2",
            "validated_on": "2026-03-01",
            "photo": (io.BytesIO(b"%PDF-1.4 not a photo"), "photo.jpg"),
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 400
    assert "This file is not a photo we can read." in _html(response)
    assert count_rows(SkillValidation) == 0


def test_a_post_without_csrf_token_changes_nothing(
    client, login, db, mentor, talent, make_skill, csrf_enabled, count_rows
):
    skill = make_skill()
    login(mentor)
    response = client.post(
        f"/passport/{talent.id}/validate", data={"skill_id": skill.id, "level": "2", "validated_on": "2026-03-01"}
    )
    assert response.status_code == 400
    assert count_rows(SkillValidation) == 0


# --- Declaring and withdrawing -----------------------------------------------------------------------------


def test_a_talent_declares_a_skill(client, login, db, talent, make_skill, count_rows):
    skill = make_skill("Impression 3D")
    _login_en(login, client, talent, db)
    response = client.post("/passport/declare", data={"skill_id": skill.id, "level": "2"}, follow_redirects=True)
    assert "You declared “Impression 3D” at level 2 (practised with help)." in _html(response)
    assert db.session.scalar(sa.select(SkillValidation.kind)) == ValidationKind.DECLARED
    again = client.post("/passport/declare", data={"skill_id": skill.id, "level": "2"})
    assert again.status_code == 400 and "You have already declared this skill at this level." in _html(again)
    assert count_rows(SkillValidation) == 1


def test_withdrawing_needs_a_reason_on_the_form(client, login, db, manager, talent, full_passport):
    current = full_passport["current"]
    _login_en(login, client, manager, db)
    assert "Why do you withdraw it?" in _html(client.get(f"/skills/validations/{current.id}/withdraw"))
    response = client.post(f"/skills/validations/{current.id}/withdraw", data={"reason": "  "})
    assert response.status_code == 400 and "Say why you withdraw it." in _html(response)
    assert db.session.get(SkillValidation, current.id).status == ValidationStatus.ACTIVE


def test_withdrawing_with_a_reason(client, login, db, manager, talent, full_passport):
    current = full_passport["current"]
    _login_en(login, client, manager, db)
    response = client.post(
        f"/skills/validations/{current.id}/withdraw", data={"reason": "Erreur de saisie"}, follow_redirects=True
    )
    assert "“Soudure à l'étain” at level 2 is withdrawn." in _html(response)
    db.session.expire_all()
    assert db.session.get(SkillValidation, current.id).status == ValidationStatus.WITHDRAWN


def test_a_talent_cannot_withdraw_a_validation(client, login, talent, full_passport):
    login(talent)
    assert (
        client.post(f"/skills/validations/{full_passport['current'].id}/withdraw", data={"reason": "Non"}).status_code
        == 403
    )


# --- Matching -------------------------------------------------------------------------------------


@pytest.fixture
def matching_world(db, mentor, make_user, make_skill, validate):
    solder, sew = make_skill("Soudure"), make_skill("Couture")
    people = {
        name: make_user(Role.PARTICIPANT, name=name) for name in ["Alice Complète", "Bruno Plus-bas", "Chloé Déclarée"]
    }
    validate(mentor, people["Alice Complète"], solder, 3, on=date(2026, 1, 5))
    validate(mentor, people["Alice Complète"], sew, 2, on=date(2026, 1, 5))
    validate(mentor, people["Bruno Plus-bas"], solder, 1, on=date(2026, 1, 5))
    validate(mentor, people["Bruno Plus-bas"], sew, 1, on=date(2026, 1, 5))
    validate(mentor, people["Chloé Déclarée"], solder, 2, on=date(2026, 1, 5))
    validations.declare_skill(people["Chloé Déclarée"], sew, level=2)
    db.session.commit()
    return {"skills": (solder, sew), "people": people}


def _match_query(solder, sew, **extra):
    return {"rows-0-skill_id": solder.id, "rows-0-level": 2, "rows-1-skill_id": sew.id, "rows-1-level": 2, **extra}


def test_the_matching_page_ranks_people(client, login, db, mentor, matching_world):
    solder, sew = matching_world["skills"]
    _login_en(login, client, mentor, db)
    response = client.get("/skills/match", query_string=_match_query(solder, sew))
    assert response.status_code == 200
    html = _html(response)
    positions = [html.index(name) for name in ["Alice Complète", "Chloé Déclarée", "Bruno Plus-bas"]]
    assert positions == sorted(positions)
    assert "Declared at this level, not validated" in html and "Lower level" in html


def test_the_matching_page_shows_the_team_gaps(client, login, db, mentor, matching_world):
    solder, sew = matching_world["skills"]
    people = matching_world["people"]
    _login_en(login, client, mentor, db)
    query = _match_query(solder, sew)
    query["team"] = [people["Bruno Plus-bas"].id, people["Chloé Déclarée"].id]
    html = _html(client.get("/skills/match", query_string=query))
    assert "The team lacks 1 skill at the level needed:" in html
    assert "1 member declared it" in html


def test_an_incomplete_row_is_explained(client, login, db, mentor, matching_world):
    solder, _sew = matching_world["skills"]
    _login_en(login, client, mentor, db)
    response = client.get("/skills/match", query_string={"rows-0-skill_id": solder.id})
    assert response.status_code == 400 and "Choose a level." in _html(response)


def test_an_admin_picks_the_territory(client, login, db, admin, matching_world, talent):
    solder, sew = matching_world["skills"]
    _login_en(login, client, admin, db)
    assert "Alice Complète" not in _html(client.get("/skills/match", query_string=_match_query(solder, sew)))
    html = _html(client.get("/skills/match", query_string=_match_query(solder, sew, territory_id=talent.territory_id)))
    assert "Alice Complète" in html


def test_talents_do_not_use_matching(client, login, talent):
    login(talent)
    assert client.get("/skills/match").status_code == 403


def test_the_matching_page_runs_the_same_number_of_queries_for_3_or_30_people(
    client, login, db, mentor, make_user, make_skill, validate, query_counter
):
    solder, sew = make_skill("Soudure"), make_skill("Couture")
    login(mentor)
    counts, team = [], []
    for size in (3, 27):
        for _ in range(size):
            person = make_user(Role.PARTICIPANT)
            team.append(person.id)
            validate(mentor, person, solder, 2, on=date(2026, 1, 5))
            validate(mentor, person, sew, 1, on=date(2026, 1, 5))
        with query_counter() as count:
            response = client.get("/skills/match", query_string=_match_query(solder, sew, team=team[:10]))
        assert response.status_code == 200
        counts.append(count.value)
    assert counts[0] == counts[1] <= 10


# --- Public verification and Open Badges ------------------------------------------------------------


def test_the_verification_page_shows_the_skill_and_no_personal_data(client, db, mentor, talent, full_passport):
    token = full_passport["current"].token
    response = client.get(f"/v/{token}")
    assert response.status_code == 200
    html = _html(response)
    assert "Soudure à l'étain" in html and "Level 2 of 4: practised with help" in html
    assert "Roubaix-Lille" in html and "Valid" in html
    for private in (talent.full_name, talent.email, mentor.full_name, "Kit radio soudé", "example.org/repair"):
        assert private not in html
    assert response.headers["X-Robots-Tag"] == "noindex"


def test_the_verification_page_says_withdrawn(client, full_passport):
    html = _html(client.get(f"/v/{full_passport['withdrawn'].token}"))
    assert "Withdrawn" in html and "Formation pas terminée" not in html


def test_unknown_tokens_are_not_found(client):
    assert client.get("/v/not-a-real-token").status_code == 404
    assert client.get("/v/not-a-real-token.json").status_code == 404


def test_the_open_badge_is_served_as_json_ld(client, talent, full_passport):
    current = full_passport["current"]
    response = client.get(f"/v/{current.token}.json")
    assert response.status_code == 200 and response.mimetype == "application/ld+json"
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    doc = response.get_json()
    assert doc["id"] == f"https://repairlab.test/v/{current.token}"
    assert "OpenBadgeCredential" in doc["type"]
    assert talent.email not in json.dumps(doc)


def test_the_withdrawn_open_badge_is_revoked(client, full_passport):
    doc = client.get(f"/v/{full_passport['withdrawn'].token}.json").get_json()
    status = doc["credentialStatus"]
    assert status["type"] == "1EdTechRevocationList"
    listed = client.get(status["id"].removeprefix("https://repairlab.test")).get_json()
    assert [entry["id"] for entry in listed["revokedCredential"]] == [doc["id"]]


# --- Home panels ----------------------------------------------------------------------------------


def test_the_talent_home_shows_my_skills(client, login, db, talent, full_passport):
    _login_en(login, client, talent, db)
    html = _html(client.get("/"))
    assert "My skills" in html and "2 skills validated" in html and "See my skills passport" in html


def test_the_mentor_home_shows_declarations_waiting(client, login, db, mentor, talent, full_passport):
    _login_en(login, client, mentor, db)
    html = _html(client.get("/"))
    assert "Declared skills waiting to be checked" in html and "Impression 3D" in html
    assert f"/passport/{talent.id}/validate?skill={full_passport['printing'].id}" in html
