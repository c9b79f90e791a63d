"""The form that creates a personal API token."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField
from wtforms.validators import DataRequired, InputRequired, Length

from repairlab.forms import DateField

SCOPE_CHOICES = [("read", _l("Read only")), ("read write", _l("Read and write"))]


class TokenForm(FlaskForm):
    """Name, scopes and expiry of a new token."""

    name = StringField(
        _l("Name"),
        validators=[DataRequired(), Length(max=80)],
        description=_l("What the token is for, e.g. “Partner spreadsheet sync”."),
    )
    scopes = SelectField(_l("It may"), choices=SCOPE_CHOICES, validators=[InputRequired()], default="read")
    expires_on = DateField(
        _l("Valid until"), validators=[InputRequired()], description=_l("One year at most; 90 days by default.")
    )
