"""Forms of the questionnaires: the editor's (questionnaire, version, scale, item, moment), postponing, withdrawing
consent, and the mentors' observation. The answer to an item is read from the request by its view (one field whose
kind depends on the item)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, IntegerField, RadioField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from repairlab.forms import DateField, OptionalIdSelectField
from repairlab.programme.forms import EnumSelectField
from repairlab.programme.questionnaires.definitions import MAX_INTRO, MAX_ITEM_TEXT, MAX_KEY, MAX_LABEL, MAX_TITLE
from repairlab.programme.questionnaires.models import (
    ITEM_KIND_LABELS,
    MAX_OBSERVATION_COMMENT,
    MOMENT_KIND_LABELS,
    OBSERVATION_DIMENSION_LABELS,
    OBSERVATION_POINTS,
    SCALE_METHOD_LABELS,
    ItemKind,
    MomentKind,
    ObservationDimension,
    ScaleMethod,
)

KEY_HINT = _l("Lower-case letters without accents, digits, - and _; it never changes, and the exports use it.")


class VersionForm(FlaskForm):
    """A version's title and introduction, in French and English."""

    title_fr = StringField(_l("Title in French"), validators=[InputRequired(), Length(max=MAX_TITLE)])
    title_en = StringField(_l("Title in English"), validators=[InputRequired(), Length(max=MAX_TITLE)])
    intro_fr = TextAreaField(
        _l("Introduction in French"),
        validators=[Optional(), Length(max=MAX_INTRO)],
        description=_l("Shown before the first question: why we ask, how long it takes, that every answer is fine."),
    )
    intro_en = TextAreaField(_l("Introduction in English"), validators=[Optional(), Length(max=MAX_INTRO)])


class QuestionnaireForm(VersionForm):
    """A new questionnaire: its key, and its first version's texts."""

    key = StringField(
        _l("Key"),
        validators=[InputRequired(), Length(max=MAX_KEY)],
        description=KEY_HINT,
        render_kw={"spellcheck": "false"},
    )


class ScaleForm(FlaskForm):
    """A scale of a draft."""

    key = StringField(_l("Key"), validators=[InputRequired(), Length(max=MAX_KEY)], description=KEY_HINT)
    label_fr = StringField(_l("Name in French"), validators=[InputRequired(), Length(max=MAX_LABEL)])
    label_en = StringField(_l("Name in English"), validators=[InputRequired(), Length(max=MAX_LABEL)])
    method = EnumSelectField(_l("Score"), ScaleMethod, SCALE_METHOD_LABELS, optional=False)
    max_missing = IntegerField(
        _l("Missing answers allowed"),
        default=0,
        validators=[InputRequired(), NumberRange(min=0, max=20)],
        description=_l("With more items unanswered than this, the scale has no score."),
    )


class ItemForm(FlaskForm):
    """An item of a draft."""

    key = StringField(_l("Key"), validators=[InputRequired(), Length(max=MAX_KEY)], description=KEY_HINT)
    kind = EnumSelectField(_l("The answer is"), ItemKind, ITEM_KIND_LABELS, optional=False)
    text_fr = TextAreaField(
        _l("Statement in French"),
        validators=[InputRequired(), Length(max=MAX_ITEM_TEXT)],
        description=_l("Short and plain: many talents are not confident readers."),
        render_kw={"rows": 2},
    )
    text_en = TextAreaField(
        _l("Statement in English"), validators=[InputRequired(), Length(max=MAX_ITEM_TEXT)], render_kw={"rows": 2}
    )
    options = TextAreaField(
        _l("Labels of the points, or the choices"),
        validators=[Optional(), Length(max=3000)],
        description=_l(
            "One per line, French | English, from the lowest point. Left empty, a scale gets the labels of agreement."
        ),
        render_kw={"rows": 5},
    )
    scale_id = OptionalIdSelectField(_l("Scale"), validators=[Optional()])
    reversed = BooleanField(
        _l("Reversed item"),
        description=_l("Agreeing means less of what the scale measures (its points count backwards)."),
    )
    min_value = IntegerField(_l("Lowest number"), validators=[Optional()])
    max_value = IntegerField(_l("Highest number"), validators=[Optional()])


class MomentForm(FlaskForm):
    """A moment at which the questionnaire is asked."""

    moment = EnumSelectField(_l("Moment"), MomentKind, MOMENT_KIND_LABELS, optional=False)
    weeks = IntegerField(
        _l("Number of weeks"),
        validators=[Optional(), NumberRange(min=1, max=520)],
        description=_l("Only for “weeks after enrolment”."),
    )


class PostponeForm(FlaskForm):
    """Answer later."""

    until = DateField(_l("Remind me on"), validators=[Optional()])


class WithdrawForm(FlaskForm):
    """The talent withdraws their consent to the evaluation."""

    confirm = BooleanField(_l("I no longer want to take part in the evaluation"), validators=[InputRequired()])


_POINT_CHOICES = [("", _l("Not observed"))] + [(str(n), str(n)) for n in range(1, OBSERVATION_POINTS + 1)]


class ObservationForm(FlaskForm):
    """A mentor's observation: the moment, the day, and a point and a comment per dimension (fields added below)."""

    moment = EnumSelectField(_l("Moment"), MomentKind, MOMENT_KIND_LABELS, optional=False)
    weeks = IntegerField(
        _l("Number of weeks"),
        validators=[Optional(), NumberRange(min=1, max=520)],
        description=_l("Only for “weeks after enrolment”."),
    )
    observed_on = DateField(_l("Observed on"), validators=[InputRequired()])

    def ratings(self) -> list[tuple[ObservationDimension, RadioField, TextAreaField]]:
        """(dimension, its point field, its comment field), in order."""
        return [(d, self[f"{d.value}_value"], self[f"{d.value}_comment"]) for d in ObservationDimension]


for _dimension, _label in OBSERVATION_DIMENSION_LABELS.items():
    setattr(
        ObservationForm,
        f"{_dimension.value}_value",
        RadioField(_label, choices=_POINT_CHOICES, default="", validators=[Optional()]),
    )
    setattr(
        ObservationForm,
        f"{_dimension.value}_comment",
        TextAreaField(
            _l("Comment"), validators=[Optional(), Length(max=MAX_OBSERVATION_COMMENT)], render_kw={"rows": 2}
        ),
    )
