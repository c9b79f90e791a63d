"""Forms of the programme: intake, path steps, exit, follow-up, sessions and attendance, periods, new territory."""

from __future__ import annotations

from enum import Enum

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    FieldList,
    Form,
    FormField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, ValidationError

from repairlab.forms import DateField, OptionalIdSelectField
from repairlab.people.models import TRACK_LABELS, Track
from repairlab.programme.models import (
    ACTIVITY_KIND_LABELS,
    AGE_BAND_LABELS,
    DIPLOMA_LEVEL_LABELS,
    EVIDENCE_LABELS,
    EXIT_CATEGORY_LABELS,
    EXIT_SUBTYPE_LABELS,
    EXIT_SUBTYPES,
    GENDER_LABELS,
    PATH_EVENT_KIND_LABELS,
    RESIDENCE_AREA_LABELS,
    SOURCING_PARTNER_LABELS,
    TIME_OUT_OF_EMPLOYMENT_LABELS,
    ActivityKind,
    AgeBand,
    DiplomaLevel,
    Evidence,
    ExitCategory,
    ExitSubtype,
    Gender,
    PathEventKind,
    ResidenceArea,
    SourcingPartner,
    TimeOutOfEmployment,
)

NOT_ANSWERED = _l("Not answered")


class EnumSelectField(SelectField):
    """A select of an enum's members by their translated names; .data is the member, or None for the empty choice
    (when optional)."""

    def __init__(self, label, enum_cls: type[Enum], labels: dict, *, optional: bool = True, empty=None, **kwargs):
        self.enum_cls = enum_cls
        self.optional = optional
        choices = [(member.value, text) for member, text in labels.items()]
        if optional:
            choices = [("", empty or NOT_ANSWERED), *choices]
        kwargs.setdefault("validators", [Optional()] if optional else [InputRequired()])
        super().__init__(label, choices=choices, coerce=self._coerce, **kwargs)

    def _coerce(self, value):
        if value in (None, "") or isinstance(value, self.enum_cls):
            return value or None
        try:
            return self.enum_cls(value)
        except ValueError:
            return value  # left as text: the choice check refuses it

    def pre_validate(self, form) -> None:
        """A member of the enum, or nothing when optional."""
        if self.data is None and self.optional:
            return
        if not isinstance(self.data, self.enum_cls):
            raise ValidationError(self.gettext("Not a valid choice."))


class YesNoField(SelectField):
    """An optional yes / no question; .data is True, False or None (not answered)."""

    def __init__(self, label, **kwargs):
        choices = [("", NOT_ANSWERED), ("yes", _l("Yes")), ("no", _l("No"))]
        super().__init__(label, choices=choices, coerce=self._coerce, validators=[Optional()], **kwargs)

    @staticmethod
    def _coerce(value):
        return {"yes": True, "no": False, True: True, False: False}.get(value)

    def pre_validate(self, form) -> None:
        """Yes, no or nothing."""

    def _value(self):
        return {True: "yes", False: "no"}.get(self.data, "")

    def iter_choices(self):
        """Mark the answer chosen."""
        current = self._value()
        for value, label in self.choices:
            yield (value, label, value == current, {})


class IntakeForm(FlaskForm):
    """The intake: its date, the consent to the evaluation, and the optional evaluation questions."""

    intake_date = DateField(_l("Date of the intake"), validators=[InputRequired()])
    evaluation_consent = BooleanField(
        _l("The talent agrees to answer the evaluation questions"),
        description=_l(
            "Read the information notice with the talent first. Without their consent, leave every question below "
            "unanswered."
        ),
    )
    consent_date = DateField(_l("Date of the consent"), validators=[Optional()])
    consent_notice_version = StringField(
        _l("Version of the information notice"),
        validators=[Optional(), Length(max=20)],
        description=_l("As printed at the bottom of the notice, e.g. 2026-01."),
    )
    age_band = EnumSelectField(
        _l("Age"), AgeBand, AGE_BAND_LABELS, description=_l("The funder counts talents by age band.")
    )
    gender = EnumSelectField(
        _l("Gender"), Gender, GENDER_LABELS, description=_l("Optional: to check the programme reaches women as men.")
    )
    residence_area = EnumSelectField(
        _l("Where they live"),
        ResidenceArea,
        RESIDENCE_AREA_LABELS,
        description=_l("Priority neighbourhoods (QPV) and rural areas are the programme's priority."),
    )
    receives_minimum_social_benefits = YesNoField(
        _l("Receives minimum social benefits (RSA, ASS, AAH)"),
        description=_l("The call counts the talents far from employment this way."),
    )
    diploma_level = EnumSelectField(
        _l("Highest diploma"), DiplomaLevel, DIPLOMA_LEVEL_LABELS, description=_l("Asked by the funder.")
    )
    time_out_of_employment = EnumSelectField(
        _l("Time without a job"),
        TimeOutOfEmployment,
        TIME_OUT_OF_EMPLOYMENT_LABELS,
        description=_l("To measure the distance from employment at intake."),
    )
    is_neet = YesNoField(
        _l("Under 26, neither in employment, education nor training (NEET)"),
        description=_l("Young people counted apart by the funder."),
    )
    sourcing_partner = EnumSelectField(
        _l("How they heard of the programme"),
        SourcingPartner,
        SOURCING_PARTNER_LABELS,
        description=_l("To know which partners send talents."),
    )


class PathEventForm(FlaskForm):
    """A dated step of the path."""

    kind = EnumSelectField(_l("Step"), PathEventKind, PATH_EVENT_KIND_LABELS, optional=False)
    occurred_on = DateField(_l("Date"), validators=[InputRequired()])
    track = EnumSelectField(
        _l("Track"), Track, TRACK_LABELS, empty=_l("(only for a track)"), description=_l("For a choice or change.")
    )
    cohort_id = OptionalIdSelectField(_l("Cohort"), description=_l("For an enrolment."), validators=[Optional()])
    note = TextAreaField(_l("Note (optional)"), validators=[Optional(), Length(max=500)], render_kw={"rows": 2})


def add_situation_fields(form_cls: type, *, optional: bool) -> None:
    """Add the category, situation and evidence of an exit or a follow-up to a form class."""
    form_cls.category = EnumSelectField(
        _l("Category"), ExitCategory, EXIT_CATEGORY_LABELS, optional=optional, empty=_l("(choose)")
    )
    form_cls.subtype = SelectField(
        _l("Situation"),
        choices=[("", _l("(choose)")), *_flat_subtypes()],
        validators=[Optional()] if optional else [InputRequired()],
        description=_l("It must belong to the category."),
    )
    form_cls.evidence = EnumSelectField(
        _l("Declared or proven"),
        Evidence,
        EVIDENCE_LABELS,
        optional=optional,
        empty=_l("(choose)"),
        description=_l("Proven: a contract, a certificate or a registration was seen."),
    )


def _flat_subtypes() -> list[tuple[str, object]]:
    return [
        (subtype.value, f"{EXIT_CATEGORY_LABELS[category]} – {EXIT_SUBTYPE_LABELS[subtype]}")
        for category, subtypes in EXIT_SUBTYPES.items()
        for subtype in subtypes
    ]


def subtype_of(value: str | None) -> ExitSubtype | None:
    """The sub-type chosen, or None."""
    try:
        return ExitSubtype(value) if value else None
    except ValueError:
        return None


class ExitForm(FlaskForm):
    """The exit: date, category, situation, evidence, and the launched project of a business creation."""

    exit_date = DateField(_l("Date of the exit"), validators=[InputRequired()])
    project_id = OptionalIdSelectField(
        _l("Project launched"), description=_l("For a business creation: the talent's launched project.")
    )


add_situation_fields(ExitForm, optional=False)


class FollowUpForm(FlaskForm):
    """A follow-up: the day of the contact, whether the talent was reached, and their situation."""

    contacted_on = DateField(_l("Date of the contact"), validators=[InputRequired()])
    reached = RadioField(
        _l("Was the talent reached?"),
        choices=[("yes", _l("Yes")), ("no", _l("No, not reached"))],
        validators=[InputRequired()],
    )


add_situation_fields(FollowUpForm, optional=True)


class SessionForm(FlaskForm):
    """A new session."""

    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    kind = EnumSelectField(_l("Kind"), ActivityKind, ACTIVITY_KIND_LABELS, optional=False)
    held_on = DateField(_l("Date"), validators=[InputRequired()])
    duration_minutes = IntegerField(
        _l("Duration in minutes (optional)"), validators=[Optional(), NumberRange(min=1, max=1440)]
    )
    lab_id = OptionalIdSelectField(_l("Lab"))


class CardForm(FlaskForm):
    """A member card scanned or typed."""

    card = StringField(
        _l("Member card code"),
        validators=[DataRequired(), Length(max=200)],
        description=_l("Scan the card, or type the code printed under the QR code, e.g. M-7K3QXH9A2D."),
        render_kw={"autocomplete": "off", "autocapitalize": "characters"},
    )


class PeriodForm(FlaskForm):
    """A period of the programme."""

    number = IntegerField(_l("Number"), validators=[InputRequired(), NumberRange(min=1, max=9)])
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=120)])
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=2000)], render_kw={"rows": 3})
    start_date = DateField(_l("Start date"), validators=[InputRequired()])
    end_date = DateField(_l("End date"), validators=[InputRequired()])
    target_talents = IntegerField(
        _l("Target of talents, whole programme"), validators=[InputRequired(), NumberRange(min=0, max=1_000_000)]
    )


class TerritoryTargetForm(FlaskForm):
    """A period's dates and target in one territory."""

    territory_id = OptionalIdSelectField(_l("Territory"), validators=[InputRequired()])
    start_date = DateField(_l("Start date"), validators=[InputRequired()])
    end_date = DateField(_l("End date"), validators=[InputRequired()])
    target_talents = IntegerField(
        _l("Target of talents"), validators=[InputRequired(), NumberRange(min=0, max=1_000_000)]
    )


class CohortPeriodForm(FlaskForm):
    """Put a cohort in this period."""

    cohort_id = OptionalIdSelectField(_l("Cohort"), validators=[InputRequired()])


class NewCohortRow(Form):
    """One cohort of a new territory (left empty: not created)."""

    name = StringField(_l("Cohort name"), validators=[Optional(), Length(max=120)])
    start_date = DateField(_l("Start date"), validators=[Optional()])
    end_date = DateField(_l("End date"), validators=[Optional()])
    target_talents = IntegerField(_l("Target of talents"), validators=[Optional(), NumberRange(min=0, max=100_000)])


class OpenTerritoryForm(FlaskForm):
    """A new territory in one form."""

    code = StringField(
        _l("Code"),
        validators=[DataRequired(), Length(max=5)],
        description=_l("2 to 5 capital letters; it prefixes every label's code and never changes."),
        render_kw={"autocapitalize": "characters"},
    )
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=120)])
    labs = TextAreaField(
        _l("Labs"),
        validators=[DataRequired(), Length(max=2000)],
        description=_l("One lab per line."),
        render_kw={"rows": 3},
    )
    period_id = OptionalIdSelectField(_l("Period"), description=_l("The cohorts below belong to it."))
    copy_from_id = OptionalIdSelectField(
        _l("Copy the settings of"),
        description=_l(
            "Its labs' lending rules are copied to the new labs. Skill requirements and project stages are shared."
        ),
    )
    cohorts = FieldList(FormField(NewCohortRow), min_entries=3, max_entries=10)


class EraseForm(FlaskForm):
    """Confirm an erasure."""

    confirm = BooleanField(
        _l("I confirm: the talent asked for it, and this cannot be undone"), validators=[DataRequired()]
    )
