"""The list of errors at the top of a refused form: every field with an error, sub-forms' fields included."""

from __future__ import annotations

from flask_wtf import FlaskForm
from werkzeug.datastructures import MultiDict
from wtforms import FieldList, FormField, StringField
from wtforms.form import Form
from wtforms.validators import DataRequired

from repairlab.forms import error_summary


class _Action(Form):
    text = StringField("Action", validators=[DataRequired("Say what is to be done.")])


class _Session(FlaskForm):
    notes = StringField("Notes", validators=[DataRequired("Write a note.")])
    actions = FieldList(FormField(_Action), min_entries=1)


def test_each_field_in_error_is_listed_under_its_own_id_with_its_label(app):
    with app.test_request_context(method="POST"):
        form = _Session(formdata=MultiDict({"notes": "", "actions-0-text": ""}), meta={"csrf": False})
        assert not form.validate()
        assert error_summary(form) == [
            ("notes", "Notes", "Write a note."),
            ("actions-0-text", "Action", "Say what is to be done."),
        ]


def test_no_form_or_a_valid_one_lists_nothing(app):
    with app.test_request_context(method="POST"):
        form = _Session(formdata=MultiDict({"notes": "ok", "actions-0-text": "Devis"}), meta={"csrf": False})
        assert form.validate()
        assert error_summary(form) == [] and error_summary(None) == []
