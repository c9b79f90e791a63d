"""Forms of the board: move a project to another stage with a note."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, TextAreaField
from wtforms.validators import InputRequired, Length

from repairlab.forms import OptionalIdSelectField, int_or_none
from repairlab.projects.models import ProjectStage
from repairlab.projects.services import MAX_NOTE


class MoveForm(FlaskForm):
    """Move a project to another stage, saying why (the page of the move, and the board's drag-and-drop dialog)."""

    stage = OptionalIdSelectField(
        _l("Move to the stage"), validators=[InputRequired(_l("Choose the stage to move the project to."))]
    )
    note = TextAreaField(
        _l("Note"),
        validators=[
            InputRequired(_l("Say in a few words why the project moves.")),
            Length(max=MAX_NOTE, message=_l("The note is too long (%(max)d characters at most).")),
        ],
        description=_l("Why it moves: what was achieved, what was decided. Kept in the project's history."),
    )
    # The stage the project was at when the page was shown: refused if someone moved it since.
    from_stage = HiddenField(filters=[int_or_none])
    next = HiddenField()

    def __init__(self, *args, stages: list[ProjectStage] = (), **kwargs):
        super().__init__(*args, **kwargs)
        self.stage.choices = [("", _l("Choose a stage"))] + [(s.id, s.name) for s in stages]
