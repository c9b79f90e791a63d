"""The timeline sources of a talent's path: what each domain holds about them, as dated lines (registered in
init_app into people's timeline_sources; a later domain such as repairs registers its own there)."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from flask import url_for
from flask_babel import format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import joinedload

from repairlab import clock
from repairlab.extensions import db
from repairlab.lending.models import Loan
from repairlab.people.models import User
from repairlab.people.registry import TimelineEntry
from repairlab.programme.models import (
    ActivitySession,
    ExitFollowUp,
    PathEvent,
    SessionAttendance,
    TalentExit,
    TalentIntake,
)
from repairlab.projects.models import MemberRole, Project, ProjectMember, StageChange
from repairlab.skills.models import SkillValidation

# The kinds of line, in words (the page shows them beside each line).
_KIND_LABELS = {
    "intake": _l("Intake"),
    "path": _l("Path"),
    "attendance": _l("Session"),
    "skill": _l("Skill"),
    "loan": _l("Loan"),
    "project": _l("Project"),
    "exit": _l("Exit"),
    "follow_up": _l("Follow-up"),
}


def _kind_label(key: str) -> str:
    """A kind's name in the current language."""
    return str(_KIND_LABELS[key])


# Each source brings at most this many lines: a long path stays one light page.
SOURCE_ROWS = 200


def _day(value: date | datetime) -> date:
    return value.astimezone(clock.LAB_TZ).date() if isinstance(value, datetime) else value


def programme_entries(talent: User, viewer: User) -> list[TimelineEntry]:
    """Intake, path steps, exit and follow-ups (four small queries)."""
    out: list[TimelineEntry] = []
    intake = db.session.scalar(sa.select(TalentIntake).where(TalentIntake.talent_id == talent.id))
    if intake is not None:
        consent = (
            _(
                "Consent to the evaluation given on %(day)s (notice %(version)s)",
                day=format_date(intake.consent_date),
                version=intake.consent_notice_version,
            )
            if intake.evaluation_consent
            else _("No consent to the evaluation")
        )
        out.append(TimelineEntry(intake.intake_date, "intake", _kind_label("intake"), _("Intake"), consent))
    events = db.session.scalars(
        sa.select(PathEvent)
        .options(joinedload(PathEvent.cohort))
        .where(PathEvent.talent_id == talent.id)
        .order_by(PathEvent.occurred_on)
        .limit(SOURCE_ROWS)
    )
    for event in events:
        detail = event.track.label if event.track else (event.cohort.name if event.cohort else "")
        if event.note:
            detail = f"{detail} — {event.note}" if detail else event.note
        out.append(TimelineEntry(event.occurred_on, "path", _kind_label("path"), str(event.kind.label), detail))
    talent_exit = db.session.scalar(
        sa.select(TalentExit).options(joinedload(TalentExit.project)).where(TalentExit.talent_id == talent.id)
    )
    if talent_exit is not None:
        detail = f"{talent_exit.subtype.label} ({talent_exit.evidence.label})"
        if talent_exit.project is not None:
            detail += f" — {talent_exit.project.name}"
        out.append(
            TimelineEntry(
                talent_exit.exit_date,
                "exit",
                _kind_label("exit"),
                _("Exit: %(category)s", category=talent_exit.category.label),
                detail,
            )
        )
        for follow_up in db.session.scalars(
            sa.select(ExitFollowUp).where(ExitFollowUp.talent_exit_id == talent_exit.id)
        ):
            situation = (
                f"{follow_up.category.label}: {follow_up.subtype.label} ({follow_up.evidence.label})"
                if follow_up.reached
                else _("Not reached")
            )
            out.append(
                TimelineEntry(
                    follow_up.contacted_on,
                    "follow_up",
                    _kind_label("follow_up"),
                    _("Follow-up at %(months)d months", months=follow_up.months_after_exit),
                    situation,
                )
            )
    return out


def attendance_entries(talent: User, viewer: User) -> list[TimelineEntry]:
    """Sessions attended (one query)."""
    sessions = db.session.scalars(
        sa.select(ActivitySession)
        .join(SessionAttendance, SessionAttendance.session_id == ActivitySession.id)
        .where(SessionAttendance.talent_id == talent.id)
        .order_by(ActivitySession.held_on.desc())
        .limit(SOURCE_ROWS)
    )
    return [
        TimelineEntry(
            s.held_on,
            "attendance",
            _kind_label("attendance"),
            _("Attended: %(title)s", title=s.title),
            str(s.kind.label),
            url_for("programme.session", session_id=s.id),
        )
        for s in sessions
    ]


def skills_entries(talent: User, viewer: User) -> list[TimelineEntry]:
    """Skills validated or declared (one query)."""
    rows = db.session.scalars(
        sa.select(SkillValidation)
        .options(joinedload(SkillValidation.skill))
        .where(SkillValidation.talent_id == talent.id)
        .order_by(SkillValidation.validated_on.desc())
        .limit(SOURCE_ROWS)
    )
    return [
        TimelineEntry(
            v.validated_on,
            "skill",
            _kind_label("skill"),
            _("Skill %(kind)s: %(skill)s", kind=v.kind.label.lower(), skill=v.skill.name),
            f"{v.level_label} — {v.status.label}",
            url_for("skills.passport", user_id=talent.id),
        )
        for v in rows
    ]


def loan_entries(talent: User, viewer: User) -> list[TimelineEntry]:
    """Tools borrowed (one query)."""
    loans = db.session.scalars(
        sa.select(Loan)
        .options(joinedload(Loan.item))
        .where(Loan.borrower_id == talent.id)
        .order_by(Loan.started_at.desc())
        .limit(SOURCE_ROWS)
    )
    out = []
    for loan in loans:
        detail = (
            _("Returned on %(day)s", day=format_date(_day(loan.returned_at)))
            if loan.returned_at
            else _("Not returned yet")
        )
        out.append(
            TimelineEntry(
                _day(loan.started_at),
                "loan",
                _kind_label("loan"),
                _("Borrowed: %(item)s", item=f"{loan.item.code} {loan.item.name}"),
                detail,
            )
        )
    return out


def project_entries(talent: User, viewer: User) -> list[TimelineEntry]:
    """Projects joined and their stage changes (two queries)."""
    memberships = db.session.execute(
        sa.select(ProjectMember, Project)
        .join(Project, Project.id == ProjectMember.project_id)
        .where(ProjectMember.user_id == talent.id, ProjectMember.role == MemberRole.TEAM)
    ).all()
    out = [
        TimelineEntry(
            m.joined_on,
            "project",
            _kind_label("project"),
            _("Joined the project %(name)s", name=p.name),
            str(p.status.label),
            url_for("projects.project", project_id=p.id),
        )
        for m, p in memberships
    ]
    names = {p.id: p.name for _m, p in memberships}
    if names:
        changes = db.session.scalars(
            sa.select(StageChange)
            .options(joinedload(StageChange.to_stage))
            .where(StageChange.project_id.in_(names))
            .order_by(StageChange.changed_at.desc())
            .limit(SOURCE_ROWS)
        )
        out.extend(
            TimelineEntry(
                _day(c.changed_at),
                "project",
                _kind_label("project"),
                _("%(project)s: stage %(stage)s", project=names[c.project_id], stage=c.to_stage.name),
                "",
                url_for("projects.project", project_id=c.project_id),
            )
            for c in changes
        )
    return out


SOURCES = {
    "programme.path": (programme_entries, 10),
    "programme.attendance": (attendance_entries, 20),
    "skills.validations": (skills_entries, 30),
    "lending.loans": (loan_entries, 40),
    "projects.stages": (project_entries, 50),
}
