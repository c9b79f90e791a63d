"""Who runs the lending desk, who may give a loan back and who may borrow: one place for lending's permission rules."""

from __future__ import annotations

from flask_babel import gettext as _

from repairlab.auth import can_access_territory, has_role
from repairlab.errors import ValidationError
from repairlab.inventory.models import Item
from repairlab.lending.models import Loan
from repairlab.people.models import Role, User

DESK_ROLES = (Role.LAB_MANAGER, Role.ADMIN)


def is_desk(user: User | None, territory_id: int | None = None) -> bool:
    """Lab managers (of that territory) and administrators run the lending desk."""
    if not has_role(user, *DESK_ROLES):
        return False
    return territory_id is None or can_access_territory(user, territory_id)


def can_return(user: User | None, loan: Loan) -> bool:
    """The borrower, or the desk of the loan's territory."""
    return (
        user is not None
        and getattr(user, "is_authenticated", False)
        and user.active
        and (user.id == loan.borrower_id or is_desk(user, loan.territory_id))
    )


def check_borrower(item: Item, borrower: User, field: str) -> None:
    """An active talent's account, of the item's territory: the rule of lending and of reserving for someone."""
    if not borrower.active:
        raise ValidationError(_("This talent's account is not active, so they cannot borrow."), field=field)
    if borrower.territory_id != item.territory_id:
        raise ValidationError(
            _("This talent belongs to another territory; tools are lent in their own territory only."), field=field
        )
