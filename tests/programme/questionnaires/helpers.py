"""Helpers of the questionnaire tests (the fixtures and the permission matrix share them)."""

from __future__ import annotations

from repairlab.extensions import db
from repairlab.programme.questionnaires import definitions
from repairlab.programme.questionnaires.definitions import OptionText
from repairlab.programme.questionnaires.models import ItemKind, MomentKind, ScaleMethod


def build_questionnaire(admin, *, key="parcours", publish=True):
    """A questionnaire of six items: three in a scale (the third reversed, one missing allowed), a choice, a number
    from 0 to 50 and a free text; asked at intake, 8 weeks after enrolment, at exit and 6 months after."""
    version = definitions.create_questionnaire(
        admin, key=key, title_fr="Mon parcours", title_en="My path", intro_fr="Bonjour.", intro_en="Hello."
    )
    scale = definitions.save_scale(
        admin,
        version,
        None,
        key="confiance",
        label_fr="Confiance",
        label_en="Confidence",
        method=ScaleMethod.MEAN,
        max_missing=1,
    )
    for n, reversed_ in ((1, False), (2, False), (3, True)):
        definitions.save_item(
            admin,
            version,
            None,
            key=f"conf-{n}",
            kind=ItemKind.LIKERT4,
            text_fr=f"Phrase {n}",
            text_en=f"Statement {n}",
            scale=scale,
            reversed=reversed_,
        )
    definitions.save_item(
        admin,
        version,
        None,
        key="humeur",
        kind=ItemKind.CHOICE,
        text_fr="Aujourd’hui ?",
        text_en="Today?",
        options=[OptionText("Bien", "Good"), OptionText("Moyen", "So-so"), OptionText("Mal", "Bad")],
    )
    definitions.save_item(
        admin,
        version,
        None,
        key="heures",
        kind=ItemKind.NUMBER,
        text_fr="Combien d’heures ?",
        text_en="How many hours?",
        min_value=0,
        max_value=50,
    )
    definitions.save_item(
        admin, version, None, key="libre", kind=ItemKind.TEXT, text_fr="Autre chose ?", text_en="Anything else?"
    )
    for moment, weeks in (
        (MomentKind.INTAKE, None),
        (MomentKind.WEEKS_AFTER_ENROLMENT, 8),
        (MomentKind.EXIT, None),
        (MomentKind.FOLLOW_UP_6, None),
    ):
        definitions.add_moment(admin, version.questionnaire, moment, weeks)
    if publish:
        definitions.publish(admin, version)
    db.session.commit()
    return version
