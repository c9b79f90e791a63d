"""The skills catalogue and passports through the API: the catalogue page's search, the passport page's rule."""

from __future__ import annotations

import pytest

from repairlab.extensions import db
from repairlab.people.models import Role
from repairlab.skills import catalogue, validations


@pytest.fixture
def skills(db, admin):
    """Two domains, three skills (one safety skill valid 12 months, one inactive)."""
    electronics = catalogue.create_domain(admin, name="Électronique", position=1)
    textile = catalogue.create_domain(admin, name="Textile", position=2)
    made = {
        "solder": catalogue.create_skill(
            admin, domain=electronics, name="Soudure à l'étain", practised_means="Soude un fil sur une carte."
        ),
        "drill": catalogue.create_skill(
            admin, domain=electronics, name="Perceuse à colonne", is_safety=True, validity_months=12
        ),
        "sewing": catalogue.create_skill(admin, domain=textile, name="Couture à la machine"),
    }
    old = catalogue.create_skill(admin, domain=textile, name="Tricot")
    old.active = False
    db.session.commit()
    made["old"] = old
    return made


def test_the_catalogue_lists_searches_and_filters_like_its_page(api, talent, admin, skills):
    caller = api(talent)
    listed = caller.get("/api/v1/skills").json
    assert [s["name"] for s in listed["items"]] == ["Perceuse à colonne", "Soudure à l'étain", "Couture à la machine"]
    solder = next(s for s in listed["items"] if s["name"] == "Soudure à l'étain")
    assert (solder["domain"], solder["levels"]["2"]) == ("Électronique", "Soude un fil sur une carte.")
    assert solder["levels"]["1"] == "Has seen how it is done and tried it with someone."  # the programme's meaning
    assert [s["name"] for s in caller.get("/api/v1/skills", query_string={"q": "SOUDURE"}).json["items"]] == [
        "Soudure à l'étain"
    ]
    textile = skills["sewing"].domain_id
    assert caller.get("/api/v1/skills", query_string={"domain": textile}).json["total"] == 1
    # Inactive skills: administrators only, as on the page.
    assert caller.get("/api/v1/skills", query_string={"inactive": "1"}).json["total"] == 3
    assert caller.get(f"/api/v1/skills/{skills['old'].id}").status_code == 404
    assert api(admin).get("/api/v1/skills", query_string={"inactive": "1"}).json["total"] == 4
    drill = api(admin).get(f"/api/v1/skills/{skills['drill'].id}").json
    assert (drill["is_safety"], drill["validity_months"]) == (True, 12)


def test_a_passport_is_its_talents_and_their_territorys_staffs(
    api, talent, make_user, make_talent_of, other_territory, skills
):
    mentor = make_user(Role.MENTOR)
    validations.validate_skill(mentor, talent, skills["solder"], level=3, note="Carte refaite")
    validations.declare_skill(talent, skills["sewing"], level=2)
    db.session.commit()
    mine = api(talent).get("/api/v1/passports/mine")
    assert mine.status_code == 200
    [held] = mine.json["validated"]
    assert (held["skill"], held["level"], held["level_label"], held["kind"]) == (
        "Soudure à l'étain",
        3,
        "autonomous",
        "validated",
    )
    assert held["public_status"] == "valid" and "/v/" in held["verification_url"]
    [declared] = mine.json["declared"]
    assert (declared["skill"], declared["kind"], declared["verification_url"]) == (
        "Couture à la machine",
        "declared",
        None,
    )
    assert api(mentor).get(f"/api/v1/passports/{talent.id}").json == mine.json
    assert api(make_user(Role.LAB_MANAGER)).get(f"/api/v1/passports/{talent.id}").status_code == 200
    # Not another talent, nor another territory's staff, nor a researcher; and only talents have a passport.
    assert api(make_talent_of()).get(f"/api/v1/passports/{talent.id}").status_code == 404
    assert (
        api(make_user(Role.MENTOR, territory_=other_territory)).get(f"/api/v1/passports/{talent.id}").status_code == 404
    )
    assert api(make_user(Role.RESEARCHER)).get(f"/api/v1/passports/{talent.id}").status_code == 403
    assert api(mentor).get(f"/api/v1/passports/{mentor.id}").status_code == 404
    assert api(mentor).get("/api/v1/passports/mine").status_code == 403


def test_a_withdrawn_validation_leaves_the_passport(api, talent, make_user, skills):
    mentor = make_user(Role.MENTOR)
    validation = validations.validate_skill(mentor, talent, skills["drill"], level=2)
    db.session.commit()
    assert len(api(talent).get("/api/v1/passports/mine").json["validated"]) == 1
    validations.withdraw_validation(mentor, validation, reason="Erreur de saisie")
    db.session.commit()
    assert api(talent).get("/api/v1/passports/mine").json["validated"] == []
