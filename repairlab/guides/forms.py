"""Forms of guides: the editor (the guide, its steps with photos, tools, parts, skills), the review, the credit, and
the small forms posted from tickets and sessions."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import MultipleFileField
from wtforms import FieldList, Form, FormField, IntegerField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from repairlab.forms import OptionalIdSelectField, int_or_none
from repairlab.guides.models import CREDIT_LABELS, HELPED_LABELS, LICENCE_LABELS, GuideKind, Licence
from repairlab.guides.services import MAX_NOTE, MAX_TEXT, MAX_TITLE
from repairlab.skills.models import LEVEL_LABELS

LANGUAGE_CHOICES = [("fr", _l("French")), ("en", _l("English"))]
# Blank rows at the end of the editor's lists: typing in them adds a part or a skill (without JavaScript).
BLANK_ROWS = 2


class IdsCheckboxField(SelectField):
    """Ids ticked among checkboxes (the inventory categories of the tools needed)."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("coerce", int_or_none)
        super().__init__(*args, **kwargs)

    def process_formdata(self, valuelist) -> None:
        """Every ticked id (unparsable ones ignored)."""
        self.data = [v for v in (int_or_none(x) for x in valuelist) if v is not None]

    def process_data(self, value) -> None:
        """The ids given on GET."""
        self.data = list(value or [])

    def pre_validate(self, form) -> None:
        """The service checks the ids."""


class StepForm(Form):
    """One step: title, text, timing (workshops), photos kept and added."""

    title = StringField(_l("Step title"), validators=[Optional(), Length(max=MAX_TITLE)])
    text = TextAreaField(_l("What to do (Markdown)"), validators=[Optional(), Length(max=MAX_TEXT)])
    minutes = IntegerField(_l("Minutes"), validators=[Optional(), NumberRange(min=0, max=1440)])
    keep_photos = IdsCheckboxField(_l("Photos kept"), choices=[])
    photos = MultipleFileField(_l("Add photos"))


class PartForm(Form):
    """A part or a material, with its quantity."""

    name = StringField(_l("Part or material"), validators=[Optional(), Length(max=MAX_TITLE)])
    quantity = IntegerField(_l("Quantity"), validators=[Optional(), NumberRange(min=1, max=10_000)])


class SkillLineForm(Form):
    """A skill the guide exercises or teaches, at a level."""

    skill_id = OptionalIdSelectField(_l("Skill"), validators=[Optional()], validate_choice=False)
    level = SelectField(
        _l("Level"),
        choices=[(str(int(k)), v) for k, v in LEVEL_LABELS.items()],
        default="2",
        validators=[Optional()],
    )


class GuideForm(FlaskForm):
    """Write a guide: each save makes a new version."""

    title = StringField(_l("Title"), validators=[InputRequired(), Length(max=MAX_TITLE)])
    language = SelectField(_l("Language"), choices=LANGUAGE_CHOICES, default="fr")
    licence = SelectField(
        _l("Licence"),
        choices=[(k.value, v) for k, v in LICENCE_LABELS.items()],
        default=Licence.CC_BY_SA_4.value,
        description=_l("Anyone may reuse a published guide under this licence; it cannot change once published."),
    )
    repair_category_id = OptionalIdSelectField(_l("Kind of object"), validators=[Optional()])
    brand = StringField(_l("Brand (optional)"), validators=[Optional(), Length(max=80)])
    model = StringField(_l("Model (optional)"), validators=[Optional(), Length(max=80)])
    summary = TextAreaField(_l("Symptom"), validators=[Optional(), Length(max=MAX_TEXT)])
    safety = TextAreaField(_l("Safety warnings"), validators=[Optional(), Length(max=MAX_TEXT)])
    duration_minutes = IntegerField(_l("Duration (minutes)"), validators=[Optional(), NumberRange(min=1, max=1440)])
    group_size = IntegerField(_l("Group size"), validators=[Optional(), NumberRange(min=1, max=200)])
    learning_check = TextAreaField(_l("How to check what was learnt"), validators=[Optional(), Length(max=MAX_TEXT)])
    tool_category_ids = IdsCheckboxField(_l("Tools needed"), choices=[])
    # The editor adds blank rows to type in (views/editor.py _prepare).
    parts = FieldList(FormField(PartForm))
    skills = FieldList(FormField(SkillLineForm))
    steps = FieldList(FormField(StepForm))
    change_note = StringField(
        _l("What changed"),
        validators=[Optional(), Length(max=MAX_NOTE)],
        description=_l("A few words for the history, e.g. “Photo of the thermostat added”."),
    )

    def __getattr__(self, name: str):
        """A sub-field by its full name ("steps-0-text"), so that a refusal shows next to it."""
        if "-" in name:
            for field in self:
                for sub in _walk(field):
                    if sub.name == name:
                        return sub
        raise AttributeError(name)

    def set_kind(self, kind: GuideKind) -> None:
        """The labels that differ between a repair guide and a workshop plan."""
        if kind == GuideKind.WORKSHOP:
            self.summary.label.text = _l("Objectives")
            self.repair_category_id.label.text = _l("Kind of object (optional)")
            self.tool_category_ids.label.text = _l("Tools to prepare")
        else:
            for name in ("duration_minutes", "group_size", "learning_check"):
                delattr(self, name)


def _walk(field):
    if field.type == "FieldList":
        for entry in field.entries:
            yield from _walk(entry)
    elif field.type == "FormField":
        for sub in field.form:
            yield from _walk(sub)
    else:
        yield field


class ReviewForm(FlaskForm):
    """Send a proposal back with a note."""

    note = TextAreaField(_l("What to change"), validators=[InputRequired(), Length(max=2000)])


class CreditForm(FlaskForm):
    """How I am credited on this guide."""

    choice = RadioField(_l("How you are credited"), choices=[(k.value, v) for k, v in CREDIT_LABELS.items()])


class UseForm(FlaskForm):
    """The guide followed on a ticket, and whether it helped."""

    guide_id = OptionalIdSelectField(_l("Guide followed"), validators=[InputRequired()], validate_choice=False)
    helped = RadioField(
        _l("Did it help?"),
        choices=[(k.value, v) for k, v in HELPED_LABELS.items()],
        validators=[Optional()],
    )


class PlanForm(FlaskForm):
    """The workshop plan of a session."""

    guide_id = OptionalIdSelectField(_l("Workshop plan"), validators=[InputRequired()], validate_choice=False)


class SearchForm(Form):
    """The public list's filters (GET)."""

    q = StringField(_l("Search"), validators=[Optional(), Length(max=200)])
    category_id = OptionalIdSelectField(_l("Kind of object"), validators=[Optional()], validate_choice=False)
    model = StringField(_l("Brand or model"), validators=[Optional(), Length(max=80)])
    skill_id = OptionalIdSelectField(_l("Skill"), validators=[Optional()], validate_choice=False)
    kind = SelectField(
        _l("Kind of guide"),
        choices=[
            ("", _l("All")),
            (GuideKind.REPAIR.value, _l("Repair guides")),
            (GuideKind.WORKSHOP.value, _l("Workshop plans")),
        ],
        validators=[Optional()],
    )
    language = SelectField(_l("Language"), choices=[("", _l("All")), *LANGUAGE_CHOICES], validators=[Optional()])
