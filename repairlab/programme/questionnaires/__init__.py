"""Questionnaires the talents answer at moments of their path (the programme's participatory evaluation), their
progress shown back to them, and the mentors' observations at the same moments. Its routes are the programme's
blueprint's; `register()` adds what it brings to other pages, called by the programme's init_app."""


def register() -> None:
    """Register the views, the talent's home panel and account section, the attention list's source, the
    navigation, the personal data and erasure hooks, and the demo data."""
    from flask_babel import lazy_gettext as _l

    from repairlab.demo import demo_seeders
    from repairlab.pages import NavItem, nav
    from repairlab.people.registry import erasure_hooks, personal_data_sources
    from repairlab.programme.questionnaires import demo, panels, person_data, views  # noqa: F401  (routes)
    from repairlab.programme.questionnaires.access import DEFINERS
    from repairlab.programme.questionnaires.audit_words import register_audit_words

    nav.register(
        "programme.questionnaire_list",
        NavItem(_l("Questionnaires"), frozenset(DEFINERS), group=_l("Programme")),
        order=63,
    )
    panels.register_panels()
    register_audit_words()
    personal_data_sources.register("programme.questionnaires", person_data.questionnaire_data, order=70)
    erasure_hooks.register("programme.questionnaires", person_data.scrub_questionnaires)
    demo_seeders.register("programme.questionnaires", demo.seed_questionnaires, order=81)
