"""The guides bundle, for the next territory: every published guide as Markdown files with their photos and a
manifest (licence, authors as they chose to be credited, versions, ORDS categories, tools, skills), and its import
into another instance.

The import refuses nothing silently and imports nothing twice: a guide is recognised by its uid (the same in every
instance), a version by its number; each guide goes in whole or not at all (a savepoint), and the report says what
was imported, what was already there, what was left out (a tool category or a skill this instance does not have)
and what was refused, and why. Photos go through repairlab.images like any upload (checked, re-encoded).
"""

from __future__ import annotations

import io
import json
import zipfile
from dataclasses import dataclass, field
from datetime import datetime
from typing import IO, Any

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from repairlab import images
from repairlab.audit.services import record
from repairlab.clock import utcnow
from repairlab.errors import DomainError, PermissionDenied, ValidationError
from repairlab.extensions import db
from repairlab.guides import access, queries, services
from repairlab.guides.models import (
    LANGUAGES,
    Guide,
    GuideKind,
    GuidePart,
    GuidePublication,
    GuideSkill,
    GuideStatus,
    GuideStep,
    GuideStepPhoto,
    GuideToolCategory,
    GuideVersion,
    Licence,
)
from repairlab.inventory.models import Category
from repairlab.people.models import Territory, User
from repairlab.repairs.models import RepairCategory
from repairlab.skills.models import MAX_LEVEL, MIN_LEVEL, Skill
from repairlab.text import clean_name, clean_text

FORMAT = "repairlab-guides"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
MAX_BUNDLE_FILES = 20_000
MAX_MANIFEST_BYTES = 20 * 1024 * 1024


# --- Export -------------------------------------------------------------------------------------------------------


def _published_versions(guide: Guide) -> list[tuple[GuideVersion, GuidePublication]]:
    publications = queries.publications(guide)
    return [(v, publications[v.number]) for v in guide.versions if v.number in publications]


def _version_markdown(guide: Guide, version: GuideVersion, authors: list[str], photo_files: dict[str, str]) -> str:
    """A version as a Markdown file anyone can read (and another wiki can take)."""
    lines = [f"# {version.title}", ""]
    lines.append(f"- {_('Licence')}: {guide.licence.short} ({guide.licence.url})")
    if authors:
        lines.append(f"- {_('Written by %(names)s.', names=', '.join(authors))}")
    lines.append(f"- {_('Version %(num)d', num=version.number)} · {version.created_at.date().isoformat()}")
    if guide.repair_category is not None:
        lines.append(f"- ORDS: {guide.repair_category.name}")
    if guide.brand or guide.model:
        lines.append(f"- {' '.join(p for p in (guide.brand, guide.model) if p)}")
    lines.append("")
    workshop = guide.kind == GuideKind.WORKSHOP
    for title, text in (
        (_("Safety"), version.safety),
        (_("Objectives") if workshop else _("Symptom"), version.summary),
    ):
        if text:
            lines += [f"## {title}", "", text, ""]
    if version.parts:
        lines += [f"## {_('Materials') if workshop else _('Parts')}", ""]
        lines += [f"- {p.quantity} × {p.name}" if p.quantity else f"- {p.name}" for p in version.parts]
        lines.append("")
    for step in version.steps:
        heading = f"## {_('Step %(num)d', num=step.position)}" + (f" · {step.title}" if step.title else "")
        lines += [heading, ""]
        lines += [f"![{p.caption or step.title}](../../{photo_files[p.key]})" for p in step.photos]
        lines += ["", step.text, ""] if step.text else [""]
    if workshop and version.learning_check:
        lines += [f"## {_('How to check what was learnt')}", "", version.learning_check, ""]
    return "\n".join(lines).rstrip() + "\n"


def _guide_manifest(guide: Guide, out: zipfile.ZipFile, photo_files: dict[str, str]) -> dict[str, Any]:
    versions = []
    for version, publication in _published_versions(guide):
        for step in version.steps:
            for photo in step.photos:
                if photo.key not in photo_files:
                    name = f"photos/{photo.key}"
                    photo_files[photo.key] = name
                    out.writestr(name, images.read_image(photo.key))
        authors = queries.credited_names(guide, version.number)
        own = [a for a in queries.authors(guide) if a.user_id == version.created_by_id]
        credited = own[0].name if own and version.created_by_id is not None else (version.credited_as or None)
        markdown_file = f"guides/{guide.slug}/v{version.number}.md"
        out.writestr(markdown_file, _version_markdown(guide, version, authors, photo_files))
        versions.append(
            {
                "number": version.number,
                "file": markdown_file,
                "created_at": version.created_at.isoformat(),
                "published_at": publication.published_at.isoformat(),
                "credited": credited,
                "change_note": version.change_note,
                "title": version.title,
                "summary": version.summary,
                "safety": version.safety,
                "duration_minutes": version.duration_minutes,
                "group_size": version.group_size,
                "learning_check": version.learning_check,
                "tool_categories": sorted(t.category.path for t in version.tool_categories),
                "parts": [{"name": p.name, "quantity": p.quantity} for p in version.parts],
                "skills": sorted(
                    ({"name": s.skill.name, "level": s.level} for s in version.skills), key=lambda s: s["name"]
                ),
                "steps": [
                    {
                        "position": s.position,
                        "title": s.title,
                        "text": s.text,
                        "minutes": s.minutes,
                        "photos": [
                            {"file": photo_files[p.key], "caption": p.caption, "width": p.width, "height": p.height}
                            for p in s.photos
                        ],
                    }
                    for s in version.steps
                ],
            }
        )
    return {
        "uid": guide.uid,
        "slug": guide.slug,
        "kind": guide.kind.value,
        "language": guide.language,
        "licence": {"id": guide.licence.value, "name": guide.licence.short, "url": guide.licence.url},
        "ords_category": (
            {"id": guide.repair_category.ords_id, "name": guide.repair_category.name} if guide.repair_category else None
        ),
        "brand": guide.brand,
        "model": guide.model,
        "territory": guide.territory.code,
        "origin": guide.origin or f"{current_app.config.get('PUBLIC_BASE_URL', '')} {guide.territory.code}".strip(),
        "authors": queries.credited_names(guide, guide.published_number),
        "published_number": guide.published_number,
        "versions": versions,
    }


def export_bundle(out: IO[bytes], territory: Territory | None = None) -> int:
    """Write every published guide (of a territory) as a ZIP bundle to `out`; return how many."""
    stmt = (
        sa.select(Guide)
        .where(Guide.published_number.is_not(None))
        .options(
            selectinload(Guide.versions).selectinload(GuideVersion.steps).selectinload(GuideStep.photos),
            selectinload(Guide.versions).selectinload(GuideVersion.tool_categories),
            selectinload(Guide.versions).selectinload(GuideVersion.parts),
            selectinload(Guide.versions).selectinload(GuideVersion.skills).selectinload(GuideSkill.skill),
        )
        .order_by(Guide.id)
    )
    if territory is not None:
        stmt = stmt.where(Guide.territory_id == territory.id)
    guides = list(db.session.scalars(stmt))
    photo_files: dict[str, str] = {}
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as bundle:
        entries = [_guide_manifest(guide, bundle, photo_files) for guide in guides]
        manifest = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "exported_at": utcnow().isoformat(),
            "source": current_app.config.get("PUBLIC_BASE_URL", ""),
            "territory": territory.code if territory is not None else None,
            "licences": {lic.value: {"name": lic.short, "url": lic.url} for lic in Licence},
            "guides": entries,
        }
        bundle.writestr(MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=2))
        bundle.writestr("README.md", _readme(len(entries)))
    return len(entries)


def _readme(count: int) -> str:
    return (
        "# RepairLab guides\n\n"
        f"{count} published guide(s): `guides/<slug>/v<n>.md` (one file per published version), their photos in "
        "`photos/`, and `manifest.json` (licence, credited authors, versions, ORDS categories, tools, skills).\n\n"
        "Each guide carries its own open licence (see the manifest and each file): reuse them under its terms, "
        "crediting the authors named.\n\n"
        "Import into another RepairLab: `flask --app app guides-import FILE.zip --territory CODE`.\n"
    )


# --- Import -------------------------------------------------------------------------------------------------------


@dataclass
class ImportReport:
    """What an import did, guide by guide."""

    imported: list[str] = field(default_factory=list)  # "slug: versions 1, 2"
    already_there: list[str] = field(default_factory=list)
    left_out: list[str] = field(default_factory=list)  # what a guide lost (a tool category, a skill unknown here)
    refused: list[str] = field(default_factory=list)  # "slug: reason"

    @property
    def ok(self) -> bool:
        """Whether nothing was refused."""
        return not self.refused


class BundleError(ValidationError):
    """The file is not a guides bundle this instance can read."""


def _read_manifest(bundle: zipfile.ZipFile) -> dict:
    names = bundle.namelist()
    if len(names) > MAX_BUNDLE_FILES or MANIFEST not in names:
        raise BundleError(_("This file is not a guides bundle (no manifest)."), field="file")
    info = bundle.getinfo(MANIFEST)
    if info.file_size > MAX_MANIFEST_BYTES:
        raise BundleError(_("The bundle's manifest is too large."), field="file")
    try:
        manifest = json.loads(bundle.read(MANIFEST).decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise BundleError(_("The bundle's manifest cannot be read."), field="file") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BundleError(_("This file is not a guides bundle."), field="file")
    if manifest.get("format_version") != FORMAT_VERSION:
        raise BundleError(
            _(
                "This bundle's format (version %(num)s) is not one this instance reads.",
                num=manifest.get("format_version"),
            ),
            field="file",
        )
    if not isinstance(manifest.get("guides"), list):
        raise BundleError(_("The bundle's manifest lists no guides."), field="file")
    return manifest


def _when(value: Any) -> datetime:
    try:
        moment = datetime.fromisoformat(str(value))
    except ValueError:
        raise ValidationError(_("A date of the bundle cannot be read: %(value)s.", value=value)) from None
    if moment.tzinfo is None:
        raise ValidationError(_("A date of the bundle has no time zone: %(value)s.", value=value))
    return moment


def _int_or_none(value: Any) -> int | None:
    if value is None:
        return None
    if not isinstance(value, int) or isinstance(value, bool):
        raise ValidationError(_("A number of the bundle cannot be read: %(value)s.", value=value))
    return value


class _Lookups:
    """This instance's ORDS categories, inventory categories and skills, by the names a bundle gives."""

    def __init__(self) -> None:
        self.ords = {c.name: c for c in db.session.scalars(sa.select(RepairCategory))}
        self.tools = {c.path.casefold(): c.id for c in db.session.scalars(sa.select(Category))}
        self.skills = {
            s.name.casefold(): s.id for s in db.session.scalars(sa.select(Skill).where(Skill.active.is_(True)))
        }


def _import_version(
    guide: Guide, data: dict, bundle: zipfile.ZipFile, lookups: _Lookups, left_out: set[str]
) -> GuideVersion:
    number = _int_or_none(data.get("number"))
    if number is None or number < 1:
        raise ValidationError(_("A version of the bundle has no number."))
    title = clean_name(data.get("title"), limit=services.MAX_TITLE, required=_("A version has no title."))
    version = GuideVersion(
        number=number,
        created_by_id=None,
        credited_as=clean_text(data.get("credited") or "", field="credited", limit=120),
        created_at=_when(data.get("created_at")),
        change_note=clean_text(data.get("change_note") or "", field="change_note", limit=services.MAX_NOTE),
        title=title,
        summary=clean_text(data.get("summary"), field="summary", limit=services.MAX_TEXT),
        safety=clean_text(data.get("safety"), field="safety", limit=services.MAX_TEXT),
        duration_minutes=_int_or_none(data.get("duration_minutes")),
        group_size=_int_or_none(data.get("group_size")),
        learning_check=clean_text(data.get("learning_check"), field="learning_check", limit=services.MAX_TEXT),
    )
    for index, step in enumerate(data.get("steps") or [], start=1):
        row = GuideStep(
            position=index,
            title=clean_text(step.get("title"), field="title", limit=services.MAX_TITLE),
            text=clean_text(step.get("text"), field="text", limit=services.MAX_TEXT),
            minutes=_int_or_none(step.get("minutes")),
        )
        for n, photo in enumerate(step.get("photos") or [], start=1):
            name = str(photo.get("file", ""))
            try:
                data_bytes = bundle.read(name)
            except KeyError:
                raise ValidationError(_("The photo %(name)s is missing from the bundle.", name=name)) from None
            try:
                stored = images.save_image(io.BytesIO(data_bytes))
            except ValidationError as error:
                raise ValidationError(_("%(name)s: %(reason)s", name=name, reason=error.message)) from None
            row.photos.append(
                GuideStepPhoto(
                    position=n,
                    key=stored.key,
                    thumb_key=stored.thumb_key,
                    width=stored.width,
                    height=stored.height,
                    caption=clean_text(photo.get("caption") or "", field="caption", limit=200),
                )
            )
        version.steps.append(row)
    for path in data.get("tool_categories") or []:
        category_id = lookups.tools.get(str(path).casefold())
        if category_id is None:
            left_out.add(_("tool category “%(name)s”", name=path))
        elif all(t.category_id != category_id for t in version.tool_categories):
            version.tool_categories.append(GuideToolCategory(category_id=category_id))
    for n, part in enumerate(data.get("parts") or [], start=1):
        name = clean_name(part.get("name"), limit=services.MAX_TITLE, required=_("A part has no name."))
        version.parts.append(GuidePart(position=n, name=name, quantity=_int_or_none(part.get("quantity"))))
    for skill in data.get("skills") or []:
        skill_id = lookups.skills.get(str(skill.get("name", "")).casefold())
        level = _int_or_none(skill.get("level"))
        if level is None or not MIN_LEVEL <= level <= MAX_LEVEL:
            raise ValidationError(_("A skill's level of the bundle is not on the scale."))
        if skill_id is None:
            left_out.add(_("skill “%(name)s”", name=skill.get("name")))
        elif all(s.skill_id != skill_id for s in version.skills):
            version.skills.append(GuideSkill(skill_id=skill_id, level=level))
    guide.versions.append(version)
    return version


def _import_guide(
    actor: User | None, territory: Territory, data: dict, bundle: zipfile.ZipFile, lookups: _Lookups, *, origin: str
) -> tuple[str, list[int], set[str]]:
    """Import one guide's missing published versions; (slug, numbers imported, what was left out)."""
    uid = str(data.get("uid") or "")
    if not 1 <= len(uid) <= 36:
        raise ValidationError(_("The guide has no identifier."))
    try:
        kind = GuideKind(data.get("kind"))
        licence = Licence((data.get("licence") or {}).get("id"))
    except ValueError:
        raise ValidationError(_("The guide's kind or licence is not one this instance knows.")) from None
    language = data.get("language")
    if language not in LANGUAGES:
        raise ValidationError(_("The guide's language is not French or English."))
    category = None
    if data.get("ords_category"):
        category = lookups.ords.get(str(data["ords_category"].get("name")))
        if category is None:
            raise ValidationError(
                _("The kind of object “%(name)s” is not in this instance.", name=data["ords_category"].get("name"))
            )
    if kind == GuideKind.REPAIR and category is None:
        raise ValidationError(_("A repair guide without its kind of object."))
    versions = [v for v in data.get("versions") or [] if isinstance(v, dict)]
    if not versions:
        raise ValidationError(_("The guide has no published version."))
    guide = db.session.scalar(sa.select(Guide).where(Guide.uid == uid))
    if guide is None:
        slug = services.free_slug(services.slugify(str(data.get("slug") or versions[-1].get("title") or "guide")))
        guide = Guide(
            uid=uid,
            slug=slug,
            territory_id=territory.id,
            kind=kind,
            language=language,
            licence=licence,
            repair_category_id=category.id if category else None,
            brand=clean_text(data.get("brand") or "", field="brand", limit=80),
            model=clean_text(data.get("model") or "", field="model", limit=80),
            status=GuideStatus.DRAFT,
            latest_number=1,
            origin=clean_text(data.get("origin") or origin, field="origin", limit=255),
            created_by_id=None,
        )
        db.session.add(guide)
        existing: set[int] = set()
    else:
        # A version is the bundle's when it has its number and was written at the same instant; the same number
        # written at another instant is another version (the guide changed here since): refused, not mixed.
        here = {v.number: v.created_at for v in guide.versions}
        for incoming in versions:
            number = _int_or_none(incoming.get("number"))
            if number in here and here[number] != _when(incoming.get("created_at")):
                raise ValidationError(
                    _("Version %(num)d of this guide here is not the bundle's: it changed here since.", num=number)
                )
        existing = set(here)
    left_out: set[str] = set()
    added = []
    for version_data in sorted(versions, key=lambda v: _int_or_none(v.get("number")) or 0):
        number = _int_or_none(version_data.get("number"))
        if number in existing:
            continue
        _import_version(guide, version_data, bundle, lookups, left_out)
        added.append(number)
    if not added:
        return guide.slug, [], left_out
    latest = max(existing | set(added))
    published = max(set(added) | ({guide.published_number} if guide.published_number else set()))
    guide.latest_number, guide.published_number, guide.published_at = latest, published, utcnow()
    guide.status = GuideStatus.PUBLISHED if published == latest else GuideStatus.DRAFT
    db.session.flush()
    for version in guide.versions:
        if version.number in added:
            when = next(_when(v.get("published_at")) for v in versions if v.get("number") == version.number)
            db.session.add(
                GuidePublication(guide_id=guide.id, number=version.number, version_id=version.id, published_at=when)
            )
    guide.search_text = services.search_text(guide, next(v for v in guide.versions if v.number == published))
    db.session.flush()
    record(actor, "guide.import", guide, after={"versions": added, "origin": guide.origin}, label=guide.slug)
    return guide.slug, added, left_out


def import_bundle(actor: User | None, file: IO[bytes], territory: Territory) -> ImportReport:
    """Import a bundle's guides into a territory (each whole or not at all); the caller commits."""
    if actor is not None and not access.is_reviewer(actor, territory.id):
        raise PermissionDenied(_("A mentor or a lab manager of the territory publishes guides."))
    try:
        bundle = zipfile.ZipFile(file)
    except zipfile.BadZipFile:
        raise BundleError(_("This file is not a ZIP bundle."), field="file") from None
    report = ImportReport()
    with bundle:
        manifest = _read_manifest(bundle)
        origin = " ".join(str(p) for p in (manifest.get("source"), manifest.get("territory")) if p)
        lookups = _Lookups()
        for data in manifest["guides"]:
            name = str(data.get("slug") or data.get("uid") or "?") if isinstance(data, dict) else "?"
            if not isinstance(data, dict):
                report.refused.append(_("%(name)s: %(reason)s", name=name, reason=_("not a guide")))
                continue
            try:
                with db.session.begin_nested():
                    slug, added, left_out = _import_guide(actor, territory, data, bundle, lookups, origin=origin)
            except DomainError as error:
                report.refused.append(_("%(name)s: %(reason)s", name=name, reason=error.message))
                continue
            except (sa.exc.IntegrityError, AttributeError, TypeError, KeyError, StopIteration):
                report.refused.append(
                    _("%(name)s: %(reason)s", name=name, reason=_("the bundle's data for it is not valid"))
                )
                continue
            if added:
                report.imported.append(
                    _("%(name)s: versions %(numbers)s", name=slug, numbers=", ".join(str(n) for n in added))
                )
            else:
                report.already_there.append(slug)
            report.left_out += [_("%(name)s: %(reason)s", name=slug, reason=what) for what in sorted(left_out)]
    return report
