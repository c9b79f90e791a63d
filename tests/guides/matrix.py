"""Who may use each guides route; see tests/core/test_permissions.py.

Published guides are public (anonymous visitors, researchers, other territories read them); the working pages and
the actions are the territory's writers' (talents their own guides), reviewers' (mentors, lab managers, admins) or
the ticket's and session's team's."""

from __future__ import annotations

from repairlab.extensions import db
from repairlab.guides import services
from repairlab.guides.models import GuideKind
from repairlab.people.models import Role
from repairlab.programme import attendance
from repairlab.programme.models import ActivityKind
from repairlab.repairs import tickets
from tests.guides.helpers import content, fields, ords, write
from tests.permissions import ALL_ROLES, STAFF, Route

WRITERS = frozenset({Role.PARTICIPANT, Role.MENTOR, Role.LAB_MANAGER, Role.ADMIN})
TEAM = WRITERS


def _admin(w):
    return w["users"][Role.ADMIN]


def _published(w, prefix: str = ""):
    """A published kettle guide of that territory, written once per world by a lab manager (an admin elsewhere)."""
    key = f"{prefix}guide_published"
    if key not in w:
        territory = w["territory"] if not prefix else w["other_territory"]
        author = w["users"][Role.LAB_MANAGER] if not prefix else _admin(w)
        w[key] = write(author, territory, title=f"Bouilloire {prefix or 'ici'}")
    return w[key]


def _draft(w, prefix: str = ""):
    """A draft the home territory's talent started (an admin's in the other territory)."""
    key = f"{prefix}guide_draft"
    if key not in w:
        territory = w["territory"] if not prefix else w["other_territory"]
        author = w["talent"] if not prefix else _admin(w)
        w[key] = write(author, territory, action=services.SaveAction.DRAFT, title=f"Brouillon {prefix or 'ici'}")
    return w[key]


def _proposed(w, prefix: str = ""):
    key = f"{prefix}guide_proposed"
    if key not in w:
        territory = w["territory"] if not prefix else w["other_territory"]
        author = w["talent"] if not prefix else _admin(w)
        w[key] = write(author, territory, action=services.SaveAction.PROPOSE, title=f"Proposé {prefix or 'ici'}")
    return w[key]


def _plan(w):
    if "guide_plan" not in w:
        w["guide_plan"] = write(w["users"][Role.LAB_MANAGER], w["territory"], kind=GuideKind.WORKSHOP, title="Atelier")
    return w["guide_plan"]


def _ticket(w, prefix: str = ""):
    key = f"{prefix}guide_ticket"
    if key not in w:
        lab = w[f"{prefix}item"].lab
        actor = w["users"][Role.LAB_MANAGER] if not prefix else _admin(w)
        w[key] = tickets.take_in(actor, lab, tickets.IntakeFields(category_id=ords("Kettle"), problem="Froide"))
        db.session.commit()
    return w[key].id


def _use(w, prefix: str = ""):
    key = f"{prefix}guide_use"
    if key not in w:
        ticket = db.session.get(tickets.RepairTicket, _ticket(w, prefix))
        territory = w["territory"] if not prefix else w["other_territory"]
        guide = write(_admin(w), territory, title=f"Suivi {prefix or 'ici'}")
        w[key] = services.record_use(_admin(w), ticket, guide)
        db.session.commit()
    return w[key].id


def _session(w, prefix: str = ""):
    key = f"{prefix}guide_session"
    if key not in w:
        territory = w["territory"] if not prefix else w["other_territory"]
        from repairlab import clock

        w[key] = attendance.create_session(
            _admin(w), territory, kind=ActivityKind.WORKSHOP, title="Atelier soudure", held_on=clock.today()
        )
        db.session.commit()
    return w[key].id


def _photo_url(w) -> str:
    """The thumbnail of a published guide's first step's photo."""
    key = "guide_photo"
    if key not in w:
        from tests.guides.helpers import jpeg

        guide = services.create_guide(
            w["users"][Role.LAB_MANAGER],
            w["territory"],
            fields(),
            content(title="Avec photo", steps=[services.StepInput("Photo", "Voir", new_photos=[jpeg()])]),
            services.SaveAction.PUBLISH,
        )
        db.session.commit()
        w[key] = f"/guides/{guide.slug}/photos/{guide.latest.steps[0].photos[0].id}/thumb"
    return w[key]


MATRIX = [
    Route("guides.index", lambda w: "/guides/", ALL_ROLES, anonymous=True),
    Route("guides.guide", lambda w: f"/guides/{_published(w).slug}", ALL_ROLES, anonymous=True),
    Route("guides.version", lambda w: f"/guides/{_published(w).slug}/v/1", ALL_ROLES, anonymous=True),
    Route("guides.step", lambda w: f"/guides/{_published(w).slug}/step/1", ALL_ROLES, anonymous=True),
    Route("guides.versions", lambda w: f"/guides/{_published(w).slug}/versions", ALL_ROLES, anonymous=True),
    Route("guides.diff", lambda w: f"/guides/{_published(w).slug}/diff?from=1&to=1", ALL_ROLES, anonymous=True),
    Route(
        "guides.photo",
        _photo_url,
        ALL_ROLES,
        anonymous=True,
    ),
    Route("guides.export", lambda w: "/guides/export.zip", ALL_ROLES),
    Route("guides.work", lambda w: "/guides/work", WRITERS),
    Route("guides.new", lambda w: "/guides/new?kind=repair", WRITERS),
    Route("guides.preview", lambda w: "/guides/preview", WRITERS, method="POST", data=lambda w: {"text": "**a**"}),
    # A talent edits the guides they started; reviewers every guide of the territory.
    Route(
        "guides.edit",
        lambda w: f"/guides/{_draft(w).slug}/edit",
        WRITERS,
        other_url=lambda w: f"/guides/{_draft(w, 'other_').slug}/edit",
    ),
    Route(
        "guides.propose",
        lambda w: f"/guides/{_draft(w).slug}/propose",
        WRITERS,
        method="POST",
        other_url=lambda w: f"/guides/{_draft(w, 'other_').slug}/propose",
    ),
    Route(
        "guides.publish",
        lambda w: f"/guides/{_proposed(w).slug}/publish",
        STAFF,
        method="POST",
        other_url=lambda w: f"/guides/{_proposed(w, 'other_').slug}/publish",
    ),
    Route(
        "guides.send_back",
        lambda w: f"/guides/{_proposed(w).slug}/send-back",
        STAFF,
        method="POST",
        data=lambda w: {"note": "Ajoutez une photo."},
        other_url=lambda w: f"/guides/{_proposed(w, 'other_').slug}/send-back",
    ),
    Route(
        "guides.withdraw",
        lambda w: f"/guides/{_published(w).slug}/withdraw",
        STAFF,
        method="POST",
        other_url=lambda w: f"/guides/{_published(w, 'other_').slug}/withdraw",
    ),
    Route(
        "guides.credit",
        lambda w: f"/guides/{_draft(w).slug}/credit",
        WRITERS,
        method="POST",
        data=lambda w: {"choice": "first_name"},
        other_url=lambda w: f"/guides/{_draft(w, 'other_').slug}/credit",
    ),
    Route(
        "guides.ticket_use",
        lambda w: f"/guides/tickets/{_ticket(w)}/uses",
        TEAM,
        method="POST",
        data=lambda w: {"guide_id": _published(w).id, "helped": "yes"},
        other_url=lambda w: f"/guides/tickets/{_ticket(w, 'other_')}/uses",
    ),
    Route(
        "guides.ticket_use_remove",
        lambda w: f"/guides/uses/{_use(w)}/remove",
        TEAM,
        method="POST",
        other_url=lambda w: f"/guides/uses/{_use(w, 'other_')}/remove",
    ),
    Route(
        "guides.session_plan",
        lambda w: f"/guides/sessions/{_session(w)}/plan",
        STAFF,
        method="POST",
        data=lambda w: {"guide_id": _plan(w).id},
        other_url=lambda w: f"/guides/sessions/{_session(w, 'other_')}/plan",
    ),
    Route(
        "guides.session_plan_remove",
        lambda w: f"/guides/sessions/{_session(w)}/plan/remove",
        STAFF,
        method="POST",
        other_url=lambda w: f"/guides/sessions/{_session(w, 'other_')}/plan/remove",
    ),
]
