"""Templates' gettext follows the locale in force, even when it changes during a request."""

from __future__ import annotations

from flask import g, render_template_string
from flask_babel import force_locale, refresh


def test_a_template_translates_in_the_locale_forced_after_a_first_rendering(app):
    with app.test_request_context("/"):
        assert render_template_string("{{ _('Save') }}") == "Enregistrer"
        with force_locale("en"):
            assert render_template_string("{{ _('Save') }}") == "Save"
        assert render_template_string("{{ _('Save') }}") == "Enregistrer"


def test_a_template_translates_in_the_new_locale_after_a_refresh(app):
    with app.test_request_context("/"):
        assert render_template_string("{{ _('Save') }}") == "Enregistrer"
        g.lang = "en"  # as when a user has just chosen another language
        refresh()
        assert render_template_string("{{ _('Save') }}") == "Save"
