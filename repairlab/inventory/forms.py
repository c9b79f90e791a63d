"""Forms of the inventory: items, places, categories, problem reports, bulk actions, import."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import DecimalField, IntegerField, SelectField, StringField, TextAreaField, URLField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from repairlab.forms import DateField, OptionalIdSelectField
from repairlab.inventory.models import (
    CONDITION_LABELS,
    KIND_LABELS,
    LOCATION_KIND_LABELS,
    SOURCE_LABELS,
    STATUS_LABELS,
)
from repairlab.inventory.services import MANUAL_STATUSES
from repairlab.skills.forms import LevelField, SkillField


class FiniteDecimalField(DecimalField):
    """A decimal field that refuses NaN and infinities (a signalling NaN even breaks NumberRange)."""

    def process_formdata(self, valuelist) -> None:
        """Parse the number, then refuse what is not finite."""
        super().process_formdata(valuelist)
        if self.data is not None and not self.data.is_finite():
            self.data = None
            raise ValueError(self.gettext("Not a valid decimal value."))


def _choices(labels: dict, blank: bool = False) -> list[tuple[str, str]]:
    out = [(k.value, str(v)) for k, v in labels.items()]
    return [("", "—"), *out] if blank else out


class ItemForm(FlaskForm):
    """Create or edit an item."""

    name = StringField(
        _l("Name"),
        validators=[DataRequired(), Length(max=120)],
        description=_l("Short, as it will be printed on the label."),
    )
    kind = SelectField(_l("Kind"), choices=lambda: _choices(KIND_LABELS))
    lab_id = OptionalIdSelectField(_l("Lab"), validators=[InputRequired()])
    category_id = OptionalIdSelectField(_l("Category"))
    location_id = OptionalIdSelectField(_l("Place"), description=_l("Where it lives in the lab."))
    condition = SelectField(_l("Condition"), choices=lambda: _choices(CONDITION_LABELS))
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=5000)])
    brand = StringField(_l("Brand"), validators=[Optional(), Length(max=80)])
    model = StringField(_l("Model"), validators=[Optional(), Length(max=80)])
    serial_number = StringField(_l("Serial number"), validators=[Optional(), Length(max=80)])
    value = FiniteDecimalField(_l("Value (€)"), places=2, validators=[Optional(), NumberRange(min=0, max=99999999)])
    acquired_on = DateField(_l("Acquired on"), validators=[Optional()])
    source = SelectField(_l("Source"), choices=lambda: _choices(SOURCE_LABELS, blank=True))
    quantity = IntegerField(
        _l("Quantity in stock"),
        validators=[Optional(), NumberRange(min=0, max=10_000_000)],
        description=_l("Parts and consumables only."),
    )
    low_stock_threshold = IntegerField(
        _l("Low-stock alert at"),
        validators=[Optional(), NumberRange(min=0, max=10_000_000)],
        description=_l("Parts and consumables only."),
    )
    manual_url = URLField(_l("How-to or manual link"), validators=[Optional(), Length(max=500)])
    safety_notes = TextAreaField(
        _l("Safety notes"),
        validators=[Optional(), Length(max=5000)],
        description=_l("Shown to everyone who scans the label."),
    )
    notes = TextAreaField(_l("Notes"), validators=[Optional(), Length(max=5000)])


class StatusForm(FlaskForm):
    """Change an item's status by hand."""

    status = SelectField(_l("New status"), choices=lambda: [(s.value, str(STATUS_LABELS[s])) for s in MANUAL_STATUSES])


class RetireForm(FlaskForm):
    """Retire an item."""

    reason = StringField(_l("Why is it retired?"), validators=[DataRequired(), Length(max=500)])


class QuantityForm(FlaskForm):
    """Correct a part's stock."""

    quantity = IntegerField(_l("Quantity in stock"), validators=[InputRequired(), NumberRange(min=0, max=10_000_000)])


class PhotoForm(FlaskForm):
    """Add a photo."""

    photo = FileField(_l("Photo"), validators=[DataRequired()])


class ReportForm(FlaskForm):
    """Report a problem with an item."""

    description = TextAreaField(
        _l("What is wrong?"),
        validators=[DataRequired(), Length(min=3, max=2000)],
        description=_l("For example: the cable is damaged, it does not start, a part is missing."),
    )
    photo = FileField(_l("Photo (optional)"))


class CloseReportForm(FlaskForm):
    """Close a problem report."""

    resolution = StringField(_l("What was done?"), validators=[DataRequired(), Length(max=2000)])


class LocationForm(FlaskForm):
    """Create or edit a place."""

    lab_id = OptionalIdSelectField(_l("Lab"), validators=[InputRequired()])
    parent_id = OptionalIdSelectField(_l("Inside"), description=_l("Leave empty for a place directly in the lab."))
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=80)])
    kind = SelectField(_l("Kind"), choices=lambda: _choices(LOCATION_KIND_LABELS))


class CategoryForm(FlaskForm):
    """Create or edit a category."""

    parent_id = OptionalIdSelectField(_l("Inside"), description=_l("Leave empty for a main category."))
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=80)])


class RequirementForm(FlaskForm):
    """Require a skill at a minimum level, for a tool or a whole category (the service explains any refusal)."""

    skill_id = SkillField(_l("Skill"))
    min_level = LevelField(_l("Minimum level"))


class AttachCodeForm(FlaskForm):
    """Attach a pre-printed label to an existing item."""

    item_code = StringField(
        _l("Code of the item"),
        validators=[DataRequired(), Length(max=40)],
        description=_l("The code already written on the item, e.g. RBX-0042."),
    )


class ImportForm(FlaskForm):
    """Upload a CSV file of items."""

    lab_id = OptionalIdSelectField(_l("Lab"), validators=[InputRequired()])
    file = FileField(_l("CSV file"), validators=[DataRequired()])
