"""Writing guides: the team's list, the editor (Markdown with a preview, photos per step), the live preview, and the
review (propose, publish, send back, withdraw), and one's credit."""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy.orm import selectinload

from repairlab.auth import roles_required, territory_scope
from repairlab.extensions import db
from repairlab.guides import access, bp, services
from repairlab.guides.access import WRITER_ROLES
from repairlab.guides.forms import BLANK_ROWS, CreditForm, GuideForm, ReviewForm
from repairlab.guides.markdown import render
from repairlab.guides.models import CreditChoice, Guide, GuideKind, GuideStatus, GuideStep, GuideVersion, Licence
from repairlab.guides.views.common import (
    editable_or_404,
    repair_category_choices,
    skill_choices,
    tool_category_choices,
)
from repairlab.people.models import Territory
from repairlab.repairs.categories import category_label
from repairlab.web import form_status, submit, submit_and_return

MAX_PREVIEW = services.MAX_TEXT
WORK_ROWS = 200


# --- The team's list ---------------------------------------------------------------------------------------------


@bp.route("/work")
@roles_required(*WRITER_ROLES)
def work():
    """The guides the viewer works on: proposals to review, their own, and (reviewers) the territory's."""
    user = current_user._get_current_object()
    scope = territory_scope(user)
    stmt = (
        sa.select(Guide)
        .options(selectinload(Guide.latest), selectinload(Guide.repair_category))
        .order_by(Guide.updated_at.desc())
        .limit(WORK_ROWS)
    )
    if scope is not None:
        stmt = stmt.where(Guide.territory_id == scope)
    reviewer = user.role in access.REVIEWER_ROLES
    if not reviewer:
        stmt = stmt.where(Guide.created_by_id == user.id)
    guides = list(db.session.scalars(stmt))
    to_review = [g for g in guides if reviewer and g.status == GuideStatus.PROPOSED]
    return render_template(
        "guides/work.html",
        guides=guides,
        to_review=to_review,
        reviewer=reviewer,
        category_label=category_label,
        kinds=GuideKind,
    )


# --- The editor --------------------------------------------------------------------------------------------------


def _form_data(guide: Guide, version: GuideVersion) -> dict:
    return {
        "title": version.title,
        "language": guide.language,
        "licence": guide.licence.value,
        "repair_category_id": guide.repair_category_id,
        "brand": guide.brand,
        "model": guide.model,
        "summary": version.summary,
        "safety": version.safety,
        "duration_minutes": version.duration_minutes,
        "group_size": version.group_size,
        "learning_check": version.learning_check,
        "tool_category_ids": [t.category_id for t in version.tool_categories],
        "parts": [{"name": p.name, "quantity": p.quantity} for p in version.parts],
        "skills": [{"skill_id": s.skill_id, "level": str(s.level)} for s in version.skills],
        "steps": [
            {"title": s.title, "text": s.text, "minutes": s.minutes, "keep_photos": [p.id for p in s.photos]}
            for s in version.steps
        ],
    }


def _prepare(form: GuideForm, kind: GuideKind, base: GuideVersion | None, *, add_rows: bool) -> list:
    """The form's choices, blank rows to type in, and each step's photos of the version edited from."""
    form.set_kind(kind)
    form.repair_category_id.choices = repair_category_choices()
    form.tool_category_ids.choices = tool_category_choices()
    skills = skill_choices()
    if add_rows:
        form.steps.append_entry()
        for _n in range(BLANK_ROWS):
            form.parts.append_entry()
            form.skills.append_entry()
    for entry in form.skills:
        entry.form.skill_id.choices = skills
    base_steps = list(base.steps) if base is not None else []
    photos = []
    for index, entry in enumerate(form.steps):
        own = list(base_steps[index].photos) if index < len(base_steps) else []
        entry.form.keep_photos.choices = [(p.id, str(p.id)) for p in own]
        photos.append(own)
    return photos


def _fields(form: GuideForm, kind: GuideKind) -> services.GuideFields:
    licence = form.licence.data if form.licence.data in {lic.value for lic in Licence} else None
    return services.GuideFields(
        kind=kind,
        language=form.language.data or "fr",
        licence=Licence(licence) if licence else None,
        repair_category_id=form.repair_category_id.data,
        brand=form.brand.data or "",
        model=form.model.data or "",
    )


def _content(form: GuideForm) -> services.VersionInput:
    workshop = "duration_minutes" in form
    steps = []
    for entry in form.steps:
        sub = entry.form
        files = [f for f in (sub.photos.data or []) if getattr(f, "filename", "")]
        steps.append(
            services.StepInput(
                title=sub.title.data or "",
                text=sub.text.data or "",
                minutes=sub.minutes.data,
                keep_photo_ids=list(sub.keep_photos.data or []),
                new_photos=[f.stream for f in files],
            )
        )
    return services.VersionInput(
        title=form.title.data or "",
        summary=form.summary.data or "",
        safety=form.safety.data or "",
        duration_minutes=form.duration_minutes.data if workshop else None,
        group_size=form.group_size.data if workshop else None,
        learning_check=(form.learning_check.data or "") if workshop else "",
        change_note=form.change_note.data or "",
        steps=steps,
        tool_category_ids=list(form.tool_category_ids.data or []),
        parts=[(e.form.name.data or "", e.form.quantity.data) for e in form.parts],
        skills=[
            (e.form.skill_id.data, int(e.form.level.data or 2))
            for e in form.skills
            if e.form.skill_id.data is not None and (e.form.level.data or "2").isdigit()
        ],
    )


def _action() -> services.SaveAction:
    wanted = request.form.get("action", services.SaveAction.DRAFT.value)
    try:
        return services.SaveAction(wanted)
    except ValueError:
        abort(400)


def _preview(form: GuideForm) -> dict:
    """The Markdown fields as the page will show them (the "Preview" button, without JavaScript)."""
    out = {name: render(form[name].data) for name in ("summary", "safety", "learning_check") if name in form}
    for entry in form.steps:
        out[entry.form.text.id] = render(entry.form.text.data)
    return out


def _saved(version: GuideVersion) -> str:
    guide = version.guide
    if guide.status == GuideStatus.PUBLISHED:
        return _("Version %(num)d is published.", num=version.number)
    if guide.status == GuideStatus.PROPOSED:
        return _("Version %(num)d is proposed: a mentor or a lab manager will review it.", num=version.number)
    return _("Version %(num)d is saved.", num=version.number)


def _editor(
    form: GuideForm,
    kind: GuideKind,
    guide: Guide | None,
    photos: list,
    preview: dict | None,
    *,
    territories: list | None = None,
    status: int | None = None,
):
    user = current_user._get_current_object()
    territory_id = guide.territory_id if guide is not None else user.territory_id
    return render_template(
        "guides/edit.html",
        form=form,
        guide=guide,
        kind=kind,
        photos=photos,
        preview=preview or {},
        territories=territories or [],
        # Reviewers publish directly; talents propose.
        can_publish=access.is_reviewer(user, territory_id) if territory_id else user.is_admin,
        locked_licence=guide is not None and guide.published_number is not None,
    ), status or form_status()


def _kind_arg() -> GuideKind:
    try:
        return GuideKind(request.args.get("kind", GuideKind.REPAIR.value))
    except ValueError:
        abort(404)


@bp.route("/new", methods=["GET", "POST"])
@roles_required(*WRITER_ROLES)
def new():
    """Start a guide (?kind=repair or workshop)."""
    kind = _kind_arg()
    user = current_user._get_current_object()
    form = GuideForm()
    # An administrator (of no territory) says which territory's guide it is.
    territories = (
        list(db.session.scalars(sa.select(Territory).order_by(Territory.code))) if user.territory_id is None else []
    )
    photos = _prepare(form, kind, None, add_rows=request.method == "GET" or "add_step" in request.form)
    if request.method == "GET":
        form.language.data = user.locale if user.locale in ("fr", "en") else "fr"
        return _editor(form, kind, None, photos, None, territories=territories)
    if "preview" in request.form or "add_step" in request.form:
        preview = _preview(form) if "preview" in request.form else None
        return _editor(form, kind, None, photos, preview, territories=territories, status=200)
    territory = user.territory
    if territory is None:
        wanted = request.form.get("territory_id", type=int)
        territory = next((t for t in territories if t.id == wanted), None)
        if territory is None:
            form.validate()
            form.title.errors = [*form.title.errors, _("Choose the territory of the guide.")]
            return _editor(form, kind, None, photos, None, territories=territories)
    done = submit(
        form,
        lambda: services.create_guide(user, territory, _fields(form, kind), _content(form), _action()),
        lambda guide: _saved(guide.latest),
        lambda guide: url_for("guides.guide", slug=guide.slug),
    )
    return done or _editor(form, kind, None, photos, None, territories=territories)


@bp.route("/<slug>/edit", methods=["GET", "POST"])
@roles_required(*WRITER_ROLES)
def edit(slug: str):
    """Change a guide: saving makes a new version (the earlier ones stay as they were)."""
    guide = editable_or_404(slug)
    latest = db.session.scalar(
        sa.select(GuideVersion)
        .where(GuideVersion.guide_id == guide.id, GuideVersion.number == guide.latest_number)
        .options(selectinload(GuideVersion.steps).selectinload(GuideStep.photos))
    )
    if request.method == "GET":
        form = GuideForm(data=_form_data(guide, latest))
        photos = _prepare(form, guide.kind, latest, add_rows=True)
        return _editor(form, guide.kind, guide, photos, None)
    form = GuideForm()
    photos = _prepare(form, guide.kind, latest, add_rows="add_step" in request.form)
    if "preview" in request.form or "add_step" in request.form:
        preview = _preview(form) if "preview" in request.form else None
        return _editor(form, guide.kind, guide, photos, preview, status=200)
    done = submit(
        form,
        lambda: services.save_version(current_user, guide, _fields(form, guide.kind), _content(form), _action()),
        _saved,
        url_for("guides.guide", slug=guide.slug),
    )
    return done or _editor(form, guide.kind, guide, photos, None)


@bp.route("/preview", methods=["POST"])
@roles_required(*WRITER_ROLES)
def preview():
    """The live preview: the Markdown typed, rendered and sanitised by the one renderer of the pages (JSON)."""
    text = request.form.get("text", "")
    if len(text) > MAX_PREVIEW:
        return jsonify(html="", error=_("This text is too long (%(max)d characters at most).", max=MAX_PREVIEW)), 400
    return jsonify(html=str(render(text)))


# --- Review and credit -------------------------------------------------------------------------------------------


def _guide_action(slug: str, form: FlaskForm, action, success: str):
    guide = db.session.scalar(sa.select(Guide).where(Guide.slug == slug))
    if guide is None or not access.can_see_work(current_user, guide):
        abort(404)
    target = url_for("guides.guide", slug=guide.slug)
    return redirect(submit_and_return(form, lambda: action(guide), success, target))


@bp.route("/<slug>/propose", methods=["POST"])
@roles_required(*WRITER_ROLES)
def propose(slug: str):
    """Propose the latest version for review."""
    return _guide_action(
        slug,
        FlaskForm(),
        lambda g: services.propose(current_user, g),
        _("Proposed: a mentor or a lab manager will review it."),
    )


@bp.route("/<slug>/publish", methods=["POST"])
@roles_required(*access.REVIEWER_ROLES)
def publish(slug: str):
    """Publish the latest version."""
    return _guide_action(slug, FlaskForm(), lambda g: services.publish(current_user, g), _("The guide is published."))


@bp.route("/<slug>/send-back", methods=["POST"])
@roles_required(*access.REVIEWER_ROLES)
def send_back(slug: str):
    """Send a proposal back to its author with a note."""
    form = ReviewForm()
    return _guide_action(
        slug,
        form,
        lambda g: services.send_back(current_user, g, form.note.data or ""),
        _("Sent back to its author with your note."),
    )


@bp.route("/<slug>/withdraw", methods=["POST"])
@roles_required(*access.REVIEWER_ROLES)
def withdraw(slug: str):
    """Take the guide off the public pages."""
    return _guide_action(
        slug, FlaskForm(), lambda g: services.withdraw(current_user, g), _("The guide is no longer public.")
    )


@bp.route("/<slug>/credit", methods=["POST"])
@roles_required(*WRITER_ROLES)
def credit(slug: str):
    """How I am credited on this guide."""
    form = CreditForm()

    def choose(guide: Guide):
        return services.set_credit(current_user, guide, CreditChoice(form.choice.data))

    return _guide_action(slug, form, choose, _("Your choice is saved."))
