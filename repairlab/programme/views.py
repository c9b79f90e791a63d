"""Views of the programme: the attention list, a talent's path (timeline, intake, steps, exit, follow-ups),
sessions and attendance, periods, opening a territory, erasure and one's own data."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Response, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required
from flask_wtf import FlaskForm

from repairlab import clock
from repairlab.auth import admin_required, ensure_territory, roles_required, territory_scope
from repairlab.errors import DomainError
from repairlab.extensions import db
from repairlab.pagination import paginate
from repairlab.people.erasure import can_erase, erase_person
from repairlab.people.models import Cohort, Lab, Role, Territory, User
from repairlab.programme import attendance as attendance_services
from repairlab.programme import bp, periods, queries, services, territories
from repairlab.programme.access import PATH_STAFF, can_see_path
from repairlab.programme.forms import (
    CardForm,
    CohortPeriodForm,
    EraseForm,
    ExitForm,
    FollowUpForm,
    IntakeForm,
    OpenTerritoryForm,
    PathEventForm,
    PeriodForm,
    SessionForm,
    TerritoryTargetForm,
    subtype_of,
)
from repairlab.programme.models import (
    EVALUATION_FIELDS,
    FOLLOW_UP_MONTHS,
    ActivitySession,
    AttendanceMethod,
    ExitCategory,
    ExitSubtype,
    ProgrammePeriod,
    SessionAttendance,
    TalentExit,
)
from repairlab.programme.personal_data import as_csv_zip, as_json, personal_data
from repairlab.programme.questionnaires import queries as questionnaire_queries
from repairlab.programme.questionnaires.panels import moment_words, path_section_context
from repairlab.programme.registry import session_panels_for
from repairlab.projects.models import Project
from repairlab.web import db_id, form_status, show_domain_error, submit, submit_and_return

STAFF = tuple(PATH_STAFF)


def _talent_or_404(talent_id: int) -> User:
    """A talent whose path the viewer may see; another territory's (or not a talent) is not found."""
    talent = db.get_or_404(User, talent_id)
    if not can_see_path(current_user, talent):
        abort(404)
    return talent


def _weeks() -> int:
    weeks = request.args.get("weeks", queries.QUIET_WEEKS, type=int) or queries.QUIET_WEEKS
    return min(max(weeks, 1), 52)


# --- Who needs attention --------------------------------------------------------------------------------------------


@bp.route("/")
@roles_required(*STAFF)
def attention():
    """Who needs attention in the viewer's territory: quiet talents, follow-ups due, exits not recorded, and
    questionnaires to answer (whether, never what)."""
    weeks = _weeks()
    scope = territory_scope(current_user)
    found = queries.attention(scope, weeks=weeks)
    return render_template(
        "programme/attention.html",
        attention=found,
        weeks=weeks,
        questionnaires=questionnaire_queries.due_in_territory(scope),
        moment_words=moment_words,
    )


# --- A talent's path ------------------------------------------------------------------------------------------------


def _event_form(talent: User, form: PathEventForm | None = None) -> PathEventForm:
    form = form or PathEventForm(occurred_on=clock.today())
    cohorts = db.session.scalars(
        sa.select(Cohort).where(Cohort.territory_id == talent.territory_id).order_by(Cohort.start_date.desc())
    ).all()
    form.cohort_id.choices = [("", _("(only for an enrolment)"))] + [(c.id, c.name) for c in cohorts]
    return form


def _path_page(talent: User, event_form: PathEventForm | None = None, status: int = 200):
    talent_exit = services.exit_of(talent)
    follow_ups = []
    if talent_exit is not None:
        done = {f.months_after_exit: f for f in talent_exit.follow_ups}
        today = clock.today()
        for months in FOLLOW_UP_MONTHS:
            due_on = services.follow_up_due_on(talent_exit, months)
            recordable = (due_on - today).days <= services.FOLLOW_UP_EARLY_DAYS
            follow_ups.append((months, due_on, done.get(months), recordable))
    events = services.path_events_of(talent)
    return render_template(
        "programme/talent.html",
        talent=talent,
        intake=services.intake_of(talent),
        talent_exit=talent_exit,
        follow_ups=follow_ups,
        suspended=services.is_suspended(events),
        entries=queries.timeline(talent, current_user),
        event_form=_event_form(talent, event_form),
        form=event_form,
        can_erase=can_erase(current_user, talent),
        today=clock.today(),
        qctx=path_section_context(current_user, talent),
    ), status


@bp.route("/talents/<int:talent_id>")
@roles_required(*STAFF)
def talent(talent_id: int):
    """A talent's path on one page: where they stand, and the timeline of everything the domains hold."""
    return _path_page(_talent_or_404(talent_id))


@bp.route("/people/<int:user_id>")
@roles_required(*STAFF)
def person_path(user_id: int):
    """The path of a person (the link on their people page)."""
    return redirect(url_for("programme.talent", talent_id=_talent_or_404(user_id).id))


@bp.route("/talents/<int:talent_id>/events", methods=["POST"])
@roles_required(*STAFF)
def add_event(talent_id: int):
    """Add a dated step to the path."""
    person = _talent_or_404(talent_id)
    form = _event_form(person, PathEventForm())
    back = url_for("programme.talent", talent_id=person.id)
    done = submit(
        form,
        lambda: services.add_path_event(
            current_user,
            person,
            form.kind.data,
            form.occurred_on.data,
            track=form.track.data,
            cohort=db.session.get(Cohort, form.cohort_id.data) if form.cohort_id.data else None,
            note=form.note.data or "",
        ),
        _("The step is recorded."),
        back + "#path",
    )
    return done or _path_page(person, form, 400)


@bp.route("/talents/<int:talent_id>/intake", methods=["GET", "POST"])
@roles_required(*STAFF)
def intake(talent_id: int):
    """Record or correct the intake, with the consent and the optional evaluation questions."""
    person = _talent_or_404(talent_id)
    existing = services.intake_of(person)
    form = IntakeForm(obj=existing) if existing is not None else IntakeForm(intake_date=clock.today())
    done = submit(
        form,
        lambda: services.record_intake(
            current_user,
            person,
            intake_date=form.intake_date.data,
            evaluation_consent=form.evaluation_consent.data,
            consent_date=form.consent_date.data,
            consent_notice_version=form.consent_notice_version.data,
            **{name: form[name].data for name in EVALUATION_FIELDS},
        ),
        _("The intake is recorded."),
        url_for("programme.talent", talent_id=person.id),
    )
    return done or (
        render_template("programme/intake.html", talent=person, form=form, evaluation_fields=EVALUATION_FIELDS),
        form_status(),
    )


def _exit_form(person: User, form: ExitForm) -> ExitForm:
    projects = services.launched_projects_of(person)
    form.project_id.choices = [("", _("(no project)"))] + [(p.id, f"{p.code} – {p.name}") for p in projects]
    return form


@bp.route("/talents/<int:talent_id>/exit", methods=["GET", "POST"])
@roles_required(*STAFF)
def record_exit(talent_id: int):
    """Record or correct the talent's exit."""
    person = _talent_or_404(talent_id)
    existing = services.exit_of(person)
    if existing is not None:
        form = ExitForm(obj=existing) if request.method == "GET" else ExitForm()
        if request.method == "GET":
            form.subtype.data = existing.subtype.value
    else:
        form = ExitForm(exit_date=clock.today())
        launched = services.launched_projects_of(person)
        if request.method == "GET" and launched:
            # An entrepreneur whose project launched: the exit is a business creation with the project linked.
            form.category.data = ExitCategory.DURABLE_EMPLOYMENT
            form.subtype.data = ExitSubtype.BUSINESS_CREATION.value
            form.project_id.data = launched[0].id
    _exit_form(person, form)

    def save():
        values = {
            "exit_date": form.exit_date.data,
            "category": form.category.data,
            "subtype": subtype_of(form.subtype.data),
            "evidence": form.evidence.data,
            "project": db.session.get(Project, form.project_id.data) if form.project_id.data else None,
        }
        if existing is not None:
            return services.correct_exit(current_user, existing, **values)
        return services.record_exit(current_user, person, **values)

    done = submit(
        form,
        save,
        _("The exit is corrected.") if existing is not None else _("The exit is recorded."),
        url_for("programme.talent", talent_id=person.id),
    )
    return done or (
        render_template("programme/exit.html", talent=person, form=form, existing=existing),
        form_status(),
    )


@bp.route("/talents/<int:talent_id>/follow-ups/<int:months>", methods=["GET", "POST"])
@roles_required(*STAFF)
def follow_up(talent_id: int, months: int):
    """Record the follow-up at 6, 12 or 24 months."""
    person = _talent_or_404(talent_id)
    talent_exit = services.exit_of(person)
    if talent_exit is None or months not in FOLLOW_UP_MONTHS:
        abort(404)
    form = FollowUpForm(contacted_on=clock.today()) if request.method == "GET" else FollowUpForm()
    done = submit(
        form,
        lambda: services.record_follow_up(
            current_user,
            talent_exit,
            months,
            contacted_on=form.contacted_on.data,
            reached=form.reached.data == "yes",
            category=form.category.data,
            subtype=subtype_of(form.subtype.data),
            evidence=form.evidence.data,
        ),
        _("The follow-up is recorded."),
        url_for("programme.talent", talent_id=person.id),
    )
    return done or (
        render_template(
            "programme/follow_up.html",
            talent=person,
            form=form,
            months=months,
            due_on=services.follow_up_due_on(talent_exit, months),
            talent_exit=talent_exit,
        ),
        form_status(),
    )


# --- Sessions and attendance ----------------------------------------------------------------------------------------


def _session_form(form: SessionForm | None = None) -> SessionForm:
    form = form or SessionForm(held_on=clock.today())
    stmt = sa.select(Lab).where(Lab.active.is_(True)).order_by(Lab.name)
    scope = territory_scope(current_user)
    if scope is not None:
        stmt = stmt.where(Lab.territory_id == scope)
    form.lab_id.choices = [("", "—")] + [(lab.id, lab.name) for lab in db.session.scalars(stmt)]
    return form


@bp.route("/sessions", methods=["GET", "POST"])
@roles_required(*STAFF)
def sessions():
    """The sessions of the viewer's territory, newest first, and a form to create one."""
    form = _session_form(SessionForm() if request.method == "POST" else None)
    if request.method == "POST":
        lab = db.session.get(Lab, form.lab_id.data) if form.lab_id.data else None
        territory = lab.territory if lab is not None else current_user.territory
        if territory is None:
            form.lab_id.errors = [_("Choose the lab of the session.")]
        else:
            done = submit(
                form,
                lambda: attendance_services.create_session(
                    current_user,
                    territory,
                    kind=form.kind.data,
                    title=form.title.data,
                    held_on=form.held_on.data,
                    duration_minutes=form.duration_minutes.data,
                    lab=lab,
                ),
                _("The session is created. Now record who is here."),
                lambda created: url_for("programme.session", session_id=created.id),
            )
            if done:
                return done
    stmt = sa.select(ActivitySession).order_by(ActivitySession.held_on.desc(), ActivitySession.id.desc())
    scope = territory_scope(current_user)
    if scope is not None:
        stmt = stmt.where(ActivitySession.territory_id == scope)
    page = paginate(stmt, per_page=30)
    ids = [found.id for found in page.items]
    present = dict(
        db.session.execute(
            sa.select(SessionAttendance.session_id, sa.func.count(SessionAttendance.id))
            .where(SessionAttendance.session_id.in_(ids))
            .group_by(SessionAttendance.session_id)
        )
        .tuples()
        .all()
    )
    rows = [(found, present.get(found.id, 0)) for found in page.items]
    return render_template("programme/sessions.html", form=form, page=page, rows=rows), form_status()


def _session_or_404(session_id: int) -> ActivitySession:
    found = db.get_or_404(ActivitySession, session_id)
    ensure_territory(current_user, found.territory_id)
    return found


def _session_page(found: ActivitySession, card_form: CardForm | None = None, status: int = 200):
    present = attendance_services.present_ids(found)
    talents = db.session.scalars(
        sa.select(User)
        .where(
            User.role == Role.PARTICIPANT,
            User.territory_id == found.territory_id,
            # Talents who had left before the session are not offered, unless marked present.
            sa.or_(
                sa.and_(
                    User.active.is_(True),
                    User.id.not_in(sa.select(TalentExit.talent_id).where(TalentExit.exit_date < found.held_on)),
                ),
                User.id.in_(present),
            ),
        )
        .order_by(User.full_name)
    ).all()
    return render_template(
        "programme/session.html",
        session=found,
        talents=talents,
        present=present,
        card_form=card_form or CardForm(),
        panels=session_panels_for(found, current_user._get_current_object()),
    ), status


@bp.route("/sessions/<int:session_id>")
@roles_required(*STAFF)
def session(session_id: int):
    """A session's attendance: tick the talents present, or scan their member cards."""
    return _session_page(_session_or_404(session_id))


@bp.route("/sessions/<int:session_id>/attendance", methods=["POST"])
@roles_required(*STAFF)
def attendance_list(session_id: int):
    """Mark the ticked talents present, at once."""
    found = _session_or_404(session_id)
    ids = []
    for raw in request.form.getlist("talent_id"):
        try:
            ids.append(db_id(raw))
        except ValueError:
            abort(400)
    return redirect(
        submit_and_return(
            FlaskForm(),
            lambda: attendance_services.record_attendance(current_user, found, ids, method=AttendanceMethod.LIST),
            lambda added: ngettext("%(num)d talent marked present.", "%(num)d talents marked present.", len(added)),
            url_for("programme.session", session_id=found.id),
        )
    )


def _wants_json() -> bool:
    return request.accept_mimetypes.best == "application/json"


@bp.route("/sessions/<int:session_id>/card", methods=["POST"])
@roles_required(*STAFF)
def attendance_card(session_id: int):
    """Mark present the talent whose member card was scanned or typed; the field is ready for the next card.

    The camera scanner of the page asks for JSON (Accept: application/json), so that it can go on scanning."""
    found = _session_or_404(session_id)
    form = CardForm()
    if not form.validate_on_submit():
        if _wants_json():
            return jsonify(ok=False, message=_("No member card has this code. Check it and try again.")), 400
        return _session_page(found, form, 400)
    try:
        person, added = attendance_services.record_attendance_by_card(current_user, found, form.card.data)
    except DomainError as error:
        if _wants_json():
            db.session.rollback()
            return jsonify(ok=False, message=str(error)), 400
        show_domain_error(form, error)
        return _session_page(found, form, 400)
    db.session.commit()
    if added:
        text = _("%(name)s is marked present.", name=person.full_name)
    else:
        text = _("%(name)s was already marked present.", name=person.full_name)
    if _wants_json():
        present = len(attendance_services.present_ids(found))
        label = ngettext("%(num)d present", "%(num)d present", present)
        return jsonify(ok=True, added=added, message=text, present=present, present_label=label)
    flash(text, "success" if added else "info")
    return redirect(url_for("programme.session", session_id=found.id) + "#card")


@bp.route("/sessions/<int:session_id>/remove/<int:talent_id>", methods=["POST"])
@roles_required(*STAFF)
def attendance_remove(session_id: int, talent_id: int):
    """Unmark a talent ticked by mistake."""
    found = _session_or_404(session_id)
    person = db.get_or_404(User, talent_id)
    return redirect(
        submit_and_return(
            FlaskForm(),
            lambda: attendance_services.remove_attendance(current_user, found, person),
            _("%(name)s is no longer marked present.", name=person.full_name),
            url_for("programme.session", session_id=found.id),
        )
    )


# --- Periods (admin) ------------------------------------------------------------------------------------------------


def _period_values(form: PeriodForm) -> dict:
    return {
        "number": form.number.data,
        "name": form.name.data,
        "description": form.description.data or "",
        "start_date": form.start_date.data,
        "end_date": form.end_date.data,
        "target_talents": form.target_talents.data,
    }


@bp.route("/periods")
@admin_required
def period_list():
    """The programme's periods, their targets per territory and their cohorts."""
    return render_template(
        "programme/periods.html",
        periods=queries.periods(),
        targets=queries.enrolment_against_targets(),
        territories={t.id: t for t in db.session.scalars(sa.select(Territory))},
    )


@bp.route("/periods/new", methods=["GET", "POST"])
@admin_required
def period_new():
    """Create a period."""
    form = PeriodForm()
    done = submit(
        form,
        lambda: periods.save_period(current_user, None, **_period_values(form)),
        _("The period is created."),
        lambda created: url_for("programme.period_edit", period_id=created.id),
    )
    return done or (render_template("programme/period_form.html", form=form, period=None), form_status())


def _period_page(period: ProgrammePeriod, form=None, target_form=None, cohort_form=None, status: int = 200):
    territories = db.session.scalars(sa.select(Territory).order_by(Territory.code)).all()
    target_form = target_form or TerritoryTargetForm(start_date=period.start_date, end_date=period.end_date)
    target_form.territory_id.choices = [("", "—")] + [(t.id, str(t)) for t in territories]
    in_period = queries.cohort_periods()
    cohorts = db.session.scalars(
        sa.select(Cohort).options(sa.orm.joinedload(Cohort.territory)).order_by(Cohort.start_date)
    ).all()
    cohort_form = cohort_form or CohortPeriodForm()
    cohort_form.cohort_id.choices = [("", "—")] + [
        (c.id, f"{c.territory.code} – {c.name}") for c in cohorts if in_period.get(c.id) != period.id
    ]
    return render_template(
        "programme/period_form.html",
        form=form or PeriodForm(obj=period),
        period=period,
        target_form=target_form,
        cohort_form=cohort_form,
        cohorts=[c for c in cohorts if in_period.get(c.id) == period.id],
        territories={t.id: t for t in territories},
    ), status


@bp.route("/periods/<int:period_id>", methods=["GET", "POST"])
@admin_required
def period_edit(period_id: int):
    """Change a period; set its targets per territory; put cohorts in it."""
    period = db.get_or_404(ProgrammePeriod, period_id)
    if request.method == "GET":
        return _period_page(period)
    form = PeriodForm()
    done = submit(
        form,
        lambda: periods.save_period(current_user, period, **_period_values(form)),
        _("The period is saved."),
        url_for("programme.period_edit", period_id=period.id),
    )
    return done or _period_page(period, form=form, status=400)


@bp.route("/periods/<int:period_id>/targets", methods=["POST"])
@admin_required
def period_target(period_id: int):
    """Set the period's dates and target in a territory."""
    period = db.get_or_404(ProgrammePeriod, period_id)
    form = TerritoryTargetForm()
    territories = db.session.scalars(sa.select(Territory)).all()
    form.territory_id.choices = [("", "—")] + [(t.id, str(t)) for t in territories]
    done = submit(
        form,
        lambda: periods.set_territory_target(
            current_user,
            period,
            db.session.get(Territory, form.territory_id.data),
            start_date=form.start_date.data,
            end_date=form.end_date.data,
            target_talents=form.target_talents.data,
        ),
        _("The target is saved."),
        url_for("programme.period_edit", period_id=period.id) + "#targets",
    )
    return done or _period_page(period, target_form=form, status=400)


@bp.route("/periods/<int:period_id>/cohorts", methods=["POST"])
@admin_required
def period_cohort(period_id: int):
    """Put a cohort in the period (or take one out, with remove=1)."""
    period = db.get_or_404(ProgrammePeriod, period_id)
    form = CohortPeriodForm()
    form.cohort_id.choices = [(c.id, c.name) for c in db.session.scalars(sa.select(Cohort))]
    remove = request.form.get("remove") == "1"
    return redirect(
        submit_and_return(
            form,
            lambda: periods.set_cohort_period(
                current_user, db.session.get(Cohort, form.cohort_id.data), None if remove else period
            ),
            _("The cohort is taken out of the period.") if remove else _("The cohort is in the period."),
            url_for("programme.period_edit", period_id=period.id) + "#cohorts",
        )
    )


# --- A new territory (admin) ----------------------------------------------------------------------------------------


@bp.route("/territories/new", methods=["GET", "POST"])
@admin_required
def open_territory():
    """Open a new territory in one form: labs, cohorts, period, settings copied from another territory."""
    form = OpenTerritoryForm()
    every_period = queries.periods()
    form.period_id.choices = [("", "—")] + [(p.id, p.name) for p in every_period]
    if request.method == "GET" and every_period:
        form.period_id.data = every_period[-1].id
    territories_list = db.session.scalars(sa.select(Territory).order_by(Territory.code)).all()
    form.copy_from_id.choices = [("", _("(copy nothing)"))] + [(t.id, str(t)) for t in territories_list]

    def save():
        cohorts = [
            territories.NewCohort(
                row.form.name.data,
                row.form.start_date.data,
                row.form.end_date.data,
                row.form.target_talents.data if row.form.target_talents.data is not None else 0,
            )
            for row in form.cohorts
            if (row.form.name.data or "").strip()
        ]
        return territories.open_territory(
            current_user,
            code=form.code.data,
            name=form.name.data,
            lab_names=(form.labs.data or "").splitlines(),
            cohorts=cohorts,
            period=db.session.get(ProgrammePeriod, form.period_id.data) if form.period_id.data else None,
            copy_from=db.session.get(Territory, form.copy_from_id.data) if form.copy_from_id.data else None,
        )

    done = submit(
        form,
        save,
        lambda opened: _(
            "The territory %(name)s is open: %(labs)d labs, %(cohorts)d cohorts, %(rules)d lending rules copied.",
            name=opened.territory.name,
            labs=len(opened.labs),
            cohorts=len(opened.cohorts),
            rules=opened.policies_copied,
        ),
        url_for("people.admin_territories"),
    )
    return done or (render_template("programme/open_territory.html", form=form), form_status())


# --- Erasure (admin) and one's own data -----------------------------------------------------------------------------


@bp.route("/talents/<int:talent_id>/erase", methods=["GET", "POST"])
@admin_required
def erase(talent_id: int):
    """Confirm, then erase a talent on request."""
    person = _talent_or_404(talent_id)
    if not can_erase(current_user, person):
        abort(404)
    form = EraseForm()
    done = submit(
        form,
        lambda: erase_person(current_user, person),
        _("The talent is erased: their records stay, anonymous."),
        url_for("programme.talent", talent_id=person.id),
    )
    return done or (render_template("programme/erase.html", talent=person, form=form), form_status())


def _download(body, mimetype: str, name: str) -> Response:
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@bp.route("/my-data.json")
@login_required
def my_data_json():
    """One's own data, as JSON."""
    return _download(as_json(personal_data(current_user)), "application/json", "repairlab-my-data.json")


@bp.route("/my-data.zip")
@login_required
def my_data_csv():
    """One's own data, as CSV files (one per table) in a ZIP."""
    return _download(as_csv_zip(personal_data(current_user)), "application/zip", "repairlab-my-data-csv.zip")
