"""Forms of prototypes: the prototype, its versions and photos, the items it uses and the skills it needs."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from repairlab.projects.prototypes.models import PROTOTYPE_STATUS_LABELS
from repairlab.projects.prototypes.services import MAX_NOTE, MAX_TEXT
from repairlab.skills.forms import LevelField, SkillField

# A phone opens its camera straight away; any image type is accepted here and checked on the server.
PHOTO_INPUT = {"accept": "image/*", "capture": "environment"}


def status_choices() -> list[tuple[str, str]]:
    """The statuses of a version, in words."""
    return [(status.value, str(label)) for status, label in PROTOTYPE_STATUS_LABELS.items()]


class PrototypeForm(FlaskForm):
    """Create or edit a prototype."""

    name = StringField(
        _l("Name"),
        validators=[DataRequired(), Length(max=120)],
        description=_l("For example: “Lamp made from a bike wheel”."),
    )
    description = TextAreaField(
        _l("What is it?"),
        validators=[Optional(), Length(max=MAX_TEXT)],
        render_kw={"rows": 3},
        description=_l("What it does, for whom, what it is made of."),
    )


class VersionForm(FlaskForm):
    """Add or edit a version: what changed, status, test feedback, cost of materials, a photo."""

    description = TextAreaField(
        _l("What is new in this version?"),
        validators=[DataRequired(), Length(max=MAX_TEXT)],
        render_kw={"rows": 3},
    )
    status = SelectField(_l("Status"), choices=status_choices)
    feedback = TextAreaField(
        _l("Test feedback (optional)"),
        validators=[Optional(), Length(max=MAX_TEXT)],
        render_kw={"rows": 3},
        description=_l("What the people who tried it said; what works and what does not."),
    )
    # Text, not a number input: "12,50" typed the French way is fine; the service checks the amount.
    materials_cost = StringField(
        _l("Cost of materials (€, optional)"),
        validators=[Optional(), Length(max=20)],
        render_kw={"inputmode": "decimal", "autocomplete": "off", "placeholder": "12,50"},
    )
    photo = FileField(_l("Photo (optional)"), render_kw=PHOTO_INPUT)


class PhotoForm(FlaskForm):
    """Add a photo to a version."""

    photo = FileField(_l("Photo"), validators=[DataRequired()], render_kw=PHOTO_INPUT)


class ItemLinkForm(FlaskForm):
    """Link an inventory item by its code (typed or scanned), or by the id chosen in a search."""

    code = StringField(
        _l("Code of the item"),
        validators=[Optional(), Length(max=200)],
        render_kw={"autocapitalize": "characters", "autocomplete": "off", "placeholder": "RBX-0042"},
        description=_l("Written under the QR code on the label."),
    )
    item_id = HiddenField()
    note = StringField(
        _l("What is it used for? (optional)"),
        validators=[Optional(), Length(max=MAX_NOTE)],
    )


class SkillNeedForm(FlaskForm):
    """A skill of the catalogue the prototype needs, at a minimum level."""

    skill_id = SkillField(_l("Skill"), validators=[InputRequired()])
    min_level = LevelField(_l("Minimum level"), validators=[InputRequired()])


class SkillLevelForm(FlaskForm):
    """Change the level needed."""

    min_level = LevelField(_l("Minimum level"), validators=[InputRequired()])
