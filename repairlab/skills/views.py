"""Views of the skills passport: catalogue, passports, validating, declaring, withdrawing, matching, verification."""

from __future__ import annotations

import re
from io import BytesIO

import sqlalchemy as sa
from flask import abort, current_app, flash, jsonify, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy.orm import joinedload

from repairlab import clock
from repairlab.auth import ensure_territory, roles_required
from repairlab.errors import DomainError
from repairlab.extensions import csrf, db
from repairlab.images import send_image
from repairlab.pagination import fold, paginate
from repairlab.people.models import Role, Territory, User
from repairlab.skills import access, badges, bp, matching, queries, signed_badges, usage, validations
from repairlab.skills.badge_keys import keyring
from repairlab.skills.catalogue import create_domain, create_skill, update_domain, update_skill
from repairlab.skills.forms import (
    MATCH_ROWS,
    CheckBadgeForm,
    DeclareForm,
    DomainForm,
    MatchForm,
    SkillForm,
    ValidateForm,
    WithdrawForm,
    level_choices,
)
from repairlab.skills.models import Skill, SkillDomain, SkillLevel, SkillValidation, ValidationKind
from repairlab.skills.passport import get_by_token, public_status
from repairlab.skills.passport import passport as talent_passport
from repairlab.skills.registry import evidence_for
from repairlab.web import db_id, form_status, submit

# The catalogue is shared by every territory: administrators edit it (access.CATALOGUE_ROLES).
EDITORS = tuple(access.CATALOGUE_ROLES)
STAFF = (Role.MENTOR, Role.LAB_MANAGER, Role.ADMIN)
PASSPORT_ROLES = (Role.PARTICIPANT, *STAFF)
MAX_MATCH_PEOPLE = 100


# --- Loading, with the permission checks of the domain -------------------------------------------------


def _talent_or_404(user_id: int) -> User:
    """A talent whose passport the current user may see; anything else is "not found"."""
    talent = db.session.get(User, user_id)
    if talent is None or talent.role != Role.PARTICIPANT:
        abort(404)
    ensure_territory(current_user, talent.territory_id)
    if not access.can_see_passport(current_user, talent):
        abort(404)
    return talent


def _validation_or_404(validation_id: int) -> SkillValidation:
    """A validation (or declaration) on a passport the current user may see."""
    validation = db.session.scalar(
        sa.select(SkillValidation)
        .where(SkillValidation.id == validation_id)
        .options(joinedload(SkillValidation.talent), joinedload(SkillValidation.skill))
    )
    if validation is None:
        abort(404)
    ensure_territory(current_user, validation.talent.territory_id)
    if not access.can_see_passport(current_user, validation.talent):
        abort(404)
    return validation


def _skill_or_none(skill_id: int | None) -> Skill | None:
    return db.session.get(Skill, skill_id) if skill_id else None


def _upload(file_storage):
    """The uploaded file's stream, or None when no file was chosen."""
    return file_storage.stream if file_storage is not None and getattr(file_storage, "filename", "") else None


def _level_meanings() -> dict[int, str]:
    return {int(level): level.meaning for level in SkillLevel}


def _passport_url(talent: User) -> str:
    if talent.id == current_user.id:
        return url_for("skills.my_passport")
    return url_for("skills.passport", user_id=talent.id)


# --- Catalogue ------------------------------------------------------------------------------------


@bp.route("/skills")
@login_required
def catalogue():
    """The skills catalogue, by domain, filterable by domain and text."""
    q = (request.args.get("q") or "").strip()
    domain_id = request.args.get("domain", type=db_id)
    can_edit = access.can_edit_catalogue(current_user)
    show_inactive = can_edit and request.args.get("inactive") == "1"
    stmt = queries.catalogue_query(q=q, domain_id=domain_id, include_inactive=show_inactive)
    domains = db.session.scalars(sa.select(SkillDomain).order_by(SkillDomain.position, SkillDomain.name)).all()
    return render_template(
        "skills/catalogue.html",
        page=paginate(stmt, per_page=50),
        q=q,
        domain_id=domain_id,
        domains=domains,
        can_edit=can_edit,
        show_inactive=show_inactive,
        levels=list(SkillLevel),
        can_declare=current_user.role == Role.PARTICIPANT,
        # Lab managers used to edit the catalogue: say who does now.
        shared_note=current_user.role == Role.LAB_MANAGER,
    )


def _domain_choices(form: SkillForm) -> None:
    domains = db.session.scalars(sa.select(SkillDomain).order_by(SkillDomain.position, SkillDomain.name)).all()
    form.domain_id.choices = [("", "—")] + [(d.id, d.name) for d in domains]


def _skill_values(form: SkillForm) -> dict:
    return {
        "domain": db.session.get(SkillDomain, form.domain_id.data) if form.domain_id.data else None,
        "name": form.name.data,
        "description": form.description.data or "",
        "discovered_means": form.discovered_means.data or "",
        "practised_means": form.practised_means.data or "",
        "autonomous_means": form.autonomous_means.data or "",
        "can_teach_means": form.can_teach_means.data or "",
        "esco_uri": form.esco_uri.data or "",
        "is_safety": form.is_safety.data,
        "validity_months": form.validity_months.data,
        "active": form.active.data,
    }


@bp.route("/skills/new", methods=["GET", "POST"])
@roles_required(*EDITORS)
def skill_new():
    """Add a skill to the catalogue."""
    form = SkillForm()
    _domain_choices(form)
    if request.method == "GET":
        form.domain_id.data = request.args.get("domain", type=db_id)
    done = submit(
        form,
        lambda: create_skill(current_user, **_skill_values(form)),
        lambda skill: _("Skill “%(name)s” added to the catalogue.", name=skill.name),
        lambda skill: url_for("skills.catalogue", domain=skill.domain_id),
    )
    return done or (render_template("skills/skill_form.html", form=form, skill=None), form_status())


@bp.route("/skills/<int:skill_id>/edit", methods=["GET", "POST"])
@roles_required(*EDITORS)
def skill_edit(skill_id: int):
    """Change a skill of the catalogue."""
    skill = db.get_or_404(Skill, skill_id)
    form = SkillForm(obj=skill)
    _domain_choices(form)
    done = submit(
        form,
        lambda: update_skill(current_user, skill, **_skill_values(form)),
        _("Changes saved."),
        url_for("skills.catalogue", domain=skill.domain_id),
    )
    return done or (render_template("skills/skill_form.html", form=form, skill=skill), form_status())


@bp.route("/skills/domains/new", methods=["GET", "POST"])
@roles_required(*EDITORS)
def domain_new():
    """Add a domain to the catalogue."""
    form = DomainForm()
    done = submit(
        form,
        lambda: create_domain(
            current_user, name=form.name.data, description=form.description.data or "", position=form.position.data
        ),
        lambda domain: _("Domain “%(name)s” added.", name=domain.name),
        url_for("skills.catalogue"),
    )
    return done or (render_template("skills/domain_form.html", form=form, domain=None), form_status())


@bp.route("/skills/domains/<int:domain_id>/edit", methods=["GET", "POST"])
@roles_required(*EDITORS)
def domain_edit(domain_id: int):
    """Rename or describe a domain."""
    domain = db.get_or_404(SkillDomain, domain_id)
    form = DomainForm(obj=domain)
    done = submit(
        form,
        lambda: update_domain(
            current_user,
            domain,
            name=form.name.data,
            description=form.description.data or "",
            position=form.position.data,
        ),
        _("Changes saved."),
        url_for("skills.catalogue", domain=domain.id),
    )
    return done or (render_template("skills/domain_form.html", form=form, domain=domain), form_status())


# --- Passports ------------------------------------------------------------------------------------


def _render_passport(talent: User):
    data = talent_passport(talent)
    return render_template(
        "skills/passport.html",
        passport=data,
        talent=talent,
        is_self=talent.id == current_user.id,
        can_validate=access.can_validate(current_user, talent),
        verify_url=badges.verification_url,
        can_sign=signed_badges.can_sign(),
        public_status=lambda v: public_status(v, on=data.on),
        evidence=evidence_for(talent, current_user),
    )


@bp.route("/passport")
@roles_required(Role.PARTICIPANT)
def my_passport():
    """A talent's own skills passport."""
    return _render_passport(current_user)


@bp.route("/passport/<int:user_id>")
@roles_required(*PASSPORT_ROLES)
def passport(user_id: int):
    """A talent's skills passport, for the mentors and lab managers of their territory."""
    talent = _talent_or_404(user_id)
    if talent.id == current_user.id:
        return redirect(url_for("skills.my_passport"))
    return _render_passport(talent)


@bp.route("/passport/<int:user_id>/validate", methods=["GET", "POST"])
@roles_required(*STAFF)
def validate(user_id: int):
    """Validate one of a talent's skills: skill, level, date, and optional note, photo and link."""
    talent = _talent_or_404(user_id)
    form = ValidateForm()
    form.skill_id.choices = queries.catalogue_choices()
    form.level.choices = level_choices()
    if request.method == "GET":
        form.validated_on.data = clock.today()
        form.skill_id.data = request.args.get("skill", type=db_id)
        form.level.data = request.args.get("level", type=int)
    done = submit(
        form,
        lambda: validations.validate_skill(
            current_user,
            talent,
            _skill_or_none(form.skill_id.data),
            level=form.level.data,
            validated_on=form.validated_on.data,
            note=form.note.data or "",
            photo=_upload(form.photo.data),
            evidence_url=form.evidence_url.data or "",
        ),
        lambda v: _(
            "“%(skill)s” validated at level %(num)d (%(label)s) for %(name)s.",
            skill=v.skill.name,
            num=v.level,
            label=v.level_label,
            name=talent.full_name,
        ),
        url_for("skills.passport", user_id=talent.id),
    )
    return done or (
        render_template(
            "skills/validate.html",
            form=form,
            talent=talent,
            level_meanings=_level_meanings(),
            evidence=evidence_for(talent, current_user),
        ),
        form_status(),
    )


@bp.route("/passport/declare", methods=["GET", "POST"])
@roles_required(Role.PARTICIPANT)
def declare():
    """A talent declares a skill; a mentor or lab manager will validate it."""
    form = DeclareForm()
    form.skill_id.choices = queries.catalogue_choices()
    form.level.choices = level_choices()
    if request.method == "GET":
        form.skill_id.data = request.args.get("skill", type=db_id)
    done = submit(
        form,
        lambda: validations.declare_skill(
            current_user, _skill_or_none(form.skill_id.data), level=form.level.data, note=form.note.data or ""
        ),
        lambda v: _(
            "You declared “%(skill)s” at level %(num)d (%(label)s). A mentor or lab manager will check it with you.",
            skill=v.skill.name,
            num=v.level,
            label=v.level_label,
        ),
        url_for("skills.my_passport"),
    )
    return done or (render_template("skills/declare.html", form=form, level_meanings=_level_meanings()), form_status())


@bp.route("/skills/validations/<int:validation_id>/withdraw", methods=["GET", "POST"])
@roles_required(*PASSPORT_ROLES)
def withdraw(validation_id: int):
    """Withdraw a validation (staff) or one's own declaration (talent), with a reason."""
    validation = _validation_or_404(validation_id)
    if not access.can_withdraw(current_user, validation):
        abort(403)
    form = WithdrawForm()
    done = submit(
        form,
        lambda: validations.withdraw_validation(current_user, validation, reason=form.reason.data or ""),
        lambda v: _("“%(skill)s” at level %(num)d is withdrawn.", skill=v.skill.name, num=v.level),
        _passport_url(validation.talent),
    )
    return done or (
        render_template(
            "skills/withdraw.html", form=form, validation=validation, back=_passport_url(validation.talent)
        ),
        form_status(),
    )


@bp.route("/skills/validations/<int:validation_id>/photo")
@roles_required(*PASSPORT_ROLES)
def photo(validation_id: int):
    """The evidence photo of a validation (or its thumbnail with ?size=thumb), for those who see the passport."""
    validation = _validation_or_404(validation_id)
    key = validation.photo_thumb_key if request.args.get("size") == "thumb" else validation.photo_key
    if not key:
        abort(404)
    return send_image(key)


@bp.route("/skills/validations/<int:validation_id>/badge.jwt")
@roles_required(*PASSPORT_ROLES)
def badge_download(validation_id: int):
    """A validated skill's signed Open Badge (VC-JWT), for the talent and the staff who see their passport."""
    validation = _validation_or_404(validation_id)
    if not validation.is_validated:
        abort(404)
    try:
        token = signed_badges.download(current_user, validation)
    except DomainError as error:
        flash(str(error), "error")
        return redirect(_passport_url(validation.talent))
    name = re.sub(r"[^a-z0-9]+", "-", fold(validation.skill.name)).strip("-") or "skill"
    return send_file(
        BytesIO(token.encode("ascii")),
        mimetype="application/jwt",
        as_attachment=True,
        download_name=f"repairlab-{name}-{validation.level}.jwt",
        max_age=0,
    )


# --- Matching -------------------------------------------------------------------------------------


def _match_territory(form: MatchForm) -> Territory | None:
    if current_user.role != Role.ADMIN:
        del form.territory_id
        return current_user.territory
    territories = db.session.scalars(sa.select(Territory).order_by(Territory.code)).all()
    form.territory_id.choices = [("", "—")] + [(t.id, str(t)) for t in territories]
    chosen = form.territory_id.data
    return next((t for t in territories if t.id == chosen), None)


def _requirements(form: MatchForm) -> list[usage.Requirement] | None:
    """The rows filled in; None when one is incomplete (the error is on the row)."""
    out, complete = [], True
    for entry in form.rows:
        skill_id, level = entry.form.skill_id.data, entry.form.level.data
        if skill_id and level is None:
            entry.form.level.errors = [_("Choose a level.")]
            complete = False
        elif skill_id:
            out.append(usage.Requirement(skill_id=skill_id, min_level=level))
    return out if complete else None


@bp.route("/skills/match")
@roles_required(*STAFF)
def match():
    """Find the talents of a territory who hold some skills at some levels, and a team's gaps."""
    form = MatchForm(formdata=request.args or None)
    while len(form.rows) < MATCH_ROWS:
        form.rows.append_entry()
    skill_choices = queries.catalogue_choices(include_inactive=True)
    for entry in form.rows:
        entry.form.skill_id.choices = skill_choices
        entry.form.level.choices = level_choices()
    territory = _match_territory(form)
    form.validate()
    requirements = _requirements(form)
    result, team_ids, status = None, [], 200
    if territory is not None and requirements:
        team_ids = matching.team_talent_ids(territory.id, request.args.getlist("team", type=db_id))
        try:
            result = matching.matching(territory.id, requirements, team_user_ids=team_ids)
        except DomainError as error:
            form.rows[0].form.level.errors = [str(error)]
            status = 400
    elif requirements is None:
        status = 400
    filled = [entry for entry in form.rows if entry.form.skill_id.data or entry.form.level.errors]
    empty = [entry for entry in form.rows if entry not in filled]
    visible_rows = filled + empty[: max(1, 3 - len(filled))]  # short on a phone: the rows in use and a free one
    return render_template(
        "skills/match.html",
        form=form,
        result=result,
        territory=territory,
        team_ids=set(team_ids),
        visible_rows=visible_rows,
        people=result.people[:MAX_MATCH_PEOPLE] if result else [],
        max_people=MAX_MATCH_PEOPLE,
    ), status


# --- Public verification --------------------------------------------------------------------------


def _public_validation(token: str) -> SkillValidation:
    validation = get_by_token(token)
    if validation is None or validation.kind != ValidationKind.VALIDATED:
        abort(404)
    return validation


@bp.route("/v/<token>")
def verify(token: str):
    """Public page proving a validated skill to anyone with the link; it shows no personal data."""
    validation = _public_validation(token)
    response = current_app.make_response(
        render_template(
            "skills/verify.html",
            validation=validation,
            status=public_status(validation),
            credential_url=url_for("skills.verify_json", token=token),
            badge_check=signed_badges.check_validation(validation),
            jwks_url=signed_badges.jwks_url(),
        )
    )
    response.headers["X-Robots-Tag"] = "noindex"
    return response


@bp.route("/v/<token>.json")
def verify_json(token: str):
    """The Open Badges 3.0 credential of a validated skill, unsigned, to read (JSON-LD); the signed badge is the
    talent's download."""
    validation = _public_validation(token)
    response = _public_json(badges.credential(validation), "application/ld+json", max_age=None)
    response.headers["X-Robots-Tag"] = "noindex"
    return response


# --- Signed badges: keys, issuers, revocation lists, and checking a badge -------------------------------------


def _public_json(document, mimetype: str, *, max_age: int | None):
    """A JSON document any verifier may fetch, from any site (CORS), cached that many seconds when given."""
    response = jsonify(document)
    response.mimetype = mimetype
    response.headers["Access-Control-Allow-Origin"] = "*"
    if max_age is not None:
        response.cache_control.public = True
        response.cache_control.max_age = max_age
    return response


@bp.route("/.well-known/jwks.json")
def jwks():
    """The public keys that verify RepairLab's signed badges, the retired ones included (JWK Set)."""
    return _public_json(signed_badges.jwks(), "application/jwk-set+json", max_age=300)


@bp.route("/badges/keys/<name>")
def badge_key(name: str):
    """One public key, as a JWK: what a badge's `kid` points at."""
    key = keyring().get(name)
    if key is None:
        abort(404)
    return _public_json(signed_badges.public_jwk(key), "application/jwk+json", max_age=3600)


def _territory_or_404(territory_id: int) -> Territory:
    territory = db.session.get(Territory, territory_id)
    if territory is None:
        abort(404)
    return territory


@bp.route("/badges/issuers/<int:territory_id>")
def issuer_profile(territory_id: int):
    """The issuer Profile of a territory's badges (Open Badges 3.0)."""
    return _public_json(badges.issuer_profile(_territory_or_404(territory_id)), "application/ld+json", max_age=3600)


@bp.route("/badges/issuers/<int:territory_id>/revocations")
def revocation_list(territory_id: int):
    """The 1EdTech Revocation List of a territory's badges: the ids of those it revoked."""
    document = badges.revocation_list(_territory_or_404(territory_id))
    return _public_json(document, "application/json", max_age=60)


def _badge_text(form: CheckBadgeForm) -> str | None:
    """The badge to check: the chosen file, else the pasted text; None (with the error on its field) if neither."""
    upload = form.badge_file.data
    if upload is not None and getattr(upload, "filename", ""):
        data = upload.stream.read(signed_badges.MAX_BADGE_CHARS + 1)
        if len(data) > signed_badges.MAX_BADGE_CHARS:
            form.badge_file.errors = [_("This file is too large to be a badge.")]
            return None
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            form.badge_file.errors = [_("This file is not a badge: a badge is a text file (.jwt).")]
            return None
    if (form.badge.data or "").strip():
        return form.badge.data
    form.badge.errors = [_("Paste the content of a badge, or choose its file.")]
    return None


@bp.route("/badges/check", methods=["GET", "POST"])
@csrf.exempt
def check_badge():
    """Anyone checks a signed badge: its signature against the published keys, then whether it still stands."""
    form = CheckBadgeForm()
    result, status = None, 200
    if form.validate_on_submit():
        text = _badge_text(form)
        if text is None:
            status = 400
        else:
            result = signed_badges.check(text)
    elif request.method == "POST":
        status = 400
    response = current_app.make_response(
        (
            render_template("skills/check_badge.html", form=form, result=result, jwks_url=signed_badges.jwks_url()),
            status,
        )
    )
    response.headers["X-Robots-Tag"] = "noindex"
    return response
