"""Consent: asked only of talents who consented; a withdrawal (dated, audited) hides what is due, and the read side
reporting uses leaves their answers out and counts them. The talent's progress in words, their answers in their own
data download, and erasure (free text scrubbed, scores kept)."""

import io
import json
import zipfile
from datetime import timedelta
from decimal import Decimal

import pytest
import sqlalchemy as sa
import time_machine

from repairlab import clock
from repairlab.audit.models import AuditEntry
from repairlab.errors import Conflict, PermissionDenied, ValidationError
from repairlab.extensions import db
from repairlab.people.erasure import erase_person
from repairlab.people.models import Role
from repairlab.programme import services as path
from repairlab.programme.models import Evidence, ExitCategory, ExitSubtype, TalentIntake
from repairlab.programme.questionnaires import answering, queries, scheduling
from repairlab.programme.questionnaires.models import MomentKind, QuestionnaireAnswer, ResponseStatus
from repairlab.programme.questionnaires.panels import progress_sentence
from tests.programme.questionnaires.test_scheduling import _noon


def _answer_all(actor, talent, version, moment, points: int, weeks: int = 0, words: str | None = None):
    response = answering.begin(actor, talent, version.questionnaire_id, moment, weeks)
    for item in version.items:
        if item.kind.value == "likert4":
            answering.save_answer(actor, response, item, value=str(5 - points if item.reversed else points))
        elif item.kind.value == "text" and words:
            answering.save_answer(actor, response, item, text=words)
    answering.complete(actor, response)
    db.session.commit()
    return response


def test_a_talent_withdraws_and_nothing_more_is_asked(answering_talent, published):
    response = answering.begin(answering_talent, answering_talent, published.questionnaire_id, MomentKind.INTAKE)
    db.session.commit()
    answering.withdraw_consent(answering_talent, answering_talent)
    db.session.commit()
    intake = db.session.scalar(sa.select(TalentIntake).where(TalentIntake.talent_id == answering_talent.id))
    assert intake.consent_withdrawn_on == clock.today()
    assert scheduling.to_answer(answering_talent) == []
    assert queries.due_in_territory(answering_talent.territory_id) == []
    with pytest.raises(Conflict, match="ne participe plus"):
        answering.save_answer(answering_talent, response, published.items[0], value="2")
    with pytest.raises(Conflict, match="déjà été retiré"):
        answering.withdraw_consent(answering_talent, answering_talent)
    entry = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "programme.consent_withdrawn"))
    assert entry.after == {"consent_withdrawn_on": clock.today().isoformat()}


def test_withdrawn_answers_leave_the_read_side_of_the_exports(answering_talent, published, make_user, start_path):
    other = start_path(make_user(Role.PARTICIPANT))
    _answer_all(answering_talent, answering_talent, published, MomentKind.INTAKE, 3, words="Bien")
    _answer_all(other, other, published, MomentKind.INTAKE, 2)
    assert {s.talent_id for s in queries.scored_responses()} == {answering_talent.id, other.id}
    answering.withdraw_consent(answering_talent, answering_talent)
    db.session.commit()
    assert [s.talent_id for s in queries.scored_responses()] == [other.id]
    assert set(db.session.scalars(queries.withdrawn_talents())) == {answering_talent.id}
    assert set(db.session.scalars(queries.consenting_talents())) == {other.id}
    # 1 response, its 3 scale answers and the free text.
    assert queries.withdrawn_counts() == (1, 4)
    assert queries.withdrawn_counts(sa.select(sa.literal(other.id))) == (0, 0)


def test_a_new_consent_after_the_withdrawal_takes_them_back(admin, answering_talent, published):
    answering.withdraw_consent(answering_talent, answering_talent, on=clock.today() - timedelta(days=1))
    db.session.commit()
    intake = db.session.scalar(sa.select(TalentIntake).where(TalentIntake.talent_id == answering_talent.id))
    path.record_intake(
        admin,
        answering_talent,
        intake_date=intake.intake_date,
        evaluation_consent=True,
        consent_date=clock.today(),
        consent_notice_version="2026-02",
    )
    db.session.commit()
    assert intake.consent_withdrawn_on is None
    assert [s.moment for s in scheduling.to_answer(answering_talent)] == [MomentKind.INTAKE]


def test_who_may_record_a_withdrawal(answering_talent, make_user, make_territory, mentor):
    with pytest.raises(PermissionDenied):
        answering.withdraw_consent(make_user(Role.MENTOR, territory_=make_territory()), answering_talent)
    with pytest.raises(PermissionDenied):
        answering.withdraw_consent(make_user(Role.RESEARCHER), answering_talent)
    with pytest.raises(ValidationError):
        answering.withdraw_consent(mentor, answering_talent, on=clock.today() + timedelta(days=1))
    answering.withdraw_consent(mentor, answering_talent)


def test_no_consent_no_withdrawal(talent, published, start_path):
    start_path(talent, consent=False)
    with pytest.raises(Conflict, match="Aucun consentement"):
        answering.withdraw_consent(talent, talent)


def test_the_progress_from_intake_to_exit_in_plain_words(admin, answering_talent, published):
    _answer_all(answering_talent, answering_talent, published, MomentKind.INTAKE, 2)
    path.record_exit(
        admin,
        answering_talent,
        exit_date=clock.today(),
        category=ExitCategory.OTHER_EXIT,
        subtype=ExitSubtype.JOB_SEEKING,
        evidence=Evidence.DECLARED,
    )
    db.session.commit()
    _answer_all(answering_talent, answering_talent, published, MomentKind.EXIT, 3)
    [questionnaire] = queries.progress_of(answering_talent)
    [scale] = questionnaire.scales
    assert [p.score for p in scale.points] == [Decimal("2.00"), Decimal("3.00")]
    assert scale.direction == "up" and scale.high == 4 and scale.chart is not None
    assert scale.chart.axis_high == 4
    assert progress_sentence(scale) == (
        "Depuis votre arrivée, votre score «\u00a0Confiance\u00a0» a augmenté\u00a0: de 2,0 à 3,0 sur 4."
    )


def test_the_answers_are_in_the_talent_s_own_data(answering_talent, published, live_client):
    _answer_all(answering_talent, answering_talent, published, MomentKind.INTAKE, 3, words="=Très bien")
    visitor = live_client(answering_talent)
    data = json.loads(visitor.get("/programme/my-data.json").text)
    answers = {row["position"]: row for row in data["questionnaire_answers"]}
    assert answers[1]["question"] == "Phrase 1" and answers[1]["answer"] == "Plutôt d’accord"
    assert answers[6]["answer"] == "=Très bien"
    [response] = data["questionnaire_responses"]
    assert response["status"] == "completed" and response["moment"] == "intake"
    archive = zipfile.ZipFile(io.BytesIO(visitor.get("/programme/my-data.zip").body))
    assert "'=Très bien" in archive.read("questionnaire_answers.csv").decode("utf-8-sig")


def test_erasure_scrubs_the_free_text_and_keeps_the_scores(admin, answering_talent, published):
    response = _answer_all(answering_talent, answering_talent, published, MomentKind.INTAKE, 3, words="Mon histoire")
    erase_person(admin, answering_talent)
    db.session.commit()
    texts = set(
        db.session.scalars(
            sa.select(QuestionnaireAnswer.text).where(
                QuestionnaireAnswer.response_id == response.id, QuestionnaireAnswer.text.is_not(None)
            )
        )
    )
    assert texts == {"—"}
    assert response.status == ResponseStatus.COMPLETED
    [scored] = queries.scored_responses()
    assert scored.scores == {"confiance": Decimal("3.00")}


def test_a_follow_up_questionnaire_after_the_exit(admin, answering_talent, published):
    path.record_exit(
        admin,
        answering_talent,
        exit_date=clock.today(),
        category=ExitCategory.OTHER_EXIT,
        subtype=ExitSubtype.JOB_SEEKING,
        evidence=Evidence.DECLARED,
    )
    db.session.commit()
    with time_machine.travel(_noon(path.add_months(clock.today(), 6) + timedelta(days=2)), tick=False):
        response = _answer_all(answering_talent, answering_talent, published, MomentKind.FOLLOW_UP_6, 4)
    assert response.status == ResponseStatus.COMPLETED
    assert response.moment == MomentKind.FOLLOW_UP_6
