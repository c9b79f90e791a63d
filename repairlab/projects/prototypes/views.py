"""Views of prototypes: the prototype page (made for a phone), versions with photos, items used, skills needed."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import sqlalchemy as sa
from flask import abort, redirect, render_template, request, url_for
from flask_babel import format_decimal
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy.orm import joinedload

from repairlab import images
from repairlab.auth import roles_required
from repairlab.extensions import db
from repairlab.inventory.models import Item
from repairlab.people.models import Role
from repairlab.projects import access, bp
from repairlab.projects.models import Project
from repairlab.projects.prototypes import services
from repairlab.projects.prototypes.forms import (
    ItemLinkForm,
    PhotoForm,
    PrototypeForm,
    SkillLevelForm,
    SkillNeedForm,
    VersionForm,
)
from repairlab.projects.prototypes.models import (
    Prototype,
    PrototypeItem,
    PrototypePhoto,
    PrototypeSkill,
    PrototypeStatus,
    PrototypeVersion,
)
from repairlab.skills.forms import level_choices
from repairlab.skills.models import Skill
from repairlab.skills.queries import catalogue_choices
from repairlab.web import MAX_ID, db_id, form_status, submit, submit_and_return

# Who may open prototype pages (each one still checks the project) and who may change them.
VIEWERS = (Role.PARTICIPANT, Role.MENTOR, Role.LAB_MANAGER, Role.ADMIN)
EDITORS = (Role.PARTICIPANT, Role.MENTOR, Role.ADMIN)


def _check_view(project: Project) -> None:
    """404 for a project the user may not see: other territories' and other teams' projects are not known."""
    if not access.can_view(current_user, project):
        abort(404)


def _check_edit(project: Project) -> None:
    _check_view(project)
    if not access.can_edit(current_user, project):
        abort(403)


def _for_edit(model, obj_id: int, project_of: Callable[[Any], Project], *options):
    """The row (with `options` to load its project at once) or 404; 403 when the user may not change its project."""
    obj = db.session.scalars(sa.select(model).where(model.id == obj_id).options(*options)).one_or_none()
    if obj is None:
        abort(404)
    _check_edit(project_of(obj))
    return obj


def _prototype_for_edit(prototype_id: int) -> Prototype:
    return _for_edit(Prototype, prototype_id, lambda p: p.project, joinedload(Prototype.project))


def _version_for_edit(version_id: int) -> PrototypeVersion:
    return _for_edit(
        PrototypeVersion,
        version_id,
        lambda v: v.prototype.project,
        joinedload(PrototypeVersion.prototype).joinedload(Prototype.project),
    )


def _page(prototype: Prototype | int, anchor: str | None = None) -> str:
    pid = prototype if isinstance(prototype, int) else prototype.id
    return url_for("projects.prototype", prototype_id=pid, _anchor=anchor)


# --- Prototype ------------------------------------------------------------------------------------


@bp.route("/<int:project_id>/prototypes/new", methods=["GET", "POST"])
@roles_required(*EDITORS)
def prototype_new(project_id: int):
    """Add a prototype to a project."""
    project = db.get_or_404(Project, project_id)
    _check_edit(project)
    form = PrototypeForm()
    done = submit(
        form,
        lambda: services.create_prototype(
            current_user, project, name=form.name.data, description=form.description.data or ""
        ),
        lambda created: _("Prototype “%(name)s” added. Now add its first version.", name=created.name),
        lambda created: url_for("projects.prototype_version_new", prototype_id=created.id),
    )
    return done or (
        render_template("projects/prototype_form.html", form=form, project=project, prototype=None),
        form_status(),
    )


@bp.route("/prototypes/<int:prototype_id>")
@roles_required(*VIEWERS)
def prototype(prototype_id: int):
    """The prototype page: versions newest first with photos, items used, skills needed and who has them."""
    prototype = services.load_prototype(prototype_id)
    if prototype is None:
        abort(404)
    project = prototype.project
    _check_view(project)
    can_edit = access.can_edit(current_user, project)
    context = {
        "prototype": prototype,
        "project": project,
        "versions": sorted(prototype.versions, key=lambda v: v.number, reverse=True),
        "items": sorted(prototype.items, key=lambda link: (link.item.name.casefold(), link.item.code)),
        "team": services.team_of(project),
        "matching": services.prototype_matching(prototype, current_user),
        "can_edit": can_edit,
        "max_photos": services.MAX_PHOTOS,
        "money": services.money,
    }
    if can_edit:
        skill_form = SkillNeedForm(formdata=None)
        skill_form.skill_id.choices = catalogue_choices()
        skill_form.min_level.choices = level_choices()
        level_form = SkillLevelForm(formdata=None)
        level_form.min_level.choices = level_choices(blank=False)
        context.update(
            photo_form=PhotoForm(formdata=None),
            skill_form=skill_form,
            level_form=level_form,
            item_form=ItemLinkForm(formdata=None),
            delete_form=FlaskForm(formdata=None),
        )
    return render_template("projects/prototype.html", **context)


@bp.route("/prototypes/<int:prototype_id>/edit", methods=["GET", "POST"])
@roles_required(*EDITORS)
def prototype_edit(prototype_id: int):
    """Rename a prototype or change its description."""
    prototype = _prototype_for_edit(prototype_id)
    form = PrototypeForm(obj=prototype)
    done = submit(
        form,
        lambda: services.update_prototype(
            current_user, prototype, name=form.name.data, description=form.description.data or ""
        ),
        _("Changes saved."),
        lambda _ignored: _page(prototype),
    )
    return done or (
        render_template(
            "projects/prototype_form.html",
            form=form,
            project=prototype.project,
            prototype=prototype,
        ),
        form_status(),
    )


# --- Versions -------------------------------------------------------------------------------------


def _version_fields(form: VersionForm) -> services.VersionFields:
    return services.VersionFields(
        description=form.description.data or "",
        status=form.status.data,
        feedback=form.feedback.data or "",
        materials_cost=form.materials_cost.data,
    )


def _photo_stream(form) -> object | None:
    photo = form.photo.data
    return photo.stream if photo is not None and getattr(photo, "filename", "") else None


@bp.route("/prototypes/<int:prototype_id>/versions/new", methods=["GET", "POST"])
@roles_required(*EDITORS)
def prototype_version_new(prototype_id: int):
    """Add a version, with a photo taken on the phone."""
    prototype = _prototype_for_edit(prototype_id)
    form = VersionForm()
    if request.method == "GET":
        last = db.session.scalars(
            sa.select(PrototypeVersion)
            .where(PrototypeVersion.prototype_id == prototype.id)
            .order_by(PrototypeVersion.number.desc())
            .limit(1)
        ).first()
        form.status.data = (last.status if last else PrototypeStatus.DESIGN).value
    done = submit(
        form,
        lambda: services.add_version(current_user, prototype, _version_fields(form), _photo_stream(form)),
        lambda created: _("Version %(num)d added.", num=created.number),
        lambda created: _page(prototype, f"version-{created.number}"),
    )
    return done or (
        render_template(
            "projects/prototype_version_form.html",
            form=form,
            prototype=prototype,
            version=None,
        ),
        form_status(),
    )


@bp.route("/prototype-versions/<int:version_id>/edit", methods=["GET", "POST"])
@roles_required(*EDITORS)
def prototype_version_edit(version_id: int):
    """Change a version's status, test feedback, cost or description."""
    version = _version_for_edit(version_id)
    form = VersionForm(obj=version)
    del form.photo
    if request.method == "GET":
        form.status.data = version.status.value
        form.materials_cost.data = format_decimal(version.materials_cost) if version.materials_cost is not None else ""
    done = submit(
        form,
        lambda: services.update_version(current_user, version, _version_fields(form)),
        _("Changes saved."),
        lambda _ignored: _page(version.prototype_id, f"version-{version.number}"),
    )
    return done or (
        render_template(
            "projects/prototype_version_form.html",
            form=form,
            prototype=version.prototype,
            version=version,
        ),
        form_status(),
    )


# --- Photos ---------------------------------------------------------------------------------------


@bp.route("/prototype-versions/<int:version_id>/photos", methods=["POST"])
@roles_required(*EDITORS)
def prototype_photo_add(version_id: int):
    """Add a photo to a version."""
    version = _version_for_edit(version_id)
    form = PhotoForm()
    return submit_and_return(
        form,
        lambda: services.add_version_photo(current_user, version, form.photo.data.stream),
        _("Photo added."),
        redirect(_page(version.prototype_id, f"version-{version.number}")),
        invalid=_("Choose a photo first."),
    )


@bp.route("/prototype-photos/<int:photo_id>/delete", methods=["POST"])
@roles_required(*EDITORS)
def prototype_photo_delete(photo_id: int):
    """Remove a photo of a version."""
    photo = _for_edit(
        PrototypePhoto,
        photo_id,
        lambda p: p.version.prototype.project,
        joinedload(PrototypePhoto.version).joinedload(PrototypeVersion.prototype).joinedload(Prototype.project),
    )
    version = photo.version
    return submit_and_return(
        FlaskForm(),
        lambda: services.remove_version_photo(current_user, photo),
        _("Photo removed."),
        redirect(_page(version.prototype_id, f"version-{version.number}")),
    )


@bp.route("/prototype-photos/<int:photo_id>/<variant>")
@roles_required(*VIEWERS)
def prototype_photo(photo_id: int, variant: str):
    """A photo of a prototype version, for those who may see the project; variant is "full" or "thumb"."""
    if variant not in ("full", "thumb"):
        abort(404)
    row = db.session.execute(
        sa.select(PrototypePhoto, Project)
        .join(PrototypeVersion, PrototypeVersion.id == PrototypePhoto.version_id)
        .join(Prototype, Prototype.id == PrototypeVersion.prototype_id)
        .join(Project, Project.id == Prototype.project_id)
        .where(PrototypePhoto.id == photo_id)
    ).one_or_none()
    if row is None:
        abort(404)
    photo, project = row
    _check_view(project)
    return images.send_image(photo.key if variant == "full" else photo.thumb_key)


# --- Items used -----------------------------------------------------------------------------------


@bp.route("/prototypes/<int:prototype_id>/items")
@roles_required(*EDITORS)
def prototype_items(prototype_id: int):
    """Find an item of the territory by name to add it to the prototype's list (or type its code)."""
    prototype = _prototype_for_edit(prototype_id)
    query = (request.args.get("q") or "").strip()[:80]
    found = services.search_items(prototype.project, query)
    linked = set(db.session.scalars(sa.select(PrototypeItem.item_id).where(PrototypeItem.prototype_id == prototype.id)))
    return render_template(
        "projects/prototype_items.html",
        prototype=prototype,
        query=query,
        found=found,
        linked=linked,
        form=ItemLinkForm(formdata=None),
    )


def _chosen_item(prototype: Prototype, form: ItemLinkForm) -> Item | None:
    raw = (form.item_id.data or "").strip()
    if raw:
        # isdigit() also accepts digits int() refuses ("²"): parse, and take anything unparsable as not found.
        try:
            item_id = db_id(raw)
        except ValueError:
            item_id = None
        item = db.session.get(Item, item_id) if item_id else None
        if item is None:
            raise services.NotFound(_("This item is not in the project's territory."), field="code")
        return item
    if not (form.code.data or "").strip():
        raise services.ValidationError(_("Type or scan the code on the item's label, e.g. RBX-0042."), field="code")
    return services.find_item(prototype.project, form.code.data)


@bp.route("/prototypes/<int:prototype_id>/items", methods=["POST"])
@roles_required(*EDITORS)
def prototype_item_link(prototype_id: int):
    """Add an item (by its code, or chosen in a search) to the items the prototype uses."""
    prototype = _prototype_for_edit(prototype_id)
    form = ItemLinkForm()
    back = request.form.get("back") == "search"
    target = (
        url_for("projects.prototype_items", prototype_id=prototype.id, q=request.form.get("q", "")[:80])
        if back
        else _page(prototype, "items")
    )
    return submit_and_return(
        form,
        lambda: services.link_item(current_user, prototype, _chosen_item(prototype, form), form.note.data or ""),
        lambda link: _("%(code)s %(name)s added to the items used.", code=link.item.code, name=link.item.name),
        redirect(target),
    )


@bp.route("/prototype-items/<int:link_id>/delete", methods=["POST"])
@roles_required(*EDITORS)
def prototype_item_unlink(link_id: int):
    """Remove an item from the prototype's list."""
    link = _for_edit(
        PrototypeItem,
        link_id,
        lambda link: link.prototype.project,
        joinedload(PrototypeItem.prototype).joinedload(Prototype.project),
        joinedload(PrototypeItem.item),
    )
    prototype_id = link.prototype_id
    code = link.item.code
    return submit_and_return(
        FlaskForm(),
        lambda: services.unlink_item(current_user, link),
        _("%(code)s removed from the items used.", code=code),
        redirect(_page(prototype_id, "items")),
    )


# --- Skills needed --------------------------------------------------------------------------------


def _need_for_edit(need_id: int) -> PrototypeSkill:
    return _for_edit(
        PrototypeSkill,
        need_id,
        lambda need: need.prototype.project,
        joinedload(PrototypeSkill.prototype).joinedload(Prototype.project),
        joinedload(PrototypeSkill.skill),
    )


@bp.route("/prototypes/<int:prototype_id>/skills", methods=["POST"])
@roles_required(*EDITORS)
def prototype_skill_add(prototype_id: int):
    """Say the prototype needs a skill at a minimum level."""
    prototype = _prototype_for_edit(prototype_id)
    form = SkillNeedForm()
    return submit_and_return(
        form,
        lambda: services.add_skill(
            current_user,
            prototype,
            db.session.get(Skill, form.skill_id.data) if 0 < (form.skill_id.data or 0) <= MAX_ID else None,
            form.min_level.data,
        ),
        lambda need: _("“%(skill)s” is needed, at level %(num)d.", skill=need.skill.name, num=need.min_level),
        redirect(_page(prototype, "skills")),
    )


@bp.route("/prototype-skills/<int:need_id>/level", methods=["POST"])
@roles_required(*EDITORS)
def prototype_skill_level(need_id: int):
    """Change the level needed of a skill."""
    need = _need_for_edit(need_id)
    form = SkillLevelForm()
    return submit_and_return(
        form,
        lambda: services.set_skill_level(current_user, need, form.min_level.data),
        lambda changed: _(
            "“%(skill)s” is now needed at level %(num)d.", skill=changed.skill.name, num=changed.min_level
        ),
        redirect(_page(need.prototype_id, "skills")),
    )


@bp.route("/prototype-skills/<int:need_id>/delete", methods=["POST"])
@roles_required(*EDITORS)
def prototype_skill_remove(need_id: int):
    """The prototype no longer needs this skill."""
    need = _need_for_edit(need_id)
    prototype_id, name = need.prototype_id, need.skill.name
    return submit_and_return(
        FlaskForm(),
        lambda: services.remove_skill(current_user, need),
        _("“%(skill)s” is no longer needed.", skill=name),
        redirect(_page(prototype_id, "skills")),
    )
