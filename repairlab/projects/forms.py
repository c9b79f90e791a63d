"""Forms of the projects domain: project details, status, team, figures, milestones, sessions, stages."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    FieldList,
    FormField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from repairlab.forms import DateField, OptionalIdSelectField, int_or_none
from repairlab.inventory.forms import FiniteDecimalField
from repairlab.projects.models import METRIC_LABELS, PROJECT_STATUS_LABELS, SECTOR_LABELS

NEW_ACTION_ROWS = 3


def _choices(labels: dict) -> list[tuple[str, str]]:
    return [(k.value, str(v)) for k, v in labels.items()]


class MultiCheckboxField(SelectMultipleField):
    """A list of checkboxes of ids."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class ProjectForm(FlaskForm):
    """Create or edit a project's description and economic model."""

    name = StringField(_l("Name of the project"), validators=[DataRequired(), Length(max=120)])
    sector = SelectField(_l("Sector"), choices=lambda: _choices(SECTOR_LABELS))
    pitch = TextAreaField(
        _l("Pitch"),
        validators=[Optional(), Length(max=5000)],
        description=_l("In two or three sentences: what the project does, and why."),
    )
    offer = TextAreaField(_l("What is sold"), validators=[Optional(), Length(max=5000)])
    customers = TextAreaField(_l("To whom"), validators=[Optional(), Length(max=5000)])
    pricing = StringField(
        _l("At what price"),
        validators=[Optional(), Length(max=200)],
        description=_l("For example: 35 € per repair, 10 € per month."),
    )
    cohort_id = OptionalIdSelectField(_l("Cohort"))
    start_date = DateField(_l("Start date"), validators=[InputRequired()])


class NewProjectForm(ProjectForm):
    """Start a project: also its territory (admins), team and mentors."""

    territory_id = OptionalIdSelectField(_l("Territory"), validators=[InputRequired()])
    team = MultiCheckboxField(_l("Team (talents)"), coerce=int_or_none, validate_choice=True)
    mentors = MultiCheckboxField(_l("Mentors"), coerce=int_or_none, validate_choice=True)


class StatusForm(FlaskForm):
    """Pause, resume, stop or mark a project as launched."""

    status = SelectField(_l("New status"), choices=lambda: _choices(PROJECT_STATUS_LABELS))
    reason = TextAreaField(
        _l("Reason"),
        validators=[Optional(), Length(max=2000)],
        description=_l("Required to stop a project."),
    )


class MemberForm(FlaskForm):
    """Add a talent to the team, or a mentor."""

    user_id = OptionalIdSelectField(_l("Person"), validators=[InputRequired()])


class FigureForm(FlaskForm):
    """Record one dated value of a figure."""

    metric = SelectField(_l("Figure"), choices=lambda: _choices(METRIC_LABELS))
    recorded_on = DateField(_l("Date"), validators=[InputRequired()])
    value = FiniteDecimalField(_l("Value"), places=2, validators=[InputRequired(), NumberRange(min=0)])
    note = StringField(_l("Note"), validators=[Optional(), Length(max=200)])


class FigureCorrectionForm(FlaskForm):
    """Correct a recorded figure."""

    value = FiniteDecimalField(_l("Value"), places=2, validators=[InputRequired(), NumberRange(min=0)])
    note = StringField(_l("Note"), validators=[Optional(), Length(max=200)])


class MilestoneForm(FlaskForm):
    """Add or edit a milestone."""

    title = StringField(_l("Milestone"), validators=[DataRequired(), Length(max=200)])
    due_on = DateField(_l("Due on"), validators=[InputRequired()])
    description = TextAreaField(_l("Details"), validators=[Optional(), Length(max=5000)])


class ActionRowForm(FlaskForm):
    """One new action item entered with a session (an empty row is ignored).

    A FlaskForm without its own CSRF token (the session form has one) rather than a plain Form: its error messages
    ("Not a valid choice", "Not a valid date value") are then translated like the others.
    """

    class Meta:
        """A GET form: nothing changes, so no CSRF token."""

        csrf = False

    text = StringField(_l("Action item"), validators=[Optional(), Length(max=300)])
    owner_id = OptionalIdSelectField(_l("Who does it"))
    due_on = DateField(_l("To do by"), validators=[Optional()])


class SessionEditForm(FlaskForm):
    """Correct a recorded session (its action items are ticked elsewhere)."""

    held_on = DateField(_l("Date of the session"), validators=[InputRequired()])
    duration_minutes = IntegerField(
        _l("Duration (minutes)"), validators=[InputRequired(), NumberRange(min=1, max=1440)]
    )
    notes = TextAreaField(_l("Notes"), validators=[Optional(), Length(max=5000)])
    decisions = TextAreaField(_l("Decisions"), validators=[Optional(), Length(max=5000)])
    private = BooleanField(
        _l("Private: for mentors only"),
        description=_l("The team and the lab managers will not see this session."),
    )


class SessionForm(SessionEditForm):
    """Record a mentor session with new action items; tick the earlier ones that are done."""

    closed = MultiCheckboxField(_l("Done since the last session"), coerce=int_or_none, validate_choice=True)
    actions = FieldList(FormField(ActionRowForm), min_entries=NEW_ACTION_ROWS, max_entries=NEW_ACTION_ROWS)


class StageForm(FlaskForm):
    """Create or edit a stage."""

    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=80)])
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=5000)])
    active = BooleanField(_l("In use"), default=True, description=_l("Stages not in use are hidden on the boards."))
