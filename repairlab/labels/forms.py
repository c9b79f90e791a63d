"""Forms for printing labels."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField, SelectField
from wtforms.validators import InputRequired, NumberRange

from repairlab.labels.render import LAYOUTS

LAYOUT_LABELS = {
    "a4-3x7": _l("A4, 3 × 7 labels of 63.5 × 38.1 mm"),
    "a4-2x7": _l("A4, 2 × 7 labels of 99.1 × 38.1 mm"),
    "a4-4x10": _l("A4, 4 × 10 labels of 48.5 × 25.4 mm"),
    "thermal-62": _l("Label printer, 62 mm roll"),
}


def layout_choices() -> list[tuple[str, str]]:
    """The sheet layouts, in words."""
    return [(key, str(LAYOUT_LABELS.get(key, key))) for key in LAYOUTS]


class BlankCodesForm(FlaskForm):
    """A batch of pre-numbered labels."""

    territory_id = SelectField(_l("Territory"), coerce=int)
    count = IntegerField(_l("Number of labels"), default=21, validators=[InputRequired(), NumberRange(min=1, max=1000)])
    layout = SelectField(_l("Sheet"), choices=layout_choices)
