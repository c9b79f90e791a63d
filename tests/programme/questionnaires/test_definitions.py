"""Defining questionnaires: a published version never changes, a new version copies the last one, answers keep
pointing to the version that was shown, publishing checks the draft, and only admins and researchers define."""

import pytest
import sqlalchemy as sa

from repairlab.audit.models import AuditEntry
from repairlab.errors import Conflict, PermissionDenied, ValidationError
from repairlab.extensions import db
from repairlab.people.models import Role
from repairlab.programme.questionnaires import answering, definitions
from repairlab.programme.questionnaires.definitions import OptionText
from repairlab.programme.questionnaires.models import (
    ItemKind,
    MomentKind,
    QuestionnaireItem,
    QuestionnaireVersion,
    ScaleMethod,
    VersionStatus,
)
from tests.programme.questionnaires.helpers import build_questionnaire


def _texts(version):
    return [(i.position, i.key, i.text_fr, i.reversed, [o.label_fr for o in i.options]) for i in version.items]


def test_a_published_version_refuses_every_change(admin, published):
    before = _texts(published)
    scale = published.scales[0]
    item = published.items[0]
    attempts = [
        lambda: definitions.update_version(
            admin, published, title_fr="Autre", title_en="Other", intro_fr="", intro_en=""
        ),
        lambda: definitions.save_item(
            admin, published, item, key=item.key, kind=item.kind, text_fr="Changé", text_en="Changed", scale=scale
        ),
        lambda: definitions.save_item(
            admin, published, None, key="nouveau", kind=ItemKind.TEXT, text_fr="x", text_en="x"
        ),
        lambda: definitions.move_item(admin, published.items[1], -1),
        lambda: definitions.delete_item(admin, item),
        lambda: definitions.save_scale(
            admin, published, scale, key="x", label_fr="x", label_en="x", method=ScaleMethod.SUM, max_missing=0
        ),
        lambda: definitions.delete_scale(admin, scale),
        lambda: definitions.discard_draft(admin, published),
    ]
    for attempt in attempts:
        with pytest.raises(Conflict, match="ne change jamais"):
            attempt()
        db.session.rollback()
    db.session.expire_all()
    assert _texts(db.session.get(QuestionnaireVersion, published.id)) == before


def test_a_new_version_copies_the_last_one_and_the_first_stays_as_it_was(admin, published):
    draft = definitions.new_version(admin, published.questionnaire)
    db.session.commit()
    assert draft.number == 2 and draft.status == VersionStatus.DRAFT
    assert _texts(draft) == _texts(published)
    assert [i.scale.key for i in draft.items if i.scale] == ["confiance"] * 3
    assert all(i.scale.version_id == draft.id for i in draft.items if i.scale)
    definitions.save_item(
        admin,
        draft,
        draft.items[0],
        key="conf-1",
        kind=ItemKind.LIKERT4,
        text_fr="Nouvelle phrase",
        text_en="New statement",
        scale=draft.scales[0],
    )
    definitions.publish(admin, draft)
    db.session.commit()
    db.session.expire_all()
    first = db.session.get(QuestionnaireVersion, published.id)
    assert first.status == VersionStatus.RETIRED and first.retired_at is not None
    assert first.items[0].text_fr == "Phrase 1"
    assert db.session.get(QuestionnaireVersion, draft.id).items[0].text_fr == "Nouvelle phrase"


def test_one_draft_at_a_time(admin, published):
    definitions.new_version(admin, published.questionnaire)
    with pytest.raises(Conflict, match="brouillon"):
        definitions.new_version(admin, published.questionnaire)


def test_answers_keep_pointing_to_the_version_that_was_shown(admin, answering_talent, published):
    response = answering.begin(answering_talent, answering_talent, published.questionnaire_id, MomentKind.INTAKE)
    answering.save_answer(answering_talent, response, published.items[0], value="3")
    db.session.commit()
    draft = definitions.new_version(admin, published.questionnaire)
    definitions.publish(admin, draft)
    db.session.commit()
    # The response begun on version 1 is finished on version 1; its item is the text that was shown.
    db.session.expire_all()
    answering.save_answer(answering_talent, response, response.version.items[1], value="2")
    assert response.version_id == published.id
    assert {a.item.version_id for a in response.answers} == {published.id}
    with pytest.raises(ValidationError, match="ne fait pas partie"):
        answering.save_answer(answering_talent, response, draft.items[0], value="2")


def test_publishing_checks_the_draft(admin):
    version = definitions.create_questionnaire(admin, key="vide", title_fr="Vide", title_en="Empty")
    with pytest.raises(ValidationError, match="aucun item"):
        definitions.publish(admin, version)
    scale = definitions.save_scale(
        admin, version, None, key="s", label_fr="S", label_en="S", method=ScaleMethod.SUM, max_missing=0
    )
    definitions.save_item(admin, version, None, key="t", kind=ItemKind.TEXT, text_fr="T", text_en="T")
    with pytest.raises(ValidationError, match="n’a aucun item"):
        definitions.publish(admin, version)
    definitions.save_item(admin, version, None, key="a", kind=ItemKind.LIKERT4, text_fr="A", text_en="A", scale=scale)
    definitions.save_item(admin, version, None, key="b", kind=ItemKind.LIKERT5, text_fr="B", text_en="B", scale=scale)
    with pytest.raises(ValidationError, match="même nombre de points"):
        definitions.publish(admin, version)


def test_an_item_is_checked(admin):
    version = definitions.create_questionnaire(admin, key="items", title_fr="Items", title_en="Items")
    scale = definitions.save_scale(
        admin, version, None, key="s", label_fr="S", label_en="S", method=ScaleMethod.MEAN, max_missing=0
    )

    def item(**kw):
        values = {"key": "k", "kind": ItemKind.LIKERT4, "text_fr": "Phrase", "text_en": "Statement"} | kw
        return definitions.save_item(admin, version, None, **values)

    with pytest.raises(ValidationError) as refused:
        item(kind=ItemKind.TEXT, scale=scale)
    assert refused.value.field == "scale_id"
    with pytest.raises(ValidationError) as refused:
        item(reversed=True)
    assert refused.value.field == "reversed"
    with pytest.raises(ValidationError) as refused:
        item(kind=ItemKind.CHOICE, options=[OptionText("Oui", "Yes")])
    assert refused.value.field == "options"
    with pytest.raises(ValidationError) as refused:
        item(options=[OptionText("Un", "One"), OptionText("Deux", "Two")])
    assert refused.value.field == "options"
    with pytest.raises(ValidationError) as refused:
        item(text_en="")
    assert refused.value.field == "text_en"
    with pytest.raises(ValidationError) as refused:
        item(key="Clé")
    assert refused.value.field == "key"
    saved = item()
    assert [o.label_fr for o in saved.options] == [
        fr for fr, _en in definitions.DEFAULT_LIKERT_LABELS[ItemKind.LIKERT4]
    ]
    with pytest.raises(Conflict):
        item()


def test_items_move_and_close_up(admin):
    version = build_questionnaire(admin, key="ordre", publish=False)
    keys = lambda: [i.key for i in db.session.get(QuestionnaireVersion, version.id).items]  # noqa: E731
    definitions.move_item(admin, version.items[3], -1)
    db.session.commit()
    assert keys() == ["conf-1", "conf-2", "humeur", "conf-3", "heures", "libre"]
    definitions.delete_item(
        admin, db.session.scalar(sa.select(QuestionnaireItem).where(QuestionnaireItem.key == "humeur"))
    )
    db.session.commit()
    assert keys() == ["conf-1", "conf-2", "conf-3", "heures", "libre"]
    assert [i.position for i in db.session.get(QuestionnaireVersion, version.id).items] == [1, 2, 3, 4, 5]


def test_moments_once_each(admin, published):
    with pytest.raises(Conflict):
        definitions.add_moment(admin, published.questionnaire, MomentKind.INTAKE)
    with pytest.raises(ValidationError) as refused:
        definitions.add_moment(admin, published.questionnaire, MomentKind.WEEKS_AFTER_ENROLMENT, None)
    assert refused.value.field == "weeks"
    added = definitions.add_moment(admin, published.questionnaire, MomentKind.WEEKS_AFTER_ENROLMENT, 26)
    assert added.weeks == 26


@pytest.mark.parametrize("role", [Role.MENTOR, Role.LAB_MANAGER, Role.PARTICIPANT])
def test_only_admins_and_researchers_define(make_user, role):
    with pytest.raises(PermissionDenied):
        definitions.create_questionnaire(make_user(role), key="x-1", title_fr="X", title_en="X")
    researcher = make_user(Role.RESEARCHER)
    version = definitions.create_questionnaire(researcher, key="x-2", title_fr="X", title_en="X")
    assert version.number == 1


def test_every_change_is_in_the_audit_log(admin, published):
    actions = set(db.session.scalars(sa.select(AuditEntry.action)))
    assert {
        "questionnaires.create",
        "questionnaires.scale",
        "questionnaires.item",
        "questionnaires.moment",
        "questionnaires.publish",
    } <= actions
