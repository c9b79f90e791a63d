"""Forms of reservations: reserve an item for some days, cancel a reservation."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import InputRequired, Length, Optional

from repairlab.forms import DateField


class ReserveForm(FlaskForm):
    """Reserve the item whose page this is, for some days."""

    starts_on = DateField(_l("From"), validators=[InputRequired()])
    ends_on = DateField(_l("To (included)"), validators=[InputRequired()])
    purpose = StringField(
        _l("What for?"),
        validators=[Optional(), Length(max=200)],
        render_kw={"maxlength": 200},
        description=_l("For example: project session, repair café."),
    )
    talent = StringField(
        _l("For whom (member card or e-mail)"),
        validators=[Optional(), Length(max=254)],
        render_kw={"maxlength": 254},
        description=_l("Leave empty for a lab event."),
    )


class CancelReservationForm(FlaskForm):
    """Cancel a reservation (the button carries the CSRF token)."""
