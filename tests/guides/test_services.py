"""Guides' rules: each save a new version (earlier ones unchanged), the talents' proposals and their review, who may
do what (every role, another territory), the licence, withdrawal, credits, and the links to tickets and sessions."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from repairlab.errors import Conflict, NotFound, PermissionDenied, ValidationError
from repairlab.extensions import db
from repairlab.guides import queries, services
from repairlab.guides.models import (
    CreditChoice,
    Guide,
    GuideKind,
    GuidePublication,
    GuideStatus,
    GuideStepPhoto,
    GuideVersion,
    Helped,
    Licence,
)
from repairlab.people.models import Role
from repairlab.programme import attendance
from repairlab.programme.models import ActivityKind
from repairlab.repairs import tickets
from tests.guides.helpers import content, fields, jpeg, ords, write

DRAFT, PROPOSE, PUBLISH = services.SaveAction.DRAFT, services.SaveAction.PROPOSE, services.SaveAction.PUBLISH


def _steps(guide: Guide) -> list[services.StepInput]:
    """The latest version's steps as the editor sends them back (photos kept)."""
    return [
        services.StepInput(s.title, s.text, s.minutes, keep_photo_ids=[p.id for p in s.photos])
        for s in guide.latest.steps
    ]


# --- Versions ------------------------------------------------------------------------------------------------------


def test_each_save_makes_a_new_version_and_leaves_the_earlier_ones_as_they_were(manager, territory):
    first_photo = jpeg("blue")
    guide = services.create_guide(
        manager,
        territory,
        fields(),
        content(steps=[services.StepInput("Ouvrir", "Dévisser le socle.", new_photos=[first_photo])]),
        PUBLISH,
    )
    db.session.commit()
    v1 = guide.latest
    v1_photo = v1.steps[0].photos[0]
    steps = [*_steps(guide), services.StepInput("Mesurer", "Au multimètre : 20 à 40 Ω.", new_photos=[jpeg()])]
    v2 = services.save_version(manager, guide, fields(), content(steps=steps, change_note="Mesure ajoutée"), DRAFT)
    db.session.commit()

    assert [v.number for v in guide.versions] == [1, 2]
    assert (guide.latest_number, guide.published_number, guide.status) == (2, 1, GuideStatus.DRAFT)
    db.session.expire_all()
    old = db.session.get(GuideVersion, v1.id)
    assert [s.title for s in old.steps] == ["Ouvrir"]  # version 1 as it was
    assert [s.title for s in db.session.get(GuideVersion, v2.id).steps] == ["Ouvrir", "Mesurer"]
    # The kept photo is the same stored file, in a row of the new version.
    new_photo = db.session.get(GuideVersion, v2.id).steps[0].photos[0]
    assert new_photo.id != v1_photo.id and new_photo.key == v1_photo.key
    assert db.session.get(GuideVersion, v2.id).change_note == "Mesure ajoutée"
    assert db.session.get(GuideVersion, v2.id).created_by_id == manager.id


def test_saving_without_a_change_makes_no_version(manager, territory):
    guide = write(manager, territory)
    with pytest.raises(ValidationError, match="Rien n’a changé depuis la version 1"):
        services.save_version(manager, guide, fields(), content(steps=_steps(guide)), DRAFT)
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(GuideVersion)) == 1


def test_a_version_row_is_never_changed(manager, territory):
    guide = write(manager, territory)
    guide.latest.title = "Autre titre"
    with pytest.raises(TypeError, match="never changed"):
        db.session.flush()
    db.session.rollback()


def test_the_difference_between_two_versions(manager, territory):
    guide = write(manager, territory)
    steps = _steps(guide)
    steps[0].text = "Retournez la bouilloire, **débranchée** et vidée."
    services.save_version(manager, guide, fields(), content(steps=steps), PUBLISH)
    db.session.commit()
    v1, v2 = guide.versions
    rows = [r for r in queries.diff(v1, v2) if r is not None]
    changed = [r for r in rows if r.kind != "same"]
    assert changed and changed[0].left == "Retournez la bouilloire, **débranchée**."
    assert changed[0].right == "Retournez la bouilloire, **débranchée** et vidée."
    assert queries.diff(v1, v1) == []


def test_a_removed_photo_is_not_one_of_the_new_version(manager, territory):
    guide = services.create_guide(
        manager, territory, fields(), content(steps=[services.StepInput("Ouvrir", "", new_photos=[jpeg()])]), DRAFT
    )
    db.session.commit()
    services.save_version(manager, guide, fields(), content(steps=[services.StepInput("Ouvrir", "Sans photo")]), DRAFT)
    db.session.commit()
    assert guide.latest.steps[0].photos == []
    assert len(guide.versions[0].steps[0].photos) == 1


def test_a_photo_of_another_guide_cannot_be_kept(manager, territory):
    other = services.create_guide(
        manager, territory, fields(), content(steps=[services.StepInput("A", "", new_photos=[jpeg()])]), DRAFT
    )
    guide = write(manager, territory, title="Autre guide")
    foreign = other.latest.steps[0].photos[0].id
    with pytest.raises(ValidationError) as refused:
        services.save_version(
            manager, guide, fields(), content(steps=[services.StepInput("B", "x", keep_photo_ids=[foreign])]), DRAFT
        )
    assert refused.value.field == "steps-0-photos"


def test_a_file_that_is_not_a_photo_is_refused_at_its_step(manager, territory):
    import io

    with pytest.raises(ValidationError) as refused:
        services.create_guide(
            manager,
            territory,
            fields(),
            content(
                steps=[services.StepInput("A", "a"), services.StepInput("B", "b", new_photos=[io.BytesIO(b"<svg>")])]
            ),
            DRAFT,
        )
    assert refused.value.field == "steps-1-photos"


def test_a_repair_guide_needs_its_kind_of_object(manager, territory):
    with pytest.raises(ValidationError) as refused:
        services.create_guide(manager, territory, fields(category=None), content(), DRAFT)
    assert refused.value.field == "repair_category_id"


def test_slugs_are_readable_and_unique(manager, territory):
    first = write(manager, territory, title="Bouilloire qui ne chauffe plus")
    second = write(manager, territory, title="Bouilloire qui ne chauffe plus")
    reserved = write(manager, territory, title="New")
    assert (first.slug, second.slug) == ("bouilloire-qui-ne-chauffe-plus", "bouilloire-qui-ne-chauffe-plus-2")
    assert reserved.slug == "new-2"  # /guides/new is the editor's address


# --- Proposals, review, publication ------------------------------------------------------------------------------


def test_a_talent_proposes_and_a_mentor_publishes(writer, mentor, territory):
    with pytest.raises(PermissionDenied):
        services.create_guide(writer, territory, fields(), content(), PUBLISH)
    db.session.rollback()
    guide = write(writer, territory, action=PROPOSE)
    assert guide.status == GuideStatus.PROPOSED and not guide.is_public
    with pytest.raises(PermissionDenied):
        services.publish(writer, guide)
    db.session.rollback()

    services.send_back(mentor, guide, "Ajoutez une photo du thermostat.")
    db.session.commit()
    assert (guide.status, guide.review_note) == (GuideStatus.DRAFT, "Ajoutez une photo du thermostat.")
    steps = [*_steps(guide), services.StepInput("Thermostat", "Le voici.", new_photos=[jpeg()])]
    services.save_version(writer, guide, fields(), content(steps=steps), PROPOSE)
    services.publish(mentor, guide)
    db.session.commit()
    assert (guide.status, guide.published_number, guide.review_note) == (GuideStatus.PUBLISHED, 2, "")
    publication = db.session.scalar(sa.select(GuidePublication))
    assert (publication.number, publication.published_by_id) == (2, mentor.id)


def test_a_talents_change_to_a_published_guide_waits_for_review(writer, mentor, territory):
    guide = write(writer, territory, action=PROPOSE)
    services.publish(mentor, guide)
    db.session.commit()
    steps = [*_steps(guide), services.StepInput("Remonter", "Revissez le socle.")]
    with pytest.raises(PermissionDenied):
        services.save_version(writer, guide, fields(), content(steps=steps), PUBLISH)
    db.session.rollback()
    services.save_version(writer, guide, fields(), content(steps=steps), PROPOSE)
    db.session.commit()
    # The public still reads version 1 until the new one is reviewed.
    assert (guide.status, guide.latest_number, guide.published_number) == (GuideStatus.PROPOSED, 2, 1)
    assert guide.is_public


def test_sending_back_needs_a_note_and_a_proposal(writer, mentor, territory):
    guide = write(writer, territory, action=PROPOSE)
    with pytest.raises(ValidationError):
        services.send_back(mentor, guide, "   ")
    db.session.rollback()
    published = write(mentor, territory, title="Publié")
    with pytest.raises(Conflict):
        services.send_back(mentor, published, "Non")


def test_proposing_an_empty_guide_is_refused(writer, territory):
    with pytest.raises(ValidationError, match="au moins une étape"):
        services.create_guide(writer, territory, fields(), content(steps=[]), PROPOSE)


def test_withdrawing_takes_the_guide_off_and_publishing_brings_it_back(manager, territory):
    guide = write(manager, territory)
    services.withdraw(manager, guide)
    db.session.commit()
    assert (guide.status, guide.published_number, guide.is_public) == (GuideStatus.WITHDRAWN, None, False)
    assert not queries.is_published_version(guide, 1)
    # Editing a withdrawn guide keeps it off the public pages until it is published again.
    steps = [*_steps(guide), services.StepInput("Nouveau", "Texte")]
    services.save_version(manager, guide, fields(), content(steps=steps), DRAFT)
    db.session.commit()
    assert guide.status == GuideStatus.WITHDRAWN and not guide.is_public
    services.publish(manager, guide)
    db.session.commit()
    assert guide.is_public and guide.published_number == 2


def test_a_published_guide_keeps_its_licence(manager, territory):
    guide = services.create_guide(manager, territory, fields(licence=Licence.CC0_1), content(), DRAFT)
    db.session.commit()
    assert guide.licence == Licence.CC0_1
    services.save_version(manager, guide, fields(licence=Licence.CC_BY_4), content(title="Autre"), PUBLISH)
    db.session.commit()
    assert guide.licence == Licence.CC_BY_4
    with pytest.raises(ValidationError) as refused:
        services.save_version(manager, guide, fields(licence=Licence.CC_BY_NC_SA_4), content(title="Encore"), DRAFT)
    assert refused.value.field == "licence"


def test_the_database_holds_the_published_version_to_the_latest(manager, territory):
    guide = write(manager, territory)
    guide.latest_number = 2
    with pytest.raises(sa.exc.IntegrityError):
        db.session.flush()
    db.session.rollback()


# --- Permissions --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "writes", "publishes"),
    [
        (Role.PARTICIPANT, True, False),
        (Role.MENTOR, True, True),
        (Role.LAB_MANAGER, True, True),
        (Role.ADMIN, True, True),
        (Role.RESEARCHER, False, False),
    ],
)
def test_who_writes_and_publishes(make_user, territory, role, writes, publishes):
    user = make_user(role)
    if not writes:
        with pytest.raises(PermissionDenied):
            services.create_guide(user, territory, fields(), content(), DRAFT)
        return
    guide = write(user, territory, action=DRAFT)
    if publishes:
        services.publish(user, guide)
        assert guide.is_public
    else:
        with pytest.raises(PermissionDenied):
            services.publish(user, guide)


def test_another_territory_neither_edits_nor_reviews(manager, other_mentor, territory, other_territory):
    guide = write(manager, territory, action=DRAFT)
    with pytest.raises(PermissionDenied):
        services.save_version(other_mentor, guide, fields(), content(title="Pris"), DRAFT)
    with pytest.raises(PermissionDenied):
        services.publish(other_mentor, guide)
    with pytest.raises(PermissionDenied):
        services.create_guide(other_mentor, territory, fields(), content(), DRAFT)


def test_a_talent_changes_only_the_guides_they_started(writer, make_user, manager, territory):
    other_talent = make_user(Role.PARTICIPANT)
    mine = write(writer, territory, action=DRAFT)
    staff_guide = write(manager, territory, title="Guide de l’équipe")
    with pytest.raises(PermissionDenied):
        services.save_version(other_talent, mine, fields(), content(title="Changé"), DRAFT)
    with pytest.raises(PermissionDenied):
        services.save_version(writer, staff_guide, fields(), content(title="Changé"), PROPOSE)


# --- Credits ------------------------------------------------------------------------------------------------------


def test_talents_are_not_credited_unless_they_choose(writer, mentor, territory):
    guide = write(writer, territory, action=PROPOSE)
    services.publish(mentor, guide)
    db.session.commit()
    assert queries.credited_names(guide) == []
    services.set_credit(writer, guide, CreditChoice.FIRST_NAME)
    db.session.commit()
    assert queries.credited_names(guide) == ["Zoé"]
    with pytest.raises(PermissionDenied):
        services.set_credit(mentor, guide, CreditChoice.NONE)  # the mentor published it but wrote nothing


def test_staff_are_credited_by_name_unless_they_choose_otherwise(manager, territory):
    guide = write(manager, territory)
    assert queries.credited_names(guide) == [manager.full_name]
    services.set_credit(manager, guide, CreditChoice.NONE)
    assert queries.credited_names(guide) == []


# --- Links to the work --------------------------------------------------------------------------------------------


def test_a_ticket_records_the_guide_followed_and_whether_it_helped(manager, writer, lab, territory):
    guide = write(manager, territory)
    ticket = tickets.take_in(manager, lab, tickets.IntakeFields(category_id=ords("Kettle"), problem="Froide"))
    use = services.record_use(writer, ticket, guide, Helped.PARTLY)
    db.session.commit()
    assert (use.version.number, use.helped, use.recorded_by_id) == (1, Helped.PARTLY, writer.id)
    again = services.record_use(writer, ticket, guide, Helped.YES)
    assert again.id == use.id and again.helped == Helped.YES
    assert [g.id for g, _v in queries.suggested_for_ticket(ticket)] == [guide.id]
    draft = write(manager, territory, action=DRAFT, title="Brouillon")
    with pytest.raises(NotFound):
        services.record_use(writer, ticket, draft)


def test_suggestions_put_the_same_brand_and_model_first(manager, lab, territory):
    general = write(manager, territory, title="Bouilloire en général")
    own = services.create_guide(
        manager, territory, fields(brand="Moulinex", model="Subito"), content(title="Moulinex Subito"), PUBLISH
    )
    toaster = services.create_guide(
        manager, territory, fields(category="Toaster"), content(title="Grille-pain"), PUBLISH
    )
    ticket = tickets.take_in(
        manager, lab, tickets.IntakeFields(category_id=ords("Kettle"), problem="x", brand="moulinex", model="subito")
    )
    suggested = [g.id for g, _v in queries.suggested_for_ticket(ticket)]
    assert suggested == [own.id, general.id] and toaster.id not in suggested


def test_a_workshop_plan_is_attached_to_a_session(manager, writer, territory, other_territory, other_mentor):
    from repairlab import clock

    plan = write(manager, territory, kind=GuideKind.WORKSHOP, title="Premier atelier de soudure")
    repair = write(manager, territory, title="Pas un atelier")
    session = attendance.create_session(
        manager, territory, kind=ActivityKind.WORKSHOP, title="Soudure", held_on=clock.today()
    )
    attached = services.attach_plan(manager, session, plan)
    assert (attached.guide_id, attached.version.number) == (plan.id, 1)
    with pytest.raises(NotFound):
        services.attach_plan(manager, session, repair)
    for outsider in (writer, other_mentor):
        with pytest.raises(PermissionDenied):
            services.attach_plan(outsider, session, plan)


def test_the_passport_lists_the_published_guides_a_talent_wrote(writer, mentor, admin, territory):
    from repairlab.skills import catalogue

    domain = catalogue.create_domain(admin, name="Électricité")
    skill = catalogue.create_skill(admin, domain=domain, name="Soudure à l’étain")
    guide = write(writer, territory, action=PROPOSE, skills=[(skill.id, 2)])
    assert queries.written_by(writer) == []
    services.publish(mentor, guide)
    db.session.commit()
    [written] = queries.written_by(writer)
    assert (written.slug, written.title, written.skill_ids) == (
        guide.slug,
        "Bouilloire qui ne chauffe plus",
        (skill.id,),
    )
    assert written.skills == ("Soudure à l’étain (pratiqué avec aide)",)  # French, the default


def test_the_public_search_finds_text_category_model_and_skill(manager, territory):
    kettle = services.create_guide(
        manager,
        territory,
        fields(brand="Moulinex", model="Subito"),
        content(steps=[services.StepInput("Thermostat", "Le THERMOSTAT est coupé.")]),
        PUBLISH,
    )
    write(manager, territory, action=DRAFT, title="Thermostat en brouillon")
    db.session.commit()

    def found(**filters) -> list[int]:
        return [g.id for g in db.session.scalars(queries.public_guides(queries.SearchFilters(**filters)))]

    assert found(q="thermostat") == [kettle.id]  # the draft is not public
    assert found(q="chauffe thermostat") == [kettle.id]
    assert found(q="bouilloïre") == [kettle.id]  # accents and case ignored
    assert found(category_id=ords("Kettle")) == [kettle.id]
    assert found(category_id=ords("Toaster")) == []
    assert found(model="subito") == [kettle.id]
    assert found(model="moulinex subito") == [kettle.id]
    assert found(q="100%") == []
    assert db.session.scalar(sa.select(sa.func.count()).select_from(GuideStepPhoto)) == 0


def test_an_erased_talent_is_credited_nowhere(writer, mentor, admin, territory):
    from repairlab.people import erasure

    guide = write(writer, territory, action=PROPOSE)
    services.publish(mentor, guide)
    services.set_credit(writer, guide, CreditChoice.FULL_NAME)
    db.session.commit()
    assert queries.credited_names(guide) == ["Zoé Martin"]
    erasure.erase_person(admin, writer)
    db.session.commit()
    assert queries.credited_names(guide) == []
    assert guide.is_public  # the guide stays, anonymous
