"""The API's operations and who may use each with a token, and the API's routes in the web's permission matrix.

Every /api/v1/ operation is declared once in OPERATIONS, with the roles whose token gets through. From it:

- MATRIX, for the web's matrix (tests/core/test_permissions.py: signed in with a session cookie): a session cookie
  never opens the JSON API, so every operation is refused (401) to every role signed in with a cookie, and to
  visitors. The token pages are the web's own: one's tokens for everyone, the list of all for administrators; the
  description and the browsable documentation of the API are public.
- tests/api/test_matrix.py calls every operation with each role's token: the allowed roles get through, the others
  are refused (403); territory-bound roles never reach another territory's objects (404) nor see them in a list.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from repairlab import clock
from repairlab.api import tokens
from repairlab.extensions import db
from repairlab.people.models import Role
from tests.permissions import ADMIN, ALL_ROLES, Route

NOBODY = frozenset()
# What a session cookie without a token gets from the JSON API, signed in or not.
UNAUTHORISED = frozenset({401})

MEMBERS = frozenset({Role.PARTICIPANT, Role.MENTOR, Role.LAB_MANAGER, Role.ADMIN})
DESK = frozenset({Role.LAB_MANAGER, Role.ADMIN})
BORROWERS = frozenset({Role.PARTICIPANT, *DESK})
PASSPORT_READERS = frozenset({Role.PARTICIPANT, Role.MENTOR, *DESK})
FOLLOWERS = frozenset({Role.MENTOR, Role.ADMIN})
INDICATOR_READERS = frozenset({Role.MENTOR, Role.LAB_MANAGER, Role.RESEARCHER, Role.ADMIN})


def _once(w: dict, key: str, make: Callable[[], object]):
    """An object of the world, made the first time it is asked for (and committed)."""
    if key not in w:
        w[key] = make()
        db.session.commit()
    return w[key]


def _token_id(w):
    def make():
        token, _secret = tokens.create_token(
            w["talent"], name="Script", scopes="read", expires_on=tokens.default_expiry()
        )
        return token

    return _once(w, "api_token", make).id


def _loan(w, prefix=""):
    """A loan of a tool of its own to each territory's talent."""
    from repairlab.inventory import services as inventory
    from repairlab.inventory.models import ItemKind
    from repairlab.lending import services

    def make():
        talent = w["other_talent" if prefix else "talent"]
        tool = inventory.create_item(
            None, w[f"{prefix}item"].lab, inventory.ItemFields(name="Ponceuse", kind=ItemKind.TOOL)
        )
        return services.check_out_item(talent, tool, talent, kind="in_lab")

    return _once(w, f"{prefix}api_loan", make).id


def _tool(w, prefix=""):
    """A tool to reserve, of each territory's lab."""
    from repairlab.inventory import services
    from repairlab.inventory.models import ItemKind

    lab = w[f"{prefix}item"].lab
    return _once(
        w,
        f"{prefix}api_tool",
        lambda: services.create_item(None, lab, services.ItemFields(name="Scie circulaire", kind=ItemKind.TOOL)),
    ).id


def _day(n: int) -> str:
    return (clock.today() + timedelta(days=n)).isoformat()


def _reservation(w, prefix=""):
    """A reservation of a tool by the territory's talent, next month."""
    from repairlab.inventory import services
    from repairlab.inventory.models import ItemKind
    from repairlab.lending.reservations import services as reservations

    def make():
        talent = w["other_talent" if prefix else "talent"]
        tool = services.create_item(None, w[f"{prefix}item"].lab, services.ItemFields(name="Rabot", kind=ItemKind.TOOL))
        day = clock.today() + timedelta(days=30)
        return reservations.reserve_item(talent, tool, starts_on=day, ends_on=day, borrower=talent)

    return _once(w, f"{prefix}api_reservation", make).id


def _skill(w):
    from repairlab.skills import catalogue, validations

    def make():
        admin = w["users"][Role.ADMIN]
        domain = catalogue.create_domain(admin, name="Domaine de l’API")
        skill = catalogue.create_skill(admin, domain=domain, name="Soudure (API)")
        db.session.flush()
        mentor = w["users"][Role.MENTOR]
        validations.validate_skill(mentor, w["talent"], skill, level=2)
        return skill

    return _once(w, "api_skill", make).id


def _stages(w):
    from repairlab.projects import services

    return _once(
        w, "api_stages", lambda: [services.create_stage(None, name) for name in ("Idée (API)", "Prototype (API)")]
    )


def _project(w, prefix=""):
    """A project of each territory, the territory's talent in its team."""
    from repairlab.projects import services
    from repairlab.projects.models import Sector

    def make():
        territory = w[f"{prefix}territory"]
        team = [w["other_talent" if prefix else "talent"]]
        fields = services.ProjectFields(name=f"Vélo solidaire {prefix or 'RBX'}", sector=Sector.BIKES)
        return services.create_project(None, territory, fields, team=team, stage=_stages(w)[0])

    return _once(w, f"{prefix}api_project", make).id


def _ticket(w, prefix=""):
    """A repair ticket taken in at each territory's lab."""
    import sqlalchemy as sa

    from repairlab.repairs import tickets
    from repairlab.repairs.models import RepairCategory

    def make():
        toaster = db.session.scalar(sa.select(RepairCategory).where(RepairCategory.name == "Toaster"))
        data = tickets.IntakeFields(category_id=toaster.id, problem="Ne chauffe plus", brand="Moulinex")
        return tickets.take_in(w["users"][Role.ADMIN], w[f"{prefix}item"].lab, data)

    return _once(w, f"{prefix}api_ticket", make).id


def _toaster_id() -> int:
    import sqlalchemy as sa

    from repairlab.repairs.models import RepairCategory

    return db.session.scalar(sa.select(RepairCategory.id).where(RepairCategory.name == "Toaster"))


@dataclass(frozen=True)
class Operation:
    """One operation of the API: its endpoint, URL and JSON body (built from the world of test objects), the roles
    whose token gets through, and, for territory-bound roles: the same operation on the other territory's object
    (`other_url`, `other_json`: 404), or the other territory's object a list must not show (`hidden`: its id)."""

    endpoint: str
    url: Callable[[dict], str]
    allowed: frozenset[Role]
    method: str = "GET"
    json: Callable[[dict], dict] | None = None
    other_url: Callable[[dict], str] | None = None
    other_json: Callable[[dict], dict] | None = None
    hidden: Callable[[dict], int] | None = None


OPERATIONS = [
    # Codes, items, places.
    Operation(
        "codes.CodeResource",
        lambda w: f"/api/v1/codes/{w['item'].code}",
        MEMBERS,
        other_url=lambda w: f"/api/v1/codes/{w['other_item'].code}",
    ),
    Operation("items.ItemList", lambda w: "/api/v1/items", MEMBERS, hidden=lambda w: w["other_item"].id),
    Operation(
        "items.ItemList",
        lambda w: "/api/v1/items",
        DESK,
        method="POST",
        json=lambda w: {"lab_id": w["lab"].id, "name": "Scie", "kind": "tool"},
        other_json=lambda w: {"lab_id": w["other_item"].lab_id, "name": "Scie", "kind": "tool"},
    ),
    Operation(
        "items.ItemResource",
        lambda w: f"/api/v1/items/{w['item'].id}",
        MEMBERS,
        other_url=lambda w: f"/api/v1/items/{w['other_item'].id}",
    ),
    Operation(
        "items.ItemResource",
        lambda w: f"/api/v1/items/{w['item'].id}",
        DESK,
        method="PATCH",
        json=lambda w: {"brand": "Bosch"},
        other_url=lambda w: f"/api/v1/items/{w['other_item'].id}",
    ),
    Operation("places.PlaceList", lambda w: "/api/v1/places", MEMBERS, hidden=lambda w: w["other_place"].id),
    Operation(
        "places.PlaceResource",
        lambda w: f"/api/v1/places/{w['place'].id}",
        MEMBERS,
        other_url=lambda w: f"/api/v1/places/{w['other_place'].id}",
    ),
    # Loans.
    Operation(
        "loans.LoanList",
        lambda w: "/api/v1/loans?state=all",
        BORROWERS,
        hidden=lambda w: _loan(w, "other_"),
    ),
    Operation(
        "loans.LoanList",
        lambda w: "/api/v1/loans",
        BORROWERS,
        method="POST",
        json=lambda w: {"item_id": w["item"].id, "borrower_id": w["talent"].id, "kind": "in_lab"},
        other_json=lambda w: {"item_id": w["other_item"].id, "kind": "in_lab"},
    ),
    Operation("talents.TalentSearch", lambda w: "/api/v1/talents?q=a", DESK),
    Operation(
        "loans.LoanResource",
        lambda w: f"/api/v1/loans/{_loan(w)}",
        BORROWERS,
        other_url=lambda w: f"/api/v1/loans/{_loan(w, 'other_')}",
    ),
    Operation(
        "loans.LoanReturnResource",
        lambda w: f"/api/v1/loans/{_loan(w)}/return",
        BORROWERS,
        method="POST",
        json=lambda w: {"condition": "good"},
        other_url=lambda w: f"/api/v1/loans/{_loan(w, 'other_')}/return",
    ),
    # Reservations.
    Operation(
        "reservations.ReservationList",
        lambda w: "/api/v1/reservations",
        MEMBERS,
        hidden=lambda w: _reservation(w, "other_"),
    ),
    Operation(
        "reservations.ReservationList",
        lambda w: "/api/v1/reservations",
        BORROWERS,
        method="POST",
        json=lambda w: {"item_id": _tool(w), "starts_on": _day(3), "ends_on": _day(4), "purpose": "Repair café"},
        other_json=lambda w: {"item_id": _tool(w, "other_"), "starts_on": _day(3), "ends_on": _day(4)},
    ),
    Operation(
        "reservations.ReservationResource",
        lambda w: f"/api/v1/reservations/{_reservation(w)}",
        MEMBERS,
        other_url=lambda w: f"/api/v1/reservations/{_reservation(w, 'other_')}",
    ),
    Operation(
        "reservations.ReservationCancel",
        lambda w: f"/api/v1/reservations/{_reservation(w)}/cancel",
        BORROWERS,
        method="POST",
        other_url=lambda w: f"/api/v1/reservations/{_reservation(w, 'other_')}/cancel",
    ),
    # Skills and passports.
    Operation("skill_catalogue.SkillList", lambda w: "/api/v1/skills", ALL_ROLES),
    Operation("skill_catalogue.SkillResource", lambda w: f"/api/v1/skills/{_skill(w)}", ALL_ROLES),
    Operation("passports.MyPassport", lambda w: "/api/v1/passports/mine", frozenset({Role.PARTICIPANT})),
    Operation(
        "passports.PassportResource",
        lambda w: f"/api/v1/passports/{w['talent'].id}",
        PASSPORT_READERS,
        other_url=lambda w: f"/api/v1/passports/{w['other_talent'].id}",
    ),
    # Projects.
    Operation(
        "incubated_projects.ProjectList",
        lambda w: "/api/v1/projects",
        MEMBERS,
        hidden=lambda w: _project(w, "other_"),
    ),
    Operation("incubated_projects.StageList", lambda w: "/api/v1/projects/stages", MEMBERS),
    Operation(
        "incubated_projects.ProjectResource",
        lambda w: f"/api/v1/projects/{_project(w)}",
        MEMBERS,
        other_url=lambda w: f"/api/v1/projects/{_project(w, 'other_')}",
    ),
    Operation(
        "incubated_projects.ProjectMoveResource",
        lambda w: f"/api/v1/projects/{_project(w)}/move",
        FOLLOWERS,
        method="POST",
        json=lambda w: {"stage_id": _stages(w)[1].id, "note": "Le prototype roule."},
        other_url=lambda w: f"/api/v1/projects/{_project(w, 'other_')}/move",
    ),
    # Repair tickets.
    Operation(
        "repair_tickets.TicketList",
        lambda w: "/api/v1/repair-tickets",
        MEMBERS,
        hidden=lambda w: _ticket(w, "other_"),
    ),
    Operation(
        "repair_tickets.TicketList",
        lambda w: "/api/v1/repair-tickets",
        DESK,
        method="POST",
        json=lambda w: {"lab_id": w["lab"].id, "category_id": _toaster_id(), "problem": "Ne s'allume plus"},
        other_json=lambda w: {
            "lab_id": w["other_item"].lab_id,
            "category_id": _toaster_id(),
            "problem": "Ne s'allume plus",
        },
    ),
    Operation(
        "repair_tickets.TicketResource",
        lambda w: f"/api/v1/repair-tickets/{_ticket(w)}",
        MEMBERS,
        other_url=lambda w: f"/api/v1/repair-tickets/{_ticket(w, 'other_')}",
    ),
    Operation(
        "repair_tickets.TicketStatusResource",
        lambda w: f"/api/v1/repair-tickets/{_ticket(w)}/status",
        MEMBERS,
        method="POST",
        json=lambda w: {"status": "diagnosed"},
        other_url=lambda w: f"/api/v1/repair-tickets/{_ticket(w, 'other_')}/status",
    ),
    # Indicators.
    Operation(
        "indicators.IndicatorList",
        lambda w: "/api/v1/indicators",
        INDICATOR_READERS,
        other_url=lambda w: f"/api/v1/indicators?territory={w['other_territory'].id}",
    ),
    Operation(
        "indicators.IndicatorSection",
        lambda w: "/api/v1/indicators/enrolment",
        INDICATOR_READERS,
        other_url=lambda w: f"/api/v1/indicators/enrolment?territory={w['other_territory'].id}",
    ),
]


MATRIX = [
    Route("api.my_tokens", lambda w: "/account/api-tokens", ALL_ROLES),
    Route(
        "api.revoke_token",
        lambda w: f"/account/api-tokens/{_token_id(w)}/revoke",
        ALL_ROLES,  # a token not one's own is refused with a message, on one's own list
        method="POST",
    ),
    Route("api.all_tokens", lambda w: "/admin/api-tokens", ADMIN),
    Route("api.docs", lambda w: "/api/v1/docs", ALL_ROLES, anonymous=True),
    Route("api-docs.openapi_json", lambda w: "/api/v1/openapi.json", ALL_ROLES, anonymous=True),
    # The JSON API with a session cookie and no token: nobody.
    *(
        Route(
            op.endpoint,
            op.url,
            NOBODY,
            refused=UNAUTHORISED,
            method="POST" if op.method == "POST" else "GET",
            data=op.json or (lambda w: {}),
        )
        for op in OPERATIONS
    ),
]
