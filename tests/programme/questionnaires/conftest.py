"""Fixtures of the questionnaire tests: a published questionnaire, and talents whose path makes it due."""

from __future__ import annotations

from datetime import timedelta

import pytest

from repairlab import clock
from repairlab.extensions import db
from repairlab.people.models import Role
from repairlab.programme import services as path
from repairlab.programme.models import PathEventKind
from repairlab.programme.questionnaires import definitions
from repairlab.programme.questionnaires.definitions import OptionText
from repairlab.programme.questionnaires.models import ItemKind, MomentKind, ScaleMethod


@pytest.fixture
def mentor(make_user):
    """A mentor of the default territory."""
    return make_user(Role.MENTOR, name="Mona Mentor")


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


@pytest.fixture
def published(admin):
    """The questionnaire, published."""
    return build_questionnaire(admin)


@pytest.fixture
def start_path(admin, make_cohort):
    """start_path(talent, days_ago=3, consent=True): intake and enrolment that many days ago."""

    def start(talent, days_ago: int = 3, *, consent: bool = True, enrol: bool = True):
        day = clock.today() - timedelta(days=days_ago)
        path.record_intake(
            admin,
            talent,
            intake_date=day,
            evaluation_consent=consent,
            consent_date=day if consent else None,
            consent_notice_version="2026-01" if consent else None,
        )
        if enrol:
            cohort = talent.cohort or make_cohort(territory_=talent.territory)
            path.add_path_event(admin, talent, PathEventKind.ENROLMENT, day, cohort=cohort)
        db.session.commit()
        return talent

    return start


@pytest.fixture
def answering_talent(talent, published, start_path):
    """A talent who consented, arrived 3 days ago: the intake questionnaire is due."""
    return start_path(talent)
