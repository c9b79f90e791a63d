"""Who may use each programme route; see tests/core/test_permissions.py."""

from datetime import timedelta

from repairlab import clock
from repairlab.extensions import db
from repairlab.people.models import Role
from repairlab.programme import attendance, periods, services
from repairlab.programme.models import ActivityKind, Evidence, ExitCategory, ExitSubtype
from tests.permissions import ADMIN, ALL_ROLES, STAFF, Route
from tests.programme.questionnaires.matrix import QUESTIONNAIRE_MATRIX


def _talent(w, prefix=""):
    return w["talent"] if not prefix else w["other_talent"]


def _exit(w, prefix=""):
    """The talent's exit (of that territory), recorded once per world, 200 days ago."""
    key = f"{prefix}programme_exit"
    if key not in w:
        w[key] = services.record_exit(
            w["users"][Role.ADMIN],
            _talent(w, prefix),
            exit_date=clock.today() - timedelta(days=200),
            category=ExitCategory.OTHER_EXIT,
            subtype=ExitSubtype.JOB_SEEKING,
            evidence=Evidence.DECLARED,
        )
        db.session.commit()
    return w[key]


def _session(w, prefix=""):
    """A session of that territory, created once per world."""
    key = f"{prefix}programme_session"
    if key not in w:
        territory = w["territory"] if not prefix else w["other_territory"]
        w[key] = attendance.create_session(
            w["users"][Role.ADMIN], territory, kind=ActivityKind.WORKSHOP, title="Atelier", held_on=clock.today()
        )
        db.session.commit()
    return w[key].id


def _period(w):
    if "programme_period" not in w:
        today = clock.today()
        w["programme_period"] = periods.save_period(
            w["users"][Role.ADMIN],
            None,
            number=1,
            name="Période 1",
            start_date=today,
            end_date=today + timedelta(days=300),
            target_talents=10,
        )
        db.session.commit()
    return w["programme_period"].id


def _path(suffix=""):
    return (
        lambda w: f"/programme/talents/{w['talent'].id}{suffix}",
        lambda w: f"/programme/talents/{w['other_talent'].id}{suffix}",
    )


def _follow_up(prefix=""):
    return lambda w: f"/programme/talents/{_exit(w, prefix).talent_id}/follow-ups/6"


def _session_url(suffix="", prefix=""):
    return lambda w: f"/programme/sessions/{_session(w, prefix)}{suffix}"


MATRIX = [
    Route("programme.attention", lambda w: "/programme/", STAFF),
    Route("programme.talent", _path()[0], STAFF, other_url=_path()[1]),
    Route(
        "programme.person_path",
        lambda w: f"/programme/people/{w['talent'].id}",
        STAFF,
        other_url=lambda w: f"/programme/people/{w['other_talent'].id}",
    ),
    Route("programme.add_event", _path("/events")[0], STAFF, method="POST", other_url=_path("/events")[1]),
    Route("programme.intake", _path("/intake")[0], STAFF, other_url=_path("/intake")[1]),
    Route("programme.record_exit", _path("/exit")[0], STAFF, other_url=_path("/exit")[1]),
    Route("programme.follow_up", _follow_up(), STAFF, other_url=_follow_up("other_")),
    Route("programme.sessions", lambda w: "/programme/sessions", STAFF),
    Route("programme.session", _session_url(), STAFF, other_url=_session_url(prefix="other_")),
    Route(
        "programme.attendance_list",
        _session_url("/attendance"),
        STAFF,
        method="POST",
        other_url=_session_url("/attendance", "other_"),
    ),
    Route(
        "programme.attendance_card",
        _session_url("/card"),
        STAFF,
        method="POST",
        other_url=_session_url("/card", "other_"),
    ),
    Route(
        "programme.attendance_remove",
        lambda w: f"/programme/sessions/{_session(w)}/remove/{w['talent'].id}",
        STAFF,
        method="POST",
        other_url=lambda w: f"/programme/sessions/{_session(w, 'other_')}/remove/{w['other_talent'].id}",
    ),
    Route("programme.period_list", lambda w: "/programme/periods", ADMIN),
    Route("programme.period_new", lambda w: "/programme/periods/new", ADMIN),
    Route("programme.period_edit", lambda w: f"/programme/periods/{_period(w)}", ADMIN),
    Route("programme.period_target", lambda w: f"/programme/periods/{_period(w)}/targets", ADMIN, method="POST"),
    Route("programme.period_cohort", lambda w: f"/programme/periods/{_period(w)}/cohorts", ADMIN, method="POST"),
    Route("programme.open_territory", lambda w: "/programme/territories/new", ADMIN),
    # Without the confirmation box: the page answers, nobody is erased.
    Route("programme.erase", _path("/erase")[0], ADMIN, other_url=_path("/erase")[1], method="POST"),
    Route("programme.my_data_json", lambda w: "/programme/my-data.json", ALL_ROLES),
    Route("programme.my_data_csv", lambda w: "/programme/my-data.zip", ALL_ROLES),
]
MATRIX += QUESTIONNAIRE_MATRIX
