"""Forms of the stock-take: start, scan a code, confirm, cancel."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, StringField
from wtforms.validators import InputRequired, Length


class StockTakeStartForm(FlaskForm):
    """Start the stock-take of a place."""

    location_id = HiddenField(validators=[InputRequired()])


class StockTakeScanForm(FlaskForm):
    """One code, typed or sent by a USB scanner (which types it and presses Enter)."""

    code = StringField(_l("Code of the item"), validators=[InputRequired(), Length(max=200)])


class StockTakeConfirmForm(FlaskForm):
    """Confirm the count."""

    move_unexpected = BooleanField(_l("Move the unexpected items to this place"), default=True)


class StockTakeCancelForm(FlaskForm):
    """Drop the count."""
