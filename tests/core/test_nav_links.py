"""The main navigation's resolved links follow the role, the language and the registry."""

from __future__ import annotations

from flask import g, url_for
from flask_babel import lazy_gettext as _l
from flask_babel import refresh

from repairlab.pages import NavItem, NavRegistry
from repairlab.people.models import Role


def test_links_are_resolved_per_language_and_redone_when_a_link_is_registered(app, make_user):
    registry = NavRegistry()
    registry.register("core.home", NavItem(_l("Home"), frozenset({Role.ADMIN})), order=0)
    admin, mentor = make_user(Role.ADMIN), make_user(Role.MENTOR, email="m@example.org")
    with app.test_request_context("/"):
        assert [link.label for link in registry.links(admin, "fr", "", url_for)] == ["Accueil"]
        assert registry.links(mentor, "fr", "", url_for) == ()
        registry.register("audit.browse", NavItem(_l("Audit log"), frozenset({Role.ADMIN}), admin=True), order=1)
        links = registry.links(admin, "fr", "", url_for)
        assert [(link.url, link.admin) for link in links] == [("/", False), ("/admin/audit", True)]
    with app.test_request_context("/"):
        g.lang = "en"
        refresh()
        assert [link.label for link in registry.links(admin, "en", "", url_for)] == ["Home", "Audit log"]
