"""The guides anyone reads: the searchable list, a guide (its public version, or the team's latest), a published
version's stable address, one step per screen, the history of versions and their differences, the photos."""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort, render_template, request
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from repairlab import images
from repairlab.extensions import db
from repairlab.guides import access, bp, queries
from repairlab.guides.forms import CreditForm, ReviewForm, SearchForm
from repairlab.guides.models import (
    Guide,
    GuideKind,
    GuideSkill,
    GuideStatus,
    GuideStep,
    GuideStepPhoto,
    GuideToolCategory,
    GuideVersion,
)
from repairlab.guides.views.common import (
    guide_or_404,
    repair_category_choices,
    shown_version,
    skill_choices,
    viewer,
)
from repairlab.pagination import paginate
from repairlab.repairs.categories import category_label
from repairlab.web import db_id


def _search_filters(form: SearchForm) -> queries.SearchFilters:
    kind = form.kind.data if form.kind.data in {k.value for k in GuideKind} else None
    return queries.SearchFilters(
        q=(form.q.data or "")[:200],
        category_id=form.category_id.data,
        model=(form.model.data or "")[:80],
        skill_id=form.skill_id.data,
        kind=GuideKind(kind) if kind else None,
        language=form.language.data if form.language.data in ("fr", "en") else "",
    )


@bp.route("/")
def index():
    """The published guides, searchable by text, kind of object, brand or model, skill, kind and language."""
    form = SearchForm(request.args)
    form.category_id.choices = repair_category_choices(_("All"))
    form.skill_id.choices = skill_choices(_("All"))
    filters = _search_filters(form)
    page = paginate(queries.public_guides(filters), per_page=24)
    rows = [(guide, guide.published) for guide in page.items]
    photos = queries.first_photos([version.id for _guide, version in rows])
    user = viewer()
    return render_template(
        "guides/index.html",
        form=form,
        filters=filters,
        page=page,
        rows=rows,
        photos=photos,
        category_label=category_label,
        can_write=access.can_write(user),
    )


def _version_page(guide: Guide, version: GuideVersion, *, stable: bool):
    """A guide's page for one version; `stable`: reached by its version address."""
    user = viewer()
    team = access.can_see_work(user, guide)
    version = db.session.scalar(
        sa.select(GuideVersion)
        .where(GuideVersion.id == version.id)
        .options(
            selectinload(GuideVersion.steps).selectinload(GuideStep.photos),
            selectinload(GuideVersion.tool_categories).selectinload(GuideToolCategory.category),
            selectinload(GuideVersion.parts),
            selectinload(GuideVersion.skills).selectinload(GuideSkill.skill),
        )
    )
    public_number = guide.published_number
    # Names: only those each author chose to show, of the versions up to this one.
    authors = queries.credited_names(guide, version.number)
    context = {
        "guide": guide,
        "version": version,
        "stable": stable,
        "authors": authors,
        "category": category_label(guide.repair_category) if guide.repair_category else "",
        "team": team,
        "is_public_version": public_number == version.number,
        "public_number": public_number,
        "can_publish": access.can_publish(user, guide),
        "can_edit": access.can_edit(user, guide),
        "statuses": GuideStatus,
    }
    if team:
        my_authors = {a.user_id: a for a in queries.authors(guide)}
        if user is not None and user.id in my_authors:
            context["credit_form"] = CreditForm(choice=my_authors[user.id].choice.value)
        context["review_form"] = ReviewForm()
    return render_template("guides/guide.html", **context)


@bp.route("/<slug>")
def guide(slug: str):
    """A guide: its public version (the guide's team sees its latest, with its status and actions)."""
    found = guide_or_404(slug)
    return _version_page(found, shown_version(found), stable=False)


@bp.route("/<slug>/v/<int:number>")
def version(slug: str, number: int):
    """A published version's stable address (the team reaches every version)."""
    found = guide_or_404(slug)
    return _version_page(found, shown_version(found, number), stable=True)


@bp.route("/<slug>/step/<int:position>")
def step(slug: str, position: int):
    """One step per screen, for a phone in the workshop: its photos large, previous and next (no JavaScript)."""
    found = guide_or_404(slug)
    number = request.args.get("v", type=db_id)
    shown = shown_version(found, number)
    steps = shown.steps
    if not 1 <= position <= len(steps):
        abort(404)
    return render_template(
        "guides/step.html",
        guide=found,
        version=shown,
        step=steps[position - 1],
        total=len(steps),
        v=number,
    )


@bp.route("/<slug>/versions")
def versions(slug: str):
    """The versions: when, what changed, by whom (the team sees every version and its author; anyone else the
    published versions, with only the names their authors chose to show)."""
    found = guide_or_404(slug)
    team = access.can_see_work(viewer(), found)
    published = queries.publications(found)
    rows = [v for v in found.versions if team or (found.is_public and v.number in published)]
    if not rows:
        abort(404)
    names = {}
    if not team:
        for author in queries.authors(found):
            names[author.user_id] = author.name
    return render_template(
        "guides/versions.html", guide=found, rows=rows[::-1], published=published, team=team, names=names
    )


@bp.route("/<slug>/diff")
def diff(slug: str):
    """What changed between two versions (?from=1&to=2), side by side."""
    found = guide_or_404(slug)
    latest = shown_version(found)
    to_number = request.args.get("to", type=db_id) or latest.number
    newer = shown_version(found, to_number)
    from_number = request.args.get("from", type=db_id) or max(1, newer.number - 1)
    older = shown_version(found, from_number)
    return render_template("guides/diff.html", guide=found, older=older, newer=newer, rows=queries.diff(older, newer))


@bp.route("/<slug>/photos/<int:photo_id>/<variant>")
def photo(slug: str, photo_id: int, variant: str):
    """A step's photo: public when its version was published (and the guide is public), else the team's."""
    found = guide_or_404(slug)
    row = db.session.execute(
        sa.select(GuideStepPhoto, GuideVersion.number)
        .join(GuideStep, GuideStep.id == GuideStepPhoto.step_id)
        .join(GuideVersion, GuideVersion.id == GuideStep.version_id)
        .where(GuideStepPhoto.id == photo_id, GuideVersion.guide_id == found.id)
    ).first()
    if row is None or variant not in ("full", "thumb"):
        abort(404)
    shown, number = row
    public = queries.is_published_version(found, number)
    if not public and not access.can_see_work(viewer(), found):
        abort(404)
    return images.send_image(shown.key if variant == "full" else shown.thumb_key, public=public)
