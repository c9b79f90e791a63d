"""Read-side functions of guides: the public search, the guides of a ticket's object, of a tool's category and of a
talent, the authors' credit as each chose it, the versions' history and the difference between two versions."""

from __future__ import annotations

import difflib
from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from repairlab.auth import STAFF_ROLES
from repairlab.extensions import db
from repairlab.guides.models import (
    CreditChoice,
    Guide,
    GuideCredit,
    GuideKind,
    GuidePublication,
    GuideSkill,
    GuideStep,
    GuideStepPhoto,
    GuideToolCategory,
    GuideUse,
    GuideVersion,
)
from repairlab.pagination import fold, folded, like_escaped
from repairlab.people.models import User
from repairlab.repairs.models import RepairTicket
from repairlab.skills.models import SkillLevel

SUGGESTED = 6
PANEL_ROWS = 8


# --- Credits -------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Author:
    """An author of a guide as a page shows them: the name they chose to show (None: not credited)."""

    user_id: int | None
    name: str | None
    choice: CreditChoice | None


def default_choice(user: User) -> CreditChoice:
    """Staff are credited by their full name; talents are not credited unless they choose to be (privacy first)."""
    return CreditChoice.FULL_NAME if user.role in STAFF_ROLES else CreditChoice.NONE


def credited_name(user: User, choice: CreditChoice) -> str | None:
    """The name shown for an author who chose this, or None."""
    if user.erased_at is not None or choice == CreditChoice.NONE:
        return None
    if choice == CreditChoice.FIRST_NAME:
        return (user.full_name.split() or [""])[0] or None
    return user.full_name


def authors(guide: Guide, up_to: int | None = None) -> list[Author]:
    """The guide's authors (of its versions up to `up_to`, all by default), in the order they first wrote, each with
    the name they chose to show; an imported version's author as the bundle credited them. Two queries."""
    stmt = sa.select(GuideVersion.number, GuideVersion.created_by_id, GuideVersion.credited_as).where(
        GuideVersion.guide_id == guide.id
    )
    if up_to is not None:
        stmt = stmt.where(GuideVersion.number <= up_to)
    rows = db.session.execute(stmt.order_by(GuideVersion.number)).all()
    user_ids = [r.created_by_id for r in rows if r.created_by_id is not None]
    users = {u.id: u for u in db.session.scalars(sa.select(User).where(User.id.in_(user_ids)))} if user_ids else {}
    choices = dict(
        db.session.execute(
            sa.select(GuideCredit.user_id, GuideCredit.choice).where(GuideCredit.guide_id == guide.id)
        ).all()
    )
    out: list[Author] = []
    seen: set = set()
    for row in rows:
        if row.created_by_id is not None and row.created_by_id in users:
            if row.created_by_id in seen:
                continue
            seen.add(row.created_by_id)
            user = users[row.created_by_id]
            choice = choices.get(user.id) or default_choice(user)
            out.append(Author(user.id, credited_name(user, choice), choice))
        elif row.credited_as and ("imported", row.credited_as) not in seen:
            seen.add(("imported", row.credited_as))
            out.append(Author(None, row.credited_as, None))
    return out


def credited_names(guide: Guide, up_to: int | None = None) -> list[str]:
    """The names shown on the public page and in exports (only those who chose to be credited)."""
    return [a.name for a in authors(guide, up_to) if a.name]


# --- Public guides ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SearchFilters:
    """The public list's filters: text, kind of object, brand or model, skill, kind of guide, language."""

    q: str = ""
    category_id: int | None = None
    model: str = ""
    skill_id: int | None = None
    kind: GuideKind | None = None
    language: str = ""

    @property
    def any(self) -> bool:
        """Whether a filter beyond the text is chosen."""
        return bool(self.category_id or self.model or self.skill_id or self.kind or self.language)


def public_guides(filters: SearchFilters):
    """A select() of the published guides matching the filters (their public version loaded as Guide.published),
    newest publication first.

    The text is looked for in the folded text of the published version (Guide.search_text, written when a version
    is published), case and accents ignored, as the inventory's search does."""
    stmt = (
        sa.select(Guide)
        .join(GuideVersion, sa.and_(GuideVersion.guide_id == Guide.id, GuideVersion.number == Guide.published_number))
        .where(Guide.published_number.is_not(None))
        .options(selectinload(Guide.repair_category), selectinload(Guide.published))
        .order_by(Guide.published_at.desc(), Guide.id.desc())
    )
    if filters.q.strip():
        for word in fold(filters.q).split():
            stmt = stmt.where(Guide.search_text.like(f"%{like_escaped(word)}%", escape="\\"))
    if filters.category_id:
        stmt = stmt.where(Guide.repair_category_id == filters.category_id)
    if filters.model.strip():
        needle = f"%{like_escaped(fold(filters.model.strip()))}%"
        stmt = stmt.where(
            sa.or_(
                folded(Guide.brand + " " + Guide.model).like(needle, escape="\\"),
                folded(Guide.model).like(needle, escape="\\"),
            )
        )
    if filters.skill_id:
        stmt = stmt.where(
            sa.exists().where(GuideSkill.version_id == GuideVersion.id, GuideSkill.skill_id == filters.skill_id)
        )
    if filters.kind:
        stmt = stmt.where(Guide.kind == filters.kind)
    if filters.language:
        stmt = stmt.where(Guide.language == filters.language)
    return stmt


def first_photos(version_ids: list[int]) -> dict[int, int]:
    """The first photo of each version (its GuideStepPhoto id), for the lists' thumbnails; one query."""
    if not version_ids:
        return {}
    rows = db.session.execute(
        sa.select(GuideStep.version_id, sa.func.min(GuideStepPhoto.id))
        .join(GuideStepPhoto, GuideStepPhoto.step_id == GuideStep.id)
        .where(GuideStep.version_id.in_(version_ids), GuideStep.position == 1)
        .group_by(GuideStep.version_id)
    ).all()
    return dict(rows)


def is_published_version(guide: Guide, number: int) -> bool:
    """Whether this version of a public guide was published once (its address is public)."""
    if not guide.is_public:
        return False
    return bool(
        db.session.scalar(
            sa.select(sa.func.count()).where(GuidePublication.guide_id == guide.id, GuidePublication.number == number)
        )
    )


def publications(guide: Guide) -> dict[int, GuidePublication]:
    """The guide's publications by version number."""
    return {
        p.number: p
        for p in db.session.scalars(sa.select(GuidePublication).where(GuidePublication.guide_id == guide.id))
    }


def suggested_for_ticket(ticket: RepairTicket, limit: int = SUGGESTED) -> list[tuple[Guide, GuideVersion]]:
    """Published repair guides for the ticket's kind of object, those of its brand and model first."""
    same_model = sa.and_(
        Guide.model != "",
        sa.func.lower(Guide.model) == (ticket.model or "").lower(),
        sa.func.lower(Guide.brand) == (ticket.brand or "").lower(),
    )
    same_brand = sa.and_(Guide.brand != "", sa.func.lower(Guide.brand) == (ticket.brand or "").lower())
    stmt = (
        sa.select(Guide, GuideVersion)
        .join(GuideVersion, sa.and_(GuideVersion.guide_id == Guide.id, GuideVersion.number == Guide.published_number))
        .where(
            Guide.published_number.is_not(None),
            Guide.kind == GuideKind.REPAIR,
            Guide.repair_category_id == ticket.category_id,
        )
        .order_by(
            sa.case((same_model, 0), (same_brand, 1), else_=2),
            # The ticket's territory's guides before those of elsewhere, then the newest.
            sa.case((Guide.territory_id == ticket.territory_id, 0), else_=1),
            Guide.published_at.desc(),
        )
        .limit(limit)
    )
    return [(g, v) for g, v in db.session.execute(stmt).all()]


def ticket_uses(ticket_id: int) -> list[GuideUse]:
    """The guides recorded on a ticket, with their guide and version."""
    return list(
        db.session.scalars(
            sa.select(GuideUse)
            .where(GuideUse.ticket_id == ticket_id)
            .options(selectinload(GuideUse.guide), selectinload(GuideUse.version))
            .order_by(GuideUse.recorded_at)
        )
    )


# Built once: the tool's page (the scan path) asks it on every view; SQLAlchemy then reuses its cache key.
_FOR_TOOL_CATEGORY = (
    sa.select(Guide, GuideVersion)
    .join(GuideVersion, sa.and_(GuideVersion.guide_id == Guide.id, GuideVersion.number == Guide.published_number))
    .join(GuideToolCategory, GuideToolCategory.version_id == GuideVersion.id)
    .where(GuideToolCategory.category_id == sa.bindparam("category_id"), Guide.published_number.is_not(None))
    .order_by(sa.case((GuideVersion.safety != "", 0), else_=1), GuideVersion.title)
    .limit(sa.bindparam("rows"))
)


def for_tool_category(category_id: int, limit: int = PANEL_ROWS) -> list[tuple[Guide, GuideVersion]]:
    """Published guides whose public version needs tools of this inventory category, safety briefings first."""
    rows = db.session.execute(_FOR_TOOL_CATEGORY, {"category_id": category_id, "rows": limit}).all()
    return [(g, v) for g, v in rows]


def public_workshop_plans(territory_id: int | None = None) -> list[tuple[Guide, GuideVersion]]:
    """Published workshop plans (the territory's first), to attach to a session."""
    stmt = (
        sa.select(Guide, GuideVersion)
        .join(GuideVersion, sa.and_(GuideVersion.guide_id == Guide.id, GuideVersion.number == Guide.published_number))
        .where(Guide.published_number.is_not(None), Guide.kind == GuideKind.WORKSHOP)
        .order_by(sa.case((Guide.territory_id == territory_id, 0), else_=1), GuideVersion.title)
        .limit(200)
    )
    return [(g, v) for g, v in db.session.execute(stmt).all()]


@dataclass(frozen=True)
class WrittenGuide:
    """A published guide a talent wrote a version of, with the skills its public version exercises."""

    slug: str
    title: str
    kind: GuideKind
    skills: tuple[str, ...]
    skill_ids: tuple[int, ...]


def written_by(user: User) -> list[WrittenGuide]:
    """The published guides the person wrote (a version of), as evidence of their skills; two queries."""
    author_of = sa.select(GuideVersion.guide_id).where(GuideVersion.created_by_id == user.id)
    rows = db.session.execute(
        sa.select(Guide, GuideVersion)
        .join(GuideVersion, sa.and_(GuideVersion.guide_id == Guide.id, GuideVersion.number == Guide.published_number))
        .where(Guide.published_number.is_not(None), Guide.id.in_(author_of))
        .options(selectinload(GuideVersion.skills).selectinload(GuideSkill.skill))
        .order_by(Guide.published_at.desc())
        .limit(30)
    ).all()
    out = []
    for guide, version in rows:
        skills = sorted(version.skills, key=lambda s: s.skill.name)
        out.append(
            WrittenGuide(
                guide.slug,
                version.title,
                guide.kind,
                tuple(f"{s.skill.name} ({SkillLevel(s.level).label})" for s in skills),
                tuple(s.skill_id for s in skills),
            )
        )
    return out


# --- Versions and their differences --------------------------------------------------------------------------------


def version_lines(version: GuideVersion) -> list[str]:
    """A version as lines of text, the way the difference between two versions reads it."""
    workshop = version.guide.kind == GuideKind.WORKSHOP
    lines = [f"# {version.title}", ""]
    summary_title = _("Objectives") if workshop else _("Symptom")
    for title, text in ((summary_title, version.summary), (_("Safety"), version.safety)):
        if text:
            lines += [f"## {title}", *text.splitlines(), ""]
    if workshop:
        if version.duration_minutes:
            lines.append(_("Duration: %(num)d minutes", num=version.duration_minutes))
        if version.group_size:
            lines.append(_("Group: %(num)d people", num=version.group_size))
    if version.tool_categories:
        names = sorted(t.category.path for t in version.tool_categories)
        lines += [f"## {_('Tools')}", *(f"- {n}" for n in names), ""]
    if version.parts:
        lines += [f"## {_('Materials') if workshop else _('Parts')}"]
        lines += [f"- {p.quantity} × {p.name}" if p.quantity else f"- {p.name}" for p in version.parts]
        lines.append("")
    if version.skills:
        lines += [f"## {_('Skills')}"]
        lines += sorted(f"- {s.skill.name}: {SkillLevel(s.level).label}" for s in version.skills)
        lines.append("")
    for step in version.steps:
        heading = f"## {_('Step %(num)d', num=step.position)}"
        if step.title:
            heading += f" · {step.title}"
        if step.minutes is not None:
            heading += f" ({step.minutes} min)"
        lines += [heading, *step.text.splitlines()]
        lines += [_("[photo %(name)s]", name=p.key[:8]) for p in step.photos]
        lines.append("")
    if workshop and version.learning_check:
        lines += [f"## {_('How to check what was learnt')}", *version.learning_check.splitlines()]
    return lines


@dataclass(frozen=True)
class DiffRow:
    """A row of the side-by-side difference: what kind (same, changed, added, removed), the lines and numbers."""

    kind: str
    left_no: int | None
    left: str
    right_no: int | None
    right: str


def diff(old: GuideVersion, new: GuideVersion, context: int = 2) -> list[DiffRow | None]:
    """The difference between two versions, side by side, with `context` unchanged lines around each change (None
    marks lines left out)."""
    a, b = version_lines(old), version_lines(new)
    rows: list[DiffRow | None] = []
    for group in difflib.SequenceMatcher(None, a, b, autojunk=False).get_grouped_opcodes(context):
        if rows:
            rows.append(None)
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                pairs = zip(range(i1, i2), range(j1, j2), strict=True)
                rows += [DiffRow("same", i + 1, a[i], j + 1, b[j]) for i, j in pairs]
                continue
            left, right = list(range(i1, i2)), list(range(j1, j2))
            for n in range(max(len(left), len(right))):
                i = left[n] if n < len(left) else None
                j = right[n] if n < len(right) else None
                kind = "changed" if i is not None and j is not None else ("removed" if j is None else "added")
                rows.append(
                    DiffRow(
                        kind,
                        i + 1 if i is not None else None,
                        a[i] if i is not None else "",
                        j + 1 if j is not None else None,
                        b[j] if j is not None else "",
                    )
                )
    return rows
