"""Forms for logging in, accounts, territories, labs and cohorts."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, IntegerField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, Email, EqualTo, InputRequired, Length, NumberRange, Optional

from repairlab.forms import DateField, OptionalIdSelectField
from repairlab.people.models import ROLE_LABELS, TRACK_LABELS
from repairlab.people.services import MIN_PASSWORD_LENGTH


class LoginForm(FlaskForm):
    """E-mail and password."""

    email = EmailField(
        _l("E-mail"),
        validators=[DataRequired(), Length(max=254)],
        render_kw={"autocomplete": "username", "autocapitalize": "none"},
    )
    password = PasswordField(
        _l("Password"), validators=[DataRequired(), Length(max=200)], render_kw={"autocomplete": "current-password"}
    )
    remember = BooleanField(_l("Stay signed in on this device"))


class PasswordChangeForm(FlaskForm):
    """Change one's own password."""

    current_password = PasswordField(
        _l("Current password"), validators=[DataRequired()], render_kw={"autocomplete": "current-password"}
    )
    new_password = PasswordField(
        _l("New password"),
        validators=[DataRequired(), Length(min=MIN_PASSWORD_LENGTH, max=200)],
        description=_l("At least %(num)d characters.", num=MIN_PASSWORD_LENGTH),
        render_kw={"autocomplete": "new-password"},
    )
    confirm = PasswordField(
        _l("Repeat the new password"),
        validators=[DataRequired(), EqualTo("new_password", message=_l("The two passwords differ."))],
        render_kw={"autocomplete": "new-password"},
    )


class PreferencesForm(FlaskForm):
    """A user's own preferences."""

    locale = SelectField(_l("Language"), choices=[("fr", "Français"), ("en", "English")])


class UserForm(FlaskForm):
    """Create or edit an account (admin)."""

    full_name = StringField(_l("Full name"), validators=[DataRequired(), Length(max=120)])
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Email(check_deliverability=False), Length(max=254)])
    role = SelectField(_l("Role"), choices=[(r.value, label) for r, label in ROLE_LABELS.items()])
    territory_id = OptionalIdSelectField(_l("Territory"), description=_l("Not for administrators and researchers."))
    cohort_id = OptionalIdSelectField(_l("Cohort"), description=_l("Talents only."))
    track = SelectField(
        _l("Track"),
        choices=[("", "—")] + [(t.value, label) for t, label in TRACK_LABELS.items()],
        description=_l("Talents only."),
    )
    locale = SelectField(_l("Language"), choices=[("fr", "Français"), ("en", "English")])
    phone = StringField(_l("Phone"), validators=[Optional(), Length(max=40)])
    password = PasswordField(
        _l("Password"),
        validators=[Optional(), Length(min=MIN_PASSWORD_LENGTH, max=200)],
        description=_l("At least %(num)d characters. Give it to the person privately.", num=MIN_PASSWORD_LENGTH),
        render_kw={"autocomplete": "new-password"},
    )


class TerritoryForm(FlaskForm):
    """Create or edit a territory."""

    code = StringField(
        _l("Code"),
        validators=[DataRequired(), Length(min=2, max=5)],
        description=_l("2 to 5 capital letters, printed on every label (e.g. RBX). It cannot change later."),
    )
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=120)])
    active = BooleanField(_l("Active"), default=True)


class LabForm(FlaskForm):
    """Create or edit a lab."""

    territory_id = OptionalIdSelectField(_l("Territory"), validators=[InputRequired()])
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=120)])
    address = StringField(_l("Address"), validators=[Optional(), Length(max=255)])
    opening_hours = StringField(
        _l("Opening hours"),
        validators=[Optional(), Length(max=255)],
        description=_l("Shown to anyone who scans a repair label, e.g. “Tuesday and Thursday, 2 pm to 6 pm”."),
    )
    active = BooleanField(_l("Active"), default=True)


class CohortForm(FlaskForm):
    """Create or edit a cohort."""

    territory_id = OptionalIdSelectField(_l("Territory"), validators=[InputRequired()])
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=120)])
    start_date = DateField(_l("Start date"), validators=[InputRequired()])
    end_date = DateField(_l("End date"), validators=[InputRequired()])
    target_talents = IntegerField(
        _l("Target number of talents"), validators=[InputRequired(), NumberRange(min=0, max=100000)]
    )
