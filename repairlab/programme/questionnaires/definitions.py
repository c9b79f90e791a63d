"""Defining questionnaires: a questionnaire and its draft version, the draft's scales and items, its moments, and
publishing. A published version never changes: every change below refuses anything but a draft, and a new version
is made by copying the latest one into a new draft."""

from __future__ import annotations

import re
from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import gettext as _

from repairlab.audit.services import PROGRAMME_WIDE, record, snapshot
from repairlab.clock import utcnow
from repairlab.database import flush_or_conflict, lock_row
from repairlab.errors import Conflict, PermissionDenied, ValidationError
from repairlab.extensions import db
from repairlab.people.models import User
from repairlab.programme.questionnaires.access import can_define
from repairlab.programme.questionnaires.models import (
    LIKERT_POINTS,
    ItemKind,
    MomentKind,
    Questionnaire,
    QuestionnaireItem,
    QuestionnaireMoment,
    QuestionnaireOption,
    QuestionnaireScale,
    QuestionnaireVersion,
    ScaleMethod,
    VersionStatus,
)
from repairlab.text import clean_name, clean_text

MAX_TITLE = 200
MAX_INTRO = 4000
MAX_KEY = 40
MAX_LABEL = 120
MAX_ITEM_TEXT = 500
MAX_CHOICES = 10
MAX_WEEKS = 520
_KEY = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
# Positions are unique: rows are renumbered through positions above every real one, then put in their places.
_PARKING = 100_000
VERSION_FIELDS = ("number", "status", "title_fr", "title_en", "intro_fr", "intro_en")
SCALE_FIELDS = ("key", "position", "label_fr", "label_en", "method", "max_missing")
ITEM_FIELDS = ("key", "position", "kind", "text_fr", "text_en", "scale_id", "reversed", "min_value", "max_value")

# The labels a new scale item starts with (the editor may change them): agreement, on 4 or 5 points.
DEFAULT_LIKERT_LABELS: dict[ItemKind, tuple[tuple[str, str], ...]] = {
    ItemKind.LIKERT4: (
        ("Pas du tout d’accord", "Strongly disagree"),
        ("Plutôt pas d’accord", "Somewhat disagree"),
        ("Plutôt d’accord", "Somewhat agree"),
        ("Tout à fait d’accord", "Strongly agree"),
    ),
    ItemKind.LIKERT5: (
        ("Pas du tout d’accord", "Strongly disagree"),
        ("Plutôt pas d’accord", "Somewhat disagree"),
        ("Ni d’accord ni pas d’accord", "Neither agree nor disagree"),
        ("Plutôt d’accord", "Somewhat agree"),
        ("Tout à fait d’accord", "Strongly agree"),
    ),
}


def _check_definer(actor: User) -> None:
    if not can_define(actor):
        raise PermissionDenied(_("Only the programme team and the researchers define questionnaires."))


def _check_draft(version: QuestionnaireVersion) -> None:
    """A published (or retired) version never changes: answers refer to exactly the text that was shown."""
    if version.status != VersionStatus.DRAFT:
        raise Conflict(_("A published version never changes: make a new version to change it."))


def _key(value: str | None, field: str = "key") -> str:
    key = (value or "").strip().lower()
    if not key:
        raise ValidationError(_("Enter a short key (letters, digits, - and _)."), field=field)
    if len(key) > MAX_KEY or not _KEY.match(key):
        raise ValidationError(
            _("A key has only lower-case letters without accents, digits, - and _ (%(max)d at most).", max=MAX_KEY),
            field=field,
        )
    return key


def _texts(title_fr: str | None, title_en: str | None, intro_fr: str | None, intro_en: str | None) -> dict:
    return {
        "title_fr": clean_name(title_fr, limit=MAX_TITLE, required=_("Enter the title in French."), field="title_fr"),
        "title_en": clean_name(title_en, limit=MAX_TITLE, required=_("Enter the title in English."), field="title_en"),
        "intro_fr": clean_text(intro_fr, field="intro_fr", limit=MAX_INTRO),
        "intro_en": clean_text(intro_en, field="intro_en", limit=MAX_INTRO),
    }


def _record(actor: User, action: str, obj, *, before=None, after=None, label: str) -> None:
    record(actor, action, obj, before=before, after=after, territory_id=PROGRAMME_WIDE, label=label)


# --- Questionnaires and versions ------------------------------------------------------------------------------------


def create_questionnaire(
    actor: User,
    *,
    key: str | None,
    title_fr: str | None,
    title_en: str | None,
    intro_fr: str | None = "",
    intro_en: str | None = "",
) -> QuestionnaireVersion:
    """A new questionnaire and its first version, a draft."""
    _check_definer(actor)
    key = _key(key)
    texts = _texts(title_fr, title_en, intro_fr, intro_en)
    if db.session.scalar(sa.select(Questionnaire.id).where(Questionnaire.key == key)) is not None:
        raise Conflict(_("Another questionnaire has this key."), field="key")
    questionnaire = Questionnaire(key=key, created_by_id=actor.id)
    flush_or_conflict(_("Another questionnaire has this key."), "key", new=questionnaire)
    version = QuestionnaireVersion(questionnaire_id=questionnaire.id, number=1, created_by_id=actor.id, **texts)
    db.session.add(version)
    db.session.flush()
    _record(actor, "questionnaires.create", version, after=snapshot(version, VERSION_FIELDS), label=str(version))
    return version


def update_version(
    actor: User,
    version: QuestionnaireVersion,
    *,
    title_fr: str | None,
    title_en: str | None,
    intro_fr: str | None,
    intro_en: str | None,
) -> QuestionnaireVersion:
    """Change a draft's title and introduction."""
    _check_definer(actor)
    _check_draft(version)
    texts = _texts(title_fr, title_en, intro_fr, intro_en)
    before = snapshot(version, VERSION_FIELDS)
    for name, value in texts.items():
        setattr(version, name, value)
    db.session.flush()
    _record(
        actor,
        "questionnaires.version_update",
        version,
        before=before,
        after=snapshot(version, VERSION_FIELDS),
        label=str(version),
    )
    return version


def latest_version(questionnaire: Questionnaire) -> QuestionnaireVersion | None:
    """The questionnaire's version with the highest number."""
    return db.session.scalar(
        sa.select(QuestionnaireVersion)
        .where(QuestionnaireVersion.questionnaire_id == questionnaire.id)
        .order_by(QuestionnaireVersion.number.desc())
        .limit(1)
    )


def new_version(actor: User, questionnaire: Questionnaire) -> QuestionnaireVersion:
    """A new draft, a copy of the latest version (texts, scales, items and options): the way to change a published
    questionnaire. Refused while a draft exists."""
    _check_definer(actor)
    lock_row(Questionnaire.key, questionnaire.id)
    source = latest_version(questionnaire)
    if source is None:
        raise Conflict(_("This questionnaire has no version to copy."))
    if source.status == VersionStatus.DRAFT:
        raise Conflict(_("A draft of this questionnaire already exists: change it, or publish it first."))
    draft = QuestionnaireVersion(
        questionnaire_id=questionnaire.id,
        number=source.number + 1,
        created_by_id=actor.id,
        title_fr=source.title_fr,
        title_en=source.title_en,
        intro_fr=source.intro_fr,
        intro_en=source.intro_en,
    )
    flush_or_conflict(_("A draft of this questionnaire already exists: change it, or publish it first."), new=draft)
    scales = {}
    for scale in source.scales:
        copy = QuestionnaireScale(version_id=draft.id, **{name: getattr(scale, name) for name in SCALE_FIELDS})
        db.session.add(copy)
        scales[scale.id] = copy
    db.session.flush()
    for item in source.items:
        values = {name: getattr(item, name) for name in ITEM_FIELDS if name != "scale_id"}
        copy = QuestionnaireItem(
            version_id=draft.id, scale_id=scales[item.scale_id].id if item.scale_id else None, **values
        )
        copy.options = [
            QuestionnaireOption(value=o.value, label_fr=o.label_fr, label_en=o.label_en) for o in item.options
        ]
        db.session.add(copy)
    db.session.flush()
    _record(
        actor,
        "questionnaires.new_version",
        draft,
        after={**snapshot(draft, VERSION_FIELDS), "copied_from": source.number},
        label=str(draft),
    )
    return draft


def discard_draft(actor: User, version: QuestionnaireVersion) -> None:
    """Delete a draft (never answered: only published versions are asked); a questionnaire keeps at least one
    version."""
    _check_definer(actor)
    _check_draft(version)
    if version.number == 1:
        raise Conflict(_("The first version of a questionnaire cannot be deleted: change it instead."))
    _record(
        actor, "questionnaires.discard_draft", version, before=snapshot(version, VERSION_FIELDS), label=str(version)
    )
    for item in list(version.items):
        db.session.delete(item)
    db.session.flush()
    db.session.delete(version)
    db.session.flush()


def publication_problems(version: QuestionnaireVersion) -> list[str]:
    """What keeps a draft from being published, in words (empty: ready)."""
    problems = []
    if not version.items:
        problems.append(_("The version has no item."))
    for scale in version.scales:
        items = [item for item in version.items if item.scale_id == scale.id]
        label = scale.label_fr
        if not items:
            problems.append(_("The scale “%(scale)s” has no item.", scale=label))
            continue
        if len({item.kind for item in items}) > 1:
            problems.append(_("The items of the scale “%(scale)s” must have the same number of points.", scale=label))
        if scale.max_missing >= len(items):
            problems.append(_("The scale “%(scale)s” allows as many missing answers as it has items.", scale=label))
    for item in version.items:
        points = LIKERT_POINTS.get(item.kind)
        if points is not None and len(item.options) != points:
            problems.append(_("Item %(position)d needs a label for each of its points.", position=item.position))
        if item.kind == ItemKind.CHOICE and len(item.options) < 2:
            problems.append(_("Item %(position)d needs at least two choices.", position=item.position))
    return problems


def publish(actor: User, version: QuestionnaireVersion) -> QuestionnaireVersion:
    """Publish a draft: from now on it is the version asked, and it never changes; the version published before is
    retired (answers begun on it are finished on it)."""
    _check_definer(actor)
    lock_row(Questionnaire.key, version.questionnaire_id)
    _check_draft(version)
    problems = publication_problems(version)
    if problems:
        raise ValidationError(_("This version cannot be published yet: %(problems)s", problems=" ".join(problems)))
    now = utcnow()
    current = db.session.scalar(
        sa.select(QuestionnaireVersion).where(
            QuestionnaireVersion.questionnaire_id == version.questionnaire_id,
            QuestionnaireVersion.status == VersionStatus.PUBLISHED,
        )
    )
    if current is not None:
        current.status, current.retired_at = VersionStatus.RETIRED, now
        db.session.flush()
        _record(actor, "questionnaires.retire", current, after={"status": "retired"}, label=str(current))
    version.status, version.published_at, version.published_by_id = VersionStatus.PUBLISHED, now, actor.id
    flush_or_conflict(_("Another version was published at the same time."))
    _record(actor, "questionnaires.publish", version, after=snapshot(version, VERSION_FIELDS), label=str(version))
    return version


# --- Scales ---------------------------------------------------------------------------------------------------------


def save_scale(
    actor: User,
    version: QuestionnaireVersion,
    scale: QuestionnaireScale | None,
    *,
    key: str | None,
    label_fr: str | None,
    label_en: str | None,
    method: ScaleMethod | None,
    max_missing: int | None,
) -> QuestionnaireScale:
    """Add a scale to a draft, or change one of its scales."""
    _check_definer(actor)
    _check_draft(version)
    if scale is not None and scale.version_id != version.id:
        raise ValidationError(_("This scale belongs to another version."))
    values = {
        "key": _key(key),
        "label_fr": clean_name(label_fr, limit=MAX_LABEL, required=_("Name the scale in French."), field="label_fr"),
        "label_en": clean_name(label_en, limit=MAX_LABEL, required=_("Name the scale in English."), field="label_en"),
        "method": method,
        "max_missing": max_missing if max_missing is not None else 0,
    }
    if method is None:
        raise ValidationError(_("Choose how the score is computed."), field="method")
    if not 0 <= values["max_missing"] <= 20:
        raise ValidationError(_("Enter a number from 0 to 20."), field="max_missing")
    if any(s.key == values["key"] and s is not scale for s in version.scales):
        raise Conflict(_("Another scale of this version has this key."), field="key")
    before = snapshot(scale, SCALE_FIELDS) if scale is not None else None
    if scale is None:
        scale = QuestionnaireScale(version_id=version.id, position=len(version.scales) + 1)
        version.scales.append(scale)
    for name, value in values.items():
        setattr(scale, name, value)
    flush_or_conflict(_("Another scale of this version has this key."), "key")
    _record(
        actor,
        "questionnaires.scale" if before is None else "questionnaires.scale_update",
        scale,
        before=before,
        after=snapshot(scale, SCALE_FIELDS),
        label=f"{version}: {scale.label_fr}",
    )
    return scale


def delete_scale(actor: User, scale: QuestionnaireScale) -> None:
    """Take a scale out of a draft; its items stay, outside any scale."""
    version = scale.version
    _check_definer(actor)
    _check_draft(version)
    for item in version.items:
        if item.scale_id == scale.id:
            item.scale_id, item.reversed = None, False
    db.session.flush()
    _record(
        actor, "questionnaires.scale_delete", scale, before=snapshot(scale, SCALE_FIELDS), label=f"{version}: {scale}"
    )
    version.scales.remove(scale)
    db.session.flush()
    for position, rest in enumerate(version.scales, start=1):
        rest.position = _PARKING + position
    db.session.flush()
    for rest in version.scales:
        rest.position -= _PARKING
    db.session.flush()


# --- Items ----------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class OptionText:
    """An option's words in French and English."""

    label_fr: str
    label_en: str


def _options(kind: ItemKind, options: list[OptionText]) -> list[OptionText]:
    cleaned = []
    for option in options:
        label_fr = " ".join((option.label_fr or "").split())
        label_en = " ".join((option.label_en or "").split())
        if not label_fr and not label_en:
            continue
        if not label_fr or not label_en:
            raise ValidationError(_("Give each option in French and in English."), field="options")
        if len(label_fr) > MAX_LABEL or len(label_en) > MAX_LABEL:
            raise ValidationError(_("An option has %(max)d characters at most.", max=MAX_LABEL), field="options")
        cleaned.append(OptionText(label_fr, label_en))
    points = LIKERT_POINTS.get(kind)
    if points is not None:
        if not cleaned:
            cleaned = [OptionText(fr, en) for fr, en in DEFAULT_LIKERT_LABELS[kind]]
        if len(cleaned) != points:
            raise ValidationError(
                _("A scale of %(points)d points has %(points)d labels, one per line.", points=points), field="options"
            )
    elif kind == ItemKind.CHOICE:
        if not 2 <= len(cleaned) <= MAX_CHOICES:
            raise ValidationError(_("Give from 2 to %(max)d choices, one per line.", max=MAX_CHOICES), field="options")
    elif cleaned:
        raise ValidationError(_("Only a scale or a choice has options."), field="options")
    return cleaned


def save_item(
    actor: User,
    version: QuestionnaireVersion,
    item: QuestionnaireItem | None,
    *,
    key: str | None,
    kind: ItemKind | None,
    text_fr: str | None,
    text_en: str | None,
    scale: QuestionnaireScale | None = None,
    reversed: bool = False,
    min_value: int | None = None,
    max_value: int | None = None,
    options: list[OptionText] | None = None,
) -> QuestionnaireItem:
    """Add an item at the end of a draft, or change one: its statement in both languages, its kind and options
    (a scale's point labels default to agreement), its scale and whether it is reversed, a number's bounds."""
    _check_definer(actor)
    _check_draft(version)
    if item is not None and item.version_id != version.id:
        raise ValidationError(_("This item belongs to another version."))
    key = _key(key)
    if kind is None:
        raise ValidationError(_("Choose what the item asks for."), field="kind")
    text_fr = clean_text(text_fr, field="text_fr", limit=MAX_ITEM_TEXT, required=_("Write the item in French."))
    text_en = clean_text(text_en, field="text_en", limit=MAX_ITEM_TEXT, required=_("Write the item in English."))
    if scale is not None:
        if scale.version_id != version.id:
            raise ValidationError(_("Choose a scale of this version."), field="scale_id")
        if kind not in LIKERT_POINTS:
            raise ValidationError(_("Only a scale of 4 or 5 points counts in a score."), field="scale_id")
    if reversed and scale is None:
        raise ValidationError(_("Only an item of a scale may be reversed."), field="reversed")
    if kind != ItemKind.NUMBER and (min_value is not None or max_value is not None):
        raise ValidationError(_("Only a number has bounds."), field="min_value")
    if min_value is not None and max_value is not None and min_value > max_value:
        raise ValidationError(_("The lowest number is above the highest."), field="max_value")
    cleaned = _options(kind, options or [])
    if any(other.key == key and other is not item for other in version.items):
        raise Conflict(_("Another item of this version has this key."), field="key")
    before = snapshot(item, ITEM_FIELDS) if item is not None else None
    if item is None:
        item = QuestionnaireItem(version_id=version.id, position=len(version.items) + 1)
        version.items.append(item)
    item.key, item.kind, item.text_fr, item.text_en = key, kind, text_fr, text_en
    item.scale_id = scale.id if scale is not None else None
    item.reversed, item.min_value, item.max_value = reversed, min_value, max_value
    item.options.clear()
    db.session.flush()
    item.options.extend(
        QuestionnaireOption(value=value, label_fr=o.label_fr, label_en=o.label_en)
        for value, o in enumerate(cleaned, start=1)
    )
    flush_or_conflict(_("Another item of this version has this key."), "key")
    _record(
        actor,
        "questionnaires.item" if before is None else "questionnaires.item_update",
        item,
        before=before,
        after={**snapshot(item, ITEM_FIELDS), "options": [o.label_fr for o in cleaned]},
        label=f"{version}: {item.position}",
    )
    return item


def _renumber(version: QuestionnaireVersion, ordered: list[QuestionnaireItem]) -> None:
    """Give the items their positions in this order."""
    for position, item in enumerate(ordered, start=1):
        item.position = _PARKING + position
    db.session.flush()
    for item in ordered:
        item.position -= _PARKING
    db.session.flush()
    db.session.expire(version, ["items"])


def move_item(actor: User, item: QuestionnaireItem, offset: int) -> QuestionnaireItem:
    """Move an item of a draft up (-1) or down (+1)."""
    version = item.version
    _check_definer(actor)
    _check_draft(version)
    ordered = list(version.items)
    index = ordered.index(item)
    target = index + offset
    if offset not in (-1, 1) or not 0 <= target < len(ordered):
        raise ValidationError(_("This item cannot move further."))
    ordered[index], ordered[target] = ordered[target], ordered[index]
    _renumber(version, ordered)
    _record(actor, "questionnaires.item_move", item, after={"position": item.position}, label=f"{version}: {item.key}")
    return item


def delete_item(actor: User, item: QuestionnaireItem) -> None:
    """Take an item out of a draft; the next ones move up."""
    version = item.version
    _check_definer(actor)
    _check_draft(version)
    _record(
        actor, "questionnaires.item_delete", item, before=snapshot(item, ITEM_FIELDS), label=f"{version}: {item.key}"
    )
    rest = [other for other in version.items if other is not item]
    version.items.remove(item)
    db.session.flush()
    _renumber(version, rest)


# --- Moments --------------------------------------------------------------------------------------------------------


def add_moment(
    actor: User, questionnaire: Questionnaire, moment: MomentKind | None, weeks: int | None = None
) -> QuestionnaireMoment:
    """Ask the questionnaire at a moment of the path (for "weeks after enrolment": after how many weeks)."""
    _check_definer(actor)
    if moment is None:
        raise ValidationError(_("Choose the moment."), field="moment")
    if moment == MomentKind.WEEKS_AFTER_ENROLMENT:
        if weeks is None or not 1 <= weeks <= MAX_WEEKS:
            raise ValidationError(_("Enter a number of weeks from 1 to %(max)d.", max=MAX_WEEKS), field="weeks")
    else:
        weeks = 0
    if any(m.moment == moment and m.weeks == weeks for m in questionnaire.moments):
        raise Conflict(_("The questionnaire is already asked at this moment."), field="moment")
    found = QuestionnaireMoment(questionnaire_id=questionnaire.id, moment=moment, weeks=weeks)
    flush_or_conflict(_("The questionnaire is already asked at this moment."), "moment", new=found)
    db.session.expire(questionnaire, ["moments"])
    _record(
        actor,
        "questionnaires.moment",
        found,
        after={"moment": moment.value, "weeks": weeks},
        label=f"{questionnaire.key}: {moment.label}",
    )
    return found


def remove_moment(actor: User, moment: QuestionnaireMoment) -> None:
    """No longer ask the questionnaire at this moment (responses already given stay)."""
    _check_definer(actor)
    questionnaire = moment.questionnaire
    _record(
        actor,
        "questionnaires.moment_remove",
        moment,
        before={"moment": moment.moment.value, "weeks": moment.weeks},
        label=f"{questionnaire.key}: {moment.moment.label}",
    )
    db.session.delete(moment)
    db.session.flush()
    db.session.expire(questionnaire, ["moments"])
