"""Use cases of guides: write a guide (each save a new version), propose it, publish it or send it back, withdraw it,
choose one's credit; record a guide followed on a repair ticket; attach a workshop plan to a session.

Every function checks its permission (access.py), refuses bad input with a translated message next to its field,
writes the audit log and flushes; the view commits.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from flask_babel import gettext as _

from repairlab import images
from repairlab.audit.services import record
from repairlab.clock import utcnow
from repairlab.database import flush_or_conflict, lock_row
from repairlab.errors import Conflict, NotFound, PermissionDenied, ValidationError
from repairlab.extensions import db
from repairlab.guides import access
from repairlab.guides.models import (
    LANGUAGES,
    CreditChoice,
    Guide,
    GuideCredit,
    GuideKind,
    GuidePart,
    GuidePublication,
    GuideSessionPlan,
    GuideSkill,
    GuideStatus,
    GuideStep,
    GuideStepPhoto,
    GuideToolCategory,
    GuideUse,
    GuideVersion,
    Helped,
    Licence,
)
from repairlab.inventory.models import Category
from repairlab.pagination import fold
from repairlab.people.models import Territory, User
from repairlab.programme.models import ActivitySession
from repairlab.repairs.access import can_repair
from repairlab.repairs.models import RepairCategory, RepairTicket
from repairlab.skills.models import MAX_LEVEL, MIN_LEVEL, Skill
from repairlab.text import clean_name, clean_text

MAX_TITLE = 160
MAX_TEXT = 20_000
MAX_NOTE = 300
MAX_STEPS = 60
MAX_PHOTOS_PER_STEP = 6
MAX_PARTS = 40
MAX_SKILLS = 20
MAX_TOOLS = 20
MAX_QUANTITY = 10_000
MAX_SLUG = 60


class SaveAction(StrEnum):
    """What a save does besides making a new version."""

    DRAFT = "draft"  # keep working on it
    PROPOSE = "propose"  # ask a mentor or lab manager to publish it
    PUBLISH = "publish"  # make it the public version (reviewers)


@dataclass(frozen=True)
class GuideFields:
    """What a guide is about, the same for all its versions."""

    kind: GuideKind
    language: str = "fr"
    licence: Licence = Licence.CC_BY_SA_4
    repair_category_id: int | None = None
    brand: str = ""
    model: str = ""


@dataclass
class StepInput:
    """A step as typed: its photos kept from the version it was edited from (their ids) and new photo files."""

    title: str = ""
    text: str = ""
    minutes: int | None = None
    keep_photo_ids: list[int] = field(default_factory=list)
    new_photos: list[Any] = field(default_factory=list)  # file streams


@dataclass
class VersionInput:
    """What a new version says."""

    title: str
    summary: str = ""
    safety: str = ""
    duration_minutes: int | None = None
    group_size: int | None = None
    learning_check: str = ""
    change_note: str = ""
    steps: list[StepInput] = field(default_factory=list)
    tool_category_ids: list[int] = field(default_factory=list)
    parts: list[tuple[str, int | None]] = field(default_factory=list)
    skills: list[tuple[int, int]] = field(default_factory=list)  # (skill id, level)


@dataclass(frozen=True)
class _Photo:
    key: str
    thumb_key: str
    width: int
    height: int
    caption: str = ""


@dataclass(frozen=True)
class _Step:
    title: str
    text: str
    minutes: int | None
    photos: tuple[_Photo, ...]


@dataclass(frozen=True)
class _Content:
    """A version's content, cleaned: two equal contents say the same thing."""

    title: str
    summary: str
    safety: str
    duration_minutes: int | None
    group_size: int | None
    learning_check: str
    steps: tuple[_Step, ...]
    tool_category_ids: tuple[int, ...]
    parts: tuple[tuple[str, int | None], ...]
    skills: tuple[tuple[int, int], ...]


# --- Checking what was typed -------------------------------------------------------------------------------------


def _check_fields(fields: GuideFields, guide: Guide | None) -> GuideFields:
    if not isinstance(fields.kind, GuideKind):
        raise ValidationError(_("Choose a repair guide or a workshop plan."), field="kind")
    if fields.language not in LANGUAGES:
        raise ValidationError(_("Choose French or English."), field="language")
    if not isinstance(fields.licence, Licence):
        raise ValidationError(_("Choose a licence of the list."), field="licence")
    if guide is not None and guide.kind != fields.kind:
        raise ValidationError(_("A guide keeps its kind; start a new one."), field="kind")
    if guide is not None and guide.published_number is not None and fields.licence != guide.licence:
        # What was published under a licence stays under it: the licence is chosen before publishing.
        raise ValidationError(
            _("A published guide keeps its licence: what was published under it stays so."), field="licence"
        )
    category_id = fields.repair_category_id
    if category_id is not None:
        category = db.session.get(RepairCategory, category_id)
        if category is None or not category.active:
            raise ValidationError(_("Choose a kind of object of the list."), field="repair_category_id")
    elif fields.kind == GuideKind.REPAIR:
        raise ValidationError(_("Choose the kind of object this guide repairs."), field="repair_category_id")
    brand = " ".join((fields.brand or "").split())
    model = " ".join((fields.model or "").split())
    if len(brand) > 80:
        raise ValidationError(_("The name is too long (%(max)d characters at most).", max=80), field="brand")
    if len(model) > 80:
        raise ValidationError(_("The name is too long (%(max)d characters at most).", max=80), field="model")
    return GuideFields(fields.kind, fields.language, fields.licence, category_id, brand, model)


def _optional_int(value: int | None, low: int, high: int, message: str, field_name: str) -> int | None:
    if value is None:
        return None
    if not low <= value <= high:
        raise ValidationError(message, field=field_name)
    return value


def _check_content(kind: GuideKind, content: VersionInput, base: GuideVersion | None) -> tuple[_Content, list]:
    """The cleaned content, and the steps' new photo files still to store (step index, stream)."""
    title = clean_name(content.title, limit=MAX_TITLE, required=_("Give the guide a title."), field="title")
    summary = clean_text(content.summary, field="summary", limit=MAX_TEXT)
    safety = clean_text(content.safety, field="safety", limit=MAX_TEXT)
    workshop = kind == GuideKind.WORKSHOP
    duration = group_size = None
    learning_check = ""
    if workshop:
        duration = _optional_int(
            content.duration_minutes, 1, 1440, _("A session lasts between 1 minute and 24 hours."), "duration_minutes"
        )
        group_size = _optional_int(content.group_size, 1, 200, _("A group has between 1 and 200 people."), "group_size")
        learning_check = clean_text(content.learning_check, field="learning_check", limit=MAX_TEXT)
    base_photos = {p.id: p for s in (base.steps if base is not None else ()) for p in s.photos}
    steps: list[_Step] = []
    uploads = []
    for index, step in enumerate(content.steps):
        prefix = f"steps-{index}-"
        step_title = " ".join((step.title or "").split())
        if len(step_title) > MAX_TITLE:
            raise ValidationError(
                _("The name is too long (%(max)d characters at most).", max=MAX_TITLE), field=prefix + "title"
            )
        text = clean_text(step.text, field=prefix + "text", limit=MAX_TEXT)
        minutes = (
            _optional_int(step.minutes, 0, 1440, _("Between 0 and 1,440 minutes."), prefix + "minutes")
            if workshop
            else None
        )
        kept = []
        for photo_id in step.keep_photo_ids:
            photo = base_photos.get(photo_id)
            if photo is None:
                raise ValidationError(_("This photo is not one of the guide's."), field=prefix + "photos")
            kept.append(_Photo(photo.key, photo.thumb_key, photo.width, photo.height, photo.caption))
        new = [stream for stream in step.new_photos if stream is not None]
        if len(kept) + len(new) > MAX_PHOTOS_PER_STEP:
            raise ValidationError(
                _("A step has %(max)d photos at most.", max=MAX_PHOTOS_PER_STEP), field=prefix + "photos"
            )
        if not step_title and not text and not kept and not new:
            continue  # an empty step (the blank one at the end of the form) is no step
        uploads.extend((len(steps), stream) for stream in new)
        steps.append(_Step(step_title, text, minutes, tuple(kept)))
    if len(steps) > MAX_STEPS:
        raise ValidationError(_("A guide has %(max)d steps at most.", max=MAX_STEPS), field="title")
    tools = sorted(set(content.tool_category_ids))
    if len(tools) > MAX_TOOLS:
        raise ValidationError(_("%(max)d tools at most.", max=MAX_TOOLS), field="tool_category_ids")
    if tools and db.session.scalar(sa.select(sa.func.count()).where(Category.id.in_(tools))) != len(tools):
        raise ValidationError(_("Choose categories of the inventory."), field="tool_category_ids")
    parts = []
    for index, (typed, count) in enumerate(content.parts):
        name = " ".join((typed or "").split())
        if not name:
            continue
        if len(name) > MAX_TITLE:
            raise ValidationError(
                _("The name is too long (%(max)d characters at most).", max=MAX_TITLE), field=f"parts-{index}-name"
            )
        quantity = _optional_int(
            count, 1, MAX_QUANTITY, _("A quantity between 1 and 10,000."), f"parts-{index}-quantity"
        )
        parts.append((name, quantity))
    if len(parts) > MAX_PARTS:
        raise ValidationError(_("%(max)d lines at most.", max=MAX_PARTS), field="parts")
    skills: dict[int, int] = {}
    for skill_id, level in content.skills:
        if not MIN_LEVEL <= level <= MAX_LEVEL:
            raise ValidationError(_("Choose a level of the scale."), field="skills")
        skills[skill_id] = max(level, skills.get(skill_id, 0))
    if len(skills) > MAX_SKILLS:
        raise ValidationError(_("%(max)d skills at most.", max=MAX_SKILLS), field="skills")
    if skills:
        found = db.session.scalar(sa.select(sa.func.count()).where(Skill.id.in_(list(skills)), Skill.active.is_(True)))
        if found != len(skills):
            raise ValidationError(_("Choose skills of the catalogue."), field="skills")
    cleaned = _Content(
        title=title,
        summary=summary,
        safety=safety,
        duration_minutes=duration,
        group_size=group_size,
        learning_check=learning_check,
        steps=tuple(steps),
        tool_category_ids=tuple(tools),
        parts=tuple(parts),
        skills=tuple(sorted(skills.items())),
    )
    return cleaned, uploads


def content_of(version: GuideVersion) -> _Content:
    """What a stored version says, as _check_content cleans it (to compare)."""
    return _Content(
        title=version.title,
        summary=version.summary,
        safety=version.safety,
        duration_minutes=version.duration_minutes,
        group_size=version.group_size,
        learning_check=version.learning_check,
        steps=tuple(
            _Step(
                s.title,
                s.text,
                s.minutes,
                tuple(_Photo(p.key, p.thumb_key, p.width, p.height, p.caption) for p in s.photos),
            )
            for s in version.steps
        ),
        tool_category_ids=tuple(sorted(t.category_id for t in version.tool_categories)),
        parts=tuple((p.name, p.quantity) for p in version.parts),
        skills=tuple(sorted((s.skill_id, s.level) for s in version.skills)),
    )


# --- Slugs and search text ---------------------------------------------------------------------------------------

_NOT_SLUG = re.compile(r"[^a-z0-9]+")
# Addresses of the blueprint's own pages (/guides/new, /guides/work…): no guide may hide them.
RESERVED_SLUGS = frozenset({"new", "work", "preview", "tickets", "uses", "sessions", "export", "import"})


def slugify(title: str) -> str:
    """A readable address from a title ("Bouilloire qui ne chauffe plus" -> "bouilloire-qui-ne-chauffe-plus")."""
    slug = _NOT_SLUG.sub("-", fold(title)).strip("-")[:MAX_SLUG].rstrip("-")
    return slug or "guide"


def free_slug(wanted: str) -> str:
    """The wanted slug, or with the first free number after it ("-2", "-3"...)."""
    taken = set(
        db.session.scalars(
            sa.select(Guide.slug).where(sa.or_(Guide.slug == wanted, Guide.slug.like(f"{wanted}-%", escape="\\")))
        )
    )
    if wanted in RESERVED_SLUGS:
        taken.add(wanted)
    if wanted not in taken:
        return wanted
    number = 2
    while f"{wanted}-{number}" in taken:
        number += 1
    return f"{wanted}-{number}"


def search_text(guide: Guide, version: GuideVersion) -> str:
    """The folded text the public search reads: title, summary, safety, steps, brand, model, kind of object."""
    parts = [version.title, version.summary, version.safety, guide.brand, guide.model, version.learning_check]
    if guide.repair_category is not None:
        parts.append(guide.repair_category.name)
    for step in version.steps:
        parts.extend((step.title, step.text))
    return fold("\n".join(p for p in parts if p))


# --- Writing ----------------------------------------------------------------------------------------------------


def _store_photos(uploads: list, steps: list[_Step]) -> list[_Step]:
    """Store the new photos (checked and re-encoded by repairlab.images); a refused file is named at its step."""
    added: dict[int, list[_Photo]] = {}
    for index, stream in uploads:
        try:
            stored = images.save_image(stream)
        except ValidationError as error:
            raise ValidationError(error.message, field=f"steps-{index}-photos") from None
        added.setdefault(index, []).append(_Photo(stored.key, stored.thumb_key, stored.width, stored.height))
    return [
        _Step(s.title, s.text, s.minutes, s.photos + tuple(added.get(i, ()))) if i in added else s
        for i, s in enumerate(steps)
    ]


def _new_version(actor: User | None, guide: Guide, number: int, content: _Content, change_note: str) -> GuideVersion:
    version = GuideVersion(
        number=number,
        created_by_id=actor.id if actor is not None else None,
        change_note=change_note,
        title=content.title,
        summary=content.summary,
        safety=content.safety,
        duration_minutes=content.duration_minutes,
        group_size=content.group_size,
        learning_check=content.learning_check,
    )
    for position, step in enumerate(content.steps, start=1):
        row = GuideStep(position=position, title=step.title, text=step.text, minutes=step.minutes)
        row.photos = [
            GuideStepPhoto(
                position=n, key=p.key, thumb_key=p.thumb_key, width=p.width, height=p.height, caption=p.caption
            )
            for n, p in enumerate(step.photos, start=1)
        ]
        version.steps.append(row)
    version.tool_categories = [GuideToolCategory(category_id=c) for c in content.tool_category_ids]
    version.parts = [GuidePart(position=n, name=name, quantity=q) for n, (name, q) in enumerate(content.parts, 1)]
    version.skills = [GuideSkill(skill_id=s, level=level) for s, level in content.skills]
    guide.versions.append(version)  # (the cascade from the guide adds it to the session)
    return version


def _apply(actor: User, guide: Guide, action: SaveAction) -> None:
    """The status the save asks for (the permission to publish checked)."""
    if action == SaveAction.PUBLISH:
        _publish_latest(actor, guide)
    elif action == SaveAction.PROPOSE:
        if not guide.latest.steps:
            raise ValidationError(_("Write at least one step before proposing the guide."), field="steps-0-text")
        guide.status = GuideStatus.PROPOSED
    elif guide.status != GuideStatus.WITHDRAWN:
        guide.status = GuideStatus.DRAFT


def create_guide(
    actor: User, territory: Territory, fields: GuideFields, content: VersionInput, action: SaveAction
) -> Guide:
    """Start a guide in a territory with its first version."""
    if not access.can_write(actor, territory.id):
        raise PermissionDenied(_("You may not write guides in this territory."))
    fields = _check_fields(fields, None)
    cleaned, uploads = _check_content(fields.kind, content, None)
    note = clean_text(content.change_note, field="change_note", limit=MAX_NOTE)
    cleaned = _replace_steps(cleaned, _store_photos(uploads, list(cleaned.steps)))
    guide = Guide(
        uid=str(uuid.uuid4()),
        slug=free_slug(slugify(cleaned.title)),
        territory_id=territory.id,
        kind=fields.kind,
        language=fields.language,
        licence=fields.licence,
        repair_category_id=fields.repair_category_id,
        brand=fields.brand,
        model=fields.model,
        status=GuideStatus.DRAFT,
        latest_number=1,
        created_by_id=actor.id,
    )
    db.session.add(guide)
    _new_version(actor, guide, 1, cleaned, note or _("First version"))
    flush_or_conflict(_("Another guide took this address at the same time; save again."), "title")
    _apply(actor, guide, action)
    db.session.flush()
    record(actor, "guide.create", guide, after=_summary(guide), label=cleaned.title)
    return guide


def _replace_steps(content: _Content, steps: list[_Step]) -> _Content:
    return _Content(**{**content.__dict__, "steps": tuple(steps)})


def save_version(
    actor: User, guide: Guide, fields: GuideFields, content: VersionInput, action: SaveAction
) -> GuideVersion:
    """Save a new version of the guide (nothing else changes an existing one), then draft, propose or publish.

    Saving without any change makes no version: it is refused, unless it proposes or publishes the latest one."""
    if not access.can_edit(actor, guide):
        raise PermissionDenied(_("You may not change this guide."))
    lock_row(Guide.updated_at, guide.id)
    db.session.refresh(guide)
    fields = _check_fields(fields, guide)
    latest = guide.latest
    cleaned, uploads = _check_content(fields.kind, content, latest)
    note = clean_text(content.change_note, field="change_note", limit=MAX_NOTE)
    before = _summary(guide)
    fields_changed = (
        fields.language,
        fields.licence,
        fields.repair_category_id,
        fields.brand,
        fields.model,
    ) != (guide.language, guide.licence, guide.repair_category_id, guide.brand, guide.model)
    if not uploads and cleaned == content_of(latest) and not fields_changed:
        if action == SaveAction.DRAFT:
            raise ValidationError(_("Nothing changed since version %(num)d.", num=latest.number), field="title")
        _apply(actor, guide, action)
        db.session.flush()
        record(actor, f"guide.{action.value}", guide, before=before, after=_summary(guide), label=latest.title)
        return latest
    cleaned = _replace_steps(cleaned, _store_photos(uploads, list(cleaned.steps)))
    guide.language, guide.licence = fields.language, fields.licence
    guide.repair_category_id, guide.brand, guide.model = fields.repair_category_id, fields.brand, fields.model
    number = guide.latest_number + 1
    version = _new_version(actor, guide, number, cleaned, note)
    guide.latest_number = number
    if guide.status == GuideStatus.PUBLISHED:
        guide.status = GuideStatus.DRAFT  # the new version is not the public one (yet): _apply says what it is
    flush_or_conflict(_("Someone saved this guide at the same time; open it again."), "title")
    db.session.expire(guide, ["latest"])
    _apply(actor, guide, action)
    db.session.flush()
    record(actor, "guide.version", guide, before=before, after=_summary(guide), label=cleaned.title)
    return version


def _summary(guide: Guide) -> dict:
    return {
        "status": guide.status.value,
        "latest_number": guide.latest_number,
        "published_number": guide.published_number,
        "licence": guide.licence.value,
        "language": guide.language,
    }


def _publish_latest(actor: User, guide: Guide) -> None:
    if not access.can_publish(actor, guide):
        raise PermissionDenied(_("A mentor or a lab manager of the territory publishes guides."))
    latest = guide.latest
    if not latest.steps:
        raise ValidationError(_("Write at least one step before publishing the guide."), field="steps-0-text")
    guide.status = GuideStatus.PUBLISHED
    guide.published_number = latest.number
    guide.published_at = utcnow()
    guide.review_note = ""
    guide.search_text = search_text(guide, latest)
    db.session.flush()
    db.session.expire(guide, ["published"])
    if not db.session.scalar(
        sa.select(sa.func.count()).where(
            GuidePublication.guide_id == guide.id, GuidePublication.number == latest.number
        )
    ):
        db.session.add(
            GuidePublication(guide_id=guide.id, number=latest.number, version_id=latest.id, published_by_id=actor.id)
        )


def publish(actor: User, guide: Guide) -> Guide:
    """Publish the latest version (a reviewer, e.g. after reading a talent's proposal)."""
    if not access.can_publish(actor, guide):
        raise PermissionDenied(_("A mentor or a lab manager of the territory publishes guides."))
    lock_row(Guide.updated_at, guide.id)
    db.session.refresh(guide)
    if guide.status == GuideStatus.PUBLISHED:
        raise Conflict(_("This version is published already."))
    before = _summary(guide)
    _publish_latest(actor, guide)
    db.session.flush()
    record(actor, "guide.publish", guide, before=before, after=_summary(guide), label=guide.latest.title)
    return guide


def propose(actor: User, guide: Guide) -> Guide:
    """Ask the territory's mentors and lab managers to publish the latest version."""
    if not access.can_edit(actor, guide):
        raise PermissionDenied(_("You may not change this guide."))
    if guide.status in (GuideStatus.PROPOSED, GuideStatus.PUBLISHED):
        raise Conflict(_("This version is proposed or published already."))
    before = _summary(guide)
    _apply(actor, guide, SaveAction.PROPOSE)
    db.session.flush()
    record(actor, "guide.propose", guide, before=before, after=_summary(guide), label=guide.latest.title)
    return guide


def send_back(actor: User, guide: Guide, note: str) -> Guide:
    """Send a proposal back to its author with a note saying what to change."""
    if not access.can_publish(actor, guide):
        raise PermissionDenied(_("A mentor or a lab manager of the territory reviews proposals."))
    if guide.status != GuideStatus.PROPOSED:
        raise Conflict(_("This guide waits for no review."))
    note = clean_text(note, field="note", limit=2000, required=_("Say what to change before publishing."))
    before = _summary(guide)
    guide.status = GuideStatus.DRAFT
    guide.review_note = note
    db.session.flush()
    record(actor, "guide.send_back", guide, before=before, after={**_summary(guide), "note": note})
    return guide


def withdraw(actor: User, guide: Guide) -> Guide:
    """Take a guide off the public pages (its versions stay; publishing one again makes it public)."""
    if not access.can_publish(actor, guide):
        raise PermissionDenied(_("A mentor or a lab manager of the territory withdraws guides."))
    if guide.published_number is None:
        raise Conflict(_("This guide is not public."))
    before = _summary(guide)
    guide.status = GuideStatus.WITHDRAWN
    guide.published_number = None
    guide.search_text = ""
    db.session.flush()
    db.session.expire(guide, ["published"])
    record(actor, "guide.withdraw", guide, before=before, after=_summary(guide))
    return guide


def set_credit(actor: User, guide: Guide, choice: CreditChoice) -> GuideCredit:
    """How the actor, an author of the guide, is named on its public pages and in exports."""
    if not access.is_author(actor, guide):
        raise PermissionDenied(_("Only the guide's authors choose how they are credited."))
    if not isinstance(choice, CreditChoice):
        raise ValidationError(_("Choose how you are credited."), field="choice")
    credit = db.session.get(GuideCredit, (guide.id, actor.id))
    before = credit.choice.value if credit is not None else None
    if credit is None:
        credit = GuideCredit(guide_id=guide.id, user_id=actor.id, choice=choice)
        flush_or_conflict(_("Saved twice at the same time; try again."), "choice", new=credit)
    else:
        credit.choice = choice
        db.session.flush()
    record(actor, "guide.credit", guide, before={"credit": before}, after={"credit": choice.value})
    return credit


# --- Using guides in the work ------------------------------------------------------------------------------------


def public_guide(guide_id: int | None, kind: GuideKind | None = None) -> Guide:
    """A published guide by id (of that kind), or a refusal next to the field."""
    guide = db.session.get(Guide, guide_id) if guide_id is not None else None
    if guide is None or not guide.is_public or (kind is not None and guide.kind != kind):
        raise NotFound(_("Choose a published guide."), field="guide_id")
    return guide


def record_use(actor: User, ticket: RepairTicket, guide: Guide, helped: Helped | None = None) -> GuideUse:
    """Record that the ticket's repair followed the guide's published version (again: update whether it helped)."""
    if not can_repair(actor, ticket.territory_id):
        raise PermissionDenied(_("You may not record the repair of this ticket."))
    if not guide.is_public:
        raise NotFound(_("Choose a published guide."), field="guide_id")
    use = db.session.scalar(sa.select(GuideUse).where(GuideUse.ticket_id == ticket.id, GuideUse.guide_id == guide.id))
    before = use.helped.value if use is not None and use.helped is not None else None
    if use is None:
        use = GuideUse(
            ticket_id=ticket.id,
            guide_id=guide.id,
            version_id=guide.published.id,
            helped=helped,
            recorded_by_id=actor.id,
        )
        flush_or_conflict(_("This guide is recorded on the ticket already."), "guide_id", new=use)
    else:
        use.helped = helped
        use.recorded_by_id = actor.id
        use.recorded_at = utcnow()
        db.session.flush()
    record(
        actor,
        "guide.use",
        ticket,
        before={"guide": guide.slug, "helped": before},
        after={"guide": guide.slug, "helped": helped.value if helped else None},
    )
    return use


def remove_use(actor: User, use: GuideUse) -> None:
    """Remove a guide recorded on a ticket by mistake."""
    ticket = use.ticket
    if not can_repair(actor, ticket.territory_id):
        raise PermissionDenied(_("You may not record the repair of this ticket."))
    slug = use.guide.slug
    db.session.delete(use)
    db.session.flush()
    record(actor, "guide.use_remove", ticket, before={"guide": slug})


def attach_plan(actor: User, session: ActivitySession, guide: Guide) -> GuideSessionPlan:
    """The workshop plan run at this session (its published version); another plan replaces it."""
    if not access.can_attach_plan(actor, session.territory_id):
        raise PermissionDenied(_("You may not change this session."))
    if not guide.is_public or guide.kind != GuideKind.WORKSHOP:
        raise NotFound(_("Choose a published workshop plan."), field="guide_id")
    plan = db.session.get(GuideSessionPlan, session.id)
    before = {"guide": plan.guide.slug, "version": plan.version.number} if plan is not None else None
    version_id = guide.published.id
    if plan is None:
        plan = GuideSessionPlan(session_id=session.id)
        db.session.add(plan)
    plan.guide_id, plan.version_id = guide.id, version_id
    plan.attached_by_id, plan.attached_at = actor.id, utcnow()
    flush_or_conflict(_("Saved twice at the same time; try again."), "guide_id")
    record(
        actor,
        "guide.session_plan",
        session,
        before=before,
        after={"guide": guide.slug, "version": guide.published_number},
    )
    return plan


def detach_plan(actor: User, session: ActivitySession) -> None:
    """The session ran no plan after all."""
    if not access.can_attach_plan(actor, session.territory_id):
        raise PermissionDenied(_("You may not change this session."))
    plan = db.session.get(GuideSessionPlan, session.id)
    if plan is None:
        raise NotFound(_("This session has no plan."))
    before = {"guide": plan.guide.slug, "version": plan.version.number}
    db.session.delete(plan)
    db.session.flush()
    record(actor, "guide.session_plan_remove", session, before=before)
