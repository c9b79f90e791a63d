"""What the questionnaires' audit entries mean in words: actions and the kinds of object."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from repairlab.audit.labels import register


def register_audit_words() -> None:
    """Name the questionnaires' actions and objects on the audit page."""
    register(
        actions={
            "questionnaires.create": _l("questionnaire created"),
            "questionnaires.new_version": _l("new version of a questionnaire drafted"),
            "questionnaires.version_update": _l("draft of a questionnaire changed"),
            "questionnaires.discard_draft": _l("draft of a questionnaire discarded"),
            "questionnaires.scale": _l("scale of a questionnaire saved"),
            "questionnaires.scale_delete": _l("scale of a questionnaire removed"),
            "questionnaires.item": _l("question saved"),
            "questionnaires.item_delete": _l("question removed"),
            "questionnaires.item_move": _l("question moved"),
            "questionnaires.moment": _l("moment of the path attached to a questionnaire"),
            "questionnaires.moment_remove": _l("moment of the path detached from a questionnaire"),
            "questionnaires.publish": _l("questionnaire published"),
            "questionnaires.retire": _l("questionnaire version retired"),
            "questionnaires.begin": _l("questionnaire started"),
            "questionnaires.complete": _l("questionnaire completed"),
            "questionnaires.postpone": _l("questionnaire postponed"),
            "questionnaires.decline": _l("questionnaire declined"),
            "questionnaires.observation": _l("mentor's observation recorded"),
        },
        objects={
            "questionnaires": _l("Questionnaire"),
            "questionnaire_versions": _l("Version of a questionnaire"),
            "questionnaire_scales": _l("Scale of a questionnaire"),
            "questionnaire_items": _l("Question"),
            "questionnaire_item_options": _l("Answer option"),
            "questionnaire_moments": _l("Moment of a questionnaire"),
            "questionnaire_responses": _l("Questionnaire to answer"),
            "questionnaire_answers": _l("Answer"),
            "mentor_observations": _l("Mentor's observation"),
            "observation_ratings": _l("Rating of an observation"),
        },
    )
