"""Forms of repairs: events, intake, the repair's steps, the categories' skills."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from repairlab.forms import DateField, OptionalIdSelectField, int_or_none
from repairlab.inventory.forms import FiniteDecimalField
from repairlab.repairs.models import BARRIER_LABELS, NEED_LABELS, OUTCOME_LABELS
from repairlab.repairs.tickets import MAX_MINUTES, MAX_PARTS, MAX_PROBLEM, MAX_TEXT


class CommaDecimalField(FiniteDecimalField):
    """A decimal typed the French way (1,5) or the English way (1.5)."""

    def process_formdata(self, valuelist) -> None:
        """Accept a decimal comma, then parse as usual."""
        if valuelist:
            valuelist = [str(valuelist[0]).replace(",", ".").replace("\u00a0", "").replace(" ", "")]
        super().process_formdata(valuelist)


class IdsField(SelectMultipleField):
    """A multiple select of database ids (checkboxes or a list)."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("coerce", int_or_none)
        super().__init__(*args, **kwargs)


def _choices(labels: dict, blank: bool = False) -> list[tuple[str, str]]:
    # The lazy labels themselves: translated when the form is shown, in the reader's language.
    out = [(k.value, v) for k, v in labels.items()]
    return [("", "—"), *out] if blank else out


class EventForm(FlaskForm):
    """Plan or change a repair event."""

    lab_id = OptionalIdSelectField(_l("Lab"), validators=[InputRequired()])
    title = StringField(
        _l("Name of the event"), default=_l("Repair Café"), validators=[DataRequired(), Length(max=120)]
    )
    day = DateField(_l("Day"), validators=[InputRequired()])
    starts_at = TimeField(_l("Opens at"), validators=[InputRequired()])
    ends_at = TimeField(_l("Closes at"), validators=[InputRequired()])
    talents = IdsField(_l("Talents on duty"), choices=[], validate_choice=True)
    volunteers = IdsField(_l("Volunteers on duty"), choices=[], validate_choice=True)
    notes = TextAreaField(_l("Notes (optional)"), validators=[Optional(), Length(max=2000)])


class IntakeForm(FlaskForm):
    """Take an object in at the desk: under a minute, the owner's details optional."""

    lab_id = OptionalIdSelectField(_l("Lab"), validators=[InputRequired()])
    event_id = OptionalIdSelectField(_l("Event"), validators=[Optional()])
    category_id = OptionalIdSelectField(_l("Kind of object"), validators=[InputRequired()])
    problem = TextAreaField(
        _l("What is wrong, in the owner's words"), validators=[DataRequired(), Length(max=MAX_PROBLEM)]
    )
    brand = StringField(_l("Brand"), validators=[Optional(), Length(max=80)])
    model = StringField(_l("Model"), validators=[Optional(), Length(max=80)])
    lab_category = StringField(_l("The lab's own category (optional)"), validators=[Optional(), Length(max=120)])
    year_of_manufacture = IntegerField(_l("Year made"), validators=[Optional(), NumberRange(min=1900, max=2100)])
    product_age = CommaDecimalField(_l("Or its age (years)"), places=1, validators=[Optional(), NumberRange(min=0)])
    estimated_weight_kg = CommaDecimalField(
        _l("Estimated weight (kg)"),
        places=3,
        validators=[Optional(), NumberRange(min=0)],
        description=_l("Needed for objects without a reference weight (unpowered, miscellaneous)."),
    )
    photo = FileField(_l("Photo (optional)"))
    owner_first_name = StringField(_l("Owner's first name"), validators=[Optional(), Length(max=80)])
    owner_email = StringField(_l("E-mail"), validators=[Optional(), Length(max=254)])
    owner_phone = StringField(_l("Phone"), validators=[Optional(), Length(max=40)])
    owner_locale = SelectField(
        _l("Language of the messages"), choices=[("fr", "Français"), ("en", "English")], default="fr"
    )
    owner_consent = BooleanField(
        _l("The owner agrees that we keep these details to tell them when it is ready (erased after the return)")
    )


class StatusForm(FlaskForm):
    """Move a ticket to another status."""

    status = SelectField(_l("New status"), choices=[], validators=[InputRequired()])


class NotesForm(FlaskForm):
    """The diagnosis and what was done."""

    diagnosis = TextAreaField(_l("Diagnosis"), validators=[Optional(), Length(max=MAX_TEXT)])
    work_done = TextAreaField(_l("What was done"), validators=[Optional(), Length(max=MAX_TEXT)])


class WorkForm(FlaskForm):
    """A talent's time on the ticket."""

    talent_id = OptionalIdSelectField(_l("Talent"), validators=[InputRequired()])
    minutes = IntegerField(_l("Minutes"), validators=[InputRequired(), NumberRange(min=1, max=MAX_MINUTES)])


class PartForm(FlaskForm):
    """Spare parts taken from the lab's stock."""

    item_id = OptionalIdSelectField(_l("Spare part"), validators=[InputRequired()])
    quantity = IntegerField(_l("How many"), default=1, validators=[InputRequired(), NumberRange(min=1, max=MAX_PARTS)])


class ToolForm(FlaskForm):
    """A tool used, by its code (typed or scanned)."""

    code = StringField(_l("Code of the tool"), validators=[DataRequired(), Length(max=500)])


class OutcomeForm(FlaskForm):
    """The outcome in ORDS terms."""

    outcome = RadioField(_l("Outcome"), choices=_choices(OUTCOME_LABELS), validators=[InputRequired()])
    repairable_need = SelectField(
        _l("If repairable: what it would need"), choices=_choices(NEED_LABELS, blank=True), validators=[Optional()]
    )
    barrier = SelectField(
        _l("If end of life: what stops the repair"),
        choices=_choices(BARRIER_LABELS, blank=True),
        validators=[Optional()],
    )


class CategorySkillsForm(FlaskForm):
    """The skills that repairing objects of a category exercises (administrators)."""

    skills = IdsField(_l("Skills exercised"), choices=[], validate_choice=True)


class EraseOwnerForm(FlaskForm):
    """Erase the owner's details now (a button)."""
