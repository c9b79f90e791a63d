"""Who may use each questionnaire route (added to the programme's matrix; see tests/core/test_permissions.py).

Talents answer their own questionnaires; the staff of their path (mentors, lab managers, admins) fill them in with
them; only the talent and admins see the answers; admins and researchers define questionnaires."""

from datetime import timedelta

from repairlab import clock
from repairlab.extensions import db
from repairlab.people.models import Role
from repairlab.programme import services as path
from repairlab.programme.models import Evidence, ExitCategory, ExitSubtype
from repairlab.programme.questionnaires import answering, observations
from repairlab.programme.questionnaires.models import MomentKind, ObservationDimension
from tests.permissions import Route
from tests.programme.questionnaires.helpers import build_questionnaire

ANSWERING = frozenset({Role.PARTICIPANT, Role.MENTOR, Role.LAB_MANAGER, Role.ADMIN})
STAFF = frozenset({Role.MENTOR, Role.LAB_MANAGER, Role.ADMIN})
DEFINERS = frozenset({Role.ADMIN, Role.RESEARCHER})


def _talent(w, prefix=""):
    return w["other_talent"] if prefix else w["talent"]


def _version(w):
    """The published questionnaire. Both talents consented at their intake 300 days ago and left 200 days ago (the
    exit the programme's matrix records too), so that the questionnaire of 6 months after the exit is due."""
    if "questionnaire" not in w:
        admin = w["users"][Role.ADMIN]
        w["questionnaire"] = build_questionnaire(admin)
        day = clock.today() - timedelta(days=300)
        for prefix in ("", "other_"):
            talent = _talent(w, prefix)
            path.record_intake(
                admin, talent, intake_date=day, evaluation_consent=True, consent_date=day, consent_notice_version="1"
            )
            if f"{prefix}programme_exit" not in w:
                w[f"{prefix}programme_exit"] = path.record_exit(
                    admin,
                    talent,
                    exit_date=clock.today() - timedelta(days=200),
                    category=ExitCategory.OTHER_EXIT,
                    subtype=ExitSubtype.JOB_SEEKING,
                    evidence=Evidence.DECLARED,
                )
        db.session.commit()
    return w["questionnaire"]


def _slot(suffix="", prefix=""):
    def url(w):
        questionnaire_id = _version(w).questionnaire_id
        return f"/programme/questionnaires/talents/{_talent(w, prefix).id}/{questionnaire_id}/follow_up_6/0{suffix}"

    return url


def _response(w, prefix=""):
    """The talent's intake response, begun with the admin's help."""
    key = f"{prefix}questionnaire_response"
    if key not in w:
        version = _version(w)
        w[key] = answering.begin(
            w["users"][Role.ADMIN], _talent(w, prefix), version.questionnaire_id, MomentKind.FOLLOW_UP_6
        )
        db.session.commit()
    return w[key].id


def _answers_url(suffix=""):
    return (
        lambda w: f"/programme/questionnaires/{_response(w)}{suffix}",
        lambda w: f"/programme/questionnaires/{_response(w, 'other_')}{suffix}",
    )


def _observation(w, prefix=""):
    """An observation of the talent by the territory's mentor (the other territory's: by the admin)."""
    key = f"{prefix}observation"
    if key not in w:
        author = w["users"][Role.ADMIN] if prefix else w["users"][Role.MENTOR]
        w[key] = observations.save_observation(
            author,
            _talent(w, prefix),
            None,
            moment=MomentKind.INTAKE,
            weeks=None,
            observed_on=clock.today(),
            ratings={ObservationDimension.AUTONOMY: observations.RatingInput(3, "")},
        )
        db.session.commit()
    return w[key].id


def _admin_url(suffix):
    return lambda w: f"/programme/questionnaires/admin{suffix(w)}"


QUESTIONNAIRE_MATRIX = [
    Route("programme.questionnaire_intro", _slot(), ANSWERING, other_url=_slot(prefix="other_")),
    Route(
        "programme.questionnaire_postpone",
        _slot("/postpone"),
        ANSWERING,
        method="POST",
        other_url=_slot("/postpone", "other_"),
    ),
    Route(
        "programme.questionnaire_begin", _slot("/begin"), ANSWERING, method="POST", other_url=_slot("/begin", "other_")
    ),
    Route("programme.questionnaire_resume", _answers_url()[0], ANSWERING, other_url=_answers_url()[1]),
    Route(
        "programme.questionnaire_item",
        _answers_url("/1")[0],
        ANSWERING,
        method="POST",
        data=lambda w: {"value": "3", "go": "next"},
        other_url=_answers_url("/1")[1],
    ),
    Route("programme.questionnaire_review", _answers_url("/end")[0], ANSWERING, other_url=_answers_url("/end")[1]),
    Route(
        "programme.questionnaire_complete",
        _answers_url("/complete")[0],
        ANSWERING,
        method="POST",
        other_url=_answers_url("/complete")[1],
    ),
    Route(
        "programme.questionnaire_answers",
        _answers_url("/answers")[0],
        frozenset({Role.PARTICIPANT, Role.ADMIN}),
        other_url=_answers_url("/answers")[1],
    ),
    Route(
        "programme.questionnaire_decline",
        _slot("/decline"),
        ANSWERING,
        method="POST",
        other_url=_slot("/decline", "other_"),
    ),
    # Without the confirmation box: the page answers, nothing is withdrawn.
    Route(
        "programme.withdraw_consent",
        lambda w: f"/programme/questionnaires/talents/{_talent(w).id}/withdraw",
        ANSWERING,
        method="POST",
        other_url=lambda w: f"/programme/questionnaires/talents/{_talent(w, 'other_').id}/withdraw",
    ),
    Route(
        "programme.observation_new",
        lambda w: f"/programme/questionnaires/talents/{_talent(w).id}/observations/new",
        STAFF,
        other_url=lambda w: f"/programme/questionnaires/talents/{_talent(w, 'other_').id}/observations/new",
    ),
    Route(
        "programme.observation_edit",
        lambda w: f"/programme/questionnaires/observations/{_observation(w)}",
        frozenset({Role.MENTOR, Role.ADMIN}),  # its author, and admins
        other_url=lambda w: f"/programme/questionnaires/observations/{_observation(w, 'other_')}",
    ),
    Route("programme.questionnaire_list", lambda w: "/programme/questionnaires/admin", DEFINERS),
    Route(
        "programme.questionnaire_version",
        _admin_url(lambda w: f"/versions/{_version(w).id}"),
        DEFINERS,
    ),
    Route(
        "programme.scale_new",
        _admin_url(lambda w: f"/versions/{_version(w).id}/scales"),
        DEFINERS,
        method="POST",
    ),
    Route("programme.scale_edit", _admin_url(lambda w: f"/scales/{_version(w).scales[0].id}"), DEFINERS),
    Route(
        "programme.scale_delete",
        _admin_url(lambda w: f"/scales/{_version(w).scales[0].id}/delete"),
        DEFINERS,
        method="POST",
    ),
    Route("programme.item_new", _admin_url(lambda w: f"/versions/{_version(w).id}/items/new"), DEFINERS),
    Route("programme.item_edit", _admin_url(lambda w: f"/items/{_version(w).items[0].id}"), DEFINERS),
    Route(
        "programme.item_move",
        _admin_url(lambda w: f"/items/{_version(w).items[1].id}/move"),
        DEFINERS,
        method="POST",
        data=lambda w: {"direction": "up"},
    ),
    Route(
        "programme.item_delete",
        _admin_url(lambda w: f"/items/{_version(w).items[0].id}/delete"),
        DEFINERS,
        method="POST",
    ),
    Route(
        "programme.version_publish",
        _admin_url(lambda w: f"/versions/{_version(w).id}/publish"),
        DEFINERS,
        method="POST",
    ),
    Route(
        "programme.version_discard",
        _admin_url(lambda w: f"/versions/{_version(w).id}/discard"),
        DEFINERS,
        method="POST",
    ),
    Route(
        "programme.version_new",
        _admin_url(lambda w: f"/{_version(w).questionnaire_id}/versions"),
        DEFINERS,
        method="POST",
    ),
    Route(
        "programme.moment_add",
        _admin_url(lambda w: f"/{_version(w).questionnaire_id}/moments"),
        DEFINERS,
        method="POST",
        data=lambda w: {"moment": "weeks_after_enrolment", "weeks": "30"},
    ),
    Route(
        "programme.moment_remove",
        _admin_url(lambda w: f"/moments/{_version(w).questionnaire.moments[-1].id}/remove"),
        DEFINERS,
        method="POST",
    ),
]
