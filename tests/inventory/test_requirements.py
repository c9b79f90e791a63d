"""Skills that tools and categories require: the rules, inheritance, "may this person use it?", the item page,
and the managers' routes."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa
from flask_babel import force_locale, format_date
from sqlalchemy.exc import IntegrityError

from repairlab import clock
from repairlab.audit.models import AuditEntry
from repairlab.errors import Conflict, PermissionDenied, ValidationError
from repairlab.inventory import requirements
from repairlab.inventory.models import SkillRequirement
from repairlab.people.models import Role
from repairlab.skills import catalogue, validations
from repairlab.skills.usage import Requirement
from tests.inventory.conftest import english


@pytest.fixture
def make_skill(db, admin):
    """Create a skill of the catalogue: make_skill("Soudure à l'étain"), make_skill("Laser", is_safety=True, ...)."""
    domains = {}

    def make(name: str = "Soudure à l'étain", *, domain: str = "Électronique et électricité", **extra):
        if domain not in domains:
            domains[domain] = catalogue.create_domain(admin, name=domain)
        skill = catalogue.create_skill(admin, domain=domains[domain], name=name, **extra)
        db.session.commit()
        return skill

    return make


@pytest.fixture
def soldering(make_skill):
    return make_skill("Soudure à l'étain")


@pytest.fixture
def laser(make_skill):
    """A safety skill that must be checked again every 12 months."""
    return make_skill("Découpeuse laser", domain="Fabrication numérique", is_safety=True, validity_months=12)


@pytest.fixture
def require(db, admin):
    """Add a requirement and commit: require(skill, 2, item=tool) or require(skill, 1, category=category)."""

    def do(skill, level, **target) -> SkillRequirement:
        requirement = requirements.add_requirement(admin, skill=skill, min_level=level, **target)
        db.session.commit()
        return requirement

    return do


@pytest.fixture
def validate(db, make_user):
    """Validate a talent's skill at a level (by a mentor of the territory), on a given day."""
    mentor = make_user(Role.MENTOR)

    def do(talent, skill, level, on=None):
        validation = validations.validate_skill(mentor, talent, skill, level=level, validated_on=on)
        db.session.commit()
        return validation

    return do


@pytest.fixture
def tool(make_item, make_category):
    """A soldering station in Électronique > Soudure."""
    return make_item("Station de soudage", category_id=make_category("Soudure", make_category("Électronique")).id)


def _count(db, model=SkillRequirement) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


# --- Adding and removing: the rules ------------------------------------------------------------------


@pytest.mark.parametrize("level", [0, 5, -1, None, True, "2"])
def test_a_level_outside_the_scale_is_refused(db, admin, tool, soldering, level):
    with force_locale("en"), pytest.raises(ValidationError, match="Choose a level from 1") as error:
        requirements.add_requirement(admin, item=tool, skill=soldering, min_level=level)
    assert error.value.field == "min_level"
    db.session.rollback()
    assert _count(db) == 0


def test_a_skill_required_twice_by_the_same_tool_is_a_conflict(db, admin, tool, soldering, require):
    require(soldering, 2, item=tool)
    with force_locale("en"), pytest.raises(Conflict) as error:
        requirements.add_requirement(admin, item=tool, skill=soldering, min_level=3)
    assert str(error.value) == (
        "“Soudure à l'étain” is already required here, at level 2. Remove it first to change the level."
    )
    db.session.rollback()
    assert db.session.scalars(sa.select(SkillRequirement.min_level)).all() == [2]


def test_a_skill_required_twice_by_the_same_category_is_a_conflict(db, admin, tool, soldering, require):
    require(soldering, 1, category=tool.category)
    with pytest.raises(Conflict):
        requirements.add_requirement(admin, category=tool.category, skill=soldering, min_level=1)
    db.session.rollback()
    assert _count(db) == 1


def test_the_same_skill_may_be_required_by_a_tool_and_by_its_category(db, tool, soldering, require):
    require(soldering, 1, category=tool.category)
    require(soldering, 3, item=tool)
    assert _count(db) == 2


@pytest.mark.parametrize("both", [False, True], ids=["no target", "two targets"])
def test_a_requirement_is_for_one_tool_or_one_category(db, admin, tool, soldering, both):
    target = {"item": tool, "category": tool.category} if both else {}
    with pytest.raises(ValidationError):
        requirements.add_requirement(admin, skill=soldering, min_level=2, **target)
    assert _count(db) == 0


def test_a_skill_no_longer_used_cannot_be_required(db, admin, tool, make_skill):
    old = make_skill("Fer à souder à gaz", active=False)
    with force_locale("en"), pytest.raises(ValidationError, match="no longer used") as error:
        requirements.add_requirement(admin, item=tool, skill=old, min_level=1)
    assert error.value.field == "skill_id"


def test_a_skill_must_be_chosen(db, admin, tool):
    with pytest.raises(ValidationError) as error:
        requirements.add_requirement(admin, item=tool, skill=None, min_level=1)
    assert error.value.field == "skill_id"


def test_adding_and_removing_are_in_the_audit_log(db, manager, tool, soldering):
    requirement = requirements.add_requirement(manager, item=tool, skill=soldering, min_level=2)
    db.session.commit()
    requirements.remove_requirement(manager, requirement)
    db.session.commit()
    entries = db.session.scalars(
        sa.select(AuditEntry).where(AuditEntry.object_type == "skill_requirements").order_by(AuditEntry.id)
    ).all()
    assert [(e.action, e.actor_id, e.territory_id) for e in entries] == [
        ("create", manager.id, tool.territory_id),
        ("delete", manager.id, tool.territory_id),
    ]
    assert entries[0].after == {
        "item_id": tool.id,
        "category_id": None,
        "skill_id": soldering.id,
        "min_level": 2,
        "skill": "Soudure à l'étain",
    }
    assert entries[1].before["min_level"] == 2
    assert entries[0].object_label == f"{tool.code} Station de soudage: Soudure à l'étain ≥ 2"
    assert _count(db) == 0


@pytest.mark.parametrize("role", [Role.PARTICIPANT, Role.MENTOR, Role.RESEARCHER])
def test_only_lab_managers_and_admins_set_requirements(db, make_user, tool, soldering, role):
    actor = make_user(role)
    for target in ({"item": tool}, {"category": tool.category}):
        with pytest.raises(PermissionDenied):
            requirements.add_requirement(actor, skill=soldering, min_level=1, **target)
    assert _count(db) == 0


def test_a_lab_manager_sets_requirements_of_their_territory_tools_only(db, other_manager, tool, soldering, require):
    with pytest.raises(PermissionDenied):
        requirements.add_requirement(other_manager, item=tool, skill=soldering, min_level=1)
    own = require(soldering, 1, item=tool)
    with pytest.raises(PermissionDenied):
        requirements.remove_requirement(other_manager, own)
    assert _count(db) == 1


@pytest.mark.parametrize("which", ["other_manager", "manager"])
def test_a_lab_manager_changes_no_shared_categorys_requirements(db, request, tool, soldering, laser, require, which):
    """Paris's lab manager (and even Roubaix's) neither lifts nor adds a safety rule of a shared category."""
    actor = request.getfixturevalue(which)
    required = require(laser, 2, category=tool.category.parent)
    with force_locale("en"), pytest.raises(PermissionDenied, match="only administrators"):
        requirements.remove_requirement(actor, required)
    with force_locale("en"), pytest.raises(PermissionDenied, match="only administrators"):
        requirements.add_requirement(actor, category=tool.category, skill=soldering, min_level=1)
    db.session.rollback()
    assert [(r.skill_id, r.category_id) for r in db.session.scalars(sa.select(SkillRequirement))] == [
        (laser.id, tool.category.parent_id)
    ]
    assert [r.skill_id for r in requirements.item_requirements(tool).requirements()] == [laser.id]


def test_shared_and_territory_requirements_are_audited_with_the_territory_they_affect(
    db, admin, tool, soldering, laser
):
    on_tool = requirements.add_requirement(admin, item=tool, skill=soldering, min_level=1)
    on_category = requirements.add_requirement(admin, category=tool.category, skill=laser, min_level=1)
    db.session.commit()
    territories = dict(
        db.session.execute(
            sa.select(AuditEntry.object_id, AuditEntry.territory_id).where(
                AuditEntry.object_type == "skill_requirements"
            )
        ).all()
    )
    # A category's requirement binds every territory: its entry names none (the audit page says "all territories").
    assert territories == {str(on_tool.id): tool.territory_id, str(on_category.id): None}


def test_the_database_refuses_what_the_rules_refuse(db, tool, soldering):
    bad_rows = [
        SkillRequirement(skill_id=soldering.id, min_level=2),  # no target
        SkillRequirement(item_id=tool.id, category_id=tool.category_id, skill_id=soldering.id, min_level=2),
        SkillRequirement(item_id=tool.id, skill_id=soldering.id, min_level=5),
        SkillRequirement(item_id=tool.id, skill_id=soldering.id, min_level=0),
    ]
    for row in bad_rows:
        db.session.add(row)
        with pytest.raises(IntegrityError):
            db.session.flush()
        db.session.rollback()
    db.session.add(SkillRequirement(item_id=tool.id, skill_id=soldering.id, min_level=2))
    db.session.commit()
    db.session.add(SkillRequirement(item_id=tool.id, skill_id=soldering.id, min_level=3))
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_requirements_go_with_their_item(db, tool, soldering, require):
    require(soldering, 2, item=tool)
    db.session.execute(sa.delete(type(tool)).where(type(tool).id == tool.id))
    db.session.commit()
    assert _count(db) == 0


# --- What an item requires: its own, and its categories' -------------------------------------------------


def test_requirements_come_from_the_item_its_category_and_every_ancestor(
    db, make_item, make_category, make_skill, require
):
    top = make_category("Fabrication")
    middle = make_category("Machines", top)
    low = make_category("Tour", middle)
    below = make_category("Accessoires", low)
    lookalike = make_category("Fabrication numérique")  # "Fabrication" is a prefix of its path, not an ancestor
    wildcard = make_category("Fab%")  # would match "Fabrication > …" if compared with LIKE
    sibling = make_category("Fraiseuse", middle)
    lathe = make_item("Tour à métaux", category_id=low.id)
    names = [
        "Sécurité atelier",
        "Machines-outils",
        "Tournage",
        "Affûtage",
        "Impression 3D",
        "Jokers",
        "Fraisage",
        "Lunettes",
    ]
    s = {name: make_skill(name) for name in names}
    require(s["Sécurité atelier"], 1, category=top)
    require(s["Machines-outils"], 2, category=middle)
    require(s["Tournage"], 3, category=low)
    require(s["Affûtage"], 4, category=below)
    require(s["Impression 3D"], 2, category=lookalike)
    require(s["Jokers"], 2, category=wildcard)
    require(s["Fraisage"], 2, category=sibling)
    require(s["Lunettes"], 1, item=lathe)
    with force_locale("en"):
        found = requirements.item_requirements(lathe).requirements()
    assert sorted(found, key=lambda r: r.skill_id) == sorted(
        [
            Requirement(s["Sécurité atelier"].id, 1, "Category Fabrication"),
            Requirement(s["Machines-outils"].id, 2, "Category Fabrication > Machines"),
            Requirement(s["Tournage"].id, 3, "Category Fabrication > Machines > Tour"),
            Requirement(s["Lunettes"].id, 1, "Tour à métaux"),
        ],
        key=lambda r: r.skill_id,
    )


def test_requirements_for_runs_one_query(db, tool, soldering, make_skill, require, query_counter):
    require(soldering, 2, item=tool)
    require(make_skill("Sécurité électrique"), 1, category=tool.category.parent)
    db.session.expire_all()
    assert tool.category_id is not None  # the item itself is loaded, as every caller has it
    with query_counter() as count:
        assert len(requirements.item_requirements(tool).requirements()) == 2
    assert count.value == 1, count.statements


def test_an_item_without_category_has_only_its_own_requirements(db, make_item, soldering, require):
    item = make_item("Fer à souder")
    assert requirements.item_requirements(item).requirements() == []
    require(soldering, 2, item=item)
    assert [r.min_level for r in requirements.item_requirements(item).requirements()] == [2]


def test_when_a_skill_is_required_twice_the_highest_level_wins(db, tool, soldering, require):
    require(soldering, 1, category=tool.category.parent)
    require(soldering, 3, category=tool.category)
    require(soldering, 2, item=tool)
    with force_locale("en"):
        assert requirements.item_requirements(tool).requirements() == [
            Requirement(soldering.id, 3, "Category Électronique > Soudure")
        ]


def test_at_the_same_level_the_tool_itself_says_why(db, tool, soldering, require):
    require(soldering, 2, category=tool.category)
    require(soldering, 2, item=tool)
    assert requirements.item_requirements(tool).requirements() == [Requirement(soldering.id, 2, "Station de soudage")]


# --- May this person use it? -------------------------------------------------------------------------


def test_a_talent_without_the_skill_may_not_use_it(db, talent, tool, soldering, require):
    require(soldering, 2, item=tool)
    with force_locale("en"):
        decision = requirements.may_use_item(talent, tool)
    assert not decision.allowed
    [reason] = decision.reasons
    assert reason.message == (
        "Station de soudage: You need “Soudure à l'étain” at level 2 (practised with help); you do not have it yet."
    )


def test_a_lower_level_gives_both_levels(db, talent, tool, soldering, require, validate):
    require(soldering, 3, category=tool.category)
    validate(talent, soldering, 1)
    with force_locale("en"):
        [reason] = requirements.may_use_item(talent, tool).reasons
    assert (reason.required_level, reason.held_level) == (3, 1)
    assert reason.message == (
        "Category Électronique > Soudure: You need “Soudure à l'étain” at level 3 "
        "(autonomous); you have level 1 (discovered)."
    )


def test_an_expired_safety_validation_gives_its_date(db, talent, make_item, laser, require, validate):
    cutter = make_item("Découpeuse laser")
    require(laser, 2, item=cutter)
    validated = validate(talent, laser, 3, on=clock.today() - timedelta(days=400))
    with force_locale("en"):
        [reason] = requirements.may_use_item(talent, cutter).reasons
        expected = format_date(validated.expires_on, "long")
    assert reason.expired_on == validated.expires_on and reason.held_level is None
    assert f"Your qualification “Découpeuse laser” expired on {expected}." in reason.message


def test_a_declared_skill_never_counts(db, talent, tool, soldering, require):
    require(soldering, 2, item=tool)
    validations.declare_skill(talent, soldering, level=4)
    db.session.commit()
    with force_locale("en"):
        decision = requirements.may_use_item(talent, tool)
    assert not decision.allowed and decision.reasons[0].declared_only
    assert "you declared it, but a mentor or lab manager has not validated it yet" in decision.reasons[0].message


def test_a_talent_with_every_skill_at_the_level_may_use_it(db, talent, tool, soldering, laser, require, validate):
    require(soldering, 2, item=tool)
    require(laser, 1, category=tool.category.parent)
    validate(talent, soldering, 3)
    validate(talent, laser, 1, on=clock.today() - timedelta(days=30))
    decision = requirements.may_use_item(talent, tool)
    assert decision.allowed and decision.reasons == [] and len(decision.items) == 2


def test_every_unmet_requirement_is_a_reason(db, talent, tool, soldering, laser, require, validate):
    require(soldering, 2, item=tool)
    require(laser, 1, category=tool.category)
    validate(talent, soldering, 2)
    decision = requirements.may_use_item(talent, tool)
    assert [r.skill_name for r in decision.reasons] == ["Découpeuse laser"]


def test_an_item_that_requires_nothing_may_be_used(db, talent, tool):
    assert requirements.may_use_item(talent, tool).allowed


def test_staff_are_not_exempt_in_the_service(db, manager, admin, tool, soldering, require):
    require(soldering, 1, item=tool)
    assert not requirements.may_use_item(manager, tool).allowed
    assert not requirements.may_use_item(admin, tool).allowed


# --- The item page -----------------------------------------------------------------------------------


@pytest.fixture
def required_tool(db, tool, soldering, laser, require):
    """The station requires soldering at level 2; its top category, the laser safety skill at level 1."""
    require(soldering, 2, item=tool)
    require(laser, 1, category=tool.category.parent)
    return tool


def test_item_page_lists_the_skills_needed_in_words(client, required_tool):
    html = english(client).get(f"/inventory/items/{required_tool.id}").get_data(as_text=True)
    assert "Skills needed" in html
    assert "Soudure à l&#39;étain — level 2: practised with help" in html
    assert "Découpeuse laser (safety) — level 1: discovered</strong> (for the whole category Électronique)" in html


def test_a_talent_without_the_skills_is_told_why(client, login, talent, required_tool, validate, soldering):
    validate(talent, soldering, 1)
    login(talent)
    html = english(client).get(f"/inventory/items/{required_tool.id}").get_data(as_text=True)
    assert "✖ You cannot use it yet:" in html and "You have the skills" not in html
    assert (
        "<li>You need “Soudure à l&#39;étain” at level 2 (practised with help); you have level 1 (discovered).</li>"
    ) in html
    # The list above says where each requirement comes from: the reasons do not repeat it.
    assert "<li>You need “Découpeuse laser” at level 1 (discovered); you do not have it yet.</li>" in html
    assert 'href="/passport"' in html


def test_a_talent_with_the_skills_is_told_so(client, login, talent, required_tool, validate, soldering, laser):
    validate(talent, soldering, 2)
    validate(talent, laser, 2)
    login(talent)
    html = english(client).get(f"/inventory/items/{required_tool.id}").get_data(as_text=True)
    assert "✔ You have the skills to use it." in html and "cannot use it" not in html


def test_anonymous_visitors_see_the_skill_names_but_no_verdict(client, required_tool):
    html = english(client).get(f"/inventory/items/{required_tool.id}").get_data(as_text=True)
    assert "Soudure à l&#39;étain — level 2" in html
    assert "You cannot use it" not in html and "You have the skills" not in html


@pytest.mark.parametrize("role", [Role.MENTOR, Role.LAB_MANAGER])
def test_staff_see_the_skills_but_no_verdict(client, login, make_user, required_tool, role):
    login(make_user(role))
    html = english(client).get(f"/inventory/items/{required_tool.id}").get_data(as_text=True)
    assert "Soudure à l&#39;étain — level 2" in html
    assert "You cannot use it" not in html and "You have the skills" not in html


def test_a_talent_of_another_territory_gets_no_verdict(client, login, make_user, other_territory, required_tool):
    login(make_user(Role.PARTICIPANT, territory_=other_territory))
    html = english(client).get(f"/inventory/items/{required_tool.id}").get_data(as_text=True)
    assert "Soudure à l&#39;étain — level 2" in html and "You cannot use it" not in html


def test_an_item_that_requires_nothing_shows_no_section(client, login, talent, make_item):
    item = make_item("Tournevis")
    login(talent)
    html = english(client).get(f"/inventory/items/{item.id}").get_data(as_text=True)
    assert "Skills needed" not in html and "You have the skills" not in html


# --- Managers add and remove --------------------------------------------------------------------------


def test_a_manager_sees_the_form_with_skills_by_domain_and_levels_in_words(client, login, manager, required_tool, db):
    login(manager)
    html = english(client).get(f"/inventory/items/{required_tool.id}").get_data(as_text=True)
    assert f'action="/inventory/items/{required_tool.id}/requirements"' in html
    assert '<optgroup label="Fabrication numérique">' in html and "Découpeuse laser (safety)</option>" in html
    assert '<option value="2">2 – practised with help</option>' in html
    own = db.session.scalar(sa.select(SkillRequirement.id).where(SkillRequirement.item_id == required_tool.id))
    # Only the item's own requirement can be removed here; the category's is changed on the category's page.
    assert html.count("/inventory/requirements/") == 1 and f"/inventory/requirements/{own}/delete" in html
    assert f'href="/inventory/categories/{required_tool.category_id}/edit"' in html


def test_a_talent_sees_no_management_form(client, login, talent, required_tool):
    login(talent)
    html = client.get(f"/inventory/items/{required_tool.id}").get_data(as_text=True)
    assert "/requirements" not in html and "/inventory/requirements/" not in html


def test_a_manager_adds_a_requirement_to_a_tool(client, login, manager, tool, laser, db):
    login(manager)
    english(client)
    response = client.post(
        f"/inventory/items/{tool.id}/requirements", data={"skill_id": str(laser.id), "min_level": "3"}
    )
    assert response.status_code == 302 and response.location == f"/inventory/items/{tool.id}"
    html = client.get(response.location).get_data(as_text=True)
    assert "“Découpeuse laser” is now required, at level 3 (autonomous)." in html
    row = db.session.scalar(sa.select(SkillRequirement))
    assert (row.item_id, row.category_id, row.skill_id, row.min_level) == (tool.id, None, laser.id, 3)


def test_a_manager_removes_a_requirement_of_a_tool(client, login, manager, tool, soldering, require, db):
    requirement = require(soldering, 2, item=tool)
    login(manager)
    english(client)
    response = client.post(f"/inventory/requirements/{requirement.id}/delete")
    assert response.location == f"/inventory/items/{tool.id}"
    assert "“Soudure à l&#39;étain” is no longer required." in client.get(response.location).get_data(as_text=True)
    assert _count(db) == 0


@pytest.mark.parametrize("role", [Role.PARTICIPANT, Role.MENTOR, Role.RESEARCHER])
def test_other_roles_may_not_add_or_remove(client, login, make_user, tool, soldering, laser, require, db, role):
    requirement = require(soldering, 2, item=tool)
    login(make_user(role))
    assert (
        client.post(
            f"/inventory/items/{tool.id}/requirements", data={"skill_id": str(laser.id), "min_level": "1"}
        ).status_code
        == 403
    )
    assert (
        client.post(
            f"/inventory/categories/{tool.category_id}/requirements", data={"skill_id": str(laser.id), "min_level": "1"}
        ).status_code
        == 403
    )
    assert client.post(f"/inventory/requirements/{requirement.id}/delete").status_code == 403
    assert _count(db) == 1


def test_a_manager_of_another_territory_gets_a_404_for_tools(
    client, login, other_manager, tool, soldering, laser, require, db
):
    requirement = require(soldering, 2, item=tool)
    login(other_manager)
    assert (
        client.post(
            f"/inventory/items/{tool.id}/requirements", data={"skill_id": str(laser.id), "min_level": "1"}
        ).status_code
        == 404
    )
    assert client.post(f"/inventory/requirements/{requirement.id}/delete").status_code == 404
    assert _count(db) == 1


@pytest.mark.parametrize(
    ("level", "message"),
    [
        ("9", "Choose a level from 1 (discovered) to 4 (can teach)."),
        ("0", "Choose a level from 1 (discovered) to 4 (can teach)."),
        ("deux", "Choose a level from 1 (discovered) to 4 (can teach)."),
        ("", "Choose a level from 1 (discovered) to 4 (can teach)."),
    ],
)
def test_a_bad_level_posted_by_hand_is_refused_and_nothing_changes(
    client, login, manager, tool, laser, db, level, message
):
    login(manager)
    english(client)
    response = client.post(
        f"/inventory/items/{tool.id}/requirements", data={"skill_id": str(laser.id), "min_level": level}
    )
    assert response.status_code == 302
    assert message in client.get(response.location).get_data(as_text=True)
    assert _count(db) == 0
    assert _count(db, AuditEntry) == db.session.scalar(
        sa.select(sa.func.count()).select_from(AuditEntry).where(AuditEntry.object_type != "skill_requirements")
    )


@pytest.mark.parametrize("skill_id", ["", "999999", "abc", "9" * 25, "-1"])
def test_an_unknown_skill_posted_by_hand_is_refused(client, login, manager, tool, db, skill_id):
    login(manager)
    english(client)
    response = client.post(f"/inventory/items/{tool.id}/requirements", data={"skill_id": skill_id, "min_level": "2"})
    assert "Choose a skill." in client.get(response.location).get_data(as_text=True)
    assert _count(db) == 0


def test_a_duplicate_from_the_form_says_so(client, login, manager, tool, soldering, require, db):
    require(soldering, 2, item=tool)
    login(manager)
    english(client)
    response = client.post(
        f"/inventory/items/{tool.id}/requirements", data={"skill_id": str(soldering.id), "min_level": "3"}
    )
    html = client.get(response.location).get_data(as_text=True)
    assert "is already required here, at level 2. Remove it first to change the level." in html
    assert db.session.scalars(sa.select(SkillRequirement.min_level)).all() == [2]


def test_removing_needs_the_csrf_token(client, login, manager, tool, soldering, require, db, csrf_enabled):
    requirement = require(soldering, 2, item=tool)
    login(manager)
    client.post(f"/inventory/requirements/{requirement.id}/delete")
    assert _count(db) == 1


def test_unknown_requirement_is_a_404(client, login, manager):
    login(manager)
    assert client.post("/inventory/requirements/999999/delete").status_code == 404


# --- Categories ----------------------------------------------------------------------------------------


def test_an_admin_sets_a_categorys_requirements(client, login, admin, tool, laser, db):
    login(admin)
    english(client)
    category = tool.category
    response = client.post(
        f"/inventory/categories/{category.id}/requirements", data={"skill_id": str(laser.id), "min_level": "2"}
    )
    assert response.location == f"/inventory/categories/{category.id}/edit"
    html = client.get(response.location).get_data(as_text=True)
    assert "“Découpeuse laser” is now required, at level 2 (practised with help)." in html
    assert "Skills needed for every item of this category" in html
    assert "Découpeuse laser (safety) — level 2: practised with help" in html
    [row] = db.session.scalars(sa.select(SkillRequirement)).all()
    assert (row.category_id, row.item_id) == (category.id, None)
    response = client.post(f"/inventory/requirements/{row.id}/delete")
    assert response.location == f"/inventory/categories/{category.id}/edit"
    assert _count(db) == 0


@pytest.mark.parametrize("which", ["manager", "other_manager"])
def test_lab_managers_may_not_change_a_categorys_requirements(
    client, login, request, tool, soldering, laser, require, db, which
):
    required = require(soldering, 2, category=tool.category)
    login(request.getfixturevalue(which))
    english(client)
    add = client.post(
        f"/inventory/categories/{tool.category_id}/requirements", data={"skill_id": str(laser.id), "min_level": "1"}
    )
    assert add.status_code == 403
    response = client.post(f"/inventory/requirements/{required.id}/delete")
    html = client.get(response.location).get_data(as_text=True)
    assert "only administrators change the skills a category requires" in html
    assert [(r.id, r.skill_id) for r in db.session.scalars(sa.select(SkillRequirement))] == [
        (required.id, soldering.id)
    ]


def test_a_lab_manager_sees_a_categorys_requirements_without_the_forms(
    client, login, manager, tool, soldering, require
):
    required = require(soldering, 2, category=tool.category)
    login(manager)
    html = english(client).get(f"/inventory/categories/{tool.category_id}/edit").get_data(as_text=True)
    assert "Soudure à l&#39;étain — level 2: practised with help" in html
    assert f"/inventory/requirements/{required.id}/delete" not in html
    assert f"/inventory/categories/{tool.category_id}/requirements" not in html
    assert (
        "Categories are shared by every territory: only administrators change the skills a category requires." in html
    )


def test_the_category_page_shows_what_a_category_above_requires(client, login, manager, tool, soldering, require):
    require(soldering, 1, category=tool.category.parent)
    login(manager)
    html = english(client).get(f"/inventory/categories/{tool.category_id}/edit").get_data(as_text=True)
    assert "This category requires no skill of its own." in html
    assert "Required by a category above" in html
    assert "Soudure à l&#39;étain — level 1: discovered</strong> (for the whole category Électronique)" in html


def test_a_bad_level_for_a_category_is_refused(client, login, admin, tool, laser, db):
    login(admin)
    english(client)
    response = client.post(
        f"/inventory/categories/{tool.category_id}/requirements", data={"skill_id": str(laser.id), "min_level": "7"}
    )
    assert "Choose a level from 1" in client.get(response.location).get_data(as_text=True)
    assert _count(db) == 0


def test_unknown_category_is_a_404(client, login, admin, laser):
    login(admin)
    assert (
        client.post(
            "/inventory/categories/999999/requirements", data={"skill_id": str(laser.id), "min_level": "1"}
        ).status_code
        == 404
    )


# --- The item page stays lean --------------------------------------------------------------------------


def _page_queries(client, item, query_counter) -> tuple[int, list[str]]:
    client.get(f"/inventory/items/{item.id}")
    with query_counter() as count:
        assert client.get(f"/inventory/items/{item.id}").status_code == 200
    return count.value, count.statements


def test_a_talents_item_page_query_count_does_not_grow_with_requirements(
    fresh_renders, client, login, talent, tool, make_skill, require, validate, query_counter
):
    login(talent)
    none, _ = _page_queries(client, tool, query_counter)
    new = [make_skill(f"Compétence {n}") for n in range(5)]
    require(new[0], 2, item=tool)
    validate(talent, new[0], 1)
    one, _ = _page_queries(client, tool, query_counter)
    for n, skill in enumerate(new[1:], start=1):
        require(skill, 2, **({"item": tool} if n % 2 else {"category": tool.category.parent}))
        validate(talent, skill, 3)
    five, statements = _page_queries(client, tool, query_counter)
    assert one == five, statements
    # Nothing required: one query finds that out. Something required: still that one query, the talent's verdict
    # adds none (the skills and the talent's holdings of them come with the requirements). The other sections of
    # the page each run one: the open loan, the reservations, the prototypes and the repairs using the tool, the
    # guides for its category (lending rules: none in this test). Last, one query says what matters before
    # borrowing: the talent's late loans when the borrow form shows (nothing required), or who can validate the
    # skills when the verdict stops them.
    assert (none, five) == (3 + 5 + 1, 3 + 5 + 1), statements


@pytest.mark.parametrize("viewer", ["anonymous", Role.MENTOR, Role.PARTICIPANT])
def test_the_requirements_cost_one_query_when_there_is_no_verdict(
    fresh_renders,
    client,
    login,
    make_user,
    other_territory,
    tool,
    soldering,
    make_skill,
    require,
    query_counter,
    viewer,
):
    """Anonymous visitors, staff, and a talent of another territory: one query, requirements or not."""
    if viewer != "anonymous":
        login(make_user(viewer, territory_=other_territory if viewer == Role.PARTICIPANT else None))
    before, _ = _page_queries(client, tool, query_counter)
    require(soldering, 2, item=tool)
    require(make_skill("Sécurité électrique"), 1, category=tool.category)
    after, statements = _page_queries(client, tool, query_counter)
    assert after == before, statements
    if viewer == "anonymous":
        assert after == 3, statements  # the item, its requirements, the published guides of its category (public)
