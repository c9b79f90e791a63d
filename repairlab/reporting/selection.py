"""The selection every indicator and export counts: the user's territory scope and the page's filters."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from urllib.parse import urlencode

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import aliased
from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import NotFound

from repairlab.auth import Account, territory_scope
from repairlab.clock import end_of_day, start_of_day
from repairlab.dates import parse_day
from repairlab.extensions import db
from repairlab.people.models import Cohort, Role, Territory, Track, User
from repairlab.programme.models import CohortPeriod, ProgrammePeriod
from repairlab.programme.queries import PathFilters
from repairlab.projects.models import MemberRole, Project, ProjectMember
from repairlab.web import db_id


@dataclass(frozen=True)
class Selection:
    """Which talents and which days: territory, cohort and track choose the talents (and the projects), the dates
    choose the events (validations, loans, stage changes, sessions, figures) inside the window, ends included."""

    territory_id: int | None = None
    period_id: int | None = None
    cohort_id: int | None = None
    track: Track | None = None
    date_from: date | None = None
    date_to: date | None = None
    months: bool = False  # exports only: dates written as months

    # --- The talents -------------------------------------------------------------------------------------------

    def talent_conditions(self, user=User) -> list:
        """Conditions on a users table (or alias) that keep the talents of the selection."""
        out = [user.role == Role.PARTICIPANT]
        if self.territory_id is not None:
            out.append(user.territory_id == self.territory_id)
        if self.cohort_id is not None:
            out.append(user.cohort_id == self.cohort_id)
        if self.track is not None:
            out.append(user.track == self.track)
        if self.period_id is not None:
            out.append(user.cohort_id.in_(self._period_cohorts()))
        return out

    def _period_cohorts(self) -> sa.Select:
        return sa.select(CohortPeriod.cohort_id).where(CohortPeriod.period_id == self.period_id)

    def path_filters(self) -> PathFilters:
        """The same selection as the programme's read-side queries take it."""
        return PathFilters(
            territory_id=self.territory_id,
            period_id=self.period_id,
            cohort_id=self.cohort_id,
            track=self.track,
            start=self.date_from,
            end=self.date_to,
        )

    def talent_ids(self) -> sa.Select:
        """The ids of the selection's talents, as a subquery for IN."""
        return sa.select(User.id).where(*self.talent_conditions())

    def cohort_conditions(self) -> list:
        """Conditions on cohorts: those of the territory, or the one chosen."""
        out = []
        if self.territory_id is not None:
            out.append(Cohort.territory_id == self.territory_id)
        if self.cohort_id is not None:
            out.append(Cohort.id == self.cohort_id)
        if self.period_id is not None:
            out.append(Cohort.id.in_(self._period_cohorts()))
        return out

    # --- The projects ------------------------------------------------------------------------------------------

    def project_conditions(self) -> list:
        """Projects of the territory and cohort; with a track, those with a talent of that track in the team."""
        out = []
        if self.territory_id is not None:
            out.append(Project.territory_id == self.territory_id)
        if self.cohort_id is not None:
            out.append(Project.cohort_id == self.cohort_id)
        if self.period_id is not None:
            out.append(Project.cohort_id.in_(self._period_cohorts()))
        if self.track is not None:
            member = aliased(User)
            out.append(
                sa.exists().where(
                    ProjectMember.project_id == Project.id,
                    ProjectMember.role == MemberRole.TEAM,
                    ProjectMember.user_id == member.id,
                    member.track == self.track,
                )
            )
        return out

    # --- The window of dates -----------------------------------------------------------------------------------

    def on_days(self, column) -> list:
        """Conditions keeping a date column inside the window."""
        out = []
        if self.date_from is not None:
            out.append(column >= self.date_from)
        if self.date_to is not None:
            out.append(column <= self.date_to)
        return out

    def at_times(self, column) -> list:
        """Conditions keeping a timestamp column inside the window (days in the labs' time zone)."""
        out = []
        if self.date_from is not None:
            out.append(column >= start_of_day(self.date_from))
        if self.date_to is not None:
            out.append(column <= end_of_day(self.date_to))
        return out

    # --- As text -----------------------------------------------------------------------------------------------

    def args(self) -> dict[str, str]:
        """The filters as query-string arguments (for links and the export log)."""
        out = {}
        if self.territory_id is not None:
            out["territory"] = str(self.territory_id)
        if self.period_id is not None:
            out["period"] = str(self.period_id)
        if self.cohort_id is not None:
            out["cohort"] = str(self.cohort_id)
        if self.track is not None:
            out["track"] = self.track.value
        if self.date_from is not None:
            out["from"] = self.date_from.isoformat()
        if self.date_to is not None:
            out["to"] = self.date_to.isoformat()
        if self.months:
            out["months"] = "1"
        return out

    def query_string(self) -> str:
        """The filters as a query string (empty without filters)."""
        return urlencode(self.args())


@dataclass
class Parsed:
    """A selection read from a query string, with a message per refused field."""

    selection: Selection
    errors: dict[str, str] = field(default_factory=dict)


def parse_selection(args: MultiDict, user: Account) -> Parsed:
    """Read the filters of a query string within the user's scope.

    A territory-bound user always gets their territory; naming another territory or one of its cohorts is "not
    found" (404), like every object of another territory. A malformed value is an error next to its field.
    """
    scope = territory_scope(user)
    errors: dict[str, str] = {}
    territory_id = _id(args, "territory", errors, _("Choose a territory from the list."))
    cohort_id = _id(args, "cohort", errors, _("Choose a cohort from the list."))
    period_id = _id(args, "period", errors, _("Choose a period from the list."))
    if period_id is not None and db.session.get(ProgrammePeriod, period_id) is None:
        errors["period"] = _("Choose a period from the list.")
        period_id = None
    if scope is not None:
        if territory_id is not None and territory_id != scope:
            raise NotFound()
        territory_id = scope
    elif territory_id is not None and db.session.get(Territory, territory_id) is None:
        errors["territory"] = _("Choose a territory from the list.")
        territory_id = None
    if cohort_id is not None:
        cohort = db.session.get(Cohort, cohort_id)
        if cohort is not None and scope is not None and cohort.territory_id != scope:
            raise NotFound()
        if cohort is None:
            errors["cohort"] = _("Choose a cohort from the list.")
            cohort_id = None
    track = None
    if args.get("track"):
        try:
            track = Track(args["track"])
        except ValueError:
            errors["track"] = _("Choose a track from the list.")
    date_from = _day(args, "from", errors)
    date_to = _day(args, "to", errors)
    if date_from and date_to and date_to < date_from:
        errors["to"] = _("The end date must be on or after the start date.")
    selection = Selection(
        territory_id=territory_id,
        period_id=period_id,
        cohort_id=cohort_id,
        track=track,
        date_from=date_from,
        date_to=date_to,
        months=args.get("months") in {"1", "on", "true"},
    )
    return Parsed(selection, errors)


def _id(args: MultiDict, name: str, errors: dict[str, str], message: str) -> int | None:
    text = (args.get(name) or "").strip()
    if not text:
        return None
    try:
        return db_id(text)
    except ValueError:
        errors[name] = message
        return None


def _day(args: MultiDict, name: str, errors: dict[str, str]) -> date | None:
    text = (args.get(name) or "").strip()
    if not text:
        return None
    day = parse_day(text)
    if day is None:
        errors[name] = _("Enter a date as YYYY-MM-DD, between the years 1900 and 2100.")
    return day
