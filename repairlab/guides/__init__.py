"""Guides: repair guides and workshop plans written once by the labs, versioned, linked to tools, tickets, sessions
and skills, public under an open licence, and exported for the next territory."""

from flask import Blueprint, Flask

bp = Blueprint("guides", __name__, url_prefix="/guides")


def init_app(app: Flask) -> None:
    """Register the views, the sections on tools, tickets, sessions, passports and home, the audit words, demo data,
    the blueprint."""
    from repairlab.demo import demo_seeders
    from repairlab.guides import cli, demo, panels, person_data, views  # noqa: F401  (views: the routes)
    from repairlab.guides.audit_words import register_audit_words
    from repairlab.guides.markdown import render

    app.add_template_filter(render, "markdown")
    register_audit_words()
    panels.register()
    person_data.register()
    cli.register(app)
    demo_seeders.register("guides", demo.seed_guides, order=90)
    app.register_blueprint(bp)
