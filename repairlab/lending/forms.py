"""Forms of lending: borrow, return, the desk, and the labs' lending rules."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, IntegerField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, NumberRange, Optional, ValidationError

from repairlab.forms import DateField
from repairlab.inventory.models import Condition
from repairlab.lending.models import LoanKind
from repairlab.web import db_id


def kind_choices() -> list[tuple[str, str]]:
    """How long: in the lab today, or home until a date."""
    return [(k.value, k.label) for k in LoanKind]


def condition_choices() -> list[tuple[str, str]]:
    """Conditions, best first."""
    return [(c.value, c.label) for c in Condition]


class BorrowForm(FlaskForm):
    """A talent borrows the tool whose page they are on."""

    kind = RadioField(_l("How long?"), choices=[], default=LoanKind.IN_LAB.value, validators=[InputRequired()])
    due_on = DateField(_l("Bring it back by"), validators=[Optional()], description=_l("Only when you take it home."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind.choices = kind_choices()


class ReturnForm(FlaskForm):
    """Give a tool back, saying in what condition."""

    condition = SelectField(_l("Condition now"), choices=[], default=Condition.GOOD.value, validators=[InputRequired()])
    note = TextAreaField(
        _l("Note (what is wrong, if anything)"),
        validators=[Optional(), Length(max=2000)],
        render_kw={"maxlength": 2000},
    )
    out_of_service = BooleanField(_l("Take it out of service"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.condition.choices = condition_choices()


class DeskLendForm(FlaskForm):
    """The desk lends a scanned item to the talent whose member card was scanned."""

    item_code = StringField(
        _l("Item code"),
        validators=[InputRequired(), Length(max=200)],
        render_kw={"maxlength": 200},
        description=_l("Scan the item's label or type its code, e.g. RBX-0042."),
    )
    card = StringField(
        _l("Member card"),
        validators=[Length(max=200)],  # or a talent found by name: see validate_card
        render_kw={"maxlength": 200},
        description=_l("Scan the talent's member card or type its code, e.g. M-7K3QXH9A2D."),
    )
    # Set by the search by name or e-mail (desk.js) when the talent has no card at hand; the card wins if both.
    talent_id = HiddenField(validators=[Optional()])
    kind = RadioField(_l("How long?"), choices=[], default=LoanKind.IN_LAB.value, validators=[InputRequired()])
    due_on = DateField(
        _l("Bring it back by"),
        validators=[Optional()],
        description=_l("Only when the tool goes home. Empty: the usual duration for this tool."),
    )
    override_reason = TextAreaField(
        _l("Override reason (only if the skills check refuses)"),
        validators=[Optional(), Length(max=1000)],
        render_kw={"maxlength": 1000},
        description=_l("Lend anyway despite a missing skill: say why. It is kept in the audit log."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind.choices = kind_choices()

    def validate_card(self, field) -> None:
        """A member card, or a talent found by name or e-mail."""
        if not (field.data or "").strip() and not self.found_talent_id():
            raise ValidationError(_l("Scan the member card, or find the talent by name or e-mail."))

    def found_talent_id(self) -> int | None:
        """The id of the talent found by the search, when it is a valid one."""
        try:
            return db_id(self.talent_id.data or "")
        except ValueError:
            return None


class PolicyForm(FlaskForm):
    """A lab's own lending rule for a category."""

    self_service = RadioField(
        _l("Who lends it?"),
        choices=[("1", _l("Talents borrow it themselves")), ("0", _l("At the desk only"))],
        default="1",
        validators=[InputRequired()],
    )
    default_days = IntegerField(
        _l("Usual take-home duration (days)"), validators=[InputRequired(), NumberRange(min=1, max=365)]
    )
    max_days = IntegerField(
        _l("Longest take-home duration (days)"), validators=[InputRequired(), NumberRange(min=1, max=365)]
    )


class ClearPolicyForm(FlaskForm):
    """Remove a lab's own rule for a category."""
