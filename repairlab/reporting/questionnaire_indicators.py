"""The indicators page's questionnaires section (the talents as co-researchers): how many questionnaires were
answered at each moment of the path, and how each scale's score moved between intake and exit.

Definitions (each also written next to its number on the page):

- due: a moment of a questionnaire with a published version, come on or before today (within the dates), for a
  talent of the selection whose consent to the evaluation holds and whose account is open (as the programme asks
  them: intake, enrolment + N weeks, exit, exit + 6, 12 or 24 months; nothing before the exit once the talent has
  left); and every questionnaire begun, whatever its moment;
- answered: completed; declined and postponed (put off by the talent to a later day) are counted apart;
- change: for each scale and each talent with a score at intake and at exit on the same questionnaire (scales matched
  by key across versions), exit score − intake score; the mean over the talents with its 95 % confidence interval,
  mean ± t(0.975, n − 1) × s / √n (Student's t, s the sample standard deviation of the changes, computed from their
  sum and sum of squares in the database); means of fewer talents than the suppression threshold are hidden;
- withdrawn: questionnaires answered or declined by talents who have since withdrawn their consent: left out of
  every other number and of the research exports, and only counted.

Every number is counted in the database (scores by `questionnaire_scores.scale_scores`), in five queries whatever
the number of talents; Python adds up the few groups that come back.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

import sqlalchemy as sa
from flask_babel import get_locale, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from repairlab import clock
from repairlab.extensions import db
from repairlab.people.models import TRACK_LABELS, Cohort, Territory, User
from repairlab.programme.models import PathEvent, PathEventKind, TalentExit, TalentIntake
from repairlab.programme.queries import add_months
from repairlab.programme.questionnaires.models import (
    FOLLOW_UP_MOMENTS,
    MOMENT_KIND_LABELS,
    MomentKind,
    QuestionnaireMoment,
    QuestionnaireResponse,
    QuestionnaireScale,
    QuestionnaireVersion,
    ResponseStatus,
    VersionStatus,
)
from repairlab.reporting.exports import threshold
from repairlab.reporting.questionnaire_scores import (
    HUNDRED,
    consenting_talents,
    scale_scores,
    withdrawn_talents,
)
from repairlab.reporting.rates import mean_interval, rate
from repairlab.reporting.registry import ChartSpec, Column, Figure, Section, SectionData, Table, sections
from repairlab.reporting.selection import Selection
from repairlab.reporting.sql import count_if, days_after

MOMENT_ORDER = {kind: n for n, kind in enumerate(MomentKind)}
_BEFORE_EXIT = frozenset({MomentKind.INTAKE, MomentKind.WEEKS_AFTER_ENROLMENT})


def register_sections() -> None:
    """The questionnaires section, after attendance (the programme's last) and before skills."""
    sections.register(
        "questionnaires",
        Section(
            _l("Questionnaires"),
            _l(
                "What the talents who consented to the evaluation answered at the moments of their path, and how "
                "their scores moved between intake and exit."
            ),
            questionnaires,
            clock="day",
        ),
        order=38,
    )


# --- What the questionnaires are called ---------------------------------------------------------------------------


@dataclass
class Catalogue:
    """The questionnaires' titles and their scales' names (of each one's latest version asked), in a language."""

    titles: dict[int, str]
    scales: dict[tuple[int, str], tuple[int, str]]  # (questionnaire id, scale key) -> (position, label)

    def title(self, questionnaire_id: int) -> str:
        """The questionnaire's title."""
        return self.titles.get(questionnaire_id, "")

    def scale(self, questionnaire_id: int, key: str) -> str:
        """The scale's name (its key when no version names it)."""
        return self.scales.get((questionnaire_id, key), (0, key))[1]

    def position(self, questionnaire_id: int, key: str) -> int:
        """The scale's place in its questionnaire."""
        return self.scales.get((questionnaire_id, key), (0, key))[0]


def _catalogue() -> Catalogue:
    """Titles and scale names of every version ever asked, the latest version's winning (one query)."""
    english = str(get_locale() or "fr").startswith("en")
    v, s = QuestionnaireVersion, QuestionnaireScale
    rows = db.session.execute(
        sa.select(
            v.questionnaire_id,
            v.title_en if english else v.title_fr,
            s.key,
            s.position,
            s.label_en if english else s.label_fr,
        )
        .outerjoin(s, s.version_id == v.id)
        .where(v.status != VersionStatus.DRAFT)
        .order_by(v.questionnaire_id, v.number, s.position)
    )
    catalogue = Catalogue({}, {})
    for questionnaire_id, title, key, position, label in rows:
        catalogue.titles[questionnaire_id] = title
        if key is not None:
            catalogue.scales[(questionnaire_id, key)] = (position, label)
    return catalogue


def moment_label(moment: MomentKind, weeks: int) -> str:
    """A moment in words: "At intake", "8 weeks after enrolment"."""
    if moment == MomentKind.WEEKS_AFTER_ENROLMENT:
        return ngettext("%(num)d week after enrolment", "%(num)d weeks after enrolment", weeks)
    return str(MOMENT_KIND_LABELS[moment])


# --- Response rates -----------------------------------------------------------------------------------------------


def _asked_moments() -> list[tuple[int, MomentKind, int]]:
    """(questionnaire id, moment, weeks) of every questionnaire with a published version (one query)."""
    published = sa.select(QuestionnaireVersion.questionnaire_id).where(
        QuestionnaireVersion.status == VersionStatus.PUBLISHED
    )
    m = QuestionnaireMoment
    rows = db.session.execute(
        sa.select(m.questionnaire_id, m.moment, m.weeks).where(m.questionnaire_id.in_(published)).order_by(m.id)
    )
    return [(q, MomentKind(moment), weeks) for q, moment, weeks in rows]


def latest_base(day: date, months: int) -> date:
    """The last day d such that d + `months` months (the month's last day when shorter) is on or before `day`."""
    base = add_months(day, -months)
    while add_months(base + timedelta(days=1), months) <= day:
        base += timedelta(days=1)
    return base


def _window(column, first: date | None, last: date | None) -> list:
    out = []
    if first is not None:
        out.append(column >= first)
    if last is not None:
        out.append(column <= last)
    return out


def _due_part(paths, asked: tuple[int, MomentKind, int], sel: Selection, today: date):
    """The talents of `paths` for whom this moment has come, within the dates: its day computed from the path's,
    the bounds moved back by the moment's offset so that the database compares plain dates."""
    questionnaire_id, moment, weeks = asked
    exit_day = paths.c.exit_date
    first = sel.date_from
    last = min(today, sel.date_to) if sel.date_to is not None else today
    if moment == MomentKind.INTAKE:
        day, conditions = paths.c.intake_date, _window(paths.c.intake_date, first, last)
    elif moment == MomentKind.WEEKS_AFTER_ENROLMENT:
        offset = timedelta(weeks=weeks)
        day = paths.c.enrolled_on
        conditions = _window(day, first - offset if first is not None else None, last - offset)
    elif moment == MomentKind.EXIT:
        day, conditions = exit_day, _window(exit_day, first, last)
    else:
        months = FOLLOW_UP_MOMENTS[moment]
        earliest = latest_base(first - timedelta(days=1), months) + timedelta(days=1) if first is not None else None
        day, conditions = exit_day, _window(exit_day, earliest, latest_base(last, months))
    if moment in _BEFORE_EXIT:
        # Not asked once the talent has left: the exit must come after the moment's day.
        due = day if moment == MomentKind.INTAKE else days_after(day, 7 * weeks)
        conditions.append(sa.or_(exit_day.is_(None), exit_day > due))
    return sa.select(
        paths.c.talent_id,
        sa.cast(sa.literal(questionnaire_id), sa.Integer).label("questionnaire_id"),
        sa.cast(sa.literal(moment.value), sa.String(32)).label("moment"),
        sa.cast(sa.literal(weeks), sa.Integer).label("weeks"),
    ).where(day.is_not(None), *conditions)


def _response_rates(sel: Selection, asked: list[tuple[int, MomentKind, int]], today: date) -> list[tuple]:
    """Per (questionnaire, moment, weeks): due, answered, declined, postponed, answered with a mentor (one query)."""
    enrolment = (
        sa.select(PathEvent.talent_id, PathEvent.occurred_on)
        .where(PathEvent.kind == PathEventKind.ENROLMENT)
        .subquery("enrolment")
    )
    paths = (
        sa.select(
            User.id.label("talent_id"),
            TalentIntake.intake_date,
            enrolment.c.occurred_on.label("enrolled_on"),
            TalentExit.exit_date,
        )
        .join(TalentIntake, TalentIntake.talent_id == User.id)
        .outerjoin(enrolment, enrolment.c.talent_id == User.id)
        .outerjoin(TalentExit, TalentExit.talent_id == User.id)
        .where(
            *sel.talent_conditions(),
            User.id.in_(consenting_talents()),
            User.active.is_(True),
            User.erased_at.is_(None),
        )
        .cte("followed_paths")
    )
    r = QuestionnaireResponse
    begun = sa.select(r.talent_id, r.questionnaire_id, sa.cast(r.moment, sa.String(32)).label("moment"), r.weeks).where(
        r.talent_id.in_(sel.talent_ids()), r.talent_id.in_(consenting_talents()), *sel.on_days(r.due_on)
    )
    due = sa.union(*(_due_part(paths, one, sel, today) for one in asked), begun).subquery("due")
    completed = r.status == ResponseStatus.COMPLETED
    rows = db.session.execute(
        sa.select(
            due.c.questionnaire_id,
            due.c.moment,
            due.c.weeks,
            sa.func.count(),
            count_if(completed),
            count_if(r.status == ResponseStatus.DECLINED),
            count_if(sa.and_(r.status == ResponseStatus.IN_PROGRESS, r.postponed_until > today)),
            count_if(sa.and_(completed, r.assisted_by_id.is_not(None))),
        )
        .select_from(due)
        .outerjoin(
            r,
            sa.and_(
                r.talent_id == due.c.talent_id,
                r.questionnaire_id == due.c.questionnaire_id,
                sa.cast(r.moment, sa.String(32)) == due.c.moment,
                r.weeks == due.c.weeks,
            ),
        )
        .group_by(due.c.questionnaire_id, due.c.moment, due.c.weeks)
    ).all()
    return sorted(
        ((q, MomentKind(m), w, *counts) for q, m, w, *counts in rows),
        key=lambda row: (row[0], MOMENT_ORDER[row[1]], row[2]),
    )


def _withdrawn(sel: Selection) -> int:
    """Questionnaires answered or declined by talents of the selection who have since withdrawn (one query)."""
    r = QuestionnaireResponse
    return db.session.scalar(
        sa.select(sa.func.count(r.id)).where(
            r.talent_id.in_(sel.talent_ids()),
            r.talent_id.in_(withdrawn_talents()),
            r.status != ResponseStatus.IN_PROGRESS,
            *sel.on_days(r.due_on),
        )
    )


# --- Change between intake and exit -------------------------------------------------------------------------------


@dataclass
class Sums:
    """The talents of a group with a score at intake and at exit: their number, and in hundredths the sums of the
    changes, of their squares, of the intake scores and of the exit scores."""

    n: int = 0
    change: int = 0
    squares: int = 0
    before: int = 0
    after: int = 0

    def add(self, other: Sums) -> None:
        """Add another group's sums to these."""
        self.n += other.n
        self.change += other.change
        self.squares += other.squares
        self.before += other.before
        self.after += other.after


def _change_groups(sel: Selection) -> list[tuple[int, str, str | None, int | None, str | None, object, Sums]]:
    """(questionnaire id, scale key, territory code, cohort id, cohort name, track, sums) per group (one query)."""
    r = QuestionnaireResponse
    scores = scale_scores(
        r.talent_id.in_(sel.talent_ids()),
        r.talent_id.in_(consenting_talents()),
        r.moment.in_([MomentKind.INTAKE, MomentKind.EXIT]),
    ).cte("scores")
    before, after = scores.alias("intake"), scores.alias("exit")
    change = after.c.hundredths - before.c.hundredths
    group = (before.c.questionnaire_id, before.c.scale_key, Territory.code, Cohort.id, Cohort.name, User.track)
    rows = db.session.execute(
        sa.select(
            *group,
            sa.func.count(),
            sa.func.sum(change),
            sa.func.sum(change * change),
            sa.func.sum(before.c.hundredths),
            sa.func.sum(after.c.hundredths),
        )
        .select_from(before)
        .join(
            after,
            sa.and_(
                after.c.talent_id == before.c.talent_id,
                after.c.questionnaire_id == before.c.questionnaire_id,
                after.c.scale_key == before.c.scale_key,
            ),
        )
        .join(User, User.id == before.c.talent_id)
        .outerjoin(Territory, Territory.id == User.territory_id)
        .outerjoin(Cohort, Cohort.id == User.cohort_id)
        .where(
            before.c.moment == MomentKind.INTAKE,
            after.c.moment == MomentKind.EXIT,
            before.c.hundredths.is_not(None),
            after.c.hundredths.is_not(None),
            *sel.on_days(after.c.due_on),
        )
        .group_by(*group)
    ).all()
    return [(*row[:6], Sums(*(int(value or 0) for value in row[6:]))) for row in rows]


def _cells(sums: Sums, shown: bool) -> tuple:
    """n, then the means at intake and at exit, the mean change and its interval (None when hidden)."""
    if not shown or sums.n == 0:
        return (sums.n, None, None, None, None, None)
    interval = mean_interval(sums.n, sums.change, sums.squares)
    hundredths = (sums.before / sums.n, sums.after / sums.n, interval.mean, interval.low, interval.high)
    return (sums.n, *(None if v is None else v / HUNDRED for v in hundredths))


def hidden_cells(groups: dict, limit: int, total: Sums) -> set:
    """Which groups of a breakdown hide their means: those of fewer talents than the limit, and, when only one is
    hidden while the total is shown, the next smallest too, so that it cannot be worked out from the total."""
    hidden = {key for key, sums in groups.items() if 0 < sums.n < limit}
    if len(hidden) == 1 and total.n >= limit:
        rest = sorted((k for k in groups if k not in hidden and groups[k].n > 0), key=lambda k: (groups[k].n, str(k)))
        hidden.update(rest[:1])
    return hidden


def _change_columns(*heads: Column) -> list[Column]:
    """The columns of a change table: questionnaire, scale, the group's own, then n, the means and the interval."""
    return [
        Column("questionnaire", _l("Questionnaire")),
        Column("scale", _l("Scale")),
        *heads,
        Column("talents", _l("Talents (n)"), "int"),
        Column("mean_intake", _l("Mean at intake"), "score"),
        Column("mean_exit", _l("Mean at exit"), "score"),
        Column("mean_change", _l("Mean change"), "change"),
        Column("ci_low", _l("Interval (95%), low"), "change"),
        Column("ci_high", _l("Interval (95%), high"), "change"),
    ]


def _change_tables(groups: list, catalogue: Catalogue, limit: int) -> list[Table]:
    """The change of each scale overall, by cohort and by track, from the groups' sums."""
    totals: dict[tuple[int, str], Sums] = defaultdict(Sums)
    by_cohort: dict[tuple[int, str], dict[tuple, Sums]] = defaultdict(lambda: defaultdict(Sums))
    by_track: dict[tuple[int, str], dict[object, Sums]] = defaultdict(lambda: defaultdict(Sums))
    for q, key, code, cohort_id, cohort_name, track, sums in groups:
        totals[(q, key)].add(sums)
        by_cohort[(q, key)][(code or "", cohort_name or "", cohort_id or 0)].add(sums)
        by_track[(q, key)][track].add(sums)
    scales = sorted(totals, key=lambda qk: (catalogue.title(qk[0]), qk[0], catalogue.position(*qk), qk[1]))

    def names(qk) -> tuple[str, str]:
        return (catalogue.title(qk[0]), catalogue.scale(*qk))

    overall = [(*names(qk), *_cells(totals[qk], totals[qk].n >= limit)) for qk in scales]
    cohort_rows, track_rows = [], []
    for qk in scales:
        cohorts = by_cohort[qk]
        hidden = hidden_cells(cohorts, limit, totals[qk])
        for key in sorted(cohorts):
            code, cohort_name, _id = key
            cohort_rows.append((*names(qk), code, cohort_name, *_cells(cohorts[key], key not in hidden)))
        tracks = by_track[qk]
        hidden = hidden_cells(tracks, limit, totals[qk])
        for track in sorted(tracks, key=lambda t: (t is None, str(t or ""))):
            label = str(TRACK_LABELS[track]) if track is not None else _("None yet")
            track_rows.append((*names(qk), label, *_cells(tracks[track], track not in hidden)))
    hidden_note = _(
        "Means over fewer than %(limit)d talents are hidden (—), and where a single group would be hidden, the next "
        "smallest too, so that it cannot be worked out from the total.",
        limit=limit,
    )
    method = _(
        "Talents with a score at intake and at exit (exit within the dates): the mean of exit score − intake score, "
        "with its confidence interval at 95%, mean ± t(0.975, n − 1) × s / √n (Student's t, s the standard deviation "
        "of the changes). A score is the mean of the items answered (for a sum, that mean times the number of items), "
        "reversed items turned round; it is missing when more items are unanswered than the scale allows. Scales are "
        "matched by their key from one version to the next."
    )
    return [
        Table(
            "scale_change",
            _l("Change of each scale between intake and exit"),
            " ".join((method, hidden_note)),
            _change_columns(),
            overall,
            ChartSpec((1,), (3, 4)),
        ),
        Table(
            "change_by_cohort",
            _l("Change by cohort"),
            " ".join((_("The same change, for the talents of each cohort."), hidden_note)),
            _change_columns(Column("territory", _l("Territory")), Column("cohort", _l("Cohort"))),
            cohort_rows,
        ),
        Table(
            "change_by_track",
            _l("Change by track"),
            " ".join((_("The same change, for the talents of each track."), hidden_note)),
            _change_columns(Column("track", _l("Track"))),
            track_rows,
        ),
    ]


def _rate_table(rates: list[tuple], catalogue: Catalogue) -> Table:
    """The response rate at each moment."""
    rows = [
        (
            catalogue.title(q),
            moment_label(moment, weeks),
            due,
            answered,
            declined,
            postponed,
            due - answered - declined,
            rate(answered, due),
        )
        for q, moment, weeks, due, answered, declined, postponed, _assisted in rates
    ]
    return Table(
        "response_rates",
        _l("Response rate at each moment"),
        _l(
            "Questionnaires due at each moment of the path: completed, declined, put off by the talent to a later "
            "day, and not answered (those put off included); the rate is completed ÷ due."
        ),
        [
            Column("questionnaire", _l("Questionnaire")),
            Column("moment", _l("Moment")),
            Column("due", _l("Due"), "int"),
            Column("answered", _l("Completed"), "int"),
            Column("declined", _l("Declined by the talent"), "int"),
            Column("postponed", _l("Postponed"), "int"),
            Column("not_answered", _l("Not answered"), "int"),
            Column("rate", _l("Response rate"), "percent"),
        ],
        rows,
        # Bars named by their moment, and by their questionnaire too when there are several.
        ChartSpec((1, 0) if len({row[0] for row in rows}) > 1 else (1,), (7,)),
    )


def questionnaires(sel: Selection) -> SectionData:
    """Response rates by moment, withdrawn answers, and the change of each scale overall, by cohort and by track:
    five queries."""
    catalogue = _catalogue()
    rates = _response_rates(sel, _asked_moments(), clock.today())
    withdrawn = _withdrawn(sel)
    groups = _change_groups(sel)
    due = sum(row[3] for row in rates)
    answered = sum(row[4] for row in rates)
    return SectionData(
        figures=[
            Figure(
                _l("Questionnaires due"),
                due,
                _l(
                    "Moments come for talents of the selection who consented to the evaluation (account open), "
                    "within the dates, and every questionnaire begun."
                ),
            ),
            Figure(
                _l("Response rate"),
                rate(answered, due),
                _l("Questionnaires completed divided by the questionnaires due."),
                "percent",
            ),
            Figure(
                _l("Questionnaires declined"),
                sum(row[5] for row in rates),
                _l("Questionnaires the talent chose not to answer: due, not answered."),
            ),
            Figure(
                _l("Filled in with a mentor"),
                rate(sum(row[7] for row in rates), answered),
                _l("Share of the questionnaires completed that a mentor filled in with the talent."),
                "percent",
            ),
            Figure(
                _l("Answers withdrawn"),
                withdrawn,
                _l(
                    "Questionnaires answered or declined by talents who have since withdrawn their consent: left "
                    "out of every other number here and of the research exports."
                ),
            ),
        ],
        tables=[_rate_table(rates, catalogue), *_change_tables(groups, catalogue, threshold())],
        note=_l(
            "Only talents who consented to the evaluation are counted; the answers of those who withdrew their "
            "consent are left out."
        ),
    )
