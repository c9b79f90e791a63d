"""Use cases of a talent's path: intake with consent, dated path events, the exit and its follow-ups."""

from __future__ import annotations

import calendar
from datetime import date
from typing import Any

import sqlalchemy as sa
from flask_babel import format_date
from flask_babel import gettext as _

from repairlab import clock, dates
from repairlab.audit.services import record, snapshot
from repairlab.database import flush_or_conflict, lock_row
from repairlab.errors import Conflict, PermissionDenied, ValidationError
from repairlab.extensions import db
from repairlab.people.models import Cohort, Role, Track, User
from repairlab.programme.access import is_path_staff
from repairlab.programme.models import (
    EVALUATION_FIELDS,
    EXIT_SUBTYPES,
    FOLLOW_UP_MONTHS,
    Evidence,
    ExitCategory,
    ExitFollowUp,
    ExitSubtype,
    PathEvent,
    PathEventKind,
    TalentExit,
    TalentIntake,
)
from repairlab.projects.models import MemberRole, Project, ProjectMember, ProjectStatus
from repairlab.text import clean_name, clean_text

MAX_NOTE = 500
MAX_NOTICE_VERSION = 20
INTAKE_FIELDS = ("intake_date", "evaluation_consent", "consent_date", "consent_notice_version", *EVALUATION_FIELDS)
EXIT_FIELDS = ("exit_date", "category", "subtype", "evidence", "project_id")
FOLLOW_UP_FIELDS = ("months_after_exit", "contacted_on", "reached", "category", "subtype", "evidence")
# A follow-up may be recorded from this many days before its milestone (a call made a little early still counts).
FOLLOW_UP_EARLY_DAYS = 31


def add_months(day: date, months: int) -> date:
    """The same day `months` later (the month's last day when it has fewer days): 31 August + 6 is 28 February."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _check_staff(actor: User, talent: User) -> None:
    if talent.role != Role.PARTICIPANT:
        raise ValidationError(_("Only a talent has a path in the programme."))
    if not is_path_staff(actor, talent.territory_id):
        raise PermissionDenied(_("You may not change this talent's path."))
    if talent.erased_at is not None:
        raise Conflict(_("This talent's account has been erased: their path can no longer change."))


def _past_day(day: date | None, field: str, missing: str) -> date:
    """A required day, within the accepted span and not after today."""
    if day is None:
        raise ValidationError(missing, field=field)
    dates.check_day(day, field)
    if day > clock.today():
        raise ValidationError(_("This date cannot be in the future."), field=field)
    return day


# --- Intake ---------------------------------------------------------------------------------------------------------


def intake_of(talent: User) -> TalentIntake | None:
    """The talent's intake, if recorded."""
    return db.session.scalar(sa.select(TalentIntake).where(TalentIntake.talent_id == talent.id))


def record_intake(
    actor: User,
    talent: User,
    *,
    intake_date: date | None,
    evaluation_consent: bool,
    consent_date: date | None = None,
    consent_notice_version: str | None = None,
    **evaluation: Any,
) -> TalentIntake:
    """Record (or correct) a talent's intake. The evaluation fields are kept only with the talent's consent,
    recorded with its date and the version of the notice they were given; each field stays optional."""
    _check_staff(actor, talent)
    unknown = set(evaluation) - set(EVALUATION_FIELDS)
    if unknown:
        raise TypeError(f"unknown intake fields: {sorted(unknown)}")
    intake_date = _past_day(intake_date, "intake_date", _("Enter the date of the intake."))
    values = {name: evaluation.get(name) for name in EVALUATION_FIELDS}
    if evaluation_consent:
        consent_date = _past_day(consent_date, "consent_date", _("Enter the date the talent gave their consent."))
        consent_notice_version = clean_name(
            consent_notice_version,
            limit=MAX_NOTICE_VERSION,
            required=_("Enter the version of the information notice the talent was given."),
            field="consent_notice_version",
        )
    else:
        if any(value is not None for value in values.values()):
            raise ValidationError(
                _("Without the talent's consent, leave every evaluation question unanswered."),
                field="evaluation_consent",
            )
        consent_date = consent_notice_version = None
    lock_row(User.locale, talent.id)
    intake = intake_of(talent)
    before = snapshot(intake, INTAKE_FIELDS) if intake is not None else None
    if intake is None:
        intake = TalentIntake(talent_id=talent.id, territory_id=talent.territory_id, recorded_by_id=actor.id)
        db.session.add(intake)
    intake.intake_date = intake_date
    intake.evaluation_consent = evaluation_consent
    intake.consent_date = consent_date
    intake.consent_notice_version = consent_notice_version
    withdrawn_on = intake.consent_withdrawn_on
    if withdrawn_on is not None and (not evaluation_consent or consent_date > withdrawn_on):
        # No consent any more, or a new consent given after the withdrawal: the withdrawal no longer applies.
        intake.consent_withdrawn_on = None
    for name, value in values.items():
        setattr(intake, name, value)
    db.session.flush()
    record(
        actor,
        "programme.intake" if before is None else "programme.intake_update",
        intake,
        before=before,
        after=snapshot(intake, INTAKE_FIELDS),
        label=talent.full_name,
    )
    return intake


# --- Path events ----------------------------------------------------------------------------------------------------


def path_events_of(talent: User) -> list[PathEvent]:
    """The talent's path events, oldest first."""
    return list(
        db.session.scalars(
            sa.select(PathEvent).where(PathEvent.talent_id == talent.id).order_by(PathEvent.occurred_on, PathEvent.id)
        )
    )


def is_suspended(events: list[PathEvent], on: date | None = None) -> bool:
    """Whether the path is suspended on that day (the last suspension or resumption up to it decides)."""
    state = False
    for event in events:
        if on is not None and event.occurred_on > on:
            break
        if event.kind == PathEventKind.SUSPENSION:
            state = True
        elif event.kind == PathEventKind.RESUMPTION:
            state = False
    return state


def current_track(events: list[PathEvent]) -> Track | None:
    """The last track chosen or changed to."""
    tracks = [e.track for e in events if e.kind in (PathEventKind.TRACK_CHOSEN, PathEventKind.TRACK_CHANGED)]
    return tracks[-1] if tracks else None


def exit_of(talent: User) -> TalentExit | None:
    """The talent's exit, if recorded."""
    return db.session.scalar(sa.select(TalentExit).where(TalentExit.talent_id == talent.id))


def add_path_event(
    actor: User,
    talent: User,
    kind: PathEventKind,
    occurred_on: date | None,
    *,
    track: Track | None = None,
    cohort: Cohort | None = None,
    note: str = "",
) -> PathEvent:
    """Add a dated step to a talent's path.

    Enrolment (once, in a cohort of the talent's territory), the first choice of track (once), a change of track
    (to another track), a suspension (when not suspended) and a resumption (when suspended); none after the exit.
    Enrolment and tracks also set the talent's current cohort and track, which other pages show.
    """
    _check_staff(actor, talent)
    occurred_on = _past_day(occurred_on, "occurred_on", _("Enter the date."))
    note = clean_text(note, field="note", limit=MAX_NOTE)
    lock_row(User.locale, talent.id)
    events = path_events_of(talent)
    talent_exit = exit_of(talent)
    if talent_exit is not None and occurred_on > talent_exit.exit_date:
        raise ValidationError(_("The talent left the programme before this date."), field="occurred_on")
    if kind == PathEventKind.ENROLMENT:
        if cohort is None:
            raise ValidationError(_("Choose the cohort the talent joins."), field="cohort_id")
        if cohort.territory_id != talent.territory_id:
            raise ValidationError(_("The cohort must be in the talent's territory."), field="cohort_id")
        if any(e.kind == PathEventKind.ENROLMENT for e in events):
            raise Conflict(_("This talent's enrolment is already recorded."), field="kind")
    elif cohort is not None:
        raise ValidationError(_("Only an enrolment has a cohort."), field="cohort_id")
    if kind in (PathEventKind.TRACK_CHOSEN, PathEventKind.TRACK_CHANGED):
        if track is None:
            raise ValidationError(_("Choose the track."), field="track")
        chosen = current_track(events)
        if kind == PathEventKind.TRACK_CHOSEN and chosen is not None:
            raise Conflict(_("The track is already chosen: record a change of track instead."), field="kind")
        if kind == PathEventKind.TRACK_CHANGED:
            if chosen is None:
                raise ValidationError(_("No track was chosen yet: record the first choice instead."), field="kind")
            if chosen == track:
                raise ValidationError(_("The talent is already on this track."), field="track")
    elif track is not None:
        raise ValidationError(_("Only a choice or change of track has a track."), field="track")
    if kind == PathEventKind.SUSPENSION and is_suspended(events):
        raise Conflict(_("The path is already suspended."), field="kind")
    if kind == PathEventKind.RESUMPTION and not is_suspended(events):
        raise Conflict(_("The path is not suspended."), field="kind")
    pauses = [e.occurred_on for e in events if e.kind in (PathEventKind.SUSPENSION, PathEventKind.RESUMPTION)]
    if pauses and kind in (PathEventKind.SUSPENSION, PathEventKind.RESUMPTION) and occurred_on < max(pauses):
        raise ValidationError(_("This date is before the last suspension or resumption."), field="occurred_on")
    event = PathEvent(
        talent_id=talent.id,
        territory_id=talent.territory_id,
        kind=kind,
        occurred_on=occurred_on,
        track=track,
        cohort_id=cohort.id if cohort is not None else None,
        note=note,
        recorded_by_id=actor.id,
    )
    flush_or_conflict(_("This step is already recorded."), "kind", new=event)
    if kind == PathEventKind.ENROLMENT:
        talent.cohort_id = cohort.id
    if track is not None:
        talent.track = track
    record(
        actor,
        "programme.path_event",
        event,
        after=snapshot(event, ("kind", "occurred_on", "track", "cohort_id")),
        label=f"{talent.full_name}: {kind.label}",
    )
    return event


# --- Exit and follow-ups --------------------------------------------------------------------------------------------


def _check_situation(category: ExitCategory | None, subtype: ExitSubtype | None, field: str = "subtype") -> None:
    if category is None:
        raise ValidationError(_("Choose the category."), field="category")
    if subtype is None or subtype not in EXIT_SUBTYPES[category]:
        raise ValidationError(_("Choose a situation of this category."), field=field)


def launched_projects_of(talent: User) -> list[Project]:
    """The launched projects whose team the talent belongs to (a business creation links one of them)."""
    return list(
        db.session.scalars(
            sa.select(Project)
            .join(ProjectMember, ProjectMember.project_id == Project.id)
            .where(
                ProjectMember.user_id == talent.id,
                ProjectMember.role == MemberRole.TEAM,
                Project.status == ProjectStatus.LAUNCHED,
            )
            .order_by(Project.name)
        )
    )


def _check_project(talent: User, subtype: ExitSubtype, project: Project | None) -> None:
    if project is None:
        return
    if subtype != ExitSubtype.BUSINESS_CREATION:
        raise ValidationError(_("Only a business creation links a project."), field="project_id")
    if project.id not in {p.id for p in launched_projects_of(talent)}:
        raise ValidationError(_("Link a launched project of the talent's team."), field="project_id")


def record_exit(
    actor: User,
    talent: User,
    *,
    exit_date: date | None,
    category: ExitCategory | None,
    subtype: ExitSubtype | None,
    evidence: Evidence | None,
    project: Project | None = None,
) -> TalentExit:
    """Record the talent's exit (once): the date, the category and situation, declared or proven; a business
    creation may link the talent's launched project."""
    _check_staff(actor, talent)
    exit_date = _past_day(exit_date, "exit_date", _("Enter the date of the exit."))
    _check_situation(category, subtype)
    if evidence is None:
        raise ValidationError(_("Say whether the situation is declared or proven."), field="evidence")
    _check_project(talent, subtype, project)
    lock_row(User.locale, talent.id)
    if exit_of(talent) is not None:
        raise Conflict(_("This talent's exit is already recorded: correct it instead."), field="exit_date")
    last_event = db.session.scalar(
        sa.select(sa.func.max(PathEvent.occurred_on)).where(PathEvent.talent_id == talent.id)
    )
    if last_event is not None and exit_date < last_event:
        raise ValidationError(_("The exit cannot be before the last step of the path."), field="exit_date")
    talent_exit = TalentExit(
        talent_id=talent.id,
        territory_id=talent.territory_id,
        exit_date=exit_date,
        category=category,
        subtype=subtype,
        evidence=evidence,
        project_id=project.id if project is not None else None,
        recorded_by_id=actor.id,
    )
    flush_or_conflict(_("This talent's exit is already recorded: correct it instead."), "exit_date", new=talent_exit)
    record(actor, "programme.exit", talent_exit, after=snapshot(talent_exit, EXIT_FIELDS), label=talent.full_name)
    return talent_exit


def correct_exit(
    actor: User,
    talent_exit: TalentExit,
    *,
    exit_date: date | None,
    category: ExitCategory | None,
    subtype: ExitSubtype | None,
    evidence: Evidence | None,
    project: Project | None = None,
) -> TalentExit:
    """Correct a recorded exit (a mistake, a proof received); the log keeps what it was."""
    talent = talent_exit.talent
    _check_staff(actor, talent)
    exit_date = _past_day(exit_date, "exit_date", _("Enter the date of the exit."))
    _check_situation(category, subtype)
    if evidence is None:
        raise ValidationError(_("Say whether the situation is declared or proven."), field="evidence")
    _check_project(talent, subtype, project)
    first_follow_up = min((f.contacted_on for f in talent_exit.follow_ups), default=None)
    if first_follow_up is not None and exit_date > first_follow_up:
        raise ValidationError(_("The exit cannot be after a follow-up already recorded."), field="exit_date")
    before = snapshot(talent_exit, EXIT_FIELDS)
    talent_exit.exit_date, talent_exit.category, talent_exit.subtype = exit_date, category, subtype
    talent_exit.evidence = evidence
    talent_exit.project_id = project.id if project is not None else None
    db.session.flush()
    record(
        actor,
        "programme.exit_correct",
        talent_exit,
        before=before,
        after=snapshot(talent_exit, EXIT_FIELDS),
        label=talent.full_name,
    )
    return talent_exit


def follow_up_due_on(talent_exit: TalentExit, months: int) -> date:
    """The day a follow-up falls due: that many months after the exit."""
    return add_months(talent_exit.exit_date, months)


def record_follow_up(
    actor: User,
    talent_exit: TalentExit,
    months: int,
    *,
    contacted_on: date | None,
    reached: bool,
    category: ExitCategory | None = None,
    subtype: ExitSubtype | None = None,
    evidence: Evidence | None = None,
) -> ExitFollowUp:
    """Record what became of the talent 6, 12 or 24 months after their exit (once per milestone). "Not reached"
    is an answer: then no situation is kept."""
    talent = talent_exit.talent
    _check_staff(actor, talent)
    if months not in FOLLOW_UP_MONTHS:
        raise ValidationError(_("A follow-up is at 6, 12 or 24 months."), field="months_after_exit")
    contacted_on = _past_day(contacted_on, "contacted_on", _("Enter the date of the contact."))
    earliest = add_months(talent_exit.exit_date, months)
    if (earliest - contacted_on).days > FOLLOW_UP_EARLY_DAYS:
        raise ValidationError(_("This follow-up is due from %(day)s.", day=format_date(earliest)), field="contacted_on")
    if reached:
        _check_situation(category, subtype)
        if evidence is None:
            raise ValidationError(_("Say whether the situation is declared or proven."), field="evidence")
    else:
        category = subtype = evidence = None
    follow_up = ExitFollowUp(
        talent_exit_id=talent_exit.id,
        talent_id=talent.id,
        territory_id=talent_exit.territory_id,
        months_after_exit=months,
        contacted_on=contacted_on,
        reached=reached,
        category=category,
        subtype=subtype,
        evidence=evidence,
        recorded_by_id=actor.id,
    )
    flush_or_conflict(_("This follow-up is already recorded."), "months_after_exit", new=follow_up)
    record(
        actor,
        "programme.follow_up",
        follow_up,
        after=snapshot(follow_up, FOLLOW_UP_FIELDS),
        label=f"{talent.full_name} +{months}",
    )
    return follow_up
