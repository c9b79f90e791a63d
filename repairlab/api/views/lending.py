"""Loans: borrow, return and list, through lending's services and with its pages' permissions."""

from __future__ import annotations

import sqlalchemy as sa
from flask.views import MethodView
from flask_login import current_user
from flask_smorest import Blueprint
from sqlalchemy.orm import joinedload

from repairlab.api.problems import refuse
from repairlab.api.schemas import (
    LoanListArgs,
    LoanNew,
    LoanOut,
    LoanPage,
    LoanReturn,
    TalentOut,
    TalentSearchArgs,
    page_body,
)
from repairlab.api.web import allow, change, visible
from repairlab.auth import Role, territory_scope
from repairlab.extensions import db
from repairlab.inventory.models import Item
from repairlab.lending import queries, services
from repairlab.lending.access import DESK_ROLES, can_return, is_desk
from repairlab.lending.models import Loan
from repairlab.pagination import paginate
from repairlab.people.queries import search_talents

loans = Blueprint("loans", __name__, url_prefix="/api/v1/loans", description="Loans of tools to talents.")
talents = Blueprint(
    "talents", __name__, url_prefix="/api/v1/talents", description="The lending desk's search for a talent."
)
BORROWERS = (Role.PARTICIPANT, *DESK_ROLES)
# As many as the desk's own search shows.
TALENTS_FOUND = 8


@talents.route("")
class TalentSearch(MethodView):
    """The desk finds a talent to lend to."""

    @talents.arguments(TalentSearchArgs, location="query")
    @talents.response(200, TalentOut(many=True))
    def get(self, args):
        """Active talents of the desk's territory whose name or e-mail holds the text (lab managers, admins)."""
        allow(*DESK_ROLES)
        return search_talents(territory_scope(current_user), args["q"], limit=TALENTS_FOUND)


@loans.route("")
class LoanList(MethodView):
    """Loans: a talent's own, or those of the desk's territory."""

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
