"""Views: login and logout, one's own account, the staff directory and the admin pages."""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user
from flask_wtf import FlaskForm

from repairlab.auth import STAFF_ROLES, admin_required, ensure_territory, roles_required, territory_scope
from repairlab.errors import DomainError
from repairlab.extensions import db
from repairlab.pagination import paginate
from repairlab.people import bp, services
from repairlab.people.forms import (
    CohortForm,
    LabForm,
    LoginForm,
    PasswordChangeForm,
    PreferencesForm,
    TerritoryForm,
    UserForm,
)
from repairlab.people.models import Cohort, Lab, Role, Territory, Track, User
from repairlab.people.queries import user_query
from repairlab.people.registry import account_links_for, account_panels_for, person_actions_for
from repairlab.web import db_id, form_status, safe_next, submit, submit_and_return


def _client_address() -> str:
    return request.remote_addr or "unknown"


@bp.route("/language", methods=["POST"])
def set_language():
    """Switch the interface language: remembered on the account, or in the session when anonymous."""
    form = FlaskForm()
    lang = request.form.get("lang", "")
    back = safe_next(request.form.get("next")) or url_for("core.home")
    if not form.validate_on_submit() or lang not in current_app.config["LANGUAGES"]:
        flash(_("Unknown language."), "error")
        return redirect(back)
    if current_user.is_authenticated:
        try:
            services.set_locale(current_user, lang)
        except DomainError as error:
            db.session.rollback()
            flash(str(error), "error")
            return redirect(back)
        db.session.commit()
    session["lang"] = lang
    return redirect(back)


# --- Logging in and out ---------------------------------------------------------------------------


@bp.route("/login", methods=["GET", "POST"])
def login():
    """Log in with e-mail and password."""
    if current_user.is_authenticated:
        return redirect(url_for("core.home"))
    form = LoginForm()
    if not form.validate_on_submit():
        return render_template("people/login.html", form=form, error=None), 400 if request.method == "POST" else 200
    result = services.authenticate(form.email.data, form.password.data, _client_address())
    if result.user is None:
        # 429 with Retry-After while this address must wait before trying this account again.
        headers = {"Retry-After": str(result.retry_after)} if result.retry_after else {}
        status = 429 if result.retry_after else 401
        return render_template("people/login.html", form=form, error=result.error), status, headers
    # A new session: nothing of the anonymous one (CSRF secret, language, anything planted) carries over.
    session.clear()
    login_user(result.user, remember=form.remember.data)
    flash(_("Welcome, %(name)s.", name=result.user.full_name), "success")
    return redirect(safe_next(request.args.get("next")) or url_for("core.home"))


@bp.route("/logout", methods=["POST"])
def logout():
    """Log out (a POST, so that a link cannot log someone out) on every device: copies of the session or
    "remember me" cookies stop working. The account's language stays on this browser."""
    lang = None
    if current_user.is_authenticated:
        lang = current_user.locale
        services.end_all_sessions(current_user)
        db.session.commit()
    session.clear()
    logout_user()  # after clear(): it marks the "remember me" cookie for deletion
    if lang:
        session["lang"] = lang
    flash(_("You are logged out on all your devices."), "success")
    return redirect(url_for("people.login"))


# --- One's own account ----------------------------------------------------------------------------


@bp.route("/account", methods=["GET"])
@login_required
def account():
    """The user's own account: details, language, password."""
    prefs = PreferencesForm(locale=current_user.locale)
    return _account_page(prefs, PasswordChangeForm())


def _account_page(prefs: PreferencesForm, password_form: PasswordChangeForm) -> str:
    """The account page with its forms, the links and the sections other domains add to it."""
    return render_template(
        "people/account.html",
        prefs=prefs,
        password_form=password_form,
        links=account_links_for(current_user),
        panels=account_panels_for(current_user),
    )


@bp.route("/account/preferences", methods=["POST"])
@login_required
def account_preferences():
    """Save one's own preferences."""
    prefs = PreferencesForm()
    if prefs.validate_on_submit():
        services.set_locale(current_user, prefs.locale.data)
        db.session.commit()
        flash(_("Your preferences are saved."), "success")
        return redirect(url_for("people.account"))
    return _account_page(prefs, PasswordChangeForm()), 400


@bp.route("/account/password", methods=["POST"])
@login_required
def account_password():
    """Change one's own password; other devices are logged out."""
    form = PasswordChangeForm()

    def change():
        services.change_password(current_user, current_user, form.current_password.data, form.new_password.data)
        db.session.flush()
        login_user(current_user._get_current_object())  # the session token changed: keep this device signed in

    done = submit(
        form, change, _("Your password has been changed. Your other devices are logged out."), url_for("people.account")
    )
    if done:
        return done
    prefs = PreferencesForm(locale=current_user.locale)
    return _account_page(prefs, form), 400


# --- Staff directory (territory-scoped) -----------------------------------------------------------


@bp.route("/people")
@roles_required(*STAFF_ROLES)
def directory():
    """The people of the user's territory (all territories for admins)."""
    q = (request.args.get("q") or "").strip()[:100]
    role = request.args.get("role") or ""
    stmt = user_query(territory_id=territory_scope(current_user), q=q, role=role)
    return render_template("people/directory.html", page=paginate(stmt), q=q, role=role, roles=list(Role))


@bp.route("/people/<int:user_id>")
@roles_required(*STAFF_ROLES)
def person(user_id: int):
    """One person's profile, for staff of their territory."""
    user = db.get_or_404(User, user_id)
    if user.territory_id is None and current_user.role != Role.ADMIN:
        abort(404)
    if user.territory_id is not None:
        ensure_territory(current_user, user.territory_id)
    return render_template("people/person.html", person=user, actions=person_actions_for(current_user, user))


# --- Admin: users ---------------------------------------------------------------------------------


def _territory_choices(form) -> None:
    territories = db.session.scalars(sa.select(Territory).order_by(Territory.code)).all()
    form.territory_id.choices = [("", "—")] + [(t.id, str(t)) for t in territories]


def _chosen_territory(form) -> Territory | None:
    return db.session.get(Territory, form.territory_id.data) if form.territory_id.data else None


def _fill_user_choices(form: UserForm) -> None:
    _territory_choices(form)
    cohorts = db.session.scalars(
        sa.select(Cohort).options(sa.orm.joinedload(Cohort.territory)).order_by(Cohort.start_date.desc())
    ).all()
    form.cohort_id.choices = [("", "—")] + [(c.id, f"{c.territory.code} – {c.name}") for c in cohorts]


def _user_values(form: UserForm) -> dict:
    return {
        "email": form.email.data,
        "full_name": form.full_name.data,
        "role": Role(form.role.data),
        "territory": _chosen_territory(form),
        "cohort": db.session.get(Cohort, form.cohort_id.data) if form.cohort_id.data else None,
        "track": Track(form.track.data) if form.track.data else None,
        "locale": form.locale.data,
        "phone": form.phone.data or "",
    }


@bp.route("/admin/users")
@admin_required
def admin_users():
    """All accounts, filterable by text, role, territory and status."""
    q = (request.args.get("q") or "").strip()[:100]
    role = request.args.get("role") or ""
    territory_id = request.args.get("territory", type=db_id)
    status = request.args.get("status") or "active"
    stmt = user_query(territory_id=territory_id, q=q, role=role, status=status)
    territories = db.session.scalars(sa.select(Territory).order_by(Territory.code)).all()
    return render_template(
        "people/admin_users.html",
        page=paginate(stmt),
        q=q,
        role=role,
        territory_id=territory_id,
        status=status,
        roles=list(Role),
        territories=territories,
    )


@bp.route("/admin/users/new", methods=["GET", "POST"])
@admin_required
def admin_user_new():
    """Create an account."""
    form = UserForm()
    _fill_user_choices(form)
    if request.method == "GET":
        form.role.data = Role.PARTICIPANT.value
    if request.method == "POST" and not form.password.data:
        form.validate()
        form.password.errors = [*form.password.errors, _("Choose a password.")]
    else:
        done = submit(
            form,
            lambda: services.create_user(current_user, password=form.password.data, **_user_values(form)),
            lambda user: _("Account created for %(name)s.", name=user.full_name),
            url_for("people.admin_users"),
        )
        if done:
            return done
    return render_template("people/admin_user_form.html", form=form, user=None), form_status()


@bp.route("/admin/users/<int:user_id>/edit", methods=["GET", "POST"])
@admin_required
def admin_user_edit(user_id: int):
    """Edit an account; a new password may be set."""
    user = db.get_or_404(User, user_id)
    form = UserForm(obj=user)
    _fill_user_choices(form)
    if request.method == "GET":
        form.role.data = user.role.value
        form.track.data = user.track.value if user.track else ""

    def save():
        services.update_user(current_user, user, **_user_values(form))
        if form.password.data:
            services.change_password(current_user, user, None, form.password.data)

    done = submit(form, save, _("Changes saved."), url_for("people.admin_users"))
    return done or (render_template("people/admin_user_form.html", form=form, user=user), form_status())


@bp.route("/admin/users/<int:user_id>/active", methods=["POST"])
@admin_required
def admin_user_active(user_id: int):
    """Deactivate or reactivate an account."""
    user = db.get_or_404(User, user_id)
    form = FlaskForm()
    if not form.validate_on_submit():
        abort(400)
    active = request.form.get("active") == "1"
    back = url_for("people.admin_user_edit", user_id=user.id)
    if active:
        message = _("%(name)s can log in again.", name=user.full_name)
    else:
        message = _("%(name)s is deactivated and can no longer log in.", name=user.full_name)
    return redirect(
        submit_and_return(form, lambda: services.set_user_active(current_user, user, active), message, back)
    )


# --- Admin: territories ---------------------------------------------------------------------------


@bp.route("/admin/territories")
@admin_required
def admin_territories():
    """Territories with their labs."""
    territories = db.session.scalars(
        sa.select(Territory).options(sa.orm.selectinload(Territory.labs)).order_by(Territory.code)
    ).all()
    return render_template("people/admin_territories.html", territories=territories)


@bp.route("/admin/territories/new", methods=["GET", "POST"])
@admin_required
def admin_territory_new():
    """Create a territory."""
    form = TerritoryForm()
    done = submit(
        form,
        lambda: services.create_territory(current_user, code=form.code.data, name=form.name.data),
        lambda territory: _("Territory %(name)s created.", name=territory.name),
        url_for("people.admin_territories"),
    )
    return done or (render_template("people/admin_territory_form.html", form=form, territory=None), form_status())


@bp.route("/admin/territories/<int:territory_id>/edit", methods=["GET", "POST"])
@admin_required
def admin_territory_edit(territory_id: int):
    """Rename or deactivate a territory (its code is fixed)."""
    territory = db.get_or_404(Territory, territory_id)
    form = TerritoryForm(obj=territory)
    form.code.data = territory.code  # the code never changes: ignore what was posted
    form.code.render_kw = {"readonly": True}
    done = submit(
        form,
        lambda: services.update_territory(current_user, territory, name=form.name.data, active=form.active.data),
        _("Changes saved."),
        url_for("people.admin_territories"),
    )
    return done or (render_template("people/admin_territory_form.html", form=form, territory=territory), form_status())


# --- Admin: labs ----------------------------------------------------------------------------------


@bp.route("/admin/labs/new", methods=["GET", "POST"])
@admin_required
def admin_lab_new():
    """Create a lab."""
    form = LabForm()
    _territory_choices(form)
    if request.method == "GET":
        form.territory_id.data = request.args.get("territory", type=db_id)
    done = submit(
        form,
        lambda: services.create_lab(
            current_user,
            territory=_chosen_territory(form),
            name=form.name.data,
            address=form.address.data,
            opening_hours=form.opening_hours.data or "",
        ),
        lambda lab: _("Lab %(name)s created.", name=lab.name),
        url_for("people.admin_territories"),
    )
    return done or (render_template("people/admin_lab_form.html", form=form, lab=None), form_status())


@bp.route("/admin/labs/<int:lab_id>/edit", methods=["GET", "POST"])
@admin_required
def admin_lab_edit(lab_id: int):
    """Edit a lab."""
    lab = db.get_or_404(Lab, lab_id)
    form = LabForm(obj=lab)
    _territory_choices(form)
    done = submit(
        form,
        lambda: services.update_lab(
            current_user,
            lab,
            territory=_chosen_territory(form),
            name=form.name.data,
            address=form.address.data,
            active=form.active.data,
            opening_hours=form.opening_hours.data or "",
        ),
        _("Changes saved."),
        url_for("people.admin_territories"),
    )
    return done or (render_template("people/admin_lab_form.html", form=form, lab=lab), form_status())


# --- Admin: cohorts -------------------------------------------------------------------------------


@bp.route("/admin/cohorts")
@admin_required
def admin_cohorts():
    """Cohorts with their number of talents against the target."""
    counts = (
        sa.select(User.cohort_id, sa.func.count(User.id).label("n"))
        .where(User.role == Role.PARTICIPANT)
        .group_by(User.cohort_id)
        .subquery()
    )
    rows = db.session.execute(
        sa.select(Cohort, sa.func.coalesce(counts.c.n, 0))
        .outerjoin(counts, counts.c.cohort_id == Cohort.id)
        .options(sa.orm.joinedload(Cohort.territory))
        .order_by(Cohort.start_date.desc(), Cohort.name)
    ).all()
    return render_template("people/admin_cohorts.html", rows=rows)


def _cohort_values(form: CohortForm) -> dict:
    return {
        "territory": _chosen_territory(form),
        "name": form.name.data,
        "start_date": form.start_date.data,
        "end_date": form.end_date.data,
        "target_talents": form.target_talents.data,
    }


@bp.route("/admin/cohorts/new", methods=["GET", "POST"])
@admin_required
def admin_cohort_new():
    """Create a cohort."""
    form = CohortForm()
    _territory_choices(form)
    done = submit(
        form,
        lambda: services.create_cohort(current_user, **_cohort_values(form)),
        lambda cohort: _("Cohort %(name)s created.", name=cohort.name),
        url_for("people.admin_cohorts"),
    )
    return done or (render_template("people/admin_cohort_form.html", form=form, cohort=None), form_status())


@bp.route("/admin/cohorts/<int:cohort_id>/edit", methods=["GET", "POST"])
@admin_required
def admin_cohort_edit(cohort_id: int):
    """Edit a cohort."""
    cohort = db.get_or_404(Cohort, cohort_id)
    form = CohortForm(obj=cohort)
    _territory_choices(form)
    done = submit(
        form,
        lambda: services.update_cohort(current_user, cohort, **_cohort_values(form)),
        _("Changes saved."),
        url_for("people.admin_cohorts"),
    )
    return done or (render_template("people/admin_cohort_form.html", form=form, cohort=cohort), form_status())
