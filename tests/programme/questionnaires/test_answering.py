"""Answering: each answer saved as given (and replaced when changed), passing a question, sending, postponing,
declining, filling it in with a mentor (assisted), and who may answer for whom."""

from datetime import timedelta
from decimal import Decimal

import pytest
import sqlalchemy as sa

from repairlab import clock
from repairlab.audit.models import AuditEntry
from repairlab.errors import Conflict, PermissionDenied, ValidationError
from repairlab.extensions import db
from repairlab.people.models import Role
from repairlab.programme.questionnaires import answering, queries, scheduling
from repairlab.programme.questionnaires.models import (
    MomentKind,
    QuestionnaireAnswer,
    QuestionnaireResponse,
    ResponseStatus,
)


def _begin(actor, talent, published):
    response = answering.begin(actor, talent, published.questionnaire_id, MomentKind.INTAKE)
    db.session.commit()
    return response


def _answers(response):
    rows = db.session.scalars(
        sa.select(QuestionnaireAnswer).where(QuestionnaireAnswer.response_id == response.id)
    ).all()
    return {a.item.key: (a.value, a.text, a.skipped) for a in rows}


def test_each_answer_is_saved_as_given_and_replaced_when_changed(answering_talent, published):
    response = _begin(answering_talent, answering_talent, published)
    items = {i.key: i for i in published.items}
    answering.save_answer(answering_talent, response, items["conf-1"], value="2")
    db.session.commit()
    assert _answers(response) == {"conf-1": (Decimal(2), None, False)}
    answering.save_answer(answering_talent, response, items["conf-1"], value="4")
    answering.save_answer(answering_talent, response, items["humeur"], value="3")
    answering.save_answer(answering_talent, response, items["heures"], value="12,5")
    answering.save_answer(answering_talent, response, items["libre"], text="  Merci  ")
    answering.save_answer(answering_talent, response, items["conf-2"], skipped=True)
    db.session.commit()
    assert _answers(response) == {
        "conf-1": (Decimal(4), None, False),
        "humeur": (Decimal(3), None, False),
        "heures": (Decimal("12.5"), None, False),
        "libre": (None, "Merci", False),
        "conf-2": (None, None, True),
    }
    assert response.assisted_by_id is None


@pytest.mark.parametrize(
    ("key", "value", "text", "field"),
    [
        ("conf-1", "5", None, "value"),  # not a point of the scale
        ("conf-1", "", None, "value"),
        ("humeur", "4", None, "value"),  # not one of the choices
        ("heures", "51", None, "value"),  # above the highest number
        ("heures", "-1", None, "value"),
        ("heures", "douze", None, "value"),
        ("heures", "1.234", None, "value"),
        ("heures", "NaN", None, "value"),
        ("libre", None, "   ", "text"),
        ("libre", None, "x" * 2001, "text"),
    ],
)
def test_a_wrong_answer_is_refused_and_nothing_is_saved(answering_talent, published, key, value, text, field):
    response = _begin(answering_talent, answering_talent, published)
    item = next(i for i in published.items if i.key == key)
    with pytest.raises(ValidationError) as refused:
        answering.save_answer(answering_talent, response, item, value=value, text=text)
    assert refused.value.field == field
    db.session.rollback()
    assert _answers(response) == {}


def test_sending_completes_the_response_and_freezes_it(answering_talent, published):
    response = _begin(answering_talent, answering_talent, published)
    with pytest.raises(ValidationError, match="au moins une"):
        answering.complete(answering_talent, response)
    answering.save_answer(answering_talent, response, published.items[0], value="3")
    answering.complete(answering_talent, response)
    db.session.commit()
    assert response.status == ResponseStatus.COMPLETED and response.completed_at is not None
    with pytest.raises(Conflict, match="terminé"):
        answering.save_answer(answering_talent, response, published.items[0], value="1")
    assert scheduling.to_answer(answering_talent) == []
    assert db.session.scalar(sa.select(AuditEntry.action).where(AuditEntry.action == "questionnaires.complete"))


def test_beginning_twice_goes_back_to_the_same_response(answering_talent, published):
    first = _begin(answering_talent, answering_talent, published)
    assert _begin(answering_talent, answering_talent, published).id == first.id
    assert db.session.scalar(sa.select(sa.func.count(QuestionnaireResponse.id))) == 1


def test_postponing_hides_it_until_the_day_chosen(answering_talent, published):
    qid = published.questionnaire_id
    response = answering.postpone(answering_talent, answering_talent, qid, MomentKind.INTAKE, until=None)
    db.session.commit()
    assert response.postponed_until == clock.today() + timedelta(days=scheduling.DEFAULT_POSTPONE_DAYS)
    assert scheduling.to_answer(answering_talent) == []
    later = response.postponed_until
    assert [s.moment for s in scheduling.to_answer(answering_talent, today=later)] == [MomentKind.INTAKE]
    # Mentors still see it, postponed.
    [row] = queries.due_in_territory(answering_talent.territory_id)
    assert row.postponed_until == later
    for wrong in (clock.today(), clock.today() + timedelta(days=answering.MAX_POSTPONE_DAYS + 1)):
        with pytest.raises(ValidationError) as refused:
            answering.postpone(answering_talent, answering_talent, qid, MomentKind.INTAKE, until=wrong)
        assert refused.value.field == "until"
    # Answering now ends the postponement.
    answering.begin(answering_talent, answering_talent, qid, MomentKind.INTAKE)
    assert response.postponed_until is None


def test_declining_is_an_answer_too(answering_talent, published):
    response = _begin(answering_talent, answering_talent, published)
    answering.save_answer(answering_talent, response, published.items[0], value="3")
    declined = answering.decline(answering_talent, answering_talent, published.questionnaire_id, MomentKind.INTAKE)
    db.session.commit()
    assert declined.id == response.id
    assert declined.status == ResponseStatus.DECLINED and declined.declined_at is not None
    assert _answers(response) == {}
    assert scheduling.to_answer(answering_talent) == []
    with pytest.raises(Conflict):
        answering.begin(answering_talent, answering_talent, published.questionnaire_id, MomentKind.INTAKE)


def test_a_mentor_fills_it_in_with_the_talent_and_it_records_that(answering_talent, published, mentor):
    response = _begin(mentor, answering_talent, published)
    answering.save_answer(mentor, response, published.items[0], value="3")
    answering.save_answer(answering_talent, response, published.items[1], value="2")
    answering.complete(mentor, response)
    db.session.commit()
    assert response.assisted_by_id == mentor.id
    by_item = {a.item.key: a.assisted_by_id for a in response.answers}
    assert by_item == {"conf-1": mentor.id, "conf-2": None}


@pytest.mark.parametrize("role", [Role.MENTOR, Role.LAB_MANAGER, Role.ADMIN])
def test_the_staff_of_the_talent_s_path_may_assist(answering_talent, published, make_user, role):
    response = _begin(make_user(role), answering_talent, published)
    assert response.assisted_by_id is not None


@pytest.mark.parametrize("role", [Role.RESEARCHER, Role.PARTICIPANT])
def test_others_may_not_answer_for_a_talent(answering_talent, published, make_user, role):
    with pytest.raises(PermissionDenied):
        answering.begin(make_user(role), answering_talent, published.questionnaire_id, MomentKind.INTAKE)


def test_a_mentor_of_another_territory_may_not_assist(answering_talent, published, make_user, make_territory):
    stranger = make_user(Role.MENTOR, territory_=make_territory())
    with pytest.raises(PermissionDenied):
        answering.begin(stranger, answering_talent, published.questionnaire_id, MomentKind.INTAKE)
    response = _begin(answering_talent, answering_talent, published)
    with pytest.raises(PermissionDenied):
        answering.save_answer(stranger, response, published.items[0], value="2")


def test_a_moment_not_due_cannot_be_begun(answering_talent, published):
    with pytest.raises(Conflict, match="pas à remplir"):
        answering.begin(answering_talent, answering_talent, published.questionnaire_id, MomentKind.EXIT)
    with pytest.raises(Conflict, match="pas à remplir"):
        answering.begin(
            answering_talent, answering_talent, published.questionnaire_id, MomentKind.WEEKS_AFTER_ENROLMENT, 8
        )


def test_the_scores_of_a_completed_response(answering_talent, published):
    response = _begin(answering_talent, answering_talent, published)
    items = {i.key: i for i in published.items}
    answering.save_answer(answering_talent, response, items["conf-1"], value="4")
    answering.save_answer(answering_talent, response, items["conf-2"], value="3")
    answering.save_answer(answering_talent, response, items["conf-3"], value="1")  # reversed: counts 4
    answering.complete(answering_talent, response)
    db.session.commit()
    [scored] = queries.scored_responses()
    assert scored.scores == {"confiance": Decimal("3.67")}
    assert (scored.moment, scored.talent_id, scored.assisted) == (MomentKind.INTAKE, answering_talent.id, False)
