"""The rules of the skills passport, as services: catalogue, validation, history, expiry, declarations."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa
from flask_babel import force_locale
from sqlalchemy.exc import IntegrityError

from repairlab.audit.models import AuditEntry
from repairlab.errors import Conflict, PermissionDenied, ValidationError
from repairlab.people.models import Role
from repairlab.skills import catalogue, matching, queries, usage, validations
from repairlab.skills.models import Skill, SkillDomain, SkillValidation, ValidationKind, ValidationStatus

PAST = date(2026, 3, 2)


def _records(db, talent):
    return db.session.scalars(
        sa.select(SkillValidation).where(SkillValidation.talent_id == talent.id).order_by(SkillValidation.id)
    ).all()


# --- Catalogue ------------------------------------------------------------------------------------


def test_duplicate_domain_refused_ignoring_case_spaces_and_accents(db, make_domain, admin_actor, count_rows):
    make_domain("Électronique")
    with force_locale("en"), pytest.raises(Conflict, match="A domain with this name already exists"):
        catalogue.create_domain(admin_actor, name="  ELECTRONIQUE ")
    db.session.rollback()
    assert count_rows(SkillDomain) == 1


def test_duplicate_skill_refused_case_insensitively(db, make_skill, admin_actor, count_rows):
    skill = make_skill("Soudure à l'étain")
    with force_locale("en"), pytest.raises(Conflict, match="already has a skill with this name") as error:
        catalogue.create_skill(admin_actor, domain=skill.domain, name="SOUDURE  A L'ETAIN")
    assert error.value.field == "name"
    db.session.rollback()
    assert count_rows(Skill) == 1


def test_same_skill_name_is_allowed_in_another_domain(db, make_skill, make_domain):
    make_skill("Réparation de téléphone")
    make_skill("Réparation de téléphone", domain=make_domain("Relation client"))
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Skill)) == 2


def test_renaming_a_skill_onto_another_is_refused(db, make_skill, admin_actor):
    make_skill("Multimètre")
    skill = make_skill("Soudure")
    with pytest.raises(Conflict):
        catalogue.update_skill(admin_actor, skill, domain=skill.domain, name="multimètre", description="")
    db.session.rollback()
    assert db.session.get(Skill, skill.id).name == "Soudure"


def test_the_database_itself_refuses_duplicate_names(db, make_skill):
    skill = make_skill("Soudure")
    db.session.add(Skill(domain_id=skill.domain_id, name="soudure", name_key=skill.name_key))
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


@pytest.mark.parametrize("role", [Role.LAB_MANAGER, Role.MENTOR, Role.PARTICIPANT, Role.RESEARCHER])
def test_only_admins_edit_the_catalogue(db, make_user, role, count_rows):
    with pytest.raises(PermissionDenied):
        catalogue.create_domain(make_user(role), name="Textile")
    db.session.rollback()
    assert count_rows(SkillDomain) == 0


def test_a_lab_manager_changes_no_shared_skill_nor_domain(db, manager, make_skill, count_rows):
    """The catalogue is shared by every territory: a lab manager cannot drop a skill's safety flag for all labs."""
    skill = make_skill("Perceuse à colonne", is_safety=True, validity_months=12)
    domain = skill.domain
    audited = count_rows(AuditEntry)
    with force_locale("en"), pytest.raises(PermissionDenied, match="only administrators change it"):
        catalogue.update_skill(manager, skill, domain=domain, name=skill.name, description="", is_safety=False)
    db.session.rollback()
    with pytest.raises(PermissionDenied):
        catalogue.create_skill(manager, domain=domain, name="Meuleuse")
    db.session.rollback()
    with pytest.raises(PermissionDenied):
        catalogue.update_domain(manager, domain, name="Électricité", description="", position=0)
    db.session.rollback()
    skill, domain = db.session.get(Skill, skill.id), db.session.get(SkillDomain, domain.id)
    assert (skill.is_safety, skill.validity_months, domain.name) == (True, 12, "Électronique")
    assert count_rows(Skill) == 1 and count_rows(AuditEntry) == audited


def test_admins_edit_the_catalogue_and_it_is_audited_for_every_territory(db, admin_actor, make_domain):
    domain = make_domain("Textile")
    skill = catalogue.create_skill(admin_actor, domain=domain, name="Couture à la machine", is_safety=False)
    db.session.commit()
    entry = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.object_type == "skills"))
    assert entry.actor_id == admin_actor.id and entry.after["name"] == skill.name
    # Shared by every territory: the entry names none.
    assert entry.territory_id is None


@pytest.mark.parametrize(
    ("is_safety", "months", "message"),
    [
        (False, 12, "Only safety skills expire"),
        (True, 0, "The validity must be from 1 to 120 months"),
        (True, 121, "The validity must be from 1 to 120 months"),
    ],
)
def test_validity_period_rules(db, make_domain, admin_actor, is_safety, months, message, count_rows):
    with force_locale("en"), pytest.raises(ValidationError, match=message):
        catalogue.create_skill(
            admin_actor, domain=make_domain(), name="Perceuse", is_safety=is_safety, validity_months=months
        )
    db.session.rollback()
    assert count_rows(Skill) == 0


def test_esco_uri_is_checked_and_made_canonical(db, make_skill):
    uuid = "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d"
    skill = make_skill(esco_uri=f" HTTPS://data.europa.eu/esco/skill/{uuid} ")
    assert skill.esco_uri == f"http://data.europa.eu/esco/skill/{uuid}"
    with pytest.raises(ValidationError) as error:
        catalogue.clean_esco_uri("https://example.org/skill/soudure")
    assert error.value.field == "esco_uri"


def test_a_skill_needs_a_name_and_a_domain(db, make_domain, admin_actor):
    with pytest.raises(ValidationError):
        catalogue.create_skill(admin_actor, domain=make_domain(), name="   ")
    with pytest.raises(ValidationError):
        catalogue.create_skill(admin_actor, domain=None, name="Soudure")


# --- Validating ------------------------------------------------------------------------------------


def test_a_mentor_validates_a_talent_skill(db, mentor, talent, make_skill, validate):
    skill = make_skill()
    validation = validate(mentor, talent, skill, 2, on=PAST, note="Soudures propres", evidence_url="/repairs/12")
    assert (validation.level, validation.kind, validation.status) == (
        2,
        ValidationKind.VALIDATED,
        ValidationStatus.ACTIVE,
    )
    assert validation.validator_id == mentor.id and validation.validated_on == PAST
    assert validation.territory_id == talent.territory_id
    assert len(validation.token) >= 32 and validation.expires_on is None
    entry = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.object_type == "skill_validations"))
    assert entry.action == "create" and entry.after["level"] == 2 and entry.actor_id == mentor.id


@pytest.mark.parametrize("level", [0, 5, -1, None, "2", 2.5, True])
def test_levels_outside_the_scale_are_refused(db, mentor, talent, make_skill, level, count_rows):
    with force_locale("en"), pytest.raises(ValidationError, match=r"from 1 \(discovered\) to 4 \(can teach\)"):
        validations.validate_skill(mentor, talent, make_skill(), level=level)
    db.session.rollback()
    assert count_rows(SkillValidation) == 0


def test_the_database_refuses_a_level_outside_the_scale(db, mentor, talent, make_skill):
    skill = make_skill()
    db.session.add(
        SkillValidation(
            talent_id=talent.id,
            skill_id=skill.id,
            territory_id=talent.territory_id,
            level=5,
            kind=ValidationKind.VALIDATED,
            validated_on=PAST,
            validator_id=mentor.id,
            token="t" * 32,
        )
    )
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_nobody_validates_their_own_skills(db, talent, make_skill, count_rows):
    with force_locale("en"), pytest.raises(PermissionDenied, match="You cannot validate your own skills"):
        validations.validate_skill(talent, talent, make_skill(), level=2)
    db.session.rollback()
    assert count_rows(SkillValidation) == 0


def test_not_even_an_admin_validates_their_own_skills(db, admin_actor, make_skill):
    with force_locale("en"), pytest.raises(PermissionDenied, match="your own skills"):
        validations.validate_skill(admin_actor, admin_actor, make_skill(), level=2)


def test_validating_in_another_territory_is_refused(db, make_user, other_territory, talent, make_skill, count_rows):
    outsider = make_user(Role.MENTOR, territory_=other_territory)
    with force_locale("en"), pytest.raises(PermissionDenied, match="talents of your territory"):
        validations.validate_skill(outsider, talent, make_skill(), level=2)
    db.session.rollback()
    assert count_rows(SkillValidation) == 0


def test_an_admin_validates_in_every_territory(db, admin_actor, make_user, other_territory, make_skill, validate):
    far_talent = make_user(Role.PARTICIPANT, territory_=other_territory)
    assert validate(admin_actor, far_talent, make_skill(), 3).territory_id == other_territory.id


@pytest.mark.parametrize("role", [Role.PARTICIPANT, Role.RESEARCHER])
def test_talents_and_researchers_do_not_validate(db, make_user, talent, make_skill, role):
    with pytest.raises(PermissionDenied):
        validations.validate_skill(make_user(role), talent, make_skill(), level=1)


def test_only_talents_have_a_passport(db, mentor, manager, make_skill):
    with pytest.raises(ValidationError):
        validations.validate_skill(manager, mentor, make_skill(), level=1)


def test_future_dates_are_refused(db, mentor, talent, make_skill, count_rows):
    with force_locale("en"), pytest.raises(ValidationError, match="future") as error:
        validations.validate_skill(mentor, talent, make_skill(), level=1, validated_on=date(2999, 1, 1))
    assert error.value.field == "validated_on"
    db.session.rollback()
    assert count_rows(SkillValidation) == 0


def test_a_retired_skill_cannot_be_validated(db, mentor, talent, make_skill):
    skill = make_skill(active=False)
    with pytest.raises(ValidationError):
        validations.validate_skill(mentor, talent, skill, level=1)


@pytest.mark.parametrize(
    "url", ["javascript:alert(1)", "ftp://example.org/x", "//evil.example/x", "just words", "https://" + "a" * 600]
)
def test_evidence_links_must_be_web_or_local(db, mentor, talent, make_skill, url):
    with pytest.raises(ValidationError) as error:
        validations.validate_skill(mentor, talent, make_skill(), level=1, evidence_url=url)
    assert error.value.field == "evidence_url"


def test_a_new_validation_supersedes_without_erasing(db, mentor, manager, talent, make_skill, validate):
    skill = make_skill()
    first = validate(mentor, talent, skill, 1, on=date(2026, 1, 10))
    second = validate(manager, talent, skill, 3, on=date(2026, 2, 10))
    db.session.refresh(first)
    assert first.status == ValidationStatus.SUPERSEDED and first.superseded_by_id == second.id
    assert second.status == ValidationStatus.ACTIVE
    assert [r.level for r in _records(db, talent)] == [1, 3]


def test_a_new_validation_cannot_be_dated_before_the_current_one(db, mentor, talent, make_skill, validate):
    skill = make_skill()
    validate(mentor, talent, skill, 2, on=date(2026, 2, 10))
    with pytest.raises(ValidationError) as error:
        validations.validate_skill(mentor, talent, skill, level=3, validated_on=date(2026, 1, 1))
    assert error.value.field == "validated_on"
    db.session.rollback()
    assert len(_records(db, talent)) == 1


def test_the_database_keeps_one_current_validation_per_talent_and_skill(db, mentor, talent, make_skill, validate):
    skill = make_skill()
    validate(mentor, talent, skill, 2, on=PAST)
    db.session.add(
        SkillValidation(
            talent_id=talent.id,
            skill_id=skill.id,
            territory_id=talent.territory_id,
            level=3,
            kind=ValidationKind.VALIDATED,
            validated_on=PAST,
            validator_id=mentor.id,
            token="x" * 32,
        )
    )
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


# --- Withdrawing ------------------------------------------------------------------------------------


@pytest.mark.parametrize("reason", ["", "   ", None])
def test_withdrawing_needs_a_reason(db, mentor, talent, make_skill, validate, reason):
    validation = validate(mentor, talent, make_skill(), 2, on=PAST)
    with force_locale("en"), pytest.raises(ValidationError, match="Say why") as error:
        validations.withdraw_validation(mentor, validation, reason=reason)
    assert error.value.field == "reason"
    db.session.rollback()
    assert db.session.get(SkillValidation, validation.id).status == ValidationStatus.ACTIVE


def test_withdrawing_keeps_the_record_with_its_reason(db, mentor, manager, talent, make_skill, validate):
    validation = validate(mentor, talent, make_skill(), 2, on=PAST)
    validations.withdraw_validation(manager, validation, reason="Validée par erreur")
    db.session.commit()
    db.session.refresh(validation)
    assert validation.status == ValidationStatus.WITHDRAWN
    assert validation.withdraw_reason == "Validée par erreur" and validation.withdrawn_by_id == manager.id
    assert validation.withdrawn_at is not None
    assert len(_records(db, talent)) == 1


def test_withdrawing_the_current_validation_brings_back_the_previous_level(db, mentor, talent, make_skill, validate):
    skill = make_skill()
    first = validate(mentor, talent, skill, 2, on=date(2026, 1, 5))
    second = validate(mentor, talent, skill, 4, on=date(2026, 1, 6))
    validations.withdraw_validation(mentor, second, reason="Mauvais niveau saisi")
    db.session.commit()
    db.session.refresh(first)
    assert first.status == ValidationStatus.ACTIVE and first.superseded_by_id is None
    held = queries.current_levels([talent.id], [skill.id], on=date(2026, 2, 1))
    assert held[(talent.id, skill.id)].level == 2


def test_withdrawing_twice_is_refused(db, mentor, talent, make_skill, validate):
    validation = validate(mentor, talent, make_skill(), 2, on=PAST)
    validations.withdraw_validation(mentor, validation, reason="Erreur")
    db.session.commit()
    with pytest.raises(Conflict):
        validations.withdraw_validation(mentor, validation, reason="Encore")


def test_withdrawing_in_another_territory_is_refused(
    db, mentor, make_user, other_territory, talent, make_skill, validate
):
    validation = validate(mentor, talent, make_skill(), 2, on=PAST)
    with pytest.raises(PermissionDenied):
        validations.withdraw_validation(
            make_user(Role.LAB_MANAGER, territory_=other_territory), validation, reason="Non"
        )
    db.session.rollback()
    assert db.session.get(SkillValidation, validation.id).status == ValidationStatus.ACTIVE


def test_a_talent_withdraws_their_declaration_but_not_a_validation(db, mentor, talent, make_skill, validate):
    declared = validations.declare_skill(talent, make_skill("Couture"), level=2)
    validated = validate(mentor, talent, make_skill("Soudure"), 2, on=PAST)
    with pytest.raises(PermissionDenied):
        validations.withdraw_validation(talent, validated, reason="Je préfère")
    validations.withdraw_validation(talent, declared, reason="Je me suis trompé")
    db.session.commit()
    assert db.session.get(SkillValidation, declared.id).status == ValidationStatus.WITHDRAWN


# --- Expiry of safety skills ----------------------------------------------------------------------------


def test_add_months_keeps_the_day_or_the_end_of_the_month():
    assert validations.add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert validations.add_months(date(2026, 3, 3), 12) == date(2027, 3, 3)
    assert validations.add_months(date(2026, 11, 15), 3) == date(2027, 2, 15)


def test_a_safety_validation_expires_after_the_skill_period(db, manager, talent, make_skill, validate):
    skill = make_skill("Perceuse à colonne", is_safety=True, validity_months=12)
    validation = validate(manager, talent, skill, 3, on=date(2025, 3, 3))
    assert validation.expires_on == date(2026, 3, 3)
    req = [usage.Requirement(skill.id, 2)]
    assert usage.may_use(talent, req, on=date(2026, 3, 2)).allowed
    decision = usage.may_use(talent, req, on=date(2026, 3, 3))
    assert not decision.allowed and decision.reasons[0].expired_on == date(2026, 3, 3)
    assert decision.reasons[0].held_level is None


def test_other_skills_never_expire(db, mentor, talent, make_skill, validate):
    skill = make_skill()
    assert validate(mentor, talent, skill, 2, on=date(2000, 1, 1)).expires_on is None
    assert usage.may_use(talent, [usage.Requirement(skill.id, 2)], on=date(2090, 1, 1)).allowed


def test_changing_the_period_keeps_the_expiry_already_given(db, admin_actor, manager, talent, make_skill, validate):
    skill = make_skill("Meuleuse", is_safety=True, validity_months=12)
    validation = validate(manager, talent, skill, 2, on=date(2026, 1, 10))
    catalogue.update_skill(
        admin_actor, skill, domain=skill.domain, name=skill.name, description="", is_safety=True, validity_months=24
    )
    db.session.commit()
    assert db.session.get(SkillValidation, validation.id).expires_on == date(2027, 1, 10)


def test_renewing_an_expired_safety_skill(db, manager, talent, make_skill, validate):
    skill = make_skill("Perceuse", is_safety=True, validity_months=12)
    validate(manager, talent, skill, 3, on=date(2024, 5, 1))
    renewed = validate(manager, talent, skill, 3, on=date(2026, 5, 2))
    assert renewed.expires_on == date(2027, 5, 2)
    assert usage.may_use(talent, [usage.Requirement(skill.id, 3)], on=date(2026, 6, 1)).allowed


# --- Declaring ---------------------------------------------------------------------------------------


def test_a_talent_declares_a_skill(db, talent, make_skill):
    declaration = validations.declare_skill(talent, make_skill(), level=2, note="Appris chez moi")
    db.session.commit()
    assert declaration.kind == ValidationKind.DECLARED and declaration.validator_id is None
    assert declaration.token is None and declaration.status == ValidationStatus.ACTIVE


def test_a_declared_skill_never_counts_for_may_use(db, talent, make_skill):
    skill = make_skill()
    validations.declare_skill(talent, skill, level=4)
    db.session.commit()
    with force_locale("en"):
        decision = usage.may_use(talent, [usage.Requirement(skill.id, 1)])
    assert not decision.allowed
    reason = decision.reasons[0]
    assert reason.declared_only and reason.held_level is None
    assert "you declared it, but a mentor or lab manager has not validated it yet" in reason.message


def test_declaring_below_a_validated_level_is_refused(db, mentor, talent, make_skill, validate, count_rows):
    skill = make_skill()
    validate(mentor, talent, skill, 3, on=PAST)
    with force_locale("en"), pytest.raises(Conflict, match="already validated for you at level 3"):
        validations.declare_skill(talent, skill, level=2)
    db.session.rollback()
    assert count_rows(SkillValidation) == 1


def test_a_new_declaration_supersedes_the_previous_one(db, talent, make_skill):
    skill = make_skill()
    first = validations.declare_skill(talent, skill, level=1)
    validations.declare_skill(talent, skill, level=2)
    db.session.commit()
    assert db.session.get(SkillValidation, first.id).status == ValidationStatus.SUPERSEDED
    with pytest.raises(Conflict):
        validations.declare_skill(talent, skill, level=2)


def test_a_validation_answers_the_declaration(db, mentor, talent, make_skill, validate):
    skill = make_skill()
    declared = validations.declare_skill(talent, skill, level=3)
    db.session.commit()
    validation = validate(mentor, talent, skill, 2, on=PAST)
    db.session.refresh(declared)
    assert declared.status == ValidationStatus.SUPERSEDED and declared.superseded_by_id == validation.id


def test_staff_do_not_declare(db, mentor, make_skill):
    with pytest.raises(PermissionDenied):
        validations.declare_skill(mentor, make_skill(), level=1)


# --- Current levels and "may use" -------------------------------------------------------------------------


def test_current_levels_in_one_query(db, mentor, talent, make_user, make_skill, validate, query_counter):
    skills = [make_skill(f"Compétence {n}") for n in range(6)]
    others = [make_user(Role.PARTICIPANT) for _ in range(4)]
    for person in [talent, *others]:
        for skill in skills[:4]:
            validate(mentor, person, skill, 2, on=PAST)
    validations.declare_skill(talent, skills[5], level=1)
    db.session.commit()
    user_ids, skill_ids = [p.id for p in [talent, *others]], [s.id for s in skills]
    with query_counter() as count:
        held = queries.current_levels(user_ids, skill_ids, on=PAST)
    assert count.value == 1
    assert len(held) == 21
    assert held[(user_ids[0], skill_ids[5])].declared_level == 1 and held[(user_ids[0], skill_ids[5])].level is None


def test_may_use_explains_each_requirement(db, mentor, manager, talent, make_skill, validate):
    soldering = make_skill("Soudure à l'étain")
    meter = make_skill("Multimètre")
    drill = make_skill("Sécurité perceuse", is_safety=True, validity_months=12)
    printing = make_skill("Impression 3D")
    sewing = make_skill("Couture")
    validate(mentor, talent, soldering, 1, on=date(2026, 1, 5))
    validate(mentor, talent, meter, 3, on=date(2026, 1, 5))
    validate(manager, talent, drill, 3, on=date(2025, 3, 3))
    validations.declare_skill(talent, printing, level=2)
    db.session.commit()
    requirements = [
        usage.Requirement(s.id, level)
        for s, level in [(soldering, 2), (meter, 2), (drill, 1), (printing, 2), (sewing, 1)]
    ]
    with force_locale("en"):
        decision = usage.may_use(talent, requirements, on=date(2026, 6, 1))
    assert not decision.allowed
    assert [i.met for i in decision.items] == [False, True, False, False, False]
    assert [r.skill_name for r in decision.reasons] == [
        "Soudure à l'étain",
        "Sécurité perceuse",
        "Impression 3D",
        "Couture",
    ]
    lower, expired, declared, missing = decision.reasons
    assert (lower.required_level, lower.held_level) == (2, 1)
    assert lower.message == (
        "You need “Soudure à l'étain” at level 2 (practised with help); you have level 1 (discovered)."
    )
    assert expired.expired_on == date(2026, 3, 3)
    assert expired.message.startswith("Your qualification “Sécurité perceuse” expired on March 3, 2026.")
    assert declared.declared_only and not missing.declared_only
    assert missing.message == "You need “Couture” at level 1 (discovered); you do not have it yet."


def test_may_use_names_what_needs_the_skill(db, talent, make_skill):
    skill = make_skill("Soudure à l'étain")
    with force_locale("en"):
        decision = usage.may_use(talent, [usage.Requirement(skill.id, 2, source="Station de soudure")])
    assert decision.reasons[0].message.startswith("Station de soudure: You need “Soudure à l'étain”")
    assert decision.reasons[0].source == "Station de soudure"


def test_may_use_in_french(db, mentor, talent, make_skill, validate, app):
    skill = make_skill("Soudure à l'étain")
    validate(mentor, talent, skill, 1, on=PAST)
    with force_locale("fr"):
        decision = usage.may_use(talent, [usage.Requirement(skill.id, 2)])
    assert "Soudure à l'étain" in decision.reasons[0].message


def test_may_use_allows_when_every_requirement_is_met(db, mentor, talent, make_skill, validate):
    a, b = make_skill("A"), make_skill("B")
    validate(mentor, talent, a, 2, on=PAST)
    validate(mentor, talent, b, 4, on=PAST)
    decision = usage.may_use(talent, [usage.Requirement(a.id, 2), usage.Requirement(b.id, 3)])
    assert decision.allowed and decision.reasons == [] and len(decision.items) == 2
    assert usage.may_use(talent, []).allowed


def test_may_use_refuses_an_unknown_skill_and_a_bad_level(db, talent, make_skill):
    decision = usage.may_use(talent, [usage.Requirement(999_999, 1)])
    assert not decision.allowed and decision.reasons[0].skill_id == 999_999
    with pytest.raises(ValidationError):
        usage.may_use(talent, [usage.Requirement(make_skill().id, 7)])


def test_may_use_runs_two_queries_for_many_requirements(db, mentor, talent, make_skill, validate, query_counter):
    skills = [make_skill(f"Compétence {n}") for n in range(25)]
    for skill in skills[::2]:
        validate(mentor, talent, skill, 2, on=PAST)
    requirements = [usage.Requirement(s.id, 2, source=f"Outil {n}") for n, s in enumerate(skills)]
    db.session.refresh(talent)
    db.session.expire_all()  # skills not in the session: the worst case
    db.session.refresh(talent)
    with query_counter() as count:
        decision = usage.may_use(talent, requirements)
    assert count.value == 2
    assert len(decision.reasons) == 12


def test_may_use_reuses_skills_already_in_the_session(db, mentor, talent, make_skill, validate, query_counter):
    skills = [make_skill(f"Compétence {n}") for n in range(5)]
    requirements = [usage.Requirement(s.id, 2) for s in skills]
    db.session.refresh(talent)
    for skill in skills:
        db.session.refresh(skill)
    with query_counter() as count:
        usage.may_use(talent, requirements)
    assert count.value == 1, count.statements  # only the talent's holdings


# --- Matching ------------------------------------------------------------------------------------------


@pytest.fixture
def ranked(db, mentor, make_user, make_skill, validate, other_territory):
    """Two skills needed at level 2; people holding them in various ways."""
    solder, sew = make_skill("Soudure"), make_skill("Couture")
    people = {
        name: make_user(Role.PARTICIPANT, name=name)
        for name in ["Complète", "Déclarée", "Plus bas", "Manque", "Rien", "Experte", "Expirée"]
    }
    on = date(2026, 1, 10)
    validate(mentor, people["Complète"], solder, 2, on=on)
    validate(mentor, people["Complète"], sew, 3, on=on)
    validate(mentor, people["Experte"], solder, 4, on=on)
    validate(mentor, people["Experte"], sew, 4, on=on)
    validate(mentor, people["Déclarée"], solder, 2, on=on)
    validations.declare_skill(people["Déclarée"], sew, level=3)
    validate(mentor, people["Plus bas"], solder, 1, on=on)
    validate(mentor, people["Plus bas"], sew, 1, on=on)
    validate(mentor, people["Manque"], solder, 3, on=on)
    far = make_user(Role.PARTICIPANT, territory_=other_territory, name="Ailleurs")
    validations.validate_skill(make_user(Role.ADMIN), far, solder, level=4, validated_on=on)
    inactive = make_user(Role.PARTICIPANT, name="Partie", active=False)
    validate(mentor, inactive, solder, 4, on=on)
    db.session.commit()
    return {"skills": (solder, sew), "people": people}


def test_matching_ranks_complete_then_lower_then_missing(db, ranked, talent):
    solder, sew = ranked["skills"]
    both = [usage.Requirement(solder.id, 2), usage.Requirement(sew.id, 2)]
    result = matching.matching(talent.territory_id, both)
    names = [p.user.full_name for p in result.people]
    assert names == ["Experte", "Complète", "Déclarée", "Plus bas", "Manque"]
    tiers = [p.tier for p in result.people]
    assert tiers == [matching.MatchTier.COMPLETE] * 3 + [matching.MatchTier.LOWER, matching.MatchTier.MISSING]
    declared = result.people[2].items[1]
    assert declared.status == matching.MatchStatus.MET_DECLARED and not declared.validated
    assert result.people[3].items[0].status == matching.MatchStatus.LOWER


def test_matching_stays_in_the_territory_and_skips_inactive_people(db, ranked, talent):
    solder, _sew = ranked["skills"]
    result = matching.matching(talent.territory_id, [usage.Requirement(solder.id, 1)])
    names = {p.user.full_name for p in result.people}
    assert "Ailleurs" not in names and "Partie" not in names and "Rien" not in names


def test_matching_treats_an_expired_validation_as_missing(db, manager, talent, make_skill, validate):
    drill = make_skill("Perceuse", is_safety=True, validity_months=12)
    validate(manager, talent, drill, 3, on=date(2024, 1, 1))
    result = matching.matching(talent.territory_id, [usage.Requirement(drill.id, 1)], on=date(2026, 1, 1))
    assert result.people == []


def test_matching_uses_the_highest_level_asked_for_a_skill(db, ranked, talent):
    solder, _sew = ranked["skills"]
    result = matching.matching(talent.territory_id, [usage.Requirement(solder.id, 1), usage.Requirement(solder.id, 4)])
    assert len(result.requirements) == 1 and result.requirements[0].min_level == 4
    assert result.people[0].user.full_name == "Experte"


def test_team_gaps(db, ranked, talent):
    solder, sew = ranked["skills"]
    people = ranked["people"]
    team = [people["Plus bas"].id, people["Manque"].id, people["Déclarée"].id]
    both = [usage.Requirement(solder.id, 2), usage.Requirement(sew.id, 2)]
    result = matching.matching(talent.territory_id, both, team_user_ids=team)
    assert [gap.skill_name for gap in result.team_gaps] == ["Couture"]
    gap = result.team_gaps[0]
    assert gap.best_level == 1 and gap.declared_holders == [people["Déclarée"].id]
    covered = result.team[0]
    assert covered.covered and set(covered.holders) == {people["Manque"].id, people["Déclarée"].id}


def test_matching_refuses_levels_outside_the_scale(db, make_skill, talent):
    with pytest.raises(ValidationError):
        matching.matching(talent.territory_id, [usage.Requirement(make_skill().id, 0)])


@pytest.mark.parametrize("people", [3, 30])
def test_matching_runs_a_bounded_number_of_queries(
    db, mentor, make_user, make_skill, validate, query_counter, talent, people
):
    skills = [make_skill(f"S{n}") for n in range(3)]
    team = []
    for _ in range(people):
        person = make_user(Role.PARTICIPANT)
        team.append(person.id)
        for skill in skills:
            validate(mentor, person, skill, 2, on=PAST)
    territory_id, requirements = talent.territory_id, [usage.Requirement(s.id, 2) for s in skills]
    db.session.expunge_all()
    with query_counter() as count:
        result = matching.matching(territory_id, requirements, team_user_ids=team)
        assert all(p.user.full_name for p in result.people)
    assert len(result.people) == people
    assert count.value <= 4


def test_two_validations_at_once_keep_one_current_record(
    db, mentor, manager, talent, make_skill, validate, monkeypatch, count_rows
):
    """The second of two simultaneous validations read "no current one" too late: the database refuses it."""
    skill = make_skill()
    validate(mentor, talent, skill, 2, on=PAST)
    monkeypatch.setattr(validations, "_current", lambda *args: None)  # a stale read, as in a race
    with force_locale("en"), pytest.raises(Conflict, match="Someone else has just changed this skill"):
        validations.validate_skill(manager, talent, skill, level=3, validated_on=PAST)
    db.session.rollback()
    assert count_rows(SkillValidation) == 1


# --- Whom a talent asks to validate a skill ------------------------------------------------------------


def test_validators_are_the_lab_managers_then_mentors_of_the_talents_territory(
    make_user, talent, mentor, manager, other_territory, admin
):
    make_user(Role.MENTOR, name="Ancien Mentor", active=False)
    make_user(Role.MENTOR, name="Mentor Ailleurs", territory_=other_territory)
    make_user(Role.PARTICIPANT, name="Autre Talent")
    make_user(Role.RESEARCHER, name="Rita Recherche", territory_=None)
    second = make_user(Role.LAB_MANAGER, name="Bruno Atelier")
    assert queries.validators_for(talent) == [second, manager, mentor]


def test_validators_are_limited_and_none_without_a_territory(make_user, talent):
    for n in range(4):
        make_user(Role.MENTOR, name=f"Mentor {n}")
    assert [u.full_name for u in queries.validators_for(talent, limit=2)] == ["Mentor 0", "Mentor 1"]
    from repairlab.people.models import User

    assert queries.validators_for(User(role=Role.PARTICIPANT, territory_id=None)) == []
