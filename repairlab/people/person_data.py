"""What the people domain holds about a person: their account, in "download my data"."""

from __future__ import annotations

from typing import Any

from repairlab.people.models import User
from repairlab.people.registry import personal_data_sources


def account_data(person: User) -> dict[str, list[dict[str, Any]]]:
    """The account: identity, contact details and programme place (never the password)."""
    return {
        "account": [
            {
                "name": person.full_name,
                "email": person.email,
                "phone": person.phone,
                "role": person.role.value,
                "territory": person.territory.name if person.territory else None,
                "cohort": person.cohort.name if person.cohort else None,
                "track": person.track.value if person.track else None,
                "language": person.locale,
                "created_at": person.created_at.isoformat() if person.created_at else None,
                "last_login_at": person.last_login_at.isoformat() if person.last_login_at else None,
            }
        ]
    }


def register() -> None:
    """Register the account as a personal data source (called by init_app)."""
    personal_data_sources.register("people.account", account_data, order=0)
