"""Loans (borrow, return, list) and reservations (reserve, cancel, list), through lending's services and with its
pages' permissions."""

from __future__ import annotations

import sqlalchemy as sa
from flask.views import MethodView
from flask_login import current_user
from flask_smorest import Blueprint
from sqlalchemy.orm import joinedload

from repairlab import clock
from repairlab.api.problems import refusals, refuse
from repairlab.api.schemas import (
    LoanListArgs,
    LoanNew,
    LoanOut,
    LoanPage,
    LoanReturn,
    ReservationListArgs,
    ReservationNew,
    ReservationOut,
    ReservationPage,
    TalentOut,
    TalentSearchArgs,
    page_body,
)
from repairlab.api.web import allow, change, read, visible
from repairlab.auth import Role, has_role, territory_scope
from repairlab.extensions import db
from repairlab.inventory.models import Item
from repairlab.lending import queries, services
from repairlab.lending.access import DESK_ROLES, can_return, is_desk
from repairlab.lending.models import Loan
from repairlab.lending.reservations import queries as reservation_queries
from repairlab.lending.reservations import services as reservation_services
from repairlab.lending.reservations.models import HOLDING, Reservation, ReservationStatus
from repairlab.lending.reservations.views import CALENDAR_ROLES
from repairlab.pagination import paginate
from repairlab.people.models import User
from repairlab.people.queries import search_talents

loans = Blueprint("loans", __name__, url_prefix="/api/v1/loans", description="Loans of tools to talents.")
talents = Blueprint(
    "talents", __name__, url_prefix="/api/v1/talents", description="The lending desk's search for a talent."
)
reservations = Blueprint(
    "reservations", __name__, url_prefix="/api/v1/reservations", description="Reservations of tools for some days."
)
BORROWERS = (Role.PARTICIPANT, *DESK_ROLES)
# The staff who see their territory's reservations on the lab calendar; a talent lists their own.
CALENDAR_STAFF = tuple(role for role in CALENDAR_ROLES if role != Role.PARTICIPANT)
# As many as the desk's own search shows.
TALENTS_FOUND = 8


@talents.route("")
class TalentSearch(MethodView):
    """The desk finds a talent to lend to."""

    @refusals(talents, 403, 422)
    @talents.arguments(TalentSearchArgs, location="query")
    @talents.response(200, TalentOut(many=True))
    def get(self, args):
        """Active talents of the desk's territory whose name or e-mail holds the text (lab managers, admins)."""
        allow(*DESK_ROLES)
        return search_talents(territory_scope(current_user), args["q"], limit=TALENTS_FOUND)


@loans.route("")
class LoanList(MethodView):
    """Loans: a talent's own, or those of the desk's territory."""

    @refusals(loans, 403, 422)
    @loans.arguments(LoanListArgs, location="query")
    @loans.response(200, LoanPage)
    def get(self, args):
        """List loans, open ones by default, the soonest due first."""
        allow(*BORROWERS)
        stmt = sa.select(Loan).options(joinedload(Loan.item))
        if is_desk(current_user):
            scope = territory_scope(current_user)
            if scope is not None:
                stmt = stmt.where(Loan.territory_id == scope)
        else:
            stmt = stmt.where(Loan.borrower_id == current_user.id)
        if args["state"] == "open":
            stmt = stmt.where(Loan.returned_at.is_(None))
        elif args["state"] == "returned":
            stmt = stmt.where(Loan.returned_at.is_not(None))
        if args.get("borrower"):
            stmt = stmt.where(Loan.borrower_id == args["borrower"])
        if args.get("item"):
            stmt = stmt.where(Loan.item_id == args["item"])
        return page_body(paginate(stmt.order_by(Loan.due_at, Loan.id), per_page=args["per_page"]))

    @refusals(loans, 403, 404, 409, 422)
    @loans.arguments(LoanNew)
    @loans.response(201, LoanOut)
    def post(self, data):
        """Lend a tool: a talent borrows for themselves; a lab manager lends to a talent of their territory, and
        may override a missing skill with a written reason. Every rule and refusal is the lending desk's."""
        allow(*BORROWERS)
        item = visible(db.session.get(Item, data["item_id"]))

        def lend():
            borrower = current_user
            if data.get("borrower_id") and data["borrower_id"] != current_user.id:
                # The desk's own search: an active talent of its territory, else "no talent of this lab was found".
                borrower = services.desk_talent(current_user, data["borrower_id"])
            return services.check_out_item(
                current_user,
                item,
                borrower,
                kind=data["kind"],
                due_at=data.get("due_on"),
                override_reason=data["override_reason"],
            )

        return change(lend)


@loans.route("/<int:loan_id>")
class LoanResource(MethodView):
    """One loan."""

    @refusals(loans, 403, 404)
    @loans.response(200, LoanOut)
    def get(self, loan_id: int):
        """A loan: its borrower's, or the desk's of its territory."""
        allow(*BORROWERS)
        loan = visible(queries.get_loan(loan_id))
        if not can_return(current_user, loan):
            raise refuse(404)
        return loan


@loans.route("/<int:loan_id>/return")
class LoanReturnResource(MethodView):
    """Give a loan back."""

    @refusals(loans, 403, 404, 409, 422)
    @loans.arguments(LoanReturn)
    @loans.response(200, LoanOut)
    def post(self, data, loan_id: int):
        """Record a return (the borrower, or the desk); a damaged return opens a problem report."""
        allow(*BORROWERS)
        loan = visible(queries.get_loan(loan_id))
        if not can_return(current_user, loan):
            raise refuse(403 if current_user.role in DESK_ROLES else 404)
        return change(
            lambda: services.return_item(
                current_user,
                loan,
                condition=data["condition"],
                note=data["note"],
                out_of_service=data["out_of_service"],
            )
        )


# --- Reservations ---------------------------------------------------------------------------------------------------


def _with_holder(reservation: Reservation) -> Reservation:
    """The reservation, with for whom it is in the viewer's words (names for staff only, as on the calendar)."""
    reservation.holder = reservation_queries.who(reservation, current_user)
    return reservation


def _reservation(reservation_id: int) -> Reservation:
    """A reservation the token's user may see: their own, or their territory's for the calendar's staff."""
    reservation = visible(read(lambda: reservation_queries.get_reservation(reservation_id)))
    mine = current_user.id in (reservation.borrower_id, reservation.reserved_by_id)
    if not (mine or has_role(current_user, *CALENDAR_STAFF)):
        raise refuse(404)
    return reservation


@reservations.route("")
class ReservationList(MethodView):
    """Reservations: a talent's own, or those of the territory for the calendar's staff."""

    @refusals(reservations, 403, 422)
    @reservations.arguments(ReservationListArgs, location="query")
    @reservations.response(200, ReservationPage)
    def get(self, args):
        """List reservations: coming ones by default (soonest first), or past and cancelled ones (latest first)."""
        allow(*CALENDAR_ROLES)
        stmt = sa.select(Reservation).options(joinedload(Reservation.item), joinedload(Reservation.borrower))
        if has_role(current_user, *CALENDAR_STAFF):
            scope = territory_scope(current_user)
            if scope is not None:
                stmt = stmt.where(Reservation.territory_id == scope)
        else:
            stmt = stmt.where(Reservation.borrower_id == current_user.id)
        today = clock.today()
        if args["state"] == "coming":
            stmt = stmt.where(Reservation.ends_on >= today, Reservation.status.in_(HOLDING))
            stmt = stmt.order_by(Reservation.starts_on, Reservation.id)
        else:
            if args["state"] == "past":
                stmt = stmt.where(
                    sa.or_(Reservation.ends_on < today, Reservation.status == ReservationStatus.CANCELLED)
                )
            stmt = stmt.order_by(Reservation.starts_on.desc(), Reservation.id.desc())
        if args.get("item"):
            stmt = stmt.where(Reservation.item_id == args["item"])
        if args.get("borrower"):
            stmt = stmt.where(Reservation.borrower_id == args["borrower"])
        page = paginate(stmt, per_page=args["per_page"])
        for reservation in page.items:
            _with_holder(reservation)
        return page_body(page)

    @refusals(reservations, 403, 404, 409, 422)
    @reservations.arguments(ReservationNew)
    @reservations.response(201, ReservationOut)
    def post(self, data):
        """Reserve a tool for some days, with the reservation page's rules and words: a talent for themselves (a
        self-service tool they may use), a lab manager for a talent of the territory or for a lab event."""
        allow(*BORROWERS)
        item = visible(db.session.get(Item, data["item_id"]))
        wanted = data.get("borrower_id")

        def reserve():
            if is_desk(current_user, item.territory_id):
                # The desk's own search: an active talent of its territory, else "no talent of this lab was found".
                borrower = services.desk_talent(current_user, wanted) if wanted else None
            elif wanted in (None, current_user.id):
                borrower = current_user
            else:
                # The service refuses a talent reserving for someone else, whoever the id names.
                borrower = db.session.get(User, wanted)
            return reservation_services.reserve_item(
                current_user,
                item,
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
                borrower=borrower,
                purpose=data["purpose"],
            )

        return _with_holder(change(reserve))


@reservations.route("/<int:reservation_id>")
class ReservationResource(MethodView):
    """One reservation."""

    @refusals(reservations, 403, 404)
    @reservations.response(200, ReservationOut)
    def get(self, reservation_id: int):
        """A reservation: its talent's, its maker's, or the territory's for the calendar's staff."""
        allow(*CALENDAR_ROLES)
        return _with_holder(_reservation(reservation_id))


@reservations.route("/<int:reservation_id>/cancel")
class ReservationCancel(MethodView):
    """Cancel a reservation."""

    @refusals(reservations, 403, 404, 409, 422)
    @reservations.response(200, ReservationOut)
    def post(self, reservation_id: int):
        """Cancel a reservation not picked up yet (its talent, its maker, or the desk): its days are free again."""
        allow(*BORROWERS)
        reservation = visible(read(lambda: reservation_queries.get_reservation(reservation_id)))
        if not reservation_services.can_cancel(current_user, reservation):
            raise refuse(403 if current_user.role in DESK_ROLES else 404)
        return _with_holder(change(lambda: reservation_services.cancel_reservation(current_user, reservation)))
