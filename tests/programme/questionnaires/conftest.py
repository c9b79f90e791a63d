"""Fixtures of the questionnaire tests: a published questionnaire, and talents whose path makes it due."""

from __future__ import annotations

from datetime import timedelta

import pytest

from repairlab import clock
from repairlab.extensions import db
from repairlab.people.models import Role
from repairlab.programme import services as path
from repairlab.programme.models import PathEventKind
from tests.programme.questionnaires.helpers import build_questionnaire


@pytest.fixture
def mentor(make_user):
    """A mentor of the default territory."""
    return make_user(Role.MENTOR, name="Mona Mentor")


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
