"""The skills catalogue and a talent's passport, through the skills domain's queries and its access rules."""

from __future__ import annotations

from flask.views import MethodView
from flask_login import current_user
from flask_smorest import Blueprint

from repairlab.api.problems import refusals, refuse
from repairlab.api.schemas import PassportOut, SkillListArgs, SkillOut, SkillPage, page_body
from repairlab.api.web import allow
from repairlab.auth import Role
from repairlab.extensions import db
from repairlab.pagination import paginate
from repairlab.people.models import User
from repairlab.skills import access, badges, queries
from repairlab.skills.models import Skill, SkillValidation
from repairlab.skills.passport import passport, public_status

skills = Blueprint("skill_catalogue", __name__, url_prefix="/api/v1/skills", description="The skills catalogue.")
passports = Blueprint("passports", __name__, url_prefix="/api/v1/passports", description="Talents' skills passports.")
STAFF = (Role.MENTOR, Role.LAB_MANAGER, Role.ADMIN)
# The passport pages' roles: a talent reads their own, staff those of their territory.
PASSPORT_ROLES = (Role.PARTICIPANT, *STAFF)


@skills.route("")
class SkillList(MethodView):
    """The catalogue, shared by every territory."""

    @refusals(skills, 403, 422)
    @skills.arguments(SkillListArgs, location="query")
    @skills.response(200, SkillPage)
    def get(self, args):
        """List the catalogue's skills by domain and name, with the web page's search and domain filter; inactive
        ones only for those who edit the catalogue (administrators)."""
        allow(*Role)
        stmt = queries.catalogue_query(
            q=(args.get("q") or "").strip(),
            domain_id=args.get("domain"),
            include_inactive=bool(args.get("inactive")) and access.can_edit_catalogue(current_user),
        )
        return page_body(paginate(stmt, per_page=args["per_page"]))


@skills.route("/<int:skill_id>")
class SkillResource(MethodView):
    """One skill."""

    @refusals(skills, 403, 404)
    @skills.response(200, SkillOut)
    def get(self, skill_id: int):
        """A skill of the catalogue and what each level means for it (an inactive one: administrators only)."""
        allow(*Role)
        skill = db.session.get(Skill, skill_id)
        if skill is None or not (skill.active or access.can_edit_catalogue(current_user)):
            raise refuse(404)
        return skill


def _validation(validation: SkillValidation, on) -> dict:
    validated = validation.is_validated
    return {
        "id": validation.id,
        "skill_id": validation.skill_id,
        "skill": validation.skill,
        "level": validation.level,
        "level_label": validation.level_label,
        "kind": validation.kind,
        "validated_on": validation.validated_on,
        "expires_on": validation.expires_on,
        "expired": validation.is_expired(on),
        "public_status": public_status(validation, on=on).value if validated else None,
        "verification_url": badges.verification_url(validation) if validated else None,
    }


def _passport_body(talent: User) -> dict:
    data = passport(talent)
    return {
        "talent_id": talent.id,
        "full_name": talent.full_name,
        "on": data.on,
        "validated": [_validation(v, data.on) for _domain, held in data.validated for v in held],
        "declared": [_validation(v, data.on) for v in data.declared],
    }


@passports.route("/mine")
class MyPassport(MethodView):
    """The token's talent's own passport."""

    @refusals(passports, 403)
    @passports.response(200, PassportOut)
    def get(self):
        """A talent's own skills passport."""
        allow(Role.PARTICIPANT)
        return _passport_body(current_user)


@passports.route("/<int:user_id>")
class PassportResource(MethodView):
    """A talent's passport."""

    @refusals(passports, 403, 404)
    @passports.response(200, PassportOut)
    def get(self, user_id: int):
        """A talent's skills passport: the talent's own, or for the mentors, lab managers and administrators who
        may see the talent's territory (the passport page's rule)."""
        allow(*PASSPORT_ROLES)
        talent = db.session.get(User, user_id)
        if talent is None or talent.role != Role.PARTICIPANT or not access.can_see_passport(current_user, talent):
            raise refuse(404)
        return _passport_body(talent)
