"""Forms of maintenance: log what was done, plan what is due."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DecimalField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from repairlab.forms import DateField


class MaintenanceLogForm(FlaskForm):
    """Log maintenance done on an item."""

    description = TextAreaField(
        _l("What was done"), validators=[InputRequired(), Length(max=2000)], render_kw={"maxlength": 2000}
    )
    done_on = DateField(_l("Done on"), validators=[Optional()], description=_l("Empty: today."))
    cost = DecimalField(_l("Cost (€)"), places=2, validators=[Optional(), NumberRange(min=0)])
    parts = TextAreaField(_l("Parts used"), validators=[Optional(), Length(max=2000)], render_kw={"maxlength": 2000})
    plan = SelectField(_l("For planned maintenance"), choices=[], default="", validators=[Optional()])


class MaintenancePlanForm(FlaskForm):
    """Plan maintenance of an item."""

    what = StringField(
        _l("What is to be done"), validators=[InputRequired(), Length(max=200)], render_kw={"maxlength": 200}
    )
    due_on = DateField(_l("Due on"), validators=[InputRequired()])
    every_days = IntegerField(
        _l("Repeat every (days)"),
        validators=[Optional(), NumberRange(min=1, max=3650)],
        description=_l("Empty: only once."),
    )
