"""Read-side queries of reporting: the choices of the indicators page's filters."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import get_locale

from repairlab.auth import Account, territory_scope
from repairlab.clock import this_minute, today
from repairlab.extensions import db
from repairlab.freshness import remember
from repairlab.people.models import TRACK_LABELS, Cohort, Territory, User
from repairlab.programme.models import ProgrammePeriod
from repairlab.reporting.models import ResearchExport
from repairlab.reporting.registry import SectionData, sections

RECENT_EXPORTS = 20


@dataclass
class Choices:
    """The filters' options within the user's scope: (id, label) pairs."""

    territories: list[tuple[int, str]]
    periods: list[tuple[int, str]]
    cohorts: list[tuple[int, str]]
    tracks: list[tuple[str, str]]


def filter_choices(user: Account) -> Choices:
    """Territories, periods and cohorts the user may choose (their own territory only for territory-bound roles):
    three queries."""
    scope = territory_scope(user)
    territories = sa.select(Territory.id, Territory.code, Territory.name).order_by(Territory.code)
    cohorts = (
        sa.select(Cohort.id, Territory.code, Cohort.name)
        .join(Territory, Territory.id == Cohort.territory_id)
        .order_by(Territory.code, Cohort.start_date, Cohort.name)
    )
    if scope is not None:
        territories = territories.where(Territory.id == scope)
        cohorts = cohorts.where(Cohort.territory_id == scope)
    return Choices(
        territories=[(i, f"{code} – {name}") for i, code, name in db.session.execute(territories)],
        periods=list(
            db.session.execute(sa.select(ProgrammePeriod.id, ProgrammePeriod.name).order_by(ProgrammePeriod.number))
        ),
        cohorts=[(i, f"{code} – {name}") for i, code, name in db.session.execute(cohorts)],
        tracks=[(t.value, str(label)) for t, label in TRACK_LABELS.items()],
    )


def recent_exports(limit: int = RECENT_EXPORTS) -> list[tuple[ResearchExport, str | None]]:
    """The latest research exports with the name of who took them (None from the command line): one query."""
    stmt = (
        sa.select(ResearchExport, User.full_name)
        .outerjoin(User, User.id == ResearchExport.user_id)
        .order_by(ResearchExport.created_at.desc(), ResearchExport.id.desc())
        .limit(limit)
    )
    return [(entry, name) for entry, name in db.session.execute(stmt)]


def indicators(selection) -> dict[str, SectionData]:
    """Every section's data for a selection, by key: computed once, then reused by every worker until a table it was
    computed from changes (one query to check for the whole page), or the day or the minute does, as each section
    says (its `clock`): at a new minute only the sections that change with the time of day are computed again."""
    minute = this_minute()
    locale = str(get_locale())

    def section_data(key, section):
        moment = minute if section.clock == "minute" else today(minute)
        return remember(("indicator", key, selection, locale, moment), lambda: section.compute(selection))

    return remember(
        ("indicators", selection, locale, minute),
        lambda: {key: section_data(key, section) for key, section in sections.items()},
    )
