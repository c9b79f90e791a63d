"""Forms of the skills passport: the catalogue, validating, declaring, withdrawing and matching."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from markupsafe import Markup
from wtforms import BooleanField, Form, IntegerField, StringField, TextAreaField
from wtforms.fields import FieldList, FormField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional
from wtforms.widgets import Select

from repairlab.forms import DateField, OptionalIdSelectField
from repairlab.skills.models import LEVEL_LABELS
from repairlab.web import db_id


def level_choices(blank: bool = True) -> list[tuple[str | int, str]]:
    """Choices of a level select: "2 – practised with help"."""
    choices: list[tuple[str | int, str]] = [("", "—")] if blank else []
    return choices + [(int(level), f"{int(level)} – {label}") for level, label in LEVEL_LABELS.items()]


class GroupedSelect(Select):
    """A select with option groups (skills by domain) and an empty first choice, so nothing is picked by chance."""

    def __call__(self, field, **kwargs):
        """Render the select with its empty first option."""
        html = str(super().__call__(field, **kwargs))
        if field.has_groups():
            blank = self.render_option("", "—", field.data is None)
            html = html.replace(">", ">" + str(blank), 1)
        return Markup(html)


def skill_id_or_none(value) -> int | None:
    """The id of a skill select; anything that cannot be a database id counts as no choice (the service then asks
    for a skill), since the field's choices are not checked and the id goes to the database as it is."""
    try:
        return db_id(value)
    except (TypeError, ValueError):
        return None


class SkillField(OptionalIdSelectField):
    """A skill, chosen in a list grouped by domain; unknown or retired skills are refused by the service."""

    widget = GroupedSelect()

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("validate_choice", False)
        kwargs.setdefault("coerce", skill_id_or_none)
        super().__init__(*args, **kwargs)


class LevelField(OptionalIdSelectField):
    """A level 1-4; anything else is left to the service, which explains the scale in plain words."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("validate_choice", False)
        super().__init__(*args, **kwargs)


class DomainForm(FlaskForm):
    """Create or edit a skill domain."""

    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=120)])
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=2000)])
    position = IntegerField(
        _l("Order in lists"),
        default=0,
        validators=[InputRequired(), NumberRange(-1000, 1000)],
        description=_l("Smaller numbers come first."),
    )


class SkillForm(FlaskForm):
    """Create or edit a skill of the catalogue."""

    domain_id = OptionalIdSelectField(_l("Domain"), validators=[InputRequired()])
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=120)])
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=2000)])
    discovered_means = TextAreaField(
        _l("Level 1, discovered: what it means for this skill"),
        validators=[Optional(), Length(max=500)],
        description=_l("Leave empty to use the general meaning."),
    )
    practised_means = TextAreaField(
        _l("Level 2, practised with help: what it means for this skill"), validators=[Optional(), Length(max=500)]
    )
    autonomous_means = TextAreaField(
        _l("Level 3, autonomous: what it means for this skill"), validators=[Optional(), Length(max=500)]
    )
    can_teach_means = TextAreaField(
        _l("Level 4, can teach: what it means for this skill"), validators=[Optional(), Length(max=500)]
    )
    esco_uri = StringField(
        _l("ESCO link (optional)"),
        validators=[Optional(), Length(max=255)],
        description=_l(
            "The skill's address in the European ESCO classification, e.g. http://data.europa.eu/esco/skill/…"
        ),
    )
    is_safety = BooleanField(_l("Safety skill (needed before using some tools)"))
    validity_months = IntegerField(
        _l("Valid for (months)"),
        validators=[Optional()],
        description=_l(
            "Safety skills only: after this, the skill must be checked again. Leave empty if it does not expire."
        ),
    )
    active = BooleanField(_l("In use"), default=True)


class ValidateForm(FlaskForm):
    """A mentor or lab manager validates a talent's skill (quick on a phone)."""

    skill_id = SkillField(_l("Skill"), validators=[InputRequired()])
    level = LevelField(_l("Level reached"), validators=[InputRequired()])
    validated_on = DateField(_l("Date"), validators=[InputRequired()])
    note = TextAreaField(
        _l("What you saw (optional)"), validators=[Optional(), Length(max=2000)], render_kw={"rows": 2}
    )
    photo = FileField(
        _l("Photo of the work (optional)"),
        render_kw={"accept": "image/jpeg,image/png,image/webp,image/gif", "capture": "environment"},
    )
    evidence_url = StringField(
        _l("Link to a repair or a prototype (optional)"),
        validators=[Optional(), Length(max=500)],
        render_kw={"inputmode": "url", "placeholder": "https://… /repairs/12"},
    )


class DeclareForm(FlaskForm):
    """A talent declares a skill they think they have."""

    skill_id = SkillField(_l("Skill"), validators=[InputRequired()])
    level = LevelField(_l("Your level"), validators=[InputRequired()])
    note = TextAreaField(
        _l("Where did you learn it? (optional)"), validators=[Optional(), Length(max=2000)], render_kw={"rows": 2}
    )


class WithdrawForm(FlaskForm):
    """Withdraw a validation or a declaration, with a reason."""

    reason = TextAreaField(
        _l("Why do you withdraw it?"),
        validators=[Length(max=500)],
        render_kw={"rows": 3},
        description=_l("The talent sees this reason. It is never shown publicly."),
    )


class RequirementRow(Form):
    """One skill and the minimum level needed (a row of the matching form)."""

    skill_id = SkillField(_l("Skill"))
    level = LevelField(_l("Minimum level"))


MATCH_ROWS = 5


class MatchForm(FlaskForm):
    """Find the people of a territory who hold some skills (a GET form: nothing changes)."""

    class Meta:
        """A GET form: nothing changes, so no CSRF token."""

        csrf = False

    territory_id = OptionalIdSelectField(_l("Territory"))
    rows = FieldList(FormField(RequirementRow), min_entries=MATCH_ROWS, max_entries=MATCH_ROWS)


class CheckBadgeForm(FlaskForm):
    """Check a signed badge: paste its content or choose its .jwt file. It changes nothing and anyone may use it,
    with or without cookies: no CSRF token."""

    class Meta:
        """No CSRF token (see above)."""

        csrf = False

    badge = TextAreaField(
        _l("Content of the badge"),
        validators=[Optional()],
        render_kw={"rows": 6, "spellcheck": "false", "autocomplete": "off"},
        description=_l("Open the .jwt file in a text editor and paste all of it, or choose the file below."),
    )
    badge_file = FileField(_l("Or the badge file (.jwt)"))
